//! The command line: argument parsing (clap) and what each command does.
//!
//! Exit codes: 0 when clean (warnings allowed unless `--deny-warnings`), 1 when
//! content has errors, 2 for usage or configuration errors. Diagnostics go to
//! stderr for people (`human`) and to stdout for machines (`json`, `github`);
//! notes and the summary always go to stderr.

mod fix;
mod import;
mod mv;
mod report;
mod serve;
mod translations;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use kbgen::render::Progress;

use clap::{Args, Parser, Subcommand};

use kbgen::build::{self, BuildOptions, BuildOutcome, Drafts, OutputPolicy, SetupError};
use report::{errln, MessageFormat, Printer};

#[derive(Debug, Parser)]
#[command(
    name = "kbgen",
    version,
    about = "Build a fast, cross-linked help center from a folder of Markdown articles",
    after_help = "Examples:\n  kbgen build                          build ./content into ./public\n  kbgen check --message-format github  check everything in CI, annotate the pull request\n  kbgen build --root docs --base-url https://help.example.com/"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds)
    #[command(
        after_help = "Examples:\n  kbgen build\n  kbgen build --output dist --base-url https://example.com/help/\n  kbgen build --drafts --output /tmp/preview"
    )]
    Build(BuildArgs),
    /// Run every check a build runs (front matter, links, shortcodes, templates), drafts included, and write nothing
    #[command(
        after_help = "Examples:\n  kbgen check\n  kbgen check --deny-warnings --message-format github\n  kbgen check --message-format json | jq .message"
    )]
    Check(CheckArgs),
    /// Preview the site: build into memory, serve it, rebuild and reload pages on every change
    #[command(
        after_help = "Examples:\n  kbgen serve\n  kbgen serve --port 8080 --open\n  kbgen serve --bind 0.0.0.0   (other machines can connect: mind your network)"
    )]
    Serve(ServeArgs),
    /// Write a new article skeleton (Problem, Diagnosis, Cause, Solution) into a section
    #[command(
        after_help = "Examples:\n  kbgen new billing/refund-failed --title \"Refund failed with error 402\"\n  kbgen new desktop-client/sync-stuck"
    )]
    New(NewArgs),
    /// Start a new help center in a folder: kbgen.yaml, a home page, a first section with two articles
    #[command(after_help = "Examples:\n  kbgen init help-center\n  cd help-center && kbgen serve")]
    Init(InitArgs),
    /// Convert a Grav, Hugo, Jekyll, MkDocs, Docusaurus or Zola site into a new kbgen site, and report what could not be converted
    #[command(
        after_help = "Examples:\n  kbgen import --from hugo ../old-docs --into help-center\n  kbgen import --from grav ../grav-site --into help-center --message-format json"
    )]
    Import(import::ImportArgs),
    /// Move or rename an article or section: add its old URL as an alias and rewrite every link to it
    #[command(
        after_help = "Examples:\n  kbgen mv content/billing/refund.md content/billing/refund-failed.md\n  kbgen mv content/billing/refund.md content/payments/\n  kbgen mv content/old-section content/new-section --dry-run"
    )]
    Mv(mv::MvArgs),
    /// Turn hand-kept parts of articles (a "Related articles" list, raw-HTML callouts, `&nbsp;` spacers, site-URL links) into what kbgen makes; shows a diff unless --write
    #[command(
        after_help = "Examples:\n  kbgen fix                      show what would change; exit 1 if anything would\n  kbgen fix --write              change the files\n  kbgen fix content/billing --write"
    )]
    Fix(fix::FixArgs),
    /// Show, per language, which articles are translated, missing or outdated; `mark` records that a translation matches its source again
    #[command(
        after_help = "Examples:\n  kbgen translations\n  kbgen translations --message-format json\n  kbgen translations mark content/billing/refunds.de.md"
    )]
    Translations(translations::TranslationsArgs),
}

/// What `build` and `serve` both let the writer choose.
#[derive(Debug, Args)]
struct SiteFlags {
    /// Include articles marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Skip the search index (also `search: false` in kbgen.yaml)
    #[arg(long)]
    no_search: bool,
    /// Neither read nor write the highlight cache in .kbgen-cache/
    #[arg(long)]
    no_cache: bool,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The site root: the folder holding content/ and the optional kbgen.yaml
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Port to listen on [default: 1111, or the next free one]
    #[arg(long, short)]
    port: Option<u16>,
    /// Address or host name to listen on (`localhost`); anything but a loopback address lets other machines connect
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS", value_parser = serve::parse_bind)]
    bind: std::net::IpAddr,
    /// Open the site in a browser
    #[arg(long)]
    open: bool,
    #[command(flatten)]
    site: SiteFlags,
}

#[derive(Debug, Args)]
struct NewArgs {
    /// Where the article goes: <section>/<slug>, e.g. billing/refund-failed
    spec: String,
    /// The article's title [default: from the slug]
    #[arg(long)]
    title: Option<String>,
    /// The site root
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// The folder for the new site (created if missing)
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Also copy the built-in theme (templates/ and static/) out, to customise it
    #[arg(long)]
    theme: bool,
    /// Write into a folder that is not empty (existing files are never overwritten)
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct CommonArgs {
    /// The site root: the folder holding content/ and the optional kbgen.yaml
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// The address the site is published at; overrides base_url in kbgen.yaml
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// How to print problems: for people, one JSON object per line, or GitHub Actions annotations
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    message_format: MessageFormat,
    /// Print only problems: no notes, no summary
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print the time each stage took
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Where to write the site [default: <root>/public]
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Replace the output folder even if it holds files kbgen did not write
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    site: SiteFlags,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Fail (exit 1) on warnings too
    #[arg(long)]
    deny_warnings: bool,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build(args) => run_build(args),
        Command::Check(args) => run_check(args),
        Command::Serve(args) => serve::run_serve(args),
        Command::New(args) => run_new(args),
        Command::Init(args) => run_init(args),
        Command::Import(args) => import::run_import(args),
        Command::Mv(args) => mv::run_mv(args),
        Command::Fix(args) => fix::run_fix(args),
        Command::Translations(args) => translations::run_translations(args),
    };
    report::finish(code)
}

fn run_new(args: NewArgs) -> ExitCode {
    match kbgen::scaffold::new_article(&args.root, &args.spec, args.title.as_deref()) {
        Ok(made) => {
            errln!("kbgen: wrote {}", made.path.display());
            errln!("       it will be served at {}", made.url);
            ExitCode::SUCCESS
        }
        Err(message) => {
            errln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run_init(args: InitArgs) -> ExitCode {
    let options = kbgen::scaffold::InitOptions {
        theme: args.theme,
        force: args.force,
    };
    match kbgen::scaffold::init_site(&args.dir, options) {
        Ok(files) => {
            for file in &files {
                errln!("  wrote {}", file.display());
            }
            let here = args.dir.as_os_str().is_empty() || args.dir == std::path::Path::new(".");
            if here {
                errln!("kbgen: a new help center is ready; next: kbgen serve");
            } else {
                errln!(
                    "kbgen: a new help center is ready; next: cd {} && kbgen serve",
                    args.dir.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            errln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn options(common: &CommonArgs, drafts: Drafts, search: bool) -> BuildOptions {
    BuildOptions {
        root: common.root.clone(),
        base_url: common.base_url.clone(),
        drafts,
        search,
        check_only: false,
        cache: false,
        progress: None,
    }
}

fn printer(common: &CommonArgs) -> Printer {
    Printer::new(
        common.message_format,
        &common.root,
        common.quiet,
        common.verbose,
    )
}

/// A site root that cannot be a site: a usage error (exit 2) with the next
/// step, before anything is built.
fn site_root_problem(root: &std::path::Path) -> Option<kbgen::diagnostics::Diagnostic> {
    use kbgen::diagnostics::Diagnostic;
    let shown = root.display();
    if !root.is_dir() {
        let what = if root.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Some(
            Diagnostic::error("config", root, format!("the site folder {shown} {what}"))
                .with_help(format!("point --root at the folder that holds content/, or start a site there with `kbgen init {shown}`")),
        );
    }
    kbgen::build::missing_content(root)
}

fn run_build(args: BuildArgs) -> ExitCode {
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.common.root.join("public"));
    let drafts = if args.site.drafts {
        Drafts::Include
    } else {
        Drafts::Skip
    };
    let printer = printer(&args.common);
    if let Some(problem) = site_root_problem(&args.common.root) {
        printer.diagnostics(std::slice::from_ref(&problem));
        return ExitCode::from(2);
    }
    kbgen::output::remove_on_interrupt();
    let result = with_progress(args.common.quiet, |progress| {
        let options = BuildOptions {
            progress,
            cache: !args.site.no_cache,
            ..options(&args.common, drafts, !args.site.no_search)
        };
        build::build_to_folder(&options, &output, OutputPolicy { force: args.force })
    });
    match result {
        Ok(outcome) => {
            printer.outcome(&outcome);
            if outcome.report.has_errors() {
                printer.line(&format!(
                    "kbgen: build failed; the output folder {} was left as it was",
                    output.display()
                ));
                return ExitCode::from(1);
            }
            printer.summary(
                &format!("built {}", counts(&outcome)),
                &outcome,
                Some(&output),
            );
            ExitCode::SUCCESS
        }
        Err(SetupError::Config(diagnostic)) => {
            printer.diagnostics(std::slice::from_ref(&diagnostic));
            ExitCode::from(2)
        }
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let printer = printer(&args.common);
    if let Some(problem) = site_root_problem(&args.common.root) {
        printer.diagnostics(std::slice::from_ref(&problem));
        return ExitCode::from(2);
    }
    let result = with_progress(args.common.quiet, |progress| {
        // Search as kbgen.yaml says: `check` renders the search pages (and the
        // search box of every page) as `build` does, and builds no index.
        build::check_site(&BuildOptions {
            progress,
            ..options(&args.common, Drafts::Check, true)
        })
    });
    match result {
        Ok(outcome) => {
            printer.outcome(&outcome);
            let report = &outcome.report;
            let failed = report.has_errors() || (args.deny_warnings && report.warning_count() > 0);
            if failed {
                printer.line("kbgen: check failed");
                return ExitCode::from(1);
            }
            printer.summary(&format!("checked {}", counts(&outcome)), &outcome, None);
            ExitCode::SUCCESS
        }
        Err(SetupError::Config(diagnostic)) => {
            printer.diagnostics(std::slice::from_ref(&diagnostic));
            ExitCode::from(2)
        }
    }
}

/// Runs a build with a progress bar on stderr when it takes more than a second,
/// on a terminal, outside CI, unless `--quiet`.
fn with_progress<T>(quiet: bool, run: impl FnOnce(Option<Arc<Progress>>) -> T) -> T {
    let wanted = !quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !wanted {
        return run(None);
    }
    let progress = Arc::new(Progress::default());
    let finished = Arc::new(AtomicBool::new(false));
    let ticker = {
        let (progress, finished) = (Arc::clone(&progress), Arc::clone(&finished));
        std::thread::spawn(move || {
            let started = Instant::now();
            let mut bar: Option<ProgressBar> = None;
            while !finished.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let total = progress.total.load(Ordering::Relaxed);
                if started.elapsed() < Duration::from_secs(1) || total == 0 {
                    continue;
                }
                let bar = bar.get_or_insert_with(|| {
                    let style = ProgressStyle::with_template(
                        "{spinner} {msg} {pos}/{len} pages {wide_bar} {eta}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
                    ProgressBar::new(total as u64)
                        .with_style(style)
                        .with_message("rendering")
                });
                let done = progress.done.load(Ordering::Relaxed);
                bar.set_position(done as u64);
                if done >= total {
                    bar.set_message("writing and indexing");
                }
            }
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
        })
    };
    let result = run(Some(progress));
    finished.store(true, Ordering::Relaxed);
    let _ = ticker.join();
    result
}

/// "19 articles, 5 sections, 17 taxonomy terms (45 pages)".
fn counts(outcome: &BuildOutcome) -> String {
    use kbgen::diagnostics::plural;
    let s = &outcome.stats;
    format!(
        "{}, {}, {} ({})",
        plural(s.articles, "article"),
        plural(s.sections, "section"),
        plural(s.terms, "taxonomy term"),
        plural(s.pages, "page")
    )
}
