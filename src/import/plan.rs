//! The layout of an import: which source file becomes which article or
//! section, and which other files are copied where; then, once every page is
//! converted, each page's new URL and the old URLs kept as its aliases.
//!
//! The rule kept here: no public URL changes. An old URL that differs from
//! the new one becomes an alias, unless another page owns it (a finding).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use walkdir::WalkDir;

use super::front::ConvertedPage;
use crate::content::naming::{slugify, split_order_prefix};
use crate::diagnostics::Diagnostic;

/// A source site laid out as a kbgen site.
#[derive(Debug, Default)]
pub struct Plan {
    /// The site's title from its configuration.
    pub title: Option<String>,
    /// Where the pages are, relative to the source root (`content`, `docs`):
    /// what Hugo's `ref "/x.md"` starts from.
    pub content_root: String,
    pub pages: Vec<PlannedPage>,
    /// Files pages include, written as snippets (`content/_snippets/`).
    pub snippets: Vec<super::snippets::PlannedSnippet>,
    pub copies: Vec<Copy>,
    /// Findings about the layout (left-out pages, unused translations).
    pub findings: Vec<Diagnostic>,
    pub left_out: usize,
    /// Site settings the body conversion follows.
    pub settings: SiteSettings,
    /// The languages the source's configuration lists, as written there
    /// (codes settled to BCP 47 by [`super::translations::settle`]).
    pub languages: Vec<super::translations::PlannedLanguage>,
    /// The source's default language, as written there (`en` when unset).
    pub default_language: Option<String>,
    /// A language's own folder of pages and the default language's folder it
    /// mirrors (`content/de`, `content/en`): a link in a translation to a
    /// file its folder lacks reaches the default language's file, as the
    /// tools fall back to it.
    pub translation_roots: Vec<(String, String)>,
    /// The source serves its default language under `/<code>/` too
    /// (Hugo's `defaultContentLanguageInSubdir`, Grav's
    /// `include_default_lang`): those URLs are kept as aliases.
    pub default_in_subdir: bool,
}

/// What a site's configuration says about how its pages read.
#[derive(Debug, Default)]
pub struct SiteSettings {
    /// Grav runs Twig in every page (`pages.process.twig` of `system.yaml`).
    pub twig: bool,
    /// The attribute-list classes the site declares as callouts (Jekyll).
    pub callouts: super::kramdown::Callouts,
    /// Jekyll's `site` variables: `_config.yml`, and `_data/` files under
    /// `data`; `{{ site.x }}` of a plain value is that value.
    pub variables: serde_json::Value,
}

/// One Markdown file of the source and where it goes.
#[derive(Debug, Clone, Default)]
pub struct PlannedPage {
    /// Slash path relative to the source root.
    pub source: String,
    /// Slash path relative to `content/`: `billing/refunds.md`,
    /// `billing/_index.md`, `billing/refunds/index.md`.
    pub target: String,
    /// The page is a section's `_index.md`.
    pub section: bool,
    /// Order from outside the page (a nav list, a category file).
    pub weight: Option<i64>,
    /// A title from outside the page (a nav entry, a category label).
    pub title: Option<String>,
    /// The URL the source tool served the page at, when the layout decides it.
    pub old_url: Option<String>,
    /// A translation: its language code (as the source writes it until
    /// [`super::translations::settle`], then BCP 47). While the plan is
    /// laid out, `target` is where its source page goes (`x.md`); settling
    /// moves it beside (`x.de.md`).
    pub language: Option<String>,
    /// For a settled translation: the target of the page it translates.
    pub translates: Option<String>,
    /// A second page file of a folder that names no language (Grav's
    /// `docs.16.md`): its suffix; kept as a draft.
    pub variant: Option<String>,
    /// A slug the source's URL for this page calls for (a translation named
    /// otherwise than its source), used when its front matter has none.
    pub slug: Option<String>,
    /// What the source put before a translation's URLs (`/de`); empty for
    /// the default language.
    pub old_url_prefix: String,
    /// More URLs the source served the page at (its default language's
    /// `/<code>/` URL).
    pub more_old_urls: Vec<String>,
    /// A date from the file name (Jekyll's `2024-01-31-title.md`).
    pub date: Option<String>,
    /// A section page made from a settings file (Docusaurus
    /// `_category_.json`): title and weight only, no Markdown to read.
    pub synthetic: bool,
}

/// A file copied as it is: source path relative to the source root, target
/// relative to the new site's root (`content/...` or `static/...`).
#[derive(Debug, Clone)]
pub struct Copy {
    pub source: String,
    pub target: String,
}

/// Every file under `root/dir` (sorted, hidden names skipped) as slash paths
/// relative to `root`. Walk errors are findings.
pub fn files_under(root: &Path, dir: &str, findings: &mut Vec<Diagnostic>) -> Vec<String> {
    let start = root.join(dir);
    let mut files = Vec::new();
    let walker = WalkDir::new(&start)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if let Ok(relative) = entry.path().strip_prefix(root) {
                    files.push(slash_path(relative));
                }
            }
            Ok(_) => {}
            Err(error) => {
                let path = error
                    .path()
                    .map_or_else(|| start.clone(), Path::to_path_buf);
                findings.push(Diagnostic::error(
                    "import/unreadable",
                    path,
                    format!("cannot read: {error}"),
                ));
            }
        }
    }
    files
}

pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether a file is a Markdown page.
pub fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdx")
}

/// `docs.fr.md` → (`docs`, Some(`fr`)); `docs.md` → (`docs`, None). A
/// language is two letters, optionally with a region (`pt-br`).
pub fn split_language(file_name: &str) -> (String, Option<String>) {
    let stem = strip_markdown_extension(file_name);
    if let Some((name, code)) = stem.rsplit_once('.') {
        let (lang, region) = code.split_once('-').unwrap_or((code, ""));
        let is_language = lang.len() == 2
            && lang.bytes().all(|b| b.is_ascii_lowercase())
            && region.len() <= 4
            && !name.is_empty();
        if is_language {
            return (name.to_string(), Some(code.to_string()));
        }
    }
    (stem.to_string(), None)
}

pub fn strip_markdown_extension(name: &str) -> &str {
    for extension in [".markdown", ".mdx", ".md"] {
        if name.len() > extension.len() && name.to_ascii_lowercase().ends_with(extension) {
            return &name[..name.len() - extension.len()];
        }
    }
    name
}

/// The parent folder of a slash path (`""` at the root).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The last part of a slash path.
pub fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, name)| name)
}

/// `a` + `b` with one `/` between (either may be empty).
pub fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}/{b}"),
    }
}

/// The URL kbgen gives a target path with an optional front-matter slug, as
/// kbgen's loader does: each folder's slug (order prefix dropped), then the
/// article's slug.
pub fn new_url(target: &str, slug: Option<&str>) -> String {
    let name = file_name(target);
    let folders: Vec<&str> = parent(target)
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let mut parts: Vec<String> = Vec::new();
    let last_folder = folders.len().saturating_sub(1);
    for (i, folder) in folders.iter().enumerate() {
        let is_bundle = i == last_folder && name == "index.md";
        if is_bundle {
            break;
        }
        parts.push(slugify(split_order_prefix(folder).1));
    }
    match name {
        "_index.md" => {}
        "index.md" => {
            let folder = folders.last().copied().unwrap_or("");
            let own = slug.map_or_else(|| slugify(split_order_prefix(folder).1), slugify);
            parts.push(own);
        }
        _ => {
            let stem = strip_markdown_extension(name);
            let own = slug.map_or_else(|| slugify(split_order_prefix(stem).1), slugify);
            parts.push(own);
        }
    }
    let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/{}/", parts.join("/"))
    }
}

/// An old URL as an alias path: a leading `/`, a trailing `/` unless it names
/// a file (`/about.html`). `None` for what cannot be an alias (a full URL, a
/// query or fragment).
pub fn alias_form(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() || url.contains("://") || url.starts_with("//") || url.contains(['?', '#']) {
        return None;
    }
    let path = format!("/{}", url.trim_start_matches('/'));
    let last = path.rsplit('/').next().unwrap_or("");
    if path.ends_with('/') || last.contains('.') {
        Some(path)
    } else {
        Some(format!("{path}/"))
    }
}

/// A page as it will be written: converted, with its final aliases.
pub type SettledPages = Vec<ConvertedPage>;

/// Decides aliases: each page's old URLs that differ from its new URL, minus
/// any another page owns; folds redirect-only pages into their target.
pub fn settle_urls(mut pages: Vec<ConvertedPage>, findings: &mut Vec<Diagnostic>) -> SettledPages {
    for page in &mut pages {
        move_off_reserved_url(page, findings);
    }
    let new_urls: Vec<String> = pages.iter().map(page_url).collect();
    let mut wanted: Vec<Vec<String>> = pages.iter().map(|p| p.old_urls.clone()).collect();
    fold_redirects(&mut pages, &new_urls, &mut wanted, findings);
    // A folded redirect page is not written: its URL is free for an alias.
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (i, url) in new_urls.iter().enumerate() {
        if pages[i].redirect.is_none() {
            owner.entry(url.clone()).or_insert(i);
        }
    }
    // Each language has its own search page, taxonomy pages and 404.
    let mut prefixes: Vec<String> = vec![String::new()];
    for page in &pages {
        if let Some(code) = &page.language {
            let prefix = format!("/{code}");
            if !prefixes.contains(&prefix) {
                prefixes.push(prefix);
            }
        }
    }
    for prefix in &prefixes {
        for taken in RESERVED {
            owner
                .entry(format!("{prefix}{taken}"))
                .or_insert(usize::MAX);
        }
    }
    // Folders are sections with URLs of their own, `_index.md` or not.
    for page in pages.iter().filter(|p| p.redirect.is_none()) {
        let prefix = page
            .language
            .as_ref()
            .map_or(String::new(), |code| format!("/{code}"));
        let named = page.translates.as_deref().unwrap_or(&page.target);
        let mut folder = parent(named);
        if file_name(named) == "index.md" {
            // A bundle's folder is the article itself.
            folder = parent(folder);
        }
        while !folder.is_empty() {
            owner
                .entry(format!(
                    "{prefix}{}",
                    new_url(&join(folder, "_index.md"), None)
                ))
                .or_insert(usize::MAX);
            folder = parent(folder);
        }
    }
    let mut claimed: HashSet<String> = HashSet::new();
    for (i, page) in pages.iter_mut().enumerate() {
        findings.append(&mut page.findings);
        let mut aliases: Vec<String> = Vec::new();
        for old in &wanted[i] {
            if alias_form(old).is_some_and(|a| aliases.contains(&a)) {
                continue;
            }
            let Some(alias) = alias_form(old) else {
                findings.push(alias_finding(page, old, "is not a path of this site"));
                continue;
            };
            if alias == new_urls[i]
                || alias.trim_end_matches('/') == new_urls[i].trim_end_matches('/')
            {
                continue;
            }
            if owner.contains_key(&alias) || !claimed.insert(alias.clone()) {
                findings.push(alias_finding(page, old, "is the URL of another page"));
                continue;
            }
            aliases.push(alias);
        }
        page.front.aliases = aliases;
    }
    pages
}

/// The URL kbgen gives a converted page: a translation's is its source
/// page's path under `/<code>/`, with its own slug.
pub fn page_url(page: &ConvertedPage) -> String {
    match (&page.language, &page.translates) {
        (Some(code), Some(source)) => {
            format!("/{code}{}", new_url(source, page.front.slug.as_deref()))
        }
        _ => new_url(&page.target, page.front.slug.as_deref()),
    }
}

/// A page beside a folder of the same name (`docs/plugins.md` and
/// `docs/plugins/`) would want the folder's URL: it becomes the folder's
/// intro, unless the folder has one.
pub fn fold_pages_into_same_named_folders(plan: &mut Plan) {
    let targets: HashSet<String> = plan.pages.iter().map(|p| p.target.clone()).collect();
    let folders: HashSet<String> = plan
        .pages
        .iter()
        .map(|p| parent(&p.target).to_string())
        .collect();
    let mut moved: HashMap<String, String> = HashMap::new();
    for page in &plan.pages {
        if page.section || page.language.is_some() || file_name(&page.target) == "index.md" {
            continue;
        }
        let folder = strip_markdown_extension(&page.target).to_string();
        let intro = join(&folder, "_index.md");
        if folders.contains(&folder) && !targets.contains(&intro) {
            moved.insert(page.target.clone(), intro);
        }
    }
    // A translation, still at its source page's target, moves with it.
    for page in &mut plan.pages {
        if let Some(intro) = moved.get(&page.target) {
            page.target = intro.clone();
            page.section = true;
        }
    }
}

/// A page named as kbgen names a repository's own files (`license.md`,
/// `CHANGELOG.md`), which kbgen passes over, is written as a bundle
/// (`license/index.md`): it keeps its URL and is built.
pub fn move_off_repository_names(plan: &mut Plan) {
    for page in &mut plan.pages {
        let name = file_name(&page.target);
        if !crate::content::walk::is_ignored_name(name) || name.starts_with('.') {
            continue;
        }
        let folder = join(parent(&page.target), strip_markdown_extension(name));
        page.target = join(&folder, "index.md");
    }
}

/// URLs kbgen writes itself.
const RESERVED: [&str; 5] = [
    "/category/",
    "/tag/",
    "/search/",
    "/404.html",
    "/sitemap.xml",
];

/// A page whose URL kbgen keeps for itself (`/search/`) gets a slug of its
/// own, and a finding.
fn move_off_reserved_url(page: &mut ConvertedPage, findings: &mut Vec<Diagnostic>) {
    let url = page_url(page);
    // A translation's URL is its language's: `/de/search/` is kbgen's too.
    let prefix = page
        .language
        .as_ref()
        .map_or(String::new(), |code| format!("/{code}"));
    let own = url.strip_prefix(&prefix).unwrap_or(&url);
    if !RESERVED.contains(&own) {
        return;
    }
    let slug = format!("{}-page", own.trim_matches('/'));
    let url = format!("{prefix}/{slug}/");
    findings.push(
        Diagnostic::warning(
            "import/collision",
            &page.shown,
            format!(
                "kbgen writes {} itself; this page moves to {url}",
                page_url(page)
            ),
        )
        .at(1, 1),
    );
    page.front.slug = Some(slug);
}

fn alias_finding(page: &ConvertedPage, old: &str, why: &str) -> Diagnostic {
    Diagnostic::warning(
        "import/alias",
        &page.shown,
        format!("the old URL `{old}` {why}; it is not kept as an alias"),
    )
    .at(1, 1)
}

/// A redirect-only page: its old URLs become aliases of the page it points
/// to, and it is not written. One whose target is not a page of the site is
/// kept as an article with a link, and is a finding.
fn fold_redirects(
    pages: &mut [ConvertedPage],
    new_urls: &[String],
    wanted: &mut [Vec<String>],
    findings: &mut Vec<Diagnostic>,
) {
    let mut by_url: BTreeMap<String, usize> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        if page.redirect.is_some() {
            continue;
        }
        by_url.entry(new_urls[i].clone()).or_insert(i);
        for old in &page.old_urls {
            if let Some(alias) = alias_form(old) {
                by_url.entry(alias).or_insert(i);
            }
        }
    }
    for i in 0..pages.len() {
        let Some(target) = pages[i].redirect.clone() else {
            continue;
        };
        let found = alias_form(&target).and_then(|t| by_url.get(&t).copied());
        match found {
            Some(to) => {
                let mut moved = std::mem::take(&mut wanted[i]);
                moved.push(new_urls[i].clone());
                wanted[to].extend(moved);
            }
            None => {
                let page = &mut pages[i];
                findings.push(
                    Diagnostic::warning(
                        "import/redirect",
                        &page.shown,
                        format!("redirects to `{target}`, which is not a page of this site; kept as an article that links there"),
                    )
                    .at(page.redirect_line, 1),
                );
                page.body = format!("This page has moved to <{target}>.\n\n{}", page.body);
                page.redirect = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_urls_follow_kbgen() {
        assert_eq!(new_url("01.basics/02.page/index.md", None), "/basics/page/");
        assert_eq!(new_url("01.basics/_index.md", None), "/basics/");
        assert_eq!(new_url("_index.md", None), "/");
        assert_eq!(
            new_url("billing/Refunds_FAQ.md", None),
            "/billing/refunds-faq/"
        );
        assert_eq!(new_url("billing/x.md", Some("y")), "/billing/y/");
    }

    #[test]
    fn languages_and_aliases() {
        assert_eq!(
            split_language("docs.fr.md"),
            ("docs".into(), Some("fr".into()))
        );
        assert_eq!(split_language("v1.2.md"), ("v1.2".into(), None));
        assert_eq!(alias_form("about.html").as_deref(), Some("/about.html"));
        assert_eq!(alias_form("/a/b").as_deref(), Some("/a/b/"));
        assert_eq!(alias_form("https://x.org/a"), None);
    }
}
