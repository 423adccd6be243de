//! One line of prose, converted: template syntax first (`{{ … }}`, `{% … %}`,
//! Hugo's `{{< … >}}`), then link targets. Code spans are copied as written,
//! since kbgen never reads shortcodes inside them. Template syntax kbgen would
//! read as a call is escaped; the tags with a kbgen equivalent are converted
//! by [`super::tags`].

use std::sync::LazyLock;

use regex::Regex;

use super::body::BodyConverter;
use super::notices::Line;
use super::{tags, Tool};

/// Converts `line`, reporting what it cannot convert through `converter`.
pub fn convert_line(line: &Line, converter: &mut BodyConverter<'_, '_>) -> String {
    line_findings(line, converter);
    let text = &line.text;
    let mut out = String::with_capacity(text.len());
    for (start, end, is_code) in code_spans(text) {
        let part = &text[start..end];
        if is_code {
            out.push_str(part);
            continue;
        }
        super::extensions::report(part, start, line, converter);
        let templated = templates(part, start, line, converter);
        out.push_str(&rewrite_links(&templated, converter));
    }
    if converter.context().tool == Tool::Grav && is_bracket_tag_line(text) && !out.ends_with("\n\n")
    {
        // A shortcode tag kept as text is a paragraph of its own, so the
        // table or list after it still reads as one.
        out.push('\n');
    }
    out
}

/// Findings about a whole line: constructs kept as they are.
fn line_findings(line: &Line, converter: &mut BodyConverter<'_, '_>) {
    let text = line.text.trim_end();
    let trimmed = text.trim_start();
    let column = text.len() - trimmed.len() + 1;
    let found: Option<(&'static str, String)> = match converter.context().tool {
        Tool::Jekyll if trimmed.starts_with("{:") => Some((
            "import/attribute-list",
            format!(
                "the kramdown attribute list `{trimmed}` has no kbgen equivalent; kept as text"
            ),
        )),
        Tool::Mkdocs if trimmed.starts_with("--8<--") => Some((
            "import/include",
            "a snippet include is not inlined; kept as text".to_string(),
        )),
        Tool::Docusaurus if trimmed.starts_with("import ") || trimmed.starts_with("export ") => {
            Some((
                "import/mdx",
                "an MDX import or export has no kbgen equivalent; kept as text".to_string(),
            ))
        }
        _ => None,
    };
    if let Some((kind, message)) = found {
        converter.finding(kind, line, column, message);
    }
    if converter.context().tool == Tool::Grav {
        // A known shortcode, or any `[name]` closed by `[/name]` on its line
        // (a site's own shortcodes: `[version=16]7.1[/version]`), or a
        // closing tag whose opening one is on another line.
        let shortcodes = BRACKET_TAG.captures_iter(text).filter(|caps| {
            let closes_here = text.contains(&format!("[/{}]", &caps[1]));
            GRAV_TAG.is_match(&caps[0]) || closes_here
        });
        let lone_closer = LONE_CLOSER.captures(text.trim()).filter(|caps| {
            !text.contains(&format!("[{}", &caps[1]))
                && !GRAV_TAG.is_match(&format!("[{}]", &caps[1]))
        });
        if let Some(caps) = lone_closer {
            converter.finding(
                "import/shortcode",
                line,
                column,
                format!(
                    "the Grav shortcode `[/{}]` has no kbgen equivalent; kept as text",
                    &caps[1]
                ),
            );
        }
        for caps in shortcodes {
            let whole = caps.get(0).map_or(0, |m| m.start());
            converter.finding(
                "import/shortcode",
                line,
                whole + 1,
                format!(
                    "the Grav shortcode `[{}]` has no kbgen equivalent; kept as text",
                    &caps[1]
                ),
            );
        }
    }
    if converter.context().tool == Tool::Docusaurus {
        for m in JSX.captures_iter(text) {
            let at = m.get(0).map_or(0, |m| m.start());
            converter.finding(
                "import/mdx",
                line,
                at + 1,
                format!(
                    "the MDX component `<{}>` has no kbgen equivalent; kept as HTML",
                    &m[1]
                ),
            );
        }
    }
}

static GRAV_TAG: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r"\[((?:ui-|g-)[a-z-]+|div|section|columns|center|left|right|notice|raw|lorem|mark|size|color|fa|span|details|safe-email|language|figure|toc|h[1-6])(?:[\s=][^\]]*)?\]").expect("regex")
});

/// `[name]`, `[name=x]`, `[name attr="x"]`: what a Grav shortcode looks like.
static BRACKET_TAG: LazyLock<Regex> =
    // ok: a constant pattern, compiled by every test run
    LazyLock::new(|| Regex::new(r"\[([a-z][a-z0-9-]*)(?:[\s=][^\]]*)?\]").expect("regex"));

static LONE_CLOSER: LazyLock<Regex> =
    // ok: a constant pattern, compiled by every test run
    LazyLock::new(|| Regex::new(r"^\[/([a-z][a-z0-9-]*)\]$").expect("regex"));

static JSX: LazyLock<Regex> =
    // ok: a constant pattern, compiled by every test run
    LazyLock::new(|| Regex::new(r"<([A-Z][A-Za-z0-9.]*)[\s/>]").expect("regex"));

fn is_bracket_tag_line(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('[')
        && t.ends_with(']')
        && !t.contains("](")
        && GRAV_TAG.is_match(&t.replace("[/", "["))
}

/// Byte ranges of `text` with whether each is inside a code span. A
/// template construct that opens outside a code span runs to its closer
/// (`{{ note(text="Set `x`") }}`): backticks inside it are its argument's.
fn code_spans(text: &str) -> Vec<(usize, usize, bool)> {
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // `{` is one byte: `i` is a character boundary there.
        if let Some(end) = (bytes[i] == b'{')
            .then(|| template_end(&text[i..]))
            .flatten()
        {
            i += end;
            continue;
        }
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
        let ticks = &text[i..i + run];
        let after = i + run;
        let close = text[after..]
            .find(ticks)
            .map(|at| after + at)
            .filter(|&at| bytes.get(at + run) != Some(&b'`'));
        match close {
            Some(close) => {
                parts.push((start, i, false));
                parts.push((i, close + run, true));
                start = close + run;
                i = start;
            }
            None => i = after,
        }
    }
    parts.push((start, text.len(), false));
    parts.retain(|(s, e, _)| s < e);
    parts
}

/// The length of the template construct `text` starts with, if it does.
fn template_end(text: &str) -> Option<usize> {
    let closer = if text.starts_with("{{") {
        "}}"
    } else if text.starts_with("{%") {
        "%}"
    } else {
        return None;
    };
    text[2..].find(closer).map(|at| at + 2 + closer.len())
}

/// Template constructs in `part` (which starts at byte `offset` of `line`).
fn templates(
    part: &str,
    offset: usize,
    line: &Line,
    converter: &mut BodyConverter<'_, '_>,
) -> String {
    let mut out = String::with_capacity(part.len());
    let mut pos = 0;
    while let Some(found) = part[pos..].find('{') {
        let at = pos + found;
        let rest = &part[at..];
        let closer = if rest.starts_with("{{<") {
            ">}}"
        } else if rest.starts_with("{{%") {
            "%}}"
        } else if rest.starts_with("{{") {
            "}}"
        } else if rest.starts_with("{%") {
            "%}"
        } else {
            out.push_str(&part[pos..=at]);
            pos = at + 1;
            continue;
        };
        let Some(close) = rest[2..].find(closer).map(|i| i + 2 + closer.len()) else {
            out.push_str(&part[pos..]);
            return out;
        };
        out.push_str(&part[pos..at]);
        let construct = &rest[..close];
        let column = line.text[..offset + at].chars().count() + 1;
        out.push_str(&template(construct, column, line, converter));
        pos = at + close;
    }
    out.push_str(&part[pos..]);
    out
}

/// One construct, converted, escaped or kept.
fn template(
    construct: &str,
    column: usize,
    line: &Line,
    converter: &mut BodyConverter<'_, '_>,
) -> String {
    let tool = converter.context().tool;
    if let Some(hugo) = construct
        .strip_prefix("{{<")
        .or_else(|| construct.strip_prefix("{{%"))
    {
        if tool != Tool::Hugo {
            return construct.to_string();
        }
        return tags::hugo_shortcode(construct, hugo, column, line, converter);
    }
    let inner = &construct[2..construct.len() - 2];
    if !converter.context().templates {
        // The source shows it as written, as kbgen does once calls are escaped.
        let is_tag = construct.starts_with("{%");
        let is_end = is_tag && inner.trim() == "end";
        return if is_call(inner) || is_end {
            escaped(construct)
        } else {
            construct.to_string()
        };
    }
    if tool == Tool::Jekyll {
        if let Some(done) = tags::jekyll(construct, inner, column, line, converter) {
            return done;
        }
    }
    if LIQUID_RAW.is_match(construct) {
        converter.in_raw = !inner.contains("end");
        // Liquid's `raw` and Twig's `verbatim` show what is between them as
        // written, which kbgen does anyway once calls are escaped.
        return String::new();
    }
    let is_tag = construct.starts_with("{%");
    let is_end = is_tag && inner.trim() == "end";
    if is_end && *converter.open_escaped() > 0 {
        *converter.open_escaped() -= 1;
        return escaped(construct);
    }
    if is_call(inner) || is_end {
        if tool == Tool::Zola
            && (is_end
                || ["callout(", "kbd(", "ui("]
                    .iter()
                    .any(|b| inner.trim_start().starts_with(b)))
        {
            return construct.to_string();
        }
        if is_tag && !is_end {
            *converter.open_escaped() += 1;
        }
        if converter.in_raw {
            return escaped(construct);
        }
        let (kind, what) = template_kind(tool);
        converter.finding(
            kind,
            line,
            column,
            format!(
                "{what} `{}` would be read as a kbgen shortcode; kept as text through an escape",
                construct.trim()
            ),
        );
        return escaped(construct);
    }
    let kept = match tool {
        _ if converter.in_raw => None,
        Tool::Jekyll => Some(("import/liquid", "Liquid")),
        Tool::Grav => Some(("import/twig", "Twig")),
        _ => None,
    };
    if let Some((kind, what)) = kept {
        converter.finding(
            kind,
            line,
            column,
            format!(
                "{what} `{}` has no kbgen equivalent; kept as text",
                construct.trim()
            ),
        );
    }
    construct.to_string()
}

fn template_kind(tool: Tool) -> (&'static str, &'static str) {
    match tool {
        Tool::Grav => ("import/twig", "Twig"),
        Tool::Jekyll => ("import/liquid", "Liquid"),
        Tool::Zola => ("import/shortcode", "the Zola shortcode"),
        _ => ("import/template", "template syntax"),
    }
}

/// `{{ x() }}` → `{{/* x() */}}`, `{% end %}` → `{%/* end */%}`.
fn escaped(construct: &str) -> String {
    let (open, close) = construct.split_at(2);
    let inner = &close[..close.len() - 2];
    let end = &construct[construct.len() - 2..];
    format!("{open}/*{inner}*/{end}")
}

/// Whether `inner` (between `{{`/`{%` and the closer) opens like a kbgen call:
/// spaces, a name of `[A-Za-z0-9_]`, then `(`.
fn is_call(inner: &str) -> bool {
    let rest = inner.trim_start_matches([' ', '\t']);
    let name = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    name > 0 && rest[name..].starts_with('(')
}

/// `{% raw %}`/`{% verbatim %}` and their ends taken out of a code line:
/// Jekyll and Grav show what is between them as written, as kbgen does in
/// code anyway.
pub fn strip_liquid_raw(text: &str) -> String {
    LIQUID_RAW.replace_all(text, "").into_owned()
}

static LIQUID_RAW: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r"\{%-?\s*(?:raw|endraw|verbatim|endverbatim)\s*-?%\}").expect("regex")
});

/// Link targets rewritten: `](x)`, `src="x"`, `href="x"`, `[id]: x`.
fn rewrite_links(text: &str, converter: &BodyConverter<'_, '_>) -> String {
    let context = converter.context();
    // A snippet's links: MkDocs and Hugo wrote them for the page that
    // includes the file, Docusaurus for the file itself.
    let including_page = context
        .included_from
        .filter(|_| matches!(context.tool, Tool::Mkdocs | Tool::Hugo));
    let rewrite = |url: &str| {
        including_page
            .and_then(|page| context.index.rewrite(page, &context.page.target, url))
            .or_else(|| {
                context
                    .index
                    .rewrite(&context.page.source, &context.page.target, url)
            })
    };
    let mut text = text.to_string();
    let reference = REFERENCE.captures(&text).and_then(|caps| {
        let m = caps.get(1)?;
        Some((m.range(), rewrite(m.as_str())?))
    });
    if let Some((range, new)) = reference {
        text.replace_range(range, &new);
    }
    let replaced = TARGET.replace_all(&text, |caps: &regex::Captures<'_>| {
        let url = &caps[2];
        match rewrite(url) {
            Some(new) => format!("{}{new}", &caps[1]),
            None => caps[0].to_string(),
        }
    });
    replaced.into_owned()
}

static TARGET: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r#"(\]\(\s*<?|(?:src|href)\s*=\s*["'])([^\s)"'<>]+)"#).expect("regex")
});

static REFERENCE: LazyLock<Regex> =
    // ok: a constant pattern, compiled by every test run
    LazyLock::new(|| Regex::new(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)").expect("regex"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_are_found() {
        let parts = code_spans("a `b` c ``d`e`` f");
        let code: Vec<bool> = parts.iter().map(|p| p.2).collect();
        assert_eq!(code, [false, true, false, true, false]);
        // Text of several-byte characters before, inside and after a call.
        let parts = code_spans("تابي {{ x(t=\"`ت`\") }} `ي`");
        let code: Vec<bool> = parts.iter().map(|p| p.2).collect();
        assert_eq!(code, [false, true]);
    }

    #[test]
    fn calls_and_escapes() {
        assert!(is_call(" parent() "));
        assert!(!is_call(" page.title|e "));
        assert!(!is_call(" for x in y "));
        assert_eq!(escaped("{{ parent() }}"), "{{/* parent() */}}");
        assert_eq!(escaped("{% end %}"), "{%/* end */%}");
    }
}
