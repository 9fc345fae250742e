//! Golden files for every report format: one fixed scan result (findings of
//! every level, awkward paths, a history finding, a note) written by each
//! report and compared with `tests/golden/`. A change to a format shows up
//! as a diff of its golden file in review.
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
