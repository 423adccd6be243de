//! Front matter: normalizing a file's bytes (UTF-8 check, BOM, CRLF and lone CR
//! line ends), splitting off the `---` block, parsing its YAML as an article's
//! front matter, and the typo warnings, on arbitrary bytes.
//!
//! Checks that nothing panics; that no `\r` survives normalization; that the
//! split's offsets are ordered, inside the text and on char boundaries (the
//! loader slices with them); and that every diagnostic's line and column lie in
//! the file; and that the unknown keys (`page.extra`) serialize into a Tera
//! context, as the renderer inserts them (Tera panics on a mapping key that
//! is not text, a whole number or true/false).
#![no_main]

use std::path::Path;

use kbgen::content::front_matter;
use kbgen::content::normalize_text;
use kbgen::diagnostics::{line_col, Diagnostic};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("content/s/a.md");
    let Ok(text) = normalize_text(data.to_vec(), path) else {
        return;
    };
    // Line ends are LF only: a lone CR would be a line break to YAML and
    // pulldown-cmark but not to `line_col` (`seeds/front_matter/lone_cr.md`).
    assert!(
        !text.contains('\r'),
        "a CR survived normalization: {text:?}"
    );

    let split = match front_matter::split(&text, path) {
        Ok(split) => split,
        Err(d) => {
            check_place(&text, &d);
            return;
        }
    };
    let (yaml_start, yaml_end) = split.yaml;
    assert!(yaml_start <= yaml_end, "{split:?}");
    assert!(yaml_end <= split.body_start, "{split:?}");
    assert!(split.body_start <= text.len(), "{split:?}");
    for offset in [yaml_start, yaml_end, split.body_start] {
        assert!(text.is_char_boundary(offset), "{split:?} in {text:?}");
        let (line, column) = line_col(&text, offset);
        assert!(line >= 1 && column >= 1);
    }

    // The body may open with the `# H1` that titles a file without `title`.
    if let Some(heading) = kbgen::content::title::first_heading(&text, split.body_start) {
        assert!(heading.end > split.body_start && heading.end <= text.len());
        assert!(text.is_char_boundary(heading.end));
        assert!(!heading.title.is_empty());
    }

    match front_matter::parse(&text, split, path) {
        Ok(front) => {
            // A missing title is no error: the loader finds one.
            assert_eq!(front.title, front.title.trim());
            if let Err(e) = tera::Context::from_serialize(&front.extra) {
                panic!("page.extra does not serialize for templates: {e}");
            }
            for d in front_matter::typo_warnings(&text, split, front.extra.keys(), path) {
                check_place(&text, &d);
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            for d in &problems {
                check_place(&text, d);
            }
        }
    }
});

/// The shared promise of every diagnostic's place, as a panic for the fuzzer.
fn check_place(text: &str, d: &Diagnostic) {
    if let Err(broken) = kbgen::diagnostics::check_place(text, d) {
        panic!("{broken}");
    }
}
