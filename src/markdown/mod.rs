//! Markdown to HTML for one article or section body.
//!
//! One pulldown-cmark pass with the loader's options; on the way it gives each
//! heading the id the loader chose (so anchors match what links were checked
//! against), rewrites link and image destinations to their final URLs, and hands
//! code blocks to the [`highlight::Highlighter`]. Raw HTML passes through untouched.

pub mod highlight;

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use pulldown_cmark_escape::escape_href;

use crate::content::scan::{parser_options, Heading, HeadingIds};
use highlight::Highlighter;

/// What rendering a body needs besides its text.
pub struct MarkdownInput<'a> {
    pub body: &'a str,
    /// The headings the loader found, in order, with their ids.
    pub headings: &'a [Heading],
    /// Link destination as written → URL to write instead.
    pub link_targets: &'a HashMap<String, String>,
}

/// Renders a Markdown body to HTML.
pub fn to_html(input: &MarkdownInput<'_>, highlighter: &Highlighter) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut headings = input.headings.iter();
    let mut fallback_ids = HeadingIds::default();
    let mut code_block: Option<(Option<String>, String)> = None;
    let mut open_heading_id: Option<String> = None;
    for event in Parser::new_ext(input.body, parser_options()) {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let id = match headings.next() {
                    Some(heading) => heading.id.clone(),
                    None => fallback_ids.assign(id.as_deref(), ""),
                };
                open_heading_id = Some(id.clone());
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(id) = open_heading_id.take() {
                    events.push(Event::InlineHtml(CowStr::from(anchor_link(&id))));
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite(dest_url, input.link_targets);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite(dest_url, input.link_targets);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                code_block = Some((code_language(&kind), String::new()));
            }
            Event::Text(text) if code_block.is_some() => {
                if let Some((_, code)) = &mut code_block {
                    code.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((language, code)) = code_block.take() {
                    let html = highlighter.highlight(language.as_deref(), &code);
                    events.push(Event::Html(CowStr::from(html)));
                }
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(input.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

fn rewrite<'a>(dest: CowStr<'a>, targets: &HashMap<String, String>) -> CowStr<'a> {
    match targets.get(dest.as_ref()) {
        Some(url) => CowStr::from(url.clone()),
        None => dest,
    }
}

/// The first word of a fence's info string (`rust,ignore` → `rust`).
fn code_language(kind: &CodeBlockKind<'_>) -> Option<String> {
    match kind {
        CodeBlockKind::Fenced(info) => info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .filter(|l| !l.is_empty())
            .map(str::to_string),
        CodeBlockKind::Indented => None,
    }
}

fn anchor_link(id: &str) -> String {
    let mut href = String::new();
    let _ = escape_href(&mut href, id);
    format!(
        " <a class=\"heading-anchor\" href=\"#{href}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HighlightConfig;
    use crate::content::scan::scan;

    fn render(body: &str, targets: &[(&str, &str)]) -> String {
        let highlighter = Highlighter::new(&HighlightConfig::default()).unwrap();
        let scanned = scan(body, 0);
        let targets = targets
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        to_html(
            &MarkdownInput {
                body,
                headings: &scanned.headings,
                link_targets: &targets,
            },
            &highlighter,
        )
    }

    #[test]
    fn headings_get_the_scanned_ids() {
        let html = render("## Set up\n\n## Set up\n", &[]);
        assert!(html.contains("<h2 id=\"set-up\">"), "{html}");
        assert!(html.contains("<h2 id=\"set-up-1\">"), "{html}");
    }

    #[test]
    fn links_are_rewritten() {
        let html = render("[a](../x.md) [b](https://e.org)", &[("../x.md", "/s/x/")]);
        assert!(html.contains("href=\"/s/x/\""), "{html}");
        assert!(html.contains("href=\"https://e.org\""), "{html}");
    }

    #[test]
    fn code_is_highlighted_with_classes_and_unknown_languages_are_plain() {
        let html = render(
            "```rust\nfn main() {}\n```\n\n```nosuchlang\n<b>\n```\n",
            &[],
        );
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn nbsp_and_raw_html_pass_through() {
        let html = render("&nbsp;\n\n<div class=\"x\">hi</div>\n", &[]);
        assert!(html.contains("<p>\u{a0}</p>"), "{html}");
        assert!(html.contains("<div class=\"x\">hi</div>"), "{html}");
    }
}
