//! The real binary, as a user runs it: summary line, exit codes, and the output
//! folder left untouched when a build fails.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

mod common;
use common::tree;

fn kbgen() -> Command {
    Command::cargo_bin("kbgen").unwrap()
}

fn write(root: &Path, path: &str, contents: &str) {
    let target = root.join(path);
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::write(target, contents).unwrap();
}

fn small_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "content/start/hello.md",
        "---\ntitle: Hello\ndescription: Greets.\ntaxonomy:\n  category: start\n  tag: [a]\n---\nHi.\n",
    );
    write(
        dir.path(),
        "content/start/bye.md",
        "---\ntitle: Bye\ndescription: Leaves.\ntaxonomy:\n  category: start\n---\nBye.\n",
    );
    dir
}

#[test]
fn build_prints_one_summary_line_and_writes_public() {
    let site = small_site();
    let assert = kbgen()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with("note: sitemap.xml and feed.xml were skipped"),
        "{stderr}"
    );
    assert!(
        lines[1].starts_with("kbgen: built 2 articles, 1 section, 2 taxonomy terms"),
        "{stderr}"
    );
    assert!(site.path().join("public/start/hello/index.html").is_file());
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = small_site();
    kbgen()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .success();
    let before = tree(&site.path().join("public"));

    write(
        site.path(),
        "content/start/broken.md",
        "---\ntitle: [unclosed\n---\n",
    );
    let assert = kbgen()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("content/start/broken.md:2:8: error[yaml]: title: invalid type: sequence, expected a string"), "{stderr}");
    assert!(stderr.contains("1 error"), "{stderr}");

    assert_eq!(tree(&site.path().join("public")), before);
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kbgen-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn stale_files_do_not_survive_a_rebuild() {
    let site = small_site();
    kbgen()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .success();
    fs::remove_file(site.path().join("content/start/bye.md")).unwrap();
    kbgen()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .success();
    assert!(!site.path().join("public/start/bye").exists());
}

#[test]
fn a_bad_config_exits_with_2() {
    let site = small_site();
    write(site.path(), "kbgen.yaml", "title: X\ntitel: Y\n");
    let assert = kbgen()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("kbgen.yaml:2:1: error[config]: unknown field `titel`"),
        "{stderr}"
    );
}

#[test]
fn the_output_folder_may_not_be_an_input_or_the_root() {
    let site = small_site();
    for (output, says) in [
        (".", "ends in `.`"),
        ("content", "lies inside content/"),
        ("static/x", "lies inside static/"),
        ("..", "ends in `..`"),
        ("build/..", "ends in `..`"),
    ] {
        let assert = kbgen()
            .args(["build", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(site.path().join(output))
            .assert()
            .code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(says), "{output}: {stderr}");
    }
    assert!(site.path().join("content/start/hello.md").is_file());
}

#[test]
fn output_and_base_url_flags() {
    let site = small_site();
    let out = site.path().join("dist");
    kbgen()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .args(["--base-url", "https://example.com/docs/"])
        .assert()
        .success();
    let page = fs::read_to_string(out.join("start/hello/index.html")).unwrap();
    assert!(page.contains("href=\"/docs/kbgen.css\""));
    assert!(
        page.contains("<link rel=\"canonical\" href=\"https://example.com/docs/start/hello/\">")
    );
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let site = small_site();
    for i in 0..300 {
        write(
            site.path(),
            &format!("content/s{}/a{i}.md", i % 4),
            &format!("---\ntitle: Article {i}\ntaxonomy:\n  category: s{}\n  tag: [t{}, u{}]\n---\n## Part\n\n```rust\nfn f{i}() {{}}\n```\n", i % 4, i % 5, i % 3),
        );
    }
    let mut trees = Vec::new();
    for threads in ["1", "4"] {
        let out = site.path().join(format!("out{threads}"));
        kbgen()
            .env("RAYON_NUM_THREADS", threads)
            .args(["build", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(&out)
            .assert()
            .success();
        trees.push(tree(&out));
    }
    assert!(trees[0].len() > 300);
    assert!(
        trees[0] == trees[1],
        "outputs differ between 1 and 4 threads"
    );
}

#[test]
fn help_and_version() {
    let assert = kbgen().arg("--version").assert().success();
    assert_eq!(
        String::from_utf8_lossy(&assert.get_output().stdout).trim(),
        "kbgen 0.1.0"
    );
    let assert = kbgen().args(["build", "--help"]).assert().success();
    let help = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for flag in ["--root", "--output", "--base-url", "--drafts"] {
        assert!(help.contains(flag), "{help}");
    }
}

#[test]
fn the_highlight_cache_gives_the_same_site_and_no_cache_leaves_none() {
    let site = small_site();
    let root = site.path();
    write(
        root,
        "content/start/code.md",
        "---\ntitle: Code\n---\n```rust\nfn main() { println!(\"hi\"); }\n```\n\n```bash\nskylark sync --all\n```\n",
    );
    let build = |extra: &[&str], output: &str| {
        kbgen()
            .args(["build", "--no-search", "--root"])
            .arg(root)
            .args(["--output"])
            .arg(root.join(output))
            .args(extra)
            .assert()
            .success();
        tree(&root.join(output))
    };
    let uncached = build(&["--no-cache"], "plain");
    assert!(
        !root.join(".kbgen-cache").exists(),
        "--no-cache wrote a cache"
    );

    let cold = build(&[], "cold");
    let cache = root.join(".kbgen-cache/highlight.bin");
    assert!(cache.is_file(), "a build keeps its highlighted blocks");
    let warm = build(&[], "warm");
    assert!(
        cold == uncached && warm == uncached,
        "the cache changed the site"
    );

    // A damaged cache is ignored and replaced.
    fs::write(&cache, b"KBGENHL1 not really").unwrap();
    assert!(build(&[], "after-damage") == uncached);
    assert!(fs::read(&cache).unwrap().len() > 100);
}

#[test]
fn a_missing_site_folder_or_content_folder_is_a_usage_error_that_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    for command in ["build", "check"] {
        let assert = kbgen()
            .args([command, "--root"])
            .arg(&missing)
            .env("NO_COLOR", "1")
            .assert()
            .code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.starts_with(&format!(
                "{0}: error[config]: the site folder {0} does not exist\n",
                missing.display()
            )),
            "{stderr}"
        );
        assert!(
            stderr.contains(&format!("`kbgen init {}`", missing.display())),
            "{stderr}"
        );
    }
    let assert = kbgen()
        .args(["check", "--root"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(&format!(
            "error[content]: no content/ folder in {}",
            dir.path().display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("start a help center here with `kbgen init`"),
        "{stderr}"
    );
}

#[test]
fn init_in_the_current_folder_and_on_an_existing_site() {
    let dir = tempfile::tempdir().unwrap();
    let assert = kbgen()
        .args(["init", "."])
        .current_dir(dir.path())
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.ends_with("kbgen: a new help center is ready; next: kbgen serve\n"),
        "{stderr}"
    );
    let assert = kbgen()
        .args(["init", ".", "--force"])
        .current_dir(dir.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stderr,
        "error: . already has a content/ folder: it is a site already; add articles with `kbgen new <section>/<slug>`\n"
    );
}
