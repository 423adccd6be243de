//! Cross-links that never break: every link form, anchors, files, drafts,
//! related entries, suggestions, aliases, sitemap and feed.

mod common;
use common::TestSite;

/// A site with two sections to link between.
fn site() -> TestSite {
    TestSite::new()
        .article(
            "content/Jira Cloud/oauth-401.md",
            "title: OAuth 401\ndate: 2026-01-10",
            "## Fix it\n\n### Step {#step-one}\n\n<div id=\"raw-box\">x</div>\n",
        )
        .article(
            "content/Jira Cloud/ssh-keys.md",
            "title: SSH keys\nupdated: 2026-02-01",
            "Text.\n",
        )
        .file("content/Jira Cloud/img/shot.png", b"PNG")
        .file("static/files/guide.pdf", b"PDF")
}

/// The errors of a build, as headlines.
fn headlines(built: &common::Built) -> Vec<String> {
    built.errors().iter().map(|d| d.headline()).collect()
}

#[test]
fn every_good_link_form_resolves_and_is_rewritten() {
    let built = site()
        .article(
            "content/guides/start.md",
            "title: Start",
            "[a](../Jira%20Cloud/oauth-401.md#fix-it) [b](@/Jira%20Cloud/ssh-keys.md) [c](/jira-cloud/oauth-401#step-one)\n[d](/jira-cloud/ssh-keys/) [e][ref] [f](../../jira-cloud/oauth-401/#raw-box) [g](#own)\n![h](/files/guide.pdf) [i](../Jira%20Cloud/_index.md)\n\n## Own\n\n[ref]: <@/Jira Cloud/oauth-401.md>\n",
        )
        .build_ok();
    assert!(
        built
            .report
            .diagnostics
            .iter()
            .all(|d| d.code.starts_with("lint/")),
        "{:?}",
        headlines(&built)
    );
    assert_eq!(
        built.attrs("/guides/start/", ".article-body a", "href"),
        [
            "/jira-cloud/oauth-401/#fix-it",
            "/jira-cloud/ssh-keys/",
            "/jira-cloud/oauth-401/#step-one",
            "/jira-cloud/ssh-keys/",
            "/jira-cloud/oauth-401/",
            "/jira-cloud/oauth-401/#raw-box",
            "#own",
            "/jira-cloud/",
            "#own",
        ]
    );
    assert_eq!(
        built.attrs("/guides/start/", ".article-body img", "src"),
        ["/files/guide.pdf"]
    );
}

#[test]
fn every_broken_link_is_reported_at_its_line_and_column_in_one_run() {
    let built = site()
        .article(
            "content/guides/start.md",
            "title: Start",
            "[a](../Jira%20Cloud/oauth-40.md)\n[b](/jira-cloud/oauth-401/#nope)\n[c](#missing)\n![d](img/none.png)\n<a href=\"/jira-cloud/sshkeys/\">e</a>\n[f](/Jira-Cloud/ssh-keys/)\n",
        )
        .build();
    assert_eq!(
        headlines(&built),
        [
            "content/guides/start.md:4:1: error[broken-link]: broken link: `../Jira%20Cloud/oauth-40.md` points to nothing this build writes",
            "content/guides/start.md:5:1: error[broken-link]: broken link `/jira-cloud/oauth-401/#nope`: `#nope` is not an anchor of /jira-cloud/oauth-401/",
            "content/guides/start.md:6:1: error[broken-link]: broken link `#missing`: `#missing` is not an anchor of /guides/start/",
            "content/guides/start.md:7:1: error[broken-link]: broken image: `img/none.png` points to nothing this build writes",
            "content/guides/start.md:8:10: error[broken-link]: broken link: `/jira-cloud/sshkeys/` points to nothing this build writes",
            "content/guides/start.md:9:1: error[broken-link]: broken link: `/Jira-Cloud/ssh-keys/` points to nothing this build writes",
        ]
    );
    let helps: Vec<Option<&str>> = built.errors().iter().map(|d| d.help.as_deref()).collect();
    assert_eq!(helps[0], Some("did you mean `@/Jira Cloud/oauth-401.md`?"));
    assert_eq!(helps[4], Some("did you mean `/jira-cloud/ssh-keys/`?"));
    assert_eq!(
        helps[5],
        Some("paths are case-sensitive on the web server: did you mean `/jira-cloud/ssh-keys/`?")
    );
}

#[test]
fn the_same_broken_anchor_is_reported_at_every_occurrence() {
    let built = site()
        .article(
            "content/guides/repeat.md",
            "title: Repeat",
            "- see [the fix](#nope)\n\nAs said, [the fix](#nope) helps.\n\n| where | link |\n|---|---|\n| here | [the fix](#nope) |\n",
        )
        .build();
    let lines: Vec<usize> = built.errors().iter().map(|d| d.line).collect();
    assert_eq!(lines, [4, 6, 10], "{:?}", headlines(&built));
}

#[test]
fn percent_encoded_fragments_match_the_decoded_heading_id() {
    let built = site()
        .article(
            "content/guides/umlaut.md",
            "title: Umlaut",
            "## Übersicht\n\n## Größe ändern\n\n[top](#%C3%BCbersicht)\n",
        )
        .article(
            "content/guides/other.md",
            "title: Other",
            "[resize](umlaut.md#gr%C3%B6%C3%9Fe-%C3%A4ndern) and [broken](umlaut.md#gr%C3%B6%C3%9Fe)\n",
        )
        .build();
    assert_eq!(
        headlines(&built),
        ["content/guides/other.md:4:53: error[broken-link]: broken link `umlaut.md#gr%C3%B6%C3%9Fe`: `#gr%C3%B6%C3%9Fe` is not an anchor of /guides/umlaut/"]
    );
}

#[test]
fn links_to_an_alias_folder_url_in_any_form_are_valid() {
    let built = site()
        .article(
            "content/guides/moved.md",
            "title: Moved\naliases:\n  - /kb/legacy/index.html\n  - /kb/old",
            "Text.\n",
        )
        .article(
            "content/guides/linker.md",
            "title: Linker",
            "[a](/kb/legacy/) [b](/kb/legacy/index.html) [c](/kb/legacy) [d](/kb/old/) [e](/kb/old/index.html)\n",
        )
        .build();
    assert_eq!(headlines(&built), Vec::<String>::new());
    assert!(built.has("kb/legacy/index.html") && built.has("kb/old/index.html"));
}

#[test]
fn query_strings_are_kept_when_links_are_rewritten() {
    let built = site()
        .article(
            "content/guides/query.md",
            "title: Query",
            "[a](../Jira%20Cloud/oauth-401.md?ui=mvc#fix-it) [b](/jira-cloud/ssh-keys/?ui=blazor) ![c](../Jira%20Cloud/img/shot.png?v=2) [d](/files/guide.pdf?download=1)\n",
        )
        .build();
    assert_eq!(headlines(&built), Vec::<String>::new());
    assert_eq!(
        built.attrs("/guides/query/", ".article-body a", "href"),
        [
            "/jira-cloud/oauth-401/?ui=mvc#fix-it",
            "/jira-cloud/ssh-keys/?ui=blazor",
            "/files/guide.pdf?download=1",
        ]
    );
    assert_eq!(
        built.attrs("/guides/query/", ".article-body img", "src"),
        ["/jira-cloud/img/shot.png?v=2"]
    );
}

#[test]
fn raw_html_urls_relative_to_the_file_are_rewritten_like_markdown_links() {
    let built = site()
        .article(
            "content/intro/overview.md",
            "title: Overview",
            "<img src=\"images/panel.png\" alt=\"Panel\">\n\n<p><a href=\"wiring.md#steps\">Wiring</a> and <a href='/jira-cloud/ssh-keys/'>keys</a> and <a href=\"https://example.com/\">out</a></p>\n\n<picture><source srcset=\"images/panel.png 1x, images/big.png 2x\"><img src=\"images/panel.png\" alt=\"x\"></picture>\n\n<img srcset=\"images/gone.png 2x\" alt=\"y\">\n",
        )
        .article("content/intro/wiring.md", "title: Wiring", "## Steps\n")
        .file("content/intro/images/panel.png", b"PNG")
        .file("content/intro/images/big.png", b"PNG")
        .base_url("https://help.example.com/docs/")
        .build();
    assert_eq!(
        headlines(&built),
        ["content/intro/overview.md:10:14: error[broken-link]: broken image: `images/gone.png` points to nothing this build writes"]
    );
    assert_eq!(
        built.attrs("/intro/overview/", ".article-body source", "srcset"),
        ["/docs/intro/images/panel.png 1x, /docs/intro/images/big.png 2x"]
    );
    assert_eq!(
        built.attrs("/intro/overview/", ".article-body img[src]", "src"),
        [
            "/docs/intro/images/panel.png",
            "/docs/intro/images/panel.png"
        ]
    );
    assert_eq!(
        built.attrs("/intro/overview/", ".article-body a", "href"),
        [
            "/docs/intro/wiring/#steps",
            "/docs/jira-cloud/ssh-keys/",
            "https://example.com/"
        ]
    );
}

#[test]
fn links_broken_warn_turns_errors_into_warnings() {
    let built = site()
        .file("kbgen.yaml", "links:\n  broken: warn\n")
        .article(
            "content/guides/start.md",
            "title: Start",
            "[a](nowhere.md)\n",
        )
        .build_ok();
    let broken: Vec<_> = built
        .warnings()
        .into_iter()
        .filter(|d| d.code == "broken-link")
        .collect();
    assert_eq!(broken.len(), 1);
}

#[test]
fn images_beside_the_article_and_in_static_are_found() {
    let built = site()
        .article(
            "content/Jira Cloud/howto.md",
            "title: How to",
            "![a](img/shot.png) ![b](/files/guide.pdf)\n",
        )
        .build_ok();
    assert_eq!(
        built.attrs("/jira-cloud/howto/", ".article-body img", "src"),
        ["/jira-cloud/img/shot.png", "/files/guide.pdf"]
    );
}

#[test]
fn related_entries_good_and_broken() {
    let built = site()
        .article(
            "content/guides/start.md",
            "title: Start\nrelated:\n  - ../Jira Cloud/oauth-401.md\n  - /jira-cloud/ssh-key/",
            "",
        )
        .build();
    assert_eq!(
        headlines(&built),
        ["content/guides/start.md:5:5: error[broken-link]: related article `/jira-cloud/ssh-key/` does not match any article; did you mean `/jira-cloud/ssh-keys/`?"]
    );
}

#[test]
fn a_link_into_a_draft_is_an_error_that_would_404() {
    let site = site()
        .article("content/guides/wip.md", "title: WIP\ndraft: true", "")
        .article(
            "content/guides/start.md",
            "title: Start",
            "See [the draft](wip.md).\n",
        );
    assert_eq!(
        headlines(&site.build()),
        ["content/guides/start.md:4:5: error[broken-link]: broken link `wip.md`: links to /guides/wip/, an article marked `draft: true`, which this build leaves out"]
    );
    site.drafts().build_ok();
}

#[test]
fn aliases_write_redirect_pages_and_redirects_lines() {
    let built = site()
        .article(
            "content/guides/start.md",
            "title: Start\naliases: [/old/start/, /legacy/start.html]",
            "",
        )
        .article(
            "content/guides/other.md",
            "title: Other",
            "[old](/old/start/)\n",
        )
        .build_ok();
    assert_eq!(
        built.text("_redirects"),
        "/legacy/start.html /guides/start/ 301\n/old/start/ /guides/start/ 301\n"
    );
    let redirect = built.page("/old/start/");
    let refresh = scraper::Selector::parse("meta[http-equiv=refresh]").unwrap();
    let content = redirect
        .select(&refresh)
        .next()
        .unwrap()
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    assert_eq!(content, "0; url=/guides/start/");
    assert_eq!(
        built.attrs("/old/start/", "body a", "href"),
        ["/guides/start/"]
    );
    assert!(built.has("legacy/start.html"));
    // A link to an old URL is rewritten to the article's current one.
    assert_eq!(
        built.attrs("/guides/other/", ".article-body a", "href"),
        ["/guides/start/"]
    );
}

#[test]
fn alias_collisions_name_both_files() {
    let built = site()
        .article(
            "content/guides/a.md",
            "title: A\naliases: [/jira-cloud/ssh-keys/]",
            "",
        )
        .article("content/guides/b.md", "title: B\naliases: [/old/]", "")
        .article(
            "content/guides/c.md",
            "title: C\naliases: [/old/, ../../etc]",
            "",
        )
        .build();
    assert_eq!(
        headlines(&built),
        [
            "content/guides/a.md:3:11: error[alias]: alias `/jira-cloud/ssh-keys/` collides with the page of content/Jira Cloud/ssh-keys.md at /jira-cloud/ssh-keys/",
            "content/guides/c.md:3:11: error[alias]: alias `/old/` collides with an alias of content/guides/b.md at /old/",
            "content/guides/c.md:3:18: error[alias]: alias `../../etc` is not a path of this site",
        ]
    );
}

#[test]
fn backlinks_and_previous_next_reach_the_article_view() {
    let built = site()
        .article("content/guides/a.md", "title: A\nweight: 1", "[x](../Jira%20Cloud/ssh-keys.md) [again](/jira-cloud/ssh-keys/)\n")
        .article("content/guides/b.md", "title: B\nweight: 2", "[y](<@/Jira Cloud/ssh-keys.md>)\n")
        .file(
            "templates/article.html",
            "<ul id=\"back\">{% for b in page.backlinks %}<li>{{ b.title }}</li>{% endfor %}</ul><p id=\"prev\">{% if page.previous %}{{ page.previous.title }}{% endif %}</p><p id=\"next\">{% if page.next %}{{ page.next.title }}{% endif %}</p>",
        )
        .build_ok();
    assert_eq!(built.texts("/jira-cloud/ssh-keys/", "#back li"), ["A", "B"]);
    assert_eq!(built.texts("/jira-cloud/ssh-keys/", "#prev"), ["OAuth 401"]);
    assert_eq!(built.texts("/jira-cloud/ssh-keys/", "#next"), [""]);
    assert_eq!(built.texts("/guides/a/", "#prev"), [""]);
    assert_eq!(built.texts("/guides/a/", "#next"), ["B"]);
}

#[test]
fn sitemap_and_feed_are_valid_xml_with_absolute_urls_and_content_dates() {
    let built = site().base_url("https://example.com/help/").build_ok();
    let sitemap = built.text("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        locs.contains(&"https://example.com/help/jira-cloud/oauth-401/"),
        "{locs:?}"
    );
    assert!(locs.contains(&"https://example.com/help/"), "{locs:?}");
    assert!(locs
        .iter()
        .all(|l| l.starts_with("https://example.com/help/")));
    let lastmods: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("lastmod"))
        .filter_map(|n| n.text())
        .collect();
    assert!(lastmods.contains(&"2026-02-01"), "{lastmods:?}");

    let feed = built.text("feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    let updated = root
        .children()
        .find(|n| n.has_tag_name("updated"))
        .and_then(|n| n.text());
    assert_eq!(updated, Some("2026-02-01T00:00:00Z"));
    let titles: Vec<&str> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| {
            e.children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|n| n.text())
        })
        .collect();
    assert_eq!(titles, ["SSH keys", "OAuth 401"]);
    assert!(built
        .text("robots.txt")
        .contains("Sitemap: https://example.com/help/sitemap.xml"));
}

#[test]
fn without_base_url_sitemap_and_feed_are_skipped_with_a_note() {
    let sink = kbgen::output::MemorySink::default();
    let site = site();
    let outcome = kbgen::build::build_site(
        &kbgen::build::BuildOptions {
            root: site.root().to_path_buf(),
            ..Default::default()
        },
        &sink,
    )
    .unwrap();
    assert_eq!(outcome.notes.len(), 1);
    assert!(outcome.notes[0].starts_with("sitemap.xml and feed.xml were skipped"));
    let files = sink.into_files();
    assert!(!files.contains_key("sitemap.xml") && !files.contains_key("feed.xml"));
    assert!(files.contains_key("robots.txt"));
}

#[test]
fn full_urls_of_the_site_itself_are_checked_like_site_paths() {
    let built = site()
        .base_url("https://help.example.com/docs/")
        .article(
            "content/guides/absolute.md",
            "title: Absolute",
            "[ok](https://help.example.com/docs/jira-cloud/ssh-keys/) [anchor](https://help.example.com/docs/jira-cloud/oauth-401/#nope) [gone](https://help.example.com/docs/contact/) [other site](https://example.com/docs/contact/)\n",
        )
        .build();
    assert_eq!(
        headlines(&built),
        [
            "content/guides/absolute.md:4:58: error[broken-link]: broken link `https://help.example.com/docs/jira-cloud/oauth-401/#nope`: `#nope` is not an anchor of /jira-cloud/oauth-401/",
            "content/guides/absolute.md:4:125: error[broken-link]: broken link: `https://help.example.com/docs/contact/` points to nothing this build writes",
        ]
    );
    // Left as written: an absolute URL is meant to stay absolute.
    assert_eq!(
        built.attrs("/guides/absolute/", ".article-body a", "href")[0],
        "https://help.example.com/docs/jira-cloud/ssh-keys/"
    );
}

#[test]
fn file_names_that_need_escaping_keep_it_in_every_url() {
    let built = site()
        .file("content/guides/img/c#.png", b"PNG")
        .file("content/guides/img/a b.png", b"PNG")
        .article(
            "content/guides/escaped.md",
            "title: Escaped",
            "![md](img/c%23.png) <img src=\"img/c%23.png\" alt=\"raw\">\n\n<img srcset=\"img/a%20b.png 2x, img/c%23.png 1x\" alt=\"set\"> <a href=\"img/a%20b.png\">file</a>\n",
        )
        .build();
    assert_eq!(headlines(&built), Vec::<String>::new());
    assert!(built.has("guides/img/c#.png") && built.has("guides/img/a b.png"));
    assert_eq!(
        built.attrs("/guides/escaped/", ".article-body img[src]", "src"),
        ["/guides/img/c%23.png", "/guides/img/c%23.png"]
    );
    assert_eq!(
        built.attrs("/guides/escaped/", ".article-body img[srcset]", "srcset"),
        ["/guides/img/a%20b.png 2x, /guides/img/c%23.png 1x"]
    );
    assert_eq!(
        built.attrs("/guides/escaped/", ".article-body a", "href"),
        ["/guides/img/a%20b.png"]
    );
}

/// An unclosed `<pre>` in a table cell ends with the cell: the anchor after
/// the table is still an anchor (it was hidden as code to the end of the page).
#[test]
fn an_unclosed_pre_in_inline_html_ends_with_its_block() {
    let built = TestSite::new()
        .file("kbgen.yaml", "title: T\n")
        .article(
            "content/s/a.md",
            "title: A\ndescription: d",
            "[one](#later)\n\n| a | b |\n|---|---|\n| x | <em>see <pre></em> |\n\n<a id=\"later\"></a>\n\nAnd [a link](#nowhere).\n",
        )
        .build();
    let broken: Vec<String> = built.errors().iter().map(|d| d.message.clone()).collect();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert!(broken[0].contains("#nowhere"), "{broken:?}");
}

/// A link from a translation keeps the source's anchor when it is written
/// to the source file, and goes to the translation: the help names the
/// translation's heading in the same place, which no spelling distance finds.
#[test]
fn an_anchor_of_the_source_in_a_link_to_its_translation_gets_the_translated_heading() {
    let site = TestSite::new()
        .file(
            "kbgen.yaml",
            "title: Help\nlanguages:\n  - code: en\n    name: English\n  - code: de\n    name: Deutsch\n",
        )
        .article(
            "content/account/password.md",
            "title: Reset your password",
            "## Problem\n\nText.\n\n## Solution\n\nText.\n",
        )
        .article(
            "content/account/password.de.md",
            "title: Passwort zurücksetzen\nslug: passwort",
            "## Problem\n\nText.\n\n## Lösung\n\nText.\n",
        )
        .article("content/account/login.md", "title: Login", "Text.\n")
        .article(
            "content/account/login.de.md",
            "title: Anmelden",
            "Siehe [die Lösung](password.md#solution).\n",
        );
    let built = site.build();
    let errors = built.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let help = errors[0].help.as_deref().unwrap_or_default();
    assert!(
        help.contains("the Deutsch translation, content/account/password.de.md"),
        "{help}"
    );
    assert!(help.contains("is `#lösung`: did you mean it?"), "{help}");

    // The other way: a language without a translation falls back to the
    // source, and the anchor was copied from the German text.
    let site = site
        .file(
            "kbgen.yaml",
            "title: Help\nlanguages:\n  - code: en\n    name: English\n  - code: de\n    name: Deutsch\n  - code: pt-BR\n    name: Português\n",
        )
        .article("content/account/login.de.md", "title: Anmelden", "Text.\n")
        .article(
            "content/account/login.pt-BR.md",
            "title: Entrar",
            "Veja [a solução](password.md#lösung).\n",
        );
    let built = site.build();
    let errors = built.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let help = errors[0].help.as_deref().unwrap_or_default();
    assert!(
        help.contains("the link goes to the source, content/account/password.md; `#lösung` is a heading of its Deutsch translation, and the same heading there is `#solution`"),
        "{help}"
    );
}
