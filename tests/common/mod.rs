//! Shared helpers for binary-level tests: fake keys built at test time (so no
//! real-format key is ever written in a source file) and command builders.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command as StdCommand;

use assert_cmd::Command;

/// A deterministic pseudo-random generator (xorshift), enough for fixtures.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// `n` characters drawn from `alphabet`.
    pub fn string(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char)
            .collect()
    }
}

pub const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A fake Stripe live secret key (valid format, random).
pub fn stripe_live(seed: u64) -> String {
    format!("sk_{}_{}", "live", Rng::new(seed).string(BASE62, 24))
}

/// A fake AWS access key id.
pub fn aws_key_id(seed: u64) -> String {
    format!("AKI{}{}", "A", Rng::new(seed).string(BASE32, 16))
}

/// A fake AWS secret access key.
pub fn aws_secret(seed: u64) -> String {
    Rng::new(seed).string(BASE64, 40)
}

/// The `leakhound` binary under test.
pub fn leakhound() -> Command {
    let mut cmd = Command::cargo_bin("leakhound").expect("binary");
    cmd.env_remove("NO_COLOR").env("LEAKHOUND_TEST", "1");
    cmd
}

/// Writes `text` to `dir/rel`, creating parent directories.
pub fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs `leakhound scan --format json ARGS` and returns (exit code, JSON).
pub fn scan_json(args: &[&str], cwd: &Path) -> (i32, serde_json::Value) {
    let out = leakhound()
        .current_dir(cwd)
        .arg("scan")
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "bad JSON ({e}): stdout={} stderr={}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, json)
}

/// The findings array of a JSON report.
pub fn findings(json: &serde_json::Value) -> &Vec<serde_json::Value> {
    json["findings"].as_array().expect("findings array")
}

mod repo;
#[allow(unused_imports)]
pub use repo::*;

/// The leakhound binary, run in `dir`, without colour.
pub fn leakhound_in(dir: &Path) -> Command {
    let mut cmd = leakhound();
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// Runs git in `dir` with a fixed identity and dates; panics on failure.
pub fn run_git(dir: &Path, args: &[&str]) -> String {
    let out = StdCommand::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Ada Tester")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Tester")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", "2024-05-01T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-05-01T12:00:00Z")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A new git repository in `dir` on branch `main`.
pub fn git_init(dir: &Path) {
    run_git(dir, &["init", "-q", "-b", "main"]);
}

/// Writes `text` to `dir/rel` (creating directories) and commits it.
pub fn commit_file(dir: &Path, rel: &str, text: &str, message: &str) -> String {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    run_git(dir, &["add", rel]);
    run_git(dir, &["commit", "-q", "-m", message]);
    run_git(dir, &["rev-parse", "HEAD"])
}

/// The official SARIF 2.1.0 schema, as a validator that checks formats too.
pub fn sarif_validator() -> jsonschema::Validator {
    let text = include_str!("../data/sarif-schema-2.1.0.json");
    let schema: serde_json::Value = serde_json::from_str(text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

/// Asserts that `doc` is valid SARIF 2.1.0, listing every violation.
pub fn assert_valid_sarif(doc: &serde_json::Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

/// Rules for report tests, independent of the built-in rule files.
pub const TEST_RULES: &str = r#"
[[rule]]
id = "stripe-secret-key-live"
name = "Stripe live secret key"
description = "A live-mode Stripe secret key: full API access to the account."
severity = "critical"
keywords = ["sk_live_"]
regex = '''\b(?P<secret>sk_live_[0-9a-zA-Z]{24,247})\b'''
tags = ["payments", "stripe"]
remediation = """
    Roll the key now in the Stripe Dashboard (Developers > API keys > Roll key).
    Update every service that uses it.

    Purge it from history with `git filter-repo` if the repository is shared.
"""

[[rule]]
id = "aws-access-key-id"
name = "AWS access key id"
severity = "high"
keywords = ["akia"]
regex = '''\b(?P<secret>AKIA[A-Z2-7]{16})\b'''
remediation = "Deactivate the key in IAM, then create a new one for the workloads that used it."

[[rule]]
id = "url-credentials"
name = "URL with credentials"
severity = "medium"
keywords = ["://"]
regex = '''://[^:]+:(?P<secret>[^@]+)@'''
remediation = "Change the password; keep it out of URLs in code."

[[rule]]
id = "generic-secret"
name = "Generic secret assignment"
severity = "low"
keywords = ["secret"]
regex = '''secret\s*=\s*"(?P<secret>[^"]+)"'''
tags = ["generic"]
remediation = "Move the value to the environment; rotate it if it is real."
"#;

/// The rule set of [`TEST_RULES`].
pub fn test_rules() -> leakhound::rules::RuleSet {
    use leakhound::rules::{Rule, RuleSet, parse_rule_file};
    let mut set = RuleSet::default();
    for spec in parse_rule_file("test.toml", TEST_RULES).expect("test rules parse") {
        set.add(Rule::new(spec, "test.toml").expect("test rule"))
            .unwrap();
    }
    set
}

/// A finding of `rule` in `rules` at `path:line:column`.
pub fn finding(
    rules: &leakhound::rules::RuleSet,
    rule: &str,
    path: &str,
    line: usize,
    column: usize,
    secret: &str,
) -> leakhound::finding::Finding {
    let spec = &rules.get(rule).expect("rule exists").spec;
    let n = secret.chars().count();
    leakhound::finding::Finding {
        rule_id: spec.id.clone(),
        rule_name: spec.name.clone(),
        severity: spec.severity,
        path: path.to_string(),
        path_bytes: None,
        line,
        column,
        end_line: line,
        end_column: column + n,
        secret: secret.to_string(),
        secret_sha1: leakhound::finding::sha1_hex(secret.as_bytes()),
        commit: None,
        blob: None,
        details: Vec::new(),
        reason: None,
        appearances: Vec::new(),
    }
}

/// A commit for history findings.
pub fn test_commit() -> std::sync::Arc<leakhound::finding::CommitInfo> {
    std::sync::Arc::new(leakhound::finding::CommitInfo {
        id: "3f786850e387550fdab836ed7e6dc881de23001b".into(),
        author_name: "Ada Tester".into(),
        author_email: "ada@example.com".into(),
        date: "2024-05-01T12:00:00+00:00".into(),
        summary: "Add payment config".into(),
    })
}

/// Findings of every severity level the test rules have, in awkward paths,
/// one of them from history; sorted as the scan sorts them.
pub fn test_findings(rules: &leakhound::rules::RuleSet) -> Vec<leakhound::finding::Finding> {
    let mut history = finding(
        rules,
        "stripe-secret-key-live",
        "deploy/old.env",
        7,
        12,
        &stripe_live(11),
    );
    history.commit = Some(test_commit());
    history.blob = Some("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391".into());
    let mut aws = finding(
        rules,
        "aws-access-key-id",
        "src/a,b:100%.py",
        10,
        5,
        &aws_key_id(2),
    );
    // Structural details, with characters every format must escape.
    aws.details = vec![
        ("aws_key_type".into(), "long-term access key (AKIA)".into()),
        ("aws_account".into(), "123456789012".into()),
        ("note".into(), "a,b:<&>\"%".into()),
    ];
    let mut v = vec![
        finding(
            rules,
            "stripe-secret-key-live",
            "config/.env",
            3,
            19,
            &stripe_live(1),
        ),
        aws,
        finding(
            rules,
            "url-credentials",
            "docs/<setup> & \"notes\".md",
            2,
            14,
            "hunter2%\n:,x",
        ),
        finding(
            rules,
            "generic-secret",
            "app/settings.py",
            1,
            11,
            "Q9v!x<&>\"'z",
        ),
        history,
    ];
    v.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    v
}

/// Every raw secret of `findings`.
pub fn secrets(findings: &[leakhound::finding::Finding]) -> Vec<String> {
    findings.iter().map(|f| f.secret.clone()).collect()
}

/// Scans a fresh directory holding `files` (path, text); returns the exit
/// code and the JSON findings.
pub fn scan_files(files: &[(&str, String)]) -> (i32, Vec<serde_json::Value>) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    let (code, json) = scan_json(&["."], dir.path());
    (code, findings(&json).clone())
}

/// One line per finding (path, line, rule, redacted secret), for assertion
/// messages.
pub fn describe(found: &[serde_json::Value]) -> String {
    found
        .iter()
        .map(|f| {
            format!(
                "  {}:{} {} {}",
                f["path"].as_str().unwrap_or(""),
                f["line"],
                f["rule_id"].as_str().unwrap_or(""),
                f["secret"].as_str().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts that scanning `files` finds exactly `planted`, as (path, rule id)
/// pairs, and exits 1 (0 when nothing is planted).
pub fn assert_only(files: &[(&str, String)], planted: &[(&str, &str)]) {
    let (code, found) = scan_files(files);
    let mut got: Vec<(String, String)> = found
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = planted
        .iter()
        .map(|(p, r)| (p.to_string(), r.to_string()))
        .collect();
    want.sort();
    assert_eq!(got, want, "findings:\n{}", describe(&found));
    assert_eq!(code, if want.is_empty() { 0 } else { 1 });
}

/// A random version-4-shaped UUID.
pub fn uuid(r: &mut Rng) -> String {
    let h = r.string(b"0123456789abcdef", 32);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..]
    )
}
