//! `kbgen import`: turns a site kept in another tool (Grav, Hugo, Jekyll,
//! MkDocs, Docusaurus, Zola) into a kbgen site, and reports every construct it
//! could not convert at its place in the source file.
//!
//! Three steps, one way: a tool's module lays the source out as a [`Plan`]
//! (which file becomes which article or section, which assets go where); every
//! page is converted on its own (front matter, then body) into text and
//! findings; the pages, assets and `kbgen.yaml` are written into a folder that
//! was empty. The source is only ever read. Nothing is dropped silently: what
//! could not be converted stays visible in the article and is a finding.

mod body;
mod dates;
mod docusaurus;
mod extensions;
mod fields;
mod front;
mod grav;
mod headings;
mod hugo;
mod inline;
mod jekyll;
mod kramdown;
mod links;
mod mkdocs;
mod notices;
mod plan;
mod snippets;
mod tags;
mod terms;
mod translations;
mod tree;
mod write;
mod zola;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
pub use plan::{Copy, Plan, PlannedPage};

/// The tools a site can be imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Grav,
    Hugo,
    Jekyll,
    Mkdocs,
    Docusaurus,
    Zola,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Grav => "Grav",
            Tool::Hugo => "Hugo",
            Tool::Jekyll => "Jekyll",
            Tool::Mkdocs => "MkDocs",
            Tool::Docusaurus => "Docusaurus",
            Tool::Zola => "Zola",
        }
    }
}

/// What `kbgen import` is asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub tool: Tool,
    /// The source site's root folder; never written to.
    pub source: PathBuf,
    /// The new kbgen site's root; missing or empty.
    pub into: PathBuf,
}

/// How much was converted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub articles: usize,
    pub sections: usize,
    /// Files copied beside articles (under `content/`).
    pub assets: usize,
    /// Files copied to `static/`.
    pub static_files: usize,
    /// Old URLs kept as `aliases`.
    pub aliases: usize,
    /// Redirect-only pages folded into their target's aliases.
    pub redirects: usize,
    /// Translations written beside their source page (`x.de.md`).
    pub translations: usize,
    /// The site's languages, when it has more than one.
    pub languages: usize,
    /// Pages the source tool never renders (headless bundles), not imported.
    pub left_out: usize,
    /// Shared text pages include, written to `content/_snippets/`.
    pub snippets: usize,
}

/// The result of an import: the counts and every construct not converted,
/// each a warning at its place in the source file (`code` is its kind,
/// `import/...`), sorted by kind, then file and line.
#[derive(Debug, Default)]
pub struct Imported {
    pub counts: Counts,
    pub findings: Vec<Diagnostic>,
}

/// Imports `options.source` into `options.into`.
///
/// Errors: a destination that is the source, inside it, or not empty; a
/// source that is not a site of the tool; a file that cannot be written. A
/// source file that cannot be read is a finding (an error), not a stop.
pub fn import(options: &ImportOptions) -> Result<Imported, Diagnostic> {
    write::check_destination(&options.source, &options.into)?;
    let plan = match options.tool {
        Tool::Grav => grav::plan(&options.source)?,
        Tool::Hugo => hugo::plan(&options.source)?,
        Tool::Jekyll => jekyll::plan(&options.source)?,
        Tool::Mkdocs => mkdocs::plan(&options.source)?,
        Tool::Docusaurus => docusaurus::plan(&options.source)?,
        Tool::Zola => zola::plan(&options.source)?,
    };
    let mut plan = plan;
    snippets::plan_snippets(options.tool, &options.source, &mut plan);
    let snippet_index = snippets::SnippetIndex::new(options.tool, &options.source, &plan);
    plan::fold_pages_into_same_named_folders(&mut plan);
    plan::move_off_repository_names(&mut plan);
    let languages = translations::settle(&mut plan, &options.source);
    plan.copies.retain(|copy| {
        let kept = copy.target != "content/CNAME";
        if !kept {
            plan.findings.push(
                Diagnostic::warning(
                    "import/collision",
                    options.source.join(&copy.source),
                    "a CNAME file is the host's setting, not content: not copied",
                )
                .at(1, 1),
            );
        }
        kept
    });
    let no_pages = links::PageIndex::default();
    let fronts: Vec<front::FrontConverted> = plan
        .pages
        .par_iter()
        .map(|page| convert_front(options, &no_pages, &snippet_index, page, &plan))
        .collect();
    let mut fronts = fronts;
    leave_out_below_headless_sections(&mut fronts);
    let index = links::PageIndex::new(&plan, &fronts, options.tool != Tool::Docusaurus);
    let converted: Vec<front::ConvertedPage> = plan
        .pages
        .par_iter()
        .zip(fronts)
        .map(|(page, front)| {
            let shown = shown_path(&options.source, &page.source);
            let context = context(options, &index, &snippet_index, page, &shown, &plan);
            front::convert_body(front, &context)
        })
        .collect();
    let snippet_pages: Vec<PlannedPage> = plan.snippets.iter().map(snippets::as_page).collect();
    let converted_snippets: Vec<((String, String), Vec<Diagnostic>)> = plan
        .snippets
        .par_iter()
        .zip(&snippet_pages)
        .map(|(snippet, page)| {
            let shown = shown_path(&options.source, &snippet.source);
            let context = body::Context {
                included_from: snippet.included_from.as_deref(),
                ..context(options, &index, &snippet_index, page, &shown, &plan)
            };
            match read_page(options, page) {
                Ok(text) => {
                    let (body, found) = snippets::convert(&text, options.tool, &context);
                    ((snippet.name.clone(), body), found)
                }
                Err(finding) => ((snippet.name.clone(), String::new()), vec![finding]),
            }
        })
        .collect();
    let mut findings = plan.findings.clone();
    let (left_out, converted): (Vec<_>, Vec<_>) =
        converted.into_iter().partition(|page| page.left_out);
    for page in &left_out {
        findings.push(
            Diagnostic::warning(
                "import/left-out",
                &page.shown,
                "a headless page, which the source never renders: not imported",
            )
            .at(1, 1),
        );
    }
    let mut pages = plan::settle_urls(converted, &mut findings);
    findings.extend(terms::settle_terms(&mut pages));
    let mut counts = write::write_site(options, &plan, &languages, &pages, &mut findings)?;
    let (written, found): (Vec<(String, String)>, Vec<Vec<Diagnostic>>) =
        converted_snippets.into_iter().unzip();
    findings.extend(found.into_iter().flatten());
    counts.snippets = snippets::write(&options.into, &written)?;
    counts.left_out = plan.left_out + left_out.len();
    counts.redirects = pages.iter().filter(|p| p.redirect.is_some()).count();
    findings.sort_by(|a, b| {
        (a.code, &a.path, a.line, a.column).cmp(&(b.code, &b.path, b.line, b.column))
    });
    Ok(Imported { counts, findings })
}

/// Pages under a section whose `cascade` never renders them are left out
/// with it.
fn leave_out_below_headless_sections(fronts: &mut [front::FrontConverted]) {
    let folders: Vec<String> = fronts
        .iter()
        .filter(|f| f.page.leaves_out_below)
        .map(|f| format!("{}/", plan::parent(&f.page.target)))
        .collect();
    for front in fronts.iter_mut() {
        if folders
            .iter()
            .any(|folder| front.page.target.starts_with(folder.as_str()))
        {
            front.page.left_out = true;
        }
    }
}

/// A page's text, line ends normalized; an unreadable file is an error
/// finding.
fn read_page(options: &ImportOptions, page: &PlannedPage) -> Result<String, Diagnostic> {
    let path = options.source.join(&page.source);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            Ok(crate::diagnostics::normalize_line_ends(&text).into_owned())
        }
        Err(error) => Err(Diagnostic::error(
            "import/unreadable",
            shown_path(&options.source, &page.source),
            error.to_string(),
        )),
    }
}

/// One page's front matter (its body waits for the index of every page).
/// An unreadable file becomes an article that says so, so the page and its
/// URL are not lost.
fn convert_front(
    options: &ImportOptions,
    index: &links::PageIndex,
    snippets: &snippets::SnippetIndex,
    page: &PlannedPage,
    plan: &Plan,
) -> front::FrontConverted {
    let shown = shown_path(&options.source, &page.source);
    if page.synthetic {
        return front::FrontConverted::done(front::ConvertedPage::synthetic(page, shown));
    }
    match read_page(options, page) {
        Ok(text) => front::convert_front(
            &text,
            &context(options, index, snippets, page, &shown, plan),
        ),
        Err(finding) => {
            front::FrontConverted::done(front::ConvertedPage::unreadable(page, finding))
        }
    }
}

fn context<'a>(
    options: &'a ImportOptions,
    index: &'a links::PageIndex,
    snippets: &'a snippets::SnippetIndex,
    page: &'a PlannedPage,
    shown: &'a Path,
    plan: &'a Plan,
) -> body::Context<'a> {
    body::Context {
        tool: options.tool,
        page,
        index,
        shown,
        templates: options.tool != Tool::Grav || plan.settings.twig,
        settings: &plan.settings,
        source_root: &options.source,
        snippets,
        included_from: None,
    }
}

/// How a source file is named in findings: the source folder as given, joined
/// with the file's path inside it.
fn shown_path(source: &Path, relative: &str) -> PathBuf {
    source.join(relative)
}
