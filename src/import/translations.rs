//! Translations in an import: each tool's module marks a translated page
//! with its language (`PlannedPage::language`) and gives it its source
//! page's target; [`settle`] then checks every one against the site's
//! languages and its source page, and moves it beside that page as kbgen
//! names translations (`x.de.md`, `_index.de.md`, a bundle's
//! `index.de.md`). What cannot be placed (a language the site does not
//! list, a second page for the default language) is a finding at the file,
//! never dropped silently; a translation whose source page is missing is
//! written all the same (kbgen builds it on its own) and reported.
//!
//! Codes are written as BCP 47 asks (RFC 5646 §2.1.1: language lower case,
//! script title case, region upper case): `pt_BR` and `pt-br` → `pt-BR`,
//! `zh-hans` → `zh-Hans`.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::plan::{Plan, PlannedPage};
use crate::diagnostics::Diagnostic;

/// A language of the source site, from its configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlannedLanguage {
    /// The code as the source writes it (`pt_BR`, `zh-hans`).
    pub code: String,
    /// Its name for the language switcher (`Deutsch`).
    pub name: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
}

/// A language of the imported site, as `kbgen.yaml` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLanguage {
    /// BCP 47.
    pub code: String,
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
}

/// The languages of the imported site: the default first. Empty for a site
/// in one language.
#[derive(Debug, Clone, Default)]
pub struct Languages {
    pub list: Vec<SiteLanguage>,
    /// BCP 47 code of the default language.
    pub default: String,
}

/// `pt_BR`, `pt-br` → `pt-BR`; `zh-hans` → `zh-Hans`; `None` for what is
/// not a language tag.
pub fn canonical_code(raw: &str) -> Option<String> {
    let parts: Vec<&str> = raw.trim().split(['-', '_']).collect();
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let written = match (i, part.len()) {
            (0, _) => part.to_ascii_lowercase(),
            (_, 4) if part.bytes().all(|b| b.is_ascii_alphabetic()) => {
                let lower = part.to_ascii_lowercase();
                lower[..1].to_ascii_uppercase() + &lower[1..]
            }
            (_, 2) | (_, 3) if part.bytes().all(|b| b.is_ascii_digit()) || part.len() == 2 => {
                part.to_ascii_uppercase()
            }
            _ => part.to_ascii_lowercase(),
        };
        out.push(written);
    }
    let code = out.join("-");
    crate::config::is_language_tag(&code).then_some(code)
}

/// `a/x.md` → `a/x.de.md`; `a/_index.md` → `a/_index.de.md`.
pub fn translation_target(target: &str, code: &str) -> String {
    let stem = target.strip_suffix(".md").unwrap_or(target);
    format!("{stem}.{code}.md")
}

/// Checks each translation of `plan` and moves it beside its source page;
/// returns the site's languages. Runs once the plan's pages have their
/// final targets (after pages are folded into folders).
pub fn settle(plan: &mut Plan, root: &Path) -> Languages {
    let configured: Vec<(String, PlannedLanguage)> = plan
        .languages
        .iter()
        .filter_map(|l| Some((canonical_code(&l.code)?, l.clone())))
        .collect();
    let default = plan
        .default_language
        .as_deref()
        .and_then(canonical_code)
        .or_else(|| configured.first().map(|(code, _)| code.clone()))
        .unwrap_or_else(|| "en".to_string());
    let known = |code: &str| configured.iter().any(|(c, _)| c == code) || code == default;
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    let pages = std::mem::take(&mut plan.pages);
    let mut kept: Vec<PlannedPage> = Vec::with_capacity(pages.len());
    for mut page in pages {
        let Some(raw) = page.language.clone() else {
            kept.push(page);
            continue;
        };
        let Some(code) = canonical_code(&raw) else {
            not_placed(plan, root, &page, format!("`{raw}` is not a language code"));
            continue;
        };
        if !configured.is_empty() && !known(&code) {
            let listed: Vec<&str> = configured.iter().map(|(c, _)| c.as_str()).collect();
            not_placed(
                plan,
                root,
                &page,
                format!(
                    "`{code}` is not one of the site's languages ({})",
                    listed.join(", ")
                ),
            );
            continue;
        }
        found.entry(code.clone()).or_insert(page.source.clone());
        // The source served a translation under its code as written there.
        if code != default {
            // A page in its language's folder (`de/x.md`) has it already.
            let prefix = prefixed(&raw, "/");
            page.old_url = page.old_url.map(|url| {
                if url.starts_with(&prefix) {
                    url
                } else {
                    prefixed(&raw, &url)
                }
            });
            page.old_url_prefix = prefixed(&raw, "");
        }
        page.language = Some(code);
        kept.push(page);
    }
    plan.pages = kept;
    place_default_language_pages(plan, root, &default);
    if plan.default_in_subdir {
        let prefix = plan
            .default_language
            .clone()
            .unwrap_or_else(|| default.clone());
        for page in plan.pages.iter_mut().filter(|p| p.language.is_none()) {
            if let Some(url) = &page.old_url {
                page.more_old_urls.push(prefixed(&prefix, url));
            }
        }
    }
    let sources: HashSet<String> = plan
        .pages
        .iter()
        .filter(|p| p.language.is_none())
        .map(|p| p.target.clone())
        .collect();
    for page in plan.pages.iter_mut() {
        let Some(code) = page.language.clone() else {
            continue;
        };
        if !sources.contains(&page.target) {
            plan.findings.push(
                Diagnostic::warning(
                    "import/translation",
                    root.join(&page.source),
                    format!(
                        "a `{code}` translation with no page in the default language (`{default}`) at {}; written as {}, which kbgen builds on its own",
                        page.target,
                        translation_target(&page.target, &code)
                    ),
                )
                .at(1, 1),
            );
        }
        page.translates = Some(page.target.clone());
        page.target = translation_target(&page.target, &code);
    }
    let mut list: Vec<SiteLanguage> = Vec::new();
    let mut add = |code: &str, from: Option<&PlannedLanguage>| {
        if list.iter().any(|l| l.code == code) {
            return;
        }
        list.push(SiteLanguage {
            code: code.to_string(),
            name: from
                .and_then(|l| l.name.clone())
                .unwrap_or_else(|| language_name(code)),
            title: from.and_then(|l| l.title.clone()),
            description: from.and_then(|l| l.description.clone()),
        });
    };
    let entry = |code: &str| configured.iter().find(|(c, _)| c == code).map(|(_, l)| l);
    add(&default, entry(&default));
    for (code, language) in &configured {
        add(code, Some(language));
    }
    for (code, first) in &found {
        if entry(code).is_none() && *code != default {
            add(code, None);
            plan.findings.push(
                Diagnostic::warning(
                    "import/translation",
                    root.join(first),
                    format!("the source's configuration lists no languages; `{code}` is taken from file names and added to `languages:`"),
                )
                .at(1, 1),
            );
        }
    }
    if list.len() < 2 {
        list.clear();
    }
    Languages { list, default }
}

/// A page marked with the default language (`about.en.md`, Grav's
/// `docs.en.md`) is the page itself; where the folder also has an unmarked
/// page, the marked one wins (as Grav and Hugo pick it) and the other is a
/// finding.
fn place_default_language_pages(plan: &mut Plan, root: &Path, default: &str) {
    let marked: HashSet<String> = plan
        .pages
        .iter()
        .filter(|p| p.language.as_deref() == Some(default))
        .map(|p| p.target.clone())
        .collect();
    let mut findings = Vec::new();
    plan.pages.retain(|page| {
        let shadowed = page.language.is_none() && marked.contains(&page.target);
        if shadowed {
            findings.push(
                Diagnostic::warning(
                    "import/translation",
                    root.join(&page.source),
                    format!("the folder has a page marked `{default}`, which the source shows in its place: not imported"),
                )
                .at(1, 1),
            );
        }
        !shadowed
    });
    plan.left_out += findings.len();
    plan.findings.extend(findings);
    for page in plan.pages.iter_mut() {
        if page.language.as_deref() == Some(default) {
            page.language = None;
        }
    }
}

fn not_placed(plan: &mut Plan, root: &Path, page: &PlannedPage, why: String) {
    plan.left_out += 1;
    plan.findings.push(
        Diagnostic::warning(
            "import/translation",
            root.join(&page.source),
            format!("{why}: this translation is not imported"),
        )
        .at(1, 1),
    );
}

/// The URL prefix the source tool gave a translation (`/de`), for its old
/// URL: the code as the source wrote it.
pub fn prefixed(prefix: &str, url: &str) -> String {
    format!("/{}{url}", prefix.trim_matches('/'))
}

/// A language's name in itself, for the switcher, when the source's
/// configuration gives none; a regional or script variant adds its code
/// (`Português (pt-BR)`); an unknown language is its code.
pub fn language_name(code: &str) -> String {
    let primary = code.split('-').next().unwrap_or(code);
    let name = match primary {
        "ar" => "العربية",
        "cs" => "Čeština",
        "da" => "Dansk",
        "de" => "Deutsch",
        "el" => "Ελληνικά",
        "en" => "English",
        "es" => "Español",
        "fa" => "فارسی",
        "fi" => "Suomi",
        "fr" => "Français",
        "he" => "עברית",
        "hi" => "हिन्दी",
        "hu" => "Magyar",
        "id" => "Bahasa Indonesia",
        "it" => "Italiano",
        "ja" => "日本語",
        "ko" => "한국어",
        "nb" | "no" => "Norsk",
        "nl" => "Nederlands",
        "pl" => "Polski",
        "pt" => "Português",
        "ro" => "Română",
        "ru" => "Русский",
        "sv" => "Svenska",
        "th" => "ไทย",
        "tr" => "Türkçe",
        "uk" => "Українська",
        "vi" => "Tiếng Việt",
        "zh" => "中文",
        _ => return code.to_string(),
    };
    if primary == code {
        name.to_string()
    } else {
        format!("{name} ({code})")
    }
}

/// The target a page's file had before it was settled as a translation:
/// for links, which name the source page.
pub fn source_target(page: &PlannedPage) -> &str {
    page.translates.as_deref().unwrap_or(&page.target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_written_as_bcp_47() {
        assert_eq!(canonical_code("pt_BR").as_deref(), Some("pt-BR"));
        assert_eq!(canonical_code("pt-br").as_deref(), Some("pt-BR"));
        assert_eq!(canonical_code("zh-hans").as_deref(), Some("zh-Hans"));
        assert_eq!(canonical_code("zh-CN").as_deref(), Some("zh-CN"));
        assert_eq!(canonical_code("DE").as_deref(), Some("de"));
        assert_eq!(canonical_code("es-419").as_deref(), Some("es-419"));
        assert_eq!(canonical_code("english"), None);
        assert_eq!(
            translation_target("a/_index.md", "de"),
            "a/_index.de.md".to_string()
        );
        assert_eq!(language_name("pt-BR"), "Português (pt-BR)");
        assert_eq!(language_name("xx"), "xx");
    }
}
