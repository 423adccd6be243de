//! What the preview server keeps between loads of `content/`: every parsed
//! Markdown file with the size and modification time it had, the articles
//! the last load made of them, the last walk of the folder and the last
//! load's result. A load reads again only the files whose size or time
//! changed or that the watcher reported, reuses the articles of the others
//! as they are while the folder holds the same files, walks the folder
//! again only when a change may have added, removed or renamed a file, and
//! patches the last result when only article files changed (see
//! [`super::patch`]).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::Path;
use std::sync::Arc;

use super::front_matter::{FrontMatter, Kind};
use super::patch::LastLoad;
use super::{read_markdown, walk, Loaded, SourceArticle, SourceText};
use crate::diagnostics::Diagnostic;

/// Files parsed by earlier loads, kept by the preview server: a file whose
/// size and modification time are unchanged, and that is not in `changed`, is
/// not read again. While the last walk is reused (the watcher named every
/// changed file, and each is a file that walk found), files not in `changed`
/// are taken as they were without even a look at their time stamps: at
/// 10,000 files that look is most of a load.
#[derive(Debug, Default)]
pub struct FileCache {
    pub(super) entries: HashMap<String, CachedFile>,
    /// Files under `content/` (slash paths) to read again whatever their times
    /// say: the watcher reports them, and time stamps can be coarse.
    pub changed: HashSet<String>,
    /// The last walk of `content/` and its problems, reused while the only
    /// changes are edits to Markdown files it found (no file added, removed
    /// or renamed), which saves walking thousands of files per keystroke.
    listing: Option<Walked>,
    /// The articles (drafts included) the last load made, by the index of
    /// their file in the listing's `article_files` (`None` for a file left
    /// out). Valid while the listing is the same: an article depends on
    /// nothing but its file, the listing and the snippets it includes (an
    /// article whose snippet was read afresh is made again).
    pub(super) articles: Vec<Option<Arc<SourceArticle>>>,
    /// What the last load made, for the next to patch.
    pub(super) last: Option<LastLoad>,
}

/// The Markdown files of a listing: file → its kind and its index in the
/// listing's list of that kind.
pub(super) type Listed = HashMap<String, (Kind, usize)>;

/// A walk of `content/`, its problems, and, once a load needed it, where
/// each Markdown file is in it.
#[derive(Debug)]
struct Walked {
    listing: Arc<walk::Listing>,
    problems: Vec<Diagnostic>,
    listed: Option<Listed>,
}

/// What a load finds of one file.
pub(super) enum Read {
    /// As the cache holds it.
    Unchanged,
    /// Read now, with the entry to keep (none when it cannot be stamped).
    Fresh(Box<(Loaded, Option<CachedFile>)>),
}

impl FileCache {
    /// The listing of `content/` and whether it is the last one: the last
    /// one when the changed files are all Markdown files it holds and still
    /// there, else a new walk.
    pub(super) fn listing(
        &mut self,
        content_dir: &Path,
        display_root: &Path,
        codes: &super::file_language::Codes,
    ) -> (Arc<walk::Listing>, Vec<Diagnostic>, bool) {
        let walked = self.listing.as_ref();
        if let Some(walked) = walked.filter(|w| w.listing.codes == *codes) {
            let listing = &walked.listing;
            let listed = |file: &String| match &walked.listed {
                Some(listed) => listed.contains_key(file),
                None => {
                    listing.article_files.contains(file)
                        || listing.section_files.contains(file)
                        || listing.snippet_files.contains(file)
                }
            };
            let known = |file: &String| listed(file) && content_dir.join(file).is_file();
            if !self.changed.is_empty() && self.changed.iter().all(known) {
                return (Arc::clone(listing), walked.problems.clone(), true);
            }
        }
        let (listing, problems) = walk::walk(content_dir, display_root, codes);
        let listing = Arc::new(listing);
        self.listing = Some(Walked {
            listing: Arc::clone(&listing),
            problems: problems.clone(),
            listed: None,
        });
        (listing, problems, false)
    }

    /// Makes the next load walk `content/` again (and compare every file's
    /// size and time), for a change the watcher cannot name.
    pub fn forget_listing(&mut self) {
        self.listing = None;
    }

    /// Makes the next load assemble its [`super::Content`] anew rather than
    /// patch the last one, and walk `static/` again: for a change outside
    /// `content/` that the load reads (a static file).
    pub fn forget_content(&mut self) {
        self.last = None;
    }

    /// Finds where each Markdown file of the last walk is in it, unless
    /// known already: the first patch of a walk pays for it, the next ones
    /// look files up by name.
    pub(super) fn index_listing(&mut self) {
        let Some(walked) = self.listing.as_mut() else {
            return;
        };
        if walked.listed.is_some() {
            return;
        }
        let listing = &walked.listing;
        let mut listed = Listed::default();
        let lists = [
            (Kind::Article, &listing.article_files),
            (Kind::Section, &listing.section_files),
            (Kind::Snippet, &listing.snippet_files),
        ];
        for (kind, files) in lists {
            for (i, file) in files.iter().enumerate() {
                listed.insert(file.clone(), (kind, i));
            }
        }
        walked.listed = Some(listed);
    }

    /// Where each Markdown file of the last walk is in it, when
    /// [`FileCache::index_listing`] found it.
    pub(super) fn listed(&self) -> Option<&Listed> {
        self.listing.as_ref()?.listed.as_ref()
    }

    /// Reads `file` unless the cache holds it unchanged. With `trust_changed`
    /// (the walk was reused), a file the cache holds that is not in `changed`
    /// is unchanged without a look at its stamp.
    pub(super) fn read(
        &self,
        content_dir: &Path,
        display_root: &Path,
        file: &str,
        kind: Kind,
        trust_changed: bool,
    ) -> Read {
        if trust_changed && !self.changed.contains(file) && self.entries.contains_key(file) {
            return Read::Unchanged;
        }
        let stamp = std::fs::metadata(content_dir.join(file))
            .and_then(|m| Ok((m.modified()?, m.len())))
            .ok();
        if let (Some(stamp), Some(cached)) = (stamp, self.entries.get(file)) {
            if cached.stamp == stamp && !self.changed.contains(file) {
                return Read::Unchanged;
            }
        }
        let loaded = read_markdown(content_dir, display_root, file, kind);
        let entry = stamp.map(|stamp| CachedFile {
            stamp,
            loaded: loaded.0.clone(),
            problems: loaded.1.clone(),
        });
        Read::Fresh(Box::new((loaded, entry)))
    }

    /// What reading `file` gave, from a fresh read or the cache; keeps the
    /// fresh entry.
    pub(super) fn take(&mut self, file: &str, read: Read) -> Loaded {
        match read {
            Read::Unchanged => match self.entries.get(file) {
                Some(cached) => (cached.loaded.clone(), cached.problems.clone()),
                None => (None, Vec::new()),
            },
            Read::Fresh(fresh) => {
                let (loaded, entry) = *fresh;
                match entry {
                    Some(entry) => self.entries.insert(file.to_string(), entry),
                    None => self.entries.remove(file),
                };
                loaded
            }
        }
    }

    /// The problems the cache holds for `file`.
    pub(super) fn problems(&self, file: &str) -> Vec<Diagnostic> {
        self.entries
            .get(file)
            .map(|cached| cached.problems.clone())
            .unwrap_or_default()
    }

    /// Forgets the entries of files no longer in `listing`.
    pub(super) fn keep_only(&mut self, listing: &walk::Listing) {
        let present: HashSet<&str> = listing
            .article_files
            .iter()
            .chain(&listing.section_files)
            .chain(&listing.snippet_files)
            .map(String::as_str)
            .collect();
        self.entries
            .retain(|file, _| present.contains(file.as_str()));
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
