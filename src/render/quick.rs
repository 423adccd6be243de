//! Rendering a few pages, for the preview server's quick path (see
//! `serve::preview`): after an edit that changes one article's text, title
//! or description, only the pages that can show the change are looked at, and
//! each is rendered only if its view differs from the last one.

use super::{pages, render_each, shortcodes, PageJob, PageSink, RenderMemory, Templates};
use crate::diagnostics::Diagnostic;
use crate::markdown::highlight::Highlighter;
use crate::site::{ArticleId, Site};

/// Renders some pages again after an edit that changed nothing other pages
/// show (the preview server's quick paths; see `serve::preview`), comparing
/// each page's view with the last one as [`render_changed`] does, and updates
/// `memory`. The site view and the templates are those of the last full
/// render. Returns the pages' problems.
pub fn render_jobs(
    site: &Site,
    templates: &Templates,
    highlighter: &Highlighter,
    sink: &dyn PageSink,
    memory: &mut RenderMemory,
    jobs: &[PageJob],
) -> (usize, Vec<Diagnostic>) {
    let tools = pages::Tools {
        highlighter,
        templates,
    };
    let results = render_each(site, tools, sink, jobs, memory, None);
    let mut problems = Vec::new();
    let mut rendered = 0;
    for (path, hash, page_problems, fresh) in results {
        rendered += usize::from(fresh);
        problems.extend(page_problems.iter().cloned());
        memory.pages.insert(path, (hash, page_problems));
    }
    (rendered, problems)
}

/// Calls to shortcodes no template defines, in one article.
pub fn unknown_shortcodes(site: &Site, templates: &Templates, id: ArticleId) -> Vec<Diagnostic> {
    let known = shortcodes::known_names(templates);
    shortcodes::check_names(&site.articles[id].source.source, &known, templates)
}

/// The pages whose view shows article `id`'s title or description (a
/// superset): its own page, the category lists around it, the articles that
/// list it as related or that it links to (their backlinks), its neighbours,
/// its sections up to the home page, and its terms.
pub fn pages_showing(site: &Site, id: ArticleId) -> Vec<PageJob> {
    let article = &site.articles[id];
    let mut jobs = vec![PageJob::Article(id)];
    let limit = site.config.related.category_limit.max(1);
    for term in &article.terms {
        jobs.push(PageJob::Term(term.taxonomy, term.term));
        let members = &site.taxonomies[term.taxonomy].terms[term.term].articles;
        if let Some(at) = members.iter().position(|&a| a == id) {
            let near = &members[at.saturating_sub(limit)..(at + limit + 1).min(members.len())];
            jobs.extend(near.iter().map(|&a| PageJob::Article(a)));
        }
    }
    for (other, candidate) in site.articles.iter().enumerate() {
        if candidate.related.contains(&id) || candidate.backlinks.contains(&id) {
            jobs.push(PageJob::Article(other));
        }
    }
    let section = &site.sections[article.source.section];
    for neighbour in [id.wrapping_sub(1), id + 1] {
        if section.articles.contains(&neighbour) {
            jobs.push(PageJob::Article(neighbour));
        }
    }
    jobs.extend(
        site.ancestry(article.source.section)
            .into_iter()
            .map(PageJob::Section),
    );
    jobs.sort_unstable();
    jobs.dedup();
    jobs
}
