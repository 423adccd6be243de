//! Link resolution and checking, once per build over every article and section
//! index: Markdown links and images, `href`/`src` in raw HTML, and `#anchors`.
//!
//! A link that resolves is rewritten to its final URL, in Markdown and in raw
//! HTML alike. One that would 404 — no such article, page or file, an
//! anchor the target does not have, a draft left out of the build — is a
//! `broken-link` diagnostic at the link's line and column, with the closest
//! existing target as a suggestion. `links.broken: warn` makes them warnings.
//! Links between articles also give each article its backlinks.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

mod anchors;
mod memory;

use anchors::{check_anchor, Anchors};
pub(super) use memory::recheck;
pub use memory::LinkMemory;
use memory::{world, Remembered};

use super::urls::{Resolution, Target};
use super::{ArticleId, Site};
use crate::config::{BrokenLinks, MissingTranslation};
use crate::content::scan::LinkRef;
use crate::content::SourceText;
use crate::diagnostics::Diagnostic;

/// What checking the links of one file gave.
#[derive(Default, Clone)]
struct Checked {
    targets: Arc<HashMap<String, String>>,
    /// Articles this file links to.
    links_to: Vec<ArticleId>,
    problems: Vec<Diagnostic>,
    /// Whether an answer came from the site paths' tables (see [`World`]), or
    /// a problem's suggestion from every page: then any change of pages may
    /// change what checking gives.
    reads_pages: bool,
}

/// Resolves every link of every article and section index, in parallel, and
/// fills in link targets and backlinks. With a memory, an article whose text,
/// page and world are as they were keeps what it had.
pub(super) fn resolve_all(
    site: &mut Site,
    problems: &mut Vec<Diagnostic>,
    memory: Option<&mut LinkMemory>,
) {
    let anchors = Anchors::collect(site);
    let world = memory.as_ref().map(|_| world(site));
    let remembered = memory
        .as_deref()
        .filter(|m| Some(m.world.content) == world.map(|w| w.content))
        .map(|m| (&m.articles, Some(m.world.pages) == world.map(|w| w.pages)));
    let checked: Vec<(Checked, bool)> = site
        .articles
        .par_iter()
        .enumerate()
        .map(|(id, a)| {
            let kept = remembered.and_then(|(r, same_pages)| {
                r.get(&a.source.content_path).filter(|r| {
                    Arc::ptr_eq(&r.text, &a.source.source)
                        && r.page_path == a.path
                        && (same_pages || !r.reads_pages)
                })
            });
            if let Some(kept) = kept {
                let checked = Checked {
                    targets: Arc::clone(&kept.targets),
                    links_to: site.urls.articles_at(&kept.links_to),
                    problems: kept.problems.clone(),
                    reads_pages: kept.reads_pages,
                };
                return (checked, false);
            }
            (check_article(site, &anchors, id), true)
        })
        .collect();
    if let (Some(memory), Some(world)) = (memory, world) {
        if memory.world.content != world.content {
            memory.articles.clear();
        } else if memory.world.pages != world.pages {
            memory.articles.retain(|_, r| !r.reads_pages);
        }
        memory.world = world;
        let site = &*site;
        let fresh = site
            .articles
            .iter()
            .zip(&checked)
            .filter(|(_, (_, fresh))| *fresh);
        for (a, (c, _)) in fresh {
            let remembered = Remembered {
                text: Arc::clone(&a.source.source),
                page_path: a.path.clone(),
                targets: Arc::clone(&c.targets),
                links_to: c
                    .links_to
                    .iter()
                    .map(|&t| site.articles[t].source.content_path.clone())
                    .collect(),
                problems: c.problems.clone(),
                reads_pages: c.reads_pages,
            };
            memory
                .articles
                .insert(a.source.content_path.clone(), remembered);
        }
    }
    let checked: Vec<Checked> = checked.into_iter().map(|(c, _)| c).collect();
    let section_checked: Vec<Checked> = site
        .sections
        .iter()
        .enumerate()
        .map(|(id, s)| match &s.source.index {
            Some(index) => {
                let content_path = format!("{}/_index.md", s.source.content_path);
                let content_path = content_path.trim_start_matches('/');
                check_file(
                    site,
                    &anchors,
                    index,
                    content_path,
                    &s.path,
                    Target::Section(id),
                )
            }
            None => Checked::default(),
        })
        .collect();
    let mut backlinks: Vec<Vec<ArticleId>> = vec![Vec::new(); site.articles.len()];
    // A page lists the pages of its own language that link to it.
    let languages: Vec<_> = site.articles.iter().map(|a| a.language).collect();
    for (id, (article, checked)) in site.articles.iter_mut().zip(checked).enumerate() {
        article.link_targets = checked.targets;
        for target in checked.links_to {
            let same_language = languages[target] == languages[id];
            if target != id && same_language && !backlinks[target].contains(&id) {
                backlinks[target].push(id);
            }
        }
        problems.extend(checked.problems);
    }
    for (section, checked) in site.sections.iter_mut().zip(section_checked) {
        section.link_targets = checked.targets;
        problems.extend(checked.problems);
    }
    for (article, mut links) in site.articles.iter_mut().zip(backlinks) {
        links.sort_unstable();
        article.backlinks = links;
    }
}

/// [`check_file`] of an article.
fn check_article(site: &Site, anchors: &Anchors<'_>, id: ArticleId) -> Checked {
    let a = &site.articles[id];
    check_file(
        site,
        anchors,
        &a.source.source,
        &a.source.content_path,
        &a.path,
        Target::Article(id),
    )
}

fn check_file(
    site: &Site,
    anchors: &Anchors<'_>,
    source: &SourceText,
    content_path: &str,
    page_path: &str,
    this: Target,
) -> Checked {
    let mut checked = Checked::default();
    let mut targets = HashMap::new();
    // A destination is resolved once per file, and reported at every
    // occurrence: a docs team fixing a broken anchor wants all its lines.
    let mut outcomes: HashMap<(&str, bool, &str), Result<Option<String>, Broken>> = HashMap::new();
    let own_origin = own_origin(site);
    let language = site.target_language(this);
    for link in &source.scan.links {
        // A full URL of this very site is checked like a site path (and left
        // as written: it is meant to be absolute).
        let own_path = own_origin
            .as_deref()
            .and_then(|origin| link.dest.strip_prefix(origin))
            .filter(|rest| rest.starts_with('/'));
        // A link written in an included snippet (or defined there, for a
        // reference link) is relative to the snippet's file.
        let from = source
            .origin_content_path(link.defined_at.unwrap_or(link.offset))
            .unwrap_or(content_path);
        let resolution = site.urls.resolve_noting(
            from,
            page_path,
            own_path.unwrap_or(&link.dest),
            &site.base_path,
            &mut checked.reads_pages,
        );
        // In a translation, a link to a file (`x.md`, `@/a/x.md`) goes to
        // its translation; a site URL (`/a/x/`) stays what it says.
        let (resolution, fell_back) = match names_file(&link.dest) {
            true => site.resolution_in(resolution, language),
            false => (resolution, false),
        };
        if fell_back && site.config.links.missing_translation == MissingTranslation::Warn {
            checked
                .problems
                .push(no_translation(site, source, link, language));
        }
        if let Resolution::Page(Target::Article(target), _) | Resolution::Alias(target, _) =
            resolution
        {
            checked.links_to.push(target);
        }
        let outcome = outcomes
            .entry((link.dest.as_str(), link.raw_html, from))
            .or_insert_with(|| match draft_link(site, this, &resolution) {
                Some(broken) => Err(broken),
                None => link_url(site, anchors, this, &resolution, query_of(&link.dest)),
            });
        match outcome {
            // Raw HTML's URLs are rewritten too (`render::raw_html`): authors
            // write them relative to the file, as GitHub renders them.
            Ok(Some(url)) if own_path.is_none() => {
                // A page rewrites a destination one way wherever it is
                // written: the same relative path in a snippet and in the
                // page around it must mean the same page.
                match targets.insert(link.dest.clone(), url.clone()) {
                    Some(other) if other != *url => checked
                        .problems
                        .push(two_meanings(site, source, link, &other, url)),
                    _ => {}
                }
            }
            Ok(_) => {}
            Err(broken) => checked.problems.push(report(site, source, link, broken)),
        }
    }
    checked.targets = Arc::new(targets);
    // A problem's suggestion is the closest of every page and file.
    checked.reads_pages |= !checked.problems.is_empty();
    checked
}

/// Whether a destination names a Markdown file (`../x.md#a`), which a
/// translation's link means in its own language.
pub(super) fn names_file(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    path.ends_with(".md")
}

/// The scheme and host of `base_url` (`https://help.example.com`), whose full
/// URLs in content are this site's own.
fn own_origin(site: &Site) -> Option<String> {
    let with_path = site.config.origin_and_path()?;
    let path = site.base_path.trim_end_matches('/');
    Some(
        with_path
            .strip_suffix(path)
            .unwrap_or(&with_path)
            .to_string(),
    )
}

/// Why a link is broken: the message and an optional hint.
pub(super) struct Broken {
    message: String,
    help: Option<String>,
}

/// In `check`, drafts are in the model: a published article linking to one
/// would still 404 in the real build.
fn draft_link(site: &Site, this: Target, resolution: &Resolution) -> Option<Broken> {
    if !site.options.links_into_drafts_are_errors {
        return None;
    }
    let is_draft = |target: Target| matches!(target, Target::Article(id) if site.articles[id].source.front.draft);
    let Resolution::Page(target, _) = resolution else {
        return None;
    };
    (is_draft(*target) && !is_draft(this)).then(|| Broken {
        message: format!(
            "links to /{}, an article marked `draft: true`, which a build leaves out",
            site.target_path(*target)
        ),
        help: Some("publish the draft, or remove the link".to_string()),
    })
}

/// The `?query` of a link destination, with its `?` (or ""): a browser sends
/// it to the server, so the rewritten URL keeps it.
fn query_of(dest: &str) -> &str {
    let before_fragment = dest.split('#').next().unwrap_or(dest);
    before_fragment
        .find('?')
        .map_or("", |start| &before_fragment[start..])
}

/// The URL a resolved link is rewritten to (`None`: leave it as written),
/// with the link's `query` and `#anchor` kept.
fn link_url(
    site: &Site,
    anchors: &Anchors<'_>,
    this: Target,
    resolution: &Resolution,
    query: &str,
) -> Result<Option<String>, Broken> {
    let with_anchor = |url: String, anchor: &Option<String>| match anchor {
        Some(anchor) => format!("{url}{query}#{anchor}"),
        None => format!("{url}{query}"),
    };
    match resolution {
        Resolution::External => Ok(None),
        Resolution::SamePage(anchor) => {
            check_anchor(site, anchors, this, anchor)?;
            Ok(None)
        }
        Resolution::Page(target, anchor) => {
            if let Some(anchor) = anchor {
                check_anchor(site, anchors, *target, anchor)?;
            }
            Ok(Some(with_anchor(
                site.url(site.target_path(*target)),
                anchor,
            )))
        }
        Resolution::Alias(article, anchor) => {
            if let Some(anchor) = anchor {
                check_anchor(site, anchors, Target::Article(*article), anchor)?;
            }
            Ok(Some(with_anchor(
                site.url(&site.articles[*article].path),
                anchor,
            )))
        }
        Resolution::File(path) => Ok(Some(with_anchor(site.url(path), &None))),
        Resolution::Draft(page) => Err(Broken {
            message: format!(
                "links to /{page}, an article marked `draft: true`, which this build leaves out"
            ),
            help: Some(
                "publish the draft, remove the link, or build with --drafts to preview".to_string(),
            ),
        }),
        Resolution::Broken { tried } => Err(Broken {
            message: String::new(),
            help: suggestion(site, tried),
        }),
    }
}

/// "did you mean …?" for a page or content path that matches nothing.
pub(super) fn suggestion(site: &Site, tried: &str) -> Option<String> {
    let tried_page = tried.trim_end_matches('/');
    if let Some((path, _)) = site
        .urls
        .page_paths()
        .find(|(path, _)| path.trim_end_matches('/').eq_ignore_ascii_case(tried_page))
    {
        return Some(format!(
            "paths are case-sensitive on the web server: did you mean `{}`?",
            site.url(path)
        ));
    }
    if tried.ends_with(".md") {
        let candidate = closest(site.urls.content_paths(), tried)?;
        return Some(format!("did you mean `@/{candidate}`?"));
    }
    let candidate = closest(site.urls.page_paths().map(|(p, _)| p), tried)?;
    Some(format!("did you mean `{}`?", site.url(candidate)))
}

/// The candidate nearest to `wanted`, if it is near enough to be a likely typo.
pub(super) fn closest<'a>(
    candidates: impl Iterator<Item = &'a str>,
    wanted: &str,
) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).clamp(2, 8);
    candidates
        .map(|c| (strsim::levenshtein(c, wanted), c))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, c)| c)
}

fn report(site: &Site, source: &SourceText, link: &LinkRef, broken: &Broken) -> Diagnostic {
    let what = if link.is_image { "image" } else { "link" };
    let message = if broken.message.is_empty() {
        format!(
            "broken {what}: `{}` points to nothing this build writes",
            link.dest
        )
    } else {
        format!("broken {what} `{}`: {}", link.dest, broken.message)
    };
    let diagnostic = match site.config.links.broken {
        BrokenLinks::Error => Diagnostic::error("broken-link", &source.path, message),
        BrokenLinks::Warn => Diagnostic::warning("broken-link", &source.path, message),
    };
    let diagnostic = source.place(diagnostic, link.offset);
    match &broken.help {
        Some(help) => diagnostic.with_help(help.clone()),
        None => diagnostic,
    }
}

/// A link in a translation to an article with no translation in its
/// language (`links.missing_translation: warn`).
fn no_translation(site: &Site, source: &SourceText, link: &LinkRef, language: usize) -> Diagnostic {
    let code = &site.languages[language].config.code;
    let warning = Diagnostic::warning(
        "i18n/link",
        &source.path,
        format!(
            "`{}` has no translation in `{code}`: the link goes to the page in {}",
            link.dest, site.languages[0].config.name
        ),
    );
    source
        .place(warning, link.offset)
        .with_help(format!("translate the page it names into `{code}`, or set `links.missing_translation: fallback` in kbgen.yaml"))
}

/// A relative destination that means two URLs in one page (written in a
/// snippet and in the page, from folders at different depths).
fn two_meanings(
    site: &Site,
    source: &SourceText,
    link: &LinkRef,
    first: &str,
    now: &str,
) -> Diagnostic {
    let message = format!(
        "`{}` leads to {now} here, relative to this file, but to {first} elsewhere in the page",
        link.dest
    );
    let diagnostic = match site.config.links.broken {
        BrokenLinks::Error => Diagnostic::error("broken-link", &source.path, message),
        BrokenLinks::Warn => Diagnostic::warning("broken-link", &source.path, message),
    };
    source.place(diagnostic, link.offset).with_help(
        "a page gives a destination one meaning: write one of them from content/, as `@/folder/article.md`",
    )
}
