//! Front matter: the YAML block between `---` lines at the top of a Markdown file.
//!
//! Splitting works on the normalized text (no BOM, LF line ends) and keeps byte
//! offsets, so a YAML error is reported at its line in the file the author opened,
//! not at its line inside the YAML block. A file without front matter has an
//! empty one, and an article that sets no `title` gets one from its first
//! heading or its file name ([`super::title`]).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::title::TitleSource;
use crate::diagnostics::Diagnostic;
use crate::yaml_errors::{yaml_problem, yaml_problem_help};

/// The fields of an article's front matter, parsed and checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// Set by the loader from the first heading or the file name when the
    /// front matter has none (see [`FrontMatter::title_from`]).
    pub title: String,
    /// Where `title` came from.
    pub title_from: TitleSource,
    pub description: Option<String>,
    pub slug: Option<String>,
    /// Taxonomy name → terms as written (`category: x` gives one term).
    pub taxonomy: BTreeMap<String, Vec<String>>,
    pub related: Vec<String>,
    pub aliases: Vec<String>,
    pub weight: Option<i64>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub template: Option<String>,
    pub toc: bool,
    /// Words readers search for that the article may not contain (error
    /// codes, product nicknames): indexed for search with the title's weight.
    pub keywords: Vec<String>,
    /// In a translation: the revision of its source article it was
    /// translated from, as `kbgen translations mark` writes it (see
    /// [`super::languages::revision`]).
    pub translated_from: Option<String>,
    /// Every key kbgen does not know, for templates.
    pub extra: BTreeMap<String, serde_yaml::Value>,
    /// The front matter had errors (reported where it was read); these are
    /// default values, kept so the file's body is checked and links to it
    /// resolve. Lint rules pass such a file over.
    pub invalid: bool,
}

/// A date from front matter: `YYYY-MM-DD` or RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Date {
    /// The calendar day as written (in the offset the author gave).
    pub day: jiff::civil::Date,
    /// The instant, for ordering and feeds; a plain day is midnight UTC.
    pub instant: jiff::Timestamp,
}

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        if let Ok(day) = text.parse::<jiff::civil::Date>() {
            if text.len() == 10 {
                let instant = day.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
                return Some(Date { day, instant });
            }
        }
        let instant: jiff::Timestamp = text.parse().ok()?;
        let offset = rfc3339_offset(text)?;
        let day = instant.to_zoned(jiff::tz::TimeZone::fixed(offset)).date();
        Some(Date { day, instant })
    }

    /// `2026-03-14`
    pub fn iso_day(&self) -> String {
        self.day.to_string()
    }

    /// `March 14, 2026`
    pub fn human(&self) -> String {
        self.day.strftime("%B %-d, %Y").to_string()
    }
}

fn rfc3339_offset(text: &str) -> Option<jiff::tz::Offset> {
    if text.ends_with('Z') || text.ends_with('z') {
        return Some(jiff::tz::Offset::UTC);
    }
    let sign_at = text.rfind(['+', '-'])?;
    let (hours, minutes) = text[sign_at + 1..].split_once(':')?;
    let seconds = hours.parse::<i32>().ok()? * 3600 + minutes.parse::<i32>().ok()? * 60;
    let seconds = if &text[sign_at..=sign_at] == "-" {
        -seconds
    } else {
        seconds
    };
    jiff::tz::Offset::from_seconds(seconds).ok()
}

/// Where the front matter and the body sit in a file's normalized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the YAML between the fences.
    pub yaml: (usize, usize),
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Finds the `---` fences. A text that does not start with a `---` line has
/// no front matter: an empty one, its body starting at 0, as Hugo, MkDocs and
/// Docusaurus read such files. Errors are diagnostics for `path`.
pub fn split(text: &str, path: &Path) -> Result<Split, Diagnostic> {
    if text.starts_with("+++") {
        return Err(Diagnostic::error(
            "front-matter",
            path,
            "TOML front matter (`+++`) is not supported: kbgen reads YAML front matter",
        )
        .at(1, 1)
        .with_help("write the block between `---` lines, with `key: value` pairs"));
    }
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            yaml: (0, 0),
            body_start: 0,
        });
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut line_start = yaml_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        if text[line_start..line_end].trim_end() == "---" {
            return Ok(Split {
                yaml: (yaml_start, line_start),
                body_start: (line_end + 1).min(text.len()),
            });
        }
        line_start = line_end + 1;
    }
    Err(Diagnostic::error(
        "front-matter",
        path,
        "front matter is not closed: no `---` line after the opening one",
    )
    .at(1, 1)
    .with_help("add a line with `---` after the last front-matter field"))
}

/// The front matter as YAML gives it, before checks.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawFrontMatter {
    title: Option<String>,
    description: Option<String>,
    slug: Option<String>,
    taxonomy: BTreeMap<String, Option<OneOrMany>>,
    related: Option<Vec<String>>,
    aliases: Option<Vec<String>>,
    weight: Option<i64>,
    date: Option<String>,
    updated: Option<String>,
    draft: bool,
    template: Option<String>,
    toc: Option<bool>,
    keywords: Option<OneOrMany>,
    translated_from: Option<String>,
    #[serde(flatten)]
    extra: BTreeMap<String, serde_yaml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// Whether the file is an article, a section's `_index.md` or a snippet
/// (under `content/_snippets/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Article,
    Section,
    Snippet,
}

/// Parses the YAML of `split` in `text`; every problem found is returned. A
/// missing `title` is none: the loader finds one ([`super::title`]).
pub fn parse(text: &str, split: Split, path: &Path) -> Result<FrontMatter, Vec<Diagnostic>> {
    let yaml = &text[split.yaml.0..split.yaml.1];
    let first_line = crate::diagnostics::line_col(text, split.yaml.0).0;
    if let Some(offset) = flow_nesting_past_limit(yaml) {
        return Err(vec![Diagnostic::error(
            "yaml",
            path,
            format!("`[` and `{{` are nested more than {MAX_FLOW_NESTING} levels deep"),
        )
        .at_offset(text, split.yaml.0 + offset)
        .with_help(
            "front matter holds a few plain values; close the brackets you opened",
        )]);
    }
    let raw: RawFrontMatter = if yaml.trim().is_empty() {
        RawFrontMatter::default()
    } else {
        serde_yaml::from_str(yaml).map_err(|e| vec![yaml_diagnostic(&e, text, split, path)])?
    };
    let mut problems = Vec::new();
    let at_key = |key: &str| key_position(text, split, key).unwrap_or((first_line, 1));
    let mut date_field = |key: &str, value: Option<String>| {
        let value = value?;
        let parsed = Date::parse(&value);
        if parsed.is_none() {
            let (line, column) = at_key(key);
            problems.push(
                Diagnostic::error(
                    "front-matter",
                    path,
                    format!("`{key}: {value}` is not a date"),
                )
                .at(line, column)
                .with_help("write YYYY-MM-DD, or RFC 3339 such as 2026-03-14T09:30:00Z"),
            );
        }
        parsed
    };
    let date = date_field("date", raw.date);
    let updated = date_field("updated", raw.updated);
    let title = raw
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let taxonomy: BTreeMap<String, Vec<String>> = raw
        .taxonomy
        .into_iter()
        .map(|(name, terms)| {
            let terms = match terms {
                None => Vec::new(),
                Some(OneOrMany::One(term)) => vec![term],
                Some(OneOrMany::Many(terms)) => terms,
            };
            let terms = terms.into_iter().filter(|t| !t.trim().is_empty()).collect();
            (name, terms)
        })
        .collect();
    let aliases = raw.aliases.unwrap_or_default();
    let at_entry = |key: &str, entry: &str| {
        let offset = entry_offset(text, split.body_start, key, entry)
            .or_else(|| key_offset(text, split.body_start, key));
        offset.map_or((first_line, 1), |o| crate::diagnostics::line_col(text, o))
    };
    problems.extend(url_name_problems(
        UrlNames {
            slug: raw.slug.as_deref(),
            taxonomy: &taxonomy,
        },
        path,
        at_entry,
    ));
    if !problems.is_empty() {
        // A typo is often why a field is missing: say so beside the error.
        problems.extend(typo_warnings(text, split, raw.extra.keys(), path));
        return Err(problems);
    }
    Ok(FrontMatter {
        title: title.unwrap_or_default(),
        title_from: TitleSource::FrontMatter,
        description: raw.description.filter(|d| !d.trim().is_empty()),
        slug: raw.slug,
        taxonomy,
        related: raw.related.unwrap_or_default(),
        aliases,
        weight: raw.weight,
        date,
        updated,
        draft: raw.draft,
        template: raw.template,
        toc: raw.toc.unwrap_or(true),
        keywords: keywords(raw.keywords),
        translated_from: raw
            .translated_from
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty()),
        extra: raw
            .extra
            .into_iter()
            .map(|(key, value)| (key, with_text_keys(value)))
            .collect(),
        invalid: false,
    })
}

/// `value` with mapping keys that templates can take. Unknown keys reach
/// templates as `page.extra`, and Tera (like JSON) takes only text, whole
/// numbers and true/false as keys; YAML allows any value as a key (` &a:` is
/// an empty one, `~:` null, `? [a, b]` a list, `1.5:` a fraction), and one of
/// those made the page fail to render (found by the render_article fuzz
/// target). Such a key becomes its YAML text.
fn with_text_keys(value: serde_yaml::Value) -> serde_yaml::Value {
    use serde_yaml::Value;
    match value {
        Value::Mapping(map) => Value::Mapping(
            map.into_iter()
                .map(|(key, value)| {
                    let key = match key {
                        Value::String(_) | Value::Bool(_) => key,
                        Value::Number(ref n) if n.is_i64() || n.is_u64() => key,
                        other => Value::String(
                            serde_yaml::to_string(&other)
                                .unwrap_or_default()
                                .trim_end()
                                .to_string(),
                        ),
                    };
                    (key, with_text_keys(value))
                })
                .collect(),
        ),
        Value::Sequence(items) => Value::Sequence(items.into_iter().map(with_text_keys).collect()),
        Value::Tagged(mut tagged) => {
            tagged.value = with_text_keys(std::mem::take(&mut tagged.value));
            Value::Tagged(tagged)
        }
        other => other,
    }
}

/// `keywords:` as a list, or as one comma-separated string; blanks dropped.
fn keywords(raw: Option<OneOrMany>) -> Vec<String> {
    let words = match raw {
        None => Vec::new(),
        Some(OneOrMany::One(line)) => line.split(',').map(str::to_string).collect(),
        Some(OneOrMany::Many(words)) => words,
    };
    words
        .into_iter()
        .map(|w| w.trim().to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// How deep `[`/`{` may nest in front matter. The YAML scanner looks at every
/// open bracket again for each token, so a line of 100,000 `[` takes it most of
/// a minute before its own recursion limit (128) is reached.
pub const MAX_FLOW_NESTING: usize = 64;

/// The offset in `yaml` of the first `[` or `{` nested deeper than
/// [`MAX_FLOW_NESTING`], found in one pass before the YAML parser runs.
/// Brackets in quoted strings, comments and block scalars (`|`, `>`) are text,
/// and so are brackets inside a plain value such as `title: a [b]`.
fn flow_nesting_past_limit(yaml: &str) -> Option<usize> {
    let bytes = yaml.as_bytes();
    let mut depth = 0;
    // Whether a value may start here: a bracket or quote there opens one.
    let mut value_start = true;
    // The indentation of the line a block scalar belongs to, while in it.
    let mut block_scalar: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        if i == 0 || bytes[i - 1] == b'\n' {
            let indent = bytes[i..].iter().take_while(|&&b| b == b' ').count();
            let blank = matches!(bytes.get(i + indent), None | Some(b'\n'));
            match block_scalar {
                Some(parent) if blank || indent > parent => {
                    i = line_end(bytes, i) + 1;
                    continue;
                }
                _ => block_scalar = None,
            }
        }
        let byte = bytes[i];
        match byte {
            b'[' | b'{' if value_start || depth > 0 => {
                depth += 1;
                if depth > MAX_FLOW_NESTING {
                    return Some(i);
                }
                value_start = true;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                value_start = false;
            }
            b'"' | b'\'' if value_start => i = quoted_end(bytes, i),
            b'|' | b'>' if value_start && depth == 0 => {
                block_scalar = Some(line_indent(bytes, i));
                i = line_end(bytes, i);
                continue;
            }
            b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                i = line_end(bytes, i);
                continue;
            }
            b'\n' => value_start = true,
            b' ' | b'\t' => {}
            b',' if depth > 0 => value_start = true,
            b':' | b'-' | b'?' => {
                value_start = matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\n'))
                    || (byte == b':' && depth > 0);
            }
            _ => value_start = false,
        }
        i += 1;
    }
    None
}

/// The offset of the `\n` ending the line that holds `i` (or the end).
fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| i + n)
}

/// The indentation of the line that holds `i`.
fn line_indent(bytes: &[u8], i: usize) -> usize {
    let start = bytes[..i]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |n| n + 1);
    bytes[start..].iter().take_while(|&&b| b == b' ').count()
}

/// The offset of the closing quote of the string opened at `open` (`"` with
/// `\` escapes, `'` with `''`), or the end: strings may span lines.
fn quoted_end(bytes: &[u8], open: usize) -> usize {
    let quote = bytes[open];
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 1,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b if b == quote => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The longest slug, term slug or alias segment kbgen accepts, in bytes. Each
/// becomes a folder name, which most file systems cap at 255 bytes; the rest is
/// room for the names kbgen writes beside them (`x.html`, temporary files).
pub const MAX_SLUG_BYTES: usize = 200;

/// The front-matter values that become folder names in the output.
struct UrlNames<'a> {
    slug: Option<&'a str>,
    taxonomy: &'a BTreeMap<String, Vec<String>>,
}

/// Errors for values that cannot become folder names: a slug without letters
/// or digits, names too long for a file system. Caught here, at the value,
/// not as a failed write at the output. (Aliases are checked with the files
/// they write, in the site model.)
fn url_name_problems(
    names: UrlNames<'_>,
    path: &Path,
    at_entry: impl Fn(&str, &str) -> (usize, usize),
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut error = |key: &str, entry: &str, message: String, help: &str| {
        let (line, column) = at_entry(key, entry);
        problems.push(
            Diagnostic::error("front-matter", path, message)
                .at(line, column)
                .with_help(help),
        );
    };
    if let Some(slug) = names.slug.filter(|s| !s.trim().is_empty()) {
        let slugified = super::naming::slugify(slug);
        if slugified.is_empty() {
            error(
                "slug",
                slug,
                format!(
                    "`slug: {}` has no letters or digits to make a URL from",
                    shorten(slug)
                ),
                "write the slug with ASCII letters and digits, such as `reset-password`",
            );
        } else if slugified.len() > MAX_SLUG_BYTES {
            error(
                "slug",
                slug,
                format!(
                    "the slug is {} bytes long, more than the {MAX_SLUG_BYTES} a URL slug may have",
                    slugified.len()
                ),
                "a slug becomes a folder name in the output; use a few words",
            );
        }
    }
    for (taxonomy, terms) in names.taxonomy {
        for term in terms {
            let slugified = super::naming::slugify(term);
            if slugified.len() > MAX_SLUG_BYTES {
                error(
                    "taxonomy",
                    term,
                    format!("the {taxonomy} `{}` makes a URL slug of {} bytes, more than {MAX_SLUG_BYTES}", shorten(term), slugified.len()),
                    "a term's slug becomes a folder name in the output; use a few words",
                );
            }
        }
    }
    problems
}

/// A value as quoted in a message: at most 40 characters of it.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_string(),
    }
}

/// A YAML error at its place in the Markdown file, in words a writer knows.
/// serde_yaml's trailing "while parsing X at line L column C" becomes help,
/// moved into file lines too. Every place goes through a byte offset in `text`
/// (see [`crate::diagnostics`]).
fn yaml_diagnostic(error: &serde_yaml::Error, text: &str, split: Split, path: &Path) -> Diagnostic {
    let yaml = &text[split.yaml.0..split.yaml.1];
    let (message, offset) = yaml_problem(error, yaml);
    let (message, offset) = plain_message(&message, yaml, offset);
    let diagnostic =
        Diagnostic::error("yaml", path, message.as_str()).at_offset(text, split.yaml.0 + offset);
    if let Some(help) = yaml_problem_help(&message) {
        return diagnostic.with_help(help);
    }
    let full = error.to_string();
    let opened = full.split_once(", while ").and_then(|(_, context)| {
        let (what, place) = context.rsplit_once(" at line ")?;
        let (line, column) = place.split_once(" column ").unwrap_or((place, "1"));
        let line = line.trim().parse::<usize>().ok()?;
        let column = column.trim().parse::<usize>().unwrap_or(1);
        let offset = crate::diagnostics::yaml_offset(yaml, line, column);
        let (line, column) = crate::diagnostics::line_col(text, split.yaml.0 + offset);
        Some((what.to_string(), line, column))
    });
    let specific = if line_around(yaml, offset).contains('\t') {
        Some("YAML indents with spaces; replace the tab with spaces")
    } else {
        common_mistake(&full)
    };
    let help = match (specific, opened) {
        (Some(help), Some((_, line, column))) if full.contains("end of stream") => {
            format!("{help} (it opens at line {line}, column {column})")
        }
        (Some(help), _) => help.to_string(),
        (None, Some((what, line, column))) => {
            format!("while {what} that starts at line {line}, column {column}")
        }
        (None, None) => return diagnostic,
    };
    diagnostic.with_help(help)
}

/// The `\n`-ended line of `text` that holds `offset`, without its line end.
fn line_around(text: &str, offset: usize) -> &str {
    let offset = floor_char_boundary(text, offset);
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    &text[start..end]
}

/// The largest char boundary of `text` at or before `offset`.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// serde_yaml's messages that name kbgen's internal types, rewritten, with a
/// better place where serde_yaml's is vague. `offset` is serde_yaml's place,
/// a byte offset in `yaml`; so is the place returned.
fn plain_message(message: &str, yaml: &str, offset: usize) -> (String, usize) {
    if message.contains("expected struct RawFrontMatter") {
        let found = message
            .strip_prefix("invalid type: ")
            .and_then(|m| m.split(',').next())
            .unwrap_or("something else");
        let found = if found == "sequence" { "a list" } else { found };
        return (
            format!("front matter must be `key: value` lines, found {found}"),
            offset,
        );
    }
    if let Some(second) = crate::yaml_errors::duplicate_key_offset(message, yaml) {
        return (message.to_string(), second);
    }
    if message.starts_with("taxonomy:") && message.contains("untagged enum OneOrMany") {
        let offset = floor_char_boundary(yaml, offset);
        let line = line_around(yaml, offset);
        let line_start = yaml[..offset].rfind('\n').map_or(0, |i| i + 1);
        let key = line.trim().split(':').next().unwrap_or("").trim();
        let value = line.find(": ").map_or(offset, |i| line_start + i + 2);
        return (
            format!("taxonomy.{key}: expected a term or a list of terms"),
            value,
        );
    }
    (message.to_string(), offset)
}

/// Help for the YAML mistakes writers make most, by serde_yaml's message.
fn common_mistake(message: &str) -> Option<&'static str> {
    let known: [(&str, &str); 6] = [
        (
            "mapping values are not allowed",
            "a value that contains `: ` must be quoted, e.g. title: \"Error: access denied\"",
        ),
        ("found a tab character", "YAML indents with spaces; replace the tab with spaces"),
        (
            "invalid type: sequence, expected a string",
            "this key takes one text value, not a list: remove the [ ] or the `- ` items, or quote the text",
        ),
        (
            "invalid type: map, expected a string",
            "this key takes one text value: if it contains `: `, quote it",
        ),
        (
            "did not find expected key",
            "check this line's indentation: keys of one block start in the same column",
        ),
        (
            "found unexpected end of stream",
            "a quote or bracket opened in the front matter is never closed",
        ),
    ];
    known
        .iter()
        .find(|(pattern, _)| message.contains(pattern))
        .map(|(_, help)| *help)
}

/// Keys of front matter that kbgen reads itself.
pub const KNOWN_KEYS: [&str; 15] = [
    "title",
    "description",
    "slug",
    "taxonomy",
    "related",
    "aliases",
    "weight",
    "date",
    "updated",
    "draft",
    "template",
    "toc",
    "keywords",
    "translated_from",
    "extra",
];

/// Unknown keys that are probably typos of known ones: warnings at the key.
pub fn typo_warnings<'a>(
    text: &str,
    split: Split,
    keys: impl Iterator<Item = &'a String>,
    path: &Path,
) -> Vec<Diagnostic> {
    keys.filter_map(|key| {
        let known = KNOWN_KEYS
            .iter()
            .map(|k| (strsim::damerau_levenshtein(k, key), *k))
            .filter(|(distance, k)| *distance <= 2 && *distance < k.len() / 2 + 1)
            .min()?
            .1;
        let (line, column) = key_position(text, split, key).unwrap_or((1, 1));
        Some(
            Diagnostic::warning(
                "front-matter",
                path,
                format!("unknown front-matter key `{key}`"),
            )
            .at(line, column)
            .with_help(format!(
                "did you mean `{known}`? (unknown keys reach templates as `page.extra.{key}`)"
            )),
        )
    })
    .collect()
}

/// The line and column of a top-level `key:` inside the front matter.
fn key_position(text: &str, split: Split, key: &str) -> Option<(usize, usize)> {
    key_offset(text, split.body_start, key).map(|offset| crate::diagnostics::line_col(text, offset))
}

/// The byte offset of a top-level `key:` line in the front matter (the text
/// before `body_start`), for diagnostics about a field found after parsing.
pub fn key_offset(text: &str, body_start: usize, key: &str) -> Option<usize> {
    let front_matter = &text[..body_start.min(text.len())];
    let mut offset = 0;
    for line in front_matter.split_inclusive('\n') {
        if line.starts_with(key) && line[key.len()..].trim_start().starts_with(':') {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// The byte offset of `entry` (a value as parsed) after the top-level `key:`
/// line of the front matter: the first place it occurs from that line on.
pub fn entry_offset(text: &str, body_start: usize, key: &str, entry: &str) -> Option<usize> {
    let after_key = key_offset(text, body_start, key)?;
    let front_matter = &text[..body_start.min(text.len())];
    // A control character was written as an escape (`\n`): look for the
    // part before it.
    let as_written = entry.split(char::is_control).next().unwrap_or(entry);
    let found = front_matter[after_key..].find(as_written)?;
    Some(after_key + found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_article(text: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        let path = Path::new("a.md");
        let split = split(text, path).map_err(|d| vec![d])?;
        parse(text, split, path)
    }

    #[test]
    fn splits_fences_and_keeps_the_body() {
        let text = "---\ntitle: A\n---\nBody\n";
        let s = split(text, Path::new("a.md")).unwrap();
        assert_eq!(&text[s.yaml.0..s.yaml.1], "title: A\n");
        assert_eq!(&text[s.body_start..], "Body\n");
    }

    #[test]
    fn a_text_without_fences_has_an_empty_front_matter_and_no_title() {
        let text = "# Reset\n\nBody\n";
        let s = split(text, Path::new("a.md")).unwrap();
        assert_eq!((s.yaml, s.body_start), ((0, 0), 0));
        assert_eq!(parse(text, s, Path::new("a.md")).unwrap().title, "");
    }

    #[test]
    fn yaml_error_points_at_the_file_line() {
        let err = parse_article("---\ntitle: A\ndescription: [x\n---\n").unwrap_err();
        assert_eq!(err[0].code, "yaml");
        assert!(err[0].line >= 3, "line {}", err[0].line);
    }

    #[test]
    fn single_term_and_null_description() {
        let fm =
            parse_article("---\n\ntitle: A\ndescription:\ntaxonomy:\n    category: c\n\n---\n")
                .unwrap();
        assert_eq!(fm.taxonomy["category"], ["c"]);
        assert_eq!(fm.description, None);
    }

    #[test]
    fn dates_plain_and_rfc3339() {
        let d = Date::parse("2026-03-14").unwrap();
        assert_eq!(d.human(), "March 14, 2026");
        let d = Date::parse("2026-03-14T23:30:00-05:00").unwrap();
        assert_eq!(d.iso_day(), "2026-03-14");
        assert!(Date::parse("14/03/2026").is_none());
    }

    #[test]
    fn typos_of_known_keys_are_warnings() {
        let text = "---\ntitle: A\ntittle: B\ndescripton: C\nproduct: x\n---\n";
        let s = split(text, Path::new("a.md")).unwrap();
        let front = parse(text, s, Path::new("a.md")).unwrap();
        let warnings = typo_warnings(text, s, front.extra.keys(), Path::new("a.md"));
        let heads: Vec<String> = warnings.iter().map(|w| w.headline()).collect();
        assert_eq!(
            heads,
            [
                "a.md:4:1: warning[front-matter]: unknown front-matter key `descripton`",
                "a.md:3:1: warning[front-matter]: unknown front-matter key `tittle`",
            ]
        );
        assert_eq!(
            warnings[1].help.as_deref(),
            Some("did you mean `title`? (unknown keys reach templates as `page.extra.tittle`)")
        );
    }

    #[test]
    fn common_yaml_mistakes_get_help() {
        let err = parse_article("---\ntitle: Error: denied\n---\n").unwrap_err();
        assert_eq!(
            err[0].headline(),
            "a.md:2:13: error[yaml]: mapping values are not allowed in this context"
        );
        assert!(err[0].help.as_deref().unwrap().contains("must be quoted"));
        let err = parse_article("---\ntitle: [a, b]\n---\n").unwrap_err();
        assert!(err[0].help.as_deref().unwrap().contains("not a list"));
    }

    #[test]
    fn flow_nesting_is_counted_outside_strings_comments_and_plain_text() {
        let deep = "[".repeat(MAX_FLOW_NESTING + 1);
        assert_eq!(
            flow_nesting_past_limit(&format!("x: {deep}")),
            Some(3 + MAX_FLOW_NESTING)
        );
        assert_eq!(
            flow_nesting_past_limit(&format!("x:\n  - {deep}")),
            Some(7 + MAX_FLOW_NESTING)
        );
        assert_eq!(
            flow_nesting_past_limit(&format!("x: [a, {{b: {deep}")),
            Some(11 + MAX_FLOW_NESTING - 2)
        );
        for fine in [
            format!("x: \"{deep}\""),
            format!("x: '{deep}'"),
            format!("x: 'it''s {deep}'"),
            format!("x: \"a \\\" {deep}\""),
            format!("x: 1 # {deep}"),
            format!("title: a {deep}"),
            format!("x: |\n  {deep}\n\n  {deep}\ny: 1"),
            format!("x: >-\n  {deep}"),
            format!(
                "x: {}{}",
                "[".repeat(MAX_FLOW_NESTING),
                "]".repeat(MAX_FLOW_NESTING)
            ),
        ] {
            assert_eq!(flow_nesting_past_limit(&fine), None, "{fine}");
        }
    }

    #[test]
    fn bad_date_is_reported_at_its_key() {
        let err = parse_article("---\ntitle: A\ndate: soon\n---\n").unwrap_err();
        assert_eq!((err[0].line, err[0].column), (3, 1));
    }
}
