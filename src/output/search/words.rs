//! The words the search script reads a query with: stop words and synonyms of
//! the site's language, written into `kbgen-search.js` when the theme's copy
//! is published, so a search costs no extra request.
//!
//! Stop words come from the NLTK lists (themselves from Snowball's) of the
//! `stop-words` crate; a language it has no list for gets none. Synonyms are
//! the built-in groups of `synonyms/<language>.txt` beside this file, then the
//! site's own `search.synonyms`. The script's own sentences ("Searching…",
//! "Did you mean …?") come from the theme strings of the language
//! ([`SCRIPT_STRINGS`]).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::SearchConfig;
use crate::render::strings::StringTable;

/// The theme's search script, which carries the words.
pub const SCRIPT: &str = "kbgen-search.js";

/// The line of [`SCRIPT`] the words replace.
const MARKER: &str = "const WORDS = {};";

/// The theme strings the script says things with, each filled in the
/// browser (`{query}`, `{count}`, `{left}`, `{words}`, `{suggestion}`); a
/// `_one`/`_other` pair is chosen by `Intl.PluralRules` of the page's
/// language.
pub const SCRIPT_STRINGS: &[&str] = &[
    "search_prompt",
    "search_searching",
    "search_match_count_one",
    "search_match_count_other",
    "search_results_for",
    "search_results_for_without",
    "search_corrected",
    "search_corrected_without",
    "search_no_match",
    "search_did_you_mean",
    "search_missing_words",
    "search_unavailable",
    "search_category_filter",
    "search_suggestions",
    "search_all_results",
    "search_suggestion_count_one",
    "search_suggestion_count_other",
    "search_no_suggestions",
];

/// Built-in synonym groups by primary language subtag.
const SYNONYMS: &[(&str, &str)] = &[
    ("de", include_str!("synonyms/de.txt")),
    ("en", include_str!("synonyms/en.txt")),
    ("es", include_str!("synonyms/es.txt")),
    ("fr", include_str!("synonyms/fr.txt")),
];

/// What the script is given, as JSON.
#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScriptWords {
    /// Lower-case, as listed; the script normalizes them as it does queries.
    pub stop_words: Vec<String>,
    /// Groups of lower-case words and phrases, built-in first.
    pub synonyms: Vec<Vec<String>>,
    /// The typo vocabulary's file under the search folder (see
    /// [`vocabulary_file`]).
    pub vocabulary: String,
    /// The [`SCRIPT_STRINGS`] in the language, by key.
    pub messages: BTreeMap<String, String>,
}

/// `en-US` → `en`.
fn primary_subtag(language: &str) -> String {
    language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The name of the typo vocabulary for `language` under the search folder:
/// the whole code in lower case (`kbgen-vocabulary.pt-br.gz`), so `pt-BR`
/// and `pt-PT` of one site each have their own.
pub fn vocabulary_file(language: &str) -> String {
    format!(
        "kbgen-vocabulary.{}.gz",
        language.replace('_', "-").to_ascii_lowercase()
    )
}

/// The stop words of `language` (its primary subtag), lower-case; none for
/// a language without a list.
pub fn stop_words(language: &str) -> Vec<String> {
    stop_words::lookup(primary_subtag(language))
        .map(|words| words.iter().map(|w| w.to_lowercase()).collect())
        .unwrap_or_default()
}

/// The words for a site in `language` with `config`, and the script's
/// sentences from `strings` (the language's theme strings).
pub fn script_words(language: &str, config: &SearchConfig, strings: &StringTable) -> ScriptWords {
    let primary = primary_subtag(language);
    let stop_words = stop_words(language);
    let built_in = SYNONYMS
        .iter()
        .find(|(code, _)| *code == primary)
        .map(|(_, text)| parse_groups(text))
        .unwrap_or_default();
    let own = config.synonyms.iter().map(|group| {
        group
            .iter()
            .map(|w| {
                w.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
            })
            .collect()
    });
    ScriptWords {
        stop_words,
        synonyms: built_in.into_iter().chain(own).collect(),
        vocabulary: vocabulary_file(language),
        messages: SCRIPT_STRINGS
            .iter()
            .map(|key| (key.to_string(), strings.get(key).to_string()))
            .collect(),
    }
}

/// Groups from a synonym file: one a line, comma-separated, `#` comments.
fn parse_groups(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            line.split(',')
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect()
        })
        .collect()
}

/// `script` (the theme's [`SCRIPT`]) with its [`MARKER`] line holding `words`;
/// a script without the marker (a site's own) is returned as it is.
pub fn script_with_words(script: &[u8], words: &ScriptWords) -> Vec<u8> {
    let text = String::from_utf8_lossy(script);
    let Some(at) = text.find(MARKER) else {
        return script.to_vec();
    };
    // ok: a struct of strings always serializes.
    let json = serde_json::to_string(words).expect("words serialize");
    let mut out = String::with_capacity(text.len() + json.len());
    out.push_str(&text[..at]);
    out.push_str(&format!("const WORDS = {json};"));
    out.push_str(&text[at + MARKER.len()..]);
    out.into_bytes()
}

/// [`script_with_words`] for a multilingual site: the words of each
/// language (code → words, the default first), chosen in the browser by the
/// page's `<html lang>`, so a German page's search drops German stop words
/// and uses German synonyms and the German vocabulary.
pub fn script_with_words_by_language(script: &[u8], words: &[(String, ScriptWords)]) -> Vec<u8> {
    let text = String::from_utf8_lossy(script);
    let (Some(at), Some((_, default))) = (text.find(MARKER), words.first()) else {
        return script.to_vec();
    };
    let by_code: std::collections::BTreeMap<&str, &ScriptWords> =
        words.iter().map(|(code, w)| (code.as_str(), w)).collect();
    // ok: maps of strings always serialize.
    let all = serde_json::to_string(&by_code).expect("words serialize");
    let default = serde_json::to_string(default).expect("words serialize");
    let line = format!("const WORDS = {all}[document.documentElement.lang] || {default};");
    let mut out = String::with_capacity(text.len() + line.len());
    out.push_str(&text[..at]);
    out.push_str(&line);
    out.push_str(&text[at + MARKER.len()..]);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::strings::StringTables;

    /// The built-in theme strings of `language`.
    fn strings(language: &str) -> StringTable {
        let (tables, _) = StringTables::load(std::path::Path::new("/nonexistent"), &[], language);
        tables.get(language).clone()
    }

    #[test]
    fn english_has_stop_words_and_built_in_synonyms_then_the_sites() {
        let config = SearchConfig {
            enabled: true,
            synonyms: vec![vec!["User  Sync".into(), "Provisioning".into()]],
        };
        let words = script_words("en-US", &config, &strings("en"));
        for stop in ["the", "how", "do", "i", "with"] {
            assert!(words.stop_words.iter().any(|w| w == stop), "{stop}");
        }
        assert!(!words.stop_words.iter().any(|w| w == "password"));
        assert!(words
            .synonyms
            .iter()
            .any(|g| g.contains(&"log in".to_string()) && g.contains(&"sign in".to_string())));
        assert_eq!(
            words.synonyms.last().unwrap(),
            &vec!["user sync".to_string(), "provisioning".to_string()]
        );
        assert_eq!(words.vocabulary, "kbgen-vocabulary.en-us.gz");
    }

    #[test]
    fn a_language_without_lists_gets_only_the_sites_synonyms() {
        let config = SearchConfig {
            enabled: true,
            synonyms: vec![vec!["a".into(), "b".into()]],
        };
        let words = script_words("tlh", &config, &strings("en"));
        assert!(words.stop_words.is_empty());
        assert_eq!(words.synonyms, vec![vec!["a".to_string(), "b".to_string()]]);
    }

    #[test]
    fn every_built_in_group_has_two_or_more_words() {
        for (language, text) in SYNONYMS {
            for group in parse_groups(text) {
                assert!(group.len() >= 2, "{language}: {group:?}");
            }
        }
    }

    #[test]
    fn the_words_replace_the_marker_line_only() {
        let script = b"// x\nconst WORDS = {};\nrun(WORDS);\n";
        let words = ScriptWords {
            stop_words: vec!["the".into()],
            synonyms: vec![],
            vocabulary: "v.gz".into(),
            messages: BTreeMap::from([("search_searching".into(), "…".into())]),
        };
        assert_eq!(
            String::from_utf8(script_with_words(script, &words)).unwrap(),
            "// x\nconst WORDS = {\"stopWords\":[\"the\"],\"synonyms\":[],\"vocabulary\":\"v.gz\",\"messages\":{\"search_searching\":\"…\"}};\nrun(WORDS);\n"
        );
        assert_eq!(script_with_words(b"mine()", &words), b"mine()");
    }

    #[test]
    fn the_script_says_each_sentence_in_the_language_of_its_strings() {
        let config = SearchConfig::default();
        let german = script_words("de", &config, &strings("de"));
        assert_eq!(
            german.messages["search_did_you_mean"],
            "Meinten Sie {suggestion}?"
        );
        let english = script_words("en", &config, &strings("en"));
        assert_eq!(english.messages["search_searching"], "Searching…");
        assert_eq!(english.messages.len(), SCRIPT_STRINGS.len());
        for key in SCRIPT_STRINGS {
            assert_ne!(english.messages[*key], *key, "{key} is in i18n/en.yaml");
        }
    }

    #[test]
    fn the_theme_script_asks_for_every_sentence_it_is_given() {
        let script = include_str!("../../../static/kbgen-search.js");
        for key in SCRIPT_STRINGS {
            let stem = key
                .strip_suffix("_one")
                .or_else(|| key.strip_suffix("_other"))
                .unwrap_or(key);
            assert!(
                script.contains(&format!("\"{stem}\"")),
                "{key} is not used by the script"
            );
        }
    }

    #[test]
    fn languages_that_share_a_primary_subtag_have_their_own_vocabulary() {
        assert_eq!(vocabulary_file("pt-BR"), "kbgen-vocabulary.pt-br.gz");
        assert_ne!(vocabulary_file("pt-BR"), vocabulary_file("pt-PT"));
        assert_ne!(vocabulary_file("zh-Hans"), vocabulary_file("zh-Hant"));
        assert_eq!(vocabulary_file("de"), "kbgen-vocabulary.de.gz");
    }
}
