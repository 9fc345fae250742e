//! Sources turn what the user named (a directory, standard input, the git
//! index, git history) into buffers for the engine. Parallelism lives here:
//! the engine is shared, each worker owns its scratch.

pub mod fs;
pub mod git;
pub mod stdin;

use std::borrow::Cow;

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

/// What a git source asks of suppression before its findings are final
/// (implemented by [`crate::suppress::Suppressor`]): in a range, a secret
/// that `A` holds only where its suppressions hide it is not "already
/// present" for a new path; in the staged index, a line a rename moves from
/// a path where it was hidden is new at its new path.
pub trait PathSuppression: Sync {
    /// Whether `finding` would be suppressed were it at `path` (repository-relative).
    fn hides_at(&self, finding: &crate::finding::Finding, path: &str) -> bool;
}

/// How many leading bytes are checked for a NUL to call a file binary.
pub const BINARY_PROBE: usize = 8 * 1024;

/// The text to scan in a file's bytes: UTF-16 with a byte-order mark is
/// decoded to UTF-8 (so `.env` files saved by Windows editors are scanned);
/// `None` for binary content.
pub fn text_of(buf: &[u8]) -> Option<Cow<'_, [u8]>> {
    let utf16 = |rest: &[u8], le: bool| {
        let units = rest.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        let text: String = char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        Cow::Owned(text.into_bytes())
    };
    if let Some(rest) = buf.strip_prefix(&[0xFF, 0xFE]) {
        return Some(utf16(rest, true));
    }
    if let Some(rest) = buf.strip_prefix(&[0xFE, 0xFF]) {
        return Some(utf16(rest, false));
    }
    (!is_binary(buf)).then_some(Cow::Borrowed(buf))
}

/// Whether `buf` is binary: a NUL byte in its first 8 KiB.
pub fn is_binary(buf: &[u8]) -> bool {
    memchr::memchr(0, &buf[..buf.len().min(BINARY_PROBE)]).is_some()
}

#[cfg(test)]
mod tests {
    use super::text_of;

    #[test]
    fn utf16_with_bom_is_decoded_and_nul_bytes_are_binary() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("key=abc\n".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(text_of(&le).unwrap().as_ref(), b"key=abc\n");
        let mut be = vec![0xFE, 0xFF];
        be.extend("k\u{e9}y".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(text_of(&be).unwrap().as_ref(), "k\u{e9}y".as_bytes());
        assert!(text_of(b"a\0b").is_none());
        assert_eq!(text_of(b"plain").unwrap().as_ref(), b"plain");
    }
}
