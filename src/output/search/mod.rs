//! The search index, built with pagefind as a library while pages render.
//!
//! Article pages are fed to pagefind as rendered HTML (their
//! `data-pagefind-body`, weights, meta and filters are in the templates), from
//! memory, never re-read from disk. Pagefind's methods take `&mut self`, so one
//! thread owns the index on a current-thread runtime; rendering threads hand it
//! pages through a channel, and it feeds them in the order of the site's
//! articles, the order rendering starts them in (so two builds write the same
//! index) as soon as each one's turn comes, which
//! overlaps indexing with rendering. The index lands in `pagefind/` beside the
//! pages, with only the pagefind files the search script loads (not its UI
//! bundles) and kbgen's typo vocabulary (see [`vocabulary`]). The words the
//! script reads queries with are in [`words`].

mod document;
pub mod words;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

pub use document::{document_words, index_document};

use crate::render::PageSink;

/// The folder the index is written to, under the output root.
pub const SEARCH_DIR: &str = "pagefind";

/// A page to index: its output path, its front-matter `keywords`, and its
/// language code (whose vocabulary its words go to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPage {
    pub path: String,
    pub keywords: Vec<String>,
    pub language: String,
}

/// A finished index: its files (relative to [`SEARCH_DIR`]) and what it cost.
pub struct SearchIndex {
    pub files: Vec<(String, Vec<u8>)>,
    pub pages: usize,
    /// Time spent inside pagefind.
    pub elapsed: Duration,
}

/// A page on its way to the indexing thread: its path, the document pagefind
/// reads and the page's words for the vocabulary.
type Indexable = (String, String, Vec<String>);

/// The indexing thread, fed while pages render.
pub struct SearchIndexer {
    pages: Mutex<Sender<Indexable>>,
    keywords: Arc<HashMap<String, Vec<String>>>,
    worker: JoinHandle<Result<SearchIndex, String>>,
}

impl SearchIndexer {
    /// Starts indexing `pages` (by output path; other pages are ignored),
    /// whose URLs are `base_path` + path without `index.html`, in `language`;
    /// with an empty `language` (a multilingual site), pagefind keeps an
    /// index per language, by each page's `<html lang>`, and a page's search
    /// reads the index of its own language; each language gets its own typo
    /// vocabulary of its pages' words (`kbgen-vocabulary.de.gz`).
    pub fn start(pages: Vec<SearchPage>, base_path: &str, language: &str) -> SearchIndexer {
        let (sender, receiver) = mpsc::channel();
        let base_path = base_path.to_string();
        let language = language.to_string();
        let keywords = pages
            .iter()
            .filter(|p| !p.keywords.is_empty())
            .map(|p| (p.path.clone(), p.keywords.clone()))
            .collect();
        let worker =
            std::thread::spawn(move || index_in_order(pages, &base_path, &language, receiver));
        SearchIndexer {
            pages: Mutex::new(sender),
            keywords: Arc::new(keywords),
            worker,
        }
    }

    /// Hands a rendered page to the index (if it is one of its pages). Runs
    /// on the rendering thread, so the page is cut down to what pagefind
    /// reads (see [`index_document`]) and its words are found in parallel,
    /// before the one indexing thread sees it.
    pub fn add(&self, path: &str, html: &[u8]) {
        let html = String::from_utf8_lossy(html);
        let keywords = self.keywords.get(path).map_or(&[][..], Vec::as_slice);
        let document = index_document(&html, keywords).unwrap_or_else(|| html.into_owned());
        let words = document_words(&document);
        if let Ok(sender) = self.pages.lock() {
            let _ = sender.send((path.to_string(), document, words));
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

/// Feeds pages to pagefind in the order of `paths` (the site's article order,
/// which rendering follows), buffering those that arrive before their turn,
/// and counts in how many pages each word appears for the vocabulary.
fn index_in_order(
    searchable: Vec<SearchPage>,
    base_path: &str,
    language: &str,
    pages: Receiver<Indexable>,
) -> Result<SearchIndex, String> {
    // Each language's words make its own vocabulary (one, for a site in one
    // language, whatever its pages say).
    let language_of: HashMap<String, String> = searchable
        .iter()
        .map(|p| {
            let code = if language.is_empty() {
                &p.language
            } else {
                language
            };
            (p.path.clone(), code.to_string())
        })
        .collect();
    let mut page_counts: BTreeMap<String, HashMap<String, u32>> = BTreeMap::new();
    if !language.is_empty() {
        page_counts.insert(language.to_string(), HashMap::new());
    }
    for code in language_of.values() {
        page_counts.entry(code.clone()).or_default();
    }
    let paths: Vec<String> = searchable.into_iter().map(|p| p.path).collect();
    let wanted: HashSet<String> = paths.iter().cloned().collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the search indexer: {e}"))?;
    runtime.block_on(async {
        let config = match language {
            "" => PagefindServiceConfig::builder().build(),
            forced => PagefindServiceConfig::builder()
                .force_language(forced.to_string())
                .build(),
        };
        let mut index =
            PagefindIndex::new(Some(config)).map_err(|e| format!("search index: {e}"))?;
        let mut waiting: BTreeMap<String, String> = BTreeMap::new();
        let mut next = 0;
        let mut busy = Duration::ZERO;
        let mut feed =
            async |index: &mut PagefindIndex, path: &str, html: String| -> Result<(), String> {
                let started = Instant::now();
                let url = format!(
                    "{base_path}{}",
                    path.strip_suffix("index.html").unwrap_or(path)
                );
                index
                    .add_html_file(None, Some(url), html)
                    .await
                    .map_err(|e| format!("search index: {path}: {e}"))?;
                busy += started.elapsed();
                Ok(())
            };
        for (path, html, words) in pages.iter() {
            if !wanted.contains(&path) {
                continue;
            }
            if let Some(counts) = language_of.get(&path).and_then(|c| page_counts.get_mut(c)) {
                for word in words {
                    *counts.entry(word).or_default() += 1;
                }
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
        let files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
            .collect();
        let mut files = published(files);
        for (code, mut counts) in page_counts {
            for stop_word in words::stop_words(&code) {
                counts.remove(&stop_word);
            }
            files.push((
                words::vocabulary_file(&code),
                vocabulary(counts).map_err(|e| format!("search vocabulary: {e}"))?,
            ));
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(SearchIndex {
            files,
            pages: paths.len(),
            elapsed: busy,
        })
    })
}

/// The files of pagefind's output that the search script loads: the engine
/// (`pagefind.js`, its worker and the WebAssembly of the index's languages)
/// and the index itself. Pagefind's own UI bundles and its highlighting
/// script, which kbgen's theme does not use, are left out.
fn published(files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    let wasm: HashSet<String> = files
        .iter()
        .find(|(name, _)| name == "pagefind-entry.json")
        .and_then(|(_, entry)| serde_json::from_slice::<serde_json::Value>(entry).ok())
        .and_then(|entry| {
            let languages = entry.get("languages")?.as_object()?;
            Some(
                languages
                    .values()
                    .map(|l| {
                        let wasm = l.get("wasm").and_then(|w| w.as_str()).unwrap_or("unknown");
                        format!("wasm.{wasm}.pagefind")
                    })
                    .collect(),
            )
        })
        .unwrap_or_default();
    files
        .into_iter()
        .filter(|(name, _)| {
            matches!(
                name.as_str(),
                "pagefind.js" | "pagefind-worker.js" | "pagefind-entry.json"
            ) || name.ends_with(".pf_meta")
                || ["index/", "fragment/", "filter/"]
                    .iter()
                    .any(|dir| name.starts_with(dir))
                || wasm.contains(name)
        })
        .collect()
}

/// The typo vocabulary, the words of the index (see [`document_words`]) that
/// the search script corrects an unknown word to, stop words left out: gzip of the words, one a
/// line, in the order the script prefers them when two are as close to a
/// typo: those in more pages first, then alphabetically.
fn vocabulary(page_counts: HashMap<String, u32>) -> io::Result<Vec<u8>> {
    let mut words: Vec<(String, u32)> = page_counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let text = words
        .into_iter()
        .map(|(word, _)| word)
        .collect::<Vec<_>>()
        .join("\n");
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(text.as_bytes())?;
    gzip.finish()
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn only_the_files_the_script_loads_are_published() {
        let entry =
            br#"{"version":"1.6.0","languages":{"en":{"hash":"en_1","wasm":"en","page_count":2}}}"#;
        let names = [
            "pagefind.js",
            "pagefind-worker.js",
            "pagefind-entry.json",
            "pagefind.en_1.pf_meta",
            "index/en_2.pf_index",
            "fragment/en_3.pf_fragment",
            "filter/en_4.pf_filter",
            "wasm.en.pagefind",
            "wasm.unknown.pagefind",
            "pagefind-ui.js",
            "pagefind-ui.css",
            "pagefind-modular-ui.js",
            "pagefind-component-ui.js",
            "pagefind-highlight.js",
        ];
        let files = names
            .iter()
            .map(|n| {
                (
                    n.to_string(),
                    if *n == "pagefind-entry.json" {
                        entry.to_vec()
                    } else {
                        vec![]
                    },
                )
            })
            .collect();
        let kept: Vec<String> = published(files).into_iter().map(|(n, _)| n).collect();
        assert_eq!(kept, names[..8]);
    }

    #[test]
    fn the_vocabulary_lists_frequent_words_first() {
        let counts = [("sync", 3), ("alpha", 1), ("proxy", 3), ("beta", 2)]
            .into_iter()
            .map(|(w, n)| (w.to_string(), n))
            .collect();
        let gz = vocabulary(counts).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "proxy\nsync\nbeta\nalpha");
    }
}
