//! The staged scan's fast path: which index entries differ from `HEAD`,
//! found without libgit2's index loader and tree-to-index diff.
//!
//! libgit2 reads the whole index (checksumming it with collision-detecting
//! SHA-1) and walks every tree of `HEAD`; in a large repository (moby: 13k
//! files, 2.7k trees) that alone costs tens of milliseconds. Git itself uses
//! the index's cache-tree extension (`TREE`) to skip every directory whose
//! staged tree id equals `HEAD`'s, and so does this: it reads the index
//! with [`super::index`] (versions 2 to 4, split indexes) and reads only the
//! `HEAD` trees of directories the cache-tree cannot vouch for.
//!
//! It is a *filter*, not the authority: [`changed_entries`] returns every
//! added or modified regular file (a superset of what the exact diff scans);
//! when none of them holds a secret the commit is clean. Otherwise the caller
//! runs the exact libgit2 diff (renames, added lines). An index of a kind
//! this fast path does not compare (a sparse index, a form the reader does
//! not know, a SHA-256 repository) returns `Ok(None)` and the caller takes
//! the exact path directly. An index that is not a regular file, or is
//! malformed (a hostile cache-tree, say), is an error: libgit2 would block
//! on the one, and could exhaust memory or its stack on the other.

use std::path::{Path, PathBuf};

use git2::{Oid, Repository, Tree};

use super::GitError;
use super::index::{self, CacheNode, CacheTree, Entry, IndexError, ParseOptions};
use super::mode;
use super::preflight::LooseObjects;

/// An index entry that differs from `HEAD`: its path and staged blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// Repository-relative; a name that is not UTF-8 keeps its bytes.
    pub path: crate::finding::ScanPath,
    pub oid: Oid,
}

/// The index file git would use for `repo`: `GIT_INDEX_FILE` (as set in a
/// hook during `git commit -a`) or the repository's own.
pub fn index_path(repo: &Repository) -> PathBuf {
    match std::env::var_os("GIT_INDEX_FILE") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => repo.path().join("index"),
    }
}

/// The regular files staged in `index_file` whose blob differs from `HEAD`'s
/// (all of them before the first commit); `Ok(None)` when only the exact
/// diff can tell (see the module documentation); an error for an index that
/// must not be handed to libgit2 either.
pub fn changed_entries(
    repo: &Repository,
    index_file: &Path,
) -> Result<Option<Vec<Changed>>, GitError> {
    changed_entries_checked(repo, index_file, &LooseObjects::new(repo.commondir()))
}

/// [`changed_entries`], checking each object with `loose` before it is read
/// (an object that is not a regular file is an error).
pub(crate) fn changed_entries_checked(
    repo: &Repository,
    index_file: &Path,
    loose: &LooseObjects,
) -> Result<Option<Vec<Changed>>, GitError> {
    let opts = ParseOptions {
        hash_len: 20,
        cache_tree: true,
    };
    let index = match index::read(index_file, repo.path(), opts) {
        Ok(i) => i,
        Err(e @ (IndexError::Malformed(_) | IndexError::Unreadable(_))) => {
            return Err(GitError::Index(e));
        }
        Err(IndexError::Missing(_) | IndexError::Unsupported(_)) => return Ok(None),
    };
    if index.sparse {
        return Ok(None);
    }
    let head = match super::staged::head_tree(repo, loose) {
        Ok(t) => t,
        Err(e @ GitError::Hostile(_)) => return Err(e),
        Err(_) => return Ok(None),
    };
    let mut out = Vec::new();
    let tree = index.cache_tree.as_ref();
    let mut w = Walker {
        repo,
        index: &index,
        cache: tree,
        loose,
        hostile: None,
        out: &mut out,
    };
    let root = tree.and_then(CacheTree::root);
    let walked = w.dir(head.map(|t| t.id()), root, index.entries(), 0, 0);
    if let Some(e) = w.hostile.take() {
        return Err(e);
    }
    Ok(walked.ok().map(|()| out))
}

/// Deepest directory nesting the walk follows; deeper paths take the exact
/// path (the walk recurses once per level).
const MAX_DEPTH: usize = 1024;

struct Walker<'r, 'o> {
    repo: &'r Repository,
    index: &'r index::Index,
    cache: Option<&'r CacheTree>,
    loose: &'r LooseObjects,
    /// A hostile object met: the walk stops and this is the error.
    hostile: Option<GitError>,
    out: &'o mut Vec<Changed>,
}

impl Walker<'_, '_> {
    /// Compares the index entries under one directory (all sharing a prefix
    /// of `prefix_len` bytes) with `HEAD`'s tree there.
    fn dir(
        &mut self,
        head: Option<Oid>,
        cache: Option<&CacheNode>,
        entries: &[Entry],
        prefix_len: usize,
        depth: usize,
    ) -> Result<(), git2::Error> {
        if depth > MAX_DEPTH {
            return Err(git2::Error::from_str("index paths nested too deep"));
        }
        let cached = self
            .cache
            .zip(cache)
            .and_then(|(t, c)| t.oid(c))
            .and_then(|o| Oid::from_bytes(o).ok());
        if let (Some(h), Some(c)) = (head, cached)
            && h == c
        {
            return Ok(()); // the staged directory is HEAD's, byte for byte
        }
        let tree: Option<Tree> = match head {
            Some(h) => {
                if let Err(e) = self.loose.check(h) {
                    self.hostile = Some(e);
                    return Err(git2::Error::from_str("a hostile object"));
                }
                Some(self.repo.find_tree(h)?)
            }
            None => None,
        };
        let mut i = 0;
        while i < entries.len() {
            let e = &entries[i];
            let path = self.index.path(e);
            let rest = path
                .get(prefix_len..)
                .ok_or_else(|| git2::Error::from_str("index entries out of order"))?;
            if let Some(slash) = memchr::memchr(b'/', rest) {
                let name = &rest[..slash];
                let sub_prefix = prefix_len + slash + 1;
                let mut j = i + 1;
                while j < entries.len() {
                    let p = self.index.path(&entries[j]);
                    if p.len() > sub_prefix && p[..sub_prefix] == path[..sub_prefix] {
                        j += 1;
                    } else {
                        break;
                    }
                }
                let sub_head = tree
                    .as_ref()
                    .and_then(|t| t.get_name_bytes(name))
                    .filter(|te| te.filemode() & mode::TYPE_MASK == mode::TREE)
                    .map(|te| te.id());
                let sub_cache = self.cache.zip(cache).and_then(|(t, c)| t.child(c, name));
                self.dir(sub_head, sub_cache, &entries[i..j], sub_prefix, depth + 1)?;
                i = j;
                continue;
            }
            i += 1;
            let skip = e.stage() != 0 || e.intent_to_add();
            if skip || (e.mode as i32) & mode::TYPE_MASK != mode::FILE {
                continue;
            }
            let oid = Oid::from_bytes(self.index.oid(e))?;
            let same = tree
                .as_ref()
                .and_then(|t| t.get_name_bytes(rest))
                .is_some_and(|te| te.id() == oid && te.filemode() & mode::TYPE_MASK == mode::FILE);
            if !same {
                self.out.push(Changed {
                    path: crate::finding::ScanPath::from_bytes(path),
                    oid,
                });
            }
        }
        Ok(())
    }
}
