//! What an article's page tells browsers, search engines and forges beyond
//! its text: the "Edit this page" and "History" links (`repo_url`), the
//! Markdown copy it announces (`<link rel="alternate" type="text/markdown">`),
//! and JSON-LD structured data (schema.org `TechArticle` and
//! `BreadcrumbList`, as Google's article and breadcrumb guidelines read
//! them), built with serde_json and made safe to sit in a `<script>`.
//! Drafts get none of the machine parts.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::json;

use super::views::ArticleView;
use crate::config::{Forge, RepoKind};
use crate::site::{Article, Site};

/// What a path segment of a forge URL must have encoded.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

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
pub fn json_ld(site: &Site, article: &Article, view: &ArticleView) -> Option<String> {
    if !site.config.json_ld || article.source.front.draft {
        return None;
    }
    let absolute = |url: &str| absolute_url(site, url);
    let url = absolute(&view.url);
    let mut crumbs: Vec<(String, String)> = view
        .breadcrumbs
        .iter()
        .map(|c| (c.title.clone(), absolute(&c.url)))
        .collect();
    crumbs.push((view.title.clone(), url.clone()));
    let items: Vec<serde_json::Value> = crumbs
        .into_iter()
        .enumerate()
        .map(|(i, (name, item))| {
            json!({"@type": "ListItem", "position": i + 1, "name": name, "item": item})
        })
        .collect();
    let mut document = json!({
        "@type": "TechArticle",
        "headline": view.title,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": site.config.language,
        "isPartOf": {"@type": "WebSite", "name": site.config.title, "url": absolute(&site.url(""))},
    });
    let fields = [
        ("description", view.description.clone()),
        ("datePublished", view.date.as_ref().map(|d| d.iso.clone())),
        (
            "dateModified",
            view.last_updated.as_ref().map(|d| d.iso.clone()),
        ),
        ("articleSection", Some(view.section.title.clone())),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            document[key] = json!(value);
        }
    }
    let graph = json!({
        "@context": "https://schema.org",
        "@graph": [document, {"@type": "BreadcrumbList", "itemListElement": items}],
    });
    // `<`, `>` and `&` escaped as JSON allows, so no text can end the
    // `<script>` element or read as markup.
    Some(
        graph
            .to_string()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026"),
    )
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
