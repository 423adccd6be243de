//! Files and old URLs: where assets are copied, the static and generated files
//! links may point at, files that would overwrite a page, and the redirect
//! pages for `aliases`.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use super::urls::{AliasClash, Target, UrlTable};
use super::{generated, parent_dir, Article, Asset, Redirect, Section};
use crate::content::SourceArticle;
use crate::diagnostics::Diagnostic;

/// Decides where each asset is copied: beside its page bundle, or under the
/// output path of the section whose folder holds it.
pub(super) fn place_assets(
    sources: Vec<crate::content::SourceAsset>,
    sections: &[Section],
    articles: &[Article],
    urls: &mut UrlTable,
) -> Vec<Asset> {
    let bundles: HashMap<&str, &Article> = articles
        .iter()
        .filter_map(|a| a.source.bundle_dir.as_deref().map(|dir| (dir, a)))
        .collect();
    let section_dirs: HashMap<&str, &Section> = sections
        .iter()
        .map(|s| (s.source.content_path.as_str(), s))
        .collect();
    let mut assets = Vec::with_capacity(sources.len());
    for source in sources {
        let mut dir = parent_dir(&source.content_path);
        let owner_path = loop {
            if let Some(article) = bundles.get(dir) {
                break Some((dir, article.path.as_str()));
            }
            if let Some(section) = section_dirs.get(dir) {
                break Some((dir, section.path.as_str()));
            }
            if dir.is_empty() {
                break None;
            }
            dir = parent_dir(dir);
        };
        let (owner_dir, owner_out) = owner_path.unwrap_or(("", ""));
        let rest = source.content_path[owner_dir.len()..].trim_start_matches('/');
        let path = format!("{owner_out}{rest}");
        urls.insert_asset(&source.content_path, path.clone());
        assets.push(Asset {
            file: source.file,
            path,
        });
    }
    assets
}

/// Static files (the theme's and the site's) and generated files, so links to
/// them can be checked.
pub(super) fn register_files(urls: &mut UrlTable, static_files: &BTreeMap<String, PathBuf>) {
    for (name, _) in crate::theme::STATIC_FILES {
        urls.insert_file(name);
    }
    for name in static_files.keys() {
        urls.insert_file(name);
    }
    for name in generated::ALL {
        urls.insert_file(name);
    }
}

/// A static file or asset whose output path is a page's `index.html` would
/// replace the page: an error naming both.
pub(super) fn check_file_collisions(
    urls: &UrlTable,
    sections: &[Section],
    articles: &[Article],
    assets: &[Asset],
    static_files: &BTreeMap<String, PathBuf>,
    problems: &mut Vec<Diagnostic>,
) {
    let sources = static_files
        .keys()
        .map(|name| (name.clone(), PathBuf::from("static").join(name)))
        .chain(assets.iter().map(|a| {
            let shown = a
                .file
                .iter()
                .skip_while(|part| *part != "content")
                .collect::<PathBuf>();
            (a.path.clone(), shown)
        }));
    for (output, shown) in sources {
        let Some(page) = output.strip_suffix("index.html") else {
            continue;
        };
        let Some(target) = urls.page(page) else {
            continue;
        };
        let what = match target {
            Target::Article(id) => {
                format!("the page of {}", articles[id].source.source.path.display())
            }
            Target::Section(id) => format!(
                "the section page content/{}",
                sections[id].source.content_path
            )
            .trim_end_matches('/')
            .to_string(),
            _ => "a generated page".to_string(),
        };
        problems.push(
            Diagnostic::error(
                "url-collision",
                shown,
                format!("this file and {what} both want /{output}"),
            )
            .with_help("rename or remove the file"),
        );
    }
}

/// Registers every article's `aliases`; a malformed alias, or one that takes a
/// page's or another alias's URL, is an error naming both files.
pub(super) fn register_aliases(
    urls: &mut UrlTable,
    articles: &[Article],
    base_path: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Redirect> {
    let mut redirects = Vec::new();
    for (id, article) in articles.iter().enumerate() {
        let file = &article.source.source.path;
        let file_path = file;
        for alias in &article.source.front.aliases {
            let offset = front_matter_entry(&article.source, "aliases", alias);
            let text = &article.source.source.text;
            let Some(path) = alias_path(alias, base_path) else {
                problems.push(
                    Diagnostic::error(
                        "alias",
                        file,
                        format!("alias `{alias}` is not a path of this site"),
                    )
                    .at_offset(text, offset)
                    .with_help("write the old URL's path, such as `/old/section/page/`"),
                );
                continue;
            };
            match urls.insert_alias(&path, id) {
                Ok(()) => redirects.push(Redirect { path, article: id }),
                Err(clash) => {
                    let other = match clash {
                        AliasClash::Page(Target::Article(other)) => {
                            format!(
                                "the page of {}",
                                articles[other].source.source.path.display()
                            )
                        }
                        AliasClash::Page(_) => "a section or taxonomy page".to_string(),
                        AliasClash::File(file) => {
                            problems.push(
                                Diagnostic::error(
                                    "alias",
                                    file_path,
                                    format!("alias `{alias}` collides with a file the build writes at /{file}"),
                                )
                                .at_offset(text, offset),
                            );
                            continue;
                        }
                        AliasClash::Alias(other) => {
                            format!(
                                "an alias of {}",
                                articles[other].source.source.path.display()
                            )
                        }
                    };
                    problems.push(
                        Diagnostic::error(
                            "alias",
                            file,
                            format!("alias `{alias}` collides with {other} at /{path}"),
                        )
                        .at_offset(text, offset),
                    );
                }
            }
        }
    }
    redirects.sort_by(|a, b| a.path.cmp(&b.path));
    redirects
}

/// The byte offset of `entry` under the front-matter `key` of an article, for
/// diagnostics about list entries (`related`, `aliases`).
pub(crate) fn front_matter_entry(article: &SourceArticle, key: &str, entry: &str) -> usize {
    let front_matter = &article.source.text[..article.source.body_start];
    let after_key = crate::content::front_matter::key_offset(
        &article.source.text,
        article.source.body_start,
        key,
    )
    .unwrap_or(0);
    front_matter[after_key..]
        .find(entry)
        .map_or(after_key, |i| after_key + i)
}

/// An alias as an output path: `/old/page` → `old/page/`, `/old.html` →
/// `old.html`; `None` for anything that could leave the output folder.
fn alias_path(alias: &str, base_path: &str) -> Option<String> {
    let path = alias.trim();
    if path.contains("://") || path.contains('\\') || path.contains('?') || path.contains('#') {
        return None;
    }
    let path = path.trim_start_matches('/');
    let base = base_path.trim_start_matches('/');
    let path = if base.is_empty() {
        path
    } else {
        path.strip_prefix(base).unwrap_or(path)
    };
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let safe = !parts.is_empty()
        && parts
            .iter()
            .all(|p| *p != "." && *p != ".." && !p.chars().any(char::is_control));
    if !safe {
        return None;
    }
    let joined = parts.join("/");
    let is_file = parts
        .last()
        .is_some_and(|last| last.ends_with(".html") || last.ends_with(".htm"));
    Some(if is_file {
        joined
    } else {
        format!("{joined}/")
    })
}
