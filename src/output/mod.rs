//! Output: where pages and files end up.
//!
//! [`StagingDir`] collects a build in a temporary folder beside the output
//! folder and swaps it in only when the build succeeded, so a failed build leaves
//! the previous site untouched and stale files never survive. [`MemorySink`]
//! keeps pages in memory for tests and the preview server. Paths handed to a
//! sink are checked so nothing is written outside the output folder.

pub mod feeds;
pub mod redirects;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::Diagnostic;
use crate::render::PageSink;
use crate::site::Site;
use crate::theme;

/// A temporary folder that becomes the output folder on [`StagingDir::commit`].
pub struct StagingDir {
    output: PathBuf,
    temp: PathBuf,
}

impl StagingDir {
    /// Creates an empty staging folder next to `output`.
    pub fn create(output: &Path) -> io::Result<StagingDir> {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        fs::create_dir_all(parent)?;
        let temp = parent.join(format!(".{name}.kbgen-tmp-{}", std::process::id()));
        if temp.exists() {
            fs::remove_dir_all(&temp)?;
        }
        fs::create_dir(&temp)?;
        Ok(StagingDir {
            output: output.to_path_buf(),
            temp,
        })
    }

    /// Replaces the output folder with the staged one.
    pub fn commit(self) -> io::Result<()> {
        let old = self.temp.with_file_name(
            self.temp
                .file_name()
                .map(|n| n.to_string_lossy().replace("kbgen-tmp", "kbgen-old"))
                .unwrap_or_default(),
        );
        let had_output = self.output.exists();
        if had_output {
            if old.exists() {
                fs::remove_dir_all(&old)?;
            }
            fs::rename(&self.output, &old)?;
        }
        if let Err(e) = fs::rename(&self.temp, &self.output) {
            if had_output {
                let _ = fs::rename(&old, &self.output);
            }
            return Err(e);
        }
        if had_output {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }

    /// Removes the staging folder, leaving the output folder as it was.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.temp);
    }

    fn target(&self, path: &str) -> io::Result<PathBuf> {
        Ok(self.temp.join(checked_relative(path)?))
    }
}

impl PageSink for StagingDir {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let target = self.target(path)?;
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(target, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let target = self.target(path)?;
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(from, target).map(|_| ())
    }
}

/// A relative output path made only of normal parts: no `..`, no root, no drive.
fn checked_relative(path: &str) -> io::Result<&Path> {
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

/// Pages in memory, by output path.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl MemorySink {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl PageSink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        checked_relative(path)?;
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        files.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

/// Writes everything beside the rendered pages: generated files (sitemap, feed,
/// robots.txt, redirects), the theme's static files, the site's `static/` over
/// them, and the assets beside articles. Returns notes and problems.
pub fn write_files(site: &Site, sink: &dyn PageSink) -> (Vec<String>, Vec<Diagnostic>) {
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

    #[test]
    fn commit_swaps_and_abandon_keeps_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();

        let staging = StagingDir::create(&out).unwrap();
        staging.write("index.html", b"new").unwrap();
        staging.abandon();
        assert!(out.join("stale.html").exists());

        let staging = StagingDir::create(&out).unwrap();
        staging.write("index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert!(!out.join("stale.html").exists());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
