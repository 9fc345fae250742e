//! `--format csv`: a header and one row per finding (RFC 4180 quoting, by
//! the `csv` crate), for spreadsheets and ad-hoc scripts. The columns follow
//! the JSON report's finding fields, with the commit flattened:
//!
//! `rule_id, rule_name, severity, path, line, column, end_line, end_column,
//! secret, secret_sha1, fingerprint, commit, author_name, author_email,
//! date, summary, details` (the commit columns are empty for working-tree
//! findings; `details` is `key=value` pairs joined by `, `).
//!
//! Text from the repository or a scanned file (path, rule name from a
//! project config, a revealed secret, commit author and summary, details)
//! has its control characters and backslashes escaped as in the human
//! report ([`super::escape`]), so no row spans lines and nothing in the file
//! drives a terminal; the JSON report holds the exact values. Otherwise
//! values are written as they are: a spreadsheet that evaluates a cell
//! starting with `=` should import the file as text.

use std::io::{self, Write};

use super::escape::text;
use super::{Report, ReportOptions, ScanResult};

/// The CSV report.
pub struct Csv;

/// The header row.
pub const HEADER: [&str; 17] = [
    "rule_id",
    "rule_name",
    "severity",
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "secret",
    "secret_sha1",
    "fingerprint",
    "commit",
    "author_name",
    "author_email",
    "date",
    "summary",
    "details",
];

impl Report for Csv {
    fn write(&self, r: &ScanResult, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(HEADER)?;
        for f in r.findings {
            let c = f.commit.as_deref();
            let commit = |get: fn(&crate::finding::CommitInfo) -> &str| text(c.map_or("", get));
            w.write_record([
                f.rule_id.as_str(),
                &text(&f.rule_name),
                f.severity.as_str(),
                &f.shown_path(),
                &f.line.to_string(),
                &f.column.to_string(),
                &f.end_line.to_string(),
                &f.end_column.to_string(),
                &text(&f.shown_secret(opts.reveal)),
                &f.secret_sha1,
                &f.fingerprint(),
                &commit(|c| &c.id),
                &commit(|c| &c.author_name),
                &commit(|c| &c.author_email),
                &commit(|c| &c.date),
                &commit(|c| &c.summary),
                &text(&f.details_line()),
            ])?;
        }
        w.flush()
    }
}
