//! Watching the site's inputs: `content/`, `templates/`, `static/` and
//! `kbgen.yaml`, with a short debounce (50 ms) so an editor's save (often
//! several file events) becomes one rebuild. Editor leftovers are ignored.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

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
    for folder in ["content", "templates", "static"] {
        let path = root.join(folder);
        if path.is_dir() {
            let _ = debouncer.watch(&path, RecursiveMode::Recursive);
        }
    }
}
