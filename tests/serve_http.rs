//! `kbgen serve` as a person uses it: the real binary, real HTTP requests, a
//! file edited while it runs, a busy port, and Ctrl-C.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::http::{free_port, get, Server};

fn write(root: &Path, path: &str, text: &str) {
    let target = root.join(path);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(target, text).unwrap();
}

fn serve(root: &Path, port: u16) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while get(port, "/").is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Server(child)
}

/// `kbgen serve` with its stderr in `log`, for tests that read what it says;
/// it returns at once (the first build may still be running).
fn serve_logged(root: &Path, port: u16, log: &Path) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    Server(child)
}

fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "content/s/a.md",
        "---\ntitle: First title\n---\nHello.\n",
    );
    write(dir.path(), "kbgen.yaml", "title: Preview\n");
    dir
}

#[test]
fn serves_pages_with_live_reload_and_nothing_outside_the_site() {
    let site = site();
    let port = free_port();
    let _server = serve(site.path(), port);

    let (status, page) = get(port, "/s/a/").unwrap();
    assert_eq!(status, 200);
    assert!(page.contains(">First title</h1>"));
    assert!(page.contains("<script src=\"/__kbgen/live.js\" defer></script></body>"));
    assert_eq!(get(port, "/__kbgen/live.js").unwrap().0, 200);
    assert_eq!(get(port, "/s/a").unwrap().0, 301);
    for bad in [
        "/../kbgen.yaml",
        "/%2e%2e/kbgen.yaml",
        "/s/..%2f..%2fkbgen.yaml",
        "/kbgen.yaml",
        "//etc/passwd",
    ] {
        let (status, _) = get(port, bad).unwrap();
        assert_eq!(status, 404, "{bad}");
    }

    write(
        site.path(),
        "content/s/a.md",
        "---\ntitle: Second title\n---\nHello again.\n",
    );
    wait_for("the edit to be served", || {
        get(port, "/s/a/").is_some_and(|(_, page)| page.contains(">Second title</h1>"))
    });
}

#[test]
fn a_busy_port_given_with_port_is_a_clear_error() {
    let site = site();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let output = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
}

#[test]
fn ctrl_c_stops_it_cleanly() {
    let site = site();
    let port = free_port();
    let mut server = serve(site.path(), port);
    let pid = server.0.id().to_string();
    Command::new("kill").args(["-INT", &pid]).status().unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "serve did not stop on Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn bind_takes_a_host_name_and_says_when_it_cannot_resolve_one() {
    let site = site();
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args([
            "serve",
            "--bind",
            "localhost",
            "--port",
            &port.to_string(),
            "--root",
        ])
        .arg(site.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _server = Server(child);
    wait_for("serve on localhost", || get(port, "/").is_some());

    let output = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["serve", "--bind", "no-such-host.invalid", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot resolve `no-such-host.invalid`"),
        "{stderr}"
    );
}

#[test]
fn without_content_it_says_so_and_builds_once_content_appears() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("serve.log");
    let site = dir.path().join("site");
    std::fs::create_dir(&site).unwrap();
    let port = free_port();
    let _server = serve_logged(&site, port, &log_path);
    let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    wait_for("the first build's report", || {
        log().contains("kbgen: waiting at")
    });
    assert!(
        log().contains("error[content]: no content/ folder"),
        "{}",
        log()
    );
    assert!(log().contains("kbgen init"), "{}", log());

    // A broken first article: there is still no good version to serve.
    write(&site, "content/start/hello.md", "---\ntitle: [\n---\nHi.\n");
    wait_for("the broken article's report", || {
        log().contains("nothing built yet")
    });
    assert!(!log().contains("last good version"), "{}", log());

    write(
        &site,
        "content/start/hello.md",
        "---\ntitle: Hello\ndescription: Greets.\ntaxonomy:\n  category: start\n---\nHi.\n",
    );
    wait_for("the article to be served", || {
        get(port, "/start/hello/")
            .is_some_and(|(status, body)| status == 200 && body.contains("Hello"))
    });
}

#[test]
fn new_warnings_are_printed_not_only_counted() {
    let site = site();
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("serve.log");
    let port = free_port();
    let _server = serve_logged(site.path(), port, &log_path);
    let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    wait_for("the first build", || log().contains("kbgen: serving"));
    // Written as soon as "serving" shows: the watcher must already be on.
    write(site.path(), "content/s/pic.png", "PNG");
    write(
        site.path(),
        "content/s/no-alt.md",
        "---\ntitle: No alt\ndescription: Image.\ntaxonomy:\n  category: s\n---\n![](pic.png)\n",
    );
    let started = Instant::now();
    while !log().contains("no-alt.md:7:1: warning[lint/image-alt]") {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the new warning was not printed:\n{}",
            log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
