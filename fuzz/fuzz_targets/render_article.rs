//! Whole-article rendering: the input becomes `content/s/a.md` of a tiny site
//! (a section index, a second article, an image, a `kbgen.yaml` with a base URL
//! and taxonomies) and the whole build runs into memory through the library's
//! one pipeline driver, [`Session`]: loading, lints, the site model, link
//! checks, Markdown, shortcodes, highlighting, templates, feeds and sitemap (no
//! search index: `BuildOptions::default()` has none either). Input that does
//! not start with `---` gets a fixed front matter first, so mutations of the
//! body are rendered rather than stopped at the front matter. Every diagnostic
//! is then rendered for a person with its source excerpt, as the CLI prints
//! it, and once more against the fuzzed text (plain and coloured).
//!
//! Each fuzzing process keeps one session per drafts mode (the mode is a
//! `BuildOptions` field), made as the preview server makes its own
//! (`Session::kept`). A session's first run loads the configuration, the
//! highlighter and the templates; later runs, told only that `s/a.md`
//! changed, reuse them, read that file again and render only the pages whose
//! view changed. The build's parallel loops run in line on the fuzzing
//! thread (see [`one_thread`]). Loading everything for every input
//! (`build_site`) ran at 12 executions a second; most of what remains is
//! libFuzzer's and the sanitizer's own work, hence the README's advice to
//! run this target without AddressSanitizer (see its speed table).
//!
//! Checks that nothing panics, that the configuration loads (it is fixed and
//! valid, so a setup error is a failure) and that every diagnostic about the
//! fuzzed article lies inside it. Content errors are expected and fine. For
//! one input in 64 (by its bytes, so a replay does the same) a fresh
//! `build_site` must give the same diagnostics as the kept session: what a
//! session remembers between runs (files, lint findings, checked links,
//! rendered pages) must never change what a run reports.
#![no_main]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use kbgen::build::{build_site, BuildOptions, Changes, Drafts, Session};
use kbgen::diagnostics::{render_human, Diagnostic};
use kbgen::output::MemorySink;
use libfuzzer_sys::fuzz_target;

const FRONT: &str = "---\ntitle: Fuzzed\ntaxonomy:\n  category: billing\n  tag: [sso, api]\n---\n";

/// The fuzzed article, relative to `content/` as [`Changes`] names it.
const ARTICLE: &str = "s/a.md";

/// The site and its sessions, one per drafts mode, made on the first input.
struct Fixture {
    root: PathBuf,
    sessions: [Mutex<Session>; 3],
}

const MODES: [Drafts; 3] = [Drafts::Skip, Drafts::Include, Drafts::Check];

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let root = site();
        let session = |drafts| {
            Mutex::new(Session::kept(BuildOptions {
                root: root.clone(),
                drafts,
                ..BuildOptions::default()
            }))
        };
        Fixture {
            sessions: MODES.map(session),
            root,
        }
    })
}

/// One site folder per process, with everything but the fuzzed article. In
/// memory (`/dev/shm`) where there is one: the article is written per input.
fn site() -> PathBuf {
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
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

fuzz_target!(init: catch_stack_overflow(), |data: &[u8]| {
    one_thread();
    let fixture = fixture();
    let mut article = Vec::with_capacity(FRONT.len() + data.len());
    if !data.starts_with(b"---") {
        article.extend_from_slice(FRONT.as_bytes());
    }
    article.extend_from_slice(data);
    let content = fixture.root.join("content");
    std::fs::write(content.join(ARTICLE), &article).unwrap();

    // The length picks how drafts are treated, so `draft: true` is reached too.
    let mode = data.len() % 3;
    let changes = Changes {
        content: HashSet::from([ARTICLE.to_string()]),
        ..Changes::default()
    };
    let sink = MemorySink::default();
    let mut session = fixture.sessions[mode]
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let diagnostics = match session.run(&changes, &sink) {
        Ok(outcome) => outcome.report.diagnostics,
        Err(e) => panic!("setup error with a valid kbgen.yaml: {e:?}"),
    };
    if same_as_build_site(data) {
        let fresh = match build_site(session.options(), &MemorySink::default()) {
            Ok(outcome) => outcome.report.diagnostics,
            Err(e) => panic!("setup error with a valid kbgen.yaml: {e:?}"),
        };
        assert_eq!(
            diagnostics, fresh,
            "a kept session reports otherwise than a fresh build_site"
        );
    }
    drop(session);
    // As the CLI prints them: the source read from disk by the diagnostic's path;
    // and against the fuzzed article's text whatever file they are about, since
    // a file may change between the build and the printing.
    let text = String::from_utf8_lossy(&article);
    for d in &diagnostics {
        if d.path == Path::new("content").join(ARTICLE) {
            check_place(&text, d);
        }
        let source = std::fs::read_to_string(fixture.root.join(&d.path)).ok();
        let _ = render_human(d, source.as_deref(), false);
        let _ = render_human(d, Some(&text), true);
    }
    let _ = sink.into_files();
});

/// Without a sanitizer nothing would report a stack overflow: libFuzzer's
/// `main` is not Rust's, so the standard library's guard-page handler is
/// never installed, and libFuzzer's own SIGSEGV handler would run on the
/// overflowed stack and die with it (signal 11, no report, input lost). So
/// the fuzzing thread gets a stack for signal handlers and a SIGSEGV handler
/// on it that aborts; libFuzzer keeps such a handler (its own then runs on
/// that stack too) and reports the abort as a crash, saving the input. A
/// sanitizer's handler (ASan reports the overflow itself) is left alone.
fn catch_stack_overflow() {
    const SIZE: usize = 1 << 20;
    // SAFETY: plain system calls on zeroed C structs; the signal stack is
    // leaked, so it lives as long as the thread it serves.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGSEGV, std::ptr::null(), &mut old) != 0
            || old.sa_sigaction != libc::SIG_DFL
        {
            return;
        }
        let stack = Box::leak(vec![0_u8; SIZE].into_boxed_slice());
        let alternate = libc::stack_t {
            ss_sp: stack.as_mut_ptr().cast(),
            ss_flags: 0,
            ss_size: SIZE,
        };
        if libc::sigaltstack(&alternate, std::ptr::null_mut()) != 0 {
            return;
        }
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_segv as *const () as usize;
        action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGSEGV, &action, std::ptr::null_mut());
    }
}

extern "C" fn on_segv(_: libc::c_int, _: *mut libc::siginfo_t, _: *mut libc::c_void) {
    const MESSAGE: &[u8] = b"==render_article== SIGSEGV, most likely a stack overflow\n";
    // SAFETY: write(2) and abort(3) are async-signal-safe.
    unsafe {
        libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
        libc::abort();
    }
}

/// Makes the calling thread (libFuzzer calls every input on the same one) a
/// rayon pool of its own with no other thread: the build's parallel loops
/// then run in line, instead of handing their work to the global pool's
/// threads and waiting for them about ten times per input. Those hops cost
/// more than the work they carry for a site of three pages, and make the
/// coverage of an input depend on how the threads happened to take it.
fn one_thread() {
    thread_local! {
        static POOL: Option<rayon::ThreadPool> = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build()
            .ok();
    }
    POOL.with(|_| ());
}

/// Whether this input is also built with a fresh `build_site`, to compare.
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
