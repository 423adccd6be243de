//! Splices that change a list of the front matter: append entries, replace
//! an entry's value, remove entries. Each is an [`Edit`] at byte offsets of the
//! normalized text; the file's BOM and `\r\n` line ends are put back when it is
//! saved ([`crate::fix::edit::SourceFile`]).
//!
//! Removing keeps everything around the entry: a block entry's line goes
//! (with its own trailing comment), the comment lines around it stay; a flow
//! entry goes with the comma that joined it to its neighbour. When the last
//! entry goes, the key goes too: `aliases:` with nothing under it says
//! nothing, and `kbgen mv` adds the key when it is missing, so a move and the
//! move back leave the file as it was.

use std::ops::Range;

use super::{find_list, quote, yaml_range, Entry, ListKey, Shape};
use crate::fix::edit::Edit;

/// Edits that append `values` to the list at `key`, creating the key (after
/// the last line of the front matter) or the front matter itself if needed.
pub fn append_entries(text: &str, key: &str, values: &[String]) -> Vec<Edit> {
    edit_list(text, key, |_| false, values)
}

/// An edit that replaces `entry`'s value with `value`, in the entry's quoting.
pub fn replace_entry(entry: &Entry, value: &str) -> Edit {
    Edit::replace(entry.range.clone(), quote(value, entry.quote, entry.flow))
}

/// Edits that remove the entries of the list at `key` for which `remove` is
/// true and append `values` after the entries that stay, in the quoting of
/// the list's first entry. The key (or the front matter) is created when
/// there is something to append; a key left with no entry is removed. A key
/// this module cannot read as a list gets no edit.
pub fn edit_list(
    text: &str,
    key: &str,
    remove: impl Fn(&Entry) -> bool,
    values: &[String],
) -> Vec<Edit> {
    let Some(yaml) = yaml_range(text) else {
        if values.is_empty() {
            return Vec::new();
        }
        let mut block = format!("---\n{key}:\n");
        for value in values {
            block.push_str(&format!("  - {}\n", quote(value, None, false)));
        }
        block.push_str("---\n");
        return vec![Edit::insert(0, block)];
    };
    let Some(list) = find_list(text, key) else {
        if values.is_empty() {
            return Vec::new();
        }
        let indent = default_indent(text, &yaml);
        let mut block = format!("{key}:\n");
        for value in values {
            block.push_str(&format!("{indent}- {}\n", quote(value, None, false)));
        }
        return vec![Edit::insert(last_line_end(text, &yaml), block)];
    };
    let removed: Vec<bool> = list.entries.iter().map(remove).collect();
    let style = list.entries.first().and_then(|e| e.quote);
    match &list.shape {
        Shape::Empty { line_end } => {
            let indent = default_indent(text, &yaml);
            let lines: String = values
                .iter()
                .map(|v| format!("\n{indent}- {}", quote(v, None, false)))
                .collect();
            if lines.is_empty() {
                return Vec::new();
            }
            vec![Edit::insert(*line_end, lines)]
        }
        Shape::Block { indent } => {
            let lines: String = values
                .iter()
                .map(|v| format!("\n{indent}- {}", quote(v, style, false)))
                .collect();
            block_edits(text, &list, &removed, lines)
        }
        Shape::Flow { close } => {
            let items: Vec<String> = values.iter().map(|v| quote(v, style, true)).collect();
            flow_edits(text, &list, &removed, *close, &items)
        }
    }
}

/// A block list's removed lines, and `lines` (each starting with `\n`) after
/// the last line that stays, or after the key when none does.
fn block_edits(text: &str, list: &ListKey, removed: &[bool], lines: String) -> Vec<Edit> {
    let mut edits: Vec<Edit> = list
        .entries
        .iter()
        .zip(removed)
        .filter(|(_, &r)| r)
        .map(|(e, _)| Edit::replace(line_of(text, &e.range), ""))
        .collect();
    let last_kept = list.entries.iter().zip(removed).rev().find(|(_, &r)| !r);
    match last_kept {
        Some(_) | None if lines.is_empty() && edits.is_empty() => {}
        Some((entry, _)) if !lines.is_empty() => {
            let line_end = line_of(text, &entry.range).end;
            let at = if text[..line_end].ends_with('\n') {
                line_end - 1
            } else {
                line_end
            };
            edits.push(Edit::insert(at, lines));
        }
        Some(_) => {}
        None if lines.is_empty() => edits.push(Edit::replace(line_of(text, &list.key_line), "")),
        None => edits.push(Edit::insert(list.key_line.end, lines)),
    }
    edits
}

/// A flow list's removed items, each with the comma joining it to a
/// neighbour that stays, and `items` before the `]` at `close`.
fn flow_edits(
    text: &str,
    list: &ListKey,
    removed: &[bool],
    close: usize,
    items: &[String],
) -> Vec<Edit> {
    let entries = &list.entries;
    let Some(last_kept) = (0..entries.len()).rev().find(|&i| !removed[i]) else {
        if entries.is_empty() {
            return match items.is_empty() {
                true => Vec::new(),
                false => vec![Edit::insert(close, items.join(", "))],
            };
        }
        let (first, last) = (&entries[0], &entries[entries.len() - 1]);
        if items.is_empty() {
            // The key, from its line to the end of the line of its `]`.
            let end = line_of(text, &(close..close)).end;
            return vec![Edit::replace(list.key_line.start..end, "")];
        }
        return vec![Edit::replace(
            first.range.start..last.range.end,
            items.join(", "),
        )];
    };
    let mut edits: Vec<Edit> = (0..entries.len())
        .filter(|&i| removed[i])
        .map(|i| match i < last_kept {
            true => Edit::replace(entries[i].range.start..entries[i + 1].range.start, ""),
            false => Edit::replace(entries[i - 1].range.end..entries[i].range.end, ""),
        })
        .collect();
    if !items.is_empty() {
        edits.push(Edit::insert(close, format!(", {}", items.join(", "))));
    }
    edits
}

/// The whole line (line end included) that holds `range`'s start and end.
fn line_of(text: &str, range: &Range<usize>) -> Range<usize> {
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i + 1);
    start..end
}

/// The indentation the file already uses for nested lines (2 spaces if none).
fn default_indent(text: &str, yaml: &Range<usize>) -> String {
    text[yaml.clone()]
        .lines()
        .find(|l| l.starts_with([' ', '\t']) && !l.trim().is_empty())
        .map(|l| l[..l.len() - l.trim_start().len()].to_string())
        .unwrap_or_else(|| "  ".to_string())
}

/// The offset just after the last line of the YAML that is not blank, so new
/// keys go before the blank lines an author keeps above the closing fence.
fn last_line_end(text: &str, yaml: &Range<usize>) -> usize {
    let written = text[yaml.clone()].trim_end();
    if written.is_empty() {
        return yaml.start;
    }
    let end = yaml.start + written.len();
    text[end..yaml.end]
        .find('\n')
        .map_or(yaml.end, |i| end + i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::edit::{apply, SourceFile};

    fn appended(text: &str, key: &str, values: &[&str]) -> String {
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        apply(text, &append_entries(text, key, &values))
    }

    /// `text` with the `key` entries in `gone` removed and `values` appended.
    fn edited(text: &str, key: &str, gone: &[&str], values: &[&str]) -> String {
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        let edits = edit_list(text, key, |e| gone.contains(&e.value.as_str()), &values);
        apply(text, &edits)
    }

    #[test]
    fn appending_keeps_everything_else_as_written() {
        let text = "---\n\ntitle: A   # the title\ntaxonomy:\n    category: c\n\n---\nBody\n";
        assert_eq!(
            appended(text, "related", &["@/x/y.md", "z.md"]),
            "---\n\ntitle: A   # the title\ntaxonomy:\n    category: c\nrelated:\n    - \"@/x/y.md\"\n    - z.md\n\n---\nBody\n"
        );
        let text = "---\ntitle: A\naliases:\n- /old/\n---\n";
        assert_eq!(
            appended(text, "aliases", &["/older/"]),
            "---\ntitle: A\naliases:\n- /old/\n- /older/\n---\n"
        );
        let text = "---\ntitle: A\naliases: ['/old/']\n---\n";
        assert_eq!(
            appended(text, "aliases", &["/new/"]),
            "---\ntitle: A\naliases: ['/old/', '/new/']\n---\n"
        );
        let text = "---\ntitle: A\naliases:\n---\n";
        assert_eq!(
            appended(text, "aliases", &["/new/"]),
            "---\ntitle: A\naliases:\n  - /new/\n---\n"
        );
        assert_eq!(
            appended("Body\n", "related", &["a.md"]),
            "---\nrelated:\n  - a.md\n---\nBody\n"
        );
    }

    #[test]
    fn replacing_an_entry_keeps_its_quotes() {
        let text = "---\nrelated:\n  - 'a.md' # first\n  - b.md\n---\n";
        let list = find_list(text, "related").unwrap();
        let edits = [
            replace_entry(&list.entries[0], "c.md"),
            replace_entry(&list.entries[1], "@/d.md"),
        ];
        assert_eq!(
            apply(text, &edits),
            "---\nrelated:\n  - 'c.md' # first\n  - \"@/d.md\"\n---\n"
        );
    }

    #[test]
    fn a_plain_value_with_a_flow_indicator_is_quoted_in_a_flow_list_only() {
        let text = "---\nrelated: [a.md]\naliases:\n  - /a/\n---\n";
        let related = find_list(text, "related").unwrap();
        let aliases = find_list(text, "aliases").unwrap();
        let edits = [
            replace_entry(&related.entries[0], "a, [b] {c}.md"),
            replace_entry(&aliases.entries[0], "/a,b/"),
        ];
        assert_eq!(
            apply(text, &edits),
            "---\nrelated: [\"a, [b] {c}.md\"]\naliases:\n  - /a,b/\n---\n"
        );
        assert_eq!(
            appended(text, "related", &["x,y.md"]),
            "---\nrelated: [a.md, \"x,y.md\"]\naliases:\n  - /a/\n---\n"
        );
    }

    #[test]
    fn removing_a_block_entry_takes_its_line_and_keeps_the_comments() {
        let text = "---\ntitle: A\naliases:\n  # moved twice\n  - /a/ # first\n  - '/b/'\n  # end\n---\nBody\n";
        assert_eq!(
            edited(text, "aliases", &["/a/"], &[]),
            "---\ntitle: A\naliases:\n  # moved twice\n  - '/b/'\n  # end\n---\nBody\n"
        );
        assert_eq!(
            edited(text, "aliases", &["/b/"], &["/c/"]),
            "---\ntitle: A\naliases:\n  # moved twice\n  - /a/ # first\n  - /c/\n  # end\n---\nBody\n"
        );
        // The last entry gone, the key goes; the comments stay.
        assert_eq!(
            edited(text, "aliases", &["/a/", "/b/"], &[]),
            "---\ntitle: A\n  # moved twice\n  # end\n---\nBody\n"
        );
        assert_eq!(
            edited(text, "aliases", &["/a/", "/b/"], &["/c/"]),
            "---\ntitle: A\naliases:\n  - /c/\n  # moved twice\n  # end\n---\nBody\n"
        );
        let text = "---\naliases:\n- /a/\ntitle: A\n---\n";
        assert_eq!(
            edited(text, "aliases", &["/a/"], &[]),
            "---\ntitle: A\n---\n"
        );
        assert_eq!(edited(text, "aliases", &["/x/"], &[]), text);
    }

    #[test]
    fn removing_a_flow_entry_takes_its_comma() {
        let text = "---\naliases: [/a/, \"/b/\" , /c/] # old\ntitle: A\n---\n";
        let gone = |g: &[&str]| edited(text, "aliases", g, &[]);
        assert_eq!(
            gone(&["/a/"]),
            "---\naliases: [\"/b/\" , /c/] # old\ntitle: A\n---\n"
        );
        assert_eq!(
            gone(&["/b/"]),
            "---\naliases: [/a/, /c/] # old\ntitle: A\n---\n"
        );
        assert_eq!(
            gone(&["/c/"]),
            "---\naliases: [/a/, \"/b/\"] # old\ntitle: A\n---\n"
        );
        assert_eq!(
            gone(&["/a/", "/b/"]),
            "---\naliases: [/c/] # old\ntitle: A\n---\n"
        );
        assert_eq!(
            gone(&["/b/", "/c/"]),
            "---\naliases: [/a/] # old\ntitle: A\n---\n"
        );
        assert_eq!(gone(&["/a/", "/b/", "/c/"]), "---\ntitle: A\n---\n");
        assert_eq!(
            edited(text, "aliases", &["/a/", "/b/", "/c/"], &["/d/"]),
            "---\naliases: [/d/] # old\ntitle: A\n---\n"
        );
        assert_eq!(
            edited(text, "aliases", &["/c/"], &["/d/"]),
            "---\naliases: [/a/, \"/b/\", /d/] # old\ntitle: A\n---\n"
        );
        let text = "---\naliases: [\n  /a/,\n  /b/\n]\ntitle: A\n---\n";
        assert_eq!(
            edited(text, "aliases", &["/a/", "/b/"], &[]),
            "---\ntitle: A\n---\n"
        );
    }

    #[test]
    fn an_append_then_its_removal_gives_the_text_back_with_its_bom_and_line_ends() {
        for raw in [
            "\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n",
            "---\r\ntitle: A\r\naliases:\r\n  - /x/ # kept\r\n---\r\n",
            "---\ntitle: A\naliases: ['/x/']\n---\n",
        ] {
            let file = SourceFile::from_raw(std::path::Path::new("a.md"), raw);
            let added = appended(&file.text, "aliases", &["/old/"]);
            assert!(added.contains("/old/"), "{added}");
            let back = edited(&added, "aliases", &["/old/"], &[]);
            assert_eq!(file.saved_form(&back), raw);
        }
    }
}
