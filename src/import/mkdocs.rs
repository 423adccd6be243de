//! MkDocs: `mkdocs.yml` (`site_name`, `docs_dir`, `nav`) and the pages of
//! `docs/`. `index.md` and `README.md` are a folder's intro; the `nav` list
//! gives order (each entry's place becomes its `weight`) and titles for pages
//! without one; other files are copied beside the pages. With the
//! mkdocs-static-i18n plugin, translations are beside their page (`x.fr.md`)
//! or, with `docs_structure: folder`, each language's pages are in
//! `docs/<locale>/`.

use std::collections::HashMap;
use std::path::Path;

use super::hugo::{not_a_site, read_config, text};
use serde_json::Value;

use super::plan::{self, Plan};
use super::translations::PlannedLanguage;
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
    let i18n = config.as_ref().and_then(i18n_plugin);
    let folders = i18n.as_ref().filter(|i| i.folders);
    let default_dir = match folders {
        Some(i18n) => plan::join(&dir, &i18n.default),
        None => dir.clone(),
    };
    if let Some(i18n) = &i18n {
        plan.languages = i18n.languages.clone();
        plan.default_language = Some(i18n.default.clone());
    }
    let mut trees: Vec<(Option<&str>, String)> = vec![(None, default_dir.clone())];
    if let Some(i18n) = folders {
        for language in i18n.languages.iter().filter(|l| l.code != i18n.default) {
            trees.push((Some(&language.code), plan::join(&dir, &language.code)));
        }
    }
    for (language, tree_dir) in &trees {
        if !root.join(tree_dir).is_dir() {
            continue;
        }
        let layout = Tree {
            root,
            dir: tree_dir,
            target_prefix: "",
            url_prefix: "",
            same_name_is_section: false,
            index_is_section: true,
            rename: tree::same,
            url_segment: tree::same,
            language: *language,
        };
        tree::plan_tree(&layout, &mut plan);
    }
    if folders.is_some() {
        plan.content_root = default_dir.clone();
        for (_, own) in trees.iter().skip(1) {
            plan.translation_roots
                .push((own.clone(), default_dir.clone()));
        }
        unplaced_folders(root, &dir, &trees, &mut plan);
    }
    let dir = default_dir;
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

/// The settings of the mkdocs-static-i18n plugin (`plugins: [i18n: ...]`).
struct I18n {
    /// `docs_structure: folder`: each language in `docs/<locale>/`; else
    /// translations beside their page (`x.fr.md`).
    folders: bool,
    default: String,
    languages: Vec<PlannedLanguage>,
}

/// The plugin's settings, in its 1.x form (`languages:` a list of
/// `{locale, name, default, site_name}`) or its 0.x form
/// (`default_language:` and `languages:` a map of code to name or settings).
fn i18n_plugin(config: &Value) -> Option<I18n> {
    let plugins = config.get("plugins")?;
    let settings = match plugins {
        Value::Array(items) => items.iter().find_map(|item| item.get("i18n")),
        Value::Object(map) => map.get("i18n"),
        _ => None,
    }?;
    let mut default = text(settings, "default_language");
    let mut languages = Vec::new();
    match settings.get("languages") {
        Some(Value::Array(items)) => {
            for item in items {
                let Some(code) = text(item, "locale") else {
                    continue;
                };
                if item.get("default").and_then(Value::as_bool) == Some(true) {
                    default = Some(code.clone());
                }
                languages.push(PlannedLanguage {
                    name: text(item, "name"),
                    title: text(item, "site_name"),
                    code,
                    ..PlannedLanguage::default()
                });
            }
        }
        Some(Value::Object(map)) => {
            for (code, value) in map {
                languages.push(PlannedLanguage {
                    code: code.clone(),
                    name: value
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| text(value, "name")),
                    title: text(value, "site_name"),
                    ..PlannedLanguage::default()
                });
            }
        }
        _ => {}
    }
    let default = default.or_else(|| languages.first().map(|l| l.code.clone()))?;
    if !languages.iter().any(|l| l.code == default) {
        languages.insert(
            0,
            PlannedLanguage {
                code: default.clone(),
                ..PlannedLanguage::default()
            },
        );
    }
    Some(I18n {
        folders: text(settings, "docs_structure").as_deref() == Some("folder"),
        default,
        languages,
    })
}

/// In the folder layout, Markdown outside the languages' folders is no
/// language's page: each is a finding. Other files there are shared by the
/// languages, and copied.
fn unplaced_folders(root: &Path, dir: &str, trees: &[(Option<&str>, String)], plan: &mut Plan) {
    for file in plan::files_under(root, dir, &mut plan.findings) {
        let inside = trees
            .iter()
            .any(|(_, t)| file.starts_with(&format!("{t}/")));
        if inside {
            continue;
        }
        if !plan::is_markdown(&file) {
            // Shared images and files keep their place beside the pages.
            let relative = file
                .strip_prefix(dir)
                .unwrap_or(&file)
                .trim_start_matches('/');
            plan.copies.push(super::plan::Copy {
                target: plan::join("content", relative),
                source: file,
            });
            continue;
        }
        plan.left_out += 1;
        plan.findings.push(
            Diagnostic::warning(
                "import/translation",
                root.join(&file),
                "a page outside every language's folder (`docs_structure: folder`): not imported",
            )
            .at(1, 1),
        );
    }
}
