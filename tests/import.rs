//! `kbgen import` end to end: each fixture site under
//! `tests/fixtures/import/<tool>/` is imported by the real binary; the report
//! lists exactly the constructs it could not convert, the result passes
//! `kbgen check` with no errors, chosen pages render as expected, and the
//! source is never written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{Html, Selector};

fn kbgen() -> Command {
    Command::cargo_bin("kbgen").unwrap()
}

fn fixture(tool: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(tool)
}

/// Imports the fixture into a new folder; returns it and the report as
/// `code path:line:col` lines, paths relative to the fixture.
fn import(tool: &str) -> (tempfile::TempDir, Vec<String>) {
    import_from(tool, &fixture(tool))
}

/// Imports the site at `source` (see [`import`]).
fn import_from(tool: &str, source: &Path) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("site");
    let output = kbgen()
        .args([
            "import",
            "--from",
            tool,
            "--message-format",
            "json",
            "--into",
        ])
        .arg(&into)
        .arg(source)
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
                "{} {}:{}:{}",
                value["code"].as_str().unwrap(),
                value["path"].as_str().unwrap().trim_start_matches(&prefix),
                value["line"],
                value["column"]
            )
        })
        .collect();
    (dir, report)
}

/// A source site written by the test: (path, text) pairs under a new folder.
fn source_site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `kbgen check` on the imported site: no errors, and no broken link.
fn check_passes_without_broken_links(root: &Path) {
    check_passes(root);
    let output = kbgen()
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("broken-link"), "{stderr}");
}

/// `kbgen check` on the imported site: no errors.
fn check_passes(root: &Path) {
    let output = kbgen()
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "check failed:\n{stderr}");
    assert!(!stderr.contains("error["), "{stderr}");
}

/// Builds the imported site and returns the HTML of `page` (an output path).
fn built_page(root: &Path, page: &str) -> Html {
    let out = root.join("public");
    kbgen()
        .args(["build", "--no-search", "--drafts", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    Html::parse_document(&std::fs::read_to_string(out.join(page)).unwrap())
}

fn texts(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap()
}

#[test]
fn grav_pages_become_bundles_and_sections_with_callouts_and_code() {
    let (dir, report) = import("grav");
    assert_eq!(
        report,
        [
            "import/tabs user/pages/01.billing/01.refunds/docs.md:29:1",
            "import/translation user/pages/01.billing/01.refunds/docs.fr.md:1:1",
            "import/twig user/pages/01.billing/01.refunds/docs.md:26:20",
            "import/twig user/pages/01.billing/01.refunds/docs.md:26:47",
        ]
    );
    let site = dir.path().join("site");
    check_passes(&site);
    let refunds = read(&site, "content/01.billing/01.refunds/index.md");
    assert!(refunds.contains("date: 2026-03-14T09:30:00Z"), "{refunds}");
    assert!(refunds.contains("{{/* parent() */}}"));
    assert!(refunds.contains("(@/01.billing/02.invoices/index.md)"));
    // Twig off for this page: its template syntax is text in both sites, so
    // it is kept (calls escaped) and not reported.
    let invoices = read(&site, "content/01.billing/02.invoices/index.md");
    assert!(
        invoices.contains("so {{ page.title }} and {{/* parent() */}} show"),
        "{invoices}"
    );
    assert!(read(&site, "content/01.billing/_index.md").contains("title: Billing"));
    assert!(read(&site, "content/02.accounts/03.close-account/index.md").contains("draft: true"));
    let sign_in = read(&site, "content/02.accounts/02.sign-in/index.md");
    assert!(sign_in.contains("- /accounts/reset-password/"), "{sign_in}");
    let html = built_page(&site, "billing/refunds/index.html");
    assert!(texts(&html, ".callout--warning p")
        .contains(&"Refunds go back to the card you paid with.".to_string()));
    assert_eq!(
        texts(&html, "pre code"),
        ["acme billing refund --invoice 2041"]
    );
    assert!(texts(&html, "main p")
        .iter()
        .any(|p| p.contains("calls {{ parent() }} here")));
    // A tab is its title, then its content; the wrapping tags go.
    let paragraphs = texts(&html, "main p");
    assert!(paragraphs.contains(&"Web".to_string()), "{paragraphs:?}");
    assert!(paragraphs.contains(&"Open Billing in the web app.".to_string()));
    assert!(!paragraphs.iter().any(|p| p.contains("ui-tab")));
}

#[test]
fn hugo_bundles_refs_and_shortcodes() {
    let (dir, report) = import("hugo");
    assert_eq!(
        report,
        [
            "import/left-out content/_common/_index.md:1:1",
            "import/left-out content/shared/index.md:1:1",
            "import/shortcode content/billing/refund-bundle/index.md:24:1",
            "import/translation content/accounts/Two_Factor.fr.md:1:1",
        ]
    );
    let site = dir.path().join("site");
    check_passes(&site);
    // `_common/` and what `readfile` reads are snippets, included where the
    // shortcodes were; the shared text's links are read from the page.
    assert_eq!(
        read(&site, "content/_snippets/contact.md"),
        "## Still need help?\n\nOpen a ticket from the [refunds page](@/billing/refund-bundle/index.md) and quote your invoice number.\n"
    );
    assert!(site.join("content/_snippets/hours.md").exists());
    let invoices_html = built_page(&site, "billing/invoices/index.html");
    assert_eq!(texts(&invoices_html, ".toc a"), ["Still need help?"]);
    assert!(texts(&invoices_html, "main p")
        .contains(&"Support answers on weekdays, 9:00 to 17:00 UTC.".to_string()));
    assert!(!site.join("content/shared").exists());
    assert!(site
        .join("content/billing/refund-bundle/screen.png")
        .exists());
    assert!(site.join("static/images/logo.png").exists());
    let invoices = read(&site, "content/billing/invoices.md");
    assert!(
        invoices.contains("updated: 2026-01-02") && invoices.contains("- /invoices/"),
        "{invoices}"
    );
    let two_factor = read(&site, "content/accounts/Two_Factor.md");
    assert!(two_factor.contains("- /accounts/two_factor/") && two_factor.contains("draft: true"));
    let html = built_page(&site, "billing/refund-bundle/index.html");
    assert!(texts(&html, ".callout--warning p")
        .contains(&"A refund to an expired card goes to your account balance.".to_string()));
    assert_eq!(
        texts(&html, "pre code"),
        ["acme billing refund --invoice 2041"]
    );
    let links = Selector::parse("main a").unwrap();
    assert!(html
        .select(&links)
        .any(|a| a.value().attr("href") == Some("/billing/invoices/")));
}

#[test]
fn jekyll_collections_posts_liquid_and_redirects() {
    let (dir, report) = import("jekyll");
    assert_eq!(
        report,
        [
            "import/attribute-list _docs/refunds.md:19:1",
            "import/liquid _docs/refunds.md:17:1",
            "import/liquid _posts/2026-01-05-faster-refunds.md:5:39",
        ]
    );
    let site = dir.path().join("site");
    check_passes(&site);
    assert!(!site.join("content/old-refunds.md").exists());
    let refunds = read(&site, "content/docs/refunds.md");
    for expected in [
        "- /docs/refunds.html",
        "- /refunds.html",
        "- /old-refunds.html",
        "(/images/refund.png)",
        "(@/posts/faster-refunds.md)",
        "```ruby",
    ] {
        assert!(refunds.contains(expected), "{expected} in {refunds}");
    }
    assert!(!refunds.contains("{% raw %}"));
    let post = read(&site, "content/posts/faster-refunds.md");
    assert!(
        post.contains("date: 2026-01-05") && post.contains("updated: 2026-01-06T10:00:00+01:00"),
        "{post}"
    );
}

#[test]
fn mkdocs_admonitions_nav_order_and_escapes() {
    let (dir, report) = import("mkdocs");
    assert_eq!(
        report,
        [
            "import/collapsible docs/billing/refunds.md:10:1",
            "import/tabs docs/billing/refunds.md:17:1",
            "import/template docs/billing/refunds.md:23:19",
        ]
    );
    let site = dir.path().join("site");
    check_passes_without_broken_links(&site);
    // `--8<--` reads `snippets/contact.md` from the project root; its link
    // was written for the page that includes it.
    assert_eq!(
        read(&site, "content/_snippets/contact.md"),
        "## Contact us\n\nWrite to billing with your invoice number; see [invoices](@/billing/invoices.md#due-dates).\n"
    );
    assert!(read(&site, "content/billing/refunds.md")
        .contains("\n{{ include(path=\"contact.md\") }}\n"));
    assert!(read(&site, "content/billing/refunds.md").contains("weight: 3"));
    let sign_in = read(&site, "content/accounts/Sign-In.md");
    assert!(
        sign_in.contains("title: Sign in") && sign_in.contains("- /accounts/Sign-In/"),
        "{sign_in}"
    );
    let html = built_page(&site, "billing/refunds/index.html");
    assert_eq!(
        texts(&html, ".callout--warning pre code"),
        ["acme billing refund --invoice 2041"]
    );
    assert!(texts(&html, ".callout--tip p")
        .contains(&"You can cancel a refund within one hour.".to_string()));
    assert!(texts(&html, "main p")
        .iter()
        .any(|p| p.contains("{{ contact_link() }}")));
    // A content tab's body is prose, not an indented code block.
    assert!(texts(&html, "main p").contains(&"Open Billing.".to_string()));
    assert!(texts(&html, "main p strong").contains(&"Web".to_string()));
}

#[test]
fn docusaurus_categories_admonitions_and_slugs() {
    let (dir, report) = import("docusaurus");
    assert_eq!(
        report,
        [
            "import/left-out docs/accounts/_shared.md:1:1",
            "import/mdx docs/accounts/sso.mdx:5:1",
            "import/mdx docs/accounts/sso.mdx:7:1",
        ]
    );
    let site = dir.path().join("site");
    check_passes(&site);
    let category = read(&site, "content/docs/01.billing/_index.md");
    assert!(category.contains("title: Billing and payments") && category.contains("weight: 2"));
    assert!(read(&site, "content/docs/accounts/sso.md").contains("- /docs/sso/"));
    let html = built_page(&site, "docs/billing/refunds/index.html");
    assert!(texts(&html, ".callout--danger p")
        .contains(&"An expired card gets the refund as account credit.".to_string()));
    assert!(
        texts(&html, ".callout--tip p").contains(&"Refunds to a card take two days.".to_string())
    );
    // The imported partial is a snippet; its props are parameters.
    assert_eq!(
        read(&site, "content/_snippets/accounts/_contact.md"),
        "Questions about {{ product }}? Ask your workspace admin first.\n"
    );
    let sso = read(&site, "content/docs/accounts/sso.md");
    assert!(!sso.contains("import Contact"), "{sso}");
    let html = built_page(&site, "docs/accounts/sso/index.html");
    assert!(texts(&html, "main p")
        .contains(&"Questions about single sign-on? Ask your workspace admin first.".to_string()));
}

#[test]
fn includes_that_name_no_snippet_stay_as_text_and_are_reported() {
    // MkDocs: a block of snippets, one of them missing; a page other pages
    // include becomes a snippet.
    let source = source_site(&[
        ("mkdocs.yml", "site_name: Help
markdown_extensions:
  - pymdownx.snippets:
      base_path: [docs]
"),
        (
            "docs/setup.md",
            "# Setup\n\n1. Install.\n\n    --8<-- \"shared/steps.md\"\n\n--8<--\nshared/steps.md\nshared/gone.md\n--8<--\n",
        ),
        ("docs/shared/steps.md", "Run the **installer**.\n"),
    ]);
    let (dir, report) = import_from("mkdocs", source.path());
    assert_eq!(
        report,
        [
            "import/include docs/setup.md:9:1",
            "import/snippet docs/shared/steps.md:1:1",
        ]
    );
    let site = dir.path().join("site");
    let setup = read(&site, "content/setup.md");
    assert!(
        setup.contains("    {{ include(path=\"shared/steps.md\") }}\n")
            && setup.contains("{{/* include(path=\"shared/gone.md\") */}}"),
        "{setup}"
    );
    assert!(!site.join("content/shared/steps.md").exists());
    let html = built_page(&site, "setup/index.html");
    assert_eq!(texts(&html, "main li strong"), ["installer"]);

    // Docusaurus: a prop that is a JavaScript expression is left out.
    let source = source_site(&[
        ("docs/intro.md", "---\ntitle: Intro\n---\nimport Box from './_box.md';\n\n<Box name=\"Sync\" count={3} />\n"),
        ("docs/_box.md", "About {props.name}.\n"),
    ]);
    let (dir, report) = import_from("docusaurus", source.path());
    assert_eq!(report, ["import/mdx docs/intro.md:6:18"]);
    let site = dir.path().join("site");
    assert!(read(&site, "content/docs/intro.md")
        .contains("{{ include(path=\"_box.md\", name=\"Sync\") }}"));

    // Hugo: `readfile` of a file that is not there, `include` of a page.
    let source = source_site(&[
        ("hugo.toml", "title = \"Help\"\n"),
        ("content/a.md", "---\ntitle: A\n---\n{{< readfile file=\"/nowhere.md\" >}}\n\n{{% include \"b.md\" %}}\n"),
        ("content/b.md", "---\ntitle: B\n---\nB.\n"),
    ]);
    let (_dir, report) = import_from("hugo", source.path());
    assert_eq!(
        report,
        [
            "import/include content/a.md:4:1",
            "import/include content/a.md:6:1"
        ]
    );
}

#[test]
fn zola_content_moves_over_and_unknown_shortcodes_are_escaped() {
    let (dir, report) = import("zola");
    assert_eq!(
        report,
        ["import/shortcode content/billing/refunds/index.md:16:1"]
    );
    let site = dir.path().join("site");
    check_passes(&site);
    let refunds = read(&site, "content/billing/refunds/index.md");
    assert!(refunds.contains("{{/* youtube(id=\"w7Ft2ymGmfc\") */}}"));
    assert!(
        refunds.contains("product: cloud") && refunds.contains("- /refunds/"),
        "{refunds}"
    );
}

/// Every file under `root`, with its bytes.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn the_source_is_byte_identical_after_an_import() {
    for tool in ["grav", "hugo", "jekyll", "mkdocs", "docusaurus", "zola"] {
        let before = tree(&fixture(tool));
        let _ = import(tool);
        assert_eq!(before, tree(&fixture(tool)), "{tool}");
    }
}

#[test]
fn the_destination_may_not_be_the_source_inside_it_or_a_full_folder() {
    let source = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(source.path().join("content")).unwrap();
    std::fs::write(source.path().join("content/a.md"), "---\ntitle: A\n---\n").unwrap();
    for into in [
        source.path().to_path_buf(),
        source.path().join("new"),
        source.path().join("content"),
    ] {
        let output = kbgen()
            .args(["import", "--from", "zola"])
            .arg(source.path())
            .arg("--into")
            .arg(&into)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", into.display());
    }
    assert!(!source.path().join("new").exists());
}

#[test]
fn fragments_move_to_the_ids_kbgen_gives_the_headings_they_named() {
    let source = source_site(&[
        ("mkdocs.yml", "site_name: Help\n"),
        (
            "docs/index.md",
            "# Home\n\nSee [marks](setup.md#caret-mark-tilde), [the second](setup.md#repeat_1), \
             [the release](setup.md#9.7.0) and [the license](license.md).\n",
        ),
        (
            "docs/setup.md",
            "# Setup\n\n## Caret, Mark & Tilde\n\nOne.\n\n## Repeat\n\nTwo.\n\n## Repeat\n\n\
             Three.\n\n### 9.7.0 <small>May</small> { id=\"9.7.0\" }\n\nFour.\n",
        ),
        ("docs/license.md", "# License\n\nFree to use.\n"),
    ]);
    let (dir, report) = import_from("mkdocs", source.path());
    assert_eq!(report, Vec::<String>::new());
    let site = dir.path().join("site");
    check_passes_without_broken_links(&site);
    let home = read(&site, "content/_index.md");
    for link in [
        "(@/setup.md#caret-mark--tilde)",
        "(@/setup.md#repeat-1)",
        "(@/setup.md#9.7.0)",
        "(@/license/index.md)",
    ] {
        assert!(home.contains(link), "{link} in {home}");
    }
    assert!(read(&site, "content/setup.md").contains("### 9.7.0 <small>May</small> {#9.7.0}"));
    let license = built_page(&site, "license/index.html");
    assert_eq!(texts(&license, "main h1"), ["License"]);
}

#[test]
fn grav_links_by_old_url_and_case_kept_anchors_reach_their_headings() {
    let source = source_site(&[
        (
            "user/pages/01.basics/01.install/docs.md",
            "---\ntitle: Install\n---\n## Cache-Control\n\nSet it.\n\n\
             <hr /><a id=\"route-class\"></a>\n### Class: Route\n\nRoutes.\n",
        ),
        (
            "user/pages/01.basics/02.links/docs.md",
            "---\ntitle: Links\n---\nRead [the header](/basics/install#Cache-Control) \
             and [the class](../install#class-route).\n",
        ),
    ]);
    let (dir, report) = import_from("grav", source.path());
    assert_eq!(report, Vec::<String>::new());
    let site = dir.path().join("site");
    check_passes_without_broken_links(&site);
    let links = read(&site, "content/01.basics/02.links/index.md");
    assert!(
        links.contains("(@/01.basics/01.install/index.md#cache-control)"),
        "{links}"
    );
    assert!(links.contains("(@/01.basics/01.install/index.md#class-route)"));
    // Parsedown ends the HTML block with its line: the heading stays one.
    let install = built_page(&site, "basics/install/index.html");
    let heading = texts(&install, "main h3#class-route");
    assert!(heading[0].starts_with("Class: Route"), "{heading:?}");
}

#[test]
fn terms_spelled_two_ways_with_one_slug_become_one_term() {
    let source = source_site(&[
        (
            "docs/card-reader.md",
            "---\ntitle: Card reader\ntags: [card reader]\n---\nPlug it in.\n",
        ),
        (
            "docs/receipts.md",
            "---\ntitle: Receipts\ntags: [card-reader, receipts]\n---\nPrint one.\n",
        ),
    ]);
    let (dir, report) = import_from("docusaurus", source.path());
    assert_eq!(report, ["import/taxonomy docs/receipts.md:1:1"]);
    let site = dir.path().join("site");
    check_passes(&site);
    let receipts = read(&site, "content/docs/receipts.md");
    assert!(receipts.contains("- card reader\n"), "{receipts}");
}

#[test]
fn html_lines_end_their_block_as_kramdown_ends_it() {
    let source = source_site(&[
        ("_config.yml", "title: Help\n"),
        (
            "docs/ui.md",
            "---\ntitle: UI\n---\n<div class=\"example\" markdown=\"1\">\nText can be **bold**.\n</div>\n\
             ```markdown\nText can be **bold**.\n```\n\nSee [the note]({% link docs/notes.md %}#fn:first).\n",
        ),
        (
            "docs/notes.md",
            "---\ntitle: Notes\n---\nA claim.[^first]\n\n[^first]: Its source.\n",
        ),
    ]);
    let (dir, report) = import_from("jekyll", source.path());
    assert_eq!(report, Vec::<String>::new());
    let site = dir.path().join("site");
    check_passes_without_broken_links(&site);
    let html = built_page(&site, "docs/ui/index.html");
    assert_eq!(texts(&html, "main .example strong"), ["bold"]);
    assert_eq!(texts(&html, "main pre code"), ["Text can be **bold**."]);
    assert!(read(&site, "content/docs/ui.md").contains("(@/docs/notes.md#fn-first)"));
}

#[test]
fn docusaurus_ids_category_indexes_and_url_relative_links_keep_their_urls() {
    let source = source_site(&[
        (
            "docs/charge/charge.md",
            "---\ntitle: Charges\n---\nSee [the API](./charge/charge-api), \
             [the payloads](/docs/category/payloads) and [setup](/docs/setup/install.md).\n",
        ),
        (
            "docs/charge/create-with-api.md",
            "---\nid: charge-api\ntitle: Create a charge with the API\n---\nPost it.\n",
        ),
        (
            "docs/payloads/_category_.json",
            "{\"label\": \"Payloads\", \"link\": {\"type\": \"generated-index\"}}\n",
        ),
        (
            "docs/payloads/paid.md",
            "---\ntitle: Paid\n---\nBack to [the API doc](/docs/charge/charge-api).\n",
        ),
        (
            "docs/setup/install.md",
            "---\ntitle: Install\n---\nRun it.\n",
        ),
    ]);
    let (dir, report) = import_from("docusaurus", source.path());
    assert_eq!(report, Vec::<String>::new());
    let site = dir.path().join("site");
    check_passes_without_broken_links(&site);
    let charges = read(&site, "content/docs/charge/_index.md");
    for link in [
        "(@/docs/charge/create-with-api.md)",
        "(@/docs/payloads/_index.md)",
        "(@/docs/setup/install.md)",
    ] {
        assert!(charges.contains(link), "{link} in {charges}");
    }
    let api = read(&site, "content/docs/charge/create-with-api.md");
    assert!(api.contains("slug: charge-api"), "{api}");
    assert!(
        read(&site, "content/docs/payloads/paid.md").contains("(@/docs/charge/create-with-api.md)")
    );
    let payloads = read(&site, "content/docs/payloads/_index.md");
    assert!(
        payloads.contains("- /docs/category/payloads/"),
        "{payloads}"
    );
}

#[test]
fn mkdocs_icons_and_inline_attribute_lists_are_reported_and_markdown_in_html_is_read() {
    let source = source_site(&[
        ("mkdocs.yml", "site_name: Help\n"),
        (
            "docs/index.md",
            "# Home\n\n[Start](setup.md){ .md-button } :material-clock-fast: fast, \
             `:material-x:{ .y }` in code.\n\n<div class=\"grid\" markdown>\n**Bold** inside.\n</div>\n\n\
             === \":octicons-mark-github-16: GitHub\"\n\n    Sign in.\n",
        ),
        ("docs/setup.md", "# Setup\n\nRun it.\n"),
    ]);
    let (dir, report) = import_from("mkdocs", source.path());
    assert_eq!(
        report,
        [
            "import/attribute-list docs/index.md:3:18",
            "import/icon docs/index.md:3:33",
            "import/icon docs/index.md:9:6",
            "import/tabs docs/index.md:9:1",
        ]
    );
    let site = dir.path().join("site");
    check_passes_without_broken_links(&site);
    let html = built_page(&site, "index.html");
    assert_eq!(texts(&html, "main .grid strong"), ["Bold"]);
}

#[test]
fn hugo_callouts_written_around_their_text_become_callouts() {
    let source = source_site(&[
        ("hugo.toml", "title = \"Help\"\n"),
        (
            "content/docs/limits.md",
            "---\ntitle: Limits\n---\n{{% alert color=\"warning\" %}} Uploads stop at **2 GB**. {{% /alert %}}\n\n\
             {{% alert title=\"Quota\" %}} Each team has ten\nprojects. {{% /alert %}}\n",
        ),
    ]);
    let (dir, report) = import_from("hugo", source.path());
    assert_eq!(report, Vec::<String>::new());
    let site = dir.path().join("site");
    check_passes(&site);
    let html = built_page(&site, "docs/limits/index.html");
    assert_eq!(texts(&html, ".callout--warning strong"), ["2 GB"]);
    assert_eq!(
        texts(&html, ".callout__body p"),
        ["Uploads stop at 2 GB.", "Each team has ten\nprojects."]
    );
}

#[test]
fn grav_tab_indented_front_matter_is_read_unknown_shortcodes_are_reported_bad_front_matter_is_code()
{
    let source = source_site(&[
        (
            "user/pages/01.topics/01.first-topic/docs.md",
            "---\ntitle: First topic\nprocess:\n\ttwig: true\n---\nText of {{ page.title }}.\n\
             Needs PHP [version=16]7.1[/version] or later.\n",
        ),
        (
            "user/pages/01.topics/02.second-topic/docs.md",
            "---\ntitle: [unclosed\n---\nSecond text.\n",
        ),
    ]);
    let (dir, report) = import_from("grav", source.path());
    assert_eq!(
        report,
        [
            "import/front-matter user/pages/01.topics/02.second-topic/docs.md:1:1",
            "import/shortcode user/pages/01.topics/01.first-topic/docs.md:7:11",
            "import/twig user/pages/01.topics/01.first-topic/docs.md:6:9",
        ]
    );
    let site = dir.path().join("site");
    check_passes(&site);
    let first = read(&site, "content/01.topics/01.first-topic/index.md");
    assert!(first.starts_with("---\ntitle: First topic\n"), "{first}");
    let second = built_page(&site, "topics/second-topic/index.html");
    assert_eq!(texts(&second, "main h1"), ["Second topic"]);
    assert_eq!(
        texts(&second, "main pre code"),
        ["---\ntitle: [unclosed\n---"]
    );
    assert!(texts(&second, "main p").contains(&"Second text.".to_string()));
}

#[test]
fn jekyll_attribute_lists_of_declared_callout_classes_become_callouts() {
    let source = source_site(&[
        (
            "_config.yml",
            "title: Help\ncallouts:\n  warning:\n    title: Warning\n  highlight:\n    color: yellow\n",
        ),
        (
            "docs/limits.md",
            "---\ntitle: Limits\n---\n{: .warning }\n> Uploads stop at **2 GB**.\n\n\
             {: .highlight }\nTeams have ten projects.\n\n## Contents\n{: .no_toc }\n",
        ),
    ]);
    let (dir, report) = import_from("jekyll", source.path());
    assert_eq!(report, ["import/attribute-list docs/limits.md:11:1"]);
    let site = dir.path().join("site");
    check_passes(&site);
    let limits = read(&site, "content/docs/limits.md");
    assert!(
        limits.contains("{% callout(type=\"warning\", title=\"Warning\") %}\nUploads stop"),
        "{limits}"
    );
    let html = built_page(&site, "docs/limits/index.html");
    assert_eq!(texts(&html, ".callout--warning strong"), ["2 GB"]);
    assert_eq!(
        texts(&html, ".callout__body p"),
        ["Uploads stop at 2 GB.", "Teams have ten projects."]
    );
}

#[test]
fn a_shortcode_call_with_backticks_in_its_arguments_is_escaped_whole() {
    let source = source_site(&[
        ("config.toml", "title = \"Help\"\n"),
        (
            "content/limits.md",
            "+++\ntitle = \"Limits\"\n+++\n{{ admonition(type=\"note\", text=\"Set `paginate_by` first.\") }}\n\n\
             Keep `{{ code() }}` as code. Read [the license](@/license.md#terms).\n",
        ),
        ("content/license.md", "+++\ntitle = \"License\"\n+++\n## Terms\n\nUse it.\n"),
    ]);
    let (dir, report) = import_from("zola", source.path());
    assert_eq!(report, ["import/shortcode content/limits.md:4:1"]);
    let site = dir.path().join("site");
    check_passes(&site);
    let limits = read(&site, "content/limits.md");
    assert!(
        limits.contains("{{/* admonition(type=\"note\", text=\"Set `paginate_by` first.\") */}}"),
        "{limits}"
    );
    assert!(limits.contains("Keep `{{ code() }}` as code."));
    // The page moved (kbgen passes over a file named `license.md`).
    assert!(limits.contains("(@/license/index.md#terms)"), "{limits}");
}

#[test]
fn jekyll_site_variables_of_plain_values_become_their_values() {
    let source = source_site(&[
        (
            "_config.yml",
            "title: Help\nrepository: https://example.org/acme/help\n",
        ),
        ("_data/app.yml", "min_version: \"2.1\"\n"),
        (
            "docs/history.md",
            "---\ntitle: History\n---\nFixed in [#12]({{ site.repository }}/issues/12); \
             needs {{ site.data.app.min_version }}; {{ site.missing }}.\n",
        ),
    ]);
    let (dir, report) = import_from("jekyll", source.path());
    assert_eq!(report, ["import/liquid docs/history.md:4:89"]);
    let history = read(&dir.path().join("site"), "content/docs/history.md");
    assert!(
        history.contains(
            "[#12](https://example.org/acme/help/issues/12); needs 2.1; {{ site.missing }}."
        ),
        "{history}"
    );
}

#[test]
fn hugo_mounted_content_keeps_its_urls_and_a_headless_cascade_leaves_its_pages_out() {
    let source = source_site(&[
        (
            "hugo.toml",
            "title = \"Help\"\n[[module.mounts]]\nsource = \"content/en\"\ntarget = \"content\"\n",
        ),
        (
            "content/en/setup/install.md",
            "---\ntitle: Install\n---\nThen [configure it](/setup/configure/).\n",
        ),
        (
            "content/en/setup/configure.md",
            "---\ntitle: Configure\n---\nSet it.\n",
        ),
        (
            "content/en/_common/_index.md",
            "---\ncascade:\n  _build:\n    render: never\n---\n",
        ),
        ("content/en/_common/snippet.md", "Shared text.\n"),
    ]);
    let (dir, report) = import_from("hugo", source.path());
    assert_eq!(report, ["import/left-out content/en/_common/_index.md:1:1"]);
    let site = dir.path().join("site");
    check_passes_without_broken_links(&site);
    assert!(read(&site, "content/setup/install.md").contains("(@/setup/configure.md)"));
    assert!(!site.join("content/_common").exists());
    // Hugo's shared-text folder is kbgen's snippets (no page includes this
    // one: `check` warns about it).
    assert_eq!(
        read(&site, "content/_snippets/snippet.md"),
        "Shared text.\n"
    );
}
