//! The output folder: where it really is, and whether kbgen may replace it.
//!
//! A build replaces the output folder whole, so the folder is decided before
//! anything is created or deleted, on its real path: symbolic links followed
//! (dangling ones too) and `..` folded after them, as the kernel will when the
//! folder is written ([`real_path`], like `realpath -m`). The rules:
//!
//! - a path that ends in `..` or `.` is refused as written: it names a folder by
//!   climbing out of another one, and an empty `$OUT` in `--output "$OUT/.."`
//!   would otherwise name the site root;
//! - the real folder may not be the site root, hold it, or lie inside
//!   `content/`, `templates/`, `static/` or `.git/` (each resolved through its
//!   own symbolic links);
//! - a symbolic link inside the site may not lead the output out of it: the
//!   site's files never choose where kbgen writes;
//! - `/`, the folders right under it, the home and the working folder (and
//!   their ancestors) are never an output, even with `--force`;
//! - an existing folder must be one kbgen wrote (it holds [`MARKER`]) or be
//!   empty, unless the build is forced: a typo in `--output` never wipes a
//!   folder of someone else's files.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The file every build writes at the top of the output folder, so the next
/// build knows the folder is kbgen's to replace.
pub const MARKER: &str = crate::site::generated::OUTPUT_MARKER;

/// The marker's text: what a person finding the file should know.
pub const MARKER_TEXT: &str =
    "This folder is written by `kbgen build` and replaced whole on every build.\n";

/// Names that live only inside the site root and must never be replaced.
const INPUT_FOLDERS: [&str; 4] = ["content", "templates", "static", ".git"];

/// An output folder that passed every rule: safe to stage beside and swap.
#[derive(Debug, Clone)]
pub struct OutputFolder {
    /// The real, absolute path (symbolic links resolved).
    pub real: PathBuf,
    /// Whether a folder is there now.
    pub exists: bool,
}

/// Decides where `output` really is and whether a build may replace it.
/// `root` is the site root; `force` lets a build replace an existing folder
/// that kbgen did not write (never `/`, a top-level folder, the home folder,
/// the working folder or one that holds them). Errors are `config`
/// diagnostics at the output path as shown to the user (relative to the site
/// root when inside it).
pub fn resolve(root: &Path, output: &Path, force: bool) -> Result<OutputFolder, Diagnostic> {
    let refuse = |message: String, help: &str| {
        Err(Diagnostic::error("config", shown(root, output), message).with_help(help.to_string()))
    };
    if ends_by_climbing(output) {
        return refuse(
            format!(
                "the output path `{}` ends in `{}`: it names a folder by climbing out of another one",
                output.display(),
                last_segment(output)
            ),
            "name the output folder itself, such as `public` or `../site-output`",
        );
    }
    if output.starts_with("~") {
        return refuse(
            format!("the output path `{}` starts with `~`, which only a shell expands; kbgen would make a folder named `~`", output.display()),
            "write the path out (`$HOME/site`), or leave the `~` unquoted so the shell expands it",
        );
    }
    let (real, links) = match real_path(output) {
        Ok(resolved) => resolved,
        Err(e) => {
            return refuse(
                format!("cannot resolve the output path: {e}"),
                HELP_SEPARATE,
            )
        }
    };
    let root_real = real_path(root).map_or_else(|_| root.to_path_buf(), |(real, _)| real);
    if let Some(link) = links.iter().find(|link| link.starts_with(&root_real)) {
        if !real.starts_with(&root_real) {
            return refuse(
                format!(
                    "the output path goes through the symbolic link {}, inside the site, to {} outside it: a site's files may not choose where kbgen writes",
                    link.display(),
                    real.display()
                ),
                "name the real folder with --output, or remove the link",
            );
        }
    }
    if root_real.starts_with(&real) {
        return refuse(
            format!(
                "the output folder {} is the site root or holds it",
                real.display()
            ),
            HELP_SEPARATE,
        );
    }
    for name in INPUT_FOLDERS {
        let input = real_path(&root_real.join(name))
            .map_or_else(|_| root_real.join(name), |(real, _)| real);
        if real.starts_with(&input) || real.starts_with(root_real.join(name)) {
            return refuse(
                format!(
                    "the output folder {} lies inside {name}/, which kbgen reads",
                    real.display()
                ),
                HELP_SEPARATE,
            );
        }
    }
    if let Some(why) = protected(&real) {
        return refuse(
            format!("the output folder {} is {why}; kbgen replaces its output whole, so it never builds there, not even with --force", real.display()),
            HELP_SEPARATE,
        );
    }
    if let Some(file) = real
        .ancestors()
        .skip(1)
        .find(|a| a.exists())
        .filter(|a| !a.is_dir())
    {
        return refuse(
            format!(
                "{} is a file, so it cannot hold the output folder",
                file.display()
            ),
            HELP_SEPARATE,
        );
    }
    let exists = match fs::metadata(&real) {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => {
            return refuse(
                format!("the output path {} is not a folder", real.display()),
                HELP_SEPARATE,
            )
        }
        Err(_) => false,
    };
    if exists && !force && !is_replaceable(&real) {
        return refuse(
            format!(
                "the output folder {} holds files that kbgen did not write ({}); a build would replace them all",
                real.display(),
                some_entries(&real)
            ),
            "choose an empty or new folder, or pass --force to replace this one whole",
        );
    }
    Ok(OutputFolder { real, exists })
}

/// Why a folder may never be an output, whatever the flags: `/` and the
/// folders right under it, the home folder and the working folder (and every
/// folder holding them).
fn protected(real: &Path) -> Option<&'static str> {
    if real.components().count() <= 2 {
        return Some("the file system's root or a folder right under it");
    }
    let holds = |place: Option<PathBuf>| {
        place
            .and_then(|p| real_path(&p).ok())
            .is_some_and(|(place, _)| place.starts_with(real))
    };
    if holds(std::env::var_os("HOME").map(PathBuf::from)) {
        return Some("the home folder or holds it");
    }
    if holds(std::env::current_dir().ok()) {
        return Some("the working folder or holds it");
    }
    None
}

/// A few names in a folder, for a message: `docs.md, notes/, …`.
fn some_entries(folder: &Path) -> String {
    let mut names: Vec<String> = fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let slash = if e.path().is_dir() { "/" } else { "" };
            format!("{}{slash}", e.file_name().to_string_lossy().escape_debug())
        })
        .collect();
    names.sort();
    let more = names.len() > 3;
    names.truncate(3);
    if more {
        names.push("…".to_string());
    }
    names.join(", ")
}

/// The real path of `path`, absolute, with every symbolic link followed
/// (dangling ones too, so a link to a folder yet to be made counts as that
/// folder) and `..` folded after the link before it, as the kernel walks a
/// path; missing parts are taken as written. Also returns the path of every
/// link passed through. Like `realpath -m`; fails on a loop of links (after 40).
pub fn real_path(path: &Path) -> io::Result<(PathBuf, Vec<PathBuf>)> {
    let absolute = std::path::absolute(path)?;
    let mut pending: Vec<std::ffi::OsString> = Vec::new();
    push_parts(&mut pending, &absolute);
    let mut real = PathBuf::from("/");
    let mut links = Vec::new();
    while let Some(part) = pending.pop() {
        if part == ".." {
            real.pop();
            continue;
        }
        let next = real.join(&part);
        match fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => {
                if links.len() >= 40 {
                    return Err(io::Error::from_raw_os_error(libc::ELOOP));
                }
                let target = fs::read_link(&next)?;
                if target.is_absolute() {
                    real = PathBuf::from("/");
                }
                push_parts(&mut pending, &target);
                links.push(next);
            }
            _ => real = next,
        }
    }
    Ok((real, links))
}

/// Pushes the parts of `path` so that they pop in order (`.` and the root
/// left out).
fn push_parts(pending: &mut Vec<std::ffi::OsString>, path: &Path) {
    for part in path.components().rev() {
        match part {
            Component::Normal(name) => pending.push(name.to_os_string()),
            Component::ParentDir => pending.push("..".into()),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
}

const HELP_SEPARATE: &str =
    "use a separate folder such as `public`; kbgen replaces it whole on every build";

/// True when the path as written ends in `..` or `.` (trailing slashes aside).
fn ends_by_climbing(output: &Path) -> bool {
    matches!(last_segment(output), ".." | "." | "")
}

/// The last segment of a path as written: `Path::components` would fold a
/// trailing `.` away, so the text is split instead.
fn last_segment(path: &Path) -> &str {
    let text = path.to_str().unwrap_or("x");
    let trimmed = text.trim_end_matches('/');
    if trimmed.is_empty() && !text.is_empty() {
        return "/";
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// An existing folder kbgen may replace: empty, written by kbgen (it holds
/// the [`MARKER`]), or holding only names kbgen itself leaves there.
fn is_replaceable(folder: &Path) -> bool {
    let Ok(entries) = fs::read_dir(folder) else {
        return false;
    };
    let mut empty = true;
    for entry in entries.flatten() {
        if entry.file_name() == MARKER {
            return true;
        }
        let name = entry.file_name();
        if !super::leftovers::is_staging_name(&name.to_string_lossy()) {
            empty = false;
        }
    }
    empty || written_before_the_marker(folder)
}

/// Outputs of kbgen releases that wrote no marker: the theme's stylesheet and
/// a 404 page at the top. Their next build adds the marker.
fn written_before_the_marker(folder: &Path) -> bool {
    folder.join("kbgen.css").is_file() && folder.join("404.html").is_file()
}

/// The output path for a diagnostic: relative to the site root when it lies
/// inside it (the printer shows root-relative paths from the working folder),
/// else absolute.
pub fn shown(root: &Path, output: &Path) -> PathBuf {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (root_abs, output_abs) = (absolute(root), absolute(output));
    let folded: PathBuf = output_abs
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    match folded.strip_prefix(&root_abs) {
        Ok(inside) if !inside.as_os_str().is_empty() => inside.to_path_buf(),
        _ => folded,
    }
}

/// Writes the marker into a staged build.
pub fn write_marker(staged: &Path) -> io::Result<()> {
    fs::write(staged.join(MARKER), MARKER_TEXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for name in ["content", "templates", "static"] {
            fs::create_dir(dir.path().join(name)).unwrap();
        }
        dir
    }

    #[test]
    fn paths_ending_in_dot_dot_are_refused_as_written() {
        let dir = site();
        let root = dir.path();
        for output in ["build/..", "build/../", "public/.", ".", "..", "a/b/../.."] {
            let error = resolve(root, &root.join(output), false).unwrap_err();
            assert!(error.message.contains("climbing"), "{output}: {error:?}");
        }
    }

    #[test]
    fn the_real_path_decides() {
        let dir = site();
        let root = dir.path();
        let refused = |output: &Path| resolve(root, output, false).is_err();
        assert!(refused(&root.join("nothere/../content/out")));
        assert!(refused(&root.join("static/x")));
        assert!(refused(dir.path().parent().unwrap()));
        std::os::unix::fs::symlink(root.join("content/new"), root.join("dangling")).unwrap();
        assert!(refused(&root.join("dangling")));
        std::os::unix::fs::symlink("/", root.join("slash")).unwrap();
        assert!(refused(&root.join("slash")));
        assert!(!refused(&root.join("public")));
        assert!(!refused(&root.join("nothere/../public")));
    }

    #[test]
    fn a_folder_of_other_files_needs_force() {
        let dir = site();
        let root = dir.path();
        let docs = root.join("docs");
        fs::create_dir(&docs).unwrap();
        fs::write(docs.join("notes.txt"), "mine").unwrap();
        assert!(resolve(root, &docs, false).is_err());
        assert!(resolve(root, &docs, true).is_ok());
        fs::write(docs.join(MARKER), MARKER_TEXT).unwrap();
        assert!(resolve(root, &docs, false).is_ok());
    }
}
