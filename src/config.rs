//! `kbgen.yaml`: the optional site configuration, read once at the start of a build.
//!
//! Every key has a default, so a folder with only `content/` is a site. Unknown keys
//! are errors with their place in the file, because a misspelt key silently ignored
//! is a setting the docs team believes is on.

mod languages;
mod lint;
mod search;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::yaml_errors::{plain_config_help, plain_config_words, yaml_problem, yaml_problem_help};
pub use languages::{
    canonical_tag, is_language_tag, is_right_to_left, Language, LanguageConfig, MissingTranslation,
};
pub use lint::{LintConfig, LintLevel, LintRule};
pub use search::SearchConfig;

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "kbgen.yaml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub title: String,
    pub description: Option<String>,
    /// The address the site is published at, e.g. `https://example.com/help/`.
    pub base_url: Option<String>,
    /// The site's language; with `languages:`, the default language (see
    /// [`languages`]).
    pub language: String,
    /// The languages of a multilingual site (see [`languages`]); empty for
    /// a site in one language.
    pub languages: Vec<LanguageConfig>,
    /// Which of `languages` is at the root of the site.
    pub default_language: Option<String>,
    /// Taxonomy name → its settings; `None` keeps the defaults.
    pub taxonomies: BTreeMap<String, Option<TaxonomyConfig>>,
    pub related: RelatedConfig,
    pub highlight: HighlightConfig,
    pub links: LinksConfig,
    /// The text of kbgen.yaml, for placing errors found after parsing.
    #[serde(skip)]
    pub source: String,
    pub lint: LintConfig,
    pub output: OutputConfig,
    /// `search: false` turns search off; `search:` as a block also sets the
    /// site's own synonyms.
    pub search: SearchConfig,
    pub fix: FixConfig,
    /// Where articles' dates come from when front matter has none.
    pub dates: DatesFrom,
    /// The repository's web page (`https://github.com/acme/help`), for the
    /// "Edit this page" and "History" links of every article.
    pub repo_url: Option<String>,
    /// The branch those links open; default: the branch checked out, else `main`.
    pub edit_branch: Option<String>,
    /// Which forge `repo_url` is on; default: read from its host name.
    pub repo_kind: Option<RepoKind>,
    /// `/llms.txt`: the site's sections and articles for language models
    /// (llmstxt.org).
    pub llms_txt: bool,
    /// `/llms-full.txt`: every published article as Markdown, in site order
    /// (off by default).
    pub llms_full_txt: bool,
    /// A Markdown copy beside every article (`/section/slug/index.md`; off
    /// by default).
    pub markdown_copies: bool,
    /// JSON-LD structured data (`TechArticle`, `BreadcrumbList`) on articles.
    pub json_ld: bool,
    /// `/opensearch.xml`, so browsers can search the site from the address bar.
    pub opensearch: bool,
    /// Filled in before a build from the repository around the site (see
    /// `build::prepare`): where edit links point. None without `repo_url`.
    #[serde(skip)]
    pub forge: Option<Forge>,
}

/// `dates:` in kbgen.yaml.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DatesFrom {
    /// Only what front matter says (`date:`, `updated:`).
    #[default]
    FrontMatter,
    /// Front matter first, then the git history of each file.
    Git,
}

/// The forges whose URL shapes kbgen knows for edit and history links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RepoKind {
    /// `/edit/<branch>/<path>`, `/commits/<branch>/<path>`.
    Github,
    /// `/-/edit/<branch>/<path>`, `/-/commits/<branch>/<path>`.
    Gitlab,
    /// Gitea and Forgejo (Codeberg): `/_edit/<branch>/<path>`,
    /// `/commits/branch/<branch>/<path>`.
    Gitea,
}

impl RepoKind {
    /// The forge of a repository URL, by its host name: `github`, `gitlab`,
    /// `gitea`, `forgejo` or `codeberg` in it. Self-hosted forges under
    /// other names need `repo_kind`.
    pub fn detect(url: &str) -> Option<RepoKind> {
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let host = after_scheme.split('/').next()?.to_ascii_lowercase();
        if host.contains("github") {
            Some(RepoKind::Github)
        } else if host.contains("gitlab") {
            Some(RepoKind::Gitlab)
        } else if ["gitea", "forgejo", "codeberg"]
            .iter()
            .any(|n| host.contains(n))
        {
            Some(RepoKind::Gitea)
        } else {
            None
        }
    }
}

/// Where "Edit this page" and "History" links point, settled before a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forge {
    pub kind: RepoKind,
    /// `repo_url` without its trailing `/`.
    pub repo_url: String,
    pub branch: String,
    /// The site root's folder in the repository (`docs/`; empty at the top).
    pub site_folder: String,
}

/// `kbgen fix` rules, each `on` (default) or `off`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct FixConfig {
    pub related_list: FixRule,
    pub callout_html: FixRule,
    pub spacers: FixRule,
    pub site_links: FixRule,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FixRule {
    #[default]
    On,
    Off,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TaxonomyConfig {
    /// The heading of the taxonomy's index page ("Categories").
    pub title: Option<String>,
    /// Display names and descriptions of terms, keyed by the term as written or its slug.
    pub terms: BTreeMap<String, TermConfig>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TermConfig {
    pub title: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RelatedConfig {
    /// How many related articles an article lists.
    pub limit: usize,
    /// How many entries of the category list an article shows.
    pub category_limit: usize,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinksConfig {
    /// What a link that points nowhere is: an error (default) or a warning, for
    /// importing legacy content.
    pub broken: BrokenLinks,
    /// A link in a translation to an article without a translation in its
    /// language goes to the source article; `warn` also says so.
    pub missing_translation: MissingTranslation,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    #[default]
    Error,
    Warn,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputConfig {
    /// Names at the top of the output folder that a build carries over instead
    /// of deleting (for sites published from a git branch).
    pub keep: Vec<String>,
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            keep: vec![".git".to_string(), "CNAME".to_string()],
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HighlightConfig {
    /// Theme for light mode, by name (see the README for the list).
    pub light: String,
    /// Theme for dark mode.
    pub dark: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Help Center".to_string(),
            description: None,
            base_url: None,
            language: "en".to_string(),
            languages: Vec::new(),
            default_language: None,
            taxonomies: [("category".to_string(), None), ("tag".to_string(), None)]
                .into_iter()
                .collect(),
            related: RelatedConfig::default(),
            highlight: HighlightConfig::default(),
            links: LinksConfig::default(),
            source: String::new(),
            lint: LintConfig::default(),
            output: OutputConfig::default(),
            search: SearchConfig::default(),
            fix: FixConfig::default(),
            dates: DatesFrom::default(),
            repo_url: None,
            edit_branch: None,
            repo_kind: None,
            llms_txt: true,
            // Off by default: each doubles what a large site writes (a
            // file per article; all the Markdown again in one file).
            llms_full_txt: false,
            markdown_copies: false,
            json_ld: true,
            opensearch: true,
            forge: None,
        }
    }
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            limit: 8,
            category_limit: 15,
        }
    }
}

impl Default for HighlightConfig {
    fn default() -> Self {
        HighlightConfig {
            light: "InspiredGitHub".to_string(),
            dark: "OneHalfDark".to_string(),
        }
    }
}

impl Config {
    /// Reads `kbgen.yaml` from the site root; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let cannot_read = |e: std::io::Error| {
            Diagnostic::error("config", CONFIG_FILE, format!("cannot read: {e}"))
        };
        match std::fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && path.is_symlink() => {
                return Err(Diagnostic::error(
                    "config",
                    CONFIG_FILE,
                    "kbgen.yaml is a symbolic link to nothing",
                )
                .with_help("point the link at a file inside the site, or remove it"))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A configuration under another name would be ignored in silence.
                if let Some(other) = ["kbgen.yml", "Kbgen.yaml", "kbgen.YAML", "kbgen.yaml.txt"]
                    .into_iter()
                    .find(|name| root.join(name).is_file())
                {
                    return Err(Diagnostic::error(
                        "config",
                        other,
                        format!("found `{other}`, but kbgen reads its configuration from `{CONFIG_FILE}`; this file is ignored"),
                    )
                    .with_help(format!("rename it to `{CONFIG_FILE}`")));
                }
                return Ok(Config::default());
            }
            Err(e) => return Err(cannot_read(e)),
            // Opening a FIFO would wait forever for a writer.
            Ok(meta) if !meta.is_file() && !meta.is_dir() => {
                return Err(Diagnostic::error(
                    "config",
                    CONFIG_FILE,
                    "not a regular file (a FIFO, socket or device)",
                ))
            }
            Ok(_) => {}
        }
        // A link out of the site would read (and quote in messages, and
        // publish as titles) any file on the machine: `/proc/self/environ`.
        let inside = match (path.canonicalize(), root.canonicalize()) {
            (Ok(file), Ok(root)) => file.starts_with(root),
            _ => false,
        };
        if !inside {
            return Err(Diagnostic::error(
                "config",
                CONFIG_FILE,
                "kbgen.yaml is a symbolic link to a file outside the site; kbgen does not read it",
            )
            .with_help(
                "keep kbgen.yaml in the site folder (a link to a file inside the site is fine)",
            ));
        }
        let bytes = std::fs::read(&path).map_err(cannot_read)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let bytes = e.as_bytes();
            let offset = e.utf8_error().valid_up_to();
            let (line, column) = crate::diagnostics::utf8_error_position(bytes, offset);
            Diagnostic::error(
                "config",
                CONFIG_FILE,
                format!(
                    "the file is not valid UTF-8: bad byte 0x{:02X}",
                    bytes.get(offset).copied().unwrap_or_default()
                ),
            )
            .at(line, column)
            .with_help("save the file as UTF-8")
        })?;
        Config::parse(&text)
    }

    /// Checks a `base_url` given on the command line.
    pub fn check_base_url(url: &str) -> Result<(), Diagnostic> {
        if url.starts_with("http://") || url.starts_with("https://") {
            Ok(())
        } else {
            Err(Diagnostic::error(
                "config",
                "--base-url",
                format!("base_url `{url}` must start with http:// or https://"),
            ))
        }
    }

    /// Where a setting sits in kbgen.yaml: the line and the column of its
    /// value (`["highlight", "light"]`), for errors found after parsing.
    pub fn place_of(&self, keys: &[&str]) -> Option<(usize, usize)> {
        value_position(&self.source, keys)
    }

    /// Parses the text of a `kbgen.yaml`. Errors are placed in the file as an
    /// editor shows it, whatever its BOM and line ends.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        // Offsets into the normalized text map to the same places as in the file.
        let text = crate::diagnostics::normalize_line_ends(text);
        let text = text.as_ref();
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let mut config: Config = serde_yaml::from_str(text).map_err(|e| {
            let (message, offset) = yaml_problem(&e, text);
            let (message, offset) = plain_config_message(&message, text, offset);
            let (message, offset) = plain_config_words(&message, text, offset);
            let diagnostic =
                Diagnostic::error("config", CONFIG_FILE, &message).at_offset(text, offset);
            let help = yaml_problem_help(&message).or_else(|| plain_config_help(&message));
            match (closest_known_field(&message), help) {
                (Some(known), _) => diagnostic.with_help(format!("did you mean `{known}`?")),
                (None, Some(help)) => diagnostic.with_help(help),
                (None, None) => diagnostic,
            }
        })?;
        config.source = text.to_string();
        config.validate()?;
        config.settle_languages()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), Diagnostic> {
        let at = |diagnostic: Diagnostic, place: Option<(usize, usize)>| match place {
            Some((line, column)) => diagnostic.at(line, column),
            None => diagnostic,
        };
        if let Some(url) = &self.base_url {
            if let Err(error) = Config::check_base_url(url) {
                let error = Diagnostic {
                    path: CONFIG_FILE.into(),
                    ..error
                };
                return Err(at(error, self.place_of(&["base_url"])));
            }
        }
        if let Some(url) = &self.repo_url {
            let place = self.place_of(&["repo_url"]);
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                let error = Diagnostic::error(
                    "config",
                    CONFIG_FILE,
                    format!("repo_url `{url}` must start with http:// or https://"),
                )
                .with_help(
                    "give the repository's web page, such as https://github.com/acme/help-center",
                );
                return Err(at(error, place));
            }
            if self.repo_kind.is_none() && RepoKind::detect(url).is_none() {
                let error = Diagnostic::error(
                    "config",
                    CONFIG_FILE,
                    format!("cannot tell from `{url}` which forge hosts the repository"),
                )
                .with_help("add `repo_kind: github`, `gitlab` or `gitea` (Gitea and Forgejo)");
                return Err(at(error, place));
            }
        }
        for name in &self.output.keep {
            if !is_plain_name(name) {
                let error = Diagnostic::error(
                    "config",
                    CONFIG_FILE,
                    format!("output.keep entry `{}` must be one name at the top of the output folder, such as `.git` or `CNAME`", name.escape_debug()),
                )
                .with_help("no `/`, no `.` or `..`, not empty: kbgen moves these names from the old output into the new one");
                return Err(at(error, self.place_of(&["output", "keep"])));
            }
        }
        for (index, group) in self.search.synonyms.iter().enumerate() {
            if group.len() < 2 {
                let error = Diagnostic::error(
                    "config",
                    CONFIG_FILE,
                    format!(
                        "search.synonyms entry {} has {} word{}: a group needs two or more",
                        index + 1,
                        group.len(),
                        if group.len() == 1 { "" } else { "s" }
                    ),
                )
                .with_help(
                    "list the words readers use for the same thing, such as `[log in, sign in]`",
                );
                return Err(at(error, self.place_of(&["search", "synonyms"])));
            }
        }
        for name in self.taxonomies.keys() {
            if slug::slugify(name) != *name {
                let error = Diagnostic::error(
                    "config",
                    CONFIG_FILE,
                    format!("taxonomy name `{name}` must be lower-case letters, digits and `-`"),
                );
                return Err(at(error, key_position(&self.source, &["taxonomies", name])));
            }
        }
        Ok(())
    }

    /// The path part of `base_url`, always starting and ending with `/`
    /// (`https://example.com/help` → `/help/`).
    pub fn base_path(&self) -> String {
        let Some(url) = &self.base_url else {
            return "/".to_string();
        };
        let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
        let path = path.trim_matches('/');
        if path.is_empty() {
            "/".to_string()
        } else {
            format!("/{path}/")
        }
    }

    /// `base_url` without its trailing slash, for absolute links (feeds, canonical).
    pub fn origin_and_path(&self) -> Option<String> {
        self.base_url
            .as_deref()
            .map(|url| url.trim_end_matches('/').to_string())
    }
}

/// serde's messages that name kbgen's internal types, rewritten, placed at the
/// value: `offset` is where serde_yaml placed the error in `text`.
fn plain_config_message(message: &str, text: &str, offset: usize) -> (String, usize) {
    if message.contains("untagged enum RawLintRule") {
        let offset = offset.min(text.len());
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line_text = &text[line_start..line_end];
        let (key, value) = line_text
            .trim()
            .split_once(':')
            .unwrap_or((line_text.trim(), ""));
        let value_offset = line_text.find(':').map_or(offset, |i| {
            let after = &line_text[i + 1..];
            line_start + i + 1 + (after.len() - after.trim_start().len())
        });
        return (
            format!(
                "lint.{key}: expected `off`, `warn`, `error` or a number, found `{}`",
                value.trim()
            ),
            value_offset,
        );
    }
    (message.to_string(), offset)
}

/// The line and column of the value of a nested key (`["highlight", "light"]`).
fn value_position(text: &str, keys: &[&str]) -> Option<(usize, usize)> {
    let (line, _) = key_position(text, keys)?;
    let line_text = text.lines().nth(line - 1)?;
    let colon = line_text.find(':')?;
    let after = &line_text[colon + 1..];
    let value = after.len() - after.trim_start().len();
    Some((line, line_text[..colon + 1 + value].chars().count() + 1))
}

/// The line and column of a nested key, found by indentation.
fn key_position(text: &str, keys: &[&str]) -> Option<(usize, usize)> {
    let mut lines = text.lines().enumerate();
    let mut min_indent = 0;
    let mut found = None;
    for key in keys {
        found = None;
        for (number, line) in lines.by_ref() {
            let indent = line.len() - line.trim_start().len();
            if !line.trim().is_empty() && indent < min_indent {
                return None;
            }
            let rest = line.trim_start();
            if indent >= min_indent
                && rest.starts_with(key)
                && rest[key.len()..].trim_start().starts_with(':')
            {
                // The column counts characters: the indentation may hold a
                // U+2028 or other Unicode space.
                let column = line[..indent].chars().count() + 1;
                found = Some((number + 1, column));
                min_indent = indent + 1;
                break;
            }
        }
        found?;
    }
    found
}

/// For "unknown field `titel`, expected one of `title`, …": the listed field
/// closest to the unknown one, when it is close enough to be a typo.
fn closest_known_field(message: &str) -> Option<String> {
    let rest = &message[message.find("unknown field `")? + "unknown field `".len()..];
    let (unknown, expected) = rest.split_once('`')?;
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|known| (strsim::damerau_levenshtein(known, unknown), known))
        .filter(|(distance, _)| *distance <= 3)
        .min()
        .map(|(_, known)| known.to_string())
}

/// One plain name inside a folder: not empty, not `.` or `..`, and free of
/// path separators and control characters.
fn is_plain_name(name: &str) -> bool {
    !matches!(name, "" | "." | "..")
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_the_path_of_base_url() {
        let mut config = Config::default();
        assert_eq!(config.base_path(), "/");
        config.base_url = Some("https://example.com".into());
        assert_eq!(config.base_path(), "/");
        config.base_url = Some("https://example.com/help".into());
        assert_eq!(config.base_path(), "/help/");
        config.base_url = Some("https://example.com/a/b/".into());
        assert_eq!(config.base_path(), "/a/b/");
    }

    #[test]
    fn unknown_key_is_an_error_with_its_place() {
        let err = Config::parse("title: x\ntitel: y\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("titel"), "{}", err.message);
        assert_eq!(err.help.as_deref(), Some("did you mean `title`?"));
        let err = Config::parse("related:\n  limt: 3\n").unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `limit`?"));
    }

    #[test]
    fn output_keep_names_are_plain_names() {
        for bad in ["..", ".", "", "a/b", "/", "../x", "x\n"] {
            let yaml = format!("output:\n  keep: [{:?}]\n", bad);
            let err = Config::parse(&yaml).unwrap_err();
            assert!(
                err.message.contains("output.keep entry"),
                "{bad:?}: {err:?}"
            );
            assert_eq!(err.line, 2, "{bad:?}");
        }
        assert!(Config::parse("output:\n  keep: [.git, CNAME, .nojekyll]\n").is_ok());
    }

    #[test]
    fn lint_rules_take_levels_or_limits() {
        let config =
            Config::parse("lint:\n  title-length: 60\n  file-name: off\n  image-alt: error\n")
                .unwrap();
        assert_eq!(config.lint.title_length.limit, Some(60));
        assert_eq!(config.lint.file_name.level, LintLevel::Off);
        assert_eq!(config.lint.image_alt.level, LintLevel::Error);
        assert_eq!(config.lint.heading_length.limit, Some(80));
        let err = Config::parse("lint:\n  title-lenght: 60\n").unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `title-length`?"));
    }

    #[test]
    fn taxonomies_default_to_category_and_tag() {
        let config = Config::parse("title: Docs\n").unwrap();
        let names: Vec<_> = config.taxonomies.keys().cloned().collect();
        assert_eq!(names, ["category", "tag"]);
    }
}
