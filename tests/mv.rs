//! `kbgen mv`: an article and a section moved with links of every form pointing
//! in, checked on the files and on the built site; moves that are refused
//! leave every file as it was.

mod common;
use common::tree;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::{Built, TestSite};
use kbgen::build::{build_site, BuildOptions};
use kbgen::output::MemorySink;

fn kbgen(root: &Path) -> Command {
    let mut command = Command::cargo_bin("kbgen").unwrap();
    command.current_dir(root);
    command
}

fn read(site: &TestSite, path: &str) -> String {
    fs::read_to_string(site.path(path)).unwrap()
}

/// A site whose `billing/refund.md` is linked in every form.
fn linked_site() -> TestSite {
    TestSite::new()
        .article(
            "content/billing/refund.md",
            "title: Refund failed\n# who owns this: billing team\ntaxonomy:\n  category: billing",
            "## Why\n\nSee [invoices](invoices.md) and ![chart](img/chart.png).\n",
        )
        .file("content/billing/img/chart.png", "png")
        .article(
            "content/billing/invoices.md",
            "title: Invoices\ntaxonomy:\n  category: billing\nrelated:\n  - refund.md\n  - 'refund.md'",
            "Relative [a](refund.md#why), content [b](@/billing/refund.md), site [c](/billing/refund/#why), reference [d][r].\n\n<a href=\"/billing/refund/\">html</a>\n\n[r]: ../billing/refund.md\n",
        )
        .article(
            "content/account/login.md",
            "title: Login\nrelated: [\"@/billing/refund.md\", /billing/refund]",
            "[Refunds](../billing/refund.md)\n",
        )
}

#[test]
fn moving_an_article_rewrites_every_link_form_and_adds_the_alias() {
    let site = linked_site();
    kbgen(site.root())
        .args([
            "mv",
            "content/billing/refund.md",
            "content/payments/refund-failed.md",
        ])
        .assert()
        .success();
    assert!(!site.path("content/billing/refund.md").exists());
    let moved = read(&site, "content/payments/refund-failed.md");
    assert!(moved.contains("# who owns this: billing team\n"), "{moved}");
    assert!(
        moved.contains("aliases:\n  - /billing/refund/\n"),
        "{moved}"
    );
    assert!(
        moved.contains("[invoices](../billing/invoices.md)"),
        "{moved}"
    );
    assert!(
        moved.contains("![chart](../billing/img/chart.png)"),
        "{moved}"
    );
    let invoices = read(&site, "content/billing/invoices.md");
    for expected in [
        "  - ../payments/refund-failed.md\n",
        "  - '../payments/refund-failed.md'\n",
        "[a](../payments/refund-failed.md#why)",
        "[b](@/payments/refund-failed.md)",
        "[c](/payments/refund-failed/#why)",
        "[r]: ../payments/refund-failed.md\n",
        "<a href=\"/payments/refund-failed/\">",
    ] {
        assert!(invoices.contains(expected), "{expected} in\n{invoices}");
    }
    let login = read(&site, "content/account/login.md");
    assert!(
        login.contains("related: [\"@/payments/refund-failed.md\", /payments/refund-failed]"),
        "{login}"
    );
    assert!(
        login.contains("[Refunds](../payments/refund-failed.md)"),
        "{login}"
    );

    let built = site.build_ok();
    assert!(
        built.has("billing/refund/index.html"),
        "the old URL redirects"
    );
    let hrefs = built.attrs("/account/login/", "main a[href*=refund]", "href");
    assert!(!hrefs.is_empty());
    assert!(
        hrefs.iter().all(|h| h == "/payments/refund-failed/"),
        "{hrefs:?}"
    );
    assert_eq!(
        built.texts("/account/login/", "aside.related li a"),
        ["Refund failed"]
    );
    kbgen(site.root()).arg("check").assert().success();
}

#[test]
fn moving_a_section_moves_its_articles_each_with_its_alias() {
    let site = linked_site().file(
        "content/billing/_index.md",
        "---\ntitle: Billing\n---\nStart with [refunds](refund.md).\n",
    );
    kbgen(site.root())
        .args(["mv", "content/billing", "content/payments"])
        .assert()
        .success();
    assert!(!site.path("content/billing").exists());
    let refund = read(&site, "content/payments/refund.md");
    assert!(
        refund.contains("aliases:\n  - /billing/refund/\n"),
        "{refund}"
    );
    let invoices = read(&site, "content/payments/invoices.md");
    assert!(
        invoices.contains("aliases:\n  - /billing/invoices/\n"),
        "{invoices}"
    );
    assert!(invoices.contains("[a](refund.md#why)"), "{invoices}");
    assert!(invoices.contains("[b](@/payments/refund.md)"), "{invoices}");
    assert!(
        invoices.contains("[c](/payments/refund/#why)"),
        "{invoices}"
    );
    assert!(invoices.contains("[r]: refund.md\n"), "{invoices}");
    let login = read(&site, "content/account/login.md");
    assert!(
        login.contains("[Refunds](../payments/refund.md)"),
        "{login}"
    );
    let built = site.build_ok();
    assert!(built.has("billing/refund/index.html"));
    assert!(built.has("billing/invoices/index.html"));
    assert!(built.has("payments/img/chart.png"));
    assert_eq!(
        built.attrs("/payments/refund/", "main img", "src"),
        ["/payments/img/chart.png"]
    );
}

#[test]
fn dry_run_shows_the_diff_and_changes_nothing() {
    let site = linked_site();
    let before = tree(site.root());
    let assert = kbgen(site.root())
        .args([
            "mv",
            "--dry-run",
            "content/billing/refund.md",
            "content/account/",
        ])
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains(
            "diff --git a/content/billing/refund.md b/content/account/refund.md\nrename from content/billing/refund.md\nrename to content/account/refund.md\n--- a/content/billing/refund.md\n+++ b/content/account/refund.md\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("-[Refunds](../billing/refund.md)\n+[Refunds](refund.md)\n"),
        "{stdout}"
    );
    assert_eq!(tree(site.root()), before);
}

#[test]
fn a_move_onto_an_existing_file_is_refused_and_changes_nothing() {
    let site = linked_site();
    let before = tree(site.root());
    let assert = kbgen(site.root())
        .args([
            "mv",
            "content/billing/refund.md",
            "content/billing/invoices.md",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("content/billing/invoices.md already exists"),
        "{stderr}"
    );
    assert_eq!(tree(site.root()), before);
}

#[test]
fn a_move_that_would_take_a_used_url_is_refused_and_changes_nothing() {
    let site = linked_site().article(
        "content/account/refund-policy.md",
        "title: Policy\nslug: refund",
        "",
    );
    let before = tree(site.root());
    let assert = kbgen(site.root())
        .args(["mv", "content/billing/refund.md", "content/account/"])
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("would not build"), "{stderr}");
    assert!(stderr.contains("account/refund"), "{stderr}");
    assert_eq!(tree(site.root()), before);
}

/// The repository's example site, copied: the files a build reads.
fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["kbgen.yaml", "content", "templates", "static"] {
        let from = repo.join(name);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let target = dir.path().join(entry.path().strip_prefix(repo).unwrap());
            if entry.file_type().is_dir() {
                fs::create_dir_all(&target).unwrap();
            } else {
                fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    dir
}

#[test]
fn every_article_of_the_example_site_can_be_renamed_and_its_old_url_redirects() {
    let site = example_site();
    let root = site.path();
    let articles: Vec<String> = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(root).unwrap().display().to_string())
        .filter(|p| p.ends_with(".md") && !p.ends_with("_index.md"))
        .collect();
    assert!(articles.len() >= 10, "{articles:?}");
    let before = kbgen::fix::load_site(root).unwrap().0;
    // Drafts are moved too, but a build writes no page for them.
    let old_urls: Vec<String> = before
        .articles
        .iter()
        .filter(|a| !a.source.front.draft)
        .map(|a| a.path.clone())
        .collect();
    for article in &articles {
        let (old, new) = match article.strip_suffix("/index.md") {
            Some(bundle) => (bundle.to_string(), format!("{bundle}-moved")),
            None => (article.clone(), article.replace(".md", "-moved.md")),
        };
        kbgen(root).args(["mv", &old, &new]).assert().success();
    }
    kbgen(root).arg("check").assert().success();
    let built = build(root);
    for url in old_urls {
        let page = built.text(&format!("{url}index.html"));
        assert!(
            page.contains("http-equiv=\"refresh\""),
            "{url} redirects:\n{page}"
        );
    }
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
    assert!(built.errors().is_empty(), "{:?}", built.errors());
    built
}

#[test]
fn paths_are_read_from_the_root_when_run_elsewhere() {
    let site = linked_site();
    let elsewhere = tempfile::tempdir().unwrap();
    kbgen(elsewhere.path())
        .args(["mv", "--root"])
        .arg(site.root())
        .args(["content/billing/refund.md", "account/"])
        .assert()
        .success();
    assert!(site.path("content/account/refund.md").is_file());
}

#[test]
fn moving_a_bundle_moves_its_assets_and_keeps_its_relative_links() {
    let site = TestSite::new()
        .article(
            "content/s/guide/index.md",
            "title: Guide",
            "![shot](shot.png) and [other](../other.md)\n",
        )
        .file("content/s/guide/shot.png", "png")
        .article(
            "content/s/other.md",
            "title: Other",
            "<a href=\"guide/index.md\">guide</a> [g](@/s/guide/index.md)\n",
        )
        .article("content/t/x.md", "title: X", "");
    kbgen(site.root())
        .args(["mv", "content/s/guide/index.md", "content/t/"])
        .assert()
        .success();
    assert!(site.path("content/t/guide/shot.png").is_file());
    let guide = read(&site, "content/t/guide/index.md");
    assert!(
        guide.contains("![shot](shot.png) and [other](../../s/other.md)"),
        "{guide}"
    );
    let other = read(&site, "content/s/other.md");
    assert!(
        other.contains("<a href=\"../t/guide/index.md\">"),
        "{other}"
    );
    assert!(other.contains("[g](@/t/guide/index.md)"), "{other}");
    let built = site.build_ok();
    assert!(built.has("s/guide/index.html"));
    assert_eq!(
        built.attrs("/t/guide/", "main img", "src"),
        ["/t/guide/shot.png"]
    );
}

/// Every file under `root` with its text (the bytes, read as UTF-8 with no
/// loss: these sites hold only text), and every folder (as `name/`), so a
/// folder left behind counts.
fn files_and_folders(root: &Path) -> std::collections::BTreeMap<String, String> {
    let mut all: std::collections::BTreeMap<String, String> = tree(root)
        .into_iter()
        .map(|(name, bytes)| (name, String::from_utf8(bytes).unwrap()))
        .collect();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.unwrap();
        if entry.file_type().is_dir() {
            let name = entry.path().strip_prefix(root).unwrap().display();
            all.insert(format!("{name}/"), String::new());
        }
    }
    all
}

/// Changes `file` of `files` by replacing `from` (which must be there) by `to`.
fn edit(files: &mut std::collections::BTreeMap<String, String>, file: &str, from: &str, to: &str) {
    let text = files.get_mut(file).unwrap();
    assert!(text.contains(from), "{from:?} in {file}:\n{text}");
    *text = text.replacen(from, to, 1);
}

/// `kbgen mv OLD NEW`, then `kbgen check`, both passing.
fn move_and_check(root: &Path, old: &str, new: &str) {
    kbgen(root).args(["mv", old, new]).assert().success();
    kbgen(root).arg("check").assert().success();
}

#[test]
fn a_move_back_drops_the_alias_of_its_own_url_and_gives_the_start_again() {
    let site = linked_site();
    let root = site.root();
    let start = files_and_folders(root);
    move_and_check(
        root,
        "content/billing/refund.md",
        "content/payments/refund-failed.md",
    );
    let moved = files_and_folders(root);
    move_and_check(
        root,
        "content/payments/refund-failed.md",
        "content/billing/refund.md",
    );
    // Every file and folder as at the start, but: the article keeps the URL
    // it leaves as an alias (it may have been published meanwhile), and the
    // roundabout link `../billing/refund.md` from inside billing/ comes back
    // as the relative path kbgen writes, `refund.md`.
    let mut expected = start.clone();
    edit(
        &mut expected,
        "content/billing/refund.md",
        "  category: billing\n",
        "  category: billing\naliases:\n  - /payments/refund-failed/\n",
    );
    edit(
        &mut expected,
        "content/billing/invoices.md",
        "[r]: ../billing/refund.md",
        "[r]: refund.md",
    );
    assert_eq!(files_and_folders(root), expected);
    // Moving again gives the first move's result, byte for byte.
    move_and_check(
        root,
        "content/billing/refund.md",
        "content/payments/refund-failed.md",
    );
    assert_eq!(files_and_folders(root), moved);
}

#[test]
fn a_section_moved_and_moved_back_gives_the_start_again() {
    let site = linked_site()
        .file(
            "content/billing/_index.md",
            "---\ntitle: Billing\n---\nStart with [refunds](refund.md).\n",
        )
        .file(
            "content/billing/faq.md",
            "\u{feff}---\r\ntitle: FAQ\r\naliases: [/old-faq/] # kept\r\n---\r\nSee [refunds](refund.md).\r\n",
        );
    let root = site.root();
    let start = files_and_folders(root);
    move_and_check(root, "content/billing", "content/payments");
    move_and_check(root, "content/payments", "content/billing");
    // As at the start, but each article keeps the URL it leaves as an alias
    // (added after its other keys, or to its list), and the roundabout link.
    let mut expected = start.clone();
    edit(
        &mut expected,
        "content/billing/refund.md",
        "  category: billing\n",
        "  category: billing\naliases:\n  - /payments/refund/\n",
    );
    edit(
        &mut expected,
        "content/billing/invoices.md",
        "  - 'refund.md'\n",
        "  - 'refund.md'\naliases:\n  - /payments/invoices/\n",
    );
    edit(
        &mut expected,
        "content/billing/invoices.md",
        "[r]: ../billing/refund.md",
        "[r]: refund.md",
    );
    edit(
        &mut expected,
        "content/billing/faq.md",
        "[/old-faq/]",
        "[/old-faq/, /payments/faq/]",
    );
    assert_eq!(files_and_folders(root), expected);
}

/// Plans `old` → `new` in a fresh `site()`, puts a folder (holding a file)
/// at the path `obstacle` picks from the plan, applies the plan, and checks
/// that it fails naming that path and leaves every file and folder as they
/// were just before; returns how many obstacles `obstacle` placed.
fn a_failed_apply_undoes_itself(
    site: impl Fn() -> TestSite,
    old: &str,
    new: &str,
    obstacle: impl Fn(&kbgen::mv::Plan, usize) -> Option<std::path::PathBuf>,
) -> usize {
    let mut placed = 0;
    for step in 0.. {
        let site = site();
        let root = site.root();
        let plan = kbgen::mv::plan(root, Path::new(old), Path::new(new)).unwrap();
        let Some(blocked) = obstacle(&plan, step) else {
            if step >= plan.files.len() {
                return placed;
            }
            continue;
        };
        let full = root.join(&blocked);
        if full.is_file() {
            fs::remove_file(&full).unwrap();
        }
        fs::create_dir_all(&full).unwrap();
        fs::write(full.join("keep"), "a folder in the way").unwrap();
        placed += 1;
        let before = files_and_folders(root);
        let error = kbgen::mv::apply(&plan).unwrap_err().to_string();
        let shown = blocked.display().to_string();
        assert!(error.contains(&shown), "step {step}: {error} names {shown}");
        assert_eq!(files_and_folders(root), before, "step {step}: {error}");
    }
    unreachable!()
}

#[test]
fn a_move_that_fails_at_any_write_puts_every_file_back() {
    let hidden = |path: &Path| {
        let name = path.file_name().unwrap().to_string_lossy();
        path.with_file_name(format!(".{name}.kbgen-mv"))
    };
    // Each staged text in turn cannot be written.
    let staged = a_failed_apply_undoes_itself(
        linked_site,
        "content/billing/refund.md",
        "content/payments/refund-failed.md",
        |plan, step| plan.files.get(step).map(|f| hidden(&f.before)),
    );
    // The rename, or the replacing of each other file in turn, fails.
    let replaced = a_failed_apply_undoes_itself(
        linked_site,
        "content/billing/refund.md",
        "content/payments/refund-failed.md",
        |plan, step| plan.files.get(step).map(|f| f.after.clone()),
    );
    assert!(staged >= 3 && replaced >= 3, "{staged} {replaced}");
    // In a section move, each file outside the section in turn.
    let section = || {
        linked_site().file(
            "content/billing/_index.md",
            "---\ntitle: Billing\n---\nStart with [refunds](refund.md).\n",
        )
    };
    let outside = a_failed_apply_undoes_itself(
        section,
        "content/billing",
        "content/payments",
        |plan, step| {
            let file = plan.files.get(step)?;
            (!file.before.starts_with("content/billing")).then(|| file.after.clone())
        },
    );
    assert!(outside >= 1, "{outside}");
}

#[test]
fn links_to_a_file_name_with_quotes_parentheses_and_percent_stay_links() {
    let site = TestSite::new()
        .article("content/s/a.md", "title: Alpha", "## Top\n\nA.\n")
        .article(
            "content/s/b.md",
            "title: Beta\nrelated:\n  - a.md",
            "[inline](a.md#top) and [ref][r] and <a href=\"a.md\">html</a>.\n\n[r]: a.md\n",
        );
    let new = "content/t/notes (old) & \"draft\" 100%.md";
    kbgen(site.root())
        .args(["mv", "content/s/a.md", new])
        .assert()
        .success();
    kbgen(site.root()).arg("check").assert().success();
    let b = read(&site, "content/s/b.md");
    let escaped = "../t/notes%20%28old%29%20%26%20%22draft%22%20100%25.md";
    for expected in [
        format!("[inline]({escaped}#top)"),
        format!("[r]: {escaped}\n"),
        format!("<a href=\"{escaped}\">html</a>"),
        // Plain in YAML, as the entry was: it reads back as written.
        "  - ../t/notes (old) & \"draft\" 100%.md\n".to_string(),
    ] {
        assert!(b.contains(&expected), "{expected} in\n{b}");
    }
    let built = site.build_ok();
    let hrefs = built.attrs("/s/b/", "main p a", "href");
    assert_eq!(hrefs.len(), 3, "{hrefs:?}");
    let url = built.attrs("/s/b/", "aside.related li a", "href");
    assert_eq!(url.len(), 1);
    assert!(
        hrefs[0].starts_with(&format!("{}#", url[0])),
        "{hrefs:?} {url:?}"
    );
    assert_eq!(hrefs[1..], [url[0].clone(), url[0].clone()]);
}

#[test]
fn links_to_a_file_name_with_anchor_and_query_signs_stay_links() {
    // `#` and `?` in the new file name must not start an anchor or a query
    // in the rewritten links.
    let site = TestSite::new()
        .article("content/s/a.md", "title: Alpha", "## Top\n\nA.\n")
        .article(
            "content/s/b.md",
            "title: Beta\nrelated:\n  - a.md\n  - '@/s/a.md'",
            "[inline](a.md#top), [at](@/s/a.md) and <a href=\"a.md\">html</a>.\n",
        );
    kbgen(site.root())
        .args(["mv", "content/s/a.md", "content/t one/c #1 what?.md"])
        .assert()
        .success();
    kbgen(site.root()).arg("check").assert().success();
    let b = read(&site, "content/s/b.md");
    for expected in [
        "[inline](../t%20one/c%20%231%20what%3F.md#top)",
        "[at](@/t%20one/c%20%231%20what%3F.md)",
        "<a href=\"../t%20one/c%20%231%20what%3F.md\">html</a>",
        "  - ../t one/c %231 what%3F.md\n",
        "  - '@/t one/c %231 what%3F.md'\n",
    ] {
        assert!(b.contains(expected), "{expected} in\n{b}");
    }
    kbgen(site.root())
        .args(["mv", "content/t one/c #1 what?.md", "content/s/a.md"])
        .assert()
        .success();
    let b = read(&site, "content/s/b.md");
    assert!(b.contains("[inline](a.md#top), [at](@/s/a.md)"), "{b}");
    assert!(b.contains("  - a.md\n  - '@/s/a.md'"), "{b}");
}

#[test]
fn a_flow_list_entry_whose_new_name_holds_a_comma_or_bracket_is_quoted() {
    // In `[a, b]` a plain `../t/a, [b].md` would be two entries and a list.
    let site = TestSite::new()
        .article("content/s/a.md", "title: Alpha", "A.\n")
        .article(
            "content/s/b.md",
            "title: Beta\nrelated: [a.md, '@/s/a.md']  # kept by hand",
            "B.\n",
        );
    kbgen(site.root())
        .args(["mv", "content/s/a.md", "content/t/a, [b] {c}.md"])
        .assert()
        .success();
    kbgen(site.root()).arg("check").assert().success();
    let b = read(&site, "content/s/b.md");
    assert!(
        b.contains("related: [\"../t/a, [b] {c}.md\", '@/t/a, [b] {c}.md']  # kept by hand\n"),
        "{b}"
    );
    let related = site.build_ok().attrs("/s/b/", "aside.related li a", "href");
    assert_eq!(related.len(), 1, "{related:?}");
}

/// The files of `root` after `patch -p1` applied `diff` to a copy of it.
fn patched(root: &Path, diff: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let copy = tempfile::tempdir().unwrap();
    for (name, bytes) in tree(root) {
        let path = copy.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    Command::new("patch")
        .args(["-p1", "--batch", "--silent"])
        .current_dir(copy.path())
        .write_stdin(diff.to_vec())
        .assert()
        .success();
    tree(copy.path())
}

#[test]
fn a_dry_run_diff_applies_with_patch_and_gives_the_move() {
    // Names with spaces, a CRLF file with a BOM, a bundle's asset: the diff
    // of `--dry-run` is what `patch -p1` (and `git apply`) make the move from.
    let site = TestSite::new()
        .article(
            "content/s one/a.md",
            "title: Alpha",
            "See [b](b/index.md).\n",
        )
        .article("content/s one/b/index.md", "title: Beta", "![p](p.png)\n")
        .file("content/s one/b/p.png", [0u8, 159, 146, 150])
        .file(
            "content/t/c.md",
            "\u{feff}---\r\ntitle: Gamma\r\n---\r\n[a](../s%20one/a.md)\r\n",
        );
    for (old, new) in [
        ("content/s one", "content/u two"),
        ("content/s one/a.md", "content/t/a b.md"),
        ("content/s one/b", "content/t/"),
    ] {
        let dry = kbgen(site.root())
            .args(["mv", "--dry-run", old, new])
            .assert()
            .success();
        let expected = {
            let moved = tempfile::tempdir().unwrap();
            for (name, bytes) in tree(site.root()) {
                let path = moved.path().join(name);
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(path, bytes).unwrap();
            }
            kbgen(moved.path())
                .args(["mv", old, new])
                .assert()
                .success();
            tree(moved.path())
        };
        let got = patched(site.root(), &dry.get_output().stdout);
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "{old} → {new}"
        );
        assert!(got == expected, "{old} → {new}: the texts differ");
    }
}

#[test]
fn a_relative_url_without_its_slash_keeps_it_off_through_a_move_and_back() {
    let site = TestSite::new()
        .article("content/s/a.md", "title: Alpha", "A.\n")
        .article(
            "content/t/b.md",
            "title: Beta",
            "[a](../../s/a) and [s](../../s)\n",
        );
    let start = tree(site.root());
    kbgen(site.root())
        .args(["mv", "content/s", "content/u"])
        .assert()
        .success();
    let b = read(&site, "content/t/b.md");
    assert!(b.contains("[a](../../u/a) and [s](../../u)\n"), "{b}");
    kbgen(site.root()).arg("check").assert().success();
    kbgen(site.root())
        .args(["mv", "content/u", "content/s"])
        .assert()
        .success();
    let mut back = tree(site.root());
    // The section's articles keep the moved-away URL as an alias.
    back.insert("content/s/a.md".into(), start["content/s/a.md"].clone());
    assert!(back == start, "{}", read(&site, "content/t/b.md"));
}

/// A site in English and German whose `billing/refund.md` has a German
/// translation with its own slug and a heading of its own, linked from
/// another German article by its anchor.
fn translated_site() -> TestSite {
    TestSite::new()
        .file(
            "kbgen.yaml",
            "title: Help\nlanguages:\n  - code: en\n    name: English\n  - code: de\n    name: Deutsch\n",
        )
        .article(
            "content/billing/refund.md",
            "title: Refund failed",
            "## Why\n\nSee [invoices](invoices.md).\n",
        )
        .article(
            "content/billing/refund.de.md",
            "title: Erstattung fehlgeschlagen\nslug: erstattung",
            "## Warum\n\nSiehe [Rechnungen](invoices.md).\n",
        )
        .article("content/billing/invoices.md", "title: Invoices", "Text.\n")
        .article(
            "content/billing/invoices.de.md",
            "title: Rechnungen",
            "Zum [Grund](refund.md#warum).\n",
        )
}

#[test]
fn moving_an_article_moves_its_translations_each_with_its_alias() {
    let site = translated_site();
    kbgen(site.root())
        .args([
            "mv",
            "content/billing/refund.md",
            "content/payments/refund-failed.md",
        ])
        .assert()
        .success();
    for gone in ["content/billing/refund.md", "content/billing/refund.de.md"] {
        assert!(!site.path(gone).exists(), "{gone} is still there");
    }
    let german = read(&site, "content/payments/refund-failed.de.md");
    assert!(
        german.contains("aliases:\n  - /de/billing/erstattung/\n"),
        "{german}"
    );
    assert!(
        german.contains("[Rechnungen](../billing/invoices.md)"),
        "{german}"
    );
    let invoices = read(&site, "content/billing/invoices.de.md");
    assert!(
        invoices.contains("[Grund](../payments/refund-failed.md#warum)"),
        "{invoices}"
    );

    let built = site.build_ok();
    assert!(built.has("de/payments/erstattung/index.html"));
    assert!(
        built.has("de/billing/erstattung/index.html"),
        "the old German URL redirects"
    );
    let switcher = built.attrs("/payments/refund-failed/", "a[hreflang=de]", "href");
    assert_eq!(switcher, ["/de/payments/erstattung/"]);
    let orphans: Vec<String> = built.warnings().iter().map(|d| d.headline()).collect();
    assert!(!orphans.iter().any(|w| w.contains("orphan")), "{orphans:?}");
}

#[test]
fn a_translation_whose_new_name_is_taken_refuses_the_whole_move() {
    let site = translated_site().article(
        "content/payments/refund-failed.de.md",
        "title: Schon da",
        "Text.\n",
    );
    let before = tree(site.root());
    let output = kbgen(site.root())
        .args([
            "mv",
            "content/billing/refund.md",
            "content/payments/refund-failed.md",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("refund-failed.de.md already exists"),
        "{stderr}"
    );
    assert_eq!(tree(site.root()), before);
}
