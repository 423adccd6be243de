//! Files and old URLs: where assets are copied, the static and generated files
//! links may point at, files that would overwrite a page, and the redirect
//! pages for `aliases`.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use percent_encoding::percent_decode_str;

use super::outputs::{url_of, Claimants, OutputTable, Owner};
use super::urls::{Target, UrlTable};
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
    // Assets go beside the default language's pages; translations link
    // to them there (a bundle translated only in part keeps one copy).
    let bundles: HashMap<&str, &Article> = articles
        .iter()
        .rev()
        .filter_map(|a| a.source.bundle_dir.as_deref().map(|dir| (dir, a)))
        .collect();
    let section_dirs: HashMap<&str, &Section> = sections
        .iter()
        .filter(|s| s.language == 0)
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
            content_path: source.content_path,
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

/// Registers every article's `aliases` and claims the files of their redirect
/// pages; a malformed alias, or one whose file is taken (a page, a generated
/// or static file, another alias), is an error at the alias.
pub(super) fn register_aliases(
    urls: &mut UrlTable,
    outputs: &mut OutputTable,
    claimants: &Claimants,
    base_path: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Redirect> {
    let mut redirects = Vec::new();
    for (id, article) in claimants.articles.iter().enumerate() {
        let file = &article.source.source.path;
        let text = &article.source.source.text;
        for (index, written) in article.source.front.aliases.iter().enumerate() {
            let alias = crate::diagnostics::escape_controls(written);
            let offset = list_entry_offset(&article.source, "aliases", index)
                .unwrap_or_else(|| front_matter_entry(&article.source, "aliases", written));
            let error =
                |message: String| Diagnostic::error("alias", file, message).at_offset(text, offset);
            let Some(path) = alias_path(written, base_path) else {
                problems.push(
                    error(format!("alias `{alias}` is not a path of this site"))
                        .with_help("write the old URL's path, such as `/old/section/page/`"),
                );
                continue;
            };
            let max = crate::content::front_matter::MAX_SLUG_BYTES;
            if let Some(long) = path.split('/').find(|part| part.len() > max) {
                problems.push(
                    error(format!(
                        "alias `{}…` has a path segment of {} bytes, more than {max}",
                        alias.chars().take(40).collect::<String>(),
                        long.len()
                    ))
                    .with_help("each part of an alias becomes a folder name in the output"),
                );
                continue;
            }
            let redirect = Redirect { path, article: id };
            match outputs.claim(&redirect.file(), Owner::Alias(id)) {
                Ok(()) => {
                    urls.insert_alias(&redirect.path, id);
                    redirects.push(redirect);
                }
                Err(taken) if taken.owner == Owner::Page(Target::Article(id)) => {
                    problems.push(error(format!(
                        "alias `{alias}` is this article's own URL, {}",
                        url_of(&taken.at)
                    )));
                }
                Err(taken) => problems.push(error(format!(
                    "alias `{alias}` collides with {} at {}",
                    claimants.describe(taken.owner, &taken.at),
                    url_of(&taken.at)
                ))),
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

/// The byte offset of the `index`-th entry of the front-matter list `key`,
/// written as a block (`- x` lines) or a flow (`[x, y]`) sequence. Found by
/// position rather than by text, so an entry written with YAML escapes
/// (`"/a\nb/"`) or twice is still pointed at where it stands.
fn list_entry_offset(article: &SourceArticle, key: &str, index: usize) -> Option<usize> {
    let text = &article.source.text[..article.source.body_start];
    let key_at = crate::content::front_matter::key_offset(text, text.len(), key)?;
    let line_end = text[key_at..].find('\n').map_or(text.len(), |i| key_at + i);
    let after_colon = key_at + text[key_at..line_end].find(':')? + 1;
    let rest = &text[after_colon..line_end];
    if let Some(open) = rest.find('[') {
        return flow_entry_offset(text, after_colon + open + 1, index);
    }
    let mut offset = line_end + 1;
    let mut seen = 0;
    for line in text.get(offset..)?.split_inclusive('\n') {
        let item = line.trim_start();
        if !line.starts_with([' ', '-']) || line.starts_with("---") {
            return None;
        }
        if let Some(value) = item.strip_prefix('-') {
            if seen == index {
                let value_at = offset + line.len() - item.len() + 1;
                return Some(value_at + leading_space_or_quote(value));
            }
            seen += 1;
        }
        offset += line.len();
    }
    None
}

/// The `index`-th item of a flow sequence whose items start at `start`.
fn flow_entry_offset(text: &str, start: usize, index: usize) -> Option<usize> {
    let mut item = 0;
    let mut quote = None;
    let mut item_start = start;
    for (i, c) in text[start..].char_indices() {
        let at = start + i;
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, ',' | ']') => {
                if item == index {
                    break;
                }
                item += 1;
                item_start = at + 1;
                if c == ']' {
                    return None;
                }
            }
            _ => {}
        }
    }
    Some(item_start + leading_space_or_quote(&text[item_start..]))
}

/// How many bytes of white space, and an opening quote, come before a value:
/// positions point at the value's first character, as the author sees it.
fn leading_space_or_quote(value: &str) -> usize {
    let trimmed = value.trim_start();
    let quote = usize::from(trimmed.starts_with(['"', '\'']));
    value.len() - trimmed.len() + quote
}

/// An alias as an output path: `/old/page`, `/old/page/` and
/// `/old/page/index.html` → `old/page/`; `/old.html` → `old.html`; `/` → ``.
/// Percent-escapes are decoded, as a server does before it looks for the file.
/// `None` for anything that is not a plain path inside the output folder.
pub(crate) fn alias_path(alias: &str, base_path: &str) -> Option<String> {
    let alias = alias.trim();
    if alias.contains("://") || alias.contains(['\\', '?', '#']) {
        return None;
    }
    let decoded = percent_decode_str(alias).decode_utf8().ok()?;
    let path = decoded.trim_start_matches('/');
    let base = base_path.trim_start_matches('/');
    let path = if base.is_empty() {
        path
    } else {
        path.strip_prefix(base).unwrap_or(path)
    };
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let safe = parts
        .iter()
        .all(|p| *p != "." && *p != ".." && !p.contains('\\') && !p.chars().any(char::is_control));
    if !safe {
        return None;
    }
    let is_file = parts.last().is_some_and(|last| {
        *last != "index.html" && (last.ends_with(".html") || last.ends_with(".htm"))
    });
    if is_file {
        return Some(parts.join("/"));
    }
    if parts.last() == Some(&"index.html") {
        parts.pop();
    }
    Some(parts.iter().map(|p| format!("{p}/")).collect())
}

#[cfg(test)]
mod tests {
    use super::{alias_path, flow_entry_offset};

    #[test]
    fn flow_entries_are_found_by_position() {
        let text = "aliases: [\"/a,b\", '/c' , /a]\n";
        let start = text.find('[').unwrap() + 1;
        let at = |i| flow_entry_offset(text, start, i).map(|o| &text[o..o + 2]);
        assert_eq!(at(0), Some("/a"));
        assert_eq!(at(1), Some("/c"));
        assert_eq!(at(2), Some("/a"));
        assert_eq!(at(3), None);
    }

    #[test]
    fn every_form_of_an_alias_names_the_file_it_writes() {
        let path = |alias: &str| alias_path(alias, "/");
        for alias in ["/sec/a", "/sec/a/", "/sec/a/index.html", "//sec//a/"] {
            assert_eq!(path(alias).as_deref(), Some("sec/a/"), "{alias}");
        }
        assert_eq!(path("/old.html").as_deref(), Some("old.html"));
        assert_eq!(path("/index.html").as_deref(), Some(""));
        assert_eq!(path("/").as_deref(), Some(""));
        assert_eq!(path("/a%20b/").as_deref(), Some("a b/"));
        assert_eq!(alias_path("/help/old/", "/help/").as_deref(), Some("old/"));
    }

    #[test]
    fn aliases_that_could_leave_the_output_are_refused() {
        for bad in [
            "/../../x",
            "/a/%2e%2e/%2E%2E/x",
            "/a\0b",
            "/a\nb/",
            "/a%00b/",
            "/a%0Ab/",
            "/a%5c..%5cb",
            "/%ff/",
            "../x",
            "https://example.com/x/",
        ] {
            assert_eq!(alias_path(bad, "/"), None, "{bad:?}");
        }
    }
}
