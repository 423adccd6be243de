//! The content side of a multilingual site as a new user gets it wrong:
//! language suffixes in another case, with `_`, or of a language the site
//! does not have; the default language written out (`x.en.md`); drafts and
//! their translations; right-to-left languages without a strings table;
//! lint advice for translations; and the problems with `languages:` itself.

mod common;
use common::{Built, TestSite};

const CONFIG: &str = "title: Lumen Help
base_url: https://help.lumen.example/
languages:
  - code: en
    name: English
  - code: de
    name: Deutsch
    description: Hilfe zu Lumen.
  - code: pt-BR
    name: Português
    description: Ajuda do Lumen.
lint:
  missing-description: off
";

fn site() -> TestSite {
    TestSite::new()
        .file("kbgen.yaml", CONFIG)
        .article(
            "content/start/sign-in.md",
            "title: Sign in",
            "Use your email.\n",
        )
        .article(
            "content/start/exports.md",
            "title: Exports",
            "Export a report.\n",
        )
}

fn lang(built: &Built, url: &str) -> Vec<String> {
    built.attrs(url, "html", "lang")
}

fn said(built: &Built, code: &str) -> Vec<String> {
    (built.report.diagnostics.iter())
        .filter(|d| d.code == code)
        .map(|d| format!("{} {}", d.path.display(), d.message))
        .collect()
}

#[test]
fn language_suffixes_match_in_any_case_and_pt_br_with_underscore_is_reported() {
    let built = site()
        .article(
            "content/start/sign-in.DE.md",
            "title: Anmelden",
            "Mit E-Mail.\n",
        )
        .article(
            "content/start/exports.pt_br.md",
            "title: Exportar",
            "Exporte.\n",
        )
        .build_ok();
    assert_eq!(lang(&built, "/de/start/sign-in/"), ["de"]);
    assert_eq!(lang(&built, "/pt-BR/start/exports/"), ["pt-BR"]);
    assert!(!built.has("start/sign-in-de/index.html"));
    let misspelled = said(&built, "i18n/file-language");
    assert_eq!(misspelled.len(), 1, "{misspelled:?}");
    assert!(misspelled[0]
        .starts_with("content/start/exports.pt_br.md `pt_br` is read as the language `pt-BR`"));
}

#[test]
fn a_language_the_site_does_not_have_is_a_warning_and_never_an_article() {
    let built = site()
        .article(
            "content/start/sign-in.fr.md",
            "title: Connexion",
            "Avec l'e-mail.\n",
        )
        .article(
            "content/start/exports.pt.md",
            "title: Exportar",
            "Exporte.\n",
        )
        .article("content/start/release.v2.md", "title: Release v2", "New.\n")
        .article("content/start/notes.2024.md", "title: Notes 2024", "Old.\n")
        .file(
            "content/start/guide/index.md",
            "---\ntitle: Guide\n---\nRead.\n",
        )
        .file(
            "content/start/guide/index.fr.md",
            "---\ntitle: Guide\n---\nLire.\n",
        )
        .build_ok();
    let found = said(&built, "i18n/file-language");
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].starts_with("content/start/exports.pt.md `pt` is not a language of this site (languages: en, de, pt-BR)"), "{found:#?}");
    assert!(
        found[1].starts_with("content/start/guide/index.fr.md `fr` is not"),
        "{found:#?}"
    );
    let pt = built
        .report
        .diagnostics
        .iter()
        .find(|d| d.path.ends_with("exports.pt.md"))
        .unwrap();
    assert!(
        pt.help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `pt-BR` (`exports.pt-BR.md`)?"),
        "{pt:?}"
    );
    assert!(!built.has("start/sign-in-fr/index.html"));
    assert!(!built.has("start/exports-pt/index.html"));
    assert!(
        !built.files.keys().any(|f| f.ends_with("index.fr.md")),
        "a bundle's translation is never a copied file"
    );
    assert!(built.has("start/release-v2/index.html"));
    assert!(built.has("start/notes-2024/index.html"));
}

#[test]
fn codes_in_kbgen_yaml_match_files_in_any_case() {
    let config = CONFIG
        .replace("code: de", "code: DE")
        .replace("code: pt-BR", "code: pt-br");
    let built = site()
        .file("kbgen.yaml", config)
        .article(
            "content/start/sign-in.de.md",
            "title: Anmelden",
            "Mit E-Mail.\n",
        )
        .article(
            "content/start/exports.pt-BR.md",
            "title: Exportar",
            "Exporte.\n",
        )
        .build_ok();
    assert_eq!(lang(&built, "/de/start/sign-in/"), ["de"]);
    assert_eq!(lang(&built, "/pt-BR/start/exports/"), ["pt-BR"]);
}

#[test]
fn the_default_language_written_out_is_the_source_article() {
    let built = site()
        .article(
            "content/billing/invoices.en.md",
            "title: Invoices",
            "Download them.\n",
        )
        .article(
            "content/billing/invoices.de.md",
            "title: Rechnungen",
            "Herunterladen.\n",
        )
        .article(
            "content/billing/refunds.md",
            "title: Refunds",
            "See [invoices](invoices.md) and [the same](@/billing/invoices.md).\n",
        )
        .build_ok();
    assert!(built.has("billing/invoices/index.html"));
    assert_eq!(
        built.attrs("/billing/refunds/", ".article-body a", "href"),
        ["/billing/invoices/", "/billing/invoices/"],
        "links written to x.md reach x.en.md"
    );
    assert!(!built.has("billing/invoices-en/index.html"));
    assert!(
        said(&built, "i18n/orphan").is_empty(),
        "{:?}",
        said(&built, "i18n/orphan")
    );
    let alternates = built.attrs("/de/billing/invoices/", "link[hreflang=en]", "href");
    assert_eq!(alternates, ["https://help.lumen.example/billing/invoices/"]);

    let both = site()
        .article(
            "content/start/sign-in.en.md",
            "title: Sign in (new)",
            "New.\n",
        )
        .build();
    let errors: Vec<String> = both.errors().iter().map(|d| d.headline()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("content/start/sign-in.en.md"),
        "{errors:?}"
    );
    assert!(
        errors[0]
            .contains("content/start/sign-in.md is already this page in the default language `en`"),
        "{errors:?}"
    );
}

#[test]
fn a_translation_of_a_draft_is_a_draft() {
    let drafted = || {
        site()
            .article(
                "content/start/beta.md",
                "title: Beta\ndraft: true",
                "Soon.\n",
            )
            .article("content/start/beta.de.md", "title: Beta", "Bald.\n")
    };
    let built = drafted().build_ok();
    assert!(!built.has("de/start/beta/index.html"));
    assert!(!built.has("start/beta/index.html"));
    assert!(
        said(&built, "i18n/orphan").is_empty(),
        "{:?}",
        said(&built, "i18n/orphan")
    );
    let with_drafts = drafted().drafts().build_ok();
    assert!(with_drafts.has("de/start/beta/index.html"));
    assert!(with_drafts.has("start/beta/index.html"));
}

#[test]
fn a_right_to_left_language_without_a_strings_table_is_right_to_left() {
    let config = CONFIG.replace(
        "lint:",
        "  - code: he\n    name: עברית\n  - code: pa-Arab\n    name: پنجابی\nlint:",
    );
    let built = site()
        .file("kbgen.yaml", config)
        .article(
            "content/start/sign-in.he.md",
            "title: כניסה",
            "עם אימייל.\n",
        )
        .article(
            "content/start/sign-in.pa-Arab.md",
            "title: سائن ان",
            "ای میل\n",
        )
        .build_ok();
    assert_eq!(built.attrs("/he/start/sign-in/", "html", "dir"), ["rtl"]);
    assert_eq!(
        built.attrs("/pa-Arab/start/sign-in/", "html", "dir"),
        ["rtl"]
    );
    assert!(built
        .attrs("/de/", "html", "dir")
        .iter()
        .all(|d| d != "rtl"));
}

#[test]
fn the_file_name_rule_judges_translations_by_their_source() {
    let config = CONFIG.replace("  missing-description: off\n", "");
    let built = site()
        .file("kbgen.yaml", config)
        .article(
            "content/start/sign-in.de.md",
            "title: Erste Anmeldung\ndescription: x",
            "Mit E-Mail.\n",
        )
        .file(
            "content/start/guide/index.md",
            "---\ntitle: Guide\ndescription: x\n---\nRead.\n",
        )
        .file(
            "content/start/guide/index.de.md",
            "---\ntitle: Anleitung\ndescription: x\n---\nLesen.\n",
        )
        .build_ok();
    let file_name = said(&built, "lint/file-name");
    assert!(
        file_name.iter().all(|f| !f.contains(".de.md")),
        "{file_name:?}"
    );
}

#[test]
fn a_language_without_a_description_is_a_lint_warning_at_its_entry() {
    let config = CONFIG
        .replace("    description: Ajuda do Lumen.\n", "")
        .replace("  missing-description: off\n", "  file-name: off\n");
    let built = site().file("kbgen.yaml", config).build_ok();
    let found: Vec<_> = (built.report.diagnostics.iter())
        .filter(|d| d.code == "lint/missing-description" && d.path.ends_with("kbgen.yaml"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].line, found[0].column), (9, 11));
    assert!(found[0].message.contains("`pt-BR` has no `description`"));
    let off = site().build_ok();
    assert!(said(&off, "lint/missing-description").is_empty());
}

#[test]
fn terms_written_in_a_translation_are_a_warning_and_missing_ones_are_inherited() {
    let config = CONFIG.replace(
        "lint:",
        "taxonomies:\n  category: { title: Categories }\n  tag: { title: Tags }\nlint:",
    );
    let built = site()
        .file("kbgen.yaml", config)
        .article(
            "content/billing/cards.md",
            "title: Cards\ntaxonomy:\n  category: billing\n  tag: [payment]",
            "Cards.\n",
        )
        .article(
            "content/billing/cards.de.md",
            "title: Karten\ntaxonomy:\n  category: abrechnung",
            "Karten.\n",
        )
        .article(
            "content/billing/refunds.md",
            "title: Refunds\ntaxonomy:\n  category: billing",
            "Refunds.\n",
        )
        .article(
            "content/billing/refunds.de.md",
            "title: Erstattung\ntaxonomy:\n  category: billing",
            "Erstattung.\n",
        )
        .build_ok();
    let warned: Vec<_> = (built.report.diagnostics.iter())
        .filter(|d| d.code == "taxonomy")
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    let warning = warned[0];
    assert!(!warning.is_error());
    assert!(warning.path.ends_with("content/billing/cards.de.md"));
    assert_eq!((warning.line, warning.column), (4, 13));
    assert!(warning.message.contains("category `abrechnung` is not one of its source article's terms (content/billing/cards.md names `billing`)"), "{}", warning.message);
    assert!(warning.help.as_deref().unwrap().contains("kbgen.yaml"));
    // The tag it did not name is its source's.
    assert!(built.has("de/tag/payment/index.html"));
}

#[test]
fn url_collisions_name_both_sides_and_point_at_the_slug() {
    let config = CONFIG.replace("lint:", "  - code: ar\n    name: العربية\nlint:");
    let folder = site()
        .file("kbgen.yaml", config)
        .file(
            "content/ar/_index.md",
            "---\ntitle: Augmented reality\n---\nAR.\n",
        )
        .article("content/ar/glasses.md", "title: Glasses", "Wear them.\n")
        .article(
            "content/start/sign-in.ar.md",
            "title: تسجيل الدخول",
            "بالبريد.\n",
        )
        .build();
    let said: Vec<String> = folder.errors().iter().map(|d| d.headline()).collect();
    assert_eq!(
        said,
        ["content/ar/_index.md: error[url-collision]: the section page content/ar/_index.md and the home page of `ar` both want the URL /ar/"]
    );
    let help = folder.errors()[0].help.clone().unwrap();
    assert!(
        help.contains("a folder at the top of content/ may not be named like one"),
        "{help}"
    );

    let slug = site()
        .file("content/billing/_index.md", "---\ntitle: Billing\n---\n")
        .article("content/billing/cards.md", "title: Cards", "Cards.\n")
        .article("content/billing/cards.de.md", "title: Karten", "Karten.\n")
        .file(
            "content/start/_index.de.md",
            "---\ntitle: Start\nslug: billing\n---\n",
        )
        .article(
            "content/start/sign-in.de.md",
            "title: Anmelden",
            "Mit E-Mail.\n",
        )
        .build();
    let said: Vec<String> = slug.errors().iter().map(|d| d.headline()).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].starts_with("content/start/_index.de.md:3:1: error[url-collision]: the section page content/start/_index.de.md and the section folder content/billing/ both want the URL /de/billing/"), "{said:?}");
    assert_eq!(
        slug.errors()[0].help.as_deref(),
        Some("the URL comes from the `slug:` here: change it")
    );
}

/// A dotted name whose last part happens to be a language code (`io` is
/// Ido, `cs` Czech) with no page to translate is an article, as it was
/// before the site had languages: a warning, never a page quietly dropped.
#[test]
fn a_code_shaped_suffix_with_nothing_to_translate_stays_an_article() {
    let built = site()
        .article(
            "content/start/socket.io.md",
            "title: Socket.IO",
            "Events.\n",
        )
        .article(
            "content/start/program.cs.md",
            "title: Program.cs",
            "Main.\n",
        )
        .build_ok();
    assert!(built.has("start/socket-io/index.html"));
    assert!(built.has("start/program-cs/index.html"));
    let found = said(&built, "i18n/file-language");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].contains("there is no `program.md` for this file to translate"),
        "{found:#?}"
    );
}
