//! Block constructs of the source tools, recognised at the line that opens
//! them: admonitions (MkDocs `!!! type "Title"` and `???`, Docusaurus
//! `:::type Title`, Hugo's `{{< note >}}`-like shortcodes, Grav's `! text`
//! notices) become a `callout` with a body; code shortcodes (Grav
//! `[prism classes="language-x"]`, Hugo `{{< highlight x >}}`, Jekyll
//! `{% highlight x %}`) become a fenced code block.

use std::sync::LazyLock;

use regex::Regex;

use super::kramdown::Callouts;
use super::Tool;

/// A source line, as the block being converted sees it.
#[derive(Debug, Clone)]
pub struct Line {
    /// The text, without the indentation of the block it is in.
    pub text: String,
    /// 1-based line in the source file.
    pub line: usize,
    /// Columns removed from the front of the source line.
    pub column: usize,
}

/// A block construct found at a line.
#[derive(Debug)]
pub struct Block {
    /// Lines it takes, the opening one included.
    pub consumed: usize,
    /// The indentation to write its lines at.
    pub indent: String,
    pub kind: BlockKind,
    /// A finding about it (what was lost in converting), as (column, kind, message).
    pub note: Option<(&'static str, String)>,
}

#[derive(Debug)]
pub enum BlockKind {
    /// A callout: its type, title and body lines (converted in turn).
    Callout {
        kind: &'static str,
        title: Option<String>,
        body: Vec<Line>,
    },
    /// A code block: its language and its lines as written.
    Code { language: String, body: Vec<String> },
    /// A content tab (MkDocs `=== "Title"`): its title as a bold line, then
    /// its body lines (converted in turn), one tab after another.
    Tab { title: Line, body: Vec<Line> },
    /// A tag that only wraps what follows (Grav's `[ui-tabs]`, `[/ui-tab]`):
    /// nothing is written in its place but a blank line.
    Wrapper,
}

/// The block construct that opens at `lines[at]`, if any.
pub fn block_at(lines: &[Line], at: usize, tool: Tool, callouts: &Callouts) -> Option<Block> {
    let text = lines[at].text.trim_end_matches(['\n', '\r']);
    match tool {
        Tool::Mkdocs => mkdocs_admonition(lines, at, text).or_else(|| mkdocs_tab(lines, at, text)),
        Tool::Docusaurus => docusaurus_admonition(lines, at, text),
        Tool::Hugo => hugo_block(lines, at, text).or_else(|| hugo_inline_callout(lines, at, text)),
        Tool::Grav => grav_prism(lines, at, text)
            .or_else(|| grav_notice(lines, at, text))
            .or_else(|| grav_tab(lines, at, text)),
        Tool::Jekyll => jekyll_highlight(lines, at, text)
            .or_else(|| super::kramdown::callout(lines, at, text, callouts)),
        Tool::Zola => None,
    }
}

/// kbgen's callout type for an admonition type of any of the tools.
pub fn callout_type(name: &str) -> &'static str {
    match name.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "important" | "idea" => "tip",
        "success" | "check" | "done" => "success",
        "warning" | "caution" | "attention" | "warn" | "alert" => "warning",
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" | "red" => "danger",
        _ => "info",
    }
}

fn capitalized(name: &str) -> String {
    crate::content::naming::title_from_name(&name.to_ascii_lowercase())
}

fn indent_of(text: &str) -> usize {
    text.len() - text.trim_start_matches([' ', '\t']).len()
}

/// The lines of a block, from `from`, while `inside` holds (blank lines
/// included), trailing blank lines left out.
fn lines_while(lines: &[Line], from: usize, inside: impl Fn(&str) -> bool) -> usize {
    let mut end = from;
    let mut last = from;
    while end < lines.len() {
        let text = lines[end].text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            end += 1;
            continue;
        }
        if !inside(text) {
            break;
        }
        end += 1;
        last = end;
    }
    last
}

fn dedented(line: &Line, by: usize) -> Line {
    let strip = indent_of(&line.text).min(by);
    Line {
        text: line.text[strip..].to_string(),
        line: line.line,
        column: line.column + strip,
    }
}

static MKDOCS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(\s*)(!!!|\?\?\?\+?)\s+([\w-]+)((?:\s+[\w-]+)*)\s*(?:"(.*)")?\s*$"#)
        // ok: a constant pattern, compiled by every test run
        .expect("regex")
});

static MKDOCS_TAB: LazyLock<Regex> =
    // ok: a constant pattern, compiled by every test run
    LazyLock::new(|| Regex::new(r#"^(\s*)===[!+]?\s+"(.*)"\s*$"#).expect("regex"));

/// A content tab: its body is indented by four, like an admonition's, and
/// would be an indented code block if left so.
fn mkdocs_tab(lines: &[Line], at: usize, text: &str) -> Option<Block> {
    let caps = MKDOCS_TAB.captures(text)?;
    let indent = caps[1].to_string();
    let body_indent = indent.len() + 4;
    let end = lines_while(lines, at + 1, |t| indent_of(t) >= body_indent);
    let body = lines[at + 1..end]
        .iter()
        .map(|l| dedented(l, body_indent))
        .collect();
    Some(Block {
        consumed: end - at,
        indent,
        kind: BlockKind::Tab {
            title: tab_title(&lines[at], caps.get(2).map_or(0, |t| t.start()), &caps[2]),
            body,
        },
        note: Some((
            "import/tabs",
            "a content tab has no kbgen equivalent; its title is a bold line and its content follows".to_string(),
        )),
    })
}

/// A tab's title as the bold line it becomes, placed so that its findings
/// (an icon, a link) point at the title in the source line.
fn tab_title(line: &Line, title_at: usize, title: &str) -> Line {
    Line {
        text: format!("**{}**\n", title.trim()),
        line: line.line,
        column: (line.column + line.text[..title_at].chars().count()).saturating_sub(2),
    }
}

fn mkdocs_admonition(lines: &[Line], at: usize, text: &str) -> Option<Block> {
    let caps = MKDOCS.captures(text)?;
    let indent = caps[1].to_string();
    let marker = caps[2].to_string();
    let name = caps[3].to_string();
    let title = match caps.get(5) {
        Some(t) => (!t.as_str().is_empty()).then(|| t.as_str().to_string()),
        None => Some(capitalized(&name)),
    };
    let body_indent = indent.len() + 4;
    let end = lines_while(lines, at + 1, |t| indent_of(t) >= body_indent);
    let body = lines[at + 1..end]
        .iter()
        .map(|l| dedented(l, body_indent))
        .collect();
    let note = marker.starts_with("???").then(|| {
        (
            "import/collapsible",
            "a collapsible admonition (`???`) is shown as an open callout".to_string(),
        )
    });
    Some(Block {
        consumed: end - at,
        indent,
        kind: BlockKind::Callout {
            kind: callout_type(&name),
            title,
            body,
        },
        note,
    })
}

static DOCUSAURUS: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r"^(\s*)(:{3,})([A-Za-z]+)(?:\[(.*)\])?(?:\{.*\})?\s*(.*?)\s*$").expect("regex")
});

fn docusaurus_admonition(lines: &[Line], at: usize, text: &str) -> Option<Block> {
    let caps = DOCUSAURUS.captures(text)?;
    let indent = caps[1].to_string();
    let colons = caps[2].to_string();
    let name = caps[3].to_string();
    let title = caps
        .get(4)
        .map(|t| t.as_str().to_string())
        .or_else(|| {
            caps.get(5)
                .map(|t| t.as_str().to_string())
                .filter(|t| !t.is_empty())
        })
        .or_else(|| Some(capitalized(&name)));
    let mut fence: Option<String> = None;
    let mut end = at + 1;
    while end < lines.len() {
        let t = lines[end].text.trim();
        if let Some(open) = &fence {
            if t.starts_with(open.as_str()) {
                fence = None;
            }
        } else if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(t[..3].to_string());
        } else if t == colons {
            let body = lines[at + 1..end]
                .iter()
                .map(|l| dedented(l, indent.len()))
                .collect();
            return Some(Block {
                consumed: end + 1 - at,
                indent,
                kind: BlockKind::Callout {
                    kind: callout_type(&name),
                    title,
                    body,
                },
                note: None,
            });
        }
        end += 1;
    }
    None
}

static HUGO_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r"^(\s*)\{\{([<%])\s*([\w-]+)(.*?)\s*[>%]\}\}\s*$").expect("regex")
});

static HUGO_ARG: LazyLock<Regex> =
    // ok: a constant pattern, compiled by every test run
    LazyLock::new(|| {
        Regex::new(r#"(?:([\w-]+)=)?(?:"([^"]*)"|'([^']*)'|(\S+))"#).expect("regex")
    });

const HUGO_CALLOUTS: [&str; 13] = [
    "note",
    "warning",
    "tip",
    "alert",
    "hint",
    "notice",
    "caution",
    "info",
    "important",
    "danger",
    "callout",
    "admonition",
    "warn",
];

/// A Hugo shortcode's arguments: positional ones and `key=value` ones.
pub fn hugo_args(args: &str) -> (Vec<String>, Vec<(String, String)>) {
    let mut positional = Vec::new();
    let mut named = Vec::new();
    for caps in HUGO_ARG.captures_iter(args) {
        let value = caps
            .get(2)
            .or_else(|| caps.get(3))
            .or_else(|| caps.get(4))
            .map_or("", |m| m.as_str())
            .to_string();
        match caps.get(1) {
            Some(key) => named.push((key.as_str().to_string(), value)),
            None => positional.push(value),
        }
    }
    (positional, named)
}

fn hugo_block(lines: &[Line], at: usize, text: &str) -> Option<Block> {
    let caps = HUGO_OPEN.captures(text)?;
    let indent = caps[1].to_string();
    let name = caps[3].to_string();
    let is_code = name == "highlight";
    if !is_code && !HUGO_CALLOUTS.contains(&name.as_str()) {
        return None;
    }
    let end = (at + 1..lines.len()).find(|&i| {
        let t = lines[i].text.trim();
        (t.starts_with("{{<") || t.starts_with("{{%"))
            && t.trim_start_matches(['{', '<', '%', ' '])
                .starts_with(&format!("/{name}"))
    })?;
    let (positional, named) = hugo_args(&caps[4]);
    let get = |key: &str| named.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let body_lines = &lines[at + 1..end];
    let kind = if is_code {
        BlockKind::Code {
            language: positional.first().cloned().unwrap_or_default(),
            body: body_lines.iter().map(|l| l.text.clone()).collect(),
        }
    } else {
        let typed = get("type")
            .or_else(|| get("color"))
            .or_else(|| get("context"))
            .or_else(|| get("style"));
        let first_is_type = positional
            .first()
            .is_some_and(|p| callout_type(p) != "info" || ["info", "note"].contains(&p.as_str()));
        let kind_name = typed
            .or_else(|| first_is_type.then(|| positional[0].clone()))
            .unwrap_or_else(|| name.clone());
        let title = get("title").or_else(|| positional.get(usize::from(first_is_type)).cloned());
        BlockKind::Callout {
            kind: callout_type(&kind_name),
            title,
            body: body_lines
                .iter()
                .map(|l| dedented(l, indent.len()))
                .collect(),
        }
    };
    Some(Block {
        consumed: end + 1 - at,
        indent,
        kind,
        note: None,
    })
}

static HUGO_OPEN_WITH_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r"^(\s*)\{\{([<%])\s*([\w-]+)(.*?)\s*[>%]\}\}[ \t]*(\S.*)$").expect("regex")
});

/// A callout shortcode whose text starts on its opening line and ends on
/// its closing one (`{{% alert %}} Mind the gap. {{% /alert %}}`): the text
/// around the tags is the body, so nothing but the tags goes.
fn hugo_inline_callout(lines: &[Line], at: usize, text: &str) -> Option<Block> {
    let caps = HUGO_OPEN_WITH_TEXT.captures(text)?;
    let name = caps[3].to_string();
    if !HUGO_CALLOUTS.contains(&name.as_str()) {
        return None;
    }
    let closer = Regex::new(&format!(
        r"\{{\{{[<%]\s*/{}\s*[>%]\}}\}}\s*$",
        regex::escape(&name)
    ))
    .ok()?;
    let end = (at..lines.len()).find(|&i| closer.is_match(lines[i].text.trim_end()))?;
    let rest_at = caps.get(5)?.start();
    let mut body: Vec<Line> = Vec::new();
    for (i, line) in lines.iter().enumerate().take(end + 1).skip(at) {
        let from = if i == at { rest_at } else { 0 };
        let until = if i == end {
            closer
                .find(line.text.trim_end())
                .map_or(line.text.len(), |m| m.start())
        } else {
            line.text.len()
        };
        let part = line.text.get(from..until.max(from))?;
        body.push(Line {
            text: format!("{}\n", part.trim_end()),
            line: line.line,
            column: line.column + line.text[..from].chars().count(),
        });
    }
    let (positional, named) = hugo_args(&caps[4]);
    let get = |key: &str| named.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let kind_name = get("type")
        .or_else(|| get("color"))
        .or_else(|| positional.first().cloned())
        .unwrap_or_else(|| name.clone());
    Some(Block {
        consumed: end + 1 - at,
        indent: caps[1].to_string(),
        kind: BlockKind::Callout {
            kind: callout_type(&kind_name),
            title: get("title"),
            body,
        },
        note: None,
    })
}

static GRAV_TAB: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r#"^(\s*)\[ui-tab\s+title\s*=\s*"([^"]*)"[^\]]*\]\s*$"#).expect("regex")
});

static GRAV_TABS_WRAPPER: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r"^(\s*)\[(?:ui-tabs(?:\s[^\]]*)?|/ui-tabs?)\]\s*$").expect("regex")
});

/// Grav's shortcode-ui tabs: a `[ui-tab title="…"]` is its title as a bold
/// line, its content follows as written; the wrapping tags go.
fn grav_tab(lines: &[Line], at: usize, text: &str) -> Option<Block> {
    if let Some(caps) = GRAV_TABS_WRAPPER.captures(text) {
        return Some(Block {
            consumed: 1,
            indent: caps[1].to_string(),
            kind: BlockKind::Wrapper,
            note: None,
        });
    }
    let caps = GRAV_TAB.captures(text)?;
    let title_at = caps.get(2).map_or(0, |t| t.start());
    Some(Block {
        consumed: 1,
        indent: caps[1].to_string(),
        kind: BlockKind::Tab {
            title: tab_title(&lines[at], title_at, &caps[2]),
            body: Vec::new(),
        },
        note: Some((
            "import/tabs",
            "a tab has no kbgen equivalent; its title is a bold line and its content follows"
                .to_string(),
        )),
    })
}

static GRAV_PRISM: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r#"^(\s*)\[prism(?:\s+classes\s*=\s*"([^"]*)")?[^\]]*\]\s*$"#).expect("regex")
});

fn grav_prism(lines: &[Line], at: usize, text: &str) -> Option<Block> {
    let caps = GRAV_PRISM.captures(text)?;
    let indent = caps[1].to_string();
    let language = caps
        .get(2)
        .and_then(|c| {
            c.as_str()
                .split_whitespace()
                .find_map(|c| c.strip_prefix("language-"))
        })
        .unwrap_or("")
        .to_string();
    let end = (at + 1..lines.len()).find(|&i| lines[i].text.trim() == "[/prism]")?;
    let body = lines[at + 1..end].iter().map(|l| l.text.clone()).collect();
    Some(Block {
        consumed: end + 1 - at,
        indent,
        kind: BlockKind::Code { language, body },
        note: None,
    })
}

/// Grav's markdown-notices: `!` (yellow), `!!` (red), `!!!` (blue) and
/// `!!!!` (green) at the start of each line of a notice.
fn grav_notice(lines: &[Line], at: usize, text: &str) -> Option<Block> {
    let marks = text.bytes().take_while(|b| *b == b'!').count();
    if !(1..=4).contains(&marks) || !text[marks..].starts_with(' ') {
        return None;
    }
    let marker = &text[..=marks];
    let end = (at..lines.len())
        .find(|&i| !lines[i].text.starts_with(marker))
        .unwrap_or(lines.len());
    let body = lines[at..end]
        .iter()
        .map(|l| Line {
            text: l.text[marker.len()..].to_string(),
            line: l.line,
            column: l.column + marker.len(),
        })
        .collect();
    let kind = ["warning", "danger", "info", "tip"][marks - 1];
    Some(Block {
        consumed: end - at,
        indent: String::new(),
        kind: BlockKind::Callout {
            kind,
            title: None,
            body,
        },
        note: None,
    })
}

static JEKYLL_HIGHLIGHT: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r"^(\s*)\{%-?\s*highlight\s+([\w+#.-]+)[^%]*-?%\}\s*$").expect("regex")
});

fn jekyll_highlight(lines: &[Line], at: usize, text: &str) -> Option<Block> {
    let caps = JEKYLL_HIGHLIGHT.captures(text)?;
    let indent = caps[1].to_string();
    let language = caps[2].to_string();
    let end = (at + 1..lines.len()).find(|&i| {
        let t = lines[i].text.trim().replace(' ', "");
        t == "{%endhighlight%}" || t == "{%-endhighlight-%}"
    })?;
    let body = lines[at + 1..end].iter().map(|l| l.text.clone()).collect();
    Some(Block {
        consumed: end + 1 - at,
        indent,
        kind: BlockKind::Code { language, body },
        note: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.split_inclusive('\n')
            .enumerate()
            .map(|(i, t)| Line {
                text: t.to_string(),
                line: i + 1,
                column: 0,
            })
            .collect()
    }

    #[test]
    fn mkdocs_admonition_bodies_end_at_the_first_outdented_line() {
        let l = lines("!!! warning \"Back up\"\n    Copy it.\n\n    Then go.\n\nAfter\n");
        let block = block_at(&l, 0, Tool::Mkdocs, &Callouts::new()).unwrap();
        assert_eq!(block.consumed, 4);
        let BlockKind::Callout { kind, title, body } = block.kind else {
            panic!()
        };
        assert_eq!((kind, title.as_deref()), ("warning", Some("Back up")));
        assert_eq!(body[0].text, "Copy it.\n");
    }

    #[test]
    fn hugo_notice_arguments() {
        let l = lines("{{< notice warning \"Careful\" >}}\nText\n{{< /notice >}}\n");
        let block = block_at(&l, 0, Tool::Hugo, &Callouts::new()).unwrap();
        let BlockKind::Callout { kind, title, .. } = block.kind else {
            panic!()
        };
        assert_eq!((kind, title.as_deref()), ("warning", Some("Careful")));
    }
}
