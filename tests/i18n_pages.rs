//! What each language's pages and files say about themselves: home links,
//! structured data, hreflang (and its agreement with the sitemap),
//! `llms.txt`, OpenSearch, the outdated-translation banner, `_redirects`
//! and the count of pages `check` and `build` report. A help center in
//! English (default), German and Arabic.

mod common;
use common::TestSite;

const CONFIG: &str = "title: Lantern Help
description: How to get more out of Lantern.
base_url: https://help.lantern.example/
languages:
  - code: en
    name: English
  - code: de
    name: Deutsch
    title: Lantern Hilfe
    description: Mehr aus Lantern herausholen.
  - code: ar
    name: العربية
    title: مساعدة لانترن
lint:
  file-name: off
  missing-description: off
";

/// Setup in three languages; Billing in English and German; one article
/// (`billing/limits.md`) in English only.
fn help_center(config: &str) -> TestSite {
    TestSite::new()
        .file("kbgen.yaml", config)
        .file("content/setup/_index.md", "---\ntitle: Setup\n---\n")
        .file("content/setup/_index.de.md", "---\ntitle: Einrichtung\n---\n")
        .file("content/billing/_index.md", "---\ntitle: Billing\n---\n")
        .article(
            "content/setup/install.md",
            "title: Installing the app\ndescription: Put Lantern on your laptop.\nupdated: 2026-03-01",
            "## Steps\nRun the installer.\n",
        )
        .article(
            "content/setup/install.de.md",
            "title: Die App installieren\ndescription: Lantern auf den Laptop bringen.\nupdated: 2026-02-01",
            "## Schritte\nDas Installationsprogramm starten.\n",
        )
        .article(
            "content/setup/install.ar.md",
            "title: تثبيت التطبيق\nupdated: 2026-03-05",
            "## الخطوات\nشغّل برنامج التثبيت.\n",
        )
        .article(
            "content/billing/plans.md",
            "title: Choosing a plan",
            "Pick the plan that fits.\n",
        )
        .article(
            "content/billing/plans.de.md",
            "title: Einen Tarif wählen",
            "Den passenden Tarif wählen.\n",
        )
        .article(
            "content/billing/limits.md",
            "title: Usage limits",
            "What each plan allows.\n",
        )
}

fn built() -> common::Built {
    help_center(CONFIG).search().build_ok()
}

#[test]
fn home_links_of_404_and_search_pages_go_to_their_languages_home() {
    let built = built();
    for (prefix, home) in [("", "/"), ("de/", "/de/"), ("ar/", "/ar/")] {
        let not_found = format!("/{prefix}404.html");
        assert_eq!(
            built.attrs(&not_found, ".not-found__home a", "href"),
            [home],
            "{not_found}"
        );
        let search = format!("/{prefix}search/");
        let page = built.text(&format!("{prefix}search/index.html"));
        let document = scraper::Html::parse_document(&page);
        let empty = scraper::Selector::parse(".search-empty a").unwrap();
        let empty_home: Vec<&str> = document
            .select(&empty)
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert!(empty_home.contains(&home), "{search}: {empty_home:?}");
        // The `<noscript>` sentence: parsed as text by an HTML parser that
        // runs scripts, so its link is checked in the source.
        let noscript = page
            .split("<noscript>")
            .nth(1)
            .and_then(|rest| rest.split("</noscript>").next())
            .unwrap_or_default();
        assert!(
            noscript.contains(&format!("<a href=\"{home}\">")),
            "{search}: {noscript}"
        );
        // The header's logo, search form and feed are the language's too.
        assert_eq!(built.attrs(&not_found, "a.site-title", "href"), [home]);
        assert_eq!(
            built.attrs(&not_found, "form.site-search", "action"),
            [format!("{home}search/")]
        );
        assert_eq!(
            built.attrs(&search, "link[type='application/atom+xml']", "href"),
            [format!("{home}feed.xml")]
        );
    }
    assert_eq!(
        built.attrs("/de/404.html", ".breadcrumbs a", "href"),
        ["/de/"]
    );
}

#[test]
fn json_ld_speaks_of_the_pages_language_and_its_site() {
    let built = built();
    let graph = |url: &str| -> serde_json::Value {
        let script = built.texts(url, "script[type='application/ld+json']");
        serde_json::from_str(&script[0]).unwrap()
    };
    let german = graph("/de/setup/install/");
    let article = &german["@graph"][0];
    assert_eq!(article["inLanguage"], "de");
    assert_eq!(article["isPartOf"]["name"], "Lantern Hilfe");
    assert_eq!(
        article["isPartOf"]["url"],
        "https://help.lantern.example/de/"
    );
    let arabic = &graph("/ar/setup/install/")["@graph"][0];
    assert_eq!(arabic["inLanguage"], "ar");
    assert_eq!(arabic["isPartOf"]["name"], "مساعدة لانترن");
    let english = &graph("/setup/install/")["@graph"][0];
    assert_eq!(english["inLanguage"], "en");
    assert_eq!(english["isPartOf"]["name"], "Lantern Help");
    assert_eq!(english["isPartOf"]["url"], "https://help.lantern.example/");
    // The other machine-readable parts of the head agree.
    assert_eq!(
        built.attrs(
            "/de/setup/install/",
            "meta[property='og:site_name']",
            "content"
        ),
        ["Lantern Hilfe"]
    );
    assert_eq!(
        built.attrs("/de/setup/install/", "link[rel=canonical]", "href"),
        ["https://help.lantern.example/de/setup/install/"]
    );
}

/// (hreflang, href) of every `<link rel="alternate" hreflang>` of a page.
fn hreflang_links(built: &common::Built, url: &str) -> Vec<(String, String)> {
    let codes = built.attrs(url, "link[rel=alternate][hreflang]", "hreflang");
    let hrefs = built.attrs(url, "link[rel=alternate][hreflang]", "href");
    codes.into_iter().zip(hrefs).collect()
}

/// (hreflang, href) of the sitemap entry of `loc`.
fn sitemap_alternates(sitemap: &str, loc: &str) -> Vec<(String, String)> {
    let entry = sitemap
        .split("<url>")
        .find(|u| u.contains(&format!("<loc>{loc}</loc>")))
        .unwrap_or_else(|| panic!("{loc} in the sitemap"));
    entry
        .split("<xhtml:link ")
        .skip(1)
        .map(|link| {
            let attr = |name: &str| {
                let start = link.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                link[start..].split('"').next().unwrap().to_string()
            };
            (attr("hreflang"), attr("href"))
        })
        .collect()
}

#[test]
fn pages_and_sitemap_list_the_same_alternates() {
    let built = built();
    let sitemap = built.text("sitemap.xml");
    let origin = "https://help.lantern.example";
    for url in [
        "/setup/install/",
        "/de/setup/install/",
        "/ar/setup/install/",
        "/billing/plans/",
        "/de/billing/plans/",
        "/billing/limits/",
        "/setup/",
        "/de/",
        "/",
    ] {
        assert_eq!(
            hreflang_links(&built, url),
            sitemap_alternates(&sitemap, &format!("{origin}{url}")),
            "{url}"
        );
    }
    // A page in one language only has none, in either.
    assert!(hreflang_links(&built, "/billing/limits/").is_empty());
    assert_eq!(
        hreflang_links(&built, "/billing/plans/"),
        [
            ("en".into(), format!("{origin}/billing/plans/")),
            ("de".into(), format!("{origin}/de/billing/plans/")),
            ("x-default".into(), format!("{origin}/billing/plans/")),
        ]
    );
    // Its switcher still offers the other languages' home pages.
    assert_eq!(
        built.attrs(
            "/billing/limits/",
            ".language-switcher a[rel=nofollow]",
            "href"
        ),
        ["/de/", "/ar/"]
    );
}

#[test]
fn without_base_url_there_are_no_hreflang_links_as_there_is_no_canonical() {
    let config = CONFIG.replace("base_url: https://help.lantern.example/\n", "");
    let built = help_center(&config).build_ok();
    for url in ["/setup/install/", "/de/setup/install/", "/de/"] {
        assert!(hreflang_links(&built, url).is_empty(), "{url}");
        assert!(built.attrs(url, "link[rel=canonical]", "href").is_empty());
    }
    // The switcher is unchanged: translations are followed, homes are not.
    assert_eq!(
        built.attrs("/de/setup/install/", ".language-switcher a", "href"),
        ["/setup/install/", "/ar/setup/install/"]
    );
    assert!(built
        .attrs(
            "/de/setup/install/",
            ".language-switcher a[rel=nofollow]",
            "href"
        )
        .is_empty());
}

fn kbgen_in(root: &std::path::Path) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("kbgen").unwrap();
    command.current_dir(root).env("NO_COLOR", "1");
    command
}

#[test]
fn a_build_without_base_url_says_hreflang_links_were_left_out() {
    let config = CONFIG.replace("base_url: https://help.lantern.example/\n", "");
    let site = help_center(&config);
    let output = kbgen_in(site.root()).arg("build").output().unwrap();
    assert!(output.status.success());
    let said = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("hreflang links were left out"), "{said}");
    // A site in one language has no hreflang links to leave out.
    let single = TestSite::new().file("kbgen.yaml", "title: One\n").article(
        "content/a/b.md",
        "title: B",
        "Text.\n",
    );
    let output = kbgen_in(single.root()).arg("build").output().unwrap();
    let said = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(!said.contains("hreflang"), "{said}");
}

#[test]
fn llms_txt_is_written_per_language_and_links_the_others() {
    let config = format!("{CONFIG}llms_full_txt: true\n");
    let built = help_center(&config).build_ok();
    let root = built.text("llms.txt");
    let german = built.text("de/llms.txt");
    assert!(root.starts_with("# Lantern Help\n"), "{root}");
    assert!(german.starts_with("# Lantern Hilfe\n\n> Mehr aus Lantern herausholen.\n"));
    // Each heading once, each article in its own language's file only.
    for text in [&root, &german] {
        let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
        let mut unique = headings.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(headings.len(), unique.len(), "{text}");
    }
    assert!(root.contains("[Usage limits]"));
    assert!(!root.contains("Einen Tarif"));
    assert!(german.contains("[Einen Tarif wählen](https://help.lantern.example/de/billing/plans/)"));
    assert!(!german.contains("Usage limits"));
    // The last section links the other languages' files, titled in the
    // file's language.
    assert!(root.contains(
        "\n## Translations\n\n- [Deutsch](https://help.lantern.example/de/llms.txt): Lantern Hilfe\n- [العربية](https://help.lantern.example/ar/llms.txt): مساعدة لانترن\n"
    ), "{root}");
    assert!(german.contains(
        "\n## Übersetzungen\n\n- [English](https://help.lantern.example/llms.txt): Lantern Help\n"
    ));
    // llms-full.txt likewise.
    let full = built.text("llms-full.txt");
    let german_full = built.text("de/llms-full.txt");
    assert!(full.starts_with("# Lantern Help\n"));
    assert!(full.contains("Usage limits") && !full.contains("Einen Tarif"));
    assert!(german_full.starts_with("# Lantern Hilfe\n"));
    assert!(german_full.contains("Einen Tarif wählen") && !german_full.contains("Usage limits"));
}

#[test]
fn each_language_has_its_opensearch_description() {
    let built = built();
    let german = built.text("de/opensearch.xml");
    assert!(
        german.contains("<ShortName>Lantern Hilfe</ShortName>"),
        "{german}"
    );
    assert!(german.contains("<Description>Lantern Hilfe durchsuchen</Description>"));
    assert!(german.contains("<Language>de</Language>"));
    assert!(
        german.contains(r#"template="https://help.lantern.example/de/search/?q={searchTerms}""#)
    );
    assert!(german.contains(r#"template="https://help.lantern.example/de/opensearch.xml""#));
    let english = built.text("opensearch.xml");
    assert!(english.contains("<Description>Search Lantern Help</Description>"));
    assert!(english.contains(r#"template="https://help.lantern.example/search/?q={searchTerms}""#));
    let link = |url: &str, attribute: &str| built.attrs(url, "link[rel=search]", attribute);
    assert_eq!(link("/de/setup/install/", "href"), ["/de/opensearch.xml"]);
    assert_eq!(link("/de/setup/install/", "title"), ["Lantern Hilfe"]);
    assert_eq!(link("/ar/", "href"), ["/ar/opensearch.xml"]);
    assert_eq!(link("/setup/install/", "href"), ["/opensearch.xml"]);
}

#[test]
fn the_outdated_banner_names_the_original_language_aside_and_isolated() {
    let built = built();
    // The German install page (2026-02-01) predates its source (2026-03-01).
    let url = "/de/setup/install/";
    let text = built.texts(url, ".translation-banner a");
    assert_eq!(text, ["Original lesen (English)"]);
    assert_eq!(
        built.attrs(url, ".translation-banner a bdi", "lang"),
        ["en"]
    );
    // Every built-in table keeps the placeholder, outside any phrase.
    for code in ["en", "de", "fr", "es", "pt-BR", "ja", "zh-Hans", "ar"] {
        let table =
            std::fs::read_to_string(format!("{}/i18n/{code}.yaml", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
        let line = table
            .lines()
            .find(|l| l.starts_with("read_original:"))
            .unwrap();
        assert!(
            line.contains("({language})") || line.contains("（{language}）"),
            "{code}: {line}"
        );
    }
}

#[test]
fn netlify_gets_a_404_page_per_language() {
    let built = built();
    let redirects = built.text("_redirects");
    assert!(
        redirects.ends_with("/de/* /de/404.html 404\n/ar/* /ar/404.html 404\n"),
        "{redirects}"
    );
    // A site in one language has no such lines (and here no file at all).
    let single = TestSite::new()
        .file("kbgen.yaml", "title: One\n")
        .article("content/a/b.md", "title: B", "Text.\n")
        .build_ok();
    assert!(!single.has("_redirects"));
}

#[test]
fn a_redirect_page_speaks_its_articles_language() {
    let built = help_center(CONFIG)
        .article(
            "content/billing/limits.de.md",
            "title: Nutzungsgrenzen\naliases: [/de/alt/grenzen/]",
            "Was jeder Tarif erlaubt.\n",
        )
        .build_ok();
    assert_eq!(built.attrs("/de/alt/grenzen/", "html", "lang"), ["de"]);
    assert!(built
        .text("de/alt/grenzen/index.html")
        .contains("Nutzungsgrenzen"));
}

#[test]
fn check_counts_the_pages_build_writes() {
    let site = help_center(CONFIG);
    let count = |command: &str| {
        let output = kbgen_in(site.root()).arg(command).output().unwrap();
        assert!(output.status.success(), "{command}");
        let said = String::from_utf8_lossy(&output.stdout).to_string()
            + &String::from_utf8_lossy(&output.stderr);
        let pages = said
            .split(" pages)")
            .next()
            .and_then(|s| s.rsplit('(').next())
            .map(str::to_string);
        pages.unwrap_or_else(|| panic!("{said}"))
    };
    let checked = count("check");
    assert_eq!(checked, count("build"));
    // Three search pages are among them.
    assert!(checked.parse::<usize>().unwrap() > 3);
}

#[test]
fn the_stylesheet_mirrors_for_right_to_left_pages() {
    // Sides are logical (inline-start, inline-end) so an Arabic page is the
    // mirror of an English one; a physical side is allowed only where the
    // line says why.
    let css =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/kbgen.css")).unwrap();
    let physical = physical_sides(&css);
    assert!(
        physical.is_empty(),
        "physical sides in kbgen.css: {physical:#?}"
    );
    for flipped in [
        r#"[dir="rtl"] .breadcrumbs li + li::before"#,
        r#"[dir="rtl"] .pager__link--previous .pager__label::before"#,
        r#"[dir="rtl"] .section-card__all a::after"#,
        r#"[dir="rtl"] pre"#,
    ] {
        assert!(css.contains(flipped), "{flipped}");
    }
}

/// Declarations that name a physical side (`margin-left`, `left:`,
/// `text-align: right`, `float: left`) without a `/* physical: */` reason.
fn physical_sides(css: &str) -> Vec<String> {
    css.lines()
        .filter(|line| !line.contains("/* physical:"))
        .filter(|line| {
            let declaration = line.trim();
            let property = declaration.split(':').next().unwrap_or("");
            let value = declaration.split(':').nth(1).unwrap_or("");
            let side = |s: &str| s.ends_with("-left") || s.ends_with("-right");
            let names_side = |s: &str| {
                s.split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                    .any(|word| word == "left" || word == "right")
            };
            declaration.contains(':')
                && (side(property)
                    || property == "left"
                    || property == "right"
                    || (matches!(property, "text-align" | "float" | "clear") && names_side(value)))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn text_that_fell_back_to_the_default_language_is_marked() {
    let built = built();
    // Billing has no _index.de.md: its German card shows the English title.
    assert_eq!(
        built.texts("/de/", ".section-card__title bdi[lang=en]"),
        ["Billing"]
    );
    assert_eq!(built.texts("/de/billing/", "h1 bdi[lang=en]"), ["Billing"]);
    // Setup has its own German index: nothing to mark.
    assert!(built.texts("/de/setup/", "h1 bdi").is_empty());
    assert!(built.texts("/", "bdi").is_empty());
}

#[test]
fn a_section_with_no_article_in_a_language_is_left_out_of_its_navigation() {
    // Billing has an Arabic index but no Arabic article yet.
    let built = help_center(CONFIG)
        .file(
            "content/billing/_index.ar.md",
            "---\ntitle: الفواتير\n---\n",
        )
        .build_ok();
    assert_eq!(built.texts("/ar/", "nav.site-nav a").len(), 1, "Setup only");
    assert_eq!(built.texts("/de/", "nav.site-nav a").len(), 2);
    assert_eq!(built.texts("/", "nav.site-nav a").len(), 2);
    let cards = |url: &str| built.attrs(url, "main a[href]", "href");
    assert!(
        !cards("/ar/").iter().any(|h| h.contains("billing")),
        "{:?}",
        cards("/ar/")
    );
    assert!(cards("/").iter().any(|h| h.contains("billing")));
}
