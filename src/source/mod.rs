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
    /// What the source could not cover, beyond single paths (a repository
    /// whose tracked files could not be listed): printed as warnings and
    /// reported as notes; `--strict` then exits 2.
    #[serde(skip)]
    pub incomplete: Vec<String>,
    /// What the source did differently from the usual, scanning more rather
    /// than less (an ignore file that is a FIFO, not read): printed as notes
    /// on stderr and in reports; `--strict` does not fail for them.
    #[serde(skip)]
    pub notes: Vec<String>,
    /// Files or blobs whose findings the engine's per-buffer caps cut.
    pub capped: Vec<crate::scan::Capped>,
}

impl Stats {
    /// Adds another worker's counts to these.
    pub fn merge(&mut self, other: Stats) {
        self.files += other.files;
        self.bytes += other.bytes;
        self.skipped_binary += other.skipped_binary;
        self.skipped_large += other.skipped_large;
        self.errors.extend(other.errors);
        self.incomplete.extend(other.incomplete);
        self.notes.extend(other.notes);
        self.capped.extend(other.capped);
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
///
/// A byte-order mark is only a claim: the bytes after it are decoded as
/// UTF-16 where they look like it, and kept as they are where they do not
/// (see [`decode_utf16_where_valid`]), so that `\xff\xfe` before ASCII lines
/// cannot hide them.
pub fn text_of(buf: &[u8]) -> Option<Cow<'_, [u8]>> {
    if let Some(rest) = buf.strip_prefix(&[0xFF, 0xFE]) {
        return Some(Cow::Owned(decode_utf16_where_valid(rest, true)));
    }
    if let Some(rest) = buf.strip_prefix(&[0xFE, 0xFF]) {
        return Some(Cow::Owned(decode_utf16_where_valid(rest, false)));
    }
    (!is_binary(buf)).then_some(Cow::Borrowed(buf))
}

/// Code units in a row without a zero byte from which the bytes are not
/// UTF-16 text: text in UTF-16 that holds a secret is mostly ASCII, one zero
/// byte per character, while ASCII bytes read as UTF-16 hold none. (A run of
/// non-Latin characters this long is kept as bytes too: nothing is lost, as
/// a secret among them is ASCII, and decoded.)
const NOT_UTF16_RUN: usize = 8;

/// Decodes `rest` (after a byte-order mark) as UTF-16 (little-endian when
/// `le`), except stretches of [`NOT_UTF16_RUN`] or more code units that hold
/// no zero byte, which are copied as bytes; an unpaired surrogate becomes
/// U+FFFD. Line breaks of either kind are kept, so line numbers hold.
pub fn decode_utf16_where_valid(rest: &[u8], le: bool) -> Vec<u8> {
    let units: Vec<u16> = rest
        .chunks_exact(2)
        .map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        })
        .collect();
    let zero_byte = |u: u16| u & 0xFF == 0 || u >> 8 == 0;
    let mut out = Vec::with_capacity(rest.len());
    let mut i = 0;
    while i < units.len() {
        let run = units[i..].iter().take_while(|&&u| !zero_byte(u)).count();
        if run >= NOT_UTF16_RUN {
            out.extend_from_slice(&rest[2 * i..2 * (i + run)]);
            i += run;
            continue;
        }
        // A stretch that is UTF-16: up to the next long zero-free run.
        let mut j = i + run;
        while j < units.len() {
            let next = units[j..].iter().take_while(|&&u| !zero_byte(u)).count();
            if next >= NOT_UTF16_RUN {
                break;
            }
            j += next.max(1);
        }
        let text: String = char::decode_utf16(units[i..j].iter().copied())
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        out.extend_from_slice(text.as_bytes());
        i = j;
    }
    // An odd trailing byte is kept.
    if rest.len() % 2 == 1 {
        out.push(rest[rest.len() - 1]);
    }
    out
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

    #[test]
    fn a_byte_order_mark_before_bytes_that_are_not_utf16_does_not_hide_them() {
        let ascii = b"password = \"hunter2hunter2\"\nkey=abc\n";
        let mut fake = vec![0xFF, 0xFE];
        fake.extend_from_slice(ascii);
        assert_eq!(text_of(&fake).unwrap().as_ref(), ascii);
        // UTF-16 text, then ASCII bytes: each part as it is.
        let mut mixed = vec![0xFE, 0xFF];
        mixed.extend("a=1\n".encode_utf16().flat_map(u16::to_be_bytes));
        mixed.extend_from_slice(ascii);
        let mut want = b"a=1\n".to_vec();
        want.extend_from_slice(ascii);
        assert_eq!(text_of(&mixed).unwrap().as_ref(), &want[..]);
        // Short runs of non-Latin characters are decoded; long ones kept.
        let mut cjk = vec![0xFF, 0xFE];
        cjk.extend(
            "k=\u{4e2d}\u{6587}\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        assert_eq!(
            text_of(&cjk).unwrap().as_ref(),
            "k=\u{4e2d}\u{6587}\n".as_bytes()
        );
    }
}
