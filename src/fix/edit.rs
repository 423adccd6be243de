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
/// result back with the BOM it had and each line's own line end: a line the
/// edit left as it was keeps its end (`\r\n`, a lone `\r` or `\n`, even in
/// a file that mixes them), and a new line takes the file's most common one.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The normalized text, as loading saw it.
    pub text: String,
    /// The text as it is on disk (BOM and line ends included).
    pub raw: String,
    bom: bool,
    /// The line end of each line of `text` as it is on disk (`""` for a
    /// last line without one).
    ends: Vec<&'static str>,
    /// The most common line end, for new lines.
    usual_end: &'static str,
}

impl SourceFile {
    /// Reads `path`.
    pub fn read(path: &Path) -> std::io::Result<SourceFile> {
        let raw = std::fs::read_to_string(path)?;
        Ok(SourceFile::from_raw(path, &raw))
    }

    /// A file whose text on disk is `raw`.
    pub fn from_raw(path: &Path, raw: &str) -> SourceFile {
        let ends = line_ends(raw);
        let count = |end: &str| ends.iter().filter(|e| **e == end).count();
        let usual_end = ["\n", "\r\n", "\r"]
            .into_iter()
            .max_by_key(|end| (count(end), *end == "\n"))
            .unwrap_or("\n");
        SourceFile {
            path: path.to_path_buf(),
            text: crate::diagnostics::normalize_line_ends(raw).into_owned(),
            raw: raw.to_string(),
            bom: raw.starts_with('\u{feff}'),
            ends,
            usual_end,
        }
    }

    /// `text` (normalized, an edit of [`SourceFile::text`]) in the form this
    /// file is saved in: lines matched to unchanged lines of the file (by a
    /// line diff) keep their line ends, others take the usual one.
    pub fn saved_form(&self, text: &str) -> String {
        use similar::{DiffOp, TextDiff};
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let mut ends: Vec<&str> = vec![self.usual_end; lines.len()];
        let diff = TextDiff::from_lines(self.text.as_str(), text);
        for op in diff.ops() {
            if let DiffOp::Equal {
                old_index,
                new_index,
                len,
            } = *op
            {
                for i in 0..len {
                    if let Some(end) = self.ends.get(old_index + i) {
                        ends[new_index + i] = end;
                    }
                }
            }
        }
        let mut saved = String::with_capacity(text.len() + lines.len());
        if self.bom {
            saved.push('\u{feff}');
        }
        for (line, end) in lines.into_iter().zip(ends) {
            match line.strip_suffix('\n') {
                Some(line) => {
                    saved.push_str(line);
                    // A kept last line without an end gains the usual one
                    // only when the edit put text after it.
                    saved.push_str(if end.is_empty() { self.usual_end } else { end });
                }
                None => saved.push_str(line),
            }
        }
        saved
    }
}

/// The line end of each line of `raw` (`"\r\n"`, `"\r"`, `"\n"`, or `""`
/// for a last line without one), as `normalize_line_ends` counts lines.
fn line_ends(raw: &str) -> Vec<&'static str> {
    let bytes = raw.as_bytes();
    let mut ends = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                ends.push("\r\n");
                i += 1;
            }
            b'\r' => ends.push("\r"),
            b'\n' => ends.push("\n"),
            _ => {}
        }
        i += 1;
    }
    if !raw.is_empty() && !raw.ends_with(['\n', '\r']) {
        ends.push("");
    }
    ends
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
    fn untouched_lines_keep_their_own_line_ends() {
        let file = SourceFile::from_raw(Path::new("a.md"), "a\r\nb\nc\rd\r\ne");
        assert_eq!(file.text, "a\nb\nc\nd\ne");
        // The changed line and the new one take the usual end (`\r\n`).
        assert_eq!(
            file.saved_form("a\nB\nnew\nc\nd\ne"),
            "a\r\nB\r\nnew\r\nc\rd\r\ne"
        );
        assert_eq!(file.saved_form(&file.text), file.raw);
        let lone_cr = SourceFile::from_raw(Path::new("a.md"), "x\ry\r");
        assert_eq!(lone_cr.saved_form("x\nz\ny\n"), "x\rz\ry\r");
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
