//! Shortcode scanning as the loader does it: the body after the front matter (or
//! the whole text when there is none) goes through the pulldown-cmark `scan`, and
//! `shortcodes::find` then looks for calls outside the protected code ranges.
//! Also runs `find` with no protected ranges at all.
//!
//! Checks that nothing panics and that the results can be sliced with: protected
//! ranges, heading and link offsets lie in the text on char boundaries; every
//! call's `range` and `body` lie in the text, after `start`, on char boundaries,
//! open with `{{`/`{%` and close with `}}`/`%}`; calls never start in a protected
//! range; siblings are in order and do not overlap; nested calls lie within their
//! parent's body; error offsets are in the text.
#![no_main]

use std::ops::Range;
use std::path::Path;

use kbgen::content::front_matter;
use kbgen::content::scan::scan;
use kbgen::content::shortcodes::{find, ShortcodeCall, ShortcodeError};
use kbgen::diagnostics::line_col;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let start = front_matter::split(text, Path::new("a.md")).map_or(0, |s| s.body_start);

    let body = &text[start..];
    let scanned = scan(body, start);
    let mut previous_start = 0;
    for r in &scanned.protected {
        check_range(text, r, start, "protected range");
        assert!(r.start >= previous_start, "protected ranges not sorted");
        previous_start = r.start;
    }
    for h in &scanned.headings {
        check_offset(text, h.offset, "heading");
        assert!((1..=6).contains(&h.level));
    }
    for link in &scanned.links {
        check_offset(text, link.offset, "link");
    }
    for &offset in &scanned.images_without_alt {
        check_offset(text, offset, "image");
    }

    let (calls, errors) = find(text, start, &scanned.protected);
    check_calls(text, &calls, start..text.len(), &scanned.protected);
    check_errors(text, &errors, start);

    let (calls, errors) = find(text, start, &[]);
    check_calls(text, &calls, start..text.len(), &[]);
    check_errors(text, &errors, start);
});

fn check_offset(text: &str, offset: usize, what: &str) {
    assert!(offset <= text.len(), "{what} offset {offset} past the end");
    assert!(
        text.is_char_boundary(offset),
        "{what} offset {offset} inside a character"
    );
}

fn check_range(text: &str, r: &Range<usize>, start: usize, what: &str) {
    assert!(r.start <= r.end, "{what} {r:?} is reversed");
    assert!(r.start >= start, "{what} {r:?} starts before {start}");
    check_offset(text, r.start, what);
    check_offset(text, r.end, what);
}

/// `calls` are siblings that must lie, in order and apart, inside `within`.
fn check_calls(
    text: &str,
    calls: &[ShortcodeCall],
    within: Range<usize>,
    protected: &[Range<usize>],
) {
    let mut previous_end = within.start;
    for call in calls {
        let r = &call.range;
        check_range(text, r, within.start, "call");
        assert!(
            r.end <= within.end,
            "call {r:?} ends after its parent's body {within:?}"
        );
        assert!(
            r.start >= previous_end,
            "call {r:?} overlaps the one before it"
        );
        previous_end = r.end;
        assert!(!call.name.is_empty());
        assert!(
            !protected.iter().any(|p| p.contains(&r.start)),
            "call {r:?} starts in a protected range"
        );
        let source = &text[r.clone()];
        match &call.body {
            None => {
                assert!(
                    source.starts_with("{{") && source.ends_with("}}"),
                    "{source:?}"
                );
                assert!(call.children.is_empty());
            }
            Some(body) => {
                assert!(
                    source.starts_with("{%") && source.ends_with("%}"),
                    "{source:?}"
                );
                check_range(text, body, r.start, "body");
                assert!(
                    r.start + 2 <= body.start && body.end + 2 <= r.end,
                    "body {body:?} not inside the call's tags {r:?}"
                );
                check_calls(text, &call.children, body.clone(), protected);
            }
        }
        // `walk` visits this call and every nested one.
        let nested: usize = call.children.iter().map(|c| c.walk().len()).sum();
        assert_eq!(call.walk().len(), 1 + nested);
    }
}

fn check_errors(text: &str, errors: &[ShortcodeError], start: usize) {
    for e in errors {
        assert!(
            e.offset <= text.len(),
            "error offset {} past the end",
            e.offset
        );
        assert!(
            e.offset >= start,
            "error offset {} before the body",
            e.offset
        );
        assert!(!e.message.is_empty());
        let (line, column) = line_col(text, e.offset);
        assert!(line >= 1 && column >= 1);
    }
}
