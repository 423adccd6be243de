//! Walking `content/`: which files are articles, section indexes, page bundles
//! and assets.
//!
//! The walk is sorted, so every later stage sees files in the same order on every
//! machine. Hidden files, editor leftovers (`*.swp`, `*~`, `.#*`) and `README.md`
//! are not content. A walk error is a diagnostic, never skipped silently.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

/// What the walk found, as paths relative to `content/` with `/` separators.
#[derive(Debug, Default)]
pub struct Listing {
    /// Folders that are sections, parents before children; `""` is the root.
    pub section_dirs: Vec<String>,
    /// `.md` files that are articles (a bundle's `index.md` included).
    pub article_files: Vec<String>,
    /// `_index.md` files.
    pub section_files: Vec<String>,
    /// Every other file.
    pub asset_files: Vec<String>,
    /// Folders holding an `index.md`.
    pub bundle_dirs: HashSet<String>,
}

/// Whether a file or folder name is something the walk passes over.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.eq_ignore_ascii_case("README.md")
}

/// Walks `content_dir`; `display_root` is how paths are shown in diagnostics.
pub fn walk(content_dir: &Path, display_root: &Path) -> (Listing, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    let walker = WalkDir::new(content_dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| display_root.to_path_buf(), Path::to_path_buf);
                problems.push(Diagnostic::error("io", path, format!("cannot read: {e}")));
                continue;
            }
        };
        let Some(relative) = relative_slash_path(content_dir, entry.path()) else {
            continue;
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            dirs.push(relative);
        } else if file_type.is_file() {
            files.push(relative);
        } else {
            problems.push(Diagnostic::warning(
                "io",
                display_root.join(&relative),
                "skipped: not a regular file or folder (symbolic links are not followed)",
            ));
        }
    }
    (classify(dirs, files), problems)
}

fn relative_slash_path(base: &Path, path: &Path) -> Option<String> {
    let relative: PathBuf = path.strip_prefix(base).ok()?.to_path_buf();
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// The folder part of a slash path (`a/b/c.md` → `a/b`, `c.md` → ``).
pub fn parent_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

fn file_name_of(path: &str) -> &str {
    path.rfind('/').map_or(path, |i| &path[i + 1..])
}

fn classify(dirs: Vec<String>, files: Vec<String>) -> Listing {
    let bundle_dirs: HashSet<String> = files
        .iter()
        .filter(|f| file_name_of(f) == "index.md")
        .map(|f| parent_of(f).to_string())
        .filter(|dir| !dir.is_empty())
        .collect();
    let in_bundle = |path: &str| {
        let mut dir = parent_of(path);
        while !dir.is_empty() {
            if bundle_dirs.contains(dir) {
                return true;
            }
            dir = parent_of(dir);
        }
        false
    };
    let mut listing = Listing::default();
    let mut dirs_with_markdown: HashSet<&str> = HashSet::new();
    for file in &files {
        let is_markdown = file.ends_with(".md");
        let bundled = in_bundle(file);
        let is_bundle_index =
            file_name_of(file) == "index.md" && bundle_dirs.contains(parent_of(file));
        if is_bundle_index && !in_bundle(parent_of(file)) {
            listing.article_files.push(file.clone());
        } else if is_markdown && !bundled && file_name_of(file) == "_index.md" {
            listing.section_files.push(file.clone());
        } else if is_markdown && !bundled {
            listing.article_files.push(file.clone());
        } else {
            listing.asset_files.push(file.clone());
            continue;
        }
        let mut dir = parent_of(file);
        if is_bundle_index {
            dir = parent_of(dir);
        }
        loop {
            dirs_with_markdown.insert(dir);
            if dir.is_empty() {
                break;
            }
            dir = parent_of(dir);
        }
    }
    listing.section_dirs.push(String::new());
    listing.section_dirs.extend(
        dirs.iter()
            .filter(|d| {
                dirs_with_markdown.contains(d.as_str())
                    && !bundle_dirs.contains(*d)
                    && !in_bundle(d)
            })
            .cloned(),
    );
    listing.bundle_dirs = bundle_dirs;
    listing
}

/// The site's `static/` folder: output path → file, sorted.
pub fn walk_static(root: &Path, problems: &mut Vec<Diagnostic>) -> BTreeMap<String, PathBuf> {
    let dir = root.join("static");
    let mut files = BTreeMap::new();
    if !dir.is_dir() {
        return files;
    }
    let walker = WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if let Ok(relative) = entry.path().strip_prefix(&dir) {
                    let name = relative.to_string_lossy().replace('\\', "/");
                    files.insert(name, entry.path().to_path_buf());
                }
            }
            Ok(_) => {}
            Err(e) => problems.push(Diagnostic::error(
                "io",
                "static",
                format!("cannot read: {e}"),
            )),
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn bundles_sections_and_asset_folders() {
        let listing = classify(
            s(&["a", "a/img", "b", "b/bundle", "b/bundle/shots", "c"]),
            s(&[
                "a/_index.md",
                "a/one.md",
                "a/img/x.png",
                "b/bundle/index.md",
                "b/bundle/shots/s.png",
                "b/bundle/notes.md",
                "c/only.png",
            ]),
        );
        assert_eq!(listing.section_dirs, s(&["", "a", "b"]));
        assert_eq!(listing.article_files, s(&["a/one.md", "b/bundle/index.md"]));
        assert_eq!(listing.section_files, s(&["a/_index.md"]));
        assert_eq!(
            listing.asset_files,
            s(&[
                "a/img/x.png",
                "b/bundle/shots/s.png",
                "b/bundle/notes.md",
                "c/only.png"
            ])
        );
    }

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".a.md.swp", "a.md~", ".#a.md", "README.md", ".git"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("readme-first.md"));
    }
}
