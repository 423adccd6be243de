//! Every file kbgen writes is valid for its format, whatever the titles,
//! descriptions, terms and aliases say: hostile strings go through the
//! sitemap and feed (parsed as XML), every HTML page (parsed, the title read
//! back, no element injected), redirect pages and `_redirects` (one rule of
//! three fields a line).

mod common;
use common::TestSite;

/// Strings that break naive writers: markup, quotes, entities, CDATA and
/// comment ends, characters XML 1.0 forbids, a BOM, a right-to-left mark,
/// non-characters, emoji. Written as YAML double-quoted escapes.
const HOSTILE: &[&str] = &[
    r#"</title><script>alert(1)</script>"#,
    r#"Tom & Jerry's \"quote\" <b>bold</b>"#,
    r#"]]> <!-- --> <![CDATA[ x ]]>"#,
    r#"&amp; &lt; &#0; &#x1; &bogus;"#,
    r#"bell\a escape\e null\0 vt\v ff\f"#,
    r#"\uFEFF bom \u200F rtl \uFFFE \uFFFF"#,
    r#"emoji 🚀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"#,
    r#"line\u2028sep \u0085 nel"#,
    r#"{{ page.title }} {% raw %}"#,
];

fn hostile_site() -> TestSite {
    let mut site = TestSite::new()
        .base_url("https://help.example.com/docs/")
        .file("kbgen.yaml", "title: \"Help & <Support>\"\n");
    for (i, text) in HOSTILE.iter().enumerate() {
        let front = format!(
            "title: \"T{i} {text}\"\ndescription: \"D{i} {text}\"\ndate: 2026-01-0{}\ntaxonomy:\n  category: \"Cat {text}\"\n  tag: [\"tag{i} {text}\"]\naliases:\n  - /old/{i}/",
            i % 9 + 1
        );
        site = site.article(&format!("content/sec/a{i}.md"), &front, "Body.\n");
    }
    site
}

/// The text of a title as a reader's browser shows it: what the writer wrote,
/// with the characters no document may hold replaced.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
        .collect()
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[test]
fn sitemap_and_feed_parse_as_xml_whatever_the_titles() {
    let built = hostile_site().build();
    assert!(built.errors().is_empty(), "{:?}", built.errors());
    for file in ["sitemap.xml", "feed.xml"] {
        let text = built.text(file);
        let document = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{file} is not XML: {e}\n{text}"));
        assert!(document.root_element().children().count() > 1, "{file}");
    }
    let feed = built.text("feed.xml");
    let feed = roxmltree::Document::parse(&feed).unwrap();
    let titles: Vec<String> = feed
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|entry| entry.children().find(|n| n.has_tag_name("title")))
        .filter_map(|title| title.text().map(String::from))
        .collect();
    assert_eq!(titles.len(), HOSTILE.len());
    for title in &titles {
        assert!(title.starts_with('T'), "{title:?}");
    }
}

#[test]
fn html_pages_keep_titles_as_text_and_gain_no_elements() {
    let built = hostile_site().build();
    for (i, _) in HOSTILE.iter().enumerate() {
        let url = format!("/sec/a{i}/");
        let page = built.page(&url);
        let h1 = built.texts(&url, "main h1");
        assert_eq!(h1.len(), 1, "{url}");
        assert!(h1[0].starts_with(&format!("T{i} ")), "{url}: {h1:?}");
        let injected = scraper::Selector::parse("script:not([src]):not([type]), b").unwrap();
        let scripts: Vec<String> = page.select(&injected).map(|e| e.html()).collect();
        assert!(
            scripts
                .iter()
                .all(|s| !s.contains("alert(1)") && s != "<b>bold</b>"),
            "{url}: {scripts:?}"
        );
        let description = built.attrs(&url, "meta[name=description]", "content");
        assert_eq!(description.len(), 1, "{url}");
        assert!(description[0].starts_with(&format!("D{i} ")), "{url}");
    }
}

#[test]
fn titles_round_trip_through_html_and_xml() {
    let built = hostile_site().build();
    let feed = built.text("feed.xml");
    let feed = roxmltree::Document::parse(&feed).unwrap();
    let feed_titles: Vec<&str> = feed
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|entry| entry.children().find(|n| n.has_tag_name("title")))
        .filter_map(|title| title.text())
        .collect();
    for (i, text) in HOSTILE.iter().enumerate() {
        // kbgen trims titles (U+000C is white space to it).
        let written = serde_yaml_unescape(&format!("T{i} {text}"))
            .trim()
            .to_string();
        let h1 = &built.texts(&format!("/sec/a{i}/"), "main h1")[0];
        // HTML parsers keep or drop control characters as the spec allows;
        // everything else must read back exactly.
        let printable = |t: &str| -> String {
            t.chars()
                .filter(|c| is_xml_char(*c) && *c != '\u{FFFD}')
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(printable(h1), printable(&written), "html of a{i}");
        assert!(
            feed_titles.iter().any(|t| *t == shown(&written)),
            "feed title of a{i}: {:?} not in {feed_titles:?}",
            shown(&written)
        );
    }
}

/// What a YAML double-quoted scalar holding `text` reads as, through the
/// YAML parser kbgen uses.
fn serde_yaml_unescape(text: &str) -> String {
    serde_yaml::from_str::<String>(&format!("\"{text}\"")).expect("valid YAML")
}

#[test]
fn redirects_file_has_one_rule_of_three_fields_a_line() {
    let built = hostile_site().build();
    let redirects = built.text("_redirects");
    let lines: Vec<&str> = redirects.lines().collect();
    assert_eq!(lines.len(), HOSTILE.len());
    for line in lines {
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields.len(), 3, "{line:?}");
        assert!(fields[0].starts_with("/docs/old/") && fields[1].starts_with("/docs/sec/"));
        assert_eq!(fields[2], "301");
    }
    for i in 0..HOSTILE.len() {
        let page = built.text(&format!("old/{i}/index.html"));
        let document = scraper::Html::parse_document(&page);
        let refresh = scraper::Selector::parse("meta[http-equiv=refresh]").unwrap();
        let content = document
            .select(&refresh)
            .next()
            .and_then(|m| m.value().attr("content"))
            .unwrap_or_default();
        assert_eq!(content, format!("0; url=/docs/sec/a{i}/"));
    }
}
