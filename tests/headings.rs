//! What a heading is, decided once: its text, its id, its table-of-contents
//! entry and the anchors links are checked against all come from the page as
//! rendered. Ids are unique in the whole page, and callouts sit where the
//! author wrote them (inside list items and quotes).

mod common;
use common::TestSite;

/// Ids of every element with one inside the article body.
fn body_ids(built: &common::Built, url: &str) -> Vec<String> {
    built.attrs(url, ".article-body [id]", "id")
}

#[test]
fn a_callout_in_a_nested_step_stays_in_its_list_item_and_renders_markdown() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "1. Open the admin panel.\n   - Pick the workspace.\n\n     {% callout(type=\"warning\") %}\n     Changes apply to **every** member.\n     {% end %}\n2. Save.\n",
        )
        .build_ok();
    let main = built.main_html("/s/a/");
    assert!(
        main.contains("<li>\n<p>Pick the workspace.</p>\n<div class=\"callout callout--warning\" role=\"note\">"),
        "{main}"
    );
    assert!(
        main.contains("<div class=\"callout__body\"><p>Changes apply to <strong>every</strong> member.</p>\n</div>"),
        "{main}"
    );
    assert!(!main.contains("<pre"), "{main}");
    assert_eq!(
        built.texts("/s/a/", "ol > li > ul > li .callout__body p"),
        ["Changes apply to every member."]
    );
}

#[test]
fn a_callout_in_a_quote_is_the_quotes_child_not_a_paragraphs() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "> {% callout(type=\"tip\") %}\n> Restart the app after the update.\n> {% end %}\n",
        )
        .build_ok();
    assert_eq!(
        built.texts("/s/a/", "blockquote > div.callout--tip .callout__body > p"),
        ["Restart the app after the update."]
    );
    // The page as written, before an HTML parser mends `<p><div>`.
    let page = built.text("s/a/index.html");
    assert!(
        page.contains("<blockquote>\n<div class=\"callout callout--tip\" role=\"note\">"),
        "{page}"
    );
    assert!(!page.contains("<p><div"), "{page}");
    assert_eq!(page.matches("<blockquote>").count(), 1, "{page}");
}

#[test]
fn a_shortcode_in_a_heading_counts_as_its_text() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "## Press {{ kbd(key=\"F5\") }} to refresh\n\nSee [above](#press-f5-to-refresh).\n",
        )
        .build_ok();
    let url = "/s/a/";
    assert_eq!(body_ids(&built, url), ["press-f5-to-refresh"]);
    assert_eq!(built.texts(url, ".toc a"), ["Press F5 to refresh"]);
    assert_eq!(built.attrs(url, ".toc a", "href"), ["#press-f5-to-refresh"]);
    assert_eq!(
        built.texts(url, ".article-body h2 kbd"),
        ["F5"],
        "the heading shows the shortcode's HTML"
    );
}

#[test]
fn an_explicit_id_wins_over_an_earlier_automatic_one() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "## Install\n\n## Install from the CLI {#install}\n",
        )
        .build_ok();
    let url = "/s/a/";
    assert_eq!(body_ids(&built, url), ["install-1", "install"]);
    assert_eq!(
        built.attrs(url, ".toc a", "href"),
        ["#install-1", "#install"]
    );
}

#[test]
fn footnotes_have_their_own_ids_and_the_marker_links_to_the_note() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "Each plan has a quota.[^quota]\n\n## Quota\n\n[^quota]: Counted per workspace.\n\n[Back to the note](#fn-quota)\n",
        )
        .build_ok();
    let url = "/s/a/";
    assert_eq!(body_ids(&built, url), ["quota", "fn-quota"]);
    assert_eq!(
        built.attrs(url, ".footnote-reference a", "href"),
        ["#fn-quota"]
    );
    assert_eq!(built.texts(url, ".footnote-reference a"), ["1"]);
}

#[test]
fn no_content_id_takes_an_id_of_the_theme() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "## Main\n\n## Related title\n\n## Search results\n\n## TOC title\n",
        )
        .build_ok();
    assert_eq!(
        body_ids(&built, "/s/a/"),
        [
            "main-1",
            "related-title-1",
            "search-results-1",
            "toc-title-1"
        ]
    );
    let page = built.text("s/a/index.html");
    assert_eq!(page.matches("id=\"main\"").count(), 1);
}

#[test]
fn raw_html_ids_and_named_anchors_are_taken_and_can_be_linked() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "<a name=\"onExit\"></a>\n\n<div id=\"limits\">x</div>\n\n## Limits\n\nSee [exit](#onExit) and [limits](#limits-1).\n",
        )
        .build_ok();
    assert_eq!(built.attrs("/s/a/", ".article-body h2", "id"), ["limits-1"]);
}

#[test]
fn github_ids_keep_combining_marks_in_every_script() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "## हिन्दी\n\n## Größe ändern\n\n## Привет, мир!\n\n## 日本語の見出し\n\n## 🎉 Party & more\n\nSee [hindi](#हिन्दी).\n",
        )
        .build_ok();
    assert_eq!(
        body_ids(&built, "/s/a/"),
        [
            "हिन्दी",
            "größe-ändern",
            "привет-мир",
            "日本語の見出し",
            "-party--more"
        ]
    );
}

#[test]
fn a_heading_inside_a_callout_is_an_anchor_and_one_inside_code_is_not() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "{% callout() %}\n## Before you start\n{% end %}\n\n```text\n## Not a heading\n```\n\n[start](#before-you-start)\n",
        )
        .build_ok();
    assert_eq!(body_ids(&built, "/s/a/"), ["before-you-start"]);
    let bad = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "```text\n## Not a heading\n```\n\n[x](#not-a-heading)\n",
        )
        .build();
    assert_eq!(bad.errors().len(), 1, "{:?}", bad.errors());
}

#[test]
fn a_link_with_a_space_in_its_destination_is_a_warning_with_the_fix() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "Read [the guide](setup guide.md) first, [this](x.md \"title\") is fine.\n\n`[code](a b)` too.\n",
        )
        .file("content/s/x.md", "---\ntitle: X\n---\n")
        .build();
    let warnings: Vec<String> = built
        .warnings()
        .iter()
        .filter(|d| d.code == "broken-link")
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect();
    assert_eq!(
        warnings,
        ["4:6: `(setup guide.md)` is not a link: a link destination ends at its first space, so this shows as plain text"]
    );
    let help = built
        .warnings()
        .iter()
        .find(|d| d.code == "broken-link")
        .and_then(|d| d.help.clone());
    assert_eq!(
        help.as_deref(),
        Some("write `(<setup guide.md>)` or `(setup%20guide.md)`")
    );
}

#[test]
fn definition_lists_render_as_dl() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A",
            "Workspace\n: A group of projects.\n\nSeat\n: One member's licence.\n",
        )
        .build_ok();
    assert_eq!(built.texts("/s/a/", "dl > dt"), ["Workspace", "Seat"]);
    assert_eq!(
        built.texts("/s/a/", "dl > dd"),
        ["A group of projects.", "One member's licence."]
    );
}

/// The theme's ids that content must not take are the ids `templates/` uses.
#[test]
fn the_reserved_theme_ids_are_the_ids_in_the_templates() {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("templates").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            let text = std::fs::read_to_string(&path).unwrap();
            for piece in text.split(" id=\"").skip(1) {
                found.push(piece.split('"').next().unwrap().to_string());
            }
        }
    }
    found.sort();
    let mut reserved: Vec<String> = kbgen::content::scan::THEME_IDS
        .iter()
        .map(|s| s.to_string())
        .collect();
    reserved.sort();
    assert_eq!(found, reserved);
}
