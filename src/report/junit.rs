//! `--format junit`: JUnit XML for GitLab, Jenkins and other CI that show
//! test reports. One `<testsuite>`; one failing `<testcase>` per finding,
//! named by rule and location; one passing testcase when the scan is clean,
//! so that consumers which ignore empty suites still show a green check.
//!
//! Written by hand with strict escaping: every attribute and text value
//! goes through [`escape`], which also replaces characters XML 1.0 forbids.
//! Text from the repository (paths, commit metadata, revealed secrets, rule
//! names and remediation from a project config, notes) has its control
//! characters escaped visibly first ([`super::escape`]), and no line of
//! element content starts a CI workflow command (`::`; see [`guard_lines`]).

use std::collections::BTreeSet;
use std::io::{self, Write};

use super::escape::{controls, text};
use super::{Report, ReportOptions, ScanResult, remediation_text};
use crate::finding::Finding;

/// The JUnit report.
pub struct Junit;

/// Escapes text for an XML attribute value or element content: `&`, `<`,
/// `>`, `"` and `'` as entities, tab/newline/CR as character references (so
/// attribute values keep them), and characters not allowed in XML 1.0
/// (other controls, lone surrogates cannot occur in `str`, U+FFFE/U+FFFF) as
/// U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The testcase name of a finding: `rule-id at path:line` (the path escaped).
pub fn case_name(f: &Finding) -> String {
    format!("{} at {}:{}", f.rule_id, f.shown_path(), f.line)
}

/// Element content with literal newlines, where a line whose first
/// non-white-space characters are `::` (a GitHub Actions workflow command,
/// should the file be printed in a CI log) gets its first `:` as the
/// character reference `&#58;`: the same text to an XML reader.
pub fn guard_lines(escaped: &str) -> String {
    escaped
        .split('\n')
        .map(|line| {
            let body = line.trim_start();
            if body.starts_with("::") {
                let indent = &line[..line.len() - body.len()];
                format!("{indent}&#58;{}", &body[1..])
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl Report for Junit {
    fn write(&self, r: &ScanResult, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
        let n = r.findings.len();
        let tests = n.max(1);
        let time = format!("{:.3}", r.elapsed.as_secs_f64());
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="leakhound" tests="{tests}" failures="{n}" errors="0" time="{time}">"#
        )?;
        writeln!(
            out,
            r#"  <testsuite name="leakhound" tests="{tests}" failures="{n}" errors="0" skipped="0" time="{time}">"#
        )?;
        writeln!(out, "    <properties>")?;
        for (name, value) in [
            ("leakhound.version", env!("CARGO_PKG_VERSION").to_string()),
            ("files", r.stats.files.to_string()),
            ("bytes", r.stats.bytes.to_string()),
        ] {
            writeln!(
                out,
                r#"      <property name="{name}" value="{}"/>"#,
                escape(&value)
            )?;
        }
        writeln!(out, "    </properties>")?;
        if n == 0 {
            writeln!(
                out,
                r#"    <testcase classname="leakhound" name="no secrets found" time="0"/>"#
            )?;
        }
        for f in r.findings {
            let shown = text(&f.shown_secret(opts.reveal)).into_owned();
            let name = text(&f.rule_name);
            let message = format!("{name} ({}): {shown}", f.severity);
            let mut body = format!(
                "{}\nrule: {} ({})\nseverity: {}\nlocation: {}:{}:{}\nsecret: {}\nfingerprint: {}\n",
                message,
                f.rule_id,
                name,
                f.severity,
                f.shown_path(),
                f.line,
                f.column,
                shown,
                f.fingerprint()
            );
            if !f.details.is_empty() {
                body.push_str(&format!("details: {}\n", text(&f.details_line())));
            }
            if let Some(r) = &f.reason {
                body.push_str(&format!("reason: {}\n", text(r)));
            }
            if let Some(c) = &f.commit {
                body.push_str(&format!(
                    "commit: {} by {} <{}> on {}: {}\n",
                    text(&c.id),
                    text(&c.author_name),
                    text(&c.author_email),
                    text(&c.date),
                    text(&c.summary)
                ));
            }
            if let Some(rule) = r.rules.get(&f.rule_id) {
                let remedy = remediation_text(&rule.spec.remediation);
                if !remedy.is_empty() {
                    let remedy: Vec<_> = remedy.split('\n').map(controls).collect();
                    body.push_str(&format!("\nWhat to do:\n{}\n", remedy.join("\n")));
                }
            }
            writeln!(
                out,
                r#"    <testcase classname="leakhound.{}" name="{}" file="{}" time="0">"#,
                escape(&f.rule_id),
                escape(&case_name(f)),
                escape(&f.shown_path())
            )?;
            writeln!(
                out,
                r#"      <failure type="{}" message="{}">{}</failure>"#,
                escape(f.severity.as_str()),
                escape(&message),
                // Newlines stay literal in element content.
                guard_lines(&escape(&body).replace("&#10;", "\n"))
            )?;
            writeln!(out, "    </testcase>")?;
        }
        let notes: BTreeSet<&str> = r.notes.iter().map(String::as_str).collect();
        if !notes.is_empty() || !r.stats.errors.is_empty() {
            let mut lines = String::new();
            for note in notes {
                lines.push_str(&format!("note: {}\n", controls(note)));
            }
            for e in &r.stats.errors {
                lines.push_str(&format!("not scanned: {}\n", controls(e)));
            }
            writeln!(
                out,
                "    <system-err>{}</system-err>",
                escape(&lines).replace("&#10;", "\n")
            )?;
        }
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_forbidden_characters() {
        assert_eq!(
            escape(r#"a<b>&"c" 'd'"#),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;"
        );
        assert_eq!(escape("x\ny\tz\r"), "x&#10;y&#9;z&#13;");
        assert_eq!(
            escape("nul\0bell\x07\u{FFFF}"),
            "nul\u{FFFD}bell\u{FFFD}\u{FFFD}"
        );
        assert_eq!(escape("ünïcode ✓"), "ünïcode ✓");
    }

    #[test]
    fn no_content_line_starts_a_workflow_command() {
        assert_eq!(
            super::guard_lines("ok\n  ::add-mask::x\n::warning::y"),
            "ok\n  &#58;:add-mask::x\n&#58;:warning::y"
        );
    }
}
