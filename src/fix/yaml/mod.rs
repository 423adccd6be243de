//! Format-preserving edits of the YAML front matter: find a top-level list
//! (`related:`, `aliases:`) and the place of each of its entries here; replace
//! an entry's value, append entries and remove entries in [`edits`]. Nothing is
//! re-serialised: an edit is a splice at byte offsets, so the author's other
//! keys, comments, quoting and indentation stay as they were written.
//!
//! It reads the two list shapes front matter uses, the block list (`- a` lines,
//! at any indentation) and the flow list (`[a, "b"]`, possibly over several
//! lines); a key it cannot read is `None`, and the caller reports it.

mod edits;

use std::ops::Range;

pub use edits::{append_entries, edit_list, replace_entry};

/// A top-level list key of the front matter, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListKey {
    pub entries: Vec<Entry>,
    shape: Shape,
    /// The `key:` line, without its line end.
    key_line: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// `key:` then `- value` lines; `indent` is the text before each dash.
    Block { indent: String },
    /// `key: [a, b]`; `close` is the offset of `]`.
    Flow { close: usize },
    /// `key:` with no value; `line_end` is the end of its line.
    Empty { line_end: usize },
}

/// One entry of a list, with the byte range of its value (quotes included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub value: String,
    pub range: Range<usize>,
    pub quote: Option<char>,
    /// Whether it is an item of a flow list (`[a, b]`), where a plain value
    /// ends at a `,` and may not hold `[ ] { }`.
    pub flow: bool,
}

/// Where the front matter's YAML sits: the byte range between the fences, or
/// `None` when the file has no front matter.
pub fn yaml_range(text: &str) -> Option<Range<usize>> {
    let split = crate::content::front_matter::split(text, std::path::Path::new("")).ok()?;
    (split.body_start > 0).then_some(split.yaml.0..split.yaml.1)
}

/// Reads the list at top-level `key`; `None` when the key is missing or is not
/// a list this module can read.
pub fn find_list(text: &str, key: &str) -> Option<ListKey> {
    let yaml = yaml_range(text)?;
    let (line_start, line_end) = key_line(text, &yaml, key)?;
    let after_colon = line_start + key.len() + text[line_start + key.len()..].find(':')? + 1;
    let rest = &text[after_colon..line_end];
    let value = strip_comment(rest).trim();
    let (entries, shape) = if value.starts_with('[') {
        let open = after_colon + rest.find('[')?;
        flow_list(text, open, yaml.end)?
    } else if value.is_empty() {
        block_list(text, line_end, yaml.end)
    } else {
        return None;
    };
    Some(ListKey {
        entries,
        shape,
        key_line: line_start..line_end,
    })
}

/// `value` as a YAML scalar: in `style` quotes when given, plain when that
/// reads back as the same string (in a flow list when `flow`), else
/// double-quoted.
pub fn quote(value: &str, style: Option<char>, flow: bool) -> String {
    match style {
        Some('\'') => format!("'{}'", value.replace('\'', "''")),
        Some(_) => double_quoted(value),
        None if is_plain_safe(value, flow) => value.to_string(),
        None => double_quoted(value),
    }
}

fn double_quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A string YAML reads as itself without quotes: no indicator at the start
/// (`@`, `&`, `*`, `!`, `[`, …), no `: ` or ` #` inside, not a number or bool;
/// in a flow list (`flow`), also no `,` `[` `]` `{` `}` anywhere (YAML 1.2,
/// 7.3.3: they end a plain scalar there).
fn is_plain_safe(value: &str, flow: bool) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    let special_start = "@`&*!|>%'\"#[]{},?:-".contains(first) || first.is_whitespace();
    let typed = value.parse::<f64>().is_ok()
        || matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
        );
    !special_start
        && !typed
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !value.ends_with(char::is_whitespace)
        && !value.chars().any(char::is_control)
        && !(flow && value.contains([',', '[', ']', '{', '}']))
}

/// The start and end of the line `key:` at column 0 of the YAML.
fn key_line(text: &str, yaml: &Range<usize>, key: &str) -> Option<(usize, usize)> {
    let mut offset = yaml.start;
    for line in text[yaml.clone()].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if let Some(rest) = line.strip_prefix(key) {
            if rest.trim_start().starts_with(':') {
                return Some((start, start + line.trim_end_matches('\n').len()));
            }
        }
    }
    None
}

/// The `- value` lines after a `key:` line that ends at `from`.
fn block_list(text: &str, from: usize, yaml_end: usize) -> (Vec<Entry>, Shape) {
    let mut entries = Vec::new();
    let mut indent = None;
    let mut offset = (from + 1).min(yaml_end);
    for line in text[offset..yaml_end].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches('\n');
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some(after_dash) = trimmed.strip_prefix('-') else {
            break;
        };
        if !(after_dash.is_empty() || after_dash.starts_with([' ', '\t'])) {
            break;
        }
        let lead = content.len() - trimmed.len();
        indent.get_or_insert_with(|| content[..lead].to_string());
        let value_start = start + lead + 1 + (after_dash.len() - after_dash.trim_start().len());
        if let Some(entry) = scalar(text, value_start, start + content.len()) {
            entries.push(entry);
        }
    }
    if entries.is_empty() {
        return (entries, Shape::Empty { line_end: from });
    }
    let indent = indent.unwrap_or_default();
    (entries, Shape::Block { indent })
}

/// The items of a flow list whose `[` is at `open`.
fn flow_list(text: &str, open: usize, yaml_end: usize) -> Option<(Vec<Entry>, Shape)> {
    let mut entries = Vec::new();
    let mut at = open + 1;
    loop {
        let rest = &text[at..yaml_end];
        let skipped = rest.len() - rest.trim_start().len();
        at += skipped;
        let next = text[at..yaml_end].chars().next()?;
        match next {
            ']' => return Some((entries, Shape::Flow { close: at })),
            ',' => at += 1,
            _ => {
                let end = flow_item_end(text, at, yaml_end)?;
                entries.push(Entry {
                    flow: true,
                    ..scalar(text, at, end)?
                });
                at = entries.last().map_or(end, |e| e.range.end.max(at + 1));
            }
        }
    }
}

/// Where a flow item that starts at `at` ends: its closing quote, or the next
/// `,` or `]` for a plain one.
fn flow_item_end(text: &str, at: usize, yaml_end: usize) -> Option<usize> {
    let rest = &text[at..yaml_end];
    match rest.chars().next()? {
        '"' | '\'' => Some(at + quoted_len(rest)?),
        _ => Some(at + rest.find([',', ']', '\n']).unwrap_or(rest.len())),
    }
}

/// The scalar starting at `start`, up to `line_end` at most.
fn scalar(text: &str, start: usize, line_end: usize) -> Option<Entry> {
    let written = &text[start..line_end];
    match written.chars().next()? {
        quote @ ('"' | '\'') => {
            let len = quoted_len(written)?;
            let inner = &written[1..len - 1];
            let value = if quote == '\'' {
                inner.replace("''", "'")
            } else {
                inner.replace("\\\"", "\"").replace("\\\\", "\\")
            };
            Some(Entry {
                value,
                range: start..start + len,
                quote: Some(quote),
                flow: false,
            })
        }
        _ => {
            let value = strip_comment(written).trim_end();
            Some(Entry {
                value: value.to_string(),
                range: start..start + value.len(),
                quote: None,
                flow: false,
            })
        }
    }
}

/// The length of the quoted scalar at the start of `text`, quotes included.
fn quoted_len(text: &str) -> Option<usize> {
    let quote = text.chars().next()?;
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                chars.next();
                continue;
            }
            return Some(i + 1);
        }
    }
    None
}

/// A plain scalar's text before a ` #` comment.
fn strip_comment(text: &str) -> &str {
    match text.find(" #") {
        Some(i) => &text[..i],
        None if text.starts_with('#') => "",
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_block_and_flow_lists_with_their_quotes() {
        let text = "---\ntitle: A # note\nrelated:\n  - a.md\n  # kept\n  - \"@/b.md\"\naliases: [/x/, '/y''s/']\n---\nBody";
        let related = find_list(text, "related").unwrap();
        let values: Vec<&str> = related.entries.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(values, ["a.md", "@/b.md"]);
        assert_eq!(&text[related.entries[1].range.clone()], "\"@/b.md\"");
        let aliases = find_list(text, "aliases").unwrap();
        let values: Vec<&str> = aliases.entries.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(values, ["/x/", "/y's/"]);
        assert!(find_list(text, "title").is_none());
    }
}
