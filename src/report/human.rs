//! The human report: one entry per secret (`path:line:column`, severity,
//! rule, redacted secret), its structural details and the commit for history
//! findings on short lines below it, then, for a secret found in several
//! places, their count and the first few of them; one remediation line per
//! rule that fired, and a summary line.
//!
//! Text from the repository or a scanned file (paths, commit metadata,
//! secrets, names and remediation of rules from a project config, notes) is
//! escaped ([`super::escape`]): no control character reaches the terminal,
//! and no line starts a CI workflow command.

use std::collections::BTreeSet;
use std::io::{self, Write};

use super::escape::{controls, line_start, text};
use super::{Report, ReportOptions, ScanResult};
use crate::finding::Finding;
use crate::rules::Severity;

/// The human report.
pub struct Human;

fn paint(opts: &ReportOptions, code: &str, text: &str) -> String {
    if opts.color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "1;31",
        Severity::High => "31",
        Severity::Medium => "33",
        Severity::Low => "36",
        Severity::Info => "2",
    }
}

/// `1.2 MB`-style size.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// Places of a grouped secret listed under its entry, besides the entry's own.
pub const PLACES_SHOWN: usize = 4;

/// `path:line:column`, as an entry or a place under one starts.
fn location(f: &Finding) -> String {
    format!("{}:{}:{}", line_start(&f.shown_path()), f.line, f.column)
}

impl Report for Human {
    fn write(&self, r: &ScanResult, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        let groups = r.secret_groups();
        for group in &groups {
            // The entry is the group's most severe finding (the first of
            // those); the other places follow it, in report order.
            let worst = group
                .iter()
                .copied()
                .min_by_key(|&i| std::cmp::Reverse(r.findings[i].severity))
                .unwrap_or(group[0]);
            let f = &r.findings[worst];
            let loc = location(f);
            writeln!(
                out,
                "{}  {}  {} [{}]  {}",
                paint(opts, "1", &loc),
                paint(
                    opts,
                    severity_color(f.severity),
                    &format!("{:<8}", f.severity.as_str())
                ),
                text(&f.rule_name),
                f.rule_id,
                text(&f.shown_secret(opts.reveal))
            )?;
            if !f.details.is_empty() {
                writeln!(out, "    {}", paint(opts, "2", &text(&f.details_line())))?;
            }
            if let Some(r) = &f.reason {
                writeln!(out, "    reason: {}", text(r))?;
            }
            if let Some(c) = &f.commit {
                let short = &c.id[..c.id.len().min(12)];
                writeln!(
                    out,
                    "    introduced in {} by {} <{}> on {}: {}",
                    paint(opts, "33", &text(short)),
                    text(&c.author_name),
                    text(&c.author_email),
                    text(&c.date),
                    text(&c.summary)
                )?;
            }
            if group.len() > 1 {
                writeln!(
                    out,
                    "    the same secret in {} places; also at:",
                    group.len()
                )?;
                let others: Vec<&Finding> = group
                    .iter()
                    .filter(|&&i| i != worst)
                    .map(|&i| &r.findings[i])
                    .collect();
                for o in others.iter().take(PLACES_SHOWN) {
                    let mut place = format!("      {}", location(o));
                    if o.rule_id != f.rule_id {
                        place.push_str(&format!(" [{}]", o.rule_id));
                    }
                    if let Some(c) = o.commit.as_ref().filter(|c| Some(*c) != f.commit.as_ref()) {
                        place.push_str(&format!(" in {}", text(&c.id[..c.id.len().min(12)])));
                    }
                    writeln!(out, "{place}")?;
                }
                if others.len() > PLACES_SHOWN {
                    writeln!(
                        out,
                        "      and {} more (--format json lists every place)",
                        others.len() - PLACES_SHOWN
                    )?;
                }
            }
        }
        let fired: BTreeSet<&str> = r.findings.iter().map(|f| f.rule_id.as_str()).collect();
        if !fired.is_empty() {
            writeln!(out, "\n{}", paint(opts, "1", "What to do:"))?;
            for id in fired {
                if let Some(rule) = r.rules.get(id) {
                    let remedy = rule
                        .spec
                        .remediation
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    writeln!(out, "  {}: {}", paint(opts, "1", id), controls(&remedy))?;
                }
            }
            writeln!(out)?;
        }
        for note in r.notes {
            writeln!(out, "note: {}", controls(note))?;
        }
        let s = r.stats;
        let mut skipped = Vec::new();
        if s.skipped_binary > 0 {
            skipped.push(format!("{} binary", s.skipped_binary));
        }
        if s.skipped_large > 0 {
            skipped.push(format!("{} too large", s.skipped_large));
        }
        if !s.errors.is_empty() {
            skipped.push(format!("{} unreadable", s.errors.len()));
        }
        let skipped = if skipped.is_empty() {
            String::new()
        } else {
            format!("; skipped {}", skipped.join(", "))
        };
        let counts: Vec<String> = r
            .by_severity()
            .into_iter()
            .filter(|&(_, n)| n > 0)
            .map(|(sev, n)| paint(opts, severity_color(sev), &format!("{n} {sev}")))
            .collect();
        let secrets = if groups.len() < r.findings.len() {
            format!(" of {} secrets", groups.len())
        } else {
            String::new()
        };
        let findings = match r.findings.len() {
            0 => "no findings".to_string(),
            1 => format!("1 finding ({})", counts.join(", ")),
            n => format!("{n} findings{secrets} ({})", counts.join(", ")),
        };
        writeln!(
            out,
            "Scanned {} files ({}) in {:.2} s{skipped}: {findings}.",
            s.files,
            human_bytes(s.bytes),
            r.elapsed.as_secs_f64()
        )
    }
}
