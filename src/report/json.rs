//! `--format json`: a stable, documented schema (see README.md).
//!
//! ```json
//! { "version": 1, "tool": {"name": "leakhound", "version": "..."},
//!   "findings": [ { "rule_id", "rule_name", "severity", "path", "path_bytes"?,
//!                   "line", "column",
//!                   "end_line", "end_column", "secret", "secret_sha1",
//!                   "fingerprint", "secret_group", "secret_group_size",
//!                   "commit": null | {...},
//!                   "details": { "alg": "HS256", ... }, "reason"? } ],
//!   "summary": { "files", "bytes", "skipped_binary", "skipped_large", "errors",
//!                "duration_ms", "findings", "secrets", "by_severity": {...} } }
//! ```

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, ReportOptions, ScanResult};
use crate::finding::{CommitInfo, Finding};

/// The JSON report.
pub struct Json;

/// The JSON schema's version; bumped only on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary<'a>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// One finding in the JSON report.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    pub rule_id: &'a str,
    pub rule_name: &'a str,
    pub severity: &'static str,
    pub path: &'a str,
    /// The path's exact bytes, base64 (standard alphabet, padded), only
    /// when they are not UTF-8 (`path` then shows them escaped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<String>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub secret: String,
    pub secret_sha1: &'a str,
    pub fingerprint: String,
    /// The secret's number in this report (1, 2, ...; in the order of each
    /// secret's first finding): findings of one secret share it, wherever
    /// they are, as the human report lists them under one entry.
    pub secret_group: usize,
    /// How many findings of this report hold the same secret.
    pub secret_group_size: usize,
    pub commit: Option<&'a CommitInfo>,
    /// Structural facts (`alg`, `exp`, `aws_account`, `mode`, ...), in order.
    #[serde(serialize_with = "ordered_map")]
    pub details: &'a [(String, String)],
    /// Why the severity is below the rule's (a public documentation
    /// example, a browser key in front-end config); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'a str>,
}

/// Serializes (key, value) pairs as a JSON object, keeping their order.
pub fn ordered_map<S: serde::Serializer>(
    pairs: &&[(String, String)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

impl<'a> JsonFinding<'a> {
    /// The JSON view of a finding, the `group`-th secret of its report
    /// (1-based), which `size` findings hold.
    pub fn new(f: &'a Finding, reveal: bool, group: usize, size: usize) -> Self {
        JsonFinding {
            rule_id: &f.rule_id,
            rule_name: &f.rule_name,
            severity: f.severity.as_str(),
            path: &f.path,
            path_bytes: f.path_bytes.as_deref().map(|b| {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD.encode(b)
            }),
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            end_column: f.end_column,
            secret: f.shown_secret(reveal),
            secret_sha1: &f.secret_sha1,
            fingerprint: f.fingerprint(),
            secret_group: group,
            secret_group_size: size,
            commit: f.commit.as_deref(),
            details: &f.details,
            reason: f.reason.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    files: u64,
    bytes: u64,
    skipped_binary: u64,
    skipped_large: u64,
    errors: usize,
    duration_ms: u128,
    findings: usize,
    /// Distinct secrets among the findings.
    secrets: usize,
    by_severity: serde_json::Map<String, serde_json::Value>,
    notes: &'a [String],
}

impl Report for Json {
    fn write(&self, r: &ScanResult, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        let groups = r.secret_groups();
        let mut group_of = vec![(0, 0); r.findings.len()];
        for (g, members) in groups.iter().enumerate() {
            for &i in members {
                group_of[i] = (g + 1, members.len());
            }
        }
        let doc = Doc {
            version: SCHEMA_VERSION,
            tool: Tool {
                name: "leakhound",
                version: env!("CARGO_PKG_VERSION"),
            },
            findings: r
                .findings
                .iter()
                .zip(&group_of)
                .map(|(f, &(g, n))| JsonFinding::new(f, opts.reveal, g, n))
                .collect(),
            summary: Summary {
                files: r.stats.files,
                bytes: r.stats.bytes,
                skipped_binary: r.stats.skipped_binary,
                skipped_large: r.stats.skipped_large,
                errors: r.stats.errors.len(),
                duration_ms: r.elapsed.as_millis(),
                findings: r.findings.len(),
                secrets: groups.len(),
                by_severity: r
                    .by_severity()
                    .into_iter()
                    .map(|(s, n)| (s.as_str().to_string(), n.into()))
                    .collect(),
                notes: r.notes,
            },
        };
        super::escape::write_json_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
