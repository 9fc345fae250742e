//! Sources turn what the user named (a directory, standard input, the git
//! index, git history) into buffers for the engine. Parallelism lives here:
//! the engine is shared, each worker owns its scratch.

pub mod fs;
pub mod git;
pub mod stdin;

use serde::Serialize;

/// What a source read, skipped and failed on.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Stats {
    /// Files (or blobs) scanned.
    pub files: u64,
    /// Bytes scanned.
    pub bytes: u64,
    /// Files skipped as binary (a NUL byte in the first 8 KiB).
    pub skipped_binary: u64,
    /// Files skipped as larger than `--max-file-size`.
    pub skipped_large: u64,
    /// Paths that could not be read, with the reason.
    pub errors: Vec<String>,
}

impl Stats {
    /// Adds another worker's counts to these.
    pub fn merge(&mut self, other: Stats) {
        self.files += other.files;
        self.bytes += other.bytes;
        self.skipped_binary += other.skipped_binary;
        self.skipped_large += other.skipped_large;
        self.errors.extend(other.errors);
    }
}

/// How many leading bytes are checked for a NUL to call a file binary.
pub const BINARY_PROBE: usize = 8 * 1024;

/// Whether `buf` is binary: a NUL byte in its first 8 KiB.
pub fn is_binary(buf: &[u8]) -> bool {
    memchr::memchr(0, &buf[..buf.len().min(BINARY_PROBE)]).is_some()
}
