//! `kbgen fix`: each rule on fixtures it must change and fixtures it must leave
//! alone, the legacy article's shape before and after, and idempotence. Also the
//! related-list promise `fix` relies on: the author's own entries are never cut.

mod common;
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

use std::collections::BTreeMap;
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

fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(root).unwrap().display().to_string();
            (name, fs::read(e.path()).unwrap())
        })
        .collect()
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
        stdout(&dry).starts_with(&format!("--- {LEGACY}\n+++ {LEGACY}\n")),
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
