//! Where each byte of a page's Markdown comes from, once snippets are
//! included into it.
//!
//! A page with `include` calls is rendered from one text, the article's with
//! each call replaced by its snippet (see `content::include`), and every
//! later stage keeps offsets into that text, as for any page. The text
//! carries a [`SourceMap`]: runs of it, each with the file it was copied from
//! and where in that file it starts. A diagnostic is placed through the map
//! ([`super::SourceText::place`]), so it points at the line and column of
//! the file the writer opened (the snippet, with the include calls that
//! brought it named), never at an offset into text no one wrote. Text the
//! include put in that no file holds (a blank line around a block, a list
//! item's indentation, a parameter's value) maps to the include call.

use std::sync::Arc;

use super::SourceText;
use crate::diagnostics::{Diagnostic, IncludeCall, IncludedBy};

/// The files a page's text was made of, and which run of it came from where.
#[derive(Debug)]
pub struct SourceMap {
    /// Every inclusion, in the order the text holds them; 0 is the article's
    /// own file. A snippet included twice is two origins (two places).
    pub origins: Vec<Origin>,
    /// Runs of the page's text, sorted by where they start in it.
    segments: Vec<Segment>,
    /// The article's own file as read, before includes (what `kbgen mv`
    /// edits).
    pub file: Arc<SourceText>,
    /// Content paths of the snippets the page includes, at any depth, sorted.
    pub snippets: Vec<String>,
    /// What including gave: a missing snippet, a cycle, problems of the
    /// page's text found again once the snippets are in it.
    pub problems: Vec<Diagnostic>,
}

/// One file a page's text comes from.
#[derive(Debug)]
pub struct Origin {
    /// The file as read.
    pub source: Arc<SourceText>,
    /// Its path under `content/` (`_snippets/contact.md`): relative links in
    /// it resolve from its folder.
    pub content_path: String,
    /// The include call that brought it: the origin holding the call and
    /// the call's offset in that origin's file.
    pub included_at: Option<(usize, usize)>,
}

/// A run of the page's text starting at `at`, copied from `origin` at
/// `offset`; a `fixed` run was made by the include (no file holds it), and
/// all of it maps to `offset`.
#[derive(Debug, Clone, Copy)]
struct Segment {
    at: usize,
    origin: usize,
    offset: usize,
    fixed: bool,
}

/// A place in one of the files a page comes from.
#[derive(Debug, Clone, Copy)]
pub struct Place<'m> {
    pub origin: &'m Origin,
    /// The index of `origin` in [`SourceMap::origins`].
    pub index: usize,
    /// Byte offset in the origin's text.
    pub offset: usize,
}

impl SourceMap {
    /// A map whose origin 0 is `file`, the article as read.
    pub fn new(file: Arc<SourceText>, content_path: &str) -> SourceMap {
        SourceMap {
            origins: vec![Origin {
                source: Arc::clone(&file),
                content_path: content_path.to_string(),
                included_at: None,
            }],
            segments: Vec::new(),
            file,
            snippets: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Notes that the page's text from `at` on is copied from `origin` at
    /// `offset` (until the next run starts).
    pub fn copied(&mut self, at: usize, origin: usize, offset: usize) {
        self.push(Segment {
            at,
            origin,
            offset,
            fixed: false,
        });
    }

    /// Notes that the page's text from `at` on was made by the include call
    /// at `offset` of `origin`.
    pub fn made(&mut self, at: usize, origin: usize, offset: usize) {
        self.push(Segment {
            at,
            origin,
            offset,
            fixed: true,
        });
    }

    fn push(&mut self, segment: Segment) {
        // A run that holds no text is replaced by the one after it.
        if self
            .segments
            .last()
            .is_some_and(|last| last.at == segment.at)
        {
            self.segments.pop();
        }
        self.segments.push(segment);
    }

    /// Where the byte at `offset` of the page's text comes from.
    pub fn place(&self, offset: usize) -> Place<'_> {
        let index = self
            .segments
            .partition_point(|s| s.at <= offset)
            .saturating_sub(1);
        let segment = self.segments.get(index).copied().unwrap_or(Segment {
            at: 0,
            origin: 0,
            offset: 0,
            fixed: false,
        });
        let origin_offset = if segment.fixed {
            segment.offset
        } else {
            segment.offset + offset.saturating_sub(segment.at)
        };
        let origin = self.origins.get(segment.origin).unwrap_or(&self.origins[0]);
        Place {
            origin,
            index: segment.origin,
            offset: origin_offset.min(origin.source.text.len()),
        }
    }

    /// `diagnostic` placed at `offset` of the page's text: in the file that
    /// byte comes from, with the include calls that brought it.
    pub fn place_diagnostic(&self, mut diagnostic: Diagnostic, offset: usize) -> Diagnostic {
        let place = self.place(offset);
        diagnostic.path = place.origin.source.path.clone();
        diagnostic = diagnostic.at_offset(&place.origin.source.text, place.offset);
        if let Some(chain) = self.chain(place.index) {
            diagnostic.included_by = IncludedBy::one(chain);
        }
        diagnostic
    }

    /// The include calls that brought origin `index` into the page,
    /// outermost first; `None` for the article's own text.
    pub fn chain(&self, index: usize) -> Option<Vec<IncludeCall>> {
        let mut calls = Vec::new();
        let mut current = self.origins.get(index)?;
        while let Some((holder, offset)) = current.included_at {
            let Some(outer) = self.origins.get(holder) else {
                break;
            };
            let (line, column) = crate::diagnostics::line_col(&outer.source.text, offset);
            calls.push(IncludeCall {
                path: outer.source.path.clone(),
                line,
                column,
            });
            current = outer;
        }
        calls.reverse();
        (!calls.is_empty()).then_some(calls)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(path: &str, text: &str) -> Arc<SourceText> {
        Arc::new(SourceText {
            path: path.into(),
            text: text.to_string(),
            body_start: 0,
            scan: Default::default(),
            text_hash: 0,
            words: 0,
            map: None,
        })
    }

    #[test]
    fn runs_map_back_to_their_file_and_made_text_to_the_call() {
        let article = text("content/a.md", "Intro\n{{ include(path=\"b.md\") }}\nEnd\n");
        let snippet = text("content/_snippets/b.md", "one\ntwo\n");
        let mut map = SourceMap::new(Arc::clone(&article), "a.md");
        map.origins.push(Origin {
            source: snippet,
            content_path: "_snippets/b.md".into(),
            included_at: Some((0, 6)),
        });
        // "Intro\n" + "\n" (made) + "one\ntwo" + "\nEnd\n"
        map.copied(0, 0, 0);
        map.made(6, 0, 6);
        map.copied(7, 1, 0);
        map.copied(14, 0, 33);
        let two = map.place(11);
        assert_eq!((two.index, two.offset), (1, 4));
        let made = map.place(6);
        assert_eq!((made.index, made.offset), (0, 6));
        let end = map.place(15);
        assert_eq!((end.index, end.offset), (0, 34));
        let d = map.place_diagnostic(Diagnostic::error("x", "content/a.md", "m"), 11);
        assert_eq!(
            d.headline(),
            "content/_snippets/b.md:2:1: error[x]: m (included from content/a.md:2:1)"
        );
    }
}
