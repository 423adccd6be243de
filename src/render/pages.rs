//! From the site model to view structs, one function per kind of page.
//!
//! These read the shared [`Site`] and build only the small values one page
//! needs; nothing here copies the site.

use crate::content::scan::Heading;
use crate::content::{SectionId, SourceText};
use crate::diagnostics::Diagnostic;
use crate::markdown::highlight::Highlighter;
use crate::markdown::{self, MarkdownInput};
use crate::site::{ArticleId, LangId, Site, TaxonomyId};

use super::reads::{read, Part};
use super::shortcodes::{ShortcodePage, TeraShortcodes};
use super::strings::{StringTable, StringTables};
use super::views::*;
use super::Templates;

/// What rendering a body needs from the build: the highlighter and templates.
#[derive(Clone, Copy)]
pub struct Tools<'a> {
    pub highlighter: &'a Highlighter,
    pub templates: &'a Templates,
    /// The strings of every language; a page takes its own language's.
    pub strings: &'a StringTables,
    /// The site view of each language (see [`site_view`]).
    pub site_views: &'a [SiteView],
}

/// Everything a page body is made of besides the session's templates and
/// highlighter. Rendering reads nothing else ([`BodyInput::render`]), so a
/// hash of these fields ([`BodyInput::key`]) is the body's key in the
/// preview server's memory: two bodies with one key are the same HTML.
#[derive(Clone, Copy)]
pub struct BodyInput<'a> {
    pub source: &'a SourceText,
    /// Link destination as written → the URL it becomes.
    pub link_targets: &'a std::collections::HashMap<String, String>,
    /// What shortcode templates see as `page`.
    pub page: &'a ShortcodePage,
    /// The strings of the page's language (alert titles; `strings` in
    /// shortcode templates).
    pub strings: &'a StringTable,
    /// A hash of the site view, which shortcode templates see as `site`.
    pub site_view: u64,
}

impl BodyInput<'_> {
    /// A hash of every field.
    pub fn key(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        self.source.text_hash.hash(&mut hasher);
        self.source.path.hash(&mut hasher);
        let mut targets: Vec<_> = self.link_targets.iter().collect();
        targets.sort_unstable();
        targets.hash(&mut hasher);
        self.page.hash(&mut hasher);
        // The tables themselves are in the site view's hash.
        self.strings.language().hash(&mut hasher);
        self.site_view.hash(&mut hasher);
        hasher.finish()
    }

    /// The body's HTML, shortcodes expanded, and the problems met.
    pub fn render(&self, tools: Tools<'_>) -> (String, Vec<Diagnostic>) {
        let shortcodes = TeraShortcodes {
            templates: tools.templates,
            page: self.page,
            strings: self.strings,
        };
        let (html, problems) = markdown::to_html(
            &MarkdownInput {
                source: self.source,
                link_targets: self.link_targets,
            },
            tools.highlighter,
            &shortcodes,
        );
        // Raw HTML's URLs, resolved by the link checker like Markdown links.
        let html = if self.source.scan.links.iter().any(|link| link.raw_html) {
            super::raw_html::rewrite_urls(&html, self.link_targets)
        } else {
            html
        };
        (html, problems)
    }
}

/// How many articles a section shows on the home page.
const HOME_TOP_ARTICLES: usize = 5;

/// How many top-level sections the header of every page lists.
const NAV_SECTIONS: usize = 8;

/// The site as pages in `language` see it: its title, sections,
/// taxonomies, feed and search page (the default language's is the site's
/// own).
pub fn site_view(site: &Site, language: LangId) -> SiteView {
    let config = &site.config;
    let settings = &site.languages[language];
    let prefix = &settings.config.prefix;
    // In a language other than the default, a section with no article in
    // it yet (only its `_index.de.md`) is left out of the navigation: a
    // reader would find an empty page. Its page is still written.
    let sections: Vec<LinkView> = site.sections[settings.root]
        .children
        .iter()
        .filter(|&&id| language == 0 || !site.sections[id].subtree.is_empty())
        .map(|&id| section_link(site, id))
        .collect();
    SiteView {
        title: settings.config.title.clone(),
        description: settings.config.description.clone(),
        base_url: config.base_url.clone(),
        base_path: site.base_path.clone(),
        home_url: site.url(prefix),
        language: settings.config.code.clone(),
        nav_sections: sections.iter().take(NAV_SECTIONS).cloned().collect(),
        more_sections: sections.len() > NAV_SECTIONS,
        sections,
        taxonomies: site
            .taxonomies
            .iter()
            .filter(|t| t.language == language)
            .map(|t| LinkView {
                title: t.title.clone(),
                url: site.url(&t.path),
            })
            .collect(),
        feed_url: config
            .base_url
            .as_ref()
            .map(|_| site.url(&format!("{prefix}{}", crate::site::generated::FEED))),
        search_url: site
            .options
            .search
            .then(|| site.url(&format!("{prefix}{}", crate::site::SEARCH_PAGE))),
        opensearch_url: crate::output::opensearch::enabled(site)
            .then(|| site.url(&format!("{prefix}{}", crate::site::generated::OPENSEARCH))),
        generator: format!("kbgen {}", env!("CARGO_PKG_VERSION")),
    }
}

fn section_link(site: &Site, id: SectionId) -> LinkView {
    read(Part::SectionLink(id));
    let section = &site.sections[id];
    LinkView {
        title: section.source.title.clone(),
        url: site.url(&section.path),
    }
}

fn home_crumb(site: &Site, language: LangId, strings: &StringTable) -> LinkView {
    LinkView {
        title: strings.get("home").to_string(),
        url: site.url(&site.languages[language].config.prefix),
    }
}

pub fn article_summary(site: &Site, id: ArticleId, strings: &StringTable) -> ArticleSummary {
    let article = &site.articles[id];
    read(Part::ArticleLink(id));
    read(Part::SectionLink(article.source.section));
    let front = &article.source.front;
    ArticleSummary {
        title: front.title.clone(),
        url: site.url(&article.path),
        description: front.description.clone(),
        section: site.sections[article.source.section].source.title.clone(),
        last_updated: article
            .source
            .last_updated()
            .map(|d| DateView::new(d, strings)),
    }
}

/// An article's page view, without its body (`content` is empty; see
/// [`BodyInput`]), so the preview server can compare views cheaply.
pub fn article_view(site: &Site, id: ArticleId, strings: &StringTable) -> ArticleView {
    let article = &site.articles[id];
    read(Part::Article(id));
    let source = &article.source;
    let front = &source.front;
    let toc = table_of_contents(&source.source.scan.headings);
    let category_tax = site.taxonomy_in("category", article.language);
    let tag_tax = site.taxonomy_in("tag", article.language);
    let term_links = |taxonomy: Option<TaxonomyId>| -> Vec<LinkView> {
        article
            .terms
            .iter()
            .filter(|t| Some(t.taxonomy) == taxonomy)
            .map(|t| {
                read(Part::TermLink(t.taxonomy, t.term));
                let term = &site.taxonomies[t.taxonomy].terms[t.term];
                LinkView {
                    title: term.title.clone(),
                    url: site.url(&term.path),
                }
            })
            .collect()
    };
    let mut breadcrumbs: Vec<LinkView> = site
        .ancestry(source.section)
        .into_iter()
        .map(|s| section_link(site, s))
        .collect();
    breadcrumbs[0] = home_crumb(site, article.language, strings);
    // Edit links, the Markdown copy and JSON-LD: render::machines.
    let (edit_url, history_url) = super::machines::forge_links(site, article);
    let from_git = front.updated.is_none();
    let view = ArticleView {
        kind: "article",
        title: front.title.clone(),
        description: front.description.clone(),
        url: site.url(&article.path),
        permalink: site.permalink(&article.path),
        slug: source.slug.clone(),
        source_path: source.source.path.display().to_string(),
        reading_minutes: source.source.words.div_ceil(220).max(1),
        content: String::new(),
        show_toc: front.toc && !toc.is_empty(),
        toc,
        // Front matter's dates, or git's with `dates: git` (content::git_dates).
        date: source.date().map(|d| DateView::new(d, strings)),
        updated: source.updated().map(|d| DateView::new(d, strings)),
        last_updated: source.last_updated().map(|d| DateView::new(d, strings)),
        last_author: (source.history.as_ref())
            .filter(|_| from_git)
            .map(|h| h.last_author.clone()),
        edit_url,
        history_url,
        markdown_url: super::machines::markdown_url(site, article),
        json_ld: None,
        breadcrumbs,
        section: section_link(site, source.section),
        taxonomies: article_taxonomies(site, id),
        category: term_links(category_tax).into_iter().next(),
        tags: term_links(tag_tax),
        related: article
            .related
            .iter()
            .map(|&r| article_summary(site, r, strings))
            .collect(),
        backlinks: article
            .backlinks
            .iter()
            .map(|&b| article_summary(site, b, strings))
            .collect(),
        previous: neighbour(site, id, -1),
        next: neighbour(site, id, 1),
        category_list: category_list(site, id, category_tax),
        extra: front.extra.clone(),
    };
    ArticleView {
        json_ld: super::machines::json_ld(site, article, &view),
        ..view
    }
}

/// What a shortcode template of article `id` sees as `page`.
pub fn article_shortcode_page(site: &Site, id: ArticleId) -> ShortcodePage {
    let article = &site.articles[id];
    read(Part::Article(id));
    read(Part::SectionLink(article.source.section));
    ShortcodePage {
        title: article.source.front.title.clone(),
        url: site.url(&article.path),
        section: site.sections[article.source.section].source.title.clone(),
    }
}

fn article_taxonomies(site: &Site, id: ArticleId) -> Vec<TermGroupView> {
    let article = &site.articles[id];
    site.taxonomies
        .iter()
        .enumerate()
        .filter_map(|(t, taxonomy)| {
            let terms: Vec<LinkView> = article
                .terms
                .iter()
                .filter(|r| r.taxonomy == t)
                .map(|r| {
                    read(Part::TaxonomyLink(t));
                    read(Part::TermLink(t, r.term));
                    let term = &taxonomy.terms[r.term];
                    LinkView {
                        title: term.title.clone(),
                        url: site.url(&term.path),
                    }
                })
                .collect();
            (!terms.is_empty()).then(|| TermGroupView {
                name: taxonomy.name.clone(),
                title: taxonomy.title.clone(),
                terms,
            })
        })
        .collect()
}

/// The article `step` places before (-1) or after (1) this one in its section.
fn neighbour(site: &Site, id: ArticleId, step: isize) -> Option<LinkView> {
    read(Part::Section(site.articles[id].source.section));
    let section = &site.sections[site.articles[id].source.section];
    let other = id.checked_add_signed(step)?;
    section.articles.contains(&other).then(|| {
        read(Part::ArticleLink(other));
        let article = &site.articles[other];
        LinkView {
            title: article.source.front.title.clone(),
            url: site.url(&article.path),
        }
    })
}

/// The h2 and h3 headings, h3s nested under the h2 before them.
fn table_of_contents(headings: &[Heading]) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for heading in headings.iter().filter(|h| h.level == 2 || h.level == 3) {
        let entry = TocEntry {
            level: heading.level,
            id: heading.id.clone(),
            title: heading.text.clone(),
            children: Vec::new(),
        };
        match toc.last_mut() {
            Some(parent) if heading.level == 3 && parent.level == 2 => parent.children.push(entry),
            _ => toc.push(entry),
        }
    }
    toc
}

/// The article's first category as a list, cut to `related.category_limit`
/// entries around the article when longer. An article without a category is
/// grouped by its section (not the home page): the list is the section's own
/// articles.
fn category_list(
    site: &Site,
    id: ArticleId,
    category: Option<TaxonomyId>,
) -> Option<CategoryListView> {
    let term_ref = category.and_then(|category| {
        site.articles[id]
            .terms
            .iter()
            .find(|t| t.taxonomy == category)
    });
    let (title, url, members): (&str, String, Vec<ArticleId>) = match term_ref {
        Some(term_ref) => {
            read(Part::Term(term_ref.taxonomy, term_ref.term));
            let term = &site.taxonomies[term_ref.taxonomy].terms[term_ref.term];
            (&term.title, site.url(&term.path), term.articles.clone())
        }
        None => {
            let section_id = site.articles[id].source.section;
            read(Part::Section(section_id));
            let section = &site.sections[section_id];
            // A home page (of any language) is no category.
            section.source.parent?;
            (
                &section.source.title,
                site.url(&section.path),
                section.articles.clone().collect(),
            )
        }
    };
    let limit = site.config.related.category_limit.max(1);
    let position = members.iter().position(|&a| a == id).unwrap_or(0);
    let start = position
        .saturating_sub(limit / 2)
        .min(members.len().saturating_sub(limit));
    let window = &members[start..(start + limit).min(members.len())];
    Some(CategoryListView {
        title: title.to_string(),
        url,
        total: members.len(),
        truncated: window.len() < members.len(),
        entries: window
            .iter()
            .map(|&a| {
                read(Part::ArticleLink(a));
                read(Part::SectionLink(site.articles[a].source.section));
                let other = &site.articles[a];
                CategoryEntry {
                    title: other.source.front.title.clone(),
                    url: site.url(&other.path),
                    section: site.sections[other.source.section].source.title.clone(),
                    current: a == id,
                }
            })
            .collect(),
    })
}

/// A section's (or the home page's) view, without its intro (`content` is
/// empty; see [`BodyInput`]).
pub fn section_view(site: &Site, id: SectionId, strings: &StringTable) -> SectionView {
    read(Part::Section(id));
    let section = &site.sections[id];
    let is_home = section.source.parent.is_none();
    let language = &site.languages[section.language];
    // From Home down to the parent: the section itself is the page's title.
    let mut breadcrumbs: Vec<LinkView> = site
        .ancestry(id)
        .into_iter()
        .map(|s| section_link(site, s))
        .collect();
    breadcrumbs.pop();
    if let Some(first) = breadcrumbs.first_mut() {
        *first = home_crumb(site, section.language, strings);
    }
    let title = if is_home && section.source.index.is_none() {
        language.config.title.clone()
    } else {
        section.source.title.clone()
    };
    SectionView {
        kind: if is_home { "home" } else { "section" },
        lang: fallback_language(site, id),
        title,
        description: section.source.description.clone().or_else(|| {
            is_home
                .then(|| language.config.description.clone())
                .flatten()
        }),
        url: site.url(&section.path),
        permalink: site.permalink(&section.path),
        content: String::new(),
        breadcrumbs,
        // As in the navigation: in a language other than the default, a
        // sub-section with no article in it yet is not offered.
        subsections: section
            .children
            .iter()
            .filter(|&&child| {
                read(Part::Section(child));
                section.language == 0 || !site.sections[child].subtree.is_empty()
            })
            .map(|&child| section_summary(site, child, strings))
            .collect(),
        articles: section
            .articles
            .clone()
            .map(|a| article_summary(site, a, strings))
            .collect(),
        recent: if is_home {
            read(Part::Recent(section.language));
            language
                .recent
                .iter()
                .map(|&a| article_summary(site, a, strings))
                .collect()
        } else {
            Vec::new()
        },
        extra: section.source.extra.clone(),
    }
}

/// What a shortcode template of section `id`'s intro sees as `page`.
pub fn section_shortcode_page(site: &Site, id: SectionId) -> ShortcodePage {
    read(Part::SectionLink(id));
    let section = &site.sections[id];
    ShortcodePage {
        title: section.source.title.clone(),
        url: site.url(&section.path),
        section: section.source.title.clone(),
    }
}

/// The language of a section's title and description when they are the
/// default language's: a section of another language without its own
/// `_index.<code>.md` takes them from `_index.md` (a home page takes the
/// language's own from kbgen.yaml). None when they are in the section's
/// language, so templates mark only text that fell back.
fn fallback_language(site: &Site, id: SectionId) -> Option<String> {
    let section = &site.sections[id];
    let fell_back =
        section.language != 0 && section.source.index.is_none() && section.source.parent.is_some();
    fell_back.then(|| site.languages[0].config.code.clone())
}

fn section_summary(site: &Site, id: SectionId, strings: &StringTable) -> SectionSummary {
    read(Part::Section(id));
    let section = &site.sections[id];
    SectionSummary {
        lang: fallback_language(site, id),
        title: section.source.title.clone(),
        url: site.url(&section.path),
        description: section.source.description.clone(),
        article_count: section.subtree.len(),
        top_articles: section
            .subtree
            .clone()
            .take(HOME_TOP_ARTICLES)
            .map(|a| article_summary(site, a, strings))
            .collect(),
    }
}

pub fn taxonomy_view(site: &Site, t: TaxonomyId, strings: &StringTable) -> TaxonomyView {
    read(Part::Taxonomy(t));
    let taxonomy = &site.taxonomies[t];
    TaxonomyView {
        kind: "taxonomy",
        name: taxonomy.name.clone(),
        title: taxonomy.title.clone(),
        description: None,
        url: site.url(&taxonomy.path),
        permalink: site.permalink(&taxonomy.path),
        breadcrumbs: vec![home_crumb(site, taxonomy.language, strings)],
        terms: taxonomy
            .terms
            .iter()
            .map(|term| TermSummary {
                title: term.title.clone(),
                url: site.url(&term.path),
                description: term.description.clone(),
                article_count: term.articles.len(),
            })
            .collect(),
    }
}

pub fn term_view(site: &Site, t: TaxonomyId, i: usize, strings: &StringTable) -> TermView {
    read(Part::TaxonomyLink(t));
    read(Part::Term(t, i));
    let taxonomy = &site.taxonomies[t];
    let term = &taxonomy.terms[i];
    let taxonomy_link = LinkView {
        title: taxonomy.title.clone(),
        url: site.url(&taxonomy.path),
    };
    TermView {
        kind: "term",
        title: term.title.clone(),
        description: term.description.clone(),
        url: site.url(&term.path),
        permalink: site.permalink(&term.path),
        breadcrumbs: vec![
            home_crumb(site, taxonomy.language, strings),
            taxonomy_link.clone(),
        ],
        taxonomy: taxonomy_link,
        articles: term
            .articles
            .iter()
            .map(|&a| article_summary(site, a, strings))
            .collect(),
    }
}

pub fn not_found_view(site: &Site, language: LangId, strings: &StringTable) -> NotFoundView {
    let path = format!(
        "{}{}",
        site.languages[language].config.prefix,
        crate::site::generated::NOT_FOUND
    );
    NotFoundView {
        kind: "404",
        title: strings.get("not_found_title").to_string(),
        description: None,
        url: site.url(&path),
        permalink: site.permalink(&path),
        breadcrumbs: vec![home_crumb(site, language, strings)],
    }
}

pub fn search_view(site: &Site, language: LangId, strings: &StringTable) -> SearchView {
    let settings = &site.languages[language].config;
    let path = format!("{}{}", settings.prefix, crate::site::SEARCH_PAGE);
    SearchView {
        kind: "search",
        title: strings.get("search_title").to_string(),
        description: Some(strings.fill("search_description", &[("site", &settings.title)])),
        url: site.url(&path),
        permalink: site.permalink(&path),
        breadcrumbs: vec![home_crumb(site, language, strings)],
    }
}
