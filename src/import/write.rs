//! Writing the imported site: the destination is checked first (never the
//! source, never inside it, never a folder that holds anything), then assets,
//! pages and `kbgen.yaml` are written into it.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use super::front::ConvertedPage;
use super::plan::Plan;
use super::translations::Languages;
use super::{Counts, ImportOptions};
use crate::diagnostics::Diagnostic;

/// Errors for a destination that could overwrite anything: the source itself,
/// a folder inside it, a file, a folder that is not empty.
pub fn check_destination(source: &Path, into: &Path) -> Result<(), Diagnostic> {
    let usage = |message: String| Diagnostic::error("config", into, message);
    if !source.is_dir() {
        return Err(Diagnostic::error(
            "config",
            source,
            format!("the source site {} is not a folder", source.display()),
        ));
    }
    let source_real = source
        .canonicalize()
        .map_err(|e| usage(format!("cannot read {}: {e}", source.display())))?;
    let into_real = resolved(into);
    if into_real == source_real || into_real.starts_with(&source_real) {
        return Err(usage(format!(
            "--into {} is the source site or inside it; the import never writes into its source",
            into.display()
        ))
        .with_help("choose a folder outside the source, e.g. --into ../help-center"));
    }
    if into.exists() {
        let empty = into.is_dir()
            && std::fs::read_dir(into)
                .map_err(|e| usage(format!("cannot read {}: {e}", into.display())))?
                .next()
                .is_none();
        if !empty {
            return Err(usage(format!(
                "--into {} is not an empty folder; the import writes only into a new or empty one",
                into.display()
            )));
        }
    }
    Ok(())
}

/// `path` with symbolic links resolved, for a path that may not exist yet:
/// its nearest existing ancestor resolved, the rest appended.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut real = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        real.push(name);
    }
    real
}

/// Writes assets, pages and `kbgen.yaml`; returns what was written.
pub fn write_site(
    options: &ImportOptions,
    plan: &Plan,
    languages: &Languages,
    pages: &[ConvertedPage],
    findings: &mut Vec<Diagnostic>,
) -> Result<Counts, Diagnostic> {
    let into = &options.into;
    let mut counts = Counts::default();
    let mut written: HashSet<String> = HashSet::new();
    std::fs::create_dir_all(into.join("content")).map_err(|e| write_error(into, &e))?;
    for copy in &plan.copies {
        if !written.insert(copy.target.clone()) {
            continue;
        }
        let target = into.join(&copy.target);
        make_parent(&target)?;
        if let Err(error) = std::fs::copy(options.source.join(&copy.source), &target) {
            findings.push(Diagnostic::error(
                "import/unreadable",
                options.source.join(&copy.source),
                format!("not copied: {error}"),
            ));
            continue;
        }
        if copy.target.starts_with("static/") {
            counts.static_files += 1;
        } else {
            counts.assets += 1;
        }
    }
    let mut taxonomies: BTreeSet<String> = BTreeSet::new();
    for page in pages.iter().filter(|p| p.redirect.is_none()) {
        let relative = format!("content/{}", page.target);
        if !written.insert(relative.clone()) {
            findings.push(
                Diagnostic::warning(
                    "import/collision",
                    &page.shown,
                    format!("another source file was already written as {relative}; this one is not imported"),
                )
                .at(1, 1),
            );
            continue;
        }
        let target = into.join(&relative);
        make_parent(&target)?;
        std::fs::write(&target, page.text()).map_err(|e| write_error(&target, &e))?;
        taxonomies.extend(page.front.taxonomy.keys().cloned());
        counts.aliases += page.front.aliases.len();
        if page.language.is_some() {
            counts.translations += 1;
        } else if page.section {
            counts.sections += 1;
        } else {
            counts.articles += 1;
        }
    }
    counts.languages = languages.list.len();
    let config = config_text(plan, options, languages, &taxonomies);
    let path = into.join(crate::config::CONFIG_FILE);
    std::fs::write(&path, config).map_err(|e| write_error(&path, &e))?;
    Ok(counts)
}

/// `kbgen.yaml`: the site's title, broken links as warnings (imported
/// content's links are checked, not trusted), and any taxonomy beyond the
/// default two.
fn config_text(
    plan: &Plan,
    options: &ImportOptions,
    languages: &Languages,
    taxonomies: &BTreeSet<String>,
) -> String {
    let title = plan
        .title
        .clone()
        .unwrap_or_else(|| "Help Center".to_string());
    let title = serde_yaml::to_string(&title).unwrap_or_default();
    let mut text = format!(
        "# Imported from {} by `kbgen import`.\ntitle: {}",
        options.tool.name(),
        title
    );
    text.push_str(&languages_text(languages));
    text.push_str(
        "# Links that point nowhere are warnings while the imported content is\n# reviewed; remove these lines to make them errors again.\nlinks:\n  broken: warn\n",
    );
    let extra: Vec<&String> = taxonomies
        .iter()
        .filter(|t| *t != "category" && *t != "tag")
        .collect();
    if !extra.is_empty() {
        text.push_str("taxonomies:\n  category:\n  tag:\n");
        for name in extra {
            let key = serde_yaml::to_string(name).unwrap_or_default();
            text.push_str(&format!("  {}:\n", key.trim()));
        }
    }
    text
}

/// `default_language:` and `languages:` of a multilingual site (each
/// language's name, and its title and description where the source gives
/// them); `language:` of a site in one language other than English.
fn languages_text(languages: &Languages) -> String {
    let yaml = |s: &str| {
        let text = serde_yaml::to_string(s).unwrap_or_default();
        text.trim_end().to_string()
    };
    if languages.list.is_empty() {
        return if languages.default == "en" {
            String::new()
        } else {
            format!("language: {}\n", yaml(&languages.default))
        };
    }
    let mut text = format!(
        "default_language: {}\nlanguages:\n",
        yaml(&languages.default)
    );
    for language in &languages.list {
        text.push_str(&format!("  - code: {}\n", yaml(&language.code)));
        text.push_str(&format!("    name: {}\n", yaml(&language.name)));
        if let Some(title) = &language.title {
            text.push_str(&format!("    title: {}\n", yaml(title)));
        }
        if let Some(description) = &language.description {
            text.push_str(&format!("    description: {}\n", yaml(description)));
        }
    }
    text
}

pub(super) fn make_parent(path: &Path) -> Result<(), Diagnostic> {
    match path.parent() {
        Some(parent) => std::fs::create_dir_all(parent).map_err(|e| write_error(parent, &e)),
        None => Ok(()),
    }
}

pub(super) fn write_error(path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error("config", path, format!("cannot write: {error}"))
}
