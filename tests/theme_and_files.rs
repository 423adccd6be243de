//! The embedded theme, site overrides, static files and the highlight stylesheet.

mod common;
use common::TestSite;

fn one_article() -> TestSite {
    TestSite::new().article("content/s/a.md", "title: A", "Text.\n")
}

#[test]
fn a_folder_with_only_content_gets_the_embedded_theme() {
    let built = one_article().build_ok();
    for file in [
        "kbgen.css",
        "favicon.svg",
        "highlight.css",
        "index.html",
        "404.html",
        "s/index.html",
        "s/a/index.html",
    ] {
        assert!(built.has(file), "missing {file}");
    }
    assert_eq!(built.texts("/s/a/", "a.skip-link"), ["Skip to content"]);
}

#[test]
fn a_site_template_overrides_the_theme_and_others_still_extend_it() {
    let built = one_article()
        .file(
            "templates/base.html",
            "<html><body><main id=\"main\">{% block content %}{% endblock content %}</main><footer>custom footer</footer></body></html>",
        )
        .build_ok();
    // article.html is the theme's, but it extends the site's base.html.
    assert_eq!(built.texts("/s/a/", "footer"), ["custom footer"]);
    assert_eq!(built.texts("/s/a/", "main h1"), ["A"]);
}

#[test]
fn head_extra_and_footer_extra_blocks_take_site_additions() {
    let built = one_article()
        .file(
            "templates/base.html",
            "{% extends \"theme/base.html\" %}{% block head_extra %}<script src=\"/analytics.js\"></script>{% endblock head_extra %}{% block footer_extra %}<p class=\"banner\">Beta</p>{% endblock footer_extra %}",
        )
        .build_ok();
    assert_eq!(
        built.attrs("/s/a/", "head script", "src"),
        ["/analytics.js"]
    );
    assert_eq!(built.texts("/s/a/", "p.banner"), ["Beta"]);
    assert_eq!(built.texts("/s/a/", "h1"), ["A"]);
}

#[test]
fn template_front_matter_picks_another_template() {
    let built = TestSite::new()
        .article("content/s/a.md", "title: A\ntemplate: landing.html", "")
        .file(
            "templates/landing.html",
            "<p id=\"landing\">{{ page.title }}</p>",
        )
        .build_ok();
    assert_eq!(built.texts("/s/a/", "#landing"), ["A"]);
}

#[test]
fn a_broken_site_template_is_reported_at_its_line() {
    let built = one_article()
        .file("templates/article.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title \n{% endblock content %}")
        .build();
    let errors = built.errors();
    assert!(!errors.is_empty());
    assert_eq!(
        errors[0].path,
        std::path::Path::new("templates/article.html")
    );
    assert_eq!(errors[0].code, "template");
    assert!(errors[0].line >= 3, "{}", errors[0].headline());
}

#[test]
fn a_missing_template_named_in_front_matter_is_an_error_at_the_article() {
    let built = TestSite::new()
        .article("content/s/a.md", "title: A\ntemplate: nope.html", "")
        .build();
    assert_eq!(
        built.errors()[0].headline(),
        "content/s/a.md:3:1: error[template]: `template: nope.html` names no template"
    );
}

#[test]
fn site_static_files_are_copied_over_the_theme() {
    let built = one_article()
        .file("static/kbgen.css", "body { color: red }")
        .file("static/images/logo.png", b"PNG")
        .file("static/.DS_Store", "junk")
        .file("static/.env", "SECRET=1")
        .file(
            "static/.well-known/security.txt",
            "Contact: mailto:security@example.com",
        )
        .build_ok();
    assert_eq!(built.text("kbgen.css"), "body { color: red }");
    assert_eq!(built.files["images/logo.png"], b"PNG");
    assert!(!built.has(".DS_Store") && !built.has(".env"));
    assert_eq!(
        built.text(".well-known/security.txt"),
        "Contact: mailto:security@example.com"
    );
}

#[test]
fn highlight_themes_come_from_config_and_unknown_ones_are_config_errors() {
    let site = one_article().file("kbgen.yaml", "highlight:\n  light: GitHub\n  dark: Nord\n");
    let css = site.build_ok().text("highlight.css");
    assert!(css.contains("theme \"GitHub\""), "{}", &css[..200]);
    assert!(css.contains("Nord"));

    let broken = one_article().file("kbgen.yaml", "highlight:\n  light: Nope\n");
    let result = kbgen::build::build_site(
        &kbgen::build::BuildOptions {
            root: broken.root().to_path_buf(),
            ..Default::default()
        },
        &kbgen::output::MemorySink::default(),
    );
    match result {
        Err(kbgen::build::SetupError::Config(d)) => assert!(
            d.message.contains("unknown highlight theme `Nope`"),
            "{}",
            d.message
        ),
        Ok(_) => panic!("an unknown theme must fail the build"),
    }
}

#[test]
fn the_header_lists_eight_sections_and_links_to_the_rest() {
    let mut site = common::TestSite::new();
    for i in 0..10 {
        site = site.article(
            &format!("content/s{i}/a.md"),
            &format!("title: A{i}"),
            "Text.",
        );
    }
    let built = site.build_ok();
    let nav = built.texts("/s3/a/", ".site-nav a");
    assert_eq!(nav.len(), 9, "{nav:?}");
    assert_eq!(nav.last().map(String::as_str), Some("All sections"));
    assert_eq!(
        built
            .attrs("/s3/a/", ".site-nav a", "href")
            .last()
            .map(String::as_str),
        Some("/#sections")
    );
    assert_eq!(
        built
            .attrs("/", "#sections .section-card__title a", "href")
            .len(),
        10
    );

    let few = one_article().build_ok();
    assert_eq!(few.texts("/s/a/", ".site-nav a"), ["S"]);
}
