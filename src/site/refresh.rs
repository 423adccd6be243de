//! The preview server's model between runs: the last [`Site`] is kept, and an
//! edit that changes nothing the model is made of, or only what one
//! article's own lists are made of, reuses it.
//!
//! The model reads of an article its place (file, section, slug, order,
//! bundle), its front matter (as written and as parsed, title taken from an
//! `# H1` included), its git history (dates), the ids a link can point at,
//! and where its links point. When nothing else changed (the same files,
//! sections, drafts, assets and static files), each changed article is
//! swapped into the kept model in one of two ways:
//! - **text**: its [`model_key`] of those is as before, so the new model would
//!   be the old one with the new text in it. Only its links are checked
//!   again, since their problems sit at new places in the file.
//! - **front matter**: only fields read for the article alone changed (title
//!   in the same place among its section's articles, description, dates,
//!   `related:`), or its taxonomy terms (see [`frame_key`]), and the model
//!   found no problem in the file beyond its links', its related list's and
//!   the taxonomies'. Its links are checked and its related list made
//!   again; when terms changed, the taxonomies are made again (kept only if
//!   every term keeps its page) with every related list that reads them. The
//!   recent list is made again, and the model counts as new for what is made
//!   from it alone (sitemap, feed).
//!
//! Anything else builds the model anew. Which path was taken never
//! shows in the output: the differential test (`tests/serve_differential.rs`)
//! compares every served page with a fresh build's.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::urls::Target;
use super::{links, related, taxonomy, ArticleId, ModelMemory, Site, SiteOptions, SortKey};
use crate::content::front_matter::FrontMatter;
use crate::content::naming::slugify;
use crate::content::{Content, SourceArticle, SourceSection};
use crate::diagnostics::Diagnostic;

/// The last model and what it was made of beyond the site itself.
pub(super) struct Kept {
    pub site: Site,
    /// The drafts this build left out (links to them are errors).
    pub drafts: Vec<Arc<SourceArticle>>,
    /// Every problem the model found, link problems included.
    pub problems: Vec<Diagnostic>,
    /// Those of `problems` the taxonomies gave.
    pub taxonomy_problems: Vec<Diagnostic>,
    /// The number of the model (see `Model::generation`): kept when it
    /// is reused whole.
    pub generation: u64,
    /// The number of the model's frame (see `Model::frame`): kept while
    /// articles are swapped in.
    pub frame: u64,
    /// The id of each article of the content last swapped in, in the
    /// content's order: where to look first for each article of the next
    /// (empty after a new model).
    pub content_order: Vec<ArticleId>,
}

/// How a changed article goes into the kept model (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Text,
    FrontMatter,
}

/// `kept` with `content`'s articles swapped in, when `content` differs from
/// what made it only in what the model does not read, or reads for one
/// article alone (see the module docs); else `content` back, for a new model.
pub(super) fn refresh(
    mut kept: Kept,
    content: Content,
    options: SiteOptions,
    memory: &mut ModelMemory,
) -> Result<Kept, Box<Content>> {
    let Some((changes, terms_changed)) = changes(&mut kept, &content, options, memory) else {
        return Err(discard(kept, content));
    };
    for (id, source, _) in &changes {
        kept.site.articles[*id].source = Arc::clone(source);
    }
    if terms_changed && !(keeps_terms(&kept.site, &changes) && retaxonomize(&mut kept)) {
        return Err(discard(kept, content));
    }
    // The snippets as read now (the model keeps them for `kbgen mv`).
    kept.site.snippets = content.snippets;
    if changes.is_empty() {
        return Ok(kept);
    }
    // A text swap keeps its related list; a front-matter swap's is made
    // again below.
    for (_, source, _) in changes.iter().filter(|(.., c)| *c == Change::Text) {
        memory
            .related
            .retext(&source.content_path, Arc::clone(&source.source));
    }
    let ids: Vec<ArticleId> = changes.iter().map(|(id, ..)| *id).collect();
    let (mut before, mut now) = links::recheck(&mut kept.site, &ids, &mut memory.links);
    let front_matter: Vec<ArticleId> = changes
        .iter()
        .filter(|(.., change)| *change == Change::FrontMatter)
        .map(|(id, ..)| *id)
        .collect();
    if !front_matter.is_empty() {
        let world = memory.links.world();
        let (had, has) = if terms_changed {
            // A category's members or their tags changed: every list that
            // reads them is made again (the memory keeps the others).
            let had = memory.related.all_problems();
            let mut has = Vec::new();
            related::assign(&mut kept.site, &mut has, Some((&mut memory.related, world)));
            (had, has)
        } else {
            related::reassign(&mut kept.site, &front_matter, &mut memory.related, world)
        };
        before.extend(had);
        now.extend(has);
        let site = &mut kept.site;
        for (id, language) in site.languages.iter_mut().enumerate() {
            language.recent = super::most_recent_in(&site.articles, id, super::RECENT_ARTICLES);
        }
        site.recent = site
            .languages
            .first()
            .map(|l| l.recent.clone())
            .unwrap_or_default();
        memory.generation += 1;
        kept.generation = memory.generation;
    }
    remove_each(&mut kept.problems, before);
    kept.problems.extend(now);
    Ok(kept)
}

/// `content` back for a new model; the kept one is freed on another thread
/// (a model of 10,000 articles takes milliseconds the new one need not wait
/// for).
fn discard(kept: Kept, content: Content) -> Box<Content> {
    std::thread::spawn(move || drop(kept));
    Box::new(content)
}

/// The articles whose swaps make the taxonomies again, as
/// [`retaxonomize`] does: their terms changed, or the taxonomies found a
/// problem in them, which may sit elsewhere now.
fn terms_changed(kept: &Kept, old: &SourceArticle, new: &SourceArticle) -> bool {
    old.front.taxonomy != new.front.taxonomy
        || kept
            .taxonomy_problems
            .iter()
            .any(|p| p.path == old.source.path)
}

/// Whether every term the swapped articles name has a page already, and
/// every term they leave keeps another article: a quick look at the swapped
/// articles alone, before [`retaxonomize`] makes sure. A term that comes or
/// goes changes the site's pages, which only a new model has.
fn keeps_terms(site: &Site, changes: &[(ArticleId, Arc<SourceArticle>, Change)]) -> bool {
    let swapped = |id: ArticleId| changes.iter().any(|(other, ..)| *other == id);
    changes.iter().all(|(id, new, _)| {
        let old = &site.articles[*id];
        let names_known_terms = new.front.taxonomy.iter().all(|(name, written)| {
            let terms = site.taxonomy(name).map(|t| &site.taxonomies[t].terms);
            let configured = site.config.taxonomies.contains_key(name);
            written.iter().map(|w| slugify(w)).all(|slug| {
                slug.is_empty()
                    || !configured
                    || terms.is_some_and(|terms| terms.iter().any(|t| t.slug == slug))
            })
        });
        let left_terms_stay = old.terms.iter().all(|term| {
            let term = &site.taxonomies[term.taxonomy].terms[term.term];
            term.articles.iter().any(|&member| !swapped(member))
        });
        names_known_terms && left_terms_stay
    })
}

/// Makes the taxonomies again from the kept site's articles (their new
/// front matter swapped in), as [`super::build_with`] does. When every
/// taxonomy and term has the page it had, they replace the kept ones with
/// their problems and `true` is returned; else the kept model is no longer
/// whole and must be dropped.
fn retaxonomize(kept: &mut Kept) -> bool {
    let site = &mut kept.site;
    // What the taxonomies register after: the pages of sections and articles.
    let mut urls = super::urls::UrlTable::default();
    super::register_pages(&mut urls, &site.sections, &site.articles, &mut Vec::new());
    for article in &mut site.articles {
        article.terms.clear();
    }
    let mut problems = Vec::new();
    let languages: Vec<crate::config::Language> =
        site.languages.iter().map(|l| l.config.clone()).collect();
    let taxonomies = taxonomy::build(
        &site.config,
        &languages,
        &site.sections,
        &mut site.articles,
        &mut urls,
        &mut problems,
    );
    let same_pages = taxonomies.len() == site.taxonomies.len()
        && taxonomies.iter().zip(&site.taxonomies).all(|(new, old)| {
            new.path == old.path
                && new.terms.len() == old.terms.len()
                && new
                    .terms
                    .iter()
                    .zip(&old.terms)
                    .all(|(a, b)| a.path == b.path)
        });
    if !same_pages {
        return false;
    }
    site.taxonomies = taxonomies;
    remove_each(
        &mut kept.problems,
        std::mem::take(&mut kept.taxonomy_problems),
    );
    kept.problems.extend(problems.iter().cloned());
    kept.taxonomy_problems = problems;
    true
}

/// The articles of `kept` to swap for new ones, by id, with how, and
/// whether the swaps make the taxonomies again: none when `content` is what
/// made `kept`; `None` when the model must be built anew.
#[allow(clippy::type_complexity)]
fn changes(
    kept: &mut Kept,
    content: &Content,
    options: SiteOptions,
    memory: &ModelMemory,
) -> Option<(Vec<(ArticleId, Arc<SourceArticle>, Change)>, bool)> {
    let site = &kept.site;
    let same_frame = options == site.options
        && content.articles.len() == site.articles.len()
        && same_arcs(&content.drafts, &kept.drafts)
        && content.sections.len() == site.sections.len()
        && content
            .sections
            .iter()
            .zip(&site.sections)
            .all(|(new, old)| same_section(new, &old.source))
        && content.assets.len() == site.assets.len()
        && content
            .assets
            .iter()
            .zip(&site.assets)
            .all(|(new, old)| new.content_path == old.content_path)
        && content.static_files == site.static_files;
    if !same_frame {
        return None;
    }
    let mut changed = Vec::new();
    let mut order = Vec::with_capacity(content.articles.len());
    for (at, new) in content.articles.iter().enumerate() {
        let id = match kept.content_order.get(at) {
            Some(&id)
                if Arc::ptr_eq(&site.articles[id].source, new)
                    || site.articles[id].source.content_path == new.content_path =>
            {
                id
            }
            _ => match site.urls.content_path_target(&new.content_path) {
                Some(Target::Article(id)) => id,
                _ => return None,
            },
        };
        order.push(id);
        if !Arc::ptr_eq(&site.articles[id].source, new) {
            changed.push((id, Arc::clone(new)));
        }
    }
    kept.content_order = order;
    let kept = &*kept;
    let new_of = |id: ArticleId| -> &SourceArticle {
        changed
            .iter()
            .find(|(other, _)| *other == id)
            .map_or(&*site.articles[id].source, |(_, new)| &**new)
    };
    let mut changes = Vec::with_capacity(changed.len());
    let mut retaxonomize = false;
    for (id, new) in &changed {
        let old = &site.articles[*id].source;
        if !memory.links.remembers(&new.content_path) {
            return None;
        }
        // The status of its translations (and their banners) reads its text.
        if site.articles[*id].translations.iter().flatten().count() > 1 {
            return None;
        }
        let change = if model_key(old) == model_key(new) {
            Change::Text
        } else if frame_key(old) == frame_key(new)
            && keeps_place(site, *id, &new_of)
            && only_own_list_problems(kept, memory, old)
        {
            retaxonomize |= terms_changed(kept, old, new);
            Change::FrontMatter
        } else {
            return None;
        };
        changes.push((*id, Arc::clone(new), change));
    }
    Some((changes, retaxonomize))
}

/// Whether article `id`, as `new_of` gives each article now, still sorts
/// between the articles before and after it in its section.
fn keeps_place<'a>(
    site: &Site,
    id: ArticleId,
    new_of: &impl Fn(ArticleId) -> &'a SourceArticle,
) -> bool {
    let own = site.sections[site.articles[id].source.section]
        .articles
        .clone();
    let key = |a: ArticleId| {
        let article = new_of(a);
        let front = &article.front;
        SortKey::new(
            front.weight,
            article.order,
            &front.title,
            &article.content_path,
        )
    };
    let mine = key(id);
    let after_previous = id == own.start || key(id - 1) < mine;
    let before_next = id + 1 >= own.end || mine < key(id + 1);
    after_previous && before_next
}

/// Removes one copy of each of `gone` from `problems` (a problem found
/// twice was reported twice).
fn remove_each(problems: &mut Vec<Diagnostic>, gone: Vec<Diagnostic>) {
    for problem in gone {
        if let Some(at) = problems.iter().position(|p| *p == problem) {
            problems.swap_remove(at);
        }
    }
}

/// Whether every problem the model found in `article`'s file is one of its
/// links', its related list's or the taxonomies', which a front-matter swap
/// finds again.
fn only_own_list_problems(kept: &Kept, memory: &ModelMemory, article: &SourceArticle) -> bool {
    let path = &article.content_path;
    let mut known: Vec<&Diagnostic> = memory
        .links
        .problems_of(path)
        .iter()
        .chain(memory.related.problems_of(path))
        .chain(
            kept.taxonomy_problems
                .iter()
                .filter(|p| p.path == article.source.path),
        )
        .collect();
    kept.problems
        .iter()
        .filter(|p| p.path == article.source.path)
        .all(|p| match known.iter().position(|k| *k == p) {
            Some(at) => {
                known.swap_remove(at);
                true
            }
            None => false,
        })
}

fn same_arcs(a: &[Arc<SourceArticle>], b: &[Arc<SourceArticle>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| Arc::ptr_eq(a, b))
}

/// Whether a section as loaded now is the one the model was made of: the
/// same folder, fields and `_index.md` text.
fn same_section(new: &SourceSection, old: &SourceSection) -> bool {
    let same_index = match (&new.index, &old.index) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    };
    same_index
        && new.content_path == old.content_path
        && new.parent == old.parent
        && new.slug == old.slug
        && new.order == old.order
        && new.title == old.title
        && new.description == old.description
        && new.weight == old.weight
        && new.extra == old.extra
        && new.language == old.language
}

/// A hash of everything of an article the model reads: its [`frame_key`]
/// (place, the front matter fields read beyond the article, anchors and
/// where links point, with the file each is relative to, not their places:
/// those only move its own link problems, which are checked again), and what
/// the frame leaves out: its front matter as written (positions of problems
/// in it included) and as parsed, and its git history (dates).
pub(super) fn model_key(article: &SourceArticle) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let source = &article.source;
    (
        frame_key(article),
        &article.history,
        &source.text[..source.body_start],
    )
        .hash(&mut hasher);
    // FrontMatter holds YAML values, which have no `Hash`; its `Debug` text
    // shows every field, and its maps are ordered.
    format!("{:?}", article.front).hash(&mut hasher);
    hasher.finish()
}

/// A hash of what the model reads of an article beyond what is read for it
/// alone: [`model_key`] without the front matter as written (positions), the
/// title (its order is checked by [`keeps_place`]), description, dates, git
/// history, `related:` and taxonomy terms (made again by [`retaxonomize`]).
/// Every field is named, so a field added to [`SourceArticle`] or
/// [`FrontMatter`] must be placed here or among the fields read for the
/// article alone (which [`model_key`] holds).
fn frame_key(article: &SourceArticle) -> u64 {
    let SourceArticle {
        source,
        content_path,
        section,
        slug,
        order,
        front,
        bundle_dir,
        history: _,
        language,
        page_path,
    } = article;
    let FrontMatter {
        title: _,
        title_from: _,
        description: _,
        slug: front_slug,
        // Made again by `retaxonomize` when it changes.
        taxonomy: _,
        related: _,
        aliases,
        weight,
        date: _,
        updated: _,
        draft,
        template: _,
        toc: _,
        keywords: _,
        // Read by the translations' status.
        translated_from,
        extra: _,
        invalid,
    } = front;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    (
        content_path,
        section,
        slug,
        order,
        bundle_dir,
        language,
        page_path,
        &source.path,
    )
        .hash(&mut hasher);
    (front_slug, aliases, weight, draft, translated_from, invalid).hash(&mut hasher);
    hash_targets(source, &mut hasher);
    hasher.finish()
}

/// The ids a link can point at in `source`, and its links' destinations
/// with the file each is relative to.
fn hash_targets(source: &crate::content::SourceText, hasher: &mut impl Hasher) {
    for heading in &source.scan.headings {
        heading.id.hash(hasher);
    }
    0xfeu8.hash(hasher);
    source.scan.html_ids.hash(hasher);
    for link in &source.scan.links {
        let from = source.origin_content_path(link.defined_at.unwrap_or(link.offset));
        (&link.dest, link.is_image, link.raw_html, from).hash(hasher);
    }
}
