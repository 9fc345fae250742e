//! `leakhound hook install|uninstall`: a native git pre-commit hook that runs
//! `leakhound scan --staged`.
//!
//! The hook goes where git looks for hooks: `core.hooksPath` when set (a
//! relative path is taken from the work tree's root, as git does), else the
//! `hooks` directory of the repository's common git directory (shared by
//! linked worktrees). A marker line identifies a hook leakhound wrote: install
//! replaces only such a hook (or any with `--force`), uninstall removes only
//! such a hook.

use std::io::Write;
use std::path::{Path, PathBuf};

use git2::Repository;

use crate::source::git::{GitError, shown};

/// The line that marks a hook as ours.
pub const MARKER: &str = "# leakhound-managed-hook";

/// Why a hook could not be installed or removed. One line each.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(
        "{0} exists and was not written by leakhound; rerun with --force to replace it, or call `leakhound scan --staged` from it"
    )]
    Foreign(String),
    #[error("{0} was not written by leakhound; left in place")]
    ForeignUninstall(String),
    #[error("{path}: {message}")]
    Io { path: String, message: String },
}

/// What install or uninstall did, for the message to the user.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Installed(PathBuf),
    /// Replaced a hook leakhound did not write (`--force`).
    Replaced(PathBuf),
    /// Our hook was there already; rewritten.
    Updated(PathBuf),
    Removed(PathBuf),
    /// Nothing of ours to remove.
    Absent(PathBuf),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Installed(p) => write!(f, "installed pre-commit hook {}", p.display()),
            Outcome::Replaced(p) => write!(
                f,
                "replaced the existing pre-commit hook {} (--force)",
                p.display()
            ),
            Outcome::Updated(p) => write!(f, "updated pre-commit hook {}", p.display()),
            Outcome::Removed(p) => write!(f, "removed pre-commit hook {}", p.display()),
            Outcome::Absent(p) => write!(f, "no leakhound pre-commit hook at {}", p.display()),
        }
    }
}

/// The directory git runs hooks from for `repo`.
pub fn hooks_dir(repo: &Repository) -> Result<PathBuf, GitError> {
    let config = repo.config()?;
    match config.get_path("core.hooksPath") {
        Ok(p) if p.is_absolute() => Ok(p),
        Ok(p) => {
            let base = repo.workdir().unwrap_or_else(|| repo.path());
            Ok(base.join(p))
        }
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(repo.commondir().join("hooks")),
        Err(e) => Err(e.into()),
    }
}

/// The hook script: runs the binary that installed it, or `leakhound` from
/// `PATH` if that binary has gone.
pub fn script(exe: Option<&Path>) -> String {
    let exe = exe
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|| "leakhound".into());
    let quoted = format!("'{}'", exe.replace('\'', r"'\''"));
    format!(
        "#!/bin/sh\n\
         {MARKER}: written by `leakhound hook install`; `leakhound hook uninstall` removes it.\n\
         # Blocks commits that add secrets. Skip once with `git commit --no-verify`.\n\
         LEAKHOUND={quoted}\n\
         if [ ! -x \"$LEAKHOUND\" ]; then LEAKHOUND=leakhound; fi\n\
         exec \"$LEAKHOUND\" scan --staged\n"
    )
}

/// Whether the hook text is one leakhound wrote.
pub fn is_ours(text: &str) -> bool {
    text.lines().any(|l| l.starts_with(MARKER))
}

/// Installs the pre-commit hook of `repo`.
pub fn install(repo: &Repository, force: bool) -> Result<Outcome, HookError> {
    if repo.is_bare() {
        return Err(GitError::Bare(shown(repo)).into());
    }
    let dir = hooks_dir(repo)?;
    let path = dir.join("pre-commit");
    let io = |e: std::io::Error, p: &Path| HookError::Io {
        path: p.display().to_string(),
        message: e.to_string(),
    };
    let previous = match read_hook(&path) {
        Ok(bytes) => Some(is_ours(&String::from_utf8_lossy(&bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e, &path)),
    };
    if previous == Some(false) && !force {
        return Err(HookError::Foreign(path.display().to_string()));
    }
    std::fs::create_dir_all(&dir).map_err(|e| io(e, &dir))?;
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.canonicalize().ok());
    let text = script(exe.as_deref());
    write_executable(&path, text.as_bytes()).map_err(|e| io(e, &path))?;
    Ok(match previous {
        None => Outcome::Installed(path),
        Some(true) => Outcome::Updated(path),
        Some(false) => Outcome::Replaced(path),
    })
}

/// Removes the pre-commit hook of `repo` if leakhound wrote it.
pub fn uninstall(repo: &Repository) -> Result<Outcome, HookError> {
    let path = hooks_dir(repo)?.join("pre-commit");
    match read_hook(&path) {
        Ok(bytes) if is_ours(&String::from_utf8_lossy(&bytes)) => {
            std::fs::remove_file(&path).map_err(|e| HookError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            Ok(Outcome::Removed(path))
        }
        Ok(_) => Err(HookError::ForeignUninstall(path.display().to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Outcome::Absent(path)),
        Err(e) => Err(HookError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        }),
    }
}

/// The hook file's bytes: a regular file (a link to one is followed) of at
/// most 1 MiB; the repository may hold a FIFO there, which is never opened.
fn read_hook(path: &Path) -> std::io::Result<Vec<u8>> {
    use crate::safe_read::{Links, read_regular};
    read_regular(path, 1 << 20, Links::Follow)
}

/// Writes `bytes` to `path` atomically (temp file + rename), mode 0755.
fn write_executable(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".leakhound-hook-")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o755))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_quotes_the_path_and_carries_the_marker() {
        let s = script(Some(Path::new("/opt/it's here/leakhound")));
        assert!(is_ours(&s));
        assert!(
            s.contains(r"LEAKHOUND='/opt/it'\''s here/leakhound'"),
            "{s}"
        );
        assert!(s.ends_with("exec \"$LEAKHOUND\" scan --staged\n"));
        assert!(!is_ours("#!/bin/sh\nexec other-tool\n"));
    }
}
