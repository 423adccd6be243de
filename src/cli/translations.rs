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

use kbgen::diagnostics::Diagnostic;

use super::report::{errln, out, MessageFormat, Printer};

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

/// Prints the status (or marks files). Exit codes: 0, 1 when the content
/// has errors (they are printed, since the status of a file with an error
/// may be off) or a file could not be marked, 2 when there is no site or it
/// has one language.
pub fn run_translations(args: TranslationsArgs) -> ExitCode {
    let human = Printer::new(MessageFormat::Human, &args.root, false, false);
    if let Some(missing) = kbgen::build::missing_content(&args.root) {
        human.diagnostics(&[missing]);
        return ExitCode::from(2);
    }
    let (loaded, problems) = match load(&args.root) {
        Ok(loaded) => loaded,
        Err(diagnostic) => {
            human.diagnostics(&[diagnostic]);
            return ExitCode::from(2);
        }
    };
    if !loaded.is_multilingual() {
        errln!(
            "error: the site has one language: list its languages under `languages:` in {}",
            args.root.join(kbgen::config::CONFIG_FILE).display()
        );
        return ExitCode::from(2);
    }
    let errors: Vec<Diagnostic> = problems.iter().filter(|d| d.is_error()).cloned().collect();
    let marked = match args.action {
        Some(Action::Mark { files }) => {
            human.diagnostics(&errors);
            mark(&loaded, &errors, &args.root, &files)
        }
        None => {
            let status = translation_status::status(&loaded);
            match args.message_format {
                MessageFormat::Json => {
                    human.diagnostics(&errors);
                    print_json(&status)
                }
                MessageFormat::Human => {
                    human.diagnostics(&errors);
                    print_human(&status)
                }
                MessageFormat::Github => {
                    // The status for the log, and each finding (with the
                    // errors) as an annotation on its file.
                    print_human(&status);
                    let annotated: Vec<Diagnostic> = (problems.into_iter())
                        .filter(|d| d.is_error() || d.code.starts_with("i18n/"))
                        .collect();
                    Printer::new(MessageFormat::Github, &args.root, false, false)
                        .diagnostics(&annotated);
                }
            }
            true
        }
    };
    if !errors.is_empty() {
        errln!(
            "kbgen: the content has {}; the status of those files may be off",
            kbgen::diagnostics::plural(errors.len(), "error")
        );
    }
    match (marked, errors.is_empty()) {
        (true, true) => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    }
}

/// The site model as `check` sees it (drafts in, so they can be marked),
/// with git's dates when `dates: git` asks for them, as a build has them,
/// and the problems loading and modelling it found.
fn load(root: &Path) -> Result<(kbgen::site::Site, Vec<Diagnostic>), Diagnostic> {
    let config = kbgen::config::Config::load(root)?;
    let options = kbgen::content::LoadOptions {
        drafts: true,
        languages: kbgen::content::file_language::Codes::of(&config),
    };
    let (mut content, mut problems) = kbgen::content::load(root, options);
    let mut dates = kbgen::content::git_dates::GitDates::default();
    problems.extend(dates.apply(root, &config, &mut content));
    let site_options = kbgen::site::SiteOptions {
        links_into_drafts_are_errors: false,
        search: false,
    };
    let (site, model_problems) = kbgen::site::build(config, content, site_options);
    problems.extend(model_problems);
    let mut report = kbgen::diagnostics::Report::default();
    report.extend(problems);
    report.sort();
    Ok((site, report.diagnostics))
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
                Freshness::NotARevision { recorded } => {
                    format!("`translated_from: {recorded}` is not a revision kbgen wrote")
                }
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
/// translation with a source article is an error (false), the others are
/// marked all the same. `errors` are the content's errors, to say why a
/// file is not an article.
fn mark(site: &kbgen::site::Site, errors: &[Diagnostic], root: &Path, files: &[PathBuf]) -> bool {
    let mut failed = false;
    for file in files {
        match mark_one(site, errors, root, file) {
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
    !failed
}

fn mark_one(
    site: &kbgen::site::Site,
    errors: &[Diagnostic],
    root: &Path,
    file: &Path,
) -> Result<String, String> {
    let content_path = content_path(root, file)?;
    let Some(Target::Article(id)) = site.urls.content_path_target(&content_path) else {
        let in_file = Path::new("content").join(&content_path);
        if errors.iter().any(|e| e.path == in_file) {
            return Err("has errors (shown above); fix them, then mark it".to_string());
        }
        let name = content_path.rsplit('/').next().unwrap_or_default();
        if name.starts_with("_index.") {
            return Err("is a section's index: kbgen tracks the translation of articles, and a section's title and description are checked by `kbgen check`".to_string());
        }
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
