//! A snapshot of an article's `<main>`: any change to what a reader gets from
//! the Markdown, the shortcodes and the theme shows up here for review.

mod common;
use common::TestSite;

#[test]
fn article_main_snapshot() {
    let built = TestSite::new()
        .file("content/guides/_index.md", "---\ntitle: Guides\n---\n")
        .article(
            "content/guides/reset-password.md",
            "title: Reset your password\ndescription: Get back into your account.\ndate: 2026-02-03\ntaxonomy:\n  category: guides\n  tag: [account]",
            "## Problem\n\nThe sign-in page says **Invalid password**.\n\n## Solution\n\n1. Open {{ ui(path=\"Settings > Security\") }}.\n2. Press {{ kbd(keys=[\"Ctrl\", \"R\"]) }}.\n\n```bash\nskylark reset --user me\n```\n\n{% callout(type=\"tip\", title=\"Tip\") %}\nUse a password manager.\n{% end %}\n\n> [!WARNING]\n> Old sessions end.\n\nSee [the other guide](other.md).\n",
        )
        .article(
            "content/guides/other.md",
            "title: Other guide\ndescription: Another.\ntaxonomy:\n  category: guides",
            "Text.\n",
        )
        .build_ok();
    insta::assert_snapshot!(built.main_html("/guides/reset-password/"));
}
