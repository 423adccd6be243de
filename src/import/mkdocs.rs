//! MkDocs: `mkdocs.yml` (`site_name`, `docs_dir`, `nav`) and the pages of
//! `docs/`. `index.md` and `README.md` are a folder's intro; the `nav` list
//! gives order (each entry's place becomes its `weight`) and titles for pages
//! without one; other files are copied beside the pages.

use std::collections::HashMap;
use std::path::Path;

use super::hugo::{not_a_site, read_config, text};
use super::plan::{self, Plan};
use super::tree::{self, Tree};
use crate::diagnostics::Diagnostic;

/// Lays out an MkDocs site.
pub fn plan(root: &Path) -> Result<Plan, Diagnostic> {
    let config =
        read_config(&root.join("mkdocs.yml")).or_else(|| read_config(&root.join("mkdocs.yaml")));
    let config_file_exists = root.join("mkdocs.yml").exists() || root.join("mkdocs.yaml").exists();
    let dir = config
        .as_ref()
        .and_then(|c| text(c, "docs_dir"))
        .unwrap_or_else(|| "docs".to_string());
    if !root.join(&dir).is_dir() {
        return Err(not_a_site(root, "MkDocs", &format!("{dir}/")));
    }
    let mut plan = Plan {
        title: config.as_ref().and_then(|c| text(c, "site_name")),
        content_root: dir.clone(),
        ..Plan::default()
    };
    if config_file_exists && config.is_none() {
        plan.findings.push(
            Diagnostic::warning(
                "import/front-matter",
                root.join("mkdocs.yml"),
                "mkdocs.yml does not parse; its nav order and site name are not used",
            )
            .at(1, 1),
        );
    }
    let layout = Tree {
        root,
        dir: &dir,
        target_prefix: "",
        url_prefix: "",
        same_name_is_section: false,
        index_is_section: true,
        rename: tree::same,
        url_segment: tree::same,
        language: None,
    };
    tree::plan_tree(&layout, &mut plan);
    if let Some(nav) = config.as_ref().and_then(|c| c.get("nav")) {
        let mut order = HashMap::new();
        nav_entries(nav, &mut order, &mut 0);
        for page in &mut plan.pages {
            let relative = page
                .source
                .strip_prefix(&dir)
                .unwrap_or(&page.source)
                .trim_start_matches('/');
            if let Some((position, title)) = order.get(relative) {
                page.weight = Some(*position);
                page.title = title.clone();
            }
        }
    }
    Ok(plan)
}

/// Each page of the nav, in order: its path → (position, nav title).
fn nav_entries(
    nav: &serde_json::Value,
    order: &mut HashMap<String, (i64, Option<String>)>,
    next: &mut i64,
) {
    match nav {
        serde_json::Value::Array(items) => {
            items.iter().for_each(|item| nav_entries(item, order, next))
        }
        serde_json::Value::String(path) if plan::is_markdown(path) => {
            *next += 1;
            order.entry(path.clone()).or_insert((*next, None));
        }
        serde_json::Value::Object(map) => {
            for (title, value) in map {
                match value {
                    serde_json::Value::String(path) if plan::is_markdown(path) => {
                        *next += 1;
                        order
                            .entry(path.clone())
                            .or_insert((*next, Some(title.clone())));
                    }
                    other => nav_entries(other, order, next),
                }
            }
        }
        _ => {}
    }
}
