//! What an include call asks for: the snippet its `path` names (or why it
//! names none: no such snippet, with the closest name; an article; a call
//! with a body or without `path`), the parameters it gives, and why a found
//! snippet cannot be included here (a cycle, too deep, a full article, a
//! page grown too long).

use std::cell::Cell;

use super::params::{parameter_text, Param};
use super::{Builder, Frame, MAX_INCLUDE_DEPTH, MAX_PAGE_BYTES};
use crate::content::shortcodes::{ArgValue, ShortcodeCall};
use crate::content::snippets::{Snippet, SNIPPETS_DIR};

impl<'l> Builder<'l> {
    /// The snippet a call names and the parameters it gives, or `None`
    /// (after reporting why, unless the snippet's own error says it).
    pub(super) fn resolve(
        &mut self,
        frame: &Frame<'_>,
        call: &ShortcodeCall,
    ) -> Option<(&'l Snippet, Vec<Param>)> {
        let at = call.range.start;
        if call.body.is_some() {
            self.error(
                frame,
                at,
                "`include` takes no body".to_string(),
                "write it as `{{ include(path=\"…\") }}`, and put the text in the snippet"
                    .to_string(),
            );
            return None;
        }
        let Some(path) = call.args.iter().find(|(key, _)| key == "path") else {
            self.error(
                frame,
                at,
                "`include` needs the snippet's `path`".to_string(),
                "write `{{ include(path=\"contact.md\") }}` for content/_snippets/contact.md"
                    .to_string(),
            );
            return None;
        };
        let ArgValue::Str(path) = &path.1 else {
            self.error(
                frame,
                at,
                "`path` of `include` must be text".to_string(),
                "write `path=\"contact.md\"`".to_string(),
            );
            return None;
        };
        let mut params = Vec::new();
        for (key, value) in call.args.iter().filter(|(key, _)| key != "path") {
            let Some(value) = parameter_text(value) else {
                self.error(
                    frame,
                    at,
                    format!("the parameter `{key}` is a list, which cannot stand in text"),
                    "a parameter is text, a number, true or false".to_string(),
                );
                return None;
            };
            params.push(Param {
                name: key.clone(),
                value,
                origin: frame.origin,
                offset: at,
                used: Cell::new(false),
            });
        }
        let snippets = self.library.snippets;
        let name = match snippet_name(path) {
            Ok(name) => name,
            Err(problem) => {
                self.error(frame, at, problem.0, problem.1);
                return None;
            }
        };
        match snippets.get(&name) {
            Some(snippet) => Some((snippet, params)),
            None if snippets.is_unreadable(&name) => None,
            None => {
                let (message, help) = self.missing(path, &name);
                self.error(frame, at, message, help);
                None
            }
        }
    }

    /// Why a found snippet cannot be included here: a cycle, too deep, a
    /// full article, a page too long.
    pub(super) fn refusal(
        &self,
        frame: &Frame<'_>,
        snippet: &Snippet,
        name: &str,
    ) -> Option<(String, String)> {
        if frame.chain.iter().any(|n| n == name) {
            let mut chain = frame.chain.clone();
            chain.push(name.to_string());
            return Some((
                format!("include cycle: {}", chain.join(" → ")),
                format!("a snippet cannot include itself, directly or through others: remove the include of `{name}` here"),
            ));
        }
        if frame.chain.len() >= MAX_INCLUDE_DEPTH {
            return Some((
                format!("snippets are included more than {MAX_INCLUDE_DEPTH} deep"),
                format!("include `{name}` from a page, or from a snippet nearer the page"),
            ));
        }
        if snippet.has_title {
            return Some((
                format!(
                    "{} is a full article (its front matter sets `title`), not a snippet",
                    snippet.source.path.display()
                ),
                "remove `title` from its front matter if it is text to include; to point readers at an article, link to it".to_string(),
            ));
        }
        if self.text.len() > MAX_PAGE_BYTES {
            return Some((
                format!(
                    "includes make this page more than {} MiB of Markdown",
                    MAX_PAGE_BYTES / (1024 * 1024)
                ),
                "a snippet is included many times over, most likely by snippets that include each other several times".to_string(),
            ));
        }
        None
    }

    /// The error for a path that names no snippet.
    fn missing(&self, written: &str, name: &str) -> (String, String) {
        let pages = self.library.pages;
        let as_page = name
            .strip_prefix("../")
            .filter(|page| pages.iter().any(|p| p == page));
        if let Some(page) = as_page {
            return (
                format!("`{written}` is the article content/{page}, not a snippet"),
                format!("move the text to share into content/{SNIPPETS_DIR}/ and include it from there; to point readers at the article, link to it: [title](@/{page})"),
            );
        }
        let message = format!("no snippet `{written}` in content/{SNIPPETS_DIR}/");
        let help = match self.library.snippets.closest(name) {
            Some(known) => format!("did you mean `{known}`?"),
            None => format!(
                "a snippet is a Markdown file under content/{SNIPPETS_DIR}/, named by its path there; {}",
                self.library.snippets.listing()
            ),
        };
        (message, help)
    }
}

/// The name under `content/_snippets/` of the snippet `path` names, `..`
/// resolved (a name that leaves the folder keeps its `../`); or why it is
/// no snippet name (a message and a help).
pub fn snippet_name(path: &str) -> Result<String, (String, String)> {
    let path = path.trim();
    let relative = if let Some(from_content) = path.strip_prefix("@/") {
        match from_content.strip_prefix(SNIPPETS_DIR) {
            Some(rest) if rest.starts_with('/') => rest.trim_start_matches('/').to_string(),
            _ => format!("../{from_content}"),
        }
    } else {
        path.trim_start_matches('/').to_string()
    };
    let mut parts: Vec<&str> = Vec::new();
    let mut above = 0;
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.is_empty() => above += 1,
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return Err((
            format!("`include` names no file: `{path}`"),
            "write `path=\"contact.md\"` for content/_snippets/contact.md".to_string(),
        ));
    }
    Ok(format!("{}{}", "../".repeat(above), parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_paths_under_the_snippets_folder() {
        assert_eq!(snippet_name("contact.md").unwrap(), "contact.md");
        assert_eq!(snippet_name("/support/./box.md").unwrap(), "support/box.md");
        assert_eq!(snippet_name("@/_snippets/box.md").unwrap(), "box.md");
        assert_eq!(snippet_name("a/../box.md").unwrap(), "box.md");
        assert_eq!(snippet_name("../guides/x.md").unwrap(), "../guides/x.md");
        assert_eq!(snippet_name("@/guides/x.md").unwrap(), "../guides/x.md");
        assert!(snippet_name("./").is_err());
    }
}
