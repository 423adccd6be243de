//! `languages:` in `kbgen.yaml`: the languages a multilingual help center is
//! written in, and which one is the default.
//!
//! A site without `languages:` has one language, `language:` (default `en`),
//! and is built exactly as before. With `languages:`, every entry is a
//! language with a BCP 47 code (`en`, `de`, `pt-BR`, `zh-Hans`), a display
//! name for the language switcher, and its own `title`, `description` and
//! taxonomy titles. The default language is `default_language:`, else
//! `language:` (the two name the same setting and must agree when both are
//! written), else the first entry. The default language's pages are at the
//! root of the site, the others' under `/<code>/` (the layout Zola and Hugo
//! use by default).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{key_position, Config, TaxonomyConfig, CONFIG_FILE};
use crate::diagnostics::Diagnostic;

/// One entry of `languages:`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LanguageConfig {
    /// BCP 47 language tag: `de`, `pt-BR`, `zh-Hans`.
    pub code: String,
    /// The language's name in itself (`Deutsch`), for the language switcher;
    /// default: the code.
    pub name: Option<String>,
    /// The site's title in this language; default: the top-level `title`.
    pub title: Option<String>,
    pub description: Option<String>,
    /// Taxonomy and term titles in this language, the shape of the
    /// top-level `taxonomies:` (`category: {title: Kategorien, terms: ...}`).
    pub taxonomies: BTreeMap<String, TaxonomyConfig>,
    /// Search synonyms in this language (`[[anmelden, einloggen]]`), beside
    /// the built-in ones; the top-level `search.synonyms` are the default
    /// language's.
    pub synonyms: Vec<Vec<String>>,
}

/// What a link in a translation does when the article it names has no
/// translation in the linking article's language (`links.missing_translation`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingTranslation {
    /// Link to the source article, in the default language, silently.
    #[default]
    Fallback,
    /// Link to the source article, and warn at the link.
    Warn,
}

/// A language of the site as a build uses it: settled from `languages:`.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    /// Output path prefix: `` for the default language, `de/` for the others.
    pub prefix: String,
    pub taxonomies: BTreeMap<String, TaxonomyConfig>,
    pub synonyms: Vec<Vec<String>>,
}

impl Config {
    /// Whether `languages:` lists more than the default language. A site
    /// that is not multilingual builds exactly as one without `languages:`.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The site's languages, the default first, then the others in the
    /// order of `languages:`. A single-language site has one, `language:`.
    pub fn site_languages(&self) -> Vec<Language> {
        let default = &self.language;
        let entry = |code: &str| self.languages.iter().find(|l| l.code == code);
        let settle = |code: &str, prefix: String| {
            let entry = entry(code);
            Language {
                code: code.to_string(),
                name: entry
                    .and_then(|e| e.name.clone())
                    .unwrap_or_else(|| code.to_string()),
                title: entry
                    .and_then(|e| e.title.clone())
                    .unwrap_or_else(|| self.title.clone()),
                description: entry
                    .and_then(|e| e.description.clone())
                    .or_else(|| self.description.clone()),
                prefix,
                taxonomies: entry.map(|e| e.taxonomies.clone()).unwrap_or_default(),
                synonyms: entry.map(|e| e.synonyms.clone()).unwrap_or_default(),
            }
        };
        let mut languages = vec![settle(default, String::new())];
        for other in self.languages.iter().filter(|l| l.code != *default) {
            languages.push(settle(&other.code, format!("{}/", other.code)));
        }
        languages
    }

    /// The codes of the languages other than the default, in the order of
    /// `languages:`: the suffixes a translation's file name may carry
    /// (`x.de.md`).
    pub fn translation_codes(&self) -> Vec<String> {
        if !self.is_multilingual() {
            return Vec::new();
        }
        (self.languages.iter())
            .filter(|l| l.code != self.language)
            .map(|l| l.code.clone())
            .collect()
    }

    /// Checks `languages:` and settles the default language into
    /// `language`, so that everything reading `language` reads the default.
    pub(super) fn settle_languages(&mut self) -> Result<(), Diagnostic> {
        let at = |message: String, keys: &[&str]| {
            let error = Diagnostic::error("config", CONFIG_FILE, message);
            match key_position(&self.source, keys) {
                Some((line, column)) => error.at(line, column),
                None => error,
            }
        };
        if self.languages.is_empty() {
            if let Some(default) = &self.default_language {
                return Err(at(
                    format!("default_language `{default}` needs a `languages:` list to choose from"),
                    &["default_language"],
                )
                .with_help("list the languages under `languages:`, or write `language:` for a one-language site"));
            }
            return Ok(());
        }
        let mut seen: Vec<String> = Vec::new();
        for language in &self.languages {
            if !is_language_tag(&language.code) {
                return Err(at(
                    format!("`{}` is not a BCP 47 language code", language.code),
                    &["languages"],
                )
                .with_help("write a code such as `en`, `de`, `pt-BR` or `zh-Hans`"));
            }
            let folded = language.code.to_ascii_lowercase();
            if seen.contains(&folded) {
                return Err(at(
                    format!("language `{}` is listed twice", language.code),
                    &["languages"],
                ));
            }
            seen.push(folded);
        }
        let written_language = key_position(&self.source, &["language"]).is_some();
        let default = match (&self.default_language, written_language) {
            (Some(default), true) if *default != self.language => {
                return Err(at(
                    format!(
                        "`language: {}` and `default_language: {default}` disagree",
                        self.language
                    ),
                    &["language"],
                )
                .with_help(
                    "with `languages:`, `language:` is the default language: keep one of the two",
                ));
            }
            (Some(default), _) => default.clone(),
            (None, true) => self.language.clone(),
            (None, false) => self.languages[0].code.clone(),
        };
        if !self.languages.iter().any(|l| l.code == default) {
            let keys: &[&str] = if self.default_language.is_some() {
                &["default_language"]
            } else {
                &["language"]
            };
            return Err(at(
                format!("the default language `{default}` is not listed under `languages:`"),
                keys,
            )
            .with_help(format!("add `- code: {default}` under `languages:`")));
        }
        self.language = default;
        Ok(())
    }
}

/// A BCP 47 tag as help centers write them: a 2–3 letter language, then
/// subtags of 2–8 letters or digits (`pt-BR`, `zh-Hans`, `sr-Latn-RS`).
/// Lowercase ASCII throughout the URL's folder keeps it a plain name.
pub fn is_language_tag(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_without_languages_has_its_one_language() {
        let config = Config::parse("title: Help\nlanguage: fr\n").unwrap();
        assert!(!config.is_multilingual());
        let languages = config.site_languages();
        assert_eq!(languages.len(), 1);
        assert_eq!(languages[0].code, "fr");
        assert_eq!(languages[0].prefix, "");
        assert!(config.translation_codes().is_empty());
    }

    #[test]
    fn the_default_language_comes_first_and_the_others_get_a_folder() {
        let yaml = "title: Help\ndefault_language: de\nlanguages:\n  - code: en\n    name: English\n  - code: de\n    name: Deutsch\n    title: Hilfe\n  - code: pt-BR\n";
        let config = Config::parse(yaml).unwrap();
        assert_eq!(config.language, "de");
        let languages = config.site_languages();
        let codes: Vec<_> = languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["de", "en", "pt-BR"]);
        assert_eq!(languages[0].title, "Hilfe");
        assert_eq!(languages[1].title, "Help");
        assert_eq!(languages[2].prefix, "pt-BR/");
        assert_eq!(languages[2].name, "pt-BR");
        assert_eq!(config.translation_codes(), ["en", "pt-BR"]);
    }

    #[test]
    fn language_names_the_default_and_must_agree() {
        let yaml = "language: de\nlanguages:\n  - code: en\n  - code: de\n";
        assert_eq!(Config::parse(yaml).unwrap().language, "de");
        let yaml = "language: de\ndefault_language: en\nlanguages:\n  - code: en\n  - code: de\n";
        let err = Config::parse(yaml).unwrap_err();
        assert!(err.message.contains("disagree"), "{}", err.message);
        assert_eq!(err.line, 1);
        let yaml = "languages:\n  - code: en\n";
        assert_eq!(Config::parse(yaml).unwrap().language, "en");
    }

    #[test]
    fn bad_languages_are_errors_with_a_place() {
        let err = Config::parse("languages:\n  - code: english\n").unwrap_err();
        assert!(err.message.contains("BCP 47"), "{}", err.message);
        let err = Config::parse("languages:\n  - code: en\n  - code: EN\n").unwrap_err();
        assert!(err.message.contains("twice"), "{}", err.message);
        let err = Config::parse("default_language: fr\nlanguages:\n  - code: en\n").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.message.contains("not listed"), "{}", err.message);
        let err = Config::parse("default_language: fr\n").unwrap_err();
        assert!(
            err.message.contains("needs a `languages:`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn language_tags() {
        for good in ["en", "de", "pt-BR", "zh-Hans", "sr-Latn-RS", "ast"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "e", "english", "en_US", "en-", "../x", "de/x", "en-a"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
