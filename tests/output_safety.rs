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
        (
            "to-fresh",
            |s| s.link("site/to-fresh", "../fresh"),
            BuiltInto("fresh"),
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
