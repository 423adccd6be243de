//! A whole build: configuration, loading, the site model, rendering and output,
//! in that order, with every stage's diagnostics gathered into one [`Report`].
//!
//! The stages run in one place, a [`Session`] (see [`session`]). [`build_site`]
//! runs one once into any [`PageSink`]; [`build_to_folder`] wraps it with a
//! staging folder that replaces the output folder only when nothing failed;
//! [`preview::Preview`] keeps one and runs it again after each change, into
//! memory.

pub mod preview;
mod session;

pub use session::{prepare, searchable_pages, Changes, Session};

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Report};
use crate::output::{self, StagingDir};
use crate::render::{self, PageSink};

/// What a build is asked to do, besides what `kbgen.yaml` says.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root: the folder with `content/` and the optional `kbgen.yaml`.
    pub root: PathBuf,
    /// Replaces `base_url` from `kbgen.yaml`.
    pub base_url: Option<String>,
    pub drafts: Drafts,
    /// Build the search index (when `kbgen.yaml` does not turn it off).
    pub search: bool,
    /// Only look for problems (`check`): code is not coloured, since the
    /// output is not kept and colouring cannot fail, and no search index is
    /// built (the search pages are rendered, as `build` renders them).
    pub check_only: bool,
    /// Read and write the persistent highlight cache (`.kbgen-cache/` under
    /// the root; see [`crate::markdown::highlight_cache`]). Off by default:
    /// the command line turns it on unless `--no-cache` is given.
    pub cache: bool,
    /// Counts rendered pages, for a progress bar.
    pub progress: Option<std::sync::Arc<render::Progress>>,
}

/// What a build does with articles marked `draft: true`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Drafts {
    /// Leave them out; links to them are errors (`build`).
    #[default]
    Skip,
    /// Build them like any article (`build --drafts`, previews).
    Include,
    /// Check them like any article, but links from published articles to them
    /// are still errors (`check`).
    Check,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildOutcome {
    pub report: Report,
    pub stats: BuildStats,
    /// Things worth telling that are not problems ("sitemap skipped: no base_url").
    pub notes: Vec<String>,
    /// `output.keep` from kbgen.yaml: names the swap carries over.
    pub output_keep: Vec<String>,
    /// The pages the search index should hold, when the site has search and
    /// the session leaves indexing to its caller (see [`Session::kept`]).
    pub searchable: Option<Vec<crate::output::search::SearchPage>>,
    /// The site's language (`kbgen.yaml`), for a search index built later;
    /// empty for a multilingual site (see [`crate::output::search::SearchIndexer::start`]).
    pub language: String,
}

#[derive(Debug, Default, Clone)]
pub struct BuildStats {
    pub articles: usize,
    pub sections: usize,
    pub terms: usize,
    /// Pages in the site.
    pub pages: usize,
    /// Pages rendered: all of them in a one-off build, the changed ones in a
    /// session's later runs.
    pub rendered: usize,
    pub elapsed: Duration,
    /// Time spent in each stage, in order.
    pub stages: Vec<(&'static str, Duration)>,
}

/// Why a build could not even start.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// `kbgen.yaml` or the command line is wrong (exit code 2).
    #[error("{0}")]
    Config(Diagnostic),
}

/// Runs every stage once, writing into `sink`. Content problems are in the
/// outcome's report; only a broken configuration stops the build before it
/// starts.
pub fn build_site(options: &BuildOptions, sink: &dyn PageSink) -> Result<BuildOutcome, SetupError> {
    Session::once(options).run(&Changes::everything(), sink)
}

/// The problem of a site root without `content/`, as every command words it.
pub fn missing_content(root: &Path) -> Option<Diagnostic> {
    (!root.join("content").is_dir()).then(|| {
        Diagnostic::error(
            "content",
            "content",
            format!("no content/ folder in {}", root.display()),
        )
        .with_help("start a help center here with `kbgen init`, or point --root at the site")
    })
}

/// Runs every check of a build and writes nothing: pages are rendered (so
/// template errors show) and dropped.
pub fn check_site(options: &BuildOptions) -> Result<BuildOutcome, SetupError> {
    let options = BuildOptions {
        check_only: true,
        ..options.clone()
    };
    build_site(&options, &output::NullSink)
}

/// How a build may treat the output folder.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutputPolicy {
    /// Replace an existing folder that kbgen did not write (`--force`).
    pub force: bool,
}

/// Builds into a staging folder beside `output` and swaps it in when the build
/// has no errors; otherwise `output` is left as it was. The output folder is
/// checked before anything is created or deleted (see [`output::folder`]).
pub fn build_to_folder(
    options: &BuildOptions,
    output: &Path,
    policy: OutputPolicy,
) -> Result<BuildOutcome, SetupError> {
    let folder =
        output::folder::resolve(&options.root, output, policy.force).map_err(SetupError::Config)?;
    let shown = output::folder::shown(&options.root, output);
    let staging = StagingDir::create(&folder).map_err(|e| {
        SetupError::Config(Diagnostic::error(
            "io",
            &shown,
            format!("cannot create a staging folder for the output: {e}"),
        ))
    })?;
    let mut outcome = match build_site(options, &staging) {
        Ok(outcome) => outcome,
        Err(e) => {
            staging.abandon();
            return Err(e);
        }
    };
    collapse_write_errors(&mut outcome.report, &shown);
    let started = Instant::now();
    if outcome.report.has_errors() {
        staging.abandon();
    } else if let Err(e) = staging.commit(&outcome.output_keep) {
        outcome.report.extend([Diagnostic::error(
            "io",
            &shown,
            format!("cannot replace the output folder: {e}"),
        )]);
    }
    let swap = started.elapsed();
    outcome.stats.stages.push(("swap", swap));
    outcome.stats.elapsed += swap;
    Ok(outcome)
}

/// Write errors name output files, which the author never opened; and a full
/// disk fails every file. They become one error per cause at the output
/// folder, naming the first file and how many more met the same fate.
fn collapse_write_errors(report: &mut Report, output: &Path) {
    let is_write_error = |d: &Diagnostic| {
        d.code == "io"
            && d.is_error()
            && ["cannot write", "cannot copy"]
                .iter()
                .any(|verb| d.message.starts_with(verb))
    };
    let mut causes: Vec<(String, PathBuf, usize)> = Vec::new();
    report.diagnostics.retain(|d| {
        if !is_write_error(d) {
            return true;
        }
        let cause = match d.message.split_once(": ") {
            Some((_, cause)) => cause.to_string(),
            None => d.message.clone(),
        };
        match causes.iter_mut().find(|(c, _, _)| *c == cause) {
            Some((_, _, more)) => *more += 1,
            None => causes.push((cause, d.path.clone(), 0)),
        }
        false
    });
    for (cause, first, more) in causes {
        let others = match more {
            0 => String::new(),
            n => format!(" and {}", crate::diagnostics::plural(n, "other file")),
        };
        report.extend([Diagnostic::error(
            "io",
            output,
            format!(
                "cannot write the output ({}{others}): {cause}",
                first.display()
            ),
        )
        .with_help("the previous output was left as it was; free space or fix permissions, then build again")]);
    }
}
