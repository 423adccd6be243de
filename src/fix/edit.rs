//! Text edits for the commands that change content (`fix`, `mv`): byte-range
//! splices applied to a file's text, the file read and written back in the
//! form its author saved it (BOM, line ends), and unified diffs of the result.
//!
//! The rule kept here: an edit touches only the bytes it names. Everything
//! else in the file (other front-matter keys, comments, quoting, spacing) is
//! copied through, so a fix or a move never reformats what it did not change.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Replace `range` of a file's normalized text with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

impl Edit {
    /// An edit that inserts `text` at `offset`.
    pub fn insert(offset: usize, text: impl Into<String>) -> Edit {
        Edit {
            range: offset..offset,
            text: text.into(),
        }
    }

    /// An edit that replaces `range` with `text`.
    pub fn replace(range: Range<usize>, text: impl Into<String>) -> Edit {
        Edit {
            range,
            text: text.into(),
        }
    }
}

/// Applies `edits` to `text`. Edits are sorted by position; an edit that
/// overlaps one already taken is dropped (both would rewrite the same bytes),
/// and so is an edit outside the text or off a character boundary.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for edit in sorted {
        let Range { start, end } = edit.range;
        let fits = start >= copied
            && end >= start
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        if !fits {
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push_str(&edit.text);
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// A Markdown file as its author saved it: kbgen works on the normalized text
/// (no BOM, `\n` line ends, as the loader's offsets count), and writes the
/// result back with the BOM and `\r\n` line ends it had.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The normalized text, as loading saw it.
    pub text: String,
    bom: bool,
    crlf: bool,
}

impl SourceFile {
    /// Reads `path`.
    pub fn read(path: &Path) -> std::io::Result<SourceFile> {
        let raw = std::fs::read_to_string(path)?;
        Ok(SourceFile::from_raw(path, &raw))
    }

    /// A file whose text on disk is `raw`.
    pub fn from_raw(path: &Path, raw: &str) -> SourceFile {
        SourceFile {
            path: path.to_path_buf(),
            text: crate::diagnostics::normalize_line_ends(raw).into_owned(),
            bom: raw.starts_with('\u{feff}'),
            crlf: raw.contains("\r\n"),
        }
    }

    /// `text` in the form this file is saved in.
    pub fn saved_form(&self, text: &str) -> String {
        let body = if self.crlf {
            text.replace('\n', "\r\n")
        } else {
            text.to_string()
        };
        if self.bom {
            format!("\u{feff}{body}")
        } else {
            body
        }
    }
}

/// A unified diff of one file, `---`/`+++` headers naming `old_name` and
/// `new_name`, three lines of context; empty when nothing changed.
///
/// Made with `similar` (Myers' diff, the algorithm of `git diff`), so the
/// output reads like the diffs reviewers already know and applies with `patch`.
pub fn unified_diff(old_name: &str, new_name: &str, old: &str, new: &str) -> String {
    if old == new && old_name == new_name {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = String::new();
    if old == new {
        // A rename with no change of text: name both, as `git diff` does.
        out.push_str(&format!("rename from {old_name}\nrename to {new_name}\n"));
        return out;
    }
    out.push_str(
        &diff
            .unified_diff()
            .context_radius(3)
            .header(old_name, new_name)
            .to_string(),
    );
    out
}

/// A path with `/` separators, for diff headers and messages.
pub fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_splice_in_order_and_overlaps_are_dropped() {
        let text = "abcdef";
        let edits = [
            Edit::replace(4..5, "E"),
            Edit::insert(0, ">"),
            Edit::replace(1..3, "BC"),
            Edit::replace(2..4, "x"),
        ];
        assert_eq!(apply(text, &edits), ">aBCdEf");
    }

    #[test]
    fn a_file_is_written_back_with_its_bom_and_line_ends() {
        let file = SourceFile::from_raw(Path::new("a.md"), "\u{feff}a\r\nb\r\n");
        assert_eq!(file.text, "a\nb\n");
        assert_eq!(file.saved_form("a\nc\n"), "\u{feff}a\r\nc\r\n");
    }

    #[test]
    fn a_diff_names_the_file_and_shows_changed_lines() {
        let diff = unified_diff("a.md", "a.md", "x\ny\n", "x\nz\n");
        assert!(diff.starts_with("--- a.md\n+++ a.md\n"), "{diff}");
        assert!(diff.contains("-y\n+z\n"), "{diff}");
        assert_eq!(unified_diff("a.md", "a.md", "x\n", "x\n"), "");
    }
}
