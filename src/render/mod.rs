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
use serde::Serialize;

use crate::content::SectionId;
use crate::diagnostics::Diagnostic;
use crate::markdown::highlight::Highlighter;
use crate::site::{ArticleId, Site, TaxonomyId};
pub use memory::RenderMemory;
use memory::{view_hash, Compare, PageRecord, Pending, Remember};
/// The raw-HTML URL rewriting of article bodies, public for the `raw_html` fuzz target.
pub use raw_html::rewrite_urls;
use strings::{StringTable, StringTables};
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
    render_changed(site, theme, sink, &mut memory, progress)
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
/// (all of them on a fresh memory). What this render found is kept in
/// `memory` as pending: [`RenderMemory::commit`] keeps it when the output is
/// published, [`RenderMemory::discard`] forgets it.
pub fn render_changed(
    site: &Site,
    theme: Theme<'_>,
    sink: &dyn PageSink,
    memory: &mut RenderMemory,
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
        (hash, reads::Fingerprints::of(site))
    } else {
        (0, reads::Fingerprints::default())
    };
    // A new site view (or the first render) changes every page.
    let empty = HashMap::default();
    let previous = if memory.enabled && site_hash == memory.site_view {
        &memory.pages
    } else {
        &empty
    };
    templates.global_context().insert("site", site_view);
    let templates = &*templates;
    let tools = pages::Tools {
        highlighter,
        templates,
        strings,
        site_views: &site_views,
    };
    let jobs = page_jobs(site);
    if let Some(progress) = progress {
        progress
            .total
            .store(jobs.len(), std::sync::atomic::Ordering::Relaxed);
    }
    let changed = fingerprints.changed_since(&memory.fingerprints);
    let compare = Compare {
        now: &fingerprints,
        changed: &changed,
    };
    let remembered = memory
        .enabled
        .then_some((previous, &memory.bodies, site_hash, compare));
    let results = render_each(site, tools, sink, &jobs, remembered, progress);
    let mut stats = RenderStats {
        pages: results.len(),
        rendered: 0,
    };
    let mut pages = HashMap::with_capacity_and_hasher(results.len(), Default::default());
    for (path, record, rendered) in results {
        stats.rendered += usize::from(rendered);
        problems.extend(record.problems.iter().cloned());
        pages.insert(path, record);
    }
    if memory.enabled {
        memory.pending = Some(Pending {
            pages,
            site_view: site_hash,
            fingerprints,
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

/// What rendering one page gave: its output path, what it was made of, and
/// whether it was rendered (rather than found unchanged).
type Rendered = (String, PageRecord, bool);

/// What a render remembers: the last page records, the bodies, this
/// render's site view hash, and the fingerprints to compare.
type Remembered<'a> = (
    &'a HashMap<String, PageRecord>,
    &'a std::sync::Mutex<HashMap<u64, (String, Vec<Diagnostic>)>>,
    u64,
    Compare<'a>,
);

/// Renders `jobs` in parallel. With a memory, a page whose recorded reads
/// all kept their fingerprints is taken as it was, without building its
/// view; another page is built, and rendered unless its view hashes as
/// before. Threads take pages in order (rather than each a half of the
/// list), so pages come out roughly in site order, which the search indexer
/// follows; results are keyed by path and problems sorted, so the order they
/// finish in does not matter.
fn render_each(
    site: &Site,
    tools: pages::Tools<'_>,
    sink: &dyn PageSink,
    jobs: &[PageJob],
    remembered: Option<Remembered<'_>>,
    progress: Option<&Progress>,
) -> Vec<Rendered> {
    jobs.iter()
        .par_bridge()
        .map(|&job| {
            if let Some(progress) = progress {
                progress
                    .done
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            let path = job_output(site, job);
            let previous = remembered.and_then(|(pages, ..)| pages.get(&path));
            if let (Some(previous), Some((_, _, _, compare))) = (previous, remembered) {
                let unchanged = previous
                    .reads
                    .as_deref()
                    .is_some_and(|keys| compare.unchanged(keys));
                if unchanged {
                    return (path, previous.clone(), false);
                }
            }
            let remember = remembered.map(|(_, bodies, site_view, _)| Remember {
                bodies,
                previous,
                site_view,
            });
            let source = job_source(site, job);
            let result = crate::diagnostics::catch_panic(&source, || {
                reads::recording(|| render_job(site, tools, sink, job, &path, remember))
            });
            let (record, rendered) = match result {
                Ok(((mut record, rendered), parts)) => {
                    if let Some((_, _, _, compare)) = remembered {
                        record.reads = Some(compare.now.keys(&parts).into());
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
            };
            (path, record, rendered)
        })
        .collect()
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
/// index. With a memory, an article it holds (the same `Arc`: the same file
/// read the same way) keeps its findings; the templates are the memory's.
fn check_against_templates(
    site: &Site,
    templates: &Templates,
    memory: &mut RenderMemory,
) -> Vec<Diagnostic> {
    let known = shortcodes::known_names(templates);
    let memo = &memory.checks;
    let found: Vec<Vec<Diagnostic>> = site
        .articles
        .par_iter()
        .map(|a| match memo.get(&a.source) {
            Some(findings) => findings.clone(),
            None => {
                let mut findings: Vec<Diagnostic> =
                    article_template(a, templates).into_iter().collect();
                findings.extend(shortcodes::check_names(&a.source.source, &known, templates));
                findings
            }
        })
        .collect();
    if memory.enabled {
        memory
            .checks
            .keep(site.articles.iter().map(|a| &a.source), &found);
    }
    let sections = site
        .sections
        .iter()
        .filter_map(|s| s.source.index.as_ref())
        .flat_map(|source| shortcodes::check_names(source, &known, templates));
    let include = shortcodes::include_template_warning(templates);
    found
        .into_iter()
        .flatten()
        .chain(sections)
        .chain(include)
        .collect()
}

/// An article's `template:` that names no template is reported at the article.
fn article_template(a: &crate::site::Article, templates: &Templates) -> Option<Diagnostic> {
    let name = a.source.front.template.as_deref()?;
    (!templates.contains(name)).then(|| {
        let source = &a.source.source;
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

/// Renders one page unless its inputs hash as they did last time; returns
/// what it was made of and whether it was rendered.
fn render_job(
    site: &Site,
    tools: pages::Tools<'_>,
    sink: &dyn PageSink,
    job: PageJob,
    path: &str,
    remember: Option<Remember<'_>>,
) -> (PageRecord, bool) {
    let templates = tools.templates;
    let site_view = remember.map_or(0, |r| r.site_view);
    let language = page_language(site, job);
    let locale = Locale {
        language,
        strings: tools.strings.get(language),
    };
    let strings = locale.strings;
    let context = PageContext {
        site: match languages::job_language(site, job) {
            0 => None,
            l => tools.site_views.get(l),
        },
        i18n: languages::i18n_view(site, job),
    };
    let as_page = |template| Page {
        template,
        locale,
        path,
        context: &context,
    };
    match job {
        PageJob::Article(id) => {
            let article = &site.articles[id];
            let template = article
                .source
                .front
                .template
                .as_deref()
                .filter(|t| templates.contains(t))
                .unwrap_or("article.html");
            let page = pages::article_shortcode_page(site, id);
            let body = pages::BodyInput {
                source: &article.source.source,
                link_targets: &article.link_targets,
                page: &page,
                strings,
                site_view,
            };
            let view = pages::article_view(site, id, strings);
            render_with_body(tools, sink, as_page(template), view, Some(body), remember)
        }
        PageJob::Section(id) => {
            let section = &site.sections[id];
            let template = if section.source.parent.is_none() {
                "index.html"
            } else {
                "section.html"
            };
            let page = pages::section_shortcode_page(site, id);
            let body = section
                .source
                .index
                .as_deref()
                .map(|source| pages::BodyInput {
                    source,
                    link_targets: &section.link_targets,
                    page: &page,
                    strings,
                    site_view,
                });
            let view = pages::section_view(site, id, strings);
            render_with_body(tools, sink, as_page(template), view, body, remember)
        }
        PageJob::Taxonomy(t) => {
            let view = pages::taxonomy_view(site, t, strings);
            render_plain(templates, sink, as_page("taxonomy.html"), &view, remember)
        }
        PageJob::Term(t, i) => {
            let view = pages::term_view(site, t, i, strings);
            render_plain(templates, sink, as_page("term.html"), &view, remember)
        }
        PageJob::Search(l) => {
            let view = pages::search_view(site, l, strings);
            render_plain(templates, sink, as_page("search.html"), &view, remember)
        }
        PageJob::NotFound(l) => {
            let view = pages::not_found_view(site, l, strings);
            render_plain(templates, sink, as_page("404.html"), &view, remember)
        }
    }
}

/// A page's language and its strings.
#[derive(Clone, Copy)]
struct Locale<'a> {
    language: &'a str,
    strings: &'a StringTable,
}

/// Where a page goes and how it is made, besides its view.
#[derive(Clone, Copy)]
struct Page<'a> {
    template: &'a str,
    locale: Locale<'a>,
    /// The output path.
    path: &'a str,
    context: &'a PageContext<'a>,
}

/// What a page's template sees besides `page`, `lang` and `strings`: the
/// site as its language sees it (none: the default language's, set once
/// for all pages), and its translations (`i18n`, see [`languages`]).
#[derive(Serialize)]
struct PageContext<'a> {
    site: Option<&'a views::SiteView>,
    i18n: Option<languages::I18nView>,
}

/// A page's Markdown body: remembered when its key is, else rendered (and
/// remembered).
fn body_html(
    body: &pages::BodyInput<'_>,
    key: u64,
    tools: pages::Tools<'_>,
    remember: Option<Remember<'_>>,
) -> (String, Vec<Diagnostic>) {
    let Some(Remember { bodies, .. }) = remember else {
        return body.render(tools);
    };
    if let Some(known) = bodies.lock().ok().and_then(|b| b.get(&key).cloned()) {
        return known;
    }
    let fresh = body.render(tools);
    if let Ok(mut b) = bodies.lock() {
        b.insert(key, fresh.clone());
    }
    fresh
}

/// A page with a Markdown body (article, section). Whether it changed is
/// decided from its view and its body's key alone, so an unchanged page costs
/// neither its body nor a copy of it.
fn render_with_body<V: Serialize + views::WithBody>(
    tools: pages::Tools<'_>,
    sink: &dyn PageSink,
    page: Page<'_>,
    mut view: V,
    body: Option<pages::BodyInput<'_>>,
    remember: Option<Remember<'_>>,
) -> (PageRecord, bool) {
    let key = remember.and(body.as_ref()).map(pages::BodyInput::key);
    let hash = remember.map_or(0, |_| page_hash(&view, key.unwrap_or(0), page));
    if Remember::unchanged(remember, hash) {
        let problems = remember
            .and_then(|r| r.previous)
            .map(|p| p.problems.clone())
            .unwrap_or_default();
        let record = PageRecord {
            hash,
            body: key,
            problems,
            reads: None,
        };
        return (record, false);
    }
    let (html, problems) = match &body {
        Some(body) => body_html(body, key.unwrap_or(0), tools, remember),
        None => (String::new(), Vec::new()),
    };
    view.set_body(html);
    let record = finish(
        render_page(tools.templates, sink, page, &view),
        hash,
        problems,
    );
    (
        PageRecord {
            body: key,
            ..record
        },
        true,
    )
}

/// A page without a Markdown body.
fn render_plain<V: Serialize>(
    templates: &Templates,
    sink: &dyn PageSink,
    page: Page<'_>,
    view: &V,
    remember: Option<Remember<'_>>,
) -> (PageRecord, bool) {
    let hash = remember.map_or(0, |_| page_hash(view, 0, page));
    if Remember::unchanged(remember, hash) {
        let record = PageRecord {
            hash,
            ..PageRecord::default()
        };
        return (record, false);
    }
    let record = finish(render_page(templates, sink, page, view), hash, Vec::new());
    (record, true)
}

/// A hash of what a page is made of besides the templates and site view:
/// its view, body, template and language (the strings are in the site
/// view's hash).
fn page_hash<V: Serialize>(view: &V, body_key: u64, page: Page<'_>) -> u64 {
    let language = page.locale.language;
    view_hash(&(view, language, page.context), body_key, page.template)
}

fn finish(result: Result<(), Diagnostic>, hash: u64, mut problems: Vec<Diagnostic>) -> PageRecord {
    if let Err(problem) = result {
        problems.push(problem);
    }
    PageRecord {
        hash,
        body: None,
        problems,
        reads: None,
    }
}

/// The output path of a page.
fn job_output(site: &Site, job: PageJob) -> String {
    match job {
        PageJob::Article(id) => page_file(&site.articles[id].path),
        PageJob::Section(id) => page_file(&site.sections[id].path),
        PageJob::Taxonomy(t) => page_file(&site.taxonomies[t].path),
        PageJob::Term(t, i) => page_file(&site.taxonomies[t].terms[i].path),
        PageJob::Search(l) => page_file(&format!(
            "{}{}",
            site.languages[l].config.prefix,
            crate::site::SEARCH_PAGE
        )),
        PageJob::NotFound(l) => format!(
            "{}{}",
            site.languages[l].config.prefix,
            crate::site::generated::NOT_FOUND
        ),
    }
}

/// The file a page comes from, for reporting a failure on it.
fn job_source(site: &Site, job: PageJob) -> std::path::PathBuf {
    match job {
        PageJob::Article(id) => site.articles[id].source.source.path.clone(),
        PageJob::Section(id) => match &site.sections[id].source.index {
            Some(index) => index.path.clone(),
            None => std::path::Path::new("content").join(&site.sections[id].source.content_path),
        },
        PageJob::Taxonomy(_) | PageJob::Term(..) => crate::config::CONFIG_FILE.into(),
        PageJob::Search(_) => "templates/search.html".into(),
        PageJob::NotFound(_) => "templates/404.html".into(),
    }
}

/// `a/b/` → `a/b/index.html`.
fn page_file(path: &str) -> String {
    format!("{path}index.html")
}

/// Renders a page with its view as `page`, its language as `lang` and that
/// language's strings as `strings`.
fn render_page<V: Serialize>(
    templates: &Templates,
    sink: &dyn PageSink,
    page: Page<'_>,
    view: &V,
) -> Result<(), Diagnostic> {
    let Page {
        template,
        locale,
        path,
        context: page_context,
    } = page;
    let mut context = tera::Context::new();
    context.insert("page", view);
    context.insert("lang", locale.language);
    context.insert("strings", locale.strings);
    if let Some(site) = page_context.site {
        context.insert("site", site);
    }
    context.insert("i18n", &page_context.i18n);
    let html = templates
        .tera()
        .render(template, &context)
        .map_err(|e| templates.diagnostic(&e))?;
    sink.write(path, html.as_bytes())
        .map_err(|e| Diagnostic::error("io", path, format!("cannot write: {e}")))
}
