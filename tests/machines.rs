//! What the site offers machines: `llms.txt`, `llms-full.txt`, Markdown
//! copies of articles, JSON-LD, the OpenSearch description, and the edit and
//! history links to the forge. Each file is parsed, not matched as text.

mod common;

use common::git::{snapshot, GitRepo};
use common::{Built, TestSite};

const BASE: &str = "title: Acme Help\ndescription: Answers for Acme users.\nbase_url: https://help.example.com/docs/\n";

fn site(extra_config: &str) -> TestSite {
    TestSite::new()
        .file("kbgen.yaml", format!("{BASE}{extra_config}"))
        .file(
            "content/billing/_index.md",
            "---\ntitle: Billing\n---\n",
        )
        .article(
            "content/billing/refunds.md",
            "title: Refunds\ndescription: How money comes back.\ndate: 2025-02-01\nupdated: 2025-03-04",
            "Ask for one in [the portal](../account/portal.md#steps) or see [below](#by-card).\n\n\
             ![The refund form](img/form.png)\n\n\
             {% callout(type=\"warning\", title=\"Deadline\") %}\nWithin **30 days**, see [portal](../account/portal.md).\n{% end %}\n\n\
             Press {{ kbd(keys=[\"Ctrl\", \"R\"]) }} in {{ ui(path=\"Settings > Billing\") }}.\n\n\
             Write {{/* kbd(key=\"X\") */}} to show a key.\n\n\
             ```text\n{{ kbd(key=\"kept\") }} and [raw](../account/portal.md)\n```\n\n\
             <a href=\"../account/portal.md\">raw link</a>\n\n\
             ## By card\n\nCards take a week.\n",
        )
        .file("content/billing/img/form.png", b"\x89PNG\r\n\x1a\n")
        .article(
            "content/account/portal.md",
            "title: The portal\ndescription: Where accounts live.",
            "## Steps\n\nSign in.\n",
        )
        .article(
            "content/account/secret-plan.md",
            "title: Secret plan\ndescription: Not yet.\ndraft: true",
            "Unpublished words.\n",
        )
}

#[test]
fn llms_txt_follows_llmstxt_org() {
    let built = site("").drafts().build_ok();
    let text = built.text("llms.txt");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "# Acme Help");
    assert_eq!(lines[1], "");
    assert_eq!(lines[2], "> Answers for Acme users.");
    let sections: Vec<&str> = lines
        .iter()
        .filter(|l| l.starts_with("## "))
        .copied()
        .collect();
    assert_eq!(sections, ["## Account", "## Billing"]);
    let entries: Vec<&str> = lines
        .iter()
        .filter(|l| l.starts_with("- "))
        .copied()
        .collect();
    assert_eq!(
        entries,
        [
            "- [The portal](https://help.example.com/docs/account/portal/): Where accounts live.",
            "- [Refunds](https://help.example.com/docs/billing/refunds/): How money comes back.",
        ]
    );
    // No other heading level, and no draft, even in a build with drafts.
    assert!(lines.iter().all(|l| !l.starts_with("### ")));
    assert!(!text.contains("Secret plan"));
}

#[test]
fn llms_txt_links_the_markdown_copies_when_there_are_some() {
    let built = site("markdown_copies: true\nllms_full_txt: true\n").build_ok();
    let text = built.text("llms.txt");
    assert!(
        text.contains("- [Refunds](https://help.example.com/docs/billing/refunds/index.md): How money comes back."),
        "{text}"
    );
    assert!(
        text.contains("(https://help.example.com/docs/llms-full.txt)"),
        "{text}"
    );
}

#[test]
fn a_markdown_copy_is_plain_markdown_with_absolute_links() {
    let built = site("markdown_copies: true\n").build_ok();
    let copy = built.text("billing/refunds/index.md");
    let expected = "# Refunds\n\n> How money comes back.\n\n\
        Ask for one in [the portal](https://help.example.com/docs/account/portal/#steps) or see [below](https://help.example.com/docs/billing/refunds/#by-card).\n\n\
        ![The refund form](https://help.example.com/docs/billing/img/form.png)\n\n\n\
        > **Warning: Deadline**\n>\n> Within **30 days**, see [portal](https://help.example.com/docs/account/portal/).\n\n\n\
        Press `Ctrl+R` in **Settings › Billing**.\n\n\
        Write {{ kbd(key=\"X\") }} to show a key.\n\n\
        ```text\n{{ kbd(key=\"kept\") }} and [raw](../account/portal.md)\n```\n\n\
        <a href=\"https://help.example.com/docs/account/portal/\">raw link</a>\n\n\
        ## By card\n\nCards take a week.\n";
    assert_eq!(copy, expected);
    let alternate = built.attrs(
        "/billing/refunds/",
        "head link[rel=alternate][type='text/markdown']",
        "href",
    );
    assert_eq!(alternate, ["/docs/billing/refunds/index.md"]);
}

#[test]
fn markdown_copies_are_off_by_default_and_never_made_of_drafts() {
    let built = site("").build_ok();
    assert!(!built.has("billing/refunds/index.md"));
    assert!(!built.has("llms-full.txt"));
    assert!(built
        .attrs(
            "/billing/refunds/",
            "head link[type='text/markdown']",
            "href"
        )
        .is_empty());
    let built = site("markdown_copies: true\nllms_full_txt: true\n")
        .drafts()
        .build_ok();
    assert!(built.has("account/secret-plan/index.html"));
    assert!(!built.has("account/secret-plan/index.md"));
    assert!(!built.text("llms-full.txt").contains("Unpublished"));
}

#[test]
fn llms_full_txt_holds_every_published_article_in_site_order() {
    let built = site("llms_full_txt: true\n").build_ok();
    let text = built.text("llms-full.txt");
    let titles: Vec<&str> = text.lines().filter(|l| l.starts_with("# ")).collect();
    assert_eq!(titles, ["# Acme Help", "# The portal", "# Refunds"]);
    assert!(text.contains("> **Warning: Deadline**"));
    // The same text as the copy beside the page.
    let with_copies = site("llms_full_txt: true\nmarkdown_copies: true\n").build_ok();
    assert!(text.contains(&with_copies.text("billing/refunds/index.md")));
}

/// The JSON-LD of a page, parsed.
fn json_ld(built: &Built, url: &str) -> Vec<serde_json::Value> {
    let page = built.page(url);
    let selector = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    page.select(&selector)
        .map(|script| serde_json::from_str(&script.inner_html()).expect("JSON-LD parses"))
        .collect()
}

#[test]
fn articles_carry_json_ld_with_dates_and_breadcrumbs() {
    let built = site("").build_ok();
    let documents = json_ld(&built, "/billing/refunds/");
    assert_eq!(documents.len(), 1);
    let graph = documents[0]["@graph"].as_array().unwrap();
    assert_eq!(documents[0]["@context"], "https://schema.org");
    let article = &graph[0];
    assert_eq!(article["@type"], "TechArticle");
    assert_eq!(article["headline"], "Refunds");
    assert_eq!(article["description"], "How money comes back.");
    assert_eq!(article["datePublished"], "2025-02-01");
    assert_eq!(article["dateModified"], "2025-03-04");
    assert_eq!(
        article["url"],
        "https://help.example.com/docs/billing/refunds/"
    );
    let crumbs = &graph[1];
    assert_eq!(crumbs["@type"], "BreadcrumbList");
    let items: Vec<(u64, &str, &str)> = crumbs["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["position"].as_u64().unwrap(),
                i["name"].as_str().unwrap(),
                i["item"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            (1, "Home", "https://help.example.com/docs/"),
            (2, "Billing", "https://help.example.com/docs/billing/"),
            (
                3,
                "Refunds",
                "https://help.example.com/docs/billing/refunds/"
            ),
        ]
    );
    // Only articles have it.
    assert!(json_ld(&built, "/billing/").is_empty());
    assert!(json_ld(&site("json_ld: false\n").build_ok(), "/billing/refunds/").is_empty());
}

#[test]
fn json_ld_cannot_close_its_script_element() {
    let built = TestSite::new()
        .article(
            "content/a/tricky.md",
            "title: \"Ends </script><b>here\"\ndescription: \"A & B <!-- c\"",
            "Body.\n",
        )
        .build_ok();
    let html = built.text("a/tricky/index.html");
    let script = html.split("application/ld+json\">").nth(1).unwrap();
    let script = script.split("</script>").next().unwrap();
    assert!(!script.contains('<') && !script.contains('&'), "{script}");
    let documents = json_ld(&built, "/a/tricky/");
    assert_eq!(
        documents[0]["@graph"][0]["headline"],
        "Ends </script><b>here"
    );
    assert_eq!(documents[0]["@graph"][0]["description"], "A & B <!-- c");
}

#[test]
fn drafts_get_no_json_ld() {
    let built = site("").drafts().build_ok();
    assert!(json_ld(&built, "/account/secret-plan/").is_empty());
}

#[test]
fn the_opensearch_description_is_valid_and_announced() {
    let built = TestSite::new()
        .file(
            "kbgen.yaml",
            "title: Acme Corporation Help Center\nbase_url: https://help.example.com/docs/\n",
        )
        .article("content/a/x.md", "title: X", "Body.\n")
        .search()
        .build_ok();
    let xml = built.text("opensearch.xml");
    let doc = roxmltree::Document::parse(&xml).expect("the description parses as XML");
    let root = doc.root_element();
    let ns = "http://a9.com/-/spec/opensearch/1.1/";
    assert_eq!(root.tag_name().name(), "OpenSearchDescription");
    assert_eq!(root.tag_name().namespace(), Some(ns));
    let child = |name: &str| {
        root.children()
            .find(|c| c.has_tag_name((ns, name)))
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let short = child("ShortName").text().unwrap();
    assert!(short.chars().count() <= 16, "{short}");
    assert_eq!(short, "Acme Corporation");
    let templates: Vec<(&str, &str)> = root
        .children()
        .filter(|c| c.has_tag_name((ns, "Url")))
        .map(|u| {
            (
                u.attribute("type").unwrap(),
                u.attribute("template").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        templates,
        [
            (
                "text/html",
                "https://help.example.com/docs/search/?q={searchTerms}"
            ),
            (
                "application/opensearchdescription+xml",
                "https://help.example.com/docs/opensearch.xml"
            ),
        ]
    );
    let links = built.attrs("/a/x/", "head link[rel=search]", "href");
    assert_eq!(links, ["/docs/opensearch.xml"]);
    assert_eq!(
        built.attrs("/", "head link[rel=search]", "type"),
        ["application/opensearchdescription+xml"]
    );
}

#[test]
fn no_opensearch_without_search_or_base_url() {
    for config in [
        "title: A\n",
        "title: A\nbase_url: https://a.example/\nsearch: false\n",
    ] {
        let built = TestSite::new()
            .file("kbgen.yaml", config)
            .article("content/a/x.md", "title: X", "Body.\n")
            .search()
            .build_ok();
        assert!(!built.has("opensearch.xml"), "{config}");
        assert!(built
            .attrs("/a/x/", "head link[rel=search]", "href")
            .is_empty());
    }
}

#[test]
fn a_hand_kept_llms_txt_replaces_the_generated_one() {
    let built = site("")
        .file("static/llms.txt", "# Our own map\n")
        .build_ok();
    assert_eq!(built.text("llms.txt"), "# Our own map\n");
}

/// The edit and history links of the refunds article with `config`.
fn forge_links(built: &Built) -> (Vec<String>, Vec<String>) {
    (
        built.attrs("/billing/refunds/", "a.article-source__edit", "href"),
        built.attrs("/billing/refunds/", "a.article-source__history", "href"),
    )
}

#[test]
fn edit_and_history_links_take_each_forge_s_url_shape() {
    let cases = [
        (
            "repo_url: https://github.com/acme/help/\nedit_branch: main\n",
            "https://github.com/acme/help/edit/main/content/billing/refunds.md",
            "https://github.com/acme/help/commits/main/content/billing/refunds.md",
        ),
        (
            // A clone URL, as people copy it: the web pages have no `.git`.
            "repo_url: https://github.com/acme/help.git\nedit_branch: main\n",
            "https://github.com/acme/help/edit/main/content/billing/refunds.md",
            "https://github.com/acme/help/commits/main/content/billing/refunds.md",
        ),
        (
            "repo_url: https://gitlab.com/acme/help.git/\nedit_branch: main\n",
            "https://gitlab.com/acme/help/-/edit/main/content/billing/refunds.md",
            "https://gitlab.com/acme/help/-/commits/main/content/billing/refunds.md",
        ),
        (
            "repo_url: https://gitlab.com/acme/help\nedit_branch: main\n",
            "https://gitlab.com/acme/help/-/edit/main/content/billing/refunds.md",
            "https://gitlab.com/acme/help/-/commits/main/content/billing/refunds.md",
        ),
        (
            "repo_url: https://codeberg.org/acme/help\nedit_branch: main\n",
            "https://codeberg.org/acme/help/_edit/main/content/billing/refunds.md",
            "https://codeberg.org/acme/help/commits/branch/main/content/billing/refunds.md",
        ),
        (
            "repo_url: https://git.acme.example/acme/help\nrepo_kind: gitlab\nedit_branch: release/2.0\n",
            "https://git.acme.example/acme/help/-/edit/release/2.0/content/billing/refunds.md",
            "https://git.acme.example/acme/help/-/commits/release/2.0/content/billing/refunds.md",
        ),
    ];
    for (config, edit, history) in cases {
        let built = site(config).build_ok();
        assert_eq!(
            forge_links(&built),
            (vec![edit.to_string()], vec![history.to_string()]),
            "{config}"
        );
    }
    assert_eq!(forge_links(&site("").build_ok()), (vec![], vec![]));
}

#[test]
fn edit_links_use_the_checked_out_branch_and_the_site_s_folder_in_the_repository() {
    let repo_dir = tempfile::tempdir().unwrap();
    let repo = GitRepo::init(repo_dir.path());
    let head = repo.commit(
        &snapshot(&[("README.md", "hi\n")]),
        1_700_000_000,
        "Ann",
        &[],
    );
    repo.set_main(head);
    let site_root = repo_dir.path().join("docs site");
    let site = TestSite::at(&site_root)
        .file(
            "kbgen.yaml",
            "title: A\nrepo_url: https://github.com/acme/help\n",
        )
        .article("content/a/my page.md", "title: Page\nslug: page", "Body.\n");
    let built = site.build_ok();
    assert_eq!(
        built.attrs("/a/page/", "a.article-source__edit", "href"),
        ["https://github.com/acme/help/edit/main/docs%20site/content/a/my%20page.md"]
    );
}

#[test]
fn a_forge_that_cannot_be_told_from_repo_url_is_a_config_error() {
    let site = site("repo_url: https://git.acme.example/acme/help\n");
    let error = kbgen::build::build_site(
        &kbgen::build::BuildOptions {
            root: site.root().to_path_buf(),
            ..Default::default()
        },
        &kbgen::output::NullSink,
    )
    .expect_err("a configuration error");
    let kbgen::build::SetupError::Config(diagnostic) = error;
    assert!(
        diagnostic.message.contains("which forge"),
        "{}",
        diagnostic.message
    );
    assert_eq!(diagnostic.line, 4);
    assert!(diagnostic.help.unwrap().contains("repo_kind"));
}

#[test]
fn the_preview_serves_the_same_files_and_remakes_only_what_changed() {
    use kbgen::build::{preview::Preview, BuildOptions, Changes};
    let site = site("markdown_copies: true\nllms_full_txt: true\n");
    let mut preview = Preview::new(BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    });
    assert!(preview.rebuild(&Changes::everything()).published);
    let served = common::served(&preview);
    let built = site.build_ok();
    for file in ["llms.txt", "llms-full.txt", "billing/refunds/index.md"] {
        assert_eq!(served[file], built.files[file], "{file}");
    }
    let site = site.article(
        "content/account/portal.md",
        "title: The portal\ndescription: Where accounts live.",
        "## Steps\n\nSign in, then look around.\n",
    );
    let changes = Changes {
        content: ["account/portal.md".to_string()].into_iter().collect(),
        ..Changes::default()
    };
    assert!(preview.rebuild(&changes).published);
    let served = common::served(&preview);
    let built = site.build_ok();
    assert!(String::from_utf8_lossy(&served["account/portal/index.md"]).contains("look around"));
    for file in [
        "llms.txt",
        "llms-full.txt",
        "billing/refunds/index.md",
        "account/portal/index.md",
    ] {
        assert_eq!(served[file], built.files[file], "{file}");
    }
}
