//! The staging folder: a build is written aside and swapped in only when it
//! succeeded, so a failed, interrupted or full-disk build leaves the previous
//! output as it was.
//!
//! Normally the staging folder sits beside the output folder and the swap is
//! one `renameat2(RENAME_EXCHANGE)` on Linux, so a reader (or a web server)
//! sees either the old site or the new one, never a mix; elsewhere, or where
//! the file system refuses the exchange, two renames. An output folder that is
//! a mount point cannot be renamed, so there the build is staged *inside* it
//! (`.kbgen-tmp-PID/`) and committed by moving the old top-level entries aside
//! and the new ones up: renames within one file system, so a full disk shows
//! while staging, before the old site is touched. Names in `output.keep`
//! (`.git`, `CNAME`) are carried over into the new output; everything else of
//! the old output is removed, so stale pages never survive.
//!
//! Staging folders are named after the process (`.public.kbgen-tmp-PID`): one
//! left by a process that is gone (killed, or a power cut) is removed by the
//! next build (see [`super::leftovers`]), and Ctrl-C or a termination signal removes the current one
//! ([`remove_on_interrupt`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use super::checked_relative;
use super::folder::{self, OutputFolder};
use super::leftovers::{
    process_exists, remove_any, remove_stale, remove_tree_in_parallel, restore_set_aside, OLD_TAG,
    TEMP_TAG,
};
use crate::render::PageSink;

/// Staging folders of this process, for the interrupt handler. A commit holds
/// the lock while it renames, so an interruption never lands between renames.
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Set by the interrupt handler: writers stop creating files.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// Set when a commit swapped the new site in, so an interruption after it
/// says so rather than "left as it was".
static SWAPPED: AtomicBool = AtomicBool::new(false);

/// A temporary folder that becomes the output folder on [`StagingDir::commit`].
pub struct StagingDir {
    /// The real output folder (symbolic links resolved).
    output: PathBuf,
    temp: PathBuf,
    /// Staged inside the output folder (a mount point) rather than beside it.
    inside: bool,
    /// The first write error that will fail every later write too (a full
    /// disk, a read-only file system): later writes return it at once.
    fatal: OnceLock<(io::ErrorKind, String)>,
    /// Folders made to hold the staging folder, deepest first: removed again
    /// if the build does not commit, so a failed build leaves no trace.
    made_parents: Vec<PathBuf>,
}

impl StagingDir {
    /// Creates an empty staging folder for `output`: beside it, or inside it
    /// when it is a mount point (or its parent cannot be written). Staging
    /// folders left by processes that are gone are removed first.
    pub fn create(output: &OutputFolder) -> io::Result<StagingDir> {
        let real = output.real.clone();
        let parent = real.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = real
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        let beside_tag = format!(".{name}{TEMP_TAG}");
        if output.exists {
            super::mount::finish_interrupted(&real, process_exists);
            remove_stale(&real, &[TEMP_TAG, OLD_TAG]);
        }
        let pid = std::process::id();
        let inside = |made_parents| {
            let temp = real.join(format!("{TEMP_TAG}{pid}"));
            StagingDir::start(real.clone(), temp, true, made_parents)
        };
        if output.exists && is_mount_point(&real) {
            return inside(Vec::new());
        }
        let made_parents = missing_ancestors(&parent);
        fs::create_dir_all(&parent)?;
        restore_set_aside(&parent, &beside_tag, &real);
        remove_stale(&parent, &[&beside_tag]);
        let beside = parent.join(format!("{beside_tag}{pid}"));
        match StagingDir::start(real.clone(), beside, false, made_parents) {
            Err(e) if output.exists && cannot_write_there(&e) => inside(Vec::new()),
            other => other,
        }
    }

    fn start(
        output: PathBuf,
        temp: PathBuf,
        inside: bool,
        made_parents: Vec<PathBuf>,
    ) -> io::Result<StagingDir> {
        let staging = StagingDir {
            output,
            temp,
            inside,
            fatal: OnceLock::new(),
            made_parents,
        };
        if fs::symlink_metadata(&staging.temp).is_ok() {
            remove_any(&staging.temp)?; // left by an earlier process with our id
        }
        if let Err(e) = fs::create_dir(&staging.temp) {
            staging.remove_made_parents();
            return Err(e);
        }
        folder::write_marker(&staging.temp)?;
        lock_active().push(staging.temp.clone());
        Ok(staging)
    }

    /// Replaces the output folder with the staged one, carrying over the names
    /// in `keep`. On an error the previous output is left as it was. Two
    /// builds committing into one place take turns (an advisory lock on the
    /// folder the swap happens in).
    pub fn commit(self, keep: &[String]) -> io::Result<()> {
        let locked = if self.inside {
            &self.output
        } else {
            self.temp.parent().unwrap_or(Path::new("/"))
        };
        let _turn = DirLock::take(locked);
        let active = lock_active();
        if INTERRUPTED.load(Ordering::SeqCst) {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        let result = if !self.output.exists() {
            let renamed = fs::rename(&self.temp, &self.output);
            SWAPPED.store(renamed.is_ok(), Ordering::SeqCst);
            drop(active);
            renamed
        } else if self.inside {
            let old = self.output.join(format!("{OLD_TAG}{}", std::process::id()));
            let moved = super::mount::move_up(&self.output, &self.temp, &old, keep);
            SWAPPED.store(moved.is_ok(), Ordering::SeqCst);
            drop(active);
            remove_tree_in_parallel(&old);
            moved
        } else {
            let swapped = self.carry_over(keep).and_then(|kept| {
                let swapped = exchange(&self.temp, &self.output);
                if swapped.is_err() {
                    self.give_back(&kept);
                }
                swapped
            });
            SWAPPED.store(swapped.is_ok(), Ordering::SeqCst);
            drop(active);
            // On success `temp` holds the previous output.
            if swapped.is_ok() {
                remove_tree_in_parallel(&self.temp);
            }
            swapped
        };
        if result.is_err() {
            self.abandon();
        } else {
            let _ = fs::remove_dir_all(&self.temp);
            self.forget();
        }
        result
    }

    /// Removes the staging folder (and the folders made to hold it), leaving
    /// the output folder as it was.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.temp);
        self.remove_made_parents();
        self.forget();
    }

    fn remove_made_parents(&self) {
        for made in &self.made_parents {
            // Only while empty: another process may have put something there.
            let _ = fs::remove_dir(made);
        }
    }

    fn forget(&self) {
        lock_active().retain(|p| p != &self.temp);
    }

    /// Moves kept names from the old output into the staging folder.
    fn carry_over(&self, keep: &[String]) -> io::Result<Vec<String>> {
        let mut moved = Vec::new();
        for name in keep {
            // kbgen.yaml allows only plain names; never follow anything else.
            let plain = checked_relative(name).is_ok_and(|p| p.components().count() == 1);
            if !plain {
                continue;
            }
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

    fn target(&self, path: &str) -> io::Result<PathBuf> {
        if INTERRUPTED.load(Ordering::Relaxed) {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        if let Some((kind, message)) = self.fatal.get() {
            return Err(io::Error::new(*kind, message.clone()));
        }
        Ok(self.temp.join(checked_relative(path)?))
    }

    /// Remembers an error that every later write would meet as well.
    fn note_error(&self, error: io::Error) -> io::Error {
        let fatal = [libc::ENOSPC, libc::EDQUOT, libc::EROFS, libc::EIO];
        if error
            .raw_os_error()
            .is_some_and(|code| fatal.contains(&code))
        {
            let _ = self.fatal.set((error.kind(), error.to_string()));
        }
        error
    }
}

impl PageSink for StagingDir {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let target = self.target(path)?;
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| self.note_error(e))?;
        }
        fs::write(target, bytes).map_err(|e| self.note_error(e))
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let target = self.target(path)?;
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| self.note_error(e))?;
        }
        copy_no_follow(from, &target).map_err(|e| self.note_error(e))
    }
}

/// Copies a regular file, refusing one that became a symbolic link since the
/// site was checked (`O_NOFOLLOW`), so a build never publishes a file from
/// outside the site.
fn copy_no_follow(from: &Path, to: &Path) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut source = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(from)?;
    if !source.metadata()?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    let mut target = fs::File::create(to)?;
    io::copy(&mut source, &mut target).map(|_| ())
}

/// Removes this process's staging folders when the build is interrupted
/// (Ctrl-C, SIGTERM, SIGHUP), then exits with 130. A commit in progress is
/// finished first, so the output is the old site or the new one. Installing
/// twice is harmless.
pub fn remove_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        let active = lock_active();
        // Writers that passed their check just before the flag was set may
        // still make a file or two: remove, let them finish, remove again.
        for round in 0..2 {
            for temp in active.iter() {
                let _ = fs::remove_dir_all(temp);
            }
            if round == 0 {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
        // Not eprintln!, which panics when stderr is closed, before the exit.
        let message = if SWAPPED.load(Ordering::SeqCst) {
            "kbgen: interrupted after the new site was in place"
        } else {
            "kbgen: interrupted; the output folder was left as it was"
        };
        let _ = io::Write::write_all(&mut io::stderr(), format!("{message}\n").as_bytes());
        std::process::exit(130);
    });
}

fn lock_active() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    ACTIVE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The ancestors of `dir` that do not exist yet, deepest first.
fn missing_ancestors(dir: &Path) -> Vec<PathBuf> {
    dir.ancestors()
        .take_while(|a| fs::symlink_metadata(a).is_err())
        .map(Path::to_path_buf)
        .collect()
}

/// An advisory lock (`flock`) on a folder, released when dropped. Where the
/// file system has no locks the build goes on without one.
struct DirLock {
    _held: Option<fs::File>,
}

impl DirLock {
    fn take(folder: &Path) -> DirLock {
        use std::os::unix::io::AsRawFd;
        let Ok(file) = fs::File::open(folder) else {
            return DirLock { _held: None };
        };
        // SAFETY: a valid descriptor owned by `file`, which outlives the call.
        let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0;
        DirLock {
            _held: locked.then_some(file),
        }
    }
}

/// A folder on another device than its parent: a mount point, which cannot
/// be renamed.
fn is_mount_point(folder: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let parent = folder.parent().unwrap_or(Path::new("/"));
    match (fs::metadata(folder), fs::metadata(parent)) {
        (Ok(inner), Ok(outer)) => inner.dev() != outer.dev(),
        _ => false,
    }
}

/// The staging folder cannot be made beside the output (a read-only or
/// foreign parent), but maybe inside it.
fn cannot_write_there(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::PermissionDenied || error.raw_os_error() == Some(libc::EROFS)
}

/// Swaps two folders: atomically where the kernel can, else by two renames.
fn exchange(new: &Path, old: &Path) -> io::Result<()> {
    match exchange_atomically(new, old) {
        Ok(()) => Ok(()),
        Err(e)
            if e.kind() == io::ErrorKind::Unsupported || e.raw_os_error() == Some(libc::EINVAL) =>
        {
            let mut aside = new.as_os_str().to_owned();
            aside.push(".old");
            let aside = PathBuf::from(aside);
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

#[cfg(test)]
mod tests {
    use super::super::leftovers::entry_names;
    use super::*;

    fn folder(out: &Path) -> OutputFolder {
        OutputFolder {
            real: folder::real_path(out).unwrap().0,
            exists: out.exists(),
        }
    }

    fn write_all(staging: &StagingDir, files: &[(&str, &str)]) {
        for (path, text) in files {
            staging.write(path, text.as_bytes()).unwrap();
        }
    }

    fn staged(out: &Path, files: &[(&str, &str)]) -> StagingDir {
        let staging = StagingDir::create(&folder(out)).unwrap();
        write_all(&staging, files);
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
        assert!(out.join(folder::MARKER).exists());
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
    fn staging_inside_moves_entries_up_and_keeps_kept_names() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("CNAME"), "x").unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();
        let temp = out.join(format!("{TEMP_TAG}{}", std::process::id()));
        let staging = StagingDir::start(out.clone(), temp, true, Vec::new()).unwrap();
        write_all(&staging, &[("a/index.html", "new"), ("CNAME", "staged")]);
        assert!(
            out.join("stale.html").exists(),
            "the old site stays while staging"
        );
        staging.commit(&["CNAME".to_string()]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        assert_eq!(fs::read_to_string(out.join("CNAME")).unwrap(), "x");
        assert!(!out.join("stale.html").exists());
        let mut names: Vec<String> = entry_names(&out)
            .unwrap()
            .into_iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [folder::MARKER, "CNAME", "a"]);
    }

    #[test]
    fn stale_staging_folders_of_gone_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // Process ids above the kernel's pid_max never exist.
        let gone = dir.path().join(".public.kbgen-tmp-4999999");
        let gone_old = dir.path().join(".public.kbgen-tmp-4999998.old");
        let alive = dir.path().join(format!(".public.kbgen-tmp-{}", 1));
        let other = dir.path().join(".other.kbgen-tmp-4999999");
        for folder in [&gone, &gone_old, &alive, &other] {
            fs::create_dir_all(folder.join("a")).unwrap();
        }
        staged(&out, &[("index.html", "new")]).commit(&[]).unwrap();
        assert!(!gone.exists() && !gone_old.exists());
        assert!(alive.exists(), "pid 1 is alive: its folder stays");
        assert!(
            other.exists(),
            "another output's folder is not ours to judge"
        );
    }

    #[test]
    fn a_full_disk_fails_later_writes_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let staging = staged(&dir.path().join("public"), &[]);
        let full = io::Error::from_raw_os_error(libc::ENOSPC);
        let _ = staging.note_error(full);
        let error = staging.write("x.html", b"x").unwrap_err();
        assert!(error.to_string().contains("No space left"), "{error}");
        assert!(!staging.temp.join("x.html").exists());
        staging.abandon();
    }
}
