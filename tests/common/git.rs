//! Git repositories written by tests with gix (no `git` program): each
//! commit is given the whole tree it holds, its time and author, and its
//! parents, so a test states a history exactly, merges included.

use std::collections::BTreeMap;
use std::path::Path;

use gix::ObjectId;

pub struct GitRepo {
    repo: gix::Repository,
}

/// The files of one commit: path from the repository's top → contents.
pub type Snapshot = BTreeMap<String, String>;

impl GitRepo {
    /// A new repository (with a work tree) at `dir`.
    pub fn init(dir: &Path) -> GitRepo {
        GitRepo {
            repo: gix::init(dir).expect("init a repository"),
        }
    }

    /// Writes a commit holding exactly `files`, committed at `seconds` (Unix
    /// time, UTC) by `author`; it is not yet on any branch.
    pub fn commit(
        &self,
        files: &Snapshot,
        seconds: i64,
        author: &str,
        parents: &[ObjectId],
    ) -> ObjectId {
        let tree = self.tree(files, "");
        let signature = gix::actor::Signature {
            name: author.into(),
            email: format!("{}@example.com", author.to_lowercase().replace(' ', ".")).into(),
            time: gix::date::Time::new(seconds, 0),
        };
        let commit = gix::objs::Commit {
            tree,
            parents: parents.iter().copied().collect(),
            author: signature.clone(),
            committer: signature,
            encoding: None,
            message: format!("change at {seconds}\n").into(),
            extra_headers: Vec::new(),
        };
        self.repo
            .write_object(&commit)
            .expect("write a commit")
            .detach()
    }

    /// Points the `main` branch (which `HEAD` names) at `commit`.
    pub fn set_main(&self, commit: ObjectId) {
        self.repo
            .reference(
                "refs/heads/main",
                commit,
                gix::refs::transaction::PreviousValue::Any,
                "test",
            )
            .expect("update main");
        std::fs::write(self.repo.git_dir().join("HEAD"), "ref: refs/heads/main\n").unwrap();
    }

    /// Makes the repository look like a clone of depth 1 at `commit`.
    pub fn make_shallow(&self, commit: ObjectId) {
        std::fs::write(self.repo.git_dir().join("shallow"), format!("{commit}\n")).unwrap();
    }

    /// The tree of the files under `prefix` (`a/` or empty).
    fn tree(&self, files: &Snapshot, prefix: &str) -> ObjectId {
        let mut entries = Vec::new();
        let mut folders: BTreeMap<&str, ()> = BTreeMap::new();
        for (path, text) in files.range(prefix.to_string()..) {
            let Some(rest) = path.strip_prefix(prefix) else {
                break;
            };
            match rest.split_once('/') {
                Some((folder, _)) => {
                    folders.insert(folder, ());
                }
                None => {
                    let blob = self.repo.write_blob(text.as_bytes()).expect("write a blob");
                    entries.push(gix::objs::tree::Entry {
                        mode: gix::objs::tree::EntryKind::Blob.into(),
                        filename: rest.into(),
                        oid: blob.detach(),
                    });
                }
            }
        }
        for folder in folders.keys() {
            let oid = self.tree(files, &format!("{prefix}{folder}/"));
            entries.push(gix::objs::tree::Entry {
                mode: gix::objs::tree::EntryKind::Tree.into(),
                filename: (*folder).into(),
                oid,
            });
        }
        entries.sort();
        let tree = gix::objs::Tree { entries };
        self.repo
            .write_object(&tree)
            .expect("write a tree")
            .detach()
    }
}

/// A snapshot from `(path, contents)` pairs.
pub fn snapshot(files: &[(&str, &str)]) -> Snapshot {
    files
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect()
}
