//! Grav: page folders under `user/pages/` (or `pages/`). A folder's page file
//! (`docs.md`, `default.md`, `chapter.md`, ...) is the page; a folder with
//! page folders inside is a section whose page file is its intro
//! (`_index.md`); one without is an article, written as a bundle
//! (`index.md`) with the folder's media beside it. Folder names are kept:
//! kbgen drops the `NN.` order prefix as Grav does. A page file in one of
//! the languages of `system.yaml` (`docs.de.md`) is a translation
//! (`index.de.md`, `_index.de.md`); another variant (`docs.16.md`) is kept
//! beside as a draft; modular parts (`_hero/`) are reported and left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::hugo::{not_a_site, read_config, text};
use super::plan::{self, Copy, Plan, PlannedPage};
use super::translations::PlannedLanguage;
use crate::diagnostics::Diagnostic;

/// Lays out a Grav site.
pub fn plan(root: &Path) -> Result<Plan, Diagnostic> {
    let pages = ["user/pages", "pages"]
        .into_iter()
        .find(|dir| root.join(dir).is_dir())
        .ok_or_else(|| not_a_site(root, "Grav", "user/pages/ or pages/"))?;
    let config = read_config(&root.join("user/config/site.yaml"))
        .or_else(|| read_config(&root.join("config/site.yaml")));
    let system = read_config(&root.join("user/config/system.yaml"))
        .or_else(|| read_config(&root.join("config/system.yaml")));
    let twig = system
        .as_ref()
        .and_then(|s| s.pointer("/pages/process/twig"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    let languages = system.as_ref().and_then(|s| s.get("languages"));
    let supported: Vec<String> = languages
        .and_then(|l| l.get("supported"))
        .and_then(serde_json::Value::as_array)
        .map(|codes| {
            codes
                .iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut plan = Plan {
        languages: supported
            .iter()
            .map(|code| PlannedLanguage {
                code: code.clone(),
                ..PlannedLanguage::default()
            })
            .collect(),
        default_language: languages
            .and_then(|l| text(l, "default_lang"))
            .or_else(|| supported.first().cloned()),
        // Grav serves the default language under `/<code>/` too, unless
        // `include_default_lang: false`.
        default_in_subdir: supported.len() > 1
            && languages
                .and_then(|l| l.get("include_default_lang"))
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(true),
        settings: plan::SiteSettings {
            twig,
            ..plan::SiteSettings::default()
        },
        title: config.as_ref().and_then(|c| text(c, "title")),
        content_root: pages.to_string(),
        ..Plan::default()
    };
    let files = plan::files_under(root, pages, &mut plan.findings);
    let mut folders: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let relative = file
            .strip_prefix(pages)
            .unwrap_or(file)
            .trim_start_matches('/');
        folders
            .entry(plan::parent(relative).to_string())
            .or_default()
            .push(relative.to_string());
    }
    let with_pages: BTreeSet<String> = folders
        .iter()
        .filter(|(_, files)| files.iter().any(|f| plan::is_markdown(f)))
        .map(|(folder, _)| folder.clone())
        .collect();
    for (folder, files) in &folders {
        let modular = folder.split('/').any(|part| part.starts_with('_'));
        // A folder whose only page files are variants (`docs.17.md`): the
        // first of them is its page. A language's file (`docs.de.md`) is not
        // a variant: it is a translation, or the page in the default
        // language.
        let primary_missing = !files.iter().any(|f| {
            let name = plan::file_name(f);
            plan::is_markdown(name)
                && (!plan::strip_markdown_extension(name).contains('.')
                    || language_of(name, &supported).is_some())
        });
        let first_page = files.iter().find(|f| plan::is_markdown(f)).cloned();
        let has_children = with_pages.iter().any(|other| {
            other.starts_with(&format!("{folder}/")) || (folder.is_empty() && !other.is_empty())
        });
        for file in files {
            let source = plan::join(pages, file);
            if modular {
                plan.left_out += 1;
                plan.findings.push(
                    Diagnostic::warning(
                        "import/modular",
                        root.join(&source),
                        "a part of a Grav modular page has no kbgen equivalent: not imported",
                    )
                    .at(1, 1),
                );
                continue;
            }
            if plan::file_name(file) == "index.html" {
                plan.findings.push(
                    Diagnostic::warning(
                        "import/collision",
                        root.join(&source),
                        "an `index.html` beside a page would take the page's URL: not copied",
                    )
                    .at(1, 1),
                );
                continue;
            }
            if !plan::is_markdown(file) {
                plan.copies.push(Copy {
                    source,
                    target: plan::join("content", file),
                });
                continue;
            }
            let name = plan::file_name(file);
            let is_primary = primary_missing && first_page.as_ref() == Some(file);
            let language = language_of(name, &supported);
            let variant = (!is_primary && language.is_none())
                .then(|| {
                    let stem = plan::strip_markdown_extension(name);
                    stem.split_once('.').map(|(_, suffix)| suffix.to_string())
                })
                .flatten();
            plan.pages
                .push(page(folder, source, language, variant, has_children));
        }
    }
    Ok(plan)
}

/// The language a page file names (`docs.de.md` → `de`): one of the
/// site's `languages.supported`, or a suffix that reads as a language code.
fn language_of(name: &str, supported: &[String]) -> Option<String> {
    let stem = plan::strip_markdown_extension(name);
    let (_, suffix) = stem.split_once('.')?;
    // A language the site does not list is still a language: the
    // translation is reported, not kept as a variant.
    let listed = supported.iter().any(|code| code == suffix);
    (listed || plan::split_language(name).1.is_some()).then(|| suffix.to_string())
}

/// A folder's page file: a section's intro, a bundle, or (with `variant`)
/// a second page file kept as a draft beside it. A translation is given the
/// target of the folder's page, and moved beside it later.
fn page(
    folder: &str,
    source: String,
    language: Option<String>,
    variant: Option<String>,
    has_children: bool,
) -> PlannedPage {
    let name = plan::file_name(folder);
    let target = match (&variant, has_children) {
        (Some(suffix), _) => {
            let name = if name.is_empty() { "home" } else { name };
            plan::join(plan::parent(folder), &format!("{name}.{suffix}.md"))
        }
        (None, true) => plan::join(folder, "_index.md"),
        (None, false) if folder.is_empty() => "_index.md".to_string(),
        (None, false) => plan::join(folder, "index.md"),
    };
    let section = variant.is_none() && (has_children || folder.is_empty());
    let route: Vec<&str> = folder
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| crate::content::naming::split_order_prefix(s).1)
        .collect();
    let old_url = if route.is_empty() {
        "/".to_string()
    } else {
        format!("/{}/", route.join("/"))
    };
    PlannedPage {
        source,
        target,
        section,
        old_url: variant.is_none().then_some(old_url),
        language,
        variant,
        ..PlannedPage::default()
    }
}
