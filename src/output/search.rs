//! The search index, built with pagefind as a library while pages render.
//!
//! Article pages are fed to pagefind as rendered HTML (their
//! `data-pagefind-body`, weights, meta and filters are in the templates), from
//! memory, never re-read from disk. Pagefind's methods take `&mut self`, so one
//! thread owns the index on a current-thread runtime; rendering threads hand it
//! pages through a channel, and it feeds them in the order of the site's
//! articles, the order rendering starts them in (so two builds write the same
//! index) as soon as each one's turn comes, which
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
    pages: Mutex<Sender<(String, String)>>,
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

    /// Hands a rendered page to the index (if it is one of its pages). Runs
    /// on the rendering thread, so the page is cut down to what pagefind
    /// reads (see [`index_document`]) in parallel, before the one indexing
    /// thread sees it.
    pub fn add(&self, path: &str, html: &[u8]) {
        let html = String::from_utf8_lossy(html);
        let document = index_document(&html).unwrap_or_else(|| html.into_owned());
        if let Ok(sender) = self.pages.lock() {
            let _ = sender.send((path.to_string(), document));
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
/// which rendering follows), buffering those that arrive before their turn.
fn index_in_order(
    paths: Vec<String>,
    base_path: &str,
    language: &str,
    pages: Receiver<(String, String)>,
) -> Result<SearchIndex, String> {
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

/// The part of a page pagefind reads: the `<html>` tag (its `lang`), the
/// `<title>`, and the one element marked `data-pagefind-body`, whose content
/// is all pagefind indexes when a site marks one (its meta, filters, weights
/// and headings are inside it in kbgen's templates). Parsing this instead of
/// the whole page (navigation, related lists, footer) halves pagefind's work.
/// `None` when the page has no such single element or it cannot be cut out
/// cleanly; the whole page is indexed then.
pub fn index_document(html: &str) -> Option<String> {
    let marker = html.find(" data-pagefind-body")?;
    if html[marker + 1..].contains(" data-pagefind-body") {
        return None;
    }
    let start = html[..marker].rfind('<')?;
    let name: String = html[start + 1..marker]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let end = element_end(html, start, &name)?;
    let root_start = html.find("<html")?;
    let root_end = root_start + html[root_start..].find('>')? + 1;
    let title = html
        .find("<title>")
        .and_then(|t| Some(&html[t..t + html[t..].find("</title>")? + "</title>".len()]))
        .unwrap_or("");
    Some(format!(
        "{}<head>{title}</head><body>{}</body></html>",
        &html[root_start..root_end],
        without_code_spans(&html[start..end])
    ))
}

/// `html` without the highlighting `<span class="…">` tags inside `<pre>`
/// blocks: they hold a third of an article's elements and none of its words.
/// The text pagefind reads is the same (spans are inline, so no word is split
/// or joined).
fn without_code_spans(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(pre) = rest.find("<pre") {
        let Some(pre_end) = rest[pre..].find("</pre>").map(|e| pre + e) else {
            break;
        };
        out.push_str(&rest[..pre]);
        let mut code = &rest[pre..pre_end];
        let next_tag = |code: &str| match (code.find("<span class=\""), code.find("</span>")) {
            (Some(open), Some(close)) => Some(open.min(close)),
            (open, close) => open.or(close),
        };
        while let Some(tag) = next_tag(code) {
            out.push_str(&code[..tag]);
            let Some(tag_end) = code[tag..].find('>') else {
                break;
            };
            code = &code[tag + tag_end + 1..];
        }
        out.push_str(code);
        rest = &rest[pre_end..];
    }
    out.push_str(rest);
    out
}

/// Where the element `<name …>` opening at `start` ends (after its closing
/// tag), counting nested elements of the same name.
fn element_end(html: &str, start: usize, name: &str) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut depth = 0usize;
    let mut at = start;
    loop {
        let next_open = html[at..].find(&open).map(|i| at + i);
        let next_close = html[at..].find(&close).map(|i| at + i)?;
        match next_open {
            Some(o) if o < next_close => {
                let after = html[o + open.len()..].chars().next();
                if matches!(after, Some(c) if c == '>' || c.is_ascii_whitespace()) {
                    depth += 1;
                }
                at = o + open.len();
            }
            _ => {
                depth = depth.checked_sub(1)?;
                at = next_close + close.len();
                if depth == 0 {
                    return Some(at);
                }
            }
        }
    }
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

    const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Reset · Help</title>\
        <meta name=\"x\"></head><body><nav><a href=\"/\">Home</a></nav><main>\
        <div class=\"layout\"><div data-pagefind-body><h1>Reset</h1><div><p>Run:</p>\
        <pre class=\"hl-code\"><code><span class=\"hl-variable\">sky</span> <span class=\"hl-meta\">\
        --user <span class=\"hl-string\">&lt;span&gt;</span></span>\n</code></pre></div></div>\
        <aside>Related</aside></div></main></body></html>";

    #[test]
    fn the_index_document_keeps_lang_title_and_body_without_code_spans() {
        assert_eq!(
            index_document(PAGE).unwrap(),
            "<html lang=\"en\"><head><title>Reset · Help</title></head><body>\
             <div data-pagefind-body><h1>Reset</h1><div><p>Run:</p>\
             <pre class=\"hl-code\"><code>sky --user &lt;span&gt;\n</code></pre></div></div>\
             </body></html>"
        );
    }

    #[test]
    fn pages_without_one_clear_body_are_indexed_whole() {
        assert_eq!(index_document("<html><body><p>x</p></body></html>"), None);
        let two = PAGE.replace("<aside>", "<aside data-pagefind-body>");
        assert_eq!(index_document(&two), None);
        let unclosed = PAGE.replace("</div></div>\n        <aside>", "");
        assert_eq!(index_document(&unclosed.replace("</div>", "")), None);
    }
}
