//! The kbgen benchmark: generates a deterministic help center of N articles and
//! measures a cold full build (and, on request, `check` and a preview edit).
//!
//! ```text
//! cargo run --release --example bench -- --articles 10000            # build with search
//! cargo run --release --example bench -- --articles 10000 --no-search
//! cargo run --release --example bench -- --articles 10000 --no-search --check --serve
//! ```
//!
//! Each article is about 8 KB of Markdown in one of N/200 sections: front
//! matter with 3 tags and 4 related references, 3 links to other articles, a
//! callout shortcode, a 10–15 line code block in one of several languages
//! (every block distinct, so no cache can make highlighting free), a table and
//! an image. The corpus is the same for the same N on every machine.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use kbgen::build::{self, BuildOptions, Drafts};
use kbgen::serve::preview::{Changes, Preview};

struct Args {
    articles: usize,
    search: bool,
    check: bool,
    serve: bool,
    keep: Option<String>,
}

fn parse_args() -> Args {
    let mut args = Args {
        articles: 10_000,
        search: true,
        check: false,
        serve: false,
        keep: None,
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
            "--keep" => args.keep = it.next(),
            other => {
                eprintln!("unknown argument {other}; use --articles N [--no-search] [--check] [--serve] [--keep DIR]");
                std::process::exit(2);
            }
        }
    }
    args
}

/// A small, seeded generator so the corpus is the same everywhere.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "sync",
    "client",
    "token",
    "folder",
    "account",
    "policy",
    "upload",
    "proxy",
    "certificate",
    "admin",
    "console",
    "webhook",
    "signature",
    "quota",
    "storage",
    "device",
    "session",
    "login",
    "password",
    "team",
    "conflict",
    "version",
    "restore",
    "share",
    "link",
    "permission",
    "group",
    "directory",
    "network",
    "retry",
];

const LANGUAGES: &[&str] = &[
    "rust",
    "python",
    "bash",
    "json",
    "yaml",
    "toml",
    "typescript",
    "powershell",
    "ini",
    "go",
];

fn section_of(i: usize) -> usize {
    i / 200
}

fn article_path(i: usize) -> String {
    format!("section-{:03}/article-{i:05}.md", section_of(i))
}

fn sentence(rng: &mut Lcg, words: usize) -> String {
    let mut s = String::new();
    for w in 0..words {
        if w > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>() + ".",
        None => s,
    }
}

fn code_block(rng: &mut Lcg, i: usize) -> String {
    let language = LANGUAGES[i % LANGUAGES.len()];
    let lines = 10 + rng.below(6);
    let mut code = format!("```{language}\n");
    for l in 0..lines {
        let name = WORDS[rng.below(WORDS.len())];
        let _ = match language {
            "rust" => writeln!(code, "let {name}_{i}_{l} = compute({i}, {l}); // step {l}"),
            "python" => writeln!(code, "{name}_{i}_{l} = compute({i}, {l})  # step {l}"),
            "bash" => writeln!(
                code,
                "skylark {name} --id {i} --step {l} | tee -a log-{i}.txt"
            ),
            "json" => writeln!(code, "{{\"{name}\": {i}, \"step\": {l}, \"ok\": true}}"),
            "yaml" => writeln!(code, "{name}_{l}: {{ id: {i}, step: {l} }}"),
            "toml" => writeln!(code, "{name}_{l} = {{ id = {i}, step = {l} }}"),
            "typescript" => writeln!(code, "const {name}{i}_{l}: number = compute({i}, {l});"),
            "powershell" => writeln!(code, "Set-Item -Path \"HKCU:\\{name}\\{i}\" -Value {l}"),
            "ini" => writeln!(code, "{name}_{i}_{l} = {l}"),
            _ => writeln!(code, "{name}{i}x{l} := compute({i}, {l}) // step {l}"),
        };
    }
    code.push_str("```\n");
    code
}

fn article(rng: &mut Lcg, i: usize, n: usize) -> String {
    let section = section_of(i);
    let tags: Vec<String> = (0..3).map(|_| format!("t{}", rng.below(60))).collect();
    let related: Vec<String> = (0..4)
        .map(|_| format!("  - \"@/{}\"", article_path(rng.below(n))))
        .collect();
    let mut body = String::new();
    let _ = writeln!(
        body,
        "---\ntitle: \"Article {i}: {} {} problem\"\ndescription: {}\ndate: 2026-{:02}-{:02}\ntaxonomy:\n  category: section-{section:03}\n  tag: [{}]\nrelated:\n{}\n---\n",
        WORDS[i % WORDS.len()],
        WORDS[(i / 7) % WORDS.len()],
        sentence(rng, 12),
        i % 12 + 1,
        i % 28 + 1,
        tags.join(", "),
        related.join("\n")
    );
    body.push_str("## Problem\n\n");
    for _ in 0..6 {
        body.push_str(&sentence(rng, 18));
        body.push(' ');
    }
    body.push_str("\n\n## Diagnosis\n\n");
    for _ in 0..3 {
        let other = rng.below(n);
        let target = article_path(other);
        let own_section = format!("section-{:03}/", section);
        let link = match target.strip_prefix(&own_section) {
            Some(same) => same.to_string(),
            None => format!("../{target}"),
        };
        let _ = write!(
            body,
            "{} See [article {other}]({link}). ",
            sentence(rng, 14)
        );
    }
    body.push_str("\n\n");
    body.push_str(&code_block(rng, i));
    body.push_str("\n| Setting | Value | Notes |\n|---|---|---|\n");
    for r in 0..4 {
        let _ = writeln!(
            body,
            "| {} | {} | {} |",
            WORDS[rng.below(WORDS.len())],
            r * i % 97,
            sentence(rng, 5)
        );
    }
    let _ = write!(
        body,
        "\n![The {0} settings dialog](img/dialog.png)\n\n## Cause\n\n",
        WORDS[i % WORDS.len()]
    );
    for _ in 0..8 {
        body.push_str(&sentence(rng, 20));
        body.push(' ');
    }
    body.push_str("\n\n## Solution\n\n");
    for step in 1..=5 {
        let _ = writeln!(body, "{step}. {}", sentence(rng, 16));
    }
    let _ = write!(
        body,
        "\n{{% callout(type=\"tip\", title=\"Still stuck?\") %}}\n{}\n{{% end %}}\n\n",
        sentence(rng, 20)
    );
    for _ in 0..10 {
        body.push_str(&sentence(rng, 22));
        body.push(' ');
    }
    body.push('\n');
    body
}

fn generate(root: &Path, n: usize) -> u64 {
    let mut rng = Lcg(42);
    let mut bytes = 0;
    std::fs::write(root.join("kbgen.yaml"), "title: Benchmark Help Center\nbase_url: https://help.example.com/\nlint:\n  file-name: off\n").unwrap();
    for s in 0..n.div_ceil(200) {
        let dir = root.join(format!("content/section-{s:03}"));
        std::fs::create_dir_all(dir.join("img")).unwrap();
        std::fs::write(
            dir.join("_index.md"),
            format!("---\ntitle: Section {s}\ndescription: Articles of section {s}.\n---\n"),
        )
        .unwrap();
        std::fs::write(dir.join("img/dialog.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    }
    for i in 0..n {
        let text = article(&mut rng, i, n);
        bytes += text.len() as u64;
        std::fs::write(root.join("content").join(article_path(i)), text).unwrap();
    }
    bytes
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

fn main() {
    let args = parse_args();
    let dir = tempfile::tempdir().unwrap();
    let root = match &args.keep {
        Some(keep) => {
            std::fs::create_dir_all(keep).unwrap();
            Path::new(keep).to_path_buf()
        }
        None => dir.path().to_path_buf(),
    };
    let started = Instant::now();
    let bytes = generate(&root, args.articles);
    println!(
        "corpus: {} articles in {} sections, {:.1} MB of Markdown (generated in {})",
        args.articles,
        args.articles.div_ceil(200),
        bytes as f64 / 1e6,
        ms(started.elapsed())
    );
    println!("threads: {}", rayon::current_num_threads());

    let options = BuildOptions {
        root: root.clone(),
        base_url: None,
        drafts: Drafts::Skip,
        search: args.search,
        check_only: false,
        progress: None,
    };
    let output = root.join("public");
    let started = Instant::now();
    let outcome = build::build_to_folder(&options, &output).unwrap_or_else(|e| panic!("{e:?}"));
    let wall = started.elapsed();
    if outcome.report.has_errors() {
        for d in outcome
            .report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .take(5)
        {
            eprintln!("{}", d.headline());
        }
        panic!("the benchmark corpus must build");
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

    if args.check {
        let started = Instant::now();
        let checked = build::check_site(&BuildOptions {
            search: false,
            ..options.clone()
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
        println!(
            "check: {} wall ({} problems)",
            ms(started.elapsed()),
            checked.report.diagnostics.len()
        );
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
        let target = article_path(args.articles / 2);
        let file = root.join("content").join(&target);
        let original = std::fs::read_to_string(&file).unwrap();
        let edits = [
            (
                "a body edit",
                original.replace("## Cause", "## Cause\n\nOne more sentence."),
            ),
            (
                "a title edit",
                original.replacen("title: \"Article", "title: \"Renamed article", 1),
            ),
        ];
        for (what, text) in edits {
            std::fs::write(&file, text).unwrap();
            let changes = Changes {
                content: [target.clone()].into_iter().collect(),
                everything: false,
            };
            let started = Instant::now();
            let rebuild = preview.rebuild(&changes);
            println!(
                "serve: {what}: {} ({} of {} pages re-rendered)",
                ms(started.elapsed()),
                rebuild.rendered,
                rebuild.pages
            );
        }
    }
}
