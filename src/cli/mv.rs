//! `kbgen mv OLD NEW`: the command line of [`kbgen::mv`]. It prints what it
//! changed (or, with `--dry-run`, the diff) and exits 0; a refused move exits
//! 1 with the problems the move would cause, a wrong path 2.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::report::{errln, out};
use kbgen::mv::{self, AliasChange, MoveError};

#[derive(Debug, Args)]
pub struct MvArgs {
    /// The article (`.md` file or page-bundle folder) or section folder to move
    old: PathBuf,
    /// The new path, or an existing section folder to move it into
    new: PathBuf,
    /// The site root: the folder holding content/
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Show the change as a unified diff and change nothing
    #[arg(long)]
    dry_run: bool,
}

pub fn run_mv(args: MvArgs) -> ExitCode {
    let plan = match mv::plan(&args.root, &args.old, &args.new) {
        Ok(plan) => plan,
        Err(error) => return refused(error),
    };
    for warning in &plan.warnings {
        errln!("{}", warning.headline());
    }
    if args.dry_run {
        out!("{}", plan.diff());
        errln!("kbgen: dry run; nothing was changed");
        return ExitCode::SUCCESS;
    }
    if let Err(error) = mv::apply(&plan) {
        return refused(error);
    }
    errln!(
        "kbgen: moved {} to {}",
        plan.from.display(),
        plan.to.display()
    );
    for (from, to) in &plan.translations {
        errln!(
            "  moved the translation {} to {}",
            from.display(),
            to.display()
        );
    }
    for change in &plan.aliases {
        match change {
            AliasChange::Added(file, alias) => {
                errln!("  {}: added alias {alias}", file.display())
            }
            AliasChange::Dropped(file, alias) => {
                errln!("  {}: dropped alias {alias}, its URL again", file.display())
            }
        }
    }
    for file in plan.files.iter().filter(|f| f.links > 0) {
        errln!(
            "  {}: rewrote {}",
            file.after.display(),
            kbgen::diagnostics::plural(file.links, "link")
        );
    }
    ExitCode::SUCCESS
}

fn refused(error: MoveError) -> ExitCode {
    errln!("error: {error}");
    match error {
        MoveError::Usage(_) => ExitCode::from(2),
        MoveError::Refused { problems, .. } => {
            for problem in &problems {
                errln!("  {}", problem.headline());
            }
            ExitCode::from(1)
        }
        MoveError::Io { .. } => ExitCode::from(1),
    }
}
