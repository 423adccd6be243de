//! The URL table: every page the build writes, keyed by its path, and the
//! resolution of the ways authors refer to articles.
//!
//! Paths here are relative to the site root, without a leading slash and with a
//! trailing one (`jira-cloud/oauth-401/`; the home page is ``). The base path of
//! `base_url` is added only when a URL is handed to a template or a link.

use std::collections::HashMap;

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
}

/// Page paths and the files behind them, built once per build.
#[derive(Debug, Default)]
pub struct UrlTable {
    pages: HashMap<String, Target>,
    /// Content path of an article (`a/b.md`) or section index (`a/_index.md`).
    by_content_path: HashMap<String, Target>,
    /// Content path of an asset → its output path (`a/img/x.png`).
    assets: HashMap<String, String>,
}

/// What a reference in content points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Not ours to change: `https:`, `mailto:`, `#top`, a protocol-relative URL.
    External,
    /// A page of the site, with the `#anchor` if one was given.
    Page(Target, Option<String>),
    /// A file copied from `content/`, by its output path.
    Asset(String),
    /// A site-absolute path that is not a page (a static file, say).
    SitePath(String),
    /// An article reference (`.md`, `@/`, or a site URL) that matches nothing.
    Unresolved,
    /// A relative URL that is neither an article nor a known asset.
    Relative,
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
        self.assets.insert(content_path.to_string(), output_path);
    }

    pub fn page(&self, path: &str) -> Option<Target> {
        self.pages.get(path).copied()
    }

    /// Resolves `reference` written in the file at `from` (a content path).
    /// `base_path` is the path of `base_url`, which site URLs may already carry.
    pub fn resolve(&self, from: &str, reference: &str, base_path: &str) -> Resolution {
        let reference = reference.trim();
        if reference.is_empty()
            || reference.starts_with('#')
            || reference.starts_with("//")
            || has_scheme(reference)
        {
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
            return self.by_site_path(site_path, base_path, anchor);
        }
        let joined = join_relative(super::parent_dir(from), &path);
        if path.ends_with(".md") {
            return match joined {
                Some(content_path) => self.by_content_path(&content_path, anchor),
                None => Resolution::Unresolved,
            };
        }
        match joined.and_then(|p| self.assets.get(&p)) {
            Some(output) => Resolution::Asset(output.clone()),
            None => Resolution::Relative,
        }
    }

    fn by_content_path(&self, content_path: &str, anchor: Option<String>) -> Resolution {
        let content_path = content_path.trim_start_matches("./");
        match self.by_content_path.get(content_path) {
            Some(target) => Resolution::Page(*target, anchor),
            None => Resolution::Unresolved,
        }
    }

    fn by_site_path(&self, site_path: &str, base_path: &str, anchor: Option<String>) -> Resolution {
        let base = base_path.trim_start_matches('/');
        let site_path = if !base.is_empty() {
            site_path.strip_prefix(base).unwrap_or(site_path)
        } else {
            site_path
        };
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
        let is_file_like = site_path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'));
        if is_file_like {
            Resolution::SitePath(site_path.to_string())
        } else {
            Resolution::Unresolved
        }
    }
}

fn has_scheme(reference: &str) -> bool {
    match reference.find(':') {
        Some(i) => {
            reference[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !reference[..i].is_empty()
        }
        None => false,
    }
}

/// Joins a relative path to a content folder, folding `.` and `..`; `None` when
/// it climbs above `content/`.
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
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> UrlTable {
        let mut t = UrlTable::default();
        t.insert_page("jira/oauth-401/", Target::Article(0))
            .unwrap();
        t.insert_page("jira/", Target::Section(1)).unwrap();
        t.insert_content_path("Jira Cloud/oauth-401.md", Target::Article(0));
        t.insert_content_path("Jira Cloud/_index.md", Target::Section(1));
        t.insert_asset("Jira Cloud/img/a.png", "jira/img/a.png".into());
        t
    }

    #[test]
    fn every_reference_form() {
        let t = table();
        let from = "Jira Cloud/other.md";
        let page =
            |anchor: Option<&str>| Resolution::Page(Target::Article(0), anchor.map(String::from));
        assert_eq!(t.resolve(from, "oauth-401.md", "/"), page(None));
        assert_eq!(
            t.resolve(from, "./oauth-401.md#fix", "/"),
            page(Some("fix"))
        );
        assert_eq!(
            t.resolve("x/y.md", "../Jira%20Cloud/oauth-401.md", "/"),
            page(None)
        );
        assert_eq!(
            t.resolve(from, "@/Jira Cloud/oauth-401.md", "/"),
            page(None)
        );
        assert_eq!(t.resolve(from, "/jira/oauth-401", "/"), page(None));
        assert_eq!(
            t.resolve(from, "/help/jira/oauth-401/", "/help/"),
            page(None)
        );
        assert_eq!(
            t.resolve(from, "_index.md", "/"),
            Resolution::Page(Target::Section(1), None)
        );
        assert_eq!(
            t.resolve(from, "img/a.png", "/"),
            Resolution::Asset("jira/img/a.png".into())
        );
        assert_eq!(
            t.resolve(from, "https://x.org/a.md", "/"),
            Resolution::External
        );
        assert_eq!(t.resolve(from, "mailto:a@b.c", "/"), Resolution::External);
        assert_eq!(t.resolve(from, "missing.md", "/"), Resolution::Unresolved);
        assert_eq!(
            t.resolve(from, "/images/x.png", "/"),
            Resolution::SitePath("images/x.png".into())
        );
        assert_eq!(t.resolve(from, "../../x.md", "/"), Resolution::Unresolved);
    }
}
