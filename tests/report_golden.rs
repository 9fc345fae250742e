//! Golden files for every report format: one fixed scan result (findings of
//! every level, awkward paths, a history finding, a note) written by each
//! report and compared with `tests/golden/`. A change to a format shows up
//! as a diff of its golden file in review.
//!
//! A third set (`hostile.*`) pins how every format shows text a repository
//! controls: paths with line breaks, `::` and bytes that are not UTF-8,
//! commit metadata with ESC sequences.
//!
//! To accept an intended change: `LEAKHOUND_BLESS=1 cargo test --test report_golden`.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use leakhound::finding::Finding;
use leakhound::report::github::Github;
use leakhound::report::paths::RepoPaths;
use leakhound::report::sarif::Sarif;
use leakhound::report::{Format, Report, ReportOptions, ScanResult};
use leakhound::source::Stats;

use common::*;

/// The version is written as `{version}` in golden files, so that a release
/// does not touch them.
fn render(report: &dyn Report, findings: &[Finding]) -> String {
    let rules = test_rules();
    let stats = Stats {
        files: 42,
        bytes: 123_456,
        skipped_binary: 2,
        skipped_large: 1,
        errors: vec!["locked.txt: Permission denied (os error 13)".into()],
        ..Stats::default()
    };
    let notes = vec!["history truncated at 10000 commits".to_string()];
    let result = ScanResult {
        findings,
        stats: &stats,
        elapsed: Duration::from_millis(1500),
        rules: &rules,
        notes: &notes,
    };
    let mut out = Vec::new();
    report
        .write(&result, &ReportOptions::default(), &mut out)
        .unwrap();
    String::from_utf8(out)
        .unwrap()
        .replace(env!("CARGO_PKG_VERSION"), "{version}")
}

fn report_for(format: Format) -> Box<dyn Report> {
    // Paths are taken as repository paths, so output does not depend on
    // where the test runs.
    match format {
        Format::Sarif => Box::new(Sarif::new(RepoPaths::with_cwd(None))),
        Format::Github => Box::new(Github::new(RepoPaths::with_cwd(None))),
        other => other.report(),
    }
}

fn check(name: &str, actual: &str) {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "golden", name]
        .iter()
        .collect();
    if std::env::var_os("LEAKHOUND_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with LEAKHOUND_BLESS=1)", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from its golden file at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             (if intended: LEAKHOUND_BLESS=1 cargo test --test report_golden)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

const FORMATS: [(Format, &str); 6] = [
    (Format::Human, "human.txt"),
    (Format::Json, "json.json"),
    (Format::Sarif, "sarif.json"),
    (Format::Junit, "junit.xml"),
    (Format::Github, "github.txt"),
    (Format::Csv, "csv.csv"),
];

#[test]
fn golden_reports_with_findings() {
    let rules = test_rules();
    let findings = test_findings(&rules);
    for (format, file) in FORMATS {
        check(
            &format!("findings.{file}"),
            &render(&*report_for(format), &findings),
        );
    }
}

#[test]
fn golden_reports_clean() {
    for (format, file) in FORMATS {
        check(&format!("clean.{file}"), &render(&*report_for(format), &[]));
    }
}

/// One secret in seven places (one of them found by another rule, two of
/// them in history under other commits) beside a secret found once: the
/// human report groups, the others stay per place.
fn grouped_findings() -> Vec<Finding> {
    let rules = test_rules();
    let shared = stripe_live(31);
    let mut v: Vec<Finding> = (1..=5)
        .map(|i| {
            finding(
                &rules,
                "stripe-secret-key-live",
                &format!("docs/v1.{i}.md"),
                10 + i,
                9,
                &shared,
            )
        })
        .collect();
    v.push(finding(
        &rules,
        "generic-secret",
        "app/settings.py",
        4,
        14,
        &shared,
    ));
    let mut old = finding(
        &rules,
        "stripe-secret-key-live",
        "deploy/old.env",
        2,
        8,
        &shared,
    );
    let mut commit = (*test_commit()).clone();
    commit.id = "9a0364b9e99bb480dd25e1f0284c8555b5a6bd06".into();
    old.commit = Some(std::sync::Arc::new(commit));
    v[0].commit = Some(test_commit());
    v.push(old);
    v.push(finding(
        &rules,
        "aws-access-key-id",
        "src/a.py",
        3,
        5,
        &aws_key_id(32),
    ));
    v.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    v
}

#[test]
fn golden_reports_grouped() {
    let findings = grouped_findings();
    for (format, file) in FORMATS {
        check(
            &format!("grouped.{file}"),
            &render(&*report_for(format), &findings),
        );
    }
}

/// Findings whose paths and commit metadata a hostile repository chose.
fn hostile_findings() -> Vec<Finding> {
    let rules = test_rules();
    let mut injected = finding(
        &rules,
        "stripe-secret-key-live",
        "x\n::add-mask::y\r\n.env",
        3,
        19,
        &stripe_live(21),
    );
    let mut commit = (*test_commit()).clone();
    commit.author_name = "Eve \x1b]0;pwned\x07\x1b[2J".into();
    commit.author_email = "eve\u{9b}8m@example.com".into();
    commit.summary = "fix \x1b[31mred\u{202e} C:\\tmp".into();
    injected.commit = Some(std::sync::Arc::new(commit));
    injected.blob = Some("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391".into());
    let mut bytes = finding(
        &rules,
        "aws-access-key-id",
        "dir/bad\\xff.txt",
        1,
        1,
        &aws_key_id(22),
    );
    bytes.path_bytes = Some(b"dir/bad\xff.txt".to_vec().into());
    let lead = finding(
        &rules,
        "generic-secret",
        "::notice::lead.env",
        2,
        8,
        "s\x1b[2Jecret",
    );
    let mut v = vec![lead, bytes, injected];
    v.sort_by(|a, b| a.raw_path().cmp(b.raw_path()));
    v
}

#[test]
fn golden_reports_hostile() {
    let findings = hostile_findings();
    for (format, file) in FORMATS {
        let out = render(&*report_for(format), &findings);
        assert!(
            !out.chars().any(|c| c.is_control() && c != '\n'),
            "{file}: a control character printed raw:\n{out}"
        );
        check(&format!("hostile.{file}"), &out);
    }
}
