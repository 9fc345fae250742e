//! Structural details of a finding, read offline from the secret itself: a
//! JWT's header and registered claims, a Fernet token's timestamp, the AWS
//! account an access key id belongs to, a Stripe key's mode, what a private
//! key block holds. Reports show them so the owner knows what to rotate; a
//! few of them lower the finding's severity (an expired JWT, a PEM block that
//! does not parse as a key).
//!
//! Computed only for findings (never for every candidate), so their cost does
//! not touch the engine's hot path. Details never hold the secret, key bytes
//! or a signature: only names, types, sizes, times and public identifiers.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

use super::Severity;
use super::validators::{self, Validator};

/// What [`inspect`] learnt about one secret.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    /// Facts as (key, value), in the order reports show them.
    pub facts: Vec<(String, String)>,
    /// The most severe level the finding deserves, when the structure says
    /// it is less dangerous than its rule assumes.
    pub severity_cap: Option<Severity>,
}

impl Details {
    fn fact(&mut self, key: &str, value: impl Into<String>) {
        self.facts.push((key.to_string(), value.into()));
    }

    fn cap(&mut self, s: Severity) {
        self.severity_cap = Some(self.severity_cap.map_or(s, |c| c.min(s)));
    }

    /// `severity` lowered to the cap, if any.
    pub fn severity(&self, severity: Severity) -> Severity {
        self.severity_cap.map_or(severity, |c| severity.min(c))
    }
}

/// Details of `secret` (found inside `whole`, the regex match), read by the
/// rule's validator where it names one, else recognised by the secret's
/// documented shape (AWS key ids, Stripe keys). `now` is Unix seconds, for
/// expiry checks.
pub fn inspect(validator: Option<Validator>, secret: &[u8], whole: &[u8], now: i64) -> Details {
    let mut d = Details::default();
    match validator {
        Some(Validator::Jwt) => jwt(&mut d, secret, now),
        Some(Validator::FernetKey) if validators::fernet_key(secret) => {
            d.fact("decoded", "32 bytes (16-byte HMAC key + 16-byte AES key)");
        }
        Some(Validator::FernetToken) => fernet_token(&mut d, secret),
        Some(Validator::PrivateKey) => private_key(&mut d, whole),
        _ => {}
    }
    if d.facts.is_empty() {
        if let Some(id) = aws_key_id_in(secret) {
            aws(&mut d, id);
        } else if let Some(id) = aws_key_id_in(whole) {
            // A secret access key next to its key id names the same account.
            aws(&mut d, id);
        }
        stripe(&mut d, secret);
    }
    d
}

// ---- JWT -------------------------------------------------------------------

fn jwt(d: &mut Details, secret: &[u8], now: i64) {
    let Some((header, claims)) = validators::jwt(secret) else {
        return;
    };
    let alg = header.get("alg").and_then(|v| v.as_str()).unwrap_or("");
    if alg.eq_ignore_ascii_case("none") {
        d.fact("alg", "none (unsigned: anyone can forge such a token)");
    } else {
        d.fact("alg", shown(alg));
    }
    for key in ["typ", "kid"] {
        if let Some(v) = header.get(key).and_then(|v| v.as_str()) {
            d.fact(key, shown(v));
        }
    }
    if let Some(v) = claims.get("iss").and_then(|v| v.as_str()) {
        d.fact("iss", shown(v));
    }
    match claims.get("aud") {
        Some(serde_json::Value::String(s)) => d.fact("aud", shown(s)),
        Some(serde_json::Value::Array(a)) => {
            let all: Vec<String> = a.iter().filter_map(|v| v.as_str()).map(shown).collect();
            if !all.is_empty() {
                d.fact("aud", shown(&all.join(", ")));
            }
        }
        _ => {}
    }
    for key in ["iat", "nbf"] {
        if let Some(t) = claims.get(key).and_then(|v| v.as_i64()) {
            d.fact(key, rfc3339(t));
        }
    }
    match claims.get("exp").and_then(|v| v.as_i64()) {
        Some(t) if t <= now => {
            d.fact("exp", format!("{} (expired)", rfc3339(t)));
            d.cap(Severity::Low);
        }
        Some(t) => d.fact("exp", rfc3339(t)),
        None => d.fact("exp", "none (never expires)"),
    }
}

/// A claim or header value as reports show it: control characters replaced,
/// at most 80 characters.
fn shown(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(80)
        .collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

/// `2024-01-01T00:00:00Z` for Unix seconds `t`.
fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).map_or_else(
        || t.to_string(),
        |d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    )
}

// ---- Fernet ----------------------------------------------------------------

fn fernet_token(d: &mut Details, secret: &[u8]) {
    let trimmed = secret.strip_suffix(b"==").or(secret.strip_suffix(b"="));
    let Ok(raw) = URL_SAFE_NO_PAD.decode(trimmed.unwrap_or(secret)) else {
        return;
    };
    if raw.len() < 57 || raw[0] != 0x80 {
        return;
    }
    d.fact("version", "0x80");
    let mut ts = [0u8; 8];
    ts.copy_from_slice(&raw[1..9]);
    d.fact(
        "created",
        rfc3339(u64::from_be_bytes(ts).min(i64::MAX as u64) as i64),
    );
    d.fact("ciphertext", format!("{} bytes", raw.len() - 57));
}

// ---- AWS -------------------------------------------------------------------

/// The first AWS access key id (AKIA/ASIA/ABIA/ACCA + 16 base32 characters)
/// in `text`, on word boundaries.
fn aws_key_id_in(text: &[u8]) -> Option<&[u8]> {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    (0..text.len().saturating_sub(19)).find_map(|i| {
        let id = &text[i..i + 20];
        let boundary =
            (i == 0 || !is_word(text[i - 1])) && text.get(i + 20).is_none_or(|&b| !is_word(b));
        (boundary
            && matches!(&id[..4], b"AKIA" | b"ASIA" | b"ABIA" | b"ACCA")
            && id[4..]
                .iter()
                .all(|&b| matches!(b, b'A'..=b'Z' | b'2'..=b'7')))
        .then_some(id)
    })
}

fn aws(d: &mut Details, id: &[u8]) {
    let kind = match &id[..4] {
        b"AKIA" => "long-term access key (AKIA)",
        b"ASIA" => "temporary STS credentials (ASIA)",
        b"ABIA" => "STS service bearer token (ABIA)",
        _ => "context-specific credential (ACCA)",
    };
    d.fact("aws_key_type", kind);
    if matches!(&id[..4], b"AKIA" | b"ASIA") {
        match aws_account(id) {
            Some(account) => d.fact("aws_account", account),
            None => d.fact("aws_account", "not encoded (older key id format)"),
        }
    }
}

/// The 12-digit AWS account number encoded in an access key id: the 16
/// characters after the 4-character prefix are base32 (A-Z, 2-7); of the
/// decoded bytes, the first 6 as a big-endian integer, masked with
/// `0x7fffffffff80` and shifted right by 7, are the account. Key ids of the
/// older generation (the top bit clear: a fifth character in A-P) do not
/// encode it, and give `None`.
pub fn aws_account(key_id: &[u8]) -> Option<String> {
    if key_id.len() != 20 {
        return None;
    }
    let mut bits: u64 = 0;
    // The first 10 base32 characters are 50 bits: enough for 6 bytes.
    for &c in &key_id[4..14] {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        bits = bits << 5 | u64::from(v);
    }
    let first6 = bits >> 2; // 50 bits -> the top 48
    if first6 >> 47 == 0 {
        return None;
    }
    let account = (first6 & 0x7fff_ffff_ff80) >> 7;
    (account <= 999_999_999_999).then(|| format!("{account:012}"))
}

// ---- Stripe ----------------------------------------------------------------

fn stripe(d: &mut Details, secret: &[u8]) {
    let kind = match secret.get(..3) {
        Some(b"sk_") => "secret",
        Some(b"rk_") => "restricted",
        Some(b"pk_") => "publishable",
        _ => return,
    };
    let mode = match secret.get(3..8) {
        Some(b"live_") => "live",
        Some(b"test_") => "test",
        _ => return,
    };
    d.fact("stripe_key_type", kind);
    d.fact(
        "mode",
        if mode == "live" {
            "live (real money and customer data)"
        } else {
            "test (no real payments)"
        },
    );
}

// ---- Private keys ----------------------------------------------------------

fn private_key(d: &mut Details, whole: &[u8]) {
    let text = String::from_utf8_lossy(whole)
        .replace("\\r", "")
        .replace("\\n", "\n");
    if let Some(i) = text.find("PuTTY-User-Key-File-") {
        let rest = &text[i..];
        let alg = rest
            .lines()
            .next()
            .and_then(|l| l.split(':').nth(1))
            .unwrap_or("")
            .trim();
        d.fact("key_type", format!("PuTTY {}", shown(alg)));
        if let Some(enc) = rest.lines().find_map(|l| l.strip_prefix("Encryption:")) {
            if enc.trim() != "none" {
                d.fact("encrypted", format!("yes ({})", shown(enc.trim())));
                d.cap(Severity::High);
            }
        }
        return;
    }
    let Some(pem) = validators::pem_block(whole) else {
        return;
    };
    let label = pem.label.as_str();
    if label.starts_with("PGP") {
        d.fact("key_type", "OpenPGP secret key block");
        return;
    }
    let legacy_encrypted = pem.legacy_encrypted;
    let b64 = pem.body.as_str();
    let parsed = STANDARD_NO_PAD.decode(b64).ok().and_then(|der| {
        if legacy_encrypted {
            // Encrypted bytes carry no structure to parse.
            return Some(("legacy PEM".to_string(), true));
        }
        match label {
            "RSA PRIVATE KEY" => pkcs1_rsa(&der).map(|bits| (format!("RSA {bits}-bit"), false)),
            "EC PRIVATE KEY" => sec1_ec(&der).map(|c| (format!("EC {c}"), false)),
            "DSA PRIVATE KEY" => dsa(&der).map(|bits| (format!("DSA {bits}-bit"), false)),
            "PRIVATE KEY" => pkcs8(&der).map(|k| (k, false)),
            "ENCRYPTED PRIVATE KEY" => encrypted_pkcs8(&der).then(|| ("PKCS#8".to_string(), true)),
            "OPENSSH PRIVATE KEY" => openssh(&der),
            _ => None,
        }
    });
    match parsed {
        Some((kind, encrypted)) => {
            d.fact("key_type", kind);
            if encrypted {
                d.fact("encrypted", "yes (useless without its passphrase)");
                d.cap(Severity::High);
            }
            d.fact("structure", "complete (parses as a key)");
        }
        None => {
            d.fact("key_type", shown(label));
            d.fact(
                "structure",
                "does not parse as a key (truncated or an example?)",
            );
            d.cap(Severity::Low);
        }
    }
}

/// One DER TLV: (tag, content, rest).
fn tlv(d: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = d.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 3 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |a, &b| a << 8 | b as usize);
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The content of a SEQUENCE that spans all of `d` (a complete structure).
fn whole_sequence(d: &[u8]) -> Option<&[u8]> {
    match tlv(d)? {
        (0x30, content, []) => Some(content),
        _ => None,
    }
}

fn expect(d: &[u8], want: u8) -> Option<(&[u8], &[u8])> {
    let (tag, content, rest) = tlv(d)?;
    (tag == want).then_some((content, rest))
}

/// Bit length of a DER INTEGER's content.
fn int_bits(i: &[u8]) -> usize {
    let i = &i[i.iter().take_while(|&&b| b == 0).count()..];
    i.first()
        .map_or(0, |&b| (i.len() - 1) * 8 + (8 - b.leading_zeros() as usize))
}

/// PKCS#1 `RSAPrivateKey`: version, then the modulus; its bit length.
fn pkcs1_rsa(der: &[u8]) -> Option<usize> {
    let seq = whole_sequence(der)?;
    let (_, rest) = expect(seq, 0x02)?;
    let (n, _) = expect(rest, 0x02)?;
    Some(int_bits(n))
}

/// DSA (OpenSSL): version, then p; its bit length.
fn dsa(der: &[u8]) -> Option<usize> {
    pkcs1_rsa(der)
}

/// SEC1 `ECPrivateKey`: version 1, the private key, `[0]` the curve.
fn sec1_ec(der: &[u8]) -> Option<String> {
    let seq = whole_sequence(der)?;
    let (_, rest) = expect(seq, 0x02)?;
    let (_, rest) = expect(rest, 0x04)?;
    let curve = expect(rest, 0xa0)
        .and_then(|(params, _)| expect(params, 0x06))
        .map_or("(curve not named)", |(oid, _)| curve_name(oid));
    Some(curve.to_string())
}

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];

fn curve_name(oid: &[u8]) -> &'static str {
    match oid {
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07] => "P-256",
        [0x2b, 0x81, 0x04, 0x00, 0x22] => "P-384",
        [0x2b, 0x81, 0x04, 0x00, 0x23] => "P-521",
        [0x2b, 0x81, 0x04, 0x00, 0x0a] => "secp256k1",
        _ => "(other curve)",
    }
}

/// PKCS#8 `PrivateKeyInfo`: version, algorithm identifier, the key.
fn pkcs8(der: &[u8]) -> Option<String> {
    let seq = whole_sequence(der)?;
    let (_, rest) = expect(seq, 0x02)?;
    let (alg, rest) = expect(rest, 0x30)?;
    let (key, _) = expect(rest, 0x04)?;
    let (oid, params) = expect(alg, 0x06)?;
    Some(match oid {
        OID_RSA | OID_RSA_PSS => format!("RSA {}-bit (PKCS#8)", pkcs1_rsa(key)?),
        OID_EC => {
            let curve = expect(params, 0x06).map_or("(curve not named)", |(c, _)| curve_name(c));
            format!("EC {curve} (PKCS#8)")
        }
        OID_DSA => "DSA (PKCS#8)".to_string(),
        [0x2b, 0x65, 0x70] => "Ed25519 (PKCS#8)".to_string(),
        [0x2b, 0x65, 0x71] => "Ed448 (PKCS#8)".to_string(),
        [0x2b, 0x65, 0x6e] => "X25519 (PKCS#8)".to_string(),
        [0x2b, 0x65, 0x6f] => "X448 (PKCS#8)".to_string(),
        _ => "PKCS#8 (other algorithm)".to_string(),
    })
}

/// PKCS#8 `EncryptedPrivateKeyInfo`: an algorithm identifier and the
/// encrypted key.
fn encrypted_pkcs8(der: &[u8]) -> bool {
    whole_sequence(der)
        .and_then(|seq| expect(seq, 0x30))
        .and_then(|(_, rest)| expect(rest, 0x04))
        .is_some()
}

/// An OpenSSH private key (`openssh-key-v1`): cipher, KDF, then the first
/// public key, whose type (and RSA modulus) names the key.
fn openssh(raw: &[u8]) -> Option<(String, bool)> {
    let mut r = raw.strip_prefix(b"openssh-key-v1\0")?;
    let string = |r: &mut &[u8]| -> Option<Vec<u8>> {
        let len = u32::from_be_bytes(r.get(..4)?.try_into().ok()?) as usize;
        let s = r.get(4..4 + len)?.to_vec();
        *r = &r[4 + len..];
        Some(s)
    };
    let cipher = string(&mut r)?;
    let _kdf = string(&mut r)?;
    let _kdf_options = string(&mut r)?;
    r = r.get(4..)?; // number of keys
    let public = string(&mut r)?;
    let private = string(&mut r)?;
    if !r.is_empty() || private.is_empty() {
        return None;
    }
    let mut p = public.as_slice();
    let kind = String::from_utf8_lossy(&string(&mut p)?).into_owned();
    let name = if kind == "ssh-rsa" {
        let _e = string(&mut p)?;
        format!("OpenSSH RSA {}-bit", int_bits(&string(&mut p)?))
    } else {
        format!("OpenSSH {}", shown(&kind))
    };
    Some((name, cipher != b"none"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    fn facts(d: &Details) -> Vec<String> {
        d.facts.iter().map(|(k, v)| format!("{k}={v}")).collect()
    }

    fn b64(s: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    /// Builds a new-format key id from an account number: the inverse of
    /// [`aws_account`], with `tail` filling the bits after the account.
    fn key_id_for(prefix: &str, account: u64, tail: u64) -> String {
        let first6 = 1u64 << 47 | account << 7 | (tail & 0x7f);
        let mut bytes = first6.to_be_bytes()[2..].to_vec();
        bytes.extend_from_slice(&tail.to_be_bytes()[4..]);
        // 10 bytes -> 16 base32 characters.
        let mut acc: u128 = 0;
        for b in &bytes {
            acc = acc << 8 | u128::from(*b);
        }
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let body: String = (0..16)
            .rev()
            .map(|i| alphabet[(acc >> (i * 5)) as usize & 31] as char)
            .collect();
        format!("{prefix}{body}")
    }

    #[test]
    fn aws_account_round_trips() {
        for account in [0u64, 42, 123_456_789_012, 609_629_065_308, 999_999_999_999] {
            for prefix in ["AKIA", "ASIA"] {
                let id = key_id_for(prefix, account, 0x5a5a_1234_9876);
                assert_eq!(
                    aws_account(id.as_bytes()),
                    Some(format!("{account:012}")),
                    "{id}"
                );
            }
        }
        // A published pair (Aidan Steele's and Tal Be'ery's notes on the format).
        assert_eq!(
            aws_account(b"ASIAY34FZKBOKMUTVV7A").as_deref(), // leakhound:allow
            Some("609629065308")
        );
        // Older key ids (fifth character A-P) carry no account.
        assert_eq!(aws_account(b"AKIAIOSFODNN7EXAMPLE"), None);
        let d = inspect(
            None,
            key_id_for("AKIA", 123_456_789_012, 7).as_bytes(),
            b"",
            0,
        );
        assert_eq!(
            facts(&d),
            [
                "aws_key_type=long-term access key (AKIA)",
                "aws_account=123456789012"
            ]
        );
        // A secret access key after its key id names the account too.
        let whole = format!("{},{}", key_id_for("AKIA", 42, 1), "Q".repeat(40));
        let d = inspect(None, "Q".repeat(40).as_bytes(), whole.as_bytes(), 0);
        assert!(facts(&d).contains(&"aws_account=000000000042".to_string()));
    }

    #[test]
    fn jwt_claims_and_expiry() {
        let tok = format!(
            "{}.{}.{}",
            b64(br#"{"alg":"RS256","typ":"JWT","kid":"k1"}"#),
            b64(br#"{"iss":"https://auth.acme.test","aud":["api","web"],"sub":"u1","iat":1700000000,"exp":1704067200}"#),
            b64(&[9u8; 32])
        );
        let d = inspect(
            Some(Validator::Jwt),
            tok.as_bytes(),
            tok.as_bytes(),
            1_800_000_000,
        );
        assert_eq!(
            facts(&d),
            [
                "alg=RS256",
                "typ=JWT",
                "kid=k1",
                "iss=https://auth.acme.test",
                "aud=api, web",
                "iat=2023-11-14T22:13:20Z",
                "exp=2024-01-01T00:00:00Z (expired)",
            ]
        );
        assert_eq!(d.severity(Severity::Medium), Severity::Low);
        // Not expired yet: severity stays; `sub` is never shown.
        let d = inspect(Some(Validator::Jwt), tok.as_bytes(), b"", 1_600_000_000);
        assert_eq!(d.severity(Severity::Medium), Severity::Medium);
        assert!(facts(&d).iter().all(|f| !f.contains("u1")));
        let none = format!("{}.{}.", b64(br#"{"alg":"none"}"#), b64(br#"{"a":1}"#));
        let d = inspect(Some(Validator::Jwt), none.as_bytes(), b"", 0);
        assert!(facts(&d)[0].starts_with("alg=none (unsigned"));
        assert!(facts(&d).contains(&"exp=none (never expires)".to_string()));
    }

    #[test]
    fn fernet_details() {
        use base64::engine::general_purpose::URL_SAFE;
        let key = URL_SAFE.encode([3u8; 32]);
        let d = inspect(Some(Validator::FernetKey), key.as_bytes(), b"", 0);
        assert!(facts(&d)[0].starts_with("decoded=32 bytes"));
        let mut tok = vec![0x80u8];
        tok.extend(1_700_000_000u64.to_be_bytes());
        tok.extend([1u8; 16 + 32 + 32]);
        let tok = URL_SAFE.encode(&tok);
        let d = inspect(Some(Validator::FernetToken), tok.as_bytes(), b"", 0);
        assert_eq!(
            facts(&d),
            [
                "version=0x80",
                "created=2023-11-14T22:13:20Z",
                "ciphertext=32 bytes"
            ]
        );
    }

    #[test]
    fn stripe_mode() {
        let live = format!("sk_{}_{}", "live", "Q8z1m2k9W3p4Lx7TQ8z1m2k9");
        let d = inspect(None, live.as_bytes(), b"", 0);
        assert_eq!(facts(&d)[0], "stripe_key_type=secret");
        assert!(facts(&d)[1].starts_with("mode=live"));
        let test = format!("rk_{}_{}", "test", "Q8z1m2k9W3p4Lx7TQ8z1m2k9");
        assert!(facts(&inspect(None, test.as_bytes(), b"", 0))[1].starts_with("mode=test"));
    }

    /// Every private-key example in the rule files parses as a key (they are
    /// real throwaway keys); a truncated one is capped at low severity.
    #[test]
    fn private_key_examples_parse() {
        let set = RuleSet::builtin().unwrap();
        let mut seen = 0;
        for rule in set.rules() {
            if rule.validator() != Some(Validator::PrivateKey) {
                continue;
            }
            for ex in &rule.spec.examples {
                let ex = ex.text();
                let d = inspect(Some(Validator::PrivateKey), b"", ex.as_bytes(), 0);
                let f = facts(&d);
                assert!(
                    !f.iter().any(|f| f.contains("does not parse")),
                    "{}: {f:?}\n{ex}",
                    rule.id()
                );
                seen += 1;
            }
        }
        assert!(seen >= 5);
        let rsa = set.get("private-key").unwrap().spec.examples[2].text();
        let d = inspect(Some(Validator::PrivateKey), b"", rsa.as_bytes(), 0);
        assert_eq!(facts(&d)[0], "key_type=RSA 1024-bit");
        // Cut two lines out of the middle: still a block, no longer a key.
        let lines: Vec<&str> = rsa.lines().collect();
        let cut = [&lines[..3], &lines[5..]].concat().join("\n");
        let d = inspect(Some(Validator::PrivateKey), b"", cut.as_bytes(), 0);
        assert!(facts(&d).iter().any(|f| f.contains("does not parse")));
        assert_eq!(d.severity(Severity::Critical), Severity::Low);
    }
}
