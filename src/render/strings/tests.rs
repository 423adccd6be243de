//! Unit tests of the strings tables: every built-in table has every key, the lookup rule, overrides and dates.

use super::*;

fn builtin(code: &str) -> BTreeMap<String, String> {
    let (_, yaml) = crate::theme::STRINGS
        .iter()
        .find(|(c, _)| *c == code)
        .expect("a built-in table");
    serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("i18n/{code}.yaml: {e}"))
}

/// The `{name}` placeholders of a text.
fn placeholders(text: &str) -> Vec<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

#[test]
fn every_built_in_table_has_every_key_of_the_english_one_and_no_other() {
    let english = builtin("en");
    for (code, _) in crate::theme::STRINGS {
        let table = builtin(code);
        let missing: Vec<&String> = english.keys().filter(|k| !table.contains_key(*k)).collect();
        let extra: Vec<&String> = table.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(missing.is_empty(), "i18n/{code}.yaml lacks {missing:?}");
        assert!(extra.is_empty(), "i18n/{code}.yaml has unknown {extra:?}");
        assert!(matches!(table["dir"].as_str(), "ltr" | "rtl"), "{code}");
        for (key, text) in &table {
            let allowed = placeholders(&english[key]);
            let allowed: Vec<&str> = if key == "date_format" {
                vec!["day", "month", "month_number", "year"]
            } else {
                allowed
            };
            for name in placeholders(text) {
                assert!(
                    allowed.contains(&name),
                    "i18n/{code}.yaml: `{key}` has {{{name}}}"
                );
            }
        }
    }
}

#[test]
fn arabic_is_the_right_to_left_table() {
    for (code, _) in crate::theme::STRINGS {
        assert_eq!(builtin(code)["dir"] == "rtl", *code == "ar", "{code}");
    }
}

fn load(root: &Path, languages: &[&str], default: &str) -> (StringTables, Vec<Diagnostic>) {
    StringTables::load(root, languages, default)
}

#[test]
fn built_in_languages_load_without_problems_and_dates_follow_them() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let languages = ["en", "de", "fr", "es", "pt-BR", "ja", "zh-Hans", "ar"];
    let (tables, problems) = load(dir.path(), &languages, "en");
    assert!(problems.is_empty(), "{problems:?}");
    let day = Date::parse("2025-03-04").expect("a date");
    let human = |code: &str| tables.get(code).date(&day);
    assert_eq!(human("en"), "March 4, 2025");
    assert_eq!(human("de"), "4. März 2025");
    assert_eq!(human("fr"), "4 mars 2025");
    assert_eq!(human("ja"), "2025年3月4日");
    assert_eq!(human("zh-hans"), "2025年3月4日");
    assert_eq!(human("pt-BR"), "4 de março de 2025");
    assert!(tables.get("ar").is_rtl());
    assert!(!tables.get("de").is_rtl());
}

#[test]
fn a_regional_code_falls_back_to_its_language_then_to_the_default() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (tables, problems) = load(dir.path(), &["de-AT", "it"], "en");
    assert_eq!(tables.get("de-AT").get("next"), "Weiter");
    assert_eq!(tables.get("de-AT").language(), "de-AT");
    // No table for Italian: English words, Italian month names, a warning.
    assert_eq!(tables.get("it").get("next"), "Next");
    let day = Date::parse("2025-03-04").expect("a date");
    assert_eq!(tables.get("it").date(&day), "marzo 4, 2025");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, Path::new("i18n/it.yaml"));
    // A language that was not loaded gets the default's table.
    assert_eq!(tables.get("sv").get("next"), "Next");
}

#[test]
fn a_site_file_overrides_one_string_and_a_missing_key_is_named() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("i18n")).expect("a folder");
    let file = dir.path().join("i18n/de.yaml");
    std::fs::write(&file, "on_this_page: Inhalt\n").expect("written");
    let (tables, problems) = load(dir.path(), &["de"], "de");
    assert_eq!(tables.get("de").get("on_this_page"), "Inhalt");
    assert_eq!(tables.get("de").get("next"), "Weiter");
    assert!(problems.is_empty(), "{problems:?}");

    std::fs::write(&file, "on_this_page: Inhalt\n").expect("written");
    std::fs::write(dir.path().join("i18n/nl.yaml"), "next: Volgende\n").expect("written");
    let (tables, problems) = load(dir.path(), &["nl"], "de");
    assert_eq!(tables.get("nl").get("next"), "Volgende");
    // The rest comes from the default language, German.
    assert_eq!(tables.get("nl").get("previous"), "Zurück");
    assert_eq!(problems.len(), 1, "{problems:?}");
    let warning = &problems[0];
    assert!(!warning.is_error());
    assert_eq!(warning.path, Path::new("i18n/nl.yaml"));
    assert!(
        warning.message.contains("`previous`"),
        "{}",
        warning.message
    );
    assert!(warning.message.contains("`de`"), "{}", warning.message);
}

#[test]
fn a_broken_site_file_is_an_error_at_its_place_and_the_built_in_table_stays() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("i18n")).expect("a folder");
    std::fs::write(
        dir.path().join("i18n/fr.yaml"),
        "home: Accueil\nnext: \"Suivant\n",
    )
    .expect("written");
    let (tables, problems) = load(dir.path(), &["fr"], "fr");
    assert_eq!(tables.get("fr").get("home"), "Accueil");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].is_error());
    assert_eq!((problems[0].line, problems[0].column), (2, 7));
}

#[test]
fn placeholders_are_filled_in_rust_too() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (tables, _) = load(dir.path(), &["en"], "en");
    let en = tables.get("en");
    assert_eq!(
        en.fill("search_description", &[("site", "Acme Help")]),
        "Search the articles of Acme Help."
    );
}
