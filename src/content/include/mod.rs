//! The built-in `include` shortcode: `{{ include(path="contact.md") }}` puts
//! the Markdown of the snippet `content/_snippets/contact.md` into the page
//! before anything reads it, as if it were written there. The page is then
//! scanned as one text: the snippet's headings join the page's table of
//! contents with ids unique in the page, its shortcodes expand, and its links
//! are checked, resolved from the snippet's folder (see
//! [`super::SourceText::origin_content_path`]). The text keeps a
//! [`SourceMap`], so a problem inside a snippet is reported in the snippet,
//! with the include calls that brought it.
//!
//! A call on a line of its own (after a list marker, a `>` or indentation at
//! most) is a block: the snippet's lines take the containers of that line
//! (a snippet included in step 3 of a list stays in step 3), with a blank
//! line around it where the page has none. Any other call is inline: the
//! snippet's text, trimmed, takes the call's place in the line; a snippet
//! that cannot stay inside a line (several blocks, or several lines in a
//! table row or heading) is a warning at the call.
//!
//! Every other argument is a parameter: `{{ include(path="box.md",
//! product="Jira Cloud") }}` replaces `{{ product }}` in the snippet (outside
//! code, like shortcodes) with `Jira Cloud`, as Markdown; a snippet included
//! from a snippet sees the parameters around it unless its call sets them.
//!
//! Errors are at the include call: no such snippet (with the closest name),
//! a cycle (with the chain), a full article, nesting past
//! [`MAX_INCLUDE_DEPTH`], a page grown past [`MAX_PAGE_BYTES`]. A parameter
//! the snippet uses but no include gives is an error at the snippet's
//! `{{ name }}`.

mod calls;
mod params;

use std::ops::Range;
use std::sync::Arc;

use super::layout::{
    continuation_of, has_list_marker, is_container_prefix, is_list_marker, line_prefix,
    next_line_blank, previous_line_blank, rest_of_line_blank,
};
use super::shortcodes::ShortcodeCall;
use super::snippets::Snippets;
use super::source_map::{Origin, SourceMap};
use super::SourceText;
use crate::diagnostics::Diagnostic;
pub use calls::snippet_name;
use params::{parameter_refs, Param};

/// The name of the built-in shortcode.
pub const INCLUDE: &str = "include";

/// How deep snippets may include snippets: as deep as body shortcodes nest.
pub const MAX_INCLUDE_DEPTH: usize = super::shortcodes::MAX_NESTING;

/// How long a page's Markdown may grow by includes: a few snippets that
/// each include the next twice would otherwise make a page of gigabytes.
pub const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// What an include can name.
pub struct Library<'a> {
    pub snippets: &'a Snippets,
    /// Content paths of the site's articles and section indexes, to tell a
    /// full article included by mistake from a missing snippet.
    pub pages: &'a [String],
}

/// Whether `calls` (a page's top-level calls) hold an include, at any depth.
pub fn has_includes(calls: &[ShortcodeCall]) -> bool {
    calls
        .iter()
        .any(|call| call.name == INCLUDE || has_includes(&call.children))
}

/// The file `source` (at `content_path` under `content/`) with its include
/// calls replaced by their snippets, scanned again as one page; `None` when
/// it has no include call. What went wrong is in the map's `problems`.
pub fn expand(
    source: &Arc<SourceText>,
    content_path: &str,
    library: &Library<'_>,
) -> Option<SourceText> {
    if !has_includes(&source.scan.shortcodes) {
        return None;
    }
    let mut builder = Builder {
        library,
        text: String::with_capacity(source.text.len() * 2),
        map: SourceMap::new(Arc::clone(source), content_path),
        problems: Vec::new(),
    };
    let page = Frame {
        origin: 0,
        source,
        calls: include_calls(&source.scan.shortcodes),
        scope: Vec::new(),
        chain: Vec::new(),
        continuation: String::new(),
        made_at: (0, 0),
    };
    builder.copy(&page, 0..source.text.len());
    Some(builder.finish(source))
}

/// The include calls among `calls` and their bodies, in order, none inside
/// another.
fn include_calls(calls: &[ShortcodeCall]) -> Vec<&ShortcodeCall> {
    let mut found: Vec<&ShortcodeCall> = calls
        .iter()
        .flat_map(ShortcodeCall::walk)
        .filter(|call| call.name == INCLUDE)
        .collect();
    found.sort_by_key(|call| call.range.start);
    let mut end = 0;
    found.retain(|call| {
        let outside = call.range.start >= end;
        end = end.max(call.range.end);
        outside
    });
    found
}

/// One file being copied into the page.
struct Frame<'f> {
    origin: usize,
    source: &'f Arc<SourceText>,
    /// Its include calls.
    calls: Vec<&'f ShortcodeCall>,
    /// Parameters in effect, innermost call last.
    scope: Vec<&'f [Param]>,
    /// Names of the snippets being included, outermost first.
    chain: Vec<String>,
    /// What starts every line of this file in the page: the containers of
    /// the line the include call is on.
    continuation: String,
    /// Where text the include makes maps to: the call (origin, offset).
    made_at: (usize, usize),
}

/// Something in a file that is not copied as it is.
enum Mark<'f> {
    Call(&'f ShortcodeCall),
    Parameter { range: Range<usize>, name: String },
}

impl Mark<'_> {
    fn start(&self) -> usize {
        match self {
            Mark::Call(call) => call.range.start,
            Mark::Parameter { range, .. } => range.start,
        }
    }
}

struct Builder<'l> {
    library: &'l Library<'l>,
    text: String,
    map: SourceMap,
    problems: Vec<Diagnostic>,
}

impl<'l> Builder<'l> {
    /// Copies `range` of a frame's file, its include calls replaced by their
    /// snippets and (in a snippet) its parameters by their values.
    fn copy(&mut self, frame: &Frame<'_>, range: Range<usize>) {
        let mut marks: Vec<Mark<'_>> = frame
            .calls
            .iter()
            .filter(|call| range.start <= call.range.start && call.range.end <= range.end)
            .map(|call| Mark::Call(call))
            .collect();
        if frame.origin != 0 {
            marks.extend(
                parameter_refs(frame.source, range.clone())
                    .into_iter()
                    .map(|(range, name)| Mark::Parameter { range, name }),
            );
            marks.sort_by_key(Mark::start);
        }
        let mut pos = range.start;
        for mark in marks {
            if mark.start() < pos {
                continue;
            }
            self.copy_text(frame, pos..mark.start());
            pos = match mark {
                Mark::Call(call) => {
                    self.include(frame, call);
                    call.range.end
                }
                Mark::Parameter { range, name } => {
                    self.parameter(frame, range.clone(), &name);
                    range.end
                }
            };
        }
        self.copy_text(frame, pos..range.end);
    }

    /// Copies text as it is, each new line started with the frame's
    /// containers.
    fn copy_text(&mut self, frame: &Frame<'_>, range: Range<usize>) {
        let text = &frame.source.text[range.clone()];
        if frame.continuation.is_empty() {
            self.map.copied(self.text.len(), frame.origin, range.start);
            self.text.push_str(text);
            return;
        }
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            if start > 0 {
                self.map
                    .made(self.text.len(), frame.made_at.0, frame.made_at.1);
                self.text.push_str(&frame.continuation);
            }
            self.map
                .copied(self.text.len(), frame.origin, range.start + start);
            self.text.push_str(line);
            start += line.len();
        }
    }

    /// Text no file holds, standing for what is at `at` (origin, offset).
    fn push_made(&mut self, at: (usize, usize), text: &str, continuation: &str) {
        self.map.made(self.text.len(), at.0, at.1);
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.text.push('\n');
                self.text.push_str(continuation);
            }
            self.text.push_str(line);
        }
    }

    /// A diagnostic at `offset` of origin `origin`'s file.
    fn at(&self, origin: usize, offset: usize, diagnostic: Diagnostic) -> Diagnostic {
        let Some(file) = self.map.origins.get(origin) else {
            return diagnostic;
        };
        let mut diagnostic = Diagnostic {
            path: file.source.path.clone(),
            ..diagnostic
        }
        .at_offset(&file.source.text, offset);
        if let Some(chain) = self.map.chain(origin) {
            diagnostic.included_by = crate::diagnostics::IncludedBy::one(chain);
        }
        diagnostic
    }

    fn error(&mut self, frame: &Frame<'_>, offset: usize, message: String, help: String) {
        let diagnostic = Diagnostic::error("include", "", message).with_help(help);
        let diagnostic = self.at(frame.origin, offset, diagnostic);
        self.problems.push(diagnostic);
    }

    /// A warning at an inline call whose snippet cannot stay inside its
    /// line: text of several blocks (a blank line in it), or several lines in
    /// a table row or a heading, which end at the first line break.
    fn warn_if_it_breaks_its_line(
        &mut self,
        frame: &Frame<'_>,
        call: &ShortcodeCall,
        prefix: &str,
        text: &str,
        name: &str,
    ) {
        let line = prefix.trim_start_matches([' ', '\t', '>']);
        let one_line_only = line.starts_with('|') || line.starts_with('#');
        let blocks = text.contains("\n\n");
        let breaks = blocks || (one_line_only && text.contains('\n'));
        if !breaks {
            return;
        }
        let what = if blocks {
            "several paragraphs or blocks"
        } else if line.starts_with('|') {
            "several lines into a table row"
        } else {
            "several lines into a heading"
        };
        let diagnostic = Diagnostic::warning(
            "include",
            "",
            format!("this inline include puts {what} of `{name}` in the middle of a line: all after its first line leaves the line"),
        )
        .with_help("put the call on a line of its own (a block include), or make the snippet one line");
        let diagnostic = self.at(frame.origin, call.range.start, diagnostic);
        self.problems.push(diagnostic);
    }

    /// One include call: the snippet's text in its place, or an error.
    fn include(&mut self, frame: &Frame<'_>, call: &ShortcodeCall) {
        let Some((snippet, params)) = self.resolve(frame, call) else {
            return;
        };
        let name = snippet.name().to_string();
        self.map.snippets.push(snippet.content_path.clone());
        if let Some(problem) = self.refusal(frame, snippet, &name) {
            self.error(frame, call.range.start, problem.0, problem.1);
            return;
        }
        let text = &frame.source.text;
        let prefix = line_prefix(text, call.range.start);
        let block = call.body.is_none()
            && is_container_prefix(prefix)
            && rest_of_line_blank(text, call.range.end);
        let continuation = if block {
            format!("{}{}", frame.continuation, continuation_of(prefix))
        } else {
            format!(
                "{}{}",
                frame.continuation,
                continuation_of(container_part(prefix))
            )
        };
        let here = (frame.origin, call.range.start);
        if block && !has_list_marker(prefix) && !previous_line_blank(&self.text) {
            self.push_made(here, "\n", &continuation);
        }
        let body = snippet_body(&snippet.source, block);
        if !block {
            self.warn_if_it_breaks_its_line(
                frame,
                call,
                prefix,
                &snippet.source.text[body.clone()],
                &name,
            );
        }
        self.map.origins.push(Origin {
            source: Arc::clone(&snippet.source),
            content_path: snippet.content_path.clone(),
            included_at: Some(here),
        });
        let mut scope = frame.scope.clone();
        scope.push(&params);
        let mut chain = frame.chain.clone();
        chain.push(name);
        let inner = Frame {
            origin: self.map.origins.len() - 1,
            source: &snippet.source,
            calls: include_calls(&snippet.source.scan.shortcodes),
            scope,
            chain,
            continuation: continuation.clone(),
            made_at: here,
        };
        self.copy(&inner, body);
        if block && !next_line_blank(text, call.range.end) {
            self.push_made(here, "\n", &continuation);
        }
        self.report_unused(frame, call, snippet, &params);
    }

    /// The page: its text scanned again as one, with its map.
    fn finish(mut self, file: &Arc<SourceText>) -> SourceText {
        let body_start = file.body_start;
        self.map.snippets.sort();
        self.map.snippets.dedup();
        let map = &self.map;
        let place =
            |diagnostic: Diagnostic, offset: usize| map.place_diagnostic(diagnostic, offset);
        let (scan, found) = super::scan_body(&self.text, body_start, &file.path, &place);
        let mut problems = std::mem::take(&mut self.problems);
        let (text, scan) = match scan.too_deep {
            // The page would be a tree too deep to show: the file is kept
            // as it is, its includes left out.
            Some(offset) => {
                problems.push(place(
                    super::nesting_error(&file.path, &self.text, offset),
                    offset,
                ));
                (file.text.clone(), file.scan.clone())
            }
            None => {
                problems.extend(found);
                (std::mem::take(&mut self.text), scan)
            }
        };
        self.map.problems = problems;
        let words = text[body_start..].split_whitespace().count();
        let text_hash = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::hash::DefaultHasher::new();
            text.hash(&mut hasher);
            for origin in &self.map.origins {
                (&origin.source.path, origin.source.text_hash).hash(&mut hasher);
            }
            hasher.finish()
        };
        SourceText {
            path: file.path.clone(),
            text,
            body_start,
            scan,
            text_hash,
            words,
            map: Some(Arc::new(self.map)),
        }
    }
}

/// The part of a snippet to include: its body without leading blank lines
/// and trailing white space (an inline one without leading white space either).
fn snippet_body(source: &SourceText, block: bool) -> Range<usize> {
    let body = source.body();
    let mut start = 0;
    for line in body.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        start += line.len();
    }
    if !block {
        start = body.len() - body.trim_start().len();
    }
    let end = body.trim_end().len().max(start);
    source.body_start + start..source.body_start + end
}

/// The leading containers of a line's prefix: indentation, `>` and list
/// markers, up to the first other text.
fn container_part(prefix: &str) -> &str {
    let mut end = 0;
    let bytes = prefix.as_bytes();
    while end < prefix.len() {
        if matches!(bytes[end], b' ' | b'\t' | b'>') {
            end += 1;
            continue;
        }
        let word_end = prefix[end..]
            .find([' ', '\t'])
            .map_or(prefix.len(), |i| end + i);
        if word_end < prefix.len() && is_list_marker(&prefix[end..word_end]) {
            end = word_end;
        } else {
            break;
        }
    }
    &prefix[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_containers_of_a_line_are_its_markers_and_indentation() {
        assert_eq!(container_part("> - See "), "> - ");
        assert_eq!(container_part("  1. Call "), "  1. ");
        assert_eq!(container_part("Call "), "");
        assert_eq!(container_part("> "), "> ");
    }
}
