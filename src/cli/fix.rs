//! `kbgen fix [PATH…] [--write]`: the command line of [`kbgen::fix`]. A dry
//! run prints the change as a unified diff on stdout and exits 1 when there is
//! one, so CI can require a fixed tree; `--write` makes it. What each rule
//! changed or left alone is listed on stderr, one line each.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::report::{err, errln, out};

#[derive(Debug, Args)]
pub struct FixArgs {
    /// Articles or folders to fix [default: all of content/]
    paths: Vec<PathBuf>,
    /// Write the changes instead of showing them
    #[arg(long)]
    write: bool,
    /// The site root: the folder holding content/ and the optional kbgen.yaml
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
}

pub fn run_fix(args: FixArgs) -> ExitCode {
    if let Some(problem) = kbgen::build::missing_content(&args.root) {
        errln!("{}", problem.headline());
        return ExitCode::from(2);
    }
    let report = match kbgen::fix::fix_site(&args.root, &args.paths) {
        Ok(report) => report,
        Err(problem) => {
            err!(
                "{}",
                kbgen::diagnostics::render_human(&problem, None, false)
            );
            return ExitCode::from(2);
        }
    };
    for finding in &report.findings {
        errln!("{}", finding.headline());
    }
    let changed = kbgen::diagnostics::plural(report.files.len(), "file");
    if report.files.is_empty() {
        errln!("kbgen: nothing to fix");
        return ExitCode::SUCCESS;
    }
    if !args.write {
        out!("{}", report.diff());
        errln!("kbgen: {changed} would change; run `kbgen fix --write` to change them");
        return ExitCode::from(1);
    }
    if let Err(problem) = report.write(&args.root) {
        errln!("{}", problem.headline());
        return ExitCode::from(1);
    }
    errln!("kbgen: fixed {changed}");
    ExitCode::SUCCESS
}
