//! The pipeline, the one way kbgen turns a site root into output: load, lint,
//! model, render, write, and the search index, each stage's diagnostics
//! gathered into one [`Report`].
//!
//! A [`Session`] runs it. `build` and `check` make one, run it once into a
//! sink (a staging folder, nothing) and drop it; the preview server keeps one
//! and runs it again after every change, into memory. What a session keeps
//! between runs is what makes a run after a small change cheap, never what
//! decides its output: the configuration, highlighter and templates (loaded
//! again when [`Changes::everything`] says so), the parsed files (read again
//! when the watcher or their time stamps say they changed), and the render
//! memory (pages by a hash of everything they were made of, bodies by a hash
//! of everything they read). The memory of a run with errors is thrown away,
//! so a failed run changes nothing the next one sees.

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use crate::config::Config;
use crate::content::memo::ArticleList;
use crate::content::{self, FileCache, LoadOptions};
use crate::diagnostics::{Diagnostic, Report};
use crate::markdown::highlight::Highlighter;
use crate::output::search::{self, IndexingSink, SearchIndexer, SearchPage};
use crate::render::strings::StringTables;
use crate::render::{self, PageSink, RenderMemory, Templates};
use crate::site;

use super::{missing_content, BuildOptions, BuildOutcome, BuildStats, Drafts, SetupError};

/// What changed since a session's last run.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Files under `content/`, as slash paths relative to it: read again
    /// whatever their time stamps say (stamps can be coarse).
    pub content: HashSet<String>,
    /// Templates, static files, theme strings (`i18n/`) or the configuration
    /// changed: load them again and render every page.
    pub everything: bool,
    /// Something inside the site root changed that is none of the above (a
    /// file an article links to, say): walk `content/` again and read every
    /// file whose size or time changed.
    pub rescan: bool,
}

impl Changes {
    /// The first run, or a change that may touch every page.
    pub fn everything() -> Changes {
        Changes {
            everything: true,
            ..Changes::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.everything && !self.rescan
    }
}

/// The pipeline and what it keeps between runs (see the module docs).
pub struct Session {
    options: BuildOptions,
    /// Loaded on the first run and again after a change to everything.
    prepared: Option<Prepared>,
    files: FileCache,
    memory: RenderMemory,
    /// The lint findings of each article, in order, with the article they
    /// were found in: an article the load reused has the same findings.
    lint: ArticleList<Vec<Diagnostic>>,
    /// What the last model kept for the next (checked links).
    model: site::ModelMemory,
    /// The files made from the last model alone, kept while it is reused.
    generated: crate::output::Generated,
    /// The git history of `content/` (`dates: git`), walked again only when
    /// `HEAD` moves.
    git_dates: content::git_dates::GitDates,
    /// The articles' Markdown copies, made again only for changed articles.
    copies: crate::output::llms::CopyMemo,
    /// Whether pages and bodies are remembered between runs.
    remember: bool,
    /// Whether a run leaves the search index to its caller (the preview
    /// server indexes in the background) rather than building it.
    defer_search: bool,
}

/// What must be right before anything is read, and what a configuration
/// change loads again.
struct Prepared {
    config: Config,
    highlighter: Highlighter,
    templates: Templates,
    /// The theme strings of the site's language (`i18n/`).
    strings: StringTables,
    /// Problems found while loading these (templates, the cache folder),
    /// reported by every run.
    problems: Vec<Diagnostic>,
    /// Whether the persistent highlight cache is read and written.
    cache: bool,
    /// Whether this run is the first with these: the highlight cache is
    /// written after it.
    fresh: bool,
}

impl Session {
    /// A session for one run: nothing is remembered.
    pub fn once(options: &BuildOptions) -> Session {
        Session::new(options.clone(), false, false)
    }

    /// A session run again after each change (the preview server): pages and
    /// bodies are remembered, and the search index is left to the caller
    /// ([`BuildOutcome::searchable`] lists its pages).
    pub fn kept(options: BuildOptions) -> Session {
        Session::new(options, true, true)
    }

    fn new(options: BuildOptions, remember: bool, defer_search: bool) -> Session {
        Session {
            options,
            prepared: None,
            files: FileCache::default(),
            memory: RenderMemory::none(),
            lint: ArticleList::default(),
            model: site::ModelMemory::default(),
            generated: Default::default(),
            git_dates: Default::default(),
            copies: Default::default(),
            remember,
            defer_search,
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Output paths of the pages the last successful run's output holds. A
    /// run renders only the pages that changed into its sink; a sink that
    /// replaces the last output keeps these from it.
    pub fn page_paths(&self) -> impl Iterator<Item = &str> {
        self.memory.page_paths()
    }

    /// Whether the last successful run's output holds the page at `path`
    /// (an output path, as [`Session::page_paths`] gives them).
    pub fn has_page(&self, path: &str) -> bool {
        self.memory.has_page(path)
    }

    /// Runs every stage into `sink`. Content problems are in the outcome's
    /// report; only a broken configuration stops the run before it starts
    /// (and then the next run starts over).
    pub fn run(
        &mut self,
        changes: &Changes,
        sink: &dyn PageSink,
    ) -> Result<BuildOutcome, SetupError> {
        let started = Instant::now();
        if changes.rescan {
            self.files.forget_listing();
        }
        if changes.everything {
            // A static file may have changed: the load walks `static/` again.
            self.files.forget_content();
        }
        self.files.changed.extend(changes.content.iter().cloned());
        if changes.everything || self.prepared.is_none() {
            self.prepared = None;
            self.memory = if self.remember {
                RenderMemory::new()
            } else {
                RenderMemory::none()
            };
            self.lint.clear();
            self.model = site::ModelMemory::default();
            self.generated = Default::default();
            self.prepared = Some(Prepared::load(&self.options)?);
        }
        let Some(prepared) = self.prepared.as_mut() else {
            return Ok(BuildOutcome::default());
        };
        let options = &self.options;
        let mut report = Report::default();
        report.extend(prepared.problems.iter().cloned());
        if let Some(missing) = missing_content(&options.root) {
            report.extend([missing]);
            return Ok(BuildOutcome {
                report,
                ..BuildOutcome::default()
            });
        }

        let mut stages = Vec::new();
        let mut clock = Instant::now();
        let mut lap = |name: &'static str| {
            stages.push((name, clock.elapsed()));
            clock = Instant::now();
        };
        let load_options = LoadOptions {
            drafts: options.drafts != Drafts::Skip,
            languages: content::file_language::Codes::of(&prepared.config),
        };
        let (mut content, problems) =
            content::load_cached(&options.root, load_options, &mut self.files);
        report.extend(problems);
        if content.articles.is_empty() && !report.has_errors() {
            report.extend([Diagnostic::error("content", "content", "content/ holds no articles")
                .with_help("add a Markdown file such as content/getting-started/first-steps.md with a `title` in its front matter")]);
        }
        lap("load");
        report.extend(lint(
            &prepared.config,
            &content,
            &mut self.lint,
            self.remember,
        ));
        lap("lint");
        // `dates: git`: after lint, which checks what the files say.
        let git = self
            .git_dates
            .apply(&options.root, &prepared.config, &mut content);
        report.extend(git);
        lap("git");
        let site_options = site::SiteOptions {
            links_into_drafts_are_errors: options.drafts == Drafts::Check,
            search: options.search && prepared.config.search.enabled,
        };
        let config = prepared.config.clone();
        let built;
        let mut generation = None;
        let mut frame = None;
        let site: &site::Site = if self.remember {
            let model = self.model.update(config, content, site_options);
            report.extend(model.problems);
            generation = Some(model.generation);
            frame = Some(model.frame);
            model.site
        } else {
            let (site, problems) = site::build(config, content, site_options);
            report.extend(problems);
            built = site;
            &built
        };
        lap("model");

        // `check` renders the search pages but builds no index.
        let indexer = (site.options.search && !self.defer_search && !options.check_only)
            .then(|| SearchIndexer::start(searchable_pages(site), "/", index_language(site)));
        let indexing = indexer.as_ref().map(|indexer| IndexingSink {
            inner: sink,
            indexer,
        });
        let render_sink: &dyn PageSink = match &indexing {
            Some(indexing) => indexing,
            None => sink,
        };
        let memory = &mut self.memory;
        let mut render = || {
            let theme = render::Theme {
                templates: &mut prepared.templates,
                highlighter: &prepared.highlighter,
                strings: &prepared.strings,
            };
            render::render_changed(
                site,
                theme,
                render_sink,
                memory,
                frame,
                options.progress.as_deref(),
            )
        };
        let (render_stats, problems) = match indexer.as_ref().and_then(|_| yielding_pool()) {
            Some(pool) => pool.install(render),
            None => render(),
        };
        report.extend(problems);
        lap("render");
        if prepared.cache && prepared.fresh {
            if let Err(e) = prepared.highlighter.save_cache(&options.root) {
                report.extend([Diagnostic::warning(
                    "io",
                    crate::markdown::highlight_cache::path(&options.root),
                    format!("cannot write the highlight cache: {e}"),
                )
                .with_help("the site is built all the same; --no-cache skips the cache")]);
            }
            lap("cache");
        }
        prepared.fresh = false;
        let memory = generation.map(|generation| crate::output::WriteMemory {
            generated: &mut self.generated,
            generation,
            copies: &mut self.copies,
        });
        let (notes, problems) = crate::output::write_files(site, &prepared.strings, sink, memory);
        report.extend(problems);
        lap("write");
        if let Some(indexer) = indexer {
            match indexer.finish() {
                Ok(index) => {
                    if let Err(e) = search::write_index(&index, sink) {
                        report.extend([Diagnostic::error(
                            "io",
                            search::SEARCH_DIR,
                            format!("cannot write the search index: {e}"),
                        )]);
                    }
                    lap("search");
                    stages.push(("pagefind", index.elapsed));
                }
                Err(message) => {
                    report.extend([Diagnostic::error("search", search::SEARCH_DIR, message)])
                }
            }
        }
        report.sort();
        if report.has_errors() {
            // The output of this run is not published: the next run compares
            // with what is.
            self.memory.discard();
        } else {
            self.memory.commit();
        }

        let stats = BuildStats {
            articles: site.articles.len(),
            // Home pages (one per language) are not sections.
            sections: (site.sections.iter())
                .filter(|s| s.source.parent.is_some())
                .count(),
            terms: site.taxonomies.iter().map(|t| t.terms.len()).sum(),
            pages: render_stats.pages,
            rendered: render_stats.rendered,
            elapsed: started.elapsed(),
            stages,
        };
        Ok(BuildOutcome {
            report,
            stats,
            notes,
            output_keep: site.config.output.keep.clone(),
            searchable: (site.options.search && self.defer_search).then(|| searchable_pages(site)),
            language: index_language(site).to_string(),
        })
    }
}

impl Prepared {
    fn load(options: &BuildOptions) -> Result<Prepared, SetupError> {
        let (config, highlighter) = prepare(options).map_err(SetupError::Config)?;
        let mut problems = Vec::new();
        let cache = options.cache
            && !options.check_only
            && cache_folder_is_ours(&options.root, &mut problems);
        if cache {
            highlighter.load_cache(&options.root);
        }
        let (templates, template_problems) = Templates::load(&options.root);
        problems.extend(template_problems);
        // The default language and every other of `languages:`.
        let language = config.language.as_str();
        let codes = config.translation_codes();
        let others: Vec<&str> = codes.iter().map(String::as_str).collect();
        let (strings, string_problems) = StringTables::load(&options.root, &others, language);
        problems.extend(string_problems);
        problems.extend(crate::lint::check_config(&config));
        Ok(Prepared {
            config,
            highlighter,
            templates,
            strings,
            problems,
            cache,
            fresh: true,
        })
    }
}

/// The lint findings of every article: those `memo` holds for the same
/// article are reused, the others found in parallel; `memo` then holds this
/// load's articles.
fn lint(
    config: &Config,
    content: &content::Content,
    memo: &mut ArticleList<Vec<Diagnostic>>,
    remember: bool,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let check =
        |article: &std::sync::Arc<content::SourceArticle>| crate::lint::check_one(config, article);
    if !remember {
        let found: Vec<Vec<Diagnostic>> = content.articles.par_iter().map(check).collect();
        return found.into_iter().flatten().collect();
    }
    memo.update(&content.articles, check);
    memo.values().flatten().cloned().collect()
}

/// The configuration (with the command line's overrides) and the highlighter:
/// what must be right before anything is read.
pub fn prepare(options: &BuildOptions) -> Result<(Config, Highlighter), Diagnostic> {
    let mut config = Config::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        Config::check_base_url(base_url)?;
        config.base_url = Some(base_url.clone());
    }
    config.forge = content::git_dates::forge(&options.root, &config);
    let highlighter = if options.check_only {
        Highlighter::without_syntaxes(&config.highlight)
    } else {
        Highlighter::new(&config.highlight)
    };
    let highlighter = highlighter.map_err(|(key, message)| {
        let error = Diagnostic::error("config", crate::config::CONFIG_FILE, message);
        match config.place_of(&["highlight", key]) {
            Some((line, column)) => error.at(line, column),
            None => error,
        }
    })?;
    Ok((config, highlighter))
}

/// The highlight cache is the one thing a build writes outside its output, so
/// its folder must be a real folder inside the site: a committed
/// `.kbgen-cache` link would let a site choose where kbgen writes. Otherwise
/// the cache is skipped with a warning.
fn cache_folder_is_ours(root: &Path, problems: &mut Vec<Diagnostic>) -> bool {
    use crate::markdown::highlight_cache::{path, CACHE_DIR};
    let linked = root.join(CACHE_DIR).is_symlink() || path(root).is_symlink();
    if !linked {
        return true;
    }
    problems.push(
        Diagnostic::warning(
            "io",
            CACHE_DIR,
            "the highlight cache is a symbolic link; kbgen neither reads nor writes it",
        )
        .with_help("remove the link (kbgen makes the folder itself), or pass --no-cache"),
    );
    false
}

/// The language the search index is kept in: the site's, or none (empty)
/// for a multilingual site, whose pages pagefind sorts into one index per
/// language by their `<html lang>`, so a German page searches German pages.
fn index_language(site: &site::Site) -> &str {
    if site.is_multilingual() {
        ""
    } else {
        &site.config.language
    }
}

/// The pages the search index holds: published articles.
pub fn searchable_pages(site: &site::Site) -> Vec<SearchPage> {
    site.articles
        .iter()
        .filter(|a| !a.source.front.draft)
        .map(|a| SearchPage {
            path: format!("{}index.html", a.path),
            keywords: a.source.front.keywords.clone(),
            language: site.languages[a.language].config.code.clone(),
        })
        .collect()
}

/// A rendering pool whose threads yield to the search indexer. The indexer
/// is one thread (pagefind takes one page at a time) and the longest path of
/// a searchable build; at a lower priority, rendering uses what the indexer
/// leaves, and the build ends about 10% sooner on two cores.
fn yielding_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .start_handler(|_| lower_thread_priority())
        .build()
        .ok()
}

#[cfg(target_os = "linux")]
fn lower_thread_priority() {
    // SAFETY: plain system calls on the calling thread, with no pointers; a
    // failure (say, in a sandbox) only leaves the priority as it was.
    unsafe {
        let thread = libc::gettid() as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, thread, 10);
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_thread_priority() {}
