//! The names a code fence may give its language, and the syntax each stands for.
//!
//! syntect knows a syntax by its name and file extensions (`rust`, `py`); help
//! articles use the names GitHub and Chroma accept (`shell`, `console`,
//! `jsonc`, `terraform`). [`ALIASES`] maps GitHub linguist's names and
//! aliases that syntect does not know to the syntect syntax that reads them;
//! anything else is looked up as syntect does. A name neither knows is shown as
//! plain text, and [`unknown_languages`] lists it for the `code-language` lint.
//! The syntax set is loaded once per process and shared.

use std::collections::HashSet;
use std::sync::LazyLock;

use syntect::parsing::{SyntaxReference, SyntaxSet};

use crate::content::SourceText;

/// Fence language (lower case, as GitHub linguist names it) → syntect syntax name.
pub const ALIASES: &[(&str, &str)] = &[
    ("apache", "Apache Conf"),
    ("apacheconf", "Apache Conf"),
    ("arduino", "C++"),
    ("ino", "C++"),
    ("batchfile", "Batch File"),
    ("batch", "Batch File"),
    ("console", "Bourne Again Shell (bash)"),
    ("shell", "Bourne Again Shell (bash)"),
    ("shell-script", "Bourne Again Shell (bash)"),
    ("shell-session", "Bourne Again Shell (bash)"),
    ("shellsession", "Bourne Again Shell (bash)"),
    ("terminal", "Bourne Again Shell (bash)"),
    ("csharp", "C#"),
    ("docker", "Dockerfile"),
    ("containerfile", "Dockerfile"),
    ("go-html-template", "HTML"),
    ("go-template", "HTML"),
    ("gohtml", "HTML"),
    ("gotmpl", "HTML"),
    ("gql", "GraphQL"),
    ("hcl", "Terraform"),
    ("terraform", "Terraform"),
    ("jsonc", "JSON"),
    ("json-with-comments", "JSON"),
    ("json5", "JSON"),
    ("nginxconf", "nginx"),
    ("objc", "Objective-C"),
    ("obj-c", "Objective-C"),
    ("objectivec", "Objective-C"),
    // `php` fences rarely start with `<?php`: read them as PHP code.
    ("php", "PHP Source"),
    ("plaintext", "Plain Text"),
    ("text", "Plain Text"),
    ("txt", "Plain Text"),
    ("plain", "Plain Text"),
    ("posh", "PowerShell"),
    ("pwsh", "PowerShell"),
    ("powershell", "PowerShell"),
    ("cfg", "INI"),
    ("dosini", "INI"),
    ("ini", "INI"),
    ("diff", "Diff"),
    ("patch", "Diff"),
    ("udiff", "Diff"),
    ("vue", "Vue Component"),
];

/// syntect's syntaxes and two-face's extra ones, loaded on first use.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// The shared syntax set.
pub fn syntaxes() -> &'static SyntaxSet {
    &SYNTAXES
}

/// The syntax of a fence's language: an alias of [`ALIASES`] (any case) first,
/// then syntect's own names and extensions.
pub fn find<'s>(syntaxes: &'s SyntaxSet, language: &str) -> Option<&'s SyntaxReference> {
    let lower = language.to_ascii_lowercase();
    match ALIASES.iter().find(|(alias, _)| *alias == lower) {
        Some((_, name)) => syntaxes.find_syntax_by_name(name),
        None => syntaxes.find_syntax_by_token(language),
    }
}

/// The fences of a file whose language no syntax reads, the first of each
/// language only: (offset of the fence in the file, language as written).
pub fn unknown_languages(source: &SourceText) -> Vec<(usize, &str)> {
    let mut seen = HashSet::new();
    source
        .scan
        .code_fences
        .iter()
        .filter(|fence| find(syntaxes(), &fence.language).is_none())
        .filter(|fence| seen.insert(fence.language.to_ascii_lowercase()))
        .map(|fence| (fence.offset, fence.language.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::scan::scan;

    #[test]
    fn every_alias_names_a_syntax() {
        for (alias, name) in ALIASES {
            assert!(
                syntaxes().find_syntax_by_name(name).is_some(),
                "{alias} → {name}"
            );
        }
    }

    #[test]
    fn the_languages_help_articles_use_are_known() {
        for language in [
            "arduino",
            "shell",
            "console",
            "shell-session",
            "jsonc",
            "apacheconf",
            "nginx",
            "go-html-template",
            "vue",
            "graphql",
            "hcl",
            "terraform",
            "dockerfile",
            "powershell",
            "ini",
            "diff",
            "text",
            "plaintext",
            "php",
            "Shell",
            "rust",
            "yaml",
            "C#",
        ] {
            assert!(find(syntaxes(), language).is_some(), "{language}");
        }
        assert_eq!(
            find(syntaxes(), "php").map(|s| s.scope.to_string()),
            Some("source.php".to_string())
        );
    }

    #[test]
    fn unknown_languages_are_listed_once_per_file() {
        let body = "```mermaid\na\n```\n\n```rust\nfn f() {}\n```\n\n```Mermaid\nb\n```\n\n```nosuch\nc\n```\n";
        let source = SourceText {
            path: "a.md".into(),
            text: body.to_string(),
            body_start: 0,
            scan: scan(body, 0),
            text_hash: 0,
            words: 0,
            map: None,
        };
        assert_eq!(
            unknown_languages(&source),
            [(0, "mermaid"), (body.find("```nosuch").unwrap(), "nosuch")]
        );
    }
}
