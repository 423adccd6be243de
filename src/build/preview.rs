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

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{BuildOptions, Changes, Session};
use crate::diagnostics::Report;
use crate::output::memory::{MemorySink, Served};

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
}

impl Preview {
    pub fn new(options: BuildOptions) -> Preview {
        Preview {
            session: Session::kept(options),
            served: Arc::new(Served::default()),
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
        if published {
            // The run wrote what changed and every file that is not a page;
            // the pages it did not write are kept from the served site. The
            // map is changed in place, unless a request still holds it.
            let session = &self.session;
            let served = Arc::make_mut(&mut self.served);
            served.files.retain(|path, _| session.has_page(path));
            served.files.extend(sink.into_entries());
        }
        Rebuild {
            report: outcome.report,
            notes: outcome.notes,
            full,
            pages: outcome.stats.pages,
            rendered: outcome.stats.rendered,
            elapsed: started.elapsed(),
            stages: outcome.stats.stages,
            published,
            searchable: outcome.searchable,
            language: outcome.language,
        }
    }
}
