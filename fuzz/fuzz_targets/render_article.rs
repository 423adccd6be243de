//! Whole-article rendering: the input becomes `content/s/a.md` of a tiny site
//! (a section index, a second article, an image, a `kbgen.yaml` with a base URL
//! and taxonomies) and the whole build runs into memory, stage by stage as
//! `build::build_site` runs them: loading, lints, the site model, link checks,
//! Markdown, shortcodes, highlighting, templates, feeds and sitemap (no search
//! index: `BuildOptions::default()` has none either). Input that does not start
//! with `---` gets a fixed front matter first, so mutations of the body are
//! rendered rather than stopped at the front matter. Every diagnostic is then
//! rendered for a person with its source excerpt, as the CLI prints it, and once
//! more against the fuzzed text (plain and coloured).
//!
//! What a build loads once per process (the syntax set and themes of the
//! highlighter, the parsed templates) is loaded once per fuzzing process here:
//! loading them dominated each input (12 executions a second). `build_site`
//! offers no way to pass them in, so this target calls the stages itself, in
//! `build_site`'s order; keep the two in step until the library has an entry
//! point that takes them.
//!
//! Checks that nothing panics, that the configuration loads (it is fixed and
//! valid, so a setup error is a failure) and that every diagnostic about the
//! fuzzed article lies inside it. Content errors are expected and fine.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use kbgen::build::{build_site, BuildOptions, Drafts};
use kbgen::config::Config;
use kbgen::content::{self, LoadOptions};
use kbgen::diagnostics::{render_human, Diagnostic, Report};
use kbgen::markdown::highlight::Highlighter;
use kbgen::output::{self, MemorySink};
use kbgen::render::{self, Templates};
use kbgen::site::{self, SiteOptions};
use libfuzzer_sys::fuzz_target;

const FRONT: &str = "---\ntitle: Fuzzed\ntaxonomy:\n  category: billing\n  tag: [sso, api]\n---\n";

/// What every build of the process shares: loaded on the first input.
struct Loaded {
    root: PathBuf,
    highlighter: Highlighter,
    templates: Mutex<Templates>,
}

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let root = site();
        let config = Config::load(&root).expect("the fixed kbgen.yaml is valid");
        let highlighter = Highlighter::new(&config.highlight).expect("the fixed themes are known");
        let (templates, problems) = Templates::load(&root);
        assert!(
            problems.is_empty(),
            "the built-in theme has problems: {problems:?}"
        );
        Loaded {
            root,
            highlighter,
            templates: Mutex::new(templates),
        }
    })
}

/// One site folder per process, with everything but the fuzzed article.
fn site() -> PathBuf {
    let tmp = std::env::temp_dir();
    remove_stale_sites(&tmp);
    let root = tmp.join(format!("kbgen-fuzz-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let files: [(&str, &[u8]); 5] = [
        (
            "kbgen.yaml",
            b"title: Fuzz Help\nbase_url: https://help.example.com/docs/\n\
              taxonomies:\n  category:\n    title: Categories\n    terms:\n      \
              billing: { title: Billing, description: Money. }\n  tag:\n",
        ),
        (
            "content/s/_index.md",
            b"---\ntitle: Section\ndescription: The section.\n---\nIntro with [a link](a.md).\n",
        ),
        (
            "content/s/b.md",
            b"---\ntitle: Other article\naliases: [/old/b/]\ntaxonomy:\n  tag: sso\n---\n# Other\n\nSee [the fuzzed one](a.md#top).\n",
        ),
        ("content/s/img.png", b"\x89PNG\r\n\x1a\n"),
        ("content/_index.md", b"---\ntitle: Home\n---\nWelcome.\n"),
    ];
    for (path, bytes) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    root
}

/// libFuzzer exits without running destructors, so each process leaves its site
/// folder behind: remove those of processes that are gone (Linux only, by /proc).
fn remove_stale_sites(tmp: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("kbgen-fuzz-")) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `build::build_site`'s stages without its per-build loading; returns the
/// diagnostics of the build.
fn build(loaded: &Loaded, drafts: Drafts, sink: &MemorySink) -> Vec<Diagnostic> {
    let root = &loaded.root;
    let config = match Config::load(root) {
        Ok(config) => config,
        Err(e) => panic!("setup error with a valid kbgen.yaml: {e:?}"),
    };
    let load_options = LoadOptions {
        drafts: drafts != Drafts::Skip,
    };
    let (content, mut report) = content::load(root, load_options);
    report.extend(kbgen::lint::check(&config, &content));
    let site_options = SiteOptions {
        links_into_drafts_are_errors: drafts == Drafts::Check,
        search: false,
    };
    let (site, problems) = site::build(config, content, site_options);
    report.extend(problems);
    let mut templates = loaded
        .templates
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (_, problems) = render::render_site(&site, &mut templates, &loaded.highlighter, sink, None);
    report.extend(problems);
    let (_, problems) = output::write_files(&site, sink);
    report.extend(problems);
    report
}

fuzz_target!(|data: &[u8]| {
    let loaded = loaded();
    let mut article = Vec::with_capacity(FRONT.len() + data.len());
    if !data.starts_with(b"---") {
        article.extend_from_slice(FRONT.as_bytes());
    }
    article.extend_from_slice(data);
    std::fs::write(loaded.root.join("content/s/a.md"), &article).unwrap();

    // The length picks how drafts are treated, so `draft: true` is reached too.
    let drafts = match data.len() % 3 {
        1 => Drafts::Include,
        2 => Drafts::Check,
        _ => Drafts::Skip,
    };
    let sink = MemorySink::default();
    let diagnostics = build(loaded, drafts, &sink);
    if same_as_build_site(data) {
        // The stages above must stay what a build does: for one input in 64
        // (chosen by its bytes, so a replay does the same), the real thing.
        let options = BuildOptions {
            root: loaded.root.clone(),
            drafts,
            ..BuildOptions::default()
        };
        let real = match build_site(&options, &MemorySink::default()) {
            Ok(outcome) => outcome.report.diagnostics,
            Err(e) => panic!("setup error with a valid kbgen.yaml: {e:?}"),
        };
        let mut ours = Report {
            diagnostics: diagnostics.clone(),
        };
        ours.sort();
        assert_eq!(
            ours.diagnostics, real,
            "this target no longer builds as build_site does"
        );
    }
    // As the CLI prints them: the source read from disk by the diagnostic's path;
    // and against the fuzzed article's text whatever file they are about, since
    // a file may change between the build and the printing.
    let text = String::from_utf8_lossy(&article);
    for d in &diagnostics {
        if d.path == Path::new("content/s/a.md") {
            check_place(&text, d);
        }
        let source = std::fs::read_to_string(loaded.root.join(&d.path)).ok();
        let _ = render_human(d, source.as_deref(), false);
        let _ = render_human(d, Some(&text), true);
    }
    let _ = sink.into_files();
});

/// Whether this input is also built with `build_site`, to compare.
fn same_as_build_site(data: &[u8]) -> bool {
    let hash = data.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    hash % 64 == 0
}

/// The shared promise of every diagnostic's place, as a panic for the fuzzer.
fn check_place(text: &str, d: &Diagnostic) {
    if let Err(broken) = kbgen::diagnostics::check_place(text, d) {
        panic!("{broken}");
    }
}
