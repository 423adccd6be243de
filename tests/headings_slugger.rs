//! kbgen's heading ids against github-slugger, the npm package GitHub's own
//! rendering follows: a few hundred generated headings in many scripts, with
//! emoji, punctuation and repeats, slugged by both in one page's order.
//!
//! Needs Node.js and `npm ci --prefix tests/browser` (CI has both). Without
//! them the test prints why and passes, unless `KBGEN_REQUIRE_BROWSER=1`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use kbgen::content::scan::{github_slug, HeadingIds};

/// Words of many scripts, old enough in Unicode for every version in use.
const WORDS: &[&str] = &[
    "Install",
    "set up",
    "API",
    "v2.0",
    "Größe",
    "ändern",
    "Straße",
    "İstanbul",
    "ΟΔΟΣ",
    "Привет",
    "мир",
    "Ελληνικά",
    "हिन्दी",
    "कॉन्फ़िगर",
    "বাংলা",
    "தமிழ்",
    "ગુજરાતી",
    "ไทย",
    "ภาษา",
    "日本語",
    "見出し",
    "カタカナ",
    "中文",
    "标题",
    "한국어",
    "제목",
    "العربية",
    "עברית",
    "فارسی",
    "Tiếng",
    "Việt",
    "ქართული",
    "Հայերեն",
    "አማርኛ",
    "ᐃᓄᒃᑎᑐᑦ",
    "ǅemal",
    "x²",
    "Ⅻ",
    "C#",
    "C++",
    ".NET",
    "node.js",
    "e-mail",
    "snake_case",
    "a‿b",
    "ℹ️",
    "🎉",
    "👍🏽",
    "🇩🇪",
    "👨‍👩‍👧",
    "&",
    "—",
    "–",
    "«quoted»",
    "“smart”",
    "(beta)",
    "[draft]",
    "100%",
    "$5",
    "@mention",
    "#tag",
    "!",
    "?",
    "don't",
    "Ⓐ",
    "½",
];

/// A deterministic list of headings: one to four words joined by spaces or
/// punctuation, and every tenth a repeat of an earlier one.
fn headings(count: usize) -> Vec<String> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let joins = [" ", " ", " ", "  ", " - ", ": ", ", ", "/", " & ", "'", "."];
    let mut headings: Vec<String> = Vec::with_capacity(count);
    while headings.len() < count {
        if headings.len() % 10 == 9 {
            let earlier = headings[next(headings.len())].clone();
            headings.push(earlier);
            continue;
        }
        let mut heading = String::new();
        for i in 0..1 + next(4) {
            if i > 0 {
                heading.push_str(joins[next(joins.len())]);
            }
            heading.push_str(WORDS[next(WORDS.len())]);
        }
        headings.push(heading);
    }
    headings
}

fn node_modules() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules")
}

fn why_not_runnable() -> Option<String> {
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => return Some(format!("`node --version` failed: {}", out.status)),
        Err(e) => return Some(format!("Node.js is not installed (`node`: {e})")),
    }
    let package = node_modules().join("github-slugger");
    (!package.is_dir()).then(|| {
        format!(
            "{} is missing: run `npm ci --prefix tests/browser`",
            package.display()
        )
    })
}

/// github-slugger's ids for `texts`, slugged in order by one slugger.
fn reference_ids(texts: &[String]) -> Vec<String> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser/slugs.mjs");
    let mut child = Command::new("node")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start node");
    let input = serde_json::to_string(texts).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("run node");
    assert!(out.status.success(), "slugs.mjs failed");
    serde_json::from_slice(&out.stdout).expect("a JSON array of ids")
}

#[test]
fn heading_ids_are_github_sluggers() {
    if let Some(reason) = why_not_runnable() {
        if std::env::var("KBGEN_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("KBGEN_REQUIRE_BROWSER=1 but the slugger comparison cannot run: {reason}");
        }
        eprintln!("skipping the github-slugger comparison: {reason}");
        return;
    }
    // A heading with nothing to slug gets `section` (an id cannot be empty;
    // GitHub gives ""), so those are left out of the comparison.
    let texts: Vec<String> = headings(700)
        .into_iter()
        .filter(|text| !github_slug(text).is_empty())
        .collect();
    let expected = reference_ids(&texts);
    let mut ids = HeadingIds::default();
    let mut differences = Vec::new();
    assert_eq!(expected.len(), texts.len());
    for (text, expected) in texts.iter().zip(&expected) {
        let id = ids.assign(None, text);
        if id != *expected {
            differences.push(format!(
                "{text:?}: kbgen {id:?}, github-slugger {expected:?}"
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} headings differ:\n{}",
        differences.len(),
        texts.len(),
        differences.join("\n")
    );
    eprintln!("{} headings slugged as github-slugger does", texts.len());
}
