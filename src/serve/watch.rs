//! Watching the site's inputs: `content/`, `templates/`, `static/`, `i18n/`
//! and `kbgen.yaml`, with a short debounce (50 ms) so an editor's save (often
//! several file events) becomes one rebuild. Editor leftovers are ignored.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::build::Changes;
use crate::content::walk::is_ignored_name;

pub const DEBOUNCE: Duration = Duration::from_millis(50);

pub type Watcher = Debouncer<RecommendedWatcher, RecommendedCache>;

/// Starts watching `root`; each batch of changed paths is sent to `changes`.
pub fn watch(root: &Path, changes: Sender<Vec<PathBuf>>) -> Result<Watcher, String> {
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        // Reading files (as every rebuild does) is an event too: only changes count.
        let paths: Vec<PathBuf> = events
            .iter()
            .filter(|event| !event.kind.is_access() && !event.kind.is_other())
            .flat_map(|event| event.paths.iter().cloned())
            .filter(|path| {
                !path
                    .file_name()
                    .is_some_and(|n| is_ignored_name(&n.to_string_lossy()))
            })
            .collect();
        if !paths.is_empty() {
            let _ = changes.send(paths);
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    // The root itself (not recursively) sees kbgen.yaml and folders appear.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    watch_inputs(&mut debouncer, root);
    Ok(debouncer)
}

/// Watches the input folders that exist (called again when one appears).
pub fn watch_inputs(debouncer: &mut Watcher, root: &Path) {
    for folder in [
        "content",
        "templates",
        "static",
        crate::render::strings::STRINGS_DIR,
    ] {
        let path = root.join(folder);
        if path.is_dir() {
            let _ = debouncer.watch(&path, RecursiveMode::Recursive);
        }
    }
}

/// Sorts changed paths (absolute, or relative to the working directory) by
/// what they require. A path is placed by where it is, not where a link on
/// it leads (a file replaced by a link is a change where the file was), and
/// the root counts whether it is named through a link or not. A change
/// elsewhere in the root (a file an article links to, or a folder that
/// appeared) makes the next run look at every file again; kbgen's own
/// folders (the highlight cache, a staging folder) and hidden names do not.
pub fn changes_from_paths(root: &Path, paths: &[PathBuf]) -> Changes {
    let mut changes = Changes::default();
    let absolute = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let canonical = root.canonicalize().unwrap_or_else(|_| absolute.clone());
    for path in paths {
        let candidates = [real_folder(path), path.clone()];
        let Some(relative) = candidates.iter().find_map(|path| {
            path.strip_prefix(&canonical)
                .or_else(|_| path.strip_prefix(&absolute))
                .ok()
                .map(|r| r.to_string_lossy().replace('\\', "/"))
        }) else {
            continue;
        };
        let top = relative.split('/').next().unwrap_or_default();
        if let Some(file) = relative.strip_prefix("content/") {
            changes.content.insert(file.to_string());
        } else if matches!(top, "content" | "templates" | "static")
            || top == crate::render::strings::STRINGS_DIR
            || relative == crate::config::CONFIG_FILE
        {
            changes.everything = true;
        } else if !relative.is_empty() && !top.starts_with('.') {
            changes.rescan = true;
        }
    }
    changes
}

/// `path` with its folder made canonical, but not the file itself: a file
/// replaced by a symbolic link is a change where the link is, not where it
/// points.
fn real_folder(path: &Path) -> PathBuf {
    let real = match (path.parent(), path.file_name()) {
        (Some(folder), Some(name)) => folder.canonicalize().map(|f| f.join(name)),
        _ => path.canonicalize(),
    };
    real.unwrap_or_else(|_| path.to_path_buf())
}
