//! Carrying out a checked move plan, all or nothing, as far as a file system
//! allows: every new text is first written to a hidden file beside the file it
//! replaces (so a full disk fails before anything visible changed); then the
//! one rename of the article or section (atomic on one file system), and of
//! each of the article's translations beside it; then each
//! hidden file is renamed over its file (each atomic). If a step fails, the
//! steps already made are undone in reverse: old texts written back, the
//! rename reversed, hidden files removed. Folders the move left empty are
//! removed at the end.

use std::path::{Path, PathBuf};

use super::paths::io_error;
use super::{MoveError, Plan};

/// Makes the changes of `plan`.
pub fn apply(plan: &Plan) -> Result<(), MoveError> {
    let root = &plan.root;
    let staged = stage(plan)?;
    let created = match rename_with_parents(&root.join(&plan.from), &root.join(&plan.to)) {
        Ok(created) => created,
        Err(e) => {
            remove_all(&staged);
            return Err(e);
        }
    };
    // The translations go beside the article, into a folder that exists now.
    for (index, (from, to)) in plan.translations.iter().enumerate() {
        if let Err(e) = std::fs::rename(root.join(from), root.join(to)) {
            undo(plan, &[], &staged, &created, index);
            return Err(io_error(to, e));
        }
    }
    let mut replaced: Vec<usize> = Vec::new();
    for (index, file) in plan.files.iter().enumerate() {
        let from = staged_after_rename(plan, &staged[index]);
        let to = root.join(&file.after);
        if let Err(e) = std::fs::rename(&from, &to) {
            undo(plan, &replaced, &staged, &created, plan.translations.len());
            return Err(io_error(&to, e));
        }
        replaced.push(index);
    }
    remove_emptied_folders(plan);
    Ok(())
}

/// Removes the folders the rename left empty, up to `content/`: a folder
/// that held only what moved is no part of the site any more, and the move
/// back then leaves the tree as it was. Last, so nothing needs it undone.
fn remove_emptied_folders(plan: &Plan) {
    let content = plan.root.join("content");
    let mut folder = plan.root.join(&plan.from).parent().map(Path::to_path_buf);
    while let Some(dir) = folder.filter(|d| d.starts_with(&content) && *d != content) {
        // `remove_dir` removes only an empty folder.
        if std::fs::remove_dir(&dir).is_err() {
            break;
        }
        folder = dir.parent().map(Path::to_path_buf);
    }
}

/// Writes each new text to a hidden file beside the file it replaces, as
/// the file is now (before the rename).
fn stage(plan: &Plan) -> Result<Vec<PathBuf>, MoveError> {
    let mut staged = Vec::new();
    for file in &plan.files {
        let path = plan.root.join(&file.before);
        let hidden = hidden_beside(&path);
        if let Err(e) = std::fs::write(&hidden, &file.saved) {
            remove_all(&staged);
            let _ = std::fs::remove_file(&hidden);
            return Err(io_error(&hidden, e));
        }
        staged.push(hidden);
    }
    Ok(staged)
}

/// `dir/.name.kbgen-mv`: hidden, so a build that runs meanwhile ignores it.
fn hidden_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.kbgen-mv"))
}

/// Where a hidden file written before the rename is after it: inside the
/// moved folder, it moved along.
fn staged_after_rename(plan: &Plan, staged: &Path) -> PathBuf {
    let from = plan.root.join(&plan.from);
    match staged.strip_prefix(&from) {
        Ok(rest) if plan.folder => plan.root.join(&plan.to).join(rest),
        _ => staged.to_path_buf(),
    }
}

/// Renames `from` to `to`, creating `to`'s missing parent folders; returns
/// the folders it created, deepest first.
fn rename_with_parents(from: &Path, to: &Path) -> Result<Vec<PathBuf>, MoveError> {
    let mut created = Vec::new();
    let mut missing = to.parent();
    while let Some(dir) = missing.filter(|d| !d.exists()) {
        created.push(dir.to_path_buf());
        missing = dir.parent();
    }
    for dir in created.iter().rev() {
        if let Err(e) = std::fs::create_dir(dir) {
            remove_dirs(&created);
            return Err(io_error(dir, e));
        }
    }
    if let Err(e) = std::fs::rename(from, to) {
        remove_dirs(&created);
        return Err(io_error(to, e));
    }
    Ok(created)
}

/// Undoes a move that failed after its rename, with the first `translated`
/// of its translations renamed.
fn undo(
    plan: &Plan,
    replaced: &[usize],
    staged: &[PathBuf],
    created: &[PathBuf],
    translated: usize,
) {
    for &index in replaced.iter().rev() {
        let file = &plan.files[index];
        let _ = std::fs::write(plan.root.join(&file.after), &file.original);
    }
    let left: Vec<PathBuf> = staged
        .iter()
        .enumerate()
        .filter(|(i, _)| !replaced.contains(i))
        .map(|(_, s)| staged_after_rename(plan, s))
        .collect();
    remove_all(&left);
    for (from, to) in plan.translations[..translated].iter().rev() {
        let _ = std::fs::rename(plan.root.join(to), plan.root.join(from));
    }
    let _ = std::fs::rename(plan.root.join(&plan.to), plan.root.join(&plan.from));
    remove_dirs(created);
}

fn remove_all(files: &[PathBuf]) {
    for file in files {
        let _ = std::fs::remove_file(file);
    }
}

fn remove_dirs(dirs: &[PathBuf]) {
    for dir in dirs {
        let _ = std::fs::remove_dir(dir);
    }
}
