//! Shared helpers for binary-level tests: fake keys built at test time (so no
//! real-format key is ever written in a source file) and command builders.
#![allow(dead_code)]

use std::path::Path;

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
