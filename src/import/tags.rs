//! The template tags of Hugo and Jekyll that have a kbgen equivalent:
//! Hugo's `ref`/`relref` (an `@/` link) and `figure` (an image), Jekyll's
//! `{% link %}`/`{% post_url %}` (`@/` links), `relative_url` filters and
//! `{{ site.x }}` of a plain configuration value (its text). A tag with no
//! equivalent is kept as written, and is a finding at its column.

use std::sync::LazyLock;

use regex::Regex;

use super::body::BodyConverter;
use super::links;
use super::notices::{hugo_args, Line};

pub fn hugo_shortcode(
    construct: &str,
    hugo: &str,
    column: usize,
    line: &Line,
    converter: &mut BodyConverter<'_, '_>,
) -> String {
    let inner = &hugo[..hugo.len() - 3];
    if let Some(comment) = inner.strip_prefix("/*").and_then(|c| c.strip_suffix("*/")) {
        // Hugo's own escape: the call shown as text.
        let (open, close) = if construct.starts_with("{{<") {
            ("{{<", ">}}")
        } else {
            ("{{%", "%}}")
        };
        return format!("{open}{comment}{close}");
    }
    let inner = inner.trim();
    if inner.starts_with('/') {
        return construct.to_string();
    }
    let name: String = inner.chars().take_while(|c| !c.is_whitespace()).collect();
    let (positional, named) = hugo_args(&inner[name.len()..]);
    let get = |key: &str| named.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    match name.as_str() {
        "ref" | "relref" => {
            let target = get("path")
                .or_else(|| positional.first().cloned())
                .unwrap_or_default();
            if let Some(resolved) = hugo_ref(&target, converter) {
                return resolved;
            }
            converter.finding(
                "import/link",
                line,
                column,
                format!(
                    "`{}` names no page of the site; kept as text",
                    construct.trim()
                ),
            );
        }
        "include" | "readfile" => {
            let path = get("file")
                .or_else(|| get("path"))
                .or_else(|| positional.first().cloned())
                .unwrap_or_default();
            return super::snippets::hugo_include(&name, &path, line, column, converter)
                .unwrap_or_else(|| construct.to_string());
        }
        "figure" => {
            if let Some(src) = get("src") {
                let alt = get("alt").or_else(|| get("caption")).unwrap_or_default();
                let title = get("caption")
                    .or_else(|| get("title"))
                    .map(|c| format!(" \"{}\"", c.replace('"', "'")))
                    .unwrap_or_default();
                return format!("![{alt}]({src}{title})");
            }
        }
        _ => {}
    }
    converter.finding(
        "import/shortcode",
        line,
        column,
        format!("the Hugo shortcode `{name}` has no kbgen equivalent; kept as text"),
    );
    construct.to_string()
}

/// A Hugo `ref`: a path from `content/` (leading `/`), from the page's folder,
/// or a page's name.
fn hugo_ref(target: &str, converter: &BodyConverter<'_, '_>) -> Option<String> {
    let context = converter.context();
    let cut = target.find('#').unwrap_or(target.len());
    let (path, fragment) = target.split_at(cut);
    let root = context.index.content_root();
    let here = super::plan::parent(&context.page.source);
    let path = path.trim_end_matches('/');
    let candidates = if let Some(from_root) = path.strip_prefix('/') {
        vec![super::plan::join(root, from_root)]
    } else {
        vec![super::plan::join(here, path), super::plan::join(root, path)]
    };
    for candidate in candidates {
        let Some(candidate) = links::normalize(&candidate) else {
            continue;
        };
        if let Some(found) = context.index.page(&candidate) {
            return Some(context.index.page_link(found, fragment));
        }
    }
    let name = super::plan::strip_markdown_extension(super::plan::file_name(path));
    context
        .index
        .page_named(name)
        .map(|found| context.index.page_link(found, fragment))
}

static LIQUID_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^\s*["']([^"']*)["']\s*\|\s*(?:relative_url|absolute_url|prepend:\s*site\.baseurl)\s*$"#,
    )
    // ok: a constant pattern, compiled by every test run
    .expect("regex")
});

/// Liquid that has a kbgen equivalent; `None` for the rest.
pub fn jekyll(
    construct: &str,
    inner: &str,
    column: usize,
    line: &Line,
    converter: &mut BodyConverter<'_, '_>,
) -> Option<String> {
    let inner = inner.trim_matches('-').trim();
    if construct.starts_with("{{") {
        if inner == "site.baseurl" || inner == "site.url" {
            return Some(String::new());
        }
        if let Some(value) = site_variable(inner, converter) {
            return Some(value);
        }
        return LIQUID_URL.captures(inner).map(|caps| caps[1].to_string());
    }
    let (tag, argument) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    let argument = argument.trim();
    let index = converter.context().index;
    let found = match tag {
        "raw" | "endraw" => {
            converter.in_raw = tag == "raw";
            return Some(String::new());
        }
        "link" => index.page(argument.trim_start_matches('/')).cloned(),
        "post_url" => index.page_named(argument).cloned(),
        _ => return None,
    };
    match found {
        Some(target) => Some(format!("@/{target}")),
        None => {
            converter.finding(
                "import/link",
                line,
                column,
                format!(
                    "`{}` names no page of the site; kept as text",
                    construct.trim()
                ),
            );
            Some(construct.to_string())
        }
    }
}

/// `site.a.b` (no filter) as the text of a plain value of the site's
/// configuration or data files.
fn site_variable(inner: &str, converter: &BodyConverter<'_, '_>) -> Option<String> {
    let path = inner.strip_prefix("site.")?;
    if !path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
    {
        return None;
    }
    let pointer = format!("/{}", path.replace('.', "/"));
    match converter.context().settings.variables.pointer(&pointer)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
