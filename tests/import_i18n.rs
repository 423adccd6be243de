//! `kbgen import` of multilingual sites: each fixture under
//! `tests/fixtures/import-i18n/<tool>/` keeps its translations in its tool's
//! layout; the import writes them beside their source pages (`x.de.md`) with
//! `languages:` in `kbgen.yaml`, reports each translation it cannot place,
//! and the result builds with `/de/…` pages linked by hreflang alternates.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{Html, Selector};

fn kbgen() -> Command {
    Command::cargo_bin("kbgen").unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import-i18n")
        .join(name)
}

/// Imports fixture `name` with `--from tool`, builds the result; returns
/// the folder (holding `site/` and its `site/public/`) and the report as
/// `code path:line` lines, paths relative to the fixture.
fn import_and_build(tool: &str, name: &str) -> (tempfile::TempDir, Vec<String>) {
    let source = fixture(name);
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let output = kbgen()
        .args([
            "import",
            "--from",
            tool,
            "--message-format",
            "json",
            "--into",
        ])
        .arg(&site)
        .arg(&source)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let prefix = format!("{}/", source.display());
    let report = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            format!(
                "{} {}:{}",
                value["code"].as_str().unwrap(),
                value["path"].as_str().unwrap().trim_start_matches(&prefix),
                value["line"]
            )
        })
        .collect();
    let built = kbgen()
        // hreflang alternates are absolute URLs: a site without a base
        // URL has none.
        .args(["build", "--no-search", "--base-url", ORIGIN, "--root"])
        .arg(&site)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(built.status.success(), "build failed:\n{stderr}");
    assert!(!stderr.contains("error["), "{stderr}");
    assert!(!stderr.contains("broken-link"), "{stderr}");
    (dir, report)
}

/// The `(code, name)` pairs of `languages:` in the written `kbgen.yaml`,
/// and its `default_language`.
fn languages(site: &Path) -> (String, Vec<(String, String)>) {
    let text = std::fs::read_to_string(site.join("kbgen.yaml")).unwrap();
    let yaml: serde_json::Value = serde_yaml::from_str(&text).unwrap();
    let list = yaml["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["code"].as_str().unwrap().to_string(),
                l["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (yaml["default_language"].as_str().unwrap().to_string(), list)
}

fn page(site: &Path, output: &str) -> Html {
    let path = site.join("public").join(output);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

/// The base URL the imported sites are built with.
const ORIGIN: &str = "https://help.example.com";

/// `hreflang` → `href` of a page's alternate links, as paths on the site.
fn alternates(html: &Html) -> Vec<(String, String)> {
    let selector = Selector::parse(r#"link[rel="alternate"][hreflang]"#).unwrap();
    html.select(&selector)
        .map(|l| {
            (
                l.value().attr("hreflang").unwrap().to_string(),
                (l.value().attr("href").unwrap())
                    .trim_start_matches(ORIGIN)
                    .to_string(),
            )
        })
        .collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

fn links(html: &Html) -> Vec<String> {
    let selector = Selector::parse("main a[href]").unwrap();
    html.select(&selector)
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

fn read(site: &Path, path: &str) -> String {
    std::fs::read_to_string(site.join(path)).unwrap()
}

#[test]
fn hugo_content_dirs_suffixes_and_translation_keys_become_translations() {
    let (dir, report) = import_and_build("hugo", "hugo");
    assert_eq!(
        report,
        [
            "import/translation content/de/setup/nur-deutsch.md:1",
            "import/translation content/en/setup/pairing.fr.md:1",
        ]
    );
    let site = dir.path().join("site");
    assert_eq!(
        languages(&site),
        (
            "en".to_string(),
            vec![
                pair("en", "English"),
                pair("de", "Deutsch"),
                pair("pt-BR", "Português")
            ]
        )
    );
    // `translationKey: reset` on `zuruecksetzen.md`: the translation of
    // `reset.md`, its own name kept as its slug.
    let reset = read(&site, "content/setup/reset.de.md");
    assert!(reset.contains("slug: zuruecksetzen"), "{reset}");
    let html = page(&site, "setup/reset/index.html");
    assert_eq!(
        alternates(&html),
        [
            pair("en", "/setup/reset/"),
            pair("de", "/de/setup/zuruecksetzen/"),
            pair("x-default", "/setup/reset/"),
        ]
    );
    // A link in the German folder to a German file goes to the German page.
    let pairing = page(&site, "de/setup/pairing/index.html");
    assert!(links(&pairing).contains(&"/de/setup/zuruecksetzen/".to_string()));
    // Hugo served `pt-br` in lower case: the old URL is kept as an alias.
    assert!(page(&site, "pt-BR/setup/pairing/index.html")
        .root_element()
        .html()
        .contains("Emparelhar"));
    assert!(read(&site, "content/setup/pairing.pt-BR.md").contains("- /pt-br/setup/pairing/"));
    assert!(site.join("public/de/setup/nur-deutsch/index.html").exists());
}

#[test]
fn zola_translations_keep_their_slugs_and_sections() {
    let (dir, report) = import_and_build("zola", "zola");
    assert_eq!(report, ["import/translation content/setup/lonely.de.md:1"]);
    let site = dir.path().join("site");
    assert_eq!(
        languages(&site),
        (
            "en".to_string(),
            vec![pair("en", "English"), pair("de", "Deutsch")]
        )
    );
    assert!(read(&site, "kbgen.yaml").contains("description: Antworten rund um die Lampe."));
    let html = page(&site, "de/einrichtung/koppeln/index.html");
    assert_eq!(
        alternates(&html),
        [
            pair("en", "/setup/pairing/"),
            pair("de", "/de/einrichtung/koppeln/"),
            pair("x-default", "/setup/pairing/"),
        ]
    );
    assert!(links(&html).contains(&"/de/einrichtung/reset/".to_string()));
    assert!(site.join("content/setup/reset/index.de.md").exists());
}

#[test]
fn docusaurus_i18n_folders_become_translations_in_the_configured_locales() {
    let (dir, report) = import_and_build("docusaurus", "docusaurus");
    assert_eq!(
        report,
        [
            "import/translation i18n/de/docusaurus-plugin-content-blog/2026-01-01-news.md:1",
            "import/translation i18n/fr/docusaurus-plugin-content-docs/current/intro.md:1",
        ]
    );
    let site = dir.path().join("site");
    assert_eq!(
        languages(&site),
        (
            "en".to_string(),
            vec![
                pair("en", "English"),
                pair("de", "Deutsch"),
                pair("pt-BR", "Português (Brasil)")
            ]
        )
    );
    let html = page(&site, "de/docs/intro/index.html");
    assert_eq!(
        alternates(&html),
        [
            pair("en", "/docs/intro/"),
            pair("de", "/de/docs/intro/"),
            pair("pt-BR", "/pt-BR/docs/intro/"),
            pair("x-default", "/docs/intro/"),
        ]
    );
    // The link and its fragment reach the German page's heading.
    assert!(links(&html).contains(&"/de/docs/setup/pairing/#bevor-du-anf%C3%A4ngst".to_string()));
    let pairing = page(&site, "de/docs/setup/pairing/index.html");
    assert!(links(&pairing).contains(&"/de/docs/intro/".to_string()));
}

#[test]
fn grav_page_files_per_language_become_translations() {
    let (dir, report) = import_and_build("grav", "grav");
    assert_eq!(
        report,
        ["import/translation user/pages/01.setup/02.reset/docs.fr.md:1"]
    );
    let site = dir.path().join("site");
    assert_eq!(
        languages(&site),
        (
            "en".to_string(),
            vec![pair("en", "English"), pair("de", "Deutsch")]
        )
    );
    // `chapter.en.md` is the page in the default language.
    assert!(read(&site, "content/01.setup/_index.md").contains("title: Setup"));
    assert!(read(&site, "content/01.setup/_index.de.md").contains("title: Einrichtung"));
    // Grav served the default language under `/en/` too.
    assert!(read(&site, "content/01.setup/01.pairing/index.md").contains("- /en/setup/pairing/"));
    let html = page(&site, "de/setup/koppeln/index.html");
    assert_eq!(
        alternates(&html),
        [
            pair("en", "/setup/pairing/"),
            pair("de", "/de/setup/koppeln/"),
            pair("x-default", "/setup/pairing/"),
        ]
    );
    // The reset page has no German translation: the link falls back.
    assert!(links(&html).contains(&"/setup/reset/".to_string()));
}

#[test]
fn mkdocs_static_i18n_suffix_layout() {
    let (dir, report) = import_and_build("mkdocs", "mkdocs");
    assert!(report.is_empty(), "{report:?}");
    let site = dir.path().join("site");
    assert_eq!(
        languages(&site),
        (
            "en".to_string(),
            vec![pair("en", "English"), pair("de", "Deutsch")]
        )
    );
    assert!(read(&site, "kbgen.yaml").contains("title: Lumen Hilfe"));
    let home = page(&site, "de/index.html");
    assert!(links(&home).contains(&"/de/pairing/".to_string()));
    let html = page(&site, "de/pairing/index.html");
    assert_eq!(
        alternates(&html),
        [
            pair("en", "/pairing/"),
            pair("de", "/de/pairing/"),
            pair("x-default", "/pairing/"),
        ]
    );
}

#[test]
fn mkdocs_static_i18n_folder_layout_with_a_locale_code_in_underscores() {
    let (dir, report) = import_and_build("mkdocs", "mkdocs-folders");
    assert_eq!(report, ["import/translation docs/stray.md:1"]);
    let site = dir.path().join("site");
    assert_eq!(
        languages(&site),
        (
            "en".to_string(),
            vec![pair("en", "English"), pair("pt-BR", "Português")]
        )
    );
    let pairing = read(&site, "content/pairing.pt-BR.md");
    assert!(pairing.contains("- /pt_BR/pairing/"), "{pairing}");
    let html = page(&site, "pt-BR/pairing/index.html");
    assert_eq!(
        alternates(&html),
        [
            pair("en", "/pairing/"),
            pair("pt-BR", "/pt-BR/pairing/"),
            pair("x-default", "/pairing/"),
        ]
    );
    // `index.md` is missing in `pt_BR/`: the link names the default
    // language's home page, which kbgen has in every language.
    assert!(links(&html).contains(&"/pt-BR/".to_string()));
    assert!(site.join("content/images/lamp.png").exists());
}

#[test]
fn jekyll_polyglot_pages_sharing_a_permalink_become_translations() {
    let (dir, report) = import_and_build("jekyll", "jekyll");
    assert_eq!(report, ["import/translation nur-deutsch.md:1"]);
    let site = dir.path().join("site");
    assert_eq!(
        languages(&site),
        (
            "en".to_string(),
            vec![pair("en", "English"), pair("de", "Deutsch")]
        )
    );
    let translation = read(&site, "content/pairing.de.md");
    assert!(
        translation.contains("title: Lampe koppeln"),
        "{translation}"
    );
    let html = page(&site, "de/pairing/index.html");
    assert_eq!(
        alternates(&html),
        [
            pair("en", "/pairing/"),
            pair("de", "/de/pairing/"),
            pair("x-default", "/pairing/"),
        ]
    );
    // `reset.md` has no German page: the link falls back to it.
    assert!(links(&html).contains(&"/reset/".to_string()));
    assert!(site.join("content/nur-deutsch.md").exists());
    // A post in `_posts/de/` translates the post of its date and name.
    let post = read(&site, "content/posts/brighter-lamp.de.md");
    assert!(post.contains("- /de/2026/01/05/brighter-lamp/"), "{post}");
    assert!(site
        .join("public/de/posts/brighter-lamp/index.html")
        .exists());
}
