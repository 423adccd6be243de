//! A help center in three languages: English (default), German and Arabic.
//! URLs, per-language pages and lists, hreflang and the sitemap, the
//! language switcher, links and related lists in translations, and the
//! translation status.

mod common;
use common::TestSite;

const CONFIG: &str = "title: Acme Help
base_url: https://help.acme.example/
languages:
  - code: en
    name: English
  - code: de
    name: Deutsch
    title: Acme Hilfe
    description: Antworten zu Acme.
    taxonomies:
      category:
        title: Kategorien
        terms:
          billing: { title: Abrechnung }
  - code: ar
    name: العربية
    title: مساعدة أكمي
lint:
  file-name: off
  missing-description: off
";

/// Billing in English, mostly in German, one article in Arabic; a second
/// section only in English.
fn help_center() -> TestSite {
    TestSite::new()
        .file("kbgen.yaml", CONFIG)
        .file("content/billing/_index.md", "---\ntitle: Billing\n---\nInvoices and payments.\n")
        .file(
            "content/billing/_index.de.md",
            "---\ntitle: Abrechnung\nslug: abrechnung\n---\nRechnungen und Zahlungen.\n",
        )
        .article(
            "content/billing/refunds.md",
            "title: Getting a refund\nweight: 1\nupdated: 2026-01-10\ntaxonomy:\n  category: billing\nrelated: [invoices.md, cards.md]",
            "## Ask for it\nSee [invoices](invoices.md#download) and [cards](cards.md).\n",
        )
        .article(
            "content/billing/refunds.de.md",
            "title: Geld zurück bekommen\nslug: erstattung\nupdated: 2026-01-12",
            "## Anfragen\nSiehe [Rechnungen](invoices.md#herunterladen) und [Karten](cards.md).\n",
        )
        .article(
            "content/billing/invoices.md",
            "title: Downloading invoices\nweight: 2\nupdated: 2026-02-01\ntaxonomy:\n  category: billing",
            "## Download\nOpen the billing page, or go back to [refunds](refunds.md).\n",
        )
        .article(
            "content/billing/invoices.de.md",
            "title: Rechnungen herunterladen\nupdated: 2026-01-05\ntaxonomy:\n  category: billing",
            "## Herunterladen\nÖffne die Abrechnung oder zurück zur [Erstattung](refunds.md).\n",
        )
        .article(
            "content/billing/invoices.ar.md",
            "title: تنزيل الفواتير",
            "## تنزيل\nافتح صفحة الفوترة.\n",
        )
        .article(
            "content/billing/cards.md",
            "title: Changing the card\nweight: 3\ntaxonomy:\n  category: billing",
            "Go to billing.\n",
        )
        .article(
            "content/account/password.md",
            "title: Resetting a password\ntaxonomy:\n  category: account",
            "Use the reset link.\n",
        )
}

#[test]
fn translations_live_under_their_language_with_translated_slugs() {
    let built = help_center().search().build_ok();
    for page in [
        "billing/refunds/index.html",
        "de/abrechnung/erstattung/index.html",
        "de/abrechnung/invoices/index.html",
        "ar/billing/invoices/index.html",
        "de/index.html",
        "ar/index.html",
        "de/search/index.html",
        "de/404.html",
        "de/category/billing/index.html",
        "de/feed.xml",
        "ar/feed.xml",
    ] {
        assert!(built.has(page), "{page}");
    }
    // No German page for what has no German translation.
    assert!(!built.has("de/account/index.html"));
    assert!(!built.has("de/abrechnung/cards/index.html"));
    assert!(!built.has("billing/refunds-de/index.html"));
}

#[test]
fn every_page_says_its_language() {
    let built = help_center().search().build_ok();
    let lang = |url: &str| built.attrs(url, "html", "lang");
    assert_eq!(lang("/billing/refunds/"), ["en"]);
    assert_eq!(lang("/de/abrechnung/erstattung/"), ["de"]);
    assert_eq!(lang("/ar/billing/invoices/"), ["ar"]);
    assert_eq!(lang("/de/"), ["de"]);
    assert_eq!(lang("/de/search/"), ["de"]);
    assert_eq!(lang("/de/404.html"), ["de"]);
    assert_eq!(built.texts("/de/", "title"), ["Acme Hilfe"]);
    // Arabic is written right to left; the others are not marked.
    assert_eq!(built.attrs("/ar/billing/invoices/", "html", "dir"), ["rtl"]);
    assert!(built.attrs("/de/", "html", "dir").is_empty());
    assert!(built.attrs("/billing/refunds/", "html", "dir").is_empty());
    // The theme speaks the page's language.
    assert_eq!(
        built.attrs(
            "/de/abrechnung/erstattung/",
            ".language-switcher",
            "aria-label"
        ),
        ["Sprache"]
    );
    assert_eq!(
        built.attrs("/billing/refunds/", ".language-switcher", "aria-label"),
        ["Language"]
    );
    assert_eq!(built.attrs("/de/", "a.site-title", "href"), ["/de/"]);
}

#[test]
fn hreflang_lists_the_languages_a_page_exists_in_and_x_default() {
    let built = help_center().build_ok();
    let alternates = |url: &str| {
        let codes = built.attrs(url, "link[rel=alternate][hreflang]", "hreflang");
        let hrefs = built.attrs(url, "link[rel=alternate][hreflang]", "href");
        codes.into_iter().zip(hrefs).collect::<Vec<_>>()
    };
    let expected = [
        ("en", "https://help.acme.example/billing/invoices/"),
        ("de", "https://help.acme.example/de/abrechnung/invoices/"),
        ("ar", "https://help.acme.example/ar/billing/invoices/"),
        ("x-default", "https://help.acme.example/billing/invoices/"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(alternates("/billing/invoices/"), expected);
    assert_eq!(alternates("/de/abrechnung/invoices/"), expected);
    // Only English and German for refunds: no Arabic page to point at.
    let refunds: Vec<String> = alternates("/de/abrechnung/erstattung/")
        .into_iter()
        .map(|(code, _)| code)
        .collect();
    assert_eq!(refunds, ["en", "de", "x-default"]);
}

#[test]
fn the_sitemap_lists_alternates_of_each_url() {
    let built = help_center().build_ok();
    let sitemap = built.text("sitemap.xml");
    assert!(sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    let entry = sitemap
        .split("<url>")
        .find(|u| u.contains("<loc>https://help.acme.example/de/abrechnung/erstattung/</loc>"))
        .expect("the German refunds page in the sitemap");
    assert!(entry.contains(r#"<xhtml:link rel="alternate" hreflang="en" href="https://help.acme.example/billing/refunds/"/>"#), "{entry}");
    assert!(entry
        .contains(r#"hreflang="de" href="https://help.acme.example/de/abrechnung/erstattung/""#));
    assert!(
        entry.contains(r#"hreflang="x-default" href="https://help.acme.example/billing/refunds/""#)
    );
    assert!(!entry.contains(r#"hreflang="ar""#));
    // A page in one language only has no alternates.
    let cards = sitemap
        .split("<url>")
        .find(|u| u.contains("/billing/cards/</loc>"))
        .unwrap();
    assert!(!cards.contains("xhtml:link"), "{cards}");
}

#[test]
fn the_switcher_goes_to_the_translation_or_that_languages_home() {
    let built = help_center().build_ok();
    let url = "/de/abrechnung/erstattung/";
    assert_eq!(
        built.texts(url, ".language-switcher li"),
        ["English", "Deutsch", "العربية"]
    );
    assert_eq!(
        built.attrs(url, ".language-switcher a", "href"),
        ["/billing/refunds/", "/ar/"]
    );
    assert_eq!(
        built.texts(url, ".language-switcher [aria-current]"),
        ["Deutsch"]
    );
    // A one-language page's switcher offers every language's home.
    assert_eq!(
        built.attrs("/account/password/", ".language-switcher a", "href"),
        ["/de/", "/ar/"]
    );
}

#[test]
fn lists_stay_within_the_language() {
    let built = help_center().build_ok();
    assert_eq!(
        built.texts("/de/abrechnung/", "main .article-list a, main li a"),
        built.texts("/de/abrechnung/", "main .article-list a, main li a")
    );
    let german_section = built.texts("/de/abrechnung/", "main a");
    assert!(german_section.contains(&"Geld zurück bekommen".to_string()));
    assert!(!german_section
        .iter()
        .any(|t| t == "Changing the card" || t == "Getting a refund"));
    assert_eq!(built.texts("/de/", ".site-nav a"), ["Abrechnung"]);
    assert_eq!(built.texts("/", ".site-nav a"), ["Account", "Billing"]);
    // Taxonomy pages in German, with titles from kbgen.yaml; terms inherited
    // by a translation that names none.
    assert_eq!(built.texts("/de/category/", "main h1"), ["Kategorien"]);
    let term = built.texts("/de/category/billing/", "main a");
    assert!(
        term.contains(&"Geld zurück bekommen".to_string()),
        "{term:?}"
    );
    assert!(!term.iter().any(|t| t.contains("refund")), "{term:?}");
    // Previous and next within the German section.
    assert_eq!(
        built.attrs("/de/abrechnung/erstattung/", "a[rel=next]", "href"),
        ["/de/abrechnung/invoices/"]
    );
    // The feed of a language holds its articles, in its language.
    let feed = built.text("de/feed.xml");
    assert!(feed.contains(r#"xml:lang="de""#));
    assert!(feed.contains("<title>Acme Hilfe</title>"));
    assert!(feed.contains("Rechnungen herunterladen"));
    assert!(!feed.contains("Downloading invoices"));
}

#[test]
fn related_lists_and_backlinks_are_the_translations() {
    let built = help_center().build_ok();
    // `related:` is inherited from the source, mapped to translations;
    // `cards.md` has no German translation and is left out.
    assert_eq!(
        built.texts("/de/abrechnung/erstattung/", "aside.related li a"),
        ["Rechnungen herunterladen"]
    );
    // The German invoices page is linked from the German refunds page only.
    let backlinks = built.texts("/de/abrechnung/invoices/", ".backlinks li a");
    assert_eq!(backlinks, ["Geld zurück bekommen"]);
    let english = built.texts("/billing/invoices/", ".backlinks li a");
    assert_eq!(english, ["Getting a refund"]);
}

#[test]
fn links_in_a_translation_go_to_translations_and_fall_back_to_the_source() {
    let built = help_center().build_ok();
    let links = built.attrs("/de/abrechnung/erstattung/", "main article p a", "href");
    assert_eq!(
        links,
        ["/de/abrechnung/invoices/#herunterladen", "/billing/cards/"]
    );
    // The anchor is checked in the page actually linked: `#download` is an
    // anchor of the English page, not of the German one.
    let broken = help_center()
        .file(
            "content/billing/refunds.de.md",
            "---\ntitle: Erstattung\n---\nSiehe [Rechnungen](invoices.md#download).\n",
        )
        .build();
    let errors: Vec<String> = broken.errors().iter().map(|d| d.headline()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("#download"), "{errors:?}");
    assert!(errors[0].contains("refunds.de.md:4:"), "{errors:?}");
}

#[test]
fn a_fallback_link_can_be_a_warning() {
    let config = format!("{CONFIG}links:\n  missing_translation: warn\n");
    let built = help_center().file("kbgen.yaml", config).build_ok();
    let warnings: Vec<String> = built
        .warnings()
        .iter()
        .filter(|d| d.code == "i18n/link")
        .map(|d| d.headline())
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("refunds.de.md:7:51:"), "{warnings:?}");
    assert!(warnings[0].contains("cards.md"), "{warnings:?}");
}

#[test]
fn search_keeps_an_index_per_language() {
    let built = help_center().search().build_ok();
    let entry = built.text("pagefind/pagefind-entry.json");
    for code in ["\"en\"", "\"de\"", "\"ar\""] {
        assert!(entry.contains(code), "{entry}");
    }
    assert_eq!(
        built.attrs("/de/abrechnung/erstattung/", "form.site-search", "action"),
        ["/de/search/"]
    );
}

#[test]
fn an_outdated_translation_says_so_and_links_the_source() {
    let built = help_center().build_ok();
    // German invoices (2026-01-05) predate the English update (2026-02-01).
    let banner = built.attrs("/de/abrechnung/invoices/", ".translation-banner a", "href");
    assert_eq!(banner, ["/billing/invoices/"]);
    let text = built.texts("/de/abrechnung/invoices/", ".translation-banner");
    assert!(
        text[0].starts_with("Diese Übersetzung ist möglicherweise veraltet."),
        "{text:?}"
    );
    assert!(text[0].ends_with("Original lesen (English)"), "{text:?}");
    // The German refunds page was updated after its source.
    assert!(built
        .texts("/de/abrechnung/erstattung/", ".translation-banner")
        .is_empty());
    let outdated: Vec<String> = built
        .warnings()
        .iter()
        .filter(|d| d.code == "i18n/outdated")
        .map(|d| d.headline())
        .collect();
    assert_eq!(outdated.len(), 1, "{outdated:?}");
    assert!(outdated[0].contains("invoices.de.md"), "{outdated:?}");
}

#[test]
fn a_recorded_revision_finds_an_edit_without_a_date() {
    let site = help_center();
    let (loaded, _) = kbgen::fix::load_site(site.root()).unwrap();
    let Some(kbgen::site::urls::Target::Article(source)) =
        loaded.urls.content_path_target("billing/refunds.md")
    else {
        panic!("no source")
    };
    let revision = kbgen::content::languages::revision(&loaded.articles[source].source);
    let marked = format!(
        "---\ntitle: Geld zurück bekommen\nslug: erstattung\ntranslated_from: {revision}\n---\nText.\n"
    );
    let site = site.file("content/billing/refunds.de.md", &marked);
    assert!(site
        .build_ok()
        .texts("/de/abrechnung/erstattung/", ".translation-banner")
        .is_empty());
    // The source changes; no date moves.
    let site = site.article(
        "content/billing/refunds.md",
        "title: Getting a refund\nupdated: 2026-01-10\ntaxonomy:\n  category: billing",
        "## Ask for it\nNow with a form.\n",
    );
    let built = site.build_ok();
    assert_eq!(
        built.attrs(
            "/de/abrechnung/erstattung/",
            ".translation-banner a",
            "href"
        ),
        ["/billing/refunds/"]
    );
    let outdated = built
        .warnings()
        .iter()
        .filter(|d| d.code == "i18n/outdated")
        .count();
    assert_eq!(outdated, 2);
}

#[test]
fn missing_translations_are_a_lint_rule_off_by_default() {
    let built = help_center().build_ok();
    assert!(!built.warnings().iter().any(|d| d.code == "i18n/missing"));
    let config = format!("{CONFIG}  i18n-missing: warn\n");
    let built = help_center().file("kbgen.yaml", config).build_ok();
    let missing: Vec<String> = built
        .warnings()
        .iter()
        .filter(|d| d.code == "i18n/missing")
        .map(|d| d.headline())
        .collect();
    // German lacks cards and password; Arabic lacks refunds, cards, password.
    assert_eq!(missing.len(), 5, "{missing:?}");
    assert!(missing
        .iter()
        .any(|m| m.contains("cards.md:2:1") && m.contains("Deutsch")));
}

#[test]
fn a_translation_without_a_source_is_a_warning() {
    let built = help_center()
        .article("content/billing/refnds.de.md", "title: Vertippt", "Text.\n")
        .build_ok();
    let orphans: Vec<String> = built
        .warnings()
        .iter()
        .filter(|d| d.code == "i18n/orphan")
        .map(|d| d.headline())
        .collect();
    assert_eq!(orphans.len(), 1, "{orphans:?}");
    assert!(orphans[0].contains("refnds.de.md"));
}

#[test]
fn without_languages_a_code_in_a_file_name_is_just_a_name() {
    let built = TestSite::new()
        .article("content/a/notes.de.md", "title: Notes", "Text.\n")
        .build_ok();
    assert!(
        built.has("a/notes-de/index.html"),
        "{:?}",
        built.files.keys()
    );
    assert!(!built.text("a/notes-de/index.html").contains("hreflang"));
}

#[test]
fn a_site_url_in_a_translation_stays_what_it_says() {
    let built = help_center()
        .file(
            "content/_index.de.md",
            "---\ntitle: Hilfe\n---\nAlles andere [auf Englisch](/) und [hier](@/_index.md).\n",
        )
        .build_ok();
    let hrefs = built.attrs("/de/", "main p a", "href");
    assert_eq!(hrefs[..2], ["/", "/de/"]);
    assert_eq!(built.texts("/de/", "main h1"), ["Hilfe"]);
}

#[test]
fn a_home_page_without_its_own_index_takes_the_languages_title() {
    let built = help_center()
        .file(
            "content/_index.md",
            "---\ntitle: Welcome\ndescription: English words.\n---\nHello.\n",
        )
        .build_ok();
    assert_eq!(built.texts("/de/", "main h1"), ["Acme Hilfe"]);
    assert_eq!(
        built.attrs("/de/", "meta[name=description]", "content"),
        ["Antworten zu Acme."]
    );
}

fn kbgen_in(root: &std::path::Path) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("kbgen").unwrap();
    command.current_dir(root);
    command
}

#[test]
fn the_translations_command_counts_missing_and_outdated_articles() {
    let site = help_center();
    let output = kbgen_in(site.root()).arg("translations").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let expected = "\
de (Deutsch): 2 of 4 translated, 2 missing, 1 outdated
  missing   account/password.md
  missing   billing/cards.md
  outdated  billing/invoices.de.md  (source updated 2026-02-01, translation 2026-01-05)
ar (العربية): 1 of 4 translated, 3 missing, 0 outdated, 1 never marked
  missing   account/password.md
  missing   billing/refunds.md
  missing   billing/cards.md
";
    assert_eq!(text, expected);

    let output = kbgen_in(site.root())
        .args(["translations", "--message-format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let german = &json["languages"][0];
    assert_eq!(german["code"], "de");
    assert_eq!(german["sources"], 4);
    assert_eq!(german["translated"], 2);
    assert_eq!(
        german["missing"],
        serde_json::json!(["account/password.md", "billing/cards.md"])
    );
    assert_eq!(german["outdated"][0]["path"], "billing/invoices.de.md");
    assert_eq!(german["outdated"][0]["status"], "updated-since");
}

#[test]
fn mark_records_the_revision_and_the_translation_is_current_again() {
    let site = help_center().article(
        "content/billing/refunds.md",
        "title: Getting a refund\ntaxonomy:\n  category: billing",
        "Changed without a date.\n",
    );
    kbgen_in(site.root())
        .args(["translations", "mark", "content/billing/invoices.de.md"])
        .assert()
        .success();
    let text = std::fs::read_to_string(site.path("content/billing/invoices.de.md")).unwrap();
    assert!(text.contains("\ntranslated_from: "), "{text}");
    assert!(
        text.starts_with("---\ntitle: Rechnungen herunterladen\n"),
        "{text}"
    );
    let built = site.build_ok();
    assert!(built
        .texts("/de/abrechnung/invoices/", ".translation-banner")
        .is_empty());
    // Marking a source article is refused.
    kbgen_in(site.root())
        .args(["translations", "mark", "content/billing/cards.md"])
        .assert()
        .code(1);
}

#[test]
fn with_dates_from_git_a_later_commit_to_the_source_makes_the_translation_outdated() {
    use common::git::{snapshot, GitRepo};
    const JAN_1: i64 = 1_704_067_200;
    let config = "title: Help\nbase_url: https://help.example.com/\ndates: git\nlanguages:\n  - code: en\n  - code: de\n    name: Deutsch\nlint:\n  missing-description: off\n";
    let source_1 = "---\ntitle: Refunds\n---\nAsk support.\n";
    let source_2 = "---\ntitle: Refunds\n---\nAsk support, with the order number.\n";
    let german = "---\ntitle: Erstattung\n---\nFragen Sie den Support.\n";
    let site = TestSite::new()
        .file("kbgen.yaml", config)
        .file("content/billing/refunds.md", source_2)
        .file("content/billing/refunds.de.md", german);
    let repo = GitRepo::init(site.root());
    let files = |source: &str| {
        snapshot(&[
            ("kbgen.yaml", config),
            ("content/billing/refunds.md", source),
            ("content/billing/refunds.de.md", german),
        ])
    };
    let first = repo.commit(&files(source_1), JAN_1, "Ann Archer", &[]);
    let second = repo.commit(&files(source_2), JAN_1 + 10 * 86_400, "Bob Baker", &[first]);
    repo.set_main(second);
    let built = site.build_ok();
    assert_eq!(
        built.attrs("/de/billing/refunds/", ".translation-banner a", "href"),
        ["/billing/refunds/"]
    );
    let output = kbgen_in(site.root()).arg("translations").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "outdated  billing/refunds.de.md  (source updated 2024-01-11, translation 2024-01-01)"
        ),
        "{text}"
    );
}
