//! Raw HTML in a Markdown body, as the scanner reads it: the URLs and
//! targets of its attributes (read by lol_html, as a browser tokenizes HTML,
//! and placed in the source even where a block quote or list strips markers
//! from pulldown-cmark's text), the `srcset` grammar, and the `<pre>`/`<code>`
//! regions whose text is code, not shortcodes or links.

use std::ops::Range;

use super::scan::{LinkRef, Scan};

/// Follows raw HTML for `<pre>` and `<code>` elements, which may span many
/// HTML events (one per line of an HTML block, or tags around inline text),
/// but not the block that holds them: one left unclosed ends with it.
#[derive(Debug, Default)]
pub(super) struct RawCodeTracker {
    open: Option<(usize, &'static str)>,
}

/// Collects the URLs (`href`, `src`, each candidate of `srcset`) and the
/// targets (`id`, `<a name>`) of a piece of raw HTML, read by an HTML
/// tokenizer (lol_html) as a browser reads them: quotes, comments and
/// attribute-like text inside values are what HTML says they are. Character
/// references in values are kept as written (lol_html does not decode them),
/// as the rewriter (`render::raw_html`) looks them up. `source` is the
/// event's source text, which a block quote or list makes differ from `html`.
pub(super) fn html_attributes(html: &str, source: &str, offset: usize, scan: &mut Scan) {
    use lol_html::{element, rewrite_str, RewriteStrSettings};
    let found = std::cell::RefCell::new(Vec::new());
    let settings = RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
        let is_anchor = el.tag_name().eq_ignore_ascii_case("a");
        for attribute in el.attributes() {
            let name = attribute.name();
            let wanted = matches!(name.as_str(), "href" | "src" | "srcset" | "id")
                || (name == "name" && is_anchor);
            if !wanted {
                continue;
            }
            let start = attribute
                .value_source_location()
                .map_or(el.source_location().bytes().start, |loc| loc.bytes().start);
            found.borrow_mut().push((name, attribute.value(), start));
        }
        Ok(())
    }));
    // Fragments of HTML always tokenize; a failure would only lose links.
    let _ = rewrite_str(html, settings);
    for (name, value, start) in found.into_inner() {
        match name.as_str() {
            "id" | "name" => scan.html_ids.push(value),
            "srcset" => {
                let raw = html.get(start..).unwrap_or_default();
                for url in srcset_urls(&value) {
                    let at = raw.find(url).map_or(start, |i| start + i);
                    scan.links.push(LinkRef {
                        dest: url.to_string(),
                        offset: offset + source_position(html, source, at),
                        is_image: true,
                        raw_html: true,
                        defined_at: None,
                    });
                }
            }
            _ => scan.links.push(LinkRef {
                dest: value,
                offset: offset + source_position(html, source, start),
                is_image: name == "src",
                raw_html: true,
                defined_at: None,
            }),
        }
    }
}

/// Where byte `at` of an HTML event's text is in the event's source. They
/// differ inside a block quote or a list: the source's later lines carry
/// `> ` markers or indentation the text lacks. Each line of the text is
/// found in the source in turn; `at` keeps its place within its line.
fn source_position(text: &str, source: &str, at: usize) -> usize {
    if text.len() == source.len() {
        return at;
    }
    let mut searched = 0;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        let found = source[searched..]
            .find(content)
            .map_or(searched, |i| searched + i);
        let line_end = line_start + line.len();
        if at < line_end || line_end == text.len() {
            let position = found + (at - line_start).min(content.len());
            return position.min(source.len());
        }
        searched = found + content.len();
        line_start = line_end;
    }
    at.min(source.len())
}

/// The candidates of a `srcset` as (URL, descriptors): `a.png 1x, b.png 2x`.
/// As HTML parses it ("parse a srcset attribute"): a URL runs to the next
/// white space, so a comma inside it (`x.png?v=1,2`) is part of it; commas
/// that end a URL, and the comma after the descriptors, separate candidates.
pub fn srcset_candidates(srcset: &str) -> Vec<(&str, &str)> {
    let mut candidates = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            return candidates;
        }
        let url_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let url = &rest[..url_end];
        if let Some(url) = url.strip_suffix(',').map(|u| u.trim_end_matches(',')) {
            candidates.push((url, ""));
            rest = &rest[url_end..];
            continue;
        }
        let after = &rest[url_end..];
        let descriptors_end = after.find(',').unwrap_or(after.len());
        candidates.push((url, after[..descriptors_end].trim()));
        rest = &after[descriptors_end..];
    }
}

/// The URLs of a `srcset`, descriptors left out (see [`srcset_candidates`]).
pub fn srcset_urls(srcset: &str) -> impl Iterator<Item = &str> {
    srcset_candidates(srcset).into_iter().map(|(url, _)| url)
}

impl RawCodeTracker {
    pub(super) fn is_open(&self) -> bool {
        self.open.is_some()
    }

    pub(super) fn feed(&mut self, html: &str, offset: usize, protected: &mut Vec<Range<usize>>) {
        let lower = html.to_ascii_lowercase();
        let mut from = 0;
        loop {
            match self.open {
                None => {
                    let next = ["<pre", "<code"]
                        .iter()
                        .filter_map(|tag| lower[from..].find(tag).map(|i| (from + i, *tag)))
                        .min_by_key(|(i, _)| *i);
                    let Some((at, tag)) = next else { return };
                    let close = if tag == "<pre" { "</pre>" } else { "</code>" };
                    self.open = Some((offset + at, close));
                    from = at + tag.len();
                }
                Some((start, close)) => {
                    let Some(at) = lower[from..].find(close) else {
                        return;
                    };
                    let end = from + at + close.len();
                    protected.push(start..offset + end);
                    self.open = None;
                    from = end;
                }
            }
        }
    }

    pub(super) fn finish(&mut self, end: usize, protected: &mut Vec<Range<usize>>) {
        if let Some((start, _)) = self.open.take() {
            protected.push(start..end);
        }
    }
}
