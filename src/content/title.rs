//! The title of a file whose front matter sets none, as the peers take it
//! (Docusaurus, MkDocs, Hugo with `title` left out): its first `# H1`, else its
//! file name.
//!
//! The heading counts only when it is the first block of the body, right below
//! the front matter (blank lines aside): a `# H1` further down is a heading of
//! the page, not its title. Taken as the title, it is no longer part of the
//! body, since the theme prints the title above the body already. Its text is
//! what a reader sees: markup dropped (`# Reset *your* password` → `Reset your
//! password`), an inline shortcode counted as its text arguments.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::naming;
use super::scan::parser_options;
use super::shortcodes::{call_text, find_tags, unescape};

/// Where an article's title came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TitleSource {
    /// `title:` in the front matter.
    #[default]
    FrontMatter,
    /// The `# H1` that opens the body.
    Heading,
    /// The file name (the folder's name for a page bundle's `index.md`).
    FileName,
}

/// A `# H1` that opens a body and stands for its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstHeading {
    /// The heading's text, without markup.
    pub title: String,
    /// The offset in the file where the body goes on, after the heading.
    pub end: usize,
}

/// The `# H1` (ATX or setext) that is the first block of the body starting
/// at `body_start` of `text`, when it has any text.
pub fn first_heading(text: &str, body_start: usize) -> Option<FirstHeading> {
    let body = text.get(body_start..)?;
    let mut events = Parser::new_ext(body, parser_options()).into_offset_iter();
    let (first, range) = events.next()?;
    if !matches!(
        first,
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        })
    ) {
        return None;
    }
    let mut title = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => title.push_str(&t),
            Event::SoftBreak | Event::HardBreak => title.push(' '),
            Event::End(TagEnd::Heading(_)) => break,
            _ => {}
        }
    }
    let heading = &body[range.clone()];
    let title = with_shortcodes_as_text(&title, heading);
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(FirstHeading {
        title,
        end: body_start + range.end,
    })
}

/// `title` with each shortcode call of `heading` (its source) replaced by the
/// call's text, and each escaped tag by the tag it spells, as the page's
/// headings read them.
fn with_shortcodes_as_text(title: &str, heading: &str) -> String {
    if !heading.contains("{{") && !heading.contains("{%") {
        return title.to_string();
    }
    let tags = find_tags(heading, 0, &[]);
    let mut title = title.to_string();
    for call in &tags.calls {
        if let Some(source) = heading.get(call.range.clone()) {
            title = title.replace(source, &call_text(call));
        }
    }
    for escape in &tags.escapes {
        if let Some(source) = heading.get(escape.clone()) {
            title = title.replace(source, &unescape(source));
        }
    }
    title
}

/// A title made from a file's path under `content/`: `reset-password.md` →
/// `Reset password`, `01.install.md` → `Install`; an `index.md` or
/// `_index.md` takes its folder's name (`printer-setup/index.md` → `Printer
/// setup`).
pub fn from_file_name(file: &str) -> String {
    let mut parts = file.rsplit('/');
    let name = parts.next().unwrap_or(file);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let stem = match (stem, parts.next()) {
        ("index" | "_index", Some(folder)) => folder,
        _ => stem,
    };
    let (_, stem) = naming::split_order_prefix(stem);
    naming::title_from_name(stem.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(text: &str) -> Option<(String, &str)> {
        first_heading(text, 0).map(|h| (h.title, &text[h.end..]))
    }

    #[test]
    fn an_opening_h1_is_the_title_and_leaves_the_body() {
        assert_eq!(
            heading("\n# Reset *your* `password`\n\nText.\n"),
            Some(("Reset your password".to_string(), "\nText.\n"))
        );
        assert_eq!(
            heading("Reset it\n========\nText.\n"),
            Some(("Reset it".to_string(), "Text.\n"))
        );
        assert_eq!(
            heading("# Press {{ kbd(key=\"F5\") }} {#reload}\n"),
            Some(("Press F5".to_string(), ""))
        );
    }

    #[test]
    fn only_an_h1_that_opens_the_body_counts() {
        assert_eq!(heading("Intro.\n\n# Later\n"), None);
        assert_eq!(heading("## Second level\n"), None);
        assert_eq!(heading("#\n\nText.\n"), None);
    }

    #[test]
    fn titles_from_file_names() {
        assert_eq!(from_file_name("s/reset-password.md"), "Reset password");
        assert_eq!(from_file_name("s/01.install_guide.md"), "Install guide");
        assert_eq!(from_file_name("kb/printer-setup/index.md"), "Printer setup");
        assert_eq!(
            from_file_name("Getting Started/_index.md"),
            "Getting Started"
        );
        assert_eq!(from_file_name("index.md"), "Index");
    }
}
