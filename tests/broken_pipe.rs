//! Every command run with its stdout, its stderr or both connected to a pipe
//! whose reader is already gone (`kbgen mv … | head -0`): it must not panic
//! (exit 101) but finish its work and exit with its own code, leaving the same
//! files as a run whose output is read, and printing the same stdout when
//! only stderr is gone.

mod common;
use common::{tree, TestSite};

use std::io::{PipeReader, Read};
use std::path::Path;
use std::process::Command;

/// Which of the child's streams has no reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closed {
    None,
    Stdout,
    Stderr,
    Both,
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs kbgen in `root` with `args`; the pipes `closed` names are closed on
/// the reading side before kbgen starts, so its first write there fails.
fn run(root: &Path, args: &[&str], closed: Closed) -> Run {
    let (out_reader, out_writer) = std::io::pipe().unwrap();
    let (err_reader, err_writer) = std::io::pipe().unwrap();
    let keep = |reader: PipeReader, gone: bool| (!gone).then_some(reader);
    let out_reader = keep(out_reader, matches!(closed, Closed::Stdout | Closed::Both));
    let err_reader = keep(err_reader, matches!(closed, Closed::Stderr | Closed::Both));
    let mut command = Command::new(env!("CARGO_BIN_EXE_kbgen"));
    command
        .current_dir(root)
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(out_writer)
        .stderr(err_writer);
    let mut child = command.spawn().unwrap();
    // The command holds the writing ends: drop them, so reading ends.
    drop(command);
    let read_all = |reader: Option<PipeReader>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut reader) = reader {
                reader.read_to_string(&mut text).unwrap();
            }
            text
        })
    };
    let (stdout, stderr) = (read_all(out_reader), read_all(err_reader));
    let status = child.wait().unwrap();
    Run {
        code: status.code(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// A site with something for each command to say: warnings (no
/// descriptions), a spacer for `fix`, links for `mv` to rewrite.
fn site() -> TestSite {
    TestSite::new()
        .article(
            "content/s/a.md",
            "title: Alpha\ntaxonomy:\n  category: s",
            "## Steps\n\nSee [beta](b.md).\n\n&nbsp;\n\nDone.\n",
        )
        .article(
            "content/s/b.md",
            "title: Beta\ntaxonomy:\n  category: s",
            "Back to [alpha](/s/a/).\n",
        )
}

fn import_source() -> String {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/zola");
    fixture.display().to_string()
}

#[test]
fn a_closed_pipe_ends_output_quietly_and_every_command_finishes_its_work() {
    let source = import_source();
    let commands: Vec<Vec<&str>> = vec![
        vec!["check"],
        vec!["check", "--message-format", "json"],
        vec!["check", "--message-format", "github"],
        vec!["build", "--verbose", "--no-search"],
        vec!["fix"],
        vec!["fix", "--write"],
        vec!["mv", "--dry-run", "content/s/a.md", "content/s/c.md"],
        vec!["mv", "content/s/a.md", "content/t/a.md"],
        vec!["mv", "content/s", "content/u"],
        vec!["mv", "content/s/a.md", "content/s/b.md"],
        vec!["import", "--from", "zola", &source, "--into", "imported"],
        vec!["new", "s/gamma", "--title", "Gamma"],
        vec!["init", "fresh"],
        vec!["--help"],
        vec!["--version"],
        vec!["no-such-command"],
    ];
    for args in &commands {
        let read = site();
        let expected = run(read.root(), args, Closed::None);
        assert_ne!(expected.code, Some(101), "{args:?}: {}", expected.stderr);
        assert!(
            !expected.stdout.is_empty() || !expected.stderr.is_empty(),
            "{args:?} prints something, or this test proves nothing"
        );
        for closed in [Closed::Stdout, Closed::Stderr, Closed::Both] {
            let gone = site();
            let got = run(gone.root(), args, closed);
            let what = format!("{args:?} with {closed:?} closed");
            assert_eq!(got.code, expected.code, "{what}: {}", got.stderr);
            assert!(!got.stderr.contains("panicked"), "{what}: {}", got.stderr);
            if closed == Closed::Stderr {
                assert_eq!(got.stdout, expected.stdout, "{what}");
            }
            assert_eq!(
                tree(gone.root()),
                tree(read.root()),
                "{what} left other files than a run that was read"
            );
        }
    }
}
