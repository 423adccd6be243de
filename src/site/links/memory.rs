//! What the preview server keeps of checked links between runs: each
//! article's results with the [`World`] they were found in (the fingerprints
//! of what content paths and site paths resolve to), and the re-check of
//! articles whose texts were swapped into a reused model.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::anchors::anchor_ids;
use super::{check_article, own_origin, Anchors, Checked};
use crate::content::SourceText;
use crate::diagnostics::Diagnostic;
use crate::site::urls::Target;
use crate::site::{ArticleId, Site};

/// What the preview server keeps between builds: each
/// article's checked links, valid while the article's text is the same
/// (the same `Arc`), its page is where it was, and everything its links can
/// resolve to is the same (the [`World`] fingerprints: a new taxonomy term
/// changes only the pages', which most articles' links never read).
#[derive(Default)]
pub struct LinkMemory {
    /// The world of the last resolution.
    pub(super) world: World,
    pub(super) articles: HashMap<String, Remembered>,
}

/// What links resolve in, in two fingerprints: what content paths (`@/…`,
/// `../x.md`) and assets resolve to, with every article's and section's
/// page, anchors and draft mark; and what site paths (`/a/b/`, relative
/// URLs) resolve to: pages (taxonomy terms among them), files and aliases.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct World {
    pub(super) content: u64,
    pub(super) pages: u64,
}

impl LinkMemory {
    /// The world of the last resolution: the fingerprints of what content
    /// paths and what site paths resolve in.
    pub(in crate::site) fn world(&self) -> (u64, u64) {
        (self.world.content, self.world.pages)
    }

    /// Whether the checked links of the article at `content_path` are kept.
    pub(in crate::site) fn remembers(&self, content_path: &str) -> bool {
        self.articles.contains_key(content_path)
    }

    /// The link problems kept for the article at `content_path`.
    pub(in crate::site) fn problems_of(&self, content_path: &str) -> &[Diagnostic] {
        self.articles
            .get(content_path)
            .map_or(&[], |r| r.problems.as_slice())
    }
}

pub(super) struct Remembered {
    pub(super) text: Arc<SourceText>,
    pub(super) page_path: String,
    pub(super) targets: Arc<HashMap<String, String>>,
    /// Content paths of the articles it links to.
    pub(super) links_to: Vec<String>,
    pub(super) problems: Vec<Diagnostic>,
    pub(super) reads_pages: bool,
}

/// Checks again the links of `ids`, articles the preview server swapped for
/// new texts with the same links and anchors (see `refresh`): their targets
/// and backlinks stay as they are, but their problems are at new places.
/// Returns the problems they had and those they have now, and refreshes
/// `memory` with them.
pub(in crate::site) fn recheck(
    site: &mut Site,
    ids: &[ArticleId],
    memory: &mut LinkMemory,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let anchors = Anchors::collect(site);
    let checked: Vec<Checked> = ids
        .iter()
        .map(|&id| check_article(site, &anchors, id))
        .collect();
    let (mut before, mut now) = (Vec::new(), Vec::new());
    for (&id, checked) in ids.iter().zip(checked) {
        let article = &mut site.articles[id];
        let remembered = memory.articles.get_mut(&article.source.content_path);
        if let Some(remembered) = remembered {
            before.append(&mut remembered.problems);
            remembered.text = Arc::clone(&article.source.source);
            remembered.targets = Arc::clone(&checked.targets);
            remembered.problems = checked.problems.clone();
            remembered.reads_pages = checked.reads_pages;
        }
        article.link_targets = checked.targets;
        now.extend(checked.problems);
    }
    (before, now)
}

/// The [`World`] of `site`, each fingerprint the same whatever order
/// articles are in.
pub(super) fn world(site: &Site) -> World {
    use std::hash::{Hash, Hasher};
    let text = |s: &str| xxhash_rust::xxh3::xxh3_64(s.as_bytes());
    let key_of = |target: Target| match target {
        Target::Article(id) => text(&site.articles[id].source.content_path),
        Target::Section(id) => text(&site.sections[id].source.content_path).rotate_left(1),
        Target::TaxonomyIndex(t) => text(&site.taxonomies[t].path).rotate_left(2),
        Target::Term(t, i) => text(&site.taxonomies[t].terms[i].path).rotate_left(3),
        Target::SearchPage => 7,
    };
    // Order-free: a set of ids, however often each is written.
    let ids = |source: &SourceText| {
        let unique: HashSet<&str> = anchor_ids(source).collect();
        unique
            .iter()
            .fold(0u64, |sum, id| sum.wrapping_add(text(id)))
    };
    let (mut content, pages) = site.urls.fingerprint(key_of);
    content = content.wrapping_add(
        site.articles
            .par_iter()
            .map(|article| {
                let mut hasher = xxhash_rust::xxh3::Xxh3::new();
                let source = &article.source;
                (&source.content_path, &article.path, source.front.draft).hash(&mut hasher);
                ids(&source.source).hash(&mut hasher);
                hasher.finish()
            })
            .reduce(|| 0, u64::wrapping_add),
    );
    for section in &site.sections {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let anchors = section.source.index.as_deref().map_or(0, ids);
        (&section.source.content_path, &section.path, anchors).hash(&mut hasher);
        content = content.wrapping_add(hasher.finish());
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    (
        content,
        &site.base_path,
        own_origin(site),
        site.options.links_into_drafts_are_errors,
        site.config.links.broken == crate::config::BrokenLinks::Error,
    )
        .hash(&mut hasher);
    World {
        content: hasher.finish(),
        pages,
    }
}
