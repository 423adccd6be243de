//! Help-center lint rules: each one, its place, and its settings.

mod common;
use common::TestSite;

fn lint_lines(built: &common::Built) -> Vec<String> {
    built
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("lint/"))
        .map(|d| d.headline())
        .collect()
}

#[test]
fn every_rule_fires_at_its_line() {
    let long_title = "A very long title that goes on and on about the many reasons why a sync might stall overnight";
    let built = TestSite::new()
        .article(
            "content/s/short-name.md",
            &format!("title: {long_title}"),
            "## Setup\n\n#### Too deep\n\n![](img.png)\n\n## A heading that is far too long to be a useful entry in the table of contents of any article\n",
        )
        .file("content/s/img.png", b"PNG")
        .build_ok();
    assert_eq!(
        lint_lines(&built),
        [
            "content/s/short-name.md:2:1: warning[lint/missing-description]: the article has no `description`",
            "content/s/short-name.md:2:1: warning[lint/file-name]: the file name gives the URL slug `short-name`, but the title's slug is `a-very-long-title-that-goes-on-and-on-about-the-many-reasons-why-a-sync-might-stall-overnight`",
            "content/s/short-name.md:2:1: warning[lint/title-length]: the title is 93 characters long (limit 80)",
            "content/s/short-name.md:6:1: warning[lint/heading-increment]: heading level jumps from h2 to h4",
            "content/s/short-name.md:8:1: warning[lint/image-alt]: the image has no alt text",
            "content/s/short-name.md:10:1: warning[lint/heading-length]: the heading is 91 characters long (limit 80)",
        ]
    );
}

#[test]
fn missing_category_fires_only_outside_section_folders() {
    let built = TestSite::new()
        .file("content/s/_index.md", "---\ntitle: Setup\n---\n")
        .article("content/s/first.md", "title: First\ndescription: One.", "")
        .article(
            "content/s/second.md",
            "title: Second\ndescription: Two.",
            "",
        )
        .article("content/loose.md", "title: Loose\ndescription: Alone.", "")
        .build_ok();
    assert_eq!(
        lint_lines(&built),
        ["content/loose.md:2:1: warning[lint/missing-category]: the article is in no section folder and has no `category`"]
    );
    // Grouped by its section: the "More in" list is the section's articles.
    assert_eq!(
        built.texts("/s/first/", ".category-list h2"),
        ["More in Setup"]
    );
    assert_eq!(
        built.texts("/s/first/", ".category-list li"),
        ["First (this page)", "Second"]
    );
    assert!(built.texts("/loose/", ".category-list li").is_empty());
}

#[test]
fn a_clean_article_has_no_findings() {
    let built = TestSite::new()
        .article(
            "content/s/reset-your-password.md",
            "title: Reset your password\ndescription: Get back in.\ntaxonomy:\n  category: s",
            "## Steps\n\n### One\n\n![The reset form](form.png)\n",
        )
        .file("content/s/form.png", b"PNG")
        .build_ok();
    assert!(
        built.report.diagnostics.is_empty(),
        "{:?}",
        lint_lines(&built)
    );
}

#[test]
fn rules_are_switched_and_tuned_in_kbgen_yaml() {
    let site = TestSite::new()
        .file(
            "kbgen.yaml",
            "lint:\n  title-length: 10\n  missing-description: error\n  missing-category: off\n  file-name: off\n",
        )
        .article("content/s/a.md", "title: Twelve chars", "Body.\n");
    let built = site.build();
    let lines: Vec<String> = built
        .report
        .diagnostics
        .iter()
        .map(|d| d.headline())
        .collect();
    assert_eq!(
        lines,
        [
            "content/s/a.md:2:1: error[lint/missing-description]: the article has no `description`",
            "content/s/a.md:2:1: warning[lint/title-length]: the title is 12 characters long (limit 10)",
        ]
    );
}

#[test]
fn top_level_category_and_tags_keys_are_a_warning_at_their_line() {
    let built = TestSite::new()
        .article(
            "content/s/moved-from-jekyll.md",
            "title: Moved from Jekyll\ndescription: Old keys.\ncategories: [billing]\ntags:\n  - invoices",
            "Text.\n",
        )
        .build_ok();
    let warnings: Vec<String> = built
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code == "front-matter")
        .map(|d| d.headline())
        .collect();
    assert_eq!(
        warnings,
        [
            "content/s/moved-from-jekyll.md:4:1: warning[front-matter]: `categories:` at the top level is not read as a taxonomy, so it groups nothing",
            "content/s/moved-from-jekyll.md:5:1: warning[front-matter]: `tags:` at the top level is not read as a taxonomy, so it groups nothing",
        ]
    );
}

#[test]
fn file_names_follow_the_title_as_heading_ids_do() {
    let built = TestSite::new()
        .article(
            "content/s/if-you-cant-sign-in.md",
            "title: If you can't sign in\ndescription: Sign-in help.",
            "",
        )
        .article(
            "content/s/acme-cloud-setup.md",
            "title: Acme® Cloud setup\ndescription: Setup.",
            "",
        )
        .build_ok();
    let file_name: Vec<String> = lint_lines(&built)
        .into_iter()
        .filter(|l| l.contains("file-name"))
        .collect();
    assert!(file_name.is_empty(), "{file_name:?}");
}

#[test]
fn an_unknown_code_language_is_a_warning_once_at_its_fence() {
    let built = TestSite::new()
        .article(
            "content/s/fences.md",
            "title: Fences\ndescription: Code.\ntaxonomy:\n  category: s",
            "```shell\nls\n```\n\n```klingon\nqapla\n```\n\n```klingon\nagain\n```\n\n```terraform\nx = 1\n```\n",
        )
        .build_ok();
    assert_eq!(
        lint_lines(&built),
        ["content/s/fences.md:11:1: warning[lint/code-language]: no syntax reads code in `klingon`: it is shown as plain text"]
    );
}
