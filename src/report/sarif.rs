//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.
//!
//! One run; `tool.driver.rules` holds every rule that fired (sorted by id),
//! with its remediation as `help`, a `security-severity` and tags; each result
//! points at its rule by `ruleId` and `ruleIndex`, carries a region and a
//! `partialFingerprints` entry that depends only on (rule, path, secret), so
//! it does not change across runs however the code moves. History findings
//! carry their commit in `properties.commit`, and structural facts about the
//! secret go in `properties.details`. Secrets are redacted unless the
//! caller reveals them, and never appear anywhere but the message.
//!
//! Artifact URIs are relative to the repository root (`uriBaseId`
//! `%SRCROOT%`), because that is how GitHub maps results to files: working-tree
//! paths are resolved against the directory leakhound ran in and made relative
//! to the git repository holding that directory (or the file), history paths
//! already are.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::paths::{RepoPath, RepoPaths, RootCache};
use super::{Report, ReportOptions, ScanResult, level, remediation_text};
use crate::finding::Finding;
use crate::rules::Severity;

/// The schema URI written as `$schema` (the OASIS errata 01 schema, the same
/// document as `tests/data/sarif-schema-2.1.0.json`).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where leakhound is documented (`tool.driver.informationUri`): the package's
/// `repository`, or the project's home while the manifest names none.
pub const INFORMATION_URI: &str = match env!("CARGO_PKG_REPOSITORY").as_bytes() {
    [] => "https://github.com/leakhound/leakhound",
    _ => env!("CARGO_PKG_REPOSITORY"),
};

/// The `partialFingerprints` key; the version changes only if the
/// fingerprint's definition does. Namespaced on purpose: GitHub's upload
/// action computes `primaryLocationLineHash` itself from the flagged line and
/// warns about any value a tool supplies under that key.
pub const FINGERPRINT_KEY: &str = "leakhound/v1";

/// The base id relative URIs are resolved against.
pub const SRCROOT: &str = "%SRCROOT%";

/// The SARIF report.
#[derive(Debug, Clone, Default)]
pub struct Sarif {
    paths: RepoPaths,
}

impl Sarif {
    /// A report that resolves working-tree paths against the current directory.
    pub fn from_current_dir() -> Self {
        Sarif {
            paths: RepoPaths::from_current_dir(),
        }
    }

    /// A report that resolves working-tree paths with `paths`.
    pub fn new(paths: RepoPaths) -> Self {
        Sarif { paths }
    }

    /// The artifact location of a finding: a URI relative to `%SRCROOT%`
    /// where one can be found, else an absolute `file:` URI.
    fn location(&self, f: &Finding, roots: &mut RootCache) -> ArtifactLocation {
        match self.paths.resolve(f, roots) {
            RepoPath::Relative(rel) => ArtifactLocation {
                uri: encode_path(&rel),
                uri_base_id: Some(SRCROOT),
            },
            RepoPath::Absolute(abs) => ArtifactLocation {
                uri: file_uri(&abs),
                uri_base_id: None,
            },
        }
    }
}

/// `security-severity` for GitHub: it ranks alerts as critical (>= 9.0),
/// high (7.0-8.9), medium (4.0-6.9) or low (0.1-3.9).
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// `Stripe live secret key` -> `StripeLiveSecretKey`: SARIF wants rule names
/// that read as identifiers.
pub fn pascal_case(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            let first = cs.next().map(|c| c.to_uppercase().collect::<String>());
            first.unwrap_or_default() + cs.as_str()
        })
        .collect()
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    /// Our columns count Unicode code points (see `engine::Locator`).
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    severity: &'static str,
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<CommitProperties<'a>>,
    /// Structural facts about the secret (`alg`, `aws_account`, ...).
    #[serde(
        skip_serializing_if = "no_details",
        serialize_with = "super::json::ordered_map"
    )]
    details: &'a [(String, String)],
    /// Why the severity is below the rule's, when a known context says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

fn no_details(d: &&[(String, String)]) -> bool {
    d.is_empty()
}

/// The commit a history finding came in with.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CommitProperties<'a> {
    sha: &'a str,
    author_name: &'a str,
    author_email: &'a str,
    date: &'a str,
    summary: &'a str,
}

impl Report for Sarif {
    fn write(&self, r: &ScanResult, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        // Rules that fired, sorted by id; ruleIndex points into this list.
        let mut fired: BTreeMap<&str, &Finding> = BTreeMap::new();
        for f in r.findings {
            fired.entry(f.rule_id.as_str()).or_insert(f);
        }
        let index: BTreeMap<&str, usize> = fired.keys().enumerate().map(|(i, &k)| (k, i)).collect();
        let rules = fired
            .values()
            .map(|f| rule_descriptor(r, f))
            .collect::<Vec<_>>();

        let mut roots = RootCache::default();
        let results = r
            .findings
            .iter()
            .map(|f| SarifResult {
                rule_id: &f.rule_id,
                rule_index: index[f.rule_id.as_str()],
                level: level(f.severity),
                message: Text {
                    text: message(f, opts.reveal),
                },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: self.location(f, &mut roots),
                        region: Region {
                            start_line: f.line.max(1),
                            start_column: f.column.max(1),
                            end_line: f.end_line.max(f.line).max(1),
                            end_column: f.end_column.max(1),
                        },
                    },
                }],
                partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, f.fingerprint())]),
                properties: ResultProperties {
                    severity: f.severity.as_str(),
                    commit: f.commit.as_deref().map(|c| CommitProperties {
                        sha: &c.id,
                        author_name: &c.author_name,
                        author_email: &c.author_email,
                        date: &c.date,
                        summary: &c.summary,
                    }),
                    details: &f.details,
                    reason: f.reason.as_deref(),
                },
            })
            .collect();

        let mut notifications: Vec<Notification> = r
            .notes
            .iter()
            .map(|n| Notification {
                level: "note",
                message: Text { text: n.clone() },
            })
            .collect();
        notifications.extend(r.stats.errors.iter().map(|e| Notification {
            level: "warning",
            message: Text {
                text: format!("not scanned: {e}"),
            },
        }));

        let log = Log {
            schema: SCHEMA_URI,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "leakhound",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        information_uri: INFORMATION_URI,
                        rules,
                    },
                },
                invocations: [Invocation {
                    execution_successful: true,
                    tool_execution_notifications: notifications,
                }],
                column_kind: "unicodeCodePoints",
                results,
            }],
        };
        super::escape::write_json_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

/// The descriptor of a fired rule, from the rule set; a finding whose rule
/// is not loaded (it cannot happen today) still gets one from the finding.
fn rule_descriptor(r: &ScanResult, f: &Finding) -> RuleDescriptor {
    let spec = r.rules.get(&f.rule_id).map(|rule| &rule.spec);
    let name = spec.map_or(f.rule_name.as_str(), |s| s.name.as_str());
    let severity = spec.map_or(f.severity, |s| s.severity);
    let description = spec
        .map(|s| s.description.trim())
        .filter(|d| !d.is_empty())
        .unwrap_or(name);
    let remediation = spec
        .map(|s| remediation_text(&s.remediation))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Revoke or rotate the secret, then remove it from the code.".into());
    let mut tags = vec!["security".to_string(), "secret".to_string()];
    for t in spec.map(|s| s.tags.as_slice()).unwrap_or_default() {
        if !tags.contains(t) {
            tags.push(t.clone());
        }
    }
    RuleDescriptor {
        id: f.rule_id.clone(),
        name: pascal_case(name),
        short_description: Text {
            text: name.to_string(),
        },
        full_description: Text {
            text: description.to_string(),
        },
        help: Help {
            text: format!("{description}\n\nWhat to do:\n{remediation}"),
            markdown: format!(
                "{}\n\n**What to do**\n\n{}",
                markdown_escape(description),
                markdown_escape(&remediation).replace('\n', "  \n")
            ),
        },
        default_configuration: Configuration {
            level: level(severity),
        },
        properties: RuleProperties {
            security_severity: security_severity(severity),
            severity: severity.as_str(),
            tags,
        },
    }
}

/// The result message: what was found and where it came in, with the secret
/// redacted unless revealed. The remediation is in the rule's help.
/// Like every JSON string of the report, it keeps the exact text (a
/// revealed secret included); the JSON writer escapes control characters
/// ([`super::escape::write_json_pretty`]).
fn message(f: &Finding, reveal: bool) -> String {
    let mut m = format!(
        "{} ({}) found: {}",
        f.rule_name,
        f.severity,
        f.shown_secret(reveal)
    );
    if let Some(c) = &f.commit {
        let short = &c.id[..c.id.len().min(12)];
        m.push_str(&format!(
            "; introduced in commit {short} by {} on {}",
            c.author_name, c.date
        ));
    }
    if !f.details.is_empty() {
        m.push_str(&format!(" ({})", f.details_line()));
    }
    if let Some(r) = &f.reason {
        m.push_str(&format!("; {r}"));
    }
    m
}

/// Escapes the characters that would turn plain rule text into markup.
fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '<' | '>' | '[' | ']' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Percent-encodes a relative path for a URI reference: `/` separates
/// segments; anything outside RFC 3986 unreserved and a few safe
/// sub-delimiters (`:` included, so no segment reads as a scheme) is encoded.
pub fn encode_path(path: &[u8]) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(b as char),
            b'-' | b'.' | b'_' | b'~' | b'/' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' => {
                out.push(b as char)
            }
            b'*' | b'+' | b',' | b';' | b'=' | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A `file:` URI for an absolute path (its bytes percent-encoded).
fn file_uri(abs: &Path) -> String {
    let mut s = abs.as_os_str().as_encoded_bytes().to_vec();
    if cfg!(windows) {
        s.iter_mut()
            .filter(|b| **b == b'\\')
            .for_each(|b| *b = b'/');
    }
    if !s.starts_with(b"/") {
        s.insert(0, b'/');
    }
    let encoded: Vec<String> = s
        .split(|&b| b == b'/')
        .map(|seg| {
            // Keep a Windows drive letter's colon readable (`C:`).
            if seg.len() == 2 && seg[1] == b':' && seg[0].is_ascii_alphabetic() {
                String::from_utf8_lossy(seg).into_owned()
            } else {
                encode_path(seg)
            }
        })
        .collect();
    format!("file://{}", encoded.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_severities() {
        assert_eq!(pascal_case("Stripe live secret key"), "StripeLiveSecretKey");
        assert_eq!(pascal_case("AWS access-key id (v2)"), "AWSAccessKeyIdV2");
        assert_eq!(security_severity(Severity::Critical), "9.5");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Info), "note");
    }

    #[test]
    fn uris_are_encoded_relative_paths() {
        assert_eq!(encode_path(b"src/app config.py"), "src/app%20config.py");
        assert_eq!(encode_path(b"a:b/100%.env"), "a%3Ab/100%25.env");
        assert_eq!(encode_path("dir/ü.txt".as_bytes()), "dir/%C3%BC.txt");
        assert_eq!(encode_path(b"bad\xff\\.txt"), "bad%FF%5C.txt");
        assert_eq!(file_uri(Path::new("/tmp/a b/x")), "file:///tmp/a%20b/x");
    }
}
