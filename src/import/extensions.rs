//! Markdown extensions of a source tool that kbgen's Markdown does not have,
//! found in a line's prose (never in its code spans): Material for MkDocs'
//! icon shortcodes (`:material-clock-fast:`, `:octicons-heart-24:`) and
//! Python-Markdown's attribute lists on inline elements (`[Go](x){ .button }`).
//! They are kept as text, which kbgen shows as written, so each is a finding.

use std::sync::LazyLock;

use regex::Regex;

use super::body::BodyConverter;
use super::notices::Line;
use super::Tool;

/// Reports the extensions in `part`, which starts at byte `offset` of `line`.
pub fn report(part: &str, offset: usize, line: &Line, converter: &mut BodyConverter<'_, '_>) {
    if converter.context().tool != Tool::Mkdocs {
        return;
    }
    let column = |at: usize| line.text[..offset + at].chars().count() + 1;
    for icon in ICON.find_iter(part) {
        converter.finding(
            "import/icon",
            line,
            column(icon.start()),
            format!(
                "the icon `{}` needs an MkDocs extension kbgen does not have; kept as text",
                icon.as_str()
            ),
        );
    }
    if line.text.trim_start().starts_with('#') {
        // A heading's attribute list is kbgen's too.
        return;
    }
    for caps in INLINE_ATTRIBUTES.captures_iter(part) {
        let Some(attributes) = caps.get(1) else {
            continue;
        };
        converter.finding(
            "import/attribute-list",
            line,
            column(attributes.start()),
            format!(
                "the attribute list `{}` has no kbgen equivalent; kept as text",
                attributes.as_str()
            ),
        );
    }
}

/// Icon sets of Material for MkDocs' emoji extension.
static ICON: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r":(?:material|octicons|fontawesome|simple)-[a-z0-9-]+:").expect("regex")
});

/// `{ .class }`, `{: #id .class }`, `{ key=value }` right after an element.
static INLINE_ATTRIBUTES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[^\s{](\{:?[ \t]*(?:[.#][A-Za-z_][^{}\n]*|[A-Za-z_-]+=[^{}\n]*)\})")
        // ok: a constant pattern, compiled by every test run
        .expect("regex")
});
