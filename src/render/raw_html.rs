//! URLs in an article's raw HTML, rewritten like Markdown links.
//!
//! Authors write `<img src="images/panel.png">` and `<a href="wiring.md">`
//! relative to the Markdown file, as GitHub renders them, but the page is
//! served one folder deeper (`/intro/overview/`), so as written they 404. The
//! link checker has resolved every such URL to the URL the build writes
//! (`link_targets`, the same map Markdown links use); this pass replaces
//! those values in the rendered body's `href`, `src` and `srcset` attributes.
//! The HTML is read by an HTML tokenizer (lol_html), so attribute quoting and
//! comments are read as a browser reads them, but it is not written again by
//! it: only the bytes of each value that has a target are replaced, in their
//! quotes, and every other byte stays as written. (lol_html writes a tag it
//! changed from its attributes one space apart, which malformed HTML does not
//! survive: `<img alt/=x src=a.png>`, an `alt` and an attribute named `=x`,
//! came out as `<img alt =x src="…">`, an `alt` with the value `x`; found by
//! the raw_html fuzz target.) Character references in values are not decoded
//! (lol_html gives values as written): `a.md?x=1&amp;y=2` is looked up as
//! written, the same way the scanner read it. Values it has no target for
//! (external URLs, anchors, what Markdown links already turned into final
//! URLs) stay as they are.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use lol_html::{element, rewrite_str, RewriteStrSettings};

/// `html` with every `href`, `src` and `srcset` URL found in `targets`
/// replaced by its target. Of an attribute written twice, the first counts,
/// as in a browser. On a tokenizer error (which valid HTML from the Markdown
/// renderer does not give) the body is returned unchanged.
pub fn rewrite_urls(html: &str, targets: &HashMap<String, String>) -> String {
    if targets.is_empty() {
        return html.to_string();
    }
    let edits: RefCell<Vec<(Range<usize>, String)>> = RefCell::default();
    let settings = RewriteStrSettings::new().append_element_content_handler(element!(
        "[href], [src], [srcset]",
        |el| {
            for name in ["href", "src", "srcset"] {
                let Some(attribute) = el.attributes().iter().find(|a| a.name() == name) else {
                    continue;
                };
                let value = attribute.value();
                let new = match name {
                    "srcset" => rewrite_srcset(&value, targets),
                    _ => targets.get(value.trim()).cloned(),
                };
                // A value written without `=` has no place to put one in.
                if let (Some(new), Some(at)) = (new, attribute.value_source_location()) {
                    edits.borrow_mut().push((at.bytes(), new));
                }
            }
            Ok(())
        }
    ));
    if rewrite_str(html, settings).is_err() {
        return html.to_string();
    }
    let mut edits = edits.into_inner();
    edits.sort_by_key(|(at, _)| at.start);
    let mut out = String::with_capacity(html.len());
    let mut done = 0;
    for (at, value) in edits {
        let (Some(before), Some(_)) = (html.get(done..at.start), html.get(at.clone())) else {
            continue;
        };
        out.push_str(before);
        let quote = html[..at.start].chars().next_back();
        out.push_str(&attribute_value(&value, quote));
        done = at.end;
    }
    out.push_str(&html[done..]);
    out
}

/// `value` written where the old value was, after `quote` (the character
/// before it): inside `"…"` or `'…'` that quote is escaped; an unquoted value
/// that could not stay unquoted (empty, or with white space, quotes, `=`,
/// `<`, `>` or a backtick) gets double quotes.
fn attribute_value(value: &str, quote: Option<char>) -> String {
    match quote {
        Some('"') => value.replace('"', "&quot;"),
        Some('\'') => value.replace('\'', "&#39;"),
        _ if value.is_empty()
            || value.contains(|c: char| {
                c.is_ascii_whitespace() || matches!(c, '"' | '\'' | '=' | '<' | '>' | '`')
            }) =>
        {
            format!("\"{}\"", value.replace('"', "&quot;"))
        }
        _ => value.to_string(),
    }
}

/// A `srcset` with each candidate's URL rewritten, descriptors kept:
/// `a.png 1x, b.png 2x` (HTML's "image candidate strings"); `None` when no
/// candidate's URL has a target, so the value stays as written.
fn rewrite_srcset(srcset: &str, targets: &HashMap<String, String>) -> Option<String> {
    let candidates = crate::content::scan::srcset_candidates(srcset);
    if !candidates.iter().any(|(url, _)| targets.contains_key(*url)) {
        return None;
    }
    let joined = candidates
        .into_iter()
        .map(|(url, descriptors)| {
            let url = targets.get(url).map_or(url, String::as_str);
            if descriptors.is_empty() {
                url.to_string()
            } else {
                format!("{url} {descriptors}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    Some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> HashMap<String, String> {
        [
            ("images/panel.png", "/intro/images/panel.png"),
            ("wiring.md", "/intro/wiring/"),
            ("big.png", "/intro/big.png"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
    }

    #[test]
    fn raw_urls_are_rewritten_and_the_rest_kept() {
        let html = r##"<p><img src="images/panel.png" alt="x"> <a href='wiring.md'>w</a> <a href="https://x.org/">e</a> <a href="#top">t</a></p>
<picture><source srcset="images/panel.png 1x, big.png 2x"></picture>
<!-- <a href="wiring.md"> --><code>&lt;a href="wiring.md"&gt;</code>
"##;
        let out = rewrite_urls(html, &targets());
        assert!(
            out.contains(r#"<img src="/intro/images/panel.png" alt="x">"#),
            "{out}"
        );
        assert!(out.contains(r#"<a href='/intro/wiring/'>w</a>"#), "{out}");
        assert!(out.contains(r#"href="https://x.org/""#) && out.contains(r##"href="#top""##));
        assert!(
            out.contains(r#"srcset="/intro/images/panel.png 1x, /intro/big.png 2x""#),
            "{out}"
        );
        // Comments and escaped text are not elements.
        assert!(out.contains(r#"<!-- <a href="wiring.md"> -->"#), "{out}");
        assert!(out.contains(r#"&lt;a href="wiring.md"&gt;"#), "{out}");
    }

    /// Each attribute's name and value as an HTML parser reads the tags.
    fn attributes(html: &str) -> Vec<(String, String)> {
        let found = RefCell::new(Vec::new());
        let settings =
            RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
                let mut found = found.borrow_mut();
                found.extend(el.attributes().iter().map(|a| (a.name(), a.value())));
                Ok(())
            }));
        let _ = rewrite_str(html, settings);
        found.into_inner()
    }

    /// Found by the raw_html fuzz target: lol_html wrote a tag it changed
    /// from its attributes one space apart, so an attribute without a value
    /// (`h`) before one whose name starts with `=` (malformed HTML: `h/=""g`)
    /// came out as `h =""g`: `h` with a value, and `g`. Every other
    /// attribute must read as before, and a second rewrite change nothing.
    #[test]
    fn a_rewritten_tag_keeps_its_other_attributes() {
        for html in [
            r#"<img h/=""g src="images/panel.png">"#,
            r#"<source h/=""g srcset=big.png>"#,
            r#"<a x y/=z/=w href=wiring.md>w</a>"#,
            r#"<a x x/=z href=wiring.md>w</a>"#,
            r#"<source a="1" b/=c srcset="big.png 2x" src=big.png/>"#,
        ] {
            let out = rewrite_urls(html, &targets());
            assert_ne!(out, html, "nothing rewritten in {html}");
            let (before, after) = (attributes(html), attributes(&out));
            assert_eq!(before.len(), after.len(), "{html} became {out}");
            for ((name, old), (new_name, new)) in before.iter().zip(&after) {
                assert_eq!(name, new_name, "{html} became {out}");
                if !["src", "href", "srcset"].contains(&name.as_str()) {
                    assert_eq!(old, new, "{name} in {html} became {out}");
                }
            }
            assert_eq!(rewrite_urls(&out, &targets()), out, "{html}");
        }
    }

    #[test]
    fn values_keep_their_quotes_and_only_they_change() {
        let map = |to: &str| HashMap::from([("a.md".to_string(), to.to_string())]);
        let cases = [
            (r#"<a href="a.md" >"#, "/x/", r#"<a href="/x/" >"#),
            (r#"<a href='a.md'>"#, "/x'y/", r#"<a href='/x&#39;y/'>"#),
            (r#"<a HREF=a.md>"#, "/x/", r#"<a HREF=/x/>"#),
            (r#"<a href=a.md>"#, "/x y/", r#"<a href="/x y/">"#),
            (
                r#"<a href="a.md" href="b.md">"#,
                "/x/",
                r#"<a href="/x/" href="b.md">"#,
            ),
            (
                r#"<img srcset="b.png 1x,  c.png 2x">"#,
                "/x/",
                r#"<img srcset="b.png 1x,  c.png 2x">"#,
            ),
            (
                r#"<img srcset="a.md 1x,  c.png 2x">"#,
                "/x/",
                r#"<img srcset="/x/ 1x, c.png 2x">"#,
            ),
        ];
        for (html, to, expected) in cases {
            assert_eq!(rewrite_urls(html, &map(to)), expected, "{html}");
        }
    }
}
