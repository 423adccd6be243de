//! `kbgen fix`: each rule on fixtures it must change and fixtures it must leave
//! alone, the legacy article's shape before and after, and idempotence. Also the
//! related-list promise `fix` relies on: the author's own entries are never cut.

mod common;
use common::TestSite;

#[test]
fn explicit_related_entries_are_never_cut_by_the_limit() {
    let mut site = TestSite::new().file("kbgen.yaml", "related:\n  limit: 2\n");
    let mut related = String::new();
    for i in 1..=5 {
        site = site.article(
            &format!("content/s/a{i}.md"),
            &format!("title: Article {i}\nweight: {i}\ntaxonomy:\n  category: s"),
            "",
        );
        related.push_str(&format!("\n  - a{i}.md"));
    }
    let site = site.article(
        "content/s/hub.md",
        &format!("title: Hub\ntaxonomy:\n  category: s\nrelated:{related}"),
        "",
    );
    let built = site.build_ok();
    assert_eq!(
        built.texts("/s/hub/", "aside.related li a"),
        [
            "Article 1",
            "Article 2",
            "Article 3",
            "Article 4",
            "Article 5"
        ]
    );
    // The limit still caps the automatic fill.
    assert_eq!(built.texts("/s/a1/", "aside.related li a").len(), 2);
}
