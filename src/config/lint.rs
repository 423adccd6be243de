//! The `lint:` block of `kbgen.yaml`: each help-center lint rule's level
//! (`off`, `warn`, `error`) and, for rules with a limit, the limit.

use serde::Deserialize;

/// Help-center lint rules (codes `lint/<rule>`). Each takes `off`, `warn` or
/// `error`; rules with a limit also take a number (the limit, as a warning).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct LintConfig {
    /// Titles longer than this many characters (default 80).
    pub title_length: LintRule,
    pub missing_description: LintRule,
    /// Heading levels that skip one (h2 → h4).
    pub heading_increment: LintRule,
    /// Images without alt text.
    pub image_alt: LintRule,
    /// Headings longer than this many characters (default 80).
    pub heading_length: LintRule,
    /// A file name that is not the slug of the article's title.
    pub file_name: LintRule,
    /// Articles without a `category`.
    pub missing_category: LintRule,
    /// Code fences naming a language no syntax reads (shown as plain text).
    pub code_language: LintRule,
    /// Articles without `title`, titled by their first heading or file name.
    pub missing_title: LintRule,
    /// A source article without a translation in one of `languages:`
    /// (code `i18n/missing`; off by default: most teams translate a part).
    #[serde(rename = "i18n-missing")]
    pub i18n_missing: LintRule,
    /// A translation whose source article changed since it was translated
    /// (code `i18n/outdated`).
    #[serde(rename = "i18n-outdated")]
    pub i18n_outdated: LintRule,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            title_length: LintRule::warn_over(80),
            missing_description: LintRule::WARN,
            heading_increment: LintRule::WARN,
            image_alt: LintRule::WARN,
            heading_length: LintRule::warn_over(80),
            file_name: LintRule::WARN,
            missing_category: LintRule::WARN,
            code_language: LintRule::WARN,
            missing_title: LintRule::WARN,
            i18n_missing: LintRule::OFF,
            i18n_outdated: LintRule::WARN,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    Off,
    Warn,
    Error,
}

/// A rule's level and, for rules that measure something, its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(from = "RawLintRule")]
pub struct LintRule {
    pub level: LintLevel,
    pub limit: Option<usize>,
}

impl LintRule {
    pub const WARN: LintRule = LintRule {
        level: LintLevel::Warn,
        limit: None,
    };

    pub const OFF: LintRule = LintRule {
        level: LintLevel::Off,
        limit: None,
    };

    const fn warn_over(limit: usize) -> LintRule {
        LintRule {
            level: LintLevel::Warn,
            limit: Some(limit),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawLintRule {
    Limit(usize),
    Level(LintLevel),
}

impl From<RawLintRule> for LintRule {
    fn from(raw: RawLintRule) -> Self {
        match raw {
            RawLintRule::Limit(limit) => LintRule::warn_over(limit),
            RawLintRule::Level(level) => LintRule { level, limit: None },
        }
    }
}
