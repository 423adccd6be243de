//! A small harness for fixture sites: write files into a temporary site, build
//! it in memory, and query the pages with CSS selectors.
#![allow(dead_code)]

pub mod git;
pub mod http;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kbgen::build::{build_site, BuildOptions};
use kbgen::diagnostics::{Diagnostic, Report};
use kbgen::output::MemorySink;
use scraper::{Html, Selector};

pub struct TestSite {
    /// The site's folder, removed with the site (none for [`TestSite::at`]).
    _dir: Option<tempfile::TempDir>,
    options: BuildOptions,
}

impl TestSite {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = BuildOptions {
            root: dir.path().to_path_buf(),
            ..BuildOptions::default()
        };
        TestSite {
            _dir: Some(dir),
            options,
        }
    }

    /// A site in a folder the caller owns (inside a repository, say).
    pub fn at(root: &Path) -> Self {
        std::fs::create_dir_all(root).expect("site folder");
        TestSite {
            _dir: None,
            options: BuildOptions {
                root: root.to_path_buf(),
                ..BuildOptions::default()
            },
        }
    }

    /// Writes a file under the site root, creating folders.
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let target = self.options.root.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, contents).unwrap();
        self
    }

    /// An article with the given front matter lines and body.
    pub fn article(self, path: &str, front: &str, body: &str) -> Self {
        self.file(path, format!("---\n{front}\n---\n{body}"))
    }

    pub fn drafts(mut self) -> Self {
        self.options.drafts = kbgen::build::Drafts::Include;
        self
    }

    /// Builds the search index and page, as `kbgen build` does.
    pub fn search(mut self) -> Self {
        self.options.search = true;
        self
    }

    pub fn base_url(mut self, url: &str) -> Self {
        self.options.base_url = Some(url.to_string());
        self
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.options.root.join(relative)
    }

    pub fn build(&self) -> Built {
        let sink = MemorySink::default();
        let outcome = match build_site(&self.options, &sink) {
            Ok(outcome) => outcome,
            Err(e) => panic!("setup error: {e:?}"),
        };
        Built {
            files: sink.into_files(),
            report: outcome.report,
        }
    }

    /// Builds and fails the test on any error.
    pub fn build_ok(&self) -> Built {
        let built = self.build();
        let errors: Vec<String> = built.errors().iter().map(|d| d.headline()).collect();
        assert!(errors.is_empty(), "build errors:\n{}", errors.join("\n"));
        built
    }
}

pub struct Built {
    pub files: BTreeMap<String, Vec<u8>>,
    pub report: Report,
}

impl Built {
    pub fn errors(&self) -> Vec<&Diagnostic> {
        self.report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect()
    }

    pub fn warnings(&self) -> Vec<&Diagnostic> {
        self.report
            .diagnostics
            .iter()
            .filter(|d| !d.is_error())
            .collect()
    }

    pub fn has(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    pub fn text(&self, path: &str) -> String {
        let bytes = self.files.get(path).unwrap_or_else(|| {
            panic!(
                "no file {path}; have: {:?}",
                self.files.keys().collect::<Vec<_>>()
            )
        });
        String::from_utf8(bytes.clone()).unwrap()
    }

    /// The page at a site URL path such as `/a/b/`.
    pub fn page(&self, url: &str) -> Html {
        let path = url.trim_start_matches('/');
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        Html::parse_document(&self.text(&file))
    }

    /// Texts of the elements matching `selector` on the page, whitespace folded.
    pub fn texts(&self, url: &str, selector: &str) -> Vec<String> {
        let page = self.page(url);
        let selector = Selector::parse(selector).unwrap();
        page.select(&selector)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// Values of `attribute` on the elements matching `selector`.
    pub fn attrs(&self, url: &str, selector: &str, attribute: &str) -> Vec<String> {
        let page = self.page(url);
        let selector = Selector::parse(selector).unwrap();
        page.select(&selector)
            .filter_map(|e| e.value().attr(attribute).map(str::to_string))
            .collect()
    }

    /// The inner HTML of `<main>`, for snapshots.
    pub fn main_html(&self, url: &str) -> String {
        let page = self.page(url);
        let selector = Selector::parse("main").unwrap();
        let main = page.select(&selector).next().expect("a <main> element");
        main.inner_html()
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Every file under `root`, by path relative to it, with its bytes.
pub fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(root).unwrap().display().to_string();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// A small deterministic random source (xorshift64*), for generated test
/// inputs that replay from their seed.
pub struct Random(u64);

impl Random {
    /// A source from a seed (any value, 0 included).
    pub fn new(seed: u64) -> Random {
        Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// A source from a raw, non-zero state.
    pub fn with_state(state: u64) -> Random {
        Random(state)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// The preview's served site, every file read.
pub fn served(preview: &kbgen::build::preview::Preview) -> BTreeMap<String, Vec<u8>> {
    preview
        .served()
        .files
        .iter()
        .map(|(path, entry)| (path.clone(), entry.read().unwrap()))
        .collect()
}
