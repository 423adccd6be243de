//! Where theme strings come from: the built-in tables ([`crate::theme::STRINGS`])
//! and a site's `i18n/<code>.yaml`, read with their problems at
//! `path:line:col` like `kbgen.yaml`'s.
//!
//! A site file is a YAML mapping of key to text. Bad YAML, a value that is
//! not text and a `dir` other than `ltr`/`rtl` are errors (the file, or that
//! key, is left out); a key the theme does not know is a warning with the
//! closest known key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::yaml_errors::{plain_config_words, yaml_problem, yaml_problem_help};

use super::{BASE_LANGUAGE, CODE};

/// The folder of a site's string tables, beside `kbgen.yaml`.
pub const STRINGS_DIR: &str = "i18n";

/// One table a language's strings are looked up in.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    /// The site file it was read from (`i18n/de.yaml`); none for a built-in table.
    pub file: Option<PathBuf>,
    pub entries: BTreeMap<String, String>,
}

/// `i18n/<code>.yaml`, relative to the site root.
pub fn file_name(code: &str) -> PathBuf {
    Path::new(STRINGS_DIR).join(format!("{code}.yaml"))
}

/// The built-in tables, and the site's files read so far (each once).
pub struct Sources<'a> {
    root: &'a Path,
    /// By lower-case code.
    builtin: BTreeMap<String, BTreeMap<String, String>>,
    /// By code as written; `None` when there is no such file (or it is broken).
    site: BTreeMap<String, Option<Layer>>,
    problems: Vec<Diagnostic>,
}

impl<'a> Sources<'a> {
    pub fn new(root: &'a Path) -> Sources<'a> {
        let builtin = crate::theme::STRINGS
            .iter()
            .map(|(code, yaml)| (code.to_ascii_lowercase(), parse_builtin(yaml)))
            .collect();
        Sources {
            root,
            builtin,
            site: BTreeMap::new(),
            problems: Vec::new(),
        }
    }

    /// The built-in table of exactly `code`.
    pub fn builtin(&self, code: &str) -> Option<&BTreeMap<String, String>> {
        self.builtin.get(&code.to_ascii_lowercase())
    }

    /// The tables `language` looks its strings up in, most specific first:
    /// for each code from `language` down to its first subtag (`zh-Hans-CN`,
    /// `zh-Hans`, `zh`), the site's file, then the built-in table.
    pub fn layers(&mut self, language: &str) -> Vec<Layer> {
        let mut layers = Vec::new();
        for code in fallback_chain(language) {
            if let Some(layer) = self.site_layer(code) {
                layers.push(layer);
            }
            if let Some(entries) = self.builtin(code) {
                layers.push(Layer {
                    file: None,
                    entries: entries.clone(),
                });
            }
        }
        layers
    }

    /// The problems met in the site's files.
    pub fn take_problems(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.problems)
    }

    fn site_layer(&mut self, code: &str) -> Option<Layer> {
        if !self.site.contains_key(code) {
            let known = self.builtin(BASE_LANGUAGE).cloned().unwrap_or_default();
            let layer = read_site_file(self.root, code, &known, &mut self.problems);
            self.site.insert(code.to_string(), layer);
        }
        self.site.get(code).cloned().flatten()
    }
}

/// `zh-Hans-CN`, `zh-Hans`, `zh`.
fn fallback_chain(language: &str) -> impl Iterator<Item = &str> {
    let ends = language
        .match_indices('-')
        .map(|(i, _)| i)
        .chain([language.len()]);
    let mut codes: Vec<&str> = ends.map(|end| &language[..end]).collect();
    codes.reverse();
    codes.into_iter().filter(|code| !code.is_empty())
}

/// A built-in table: its tests make sure it parses and has every key.
fn parse_builtin(yaml: &str) -> BTreeMap<String, String> {
    serde_yaml::from_str(yaml).unwrap_or_default()
}

/// Reads `i18n/<code>.yaml` under `root`: `None` when there is no such file
/// or it cannot be used at all (reported in `problems`).
fn read_site_file(
    root: &Path,
    code: &str,
    known: &BTreeMap<String, String>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Layer> {
    let shown = file_name(code);
    let path = root.join(&shown);
    let error = |message: String| Diagnostic::error(CODE, &shown, message);
    match std::fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !path.is_symlink() => return None,
        Err(e) => {
            problems.push(error(format!("cannot read: {e}")));
            return None;
        }
        Ok(meta) if !meta.is_file() => {
            problems.push(error("not a regular file".to_string()));
            return None;
        }
        Ok(_) => {}
    }
    // A link out of the site would publish any file on the machine as strings.
    let inside = match (path.canonicalize(), root.canonicalize()) {
        (Ok(file), Ok(root)) => file.starts_with(root),
        _ => false,
    };
    if !inside {
        problems.push(
            error("a symbolic link to a file outside the site; kbgen does not read it".into())
                .with_help("keep the strings file in the site folder"),
        );
        return None;
    }
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            problems.push(error(format!("cannot read: {e}")));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let (line, column) = crate::diagnostics::utf8_error_position(e.as_bytes(), offset);
            problems.push(
                error("the file is not valid UTF-8".into())
                    .at(line, column)
                    .with_help("save the file as UTF-8"),
            );
            return None;
        }
    };
    let text = crate::diagnostics::normalize_line_ends(&text);
    let entries = parse_site_text(&text, &shown, known, problems)?;
    Some(Layer {
        file: Some(shown),
        entries,
    })
}

/// The entries of a site file's text; problems are placed in `file`.
fn parse_site_text(
    text: &str,
    file: &Path,
    known: &BTreeMap<String, String>,
    problems: &mut Vec<Diagnostic>,
) -> Option<BTreeMap<String, String>> {
    let value: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            let (message, offset) = yaml_problem(&e, text);
            let (message, offset) = plain_config_words(&message, text, offset);
            let mut problem = Diagnostic::error(CODE, file, &message).at_offset(text, offset);
            if let Some(help) = yaml_problem_help(&message) {
                problem = problem.with_help(help);
            }
            problems.push(problem);
            return None;
        }
    };
    let mapping = match value {
        serde_yaml::Value::Null => return Some(BTreeMap::new()),
        serde_yaml::Value::Mapping(mapping) => mapping,
        _ => {
            problems.push(
                Diagnostic::error(
                    CODE,
                    file,
                    "a strings file is a list of `key: text` lines; this is not",
                )
                .at(1, 1),
            );
            return None;
        }
    };
    let mut entries = BTreeMap::new();
    for (key, value) in mapping {
        let Some(key) = key.as_str().map(str::to_string) else {
            problems.push(Diagnostic::error(CODE, file, "a key that is not text").at(1, 1));
            continue;
        };
        let place = |d: Diagnostic| d.at_offset(text, key_offset(text, &key).unwrap_or(0));
        if !known.contains_key(&key) {
            let mut warning = place(Diagnostic::warning(
                CODE,
                file,
                format!("`{key}` is not a theme string; it is ignored"),
            ));
            if let Some(close) = closest(&key, known.keys()) {
                warning = warning.with_help(format!("did you mean `{close}`?"));
            }
            problems.push(warning);
            continue;
        }
        let Some(text_value) = value.as_str() else {
            problems.push(
                place(Diagnostic::error(
                    CODE,
                    file,
                    format!("`{key}` must be text"),
                ))
                .with_help("write the value in quotes"),
            );
            continue;
        };
        if key == "dir" && !matches!(text_value, "ltr" | "rtl") {
            problems.push(place(Diagnostic::error(
                CODE,
                file,
                format!("`dir` is `ltr` or `rtl`, not `{text_value}`"),
            )));
            continue;
        }
        entries.insert(key, text_value.to_string());
    }
    Some(entries)
}

/// The byte offset of the top-level `key:` line in `text` (the key may be
/// quoted).
fn key_offset(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let rest = [format!("\"{key}\""), format!("'{key}'"), key.to_string()]
            .iter()
            .find_map(|written| line.strip_prefix(written.as_str()).map(str::to_string));
        if rest.is_some_and(|rest| rest.trim_start().starts_with(':')) {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// The known key closest to `key`, when close enough to be a typo.
fn closest<'k>(key: &str, known: impl Iterator<Item = &'k String>) -> Option<&'k str> {
    known
        .map(|k| (strsim::jaro_winkler(key, k), k))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> BTreeMap<String, String> {
        parse_builtin(include_str!("../../../i18n/en.yaml"))
    }

    #[test]
    fn the_chain_goes_from_the_whole_code_to_its_first_subtag() {
        let chain: Vec<&str> = fallback_chain("zh-Hans-CN").collect();
        assert_eq!(chain, ["zh-Hans-CN", "zh-Hans", "zh"]);
        assert_eq!(fallback_chain("de").collect::<Vec<_>>(), ["de"]);
    }

    #[test]
    fn problems_are_placed_at_their_key() {
        let mut problems = Vec::new();
        let text = "home: Start\ntabs: 3\nhistroy: Verlauf\ndir: sideways\n";
        let entries = parse_site_text(text, Path::new("i18n/de.yaml"), &known(), &mut problems)
            .expect("a mapping");
        assert_eq!(entries.get("home").map(String::as_str), Some("Start"));
        let placed: Vec<(usize, bool, &str)> = problems
            .iter()
            .map(|p| (p.line, p.is_error(), p.help.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            placed,
            [
                (2, false, "did you mean `tags`?"),
                (3, false, "did you mean `history`?"),
                (4, true, "")
            ]
        );
    }

    #[test]
    fn a_value_that_is_not_text_is_an_error_at_its_key() {
        let mut problems = Vec::new();
        let text = "home: Start\nnext:\n  - a\n";
        parse_site_text(text, Path::new("i18n/de.yaml"), &known(), &mut problems);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].is_error());
        assert_eq!((problems[0].line, problems[0].column), (2, 1));
    }
}
