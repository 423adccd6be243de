//! The benchmark keeps working: its corpus of 200 articles builds with no
//! problems into the expected pages, `check` agrees, and the preview edits
//! re-render only what they touch. No timings are asserted.

#[path = "../examples/bench/corpus.rs"]
mod corpus;
#[path = "../examples/bench/edits.rs"]
mod edits;
#[path = "../examples/bench/history.rs"]
#[allow(dead_code)]
mod history;
#[path = "../examples/bench/measure.rs"]
mod measure;

#[test]
fn the_benchmark_builds_200_articles_without_problems() {
    let summary = measure::run(&measure::Args {
        articles: 200,
        search: true,
        check: true,
        serve: true,
        warm: true,
        keep: None,
        git: None,
        languages: 1,
    })
    .unwrap();
    // 200 articles, home and one section, the category and tag indexes, one
    // category, 60 tags, the search page and the 404 page.
    assert_eq!(summary.pages, 200 + 2 + 2 + 1 + 60 + 1 + 1);
    assert_eq!((summary.errors, summary.warnings), (0, 0));
    assert_eq!(summary.check_problems, Some(0));
    // A body edit re-renders its own page; a title edit also the pages that
    // list or link to the article; no single edit re-renders all 266 (a
    // category change shifts the category list shown on every article of
    // the old category, which here is nearly all of them).
    let rendered = &summary.serve_rendered;
    assert_eq!(rendered.len(), 10);
    assert_eq!(rendered[0], 1, "{rendered:?}");
    assert!((2..80).contains(&rendered[1]), "{rendered:?}");
    assert!(
        rendered.iter().all(|&r| (1..266).contains(&r)),
        "{rendered:?}"
    );
}

#[test]
fn the_benchmark_corpus_in_three_languages_builds_without_problems() {
    let summary = measure::run(&measure::Args {
        articles: 200,
        search: false,
        check: false,
        serve: false,
        warm: false,
        keep: None,
        git: None,
        languages: 3,
    })
    .unwrap();
    // Each language: 200 articles, home and one section, the category and
    // tag indexes, one category, 60 tags and the 404 page.
    assert_eq!(summary.pages, 3 * (200 + 2 + 2 + 1 + 60 + 1));
    assert_eq!((summary.errors, summary.warnings), (0, 0));
}
