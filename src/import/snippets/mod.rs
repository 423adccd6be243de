//! Shared text the source tool includes into pages, imported as kbgen
//! snippets (`content/_snippets/`) and the include calls as `{{
//! include(path="…") }}`:
//!
//! - Hugo: the files of the `_common` folder (Hugo's own documentation keeps
//!   its shared text there), and what `{{% include "…" %}}` and `readfile`
//!   name;
//! - MkDocs: what `--8<-- "…"` (pymdownx.snippets) names, read from its
//!   `base_path` (the project root unless `mkdocs.yml` says otherwise);
//! - Docusaurus: the Markdown partials a page imports (`import Contact from
//!   './_contact.md'`), used as `<Contact />`, whose props become parameters
//!   (`{props.product}` in the partial reads `{{ product }}`).
//!
//! A file becomes a snippet when a page includes it and it is no page of
//! its own (a Docusaurus partial, a file outside the pages' folder); an
//! MkDocs page that other pages include is taken for a snippet and
//! reported. An include of a page, or of a file that is not there, stays as
//! text and is a finding.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

mod calls;

use super::plan::{self, Plan, PlannedPage};
use super::Tool;
use crate::diagnostics::Diagnostic;

/// A source file that becomes a snippet.
#[derive(Debug, Clone)]
pub struct PlannedSnippet {
    /// Slash path relative to the source root.
    pub source: String,
    /// Its name under `content/_snippets/`.
    pub name: String,
    /// The first page that includes it (source path): MkDocs and Hugo read
    /// an included file's links from the including page.
    pub included_from: Option<String>,
}

/// The snippets of an import, by source path, and what include paths are
/// read from.
#[derive(Debug, Default)]
pub struct SnippetIndex {
    by_source: BTreeMap<String, String>,
    /// Where the pages are (`content`, `docs`).
    content_root: String,
    /// MkDocs: the folders `--8<--` paths are read from.
    bases: Vec<String>,
}

impl SnippetIndex {
    pub fn new(tool: Tool, root: &Path, plan: &Plan) -> SnippetIndex {
        SnippetIndex {
            by_source: plan
                .snippets
                .iter()
                .map(|s| (s.source.clone(), s.name.clone()))
                .collect(),
            content_root: plan.content_root.clone(),
            bases: match tool {
                Tool::Mkdocs => mkdocs_base_paths(root),
                _ => Vec::new(),
            },
        }
    }

    /// The snippet name of a source file, if it is a snippet.
    pub fn name_of(&self, source: &str) -> Option<&str> {
        self.by_source.get(source).map(String::as_str)
    }
}

/// Folders whose name says "shared text": left out of a snippet's name.
const SHARED_FOLDERS: [&str; 8] = [
    "_common",
    "_snippets",
    "snippets",
    "_includes",
    "includes",
    "_partials",
    "partials",
    "_shared",
];

/// Finds the snippets of `plan`'s pages and adds them to `plan.snippets`;
/// a page that becomes a snippet leaves `plan.pages`.
pub fn plan_snippets(tool: Tool, root: &Path, plan: &mut Plan) {
    if tool == Tool::Hugo {
        common_folder(plan);
    }
    let bases = match tool {
        Tool::Mkdocs => mkdocs_base_paths(root),
        _ => Vec::new(),
    };
    // Each included file, with the first page that includes it.
    let mut wanted: Vec<(String, String)> = Vec::new();
    for page in &plan.pages {
        let Ok(text) = std::fs::read_to_string(root.join(&page.source)) else {
            continue;
        };
        for written in include_paths(tool, &text) {
            let found = resolve(tool, root, plan, &bases, &page.source, &written);
            if let Some(source) = found.filter(|s| !wanted.iter().any(|(w, _)| w == s)) {
                wanted.push((source, page.source.clone()));
            }
        }
    }
    for snippet in &mut plan.snippets {
        snippet.included_from = wanted
            .iter()
            .find(|(source, _)| *source == snippet.source)
            .map(|(_, page)| page.clone());
    }
    for (source, page) in wanted {
        if plan.snippets.iter().any(|s| s.source == source) {
            continue;
        }
        let is_page = plan.pages.iter().position(|p| p.source == source);
        match (tool, is_page) {
            (Tool::Mkdocs, Some(index)) => {
                plan.pages.remove(index);
                plan.findings.push(
                    Diagnostic::warning(
                        "import/snippet",
                        root.join(&source),
                        "other pages include this page with `--8<--`: imported as a snippet, not as a page of its own",
                    )
                    .at(1, 1),
                );
            }
            (_, Some(_)) => continue,
            (_, None) => {}
        }
        // A partial is a snippet now, not a page left out.
        plan.findings
            .retain(|f| !(f.code == "import/left-out" && f.path == root.join(&source)));
        let name = snippet_name(&plan.content_root, &source);
        plan.snippets.push(PlannedSnippet {
            source,
            name,
            included_from: Some(page),
        });
    }
}

/// Hugo: the pages under `_common/` at the top of the content folder are
/// snippets; the folder's `_index.md` (its build settings) is left out.
fn common_folder(plan: &mut Plan) {
    let folder = plan::join(&plan.content_root, "_common");
    let prefix = format!("{folder}/");
    let mut kept = Vec::with_capacity(plan.pages.len());
    for page in std::mem::take(&mut plan.pages) {
        let Some(rest) = page.source.strip_prefix(&prefix) else {
            kept.push(page);
            continue;
        };
        if rest == "_index.md" || rest.ends_with("/_index.md") {
            kept.push(page);
            continue;
        }
        let name = rest.to_string();
        plan.snippets.push(PlannedSnippet {
            source: page.source,
            name,
            included_from: None,
        });
    }
    plan.pages = kept;
}

/// The name under `content/_snippets/` of a source file: its path in the
/// pages' folder (or the source root), without a leading folder of shared
/// text, as a `.md` file.
fn snippet_name(content_root: &str, source: &str) -> String {
    let relative = source
        .strip_prefix(content_root)
        .filter(|rest| content_root.is_empty() || rest.starts_with('/'))
        .map_or(source, |rest| rest.trim_start_matches('/'));
    let relative = SHARED_FOLDERS
        .iter()
        .find_map(|folder| relative.strip_prefix(&format!("{folder}/")))
        .unwrap_or(relative);
    match relative.strip_suffix(".mdx") {
        Some(stem) => format!("{stem}.md"),
        None => relative.to_string(),
    }
}

/// The include paths written in a page, as written.
fn include_paths(tool: Tool, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    match tool {
        Tool::Hugo => {
            for caps in HUGO_INCLUDE.captures_iter(text) {
                found.extend(caps.get(2).map(|m| format!("{}\0{}", &caps[1], m.as_str())));
            }
        }
        Tool::Mkdocs => {
            let mut in_block = false;
            for line in text.lines() {
                let trimmed = line.trim();
                if trimmed.starts_with(";--8<--") {
                    continue;
                }
                if trimmed == "--8<--" {
                    in_block = !in_block;
                    continue;
                }
                if in_block && !trimmed.is_empty() && !trimmed.starts_with(';') {
                    found.push(trimmed.to_string());
                } else if let Some(caps) = MKDOCS_SNIPPET.captures(line) {
                    found.push(caps[2].to_string());
                }
            }
        }
        Tool::Docusaurus => {
            for caps in MDX_IMPORT.captures_iter(text) {
                found.push(caps[2].to_string());
            }
        }
        _ => {}
    }
    found
}

/// The source file an include names, if it is a Markdown file that exists.
pub(super) fn resolve(
    tool: Tool,
    root: &Path,
    plan: &Plan,
    bases: &[String],
    page: &str,
    written: &str,
) -> Option<String> {
    let candidates: Vec<String> = match tool {
        Tool::Hugo => {
            let (kind, path) = written.split_once('\0')?;
            let path = path.trim_start_matches('/');
            if kind == "readfile" {
                vec![path.to_string()]
            } else {
                vec![
                    plan::join(&plan.content_root, path),
                    plan::join(&plan.content_root, &format!("{path}.md")),
                    plan::join(&plan.content_root, &format!("{path}/index.md")),
                ]
            }
        }
        Tool::Mkdocs => {
            let path = mkdocs_path(written)?;
            bases.iter().map(|base| plan::join(base, path)).collect()
        }
        Tool::Docusaurus => {
            let path = match written.strip_prefix("@site/") {
                Some(from_site) => plan::join(plan::parent(&plan.content_root), from_site),
                None => plan::join(plan::parent(page), written),
            };
            vec![path]
        }
        _ => Vec::new(),
    };
    candidates
        .into_iter()
        .filter_map(|c| super::links::normalize(&c))
        .filter(|c| plan::is_markdown(c))
        .find(|c| root.join(c).is_file())
}

/// The file of an MkDocs snippet line: no section (`file.md:section`) or
/// line range (`file.md:2:5`), no URL.
fn mkdocs_path(written: &str) -> Option<&str> {
    let path = written.trim();
    (!path.contains("://") && !path.contains(':')).then_some(path)
}

/// `base_path` of pymdownx.snippets in `mkdocs.yml` (a folder or a list),
/// relative to the project root; the root itself by default.
fn mkdocs_base_paths(root: &Path) -> Vec<String> {
    let config = ["mkdocs.yml", "mkdocs.yaml"]
        .iter()
        .find_map(|name| super::hugo::read_config(&root.join(name)));
    let settings = config.as_ref().and_then(|c| {
        let extensions = c.get("markdown_extensions")?.as_array()?;
        extensions
            .iter()
            .find_map(|e| e.get("pymdownx.snippets"))
            .and_then(|s| s.get("base_path"))
            .cloned()
    });
    let bases: Vec<String> = match settings {
        Some(serde_json::Value::String(one)) => vec![one],
        Some(serde_json::Value::Array(many)) => many
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => vec![".".to_string()],
    };
    bases
        .into_iter()
        .map(|b| b.trim_start_matches("./").trim_matches('/').to_string())
        .map(|b| if b == "." { String::new() } else { b })
        .collect()
}

pub use calls::{convert_lines, hugo_include};

/// `{{% include "x" %}}`, `{{< include "x" >}}`, `readfile file="x"`,
/// `readfile "x"`: the shortcode and its path.
static HUGO_INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\{\{[<%]\s*(include|readfile)\s+(?:file\s*=\s*)?["'`]([^"'`]+)["'`][^}]*[>%]\}\}"#,
    )
    // ok: a constant pattern, compiled by every test run
    .expect("regex")
});

/// `--8<-- "file.md"` alone on its line (indented or not).
pub(super) static MKDOCS_SNIPPET: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r#"^(\s*)--8<--\s+["']([^"']+)["']\s*$"#).expect("regex")
});

/// `import Name from './_file.md';`
pub(super) static MDX_IMPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^import\s+([A-Z][A-Za-z0-9_]*)\s+from\s+["']([^"']+\.mdx?)["'];?\s*$"#)
        // ok: a constant pattern, compiled by every test run
        .expect("regex")
});

/// `{props.name}` in a Docusaurus partial.
static PROPS: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r"\{\s*props\.([A-Za-z_][A-Za-z0-9_]*)\s*\}").expect("regex")
});

/// A snippet's text as kbgen reads it: Docusaurus's `{props.x}` is `{{ x }}`.
pub fn snippet_text(tool: Tool, text: &str) -> String {
    match tool {
        Tool::Docusaurus => PROPS.replace_all(text, "{{ $1 }}").into_owned(),
        _ => text.to_string(),
    }
}

/// A page standing for a snippet while its body is converted: links are
/// rewritten from where the snippet is written.
pub fn as_page(snippet: &PlannedSnippet) -> PlannedPage {
    PlannedPage {
        source: snippet.source.clone(),
        target: format!(
            "{}/{}",
            crate::content::snippets::SNIPPETS_DIR,
            snippet.name
        ),
        ..PlannedPage::default()
    }
}

/// A snippet converted: its body without front matter (which names no
/// page), written as a kbgen snippet, with the findings of its conversion.
pub fn convert(
    text: &str,
    tool: Tool,
    context: &super::body::Context<'_>,
) -> (String, Vec<Diagnostic>) {
    let body_start = super::front::find_block(text).map_or(0, |(_, _, end)| end);
    let first_line = text[..body_start].matches('\n').count() + 1;
    let body = snippet_text(tool, &text[body_start..]);
    let body = body.trim_start_matches('\n');
    let first_line =
        first_line + (text[body_start..].len() - text[body_start..].trim_start_matches('\n').len());
    super::body::convert(body, first_line, context)
}

/// Writes the converted snippets into the new site; returns how many.
pub fn write(into: &Path, snippets: &[(String, String)]) -> Result<usize, Diagnostic> {
    for (name, text) in snippets {
        let target = into
            .join("content")
            .join(crate::content::snippets::SNIPPETS_DIR)
            .join(name);
        super::write::make_parent(&target)?;
        std::fs::write(&target, text).map_err(|e| super::write::write_error(&target, &e))?;
    }
    Ok(snippets.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_names_drop_the_pages_folder_and_a_shared_folder() {
        assert_eq!(
            snippet_name("docs", "docs/accounts/_shared.mdx"),
            "accounts/_shared.md"
        );
        assert_eq!(snippet_name("", "snippets/contact.md"), "contact.md");
        assert_eq!(snippet_name("content", "includes/box.md"), "box.md");
    }

    #[test]
    fn include_paths_of_each_tool() {
        let hugo = "{{% include \"/_common/a.md\" %}} {{< readfile file=\"/inc/b.md\" >}}";
        assert_eq!(
            include_paths(Tool::Hugo, hugo),
            ["include\0/_common/a.md", "readfile\0/inc/b.md"]
        );
        let mkdocs = "--8<-- \"a.md\"\n;--8<-- \"no.md\"\n--8<--\nb.md\n;c.md\n--8<--\n";
        assert_eq!(include_paths(Tool::Mkdocs, mkdocs), ["a.md", "b.md"]);
        let mdx = "import Box from './_box.md';\nimport Tabs from '@theme/Tabs';\n";
        assert_eq!(include_paths(Tool::Docusaurus, mdx), ["./_box.md"]);
    }
}
