//! Output into memory: the [`MemorySink`] that tests and the preview server
//! render into, and the [`Served`] site the preview server answers from.
//!
//! Generated files are kept as bytes. Copied files (static files, assets) are
//! kept as [`CheckedFile`]s when the sink knows the site root: the path and
//! identity the build checked, read only when requested and only while the
//! file is still the one that was checked. Without a site root (tests, one-off
//! builds) copies are read at once.
//!
//! The served site is a persistent map (imbl's `OrdMap`, a B-tree whose
//! nodes are shared between versions): the preview makes the next site from
//! the last one in time that grows with the files that changed, while
//! requests in flight keep reading the version they took.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::checked_relative;
use crate::render::PageSink;

/// One file of the served site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// Generated in memory (pages, sitemap, stylesheets).
    Bytes(Arc<[u8]>),
    /// A file copied as it is (static files, assets): read when requested, and
    /// only while it is the file the build checked.
    Disk(CheckedFile),
    /// Generated files joined when requested (`llms-full.txt` from the
    /// articles' Markdown copies), so a rebuild does not join them again.
    Joined(Arc<Joined>),
}

/// Parts of a file and what goes between them.
#[derive(Debug, PartialEq, Eq)]
pub struct Joined {
    pub parts: Vec<Arc<[u8]>>,
    pub separator: Vec<u8>,
}

impl Entry {
    pub fn read(&self) -> io::Result<Vec<u8>> {
        match self {
            Entry::Bytes(bytes) => Ok(bytes.to_vec()),
            Entry::Disk(file) => file.read(),
            Entry::Joined(joined) => Ok(join(&joined.parts, &joined.separator)),
        }
    }
}

/// `parts` joined by `separator`.
pub fn join(parts: &[Arc<[u8]>], separator: &[u8]) -> Vec<u8> {
    let size = parts.iter().map(|p| p.len() + separator.len()).sum();
    let mut joined = Vec::with_capacity(size);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            joined.extend_from_slice(separator);
        }
        joined.extend_from_slice(part);
    }
    joined
}

/// A static file or asset as the build saw it: its real path inside the site
/// and what identifies its contents. The served site keeps this, not the path
/// it was found at, so replacing the file by a symbolic link to something
/// outside the site (or by anything else) after the build cannot make the
/// server send other bytes than the ones that were checked: a changed file is
/// not served until a rebuild has checked it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    /// Canonical: no symbolic link anywhere on it.
    path: PathBuf,
    device: u64,
    inode: u64,
    len: u64,
    modified: (i64, i64),
}

impl CheckedFile {
    /// Records `file`, which must be a regular file inside `site_root`
    /// (canonical) once every symbolic link on its path is resolved.
    pub fn check(file: &Path, site_root: &Path) -> io::Result<CheckedFile> {
        let path = file.canonicalize()?;
        if !path.starts_with(site_root) {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("{} is outside the site", path.display()),
            ));
        }
        let metadata = std::fs::symlink_metadata(&path)?;
        CheckedFile::identify(path, &metadata)
    }

    fn identify(path: PathBuf, metadata: &std::fs::Metadata) -> io::Result<CheckedFile> {
        use std::os::unix::fs::MetadataExt;
        if !metadata.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is not a regular file", path.display()),
            ));
        }
        Ok(CheckedFile {
            path,
            device: metadata.dev(),
            inode: metadata.ino(),
            len: metadata.len(),
            modified: (metadata.mtime(), metadata.mtime_nsec()),
        })
    }

    /// The file's bytes, if what is at its path now is the file that was
    /// checked: opened without following a symbolic link, and the same
    /// device, inode, size and modification time.
    pub fn read(&self) -> io::Result<Vec<u8>> {
        use std::io::Read as _;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(&self.path)?;
        let now = CheckedFile::identify(self.path.clone(), &file.metadata()?)?;
        if now != *self {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} changed since the site was built", self.path.display()),
            ));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(self.len).unwrap_or(0));
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}

/// The site as served: output path → file. Cloning it is O(1) and a clone
/// shares every file and every node of the map with the original; changing
/// a clone copies only the nodes on the way to what changed (O(log n) per
/// file), so a new site can be made beside the one being served.
#[derive(Debug, Default, Clone)]
pub struct Served {
    pub files: imbl::OrdMap<String, Entry>,
}

/// Collects a run's files by output path.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<BTreeMap<String, Entry>>,
    /// The site root, canonical, when copies are to be checked and kept as
    /// [`CheckedFile`]s rather than read.
    site_root: Option<PathBuf>,
}

impl MemorySink {
    /// A sink that keeps copies as [`CheckedFile`]s inside `root`.
    pub fn checking_copies(root: &Path) -> MemorySink {
        MemorySink {
            files: Mutex::default(),
            site_root: Some(root.canonicalize().unwrap_or_else(|_| root.to_path_buf())),
        }
    }

    /// Every file as bytes (checked copies are read now; one that cannot be
    /// read any more is left out).
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.into_entries()
            .into_iter()
            .filter_map(|(path, entry)| Some((path, entry.read().ok()?)))
            .collect()
    }

    pub fn into_entries(self) -> BTreeMap<String, Entry> {
        self.files
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn put(&self, path: &str, entry: Entry) -> io::Result<()> {
        checked_relative(path)?;
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        files.insert(path.to_string(), entry);
        Ok(())
    }
}

impl PageSink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.put(path, Entry::Bytes(Arc::from(bytes)))
    }

    fn write_shared(&self, path: &str, bytes: Arc<[u8]>) -> io::Result<()> {
        self.put(path, Entry::Bytes(bytes))
    }

    fn write_parts(&self, path: &str, parts: &[Arc<[u8]>], separator: &[u8]) -> io::Result<()> {
        let joined = Joined {
            parts: parts.to_vec(),
            separator: separator.to_vec(),
        };
        self.put(path, Entry::Joined(Arc::new(joined)))
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let entry = match &self.site_root {
            Some(root) => Entry::Disk(CheckedFile::check(from, root)?),
            None => Entry::Bytes(Arc::from(std::fs::read(from)?)),
        };
        self.put(path, entry)
    }
}
