//! Rule `spacers`: paragraphs that hold nothing but `&nbsp;` or `<br>` (the
//! blank lines a WYSIWYG editor leaves, `<p>&nbsp;</p>` in exported HTML) are
//! removed, with the blank line after them. The theme spaces blocks itself.
//!
//! Only top-level paragraphs and HTML blocks are removed: inside a list or a
//! quote, removing one could change how the blocks around it nest.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::edit::Edit;
use super::{ArticleText, Outcome, Rule};

/// Finds and removes the spacer paragraphs of `article`.
pub fn fix(article: &ArticleText<'_>) -> Outcome {
    let text = article.text;
    let body = &text[article.body_start..];
    let mut outcome = Outcome::default();
    let mut depth = 0usize;
    let mut paragraph: Option<(usize, bool)> = None;
    let mut first: Option<usize> = None;
    let parser = Parser::new_ext(body, crate::content::scan::parser_options());
    for (event, range) in parser.into_offset_iter() {
        let start = article.body_start + range.start;
        match event {
            Event::Start(Tag::Paragraph | Tag::HtmlBlock) if depth == 0 => {
                paragraph = Some((start, true));
                depth += 1;
            }
            Event::End(TagEnd::Paragraph | TagEnd::HtmlBlock) if depth == 1 => {
                depth -= 1;
                if let Some((from, true)) = paragraph.take() {
                    first.get_or_insert(from);
                    outcome
                        .edits
                        .push(removal(text, from, article.body_start + range.end));
                }
            }
            Event::Start(_) => {
                keep_if(&mut paragraph, false);
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) if depth == 1 => {
                keep_if(&mut paragraph, t.trim_matches(is_blank).is_empty())
            }
            Event::Html(html) | Event::InlineHtml(html) if depth == 1 => {
                keep_if(&mut paragraph, is_spacer_html(&html))
            }
            Event::SoftBreak | Event::HardBreak => {}
            _ => keep_if(&mut paragraph, false),
        }
    }
    if let Some(first) = first {
        let message = format!(
            "removed {}",
            crate::diagnostics::plural(outcome.edits.len(), "spacer paragraph")
        );
        outcome
            .findings
            .push(article.finding(Rule::Spacers, first, message, true));
    }
    outcome
}

/// Marks the open paragraph as not a spacer unless `spacer`.
fn keep_if(paragraph: &mut Option<(usize, bool)>, spacer: bool) {
    if let Some((_, only_spacers)) = paragraph {
        *only_spacers &= spacer;
    }
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}'
}

/// HTML that shows only blank space: `<br>`, `&nbsp;`, `<p>&nbsp;</p>`.
fn is_spacer_html(html: &str) -> bool {
    let mut rest = html.trim().to_ascii_lowercase();
    for token in [
        "<p>", "</p>", "&nbsp;", "&#160;", "&#xa0;", "<br>", "<br/>", "<br />",
    ] {
        rest = rest.replace(token, "");
    }
    rest.trim_matches(is_blank).is_empty()
}

/// Removes `start..end` and the blank lines after it, so one blank line is
/// left between the blocks around it; at the end of the file, the blank lines
/// before it go too, so the file ends with one line end.
fn removal(text: &str, start: usize, end: usize) -> Edit {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let after = &text[end..];
    let skipped = after.len() - after.trim_start_matches(['\n', ' ', '\t']).len();
    let mut end = end + skipped;
    if end == text.len() {
        let kept = text[..line_start].trim_end_matches(['\n', ' ', '\t']).len();
        if kept > 0 && kept < line_start {
            return Edit::replace(kept..end, "\n");
        }
    }
    // Keep the indentation of the next line.
    while end > 0 && text.as_bytes()[end - 1] != b'\n' && end > start && end < text.len() {
        end -= 1;
    }
    Edit::replace(line_start.min(start)..end.max(start), "")
}
