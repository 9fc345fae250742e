//! Git sources, in-process on libgit2 (no `git` subprocess): the staged
//! index for pre-commit hooks ([`staged`]) and the full history ([`history`]).
//!
//! Both yield findings through [`crate::scan::buffer_findings`], like every
//! other source. Errors are typed ([`GitError`]) and print as one line.

pub mod history;
pub mod index;
pub mod index_fast;
pub mod pack_order;
pub(crate) mod preflight;
pub mod staged;
pub mod tracked;

use std::path::Path;

use git2::{ErrorClass, ErrorCode, Oid, Repository};

/// Why a git source could not run. Every variant prints as one line.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// No repository at (or above) the path.
    #[error("not a git repository (or any parent directory): {0}")]
    NotARepo(String),
    /// `--staged` in a repository without a work tree.
    #[error("{0} is a bare repository: it has no index to scan with --staged")]
    Bare(String),
    /// A revision, branch or range that does not name a commit.
    #[error("revision {rev:?} does not resolve: {message}")]
    BadRevision { rev: String, message: String },
    /// A commit or tree that cannot be read: the walk cannot go on.
    #[error("unreadable git object {id}: {message}")]
    Object { id: String, message: String },
    /// An index (or another file of the repository) that is not read: not a
    /// regular file, malformed, or built to exhaust a reader.
    #[error("cannot read the index: {0}")]
    Index(super::git::index::IndexError),
    /// A file of the repository that libgit2 would open, but that is not a
    /// regular file (a FIFO blocks whoever opens it; `/dev/zero` never
    /// ends): the repository is not handed to libgit2.
    #[error("{0}; the repository is not read (libgit2 would block on it or read it without end)")]
    Hostile(String),
    /// Any other libgit2 failure.
    #[error("git: {0}")]
    Git(String),
}

impl From<git2::Error> for GitError {
    fn from(e: git2::Error) -> Self {
        // A truncated pack or a lost object surfaces as a bare "object not
        // found" from deep inside libgit2: say what it means.
        let hint = if matches!(e.class(), ErrorClass::Odb | ErrorClass::Zlib) {
            " (the object database is damaged or incomplete: see `git fsck`)"
        } else {
            ""
        };
        GitError::Git(format!("{}{hint}", one_line(e.message())))
    }
}

impl GitError {
    /// An unreadable object.
    pub(crate) fn object(id: Oid, e: &git2::Error) -> GitError {
        GitError::Object {
            id: id.to_string(),
            message: one_line(e.message()),
        }
    }

    /// A revision that did not resolve.
    pub(crate) fn revision(rev: &str, e: &git2::Error) -> GitError {
        GitError::BadRevision {
            rev: rev.to_string(),
            message: one_line(e.message()),
        }
    }
}

/// Opens the repository that holds `path`, searching parent directories, or
/// the one git's environment names (`GIT_DIR`, `GIT_INDEX_FILE`, ... as set
/// inside a hook) when `path` is `None`. Works in linked worktrees and in
/// repositories owned by another user. A repository with a FIFO or a device
/// where libgit2 would open a file is refused ([`preflight`]).
pub fn open(path: Option<&Path>) -> Result<Repository, GitError> {
    open_checked(path, true)
}

fn open_checked(path: Option<&Path>, loose_objects: bool) -> Result<Repository, GitError> {
    static EXTENSIONS: std::sync::Once = std::sync::Once::new();
    EXTENSIONS.call_once(|| {
        // Partial clones (`git clone --filter`) set `extensions.partialClone`,
        // which libgit2 refuses unless told it is understood. It is: objects
        // the clone lacks are reported as unreadable, never fetched.
        // SAFETY: a process-global libgit2 setting, made once, before this
        // process opens any repository or starts any thread that uses libgit2.
        let _ = unsafe { git2::opts::set_extensions(&["partialclone"]) };
        // A repository owned by another user (a container's volume mount)
        // is read like any other: the ownership check (git's
        // safe.directory) guards against running what its config names,
        // and leakhound runs nothing.
        // SAFETY: as above.
        let _ = unsafe { git2::opts::set_verify_owner_validation(false) };
    });
    preflight::before_open(path)?;
    let opened = match path {
        Some(p) => Repository::discover(p),
        None => Repository::open_from_env(),
    };
    let repo = opened.map_err(|e| {
        let shown = match path {
            Some(p) => p.display().to_string(),
            None => std::env::current_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|_| ".".into()),
        };
        // "unsupported extension" or "unsupported repository version" is a
        // repository we cannot read, not a missing one.
        let unsupported = e.message().contains("unsupported");
        if e.code() == ErrorCode::NotFound || (e.class() == ErrorClass::Repository && !unsupported)
        {
            GitError::NotARepo(shown)
        } else {
            GitError::Git(format!("{shown}: {}", one_line(e.message())))
        }
    })?;
    preflight::after_open(repo.path(), repo.commondir(), loose_objects)?;
    Ok(repo)
}

/// [`open`] for the staged scan, which checks the loose objects it reads
/// one by one ([`preflight::LooseObjects`]) rather than listing them all.
pub fn open_staged(path: Option<&Path>) -> Result<Repository, GitError> {
    open_checked(path, false)
}

/// A repository's display name for messages: its work tree, else its git dir.
pub(crate) fn shown(repo: &Repository) -> String {
    repo.workdir()
        .unwrap_or_else(|| repo.path())
        .display()
        .to_string()
}

/// Git file modes, as in tree entries.
pub(crate) mod mode {
    /// Mask of the object-type bits.
    pub const TYPE_MASK: i32 = 0o170000;
    pub const TREE: i32 = 0o040000;
    /// Regular file (0o100644 or 0o100755).
    pub const FILE: i32 = 0o100000;
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
