//! The load of `content/` as a whole: the sections from the walk and their
//! `_index.md`, every article from its file (reusing what a [`FileCache`]
//! holds unchanged), drafts set aside, snippet use checked, `static/` walked.
//!
//! Every load records what it made in the cache ([`super::patch::LastLoad`]),
//! so that the next load, when the watcher named only edits of article files
//! already there, patches those articles into it (see [`super::patch`])
//! rather than assembling 10,000 articles again. Both ways make an article
//! from its file with the same [`Loader`], so they cannot disagree on one.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::{self, FileCache};
use super::front_matter::{self, FrontMatter, Kind};
use super::patch::{self, LastLoad, Problems};
use super::SourceText;
use super::{file_language, include, languages, naming, snippets, walk};
use super::{Content, LoadOptions, Loaded, SectionId, SourceArticle, SourceAsset, SourceSection};
use crate::diagnostics::Diagnostic;

/// [`super::load`], reusing the files `cache` holds unchanged, and refreshing
/// it. When the last walk is reused and only article files it listed
/// changed, the last load's [`Content`] is patched instead of made again.
pub fn load_cached(
    root: &Path,
    options: LoadOptions,
    cache: &mut FileCache,
) -> (Content, Vec<Diagnostic>) {
    let content_dir = root.join("content");
    let display_root = Path::new("content");
    let (listing, listing_problems, same_listing) =
        cache.listing(&content_dir, display_root, &options.languages);
    if same_listing {
        if let Some(patched) = patch::patch_articles(cache, &content_dir, &listing, &options) {
            return patched;
        }
    }
    let last = load_all(
        root,
        &options,
        cache,
        listing,
        listing_problems,
        same_listing,
    );
    let loaded = (last.content.clone(), last.problems.all());
    cache.last = Some(last);
    loaded
}

/// What makes an article of a file: the sections and languages of the
/// listing, and the snippets pages include.
pub(super) struct Loader<'a> {
    pub display_root: &'a Path,
    pub listing: &'a walk::Listing,
    pub sections: &'a [SourceSection],
    /// Per language other than the default, its copy of each section.
    pub language_trees: &'a [Vec<Option<SectionId>>],
    pub library: include::Library<'a>,
    /// `--drafts`: drafts are built, and their problems reported.
    pub with_drafts: bool,
}

impl Loader<'_> {
    /// The article a file read afresh makes, its problems added to
    /// `problems`; `None` (the file is left out) when it could not be read
    /// or its name gives no slug.
    pub fn fresh_article(
        &self,
        file: &str,
        loaded: Loaded,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Arc<SourceArticle>> {
        let (loaded, mut found) = loaded;
        let Some((source, front)) = loaded else {
            problems.append(&mut found);
            return None;
        };
        let source = snippets::with_snippets(source, file, &self.library);
        let shown = !front.draft || self.with_drafts;
        if shown {
            problems.append(&mut found);
            problems.extend(source.include_problems().iter().cloned());
        }
        let mut article = make_article(self.sections, self.listing, file, source, front);
        if let Some(code) = languages::language_of(file, &self.listing.codes) {
            article.section = self.tree_of(Some(code), article.section);
            article.language = Some(code.to_string());
        }
        if shown {
            if let Some(problem) = file_slug_problem(&article.slug, "file", file) {
                let path = self.display_root.join(file);
                problems.push(Diagnostic::error("path", path, problem));
                return None;
            }
        }
        Some(Arc::new(article))
    }

    fn tree_of(&self, code: Option<&str>, id: SectionId) -> SectionId {
        language_tree(&self.listing.codes, self.language_trees, code, id)
    }
}

/// The copy of section `id` in the tree of language `code` (`trees` as
/// [`languages::add_language_trees`] made them); `id` for the default
/// language.
fn language_tree(
    codes: &file_language::Codes,
    trees: &[Vec<Option<SectionId>>],
    code: Option<&str>,
    id: SectionId,
) -> SectionId {
    let Some(code) = code else { return id };
    let index = codes.others.iter().position(|c| c == code);
    index.and_then(|i| trees[i][id]).unwrap_or(id)
}

/// Loads every file of `listing` (reading those `cache` does not hold
/// unchanged) into a new [`LastLoad`].
fn load_all(
    root: &Path,
    options: &LoadOptions,
    cache: &mut FileCache,
    listing: Arc<walk::Listing>,
    listing_problems: Vec<Diagnostic>,
    same_listing: bool,
) -> LastLoad {
    let content_dir = root.join("content");
    let display_root = Path::new("content");
    let codes = &options.languages;
    let mut problems = Problems {
        before: listing_problems,
        ..Problems::default()
    };
    let mut sections = build_sections(&listing);
    let translated: Vec<(String, String)> = (listing.article_files.iter())
        .chain(&listing.section_files)
        .filter_map(|f| Some((f.clone(), languages::language_of(f, codes)?.to_string())))
        .collect();
    let language_trees = languages::add_language_trees(&mut sections, codes, &translated);

    let read = |files: &[String], kind: Kind| -> Vec<cache::Read> {
        let cache = &*cache;
        files
            .par_iter()
            .map(|file| cache.read(&content_dir, display_root, file, kind, same_listing))
            .collect()
    };
    let section_reads = read(&listing.section_files, Kind::Section);
    let article_reads = read(&listing.article_files, Kind::Article);
    let snippet_reads = read(&listing.snippet_files, Kind::Snippet);
    if !same_listing {
        cache.keep_only(&listing);
        cache.articles.clear();
    }
    cache.changed.clear();
    let (snippets, changed_snippets) = snippets::collect(
        cache,
        &listing.snippet_files,
        snippet_reads,
        &mut problems.before,
    );
    let pages: Vec<String> = if snippets.is_empty() {
        Vec::new()
    } else {
        (listing.article_files.iter())
            .chain(&listing.section_files)
            .cloned()
            .collect()
    };
    let library = include::Library {
        snippets: &snippets,
        pages: &pages,
    };

    for (file, read) in listing.section_files.iter().zip(section_reads) {
        let (loaded, mut found) = cache.take(file, read);
        problems.before.append(&mut found);
        if let Some((source, front)) = loaded {
            let source = snippets::with_snippets(source, file, &library);
            problems
                .before
                .extend(source.include_problems().iter().cloned());
            let id = section_id_of(&sections, walk::parent_of(file));
            let code = languages::language_of(file, codes);
            let id = language_tree(codes, &language_trees, code, id);
            apply_section_index(&mut sections[id], source, front);
        }
    }
    languages::inherit_section_indexes(&mut sections, &language_trees);
    let slug_problems = check_section_slugs(&mut sections, display_root);
    problems.before.extend(slug_problems);

    let loader = Loader {
        display_root,
        listing: &listing,
        sections: &sections,
        language_trees: &language_trees,
        library,
        with_drafts: options.drafts,
    };
    let mut articles = Vec::new();
    let mut drafts = Vec::new();
    let mut made = Vec::with_capacity(listing.article_files.len());
    for (i, (file, read)) in listing.article_files.iter().zip(article_reads).enumerate() {
        // An unchanged file in an unchanged folder makes the same article,
        // unless a snippet it includes changed.
        let kept = match read {
            cache::Read::Unchanged => cache.articles.get(i).cloned().flatten().filter(|article| {
                let includes = article.source.snippets();
                !includes.iter().any(|s| changed_snippets.contains(s))
            }),
            cache::Read::Fresh(..) => None,
        };
        let mut found = Vec::new();
        let article = match kept {
            Some(article) => {
                if !article.front.draft || options.drafts {
                    found.extend(cache.problems(file));
                    found.extend(article.source.include_problems().iter().cloned());
                }
                Some(article)
            }
            None => loader.fresh_article(file, cache.take(file, read), &mut found),
        };
        if !found.is_empty() {
            problems.articles.insert(i, found);
        }
        if let Some(article) = &article {
            if article.front.draft && !options.drafts {
                drafts.push(Arc::clone(article));
            } else {
                articles.push(Arc::clone(article));
            }
        }
        made.push(article);
    }
    let draft_pages = drafts_translated(&mut articles, &mut drafts, options.drafts);
    if !snippets.is_empty() {
        let mut used: std::collections::BTreeSet<&str> = (made.iter().flatten())
            .flat_map(|a| a.source.snippets())
            .map(String::as_str)
            .collect();
        let indexes = sections.iter().filter_map(|s| s.index.as_deref());
        used.extend(indexes.flat_map(SourceText::snippets).map(String::as_str));
        problems.after.extend(snippets.unused(&used));
    }
    cache.articles = made;

    let static_files = walk::walk_static(root, &mut problems.after);
    let assets = listing
        .asset_files
        .iter()
        .map(|file| SourceAsset {
            content_path: file.clone(),
            file: content_dir.join(file),
        })
        .collect();
    LastLoad {
        options: options.clone(),
        listing,
        content: Content {
            sections,
            articles,
            drafts,
            assets,
            static_files,
            snippets,
        },
        problems,
        language_trees,
        pages,
        draft_pages,
        places: None,
    }
}

/// A translation of a draft is a draft too: it is left out with its source
/// (a German page of an unpublished article would be published alone), or,
/// with `drafts` (`--drafts`, `check`), kept and marked `draft`. Returns the
/// pages (their content paths) whose default-language article is a draft.
fn drafts_translated(
    articles: &mut Vec<Arc<SourceArticle>>,
    drafts: &mut Vec<Arc<SourceArticle>>,
    with_drafts: bool,
) -> std::collections::HashSet<String> {
    let draft_pages: std::collections::HashSet<String> = (articles.iter().chain(drafts.iter()))
        .filter(|a| a.language.is_none() && a.front.draft)
        .map(|a| a.page_path.clone())
        .collect();
    if draft_pages.is_empty() {
        return draft_pages;
    }
    let (moved, kept): (Vec<_>, Vec<_>) = std::mem::take(articles)
        .into_iter()
        .map(
            |article| match translation_of_a_draft(&article, &draft_pages) {
                Some(marked) => marked,
                None => article,
            },
        )
        .partition(|a| a.language.is_some() && a.front.draft && !with_drafts);
    *articles = kept;
    drafts.extend(moved);
    draft_pages
}

/// `article` marked `draft`, when it is a translation, not a draft itself,
/// of one of `draft_pages` (see [`drafts_translated`]).
pub(super) fn translation_of_a_draft(
    article: &SourceArticle,
    draft_pages: &std::collections::HashSet<String>,
) -> Option<Arc<SourceArticle>> {
    let of_a_draft = article.language.is_some()
        && !article.front.draft
        && draft_pages.contains(&article.page_path);
    of_a_draft.then(|| {
        let mut marked = article.clone();
        marked.front.draft = true;
        Arc::new(marked)
    })
}

/// A folder whose name has no letters or digits gives no slug; it is reported
/// and given a placeholder slug so its pages stay inside the output.
fn check_section_slugs(sections: &mut [SourceSection], display_root: &Path) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // Home pages (of every language) take no slug from their folder.
    for (id, section) in sections.iter_mut().enumerate().skip(1) {
        if section.parent.is_none() {
            continue;
        }
        let problem = file_slug_problem(&section.slug, "folder", &section.content_path);
        if let Some(problem) = problem {
            let path = display_root.join(&section.content_path);
            problems.push(Diagnostic::error("path", path, problem));
            section.slug = format!("section-{id}");
        }
    }
    problems
}

/// Why the slug a file or folder name gave cannot be used: empty, or too long
/// for a folder name (a name in another script can transliterate to more bytes).
fn file_slug_problem(slug: &str, kind: &str, file: &str) -> Option<String> {
    let name = file.rsplit('/').next().unwrap_or(file);
    let set_slug = if kind == "file" {
        "set `slug`"
    } else {
        "set `slug` in its _index.md"
    };
    if slug.is_empty() {
        Some(format!(
            "the {kind} name `{name}` gives an empty URL slug: rename the {kind} or {set_slug}"
        ))
    } else if slug.len() > front_matter::MAX_SLUG_BYTES {
        Some(format!(
            "the {kind} name gives a URL slug of {} bytes, more than {}: rename the {kind} or {set_slug}",
            slug.len(),
            front_matter::MAX_SLUG_BYTES
        ))
    } else {
        None
    }
}

fn build_sections(listing: &walk::Listing) -> Vec<SourceSection> {
    let mut sections: Vec<SourceSection> = Vec::with_capacity(listing.section_dirs.len());
    for dir in &listing.section_dirs {
        let name = dir.rsplit('/').next().unwrap_or_default();
        let (order, name) = naming::split_order_prefix(name);
        let parent = (!dir.is_empty()).then(|| section_id_of(&sections, walk::parent_of(dir)));
        sections.push(SourceSection {
            content_path: dir.clone(),
            parent,
            slug: naming::slugify(name),
            order,
            title: naming::title_from_name(name),
            description: None,
            weight: None,
            index: None,
            extra: Default::default(),
            language: None,
        });
    }
    sections
}

/// The section of a folder; folders that are not sections (asset folders) belong
/// to the nearest enclosing section.
pub fn section_id_of(sections: &[SourceSection], mut dir: &str) -> SectionId {
    loop {
        if let Some(id) = sections.iter().position(|s| s.content_path == dir) {
            return id;
        }
        if dir.is_empty() {
            return 0;
        }
        dir = walk::parent_of(dir);
    }
}

fn apply_section_index(section: &mut SourceSection, source: Arc<SourceText>, front: FrontMatter) {
    if !front.title.is_empty() {
        section.title = front.title;
    }
    if let Some(slug) = front
        .slug
        .as_deref()
        .map(naming::slugify)
        .filter(|s| !s.is_empty())
    {
        section.slug = slug;
    }
    section.description = front.description;
    section.weight = front.weight;
    section.extra = front.extra;
    section.index = Some(source);
}

fn make_article(
    sections: &[SourceSection],
    listing: &walk::Listing,
    file: &str,
    source: Arc<SourceText>,
    front: FrontMatter,
) -> SourceArticle {
    let dir = walk::parent_of(file);
    let named = file_language::parse(file, &listing.codes);
    // A translation is named like its source article: `x.de.md` as `x.md`,
    // and so is `x.en.md` in the default language.
    let named_as = match named.language {
        file_language::FileLanguage::Other(_) | file_language::FileLanguage::Default => {
            named.without
        }
        _ => file.to_string(),
    };
    let (bundle_dir, name, section_dir) =
        if listing.bundle_dirs.contains(dir) && named_as.ends_with("/index.md") {
            let name = dir.rsplit('/').next().unwrap_or(dir);
            (Some(dir.to_string()), name, walk::parent_of(dir))
        } else {
            let name = named_as.rsplit('/').next().unwrap_or(&named_as);
            (None, name.strip_suffix(".md").unwrap_or(name), dir)
        };
    let (order, name) = naming::split_order_prefix(name);
    let slug = front
        .slug
        .as_deref()
        .map(naming::slugify)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| naming::slugify(name));
    SourceArticle {
        source,
        content_path: file.to_string(),
        section: section_id_of(sections, section_dir),
        slug,
        order,
        front,
        bundle_dir,
        history: None,
        language: None,
        page_path: named_as,
    }
}
