//! A page's hreflang alternates: the same page in each language it exists
//! in. The page's `<link rel="alternate" hreflang>` elements and its
//! sitemap entry's `xhtml:link` elements are both made from this one list,
//! so the two always agree.
//!
//! The rule is Google's ("Tell Google about localized versions of your
//! page"): a page lists every language version of itself, itself included,
//! and `x-default`, the version for readers of no listed language (here the
//! default language's page). A page that exists in one language only has
//! no alternates, as Hugo's `.IsTranslated` leaves them out.

use super::urls::Target;
use super::{LangId, Site, SEARCH_PAGE};

/// The language versions of one page, as output paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alternates {
    /// Each language the page exists in, in the site's order (default
    /// first): its id and the page's output path in it (`de/a/b/`).
    pub pages: Vec<(LangId, String)>,
    /// The default language's page, for `hreflang="x-default"`.
    pub x_default: Option<String>,
}

impl Alternates {
    /// The page's path in `language`, when it is one of the alternates.
    pub fn path_in(&self, language: LangId) -> Option<&str> {
        (self.pages.iter())
            .find(|(l, _)| *l == language)
            .map(|(_, path)| path.as_str())
    }
}

impl Site {
    /// The alternates of `target` (see the module docs); empty in a site with
    /// one language and for a page in one language only. The search page
    /// exists in every language (`search/`, `de/search/`).
    pub fn hreflang_alternates(&self, target: Target) -> Alternates {
        if !self.is_multilingual() {
            return Alternates::default();
        }
        let pages: Vec<(LangId, String)> = match target {
            Target::SearchPage => (self.languages.iter().enumerate())
                .map(|(l, language)| (l, format!("{}{SEARCH_PAGE}", language.config.prefix)))
                .collect(),
            _ => (0..self.languages.len())
                .filter_map(|l| {
                    let other = self.translation_of(target, l)?;
                    Some((l, self.target_path(other).to_string()))
                })
                .collect(),
        };
        if pages.len() < 2 {
            return Alternates::default();
        }
        let x_default = (pages.first())
            .filter(|(l, _)| *l == 0)
            .map(|(_, path)| path.clone());
        Alternates { pages, x_default }
    }
}
