//! URLs in an article's raw HTML, rewritten like Markdown links.
//!
//! Authors write `<img src="images/panel.png">` and `<a href="wiring.md">`
//! relative to the Markdown file, as GitHub renders them, but the page is
//! served one folder deeper (`/intro/overview/`), so as written they 404. The
//! link checker has resolved every such URL to the URL the build writes
//! (`link_targets`, the same map Markdown links use); this pass sets those
//! values on the rendered body's `href`, `src` and `srcset` attributes with an
//! HTML rewriter (lol_html), so attribute quoting and comments are read as a
//! browser reads them. Character references in values are not decoded
//! (lol_html gives values as written): `a.md?x=1&amp;y=2` is looked up as
//! written, the same way the scanner read it. Values it has no target for
//! (external URLs, anchors, what Markdown links already turned into final
//! URLs) stay as they are.

use std::collections::HashMap;

use lol_html::html_content::Element;
use lol_html::{element, rewrite_str, RewriteStrSettings};

/// `html` with every `href`, `src` and `srcset` URL found in `targets`
/// replaced by its target. On a rewriter error (which valid HTML from the
/// Markdown renderer does not give) the body is returned unchanged.
pub fn rewrite_urls(html: &str, targets: &HashMap<String, String>) -> String {
    if targets.is_empty() {
        return html.to_string();
    }
    let replace = |element: &mut Element<'_, '_>, name: &str| {
        if let Some(value) = element.get_attribute(name) {
            if let Some(target) = targets.get(value.trim()) {
                // Setting a valid attribute name cannot fail.
                let _ = element.set_attribute(name, target);
            }
        }
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("[href]", |el| {
            replace(el, "href");
            Ok(())
        }))
        .append_element_content_handler(element!("[src]", |el| {
            replace(el, "src");
            Ok(())
        }))
        .append_element_content_handler(element!("[srcset]", |el| {
            if let Some(value) = el.get_attribute("srcset") {
                let _ = el.set_attribute("srcset", &rewrite_srcset(&value, targets));
            }
            Ok(())
        }));
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// A `srcset` with each candidate's URL rewritten, descriptors kept:
/// `a.png 1x, b.png 2x` (HTML's "image candidate strings").
fn rewrite_srcset(srcset: &str, targets: &HashMap<String, String>) -> String {
    crate::content::scan::srcset_candidates(srcset)
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
        .join(", ")
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
        assert!(out.contains(r#"<a href="/intro/wiring/">w</a>"#), "{out}");
        assert!(out.contains(r#"href="https://x.org/""#) && out.contains(r##"href="#top""##));
        assert!(
            out.contains(r#"srcset="/intro/images/panel.png 1x, /intro/big.png 2x""#),
            "{out}"
        );
        // Comments and escaped text are not elements.
        assert!(out.contains(r#"<!-- <a href="wiring.md"> -->"#), "{out}");
        assert!(out.contains(r#"&lt;a href="wiring.md"&gt;"#), "{out}");
    }
}
