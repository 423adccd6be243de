//! The site model: what loading read, arranged into a site.
//!
//! [`build`] takes the loaded [`Content`] and decides every URL, the order of
//! sections and articles, the taxonomy terms, related articles and where each
//! link points. The resulting [`Site`] is read-only: rendering borrows it from
//! many threads at once and never copies it.

mod links;
mod related;
mod taxonomy;
pub mod urls;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::content::{Content, SectionId, SourceArticle, SourceSection};
use crate::diagnostics::Diagnostic;
use urls::{AliasClash, Target, UrlTable};

/// The search page's output path.
pub const SEARCH_PAGE: &str = "search/";

/// Files the output stage writes beside the pages; links may point at them.
pub mod generated {
    pub const HIGHLIGHT_CSS: &str = "highlight.css";
    pub const SITEMAP: &str = "sitemap.xml";
    pub const ROBOTS: &str = "robots.txt";
    pub const FEED: &str = "feed.xml";
    pub const REDIRECTS: &str = "_redirects";
    pub const NOT_FOUND: &str = "404.html";
    pub const ALL: [&str; 6] = [HIGHLIGHT_CSS, SITEMAP, ROBOTS, FEED, REDIRECTS, NOT_FOUND];
}

pub type ArticleId = usize;
pub type TaxonomyId = usize;

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// The path of `base_url`, starting and ending with `/`.
    pub base_path: String,
    /// Indexed by [`SectionId`]; 0 is the home page.
    pub sections: Vec<Section>,
    /// Articles in site order: sections depth-first, each section's own articles
    /// by weight, `NN.` prefix, title, path.
    pub articles: Vec<Article>,
    pub taxonomies: Vec<Taxonomy>,
    pub assets: Vec<Asset>,
    /// The site's `static/` files: output path → file.
    pub static_files: BTreeMap<String, PathBuf>,
    /// Redirect pages for `aliases`, sorted by path.
    pub redirects: Vec<Redirect>,
    pub urls: UrlTable,
    /// The most recently updated articles, newest first.
    pub recent: Vec<ArticleId>,
    pub options: SiteOptions,
}

/// An old URL of an article, kept working by a redirect page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// Output path: `old/path/` (a folder with `index.html`) or `old.html`.
    pub path: String,
    pub article: ArticleId,
}

#[derive(Debug)]
pub struct Section {
    pub source: SourceSection,
    /// Output path (`jira-cloud/`; `` for the home page).
    pub path: String,
    /// Sub-sections in order.
    pub children: Vec<SectionId>,
    /// This section's own articles.
    pub articles: Range<ArticleId>,
    /// The articles of this section and all its sub-sections.
    pub subtree: Range<ArticleId>,
    /// Link destination in `_index.md` → the URL it is rewritten to.
    pub link_targets: HashMap<String, String>,
}

#[derive(Debug)]
pub struct Article {
    pub source: Arc<SourceArticle>,
    /// Output path (`jira-cloud/oauth-401/`).
    pub path: String,
    /// The articles shown as related, explicit ones first.
    pub related: Vec<ArticleId>,
    /// Taxonomy terms, in configuration order then as written.
    pub terms: Vec<TermRef>,
    /// Link destination as written → the URL it is rewritten to.
    pub link_targets: HashMap<String, String>,
    /// Articles that link to this one, in site order.
    pub backlinks: Vec<ArticleId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermRef {
    pub taxonomy: TaxonomyId,
    pub term: usize,
}

#[derive(Debug)]
pub struct Taxonomy {
    /// As in `kbgen.yaml` and front matter (`category`).
    pub name: String,
    pub title: String,
    /// Output path of the index of terms (`category/`).
    pub path: String,
    /// Terms sorted by title.
    pub terms: Vec<Term>,
}

#[derive(Debug)]
pub struct Term {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub path: String,
    /// In site order.
    pub articles: Vec<ArticleId>,
}

#[derive(Debug, Clone)]
pub struct Asset {
    pub file: PathBuf,
    /// Output path (`jira-cloud/img/x.png`).
    pub path: String,
}

impl Site {
    /// The root-relative URL of an output path: the base path added.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }

    /// The absolute URL of an output path, when `base_url` is set.
    pub fn permalink(&self, path: &str) -> Option<String> {
        self.config
            .origin_and_path()
            .map(|origin| format!("{origin}/{path}"))
    }

    pub fn target_path(&self, target: Target) -> &str {
        match target {
            Target::Article(id) => &self.articles[id].path,
            Target::Section(id) => &self.sections[id].path,
            Target::TaxonomyIndex(t) => &self.taxonomies[t].path,
            Target::Term(t, i) => &self.taxonomies[t].terms[i].path,
            Target::SearchPage => SEARCH_PAGE,
        }
    }

    pub fn target_title(&self, target: Target) -> &str {
        match target {
            Target::Article(id) => &self.articles[id].source.front.title,
            Target::Section(id) => &self.sections[id].source.title,
            Target::TaxonomyIndex(t) => &self.taxonomies[t].title,
            Target::Term(t, i) => &self.taxonomies[t].terms[i].title,
            Target::SearchPage => "Search",
        }
    }

    /// The sections from the home page down to `id`, both included.
    pub fn ancestry(&self, id: SectionId) -> Vec<SectionId> {
        let mut chain = vec![id];
        let mut current = id;
        while let Some(parent) = self.sections[current].source.parent {
            chain.push(parent);
            current = parent;
        }
        chain.reverse();
        chain
    }

    pub fn taxonomy(&self, name: &str) -> Option<TaxonomyId> {
        self.taxonomies.iter().position(|t| t.name == name)
    }
}

/// Choices of a build that shape the model beyond `kbgen.yaml`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SiteOptions {
    /// Drafts are in the model (for `check`), but a link from a published
    /// article to one is still an error, as it would 404 in a real build.
    pub links_into_drafts_are_errors: bool,
    /// The site has a search index and a search page.
    pub search: bool,
}

/// Builds the site model. Problems (URL collisions, unknown references) are
/// returned beside it; the model is complete either way.
pub fn build(config: Config, content: Content, options: SiteOptions) -> (Site, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let base_path = config.base_path();
    let Content {
        sections: source_sections,
        articles: source_articles,
        drafts,
        assets: source_assets,
        static_files,
    } = content;

    let (mut sections, depth_first) = arrange_sections(source_sections);
    let articles = order_articles(source_articles, &sections, &depth_first);
    assign_article_ranges(&mut sections, &articles, &depth_first);
    let mut articles: Vec<Article> = articles
        .into_iter()
        .map(|source| Article {
            path: format!("{}{}/", sections[source.section].path, source.slug),
            source,
            related: Vec::new(),
            terms: Vec::new(),
            link_targets: HashMap::new(),
            backlinks: Vec::new(),
        })
        .collect();

    let mut urls = UrlTable::default();
    register_pages(&mut urls, &sections, &articles, &mut problems);
    let taxonomies = taxonomy::build(&config, &sections, &mut articles, &mut urls, &mut problems);
    let assets = place_assets(source_assets, &sections, &articles, &mut urls);
    register_files(&mut urls, &static_files);
    check_file_collisions(
        &urls,
        &sections,
        &articles,
        &assets,
        &static_files,
        &mut problems,
    );
    for draft in &drafts {
        let page = format!("{}{}/", sections[draft.section].path, draft.slug);
        urls.insert_draft(&draft.content_path, &page);
    }
    if options.search {
        if let Err(existing) = urls.insert_page(SEARCH_PAGE, Target::SearchPage) {
            problems.push(collision(
                std::path::Path::new(crate::config::CONFIG_FILE),
                SEARCH_PAGE,
                existing,
                &sections,
                &articles,
            ));
        }
    }
    let redirects = register_aliases(&mut urls, &articles, &base_path, &mut problems);
    let recent = most_recent(&articles, 10);

    let mut site = Site {
        config,
        base_path,
        sections,
        articles,
        taxonomies,
        assets,
        static_files,
        redirects,
        urls,
        recent,
        options,
    };
    links::resolve_all(&mut site, &mut problems);
    related::assign(&mut site, &mut problems);
    (site, problems)
}

/// Sets each section's output path and orders sub-sections; returns the
/// sections and their depth-first order.
fn arrange_sections(sources: Vec<SourceSection>) -> (Vec<Section>, Vec<SectionId>) {
    let mut sections: Vec<Section> = Vec::with_capacity(sources.len());
    for source in sources {
        let path = match source.parent {
            None => String::new(),
            Some(parent) => format!("{}{}/", sections[parent].path, source.slug),
        };
        sections.push(Section {
            source,
            path,
            children: Vec::new(),
            articles: 0..0,
            subtree: 0..0,
            link_targets: HashMap::new(),
        });
    }
    for id in 1..sections.len() {
        if let Some(parent) = sections[id].source.parent {
            sections[parent].children.push(id);
        }
    }
    let keys: Vec<SortKey> = sections
        .iter()
        .map(|s| {
            SortKey::new(
                s.source.weight,
                s.source.order,
                &s.source.title,
                &s.source.content_path,
            )
        })
        .collect();
    for section in &mut sections {
        section.children.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
    }
    let mut depth_first = Vec::with_capacity(sections.len());
    let mut stack = vec![0];
    while let Some(id) = stack.pop() {
        depth_first.push(id);
        stack.extend(sections[id].children.iter().rev());
    }
    (sections, depth_first)
}

/// The order of siblings everywhere: weight, then `NN.` prefix, then title, then path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    weight: (bool, i64),
    order: (bool, u32),
    title: String,
    path: String,
}

impl SortKey {
    pub fn new(weight: Option<i64>, order: Option<u32>, title: &str, path: &str) -> Self {
        SortKey {
            weight: (weight.is_none(), weight.unwrap_or(0)),
            order: (order.is_none(), order.unwrap_or(0)),
            title: title.to_lowercase(),
            path: path.to_string(),
        }
    }
}

fn order_articles(
    mut articles: Vec<Arc<SourceArticle>>,
    sections: &[Section],
    depth_first: &[SectionId],
) -> Vec<Arc<SourceArticle>> {
    let mut position = vec![0; sections.len()];
    for (i, id) in depth_first.iter().enumerate() {
        position[*id] = i;
    }
    articles.sort_by_cached_key(|a| {
        (
            position[a.section],
            SortKey::new(a.front.weight, a.order, &a.front.title, &a.content_path),
        )
    });
    articles
}

fn assign_article_ranges(
    sections: &mut [Section],
    articles: &[Arc<SourceArticle>],
    depth_first: &[SectionId],
) {
    let mut start = 0;
    for &id in depth_first {
        let count = articles[start..]
            .iter()
            .take_while(|a| a.section == id)
            .count();
        sections[id].articles = start..start + count;
        start += count;
    }
    // A subtree ends where the last article of its last descendant ends.
    for &id in depth_first.iter().rev() {
        let own = sections[id].articles.clone();
        let end = sections[id]
            .children
            .iter()
            .map(|c| sections[*c].subtree.end)
            .max()
            .unwrap_or(own.end)
            .max(own.end);
        sections[id].subtree = own.start..end;
    }
}

fn register_pages(
    urls: &mut UrlTable,
    sections: &[Section],
    articles: &[Article],
    problems: &mut Vec<Diagnostic>,
) {
    for (id, section) in sections.iter().enumerate() {
        let index = if section.source.content_path.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", section.source.content_path)
        };
        urls.insert_content_path(&index, Target::Section(id));
        if let Err(existing) = urls.insert_page(&section.path, Target::Section(id)) {
            problems.push(collision(
                &section_file(section),
                &section.path,
                existing,
                sections,
                articles,
            ));
        }
    }
    for (id, article) in articles.iter().enumerate() {
        urls.insert_content_path(&article.source.content_path, Target::Article(id));
        if let Err(existing) = urls.insert_page(&article.path, Target::Article(id)) {
            problems.push(collision(
                &article.source.source.path,
                &article.path,
                existing,
                sections,
                articles,
            ));
        }
    }
}

fn section_file(section: &Section) -> PathBuf {
    match &section.source.index {
        Some(index) => index.path.clone(),
        None => PathBuf::from("content").join(&section.source.content_path),
    }
}

fn collision(
    file: &std::path::Path,
    path: &str,
    existing: Target,
    sections: &[Section],
    articles: &[Article],
) -> Diagnostic {
    let other = match existing {
        Target::Article(id) => articles[id].source.source.path.display().to_string(),
        Target::Section(id) => section_file(&sections[id]).display().to_string(),
        Target::TaxonomyIndex(_) | Target::Term(..) => "a taxonomy page".to_string(),
        Target::SearchPage => "the search page".to_string(),
    };
    Diagnostic::error(
        "url-collision",
        file,
        format!("this page and {other} both want the URL /{path}"),
    )
    .with_help("rename one of the files or give one a different `slug`")
}

/// Decides where each asset is copied: beside its page bundle, or under the
/// output path of the section whose folder holds it.
fn place_assets(
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

/// The folder part of a content path (`a/b.md` → `a`).
pub fn parent_dir(content_path: &str) -> &str {
    content_path.rfind('/').map_or("", |i| &content_path[..i])
}

/// The `limit` articles updated (or written) last, newest first; undated
/// articles are left out.
pub fn most_recent(articles: &[Article], limit: usize) -> Vec<ArticleId> {
    let mut dated: Vec<(jiff::Timestamp, ArticleId)> = articles
        .iter()
        .enumerate()
        .filter_map(|(id, a)| {
            let front = &a.source.front;
            front
                .updated
                .as_ref()
                .or(front.date.as_ref())
                .map(|d| (d.instant, id))
        })
        .collect();
    dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    dated.into_iter().take(limit).map(|(_, id)| id).collect()
}

/// Static files (the theme's and the site's) and generated files, so links to
/// them can be checked.
fn register_files(urls: &mut UrlTable, static_files: &BTreeMap<String, PathBuf>) {
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
fn check_file_collisions(
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
fn register_aliases(
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
    let after_key = front_matter.find(&format!("{key}:")).unwrap_or(0);
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
