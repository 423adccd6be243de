//! One pulldown-cmark pass over each article at load time.
//!
//! It collects what later stages need before anything is rendered: headings with
//! their final ids (for the table of contents and `#anchor` checks) and link
//! destinations with their byte offsets (for resolution and diagnostics). The
//! render stage parses with the same [`parser_options`] and takes the ids from here,
//! so the ids in the page and the ids links are checked against are the same.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

/// How deep Markdown elements may nest (block quotes, lists, emphasis, links,
/// all counted together), as markdown-it's default `maxNesting`. pulldown-cmark
/// itself copes with a line of a million `>`, but the page it gives is a million
/// nested elements that the search indexer and browsers take minutes over.
pub const MAX_MARKDOWN_NESTING: usize = 100;

/// The Markdown dialect of kbgen, shared by scanning and rendering.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Byte offset of the heading in the file's normalized text; rendering finds
    /// a heading's id by it, however the body is split up around shortcodes.
    pub offset: usize,
    /// 1 to 6.
    pub level: u8,
    /// The heading's text, without markup.
    pub text: String,
    /// The unique id of the heading in its page.
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub dest: String,
    /// Byte offset of the link in the file's normalized text.
    pub offset: usize,
    pub is_image: bool,
    /// An `href`/`src` in raw HTML: checked, but left as written.
    pub raw_html: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    /// Code spans, code blocks and raw `<pre>`/`<code>` HTML, as byte ranges of
    /// the file: shortcodes are never looked for inside them.
    pub protected: Vec<Range<usize>>,
    /// Offsets of Markdown images with empty alt text.
    pub images_without_alt: Vec<usize>,
    /// `id="…"` attributes in raw HTML, which links may point at as anchors.
    pub html_ids: Vec<String>,
    /// Shortcode calls outside the protected ranges, filled in by the loader.
    pub shortcodes: Vec<super::shortcodes::ShortcodeCall>,
    /// The offset of the first element nested deeper than [`MAX_MARKDOWN_NESTING`].
    pub too_deep: Option<usize>,
}

/// A heading being read: where it starts, its level, its `{#id}`, its text.
type OpenHeading = (usize, u8, Option<String>, String);

/// Scans a Markdown body that starts at byte `body_offset` of its file.
pub fn scan(body: &str, body_offset: usize) -> Scan {
    let mut scan = Scan::default();
    let mut ids = HeadingIds::default();
    let mut open_heading: Option<OpenHeading> = None;
    let mut raw_code = RawCodeTracker::default();
    let mut open_image: Option<(usize, String)> = None;
    let mut depth = 0;
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        let absolute = body_offset + range.start..body_offset + range.end;
        match &event {
            Event::Start(_) => {
                depth += 1;
                if depth > MAX_MARKDOWN_NESTING && scan.too_deep.is_none() {
                    scan.too_deep = Some(absolute.start);
                }
            }
            Event::End(_) => depth -= 1,
            _ => {}
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let explicit = id.map(|s| s.to_string());
                open_heading = Some((absolute.start, level_number(level), explicit, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((offset, level, explicit, text)) = open_heading.take() {
                    let id = ids.assign(explicit.as_deref(), &text);
                    scan.headings.push(Heading {
                        offset,
                        level,
                        text,
                        id,
                    });
                }
            }
            Event::Start(Tag::CodeBlock(_)) => scan.protected.push(absolute),
            Event::Code(t) => {
                scan.protected.push(absolute);
                if let Some((_, _, _, text)) = &mut open_heading {
                    text.push_str(&t);
                }
            }
            Event::Text(t) => {
                if let Some((_, _, _, text)) = &mut open_heading {
                    text.push_str(&t);
                }
                if let Some((_, alt)) = &mut open_image {
                    alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((offset, alt)) = open_image.take() {
                    if alt.trim().is_empty() {
                        scan.images_without_alt.push(offset);
                    }
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if !raw_code.is_open() {
                    html_attributes(&html, absolute.start, &mut scan);
                }
                raw_code.feed(&html, absolute.start, &mut scan.protected);
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => {}
            Event::Start(Tag::Link { dest_url, .. }) => scan.links.push(LinkRef {
                dest: dest_url.to_string(),
                offset: absolute.start,
                is_image: false,
                raw_html: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => {
                open_image = Some((absolute.start, String::new()));
                scan.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    offset: absolute.start,
                    is_image: true,
                    raw_html: false,
                });
            }
            _ => {}
        }
    }
    raw_code.finish(body_offset + body.len(), &mut scan.protected);
    scan.protected.sort_by_key(|r| r.start);
    scan
}

/// Follows raw HTML for `<pre>` and `<code>` elements, which may span many
/// HTML events (one per line of an HTML block, or tags around inline text).
#[derive(Debug, Default)]
struct RawCodeTracker {
    open: Option<(usize, &'static str)>,
}

/// Collects `href`, `src` and `id` attributes from a piece of raw HTML.
fn html_attributes(html: &str, offset: usize, scan: &mut Scan) {
    let bytes = html.as_bytes();
    for (at, _) in html.match_indices('=') {
        let name_start = html[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |i| i + 1);
        if name_start == 0 || !bytes[name_start - 1].is_ascii_whitespace() {
            continue;
        }
        let name = html[name_start..at].to_ascii_lowercase();
        if !matches!(name.as_str(), "href" | "src" | "id") {
            continue;
        }
        let Some((value_start, value)) = attribute_value(html, at + 1) else {
            continue;
        };
        match name.as_str() {
            "id" => scan.html_ids.push(value.to_string()),
            _ => scan.links.push(LinkRef {
                dest: value.to_string(),
                offset: offset + value_start,
                is_image: name == "src",
                raw_html: true,
            }),
        }
    }
}

/// The value after `=`: quoted with `"` or `'`, or bare up to a space or `>`.
fn attribute_value(html: &str, start: usize) -> Option<(usize, &str)> {
    let rest = &html[start..];
    match rest.chars().next()? {
        quote @ ('"' | '\'') => {
            let end = rest[1..].find(quote)?;
            Some((start + 1, &rest[1..1 + end]))
        }
        _ => {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(rest.len());
            Some((start, &rest[..end]))
        }
    }
}

impl RawCodeTracker {
    fn is_open(&self) -> bool {
        self.open.is_some()
    }

    fn feed(&mut self, html: &str, offset: usize, protected: &mut Vec<Range<usize>>) {
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

    fn finish(&mut self, end: usize, protected: &mut Vec<Range<usize>>) {
        if let Some((start, _)) = self.open.take() {
            protected.push(start..end);
        }
    }
}

pub fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Hands out GitHub-style heading ids, unique within one page.
#[derive(Debug, Default)]
pub struct HeadingIds {
    used: HashSet<String>,
    /// Base id → the suffix to try next for it. Every suffix below was taken
    /// when it was tried, and taken ids stay taken, so a page of n equal
    /// headings costs n tries, not n²/2.
    next_suffix: HashMap<String, usize>,
}

impl HeadingIds {
    /// The id for a heading: the explicit `{#id}` if given, else the GitHub slug of
    /// its text, with `-1`, `-2`, … appended to repeats (the first free one).
    pub fn assign(&mut self, explicit: Option<&str>, text: &str) -> String {
        if let Some(id) = explicit {
            self.used.insert(id.to_string());
            return id.to_string();
        }
        let base = github_heading_id(text);
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(0);
        let id = loop {
            let candidate = if n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            n += 1;
            if self.used.insert(candidate.clone()) {
                break candidate;
            }
        };
        self.next_suffix.insert(base, n);
        id
    }
}

/// GitHub's anchor for a heading: lower-cased, letters, digits, `-` and `_` kept,
/// spaces turned into `-`, everything else dropped (`Europe & Africa` → `europe--africa`).
pub fn github_heading_id(text: &str) -> String {
    let id: String = text
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect();
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_ids_and_repeats() {
        let s = scan(
            "## Europe and Africa\n\n## Europe and Africa\n\n### `Code` & more\n",
            0,
        );
        let ids: Vec<_> = s.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["europe-and-africa", "europe-and-africa-1", "code--more"]
        );
        assert_eq!(s.headings[2].level, 3);
        assert_eq!(s.headings[2].text, "Code & more");
    }

    #[test]
    fn explicit_ids_win_and_reserve_their_name() {
        let s = scan("## Setup {#install}\n\n## Install\n", 0);
        let ids: Vec<_> = s.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["install", "install-1"]);
    }

    #[test]
    fn repeats_skip_ids_taken_by_explicit_ids_and_by_other_headings() {
        let s = scan(
            "## A\n\n## B {#a-1}\n\n## A\n\n## A 2\n\n## A\n\n## A-3\n\n## A\n\n## A\n",
            0,
        );
        let ids: Vec<_> = s.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["a", "a-1", "a-2", "a-2-1", "a-3", "a-3-1", "a-4", "a-5"]
        );
    }

    #[test]
    fn code_and_raw_pre_are_protected() {
        let body = "a `x` b\n\n```\ncode\n```\n\n<pre>\n{{ y() }}\n</pre>\n\nc <code>z</code> d\n";
        let s = scan(body, 0);
        let texts: Vec<&str> = s.protected.iter().map(|r| &body[r.clone()]).collect();
        assert_eq!(
            texts,
            [
                "`x`",
                "```\ncode\n```",
                "<pre>\n{{ y() }}\n</pre>",
                "<code>z</code>"
            ]
        );
    }

    #[test]
    fn raw_html_links_and_ids_are_collected() {
        let body = "<div id=\"box\"><a href='../x.md' class=a>x</a> <img src=/i.png></div>\n";
        let s = scan(body, 10);
        assert_eq!(s.html_ids, ["box"]);
        let links: Vec<(&str, usize, bool)> = s
            .links
            .iter()
            .map(|l| (l.dest.as_str(), l.offset, l.raw_html))
            .collect();
        assert_eq!(
            links,
            [("../x.md", 10 + 23, true), ("/i.png", 10 + 55, true)]
        );
    }

    #[test]
    fn nesting_past_the_limit_is_found_at_the_first_element_too_deep() {
        let s = scan(&format!("{} x\n", ">".repeat(1000)), 10);
        assert_eq!(s.too_deep, Some(10 + MAX_MARKDOWN_NESTING));
        let s = scan(&format!("{} x\n", ">".repeat(MAX_MARKDOWN_NESTING - 1)), 0);
        assert_eq!(s.too_deep, None);
    }

    #[test]
    fn links_keep_their_offset_in_the_file() {
        let body = "See [x](a.md) and ![i](img/p.png).\n";
        let s = scan(body, 100);
        assert_eq!(s.links.len(), 2);
        assert_eq!(s.links[0].dest, "a.md");
        assert_eq!(s.links[0].offset, 104);
        assert!(s.links[1].is_image);
    }
}
