//! Loading: the first stage after the configuration.
//!
//! It walks `content/`, reads every Markdown file, splits and parses its front
//! matter and scans its body once, and returns plain values ([`Content`]): no URL
//! is decided here and nothing is rendered. Files are read and parsed in parallel;
//! the result keeps the sorted walk order. Snippets (`content/_snippets/`) are
//! read once each, and a page that includes them is scanned again with them in
//! it (see [`include`]). The preview server keeps what a load read and made in
//! a [`FileCache`], so its next load reads only the files that changed and,
//! when they are article files only, patches the last result (see `load.rs`
//! and `patch.rs`).

mod cache;
pub mod file_language;
pub mod front_matter;
pub mod git_dates;
pub mod git_history;
pub mod include;
pub mod languages;
pub mod layout;
mod load;
pub mod memo;
pub mod naming;
mod patch;
mod raw_html;
pub mod scan;
pub mod shortcodes;
pub mod snippets;
pub mod source_map;
pub mod title;
pub mod walk;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
pub use cache::FileCache;
use front_matter::{FrontMatter, Kind};
pub use load::{load_cached, section_id_of};
use scan::Scan;
use snippets::Snippets;

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
    /// The snippets under `content/_snippets/`, which pages include.
    pub snippets: Snippets,
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
    /// For a section of a language other than the default, its code; the
    /// section's index is then `_index.<code>.md` (see [`languages`]).
    pub language: Option<String>,
}

/// The text of a Markdown file, normalized, with where its body starts: after
/// the front matter, and after the `# H1` its title was taken from, if any.
/// A page that includes snippets is the file's text with the snippets in it
/// (see [`include`]), and a map of where each part comes from.
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
    /// For a page with snippets in it: where each part of `text` comes from.
    pub map: Option<Arc<source_map::SourceMap>>,
}

impl SourceText {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// `diagnostic` placed at byte `offset` of `text`: in this file, or, for
    /// a part that comes from a snippet, in the snippet, with the include
    /// calls that brought it. The way every stage places a problem found in
    /// a page's text.
    pub fn place(&self, diagnostic: Diagnostic, offset: usize) -> Diagnostic {
        match &self.map {
            None => diagnostic.at_offset(&self.text, offset),
            Some(map) => map.place_diagnostic(diagnostic, offset),
        }
    }

    /// The path under `content/` of the snippet byte `offset` of `text`
    /// comes from; `None` for the file's own text. Relative links in a
    /// snippet resolve from the snippet's folder.
    pub fn origin_content_path(&self, offset: usize) -> Option<&str> {
        let place = self.map.as_ref()?.place(offset);
        (place.index != 0).then_some(place.origin.content_path.as_str())
    }

    /// The file as read, before snippets were included into it.
    pub fn file(&self) -> &SourceText {
        self.map.as_ref().map_or(self, |map| &map.file)
    }

    /// Content paths of the snippets this page includes, at any depth.
    pub fn snippets(&self) -> &[String] {
        self.map.as_ref().map_or(&[], |map| &map.snippets)
    }

    /// What including snippets into this page found.
    pub fn include_problems(&self) -> &[Diagnostic] {
        self.map.as_ref().map_or(&[], |map| &map.problems)
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
    /// For a translation (`x.de.md`), its language code; `None` for an
    /// article in the default language.
    pub language: Option<String>,
    /// The content path of the page this article is, in every language:
    /// `a/x.md` for `a/x.md`, for `a/x.en.md` (the default language written
    /// out) and for the translation `a/x.de.md`.
    pub page_path: String,
}

impl SourceArticle {
    /// The content path of the article this one translates (`a/x.md` for
    /// `a/x.de.md`); its own for an article in the default language.
    pub fn source_content_path(&self) -> std::borrow::Cow<'_, str> {
        self.page_path.as_str().into()
    }
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
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub drafts: bool,
    /// The site's languages, which file names carry (`x.de.md`); see
    /// [`file_language::Codes::of`].
    pub languages: file_language::Codes,
}

type Loaded = (Option<(Arc<SourceText>, FrontMatter)>, Vec<Diagnostic>);

/// Loads `content/` under `root`. Diagnostics are returned beside whatever could
/// be loaded, so one run reports every broken file. A file whose front matter
/// has errors is loaded all the same, marked [`FrontMatter::invalid`]: the rest
/// of the site is checked against it as it stands, and links to it resolve.
pub fn load(root: &Path, options: LoadOptions) -> (Content, Vec<Diagnostic>) {
    load_cached(root, options, &mut FileCache::default())
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
    if kind == Kind::Snippet {
        return snippets::parse_snippet(text, path);
    }
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
    let place = |diagnostic: Diagnostic, offset: usize| diagnostic.at_offset(&text, offset);
    let (scan, found) = scan_body(&text, split.body_start, &path, &place);
    if let Some(offset) = scan.too_deep {
        // Not loaded: its page would be a tree too deep to index or to show.
        problems.push(nesting_error(&path, &text, offset));
        return Err(problems);
    }
    problems.extend(found);
    let source = source_text(path, text, split.body_start, scan);
    Ok((source, front, problems))
}

/// A file's text with its scan, hashed and its words counted.
pub(super) fn source_text(
    path: PathBuf,
    text: String,
    body_start: usize,
    scan: Scan,
) -> SourceText {
    let text_hash = {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        text.hash(&mut hasher);
        hasher.finish()
    };
    let words = text[body_start..].split_whitespace().count();
    SourceText {
        path,
        text,
        body_start,
        scan,
        text_hash,
        words,
        map: None,
    }
}

/// Scans the body of `text` (from `body_start`) once: headings, links, code,
/// then the shortcode calls outside code, and the headings again when the
/// calls may change them. Problems are placed by `place` (offset in `text`).
/// A body nested too deep is scanned no further: see [`Scan::too_deep`].
pub(super) fn scan_body(
    text: &str,
    body_start: usize,
    path: &Path,
    place: &dyn Fn(Diagnostic, usize) -> Diagnostic,
) -> (Scan, Vec<Diagnostic>) {
    let body = &text[body_start..];
    let mut scan = scan::scan(body, body_start);
    let mut problems = Vec::new();
    if scan.too_deep.is_some() {
        return (scan, problems);
    }
    if body.contains("{{") || body.contains("{%") {
        let tags = shortcodes::find_tags(text, body_start, &scan.protected);
        scan.shortcodes = tags.calls;
        scan.escapes = tags.escapes;
        problems.extend(tags.errors.into_iter().map(|e| {
            let d = place(Diagnostic::error("shortcode", path, e.message), e.offset);
            match e.help {
                Some(help) => d.with_help(help),
                None => d,
            }
        }));
        scan::settle_headings(text, body_start, &mut scan);
    }
    problems.extend(scan.not_links.iter().map(|not_link| {
        let warning = Diagnostic::warning(
            "broken-link",
            path,
            format!(
                "`({})` is not a link: a link destination ends at its first space, so this shows as plain text",
                not_link.dest
            ),
        );
        place(warning, not_link.offset).with_help(format!(
            "write `(<{}>)` or `({})`",
            not_link.dest,
            not_link.dest.replace(' ', "%20")
        ))
    }));
    (scan, problems)
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
pub(super) fn nesting_error(path: &Path, text: &str, offset: usize) -> Diagnostic {
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
