//! A finding: what reports print and what suppression matches on.
//!
//! A finding's identity is its content: (path, rule, SHA-1 of the secret).
//! Line and column are data, never part of equality, so moving code does not
//! change a fingerprint and a new secret on the same line gets a new one.

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
    pub path: String,
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
    /// Path as reported: relative to the scan root or repository root.
    pub path: String,
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
    /// History findings: every path (and commit) where the finding's content
    /// appears in the scanned commits, its own first, then the others in walk
    /// order (a renamed or copied blob). Suppression reports the finding at
    /// the first of them where it is not suppressed, then clears the list.
    /// Empty for other sources.
    pub appearances: Vec<Appearance>,
}

impl Finding {
    /// Stable identity: SHA-1 over rule id, path and the secret's SHA-1.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.rule_id, &self.path, &self.secret_sha1)
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
    sha1_hex(format!("{rule_id}\0{path}\0{secret_sha1}").as_bytes())
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
}
