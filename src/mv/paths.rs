//! What `kbgen mv` moves: the paths given on the command line as paths under
//! `content/`, checked (the source exists, the destination does not), and the
//! temporary copy of the site that the planned move is tried on.

use std::path::{Component, Path, PathBuf};

use super::{MoveError, Plan};

/// One rename under `content/`, as content paths (`/` separators).
#[derive(Debug, Clone)]
pub struct Moving {
    pub old: String,
    pub new: String,
    /// A folder (a section or a page bundle) rather than one file.
    pub folder: bool,
    /// The translations of a moved article file (`x.de.md` beside `x.md`),
    /// each with its place after the move (`y.de.md` beside `y.md`). A
    /// folder's translations (`index.de.md`, `_index.de.md`) move with it.
    pub translations: Vec<(String, String)>,
}

impl Moving {
    /// Where the file at content path `path` is after the move.
    pub fn map(&self, path: &str) -> String {
        if path == self.old {
            return self.new.clone();
        }
        if let Some((_, new)) = self.translations.iter().find(|(old, _)| old == path) {
            return new.clone();
        }
        match path.strip_prefix(&self.old) {
            Some(rest) if self.folder && rest.starts_with('/') => format!("{}{rest}", self.new),
            _ => path.to_string(),
        }
    }
}

/// Reads `old` and `new` (paths from the current folder, or from `content/`)
/// and checks the move can be planned.
pub fn resolve(root: &Path, old: &Path, new: &Path) -> Result<Moving, MoveError> {
    let content = root.join("content");
    let old_cp = content_path(&content, old).ok_or_else(|| {
        MoveError::Usage(format!(
            "{} is not inside {}",
            old.display(),
            content.display()
        ))
    })?;
    let old_file = content.join(&old_cp);
    let (old_cp, folder) = match old_file.metadata() {
        Err(_) => {
            return Err(MoveError::Usage(format!(
                "{} does not exist",
                old.display()
            )))
        }
        Ok(meta) if meta.is_dir() => (old_cp, true),
        // A bundle's `index.md` moves with its folder.
        Ok(_) if old_cp.ends_with("/index.md") => {
            let dir = crate::site::parent_dir(&old_cp).to_string();
            (dir, true)
        }
        Ok(_) if old_cp.ends_with("_index.md") => {
            return Err(MoveError::Usage(format!(
                "{} is a section's index: move the section's folder instead",
                old.display()
            )))
        }
        Ok(_) if !old_cp.ends_with(".md") => {
            return Err(MoveError::Usage(format!(
                "{} is not an article: kbgen mv moves `.md` files and section folders",
                old.display()
            )))
        }
        Ok(_) => (old_cp, false),
    };
    if old_cp.is_empty() {
        return Err(MoveError::Usage("content/ itself cannot be moved".into()));
    }
    let mut new_cp = content_path(&content, new).ok_or_else(|| {
        MoveError::Usage(format!(
            "{} is not inside {}",
            new.display(),
            content.display()
        ))
    })?;
    if content.join(&new_cp).is_dir() {
        let name = old_cp.rsplit('/').next().unwrap_or(&old_cp);
        new_cp = join(&new_cp, name);
    }
    let target = content.join(&new_cp);
    if target.exists() || target.is_symlink() {
        return Err(MoveError::Usage(format!(
            "{} already exists; kbgen mv never replaces a file",
            Path::new("content").join(&new_cp).display()
        )));
    }
    if !folder && !new_cp.ends_with(".md") {
        return Err(MoveError::Usage(format!(
            "{} must be a `.md` file or an existing section folder",
            new.display()
        )));
    }
    if new_cp == old_cp || new_cp.starts_with(&format!("{old_cp}/")) {
        return Err(MoveError::Usage(format!(
            "cannot move {} into itself",
            old.display()
        )));
    }
    Ok(Moving {
        old: old_cp,
        new: new_cp,
        folder,
        translations: Vec::new(),
    })
}

/// The translations of the article file `moving` moves, for a site whose
/// languages other than the default are `codes`: each file beside it named
/// `<stem>.<code>.md` (the code in any case, as BCP 47 compares codes), with
/// the name it gets beside the new file. A translation whose new name is
/// taken is an error, as the article's own would be.
pub fn with_translations(
    root: &Path,
    mut moving: Moving,
    codes: &[String],
) -> Result<Moving, MoveError> {
    if moving.folder || codes.is_empty() {
        return Ok(moving);
    }
    let content = root.join("content");
    let (old_dir, old_name) = split_name(&moving.old);
    let (new_dir, new_name) = split_name(&moving.new);
    let (Some(old_stem), Some(new_stem)) =
        (old_name.strip_suffix(".md"), new_name.strip_suffix(".md"))
    else {
        return Ok(moving);
    };
    let Ok(entries) = std::fs::read_dir(content.join(old_dir)) else {
        return Ok(moving);
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let code = name
            .strip_prefix(old_stem)
            .and_then(|rest| rest.strip_prefix('.'))
            .and_then(|rest| rest.strip_suffix(".md"));
        let Some(code) = code.filter(|c| codes.iter().any(|k| k.eq_ignore_ascii_case(c))) else {
            continue;
        };
        let new = join(new_dir, &format!("{new_stem}.{code}.md"));
        if content.join(&new).exists() {
            return Err(MoveError::Usage(format!(
                "{} already exists; kbgen mv moves the translation {} there and never replaces a file",
                Path::new("content").join(&new).display(),
                Path::new("content").join(join(old_dir, &name)).display()
            )));
        }
        moving.translations.push((join(old_dir, &name), new));
    }
    Ok(moving)
}

/// `a/b/x.md` → (`a/b`, `x.md`); `x.md` → (``, `x.md`).
fn split_name(content_path: &str) -> (&str, &str) {
    content_path.rsplit_once('/').unwrap_or(("", content_path))
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// `path` as a content path: taken from the current folder, or else from the
/// site root, when it names a place inside `content`; else read as a path
/// from `content/` itself.
fn content_path(content: &Path, path: &Path) -> Option<String> {
    let absolute = |p: &Path| -> Option<PathBuf> {
        let joined = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().ok()?.join(p)
        };
        Some(lexical(&joined))
    };
    let content = absolute(content)?;
    let from_here = absolute(path)?;
    let from_root = content.parent().map(|root| lexical(&root.join(path)));
    let inside = [Some(from_here), from_root]
        .into_iter()
        .flatten()
        .find_map(|p| p.strip_prefix(&content).ok().map(Path::to_path_buf));
    let relative = match inside {
        Some(inside) => inside,
        None if path.is_relative() => lexical(path),
        None => return None,
    };
    let parts: Vec<String> = relative
        .components()
        .map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    Some(parts.join("/"))
}

/// `path` with `.` and `..` folded, without touching the disk.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A copy of the site (`kbgen.yaml`, `content/`, `templates/`, `static/`) in
/// a temporary folder, removed when dropped.
#[derive(Debug)]
pub struct TempSite {
    dir: PathBuf,
}

impl TempSite {
    pub fn copy(root: &Path) -> Result<TempSite, MoveError> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("kbgen-mv-{}-{stamp}", std::process::id()));
        let site = TempSite { dir };
        std::fs::create_dir_all(&site.dir).map_err(|e| io_error(&site.dir, e))?;
        for name in [crate::config::CONFIG_FILE, "content", "templates", "static"] {
            let from = root.join(name);
            if from.exists() {
                copy_tree(&from, &site.dir.join(name))?;
            }
        }
        Ok(site)
    }

    pub fn root(&self) -> &Path {
        &self.dir
    }

    /// Makes the move's renames in the copy: the article or folder, then
    /// the article's translations.
    pub fn rename(&self, moving: &Moving) -> Result<(), MoveError> {
        let content = self.dir.join("content");
        let to = content.join(&moving.new);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        std::fs::rename(content.join(&moving.old), &to).map_err(|e| io_error(&to, e))?;
        for (old, new) in &moving.translations {
            let to = content.join(new);
            std::fs::rename(content.join(old), &to).map_err(|e| io_error(&to, e))?;
        }
        Ok(())
    }

    /// Writes the planned texts into the copy.
    pub fn write_planned(&self, plan: &Plan) -> Result<(), MoveError> {
        for file in &plan.files {
            let path = self.dir.join(&file.after);
            std::fs::write(&path, &file.saved).map_err(|e| io_error(&path, e))?;
        }
        Ok(())
    }
}

impl Drop for TempSite {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The files a rename of `from` to `to` (paths under `root`) moves, each with
/// its new path, in path order: the pair itself for a file, each file of the
/// folder (at any depth) for a folder.
pub fn renamed_files(
    root: &Path,
    from: &Path,
    to: &Path,
) -> Result<Vec<(PathBuf, PathBuf)>, MoveError> {
    let mut files = Vec::new();
    let walk = walkdir::WalkDir::new(root.join(from)).sort_by_file_name();
    for entry in walk {
        let entry = entry.map_err(|e| MoveError::Io {
            path: from.to_path_buf(),
            message: e.to_string(),
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(root.join(from)) else {
            continue;
        };
        if relative.as_os_str().is_empty() {
            files.push((from.to_path_buf(), to.to_path_buf()));
        } else {
            files.push((from.join(relative), to.join(relative)));
        }
    }
    Ok(files)
}

/// Copies a file or folder; symbolic links are copied as what they point at.
fn copy_tree(from: &Path, to: &Path) -> Result<(), MoveError> {
    if from.is_file() {
        return std::fs::copy(from, to)
            .map(|_| ())
            .map_err(|e| io_error(from, e));
    }
    for entry in walkdir::WalkDir::new(from).follow_links(true) {
        let entry = entry.map_err(|e| MoveError::Io {
            path: from.to_path_buf(),
            message: e.to_string(),
        })?;
        let Ok(relative) = entry.path().strip_prefix(from) else {
            continue;
        };
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| io_error(&target, e))?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| io_error(entry.path(), e))?;
        }
    }
    Ok(())
}

pub(super) fn io_error(path: &Path, e: std::io::Error) -> MoveError {
    MoveError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}
