//! Running the benchmark: a cold build of a generated corpus, then on request
//! `check` and two edits in the preview server, printing each measurement.
//! Used by `main.rs` and by `tests/benchmark.rs`, which runs it on 200
//! articles so it keeps working.

use std::path::Path;
use std::time::{Duration, Instant};

use kbgen::build::preview::Preview;
use kbgen::build::Changes;
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
    let bytes = corpus::generate(&root, args.articles)?;
    println!(
        "corpus: {} articles in {} sections, {:.1} MB of Markdown (generated in {})",
        args.articles,
        args.articles.div_ceil(200),
        bytes as f64 / 1e6,
        ms(started.elapsed())
    );
    println!("threads: {}", rayon::current_num_threads());
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
        let mut preview = Preview::new(BuildOptions {
            search: false,
            ..options.clone()
        });
        let started = Instant::now();
        preview.rebuild(&Changes {
            everything: true,
            ..Changes::default()
        });
        println!("serve: first build into memory {}", ms(started.elapsed()));
        let target = corpus::article_path(args.articles / 2);
        let file = root.join("content").join(&target);
        let original = std::fs::read_to_string(&file)?;
        let edits = [
            (
                "a body edit",
                original.replace("## Cause", "## Cause\n\nOne more sentence."),
            ),
            (
                "a title edit",
                original.replacen(" problem\"\n", " problem (updated)\"\n", 1),
            ),
            (
                "a title edit that reorders its section",
                original.replacen("title: \"Article", "title: \"Renamed article", 1),
            ),
        ];
        for (what, text) in edits {
            std::fs::write(&file, text)?;
            let changes = Changes {
                content: [target.clone()].into_iter().collect(),
                ..Changes::default()
            };
            let started = Instant::now();
            let rebuild = preview.rebuild(&changes);
            println!(
                "serve: {what}: {} ({} of {} pages re-rendered)",
                ms(started.elapsed()),
                rebuild.rendered,
                rebuild.pages
            );
            summary.serve_rendered.push(rebuild.rendered);
        }
    }
    Ok(summary)
}
