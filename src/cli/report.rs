//! Printing a build's diagnostics, notes and summary in the format asked for.
//!
//! `human` draws each problem with its source line (annotate-snippets), in
//! colour only on a terminal and never with `NO_COLOR`. `json` prints one object
//! per problem per line; `github` prints workflow commands that GitHub Actions
//! turns into annotations on the pull request's diff.
//!
//! A problem about a whole file (an asset, a folder) has no line: `human` says
//! so by leaving the place out of its headline, while `json` and `github` give
//! line 1, column 1, since the tools that read them need a real place.
//!
//! Every line kbgen prints goes through [`write`] (the [`out!`], [`outln!`],
//! [`err!`] and [`errln!`] macros stand in for `print!` and its kin, which panic
//! when the stream is gone). A closed pipe (`kbgen check | head -1`) ends the
//! output quietly: the rest of that stream is dropped and the command finishes
//! its work and exits with its own code. Finishing matters more than printing:
//! a move or a build is never left half-done because a reader went away.
//! SIGPIPE is left ignored, as Rust sets it, rather than reset to its default,
//! which would kill the process at whatever write it reached (in the middle of
//! `kbgen mv` applying its plan, say). Any other failure to write stdout (a
//! full disk under `kbgen fix > fix.diff`) is reported at the end and fails the
//! command ([`finish`]).

use std::fmt;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use clap::ValueEnum;
use serde::Serialize;

use kbgen::build::BuildOutcome;
use kbgen::diagnostics::{render_human, Diagnostic, Severity};

/// The stream a line goes to: stdout for what the command outputs (a diff,
/// JSON lines), stderr for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

/// Whether each stream was found closed (or failing): nothing more is tried.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);
static STDERR_GONE: AtomicBool = AtomicBool::new(false);
/// A failure to write stdout other than a closed pipe, reported by [`finish`].
static STDOUT_FAILURE: Mutex<Option<String>> = Mutex::new(None);

/// Writes `text` to `stream`. Never panics: a closed pipe drops this and every
/// later write to that stream.
pub fn write(stream: Stream, text: fmt::Arguments<'_>) {
    let gone = match stream {
        Stream::Out => &STDOUT_GONE,
        Stream::Err => &STDERR_GONE,
    };
    if gone.load(Ordering::Relaxed) {
        return;
    }
    let written = match stream {
        // Flushed at once, so a failure shows here and not at exit.
        Stream::Out => {
            let mut out = std::io::stdout().lock();
            out.write_fmt(text).and_then(|()| out.flush())
        }
        Stream::Err => std::io::stderr().lock().write_fmt(text),
    };
    let Err(error) = written else {
        return;
    };
    gone.store(true, Ordering::Relaxed);
    if stream == Stream::Out && error.kind() != std::io::ErrorKind::BrokenPipe {
        if let Ok(mut failure) = STDOUT_FAILURE.lock() {
            failure.get_or_insert(error.to_string());
        }
    }
}

/// The exit code of a command whose own code is `code`: a failure to write
/// its output (other than a closed pipe, which is the reader's choice) is
/// reported on stderr and makes a success a failure.
pub fn finish(code: ExitCode) -> ExitCode {
    let failure = STDOUT_FAILURE.lock().ok().and_then(|mut f| f.take());
    match failure {
        Some(error) => {
            write(
                Stream::Err,
                format_args!("error: cannot write the output: {error}\n"),
            );
            if code == ExitCode::SUCCESS {
                ExitCode::FAILURE
            } else {
                code
            }
        }
        None => code,
    }
}

/// `print!` through [`write`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::report::write($crate::cli::report::Stream::Out, format_args!($($arg)*))
    };
}

/// `println!` through [`write`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::report::write(
            $crate::cli::report::Stream::Out,
            format_args!("{}\n", format_args!($($arg)*)),
        )
    };
}

/// `eprint!` through [`write`].
macro_rules! err {
    ($($arg:tt)*) => {
        $crate::cli::report::write($crate::cli::report::Stream::Err, format_args!($($arg)*))
    };
}

/// `eprintln!` through [`write`].
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::report::write(
            $crate::cli::report::Stream::Err,
            format_args!("{}\n", format_args!($($arg)*)),
        )
    };
}

// `outln!` is used in this file only; add it here when another needs it.
pub(crate) use {err, errln, out};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Json,
    Github,
}

pub struct Printer {
    format: MessageFormat,
    root: PathBuf,
    quiet: bool,
    verbose: bool,
}

impl Printer {
    pub fn new(format: MessageFormat, root: &Path, quiet: bool, verbose: bool) -> Self {
        Printer {
            format,
            root: root.to_path_buf(),
            quiet,
            verbose,
        }
    }

    /// Diagnostics, then notes and the count line.
    pub fn outcome(&self, outcome: &BuildOutcome) {
        self.diagnostics(&outcome.report.diagnostics);
        if self.quiet {
            return;
        }
        for note in &outcome.notes {
            errln!("note: {note}");
        }
        if let Some(counts) = outcome.report.count_line() {
            errln!("{counts}");
        }
    }

    /// A line for people, on stderr, unless `--quiet`.
    pub fn line(&self, text: &str) {
        if !self.quiet {
            errln!("{text}");
        }
    }

    /// The closing line (and stage times with `--verbose`).
    pub fn summary(&self, what: &str, outcome: &BuildOutcome, output: Option<&Path>) {
        if self.quiet {
            return;
        }
        if self.verbose {
            for (stage, time) in &outcome.stats.stages {
                errln!("  {stage:<7} {:>8.1} ms", time.as_secs_f64() * 1000.0);
            }
        }
        let elapsed = outcome.stats.elapsed.as_secs_f64();
        // Search is the slowest stage; its own time is worth seeing every time.
        let search = outcome
            .stats
            .stages
            .iter()
            .find(|(stage, _)| *stage == "pagefind")
            .map(|(_, time)| format!(" (search index {:.2}s of it)", time.as_secs_f64()))
            .unwrap_or_default();
        match output {
            Some(output) => errln!(
                "kbgen: {what} in {elapsed:.2}s{search} → {}",
                output.display()
            ),
            None => errln!("kbgen: {what} in {elapsed:.2}s{search}"),
        }
    }

    pub fn diagnostics(&self, diagnostics: &[Diagnostic]) {
        let shown: Vec<Diagnostic> = diagnostics
            .iter()
            .map(|d| self.relative_to_cwd(d))
            .collect();
        match self.format {
            MessageFormat::Human => {
                let color =
                    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                // Each file is read once, however many problems it has; a file
                // that is not UTF-8 is shown with U+FFFD for its bad bytes, so
                // the caret still points at the first one.
                let mut sources: std::collections::HashMap<&Path, Option<String>> =
                    std::collections::HashMap::new();
                for d in &shown {
                    let source = sources.entry(d.path.as_path()).or_insert_with(|| {
                        (d.line > 0)
                            .then(|| std::fs::read(&d.path).ok())
                            .flatten()
                            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                    });
                    err!("{}", render_human(d, source.as_deref(), color));
                }
            }
            MessageFormat::Json => {
                for d in &shown {
                    outln!("{}", json_line(d));
                }
            }
            MessageFormat::Github => {
                let workspace = std::env::var_os("GITHUB_WORKSPACE").map(PathBuf::from);
                for d in &shown {
                    outln!("{}", github_line(d, workspace.as_deref()));
                }
            }
        }
    }

    /// Diagnostics hold paths relative to the site root; people and CI open
    /// them from the working directory.
    fn relative_to_cwd(&self, diagnostic: &Diagnostic) -> Diagnostic {
        let mut shown = diagnostic.clone();
        let cwd = std::env::current_dir().unwrap_or_default();
        shown.path = self.shown_from(&shown.path, &cwd);
        // The include calls a snippet's problem names are files too.
        shown.included_by = shown
            .included_by
            .map_paths(|path| self.shown_from(path, &cwd));
        shown
    }

    /// A path relative to the site root, as seen from `cwd`.
    fn shown_from(&self, path: &Path, cwd: &Path) -> PathBuf {
        if !path.is_relative() {
            return path.to_path_buf();
        }
        let full = self.root.join(path);
        match full.strip_prefix(cwd) {
            Ok(relative) => relative.to_path_buf(),
            Err(_) => full
                .strip_prefix("./")
                .map(Path::to_path_buf)
                .unwrap_or(full),
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'a str,
    message: &'a str,
    path: String,
    line: usize,
    column: usize,
    help: Option<&'a str>,
}

fn json_line(d: &Diagnostic) -> String {
    let value = JsonDiagnostic {
        severity: match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        code: d.code,
        message: &d.full_message(),
        path: d.path.display().to_string(),
        line: d.position().0,
        column: d.position().1,
        help: d.help.as_deref(),
    };
    serde_json::to_string(&value).unwrap_or_default()
}

/// `::error file=…,line=…,col=…,title=…::message`, escaped as GitHub's
/// workflow commands require.
fn github_line(d: &Diagnostic, workspace: Option<&Path>) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let path = match workspace {
        Some(workspace) => {
            let absolute = std::path::absolute(&d.path).unwrap_or_else(|_| d.path.clone());
            absolute
                .strip_prefix(workspace)
                .map(Path::to_path_buf)
                .unwrap_or(absolute)
        }
        None => d.path.clone(),
    };
    let mut properties = vec![format!(
        "file={}",
        escape_property(&path.display().to_string())
    )];
    // GitHub rejects line 0: a whole-file problem is annotated at 1:1.
    let (line, column) = d.position();
    properties.push(format!("line={line}"));
    properties.push(format!("col={column}"));
    properties.push(format!(
        "title={}",
        escape_property(&format!("kbgen {}", d.code))
    ));
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.full_message()),
        None => d.full_message().into_owned(),
    };
    format!(
        "::{command} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_lines_escape_messages_and_properties() {
        let d = Diagnostic::error("broken-link", "content/a,b.md", "50% done\nnext")
            .at(3, 7)
            .with_help("try: this");
        assert_eq!(
            github_line(&d, None),
            "::error file=content/a%2Cb.md,line=3,col=7,title=kbgen broken-link::50%25 done%0Anext%0Ahelp: try: this"
        );
    }

    #[test]
    fn github_lines_stay_one_line_whatever_the_path_holds() {
        let d = Diagnostic::error("path", "content/a\nb:c.md", "bad\r\nname").at(1, 1);
        assert_eq!(
            github_line(&d, None),
            "::error file=content/a%0Ab%3Ac.md,line=1,col=1,title=kbgen path::bad%0D%0Aname"
        );
    }

    #[test]
    fn whole_file_problems_are_at_line_1_column_1_for_tools() {
        let d = Diagnostic::error("asset", "content/index.html", "stray page");
        assert_eq!(
            github_line(&d, None),
            "::error file=content/index.html,line=1,col=1,title=kbgen asset::stray page"
        );
        assert_eq!(
            json_line(&d),
            r#"{"severity":"error","code":"asset","message":"stray page","path":"content/index.html","line":1,"column":1,"help":null}"#
        );
    }

    #[test]
    fn json_lines_have_every_field() {
        let d = Diagnostic::warning("lint/title-length", "a.md", "long").at(1, 2);
        assert_eq!(
            json_line(&d),
            r#"{"severity":"warning","code":"lint/title-length","message":"long","path":"a.md","line":1,"column":2,"help":null}"#
        );
    }
}
