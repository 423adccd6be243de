//! Translation status, per language: which source articles have a
//! translation, which have none (missing), and which translations are
//! outdated because their source article changed after they were made.
//!
//! A translation is outdated when its `translated_from:` revision (written
//! by `kbgen translations mark`, see [`revision`]) differs from the source
//! article's revision now, so an edit is found even when nobody bumped a
//! date. Without `translated_from:`, the dates decide: the source was
//! updated (front matter `updated`, or git with `dates: git`) after the
//! translation last was. With neither, the status is unknown, and is
//! reported as such rather than guessed. The same findings feed `kbgen
//! translations`, the `i18n/missing` and `i18n/outdated` lint rules, and the
//! banner of an outdated translation.

use serde::Serialize;

use super::{ArticleId, LangId, Site};
use crate::config::{LintLevel, LintRule};
use crate::content::languages::revision;
use crate::diagnostics::Diagnostic;

/// How a translation stands against its source article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Freshness {
    Current,
    /// The source's text changed since the recorded revision.
    Outdated {
        recorded: String,
        now: String,
    },
    /// The source was updated after the translation (no revision recorded):
    /// both days as `YYYY-MM-DD`.
    UpdatedSince {
        #[serde(rename = "source_updated")]
        source: String,
        #[serde(rename = "translation_updated")]
        translation: String,
    },
    /// `translated_from:` holds something `kbgen translations mark` never
    /// writes (not 12 hex digits), so nothing tells what was translated.
    NotARevision {
        recorded: String,
    },
    /// Nothing tells: no `translated_from:` and not both dates.
    Unknown,
}

impl Freshness {
    pub fn is_outdated(&self) -> bool {
        matches!(
            self,
            Freshness::Outdated { .. }
                | Freshness::UpdatedSince { .. }
                | Freshness::NotARevision { .. }
        )
    }
}

/// How translation `id` stands against its source article; `None` for an
/// article in the default language or a translation without a source.
pub fn freshness(site: &Site, id: ArticleId) -> Option<Freshness> {
    let translation = &site.articles[id];
    if translation.language == 0 {
        return None;
    }
    let source = &site.articles[site.source_article(id)?].source;
    if let Some(recorded) = &translation.source.front.translated_from {
        let written_by_mark =
            recorded.len() == 12 && recorded.bytes().all(|b| b.is_ascii_hexdigit());
        if !written_by_mark {
            return Some(Freshness::NotARevision {
                recorded: recorded.clone(),
            });
        }
        let now = revision(source);
        return Some(if recorded.eq_ignore_ascii_case(&now) {
            Freshness::Current
        } else {
            Freshness::Outdated {
                recorded: recorded.clone(),
                now,
            }
        });
    }
    match (source.updated(), translation.source.last_updated()) {
        (Some(changed), Some(translated)) if changed.instant > translated.instant => {
            Some(Freshness::UpdatedSince {
                source: changed.iso_day(),
                translation: translated.iso_day(),
            })
        }
        (Some(_), Some(_)) => Some(Freshness::Current),
        _ => Some(Freshness::Unknown),
    }
}

/// One language's translation status.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageStatus {
    pub code: String,
    pub name: String,
    /// Published source articles (default language).
    pub sources: usize,
    /// Translations with a source, by content path, with their status.
    pub translated: Vec<TranslationEntry>,
    /// Source articles without a translation in this language.
    pub missing: Vec<String>,
    /// Translations whose source article does not exist.
    pub orphans: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TranslationEntry {
    pub path: String,
    pub source: String,
    #[serde(flatten)]
    pub freshness: Freshness,
}

impl LanguageStatus {
    pub fn outdated(&self) -> impl Iterator<Item = &TranslationEntry> {
        self.translated.iter().filter(|t| t.freshness.is_outdated())
    }
}

/// The status of every language but the default, in the site's order;
/// drafts are left out.
pub fn status(site: &Site) -> Vec<LanguageStatus> {
    let published = |id: &ArticleId| !site.articles[*id].source.front.draft;
    let sources: Vec<ArticleId> = (0..site.articles.len())
        .filter(|&id| site.articles[id].language == 0)
        .filter(published)
        .collect();
    (1..site.languages.len())
        .map(|language| {
            let config = &site.languages[language].config;
            let path = |id: ArticleId| site.articles[id].source.content_path.clone();
            let mut status = LanguageStatus {
                code: config.code.clone(),
                name: config.name.clone(),
                sources: sources.len(),
                translated: Vec::new(),
                missing: Vec::new(),
                orphans: Vec::new(),
            };
            for &source in &sources {
                match translation_in(site, source, language) {
                    Some(id) => status.translated.push(TranslationEntry {
                        path: path(id),
                        source: path(source),
                        freshness: freshness(site, id).unwrap_or(Freshness::Unknown),
                    }),
                    None => status.missing.push(path(source)),
                }
            }
            status.orphans = (0..site.articles.len())
                .filter(|&id| site.articles[id].language == language)
                .filter(published)
                .filter(|&id| site.source_article(id).is_none())
                .map(path)
                .collect();
            status
        })
        .collect()
}

fn translation_in(site: &Site, source: ArticleId, language: LangId) -> Option<ArticleId> {
    let id = site.articles[source]
        .translations
        .get(language)
        .copied()??;
    (!site.articles[id].source.front.draft).then_some(id)
}

/// The `i18n/missing` and `i18n/outdated` findings, as the lint rules in
/// `kbgen.yaml` set them: a missing translation at its source article's
/// title, an outdated one at its `translated_from:` (or its title), and a
/// translation without a source article (always a warning: its name has a
/// typo, or its source was moved).
pub(super) fn problems(site: &Site) -> Vec<Diagnostic> {
    if !site.is_multilingual() {
        return Vec::new();
    }
    let rules = &site.config.lint;
    let mut found = Vec::new();
    for status in status(site) {
        for source in &status.missing {
            let message = format!("no translation in {} (`{}`)", status.name, status.code);
            let help = format!(
                "translate it into {}; the `i18n-missing` lint rule in kbgen.yaml turns this off",
                file_for(source, &status.code)
            );
            found.extend(finding(
                site,
                source,
                "title",
                rules.i18n_missing,
                "i18n/missing",
                message,
                help,
            ));
        }
        for entry in status.outdated() {
            let message = match &entry.freshness {
                Freshness::Outdated { recorded, now } => format!(
                    "outdated translation: {} changed since revision {recorded} (now {now})",
                    entry.source
                ),
                Freshness::UpdatedSince { source, translation } => format!(
                    "outdated translation: {} was updated on {source}, this translation on {translation}",
                    entry.source
                ),
                Freshness::NotARevision { recorded } => format!(
                    "`translated_from: {recorded}` is not a revision of {} (kbgen writes 12 hex digits), so whether this translation is current is unknown",
                    entry.source
                ),
                _ => continue,
            };
            let help = format!(
                "bring it up to date with the source, then run `kbgen translations mark content/{}`",
                entry.path
            );
            found.extend(finding(
                site,
                &entry.path,
                "translated_from",
                rules.i18n_outdated,
                "i18n/outdated",
                message,
                help,
            ));
        }
        for orphan in &status.orphans {
            let message =
                "this translation has no source article in the default language".to_string();
            let source = crate::content::languages::source_file(orphan, &status.code);
            let help = format!("name it after its source article, or add content/{source}");
            found.extend(finding(
                site,
                orphan,
                "title",
                LintRule::WARN,
                "i18n/orphan",
                message,
                help,
            ));
        }
    }
    found
}

/// `a/x.md` → `content/a/x.de.md`.
fn file_for(source: &str, code: &str) -> String {
    let stem = source.strip_suffix(".md").unwrap_or(source);
    format!("content/{stem}.{code}.md")
}

/// One finding at `key` of the front matter of the article at `content_path`.
fn finding(
    site: &Site,
    content_path: &str,
    key: &str,
    rule: LintRule,
    code: &'static str,
    message: String,
    help: String,
) -> Option<Diagnostic> {
    let Some(super::urls::Target::Article(id)) = site.urls.content_path_target(content_path) else {
        return None;
    };
    let source = &site.articles[id].source.source;
    let diagnostic = match rule.level {
        LintLevel::Off => return None,
        LintLevel::Warn => Diagnostic::warning(code, &source.path, message),
        LintLevel::Error => Diagnostic::error(code, &source.path, message),
    };
    let offset = crate::content::front_matter::key_offset(&source.text, source.body_start, key)
        .or_else(|| {
            crate::content::front_matter::key_offset(&source.text, source.body_start, "title")
        });
    let diagnostic = match offset {
        Some(offset) => diagnostic.at_offset(&source.text, offset),
        None => diagnostic.at(1, 1),
    };
    Some(diagnostic.with_help(help))
}
