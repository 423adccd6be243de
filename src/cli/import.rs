//! `kbgen import`: converts another tool's site into a new kbgen site, then
//! prints every construct it could not convert, grouped by kind, each at its
//! place in the source file, and a count of what was converted.
//!
//! Exit codes: 0 when the site was written (constructs left as text are
//! warnings), 1 when a source file could not be read, 2 for a destination or
//! source the import refuses.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};

use kbgen::diagnostics::plural;
use kbgen::import::{self, Counts, ImportOptions, Tool};

use super::report::{MessageFormat, Printer};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum From {
    Grav,
    Hugo,
    Jekyll,
    Mkdocs,
    Docusaurus,
    Zola,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The tool the site was made with
    #[arg(long, value_enum)]
    from: From,
    /// The site's root folder (read, never written)
    source: PathBuf,
    /// Where to write the kbgen site: a new or empty folder [default: <SOURCE name>-kbgen]
    #[arg(long, value_name = "DIR")]
    into: Option<PathBuf>,
    /// How to print what was not converted: for people, one JSON object per line, or GitHub Actions annotations
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    message_format: MessageFormat,
    /// Print only what was not converted: no summary
    #[arg(long, short)]
    quiet: bool,
}

pub fn run_import(args: ImportArgs) -> ExitCode {
    let tool = match args.from {
        From::Grav => Tool::Grav,
        From::Hugo => Tool::Hugo,
        From::Jekyll => Tool::Jekyll,
        From::Mkdocs => Tool::Mkdocs,
        From::Docusaurus => Tool::Docusaurus,
        From::Zola => Tool::Zola,
    };
    let into = args
        .into
        .clone()
        .unwrap_or_else(|| default_into(&args.source));
    let printer = Printer::new(
        args.message_format,
        std::path::Path::new(""),
        args.quiet,
        false,
    );
    let started = Instant::now();
    let options = ImportOptions {
        tool,
        source: args.source.clone(),
        into: into.clone(),
    };
    let imported = match import::import(&options) {
        Ok(imported) => imported,
        Err(problem) => {
            printer.diagnostics(std::slice::from_ref(&problem));
            return ExitCode::from(2);
        }
    };
    let findings = &imported.findings;
    let mut start = 0;
    while start < findings.len() {
        let kind = findings[start].code;
        let end = start
            + findings[start..]
                .iter()
                .take_while(|f| f.code == kind)
                .count();
        if args.message_format == MessageFormat::Human {
            printer.line(&format!(
                "── {kind}: {} ──",
                plural(end - start, "construct")
            ));
        }
        printer.diagnostics(&findings[start..end]);
        start = end;
    }
    printer.line(&summary(
        tool,
        &imported.counts,
        findings.len(),
        &into,
        started.elapsed().as_secs_f64(),
    ));
    if findings.iter().any(|f| f.is_error()) {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// `../old-docs` → `old-docs-kbgen` in the working folder.
fn default_into(source: &std::path::Path) -> PathBuf {
    let name = std::path::absolute(source)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "site".to_string());
    PathBuf::from(format!("{name}-kbgen"))
}

fn summary(
    tool: Tool,
    counts: &Counts,
    unconverted: usize,
    into: &std::path::Path,
    seconds: f64,
) -> String {
    let mut parts = vec![
        plural(counts.articles, "article"),
        plural(counts.sections, "section"),
        plural(counts.assets + counts.static_files, "file"),
        if counts.aliases == 1 {
            "1 alias".to_string()
        } else {
            format!("{} aliases", counts.aliases)
        },
    ];
    if counts.redirects > 0 {
        parts.push(format!(
            "{} folded into aliases",
            plural(counts.redirects, "redirect page")
        ));
    }
    if counts.snippets > 0 {
        parts.push(plural(counts.snippets, "snippet"));
    }
    if counts.translations > 0 {
        parts.push(format!(
            "{} ({})",
            plural(counts.translations, "translation"),
            plural(counts.languages, "language")
        ));
    }
    if counts.left_out > 0 {
        parts.push(format!("{} left out", plural(counts.left_out, "page")));
    }
    let not_converted = if unconverted == 0 {
        "everything converted".to_string()
    } else {
        format!(
            "{} not converted, kept as text (above)",
            plural(unconverted, "construct")
        )
    };
    format!(
        "kbgen: imported {} from {} in {seconds:.2}s → {}; {not_converted}; next: kbgen check --root {}",
        parts.join(", "),
        tool.name(),
        into.display(),
        into.display()
    )
}
