//! The persistent highlight cache: highlighted code blocks kept between builds
//! in `.kbgen-cache/highlight.bin` under the site root.
//!
//! Colouring code with syntect is the costliest step of a build, and between
//! two builds of a help center almost every block is the same. A build reads
//! the file, highlights only the blocks it does not hold, and writes back the
//! blocks this build used (so the file never grows past the site). CI can keep
//! the folder between runs (for example with `actions/cache`); `--no-cache`
//! neither reads nor writes it. It is the one thing kbgen writes outside the
//! output folder, and deleting it is always safe.
//!
//! The file starts with a fingerprint of everything the HTML depends on but
//! the block itself (kbgen's version, the syntaxes, the themes' selectors); a
//! file with another fingerprint, or one that cannot be read, counts as empty.
//! Each block is stored under two independent 64-bit hashes of its language
//! and code, and is used only when both match.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The folder under the site root.
pub const CACHE_DIR: &str = ".kbgen-cache";
const FILE: &str = "highlight.bin";
const MAGIC: &[u8; 8] = b"KBGENHL1";
/// Blocks larger than this are not kept (they are rare and cheap to redo
/// compared with the space they take).
const LARGEST_BLOCK: usize = 1 << 20;

/// A highlighted block as kept in memory.
#[derive(Debug, Clone)]
pub struct Block {
    /// The second hash of language and code.
    pub check: u64,
    pub html: Arc<str>,
    /// Whether this build used it (only used blocks are written back).
    pub used: bool,
    /// Whether it came from the cache file.
    pub stored: bool,
}

/// The cache file of a site.
pub fn path(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join(FILE)
}

/// The blocks kept for `fingerprint`, by first hash; empty when there is no
/// file, it is damaged, or it was written for other syntaxes or themes.
pub fn load(root: &Path, fingerprint: u64) -> HashMap<u64, Block> {
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path(root)).and_then(|mut f| f.read_to_end(&mut bytes));
    match read {
        Ok(_) => parse(&bytes, fingerprint).unwrap_or_default(),
        Err(_) => HashMap::new(),
    }
}

fn parse(bytes: &[u8], fingerprint: u64) -> Option<HashMap<u64, Block>> {
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let u64_at = |b: &[u8]| b.try_into().ok().map(u64::from_le_bytes);
    if u64_at(take(8)?)? != fingerprint {
        return None;
    }
    let count = u64_at(take(8)?)?;
    let mut blocks = HashMap::new();
    for _ in 0..count {
        let key = u64_at(take(8)?)?;
        let check = u64_at(take(8)?)?;
        let len = usize::try_from(u64_at(take(8)?)?).ok()?;
        let html = std::str::from_utf8(take(len)?).ok()?;
        blocks.insert(
            key,
            Block {
                check,
                html: Arc::from(html),
                used: false,
                stored: true,
            },
        );
    }
    Some(blocks)
}

/// Writes the used blocks, in key order (the same blocks give the same file),
/// through a temporary file renamed into place, so a reader never sees half
/// a file. Nothing is written when the file already holds exactly these
/// blocks (every block came from it and every one of them was used), or when
/// there are none.
pub fn save(root: &Path, fingerprint: u64, blocks: &HashMap<u64, Block>) -> io::Result<()> {
    if blocks.values().all(|b| b.used && b.stored) && path(root).is_file() {
        return Ok(());
    }
    let mut used: Vec<(&u64, &Block)> = blocks
        .iter()
        .filter(|(_, b)| b.used && b.html.len() <= LARGEST_BLOCK)
        .collect();
    used.sort_unstable_by_key(|(key, _)| **key);
    if used.is_empty() {
        // A site without code keeps no cache (and drops one it no longer needs).
        return match std::fs::remove_file(path(root)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    }
    let dir = root.join(CACHE_DIR);
    std::fs::create_dir_all(&dir)?;
    let temp = dir.join(format!(".{FILE}.tmp-{}", std::process::id()));
    let write = || -> io::Result<()> {
        let mut out = io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&temp)?);
        out.write_all(MAGIC)?;
        out.write_all(&fingerprint.to_le_bytes())?;
        out.write_all(&(used.len() as u64).to_le_bytes())?;
        for (key, block) in &used {
            out.write_all(&key.to_le_bytes())?;
            out.write_all(&block.check.to_le_bytes())?;
            out.write_all(&(block.html.len() as u64).to_le_bytes())?;
            out.write_all(block.html.as_bytes())?;
        }
        out.flush()?;
        std::fs::rename(&temp, path(root))
    };
    write().inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// The second, independent hash of a block (64-bit FNV-1a over the language,
/// a separator and the code): a block is taken from the cache only when this
/// agrees too, so a collision of the first hash cannot swap two blocks.
pub fn check_hash(language: Option<&str>, code: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = language
        .unwrap_or("")
        .bytes()
        .chain([0xff])
        .chain(code.bytes());
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(html: &str, used: bool) -> Block {
        Block {
            check: check_hash(Some("sh"), html),
            html: Arc::from(html),
            used,
            stored: false,
        }
    }

    #[test]
    fn used_blocks_come_back_and_unused_ones_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let blocks = HashMap::from([(1, block("<pre>a</pre>", true)), (2, block("b", false))]);
        save(dir.path(), 7, &blocks).unwrap();
        let loaded = load(dir.path(), 7);
        assert_eq!(loaded.len(), 1);
        assert_eq!(&*loaded[&1].html, "<pre>a</pre>");
        assert_eq!(loaded[&1].check, blocks[&1].check);
        assert!(!loaded[&1].used);
    }

    #[test]
    fn a_file_holding_exactly_the_used_blocks_is_not_written_again() {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), 7, &HashMap::from([(1, block("x", true))])).unwrap();
        let mut loaded = load(dir.path(), 7);
        let file = path(dir.path());
        std::fs::write(&file, b"sentinel").unwrap();
        loaded.get_mut(&1).unwrap().used = true;
        save(dir.path(), 7, &loaded).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"sentinel");
        loaded.insert(2, block("y", true));
        save(dir.path(), 7, &loaded).unwrap();
        assert_eq!(load(dir.path(), 7).len(), 2);
    }

    #[test]
    fn another_fingerprint_or_a_damaged_file_counts_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), 7, &HashMap::from([(1, block("x", true))])).unwrap();
        assert!(load(dir.path(), 8).is_empty());
        let file = path(dir.path());
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 1]).unwrap();
        assert!(load(dir.path(), 7).is_empty());
        std::fs::write(&file, b"garbage").unwrap();
        assert!(load(dir.path(), 7).is_empty());
        assert!(load(&dir.path().join("missing"), 7).is_empty());
    }
}
