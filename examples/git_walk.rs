//! Times kbgen's walk of a site's git history (`dates: git`) on any site in
//! a repository, five times, and prints the median:
//!
//! ```text
//! cargo run --release --example git_walk -- path/to/site
//! ```

use std::time::Instant;

use kbgen::content::git_history::{Repository, Walk};

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".to_string());
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let repository = match Repository::discover(std::path::Path::new(&root)) {
            Ok(Some(repository)) => repository,
            Ok(None) => {
                return eprintln!("git_walk: {root} is in no repository with a content/ folder")
            }
            Err(e) => return eprintln!("git_walk: {e}"),
        };
        match repository.walk() {
            Ok(Walk::History(history)) => {
                times.push(started.elapsed());
                if times.len() == 1 {
                    println!(
                        "{} commits, {} paths dated",
                        history.commits,
                        history.files.len()
                    );
                }
            }
            Ok(other) => return eprintln!("git_walk: no history: {other:?}"),
            Err(e) => return eprintln!("git_walk: {e}"),
        }
    }
    times.sort();
    println!(
        "walk: {:.0} ms median of 5 (min {:.0} ms, max {:.0} ms)",
        times[2].as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0,
        times[4].as_secs_f64() * 1000.0
    );
}
