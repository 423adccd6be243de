//! Snippets: Markdown files under `content/_snippets/` (at any depth) that
//! articles include with the built-in `include` shortcode (see
//! [`super::include`]). A snippet is never a page: the walk lists it apart
//! from articles, it has no URL, and nothing links to it. Each snippet file
//! is read once per load, however many pages include it; the preview server
//! keeps it, like any file, until it changes.
//!
//! A snippet may start with front matter (Hugo's shared files keep one to
//! say what they are); it is not part of the included text. Front matter
//! that sets `title` marks a full article, and including one is an error.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use super::cache::{FileCache, Read};
use super::front_matter::FrontMatter;
use super::SourceText;
use crate::diagnostics::Diagnostic;

/// The folder under `content/` that holds snippets.
pub const SNIPPETS_DIR: &str = "_snippets";

/// Whether a path under `content/` (`_snippets/box.md`) is a snippet's.
pub fn is_snippet_file(content_path: &str) -> bool {
    content_path
        .strip_prefix(SNIPPETS_DIR)
        .is_some_and(|rest| rest.starts_with('/'))
        && content_path.ends_with(".md")
}

/// One snippet file, as read.
#[derive(Debug, Clone)]
pub struct Snippet {
    /// The file: its text, where its body starts (after any front matter),
    /// and its body's code ranges and shortcode calls (its includes).
    pub source: Arc<SourceText>,
    /// Its path under `content/` (`_snippets/support/box.md`).
    pub content_path: String,
    /// Its front matter sets `title`: a full article, not text to include.
    pub has_title: bool,
}

impl Snippet {
    pub fn new(source: Arc<SourceText>, content_path: &str, front: &FrontMatter) -> Snippet {
        Snippet {
            source,
            content_path: content_path.to_string(),
            has_title: !front.title.is_empty(),
        }
    }

    /// Its name in `include(path=…)`: its path under `content/_snippets/`.
    pub fn name(&self) -> &str {
        self.content_path
            .strip_prefix(SNIPPETS_DIR)
            .map_or(&self.content_path, |rest| rest.trim_start_matches('/'))
    }
}

/// Every snippet of the site, by name (its path under `content/_snippets/`).
#[derive(Debug, Default, Clone)]
pub struct Snippets {
    by_name: BTreeMap<String, Snippet>,
    /// Snippet files that could not be read (their error is reported at
    /// them): including one adds no error of its own.
    unreadable: BTreeSet<String>,
}

impl Snippets {
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty() && self.unreadable.is_empty()
    }

    pub fn insert(&mut self, snippet: Snippet) {
        self.by_name.insert(snippet.name().to_string(), snippet);
    }

    /// Notes a snippet file that could not be read.
    pub fn insert_unreadable(&mut self, content_path: &str) {
        let name = content_path
            .strip_prefix(SNIPPETS_DIR)
            .map_or(content_path, |rest| rest.trim_start_matches('/'));
        self.unreadable.insert(name.to_string());
    }

    pub fn get(&self, name: &str) -> Option<&Snippet> {
        self.by_name.get(name)
    }

    pub fn is_unreadable(&self, name: &str) -> bool {
        self.unreadable.contains(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Snippet> {
        self.by_name.values()
    }

    /// The snippet a writer most likely meant by `name`: the same name with
    /// `.md`, another case, or a name at most a few edits away.
    pub fn closest(&self, name: &str) -> Option<&str> {
        let with_extension = format!("{name}.md");
        if let Some((known, _)) = self.by_name.get_key_value(&with_extension) {
            return Some(known);
        }
        if let Some(known) = self.by_name.keys().find(|k| k.eq_ignore_ascii_case(name)) {
            return Some(known);
        }
        let limit = (name.chars().count() / 3).clamp(2, 6);
        self.by_name
            .keys()
            .map(|k| (strsim::levenshtein(k, name), k))
            .filter(|(distance, _)| *distance <= limit)
            .min()
            .map(|(_, k)| k.as_str())
    }

    /// A short list of the snippets there are, for a help line.
    pub fn listing(&self) -> String {
        const SHOWN: usize = 8;
        let names: Vec<String> = self
            .by_name
            .keys()
            .take(SHOWN)
            .map(|k| format!("`{k}`"))
            .collect();
        let more = self.by_name.len().saturating_sub(SHOWN);
        match (names.is_empty(), more) {
            (true, _) => "content/_snippets/ holds no snippet".to_string(),
            (false, 0) => format!("snippets: {}", names.join(", ")),
            (false, more) => format!("snippets: {} and {more} more", names.join(", ")),
        }
    }

    /// A warning for every snippet that no page includes (`used` holds the
    /// content paths of the snippets pages include).
    pub fn unused(&self, used: &BTreeSet<&str>) -> Vec<Diagnostic> {
        self.by_name
            .values()
            .filter(|s| !used.contains(s.content_path.as_str()))
            .map(|s| {
                Diagnostic::warning(
                    "unused-snippet",
                    &s.source.path,
                    "no page includes this snippet",
                )
                .with_help(format!(
                    "include it where it belongs with {{{{ include(path=\"{}\") }}}}, or remove the file",
                    s.name()
                ))
            })
            .collect()
    }
}

/// The snippets of a load, from what reading `files` gave (`reads`, in the
/// same order), and the content paths of those read afresh (changed since
/// the cache last held them). Problems reading them go to `problems`.
pub(super) fn collect(
    cache: &mut FileCache,
    files: &[String],
    reads: Vec<Read>,
    problems: &mut Vec<Diagnostic>,
) -> (Snippets, HashSet<String>) {
    let mut snippets = Snippets::default();
    let mut changed = HashSet::new();
    for (file, read) in files.iter().zip(reads) {
        if matches!(read, Read::Fresh(..)) {
            changed.insert(file.clone());
        }
        let (loaded, mut found) = cache.take(file, read);
        problems.append(&mut found);
        match loaded {
            Some((source, front)) => snippets.insert(Snippet::new(source, file, &front)),
            None => snippets.insert_unreadable(file),
        }
    }
    (snippets, changed)
}

/// A snippet file: its front matter parsed (a `title` marks a full
/// article), its body scanned for code and for the calls in it. Problems
/// of its body are found where a page includes it, and reported there.
pub(super) fn parse_snippet(
    text: String,
    path: PathBuf,
) -> Result<(SourceText, FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
    let split = super::front_matter::split(&text, &path).map_err(|d| vec![d])?;
    let (front, mut problems) = match super::front_matter::parse(&text, split, &path) {
        Ok(front) => (front, Vec::new()),
        Err(errors) => (
            FrontMatter {
                invalid: true,
                ..FrontMatter::default()
            },
            errors,
        ),
    };
    if text[split.body_start..].trim().is_empty() {
        problems.push(
            Diagnostic::warning("include", &path, "the snippet is empty")
                .with_help("write the text to share, or remove the file"),
        );
    }
    let place = |diagnostic: Diagnostic, offset: usize| diagnostic.at_offset(&text, offset);
    let (scan, _) = super::scan_body(&text, split.body_start, &path, &place);
    Ok((
        super::source_text(path, text, split.body_start, scan),
        front,
        problems,
    ))
}

/// `source` with the snippets it includes in it (see [`include`]), or as
/// it is when it includes none.
pub(super) fn with_snippets(
    source: Arc<SourceText>,
    file: &str,
    library: &super::include::Library<'_>,
) -> Arc<SourceText> {
    if !super::include::has_includes(&source.scan.shortcodes) {
        return source;
    }
    let expanded = crate::diagnostics::catch_panic(&source.path, || {
        super::include::expand(&source, file, library)
    });
    match expanded {
        Ok(Some(page)) => Arc::new(page),
        Ok(None) => source,
        Err(panic) => {
            let mut map = super::source_map::SourceMap::new(Arc::clone(&source), file);
            map.problems.push(panic);
            Arc::new(SourceText {
                map: Some(Arc::new(map)),
                ..(*source).clone()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_files_are_markdown_under_the_snippets_folder() {
        assert!(is_snippet_file("_snippets/box.md"));
        assert!(is_snippet_file("_snippets/a/b/box.md"));
        assert!(!is_snippet_file("_snippets/logo.png"));
        assert!(!is_snippet_file("_snippets.md"));
        assert!(!is_snippet_file("_snippetsx/box.md"));
        assert!(!is_snippet_file("guides/_snippets/box.md"));
    }
}
