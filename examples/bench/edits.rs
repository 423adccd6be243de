//! The preview server's latency for each kind of edit: a [`Preview`] of the
//! corpus, then rounds of single-article edits of every kind (text, title,
//! a title that moves the article, description, tags, category, related,
//! date), each on another article, timed from the call to the served site,
//! with p50 and p95 per kind and the time of each pipeline stage.

use std::path::Path;
use std::time::{Duration, Instant};

use kbgen::build::preview::Preview;
use kbgen::build::{BuildOptions, Changes};

use super::corpus;

/// How many edits of each kind are timed (`KBGEN_BENCH_ROUNDS` overrides).
const ROUNDS: usize = 12;

/// One kind of edit: its name and how it changes an article's text (`serial`
/// makes every edit a real change).
type Edit = (&'static str, fn(&str, usize) -> String);

const EDITS: [Edit; 8] = [
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
    let started = Instant::now();
    let first = preview.rebuild(&Changes::everything());
    println!(
        "serve: first build into memory {:.0} ms ({} pages)",
        started.elapsed().as_secs_f64() * 1000.0,
        first.pages
    );
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); EDITS.len()];
    let mut rendered: Vec<Vec<usize>> = vec![Vec::new(); EDITS.len()];
    let mut stages: Vec<(&'static str, Duration)> = Vec::new();
    let mut serial = 0;
    let rounds = std::env::var("KBGEN_BENCH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ROUNDS);
    for round in 0..rounds {
        for (kind, (_, edit)) in EDITS.iter().enumerate() {
            serial += 1;
            let target = corpus::article_path((articles / 2 + serial * 37) % articles);
            let file = root.join("content").join(&target);
            let original = std::fs::read_to_string(&file)?;
            std::fs::write(&file, edit(&original, serial))?;
            let changes = Changes {
                content: [target.clone()].into_iter().collect(),
                ..Changes::default()
            };
            let rebuild = preview.rebuild(&changes);
            if !rebuild.published {
                return Err(std::io::Error::other(format!(
                    "edit {} of {target} failed: {:?}",
                    EDITS[kind].0, rebuild.report
                )));
            }
            times[kind].push(rebuild.elapsed);
            rendered[kind].push(rebuild.rendered);
            for (name, time) in &rebuild.stages {
                match stages.iter_mut().find(|(n, _)| n == name) {
                    Some((_, total)) => *total += *time,
                    None => stages.push((name, *time)),
                }
            }
            // Put it back, so the next rounds edit the corpus as generated.
            std::fs::write(&file, original)?;
            preview.rebuild(&changes);
            let _ = round;
        }
    }
    println!("serve: {rounds} edits of each kind, each on another article");
    println!(
        "  {:<22} {:>8} {:>8} {:>14}",
        "edit", "p50", "p95", "pages (p50)"
    );
    for (kind, (name, _)) in EDITS.iter().enumerate() {
        let (p50, p95) = (percentile(&times[kind], 50), percentile(&times[kind], 95));
        let mut pages = rendered[kind].clone();
        pages.sort_unstable();
        println!(
            "  {name:<22} {:>5.1} ms {:>5.1} ms {:>14}",
            p50.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0,
            pages[pages.len() / 2]
        );
    }
    let edits = (rounds * EDITS.len()) as f64;
    let per_stage: Vec<String> = stages
        .iter()
        .map(|(name, total)| format!("{name} {:.1} ms", total.as_secs_f64() * 1000.0 / edits))
        .collect();
    println!("  mean per stage: {}", per_stage.join(", "));
    Ok(rendered.iter().map(|r| r[0]).collect())
}

/// The `p`th percentile (nearest rank).
fn percentile(times: &[Duration], p: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}
