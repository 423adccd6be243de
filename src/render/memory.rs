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
use crate::content::memo::ArticleMemo;
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
    /// Output path → what the page was made of last time.
    pub(super) pages: HashMap<String, PageRecord>,
    /// Hash of the site view every page sees; when it changes, every page does.
    pub(super) site_view: u64,
    /// The fingerprints of the site's parts when the pages were recorded.
    pub(super) fingerprints: Fingerprints,
    /// Each article's findings against the templates, with the article
    /// they were found in (see `check_against_templates`).
    pub(super) checks: ArticleMemo<Vec<Diagnostic>>,
    /// What the last render found, kept only if its output is published
    /// ([`RenderMemory::commit`]).
    pub(super) pending: Option<Pending>,
}

/// A render's new page records, site view hash and fingerprints.
#[derive(Debug)]
pub(super) struct Pending {
    pub(super) pages: PageChanges,
    pub(super) site_view: u64,
    pub(super) fingerprints: Fingerprints,
}

/// The page records a render made, against the remembered ones.
#[derive(Debug)]
pub(super) enum PageChanges {
    /// Every page's record: the first render, or one whose site view
    /// changed (every page was made again).
    All(HashMap<String, PageRecord>),
    /// The records of the pages made again, and the output paths of pages
    /// that are gone; every other page is as remembered.
    Some {
        changed: Vec<(String, PageRecord)>,
        removed: Vec<String>,
    },
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
        let bodies = self
            .bodies
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match pending.pages {
            PageChanges::All(pages) => {
                let old_pages = std::mem::replace(&mut self.pages, pages);
                // Freeing 10,000 page records takes time the next edit need
                // not wait for.
                std::thread::spawn(move || drop((old_pages, old_prints)));
            }
            PageChanges::Some { changed, removed } => {
                std::thread::spawn(move || drop(old_prints));
                let old = |record: Option<PageRecord>| record.and_then(|r| r.body);
                for path in removed {
                    if let Some(body) = old(self.pages.remove(&path)) {
                        bodies.remove(&body);
                    }
                }
                for (path, record) in changed {
                    let body = record.body;
                    match old(self.pages.insert(path, record)) {
                        Some(was) if Some(was) != body => {
                            bodies.remove(&was);
                        }
                        _ => {}
                    }
                }
            }
        }
        if bodies.len() > self.pages.len() + SPARE_BODIES {
            let current: HashSet<u64> = self.pages.values().filter_map(|p| p.body).collect();
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
        self.pages.keys().map(String::as_str)
    }

    /// Whether `path` is the output path of a page rendered last time.
    pub fn has_page(&self, path: &str) -> bool {
        self.pages.contains_key(path)
    }
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
