//! What a page of a multilingual site says about its languages: the same
//! page in every language, for `<link rel="alternate" hreflang>` (with
//! `x-default`, the default language's page, as Google's guidelines ask)
//! and for the language switcher, which goes to the same page in another
//! language or, when there is none, to that language's home page (never to
//! a page that does not exist).
//!
//! Templates see it as `i18n`, none in a site with one language.

use serde::Serialize;

use super::reads::{read, Part};
use super::PageJob;
use crate::site::urls::Target;
use crate::site::{LangId, Site};

/// `i18n` in templates.
#[derive(Debug, Clone, Serialize)]
pub struct I18nView {
    /// The page's language code.
    pub language: String,
    /// One entry per language, in the site's order (default first).
    pub alternates: Vec<AlternateView>,
    /// The page in the default language, absolute, for
    /// `hreflang="x-default"`; none when `href` of it is none.
    pub x_default: Option<String>,
    /// For a translation whose source article changed since it was made,
    /// the source, for a banner; none otherwise.
    pub outdated: Option<OutdatedView>,
}

/// The source article an outdated translation links to.
#[derive(Debug, Clone, Serialize)]
pub struct OutdatedView {
    pub title: String,
    pub url: String,
    /// The source's language: code and name.
    pub code: String,
    pub language: String,
}

/// The page in one language.
#[derive(Debug, Clone, Serialize)]
pub struct AlternateView {
    /// BCP 47 code, for `hreflang` and `lang`.
    pub code: String,
    /// The language's name in itself, for the switcher.
    pub name: String,
    /// Where the switcher goes: the page in this language, else this
    /// language's home page.
    pub url: String,
    /// Whether the page exists in this language (`url` is the page, not
    /// the language's home page).
    pub exists: bool,
    /// The page in this language for `hreflang`, absolute; none when the
    /// page has no translation in it, exists in one language only, or the
    /// site has no `base_url` (see `site::alternates`).
    pub href: Option<String>,
    /// Whether this is the page's own language.
    pub current: bool,
}

/// The page a job renders, when it is one the other languages may have.
fn job_target(job: PageJob) -> Option<Target> {
    match job {
        PageJob::Article(id) => Some(Target::Article(id)),
        PageJob::Section(id) => Some(Target::Section(id)),
        PageJob::Taxonomy(t) => Some(Target::TaxonomyIndex(t)),
        PageJob::Term(t, i) => Some(Target::Term(t, i)),
        PageJob::Search(_) | PageJob::NotFound(_) => None,
    }
}

/// The language a page is in.
pub fn job_language(site: &Site, job: PageJob) -> LangId {
    match job {
        PageJob::Search(l) | PageJob::NotFound(l) => l,
        other => job_target(other).map_or(0, |t| site.target_language(t)),
    }
}

/// `i18n` of a page; none in a site with one language.
pub fn i18n_view(site: &Site, job: PageJob) -> Option<I18nView> {
    if !site.is_multilingual() {
        return None;
    }
    let own = job_language(site, job);
    // Where the page is in the other languages: an article's translations
    // are part of it; a section's, taxonomy's or term's are part of its link.
    match job {
        PageJob::Article(id) => read(Part::Article(id)),
        PageJob::Section(id) => read(Part::SectionLink(id)),
        PageJob::Taxonomy(t) => read(Part::TaxonomyLink(t)),
        PageJob::Term(t, i) => read(Part::TermLink(t, i)),
        PageJob::Search(_) | PageJob::NotFound(_) => {}
    }
    // hreflang links need absolute URLs: without `base_url` there are none,
    // as there is no canonical link (`site::alternates` has the rule).
    let hreflang = match job {
        PageJob::Search(_) => Some(Target::SearchPage),
        PageJob::NotFound(_) => None,
        other => job_target(other),
    }
    .filter(|_| site.config.base_url.is_some())
    .map(|t| site.hreflang_alternates(t))
    .unwrap_or_default();
    let alternates: Vec<AlternateView> = (site.languages.iter().enumerate())
        .map(|(l, language)| {
            let prefix = &language.config.prefix;
            let path = match job {
                PageJob::Search(_) => Some(format!("{prefix}{}", crate::site::SEARCH_PAGE)),
                // A 404 page has no alternates; its switcher goes home.
                PageJob::NotFound(_) => None,
                _ => job_target(job)
                    .and_then(|t| site.translation_of(t, l))
                    .map(|t| {
                        if let Target::Article(id) = t {
                            read(Part::ArticleLink(id));
                        }
                        site.target_path(t).to_string()
                    }),
            };
            AlternateView {
                code: language.config.code.clone(),
                name: language.config.name.clone(),
                url: site.url(path.as_deref().unwrap_or(prefix)),
                exists: path.is_some(),
                href: hreflang.path_in(l).and_then(|p| site.permalink(p)),
                current: l == own,
            }
        })
        .collect();
    Some(I18nView {
        language: site.languages[own].config.code.clone(),
        alternates,
        x_default: hreflang.x_default.and_then(|p| site.permalink(&p)),
        outdated: match job {
            PageJob::Article(id) => outdated(site, id),
            _ => None,
        },
    })
}

/// The banner of translation `id` when it is outdated (see
/// `site::translation_status`).
fn outdated(site: &Site, id: crate::site::ArticleId) -> Option<OutdatedView> {
    let source = site.source_article(id).filter(|&s| s != id)?;
    // Its status reads the source's text: a change there shows here.
    read(Part::Article(source));
    let stale = crate::site::translation_status::freshness(site, id)?.is_outdated();
    let language = &site.languages[0].config;
    stale.then(|| OutdatedView {
        title: site.articles[source].source.front.title.clone(),
        url: site.url(&site.articles[source].path),
        code: language.code.clone(),
        language: language.name.clone(),
    })
}
