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
        let entry =
            |code: &str| (self.languages.iter()).find(|l| l.code.eq_ignore_ascii_case(code));
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
        for other in (self.languages.iter()).filter(|l| !l.code.eq_ignore_ascii_case(default)) {
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
            .filter(|l| !l.code.eq_ignore_ascii_case(&self.language))
            .map(|l| l.code.clone())
            .collect()
    }

    /// Checks `languages:` and settles the default language into
    /// `language`, so that everything reading `language` reads the default.
    /// Codes match without regard to case (BCP 47, RFC 5646 §2.1.1) and are
    /// kept in the case that section recommends (`pt-BR`, `zh-Hans`), so
    /// `code: DE` and a file `x.de.md` are the same language. Each problem
    /// is placed at its own entry's `code:`.
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
        let at_entry = |message: String, index: usize| {
            let error = Diagnostic::error("config", CONFIG_FILE, message);
            match self
                .language_entry_place(index)
                .or_else(|| key_position(&self.source, &["languages"]))
            {
                Some((line, column)) => error.at(line, column),
                None => error,
            }
        };
        let mut seen: Vec<String> = Vec::new();
        for (index, language) in self.languages.iter().enumerate() {
            let code = &language.code;
            if !is_language_tag(code) {
                let help = match code.replace('_', "-") {
                    fixed if is_language_tag(&fixed) => format!(
                        "did you mean `{}`? BCP 47 joins subtags with `-`",
                        canonical_tag(&fixed)
                    ),
                    _ if code.is_empty() => {
                        "write the language's code, such as `en`, `de`, `pt-BR` or `zh-Hans`".to_string()
                    }
                    _ => "write a code such as `en`, `de`, `pt-BR` or `zh-Hans` (a 2 or 3 letter language, then an optional script and region)".to_string(),
                };
                return Err(
                    at_entry(format!("`{code}` is not a BCP 47 language code"), index)
                        .with_help(help),
                );
            }
            let folded = code.to_ascii_lowercase();
            if let Some(first) = seen.iter().position(|s| *s == folded) {
                let first_line = self.language_entry_place(first).map(|(line, _)| line);
                let where_first = match first_line {
                    Some(line) => format!(" (first on line {line})"),
                    None => String::new(),
                };
                return Err(at_entry(
                    format!("language `{code}` is listed twice{where_first}"),
                    index,
                )
                .with_help("remove one of the two entries (codes match without regard to case)"));
            }
            seen.push(folded);
        }
        for language in &mut self.languages {
            language.code = canonical_tag(&language.code);
        }
        let written_language = key_position(&self.source, &["language"]).is_some();
        let default = match (&self.default_language, written_language) {
            (Some(default), true) if !default.eq_ignore_ascii_case(&self.language) => {
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
        let Some(entry) = (self.languages.iter()).find(|l| l.code.eq_ignore_ascii_case(&default))
        else {
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
        };
        self.language = entry.code.clone();
        Ok(())
    }

    /// Where the `index`th entry of `languages:` sets its `code:` (line and
    /// column of the value, 1-based), for problems with one language; `None`
    /// when the list is not written one entry per block (a flow list).
    pub fn language_entry_place(&self, index: usize) -> Option<(usize, usize)> {
        let (start, _) = key_position(&self.source, &["languages"])?;
        let lines: Vec<&str> = self.source.lines().collect();
        let indent_of = |line: &str| line.len() - line.trim_start().len();
        let base = indent_of(lines[start - 1]);
        let mut count = 0;
        for (number, line) in lines.iter().enumerate().skip(start) {
            let rest = line.trim_start();
            if rest.is_empty() || rest.starts_with('#') {
                continue;
            }
            // The list ends at the next key as far left as `languages:`
            // (a `- ` at that indentation is still an entry).
            if indent_of(line) <= base && !rest.starts_with('-') {
                return None;
            }
            let entry = rest.strip_prefix('-').map_or(rest, str::trim_start);
            if let Some(value) = entry
                .strip_prefix("code")
                .and_then(|r| r.trim_start().strip_prefix(':'))
            {
                if count == index {
                    let value_at = line.len() - value.trim_start().len();
                    return Some((number + 1, line[..value_at].chars().count() + 1));
                }
                count += 1;
            }
        }
        None
    }
}

/// A language tag in the case RFC 5646 §2.1.1 recommends: the language in
/// lower case, a script in title case, a region in upper case (`pt-br` →
/// `pt-BR`, `ZH-HANS` → `zh-Hans`). Other subtags are lower case.
pub fn canonical_tag(tag: &str) -> String {
    let mut out = Vec::new();
    for (i, part) in tag.split('-').enumerate() {
        let fixed = match part.len() {
            _ if i == 0 => part.to_ascii_lowercase(),
            4 if part.bytes().all(|b| b.is_ascii_alphabetic()) => {
                let lower = part.to_ascii_lowercase();
                lower[..1].to_ascii_uppercase() + &lower[1..]
            }
            2 if part.bytes().all(|b| b.is_ascii_alphabetic()) => part.to_ascii_uppercase(),
            _ => part.to_ascii_lowercase(),
        };
        out.push(fixed);
    }
    out.join("-")
}

/// Whether a language is written right to left, by its script: the
/// script subtag when there is one (`Arab`, `Hebr`, `Thaa`, `Syrc`, `Nkoo`,
/// `Adlm`, `Rohg`), else the script the language is written in by default
/// (Arabic, Hebrew, Persian, Urdu, Yiddish, Pashto, Sindhi, Uyghur,
/// Dhivehi, Sorani Kurdish, …; CLDR's likely subtags). `pa-Arab` is right
/// to left, `az-Latn` is not.
pub fn is_right_to_left(code: &str) -> bool {
    const RTL_SCRIPTS: &[&str] = &[
        "arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg", "mand", "samr",
    ];
    const RTL_LANGUAGES: &[&str] = &[
        "ar", "he", "iw", "fa", "ur", "yi", "ji", "ps", "sd", "ug", "dv", "ckb", "arc", "syr",
        "prs", "pnb", "skr", "bal", "glk", "mzn", "lrc", "azb", "ks",
    ];
    let mut parts = code.split(['-', '_']);
    let language = parts.next().unwrap_or("").to_ascii_lowercase();
    match parts.find(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic())) {
        Some(script) => RTL_SCRIPTS.contains(&script.to_ascii_lowercase().as_str()),
        None => RTL_LANGUAGES.contains(&language.as_str()),
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
    fn each_problem_is_at_its_own_entry_with_help() {
        let yaml = "title: Help\nlanguages:\n  - code: en\n    name: English\n  - code: pt_BR\n";
        let err = Config::parse(yaml).unwrap_err();
        assert_eq!((err.line, err.column), (5, 11));
        assert_eq!(
            err.help.as_deref(),
            Some("did you mean `pt-BR`? BCP 47 joins subtags with `-`")
        );
        let yaml = "languages:\n- code: en\n- name: Deutsch\n  code: de\n- code: DE\n";
        let err = Config::parse(yaml).unwrap_err();
        assert_eq!((err.line, err.column), (5, 9));
        assert!(
            err.message.contains("listed twice (first on line 4)"),
            "{}",
            err.message
        );
        assert!(err.help.is_some());
    }

    #[test]
    fn codes_are_kept_in_the_case_bcp_47_recommends() {
        let yaml =
            "default_language: EN\nlanguages:\n  - code: en\n  - code: PT-br\n  - code: zh-hans\n";
        let config = Config::parse(yaml).unwrap();
        assert_eq!(config.language, "en");
        assert_eq!(config.translation_codes(), ["pt-BR", "zh-Hans"]);
        assert_eq!(canonical_tag("SR-latn-rs"), "sr-Latn-RS");
        assert_eq!(canonical_tag("es-419"), "es-419");
    }

    #[test]
    fn the_direction_comes_from_the_script() {
        for rtl in [
            "he",
            "ar",
            "fa",
            "ur",
            "yi",
            "ps",
            "sd",
            "ug",
            "dv",
            "ckb",
            "pa-Arab",
            "AR-eg",
            "uz-Arab-AF",
        ] {
            assert!(is_right_to_left(rtl), "{rtl}");
        }
        for ltr in ["en", "de", "pa", "az-Latn", "sd-Deva", "ja"] {
            assert!(!is_right_to_left(ltr), "{ltr}");
        }
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
