//! Sensitive files (`rules/sensitive-files.toml`): files that should never be
//! committed are findings in a working tree, in history and in the staged
//! index, binary keystores included; their look-alikes (templates, public
//! keys, certificates, configs without credentials) are not. Also percent-
//! encoded URL passwords. Every key and token is built at test time.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{BASE62, BASE64, Rng, git_init, run_git, write};
use serde_json::Value;

/// The sensitive-file rules, by id.
const PATH_RULES: &[&str] = &[
    "dotenv-file",
    "private-key-file",
    "keystore-file",
    "gcp-service-account-file",
    "aws-credentials-file",
    "npmrc-file",
    "pypirc-file",
    "netrc-file",
    "git-credentials-file",
    "terraform-state-file",
];

/// A PEM block of `label` with a random body of `lines` 64-char lines.
fn pem(label: &str, rng: &mut Rng, lines: usize) -> String {
    let mut s = format!("-----BEGIN {label}-----\n");
    for _ in 0..lines {
        s.push_str(&rng.string(BASE64, 64));
        s.push('\n');
    }
    s.push_str(&rng.string(BASE64, 20));
    s.push_str(&format!("\n-----END {label}-----\n"));
    s
}

/// Random bytes with NUL bytes in them: binary, as keystores are.
fn binary(rng: &mut Rng, n: usize) -> Vec<u8> {
    let mut v: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
    v[4] = 0;
    v
}

/// One file of every sensitive kind, with the rule and line that must
/// report it, plus the look-alikes that must not be reported.
struct Tree {
    /// (path, rule, line)
    expected: Vec<(String, &'static str, u64)>,
    negatives: Vec<&'static str>,
}

fn build_tree(dir: &Path, seed: u64) -> Tree {
    let mut rng = Rng::new(seed);
    let mut tok = |n: usize| rng.string(BASE62, n);
    let mut expected = Vec::new();
    let mut add = |path: &str, rule: &'static str, line: u64| {
        expected.push((path.to_string(), rule, line));
    };
    write(
        dir,
        ".env",
        format!(
            "# local settings\nDEBUG=true\nSESSION_SECRET={}\nMAILER_PASSWORD=\"{}\"\n",
            tok(32),
            tok(20)
        ),
    );
    // Content rules flag this file as severely as its path rule would:
    // no second finding for it (see `scan::path_findings`).
    write(
        dir,
        "services/api/.env.production",
        format!("export API_TOKEN='{}'\n", tok(28)),
    );
    // Content rules flag this file as severely as its path rule would:
    // no second finding for it (see `scan::path_findings`).
    write(
        dir,
        "services/api/.aws/credentials",
        format!(
            "[default]\naws_access_key_id = AKIA{}\naws_secret_access_key = {}\n",
            tok(16).to_ascii_uppercase(),
            tok(40)
        ),
    );
    // Content rules flag this file as severely as its path rule would:
    // no second finding for it (see `scan::path_findings`).
    write(
        dir,
        ".npmrc",
        format!(
            "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={}\n",
            tok(36)
        ),
    );
    // Content rules flag this file as severely as its path rule would:
    // no second finding for it (see `scan::path_findings`).
    write(
        dir,
        ".pypirc",
        format!(
            "[pypi]\nusername = __token__\npassword = pypi-{}\n",
            tok(60)
        ),
    );
    add(".pypirc", "pypirc-file", 3);
    write(
        dir,
        "ci/.netrc",
        format!(
            "machine git.acme-corp.io\n  login deploy\n  password {}\n",
            tok(24)
        ),
    );
    // Content rules flag this file as severely as its path rule would:
    // no second finding for it (see `scan::path_findings`).
    write(
        dir,
        ".git-credentials",
        format!("https://deploy:{}@git.acme-corp.io\n", tok(40)),
    );
    add(".git-credentials", "git-credentials-file", 1);
    write(
        dir,
        "infra/terraform.tfstate",
        "{\n  \"version\": 4,\n  \"resources\": []\n}\n",
    );
    add("infra/terraform.tfstate", "terraform-state-file", 1);
    // Private keys: an OpenSSH key by its name, PEM keys by extension.
    let mut krng = Rng::new(seed ^ 0x55);
    write(
        dir,
        "deploy/id_ed25519",
        pem("OPENSSH PRIVATE KEY", &mut krng, 5),
    );
    add("deploy/id_ed25519", "private-key-file", 2);
    write(dir, "deploy/id_rsa", pem("RSA PRIVATE KEY", &mut krng, 20));
    add("deploy/id_rsa", "private-key-file", 2);
    let chain = format!(
        "{}{}",
        pem("CERTIFICATE", &mut krng, 6),
        pem("PRIVATE KEY", &mut krng, 10)
    );
    write(dir, "tls/site.pem", chain);
    add("tls/site.pem", "private-key-file", 11);
    write(dir, "tls/server.key", pem("EC PRIVATE KEY", &mut krng, 3));
    add("tls/server.key", "private-key-file", 2);
    // Keystores are binary: only the path tells.
    write(dir, "certs/client.p12", binary(&mut krng, 2048));
    add("certs/client.p12", "keystore-file", 1);
    write(dir, "certs/Legacy.PFX", binary(&mut krng, 1500));
    add("certs/Legacy.PFX", "keystore-file", 1);
    write(dir, "android/app/release.jks", binary(&mut krng, 3000));
    add("android/app/release.jks", "keystore-file", 1);
    // A Google Cloud service account key.
    let key = pem("PRIVATE KEY", &mut krng, 12).replace('\n', "\\n");
    let mut rng = Rng::new(seed ^ 0x77);
    write(
        dir,
        "gcp/credentials.json",
        format!(
            "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme-prod\",\n  \"private_key_id\": \"{}\",\n  \"private_key\": \"{key}\",\n  \"client_email\": \"ci@acme-prod.iam.gserviceaccount.com\"\n}}\n",
            rng.string(b"0123456789abcdef", 40)
        ),
    );
    // Its random key body does not parse as a key: the content finding is
    // low, so the path rule's finding is kept, as for the PEM files above.
    add("gcp/credentials.json", "gcp-service-account-file", 5);

    // Look-alikes.
    write(
        dir,
        ".env.example",
        format!("APP_MODE={}\nREGION=eu-west-1\n", rng.string(BASE62, 24)),
    );
    write(
        dir,
        "web/.env",
        "# fill in\nSTRIPE_KEY=\nAPI_TOKEN=\"\"\nSECRET_KEY=<your-secret-key>\n\
         DB_PASSWORD=${DB_PASSWORD}\nNODE_ENV=development\nPORT=3000\n",
    );
    write(
        dir,
        "deploy/id_rsa.pub",
        format!(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{} deploy@ci\n",
            rng.string(BASE64, 43)
        ),
    );
    write(
        dir,
        "web/.npmrc",
        "registry=https://registry.npmjs.org/\nsave-exact=true\n",
    );
    write(dir, "tls/ca.pem", pem("CERTIFICATE", &mut rng, 8));
    write(dir, "tls/signing-pub.pem", pem("PUBLIC KEY", &mut rng, 3));
    write(dir, "certs/truststore.jks", binary(&mut rng, 900));
    Tree {
        expected,
        negatives: vec![
            ".env.example",
            "web/.env",
            "deploy/id_rsa.pub",
            "web/.npmrc",
            "tls/ca.pem",
            "tls/signing-pub.pem",
            "certs/truststore.jks",
        ],
    }
}

/// Runs `leakhound ARGS --format json` in `dir` with HOME (and so any global
/// gitignore) pointing into the temp dir.
fn scan(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = common::leakhound()
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "bad JSON ({e}): {} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, json)
}

/// The sensitive-file findings of a report as (path, rule, line).
fn path_findings(report: &Value) -> BTreeSet<(String, String, u64)> {
    common::findings(report)
        .iter()
        .filter(|f| PATH_RULES.contains(&f["rule_id"].as_str().unwrap()))
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule_id"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn expected(tree: &Tree) -> BTreeSet<(String, String, u64)> {
    tree.expected
        .iter()
        .map(|(p, r, l)| (p.clone(), r.to_string(), *l))
        .collect()
}

fn assert_negatives_quiet(tree: &Tree, report: &Value) {
    for f in common::findings(report) {
        let path = f["path"].as_str().unwrap();
        assert!(
            !tree.negatives.contains(&path)
                || !PATH_RULES.contains(&f["rule_id"].as_str().unwrap()),
            "look-alike reported: {f}"
        );
    }
}

/// The finding of `rule` at `path`.
fn finding<'a>(report: &'a Value, path: &str, rule: &str) -> &'a Value {
    common::findings(report)
        .iter()
        .find(|f| f["path"] == path && f["rule_id"] == rule)
        .unwrap_or_else(|| panic!("no {rule} finding at {path}: {report}"))
}

#[test]
fn working_tree_reports_each_sensitive_file_once() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = build_tree(tmp.path(), 1);
    let (code, report) = scan(tmp.path(), &["scan", "."]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(path_findings(&report), expected(&tree), "{report}");
    assert_negatives_quiet(&tree, &report);
    // One path-rule finding per file.
    let mut per_file = BTreeSet::new();
    for (p, _, _) in path_findings(&report) {
        assert!(per_file.insert(p.clone()), "{p} reported twice");
    }
    // Keystores at line 1, column 1, with the file's SHA-1 as identity;
    // severities as the rules say.
    let ks = finding(&report, "certs/client.p12", "keystore-file");
    assert_eq!(
        (ks["line"].as_u64(), ks["column"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(ks["severity"], "high");
    let bytes = std::fs::read(tmp.path().join("certs/client.p12")).unwrap();
    let content_sha1 = leakhound::finding::sha1_hex(&bytes);
    assert_eq!(
        ks["secret_sha1"],
        leakhound::finding::sha1_hex(content_sha1.as_bytes())
    );
    // `.env` is flagged by the rules that name its secrets, not twice.
    let rules_at = |path: &str| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == path)
            .map(|f| f["rule_id"].as_str().unwrap().to_string())
            .collect()
    };
    let env_rules = rules_at(".env");
    assert!(!env_rules.is_empty(), "{report}");
    assert!(
        !env_rules.iter().any(|r| r == "dotenv-file"),
        "{env_rules:?}"
    );
    // A key file whose block does not parse is a low content finding: the
    // path rule's high finding stays.
    assert!(rules_at("deploy/id_rsa").contains(&"private-key-file".to_string()));
    // Binary files are still counted as skipped for the content scan.
    assert!(report["summary"]["skipped_binary"].as_u64().unwrap() >= 4);
}

#[test]
fn gitignored_sensitive_files_are_not_scanned_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = build_tree(tmp.path(), 2);
    git_init(tmp.path());
    write(tmp.path(), ".gitignore", ".env\n*.p12\n");
    let (_, report) = scan(tmp.path(), &["scan", "."]);
    let found = path_findings(&report);
    assert!(
        !found
            .iter()
            .any(|(p, _, _)| p == ".env" || p.ends_with(".p12")),
        "{found:?}"
    );
    let not_ignored = tree
        .expected
        .iter()
        .filter(|(p, _, _)| p != ".env" && !p.ends_with(".p12"))
        .count();
    assert_eq!(found.len(), not_ignored);
    let (_, report) = scan(tmp.path(), &["scan", ".", "--no-ignore"]);
    assert_eq!(path_findings(&report), expected(&tree));
}

#[test]
fn oversized_files_are_skipped_even_when_their_name_is_sensitive() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "big.p12", vec![0u8; 4096]);
    let (code, report) = scan(tmp.path(), &["scan", ".", "--max-file-size", "1K"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["summary"]["skipped_large"], 1);
}

#[test]
fn history_reports_sensitive_files_with_their_commit_even_after_deletion() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    common::git_init(dir);
    let tree = build_tree(dir, 3);
    run_git(dir, &["add", "-A"]);
    run_git(dir, &["commit", "-q", "-m", "add everything"]);
    let first = run_git(dir, &["rev-parse", "HEAD"]);
    // Removing the files later does not remove them from history.
    run_git(dir, &["rm", "-q", "certs/client.p12", ".env"]);
    run_git(dir, &["commit", "-q", "-m", "remove"]);
    let (code, report) = scan(dir, &["scan", "--git"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(path_findings(&report), expected(&tree), "{report}");
    assert_negatives_quiet(&tree, &report);
    let ks = finding(&report, "certs/client.p12", "keystore-file");
    assert_eq!(ks["commit"]["id"], first.as_str());
    // The same identity as a working-tree scan of the same bytes.
    run_git(dir, &["checkout", "-q", "HEAD~1", "--", "certs/client.p12"]);
    let (_, tree_report) = scan(dir, &["scan", "."]);
    assert_eq!(
        finding(&tree_report, "certs/client.p12", "keystore-file")["secret_sha1"],
        ks["secret_sha1"]
    );
}

#[test]
fn staged_sensitive_files_are_reported_before_the_first_commit_and_after() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    common::git_init(dir);
    let tree = build_tree(dir, 4);
    run_git(dir, &["add", "-A"]);
    let (code, report) = scan(dir, &["scan", "--staged"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(path_findings(&report), expected(&tree), "{report}");
    assert_negatives_quiet(&tree, &report);
    run_git(dir, &["commit", "-q", "-m", "first"]);

    // Nothing staged: nothing reported.
    let (code, report) = scan(dir, &["scan", "--staged"]);
    assert_eq!(code, 0, "{report}");
    // A change to a committed .env that leaves its secret lines alone still
    // commits the whole file: reported. So is a replaced keystore.
    let env = std::fs::read_to_string(dir.join(".env")).unwrap();
    write(dir, ".env", format!("{env}LOG_LEVEL=debug\n"));
    let mut rng = Rng::new(99);
    write(dir, "certs/client.p12", binary(&mut rng, 2100));
    run_git(dir, &["add", "-A"]);
    let (code, report) = scan(dir, &["scan", "--staged"]);
    assert_eq!(code, 1, "{report}");
    let found: Vec<_> = path_findings(&report).into_iter().collect();
    assert_eq!(
        found,
        [(
            "certs/client.p12".to_string(),
            "keystore-file".to_string(),
            1
        )]
    );
    // A new look-alike staged alone: clean.
    run_git(dir, &["commit", "-q", "-m", "second"]);
    write(dir, "docs/.env.sample", "REGION=eu-west-1\n");
    write(dir, "keys/other.pem", pem("CERTIFICATE", &mut rng, 4));
    run_git(dir, &["add", "-A"]);
    let (code, report) = scan(dir, &["scan", "--staged"]);
    assert!(path_findings(&report).is_empty(), "{report}");
    assert_eq!(code, 0, "{report}");
}

#[test]
fn a_baseline_accepts_a_sensitive_file_until_its_content_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut rng = Rng::new(5);
    write(dir, "certs/client.p12", binary(&mut rng, 1024));
    let out = common::leakhound()
        .current_dir(dir)
        .env("HOME", dir)
        .args(["baseline", "create", "."])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, report) = scan(dir, &["scan", "."]);
    assert_eq!(code, 0, "{report}");
    // A different keystore at the same path is a new finding.
    write(dir, "certs/client.p12", binary(&mut rng, 1024));
    let (code, report) = scan(dir, &["scan", "."]);
    assert_eq!(code, 1, "{report}");
}

#[test]
fn percent_encoded_url_passwords_are_found_decoded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut rng = Rng::new(6);
    let (a, b) = (rng.string(BASE62, 8), rng.string(BASE62, 8));
    let password = format!("{a}@{b}/");
    let encoded = format!("{a}%40{b}%2F");
    write(
        dir,
        "settings.py",
        format!(
            "DATABASE_URL = 'postgres://app:{encoded}@db.internal:5432/app'\n\
             TEMPLATE = 'postgres://app:%3Cpassword%3E@db.internal:5432/app'\n\
             FROM_ENV = 'postgres://app:%24%7BDB_PASS%7D@db.internal:5432/app'\n"
        ),
    );
    let (code, report) = scan(dir, &["scan", ".", "--no-redact"]);
    assert_eq!(code, 1, "{report}");
    let found = common::findings(&report);
    assert_eq!(found.len(), 1, "{report}");
    let f = &found[0];
    assert_eq!(f["rule_id"], "database-url-password");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(1), Some(32))
    );
    assert_eq!(f["secret"], password.as_str());
    assert_eq!(
        f["secret_sha1"],
        leakhound::finding::sha1_hex(password.as_bytes())
    );
}
