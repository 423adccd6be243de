//! Related articles: the `related` list from front matter first, then articles of
//! the same category ranked by how many tags they share, up to `related.limit`.
//! The limit caps only that automatic fill: the author's own entries are never cut.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::urls::{Resolution, Target};
use super::{ArticleId, Site};
use crate::config::BrokenLinks;
use crate::content::{SourceArticle, SourceText};
use crate::diagnostics::Diagnostic;

/// What the preview server keeps of the related lists: each article's list
/// (as content paths) and problems, valid while its text, what links
/// resolve against (the links' world fingerprint) and its category's
/// members and their tags are unchanged.
#[derive(Default)]
pub struct RelatedMemory {
    articles: HashMap<String, Remembered>,
}

impl RelatedMemory {
    /// Keeps the list of the article at `content_path` for its new text, the
    /// model's inputs of which are as before (see `refresh`).
    pub(super) fn retext(&mut self, content_path: &str, text: Arc<SourceText>) {
        if let Some(remembered) = self.articles.get_mut(content_path) {
            remembered.text = text;
        }
    }

    /// Every related-list problem kept, of every article.
    pub(super) fn all_problems(&self) -> Vec<Diagnostic> {
        let mut all: Vec<(&String, &Remembered)> = self.articles.iter().collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        all.into_iter()
            .flat_map(|(_, r)| r.problems.iter().cloned())
            .collect()
    }

    /// The related-list problems kept for the article at `content_path`.
    pub(super) fn problems_of(&self, content_path: &str) -> &[Diagnostic] {
        self.articles
            .get(content_path)
            .map_or(&[], |r| r.problems.as_slice())
    }
}

struct Remembered {
    text: Arc<SourceText>,
    /// The links' world it was made in (see `links::World`), and whether its
    /// entries read the site paths' tables, or a problem's suggestion read
    /// every page: then only the same pages keep it valid.
    world: (u64, u64),
    reads_pages: bool,
    category: u64,
    related: Vec<String>,
    problems: Vec<Diagnostic>,
}

/// Fills in every article's related list. With a memory (and the world
/// fingerprints of the links just resolved: content paths', site paths'),
/// an article whose inputs are as they were keeps its list.
pub(super) fn assign(
    site: &mut Site,
    problems: &mut Vec<Diagnostic>,
    memory: Option<(&mut RelatedMemory, (u64, u64))>,
) {
    let lists = Lists::of(site);
    let category_prints = memory.as_ref().map(|_| lists.category_prints(site));
    let world = memory.as_ref().map(|(_, world)| *world);
    let remembered = memory.as_ref().map(|(m, _)| &m.articles);
    let category_print = |id: ArticleId| -> u64 {
        category_prints
            .as_ref()
            .map_or(0, |prints| lists.category_print(site, prints, id))
    };
    let computed: Vec<(Vec<ArticleId>, Vec<Diagnostic>, bool, bool)> = (0..site.articles.len())
        .into_par_iter()
        .map(|id| {
            let article = &site.articles[id].source;
            let kept = remembered
                .and_then(|r| r.get(&article.content_path))
                .filter(|r| {
                    let same_world = world.is_some_and(|(content, pages)| {
                        r.world.0 == content && (r.world.1 == pages || !r.reads_pages)
                    });
                    Arc::ptr_eq(&r.text, &article.source)
                        && !inherits_related(site, id)
                        && same_world
                        && r.category == category_print(id)
                });
            if let Some(kept) = kept {
                let related = site.urls.articles_at(&kept.related);
                return (related, kept.problems.clone(), kept.reads_pages, false);
            }
            let (related, found, reads_pages) = lists.list_of(site, id);
            (related, found, reads_pages, true)
        })
        .collect();
    if let (Some((memory, world)), Some(_)) = (memory, &category_prints) {
        memory
            .articles
            .retain(|path, _| site.urls.content_path_target(path).is_some());
        for (id, (related, found, reads_pages, fresh)) in computed.iter().enumerate() {
            if !fresh {
                continue;
            }
            let remembered = Remembered::new(site, id, world, category_print(id), related);
            memory.articles.insert(
                site.articles[id].source.content_path.clone(),
                Remembered {
                    reads_pages: *reads_pages,
                    problems: found.clone(),
                    ..remembered
                },
            );
        }
    }
    for (article, (related, mut found, ..)) in site.articles.iter_mut().zip(computed) {
        article.related = related;
        problems.append(&mut found);
    }
}

/// Makes the related lists of `ids` again: articles whose front matter
/// changed in what only they read (`related:`, say) while everything else a
/// list is made of stayed (see `refresh`). Returns the problems their lists
/// had and those they have now, and refreshes `memory` with them.
pub(super) fn reassign(
    site: &mut Site,
    ids: &[ArticleId],
    memory: &mut RelatedMemory,
    world: (u64, u64),
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let lists = Lists::of(site);
    let prints = lists.category_prints(site);
    let (mut before, mut now) = (Vec::new(), Vec::new());
    for &id in ids {
        let (related, found, reads_pages) = lists.list_of(site, id);
        let print = lists.category_print(site, &prints, id);
        let content_path = site.articles[id].source.content_path.clone();
        if let Some(old) = memory.articles.remove(&content_path) {
            before.extend(old.problems);
        }
        let remembered = Remembered::new(site, id, world, print, &related);
        memory.articles.insert(
            content_path,
            Remembered {
                reads_pages,
                problems: found.clone(),
                ..remembered
            },
        );
        site.articles[id].related = related;
        now.extend(found);
    }
    (before, now)
}

impl Remembered {
    /// What to keep of `id`'s list, made in `world`, with no problems yet.
    fn new(
        site: &Site,
        id: ArticleId,
        world: (u64, u64),
        category: u64,
        related: &[ArticleId],
    ) -> Self {
        Remembered {
            text: Arc::clone(&site.articles[id].source.source),
            world,
            reads_pages: false,
            category,
            related: related
                .iter()
                .map(|&r| site.articles[r].source.content_path.clone())
                .collect(),
            problems: Vec::new(),
        }
    }
}

/// What related lists are made from beyond each article: each language's
/// category and tag taxonomies (see `taxonomy`), each article's tags, the
/// limit.
struct Lists {
    categories: Vec<Option<usize>>,
    tag_taxonomies: Vec<Option<usize>>,
    /// Each article's tag terms, sorted, once: ranking compares every pair
    /// of articles in a category.
    tags: Vec<Vec<usize>>,
    limit: usize,
}

impl Lists {
    fn of(site: &Site) -> Lists {
        let languages = site.languages.len().max(1);
        let categories: Vec<Option<usize>> = (0..languages)
            .map(|l| site.taxonomy_in("category", l))
            .collect();
        let tag_taxonomies: Vec<Option<usize>> =
            (0..languages).map(|l| site.taxonomy_in("tag", l)).collect();
        let tags = site
            .articles
            .iter()
            .map(|a| {
                let mut terms: Vec<usize> = a
                    .terms
                    .iter()
                    .filter(|t| Some(t.taxonomy) == tag_taxonomies[a.language])
                    .map(|t| t.term)
                    .collect();
                terms.sort_unstable();
                terms.dedup();
                terms
            })
            .collect();
        Lists {
            categories,
            tag_taxonomies,
            tags,
            limit: site.config.related.limit,
        }
    }

    /// The article's first category term.
    fn first_category(&self, site: &Site, id: ArticleId) -> Option<usize> {
        let category = self.categories[site.articles[id].language]?;
        let first = site.articles[id]
            .terms
            .iter()
            .find(|t| t.taxonomy == category)?;
        Some(first.term)
    }

    /// Each language's [`category_fingerprints`].
    fn category_prints(&self, site: &Site) -> Vec<Vec<u64>> {
        (0..self.categories.len())
            .map(|l| category_fingerprints(site, self.categories[l], self.tag_taxonomies[l]))
            .collect()
    }

    /// The fingerprint of the article's first category, 0 without one.
    fn category_print(&self, site: &Site, prints: &[Vec<u64>], id: ArticleId) -> u64 {
        self.first_category(site, id)
            .map_or(0, |term| prints[site.articles[id].language][term])
    }

    /// An article's related list: the author's own entries, kept whole (the
    /// limit caps only the fill), then its category's articles. Also its
    /// problems, and whether an answer read every page (see [`explicit`]).
    fn list_of(&self, site: &Site, id: ArticleId) -> (Vec<ArticleId>, Vec<Diagnostic>, bool) {
        let (mut related, found, reads_pages) = explicit(site, id);
        if related.len() < self.limit {
            if let Some(category) = self.categories[site.articles[id].language] {
                fill_from_category(site, id, category, &self.tags, self.limit, &mut related);
            }
        }
        (related, found, reads_pages)
    }
}

/// A fingerprint of each category term's members, in site order, with
/// their tags: what the automatic fill of its articles reads.
fn category_fingerprints(site: &Site, category: Option<usize>, tag: Option<usize>) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    let Some(category) = category else {
        return Vec::new();
    };
    site.taxonomies[category]
        .terms
        .par_iter()
        .map(|term| {
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            for &a in &term.articles {
                let article = &site.articles[a];
                article.source.content_path.hash(&mut hasher);
                for t in article.terms.iter().filter(|t| Some(t.taxonomy) == tag) {
                    site.taxonomies[t.taxonomy].terms[t.term]
                        .slug
                        .hash(&mut hasher);
                }
                0xfeu8.hash(&mut hasher);
            }
            hasher.finish()
        })
        .collect()
}

/// The front matter's `related` entries that resolve to other articles; the
/// others are reported at their line in the front matter. Also whether an
/// answer read the site paths' tables or a suggestion every page.
fn explicit(site: &Site, id: ArticleId) -> (Vec<ArticleId>, Vec<Diagnostic>, bool) {
    if inherits_related(site, id) {
        return inherited(site, id);
    }
    let article = &site.articles[id].source;
    let language = site.articles[id].language;
    let mut related = Vec::new();
    let mut problems = Vec::new();
    let mut reads_pages = false;
    for entry in &article.front.related {
        let page = &site.articles[id].path;
        let resolution = site.urls.resolve_noting(
            &article.content_path,
            page,
            entry,
            &site.base_path,
            &mut reads_pages,
        );
        // A translation's entry names the translation when there is one
        // (for a file; a site URL stays what it says, as in links).
        let (resolution, _) = match super::links::names_file(entry) {
            true => site.resolution_in(resolution, language),
            false => (resolution, false),
        };
        let message = match resolution {
            Resolution::Page(Target::Article(other), _) | Resolution::Alias(other, _) => {
                if other != id && !related.contains(&other) {
                    related.push(other);
                }
                continue;
            }
            Resolution::Draft(page) => {
                format!("related article `{entry}` is a draft (/{page}) that this build leaves out")
            }
            Resolution::Broken { tried } => {
                let hint = super::links::suggestion(site, &tried);
                let hint = hint.map(|h| format!("; {h}")).unwrap_or_default();
                format!("related article `{entry}` does not match any article{hint}")
            }
            _ => format!("related entry `{entry}` is not an article"),
        };
        problems.push(related_problem(site, article, entry, message));
    }
    let reads_pages = reads_pages || !problems.is_empty();
    (related, problems, reads_pages)
}

/// Whether article `id` is a translation without its own `related:`, whose
/// source article has one: it takes the source's list (see [`inherited`]).
fn inherits_related(site: &Site, id: ArticleId) -> bool {
    let article = &site.articles[id];
    article.language != 0
        && article.source.front.related.is_empty()
        && site
            .source_article(id)
            .is_some_and(|source| !site.articles[source].source.front.related.is_empty())
}

/// The source article's `related:` entries in a translation's language:
/// each entry's translation, those without one left out (a list in the
/// reader's language). Problems with the entries are the source's.
fn inherited(site: &Site, id: ArticleId) -> (Vec<ArticleId>, Vec<Diagnostic>, bool) {
    let language = site.articles[id].language;
    let Some(source) = site.source_article(id) else {
        return (Vec::new(), Vec::new(), false);
    };
    let (entries, _, reads_pages) = explicit(site, source);
    let related = entries
        .into_iter()
        .filter_map(
            |other| match site.translation_of(Target::Article(other), language) {
                Some(Target::Article(translated)) if translated != id => Some(translated),
                _ => None,
            },
        )
        .collect();
    (related, Vec::new(), reads_pages)
}

fn related_problem(
    site: &Site,
    article: &SourceArticle,
    entry: &str,
    message: String,
) -> Diagnostic {
    let text = &article.source.text;
    let offset = super::front_matter_entry(article, "related", entry);
    let diagnostic = match site.config.links.broken {
        BrokenLinks::Error => Diagnostic::error("broken-link", &article.source.path, message),
        BrokenLinks::Warn => Diagnostic::warning("broken-link", &article.source.path, message),
    };
    diagnostic.at_offset(text, offset).with_help(
        "write a path relative to this file (`../x/y.md`), from content/ (`@/x/y.md`), or the article's URL (`/x/y/`)",
    )
}

/// Adds articles of the article's first category, most shared tags first, then
/// in site order.
fn fill_from_category(
    site: &Site,
    id: ArticleId,
    category: usize,
    tags: &[Vec<usize>],
    limit: usize,
    related: &mut Vec<ArticleId>,
) {
    let article = &site.articles[id];
    let Some(first) = article.terms.iter().find(|t| t.taxonomy == category) else {
        return;
    };
    let own_tags = &tags[id];
    let mut candidates: Vec<(usize, ArticleId)> = site.taxonomies[category].terms[first.term]
        .articles
        .iter()
        .filter(|&&other| other != id && !related.contains(&other))
        .map(|&other| {
            let shared = tags[other]
                .iter()
                .filter(|t| own_tags.binary_search(t).is_ok())
                .count();
            (shared, other)
        })
        .collect();
    let order = |a: &(usize, ArticleId), b: &(usize, ArticleId)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    let room = limit.saturating_sub(related.len());
    if candidates.len() > room {
        candidates.select_nth_unstable_by(room, order);
        candidates.truncate(room);
    }
    candidates.sort_unstable_by(order);
    related.extend(candidates.into_iter().map(|(_, other)| other));
}
