//! Rendering: every page of the [`Site`] through Tera, in parallel.
//!
//! Each page is rendered on its own from the shared, read-only site and handed
//! to a [`PageSink`] as soon as it is done (a folder for `build`, memory for
//! tests and `serve`), so the whole site is never held as HTML at once. Output
//! bytes do not depend on thread timing: a page's HTML depends only on the site.

mod pages;
pub mod shortcodes;
pub mod templates;
pub mod views;

use std::io;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::SectionId;
use crate::diagnostics::Diagnostic;
use crate::markdown::highlight::Highlighter;
use crate::site::{ArticleId, Site, TaxonomyId};
pub use templates::Templates;

/// Where rendered pages go. `path` is relative to the output root, with `/`.
pub trait PageSink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;

    /// Copies a file from disk; sinks that can copy without reading override it.
    fn copy(&self, path: &str, from: &std::path::Path) -> io::Result<()> {
        self.write(path, &std::fs::read(from)?)
    }
}

/// The file holding the highlighting colours, at the output root.
pub const HIGHLIGHT_CSS: &str = "highlight.css";

/// One page to render.
#[derive(Debug, Clone, Copy)]
enum PageJob {
    Article(ArticleId),
    Section(SectionId),
    Taxonomy(TaxonomyId),
    Term(TaxonomyId, usize),
    NotFound,
}

/// Counts of what a render wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct RenderStats {
    pub pages: usize,
}

/// Renders every page of `site` into `sink`; returns what went wrong.
pub fn render_site(
    site: &Site,
    templates: &mut Templates,
    highlighter: &Highlighter,
    sink: &dyn PageSink,
) -> (RenderStats, Vec<Diagnostic>) {
    templates
        .global_context()
        .insert("site", &pages::site_view(site));
    let templates = &*templates;
    let mut problems = check_article_templates(site, templates);
    problems.extend(check_shortcode_names(site, templates));
    let tools = pages::Tools {
        highlighter,
        templates,
    };
    let jobs = page_jobs(site);
    let results: Vec<Vec<Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let source = job_source(site, *job);
            crate::diagnostics::catch_panic(&source, || render_job(site, tools, sink, *job))
                .unwrap_or_else(|panic| vec![panic])
        })
        .collect();
    problems.extend(results.into_iter().flatten());
    if let Err(e) = sink.write(HIGHLIGHT_CSS, highlighter.stylesheet().as_bytes()) {
        problems.push(Diagnostic::error(
            "io",
            HIGHLIGHT_CSS,
            format!("cannot write: {e}"),
        ));
    }
    (RenderStats { pages: jobs.len() }, problems)
}

fn page_jobs(site: &Site) -> Vec<PageJob> {
    let mut jobs: Vec<PageJob> = (0..site.articles.len()).map(PageJob::Article).collect();
    jobs.extend((0..site.sections.len()).map(PageJob::Section));
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        jobs.push(PageJob::Taxonomy(t));
        jobs.extend((0..taxonomy.terms.len()).map(|i| PageJob::Term(t, i)));
    }
    jobs.push(PageJob::NotFound);
    jobs
}

/// Every call to an unknown shortcode, in articles and section indexes.
fn check_shortcode_names(site: &Site, templates: &Templates) -> Vec<Diagnostic> {
    let known = shortcodes::known_names(templates);
    let sources = site
        .articles
        .iter()
        .map(|a| &a.source.source)
        .chain(site.sections.iter().filter_map(|s| s.source.index.as_ref()));
    sources
        .flat_map(|source| shortcodes::check_names(source, &known))
        .collect()
}

/// An article's `template:` that names no template is reported at the article.
fn check_article_templates(site: &Site, templates: &Templates) -> Vec<Diagnostic> {
    site.articles
        .iter()
        .filter_map(|a| {
            let name = a.source.front.template.as_deref()?;
            (!templates.contains(name)).then(|| {
                Diagnostic::error(
                    "template",
                    &a.source.source.path,
                    format!("`template: {name}` names no template"),
                )
                .with_help(
                    "add templates/{name}, or remove the `template` line to use article.html",
                )
            })
        })
        .collect()
}

fn render_job(
    site: &Site,
    tools: pages::Tools<'_>,
    sink: &dyn PageSink,
    job: PageJob,
) -> Vec<Diagnostic> {
    let templates = tools.templates;
    let (result, mut problems) = match job {
        PageJob::Article(id) => {
            let article = &site.articles[id];
            let template = article
                .source
                .front
                .template
                .as_deref()
                .filter(|t| templates.contains(t))
                .unwrap_or("article.html");
            let (view, problems) = pages::article_view(site, id, tools);
            (
                render_page(templates, sink, template, &view, &page_file(&article.path)),
                problems,
            )
        }
        PageJob::Section(id) => {
            let (view, problems) = pages::section_view(site, id, tools);
            let template = if id == 0 {
                "index.html"
            } else {
                "section.html"
            };
            let path = page_file(&site.sections[id].path);
            (
                render_page(templates, sink, template, &view, &path),
                problems,
            )
        }
        PageJob::Taxonomy(t) => {
            let view = pages::taxonomy_view(site, t);
            let path = page_file(&site.taxonomies[t].path);
            (
                render_page(templates, sink, "taxonomy.html", &view, &path),
                Vec::new(),
            )
        }
        PageJob::Term(t, i) => {
            let view = pages::term_view(site, t, i);
            let path = page_file(&site.taxonomies[t].terms[i].path);
            (
                render_page(templates, sink, "term.html", &view, &path),
                Vec::new(),
            )
        }
        PageJob::NotFound => {
            let view = pages::not_found_view(site);
            (
                render_page(templates, sink, "404.html", &view, "404.html"),
                Vec::new(),
            )
        }
    };
    if let Err(problem) = result {
        problems.push(problem);
    }
    problems
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
        PageJob::NotFound => "templates/404.html".into(),
    }
}

/// `a/b/` → `a/b/index.html`.
fn page_file(path: &str) -> String {
    format!("{path}index.html")
}

fn render_page<V: Serialize>(
    templates: &Templates,
    sink: &dyn PageSink,
    template: &str,
    view: &V,
    path: &str,
) -> Result<(), Diagnostic> {
    let mut context = tera::Context::new();
    context.insert("page", view);
    let html = templates
        .tera()
        .render(template, &context)
        .map_err(|e| templates.diagnostic(&e))?;
    sink.write(path, html.as_bytes())
        .map_err(|e| Diagnostic::error("io", path, format!("cannot write: {e}")))
}
