//! Docusaurus: the `docs/` folder (or `website/docs/`), served under `/docs/`,
//! so pages go to `content/docs/` and keep their URLs. Number prefixes
//! (`01-intro.md`) become kbgen's `01.intro.md`; `_category_.json` gives a
//! folder's title and position, and a generated index's URL
//! (`/docs/category/<label>`) is kept as the section's alias; `index.md`,
//! `README.md` and a page named as its folder are the folder's intro;
//! `_`-prefixed files are partials, not pages; `static/` is copied.

use std::path::Path;

use serde_json::Value;

use super::hugo::{copy_folder, not_a_site, read_config};
use super::plan::{self, Plan, PlannedPage};
use super::tree::{self, Tree};
use crate::diagnostics::Diagnostic;

/// Lays out a Docusaurus site.
pub fn plan(root: &Path) -> Result<Plan, Diagnostic> {
    let site = if root.join("docs").is_dir() {
        String::new()
    } else if root.join("website/docs").is_dir() {
        "website".to_string()
    } else {
        return Err(not_a_site(root, "Docusaurus", "docs/"));
    };
    let docs = plan::join(&site, "docs");
    let mut plan = Plan {
        title: site_title(&root.join(&site)),
        content_root: docs.clone(),
        ..Plan::default()
    };
    let layout = Tree {
        root,
        dir: &docs,
        target_prefix: "docs",
        url_prefix: "/docs",
        index_is_section: true,
        same_name_is_section: true,
        rename: number_prefix_to_order,
        url_segment: |name| strip_number_prefix(name).to_string(),
        language: None,
    };
    tree::plan_tree(&layout, &mut plan);
    plan.copies.retain(|c| !is_category_file(&c.source));
    categories(root, &docs, &mut plan);
    copy_folder(root, &plan::join(&site, "static"), "static", &mut plan);
    Ok(plan)
}

fn is_category_file(path: &str) -> bool {
    let name = plan::file_name(path);
    name == "_category_.json" || name == "_category_.yml" || name == "_category_.yaml"
}

/// `_category_.json`: the label and position of a folder, on its intro page,
/// or on a section page made for it.
fn categories(root: &Path, docs: &str, plan: &mut Plan) {
    let files = plan::files_under(root, docs, &mut plan.findings);
    for file in files.iter().filter(|f| is_category_file(f)) {
        let Some(settings) = read_config(&root.join(file)) else {
            plan.findings.push(
                Diagnostic::warning(
                    "import/front-matter",
                    root.join(file),
                    "the category file does not parse; its label and position are not used",
                )
                .at(1, 1),
            );
            continue;
        };
        let label = settings
            .get("label")
            .and_then(Value::as_str)
            .map(str::to_string);
        let position = settings
            .get("position")
            .and_then(Value::as_f64)
            .map(|p| p.round() as i64);
        let folder = plan::parent(file);
        let relative = folder
            .strip_prefix(docs)
            .unwrap_or(folder)
            .trim_start_matches('/');
        let renamed: Vec<String> = relative
            .split('/')
            .filter(|s| !s.is_empty())
            .map(number_prefix_to_order)
            .collect();
        let target = plan::join("docs", &plan::join(&renamed.join("/"), "_index.md"));
        let folder_name = plan::file_name(relative);
        let generated_index = generated_index_url(&settings, label.as_deref(), folder_name);
        match plan.pages.iter_mut().find(|p| p.target == target) {
            Some(page) => {
                page.title = page.title.take().or(label);
                page.weight = page.weight.or(position);
            }
            None => plan.pages.push(PlannedPage {
                source: file.clone(),
                target,
                section: true,
                title: label,
                weight: position,
                synthetic: true,
                old_url: generated_index,
                ..PlannedPage::default()
            }),
        }
    }
}

/// The URL Docusaurus gives a category's generated index page: its
/// `link.slug`, else `/category/<label in kebab case>`, under `/docs`.
fn generated_index_url(settings: &Value, label: Option<&str>, folder: &str) -> Option<String> {
    let link = settings.get("link")?;
    if link.get("type").and_then(Value::as_str) != Some("generated-index") {
        return None;
    }
    let slug = match link.get("slug").and_then(Value::as_str) {
        Some(slug) => slug.trim_matches('/').to_string(),
        None => format!(
            "category/{}",
            crate::content::naming::slugify(label.unwrap_or(folder))
        ),
    };
    Some(format!("/docs/{slug}/"))
}

/// `01-intro` → `01.intro`, as kbgen reads order prefixes.
fn number_prefix_to_order(name: &str) -> String {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &name[digits..];
    let stripped = strip_number_prefix(name);
    if digits > 0 && stripped.len() < rest.len() {
        format!("{}.{stripped}", &name[..digits])
    } else {
        name.to_string()
    }
}

/// `01-intro` → `intro`: Docusaurus drops number prefixes from URLs.
fn strip_number_prefix(name: &str) -> &str {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    let rest = name[digits..].trim_start_matches([' ', '-', '_', '.']);
    if digits > 0 && rest.len() < name.len() - digits && !rest.is_empty() {
        rest
    } else {
        name
    }
}

/// The `title` of `docusaurus.config.js` (or `.ts`).
fn site_title(site: &Path) -> Option<String> {
    let config = [
        "docusaurus.config.js",
        "docusaurus.config.ts",
        "docusaurus.config.mjs",
    ]
    .iter()
    .find_map(|name| std::fs::read_to_string(site.join(name)).ok())?;
    let at = config.find("title:")?;
    let rest = config[at + 6..].trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let end = rest[1..].find(quote)?;
    Some(rest[1..=end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_prefixes() {
        assert_eq!(number_prefix_to_order("01-intro.md"), "01.intro.md");
        assert_eq!(number_prefix_to_order("2fa.md"), "2fa.md");
        assert_eq!(strip_number_prefix("01-intro"), "intro");
    }
}
