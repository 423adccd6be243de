//! Theme strings: every word the default theme prints, per language.
//!
//! A table maps a key (`on_this_page`) to the words of one language ("On
//! this page"); templates read it as `strings`, and the Rust side of
//! rendering (page titles, callout titles of alerts, dates) reads it too.
//! The theme ships tables for English, German, French, Spanish, Brazilian
//! Portuguese, Japanese, Simplified Chinese and Arabic (`i18n/*.yaml` in the
//! repository, embedded like the templates); a site overrides any string, or
//! adds a language, with `i18n/<code>.yaml` beside `kbgen.yaml`
//! ([`overrides`]).
//!
//! The rule for a language code (BCP 47, `pt-BR`): its own layers first,
//! from the most specific code to the least (`i18n/pt-BR.yaml`, the
//! built-in `pt-BR`, `i18n/pt.yaml`, the built-in `pt`); a key none of them
//! has comes from the default language's table, then from the built-in
//! English one, and is a warning naming the key and the file. Codes match
//! without regard to case, as BCP 47 says.

mod dates;
mod overrides;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::content::front_matter::Date;
use crate::diagnostics::Diagnostic;

pub use overrides::STRINGS_DIR;

/// The language every table falls back to last: the built-in one with
/// every key.
const BASE_LANGUAGE: &str = "en";

/// The diagnostic code of every problem with a strings table.
const CODE: &str = "strings";

/// The strings of one language, after fallback: every key of the English
/// table has a value. Templates see it as `strings`, a map of key to text
/// (`{{ strings.on_this_page }}`), `dir` and `date_format` included.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StringTable {
    /// The code the table was asked for (`pt-BR`).
    language: String,
    entries: BTreeMap<String, String>,
    /// Month names for dates, January first (from the language's locale
    /// data; see [`dates`]).
    months: [&'static str; 12],
}

impl Serialize for StringTable {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.entries.serialize(serializer)
    }
}

impl StringTable {
    /// The language code the table was asked for.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The text of `key`, or the key itself for a key no table has (a
    /// programming error the unit tests catch).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.entries.get(key).map_or(key, String::as_str)
    }

    /// The text of `key` with each `{name}` replaced by its value: the Rust
    /// side of the placeholders that templates fill with Tera's `replace`.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        values
            .iter()
            .fold(self.get(key).to_string(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }

    /// Whether the language is written right to left (`dir: rtl`).
    pub fn is_rtl(&self) -> bool {
        self.get("dir") == "rtl"
    }

    /// A date as the language writes it (`March 14, 2026`, `14. März 2026`).
    pub fn date(&self, date: &Date) -> String {
        dates::format(self.get("date_format"), &self.months, date)
    }
}

/// The tables of a site's languages, loaded once per build (and again when
/// `kbgen.yaml` or a file under `i18n/` changes).
#[derive(Debug, Clone)]
pub struct StringTables {
    /// By lower-case language code.
    tables: BTreeMap<String, StringTable>,
    default_language: String,
}

impl StringTables {
    /// The tables of `languages` (and of `default_language`), from the
    /// built-in tables and the site's `i18n/` overrides under `root`. Problems
    /// in an override are errors or warnings at their place; a key a
    /// language lacks is a warning (see the module docs for the rule).
    pub fn load(
        root: &Path,
        languages: &[&str],
        default_language: &str,
    ) -> (StringTables, Vec<Diagnostic>) {
        let mut sources = overrides::Sources::new(root);
        let mut problems = Vec::new();
        let base = sources.builtin(BASE_LANGUAGE).cloned().unwrap_or_default();
        let default_layers = sources.layers(default_language);
        let mut tables = BTreeMap::new();
        let wanted = std::iter::once(default_language).chain(languages.iter().copied());
        for language in wanted {
            let key = language.to_ascii_lowercase();
            if tables.contains_key(&key) {
                continue;
            }
            let own = sources.layers(language);
            let fallback: Vec<&overrides::Layer> = if key == default_language.to_ascii_lowercase() {
                Vec::new()
            } else {
                default_layers.iter().collect()
            };
            let (mut entries, mut missing) = resolve(&base, &own, &fallback);
            // A language no table gives a direction is written the way its
            // script is (`he`, `fa`, `ur`, `*-Arab` right to left).
            if !own.iter().any(|layer| layer.entries.contains_key("dir")) {
                let dir = if crate::config::is_right_to_left(language) {
                    "rtl"
                } else {
                    "ltr"
                };
                entries.insert("dir".to_string(), dir.to_string());
                missing.retain(|key| key != "dir");
            }
            problems.extend(missing_warning(language, default_language, &own, &missing));
            let months = dates::months(language)
                .or_else(|| dates::months(default_language))
                .unwrap_or(dates::ENGLISH_MONTHS);
            let table = StringTable {
                language: language.to_string(),
                entries,
                months,
            };
            tables.insert(key, table);
        }
        problems.extend(sources.take_problems());
        let tables = StringTables {
            tables,
            default_language: default_language.to_ascii_lowercase(),
        };
        (tables, problems)
    }

    /// The table of `language`: its own, or the default language's for a
    /// language that was not loaded.
    pub fn get(&self, language: &str) -> &StringTable {
        self.tables
            .get(&language.to_ascii_lowercase())
            .or_else(|| self.tables.get(&self.default_language))
            .or_else(|| self.tables.values().next())
            .unwrap_or(&EMPTY)
    }

    /// A hash of every table, for the preview server's memory: a change of
    /// any string renders every page again.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        self.tables.hash(&mut hasher);
        hasher.finish()
    }
}

/// The table [`StringTables::get`] gives when none was loaded (never, since
/// `load` always loads the default language).
static EMPTY: StringTable = StringTable {
    language: String::new(),
    entries: BTreeMap::new(),
    months: dates::ENGLISH_MONTHS,
};

/// Every key of `base` with its text from the first of `own`, `fallback`
/// and `base` that has it, and the keys none of `own` had.
fn resolve(
    base: &BTreeMap<String, String>,
    own: &[overrides::Layer],
    fallback: &[&overrides::Layer],
) -> (BTreeMap<String, String>, Vec<String>) {
    let mut entries = BTreeMap::new();
    let mut missing = Vec::new();
    for (key, base_text) in base {
        let found = own.iter().find_map(|layer| layer.entries.get(key));
        if found.is_none() {
            missing.push(key.clone());
        }
        let text = found
            .or_else(|| fallback.iter().find_map(|layer| layer.entries.get(key)))
            .unwrap_or(base_text);
        entries.insert(key.clone(), text.clone());
    }
    (entries, missing)
}

/// The warning for the keys a language's own tables lack: at its most
/// specific site file, or at `i18n/<code>.yaml` when it has no table at all.
fn missing_warning(
    language: &str,
    default_language: &str,
    own: &[overrides::Layer],
    missing: &[String],
) -> Option<Diagnostic> {
    if missing.is_empty() {
        return None;
    }
    let from = if language.eq_ignore_ascii_case(default_language) {
        BASE_LANGUAGE
    } else {
        default_language
    };
    let file = own
        .iter()
        .find_map(|layer| layer.file.clone())
        .unwrap_or_else(|| overrides::file_name(language));
    if own.is_empty() {
        return Some(
            Diagnostic::warning(
                CODE,
                &file,
                format!("kbgen has no theme strings for `{language}`; pages in it show the `{from}` strings"),
            )
            .with_help(format!("write the translations in {} (see the README, \"Theme strings\")", file.display())),
        );
    }
    let listed: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
    let count = match missing.len() {
        1 => "1 string is missing".to_string(),
        n => format!("{n} strings are missing"),
    };
    Some(
        Diagnostic::warning(
            CODE,
            &file,
            format!(
                "{count} for `{language}`; the `{from}` text is used: {}",
                listed.join(", ")
            ),
        )
        .with_help(format!("add the missing keys to {}", file.display())),
    )
}

#[cfg(test)]
mod tests;
