//! The files git tracks under a directory, listed from the repository's
//! index by leakhound itself: no `git` process (a repository's own `./git`
//! could run, and git refuses repositories owned by another user), no
//! libgit2 (which refuses them too, and reads fewer index forms).
//!
//! The tree scan uses it to scan tracked files that `.gitignore` matches (a
//! `.env` committed before it was ignored). It reads the index of the
//! repository holding the directory ([`super::index`]: versions 2 to 4,
//! split and sparse indexes), in linked worktrees and submodules too (a
//! `.git` file naming the git directory), and lists the files of
//! submodules (gitlinks) checked out below it, recursively. Entries in
//! conflict are listed once; intent-to-add entries are listed (the file is
//! on disk and about to be committed); a sparse index's directory entries
//! are not expanded (their files are outside the sparse checkout, not on
//! disk). Paths that could escape the work tree (`..`, absolute, empty
//! components) or name a `.git` directory are left out.
//!
//! libgit2 is not a fallback: it reads a subset of the forms read here
//! (versions 2 to 4 only: no split or sparse index), so an index this reader
//! rejects it rejects too, or worse (a hostile cache-tree overflows its
//! recursive reader).

use std::path::{Path, PathBuf};

use super::index::{self, IndexError, ParseOptions};

/// Submodules inside submodules are followed this deep.
const MAX_SUBMODULE_DEPTH: usize = 8;

/// What [`list`] found.
#[derive(Debug, Default)]
pub struct Tracked {
    /// The tracked paths under the directory, relative to it, `/`-separated,
    /// each followed by a NUL byte.
    pub paths: Vec<u8>,
    /// Repositories (the top one or submodules) whose index could not be
    /// read, each as "where: why".
    pub errors: Vec<String>,
}

/// The top of the work tree holding `dir` (canonical): the nearest
/// ancestor with a `.git` entry. `None` outside any work tree.
pub fn work_tree_top(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    if !dir.is_dir() {
        return None;
    }
    let dir = dir.canonicalize().ok()?;
    let top = dir
        .ancestors()
        .find(|a| std::fs::symlink_metadata(a.join(".git")).is_ok())?
        .to_path_buf();
    Some((top, dir))
}

/// The files git tracks under `dir` (see the module documentation); an
/// empty listing outside a work tree.
pub fn list(dir: &Path) -> Tracked {
    let mut out = Tracked::default();
    let Some((top, dir)) = work_tree_top(dir) else {
        return out;
    };
    let Ok(rel) = dir.strip_prefix(&top) else {
        return out;
    };
    let mut under = Vec::new();
    for c in rel.components() {
        under.extend_from_slice(c.as_os_str().as_encoded_bytes());
        under.push(b'/');
    }
    list_repo(&top, &under, &[], &mut out, 0);
    out
}

/// Lists the tracked files of the work tree at `top` whose path starts with
/// `under`, with `under` replaced by `shown`.
fn list_repo(top: &Path, under: &[u8], shown: &[u8], out: &mut Tracked, depth: usize) {
    let index = match read_index(top) {
        Ok(Some(i)) => i,
        Ok(None) => return,
        Err(e) => {
            out.errors.push(e);
            return;
        }
    };
    let mut last: Option<&[u8]> = None;
    for e in index.entries() {
        let path = index.path(e);
        if e.is_sparse_dir() || !path.starts_with(under) || !safe_path(path) {
            continue;
        }
        if last == Some(path) {
            continue; // another stage of a conflict
        }
        last = Some(path);
        let rel = &path[under.len()..];
        if e.is_gitlink() {
            let sub = top.join(native(path));
            if depth < MAX_SUBMODULE_DEPTH && std::fs::symlink_metadata(sub.join(".git")).is_ok() {
                let mut shown_sub = shown.to_vec();
                shown_sub.extend_from_slice(rel);
                shown_sub.push(b'/');
                list_repo(&sub, b"", &shown_sub, out, depth + 1);
            }
            continue;
        }
        out.paths.extend_from_slice(shown);
        out.paths.extend_from_slice(rel);
        out.paths.push(0);
    }
}

/// The index of the work tree at `top`; `None` when it has none yet.
fn read_index(top: &Path) -> Result<Option<index::Index>, String> {
    let shown = |e: IndexError| format!("{}: {e}", top.display());
    let (git_dir, common) = index::git_dirs(&top.join(".git")).map_err(shown)?;
    let hash_len = index::hash_len(&common).map_err(shown)?;
    let opts = ParseOptions {
        hash_len,
        cache_tree: false,
    };
    match index::read(&git_dir.join("index"), &git_dir, opts) {
        Ok(i) => Ok(Some(i)),
        Err(IndexError::Missing(_)) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// Whether an index path stays inside the work tree: relative, no empty,
/// `.` or `..` component, no `.git` directory.
fn safe_path(path: &[u8]) -> bool {
    !path.is_empty()
        && path
            .split(|&b| b == b'/')
            .all(|c| !c.is_empty() && c != b"." && c != b".." && !c.eq_ignore_ascii_case(b".git"))
        && !(cfg!(windows) && path.iter().any(|&b| b == b'\\' || b == b':'))
}

/// An index path as a native relative path.
fn native(path: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(path))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(path).replace('/', "\\"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_work_tree_are_refused() {
        for ok in [&b"a"[..], b"a/b.env", b".env", b"a/.gitignore", b"..x/y"] {
            assert!(safe_path(ok), "{}", String::from_utf8_lossy(ok));
        }
        for bad in [
            &b""[..],
            b"/etc/passwd",
            b"../x",
            b"a/../../x",
            b"a//b",
            b"./a",
            b".git/config",
            b"sub/.GIT/config",
            b"a/",
        ] {
            assert!(!safe_path(bad), "{}", String::from_utf8_lossy(bad));
        }
    }
}
