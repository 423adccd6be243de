//! The attack suite for kbgen's two output promises: a build never changes a
//! byte outside its output folder, and the previous output is either intact
//! or fully replaced.
//!
//! Each case runs the real binary in a fresh sandbox (a site, a previous
//! build of it, and a folder of someone else's files beside it), hashes the
//! whole sandbox before and after, and checks the invariants: hostile
//! `--output` paths (`..` in every position, symbolic links to the root, to
//! `content/`, to `/`, existing and missing components), hostile slugs,
//! aliases and file names, interruptions, stale staging folders, and a full
//! mount point.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Text of the files outside the site: it must never reach the output.
const SECRET: &str = "OUTER-SECRET-4b1d";

fn kbgen() -> PathBuf {
    assert_cmd::cargo::cargo_bin("kbgen")
}

/// What a path holds, compared byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

type Snapshot = BTreeMap<PathBuf, Entry>;

/// Every entry below `dir`, symbolic links not followed, keyed relative to `dir`.
fn snapshot(dir: &Path) -> Snapshot {
    let mut entries = Snapshot::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).follow_links(false) {
        let entry = entry.expect("walk the sandbox");
        let path = entry.path();
        let key = path.strip_prefix(dir).unwrap().to_path_buf();
        let value = if entry.file_type().is_symlink() {
            Entry::Link(fs::read_link(path).unwrap())
        } else if entry.file_type().is_dir() {
            Entry::Dir
        } else {
            Entry::File(fs::read(path).unwrap())
        };
        entries.insert(key, value);
    }
    entries
}

/// The part of a snapshot below `prefix`, keyed relative to it.
fn below(snapshot: &Snapshot, prefix: &Path) -> Snapshot {
    snapshot
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix(prefix)
                .ok()
                .map(|r| (r.to_path_buf(), v.clone()))
        })
        .filter(|(k, _)| !k.as_os_str().is_empty())
        .collect()
}

fn outside(snapshot: &Snapshot, prefix: &Path) -> Snapshot {
    snapshot
        .iter()
        .filter(|(k, _)| !k.starts_with(prefix))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// A sandbox: `site/` (content, templates, static, kbgen.yaml, a `.git`
/// folder) with a previous build in `site/public`, and `outer/` beside it.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let sandbox = Sandbox::bare();
        let built = sandbox.kbgen(&["build"]);
        assert!(built.status.success(), "{}", stderr(&built));
        sandbox
    }

    /// The sandbox without a previous build.
    fn bare() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Sandbox { dir };
        sandbox.write(
            "outer/secret.md",
            &format!("---\ntitle: Secret\n---\n{SECRET}\n"),
        );
        sandbox.write("outer/secret.txt", SECRET);
        sandbox.write("site/kbgen.yaml", "title: Attack site\nsearch: false\n");
        sandbox.write("site/.git/HEAD", "ref: refs/heads/main\n");
        sandbox.write("site/templates/.keep", "");
        sandbox.write("site/static/robots-extra.txt", "hello\n");
        sandbox.write(
            "site/content/sec/_index.md",
            "---\ntitle: Section\n---\nThe section.\n",
        );
        sandbox.write(
            "site/content/sec/target.md",
            "---\ntitle: Target\ntaxonomy:\n  category: Basics\n---\nSee [the other](other.md).\n",
        );
        sandbox.write(
            "site/content/sec/other.md",
            "---\ntitle: Other\ntaxonomy:\n  category: Basics\n---\nBack to [target](target.md).\n",
        );
        sandbox
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn site(&self) -> PathBuf {
        self.root().join("site")
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.root().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn link(&self, link: &str, target: &str) {
        symlink(target, self.root().join(link)).unwrap();
    }

    /// Runs kbgen in the site folder (no highlight cache: it is the one file
    /// kbgen writes outside the output, by design).
    fn kbgen(&self, args: &[&str]) -> Output {
        Command::new(kbgen())
            .args(args)
            .args(["--no-cache", "--message-format", "human"])
            .current_dir(self.site())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    fn snapshot(&self) -> Snapshot {
        snapshot(self.root())
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh build of the sandbox's site, as a reference for "fully replaced".
fn reference_build() -> Snapshot {
    let sandbox = Sandbox::bare();
    let built = sandbox.kbgen(&["build", "--output", "../reference"]);
    assert!(built.status.success(), "{}", stderr(&built));
    snapshot(&sandbox.root().join("reference"))
}

fn no_staging_left(snapshot: &Snapshot) -> Result<(), String> {
    match snapshot.keys().find(|k| {
        k.to_string_lossy().contains(".kbgen-tmp-") || k.to_string_lossy().contains(".kbgen-old-")
    }) {
        Some(left) => Err(format!("a staging folder was left: {}", left.display())),
        None => Ok(()),
    }
}

fn secret_not_published(snapshot: &Snapshot, output: &Path) -> Result<(), String> {
    for (path, entry) in below(snapshot, output) {
        if let Entry::File(bytes) = entry {
            if String::from_utf8_lossy(&bytes).contains(SECRET) {
                return Err(format!(
                    "a file from outside the site was published: {}",
                    path.display()
                ));
            }
        }
    }
    Ok(())
}

/// What a hostile `--output` must lead to.
#[derive(Clone, Copy)]
enum Expect {
    /// Exit 2 before anything is created or deleted.
    Refused,
    /// Built into this folder (relative to the sandbox) and nothing else changed.
    BuiltInto(&'static str),
}

/// One `--output` case in a fresh sandbox; `setup` adds links or files first.
fn output_case(
    output: &str,
    setup: &dyn Fn(&Sandbox),
    expect: Expect,
    reference: &Snapshot,
) -> Result<(), String> {
    let sandbox = Sandbox::new();
    setup(&sandbox);
    let before = sandbox.snapshot();
    let run = sandbox.kbgen(&["build", "--output", output]);
    let after = sandbox.snapshot();
    let code = run.status.code();
    let context = |problem: String| format!("--output {output:?}: {problem}\n{}", stderr(&run));
    no_staging_left(&after).map_err(context)?;
    match expect {
        Expect::Refused => {
            if code != Some(2) {
                return Err(context(format!("expected exit 2, got {code:?}")));
            }
            if before != after {
                return Err(context("a refused build changed the sandbox".into()));
            }
        }
        Expect::BuiltInto(folder) => {
            if code != Some(0) {
                return Err(context(format!("expected exit 0, got {code:?}")));
            }
            let folder = Path::new(folder);
            // The output's missing parent folders are created, empty.
            let mut after_outside = outside(&after, folder);
            after_outside.retain(|k, v| {
                before.contains_key(k) || !(folder.starts_with(k) && *v == Entry::Dir)
            });
            if outside(&before, folder) != after_outside {
                return Err(context(format!(
                    "something outside {} changed",
                    folder.display()
                )));
            }
            if below(&after, folder) != *reference {
                return Err(context(format!(
                    "{} is not exactly a fresh build",
                    folder.display()
                )));
            }
        }
    }
    Ok(())
}

fn no_setup(_: &Sandbox) {}

#[test]
fn hostile_output_paths_never_touch_anything_else() {
    use Expect::*;
    let reference = reference_build();
    let plain: &[(&str, Expect)] = &[
        ("..", Refused),
        ("../", Refused),
        (".", Refused),
        ("./", Refused),
        ("build/..", Refused),
        ("build/../", Refused),
        ("public/..", Refused),
        ("public/.", Refused),
        ("content/..", Refused),
        ("a/b/../..", Refused),
        ("a/../..", Refused),
        ("../site", Refused),
        ("../site/public/..", Refused),
        ("content", Refused),
        ("content/out", Refused),
        ("./content/out", Refused),
        ("nothere/../content/out", Refused),
        ("a/b/../../content/new", Refused),
        ("static", Refused),
        ("static/x", Refused),
        ("templates/x", Refused),
        (".git", Refused),
        (".git/objects", Refused),
        ("kbgen.yaml", Refused),
        ("kbgen.yaml/x", Refused),
        ("~", Refused),
        ("~/site-out", Refused),
        ("/", Refused),
        ("/tmp/..", Refused),
        ("../outer", Refused),
        ("../outer/..", Refused),
        ("public", BuiltInto("site/public")),
        ("public/", BuiltInto("site/public")),
        ("./public", BuiltInto("site/public")),
        ("nothere/../public", BuiltInto("site/public")),
        ("content/../public", BuiltInto("site/public")),
        ("../beside", BuiltInto("beside")),
        ("deep/er/out", BuiltInto("site/deep/er/out")),
    ];
    let mut failures = Vec::new();
    let mut cases = 0;
    for (output, expect) in plain {
        cases += 1;
        if let Err(e) = output_case(output, &no_setup, *expect, &reference) {
            failures.push(e);
        }
    }
    type Setup = fn(&Sandbox);
    let linked: &[(&str, Setup, Expect)] = &[
        ("to-root", |s| s.link("site/to-root", "."), Refused),
        ("to-root/", |s| s.link("site/to-root", "."), Refused),
        (
            "to-root/public/..",
            |s| s.link("site/to-root", "."),
            Refused,
        ),
        ("to-parent", |s| s.link("site/to-parent", ".."), Refused),
        (
            "to-content",
            |s| s.link("site/to-content", "content"),
            Refused,
        ),
        (
            "to-content/out",
            |s| s.link("site/to-content", "content"),
            Refused,
        ),
        (
            "to-new-in-content",
            |s| s.link("site/to-new-in-content", "content/new"),
            Refused,
        ),
        (
            "to-new-in-content/deeper",
            |s| s.link("site/to-new-in-content", "content/new"),
            Refused,
        ),
        ("to-slash", |s| s.link("site/to-slash", "/"), Refused),
        ("to-slash/tmp", |s| s.link("site/to-slash", "/"), Refused),
        ("to-outer", |s| s.link("site/to-outer", "../outer"), Refused),
        (
            "loop",
            |s| {
                s.link("site/loop", "loop2");
                s.link("site/loop2", "loop");
            },
            Refused,
        ),
        (
            "to-static-parent/static",
            |s| s.link("site/to-static-parent", "."),
            Refused,
        ),
        (
            "to-public",
            |s| s.link("site/to-public", "public"),
            BuiltInto("site/public"),
        ),
        ("to-fresh", |s| s.link("site/to-fresh", "../fresh"), Refused),
        // A link committed in the site may not send the output out of it.
        (
            "public",
            |s| {
                fs::remove_dir_all(s.site().join("public")).unwrap();
                fs::create_dir(s.root().join("victim")).unwrap();
                s.link("site/public", "../victim");
            },
            Refused,
        ),
        (
            "public",
            |s| {
                fs::remove_dir_all(s.site().join("public")).unwrap();
                s.link("site/public", "../not-yet/made");
            },
            Refused,
        ),
        (
            "public",
            |s| {
                fs::remove_dir_all(s.site().join("public")).unwrap();
                s.link("outer/hop", "../victim");
                s.link("site/public", "../outer/hop");
            },
            Refused,
        ),
        // A link of the operator's, outside the site, is followed.
        (
            "../deploy",
            |s| {
                fs::create_dir_all(s.root().join("releases/current")).unwrap();
                s.link("deploy", "releases/current");
            },
            BuiltInto("releases/current"),
        ),
        (
            "../deploy",
            |s| s.link("deploy", "releases/next"),
            BuiltInto("releases/next"),
        ),
    ];
    for (output, setup, expect) in linked {
        cases += 1;
        if let Err(e) = output_case(output, setup, *expect, &reference) {
            failures.push(e);
        }
    }
    // Absolute spellings of the site and the sandbox.
    for absolute in [".", "..", "../site/.."] {
        let sandbox = Sandbox::new();
        let path = sandbox.site().join(absolute);
        let before = sandbox.snapshot();
        let run = sandbox.kbgen(&["build", "--output", path.to_str().unwrap()]);
        cases += 1;
        if run.status.code() != Some(2) || sandbox.snapshot() != before {
            failures.push(format!(
                "--output {}: not refused cleanly\n{}",
                path.display(),
                stderr(&run)
            ));
        }
    }
    println!("{cases} hostile --output cases");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn force_never_replaces_the_home_the_working_folder_or_a_top_level_folder() {
    let sandbox = Sandbox::new();
    sandbox.write("home/.ssh/id_ed25519", "KEY");
    sandbox.write("home/projects/x/notes.md", "mine");
    let home = sandbox.root().join("home");
    let attempts: &[(&str, &Path)] = &[
        ("the home folder", &home),
        ("the home folder's parent", sandbox.root()),
        ("a top-level folder", Path::new("/srv")),
        ("the root", Path::new("/")),
    ];
    for (what, output) in attempts {
        let before = sandbox.snapshot();
        let run = Command::new(kbgen())
            .args(["build", "--force", "--no-cache", "--output"])
            .arg(output)
            .current_dir(sandbox.site())
            .env("HOME", &home)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "{what}: {}", stderr(&run));
        assert!(sandbox.snapshot() == before, "{what}: the sandbox changed");
    }
    // The working folder: `--output "$PWD/$EMPTY"` from a folder of files.
    let before = sandbox.snapshot();
    let run = Command::new(kbgen())
        .args([
            "build",
            "--force",
            "--no-cache",
            "--root",
            "../site",
            "--output",
        ])
        .arg(format!("{}/", home.display()))
        .current_dir(&home)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("the working folder"),
        "{}",
        stderr(&run)
    );
    assert!(sandbox.snapshot() == before);
}

/// A site whose content is hostile: after the build nothing outside
/// `site/public` changed, nothing from `outer/` was published, and a failed
/// build left the previous output intact.
fn content_case(name: &str, setup: &dyn Fn(&Sandbox), must_fail: bool) -> Result<(), String> {
    let sandbox = Sandbox::new();
    setup(&sandbox);
    let before = sandbox.snapshot();
    let run = sandbox.kbgen(&["build"]);
    let after = sandbox.snapshot();
    let public = Path::new("site/public");
    let context = |problem: String| format!("{name}: {problem}\n{}", stderr(&run));
    let code = run.status.code();
    if !matches!(code, Some(0) | Some(1)) || (must_fail && code != Some(1)) {
        return Err(context(format!("exit {code:?}")));
    }
    no_staging_left(&after).map_err(context)?;
    if outside(&before, public) != outside(&after, public) {
        return Err(context("a file outside the output changed".into()));
    }
    secret_not_published(&after, public).map_err(context)?;
    if code == Some(1) && below(&before, public) != below(&after, public) {
        return Err(context("a failed build changed the previous output".into()));
    }
    if code == Some(0) && !after.contains_key(&public.join(".kbgen-output")) {
        return Err(context("the new output has no marker".into()));
    }
    Ok(())
}

fn article_with(front: &str) -> String {
    format!("---\ntitle: Hostile\n{front}\n---\nBody text.\n")
}

#[test]
fn hostile_slugs_aliases_and_file_names_stay_inside_the_output() {
    let long = "a".repeat(1000);
    let slugs = [
        "../../../outer/pwned",
        "/etc/pwned",
        "a/../../b",
        "..",
        ".",
        "%2e%2e",
        "~/x",
        "..\\\\..\\\\x",
        long.as_str(),
        "index.html",
        ".kbgen-output",
        ".git",
        "\"x\\ny\"",
    ];
    let aliases = [
        "/../../outer/pwned/",
        "../../x/",
        "/index.html",
        "/sec/target/index.html",
        "/sec/target/",
        "/sitemap.xml",
        "/kbgen.css",
        "/404.html",
        "/.kbgen-output",
        "//evil.example/x/",
        "\"/a\\nb/\"",
        "/%2e%2e/%2e%2e/x/",
        "/.git/config",
        "/sec/",
        "/",
    ];
    let mut failures = Vec::new();
    let mut cases = 0;
    for slug in slugs {
        cases += 1;
        let front = format!("slug: {slug}");
        let setup = |s: &Sandbox| s.write("site/content/sec/hostile.md", &article_with(&front));
        if let Err(e) = content_case(&format!("slug {slug:?}"), &setup, false) {
            failures.push(e);
        }
    }
    for alias in aliases {
        cases += 1;
        let front = format!("aliases:\n  - {alias}");
        let setup = |s: &Sandbox| s.write("site/content/sec/hostile.md", &article_with(&front));
        // Every alias here claims a file that is not its own, or climbs out.
        let must_fail = !alias.starts_with("//");
        if let Err(e) = content_case(&format!("alias {alias:?}"), &setup, must_fail) {
            failures.push(e);
        }
    }
    type Setup = fn(&Sandbox);
    let files: &[(&str, Setup)] = &[
        ("a newline in a file name", |s| {
            s.write("site/content/sec/evil\nname.md", &article_with(""))
        }),
        ("a backslash in a file name", |s| {
            s.write("site/content/sec/a\\..\\b.md", &article_with(""))
        }),
        ("a file named ..md", |s| {
            s.write("site/content/sec/..md", &article_with(""))
        }),
        ("an article linked to a file outside", |s| {
            s.link("site/content/sec/leak.md", "../../../outer/secret.md")
        }),
        ("a section linked to a folder outside", |s| {
            s.link("site/content/leak", "../../outer")
        }),
        ("a static file linked outside", |s| {
            s.link("site/static/leak.txt", "../../outer/secret.txt")
        }),
        ("an asset linked outside", |s| {
            s.link("site/content/sec/leak.txt", "../../../outer/secret.txt")
        }),
        ("static/ itself linked outside", |s| {
            fs::remove_dir_all(s.site().join("static")).unwrap();
            s.link("site/static", "../outer");
        }),
        ("a template linked outside", |s| {
            s.link("site/templates/page.html", "../../outer/secret.txt")
        }),
    ];
    for (name, setup) in files {
        cases += 1;
        if let Err(e) = content_case(name, setup, false) {
            failures.push(e);
        }
    }
    println!("{cases} hostile content cases");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_kbgen_yaml_linked_out_of_the_site_is_neither_read_nor_quoted() {
    for target in ["../outer/secret.txt", "/proc/self/environ"] {
        let sandbox = Sandbox::new();
        fs::remove_file(sandbox.site().join("kbgen.yaml")).unwrap();
        symlink(target, sandbox.site().join("kbgen.yaml")).unwrap();
        let before = sandbox.snapshot();
        for format in ["human", "json", "github"] {
            let run = Command::new(kbgen())
                .args(["check", "--message-format", format])
                .current_dir(sandbox.site())
                .env("KBGEN_TEST_SECRET", SECRET)
                .output()
                .unwrap();
            let printed = format!("{}{}", stderr(&run), String::from_utf8_lossy(&run.stdout));
            assert_eq!(run.status.code(), Some(2), "{target} {format}: {printed}");
            assert!(!printed.contains(SECRET), "{target} {format}: {printed}");
            assert!(printed.contains("outside the site"), "{printed}");
        }
        let run = sandbox.kbgen(&["build"]);
        assert_eq!(run.status.code(), Some(2));
        assert!(
            sandbox.snapshot() == before,
            "{target}: the build changed something"
        );
    }
}

#[test]
fn a_highlight_cache_linked_out_of_the_site_is_left_alone() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "site/content/sec/code.md",
        "---\ntitle: Code\n---\n```rust\nfn main() {}\n```\n",
    );
    sandbox.write("outer/cache/highlight.bin", "victim");
    sandbox.link("site/.kbgen-cache", "../outer/cache");
    let before = snapshot(&sandbox.root().join("outer"));
    let run = Command::new(kbgen())
        .arg("build")
        .current_dir(sandbox.site())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("the highlight cache is a symbolic link"),
        "{}",
        stderr(&run)
    );
    assert!(snapshot(&sandbox.root().join("outer")) == before);
}

#[test]
fn a_failed_build_leaves_no_folders_it_made_for_the_output() {
    let sandbox = Sandbox::new();
    sandbox.write("site/content/sec/broken.md", "---\ntitle: [unclosed\n---\n");
    let before = sandbox.snapshot();
    let run = sandbox.kbgen(&["build", "--output", "../made/for/out"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        sandbox.snapshot() == before,
        "the failed build left folders behind"
    );
}

#[test]
fn stale_staging_folders_of_dead_builds_are_removed() {
    let sandbox = Sandbox::new();
    // Process ids above the kernel's largest (2^22) never exist.
    sandbox.write("site/.public.kbgen-tmp-4999999/index.html", "partial");
    sandbox.write("site/.public.kbgen-tmp-4999998.old/index.html", "old");
    let run = sandbox.kbgen(&["build"]);
    assert!(run.status.success(), "{}", stderr(&run));
    no_staging_left(&sandbox.snapshot()).unwrap();
}

/// Writes enough articles that a debug build takes a while.
fn grow(sandbox: &Sandbox, articles: usize) {
    let code = "```rust\nfn main() {\n    println!(\"hello\");\n}\n```\n".repeat(4);
    for i in 0..articles {
        sandbox.write(
            &format!("site/content/bulk/article-{i}.md"),
            &format!(
                "---\ntitle: Article {i}\n---\n{}\n{code}",
                "Some words here. ".repeat(200)
            ),
        );
    }
}

/// Starts a build, waits for its staging folder (`where_` holds it), and sends `signal`.
fn interrupt_build(
    sandbox: &Sandbox,
    output: &str,
    where_: &Path,
    signal: i32,
) -> std::process::ExitStatus {
    let mut child = Command::new(kbgen())
        .args(["build", "--no-cache", "--quiet", "--output", output])
        .current_dir(sandbox.site())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        let staging = fs::read_dir(where_)
            .into_iter()
            .flatten()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().contains(".kbgen-tmp-"));
        if let Some(staging) = staging {
            // Wait until pages are being written into it.
            if fs::read_dir(staging.path()).map(|d| d.count()).unwrap_or(0) > 2 {
                break;
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the build ended ({status}) before it could be interrupted; grow the site");
        }
        assert!(
            started.elapsed().as_secs() < 120,
            "no staging folder appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(child.id() as libc::pid_t, signal);
    }
    child.wait().unwrap()
}

#[test]
fn ctrl_c_and_sigterm_remove_the_staging_folder_and_keep_the_old_output() {
    let sandbox = Sandbox::new();
    let public_before = below(&sandbox.snapshot(), Path::new("site/public"));
    grow(&sandbox, 1000);
    // What a finished build of the grown site writes: on a loaded machine the
    // signal can arrive after the swap, and then the new site is whole.
    let public_after = grown_reference(&sandbox);
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let status = interrupt_build(&sandbox, "public", &sandbox.site(), signal);
        assert_eq!(status.code(), Some(130), "signal {signal}");
        let after = sandbox.snapshot();
        no_staging_left(&after).unwrap();
        let public = below(&after, Path::new("site/public"));
        assert!(
            public == public_before || public == public_after,
            "signal {signal}: the output is neither the old site nor the whole new one"
        );
    }
}

#[test]
fn kill_9_leaves_the_old_output_and_the_next_build_cleans_up() {
    let sandbox = Sandbox::new();
    let public_before = below(&sandbox.snapshot(), Path::new("site/public"));
    grow(&sandbox, 1000);
    let public_after = grown_reference(&sandbox);
    interrupt_build(&sandbox, "public", &sandbox.site(), libc::SIGKILL);
    let public = below(&sandbox.snapshot(), Path::new("site/public"));
    assert!(public == public_before || public == public_after);
    let run = sandbox.kbgen(&["build", "--quiet"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let after = sandbox.snapshot();
    no_staging_left(&after).unwrap();
    assert!(below(&after, Path::new("site/public")) == public_after);
}

/// A finished build of the sandbox's site as it is now, built aside.
fn grown_reference(sandbox: &Sandbox) -> Snapshot {
    let reference = sandbox.kbgen(&["build", "--output", "../reference"]);
    assert!(reference.status.success(), "{}", stderr(&reference));
    let built = snapshot(&sandbox.root().join("reference"));
    fs::remove_dir_all(sandbox.root().join("reference")).unwrap();
    built
}

/// A small tmpfs mounted for the test and unmounted when it ends.
struct Mount(PathBuf);

impl Mount {
    /// `None` (with the reason printed) where mounting is not allowed.
    fn tmpfs(at: &Path, size: &str) -> Option<Mount> {
        fs::create_dir_all(at).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output();
        match mounted {
            Ok(out) if out.status.success() => Some(Mount(at.to_path_buf())),
            Ok(out) => {
                let reason = String::from_utf8_lossy(&out.stderr);
                println!(
                    "skipped: cannot mount a tmpfs here (needs root): {}",
                    reason.trim()
                );
                None
            }
            Err(e) => {
                println!("skipped: no mount command: {e}");
                None
            }
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn require_mounts() -> bool {
    std::env::var_os("KBGEN_REQUIRE_MOUNT").is_some()
}

/// A bare sandbox whose `site/mnt` is a tmpfs of `size` holding a first
/// build; `None` (test skipped, unless mounts are required) without root.
fn built_on_a_mount(size: &str) -> Option<(Sandbox, Mount)> {
    let sandbox = Sandbox::bare();
    let Some(mount) = Mount::tmpfs(&sandbox.site().join("mnt"), size) else {
        assert!(
            !require_mounts(),
            "KBGEN_REQUIRE_MOUNT is set but mounting failed"
        );
        return None;
    };
    let first = sandbox.kbgen(&["build", "--output", "mnt"]);
    assert!(first.status.success(), "{}", stderr(&first));
    Some((sandbox, mount))
}

#[test]
fn a_full_mount_point_keeps_the_old_site() {
    let Some((sandbox, _mount)) = built_on_a_mount("400k") else {
        return;
    };
    let site_before = below(&sandbox.snapshot(), Path::new("site/mnt"));
    assert!(site_before.contains_key(Path::new("index.html")));

    grow(&sandbox, 80);
    let full = sandbox.kbgen(&["build", "--output", "mnt"]);
    let message = stderr(&full);
    assert_eq!(full.status.code(), Some(1), "{message}");
    let io_errors: Vec<&str> = message
        .lines()
        .filter(|l| l.contains("error[io]"))
        .collect();
    assert_eq!(io_errors.len(), 1, "one error for a full disk: {message}");
    assert!(
        io_errors[0].starts_with("mnt: error[io]: cannot write the output ("),
        "{message}"
    );
    assert!(
        io_errors[0].ends_with("No space left on device (os error 28)"),
        "{message}"
    );
    let after = sandbox.snapshot();
    no_staging_left(&after).unwrap();
    assert!(
        below(&after, Path::new("site/mnt")) == site_before,
        "the old site must survive a full disk"
    );
}

#[test]
fn builds_racing_into_one_mount_point_leave_one_whole_site() {
    let Some((sandbox, _mount)) = built_on_a_mount("64m") else {
        return;
    };
    // A second site beside the first, whose every page says so.
    let other = sandbox.root().join("other");
    fs::create_dir_all(&other).unwrap();
    for (name, text) in [("A", "from-a"), ("B", "from-b")] {
        for i in 0..300 {
            let site = if name == "A" {
                sandbox.site()
            } else {
                other.clone()
            };
            let path = site.join(format!("static/files/{i}.txt"));
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
    }
    for entry in ["content", "kbgen.yaml"] {
        let from = sandbox.site().join(entry);
        let copied = Command::new("cp")
            .arg("-r")
            .arg(&from)
            .arg(&other)
            .status()
            .unwrap();
        assert!(copied.success());
    }
    let first = sandbox.kbgen(&["build", "--output", "mnt"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let out = sandbox.site().join("mnt");
    for round in 0..3 {
        let mut builds: Vec<std::process::Child> = [sandbox.site(), other.clone()]
            .iter()
            .map(|root| {
                Command::new(kbgen())
                    .args(["build", "--no-cache", "--quiet", "--root"])
                    .arg(root)
                    .arg("--output")
                    .arg(&out)
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for build in &mut builds {
            assert!(build.wait().unwrap().success(), "round {round}");
        }
        let texts: std::collections::BTreeSet<String> = (0..300)
            .map(|i| fs::read_to_string(out.join(format!("files/{i}.txt"))).unwrap())
            .collect();
        assert_eq!(
            texts.len(),
            1,
            "round {round}: a mix of both sites: {texts:?}"
        );
        no_staging_left(&snapshot(&out)).unwrap();
    }
}

#[test]
fn kill_9_on_a_mount_point_keeps_the_old_site() {
    let Some((sandbox, _mount)) = built_on_a_mount("64m") else {
        return;
    };
    let site_before = below(&sandbox.snapshot(), Path::new("site/mnt"));
    grow(&sandbox, 1000);
    let site_after = grown_reference(&sandbox);
    interrupt_build(&sandbox, "mnt", &sandbox.site().join("mnt"), libc::SIGKILL);
    let kept: Snapshot = below(&sandbox.snapshot(), Path::new("site/mnt"))
        .into_iter()
        .filter(|(k, _)| {
            let top = k.components().next().unwrap().as_os_str().to_string_lossy();
            !top.starts_with(".kbgen-tmp-") && !top.starts_with(".kbgen-old-")
        })
        .collect();
    assert!(
        kept == site_before || kept == site_after,
        "after kill -9 the output is the old site or the whole new one"
    );
    let next = sandbox.kbgen(&["build", "--output", "mnt", "--quiet"]);
    assert!(next.status.success(), "{}", stderr(&next));
    let after = sandbox.snapshot();
    no_staging_left(&after).unwrap();
    assert!(below(&after, Path::new("site/mnt")) == site_after);
}
