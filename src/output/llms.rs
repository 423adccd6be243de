//! Files for language models: a Markdown copy beside every published article
//! (`section/slug/index.md`), `llms.txt` (the site's map, as llmstxt.org
//! lays it out: the title as `# H1`, the description as a quote, then one
//! `## H2` per section listing `- [title](url): description`) and
//! `llms-full.txt` (every published article's copy, in site order). Drafts
//! never appear in any of them, even in a build with `--drafts`.
//!
//! A multilingual site writes both files per language, as it writes its
//! pages: `/llms.txt` for the default language, `/de/llms.txt` for German,
//! each with that language's title, description and articles only (one
//! language per file keeps every section heading meaningful: "Billing"
//! appears once), and a final section, titled with the language's
//! `translations` string, linking the other languages' files.
//!
//! Copies are made in parallel. The preview server keeps them in a
//! [`CopyMemo`] by what they are made of (the article as loaded, where its
//! links point, its URL), so an edit makes one copy again, not thousands,
//! and `llms-full.txt` is handed to the sink as the list of copies it joins.
//! It keeps each article's line of `llms.txt` in a [`LineMemo`] by what the
//! line is made of (title, description, path and how links are written), so
//! a new model makes the lines of changed articles only.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::markdown_copy::article_markdown;
use crate::content::SourceArticle;
use crate::render::strings::StringTables;
use crate::render::PageSink;
use crate::site::generated::{LLMS_FULL_TXT, LLMS_TXT};
use crate::site::{ArticleId, LangId, Site};

/// The Markdown copy of an article page at `path` (`a/b/` → `a/b/index.md`).
pub fn copy_path(page: &str) -> String {
    format!("{page}index.md")
}

/// Copies kept between runs of a session, each with what it was made of.
#[derive(Default)]
pub struct CopyMemo {
    /// `base_url` the copies were made with.
    base_url: Option<String>,
    by_file: HashMap<String, Kept>,
}

struct Kept {
    article: Arc<SourceArticle>,
    targets: Arc<HashMap<String, String>>,
    path: String,
    copy: Arc<[u8]>,
}

impl CopyMemo {
    /// The copy of article `id`, if one was made of the same inputs.
    fn get(&self, site: &Site, id: ArticleId) -> Option<Arc<[u8]>> {
        let article = &site.articles[id];
        let kept = self.by_file.get(&article.source.content_path)?;
        let same = Arc::ptr_eq(&kept.article, &article.source)
            && Arc::ptr_eq(&kept.targets, &article.link_targets)
            && kept.path == article.path;
        same.then(|| Arc::clone(&kept.copy))
    }
}

/// Writes the copies, `llms.txt` and `llms-full.txt` as `kbgen.yaml` asks;
/// `memo` (the preview server's) is used and refreshed when given.
pub fn write(
    site: &Site,
    sink: &dyn PageSink,
    memo: Option<&mut CopyMemo>,
) -> Vec<(String, std::io::Error)> {
    let config = &site.config;
    let mut errors = Vec::new();
    let published: Vec<ArticleId> = (0..site.articles.len())
        .filter(|&id| !site.articles[id].source.front.draft)
        .collect();
    let copies: Vec<Arc<[u8]>> = if config.markdown_copies || config.llms_full_txt {
        make_copies(site, &published, memo)
    } else {
        Vec::new()
    };
    if config.markdown_copies {
        let failed: Vec<(String, std::io::Error)> = published
            .par_iter()
            .zip(copies.par_iter())
            .filter_map(|(&id, copy)| {
                let path = copy_path(&site.articles[id].path);
                sink.write_shared(&path, Arc::clone(copy))
                    .err()
                    .map(|e| (path, e))
            })
            .collect();
        errors.extend(failed);
    }
    if config.llms_full_txt {
        for (l, language) in site.languages.iter().enumerate() {
            let header = format!("# {}\n", language.config.title.trim());
            let mut parts: Vec<Arc<[u8]>> = vec![Arc::from(header.into_bytes())];
            parts.extend(
                (published.iter().zip(&copies))
                    .filter(|(&id, _)| site.articles[id].language == l)
                    .map(|(_, copy)| Arc::clone(copy)),
            );
            let path = format!("{}{LLMS_FULL_TXT}", language.config.prefix);
            if let Err(e) = sink.write_parts(&path, &parts, b"\n") {
                errors.push((path, e));
            }
        }
    }
    errors
}

/// The copy of each of `ids`, in their order: from `memo` where its inputs
/// are the same, the others made in parallel.
fn make_copies(site: &Site, ids: &[ArticleId], memo: Option<&mut CopyMemo>) -> Vec<Arc<[u8]>> {
    let Some(memo) = memo else {
        return ids
            .par_iter()
            .map(|&id| Arc::from(article_markdown(site, id).into_bytes()))
            .collect();
    };
    if memo.base_url != site.config.base_url {
        memo.by_file.clear();
        memo.base_url = site.config.base_url.clone();
    }
    let kept = &*memo;
    let copies: Vec<Arc<[u8]>> = ids
        .par_iter()
        .map(|&id| {
            kept.get(site, id)
                .unwrap_or_else(|| Arc::from(article_markdown(site, id).into_bytes()))
        })
        .collect();
    memo.by_file = ids
        .iter()
        .zip(&copies)
        .map(|(&id, copy)| {
            let article = &site.articles[id];
            let kept = Kept {
                article: Arc::clone(&article.source),
                targets: Arc::clone(&article.link_targets),
                path: article.path.clone(),
                copy: Arc::clone(copy),
            };
            (article.source.content_path.clone(), kept)
        })
        .collect();
    copies
}

/// `llms.txt`'s line of each article of the last run, by the article's
/// output path, with what it was made of.
#[derive(Default)]
pub struct LineMemo {
    /// How the lines' links were written.
    links: Option<LinkForm>,
    /// Counts the runs, so the lines a run did not use can be told.
    run: u64,
    /// How many lines this run used.
    used: usize,
    by_path: FxHashMap<String, KeptLine>,
}

/// What an article's link in `llms.txt` is made of besides its path.
#[derive(PartialEq)]
struct LinkForm {
    /// `base_url`'s origin and path (links are absolute with it).
    origin: Option<String>,
    /// The site's path (links are site paths without an origin).
    base_path: String,
    /// Whether links go to the Markdown copies.
    markdown_copies: bool,
}

impl LinkForm {
    fn of(site: &Site) -> LinkForm {
        LinkForm {
            origin: site.config.origin_and_path(),
            base_path: site.base_path.clone(),
            markdown_copies: site.config.markdown_copies,
        }
    }
}

/// An article's line and the article it was made of (whose title and
/// description it shows).
struct KeptLine {
    /// The last run that used it.
    run: u64,
    article: Arc<SourceArticle>,
    line: Arc<str>,
}

/// Writes `llms.txt` (see the module docs), one per language, when
/// `kbgen.yaml` asks for it. Entries link to the Markdown copies when the
/// site has them, else to the pages. It is made from the site model alone
/// (titles, descriptions, sections, URLs), so the preview server keeps it
/// while the model is reused, and `memo` keeps the lines of the articles
/// for the next model.
pub fn write_index(
    site: &Site,
    strings: &StringTables,
    sink: &dyn PageSink,
    memo: &mut LineMemo,
) -> Vec<(String, std::io::Error)> {
    if !site.config.llms_txt {
        return Vec::new();
    }
    let links = LinkForm::of(site);
    if memo.links.as_ref() != Some(&links) {
        memo.by_path.clear();
        memo.links = Some(links);
    }
    memo.run += 1;
    memo.used = 0;
    let written = (0..site.languages.len())
        .filter_map(|language| {
            let published: Vec<ArticleId> = (0..site.articles.len())
                .filter(|&id| {
                    let article = &site.articles[id];
                    article.language == language && !article.source.front.draft
                })
                .collect();
            let text = llms_txt(site, language, strings, &published, memo);
            let path = format!("{}{LLMS_TXT}", site.languages[language].config.prefix);
            sink.write(&path, text.as_bytes()).err().map(|e| (path, e))
        })
        .collect();
    if memo.by_path.len() > memo.used {
        let run = memo.run;
        memo.by_path.retain(|_, kept| kept.run == run);
    }
    written
}

impl LineMemo {
    /// The line of article `id` (`- [title](link): description`): the last
    /// run's when made of the same article, or of one with the same title
    /// and description, at the same path; else new.
    fn line(&mut self, site: &Site, id: ArticleId, link: impl Fn(&str) -> String) -> Arc<str> {
        let article = &site.articles[id];
        let same = |kept: &KeptLine| {
            let (front, was) = (&article.source.front, &kept.article.front);
            Arc::ptr_eq(&kept.article, &article.source)
                || (front.title == was.title && front.description == was.description)
        };
        let make = || {
            let front = &article.source.front;
            let mut line = format!("- [{}]({})", link_text(&front.title), link(&article.path));
            if let Some(description) =
                (front.description.as_deref()).filter(|d| !d.trim().is_empty())
            {
                let _ = write!(line, ": {}", one_line(description));
            }
            line.push('\n');
            Arc::from(line)
        };
        let kept = match self.by_path.get_mut(article.path.as_str()) {
            Some(kept) if same(kept) => kept,
            Some(kept) => {
                kept.line = make();
                kept
            }
            None => {
                let kept = KeptLine {
                    run: 0,
                    article: Arc::clone(&article.source),
                    line: make(),
                };
                self.by_path.entry(article.path.clone()).or_insert(kept)
            }
        };
        if kept.run != self.run {
            kept.run = self.run;
            self.used += 1;
        }
        if !Arc::ptr_eq(&kept.article, &article.source) {
            kept.article = Arc::clone(&article.source);
        }
        Arc::clone(&kept.line)
    }
}

fn llms_txt(
    site: &Site,
    language: LangId,
    strings: &StringTables,
    published: &[ArticleId],
    lines: &mut LineMemo,
) -> String {
    let config = &site.config;
    let settings = &site.languages[language].config;
    let url = |path: &str| match site.permalink(path) {
        Some(permalink) => permalink,
        None => site.url(path),
    };
    let mut text = format!("# {}\n", one_line(&settings.title));
    if let Some(description) = (settings.description.as_deref()).filter(|d| !d.trim().is_empty()) {
        let _ = write!(text, "\n> {}\n", one_line(description));
    }
    if config.markdown_copies {
        let _ = write!(
            text,
            "\nEvery article is linked below as Markdown; its web page is the same URL without `index.md`."
        );
        if config.llms_full_txt {
            let _ = write!(
                text,
                " All articles in one file: [{LLMS_FULL_TXT}]({}).",
                url(&format!("{}{LLMS_FULL_TXT}", settings.prefix))
            );
        }
        text.push('\n');
    }
    let mut current = None;
    for &id in published {
        let article = &site.articles[id];
        let section = article.source.section;
        if current != Some(section) {
            current = Some(section);
            let _ = write!(text, "\n## {}\n\n", section_heading(site, section));
        }
        let link = |path: &str| match config.markdown_copies {
            true => url(&copy_path(path)),
            false => url(path),
        };
        text.push_str(&lines.line(site, id, link));
    }
    if site.is_multilingual() {
        let heading = strings.get(&settings.code).get("translations");
        let _ = write!(text, "\n## {}\n\n", one_line(heading));
        for (l, other) in site.languages.iter().enumerate() {
            if l == language {
                continue;
            }
            let other = &other.config;
            let link = url(&format!("{}{LLMS_TXT}", other.prefix));
            let _ = writeln!(
                text,
                "- [{}]({link}): {}",
                link_text(&other.name),
                one_line(&other.title)
            );
        }
    }
    text
}

/// A section's titles from the top down (`Jira Cloud › Admin`); the site's
/// title for articles at the top of `content/`.
fn section_heading(site: &Site, section: usize) -> String {
    let titles: Vec<String> = site
        .ancestry(section)
        .into_iter()
        .skip(1)
        .map(|s| one_line(&site.sections[s].source.title).into_owned())
        .collect();
    if titles.is_empty() {
        let language = site.sections[section].language;
        one_line(&site.languages[language].config.title).into_owned()
    } else {
        titles.join(" › ")
    }
}

/// Text on one line, its runs of white space folded (and trimmed).
fn one_line(text: &str) -> Cow<'_, str> {
    // Most titles and descriptions are one line already: single spaces
    // between words, none at the ends.
    let mut after_space = true;
    let folded = text.chars().all(|c| {
        let fine = !c.is_whitespace() || (c == ' ' && !after_space);
        after_space = c.is_whitespace();
        fine
    });
    if folded && !after_space {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A title as a link's text: brackets escaped so the link stays one.
fn link_text(title: &str) -> Cow<'_, str> {
    let text = one_line(title);
    if !text.contains(['[', ']']) {
        return text;
    }
    Cow::Owned(text.replace('[', "\\[").replace(']', "\\]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_folds_white_space_and_keeps_text_that_is_one_line() {
        for (text, line) in [
            ("Sync a folder", "Sync a folder"),
            ("", ""),
            ("  padded ", "padded"),
            ("two  spaces", "two spaces"),
            ("line\nbreak\tand tab", "line break and tab"),
            ("no\u{a0}break", "no break"),
            ("ü ß", "ü ß"),
        ] {
            assert_eq!(one_line(text), line, "{text:?}");
        }
        assert!(matches!(one_line("Sync a folder"), Cow::Borrowed(_)));
        assert_eq!(link_text("A [b]  c"), "A \\[b\\] c");
    }
}
