//! Raw HTML in an article, as the scanner reads it and as the renderer
//! rewrites it: the input (as UTF-8, lossily) is a Markdown body made of the
//! HTML, scanned by `scan::scan` (pulldown-cmark, then lol_html for the
//! `href`, `src`, `srcset` and `id` of each HTML event); it is split as a
//! `srcset` by `scan::srcset_candidates`; and it goes through
//! `render::rewrite_urls`, the pass that sets resolved URLs on the rendered
//! body's `href`, `src` and `srcset`.
//!
//! Checks, besides "no panic":
//! - every link the scan finds lies in the text on a char boundary, and an
//!   `href` found in raw HTML points at its value as written (its first
//!   line: in a blockquote or list the later lines lose their container
//!   markers; and but for a leading U+FEFF, which lol_html drops);
//! - every `srcset` candidate is a piece of the input: its URL is not empty,
//!   holds no white space and does not end with a comma; its descriptors are
//!   trimmed and hold no comma; the candidates joined back as the rewriter
//!   joins them (`url descriptors, …`) split into the same candidates;
//! - `rewrite_urls` with an empty map returns the input (it returns early);
//!   with a map whose only key cannot be an attribute value of the input (it
//!   is longer than the input), nothing is replaced and the input comes back
//!   byte for byte (the rewriter replaces values in place; it never writes a
//!   tag again);
//! - rewriting with a map from the scan's URLs to fresh ones is idempotent:
//!   the second pass finds no key (the new URLs are not keys), so it changes
//!   nothing; and every attribute the first pass did not set reads as it did
//!   (lol_html wrote a changed tag's attributes one space apart, so
//!   `<div h/=""g srcset=T>`, `h` and an attribute named `=""g`, came out as
//!   `h =""g`: `seeds/raw_html/attribute_named_with_equals.html`).
#![no_main]

use std::collections::HashMap;

use kbgen::content::scan::{scan, srcset_candidates};
use kbgen::render::rewrite_urls;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Line ends as the loader leaves them (CRLF and a lone CR become LF):
    // `scan` places raw HTML by the event text's `\n` lines, and pulldown-cmark
    // ends a line at a lone CR too (seeds/raw_html/lone_cr_in_blockquote.md).
    let text = String::from_utf8_lossy(data)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let text = text.as_str();

    let scanned = scan(text, 0);
    for link in &scanned.links {
        check_offset(text, link.offset, "link");
        if link.raw_html && !link.is_image && !link.dest.is_empty() {
            // lol_html decodes a value with encoding_rs, which drops a BOM
            // that starts it: the value as written may have one more U+FEFF.
            // Only the value's first line is as written: pulldown-cmark hands
            // on HTML in a container (`> `) without the container's markers.
            let written = &text[link.offset..];
            let first_line = link.dest.split('\n').next().unwrap_or_default();
            assert!(
                written
                    .strip_prefix('\u{feff}')
                    .unwrap_or(written)
                    .starts_with(first_line),
                "href {:?} is reported at {}, where the text reads {:?}",
                link.dest,
                link.offset,
                &text[link.offset..floor_char_boundary(text, link.offset + 40)]
            );
        }
    }

    check_srcset(text);

    assert_eq!(rewrite_urls(text, &HashMap::new()), text);

    let absent = HashMap::from([("#".repeat(text.len() + 1), "/x/".to_string())]);
    assert_eq!(
        rewrite_urls(text, &absent),
        text,
        "a rewrite with no matching key changed the HTML"
    );

    let targets: HashMap<String, String> = scanned
        .links
        .iter()
        .map(|link| link.dest.trim())
        .filter(|dest| !dest.starts_with("/fuzz/"))
        .enumerate()
        .map(|(i, dest)| (dest.to_string(), format!("/fuzz/{i}/")))
        .collect();
    let once = rewrite_urls(text, &targets);
    let twice = rewrite_urls(&once, &targets);
    assert_eq!(twice, once, "rewriting again changed the HTML");
    check_other_attributes(text, &once);
});

/// Every attribute of `before` but a URL one reads the same in `after`.
fn check_other_attributes(before: &str, after: &str) {
    let (old, new) = (attributes(before), attributes(after));
    assert_eq!(old.len(), new.len(), "{before:?} became {after:?}");
    for ((name, value), (new_name, new_value)) in old.iter().zip(&new) {
        assert_eq!(name, new_name, "{before:?} became {after:?}");
        if !["href", "src", "srcset"].contains(&name.as_str()) {
            assert_eq!(value, new_value, "{name} of {before:?} in {after:?}");
        }
    }
}

/// Each attribute's name and value, tag by tag, as lol_html reads them.
fn attributes(html: &str) -> Vec<(String, String)> {
    use lol_html::{element, rewrite_str, RewriteStrSettings};
    let found = std::cell::RefCell::new(Vec::new());
    let settings = RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
        let mut found = found.borrow_mut();
        found.extend(el.attributes().iter().map(|a| (a.name(), a.value())));
        Ok(())
    }));
    let _ = rewrite_str(html, settings);
    found.into_inner()
}

fn check_srcset(text: &str) {
    let candidates = srcset_candidates(text);
    let range = text.as_ptr() as usize..text.as_ptr() as usize + text.len();
    for &(url, descriptors) in &candidates {
        for part in [url, descriptors] {
            let start = part.as_ptr() as usize;
            assert!(
                part.is_empty() || (range.contains(&start) && start + part.len() <= range.end),
                "candidate part {part:?} is not a piece of the input"
            );
        }
        assert!(!url.is_empty(), "empty srcset URL in {candidates:?}");
        assert!(!url.contains(char::is_whitespace), "srcset URL {url:?}");
        assert!(!url.ends_with(','), "srcset URL {url:?} ends with a comma");
        assert_eq!(descriptors, descriptors.trim(), "untrimmed descriptors");
        assert!(!descriptors.contains(','), "descriptors {descriptors:?}");
    }
    let joined = candidates
        .iter()
        .map(|&(url, descriptors)| {
            if descriptors.is_empty() {
                url.to_string()
            } else {
                format!("{url} {descriptors}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    assert_eq!(
        srcset_candidates(&joined),
        candidates,
        "the joined srcset {joined:?} splits otherwise"
    );
}

fn check_offset(text: &str, offset: usize, what: &str) {
    assert!(offset <= text.len(), "{what} offset {offset} past the end");
    assert!(
        text.is_char_boundary(offset),
        "{what} offset {offset} inside a character"
    );
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
