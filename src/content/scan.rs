//! One pulldown-cmark pass over each article at load time.
//!
//! It collects what later stages need before anything is rendered: headings with
//! their final ids (for the table of contents and `#anchor` checks) and link
//! destinations with their byte offsets (for resolution and diagnostics). The
//! render stage parses with the same [`parser_options`] and takes the ids from here,
//! so the ids in the page and the ids links are checked against are the same.

use std::collections::HashSet;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

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
}

#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
}

/// Scans a Markdown body that starts at byte `body_offset` of its file.
pub fn scan(body: &str, body_offset: usize) -> Scan {
    let mut scan = Scan::default();
    let mut ids = HeadingIds::default();
    let mut open_heading: Option<(u8, Option<String>, String)> = None;
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                open_heading = Some((
                    level_number(level),
                    id.map(|s| s.to_string()),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, text)) = open_heading.take() {
                    let id = ids.assign(explicit.as_deref(), &text);
                    scan.headings.push(Heading { level, text, id });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = &mut open_heading {
                    text.push_str(&t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => scan.links.push(LinkRef {
                dest: dest_url.to_string(),
                offset: body_offset + range.start,
                is_image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => scan.links.push(LinkRef {
                dest: dest_url.to_string(),
                offset: body_offset + range.start,
                is_image: true,
            }),
            _ => {}
        }
    }
    scan
}

pub fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Hands out GitHub-style heading ids, unique within one page.
#[derive(Debug, Default)]
pub struct HeadingIds {
    used: HashSet<String>,
}

impl HeadingIds {
    /// The id for a heading: the explicit `{#id}` if given, else the GitHub slug of
    /// its text, with `-1`, `-2`, … appended to repeats.
    pub fn assign(&mut self, explicit: Option<&str>, text: &str) -> String {
        if let Some(id) = explicit {
            self.used.insert(id.to_string());
            return id.to_string();
        }
        let base = github_heading_id(text);
        let mut id = base.clone();
        let mut n = 1;
        while !self.used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
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
    fn links_keep_their_offset_in_the_file() {
        let body = "See [x](a.md) and ![i](img/p.png).\n";
        let s = scan(body, 100);
        assert_eq!(s.links.len(), 2);
        assert_eq!(s.links[0].dest, "a.md");
        assert_eq!(s.links[0].offset, 104);
        assert!(s.links[1].is_image);
    }
}
