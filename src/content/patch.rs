//! The quick load: when the watcher named only edits of article files the
//! last walk listed, the last load's [`Content`] is patched (the changed
//! articles' `Arc`s swapped, their problems replaced) instead of assembled
//! again from every file, so the load costs what the changed files cost.
//!
//! An article depends on its file, the listing and the snippets, so the
//! other articles, the sections, the snippets and `static/` stay as they
//! were. What an edit could change beyond the article itself sends the load
//! the full way ([`super::load`]): a file that cannot be read or gives no
//! slug (left out, or back in), a draft turning into a published article or
//! back (it moves between lists, and its translations with it), a change
//! to the snippets an article includes (which snippets are unused). Nothing
//! decides the output here that the full way would decide otherwise: both
//! make an article from its file with the same [`Loader`].

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::{FileCache, Listed, Read};
use super::front_matter::Kind;
use super::load::{translation_of_a_draft, Loader};
use super::{include, walk, Content, LoadOptions, SectionId, SourceArticle};
use crate::diagnostics::Diagnostic;

/// What the last load made, kept in the [`FileCache`] for the next one to
/// patch.
#[derive(Debug)]
pub(super) struct LastLoad {
    pub options: LoadOptions,
    /// The walk it was made from: a patch needs the same one.
    pub listing: Arc<walk::Listing>,
    pub content: Content,
    pub problems: Problems,
    /// Per language other than the default, its copy of each section.
    pub language_trees: Vec<Vec<Option<SectionId>>>,
    /// What includes check a snippet's name against (empty without snippets).
    pub pages: Vec<String>,
    /// The pages whose default-language article is a draft.
    pub draft_pages: HashSet<String>,
    /// Where the article of each article file (by its index in the
    /// listing) is in `content`; found on the first patch.
    pub places: Option<Vec<Option<Place>>>,
}

/// Where an article is in [`Content`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    Article(usize),
    Draft(usize),
}

/// The problems of a load by where they come from, in the order a load
/// finds them, so that a patch replaces an article's own.
#[derive(Debug, Default)]
pub(super) struct Problems {
    /// The walk's, the snippets', the section indexes' and folders'.
    pub before: Vec<Diagnostic>,
    /// Each article file's that has any, by its index in the listing.
    pub articles: BTreeMap<usize, Vec<Diagnostic>>,
    /// Unused snippets, and the walk of `static/`.
    pub after: Vec<Diagnostic>,
}

impl Problems {
    /// Every problem, in order.
    pub fn all(&self) -> Vec<Diagnostic> {
        (self.before.iter())
            .chain(self.articles.values().flatten())
            .chain(&self.after)
            .cloned()
            .collect()
    }
}

/// One changed article, checked, waiting for every other to pass too.
struct Patch {
    /// Index in the listing's article files.
    file: usize,
    place: Place,
    /// The article as made from its file, and as published (a translation
    /// of a draft is marked a draft).
    made: Arc<SourceArticle>,
    published: Arc<SourceArticle>,
    problems: Vec<Diagnostic>,
}

/// The load of `listing` (the last walk, reused) when the files in
/// `cache.changed` are all article files whose edits leave everything but
/// their own articles as they were; `None` when the load must go the full
/// way (the last load is then forgotten).
pub(super) fn patch_articles(
    cache: &mut FileCache,
    content_dir: &Path,
    listing: &Arc<walk::Listing>,
    options: &LoadOptions,
) -> Option<(Content, Vec<Diagnostic>)> {
    let mut last = cache.last.take()?;
    let same_load = Arc::ptr_eq(&last.listing, listing)
        && last.options.drafts == options.drafts
        && last.options.languages == options.languages;
    if !same_load || cache.changed.is_empty() {
        return None;
    }
    let changed = changed_articles(cache, &mut last, listing)?;
    let reads = read_changed(cache, content_dir, &changed);
    let patches = make_patches(cache, &last, listing, options, &changed, reads)?;
    for patch in patches {
        cache.articles[patch.file] = Some(patch.made);
        match patch.place {
            Place::Article(j) => last.content.articles[j] = patch.published,
            Place::Draft(j) => last.content.drafts[j] = patch.published,
        }
        if patch.problems.is_empty() {
            last.problems.articles.remove(&patch.file);
        } else {
            last.problems.articles.insert(patch.file, patch.problems);
        }
    }
    cache.changed.clear();
    let loaded = (last.content.clone(), last.problems.all());
    cache.last = Some(last);
    Some(loaded)
}

/// The changed files, sorted, each with its index in the listing's article
/// files and the place of its article in `last`; `None` when one is not an
/// article file, or made no article last time.
fn changed_articles(
    cache: &mut FileCache,
    last: &mut LastLoad,
    listing: &walk::Listing,
) -> Option<Vec<(String, usize, Place)>> {
    cache.index_listing();
    let listed = cache.listed()?;
    let places = (last.places).get_or_insert_with(|| places_of(listing, listed, &last.content));
    let mut changed = Vec::with_capacity(cache.changed.len());
    for file in &cache.changed {
        let Some(&(Kind::Article, i)) = listed.get(file) else {
            return None;
        };
        let place = places.get(i).copied().flatten()?;
        changed.push((file.clone(), i, place));
    }
    changed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(changed)
}

/// The changed articles made from what was read (`reads`, in the order of
/// `changed`), each checked to change nothing but itself; `None` at the
/// first that may change more.
fn make_patches(
    cache: &mut FileCache,
    last: &LastLoad,
    listing: &walk::Listing,
    options: &LoadOptions,
    changed: &[(String, usize, Place)],
    reads: Vec<Read>,
) -> Option<Vec<Patch>> {
    let loader = Loader {
        display_root: Path::new("content"),
        listing,
        sections: &last.content.sections,
        language_trees: &last.language_trees,
        library: include::Library {
            snippets: &last.content.snippets,
            pages: &last.pages,
        },
        with_drafts: options.drafts,
    };
    let mut patches = Vec::with_capacity(changed.len());
    for ((file, i, place), read) in changed.iter().zip(reads) {
        let old = cache.articles.get(*i).cloned().flatten()?;
        let mut problems = Vec::new();
        // A file that no longer makes an article is left out of the lists.
        let made = loader.fresh_article(file, cache.take(file, read), &mut problems)?;
        // A draft published, or an article turned draft, moves between the
        // lists, and so do the translations of a default-language one.
        if made.front.draft != old.front.draft {
            return None;
        }
        // Which snippets no page includes any more, or now does.
        let snippets_used = !last.content.snippets.is_empty();
        if snippets_used && made.source.snippets() != old.source.snippets() {
            return None;
        }
        let published =
            translation_of_a_draft(&made, &last.draft_pages).unwrap_or_else(|| Arc::clone(&made));
        // With the same `draft` it keeps its list; checked all the same,
        // since which list holds an article is the full load's to decide.
        let in_drafts = published.front.draft && !options.drafts;
        if in_drafts != matches!(place, Place::Draft(_)) {
            return None;
        }
        patches.push(Patch {
            file: *i,
            place: *place,
            made,
            published,
            problems,
        });
    }
    Some(patches)
}

/// Reads the changed files (in parallel when there are several).
fn read_changed(
    cache: &FileCache,
    content_dir: &Path,
    changed: &[(String, usize, Place)],
) -> Vec<Read> {
    let display_root = Path::new("content");
    let read = |(file, _, _): &(String, usize, Place)| {
        cache.read(content_dir, display_root, file, Kind::Article, true)
    };
    if changed.len() > 1 {
        changed.par_iter().map(read).collect()
    } else {
        changed.iter().map(read).collect()
    }
}

/// Where the article of each article file (`listed` as
/// [`FileCache::listed`] gives it) is in `content`.
fn places_of(listing: &walk::Listing, listed: &Listed, content: &Content) -> Vec<Option<Place>> {
    let mut places = vec![None; listing.article_files.len()];
    let mut place = |article: &SourceArticle, at: Place| {
        if let Some(&(Kind::Article, i)) = listed.get(&article.content_path) {
            if let Some(place) = places.get_mut(i) {
                *place = Some(at);
            }
        }
    };
    for (j, article) in content.articles.iter().enumerate() {
        place(article, Place::Article(j));
    }
    for (j, article) in content.drafts.iter().enumerate() {
        place(article, Place::Draft(j));
    }
    places
}
