//! Paths as CI systems want them: relative to the repository root with `/`
//! separators. GitHub maps SARIF results and annotations to files that way,
//! whatever directory leakhound ran in and however the paths were named.
//!
//! Working-tree findings carry paths as the user named them (relative to the
//! directory leakhound ran in, or absolute); history findings carry
//! repository paths already and are left alone.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::finding::Finding;

/// Resolves finding paths against the directory leakhound ran in.
#[derive(Debug, Clone, Default)]
pub struct RepoPaths {
    /// `None`: every path is taken as already relative to the repository root.
    cwd: Option<PathBuf>,
}

/// Where a finding's file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoPath {
    /// Relative to the repository root (or, outside any repository, to the
    /// directory leakhound ran in), `/`-separated: the name's exact bytes
    /// (not always UTF-8).
    Relative(Vec<u8>),
    /// Outside both: the absolute path.
    Absolute(PathBuf),
}

impl RepoPaths {
    /// Resolves against the current directory.
    pub fn from_current_dir() -> Self {
        RepoPaths {
            cwd: std::env::current_dir().ok(),
        }
    }

    /// Resolves against `cwd`; `None` takes paths as they are.
    pub fn with_cwd(cwd: Option<PathBuf>) -> Self {
        RepoPaths { cwd }
    }

    /// The path of `f`'s file for CI. The repository is the one holding the
    /// directory leakhound ran in if the file is inside it (so a submodule's
    /// files stay relative to the superproject), else the one holding the file.
    pub fn resolve(&self, f: &Finding, roots: &mut RootCache) -> RepoPath {
        let raw = f.raw_path();
        let Some(cwd) = self.cwd.as_deref() else {
            return RepoPath::Relative(raw.to_vec());
        };
        // History paths are repository paths; standard input has no file.
        if f.commit.is_some() || f.path == "<stdin>" {
            return RepoPath::Relative(raw.to_vec());
        }
        let path = crate::finding::path_of_bytes(raw);
        let cwd = canonical(cwd);
        let mut abs = canonical(&cwd.join(&path));
        // A source that reports repository paths (the staged index) run from
        // a subdirectory: the path exists under the root, not under cwd.
        if !abs.exists()
            && let Some(root) = roots.root_of(&cwd)
            && root.join(&path).exists()
        {
            abs = canonical(&root.join(&path));
        }
        let rel = roots
            .root_of(&cwd)
            .and_then(|root| abs.strip_prefix(root).ok())
            .or_else(|| {
                let root = roots.root_of(abs.parent()?)?;
                abs.strip_prefix(root).ok()
            })
            .or_else(|| abs.strip_prefix(&cwd).ok());
        match rel {
            Some(rel) => RepoPath::Relative(slash_path(rel)),
            None => RepoPath::Absolute(abs),
        }
    }
}

/// Git work-tree roots found so far: for a directory, its nearest ancestor
/// (itself included) that holds `.git` (a directory, or a file in worktrees
/// and submodules).
#[derive(Debug, Default)]
pub struct RootCache {
    roots: BTreeMap<PathBuf, Option<PathBuf>>,
}

impl RootCache {
    /// The work-tree root holding `dir`, if any.
    pub fn root_of(&mut self, dir: &Path) -> Option<&Path> {
        if !self.roots.contains_key(dir) {
            let root = dir
                .ancestors()
                .find(|a| a.join(".git").exists())
                .map(Path::to_path_buf);
            self.roots.insert(dir.to_path_buf(), root);
        }
        self.roots[dir].as_deref()
    }
}

/// A relative path's normal components joined with `/`, as bytes.
fn slash_path(rel: &Path) -> Vec<u8> {
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.as_encoded_bytes()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(&b'/')
}

/// The canonical form of a path if it exists, else the path with `.` and
/// `..` resolved lexically.
fn canonical(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;

    fn finding(path: &str) -> Finding {
        Finding {
            rule_id: "r".into(),
            rule_name: "R".into(),
            severity: Severity::High,
            path: path.into(),
            path_bytes: None,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            secret: "s".into(),
            secret_sha1: "h".into(),
            commit: None,
            blob: None,
            details: Vec::new(),
            reason: None,
            appearances: Vec::new(),
        }
    }

    #[test]
    fn working_tree_paths_become_repository_relative() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("sub/dir")).unwrap();
        std::fs::write(repo.join("sub/dir/.env"), "x").unwrap();
        let outside = tmp.path().join("loose.txt");
        std::fs::write(&outside, "x").unwrap();
        let rel = |s: &str| RepoPath::Relative(s.as_bytes().to_vec());
        let mut cache = RootCache::default();

        // Run from a subdirectory: `dir/.env` is `sub/dir/.env` in the repository.
        let paths = RepoPaths::with_cwd(Some(repo.join("sub")));
        assert_eq!(
            paths.resolve(&finding("dir/.env"), &mut cache),
            rel("sub/dir/.env")
        );
        assert_eq!(
            paths.resolve(&finding("./dir/../dir/.env"), &mut cache),
            rel("sub/dir/.env")
        );
        // An absolute path into the repository, from outside it.
        let paths = RepoPaths::with_cwd(Some(tmp.path().to_path_buf()));
        let abs = repo.join("sub/dir/.env");
        assert_eq!(
            paths.resolve(&finding(&abs.to_string_lossy()), &mut cache),
            rel("sub/dir/.env")
        );
        // No repository: relative to where leakhound ran.
        assert_eq!(
            paths.resolve(&finding("loose.txt"), &mut cache),
            rel("loose.txt")
        );
        // Outside both: absolute.
        let paths = RepoPaths::with_cwd(Some(repo.clone()));
        let got = paths.resolve(&finding(&outside.to_string_lossy()), &mut cache);
        assert_eq!(got, RepoPath::Absolute(outside.canonicalize().unwrap()));
        // A repository path (staged index) from a subdirectory.
        let paths = RepoPaths::with_cwd(Some(repo.join("sub/dir")));
        assert_eq!(
            paths.resolve(&finding("sub/dir/.env"), &mut cache),
            rel("sub/dir/.env")
        );
        // Standard input and unresolved paths are kept.
        assert_eq!(
            paths.resolve(&finding("<stdin>"), &mut cache),
            rel("<stdin>")
        );
        let paths = RepoPaths::with_cwd(None);
        assert_eq!(paths.resolve(&finding("a/b"), &mut cache), rel("a/b"));
    }

    /// A working-tree file whose name is not UTF-8 resolves by its bytes.
    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_resolve_by_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("sub")).unwrap();
        let raw = b"sub/bad\xff.txt";
        std::fs::write(repo.join(std::ffi::OsStr::from_bytes(raw)), "x").unwrap();
        // As a source run in `sub` names it: relative to there.
        let mut f = finding("bad\\xff.txt");
        f.path_bytes = Some(b"bad\xff.txt".to_vec().into());
        let paths = RepoPaths::with_cwd(Some(repo.join("sub")));
        assert_eq!(
            paths.resolve(&f, &mut RootCache::default()),
            RepoPath::Relative(raw.to_vec())
        );
    }
}
