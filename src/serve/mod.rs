//! `kbgen serve`: a live preview. The site is built into memory
//! ([`crate::build::preview::Preview`]), served over HTTP ([`http`]), and rebuilt when a file
//! changes ([`watch`]); open pages reload themselves, and errors show on the
//! page until the file is fixed. It binds to 127.0.0.1 unless told otherwise.

pub mod http;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use crate::build::preview::{Preview, Rebuild};
use crate::build::{BuildOptions, Drafts};
use crate::output::memory::{Entry, Served};

/// The port `serve` tries first when none is given.
pub const DEFAULT_PORT: u16 = 1111;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// `None`: the default port, or the next free one.
    pub port: Option<u16>,
    pub drafts: bool,
    /// Build the search index (in the background, after each rebuild).
    pub search: bool,
    /// Use the persistent highlight cache in `.kbgen-cache/`.
    pub cache: bool,
}

/// Finds the port to listen on: the one asked for (an error if busy), or the
/// first free one from the default.
pub fn bind(options: &ServeOptions) -> Result<TcpListener, String> {
    match options.port {
        Some(port) => TcpListener::bind(SocketAddr::new(options.bind, port)).map_err(|e| {
            format!(
                "cannot listen on {}:{port}: {e}; choose another port with --port",
                options.bind
            )
        }),
        None => (DEFAULT_PORT..DEFAULT_PORT + 20)
            .find_map(|port| TcpListener::bind(SocketAddr::new(options.bind, port)).ok())
            .ok_or_else(|| {
                format!(
                    "ports {DEFAULT_PORT}–{} are all in use; choose one with --port",
                    DEFAULT_PORT + 19
                )
            }),
    }
}

/// The address pages are served at.
pub fn site_url(listener: &TcpListener) -> String {
    let address = listener
        .local_addr()
        .unwrap_or(SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)));
    let host = if address.ip().is_unspecified() || address.ip().is_loopback() {
        "127.0.0.1".to_string()
    } else {
        address.ip().to_string()
    };
    format!("http://{host}:{}/", address.port())
}

/// A search index to build: for which published site, and its pages.
struct IndexJob {
    generation: u64,
    served: Arc<Served>,
    pages: Vec<crate::output::search::SearchPage>,
    language: String,
}

fn request_index(
    indexer: &mpsc::Sender<IndexJob>,
    rebuild: &Rebuild,
    generation: u64,
    served: Arc<Served>,
) {
    let Some(pages) = &rebuild.searchable else {
        return;
    };
    let _ = indexer.send(IndexJob {
        generation,
        served,
        pages: pages.clone(),
        language: rebuild.language.clone(),
    });
}

/// Brings `preview` up to date with `changes` and, when the run is good,
/// publishes the new site on `shared` (open pages reload; the site's
/// generation is returned, for its search index); otherwise shows the errors.
/// `kbgen serve` and the benchmark both go through here, so the time it
/// takes (the rebuild's `elapsed`, its last stage `publish`) is the time from
/// a change to the reload event.
pub fn rebuild_and_publish(
    preview: &mut Preview,
    shared: &http::Shared,
    changes: &crate::build::Changes,
) -> (Rebuild, Option<u64>) {
    let started = std::time::Instant::now();
    let mut rebuild = preview.rebuild(changes);
    let generation = if rebuild.published {
        let clock = std::time::Instant::now();
        let generation = shared.publish(preview.served());
        let publishing = clock.elapsed();
        match rebuild
            .stages
            .iter_mut()
            .find(|(name, _)| *name == "publish")
        {
            Some((_, time)) => *time += publishing,
            None => rebuild.stages.push(("publish", publishing)),
        }
        Some(generation)
    } else {
        shared.show_errors(&rebuild.report.diagnostics);
        None
    };
    rebuild.elapsed = started.elapsed();
    (rebuild, generation)
}

/// Builds search indexes in the background, newest request first, so a page
/// reload never waits for search.
fn background_indexer(shared: Arc<http::Shared>) -> mpsc::Sender<IndexJob> {
    let (sender, jobs) = mpsc::channel::<IndexJob>();
    std::thread::spawn(move || {
        while let Ok(mut job) = jobs.recv() {
            while let Ok(newer) = jobs.try_recv() {
                job = newer;
            }
            let indexer =
                crate::output::search::SearchIndexer::start(job.pages.clone(), "/", &job.language);
            for page in &job.pages {
                if let Some(Entry::Bytes(html)) = job.served.files.get(&page.path) {
                    indexer.add(&page.path, html);
                }
            }
            match indexer.finish() {
                Ok(index) => shared.attach_search(job.generation, index.files),
                // Not eprintln!, which panics (ending this thread) when stderr is closed.
                Err(message) => {
                    let _ = std::io::Write::write_fmt(
                        &mut std::io::stderr(),
                        format_args!("kbgen: search index failed: {message}\n"),
                    );
                }
            }
        }
    });
    sender
}

/// Builds, serves and watches until Ctrl-C. `report` is told about every
/// rebuild (the first one included).
pub fn run(
    options: ServeOptions,
    listener: TcpListener,
    report: impl Fn(&Rebuild) + Send + 'static,
) -> Result<(), String> {
    let url = site_url(&listener);
    let build_options = BuildOptions {
        root: options.root.clone(),
        base_url: Some(url),
        drafts: if options.drafts {
            Drafts::Include
        } else {
            Drafts::Skip
        },
        search: options.search,
        check_only: false,
        cache: options.cache,
        progress: None,
    };
    // Watch before the first build: an edit saved while it runs (or right
    // after "serving" is printed) must not be lost.
    let (sender, changes) = mpsc::channel();
    let mut watcher = watch::watch(&options.root, sender)?;
    let mut preview = Preview::new(build_options);
    let shared = http::Shared::new(preview.served());
    let indexer = background_indexer(Arc::clone(&shared));
    let (first, generation) =
        rebuild_and_publish(&mut preview, &shared, &crate::build::Changes::everything());
    if let Some(generation) = generation {
        request_index(&indexer, &first, generation, preview.served());
    }
    report(&first);

    let rebuilder = Arc::clone(&shared);
    let root = options.root.clone();
    std::thread::spawn(move || {
        while let Ok(mut paths) = changes.recv() {
            // Saves often come as a burst: take everything already waiting.
            while let Ok(more) = changes.recv_timeout(Duration::from_millis(5)) {
                paths.extend(more);
            }
            let changes = watch::changes_from_paths(&root, &paths);
            if changes.is_empty() {
                continue;
            }
            if changes.everything {
                watch::watch_inputs(&mut watcher, &root);
            }
            let (rebuild, generation) = rebuild_and_publish(&mut preview, &rebuilder, &changes);
            if let Some(generation) = generation {
                request_index(&indexer, &rebuild, generation, preview.served());
            }
            report(&rebuild);
        }
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
        http::serve_connections(
            listener,
            http::router(shared),
            http::HEADER_TIMEOUT,
            async {
                let _ = tokio::signal::ctrl_c().await;
            },
        )
        .await;
        Ok(())
    })
}
