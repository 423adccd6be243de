//! Zola: pages under `content/` with `+++` TOML front matter, `_index.md`
//! for sections, `index.md` bundles with their assets, `static/` copied.
//! Zola's shortcode syntax is kbgen's, so calls to kbgen's built-ins stay as
//! they are and others are escaped and reported.

use std::path::Path;

use super::hugo::{copy_folder, not_a_site, read_config, text};
use super::plan::Plan;
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
