//! Helpers for binary-level tests: temp repositories, fake keys built at
//! test time (no real-format key is ever written in this repository's
//! sources), and a config with rules for them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A deterministic pseudo-random string over `alphabet`.
pub fn random(alphabet: &str, len: usize, seed: u64) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chars[(x % chars.len() as u64) as usize]
        })
        .collect()
}

const BASE62_CHARS: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// A fake Stripe live secret key (`sk_live_` + 24 base62).
pub fn stripe_key(seed: u64) -> String {
    format!("sk_{}_{}", "live", random(BASE62_CHARS, 24, seed))
}

/// A fake AWS access key id (`AKIA` + 16 of `[A-Z2-7]`).
pub fn aws_key(seed: u64) -> String {
    format!(
        "AK{}{}",
        "IA",
        random("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, seed)
    )
}

/// A fake token for the config's `acme-token` rule.
pub fn acme_token(seed: u64) -> String {
    format!(
        "acme_{}",
        random("abcdefghijklmnopqrstuvwxyz0123456789", 16, seed)
    )
}

/// A config with rules for the fake keys (the built-in rules may not hold
/// them yet), so tests do not depend on the rule catalogue.
pub const RULES: &str = r#"
[[rule]]
id = "test-stripe-secret-key"
name = "Stripe secret key (test rule)"
severity = "critical"
keywords = ["sk_live_"]
regex = '''\b(?P<secret>sk_live_[0-9a-zA-Z]{24,99})\b'''

[[rule]]
id = "test-aws-access-key-id"
name = "AWS access key id (test rule)"
severity = "critical"
keywords = ["AKIA"]
regex = '''\b(?P<secret>AKIA[A-Z2-7]{16})\b'''

[[rule]]
id = "acme-token"
name = "ACME token"
severity = "high"
keywords = ["acme_"]
regex = '''\b(?P<secret>acme_[a-z0-9]{16})\b'''
"#;

/// A temp directory with a git repository in `repo/` and room beside it.
pub struct Repo {
    pub dir: tempfile::TempDir,
}

impl Repo {
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir(&repo).unwrap();
        git(&repo, &["init", "-q"]);
        git(&repo, &["config", "user.email", "t@example.invalid"]);
        git(&repo, &["config", "user.name", "t"]);
        Repo { dir }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Writes the test rules (plus `extra`) as a config outside the repo.
    pub fn config(&self, extra: &str) -> PathBuf {
        let p = self.dir.path().join("leakhound.toml");
        std::fs::write(&p, format!("{RULES}\n{extra}")).unwrap();
        p
    }

    /// `git add -A`.
    pub fn add_all(&self) {
        git(&self.root(), &["add", "-A"]);
    }

    /// `leakhound ARGS` run in the repository.
    pub fn leakhound(&self, args: &[&str]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_leakhound"))
            .current_dir(self.root())
            .args(args)
            .output()
            .unwrap();
        Output::from(out)
    }
}

pub fn git(dir: &Path, args: &[&str]) {
    let st = Command::new("git")
        .current_dir(dir)
        .args(args)
        .status()
        .unwrap();
    assert!(st.success(), "git {args:?}");
}

/// A finished command.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Output {
    fn from(o: std::process::Output) -> Self {
        Output {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Output {
    /// The JSON report's findings as (path, rule_id, line).
    pub fn findings(&self) -> Vec<(String, String, u64)> {
        let v: serde_json::Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", self.stdout, self.stderr));
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["rule_id"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect()
    }

    /// The JSON report's notes.
    pub fn notes(&self) -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(&self.stdout).unwrap();
        v["summary"]["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect()
    }
}

/// Whether detect-secrets is on PATH. Without it the interop tests skip
/// loudly, except under CI (`CI` set), where they fail.
pub fn detect_secrets_available() -> bool {
    let ok = Command::new("detect-secrets")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!(
                "detect-secrets is not on PATH, and CI is set: `pip install detect-secrets==1.5.0`"
            );
        }
        // Written to stderr directly: the harness captures `eprintln!`.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED: detect-secrets is not on PATH (pip install detect-secrets==1.5.0) ***\n"
        );
    }
    ok
}

/// The distinct (path, line) of findings: built-in rules may report the
/// same fake key as the test rules do.
pub fn locations(findings: &[(String, String, u64)]) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = findings.iter().map(|(p, _, l)| (p.clone(), *l)).collect();
    v.sort();
    v.dedup();
    v
}
