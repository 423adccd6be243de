//! The arguments a shortcode template declares, and the check of every call
//! against them.
//!
//! A template declares its arguments in a Tera comment of its own:
//! `{#- args: type=info|tip|warning|danger|success, title, icon -#}`, each a
//! name, optionally with the values it allows (`|`-separated). A call with an
//! argument the template does not declare, or a value it does not allow, is an
//! error at the argument, with the closest declared name or value. A template
//! that declares nothing (a site's own shortcode, say) takes any argument.

use std::collections::HashMap;

use crate::content::shortcodes::{ArgValue, ShortcodeCall};
use crate::content::SourceText;
use crate::diagnostics::{closest_name, Diagnostic};

/// One declared argument: its name and, when restricted, its allowed values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgSpec {
    pub name: String,
    pub values: Option<Vec<String>>,
}

/// The declared arguments of each shortcode, by shortcode name.
pub type ArgSchemas = HashMap<String, Vec<ArgSpec>>;

/// The `args:` declaration of a template's source, if it has one.
pub fn parse_declaration(source: &str) -> Option<Vec<ArgSpec>> {
    let start = source.find("{#")?;
    let end = start + source[start..].find("#}")?;
    let comment = &source[start + 2..end];
    let declared = comment.split_once("args:")?.1;
    let declared = declared.lines().next().unwrap_or("").trim_end_matches('-');
    let specs = declared
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| match entry.split_once('=') {
            Some((name, values)) => ArgSpec {
                name: name.trim().to_string(),
                values: Some(values.split('|').map(|v| v.trim().to_string()).collect()),
            },
            None => ArgSpec {
                name: entry.to_string(),
                values: None,
            },
        })
        .collect();
    Some(specs)
}

/// An error for every argument a call's template does not declare, and every
/// value it does not allow.
pub fn check_call(source: &SourceText, call: &ShortcodeCall, specs: &[ArgSpec]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let call_text = source.text.get(call.range.clone()).unwrap_or_default();
    let at = |name: &str| {
        let offset = call_text
            .find(&format!("{name}="))
            .or_else(|| call_text.find(name))
            .map_or(call.range.start, |i| call.range.start + i);
        source.place(
            Diagnostic::error("shortcode", &source.path, String::new()),
            offset,
        )
    };
    let names: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
    for (name, value) in &call.args {
        let Some(spec) = specs.iter().find(|s| &s.name == name) else {
            let help = match closest_name(name, &names) {
                Some(known) => format!(
                    "did you mean `{known}`? `{}` takes: {}",
                    call.name,
                    names.join(", ")
                ),
                None => format!("`{}` takes: {}", call.name, names.join(", ")),
            };
            problems.push(
                Diagnostic {
                    message: format!("shortcode `{}` has no argument `{name}`", call.name),
                    ..at(name)
                }
                .with_help(help),
            );
            continue;
        };
        let (Some(allowed), ArgValue::Str(given)) = (&spec.values, value) else {
            continue;
        };
        if allowed.iter().any(|v| v == given) {
            continue;
        }
        let allowed_refs: Vec<&str> = allowed.iter().map(String::as_str).collect();
        let list = allowed_refs.join(", ");
        let help = match closest_name(given, &allowed_refs) {
            Some(known) => format!("did you mean `{known}`? It takes: {list}"),
            None => format!("it takes: {list}"),
        };
        problems.push(
            Diagnostic {
                message: format!(
                    "`{name}=\"{given}\"` is not a value `{}` knows for `{name}`",
                    call.name
                ),
                ..at(name)
            }
            .with_help(help),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_read_from_the_first_comment() {
        let specs = parse_declaration(
            "{#- args: type=info|tip, title, icon -#}\n{#- prose -#}\n<div></div>",
        )
        .unwrap();
        assert_eq!(
            specs,
            [
                ArgSpec {
                    name: "type".into(),
                    values: Some(vec!["info".into(), "tip".into()])
                },
                ArgSpec {
                    name: "title".into(),
                    values: None
                },
                ArgSpec {
                    name: "icon".into(),
                    values: None
                },
            ]
        );
        assert_eq!(parse_declaration("{# A box #}<div></div>"), None);
        assert_eq!(parse_declaration("<div></div>"), None);
    }
}
