//! Headings and the `#fragments` that point at them. Each tool gives a
//! heading its id by its own rule (kramdown drops leading digits and `_`,
//! Python-Markdown folds `a - b` into `a-b` and numbers repeats `_1`, Grav's
//! anchors keep the case, GitHub keeps `--`); kbgen gives GitHub's. So the
//! import reads every page's headings as kbgen will (its own scanner), and a
//! link's fragment that is not one of those ids is moved to the heading it
//! meant: the one whose id or text reads the same once case, punctuation and
//! spaces are set aside. An explicit id written in a tool's attribute syntax
//! (`## Title { #id }`, `{ id="id" }`, `{: #id}`) becomes kbgen's `{#id}`.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

/// The anchors kbgen will give one page.
#[derive(Debug, Default)]
pub struct PageAnchors {
    /// Each heading's kbgen id and text, in page order.
    headings: Vec<(String, String)>,
    /// Every id a fragment may name as it is (headings, raw-HTML ids,
    /// footnotes' notes).
    ids: HashSet<String>,
}

impl PageAnchors {
    /// The anchors of a Markdown body, as kbgen's scanner finds them once the
    /// import has written the body's explicit ids in kbgen's syntax.
    pub fn of_body(body: &str) -> PageAnchors {
        let body: String = body
            .split_inclusive('\n')
            .map(|line| with_kbgen_id(line).unwrap_or_else(|| line.to_string()))
            .collect();
        let scan = crate::content::scan::scan(&body, 0);
        let mut ids: HashSet<String> = scan.html_ids.into_iter().collect();
        let headings: Vec<(String, String)> =
            scan.headings.into_iter().map(|h| (h.id, h.text)).collect();
        ids.extend(headings.iter().map(|(id, _)| id.clone()));
        PageAnchors { headings, ids }
    }

    /// The id kbgen gives the heading `fragment` (percent-decoded) names, when
    /// it differs from `fragment`; `None` when the fragment is an id already
    /// or names no heading.
    pub fn moved(&self, raw: &str) -> Option<String> {
        let fragment = percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .ok()?;
        if self.ids.contains(fragment.as_ref()) {
            // `#caf%C3%A9` names `café`: written as the id it names.
            return (fragment.as_ref() != raw).then(|| fragment.into_owned());
        }
        let wanted = key(&fragment);
        if wanted.is_empty() {
            return None;
        }
        // Footnotes too: kramdown's `#fn:note` is kbgen's `#fn-note`.
        let by_id: Vec<&String> = self.ids.iter().filter(|id| key(id) == wanted).collect();
        if let [one] = by_id.as_slice() {
            return Some((*one).clone());
        }
        // By text: the first heading that reads so is the one a tool gave the
        // plain id; kramdown also drops a leading number (`1. Install`).
        self.headings
            .iter()
            .find(|(_, text)| {
                let text = key(text);
                text == wanted || text.trim_start_matches(|c: char| c.is_ascii_digit()) == wanted
            })
            .map(|(id, _)| id.clone())
    }
}

/// What two spellings of an anchor share: lower-case letters and digits only.
fn key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// An ATX heading line whose attribute list sets its id in a tool's syntax,
/// written with kbgen's `{#id}`; `None` for any other line.
pub fn with_kbgen_id(line: &str) -> Option<String> {
    let caps = HEADING_ATTRIBUTES.captures(line)?;
    let whole = caps.get(0)?;
    let attributes = caps.get(2)?.as_str();
    let id = ID_ATTRIBUTE
        .captures(attributes)
        .and_then(|c| c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)))?;
    let rest: String = ID_ATTRIBUTE.replace(attributes, "").trim().to_string();
    let rest = rest.trim_start_matches(':').trim();
    let attributes = if rest.is_empty() {
        format!("{{#{}}}", id.as_str())
    } else {
        format!("{{#{} {rest}}}", id.as_str())
    };
    let kbgen = format!("{}{attributes}", &caps[1]);
    if kbgen == whole.as_str().trim_end() {
        return None;
    }
    let end = &line[whole.end()..];
    Some(format!("{kbgen}{end}"))
}

/// `## Title { … }` at the end of a line: (everything before the brace, the
/// attributes).
static HEADING_ATTRIBUTES: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r"^(\s{0,3}#{1,6}\s.*?\s*)\{:?\s*([^{}]*?)\s*\}[ \t]*").expect("regex")
});

/// `#id`, `id="id"` or `id='id'` inside an attribute list.
static ID_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    // ok: a constant pattern, compiled by every test run
    Regex::new(r#"(?:^|\s)(?:#([^\s}]+)|id\s*=\s*"([^"]+)"|id\s*=\s*'([^']+)')"#).expect("regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_ids_are_written_as_kbgen_ids() {
        assert_eq!(
            with_kbgen_id("### 9.7.0 <small>x</small> { id=\"9.7.0\" }\n").as_deref(),
            Some("### 9.7.0 <small>x</small> {#9.7.0}\n")
        );
        assert_eq!(
            with_kbgen_id("## Setup { #install .wide }").as_deref(),
            Some("## Setup {#install .wide}")
        );
        assert_eq!(with_kbgen_id("## Setup {#install}"), None);
        assert_eq!(with_kbgen_id("Setup { #install }"), None);
    }

    #[test]
    fn fragments_move_to_the_heading_they_meant() {
        let anchors = PageAnchors::of_body(
            "## Caret, Mark & Tilde\n\n## Cache-Control\n\n## 1. Install\n\n## Repeat\n\n## Repeat\n\n<a id=\"KeepMe\"></a>\n\nA note.[^js]\n\n[^js]: Scripts.\n",
        );
        assert_eq!(
            anchors.moved("caret-mark-tilde").as_deref(),
            Some("caret-mark--tilde")
        );
        assert_eq!(
            anchors.moved("Cache-Control").as_deref(),
            Some("cache-control")
        );
        assert_eq!(anchors.moved("install").as_deref(), Some("1-install"));
        assert_eq!(anchors.moved("repeat_1").as_deref(), Some("repeat-1"));
        assert_eq!(anchors.moved("Repeat").as_deref(), Some("repeat"));
        assert_eq!(anchors.moved("KeepMe"), None);
        assert_eq!(anchors.moved("fn:js").as_deref(), Some("fn-js"));
        assert_eq!(anchors.moved("cache-control"), None);
        assert_eq!(anchors.moved("nowhere"), None);
        let accented = PageAnchors::of_body("## Começando\n");
        assert_eq!(
            accented.moved("come%C3%A7ando").as_deref(),
            Some("começando")
        );
    }
}
