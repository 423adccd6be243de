//! The preview server's model between runs: the last [`Site`] is kept, and an
//! edit that changes nothing the model is made of reuses it whole.
//!
//! The model reads of an article its place (file, section, slug, order,
//! bundle), its front matter (as written and as parsed, title taken from an
//! `# H1` included), its git history (dates), the ids a link can point at,
//! and where its links point.
//! When every changed file is an article whose [`model_key`] of those is as
//! before, and nothing else changed (the same files, sections, drafts,
//! assets and static files), the new model would be the old one with the new
//! texts in it: so the texts are swapped in, and only the swapped articles'
//! links are checked again, since their problems sit at new places in the
//! file. Anything else builds the model anew. Which path was taken never
//! shows in the output: the differential test (`tests/serve_differential.rs`)
//! compares every served page with a fresh build's.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::urls::Target;
use super::{links, ArticleId, ModelMemory, Site, SiteOptions};
use crate::content::{Content, SourceArticle, SourceSection};
use crate::diagnostics::Diagnostic;

/// The last model and what it was made of beyond the site itself.
pub(super) struct Kept {
    pub site: Site,
    /// The drafts this build left out (links to them are errors).
    pub drafts: Vec<Arc<SourceArticle>>,
    /// Every problem the model found, link problems included.
    pub problems: Vec<Diagnostic>,
    /// The number of the model (see `Model::generation`): kept when it
    /// is reused whole.
    pub generation: u64,
}

/// `kept` with `content`'s texts swapped in, when `content` differs from
/// what made it only in what the model does not read (see the module docs);
/// else `content` back, for a new model.
pub(super) fn refresh(
    mut kept: Kept,
    content: Content,
    options: SiteOptions,
    memory: &mut ModelMemory,
) -> Result<Kept, Box<Content>> {
    let Some(swaps) = swaps(&kept, &content, options, memory) else {
        // Freeing a model of 10,000 articles takes milliseconds the new
        // model need not wait for.
        std::thread::spawn(move || drop(kept));
        return Err(Box::new(content));
    };
    // The snippets as read now (the model keeps them for `kbgen mv`).
    kept.site.snippets = content.snippets;
    if swaps.is_empty() {
        return Ok(kept);
    }
    for (id, source) in &swaps {
        kept.site.articles[*id].source = Arc::clone(source);
        memory
            .related
            .retext(&source.content_path, Arc::clone(&source.source));
    }
    let ids: Vec<ArticleId> = swaps.iter().map(|(id, _)| *id).collect();
    let (before, now) = links::recheck(&mut kept.site, &ids, &mut memory.links);
    for problem in before {
        if let Some(at) = kept.problems.iter().position(|p| *p == problem) {
            kept.problems.swap_remove(at);
        }
    }
    kept.problems.extend(now);
    Ok(kept)
}

/// The articles of `kept` to give new texts, by id: none when `content` is
/// what made `kept`; `None` when the model must be built anew.
fn swaps(
    kept: &Kept,
    content: &Content,
    options: SiteOptions,
    memory: &ModelMemory,
) -> Option<Vec<(ArticleId, Arc<SourceArticle>)>> {
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
    let mut swaps = Vec::new();
    for new in &content.articles {
        let Some(Target::Article(id)) = site.urls.content_path_target(&new.content_path) else {
            return None;
        };
        let old = &site.articles[id].source;
        if Arc::ptr_eq(old, new) {
            continue;
        }
        if model_key(old) != model_key(new) || !memory.links.remembers(&new.content_path) {
            return None;
        }
        // The status of its translations (and their banners) reads its text.
        if site.articles[id].translations.iter().flatten().count() > 1 {
            return None;
        }
        swaps.push((id, Arc::clone(new)));
    }
    Some(swaps)
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

/// A hash of everything of an article the model reads: its place, its front
/// matter as written (positions of problems in it included) and as parsed,
/// its git history (dates), its anchors, and its links' destinations with the
/// file each is relative to (not their places: those only move its own link
/// problems, which are checked again). Every field is named, so a field added
/// to [`SourceArticle`] must be placed here or among the ignored ones.
pub(super) fn model_key(article: &SourceArticle) -> u64 {
    let SourceArticle {
        source,
        content_path,
        section,
        slug,
        order,
        front,
        bundle_dir,
        history,
        language,
    } = article;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    (
        content_path,
        section,
        slug,
        order,
        bundle_dir,
        history,
        language,
        &source.path,
        &source.text[..source.body_start],
    )
        .hash(&mut hasher);
    // FrontMatter holds YAML values, which have no `Hash`; its `Debug` text
    // shows every field, and its maps are ordered.
    format!("{front:?}").hash(&mut hasher);
    for heading in &source.scan.headings {
        heading.id.hash(&mut hasher);
    }
    0xfeu8.hash(&mut hasher);
    source.scan.html_ids.hash(&mut hasher);
    for link in &source.scan.links {
        let from = source.origin_content_path(link.defined_at.unwrap_or(link.offset));
        (&link.dest, link.is_image, link.raw_html, from).hash(&mut hasher);
    }
    hasher.finish()
}
