//! Rendering: every page of the [`Site`] through Tera, in parallel.
//!
//! Each page is rendered on its own from the shared, read-only site and handed
//! to a [`PageSink`] as soon as it is done (a folder for `build`, memory for
//! tests and `serve`), so the whole site is never held as HTML at once. Output
//! bytes do not depend on thread timing: a page's HTML depends only on the site.
//!
//! A page is a function of its view, the site view and the templates. The
//! preview server keeps a [`RenderMemory`] between rebuilds: bodies by a key of
//! their inputs, and a hash of each page's view; a page whose view hash did not
//! change is not rendered again, which keeps a one-file edit fast on a large
//! site while producing exactly what a full build would.

mod languages;
pub mod machines;
mod memory;
mod page_job;
mod pages;
mod raw_html;
pub mod reads;
pub mod shortcode_args;
pub mod shortcodes;
pub mod strings;
pub mod templates;
pub mod views;

use rustc_hash::FxHashMap as HashMap;
use std::io;

use rayon::prelude::*;

use crate::content::memo::ArticleList;
use crate::content::{SectionId, SourceArticle};
use crate::diagnostics::Diagnostic;
use crate::markdown::highlight::Highlighter;
use crate::site::{ArticleId, Site, TaxonomyId};
pub use memory::RenderMemory;
use memory::{view_hash, Compare, PageChanges, PageRecord, Pending, Remember};
use page_job::{job_output, job_source, render_job};
/// The raw-HTML URL rewriting of article bodies, public for the `raw_html` fuzz target.
pub use raw_html::rewrite_urls;
use strings::StringTables;
pub use templates::Templates;

/// Where rendered pages go. `path` is relative to the output root, with `/`.
pub trait PageSink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;

    /// Copies a file from disk; sinks that can copy without reading override it.
    fn copy(&self, path: &str, from: &std::path::Path) -> io::Result<()> {
        self.write(path, &std::fs::read(from)?)
    }

    /// Writes bytes the caller keeps too (the preview server's Markdown
    /// copies, `output::llms`); a memory sink keeps them without a copy.
    fn write_shared(&self, path: &str, bytes: std::sync::Arc<[u8]>) -> io::Result<()> {
        self.write(path, &bytes)
    }

    /// Writes `parts` joined by `separator` (`llms-full.txt`); a memory sink
    /// keeps the parts and joins them only when the file is requested.
    fn write_parts(
        &self,
        path: &str,
        parts: &[std::sync::Arc<[u8]>],
        separator: &[u8],
    ) -> io::Result<()> {
        self.write(path, &crate::output::memory::join(parts, separator))
    }
}

/// The file holding the highlighting colours, at the output root.
pub const HIGHLIGHT_CSS: &str = crate::site::generated::HIGHLIGHT_CSS;

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageJob {
    Article(ArticleId),
    Section(SectionId),
    Taxonomy(TaxonomyId),
    Term(TaxonomyId, usize),
    /// The search page of a language.
    Search(crate::site::LangId),
    /// The 404 page of a language.
    NotFound(crate::site::LangId),
}

/// Counts of what a render did.
#[derive(Debug, Default, Clone, Copy)]
pub struct RenderStats {
    /// Pages in the site.
    pub pages: usize,
    /// Pages actually rendered (fewer than `pages` on an incremental rebuild).
    pub rendered: usize,
}

/// Renders every page of `site` into `sink`; returns what went wrong.
pub fn render_site(
    site: &Site,
    theme: Theme<'_>,
    sink: &dyn PageSink,
    progress: Option<&Progress>,
) -> (RenderStats, Vec<Diagnostic>) {
    let mut memory = RenderMemory::none();
    render_changed(site, theme, sink, &mut memory, None, progress)
}

/// What a build renders pages with besides the site: the templates, the
/// highlighter and the theme strings of every language.
pub struct Theme<'a> {
    pub templates: &'a mut Templates,
    pub highlighter: &'a Highlighter,
    pub strings: &'a StringTables,
}

/// The language of a page, a BCP 47 code: its strings table and `lang`
/// (the site's language in a site with one).
pub fn page_language(site: &Site, job: PageJob) -> &str {
    let language = languages::job_language(site, job);
    &site.languages[language].config.code
}

/// Pages rendered so far, for a progress bar on a terminal.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: std::sync::atomic::AtomicUsize,
    /// Zero until rendering starts.
    pub total: std::sync::atomic::AtomicUsize,
}

/// Renders the pages whose inputs changed since `memory` was last committed
/// (all of them on a fresh memory). `frame` is the model's
/// (`site::Model::frame`), when it has one: in the frame the memory's pages
/// were made in, the pages are the same, and only those that read a changed
/// part of the site are looked at. What this render found is kept in
/// `memory` as pending: [`RenderMemory::commit`] keeps it when the output is
/// published, [`RenderMemory::discard`] forgets it.
pub fn render_changed(
    site: &Site,
    theme: Theme<'_>,
    sink: &dyn PageSink,
    memory: &mut RenderMemory,
    frame: Option<u64>,
    progress: Option<&Progress>,
) -> (RenderStats, Vec<Diagnostic>) {
    let Theme {
        templates,
        highlighter,
        strings,
    } = theme;
    let mut problems = check_against_templates(site, templates, memory);
    // The site as each language's pages see it (see `PageContext`).
    let site_views: Vec<views::SiteView> = (0..site.languages.len())
        .map(|l| pages::site_view(site, l))
        .collect();
    let site_view = &site_views[0];
    let (site_hash, fingerprints) = if memory.enabled {
        // Every page reads the strings: a changed table changes them all.
        let hash = view_hash(&site_views, strings.fingerprint(), "");
        (hash, reads::Fingerprints::of(site, &memory.fingerprints))
    } else {
        (0, reads::Fingerprints::default())
    };
    // A new site view (or the first render) changes every page.
    let same_view = memory.enabled && site_hash == memory.site_view && !memory.pages.is_empty();
    let same_pages = same_view && frame.is_some() && frame == memory.frame;
    templates.global_context().insert("site", site_view);
    let templates = &*templates;
    let tools = pages::Tools {
        highlighter,
        templates,
        strings,
        site_views: &site_views,
    };
    let changed = fingerprints.changed_since(&memory.fingerprints);
    let recall = memory.enabled.then_some(Recall {
        bodies: &memory.bodies,
        site_view: site_hash,
        compare: Compare {
            now: &fingerprints,
            changed: &changed,
        },
    });
    let (stats, pages) = match recall.filter(|_| same_pages) {
        Some(recall) => {
            let (stats, made) =
                render_same_pages(site, tools, sink, &memory.pages, recall, &mut problems);
            (stats, Some(PageChanges::Some(made)))
        }
        None => {
            let previous = same_view.then_some(&*memory);
            let (stats, pages) =
                render_all(site, tools, sink, previous, recall, progress, &mut problems);
            (stats, memory.enabled.then_some(PageChanges::All(pages)))
        }
    };
    if let Some(pages) = pages {
        memory.pending = Some(Pending {
            pages,
            site_view: site_hash,
            fingerprints,
            frame,
        });
    }
    if let Err(e) = sink.write(HIGHLIGHT_CSS, highlighter.stylesheet().as_bytes()) {
        problems.push(Diagnostic::error(
            "io",
            HIGHLIGHT_CSS,
            format!("cannot write: {e}"),
        ));
    }
    (stats, problems)
}

/// What a render remembers: the bodies, this render's site view hash, and
/// the fingerprints to compare.
#[derive(Clone, Copy)]
struct Recall<'a> {
    bodies: &'a std::sync::Mutex<HashMap<u64, (String, Vec<Diagnostic>)>>,
    site_view: u64,
    compare: Compare<'a>,
}

/// Renders the pages of `site`, which are `remembered`'s (the same frame
/// and site view), looking only at those that read a part whose fingerprint
/// changed; the others are taken as they were. Returns the records of the
/// pages made again, by index.
fn render_same_pages(
    site: &Site,
    tools: pages::Tools<'_>,
    sink: &dyn PageSink,
    remembered: &[memory::RememberedPage],
    recall: Recall<'_>,
    problems: &mut Vec<Diagnostic>,
) -> (RenderStats, Vec<(usize, PageRecord)>) {
    let stale = |page: &memory::RememberedPage| !recall.compare.keeps(&page.record);
    let again: Vec<usize> = if recall.compare.changed.is_empty() {
        Vec::new()
    } else {
        (remembered.par_iter().enumerate())
            .filter(|(_, page)| stale(page))
            .map(|(index, _)| index)
            .collect()
    };
    let made: Vec<(usize, PageRecord, bool)> = again
        .par_iter()
        .map(|&index| {
            let page = &remembered[index];
            let previous = Some(&page.record);
            let (record, rendered) = render_one(
                site,
                tools,
                sink,
                page.job,
                &page.path,
                previous,
                Some(recall),
            );
            (index, record, rendered)
        })
        .collect();
    let mut made_again = made.iter().map(|(index, ..)| *index).peekable();
    for (index, page) in remembered.iter().enumerate() {
        if made_again.next_if_eq(&index).is_none() {
            problems.extend(page.record.problems.iter().cloned());
        }
    }
    let stats = RenderStats {
        pages: remembered.len(),
        rendered: made.iter().filter(|(.., rendered)| *rendered).count(),
    };
    let made = made
        .into_iter()
        .map(|(index, record, _)| {
            problems.extend(record.problems.iter().cloned());
            (index, record)
        })
        .collect();
    (stats, made)
}

/// Renders every page of `site` in parallel. With `previous` (a memory of
/// the same site view), a page it holds at the same output path whose
/// recorded reads all kept their fingerprints is taken as it was, without
/// building its view; another page is built, and rendered unless its view
/// hashes as before. Threads take pages in order (rather than each a half
/// of the list), so pages come out roughly in site order, which the search
/// indexer follows; results are kept in job order and problems sorted, so
/// the order they finish in does not matter.
fn render_all(
    site: &Site,
    tools: pages::Tools<'_>,
    sink: &dyn PageSink,
    previous: Option<&RenderMemory>,
    recall: Option<Recall<'_>>,
    progress: Option<&Progress>,
    problems: &mut Vec<Diagnostic>,
) -> (RenderStats, Vec<memory::RememberedPage>) {
    let jobs = page_jobs(site);
    if let Some(progress) = progress {
        progress
            .total
            .store(jobs.len(), std::sync::atomic::Ordering::Relaxed);
    }
    let made: Vec<(memory::RememberedPage, bool)> = jobs
        .iter()
        .par_bridge()
        .map(|&job| {
            if let Some(progress) = progress {
                progress
                    .done
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            let path = job_output(site, job);
            let before = previous.and_then(|memory| memory.page(&path));
            let kept = before
                .zip(recall)
                .filter(|(page, recall)| recall.compare.keeps(&page.record));
            let (record, rendered) = match kept {
                Some((page, _)) => (page.record.clone(), false),
                None => {
                    let before = before.map(|page| &page.record);
                    render_one(site, tools, sink, job, &path, before, recall)
                }
            };
            (memory::RememberedPage { job, path, record }, rendered)
        })
        .collect();
    let mut stats = RenderStats {
        pages: made.len(),
        rendered: 0,
    };
    let pages = made
        .into_iter()
        .map(|(page, rendered)| {
            stats.rendered += usize::from(rendered);
            problems.extend(page.record.problems.iter().cloned());
            page
        })
        .collect();
    (stats, pages)
}

/// Builds one page's view (recording what it read) and renders it unless
/// it hashes as `previous` did; a panic becomes the page's problem.
fn render_one(
    site: &Site,
    tools: pages::Tools<'_>,
    sink: &dyn PageSink,
    job: PageJob,
    path: &str,
    previous: Option<&PageRecord>,
    recall: Option<Recall<'_>>,
) -> (PageRecord, bool) {
    let remember = recall.map(|recall| Remember {
        bodies: recall.bodies,
        previous,
        site_view: recall.site_view,
    });
    let source = job_source(site, job);
    let result = crate::diagnostics::catch_panic(&source, || {
        reads::recording(|| render_job(site, tools, sink, job, path, remember))
    });
    match result {
        Ok(((mut record, rendered), parts)) => {
            if let Some(recall) = recall {
                record.reads = Some(recall.compare.now.keys(&parts).into());
            }
            (record, rendered)
        }
        Err(panic) => {
            let record = PageRecord {
                problems: vec![panic],
                ..PageRecord::default()
            };
            (record, true)
        }
    }
}

fn page_jobs(site: &Site) -> Vec<PageJob> {
    let mut jobs: Vec<PageJob> = (0..site.articles.len()).map(PageJob::Article).collect();
    jobs.extend((0..site.sections.len()).map(PageJob::Section));
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        jobs.push(PageJob::Taxonomy(t));
        jobs.extend((0..taxonomy.terms.len()).map(|i| PageJob::Term(t, i)));
    }
    for language in 0..site.languages.len() {
        if site.options.search {
            jobs.push(PageJob::Search(language));
        }
        jobs.push(PageJob::NotFound(language));
    }
    jobs
}

/// What the templates say of each article before rendering (a `template:`
/// that names no template, calls to unknown shortcodes) and of each section
/// index. With a memory, an article it holds at the same place (the same
/// `Arc`: the same file read the same way) keeps its findings; the
/// templates are the memory's.
fn check_against_templates(
    site: &Site,
    templates: &Templates,
    memory: &mut RenderMemory,
) -> Vec<Diagnostic> {
    let known = shortcodes::known_names(templates);
    let check = |article: &std::sync::Arc<SourceArticle>| {
        let mut findings: Vec<Diagnostic> =
            article_template(article, templates).into_iter().collect();
        findings.extend(shortcodes::check_names(&article.source, &known, templates));
        findings
    };
    let articles: Vec<std::sync::Arc<SourceArticle>> = (site.articles.iter())
        .map(|a| std::sync::Arc::clone(&a.source))
        .collect();
    let mut once = ArticleList::default();
    let found = if memory.enabled {
        &mut memory.checks
    } else {
        &mut once
    };
    found.update(&articles, check);
    let sections = site
        .sections
        .iter()
        .filter_map(|s| s.source.index.as_ref())
        .flat_map(|source| shortcodes::check_names(source, &known, templates));
    let include = shortcodes::include_template_warning(templates);
    (found.values().flatten().cloned())
        .chain(sections)
        .chain(include)
        .collect()
}

/// An article's `template:` that names no template is reported at the article.
fn article_template(article: &SourceArticle, templates: &Templates) -> Option<Diagnostic> {
    let name = article.front.template.as_deref()?;
    (!templates.contains(name)).then(|| {
        let source = &article.source;
        let offset =
            crate::content::front_matter::key_offset(&source.text, source.body_start, "template")
                .unwrap_or(0);
        Diagnostic::error(
            "template",
            &source.path,
            format!("`template: {name}` names no template"),
        )
        .at_offset(&source.text, offset)
        .with_help(format!(
            "add templates/{name}, or remove the `template` line to use article.html"
        ))
    })
}
