//! The include constructs of a page (or a snippet), written as kbgen
//! include calls: MkDocs' `--8<--` lines and blocks, Docusaurus's partial
//! imports and their use as components (props as parameters), Hugo's
//! `include` and `readfile` shortcodes. One that names no snippet stays as
//! text and is a finding at its place.

use std::sync::LazyLock;

use regex::Regex;

use super::{resolve, MDX_IMPORT, MKDOCS_SNIPPET};
use crate::import::body::BodyConverter;
use crate::import::notices::Line;
use crate::import::plan::Plan;
use crate::import::Tool;

/// `<Name />` or `<Name prop="v" />` alone on its line.
static JSX_USE: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r#"^(\s*)<([A-Z][A-Za-z0-9_]*)((?:\s+[A-Za-z_][A-Za-z0-9_]*\s*=\s*(?:"[^"]*"|'[^']*'|\{[^}]*\}))*)\s*/>\s*$"#).expect("regex")
});

static JSX_PROP: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r#"([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\{[^}]*\}))"#)
        .expect("regex")
});

/// An include call to the snippet of `source`, as kbgen writes it.
fn include_call(name: &str, params: &[(String, String)]) -> String {
    let mut call = format!("{{{{ include(path=\"{}\"", escape(name));
    for (key, value) in params {
        call.push_str(&format!(", {key}=\"{}\"", escape(value)));
    }
    call.push_str(") }}");
    call
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Lines of a page that include snippets, converted: returns the text to
/// write and how many lines it used, or `None` for any other line.
pub fn convert_lines(
    lines: &[Line],
    at: usize,
    converter: &mut BodyConverter<'_, '_>,
) -> Option<(String, usize)> {
    let line = &lines[at];
    match converter.context().tool {
        Tool::Mkdocs => mkdocs_lines(lines, at, converter),
        Tool::Docusaurus => docusaurus_line(line, converter).map(|text| (text, 1)),
        _ => None,
    }
}

fn mkdocs_lines(
    lines: &[Line],
    at: usize,
    converter: &mut BodyConverter<'_, '_>,
) -> Option<(String, usize)> {
    let line = &lines[at];
    if let Some(caps) = MKDOCS_SNIPPET.captures(&line.text) {
        let indent = caps[1].to_string();
        let call = snippet_call(&caps[2], line, indent.len() + 1, converter, &[])?;
        return Some((format!("{indent}{call}\n"), 1));
    }
    if line.text.trim() != "--8<--" {
        return None;
    }
    let end = (at + 1..lines.len()).find(|&i| lines[i].text.trim() == "--8<--")?;
    let indent: String = line
        .text
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let mut out = String::new();
    for inner in &lines[at + 1..end] {
        let written = inner.text.trim();
        if written.is_empty() || written.starts_with(';') {
            continue;
        }
        let column = inner.text.len() - inner.text.trim_start().len() + 1;
        let call = snippet_call(written, inner, column, converter, &[])
            .unwrap_or_else(|| format!("{{{{/* include(path=\"{}\") */}}}}", escape(written)));
        out.push_str(&format!("{indent}{call}\n\n"));
    }
    Some((out, end - at + 1))
}

/// Hugo's `include` and `readfile` shortcodes: the include call, or `None`
/// (and a finding) when the path names no snippet.
pub fn hugo_include(
    shortcode: &str,
    path: &str,
    line: &Line,
    column: usize,
    converter: &mut BodyConverter<'_, '_>,
) -> Option<String> {
    snippet_call(
        &format!("{shortcode}\0{path}"),
        line,
        column,
        converter,
        &[],
    )
}

/// The include call for a written path, or `None` (and a finding) when it
/// names no snippet.
fn snippet_call(
    written: &str,
    line: &Line,
    column: usize,
    converter: &mut BodyConverter<'_, '_>,
    params: &[(String, String)],
) -> Option<String> {
    let context = converter.context();
    let source = resolve_in_page(context.tool, written, context);
    match source.as_deref().and_then(|s| context.snippets.name_of(s)) {
        Some(name) => Some(include_call(name, params)),
        None => {
            let shown = written.rsplit('\0').next().unwrap_or(written);
            let message = match source {
                Some(page) => format!("`{shown}` is the page {page}, which kbgen cannot include (only snippets); kept as text"),
                None => format!("the include `{shown}` names no file the import found; kept as text"),
            };
            converter.finding("import/include", line, column, message);
            None
        }
    }
}

/// The source file a path written in the current page names.
fn resolve_in_page(
    tool: Tool,
    written: &str,
    context: &crate::import::body::Context<'_>,
) -> Option<String> {
    let snippets = context.snippets;
    let plan = Plan {
        content_root: snippets.content_root.clone(),
        ..Plan::default()
    };
    resolve(
        tool,
        context.source_root,
        &plan,
        &snippets.bases,
        &context.page.source,
        written,
    )
}

/// Docusaurus: an import of a partial is dropped (the partial is a snippet
/// now), and a use of it, `<Contact product="X" />`, is an include.
fn docusaurus_line(line: &Line, converter: &mut BodyConverter<'_, '_>) -> Option<String> {
    if let Some(caps) = MDX_IMPORT.captures(line.text.trim_end()) {
        let context = converter.context();
        let source = resolve_in_page(Tool::Docusaurus, &caps[2], context);
        let name = source
            .as_deref()
            .and_then(|s| context.snippets.name_of(s))?;
        let name = name.to_string();
        converter.partials().insert(caps[1].to_string(), name);
        return Some(String::new());
    }
    let caps = JSX_USE.captures(line.text.trim_end())?;
    let name = converter.partials().get(&caps[2])?.clone();
    let mut params = Vec::new();
    for prop in JSX_PROP.captures_iter(&caps[3]) {
        let value = prop
            .get(2)
            .or_else(|| prop.get(3))
            .map(|m| m.as_str().to_string());
        match value {
            Some(value) => params.push((prop[1].to_string(), value)),
            None => {
                let props_at = caps.get(3).map_or(0, |m| m.start());
                let column = props_at + prop.get(0).map_or(0, |m| m.start()) + 1;
                converter.finding(
                    "import/mdx",
                    line,
                    column,
                    format!(
                        "the prop `{}={}` is a JavaScript expression, which a snippet parameter cannot be; left out",
                        &prop[1],
                        prop.get(4).map_or("", |m| m.as_str())
                    ),
                );
            }
        }
    }
    Some(format!("{}{}\n", &caps[1], include_call(&name, &params)))
}
