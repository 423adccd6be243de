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

/// Writes everything beside the rendered pages: generated files (sitemap, feed,
/// robots.txt, redirects, the files for language models and OpenSearch), the
/// theme's static files, the site's `static/` over them, and the assets
/// beside articles. `copies` keeps the Markdown copies between a session's
/// runs (see [`llms`]). Returns notes and problems.
pub fn write_files(
    site: &Site,
    sink: &dyn PageSink,
    copies: Option<&mut llms::CopyMemo>,
) -> (Vec<String>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let cannot_write =
        |path: &str, e: io::Error| Diagnostic::error("io", path, format!("cannot write: {e}"));
    let (notes, errors) = feeds::write(site, sink);
    problems.extend(
        errors
            .into_iter()
            .map(|e| cannot_write("sitemap, feed or robots.txt", e)),
    );
    for (path, e) in redirects::write(site, sink) {
        problems.push(cannot_write(&path, e));
    }
    for (path, e) in llms::write(site, sink, copies) {
        problems.push(cannot_write(&path, e));
    }
    if let Some(xml) = opensearch::description(site) {
        if let Err(e) = sink.write(crate::site::generated::OPENSEARCH, xml.as_bytes()) {
            problems.push(cannot_write(crate::site::generated::OPENSEARCH, e));
        }
    }
    let site_static = &site.static_files;
    for (name, bytes) in theme::STATIC_FILES {
        if !site_static.contains_key(*name) {
            if let Err(e) = sink.write(name, bytes) {
                problems.push(cannot_write(&format!("static/{name}"), e));
            }
        }
    }
    for (name, file) in site_static {
        if name == crate::site::generated::REDIRECTS {
            continue;
        }
        if let Err(e) = sink.copy(name, file) {
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
