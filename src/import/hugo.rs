//! Hugo: pages under `content/` (or the default language's `contentDir`),
//! `_index.md` for sections, `index.md` page bundles with their resources,
//! `static/` copied to `static/`. Front matter in YAML, TOML or JSON. URLs are
//! the lower-cased paths, so an old URL that kbgen's slug changes is kept as
//! an alias.

use std::path::Path;

use serde_json::Value;

use super::plan::{self, Copy, Plan};
use super::tree::{self, Tree};
use crate::diagnostics::Diagnostic;

const CONFIG_FILES: [&str; 8] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config/_default/hugo.toml",
];

/// Lays out a Hugo site.
pub fn plan(root: &Path) -> Result<Plan, Diagnostic> {
    let config = CONFIG_FILES
        .iter()
        .chain(["config/_default/config.toml", "config/_default/hugo.yaml"].iter())
        .find_map(|name| read_config(&root.join(name)));
    let mut plan = Plan {
        title: config.as_ref().and_then(|c| text(c, "title")),
        ..Plan::default()
    };
    let dir = content_dir(root, config.as_ref(), &mut plan);
    if !root.join(&dir).is_dir() {
        return Err(not_a_site(root, "Hugo", &format!("{dir}/")));
    }
    plan.content_root = dir.clone();
    let layout = Tree {
        root,
        dir: &dir,
        target_prefix: "",
        url_prefix: "",
        same_name_is_section: false,
        index_is_section: false,
        rename: tree::same,
        url_segment: |name| name.to_lowercase().replace(' ', "-"),
        language: None,
    };
    tree::plan_tree(&layout, &mut plan);
    copy_folder(root, "static", "static", &mut plan);
    Ok(plan)
}

/// The folder of the default language's pages; other languages' folders are
/// findings.
fn content_dir(root: &Path, config: Option<&Value>, plan: &mut Plan) -> String {
    let base = config
        .and_then(|c| text(c, "contentDir"))
        .unwrap_or_else(|| "content".to_string());
    if let Some(mounted) = config.and_then(|c| mounted_content(root, c)) {
        return mounted;
    }
    let Some(Value::Object(languages)) = config.and_then(|c| c.get("languages")) else {
        return base;
    };
    let default = config
        .and_then(|c| text(c, "defaultContentLanguage"))
        .unwrap_or_else(|| "en".to_string());
    let mut chosen = base.clone();
    for (code, settings) in languages {
        let Some(dir) = text(settings, "contentDir") else {
            continue;
        };
        if *code == default {
            chosen = dir;
        } else if root.join(&dir).is_dir() {
            plan.findings.push(
                Diagnostic::warning(
                    "import/translation",
                    root.join(&dir),
                    format!("the `{code}` pages are not imported until kbgen builds languages"),
                )
                .at(1, 1),
            );
        }
    }
    chosen
}

/// The folder a module mount puts at `content` (`[[module.mounts]] source =
/// "content/en", target = "content"`), the first one that exists.
fn mounted_content(root: &Path, config: &Value) -> Option<String> {
    let mounts = config.pointer("/module/mounts")?.as_array()?;
    mounts
        .iter()
        .filter(|mount| mount.get("target").and_then(Value::as_str) == Some("content"))
        .filter_map(|mount| mount.get("source").and_then(Value::as_str))
        .find(|source| root.join(source).is_dir())
        .map(|source| source.trim_end_matches('/').to_string())
}

/// Copies every file of `root/from` to `to` in the new site.
pub fn copy_folder(root: &Path, from: &str, to: &str, plan: &mut Plan) {
    if !root.join(from).is_dir() {
        return;
    }
    for source in plan::files_under(root, from, &mut plan.findings) {
        let inside = source
            .strip_prefix(from)
            .unwrap_or(&source)
            .trim_start_matches('/');
        plan.copies.push(Copy {
            target: plan::join(to, inside),
            source,
        });
    }
}

/// A site configuration file (TOML, YAML or JSON) as JSON, if it reads.
pub fn read_config(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let name = path.to_string_lossy();
    if name.ends_with(".toml") {
        let table: toml::Table = toml::from_str(&text).ok()?;
        serde_json::to_value(table).ok()
    } else if name.ends_with(".json") {
        serde_json::from_str(&text).ok()
    } else {
        serde_yaml::from_str::<serde_yaml::Value>(&text)
            .ok()
            .and_then(|v| serde_json::to_value(v).ok())
    }
}

/// A string setting of a configuration.
pub fn text(config: &Value, key: &str) -> Option<String> {
    config.get(key)?.as_str().map(str::to_string)
}

/// The error for a source that lacks what the tool's sites have.
pub fn not_a_site(root: &Path, tool: &str, missing: &str) -> Diagnostic {
    Diagnostic::error(
        "config",
        root,
        format!(
            "{} does not look like a {tool} site: it has no {missing}",
            root.display()
        ),
    )
    .with_help("point the import at the site's root folder, or choose another --from")
}
