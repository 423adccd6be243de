//! One pulldown-cmark pass over each article at load time.
//!
//! It collects what later stages need before anything is rendered: headings with
//! their final ids (for the table of contents and `#anchor` checks) and link
//! destinations with their byte offsets (for resolution and diagnostics).
//!
//! What a heading is gets decided once, here: when a page has shortcodes,
//! [`settle_headings`] reads its headings again from the Markdown the renderer
//! will parse (the page's [`Layout`], bodies included), so a heading that ends
//! up in code is no anchor and one inside a callout is; an inline shortcode in
//! a heading counts as its [`call_text`]. Ids are unique in the whole page: the
//! theme's own ids, raw-HTML ids and footnotes are taken first, then explicit
//! `{#id}`s, then GitHub slugs in document order. The render stage parses with
//! the same [`parser_options`] and takes the ids from here (by file offset), and
//! the table of contents and the link checker read them too, so none of them can
//! disagree with the page. Raw HTML's attributes and code regions are read by
//! `content::raw_html`.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use super::layout::Layout;
use super::raw_html::{html_attributes, RawCodeTracker};
pub use super::raw_html::{srcset_candidates, srcset_urls};
use super::shortcodes::call_text;

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
        | Options::ENABLE_DEFINITION_LIST
}

/// The ids the embedded theme's templates give their own elements (`<main
/// id="main">`, the boxes' titles, the search box): no content id may take
/// one. A test keeps this list equal to the ids in `templates/`.
pub const THEME_IDS: &[&str] = &[
    "main",
    "toc-title",
    "related-title",
    "backlinks-title",
    "category-list-title",
    "articles-title",
    "home-articles-title",
    "recent-title",
    "sections",
    "site-search-input",
    "search-page-input",
    "search-results",
];

/// The id of a footnote's note: footnotes have a namespace of their own, so
/// `[^quota]` and `## Quota` never share an id.
pub fn footnote_id(label: &str) -> String {
    format!("fn-{}", github_slug(label))
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
    /// For a reference link (`[text][label]`), the byte offset of its
    /// definition (`[label]: dest`), where its destination was written.
    pub defined_at: Option<usize>,
}

/// A fenced code block's language, as written (`rust` of ```` ```rust,ignore ````).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeFence {
    pub language: String,
    /// Byte offset of the fence in the file.
    pub offset: usize,
}

/// `[text](dest)` that CommonMark reads as text, because `dest` has a space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotLink {
    /// Byte offset of the `[` in the file.
    pub offset: usize,
    pub dest: String,
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
    /// The page's anchors besides its headings: `id="…"` and `<a name="…">`
    /// in raw HTML, and footnotes' notes.
    pub html_ids: Vec<String>,
    /// Fenced code blocks that name a language.
    pub code_fences: Vec<CodeFence>,
    /// Text that looks like an inline link but is none (`[x](a b.md)`).
    pub not_links: Vec<NotLink>,
    /// Shortcode calls outside the protected ranges, filled in by the loader.
    pub shortcodes: Vec<super::shortcodes::ShortcodeCall>,
    /// Escaped tags (`{{/* … */}}`) outside every call, filled in by the loader.
    pub escapes: Vec<Range<usize>>,
    /// The offset of the first element nested deeper than [`MAX_MARKDOWN_NESTING`].
    pub too_deep: Option<usize>,
}

/// Scans a Markdown body that starts at byte `body_offset` of its file.
/// Headings get their final ids unless the page has shortcodes: then
/// [`settle_headings`] decides them, once the calls are known.
pub fn scan(body: &str, body_offset: usize) -> Scan {
    let mut scan = Scan::default();
    let mut headings = HeadingReader::default();
    let mut raw_code = RawCodeTracker::default();
    let mut open_image: Option<(usize, String)> = None;
    let mut link_ranges: Vec<Range<usize>> = Vec::new();
    let mut depth = 0;
    let mut events = Parser::new_ext(body, parser_options()).into_offset_iter();
    while let Some((event, range)) = events.next() {
        let absolute = body_offset + range.start..body_offset + range.end;
        match &event {
            Event::Start(_) => {
                depth += 1;
                if depth > MAX_MARKDOWN_NESTING && scan.too_deep.is_none() {
                    scan.too_deep = Some(absolute.start);
                }
            }
            Event::End(end) => {
                depth -= 1;
                // An unclosed `<pre>` or `<code>` ends with the block that
                // holds it: the Markdown after it is Markdown again.
                if matches!(
                    end,
                    TagEnd::HtmlBlock
                        | TagEnd::Paragraph
                        | TagEnd::Heading(_)
                        | TagEnd::TableCell
                        | TagEnd::Item
                ) {
                    raw_code.finish(absolute.end, &mut scan.protected);
                }
            }
            _ => {}
        }
        headings.feed(&event, absolute.start);
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                if let Some(language) = fence_language(&kind) {
                    scan.code_fences.push(CodeFence {
                        language: language.to_string(),
                        offset: absolute.start,
                    });
                }
                scan.protected.push(absolute);
            }
            Event::Code(_) => scan.protected.push(absolute),
            Event::Text(t) => {
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
                    html_attributes(&html, &body[range.clone()], absolute.start, &mut scan);
                }
                raw_code.feed(&html, absolute.start, &mut scan.protected);
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => link_ranges.push(absolute),
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                id,
                ..
            }) => {
                link_ranges.push(absolute.clone());
                scan.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    offset: absolute.start,
                    is_image: false,
                    raw_html: false,
                    defined_at: definition(&events, link_type, &id, body_offset),
                });
            }
            Event::Start(Tag::Image {
                dest_url,
                link_type,
                id,
                ..
            }) => {
                link_ranges.push(absolute.clone());
                open_image = Some((absolute.start, String::new()));
                scan.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    offset: absolute.start,
                    is_image: true,
                    raw_html: false,
                    defined_at: definition(&events, link_type, &id, body_offset),
                });
            }
            _ => {}
        }
    }
    raw_code.finish(body_offset + body.len(), &mut scan.protected);
    scan.protected.sort_by_key(|r| r.start);
    scan.not_links = not_links(body, body_offset, &link_ranges, &scan.protected);
    scan.headings = headings.finish(&mut scan.html_ids);
    scan
}

/// Where the definition of a reference link is, in the file; `None` for an
/// inline link.
fn definition<'a, F: pulldown_cmark::BrokenLinkCallback<'a>>(
    events: &pulldown_cmark::OffsetIter<'a, F>,
    link_type: LinkType,
    label: &str,
    body_offset: usize,
) -> Option<usize> {
    if !matches!(
        link_type,
        LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
    ) {
        return None;
    }
    let definition = events.reference_definitions().get(label)?;
    Some(body_offset + definition.span.start)
}

/// Reads the headings of a page with shortcodes again, from the Markdown the
/// renderer parses (see [`Layout`]), and gives them their ids.
pub fn settle_headings(text: &str, body_start: usize, scan: &mut Scan) {
    if !layout_may_change_headings(text, scan) {
        return;
    }
    let page = Layout::page(
        text,
        body_start..text.len(),
        &scan.shortcodes,
        &scan.escapes,
    );
    let mut headings = HeadingReader::default();
    read_layout(text, &page, &mut headings);
    // Footnote ids were added by the first pass; this pass adds them again.
    let footnotes: HashSet<String> = headings.footnotes.iter().cloned().collect();
    scan.html_ids.retain(|id| !footnotes.contains(id));
    scan.headings = headings.finish(&mut scan.html_ids);
}

/// Whether laying the page out around its shortcode calls can give other
/// headings than the first pass read: a call on a heading's line (its text,
/// or a setext underline the first pass took for one), or a body that may
/// hold a heading (a line starting with `#`, `=` or `-` once indentation and
/// `>` are set aside). Most pages with callouts have neither, and skip the
/// second parse.
fn layout_may_change_headings(text: &str, scan: &Scan) -> bool {
    // An escaped tag reads as another text: rare enough to always read again.
    let mut calls = scan.shortcodes.iter().flat_map(|call| call.walk());
    if !scan.escapes.is_empty() || calls.any(|call| !call.escapes.is_empty()) {
        return true;
    }
    let calls = scan.shortcodes.iter().flat_map(|call| call.walk());
    calls.into_iter().any(|call| {
        let on_a_heading_line = scan.headings.iter().any(|heading| {
            let line_end = text[heading.offset..]
                .find('\n')
                .map_or(text.len(), |i| heading.offset + i);
            call.range.start < line_end && heading.offset < call.range.end
        });
        let body_may_hold_a_heading = call.body.as_ref().is_some_and(|body| {
            text.get(body.clone())
                .unwrap_or_default()
                .lines()
                .any(|line| {
                    let bare = line.trim_start_matches(|c: char| c.is_whitespace() || c == '>');
                    bare.starts_with(['#', '=', '-'])
                })
        });
        on_a_heading_line || body_may_hold_a_heading
    })
}

/// Feeds one laid-out fragment and then the bodies of its calls to `headings`.
fn read_layout(text: &str, layout: &Layout<'_>, headings: &mut HeadingReader) {
    let first = headings.found.len();
    for (event, range) in Parser::new_ext(&layout.markdown, parser_options()).into_offset_iter() {
        headings.feed(&event, layout.file_offset(range.start));
    }
    for heading in &mut headings.found[first..] {
        for slot in &layout.slots {
            if heading.text.contains(&slot.token) {
                heading.text = heading.text.replace(&slot.token, &call_text(slot.call));
            }
        }
    }
    for slot in &layout.slots {
        if let Some(body) = Layout::body(text, slot.call, layout.salt()) {
            read_layout(text, &body, headings);
        }
    }
}

/// A heading as read, before it has an id.
#[derive(Debug)]
struct RawHeading {
    offset: usize,
    level: u8,
    explicit: Option<String>,
    text: String,
}

/// Collects headings and footnotes from pulldown-cmark events.
#[derive(Debug, Default)]
struct HeadingReader {
    open: Option<RawHeading>,
    found: Vec<RawHeading>,
    /// Ids of footnotes' notes.
    footnotes: Vec<String>,
}

impl HeadingReader {
    fn feed(&mut self, event: &Event<'_>, offset: usize) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.open = Some(RawHeading {
                    offset,
                    level: level_number(*level),
                    explicit: id.as_ref().map(|id| id.to_string()),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.found.extend(self.open.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(open) = &mut self.open {
                    open.text.push_str(t);
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.footnotes.push(footnote_id(label));
            }
            _ => {}
        }
    }

    /// The headings with their ids, in document order; the page's other ids
    /// (`taken`, theme ids, footnotes) are taken first, and footnote ids join
    /// `taken`.
    fn finish(mut self, taken: &mut Vec<String>) -> Vec<Heading> {
        taken.append(&mut self.footnotes);
        self.found.sort_by_key(|h| h.offset);
        let mut ids = HeadingIds::default();
        for id in THEME_IDS
            .iter()
            .copied()
            .chain(taken.iter().map(String::as_str))
        {
            ids.used.insert(id.to_string());
        }
        let explicit: Vec<Option<String>> = self
            .found
            .iter()
            .map(|h| h.explicit.as_deref().map(|id| ids.assign(Some(id), "")))
            .collect();
        self.found
            .into_iter()
            .zip(explicit)
            .map(|(heading, explicit)| Heading {
                id: explicit.unwrap_or_else(|| ids.assign(None, &heading.text)),
                offset: heading.offset,
                level: heading.level,
                text: heading.text,
            })
            .collect()
    }
}

/// The first word of a fence's info string (`rust,ignore` → `rust`).
pub fn fence_language<'a>(kind: &'a CodeBlockKind<'_>) -> Option<&'a str> {
    match kind {
        CodeBlockKind::Fenced(info) => info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .filter(|l| !l.is_empty()),
        CodeBlockKind::Indented => None,
    }
}

/// `[text](dest)` outside code and outside real links whose destination has a
/// space that is not followed by a title: CommonMark ends such a link at the
/// space and prints it as text.
fn not_links(
    body: &str,
    body_offset: usize,
    links: &[Range<usize>],
    protected: &[Range<usize>],
) -> Vec<NotLink> {
    let inside =
        |offset: usize, ranges: &[Range<usize>]| ranges.iter().any(|r| r.contains(&offset));
    let mut found = Vec::new();
    for (at, _) in body.match_indices("](") {
        let line_start = body[..at].rfind('\n').map_or(0, |i| i + 1);
        let Some(open) = body[line_start..at].rfind('[').map(|i| line_start + i) else {
            continue;
        };
        let dest_start = at + 2;
        let line_end = body[dest_start..]
            .find('\n')
            .map_or(body.len(), |i| dest_start + i);
        let Some(close) = body[dest_start..line_end].find(')').map(|i| dest_start + i) else {
            continue;
        };
        let dest = body[dest_start..close].trim();
        let Some((_, after_space)) = dest.split_once(char::is_whitespace) else {
            continue;
        };
        let titled = after_space.trim_start().starts_with(['"', '\'', '(']);
        let offset = body_offset + open;
        if titled
            || dest.starts_with('<')
            || inside(offset, links)
            || inside(offset, protected)
            || inside(body_offset + at, links)
        {
            continue;
        }
        found.push(NotLink {
            offset,
            dest: dest.to_string(),
        });
    }
    found
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
    /// The id for a heading: the explicit `{#id}` if given, else the GitHub slug
    /// of its text; `-1`, `-2`, … appended when it is taken (the first free one,
    /// as github-slugger counts).
    pub fn assign(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = match explicit {
            Some(id) => id.to_string(),
            None => github_heading_id(text),
        };
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

/// What github-slugger removes: everything but letters (Unicode's Alphabetic),
/// marks, decimal digits, connector punctuation (`_`), `-` and the space.
/// (A constant pattern: `None` never happens, and a test says so.)
static NOT_IN_SLUG: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new(r"[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc} -]").ok());

/// A heading's GitHub anchor, as github-slugger makes it: lower-cased, every
/// character but letters, marks (the virama of `हिन्दी`), digits, `_`, `-` and
/// spaces dropped, spaces turned into `-` (`Europe & Africa` → `europe--africa`).
pub fn github_slug(text: &str) -> String {
    let lower = text.to_lowercase();
    let kept = match &*NOT_IN_SLUG {
        Some(pattern) if !lower.is_ascii() => pattern.replace_all(&lower, "").into_owned(),
        _ => lower
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
            .collect(),
    };
    kept.replace(' ', "-")
}

/// [`github_slug`], or `section` when that is empty (an id cannot be).
pub fn github_heading_id(text: &str) -> String {
    let id = github_slug(text);
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn raw_html_links_are_placed_in_the_source_inside_block_quotes() {
        // The event's text lacks the second line's `> `: the href is at 13.
        let body = "> <a\n> href=\"x.md\">\n";
        let found = super::scan(body, 0);
        let link = found.links.iter().find(|l| l.dest == "x.md").unwrap();
        assert_eq!(&body[link.offset..link.offset + 4], "x.md");
        let body = "- item\n\n  <img\n  src=\"é.png\">\n";
        let found = super::scan(body, 0);
        let link = found.links.iter().find(|l| l.dest == "é.png").unwrap();
        assert!(body[link.offset..].starts_with("é.png"));
    }

    use super::*;

    #[test]
    fn srcset_candidates_are_split_as_html_splits_them() {
        assert_eq!(
            srcset_candidates("a.png 1x, b.png 2x"),
            [("a.png", "1x"), ("b.png", "2x")]
        );
        assert_eq!(
            srcset_candidates(" x.png?v=1,2 2x,y.png, z.png 480w"),
            [("x.png?v=1,2", "2x"), ("y.png", ""), ("z.png", "480w")]
        );
        assert_eq!(srcset_candidates(""), []);
    }

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
        let body = "<div id=\"box\"><a href='../x.md' class=a>x</a> <img src=/i.png></div>\n\n<p data-x=\"href=nope.md\"><a name=\"onExit\"></a><img srcset=\"a.png 1x, b.png 2x\"><!-- <a href=\"c.md\"> --></p>\n";
        let s = scan(body, 10);
        assert_eq!(s.html_ids, ["box", "onExit"]);
        let links: Vec<(&str, usize, bool)> = s
            .links
            .iter()
            .map(|l| (l.dest.as_str(), l.offset, l.raw_html))
            .collect();
        let at = |needle: &str| 10 + body.find(needle).unwrap();
        assert_eq!(
            links,
            [
                ("../x.md", 10 + 23, true),
                ("/i.png", 10 + 55, true),
                ("a.png", at("a.png"), true),
                ("b.png", at("b.png"), true),
            ]
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
