//! SARIF: valid against the official 2.1.0 schema (`tests/data/`), shaped as
//! GitHub code scanning wants it, stable across runs, and range scans report
//! only what the range introduced.

mod common;

use std::time::Duration;

use leakhound::report::paths::RepoPaths;
use leakhound::report::sarif::Sarif;
use leakhound::report::{Report, ReportOptions, ScanResult};
use leakhound::source::Stats;
use serde_json::Value;

use common::*;

fn sarif_of(findings: &[leakhound::finding::Finding], reveal: bool) -> Value {
    let rules = test_rules();
    let stats = Stats {
        files: 4,
        bytes: 1234,
        ..Stats::default()
    };
    let notes = vec!["history truncated at 10000 commits".to_string()];
    let result = ScanResult {
        findings,
        stats: &stats,
        elapsed: Duration::from_millis(25),
        rules: &rules,
        notes: &notes,
    };
    let mut out = Vec::new();
    Sarif::new(RepoPaths::with_cwd(None))
        .write(
            &result,
            &ReportOptions {
                reveal,
                color: false,
            },
            &mut out,
        )
        .unwrap();
    serde_json::from_slice(&out).expect("SARIF is JSON")
}

/// Acceptance 1: working-tree and history findings validate against the
/// official schema, and carry the fields GitHub code scanning reads.
#[test]
fn sarif_is_valid_and_has_the_github_fields() {
    let rules = test_rules();
    let findings = test_findings(&rules);
    let doc = sarif_of(&findings, false);
    assert_valid_sarif(&doc);
    // Revealed secrets (any characters) stay valid too.
    assert_valid_sarif(&sarif_of(&findings, true));
    // And so does a clean scan.
    assert_valid_sarif(&sarif_of(&[], false));
    // The validator is not vacuous: a wrong level or a missing message fails.
    let validator = sarif_validator();
    let mut bad = doc.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad));
    let mut bad = doc.clone();
    bad["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!validator.is_valid(&bad));

    assert_eq!(doc["version"], "2.1.0");
    assert!(
        doc["$schema"]
            .as_str()
            .unwrap()
            .contains("sarif-schema-2.1.0")
    );
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "one run");
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "leakhound");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );

    // Every rule that fired, once, and nothing else.
    let descriptors = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = descriptors
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "aws-access-key-id",
            "generic-secret",
            "stripe-secret-key-live",
            "url-credentials"
        ]
    );
    for r in descriptors {
        let id = r["id"].as_str().unwrap();
        let rule = rules.get(id).unwrap();
        assert!(!r["name"].as_str().unwrap().contains(' '), "{id}: name");
        assert_eq!(r["shortDescription"]["text"], rule.spec.name.as_str());
        assert!(r["fullDescription"]["text"].is_string(), "{id}");
        let first_step = rule.spec.remediation.trim().lines().next().unwrap().trim();
        let words: Vec<&str> = first_step.split_whitespace().take(3).collect();
        let help_text = r["help"]["text"].as_str().unwrap();
        assert!(
            help_text.contains(first_step),
            "{id}: help.text {help_text:?}"
        );
        let markdown = r["help"]["markdown"].as_str().unwrap();
        assert!(
            markdown.contains(&words.join(" ")),
            "{id}: help.markdown {markdown:?}"
        );
        let sev: f64 = r["properties"]["security-severity"]
            .as_str()
            .expect("security-severity is a string")
            .parse()
            .expect("security-severity is a number");
        assert!((0.0..=10.0).contains(&sev));
        let tags: Vec<&str> = r["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(
            tags.contains(&"security") && tags.contains(&"secret"),
            "{id}: {tags:?}"
        );
        let level = r["defaultConfiguration"]["level"].as_str().unwrap();
        let expected = match rule.spec.severity.as_str() {
            "critical" | "high" => "error",
            "medium" => "warning",
            _ => "note",
        };
        assert_eq!(level, expected, "{id}");
    }
    let critical = descriptors
        .iter()
        .find(|r| r["id"] == "stripe-secret-key-live")
        .unwrap();
    assert_eq!(critical["properties"]["security-severity"], "9.5");
    assert!(
        critical["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("\\`git filter-repo\\`")
    );

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (res, f) in results.iter().zip(&findings) {
        assert_eq!(res["ruleId"], f.rule_id.as_str());
        let index = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(descriptors[index]["id"], f.rule_id.as_str(), "ruleIndex");
        assert_eq!(
            res["level"],
            descriptors[index]["defaultConfiguration"]["level"]
        );
        let message = res["message"]["text"].as_str().unwrap();
        assert!(message.contains(&f.rule_name));
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &loc["region"];
        assert_eq!(region["startLine"], f.line);
        assert_eq!(region["startColumn"], f.column);
        assert_eq!(region["endLine"], f.end_line);
        assert_eq!(region["endColumn"], f.end_column);
        assert_eq!(
            res["partialFingerprints"]["leakhound/v1"],
            f.fingerprint().as_str()
        );
        match &f.commit {
            Some(c) => {
                let commit = &res["properties"]["commit"];
                assert_eq!(commit["sha"], c.id.as_str());
                assert_eq!(commit["authorName"], c.author_name.as_str());
                assert_eq!(commit["authorEmail"], c.author_email.as_str());
                assert_eq!(commit["date"], c.date.as_str());
                assert!(message.contains(&c.id[..12]), "{message}");
            }
            None => assert!(res["properties"].get("commit").is_none()),
        }
    }
    // Awkward paths are percent-encoded URI references.
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"src/a,b%3A100%25.py"), "{uris:?}");
    assert!(
        uris.contains(&"docs/%3Csetup%3E%20&%20%22notes%22.md"),
        "{uris:?}"
    );
    // Notes reach the reader as notifications.
    let notes = &run["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(
        notes[0]["message"]["text"],
        "history truncated at 10000 commits"
    );
}

#[test]
fn sarif_hides_secrets_unless_revealed() {
    let rules = test_rules();
    let findings = test_findings(&rules);
    let hidden = sarif_of(&findings, false).to_string();
    let shown = sarif_of(&findings, true);
    for s in secrets(&findings) {
        let as_json = serde_json::to_string(&s).unwrap();
        let as_json = &as_json[1..as_json.len() - 1];
        assert!(!hidden.contains(as_json), "secret {s:?} in SARIF");
        assert!(shown.to_string().contains(as_json), "revealed {s:?}");
    }
}

/// A scan from a subdirectory of a repository: URIs are relative to the
/// repository root, the output validates, and fingerprints do not change
/// between runs or when the secret moves to another line.
#[test]
fn sarif_scan_uses_repository_paths_and_stable_fingerprints() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    git_init(repo);
    let key = stripe_live(21);
    std::fs::create_dir_all(repo.join("services/pay")).unwrap();
    std::fs::write(
        repo.join("services/pay/settings.env"),
        format!("# payments\nSTRIPE_SECRET_KEY={key}\n"),
    )
    .unwrap();
    let run = || {
        let out = leakhound_in(&repo.join("services"))
            .args(["scan", "pay", "--format", "sarif"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let first = run();
    assert_valid_sarif(&first);
    assert!(!first.to_string().contains(&key));
    let results = first["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{first:#}");
    let loc = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"], "services/pay/settings.env",
        "relative to the repository root"
    );
    assert_eq!(loc["region"]["startLine"], 2);
    assert_eq!(loc["region"]["startColumn"], 19);
    assert_eq!(loc["region"]["endColumn"], 19 + key.len() as u64);
    let fp = |doc: &Value| doc["runs"][0]["results"][0]["partialFingerprints"].clone();
    let second = run();
    assert_eq!(fp(&first), fp(&second));
    // Moving the secret keeps the fingerprint; the line changes.
    std::fs::write(
        repo.join("services/pay/settings.env"),
        format!("# payments\n\n\n  STRIPE_SECRET_KEY={key}\n"),
    )
    .unwrap();
    let moved = run();
    assert_eq!(fp(&first), fp(&moved));
    assert_eq!(
        moved["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
}

/// Acceptance 3: on a temp repository, `--git --range BASE..HEAD` reports
/// only what HEAD's side introduced (not the base's secrets, not secrets the
/// base branch gained after the fork), with the commit in `properties`, and
/// fingerprints identical across two runs.
#[test]
fn sarif_range_scan_reports_only_what_head_introduced() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    git_init(repo);
    let old_key = stripe_live(31);
    let new_key = stripe_live(32);
    let base_only_key = aws_key_id(33);
    commit_file(
        repo,
        "config/base.env",
        &format!("STRIPE_SECRET_KEY={old_key}\n"),
        "base",
    );
    run_git(repo, &["checkout", "-q", "-b", "feature"]);
    let introducing = commit_file(
        repo,
        "config/pay.env",
        &format!("STRIPE_SECRET_KEY={new_key}\n"),
        "Add payment config",
    );
    commit_file(repo, "README.md", "docs only\n", "Docs");
    run_git(repo, &["checkout", "-q", "main"]);
    commit_file(
        repo,
        "config/aws.env",
        &format!("AWS_ACCESS_KEY_ID={base_only_key}\n"),
        "AWS on main",
    );
    run_git(repo, &["checkout", "-q", "feature"]);

    let run = || {
        let out = leakhound_in(repo)
            .args([
                "scan",
                "--git",
                "--range",
                "main..HEAD",
                "--format",
                "sarif",
            ])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let first = run();
    assert_valid_sarif(&first);
    let text = first.to_string();
    for key in [&old_key, &new_key, &base_only_key] {
        assert!(!text.contains(key.as_str()), "raw secret in SARIF");
    }
    let results = first["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "only HEAD's side: {first:#}");
    let res = &results[0];
    assert_eq!(res["ruleId"], "stripe-secret-key-live");
    assert_eq!(
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "config/pay.env"
    );
    let commit = &res["properties"]["commit"];
    assert_eq!(commit["sha"], introducing.as_str());
    assert_eq!(commit["authorName"], "Ada Tester");
    assert!(commit["date"].as_str().unwrap().starts_with("2024-05-01"));
    let second = run();
    let fps = |doc: &Value| {
        doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(fps(&first), fps(&second));
}
