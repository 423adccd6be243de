//! Theme strings per language: built-in tables, a site's `i18n/<code>.yaml`
//! overrides, fallback warnings, right-to-left pages and dates per language.

mod common;
use common::{Built, TestSite};
use kbgen::diagnostics::Diagnostic;

/// The problems with theme strings (the fixtures' articles have lint warnings).
fn string_problems(built: &Built) -> Vec<&Diagnostic> {
    built
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code == "strings")
        .collect()
}

/// A small help center in `language`: a section with two articles in one
/// category (so the category list, the pager and "Updated" show), one with
/// a GitHub alert.
fn site(language: &str) -> TestSite {
    TestSite::new()
        .file(
            "kbgen.yaml",
            format!("title: Help\nlanguage: {language}\ntaxonomies:\n  category: {{}}\n"),
        )
        .article(
            "content/start/first.md",
            "title: First steps\nupdated: 2025-03-04\ntaxonomy:\n  category: basics",
            "## Sign in\n\n> [!WARNING]\n> Keep your code secret.\n",
        )
        .article(
            "content/start/second.md",
            "title: Second steps\ndate: 2025-01-20\ntaxonomy:\n  category: basics",
            "Text.\n",
        )
}

#[test]
fn a_german_site_shows_german_theme_strings_and_dates() {
    let built = site("de").build_ok();
    let page = "/start/first/";
    assert_eq!(built.texts(page, "a.skip-link"), ["Zum Inhalt springen"]);
    assert_eq!(built.texts(page, "#toc-title"), ["Auf dieser Seite"]);
    assert_eq!(
        built.texts(page, ".article-header__updated"),
        ["Aktualisiert am 4. März 2025"]
    );
    assert_eq!(
        built.attrs(page, ".article-header__updated time", "datetime"),
        ["2025-03-04"]
    );
    assert_eq!(
        built.texts(page, ".site-footer__updated"),
        ["Zuletzt aktualisiert am 4. März 2025"]
    );
    assert_eq!(built.texts(page, ".callout__title"), ["Warnung"]);
    assert_eq!(built.texts(page, ".breadcrumbs li a")[0], "Startseite");
    assert_eq!(
        built.texts(page, ".category-list__current"),
        ["First steps (diese Seite)"]
    );
    assert_eq!(built.attrs("/start/first/", "html", "lang"), ["de"]);
    assert!(built.attrs(page, "html", "dir").is_empty());
    // Lists and the 404 page.
    assert_eq!(
        built.texts("/start/", ".article-list__meta"),
        [
            "Aktualisiert am 4. März 2025",
            "Aktualisiert am 20. Januar 2025"
        ]
    );
    assert_eq!(built.texts("/404.html", "h1"), ["Seite nicht gefunden"]);
    assert_eq!(
        built.texts("/category/basics/", ".list-summary"),
        ["2 Artikel"]
    );
}

#[test]
fn japanese_dates_and_reading_time_follow_the_language() {
    let built = site("ja").build_ok();
    assert_eq!(
        built.texts("/start/first/", ".article-header__updated"),
        ["更新日: 2025年3月4日"]
    );
    assert_eq!(
        built.texts("/start/first/", ".article-header__reading"),
        ["約1分で読めます"]
    );
}

#[test]
fn arabic_pages_are_right_to_left() {
    let built = site("ar").build_ok();
    for page in ["/", "/start/", "/start/first/", "/404.html"] {
        assert_eq!(built.attrs(page, "html", "dir"), ["rtl"], "{page}");
        assert_eq!(built.attrs(page, "html", "lang"), ["ar"], "{page}");
    }
    assert_eq!(built.texts("/start/first/", ".pager__label"), ["التالي"]);
}

#[test]
fn an_english_site_has_no_dir_attribute() {
    let built = site("en").build_ok();
    assert!(built.attrs("/start/first/", "html", "dir").is_empty());
    assert_eq!(
        built.texts("/start/first/", ".article-header__updated"),
        ["Updated March 4, 2025"]
    );
}

#[test]
fn a_site_file_overrides_one_string_and_keeps_the_others() {
    let built = site("de")
        .file("i18n/de.yaml", "on_this_page: Inhalt\n")
        .build_ok();
    assert!(string_problems(&built).is_empty(), "{:?}", built.warnings());
    assert_eq!(built.texts("/start/first/", "#toc-title"), ["Inhalt"]);
    assert_eq!(
        built.texts("/start/first/", "a.skip-link"),
        ["Zum Inhalt springen"]
    );
}

#[test]
fn strings_with_markup_characters_are_escaped() {
    let built = site("en")
        .file("i18n/en.yaml", "updated: \"<b>Fresh</b> & {date}\"\n")
        .build_ok();
    let html = built.text("start/index.html");
    assert!(
        html.contains("&lt;b&gt;Fresh&lt;&#x2F;b&gt; &amp; <time")
            || html.contains("&lt;b&gt;Fresh&lt;/b&gt; &amp; <time"),
        "{html}"
    );
}

#[test]
fn a_language_without_a_full_table_falls_back_and_warns_with_the_file_and_keys() {
    let built = site("nl")
        .file("i18n/nl.yaml", "next: Volgende\nprevious: Vorige\n")
        .build_ok();
    let warnings = string_problems(&built);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(!warnings[0].is_error());
    let warning = warnings[0];
    assert_eq!(warning.path, std::path::Path::new("i18n/nl.yaml"));
    assert!(
        warning.message.contains("`on_this_page`"),
        "{}",
        warning.message
    );
    assert!(!warning.message.contains("`next`"), "{}", warning.message);
    // Dutch where given, English elsewhere, Dutch month names.
    assert_eq!(built.texts("/start/first/", ".pager__label"), ["Volgende"]);
    assert_eq!(built.texts("/start/first/", "#toc-title"), ["On this page"]);
    assert_eq!(
        built.texts("/start/first/", ".article-header__updated"),
        ["Updated maart 4, 2025"]
    );
}

#[test]
fn a_malformed_site_file_is_an_error_at_its_line_and_column() {
    let built = site("fr")
        .file("i18n/fr.yaml", "home: Accueil\nnext: [Suivant\n")
        .build();
    let errors = built.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, std::path::Path::new("i18n/fr.yaml"));
    assert_eq!(errors[0].line, 3, "{:?}", errors[0]);

    let built = site("fr")
        .file(
            "i18n/fr.yaml",
            "home: Accueil\nnext:\n  text: Suivant\nhistroy: x\n",
        )
        .build();
    let problems: Vec<(bool, usize, usize)> = string_problems(&built)
        .into_iter()
        .map(|d| (d.is_error(), d.line, d.column))
        .collect();
    assert_eq!(problems, [(true, 2, 1), (false, 4, 1)]);
}

#[test]
fn check_warns_about_missing_strings_on_the_command_line() {
    let site = site("nl").file("i18n/nl.yaml", "next: Volgende\n");
    let assert = assert_cmd::Command::cargo_bin("kbgen")
        .unwrap()
        .args(["check", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("i18n/nl.yaml: warning[strings]: "),
        "{stderr}"
    );
    assert!(stderr.contains("`previous`"), "{stderr}");
}

#[test]
fn shortcode_templates_see_the_strings_of_the_page() {
    let built = site("es")
        .file(
            "templates/shortcodes/hint.html",
            "<div class=\"hint\">{{ strings.alert_tip }}: {{ body | safe }}</div>",
        )
        .article(
            "content/start/third.md",
            "title: Third",
            "{% hint() %}Usa la búsqueda.{% end %}\n\nVe a {{ ui(path=\"Ajustes > Cuenta\") }}.\n",
        )
        .build_ok();
    assert_eq!(
        built.texts("/start/third/", "div.hint"),
        ["Consejo: Usa la búsqueda."]
    );
    assert_eq!(
        built.texts("/start/third/", ".ui-path .visually-hidden"),
        ["luego"]
    );
}

#[test]
fn an_edit_of_a_strings_file_under_serve_renders_the_pages_again() {
    use kbgen::build::preview::Preview;
    use kbgen::build::{BuildOptions, Changes};
    let site = site("de");
    let root = site.root().to_path_buf();
    let mut preview = Preview::new(BuildOptions {
        root: root.clone(),
        ..Default::default()
    });
    assert!(preview.rebuild(&Changes::everything()).published);
    let page = "start/first/index.html";
    let shows = |preview: &Preview, text: &str| {
        String::from_utf8_lossy(&common::served(preview)[page]).contains(text)
    };
    assert!(shows(&preview, "Auf dieser Seite"));

    for (text, expected) in [
        ("on_this_page: Inhalt\n", "Inhalt"),
        ("on_this_page: Inhaltsverzeichnis\n", "Inhaltsverzeichnis"),
        ("", "Auf dieser Seite"),
    ] {
        let file = root.join("i18n/de.yaml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        let changes = kbgen::serve::watch::changes_from_paths(&root, &[file]);
        let rebuild = preview.rebuild(&changes);
        assert!(rebuild.published, "{text:?}");
        assert!(shows(&preview, &format!(">{expected}</h2>")), "{text:?}");
        // The same bytes as a fresh build of the same files.
        let fresh = site.build_ok();
        assert_eq!(
            common::served(&preview)[page],
            fresh.files[page],
            "{text:?}"
        );
    }
}

#[test]
fn a_redirect_page_speaks_the_site_language() {
    let built = site("fr")
        .article(
            "content/start/moved.md",
            "title: Nouvelle page\naliases: [/ancienne/]",
            "Texte.\n",
        )
        .build_ok();
    assert_eq!(
        built.texts("/ancienne/", "title"),
        ["Déplacée : Nouvelle page"]
    );
    assert_eq!(
        built.texts("/ancienne/", "p"),
        ["Cette page a été déplacée vers Nouvelle page."]
    );
    assert_eq!(built.attrs("/ancienne/", "html", "lang"), ["fr"]);
}
