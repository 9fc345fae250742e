//! `.secrets.baseline`: interop with the real detect-secrets 1.5.0, create /
//! update / audit, identity by content, atomic writes, unused entries.

mod common;

use std::process::Command;

use common::{Repo, aws_key, detect_secrets_available, stripe_key};

/// A Stripe key longer than detect-secrets' 24 characters.
fn long_stripe_key(seed: u64) -> String {
    format!(
        "{}{}",
        stripe_key(seed),
        common::random("abcXYZ0123456789", 40, seed + 1)
    )
}

fn cfg_arg(repo: &Repo) -> String {
    repo.config("").display().to_string()
}

/// Acceptance 1(a): a baseline that detect-secrets wrote suppresses the two
/// secrets it holds; a secret added afterwards is still reported.
#[test]
fn interop_detect_secrets_baseline_suppresses_its_secrets() {
    if !detect_secrets_available() {
        return;
    }
    let repo = Repo::new();
    let cfg = cfg_arg(&repo);
    repo.write(
        "config.py",
        &format!(
            "STRIPE_KEY = \"{}\"\nAWS_ACCESS_KEY_ID = \"{}\"\n",
            stripe_key(1),
            aws_key(2)
        ),
    );
    // Stripe keys can be longer than the 24 characters detect-secrets hashes.
    repo.write("billing.py", &format!("KEY = '{}'\n", long_stripe_key(4)));
    repo.add_all();
    let out = Command::new("detect-secrets")
        .current_dir(repo.root())
        .args(["scan", "--no-verify"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(repo.path(".secrets.baseline"), &out.stdout).unwrap();
    let ds = repo.read(".secrets.baseline");
    assert!(
        ds.contains("Stripe Access Key") && ds.contains("AWS Access Key"),
        "{ds}"
    );

    // Without the baseline both are found; with it (found at the root), none.
    let bare = repo.leakhound(&["scan", "--config", &cfg, "--no-baseline", "-f", "json"]);
    assert_eq!(bare.code, 1, "{}", bare.stderr);
    assert_eq!(common::locations(&bare.findings()).len(), 3);
    let with = repo.leakhound(&["scan", "--config", &cfg, "-f", "json"]);
    assert_eq!(with.code, 0, "{}{}", with.stdout, with.stderr);
    assert!(with.findings().is_empty());

    // A new secret added afterwards is reported.
    repo.write(
        "settings/prod.env",
        &format!("STRIPE_SECRET={}\n", stripe_key(3)),
    );
    let after = repo.leakhound(&["scan", "--config", &cfg, "-f", "json"]);
    assert_eq!(after.code, 1);
    let f = after.findings();
    assert_eq!(
        common::locations(&f),
        [("settings/prod.env".to_string(), 1)],
        "{f:?}"
    );
}

/// Acceptance 1(b): our baseline is accepted by `detect-secrets audit
/// --report` and `detect-secrets-hook --baseline`.
#[test]
fn interop_our_baseline_is_accepted_by_detect_secrets() {
    if !detect_secrets_available() {
        return;
    }
    let repo = Repo::new();
    let cfg = cfg_arg(&repo);
    repo.write(
        "config.py",
        &format!(
            "STRIPE_KEY = \"{}\"\n\nAWS_ACCESS_KEY_ID = \"{}\"\nLONG = \"{}\"\n",
            stripe_key(11),
            aws_key(12),
            long_stripe_key(13)
        ),
    );
    repo.write("docs/café ☕.md", &format!("key: {}\n", stripe_key(14)));
    let created = repo.leakhound(&["baseline", "create", "--config", &cfg]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    repo.add_all();

    // Byte for byte what detect-secrets' writer (`json.dumps(indent=2)`) makes of it.
    let redump = Command::new("python3")
        .current_dir(repo.root())
        .args([
            "-c",
            "import json,sys; sys.stdout.write(json.dumps(json.load(open('.secrets.baseline')), indent=2) + '\\n')",
        ])
        .output()
        .unwrap();
    assert!(redump.status.success());
    let ours = repo.read(".secrets.baseline");
    assert_eq!(String::from_utf8_lossy(&redump.stdout), ours);
    assert!(ours.contains("docs/caf\\u00e9 \\u2615.md"), "{ours}");

    let report = Command::new("detect-secrets")
        .current_dir(repo.root())
        .args(["audit", "--report", ".secrets.baseline"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&report.stdout);
    let stderr = String::from_utf8_lossy(&report.stderr);
    assert!(report.status.success(), "{stdout}{stderr}");
    assert!(stderr.trim().is_empty(), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 4, "detect-secrets re-finds all: {stdout}");

    let hook = Command::new("detect-secrets-hook")
        .current_dir(repo.root())
        .args([
            "--baseline",
            ".secrets.baseline",
            "config.py",
            "docs/café ☕.md",
        ])
        .output()
        .unwrap();
    assert_eq!(
        hook.status.code(),
        Some(0),
        "hook: {}{}",
        String::from_utf8_lossy(&hook.stdout),
        String::from_utf8_lossy(&hook.stderr)
    );
    // The hook found nothing to change, so it did not rewrite our file.
    let before = repo.read(".secrets.baseline");
    assert!(before.contains("\"version\": \"1.5.0\""));

    // And detect-secrets' own scan with our baseline keeps our entries.
    let rescan = Command::new("detect-secrets")
        .current_dir(repo.root())
        .args(["scan", "--baseline", ".secrets.baseline"])
        .output()
        .unwrap();
    assert!(
        rescan.status.success(),
        "{}",
        String::from_utf8_lossy(&rescan.stderr)
    );
}

/// Acceptance 4: create, then scan the same repository: exit 0, no
/// findings, and the baseline holds no secret.
#[test]
fn create_then_scan_is_clean_and_baseline_holds_no_secret() {
    let repo = Repo::new();
    let cfg = cfg_arg(&repo);
    let secrets = [stripe_key(21), aws_key(22), common::acme_token(23)];
    repo.write("app/config.py", &format!("KEY = '{}'\n", secrets[0]));
    repo.write(
        "deploy/aws.env",
        &format!("AWS_ACCESS_KEY_ID={}\n", secrets[1]),
    );
    repo.write("docs/notes.md", &format!("token: {}\n", secrets[2]));
    let created = repo.leakhound(&["baseline", "create", "--config", &cfg]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    let text = repo.read(".secrets.baseline");
    for s in &secrets {
        assert!(!text.contains(s.as_str()), "baseline leaks {s}");
        assert!(
            !text.contains(&s[4..s.len() - 2]),
            "baseline leaks part of {s}"
        );
    }
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], "1.5.0");
    assert_eq!(v["results"].as_object().unwrap().len(), 3);
    assert!(v["results"]["deploy/aws.env"][0]["type"] == "AWS Access Key");

    let scan = repo.leakhound(&["scan", "--config", &cfg, "-f", "json"]);
    assert_eq!(scan.code, 0, "{}{}", scan.stdout, scan.stderr);
    assert!(scan.findings().is_empty());

    // Scanning a subdirectory still matches repository-relative names.
    let sub = repo.leakhound(&["scan", "app", "--config", &cfg, "-f", "json"]);
    assert_eq!(sub.code, 0, "{}", sub.stdout);
}

/// Acceptance 2: update keeps audit marks (and entries of types we do not
/// produce), drops gone secrets, adds new ones.
#[test]
fn update_keeps_audit_marks_and_drops_gone_secrets() {
    let repo = Repo::new();
    let cfg = cfg_arg(&repo);
    let (a, b) = (stripe_key(31), aws_key(32));
    repo.write("a.py", &format!("A = '{a}'\nB = '{b}'\n"));
    repo.write("keep.txt", "password = 'hunter2-but-longer'\n");
    assert_eq!(
        repo.leakhound(&["baseline", "create", "--config", &cfg])
            .code,
        0
    );
    // Mark the Stripe entry as a real secret; add an entry detect-secrets
    // wrote for a string we do not detect.
    let mut v: serde_json::Value = serde_json::from_str(&repo.read(".secrets.baseline")).unwrap();
    let list = v["results"]["a.py"].as_array_mut().unwrap();
    let stripe_hash = leakhound::finding::sha1_hex(a.as_bytes());
    for e in list.iter_mut() {
        if e["hashed_secret"] == stripe_hash.as_str() {
            e["is_secret"] = true.into();
        }
    }
    v["results"]["keep.txt"] = serde_json::json!([{
        "type": "Secret Keyword", "filename": "keep.txt",
        "hashed_secret": leakhound::finding::sha1_hex(b"hunter2-but-longer"),
        "is_verified": false, "line_number": 1
    }]);
    std::fs::write(
        repo.path(".secrets.baseline"),
        serde_json::to_string_pretty(&v).unwrap(),
    )
    .unwrap();

    // The AWS key goes, a new key comes.
    let c = common::acme_token(33);
    repo.write("a.py", &format!("A = '{a}'\nC = '{c}'\n"));
    let up = repo.leakhound(&["baseline", "update", "--config", &cfg]);
    assert_eq!(up.code, 0, "{}", up.stderr);
    let v: serde_json::Value = serde_json::from_str(&repo.read(".secrets.baseline")).unwrap();
    let a_entries = v["results"]["a.py"].as_array().unwrap();
    let hashes: Vec<&str> = a_entries
        .iter()
        .map(|e| e["hashed_secret"].as_str().unwrap())
        .collect();
    assert!(hashes.contains(&stripe_hash.as_str()));
    assert!(hashes.contains(&leakhound::finding::sha1_hex(c.as_bytes()).as_str()));
    assert!(
        !hashes.contains(&leakhound::finding::sha1_hex(b.as_bytes()).as_str()),
        "gone secret dropped"
    );
    let stripe = a_entries
        .iter()
        .find(|e| e["hashed_secret"] == stripe_hash.as_str())
        .unwrap();
    assert_eq!(stripe["is_secret"], true, "audit mark kept");
    assert_eq!(
        v["results"]["keep.txt"][0]["type"], "Secret Keyword",
        "foreign entry kept"
    );
    // The rewrite is in detect-secrets' own format again.
    assert!(
        repo.read(".secrets.baseline")
            .contains("  \"plugins_used\": [\n    {\n      \"name\": ")
    );
}

/// Acceptance 3: moving a baselined secret ten lines down keeps it
/// suppressed and `baseline update` leaves the file byte-identical; another
/// secret on the same line is reported.
#[test]
fn identity_is_content_not_line() {
    let repo = Repo::new();
    let cfg = cfg_arg(&repo);
    let key = stripe_key(41);
    repo.write("svc.py", &format!("import os\nKEY = '{key}'\n"));
    assert_eq!(
        repo.leakhound(&["baseline", "create", "--config", &cfg])
            .code,
        0
    );
    let before = std::fs::read(repo.path(".secrets.baseline")).unwrap();

    repo.write(
        "svc.py",
        &format!("import os\n{}KEY = '{key}'\n", "# moved\n".repeat(10)),
    );
    let scan = repo.leakhound(&["scan", "--config", &cfg, "-f", "json"]);
    assert_eq!(
        scan.code, 0,
        "moved secret stays suppressed: {}",
        scan.stdout
    );
    let up = repo.leakhound(&["baseline", "update", "--config", &cfg]);
    assert_eq!(up.code, 0, "{}", up.stderr);
    assert_eq!(
        std::fs::read(repo.path(".secrets.baseline")).unwrap(),
        before,
        "byte-identical"
    );

    // --refresh-lines does rewrite the line number.
    let up = repo.leakhound(&["baseline", "update", "--config", &cfg, "--refresh-lines"]);
    assert_eq!(up.code, 0);
    assert!(
        repo.read(".secrets.baseline")
            .contains("\"line_number\": 12")
    );

    // A different secret pasted onto the same line is reported.
    let other = stripe_key(42);
    repo.write(
        "svc.py",
        &format!("import os\n{}KEY = '{other}'\n", "# moved\n".repeat(10)),
    );
    let scan = repo.leakhound(&["scan", "--config", &cfg, "-f", "json"]);
    assert_eq!(scan.code, 1);
    assert_eq!(
        common::locations(&scan.findings()),
        [("svc.py".to_string(), 12)]
    );
}

/// Acceptance 2: the old baseline is intact when a write fails or is
/// interrupted: in a read-only directory, and when the process is killed
/// mid-write (file size limit; works even as root).
#[test]
fn atomic_write_keeps_the_old_baseline() {
    let repo = Repo::new();
    let cfg = cfg_arg(&repo);
    repo.write("a.py", &format!("A = '{}'\n", stripe_key(51)));
    assert_eq!(
        repo.leakhound(&["baseline", "create", "--config", &cfg])
            .code,
        0
    );
    let old = std::fs::read(repo.path(".secrets.baseline")).unwrap();
    repo.write("b.py", &format!("B = '{}'\n", aws_key(52)));

    // Read-only directory (root ignores permissions: then this part is moot).
    use std::os::unix::fs::PermissionsExt;
    let root = repo.root();
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = std::fs::write(root.join(".probe"), "x").is_ok();
    if probe {
        eprintln!(
            "note: running with privileges that ignore a read-only directory; checking the kill case only"
        );
        let _ = std::fs::remove_file(root.join(".probe"));
    } else {
        let up = repo.leakhound(&["baseline", "update", "--config", &cfg]);
        assert_eq!(up.code, 2, "{}", up.stderr);
        assert!(up.stderr.contains(".secrets.baseline"), "{}", up.stderr);
        assert_eq!(std::fs::read(repo.path(".secrets.baseline")).unwrap(), old);
    }
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();

    // Killed mid-write: a 1-block file size limit stops the write at 512 bytes.
    let st = Command::new("sh")
        .current_dir(&root)
        .arg("-c")
        .arg(format!(
            "ulimit -f 1; exec '{}' baseline update --config '{cfg}'",
            env!("CARGO_BIN_EXE_leakhound")
        ))
        .status()
        .unwrap();
    assert!(!st.success());
    assert_eq!(
        std::fs::read(repo.path(".secrets.baseline")).unwrap(),
        old,
        "old baseline intact"
    );
    // And the update goes through once it can.
    assert_eq!(
        repo.leakhound(&["baseline", "update", "--config", &cfg])
            .code,
        0
    );
    assert!(repo.read(".secrets.baseline").contains("\"b.py\""));
}

/// Acceptance 2: a baseline that does not parse is an error (exit 2) naming
/// the file and position, not an empty baseline.
#[test]
fn bad_baseline_is_an_error_with_position() {
    let repo = Repo::new();
    let cfg = cfg_arg(&repo);
    repo.write("a.py", &format!("A = '{}'\n", stripe_key(61)));
    repo.write(
        ".secrets.baseline",
        "{\n  \"version\": \"1.5.0\",\n  \"results\": {\n    \"a.py\": [\n",
    );
    let out = repo.leakhound(&["scan", "--config", &cfg]);
    assert_eq!(out.code, 2);
    let err = out.stderr.trim();
    assert!(
        err.contains(".secrets.baseline") && err.contains("line 5"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // --baseline naming a missing file is an error too.
    let out = repo.leakhound(&["scan", "--config", &cfg, "--baseline", "nope.json"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("nope.json"), "{}", out.stderr);
    // --no-baseline ignores it.
    assert_eq!(
        repo.leakhound(&["scan", "--config", &cfg, "--no-baseline"])
            .code,
        1
    );
}

/// Acceptance 3: `--report-unused` lists a baseline entry whose secret is gone.
#[test]
fn report_unused_baseline_entry() {
    let repo = Repo::new();
    let cfg = cfg_arg(&repo);
    let (a, b) = (stripe_key(71), aws_key(72));
    repo.write("a.py", &format!("A = '{a}'\nB = '{b}'\n"));
    assert_eq!(
        repo.leakhound(&["baseline", "create", "--config", &cfg])
            .code,
        0
    );
    let clean = repo.leakhound(&["scan", "--config", &cfg, "--fail-on-unused", "-f", "json"]);
    assert_eq!(clean.code, 0, "{}", clean.stdout);
    assert!(clean.notes().is_empty());

    repo.write("a.py", &format!("A = '{a}'\n"));
    let out = repo.leakhound(&["scan", "--config", &cfg, "--report-unused", "-f", "json"]);
    assert_eq!(out.code, 0, "report only");
    let notes = out.notes();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("a.py:2") && notes[0].contains("secret is gone"),
        "{notes:?}"
    );
    let out = repo.leakhound(&["scan", "--config", &cfg, "--fail-on-unused"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("unused suppression"), "{}", out.stdout);
    // Without the flags, nothing is said.
    let out = repo.leakhound(&["scan", "--config", &cfg, "-f", "json"]);
    assert!(out.notes().is_empty());
}

/// `baseline audit --report` summarises; without a terminal and without
/// `--report` it refuses, saying why.
#[test]
fn audit_report_and_no_tty() {
    let repo = Repo::new();
    let cfg = cfg_arg(&repo);
    repo.write("a.py", &format!("A = '{}'\n", stripe_key(81)));
    assert_eq!(
        repo.leakhound(&["baseline", "create", "--config", &cfg])
            .code,
        0
    );
    let out = repo.leakhound(&["baseline", "audit", "--report"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("a.py:1  Stripe Access Key  unaudited"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("1 entries: 0 real, 0 false positive, 1 unaudited")
    );
    let out = repo.leakhound(&["baseline", "audit"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("not a terminal") && out.stderr.contains("--report"),
        "{}",
        out.stderr
    );
}

/// A `--slim` baseline (no timestamp, no line numbers) stays slim through
/// an update; a bad baseline stops `baseline update` with exit 2.
#[test]
fn update_keeps_slim_baselines_slim_and_rejects_bad_ones() {
    let repo = Repo::new();
    let cfg = cfg_arg(&repo);
    let (a, b) = (stripe_key(91), aws_key(92));
    repo.write("a.py", &format!("A = '{a}'\n"));
    let slim = format!(
        "{{\n  \"version\": \"1.5.0\",\n  \"plugins_used\": [],\n  \"filters_used\": [],\n  \"results\": {{\n    \"a.py\": [\n      {{\n        \"type\": \"Stripe Access Key\",\n        \"filename\": \"a.py\",\n        \"hashed_secret\": \"{}\",\n        \"is_verified\": false\n      }}\n    ]\n  }}\n}}\n",
        leakhound::finding::sha1_hex(a.as_bytes())
    );
    repo.write(".secrets.baseline", &slim);
    assert_eq!(repo.leakhound(&["scan", "--config", &cfg]).code, 0);
    let up = repo.leakhound(&["baseline", "update", "--config", &cfg]);
    assert_eq!(up.code, 0, "{}", up.stderr);
    assert_eq!(repo.read(".secrets.baseline"), slim, "nothing changed");

    repo.write("a.py", &format!("A = '{a}'\nB = '{b}'\n"));
    assert_eq!(
        repo.leakhound(&["baseline", "update", "--config", &cfg])
            .code,
        0
    );
    let text = repo.read(".secrets.baseline");
    assert!(
        !text.contains("generated_at") && !text.contains("line_number"),
        "{text}"
    );
    assert!(text.contains(&leakhound::finding::sha1_hex(b.as_bytes())));

    repo.write(
        ".secrets.baseline",
        "{\"version\": \"1.5.0\", \"results\": []}",
    );
    let up = repo.leakhound(&["baseline", "update", "--config", &cfg]);
    assert_eq!(up.code, 2);
    assert!(
        up.stderr.contains(".secrets.baseline: line 1, column"),
        "{}",
        up.stderr
    );
}
