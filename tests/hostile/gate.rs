//! Issue 17, items 1, 2 and 5: the CI range gate opened from inside the
//! change. A file is a baseline by its content, not its name (1); a blob is
//! judged at every path it occupies (2); commit and tag messages are scanned,
//! and secrets in commit metadata are redacted (5).

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use super::common::{
    BASE62, Rng, detect_secrets_available, findings, git_init, leakhound, run_git, stripe_live,
    write,
};
use super::{commit_all, locations, run_within, stderr};

const BOUND: Duration = Duration::from_secs(300);
const STRIPE: &str = "stripe-secret-key-live";
const GITHUB: &str = "github-pat-classic";

/// A fake classic GitHub token.
fn github_token(seed: u64) -> String {
    format!("ghp_{}", Rng::new(seed).string(BASE62, 36))
}

/// `leakhound scan -f json ARGS` in `dir`: exit code, report, stderr.
fn scan(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["scan", "-f", "json"];
    all.extend_from_slice(args);
    let (out, code, json) = run_within(dir, &all, BOUND);
    assert!(
        code == 0 || code == 1,
        "{args:?}: exit {code}: {}",
        stderr(&out)
    );
    (code, json, stderr(&out))
}

/// (rule, path) of every finding, sorted.
fn rule_paths(json: &Value) -> Vec<(String, String)> {
    let mut v: Vec<_> = locations(json)
        .into_iter()
        .map(|(rule, path, _, _)| (rule, path))
        .collect();
    v.dedup();
    v
}

/// The commit id each finding at `path` names.
fn commit_of(json: &Value, path: &str) -> Vec<String> {
    findings(json)
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| f["commit"]["id"].as_str().unwrap_or("").to_string())
        .collect()
}

fn head(dir: &Path) -> String {
    run_git(dir, &["rev-parse", "HEAD"])
}

fn rr(rule: &str, path: &str) -> (String, String) {
    (rule.to_string(), path.to_string())
}

// ---- item 1: a file is a baseline by its content ------------------------------

/// Baselines written by detect-secrets and by `leakhound baseline create`
/// hold hashes, not secrets: no finding at any path, in any scan mode.
/// (Before: generic-secret fired on their `hashed_secret` lines wherever the
/// file was not the root `.secrets.baseline`.)
#[test]
fn genuine_baselines_are_no_findings_at_any_path_in_any_mode() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_init(root);
    write(root, "app.env", format!("STRIPE={}\n", stripe_live(1001)));
    write(root, "settings.py", "password = \"Xy7#kLq9!vTz2Wm4pRr8\"\n"); // leakhound:allow
    write(
        root,
        "deploy.sh",
        format!("export GH={}\n", github_token(1002)),
    );
    commit_all(root, "keys");
    run_git(root, &["tag", "base"]);
    let expected = vec![
        rr("generic-password", "settings.py"),
        rr(GITHUB, "deploy.sh"),
        rr(STRIPE, "app.env"),
    ];
    let mut expected = expected;
    expected.sort();

    let mut baselines: Vec<(&str, String)> = Vec::new();
    let (out, code, _) = run_within(root, &["baseline", "create", "-o", "lh.json"], BOUND);
    assert_eq!(code, 0, "{}", stderr(&out));
    let ours = std::fs::read_to_string(root.join("lh.json")).unwrap();
    std::fs::remove_file(root.join("lh.json")).unwrap();
    baselines.push(("leakhound", ours));
    if detect_secrets_available() {
        let out = std::process::Command::new("detect-secrets")
            .arg("scan")
            .current_dir(root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        baselines.push(("detect-secrets", String::from_utf8(out.stdout).unwrap()));
    }
    for (who, text) in &baselines {
        assert!(
            text.matches("\"hashed_secret\"").count() >= 2,
            "{who}: {text}"
        );
    }
    // The same baselines at the root, under another name, in a subdirectory.
    for (i, (_, text)) in baselines.iter().enumerate() {
        for name in [".secrets.baseline", "baseline.json", "ci/old/secrets.json"] {
            let name = if i == 0 {
                name.to_string()
            } else {
                format!("ds/{name}")
            };
            write(root, &name, text);
        }
    }

    // Tree scan (with and without the root baseline), stdin, staged.
    let (_, json, err) = scan(root, &[".", "--no-baseline"]);
    assert_eq!(rule_paths(&json), expected, "{err}");
    let (code, json, err) = scan(root, &["."]);
    assert_eq!((code, rule_paths(&json)), (0, vec![]), "{err}");
    for (who, text) in &baselines {
        let out = leakhound()
            .current_dir(root)
            .args(["scan", "-", "-f", "json", "--no-baseline"])
            .write_stdin(text.as_bytes())
            .timeout(BOUND)
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{who}: {json}");
    }
    run_git(root, &["add", "-A"]);
    let (code, json, err) = scan(root, &["--staged", "--no-baseline"]);
    assert_eq!((code, rule_paths(&json)), (0, vec![]), "{err}");

    // History and a range that adds them.
    run_git(root, &["commit", "-q", "-m", "baselines"]);
    let (_, json, err) = scan(root, &["--git", "--no-baseline"]);
    assert_eq!(rule_paths(&json), expected, "{err}");
    for extra in [&[][..], &["--no-baseline"][..]] {
        let mut args = vec!["--git", "--range", "base..HEAD"];
        args.extend_from_slice(extra);
        let (code, json, err) = scan(root, &args);
        assert_eq!((code, rule_paths(&json)), (0, vec![]), "{args:?}: {err}");
    }
}

/// A file at `.secrets.baseline` that is not a baseline is scanned like any
/// other, in a range too (A without one; `--no-baseline`; moved away with
/// `git mv`); and in a real baseline that a range adds, whatever is not one
/// of its entries' hashes is a finding. (Before: every finding at the path
/// was dropped.) A tree scan reads a real baseline as one (issue 19, item 5).
#[test]
fn a_file_named_secrets_baseline_is_scanned_like_any_other() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_init(root);
    write(root, "README.md", "hello\n");
    commit_all(root, "base");
    run_git(root, &["tag", "base"]);
    let key = stripe_live(1101);
    write(root, ".secrets.baseline", format!("STRIPE={key}\n"));
    commit_all(root, "keys at the baseline's path");
    let range = ["--git", "--range", "base..HEAD"];
    let want = vec![rr(STRIPE, ".secrets.baseline")];
    for extra in [&[][..], &["--no-baseline"][..]] {
        let args = [&range[..], extra].concat();
        let (code, json, err) = scan(root, &args);
        assert_eq!(
            (code, rule_paths(&json)),
            (1, want.clone()),
            "{args:?}: {err}"
        );
    }
    let (code, json, err) = scan(root, &[".", "--no-baseline"]);
    assert_eq!((code, rule_paths(&json)), (1, want.clone()), "{err}");
    let (code, json, err) = scan(root, &["--git", "--no-baseline"]);
    assert_eq!((code, rule_paths(&json)), (1, want.clone()), "{err}");
    // Moved away: still a finding (history names the first path).
    run_git(root, &["mv", ".secrets.baseline", "notes.txt"]);
    run_git(root, &["commit", "-q", "-m", "move"]);
    let (code, json, err) = scan(root, &range);
    assert_eq!(code, 1, "{err}");
    assert_eq!(findings(&json).len(), 1, "{json}");

    // A genuine baseline: its entry's hash is not a finding; a key in another
    // field, and a hash-looking value no entry holds, are.
    let other = stripe_live(1102);
    let stray = leakhound::finding::sha1_hex(b"not an entry");
    let baseline = serde_json::json!({
        "version": "1.5.0",
        "plugins_used": [{"name": "KeywordDetector", "hashed_secret": stray}],
        "filters_used": [],
        "results": {
            "app.env": [{
                "type": "Secret Keyword",
                "filename": "app.env",
                "hashed_secret": leakhound::finding::sha1_hex(key.as_bytes()),
                "is_verified": false,
                "line_number": 1
            }]
        },
        "generated_at": format!("2024-01-01T00:00:00Z {other}")
    });
    let text = serde_json::to_string_pretty(&baseline).unwrap();
    run_git(root, &["tag", "base2"]);
    write(root, "audit/.secrets.baseline", format!("{text}\n"));
    write(root, ".secrets.baseline", &text);
    commit_all(root, "a baseline with more than hashes");
    let range2 = ["--git", "--range", "base2..HEAD"];
    for args in [&range2[..]] {
        let (code, json, err) = scan(root, args);
        assert_eq!(code, 1, "{args:?}: {err}");
        let got: Vec<_> = locations(&json)
            .into_iter()
            .filter(|(_, p, _, _)| p.ends_with(".secrets.baseline"))
            .map(|(rule, path, line, _)| (rule, path, line))
            .collect();
        let stray_line = text.lines().position(|l| l.contains(&stray)).unwrap() as u64 + 1;
        let other_line = text.lines().position(|l| l.contains(&other)).unwrap() as u64 + 1;
        let mut want = Vec::new();
        for p in [".secrets.baseline", "audit/.secrets.baseline"] {
            want.push(("generic-secret".to_string(), p.to_string(), stray_line));
            want.push((STRIPE.to_string(), p.to_string(), other_line));
        }
        want.sort();
        assert_eq!(got, want, "{args:?}: {json}");
    }
    // A tree scan and the whole history read them as the baselines they are
    // (the history still holds the text file of line 1, which is no baseline).
    for args in [&[".", "--no-baseline"][..], &["--git", "--no-baseline"][..]] {
        let (_, json, err) = scan(root, args);
        let in_baselines: Vec<_> = locations(&json)
            .into_iter()
            .filter(|(_, p, line, _)| p.ends_with(".secrets.baseline") && *line > 1)
            .collect();
        assert_eq!(in_baselines, vec![], "{args:?}: {err}");
    }
}

/// A detect-secrets baseline as detect-secrets 0.x wrote it (sorted keys,
/// `exclude` and `word_list` settings, `base64_limit`), with `n` entries
/// whose hashes are SHA-1 digests of random strings.
fn old_baseline(n: usize, seed: u64) -> String {
    let mut r = Rng::new(seed);
    let results: Vec<String> = (0..n)
        .map(|i| {
            let h = leakhound::finding::sha1_hex(r.string(BASE62, 24).as_bytes());
            format!(
                "    \"src/mod{i}.py\": [\n      {{\n        \"hashed_secret\": \"{h}\",\n        \
                 \"is_secret\": false,\n        \"is_verified\": false,\n        \
                 \"line_number\": {},\n        \"type\": \"Secret Keyword\"\n      }}\n    ]",
                i + 3
            )
        })
        .collect();
    format!(
        "{{\n  \"custom_plugin_paths\": [],\n  \"exclude\": {{\n    \"files\": null,\n    \
         \"lines\": null\n  }},\n  \"generated_at\": \"2020-03-11T09:14:27Z\",\n  \
         \"plugins_used\": [\n    {{\n      \"base64_limit\": 4.5,\n      \
         \"name\": \"Base64HighEntropyString\"\n    }},\n    {{\n      \"name\": \"KeywordDetector\"\n    }}\n  ],\n  \
         \"results\": {{\n{}\n  }},\n  \"version\": \"0.14.3\",\n  \"word_list\": {{\n    \
         \"file\": null,\n    \"hash\": null\n  }}\n}}\n",
        results.join(",\n")
    )
}

/// Issue 19, item 5: any file that is a detect-secrets baseline is read as
/// one and not scanned: a 0.x baseline copied into the tree (30 entries), a
/// sub-project's baseline in a monorepo, a `--slim` one under another name,
/// and the root one while `--baseline` names another; in the tree, the
/// staged index and the whole history. Keys in ordinary files beside them are
/// found. (Before: every hash of the 0.x baseline was a generic secret.)
#[test]
fn every_detect_secrets_baseline_is_read_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_init(root);
    let key = stripe_live(1901);
    write(root, "billing/config.env", format!("STRIPE={key}\n"));
    write(root, "legacy/.secrets.baseline", old_baseline(30, 1902));
    let mut r = Rng::new(1903);
    let entry = |r: &mut Rng, file: &str| {
        serde_json::json!({
            "type": "Hex High Entropy String",
            "filename": file,
            "hashed_secret": leakhound::finding::sha1_hex(r.string(BASE62, 20).as_bytes()),
            "is_verified": false
        })
    };
    let sub = serde_json::json!({
        "version": "1.5.0",
        "plugins_used": [{"name": "HexHighEntropyString", "limit": 3.0}],
        "filters_used": [],
        "results": {"worker.py": [entry(&mut r, "worker.py"), entry(&mut r, "worker.py")]},
        "generated_at": "2026-01-01T00:00:00Z"
    });
    let mut slim = sub.clone();
    slim.as_object_mut().unwrap().remove("generated_at");
    let sub = serde_json::to_string_pretty(&sub).unwrap();
    write(root, "services/worker/.secrets.baseline", &sub);
    write(
        root,
        "tools/ci/baseline.json",
        serde_json::to_string(&slim).unwrap(),
    );
    write(root, ".secrets.baseline", &sub);
    write(
        root,
        "ci/other.baseline",
        "{\"version\": \"1.5.0\", \"results\": {}}\n",
    );
    commit_all(root, "baselines beside a key");
    let want = vec![rr(STRIPE, "billing/config.env")];
    for args in [
        &["."][..],
        &[".", "--no-baseline"][..],
        &[".", "--baseline", "ci/other.baseline"][..],
        &["--git"][..],
        &["--git", "--baseline", "ci/other.baseline"][..],
    ] {
        let (code, json, err) = scan(root, args);
        assert_eq!(
            (code, rule_paths(&json)),
            (1, want.clone()),
            "{args:?}: {err}"
        );
    }
    write(root, "legacy/.secrets.baseline", old_baseline(31, 1904));
    write(
        root,
        "billing/next.env",
        format!("STRIPE={}\n", stripe_live(1905)),
    );
    run_git(root, &["add", "-A"]);
    let (code, json, err) = scan(root, &["--staged", "--all-lines"]);
    assert_eq!(
        (code, rule_paths(&json)),
        (1, vec![rr(STRIPE, "billing/next.env")]),
        "{err}"
    );
}

/// Issue 19, item 5, the other direction: only an unchanged baseline is
/// exempt in a range scan. A branch that adds a file parsing as a baseline
/// with a key hidden in it (in a setting, or in an entry's field) fails the
/// gate with that key, while the entries' hashes stay quiet; a branch that
/// leaves the base's baseline (which hides a key) unchanged reports nothing.
#[test]
fn a_range_scans_the_baselines_it_adds_or_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_init(root);
    let old_key = stripe_live(1911);
    let hidden = |key: &str, seed: u64| {
        let mut r = Rng::new(seed);
        let doc = serde_json::json!({
            "version": "1.5.0",
            "plugins_used": [{"name": "KeywordDetector", "keyword_exclude": key}],
            "filters_used": [],
            "results": {"app.py": [{
                "type": "Secret Keyword",
                "filename": "app.py",
                "hashed_secret": leakhound::finding::sha1_hex(r.string(BASE62, 20).as_bytes()),
                "is_verified": false,
                "line_number": 3
            }]}
        });
        serde_json::to_string_pretty(&doc).unwrap() + "\n"
    };
    write(root, "sub/.secrets.baseline", hidden(&old_key, 1912));
    write(root, "README.md", "hello\n");
    commit_all(root, "base");
    run_git(root, &["tag", "base"]);
    write(root, "README.md", "hello again\n");
    commit_all(root, "unrelated");
    let (code, json, err) = scan(root, &["--git", "--range", "base..HEAD"]);
    assert_eq!((code, rule_paths(&json)), (0, vec![]), "{err}");
    run_git(root, &["tag", "base2"]);
    let new_key = stripe_live(1913);
    write(
        root,
        "monorepo/api/.secrets.baseline",
        hidden(&new_key, 1914),
    );
    commit_all(root, "a baseline that hides a key");
    let (code, json, err) = scan(root, &["--git", "--range", "base2..HEAD"]);
    assert_eq!(
        (code, rule_paths(&json)),
        (1, vec![rr(STRIPE, "monorepo/api/.secrets.baseline")]),
        "{err}"
    );
    // The same tree, scanned as a tree: read as baselines.
    let (code, json, err) = scan(root, &["."]);
    assert_eq!((code, rule_paths(&json)), (0, vec![]), "{err}");
}

// ---- item 2: a blob is judged at every path it occupies -----------------------

/// A key added under an allowlisted (or baselined) path, then moved by
/// `git mv` (a file, and a whole directory) to a path nothing allows: the
/// range, the whole history and a tree scan of the checkout all report it at
/// its new path, with the commit that moved it there. (Before: the range and
/// the history passed, the tree scan did not.)
#[test]
fn a_renamed_blob_is_judged_at_every_path_it_occupies() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_init(root);
    let (k1, k2, k3) = (stripe_live(1201), stripe_live(1202), stripe_live(1203));
    write(
        root,
        ".leakhound.toml",
        "[allow]\npaths = [\"tests/fixtures/**\"]\n",
    );
    let entry = serde_json::json!({
        "version": "1.5.0",
        "plugins_used": [],
        "filters_used": [],
        "results": {"legacy/k3.txt": [{
            "type": "Stripe Access Key",
            "filename": "legacy/k3.txt",
            "hashed_secret": leakhound::finding::sha1_hex(k3.as_bytes()),
            "is_verified": false
        }]}
    });
    write(root, ".secrets.baseline", entry.to_string());
    commit_all(root, "base");
    run_git(root, &["tag", "base"]);
    write(root, "tests/fixtures/k.txt", format!("key = {k1}\n"));
    write(root, "tests/fixtures/deep/d.txt", format!("key = {k2}\n"));
    write(root, "legacy/k3.txt", format!("key = {k3}\n"));
    commit_all(root, "fixtures");
    let range = ["--git", "--range", "base..HEAD"];
    let (code, json, err) = scan(root, &range);
    assert_eq!(
        (code, rule_paths(&json)),
        (0, vec![]),
        "hidden where added: {err}"
    );

    std::fs::create_dir_all(root.join("src")).unwrap();
    run_git(root, &["mv", "tests/fixtures/k.txt", "src/settings.py"]);
    run_git(root, &["commit", "-q", "-m", "move a file"]);
    let moved_file = head(root);
    run_git(root, &["mv", "tests/fixtures/deep", "lib"]);
    run_git(root, &["mv", "legacy", "app"]);
    run_git(root, &["commit", "-q", "-m", "move directories"]);
    let moved_dirs = head(root);
    let mut want = vec![
        rr(STRIPE, "app/k3.txt"),
        rr(STRIPE, "lib/d.txt"),
        rr(STRIPE, "src/settings.py"),
    ];
    want.sort();
    for args in [&range[..], &["--git"][..], &["."][..]] {
        let (code, json, err) = scan(root, args);
        assert_eq!(
            (code, rule_paths(&json)),
            (1, want.clone()),
            "{args:?}: {err}"
        );
        if args[0] == "--git" {
            assert_eq!(commit_of(&json, "src/settings.py"), [moved_file.as_str()]);
            assert_eq!(commit_of(&json, "lib/d.txt"), [moved_dirs.as_str()]);
            assert_eq!(commit_of(&json, "app/k3.txt"), [moved_dirs.as_str()]);
        }
    }
}

/// Random bytes committed as `blob.dat`, then renamed to `release.p12`: the
/// keystore path rule fires at the new name, in the history and the range.
#[test]
fn a_blob_renamed_to_a_keystore_name_is_a_keystore() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_init(root);
    write(root, "README.md", "hello\n");
    commit_all(root, "base");
    run_git(root, &["tag", "base"]);
    let mut rng = Rng::new(1301);
    let bytes: Vec<u8> = (0..2048)
        .map(|i| if i == 7 { 0 } else { rng.next() as u8 })
        .collect();
    write(root, "blob.dat", &bytes);
    commit_all(root, "data");
    let (code, json, _) = scan(root, &["--git"]);
    assert_eq!((code, rule_paths(&json)), (0, vec![]));
    run_git(root, &["mv", "blob.dat", "release.p12"]);
    run_git(root, &["commit", "-q", "-m", "rename"]);
    let renamed = head(root);
    for args in [
        &["--git"][..],
        &["--git", "--range", "base..HEAD"][..],
        &["."][..],
    ] {
        let (code, json, err) = scan(root, args);
        assert_eq!(
            (code, rule_paths(&json)),
            (1, vec![rr("keystore-file", "release.p12")]),
            "{args:?}: {err}"
        );
        if args.len() > 1 || args[0] == "--git" {
            assert_eq!(commit_of(&json, "release.p12"), [renamed.as_str()]);
        }
    }
}

/// A secret A already holds is not new where the range moves it, unless A
/// held it only where its suppressions hid it (an allowlisted fixture): the
/// move exposes it, as a tree scan of the checkout says.
#[test]
fn a_secret_hidden_in_a_is_new_where_the_range_moves_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_init(root);
    write(
        root,
        ".leakhound.toml",
        "[allow]\npaths = [\"tests/fixtures/**\"]\n",
    );
    write(
        root,
        "tests/fixtures/k.txt",
        format!("key = {}\n", stripe_live(1401)),
    );
    write(root, "visible.env", format!("K={}\n", stripe_live(1402)));
    commit_all(root, "base");
    run_git(root, &["tag", "base"]);
    std::fs::create_dir_all(root.join("src")).unwrap();
    run_git(root, &["mv", "tests/fixtures/k.txt", "src/k.txt"]);
    run_git(root, &["mv", "visible.env", "moved.env"]);
    run_git(root, &["commit", "-q", "-m", "move"]);
    let (code, json, err) = scan(root, &["--git", "--range", "base..HEAD"]);
    assert_eq!(
        (code, rule_paths(&json)),
        (1, vec![rr(STRIPE, "src/k.txt")]),
        "{err}"
    );
    assert_eq!(commit_of(&json, "src/k.txt"), [head(root)]);
    let (_, json, _) = scan(root, &["."]);
    assert_eq!(
        rule_paths(&json),
        [rr(STRIPE, "moved.env"), rr(STRIPE, "src/k.txt")]
    );
}

/// The staged scan: a rename adds no line, except out of a path where the
/// secret was hidden (an allowlisted fixture) into one where it is not.
#[test]
fn a_staged_rename_out_of_an_allowlisted_path_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_init(root);
    write(
        root,
        ".leakhound.toml",
        "[allow]\npaths = [\"tests/fixtures/**\"]\n",
    );
    write(
        root,
        "tests/fixtures/k.txt",
        format!("line\nkey = {}\n", stripe_live(1501)),
    );
    write(
        root,
        "tests/fixtures/ok.txt",
        format!("line\nkey = {}\n", stripe_live(1502)),
    );
    write(root, "plain.txt", format!("key = {}\n", stripe_live(1503)));
    commit_all(root, "base");
    run_git(root, &["mv", "plain.txt", "plain2.txt"]);
    run_git(
        root,
        &["mv", "tests/fixtures/ok.txt", "tests/fixtures/ok2.txt"],
    );
    let (code, json, err) = scan(root, &["--staged"]);
    assert_eq!(
        (code, rule_paths(&json)),
        (0, vec![]),
        "plain renames: {err}"
    );
    std::fs::create_dir_all(root.join("src")).unwrap();
    run_git(root, &["mv", "tests/fixtures/k.txt", "src/settings.py"]);
    let (code, json, err) = scan(root, &["--staged"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        locations(&json),
        [(STRIPE.into(), "src/settings.py".into(), 2, 7)]
    );
}

// ---- item 5: commit metadata ---------------------------------------------------

/// Runs git in `dir` with the fixed test identity, letting `--author` win.
fn git_commit(dir: &Path, args: &[&str]) {
    let mut all = vec!["commit", "-q", "--allow-empty"];
    all.extend_from_slice(args);
    run_git(dir, &all);
}

/// Secrets in commit messages and annotated tag messages are findings of
/// their commit (range: commits in the range, tags on them), deduplicated,
/// allowed by an inline comment only outside a range; and no report format
/// prints a secret from the message or the author, unless `--no-redact`.
#[test]
fn commit_and_tag_messages_are_scanned_and_metadata_is_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_init(root);
    let [t0, t1, t2, t3, t4] = [1600, 1601, 1602, 1603, 1604].map(github_token);
    let (in_author, in_file) = (stripe_live(1605), stripe_live(1606));
    write(root, "README.md", "hello\n");
    commit_all(root, &format!("initial, with {t0}"));
    run_git(root, &["tag", "base"]);
    write(root, "app.env", format!("K={in_file}\n"));
    run_git(root, &["add", "-A"]);
    let author = format!("Mallory {in_author} <m@example.com>");
    git_commit(
        root,
        &[
            "--author",
            &author,
            "-m",
            &format!("rotate: new key is {t1}\n\nold one: {t2}"),
        ],
    );
    let c1 = head(root);
    run_git(
        root,
        &["tag", "-a", "v1", "-m", &format!("release\n\nkey {t3}")],
    );
    git_commit(root, &["-m", &format!("again {t1}")]);
    git_commit(root, &["-m", &format!("fixture {t4} # leakhound:allow")]);

    let (code, json, err) = scan(root, &["--git"]);
    assert_eq!(code, 1, "{err}");
    let mut want = vec![
        (GITHUB.to_string(), "<commit-message>".to_string(), 1, 20),
        (GITHUB.to_string(), "<commit-message>".to_string(), 1, 15),
        (GITHUB.to_string(), "<commit-message>".to_string(), 3, 10),
        (GITHUB.to_string(), "<tag-message:v1>".to_string(), 3, 5),
        (STRIPE.to_string(), "app.env".to_string(), 1, 3),
    ];
    want.sort();
    assert_eq!(locations(&json), want, "{json:#}");
    for f in findings(&json) {
        let c1_or_base = if f["column"] == 15 {
            head_of(root, "base")
        } else {
            c1.clone()
        };
        assert_eq!(f["commit"]["id"], c1_or_base.as_str(), "{f}");
    }
    // The range: not the commit in A; the allow comment it adds is not honoured.
    let (code, json, err) = scan(root, &["--git", "--range", "base..HEAD"]);
    assert_eq!(code, 1, "{err}");
    let got: Vec<_> = locations(&json)
        .into_iter()
        .map(|(_, p, l, c)| (p, l, c))
        .collect();
    let mut expect = vec![
        ("<commit-message>".to_string(), 1, 9),
        ("<commit-message>".to_string(), 1, 20),
        ("<commit-message>".to_string(), 3, 10),
        ("<tag-message:v1>".to_string(), 3, 5),
        ("app.env".to_string(), 1, 3),
    ];
    expect.sort();
    assert_eq!(got, expect, "{json:#}");
    assert!(err.contains("inline allow comment"), "{err}");

    // No format prints the raw secrets; --no-redact does.
    let raw = [&t0, &t1, &t2, &t3, &t4, &in_author, &in_file];
    for format in ["human", "json", "sarif", "junit", "github", "csv"] {
        for range in [false, true] {
            let mut args = vec!["scan", "--git", "-f", format, "--color", "never"];
            if range {
                args.extend(["--range", "base..HEAD"]);
            }
            let (out, code, _) = run_within(root, &args, BOUND);
            assert_eq!(code, 1, "{format}");
            let text = String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out);
            for secret in raw {
                assert!(
                    !text.contains(secret.as_str()),
                    "{format} {range}: {secret} in\n{text}"
                );
            }
            assert!(text.contains("Mallory"), "{format}: {text}");
        }
    }
    let (out, _, _) = run_within(root, &["scan", "--git", "--no-redact"], BOUND);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("rotate: new key is {t1}")) && text.contains(&in_author),
        "{text}"
    );
    // SARIF: a relative URI, like `<stdin>`'s.
    let (out, _, sarif) = run_within(root, &["scan", "--git", "-f", "sarif"], BOUND);
    assert!(out.status.code() == Some(1));
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"%3Ccommit-message%3E"), "{uris:?}");
    super::common::assert_valid_sarif(&sarif);
}

fn head_of(dir: &Path, rev: &str) -> String {
    run_git(dir, &["rev-parse", &format!("{rev}^{{commit}}")])
}
