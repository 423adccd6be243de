//! The preview's HTTP side: serves the in-memory site, injects the live-reload
//! script into HTML pages, and pushes rebuild news over Server-Sent Events.
//!
//! Only files of the built site are served: a request path is decoded and
//! checked (no `..`, no `.`, no backslash, no NUL) and then looked up in the
//! site's file map, so nothing else on the machine can be reached. A static
//! file or asset is sent only while it is the very file the build checked (see
//! [`crate::output::memory::CheckedFile`]), never whatever its path holds now.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use percent_encoding::percent_decode_str;
use serde::Serialize;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::diagnostics::Diagnostic;
use crate::output::memory::{Entry, Served};

const LIVE_SCRIPT_PATH: &str = "/__kbgen/live.js";
const SEARCH_PREFIX: &str = "pagefind/";
const LIVE_SCRIPT: &str = include_str!("live.js");

/// What the server shares with the rebuild loop.
pub struct Shared {
    /// What requests are answered from. A request takes it once (two
    /// `Arc`s) and answers from that, whatever is published meanwhile.
    current: RwLock<Snapshot>,
    /// The errors of the last rebuild, for pages opened while they last.
    pub status: RwLock<Arc<str>>,
    /// News for open pages, as JSON.
    pub events: broadcast::Sender<Arc<str>>,
}

/// The served site and its search index, as one request sees them.
#[derive(Clone, Default)]
pub struct Snapshot {
    pub site: Arc<Served>,
    /// The search index's files (paths under `pagefind/`), kept apart
    /// from the site so that publishing a site and attaching an index each
    /// replace one `Arc` and copy nothing: the index of an older site is
    /// served until the new one is attached.
    pub search: Arc<Served>,
    /// Bumped on every publish, so a search index built for an older site
    /// is not attached to a newer one.
    pub generation: u64,
}

impl Snapshot {
    /// The file at output `path`: the search index's, else the site's (as
    /// a build writes the index over the site's files).
    pub fn get(&self, path: &str) -> Option<&Entry> {
        let search = match path.starts_with(SEARCH_PREFIX) {
            true => self.search.files.get(path),
            false => None,
        };
        search.or_else(|| self.site.files.get(path))
    }

    pub fn contains(&self, path: &str) -> bool {
        self.get(path).is_some()
    }
}

impl Shared {
    pub fn new(served: Arc<Served>) -> Arc<Shared> {
        let (events, _) = broadcast::channel(16);
        Arc::new(Shared {
            current: RwLock::new(Snapshot {
                site: served,
                ..Snapshot::default()
            }),
            status: RwLock::new(Arc::from(r#"{"kind":"ok"}"#)),
            events,
        })
    }

    /// What is served now.
    pub fn snapshot(&self) -> Snapshot {
        (self.current.read())
            .map(|current| current.clone())
            .unwrap_or_default()
    }

    /// After a good rebuild: serve it and reload every open page. The search
    /// index of the previous site stays until the new one is ready. Returns
    /// the site's generation, for [`Shared::attach_search`]. O(1): the site
    /// replaces the last one whole.
    pub fn publish(&self, served: Arc<Served>) -> u64 {
        let generation = match self.current.write() {
            Ok(mut current) => {
                // The last site is dropped after the lock is let go.
                let _last = std::mem::replace(&mut current.site, served);
                current.generation += 1;
                current.generation
            }
            Err(_) => 0,
        };
        self.set_status(r#"{"kind":"ok"}"#.into());
        let _ = self.events.send(Arc::from(r#"{"kind":"reload"}"#));
        generation
    }

    /// Attaches a search index built for `generation` (`files` relative to
    /// the search folder), if that site is still the one served (no reload:
    /// pages do not change).
    pub fn attach_search(&self, generation: u64, files: Vec<(String, Vec<u8>)>) {
        let search = Served {
            files: (files.into_iter())
                .map(|(name, contents)| {
                    let path = format!("{SEARCH_PREFIX}{name}");
                    (path, Entry::Bytes(Arc::from(contents)))
                })
                .collect(),
        };
        let Ok(mut current) = self.current.write() else {
            return;
        };
        if current.generation == generation {
            let _last = std::mem::replace(&mut current.search, Arc::new(search));
        }
    }

    /// After a failed rebuild: keep serving the last good site, show the errors.
    pub fn show_errors(&self, errors: &[Diagnostic]) {
        let message: Arc<str> = Arc::from(errors_message(errors));
        self.set_status(Arc::clone(&message));
        let _ = self.events.send(message);
    }

    fn set_status(&self, status: Arc<str>) {
        if let Ok(mut current) = self.status.write() {
            *current = status;
        }
    }
}

#[derive(Serialize)]
struct ErrorView<'a> {
    path: String,
    line: usize,
    column: usize,
    message: &'a str,
    help: Option<&'a str>,
}

fn errors_message(errors: &[Diagnostic]) -> String {
    #[derive(Serialize)]
    struct Message<'a> {
        kind: &'static str,
        errors: Vec<ErrorView<'a>>,
    }
    let errors = errors
        .iter()
        .filter(|d| d.is_error())
        .map(|d| ErrorView {
            path: d.path.display().to_string(),
            line: d.line,
            column: d.column,
            message: &d.message,
            help: d.help.as_deref(),
        })
        .collect();
    serde_json::to_string(&Message {
        kind: "errors",
        errors,
    })
    .unwrap_or_default()
}

/// How long a client may take to send a request's headers before its
/// connection is closed (a slow or stalled client must not hold the server).
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Serves `router` on `listener` until `shutdown` completes: one task per
/// connection, HTTP/1.1, each closed when its request headers take longer
/// than `header_timeout` ([`HEADER_TIMEOUT`] for `kbgen serve`).
pub async fn serve_connections(
    listener: tokio::net::TcpListener,
    router: Router,
    header_timeout: std::time::Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait, then go on.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => return,
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The router: the live-reload endpoints, then the site.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(LIVE_SCRIPT_PATH, get(live_script))
        .route("/__kbgen/events", get(events))
        .fallback(serve_file)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(shared)
}

async fn live_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_SCRIPT,
    )
        .into_response()
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let current = shared
        .status
        .read()
        .map(|s| Arc::clone(&s))
        .unwrap_or_else(|_| Arc::from("{}"));
    let first = tokio_stream::once(current);
    let news = BroadcastStream::new(shared.events.subscribe()).filter_map(Result::ok);
    let stream = first
        .chain(news)
        .map(|data| Ok(Event::default().data(&*data)));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn serve_file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let served = shared.snapshot();
    let Some(path) = output_path(uri.path()) else {
        return not_found(&served, "").await;
    };
    if let Some(entry) = served.get(&path) {
        return file_response(&path, entry, StatusCode::OK).await;
    }
    let folder_index = format!("{path}/index.html");
    if !uri.path().ends_with('/') && served.contains(&folder_index) {
        let location = format!("{}/", uri.path());
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    not_found(&served, &path).await
}

/// The 404 page for a missing output `path`: the `404.html` nearest to it
/// up its folders, so `/de/nope/` gets the German 404 page (`de/404.html`)
/// of a multilingual site. Cloudflare Pages looks for its 404 page the same
/// way; on Netlify the generated `_redirects` does it.
async fn not_found(served: &Snapshot, path: &str) -> Response {
    let name = crate::site::generated::NOT_FOUND;
    let folders = path.match_indices('/').rev().map(|(i, _)| &path[..=i]);
    let nearest = (folders.chain([""]))
        .map(|folder| format!("{folder}{name}"))
        .find_map(|file| Some((served.get(&file)?, file)));
    match nearest {
        Some((entry, file)) => file_response(&file, entry, StatusCode::NOT_FOUND).await,
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

async fn file_response(path: &str, entry: &Entry, status: StatusCode) -> Response {
    let bytes = match entry {
        Entry::Bytes(bytes) => bytes.to_vec(),
        Entry::Joined(joined) => crate::output::memory::join(&joined.parts, &joined.separator),
        Entry::Disk(file) => {
            let file = file.clone();
            match tokio::task::spawn_blocking(move || file.read()).await {
                Ok(Ok(bytes)) => bytes,
                // Changed since it was checked: the rebuild the change
                // started will serve it again, if it is still fine.
                _ => return (StatusCode::NOT_FOUND, "not found").into_response(),
            }
        }
    };
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") {
        Body::from(with_live_script(bytes))
    } else {
        Body::from(bytes)
    };
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// The page with the live-reload script before `</body>`.
fn with_live_script(mut html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_SCRIPT_PATH}\" defer></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

/// The output file a request path names, or `None` for anything that tries to
/// leave the site (`..`, `%2e%2e`, backslashes, NUL).
pub fn output_path(request: &str) -> Option<String> {
    let decoded = percent_decode_str(request).decode_utf8().ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" => {}
            "." | ".." => return None,
            part => parts.push(part),
        }
    }
    let mut path = parts.join("/");
    if decoded.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_client_slow_to_send_its_headers_is_cut_off() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let router = super::router(Shared::new(Arc::new(Served::default())));
        let timeout = std::time::Duration::from_millis(200);
        tokio::spawn(serve_connections(
            listener,
            router,
            timeout,
            std::future::pending(),
        ));
        let mut client = tokio::net::TcpStream::connect(address).await.unwrap();
        client
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let started = std::time::Instant::now();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            client.read_to_end(&mut answer),
        )
        .await;
        assert!(read.is_ok(), "the connection stayed open");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[tokio::test]
    async fn a_missing_page_gets_the_404_page_of_its_language() {
        let mut served = Served::default();
        for (file, text) in [
            ("404.html", "en<"),
            ("de/404.html", "de<"),
            ("de/index.html", ""),
        ] {
            let bytes: Arc<[u8]> = Arc::from(text.as_bytes());
            served.files.insert(file.to_string(), Entry::Bytes(bytes));
        }
        let shared = Shared::new(Arc::new(served));
        for (path, expected) in [
            ("/de/nope/", "de<"),
            ("/de/a/b/c.html", "de<"),
            ("/de/nope", "de<"),
            ("/nope/", "en<"),
            ("/dex/nope/", "en<"),
            ("/../x", "en<"),
        ] {
            let uri: Uri = path.parse().unwrap();
            let response = serve_file(State(Arc::clone(&shared)), uri).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            let body = axum::body::to_bytes(response.into_body(), 1024)
                .await
                .unwrap();
            // The page, with the live-reload script after it.
            assert!(body.starts_with(expected.as_bytes()), "{path}");
        }
    }

    fn site(files: &[(&str, &str)]) -> Arc<Served> {
        let files = (files.iter())
            .map(|(path, text)| (path.to_string(), Entry::Bytes(Arc::from(text.as_bytes()))))
            .collect();
        Arc::new(Served { files })
    }

    fn text(snapshot: &Snapshot, path: &str) -> Option<String> {
        let bytes = snapshot.get(path)?.read().unwrap();
        Some(String::from_utf8(bytes).unwrap())
    }

    fn index(text: &str) -> Vec<(String, Vec<u8>)> {
        vec![("pagefind.js".to_string(), text.as_bytes().to_vec())]
    }

    #[test]
    fn the_search_index_stays_over_a_publish_until_the_new_one_is_attached() {
        let shared = Shared::new(Arc::new(Served::default()));
        let first = shared.publish(site(&[("index.html", "one")]));
        shared.attach_search(first, index("index one"));
        let second = shared.publish(site(&[("index.html", "two")]));
        let now = shared.snapshot();
        assert_eq!(text(&now, "index.html").as_deref(), Some("two"));
        assert_eq!(
            text(&now, "pagefind/pagefind.js").as_deref(),
            Some("index one")
        );
        // An index of a site no longer served is not attached; the newest is.
        let third = shared.publish(site(&[("index.html", "three")]));
        shared.attach_search(second, index("index two"));
        let now = shared.snapshot();
        assert_eq!(
            text(&now, "pagefind/pagefind.js").as_deref(),
            Some("index one")
        );
        shared.attach_search(third, index("index three"));
        let now = shared.snapshot();
        assert_eq!(
            text(&now, "pagefind/pagefind.js").as_deref(),
            Some("index three")
        );
    }

    #[test]
    fn the_index_wins_over_a_site_file_of_the_same_path_as_in_a_build() {
        let shared = Shared::new(Arc::new(Served::default()));
        let files = [("pagefind/pagefind.js", "site's"), ("pagefind/x", "x")];
        let generation = shared.publish(site(&files));
        assert_eq!(
            text(&shared.snapshot(), "pagefind/pagefind.js").as_deref(),
            Some("site's")
        );
        shared.attach_search(generation, index("index"));
        let now = shared.snapshot();
        assert_eq!(text(&now, "pagefind/pagefind.js").as_deref(), Some("index"));
        assert_eq!(text(&now, "pagefind/x").as_deref(), Some("x"));
    }

    #[test]
    fn a_request_keeps_the_site_and_index_it_took() {
        let shared = Shared::new(Arc::new(Served::default()));
        let generation = shared.publish(site(&[("a/index.html", "old")]));
        shared.attach_search(generation, index("old index"));
        let taken = shared.snapshot();
        let generation = shared.publish(site(&[("b/index.html", "new")]));
        shared.attach_search(generation, index("new index"));
        assert_eq!(text(&taken, "a/index.html").as_deref(), Some("old"));
        assert_eq!(text(&taken, "b/index.html"), None);
        assert_eq!(
            text(&taken, "pagefind/pagefind.js").as_deref(),
            Some("old index")
        );
        let now = shared.snapshot();
        assert_eq!(text(&now, "a/index.html"), None);
        assert_eq!(
            text(&now, "pagefind/pagefind.js").as_deref(),
            Some("new index")
        );
    }

    #[test]
    fn request_paths_cannot_leave_the_site() {
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/%2E%2E/x",
            "/a\\b",
            "/./a",
            "/a/%00",
        ] {
            assert_eq!(output_path(bad), None, "{bad}");
        }
        assert_eq!(output_path("/").as_deref(), Some("index.html"));
        assert_eq!(output_path("/a/b/").as_deref(), Some("a/b/index.html"));
        assert_eq!(output_path("//etc/passwd").as_deref(), Some("etc/passwd"));
        assert_eq!(
            output_path("/Desktop%20Client/x.png").as_deref(),
            Some("Desktop Client/x.png")
        );
    }

    #[test]
    fn the_live_script_goes_before_the_last_body_end() {
        let html = with_live_script(b"<html><body><p>x</p></BODY></html>".to_vec());
        let html = String::from_utf8(html).unwrap();
        assert_eq!(
            html,
            "<html><body><p>x</p><script src=\"/__kbgen/live.js\" defer></script></BODY></html>"
        );
    }
}
