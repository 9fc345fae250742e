//! Binary-level tests of `leakhound scan` on temporary directories.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn finds_a_secret_with_rule_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let key = stripe_live(1);
    write(
        dir.path(),
        "app/settings.py",
        format!("import os\n\nSTRIPE_API_KEY = \"{key}\"\n"),
    );
    let (code, json) = scan_json(&["."], dir.path());
    assert_eq!(code, 1);
    let f = findings(&json);
    assert_eq!(f.len(), 1, "{json:#}");
    assert_eq!(f[0]["rule_id"], "stripe-secret-key-live");
    assert_eq!(f[0]["severity"], "critical");
    assert_eq!(f[0]["path"], "app/settings.py");
    assert_eq!(f[0]["line"], 3);
    assert_eq!(f[0]["column"], 19);
    assert_eq!(f[0]["end_column"], 19 + key.len() as u64);
    assert_eq!(f[0]["secret_sha1"].as_str().unwrap().len(), 40);
    assert_eq!(f[0]["fingerprint"].as_str().unwrap().len(), 40);
    assert_eq!(json["summary"]["files"], 1);
}

#[test]
fn placeholders_are_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "README.md",
        "STRIPE_API_KEY=sk_live_...\nSTRIPE_API_KEY=<your-stripe-key>\n\
         SECRET_KEY=your-secret-key-here\nSECRET_KEY=${SECRET_KEY}\n\
         api_key: \"{{ api_key }}\"\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n\
         DATABASE_URL=postgresql://user:password@localhost/db\n\
         SECRET_KEY=super-secret-key-change-in-production\n\
         ENCRYPTION_KEY=<44-char-fernet-key>\nSTRIPE_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n",
    );
    leakhound()
        .current_dir(dir.path())
        .args(["scan", "."])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no findings"));
}

#[test]
fn exit_codes_are_0_1_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "clean.txt", "nothing to see\n");
    leakhound().args(["scan"]).arg(dir.path()).assert().code(0);
    write(
        dir.path(),
        "dirty.env",
        format!("STRIPE_KEY={}\n", stripe_live(2)),
    );
    leakhound().args(["scan"]).arg(dir.path()).assert().code(1);
    leakhound()
        .args(["scan"])
        .arg(dir.path().join("does-not-exist"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does-not-exist"));
    leakhound().args(["scan", "--bogus-flag"]).assert().code(2);
}

#[test]
fn reads_standard_input() {
    let key = stripe_live(3);
    let out = leakhound()
        .args(["scan", "-", "--format", "json"])
        .write_stdin(format!("first line\nkey = {key}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = findings(&json);
    assert_eq!(f[0]["path"], "<stdin>");
    assert_eq!(f[0]["line"], 2);
    assert_eq!(f[0]["column"], 7);
    leakhound()
        .args(["scan", "-"])
        .write_stdin("nothing\n")
        .assert()
        .code(0);
}

#[test]
fn binary_and_oversized_files_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let key = stripe_live(4);
    let mut binary = format!("key={key}\n").into_bytes();
    binary.extend_from_slice(&[0, 1, 2, 3]);
    write(dir.path(), "blob.bin", binary);
    let mut big = format!("key={key}\n");
    big.push_str(&"x".repeat(4096));
    write(dir.path(), "big.txt", big);
    let (code, json) = scan_json(&[".", "--max-file-size", "2KiB"], dir.path());
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["summary"]["skipped_binary"], 1);
    assert_eq!(json["summary"]["skipped_large"], 1);
    let (code, json) = scan_json(&["."], dir.path());
    assert_eq!(code, 1, "the large file is scanned under the default limit");
    assert_eq!(findings(&json)[0]["path"], "big.txt");
}

#[test]
fn gitignore_is_honoured_hidden_files_are_scanned_git_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", "ignored/\n");
    write(
        dir.path(),
        "ignored/keys.txt",
        format!("k={}\n", stripe_live(5)),
    );
    write(
        dir.path(),
        ".env",
        format!("STRIPE_KEY={}\n", stripe_live(6)),
    );
    write(dir.path(), ".git/config", format!("k={}\n", stripe_live(7)));
    // `.env` has two findings: the key, and the file itself.
    let (code, json) = scan_json(&["."], dir.path());
    assert_eq!(code, 1);
    assert_eq!(finding_paths(&json), [".env"]);
    let (_, json) = scan_json(&[".", "--no-ignore"], dir.path());
    assert_eq!(finding_paths(&json), [".env", "ignored/keys.txt"]);
}

/// The paths with findings, in report order, each once.
fn finding_paths(json: &serde_json::Value) -> Vec<String> {
    let mut p: Vec<String> = findings(json)
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    p.dedup();
    p
}

#[test]
fn outside_a_work_tree_gitignore_does_not_apply_but_ignore_files_do() {
    // A copy of a project (a tarball, a backup) is not a repository: its
    // ignored `.env` is as exposed as any other file in it.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", ".env\n");
    write(dir.path(), ".ignore", "fixtures/\n");
    write(
        dir.path(),
        ".env",
        format!("STRIPE_KEY={}\n", stripe_live(23)),
    );
    write(
        dir.path(),
        "fixtures/keys.txt",
        format!("k={}\n", stripe_live(24)),
    );
    let (code, json) = scan_json(&["."], dir.path());
    assert_eq!(code, 1);
    assert_eq!(finding_paths(&json), [".env"], "{json:#}");
}

#[test]
fn tracked_files_are_scanned_even_when_gitignored() {
    let dir = tempfile::tempdir().unwrap();
    git_init(dir.path());
    // Committed first, ignored later: still in the repository.
    commit_file(
        dir.path(),
        "app/.env",
        &format!("STRIPE_KEY={}\n", stripe_live(21)),
        "add env",
    );
    write(dir.path(), ".gitignore", ".env\n");
    // Never committed and ignored: the recommended setup, not a leak.
    write(
        dir.path(),
        "app/.env.local.env",
        format!("STRIPE_KEY={}\n", stripe_live(22)),
    );
    write(dir.path(), ".gitignore", ".env\n*.local.env\n");
    let (code, json) = scan_json(&["."], dir.path());
    assert_eq!(code, 1);
    assert_eq!(finding_paths(&json), ["app/.env"], "{json:#}");
    // Named from a subdirectory, the path is as the walk names it.
    let (_, json) = scan_json(&["."], &dir.path().join("app"));
    assert_eq!(finding_paths(&json), [".env"], "{json:#}");
    let (_, json) = scan_json(&[".", "--no-ignore"], dir.path());
    assert_eq!(finding_paths(&json), ["app/.env", "app/.env.local.env"]);
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret.env",
        format!("k={}\n", stripe_live(8)),
    );
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.env"), dir.path().join("f")).unwrap();
    leakhound()
        .current_dir(dir.path())
        .args(["scan", "."])
        .assert()
        .code(0);
}

#[test]
fn secrets_are_redacted_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let key = stripe_live(9);
    write(dir.path(), "a.env", format!("STRIPE_KEY={key}\n"));
    for format in ["human", "json"] {
        let out = leakhound()
            .current_dir(dir.path())
            .args(["scan", ".", "--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains(&key), "{format} leaks the secret: {text}");
        assert!(text.contains("sk_live_"), "{format}: {text}");
        let out = leakhound()
            .current_dir(dir.path())
            .args(["scan", ".", "--no-redact", "--format", format])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains(&key));
    }
}

#[test]
fn human_report_has_location_remediation_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.env",
        format!("STRIPE_KEY={}\n", stripe_live(10)),
    );
    leakhound()
        .current_dir(dir.path())
        .args(["scan", "."])
        .env("NO_COLOR", "1")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("a.env:1:12"))
        .stdout(predicate::str::contains("critical"))
        .stdout(predicate::str::contains("What to do:"))
        .stdout(predicate::str::contains("Scanned 1 files"))
        .stdout(predicate::str::contains("1 finding (1 critical)"))
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.env",
        format!("STRIPE_KEY={}\n", stripe_live(11)),
    );
    let out = dir.path().join("report.json");
    leakhound()
        .current_dir(dir.path())
        .args(["scan", "a.env", "--format", "json", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stdout("");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(findings(&json).len(), 1);
    // An unwritable destination is an error, not a partial file.
    leakhound()
        .current_dir(dir.path())
        .args(["scan", "a.env", "-o", "no-such-dir/report.txt"])
        .assert()
        .code(2);
}

#[test]
fn invalid_utf8_is_scanned_as_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xc3\x28 garbage \xff\xfe\n".to_vec();
    bytes.extend_from_slice(format!("STRIPE_KEY={}\n", stripe_live(12)).as_bytes());
    write(dir.path(), "latin1.txt", bytes);
    let (code, json) = scan_json(&["."], dir.path());
    assert_eq!(code, 1);
    assert_eq!(findings(&json)[0]["line"], 2);
}

#[test]
fn rules_command_lists_every_family() {
    let out = leakhound().arg("rules").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for id in [
        "stripe-secret-key-live",
        "aws-access-key-id",
        "jwt",
        "fernet-key",
        "private-key",
        "github-pat",
        "slack",
        "google-api-key",
        "sendgrid",
        "generic",
    ] {
        assert!(text.contains(id), "no rule like {id} in:\n{text}");
    }
}

/// The secrets-management guides our users follow are all placeholders.
#[test]
fn seed_guides_report_nothing() {
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/seeds");
    if !seeds.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "shared/corpus/seeds missing in CI"
        );
        eprintln!("SKIPPED: {} not found", seeds.display());
        return;
    }
    leakhound()
        .args(["scan"])
        .arg(&seeds)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no findings"));
}

/// Our own repository passes its own scan (fixtures carry allow comments or
/// are built at test time).
#[test]
fn own_repository_reports_nothing() {
    leakhound()
        .args(["scan", env!("CARGO_MANIFEST_DIR")])
        .assert()
        .code(0);
}

#[test]
fn utf16_files_with_a_bom_are_decoded_and_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "# saved by a Windows editor\r\nSTRIPE_KEY={}\r\n",
        stripe_live(13)
    );
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    write(dir.path(), ".env", bytes);
    let (code, json) = scan_json(&["."], dir.path());
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(findings(&json)[0]["line"], 2);
    assert_eq!(findings(&json)[0]["column"], 12);
}

/// A PEM private key with a random body, built at test time.
fn fake_pem(seed: u64) -> String {
    let body = Rng::new(seed).string(BASE64, 1200);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let kind = "RSA PRIVATE KEY";
    format!(
        "-----BEGIN {kind}-----\n{}\n-----END {kind}-----\n",
        lines.join("\n")
    )
}

#[test]
fn kubernetes_secret_data_is_decoded_and_reported_at_the_encoded_value() {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let dir = tempfile::tempdir().unwrap();
    let manifest = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: {}\n  tls.key: {}\n  stripe: {}\n",
        b64("-----BEGIN CERTIFICATE-----\nnot a secret\n-----END CERTIFICATE-----\n"),
        b64(&fake_pem(21)),
        b64(&stripe_live(22)),
    );
    write(dir.path(), "k8s/secret.yaml", &manifest);
    let (code, json) = scan_json(&["."], dir.path());
    assert_eq!(code, 1, "{json:#}");
    let f = findings(&json);
    let got: Vec<(&str, u64, u64)> = f
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("private-key", 8, 12), ("stripe-secret-key-live", 9, 11)],
        "{json:#}"
    );
    // The hash is the decoded secret's, so baselines match the real key.
    let out = leakhound()
        .current_dir(dir.path())
        .args(["scan", ".", "--format", "json", "--no-redact"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings(&json)[1]["secret"], stripe_live(22));
}

#[test]
fn explain_prints_a_rule_and_rejects_unknown_ids() {
    leakhound()
        .args(["explain", "fernet-key"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Fernet"))
        .stdout(predicate::str::contains("what to do:"))
        .stdout(predicate::str::contains("not reported:"));
    leakhound()
        .args(["explain", "fernet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean fernet-key"));
}
