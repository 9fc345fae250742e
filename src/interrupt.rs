//! Interrupted runs leave no partial files.
//!
//! Every file leakhound writes goes through [`crate::report::write_atomic`]: a
//! temporary file beside the target, renamed over it when complete. The
//! temporary file is registered here while it exists. On SIGINT or SIGTERM
//! a handler thread (see [`install`]) takes the registry's lock, removes
//! every registered file and exits with 128 + the signal number (130, 143).
//! Renames also happen under the lock ([`finish`]), so a target is either
//! its previous content or the complete new one, never partial, and no
//! temporary file survives.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Temporary files being written now.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner())
}

/// A registered temporary file; dropping it unregisters the path (the file
/// itself belongs to its owner, e.g. a `tempfile::NamedTempFile`).
#[derive(Debug)]
pub struct Registered(PathBuf);

/// Registers a temporary file for removal if the process is interrupted.
pub fn register(path: &Path) -> Registered {
    registry().push(path.to_path_buf());
    Registered(path.to_path_buf())
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut list = registry();
        if let Some(i) = list.iter().position(|p| *p == self.0) {
            list.swap_remove(i);
        }
    }
}

/// Runs `rename` (which turns the registered temporary file into the target)
/// and unregisters it, both under the registry's lock: an interruption
/// cleans up either before the rename or not at all.
pub fn finish<T>(reg: Registered, rename: impl FnOnce() -> T) -> T {
    let mut list = registry();
    let out = rename();
    if let Some(i) = list.iter().position(|p| *p == reg.0) {
        list.swap_remove(i);
    }
    drop(list);
    std::mem::forget(reg);
    out
}

/// Removes every registered temporary file; returns the guard so the caller
/// can exit while holding it (no rename can follow the cleanup).
fn clean() -> MutexGuard<'static, Vec<PathBuf>> {
    clean_matching(|_| true)
}

fn clean_matching(which: impl Fn(&Path) -> bool) -> MutexGuard<'static, Vec<PathBuf>> {
    let mut list = registry();
    list.retain(|p| {
        if which(p) {
            let _ = std::fs::remove_file(p);
            false
        } else {
            true
        }
    });
    list
}

/// Installs the SIGINT/SIGTERM handler (Unix; elsewhere a no-op). Call once,
/// early in `main`. The handler runs on its own thread, not in signal
/// context, so it may take locks and touch the file system.
pub fn install() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
        std::thread::Builder::new()
            .name("leakhound-signals".into())
            .spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    let _held = clean();
                    // `_exit`: no at-exit handlers that could wait on a lock
                    // another thread holds (standard output, say).
                    signal_hook::low_level::exit(128 + sig);
                }
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_files_are_cleaned_and_finished_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.tmp");
        let b = dir.path().join("b.tmp");
        std::fs::write(&a, "partial").unwrap();
        std::fs::write(&b, "done").unwrap();
        let ra = register(&a);
        let rb = register(&b);
        let target = dir.path().join("b.json");
        finish(rb, || std::fs::rename(&b, &target)).unwrap();
        // Only this test's files: other tests may be writing their own.
        drop(clean_matching(|p| p.starts_with(dir.path())));
        assert!(!a.exists(), "an in-flight file is removed");
        assert!(target.exists(), "a finished file is kept");
        drop(ra);
        assert!(!registry().contains(&a));
    }
}
