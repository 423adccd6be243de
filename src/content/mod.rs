//! Loading: the first stage after the configuration.
//!
//! It walks `content/`, reads every Markdown file, splits and parses its front
//! matter and scans its body once, and returns plain values ([`Content`]): no URL
//! is decided here and nothing is rendered. Files are read and parsed in parallel;
//! the result keeps the sorted walk order.

mod cache;
pub mod front_matter;
pub mod git_dates;
pub mod git_history;
pub mod layout;
pub mod memo;
pub mod naming;
mod raw_html;
pub mod scan;
pub mod shortcodes;
pub mod title;
pub mod walk;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
pub use cache::FileCache;
use front_matter::{FrontMatter, Kind};
use scan::Scan;

/// Index of a section in [`Content::sections`]; the root section is 0.
pub type SectionId = usize;

/// Everything the loader read from `content/`.
#[derive(Debug, Default, Clone)]
pub struct Content {
    pub sections: Vec<SourceSection>,
    /// Shared, so a preview server can rebuild the site model from mostly
    /// unchanged content without copying it.
    pub articles: Vec<Arc<SourceArticle>>,
    /// Articles marked `draft: true` that this build leaves out: links to them
    /// are errors, since they would 404.
    pub drafts: Vec<Arc<SourceArticle>>,
    pub assets: Vec<SourceAsset>,
    /// The site's `static/` folder: output path → file.
    pub static_files: std::collections::BTreeMap<String, PathBuf>,
}

/// A folder of `content/`, with its optional `_index.md`.
#[derive(Debug, Clone)]
pub struct SourceSection {
    /// Path under `content/` with `/` separators; `""` for the root.
    pub content_path: String,
    pub parent: Option<SectionId>,
    pub slug: String,
    pub order: Option<u32>,
    pub title: String,
    pub description: Option<String>,
    pub weight: Option<i64>,
    /// `_index.md`, when there is one.
    pub index: Option<Arc<SourceText>>,
    pub extra: std::collections::BTreeMap<String, serde_yaml::Value>,
}

/// The text of a Markdown file, normalized, with where its body starts: after
/// the front matter, and after the `# H1` its title was taken from, if any.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Path as shown to the user (site root joined with `content/...`).
    pub path: PathBuf,
    /// The file's text without BOM and with `\n` line ends.
    pub text: String,
    pub body_start: usize,
    pub scan: Scan,
    /// A hash of `text`, for caches that must notice any change.
    pub text_hash: u64,
    /// Words in the body (for the reading time), counted once at load.
    pub words: usize,
}

impl SourceText {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// One article, as read.
#[derive(Debug, Clone)]
pub struct SourceArticle {
    pub source: Arc<SourceText>,
    /// Path under `content/` with `/` separators (`jira-cloud/oauth-401.md`).
    pub content_path: String,
    pub section: SectionId,
    pub slug: String,
    pub order: Option<u32>,
    pub front: FrontMatter,
    /// For a page bundle (`x/index.md`), its folder under `content/`.
    pub bundle_dir: Option<String>,
    /// What git says of the file, with `dates: git` (see [`git_dates`]).
    pub history: Option<Arc<git_history::FileHistory>>,
}

impl SourceArticle {
    /// When the article was written: front matter `date`, else the commit
    /// that added the file (`dates: git`).
    pub fn date(&self) -> Option<&front_matter::Date> {
        let from_git = self.history.as_ref().map(|h| &h.created);
        self.front.date.as_ref().or(from_git)
    }

    /// When the article last changed: front matter `updated`, else the last
    /// commit that changed the file (`dates: git`).
    pub fn updated(&self) -> Option<&front_matter::Date> {
        let from_git = self.history.as_ref().map(|h| &h.updated);
        self.front.updated.as_ref().or(from_git)
    }

    /// [`SourceArticle::updated`], else [`SourceArticle::date`].
    pub fn last_updated(&self) -> Option<&front_matter::Date> {
        self.updated().or(self.date())
    }
}

/// A file that is copied to the output next to the pages that use it.
#[derive(Debug, Clone)]
pub struct SourceAsset {
    /// Path under `content/` with `/` separators.
    pub content_path: String,
    /// Where to read it.
    pub file: PathBuf,
}

/// Options of a load that do not come from `kbgen.yaml`.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    pub drafts: bool,
}

type Loaded = (Option<(Arc<SourceText>, FrontMatter)>, Vec<Diagnostic>);

/// Loads `content/` under `root`. Diagnostics are returned beside whatever could
/// be loaded, so one run reports every broken file. A file whose front matter
/// has errors is loaded all the same, marked [`FrontMatter::invalid`]: the rest
/// of the site is checked against it as it stands, and links to it resolve.
pub fn load(root: &Path, options: LoadOptions) -> (Content, Vec<Diagnostic>) {
    load_cached(root, options, &mut FileCache::default())
}

/// [`load`], reusing the files `cache` holds unchanged, and refreshing it.
pub fn load_cached(
    root: &Path,
    options: LoadOptions,
    cache: &mut FileCache,
) -> (Content, Vec<Diagnostic>) {
    let content_dir = root.join("content");
    let display_root = Path::new("content");
    let (listing, mut problems, same_listing) = cache.listing(&content_dir, display_root);
    let mut sections = build_sections(&listing);

    let read = |files: &[String], kind: Kind| -> Vec<cache::Read> {
        let cache = &*cache;
        files
            .par_iter()
            .map(|file| cache.read(&content_dir, display_root, file, kind))
            .collect()
    };
    let section_reads = read(&listing.section_files, Kind::Section);
    let article_reads = read(&listing.article_files, Kind::Article);
    if !same_listing {
        cache.keep_only(&listing);
        cache.articles.clear();
    }
    cache.changed.clear();

    for (file, read) in listing.section_files.iter().zip(section_reads) {
        let (loaded, mut found) = cache.take(file, read);
        problems.append(&mut found);
        if let Some((source, front)) = loaded {
            let id = section_id_of(&sections, walk::parent_of(file));
            apply_section_index(&mut sections[id], source, front);
        }
    }
    problems.extend(check_section_slugs(&mut sections, display_root));

    let mut articles = Vec::new();
    let mut drafts = Vec::new();
    let mut made = HashMap::with_capacity(listing.article_files.len());
    for (file, read) in listing.article_files.iter().zip(article_reads) {
        // An unchanged file in an unchanged folder makes the same article.
        let kept = match read {
            cache::Read::Unchanged => cache.articles.get(file).cloned(),
            cache::Read::Fresh(..) => None,
        };
        let article = match kept {
            Some(article) => {
                if !article.front.draft || options.drafts {
                    problems.extend(cache.problems(file));
                }
                article
            }
            None => {
                let (loaded, mut found) = cache.take(file, read);
                let Some((source, front)) = loaded else {
                    problems.append(&mut found);
                    continue;
                };
                if !front.draft || options.drafts {
                    problems.append(&mut found);
                }
                let article = make_article(&sections, &listing, file, source, front);
                if !article.front.draft || options.drafts {
                    if let Some(problem) = file_slug_problem(&article.slug, "file", file) {
                        problems.push(Diagnostic::error("path", display_root.join(file), problem));
                        continue;
                    }
                }
                Arc::new(article)
            }
        };
        made.insert(file.clone(), Arc::clone(&article));
        if article.front.draft && !options.drafts {
            drafts.push(article);
        } else {
            articles.push(article);
        }
    }
    cache.articles = made;

    let static_files = walk::walk_static(root, &mut problems);
    let assets = listing
        .asset_files
        .iter()
        .map(|file| SourceAsset {
            content_path: file.clone(),
            file: content_dir.join(file),
        })
        .collect();
    (
        Content {
            sections,
            articles,
            drafts,
            assets,
            static_files,
        },
        problems,
    )
}

/// A folder whose name has no letters or digits gives no slug; it is reported
/// and given a placeholder slug so its pages stay inside the output.
fn check_section_slugs(sections: &mut [SourceSection], display_root: &Path) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (id, section) in sections.iter_mut().enumerate().skip(1) {
        let problem = file_slug_problem(&section.slug, "folder", &section.content_path);
        if let Some(problem) = problem {
            let path = display_root.join(&section.content_path);
            problems.push(Diagnostic::error("path", path, problem));
            section.slug = format!("section-{id}");
        }
    }
    problems
}

/// Why the slug a file or folder name gave cannot be used: empty, or too long
/// for a folder name (a name in another script can transliterate to more bytes).
fn file_slug_problem(slug: &str, kind: &str, file: &str) -> Option<String> {
    let name = file.rsplit('/').next().unwrap_or(file);
    let set_slug = if kind == "file" {
        "set `slug`"
    } else {
        "set `slug` in its _index.md"
    };
    if slug.is_empty() {
        Some(format!(
            "the {kind} name `{name}` gives an empty URL slug: rename the {kind} or {set_slug}"
        ))
    } else if slug.len() > front_matter::MAX_SLUG_BYTES {
        Some(format!(
            "the {kind} name gives a URL slug of {} bytes, more than {}: rename the {kind} or {set_slug}",
            slug.len(),
            front_matter::MAX_SLUG_BYTES
        ))
    } else {
        None
    }
}

fn build_sections(listing: &walk::Listing) -> Vec<SourceSection> {
    let mut sections: Vec<SourceSection> = Vec::with_capacity(listing.section_dirs.len());
    for dir in &listing.section_dirs {
        let name = dir.rsplit('/').next().unwrap_or_default();
        let (order, name) = naming::split_order_prefix(name);
        let parent = (!dir.is_empty()).then(|| section_id_of(&sections, walk::parent_of(dir)));
        sections.push(SourceSection {
            content_path: dir.clone(),
            parent,
            slug: naming::slugify(name),
            order,
            title: naming::title_from_name(name),
            description: None,
            weight: None,
            index: None,
            extra: Default::default(),
        });
    }
    sections
}

/// The section of a folder; folders that are not sections (asset folders) belong
/// to the nearest enclosing section.
pub fn section_id_of(sections: &[SourceSection], mut dir: &str) -> SectionId {
    loop {
        if let Some(id) = sections.iter().position(|s| s.content_path == dir) {
            return id;
        }
        if dir.is_empty() {
            return 0;
        }
        dir = walk::parent_of(dir);
    }
}

fn apply_section_index(section: &mut SourceSection, source: Arc<SourceText>, front: FrontMatter) {
    if !front.title.is_empty() {
        section.title = front.title;
    }
    if let Some(slug) = front
        .slug
        .as_deref()
        .map(naming::slugify)
        .filter(|s| !s.is_empty())
    {
        section.slug = slug;
    }
    section.description = front.description;
    section.weight = front.weight;
    section.extra = front.extra;
    section.index = Some(source);
}

fn make_article(
    sections: &[SourceSection],
    listing: &walk::Listing,
    file: &str,
    source: Arc<SourceText>,
    front: FrontMatter,
) -> SourceArticle {
    let dir = walk::parent_of(file);
    let (bundle_dir, name, section_dir) =
        if listing.bundle_dirs.contains(dir) && file.ends_with("/index.md") {
            let name = dir.rsplit('/').next().unwrap_or(dir);
            (Some(dir.to_string()), name, walk::parent_of(dir))
        } else {
            let name = file.rsplit('/').next().unwrap_or(file);
            (None, name.strip_suffix(".md").unwrap_or(name), dir)
        };
    let (order, name) = naming::split_order_prefix(name);
    let slug = front
        .slug
        .as_deref()
        .map(naming::slugify)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| naming::slugify(name));
    SourceArticle {
        source,
        content_path: file.to_string(),
        section: section_id_of(sections, section_dir),
        slug,
        order,
        front,
        bundle_dir,
        history: None,
    }
}

/// Reads one Markdown file: what could be loaded, and the problems found.
fn read_markdown(content_dir: &Path, display_root: &Path, file: &str, kind: Kind) -> Loaded {
    let parsed = crate::diagnostics::catch_panic(&display_root.join(file), || {
        parse_markdown(content_dir, display_root, file, kind)
    });
    match parsed {
        Ok(Ok((source, front, problems))) => (Some((Arc::new(source), front)), problems),
        Ok(Err(problems)) => (None, problems),
        Err(panic) => (None, vec![panic]),
    }
}

/// Reads, normalizes, splits and parses one Markdown file, then scans its body.
fn parse_markdown(
    content_dir: &Path,
    display_root: &Path,
    file: &str,
    kind: Kind,
) -> Result<(SourceText, FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
    let path = display_root.join(file);
    let bytes = std::fs::read(content_dir.join(file))
        .map_err(|e| vec![Diagnostic::error("io", &path, format!("cannot read: {e}"))])?;
    let text = normalize_text(bytes, &path).map_err(|d| vec![d])?;
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::error(
            "front-matter",
            &path,
            "the file is empty",
        )
        .with_help("write the article, or remove the file")]);
    }
    let mut split = front_matter::split(&text, &path).map_err(|d| vec![d])?;
    let (mut front, mut problems) = match front_matter::parse(&text, split, &path) {
        Ok(front) => {
            let warnings = front_matter::typo_warnings(&text, split, front.extra.keys(), &path);
            (front, warnings)
        }
        // The file is kept, with default values, so its body is still checked
        // and links to it do not add a "broken link" to the error.
        Err(errors) => (
            FrontMatter {
                invalid: true,
                ..FrontMatter::default()
            },
            errors,
        ),
    };
    if kind == Kind::Article && text[split.body_start..].trim().is_empty() {
        problems.push(
            Diagnostic::warning(
                "front-matter",
                &path,
                "the article has no body below its front matter",
            )
            .at_offset(&text, split.body_start.min(text.len())),
        );
    }
    if front.title.is_empty() {
        split.body_start = find_title(&text, split.body_start, file, kind, &mut front);
    }
    let body = &text[split.body_start..];
    let mut scan = scan::scan(body, split.body_start);
    if let Some(offset) = scan.too_deep {
        // Not loaded: its page would be a tree too deep to index or to show.
        problems.push(nesting_error(&path, &text, offset));
        return Err(problems);
    }
    if body.contains("{{") || body.contains("{%") {
        let tags = shortcodes::find_tags(&text, split.body_start, &scan.protected);
        scan.shortcodes = tags.calls;
        scan.escapes = tags.escapes;
        problems.extend(tags.errors.into_iter().map(|e| {
            let d = Diagnostic::error("shortcode", &path, e.message).at_offset(&text, e.offset);
            match e.help {
                Some(help) => d.with_help(help),
                None => d,
            }
        }));
        scan::settle_headings(&text, split.body_start, &mut scan);
    }
    problems.extend(scan.not_links.iter().map(|not_link| {
        Diagnostic::warning(
            "broken-link",
            &path,
            format!(
                "`({})` is not a link: a link destination ends at its first space, so this shows as plain text",
                not_link.dest
            ),
        )
        .at_offset(&text, not_link.offset)
        .with_help(format!(
            "write `(<{}>)` or `({})`",
            not_link.dest,
            not_link.dest.replace(' ', "%20")
        ))
    }));
    let text_hash = {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        text.hash(&mut hasher);
        hasher.finish()
    };
    let words = text[split.body_start..].split_whitespace().count();
    let source = SourceText {
        path,
        text,
        body_start: split.body_start,
        scan,
        text_hash,
        words,
    };
    Ok((source, front, problems))
}

/// Gives `front` the title its front matter does not set: the `# H1` opening
/// the body at `body_start`, else (for an article; a section keeps its
/// folder's name) the file name. Returns where the body starts now: after
/// that heading, which is the title and no longer part of the body.
fn find_title(
    text: &str,
    body_start: usize,
    file: &str,
    kind: Kind,
    front: &mut FrontMatter,
) -> usize {
    if let Some(heading) = title::first_heading(text, body_start) {
        front.title = heading.title;
        front.title_from = title::TitleSource::Heading;
        return heading.end;
    }
    if kind == Kind::Article {
        front.title = title::from_file_name(file);
        front.title_from = title::TitleSource::FileName;
    }
    body_start
}

/// Markdown nested past [`scan::MAX_MARKDOWN_NESTING`] at `offset`.
fn nesting_error(path: &Path, text: &str, offset: usize) -> Diagnostic {
    Diagnostic::error(
        "markdown",
        path,
        format!(
            "Markdown is nested more than {} levels deep here",
            scan::MAX_MARKDOWN_NESTING
        ),
    )
    .at_offset(text, offset)
    .with_help(
        "block quotes, lists and emphasis this deep are a mistake: remove the extra `>`, `-` or `*`",
    )
}

/// UTF-8 text without a byte-order mark and with `\n` line ends, so CRLF and BOM
/// files read exactly like LF files and offsets map to the lines the author sees
/// ([`crate::diagnostics::normalize_line_ends`]).
pub fn normalize_text(bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let offset = e.utf8_error().valid_up_to();
        let (line, column) = crate::diagnostics::utf8_error_position(bytes, offset);
        Diagnostic::error(
            "encoding",
            path,
            format!(
                "the file is not valid UTF-8: bad byte 0x{:02X}",
                bytes.get(offset).copied().unwrap_or_default()
            ),
        )
        .at(line, column)
        .with_help("save the file as UTF-8")
    })?;
    Ok(match crate::diagnostics::normalize_line_ends(&text) {
        std::borrow::Cow::Borrowed(normal) if normal.len() == text.len() => text,
        normal => normal.into_owned(),
    })
}
