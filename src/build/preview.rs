//! The preview: a [`Session`] kept between changes, whose output is the
//! [`Served`] site in memory.
//!
//! Each change runs the same pipeline as `kbgen build` (see [`super::session`])
//! into a fresh [`MemorySink`]; the session renders only the pages whose
//! inputs changed, and the new served site is those pages, every file the run
//! wrote beside them, and the unchanged pages of the last served site. A run
//! with errors publishes nothing: the last good site keeps being served, and
//! the session forgets the run, so the promise holds after any sequence of
//! changes: the served site is exactly what a fresh build of the same files
//! writes.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{BuildOptions, Changes, Session};
use crate::diagnostics::Report;
use crate::output::memory::{Entry, MemorySink, Served};

/// What one run did.
#[derive(Debug, Default)]
pub struct Rebuild {
    pub report: Report,
    pub notes: Vec<String>,
    /// Whether everything was loaded again (first run, templates or
    /// configuration changed).
    pub full: bool,
    pub pages: usize,
    /// Pages rendered, the changed ones.
    pub rendered: usize,
    pub elapsed: Duration,
    /// Time spent in each stage of the pipeline, in order.
    pub stages: Vec<(&'static str, Duration)>,
    /// Whether the served site changed (false when the run had errors).
    pub published: bool,
    /// The pages the search index should hold, when the site has search.
    pub searchable: Option<Vec<crate::output::search::SearchPage>>,
    /// The site's language, for the search index.
    pub language: String,
}

/// A session and the site it last published.
pub struct Preview {
    session: Session,
    served: Arc<Served>,
    /// How many pages the served site holds (the session's pages when it
    /// was published).
    pages: usize,
    /// The served site's files that are not pages: every run writes all of
    /// them again, so those a run did not write are gone.
    generated: BTreeSet<String>,
}

impl Preview {
    pub fn new(options: BuildOptions) -> Preview {
        Preview {
            session: Session::kept(options),
            served: Arc::new(Served::default()),
            pages: 0,
            generated: BTreeSet::new(),
        }
    }

    /// The last good output.
    pub fn served(&self) -> Arc<Served> {
        Arc::clone(&self.served)
    }

    /// Brings the served site up to date with `changes` (everything, the
    /// first time).
    pub fn rebuild(&mut self, changes: &Changes) -> Rebuild {
        let started = Instant::now();
        let full = changes.everything || self.served.files.is_empty();
        let sink = MemorySink::checking_copies(&self.session.options().root);
        let outcome = match self.session.run(changes, &sink) {
            Ok(outcome) => outcome,
            Err(super::SetupError::Config(problem)) => {
                let mut report = Report::default();
                report.extend([problem]);
                return Rebuild {
                    report,
                    full: true,
                    elapsed: started.elapsed(),
                    ..Rebuild::default()
                };
            }
        };
        let published = !outcome.report.has_errors();
        let mut stages = outcome.stats.stages;
        if published {
            let clock = Instant::now();
            self.publish(sink.into_entries());
            stages.push(("publish", clock.elapsed()));
        }
        Rebuild {
            report: outcome.report,
            notes: outcome.notes,
            full,
            pages: outcome.stats.pages,
            rendered: outcome.stats.rendered,
            elapsed: started.elapsed(),
            stages,
            published,
            searchable: outcome.searchable,
            language: outcome.language,
        }
    }

    /// Makes the new served site from the last one and what a good run
    /// `written`: the pages it rendered (the changed ones) and every other
    /// file it made. Costs O(files written × log n), not O(n): the last site
    /// is shared, not copied (see [`Served`]), a written file equal to the
    /// one served is not even put, and the whole map is looked through only
    /// when a page is gone (an article removed or renamed, a term no
    /// article has any more), which the count of pages tells.
    fn publish(&mut self, written: BTreeMap<String, Entry>) {
        let session = &self.session;
        // A clone of the map when a request still holds it: O(1).
        let files = &mut Arc::make_mut(&mut self.served).files;
        // The pages of the last site, and the pages this run added.
        let mut pages = self.pages;
        let mut generated = BTreeSet::new();
        for (path, entry) in written {
            let served = files.get(&path);
            let (page, changed) = (session.has_page(&path), served != Some(&entry));
            if page && (served.is_none() || self.generated.contains(&path)) {
                pages += 1;
            }
            if changed {
                files.insert(path.clone(), entry);
            }
            if !page {
                generated.insert(path);
            }
        }
        // A file the last run made and this one did not is gone, unless it
        // became a page, which this run then rendered.
        for path in self.generated.difference(&generated) {
            if !session.has_page(path) {
                files.remove(path);
            }
        }
        // The map holds every page of this run; more pages than the run
        // has means some are gone.
        let current = session.page_paths().count();
        if pages != current {
            let gone: Vec<String> = (files.keys())
                .filter(|path| !session.has_page(path) && !generated.contains(*path))
                .cloned()
                .collect();
            for path in gone {
                files.remove(&path);
            }
        }
        self.pages = current;
        self.generated = generated;
    }
}
