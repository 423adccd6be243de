//! What the preview server keeps between loads of `content/`: every parsed
//! Markdown file with the size and modification time it had, and the last
//! walk of the folder. A load reads again only the files whose size or time
//! changed or that the watcher reported, and walks the folder again only when
//! a change may have added, removed or renamed a file.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::front_matter::{FrontMatter, Kind};
use super::{read_markdown, walk, Loaded, SourceText};
use crate::diagnostics::Diagnostic;

/// Files parsed by earlier loads, kept by the preview server: a file whose
/// size and modification time are unchanged, and that is not in `changed`, is
/// not read again.
#[derive(Debug, Default)]
pub struct FileCache {
    pub(super) entries: HashMap<String, CachedFile>,
    /// Files under `content/` (slash paths) to read again whatever their times
    /// say: the watcher reports them, and time stamps can be coarse.
    pub changed: HashSet<String>,
    /// The last walk of `content/` and its problems, reused while the only
    /// changes are edits to Markdown files it found (no file added, removed
    /// or renamed), which saves walking thousands of files per keystroke.
    listing: Option<(walk::Listing, Vec<Diagnostic>)>,
}

impl FileCache {
    /// The listing of `content/`: the last one when the changed files are all
    /// Markdown files it holds and still there, else a new walk.
    pub(super) fn listing(
        &mut self,
        content_dir: &Path,
        display_root: &Path,
    ) -> (walk::Listing, Vec<Diagnostic>) {
        if let Some((listing, problems)) = &self.listing {
            let known = |file: &String| {
                (listing.article_files.contains(file) || listing.section_files.contains(file))
                    && content_dir.join(file).is_file()
            };
            if !self.changed.is_empty() && self.changed.iter().all(known) {
                return (listing.clone(), problems.clone());
            }
        }
        let walked = walk::walk(content_dir, display_root);
        self.listing = Some(walked.clone());
        walked
    }

    /// Makes the next load walk `content/` again (and compare every file's
    /// size and time), for a change the watcher cannot name.
    pub fn forget_listing(&mut self) {
        self.listing = None;
    }

    /// Reads `file` unless the cache holds it unchanged.
    pub(super) fn read(
        &self,
        content_dir: &Path,
        display_root: &Path,
        file: &str,
        kind: Kind,
    ) -> (Loaded, Option<CachedFile>) {
        let stamp = std::fs::metadata(content_dir.join(file))
            .and_then(|m| Ok((m.modified()?, m.len())))
            .ok();
        if let (Some(stamp), Some(cached)) = (stamp, self.entries.get(file)) {
            if cached.stamp == stamp && !self.changed.contains(file) {
                return (
                    (cached.loaded.clone(), cached.problems.clone()),
                    Some(cached.clone()),
                );
            }
        }
        let loaded = read_markdown(content_dir, display_root, file, kind);
        let entry = stamp.map(|stamp| CachedFile {
            stamp,
            loaded: loaded.0.clone(),
            problems: loaded.1.clone(),
        });
        (loaded, entry)
    }

    /// Reads one Markdown article again (whatever its time stamps say) and
    /// keeps it, for a rebuild that knows exactly which file changed.
    pub fn reload_article(
        &mut self,
        root: &Path,
        file: &str,
    ) -> (Option<(Arc<SourceText>, FrontMatter)>, Vec<Diagnostic>) {
        self.changed.insert(file.to_string());
        let (loaded, entry) = self.read(
            &root.join("content"),
            Path::new("content"),
            file,
            Kind::Article,
        );
        self.changed.remove(file);
        match entry {
            Some(entry) => self.entries.insert(file.to_string(), entry),
            None => self.entries.remove(file),
        };
        loaded
    }
}

/// A file as the cache keeps it: its size and time when read, and what
/// reading it gave.
#[derive(Debug, Clone)]
pub(super) struct CachedFile {
    stamp: (std::time::SystemTime, u64),
    loaded: Option<(Arc<SourceText>, FrontMatter)>,
    problems: Vec<Diagnostic>,
}
