//! Markdown rendering: heading ids, the table of contents, code highlighting,
//! links rewritten to final URLs, and the base path of `base_url`.

mod common;
use common::TestSite;

#[test]
fn headings_get_github_ids_and_the_toc_lists_h2_and_h3() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "## Europe and Africa\n\n### Setup\n\n## Europe and Africa\n\n### Setup\n\n#### Too deep\n\n## Custom {#my-id}\n",
        )
        .build_ok();
    let url = "/s/a/";
    assert_eq!(
        built.attrs(
            url,
            ".article-body h2, .article-body h3, .article-body h4",
            "id"
        ),
        [
            "europe-and-africa",
            "setup",
            "europe-and-africa-1",
            "setup-1",
            "too-deep",
            "my-id"
        ]
    );
    assert_eq!(
        built.attrs(url, ".toc a", "href"),
        [
            "#europe-and-africa",
            "#setup",
            "#europe-and-africa-1",
            "#setup-1",
            "#my-id"
        ]
    );
    assert_eq!(
        built.texts(url, ".toc > ol > li > a"),
        ["Europe and Africa", "Europe and Africa", "Custom"]
    );
}

#[test]
fn toc_false_hides_the_table_of_contents() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A\ntoc: false",
            "## One\n\n## Two\n",
        )
        .build_ok();
    assert!(built.texts("/s/a/", ".toc").is_empty());
}

#[test]
fn code_is_highlighted_with_classes_and_one_stylesheet_has_light_and_dark() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "```toml\n[server]\nport = 8080\n```\n\n```powershell\nGet-Item C:\\\n```\n\n```klingon\nqapla'\n```\n",
        )
        .build_ok();
    let url = "/s/a/";
    assert_eq!(
        built.attrs(url, "pre.hl-code", "data-lang"),
        ["toml", "powershell", "klingon"]
    );
    let page = built.text("s/a/index.html");
    assert!(page.contains("<span class=\"hl-"), "no highlight spans");
    assert!(!page.contains("style=\"color"), "inline styles leaked");
    assert_eq!(built.texts(url, "pre[data-lang=klingon] code"), ["qapla'"]);
    let css = built.text("highlight.css");
    assert!(css.contains(".hl-code"), "{css}");
    assert!(css.contains("@media (prefers-color-scheme: dark)"), "{css}");
    assert_eq!(
        built.attrs(url, "link[rel=stylesheet]", "href"),
        ["/kbgen.css", "/highlight.css"]
    );
}

#[test]
fn gfm_extensions_are_on_and_smart_punctuation_off() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ \"quoted\" -- dash\n\nNote[^1].\n\n[^1]: The footnote.\n",
        )
        .build_ok();
    let url = "/s/a/";
    assert_eq!(built.texts(url, ".article-body td"), ["1", "2"]);
    assert_eq!(
        built
            .attrs(url, ".article-body input[type=checkbox]", "checked")
            .len(),
        1
    );
    assert_eq!(built.texts(url, ".article-body del"), ["old"]);
    assert!(built.texts(url, ".article-body p")[0].contains("\"quoted\" -- dash"));
    assert_eq!(built.texts(url, ".footnote-definition").len(), 1);
}

#[test]
fn links_to_articles_are_rewritten_in_every_form() {
    let built = TestSite::new()
        .article("content/Jira Cloud/oauth.md", "title: OAuth", "## Fix it\n")
        .article(
            "content/guides/start.md",
            "title: Start",
            "[a](../Jira%20Cloud/oauth.md) [b](<@/Jira Cloud/oauth.md#fix-it>) [c](/jira-cloud/oauth) [d](https://example.org/x.md) [e](../Jira%20Cloud/_index.md)\n",
        )
        .build_ok();
    assert_eq!(
        built.attrs("/guides/start/", ".article-body a", "href"),
        [
            "/jira-cloud/oauth/",
            "/jira-cloud/oauth/#fix-it",
            "/jira-cloud/oauth/",
            "https://example.org/x.md",
            "/jira-cloud/"
        ]
    );
}

#[test]
fn base_url_path_prefixes_every_url() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A\ntaxonomy:\n  tag: [t]",
            "[b](b.md) ![i](/images/i.png)\n",
        )
        .article("content/s/b.md", "title: B", "")
        .file("static/images/i.png", b"PNG")
        .base_url("https://example.com/help/")
        .build_ok();
    let url = "/s/a/";
    assert_eq!(built.attrs(url, ".article-body a", "href"), ["/help/s/b/"]);
    assert_eq!(
        built.attrs(url, ".article-body img", "src"),
        ["/help/images/i.png"]
    );
    assert_eq!(
        built.attrs(url, "link[rel=canonical]", "href"),
        ["https://example.com/help/s/a/"]
    );
    assert_eq!(built.attrs(url, ".tag-list a", "href"), ["/help/tag/t/"]);
    assert_eq!(
        built.attrs(url, ".breadcrumbs a", "href"),
        ["/help/", "/help/s/"]
    );
}

#[test]
fn raw_html_passes_through_untouched_but_its_site_urls() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "<div class=\"note\" data-x='1'><b>Hi</b> <a href='/s/a'>x</a></div>\n",
        )
        .build_ok();
    assert!(built
        .text("s/a/index.html")
        .contains("<div class=\"note\" data-x='1'><b>Hi</b> <a href='/s/a/'>x</a></div>"));
}

#[test]
fn home_page_lists_sections_with_their_first_articles_and_recent_updates() {
    let built = TestSite::new()
        .file(
            "content/_index.md",
            "---\ntitle: Acme Help\ndescription: All the answers.\n---\nWelcome.\n",
        )
        .article("content/a/one.md", "title: One\ndate: 2026-01-01", "")
        .article(
            "content/a/two.md",
            "title: Two\ndate: 2026-01-02\nupdated: 2026-05-01",
            "",
        )
        .article("content/b/three.md", "title: Three\ndate: 2026-02-01", "")
        .build_ok();
    assert_eq!(built.texts("/", "h1"), ["Acme Help"]);
    assert_eq!(built.texts("/", ".section-card h2"), ["A", "B"]);
    assert_eq!(
        built.texts("/", ".recent a.article-list__title"),
        ["Two", "Three", "One"]
    );
    assert!(built.has("404.html"));
}

#[test]
fn front_matter_values_are_escaped_in_every_template() {
    let evil = "<script>alert(1)</script> \\\" & 'x'";
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            &format!("title: \"{evil}\"\ndescription: \"{evil}\"\ntaxonomy:\n  category: \"{evil}\"\n  tag: [\"{evil}\"]"),
            "## Heading\n",
        )
        .article("content/s/b.md", "title: B\ntaxonomy:\n  category: \"<b>x</b>\"", "")
        .base_url("https://example.com/")
        .build_ok();
    for (path, bytes) in &built.files {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            assert!(!html.contains("<script>alert"), "unescaped title in {path}");
            assert!(!html.contains("<b>x</b>"), "unescaped term in {path}");
        }
    }
    assert!(!built.text("feed.xml").contains("<script>"));
    assert_eq!(
        built.texts("/s/a/", "h1"),
        ["<script>alert(1)</script> \" & 'x'"]
    );
}

#[test]
fn fences_named_as_on_github_are_highlighted_and_php_needs_no_opening_tag() {
    let mut body = String::new();
    for (language, code) in [
        ("shell", "export TOKEN=abc\n"),
        ("console", "echo \"hi\"\n"),
        ("jsonc", "{\"a\": 1}\n"),
        ("terraform", "resource \"x\" \"y\" {}\n"),
        ("php", "$user = get_user(1);\n"),
        ("text", "plain words\n"),
        ("mermaid", "graph TD\n"),
    ] {
        body.push_str(&format!("```{language}\n{code}```\n\n"));
    }
    let built = TestSite::new()
        .article("content/s/a.md", "title: A", &body)
        .build_ok();
    let page = built.text("s/a/index.html");
    let blocks: Vec<&str> = page.split("<pre class=\"hl-code\"").skip(1).collect();
    assert_eq!(blocks.len(), 7);
    let highlighted: Vec<bool> = blocks.iter().map(|b| b.contains("<span")).collect();
    assert_eq!(highlighted, [true, true, true, true, true, false, false]);
    assert!(blocks[4].contains("hl-variable"), "{}", blocks[4]);
}
