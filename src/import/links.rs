//! Links between imported pages: a relative link or image path of the source
//! (`../01.basics/02.page`, `img/shot.png`, `../billing/refunds.md`) is
//! resolved against the source tree and written as kbgen reads it: `@/…` for a
//! page, a path from the article to where the asset was copied, `/…` for a
//! file copied to `static/`. A site-root link to a page's old URL
//! (`/docs/billing/refunds/`) becomes an `@/…` link too, and a `#fragment`
//! naming a heading by the source tool's id rule is moved to kbgen's id (see
//! [`super::headings`]). A link that resolves to nothing is left as written
//! (`kbgen check` reports it).

use std::collections::HashMap;

use super::front::FrontConverted;
use super::headings::PageAnchors;
use super::plan::{self, Plan};

/// Every page and copied file of a plan, by the paths links use.
#[derive(Debug, Default)]
pub struct PageIndex {
    /// Source-relative key → page target (relative to `content/`).
    pages: HashMap<String, String>,
    /// Source path of a copied file → its target (relative to the new root).
    assets: HashMap<String, String>,
    /// A page's file or folder name → targets, for references by name.
    by_name: HashMap<String, Vec<String>>,
    /// A page's old URL (no trailing `/`) → its target.
    old_urls: HashMap<String, String>,
    /// A page's target → the URL the source tool served it at.
    page_urls: HashMap<String, String>,
    /// The source tool serves pages at URLs ending in `/` (all but
    /// Docusaurus), so a relative link starts from the page itself.
    trailing_slash: bool,
    /// A page's target → the anchors kbgen will give it.
    anchors: HashMap<String, PageAnchors>,
    /// See [`Plan::translation_roots`].
    translation_roots: Vec<(String, String)>,
    /// A translation's target → its language.
    languages: HashMap<String, String>,
    content_root: String,
}

impl PageIndex {
    /// The index of `plan`, whose pages' converted front matter is `fronts`
    /// (in plan order).
    pub fn new(plan: &Plan, fronts: &[FrontConverted], trailing_slash: bool) -> PageIndex {
        let mut index = PageIndex {
            trailing_slash,
            content_root: plan.content_root.clone(),
            translation_roots: plan.translation_roots.clone(),
            ..PageIndex::default()
        };
        // Pages in the default language first: a path both name is theirs.
        let (sources, translations): (Vec<_>, Vec<_>) =
            plan.pages.iter().partition(|p| p.language.is_none());
        for page in &translations {
            if let Some(url) = &page.old_url {
                index.page_urls.insert(page.target.clone(), url.clone());
            }
            if let Some(code) = &page.language {
                index.languages.insert(page.target.clone(), code.clone());
            }
        }
        for page in sources.iter().chain(&translations) {
            // A link to a translation's file names the page, which kbgen
            // reads as the translation in a translation (`@/x.md`).
            let named = super::translations::source_target(page);
            for key in page_keys(&page.source, named) {
                index.pages.entry(key).or_insert_with(|| named.to_string());
            }
            if page.language.is_some() {
                continue;
            }
            if let Some(url) = &page.old_url {
                index.page_urls.insert(page.target.clone(), url.clone());
            }
            let (stem, _) = plan::split_language(plan::file_name(&page.source));
            let name = if is_folder_page(&page.target) {
                plan::file_name(plan::parent(&page.source)).to_string()
            } else {
                stem
            };
            index
                .by_name
                .entry(strip_order(&name))
                .or_default()
                .push(page.target.clone());
        }
        for front in fronts {
            let page = &front.page;
            if page.redirect.is_some() || page.left_out {
                continue;
            }
            for old in &page.old_urls {
                index
                    .old_urls
                    .entry(old.trim_end_matches('/').to_string())
                    .or_insert_with(|| page.target.clone());
            }
            if let Some((body, _, _)) = &front.body {
                let anchors = PageAnchors::of_body(body);
                index.anchors.insert(page.target.clone(), anchors);
            }
        }
        for copy in &plan.copies {
            index
                .assets
                .insert(copy.source.clone(), copy.target.clone());
        }
        index
    }

    /// Where the pages are, relative to the source root.
    pub fn content_root(&self) -> &str {
        &self.content_root
    }

    /// The page a source-relative path names (`content/billing/x.md`,
    /// `content/billing/x`, a bundle's folder).
    pub fn page(&self, path: &str) -> Option<&String> {
        self.page_here(path).or_else(|| {
            self.translation_roots.iter().find_map(|(own, default)| {
                let inside = path.strip_prefix(own.as_str())?.strip_prefix('/')?;
                self.page_here(&plan::join(default, inside))
            })
        })
    }

    /// [`Self::page`] without the fallback to the default language's folder.
    fn page_here(&self, path: &str) -> Option<&String> {
        let path = path.trim_end_matches('/');
        self.pages
            .get(path)
            .or_else(|| self.pages.get(&strip_order_path(path)))
            .or_else(|| {
                let without = path
                    .strip_suffix(".html")
                    .or_else(|| path.strip_suffix("/index.html"))?;
                self.pages.get(without)
            })
    }

    /// The one page named `name` (a file stem or folder), if only one is.
    pub fn page_named(&self, name: &str) -> Option<&String> {
        match self.by_name.get(&strip_order(name)).map(Vec::as_slice) {
            Some([one]) => Some(one),
            _ => None,
        }
    }

    /// `@/target` with `rest` (`?query#fragment`) after it, the fragment
    /// moved to the id kbgen gives the heading it names.
    pub fn page_link(&self, target: &str, rest: &str) -> String {
        format!("@/{target}{}", self.with_fragment(target, rest))
    }

    /// [`Self::page_link`] from the page `from`: a translation's link to a
    /// page goes to that page's translation in kbgen, so a fragment names a
    /// heading there when it has one.
    fn page_link_from(&self, from: &str, target: &str, rest: &str) -> String {
        let Some(code) = self.languages.get(from) else {
            return self.page_link(target, rest);
        };
        let translated = super::translations::translation_target(target, code);
        if self.anchors.contains_key(&translated) {
            format!("@/{target}{}", self.with_fragment(&translated, rest))
        } else {
            self.page_link(target, rest)
        }
    }

    /// `rest` (`?query#fragment`, or nothing) with its fragment moved to the
    /// id kbgen gives the heading it names on page `target`.
    fn with_fragment(&self, target: &str, rest: &str) -> String {
        let Some((before, fragment)) = rest.split_once('#') else {
            return rest.to_string();
        };
        match self.anchors.get(target).and_then(|a| a.moved(fragment)) {
            Some(id) => format!("{before}#{id}"),
            None => rest.to_string(),
        }
    }

    /// A link of the page `page_source` (target `page_target`) rewritten, or
    /// `None` when it stays as written.
    pub fn rewrite(&self, page_source: &str, page_target: &str, link: &str) -> Option<String> {
        if let Some(fragment) = link.strip_prefix('#') {
            let moved = self.anchors.get(page_target)?.moved(fragment)?;
            return Some(format!("#{moved}"));
        }
        if link.starts_with('/') && !link.starts_with("//") {
            return self.old_url_link(page_target, link);
        }
        if let Some(page_link) = link.strip_prefix("@/") {
            // Zola's own `@/` links, and those a template tag was converted
            // to (`{% link x.md %}#part`): the page may have moved (a
            // `license.md` is a bundle now), the fragment names a heading by
            // the source's rule.
            let cut = page_link.find(['#', '?']).unwrap_or(page_link.len());
            let (path, rest) = page_link.split_at(cut);
            let target = self
                .page(&plan::join(&self.content_root, path))
                .map_or(path, String::as_str);
            let moved = self.page_link_from(page_target, target, rest);
            return (moved != link).then_some(moved);
        }
        if link.is_empty()
            || link.starts_with('@')
            || link.contains("://")
            || link.contains(':') && !link.contains('/')
        {
            return None;
        }
        let cut = link.find(['#', '?']).unwrap_or(link.len());
        let (path, rest) = link.split_at(cut);
        let path = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .ok()?;
        for base in bases(page_source, page_target) {
            let joined = normalize(&plan::join(&base, &path))?;
            if let Some(target) = self.page(&joined) {
                return Some(self.page_link_from(page_target, target, rest));
            }
            if let Some(target) = self.assets.get(&joined) {
                let written = asset_link(page_target, target)?;
                return (written != path).then(|| format!("{written}{rest}"));
            }
        }
        self.url_relative_link(page_target, &path, rest)
    }

    /// A relative link read as the browser read it: from the URL the source
    /// served the page at, to another page's old URL.
    fn url_relative_link(&self, page_target: &str, path: &str, rest: &str) -> Option<String> {
        let url = self.page_urls.get(page_target)?;
        let base = if self.trailing_slash || url.ends_with(".html") {
            url.as_str()
        } else {
            url.trim_end_matches('/')
        };
        let folder = match base.rsplit_once('/') {
            Some((folder, _)) => folder,
            None => "",
        };
        let joined = normalize(&plan::join(folder, path))?;
        let target = self.old_urls.get(&format!("/{joined}"))?;
        Some(self.page_link_from(page_target, target, rest))
    }

    /// A site-root link to the URL a page had in the source tool
    /// (`/basics/install/#x`, `/docs/setup.html`), or to its file from the
    /// content or site root (`/docs/setup.md`, as Docusaurus resolves it), as
    /// an `@/` link.
    fn old_url_link(&self, page_target: &str, link: &str) -> Option<String> {
        let cut = link.find(['#', '?']).unwrap_or(link.len());
        let (path, rest) = link.split_at(cut);
        if plan::is_markdown(path) {
            let decoded = percent_encoding::percent_decode_str(path)
                .decode_utf8()
                .ok()?;
            let from_root = normalize(&decoded)?;
            let target = normalize(&plan::join(&self.content_root, &from_root))
                .and_then(|p| self.page(&p))
                .or_else(|| self.page(&from_root))?;
            return Some(self.page_link_from(page_target, target, rest));
        }
        let path = path.trim_end_matches('/');
        let target = self
            .old_urls
            .get(path)
            .or_else(|| self.old_urls.get(path.strip_suffix(".html")?))
            .or_else(|| self.old_urls.get(path.strip_suffix("/index.html")?))
            .or_else(|| self.old_urls.get(&format!("{path}.html")))?;
        Some(self.page_link_from(page_target, target, rest))
    }
}

/// The folders a relative link may start from: the file's folder, then the
/// page seen as a folder (Hugo and Grav resolve links against the page URL).
fn bases(page_source: &str, page_target: &str) -> Vec<String> {
    let dir = plan::parent(page_source).to_string();
    let as_folder = if is_folder_page(page_target) {
        dir.clone()
    } else {
        plan::strip_markdown_extension(page_source).to_string()
    };
    let mut bases = vec![dir];
    if !bases.contains(&as_folder) {
        bases.push(as_folder);
    }
    bases
}

/// How an article at `page_target` links to a copied file.
fn asset_link(page_target: &str, asset_target: &str) -> Option<String> {
    if let Some(in_static) = asset_target.strip_prefix("static/") {
        return Some(format!("/{in_static}"));
    }
    let asset = asset_target.strip_prefix("content/")?;
    Some(crate::site::urls::relative_path(
        plan::parent(page_target),
        asset,
    ))
}

/// `a/./b/../c` → `a/c`; `None` when `..` climbs out of the root.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// `index.md`, `_index.md`, and their translations (`_index.de.md`).
fn is_folder_page(target: &str) -> bool {
    let name = plan::file_name(target);
    let stem = plan::strip_markdown_extension(name);
    let stem = stem.split_once('.').map_or(stem, |(before, _)| before);
    stem == "index" || stem == "_index"
}

/// The keys a page is found by: its path, without extension, and its folder
/// when it is the folder's page; each also without order prefixes.
fn page_keys(source: &str, target: &str) -> Vec<String> {
    let mut keys = vec![
        source.to_string(),
        plan::strip_markdown_extension(source).to_string(),
    ];
    if is_folder_page(target) {
        keys.push(plan::parent(source).to_string());
    }
    let stripped: Vec<String> = keys.iter().map(|k| strip_order_path(k)).collect();
    keys.extend(stripped);
    keys
}

fn strip_order_path(path: &str) -> String {
    path.split('/')
        .map(strip_order)
        .collect::<Vec<_>>()
        .join("/")
}

/// `01.basics` and `01-basics` → `basics`.
fn strip_order(name: &str) -> String {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &name[digits..];
    if digits > 0
        && (rest.starts_with('.') || rest.starts_with('-') || rest.starts_with('_'))
        && rest.len() > 1
    {
        rest[1..].to_string()
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(normalize("a/./b/../c").as_deref(), Some("a/c"));
        assert_eq!(normalize("../x"), None);
        assert_eq!(
            crate::site::urls::relative_path("a/b", "a/img/x.png"),
            "../img/x.png"
        );
        assert_eq!(strip_order("01.basics"), "basics");
        assert_eq!(strip_order("2fa"), "2fa");
    }
}
