//! The URL table: every page and file the build writes, keyed by its path, and
//! the resolution of the ways authors refer to them.
//!
//! Paths here are relative to the site root, without a leading slash; page paths
//! end with a slash (`jira-cloud/oauth-401/`; the home page is ``). The base path
//! of `base_url` is added only when a URL is handed to a template or a link.
//! Matching is case-sensitive, as on the Linux host that serves the site.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use percent_encoding::percent_decode_str;

use super::{ArticleId, TaxonomyId};
use crate::content::SectionId;

/// A page the build writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Article(ArticleId),
    Section(SectionId),
    TaxonomyIndex(TaxonomyId),
    Term(TaxonomyId, usize),
    /// `/search/`, when the site has search.
    SearchPage,
}

/// Page paths and the files behind them, built once per build.
#[derive(Debug, Default)]
pub struct UrlTable {
    pages: HashMap<String, Target>,
    /// Content path of an article (`a/b.md`) or section index (`a/_index.md`).
    by_content_path: HashMap<String, Target>,
    /// Content path of an asset → its output path (`a/img/x.png`).
    assets: HashMap<String, String>,
    /// Output paths of every other file: assets, static files, generated files.
    files: HashSet<String>,
    /// Old URLs of articles (`aliases`), as page paths.
    aliases: HashMap<String, ArticleId>,
    /// Drafts left out of this build: content path → page path, and page paths.
    draft_content_paths: HashMap<String, String>,
    draft_pages: HashSet<String>,
}

/// What a reference in content points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Not ours to check or change: `https:`, `mailto:`, a protocol-relative URL.
    External,
    /// `#anchor` on the same page.
    SamePage(String),
    /// A page of the site, with the `#anchor` if one was given.
    Page(Target, Option<String>),
    /// An old URL of an article (one of its `aliases`).
    Alias(ArticleId, Option<String>),
    /// A file the build writes (asset, static or generated), by output path.
    File(String),
    /// An article left out because it is a draft, by the page path it would have.
    Draft(String),
    /// Nothing matches; `tried` is the page or content path looked for.
    Broken { tried: String },
}

impl UrlTable {
    /// Registers a page; returns the target already there if the path is taken.
    pub fn insert_page(&mut self, path: &str, target: Target) -> Result<(), Target> {
        match self.pages.get(path) {
            Some(existing) => Err(*existing),
            None => {
                self.pages.insert(path.to_string(), target);
                Ok(())
            }
        }
    }

    pub fn insert_content_path(&mut self, content_path: &str, target: Target) {
        self.by_content_path
            .insert(content_path.to_string(), target);
    }

    pub fn insert_asset(&mut self, content_path: &str, output_path: String) {
        self.files.insert(output_path.clone());
        self.assets.insert(content_path.to_string(), output_path);
    }

    pub fn insert_file(&mut self, output_path: &str) {
        self.files.insert(output_path.to_string());
    }

    /// Registers an alias whose redirect page has its file (see
    /// [`super::outputs`], which decides collisions).
    pub fn insert_alias(&mut self, path: &str, article: ArticleId) {
        self.aliases.insert(path.to_string(), article);
    }

    pub fn insert_draft(&mut self, content_path: &str, page_path: &str) {
        self.draft_content_paths
            .insert(content_path.to_string(), page_path.to_string());
        self.draft_pages.insert(page_path.to_string());
    }

    pub fn page(&self, path: &str) -> Option<Target> {
        self.pages.get(path).copied()
    }

    /// Every file path that is not a page (assets, static and generated files).
    pub fn file_paths(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(String::as_str)
    }

    /// Every page path, sorted.
    pub fn sorted_pages(&self) -> Vec<(String, Target)> {
        let mut pages: Vec<(String, Target)> = self
            .pages
            .iter()
            .map(|(path, target)| (path.clone(), *target))
            .collect();
        pages.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        pages
    }

    /// Every page path, for suggestions.
    pub fn page_paths(&self) -> impl Iterator<Item = (&str, Target)> {
        self.pages
            .iter()
            .map(|(path, target)| (path.as_str(), *target))
    }

    /// A hash of everything in the table, the same whatever order entries
    /// went in; `key_of` names a target by something stable (article ids
    /// change when articles are reordered, content paths do not).
    /// Returns two sums: of the tables content paths resolve in (content
    /// paths, assets, drafts' content paths), and of those site paths
    /// resolve in (pages, files, aliases, drafts' pages).
    pub fn fingerprint(&self, key_of: impl Fn(Target) -> u64 + Sync) -> (u64, u64) {
        use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};
        // One-shot hashes, order-free sums: a streaming hasher per entry
        // cost more than the rest of the fingerprint at 10,000 pages.
        let entry = |kind: u64, path: &str, value: u64| {
            xxh3_64_with_seed(path.as_bytes(), kind)
                .rotate_left(23)
                .wrapping_add(value.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        };
        let text = |s: &str| xxh3_64(s.as_bytes());
        let sum = |entries: &mut dyn Iterator<Item = u64>| {
            entries.fold(0u64, |sum, h| sum.wrapping_add(h))
        };
        let content = || {
            sum(&mut self
                .by_content_path
                .iter()
                .map(|(p, t)| entry(1, p, key_of(*t)))
                .chain(self.assets.iter().map(|(p, o)| entry(2, p, text(o))))
                .chain(
                    self.draft_content_paths
                        .iter()
                        .map(|(p, o)| entry(5, p, text(o))),
                ))
        };
        let pages = || {
            sum(&mut self
                .pages
                .iter()
                .map(|(p, t)| entry(0, p, key_of(*t)))
                .chain(self.files.iter().map(|p| entry(3, p, 0)))
                .chain(
                    self.aliases
                        .iter()
                        .map(|(p, a)| entry(4, p, key_of(Target::Article(*a)))),
                )
                .chain(self.draft_pages.iter().map(|p| entry(6, p, 0))))
        };
        rayon::join(content, pages)
    }

    /// The articles at these content paths, in their order (paths that are
    /// no article are left out).
    pub fn articles_at<'a>(
        &self,
        content_paths: impl IntoIterator<Item = &'a String>,
    ) -> Vec<ArticleId> {
        content_paths
            .into_iter()
            .filter_map(|path| match self.content_path_target(path) {
                Some(Target::Article(id)) => Some(id),
                _ => None,
            })
            .collect()
    }

    /// The page at a content path (`a/b.md`, `a/_index.md`).
    pub fn content_path_target(&self, content_path: &str) -> Option<Target> {
        self.by_content_path.get(content_path).copied()
    }

    /// Every content path of an article or section index, for suggestions.
    pub fn content_paths(&self) -> impl Iterator<Item = &str> {
        self.by_content_path.keys().map(String::as_str)
    }

    /// Resolves `reference` written in the file at content path `from`, whose
    /// page is at `page_path`. `base_path` is the path of `base_url`, which site
    /// URLs may already carry.
    pub fn resolve(
        &self,
        from: &str,
        page_path: &str,
        reference: &str,
        base_path: &str,
    ) -> Resolution {
        self.resolve_noting(from, page_path, reference, base_path, &mut false)
    }

    /// [`resolve`](Self::resolve), setting `reads_pages` when the answer came
    /// from the tables of site paths (pages, files, aliases, draft pages)
    /// rather than of content paths and assets: only such answers change
    /// when, say, a new taxonomy term adds a page.
    pub fn resolve_noting(
        &self,
        from: &str,
        page_path: &str,
        reference: &str,
        base_path: &str,
        reads_pages: &mut bool,
    ) -> Resolution {
        let reference = reference.trim();
        if let Some(anchor) = reference.strip_prefix('#') {
            return Resolution::SamePage(anchor.to_string());
        }
        if reference.is_empty() || reference.starts_with("//") || has_scheme(reference) {
            return Resolution::External;
        }
        let (path, anchor) = match reference.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor.to_string())),
            None => (reference, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let path = percent_decode_str(path).decode_utf8_lossy();
        if let Some(content_path) = path.strip_prefix("@/") {
            return self.by_content_path(content_path, anchor);
        }
        if let Some(site_path) = path.strip_prefix('/') {
            let base = base_path.trim_start_matches('/');
            let site_path = site_path.strip_prefix(base).unwrap_or(site_path);
            *reads_pages = true;
            return self.by_site_path(site_path, anchor);
        }
        if path.ends_with(".md") {
            return match join_relative(super::parent_dir(from), &path) {
                Some(content_path) => self.by_content_path(&content_path, anchor),
                None => Resolution::Broken {
                    tried: path.to_string(),
                },
            };
        }
        // A file beside the Markdown file (copied next to its section's pages)...
        if let Some(output) =
            join_relative(super::parent_dir(from), &path).and_then(|p| self.assets.get(&p))
        {
            return Resolution::File(output.clone());
        }
        // ...or any URL relative to the page's own URL.
        *reads_pages = true;
        match join_relative(page_path, &path) {
            Some(site_path) => self.by_site_path(&site_path, anchor),
            None => Resolution::Broken {
                tried: path.to_string(),
            },
        }
    }

    fn by_content_path(&self, content_path: &str, anchor: Option<String>) -> Resolution {
        let content_path = content_path.trim_start_matches("./");
        if let Some(target) = self.by_content_path.get(content_path) {
            return Resolution::Page(*target, anchor);
        }
        match self.draft_content_paths.get(content_path) {
            Some(page) => Resolution::Draft(page.clone()),
            None => Resolution::Broken {
                tried: content_path.to_string(),
            },
        }
    }

    fn by_site_path(&self, site_path: &str, anchor: Option<String>) -> Resolution {
        if self.files.contains(site_path) {
            return Resolution::File(site_path.to_string());
        }
        let page_path = site_path.strip_suffix("index.html").unwrap_or(site_path);
        let page_path = page_path.trim_end_matches('/');
        let key = if page_path.is_empty() {
            String::new()
        } else {
            format!("{page_path}/")
        };
        if let Some(target) = self.pages.get(&key) {
            return Resolution::Page(*target, anchor);
        }
        if let Some(article) = self
            .aliases
            .get(&key)
            .or_else(|| self.aliases.get(site_path))
        {
            return Resolution::Alias(*article, anchor);
        }
        if self.draft_pages.contains(&key) {
            return Resolution::Draft(key);
        }
        Resolution::Broken { tried: key }
    }
}

fn has_scheme(reference: &str) -> bool {
    match reference.find(':') {
        Some(i) => {
            let scheme = &reference[..i];
            !scheme.is_empty()
                && !scheme.contains('/')
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Joins a relative path to a folder, folding `.` and `..`; `None` when it
/// climbs above the root.
/// The path from folder `from_dir` to `to` (both relative to one root, `/`
/// separators): `../b/x.md`; `./` when they are the same folder.
pub fn relative_path(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|p| !p.is_empty()).collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to_parts[common..]);
    let mut path = parts.join("/");
    if to.ends_with('/') && !path.is_empty() {
        path.push('/');
    }
    if path.is_empty() {
        path.push_str("./");
    }
    path
}

pub fn join_relative(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let mut joined = parts.join("/");
    if relative.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> UrlTable {
        let mut t = UrlTable::default();
        t.insert_page("jira/oauth-401/", Target::Article(0))
            .unwrap();
        t.insert_page("jira/other/", Target::Article(1)).unwrap();
        t.insert_page("jira/", Target::Section(1)).unwrap();
        t.insert_content_path("Jira Cloud/oauth-401.md", Target::Article(0));
        t.insert_content_path("Jira Cloud/_index.md", Target::Section(1));
        t.insert_asset("Jira Cloud/img/a.png", "jira/img/a.png".into());
        t.insert_file("images/x.png");
        t.insert_alias("old/oauth/", 0);
        t.insert_draft("Jira Cloud/wip.md", "jira/wip/");
        t
    }

    #[test]
    fn every_reference_form() {
        let t = table();
        let from = "Jira Cloud/other.md";
        let here = "jira/other/";
        let page =
            |anchor: Option<&str>| Resolution::Page(Target::Article(0), anchor.map(String::from));
        let resolve = |r: &str| t.resolve(from, here, r, "/");
        assert_eq!(resolve("oauth-401.md"), page(None));
        assert_eq!(resolve("./oauth-401.md#fix"), page(Some("fix")));
        assert_eq!(
            t.resolve("x/y.md", "x/y/", "../Jira%20Cloud/oauth-401.md", "/"),
            page(None)
        );
        assert_eq!(resolve("@/Jira Cloud/oauth-401.md"), page(None));
        assert_eq!(resolve("/jira/oauth-401"), page(None));
        assert_eq!(
            t.resolve(from, here, "/help/jira/oauth-401/", "/help/"),
            page(None)
        );
        assert_eq!(resolve("../oauth-401/"), page(None));
        assert_eq!(
            resolve("_index.md"),
            Resolution::Page(Target::Section(1), None)
        );
        assert_eq!(
            resolve("img/a.png"),
            Resolution::File("jira/img/a.png".into())
        );
        assert_eq!(
            resolve("/images/x.png"),
            Resolution::File("images/x.png".into())
        );
        assert_eq!(resolve("/old/oauth"), Resolution::Alias(0, None));
        assert_eq!(resolve("wip.md"), Resolution::Draft("jira/wip/".into()));
        assert_eq!(resolve("#top"), Resolution::SamePage("top".into()));
        assert_eq!(resolve("https://x.org/a.md"), Resolution::External);
        assert_eq!(resolve("mailto:a@b.c"), Resolution::External);
        assert_eq!(
            resolve("missing.md"),
            Resolution::Broken {
                tried: "Jira Cloud/missing.md".into()
            }
        );
        assert_eq!(
            resolve("/Jira/oauth-401/"),
            Resolution::Broken {
                tried: "Jira/oauth-401/".into()
            }
        );
        assert_eq!(
            resolve("../../../x.md"),
            Resolution::Broken {
                tried: "../../../x.md".into()
            }
        );
    }
}
