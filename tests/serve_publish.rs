//! How the preview publishes a site: the next site is made from the last one
//! without copying it, so what a request holds must stay whole, and what a
//! run no longer makes (a redirect page, an asset, a page) must be gone from
//! the next site even though most of it is the last site's.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use kbgen::build::preview::Preview;
use kbgen::build::{build_site, BuildOptions, Changes};
use kbgen::output::memory::Served;
use kbgen::output::MemorySink;
use kbgen::serve::http::Shared;
use kbgen::serve::rebuild_and_publish;

mod common;
use common::served;

fn write(root: &Path, path: &str, text: &str) {
    let target = root.join(path);
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::write(target, text).unwrap();
}

fn article(title: &str, front: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n{front}---\n{body}\n")
}

/// Twelve articles in two sections, one with an alias and one with an
/// image beside it.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "kbgen.yaml",
        "title: Publishing\nbase_url: https://example.com/\nlint:\n  file-name: off\n",
    );
    for i in 0..12 {
        let front = match i {
            0 => "aliases: [/old/first/]\ntaxonomy:\n  tag: [lonely]\n".to_string(),
            _ => format!("taxonomy:\n  tag: [t{}]\n", i % 3),
        };
        let body = format!("Body of article {i}.");
        let text = article(&format!("Article {i}"), &front, &body);
        write(root, &format!("content/s{}/a{i}.md", i % 2), &text);
    }
    write(root, "content/s1/img/pic.png", "PNG");
    dir
}

fn fresh(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let sink = MemorySink::default();
    let options = BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    };
    let outcome = build_site(&options, &sink).unwrap();
    assert!(!outcome.report.has_errors(), "a fresh build failed");
    sink.into_files()
}

fn started(root: &Path) -> Preview {
    let mut preview = Preview::new(BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    });
    assert!(preview.rebuild(&Changes::everything()).published);
    preview
}

fn changed(files: &[&str]) -> Changes {
    Changes {
        content: files.iter().map(|f| f.to_string()).collect(),
        ..Changes::default()
    }
}

fn read_all(served: &Served) -> BTreeMap<String, Vec<u8>> {
    (served.files.iter())
        .map(|(path, entry)| (path.clone(), entry.read().unwrap()))
        .collect()
}

fn assert_same_as_fresh(preview: &Preview, root: &Path, step: &str) {
    let (served, fresh) = (served(preview), fresh(root));
    let paths = |files: &BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(&served), paths(&fresh), "after {step}: other files");
    for (path, bytes) in &fresh {
        assert!(served[path] == *bytes, "after {step}: {path} differs");
    }
}

#[test]
fn a_site_held_by_a_request_stays_whole_while_edits_are_published() {
    let site = site();
    let root = site.path();
    let mut preview = started(root);
    let held = preview.served();
    let before = read_all(&held);
    let edits: [(&str, Option<String>); 4] = [
        ("s0/a2.md", Some(article("Renamed", "", "New text."))),
        ("s1/a3.md", None),
        ("s0/a4.md", Some(article("Broken", "draft: [", "x"))),
        ("s0/a4.md", Some(article("Fixed", "", "Fixed text."))),
    ];
    for (file, text) in edits {
        let path = root.join("content").join(file);
        match text {
            Some(text) => fs::write(&path, text).unwrap(),
            None => fs::remove_file(&path).unwrap(),
        }
        preview.rebuild(&changed(&[file]));
        assert_eq!(read_all(&held), before, "after an edit of {file}");
    }
    assert_ne!(served(&preview), before, "the edits changed nothing");
    assert_same_as_fresh(&preview, root, "the edits");
}

#[test]
fn files_a_run_stops_making_are_gone_from_the_next_site() {
    let site = site();
    let root = site.path();
    let mut preview = started(root);
    let has = |preview: &Preview, path: &str| preview.served().files.contains_key(path);
    assert!(has(&preview, "old/first/index.html"));
    assert!(has(&preview, "tag/lonely/index.html"));
    assert!(has(&preview, "s1/img/pic.png"));

    // The alias and the only article of a tag go: a redirect page (not a
    // page), `_redirects`, and a term page (a page) are gone.
    let text = article("Article 0", "", "Body of article 0.");
    write(root, "content/s0/a0.md", &text);
    assert!(preview.rebuild(&changed(&["s0/a0.md"])).published);
    assert!(!has(&preview, "old/first/index.html"));
    assert!(!has(&preview, "_redirects"));
    assert!(!has(&preview, "tag/lonely/index.html"));
    assert_same_as_fresh(&preview, root, "removing the alias and the tag");

    fs::remove_file(root.join("content/s1/img/pic.png")).unwrap();
    assert!(preview.rebuild(&changed(&["s1/img/pic.png"])).published);
    assert!(!has(&preview, "s1/img/pic.png"));
    assert_same_as_fresh(&preview, root, "removing the image");

    // One page gone and one new in the same run: as many pages as before.
    fs::rename(root.join("content/s0/a2.md"), root.join("content/s0/b2.md")).unwrap();
    assert!(
        preview
            .rebuild(&changed(&["s0/a2.md", "s0/b2.md"]))
            .published
    );
    assert!(!has(&preview, "s0/a2/index.html"));
    assert!(has(&preview, "s0/b2/index.html"));
    assert_same_as_fresh(&preview, root, "a rename");
}

#[test]
fn a_published_edit_reaches_the_server_and_keeps_its_search_files() {
    let site = site();
    let root = site.path();
    let mut preview = started(root);
    let shared = Shared::new(preview.served());
    let (_, first) = rebuild_and_publish(&mut preview, &shared, &Changes::everything());
    let first = first.expect("published");
    let index = vec![("pagefind.js".to_string(), b"index one".to_vec())];
    shared.attach_search(first, index);

    let text = article("Article 5, edited", "", "Edited.");
    write(root, "content/s1/a5.md", &text);
    let (rebuild, second) = rebuild_and_publish(&mut preview, &shared, &changed(&["s1/a5.md"]));
    assert!(second.is_some_and(|second| second > first));
    assert_eq!(
        rebuild.stages.last().map(|(stage, _)| *stage),
        Some("publish")
    );
    let now = shared.snapshot();
    let page = now.get("s1/a5/index.html").unwrap().read().unwrap();
    assert!(String::from_utf8(page)
        .unwrap()
        .contains("Article 5, edited"));
    // The last site's index stays until the new one is attached.
    let search = now.get("pagefind/pagefind.js").unwrap().read().unwrap();
    assert_eq!(search, b"index one");

    // A broken edit publishes nothing.
    write(root, "content/s1/a5.md", "---\ntitle: [\n---\n");
    let (rebuild, none) = rebuild_and_publish(&mut preview, &shared, &changed(&["s1/a5.md"]));
    assert!(!rebuild.published && none.is_none());
    assert!(std::sync::Arc::ptr_eq(&shared.snapshot().site, &now.site));
}
