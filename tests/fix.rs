//! `kbgen fix`: each rule on fixtures it must change and fixtures it must leave
//! alone, the legacy article's shape before and after, and idempotence. Also the
//! related-list promise `fix` relies on: the author's own entries are never cut.

mod common;
use common::tree;
use common::TestSite;

#[test]
fn explicit_related_entries_are_never_cut_by_the_limit() {
    let mut site = TestSite::new().file("kbgen.yaml", "related:\n  limit: 2\n");
    let mut related = String::new();
    for i in 1..=5 {
        site = site.article(
            &format!("content/s/a{i}.md"),
            &format!("title: Article {i}\nweight: {i}\ntaxonomy:\n  category: s"),
            "",
        );
        related.push_str(&format!("\n  - a{i}.md"));
    }
    let site = site.article(
        "content/s/hub.md",
        &format!("title: Hub\ntaxonomy:\n  category: s\nrelated:{related}"),
        "",
    );
    let built = site.build_ok();
    assert_eq!(
        built.texts("/s/hub/", "aside.related li a"),
        [
            "Article 1",
            "Article 2",
            "Article 3",
            "Article 4",
            "Article 5"
        ]
    );
    // The limit still caps the automatic fill.
    assert_eq!(built.texts("/s/a1/", "aside.related li a").len(), 2);
}

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::Built;
use kbgen::build::{build_site, BuildOptions};
use kbgen::output::MemorySink;

const LEGACY: &str = "content/desktop-client/certificate-not-trusted.md";

fn kbgen(root: &Path) -> Command {
    let mut command = Command::cargo_bin("kbgen").unwrap();
    command.current_dir(root);
    command
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fix")
        .join(name)
}

/// A copy of the fixture site `name` in a temporary folder.
fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = fixture(name);
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let target = dir.path().join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
    dir
}

fn build(root: &Path) -> Built {
    let sink = MemorySink::default();
    let options = BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    };
    let outcome = build_site(&options, &sink).expect("the site builds");
    let built = Built {
        files: sink.into_files(),
        report: outcome.report,
    };
    let errors: Vec<String> = built.errors().iter().map(|d| d.headline()).collect();
    assert!(errors.is_empty(), "build errors:\n{}", errors.join("\n"));
    built
}

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

/// Runs `fix --write`, then `fix` again, which must find nothing.
fn fix_twice(root: &Path) -> String {
    let first = kbgen(root).args(["fix", "--write"]).assert().success();
    let after = tree(root);
    let again = kbgen(root).arg("fix").assert().success();
    assert!(
        stderr(&again).contains("nothing to fix"),
        "{}",
        stderr(&again)
    );
    assert_eq!(tree(root), after, "a second fix changed files");
    stderr(&first)
}

const PAGE: &str = "/desktop-client/certificate-not-trusted/";

#[test]
fn the_legacy_article_keeps_its_related_links_callout_and_loses_its_spacers() {
    let site = copy_fixture("legacy");
    let root = site.path();
    let before = build(root);
    let hand_kept = before.attrs(PAGE, "main h3#related-articles ~ p a", "href");
    assert_eq!(hand_kept.len(), 10, "{hand_kept:?}");
    let callout_links = before.attrs(PAGE, "main .kb-callout a", "href");
    assert_eq!(callout_links.len(), 2);

    let dry = kbgen(root).arg("fix").assert().code(1);
    assert!(
        stdout(&dry).starts_with(&format!(
            "diff --git a/{LEGACY} b/{LEGACY}\n--- a/{LEGACY}\n+++ b/{LEGACY}\n"
        )),
        "{}",
        stdout(&dry)
    );
    let findings = fix_twice(root);
    for rule in ["related-list", "callout-html", "spacers"] {
        assert!(
            findings.contains(&format!(": {rule}: ")),
            "{rule} in {findings}"
        );
    }
    let fixed = fs::read_to_string(root.join(LEGACY)).unwrap();
    let expected = fs::read_to_string(fixture("expected/certificate-not-trusted.md")).unwrap();
    assert_eq!(fixed, expected);

    let after = build(root);
    assert_eq!(
        after.texts(PAGE, "aside.related").len(),
        1,
        "one related box"
    );
    assert!(after.texts(PAGE, "main h3#related-articles").is_empty());
    // The hand-kept order, without this page and the duplicate, all ten kept
    // although related.limit is 8.
    let mut expected_related: Vec<String> = Vec::new();
    for href in hand_kept {
        let url = format!("{}/", href.trim_end_matches('/'));
        if !expected_related.contains(&url) {
            expected_related.push(url);
        }
    }
    let related = after.attrs(PAGE, "aside.related li a", "href");
    assert_eq!(related[..expected_related.len()], expected_related[..]);
    assert_eq!(expected_related.len(), 9);
    assert_eq!(
        after.texts(PAGE, "main .callout--info .callout__title"),
        ["Need a hand?"]
    );
    assert_eq!(
        after.attrs(PAGE, "main .callout--info a", "href"),
        callout_links
    );
    assert_eq!(spacer_paragraphs(&before, PAGE), 4);
    assert_eq!(spacer_paragraphs(&after, PAGE), 0);
}

/// Paragraphs of `<main>` that show nothing: blank text and no image.
fn spacer_paragraphs(built: &Built, url: &str) -> usize {
    let page = built.page(url);
    let selector = scraper::Selector::parse("main p").unwrap();
    page.select(&selector)
        .filter(|p| {
            let text: String = p.text().collect();
            let blank = text
                .trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}')
                .is_empty();
            blank && !p.inner_html().contains("<img")
        })
        .count()
}

/// A small site: `s/a.md` and `s/b.md`, and `s/page.md` with `front` front
/// matter lines and `body`.
fn rule_site(front: &str, body: &str) -> TestSite {
    TestSite::new()
        .article(
            "content/s/a.md",
            "title: Alpha\ntaxonomy:\n  category: s",
            "## Steps\n\nA.\n",
        )
        .article(
            "content/s/b.md",
            "title: Beta\ntaxonomy:\n  category: s",
            "B.\n",
        )
        .article(
            "content/s/page.md",
            &format!("title: The page\ntaxonomy:\n  category: s{front}"),
            body,
        )
}

fn page_text(site: &TestSite) -> String {
    fs::read_to_string(site.path("content/s/page.md")).unwrap()
}

#[test]
fn related_list_accepts_lists_categories_and_every_link_form() {
    let site = rule_site(
        "\nrelated:\n  - b.md # picked by hand",
        "Body.\n\n## See also\n\n- [Alpha](a.md) [S]\n- [Beta](@/s/b.md)\n- **The page** (this page)\n- [Alpha again](/s/a/#steps)\n",
    );
    fix_twice(site.root());
    assert_eq!(
        page_text(&site),
        "---\ntitle: The page\ntaxonomy:\n  category: s\nrelated:\n  - b.md # picked by hand\n  - \"@/s/a.md\"\n---\nBody.\n"
    );
}

#[test]
fn related_list_with_prose_or_an_external_link_is_left_alone_and_reported() {
    for list in [
        "[Alpha](a.md)\n\nAsk your admin if none of these help.\n",
        "[Alpha](a.md)\n\n[Vendor docs](https://example.com/docs)\n",
        "[Alpha](a.md)\n\n**Another page** (this page)\n",
    ] {
        let body = format!("Body.\n\n### Related articles\n\n{list}");
        let site = rule_site("", &body);
        let assert = kbgen(site.root())
            .args(["fix", "--write"])
            .assert()
            .success();
        let messages = stderr(&assert);
        assert!(
            messages.contains(
                "related-list (left alone): the \"Related articles\" list stays in the body"
            ),
            "{messages}"
        );
        assert!(page_text(&site).ends_with(&body), "{}", page_text(&site));
    }
}

#[test]
fn related_list_only_reads_a_trailing_heading() {
    let body = "## Related\n\n[Alpha](a.md)\n\n## Steps\n\nDo it.\n";
    let site = rule_site("", body);
    kbgen(site.root()).arg("fix").assert().success();
    assert!(page_text(&site).ends_with(body));
}

#[test]
fn spacers_go_and_text_with_a_no_break_space_stays() {
    let site = rule_site(
        "",
        "One.\n\n&nbsp;\n\n<p>&nbsp;</p>\n\nTwo\n\n<br>\n\n&nbsp;&nbsp;\n\nA&nbsp;B\n\n```\n&nbsp;\n```\n\n- item\n\n  &nbsp;\n",
    );
    let findings = fix_twice(site.root());
    assert!(
        findings.contains("spacers: removed 4 spacer paragraphs"),
        "{findings}"
    );
    assert!(
        page_text(&site)
            .ends_with("---\nOne.\n\nTwo\n\nA&nbsp;B\n\n```\n&nbsp;\n```\n\n- item\n\n  &nbsp;\n"),
        "{}",
        page_text(&site)
    );
}

#[test]
fn site_links_become_content_references_and_point_at_the_same_pages() {
    let body = "[a](/s/a/#steps) [b](/s/b?x=1) [home](/) [ext](https://example.com/s/a/) [rel](a.md)\n\n<a href=\"/s/b/\">b</a>\n\n![pic](/s/a/)\n\n[gone](/s/missing/)\n";
    let site =
        rule_site("\nrelated:\n  - /s/a/", body).file("kbgen.yaml", "links:\n  broken: warn\n");
    let before = site.build();
    let hrefs = |built: &Built| built.attrs("/s/page/", "main p a", "href");
    fix_twice(site.root());
    let text = page_text(&site);
    for expected in [
        "  - \"@/s/a.md\"\n",
        "[a](@/s/a.md#steps)",
        "[b](@/s/b.md?x=1)",
        "[home](@/_index.md)",
        "[ext](https://example.com/s/a/)",
        "[rel](a.md)",
        "<a href=\"@/s/b.md\">",
        "![pic](/s/a/)",
        "[gone](/s/missing/)",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    assert_eq!(hrefs(&site.build()), hrefs(&before));
}

#[test]
fn site_links_to_a_file_named_with_anchor_and_percent_signs_stay_links() {
    // `#`, `?` and `%` in a file name would start an anchor, a query or an
    // escape if the `@/` reference wrote them as they are.
    let site = TestSite::new()
        .article("content/s one/c #1 50%?.md", "title: C", "## Top\n\nC.\n")
        .article(
            "content/s one/page.md",
            "title: Page\nrelated:\n  - /s-one/c-1-50/",
            "[c](/s-one/c-1-50/#top) and [r][r].\n\n[r]: /s-one/c-1-50/\n",
        );
    let before = site.build_ok();
    let hrefs = |built: &Built| built.attrs("/s-one/page/", "main a", "href");
    let related = |built: &Built| built.attrs("/s-one/page/", "aside.related li a", "href");
    fix_twice(site.root());
    let text = fs::read_to_string(site.path("content/s one/page.md")).unwrap();
    for expected in [
        "[c](@/s%20one/c%20%231%2050%25%3F.md#top)",
        "[r]: @/s%20one/c%20%231%2050%25%3F.md\n",
        "  - \"@/s one/c %231 50%%3F.md\"\n",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    kbgen(site.root()).arg("check").assert().success();
    let after = site.build_ok();
    assert_eq!(hrefs(&after), hrefs(&before));
    assert_eq!(related(&after), related(&before));
}

#[test]
fn callout_shapes_become_the_callout_shortcode() {
    let body = "<div class=\"alert alert-warning\" role=\"alert\">\n  <strong>Back up first</strong>\n  <p>Copy the <code>config</code> folder before you <em>upgrade</em>.</p>\n</div>\n\n<div class=\"note\">Restart the client after the change.</div>\n\n<div class=\"grid\"><b>Not</b> a callout</div>\n\n<div class=\"alert alert-info\"><table><tr><td>kept</td></tr></table></div>\n";
    let site = rule_site("", body);
    let findings = fix_twice(site.root());
    assert!(
        findings.contains("callout-html (left alone): a raw-HTML info box stays as written: its message holds <table>"),
        "{findings}"
    );
    let text = page_text(&site);
    assert!(
        text.contains("{% callout(type=\"warning\", title=\"Back up first\") %}\nCopy the `config` folder before you *upgrade*.\n{% end %}\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "{% callout(type=\"info\") %}\nRestart the client after the change.\n{% end %}\n"
        ),
        "{text}"
    );
    assert!(text.contains("<div class=\"grid\"><b>Not</b> a callout</div>"));
    assert!(text.contains("<table>"));
    let built = site.build_ok();
    assert_eq!(
        built.texts("/s/page/", "main .callout--warning .callout__title"),
        ["Back up first"]
    );
    assert_eq!(
        built.texts("/s/page/", "main .callout--warning code"),
        ["config"]
    );
}

#[test]
fn a_rule_switched_off_in_kbgen_yaml_changes_nothing() {
    let body = "One.\n\n&nbsp;\n\nTwo.\n";
    let site = rule_site("", body).file("kbgen.yaml", "fix:\n  spacers: off\n");
    let assert = kbgen(site.root()).arg("fix").assert().success();
    assert!(stderr(&assert).contains("nothing to fix"));
    assert!(page_text(&site).ends_with(body));
    let site = rule_site("", body).file("kbgen.yaml", "fix:\n  spacer: off\n");
    let assert = kbgen(site.root()).arg("fix").assert().code(2);
    assert!(
        stderr(&assert).contains("did you mean `spacers`?"),
        "{}",
        stderr(&assert)
    );
}

#[test]
fn paths_limit_fix_to_those_articles() {
    let site = rule_site("", "One.\n\n&nbsp;\n").article(
        "content/t/other.md",
        "title: Other",
        "One.\n\n&nbsp;\n",
    );
    let assert = kbgen(site.root())
        .args(["fix", "content/t"])
        .assert()
        .code(1);
    let diff = stdout(&assert);
    assert!(diff.contains("+++ b/content/t/other.md\n"), "{diff}");
    assert!(!diff.contains("content/s/page.md"), "{diff}");
}

#[test]
fn a_path_that_is_not_there_is_refused_not_read_as_the_whole_site() {
    let site = rule_site("", "One.\n\n&nbsp;\n");
    let before = tree(site.root());
    let assert = kbgen(site.root())
        .args(["fix", "--write", "content/typo"])
        .assert()
        .code(2);
    assert!(
        stderr(&assert).contains("content/typo"),
        "{}",
        stderr(&assert)
    );
    assert!(tree(site.root()) == before);
    // Read from --root when run elsewhere.
    kbgen(Path::new("/"))
        .args(["fix", "--root"])
        .arg(site.root())
        .arg("content/s")
        .assert()
        .code(1);
}

#[test]
fn a_dry_run_diff_applies_with_patch_and_gives_the_fixed_files() {
    // A name with a space and a CRLF file with a BOM: `patch -p1` reads the
    // names and the diff's lines carry the file's own line ends.
    let site = TestSite::new()
        .article("content/s one/a.md", "title: Alpha", "A.\n")
        .file(
            "content/s one/b c.md",
            "\u{feff}---\r\ntitle: Beta\r\n---\r\nSee [a](/s-one/a/).\r\n\r\n&nbsp;\r\n",
        );
    let dry = kbgen(site.root()).arg("fix").assert().code(1);
    let copy = tempfile::tempdir().unwrap();
    for (name, bytes) in tree(site.root()) {
        let path = copy.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    Command::new("patch")
        .args(["-p1", "--batch", "--silent"])
        .current_dir(copy.path())
        .write_stdin(dry.get_output().stdout.clone())
        .assert()
        .success();
    kbgen(site.root())
        .args(["fix", "--write"])
        .assert()
        .success();
    let written = fs::read_to_string(site.path("content/s one/b c.md")).unwrap();
    assert_eq!(
        written,
        "\u{feff}---\r\ntitle: Beta\r\n---\r\nSee [a](@/s%20one/a.md).\r\n"
    );
    assert!(tree(copy.path()) == tree(site.root()));
}
