//! The preview engine: a build kept in memory and brought up to date after each
//! change, doing only the work the change needs.
//!
//! A change to `content/` re-reads only the files that changed (the
//! [`FileCache`]), rebuilds the site model (cheap: sources are shared), and
//! re-renders only the pages whose view changed (the [`RenderMemory`]); a change
//! to templates, `static/` or `kbgen.yaml` starts over. The commonest changes,
//! a writer editing the text, title or description of one article, take a
//! shorter way (see [`Preview::quick_edit`]): only that file is read, the site
//! model is patched rather than rebuilt, and only the pages that can show the
//! change are looked at. The rule it keeps: after
//! any sequence of changes, [`Served`] holds exactly what a fresh full build of
//! the same files would write. When a rebuild has errors, the last good output
//! keeps being served.

use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::build::{BuildOptions, Drafts};
use crate::config::Config;
use crate::content::{self, FileCache, LoadOptions};
use crate::diagnostics::{Diagnostic, Report};
use crate::markdown::highlight::Highlighter;
use crate::output;
use crate::render::{self, PageSink, RenderMemory, Templates};
use crate::site;

/// One file of the served site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// Generated in memory (pages, sitemap, stylesheets).
    Bytes(Arc<[u8]>),
    /// A file copied as it is (static files, assets): read when requested, and
    /// only while it is the file the build checked.
    Disk(CheckedFile),
}

impl Entry {
    pub fn read(&self) -> io::Result<Vec<u8>> {
        match self {
            Entry::Bytes(bytes) => Ok(bytes.to_vec()),
            Entry::Disk(file) => file.read(),
        }
    }
}

/// A static file or asset as the build saw it: its real path inside the site
/// and what identifies its contents. The served site keeps this, not the path
/// it was found at, so replacing the file by a symbolic link to something
/// outside the site (or by anything else) after the build cannot make the
/// server send other bytes than the ones that were checked: a changed file is
/// not served until a rebuild has checked it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    /// Canonical: no symbolic link anywhere on it.
    path: PathBuf,
    device: u64,
    inode: u64,
    len: u64,
    modified: (i64, i64),
}

impl CheckedFile {
    /// Records `file`, which must be a regular file inside `site_root`
    /// (canonical) once every symbolic link on its path is resolved.
    pub fn check(file: &Path, site_root: &Path) -> io::Result<CheckedFile> {
        let path = file.canonicalize()?;
        if !path.starts_with(site_root) {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("{} is outside the site", path.display()),
            ));
        }
        let metadata = std::fs::symlink_metadata(&path)?;
        CheckedFile::identify(path, &metadata)
    }

    fn identify(path: PathBuf, metadata: &std::fs::Metadata) -> io::Result<CheckedFile> {
        use std::os::unix::fs::MetadataExt;
        if !metadata.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is not a regular file", path.display()),
            ));
        }
        Ok(CheckedFile {
            path,
            device: metadata.dev(),
            inode: metadata.ino(),
            len: metadata.len(),
            modified: (metadata.mtime(), metadata.mtime_nsec()),
        })
    }

    /// The file's bytes, if what is at its path now is the file that was
    /// checked: opened without following a symbolic link, and the same
    /// device, inode, size and modification time.
    pub fn read(&self) -> io::Result<Vec<u8>> {
        use std::io::Read as _;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(&self.path)?;
        let now = CheckedFile::identify(self.path.clone(), &file.metadata()?)?;
        if now != *self {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} changed since the site was built", self.path.display()),
            ));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(self.len).unwrap_or(0));
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}

/// The site as served: output path → file.
#[derive(Debug, Default, Clone)]
pub struct Served {
    pub files: BTreeMap<String, Entry>,
}

/// What changed since the last rebuild.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Files under `content/`, as slash paths relative to it.
    pub content: HashSet<String>,
    /// Templates, static files or the configuration changed: start over.
    pub everything: bool,
}

impl Changes {
    /// Sorts changed paths (absolute, or relative to the working directory) by
    /// what they require.
    pub fn from_paths(root: &Path, paths: &[PathBuf]) -> Changes {
        let mut changes = Changes::default();
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        for path in paths {
            let path = real_folder(path);
            let Ok(relative) = path.strip_prefix(&root) else {
                continue;
            };
            let relative = relative.to_string_lossy().replace('\\', "/");
            if let Some(file) = relative.strip_prefix("content/") {
                changes.content.insert(file.to_string());
            } else if relative == "content"
                || relative.starts_with("templates")
                || relative.starts_with("static")
                || relative == crate::config::CONFIG_FILE
            {
                changes.everything = true;
            }
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.everything
    }
}

/// `path` with its folder made canonical, but not the file itself: a file
/// replaced by a symbolic link is a change where the link is, not where it
/// points.
fn real_folder(path: &Path) -> PathBuf {
    let real = match (path.parent(), path.file_name()) {
        (Some(folder), Some(name)) => folder.canonicalize().map(|f| f.join(name)),
        _ => path.canonicalize(),
    };
    real.unwrap_or_else(|_| path.to_path_buf())
}

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Rebuild {
    pub report: Report,
    pub notes: Vec<String>,
    /// Whether everything was rebuilt (first build, templates or config changed).
    pub full: bool,
    /// Whether only the edited articles were read, and only the pages that
    /// show them rendered (the quick path).
    pub quick: bool,
    pub pages: usize,
    pub rendered: usize,
    pub elapsed: Duration,
    /// Whether the served site changed (false when the rebuild had errors).
    pub published: bool,
    /// The pages the search index should hold, when the site has search.
    pub searchable: Option<Vec<String>>,
    /// The site's language, for the search index.
    pub language: String,
}

/// What survives between rebuilds: loaded once per configuration.
struct Engine {
    config: Config,
    highlighter: Highlighter,
    templates: Templates,
    template_problems: Vec<Diagnostic>,
    files: FileCache,
    memory: RenderMemory,
    /// The model and report of the last rebuild, when it was published.
    last: Option<LastBuild>,
}

struct LastBuild {
    site: site::Site,
    report: Report,
    notes: Vec<String>,
    pages: usize,
}

pub struct Preview {
    options: BuildOptions,
    engine: Option<Engine>,
    served: Arc<Served>,
}

impl Preview {
    pub fn new(options: BuildOptions) -> Preview {
        Preview {
            options,
            engine: None,
            served: Arc::new(Served::default()),
        }
    }

    /// The last good output.
    pub fn served(&self) -> Arc<Served> {
        Arc::clone(&self.served)
    }

    /// Brings the served site up to date with `changes` (everything, the first time).
    pub fn rebuild(&mut self, changes: &Changes) -> Rebuild {
        let started = Instant::now();
        let full = changes.everything || self.engine.is_none();
        if full {
            match self.start_engine() {
                Ok(engine) => self.engine = Some(engine),
                Err(problem) => {
                    self.engine = None;
                    let mut report = Report::default();
                    report.extend([problem]);
                    return Rebuild {
                        report,
                        full,
                        elapsed: started.elapsed(),
                        ..Rebuild::default()
                    };
                }
            }
        }
        if !full {
            if let Some(rebuild) = self.quick_edit(changes, started) {
                return rebuild;
            }
        }
        let Some(engine) = self.engine.as_mut() else {
            return Rebuild::default();
        };
        engine.files.changed.extend(changes.content.iter().cloned());
        let mut assembled = build_into_memory(&self.options, engine, &self.served);
        if full && self.options.cache {
            if let Err(e) = engine.highlighter.save_cache(&self.options.root) {
                assembled
                    .notes
                    .push(format!("cannot write the highlight cache: {e}"));
            }
        }
        if let Some(served) = &assembled.served {
            self.served = Arc::clone(served);
        }
        Rebuild {
            published: assembled.served.is_some(),
            report: assembled.report,
            notes: assembled.notes,
            full,
            quick: false,
            pages: assembled.pages,
            rendered: assembled.rendered,
            elapsed: started.elapsed(),
            searchable: assembled.searchable,
            language: engine.config.language.clone(),
        }
    }

    /// The quick path for edits to articles that change nothing but their
    /// text, title or description. It applies when every changed file is a
    /// published article that had no problems and still has none, and whose
    /// links and anchors are as they were and whose front matter is byte for
    /// byte the same (a body edit: only its page can change) or, for a single
    /// file, differs only in `title` and `description` without moving the
    /// article among its siblings (only the pages that show it can change, see
    /// [`render::pages_showing`], and the feed and redirect pages). Those pages
    /// are compared with their last views and rendered if they differ, so the
    /// result is exactly what a full rebuild would give. Anything else (`None`)
    /// takes the full way.
    fn quick_edit(&mut self, changes: &Changes, started: Instant) -> Option<Rebuild> {
        let engine = self.engine.as_mut()?;
        let last = engine.last.as_mut()?;
        if changes.content.is_empty() {
            return None;
        }
        let mut edited = Vec::new();
        for file in &changes.content {
            let id = last
                .site
                .articles
                .iter()
                .position(|a| &a.source.content_path == file)?;
            let old = &last.site.articles[id].source;
            if last
                .report
                .diagnostics
                .iter()
                .any(|d| d.path == old.source.path)
            {
                return None;
            }
            let (Some((text, front)), problems) =
                engine.files.reload_article(&self.options.root, file)
            else {
                return None;
            };
            if !problems.is_empty() || !same_links_and_anchors(&old.source, &text) {
                return None;
            }
            let body_only =
                old.source.text[..old.source.body_start] == text.text[..text.body_start];
            let article = content::SourceArticle {
                source: text,
                front,
                ..(**old).clone()
            };
            // One title at a time: two could swap places while each seems to
            // keep its own.
            let summary_only = !body_only
                && changes.content.len() == 1
                && only_title_or_description_differ(&old.front, &article.front)
                && site::keeps_its_place(&last.site, id, &article);
            if !(body_only || summary_only)
                || !crate::lint::check_one(&engine.config, &article).is_empty()
            {
                return None;
            }
            edited.push((id, Arc::new(article), body_only));
        }
        let mut jobs = Vec::new();
        let mut problems = Vec::new();
        let summaries_changed = edited.iter().any(|(_, _, body_only)| !body_only);
        for (id, article, body_only) in edited {
            last.site.articles[id].source = article;
            problems.extend(render::unknown_shortcodes(
                &last.site,
                &engine.templates,
                id,
            ));
            if body_only {
                jobs.push(render::PageJob::Article(id));
            } else {
                jobs.extend(render::pages_showing(&last.site, id));
            }
        }
        jobs.sort_unstable();
        jobs.dedup();
        let sink = ServeSink::new(&self.options.root);
        let (rendered, found) = render::render_jobs(
            &last.site,
            &engine.templates,
            &engine.highlighter,
            &sink,
            &mut engine.memory,
            &jobs,
        );
        problems.extend(found);
        if summaries_changed {
            // The feed and redirect pages show titles and descriptions.
            problems.extend(output::write_files(&last.site, &sink).1);
        }
        if !problems.is_empty() {
            // Reported by the full rebuild, which starts from the files.
            engine.last = None;
            return None;
        }
        let mut served = (*self.served).clone();
        served.files.extend(sink.into_files());
        self.served = Arc::new(served);
        Some(Rebuild {
            report: Report {
                diagnostics: last.report.diagnostics.clone(),
            },
            notes: last.notes.clone(),
            full: false,
            quick: true,
            pages: last.pages,
            rendered,
            elapsed: started.elapsed(),
            published: true,
            searchable: last
                .site
                .options
                .search
                .then(|| crate::build::searchable_pages(&last.site)),
            language: engine.config.language.clone(),
        })
    }

    fn start_engine(&self) -> Result<Engine, Diagnostic> {
        let (config, highlighter) = crate::build::prepare(&self.options)?;
        if self.options.cache {
            highlighter.load_cache(&self.options.root);
        }
        let (templates, template_problems) = Templates::load(&self.options.root);
        Ok(Engine {
            config,
            highlighter,
            templates,
            template_problems,
            files: FileCache::default(),
            memory: RenderMemory::new(),
            last: None,
        })
    }
}

/// A rebuild's result while it is being assembled.
struct Assembled {
    report: Report,
    notes: Vec<String>,
    pages: usize,
    rendered: usize,
    /// The new served site, when the rebuild had no errors.
    served: Option<Arc<Served>>,
    searchable: Option<Vec<String>>,
}

/// Runs the stages into memory; on success, the new served site.
fn build_into_memory(options: &BuildOptions, engine: &mut Engine, previous: &Served) -> Assembled {
    let mut report = Report::default();
    report.extend(engine.template_problems.iter().cloned());
    if let Some(missing) = crate::build::missing_content(&options.root) {
        report.extend([missing]);
        return Assembled {
            report,
            notes: Vec::new(),
            pages: 0,
            rendered: 0,
            served: None,
            searchable: None,
        };
    }
    let load_options = LoadOptions {
        drafts: options.drafts != Drafts::Skip,
    };
    let (content, problems) = content::load_cached(&options.root, load_options, &mut engine.files);
    report.extend(problems);
    report.extend(crate::lint::check(&engine.config, &content));
    if content.articles.is_empty() && !report.has_errors() {
        report.extend([Diagnostic::error(
            "content",
            "content",
            "content/ holds no articles",
        )]);
    }
    let site_options = site::SiteOptions {
        links_into_drafts_are_errors: options.drafts == Drafts::Check,
        search: options.search && engine.config.search,
    };
    let (site, problems) = site::build(engine.config.clone(), content, site_options);
    report.extend(problems);

    let remembered = engine.memory.snapshot();
    let sink = ServeSink::new(&options.root);
    let (stats, problems) = render::render_changed(
        &site,
        &mut engine.templates,
        &engine.highlighter,
        &sink,
        &mut engine.memory,
        None,
    );
    report.extend(problems);
    let (notes, problems) = output::write_files(&site, &sink);
    report.extend(problems);
    report.sort();

    engine.last = None;
    let served = if report.has_errors() {
        engine.memory.restore(remembered);
        None
    } else {
        let mut files = sink.into_files();
        for path in engine.memory.page_paths() {
            if !files.contains_key(path) {
                if let Some(entry) = previous.files.get(path) {
                    files.insert(path.to_string(), entry.clone());
                }
            }
        }
        Some(Arc::new(Served { files }))
    };
    let searchable = site
        .options
        .search
        .then(|| crate::build::searchable_pages(&site));
    if served.is_some() {
        engine.last = Some(LastBuild {
            site,
            report: Report {
                diagnostics: report.diagnostics.clone(),
            },
            notes: notes.clone(),
            pages: stats.pages,
        });
    }
    Assembled {
        report,
        notes,
        pages: stats.pages,
        rendered: stats.rendered,
        searchable,
        served,
    }
}

/// Whether an edit kept the links' destinations and the anchors (heading and
/// HTML ids), which other pages and the site model read of a body.
fn same_links_and_anchors(old: &content::SourceText, new: &content::SourceText) -> bool {
    let links = |s: &content::SourceText| {
        s.scan
            .links
            .iter()
            .map(|l| (l.dest.clone(), l.is_image, l.raw_html))
            .collect::<Vec<_>>()
    };
    let anchors = |s: &content::SourceText| {
        s.scan
            .headings
            .iter()
            .map(|h| h.id.clone())
            .chain(s.scan.html_ids.iter().cloned())
            .collect::<Vec<_>>()
    };
    links(old) == links(new) && anchors(old) == anchors(new)
}

/// Whether two front matters differ at most in `title` and `description`.
fn only_title_or_description_differ(
    old: &content::front_matter::FrontMatter,
    new: &content::front_matter::FrontMatter,
) -> bool {
    let mut same = old.clone();
    same.title.clone_from(&new.title);
    same.description.clone_from(&new.description);
    same == *new
}

/// Collects a rebuild's writes; copies are checked and remembered as
/// [`CheckedFile`]s, not read.
#[derive(Debug)]
struct ServeSink {
    files: Mutex<BTreeMap<String, Entry>>,
    /// The site root, canonical: copied files must be inside it.
    site_root: PathBuf,
}

impl ServeSink {
    fn new(root: &Path) -> ServeSink {
        ServeSink {
            files: Mutex::default(),
            site_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    fn into_files(self) -> BTreeMap<String, Entry> {
        self.files
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn put(&self, path: &str, entry: Entry) -> io::Result<()> {
        output::checked_relative(path)?;
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        files.insert(path.to_string(), entry);
        Ok(())
    }
}

impl PageSink for ServeSink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.put(path, Entry::Bytes(Arc::from(bytes)))
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let file = CheckedFile::check(from, &self.site_root)?;
        self.put(path, Entry::Disk(file))
    }
}
