//! Helpers for binary-level tests on temporary git repositories.
//!
//! Fake secrets are built at test time, so that scanning this repository
//! reports nothing.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use assert_cmd::cargo::CommandCargoExt;
use tempfile::TempDir;

/// `n` pseudo-random base62 characters (a different sequence on every call).
pub fn random_base62(n: usize) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut x =
        nanos ^ (COUNTER.fetch_add(1, Ordering::Relaxed) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|_| {
            // xorshift64*
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
            ALPHABET[(r >> 58) as usize % ALPHABET.len()] as char
        })
        .collect()
}

/// A fake Stripe live secret key.
pub fn stripe_key() -> String {
    format!("sk_live_{}", random_base62(24))
}

/// A fake AWS access key id.
pub fn aws_key() -> String {
    const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let s: String = random_base62(16)
        .bytes()
        .map(|b| B32[b as usize % 32] as char)
        .collect();
    format!("AKIA{s}")
}

/// A temporary git repository driven with the `git` CLI, isolated from the
/// user's and the system's git configuration.
pub struct Repo {
    pub dir: TempDir,
}

/// An empty file to stand for the user's global git config.
fn empty_global_config() -> &'static Path {
    static EMPTY: std::sync::OnceLock<tempfile::NamedTempFile> = std::sync::OnceLock::new();
    EMPTY
        .get_or_init(|| tempfile::NamedTempFile::new().expect("temp file"))
        .path()
}

/// Applies the isolating environment to a command (git or leakhound).
pub fn isolate(cmd: &mut Command) -> &mut Command {
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", empty_global_config())
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.org")
        .env("GIT_COMMITTER_NAME", "Test Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.org")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env("NO_COLOR", "1")
}

impl Repo {
    /// `git init` on branch `main`.
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = Repo { dir };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs git in the repository; panics on failure; returns stdout, trimmed.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(self.path(), args, &[])
    }

    /// Runs git in `dir` with extra environment variables.
    pub fn git_in(&self, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
        let mut cmd = Command::new("git");
        isolate(&mut cmd).current_dir(dir).args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Writes a file (creating directories).
    pub fn write(&self, rel: &str, content: &str) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    /// Stages everything and commits; returns the commit's hash.
    pub fn commit(&self, msg: &str) -> String {
        self.commit_at(msg, "2020-01-01T00:00:00+00:00")
    }

    /// Stages everything and commits with this author and committer date.
    pub fn commit_at(&self, msg: &str, date: &str) -> String {
        self.git(&["add", "-A"]);
        self.git_in(
            self.path(),
            &["commit", "-q", "--allow-empty", "-m", msg],
            &[("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)],
        );
        self.git(&["rev-parse", "HEAD"])
    }

    /// A `leakhound` command running in `dir`, isolated like git.
    pub fn leakhound_in(&self, dir: &Path) -> Command {
        let mut cmd = Command::cargo_bin("leakhound").expect("binary");
        isolate(&mut cmd).current_dir(dir);
        cmd
    }

    /// A `leakhound` command running in the repository's root.
    pub fn leakhound(&self) -> Command {
        self.leakhound_in(self.path())
    }

    /// Runs leakhound with `args` plus `--format json`; returns (exit code,
    /// parsed report or Null, stderr).
    pub fn json(&self, dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
        let out = self
            .leakhound_in(dir)
            .args(args)
            .args(["--format", "json"])
            .output()
            .expect("leakhound runs");
        let code = out.status.code().unwrap_or(-1);
        let report = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
        (
            code,
            report,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// The findings of a JSON report.
pub fn findings(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["findings"].as_array().cloned().unwrap_or_default()
}

/// The project's root (for the pre-commit test).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
