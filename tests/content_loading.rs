//! Loading: front matter, slugs, bundles, drafts, encodings.

mod common;
use common::TestSite;

#[test]
fn front_matter_fields_reach_the_page_and_unknown_keys_become_extra() {
    let site = TestSite::new()
        .article(
            "content/guides/reset.md",
            "title: Reset your password\ndescription: Get back in.\ndate: 2026-02-01\nupdated: 2026-03-05T10:00:00Z\nproduct_version: \"4.2\"",
            "Body text.\n",
        )
        .file(
            "templates/article.html",
            "{% extends \"theme/article.html\" %}{% block head_extra %}<meta name=\"version\" content=\"{{ page.extra.product_version }}\">{% endblock head_extra %}",
        );
    let built = site.build_ok();
    let url = "/guides/reset/";
    assert_eq!(built.texts(url, "h1"), ["Reset your password"]);
    assert_eq!(
        built.attrs(url, "meta[name=description]", "content"),
        ["Get back in."]
    );
    assert_eq!(built.attrs(url, "meta[name=version]", "content"), ["4.2"]);
    assert_eq!(
        built.attrs(url, ".article-header time", "datetime"),
        ["2026-03-05"]
    );
}

#[test]
fn slugs_come_from_spaces_capitals_and_order_prefixes() {
    let built = TestSite::new()
        .article(
            "content/Hardware Support/Printer Jams.md",
            "title: Jams",
            "",
        )
        .article("content/02.Second/b.md", "title: B", "")
        .article(
            "content/01.Basics/01.Install Guide.md",
            "title: Install",
            "",
        )
        .article(
            "content/01.Basics/custom.md",
            "title: Custom\nslug: My Own Slug",
            "",
        )
        .build_ok();
    for page in [
        "hardware-support/printer-jams/index.html",
        "basics/install-guide/index.html",
        "basics/my-own-slug/index.html",
        "second/b/index.html",
    ] {
        assert!(built.has(page), "missing {page}");
    }
    // The NN. prefix orders sections: Basics before Second before Hardware Support.
    assert_eq!(
        built.texts("/", ".site-nav a"),
        ["Basics", "Second", "Hardware Support"]
    );
}

#[test]
fn a_folder_with_index_md_is_one_article_with_its_assets() {
    let built = TestSite::new()
        .article(
            "content/kb/printer-setup/index.md",
            "title: Printer setup",
            "![Tray](shots/tray.png)\n",
        )
        .file("content/kb/printer-setup/shots/tray.png", b"PNG")
        .build_ok();
    assert!(built.has("kb/printer-setup/index.html"));
    assert!(built.has("kb/printer-setup/shots/tray.png"));
    assert_eq!(
        built.attrs("/kb/printer-setup/", ".article-body img", "src"),
        ["/kb/printer-setup/shots/tray.png"]
    );
    assert!(!built.has("kb/printer-setup/shots/index.html"));
}

#[test]
fn assets_beside_articles_are_copied_and_relative_images_rewritten() {
    let built = TestSite::new()
        .article(
            "content/jira/oauth.md",
            "title: OAuth",
            "![Policy](img/policy.png)\n",
        )
        .file("content/jira/img/policy.png", b"PNG")
        .build_ok();
    assert_eq!(built.files["jira/img/policy.png"], b"PNG");
    assert_eq!(
        built.attrs("/jira/oauth/", ".article-body img", "src"),
        ["/jira/img/policy.png"]
    );
}

#[test]
fn drafts_are_skipped_unless_asked_for() {
    let site = TestSite::new()
        .article("content/a/live.md", "title: Live", "")
        .article("content/a/wip.md", "title: WIP\ndraft: true", "");
    assert!(!site.build_ok().has("a/wip/index.html"));
    assert!(site.drafts().build_ok().has("a/wip/index.html"));
}

#[test]
fn crlf_and_bom_files_read_like_lf_files() {
    let lf = "---\ntitle: Same\ntaxonomy:\n  tag: [x]\n---\n## Step one\n\nText.\n";
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let a = TestSite::new().file("content/s/a.md", lf).build_ok();
    let b = TestSite::new().file("content/s/a.md", crlf).build_ok();
    assert_eq!(a.text("s/a/index.html"), b.text("s/a/index.html"));
}

#[test]
fn editor_leftovers_and_readme_are_not_content() {
    let built = TestSite::new()
        .article("content/s/a.md", "title: A", "")
        .file("content/s/.a.md.swp", "junk")
        .file("content/s/a.md~", "junk")
        .file("content/s/README.md", "# notes for writers")
        .build_ok();
    let pages: Vec<_> = built.files.keys().filter(|k| k.starts_with("s/")).collect();
    assert_eq!(pages, ["s/a/index.html", "s/index.html"]);
}

#[test]
fn an_empty_content_folder_is_a_clear_error() {
    let built = TestSite::new().file("content/.keep", "").build();
    let errors = built.errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].headline(),
        "content: error[content]: content/ holds no articles"
    );
}

#[test]
fn a_missing_title_and_bad_yaml_are_reported_together_at_their_lines() {
    let built = TestSite::new()
        .article("content/s/a.md", "description: no title here", "")
        .article("content/s/b.md", "title: B\ntags: [unclosed", "")
        .build();
    let headlines: Vec<String> = built.errors().iter().map(|d| d.headline()).collect();
    // The unclosed `[` is found at the closing fence; the help points back at it.
    assert_eq!(headlines.len(), 1, "{headlines:?}");
    assert!(
        headlines[0]
            .starts_with("content/s/b.md:4:1: error[yaml]: did not find expected ',' or ']'"),
        "{headlines:?}"
    );
    let help = built.errors()[0].help.clone().unwrap();
    assert_eq!(
        help,
        "while parsing a flow sequence that starts at line 3, column 7"
    );
    // A missing title is a warning: the article is titled by its file name.
    let warnings: Vec<String> = built.warnings().iter().map(|d| d.headline()).collect();
    assert!(
        warnings.contains(&"content/s/a.md:1:1: warning[lint/missing-title]: the article sets no `title`; it is titled \"A\" from its file name".to_string()),
        "{warnings:?}"
    );
}

#[test]
fn dates_are_day_or_rfc3339_and_never_the_file_time() {
    let built = TestSite::new()
        .article("content/s/a.md", "title: A\ndate: 2025-12-24", "")
        .article("content/s/b.md", "title: B", "")
        .build_ok();
    assert_eq!(
        built.texts("/s/a/", ".article-header time"),
        ["December 24, 2025"]
    );
    assert!(built.texts("/s/b/", ".article-header time").is_empty());
}
