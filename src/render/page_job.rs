//! One page: its view built (recording what it read of the site), its body
//! made or taken from the memory, and the whole rendered through its
//! template, unless its inputs hash as they did last time. Also where each
//! page goes and which file it comes from.

use serde::Serialize;

use super::memory::{view_hash, PageRecord, Remember};
use super::strings::StringTable;
use super::{languages, page_language, pages, views, PageJob, PageSink, Templates};
use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// Renders one page unless its inputs hash as they did last time; returns
/// what it was made of and whether it was rendered.
pub(super) fn render_job(
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
pub(super) struct Locale<'a> {
    language: &'a str,
    strings: &'a StringTable,
}

/// Where a page goes and how it is made, besides its view.
#[derive(Clone, Copy)]
pub(super) struct Page<'a> {
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
pub(super) struct PageContext<'a> {
    site: Option<&'a views::SiteView>,
    i18n: Option<languages::I18nView>,
}

/// A page's Markdown body: remembered when its key is, else rendered (and
/// remembered).
pub(super) fn body_html(
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
pub(super) fn render_with_body<V: Serialize + views::WithBody>(
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
pub(super) fn render_plain<V: Serialize>(
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
pub(super) fn page_hash<V: Serialize>(view: &V, body_key: u64, page: Page<'_>) -> u64 {
    let language = page.locale.language;
    view_hash(&(view, language, page.context), body_key, page.template)
}

pub(super) fn finish(
    result: Result<(), Diagnostic>,
    hash: u64,
    mut problems: Vec<Diagnostic>,
) -> PageRecord {
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
pub(super) fn job_output(site: &Site, job: PageJob) -> String {
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
pub(super) fn job_source(site: &Site, job: PageJob) -> std::path::PathBuf {
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
pub(super) fn page_file(path: &str) -> String {
    format!("{path}index.html")
}

/// Renders a page with its view as `page`, its language as `lang` and that
/// language's strings as `strings`.
pub(super) fn render_page<V: Serialize>(
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
