//! What the preview server remembers between rebuilds, so a one-file edit
//! re-renders only the pages whose inputs changed: rendered bodies by a key of
//! their inputs, and a hash of each page's view. A one-off build remembers
//! nothing and skips the hashing.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::hash::{Hash, Hasher};
use std::io;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

use super::reads::Fingerprints;
use crate::content::memo::ArticleList;
use crate::diagnostics::Diagnostic;

/// What the preview server remembers between rebuilds. A one-off build uses
/// [`RenderMemory::none`], which remembers nothing and skips the hashing.
#[derive(Debug, Default)]
pub struct RenderMemory {
    /// Whether to remember at all (false for a one-off build).
    pub(super) enabled: bool,
    /// Body key ([`super::pages::BodyInput::key`]) → rendered body and its
    /// problems: only the bodies of the current pages are kept.
    pub(super) bodies: Mutex<HashMap<u64, (String, Vec<Diagnostic>)>>,
    /// Every page of the last render, in the order of its jobs.
    pub(super) pages: Vec<RememberedPage>,
    /// A hash of each output path in `pages` → its index there.
    by_path: HashMap<u64, usize>,
    /// Whether two paths in `pages` have one hash (then a path not found
    /// in `by_path` is looked for in `pages`).
    paths_collide: bool,
    /// The model frame the pages were made in (`site::Model::frame`): while
    /// it is the same, so are the pages, in the same order.
    pub(super) frame: Option<u64>,
    /// Hash of the site view every page sees; when it changes, every page does.
    pub(super) site_view: u64,
    /// The fingerprints of the site's parts when the pages were recorded.
    pub(super) fingerprints: Fingerprints,
    /// Each article's findings against the templates, with the article
    /// they were found in (see `check_against_templates`).
    pub(super) checks: ArticleList<Vec<Diagnostic>>,
    /// What the last render found, kept only if its output is published
    /// ([`RenderMemory::commit`]).
    pub(super) pending: Option<Pending>,
}

/// One page as the last render left it.
#[derive(Debug, Clone)]
pub(super) struct RememberedPage {
    pub(super) job: super::PageJob,
    /// Its output path.
    pub(super) path: String,
    pub(super) record: PageRecord,
}

/// A render's new page records, site view hash, fingerprints and frame.
#[derive(Debug)]
pub(super) struct Pending {
    pub(super) pages: PageChanges,
    pub(super) site_view: u64,
    pub(super) fingerprints: Fingerprints,
    pub(super) frame: Option<u64>,
}

/// The page records a render made, against the remembered ones.
#[derive(Debug)]
pub(super) enum PageChanges {
    /// Every page: the first render, or one in a new frame or with a new
    /// site view.
    All(Vec<RememberedPage>),
    /// The same pages as remembered, with the records of those made again
    /// by their index.
    Some(Vec<(usize, PageRecord)>),
}

/// How many bodies beyond one per remembered page the memory may hold
/// before it drops those no page is made of (bodies of a failed run, or of
/// a page whose body changed while another page had the same one).
const SPARE_BODIES: usize = 256;

/// What a page was made of: the hash of its view, body key and template, the
/// key of its body, and the problems it had.
#[derive(Debug, Clone, Default)]
pub(super) struct PageRecord {
    pub(super) hash: u64,
    pub(super) body: Option<u64>,
    pub(super) problems: Vec<Diagnostic>,
    /// The keys of the site's parts its view read ([`super::reads`]); none
    /// when nothing is remembered.
    pub(super) reads: Option<Arc<[u64]>>,
}

impl RenderMemory {
    /// A memory that keeps bodies and page hashes between rebuilds.
    pub fn new() -> Self {
        RenderMemory {
            enabled: true,
            ..RenderMemory::default()
        }
    }

    /// No memory: every page is rendered, nothing is kept.
    pub fn none() -> Self {
        RenderMemory::default()
    }

    /// Keeps what the last render found: its output was published, and the
    /// next render compares with it. Forgets the bodies no current page is
    /// made of: a changed page's old body at once, and any others once they
    /// are more than [`SPARE_BODIES`], so the memory holds one site's worth
    /// of bodies however many edits came before.
    pub fn commit(&mut self) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        let old_prints = std::mem::replace(&mut self.fingerprints, pending.fingerprints);
        self.site_view = pending.site_view;
        self.frame = pending.frame;
        let bodies = self
            .bodies
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match pending.pages {
            PageChanges::All(pages) => {
                self.by_path.clear();
                self.by_path.reserve(pages.len());
                self.paths_collide = false;
                for (index, page) in pages.iter().enumerate() {
                    let first = self.by_path.insert(path_key(&page.path), index);
                    self.paths_collide |= first.is_some();
                }
                let old_pages = std::mem::replace(&mut self.pages, pages);
                // Freeing 10,000 page records takes time the next edit need
                // not wait for.
                std::thread::spawn(move || drop((old_pages, old_prints)));
            }
            PageChanges::Some(changed) => {
                std::thread::spawn(move || drop(old_prints));
                for (index, record) in changed {
                    let body = record.body;
                    let was = std::mem::replace(&mut self.pages[index].record, record).body;
                    match was {
                        Some(was) if Some(was) != body => {
                            bodies.remove(&was);
                        }
                        _ => {}
                    }
                }
            }
        }
        if bodies.len() > self.pages.len() + SPARE_BODIES {
            let current: HashSet<u64> = self.pages.iter().filter_map(|p| p.record.body).collect();
            bodies.retain(|key, _| current.contains(key));
        }
    }

    /// Forgets what the last render found: its output was not published.
    pub fn discard(&mut self) {
        self.pending = None;
    }

    /// How many bodies are remembered.
    pub fn body_count(&self) -> usize {
        self.bodies.lock().map_or(0, |b| b.len())
    }

    /// Output paths of the pages rendered last time.
    pub fn page_paths(&self) -> impl Iterator<Item = &str> {
        self.pages.iter().map(|p| p.path.as_str())
    }

    /// Whether `path` is the output path of a page rendered last time.
    pub fn has_page(&self, path: &str) -> bool {
        self.page(path).is_some()
    }

    /// The remembered page at output path `path`.
    pub(super) fn page(&self, path: &str) -> Option<&RememberedPage> {
        let found = (self.by_path.get(&path_key(path)))
            .and_then(|&index| self.pages.get(index))
            .filter(|page| page.path == path);
        match found {
            None if self.paths_collide => self.pages.iter().find(|page| page.path == path),
            found => found,
        }
    }
}

/// The key of an output path in [`RenderMemory::by_path`]: a hash, checked
/// against the page's path on every look-up.
fn path_key(path: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path.as_bytes())
}

/// What a page remembers from the last rebuild (serve only).
#[derive(Clone, Copy)]
pub(super) struct Remember<'a> {
    pub(super) bodies: &'a Mutex<HashMap<u64, (String, Vec<Diagnostic>)>>,
    pub(super) previous: Option<&'a PageRecord>,
    /// The hash of this rebuild's site view.
    pub(super) site_view: u64,
}

/// The fingerprints a render compares: the site's now, and when the
/// remembered pages were recorded.
#[derive(Clone, Copy)]
pub(super) struct Compare<'a> {
    pub(super) now: &'a Fingerprints,
    /// The keys whose parts changed since the remembered pages were
    /// recorded ([`Fingerprints::changed_since`]).
    pub(super) changed: &'a rustc_hash::FxHashSet<u64>,
}

impl Compare<'_> {
    /// Whether every part in `keys` has the fingerprint it had when the
    /// page was recorded.
    pub(super) fn unchanged(&self, keys: &[u64]) -> bool {
        self.changed.is_empty() || !keys.iter().any(|k| self.changed.contains(k))
    }

    /// Whether the page `record` was made of can be taken as it was: it
    /// recorded its reads, and none of them changed.
    pub(super) fn keeps(&self, record: &PageRecord) -> bool {
        (record.reads.as_deref()).is_some_and(|keys| self.unchanged(keys))
    }
}

impl Remember<'_> {
    /// Whether the page's inputs hash as last time (so it need not render).
    pub(super) fn unchanged(remember: Option<Self>, hash: u64) -> bool {
        remember.is_some_and(|r| r.previous.is_some_and(|p| p.hash == hash))
    }
}

/// A hash of everything a page is made of besides the templates and site view.
pub(super) fn view_hash<V: Serialize>(view: &V, body_key: u64, template: &str) -> u64 {
    let mut writer = HashWriter(Xxh3::new());
    let _ = serde_json::to_writer(&mut writer, view);
    body_key.hash(&mut writer.0);
    template.hash(&mut writer.0);
    writer.0.finish()
}

struct HashWriter(Xxh3);

impl io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
