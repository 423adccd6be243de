//! Walking `content/`: which files are articles, section indexes, page bundles,
//! snippets (Markdown under `_snippets/`) and assets.
//!
//! The walk is sorted, so every later stage sees files in the same order on every
//! machine. Hidden files, editor leftovers (`*.swp`, `*~`, `.#*`) and the files
//! a repository keeps for its readers (`README.md`, `LICENSE.md`, …, see
//! [`REPOSITORY_FILES`]) are not content. A walk error is a diagnostic, never
//! skipped silently.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

/// What the walk found, as paths relative to `content/` with `/` separators.
#[derive(Debug, Default, Clone)]
pub struct Listing {
    /// Folders that are sections, parents before children; `""` is the root.
    pub section_dirs: Vec<String>,
    /// `.md` files that are articles (a bundle's `index.md` included).
    pub article_files: Vec<String>,
    /// `_index.md` files.
    pub section_files: Vec<String>,
    /// Markdown files under `_snippets/`: never pages, only included.
    pub snippet_files: Vec<String>,
    /// Every other file.
    pub asset_files: Vec<String>,
    /// Folders holding an `index.md`.
    pub bundle_dirs: HashSet<String>,
    /// The languages files were told apart by (see
    /// [`super::file_language`]).
    pub codes: super::file_language::Codes,
}

/// The Markdown files a repository keeps for the people who work on it, not
/// for readers of the site, as GitHub names them. Matched without regard to
/// case, with `-` for `_`, as `.md` or `.markdown` files.
pub const REPOSITORY_FILES: &[&str] = &[
    "README",
    "LICENSE",
    "LICENCE",
    "CHANGELOG",
    "CONTRIBUTING",
    "CODE_OF_CONDUCT",
    "SECURITY",
];

/// Whether a file or folder name is something the walk passes over: hidden
/// names (`.git`, `.env`, `.DS_Store`), editor backups and the
/// [`REPOSITORY_FILES`]. The one hidden folder kept is `.well-known` (RFC
/// 8615: `security.txt`, app links), which a site publishes from `static/`.
pub fn is_ignored_name(name: &str) -> bool {
    (name.starts_with('.') && name != ".well-known")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || is_repository_file(name)
}

/// `README.md`, `license.markdown`, `Code-of-Conduct.md`: see [`REPOSITORY_FILES`].
fn is_repository_file(name: &str) -> bool {
    let Some((stem, extension)) = name.rsplit_once('.') else {
        return false;
    };
    let markdown =
        extension.eq_ignore_ascii_case("md") || extension.eq_ignore_ascii_case("markdown");
    let stem = stem.replace('-', "_");
    markdown
        && REPOSITORY_FILES
            .iter()
            .any(|file| stem.eq_ignore_ascii_case(file))
}

/// Walks `content_dir`; `display_root` is how paths are shown in diagnostics.
pub fn walk(
    content_dir: &Path,
    display_root: &Path,
    codes: &super::file_language::Codes,
) -> (Listing, Vec<Diagnostic>) {
    let (entries, mut problems) = walk_folder(content_dir, display_root);
    for (path, is_dir) in &entries {
        if *is_dir && path.ends_with(".md") {
            problems.push(
                Diagnostic::warning(
                    "path",
                    display_root.join(path),
                    "a folder named like a Markdown file is not an article",
                )
                .with_help("rename the folder, or put the article in a file"),
            );
        }
    }
    let (dirs, files) = entries
        .into_iter()
        .partition::<Vec<_>, _>(|(_, is_dir)| *is_dir);
    let dirs = dirs.into_iter().map(|(path, _)| path).collect();
    let files = files.into_iter().map(|(path, _)| path).collect();
    let mut listing = classify(dirs, files);
    problems.extend(super::languages::sort_languages(&mut listing, codes));
    listing.codes = codes.clone();
    (listing, problems)
}

/// Every file and folder under `dir` (sorted, ignored names pruned) as slash
/// paths relative to `dir`, with whether it is a folder.
///
/// Symbolic links are followed while they stay inside the site (the parent of
/// `dir`); one that points out of it, a link loop, or anything that is not a
/// file or folder (a FIFO, a socket) is an error and is skipped, so content can
/// never make kbgen read outside the site. The same holds for `dir` itself:
/// a `static/` that links out of the site is an error, and nothing below it is
/// read.
pub fn walk_folder(dir: &Path, display_root: &Path) -> (Vec<(String, bool)>, Vec<Diagnostic>) {
    let site_root = dir
        .parent()
        .and_then(|root| root.canonicalize().ok())
        .unwrap_or_else(|| dir.to_path_buf());
    if let Some(problem) = folder_outside_site(dir, &site_root, display_root) {
        return (Vec::new(), vec![problem]);
    }
    let problems = std::cell::RefCell::new(Vec::new());
    let shown = |path: &Path| match path.strip_prefix(dir) {
        Ok(relative) => display_root.join(relative),
        Err(_) => path.to_path_buf(),
    };
    let walker = WalkDir::new(dir)
        .min_depth(1)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if is_ignored_name(&e.file_name().to_string_lossy()) {
                return false;
            }
            if !e.path_is_symlink() {
                return true;
            }
            match e.path().canonicalize() {
                Ok(target) if target.starts_with(&site_root) => true,
                Ok(target) => {
                    problems.borrow_mut().push(
                        Diagnostic::error(
                            "path",
                            shown(e.path()),
                            format!(
                                "symbolic link points outside the site, to {}",
                                target.display()
                            ),
                        )
                        .with_help("copy the file into the site instead of linking to it"),
                    );
                    false
                }
                Err(error) => {
                    problems.borrow_mut().push(Diagnostic::error(
                        "path",
                        shown(e.path()),
                        format!("broken symbolic link: {error}"),
                    ));
                    false
                }
            }
        });
    let mut entries = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map_or_else(|| display_root.to_path_buf(), shown);
                let message = match e.loop_ancestor() {
                    Some(ancestor) => format!(
                        "symbolic link loop: it points back to {}",
                        shown(ancestor).display()
                    ),
                    None => format!(
                        "cannot read: {}",
                        e.io_error()
                            .map_or_else(|| e.to_string(), ToString::to_string)
                    ),
                };
                problems
                    .borrow_mut()
                    .push(Diagnostic::error("path", path, message));
                continue;
            }
        };
        if entry.file_name().to_str().is_none() {
            problems.borrow_mut().push(Diagnostic::error(
                "path",
                shown(entry.path()),
                "the file name is not valid UTF-8; rename the file",
            ));
            continue;
        }
        let Some(relative) = relative_slash_path(dir, entry.path()) else {
            continue;
        };
        let file_type = entry.file_type();
        if file_type.is_dir() || file_type.is_file() {
            entries.push((relative, file_type.is_dir()));
        } else {
            problems.borrow_mut().push(
                Diagnostic::error(
                    "path",
                    display_root.join(&relative),
                    "not a regular file or folder (a FIFO, socket or device)",
                )
                .with_help("remove it from the site"),
            );
        }
    }
    (entries, problems.into_inner())
}

/// An error when `dir`, through a symbolic link on the way, is outside the
/// site; a folder that does not exist is the walk's to report.
fn folder_outside_site(dir: &Path, site_root: &Path, display_root: &Path) -> Option<Diagnostic> {
    let target = dir.canonicalize().ok()?;
    if target.starts_with(site_root) {
        return None;
    }
    Some(
        Diagnostic::error(
            "path",
            display_root,
            format!(
                "the folder is a symbolic link to outside the site, to {}",
                target.display()
            ),
        )
        .with_help("copy the files into the site instead of linking to them"),
    )
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
        .filter(|f| file_name_of(f) == "index.md" && !super::snippets::is_snippet_file(f))
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
        if super::snippets::is_snippet_file(file) {
            listing.snippet_files.push(file.clone());
            continue;
        } else if is_bundle_index && !in_bundle(parent_of(file)) {
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
    if !dir.is_dir() {
        return BTreeMap::new();
    }
    let (entries, found) = walk_folder(&dir, Path::new("static"));
    problems.extend(found);
    entries
        .into_iter()
        .filter(|(_, is_dir)| !is_dir)
        .map(|(name, _)| {
            let file = dir.join(&name);
            (name, file)
        })
        .collect()
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

    #[test]
    fn repository_files_are_not_content_in_any_case_or_markdown_extension() {
        for name in [
            "LICENSE.md",
            "license.markdown",
            "Licence.md",
            "CHANGELOG.md",
            "CONTRIBUTING.MD",
            "CODE_OF_CONDUCT.md",
            "code-of-conduct.md",
            "SECURITY.md",
            "readme.markdown",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        for name in [
            "security.txt",
            "LICENSE",
            "license-keys.md",
            "changelog-2026.md",
        ] {
            assert!(!is_ignored_name(name), "{name}");
        }
    }
}
