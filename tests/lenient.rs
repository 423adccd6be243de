//! Content written for Hugo, Jekyll, MkDocs, Docusaurus or Zola builds as it
//! is, where every one of those tools is lenient: an article without `title`
//! (or without front matter) is titled by its opening `# H1` or its file name,
//! with a `lint/missing-title` warning.

mod common;
use common::TestSite;

fn missing_titles(built: &common::Built) -> Vec<(String, Option<String>)> {
    built
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code == "lint/missing-title")
        .map(|d| (d.headline(), d.help.clone()))
        .collect()
}

#[test]
fn a_file_without_front_matter_is_titled_by_its_opening_h1_shown_once() {
    let built = TestSite::new()
        .file(
            "content/s/reset.md",
            "# Reset *your* `password`\n\nOpen the settings.\n\n## Steps\n\nText.\n",
        )
        .build_ok();
    let url = "/s/reset/";
    assert_eq!(built.texts(url, "h1"), ["Reset your password"]);
    assert!(built.texts(url, "title")[0].starts_with("Reset your password"));
    assert_eq!(
        built.texts(url, ".article-body > p:first-child"),
        ["Open the settings."]
    );
    assert_eq!(built.texts(url, ".toc a"), ["Steps"]);
    assert_eq!(
        missing_titles(&built),
        [(
            "content/s/reset.md:1:1: warning[lint/missing-title]: the article sets no `title`; it is titled \"Reset your password\" from its first heading".to_string(),
            Some("start the file with front matter that sets it:\n---\ntitle: Reset your password\n---".to_string())
        )]
    );
}

#[test]
fn a_setext_h1_below_front_matter_without_title_is_the_title() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "description: D",
            "\nError: *denied*\n===============\n\nBody.\n",
        )
        .build_ok();
    assert_eq!(built.texts("/s/a/", "h1"), ["Error: denied"]);
    assert_eq!(built.texts("/s/a/", ".article-body p"), ["Body."]);
    assert_eq!(
        missing_titles(&built)[0].1.as_deref(),
        Some("add `title: \"Error: denied\"` to the front matter")
    );
}

#[test]
fn an_h1_below_other_text_stays_in_the_body_and_the_file_name_titles() {
    let built = TestSite::new()
        .file(
            "content/s/reset-password.md",
            "Intro first.\n\n# Not the title\n",
        )
        .file("content/kb/01.printer-setup/index.md", "Just text.\n")
        .build_ok();
    assert_eq!(
        built.texts("/s/reset-password/", "h1"),
        ["Reset password", "Not the title #"]
    );
    assert_eq!(built.texts("/kb/printer-setup/", "h1"), ["Printer setup"]);
    let found: Vec<String> = missing_titles(&built).into_iter().map(|(h, _)| h).collect();
    assert_eq!(
        found,
        [
            "content/kb/01.printer-setup/index.md:1:1: warning[lint/missing-title]: the article sets no `title`; it is titled \"Printer setup\" from its file name",
            "content/s/reset-password.md:1:1: warning[lint/missing-title]: the article sets no `title`; it is titled \"Reset password\" from its file name",
        ]
    );
}

#[test]
fn a_title_in_front_matter_keeps_the_h1_in_the_body() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: Set",
            "# Also a heading\n\nText.\n",
        )
        .build_ok();
    assert_eq!(built.texts("/s/a/", "h1"), ["Set", "Also a heading #"]);
    assert!(missing_titles(&built).is_empty());
}

#[test]
fn missing_title_is_a_lint_rule_with_levels() {
    let site = |level: &str| {
        TestSite::new()
            .file("kbgen.yaml", format!("lint:\n  missing-title: {level}\n"))
            .file("content/s/a.md", "Text.\n")
            .build()
    };
    assert!(missing_titles(&site("off")).is_empty());
    let built = site("error");
    let errors: Vec<String> = built.errors().iter().map(|d| d.headline()).collect();
    assert_eq!(
        errors,
        ["content/s/a.md:1:1: error[lint/missing-title]: the article sets no `title`; it is titled \"A\" from its file name"]
    );
}

#[test]
fn a_section_index_without_title_takes_its_h1_else_its_folder_name() {
    let built = TestSite::new()
        .file(
            "content/guides/_index.md",
            "# All the guides\n\nIntro text.\n",
        )
        .file(
            "content/more-help/_index.md",
            "---\ndescription: D\n---\nIntro.\n",
        )
        .article("content/guides/a.md", "title: A", "Text.\n")
        .article("content/more-help/b.md", "title: B", "Text.\n")
        .build_ok();
    assert_eq!(built.texts("/guides/", "h1"), ["All the guides"]);
    assert!(built.text("guides/index.html").contains("Intro text."));
    assert_eq!(built.texts("/more-help/", "h1"), ["More help"]);
    assert!(missing_titles(&built).is_empty());
}

/// A front-matter error (a duplicate key, bad YAML, a value of the wrong type)
/// is reported at its line; the file is still loaded with default values, so
/// its body is checked, links to it are no extra errors, and every other
/// file's problems come in the same run. Lint rules pass the file over.
#[test]
fn one_broken_front_matter_hides_no_other_problem() {
    let built = TestSite::new()
        .article("content/s/dup.md", "title: A\ntitle: B", "See [x](nowhere.md).\n")
        .article("content/s/bad-yaml.md", "title: [unclosed", "Text.\n")
        .article("content/s/wrong-type.md", "title: T\nweight: heavy", "Text.\n")
        .article(
            "content/s/ok.md",
            "title: OK\ndescription: D",
            "See [dup](dup.md), [yaml](bad-yaml.md), [type](@/s/wrong-type.md), [it](/s/dup/) and [gone](missing.md).\n\n## Steps\n\n#### Too deep\n",
        )
        .build();
    let problems: Vec<String> = built
        .report
        .diagnostics
        .iter()
        .filter(|d| d.is_error() || d.code.starts_with("lint/"))
        .map(|d| d.headline())
        .collect();
    assert_eq!(
        problems,
        [
            "content/s/bad-yaml.md:2:8: error[yaml]: title: invalid type: sequence, expected a string",
            "content/s/dup.md:3:1: error[yaml]: duplicate field `title`",
            "content/s/dup.md:5:5: error[broken-link]: broken link: `nowhere.md` points to nothing this build writes",
            "content/s/ok.md:5:86: error[broken-link]: broken link: `missing.md` points to nothing this build writes",
            "content/s/ok.md:9:1: warning[lint/heading-increment]: heading level jumps from h2 to h4",
            "content/s/wrong-type.md:3:9: error[yaml]: weight: invalid type: string \"heavy\", expected i64",
        ]
    );
}

#[test]
fn repository_files_are_neither_pages_nor_copied() {
    let built = TestSite::new()
        .article("content/s/a.md", "title: A", "Text.\n")
        .file("content/LICENSE.md", "MIT License\n")
        .file("content/license.markdown", "MIT\n")
        .file("content/s/CHANGELOG.md", "## 1.0\n")
        .file("content/s/Contributing.md", "---\ntitle: [broken\n---\n")
        .file("content/s/CODE_OF_CONDUCT.md", "Be kind.\n")
        .file("content/s/security.MD", "Report issues.\n")
        .build_ok();
    let files: Vec<&String> = built
        .files
        .keys()
        .filter(|f| {
            let f = f.to_lowercase();
            [
                "license",
                "changelog",
                "contributing",
                "conduct",
                "security",
            ]
            .iter()
            .any(|name| f.contains(name))
        })
        .collect();
    assert!(files.is_empty(), "{files:?}");
    assert!(built.has("s/a/index.html"));
    assert!(!built
        .report
        .diagnostics
        .iter()
        .any(|d| d.path.to_string_lossy().contains("content/s/C")));
}
