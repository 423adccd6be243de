//! The link edits of a move: every link of every article and section index
//! (Markdown, raw HTML, front-matter `related:`) that points at what moved,
//! or that is relative and sits in what moved, written again in its own form.

use std::collections::HashMap;

use super::paths::Moving;
use crate::content::SourceText;
use crate::diagnostics::Diagnostic;
use crate::fix::edit::Edit;
use crate::fix::links::{self, Dest, Form, Holder as LinkHolder, NewDest, Place};
use crate::fix::yaml;
use crate::site::urls::{Resolution, Target};
use crate::site::Site;

/// A file that holds links: an article or a section's `_index.md`.
pub struct Holder<'a> {
    pub content_path: String,
    /// Its page's path before the move.
    pub page_path: String,
    pub text: &'a SourceText,
    /// For an article, its page path (its URL, without the leading `/`).
    pub article_path: Option<String>,
}

/// Where a holder is after the move.
#[derive(Clone, Copy)]
pub struct NewPlace<'a> {
    pub content_path: &'a str,
    pub page_path: &'a str,
}

/// Every file of the site that holds links, each as written (a page's
/// snippets are holders of their own, not part of the page's text).
pub fn holders(site: &Site) -> Vec<Holder<'_>> {
    let articles = site.articles.iter().map(|a| Holder {
        content_path: a.source.content_path.clone(),
        page_path: a.path.clone(),
        text: a.source.source.file(),
        article_path: Some(a.path.clone()),
    });
    let sections = site.sections.iter().filter_map(|s| {
        s.source.index.as_ref().map(|text| Holder {
            content_path: index_path(&s.source.content_path),
            page_path: s.path.clone(),
            text: text.file(),
            article_path: None,
        })
    });
    // A snippet has no page of its own: its links to articles and files
    // are relative to its folder, and those are what a move rewrites.
    let snippets = site.snippets.iter().map(|s| Holder {
        content_path: s.content_path.clone(),
        page_path: String::new(),
        text: &s.source,
        article_path: None,
    });
    articles.chain(sections).chain(snippets).collect()
}

/// `dir/_index.md`, or `_index.md` at the root.
fn index_path(dir: &str) -> String {
    if dir.is_empty() {
        "_index.md".to_string()
    } else {
        format!("{dir}/_index.md")
    }
}

/// What moved: old content path → (new content path, new site path), for
/// articles, section indexes and assets; and every page path after the move.
pub struct Moved {
    moved: HashMap<String, (String, String)>,
    new_pages: HashMap<String, String>,
}

impl Moved {
    pub fn new(site: &Site, new_site: &Site, moving: &Moving) -> Moved {
        let mut new_pages = HashMap::new();
        for article in &new_site.articles {
            new_pages.insert(article.source.content_path.clone(), article.path.clone());
        }
        for section in &new_site.sections {
            new_pages.insert(
                index_path(&section.source.content_path),
                section.path.clone(),
            );
        }
        let new_assets: HashMap<&str, &str> = new_site
            .assets
            .iter()
            .map(|a| (a.content_path.as_str(), a.path.as_str()))
            .collect();
        let mut moved = HashMap::new();
        let pages = site
            .articles
            .iter()
            .map(|a| a.source.content_path.clone())
            .chain(
                site.sections
                    .iter()
                    .map(|s| index_path(&s.source.content_path)),
            );
        for old in pages {
            let new = map_index(moving, &old);
            if new != old {
                if let Some(path) = new_pages.get(&new) {
                    moved.insert(old, (new, path.clone()));
                }
            }
        }
        for asset in &site.assets {
            let new = moving.map(&asset.content_path);
            if let Some(path) = new_assets
                .get(new.as_str())
                .filter(|_| new != asset.content_path)
            {
                moved.insert(asset.content_path.clone(), (new, path.to_string()));
            }
        }
        Moved { moved, new_pages }
    }

    /// The page path, after the move, of the file at content path `new_cp`.
    pub fn page_path_of(&self, new_cp: &str) -> Option<String> {
        self.new_pages.get(new_cp).cloned()
    }
}

/// A section's index path after the move: its folder mapped.
fn map_index(moving: &Moving, path: &str) -> String {
    match path.strip_suffix("_index.md") {
        Some(dir) => index_path(&moving.map(dir.trim_end_matches('/'))),
        None => moving.map(path),
    }
}

/// The edits of one holder, how many links they rewrite, and the links that
/// point at what moved but could not be found in the text to rewrite.
pub fn link_edits(
    site: &Site,
    moved: &Moved,
    holder: &Holder<'_>,
    place: NewPlace<'_>,
) -> (Vec<Edit>, usize, Vec<Diagnostic>) {
    let text = &holder.text.text;
    let mut edits = Vec::new();
    let mut warnings = Vec::new();
    for link in &holder.text.scan.links {
        let Some(new_dest) = new_dest(site, moved, holder, place, &link.dest)
            .map(|d| d.in_body())
            .filter(|d| *d != link.dest)
        else {
            continue;
        };
        match links::dest_range(text, link) {
            Some(range) => edits.push(Edit::replace(range, new_dest)),
            None => warnings.push(
                Diagnostic::warning(
                    "mv",
                    &holder.text.path,
                    format!(
                        "cannot rewrite the link `{}`: write it as `{new_dest}`",
                        link.dest
                    ),
                )
                .at_offset(text, link.offset),
            ),
        }
    }
    if let Some(related) = yaml::find_list(text, "related") {
        for entry in &related.entries {
            let new_dest = new_dest(site, moved, holder, place, &entry.value)
                .map(|d| d.in_yaml())
                .filter(|d| *d != entry.value);
            if let Some(new_dest) = new_dest {
                edits.push(yaml::replace_entry(entry, &new_dest));
            }
        }
    }
    edits.sort_by_key(|e| e.range.start);
    edits.dedup();
    let count = edits.len();
    (edits, count, warnings)
}

/// Edits of the include calls in `holder` that name a snippet the move
/// renames: each call's `path="…"` is written with the snippet's new name.
pub fn include_edits(holder: &Holder<'_>, moving: &super::paths::Moving) -> Vec<Edit> {
    use crate::content::include::{snippet_name, INCLUDE};
    use crate::content::shortcodes::{ArgValue, ShortcodeCall};
    use crate::content::snippets::SNIPPETS_DIR;
    let text = &holder.text.text;
    let calls = holder
        .text
        .scan
        .shortcodes
        .iter()
        .flat_map(ShortcodeCall::walk);
    let mut edits = Vec::new();
    for call in calls.filter(|call| call.name == INCLUDE) {
        let Some((_, ArgValue::Str(path))) = call.args.iter().find(|(key, _)| key == "path") else {
            continue;
        };
        let Ok(name) = snippet_name(path) else {
            continue;
        };
        let old = format!("{SNIPPETS_DIR}/{name}");
        let new = moving.map(&old);
        let Some(new_name) = new.strip_prefix(&format!("{SNIPPETS_DIR}/")) else {
            continue;
        };
        if new == old {
            continue;
        }
        if let Some(range) = path_literal(text, call.range.clone()) {
            edits.push(Edit::replace(range, format!("\"{new_name}\"")));
        }
    }
    edits
}

/// The quoted value of the `path` argument in the call at `range`, quotes
/// included.
fn path_literal(text: &str, range: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let call = text.get(range.clone())?;
    let mut from = 0;
    while let Some(found) = call[from..].find("path") {
        let at = from + found;
        from = at + 4;
        let before_ok = call[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c == '(' || c == ',' || c.is_whitespace());
        let rest = call[at + 4..].trim_start();
        let Some(value) = rest.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        if !before_ok {
            continue;
        }
        let start = call.len() - value.len();
        let mut escaped = false;
        for (i, c) in value.char_indices().skip(1) {
            match c {
                '\\' if !escaped => escaped = true,
                c if c == quote && !escaped => {
                    return Some(range.start + start..range.start + start + i + 1)
                }
                _ => escaped = false,
            }
        }
        return None;
    }
    None
}

/// `written`, pointing at its target's new place from the holder's new
/// place, in its own form; `None` when neither moved.
fn new_dest<'a>(
    site: &Site,
    moved: &Moved,
    holder: &Holder<'_>,
    place: NewPlace<'_>,
    written: &'a str,
) -> Option<NewDest<'a>> {
    let dest = Dest::parse(written)?;
    let resolution = site.urls.resolve(
        &holder.content_path,
        &holder.page_path,
        written,
        &site.base_path,
    );
    let (old_cp, old_site_path) = match resolution {
        Resolution::Page(Target::Article(id), _) => {
            let article = &site.articles[id];
            (article.source.content_path.clone(), article.path.clone())
        }
        Resolution::Page(Target::Section(id), _) => {
            let section = &site.sections[id];
            (
                index_path(&section.source.content_path),
                section.path.clone(),
            )
        }
        Resolution::File(output) => {
            let asset = site.assets.iter().find(|a| a.path == output)?;
            (asset.content_path.clone(), output)
        }
        _ => return None,
    };
    let target_moved = moved.moved.get(&old_cp);
    let holder_moved =
        place.content_path != holder.content_path || place.page_path != holder.page_path;
    let absolute = matches!(dest.form, Form::ContentPath | Form::SiteUrl);
    if target_moved.is_none() && (!holder_moved || absolute) {
        return None;
    }
    let (content_path, site_path) = match target_moved {
        Some((cp, path)) => (cp.as_str(), path.as_str()),
        None => (old_cp.as_str(), old_site_path.as_str()),
    };
    Some(links::rewrite(
        &dest,
        Place {
            content_path,
            site_path,
        },
        LinkHolder {
            content_path: place.content_path,
            page_path: place.page_path,
        },
        &site.base_path,
    ))
}
