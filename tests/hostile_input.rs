//! Hostile author input, run through the real binary: input that once aborted
//! kbgen (a stack overflow is an abort, exit 134, with no diagnostics), hung it
//! for most of a minute, or was reported without its place. Each must now give
//! exit code 1 and a diagnostic at `path:line:col`, in seconds.

mod common;

use std::time::Duration;

use assert_cmd::Command;
use common::TestSite;

/// Long enough for a debug build on a busy machine; the slow paths these
/// tests guard against took minutes.
const LIMIT: Duration = Duration::from_secs(60);

/// A site with one article, `content/a.md`: `title: A`, then `front` (from
/// line 3), then the body, which starts on line 4 when `front` is empty.
fn article(front: &str, body: &str) -> TestSite {
    let front = if front.is_empty() {
        "title: A".to_string()
    } else {
        format!("title: A\n{front}")
    };
    TestSite::new().article("content/a.md", &front, body)
}

/// Runs `kbgen <command>` in the site's folder, so diagnostics name
/// `content/…`; returns the exit code, stdout and stderr.
fn run(command: &str, site: &TestSite, format: &str) -> (Option<i32>, String, String) {
    let output = Command::cargo_bin("kbgen")
        .expect("the kbgen binary")
        .arg(command)
        .args(["--root", "."])
        .current_dir(site.root())
        .args(["--message-format", format])
        .env("NO_COLOR", "1")
        .timeout(LIMIT)
        .output()
        .expect("run kbgen");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `check` and `build`, and asserts each fails with exit code 1 (not
/// an abort, not a time-out) and reports `headline`.
fn assert_error(site: &TestSite, headline: &str) {
    for command in ["check", "build"] {
        let (code, _, stderr) = run(command, site, "human");
        let head: String = stderr.lines().take(8).collect::<Vec<_>>().join("\n");
        assert_eq!(code, Some(1), "kbgen {command} gave {code:?}:\n{head}");
        assert!(
            stderr.lines().any(|line| line == headline),
            "kbgen {command} did not report `{headline}`:\n{head}"
        );
    }
}

#[test]
fn a_megabyte_of_open_lists_in_a_shortcode_call_overflowed_the_stack() {
    let site = article("", &format!("{{{{ kbd(keys={}\n", "[".repeat(1_000_000)));
    assert_error(
        &site,
        "content/a.md:4:45: error[shortcode]: lists in shortcode arguments are nested more than 32 deep",
    );
}

#[test]
fn a_megabyte_of_block_quote_markers_took_most_of_a_minute() {
    let site = article("", &format!("{} x\n", ">".repeat(1_000_000)));
    assert_error(
        &site,
        "content/a.md:4:101: error[markdown]: Markdown is nested more than 100 levels deep here",
    );
}

#[test]
fn a_megabyte_of_braces_in_the_body_is_text() {
    let site = article(
        "description: D\ntaxonomy: {category: c}",
        &format!("{}\n", "{".repeat(1_000_000)),
    );
    let (code, _, stderr) = run("check", &site, "human");
    assert_eq!(code, Some(0), "{}", &stderr[..stderr.len().min(2000)]);
}

#[test]
fn a_megabyte_of_braces_in_front_matter_took_most_of_a_minute() {
    let site = article(&format!("x: {}", "{".repeat(1_000_000)), "Text.\n");
    assert_error(
        &site,
        "content/a.md:3:68: error[yaml]: `[` and `{` are nested more than 64 levels deep",
    );
}

#[test]
fn front_matter_lists_a_hundred_thousand_deep_took_most_of_a_minute() {
    let site = article(&format!("x: {}", "[".repeat(100_000)), "Text.\n");
    assert_error(
        &site,
        "content/a.md:3:68: error[yaml]: `[` and `{` are nested more than 64 levels deep",
    );
}

#[test]
fn twenty_thousand_equal_headings_took_quadratic_time() {
    let site = article(
        "description: D\ntaxonomy: {category: c}",
        &"## Same\n\n".repeat(20_000),
    );
    let (code, _, stderr) = run("build", &site, "human");
    assert_eq!(code, Some(0), "{}", &stderr[..stderr.len().min(2000)]);
    let page = std::fs::read_to_string(site.path("public/a/index.html")).expect("the page");
    assert!(page.contains("id=\"same\""));
    assert!(page.contains("id=\"same-19999\""));
}

#[test]
fn a_thousand_character_slug_failed_at_write_time() {
    let site = article(&format!("slug: {}", "x".repeat(1000)), "Text.\n");
    assert_error(
        &site,
        "content/a.md:3:7: error[front-matter]: the slug is 1000 bytes long, more than the 200 a URL slug may have",
    );
}

#[test]
fn a_slug_without_letters_or_digits_was_ignored() {
    let site = article("slug: \"!!!\"", "Text.\n");
    assert_error(
        &site,
        "content/a.md:3:8: error[front-matter]: `slug: !!!` has no letters or digits to make a URL from",
    );
}

#[test]
fn a_thousand_character_term_and_alias_failed_at_write_time() {
    let term = "y".repeat(1000);
    let alias = format!("/{}/", "z".repeat(1000));
    let site = article(&format!("taxonomy:\n  category: {term}"), "Text.\n");
    assert_error(
        &site,
        &format!("content/a.md:4:13: error[front-matter]: the category `{}…` makes a URL slug of 1000 bytes, more than 200", &term[..40]),
    );
    let site = article(&format!("aliases: [\"{alias}\"]"), "Text.\n");
    assert_error(
        &site,
        &format!("content/a.md:3:12: error[alias]: alias `{}…` has a path segment of 1000 bytes, more than 200", &alias[..40]),
    );
}

#[test]
fn a_file_name_that_slugifies_too_long_failed_at_write_time() {
    // Each of these characters is 3 bytes and gives 6 in the slug ("zhong-").
    let name = "中".repeat(80);
    let site = article("", "Text.\n").article(&format!("content/{name}.md"), "title: B", "Text.\n");
    let (code, _, stderr) = run("check", &site, "human");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("content/{name}.md: error[path]: the file name gives a URL slug of 479 bytes, more than 200")),
        "{stderr}"
    );
}

#[test]
fn invalid_utf8_was_reported_without_its_line() {
    let site = TestSite::new().file(
        "content/a.md",
        b"---\ntitle: A\n---\nCaf\xc3\xa9 cr\xe8me.\n",
    );
    assert_error(
        &site,
        "content/a.md:4:8: error[encoding]: the file is not valid UTF-8: bad byte 0xE8",
    );
}

#[test]
fn a_newline_in_a_file_name_split_the_headline() {
    let site = article("", "Text.\n").file("content/b\nc.md", "+++\ntitle = \"TOML\"\n+++\n");
    let (code, _, stderr) = run("check", &site, "human");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|line| line
                .starts_with("content/b\\nc.md:1:1: error[front-matter]: TOML front matter")),
        "{stderr}"
    );
    let (_, stdout, _) = run("check", &site, "github");
    assert!(
        stdout
            .lines()
            .any(|line| line.starts_with("::error file=content/b%0Ac.md,line=1,col=1,")),
        "{stdout}"
    );
}

#[test]
fn a_newline_in_an_alias_is_an_error_on_one_line() {
    let site = article("aliases: [\"/old\\npage/\"]", "Text.\n");
    assert_error(
        &site,
        "content/a.md:3:12: error[alias]: alias `/old\\npage/` is not a path of this site",
    );
}

/// Found by the render_article fuzz target: an unknown front matter key
/// reaches templates as `page.extra`, and Tera takes only text, whole
/// numbers and true/false as mapping keys. A YAML key that is none of these
/// (` &c:` is an anchored empty key, `~` null, `? [a, b]` a list, `1.5` a
/// fraction) made the page fail to render with a panic inside Tera; in a
/// section's `_index.md` too. Such keys reach templates as their YAML text.
#[test]
fn front_matter_keys_that_are_not_text_reach_templates_as_text() {
    let odd = "t:\n &c:\nn:\n  ~: x\nl:\n  ? [a, b]\n  : y\nf:\n  1.5: z\n  2: w";
    let site = article(odd, "Text.\n").file(
        "content/s/_index.md",
        format!("---\ntitle: S\n{odd}\n---\nIntro.\n"),
    );
    for command in ["check", "build"] {
        let (code, _, stderr) = run(command, &site, "human");
        assert_eq!(code, Some(0), "kbgen {command}:\n{stderr}");
    }
    let built = site.build_ok();
    assert!(built.text("a/index.html").contains("Text."));
    assert!(built.text("s/index.html").contains("Intro."));
}
