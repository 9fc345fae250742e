//! Variants of the token families leakhound already knows (issue 18, item 2):
//! legacy and newer shapes of Slack, Stripe, Vault, OpenAI, Anthropic, Google
//! and MongoDB Atlas credentials, and private keys written as joined string
//! literals or encoded in base64. Each must be found by its provider's rule at
//! that rule's severity, and its look-alikes must not be reported. Every token
//! is built here at test time from random characters of its documented shape.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::*;

const DIGITS: &[u8] = b"0123456789";
const HEX: &[u8] = b"0123456789abcdef";
const UPPER_NUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const URL_SAFE: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";

/// (rule id, severity, line) of every finding when `text` is scanned as
/// the file `name` of an otherwise empty directory.
fn found(name: &str, text: &str) -> Vec<(String, String, u64)> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), name, text);
    let (_, json) = scan_json(&["."], dir.path());
    findings(&json)
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Asserts that each case (file name, text, rule, severity) gives exactly
/// one finding, of that rule at that severity; lists every case that fails.
fn assert_each_found(cases: &[(&str, String, &str, &str)]) {
    let mut failed = Vec::new();
    for (name, text, rule, severity) in cases {
        let got = found(name, text);
        let ok = got.len() == 1 && got[0].0 == *rule && got[0].1 == *severity;
        if !ok {
            failed.push(format!(
                "want {rule} ({severity}), got {got:?} in {name}:\n{text}"
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// Asserts that no case (file name, text) gives any finding.
fn assert_none_found(cases: &[(&str, String)]) {
    let mut failed = Vec::new();
    for (name, text) in cases {
        let got = found(name, text);
        if !got.is_empty() {
            failed.push(format!("{got:?} in {name}:\n{text}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// A SEC1 EC private key on P-256 whose scalar and public point are random
/// bytes: it parses as a key (as `leakhound explain` reads it), so a finding
/// keeps its rule's severity. Returns the PEM lines.
fn ec_key_lines(seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut bytes = |n: usize| -> Vec<u8> { (0..n).map(|_| rng.next() as u8).collect() };
    let mut der = vec![0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20];
    der.extend(bytes(32));
    der.extend([
        0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
    ]);
    der.extend([0xa1, 0x44, 0x03, 0x42, 0x00, 0x04]);
    der.extend(bytes(64));
    let body = STANDARD.encode(&der);
    let mut lines = vec!["-----BEGIN EC PRIVATE KEY-----".to_string()];
    lines.extend(
        body.as_bytes()
            .chunks(64)
            .map(|c| String::from_utf8(c.to_vec()).unwrap()),
    );
    lines.push("-----END EC PRIVATE KEY-----".to_string());
    lines
}

/// The PEM text of [`ec_key_lines`].
fn ec_key(seed: u64) -> String {
    ec_key_lines(seed).join("\n") + "\n"
}

/// `lines` as string literals quoted with `q`, each ending in a `\n`
/// escape, joined by `join`.
fn literals(lines: &[String], q: char, join: &str) -> String {
    lines
        .iter()
        .map(|l| format!("{q}{l}\\n{q}"))
        .collect::<Vec<_>>()
        .join(join)
}

#[test]
fn pem_keys_joined_from_string_literals_are_critical_private_key_findings() {
    let l = ec_key_lines(1);
    let cases = [
        (
            "src/main/java/Keys.java",
            format!("String pem = {};\n", literals(&l, '"', " +\n    ")),
        ),
        (
            "src/keys.js",
            format!("const pem = {};\n", literals(&l, '\'', " +\n  ")),
        ),
        (
            "keys.go",
            format!("var pem = {}\n", literals(&l, '"', " +\n\t")),
        ),
        (
            "Keys.cs",
            format!("var pem = {};\n", literals(&l, '"', "\n    + ")),
        ),
        (
            "keys.py",
            format!("PEM = {}\n", literals(&l, '"', " \\\n    + ")),
        ),
        (
            "keys.php",
            format!("$pem = {};\n", literals(&l, '\'', " .\n  ")),
        ),
    ];
    let cases: Vec<_> = cases
        .into_iter()
        .map(|(n, t)| (n, t, "private-key", "critical"))
        .collect();
    assert_each_found(&cases);
}

#[test]
fn base64_pem_keys_are_decoded_wherever_they_stand() {
    let b64 = STANDARD.encode(ec_key(2));
    let wrapped: Vec<String> = b64
        .as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let cases = [
        (".env", format!("TLS_PEM={b64}\n")),
        ("config.json", format!("{{\"signing\": \"{b64}\"}}\n")),
        (
            "helm/values.yaml",
            format!(
                "ingress:\n  tls:\n    pem: |\n      {}\n",
                wrapped.join("\n      ")
            ),
        ),
        ("key.b64", format!("{}\n", wrapped.join("\n"))),
        (
            "deploy.sh",
            format!("echo '{b64}' | base64 -d > /etc/ssl/private/app.key\n"),
        ),
    ];
    let cases: Vec<_> = cases
        .into_iter()
        .map(|(n, t)| (n, t, "private-key", "critical"))
        .collect();
    assert_each_found(&cases);
}

#[test]
fn base64_look_alikes_of_pem_keys_are_not_reported() {
    let cert = "-----BEGIN CERTIFICATE-----\nMIIBhzCCAS2gAwIBAgIUSjkpyoTrehDb7wtv4eAE+CjgnS4w\n-----END CERTIFICATE-----\n";
    let truncated = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI...\n-----END EC PRIVATE KEY-----\n";
    let key = ec_key(3);
    let half = &STANDARD.encode(&key)[..120];
    let public = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+U37o4uTwkK5kPw49KpeDDiX8see\nw9yqI1Gxjs9IFmxm8N5PzB/mmiNdvWonRRXuaidhvdDCvm0IYDhXb6eIaw==\n-----END PUBLIC KEY-----\n"; // leakhound:allow
    assert_none_found(&[
        ("app.conf", format!("TLS_CERT={}\n", STANDARD.encode(cert))),
        (
            "values.yaml",
            format!("pem: {}\n", STANDARD.encode(truncated)),
        ),
        ("values.yaml", format!("pem: {half}\n")),
        (
            "config.json",
            format!("{{\"pub\": \"{}\"}}\n", STANDARD.encode(public)),
        ),
        // Only the start of a value says PEM: inside a longer run it is noise.
        ("blob.txt", format!("data=QUJD{}\n", STANDARD.encode(&key))),
    ]);
}

#[test]
fn joined_literal_look_alikes_of_pem_keys_are_not_reported() {
    let truncated = [
        "-----BEGIN RSA PRIVATE KEY-----".to_string(),
        "MIIEpAIBAAKCAQEA...".to_string(),
        "-----END RSA PRIVATE KEY-----".to_string(),
    ];
    let public: Vec<String> = ec_key_lines(4)
        .iter()
        .map(|l| l.replace("EC PRIVATE KEY", "PUBLIC KEY"))
        .collect();
    assert_none_found(&[
        (
            "Keys.java",
            format!("String pem = {};\n", literals(&truncated, '"', " +\n    ")),
        ),
        (
            "keys.js",
            format!("const pem = {};\n", literals(&public, '"', " +\n  ")),
        ),
        (
            "check.py",
            "if pem.startswith(\"-----BEGIN EC PRIVATE KEY-----\\n\") and pem.endswith(\"-----END EC PRIVATE KEY-----\\n\"):\n    pass\n"
                .to_string(),
        ),
    ]);
}

#[test]
fn vault_recovery_and_pre_1_10_tokens_are_vault_findings() {
    let mut rng = Rng::new(5);
    let recovery = format!("hvr.{}", rng.string(BASE62, 24));
    let service = format!("s.{}", rng.string(BASE62, 24));
    let namespaced = format!("s.{}.{}", rng.string(BASE62, 24), rng.string(BASE62, 5));
    let batch = format!("b.AAAAAQ{}", rng.string(URL_SAFE, 130));
    let recovery_old = format!("r.{}", rng.string(BASE62, 24));
    assert_each_found(&[
        (
            ".env",
            format!("VAULT_TOKEN={recovery}\n"),
            "vault-token",
            "critical",
        ),
        (
            ".env",
            format!("export VAULT_TOKEN={service}\n"),
            "vault-token-legacy",
            "critical",
        ),
        (
            "scripts/read.sh",
            format!(
                "curl -sH \"X-Vault-Token: {namespaced}\" https://vault.internal:8200/v1/kv/data/app\n"
            ),
            "vault-token-legacy",
            "critical",
        ),
        (
            "login.json",
            format!("{{\"auth\": {{\"client_token\": \"{batch}\", \"renewable\": false}}}}\n"),
            "vault-token-legacy",
            "critical",
        ),
        (
            "README.md",
            format!("    vault login {service}\n"),
            "vault-token-legacy",
            "critical",
        ),
        (
            "settings.py",
            format!("VAULT_TOKEN = \"{recovery_old}\"\n"),
            "vault-token-legacy",
            "critical",
        ),
        (
            "deploy/values.yaml",
            format!("vault:\n  vaultToken: {service}\n"),
            "vault-token-legacy",
            "critical",
        ),
    ]);
}

#[test]
fn vault_token_look_alikes_are_not_reported() {
    let mut rng = Rng::new(6);
    let service = format!("s.{}", rng.string(BASE62, 24));
    assert_none_found(&[
        // A legacy-shaped value with no Vault context: could be anything.
        ("notes.txt", format!("value = {service}\n")),
        (
            "app.conf",
            "VAULT_TOKEN=s.xxxxxxxxxxxxxxxxxxxxxxxx\n".to_string(),
        ),
        ("app.conf", "VAULT_TOKEN=s.<token>\n".to_string()),
        ("ci.sh", "vault login -method=oidc role=dev\n".to_string()),
        (
            "docs.md",
            "Recovery tokens start with `hvr.` and are short-lived.\n".to_string(),
        ),
        (
            "app.py",
            "self.vault_token = settings.vault_token\n".to_string(),
        ),
        // Too short for a service token.
        (
            "app.conf",
            format!("VAULT_TOKEN=s.{}\n", rng.string(BASE62, 12)),
        ),
    ]);
}

#[test]
fn stripe_organization_keys_are_stripe_findings() {
    let mut rng = Rng::new(7);
    assert_each_found(&[
        (
            ".env",
            format!("STRIPE_ORG_KEY=sk_org_{}\n", rng.string(BASE62, 99)),
            "stripe-organization-key",
            "critical",
        ),
        (
            "billing.py",
            format!(
                "client = StripeClient(\"sk_org_{}_{}\")\n",
                "live",
                rng.string(BASE62, 60)
            ),
            "stripe-organization-key",
            "critical",
        ),
    ]);
    assert_none_found(&[
        ("app.conf", "STRIPE_ORG_KEY=sk_org_...\n".to_string()),
        (
            "docs.md",
            "Organization keys all start with `sk_org`.\n".to_string(),
        ),
        ("app.conf", "STRIPE_ORG_KEY=sk_org_<your-key>\n".to_string()),
    ]);
}

#[test]
fn slack_org_wide_workflow_urls_are_webhook_findings() {
    let mut rng = Rng::new(8);
    let org = format!("E{}", rng.string(UPPER_NUM, 10));
    assert_each_found(&[
        (
            "notify.py",
            format!(
                "requests.post(\"https://hooks.slack.com/triggers/{org}/{}/{}\", json=body)\n",
                rng.string(DIGITS, 13),
                rng.string(HEX, 32)
            ),
            "slack-webhook-url",
            "medium",
        ),
        (
            ".env",
            format!(
                "SLACK_WORKFLOW_URL=https://hooks.slack.com/workflows/{org}/A{}/{}/{}\n",
                rng.string(UPPER_NUM, 10),
                rng.string(DIGITS, 18),
                rng.string(BASE62, 24)
            ),
            "slack-webhook-url",
            "medium",
        ),
    ]);
    assert_none_found(&[(
        ".env",
        "SLACK_WORKFLOW_URL=https://hooks.slack.com/triggers/EXXXXXXXX/0000000000000/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
            .to_string(),
    )]);
}

/// Variants the rules merged for issue 18 already find: kept found, at the
/// right rule and severity (a regression guard for the cases above).
#[test]
fn known_variants_stay_found_by_their_provider_rule() {
    let mut rng = Rng::new(9);
    let mut s = |alphabet: &[u8], n: usize| rng.string(alphabet, n);
    let marker = "T3Blbk".to_string() + "FJ";
    let cases = vec![
        // Slack: workspace, session, rotating and refresh tokens; older bot tokens.
        (
            "app.conf",
            format!(
                "SLACK_TOKEN=xoxa-2-{}-{}-{}-{}\n",
                s(DIGITS, 12),
                s(DIGITS, 12),
                s(DIGITS, 12),
                s(HEX, 64)
            ),
            "slack-token",
            "high",
        ),
        (
            "app.conf",
            format!(
                "SLACK_TOKEN=xoxs-{}-{}-{}-{}\n",
                s(DIGITS, 12),
                s(DIGITS, 12),
                s(DIGITS, 13),
                s(HEX, 64)
            ),
            "slack-token",
            "high",
        ),
        (
            "app.conf",
            format!("SLACK_TOKEN=xoxe.xoxp-1-{}\n", s(URL_SAFE, 140)),
            "slack-token",
            "high",
        ),
        (
            "app.conf",
            format!("SLACK_TOKEN=xoxe.xoxb-1-{}\n", s(URL_SAFE, 140)),
            "slack-token",
            "high",
        ),
        (
            "app.conf",
            format!("SLACK_REFRESH_TOKEN=xoxe-1-{}\n", s(URL_SAFE, 140)),
            "slack-token",
            "high",
        ),
        (
            "app.conf",
            format!("SLACK_BOT_TOKEN=xoxb-{}-{}\n", s(DIGITS, 11), s(BASE62, 24)),
            "slack-bot-token",
            "high",
        ),
        (
            "app.conf",
            format!(
                "SLACK_BOT_TOKEN=xoxb-{}-{}-{}\n",
                s(DIGITS, 12),
                s(DIGITS, 13),
                s(BASE62, 24)
            ),
            "slack-bot-token",
            "high",
        ),
        (
            "app.conf",
            format!(
                "SLACK_WEBHOOK=https://hooks.slack.com/triggers/T{}/{}/{}\n",
                s(UPPER_NUM, 10),
                s(DIGITS, 13),
                s(HEX, 32)
            ),
            "slack-webhook-url",
            "medium",
        ),
        // Stripe: the 24-character keys of every kind and mode.
        (
            "app.conf",
            format!("STRIPE_KEY=sk_live_{}\n", s(BASE62, 24)),
            "stripe-secret-key-live",
            "critical",
        ),
        (
            "app.conf",
            format!("STRIPE_KEY=rk_live_{}\n", s(BASE62, 24)),
            "stripe-restricted-key-live",
            "critical",
        ),
        (
            "app.conf",
            format!("STRIPE_KEY=sk_test_{}\n", s(BASE62, 24)),
            "stripe-secret-key-test",
            "low",
        ),
        (
            "app.conf",
            format!("STRIPE_KEY=rk_test_{}\n", s(BASE62, 24)),
            "stripe-restricted-key-test",
            "low",
        ),
        // Anthropic admin keys, in a header too.
        (
            "admin.sh",
            format!(
                "curl -H \"x-api-key: sk-ant-admin01-{}AA\" https://api.anthropic.com/v1/organizations/users\n",
                s(URL_SAFE, 93)
            ),
            "anthropic-admin-key",
            "critical",
        ),
        // OpenAI keys of every kind in an Authorization header.
        (
            "call.sh",
            format!(
                "curl -H \"Authorization: Bearer sk-proj-{}{marker}{}\" https://api.openai.com/v1/models\n",
                s(URL_SAFE, 74),
                s(URL_SAFE, 74)
            ),
            "openai-api-key",
            "critical",
        ),
        (
            "call.py",
            format!(
                "headers = {{\"Authorization\": \"Bearer sk-svcacct-{}{marker}{}\"}}\n",
                s(URL_SAFE, 74),
                s(URL_SAFE, 74)
            ),
            "openai-api-key",
            "critical",
        ),
        (
            "req.http",
            format!(
                "GET /v1/organization/users\nAuthorization: Bearer sk-admin-{}{marker}{}\n",
                s(URL_SAFE, 74),
                s(URL_SAFE, 74)
            ),
            "openai-api-key",
            "critical",
        ),
        (
            "call.js",
            format!(
                "fetch(url, {{headers: {{Authorization: `Bearer sk-{}{marker}{}`}}}})\n",
                s(BASE62, 20),
                s(BASE62, 20)
            ),
            "openai-api-key",
            "critical",
        ),
        // Google OAuth tokens; a refresh token in its context.
        (
            "call.sh",
            format!(
                "curl -H \"Authorization: Bearer ya29.a0{}\" https://www.googleapis.com/drive/v3/files\n",
                s(URL_SAFE, 180)
            ),
            "google-oauth-access-token",
            "high",
        ),
        (
            "token.json",
            format!("{{\"refresh_token\": \"1//0{}\"}}\n", s(URL_SAFE, 100)),
            "google-oauth-refresh-token",
            "high",
        ),
        // MongoDB Atlas service account secrets.
        (
            "app.conf",
            format!(
                "MONGODB_ATLAS_CLIENT_SECRET=mdb_sa_sk_{}\n",
                s(URL_SAFE, 40)
            ),
            "mongodb-atlas-service-account-secret",
            "critical",
        ),
        // Vault tokens of the current format.
        (
            "app.conf",
            format!("VAULT_TOKEN=hvs.{}\n", s(BASE62, 24)),
            "vault-token",
            "critical",
        ),
        (
            "app.conf",
            format!("VAULT_TOKEN=hvb.{}\n", s(URL_SAFE, 140)),
            "vault-token",
            "critical",
        ),
        // A private key in a one-line `\n`-escaped string: one finding.
        (
            "sa.json",
            format!(
                "{{\"private_key\": \"{}\"}}\n",
                ec_key(10).replace('\n', "\\n")
            ),
            "private-key",
            "critical",
        ),
    ];
    assert_each_found(&cases);
}

#[test]
fn look_alikes_of_known_variants_are_not_reported() {
    assert_none_found(&[
        ("app.conf", "SLACK_TOKEN=xoxe.xoxp-1-\n".to_string()),
        (
            "app.conf",
            "SLACK_TOKEN=xoxa-2-your-token-here\n".to_string(),
        ),
        ("app.conf", "STRIPE_KEY=sk_live_...\n".to_string()),
        (
            "docs.md",
            "Restricted keys start with `rk_live_` or `rk_test_`.\n".to_string(),
        ),
        (
            "app.conf",
            "ANTHROPIC_ADMIN_KEY=sk-ant-admin01-...\n".to_string(),
        ),
        (
            "call.sh",
            "curl -H \"Authorization: Bearer sk-proj-...\" https://api.openai.com/v1/models\n"
                .to_string(),
        ),
        (
            "call.sh",
            "curl -H \"Authorization: Bearer $OPENAI_API_KEY\" https://api.openai.com/v1/models\n"
                .to_string(),
        ),
        (
            "call.sh",
            "curl -H \"Authorization: Bearer ya29.<token>\" https://www.googleapis.com/\n"
                .to_string(),
        ),
        // A refresh-token shape with no context says nothing.
        (
            "notes.txt",
            format!("path 1//0{}\n", Rng::new(11).string(URL_SAFE, 60)),
        ),
        (
            "app.conf",
            format!(
                "MONGODB_ATLAS_CLIENT_ID=mdb_sa_id_{}\n",
                Rng::new(12).string(HEX, 24)
            ),
        ),
        (
            "app.conf",
            "MONGODB_ATLAS_CLIENT_SECRET=mdb_sa_sk_<secret>\n".to_string(),
        ),
    ]);
}
