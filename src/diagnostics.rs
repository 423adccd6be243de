//! Problems found in a site, as values.
//!
//! Every stage returns its problems as [`Diagnostic`]s instead of stopping at the
//! first one, so a build reports all of them at once.
//!
//! A diagnostic points at a place in the file the author opened, and every stage
//! finds that place the same way: it keeps a byte offset into the file's text and
//! turns it into a line and column with [`line_col`], the one mapping kbgen has.
//! Lines are what an editor shows: a line ends at `\n`, `\r\n` or a lone `\r`,
//! and nothing else (U+0085, U+2028 and U+2029 are characters of their line,
//! though YAML calls them line breaks: a YAML parser's line and column are
//! turned back into a byte offset with [`yaml_offset`], never used as they are).
//! Line and column are 1-based, the column counts Unicode characters (a tab is
//! one), and a byte-order mark at the start of the file is not counted; any other
//! U+FEFF is a character like the rest.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

/// How bad a problem is: errors fail the build, warnings are only reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem, with the place it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, machine-readable code such as `front-matter` or `template`.
    pub code: &'static str,
    pub message: String,
    /// The file, as the user would open it (relative to the site root when possible).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file (an asset, a
    /// folder, a file that cannot be read), which has no line to point at.
    pub line: usize,
    /// 1-based column in characters; 0 when the problem concerns the whole file.
    pub column: usize,
    pub help: Option<String>,
    /// For a place in a snippet: the include calls that brought it into a
    /// page, one chain per page, each outermost first
    /// (`content/a.md:12:1 → content/_snippets/box.md:3:1`). A problem found
    /// in one snippet on several pages is one diagnostic listing them all
    /// (see [`Report::sort`]).
    pub included_by: IncludedBy,
}

/// An include call: where a snippet was included.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IncludeCall {
    /// The file holding the call (as [`Diagnostic::path`]).
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for IncludeCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// The include chains of a diagnostic ([`Diagnostic::included_by`]), read
/// as a slice of chains, each outermost call first. Boxed, and empty
/// without allocating, so a diagnostic stays small enough to return by value.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
// A thin pointer (8 bytes; a `Vec` or boxed slice is 24 or 16), for the few
// diagnostics found in snippets.
#[allow(clippy::box_collection)]
pub struct IncludedBy(Option<Box<Vec<Vec<IncludeCall>>>>);

impl IncludedBy {
    /// One include chain, outermost call first.
    pub fn one(chain: Vec<IncludeCall>) -> IncludedBy {
        IncludedBy(Some(Box::new(vec![chain])))
    }

    /// Adds the chains of `other` that are not here yet.
    fn merge(&mut self, other: IncludedBy) {
        let chains = self.0.get_or_insert_with(Box::default);
        for chain in other.0.into_iter().flat_map(|b| *b) {
            if !chains.contains(&chain) {
                chains.push(chain);
            }
        }
    }

    /// The same chains with every call's path passed through `path`.
    pub fn map_paths(&self, path: impl Fn(&Path) -> PathBuf) -> IncludedBy {
        let chains = self.iter().map(|chain| {
            chain
                .iter()
                .map(|call| IncludeCall {
                    path: path(&call.path),
                    ..call.clone()
                })
                .collect()
        });
        IncludedBy((!self.is_empty()).then(|| Box::new(chains.collect())))
    }
}

/// A chain as text: `content/a.md:4:1 → content/_snippets/b.md:3:1`; a long
/// one shows its ends, the page and the calls nearest the place.
fn chain_text(chain: &[IncludeCall]) -> String {
    const ENDS: usize = 3;
    let text = |calls: &[IncludeCall]| {
        calls
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" → ")
    };
    if chain.len() <= 2 * ENDS + 1 {
        return text(chain);
    }
    format!(
        "{} → … {} more → {}",
        text(&chain[..ENDS]),
        chain.len() - 2 * ENDS,
        text(&chain[chain.len() - ENDS..])
    )
}

impl std::ops::Deref for IncludedBy {
    type Target = [Vec<IncludeCall>];

    fn deref(&self) -> &[Vec<IncludeCall>] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl<'a> IntoIterator for &'a IncludedBy {
    type Item = &'a Vec<IncludeCall>;
    type IntoIter = std::slice::Iter<'a, Vec<IncludeCall>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl Diagnostic {
    pub fn error(code: &'static str, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            path: path.into(),
            line: 0,
            column: 0,
            help: None,
            included_by: IncludedBy::default(),
        }
    }

    pub fn warning(
        code: &'static str,
        path: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, path, message)
        }
    }

    /// Places the diagnostic at a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Places the diagnostic at a byte offset of `text`, the file's text (as
    /// read, or normalized: both give the same place). The way every stage
    /// should place a diagnostic: see the module documentation.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (line, column) = line_col(text, offset);
        self.at(line, column)
    }

    /// Whether the problem concerns the whole file rather than a place in it.
    pub fn is_whole_file(&self) -> bool {
        self.line == 0
    }

    /// The line and column for tools that need a real place (GitHub
    /// annotations reject 0, editors jump to it): a whole-file diagnostic is at
    /// line 1, column 1. The human headline leaves its place out instead.
    pub fn position(&self) -> (usize, usize) {
        (self.line.max(1), self.column.max(1))
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The message with the pages a snippet was included from, as every
    /// output format shows it: `… (included from content/a.md:12:1)`.
    pub fn full_message(&self) -> Cow<'_, str> {
        const LISTED: usize = 3;
        if self.included_by.is_empty() {
            return Cow::Borrowed(&self.message);
        }
        let chains: Vec<String> = self.included_by.iter().map(|c| chain_text(c)).collect();
        let places = match chains.len() {
            1 => chains[0].clone(),
            n if n <= LISTED => format!("{} and {}", chains[..n - 1].join(", "), chains[n - 1]),
            n => format!("{} and {} more", chains[..LISTED].join(", "), n - LISTED),
        };
        Cow::Owned(format!("{} (included from {places})", self.message))
    }

    /// The first line of the human form: `path:line:col: error[code]: message`.
    /// It is one line whatever the path or message hold: control characters
    /// in them are written as escapes (see [`escape_controls`]).
    pub fn headline(&self) -> String {
        let path = escape_controls(&self.path.display().to_string()).into_owned();
        let place = if self.line == 0 {
            path
        } else {
            format!("{path}:{}:{}", self.line, self.column)
        };
        format!(
            "{place}: {}[{}]: {}",
            self.severity,
            self.code,
            escape_controls(&self.full_message())
        )
    }
}

impl fmt::Display for Diagnostic {
    /// The headline: `path:line:col: error[code]: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())
    }
}

impl std::error::Error for Diagnostic {}

/// `text` with control characters written as Rust escapes (`\n`, `\t`,
/// `\u{1b}`), so a file name or an author's value that holds them can neither
/// split a diagnostic's line nor send escape sequences to a terminal.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            escaped.extend(c.escape_default());
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

/// The 1-based line and character column of a byte offset in `text`: the one
/// mapping from offsets to places (see the module documentation).
///
/// Lines end at `\n`, `\r\n` and a lone `\r`; a byte-order mark at the start
/// of `text` is not a column. An offset past the end points just after the last
/// character; an offset inside a multi-byte character or between the `\r` and
/// the `\n` of a CRLF counts what came before it as passed.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let mut line = 1;
    let mut line_start = 0;
    for (i, &byte) in before.iter().enumerate() {
        let ends_line =
            byte == b'\n' || (byte == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n'));
        if ends_line {
            line += 1;
            line_start = i + 1;
        }
    }
    let mut start = &before[line_start..];
    if line_start == 0 {
        start = start.strip_prefix("\u{feff}".as_bytes()).unwrap_or(start);
    }
    let column = String::from_utf8_lossy(start)
        .chars()
        .filter(|&c| c != '\r')
        .count()
        + 1;
    (line, column)
}

/// The name among `known` closest to `given`, when it is close enough to be
/// a typo of it (at most two edits, and fewer than the name is long), for
/// "did you mean" help.
pub fn closest_name<'a>(given: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(k, given), *k))
        .filter(|(distance, k)| *distance <= 2 && *distance < k.len().max(2))
        .min()
        .map(|(_, k)| k)
}

/// Checks the promise every diagnostic keeps: it points at the whole file
/// (line 0) or at a character of one of `text`'s [`lines`], or just after the
/// line's last character. The error says how it broke it. For fuzzing and
/// property tests.
pub fn check_place(text: &str, diagnostic: &Diagnostic) -> Result<(), String> {
    if diagnostic.line == 0 {
        return Ok(());
    }
    let all: Vec<&str> = lines(text).collect();
    let Some(line) = all.get(diagnostic.line - 1) else {
        return Err(format!(
            "diagnostic at line {} of a {}-line file: {}",
            diagnostic.line,
            all.len(),
            diagnostic.headline()
        ));
    };
    let width = line.chars().count();
    if (1..=width + 1).contains(&diagnostic.column) {
        Ok(())
    } else {
        Err(format!(
            "column {} on a line of {width} characters: {}",
            diagnostic.column,
            diagnostic.headline()
        ))
    }
}

/// The lines of `text` as [`line_col`] counts them (and an editor shows them),
/// without their line ends; a leading byte-order mark is left out.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text.strip_prefix('\u{feff}').unwrap_or(text));
    std::iter::from_fn(move || {
        let current = rest?;
        let Some(end) = current.find(['\n', '\r']) else {
            rest = None;
            return Some(current);
        };
        let line_end = if current[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = Some(&current[end + line_end..]);
        Some(&current[..end])
    })
}

/// The byte offset in `yaml` of a 1-based line and column as a YAML parser
/// counts them, so YAML's places go through [`line_col`] like all others.
///
/// YAML (libyaml) ends a line at `\r\n`, `\r`, `\n`, U+0085, U+2028 and
/// U+2029, and counts columns in characters, a byte-order mark included. A
/// place past the end of its line or of the text is clamped to that end.
pub fn yaml_offset(yaml: &str, line: usize, column: usize) -> usize {
    let mut current_line = 1;
    let mut chars = yaml.char_indices().peekable();
    while current_line < line {
        match chars.next() {
            None => return yaml.len(),
            Some((_, '\r')) => {
                chars.next_if(|&(_, c)| c == '\n');
                current_line += 1;
            }
            Some((_, c)) if is_yaml_break(c) => current_line += 1,
            Some(_) => {}
        }
    }
    let mut current_column = 1;
    while current_column < column {
        match chars.peek() {
            Some(&(_, c)) if !is_yaml_break(c) => {
                chars.next();
                current_column += 1;
            }
            _ => break,
        }
    }
    chars.peek().map_or(yaml.len(), |&(i, _)| i)
}

fn is_yaml_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A copy of `text` without a leading byte-order mark and with `\n` line ends
/// (CRLF and lone CR become LF), so byte offsets into it map to the same
/// places as in the file (see [`line_col`]) and line-based searches are plain.
pub fn normalize_line_ends(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The line and column of the first invalid byte of a file that is not UTF-8,
/// `valid_up_to` bytes into it, counted as for a valid file: lines end at LF,
/// CRLF or a lone CR, the column counts the characters of the valid part of its
/// line, and a leading byte-order mark is not counted.
pub fn utf8_error_position(bytes: &[u8], valid_up_to: usize) -> (usize, usize) {
    let valid = String::from_utf8_lossy(&bytes[..valid_up_to.min(bytes.len())]);
    line_col(&valid, valid.len())
}

/// Runs `work`, turning a panic (a bug, in kbgen or a library it uses) into an
/// error on `path`, so one bad file cannot take the whole build down.
pub fn catch_panic<T>(path: &Path, work: impl FnOnce() -> T) -> Result<T, Diagnostic> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|payload| {
        let reason = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Diagnostic::error(
            "internal",
            path,
            format!("kbgen crashed on this file: {reason}"),
        )
        .with_help("this is a bug in kbgen; please report it with this file attached")
    })
}

/// The diagnostics of one build, in the order they are printed.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(more);
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Sorts by path, then line and column, so output does not depend on
    /// thread timing, and drops repeats. A problem in a snippet found on
    /// several pages (the same place, message and help) becomes one
    /// diagnostic that lists every page's include chain.
    pub fn sort(&mut self) {
        self.diagnostics.sort_by(|a, b| {
            (
                &a.path,
                a.line,
                a.column,
                a.severity,
                &a.message,
                a.code,
                &a.help,
                &a.included_by,
            )
                .cmp(&(
                    &b.path,
                    b.line,
                    b.column,
                    b.severity,
                    &b.message,
                    b.code,
                    &b.help,
                    &b.included_by,
                ))
        });
        self.diagnostics.dedup();
        let mut merged: Vec<Diagnostic> = Vec::with_capacity(self.diagnostics.len());
        for diagnostic in std::mem::take(&mut self.diagnostics) {
            match merged.last_mut() {
                Some(last)
                    if !diagnostic.included_by.is_empty()
                        && !last.included_by.is_empty()
                        && Diagnostic {
                            included_by: IncludedBy::default(),
                            ..last.clone()
                        } == Diagnostic {
                            included_by: IncludedBy::default(),
                            ..diagnostic.clone()
                        } =>
                {
                    last.included_by.merge(diagnostic.included_by);
                }
                _ => merged.push(diagnostic),
            }
        }
        self.diagnostics = merged;
    }

    /// "2 errors, 1 warning", or `None` when there is nothing to count.
    pub fn count_line(&self) -> Option<String> {
        let (errors, warnings) = (self.error_count(), self.warning_count());
        let mut parts = Vec::new();
        if errors > 0 {
            parts.push(plural(errors, "error"));
        }
        if warnings > 0 {
            parts.push(plural(warnings, "warning"));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// "1 error", "2 errors".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Renders a diagnostic for a person: the headline, then the source line with a
/// caret under the column, then the help. `source` is the text of the file (as
/// read from disk: a BOM and CRLF are dealt with here).
pub fn render_human(diagnostic: &Diagnostic, source: Option<&str>, color: bool) -> String {
    let mut out = diagnostic.headline();
    out.push('\n');
    if let Some(excerpt) = source.and_then(|text| source_excerpt(diagnostic, text, color)) {
        out.push_str(&excerpt);
        out.push('\n');
    }
    if let Some(help) = &diagnostic.help {
        out.push_str(&format!("  = help: {}\n", escape_controls(help)));
    }
    out
}

fn source_excerpt(diagnostic: &Diagnostic, text: &str, color: bool) -> Option<String> {
    if diagnostic.line == 0 {
        return None;
    }
    let line_text = lines(text).nth(diagnostic.line - 1)?;
    let start: usize = line_text
        .char_indices()
        .nth(diagnostic.column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    let end = line_text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let message = escape_controls(&diagnostic.full_message()).into_owned();
    let report = [level.primary_title(message).element(
        Snippet::source(line_text)
            .line_start(diagnostic.line)
            .annotation(AnnotationKind::Primary.span(start..end)),
    )];
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let rendered = renderer.render(&report);
    // The first line repeats the message, which the headline already gave.
    let body: Vec<&str> = rendered.lines().skip(1).collect();
    Some(body.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_outside_their_line_are_caught() {
        let text = "ab\r\ncd\n";
        let at = |line, column| Diagnostic::error("x", "a.md", "m").at(line, column);
        assert!(check_place(text, &at(2, 3)).is_ok());
        assert!(check_place(text, &Diagnostic::error("x", "a.md", "m")).is_ok());
        assert!(check_place(text, &at(2, 4))
            .unwrap_err()
            .contains("column 4"));
        assert!(check_place(text, &at(5, 1)).unwrap_err().contains("line 5"));
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nçé x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (2, 4));
    }

    #[test]
    fn line_col_ends_lines_as_an_editor_does() {
        let text = "\u{feff}a\r\nb\rc\u{85}d\u{2028}e\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (1, 1), "after the BOM");
        assert_eq!(line_col(text, 4), (1, 2), "between CR and LF");
        assert_eq!(line_col(text, text.find('b').unwrap()), (2, 1));
        assert_eq!(line_col(text, text.find('c').unwrap()), (3, 1));
        assert_eq!(line_col(text, text.find('e').unwrap()), (3, 5));
        assert_eq!(line_col(text, text.find('f').unwrap()), (4, 1));
        let all: Vec<&str> = lines(text).collect();
        assert_eq!(all, ["a", "b", "c\u{85}d\u{2028}e", "f"]);
    }

    #[test]
    fn a_cr_at_the_end_ends_a_line() {
        // Found by the `config` fuzz target: `'\r` was one line to `lines`
        // and two to `line_col`.
        assert_eq!(lines("'\r").collect::<Vec<_>>(), ["'", ""]);
        assert_eq!(lines("a\r\n").collect::<Vec<_>>(), ["a", ""]);
        assert_eq!(lines("").collect::<Vec<_>>(), [""]);
        assert_eq!(line_col("'\r", 2), (2, 1));
    }

    #[test]
    fn a_bom_in_the_middle_is_a_character() {
        let text = "a\n\u{feff}b";
        assert_eq!(line_col(text, text.find('b').unwrap()), (2, 2));
    }

    #[test]
    fn yaml_places_become_offsets() {
        let yaml = "a: 1\r\nb\u{85}c\u{2028}\u{feff}カテ: [\rx";
        assert_eq!(yaml_offset(yaml, 1, 1), 0);
        assert_eq!(yaml_offset(yaml, 2, 1), yaml.find('b').unwrap());
        assert_eq!(yaml_offset(yaml, 3, 1), yaml.find('c').unwrap());
        // BOM, カ, テ: the `:` is column 4 of line 4.
        assert_eq!(yaml_offset(yaml, 4, 4), yaml.find("カテ:").unwrap() + 6);
        assert_eq!(yaml_offset(yaml, 4, 99), yaml.rfind('\r').unwrap());
        assert_eq!(yaml_offset(yaml, 5, 1), yaml.len() - 1);
        assert_eq!(yaml_offset(yaml, 9, 1), yaml.len());
    }

    #[test]
    fn whole_file_diagnostics_have_a_real_position_for_tools() {
        let d = Diagnostic::error("asset", "content/img", "not a file");
        assert!(d.is_whole_file());
        assert_eq!(d.position(), (1, 1));
        assert_eq!(d.headline(), "content/img: error[asset]: not a file");
        assert_eq!(d.at(3, 4).position(), (3, 4));
    }

    #[test]
    fn a_panic_becomes_an_error_on_its_file() {
        let error =
            catch_panic(Path::new("content/a.md"), || -> () { panic!("boom") }).unwrap_err();
        assert_eq!(
            error.headline(),
            "content/a.md: error[internal]: kbgen crashed on this file: boom"
        );
    }

    #[test]
    fn headline_is_one_line_whatever_the_path_and_message_hold() {
        let d = Diagnostic::error(
            "alias",
            "content/a\nb\u{1b}[31m.md",
            "alias `/x\r\ny/` is bad",
        )
        .at(1, 2);
        assert_eq!(
            d.headline(),
            "content/a\\nb\\u{1b}[31m.md:1:2: error[alias]: alias `/x\\r\\ny/` is bad"
        );
    }

    #[test]
    fn utf8_errors_are_placed_like_valid_text() {
        let bytes = b"\xef\xbb\xbfa\r\nb\rcaf\xc3\xa9 \xe9";
        let valid_up_to = bytes.len() - 1;
        assert_eq!(utf8_error_position(bytes, valid_up_to), (3, 6));
    }

    #[test]
    fn headline_has_path_line_column_code() {
        let d = Diagnostic::error("yaml", "content/a.md", "bad").at(3, 7);
        assert_eq!(d.headline(), "content/a.md:3:7: error[yaml]: bad");
    }
}
