//! The site model: what loading read, arranged into a site.
//!
//! [`build`] takes the loaded [`Content`] and decides every URL, the order of
//! sections and articles, the taxonomy terms, related articles and where each
//! link points. The resulting [`Site`] is read-only: rendering borrows it from
//! many threads at once and never copies it.

mod alternates;
mod files;
mod links;
mod order;
mod outputs;
mod refresh;
mod related;
mod taxonomy;
pub mod translation_status;
pub mod translations;
pub mod urls;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::content::{Content, SectionId, SourceArticle, SourceSection};
use crate::diagnostics::Diagnostic;
use urls::{Target, UrlTable};

pub use alternates::Alternates;
pub(crate) use files::{alias_path, front_matter_entry};
pub use order::SortKey;
pub use translations::{LangId, SiteLanguage};

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
    /// For language models and browsers (`output::llms`, `output::opensearch`).
    pub const LLMS_TXT: &str = "llms.txt";
    pub const LLMS_FULL_TXT: &str = "llms-full.txt";
    pub const OPENSEARCH: &str = "opensearch.xml";
    /// The mark of a folder kbgen wrote (see `output::folder`).
    pub const OUTPUT_MARKER: &str = ".kbgen-output";
    pub const ALL: [&str; 10] = [
        HIGHLIGHT_CSS,
        SITEMAP,
        ROBOTS,
        FEED,
        REDIRECTS,
        NOT_FOUND,
        OUTPUT_MARKER,
        LLMS_TXT,
        LLMS_FULL_TXT,
        OPENSEARCH,
    ];
    /// The folder of the search index (`output::search::SEARCH_DIR`), when the
    /// site has search.
    pub const SEARCH_INDEX_DIR: &str = "pagefind/";
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
    /// The most recently updated articles of the default language, newest
    /// first.
    pub recent: Vec<ArticleId>,
    /// The site's languages, the default first (one for a site in one
    /// language); see [`translations`].
    pub languages: Vec<SiteLanguage>,
    pub options: SiteOptions,
    /// The snippets pages include (kept for `kbgen mv`, which rewrites the
    /// links in them too).
    pub snippets: crate::content::snippets::Snippets,
}

/// What the preview server keeps of the model between builds: the last model
/// itself, reused whole when an edit changed nothing it is made of, and each
/// article's checked links and related list, reused where their inputs are
/// unchanged (see [`ModelMemory::update`]). Made anew when the configuration
/// changes.
#[derive(Default)]
pub struct ModelMemory {
    links: links::LinkMemory,
    related: related::RelatedMemory,
    kept: Option<refresh::Kept>,
    /// Counts the models built anew: a model reused whole keeps its number.
    generation: u64,
    /// Counts the models built anew, and only those (see [`Model::frame`]).
    frames: u64,
}

impl ModelMemory {
    /// The model of `content`, with its problems: the last one with the new
    /// texts swapped in when only what the model does not read changed (the
    /// body of an article, say), else built anew with what this memory kept
    /// of each article. Either way it is the model [`build`] would make.
    pub fn update(&mut self, config: Config, content: Content, options: SiteOptions) -> Model<'_> {
        let kept = match self.kept.take() {
            Some(kept) => match refresh::refresh(kept, content, options, self) {
                Ok(kept) => &*self.kept.insert(kept),
                Err(content) => self.rebuild(config, *content, options),
            },
            None => self.rebuild(config, content, options),
        };
        Model {
            site: &kept.site,
            problems: kept.problems.clone(),
            generation: kept.generation,
            frame: kept.frame,
        }
    }

    fn rebuild(
        &mut self,
        config: Config,
        content: Content,
        options: SiteOptions,
    ) -> &refresh::Kept {
        self.generation += 1;
        self.frames += 1;
        let drafts = content.drafts.clone();
        let built = build_with(config, content, options, Some(self));
        self.kept.insert(refresh::Kept {
            site: built.site,
            drafts,
            problems: built.problems,
            taxonomy_problems: built.taxonomy_problems,
            generation: self.generation,
            frame: self.frames,
            content_order: Vec::new(),
        })
    }
}

/// A model as [`ModelMemory::update`] gives it.
pub struct Model<'a> {
    pub site: &'a Site,
    pub problems: Vec<Diagnostic>,
    /// Counts the models built anew: the same number while a model is reused
    /// whole, so what was made from the model alone can be kept by it.
    pub generation: u64,
    /// Counts the models built anew, and only those: a model with articles
    /// swapped in keeps its frame, and so its pages (the same pages at the
    /// same output paths, by the same [`ArticleId`]s), which lets a render
    /// look at only the pages whose inputs changed.
    pub frame: u64,
}

/// An old URL of an article, kept working by a redirect page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// Output path: `old/path/` (a folder with `index.html`) or `old.html`.
    pub path: String,
    pub article: ArticleId,
}

impl Redirect {
    /// The file the redirect page is written to.
    pub fn file(&self) -> String {
        if self.path.is_empty() || self.path.ends_with('/') {
            format!("{}index.html", self.path)
        } else {
            self.path.clone()
        }
    }
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
    pub link_targets: Arc<HashMap<String, String>>,
    pub language: LangId,
    /// The same section in each language (empty in a one-language site).
    pub translations: Vec<Option<SectionId>>,
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
    pub link_targets: Arc<HashMap<String, String>>,
    /// Articles that link to this one, in site order, in its language.
    pub backlinks: Vec<ArticleId>,
    pub language: LangId,
    /// The same article in each language, itself included (empty in a
    /// one-language site).
    pub translations: Vec<Option<ArticleId>>,
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
    /// Each language has its own taxonomies, over its own articles.
    pub language: LangId,
}

#[derive(Debug)]
pub struct Term {
    pub slug: String,
    /// The term as the first article wrote it (`C#`), for messages.
    pub written: String,
    pub title: String,
    pub description: Option<String>,
    pub path: String,
    /// In site order.
    pub articles: Vec<ArticleId>,
}

#[derive(Debug, Clone)]
pub struct Asset {
    pub file: PathBuf,
    /// Path under `content/` with `/` separators.
    pub content_path: String,
    /// Output path (`jira-cloud/img/x.png`).
    pub path: String,
}

impl Asset {
    /// The asset's file as diagnostics show it: `content/a/img/x.png`.
    pub fn shown(&self) -> PathBuf {
        PathBuf::from("content").join(&self.content_path)
    }
}

/// What a path segment must have percent-encoded to be part of a URL
/// path: what would end it (`?`, `#`), start an escape (`%`), or break it in
/// HTML, a `srcset` or a `_redirects` line (space, `"`, `<`, `>`, `` ` ``,
/// braces, controls) — the WHATWG URL standard's path percent-encode set,
/// plus `%`. Redirect lines and forge links use it as it is.
pub const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
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

/// [`PATH_SEGMENT`] and `'`, for output paths written into pages, where a
/// URL may stand in a single-quoted attribute.
const URL_PATH: &percent_encoding::AsciiSet = &PATH_SEGMENT.add(b'\'');

/// An output path (a file name as written on disk: `img/a b.png`) as a URL
/// path (`img/a%20b.png`).
fn url_path(path: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::utf8_percent_encode(path, URL_PATH).into()
}

impl Site {
    /// The root-relative URL of an output path: the base path added, and the
    /// characters a URL path cannot hold percent-encoded (`c#.png` →
    /// `c%23.png`), so the browser asks for the file that was checked.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, url_path(path))
    }

    /// The absolute URL of an output path, when `base_url` is set.
    pub fn permalink(&self, path: &str) -> Option<String> {
        self.config
            .origin_and_path()
            .map(|origin| format!("{origin}/{}", url_path(path)))
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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
    let built = build_with(config, content, options, None);
    (built.site, built.problems)
}

/// A model as [`build_with`] makes it: the site, every problem, and among
/// them those of its taxonomies (which the preview server may make again
/// alone, see `refresh`).
struct Built {
    site: Site,
    problems: Vec<Diagnostic>,
    taxonomy_problems: Vec<Diagnostic>,
}

/// [`build`], reusing what `memory` kept of each article (checked links,
/// related lists) where its inputs are unchanged, and refreshing it.
fn build_with(
    config: Config,
    content: Content,
    options: SiteOptions,
    memory: Option<&mut ModelMemory>,
) -> Built {
    let mut problems = Vec::new();
    let base_path = config.base_path();
    let Content {
        sections: source_sections,
        articles: source_articles,
        drafts,
        assets: source_assets,
        static_files,
        snippets,
    } = content;

    let site_languages = config.site_languages();
    let lang_of =
        |code: &Option<String>| translations::language_id(&site_languages, code.as_deref());
    let (mut sections, depth_first) = order::arrange_sections(source_sections);
    for section in &mut sections {
        section.language = lang_of(&section.source.language);
    }
    let articles = order::order_articles(source_articles, &sections, &depth_first);
    order::assign_article_ranges(&mut sections, &articles, &depth_first);
    let mut articles: Vec<Article> = articles
        .into_iter()
        .map(|source| Article {
            path: format!("{}{}/", sections[source.section].path, source.slug),
            language: lang_of(&source.language),
            source,
            related: Vec::new(),
            terms: Vec::new(),
            link_targets: Default::default(),
            backlinks: Vec::new(),
            translations: Vec::new(),
        })
        .collect();
    translations::link_translations(&mut sections, &mut articles, site_languages.len());

    let mut urls = UrlTable::default();
    register_pages(&mut urls, &sections, &articles, &mut problems);
    let mut taxonomy_problems = Vec::new();
    let taxonomies = taxonomy::build(
        &config,
        &site_languages,
        &sections,
        &mut articles,
        &mut urls,
        &mut taxonomy_problems,
    );
    problems.extend(taxonomy_problems.iter().cloned());
    let assets = files::place_assets(source_assets, &sections, &articles, &mut urls);
    files::register_files(&mut urls, &static_files);
    for draft in &drafts {
        let page = format!("{}{}/", sections[draft.section].path, draft.slug);
        urls.insert_draft(&draft.content_path, &page);
    }
    // Reserved whenever kbgen.yaml asks for search, whether or not this run
    // builds the index, so `check` reports what `build` would; the error is
    // at the file that claims the URL, since the search page has no file.
    // Each language has its search page (`/de/search/`).
    if config.search.enabled {
        for language in &site_languages {
            let path = format!("{}{SEARCH_PAGE}", language.prefix);
            if let Err(existing) = urls.insert_page(&path, Target::SearchPage) {
                problems.push(search_page_taken(&path, existing, &sections, &articles));
            }
        }
    }
    let claimants = outputs::Claimants {
        sections: &sections,
        articles: &articles,
        assets: &assets,
        static_files: &static_files,
        // Reserved whenever the configuration asks for search, so `check`
        // (which builds no index) finds what `build` would.
        search: config.search.enabled,
        kept: &config.output.keep,
    };
    let mut outputs = claimants.claim_files(&urls.sorted_pages(), &mut problems);
    let redirects = files::register_aliases(
        &mut urls,
        &mut outputs,
        &claimants,
        &base_path,
        &mut problems,
    );
    let languages: Vec<SiteLanguage> = (site_languages.into_iter().enumerate())
        .map(|(id, config)| SiteLanguage {
            root: (sections.iter())
                .position(|s| s.language == id && s.source.parent.is_none())
                .unwrap_or(0),
            recent: most_recent_in(&articles, id, RECENT_ARTICLES),
            config,
        })
        .collect();
    let recent = languages[0].recent.clone();

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
        languages,
        options,
        snippets,
    };
    match memory {
        Some(memory) => {
            links::resolve_all(&mut site, &mut problems, Some(&mut memory.links));
            let world = memory.links.world();
            related::assign(&mut site, &mut problems, Some((&mut memory.related, world)));
        }
        None => {
            links::resolve_all(&mut site, &mut problems, None);
            related::assign(&mut site, &mut problems, None);
        }
    }
    problems.extend(translation_status::problems(&site));
    Built {
        site,
        problems,
        taxonomy_problems,
    }
}

pub(super) fn register_pages(
    urls: &mut UrlTable,
    sections: &[Section],
    articles: &[Article],
    problems: &mut Vec<Diagnostic>,
) {
    for (id, section) in sections.iter().enumerate() {
        let index = section_index_path(section);
        urls.insert_content_path(&index, Target::Section(id));
        if let Err(existing) = urls.insert_page(&section.path, Target::Section(id)) {
            problems.push(collision(
                &section.path,
                existing,
                sections,
                articles,
                Target::Section(id),
            ));
        }
    }
    for (id, article) in articles.iter().enumerate() {
        urls.insert_content_path(&article.source.content_path, Target::Article(id));
        // `x.en.md` in the default language is the page `x.md`: links
        // written to `x.md` reach it.
        if article.language == 0 && article.source.page_path != article.source.content_path {
            urls.insert_content_path(&article.source.page_path, Target::Article(id));
        }
        if let Err(existing) = urls.insert_page(&article.path, Target::Article(id)) {
            problems.push(collision(
                &article.path,
                existing,
                sections,
                articles,
                Target::Article(id),
            ));
        }
    }
}

/// The content path of a section's index: `a/_index.md`, `a/_index.de.md`
/// for a section of another language, whether or not the file exists.
pub fn section_index_path(section: &Section) -> String {
    let name = match &section.source.language {
        Some(code) => format!("_index.{code}.md"),
        None => "_index.md".to_string(),
    };
    if section.source.content_path.is_empty() {
        name
    } else {
        format!("{}/{name}", section.source.content_path)
    }
}

fn section_file(section: &Section) -> PathBuf {
    match &section.source.index {
        Some(index) => index.path.clone(),
        None => PathBuf::from("content").join(&section.source.content_path),
    }
}

/// A section or article at the URL of the built-in search page.
fn search_page_taken(
    path: &str,
    existing: Target,
    sections: &[Section],
    articles: &[Article],
) -> Diagnostic {
    let file = match existing {
        Target::Article(id) => articles[id].source.source.path.clone(),
        Target::Section(id) => section_file(&sections[id]),
        _ => PathBuf::from(crate::config::CONFIG_FILE),
    };
    Diagnostic::error(
        "url-collision",
        file,
        format!("this page and the built-in search page both want the URL /{path}"),
    )
    .with_help("rename the folder or set its `slug:`, or turn search off with `search: false` in kbgen.yaml")
}

/// Two pages that want one URL: reported at the one with a file of its own
/// (a generated page, such as a language's home page, has none to change),
/// at its `slug:` when that is what gives the URL, naming each side by what
/// it is, with the fix that fits it.
fn collision(
    path: &str,
    existing: Target,
    sections: &[Section],
    articles: &[Article],
    new: Target,
) -> Diagnostic {
    let (here, other) = match (
        page_source(new, sections, articles),
        page_source(existing, sections, articles),
    ) {
        (None, Some(_)) => (existing, new),
        _ => (new, existing),
    };
    let text = page_source(here, sections, articles);
    let file = match here {
        Target::Article(id) => articles[id].source.source.path.clone(),
        Target::Section(id) => section_file(&sections[id]),
        _ => PathBuf::from(crate::config::CONFIG_FILE),
    };
    let slug_at = text.and_then(|t| {
        crate::content::front_matter::key_offset(&t.text, t.body_start, "slug").map(|o| (t, o))
    });
    let fix = match (here, slug_at.is_some()) {
        (_, true) => "the URL comes from the `slug:` here: change it".to_string(),
        (Target::Article(_), false) => {
            "rename the file, or set `slug:` in its front matter".to_string()
        }
        (Target::Section(_), false) => {
            let a_language_home =
                matches!(other, Target::Section(o) if sections[o].source.parent.is_none());
            let fix = if a_language_home {
                "a language's pages live under /<code>/, so a folder at the top of content/ may not be named like one: rename the folder, or set `slug:` in its _index.md"
            } else {
                "rename the folder, or set `slug:` in its _index.md"
            };
            fix.to_string()
        }
        _ => "rename one of the two".to_string(),
    };
    let diagnostic = Diagnostic::error(
        "url-collision",
        file,
        format!(
            "{} and {} both want the URL /{path}",
            describe(here, sections, articles),
            describe(other, sections, articles)
        ),
    )
    .with_help(fix);
    match slug_at {
        Some((text, offset)) => diagnostic.at_offset(&text.text, offset),
        None => diagnostic,
    }
}

/// The file a page is read from, when it has one.
fn page_source<'a>(
    target: Target,
    sections: &'a [Section],
    articles: &'a [Article],
) -> Option<&'a crate::content::SourceText> {
    match target {
        Target::Article(id) => Some(&articles[id].source.source),
        Target::Section(id) => sections[id].source.index.as_deref(),
        _ => None,
    }
}

/// A page as a message names it: `the article content/a/x.md`, `the
/// section page content/a/_index.de.md`, `the section folder content/a/`,
/// `the home page of `ar``.
fn describe(target: Target, sections: &[Section], articles: &[Article]) -> String {
    match target {
        Target::Article(id) => format!("the article {}", articles[id].source.source.path.display()),
        Target::Section(id) => {
            let section = &sections[id];
            match (
                &section.source.index,
                section.source.parent,
                &section.source.language,
            ) {
                (Some(index), None, _) => format!("the home page {}", index.path.display()),
                (None, None, Some(code)) => format!("the home page of `{code}`"),
                (None, None, None) => "the home page".to_string(),
                (Some(index), Some(_), _) => format!("the section page {}", index.path.display()),
                (None, Some(_), _) => format!(
                    "the section folder content/{}/",
                    section.source.content_path
                ),
            }
        }
        Target::TaxonomyIndex(_) | Target::Term(..) => "a taxonomy page".to_string(),
        Target::SearchPage => "the search page".to_string(),
    }
}

/// The folder part of a content path (`a/b.md` → `a`).
pub fn parent_dir(content_path: &str) -> &str {
    content_path.rfind('/').map_or("", |i| &content_path[..i])
}

/// How many articles the home page's recent list holds.
pub(crate) const RECENT_ARTICLES: usize = 10;

/// The `limit` articles updated (or written) last, newest first; undated
/// articles are left out.
pub fn most_recent(articles: &[Article], limit: usize) -> Vec<ArticleId> {
    most_recent_in(articles, 0, limit)
}

/// [`most_recent`] of the articles in `language`.
pub fn most_recent_in(articles: &[Article], language: LangId, limit: usize) -> Vec<ArticleId> {
    let mut dated: Vec<(jiff::Timestamp, ArticleId)> = articles
        .iter()
        .enumerate()
        .filter(|(_, a)| a.language == language)
        // Front matter's dates, or git's with `dates: git` (content::git_dates).
        .filter_map(|(id, a)| a.source.last_updated().map(|d| (d.instant, id)))
        .collect();
    dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    dated.into_iter().take(limit).map(|(_, id)| id).collect()
}
