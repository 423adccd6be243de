//! Nothing outside the site is read or served: a `static/`, `content/` or
//! `templates/` folder that is a symbolic link out of the site is an error, and
//! `kbgen serve` sends a static file only while it is the file the build
//! checked, not whatever its path points at later.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

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
