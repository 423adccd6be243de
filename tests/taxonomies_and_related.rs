//! Taxonomy pages, related articles and the category list.

mod common;
use common::TestSite;

fn support_site() -> TestSite {
    TestSite::new()
        .file("content/jira-cloud/_index.md", "---\ntitle: Jira Cloud\n---\n")
        .article(
            "content/jira-cloud/oauth-401.md",
            "title: OAuth 401\nweight: 1\ntaxonomy:\n  category: jira-cloud\n  tag: [oauth, azure]\nrelated:\n  - ../billing/invoices.md\n  - \"@/jira-cloud/ssh-keys.md\"\n  - /jira-cloud/oauth-401/\n  - /jira-cloud/ssh-keys",
            "Body.\n",
        )
        .article("content/jira-cloud/ssh-keys.md", "title: SSH keys\nweight: 2\ntaxonomy:\n  category: jira-cloud\n  tag: [ssh]", "")
        .article("content/jira-cloud/azure-repos.md", "title: Azure repos\nweight: 3\ntaxonomy:\n  category: jira-cloud\n  tag: [azure, oauth]", "")
        .article("content/jira-cloud/reindex.md", "title: Reindex\nweight: 4\ntaxonomy:\n  category: jira-cloud\n  tag: [oauth]", "")
        .article("content/billing/invoices.md", "title: Invoices\ntaxonomy:\n  category: billing", "")
}

#[test]
fn related_lists_explicit_first_then_shared_tags_without_self_or_duplicates() {
    let built = support_site().build_ok();
    assert_eq!(
        built.texts("/jira-cloud/oauth-401/", "aside.related li a"),
        ["Invoices", "SSH keys", "Azure repos", "Reindex"]
    );
}

#[test]
fn related_limit_caps_the_list() {
    let built = support_site()
        .file("kbgen.yaml", "related:\n  limit: 2\n")
        .build_ok();
    assert_eq!(
        built.texts("/jira-cloud/oauth-401/", "aside.related li a"),
        ["Invoices", "SSH keys"]
    );
}

#[test]
fn category_list_marks_the_current_page() {
    let built = support_site().build_ok();
    let url = "/jira-cloud/ssh-keys/";
    assert_eq!(
        built.texts(url, "aside.category-list li"),
        [
            "OAuth 401",
            "SSH keys (this page)",
            "Azure repos",
            "Reindex"
        ]
    );
    assert_eq!(
        built.texts(url, "aside.category-list [aria-current=page]"),
        ["SSH keys"]
    );
    assert_eq!(built.texts(url, "aside.category-list strong"), ["SSH keys"]);
}

#[test]
fn category_list_is_capped_around_the_page_with_a_link_to_all() {
    let mut site = TestSite::new().file("kbgen.yaml", "related:\n  category_limit: 3\n");
    for i in 1..=7 {
        site = site.article(
            &format!("content/s/a{i}.md"),
            &format!("title: Article {i}\nweight: {i}\ntaxonomy:\n  category: s"),
            "",
        );
    }
    let built = site.build_ok();
    let url = "/s/a5/";
    assert_eq!(
        built.texts(url, "aside.category-list li"),
        ["Article 4", "Article 5 (this page)", "Article 6"]
    );
    assert_eq!(
        built.texts(url, ".category-list__all a"),
        ["All 7 articles"]
    );
    assert_eq!(
        built.attrs(url, ".category-list__all a", "href"),
        ["/category/s/"]
    );
}

#[test]
fn term_pages_and_term_index_with_titles_from_sections_and_config() {
    let built = support_site()
        .file("kbgen.yaml", "taxonomies:\n  category:\n    title: Categories\n    terms:\n      billing: { title: Billing & invoices, description: Money matters. }\n  tag:\n")
        .build_ok();
    assert_eq!(
        built.texts("/category/", ".term-list__item > a"),
        ["Billing & invoices", "Jira Cloud"]
    );
    assert_eq!(built.texts("/category/jira-cloud/", "h1"), ["Jira Cloud"]);
    assert_eq!(
        built.texts(
            "/category/jira-cloud/",
            ".article-list a.article-list__title"
        ),
        ["OAuth 401", "SSH keys", "Azure repos", "Reindex"]
    );
    assert_eq!(
        built.texts("/category/billing/", ".page-header__description"),
        ["Money matters."]
    );
    assert_eq!(
        built.texts("/tag/oauth/", ".article-list a.article-list__title"),
        ["OAuth 401", "Azure repos", "Reindex"]
    );
    assert_eq!(
        built.texts("/jira-cloud/oauth-401/", ".tag-list a.tag"),
        ["oauth", "azure"]
    );
}

#[test]
fn a_term_url_that_collides_with_a_section_is_an_error() {
    let built = TestSite::new()
        .article("content/tag/x.md", "title: X\ntaxonomy:\n  tag: [a]", "")
        .build();
    let headlines: Vec<String> = built.errors().iter().map(|d| d.headline()).collect();
    assert_eq!(
        headlines,
        ["kbgen.yaml: error[url-collision]: the taxonomy page /tag/ collides with the section in content/tag"]
    );
}

#[test]
fn two_articles_with_one_url_is_an_error_naming_both() {
    let built = TestSite::new()
        .article("content/s/Reset Password.md", "title: A", "")
        .article("content/s/reset-password.md", "title: B", "")
        .build();
    let errors = built.errors();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].message.contains("content/s/Reset Password.md"),
        "{}",
        errors[0].message
    );
    assert!(
        errors[0].message.contains("/s/reset-password/"),
        "{}",
        errors[0].message
    );
}

#[test]
fn sections_list_sub_sections_and_articles_in_order() {
    let built = TestSite::new()
        .article("content/s/zeta.md", "title: Zeta\nweight: 1", "")
        .article("content/s/alpha.md", "title: Alpha", "")
        .article("content/s/02.beta.md", "title: Beta", "")
        .article("content/s/sub/deep.md", "title: Deep", "")
        .build_ok();
    assert_eq!(
        built.texts("/s/", ".article-list a.article-list__title"),
        ["Zeta", "Beta", "Alpha"]
    );
    assert_eq!(built.attrs("/s/", "a.card", "href"), ["/s/sub/"]);
    assert_eq!(
        built.texts("/s/sub/deep/", ".breadcrumbs a"),
        ["Home", "S", "Sub"]
    );
}

#[test]
fn distinct_terms_with_one_slug_are_an_error_naming_both_and_case_variants_merge() {
    let built = TestSite::new()
        .article(
            "content/lang/c.md",
            "title: C\ntaxonomy:\n  tag: [C, Billing]",
            "",
        )
        .article(
            "content/lang/csharp.md",
            "title: C sharp\ntaxonomy:\n  tag: [\"C#\", billing]",
            "",
        )
        .article(
            "content/lang/cpp.md",
            "title: C plus plus\ntaxonomy:\n  tag:\n    - \"C++\"\n    - \"###\"",
            "",
        )
        .build();
    let errors: Vec<String> = built.errors().iter().map(|d| d.headline()).collect();
    assert_eq!(
        errors,
        [
            "content/lang/cpp.md:5:8: error[taxonomy]: tag `C++` and tag `C` (in content/lang/c.md) would share the URL /tag/c/",
            "content/lang/cpp.md:6:8: error[taxonomy]: tag `###` has no letter or digit to make its URL from",
            "content/lang/csharp.md:4:10: error[taxonomy]: tag `C#` and tag `C` (in content/lang/c.md) would share the URL /tag/c/",
        ]
    );
    let merged = TestSite::new()
        .article(
            "content/a/one.md",
            "title: One\ntaxonomy:\n  tag: [Billing]",
            "",
        )
        .article(
            "content/a/two.md",
            "title: Two\ntaxonomy:\n  tag: [billing]",
            "",
        )
        .build();
    assert!(merged.errors().is_empty());
    assert_eq!(merged.texts("/tag/billing/", "main li a"), ["One", "Two"]);
}

#[test]
fn a_taxonomy_no_article_uses_gets_no_page_and_no_link() {
    let built = TestSite::new()
        .article(
            "content/s/a.md",
            "title: A\ntaxonomy:\n  category: s",
            "Text.\n",
        )
        .build_ok();
    assert!(built.has("category/index.html"));
    assert!(!built.has("tag/index.html"));
    let links = built.attrs("/s/a/", "a", "href");
    assert!(links.iter().any(|l| l == "/category/"), "{links:?}");
    assert!(!links.iter().any(|l| l == "/tag/"), "{links:?}");
}
