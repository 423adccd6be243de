//! `dates: git`: articles' dates and last author from the history of the
//! repository the site is in, on repositories the tests write with gix.

mod common;

use common::git::{snapshot, GitRepo};
use common::TestSite;
use kbgen::build::{preview::Preview, BuildOptions, Changes};
use kbgen::content::git_history::{Repository, Walk};

/// 2024-01-01T00:00:00Z, and one day.
const JAN_1: i64 = 1_704_067_200;
const DAY: i64 = 86_400;

const CONFIG: &str = "title: Help\nbase_url: https://help.example.com/\ndates: git\n";

/// Ten lines, so an edit of one keeps a renamed file similar.
fn long_body(last: &str) -> String {
    let mut text = String::from("---\ntitle: Moving house\n---\n");
    for n in 1..10 {
        text.push_str(&format!(
            "Step {n}: pack the boxes of room {n} and label them.\n"
        ));
    }
    text.push_str(last);
    text
}

fn article(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndescription: About {title}.\n---\n{body}\n")
}

/// The warnings about git (lint's are not this test's business).
fn git_warnings(built: &common::Built) -> Vec<&kbgen::diagnostics::Diagnostic> {
    built
        .warnings()
        .into_iter()
        .filter(|d| d.code == "git")
        .collect()
}

/// `(published, updated)` of each feed entry, by title.
fn feed_dates(site: &common::Built) -> Vec<(String, String, String)> {
    let feed = site.text("feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let mut entries: Vec<(String, String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|entry| {
            let child = |name: &str| {
                entry
                    .children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .unwrap_or("-")
                    .to_string()
            };
            (child("title"), child("published"), child("updated"))
        })
        .collect();
    entries.sort();
    entries
}

/// A history with an edit, a new file, a rename with an edit, and a file
/// whose front matter sets `updated:`.
fn history_site() -> TestSite {
    let site = TestSite::new().file("kbgen.yaml", CONFIG);
    let repo = GitRepo::init(site.root());
    let alpha_1 = article("Alpha", "First words.");
    let alpha_2 = article("Alpha", "Second words.");
    let beta_1 = article("Beta", "New file.");
    let beta_2 = article("Beta", "New file, edited.");
    let pinned = "---\ntitle: Pinned\nupdated: 2023-12-31\n---\nFixed date.\n";
    let c1 = repo.commit(
        &snapshot(&[
            ("kbgen.yaml", CONFIG),
            ("content/start/alpha.md", &alpha_1),
            ("content/start/old-name.md", &long_body("Last step.\n")),
        ]),
        JAN_1,
        "Ann Archer",
        &[],
    );
    let c2 = repo.commit(
        &snapshot(&[
            ("kbgen.yaml", CONFIG),
            ("content/start/alpha.md", &alpha_2),
            ("content/start/beta.md", &beta_1),
            ("content/start/old-name.md", &long_body("Last step.\n")),
            ("content/start/pinned.md", pinned),
        ]),
        JAN_1 + 31 * DAY,
        "Bob Baker",
        &[c1],
    );
    let renamed = long_body("Last step, reworded.\n");
    let c3 = repo.commit(
        &snapshot(&[
            ("kbgen.yaml", CONFIG),
            ("content/start/alpha.md", &alpha_2),
            ("content/start/beta.md", &beta_1),
            ("content/start/new-name.md", &renamed),
            ("content/start/pinned.md", pinned),
        ]),
        JAN_1 + 60 * DAY,
        "Cy Cole",
        &[c2],
    );
    let c4 = repo.commit(
        &snapshot(&[
            ("kbgen.yaml", CONFIG),
            ("content/start/alpha.md", &alpha_2),
            ("content/start/beta.md", &beta_2),
            ("content/start/new-name.md", &renamed),
            ("content/start/pinned.md", pinned),
        ]),
        JAN_1 + 91 * DAY,
        "Dee Dunn",
        &[c3],
    );
    repo.set_main(c4);
    site.file("content/start/alpha.md", &alpha_2)
        .file("content/start/beta.md", &beta_2)
        .file("content/start/new-name.md", &renamed)
        .file("content/start/pinned.md", pinned)
}

#[test]
fn dates_come_from_the_first_and_last_commit_and_follow_a_rename() {
    let site = history_site();
    let built = site.build_ok();
    assert_eq!(
        feed_dates(&built),
        [
            (
                "Alpha".into(),
                "2024-01-01T00:00:00Z".into(),
                "2024-02-01T00:00:00Z".into()
            ),
            (
                "Beta".into(),
                "2024-02-01T00:00:00Z".into(),
                "2024-04-01T00:00:00Z".into()
            ),
            // Renamed (with an edit) on March 1: its history goes back to
            // the old name's first commit.
            (
                "Moving house".into(),
                "2024-01-01T00:00:00Z".into(),
                "2024-03-01T00:00:00Z".into()
            ),
            // `updated:` in front matter wins; `date` is git's.
            (
                "Pinned".into(),
                "2024-02-01T00:00:00Z".into(),
                "2023-12-31T00:00:00Z".into()
            ),
        ]
    );
    assert_eq!(
        built.attrs("/start/beta/", ".article-header__updated time", "datetime"),
        ["2024-04-01"]
    );
    assert!(git_warnings(&built).is_empty(), "{:?}", built.warnings());
}

#[test]
fn the_last_author_is_the_author_of_the_last_commit() {
    let site = history_site();
    let repository = Repository::discover(site.root()).unwrap().unwrap();
    let Walk::History(history) = repository.walk().unwrap() else {
        panic!("a history");
    };
    let author = |path: &str| history.files[path].last_author.clone();
    assert_eq!(author("start/alpha.md"), "Bob Baker");
    assert_eq!(author("start/beta.md"), "Dee Dunn");
    assert_eq!(author("start/new-name.md"), "Cy Cole");
    assert_eq!(history.commits, 4);
    let built = site.build_ok();
    assert_eq!(
        built.texts("/start/beta/", ".article-header__author"),
        ["by Dee Dunn"]
    );
}

#[test]
fn the_same_repository_gives_the_same_output() {
    let site = history_site();
    let first = site.build_ok();
    let second = site.build_ok();
    assert_eq!(first.files, second.files);
}

#[test]
fn front_matter_dates_are_the_default() {
    let site = history_site().file(
        "kbgen.yaml",
        "title: Help\nbase_url: https://help.example.com/\n",
    );
    let built = site.build_ok();
    let dated: Vec<_> = feed_dates(&built)
        .into_iter()
        .filter(|(_, published, _)| published != "-")
        .collect();
    assert!(dated.is_empty(), "{dated:?}");
}

#[test]
fn an_uncommitted_edit_keeps_the_date_of_the_last_commit() {
    let site = history_site().file(
        "content/start/beta.md",
        article("Beta", "Edited, not committed."),
    );
    let built = site.build_ok();
    assert_eq!(
        built.attrs("/start/beta/", ".article-header__updated time", "datetime"),
        ["2024-04-01"]
    );
    // A file git does not know has front matter's dates only.
    let site = site.file("content/start/gamma.md", article("Gamma", "Brand new."));
    let built = site.build_ok();
    assert!(built
        .attrs("/start/gamma/", ".article-header__updated time", "datetime")
        .is_empty());
}

#[test]
fn a_merge_keeps_the_date_of_the_branch_commit() {
    let site = TestSite::new().file("kbgen.yaml", CONFIG);
    let repo = GitRepo::init(site.root());
    let one = article("One", "Base.");
    let two = article("Two", "Base.");
    let base = repo.commit(
        &snapshot(&[("content/one.md", &one), ("content/two.md", &two)]),
        JAN_1,
        "Ann",
        &[],
    );
    let one_edited = article("One", "Edited on a branch.");
    let two_edited = article("Two", "Edited on main.");
    let branch = repo.commit(
        &snapshot(&[("content/one.md", &one_edited), ("content/two.md", &two)]),
        JAN_1 + 10 * DAY,
        "Bob",
        &[base],
    );
    let main = repo.commit(
        &snapshot(&[("content/one.md", &one), ("content/two.md", &two_edited)]),
        JAN_1 + 20 * DAY,
        "Cy",
        &[base],
    );
    let merge = repo.commit(
        &snapshot(&[
            ("content/one.md", &one_edited),
            ("content/two.md", &two_edited),
        ]),
        JAN_1 + 30 * DAY,
        "Dee",
        &[main, branch],
    );
    repo.set_main(merge);
    let built = site
        .file("content/one.md", &one_edited)
        .file("content/two.md", &two_edited)
        .build_ok();
    assert_eq!(
        built.attrs("/one/", ".article-header__updated time", "datetime"),
        ["2024-01-11"]
    );
    assert_eq!(
        built.attrs("/two/", ".article-header__updated time", "datetime"),
        ["2024-01-21"]
    );
}

#[test]
fn a_shallow_clone_is_reported_once_and_dates_come_from_front_matter() {
    let site = TestSite::new().file("kbgen.yaml", CONFIG);
    let repo = GitRepo::init(site.root());
    let files = [
        ("content/a.md", article("A", "One.")),
        ("content/b.md", article("B", "Two.")),
    ];
    let pairs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let head = repo.commit(&snapshot(&pairs), JAN_1, "Ann", &[]);
    repo.set_main(head);
    repo.make_shallow(head);
    let site = files
        .iter()
        .fold(site, |site, (path, text)| site.file(path, text));
    let built = site.build_ok();
    let warnings = git_warnings(&built);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let warning = warnings[0];
    assert!(
        warning.message.contains("shallow clone"),
        "{}",
        warning.message
    );
    assert!(
        warning.help.as_deref().unwrap().contains("fetch-depth: 0"),
        "{warning:?}"
    );
    assert_eq!(warning.path, std::path::Path::new("kbgen.yaml"));
    assert_eq!(warning.line, 3);
    assert!(built
        .attrs("/a/", ".article-header__updated time", "datetime")
        .is_empty());
}

#[test]
fn a_site_outside_any_repository_is_a_warning() {
    let site = TestSite::new()
        .file("kbgen.yaml", CONFIG)
        .file("content/a.md", article("A", "One."));
    let built = site.build_ok();
    let warnings: Vec<String> = git_warnings(&built)
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("not in a git repository"),
        "{warnings:?}"
    );
}

#[test]
fn a_repository_without_commits_gives_front_matter_dates_quietly() {
    let site = TestSite::new()
        .file("kbgen.yaml", CONFIG)
        .file("content/a.md", article("A", "One."));
    GitRepo::init(site.root());
    let built = site.build_ok();
    assert!(git_warnings(&built).is_empty(), "{:?}", built.warnings());
}

#[test]
fn the_preview_sees_a_new_commit_at_its_next_rebuild() {
    let site = TestSite::new().file("kbgen.yaml", CONFIG);
    let repo = GitRepo::init(site.root());
    let text = article("A", "One.");
    let first = repo.commit(&snapshot(&[("content/a.md", &text)]), JAN_1, "Ann", &[]);
    repo.set_main(first);
    let site = site.file("content/a.md", &text);
    let mut preview = Preview::new(BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    });
    let updated = |preview: &Preview| {
        let served = preview.served();
        let page = served.files["a/index.html"].read().unwrap();
        let page = String::from_utf8(page).unwrap();
        let at = page.find("<time datetime=\"").expect("a date") + 16;
        page[at..at + 10].to_string()
    };
    assert!(preview.rebuild(&Changes::everything()).published);
    assert_eq!(updated(&preview), "2024-01-01");

    let edited = article("A", "One, edited.");
    let second = repo.commit(
        &snapshot(&[("content/a.md", &edited)]),
        JAN_1 + 5 * DAY,
        "Bob",
        &[first],
    );
    repo.set_main(second);
    let site = site.file("content/a.md", &edited);
    let changes = Changes {
        content: ["a.md".to_string()].into_iter().collect(),
        ..Changes::default()
    };
    let rebuild = preview.rebuild(&changes);
    assert!(rebuild.published, "{:?}", rebuild.report.diagnostics);
    assert_eq!(updated(&preview), "2024-01-06");
    // Everything made from the dates (the sitemap's lastmod, the feed, the
    // recent list) follows, as a fresh build makes it.
    let fresh = kbgen::output::MemorySink::default();
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    };
    kbgen::build::build_site(&options, &fresh).expect("builds");
    let fresh = fresh.into_files();
    let served = common::served(&preview);
    for file in ["sitemap.xml", "feed.xml", "index.html"] {
        assert_eq!(
            String::from_utf8_lossy(&served[file]),
            String::from_utf8_lossy(&fresh[file]),
            "{file}"
        );
    }
    drop(site);
}
