//! A finding: what reports print and what suppression matches on.
//!
//! A finding's identity is its content: (path, rule, SHA-1 of the secret).
//! Line and column are data, never part of equality, so moving code does not
//! change a fingerprint and a new secret on the same line gets a new one.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;
use sha1::{Digest, Sha1};

use crate::rules::Severity;

/// The commit that introduced a secret (history scans).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitInfo {
    /// Full hex object id.
    pub id: String,
    pub author_name: String,
    pub author_email: String,
    /// Author date, RFC 3339.
    pub date: String,
    /// First line of the message.
    pub summary: String,
}

/// One place a history finding's content occupies: a path in a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appearance {
    /// Repository-relative path.
    pub path: ScanPath,
    /// The commit where the content first appeared at this path.
    pub commit: Option<Arc<CommitInfo>>,
    /// The commit's position in the scan's walk order (parents first).
    pub order: u32,
}

/// One reported secret.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule_id: String,
    pub rule_name: String,
    pub severity: Severity,
    /// Path as reported: relative to the scan root or repository root. A
    /// name that is not UTF-8 is shown escaped (`bad\xff.txt`, see
    /// [`crate::report::escape::bytes`]) and keeps its bytes in `path_bytes`.
    pub path: String,
    /// The path's raw bytes, only when they are not UTF-8 (else `path` is
    /// exact). Fingerprints, deduplication and URIs use these.
    pub path_bytes: Option<Arc<[u8]>>,
    /// 1-based line and column of the secret's first character.
    pub line: usize,
    pub column: usize,
    /// 1-based line and column just past the secret's last character.
    pub end_line: usize,
    pub end_column: usize,
    /// The raw secret (lossy UTF-8). Reports print it only with `--no-redact`.
    pub secret: String,
    /// SHA-1 hex of the secret's bytes (detect-secrets' `hashed_secret`).
    pub secret_sha1: String,
    /// Where a history finding came in.
    pub commit: Option<Arc<CommitInfo>>,
    /// Blob id for history findings.
    pub blob: Option<String>,
    /// Structural facts read offline from the secret, as (key, value):
    /// `alg=HS256`, `aws_account=...`, `mode=live`. Never the secret itself.
    /// See [`crate::rules::details`].
    pub details: Vec<(String, String)>,
    /// Why the finding's severity is below its rule's, when a known context
    /// says the value is public or not secret (a documentation example, a
    /// browser key in front-end config). Reports show it.
    pub reason: Option<String>,
    /// History findings: every path (and commit) where the finding's content
    /// appears in the scanned commits, its own first, then the others in walk
    /// order (a renamed or copied blob). Suppression reports the finding at
    /// the first of them where it is not suppressed, then clears the list.
    /// Empty for other sources.
    pub appearances: Vec<Appearance>,
}

impl Finding {
    /// Stable identity: SHA-1 over rule id, the path's bytes and the
    /// secret's SHA-1.
    pub fn fingerprint(&self) -> String {
        fingerprint_bytes(&self.rule_id, self.raw_path(), &self.secret_sha1)
    }

    /// The path's exact bytes.
    pub fn raw_path(&self) -> &[u8] {
        self.path_bytes.as_deref().unwrap_or(self.path.as_bytes())
    }

    /// The path as a terminal or log may show it: control characters,
    /// backslashes and bytes that are not UTF-8 escaped
    /// ([`crate::report::escape::bytes`]).
    pub fn shown_path(&self) -> Cow<'_, str> {
        crate::report::escape::bytes(self.raw_path())
    }

    /// Sets the path (text and, when not UTF-8, bytes) from `p`.
    pub fn set_path(&mut self, p: &(impl AsScanPath + ?Sized)) {
        self.path = p.text().to_string();
        self.path_bytes = p.non_utf8().cloned();
    }

    /// The details as one line: `alg=HS256, exp=... (expired)`.
    pub fn details_line(&self) -> String {
        self.details
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The secret as reports show it: redacted unless `reveal`.
    pub fn shown_secret(&self, reveal: bool) -> String {
        if reveal {
            self.secret.clone()
        } else {
            redact(&self.secret)
        }
    }
}

/// SHA-1 hex of `bytes`.
pub fn sha1_hex(bytes: &[u8]) -> String {
    let digest = Sha1::digest(bytes);
    let mut s = String::with_capacity(40);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The stable fingerprint of (rule, path, secret hash).
pub fn fingerprint(rule_id: &str, path: &str, secret_sha1: &str) -> String {
    fingerprint_bytes(rule_id, path.as_bytes(), secret_sha1)
}

/// [`fingerprint`] of a path given as bytes (a name that is not UTF-8).
pub fn fingerprint_bytes(rule_id: &str, path: &[u8], secret_sha1: &str) -> String {
    let mut buf = Vec::with_capacity(rule_id.len() + path.len() + secret_sha1.len() + 2);
    buf.extend_from_slice(rule_id.as_bytes());
    buf.push(0);
    buf.extend_from_slice(path);
    buf.push(0);
    buf.extend_from_slice(secret_sha1.as_bytes());
    sha1_hex(&buf)
}

/// A scanned file's path as a source names it: text, plus the raw bytes when
/// they are not UTF-8, so that a reported path names the file that exists
/// and two names never collide. Equality, order and hashing are by the raw
/// bytes.
#[derive(Debug, Clone, Default)]
pub struct ScanPath {
    text: String,
    raw: Option<Arc<[u8]>>,
}

impl ScanPath {
    /// The path of raw bytes: the text is exact when they are UTF-8, else
    /// escaped ([`crate::report::escape::bytes`]: `bad\xff.txt`).
    pub fn from_bytes(raw: &[u8]) -> ScanPath {
        match std::str::from_utf8(raw) {
            Ok(s) => ScanPath::from(s),
            Err(_) => ScanPath {
                text: crate::report::escape::bytes(raw).into_owned(),
                raw: Some(raw.into()),
            },
        }
    }

    /// `self/name` (just `name` when `self` is empty), for building
    /// repository paths from tree entry names.
    pub fn join(&self, name: &[u8]) -> ScanPath {
        if self.text.is_empty() {
            return ScanPath::from_bytes(name);
        }
        match (&self.raw, std::str::from_utf8(name)) {
            (None, Ok(name)) => ScanPath::from(format!("{}/{name}", self.text)),
            _ => {
                let mut raw = self.raw().to_vec();
                raw.push(b'/');
                raw.extend_from_slice(name);
                ScanPath::from_bytes(&raw)
            }
        }
    }

    /// The path as text (escaped when not UTF-8).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The exact bytes.
    pub fn raw(&self) -> &[u8] {
        self.raw.as_deref().unwrap_or(self.text.as_bytes())
    }

    /// The path for the file system.
    pub fn to_path(&self) -> std::borrow::Cow<'_, std::path::Path> {
        path_of_bytes(self.raw())
    }
}

/// Raw path bytes as a file-system path (exact on Unix; elsewhere bytes
/// that are not UTF-8 are replaced).
pub fn path_of_bytes(raw: &[u8]) -> Cow<'_, std::path::Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Cow::Borrowed(std::path::Path::new(std::ffi::OsStr::from_bytes(raw)))
    }
    #[cfg(not(unix))]
    match String::from_utf8_lossy(raw) {
        Cow::Borrowed(s) => Cow::Borrowed(std::path::Path::new(s)),
        Cow::Owned(s) => Cow::Owned(std::path::PathBuf::from(s)),
    }
}

impl From<&str> for ScanPath {
    fn from(s: &str) -> ScanPath {
        ScanPath {
            text: s.to_string(),
            raw: None,
        }
    }
}

impl From<String> for ScanPath {
    fn from(text: String) -> ScanPath {
        ScanPath { text, raw: None }
    }
}

impl std::ops::Deref for ScanPath {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for ScanPath {
    /// The text, with control characters escaped: safe in any message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::report::escape::bytes(self.raw()))
    }
}

impl PartialEq for ScanPath {
    fn eq(&self, other: &ScanPath) -> bool {
        self.raw() == other.raw()
    }
}

impl Eq for ScanPath {}

impl std::hash::Hash for ScanPath {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.raw().hash(h);
    }
}

impl PartialOrd for ScanPath {
    fn partial_cmp(&self, other: &ScanPath) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ScanPath {
    fn cmp(&self, other: &ScanPath) -> std::cmp::Ordering {
        self.raw().cmp(other.raw())
    }
}

/// What the scan functions ([`crate::scan`]) accept as a file's path: plain
/// text, or a [`ScanPath`] that keeps bytes that are not UTF-8.
pub trait AsScanPath {
    /// The path as findings show it.
    fn text(&self) -> &str;
    /// The raw bytes, when they are not UTF-8.
    fn non_utf8(&self) -> Option<&Arc<[u8]>> {
        None
    }
}

impl AsScanPath for str {
    fn text(&self) -> &str {
        self
    }
}

impl AsScanPath for String {
    fn text(&self) -> &str {
        self
    }
}

impl AsScanPath for Arc<str> {
    fn text(&self) -> &str {
        self
    }
}

impl AsScanPath for ScanPath {
    fn text(&self) -> &str {
        &self.text
    }
    fn non_utf8(&self) -> Option<&Arc<[u8]>> {
        self.raw.as_ref()
    }
}

/// Redacts a secret: keeps a short prefix (at most a quarter of it, at most
/// 8 characters, none for short secrets), so that a reader can tell which key
/// it is without learning it, then `*****`.
pub fn redact(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let keep = if chars.len() >= 16 {
        (chars.len() / 4).min(8)
    } else {
        0
    };
    let mut out: String = chars[..keep]
        .iter()
        .map(|&c| if c.is_control() { ' ' } else { c })
        .collect();
    out.push_str("*****");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_little() {
        assert_eq!(redact("short"), "*****");
        let stripe = format!("sk_{}_Zq81bT0pLmW4vXs7Kd2Rn6Yc", "live");
        assert_eq!(redact(&stripe), "sk_live_*****");
        assert_eq!(redact(&format!("AKIA{}", "Q2XJ7LWN3PZRT5KM")), "AKIAQ*****");
        assert_eq!(sha1_hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    }

    #[test]
    fn scan_paths_keep_bytes_that_are_not_utf8() {
        let p = ScanPath::from_bytes(b"dir/bad\xff.txt");
        assert_eq!(p.as_str(), "dir/bad\\xff.txt");
        assert_eq!(p.raw(), b"dir/bad\xff.txt");
        let root = ScanPath::default();
        let q = root.join(b"dir").join(b"bad\xff.txt");
        assert_eq!(q, p);
        assert_eq!(q.as_str(), p.as_str());
        let literal = root.join(b"dir").join(b"bad\\xff.txt");
        assert_eq!(literal.as_str(), "dir/bad\\xff.txt");
        assert_eq!(literal.raw(), literal.as_str().as_bytes());
        assert_ne!(literal, p, "a literal backslash name is another file");
        // Below a directory that is not UTF-8, names keep their bytes too.
        let under = ScanPath::from_bytes(b"d\xfe").join(b"a\\b");
        assert_eq!(under.raw(), b"d\xfe/a\\b");
        assert_eq!(under.as_str(), "d\\xfe/a\\\\b");
        assert_eq!(
            fingerprint("r", "a", "h"),
            fingerprint_bytes("r", b"a", "h")
        );
    }
}
