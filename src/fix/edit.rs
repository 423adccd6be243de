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
    /// The text as it is on disk (BOM and line ends included).
    pub raw: String,
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
            raw: raw.to_string(),
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

/// A unified diff of one file in the form of `git diff`, which `git apply`
/// and `patch -p1` read: a `diff --git a/OLD b/NEW` line, for a rename the
/// `rename from`/`rename to` lines (and `similarity index 100%` when the text
/// is unchanged: nothing follows), then `--- a/OLD` and `+++ b/NEW` and the
/// hunks, three lines of context. Empty when nothing changed.
///
/// Names are written as git writes them: in double quotes with C escapes when
/// they hold a quote, a backslash or a control character, and the `---`/`+++`
/// lines end with a tab when a name holds a space. Unlike git, a name with a
/// space is quoted in the `diff --git` line too: GNU patch reads a pure
/// rename's names from that line only, and would split them at the space.
///
/// The hunks are made with `similar` (Myers' diff, the algorithm of
/// `git diff`), so the output reads like the diffs reviewers already know.
pub fn unified_diff(old_name: &str, new_name: &str, old: &str, new: &str) -> String {
    if old == new && old_name == new_name {
        return String::new();
    }
    // GNU patch splits the `diff --git` line at spaces unless the names are
    // quoted; `git apply` reads both forms.
    let mut out = format!(
        "diff --git {} {}\n",
        diff_name("a/", old_name, true),
        diff_name("b/", new_name, true)
    );
    let (a, b) = (
        diff_name("a/", old_name, false),
        diff_name("b/", new_name, false),
    );
    if old_name != new_name {
        if old == new {
            out.push_str("similarity index 100%\n");
        }
        out.push_str(&format!(
            "rename from {}\nrename to {}\n",
            diff_name("", old_name, false),
            diff_name("", new_name, false)
        ));
        if old == new {
            return out;
        }
    }
    let tab = |name: &str| {
        if name.contains(' ') && !name.starts_with('"') {
            "\t"
        } else {
            ""
        }
    };
    out.push_str(&format!("--- {a}{}\n+++ {b}{}\n", tab(&a), tab(&b)));
    let diff = similar::TextDiff::from_lines(old, new);
    out.push_str(&diff.unified_diff().context_radius(3).to_string());
    out
}

/// `prefix` and `name` as git writes a name in a diff: as it is, or in double
/// quotes with `\"`, `\\`, `\t`, `\n` and octal escapes when it holds a quote,
/// a backslash or a control character (or, when `space` is set, a space).
fn diff_name(prefix: &str, name: &str, space: bool) -> String {
    let plain = format!("{prefix}{name}");
    let quoted = |c: char| c == '"' || c == '\\' || c.is_control() || (space && c == ' ');
    if !plain.contains(quoted) {
        return plain;
    }
    let mut out = String::from("\"");
    for c in plain.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("\\{byte:03o}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
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
        assert!(
            diff.starts_with("diff --git a/a.md b/a.md\n--- a/a.md\n+++ b/a.md\n@@ "),
            "{diff}"
        );
        assert!(diff.contains("-y\n+z\n"), "{diff}");
        assert_eq!(unified_diff("a.md", "a.md", "x\n", "x\n"), "");
    }

    #[test]
    fn names_are_written_as_git_writes_them() {
        let diff = unified_diff("s t/a.md", "s t/a.md", "x\n", "y\n");
        assert!(
            diff.starts_with(
                "diff --git \"a/s t/a.md\" \"b/s t/a.md\"\n--- a/s t/a.md\t\n+++ b/s t/a.md\t\n"
            ),
            "{diff}"
        );
        assert_eq!(
            unified_diff("a.md", "q\"\\\t.md", "x\n", "x\n"),
            "diff --git a/a.md \"b/q\\\"\\\\\\t.md\"\nsimilarity index 100%\nrename from a.md\nrename to \"q\\\"\\\\\\t.md\"\n"
        );
    }
}
