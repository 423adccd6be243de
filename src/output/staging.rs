//! The staging folder: a build is written beside the output folder and swapped
//! in only when it succeeded.
//!
//! On Linux the swap is one `renameat2(RENAME_EXCHANGE)`, so a reader (or a web
//! server) sees either the old site or the new one, never a mix; elsewhere, or
//! where the file system refuses the exchange, two renames. The output folder
//! may be a symbolic link (the build lands where it points) or a mount point
//! (its contents are replaced in place, since a mount point cannot be renamed).
//! Names in `output.keep` (`.git`, `CNAME`) are carried over into the new
//! output; everything else of the old output is removed, so stale pages never
//! survive. A failed build, or one interrupted, leaves the old output as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::checked_relative;
use super::folder::{self, OutputFolder};
use crate::render::PageSink;

/// A temporary folder that becomes the output folder on [`StagingDir::commit`].
pub struct StagingDir {
    /// The real output folder (a symbolic link resolved).
    output: PathBuf,
    temp: PathBuf,
}

impl StagingDir {
    /// Creates an empty staging folder next to `output` (next to its target,
    /// when `output` is a symbolic link, so the swap stays on one file system).
    pub fn create(output: &OutputFolder) -> io::Result<StagingDir> {
        let output = output.real.clone();
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        fs::create_dir_all(&parent)?;
        let temp = parent.join(format!(".{name}.kbgen-tmp-{}", std::process::id()));
        if temp.exists() {
            fs::remove_dir_all(&temp)?;
        }
        fs::create_dir(&temp)?;
        folder::write_marker(&temp)?;
        Ok(StagingDir { output, temp })
    }

    /// Replaces the output folder with the staged one, carrying over the names
    /// in `keep`.
    pub fn commit(self, keep: &[String]) -> io::Result<()> {
        if !self.output.exists() {
            return fs::rename(&self.temp, &self.output);
        }
        if !self.output.is_dir() {
            return Err(io::Error::other(format!(
                "{} exists and is not a folder",
                self.output.display()
            )));
        }
        let kept = self.carry_over(keep)?;
        match exchange(&self.temp, &self.output) {
            Ok(()) => {
                // `temp` now holds the previous output.
                remove_tree_in_parallel(&self.temp);
                Ok(())
            }
            Err(e) if is_mount_point_error(&e) => {
                self.replace_in_place(keep)?;
                let _ = fs::remove_dir_all(&self.temp);
                Ok(())
            }
            Err(e) => {
                self.give_back(&kept);
                Err(e)
            }
        }
    }

    /// Removes the staging folder, leaving the output folder as it was.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.temp);
    }

    /// Moves kept names from the old output into the staging folder.
    fn carry_over(&self, keep: &[String]) -> io::Result<Vec<String>> {
        let mut moved = Vec::new();
        for name in keep {
            let (from, to) = (self.output.join(name), self.temp.join(name));
            if fs::symlink_metadata(&from).is_ok() && fs::symlink_metadata(&to).is_err() {
                if let Err(e) = fs::rename(&from, &to) {
                    self.give_back(&moved);
                    return Err(e);
                }
                moved.push(name.clone());
            }
        }
        Ok(moved)
    }

    fn give_back(&self, names: &[String]) {
        for name in names {
            let _ = fs::rename(self.temp.join(name), self.output.join(name));
        }
    }

    /// For a mount point: empties it (but the kept names) and moves or copies
    /// the staged files in.
    fn replace_in_place(&self, keep: &[String]) -> io::Result<()> {
        for entry in fs::read_dir(&self.output)? {
            let entry = entry?;
            if keep.iter().any(|k| entry.file_name() == k.as_str()) {
                continue;
            }
            remove_any(&entry.path())?;
        }
        for entry in fs::read_dir(&self.temp)? {
            let entry = entry?;
            let target = self.output.join(entry.file_name());
            if target.exists() {
                continue; // a kept name the old output still has
            }
            if fs::rename(entry.path(), &target).is_err() {
                copy_tree(&entry.path(), &target)?;
            }
        }
        Ok(())
    }

    fn target(&self, path: &str) -> io::Result<PathBuf> {
        Ok(self.temp.join(checked_relative(path)?))
    }
}

impl PageSink for StagingDir {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let target = self.target(path)?;
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(target, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let target = self.target(path)?;
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(from, target).map(|_| ())
    }
}

/// Swaps two folders: atomically where the kernel can, else by two renames.
fn exchange(new: &Path, old: &Path) -> io::Result<()> {
    match exchange_atomically(new, old) {
        Ok(()) => Ok(()),
        Err(e)
            if e.kind() == io::ErrorKind::Unsupported || e.raw_os_error() == Some(libc::EINVAL) =>
        {
            let aside = new.with_extension("old");
            fs::rename(old, &aside)?;
            if let Err(e) = fs::rename(new, old) {
                let _ = fs::rename(&aside, old);
                return Err(e);
            }
            // Leave the previous output where `exchange` callers expect it.
            fs::rename(&aside, new)
        }
        Err(e) => Err(e),
    }
}

#[cfg(target_os = "linux")]
fn exchange_atomically(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        return Ok(());
    }
    let error = io::Error::last_os_error();
    match error.raw_os_error() {
        Some(libc::ENOSYS) => Err(io::Error::new(io::ErrorKind::Unsupported, error)),
        _ => Err(error),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange_atomically(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// A mount point cannot be renamed (EBUSY), nor can a folder cross file
/// systems (EXDEV).
fn is_mount_point_error(error: &io::Error) -> bool {
    matches!(error.raw_os_error(), Some(libc::EBUSY) | Some(libc::EXDEV))
}

/// Removes a large tree (the previous output) using every core: on some file
/// systems deleting ten thousand folders takes seconds on one.
fn remove_tree_in_parallel(path: &Path) {
    use rayon::prelude::*;
    if let Ok(entries) = fs::read_dir(path) {
        let children: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        children.par_iter().for_each(|child| {
            let _ = remove_any(child);
        });
    }
    let _ = fs::remove_dir_all(path);
}

fn remove_any(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    if fs::symlink_metadata(from)?.is_dir() {
        fs::create_dir_all(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        fs::copy(from, to).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged(out: &Path, files: &[(&str, &str)]) -> StagingDir {
        let folder = OutputFolder {
            real: soft_canonicalize::soft_canonicalize(out).unwrap(),
            exists: out.exists(),
        };
        let staging = StagingDir::create(&folder).unwrap();
        for (path, text) in files {
            staging.write(path, text.as_bytes()).unwrap();
        }
        staging
    }

    #[test]
    fn commit_swaps_and_abandon_keeps_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();

        staged(&out, &[("index.html", "new")]).abandon();
        assert!(out.join("stale.html").exists());

        staged(&out, &[("index.html", "new")]).commit(&[]).unwrap();
        assert!(!out.join("stale.html").exists());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn kept_names_are_carried_over() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join(".git/objects")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref").unwrap();
        fs::write(out.join("CNAME"), "help.example.com").unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();
        let keep = vec![".git".to_string(), "CNAME".to_string()];
        staged(&out, &[("index.html", "new")])
            .commit(&keep)
            .unwrap();
        assert_eq!(fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref");
        assert_eq!(
            fs::read_to_string(out.join("CNAME")).unwrap(),
            "help.example.com"
        );
        assert!(!out.join("stale.html").exists());
    }

    #[test]
    fn a_symlinked_output_is_built_where_it_points() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("releases/current");
        fs::create_dir_all(&real).unwrap();
        fs::write(real.join("stale.html"), "old").unwrap();
        let link = dir.path().join("public");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        staged(&link, &[("index.html", "new")]).commit(&[]).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(link.join("index.html")).unwrap(), "new");
        assert!(!real.join("stale.html").exists());
    }

    #[test]
    fn in_place_replacement_keeps_kept_names() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("CNAME"), "x").unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();
        let staging = staged(&out, &[("a/index.html", "new")]);
        staging.replace_in_place(&["CNAME".to_string()]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        assert!(out.join("CNAME").exists() && !out.join("stale.html").exists());
        staging.abandon();
    }
}
