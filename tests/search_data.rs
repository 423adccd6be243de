//! What a build gives the search script: only the pagefind files it loads,
//! the typo vocabulary, the stop words and synonyms inside `kbgen-search.js`,
//! and front-matter `keywords` in the index (as the `keywords` meta field and
//! as text of the title's weight). The ranking itself is tested in the real
//! browser (tests/browser/quality.mjs).

mod common;

use std::collections::BTreeMap;
use std::io::Read;

use common::TestSite;
use kbgen::build::{build_site, BuildOptions};
use kbgen::output::MemorySink;

/// Builds `site` with search on; returns its files and the report's errors.
fn build_with_search(site: &TestSite) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        search: true,
        ..BuildOptions::default()
    };
    let sink = MemorySink::default();
    let outcome = build_site(&options, &sink).expect("build");
    let errors = outcome
        .report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.headline())
        .collect();
    (sink.into_files(), errors)
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

/// The `const WORDS = …;` object of the published search script.
fn script_words(files: &BTreeMap<String, Vec<u8>>) -> serde_json::Value {
    let script = String::from_utf8(files["kbgen-search.js"].clone()).unwrap();
    let line = script
        .lines()
        .find(|l| l.trim_start().starts_with("const WORDS = "))
        .expect("the words line");
    let json = line
        .trim()
        .trim_start_matches("const WORDS = ")
        .trim_end_matches(';');
    serde_json::from_str(json).expect("the words are JSON")
}

fn site() -> TestSite {
    TestSite::new()
        .file(
            "kbgen.yaml",
            "title: Help\nlanguage: en-GB\nsearch:\n  synonyms:\n    - [user sync, provisioning]\n    - \"parcel, box\"\n",
        )
        .article(
            "content/sync/reset.md",
            "title: Reset the sync client\nkeywords: [E_SYNC_42, \"wipe cache\"]",
            "Quit the client. Reset the client & start it again; the client syncs.\n",
        )
        .article(
            "content/sync/proxy.md",
            "title: Proxy settings\nkeywords: corporate firewall, inspection",
            "Point the client at the proxy.\n",
        )
}

#[test]
fn only_the_pagefind_files_the_script_loads_are_published() {
    let (files, errors) = build_with_search(&site());
    assert_eq!(errors, Vec::<String>::new());
    let search: Vec<&str> = files
        .keys()
        .filter_map(|k| k.strip_prefix("pagefind/"))
        .filter(|k| !k.contains('/'))
        .map(|k| k.split_once(".en").map_or(k, |(name, _)| name))
        .collect();
    assert_eq!(
        search,
        [
            "kbgen-vocabulary",
            "pagefind-entry.json",
            "pagefind-worker.js",
            "pagefind",
            "pagefind.js",
            "wasm",
        ],
        "{:?}",
        files
            .keys()
            .filter(|k| k.starts_with("pagefind/"))
            .collect::<Vec<_>>()
    );
    for dir in ["index", "fragment"] {
        assert!(files
            .keys()
            .any(|k| k.starts_with(&format!("pagefind/{dir}/"))));
    }
}

#[test]
fn the_vocabulary_holds_the_indexed_words_most_frequent_first() {
    let (files, _) = build_with_search(&site());
    let text = String::from_utf8(gunzip(&files["pagefind/kbgen-vocabulary.en-gb.gz"])).unwrap();
    let words: Vec<&str> = text.lines().collect();
    // The one word in both articles comes first; stop words are not there.
    assert_eq!(words[0], "client");
    assert!(!words.contains(&"the"), "{words:?}");
    for word in [
        "reset",
        "quit",
        "syncs",
        "wipe",
        "cache",
        "firewall",
        "inspection",
    ] {
        assert!(words.contains(&word), "{word} in {words:?}");
    }
    // Two letters, digits and the `_` of codes are not words to correct to.
    for word in ["e_sync_42", "42", "at", "it"] {
        assert!(!words.contains(&word), "{word} in {words:?}");
    }
}

#[test]
fn the_script_carries_stop_words_and_synonyms_of_the_site_language() {
    let (files, _) = build_with_search(&site());
    let words = script_words(&files);
    let stop: Vec<&str> = words["stopWords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(stop.contains(&"the") && stop.contains(&"how"), "{stop:?}");
    let groups = words["synonyms"].as_array().unwrap();
    let built_in = groups
        .iter()
        .any(|g| g.as_array().unwrap().iter().any(|w| w == "sign in"));
    assert!(built_in, "{groups:?}");
    let n = groups.len();
    assert_eq!(
        groups[n - 2],
        serde_json::json!(["user sync", "provisioning"])
    );
    assert_eq!(groups[n - 1], serde_json::json!(["parcel", "box"]));
    assert_eq!(words["vocabulary"], "kbgen-vocabulary.en-gb.gz");
}

#[test]
fn a_site_copy_of_the_script_gets_the_words_too() {
    let theme = include_str!("../static/kbgen-search.js");
    let site = site().file("static/kbgen-search.js", theme);
    let (files, _) = build_with_search(&site);
    assert!(script_words(&files)["stopWords"].as_array().unwrap().len() > 100);
}

#[test]
fn keywords_are_indexed_as_text_and_meta_after_the_title() {
    let (files, _) = build_with_search(&site());
    let fragments: Vec<serde_json::Value> = files
        .iter()
        .filter(|(k, _)| k.starts_with("pagefind/fragment/"))
        .map(|(_, bytes)| {
            let data = gunzip(bytes);
            let json = data
                .strip_prefix(b"pagefind_dcd")
                .expect("pagefind signature");
            serde_json::from_slice(json).unwrap()
        })
        .collect();
    let reset = fragments
        .iter()
        .find(|f| f["url"] == "/sync/reset/")
        .expect("the reset article is indexed");
    assert_eq!(reset["meta"]["keywords"], "E_SYNC_42, wipe cache");
    let content = reset["content"].as_str().unwrap();
    assert!(
        content.starts_with("Reset the sync client. E_SYNC_42, wipe cache."),
        "{content}"
    );
    let proxy = fragments
        .iter()
        .find(|f| f["url"] == "/sync/proxy/")
        .unwrap();
    assert_eq!(proxy["meta"]["keywords"], "corporate firewall, inspection");
}

#[test]
fn search_can_be_switched_off_in_either_form() {
    for yaml in ["search: false\n", "search:\n  enabled: false\n"] {
        let site = TestSite::new().file("kbgen.yaml", yaml).article(
            "content/a/b.md",
            "title: B",
            "Text.\n",
        );
        let (files, errors) = build_with_search(&site);
        assert_eq!(errors, Vec::<String>::new(), "{yaml}");
        assert!(!files.keys().any(|k| k.starts_with("pagefind/")), "{yaml}");
        assert!(!files.contains_key("search/index.html"), "{yaml}");
    }
}

/// The configuration error a build of `site` stops with.
fn config_error(site: &TestSite) -> String {
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        search: true,
        ..BuildOptions::default()
    };
    match build_site(&options, &MemorySink::default()) {
        Err(kbgen::build::SetupError::Config(diagnostic)) => diagnostic.headline(),
        Ok(_) => panic!("the build went through"),
    }
}

#[test]
fn a_synonym_group_of_one_word_is_an_error_at_its_place() {
    let site = TestSite::new()
        .file(
            "kbgen.yaml",
            "title: Help\nsearch:\n  synonyms:\n    - [alone]\n",
        )
        .article("content/a/b.md", "title: B", "Text.\n");
    assert_eq!(
        config_error(&site),
        "kbgen.yaml:3:12: error[config]: search.synonyms entry 1 has 1 word: a group needs two or more"
    );
}

#[test]
fn an_unknown_search_setting_is_an_error_with_the_likely_name() {
    let site = TestSite::new()
        .file("kbgen.yaml", "title: Help\nsearch:\n  synonym: []\n")
        .article("content/a/b.md", "title: B", "Text.\n");
    assert_eq!(
        config_error(&site),
        "kbgen.yaml:3:3: error[config]: search: unknown field `synonym`, expected `enabled` or `synonyms`"
    );
}

#[test]
fn two_languages_with_one_primary_subtag_each_have_their_own_vocabulary() {
    let site = TestSite::new()
        .file(
            "kbgen.yaml",
            "title: Ajuda\nlanguages:\n  - code: pt-BR\n    name: Português (Brasil)\n  - code: pt-PT\n    name: Português (Portugal)\n",
        )
        .article(
            "content/conta/senha.md",
            "title: Redefinir a senha",
            "Abra o celular e toque em redefinir.\n",
        )
        .article(
            "content/conta/senha.pt-PT.md",
            "title: Repor a palavra-passe",
            "Abra o telemóvel e toque em repor.\n",
        );
    let (files, errors) = build_with_search(&site);
    assert_eq!(errors, Vec::<String>::new());
    let words = |file: &str| String::from_utf8(gunzip(&files[file])).unwrap();
    let brazil = words("pagefind/kbgen-vocabulary.pt-br.gz");
    let portugal = words("pagefind/kbgen-vocabulary.pt-pt.gz");
    assert!(brazil.lines().any(|w| w == "celular"), "{brazil}");
    assert!(!brazil.lines().any(|w| w == "telemóvel"), "{brazil}");
    assert!(portugal.lines().any(|w| w == "telemóvel"), "{portugal}");
}

/// Chinese and Japanese write words without spaces: pagefind's extended
/// indexing splits them (ICU's segmenter), so a word inside a sentence is
/// a word of the index, not only the whole run up to the next punctuation.
/// The index is gzipped CBOR, where a word is a text string: its length
/// byte (`0x60 + n` for n < 24 bytes) then its UTF-8.
#[test]
fn chinese_and_japanese_text_is_split_into_words() {
    let site = TestSite::new()
        .file(
            "kbgen.yaml",
            "title: 帮助\nlanguages:\n  - code: zh-Hans\n    name: 简体中文\n  - code: ja\n    name: 日本語\n",
        )
        .article(
            "content/billing/refunds.md",
            "title: 退款",
            "## 何时退款\n\n购买后十四天内可以申请退款。\n",
        )
        .article(
            "content/billing/refunds.ja.md",
            "title: 返金",
            "## 返金の時期\n\n購入後十四日以内に返金を申請できます。\n",
        );
    let (files, errors) = build_with_search(&site);
    assert_eq!(errors, Vec::<String>::new());
    let indexes: Vec<Vec<u8>> = files
        .iter()
        .filter(|(k, _)| k.starts_with("pagefind/index/"))
        .map(|(_, bytes)| gunzip(bytes))
        .collect();
    let indexed = |word: &str| {
        let mut cbor = vec![0x60 + word.len() as u8];
        cbor.extend_from_slice(word.as_bytes());
        indexes
            .iter()
            .any(|index| index.windows(cbor.len()).any(|w| w == cbor))
    };
    assert!(
        indexed("购买"),
        "a Chinese word inside a sentence is indexed"
    );
    assert!(indexed("申请"));
    assert!(
        indexed("購入"),
        "a Japanese word inside a sentence is indexed"
    );
}
