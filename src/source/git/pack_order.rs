//! Where objects sit in the repository's pack files, read from the pack
//! indexes (`objects/pack/*.idx`, version 2, and those of alternates).
//!
//! Why: reading blobs in pack order rather than walk order is what makes
//! `git cat-file --batch-all-objects --unordered` twice as fast as the sorted
//! variant. Neighbouring objects share delta bases, which then stay in
//! libgit2's delta-base cache, and the reads of the memory-mapped pack are
//! sequential. libgit2 does not expose pack offsets, so this reads the index
//! files itself. Anything it cannot read (a loose object, an unknown index
//! version, a SHA-256 repository) simply sorts last; reading is then slower,
//! never wrong.

use std::path::{Path, PathBuf};

use git2::{Oid, Repository};

use crate::safe_read::{Links, open_regular, read_regular};

/// Pack positions of objects: a sort key for reading them.
#[derive(Debug, Default)]
pub struct PackOrder {
    packs: Vec<PackIndex>,
}

/// One pack's index file, version 2 (`objects/pack/*.idx`): object ids in
/// sorted order with their offsets in the pack. The file may be hostile:
/// every read is bounds-checked, and a lookup costs a binary search whatever
/// the fan-out table claims.
#[derive(Debug)]
pub struct PackIndex {
    data: Vec<u8>,
    count: usize,
}

const OID_LEN: usize = 20;
const HEADER: usize = 8;
const FANOUT: usize = 256 * 4;

impl PackIndex {
    /// Reads an index file's bytes; `None` unless it is a version 2 index
    /// (SHA-1) long enough for the object count its fan-out table gives.
    pub fn parse(data: Vec<u8>) -> Option<PackIndex> {
        if data.len() < HEADER + FANOUT || data[..4] != [0xff, b't', b'O', b'c'] {
            return None;
        }
        if u32::from_be_bytes(data[4..8].try_into().ok()?) != 2 {
            return None;
        }
        let count = be32(&data, HEADER + 255 * 4)? as usize;
        // oids, crc32s, 32-bit offsets, then 64-bit offsets and a trailer.
        let min = HEADER + FANOUT + count * (OID_LEN + 4 + 4) + 2 * OID_LEN;
        if data.len() < min {
            return None;
        }
        Some(PackIndex { data, count })
    }

    /// The number of objects.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the pack holds no object.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The `i`-th object id (in the file's order), if `i` is in range.
    pub fn oid_at(&self, i: usize) -> Option<&[u8]> {
        let at = HEADER + FANOUT + i.checked_mul(OID_LEN)?;
        (i < self.count).then(|| self.data.get(at..at + OID_LEN))?
    }

    /// The offset of `oid` (20 bytes) in the pack, if it is there.
    pub fn offset(&self, oid: &[u8]) -> Option<u64> {
        if oid.len() != OID_LEN {
            return None;
        }
        let first = oid[0] as usize;
        let lo = if first == 0 {
            0
        } else {
            be32(&self.data, HEADER + (first - 1) * 4)? as usize
        };
        let hi = be32(&self.data, HEADER + first * 4)? as usize;
        let oids = HEADER + FANOUT;
        let (mut lo, mut hi) = (lo, hi.min(self.count));
        while lo < hi {
            let mid = (lo + hi) / 2;
            let at = oids + mid * OID_LEN;
            match self.data[at..at + OID_LEN].cmp(oid) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return self.offset_at(mid),
            }
        }
        None
    }

    fn offset_at(&self, i: usize) -> Option<u64> {
        let offsets = HEADER + FANOUT + self.count * (OID_LEN + 4);
        let small = be32(&self.data, offsets + i * 4)?;
        if small & 0x8000_0000 == 0 {
            return Some(u64::from(small));
        }
        let large = offsets + self.count * 4 + (small & 0x7fff_ffff) as usize * 8;
        Some(u64::from_be_bytes(
            self.data.get(large..large + 8)?.try_into().ok()?,
        ))
    }
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

impl PackOrder {
    /// Reads the pack indexes of `repo`'s object directory and its
    /// alternates. Never fails: what cannot be read is left out.
    pub fn load(repo: &Repository) -> PackOrder {
        let mut dirs = vec![repo.commondir().join("objects")];
        let mut i = 0;
        // Alternates, and theirs (bounded, as git bounds the depth).
        while i < dirs.len() && dirs.len() < 16 {
            dirs.extend(alternates(&dirs[i]));
            i += 1;
        }
        let mut packs = Vec::new();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(dir.join("pack")) else {
                continue;
            };
            let mut idx: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                .collect();
            idx.sort();
            packs.extend(
                idx.iter()
                    .filter_map(|p| read_idx(p))
                    .filter_map(PackIndex::parse),
            );
        }
        PackOrder { packs }
    }

    /// A sort key: (pack number, offset), or after every pack when unknown.
    pub fn position(&self, oid: Oid) -> (u32, u64) {
        let bytes = oid.as_bytes();
        if bytes.len() != OID_LEN {
            return (u32::MAX, 0);
        }
        self.packs
            .iter()
            .enumerate()
            .find_map(|(n, p)| p.offset(bytes).map(|off| (n as u32, off)))
            .unwrap_or((u32::MAX, 0))
    }
}

/// A pack index file's bytes, if it is a regular file no larger than the
/// object count in its header allows (so a FIFO, a device or a huge sparse
/// file is never read).
fn read_idx(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let (mut file, meta) = open_regular(path, Links::Follow).ok()?;
    let mut head = vec![0u8; HEADER + FANOUT];
    file.read_exact(&mut head).ok()?;
    let count = u64::from(be32(&head, HEADER + 255 * 4)?);
    // Ids, CRCs and 4-byte offsets, at most one 8-byte offset per object,
    // and two trailing checksums.
    let max = (HEADER + FANOUT) as u64 + count * (OID_LEN as u64 + 4 + 4 + 8) + 2 * OID_LEN as u64;
    if meta.len() > max {
        return None;
    }
    file.take(max + 1 - head.len() as u64)
        .read_to_end(&mut head)
        .ok()?;
    (head.len() as u64 <= max).then_some(head)
}

/// The object directories listed in `objects/info/alternates` (a regular
/// file of at most 1 MiB; anything else lists none).
pub(crate) fn alternates(objects: &Path) -> Vec<PathBuf> {
    let path = objects.join("info").join("alternates");
    let Ok(bytes) = read_regular(&path, 1 << 20, Links::Follow) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| objects.join(l))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_agree_with_git_show_index() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let oids: Vec<Oid> = (0..50)
            .map(|i| repo.blob(format!("blob number {i}\n").as_bytes()).unwrap())
            .collect();
        let git_dir = repo.path().to_path_buf();
        let pack = git_dir.join("objects/pack/pack");
        let child = Command::new("git")
            .arg("--git-dir")
            .arg(&git_dir)
            .arg("pack-objects")
            .arg("-q")
            .arg(&pack)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn();
        let Ok(mut child) = child else {
            return; // no git CLI: nothing to check against
        };
        let list: String = oids.iter().map(|o| format!("{o}\n")).collect();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(list.as_bytes())
            .unwrap();
        let name = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
        let idx = git_dir.join(format!("objects/pack/pack-{}.idx", name.trim()));
        let shown = Command::new("git")
            .arg("show-index")
            .stdin(std::fs::File::open(&idx).unwrap())
            .output()
            .unwrap();
        let order = PackOrder::load(&repo);
        let text = String::from_utf8(shown.stdout).unwrap();
        assert_eq!(text.lines().count(), oids.len());
        for line in text.lines() {
            let mut parts = line.split_whitespace();
            let offset: u64 = parts.next().unwrap().parse().unwrap();
            let oid = Oid::from_str(parts.next().unwrap()).unwrap();
            assert_eq!(order.position(oid), (0, offset));
        }
        assert_eq!(
            order.position(Oid::from_bytes(&[7; 20]).unwrap()),
            (u32::MAX, 0)
        );
        assert!(PackIndex::parse(vec![0; 4]).is_none());
    }
}
