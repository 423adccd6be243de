//! Whole-article rendering: the input becomes `content/s/a.md` of a tiny site
//! (a section index, a second article, an image, a `kbgen.yaml` with a base URL
//! and taxonomies) and the whole build runs into memory, as `kbgen build` does:
//! loading, lints, the site model, link checks, Markdown, shortcodes,
//! highlighting, templates, feeds and sitemap. Input that does not start with
//! `---` gets a fixed front matter first, so mutations of the body are rendered
//! rather than stopped at the front matter. Every diagnostic is then rendered
//! for a person with its source excerpt, as the CLI prints it, and once more
//! against the fuzzed text (plain and coloured).
//!
//! Checks that nothing panics and that the build always returns an outcome
//! (the configuration is fixed and valid, so a setup error is a failure).
//! Content errors are expected and fine. About a millisecond or more per input.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use kbgen::build::{build_site, BuildOptions, Drafts};
use kbgen::diagnostics::render_human;
use kbgen::output::MemorySink;
use libfuzzer_sys::fuzz_target;

const FRONT: &str = "---\ntitle: Fuzzed\ntaxonomy:\n  category: billing\n  tag: [sso, api]\n---\n";

/// One site folder per process, with everything but the fuzzed article.
fn site() -> &'static PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
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
            (
                "content/_index.md",
                b"---\ntitle: Home\n---\nWelcome.\n",
            ),
        ];
        for (path, bytes) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        root
    })
}

/// libFuzzer exits without running destructors, so each process leaves its site
/// folder behind: remove those of processes that are gone (Linux only, by /proc).
fn remove_stale_sites(tmp: &std::path::Path) {
    if !std::path::Path::new("/proc/self").exists() {
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
        if pid.parse::<u32>().is_ok() && !std::path::Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let root = site();
    let mut article = Vec::with_capacity(FRONT.len() + data.len());
    if !data.starts_with(b"---") {
        article.extend_from_slice(FRONT.as_bytes());
    }
    article.extend_from_slice(data);
    std::fs::write(root.join("content/s/a.md"), &article).unwrap();

    // The length picks how drafts are treated, so `draft: true` is reached too.
    let drafts = match data.len() % 3 {
        1 => Drafts::Include,
        2 => Drafts::Check,
        _ => Drafts::Skip,
    };
    let options = BuildOptions {
        root: root.clone(),
        drafts,
        ..BuildOptions::default()
    };
    let sink = MemorySink::default();
    let outcome = match build_site(&options, &sink) {
        Ok(outcome) => outcome,
        Err(e) => panic!("setup error with a valid kbgen.yaml: {e:?}"),
    };
    // As the CLI prints them: the source read from disk by the diagnostic's path;
    // and against the fuzzed article's text whatever file they are about, since
    // a file may change between the build and the printing.
    let article = String::from_utf8_lossy(&article);
    for d in &outcome.report.diagnostics {
        let source = std::fs::read_to_string(root.join(&d.path)).ok();
        let _ = render_human(d, source.as_deref(), false);
        let _ = render_human(d, Some(&article), true);
    }
    let _ = sink.into_files();
});
