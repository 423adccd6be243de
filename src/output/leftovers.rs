//! Staging folders left behind, and their removal.
//!
//! A staging folder is named after the process that made it
//! (`.public.kbgen-tmp-PID` beside the output, `.kbgen-tmp-PID` and
//! `.kbgen-old-PID` inside a mount point), so a later build can tell a folder
//! of a process that is gone (`kill -9`, a power cut) from one still at work,
//! and remove only the former.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The part of a staging folder's name before the process id.
pub(super) const TEMP_TAG: &str = ".kbgen-tmp-";
/// Inside a mount point: where the old top-level entries wait during a commit.
pub(super) const OLD_TAG: &str = ".kbgen-old-";

/// True for names kbgen gives its staging folders, beside or inside an output.
pub(crate) fn is_staging_name(name: &str) -> bool {
    staging_pid(name).is_some()
}

/// The process id in a staging folder's name (`.public.kbgen-tmp-123`,
/// `.public.kbgen-tmp-123.old`, `.kbgen-old-123`).
pub(super) fn staging_pid(name: &str) -> Option<u32> {
    let start = [TEMP_TAG, OLD_TAG]
        .iter()
        .find_map(|tag| name.find(tag).map(|i| i + tag.len()))?;
    let rest = &name[start..];
    let digits = rest.strip_suffix(".old").unwrap_or(rest);
    if !name.starts_with('.') || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Removes staging folders in `dir` whose names start with one of `prefixes`
/// and whose process is gone.
pub(super) fn remove_stale(dir: &Path, prefixes: &[&str]) {
    let Ok(names) = entry_names(dir) else {
        return;
    };
    // Staging names are ASCII: a name that is not UTF-8 is not one.
    for name in names.iter().filter_map(|n| n.to_str()) {
        if !prefixes.iter().any(|p| name.starts_with(p)) {
            continue;
        }
        match staging_pid(name) {
            Some(pid) if pid == std::process::id() || !process_exists(pid) => {
                remove_tree_in_parallel(&dir.join(name));
            }
            _ => {}
        }
    }
}

/// Where the exchange fell back to two renames and the process died between
/// them, the previous output waits as `.NAME.kbgen-tmp-PID.old` and the
/// output is missing: it is put back.
pub(super) fn restore_set_aside(parent: &Path, beside_tag: &str, output: &Path) {
    if fs::symlink_metadata(output).is_ok() {
        return;
    }
    let Ok(names) = entry_names(parent) else {
        return;
    };
    for name in names.iter().filter_map(|n| n.to_str()) {
        let set_aside = name.starts_with(beside_tag) && name.ends_with(".old");
        let gone = staging_pid(name).is_some_and(|pid| !process_exists(pid));
        if set_aside && gone && fs::rename(parent.join(name), output).is_ok() {
            return;
        }
    }
}

pub(super) fn process_exists(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only asks whether the process exists; no pointers.
    let result = unsafe { libc::kill(pid, 0) };
    result == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// The names in a folder, sorted, as the file system has them.
pub(super) fn entry_names(dir: &Path) -> io::Result<Vec<OsString>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        names.push(entry?.file_name());
    }
    names.sort();
    Ok(names)
}

/// Removes a large tree (the previous output) using every core: on some file
/// systems deleting ten thousand folders takes seconds on one.
pub(super) fn remove_tree_in_parallel(path: &Path) {
    use rayon::prelude::*;
    if let Ok(entries) = fs::read_dir(path) {
        let children: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        children.par_iter().for_each(|child| {
            let _ = remove_any(child);
        });
    }
    let _ = fs::remove_dir_all(path);
}

pub(super) fn remove_any(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_names() {
        assert_eq!(staging_pid(".public.kbgen-tmp-12"), Some(12));
        assert_eq!(staging_pid(".public.kbgen-tmp-12.old"), Some(12));
        assert_eq!(staging_pid(".kbgen-old-7"), Some(7));
        assert_eq!(staging_pid("public.kbgen-tmp-12"), None);
        assert_eq!(staging_pid(".public.kbgen-tmp-"), None);
        assert_eq!(staging_pid(".public.kbgen-tmp-1x"), None);
    }
}
