//! The output folder: where it really is, and whether kbgen may replace it.
//!
//! A build replaces the output folder whole, so the folder is decided before
//! anything is created or deleted, on its real path: symbolic links followed
//! (dangling ones too) and `..` folded after them, as the kernel will when the
//! folder is written (`soft_canonicalize`, the `realpath -m` of Rust). The rules:
//!
//! - a path that ends in `..` or `.` is refused as written: it names a folder by
//!   climbing out of another one, and an empty `$OUT` in `--output "$OUT/.."`
//!   would otherwise name the site root;
//! - the real folder may not be the site root, hold it, or lie inside
//!   `content/`, `templates/`, `static/` or `.git/` (each resolved through its
//!   own symbolic links);
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
/// that kbgen did not write. Errors are `config` diagnostics at the output
/// path as shown to the user (relative to the site root when inside it).
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
    let real = match soft_canonicalize::soft_canonicalize(output) {
        Ok(real) => real,
        Err(e) => {
            return refuse(
                format!("cannot resolve the output path: {e}"),
                HELP_SEPARATE,
            )
        }
    };
    let root_real = soft_canonicalize::soft_canonicalize(root).unwrap_or_else(|_| root.into());
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
        let input = soft_canonicalize::soft_canonicalize(root_real.join(name))
            .unwrap_or_else(|_| root_real.join(name));
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
    let exists = match fs::metadata(&real) {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => {
            return refuse(
                format!("the output path {} is a file, not a folder", real.display()),
                HELP_SEPARATE,
            )
        }
        Err(_) => false,
    };
    if exists && !force && !is_replaceable(&real) {
        return refuse(
            format!(
                "the output folder {} holds files that kbgen did not write; a build would replace them all",
                real.display()
            ),
            "choose an empty or new folder, or pass --force to replace this one whole",
        );
    }
    Ok(OutputFolder { real, exists })
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
        if !super::staging::is_staging_name(&name.to_string_lossy()) {
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
