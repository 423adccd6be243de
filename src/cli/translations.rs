//! `kbgen translations`: how far each language's translation is (translated,
//! missing, outdated), for people and for CI dashboards (`--message-format
//! json`); and `kbgen translations mark FILE…`, which records in a
//! translation the revision of its source article it now matches.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use kbgen::content::languages::{mark_text, revision};
use kbgen::site::translation_status::{self, Freshness, LanguageStatus};
use kbgen::site::urls::Target;

use super::report::{errln, out, MessageFormat};

#[derive(Debug, Args)]
pub struct TranslationsArgs {
    #[command(subcommand)]
    action: Option<Action>,
    /// The site root: the folder holding content/ and the optional kbgen.yaml
    #[arg(long, default_value = ".", value_name = "DIR", global = true)]
    root: PathBuf,
    /// `human` for people; `json` prints one JSON document for dashboards
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    message_format: MessageFormat,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Record in each translation the revision of its source article it was
    /// brought up to date with (`translated_from:` in its front matter)
    Mark {
        /// Translations, such as content/billing/refunds.de.md
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

pub fn run_translations(args: TranslationsArgs) -> ExitCode {
    let loaded = match load(&args.root) {
        Ok(site) => site,
        Err(diagnostic) => {
            errln!("error: {}", diagnostic.message);
            return ExitCode::from(2);
        }
    };
    if !loaded.is_multilingual() {
        errln!(
            "error: the site has one language: list its languages under `languages:` in kbgen.yaml"
        );
        return ExitCode::from(2);
    }
    match args.action {
        Some(Action::Mark { files }) => mark(&loaded, &args.root, &files),
        None => {
            let status = translation_status::status(&loaded);
            match args.message_format {
                MessageFormat::Json => print_json(&status),
                MessageFormat::Human | MessageFormat::Github => print_human(&status),
            }
            ExitCode::SUCCESS
        }
    }
}

/// The site model as `check` sees it (drafts in, so they can be marked),
/// with git's dates when `dates: git` asks for them, as a build has them.
fn load(root: &Path) -> Result<kbgen::site::Site, kbgen::diagnostics::Diagnostic> {
    let config = kbgen::config::Config::load(root)?;
    let options = kbgen::content::LoadOptions {
        drafts: true,
        languages: kbgen::content::file_language::Codes::of(&config),
    };
    let (mut content, _) = kbgen::content::load(root, options);
    let mut dates = kbgen::content::git_dates::GitDates::default();
    dates.apply(root, &config, &mut content);
    let site_options = kbgen::site::SiteOptions {
        links_into_drafts_are_errors: false,
        search: false,
    };
    Ok(kbgen::site::build(config, content, site_options).0)
}

fn print_human(status: &[LanguageStatus]) {
    for language in status {
        let outdated: Vec<_> = language.outdated().collect();
        let unknown = (language.translated.iter())
            .filter(|t| t.freshness == Freshness::Unknown)
            .count();
        out!(
            "{} ({}): {} of {} translated, {} missing, {} outdated{}\n",
            language.code,
            language.name,
            language.translated.len(),
            language.sources,
            language.missing.len(),
            outdated.len(),
            match unknown {
                0 => String::new(),
                n => format!(", {n} never marked"),
            }
        );
        for path in &language.missing {
            out!("  missing   {path}\n");
        }
        for entry in outdated {
            let why = match &entry.freshness {
                Freshness::Outdated { recorded, now } => {
                    format!("source changed since {recorded} (now {now})")
                }
                Freshness::UpdatedSince {
                    source,
                    translation,
                } => format!("source updated {source}, translation {translation}"),
                _ => String::new(),
            };
            out!("  outdated  {}  ({why})\n", entry.path);
        }
        for path in &language.orphans {
            out!("  no source {path}\n");
        }
    }
}

fn print_json(status: &[LanguageStatus]) {
    let languages: Vec<serde_json::Value> = status
        .iter()
        .map(|language| {
            serde_json::json!({
                "code": language.code,
                "name": language.name,
                "sources": language.sources,
                "translated": language.translated.len(),
                "missing": language.missing,
                "outdated": language.outdated().collect::<Vec<_>>(),
                "orphans": language.orphans,
                "translations": language.translated,
            })
        })
        .collect();
    let document = serde_json::json!({ "languages": languages });
    out!("{document}\n");
}

/// Writes `translated_from:` into each file; a file that is not a
/// translation with a source article is an error (exit 1), the others are
/// marked all the same.
fn mark(site: &kbgen::site::Site, root: &Path, files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for file in files {
        match mark_one(site, root, file) {
            Ok(revision) => errln!(
                "kbgen: marked {} as translated from {revision}",
                file.display()
            ),
            Err(message) => {
                errln!("error: {}: {message}", file.display());
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn mark_one(site: &kbgen::site::Site, root: &Path, file: &Path) -> Result<String, String> {
    let content_path = content_path(root, file)?;
    let Some(Target::Article(id)) = site.urls.content_path_target(&content_path) else {
        return Err("not an article of the site".to_string());
    };
    if site.articles[id].language == 0 {
        return Err(
            "an article in the default language is a source, not a translation".to_string(),
        );
    }
    let Some(source) = site.source_article(id) else {
        return Err("this translation has no source article".to_string());
    };
    let revision = revision(&site.articles[source].source);
    let path = root.join("content").join(&content_path);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read: {e}"))?;
    std::fs::write(&path, mark_text(&text, &revision)).map_err(|e| format!("cannot write: {e}"))?;
    Ok(revision)
}

/// The slash path under `content/` of a file given on the command line.
fn content_path(root: &Path, file: &Path) -> Result<String, String> {
    let content = root
        .join("content")
        .canonicalize()
        .map_err(|e| format!("no content/ folder: {e}"))?;
    let file = file
        .canonicalize()
        .map_err(|e| format!("cannot read: {e}"))?;
    let relative = file
        .strip_prefix(&content)
        .map_err(|_| "not a file under content/".to_string())?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok(parts.join("/"))
}
