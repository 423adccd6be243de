//! The commit of a build staged inside its output folder, for an output that
//! is a mount point (which cannot be renamed or exchanged).
//!
//! The old top-level entries move into `.kbgen-old-PID/` and the staged ones
//! move up: renames within one file system, so nothing is copied and a full
//! disk has already shown while staging. A journal written before the first
//! rename names the staged entries and the kept ones, so when a process is
//! killed midway the next build finishes its commit ([`finish_interrupted`])
//! and the output is the complete new site, never a mix.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::Path;

use super::leftovers::{entry_names, is_staging_name, staging_pid, OLD_TAG, TEMP_TAG};

/// The journal's name inside `.kbgen-old-PID/`.
const JOURNAL: &str = ".kbgen-commit";

/// What a commit moves: the staged entries, and the kept names it leaves.
struct Journal {
    staged: HashSet<OsString>,
    kept: HashSet<OsString>,
}

/// Moves the old top-level entries of `output` (but kept names and staging
/// folders) into `old` and the entries of `temp` up. If a rename fails, the
/// moves so far are undone and the error returned.
pub(super) fn move_up(output: &Path, temp: &Path, old: &Path, keep: &[String]) -> io::Result<()> {
    fs::create_dir(old)?;
    let journal = Journal {
        staged: entry_names(temp)?.into_iter().collect(),
        kept: keep.iter().map(OsString::from).collect(),
    };
    journal.write(&old.join(JOURNAL))?;
    let mut aside = Vec::new();
    let mut up = Vec::new();
    let result = (|| {
        for name in entry_names(output)? {
            if !journal.is_ours(&name) {
                fs::rename(output.join(&name), old.join(&name))?;
                aside.push(name);
            }
        }
        for name in entry_names(temp)? {
            let target = output.join(&name);
            if fs::symlink_metadata(&target).is_err() {
                fs::rename(temp.join(&name), target)?;
                up.push(name);
            }
        }
        Ok(())
    })();
    if result.is_err() {
        for name in &up {
            let _ = fs::rename(output.join(name), temp.join(name));
        }
        for name in &aside {
            let _ = fs::rename(old.join(name), output.join(name));
        }
    }
    result
}

/// Finishes every commit into `output` that a process killed midway left
/// (a `.kbgen-old-PID/` with a journal, whose process is gone): old entries
/// still at the top move aside, staged ones still waiting move up. The
/// leftover folders are then removed like any stale staging folder.
pub(super) fn finish_interrupted(output: &Path, process_exists: impl Fn(u32) -> bool) {
    let Ok(names) = entry_names(output) else {
        return;
    };
    for name in names {
        let text = name.to_string_lossy();
        let Some(pid) = text
            .starts_with(OLD_TAG)
            .then(|| staging_pid(&text))
            .flatten()
        else {
            continue;
        };
        if process_exists(pid) {
            continue;
        }
        let old = output.join(&name);
        // No journal: the commit had not moved anything yet.
        let Some(journal) = Journal::read(&old.join(JOURNAL)) else {
            continue;
        };
        let temp = output.join(format!("{TEMP_TAG}{pid}"));
        for entry in entry_names(output).unwrap_or_default() {
            let moved_up = journal.staged.contains(&entry) && !temp.join(&entry).exists();
            if !journal.is_ours(&entry) && !moved_up {
                let _ = fs::rename(output.join(&entry), old.join(&entry));
            }
        }
        for entry in entry_names(&temp).unwrap_or_default() {
            let target = output.join(&entry);
            if fs::symlink_metadata(&target).is_err() {
                let _ = fs::rename(temp.join(&entry), target);
            }
        }
    }
}

impl Journal {
    /// Names a commit leaves where they are: kept names and staging folders.
    fn is_ours(&self, name: &OsStr) -> bool {
        is_staging_name(&name.to_string_lossy()) || self.kept.contains(name)
    }

    /// Records as `S name NUL` and `K name NUL` (names may hold any byte but
    /// NUL), synced before the first rename.
    fn write(&self, path: &Path) -> io::Result<()> {
        let mut bytes = Vec::new();
        for (tag, names) in [(b'S', &self.staged), (b'K', &self.kept)] {
            for name in names {
                bytes.push(tag);
                bytes.extend_from_slice(name.as_bytes());
                bytes.push(0);
            }
        }
        let file = fs::File::create(path)?;
        io::Write::write_all(&mut &file, &bytes)?;
        file.sync_all()
    }

    fn read(path: &Path) -> Option<Journal> {
        let bytes = fs::read(path).ok()?;
        let mut journal = Journal {
            staged: HashSet::new(),
            kept: HashSet::new(),
        };
        for record in bytes.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            let name = OsString::from_vec(record[1..].to_vec());
            match record[0] {
                b'S' => journal.staged.insert(name),
                b'K' => journal.kept.insert(name),
                _ => return None,
            };
        }
        Some(journal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// A commit killed after moving half of the old entries aside and one
    /// staged entry up is finished by the next build.
    #[test]
    fn an_interrupted_commit_is_finished() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let (temp, old) = (
            out.join(".kbgen-tmp-4999999"),
            out.join(".kbgen-old-4999999"),
        );
        for name in ["a.html", "b.html", "c/index.html", "CNAME"] {
            write(&out.join(name), "old");
        }
        for name in ["a.html", "d.html", "e/index.html", ".kbgen-output"] {
            write(&temp.join(name), "new");
        }
        fs::create_dir(&old).unwrap();
        let journal = Journal {
            staged: entry_names(&temp).unwrap().into_iter().collect(),
            kept: [OsString::from("CNAME")].into_iter().collect(),
        };
        journal.write(&old.join(JOURNAL)).unwrap();
        // The kill: a.html and c/ went aside, d.html came up.
        fs::rename(out.join("a.html"), old.join("a.html")).unwrap();
        fs::rename(out.join("c"), old.join("c")).unwrap();
        fs::rename(temp.join("d.html"), out.join("d.html")).unwrap();

        finish_interrupted(out, |_| false);
        let mut names: Vec<String> = entry_names(out)
            .unwrap()
            .into_iter()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !is_staging_name(n))
            .collect();
        names.sort();
        assert_eq!(names, [".kbgen-output", "CNAME", "a.html", "d.html", "e"]);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "new");
        assert_eq!(fs::read_to_string(out.join("CNAME")).unwrap(), "old");
    }

    #[test]
    fn a_live_process_or_a_missing_journal_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        write(&out.join("a.html"), "old");
        fs::create_dir(out.join(".kbgen-old-4999999")).unwrap();
        write(&out.join(".kbgen-tmp-4999999/a.html"), "new");
        finish_interrupted(out, |_| false);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "old");
    }
}
