//! An article in the legacy shape of real help centers (the shape of
//! ../shared/seed/sample-article.md, written in our own words) builds unchanged:
//! raw-HTML callout box, `&nbsp;` spacer paragraphs, a site-absolute image, and a
//! hand-kept list of related links by site URL without trailing slash.

mod common;
use common::TestSite;

const LEGACY: &str = r#"---

title: Sync stops with error 403 after the admin changed the sharing policy
description:
taxonomy:
    category: tidewater-cloud

---

### Problem

The desktop app shows "Error 403" and stops syncing shared folders.

&nbsp;

### Diagnosis

The organisation's sharing policy no longer lets external accounts open the folder.

&nbsp;

### Cause

Most of the time an administrator turned **External sharing** OFF.

&nbsp;

### Solution

Ask an administrator to allow external sharing for the folder:

1.  Open the admin console.

2.  Go to **Organisation Settings**.

3.  Under _**Sharing**_, click **Policies**.

4.  Set **External sharing** to ON.


![](/uploads/tidewater-sharing-policy.png)


<div class="bbb-callout bbb--info">
    <div class="irow">
    <div class="ilogobox">
        <span class="logoimg"></span>
    </div>
    <div class="imsgbox">
        <b>Need a hand?</b><br>
        Write to our <a href='https://example.com/support/' target='_blank'>support team</a>.
    </div>
    </div>
</div>

&nbsp;

### Related articles

[Why are my files not syncing?](/tidewater-cloud/why-are-my-files-not-syncing) (Tidewater Cloud)

**Sync stops with error 403 after the admin changed the sharing policy** (this page)

[Resetting the sync token](/tidewater-cloud/resetting-the-sync-token) (Tidewater Cloud)
"#;

fn legacy_site() -> TestSite {
    TestSite::new()
        .file(
            "content/tidewater-cloud/_index.md",
            "---\ntitle: Tidewater Cloud\n---\n",
        )
        .file(
            "content/tidewater-cloud/sync-stops-with-error-403.md",
            LEGACY,
        )
        .article(
            "content/tidewater-cloud/why-are-my-files-not-syncing.md",
            "title: Why are my files not syncing?\ntaxonomy:\n  category: tidewater-cloud",
            "",
        )
        .article(
            "content/tidewater-cloud/resetting-the-sync-token.md",
            "title: Resetting the sync token\ntaxonomy:\n  category: tidewater-cloud",
            "",
        )
        .file("static/uploads/tidewater-sharing-policy.png", b"PNG")
}

const URL: &str = "/tidewater-cloud/sync-stops-with-error-403/";

#[test]
fn the_raw_html_callout_box_keeps_its_classes() {
    let built = legacy_site().build_ok();
    assert_eq!(
        built.attrs(URL, ".article-body div.bbb-callout", "class"),
        ["bbb-callout bbb--info"]
    );
    assert_eq!(
        built.texts(URL, ".bbb-callout .imsgbox b"),
        ["Need a hand?"]
    );
    assert_eq!(built.attrs(URL, ".bbb-callout span", "class"), ["logoimg"]);
}

#[test]
fn nbsp_paragraphs_survive_as_no_break_spaces() {
    let built = legacy_site().build_ok();
    let page = built.page(URL);
    let selector = scraper::Selector::parse(".article-body > p").unwrap();
    let spacers = page
        .select(&selector)
        .filter(|p| p.text().collect::<String>() == "\u{a0}")
        .count();
    assert_eq!(spacers, 4);
}

#[test]
fn headings_list_and_site_absolute_image_render() {
    let built = legacy_site().build_ok();
    assert_eq!(
        built.texts(URL, ".article-body h3"),
        [
            "Problem #",
            "Diagnosis #",
            "Cause #",
            "Solution #",
            "Related articles #"
        ]
    );
    assert_eq!(built.texts(URL, ".article-body ol > li").len(), 4);
    assert_eq!(
        built.attrs(URL, ".article-body img", "src"),
        ["/uploads/tidewater-sharing-policy.png"]
    );
    assert!(built.has("uploads/tidewater-sharing-policy.png"));
    assert!(built
        .attrs(URL, "meta[name=description]", "content")
        .is_empty());
}

#[test]
fn hand_kept_related_links_are_rewritten_to_final_urls() {
    let built = legacy_site().build_ok();
    // Raw HTML is left as written.
    assert_eq!(
        built.attrs(URL, ".bbb-callout a", "href"),
        ["https://example.com/support/"]
    );
    assert_eq!(
        built.attrs(URL, ".article-body > p a", "href"),
        [
            "/tidewater-cloud/why-are-my-files-not-syncing/",
            "/tidewater-cloud/resetting-the-sync-token/"
        ]
    );
}

#[test]
fn the_generated_category_list_has_every_entry_and_marks_this_page() {
    let built = legacy_site().build_ok();
    assert_eq!(
        built.texts(URL, "aside.category-list li"),
        [
            "Resetting the sync token",
            "Sync stops with error 403 after the admin changed the sharing policy (this page)",
            "Why are my files not syncing?",
        ]
    );
    assert_eq!(
        built.attrs(URL, "aside.category-list li a", "href"),
        [
            "/tidewater-cloud/resetting-the-sync-token/",
            "/tidewater-cloud/why-are-my-files-not-syncing/"
        ]
    );
    assert_eq!(
        built.texts(URL, ".article-header__category"),
        ["Tidewater Cloud"]
    );
}
