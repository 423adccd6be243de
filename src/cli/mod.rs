//! The command line: argument parsing (clap) and what each command does.
//!
//! Exit codes: 0 when clean (warnings allowed unless `--deny-warnings`), 1 when
//! content has errors, 2 for usage or configuration errors. Diagnostics go to
//! stderr for people (`human`) and to stdout for machines (`json`, `github`);
//! notes and the summary always go to stderr.

mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use kbgen::build::{self, BuildOptions, BuildOutcome, Drafts, SetupError};
use report::{MessageFormat, Printer};

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
    /// Include articles marked `draft: true`
    #[arg(long)]
    drafts: bool,
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
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Check(args) => run_check(args),
    }
}

fn options(common: &CommonArgs, drafts: Drafts) -> BuildOptions {
    BuildOptions {
        root: common.root.clone(),
        base_url: common.base_url.clone(),
        drafts,
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

fn run_build(args: BuildArgs) -> ExitCode {
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.common.root.join("public"));
    let drafts = if args.drafts {
        Drafts::Include
    } else {
        Drafts::Skip
    };
    let printer = printer(&args.common);
    match build::build_to_folder(&options(&args.common, drafts), &output) {
        Ok(outcome) => {
            printer.outcome(&outcome);
            if outcome.report.has_errors() {
                printer.line(&format!(
                    "kbgen: build failed; {} was left as it was",
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
    match build::check_site(&options(&args.common, Drafts::Check)) {
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
