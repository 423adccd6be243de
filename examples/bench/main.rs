//! The kbgen benchmark: generates a deterministic help center of N articles and
//! measures a cold full build (and, on request, `check` and the preview
//! server's latency for each kind of edit: `--serve`).
//!
//! ```text
//! cargo run --release --example bench -- --articles 10000            # build with search
//! cargo run --release --example bench -- --articles 10000 --no-search
//! cargo run --release --example bench -- --articles 10000 --no-search --check --serve
//! cargo run --release --example bench -- --articles 10000 --no-search --warm
//! cargo run --release --example bench -- --articles 10000 --no-search --git 10000
//! cargo run --release --example bench -- --articles 10000 --languages 3    # 30,000 article pages
//! ```
//!
//! The first build is cold: a fresh process, and no highlight cache (the
//! corpus is new). `--warm` builds once more into another folder with the
//! cache the first build left, as CI does with a restored `.kbgen-cache/`.
//!
//! Each article is about 8 KB of Markdown in one of N/200 sections: front
//! matter with 3 tags and 4 related references, 3 links to other articles, a
//! callout shortcode, a 10–15 line code block in one of several languages
//! (every block distinct, so no cache can make highlighting free), a table and
//! an image. The corpus is the same for the same N on every machine.

mod corpus;
mod edits;
mod history;
mod measure;

/// The allocator the kbgen binary uses, so the numbers match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn parse_args() -> measure::Args {
    let mut args = measure::Args {
        articles: 10_000,
        search: true,
        check: false,
        serve: false,
        warm: false,
        keep: None,
        git: None,
        languages: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--articles" => {
                args.articles = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(args.articles)
            }
            "--no-search" => args.search = false,
            "--check" => args.check = true,
            "--serve" => args.serve = true,
            "--warm" => args.warm = true,
            "--keep" => args.keep = it.next(),
            "--git" => args.git = it.next().and_then(|n| n.parse().ok()),
            "--languages" => {
                args.languages = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(args.languages)
            }
            other => {
                eprintln!("unknown argument {other}; use --articles N [--languages N] [--no-search] [--check] [--serve] [--warm] [--keep DIR] [--git COMMITS]");
                std::process::exit(2);
            }
        }
    }
    args
}

fn main() {
    match measure::run(&parse_args()) {
        Ok(summary) if summary.errors == 0 => {
            if summary.warnings > 0 {
                eprintln!(
                    "bench: {} pages built, with {} warnings (the corpus should have none)",
                    summary.pages, summary.warnings
                );
            }
        }
        Ok(summary) => {
            eprintln!(
                "bench: the corpus must build, but it had {} errors",
                summary.errors
            );
            std::process::exit(1);
        }
        Err(e) => {
            eprintln!("bench: {e}");
            std::process::exit(1);
        }
    }
}
