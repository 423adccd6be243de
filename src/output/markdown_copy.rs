//! The Markdown copy of an article, for machines (`/section/slug/index.md`,
//! and each entry of `llms-full.txt`): the author's Markdown as written, with
//! what only kbgen can read made plain.
//!
//! The copy starts with the title as an `# H1` and the description as a
//! quote, then the body. Shortcodes become plain Markdown: `callout` a quote
//! led by its type and title, `kbd` code (`` `Ctrl+S` ``), `ui` bold steps
//! joined by `›`; any other shortcode its body, or for an inline call its
//! text arguments (the rule headings use, [`call_text`]). Escaped tags
//! (`{{/* x() */}}`) show the tag they spell. Every link and image the link
//! checker resolved points at its absolute URL (`base_url`'s origin; the
//! site path without one), `#anchors` at the page's URL, so the copy reads
//! the same wherever it is pasted. Everything else, code included, is left
//! byte for byte as the author wrote it.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use crate::content::scan::parser_options;
use crate::content::shortcodes::{call_text, unescape, ArgValue, ShortcodeCall};
use crate::render::machines::absolute_url as absolute;
use crate::site::{ArticleId, Site};

/// The Markdown copy of article `id` (see the module docs).
pub fn article_markdown(site: &Site, id: ArticleId) -> String {
    let article = &site.articles[id];
    let source = &article.source.source;
    let front = &article.source.front;
    let page_url = absolute(site, &site.url(&article.path));
    let targets: HashMap<&str, String> = article
        .link_targets
        .iter()
        .map(|(dest, url)| (dest.as_str(), absolute(site, url)))
        .collect();
    let body = source.body_start..source.text.len();
    let mut edits = link_edits(&source.text, body.clone(), &targets, &page_url);
    if source.scan.links.iter().any(|link| link.raw_html) {
        let owned: HashMap<String, String> = targets
            .iter()
            .map(|(dest, url)| (dest.to_string(), url.clone()))
            .collect();
        edits.extend(raw_html_edits(&source.text, body.clone(), &owned));
    }
    edits.sort_by_key(|(range, _)| range.start);
    let text = &source.text;
    let copy = Copy {
        text,
        edits: &edits,
    };
    let mut markdown = format!("# {}\n", front.title.trim());
    if let Some(description) = front
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        markdown.push('\n');
        for line in description.trim().lines() {
            markdown.push_str(&format!("> {line}\n"));
        }
    }
    let body_text = copy.region(body, &source.scan.shortcodes, &source.scan.escapes);
    let body_text = body_text.trim_matches('\n');
    if !body_text.is_empty() {
        markdown.push('\n');
        markdown.push_str(body_text);
        markdown.push('\n');
    }
    markdown
}

/// Replacements in the file's text: byte range → new text.
type Edits = Vec<(Range<usize>, String)>;

/// The destinations of the body's links and images (inline, and reference
/// definitions) that have a target, each replaced by it. A destination that
/// cannot be found as written in its link (rare escapes) is left alone.
fn link_edits(
    text: &str,
    body: Range<usize>,
    targets: &HashMap<&str, String>,
    page_url: &str,
) -> Edits {
    let target = |dest: &str| -> Option<String> {
        match targets.get(dest) {
            Some(url) if url.starts_with('#') => Some(format!("{page_url}{url}")),
            Some(url) => Some(url.clone()),
            None if dest.starts_with('#') && dest.len() > 1 => Some(format!("{page_url}{dest}")),
            None => None,
        }
    };
    let start = body.start;
    let mut edits = Edits::new();
    let parser = Parser::new_ext(&text[body], parser_options());
    let definitions: Vec<(Range<usize>, String)> = parser
        .reference_definitions()
        .iter()
        .map(|(_, def)| (def.span.clone(), def.dest.to_string()))
        .collect();
    for (event, range) in parser.into_offset_iter() {
        let (Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url,
            ..
        })
        | Event::Start(Tag::Image {
            link_type: LinkType::Inline,
            dest_url,
            ..
        })) = event
        else {
            continue;
        };
        let range = range.start + start..range.end + start;
        if let Some(url) = target(&dest_url) {
            edits.extend(dest_edit(text, range, "](", &dest_url, url));
        }
    }
    for (span, dest) in definitions {
        if let Some(url) = target(&dest) {
            let span = span.start + start..span.end + start;
            edits.extend(dest_edit(text, span, "]:", &dest, url));
        }
    }
    edits
}

/// Where `dest` is written in `range` after its `marker` (`](` or `]:`).
fn dest_edit(
    text: &str,
    range: Range<usize>,
    marker: &str,
    dest: &str,
    url: String,
) -> Option<(Range<usize>, String)> {
    let written = &text[range.clone()];
    let after = written.rfind(marker)? + marker.len();
    let rest = &written[after..];
    let skipped = rest.len() - rest.trim_start().len();
    let rest = rest.trim_start();
    let (offset, url) = match rest.strip_prefix('<') {
        Some(inner) if inner.starts_with(dest) => (1, format!("{url}")),
        _ if rest.starts_with(dest) => (0, url),
        _ => return None,
    };
    let at = range.start + after + skipped + offset;
    Some((at..at + dest.len(), url))
}

/// Raw HTML blocks and inline tags of the body whose URLs have targets,
/// rewritten as the page's HTML is ([`crate::render::rewrite_urls`]).
fn raw_html_edits(text: &str, body: Range<usize>, targets: &HashMap<String, String>) -> Edits {
    let start = body.start;
    Parser::new_ext(&text[body], parser_options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                let rewritten = crate::render::rewrite_urls(&html, targets);
                (rewritten != html.as_ref()).then(|| {
                    // A block's event is one line of it: the range is the line.
                    let written = &text[range.start + start..range.end + start];
                    let at = written.find(html.as_ref()).unwrap_or(0);
                    let from = range.start + start + at;
                    (from..from + html.len(), rewritten)
                })
            }
            _ => None,
        })
        .filter(|(range, _)| text.get(range.clone()).is_some())
        .collect()
}

/// The file's text with its edits, region by region.
struct Copy<'a> {
    text: &'a str,
    /// Sorted by start; none overlaps another.
    edits: &'a [(Range<usize>, String)],
}

impl Copy<'_> {
    /// `range` of the text with the calls in it expanded, escapes shown as
    /// the tags they spell, and the edits outside calls applied.
    fn region(
        &self,
        range: Range<usize>,
        calls: &[ShortcodeCall],
        escapes: &[Range<usize>],
    ) -> String {
        let mut pieces: Vec<(Range<usize>, String)> = Vec::new();
        for call in calls {
            pieces.push((call.range.clone(), self.call(call)));
        }
        for escape in escapes {
            pieces.push((escape.clone(), unescape(&self.text[escape.clone()])));
        }
        let inside = |at: &Range<usize>| {
            pieces
                .iter()
                .any(|(p, _)| p.start <= at.start && at.end <= p.end)
        };
        let edits: Vec<(Range<usize>, String)> = self
            .edits
            .iter()
            .filter(|(r, _)| range.start <= r.start && r.end <= range.end && !inside(r))
            .cloned()
            .collect();
        pieces.extend(edits);
        pieces.sort_by_key(|(r, _)| r.start);
        let mut out = String::with_capacity(range.len());
        let mut at = range.start;
        for (piece, replacement) in pieces {
            if piece.start < at {
                continue;
            }
            out.push_str(&self.text[at..piece.start]);
            out.push_str(&replacement);
            at = piece.end;
        }
        out.push_str(&self.text[at..range.end]);
        out
    }

    /// A shortcode call as plain Markdown (see the module docs).
    fn call(&self, call: &ShortcodeCall) -> String {
        let body = call
            .body
            .clone()
            .map(|body| self.region(body, &call.children, &call.escapes));
        let arg = |name: &str| {
            call.args
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value)
        };
        let words = |value: Option<&ArgValue>| -> Vec<String> {
            match value {
                Some(ArgValue::Str(text)) => vec![text.clone()],
                Some(ArgValue::Array(items)) => items
                    .iter()
                    .filter_map(|item| match item {
                        ArgValue::Str(text) => Some(text.clone()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            }
        };
        match (call.name.as_str(), body) {
            ("callout", body) => {
                let kind = words(arg("type")).pop().unwrap_or_else(|| "info".into());
                let mut label = capitalized(&kind);
                if let Some(title) = words(arg("title")).pop().filter(|t| !t.is_empty()) {
                    label = format!("{label}: {title}");
                }
                let mut quote = format!("\n> **{label}**\n");
                let body = body.unwrap_or_default();
                let body = body.trim_matches('\n');
                if !body.is_empty() {
                    quote.push_str(">\n");
                    for line in body.lines() {
                        quote.push_str(&format!("> {line}").trim_end().to_string());
                        quote.push('\n');
                    }
                }
                quote
            }
            ("kbd", None) => {
                let mut keys = words(arg("keys"));
                keys.extend(words(arg("key")));
                format!("`{}`", keys.join("+"))
            }
            ("ui", None) => {
                let steps: Vec<String> = words(arg("path"))
                    .iter()
                    .flat_map(|path| path.split('>').map(|s| s.trim().to_string()))
                    .filter(|s| !s.is_empty())
                    .collect();
                format!("**{}**", steps.join(" › "))
            }
            (_, Some(body)) => body,
            (_, None) => call_text(call),
        }
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
