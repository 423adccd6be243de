//! The search index, built with pagefind as a library while pages render.
//!
//! Article pages are fed to pagefind as rendered HTML (their
//! `data-pagefind-body`, weights, meta and filters are in the templates), from
//! memory, never re-read from disk. Pagefind's methods take `&mut self`, so one
//! thread owns the index on a current-thread runtime; rendering threads hand it
//! pages through a channel, and it feeds them in sorted output-path order (so
//! two builds write the same index) as soon as each one's turn comes, which
//! overlaps indexing with rendering. The index and pagefind's own search
//! script land in `pagefind/` beside the pages.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::render::PageSink;

/// The folder the index is written to, under the output root.
pub const SEARCH_DIR: &str = "pagefind";

/// A finished index: its files (relative to [`SEARCH_DIR`]) and what it cost.
pub struct SearchIndex {
    pub files: Vec<(String, Vec<u8>)>,
    pub pages: usize,
    /// Time spent inside pagefind.
    pub elapsed: Duration,
}

/// The indexing thread, fed while pages render.
pub struct SearchIndexer {
    pages: Mutex<Sender<(String, Vec<u8>)>>,
    worker: JoinHandle<Result<SearchIndex, String>>,
}

impl SearchIndexer {
    /// Starts indexing the pages at `paths` (output paths; other pages are
    /// ignored), whose URLs are `base_path` + path without `index.html`.
    pub fn start(paths: Vec<String>, base_path: &str, language: &str) -> SearchIndexer {
        let (sender, receiver) = mpsc::channel();
        let base_path = base_path.to_string();
        let language = language.to_string();
        let worker =
            std::thread::spawn(move || index_in_order(paths, &base_path, &language, receiver));
        SearchIndexer {
            pages: Mutex::new(sender),
            worker,
        }
    }

    /// Hands a rendered page to the index (if it is one of its pages).
    pub fn add(&self, path: &str, html: &[u8]) {
        if let Ok(sender) = self.pages.lock() {
            let _ = sender.send((path.to_string(), html.to_vec()));
        }
    }

    /// Waits for the index; the pages not seen yet are skipped.
    pub fn finish(self) -> Result<SearchIndex, String> {
        drop(self.pages);
        self.worker
            .join()
            .map_err(|_| "the search indexer crashed".to_string())?
    }
}

/// Feeds pages to pagefind in the order of `paths` (sorted), buffering those
/// that arrive before their turn.
fn index_in_order(
    mut paths: Vec<String>,
    base_path: &str,
    language: &str,
    pages: Receiver<(String, Vec<u8>)>,
) -> Result<SearchIndex, String> {
    paths.sort();
    let wanted: std::collections::HashSet<String> = paths.iter().cloned().collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the search indexer: {e}"))?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .build();
        let mut index =
            PagefindIndex::new(Some(config)).map_err(|e| format!("search index: {e}"))?;
        let mut waiting: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut next = 0;
        let mut busy = Duration::ZERO;
        let mut feed =
            async |index: &mut PagefindIndex, path: &str, html: Vec<u8>| -> Result<(), String> {
                let started = Instant::now();
                let url = format!(
                    "{base_path}{}",
                    path.strip_suffix("index.html").unwrap_or(path)
                );
                let html = String::from_utf8_lossy(&html).into_owned();
                index
                    .add_html_file(None, Some(url), html)
                    .await
                    .map_err(|e| format!("search index: {path}: {e}"))?;
                busy += started.elapsed();
                Ok(())
            };
        for (path, html) in pages.iter() {
            if !wanted.contains(&path) {
                continue;
            }
            waiting.insert(path, html);
            while let Some(html) = paths.get(next).and_then(|p| waiting.remove(p)) {
                feed(&mut index, &paths[next], html).await?;
                next += 1;
            }
        }
        // Pages that never came (a failed render) are skipped, the rest fed in order.
        for path in paths.iter().skip(next) {
            if let Some(html) = waiting.remove(path) {
                feed(&mut index, path, html).await?;
            }
        }
        let started = Instant::now();
        let files = index
            .get_files()
            .await
            .map_err(|e| format!("search index: {e}"))?;
        busy += started.elapsed();
        let mut files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(SearchIndex {
            files,
            pages: paths.len(),
            elapsed: busy,
        })
    })
}

/// Passes writes on to `inner` and hands rendered pages to the indexer.
pub struct IndexingSink<'a> {
    pub inner: &'a dyn PageSink,
    pub indexer: &'a SearchIndexer,
}

impl PageSink for IndexingSink<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        if path.ends_with(".html") {
            self.indexer.add(path, bytes);
        }
        self.inner.write(path, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        self.inner.copy(path, from)
    }
}

/// Writes the index files under `pagefind/`.
pub fn write_index(index: &SearchIndex, sink: &dyn PageSink) -> io::Result<()> {
    for (name, contents) in &index.files {
        sink.write(&format!("{SEARCH_DIR}/{name}"), contents)?;
    }
    Ok(())
}
