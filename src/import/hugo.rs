//! Hugo: pages under `content/` (or the default language's `contentDir`),
//! translations beside them (`x.de.md`) or in their language's own
//! `contentDir` (matched by path, or by `translationKey`),
//! `_index.md` for sections, `index.md` page bundles with their resources,
//! `static/` copied to `static/`. Front matter in YAML, TOML or JSON. URLs are
//! the lower-cased paths, so an old URL that kbgen's slug changes is kept as
//! an alias.

use std::path::Path;

use serde_json::Value;

use super::plan::{self, Copy, Plan};
use super::translations::PlannedLanguage;
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
    let dirs = content_dirs(root, config.as_ref(), &mut plan);
    let dir = dirs.default.clone();
    if !root.join(&dir).is_dir() {
        return Err(not_a_site(root, "Hugo", &format!("{dir}/")));
    }
    plan.content_root = dir.clone();
    for (language, dir) in std::iter::once((None, &dir)).chain(
        dirs.translated
            .iter()
            .map(|(code, dir)| (Some(code.as_str()), dir)),
    ) {
        let layout = Tree {
            root,
            dir,
            target_prefix: "",
            url_prefix: "",
            same_name_is_section: false,
            index_is_section: false,
            rename: tree::same,
            url_segment,
            language,
        };
        tree::plan_tree(&layout, &mut plan);
    }
    // A language's own folder holds its pages, not a second copy of the
    // default language's files.
    let translated: Vec<&String> = dirs.translated.iter().map(|(_, dir)| dir).collect();
    plan.copies.retain(|c| {
        !translated
            .iter()
            .any(|dir| c.source.starts_with(&format!("{dir}/")))
    });
    for (_, own) in &dirs.translated {
        plan.translation_roots.push((own.clone(), dir.clone()));
    }
    match_translation_keys(root, &mut plan);
    copy_folder(root, "static", "static", &mut plan);
    Ok(plan)
}

/// A folder or file name as it is in Hugo's URLs.
fn url_segment(name: &str) -> String {
    name.to_lowercase().replace(' ', "-")
}

/// The content folders of a Hugo site: the default language's, and each
/// other language's own (`contentDir`, or a module mount with `lang`).
#[derive(Debug, Default)]
struct ContentDirs {
    default: String,
    /// (language code as Hugo's configuration writes it, folder).
    translated: Vec<(String, String)>,
}

/// The site's languages (into `plan`) and where their pages are.
fn content_dirs(root: &Path, config: Option<&Value>, plan: &mut Plan) -> ContentDirs {
    let base = config
        .and_then(|c| text(c, "contentDir"))
        .unwrap_or_else(|| "content".to_string());
    let default = config
        .and_then(|c| text(c, "defaultContentLanguage"))
        .unwrap_or_else(|| "en".to_string());
    plan.default_language = Some(default.clone());
    plan.default_in_subdir = config
        .and_then(|c| c.get("defaultContentLanguageInSubdir"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut dirs = ContentDirs {
        default: base.clone(),
        ..ContentDirs::default()
    };
    if let Some(mounted) = config.and_then(|c| mounted_content(root, c, &default)) {
        dirs.default = mounted;
    }
    let Some(Value::Object(languages)) = config.and_then(|c| c.get("languages")) else {
        return dirs;
    };
    let mut listed: Vec<(i64, String, &Value)> = languages
        .iter()
        .map(|(code, settings)| {
            let weight = settings.get("weight").and_then(Value::as_i64).unwrap_or(0);
            (weight, code.clone(), settings)
        })
        .collect();
    listed.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    for (_, code, settings) in listed {
        plan.languages.push(PlannedLanguage {
            code: code.clone(),
            name: text(settings, "languageName").or_else(|| text(settings, "label")),
            title: text(settings, "title"),
            description: text(settings, "description").or_else(|| {
                settings
                    .pointer("/params/description")?
                    .as_str()
                    .map(str::to_string)
            }),
        });
        let dir = text(settings, "contentDir")
            .or_else(|| config.and_then(|c| mounted_for(root, c, &code)));
        let Some(dir) = dir.map(|d| d.trim_end_matches('/').to_string()) else {
            continue;
        };
        if code == default {
            dirs.default = dir;
        } else if root.join(&dir).is_dir() && dir != dirs.default {
            dirs.translated.push((code, dir));
        }
    }
    dirs
}

/// A translation whose `translationKey` is a page's of the default
/// language translates that page, whatever its file is named; a name other
/// than its source's becomes its slug, so its URL stays.
fn match_translation_keys(root: &Path, plan: &mut Plan) {
    if plan.pages.iter().all(|p| p.language.is_none()) {
        return;
    }
    let keys: Vec<Option<String>> = plan
        .pages
        .iter()
        .map(|page| translation_key(&root.join(&page.source)))
        .collect();
    let mut by_key: std::collections::HashMap<&str, String> = Default::default();
    for (page, key) in plan.pages.iter().zip(&keys) {
        if let (None, Some(key)) = (&page.language, key) {
            by_key.entry(key).or_insert_with(|| page.target.clone());
        }
    }
    for (page, key) in plan.pages.iter_mut().zip(&keys) {
        let Some(target) = key.as_deref().and_then(|k| by_key.get(k)) else {
            continue;
        };
        if page.language.is_none() || page.target == *target {
            continue;
        }
        let own = plan::file_name(&page.target);
        let own = if own == "index.md" || own == "_index.md" {
            plan::file_name(plan::parent(&page.target))
        } else {
            plan::strip_markdown_extension(own)
        };
        page.slug = Some(url_segment(own));
        page.target = target.clone();
    }
}

/// The `translationKey` of a page's front matter.
fn translation_key(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let front = super::front::read_front_matter(&text)?;
    match front.get("translationKey")? {
        Value::String(key) => Some(key.clone()),
        other => Some(other.to_string()),
    }
}

/// The folder a module mount puts at `content` (`[[module.mounts]] source =
/// "content/en", target = "content"`) for the default language (a mount
/// with no `lang`, or the default's), the first one that exists.
fn mounted_content(root: &Path, config: &Value, default: &str) -> Option<String> {
    content_mounts(root, config)
        .into_iter()
        .find(|(lang, _)| lang.as_deref().is_none_or(|l| l == default))
        .map(|(_, source)| source)
}

/// The folder a module mount with `lang = "<code>"` puts at `content`.
fn mounted_for(root: &Path, config: &Value, code: &str) -> Option<String> {
    content_mounts(root, config)
        .into_iter()
        .find(|(lang, _)| lang.as_deref() == Some(code))
        .map(|(_, source)| source)
}

/// Every existing folder a module mount puts at `content`, with its `lang`.
fn content_mounts(root: &Path, config: &Value) -> Vec<(Option<String>, String)> {
    let Some(mounts) = config.pointer("/module/mounts").and_then(Value::as_array) else {
        return Vec::new();
    };
    mounts
        .iter()
        .filter(|mount| mount.get("target").and_then(Value::as_str) == Some("content"))
        .filter_map(|mount| {
            let source = mount.get("source").and_then(Value::as_str)?;
            let lang = mount
                .get("lang")
                .and_then(Value::as_str)
                .map(str::to_string);
            Some((lang, source.trim_end_matches('/').to_string()))
        })
        .filter(|(_, source)| root.join(source).is_dir())
        .collect()
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
