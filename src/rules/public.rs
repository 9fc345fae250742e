//! Known public example values: keys that providers and specifications print
//! in their documentation (AWS's `...EXAMPLE` keys, jwt.io's sample token,
//! the Fernet specification's test-vector key, Stripe's API reference key).
//! They are data, in `rules/public-examples.toml` (`[[public_example]]`
//! tables): each names what it is and where it is published, and recognises
//! values by the SHA-256 of the whole secret (so the list holds none of
//! them), by a suffix convention, or by a JWT's claims.
//!
//! The engine drops such a candidate unless asked to keep them
//! ([`crate::engine::Engine::keep_public_examples`]); a kept one is reported
//! at `info` with the entry's reason. Checks run only on candidates that
//! passed their rule's other filters, never per byte.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One `[[public_example]]` table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PublicExampleSpec {
    /// What the value is, as reports show it (`jwt.io's sample token`).
    pub name: String,
    /// Where it is published (https links).
    #[serde(default)]
    pub docs: Vec<String>,
    /// SHA-256 hex digests of whole secrets.
    #[serde(default)]
    pub sha256: Vec<String>,
    /// Case-sensitive endings that mark a documentation key (`EXAMPLE`).
    #[serde(default)]
    pub suffix: Vec<String>,
    /// Claims (name = JSON value) that a JWT's payload must all hold.
    #[serde(default)]
    pub jwt_claims: serde_json::Map<String, serde_json::Value>,
    /// Rule ids this entry is typical of, for `leakhound explain RULE`.
    #[serde(default)]
    pub rules: Vec<String>,
}

impl PublicExampleSpec {
    /// Checks the entry: a name, https docs, at least one way to recognise
    /// values, and well-formed digests.
    pub fn check(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("a public example needs a name".into());
        }
        if self.docs.is_empty() || self.docs.iter().any(|d| !d.starts_with("https://")) {
            return Err(format!("{}: needs https docs links", self.name));
        }
        if self.sha256.is_empty() && self.suffix.is_empty() && self.jwt_claims.is_empty() {
            return Err(format!("{}: needs sha256, suffix or jwt_claims", self.name));
        }
        if let Some(bad) = self.sha256.iter().find(|h| parse_digest(h).is_none()) {
            return Err(format!(
                "{}: {bad:?} is not a SHA-256 hex digest",
                self.name
            ));
        }
        if let Some(s) = self.suffix.iter().find(|s| s.len() < 4) {
            return Err(format!("{}: suffix {s:?} is too short", self.name));
        }
        Ok(())
    }

    /// The reason a finding of this value shows.
    pub fn reason(&self) -> String {
        match self.docs.first() {
            Some(d) => format!("public example: {} ({d})", self.name),
            None => format!("public example: {}", self.name),
        }
    }
}

/// The loaded entries, indexed for lookups.
#[derive(Debug, Default)]
pub struct PublicExamples {
    entries: Vec<PublicExampleSpec>,
    digests: HashMap<[u8; 32], usize>,
    /// (suffix, entry), longest first.
    suffixes: Vec<(Vec<u8>, usize)>,
    /// Entries with `jwt_claims`.
    jwt: Vec<usize>,
}

impl PublicExamples {
    /// Adds an entry (already [checked](PublicExampleSpec::check)).
    pub fn add(&mut self, spec: PublicExampleSpec) {
        let i = self.entries.len();
        for h in &spec.sha256 {
            if let Some(d) = parse_digest(h) {
                self.digests.entry(d).or_insert(i);
            }
        }
        for s in &spec.suffix {
            self.suffixes.push((s.as_bytes().to_vec(), i));
        }
        self.suffixes
            .sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        if !spec.jwt_claims.is_empty() {
            self.jwt.push(i);
        }
        self.entries.push(spec);
    }

    /// Every entry, in load order.
    pub fn entries(&self) -> &[PublicExampleSpec] {
        &self.entries
    }

    /// The entry whose suffix `secret` ends with, and the secret without it.
    /// A suffix must leave something before it.
    pub fn by_suffix<'a>(&self, secret: &'a [u8]) -> Option<(usize, &'a [u8])> {
        self.suffixes.iter().find_map(|(s, i)| {
            (secret.len() > s.len() && secret.ends_with(s))
                .then(|| (*i, &secret[..secret.len() - s.len()]))
        })
    }

    /// The entry that recognises `secret`: by suffix, digest or JWT claims.
    pub fn find(&self, secret: &[u8]) -> Option<&PublicExampleSpec> {
        if let Some((i, _)) = self.by_suffix(secret) {
            return Some(&self.entries[i]);
        }
        if !self.digests.is_empty() {
            let d: [u8; 32] = Sha256::digest(secret).into();
            if let Some(&i) = self.digests.get(&d) {
                return Some(&self.entries[i]);
            }
        }
        if !self.jwt.is_empty() && secret.starts_with(b"eyJ") {
            let (_, claims) = super::validators::jwt(secret)?;
            return self
                .jwt
                .iter()
                .map(|&i| &self.entries[i])
                .find(|e| e.jwt_claims.iter().all(|(k, v)| claims.get(k) == Some(v)));
        }
        None
    }

    /// Whether `secret` is a known public example.
    pub fn contains(&self, secret: &[u8]) -> bool {
        self.find(secret).is_some()
    }
}

/// The 32 bytes of a 64-digit hex digest.
fn parse_digest(h: &str) -> Option<[u8; 32]> {
    let h = h.as_bytes();
    if h.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in h.chunks(2).enumerate() {
        let s = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

/// SHA-256 hex of `bytes` (for writing entries).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(toml_text: &str) -> PublicExampleSpec {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn recognises_by_digest_suffix_and_claims() {
        let mut p = PublicExamples::default();
        let a = spec(&format!(
            "name = \"a\"\ndocs = [\"https://a\"]\nsha256 = [\"{}\"]",
            sha256_hex(b"Zq81bT0pLmW4vXs7Kd2Rn6Yc")
        ));
        a.check().unwrap();
        p.add(a);
        p.add(spec(
            "name = \"b\"\ndocs = [\"https://b\"]\nsuffix = [\"EXAMPLE\", \"EXAMPLEKEY\"]",
        ));
        p.add(spec(
            "name = \"c\"\ndocs = [\"https://c\"]\njwt_claims = { sub = \"42\", admin = true }",
        ));
        assert_eq!(p.find(b"Zq81bT0pLmW4vXs7Kd2Rn6Yc").unwrap().name, "a");
        assert!(!p.contains(b"Zq81bT0pLmW4vXs7Kd2Rn6Yd"));
        assert_eq!(p.find(b"AKIA1234EXAMPLE").unwrap().name, "b");
        assert_eq!(p.by_suffix(b"q8Zr2LxTEXAMPLEKEY").unwrap().1, b"q8Zr2LxT");
        // Case matters, and the suffix alone is not a key.
        assert!(!p.contains(b"AKIA1234example"));
        assert!(!p.contains(b"EXAMPLE"));
        use base64::Engine as _;
        let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let tok = |claims: &str| {
            format!(
                "{}.{}.c2lnbmF0dXJlc2lnbmF0dXJl",
                enc(r#"{"alg":"HS256"}"#),
                enc(claims)
            )
        };
        assert_eq!(
            p.find(tok(r#"{"sub":"42","admin":true,"iat":1}"#).as_bytes())
                .unwrap()
                .name,
            "c"
        );
        assert!(!p.contains(tok(r#"{"sub":"42","admin":false}"#).as_bytes()));
    }

    #[test]
    fn bad_entries_are_rejected() {
        for bad in [
            "name = \"x\"\ndocs = [\"https://x\"]",
            "name = \"x\"\ndocs = [\"http://x\"]\nsuffix = [\"EXAMPLE\"]",
            "name = \"x\"\ndocs = [\"https://x\"]\nsha256 = [\"abc\"]",
            "name = \"x\"\ndocs = [\"https://x\"]\nsuffix = [\"EX\"]",
        ] {
            assert!(spec(bad).check().is_err(), "{bad}");
        }
    }
}
