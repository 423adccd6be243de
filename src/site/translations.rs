//! The translation graph: which articles and sections are the same page in
//! another language, and the site's languages as the model holds them.
//!
//! A translation (`x.de.md`) belongs to its source article (`x.md`, in the
//! default language) by file name, like Zola's and Grav's; there is no
//! `translationKey` to keep in step. Every page knows its translations, one
//! slot per language, so a page can link its alternates (hreflang), the
//! language switcher can go to the same page in another language, and links
//! in a translation can go to the translation of what they name. Nothing here
//! exists for a site in one language: the slots are empty.

use super::urls::{Resolution, Target};
use super::{Article, ArticleId, Section, Site};
use crate::config::Language;
use crate::content::SectionId;

/// Index of a language in [`Site::languages`]; 0 is the default language.
pub type LangId = usize;

/// One language of the site.
#[derive(Debug, Clone)]
pub struct SiteLanguage {
    /// Code, name, title and output prefix, from `kbgen.yaml`.
    pub config: Language,
    /// The language's home page (0 for the default language).
    pub root: SectionId,
    /// Its most recently updated articles, newest first.
    pub recent: Vec<ArticleId>,
}

/// The language of a file by its code (`None`: the default).
pub fn language_id(languages: &[Language], code: Option<&str>) -> LangId {
    code.and_then(|code| languages.iter().position(|l| l.code == code))
        .unwrap_or(0)
}

/// Fills in each article's and section's translations (one slot per
/// language, itself in its own), when the site has more than one language.
/// A translation whose source article does not exist stands alone.
pub(super) fn link_translations(
    sections: &mut [Section],
    articles: &mut [Article],
    languages: usize,
) {
    if languages < 2 {
        return;
    }
    let mut by_path: rustc_hash::FxHashMap<String, Vec<Option<ArticleId>>> = Default::default();
    for (id, article) in articles.iter().enumerate() {
        let key = article.source.source_content_path().into_owned();
        let slots = by_path.entry(key).or_insert_with(|| vec![None; languages]);
        slots[article.language] = Some(id);
    }
    for article in articles.iter_mut() {
        let key = article.source.source_content_path();
        if let Some(slots) = by_path.get(key.as_ref()) {
            article.translations = slots.clone();
        }
    }
    let mut by_folder: rustc_hash::FxHashMap<String, Vec<Option<SectionId>>> = Default::default();
    for (id, section) in sections.iter().enumerate() {
        let slots = (by_folder.entry(section.source.content_path.clone()))
            .or_insert_with(|| vec![None; languages]);
        slots[section.language] = Some(id);
    }
    for section in sections.iter_mut() {
        if let Some(slots) = by_folder.get(&section.source.content_path) {
            section.translations = slots.clone();
        }
    }
}

impl Site {
    /// Whether the site has more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The language a page is in.
    pub fn target_language(&self, target: Target) -> LangId {
        match target {
            Target::Article(id) => self.articles[id].language,
            Target::Section(id) => self.sections[id].language,
            Target::TaxonomyIndex(t) | Target::Term(t, _) => self.taxonomies[t].language,
            Target::SearchPage => 0,
        }
    }

    /// The source article of a translation (itself for an article in the
    /// default language); `None` for a translation without one.
    pub fn source_article(&self, id: ArticleId) -> Option<ArticleId> {
        let article = &self.articles[id];
        if article.language == 0 {
            return Some(id);
        }
        article.translations.first().copied().flatten()
    }

    /// The same page in `language`, when there is one: an article's or
    /// section's translation, a taxonomy page of the same name and term.
    pub fn translation_of(&self, target: Target, language: LangId) -> Option<Target> {
        if self.target_language(target) == language {
            return Some(target);
        }
        match target {
            Target::Article(id) => {
                let slot = self.articles[id].translations.get(language).copied();
                slot.flatten().map(Target::Article)
            }
            Target::Section(id) => {
                let slot = self.sections[id].translations.get(language).copied();
                slot.flatten().map(Target::Section)
            }
            Target::TaxonomyIndex(t) => {
                let other = self.taxonomy_in(&self.taxonomies[t].name, language)?;
                Some(Target::TaxonomyIndex(other))
            }
            Target::Term(t, i) => {
                let other = self.taxonomy_in(&self.taxonomies[t].name, language)?;
                let slug = &self.taxonomies[t].terms[i].slug;
                let term = self.taxonomies[other]
                    .terms
                    .iter()
                    .position(|x| x.slug == *slug)?;
                Some(Target::Term(other, term))
            }
            Target::SearchPage => None,
        }
    }

    /// The taxonomy called `name` in `language`.
    pub fn taxonomy_in(&self, name: &str, language: LangId) -> Option<usize> {
        self.taxonomies
            .iter()
            .position(|t| t.name == name && t.language == language)
    }

    /// What a link from a page in `language` means: the translation in that
    /// language of the article or section it names, when there is one.
    /// Returns the resolution to use and whether it fell back to a page in
    /// another language for want of a translation.
    pub fn resolution_in(&self, resolution: Resolution, language: LangId) -> (Resolution, bool) {
        if !self.is_multilingual() {
            return (resolution, false);
        }
        let translate = |target: Target| match self.translation_of(target, language) {
            Some(found) => (found, false),
            None => (target, true),
        };
        match resolution {
            Resolution::Page(target @ (Target::Article(_) | Target::Section(_)), anchor) => {
                let (target, fell_back) = translate(target);
                (Resolution::Page(target, anchor), fell_back)
            }
            Resolution::Alias(id, anchor) => {
                let (target, fell_back) = translate(Target::Article(id));
                (Resolution::Page(target, anchor), fell_back)
            }
            other => (other, false),
        }
    }
}
