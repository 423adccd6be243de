//! The layout most tools share: a folder of Markdown files whose folders are
//! sections (`_index.md` or `index.md` their intro), and other files beside
//! them. Hugo, Zola, MkDocs and Docusaurus differ in a few rules, given as a
//! [`Tree`]; the layout keeps folder and file names, so relative links and
//! images keep working.

use std::path::Path;

use super::plan::{self, Copy, Plan, PlannedPage};
use crate::diagnostics::Diagnostic;

/// How one tool lays out its pages.
pub struct Tree<'a> {
    /// The source root.
    pub root: &'a Path,
    /// The pages' folder, relative to the root (`content`, `docs`).
    pub dir: &'a str,
    /// Where the pages go under `content/` (`""`, or `docs` to keep `/docs/` URLs).
    pub target_prefix: &'a str,
    /// What the tool puts before every page URL (`/docs`).
    pub url_prefix: &'a str,
    /// `index.md` and `README.md` are the folder's intro (MkDocs, Docusaurus),
    /// not a page bundle (Hugo, Zola).
    pub index_is_section: bool,
    /// A page named as its folder (`charge/charge.md`) is the folder's intro
    /// (Docusaurus's category index).
    pub same_name_is_section: bool,
    /// A folder or file name as written in the new site.
    pub rename: fn(&str) -> String,
    /// A folder or file name as it appeared in the source tool's URLs.
    pub url_segment: fn(&str) -> String,
    /// Every page of the tree is in this language (a language's own folder:
    /// Hugo's `contentDir`, Docusaurus's `i18n/<locale>/`).
    pub language: Option<&'a str>,
}

/// Adds the tree's pages and assets to `plan`.
pub fn plan_tree(tree: &Tree<'_>, plan: &mut Plan) {
    let files = plan::files_under(tree.root, tree.dir, &mut plan.findings);
    for source in files {
        let relative = source
            .strip_prefix(tree.dir)
            .map_or(source.as_str(), |r| r.trim_start_matches('/'))
            .to_string();
        if plan::is_markdown(&relative) {
            if let Some(page) = page(tree, &source, &relative, &mut plan.findings) {
                plan.pages.push(page);
            }
        } else {
            let renamed = renamed_path(tree, &relative);
            plan.copies.push(Copy {
                source,
                target: plan::join("content", &plan::join(tree.target_prefix, &renamed)),
            });
        }
    }
}

fn renamed_path(tree: &Tree<'_>, relative: &str) -> String {
    relative
        .split('/')
        .map(|segment| (tree.rename)(segment))
        .collect::<Vec<_>>()
        .join("/")
}

fn page(
    tree: &Tree<'_>,
    source: &str,
    relative: &str,
    findings: &mut Vec<Diagnostic>,
) -> Option<PlannedPage> {
    let folder = plan::parent(relative);
    let name = plan::file_name(relative);
    let (stem, language) = plan::split_language(name);
    if stem.starts_with('_') && stem != "_index" {
        findings.push(
            Diagnostic::warning(
                "import/left-out",
                tree.root.join(source),
                "a partial (its name starts with `_`), which the source never renders as a page: not imported",
            )
            .at(1, 1),
        );
        return None;
    }
    let folder_name = (tree.url_segment)(plan::file_name(folder));
    let is_intro = stem == "_index"
        || (tree.index_is_section && (stem == "index" || stem.eq_ignore_ascii_case("readme")))
        || (tree.same_name_is_section
            && !folder.is_empty()
            && (tree.url_segment)(&stem).eq_ignore_ascii_case(&folder_name));
    let is_bundle = !is_intro && stem == "index";
    let new_folder = renamed_path(tree, folder);
    // A translation (`x.de.md`) is given its source page's target; it is
    // moved beside it once every page is known (see `translations`).
    let target = if is_intro {
        plan::join(&new_folder, "_index.md")
    } else if is_bundle {
        plan::join(&new_folder, "index.md")
    } else {
        plan::join(&new_folder, &(tree.rename)(&format!("{stem}.md")))
    };
    let mut url_parts: Vec<String> = folder
        .split('/')
        .filter(|s| !s.is_empty())
        .map(tree.url_segment)
        .collect();
    if !is_intro && !is_bundle {
        url_parts.push((tree.url_segment)(&stem));
    }
    let old_url = if url_parts.is_empty() {
        format!("{}/", tree.url_prefix)
    } else {
        format!("{}/{}/", tree.url_prefix, url_parts.join("/"))
    };
    Some(PlannedPage {
        source: source.to_string(),
        target: plan::join(tree.target_prefix, &target),
        section: is_intro,
        old_url: Some(old_url),
        language: language.or_else(|| tree.language.map(str::to_string)),
        ..PlannedPage::default()
    })
}

/// A name kept as it is.
pub fn same(name: &str) -> String {
    name.to_string()
}
