//! The real-browser end-to-end test: builds the example help center with the
//! real binary, serves it on a loopback port and runs `tests/browser/search.mjs`,
//! which drives headless Chromium (Debian's `/usr/bin/chromium`, over the
//! DevTools protocol with playwright-core) through a search from the header box,
//! takes phone- and desktop-width screenshots into `target/browser-artifacts/`
//! and runs axe-core on the home page, an article and a results list.
//!
//! Needs Chromium, Node.js and `npm ci --prefix tests/browser`, so a plain
//! `cargo test` lists it as ignored, with that reason, instead of reporting a
//! pass it never ran; `cargo test --test browser -- --ignored` runs it (as
//! `.ci/run` does). Run so, a missing piece is printed and the test passes,
//! unless `KBGEN_REQUIRE_BROWSER=1` (as `.ci/run` sets) makes it a failure.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const NODE_TIMEOUT: Duration = Duration::from_secs(300);

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn chromium_path() -> PathBuf {
    std::env::var_os("KBGEN_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// What is missing for the browser test, if anything.
fn missing_requirement() -> Option<String> {
    let chromium = chromium_path();
    if !chromium.is_file() {
        return Some(format!(
            "no Chromium at {} (install Debian's `chromium` package, as .ci/run does)",
            chromium.display()
        ));
    }
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => return Some(format!("`node --version` failed: {}", out.status)),
        Err(e) => return Some(format!("Node.js is not installed (`node`: {e})")),
    }
    let modules = repo_root().join("tests/browser/node_modules");
    for package in ["playwright-core", "axe-core"] {
        if !modules.join(package).join("package.json").is_file() {
            return Some(format!(
                "{} is not installed (run `npm ci --prefix tests/browser`)",
                modules.join(package).display()
            ));
        }
    }
    None
}

#[test]
#[ignore = "needs Chromium, Node.js and `npm ci --prefix tests/browser`; run with `cargo test --test browser -- --ignored`"]
fn search_in_a_real_browser() {
    if let Some(reason) = missing_requirement() {
        if std::env::var("KBGEN_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("KBGEN_REQUIRE_BROWSER=1 but the browser test cannot run: {reason}");
        }
        // Straight to stderr: the test harness would swallow `eprintln!` of a
        // passing test, and a skip should be seen.
        let _ = writeln!(
            std::io::stderr(),
            "skipping the browser test: {reason} (set KBGEN_REQUIRE_BROWSER=1 to make this a failure)"
        );
        return;
    }

    let root = repo_root();
    let temp = tempfile::tempdir().expect("temp dir");
    let site = temp.path().join("site");
    let build = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .arg("build")
        .arg("--root")
        .arg(&root)
        .arg("--output")
        .arg(&site)
        .arg("--quiet")
        .output()
        .expect("run kbgen build");
    assert!(
        build.status.success(),
        "kbgen build of the example site failed ({}):\n{}{}",
        build.status,
        String::from_utf8_lossy(&build.stdout),
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(
        site.join("pagefind/pagefind.js").is_file(),
        "the build wrote no pagefind index"
    );

    let base = serve(site);
    let artifacts = root.join("target/browser-artifacts");
    let mut child = Command::new("node")
        .arg(root.join("tests/browser/search.mjs"))
        .arg(&base)
        .arg(&artifacts)
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start node");
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break Some(status);
        }
        if started.elapsed() > NODE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(100));
    };
    let stdout = stdout.join().unwrap();
    let stderr = stderr.join().unwrap();
    print!("{stdout}");
    eprint!("{stderr}");
    match status {
        None => panic!("the browser test did not finish within {NODE_TIMEOUT:?}"),
        Some(status) if !status.success() => {
            panic!("the browser test failed ({status}):\n{stderr}")
        }
        Some(_) => println!("screenshots: {}", artifacts.display()),
    }
}

fn drain(mut from: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = from.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Serves `dir` on 127.0.0.1 (a free port) for the rest of the test process and
/// returns its base URL: GET only, `/x/` maps to `x/index.html`, anything else
/// that is not a file is a 404.
fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let base = format!("http://{}/", listener.local_addr().unwrap());
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            thread::spawn(move || {
                let _ = handle(stream, &dir);
            });
        }
    });
    base
}

fn handle(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let text = "text/plain; charset=utf-8";
    if method != "GET" {
        return respond(&mut stream, "405 Method Not Allowed", text, b"GET only\n");
    }
    match resolve(dir, target).and_then(|file| Some((std::fs::read(&file).ok()?, file))) {
        Some((body, file)) => respond(&mut stream, "200 OK", content_type(&file), &body),
        None => respond(&mut stream, "404 Not Found", text, b"not found\n"),
    }
}

/// The file a request path names, if it is one: no `..`, `/x/` is `x/index.html`.
fn resolve(dir: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path.strip_prefix('/')?)?;
    let mut file = dir.to_path_buf();
    for component in Path::new(&decoded).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(file: &Path) -> &'static str {
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        // pagefind's index (`.pf_meta`, `.pf_index`, `.pf_fragment`,
        // `.pf_filter`), its gzipped wasm (`.pagefind`) and anything else.
        _ => "application/octet-stream",
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}
