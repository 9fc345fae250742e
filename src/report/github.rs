//! `--format github`: GitHub Actions workflow commands, one per finding, so
//! that each finding shows inline on the pull request's diff:
//!
//! ```text
//! ::error file=config/.env,line=3,col=12,endColumn=44,title=Stripe live secret key::...
//! ```
//!
//! `error` for critical and high, `warning` for medium, `notice` for low and
//! info. Values are escaped per the workflow-command rules ([`escape_data`],
//! [`escape_property`]), so no path or message can end a command early or
//! inject another one; before that, text from the repository has its
//! control characters escaped visibly ([`super::escape`]), so no ESC
//! sequence reaches the log either.

use std::io::{self, Write};

use super::escape::{self, controls, text};
use super::paths::{RepoPath, RepoPaths, RootCache};
use super::{Report, ReportOptions, ScanResult, level, remediation_text};

/// The GitHub annotations report.
#[derive(Debug, Clone, Default)]
pub struct Github {
    paths: RepoPaths,
}

impl Github {
    /// A report that resolves working-tree paths against the current directory.
    pub fn from_current_dir() -> Self {
        Github {
            paths: RepoPaths::from_current_dir(),
        }
    }

    /// A report that resolves working-tree paths with `paths`.
    pub fn new(paths: RepoPaths) -> Self {
        Github { paths }
    }
}

/// The `file=` value for a path's bytes: the exact path when the
/// workflow-command escaping can carry it (UTF-8 whose only control
/// characters are CR and LF, which [`escape_property`] encodes), so that
/// GitHub puts the annotation on the file; else the visibly escaped path
/// ([`escape::bytes`]): ESC and bytes that are not UTF-8 never reach it.
pub fn file_value(raw: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(raw) {
        Ok(s)
            if !s
                .chars()
                .any(|c| escape::is_unsafe(c) && c != '\n' && c != '\r') =>
        {
            std::borrow::Cow::Borrowed(s)
        }
        _ => escape::bytes(raw),
    }
}

/// Escapes a command's message: `%` -> `%25`, CR -> `%0D`, LF -> `%0A`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`): as data, plus `:` -> `%3A`
/// and `,` -> `%2C`, which would otherwise end the value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Report for Github {
    fn write(&self, r: &ScanResult, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        let mut roots = RootCache::default();
        for f in r.findings {
            let command = match level(f.severity) {
                "note" => "notice",
                other => other,
            };
            let file = match self.paths.resolve(f, &mut roots) {
                RepoPath::Relative(p) => file_value(&p).into_owned(),
                RepoPath::Absolute(p) => file_value(p.as_os_str().as_encoded_bytes()).into_owned(),
            };
            let mut props = format!(
                "file={},line={},col={}",
                escape_property(&file),
                f.line,
                f.column
            );
            if f.end_line > f.line {
                props.push_str(&format!(",endLine={}", f.end_line));
            } else {
                props.push_str(&format!(",endColumn={}", f.end_column));
            }
            props.push_str(&format!(
                ",title={}",
                escape_property(&format!("leakhound: {}", text(&f.rule_name)))
            ));
            let mut message = format!(
                "{} ({}, rule {}): {}",
                text(&f.rule_name),
                f.severity,
                f.rule_id,
                text(&f.shown_secret(opts.reveal))
            );
            if !f.details.is_empty() {
                message.push_str(&format!("\n{}", text(&f.details_line())));
            }
            if let Some(r) = &f.reason {
                message.push_str(&format!("\nreason: {}", text(r)));
            }
            if let Some(c) = &f.commit {
                let short = &c.id[..c.id.len().min(12)];
                message.push_str(&format!(
                    "\nIntroduced in commit {} by {} on {}: {}",
                    text(short),
                    text(&c.author_name),
                    text(&c.date),
                    text(&c.summary)
                ));
            }
            if let Some(rule) = r.rules.get(&f.rule_id) {
                let remedy = remediation_text(&rule.spec.remediation);
                if !remedy.is_empty() {
                    let remedy: Vec<_> = remedy.split('\n').map(controls).collect();
                    message.push_str(&format!("\nWhat to do: {}", remedy.join("\n")));
                }
            }
            writeln!(out, "::{command} {props}::{}", escape_data(&message))?;
        }
        for note in r.notes {
            writeln!(
                out,
                "::notice title=leakhound::{}",
                escape_data(&controls(note))
            )?;
        }
        for e in &r.stats.errors {
            writeln!(
                out,
                "::warning title=leakhound::{}",
                escape_data(&format!("not scanned: {}", controls(e)))
            )?;
        }
        let n = r.findings.len();
        let counts: Vec<String> = r
            .by_severity()
            .into_iter()
            .filter(|&(_, k)| k > 0)
            .map(|(s, k)| format!("{k} {s}"))
            .collect();
        match n {
            0 => writeln!(out, "leakhound: no findings in {} files", r.stats.files),
            _ => writeln!(
                out,
                "leakhound: {n} finding{} ({}) in {} files",
                if n == 1 { "" } else { "s" },
                counts.join(", "),
                r.stats.files
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_workflow_command_rules() {
        assert_eq!(
            escape_data("100% done\r\nnext: a,b"),
            "100%25 done%0D%0Anext: a,b"
        );
        assert_eq!(
            escape_property("C:\\dir,x/100%\n.env"),
            "C%3A\\dir%2Cx/100%25%0A.env"
        );
        // `%` first, so an escape sequence in the input is not decoded later.
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_property("%3A"), "%253A");
    }

    #[test]
    fn file_values_are_exact_unless_they_cannot_be() {
        assert_eq!(file_value(b"a\\b\n.env"), "a\\b\n.env");
        assert_eq!(file_value(b"e\x1b[2J.env"), "e\\x1b[2J.env");
        assert_eq!(file_value(b"bad\xff\\.txt"), "bad\\xff\\\\.txt");
    }
}
