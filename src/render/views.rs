//! The values templates see, as typed structs.
//!
//! Every template gets `site` ([`SiteView`], set once per build) and `page`, one
//! of the page views below; `page.kind` says which. Optional fields are always
//! present (as `none`) so templates can test them without tripping Tera 2's
//! undefined-variable errors. The README lists every field.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::front_matter::Date;

/// Site-wide values, shared by every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    /// Absolute address from `kbgen.yaml`, or none.
    pub base_url: Option<String>,
    /// Path every URL starts with (`/` or `/help/`).
    pub base_path: String,
    /// The home page of the page's language (`base_path`, or `/de/`).
    pub home_url: String,
    /// The page's language code (the site's, in a one-language site).
    pub language: String,
    /// Top-level sections, in order.
    pub sections: Vec<LinkView>,
    /// The first few of them, for the header of every page: a help center
    /// with hundreds of sections cannot list them all on every page.
    pub nav_sections: Vec<LinkView>,
    /// Whether `sections` holds more than `nav_sections`.
    pub more_sections: bool,
    /// Index pages of the taxonomies (`/category/`, `/tag/`).
    pub taxonomies: Vec<LinkView>,
    /// The Atom feed of the page's language, when `base_url` is set (the
    /// feed needs absolute URLs).
    pub feed_url: Option<String>,
    /// The search page, when the site has search.
    pub search_url: Option<String>,
    /// The OpenSearch description of the page's language, when the build
    /// writes one.
    pub opensearch_url: Option<String>,
    pub generator: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2026-03-14`, for `<time datetime>`.
    pub iso: String,
    /// `March 14, 2026`, as the page's language writes it
    /// (`14. März 2026`; see the strings' `date_format`).
    pub human: String,
}

impl DateView {
    /// A date as the page's language writes it.
    pub fn new(date: &Date, strings: &super::strings::StringTable) -> Self {
        DateView {
            iso: date.iso_day(),
            human: strings.date(date),
        }
    }
}

/// An article in a list: related articles, section and term pages.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub title: String,
    pub url: String,
    pub description: Option<String>,
    /// The title of the article's section.
    pub section: String,
    /// `updated`, else `date`.
    pub last_updated: Option<DateView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    /// h3 entries under an h2.
    pub children: Vec<TocEntry>,
}

/// Terms of one taxonomy on an article.
#[derive(Debug, Clone, Serialize)]
pub struct TermGroupView {
    pub name: String,
    pub title: String,
    pub terms: Vec<LinkView>,
}

/// The category's articles as shown on an article, the current one marked.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryListView {
    pub title: String,
    pub url: String,
    /// How many articles the category has in all.
    pub total: usize,
    pub entries: Vec<CategoryEntry>,
    /// Whether `entries` is a window of a longer list.
    pub truncated: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryEntry {
    pub title: String,
    pub url: String,
    pub section: String,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    /// `"article"`.
    pub kind: &'static str,
    pub title: String,
    pub description: Option<String>,
    pub url: String,
    /// Absolute URL when `base_url` is set.
    pub permalink: Option<String>,
    pub slug: String,
    /// The Markdown file, relative to the site root (`content/a/b.md`).
    pub source_path: String,
    /// The rendered body.
    pub content: String,
    pub toc: Vec<TocEntry>,
    /// False with `toc: false` or when there are no h2/h3 headings.
    pub show_toc: bool,
    pub date: Option<DateView>,
    pub updated: Option<DateView>,
    pub last_updated: Option<DateView>,
    /// The author of the last commit that changed the file, when `updated`
    /// comes from git (`dates: git`).
    pub last_author: Option<String>,
    /// "Edit this page" and "History" on the forge (`repo_url`).
    pub edit_url: Option<String>,
    pub history_url: Option<String>,
    /// The Markdown copy of the page (`markdown_copies`).
    pub markdown_url: Option<String>,
    /// JSON-LD for a `<script type="application/ld+json">` (`json_ld`),
    /// safe to write unescaped.
    pub json_ld: Option<String>,
    pub reading_minutes: usize,
    /// Home, then each section down to the article's own.
    pub breadcrumbs: Vec<LinkView>,
    pub section: LinkView,
    pub taxonomies: Vec<TermGroupView>,
    /// The first `category` term.
    pub category: Option<LinkView>,
    pub tags: Vec<LinkView>,
    pub related: Vec<ArticleSummary>,
    /// Articles that link to this one ("Articles that link here").
    pub backlinks: Vec<ArticleSummary>,
    /// The article before and after this one in its section.
    pub previous: Option<LinkView>,
    pub next: Option<LinkView>,
    pub category_list: Option<CategoryListView>,
    /// Front-matter keys kbgen does not know.
    pub extra: BTreeMap<String, serde_yaml::Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionSummary {
    /// The language of `title` and `description` when they fell back to
    /// the default language's (no `_index.<code>.md`), for `lang` on them;
    /// none otherwise.
    pub lang: Option<String>,
    pub title: String,
    pub url: String,
    pub description: Option<String>,
    /// Articles in the section and its sub-sections.
    pub article_count: usize,
    /// Its first articles in order (the home page shows these).
    pub top_articles: Vec<ArticleSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// `"section"` or `"home"`.
    pub kind: &'static str,
    /// The language of `title` and `description` when they fell back to
    /// the default language's (no `_index.<code>.md`), for `lang` on them;
    /// none otherwise.
    pub lang: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub url: String,
    pub permalink: Option<String>,
    /// The rendered body of `_index.md`.
    pub content: String,
    pub breadcrumbs: Vec<LinkView>,
    pub subsections: Vec<SectionSummary>,
    /// The section's own articles, in order.
    pub articles: Vec<ArticleSummary>,
    /// Most recently updated articles of the site (home page only; empty elsewhere).
    pub recent: Vec<ArticleSummary>,
    pub extra: BTreeMap<String, serde_yaml::Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermSummary {
    pub title: String,
    pub url: String,
    pub description: Option<String>,
    pub article_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyView {
    /// `"taxonomy"`.
    pub kind: &'static str,
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub url: String,
    pub permalink: Option<String>,
    pub breadcrumbs: Vec<LinkView>,
    pub terms: Vec<TermSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    /// `"term"`.
    pub kind: &'static str,
    pub title: String,
    pub description: Option<String>,
    pub url: String,
    pub permalink: Option<String>,
    pub breadcrumbs: Vec<LinkView>,
    pub taxonomy: LinkView,
    pub articles: Vec<ArticleSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotFoundView {
    /// `"404"`.
    pub kind: &'static str,
    pub title: String,
    pub description: Option<String>,
    pub url: String,
    pub permalink: Option<String>,
    pub breadcrumbs: Vec<LinkView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchView {
    /// `"search"`.
    pub kind: &'static str,
    pub title: String,
    pub description: Option<String>,
    pub url: String,
    pub permalink: Option<String>,
    pub breadcrumbs: Vec<LinkView>,
}

/// A view with a rendered Markdown body, filled in only when the page is
/// actually rendered.
pub trait WithBody {
    fn set_body(&mut self, html: String);
}

impl WithBody for ArticleView {
    fn set_body(&mut self, html: String) {
        self.content = html;
    }
}

impl WithBody for SectionView {
    fn set_body(&mut self, html: String) {
        self.content = html;
    }
}
