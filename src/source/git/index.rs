//! git's index file (`.git/index`), read without git or libgit2.
//!
//! Two readers use it: the tree scan, which lists the files git tracks
//! (see [`super::tracked`]), and the staged scan's fast path
//! ([`super::index_fast`]), which also reads the cache-tree. It reads
//! index versions 2, 3 and 4 (version 4 compresses each path against the
//! previous one), a split index (the `link` extension: entries in front of
//! a shared index file `sharedindex.<id>`, with bitmaps of the shared
//! entries they replace and delete), and a sparse index (`sdir`: directory
//! entries standing for whole trees outside a sparse checkout), with SHA-1
//! or SHA-256 object ids. The trailing checksum is not verified (git does
//! not either when it reads).
//!
//! The file may be hostile, so nothing it says is trusted for sizes: no
//! allocation is sized by a count read from the file beyond what the file's
//! length can hold, nothing recurses on its structure (the cache-tree is
//! read with an explicit stack, at most [`MAX_CACHE_TREE_DEPTH`] deep), bit
//! runs are checked against the entries they address, and every read is
//! bounds-checked. What is not a valid index is [`IndexError::Malformed`].

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::safe_read::{Links, read_regular};

/// Largest index file read (an index of two million entries is about 200
/// MB).
pub const MAX_INDEX: u64 = 1 << 30;

/// Deepest cache-tree accepted: deeper than any path git can check out
/// (each level adds at least two bytes to a path), and shallow enough that
/// libgit2's recursive reader of the same extension cannot overflow its
/// stack.
pub const MAX_CACHE_TREE_DEPTH: usize = 4096;

/// Why an index could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    /// No index file: nothing is staged or tracked yet.
    #[error("{0}: no index file")]
    Missing(String),
    /// The file could not be read (not a regular file, a read error).
    #[error("{0}")]
    Unreadable(String),
    /// A valid form this reader does not know (a newer version, an unknown
    /// required extension, a file over [`MAX_INDEX`]): libgit2 may.
    #[error("{0}")]
    Unsupported(String),
    /// Not a valid index: truncated, inconsistent, or built to exhaust a
    /// reader (a cache-tree claiming 10^15 subtrees, or 100k levels deep).
    #[error("{0}")]
    Malformed(String),
}

fn malformed(what: impl Into<String>) -> IndexError {
    IndexError::Malformed(what.into())
}

/// What to read besides the entries.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions {
    /// Object id length: 20 (SHA-1) or 32 (SHA-256).
    pub hash_len: usize,
    /// Read the cache-tree extension (`TREE`); otherwise it is skipped.
    pub cache_tree: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            hash_len: 20,
            cache_tree: false,
        }
    }
}

/// One index entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    name: Range<usize>,
    oid: [u8; 32],
    /// The file mode (0o100644, 0o100755, 0o120000 link, 0o160000 gitlink,
    /// 0o040000 sparse directory).
    pub mode: u32,
    flags: u16,
    ext_flags: u16,
}

/// File-mode type bits.
const TYPE_MASK: u32 = 0o170000;
const DIR: u32 = 0o040000;
const GITLINK: u32 = 0o160000;

impl Entry {
    /// The merge stage: 0, or 1 to 3 for a conflict.
    pub fn stage(&self) -> u16 {
        (self.flags >> 12) & 3
    }

    /// Added with `git add -N`: in the index, with no content yet.
    pub fn intent_to_add(&self) -> bool {
        self.ext_flags & 0x2000 != 0
    }

    /// Outside a sparse checkout: git does not keep it in the work tree.
    pub fn skip_worktree(&self) -> bool {
        self.ext_flags & 0x4000 != 0
    }

    /// A sparse index's directory entry (its name ends with `/`; its object
    /// is a tree).
    pub fn is_sparse_dir(&self) -> bool {
        self.mode & TYPE_MASK == DIR
    }

    /// A submodule's commit.
    pub fn is_gitlink(&self) -> bool {
        self.mode & TYPE_MASK == GITLINK
    }
}

/// A cache-tree node: a directory whose tree id the index still knows.
#[derive(Debug, Clone)]
pub struct CacheNode {
    name: Range<usize>,
    oid: Option<[u8; 32]>,
    children: Vec<u32>,
}

/// The cache-tree extension: node 0 is the root.
#[derive(Debug, Clone, Default)]
pub struct CacheTree {
    names: Vec<u8>,
    nodes: Vec<CacheNode>,
    hash_len: usize,
}

impl CacheTree {
    /// The root node, if the extension held one.
    pub fn root(&self) -> Option<&CacheNode> {
        self.nodes.first()
    }

    /// The child of `node` named `name` (one path component).
    pub fn child(&self, node: &CacheNode, name: &[u8]) -> Option<&CacheNode> {
        node.children
            .iter()
            .map(|&i| &self.nodes[i as usize])
            .find(|c| &self.names[c.name.clone()] == name)
    }

    /// The children of `node`, in the extension's order.
    pub fn children<'a>(&'a self, node: &'a CacheNode) -> impl Iterator<Item = &'a CacheNode> {
        node.children.iter().map(|&i| &self.nodes[i as usize])
    }

    /// The tree id of `node`'s directory, if still valid.
    pub fn oid<'a>(&self, node: &'a CacheNode) -> Option<&'a [u8]> {
        node.oid.as_ref().map(|o| &o[..self.hash_len])
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there is no node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// A split index's `link` extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The shared index's id (its trailing checksum), as hex: the file is
    /// `sharedindex.<id>`.
    pub shared: String,
    delete: Vec<u64>,
    replace: Vec<u64>,
}

/// A parsed index.
#[derive(Debug, Clone)]
pub struct Index {
    /// The version (2, 3 or 4).
    pub version: u32,
    names: Vec<u8>,
    entries: Vec<Entry>,
    hash_len: usize,
    /// The cache-tree, when asked for and present.
    pub cache_tree: Option<CacheTree>,
    /// A split index's link to its shared index (not yet merged).
    pub link: Option<Link>,
    /// A sparse index (`sdir`): some entries are directories.
    pub sparse: bool,
}

impl Index {
    /// The entries, sorted by path then stage (as git writes them).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The path of `e` (`/`-separated, relative to the work tree).
    pub fn path(&self, e: &Entry) -> &[u8] {
        &self.names[e.name.clone()]
    }

    /// The object id of `e`.
    pub fn oid<'a>(&self, e: &'a Entry) -> &'a [u8] {
        &e.oid[..self.hash_len]
    }
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        d.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn be16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(
        d.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

/// git's variable-length integer of version 4 paths (as in `varint.c`).
fn varint(d: &[u8], at: &mut usize) -> Option<u64> {
    let mut c = *d.get(*at)?;
    *at += 1;
    let mut val = u64::from(c & 127);
    while c & 128 != 0 {
        val = val.checked_add(1)?;
        if val >> 57 != 0 {
            return None; // would overflow
        }
        c = *d.get(*at)?;
        *at += 1;
        val = (val << 7) + u64::from(c & 127);
    }
    Some(val)
}

/// Parses an index file's bytes (see the module documentation). A split
/// index comes back with its [`Index::link`] set and only its own entries:
/// [`merge_split`] completes it with the shared index.
pub fn parse(d: &[u8], opts: ParseOptions) -> Result<Index, IndexError> {
    let (mut index, names_in_data) = parse_in(d, opts)?;
    if names_in_data {
        index.names = d.to_vec();
    }
    Ok(index)
}

/// [`parse`], keeping `d` as the store of the paths (versions 2 and 3 hold
/// them whole: they are not copied).
pub fn parse_owned(d: Vec<u8>, opts: ParseOptions) -> Result<Index, IndexError> {
    let (mut index, names_in_data) = parse_in(&d, opts)?;
    if names_in_data {
        index.names = d;
    }
    Ok(index)
}

/// Parses `d`; the entries' path ranges are into `d` itself when the second
/// value is true (versions 2 and 3), else into the returned index's own
/// store (version 4 rebuilds each path from the previous one).
fn parse_in(d: &[u8], opts: ParseOptions) -> Result<(Index, bool), IndexError> {
    let h = opts.hash_len;
    if h != 20 && h != 32 {
        return Err(IndexError::Unsupported(format!(
            "unsupported object ids of {h} bytes"
        )));
    }
    if d.get(..4) != Some(b"DIRC") {
        return Err(malformed("not an index file (no DIRC signature)"));
    }
    let version = be32(d, 4).ok_or_else(|| malformed("truncated header"))?;
    if !(2..=4).contains(&version) {
        return Err(IndexError::Unsupported(format!(
            "unsupported index version {version}"
        )));
    }
    let count = be32(d, 8).ok_or_else(|| malformed("truncated header"))? as usize;
    let end = d
        .len()
        .checked_sub(h)
        .filter(|&e| e >= 12)
        .ok_or_else(|| malformed("truncated header"))?;
    // Entries are at least 40 bytes of stat data, the id, the flags and a
    // byte of name: the file bounds what is allocated, not the count.
    let min_entry = 40 + h + 2 + 1;
    let mut entries = Vec::with_capacity(count.min((end - 12) / min_entry));
    let in_data = version < 4;
    let mut names: Vec<u8> = Vec::new();
    let mut prev: Range<usize> = 0..0;
    let mut at = 12usize;
    let truncated = |i: usize| malformed(format!("entry {i} of {count} is truncated"));
    for i in 0..count {
        let mode = be32(d, at + 24).ok_or_else(|| truncated(i))?;
        let mut oid = [0u8; 32];
        oid[..h].copy_from_slice(d.get(at + 40..at + 40 + h).ok_or_else(|| truncated(i))?);
        let flags = be16(d, at + 40 + h).ok_or_else(|| truncated(i))?;
        let mut header = 40 + h + 2;
        let mut ext_flags = 0;
        if flags & 0x4000 != 0 {
            if version < 3 {
                return Err(malformed(format!(
                    "entry {i} has extended flags in a version 2 index"
                )));
            }
            ext_flags = be16(d, at + header).ok_or_else(|| truncated(i))?;
            header += 2;
        }
        let name_at = at + header;
        let name;
        if version == 4 {
            let mut p = name_at;
            let strip = varint(&d[..end], &mut p).ok_or_else(|| truncated(i))?;
            let keep = (prev.len() as u64).checked_sub(strip).ok_or_else(|| {
                malformed(format!(
                    "entry {i} strips more of the previous path than it has"
                ))
            })? as usize;
            let suffix_len = memchr::memchr(0, d.get(p..end).ok_or_else(|| truncated(i))?)
                .ok_or_else(|| truncated(i))?;
            let start = names.len();
            names.extend_from_within(prev.start..prev.start + keep);
            names.extend_from_slice(&d[p..p + suffix_len]);
            name = start..names.len();
            at = p + suffix_len + 1;
        } else {
            let stored = usize::from(flags & 0xfff);
            let rest = d.get(name_at..end).ok_or_else(|| truncated(i))?;
            let len = if stored < 0xfff {
                if rest.get(stored) != Some(&0) {
                    return Err(malformed(format!("entry {i}: bad path length")));
                }
                stored
            } else {
                memchr::memchr(0, rest).ok_or_else(|| truncated(i))?
            };
            name = name_at..name_at + len;
            at += (header + len + 8) & !7;
        }
        if at > end {
            return Err(truncated(i));
        }
        prev = name.clone();
        entries.push(Entry {
            name,
            oid,
            mode,
            flags,
            ext_flags,
        });
    }
    let mut index = Index {
        version,
        names,
        entries,
        hash_len: h,
        cache_tree: None,
        link: None,
        sparse: false,
    };
    // Extensions: a 4-byte signature and a 32-bit size each. An unknown one
    // whose signature starts with a capital letter is optional.
    while at + 8 <= end {
        let sig: [u8; 4] = d[at..at + 4].try_into().unwrap_or_default();
        let size = be32(d, at + 4).unwrap_or(0) as usize;
        let body_end = (at + 8)
            .checked_add(size)
            .filter(|&e| e <= end)
            .ok_or_else(|| {
                malformed(format!(
                    "extension {} is truncated",
                    String::from_utf8_lossy(&sig)
                ))
            })?;
        let body = &d[at + 8..body_end];
        match &sig {
            b"TREE" if opts.cache_tree => index.cache_tree = Some(parse_cache_tree(body, h)?),
            b"link" => index.link = Some(parse_link(body, h)?),
            b"sdir" => index.sparse = true,
            s if s[0].is_ascii_uppercase() => {}
            s => {
                return Err(IndexError::Unsupported(format!(
                    "unsupported required index extension {:?}",
                    String::from_utf8_lossy(s)
                )));
            }
        }
        at += 8 + size;
    }
    Ok((index, in_data))
}

/// Reads the cache-tree extension: nodes in preorder, each `name NUL
/// entry-count SP subtree-count LF [id]`, an entry count of -1 marking a
/// directory whose id is no longer valid.
fn parse_cache_tree(d: &[u8], h: usize) -> Result<CacheTree, IndexError> {
    let bad = |what: &str| malformed(format!("cache-tree: {what}"));
    let mut tree = CacheTree {
        hash_len: h,
        ..CacheTree::default()
    };
    // (node, subtrees still to read)
    let mut stack: Vec<(u32, usize)> = Vec::new();
    let mut pos = 0;
    loop {
        let rest = &d[pos..];
        let nul = memchr::memchr(0, rest).ok_or_else(|| bad("truncated"))?;
        let nl = memchr::memchr(b'\n', &rest[nul + 1..]).ok_or_else(|| bad("truncated"))?;
        let line =
            std::str::from_utf8(&rest[nul + 1..nul + 1 + nl]).map_err(|_| bad("bad counts"))?;
        let (count, subtrees) = line.split_once(' ').ok_or_else(|| bad("bad counts"))?;
        let count: i32 = count.parse().map_err(|_| bad("bad entry count"))?;
        let subtrees: u32 = subtrees.parse().map_err(|_| bad("bad subtree count"))?;
        let start = tree.names.len();
        tree.names.extend_from_slice(&rest[..nul]);
        pos += nul + 1 + nl + 1;
        let oid = if count >= 0 {
            let mut oid = [0u8; 32];
            oid[..h].copy_from_slice(d.get(pos..pos + h).ok_or_else(|| bad("truncated"))?);
            pos += h;
            Some(oid)
        } else {
            None
        };
        // Each node takes at least 6 bytes ("\0-1 0\n"): a count the rest of
        // the extension cannot hold is a lie (libgit2 would allocate it).
        if subtrees as usize > (d.len() - pos) / 6 {
            return Err(bad(&format!(
                "{subtrees} subtrees claimed in {} bytes",
                d.len() - pos
            )));
        }
        let id = tree.nodes.len() as u32;
        tree.nodes.push(CacheNode {
            name: start..tree.names.len(),
            oid,
            children: Vec::new(),
        });
        if let Some((parent, left)) = stack.last_mut() {
            tree.nodes[*parent as usize].children.push(id);
            *left -= 1;
        }
        if subtrees > 0 {
            if stack.len() >= MAX_CACHE_TREE_DEPTH {
                return Err(bad(&format!("deeper than {MAX_CACHE_TREE_DEPTH} levels")));
            }
            stack.push((id, subtrees as usize));
        }
        while stack.last().is_some_and(|&(_, left)| left == 0) {
            stack.pop();
        }
        if stack.is_empty() {
            break;
        }
    }
    if pos != d.len() {
        return Err(bad("trailing bytes"));
    }
    Ok(tree)
}

/// An EWAH-compressed bitmap, as git writes it (`ewah/ewah_io.c`): its
/// 64-bit words.
fn parse_ewah(d: &[u8], at: &mut usize) -> Result<Vec<u64>, IndexError> {
    let bad = || malformed("link extension: corrupt bitmap");
    let _bits = be32(d, *at).ok_or_else(bad)?;
    let words = be32(d, *at + 4).ok_or_else(bad)? as usize;
    let start = *at + 8;
    let bytes = words.checked_mul(8).ok_or_else(bad)?;
    let body = d
        .get(start..start.checked_add(bytes).ok_or_else(bad)?)
        .ok_or_else(bad)?;
    let out = body
        .chunks_exact(8)
        .map(|c| u64::from_be_bytes(c.try_into().unwrap_or_default()))
        .collect();
    be32(d, start + bytes).ok_or_else(bad)?; // the last run-length word's position
    *at = start + bytes + 4;
    Ok(out)
}

fn parse_link(d: &[u8], h: usize) -> Result<Link, IndexError> {
    let id = d
        .get(..h)
        .ok_or_else(|| malformed("link extension: too short"))?;
    let shared = id.iter().map(|b| format!("{b:02x}")).collect();
    let mut at = h;
    let (mut delete, mut replace) = (Vec::new(), Vec::new());
    if at < d.len() {
        delete = parse_ewah(d, &mut at)?;
        replace = parse_ewah(d, &mut at)?;
        if at != d.len() {
            return Err(malformed("link extension: trailing bytes"));
        }
    }
    Ok(Link {
        shared,
        delete,
        replace,
    })
}

/// The positions of the set bits of an EWAH bitmap, each below `limit`
/// (else the bitmap is malformed): runs of ones are checked before they are
/// expanded, so a bitmap claiming 2^38 set bits costs nothing.
fn ewah_bits(words: &[u64], limit: usize) -> Result<Vec<usize>, IndexError> {
    let beyond =
        || malformed("link extension: a bitmap addresses entries the shared index does not have");
    let mut out = Vec::new();
    let mut pos: u64 = 0;
    let mut i = 0;
    while i < words.len() {
        let rlw = words[i];
        i += 1;
        let run_bit = rlw & 1 != 0;
        let run_len = (rlw >> 1) & 0xffff_ffff;
        let literals = (rlw >> 33) as usize;
        let run_bits = run_len * 64;
        if run_bit && run_bits > 0 {
            if pos + run_bits > limit as u64 {
                return Err(beyond());
            }
            out.extend(pos as usize..(pos + run_bits) as usize);
        }
        pos += run_bits;
        if literals > words.len() - i {
            return Err(malformed("link extension: corrupt bitmap"));
        }
        for &w in &words[i..i + literals] {
            let mut w = w;
            while w != 0 {
                let bit = pos + u64::from(w.trailing_zeros());
                if bit >= limit as u64 {
                    return Err(beyond());
                }
                out.push(bit as usize);
                w &= w - 1;
            }
            pos += 64;
        }
        i += literals;
    }
    Ok(out)
}

/// Completes a split index (`front`, whose [`Index::link`] is set) with its
/// shared index: shared entries marked replaced take the front's first
/// entries (which carry no path of their own), those marked deleted go, the
/// front's other entries are added (replacing a shared entry of the same
/// path and stage). The result is sorted by path then stage.
pub fn merge_split(front: Index, shared: Index) -> Result<Index, IndexError> {
    let Some(link) = &front.link else {
        return Ok(front);
    };
    if shared.link.is_some() {
        return Err(malformed("the shared index is itself split"));
    }
    if shared.hash_len != front.hash_len {
        return Err(malformed("shared index with another object id length"));
    }
    let n = shared.entries.len();
    let replace = ewah_bits(&link.replace, n)?;
    let delete = ewah_bits(&link.delete, n)?;
    if replace.len() > front.entries.len() {
        return Err(malformed("link extension: more replacements than entries"));
    }
    let mut names = Vec::with_capacity(shared.names.len() + front.names.len());
    let mut gone = vec![false; n];
    for &p in &delete {
        gone[p] = true;
    }
    let mut merged: Vec<Entry> = Vec::with_capacity(n + front.entries.len());
    let mut replaced: Vec<Option<&Entry>> = vec![None; n];
    for (k, &p) in replace.iter().enumerate() {
        let e = &front.entries[k];
        if !e.name.is_empty() {
            return Err(malformed("link extension: a replacing entry has a path"));
        }
        if gone[p] {
            return Err(malformed(
                "link extension: an entry both replaced and deleted",
            ));
        }
        replaced[p] = Some(e);
    }
    let push = |names: &mut Vec<u8>, merged: &mut Vec<Entry>, e: &Entry, path: &[u8]| {
        let start = names.len();
        names.extend_from_slice(path);
        merged.push(Entry {
            name: start..names.len(),
            ..e.clone()
        });
    };
    for (i, e) in shared.entries.iter().enumerate() {
        if gone[i] {
            continue;
        }
        let path = shared.path(e);
        // A replacing entry takes the shared entry's path, nothing else.
        push(&mut names, &mut merged, replaced[i].unwrap_or(e), path);
    }
    let base = merged.len();
    for e in &front.entries[replace.len()..] {
        if e.name.is_empty() {
            return Err(malformed("link extension: an added entry has no path"));
        }
        push(&mut names, &mut merged, e, front.path(e));
    }
    // Added entries win over shared ones of the same path and stage.
    let key = |i: usize| (&names[merged[i].name.clone()], merged[i].stage());
    let mut order: Vec<usize> = (0..merged.len()).collect();
    order.sort_by(|&a, &b| key(a).cmp(&key(b)).then((b >= base).cmp(&(a >= base))));
    order.dedup_by(|later, earlier| key(*later) == key(*earlier));
    let entries = order.into_iter().map(|i| merged[i].clone()).collect();
    Ok(Index {
        version: front.version,
        names,
        entries,
        hash_len: front.hash_len,
        cache_tree: front.cache_tree,
        link: None,
        sparse: front.sparse || shared.sparse,
    })
}

/// Reads and parses the index file at `path` of the repository whose git
/// directory is `git_dir`, merging a split index with its shared index
/// (looked for in `git_dir`, then beside `path`, as git does). Only regular
/// files are read, at most [`MAX_INDEX`] bytes each.
pub fn read(path: &Path, git_dir: &Path, opts: ParseOptions) -> Result<Index, IndexError> {
    let data = read_file(path)?;
    let index = parse_owned(data, opts).map_err(|e| in_file(e, path))?;
    let Some(link) = &index.link else {
        return Ok(index);
    };
    if link.shared.bytes().all(|b| b == b'0') {
        return Ok(Index {
            link: None,
            ..index
        });
    }
    let name = format!("sharedindex.{}", link.shared);
    let mut candidates = vec![git_dir.join(&name)];
    if let Some(dir) = path.parent() {
        candidates.push(dir.join(&name));
    }
    let mut last = None;
    for shared_path in candidates {
        match read_file(&shared_path) {
            Ok(bytes) => {
                // The id names the shared index's trailing checksum.
                let trailer = bytes
                    .len()
                    .checked_sub(opts.hash_len)
                    .map(|at| &bytes[at..]);
                let hex: Option<String> =
                    trailer.map(|t| t.iter().map(|b| format!("{b:02x}")).collect());
                if hex.as_deref() != Some(link.shared.as_str()) {
                    return Err(malformed(format!(
                        "{}: not the shared index {}",
                        shared_path.display(),
                        link.shared
                    )));
                }
                let shared = parse_owned(
                    bytes,
                    ParseOptions {
                        cache_tree: false,
                        ..opts
                    },
                )
                .map_err(|e| in_file(e, &shared_path))?;
                return merge_split(index, shared).map_err(|e| in_file(e, path));
            }
            Err(e @ IndexError::Missing(_)) => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(match last {
        Some(IndexError::Missing(p)) => IndexError::Unreadable(format!(
            "{p}: the shared index of the split index {} is missing",
            path.display()
        )),
        Some(e) => e,
        None => malformed("no shared index"),
    })
}

/// Prefixes an error with the file it is about.
fn in_file(e: IndexError, path: &Path) -> IndexError {
    let p = path.display();
    match e {
        IndexError::Missing(m) => IndexError::Missing(m),
        IndexError::Unreadable(m) => IndexError::Unreadable(format!("{p}: {m}")),
        IndexError::Unsupported(m) => IndexError::Unsupported(format!("{p}: {m}")),
        IndexError::Malformed(m) => IndexError::Malformed(format!("{p}: {m}")),
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, IndexError> {
    read_regular(path, MAX_INDEX, Links::Follow).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => IndexError::Missing(path.display().to_string()),
        std::io::ErrorKind::InvalidData => {
            IndexError::Unsupported(format!("{}: {e}", path.display()))
        }
        _ => IndexError::Unreadable(format!("{}: {e}", path.display())),
    })
}

/// The object id length of the repository whose common git directory is
/// `common_dir`: 32 when its config sets `extensions.objectFormat` to
/// `sha256`, else 20. A config that cannot be read is an error (git could
/// not use the repository either).
pub fn hash_len(common_dir: &Path) -> Result<usize, IndexError> {
    let path = common_dir.join("config");
    let text = match read_regular(&path, 1 << 20, Links::Follow) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(20),
        Err(e) => return Err(IndexError::Unreadable(format!("{}: {e}", path.display()))),
    };
    let sha256 = text.split(|&b| b == b'\n').any(|line| {
        let line = line.to_ascii_lowercase();
        let line: Vec<u8> = line
            .into_iter()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        line.starts_with(b"objectformat=") && line.ends_with(b"sha256")
    });
    Ok(if sha256 { 32 } else { 20 })
}

/// The per-worktree and common git directories of a work tree's `.git`
/// (a directory, or a file `gitdir: PATH` in linked worktrees and
/// submodules; the common directory from `commondir`).
pub fn git_dirs(dot_git: &Path) -> Result<(PathBuf, PathBuf), IndexError> {
    let unreadable =
        |e: std::io::Error, p: &Path| IndexError::Unreadable(format!("{}: {e}", p.display()));
    let meta = std::fs::metadata(dot_git).map_err(|e| unreadable(e, dot_git))?;
    let git_dir = if meta.is_dir() {
        dot_git.to_path_buf()
    } else {
        let text =
            read_regular(dot_git, 64 << 10, Links::Follow).map_err(|e| unreadable(e, dot_git))?;
        let text = String::from_utf8_lossy(&text);
        let target = text
            .lines()
            .find_map(|l| l.strip_prefix("gitdir:"))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                IndexError::Unreadable(format!("{}: no gitdir line", dot_git.display()))
            })?;
        dot_git.parent().unwrap_or(Path::new(".")).join(target)
    };
    git_dirs_of(&git_dir)
}

/// A git directory and its common directory (from its `commondir` file, in
/// linked worktrees; else itself).
pub fn git_dirs_of(git_dir: &Path) -> Result<(PathBuf, PathBuf), IndexError> {
    let file = git_dir.join("commondir");
    let common = match read_regular(&file, 64 << 10, Links::Follow) {
        Ok(t) => {
            let t = String::from_utf8_lossy(&t);
            git_dir.join(t.trim_end_matches(['\n', '\r']))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => git_dir.to_path_buf(),
        Err(e) => return Err(IndexError::Unreadable(format!("{}: {e}", file.display()))),
    };
    Ok((git_dir.to_path_buf(), common))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version 2 index of `paths` (no extensions), with a dummy checksum.
    fn v2(paths: &[&str], ext: &[u8]) -> Vec<u8> {
        let mut d = b"DIRC".to_vec();
        d.extend(2u32.to_be_bytes());
        d.extend((paths.len() as u32).to_be_bytes());
        for p in paths {
            let mut e = vec![0u8; 24];
            e.extend(0o100644u32.to_be_bytes());
            e.extend([0u8; 12]);
            e.extend([7u8; 20]);
            e.extend((p.len() as u16).to_be_bytes());
            e.extend(p.as_bytes());
            let len = (62 + p.len() + 8) & !7;
            e.resize(len, 0);
            d.extend(e);
        }
        d.extend(ext);
        d.extend([0u8; 20]);
        d
    }

    fn paths(i: &Index) -> Vec<String> {
        i.entries()
            .iter()
            .map(|e| String::from_utf8_lossy(i.path(e)).into_owned())
            .collect()
    }

    #[test]
    fn reads_version_2_entries() {
        let d = v2(&["a", "b/c.txt"], b"");
        let i = parse(&d, ParseOptions::default()).unwrap();
        assert_eq!(paths(&i), ["a", "b/c.txt"]);
        assert_eq!(i.oid(&i.entries()[0]), [7u8; 20]);
        assert!(parse(&d[..d.len() - 30], ParseOptions::default()).is_err());
    }

    /// The fuzz seeds, written by git 2.47: versions 2 to 4, a split index
    /// (the first byte picks the fuzz target's mode; a split seed then holds
    /// the front index's length and both files) and a sparse index.
    #[test]
    fn reads_what_git_writes() {
        let seed = |name: &str| {
            let p = format!("{}/fuzz/seeds/git_index/{name}", env!("CARGO_MANIFEST_DIR"));
            std::fs::read(p).unwrap()
        };
        let opts = ParseOptions {
            cache_tree: true,
            ..ParseOptions::default()
        };
        let base = [
            "docs/readme.md",
            "src/a/b/x.rs",
            "src/a/y.rs",
            "src/ab/z.rs",
            "top.txt",
        ];
        let v2 = parse(&seed("v2_tree.bin")[1..], opts).unwrap();
        assert_eq!(
            (v2.version, paths(&v2)),
            (2, base.map(String::from).to_vec())
        );
        let tree = v2.cache_tree.as_ref().unwrap();
        let src = tree.child(tree.root().unwrap(), b"src").unwrap();
        assert!(tree.oid(src).is_some() && tree.child(src, b"a").is_some());
        let mut with_ita = base.to_vec();
        with_ita.insert(1, "ita.txt");
        for (name, version) in [("v3_ita.bin", 3), ("v4.bin", 4)] {
            let i = parse(&seed(name)[1..], opts).unwrap();
            assert_eq!(
                (i.version, paths(&i)),
                (version, with_ita.iter().map(|s| s.to_string()).collect())
            );
            assert!(i.entries()[1].intent_to_add() && !i.entries()[0].intent_to_add());
        }
        let split = seed("split.bin");
        let len = usize::from(u16::from_le_bytes([split[1], split[2]]));
        let (front, shared) = split[3..].split_at(len);
        let front = parse(front, opts).unwrap();
        assert!(front.link.is_some());
        let merged = merge_split(front, parse(shared, opts).unwrap()).unwrap();
        assert_eq!(
            paths(&merged),
            [
                "ita.txt",
                "new.txt",
                "src/a/b/x.rs",
                "src/a/y.rs",
                "src/ab/z.rs",
                "top.txt"
            ]
        );
        let sparse = parse(&seed("sparse.bin")[1..], opts).unwrap();
        assert!(sparse.sparse);
        assert_eq!(paths(&sparse), ["in/a", "out/"]);
        assert!(sparse.entries()[1].is_sparse_dir() && sparse.entries()[1].skip_worktree());
    }

    #[test]
    fn hostile_cache_trees_are_refused() {
        let opts = ParseOptions {
            cache_tree: true,
            ..ParseOptions::default()
        };
        let ext = |body: &[u8]| {
            let mut e = b"TREE".to_vec();
            e.extend((body.len() as u32).to_be_bytes());
            e.extend(body);
            e
        };
        let huge = ext(b"\0-1 1000000000000000\n");
        assert!(matches!(
            parse(&v2(&["a"], &huge), opts),
            Err(IndexError::Malformed(_))
        ));
        let wide = ext(b"\0-1 2000000000\n");
        assert!(matches!(
            parse(&v2(&["a"], &wide), opts),
            Err(IndexError::Malformed(_))
        ));
        let mut deep = Vec::new();
        for _ in 0..100_000 {
            deep.extend(b"d\0-1 1\n");
        }
        deep.extend(b"d\0-1 0\n");
        let e = parse(&v2(&["a"], &ext(&deep)), opts).unwrap_err();
        assert!(e.to_string().contains("deeper than 4096"), "{e}");
        // Skipped when not asked for.
        assert!(parse(&v2(&["a"], &ext(&deep)), ParseOptions::default()).is_ok());
        // A valid one.
        let mut ok = b"\x001 1\n".to_vec();
        ok.extend([1u8; 20]);
        ok.extend(b"d\x001 0\n");
        ok.extend([2u8; 20]);
        let i = parse(&v2(&["d/a"], &ext(&ok)), opts).unwrap();
        let t = i.cache_tree.unwrap();
        let root = t.root().unwrap();
        assert_eq!(t.oid(root), Some(&[1u8; 20][..]));
        assert_eq!(t.oid(t.child(root, b"d").unwrap()), Some(&[2u8; 20][..]));
    }

    #[test]
    fn ewah_runs_are_bounded_by_the_shared_index() {
        // A run of 2^32-1 words of ones.
        let rlw = 1 | (0xffff_ffffu64 << 1);
        assert!(ewah_bits(&[rlw], 100).is_err());
        // One literal word with bits 0 and 3, after a zero run of 1 word.
        let rlw = (1u64 << 33) | (1 << 1);
        assert_eq!(ewah_bits(&[rlw, 0b1001], 128).unwrap(), [64, 67]);
        assert!(ewah_bits(&[rlw, 0b1001], 67).is_err());
        // More literal words claimed than present.
        assert!(ewah_bits(&[5u64 << 33], 1000).is_err());
    }
}
