//! `.secrets.baseline`: Yelp detect-secrets' 1.5 JSON format, read and
//! written so that either tool accepts the other's file.
//!
//! What is promised:
//! - A file that does not parse is an error naming the file, line and column,
//!   never an empty baseline.
//! - Output is byte-for-byte what detect-secrets' own writer produces for the
//!   same data (`json.dumps(indent=2)` key order, ASCII escapes, entries
//!   sorted by file, then line, hash and type), so baselines diff cleanly.
//! - Only hashes are written, never a secret.
//! - The file is read and written only as a regular file, never through a
//!   symbolic link: a committed baseline may be a link to a device or a FIFO.
//! - An entry's identity is (filename, hashed secret, type), as in
//!   detect-secrets; a finding is suppressed by any entry with its filename
//!   and hashed secret. Line numbers are data, never part of equality.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::finding::{Finding, sha1_hex};
use crate::rules::Rule;
use crate::safe_read::{Links, read_regular_text};

/// The file name looked up at the repository root.
pub const BASELINE_FILE: &str = ".secrets.baseline";

/// The format version we write (detect-secrets 1.5).
pub const VERSION: &str = "1.5.0";

/// An error reading a baseline: the file and, where known, the position.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct BaselineError {
    pub file: String,
    pub message: String,
}

/// One `results` entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Entry {
    #[serde(rename = "type")]
    pub kind: String,
    pub filename: String,
    pub hashed_secret: String,
    #[serde(default)]
    pub is_verified: bool,
    /// detect-secrets omits it when 0 (and in `--slim` baselines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_number: Option<u64>,
    /// Set by an audit: `true` real, `false` false positive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_secret: Option<bool>,
}

impl Entry {
    /// The identity detect-secrets uses: (filename, hash, type).
    pub fn key(&self) -> (&str, &str, &str) {
        (&self.filename, &self.hashed_secret, &self.kind)
    }
}

/// A baseline file in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub version: String,
    /// Plugin settings, kept as written (detect-secrets reads them back).
    pub plugins_used: Vec<serde_json::Map<String, Value>>,
    pub filters_used: Vec<serde_json::Map<String, Value>>,
    /// Entries, in detect-secrets' order after [`Baseline::normalize`].
    pub entries: Vec<Entry>,
    pub generated_at: Option<String>,
}

#[derive(Deserialize)]
struct RawBaseline {
    version: String,
    #[serde(default)]
    plugins_used: Vec<serde_json::Map<String, Value>>,
    #[serde(default)]
    filters_used: Vec<serde_json::Map<String, Value>>,
    results: BTreeMap<String, Vec<RawEntry>>,
    #[serde(default)]
    generated_at: Option<String>,
}

/// An entry as stored: `filename` may be absent (the key says it).
#[derive(Deserialize)]
struct RawEntry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    filename: Option<String>,
    hashed_secret: String,
    #[serde(default)]
    is_verified: bool,
    #[serde(default)]
    line_number: Option<u64>,
    #[serde(default)]
    is_secret: Option<bool>,
}

impl Baseline {
    /// An empty baseline with the plugin and filter settings we write.
    pub fn new() -> Baseline {
        Baseline {
            version: VERSION.to_string(),
            plugins_used: Vec::new(),
            filters_used: default_filters(),
            entries: Vec::new(),
            generated_at: None,
        }
    }

    /// Reads a baseline file: a regular file of at most [`MAX_BASELINE`]
    /// bytes, never through a symbolic link (a committed baseline may be a
    /// link to a device or a FIFO: see [`crate::safe_read`]).
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let file = path.display().to_string();
        let text =
            read_regular_text(path, MAX_BASELINE, Links::Refuse).map_err(|e| BaselineError {
                file: file.clone(),
                message: format!("cannot read: {e}"),
            })?;
        Baseline::parse(&file, &text)
    }

    /// Parses baseline text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Baseline, BaselineError> {
        let err = |message: String| BaselineError {
            file: file.to_string(),
            message,
        };
        if let Some(pos) = text.find(|c: char| !c.is_whitespace())
            && !text[pos..].starts_with('{')
        {
            let (line, col) = crate::engine::line_col(text.as_bytes(), pos);
            return Err(err(format!(
                "line {line}, column {col}: not a detect-secrets baseline: expected a JSON object"
            )));
        }
        let raw: RawBaseline = serde_json::from_str(text).map_err(|e| {
            let msg = e.to_string();
            // serde_json appends " at line L column C"; put the position first.
            let msg = msg
                .rsplit_once(" at line ")
                .map_or(msg.as_str(), |(m, _)| m)
                .to_string();
            let msg = crate::rules::scrub_message(&msg);
            err(format!(
                "line {}, column {}: not a detect-secrets baseline: {msg}",
                e.line(),
                e.column()
            ))
        })?;
        if !raw
            .version
            .starts_with(|c: char| c.is_ascii_digit() && c != '0')
        {
            let shown = if raw.version.len() <= 16
                && raw.version.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            {
                format!("{:?}", raw.version)
            } else {
                "(not a version number)".to_string()
            };
            return Err(err(format!(
                "baseline version {shown} is older than 1.0; upgrade it with `detect-secrets scan --baseline`"
            )));
        }
        let mut entries = Vec::new();
        for (filename, list) in raw.results {
            for e in list {
                let hash = e.hashed_secret.to_ascii_lowercase();
                if hash.len() != 40 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                    let pos = text.find(&e.hashed_secret).unwrap_or(0);
                    let (line, col) = crate::engine::line_col(text.as_bytes(), pos);
                    return Err(err(format!(
                        "line {line}, column {col}: hashed_secret is not a SHA-1 hex digest"
                    )));
                }
                entries.push(Entry {
                    kind: e.kind,
                    filename: e.filename.unwrap_or_else(|| filename.clone()),
                    hashed_secret: hash,
                    is_verified: e.is_verified,
                    line_number: e.line_number.filter(|&n| n > 0),
                    is_secret: e.is_secret,
                });
            }
        }
        let mut b = Baseline {
            version: raw.version,
            plugins_used: raw.plugins_used,
            filters_used: raw.filters_used,
            entries,
            generated_at: raw.generated_at,
        };
        b.normalize();
        Ok(b)
    }

    /// Sorts entries as detect-secrets does (file, line, hash, type) and
    /// drops duplicates of one identity (the first, usually audited, wins).
    pub fn normalize(&mut self) {
        self.entries.sort_by(|a, b| {
            (
                &a.filename,
                a.line_number.unwrap_or(0),
                &a.hashed_secret,
                &a.kind,
            )
                .cmp(&(
                    &b.filename,
                    b.line_number.unwrap_or(0),
                    &b.hashed_secret,
                    &b.kind,
                ))
        });
        let mut seen = BTreeSet::new();
        self.entries
            .retain(|e| seen.insert((e.filename.clone(), e.hashed_secret.clone(), e.kind.clone())));
    }

    /// The set of identities, for "did anything change" checks.
    pub fn keys(&self) -> BTreeSet<(&str, &str, &str)> {
        self.entries.iter().map(Entry::key).collect()
    }

    /// Makes sure every entry's type has its plugin in `plugins_used`, so
    /// detect-secrets can load the file and re-find the secrets (audit).
    /// Plugins already listed keep their settings.
    pub fn ensure_plugins(&mut self) {
        let mut needed: BTreeSet<&str> = SPECIFIC_PLUGINS.iter().copied().collect();
        for e in &self.entries {
            if let Some(p) = plugin_of(&e.kind) {
                needed.insert(p);
            }
        }
        for p in needed {
            if !self
                .plugins_used
                .iter()
                .any(|m| m.get("name").and_then(Value::as_str) == Some(p))
            {
                let mut m = serde_json::Map::new();
                m.insert("name".into(), p.into());
                for (k, v) in plugin_defaults(p) {
                    m.insert(k.to_string(), v);
                }
                self.plugins_used.push(m);
            }
        }
        self.plugins_used.sort_by_key(|m| {
            m.get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_lowercase()
        });
    }

    /// Writes the baseline exactly as detect-secrets' `json.dumps(indent=2)`
    /// would, with a final newline.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut w = JsonWriter { out, indent: 0 };
        w.raw("{")?;
        w.indent += 1;
        w.key("version", true)?;
        w.string(&self.version)?;
        w.key("plugins_used", false)?;
        w.list(&self.plugins_used, |w, m| w.settings(m, "name"))?;
        w.key("filters_used", false)?;
        w.list(&self.filters_used, |w, m| w.settings(m, "path"))?;
        w.key("results", false)?;
        let mut files: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
        for e in &self.entries {
            files.entry(&e.filename).or_default().push(e);
        }
        if files.is_empty() {
            w.raw("{}")?;
        } else {
            w.raw("{")?;
            w.indent += 1;
            for (i, (file, entries)) in files.iter().enumerate() {
                w.key(file, i == 0)?;
                w.list(entries, |w, e| w.entry(e))?;
            }
            w.indent -= 1;
            w.newline()?;
            w.raw("}")?;
        }
        if let Some(g) = &self.generated_at {
            w.key("generated_at", false)?;
            w.string(g)?;
        }
        w.indent -= 1;
        w.newline()?;
        w.raw("}\n")
    }

    /// The baseline as bytes (see [`Baseline::write`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.write(&mut v).expect("writing to a Vec cannot fail");
        v
    }

    /// Writes the baseline to `path` atomically (temp file + rename). The
    /// file keeps the mode of the one it replaces; a new one gets the mode a
    /// plain create would (0666 less the umask), as any file leakhound writes
    /// ([`crate::report::write_atomic`]). A path that is something other
    /// than a regular file (a symbolic link, a device, a FIFO) is refused
    /// ([`check_writable`]), never written through.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        check_writable(path)?;
        crate::report::write_atomic(path, |w| self.write(w))
    }
}

/// Largest baseline read (detect-secrets baselines of large repositories
/// run to a few megabytes).
pub const MAX_BASELINE: u64 = 256 << 20;

/// Whether `path` may be written as a baseline: absent, or a regular file
/// (not a symbolic link, whatever it points to). The error says what it is.
pub fn check_writable(path: &Path) -> io::Result<()> {
    match crate::safe_read::check_regular(path, Links::Refuse) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

impl Default for Baseline {
    fn default() -> Self {
        Baseline::new()
    }
}

/// The filters detect-secrets 1.5 enables by default, minus network
/// verification (so `detect-secrets-hook` with our baseline works offline).
fn default_filters() -> Vec<serde_json::Map<String, Value>> {
    [
        "detect_secrets.filters.allowlist.is_line_allowlisted",
        "detect_secrets.filters.heuristic.is_indirect_reference",
        "detect_secrets.filters.heuristic.is_likely_id_string",
        "detect_secrets.filters.heuristic.is_lock_file",
        "detect_secrets.filters.heuristic.is_not_alphanumeric_string",
        "detect_secrets.filters.heuristic.is_potential_uuid",
        "detect_secrets.filters.heuristic.is_prefixed_with_dollar_sign",
        "detect_secrets.filters.heuristic.is_sequential_string",
        "detect_secrets.filters.heuristic.is_swagger_file",
        "detect_secrets.filters.heuristic.is_templated_secret",
    ]
    .iter()
    .map(|p| {
        let mut m = serde_json::Map::new();
        m.insert("path".into(), (*p).into());
        m
    })
    .collect()
}

/// detect-secrets secret types and the plugin class that reports each.
const TYPES: &[(&str, &str)] = &[
    ("AWS Access Key", "AWSKeyDetector"),
    ("Artifactory Credentials", "ArtifactoryDetector"),
    (
        "Azure Storage Account access key",
        "AzureStorageKeyDetector",
    ),
    ("Base64 High Entropy String", "Base64HighEntropyString"),
    ("Basic Auth Credentials", "BasicAuthDetector"),
    ("Discord Bot Token", "DiscordBotTokenDetector"),
    ("GitHub Token", "GitHubTokenDetector"),
    ("GitLab Token", "GitLabTokenDetector"),
    ("Hex High Entropy String", "HexHighEntropyString"),
    ("JSON Web Token", "JwtTokenDetector"),
    ("Mailchimp Access Key", "MailchimpDetector"),
    ("NPM tokens", "NpmDetector"),
    ("OpenAI Token", "OpenAIDetector"),
    ("Private Key", "PrivateKeyDetector"),
    ("PyPI Token", "PypiTokenDetector"),
    ("Secret Keyword", "KeywordDetector"),
    ("SendGrid API Key", "SendGridDetector"),
    ("Slack Token", "SlackDetector"),
    ("Stripe Access Key", "StripeDetector"),
    ("Telegram Bot Token", "TelegramBotTokenDetector"),
    ("Twilio API Key", "TwilioKeyDetector"),
];

/// Plugins whose detections our rule families mirror closely; every baseline
/// we write lists them. The catch-all plugins (entropy, keyword) are listed
/// only when an entry needs them, because detect-secrets would otherwise
/// report, in `detect-secrets-hook`, strings we deliberately do not.
const SPECIFIC_PLUGINS: &[&str] = &[
    "AWSKeyDetector",
    "BasicAuthDetector",
    "GitHubTokenDetector",
    "JwtTokenDetector",
    "OpenAIDetector",
    "PrivateKeyDetector",
    "SendGridDetector",
    "SlackDetector",
    "StripeDetector",
    "TwilioKeyDetector",
];

fn plugin_of(kind: &str) -> Option<&'static str> {
    TYPES.iter().find(|(t, _)| *t == kind).map(|(_, p)| *p)
}

/// Settings detect-secrets writes for a plugin by default.
fn plugin_defaults(plugin: &str) -> Vec<(&'static str, Value)> {
    match plugin {
        "Base64HighEntropyString" => vec![("limit", 4.5.into())],
        "HexHighEntropyString" => vec![("limit", 3.0.into())],
        "KeywordDetector" => vec![("keyword_exclude", "".into())],
        _ => Vec::new(),
    }
}

/// The detect-secrets type our finding of `rule` maps to: by the secret's
/// shape where detect-secrets has a plugin for it (so its audit and hook
/// re-find the secret under the same type), else by the rule's id, else
/// `Secret Keyword` for generic assignments or a high-entropy string type.
pub fn secret_type(rule: Option<&Rule>, rule_id: &str, secret: &str) -> &'static str {
    if ds_stripe(secret).is_some() {
        return "Stripe Access Key";
    }
    if ds_aws(secret).is_some() {
        return "AWS Access Key";
    }
    if jwt_head(secret).is_some() {
        return "JSON Web Token";
    }
    if DS_KEY_MARKERS.iter().any(|m| secret.contains(m)) {
        return "Private Key";
    }
    if github_prefix(secret).is_some() {
        return "GitHub Token";
    }
    let id = rule_id.to_ascii_lowercase();
    let has = |w: &str| id.contains(w);
    let validator = rule.and_then(|r| r.spec.validator.as_deref()).unwrap_or("");
    let generic = rule.is_some_and(|r| r.spec.tags.iter().any(|t| t == "generic"));
    if has("aws") && is_aws_secret(secret) {
        "AWS Access Key"
    } else if validator == "jwt" || has("jwt") {
        "JSON Web Token"
    } else if validator == "private_key" || has("private-key") {
        "Private Key"
    } else if validator == "url_password" || has("basic-auth") || has("url-password") {
        "Basic Auth Credentials"
    } else if has("github") {
        "GitHub Token"
    } else if has("gitlab") {
        "GitLab Token"
    } else if has("slack") {
        "Slack Token"
    } else if has("sendgrid") {
        "SendGrid API Key"
    } else if has("twilio") {
        "Twilio API Key"
    } else if has("openai") {
        "OpenAI Token"
    } else if has("npm") {
        "NPM tokens"
    } else if has("pypi") {
        "PyPI Token"
    } else if has("discord") {
        "Discord Bot Token"
    } else if has("mailchimp") {
        "Mailchimp Access Key"
    } else if has("telegram") {
        "Telegram Bot Token"
    } else if generic || validator == "generic_value" {
        "Secret Keyword"
    } else if secret.len() >= 8 && secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        "Hex High Entropy String"
    } else {
        "Base64 High Entropy String"
    }
}

/// The hash an entry of type `kind` records for `secret`: the SHA-1 of what
/// detect-secrets extracts for that type where it is a unique part of the
/// secret (a long Stripe key's first 32 characters, a JWT's header and
/// payload), so that detect-secrets' hook and audit re-find it; otherwise the
/// SHA-1 of the secret. (For private keys detect-secrets hashes only the
/// `BEGIN ... PRIVATE KEY` marker and for GitHub tokens only their prefix;
/// we keep the secret's own hash there, or any key would match any other.)
pub fn entry_hash(kind: &str, secret: &str) -> String {
    let part = match kind {
        "Stripe Access Key" => ds_stripe(secret),
        "AWS Access Key" => ds_aws(secret),
        "JSON Web Token" => jwt_head(secret),
        _ => None,
    };
    sha1_hex(part.unwrap_or(secret).as_bytes())
}

/// `header.payload.` of a JWT, what detect-secrets' JWT regex extracts.
fn jwt_head(s: &str) -> Option<&str> {
    let start = s.find("eyJ")?;
    let tok = &s[start..];
    let first = tok.find('.')?;
    let second = first + 1 + tok[first + 1..].find('.')?;
    let head = &tok[..second + 1];
    head.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_=.".contains(&b))
        .then_some(head)
}

/// The `ghp`/`gho`/`ghu`/`ghs`/`ghr` prefix of a GitHub token.
fn github_prefix(s: &str) -> Option<&str> {
    ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
        .iter()
        .find_map(|p| s.find(p).map(|i| &s[i..i + 3]))
}

/// detect-secrets' Stripe secret: `[rs]k_live_` and exactly 24 characters
/// (a longer key is hashed by its first 32 characters).
fn ds_stripe(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let start = (0..b.len()).find(|&i| {
        (b[i..].starts_with(b"sk_live_") || b[i..].starts_with(b"rk_live_"))
            && b.len() >= i + 32
            && b[i + 8..i + 32].iter().all(u8::is_ascii_alphanumeric)
    })?;
    Some(&s[start..start + 32])
}

/// detect-secrets' AWS key id: a known prefix and 16 of `[0-9A-Z]`.
fn ds_aws(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let start = (0..b.len().saturating_sub(19)).find(|&i| {
        let p = &b[i..i + 4];
        let prefix = matches!(p, b"ABIA" | b"ACCA" | b"AKIA" | b"ASIA")
            || (p.starts_with(b"A3T") && (p[3].is_ascii_uppercase() || p[3].is_ascii_digit()));
        prefix
            && b[i + 4..i + 20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    })?;
    Some(&s[start..start + 20])
}

fn is_aws_secret(s: &str) -> bool {
    s.len() == 40
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
}

/// detect-secrets' private key markers (it hashes the marker, not the key).
const DS_KEY_MARKERS: &[&str] = &[
    "BEGIN DSA PRIVATE KEY",
    "BEGIN EC PRIVATE KEY",
    "BEGIN OPENSSH PRIVATE KEY",
    "BEGIN PGP PRIVATE KEY BLOCK",
    "BEGIN PRIVATE KEY",
    "BEGIN RSA PRIVATE KEY",
    "BEGIN SSH2 ENCRYPTED PRIVATE KEY",
    "PuTTY-User-Key-File-2",
];

/// The hashes under which a baseline may hold `secret`: its own SHA-1, and
/// the SHA-1 of the substring detect-secrets would have extracted where that
/// differs (a long Stripe key's first 32 characters, an AWS key id inside a
/// longer match, a JWT without its signature, a private key's marker line, a
/// GitHub token's prefix). The last two are detect-secrets' (weak) identity
/// for those types: they only matter for baselines detect-secrets wrote.
pub fn candidate_hashes(secret: &str) -> Vec<String> {
    let mut out = vec![sha1_hex(secret.as_bytes())];
    let mut alias = |s: &str| {
        let h = sha1_hex(s.as_bytes());
        if !out.contains(&h) {
            out.push(h);
        }
    };
    if let Some(s) = ds_stripe(secret) {
        alias(s);
    }
    if let Some(s) = ds_aws(secret) {
        alias(s);
    }
    if let Some(h) = jwt_head(secret) {
        alias(h);
    }
    if let Some(p) = github_prefix(secret) {
        alias(p);
    }
    for m in DS_KEY_MARKERS {
        if secret.contains(m) {
            alias(m);
        }
    }
    out
}

/// Which of `matches` (found in `buf`) are a baseline's own hashes, not
/// secrets: `buf` parses as a detect-secrets baseline, and the match's
/// secret lies inside a `"hashed_secret": "<40 hex>"` value equal to one of
/// its entries' `hashed_secret`. Every other match in a baseline, and every
/// match in anything else, is a secret. Decided by content, never by the
/// file's name, in every scan mode.
///
/// `None` (nothing to drop) unless some match sits in such a value: only
/// then is the buffer parsed, so the cost is nil for ordinary files.
pub fn hash_matches(buf: &[u8], matches: &[crate::engine::Match]) -> Option<Vec<bool>> {
    let values: Vec<Option<&[u8]>> = matches
        .iter()
        .map(|m| hashed_secret_value(buf, m.start, m.end))
        .collect();
    if values.iter().all(Option::is_none) {
        return None;
    }
    let hashes = baseline_hashes(buf)?;
    Some(
        values
            .iter()
            .map(|v| {
                v.is_some_and(|v| {
                    let v = String::from_utf8_lossy(v).to_ascii_lowercase();
                    hashes.contains(v.as_str())
                })
            })
            .collect(),
    )
}

/// Whether `buf` is a detect-secrets baseline, of any version: a JSON object
/// with a `version` and a `results` object whose values are lists of entries,
/// each with a `type` and a `hashed_secret` (what detect-secrets 0.x and 1.x
/// write, `--slim` ones included). Such a file is read as a baseline, not
/// scanned for secrets (see [`crate::scan::Baselines`]). Cheap for anything
/// else: only text that starts with `{` and holds `"results"` is parsed.
pub fn is_baseline(buf: &[u8]) -> bool {
    baseline_hashes(buf).is_some()
}

/// The `hashed_secret` values (lowercase) of the baseline `buf`, if it is
/// one (see [`is_baseline`]).
fn baseline_hashes(buf: &[u8]) -> Option<BTreeSet<String>> {
    let start = buf.iter().position(|b| !b.is_ascii_whitespace())?;
    if buf[start] != b'{' || memchr::memmem::find(buf, b"\"results\"").is_none() {
        return None;
    }
    let doc: Value = serde_json::from_slice(buf).ok()?;
    let doc = doc.as_object()?;
    doc.get("version")?.as_str()?;
    let mut hashes = BTreeSet::new();
    for list in doc.get("results")?.as_object()?.values() {
        for entry in list.as_array()? {
            let entry = entry.as_object()?;
            entry.get("type")?.as_str()?;
            hashes.insert(entry.get("hashed_secret")?.as_str()?.to_ascii_lowercase());
        }
    }
    Some(hashes)
}

/// The 40 hex digits of the `"hashed_secret": "<hex>"` JSON member whose
/// value holds the span `start..end`, if the span lies inside such a value.
fn hashed_secret_value(buf: &[u8], start: usize, end: usize) -> Option<&[u8]> {
    const KEY: &[u8] = b"\"hashed_secret\"";
    const LEN: usize = 40;
    if start >= end || end > buf.len() {
        return None;
    }
    let mut open = start;
    while open > 0 && start - open <= LEN && buf[open - 1].is_ascii_hexdigit() {
        open -= 1;
    }
    let close = open + LEN;
    if open == 0
        || buf[open - 1] != b'"'
        || end > close
        || buf.get(close) != Some(&b'"')
        || !buf[open..close].iter().all(u8::is_ascii_hexdigit)
    {
        return None;
    }
    let ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut i = open - 1;
    while i > 0 && ws(buf[i - 1]) {
        i -= 1;
    }
    if i == 0 || buf[i - 1] != b':' {
        return None;
    }
    i -= 1;
    while i > 0 && ws(buf[i - 1]) {
        i -= 1;
    }
    buf[..i].ends_with(KEY).then(|| &buf[open..close])
}

/// Whether a secret hashing to `hash` still occurs in `text`: the text is cut
/// into the candidate strings either tool extracts (quoted strings, runs of
/// token characters, URL passwords, values after `=` or `:`), and each is
/// hashed. Used for entries we cannot re-find by scanning (entries another
/// tool wrote, or rules now disabled).
pub fn text_contains_hash(text: &str, hash: &str) -> bool {
    find_by_hash(text, hash).is_some()
}

/// The first candidate string of `text` whose SHA-1 is `hash` (see
/// [`text_contains_hash`]), as a byte range.
pub fn find_by_hash(text: &str, hash: &str) -> Option<std::ops::Range<usize>> {
    let hit = |s: &str| sha1_hex(s.as_bytes()) == hash;
    let b = text.as_bytes();
    // Runs of characters of a class, for a few classes.
    let classes: [&dyn Fn(u8) -> bool; 4] = [
        &|c: u8| c.is_ascii_alphanumeric() || b"+/=_-.~".contains(&c),
        &|c: u8| c.is_ascii_alphanumeric() || b"+/=".contains(&c),
        &|c: u8| c.is_ascii_alphanumeric() || b"_-".contains(&c),
        &|c: u8| !c.is_ascii_whitespace() && !b"'\"`".contains(&c),
    ];
    for class in classes {
        let mut i = 0;
        while i < b.len() {
            if !class(b[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && class(b[i]) {
                i += 1;
            }
            if let Some(s) = text.get(start..i)
                && hit(s)
            {
                return Some(start..i);
            }
        }
    }
    // Quoted strings, on one line.
    for q in [b'"', b'\'', b'`'] {
        let mut open: Option<usize> = None;
        for (i, &c) in b.iter().enumerate() {
            if c == b'\n' {
                open = None;
            } else if c == q {
                match open {
                    None => open = Some(i + 1),
                    Some(s) => {
                        if let Some(t) = text.get(s..i)
                            && hit(t)
                        {
                            return Some(s..i);
                        }
                        open = None;
                    }
                }
            }
        }
    }
    // Aliases that are substrings of tokens: Stripe prefixes, AWS ids, JWT
    // heads, private key markers; and URL passwords.
    for (off, line) in line_offsets(text) {
        for m in DS_KEY_MARKERS {
            if let Some(p) = line.find(m)
                && hit(m)
            {
                return Some(off + p..off + p + m.len());
            }
        }
        for p in ["ghp", "gho", "ghu", "ghs", "ghr"] {
            if let Some(i) = line.find(&format!("{p}_"))
                && hit(p)
            {
                return Some(off + i..off + i + 3);
            }
        }
        for (i, _) in line.match_indices("_live_") {
            if i >= 2
                && let Some(s) = line.get(i - 2..)
                && let Some(k) = ds_stripe(s)
                && hit(k)
            {
                return Some(off + i - 2..off + i - 2 + k.len());
            }
        }
        if let Some(k) = ds_aws(line)
            && hit(k)
        {
            let p = line.find(k).unwrap_or(0);
            return Some(off + p..off + p + k.len());
        }
        for (i, _) in line.match_indices("eyJ") {
            let rest = &line[i..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || "-_=.".contains(c)))
                .unwrap_or(rest.len());
            let tok = &rest[..end];
            if let Some(first) = tok.find('.')
                && let Some(second) = tok[first + 1..].find('.')
            {
                let head = &tok[..first + 1 + second + 1];
                if hit(head) {
                    return Some(off + i..off + i + head.len());
                }
            }
        }
        for (i, _) in line.match_indices("://") {
            let rest = &line[i + 3..];
            let end = rest
                .find(|c: char| c.is_whitespace() || "/'\"".contains(c))
                .unwrap_or(rest.len());
            let auth = &rest[..end];
            if let Some((userpass, _)) = auth.rsplit_once('@')
                && let Some((_, pass)) = userpass.split_once(':')
                && hit(pass)
            {
                let p = i + 3 + userpass.len() - pass.len();
                return Some(off + p..off + p + pass.len());
            }
        }
    }
    None
}

fn line_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut off = 0;
    text.split('\n').map(move |l| {
        let o = off;
        off += l.len() + 1;
        (o, l)
    })
}

/// A new entry for a finding whose path is `filename` (repository-relative).
pub fn entry_for(finding: &Finding, filename: &str, rule: Option<&Rule>) -> Entry {
    let kind = secret_type(rule, &finding.rule_id, &finding.secret);
    Entry {
        kind: kind.to_string(),
        filename: filename.to_string(),
        hashed_secret: entry_hash(kind, &finding.secret),
        is_verified: false,
        line_number: Some(finding.line as u64),
        is_secret: None,
    }
}

/// Writes JSON as Python's `json.dumps(obj, indent=2)` does: two-space
/// indent, `", "`-free separators at line ends, `": "` after keys, every
/// character outside printable ASCII escaped as `\uXXXX`.
struct JsonWriter<'a> {
    out: &'a mut dyn Write,
    indent: usize,
}

impl JsonWriter<'_> {
    fn raw(&mut self, s: &str) -> io::Result<()> {
        self.out.write_all(s.as_bytes())
    }

    fn newline(&mut self) -> io::Result<()> {
        self.raw("\n")?;
        for _ in 0..self.indent {
            self.raw("  ")?;
        }
        Ok(())
    }

    fn key(&mut self, k: &str, first: bool) -> io::Result<()> {
        if !first {
            self.raw(",")?;
        }
        self.newline()?;
        self.string(k)?;
        self.raw(": ")
    }

    fn string(&mut self, s: &str) -> io::Result<()> {
        let mut buf = String::with_capacity(s.len() + 2);
        buf.push('"');
        for c in s.chars() {
            match c {
                '"' => buf.push_str("\\\""),
                '\\' => buf.push_str("\\\\"),
                '\n' => buf.push_str("\\n"),
                '\r' => buf.push_str("\\r"),
                '\t' => buf.push_str("\\t"),
                '\u{8}' => buf.push_str("\\b"),
                '\u{c}' => buf.push_str("\\f"),
                ' '..='~' => buf.push(c),
                _ => {
                    let mut units = [0u16; 2];
                    for u in c.encode_utf16(&mut units) {
                        buf.push_str(&format!("\\u{u:04x}"));
                    }
                }
            }
        }
        buf.push('"');
        self.raw(&buf)
    }

    fn value(&mut self, v: &Value) -> io::Result<()> {
        match v {
            Value::String(s) => self.string(s),
            Value::Array(a) if a.is_empty() => self.raw("[]"),
            Value::Array(a) => self.list(a, |w, v| w.value(v)),
            Value::Object(m) => self.settings(m, ""),
            Value::Number(n) => match n.as_f64() {
                // Python prints floats with a fractional part (`3.0`).
                Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e16 => {
                    self.raw(&format!("{f:.1}"))
                }
                _ => self.raw(&n.to_string()),
            },
            other => self.raw(&other.to_string()),
        }
    }

    fn list<T>(
        &mut self,
        items: &[T],
        mut each: impl FnMut(&mut Self, &T) -> io::Result<()>,
    ) -> io::Result<()> {
        if items.is_empty() {
            return self.raw("[]");
        }
        self.raw("[")?;
        self.indent += 1;
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.raw(",")?;
            }
            self.newline()?;
            each(self, item)?;
        }
        self.indent -= 1;
        self.newline()?;
        self.raw("]")
    }

    /// A settings object: `first` key first (as detect-secrets puts `name`
    /// and `path`), then the others in sorted order.
    fn settings(&mut self, m: &serde_json::Map<String, Value>, first: &str) -> io::Result<()> {
        if m.is_empty() {
            return self.raw("{}");
        }
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort_by_key(|k| (k.as_str() != first, k.as_str()));
        self.raw("{")?;
        self.indent += 1;
        for (i, k) in keys.iter().enumerate() {
            self.key(k, i == 0)?;
            self.value(&m[k.as_str()])?;
        }
        self.indent -= 1;
        self.newline()?;
        self.raw("}")
    }

    fn entry(&mut self, e: &Entry) -> io::Result<()> {
        self.raw("{")?;
        self.indent += 1;
        self.key("type", true)?;
        self.string(&e.kind)?;
        self.key("filename", false)?;
        self.string(&e.filename)?;
        self.key("hashed_secret", false)?;
        self.string(&e.hashed_secret)?;
        self.key("is_verified", false)?;
        self.raw(if e.is_verified { "true" } else { "false" })?;
        if let Some(n) = e.line_number {
            self.key("line_number", false)?;
            self.raw(&n.to_string())?;
        }
        if let Some(s) = e.is_secret {
            self.key("is_secret", false)?;
            self.raw(if s { "true" } else { "false" })?;
        }
        self.indent -= 1;
        self.newline()?;
        self.raw("}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A baseline as detect-secrets 1.5 writes it (abridged plugin list);
    /// `{H1}` and `{H2}` stand for hashes (filled in at test time, so that
    /// this source holds nothing that looks like a hashed secret).
    const DS_TEMPLATE: &str = r#"{
  "version": "1.5.0",
  "plugins_used": [
    {
      "name": "AWSKeyDetector"
    },
    {
      "name": "Base64HighEntropyString",
      "limit": 4.5
    },
    {
      "name": "KeywordDetector",
      "keyword_exclude": ""
    }
  ],
  "filters_used": [
    {
      "path": "detect_secrets.filters.common.is_ignored_due_to_verification_policies",
      "min_level": 2
    }
  ],
  "results": {
    "config.py": [
      {
        "type": "Base64 High Entropy String",
        "filename": "config.py",
        "hashed_secret": "{H1}",
        "is_verified": false,
        "line_number": 1
      },
      {
        "type": "AWS Access Key",
        "filename": "config.py",
        "hashed_secret": "{H2}",
        "is_verified": false,
        "line_number": 2,
        "is_secret": false
      }
    ],
    "caf\u00e9/\ud83d\ude00.txt": []
  },
  "generated_at": "2026-11-23T11:23:27Z"
}
"#;

    #[test]
    fn round_trips_detect_secrets_output_byte_for_byte() {
        let ds = DS_TEMPLATE
            .replace("{H1}", &sha1_hex(b"one"))
            .replace("{H2}", &sha1_hex(b"two"));
        let b = Baseline::parse("b", &ds).unwrap();
        assert_eq!(b.entries.len(), 2);
        assert_eq!(b.entries[1].is_secret, Some(false));
        // Empty file lists vanish, as in detect-secrets; everything else is identical.
        let expected = ds.replace(",\n    \"caf\\u00e9/\\ud83d\\ude00.txt\": []", "");
        assert_eq!(String::from_utf8(b.to_bytes()).unwrap(), expected);
    }

    #[test]
    fn escapes_like_python() {
        let mut b = Baseline::new();
        b.entries.push(Entry {
            kind: "Secret Keyword".into(),
            filename: "café/😀\"\u{7f}.txt".into(),
            hashed_secret: "a".repeat(40),
            is_verified: false,
            line_number: Some(3),
            is_secret: None,
        });
        let text = String::from_utf8(b.to_bytes()).unwrap();
        assert!(
            text.contains(r#""caf\u00e9/\ud83d\ude00\"\u007f.txt": ["#),
            "{text}"
        );
        assert!(text.is_ascii());
        assert_eq!(Baseline::parse("b", &text).unwrap().entries, b.entries);
    }

    #[test]
    fn bad_baselines_name_the_position() {
        for (text, pos) in [
            ("{\n  \"version\": \"1.5.0\",\n  \"results\": {\n", "line 4"),
            ("{\"version\": \"1.5.0\"}", "line 1"),
            (
                "{\"version\": \"1.5.0\",\n \"results\": {\"a\": [{\"type\": \"x\", \"hashed_secret\": 5}]}}",
                "line 2",
            ),
            (
                "{\"version\": \"1.5.0\",\n \"results\": {\"a\": [{\"type\": \"x\",\n \"hashed_secret\": \"zz\"}]}}",
                "line 3",
            ),
        ] {
            let e = Baseline::parse("b.json", text).unwrap_err().to_string();
            assert!(e.starts_with("b.json: ") && e.contains(pos), "{e}");
        }
    }

    #[test]
    fn aliases_match_what_detect_secrets_hashes() {
        let key = format!("sk_live_{}", "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5");
        let ds = &key[..32];
        assert!(candidate_hashes(&key).contains(&sha1_hex(ds.as_bytes())));
        assert_eq!(secret_type(None, "x", &key), "Stripe Access Key");
        assert_eq!(
            entry_hash("Stripe Access Key", &key),
            sha1_hex(ds.as_bytes())
        );
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----";
        assert!(candidate_hashes(pem).contains(&sha1_hex(b"BEGIN RSA PRIVATE KEY")));
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcDEF123";
        assert!(
            candidate_hashes(jwt).contains(&sha1_hex(b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0."))
        );
        assert_eq!(secret_type(None, "generic-secret", jwt), "JSON Web Token");
        assert_eq!(secret_type(None, "x", pem), "Private Key");
        assert_eq!(entry_hash("Private Key", pem), sha1_hex(pem.as_bytes()));
    }

    #[test]
    fn only_a_baselines_own_hashes_are_not_secrets() {
        let (h, other) = (sha1_hex(b"one"), sha1_hex(b"two"));
        let text = format!(
            "{{\"version\": \"1.5.0\", \"results\": {{\"a.env\": [\n  {{\"type\": \"T\", \
             \"hashed_secret\": \"{}\"}}]}},\n \"x\": {{\"hashed_secret\"\t:\n \"{other}\"}}, \
             \"y\": \"{h}\"}}",
            h.to_uppercase()
        );
        let at = |needle: &str, from: usize| {
            let start = from + text[from..].find(needle).unwrap();
            crate::engine::Match {
                rule: 0,
                start,
                end: start + needle.len(),
                match_start: start,
                match_end: start + needle.len(),
                decoded: None,
            }
        };
        let upper = h.to_uppercase();
        let entry = at(&upper, 0);
        let inner = at(&upper[4..20], 0); // a match inside the value
        let not_entry = at(&other, 0);
        let not_member = at(&h, entry.end);
        let matches = [entry, inner, not_entry, not_member];
        assert_eq!(
            hash_matches(text.as_bytes(), &matches),
            Some(vec![true, true, false, false])
        );
        // The same member in a file that is not a baseline: all secrets.
        let broken = text.replacen("\"results\"", "\"result\"", 1);
        assert_eq!(hash_matches(broken.as_bytes(), &matches), None);
        // No match in a `hashed_secret` value: nothing parsed, nothing dropped.
        assert_eq!(hash_matches(text.as_bytes(), &matches[3..]), None);
    }

    #[test]
    fn finds_secrets_by_hash() {
        let text = format!(
            "a = 'q8Zr2LxT9vKk'\nurl = postgres://app:{}@db/x\nk=\"with space\"\n",
            "pa55w0rd9"
        );
        let text = text.as_str();
        for s in ["q8Zr2LxT9vKk", "pa55w0rd9", "with space"] {
            let r = find_by_hash(text, &sha1_hex(s.as_bytes())).expect(s);
            assert_eq!(&text[r], s);
        }
        assert!(!text_contains_hash(text, &sha1_hex(b"gone")));
    }

    /// A write that fails half-way leaves the old baseline as it was and no
    /// temporary file behind.
    #[test]
    fn failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(BASELINE_FILE);
        let mut b = Baseline::new();
        b.generated_at = Some("2026-01-01T00:00:00Z".into());
        b.save(&path).unwrap();
        let old = std::fs::read(&path).unwrap();
        let err = crate::report::write_atomic(&path, |w| {
            w.write_all(b"{\n  \"version\": ")?;
            Err(io::Error::other("disk full"))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), old);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    proptest::proptest! {
        /// Whatever the file names and types, what we write parses back to the same entries.
        #[test]
        fn write_then_parse_round_trips(
            names in proptest::collection::vec(("\\PC{0,12}", "[ -~]{0,10}", 0u64..5, proptest::option::of(proptest::bool::ANY)), 0..6)
        ) {
            let mut b = Baseline::new();
            for (i, (file, kind, line, mark)) in names.into_iter().enumerate() {
                b.entries.push(Entry {
                    kind,
                    filename: file,
                    hashed_secret: sha1_hex(&[i as u8]),
                    is_verified: false,
                    line_number: Some(line).filter(|&l| l > 0),
                    is_secret: mark,
                });
            }
            b.normalize();
            let text = String::from_utf8(b.to_bytes()).unwrap();
            proptest::prop_assert!(text.is_ascii());
            let back = Baseline::parse("b", &text).unwrap();
            proptest::prop_assert_eq!(back.entries, b.entries);
        }
    }
}
