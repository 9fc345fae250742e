//! The real `pre-commit` framework (4.x) runs this project's
//! `.pre-commit-hooks.yaml` hook: a temporary repository whose
//! `.pre-commit-config.yaml` points at this checkout at its current `HEAD`
//! commit. pre-commit's `language: rust` builds that commit with
//! `cargo install`, so this tests what is committed, not the working tree.
//!
//! Skipped, loudly, when `pre-commit` is not on `PATH`, except in CI (env
//! `CI` set), where it must run. `PRE_COMMIT_HOME` and the cargo target
//! directory are kept under `target/` so that reruns at the same commit reuse
//! the build (`LEAKHOUND_PRE_COMMIT_HOME` overrides the location).

mod gitrepo;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gitrepo::{Repo, isolate, project_root, stripe_key};

fn on_path(exe: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(exe).is_file()))
}

/// A command with the test repository's isolation and without the variables
/// `cargo test` sets for test binaries, which would confuse the nested
/// `cargo install`.
fn command(program: &str, dir: &Path, cache: &Path) -> Command {
    let mut cmd = Command::new(program);
    isolate(&mut cmd).current_dir(dir);
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key == "CARGO"
            || key == "OUT_DIR"
            || (key.starts_with("CARGO_")
                && !key.starts_with("CARGO_HOME")
                && !key.starts_with("CARGO_NET")
                && !key.starts_with("CARGO_REGISTRIES")
                && !key.starts_with("CARGO_HTTP"))
        {
            cmd.env_remove(key.as_ref());
        }
    }
    // The hook's behaviour is under test, not its speed: build it quickly.
    cmd.env("PRE_COMMIT_HOME", cache.join("home"))
        .env("CARGO_TARGET_DIR", cache.join("cargo-target"))
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1")
        .env("PRE_COMMIT_COLOR", "never");
    cmd
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn pre_commit_framework_blocks_a_secret_and_passes_a_clean_commit() {
    if !on_path("pre-commit") {
        assert!(
            std::env::var_os("CI").is_none(),
            "pre-commit is not on PATH, but CI is set: this test must run in CI (pip install 'pre-commit==4.*')"
        );
        eprintln!(
            "\n*** SKIPPED pre_commit_framework_blocks_a_secret_and_passes_a_clean_commit: \
             `pre-commit` is not on PATH (pip install 'pre-commit==4.*') ***\n"
        );
        return;
    }
    let root = project_root();
    let head = Command::new("git")
        .args(["-C", root.to_str().unwrap(), "rev-parse", "HEAD"])
        .output()
        .expect("git runs");
    assert!(head.status.success(), "the project is not a git checkout");
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let cache: PathBuf = std::env::var_os("LEAKHOUND_PRE_COMMIT_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target").join("pre-commit-test"));
    std::fs::create_dir_all(&cache).unwrap();
    eprintln!("pre-commit test: building leakhound at {head} (first run compiles it)");

    let repo = Repo::new();
    repo.write(
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: {}\n    rev: {head}\n    hooks:\n      - id: leakhound\n",
            root.display()
        ),
    );
    repo.write("README.md", "# demo\n");
    let run = |program: &str, args: &[&str]| {
        command(program, repo.path(), &cache)
            .args(args)
            .output()
            .expect("runs")
    };
    let out = run("pre-commit", &["install"]);
    assert!(out.status.success(), "pre-commit install: {}", text(&out));
    let out = run("pre-commit", &["install-hooks"]);
    assert!(
        out.status.success(),
        "pre-commit install-hooks: {}",
        text(&out)
    );

    // A clean commit passes.
    assert!(run("git", &["add", "-A"]).status.success());
    let out = run("git", &["commit", "-m", "clean"]);
    assert!(out.status.success(), "clean commit blocked: {}", text(&out));
    assert!(
        text(&out).contains("leakhound"),
        "the hook ran: {}",
        text(&out)
    );

    // A commit adding a fake Stripe key is blocked with a readable message.
    let key = stripe_key();
    repo.write(
        "app/settings.py",
        &format!("DEBUG = False\nSTRIPE_KEY = \"{key}\"\n"),
    );
    assert!(run("git", &["add", "-A"]).status.success());
    let out = run("git", &["commit", "-m", "add a key"]);
    let msg = text(&out);
    eprintln!("pre-commit's output for the blocked commit:\n{msg}");
    assert!(!out.status.success(), "secret commit passed: {msg}");
    assert!(msg.contains("app/settings.py:2:15"), "{msg}");
    assert!(msg.contains("Stripe"), "{msg}");
    assert!(msg.contains("commit blocked"), "{msg}");
    assert!(!msg.contains(&key), "the key is redacted: {msg}");
    // Nothing was committed.
    let log = run("git", &["log", "--oneline"]);
    assert_eq!(String::from_utf8_lossy(&log.stdout).lines().count(), 1);
}
