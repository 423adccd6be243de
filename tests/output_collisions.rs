//! Two things that want one output file, through the real binary: an alias in
//! any of its forms, a generated file, a theme or site static file, an asset.
//! Each collision is an error at the place of the claim, found by `check` as by
//! `build`, and never an I/O error or a file silently replaced.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn write(root: &Path, path: &str, contents: &str) {
    let target = root.join(path);
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::write(target, contents).unwrap();
}

/// A site whose article `content/sec/target.md` has these aliases (the first
/// entry is on line 3, column 5), beside a second article.
fn site_with_aliases(aliases: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let entries: String = aliases.iter().map(|a| format!("  - {a}\n")).collect();
    write(
        dir.path(),
        "content/sec/target.md",
        &format!("---\ntitle: Target\naliases:\n{entries}---\nText.\n"),
    );
    write(
        dir.path(),
        "content/sec/other.md",
        "---\ntitle: Other\n---\nText.\n",
    );
    write(
        dir.path(),
        "kbgen.yaml",
        "title: Help\nbase_url: https://help.example.com/\n",
    );
    dir
}

/// `kbgen <args>` run in the site: exit code and the error lines on stderr.
fn run(args: &[&str], root: &Path) -> (i32, Vec<String>) {
    let output = Command::cargo_bin("kbgen")
        .unwrap()
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors = stderr
        .lines()
        .filter(|line| line.contains(": error["))
        .map(String::from)
        .collect();
    (output.status.code().unwrap_or(-1), errors)
}

fn check(root: &Path) -> (i32, Vec<String>) {
    run(&["check", "--deny-warnings"], root)
}

fn build(root: &Path) -> (i32, Vec<String>) {
    run(&["build"], root)
}

#[test]
fn alias_to_its_own_page_as_index_html_no_longer_replaces_the_page() {
    let site = site_with_aliases(&["/sec/target/index.html"]);
    assert_eq!(
        check(site.path()),
        (1, vec!["content/sec/target.md:4:5: error[alias]: alias `/sec/target/index.html` is this article's own URL, /sec/target/".to_string()])
    );
    let (code, _) = build(site.path());
    assert_eq!(code, 1);
    assert!(!site.path().join("public").exists());
}

#[test]
fn alias_index_html_no_longer_replaces_the_home_page() {
    for alias in ["/index.html", "/"] {
        let site = site_with_aliases(&[alias]);
        assert_eq!(
            check(site.path()),
            (1, vec![format!("content/sec/target.md:4:5: error[alias]: alias `{alias}` collides with the home page at /")])
        );
    }
}

#[test]
fn every_form_of_an_alias_collides_with_a_page() {
    for alias in [
        "/sec/other",
        "/sec/other/",
        "/sec/other/index.html",
        "/sec/%6Fther/",
    ] {
        let site = site_with_aliases(&[alias]);
        assert_eq!(
            check(site.path()),
            (1, vec![format!("content/sec/target.md:4:5: error[alias]: alias `{alias}` collides with the page of content/sec/other.md at /sec/other/")])
        );
    }
}

#[test]
fn alias_of_a_generated_or_theme_file_is_an_error_not_an_io_error() {
    let site = site_with_aliases(&["/sitemap.xml", "/kbgen.css", "/feed.xml/", "/pagefind/"]);
    let expected = vec![
        "content/sec/target.md:4:5: error[alias]: alias `/sitemap.xml` collides with a file the build writes at /sitemap.xml".to_string(),
        "content/sec/target.md:5:5: error[alias]: alias `/kbgen.css` collides with the theme's static/kbgen.css at /kbgen.css".to_string(),
        "content/sec/target.md:6:5: error[alias]: alias `/feed.xml/` collides with a file the build writes at /feed.xml".to_string(),
        "content/sec/target.md:7:5: error[alias]: alias `/pagefind/` collides with a file the build writes at /pagefind/".to_string(),
    ];
    assert_eq!(check(site.path()), (1, expected.clone()));
    assert_eq!(build(site.path()), (1, expected));
}

#[test]
fn alias_that_climbs_out_or_holds_control_characters_is_an_error_at_its_line() {
    let site = site_with_aliases(&[
        "/../../outside/",
        "\"/a\\nb/\"",
        "\"/a\\0b/\"",
        "/a%00b/",
        "/a/%2e%2e/%2e%2e/x/",
    ]);
    let (code, errors) = check(site.path());
    assert_eq!(code, 1);
    let positions: Vec<&str> = errors
        .iter()
        .map(|e| e.split(": error").next().unwrap())
        .collect();
    assert_eq!(
        positions,
        [
            "content/sec/target.md:4:5",
            "content/sec/target.md:5:6",
            "content/sec/target.md:6:6",
            "content/sec/target.md:7:5",
            "content/sec/target.md:8:5",
        ]
    );
    assert!(errors
        .iter()
        .all(|e| e.contains("is not a path of this site")));
}

#[test]
fn alias_and_asset_with_one_file() {
    let site = site_with_aliases(&["/sec/old.html"]);
    write(site.path(), "content/sec/old.html", "<p>kept</p>\n");
    assert_eq!(
        check(site.path()),
        (1, vec!["content/sec/target.md:4:5: error[alias]: alias `/sec/old.html` collides with content/sec/old.html at /sec/old.html".to_string()])
    );
}

#[test]
fn static_file_over_a_generated_file_is_an_error() {
    let site = site_with_aliases(&[]);
    write(site.path(), "static/404.html", "<p>mine</p>\n");
    write(site.path(), "static/sitemap.xml/x.txt", "x\n");
    write(site.path(), "static/pagefind/pagefind.js", "x\n");
    assert_eq!(
        check(site.path()),
        (
            1,
            vec![
                "static/404.html: error[url-collision]: this file and a file the build writes both want /404.html".to_string(),
                "static/pagefind/pagefind.js: error[url-collision]: this file and a file the build writes both want /pagefind/".to_string(),
                "static/sitemap.xml/x.txt: error[url-collision]: this file and a file the build writes both want /sitemap.xml".to_string(),
            ]
        )
    );
}

#[test]
fn static_files_over_theme_files_robots_txt_and_redirects_are_still_merged() {
    let site = site_with_aliases(&["/old/"]);
    write(site.path(), "static/kbgen.css", "body { color: red }\n");
    write(
        site.path(),
        "static/robots.txt",
        "User-agent: *\nDisallow: /drafts/\n",
    );
    write(site.path(), "static/_redirects", "/x /y 302\n");
    let (code, errors) = build(site.path());
    assert_eq!((code, errors), (0, Vec::<String>::new()));
    let public = site.path().join("public");
    assert_eq!(
        fs::read_to_string(public.join("kbgen.css")).unwrap(),
        "body { color: red }\n"
    );
    assert_eq!(
        fs::read_to_string(public.join("_redirects")).unwrap(),
        "/x /y 302\n/old/ /sec/target/ 301\n"
    );
    assert_eq!(
        fs::read_to_string(public.join("robots.txt")).unwrap(),
        "User-agent: *\nDisallow: /drafts/\n"
    );
    assert!(fs::read_to_string(public.join("old/index.html"))
        .unwrap()
        .contains("http-equiv=\"refresh\""));
}

#[test]
fn a_search_folder_collides_with_the_search_page_in_check_and_build_alike() {
    let site = site_with_aliases(&[]);
    write(
        site.path(),
        "content/search/tips.md",
        "---\ntitle: Search tips\n---\nText.\n",
    );
    let expected = vec![
        "content/search: error[url-collision]: this page and the built-in search page both want the URL /search/".to_string(),
    ];
    assert_eq!(check(site.path()), (1, expected.clone()));
    assert_eq!(build(site.path()), (1, expected));
    write(site.path(), "kbgen.yaml", "title: Help\nsearch: false\n");
    assert_eq!(build(site.path()), (0, vec![]));
}
