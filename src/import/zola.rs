//! Zola: pages under `content/` with `+++` TOML front matter, `_index.md`
//! for sections, `index.md` bundles with their assets, `static/` copied;
//! translations beside them (`x.fr.md`) in the languages of `config.toml`.
//! Zola's shortcode syntax is kbgen's, so calls to kbgen's built-ins stay as
//! they are and others are escaped and reported.

use std::path::Path;

use super::hugo::{copy_folder, not_a_site, read_config, text};
use serde_json::Value;

use super::plan::Plan;
use super::translations::PlannedLanguage;
use super::tree::{self, Tree};
use crate::diagnostics::Diagnostic;

/// Lays out a Zola site.
pub fn plan(root: &Path) -> Result<Plan, Diagnostic> {
    if !root.join("content").is_dir() {
        return Err(not_a_site(root, "Zola", "content/"));
    }
    let config =
        read_config(&root.join("config.toml")).or_else(|| read_config(&root.join("zola.toml")));
    let mut plan = Plan {
        title: config.as_ref().and_then(|c| text(c, "title")),
        content_root: "content".to_string(),
        ..Plan::default()
    };
    if let Some(config) = &config {
        languages(config, &mut plan);
    }
    let layout = Tree {
        root,
        dir: "content",
        target_prefix: "",
        url_prefix: "",
        same_name_is_section: false,
        index_is_section: false,
        rename: tree::same,
        url_segment: crate::content::naming::slugify,
        language: None,
    };
    tree::plan_tree(&layout, &mut plan);
    copy_folder(root, "static", "static", &mut plan);
    Ok(plan)
}

/// `default_language` and `[languages.<code>]` (`title`, `description`) of
/// `config.toml`; also the older list form, `languages = [{code = "fr"}]`.
fn languages(config: &Value, plan: &mut Plan) {
    let default = text(config, "default_language").unwrap_or_else(|| "en".to_string());
    let listed: Vec<(String, &Value)> = match config.get("languages") {
        Some(Value::Object(map)) => map.iter().map(|(code, v)| (code.clone(), v)).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| Some((text(item, "code")?, item)))
            .collect(),
        _ => Vec::new(),
    };
    if !listed.is_empty() {
        plan.languages.push(PlannedLanguage {
            code: default.clone(),
            ..PlannedLanguage::default()
        });
    }
    for (code, settings) in listed {
        let language = PlannedLanguage {
            code: code.clone(),
            name: None,
            title: text(settings, "title"),
            description: text(settings, "description"),
        };
        if code == default {
            plan.languages[0] = language;
        } else {
            plan.languages.push(language);
        }
    }
    plan.default_language = Some(default);
}
