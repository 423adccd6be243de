//! A whole build: configuration, loading, the site model, rendering and output,
//! in that order, with every stage's diagnostics gathered into one [`Report`].
//!
//! [`build_site`] renders into any [`PageSink`]; [`build_to_folder`] wraps it with
//! a staging folder that replaces the output folder only when nothing failed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::{self, LoadOptions};
use crate::diagnostics::{Diagnostic, Report};
use crate::markdown::highlight::Highlighter;
use crate::output::search::{self, IndexingSink, SearchIndexer};
use crate::output::{self, StagingDir};
use crate::render::{self, PageSink, Templates};
use crate::site;

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
    /// output is not kept and colouring cannot fail.
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
}

#[derive(Debug, Default, Clone)]
pub struct BuildStats {
    pub articles: usize,
    pub sections: usize,
    pub terms: usize,
    pub pages: usize,
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

/// The configuration (with the command line's overrides) and the highlighter:
/// what must be right before anything is read.
pub fn prepare(options: &BuildOptions) -> Result<(Config, Highlighter), Diagnostic> {
    let mut config = Config::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        Config::check_base_url(base_url)?;
        config.base_url = Some(base_url.clone());
    }
    let highlighter = if options.check_only {
        Highlighter::without_syntaxes(&config.highlight)
    } else {
        Highlighter::new(&config.highlight)
    };
    let highlighter = highlighter.map_err(|(key, message)| {
        let error = Diagnostic::error("config", crate::config::CONFIG_FILE, message);
        match config.place_of(&["highlight", key]) {
            Some((line, column)) => error.at(line, column),
            None => error,
        }
    })?;
    Ok((config, highlighter))
}

/// Runs every stage, writing into `sink`. Content problems are in the outcome's
/// report; only a broken configuration stops the build before it starts.
pub fn build_site(options: &BuildOptions, sink: &dyn PageSink) -> Result<BuildOutcome, SetupError> {
    let started = Instant::now();
    let (config, highlighter) = prepare(options).map_err(SetupError::Config)?;
    let mut report = Report::default();
    let cache =
        options.cache && !options.check_only && cache_folder_is_ours(&options.root, &mut report);
    if cache {
        highlighter.load_cache(&options.root);
    }
    if let Some(missing) = missing_content(&options.root) {
        report.extend([missing]);
        return Ok(BuildOutcome {
            report,
            ..BuildOutcome::default()
        });
    }

    let mut stages = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        stages.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let load_options = LoadOptions {
        drafts: options.drafts != Drafts::Skip,
    };
    let (content, problems) = content::load(&options.root, load_options);
    report.extend(problems);
    if content.articles.is_empty() && !report.has_errors() {
        report.extend([Diagnostic::error("content", "content", "content/ holds no articles")
            .with_help("add a Markdown file such as content/getting-started/first-steps.md with a `title` in its front matter")]);
    }
    report.extend(crate::lint::check(&config, &content));
    lap("load");
    let output_keep = config.output.keep.clone();
    let site_options = site::SiteOptions {
        links_into_drafts_are_errors: options.drafts == Drafts::Check,
        search: options.search && config.search,
    };
    let (site, problems) = site::build(config, content, site_options);
    report.extend(problems);
    lap("model");

    let (mut templates, problems) = Templates::load(&options.root);
    report.extend(problems);
    let indexer = site
        .options
        .search
        .then(|| SearchIndexer::start(searchable_pages(&site), "/", &site.config.language));
    let indexing = indexer.as_ref().map(|indexer| IndexingSink {
        inner: sink,
        indexer,
    });
    let render_sink: &dyn PageSink = match &indexing {
        Some(indexing) => indexing,
        None => sink,
    };
    let mut render = || {
        render::render_site(
            &site,
            &mut templates,
            &highlighter,
            render_sink,
            options.progress.as_deref(),
        )
    };
    let (render_stats, problems) = match indexer.as_ref().and_then(|_| yielding_pool()) {
        Some(pool) => pool.install(render),
        None => render(),
    };
    report.extend(problems);
    lap("render");
    if cache {
        if let Err(e) = highlighter.save_cache(&options.root) {
            report.extend([Diagnostic::warning(
                "io",
                crate::markdown::highlight_cache::path(&options.root),
                format!("cannot write the highlight cache: {e}"),
            )
            .with_help("the site is built all the same; --no-cache skips the cache")]);
        }
        lap("cache");
    }
    let (notes, problems) = output::write_files(&site, sink);
    report.extend(problems);
    lap("write");
    if let Some(indexer) = indexer {
        match indexer.finish() {
            Ok(index) => {
                if let Err(e) = search::write_index(&index, sink) {
                    report.extend([Diagnostic::error(
                        "io",
                        search::SEARCH_DIR,
                        format!("cannot write the search index: {e}"),
                    )]);
                }
                lap("search");
                stages.push(("pagefind", index.elapsed));
            }
            Err(message) => {
                report.extend([Diagnostic::error("search", search::SEARCH_DIR, message)])
            }
        }
    }
    report.sort();

    let stats = BuildStats {
        articles: site.articles.len(),
        sections: site.sections.len().saturating_sub(1),
        terms: site.taxonomies.iter().map(|t| t.terms.len()).sum(),
        pages: render_stats.pages,
        elapsed: started.elapsed(),
        stages,
    };
    Ok(BuildOutcome {
        report,
        stats,
        notes,
        output_keep,
    })
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

/// The highlight cache is the one thing a build writes outside its output, so
/// its folder must be a real folder inside the site: a committed
/// `.kbgen-cache` link would let a site choose where kbgen writes. Otherwise
/// the cache is skipped with a warning.
fn cache_folder_is_ours(root: &Path, report: &mut Report) -> bool {
    use crate::markdown::highlight_cache::{path, CACHE_DIR};
    let linked = root.join(CACHE_DIR).is_symlink() || path(root).is_symlink();
    if !linked {
        return true;
    }
    report.extend([Diagnostic::warning(
        "io",
        CACHE_DIR,
        "the highlight cache is a symbolic link; kbgen neither reads nor writes it",
    )
    .with_help("remove the link (kbgen makes the folder itself), or pass --no-cache")]);
    false
}

/// A rendering pool whose threads yield to the search indexer. The indexer
/// is one thread (pagefind takes one page at a time) and the longest path of
/// a searchable build; at a lower priority, rendering uses what the indexer
/// leaves, and the build ends about 10% sooner on two cores.
fn yielding_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .start_handler(|_| lower_thread_priority())
        .build()
        .ok()
}

#[cfg(target_os = "linux")]
fn lower_thread_priority() {
    // SAFETY: plain system calls on the calling thread, with no pointers; a
    // failure (say, in a sandbox) only leaves the priority as it was.
    unsafe {
        let thread = libc::gettid() as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, thread, 10);
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_thread_priority() {}

/// The pages the search index holds: published articles.
pub fn searchable_pages(site: &site::Site) -> Vec<String> {
    site.articles
        .iter()
        .filter(|a| !a.source.front.draft)
        .map(|a| format!("{}index.html", a.path))
        .collect()
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
