//! Markdown to HTML for one article or section body, shortcodes included.
//!
//! Shortcode calls were found by the loader; here the page is laid out as the
//! loader laid it out to find its headings ([`Layout`]: each call a placeholder,
//! a body without its container's indentation or `>`), rendered in one
//! pulldown-cmark pass, and the placeholders are swapped for the shortcodes'
//! HTML; a block call takes the place of the paragraph around its placeholder.
//! A body shortcode's body is rendered the same way first, so it can hold lists,
//! code and nested shortcodes. During the pass, headings get the ids the loader
//! chose (found by their offset in the file, so anchors match what links were
//! checked against), footnotes get ids of their own namespace, link and image
//! destinations are rewritten to final URLs, code blocks go to the
//! [`highlight::Highlighter`], and GitHub alerts (`> [!NOTE]`) are rendered through
//! the `callout` shortcode. Raw HTML passes through untouched.

pub mod highlight;
pub mod highlight_cache;
pub mod languages;

use std::collections::HashMap;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::content::layout::Layout;
use crate::content::scan::{fence_language, footnote_id, parser_options, HeadingIds};
use crate::content::shortcodes::{ArgValue, ShortcodeCall};
use crate::content::SourceText;
use crate::diagnostics::Diagnostic;
use highlight::Highlighter;

/// Renders shortcode templates; implemented by the render stage with Tera.
pub trait ShortcodeRenderer {
    /// The HTML of one call; `body` is the rendered body of a `{% %}` call.
    /// An error is a message, reported at the call.
    fn render(
        &self,
        name: &str,
        args: &[(String, ArgValue)],
        body: Option<&str>,
    ) -> Result<String, String>;

    /// The title of a GitHub alert's callout, by the alert's kind in lower
    /// case (`note`, `tip`, `important`, `warning`, `caution`): English
    /// unless the renderer knows the page's language.
    fn alert_title(&self, kind: &str) -> String {
        let mut title = kind.to_string();
        if let Some(first) = title.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        title
    }
}

/// What rendering a body needs besides the highlighter and shortcodes.
pub struct MarkdownInput<'a> {
    pub source: &'a SourceText,
    /// Link destination as written → URL to write instead.
    pub link_targets: &'a HashMap<String, String>,
}

/// Renders the body of `input.source` to HTML, with the problems met on the way.
pub fn to_html(
    input: &MarkdownInput<'_>,
    highlighter: &Highlighter,
    shortcodes: &dyn ShortcodeRenderer,
) -> (String, Vec<Diagnostic>) {
    let source = input.source;
    let mut renderer = BodyRenderer {
        source,
        link_targets: input.link_targets,
        highlighter,
        shortcodes,
        heading_ids: source
            .scan
            .headings
            .iter()
            .map(|h| (h.offset, h.id.as_str()))
            .collect(),
        fallback_ids: HeadingIds::default(),
        footnotes: HashMap::new(),
        problems: Vec::new(),
    };
    let layout = Layout::page(
        &source.text,
        source.body_start..source.text.len(),
        &source.scan.shortcodes,
        &source.scan.escapes,
    );
    let html = renderer.fragment(&layout);
    (html, renderer.problems)
}

struct BodyRenderer<'a> {
    source: &'a SourceText,
    link_targets: &'a HashMap<String, String>,
    highlighter: &'a Highlighter,
    shortcodes: &'a dyn ShortcodeRenderer,
    /// Heading offset in the file → id.
    heading_ids: HashMap<usize, &'a str>,
    fallback_ids: HeadingIds,
    /// Footnote id → its number, in the order footnotes are first met.
    footnotes: HashMap<String, usize>,
    problems: Vec<Diagnostic>,
}

impl BodyRenderer<'_> {
    /// Renders a laid-out page or body.
    fn fragment(&mut self, layout: &Layout<'_>) -> String {
        let text = &self.source.text;
        let mut html = self.markdown(layout);
        for slot in &layout.slots {
            let body = Layout::body(text, slot.call, layout.salt());
            let call_html = self.call(slot.call, body.as_ref());
            if slot.block {
                html = html.replace(&format!("<p>{}</p>\n", slot.token), &call_html);
            }
            html = html.replace(&slot.token, &call_html);
        }
        html
    }

    /// The HTML of one call, its body rendered first.
    fn call(&mut self, call: &ShortcodeCall, body: Option<&Layout<'_>>) -> String {
        let body = body.map(|body| self.fragment(body));
        match self
            .shortcodes
            .render(&call.name, &call.args, body.as_deref())
        {
            // An inline call sits inside a line of text: no stray line breaks.
            Ok(html) if body.is_none() => html.trim().to_string(),
            Ok(html) => html,
            Err(message) => {
                self.problem(call.range.start, message);
                String::new()
            }
        }
    }

    fn problem(&mut self, offset: usize, message: String) {
        let diagnostic = Diagnostic::error("shortcode", &self.source.path, message);
        self.problems.push(self.source.place(diagnostic, offset));
    }

    /// One pulldown-cmark pass over laid-out Markdown.
    fn markdown(&mut self, layout: &Layout<'_>) -> String {
        let fragment = layout.markdown.as_str();
        let mut events: Vec<Event<'_>> = Vec::new();
        let mut code_block: Option<(Option<String>, String)> = None;
        let mut open_heading_id: Option<String> = None;
        let mut alerts: Vec<(usize, BlockQuoteKind, usize)> = Vec::new();
        for (event, range) in Parser::new_ext(fragment, parser_options()).into_offset_iter() {
            match event {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    let file_offset = layout.file_offset(range.start);
                    let id = match self.heading_ids.get(&file_offset) {
                        Some(id) => id.to_string(),
                        None => self
                            .fallback_ids
                            .assign(id.as_deref(), &file_offset.to_string()),
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
                    let dest_url = rewrite(dest_url, self.link_targets);
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
                    let dest_url = rewrite(dest_url, self.link_targets);
                    events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    code_block = Some((fence_language(&kind).map(str::to_string), String::new()));
                }
                Event::Text(text) if code_block.is_some() => {
                    if let Some((_, code)) = &mut code_block {
                        code.push_str(&text);
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((language, code)) = code_block.take() {
                        let html = self.highlighter.highlight(language.as_deref(), &code);
                        events.push(Event::Html(CowStr::from(html)));
                    }
                }
                Event::FootnoteReference(label) => {
                    let html = self.footnote_reference(&label);
                    events.push(Event::InlineHtml(CowStr::from(html)));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let html = self.footnote_definition(&label);
                    events.push(Event::Html(CowStr::from(html)));
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    events.push(Event::Html(CowStr::from("</div>\n")));
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    alerts.push((events.len(), kind, layout.file_offset(range.start)));
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => {
                    if let Some((start, kind, offset)) = alerts.pop() {
                        let mut inner = String::new();
                        pulldown_cmark::html::push_html(&mut inner, events.drain(start..));
                        let html = self.alert(kind, &inner, offset);
                        events.push(Event::Html(CowStr::from(html)));
                    }
                }
                other => events.push(other),
            }
        }
        let mut html = String::with_capacity(fragment.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }

    /// The number of a footnote, given in the order footnotes are first met
    /// (as pulldown-cmark numbers them), and its note's id.
    fn footnote(&mut self, label: &str) -> (usize, String) {
        let id = footnote_id(label);
        let next = self.footnotes.len() + 1;
        let number = *self.footnotes.entry(id.clone()).or_insert(next);
        (number, id)
    }

    /// A footnote marker, linking to the note's id.
    fn footnote_reference(&mut self, label: &str) -> String {
        let (number, id) = self.footnote(label);
        let mut href = String::new();
        let _ = escape_href(&mut href, &id);
        format!("<sup class=\"footnote-reference\"><a href=\"#{href}\">{number}</a></sup>")
    }

    /// The opening of a footnote's note, with its id.
    fn footnote_definition(&mut self, label: &str) -> String {
        let (number, id) = self.footnote(label);
        let mut escaped = String::new();
        let _ = escape_html(&mut escaped, &id);
        format!(
            "<div class=\"footnote-definition\" id=\"{escaped}\"><sup class=\"footnote-definition-label\">{number}</sup>"
        )
    }

    /// A GitHub alert, rendered by the `callout` shortcode so both look the same.
    fn alert(&mut self, kind: BlockQuoteKind, body: &str, offset: usize) -> String {
        let (callout_type, alert) = match kind {
            BlockQuoteKind::Note => ("info", "note"),
            BlockQuoteKind::Tip => ("tip", "tip"),
            BlockQuoteKind::Important => ("info", "important"),
            BlockQuoteKind::Warning => ("warning", "warning"),
            BlockQuoteKind::Caution => ("danger", "caution"),
        };
        let args = [
            ("type".to_string(), ArgValue::Str(callout_type.to_string())),
            (
                "title".to_string(),
                ArgValue::Str(self.shortcodes.alert_title(alert)),
            ),
        ];
        match self.shortcodes.render("callout", &args, Some(body)) {
            Ok(html) => html,
            Err(message) => {
                self.problem(offset, message);
                String::new()
            }
        }
    }
}

fn rewrite<'a>(dest: CowStr<'a>, targets: &HashMap<String, String>) -> CowStr<'a> {
    match targets.get(dest.as_ref()) {
        Some(url) => CowStr::from(url.clone()),
        None => dest,
    }
}

fn anchor_link(id: &str) -> String {
    let mut href = String::new();
    let _ = escape_href(&mut href, id);
    format!(
        " <a class=\"heading-anchor\" href=\"#{href}\" aria-hidden=\"true\" tabindex=\"-1\" data-pagefind-ignore>#</a>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HighlightConfig;
    use crate::content::scan::scan;
    use crate::content::shortcodes;
    use std::path::PathBuf;

    /// Renders shortcodes as `[name a=1|body]` so tests can see what arrived.
    struct Echo;

    impl ShortcodeRenderer for Echo {
        fn render(
            &self,
            name: &str,
            args: &[(String, ArgValue)],
            body: Option<&str>,
        ) -> Result<String, String> {
            if name == "broken" {
                return Err("it broke".to_string());
            }
            let args: Vec<String> = args.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
            Ok(match body {
                Some(body) => format!(
                    "<div class=\"sc\">[{name} {}|{}]</div>\n",
                    args.join(" "),
                    body.trim()
                ),
                None => format!("<kbd>[{name} {}]</kbd>", args.join(" ")),
            })
        }
    }

    fn render(body: &str, targets: &[(&str, &str)]) -> (String, Vec<Diagnostic>) {
        let highlighter = Highlighter::new(&HighlightConfig::default()).unwrap();
        let mut scanned = scan(body, 0);
        let (calls, errors) = shortcodes::find(body, 0, &scanned.protected);
        assert!(errors.is_empty(), "{errors:?}");
        scanned.shortcodes = calls;
        crate::content::scan::settle_headings(body, 0, &mut scanned);
        let source = SourceText {
            path: PathBuf::from("a.md"),
            text: body.to_string(),
            body_start: 0,
            scan: scanned,
            text_hash: 0,
            words: 0,
            map: None,
        };
        let targets = targets
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        to_html(
            &MarkdownInput {
                source: &source,
                link_targets: &targets,
            },
            &highlighter,
            &Echo,
        )
    }

    fn html(body: &str) -> String {
        let (html, problems) = render(body, &[]);
        assert!(problems.is_empty(), "{problems:?}");
        html
    }

    #[test]
    fn headings_get_the_scanned_ids() {
        let html = html("## Set up\n\n## Set up\n");
        assert!(html.contains("<h2 id=\"set-up\">"), "{html}");
        assert!(html.contains("<h2 id=\"set-up-1\">"), "{html}");
    }

    #[test]
    fn links_are_rewritten() {
        let (html, _) = render("[a](../x.md) [b](https://e.org)", &[("../x.md", "/s/x/")]);
        assert!(html.contains("href=\"/s/x/\""), "{html}");
        assert!(html.contains("href=\"https://e.org\""), "{html}");
    }

    #[test]
    fn code_is_highlighted_with_classes_and_unknown_languages_are_plain() {
        let html = html("```rust\nfn main() {}\n```\n\n```nosuchlang\n<b>\n```\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn nbsp_and_raw_html_pass_through() {
        let html = html("&nbsp;\n\n<div class=\"x\">hi</div>\n");
        assert!(html.contains("<p>\u{a0}</p>"), "{html}");
        assert!(html.contains("<div class=\"x\">hi</div>"), "{html}");
    }

    #[test]
    fn inline_shortcode_stays_inside_its_paragraph() {
        let html = html("Press {{ kbd(key=\"*b*\") }} now.\n");
        assert_eq!(
            html,
            "<p>Press <kbd>[kbd key=Str(\"*b*\")]</kbd> now.</p>\n"
        );
    }

    #[test]
    fn body_shortcode_gets_rendered_markdown_and_replaces_its_paragraph() {
        let html = html("Intro\n{% note(t=1) %}\n- item with [link](x.md)\n\n```rust\nfn f() {}\n```\n{% end %}\nAfter\n");
        assert!(
            html.starts_with("<p>Intro</p>\n<div class=\"sc\">[note t=Int(1)|<ul>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"x.md\">link</a>"), "{html}");
        assert!(html.contains("hl-code"), "{html}");
        assert!(html.ends_with("</div>\n<p>After</p>\n"), "{html}");
    }

    #[test]
    fn headings_inside_bodies_keep_their_ids() {
        let html = html("## Same\n\n{% note() %}\n## Same\n{% end %}\n\n## Same\n");
        let ids: Vec<&str> = html
            .match_indices("id=\"")
            .map(|(i, _)| &html[i + 4..i + 10])
            .collect();
        assert_eq!(ids, ["same\">", "same-1", "same-2"], "{html}");
    }

    #[test]
    fn shortcode_inside_a_list_item_stays_in_the_list() {
        let html = html("1. Step\n\n   {% note() %}\n   Careful\n   {% end %}\n\n2. Next\n");
        assert!(
            html.contains("<li>\n<p>Step</p>\n<div class=\"sc\">"),
            "{html}"
        );
        assert_eq!(html.matches("<ol>").count(), 1, "{html}");
    }

    #[test]
    fn shortcode_errors_are_reported_at_the_call() {
        let (_, problems) = render("text\n\n{{ broken() }}\n", &[]);
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (3, 1));
        assert_eq!(problems[0].message, "it broke");
    }

    #[test]
    fn github_alerts_go_through_the_callout_shortcode() {
        let html = html("> [!WARNING]\n> Back up first.\n");
        assert_eq!(
            html,
            "<div class=\"sc\">[callout type=Str(\"warning\") title=Str(\"Warning\")|<p>Back up first.</p>]</div>\n"
        );
    }
}
