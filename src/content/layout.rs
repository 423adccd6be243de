//! Where shortcode calls sit in the Markdown around them: the one place that
//! decides which Markdown pulldown-cmark is given for a page and for each body.
//!
//! Each call is replaced by a placeholder token; a body call that fills its own
//! lines is a block, kept in a paragraph of its own, so the renderer can swap
//! `<p>token</p>` for the shortcode's HTML. A body's lines lose the container
//! prefix of the line the call opens on (the indentation of a list item, the
//! `>` of a quote), so a callout in step 3 of a list reads as Markdown, not as
//! an indented code block. The loader lays out a page this way to find its
//! headings, and the renderer to render it: both parse the same text, so the
//! ids links are checked against are the ids of the page.
//!
//! An escaped tag (`{{/* kbd() */}}`) is replaced by the tag it stands for,
//! every ASCII punctuation mark written as a character reference (`&#123;`):
//! Markdown reads those as plain characters, so the text shows exactly as
//! written, in prose, a heading or a raw-HTML block alike.

use std::ops::Range;

use super::shortcodes::ShortcodeCall;

/// The Markdown of a page or of a body, with its calls replaced by tokens.
#[derive(Debug)]
pub struct Layout<'c> {
    pub markdown: String,
    /// Runs of `markdown` and where each comes from in the file:
    /// (offset in `markdown`, offset in the file), sorted.
    pub segments: Vec<(usize, usize)>,
    /// One slot per call, in order.
    pub slots: Vec<Slot<'c>>,
    /// Makes the tokens of this page unlike any text in it.
    salt: u32,
}

/// A call and the token that stands for it.
#[derive(Debug)]
pub struct Slot<'c> {
    pub token: String,
    pub call: &'c ShortcodeCall,
    /// A body call on lines of its own: its HTML replaces the paragraph that
    /// holds its token.
    pub block: bool,
}

impl<'c> Layout<'c> {
    /// The page body `range` of `text` with its top-level `calls` and
    /// `escapes` (escaped tags, see [`super::shortcodes::find_tags`]).
    pub fn page(
        text: &str,
        range: Range<usize>,
        calls: &'c [ShortcodeCall],
        escapes: &[Range<usize>],
    ) -> Layout<'c> {
        let contents = Contents { calls, escapes };
        Layout::build(text, range, contents, "", placeholder_salt(text))
    }

    /// The body of a body call, without the container prefix of its lines.
    pub fn body(text: &str, call: &'c ShortcodeCall, salt: u32) -> Option<Layout<'c>> {
        let body = call.body.clone()?;
        let prefix = line_prefix(text, call.range.start);
        let strip = if is_container_prefix(prefix) {
            prefix
        } else {
            ""
        };
        let contents = Contents {
            calls: &call.children,
            escapes: &call.escapes,
        };
        Some(Layout::build(text, body, contents, strip, salt))
    }

    /// The salt of this layout's tokens, for laying out the bodies of its calls.
    pub fn salt(&self) -> u32 {
        self.salt
    }

    /// The file offset of an offset in `markdown`.
    pub fn file_offset(&self, offset: usize) -> usize {
        let index = self
            .segments
            .partition_point(|(start, _)| *start <= offset)
            .saturating_sub(1);
        let (start, file_start) = self.segments.get(index).copied().unwrap_or((0, 0));
        file_start + (offset - start)
    }

    fn build(
        text: &str,
        range: Range<usize>,
        contents: Contents<'c, '_>,
        strip: &str,
        salt: u32,
    ) -> Layout<'c> {
        let calls = contents.calls;
        let mut escapes = contents.escapes.iter().peekable();
        let mut layout = Layout {
            markdown: String::with_capacity(range.len() + 16 * calls.len()),
            segments: Vec::new(),
            slots: Vec::with_capacity(calls.len()),
            salt,
        };
        let mut pos = range.start;
        for (i, call) in calls.iter().enumerate() {
            layout.copy_unescaping(text, pos..call.range.start, strip, &mut escapes);
            let token = format!("kbgensc{salt}x{i}x");
            let prefix = current_line(&layout.markdown);
            let block = call.body.is_some()
                && is_container_prefix(prefix)
                && rest_of_line_blank(text, call.range.end);
            let continuation = continuation_of(prefix);
            if block && !has_list_marker(prefix) && !previous_line_blank(&layout.markdown) {
                layout.markdown.push('\n');
                layout.markdown.push_str(&continuation);
            }
            layout
                .segments
                .push((layout.markdown.len(), call.range.start));
            layout.markdown.push_str(&token);
            if block && !next_line_blank(text, call.range.end) {
                layout.markdown.push('\n');
                layout.markdown.push_str(&continuation);
            }
            layout.slots.push(Slot { token, call, block });
            pos = call.range.end;
        }
        layout.copy_unescaping(text, pos..range.end, strip, &mut escapes);
        layout
    }

    /// Appends `text[range]` as [`Layout::copy`] does, each escaped tag that
    /// starts in it replaced by the tag it stands for.
    fn copy_unescaping<'e>(
        &mut self,
        text: &str,
        range: Range<usize>,
        strip: &str,
        escapes: &mut std::iter::Peekable<impl Iterator<Item = &'e Range<usize>>>,
    ) {
        let mut pos = range.start;
        while let Some(escape) = escapes.next_if(|escape| escape.start < range.end) {
            if escape.start < pos || escape.end > range.end {
                continue;
            }
            self.copy(text, pos..escape.start, strip);
            self.segments.push((self.markdown.len(), escape.start));
            let tag = super::shortcodes::unescape(&text[escape.clone()]);
            self.markdown.push_str(&as_markdown_text(&tag));
            pos = escape.end;
        }
        self.copy(text, pos..range.end, strip);
    }

    /// Appends `text[range]`, taking `strip` off the start of every line that
    /// starts inside the range.
    fn copy(&mut self, text: &str, range: Range<usize>, strip: &str) {
        if strip.is_empty() {
            self.segments.push((self.markdown.len(), range.start));
            self.markdown.push_str(&text[range]);
            return;
        }
        let mut start = range.start;
        while start < range.end {
            let line_end = text[start..range.end]
                .find('\n')
                .map_or(range.end, |i| start + i + 1);
            let at_line_start = start == 0 || text.as_bytes()[start - 1] == b'\n';
            let skip = if at_line_start {
                container_width(&text[start..line_end], strip)
            } else {
                0
            };
            self.segments.push((self.markdown.len(), start + skip));
            self.markdown.push_str(&text[start + skip..line_end]);
            start = line_end;
        }
    }
}

/// What a page or a body holds besides Markdown.
#[derive(Clone, Copy)]
struct Contents<'c, 'e> {
    calls: &'c [ShortcodeCall],
    escapes: &'e [Range<usize>],
}

/// `text` as Markdown that reads as exactly that text: ASCII punctuation as
/// numeric character references, so nothing in it is markup.
fn as_markdown_text(text: &str) -> String {
    let mut markdown = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            markdown.push_str(&format!("&#{};", u32::from(c)));
        } else {
            markdown.push(c);
        }
    }
    markdown
}

/// A token prefix that does not occur in the text.
pub fn placeholder_salt(text: &str) -> u32 {
    (0..)
        .find(|salt| !text.contains(&format!("kbgensc{salt}x")))
        .unwrap_or(0)
}

/// The text between the start of the line and `offset`.
pub(super) fn line_prefix(text: &str, offset: usize) -> &str {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    &text[line_start..offset]
}

/// The line being written, so far.
fn current_line(markdown: &str) -> &str {
    markdown.rsplit('\n').next().unwrap_or("")
}

/// Whether a line starts with nothing but containers: indentation, `>` and
/// list markers (`-`, `*`, `+`, `1.`, `1)`).
pub(super) fn is_container_prefix(prefix: &str) -> bool {
    prefix
        .split(|c: char| c.is_whitespace() || c == '>')
        .all(|word| word.is_empty() || is_list_marker(word))
}

pub(super) fn is_list_marker(word: &str) -> bool {
    matches!(word, "-" | "*" | "+")
        || word
            .strip_suffix(['.', ')'])
            .is_some_and(|n| !n.is_empty() && n.len() <= 9 && n.bytes().all(|b| b.is_ascii_digit()))
}

pub(super) fn has_list_marker(prefix: &str) -> bool {
    prefix
        .split(|c: char| c.is_whitespace() || c == '>')
        .any(is_list_marker)
}

/// What continues the containers of a prefix on the next line: its `>`s, and
/// spaces for the rest (a list marker's width).
pub(super) fn continuation_of(prefix: &str) -> String {
    prefix
        .chars()
        .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
        .collect()
}

/// How many bytes of `line` belong to the containers `prefix` opened: each `>`
/// of the prefix takes a `>` (after up to three spaces), each other character
/// a space or a tab. A line that leaves a container out (a lazy continuation)
/// keeps what does not match.
fn container_width(line: &str, prefix: &str) -> usize {
    let bytes = line.as_bytes();
    let mut at = 0;
    for c in prefix.chars() {
        if c == '>' {
            let spaces = bytes[at..].iter().take_while(|b| **b == b' ').count();
            if spaces <= 3 && bytes.get(at + spaces) == Some(&b'>') {
                at += spaces + 1;
            }
        } else if matches!(bytes.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
    }
    at
}

/// A line holding only containers and spaces is blank inside them.
fn is_blank_line(line: &str) -> bool {
    line.trim_matches(|c: char| c.is_whitespace() || c == '>')
        .is_empty()
}

/// Whether the rest of the line after `end` is blank.
pub(super) fn rest_of_line_blank(text: &str, end: usize) -> bool {
    text[end..]
        .split('\n')
        .next()
        .unwrap_or("")
        .trim()
        .is_empty()
}

/// Whether the line before the current one is blank (or absent).
pub(super) fn previous_line_blank(markdown: &str) -> bool {
    let mut lines = markdown.rsplit('\n');
    lines.next();
    lines.next().is_none_or(is_blank_line)
}

/// Whether the line after the one holding `end` is blank (or absent).
pub(super) fn next_line_blank(text: &str, end: usize) -> bool {
    let mut lines = text[end..].split('\n');
    lines.next();
    lines.next().is_none_or(is_blank_line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::shortcodes::find;

    fn laid_out(text: &str) -> (String, Vec<String>) {
        let (calls, errors) = find(text, 0, &[]);
        assert!(errors.is_empty(), "{errors:?}");
        let page = Layout::page(text, 0..text.len(), &calls, &[]);
        let bodies = page
            .slots
            .iter()
            .filter_map(|slot| Layout::body(text, slot.call, page.salt()))
            .map(|body| body.markdown)
            .collect();
        (page.markdown, bodies)
    }

    #[test]
    fn a_body_in_a_nested_list_item_loses_the_items_indentation() {
        let text = "1. Step\n   - Sub\n\n     {% callout() %}\n     **Careful**\n     {% end %}\n2. Next\n";
        let (page, bodies) = laid_out(text);
        assert_eq!(
            page,
            "1. Step\n   - Sub\n\n     kbgensc0x0x\n     \n2. Next\n"
        );
        assert_eq!(bodies, ["\n**Careful**\n"]);
    }

    #[test]
    fn a_body_in_a_quote_loses_its_markers_and_its_token_gets_a_paragraph() {
        let text = "> Before\n> {% callout() %}\n> Tip\n>\n> more\n> {% end %}\n> After\n";
        let (page, bodies) = laid_out(text);
        assert_eq!(page, "> Before\n> \n> kbgensc0x0x\n> \n> After\n");
        assert_eq!(bodies, ["\nTip\n\nmore\n"]);
    }

    #[test]
    fn body_offsets_map_back_to_the_file() {
        let text = "> {% callout() %}\n> ## Title\n> {% end %}\n";
        let (calls, _) = find(text, 0, &[]);
        let body = Layout::body(text, &calls[0], 0).unwrap();
        let at = body.markdown.find("## Title").unwrap();
        assert_eq!(body.file_offset(at), text.find("## Title").unwrap());
    }

    #[test]
    fn an_inline_body_is_not_a_block() {
        let text = "Say {% x() %}hi{% end %} twice\n";
        let (calls, _) = find(text, 0, &[]);
        let page = Layout::page(text, 0..text.len(), &calls, &[]);
        assert!(!page.slots[0].block);
        assert_eq!(page.markdown, "Say kbgensc0x0x twice\n");
    }

    #[test]
    fn an_escaped_tag_becomes_character_references_mapped_to_its_place() {
        let text = "A {{/* k(a=\"*\") */}} b\n";
        let tags = crate::content::shortcodes::find_tags(text, 0, &[]);
        let page = Layout::page(text, 0..text.len(), &tags.calls, &tags.escapes);
        assert_eq!(
            page.markdown,
            "A &#123;&#123; k&#40;a&#61;&#34;&#42;&#34;&#41; &#125;&#125; b\n"
        );
        let after = page.markdown.find(" b").unwrap();
        assert_eq!(page.file_offset(after), text.find(" b").unwrap());
    }
}
