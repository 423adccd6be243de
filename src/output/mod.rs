//! Output: where pages and files end up.
//!
//! [`folder`] decides whether a path may be the output folder at all;
//! [`StagingDir`] collects a build in a temporary folder beside the output
//! folder and swaps it in only when the build succeeded (see [`staging`]). [`MemorySink`]
//! keeps pages in memory for tests and the preview server. Paths handed to a
//! sink are checked so nothing is written outside the output folder.

pub mod feeds;
pub mod folder;
mod leftovers;
pub mod llms;
pub mod markdown_copy;
pub mod memory;
mod mount;
pub mod opensearch;
pub mod redirects;
pub mod search;
mod staging;

pub use folder::OutputFolder;
pub use memory::MemorySink;
pub use staging::{remove_on_interrupt, StagingDir};

use std::io;
use std::path::{Component, Path};

use crate::diagnostics::Diagnostic;
use crate::render::PageSink;
use crate::site::Site;
use crate::theme;

/// The search words of each language: its stop words and built-in
/// synonyms, with `search.synonyms` for the default language and each
/// language's own `synonyms:` from `languages:`, and the script's sentences
/// from the language's theme strings.
fn words_by_language(
    site: &Site,
    strings: &crate::render::strings::StringTables,
) -> Vec<(String, search::words::ScriptWords)> {
    (site.languages.iter().enumerate())
        .map(|(l, language)| {
            let code = &language.config.code;
            let mut config = site.config.search.clone();
            if l != 0 {
                config.synonyms.clear();
            }
            config
                .synonyms
                .extend(language.config.synonyms.iter().cloned());
            let words = search::words::script_words(code, &config, strings.get(code));
            (code.clone(), words)
        })
        .collect()
}

/// A relative output path made only of normal parts: no `..`, no root, no drive.
pub(crate) fn checked_relative(path: &str) -> io::Result<&Path> {
    let p = Path::new(path);
    let all_normal = p.components().all(|c| matches!(c, Component::Normal(_)));
    if all_normal && !path.is_empty() {
        Ok(p)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: `{path}`"),
        ))
    }
}

/// A sink that drops everything: `kbgen check` renders every page to find
/// problems and writes nothing.
#[derive(Debug, Default)]
pub struct NullSink;

impl PageSink for NullSink {
    fn write(&self, path: &str, _bytes: &[u8]) -> io::Result<()> {
        checked_relative(path).map(|_| ())
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        checked_relative(path)?;
        std::fs::metadata(from).map(|_| ())
    }
}

/// The files made from the site model alone (sitemap, feed, robots.txt,
/// redirect pages, `_redirects`, `llms.txt`, the OpenSearch description) as the preview server's last run wrote
/// them, by the generation of the model they were made from: a run whose
/// model was reused whole (an edit of an article's body) writes them again
/// as they were instead of making them anew.
#[derive(Default)]
pub struct Generated {
    generation: Option<u64>,
    files: Vec<(String, std::sync::Arc<[u8]>)>,
    notes: Vec<String>,
    /// The parts of those files made for each page, by what each was made
    /// of: a new model makes again only the parts of what changed.
    parts: ModelParts,
}

/// The sitemap's entries and `llms.txt`'s lines, kept between runs.
#[derive(Default)]
struct ModelParts {
    sitemap: feeds::SitemapMemo,
    llms_lines: llms::LineMemo,
}

/// What the preview server keeps between runs of [`write_files`].
pub struct WriteMemory<'a> {
    pub generated: &'a mut Generated,
    /// The generation of the site's model (`site::Model::generation`).
    pub generation: u64,
    pub copies: &'a mut llms::CopyMemo,
}

/// A sink that keeps a copy of what is written through it.
struct Recording<'a> {
    inner: &'a dyn PageSink,
    files: std::sync::Mutex<Vec<(String, std::sync::Arc<[u8]>)>>,
}

impl PageSink for Recording<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_shared(path, std::sync::Arc::from(bytes))
    }

    fn write_shared(&self, path: &str, bytes: std::sync::Arc<[u8]>) -> io::Result<()> {
        if let Ok(mut files) = self.files.lock() {
            files.push((path.to_string(), std::sync::Arc::clone(&bytes)));
        }
        self.inner.write_shared(path, bytes)
    }
}

/// Writes the files made from the whole model (the sitemap and llms.txt
/// list every page), side by side; `parts` keeps their per-page parts for
/// the next run. Returns the notes; problems go to `problems`.
fn write_model_files(
    site: &Site,
    strings: &crate::render::strings::StringTables,
    sink: &dyn PageSink,
    parts: &mut ModelParts,
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let cannot_write =
        |path: &str, e: io::Error| Diagnostic::error("io", path, format!("cannot write: {e}"));
    let ModelParts {
        sitemap,
        llms_lines,
    } = parts;
    let ((notes, errors), (redirected, (index, opensearch))) = rayon::join(
        || feeds::write(site, sink, sitemap),
        || {
            rayon::join(
                || redirects::write(site, strings, sink),
                || {
                    rayon::join(
                        || llms::write_index(site, strings, sink, llms_lines),
                        || opensearch::descriptions(site, strings),
                    )
                },
            )
        },
    );
    problems.extend(
        errors
            .into_iter()
            .map(|e| cannot_write("sitemap, feed or robots.txt", e)),
    );
    for (path, e) in redirected.into_iter().chain(index) {
        problems.push(cannot_write(&path, e));
    }
    for (path, xml) in opensearch {
        if let Err(e) = sink.write(&path, xml.as_bytes()) {
            problems.push(cannot_write(&path, e));
        }
    }
    notes
}

/// Writes everything beside the rendered pages: generated files (sitemap, feed,
/// robots.txt, redirects, the files for language models and OpenSearch), the
/// theme's static files, the site's `static/` over them, and the assets
/// beside articles. Returns notes and problems. With `memory` (the preview
/// server's), the files made from the model alone are taken from it when
/// they were made from the same model, and Markdown copies are made again
/// only for changed articles (see [`llms`]).
pub fn write_files(
    site: &Site,
    strings: &crate::render::strings::StringTables,
    sink: &dyn PageSink,
    memory: Option<WriteMemory<'_>>,
) -> (Vec<String>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let cannot_write =
        |path: &str, e: io::Error| Diagnostic::error("io", path, format!("cannot write: {e}"));
    let (generated, copies) = match memory {
        Some(WriteMemory {
            generated,
            generation,
            copies,
        }) => (Some((generated, generation)), Some(copies)),
        None => (None, None),
    };
    let notes = match generated {
        Some((memory, generation)) if memory.generation == Some(generation) => {
            for (path, bytes) in &memory.files {
                if let Err(e) = sink.write_shared(path, std::sync::Arc::clone(bytes)) {
                    problems.push(cannot_write(path, e));
                }
            }
            memory.notes.clone()
        }
        mut memory => {
            let recording = Recording {
                inner: sink,
                files: Default::default(),
            };
            let mut scratch = ModelParts::default();
            let parts = match &mut memory {
                Some((memory, _)) => &mut memory.parts,
                None => &mut scratch,
            };
            let notes = write_model_files(site, strings, &recording, parts, &mut problems);
            if let Some((memory, generation)) = memory {
                let mut files = recording.files.into_inner().unwrap_or_default();
                // Written from several threads: kept in one order.
                files.sort_by(|a, b| a.0.cmp(&b.0));
                memory.generation = problems.is_empty().then_some(generation);
                memory.files = files;
                memory.notes = notes.clone();
            }
            notes
        }
    };
    // llms-full.txt and the Markdown copies read the articles' bodies: made
    // every run, the copies only for changed articles.
    for (path, e) in llms::write(site, sink, copies) {
        problems.push(cannot_write(&path, e));
    }
    let site_static = &site.static_files;
    // The search script, the theme's or the site's copy of it (`kbgen init`
    // copies the theme), carries the words it reads queries with.
    let with_words = |script: &[u8]| {
        if site.is_multilingual() {
            let words = words_by_language(site, strings);
            return search::words::script_with_words_by_language(script, &words);
        }
        let language = &site.config.language;
        let words =
            search::words::script_words(language, &site.config.search, strings.get(language));
        search::words::script_with_words(script, &words)
    };
    for (name, bytes) in theme::STATIC_FILES {
        if !site_static.contains_key(*name) {
            let bytes = match *name {
                search::words::SCRIPT => std::borrow::Cow::Owned(with_words(bytes)),
                _ => std::borrow::Cow::Borrowed(*bytes),
            };
            if let Err(e) = sink.write(name, &bytes) {
                problems.push(cannot_write(&format!("static/{name}"), e));
            }
        }
    }
    for (name, file) in site_static {
        if name == crate::site::generated::REDIRECTS {
            continue;
        }
        let copied = if name == search::words::SCRIPT {
            std::fs::read(file).and_then(|script| sink.write(name, &with_words(&script)))
        } else {
            sink.copy(name, file)
        };
        if let Err(e) = copied {
            problems.push(Diagnostic::error(
                "io",
                Path::new("static").join(name),
                format!("cannot copy: {e}"),
            ));
        }
    }
    for asset in &site.assets {
        if let Err(e) = sink.copy(&asset.path, &asset.file) {
            problems.push(Diagnostic::error(
                "io",
                &asset.file,
                format!("cannot copy: {e}"),
            ));
        }
    }
    (notes, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_output_are_refused() {
        for bad in ["../x", "/etc/passwd", "a/../../b", ""] {
            assert!(checked_relative(bad).is_err(), "{bad}");
        }
        assert!(checked_relative("a/b/index.html").is_ok());
    }
}
