//! The command line: argument parsing (clap) and how results are shown.
//!
//! Exit codes: 0 when the build is clean (warnings allowed), 1 when content has
//! errors, 2 for usage or configuration errors. Diagnostics and the one-line
//! summary go to stderr.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use kbgen::build::{self, BuildOptions, BuildOutcome, SetupError};
use kbgen::diagnostics::{plural, render_human, Diagnostic, Report};

#[derive(Debug, Parser)]
#[command(
    name = "kbgen",
    version,
    about = "Build a fast, cross-linked help center from a folder of Markdown articles",
    after_help = "Examples:\n  kbgen build                       build ./content into ./public\n  kbgen build --root docs --base-url https://help.example.com/"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds)
    Build(BuildArgs),
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// The site root: the folder holding content/ and the optional kbgen.yaml
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Where to write the site [default: <root>/public]
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// The address the site is published at; overrides base_url in kbgen.yaml
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include articles marked `draft: true`
    #[arg(long)]
    drafts: bool,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args),
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.root.join("public"));
    let options = BuildOptions {
        root: args.root.clone(),
        base_url: args.base_url,
        drafts: args.drafts,
    };
    match build::build_to_folder(&options, &output) {
        Ok(outcome) => finish(&outcome, &args.root, &output),
        Err(SetupError::Config(diagnostic)) => {
            print_diagnostics(std::slice::from_ref(&diagnostic), &args.root);
            ExitCode::from(2)
        }
    }
}

fn finish(outcome: &BuildOutcome, root: &Path, output: &Path) -> ExitCode {
    let report: &Report = &outcome.report;
    print_diagnostics(&report.diagnostics, root);
    for note in &outcome.notes {
        eprintln!("note: {note}");
    }
    if let Some(counts) = report.count_line() {
        eprintln!("{counts}");
    }
    if report.has_errors() {
        eprintln!(
            "kbgen: build failed; {} was left as it was",
            output.display()
        );
        return ExitCode::from(1);
    }
    let s = outcome.stats;
    eprintln!(
        "kbgen: built {}, {}, {} ({}) in {:.2}s → {}",
        plural(s.articles, "article"),
        plural(s.sections, "section"),
        plural(s.terms, "taxonomy term"),
        plural(s.pages, "page"),
        s.elapsed.as_secs_f64(),
        output.display()
    );
    ExitCode::SUCCESS
}

/// Diagnostics carry paths relative to the site root; they are shown relative
/// to the working directory, the way the user will open them.
fn print_diagnostics(diagnostics: &[Diagnostic], root: &Path) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for diagnostic in diagnostics {
        let mut shown = diagnostic.clone();
        if shown.path.is_relative() && root != Path::new(".") {
            shown.path = root.join(&shown.path);
        }
        eprint!("{}", render_human(&shown, Path::new("."), color));
    }
}
