//! kramdown's block attribute lists as Jekyll themes use them for callouts:
//! `{: .warning }` on the line before a paragraph or a quote makes it a
//! callout of that class when the site declares the class under `callouts:`
//! in `_config.yml` (Just the Docs and the themes that copied it). Such a
//! block becomes a kbgen `callout` with the declared title; any other
//! attribute list stays as text, and is a finding (see [`super::inline`]).

use std::sync::LazyLock;

use regex::Regex;

use super::notices::{callout_type, Block, BlockKind, Line};

/// The callout classes a site declares: (class, title).
pub type Callouts = Vec<(String, Option<String>)>;

/// The callouts of `_config.yml`'s `callouts:` map.
pub fn declared_callouts(config: &serde_json::Value) -> Callouts {
    let Some(serde_json::Value::Object(callouts)) = config.get("callouts") else {
        return Callouts::new();
    };
    callouts
        .iter()
        .map(|(class, settings)| {
            let title = settings
                .get("title")
                .and_then(|t| t.as_str())
                .map(str::to_string);
            (class.clone(), title)
        })
        .collect()
}

static CLASS_LIST: LazyLock<Regex> =
    // ok: a constant pattern, compiled by every test run
    LazyLock::new(|| Regex::new(r"^(\s*)\{:\s*((?:\.[\w-]+\s*)+)\}\s*$").expect("regex"));

/// The callout that `lines[at]` (an attribute list) makes of the block after
/// it: the lines up to the next blank one, a quote's `>` taken off.
pub fn callout(lines: &[Line], at: usize, text: &str, callouts: &Callouts) -> Option<Block> {
    let caps = CLASS_LIST.captures(text)?;
    let (class, title) = caps[2]
        .split_whitespace()
        .filter_map(|class| class.strip_prefix('.'))
        .find_map(|class| callouts.iter().find(|(declared, _)| declared == class))?;
    let end = (at + 1..lines.len())
        .find(|&i| lines[i].text.trim().is_empty())
        .unwrap_or(lines.len());
    if end == at + 1 {
        return None;
    }
    let body = lines[at + 1..end].iter().map(unquoted).collect();
    Some(Block {
        consumed: end - at,
        indent: caps[1].to_string(),
        kind: BlockKind::Callout {
            kind: callout_type(class),
            title: title.clone(),
            body,
        },
        note: None,
    })
}

/// A line of a quote without its `>` (and the space after it).
fn unquoted(line: &Line) -> Line {
    let trimmed = line.text.trim_start();
    let Some(rest) = trimmed.strip_prefix('>') else {
        return line.clone();
    };
    let rest_trimmed = rest.strip_prefix(' ').unwrap_or(rest);
    let taken = line.text.len() - rest_trimmed.len();
    Line {
        text: rest_trimmed.to_string(),
        line: line.line,
        column: line.column + line.text[..taken].chars().count(),
    }
}
