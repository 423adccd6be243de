//! Running the benchmark: a cold build of a generated corpus, then on request
//! `check` and edits in the preview server, printing each measurement.
//! Used by `main.rs` and by `tests/benchmark.rs`, which runs it on 200
//! articles so it keeps working.

use std::path::Path;
use std::time::{Duration, Instant};

use kbgen::build::{self, BuildOptions, Drafts};

use super::corpus;

pub struct Args {
    pub articles: usize,
    pub search: bool,
    pub check: bool,
    pub serve: bool,
    /// Build a second time with the highlight cache the first build wrote.
    pub warm: bool,
    /// Generate the corpus here (and keep it) instead of in a temporary folder.
    pub keep: Option<String>,
    /// Commit the corpus in this many commits and build with `dates: git`.
    pub git: Option<usize>,
    /// Languages of the corpus (each article translated into all of them).
    pub languages: usize,
}

/// What a run found, for the test to check.
pub struct Summary {
    pub pages: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Problems `check` reported, when it ran.
    pub check_problems: Option<usize>,
    /// Pages re-rendered by each preview edit, when they ran.
    pub serve_rendered: Vec<usize>,
}

/// Peak resident memory of this process so far, from /proc (Linux).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// Commits the corpus (`--git`), turns on `dates: git`, and times the walk
/// of the history alone, five times.
fn git_history(root: &Path, commits: usize) -> std::io::Result<()> {
    let started = Instant::now();
    let files = super::history::commit_corpus(root, commits)?;
    println!(
        "git: {files} files committed in {commits} commits (git fast-import, {})",
        ms(started.elapsed())
    );
    let config = root.join("kbgen.yaml");
    let mut text = std::fs::read_to_string(&config)?;
    text.push_str("dates: git\n");
    std::fs::write(&config, text)?;
    let mut times = Vec::new();
    let mut dated = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let repository = kbgen::content::git_history::Repository::discover(root)
            .map_err(std::io::Error::other)?
            .ok_or_else(|| std::io::Error::other("no repository"))?;
        match repository.walk().map_err(std::io::Error::other)? {
            kbgen::content::git_history::Walk::History(history) => dated = history.files.len(),
            _ => return Err(std::io::Error::other("no history")),
        }
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "git walk: {} median of 5 (min {}, max {}), {dated} paths dated",
        ms(times[2]),
        ms(times[0]),
        ms(times[4])
    );
    Ok(())
}

/// Generates the corpus, builds it and prints the numbers.
pub fn run(args: &Args) -> std::io::Result<Summary> {
    let dir = tempfile::tempdir()?;
    let root = match &args.keep {
        Some(keep) => {
            std::fs::create_dir_all(keep)?;
            Path::new(keep).to_path_buf()
        }
        None => dir.path().to_path_buf(),
    };
    let started = Instant::now();
    let bytes = corpus::generate(&root, args.articles, args.languages)?;
    println!(
        "corpus: {} articles in {} language(s) in {} sections, {:.1} MB of Markdown (generated in {})",
        args.articles,
        args.languages,
        args.articles.div_ceil(200),
        bytes as f64 / 1e6,
        ms(started.elapsed())
    );
    println!("threads: {}", rayon::current_num_threads());
    if let Some(commits) = args.git {
        git_history(&root, commits)?;
    }
    // The corpus's writes reach the disk first, so the build is not timed
    // against the kernel flushing them.
    // SAFETY: sync() takes no arguments and cannot fail.
    unsafe { libc::sync() };

    let options = BuildOptions {
        root: root.clone(),
        base_url: None,
        drafts: Drafts::Skip,
        search: args.search,
        check_only: false,
        cache: true,
        progress: None,
    };
    let output = root.join("public");
    let started = Instant::now();
    let outcome = build::build_to_folder(&options, &output, Default::default())
        .map_err(|e| std::io::Error::other(format!("{e:?}")))?;
    let wall = started.elapsed();
    let problems = &outcome.report.diagnostics;
    for d in problems.iter().take(5) {
        eprintln!("{}", d.headline());
    }
    let stats = &outcome.stats;
    println!(
        "build{}: {} wall, {} pages, {:.0} pages/s",
        if args.search { "" } else { " (--no-search)" },
        ms(wall),
        stats.pages,
        stats.pages as f64 / wall.as_secs_f64()
    );
    for (stage, time) in &stats.stages {
        println!("  {stage:<9} {:>9}", ms(*time));
    }
    if let Some(peak) = peak_rss_mb() {
        println!("peak RSS: {peak:.0} MB");
    }
    if args.warm {
        let started = Instant::now();
        let warm = build::build_to_folder(&options, &root.join("public-warm"), Default::default())
            .map_err(|e| std::io::Error::other(format!("{e:?}")))?;
        let wall = started.elapsed();
        println!(
            "warm build (highlight cache from the first): {} wall, {:.0} pages/s",
            ms(wall),
            warm.stats.pages as f64 / wall.as_secs_f64()
        );
        for (stage, time) in &warm.stats.stages {
            println!("  {stage:<9} {:>9}", ms(*time));
        }
    }
    let errors = problems.iter().filter(|d| d.is_error()).count();
    let mut summary = Summary {
        pages: stats.pages,
        errors,
        warnings: problems.len() - errors,
        check_problems: None,
        serve_rendered: Vec::new(),
    };

    if args.check {
        let started = Instant::now();
        let checked = build::check_site(&BuildOptions {
            search: false,
            ..options.clone()
        })
        .map_err(|e| std::io::Error::other(format!("{e:?}")))?;
        println!(
            "check: {} wall ({} problems)",
            ms(started.elapsed()),
            checked.report.diagnostics.len()
        );
        summary.check_problems = Some(checked.report.diagnostics.len());
    }

    if args.serve {
        summary.serve_rendered = super::edits::run(&root, &options, args.articles)?;
    }
    Ok(summary)
}
