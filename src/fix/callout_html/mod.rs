//! Rule `callout-html`: a raw-HTML box that is a callout by its shape becomes
//! the `callout` shortcode, with the matching type and title and its message
//! as Markdown. Shapes read: a `<div>` with a `callout` class (the legacy
//! `<div class="bbb-callout bbb--info">` box with a bold title, a `<br>` and
//! the message, decorative icon elements around it), Bootstrap's
//! `<div class="alert alert-info">`, and `<div class="note">` / `warning` /
//! `tip` boxes.
//!
//! The rule it keeps: the reader sees the same text. The box is parsed as a
//! browser parses it ([`message`]), written as Markdown with every character
//! that Markdown would read as syntax escaped ([`markdown`]), and the Markdown
//! is rendered back and compared with the box, character by character with
//! its bold, italics, code, links and line structure ([`visible`]). A box
//! whose message Markdown cannot say (a table, a form, a styled or hidden
//! element, an anchor) or whose Markdown would not read the same is left alone
//! and reported.

mod markdown;
mod message;
mod visible;

use std::cell::RefCell;
use std::rc::Rc;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::edit::Edit;
use super::{ArticleText, Outcome, Rule};

/// Turns the raw-HTML callouts of `article` into `callout` shortcodes.
pub fn fix(article: &ArticleText<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    for range in top_level_html_blocks(article) {
        let html = &article.text[range.clone()];
        let Some(kind) = callout_kind(html) else {
            continue;
        };
        match convert(html) {
            Ok((title, message)) => {
                let call = shortcode(kind, title.as_deref(), &message);
                let shown = title
                    .as_deref()
                    .map(|t| format!(" \"{t}\""))
                    .unwrap_or_default();
                let text = format!("a raw-HTML {kind} box{shown} became a `callout` shortcode");
                outcome
                    .findings
                    .push(article.finding(Rule::CalloutHtml, range.start, text, true));
                outcome.edits.push(Edit::replace(range, call));
            }
            Err(why) => {
                let text = format!("a raw-HTML {kind} box stays as written: {why}");
                outcome
                    .findings
                    .push(article.finding(Rule::CalloutHtml, range.start, text, false));
            }
        }
    }
    outcome
}

/// Byte ranges of the HTML blocks at the top level of the body, without
/// their last line end.
fn top_level_html_blocks(article: &ArticleText<'_>) -> Vec<std::ops::Range<usize>> {
    let body = &article.text[article.body_start..];
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut open = None;
    for (event, range) in
        Parser::new_ext(body, crate::content::scan::parser_options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::HtmlBlock) if depth == 0 => {
                open = Some(article.body_start + range.start);
                depth += 1;
            }
            Event::End(TagEnd::HtmlBlock) if depth == 1 => {
                depth -= 1;
                if let Some(start) = open.take() {
                    let end = article.body_start + range.end;
                    let end = start + article.text[start..end].trim_end().len();
                    blocks.push(start..end);
                }
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    blocks
}

/// The callout type of a box whose outer element is a callout-shaped `<div>`.
fn callout_kind(html: &str) -> Option<&'static str> {
    let tokens = read_tokens(html);
    let Some(Token::Start { tag, class }) = tokens.first() else {
        return None;
    };
    // The outer element closes, and nothing but blank space follows it.
    let closes_at_end = tokens
        .iter()
        .position(|t| matches!(t, Token::End { depth: 0 }))
        .is_some_and(|end| {
            tokens[end + 1..]
                .iter()
                .all(|t| matches!(t, Token::Text(text) if text.trim().is_empty()))
        });
    if tag != "div" || !closes_at_end || !html.trim_start().starts_with('<') {
        return None;
    }
    let classes: Vec<String> = class
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let named = |c: &str| {
        [
            "info",
            "tip",
            "hint",
            "note",
            "warning",
            "danger",
            "error",
            "caution",
            "important",
            "success",
        ]
        .into_iter()
        .find(|kind| c == *kind || c.ends_with(&format!("-{kind}")))
    };
    let callout = classes.iter().any(|c| c.contains("callout"));
    let alert = classes.iter().any(|c| c == "alert");
    let kind = classes.iter().find_map(|c| named(c));
    let kind = match (callout, alert, kind) {
        (true, _, kind) => kind.unwrap_or("info"),
        (false, true, Some(kind)) => kind,
        (false, false, Some(kind)) if classes.len() <= 2 => kind,
        _ => return None,
    };
    Some(match kind {
        "note" | "important" => "info",
        "hint" => "tip",
        "error" | "caution" => "danger",
        other => other,
    })
}

/// A start tag, an end tag (with the depth it closes to) or text, in order,
/// as written: only [`callout_kind`] reads them, to see that the box's outer
/// element is closed by its own end tag (a parser would close it silently).
#[derive(Debug, Clone)]
enum Token {
    Start { tag: String, class: String },
    End { depth: usize },
    Text(String),
}

/// Reads `html` with lol_html into a flat list of tokens.
fn read_tokens(html: &str) -> Vec<Token> {
    use lol_html::{element, rewrite_str, text, RewriteStrSettings};
    let tokens = Rc::new(RefCell::new(Vec::new()));
    let depth = Rc::new(RefCell::new(0usize));
    let (elements, texts) = (Rc::clone(&tokens), Rc::clone(&tokens));
    let element_depth = Rc::clone(&depth);
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("*", move |el| {
            let tag = el.tag_name().to_ascii_lowercase();
            let class = el.get_attribute("class").unwrap_or_default();
            elements.borrow_mut().push(Token::Start { tag, class });
            if let Some(handlers) = el.end_tag_handlers() {
                *element_depth.borrow_mut() += 1;
                let (list, depth) = (Rc::clone(&elements), Rc::clone(&element_depth));
                let on_end: lol_html::EndTagHandler<'static> = Box::new(move |_| {
                    let mut depth = depth.borrow_mut();
                    *depth = depth.saturating_sub(1);
                    list.borrow_mut().push(Token::End { depth: *depth });
                    Ok(())
                });
                handlers.push(on_end);
            }
            Ok(())
        }))
        .append_element_content_handler(text!("*", move |t| {
            texts.borrow_mut().push(Token::Text(t.as_str().to_string()));
            Ok(())
        }));
    let _ = rewrite_str(html, settings);
    let list = tokens.borrow().clone();
    list
}

/// The box's title and its message as Markdown, or why the box stays.
///
/// Emphasis is written with `**`/`*` delimiters; where those would not read
/// as emphasis beside the characters around them (CommonMark's flanking
/// rules), the message is written again with `<strong>`/`<em>` tags, which
/// Markdown passes through. If neither reads as the box does, it stays.
fn convert(html: &str) -> Result<(Option<String>, String), String> {
    let parsed = message::read(html)?;
    let seen = visible::of_box(&parsed);
    for emphasis in [markdown::Emphasis::Delimiters, markdown::Emphasis::Tags] {
        let written = markdown::write(&parsed.blocks, emphasis);
        if written.is_empty() {
            return Err("it has no message".to_string());
        }
        if visible::of_markdown(&written) == seen {
            return Ok((parsed.title, written));
        }
    }
    Err("its message would not read the same as Markdown".to_string())
}

/// The `callout` call with `message` as its body.
fn shortcode(kind: &str, title: Option<&str>, message: &str) -> String {
    let title = title
        .map(|t| format!(", title=\"{}\"", quoted_title(t)))
        .unwrap_or_default();
    format!("{{% callout(type=\"{kind}\"{title}) %}}\n{message}\n{{% end %}}")
}

/// `title` inside a shortcode's `"…"`: a backslash before `\` and `"`, and
/// before what Markdown reads as link, image, HTML or emphasis syntax. The
/// shortcode reads `\c` as `c`, so the title is unchanged, and the call's line,
/// which Markdown also reads (kbgen's link check scans it), holds no link.
fn quoted_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        if matches!(
            c,
            '\\' | '"' | '[' | ']' | '<' | '>' | '!' | '*' | '_' | '`' | '&' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_give_their_types() {
        assert_eq!(
            callout_kind("<div class=\"bbb-callout bbb--info\">x</div>"),
            Some("info")
        );
        assert_eq!(
            callout_kind("<div class=\"alert alert-warning\">x</div>"),
            Some("warning")
        );
        assert_eq!(callout_kind("<div class=\"note\">x</div>"), Some("info"));
        assert_eq!(
            callout_kind("<div class=\"alert alert-danger\">x</div>"),
            Some("danger")
        );
        assert_eq!(callout_kind("<div class=\"grid\">x</div>"), None);
        assert_eq!(callout_kind("<div class=\"note\">x</div><p>more</p>"), None);
    }

    #[test]
    fn the_legacy_box_gives_its_title_and_message() {
        let html = "<div class=\"x-callout x--info\">\n  <div class=\"row\"><div class=\"logo\"><span class=\"img\"></span></div>\n  <div class=\"msg\">\n    <b>Get help</b><br>\n    Ask our <a href='https://example.com/desk/' target='_blank'>desk</a> or write to <a href='mailto:a@example.com'>a@example.com</a>.\n  </div></div>\n</div>";
        let (title, message) = convert(html).unwrap();
        assert_eq!(title.as_deref(), Some("Get help"));
        assert_eq!(
            message,
            "Ask our [desk](https://example.com/desk/) or write to [a@example.com](mailto:a@example.com)."
        );
        let table = "<div class=\"alert alert-info\"><table><tr><td>x</td></tr></table></div>";
        assert!(convert(table).unwrap_err().contains("<table>"));
    }
}
