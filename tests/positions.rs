//! Every reported place lies in the file the author opened.
//!
//! A property test: small sites whose articles and `kbgen.yaml` are generated
//! from fragments of front matter, YAML mistakes and Markdown, with byte-order
//! marks, CRLF, lone CR, tabs, U+0085, U+2028, U+2029, control and multi-byte
//! characters put anywhere, are built through the real pipeline
//! (`build_site` into memory). For every diagnostic, its line must be a line
//! of the file and its column a place in that line (at most one past its last
//! character), where lines are split as an editor splits them: at `\n`, `\r\n`
//! and a lone `\r`, a leading byte-order mark not counted.
//!
//! The generator is a fixed-seed xorshift, so a failure is the same on every
//! run; `KBGEN_POSITION_SITES` raises the number of sites for a longer run.
//! Then the cases the property found, and those of issue #23, with their
//! exact places.

mod common;

use common::{Random as Rng, TestSite};
use kbgen::build::{build_site, BuildOptions, SetupError};
use kbgen::diagnostics::Diagnostic;
use kbgen::output::MemorySink;

/// Sites built by the property test (each with [`ARTICLES_PER_SITE`] articles).
const SITES: usize = 60;
const ARTICLES_PER_SITE: usize = 6;

/// What may be put anywhere: what editors, pasting and other systems leave.
const NOISE: &[&str] = &[
    "\u{feff}",
    "\r\n",
    "\r",
    "\t",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "カテゴリ",
    "é",
    "👍",
    "\u{7}",
    "\u{1b}",
    " ",
    ": ",
    "[",
    "{",
    "\"",
    "'",
    "#",
    "- ",
    "\n",
];

/// Front-matter lines, good and bad.
const FRONT_LINES: &[&str] = &[
    "title: Reset your password",
    "title: Error: access denied",
    "title: [a, b]",
    "title: \"unclosed",
    "description: How to reset it.",
    "description: [x",
    "taxonomy:\n  category: billing",
    "taxonomy:\n  カテゴリ: 5",
    "taxonomy:\n\u{feff}atee ryght:t: 5",
    "taxonomy:\n  tag: {a: 1}",
    "taxonomy: {category: x}",
    "date: 2026-03-14",
    "date: to[p",
    "updated: soon",
    "slug: ---",
    "slug: réinitialiser",
    "weight: heavy",
    "draft: yes",
    "tittle: typo",
    "aliases: [/old/, /kb/legacy/]",
    "related: [b.md, missing.md]",
    "related: x",
    "\tindented: with a tab",
    "  bad: indentation",
    "title: dup\ntitle: dup",
    "- a list",
    "&a [*a, *a]",
    "x: *nothing",
    "x: !!binary not-base64",
];

/// Markdown lines, with links, shortcodes and headings that may be broken.
const BODY_LINES: &[&str] = &[
    "# Heading",
    "## Übersicht {#uber}",
    "Text with a [link](b.md) and [a broken one](missing.md).",
    "[anchor](#nope) and [other](b.md#nowhere)",
    "![image](img/none.png)",
    "Press {{ kbd(key=) }}.",
    "{{ kbd(keys=[\"Ctrl\", \"C\"]) }}",
    "{% callout(type=\"warning\") %}\nInside.\n{% end %}",
    "{% callout(type=\"nope\") %}unclosed",
    "{{ unknown() }}",
    "> [!NOTE]\n> A note.",
    "| a | b |\n|---|---|\n| [x](#nope) | y |",
    "```rust\nfn main() {}\n```",
    "<a href=\"wiring.md\">raw</a>",
    "Footnote[^1].\n\n[^1]: Here.",
    "- item\n  - nested",
    "",
    "{{ include(path=\"s1.md\", p=\"Jira\") }}",
    "Inline {{ include(path=\"deep/s2.md\", p=\"x [y](nowhere.md)\") }} here.",
    "- step\n  {{ include(path=\"s1.md\") }}",
    "> {{ include(path=\"deep/s2.md\", q=1) }}",
    "{{ include(path=\"s3.md\") }}",
];

/// Markdown lines of snippets: the body lines, and parameters and includes
/// (which may cycle).
const SNIPPET_LINES: &[&str] = &[
    "## Shared {{ p }}",
    "About {{ p }} and {{ q }}.",
    "See [the page](../s/a0.md#nope) and ![shot](shot.png).",
    "{{ include(path=\"deep/s2.md\") }}",
    "{{ include(path=\"s1.md\") }}",
    "[ref]: ../../b.md#other",
    "[Reference][ref] link.",
];

/// `kbgen.yaml` lines, good and bad.
const CONFIG_LINES: &[&str] = &[
    "title: Docs",
    "titel: Docs",
    "title: Docs: Help",
    "base_url: https://help.example.com/",
    "base_url: help.example.com",
    "related:\n  limit: many",
    "related:\n  limt: 3",
    "lint:\n  title-length: loud",
    "lint:\n  カテ: loud",
    "lint:\n  title-length: 60",
    "links:\n  broken: maybe",
    "links:\n  broken: warn",
    "taxonomies:\n  Product Area:",
    "taxonomies:\n  category:\n  tag:",
    "highlight:\n  light: Solarized",
    "output:\n  keep: [\"..\"]",
    "\tsearch: false",
    "search: [",
];

/// Joins `min` to `max` fragments with line ends, then sprinkles noise into the text.
fn generate(rng: &mut Rng, fragments: &[&str], min: usize, max: usize) -> String {
    let mut text = String::new();
    for _ in 0..min + rng.below(max - min + 1) {
        text.push_str(rng.pick(fragments));
        text.push('\n');
    }
    sprinkle(rng, text)
}

/// `text` with a few noise strings inserted at random characters.
fn sprinkle(rng: &mut Rng, text: String) -> String {
    let mut chars: Vec<String> = text.chars().map(String::from).collect();
    for _ in 0..rng.below(4) {
        let at = rng.below(chars.len() + 1);
        chars.insert(at, rng.pick(NOISE).to_string());
    }
    let mut text: String = chars.concat();
    if rng.chance(15) {
        text.insert(0, '\u{feff}');
    }
    if rng.chance(15) {
        text = text.replace('\n', "\r\n");
    } else if rng.chance(10) {
        text = text.replace('\n', "\r");
    }
    text
}

fn article(rng: &mut Rng) -> String {
    let mut front = generate(rng, FRONT_LINES, 1, 4);
    if rng.chance(70) {
        front.insert_str(0, "title: Fine\n");
    }
    let body = generate(rng, BODY_LINES, 0, 4);
    let text = format!("---\n{front}---\n{body}");
    // Noise in the fences too, sometimes.
    if rng.chance(20) {
        sprinkle(rng, text)
    } else {
        text
    }
}

/// A snippet: sometimes with front matter, lines of snippets and bodies.
fn snippet(rng: &mut Rng) -> String {
    let mut lines: Vec<&str> = SNIPPET_LINES.to_vec();
    lines.extend_from_slice(&BODY_LINES[..BODY_LINES.len() - 5]);
    let body = generate(rng, &lines, 0, 4);
    if rng.chance(40) {
        format!("---\n{}---\n{body}", generate(rng, FRONT_LINES, 0, 2))
    } else {
        body
    }
}

fn config(rng: &mut Rng) -> String {
    generate(rng, CONFIG_LINES, 1, 3)
}

/// The lines of a file as an editor shows them: split at `\n`, `\r\n` and a
/// lone `\r`; a leading byte-order mark is not part of the first line.
/// Written here on purpose, not taken from kbgen.
fn editor_lines(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                lines.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    lines.push(&text[start..]);
    lines
}

/// Why `d`'s place is not in `text`, if it is not.
fn misplaced(d: &Diagnostic, text: &str) -> Option<String> {
    if d.line == 0 {
        return (d.column != 0).then(|| "a whole-file diagnostic with a column".to_string());
    }
    let lines = editor_lines(text);
    let Some(line) = lines.get(d.line - 1) else {
        return Some(format!("line {} of a {}-line file", d.line, lines.len()));
    };
    let width = line.chars().count();
    (!(1..=width + 1).contains(&d.column))
        .then(|| format!("column {} of a {width}-character line", d.column))
}

/// Builds `site` in memory and returns every problem it reported.
fn diagnostics(site: &TestSite) -> Vec<Diagnostic> {
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    };
    let sink = MemorySink::default();
    match build_site(&options, &sink) {
        Ok(outcome) => outcome.report.diagnostics,
        Err(SetupError::Config(d)) => vec![d],
    }
}

/// Asserts that every diagnostic of `site` lies in its file.
fn assert_places(site: &TestSite) -> usize {
    let found = diagnostics(site);
    for d in &found {
        let Ok(bytes) = std::fs::read(site.path(&d.path.to_string_lossy())) else {
            // Not a file: a folder, or a command-line option.
            assert!(
                d.line == 0,
                "a place in something that is not a file: {d:?}"
            );
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        if let Some(problem) = misplaced(d, &text) {
            panic!(
                "{problem}: {}\nfile {}: {text:?}",
                d.headline(),
                d.path.display()
            );
        }
        // Each include call named lies in its file too.
        for chain in &d.included_by {
            for call in chain {
                let call_at = Diagnostic::error("x", &call.path, "m").at(call.line, call.column);
                let text = std::fs::read(site.path(&call.path.to_string_lossy()))
                    .expect("the including file");
                if let Some(problem) = misplaced(&call_at, &String::from_utf8_lossy(&text)) {
                    panic!("{problem}: the include call {call} of {}", d.headline());
                }
            }
        }
    }
    found.len()
}

#[test]
fn every_place_lies_in_its_file() {
    let sites = std::env::var("KBGEN_POSITION_SITES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(SITES);
    let mut rng = Rng::with_state(0x6b62_6765_6e23);
    let (mut inputs, mut placed, mut in_snippets) = (0, 0, 0);
    for _ in 0..sites {
        let mut site = TestSite::new()
            .file("content/b.md", "---\ntitle: B\n---\n# Other\n")
            .file("content/_index.md", "---\ntitle: Home\n---\n");
        for n in 0..ARTICLES_PER_SITE {
            site = site.file(&format!("content/s/a{n}.md"), article(&mut rng));
            inputs += 1;
        }
        for name in ["s1.md", "deep/s2.md"] {
            site = site.file(&format!("content/_snippets/{name}"), snippet(&mut rng));
            inputs += 1;
        }
        // A broken kbgen.yaml stops the build before the articles: a third of
        // the sites have a generated one.
        if rng.chance(33) {
            site = site.file("kbgen.yaml", config(&mut rng));
            inputs += 1;
        }
        placed += assert_places(&site);
        in_snippets += diagnostics(&site)
            .iter()
            .filter(|d| !d.included_by.is_empty())
            .count();
    }
    eprintln!("{inputs} generated files, {placed} diagnostics placed, {in_snippets} in snippets");
    assert!(placed > sites, "the generator should provoke problems");
    assert!(in_snippets > sites / 4, "and problems in snippets");
}

// ---------------------------------------------------------------------------
// Cases, with their exact places
// ---------------------------------------------------------------------------

fn errors_of(files: &[(&str, &[u8])]) -> Vec<String> {
    let mut site = TestSite::new();
    for (path, bytes) in files {
        site = site.file(path, bytes);
    }
    assert_places(&site);
    diagnostics(&site)
        .iter()
        .filter(|d| d.is_error())
        .map(Diagnostic::headline)
        .collect()
}

fn article_errors(text: &str) -> Vec<String> {
    errors_of(&[("content/a.md", text.as_bytes())])
}

fn config_error(text: &str) -> Vec<String> {
    errors_of(&[
        ("content/a.md", b"---\ntitle: A\n---\nText.\n"),
        ("kbgen.yaml", text.as_bytes()),
    ])
}

#[test]
fn a_bom_inside_a_taxonomy_key_counts_as_a_character() {
    // The fuzzer's finding: the value `5` is after 14 characters of a
    // 16-character line (the BOM is one of them); it was reported at column 18.
    assert_eq!(
        article_errors("---\nt: reset\ntaxonomy:\n\u{feff}atee ryght:t: 5\ndate: to[p\n---\n# Body\n"),
        ["content/a.md:4:16: error[yaml]: taxonomy.\u{feff}atee ryght: expected a term or a list of terms"]
    );
}

#[test]
fn a_taxonomy_value_column_counts_characters_not_bytes() {
    // `  カテゴリ: 5`: the value is column 9 (it was 17, a byte index).
    assert_eq!(
        article_errors("---\ntitle: A\ntaxonomy:\n  カテゴリ: 5\n---\nText.\n"),
        ["content/a.md:4:9: error[yaml]: taxonomy.カテゴリ: expected a term or a list of terms"]
    );
}

#[test]
fn yaml_line_breaks_that_are_not_editor_line_breaks() {
    // U+0085 ends a line for YAML, not for an editor: the file has 4 lines,
    // and the error (the `[` is never closed) is at the end of the YAML, the
    // start of the closing fence. It was reported at line 7.
    assert_eq!(
        article_errors("---\ntitle: a\n\u{85}\u{85}\u{85}b: [\n---\n"),
        ["content/a.md:4:1: error[yaml]: did not find expected node content"]
    );
    for separator in ["\u{2028}", "\u{2029}"] {
        assert_eq!(
            article_errors(&format!(
                "---\ntitle: A\n{separator}weight: x\n---\nText.\n"
            )),
            ["content/a.md:3:10: error[yaml]: weight: invalid type: string \"x\", expected i64"],
            "{separator:?}"
        );
    }
}

#[test]
fn a_control_character_in_a_title_is_reported_where_it_is() {
    let text = "---\ndescription: D\ntitle: \"Reset \u{7} it\"\n---\nText.\n";
    let site = TestSite::new().file("content/a.md", text);
    let found = diagnostics(&site);
    let error = found.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(
        error.headline(),
        "content/a.md:3:15: error[yaml]: a control character (U+0007) is not allowed in YAML"
    );
    assert!(error
        .help
        .as_deref()
        .unwrap_or("")
        .contains("remove the character"));
}

#[test]
fn config_places_count_editor_lines() {
    // U+0085 is a line break to YAML: `b` is an unknown key on YAML's line 2,
    // and on the file's line 1, column 10.
    let headline = &config_error("title: a\u{85}b: 1\n")[0];
    assert!(
        headline.starts_with("kbgen.yaml:1:10: error[config]: unknown field `b`"),
        "{headline}"
    );
    assert_eq!(
        config_error("title: Docs\rrelated:\r  limit: many\r"),
        ["kbgen.yaml:3:10: error[config]: related.limit: expected a whole number, found \"many\""]
    );
    assert_eq!(
        config_error("title: カテゴリ\nlint:\n  title-length: loud\n"),
        ["kbgen.yaml:3:17: error[config]: lint.title-length: expected `off`, `warn`, `error` or a number, found `loud`"]
    );
    assert_eq!(
        config_error("title: \"Docs \u{1b}\"\n"),
        ["kbgen.yaml:1:14: error[config]: a control character (U+001B) is not allowed in YAML"]
    );
}
