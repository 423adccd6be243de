//! Nothing outside the site is read or served: a `static/`, `content/` or
//! `templates/` folder that is a symbolic link out of the site is an error, and
//! `kbgen serve` sends a static file only while it is the file the build
//! checked, not whatever its path points at later.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::http::{free_port, get, Server};

const SECRET: &str = "outside-the-site secret";

fn write(root: &Path, path: &str, contents: &str) {
    let target = root.join(path);
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::write(target, contents).unwrap();
}

/// A site with one article, and beside it a folder outside the site holding a
/// secret file.
fn site_and_outside() -> (tempfile::TempDir, tempfile::TempDir) {
    let site = tempfile::tempdir().unwrap();
    write(
        site.path(),
        "content/s/a.md",
        "---\ntitle: A\n---\nHello.\n",
    );
    write(site.path(), "kbgen.yaml", "title: Help\n");
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.txt", SECRET);
    (site, outside)
}

/// `kbgen <args>` run in the site: exit code and stderr.
fn kbgen(args: &[&str], root: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code().unwrap_or(-1), stderr)
}

#[test]
fn static_folder_linked_outside_the_site_is_no_longer_published() {
    let (site, outside) = site_and_outside();
    symlink(outside.path(), site.path().join("static")).unwrap();
    for args in [&["check"][..], &["build"][..]] {
        let (code, stderr) = kbgen(args, site.path());
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(
            stderr
                .contains("static: error[path]: the folder is a symbolic link to outside the site"),
            "{args:?}: {stderr}"
        );
    }
    assert!(!site.path().join("public/secret.txt").exists());
}

#[test]
fn content_or_templates_folder_linked_outside_the_site_is_an_error() {
    for folder in ["templates", "content"] {
        let (site, outside) = site_and_outside();
        write(outside.path(), "s/b.md", "---\ntitle: B\n---\nOutside.\n");
        let real = site.path().join(folder);
        if real.exists() {
            fs::rename(&real, outside.path().join("moved")).unwrap();
        }
        symlink(outside.path(), &real).unwrap();
        let (code, stderr) = kbgen(&["check"], site.path());
        assert_eq!(code, 1, "{folder}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{folder}: error[path]: the folder is a symbolic link to outside the site"
            )),
            "{folder}: {stderr}"
        );
    }
}

#[test]
fn static_folder_linked_inside_the_site_is_still_published() {
    let (site, _outside) = site_and_outside();
    write(site.path(), "theme/static/logo.txt", "logo\n");
    symlink(site.path().join("theme/static"), site.path().join("static")).unwrap();
    let (code, stderr) = kbgen(&["build"], site.path());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        fs::read_to_string(site.path().join("public/logo.txt")).unwrap(),
        "logo\n"
    );
}

/// `kbgen serve` on `port`, its stderr going to `log`.
fn serve(root: &Path, port: u16, log: &Path) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args([
            "serve",
            "--no-search",
            "--port",
            &port.to_string(),
            "--root",
        ])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let server = Server(child);
    wait_for("serve to start", || get(port, "/").is_some());
    server
}

fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_no_longer_sends_a_static_file_replaced_by_a_link_outside_the_site() {
    let (site, outside) = site_and_outside();
    write(site.path(), "static/notes.txt", "our notes\n");
    let log = outside.path().join("serve.log");
    let port = free_port();
    let _server = serve(site.path(), port, &log);
    let (status, notes) = get(port, "/notes.txt").unwrap();
    assert_eq!(status, 200);
    assert!(notes.ends_with("our notes\n"));

    let notes_file = site.path().join("static/notes.txt");
    fs::remove_file(&notes_file).unwrap();
    symlink(outside.path().join("secret.txt"), &notes_file).unwrap();
    let leaked = || get(port, "/notes.txt").is_some_and(|(_, r)| r.contains(SECRET));
    // Before the rebuild notices...
    assert!(!leaked());
    // ...and after it reported the link, while the last good site is served.
    wait_for("the rebuild to report the link", || {
        fs::read_to_string(&log)
            .is_ok_and(|text| text.contains("symbolic link points outside the site"))
    });
    assert!(!leaked());
    assert_eq!(get(port, "/notes.txt").unwrap().0, 404);
    assert_eq!(get(port, "/s/a/").unwrap().0, 200);
}
