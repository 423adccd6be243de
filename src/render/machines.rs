//! What an article's page tells browsers, search engines and forges beyond
//! its text: the "Edit this page" and "History" links (`repo_url`), the
//! Markdown copy it announces (`<link rel="alternate" type="text/markdown">`),
//! and JSON-LD structured data (schema.org `TechArticle` and
//! `BreadcrumbList`, as Google's article and breadcrumb guidelines read
//! them), typed structs serialized with serde_json and made safe to sit in
//! a `<script>`.
//! Drafts get none of the machine parts.

use percent_encoding::{utf8_percent_encode, AsciiSet};
use serde::Serialize;

use super::views::ArticleView;
use crate::config::{Forge, RepoKind};
use crate::site::{Article, Site};

/// What a path segment of a forge URL must have encoded.
const SEGMENT: &AsciiSet = crate::site::PATH_SEGMENT;

/// The article's file on the forge: its edit page and its history, in the
/// URL shapes of GitHub, GitLab and Gitea/Forgejo.
pub fn forge_links(site: &Site, article: &Article) -> (Option<String>, Option<String>) {
    let Some(forge) = &site.config.forge else {
        return (None, None);
    };
    let file = repository_path(forge, &article.source.content_path);
    let branch = encoded(&forge.branch);
    let repo = &forge.repo_url;
    let (edit, history) = match forge.kind {
        RepoKind::Github => (
            format!("{repo}/edit/{branch}/{file}"),
            format!("{repo}/commits/{branch}/{file}"),
        ),
        RepoKind::Gitlab => (
            format!("{repo}/-/edit/{branch}/{file}"),
            format!("{repo}/-/commits/{branch}/{file}"),
        ),
        RepoKind::Gitea => (
            format!("{repo}/_edit/{branch}/{file}"),
            format!("{repo}/commits/branch/{branch}/{file}"),
        ),
    };
    (Some(edit), Some(history))
}

/// `docs/content/a/b.md`, each segment percent-encoded.
fn repository_path(forge: &Forge, content_path: &str) -> String {
    let mut path = String::new();
    if !forge.site_folder.is_empty() {
        path.push_str(&forge.site_folder);
        path.push('/');
    }
    path.push_str("content/");
    path.push_str(content_path);
    encoded(&path)
}

fn encoded(path: &str) -> String {
    path.split('/')
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The URL of the article's Markdown copy, when the site writes copies.
pub fn markdown_url(site: &Site, article: &Article) -> Option<String> {
    (site.config.markdown_copies && !article.source.front.draft)
        .then(|| site.url(&crate::output::llms::copy_path(&article.path)))
}

/// The JSON-LD of an article's page, from its view (so it says what the
/// page shows), or none when `json_ld` is off or the article is a draft.
/// Its language, and the website it is part of (title and home page), are
/// those of the article's language.
pub fn json_ld(site: &Site, article: &Article, view: &ArticleView) -> Option<String> {
    if !site.config.json_ld || article.source.front.draft {
        return None;
    }
    let language = &site.languages[article.language].config;
    let url = absolute_url(site, &view.url);
    let home = absolute_url(site, &site.url(&language.prefix));
    let mut crumbs: Vec<ListItem<'_>> = view
        .breadcrumbs
        .iter()
        .map(|c| ListItem::new(&c.title, absolute_url(site, &c.url)))
        .collect();
    crumbs.push(ListItem::new(&view.title, url.clone()));
    for (i, crumb) in crumbs.iter_mut().enumerate() {
        crumb.position = i + 1;
    }
    let graph = Graph {
        context: "https://schema.org",
        graph: (
            TechArticle {
                kind: "TechArticle",
                headline: &view.title,
                description: view.description.as_deref(),
                date_published: view.date.as_ref().map(|d| d.iso.as_str()),
                date_modified: view.last_updated.as_ref().map(|d| d.iso.as_str()),
                article_section: &view.section.title,
                in_language: &language.code,
                url: &url,
                main_entity_of_page: &url,
                is_part_of: WebSite {
                    kind: "WebSite",
                    name: &language.title,
                    url: &home,
                },
            },
            BreadcrumbList {
                kind: "BreadcrumbList",
                items: crumbs,
            },
        ),
    };
    let json = serde_json::to_string(&graph).ok()?;
    // `<`, `>` and `&` escaped as JSON allows, so no text can end the
    // `<script>` element or read as markup.
    let mut safe = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            c => safe.push(c),
        }
    }
    Some(safe)
}

/// schema.org as JSON-LD: an article and its breadcrumbs in one graph.
#[derive(Serialize)]
struct Graph<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    #[serde(rename = "@graph")]
    graph: (TechArticle<'a>, BreadcrumbList<'a>),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TechArticle<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<&'a str>,
    article_section: &'a str,
    in_language: &'a str,
    url: &'a str,
    main_entity_of_page: &'a str,
    is_part_of: WebSite<'a>,
}

#[derive(Serialize)]
struct WebSite<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct BreadcrumbList<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(rename = "itemListElement")]
    items: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    position: usize,
    name: &'a str,
    item: String,
}

impl<'a> ListItem<'a> {
    fn new(name: &'a str, item: String) -> Self {
        ListItem {
            kind: "ListItem",
            position: 0,
            name,
            item,
        }
    }
}

/// A root-relative URL as an absolute one, when `base_url` is set.
pub fn absolute_url(site: &Site, url: &str) -> String {
    match (
        url.strip_prefix(&site.base_path),
        site.config.origin_and_path(),
    ) {
        (Some(rest), Some(origin)) => format!("{origin}/{rest}"),
        _ => url.to_string(),
    }
}
