//! Rule `site-links`: links to articles and sections written as site URLs
//! (`/section/slug/`, or an old URL kept in `aliases`) become `@/` content
//! references (`@/Section/file.md`), which name the file: the link checker
//! follows them, and `kbgen mv` and a changed `slug:` cannot break them.
//! Markdown links, raw-HTML `href`s and front-matter `related:` entries are
//! rewritten; the `?query` and `#anchor` are kept. Images and files are not
//! pages and keep their URLs.

use super::edit::Edit;
use super::links::{self, Dest, Form, NewDest};
use super::{yaml, ArticleText, Outcome, Rule};
use crate::site::urls::{Resolution, Target};

/// Rewrites the site-URL links of `article` as `@/` references.
pub fn fix(article: &ArticleText<'_>) -> Outcome {
    let text = article.text;
    let body = &text[article.body_start..];
    let scan = crate::content::scan::scan(body, article.body_start);
    let mut outcome = Outcome::default();
    for link in scan.links.iter().filter(|l| !l.is_image) {
        let Some(reference) = content_reference(article, &link.dest) else {
            continue;
        };
        match links::dest_range(text, link) {
            Some(range) => {
                let written = reference.in_body();
                let message = format!("`{}` → `{written}`", link.dest);
                outcome
                    .findings
                    .push(article.finding(Rule::SiteLinks, link.offset, message, true));
                outcome.edits.push(Edit::replace(range, written));
            }
            None => outcome.findings.push(article.finding(
                Rule::SiteLinks,
                link.offset,
                format!("cannot find `{}` as written to rewrite it", link.dest),
                false,
            )),
        }
    }
    if let Some(related) = yaml::find_list(text, "related") {
        for entry in &related.entries {
            if let Some(reference) = content_reference(article, &entry.value) {
                let written = reference.in_yaml();
                let message = format!("related `{}` → `{written}`", entry.value);
                outcome.findings.push(article.finding(
                    Rule::SiteLinks,
                    entry.range.start,
                    message,
                    true,
                ));
                outcome.edits.push(yaml::replace_entry(entry, &written));
            }
        }
    }
    outcome
}

/// `written` as an `@/` reference with its query and anchor, when it is a
/// site URL of an article or section of the site.
fn content_reference<'a>(article: &ArticleText<'_>, written: &'a str) -> Option<NewDest<'a>> {
    let dest = Dest::parse(written)?;
    if dest.form != Form::SiteUrl {
        return None;
    }
    let site = article.site;
    let (content_path, page_path) = article.places();
    let file = match site
        .urls
        .resolve(content_path, page_path, written, &site.base_path)
    {
        Resolution::Page(Target::Article(id), _) | Resolution::Alias(id, _) => {
            site.articles[id].source.content_path.clone()
        }
        Resolution::Page(Target::Section(id), _) => {
            let dir = &site.sections[id].source.content_path;
            if dir.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{dir}/_index.md")
            }
        }
        _ => return None,
    };
    Some(NewDest {
        path: format!("@/{file}"),
        suffix: dest.suffix,
    })
}
