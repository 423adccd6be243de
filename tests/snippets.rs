//! Snippets (`content/_snippets/`) and the built-in `include` shortcode
//! (issue #21): the included Markdown reads as if written in the page, each
//! problem is reported in the file the writer opened, and the preview server
//! re-renders exactly the pages that include an edited snippet.
//!
//! Several cases come from what users of other tools ran into: headings of
//! included files missing from the table of contents (Hugo's `readfile`,
//! Docusaurus partials), the same heading in a shared file and in the page
//! getting one id, a snippet's images and link definitions resolved from
//! the including page instead of the snippet, an include inside a list item
//! falling out of the list, and a partial's props shown raw in the TOC.

mod common;

use common::{served, TestSite};
use kbgen::build::preview::Preview;
use kbgen::build::{BuildOptions, Changes};

fn site() -> TestSite {
    TestSite::new().file(
        "kbgen.yaml",
        "title: Snippets\nlint:\n  missing-description: off\n  missing-category: off\n  file-name: off\n",
    )
}

fn headlines(built: &common::Built) -> Vec<String> {
    built
        .report
        .diagnostics
        .iter()
        .map(|d| d.headline())
        .collect()
}

fn error_headlines(built: &common::Built) -> Vec<String> {
    built.errors().iter().map(|d| d.headline()).collect()
}

fn help_of(built: &common::Built, headline: &str) -> Option<String> {
    built
        .report
        .diagnostics
        .iter()
        .find(|d| d.headline() == headline)
        .and_then(|d| d.help.clone())
}

// ---------------------------------------------------------------------------
// Inclusion
// ---------------------------------------------------------------------------

#[test]
fn a_block_include_puts_the_snippets_markdown_in_the_page() {
    let built = site()
        .file(
            "content/_snippets/contact.md",
            "Still stuck? Write to **support**.\n\n- by mail\n- by phone\n",
        )
        .article(
            "content/guides/sync.md",
            "title: Sync",
            "Fix it.\n{{ include(path=\"contact.md\") }}\nThe end.\n",
        )
        .build_ok();
    assert_eq!(
        built.texts("/guides/sync/", ".article-body p"),
        ["Fix it.", "Still stuck? Write to support.", "The end."]
    );
    assert_eq!(
        built.texts("/guides/sync/", ".article-body li"),
        ["by mail", "by phone"]
    );
    assert_eq!(
        built.texts("/guides/sync/", ".article-body strong"),
        ["support"]
    );
}

#[test]
fn an_inline_include_takes_the_calls_place_in_its_line() {
    let built = site()
        .file("content/_snippets/product.md", "\nSkylark *Sync*\n\n")
        .article(
            "content/a.md",
            "title: A",
            "Open {{ include(path=\"product.md\") }} and sign in.\n",
        )
        .build_ok();
    assert_eq!(
        built.texts("/a/", ".article-body p"),
        ["Open Skylark Sync and sign in."]
    );
    assert_eq!(built.texts("/a/", ".article-body p em"), ["Sync"]);
}

#[test]
fn an_inline_include_that_cannot_stay_in_its_line_is_a_warning_at_the_call() {
    let built = site()
        .file("content/_snippets/check.md", "Check the cable.\n\n- item A\n- item B\n")
        .file("content/_snippets/two.md", "first line\nsecond line\n")
        .article(
            "content/a.md",
            "title: A",
            "| a | b |\n|---|---|\n| {{ include(path=\"check.md\") }} | x |\n| {{ include(path=\"two.md\") }} | y |\n\nSay {{ include(path=\"two.md\") }} here.\n",
        )
        .build();
    let warnings: Vec<String> = built.warnings().iter().map(|d| d.headline()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].starts_with("content/a.md:6:3: warning[include]: this inline include puts several paragraphs or blocks of `check.md`"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].starts_with("content/a.md:7:3: warning[include]: this inline include puts several lines into a table row of `two.md`"),
        "{warnings:?}"
    );
}

#[test]
fn snippets_are_never_published_as_pages() {
    let built = site()
        .file("content/_snippets/box.md", "Shared.\n")
        .file(
            "content/_snippets/deep/other.md",
            "Other {{ include(path=\"box.md\") }}\n",
        )
        .article(
            "content/a.md",
            "title: A",
            "{{ include(path=\"deep/other.md\") }}\n",
        )
        .build_ok();
    let snippet_pages: Vec<&String> = built
        .files
        .keys()
        .filter(|path| path.contains("snippets") || path.contains("other"))
        .collect();
    assert!(snippet_pages.is_empty(), "{snippet_pages:?}");
    let links = built.attrs("/", "a", "href");
    assert!(links.iter().all(|l| !l.contains("snippets")), "{links:?}");
    assert!(built.has("a/index.html"));
}

#[test]
fn snippets_include_snippets() {
    let built = site()
        .file(
            "content/_snippets/outer.md",
            "Outer start.\n\n{{ include(path=\"parts/inner.md\") }}\n\nOuter end.\n",
        )
        .file("content/_snippets/parts/inner.md", "Inner text.\n")
        .article(
            "content/a.md",
            "title: A",
            "{{ include(path=\"outer.md\") }}\n",
        )
        .build_ok();
    assert_eq!(
        built.texts("/a/", ".article-body p"),
        ["Outer start.", "Inner text.", "Outer end."]
    );
}

#[test]
fn shortcodes_in_a_snippet_expand() {
    let built = site()
        .file(
            "content/_snippets/box.md",
            "{% callout(type=\"info\", title=\"Contact us\") %}\nPress {{ kbd(key=\"F1\") }} for help.\n{% end %}\n",
        )
        .article("content/a.md", "title: A", "Text.\n\n{{ include(path=\"box.md\") }}\n")
        .build_ok();
    assert_eq!(built.texts("/a/", ".article-body kbd"), ["F1"]);
    let main = built.main_html("/a/");
    assert!(main.contains("Contact us"), "{main}");
}

#[test]
fn an_include_in_a_list_item_stays_in_the_item() {
    // A shared list put under step 2 must be a list inside step 2, not a
    // paragraph of its own after the list.
    let built = site()
        .file("content/_snippets/checks.md", "- the cable\n- the power\n")
        .article(
            "content/a.md",
            "title: A",
            "1. Turn it off.\n2. Check:\n\n   {{ include(path=\"checks.md\") }}\n3. Turn it on.\n",
        )
        .build_ok();
    assert_eq!(
        built.texts("/a/", ".article-body ol > li > ul > li"),
        ["the cable", "the power"]
    );
    assert_eq!(built.texts("/a/", ".article-body ol > li").len(), 3);
}

#[test]
fn an_include_in_a_block_quote_stays_in_the_quote() {
    let built = site()
        .file(
            "content/_snippets/note.md",
            "First line.\n\nSecond paragraph.\n",
        )
        .article(
            "content/a.md",
            "title: A",
            "> Quoted.\n> {{ include(path=\"note.md\") }}\n\nAfter.\n",
        )
        .build_ok();
    assert_eq!(
        built.texts("/a/", ".article-body blockquote p"),
        ["Quoted.", "First line.", "Second paragraph."]
    );
}

#[test]
fn code_shows_an_include_call_as_written() {
    let built = site()
        .file("content/_snippets/box.md", "Shared.\n")
        .article(
            "content/a.md",
            "title: A",
            "Write `{{ include(path=\"box.md\") }}` where it goes.\n\n{{ include(path=\"box.md\") }}\n",
        )
        .build_ok();
    assert_eq!(
        built.texts("/a/", ".article-body code"),
        ["{{ include(path=\"box.md\") }}"]
    );
}

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

#[test]
fn parameters_fill_the_snippet_in_text_headings_and_arguments() {
    let built = site()
        .file(
            "content/_snippets/contact.md",
            "## {{ product }} support\n\n{% callout(title=\"{{ product }} help\") %}\nWrite about {{ product }} ({{ plan }}).\n{% end %}\n",
        )
        .article(
            "content/jira.md",
            "title: Jira",
            "{{ include(path=\"contact.md\", product=\"Jira \\\"Cloud\\\"\", plan=3) }}\n",
        )
        .article(
            "content/desk.md",
            "title: Desk",
            "{{ include(path=\"contact.md\", product=\"Desk\", plan=\"Pro\") }}\n",
        )
        .build_ok();
    assert_eq!(
        built.texts("/jira/", ".article-body h2"),
        ["Jira \"Cloud\" support #"]
    );
    // The table of contents shows the value, not `{{ product }}`.
    assert_eq!(built.texts("/jira/", ".toc a"), ["Jira \"Cloud\" support"]);
    assert_eq!(
        built.attrs("/jira/", ".toc a", "href"),
        ["#jira-cloud-support"]
    );
    let main = built.main_html("/jira/");
    assert!(
        main.contains("Jira \"Cloud\" help") || main.contains("Jira &quot;Cloud&quot; help"),
        "{main}"
    );
    assert!(main.contains("Write about Jira \"Cloud\" (3)."), "{main}");
    assert_eq!(built.texts("/desk/", ".toc a"), ["Desk support"]);
}

#[test]
fn a_nested_snippet_sees_the_parameters_around_it() {
    let built = site()
        .file(
            "content/_snippets/outer.md",
            "{{ include(path=\"inner.md\") }} / {{ include(path=\"inner.md\", product=\"Other\") }}\n",
        )
        .file("content/_snippets/inner.md", "About {{ product }}\n")
        .article(
            "content/a.md",
            "title: A",
            "{{ include(path=\"outer.md\", product=\"Sync\") }}\n",
        )
        .build_ok();
    assert_eq!(
        built.texts("/a/", ".article-body p"),
        ["About Sync / About Other"]
    );
}

#[test]
fn a_parameter_no_include_gives_is_an_error_at_the_snippet() {
    let built = site()
        .file("content/_snippets/box.md", "Ask about\n{{ product }}.\n")
        .article(
            "content/a.md",
            "title: A",
            "Text.\n\n{{ include(path=\"box.md\", prodcut=\"Sync\") }}\n",
        )
        .build();
    assert_eq!(
        headlines(&built),
        [
            "content/_snippets/box.md:2:1: error[include]: `{{ product }}` needs a `product` parameter, which the include does not give (included from content/a.md:6:1)",
            "content/a.md:6:1: warning[include]: the parameter `prodcut` is not used: box.md has no `{{ prodcut }}`",
        ]
    );
    assert_eq!(
        help_of(&built, &headlines(&built)[1]).as_deref(),
        Some("did you mean `product`?")
    );
}

// ---------------------------------------------------------------------------
// Table of contents and anchors
// ---------------------------------------------------------------------------

#[test]
fn a_snippets_headings_join_the_toc_with_ids_unique_in_the_page() {
    let built = site()
        .file("content/_snippets/contact.md", "## Contact us\n\nMail us.\n\n### By phone\n\nCall.\n")
        .article(
            "content/a.md",
            "title: A",
            "## Contact us\n\nOur own section.\n\n{{ include(path=\"contact.md\") }}\n",
        )
        .article(
            "content/b.md",
            "title: B",
            "See [the shared contact box](a.md#contact-us-1) and [its phone part](a.md#by-phone).\n",
        )
        .build_ok();
    assert_eq!(
        built.texts("/a/", ".toc a"),
        ["Contact us", "Contact us", "By phone"]
    );
    assert_eq!(
        built.attrs("/a/", ".toc a", "href"),
        ["#contact-us", "#contact-us-1", "#by-phone"]
    );
    assert_eq!(
        built.attrs("/a/", ".article-body h2, .article-body h3", "id"),
        ["contact-us", "contact-us-1", "by-phone"]
    );
    assert_eq!(
        built.attrs("/b/", ".article-body a", "href"),
        ["/a/#contact-us-1", "/a/#by-phone"]
    );
}

#[test]
fn a_link_to_an_anchor_only_a_snippet_gives_is_checked_against_the_page() {
    let built = site()
        .file("content/_snippets/faq.md", "## Billing questions\n")
        .article(
            "content/a.md",
            "title: A",
            "{{ include(path=\"faq.md\") }}\n",
        )
        .article(
            "content/b.md",
            "title: B",
            "Intro.\n\n[Billing](a.md#billing-question)\n",
        )
        .build();
    assert_eq!(
        error_headlines(&built),
        ["content/b.md:6:1: error[broken-link]: broken link `a.md#billing-question`: `#billing-question` is not an anchor of /a/"]
    );
    assert_eq!(
        help_of(&built, &error_headlines(&built)[0]).as_deref(),
        Some("did you mean `#billing-questions`?")
    );
}

// ---------------------------------------------------------------------------
// Links: resolved from the snippet, reported in it
// ---------------------------------------------------------------------------

#[test]
fn links_and_images_in_a_snippet_resolve_from_the_snippets_folder() {
    let built = site()
        .file(
            "content/_snippets/support/box.md",
            "![Logo](logo.svg) See [setup](../../guides/setup.md#install), [this page's steps](#steps) and the [FAQ][faq].\n\n[faq]: ../../guides/faq.md\n",
        )
        .file("content/_snippets/support/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .article("content/guides/setup.md", "title: Setup", "## Install\n\nText.\n")
        .article("content/guides/faq.md", "title: FAQ", "Text.\n")
        .article(
            "content/deep/er/page.md",
            "title: Page",
            "## Steps\n\n{{ include(path=\"support/box.md\") }}\n",
        )
        .build_ok();
    assert_eq!(
        built.attrs("/deep/er/page/", ".article-body p a", "href"),
        ["/guides/setup/#install", "#steps", "/guides/faq/"]
    );
    let image = built.attrs("/deep/er/page/", ".article-body img", "src");
    assert_eq!(image.len(), 1);
    assert!(built.has(image[0].trim_start_matches('/')), "{image:?}");
}

#[test]
fn a_broken_link_in_a_snippet_is_reported_at_the_snippet_naming_every_page() {
    let built = site()
        .file(
            "content/_snippets/box.md",
            "---\n_comment: shared\n---\n\nWrite to [support](../contact.md).\n",
        )
        .article(
            "content/a.md",
            "title: A",
            "{{ include(path=\"box.md\") }}\n",
        )
        .article(
            "content/b.md",
            "title: B",
            "Text.\n\n{{ include(path=\"box.md\") }}\n",
        )
        .build();
    assert_eq!(
        error_headlines(&built),
        ["content/_snippets/box.md:5:10: error[broken-link]: broken link: `../contact.md` points to nothing this build writes (included from content/a.md:4:1 and content/b.md:6:1)"]
    );
}

#[test]
fn a_problem_in_a_nested_snippet_names_the_include_chain() {
    let built = site()
        .file(
            "content/_snippets/outer.md",
            "Outer.\n\n{{ include(path=\"inner.md\") }}\n",
        )
        .file(
            "content/_snippets/inner.md",
            "Press {{ kdb(key=\"A\") }}.\n",
        )
        .article(
            "content/a.md",
            "title: A",
            "{{ include(path=\"outer.md\") }}\n",
        )
        .build();
    assert_eq!(
        error_headlines(&built),
        ["content/_snippets/inner.md:1:7: error[shortcode]: unknown shortcode `kdb` (included from content/a.md:4:1 → content/_snippets/outer.md:3:1)"]
    );
}

#[test]
fn one_relative_destination_cannot_mean_two_pages_in_one_page() {
    let built = site()
        .file("content/_snippets/box.md", "[Help](../help.md)\n")
        .article("content/help.md", "title: Help", "Top.\n")
        .article("content/guides/help.md", "title: Guide help", "Guide.\n")
        .article(
            "content/guides/deep/a.md",
            "title: A",
            "[Guide help](../help.md)\n\n{{ include(path=\"box.md\") }}\n",
        )
        .build();
    assert_eq!(
        error_headlines(&built),
        ["content/_snippets/box.md:1:1: error[broken-link]: `../help.md` leads to /help/ here, relative to this file, but to /guides/help/ elsewhere in the page (included from content/guides/deep/a.md:6:1)"]
    );
}

// ---------------------------------------------------------------------------
// Errors at the include call
// ---------------------------------------------------------------------------

#[test]
fn a_missing_snippet_is_an_error_with_the_closest_name() {
    let built = site()
        .file("content/_snippets/contact.md", "Shared.\n")
        .article(
            "content/a.md",
            "title: A",
            "Text.\n\nSee {{ include(path=\"contcat.md\") }} and {{ include(path=\"contact\") }}.\n",
        )
        .build();
    let errors = error_headlines(&built);
    assert_eq!(
        errors,
        [
            "content/a.md:6:5: error[include]: no snippet `contcat.md` in content/_snippets/",
            "content/a.md:6:42: error[include]: no snippet `contact` in content/_snippets/",
        ]
    );
    assert_eq!(
        help_of(&built, &errors[0]).as_deref(),
        Some("did you mean `contact.md`?")
    );
    assert_eq!(
        help_of(&built, &errors[1]).as_deref(),
        Some("did you mean `contact.md`?")
    );
}

#[test]
fn an_include_cycle_is_an_error_naming_the_chain() {
    let built = site()
        .file(
            "content/_snippets/a.md",
            "A.\n\n{{ include(path=\"b.md\") }}\n",
        )
        .file(
            "content/_snippets/b.md",
            "B.\n{{ include(path=\"a.md\") }}\n",
        )
        .article(
            "content/page.md",
            "title: Page",
            "{{ include(path=\"a.md\") }}\n",
        )
        .build();
    assert_eq!(
        error_headlines(&built),
        ["content/_snippets/b.md:2:1: error[include]: include cycle: a.md → b.md → a.md (included from content/page.md:4:1 → content/_snippets/a.md:3:1)"]
    );
    // The page still shows what could be included.
    assert!(built.report.has_errors());
}

#[test]
fn including_a_full_article_is_an_error() {
    let built = site()
        .file(
            "content/_snippets/howto.md",
            "---\ntitle: How to sync\n---\nSteps.\n",
        )
        .article("content/guides/sync.md", "title: Sync", "Text.\n")
        .article(
            "content/a.md",
            "title: A",
            "{{ include(path=\"howto.md\") }}\n\n{{ include(path=\"../guides/sync.md\") }}\n",
        )
        .build();
    let errors = error_headlines(&built);
    assert_eq!(
        errors,
        [
            "content/a.md:4:1: error[include]: content/_snippets/howto.md is a full article (its front matter sets `title`), not a snippet",
            "content/a.md:6:1: error[include]: `../guides/sync.md` is the article content/guides/sync.md, not a snippet",
        ]
    );
    assert!(help_of(&built, &errors[1])
        .unwrap()
        .contains("[title](@/guides/sync.md)"));
}

#[test]
fn includes_nested_past_the_limit_are_an_error_at_the_call_too_deep() {
    let depth = kbgen::content::include::MAX_INCLUDE_DEPTH;
    let mut site = site().article(
        "content/a.md",
        "title: A",
        "{{ include(path=\"s0.md\") }}\n",
    );
    for n in 0..=depth {
        site = site.file(
            &format!("content/_snippets/s{n}.md"),
            format!("Level {n}.\n\n{{{{ include(path=\"s{}.md\") }}}}\n", n + 1),
        );
    }
    let built = site.build();
    let errors = error_headlines(&built);
    let s = |n: usize| format!("content/_snippets/s{n}.md:3:1");
    assert_eq!(
        errors,
        [format!(
            "{}: error[include]: snippets are included more than {depth} deep (included from content/a.md:4:1 → {} → {} → … {} more → {} → {} → {})",
            s(depth - 1),
            s(0),
            s(1),
            depth - 6,
            s(depth - 4),
            s(depth - 3),
            s(depth - 2),
        )]
    );
}

#[test]
fn snippets_that_multiply_stop_at_the_page_size_limit() {
    // Each includes the next four times: 4^12 copies, unless stopped.
    let mut site = site().article(
        "content/a.md",
        "title: A",
        "{{ include(path=\"s0.md\") }}\n",
    );
    for n in 0..12 {
        let call = format!("{{{{ include(path=\"s{}.md\") }}}}\n\n", n + 1);
        site = site.file(&format!("content/_snippets/s{n}.md"), call.repeat(4));
    }
    site = site.file("content/_snippets/s12.md", "x".repeat(200));
    let started = std::time::Instant::now();
    let built = site.build();
    assert!(started.elapsed().as_secs() < 60);
    let errors = error_headlines(&built);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("includes make this page more than 8 MiB")),
        "{errors:#?}"
    );
}

#[test]
fn include_calls_that_are_wrong_in_themselves() {
    let built = site()
        .file("content/_snippets/box.md", "Shared.\n")
        .article(
            "content/a.md",
            "title: A",
            "{{ include(file=\"box.md\") }}\n\n{{ include(path=\"box.md\", list=[1, 2]) }}\n\n{% include(path=\"box.md\") %}\nx\n{% end %}\n",
        )
        .build();
    assert_eq!(
        error_headlines(&built),
        [
            "content/a.md:4:1: error[include]: `include` needs the snippet's `path`",
            "content/a.md:6:1: error[include]: the parameter `list` is a list, which cannot stand in text",
            "content/a.md:8:1: error[include]: `include` takes no body",
        ]
    );
}

// ---------------------------------------------------------------------------
// check: unused snippets
// ---------------------------------------------------------------------------

#[test]
fn check_warns_about_snippets_no_page_includes() {
    let built = site()
        .file("content/_snippets/used.md", "Used.\n")
        .file("content/_snippets/old/unused.md", "Nobody includes me.\n")
        .article(
            "content/a.md",
            "title: A",
            "{{ include(path=\"used.md\") }}\n",
        )
        .build_ok();
    let warnings: Vec<String> = built.warnings().iter().map(|d| d.headline()).collect();
    assert_eq!(
        warnings,
        ["content/_snippets/old/unused.md: warning[unused-snippet]: no page includes this snippet"]
    );
}

#[test]
fn the_check_command_reports_snippet_problems_and_exits_non_zero() {
    let site = site()
        .file("content/_snippets/box.md", "[Gone](../gone.md)\n")
        .file("content/_snippets/spare.md", "Spare.\n")
        .article(
            "content/a.md",
            "title: A",
            "{{ include(path=\"box.md\") }}\n",
        );
    // Run from the site: every path, the include calls' too, is shown from
    // the working folder.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .arg("check")
        .current_dir(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/_snippets/box.md:1:1: error[broken-link]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("(included from content/a.md:4:1)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/_snippets/spare.md: warning[unused-snippet]"),
        "{stderr}"
    );
    // From the folder above, with --root.
    let name = site
        .root()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["check", "--root", &name])
        .current_dir(site.root().parent().unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{name}/content/_snippets/box.md:1:1: error[broken-link]: broken link: `../gone.md` points to nothing this build writes (included from {name}/content/a.md:4:1)")),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------
// serve
// ---------------------------------------------------------------------------

#[test]
fn editing_a_snippet_re_renders_exactly_the_pages_that_include_it() {
    let mut site = site().file("content/_snippets/box.md", "## Help\n\nAsk us.\n");
    for n in 0..12 {
        let include = if n % 4 == 0 {
            "\n{{ include(path=\"box.md\") }}\n"
        } else {
            ""
        };
        site = site.article(
            &format!("content/s/a{n}.md"),
            &format!("title: Article {n}"),
            &format!("Text {n}.\n{include}"),
        );
    }
    let root = site.root().to_path_buf();
    let mut preview = Preview::new(BuildOptions {
        root: root.clone(),
        ..BuildOptions::default()
    });
    assert!(preview.rebuild(&Changes::everything()).published);

    std::fs::write(
        root.join("content/_snippets/box.md"),
        "## Help\n\nAsk us again.\n",
    )
    .unwrap();
    let step = preview.rebuild(&Changes {
        content: ["_snippets/box.md".to_string()].into(),
        ..Changes::default()
    });
    assert!(step.published, "{:?}", step.report);
    assert_eq!(step.rendered, 3, "the three pages that include the snippet");
    let now = served(&preview);
    let page = String::from_utf8_lossy(&now["s/a4/index.html"]).into_owned();
    assert!(page.contains("Ask us again."));
    let fresh = site.build_ok();
    assert!(
        now == fresh.files,
        "the served site is what a fresh build writes"
    );

    // A broken snippet publishes nothing; its fix catches up.
    std::fs::write(
        root.join("content/_snippets/box.md"),
        "[x](../nowhere.md)\n",
    )
    .unwrap();
    let step = preview.rebuild(&Changes {
        content: ["_snippets/box.md".to_string()].into(),
        ..Changes::default()
    });
    assert!(!step.published);
    assert_eq!(served(&preview), now);
}

// ---------------------------------------------------------------------------
// kbgen mv
// ---------------------------------------------------------------------------

#[test]
fn moving_an_article_rewrites_links_in_snippets_and_leaves_including_pages_as_written() {
    let site = site()
        .file(
            "content/_snippets/box.md",
            "See [setup](../guides/setup.md#install).\n",
        )
        .article(
            "content/guides/setup.md",
            "title: Setup",
            "## Install\n\nText.\n",
        )
        .article(
            "content/a.md",
            "title: A",
            "[Setup](guides/setup.md)\n\n{{ include(path=\"box.md\") }}\n",
        );
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["mv", "content/guides/setup.md", "content/guides/install.md"])
        .current_dir(site.root())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let read = |path: &str| std::fs::read_to_string(site.path(path)).unwrap();
    assert_eq!(
        read("content/_snippets/box.md"),
        "See [setup](../guides/install.md#install).\n"
    );
    assert_eq!(
        read("content/a.md"),
        "---\ntitle: A\n---\n[Setup](guides/install.md)\n\n{{ include(path=\"box.md\") }}\n"
    );
    site.build_ok();
}

#[test]
fn moving_a_snippet_rewrites_the_include_calls_that_name_it() {
    let site = site()
        .file("content/_snippets/box.md", "Shared.\n")
        .file(
            "content/_snippets/outer.md",
            "{{ include(path='box.md') }} and more.\n",
        )
        .article(
            "content/a.md",
            "title: A",
            "{{ include(path=\"box.md\", product=\"path=\\\"x\\\"\") }}\n\n`{{ include(path=\"box.md\") }}` is how.\n\n{{ include(path=\"outer.md\") }}\n",
        );
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args([
            "mv",
            "content/_snippets/box.md",
            "content/_snippets/support/box.md",
        ])
        .current_dir(site.root())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let read = |path: &str| std::fs::read_to_string(site.path(path)).unwrap();
    assert_eq!(
        read("content/a.md"),
        "---\ntitle: A\n---\n{{ include(path=\"support/box.md\", product=\"path=\\\"x\\\"\") }}\n\n`{{ include(path=\"box.md\") }}` is how.\n\n{{ include(path=\"outer.md\") }}\n"
    );
    assert_eq!(
        read("content/_snippets/outer.md"),
        "{{ include(path=\"support/box.md\") }} and more.\n"
    );
    assert_eq!(read("content/_snippets/support/box.md"), "Shared.\n");
}
