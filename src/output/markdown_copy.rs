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
    let protected = &source.scan.protected;
    let mut edits = link_edits(&source.text, body.clone(), protected, &targets, &page_url);
    if source.scan.links.iter().any(|link| link.raw_html) {
        let owned: HashMap<String, String> = targets
            .iter()
            .map(|(dest, url)| (dest.to_string(), url.clone()))
            .collect();
        edits.extend(raw_html_edits(
            &source.text,
            body.clone(),
            protected,
            &owned,
        ));
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

/// The destinations of the body's links and images that have a target, each
/// replaced by it: inline ones (`](dest`, `](<dest>`) and reference
/// definitions (`[label]: dest`) outside code. A plain scan of the text,
/// not a second Markdown parse: the link checker already read every
/// destination, so only the places it was written are looked for.
fn link_edits(
    text: &str,
    body: Range<usize>,
    protected: &[Range<usize>],
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
    let in_code = |at: usize| protected.iter().any(|r| r.start <= at && at < r.end);
    let mut edits = Edits::new();
    let mut at = body.start;
    while let Some(found) = text[at..body.end].find("](").map(|i| at + i) {
        at = found + 2;
        if in_code(found) {
            continue;
        }
        if let Some((range, dest)) = destination(text, at, body.end) {
            if let Some(url) = target(dest) {
                edits.push((range, url));
            }
        }
    }
    // Reference definitions: `[label]: dest` at the start of a line.
    let mut line_start = body.start;
    while line_start < body.end {
        let line_end = text[line_start..body.end]
            .find('\n')
            .map_or(body.end, |i| line_start + i);
        let line = &text[line_start..line_end];
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent < 4 && line[indent..].starts_with('[') && !in_code(line_start) {
            if let Some(colon) = line.find("]:") {
                let from = line_start + colon + 2;
                let skip = text[from..line_end].len() - text[from..line_end].trim_start().len();
                if let Some((range, dest)) = destination(text, from + skip, line_end) {
                    if let Some(url) = target(dest) {
                        edits.push((range, url));
                    }
                }
            }
        }
        line_start = line_end + 1;
    }
    edits
}

/// The destination written at `at`: `<dest>` or a run without spaces whose
/// parentheses balance (CommonMark's two forms), with its range.
fn destination(text: &str, at: usize, end: usize) -> Option<(Range<usize>, &str)> {
    let rest = &text[at..end];
    if let Some(inner) = rest.strip_prefix('<') {
        let close = inner.find(['>', '\n'])?;
        let range = at + 1..at + 1 + close;
        return Some((range.clone(), &text[range]));
    }
    let mut depth = 0usize;
    let mut len = rest.len();
    for (i, c) in rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                len = i;
                break;
            }
            ')' => depth -= 1,
            c if c.is_whitespace() => {
                len = i;
                break;
            }
            _ => {}
        }
    }
    (len > 0).then(|| (at..at + len, &text[at..at + len]))
}

/// The tags of raw HTML outside code whose `href`, `src` or `srcset` has a
/// target, each rewritten as the page's HTML is ([`crate::render::rewrite_urls`]).
fn raw_html_edits(
    text: &str,
    body: Range<usize>,
    protected: &[Range<usize>],
    targets: &HashMap<String, String>,
) -> Edits {
    let in_code = |at: usize| protected.iter().any(|r| r.start <= at && at < r.end);
    let mut edits = Edits::new();
    let mut at = body.start;
    while let Some(open) = text[at..body.end].find('<').map(|i| at + i) {
        at = open + 1;
        let starts_tag = text[at..].starts_with(|c: char| c.is_ascii_alphabetic());
        if !starts_tag || in_code(open) {
            continue;
        }
        let Some(close) = text[at..body.end].find('>').map(|i| at + i) else {
            break;
        };
        let tag = &text[open..=close];
        if tag.contains("href") || tag.contains("src") {
            let rewritten = crate::render::rewrite_urls(tag, targets);
            if rewritten != tag {
                edits.push((open..close + 1, rewritten));
            }
        }
        at = close + 1;
    }
    edits
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
                        quote.push_str(format!("> {line}").trim_end());
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
