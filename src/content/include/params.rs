//! Parameters: every argument of an include call but `path` gives a value
//! to `{{ name }}` in the snippet (outside code, like shortcodes), as
//! Markdown; inside a shortcode call's arguments, as a quoted string's
//! text. A snippet included from a snippet sees the parameters around it
//! unless its call sets them. A `{{ name }}` no call gives is an error at
//! the snippet; a parameter the snippet never uses is a warning at the call.

use std::cell::Cell;
use std::ops::Range;

use super::{Builder, Frame};
use crate::content::shortcodes::{ArgValue, ShortcodeCall};
use crate::content::snippets::Snippet;
use crate::content::SourceText;
use crate::diagnostics::Diagnostic;

/// A parameter an include call gives.
#[derive(Debug)]
pub(super) struct Param {
    pub(super) name: String,
    /// Its value, as Markdown.
    pub(super) value: String,
    /// The call that gives it: origin and offset.
    pub(super) origin: usize,
    pub(super) offset: usize,
    pub(super) used: Cell<bool>,
}

impl Builder<'_> {
    /// A `{{ name }}` in a snippet: the value a call in scope gives, or an
    /// error (and the text as written).
    pub(super) fn parameter(&mut self, frame: &Frame<'_>, range: Range<usize>, name: &str) {
        let param = frame
            .scope
            .iter()
            .rev()
            .find_map(|params| params.iter().find(|p| p.name == name));
        let Some(param) = param else {
            let written = frame.source.text[range.clone()].to_string();
            let snippet = frame.chain.last().cloned().unwrap_or_default();
            self.error(
                frame,
                range.start,
                format!("`{written}` needs a `{name}` parameter, which the include does not give"),
                format!("give it in the include: {{{{ include(path=\"{snippet}\", {name}=\"…\") }}}}; to show the braces as text, write {{{{/* {name} */}}}}"),
            );
            self.copy_text(frame, range);
            return;
        };
        param.used.set(true);
        let value = if inside_call_tag(frame.source, range.start) {
            param
                .value
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\'', "\\'")
        } else {
            param.value.clone()
        };
        let continuation = frame.continuation.clone();
        self.push_made((param.origin, param.offset), &value, &continuation);
    }

    /// A warning for each parameter of `call` the snippet never uses.
    pub(super) fn report_unused(
        &mut self,
        frame: &Frame<'_>,
        call: &ShortcodeCall,
        snippet: &Snippet,
        params: &[Param],
    ) {
        for param in params.iter().filter(|p| !p.used.get()) {
            let uses: Vec<String> = parameter_refs(
                &snippet.source,
                snippet.source.body_start..snippet.source.text.len(),
            )
            .into_iter()
            .map(|(_, name)| name)
            .collect();
            let help = match uses
                .iter()
                .find(|u| strsim::levenshtein(u, &param.name) <= 2)
            {
                Some(close) => format!("did you mean `{close}`?"),
                None if uses.is_empty() => format!(
                    "{} uses no parameter; remove `{}`",
                    snippet.name(),
                    param.name
                ),
                None => format!(
                    "{} uses: {}",
                    snippet.name(),
                    uses.iter()
                        .map(|u| format!("`{u}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let warning = Diagnostic::warning(
                "include",
                "",
                format!(
                    "the parameter `{}` is not used: {} has no `{{{{ {} }}}}`",
                    param.name,
                    snippet.name(),
                    param.name
                ),
            )
            .with_help(help);
            let warning = self.at(frame.origin, call.range.start, warning);
            self.problems.push(warning);
        }
    }
}

/// A parameter's value as text; a list is none.
pub(super) fn parameter_text(value: &ArgValue) -> Option<String> {
    match value {
        ArgValue::Str(text) => Some(text.clone()),
        ArgValue::Int(n) => Some(n.to_string()),
        ArgValue::Float(x) => Some(x.to_string()),
        ArgValue::Bool(b) => Some(b.to_string()),
        ArgValue::Array(_) => None,
    }
}

/// The `{{ name }}`s in `range` of a snippet, outside code and escapes.
pub(super) fn parameter_refs(
    source: &SourceText,
    range: Range<usize>,
) -> Vec<(Range<usize>, String)> {
    let text = &source.text;
    let mut found = Vec::new();
    let mut pos = range.start;
    while let Some(at) = text[pos..range.end].find("{{").map(|i| pos + i) {
        pos = at + 2;
        let protected = source.scan.protected.iter().any(|r| r.contains(&at));
        if protected || text[at..].starts_with("{{/*") {
            continue;
        }
        let rest = &text[at + 2..range.end];
        let inner = rest.trim_start_matches([' ', '\t']);
        let name_len = inner
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if name_len == 0 || inner.as_bytes()[0].is_ascii_digit() {
            continue;
        }
        let after = inner[name_len..].trim_start_matches([' ', '\t']);
        if !after.starts_with("}}") {
            continue;
        }
        let end = range.end - after.len() + 2;
        found.push((at..end, inner[..name_len].to_string()));
        pos = end;
    }
    found
}

/// Whether `offset` of a snippet lies inside a shortcode call's tag (its
/// arguments), where a value goes in quotes.
fn inside_call_tag(source: &SourceText, offset: usize) -> bool {
    source
        .scan
        .shortcodes
        .iter()
        .flat_map(ShortcodeCall::walk)
        .any(|call| {
            let tag_end = call.body.as_ref().map_or(call.range.end, |b| b.start);
            call.range.start < offset && offset < tag_end
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_found_outside_code_and_escapes() {
        let text =
            "Use {{ product }} or {{plan}}, not `{{ code }}` or {{/* x */}} or {{ call() }}.";
        let source = SourceText {
            path: "s.md".into(),
            text: text.to_string(),
            body_start: 0,
            scan: crate::content::scan::scan(text, 0),
            text_hash: 0,
            words: 0,
            map: None,
        };
        let refs: Vec<String> = parameter_refs(&source, 0..text.len())
            .into_iter()
            .map(|(r, name)| format!("{}={name}", &text[r]))
            .collect();
        assert_eq!(refs, ["{{ product }}=product", "{{plan}}=plan"]);
    }
}
