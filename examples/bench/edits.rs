//! The preview server's latency for each kind of edit: a [`Preview`] of the
//! corpus, then rounds of single-article edits of every kind (text, title,
//! a title that moves the article, description, tags and category (new
//! terms, and terms other articles have), related, date), each on another
//! article, timed from the call to the served site published as `kbgen
//! serve` publishes it (through the same [`rebuild_and_publish`], into a
//! server's [`Shared`] state, up to the reload event), with p50 and p95 per
//! kind, the CPU time of all threads (steadier than wall time on a busy
//! machine) and the mean time of each pipeline stage per kind.
//! `KBGEN_BENCH_KINDS=text,tags` times only the kinds whose names start so.

use std::path::Path;
use std::time::{Duration, Instant};

use kbgen::build::preview::Preview;
use kbgen::build::{BuildOptions, Changes};
use kbgen::serve::http::Shared;
use kbgen::serve::rebuild_and_publish;

use super::corpus;

/// How many edits of each kind are timed (`KBGEN_BENCH_ROUNDS` overrides).
const ROUNDS: usize = 12;

/// One kind of edit: its name and how it changes an article's text (`serial`
/// makes every edit a real change).
type Edit = (&'static str, fn(&str, usize) -> String);

const EDITS: [Edit; 10] = [
    ("text", |text, serial| {
        text.replacen("## Cause\n\n", &format!("## Cause\n\nEdit {serial}. "), 1)
    }),
    ("title, same place", |text, serial| {
        text.replacen(" problem\"\n", &format!(" problem {serial}\"\n"), 1)
    }),
    ("title that moves it", |text, serial| {
        text.replacen(
            "title: \"Article",
            &format!("title: \"Zz {serial} article"),
            1,
        )
    }),
    ("description", |text, serial| {
        replace_line(
            text,
            "description: ",
            &format!("description: Edited {serial}."),
        )
    }),
    ("tags", |text, serial| {
        replace_line(
            text,
            "  tag: ",
            &format!("  tag: [t{}, edited]", serial % 60),
        )
    }),
    ("category", |text, serial| {
        replace_line(
            text,
            "  category: ",
            &format!("  category: moved-{}", serial % 3),
        )
    }),
    // Terms other articles have too: no term page comes or goes.
    ("tags, existing terms", |text, serial| {
        replace_line(
            text,
            "  tag: ",
            &format!("  tag: [t{}, t{}]", serial % 60, (serial + 7) % 60),
        )
    }),
    ("category, existing term", |text, serial| {
        replace_line(
            text,
            "  category: ",
            &format!("  category: section-{:03}", serial * 7 % 50),
        )
    }),
    ("related", |text, serial| {
        let line = format!("related:\n  - \"@/{}\"", corpus::article_path(serial % 100));
        text.replacen("related:", &line, 1)
    }),
    ("date", |text, serial| {
        replace_line(
            text,
            "date: ",
            &format!("date: 2025-03-{:02}", serial % 28 + 1),
        )
    }),
];

fn replace_line(text: &str, start: &str, with: &str) -> String {
    text.lines()
        .map(|line| if line.starts_with(start) { with } else { line })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Runs the rounds and prints the table; returns the pages each edit of the
/// first round re-rendered.
pub fn run(root: &Path, options: &BuildOptions, articles: usize) -> std::io::Result<Vec<usize>> {
    let mut preview = Preview::new(BuildOptions {
        search: false,
        ..options.clone()
    });
    // The server's side: what requests read, where a rebuild is published.
    let shared = Shared::new(preview.served());
    let started = Instant::now();
    let (first, _) = rebuild_and_publish(&mut preview, &shared, &Changes::everything());
    println!(
        "serve: first build into memory {:.0} ms ({} pages)",
        started.elapsed().as_secs_f64() * 1000.0,
        first.pages
    );
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); EDITS.len()];
    let mut cpu: Vec<Vec<Duration>> = vec![Vec::new(); EDITS.len()];
    let mut rendered: Vec<Vec<usize>> = vec![Vec::new(); EDITS.len()];
    // Each kind's total time per stage.
    let mut stages: Vec<Vec<(&'static str, Duration)>> = vec![Vec::new(); EDITS.len()];
    let mut serial = 0;
    let rounds = std::env::var("KBGEN_BENCH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ROUNDS);
    // `KBGEN_BENCH_KINDS=text,tags` times only the kinds whose names start so.
    let chosen = std::env::var("KBGEN_BENCH_KINDS").unwrap_or_default();
    let chosen: Vec<&str> = chosen.split(',').filter(|k| !k.is_empty()).collect();
    let timed = |name: &str| chosen.is_empty() || chosen.iter().any(|k| name.starts_with(k));
    for round in 0..rounds {
        for (kind, (name, edit)) in EDITS.iter().enumerate() {
            if !timed(name) {
                continue;
            }
            serial += 1;
            let target = corpus::article_path((articles / 2 + serial * 37) % articles);
            let file = root.join("content").join(&target);
            let original = std::fs::read_to_string(&file)?;
            std::fs::write(&file, edit(&original, serial))?;
            let changes = Changes {
                content: [target.clone()].into_iter().collect(),
                ..Changes::default()
            };
            let cpu_before = process_cpu();
            let (rebuild, _) = rebuild_and_publish(&mut preview, &shared, &changes);
            cpu[kind].push(process_cpu().saturating_sub(cpu_before));
            if !rebuild.published {
                return Err(std::io::Error::other(format!(
                    "edit {} of {target} failed: {:?}",
                    EDITS[kind].0, rebuild.report
                )));
            }
            times[kind].push(rebuild.elapsed);
            rendered[kind].push(rebuild.rendered);
            for (name, time) in &rebuild.stages {
                match stages[kind].iter_mut().find(|(n, _)| n == name) {
                    Some((_, total)) => *total += *time,
                    None => stages[kind].push((name, *time)),
                }
            }
            // Put it back, so the next rounds edit the corpus as generated.
            std::fs::write(&file, original)?;
            rebuild_and_publish(&mut preview, &shared, &changes);
            let _ = round;
        }
    }
    println!("serve: {rounds} edits of each kind, each on another article");
    println!(
        "  {:<22} {:>8} {:>8} {:>14} {:>12}",
        "edit", "p50", "p95", "pages (p50)", "cpu (p50)"
    );
    for (kind, (name, _)) in EDITS.iter().enumerate() {
        if times[kind].is_empty() {
            continue;
        }
        let (p50, p95) = (percentile(&times[kind], 50), percentile(&times[kind], 95));
        let mut pages = rendered[kind].clone();
        pages.sort_unstable();
        println!(
            "  {name:<22} {:>5.1} ms {:>5.1} ms {:>14} {:>9.1} ms",
            p50.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0,
            pages[pages.len() / 2],
            percentile(&cpu[kind], 50).as_secs_f64() * 1000.0,
        );
    }
    println!("  mean per stage, ms:");
    for (kind, (name, _)) in EDITS.iter().enumerate() {
        if times[kind].is_empty() {
            continue;
        }
        let edits = times[kind].len() as f64;
        let per_stage: Vec<String> = (stages[kind].iter())
            .map(|(stage, total)| format!("{stage} {:.1}", total.as_secs_f64() * 1000.0 / edits))
            .collect();
        println!("  {name:<22} {}", per_stage.join(", "));
    }
    Ok(rendered.iter().filter_map(|r| r.first().copied()).collect())
}

/// CPU time of the whole process so far, all threads, user and system: on a
/// busy machine it moves less than wall time, so it compares two builds
/// better.
fn process_cpu() -> Duration {
    // SAFETY: getrusage fills the struct it is given; a zeroed one is valid.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// The `p`th percentile (nearest rank).
fn percentile(times: &[Duration], p: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}
