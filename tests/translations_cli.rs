//! `kbgen translations` as a CI job runs it: the JSON document keeps one
//! meaning per key, a `translated_from:` that no `mark` wrote is reported,
//! content errors are shown (and fail the run) instead of being counted as
//! "never marked", and a wrong folder or file gets a message that says why.

mod common;
use common::TestSite;

const CONFIG: &str = "title: Help
languages:
  - code: en
    name: English
  - code: de
    name: Deutsch
";

fn kbgen_in(root: &std::path::Path) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("kbgen").unwrap();
    command.current_dir(root);
    command
}

fn site() -> TestSite {
    TestSite::new()
        .file("kbgen.yaml", CONFIG)
        .article(
            "content/billing/refunds.md",
            "title: Getting a refund\nupdated: 2026-03-01",
            "Ask within 30 days.\n",
        )
        .article(
            "content/billing/refunds.de.md",
            "title: Erstattung\nupdated: 2026-02-01",
            "Innerhalb von 30 Tagen.\n",
        )
        .article(
            "content/billing/cards.md",
            "title: Cards",
            "Cards we take.\n",
        )
}

fn run(site: &TestSite, args: &[&str]) -> (i32, String, String) {
    let output = kbgen_in(site.root()).args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn an_entry_outdated_by_dates_keeps_source_as_the_source_path() {
    let (code, stdout, _) = run(&site(), &["translations", "--message-format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let entry = &json["languages"][0]["outdated"][0];
    assert_eq!(entry["path"], "billing/refunds.de.md");
    assert_eq!(entry["source"], "billing/refunds.md");
    assert_eq!(entry["status"], "updated-since");
    assert_eq!(entry["source_updated"], "2026-03-01");
    assert_eq!(entry["translation_updated"], "2026-02-01");
}

#[test]
fn a_translated_from_that_mark_never_wrote_is_reported_at_its_line() {
    let site = site().article(
        "content/billing/refunds.de.md",
        "title: Erstattung\ntranslated_from: 12345",
        "Innerhalb von 30 Tagen.\n",
    );
    let (code, stdout, _) = run(&site, &["translations"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("outdated  billing/refunds.de.md  (`translated_from: 12345` is not a revision kbgen wrote)"),
        "{stdout}"
    );
    let (_, _, stderr) = run(&site, &["check"]);
    assert!(
        stderr.contains("`translated_from: 12345` is not a revision of billing/refunds.md"),
        "{stderr}"
    );
    assert!(stderr.contains("refunds.de.md:3:1"), "{stderr}");
}

#[test]
fn content_errors_are_shown_and_fail_the_run() {
    let site = site().article(
        "content/billing/cards.de.md",
        "title: Karten\ntranslated_from: [1, 2]",
        "Karten.\n",
    );
    let (code, stdout, stderr) = run(&site, &["translations"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stderr.contains("cards.de.md:3:"), "{stderr}");
    assert!(
        stderr.contains("the status of those files may be off"),
        "{stderr}"
    );
    // The status is still printed, for the files that could be read.
    assert!(stdout.starts_with("de (Deutsch): "), "{stdout}");
}

#[test]
fn github_annotations_carry_the_findings() {
    let (code, stdout, _) = run(&site(), &["translations", "--message-format", "github"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("de (Deutsch): 1 of 2 translated"),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(
            |l| l.starts_with("::warning file=content/billing/refunds.de.md,")
                && l.contains("outdated translation")
        ),
        "{stdout}"
    );
}

#[test]
fn wrong_places_get_messages_that_say_why() {
    let empty = tempfile::tempdir().unwrap();
    let output = kbgen_in(empty.path()).arg("translations").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("no content/ folder"), "{stderr}");

    let site = site().article("content/billing/_index.de.md", "title: Abrechnung", "");
    let (code, _, stderr) = run(
        &site,
        &["translations", "mark", "content/billing/_index.de.md"],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("is a section's index"), "{stderr}");
}
