//! Rule `related-list`: a trailing "Related articles" (or "Related", "See
//! also") heading followed only by links to articles of the site becomes the
//! front matter's `related:` list, and leaves the body. kbgen shows related
//! articles itself (the explicit list first, never cut by `related.limit`),
//! so the hand-kept copy is the same links twice, and goes stale.
//!
//! What the list may hold besides links: a bracketed or parenthesized
//! category after each (`[Desktop Client]`, `(Billing)`), the current page in
//! bold marked "(this page)", separators and spacers. A list holding anything
//! else (prose, an external or broken link) is left alone and reported. The
//! entries go into `related:` as `@/` references, in the list's order, after
//! any the author already has; the current page and duplicates are dropped.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::edit::Edit;
use super::{yaml, ArticleText, Outcome, Rule};
use crate::site::urls::{Resolution, Target};
use crate::site::ArticleId;

/// Heading texts that open a hand-kept list, lower-case.
const HEADINGS: [&str; 3] = ["related articles", "related", "see also"];

/// Moves a trailing related list of `article` into its front matter.
pub fn fix(article: &ArticleText<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(heading) = trailing_heading(article) else {
        return outcome;
    };
    let list = read_list(article, heading.end);
    let problem = list.problem.clone().or_else(|| {
        list.links
            .is_empty()
            .then(|| (heading.start, "it holds no links".to_string()))
    });
    let mut targets = Vec::new();
    let problem = problem.or_else(|| {
        for (dest, offset) in &list.links {
            match article_of(article, dest) {
                Some(id) => targets.push(id),
                None => return Some((*offset, format!("`{dest}` is not an article of this site"))),
            }
        }
        None
    });
    if let Some((offset, why)) = problem {
        let message = format!("the \"{}\" list stays in the body: {why}", heading.text);
        outcome
            .findings
            .push(article.finding(Rule::RelatedList, offset, message, false));
        return outcome;
    }
    let entries = new_entries(article, &targets);
    let message = format!(
        "the \"{}\" list ({}) moved to `related:`",
        heading.text,
        crate::diagnostics::plural(list.links.len(), "link")
    );
    outcome
        .findings
        .push(article.finding(Rule::RelatedList, heading.start, message, true));
    outcome.edits = yaml::append_entries(article.text, "related", &entries);
    outcome.edits.push(body_removal(article, heading.start));
    outcome
}

/// The last heading of the body, when its text opens a related list.
struct Heading {
    start: usize,
    end: usize,
    text: String,
}

fn trailing_heading(article: &ArticleText<'_>) -> Option<Heading> {
    let body = &article.text[article.body_start..];
    let mut last: Option<Heading> = None;
    let mut open: Option<Heading> = None;
    for (event, range) in
        Parser::new_ext(body, crate::content::scan::parser_options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                open = Some(Heading {
                    start: article.body_start + range.start,
                    end: article.body_start + range.end,
                    text: String::new(),
                })
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(heading) = &mut open {
                    heading.text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => last = open.take(),
            _ => {}
        }
    }
    let heading = last?;
    let name = heading
        .text
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_lowercase();
    HEADINGS.contains(&name.as_str()).then_some(heading)
}

/// What follows the heading.
#[derive(Default)]
struct List {
    /// Link destinations with their offsets.
    links: Vec<(String, usize)>,
    /// Why it is not a related list: (offset, reason).
    problem: Option<(usize, String)>,
}

fn read_list(article: &ArticleText<'_>, from: usize) -> List {
    let text = &article.text[from..];
    let mut list = List::default();
    let mut in_link = 0usize;
    let mut bold: Option<String> = None;
    let mut loose_text = String::new();
    let title = &article.site.articles[article.id].source.front.title;
    let fail = |list: &mut List, offset: usize, why: &str| {
        list.problem.get_or_insert((from + offset, why.to_string()));
    };
    for (event, range) in
        Parser::new_ext(text, crate::content::scan::parser_options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                in_link += 1;
                list.links.push((dest_url.to_string(), from + range.start));
            }
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Start(Tag::Strong | Tag::Emphasis) if in_link == 0 => bold = Some(String::new()),
            Event::End(TagEnd::Strong | TagEnd::Emphasis) if in_link == 0 => {
                let written = bold.take().unwrap_or_default();
                if !written.trim().is_empty()
                    && !crate::content::naming::same_words(&written, title)
                {
                    fail(
                        &mut list,
                        range.start,
                        "it holds bold text that is not this page's title",
                    );
                }
            }
            Event::Text(t) if in_link == 0 => match &mut bold {
                Some(written) => written.push_str(&t),
                None => loose_text.push_str(&t),
            },
            Event::Text(_) | Event::SoftBreak | Event::HardBreak => {}
            Event::Start(Tag::Paragraph | Tag::List(_) | Tag::Item) => loose_text.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::List(_) | TagEnd::Item) => loose_text.push('\n'),
            Event::Start(Tag::Strong | Tag::Emphasis)
            | Event::End(TagEnd::Strong | TagEnd::Emphasis) => {}
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            Event::InlineHtml(html) | Event::Html(html) if is_blank_html(&html) => {}
            _ => fail(&mut list, range.start, "it holds more than links"),
        }
    }
    if !is_annotation_only(&loose_text) {
        fail(&mut list, 0, "it holds text besides links and categories");
    }
    list
}

/// Whether `text` is only bracketed annotations (`[Billing]`, `(this page)`),
/// separators and blank space.
fn is_annotation_only(text: &str) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ if depth > 0 => {}
            c if c.is_whitespace() || c == '\u{a0}' || "-–—|·•,;".contains(c) => {}
            _ => return false,
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

fn is_blank_html(html: &str) -> bool {
    let lower = html.trim().to_ascii_lowercase();
    matches!(lower.as_str(), "<br>" | "<br/>" | "<br />" | "&nbsp;")
}

/// The article a list link points at.
fn article_of(article: &ArticleText<'_>, dest: &str) -> Option<ArticleId> {
    let site = article.site;
    let (content_path, page_path) = article.places();
    match site
        .urls
        .resolve(content_path, page_path, dest, &site.base_path)
    {
        Resolution::Page(Target::Article(id), _) | Resolution::Alias(id, _) => Some(id),
        _ => None,
    }
}

/// The `@/` references to add: the list's articles in order, without the
/// current page, duplicates and articles `related:` already names.
fn new_entries(article: &ArticleText<'_>, targets: &[ArticleId]) -> Vec<String> {
    let mut taken: Vec<ArticleId> = vec![article.id];
    if let Some(existing) = yaml::find_list(article.text, "related") {
        taken.extend(
            existing
                .entries
                .iter()
                .filter_map(|e| article_of(article, &e.value)),
        );
    }
    let mut entries = Vec::new();
    for &id in targets {
        if !taken.contains(&id) {
            taken.push(id);
            entries.push(format!(
                "@/{}",
                article.site.articles[id].source.content_path
            ));
        }
    }
    entries
}

/// Removes the heading and everything after it, and the blank lines before
/// it, leaving the body ending with one line end.
fn body_removal(article: &ArticleText<'_>, heading_start: usize) -> Edit {
    let text = article.text;
    let kept = text[..heading_start]
        .trim_end()
        .len()
        .max(article.body_start);
    let ending = if kept > article.body_start { "\n" } else { "" };
    Edit::replace(kept..text.len(), ending)
}
