//! The history of `content/` in git: when each Markdown file was first and
//! last changed, and by whom, read in one walk of the repository for the whole
//! site (never one `git log` per file, the cost peers' git-date plugins are
//! known for, and never by spawning `git`).
//!
//! The walk reads each commit once, takes the `content/` subtree of its tree,
//! and compares it with its parents' (in parallel; a commit that left the
//! subtree alone costs one comparison of ids). Changes are then taken from
//! the newest commit to the oldest, children before parents: the first
//! change met is a file's `updated`, the last its `date`. A rename is
//! followed like `git log --follow` does: an added file paired with a
//! deleted one, by identical contents or, failing that, by at least half of
//! their lines in common (git's default rename threshold), hands the older
//! history of the deleted path to the renamed file. A merge changes a file
//! only when the file differs from every parent (git log's history
//! simplification), so a branch's commits keep their own dates. The times
//! are committer times: when a change reached the branch.
//!
//! The same repository gives the same history: commits are ordered by time,
//! then id, and nothing depends on thread timing.

use std::collections::{BinaryHeap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use gix::bstr::{BStr, BString, ByteSlice};
use gix::objs::FindExt;
use gix::ObjectId;
use rayon::prelude::*;

use super::front_matter::Date;

/// What git says of one file under `content/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileHistory {
    /// The first commit that added it (under this name or one it was
    /// renamed from).
    pub created: Date,
    /// The last commit that changed it.
    pub updated: Date,
    /// The author's name of that last commit, as written in the commit.
    pub last_author: String,
}

/// The history of every Markdown file under `content/`, by its path there
/// (`jira-cloud/oauth-401.md`).
#[derive(Debug, Clone, Default)]
pub struct History {
    pub files: HashMap<String, Arc<FileHistory>>,
    /// How many commits the walk read.
    pub commits: usize,
}

/// What the repository around a site root allows.
#[derive(Debug)]
pub enum Walk {
    History(History),
    /// The repository is a shallow clone: the commits that added most files
    /// are missing, so no date it gives can be trusted.
    Shallow,
    /// `HEAD` has no commit yet.
    Unborn,
}

/// Where the repository of a site is and which commit its `HEAD` is at: what
/// a session compares to know whether to walk again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub commit: Option<ObjectId>,
    pub shallow: bool,
}

/// The repository holding `root`, and the path of `root/content` inside its
/// work tree (`docs/content`), as git writes paths.
pub struct Repository {
    repo: gix::Repository,
    content: BString,
}

impl Repository {
    /// Finds the repository around `root`; none when there is none, the
    /// repository is bare, or `content/` is not inside its work tree.
    pub fn discover(root: &Path) -> Result<Option<Repository>, String> {
        use gix::discover::upwards::Error as NotFound;
        if let Err(e) = gix::discover::upwards(root) {
            let not_found = matches!(
                e.downcast_any_ref::<NotFound>(),
                Some(
                    NotFound::NoGitRepository { .. }
                        | NotFound::NoGitRepositoryWithinCeiling { .. }
                        | NotFound::NoGitRepositoryWithinFs { .. }
                )
            );
            return if not_found {
                Ok(None)
            } else {
                Err(e.to_string())
            };
        }
        let repo = gix::discover(root).map_err(|e| e.to_string())?;
        let Some(workdir) = repo.workdir() else {
            return Ok(None);
        };
        let (Ok(workdir), Ok(content)) =
            (workdir.canonicalize(), root.join("content").canonicalize())
        else {
            return Ok(None);
        };
        let Ok(inside) = content.strip_prefix(&workdir) else {
            return Ok(None);
        };
        let mut parts = Vec::new();
        for part in inside.components() {
            match part.as_os_str().to_str() {
                Some(name) => parts.push(name),
                None => return Ok(None),
            }
        }
        Ok(Some(Repository {
            repo,
            content: parts.join("/").into(),
        }))
    }

    /// The commit `HEAD` is at, and whether the clone is shallow.
    pub fn head(&self) -> Result<Head, String> {
        let shallow = self.repo.is_shallow().map_err(|e| e.to_string())?;
        let head = self.repo.head().map_err(|e| e.to_string())?;
        Ok(Head {
            commit: head.id().map(|id| id.detach()),
            shallow,
        })
    }

    /// The branch `HEAD` names (`main`), none when it is detached.
    pub fn branch(&self) -> Option<String> {
        let name = self.repo.head_name().ok()??;
        Some(name.shorten().to_str().ok()?.to_string())
    }

    /// The work tree folder, and the site root's path inside it as git
    /// writes paths (`docs`; empty at the top).
    pub fn site_folder(&self) -> String {
        let content = self.content.to_str().unwrap_or_default();
        match content.rsplit_once('/') {
            Some((folder, _)) => folder.to_string(),
            None => String::new(),
        }
    }

    /// Walks the history of `HEAD` (see the module docs).
    pub fn walk(&self) -> Result<Walk, String> {
        let head = self.head()?;
        if head.shallow {
            return Ok(Walk::Shallow);
        }
        let Some(head) = head.commit else {
            return Ok(Walk::Unborn);
        };
        let commits = read_commits(&self.repo, head, self.content.as_ref())?;
        let changes = changes_of_each(&self.repo, &commits)?;
        Ok(Walk::History(follow(&commits, changes)))
    }
}

/// One commit as the walk needs it.
struct Commit {
    parents: Vec<usize>,
    /// Committer time.
    time: gix::date::Time,
    author: String,
    /// The `content/` subtree; none when the commit has no such folder.
    content: Option<ObjectId>,
}

/// Every commit reachable from `head`, children before parents: the newest
/// ready commit first (by committer time, then id), as `git log
/// --date-order` lists them, so a clock gone wrong cannot put a parent
/// before its child.
fn read_commits(
    repo: &gix::Repository,
    head: ObjectId,
    content: &BStr,
) -> Result<Vec<Commit>, String> {
    struct Read {
        parents: Vec<ObjectId>,
        time: gix::date::Time,
        author: String,
        content: Option<ObjectId>,
    }
    let mut buffer = Vec::new();
    let mut tree_buffer = Vec::new();
    let mut read: HashMap<ObjectId, Read> = HashMap::new();
    let mut stack = vec![head];
    while let Some(id) = stack.pop() {
        if read.contains_key(&id) {
            continue;
        }
        let commit = repo
            .objects
            .find_commit(&id, &mut buffer)
            .map_err(|e| format!("cannot read commit {id}: {e}"))?;
        let time = commit
            .committer()
            .map_err(|e| e.to_string())?
            .time()
            .map_err(|e| format!("commit {id} has a bad time: {e}"))?;
        let author = commit
            .author()
            .map_err(|e| e.to_string())?
            .name
            .trim()
            .to_str_lossy()
            .into_owned();
        let parents: Vec<ObjectId> = commit.parents().collect();
        let tree = commit.tree();
        stack.extend(parents.iter().filter(|p| !read.contains_key(*p)));
        let content = subtree(repo, tree, content, &mut tree_buffer)?;
        read.insert(
            id,
            Read {
                parents,
                time,
                author,
                content,
            },
        );
    }

    // Kahn's algorithm: a commit is ready once all its children are placed.
    let mut children: HashMap<ObjectId, usize> = HashMap::new();
    for commit in read.values() {
        for parent in &commit.parents {
            *children.entry(*parent).or_default() += 1;
        }
    }
    let mut ready = BinaryHeap::from([(read[&head].time.seconds, head)]);
    let mut order: Vec<ObjectId> = Vec::with_capacity(read.len());
    while let Some((_, id)) = ready.pop() {
        order.push(id);
        for parent in &read[&id].parents {
            let left = children.entry(*parent).or_default();
            *left -= 1;
            if *left == 0 {
                ready.push((read[parent].time.seconds, *parent));
            }
        }
    }
    let index: HashMap<ObjectId, usize> =
        order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    Ok(order
        .iter()
        .map(|id| {
            let Read {
                parents,
                time,
                author,
                content,
                ..
            } = read.remove(id).expect("ok: every ordered id was read");
            Commit {
                parents: parents.iter().map(|p| index[p]).collect(),
                time,
                author,
                content,
            }
        })
        .collect())
}

/// The id of the tree at `path` (`docs/content`) inside `tree`.
fn subtree(
    repo: &gix::Repository,
    tree: ObjectId,
    path: &BStr,
    buffer: &mut Vec<u8>,
) -> Result<Option<ObjectId>, String> {
    let mut current = tree;
    for name in path.split(|b| *b == b'/').filter(|n| !n.is_empty()) {
        let entries = repo
            .objects
            .find_tree_iter(&current, buffer)
            .map_err(|e| format!("cannot read tree {current}: {e}"))?;
        let mut next = None;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read tree {current}: {e}"))?;
            if entry.filename == name && entry.mode.is_tree() {
                next = Some(entry.oid.to_owned());
                break;
            }
        }
        match next {
            Some(id) => current = id,
            None => return Ok(None),
        }
    }
    Ok(Some(current))
}

/// What one commit did to the Markdown files under `content/`.
#[derive(Debug, Default)]
struct Changes {
    /// Paths added, deleted or modified.
    touched: Vec<BString>,
    /// Renames found among them: (from, to).
    renames: Vec<(BString, BString)>,
    /// Paths added that are no rename's target.
    added: Vec<BString>,
}

/// Each commit's changes, found in parallel.
fn changes_of_each(repo: &gix::Repository, commits: &[Commit]) -> Result<Vec<Changes>, String> {
    let shared = repo.clone().into_sync();
    commits
        .par_iter()
        .map_init(
            || {
                let mut repo = shared.to_thread_local();
                repo.object_cache_size_if_unset(4 * 1024 * 1024);
                (repo, gix::diff::tree::State::default())
            },
            |(repo, state), commit| changes_of(repo, state, commits, commit),
        )
        .collect()
}

/// One commit's changes: against its parent, or for a merge the files that
/// differ from every parent.
fn changes_of(
    repo: &gix::Repository,
    state: &mut gix::diff::tree::State,
    commits: &[Commit],
    commit: &Commit,
) -> Result<Changes, String> {
    let parents: Vec<Option<ObjectId>> =
        commit.parents.iter().map(|&p| commits[p].content).collect();
    if parents.contains(&commit.content) || (parents.is_empty() && commit.content.is_none()) {
        return Ok(Changes::default());
    }
    let first = diff(
        repo,
        state,
        parents.first().copied().flatten(),
        commit.content,
    )?;
    let mut changes = first;
    for other in parents.iter().skip(1) {
        let against = diff(repo, state, *other, commit.content)?;
        let paths: HashSet<&BString> = against.iter().map(|c| &c.path).collect();
        changes.retain(|c| paths.contains(&c.path));
    }
    pair_renames(repo, changes)
}

#[derive(Debug)]
struct Change {
    path: BString,
    kind: Kind,
    id: ObjectId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Added,
    Deleted,
    Modified,
}

/// The Markdown files that differ between two `content/` trees.
fn diff(
    repo: &gix::Repository,
    state: &mut gix::diff::tree::State,
    from: Option<ObjectId>,
    to: Option<ObjectId>,
) -> Result<Vec<Change>, String> {
    use gix::diff::tree::recorder::Change as Recorded;
    let hash = repo.object_hash();
    let (mut from_buffer, mut to_buffer) = (Vec::new(), Vec::new());
    let tree = |id: Option<ObjectId>, buffer: &'_ mut Vec<u8>| -> Result<(), String> {
        if let Some(id) = id {
            repo.objects
                .find_tree_iter(&id, buffer)
                .map_err(|e| format!("cannot read tree {id}: {e}"))?;
        }
        Ok(())
    };
    tree(from, &mut from_buffer)?;
    tree(to, &mut to_buffer)?;
    let mut recorder = gix::diff::tree::Recorder::default();
    gix::diff::tree(
        gix::objs::TreeRefIter::from_bytes(&from_buffer, hash),
        gix::objs::TreeRefIter::from_bytes(&to_buffer, hash),
        &mut *state,
        &repo.objects,
        &mut recorder,
    )
    .map_err(|e| format!("cannot compare trees: {e}"))?;
    let markdown = |path: &BString| path.ends_with(b".md");
    Ok(recorder
        .records
        .into_iter()
        .filter_map(|record| {
            let (path, kind, id, mode) = match record {
                Recorded::Addition {
                    path,
                    oid,
                    entry_mode,
                    ..
                } => (path, Kind::Added, oid, entry_mode),
                Recorded::Deletion {
                    path,
                    oid,
                    entry_mode,
                    ..
                } => (path, Kind::Deleted, oid, entry_mode),
                Recorded::Modification {
                    path,
                    oid,
                    entry_mode,
                    ..
                } => (path, Kind::Modified, oid, entry_mode),
            };
            (mode.is_blob() && markdown(&path)).then_some(Change { path, kind, id })
        })
        .collect())
}

/// Renames need at most this many comparisons of contents per commit (git's
/// `diff.renameLimit` is 1000 files; help-center commits are small).
const RENAME_PAIRS_LIMIT: usize = 400;

/// Pairs a commit's deleted files with its added ones: identical contents
/// first, then the most similar pairs of at least half their lines in common.
fn pair_renames(repo: &gix::Repository, changes: Vec<Change>) -> Result<Changes, String> {
    let deleted: Vec<&Change> = changes.iter().filter(|c| c.kind == Kind::Deleted).collect();
    let added: Vec<&Change> = changes.iter().filter(|c| c.kind == Kind::Added).collect();
    let mut renames: Vec<(usize, usize)> = Vec::new();
    let mut deleted_used = vec![false; deleted.len()];
    let mut added_used = vec![false; added.len()];
    for (a, add) in added.iter().enumerate() {
        let same = (0..deleted.len()).find(|&d| !deleted_used[d] && deleted[d].id == add.id);
        if let Some(d) = same {
            deleted_used[d] = true;
            added_used[a] = true;
            renames.push((d, a));
        }
    }
    let open_deleted: Vec<usize> = (0..deleted.len()).filter(|&d| !deleted_used[d]).collect();
    let open_added: Vec<usize> = (0..added.len()).filter(|&a| !added_used[a]).collect();
    let pairs = open_deleted.len() * open_added.len();
    if pairs > 0 && pairs <= RENAME_PAIRS_LIMIT {
        let read = |id: &ObjectId| -> Option<Vec<u8>> {
            let mut buffer = Vec::new();
            let blob = repo.objects.find_blob(id, &mut buffer).ok()?;
            Some(blob.data.to_vec())
        };
        // A partial clone may lack the blobs: then there is no similar pair.
        let deleted_text: Vec<Option<Vec<u8>>> =
            open_deleted.iter().map(|&d| read(&deleted[d].id)).collect();
        let added_text: Vec<Option<Vec<u8>>> =
            open_added.iter().map(|&a| read(&added[a].id)).collect();
        let mut scored: Vec<(u32, usize, usize)> = Vec::new();
        for (i, from) in deleted_text.iter().enumerate() {
            for (j, to) in added_text.iter().enumerate() {
                if let (Some(from), Some(to)) = (from, to) {
                    let score = similarity(from, to);
                    if score >= 50 {
                        scored.push((score, open_deleted[i], open_added[j]));
                    }
                }
            }
        }
        // Best first; equal scores in path order, so the pairing is stable.
        scored.sort_by(|x, y| {
            y.0.cmp(&x.0)
                .then_with(|| deleted[x.1].path.cmp(&deleted[y.1].path))
                .then_with(|| added[x.2].path.cmp(&added[y.2].path))
        });
        for (_, d, a) in scored {
            if !deleted_used[d] && !added_used[a] {
                deleted_used[d] = true;
                added_used[a] = true;
                renames.push((d, a));
            }
        }
    }
    Ok(Changes {
        renames: renames
            .iter()
            .map(|&(d, a)| (deleted[d].path.clone(), added[a].path.clone()))
            .collect(),
        added: (0..added.len())
            .filter(|&a| !added_used[a])
            .map(|a| added[a].path.clone())
            .collect(),
        touched: changes.into_iter().map(|c| c.path).collect(),
    })
}

/// How alike two texts are, 0 to 100: the bytes of the lines they share
/// (each line counted as often as both hold it) over the larger size, the
/// measure git's rename detection estimates.
fn similarity(from: &[u8], to: &[u8]) -> u32 {
    let larger = from.len().max(to.len());
    if larger == 0 {
        return 100;
    }
    let mut lines: HashMap<&[u8], usize> = HashMap::new();
    for line in from.split_inclusive(|b| *b == b'\n') {
        *lines.entry(line).or_default() += 1;
    }
    let mut shared = 0;
    for line in to.split_inclusive(|b| *b == b'\n') {
        if let Some(count) = lines.get_mut(line).filter(|c| **c > 0) {
            *count -= 1;
            shared += line.len();
        }
    }
    (shared * 100 / larger) as u32
}

/// Takes the commits from the newest to the oldest and gives every change
/// to the file it belongs to now (see the module docs).
fn follow(commits: &[Commit], changes: Vec<Changes>) -> History {
    struct Seen {
        path: BString,
        created: usize,
        updated: usize,
    }
    let mut files: Vec<Seen> = Vec::new();
    let mut by_path: HashMap<BString, usize> = HashMap::new();
    // A path's owner for older commits: a file, or none once the path was
    // added (what came before belongs to another file).
    let mut owner: HashMap<BString, Option<usize>> = HashMap::new();
    let mut resolve = |path: &BString,
                       owner: &HashMap<BString, Option<usize>>,
                       files: &mut Vec<Seen>,
                       now: usize| {
        match owner.get(path) {
            Some(file) => *file,
            None => Some(*by_path.entry(path.clone()).or_insert_with(|| {
                files.push(Seen {
                    path: path.clone(),
                    created: now,
                    updated: now,
                });
                files.len() - 1
            })),
        }
    };
    for (index, changes) in changes.iter().enumerate() {
        let sources: HashSet<&BString> = changes.renames.iter().map(|(from, _)| from).collect();
        for path in &changes.touched {
            if sources.contains(path) {
                continue;
            }
            if let Some(file) = resolve(path, &owner, &mut files, index) {
                files[file].created = index;
            }
        }
        let mut older: Vec<(BString, Option<usize>)> = Vec::new();
        for path in &changes.added {
            older.push((path.clone(), None));
        }
        for (_, to) in &changes.renames {
            if !sources.contains(to) {
                older.push((to.clone(), None));
            }
        }
        for (from, to) in &changes.renames {
            let file = resolve(to, &owner, &mut files, index);
            older.push((from.clone(), file));
        }
        owner.extend(older);
    }
    let date = |commit: &Commit| {
        let instant = jiff::Timestamp::from_second(commit.time.seconds).unwrap_or_default();
        let offset =
            jiff::tz::Offset::from_seconds(commit.time.offset).unwrap_or(jiff::tz::Offset::UTC);
        Date {
            day: instant.to_zoned(jiff::tz::TimeZone::fixed(offset)).date(),
            instant,
        }
    };
    let files = files
        .into_iter()
        .filter_map(|seen| {
            let path = seen.path.to_str().ok()?.to_string();
            let updated = &commits[seen.updated];
            let history = FileHistory {
                created: date(&commits[seen.created]),
                updated: date(updated),
                last_author: updated.author.clone(),
            };
            Some((path, Arc::new(history)))
        })
        .collect();
    History {
        files,
        commits: commits.len(),
    }
}
