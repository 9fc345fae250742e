//! What is checked before a repository is handed to libgit2.
//!
//! libgit2 opens the files of a git directory with a plain `open(2)` and
//! reads what `stat` promised: a FIFO where it expects a file blocks it
//! forever (the config, a loose or packed ref, a pack index, the
//! alternates, a loose object, the commit-graph, the multi-pack-index,
//! `shallow`, `info/grafts`: each was tried). So before libgit2 sees a
//! repository, every file of those kinds is checked to be a regular file
//! (through links, as libgit2 follows them), without opening any: the
//! config and what it includes, `commondir`, `HEAD`, `packed-refs`,
//! `shallow`, `info/grafts`, every loose ref, and in each object directory
//! (with its alternates, followed as libgit2 does) `info/alternates`,
//! `info/commit-graph`, the pack directory's files and every loose object.
//! One that is not regular stops the scan with one line, naming it.
//!
//! Cost: a `stat` per named file and a directory listing per ref directory
//! and, for history scans, per loose-object directory (256 of them); file
//! types come from the listing itself, so a loose object costs nothing more.
//! The staged scan, the pre-commit hook's hot path, does not list loose
//! objects: it checks each object before it reads it ([`LooseObjects`]),
//! and lists them all only before libgit2's full diff, which reads many.

use std::path::{Path, PathBuf};

use super::GitError;
use crate::safe_read::{Links, check_regular, kind};

/// Alternates followed this deep, as libgit2 does.
const MAX_ALTERNATE_DEPTH: usize = 5;
/// Config includes followed this deep, as git does.
const MAX_INCLUDE_DEPTH: usize = 10;
/// Ref directories nested this deep are not listed further.
const MAX_REF_DEPTH: usize = 64;

fn hostile(path: &Path, why: impl std::fmt::Display) -> GitError {
    GitError::Hostile(format!("{}: {why}", path.display()))
}

/// Checks one file libgit2 may open: absent or a regular file.
fn file(path: &Path) -> Result<(), GitError> {
    match check_regular(path, Links::Follow) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => Err(hostile(path, e)),
        // Unreadable for another reason: libgit2 will say so itself.
        Err(_) => Ok(()),
    }
}

/// Checks the entries of `dir` (not recursing unless `depth` allows):
/// every non-directory must be a regular file.
fn dir_files(dir: &Path, depth: usize) -> Result<(), GitError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let Ok(t) = entry.file_type() else { continue };
        if t.is_file() {
            continue;
        }
        let path = entry.path();
        if t.is_dir() {
            if depth > 0 {
                dir_files(&path, depth - 1)?;
            }
            continue;
        }
        if t.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => continue,
                Ok(m) if m.is_dir() && depth > 0 => {
                    dir_files(&path, depth - 1)?;
                    continue;
                }
                Ok(m) if m.is_dir() => continue,
                Ok(m) => {
                    return Err(hostile(
                        &path,
                        format!("a link to {}", kind(&m.file_type())),
                    ));
                }
                Err(_) => continue, // dangling: libgit2 cannot open it either
            }
        }
        return Err(hostile(&path, format!("not a regular file ({})", kind(&t))));
    }
    Ok(())
}

/// The per-worktree and common git directories of the repository at (or
/// above) `start`, or named by `GIT_DIR` when `start` is `None`, as far as
/// they can be found without libgit2; `None` when none is found (libgit2
/// will then find none either, or finds it by means checked after opening).
fn find_git_dir(start: Option<&Path>) -> Result<Option<PathBuf>, GitError> {
    if start.is_none()
        && let Some(d) = std::env::var_os("GIT_DIR").filter(|d| !d.is_empty())
    {
        return Ok(Some(PathBuf::from(d)));
    }
    let start = match start {
        Some(p) => p.to_path_buf(),
        None => match std::env::current_dir() {
            Ok(d) => d,
            Err(_) => return Ok(None),
        },
    };
    let Ok(start) = start.canonicalize() else {
        return Ok(None);
    };
    for dir in start.ancestors() {
        let dot = dir.join(".git");
        if std::fs::symlink_metadata(&dot).is_ok() {
            // A `.git` file (worktrees, submodules) is read to find the
            // git directory, by libgit2 too.
            if !std::fs::metadata(&dot).is_ok_and(|m| m.is_dir()) {
                file(&dot)?;
            }
            return Ok(super::index::git_dirs(&dot).ok().map(|(g, _)| g));
        }
        // A bare repository, or a git directory named directly.
        if dir.join("HEAD").is_file() && dir.join("objects").is_dir() {
            return Ok(Some(dir.to_path_buf()));
        }
    }
    Ok(None)
}

/// Before libgit2 opens the repository of `start`: what opening reads (a
/// `.git` file, the config and the files it includes, `commondir`, `HEAD`,
/// `shallow`, `info/grafts`).
pub fn before_open(start: Option<&Path>) -> Result<(), GitError> {
    let Some(git_dir) = find_git_dir(start)? else {
        return Ok(());
    };
    for name in ["commondir", "HEAD", "config", "config.worktree", "gitdir"] {
        file(&git_dir.join(name))?;
    }
    config(&git_dir.join("config"), 0)?;
    if let Ok((_, common)) = super::index::git_dirs_of(&git_dir) {
        // Opening also reads the grafts and the shallow list.
        for name in ["config", "shallow", "info/grafts"] {
            file(&common.join(name))?;
        }
        config(&common.join("config"), 0)?;
    }
    Ok(())
}

/// A config file's `[include]` and `[includeIf]` paths, checked (and their
/// own includes).
fn config(path: &Path, depth: usize) -> Result<(), GitError> {
    if depth > MAX_INCLUDE_DEPTH {
        return Ok(());
    }
    let Ok(text) = crate::safe_read::read_regular(path, 16 << 20, Links::Follow) else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(&text);
    let mut include = false;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix('[') {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
                .collect::<String>()
                .to_ascii_lowercase();
            include = name == "include" || name == "includeif";
            continue;
        }
        if !include {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if !key.trim().eq_ignore_ascii_case("path") {
            continue;
        }
        let value = value.trim().trim_matches('"');
        if value.is_empty() {
            continue;
        }
        let target = match value.strip_prefix("~/") {
            Some(rest) => match std::env::var_os("HOME") {
                Some(home) => PathBuf::from(home).join(rest),
                None => continue,
            },
            None => path.parent().unwrap_or(Path::new(".")).join(value),
        };
        file(&target)?;
        config(&target, depth + 1)?;
    }
    Ok(())
}

/// After libgit2 opened `repo`, before it reads refs or objects: the files
/// it opens for them (see the module documentation). Loose objects are
/// listed only with `loose_objects`: the staged scan, which reads a handful
/// of objects, checks each before reading it instead ([`LooseObjects`]),
/// and lists them all ([`all_loose_objects`]) only before libgit2's full
/// diff.
pub fn after_open(git_dir: &Path, common: &Path, loose_objects: bool) -> Result<(), GitError> {
    let mut dirs = vec![git_dir.to_path_buf()];
    if common != git_dir {
        dirs.push(common.to_path_buf());
    }
    for d in &dirs {
        for name in ["HEAD", "packed-refs", "shallow", "info/grafts"] {
            file(&d.join(name))?;
        }
        dir_files(&d.join("refs"), MAX_REF_DEPTH)?;
    }
    for dir in object_dirs(common) {
        object_dir(&dir)?;
        if loose_objects {
            loose_dir(&dir)?;
        }
    }
    Ok(())
}

/// The object directories of the repository whose common git directory is
/// `common`: its own, then its alternates (theirs too, boundedly).
fn object_dirs(common: &Path) -> Vec<PathBuf> {
    let mut objects = vec![common.join("objects")];
    let mut i = 0;
    while i < objects.len() {
        let dir = objects[i].clone();
        i += 1;
        if objects.len() <= MAX_ALTERNATE_DEPTH * 4 {
            objects.extend(super::pack_order::alternates(&dir));
        }
    }
    objects
}

/// Every loose object of the repository (and its alternates) is a regular
/// file.
pub fn all_loose_objects(common: &Path) -> Result<(), GitError> {
    object_dirs(common).iter().try_for_each(|d| loose_dir(d))
}

/// Checks single loose objects before they are read: for a scan that reads
/// a few objects of a repository that may hold many.
pub struct LooseObjects {
    dirs: Vec<PathBuf>,
}

impl LooseObjects {
    /// For the repository whose common git directory is `common`.
    pub fn new(common: &Path) -> LooseObjects {
        LooseObjects {
            dirs: object_dirs(common),
        }
    }

    /// Whether object `id`, where it is stored loose, is a regular file (a
    /// `stat` per object directory; nothing is opened).
    pub fn check(&self, id: git2::Oid) -> Result<(), GitError> {
        let hex = id.to_string();
        for d in &self.dirs {
            file(&d.join(&hex[..2]).join(&hex[2..]))?;
        }
        Ok(())
    }
}

/// One object directory: its info files and pack directory.
fn object_dir(dir: &Path) -> Result<(), GitError> {
    for name in [
        "info/alternates",
        "info/commit-graph",
        "info/commit-graph-chain",
        "pack/multi-pack-index",
    ] {
        file(&dir.join(name))?;
    }
    dir_files(&dir.join("info").join("commit-graphs"), 0)?;
    dir_files(&dir.join("pack"), 0)
}

/// The loose objects of one object directory (`xx/yyyy...`).
fn loose_dir(dir: &Path) -> Result<(), GitError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.as_encoded_bytes();
        if name.len() == 2 && name.iter().all(u8::is_ascii_hexdigit) {
            let path = entry.path();
            let is_dir = match entry.file_type() {
                Ok(t) if t.is_symlink() => std::fs::metadata(&path).is_ok_and(|m| m.is_dir()),
                Ok(t) => t.is_dir(),
                Err(_) => false,
            };
            if is_dir {
                dir_files(&path, 0)?;
            }
        }
    }
    Ok(())
}
