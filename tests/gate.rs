//! The range gate (`scan --git --range A..B`): suppressions come from A, so a
//! change cannot pass its own secrets by editing `.leakhound.toml`,
//! `.secrets.baseline` or by adding inline allow comments; and nothing in a
//! scanned repository makes leakhound run a command or write elsewhere.

mod gitrepo;

use gitrepo::{Repo, findings, stripe_key};
use leakhound::finding::sha1_hex;
use serde_json::Value;

fn notes(report: &Value) -> Vec<String> {
    report["summary"]["notes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

fn has_note(report: &Value, needle: &str) -> bool {
    notes(report).iter().any(|n| n.contains(needle))
}

/// A repository with one clean commit tagged `base`.
fn base_repo() -> Repo {
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit("base");
    repo.git(&["tag", "base"]);
    repo
}

/// A detect-secrets baseline with one entry for `secret` in `file`.
fn baseline_for(file: &str, secret: &str) -> String {
    serde_json::json!({
        "version": "1.5.0",
        "plugins_used": [{"name": "StripeDetector"}],
        "filters_used": [],
        "results": {
            file: [{
                "type": "Stripe Access Key",
                "filename": file,
                "hashed_secret": sha1_hex(secret.as_bytes()),
                "is_verified": false,
                "line_number": 1
            }]
        },
        "generated_at": "2024-01-01T00:00:00Z"
    })
    .to_string()
}

fn range(repo: &Repo, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["scan", "--git", "--range", "base..HEAD"];
    args.extend_from_slice(extra);
    repo.json(repo.path(), &args)
}

#[test]
fn a_change_that_allowlists_its_own_secret_is_still_reported_and_called_out() {
    let repo = base_repo();
    let key = stripe_key();
    repo.write("app.env", &format!("STRIPE={key}\n"));
    repo.write(
        ".leakhound.toml",
        "[allow]\npaths = [\"app.env\"]\n\n[[allow.secret]]\nsha1 = \"0000000000000000000000000000000000000000\"\n",
    );
    repo.commit("add key and allow it");
    let (code, report, stderr) = range(&repo, &[]);
    assert_eq!(code, 1, "{report} {stderr}");
    assert_eq!(findings(&report).len(), 1, "{report}");
    assert_eq!(findings(&report)[0]["path"], "app.env");
    assert!(
        has_note(&report, "the range adds .leakhound.toml"),
        "{report}"
    );
    assert!(
        has_note(&report, "suppressions are taken from A="),
        "{report}"
    );
    assert!(
        has_note(
            &report,
            "app.env:1: this stripe-secret-key-live finding is suppressed by the range's own .leakhound.toml"
        ),
        "{report}"
    );
    // The call-outs also go to stderr when the report is not human text.
    assert!(
        stderr.contains("the range adds .leakhound.toml"),
        "{stderr}"
    );
    assert!(!stderr.contains(&key) && !report.to_string().contains(&key));

    // --trust-range-config takes B's config: the allowlist then holds.
    let (code, report, _) = range(&repo, &["--trust-range-config"]);
    assert_eq!(code, 0, "{report}");
    assert!(findings(&report).is_empty());
    assert!(has_note(&report, "(--trust-range-config)"), "{report}");
}

#[test]
fn a_change_that_disables_the_rule_or_edits_a_config_from_a_is_still_reported() {
    let repo = Repo::new();
    repo.write(".leakhound.toml", "[allow]\nstopwords = [\"zzzzzz\"]\n");
    repo.commit("base config");
    repo.git(&["tag", "base"]);
    let key = stripe_key();
    repo.write("app.env", &format!("STRIPE={key}\n"));
    repo.write(
        ".leakhound.toml",
        "disable = [\"stripe-secret-key-live\"]\n[allow]\nstopwords = [\"zzzzzz\"]\n",
    );
    repo.commit("add key, disable the rule");
    let (code, report, _) = range(&repo, &[]);
    assert_eq!(code, 1, "{report}");
    assert!(
        has_note(&report, "the range changes .leakhound.toml"),
        "{report}"
    );
    assert!(
        has_note(&report, "suppressed by the range's own"),
        "{report}"
    );
}

#[test]
fn a_change_that_adds_a_baseline_entry_for_its_own_secret_is_still_reported() {
    let repo = base_repo();
    let key = stripe_key();
    repo.write("app.env", &format!("STRIPE={key}\n"));
    repo.write(".secrets.baseline", &baseline_for("app.env", &key));
    repo.commit("add key and baseline it");
    let (code, report, _) = range(&repo, &[]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(findings(&report).len(), 1, "{report}");
    assert!(
        has_note(&report, "the range adds .secrets.baseline"),
        "{report}"
    );
    assert!(
        has_note(
            &report,
            "suppressed by the range's own .secrets.baseline; reported anyway"
        ),
        "{report}"
    );
    // SARIF carries the call-out as a notification.
    let out = repo
        .leakhound()
        .args([
            "scan",
            "--git",
            "--range",
            "base..HEAD",
            "--format",
            "sarif",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let notifications = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        notifications.iter().any(|n| n["message"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("the range adds .secrets.baseline"))),
        "{sarif}"
    );

    let (code, _, _) = range(&repo, &["--trust-range-config"]);
    assert_eq!(code, 0, "B's baseline with --trust-range-config");
}

#[test]
fn a_baseline_entry_that_already_existed_in_a_still_suppresses() {
    let repo = Repo::new();
    let key = stripe_key();
    repo.write(".secrets.baseline", &baseline_for("app.env", &key));
    repo.commit("accept the key in advance");
    repo.git(&["tag", "base"]);
    repo.write("app.env", &format!("STRIPE={key}\n"));
    repo.commit("add the key");
    let (code, report, _) = range(&repo, &[]);
    assert_eq!(code, 0, "{report}");
    assert!(notes(&report).is_empty(), "{report}");

    // The working tree's files are never read in a range scan: an
    // uncommitted config or baseline does not change the outcome.
    let other = stripe_key();
    repo.write("later.env", &format!("K={other}\n"));
    repo.commit("another key");
    repo.write(".leakhound.toml", "[allow]\npaths = [\"later.env\"]\n");
    let (code, report, _) = range(&repo, &[]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(findings(&report)[0]["path"], "later.env");
    // ... but a config named on the command line wins.
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "[allow]\npaths = [\"later.env\"]\n").unwrap();
    let (code, report, _) = range(&repo, &["--config", outside.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{report}");
}

#[test]
fn inline_allow_comments_the_range_adds_are_reported_unless_trusted() {
    let repo = Repo::new();
    let old = stripe_key();
    repo.write("old.env", &format!("OLD={old} # leakhound:allow\n"));
    repo.commit("an allowed key in A");
    repo.git(&["tag", "base"]);
    let new = stripe_key();
    repo.write("new.env", &format!("NEW={new} # leakhound:allow\n"));
    // Moving A's allowed line is not a new secret.
    repo.git(&["mv", "old.env", "moved.env"]);
    repo.commit("add an allowed key, move the old one");
    let (code, report, _) = range(&repo, &[]);
    assert_eq!(code, 1, "{report}");
    let f = findings(&report);
    assert_eq!(f.len(), 1, "{report}");
    assert_eq!(f[0]["path"], "new.env");
    assert!(
        has_note(
            &report,
            "new.env:1: the inline allow comment for this stripe-secret-key-live finding is not honoured"
        ),
        "{report}"
    );
    let (code, report, _) = range(&repo, &["--trust-range-allow-comments"]);
    assert_eq!(code, 0, "{report}");
    // A history audit (no range) honours comments as before.
    let (code, _, _) = repo.json(repo.path(), &["scan", "--git"]);
    assert_eq!(code, 0);
}

#[test]
fn a_malformed_config_in_a_names_the_commit_and_position() {
    let repo = Repo::new();
    repo.write(".leakhound.toml", "[allow]\npaths = [\n");
    let a = repo.commit("bad config");
    repo.git(&["tag", "base"]);
    repo.write("x.txt", "x\n");
    repo.commit("more");
    let (code, _, stderr) = range(&repo, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!("{}:.leakhound.toml: line ", &a[..7])),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn trust_flags_need_a_range() {
    let repo = base_repo();
    for flag in ["--trust-range-config", "--trust-range-allow-comments"] {
        let out = repo
            .leakhound()
            .args(["scan", "--git", flag])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}");
    }
}

// ---- nothing in the repository runs a command or writes elsewhere --------

#[test]
fn repository_config_cannot_run_commands_or_redirect_output() {
    let repo = base_repo();
    let marker = repo
        .path()
        .join("..")
        .join(format!("leakhound-marker-{}", gitrepo::random_base62(8)));
    let m = marker.display().to_string();
    // Filter drivers, fsmonitor and hooks in the scanned repository's own
    // git config: libgit2 reads objects and the index without running them.
    repo.write(".gitattributes", "*.env filter=evil\n");
    repo.write("app.env", "x=1\n");
    repo.commit("attributes");
    // A config key that would name an output file or include another file
    // is not a config key: the config is rejected, nothing is written.
    for (key, value) in [("output", "out.json"), ("include", "/etc/passwd")] {
        repo.write(".leakhound.toml", &format!("{key} = \"{value}\"\n"));
        let out = repo.leakhound().args(["scan", "."]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{key}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("unknown field"), "{err}");
    }
    std::fs::remove_file(repo.path().join(".leakhound.toml")).unwrap();
    // A detect-secrets baseline may name custom plugin and filter files
    // (Python); they are kept as data, never loaded or run.
    let plugin = repo.path().join("evil_plugin.py");
    std::fs::write(&plugin, format!("import os\nos.system('touch {m}')\n")).unwrap();
    let baseline = serde_json::json!({
        "version": "1.5.0",
        "plugins_used": [{"name": "Evil", "path": format!("file://{}", plugin.display())}],
        "filters_used": [{"path": format!("file://{}::evil", plugin.display())}],
        "results": {},
        "generated_at": "2024-01-01T00:00:00Z"
    });
    repo.write(".secrets.baseline", &baseline.to_string());
    repo.write("app.env", "y=2\n");
    repo.git(&["add", "app.env"]);
    // Set last: the git CLI of the test itself would run them.
    for (k, v) in [
        ("filter.evil.clean", format!("touch {m}")),
        ("filter.evil.smudge", format!("touch {m}")),
        ("filter.evil.process", format!("touch {m}")),
        ("core.fsmonitor", format!("touch {m}")),
        ("core.sshCommand", format!("touch {m}")),
        ("diff.external", format!("touch {m}")),
    ] {
        repo.git(&["config", k, &v]);
    }
    std::fs::create_dir_all(repo.path().join(".git/hooks")).unwrap();
    std::fs::write(
        repo.path().join(".git/hooks/post-checkout"),
        format!("#!/bin/sh\ntouch {m}\n"),
    )
    .unwrap();
    for args in [
        &["scan", "."][..],
        &["scan", "--staged"],
        &["scan", "--git"],
        &["scan", "--git", "--range", "base..HEAD"],
        &["baseline", "update"],
        &["baseline", "audit", "--report"],
    ] {
        let out = repo.leakhound().args(args).output().unwrap();
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {out:?}"
        );
        assert!(
            !marker.exists(),
            "{args:?} ran a command from the repository"
        );
    }
    // The plugin entry survives as data.
    let kept = std::fs::read_to_string(repo.path().join(".secrets.baseline")).unwrap();
    assert!(kept.contains("evil_plugin.py"), "{kept}");
}
