//! The preview server's promise: after any sequence of edits, the served site
//! is byte-identical to what a fresh full build of the same files writes, while
//! a one-article edit re-renders only the pages whose content changed.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use kbgen::build::preview::Preview;
use kbgen::build::Changes;
use kbgen::build::{build_site, BuildOptions};
use kbgen::output::MemorySink;

mod common;
use common::served;

fn write(root: &Path, path: &str, text: &str) {
    let target = root.join(path);
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::write(target, text).unwrap();
}

fn article(i: usize, title: &str, extra: &str) -> String {
    format!(
        "---\ntitle: {title}\ndescription: About article {i}.\ndate: 2026-01-{:02}\ntaxonomy:\n  category: s{}\n  tag: [t{}, u{}]\nrelated:\n  - /s{}/a{}/\n---\n## Problem\n\nText of {i}. See [the next one](../s{}/a{}.md#problem).{extra}\n\n```rust\nfn f{i}() {{}}\n```\n",
        i % 28 + 1,
        i % 6,
        i % 7,
        i % 3,
        (i + 5) % 300 % 6,
        (i + 5) % 300,
        (i + 1) % 300 % 6,
        (i + 1) % 300
    )
}

fn site_with_300_articles() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "kbgen.yaml",
        "title: Incremental\nbase_url: https://example.com/\nlint:\n  file-name: off\n",
    );
    for i in 0..300 {
        write(
            dir.path(),
            &format!("content/s{}/a{i}.md", i % 6),
            &article(i, &format!("Article {i}"), ""),
        );
    }
    write(
        dir.path(),
        "content/s0/_index.md",
        "---\ntitle: Section zero\n---\nIntro with [a link](a0.md).\n",
    );
    write(dir.path(), "content/s1/img/pic.png", "PNG");
    dir
}

fn fresh(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let sink = MemorySink::default();
    let outcome = build_site(
        &BuildOptions {
            root: root.to_path_buf(),
            ..Default::default()
        },
        &sink,
    )
    .unwrap();
    assert!(!outcome.report.has_errors(), "a fresh build failed");
    sink.into_files()
}

fn assert_same_as_fresh(preview: &Preview, root: &Path, step: &str) {
    let (served, fresh) = (served(preview), fresh(root));
    let served_paths: Vec<_> = served.keys().collect();
    let fresh_paths: Vec<_> = fresh.keys().collect();
    assert_eq!(served_paths, fresh_paths, "after {step}: different files");
    for (path, bytes) in &fresh {
        assert!(
            served[path] == *bytes,
            "after {step}: {path} differs from a fresh build"
        );
    }
}

/// A preview of the site at `root`, after its first (full) build.
fn started(root: &Path) -> Preview {
    let mut preview = Preview::new(BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    });
    let first = preview.rebuild(&Changes {
        everything: true,
        ..Changes::default()
    });
    assert!(first.published && first.full, "the first build failed");
    preview
}

fn changed(files: &[&str]) -> Changes {
    Changes {
        content: files.iter().map(|f| f.to_string()).collect(),
        ..Changes::default()
    }
}

#[test]
fn every_edit_leaves_the_served_site_identical_to_a_fresh_build() {
    let site = site_with_300_articles();
    let root = site.path();
    let mut preview = started(root);
    assert_same_as_fresh(&preview, root, "the first build");

    // Body only: the article itself, and nothing that lists it.
    write(
        root,
        "content/s1/a7.md",
        &article(7, "Article 7", " More words here."),
    );
    let step = preview.rebuild(&changed(&["s1/a7.md"]));
    assert!(step.published && !step.full);
    assert_eq!(step.rendered, 1, "a body edit re-renders one page");
    assert_same_as_fresh(&preview, root, "a body edit");

    // A title that keeps the article in its place: every
    // list that shows it changes too (its section, related and category
    // lists, backlinks, neighbours, tag pages, the feed).
    write(
        root,
        "content/s2/a8.md",
        &article(8, "Article 8 renamed", ""),
    );
    let step = preview.rebuild(&changed(&["s2/a8.md"]));
    assert!(step.published);
    assert!(
        step.rendered > 3 && step.rendered < step.pages / 2,
        "{} of {}",
        step.rendered,
        step.pages
    );
    assert_same_as_fresh(&preview, root, "a title edit");

    // A description: the same lists.
    write(
        root,
        "content/s2/a8.md",
        &article(8, "Article 8 renamed", "").replace("About article 8.", "All about eight."),
    );
    let step = preview.rebuild(&changed(&["s2/a8.md"]));
    assert!(step.published);
    assert_same_as_fresh(&preview, root, "a description edit");

    // A title that moves the article among its siblings.
    write(
        root,
        "content/s2/a8.md",
        &article(8, "A brand new title", ""),
    );
    let step = preview.rebuild(&changed(&["s2/a8.md"]));
    assert!(step.published);
    assert_same_as_fresh(&preview, root, "a title edit that reorders");

    // Taxonomy, add, delete, rename.
    write(
        root,
        "content/s3/a9.md",
        &article(9, "Article 9", "").replace("category: s3", "category: s4"),
    );
    preview.rebuild(&changed(&["s3/a9.md"]));
    assert_same_as_fresh(&preview, root, "a category change");
    write(
        root,
        "content/s5/new-one.md",
        &article(1000, "A new article", " Links to [seven](../s1/a7.md)."),
    );
    preview.rebuild(&changed(&["s5/new-one.md"]));
    assert_same_as_fresh(&preview, root, "adding an article");
    fs::remove_file(root.join("content/s5/new-one.md")).unwrap();
    preview.rebuild(&changed(&["s5/new-one.md"]));
    assert_same_as_fresh(&preview, root, "deleting it again");
    // A rename, with the two articles that link to it updated.
    fs::rename(
        root.join("content/s0/a12.md"),
        root.join("content/s0/renamed.md"),
    )
    .unwrap();
    write(
        root,
        "content/s5/a11.md",
        &article(11, "Article 11", "").replace("a12.md", "renamed.md"),
    );
    write(
        root,
        "content/s1/a7.md",
        &article(7, "Article 7", " More words here.").replace("/s0/a12/", "/s0/renamed/"),
    );
    let step = preview.rebuild(&changed(&[
        "s0/a12.md",
        "s0/renamed.md",
        "s5/a11.md",
        "s1/a7.md",
    ]));
    assert!(
        step.published,
        "{:?}",
        step.report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect::<Vec<_>>()
    );
    assert_same_as_fresh(&preview, root, "a rename");

    // A section intro, an asset, a template.
    write(
        root,
        "content/s0/_index.md",
        "---\ntitle: Section zero, renamed\n---\nNew intro.\n",
    );
    preview.rebuild(&changed(&["s0/_index.md"]));
    assert_same_as_fresh(&preview, root, "a section intro");
    write(root, "content/s1/img/other.png", "PNG2");
    preview.rebuild(&changed(&["s1/img/other.png"]));
    assert_same_as_fresh(&preview, root, "a new asset");
    write(
        root,
        "templates/partials/article_list.html",
        "<ol class=\"mine\">{% for a in articles %}<li>{{ a.title }}</li>{% endfor %}</ol>",
    );
    let step = preview.rebuild(&Changes {
        everything: true,
        ..Changes::default()
    });
    assert!(step.full);
    assert_same_as_fresh(&preview, root, "a template override");
}

#[test]
fn a_page_renders_again_only_when_it_changed_and_errors_publish_nothing() {
    let site = site_with_300_articles();
    let root = site.path();
    let mut preview = started(root);
    let edit = |preview: &mut Preview, i: usize, text: String| {
        write(root, &format!("content/s{}/a{i}.md", i % 6), &text);
        preview.rebuild(&changed(&[&format!("s{}/a{i}.md", i % 6)]))
    };

    // Prose and a new code block: only the page itself.
    let extra = "\n\nMore prose.\n\n```python\nprint('hi')\n```";
    let step = edit(&mut preview, 10, article(10, "Article 10", extra));
    assert!(step.published && step.rendered == 1);
    assert_same_as_fresh(&preview, root, "a prose edit");

    // A renamed heading is an anchor that article 10 links to.
    let renamed = article(11, "Article 11", "").replace("## Problem", "## Trouble");
    let step = edit(&mut preview, 11, renamed);
    assert!(!step.published);
    assert!(
        step.report
            .diagnostics
            .iter()
            .any(|d| d.code == "broken-link" && d.path.ends_with("a10.md")),
        "{:?}",
        step.report.diagnostics
    );
    let step = edit(&mut preview, 11, article(11, "Article 11", ""));
    assert!(step.published);
    assert_same_as_fresh(&preview, root, "the heading put back");

    // A new link changes what the model holds: the full way, which reports it.
    let step = edit(
        &mut preview,
        12,
        article(12, "Article 12", " [Gone](nowhere.md)."),
    );
    assert!(!step.published);

    // An unknown shortcode only shows when the page renders: reported all the same.
    let step = edit(
        &mut preview,
        12,
        article(12, "Article 12", "\n\n{{ nosuch() }}"),
    );
    assert!(!step.published, "{:?}", step.report);
    let step = edit(&mut preview, 12, article(12, "Article 12", " Fixed."));
    assert!(step.published);
    assert_same_as_fresh(&preview, root, "the fixes");
    let step = edit(&mut preview, 12, article(12, "Article 12", " Fixed again."));
    assert!(step.published);
    assert_same_as_fresh(&preview, root, "a prose edit after the fixes");
}

#[test]
fn a_title_edit_reaches_neighbours_outside_its_category_the_feed_and_redirects() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "kbgen.yaml",
        "base_url: https://example.com/\nlint:\n  file-name: off\n",
    );
    for (name, category) in [("a", "x"), ("b", "y"), ("c", "z")] {
        let aliases = if name == "b" {
            "aliases: [/old-b/]\n"
        } else {
            ""
        };
        let front = format!(
            "title: {}\ndescription: About {name}.\n{aliases}taxonomy:\n  category: {category}",
            name.to_uppercase()
        );
        write(
            root,
            &format!("content/s/{name}.md"),
            &format!("---\n{front}\n---\nText.\n"),
        );
    }
    let mut preview = started(root);
    write(
        root,
        "content/s/b.md",
        "---\ntitle: Bb\ndescription: About b.\naliases: [/old-b/]\ntaxonomy:\n  category: y\n---\nText.\n",
    );
    let step = preview.rebuild(&changed(&["s/b.md"]));
    assert!(step.published, "{:?}", step.report);
    assert_same_as_fresh(&preview, root, "a title edit shown by the pager");

    // Two titles at once, each inside its old neighbours, yet swapping places.
    let front = |title: &str, name: &str, category: &str| {
        let aliases = if name == "b" {
            "aliases: [/old-b/]\n"
        } else {
            ""
        };
        format!("---\ntitle: {title}\ndescription: About {name}.\n{aliases}taxonomy:\n  category: {category}\n---\nText.\n")
    };
    write(root, "content/s/a.md", &front("Ba", "a", "x"));
    write(root, "content/s/b.md", &front("B", "b", "y"));
    let step = preview.rebuild(&changed(&["s/a.md", "s/b.md"]));
    assert!(step.published, "{:?}", step.report);
    assert_same_as_fresh(&preview, root, "two title edits that swap places");
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_the_fix_catches_up() {
    let site = site_with_300_articles();
    let root = site.path();
    let mut preview = started(root);
    let good = served(&preview);

    write(root, "content/s1/a1.md", "---\ntitle: [broken\n---\n");
    let step = preview.rebuild(&changed(&["s1/a1.md"]));
    assert!(!step.published);
    let yaml: Vec<_> = step
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code == "yaml")
        .collect();
    assert_eq!(yaml.len(), 1);
    assert!(
        served(&preview) == good,
        "the last good site keeps being served"
    );

    write(root, "content/s1/a1.md", &article(1, "Fixed title", ""));
    let step = preview.rebuild(&changed(&["s1/a1.md"]));
    assert!(step.published);
    assert_same_as_fresh(&preview, root, "the fix");
}

#[test]
fn changes_are_sorted_by_what_they_require() {
    let site = site_with_300_articles();
    let root = site.path();
    let changes = kbgen::serve::watch::changes_from_paths(
        root,
        &[root.join("content/s1/a1.md"), root.join("content/s2/x.png")],
    );
    assert!(!changes.everything);
    assert_eq!(changes.content.len(), 2);
    for path in [
        "kbgen.yaml",
        "templates/base.html",
        "static/x.css",
        "i18n/de.yaml",
    ] {
        write(root, path, "");
        assert!(
            kbgen::serve::watch::changes_from_paths(root, &[root.join(path)]).everything,
            "{path}"
        );
    }
}

/// A small site whose articles show their section and URL through a
/// shortcode: what a cached body depends on beyond its own text.
fn site_with_a_where_shortcode() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "kbgen.yaml", "lint:\n  file-name: off\n");
    write(
        root,
        "templates/shortcodes/where.html",
        "<i class=\"where\">{{ page.section }}|{{ page.url }}</i>",
    );
    write(
        root,
        "content/s/_index.md",
        "---\ntitle: Old name\n---\nIntro.\n",
    );
    for name in ["a", "b"] {
        write(
            root,
            &format!("content/s/{name}.md"),
            &format!("---\ntitle: {name}\ndescription: d\n---\nHere: {{{{ where() }}}}\n"),
        );
    }
    dir
}

#[test]
fn a_section_change_reaches_the_bodies_that_show_it() {
    let site = site_with_a_where_shortcode();
    let root = site.path();
    let mut preview = started(root);
    for (what, intro) in [
        (
            "a section title",
            Some("---\ntitle: New name\n---\nIntro.\n"),
        ),
        (
            "a section slug",
            Some("---\ntitle: New name\nslug: moved\n---\nIntro.\n"),
        ),
        ("a deleted _index.md", None),
    ] {
        match intro {
            Some(text) => write(root, "content/s/_index.md", text),
            None => fs::remove_file(root.join("content/s/_index.md")).unwrap(),
        }
        let step = preview.rebuild(&changed(&["s/_index.md"]));
        assert!(step.published, "{what}: {:?}", step.report);
        assert_same_as_fresh(&preview, root, what);
    }
    let page = String::from_utf8(served(&preview)["s/a/index.html"].clone()).unwrap();
    assert!(page.contains("S|/s/a/"), "{page}");
}

#[test]
fn a_failed_edit_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "kbgen.yaml", "lint:\n  file-name: off\n");
    write(
        root,
        "templates/shortcodes/fails.html",
        "{{ no_such_variable.field }}",
    );
    for i in 0..20 {
        write(
            root,
            &format!("content/s/a{i}.md"),
            &format!("---\ntitle: Article {i}\ndescription: About {i}.\nrelated: [\"@/s/a{}.md\"]\n---\nText.\n", (i + 1) % 20),
        );
    }
    let mut preview = started(root);
    let original = fs::read_to_string(root.join("content/s/a5.md")).unwrap();
    // Each broken edit changes what other pages show (a title, a
    // description) and fails; the edit after it puts the file back.
    for (what, broken) in [
        (
            "a title with an unknown shortcode",
            original.replace("Article 5", "Renamed 5") + "{{ nosuch() }}\n",
        ),
        (
            "a title with a failing shortcode template",
            original.replace("Article 5", "Renamed 5") + "{{ fails() }}\n",
        ),
        (
            "a description with an unknown shortcode",
            original.replace("About 5.", "Changed.") + "{{ nosuch() }}\n",
        ),
    ] {
        write(root, "content/s/a5.md", &broken);
        let step = preview.rebuild(&changed(&["s/a5.md"]));
        assert!(!step.published, "{what} was published");
        // The same edit without the broken call: every page that shows it
        // changes, whatever the failed attempt rendered.
        let good = broken
            .replace("{{ nosuch() }}\n", "")
            .replace("{{ fails() }}\n", "");
        write(root, "content/s/a5.md", &good);
        let step = preview.rebuild(&changed(&["s/a5.md"]));
        assert!(step.published, "{what}: {:?}", step.report);
        assert_same_as_fresh(&preview, root, &format!("{what}, then the good edit"));
        write(root, "content/s/a5.md", &original);
        preview.rebuild(&changed(&["s/a5.md"]));
    }
}

#[test]
fn an_article_replaced_by_a_link_is_a_change_where_the_link_is() {
    use std::os::unix::fs::symlink;
    let site = site_with_300_articles();
    let root = site.path();
    let mut preview = started(root);
    write(
        root,
        "notes/replacement.md",
        &article(400, "The replacement", ""),
    );
    // Replaced by a link to a file elsewhere in the site: the event names
    // the link (or, through it, the file it leads to).
    fs::remove_file(root.join("content/s2/a2.md")).unwrap();
    symlink(
        root.join("notes/replacement.md"),
        root.join("content/s2/a2.md"),
    )
    .unwrap();
    for reported in [
        root.join("content/s2/a2.md"),
        root.join("notes/replacement.md"),
    ] {
        let changes =
            kbgen::serve::watch::changes_from_paths(root, std::slice::from_ref(&reported));
        assert!(!changes.is_empty(), "{} was ignored", reported.display());
    }
    let changes = kbgen::serve::watch::changes_from_paths(root, &[root.join("content/s2/a2.md")]);
    assert!(preview.rebuild(&changes).published);
    assert_same_as_fresh(&preview, root, "an article replaced by a link");
    // Editing the file the link leads to is seen where it happens.
    write(
        root,
        "notes/replacement.md",
        &article(400, "The replacement, edited", ""),
    );
    let changes =
        kbgen::serve::watch::changes_from_paths(root, &[root.join("notes/replacement.md")]);
    assert!(changes.rescan);
    assert!(preview.rebuild(&changes).published);
    assert_same_as_fresh(&preview, root, "the link's target edited");
}
