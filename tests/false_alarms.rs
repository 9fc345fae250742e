//! Known non-secrets, run through the real binary: documentation example keys
//! (reported at `info`, hidden unless asked, never failing the gate by
//! default), punctuation-only and plain-word "passwords", placeholder Basic
//! credentials, and browser API keys that Google documents as public (`low`).
//!
//! Every value is built at test time from pieces, so that no source line holds
//! a whole key (public example or fake).

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::{BASE62, Rng, aws_key_id, aws_secret, findings, leakhound_in, scan_json, write};
use serde_json::Value;

/// AWS's documented example key pair (the `EXAMPLE` suffix convention).
fn aws_doc_pair() -> (String, String) {
    (
        format!("{}{}{}", "AKIA", "IOSFODNN7", "EXAMPLE"),
        format!("{}{}{}", "wJalrXUtnFEMI/K7MDENG/", "bPxRfiCY", "EXAMPLEKEY"),
    )
}

/// A token with jwt.io's sample claims (`sub` 1234567890, `name` John Doe),
/// whatever its signature: every variant of the debugger's sample shares them.
fn jwt_io_sample(seed: u64) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims =
        URL_SAFE_NO_PAD.encode(br#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#);
    let sig = Rng::new(seed).string(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        43,
    );
    format!("{header}.{claims}.{sig}")
}

/// The key of the Fernet specification's test vectors (github.com/fernet/spec).
fn fernet_spec_key() -> String {
    format!("{}{}", "cw_0x689RpI-jtRR7oE8h_", "eQsKImvJapLeSbXpwF4e4=")
}

/// The sample test key in Stripe's API reference (docs.stripe.com/api/authentication).
fn stripe_doc_key() -> String {
    format!("{}{}{}", "sk_", "test_", "BQokikJOvBiI2HlWgH4olfQ2")
}

/// A fake Google API key (`AIza` + 35 characters).
fn google_key(seed: u64) -> String {
    format!("{}{}", "AIza", Rng::new(seed).string(BASE62, 35))
}

fn by_line(json: &Value) -> Vec<(u64, String, String)> {
    let mut v: Vec<_> = findings(json)
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Documentation example keys are not secrets: a default scan reports
/// nothing and passes; `--min-severity info` shows each at `info` with the
/// reason in JSON, SARIF and the human report, and still passes unless
/// `--fail-on info`. A real key beside them is reported as before.
#[test]
fn documented_example_keys_are_info_hidden_by_default_and_never_fail_the_gate() {
    let tmp = tempfile::tempdir().unwrap();
    let (id, secret) = aws_doc_pair();
    let text = format!(
        "# from the docs\n\
         aws_access_key_id = {id}\n\
         aws_secret_access_key = {secret}\n\
         SAMPLE_JWT = \"{jwt}\"\n\
         FERNET_KEY={fernet}\n\
         stripe.api_key = \"{stripe}\"\n",
        jwt = jwt_io_sample(3),
        fernet = fernet_spec_key(),
        stripe = stripe_doc_key(),
    );
    write(tmp.path(), "docs/setup.md", &text);

    let (code, json) = scan_json(&[], tmp.path());
    assert_eq!(findings(&json).len(), 0, "default scan: {json:#}");
    assert_eq!(code, 0);

    let (code, json) = scan_json(&["--min-severity", "info"], tmp.path());
    assert_eq!(code, 0, "info findings do not fail the gate: {json:#}");
    let lines: Vec<u64> = by_line(&json).iter().map(|(l, _, _)| *l).collect();
    for line in 2..=6 {
        assert!(lines.contains(&line), "line {line} shown at info: {json:#}");
    }
    for f in findings(&json) {
        assert_eq!(f["severity"], "info", "{f:#}");
        let reason = f["reason"].as_str().unwrap_or_default();
        assert!(reason.contains("public"), "reason: {f:#}");
    }
    let reason_of = |line: u64| {
        findings(&json)
            .iter()
            .find(|f| f["line"] == line)
            .map(|f| f["reason"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert!(reason_of(2).contains("EXAMPLE"), "{}", reason_of(2));
    assert!(reason_of(4).contains("jwt.io"), "{}", reason_of(4));
    assert!(reason_of(5).contains("Fernet"), "{}", reason_of(5));
    assert!(reason_of(6).contains("Stripe"), "{}", reason_of(6));

    let (code, _) = scan_json(&["--min-severity", "info", "--fail-on", "info"], tmp.path());
    assert_eq!(code, 1, "--fail-on info fails on them");
    // `--fail-on info` alone shows what it fails on.
    let (code, json) = scan_json(&["--fail-on", "info"], tmp.path());
    assert_eq!(code, 1);
    assert!(findings(&json).len() >= 5, "{json:#}");

    let out = leakhound_in(tmp.path())
        .args(["scan", "--min-severity", "info", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert!(
            r["properties"]["reason"]
                .as_str()
                .is_some_and(|s| s.contains("public")),
            "{r:#}"
        );
    }
    let out = leakhound_in(tmp.path())
        .args(["scan", "--min-severity", "info"])
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("reason: "), "{human}");

    // A real key pair beside them is still a failing finding.
    write(
        tmp.path(),
        "deploy.env",
        format!(
            "AWS_ACCESS_KEY_ID={}\nAWS_SECRET_ACCESS_KEY={}\n",
            aws_key_id(7),
            aws_secret(8)
        ),
    );
    let (code, json) = scan_json(&[], tmp.path());
    assert_eq!(code, 1);
    assert!(
        findings(&json)
            .iter()
            .all(|f| f["path"] == "deploy.env" && f["severity"] != "info"),
        "{json:#}"
    );
}

/// Any key ending in `EXAMPLE` or `EXAMPLEKEY` follows AWS's documentation
/// convention for example keys, whatever rule finds it.
#[test]
fn keys_ending_in_example_are_public_examples() {
    let tmp = tempfile::tempdir().unwrap();
    let mut r = Rng::new(11);
    let id = format!(
        "{}{}{}",
        "AKIA",
        r.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 9),
        "EXAMPLE"
    );
    let secret = format!("{}{}", r.string(BASE62, 30), "EXAMPLEKEY");
    write(
        tmp.path(),
        "README.md",
        format!("export AWS_ACCESS_KEY_ID={id}\nexport AWS_SECRET_ACCESS_KEY={secret}\n"),
    );
    let (code, json) = scan_json(&["--min-severity", "info"], tmp.path());
    assert_eq!(code, 0, "{json:#}");
    let got = by_line(&json);
    assert!(
        got.iter().any(|(l, _, s)| *l == 1 && s == "info"),
        "{json:#}"
    );
    assert!(
        got.iter().any(|(l, _, s)| *l == 2 && s == "info"),
        "{json:#}"
    );
}

/// A password made only of punctuation, or a plain English word, is not a
/// secret, whichever rule sees it (assignments, URLs, command lines, .netrc,
/// `docker login`). A random password in the same places still is.
#[test]
fn punctuation_only_and_word_only_passwords_are_not_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let text = [
        r#"password = "!@#$%^&*()""#,
        r#"smtp_password: "~!@#$%^&*()_+""#,
        r#"key_password = "--==++__""#,
        "DATABASE_URL=postgres://app:mountains@db.internal:5432/app",
        "AMQP_URL=amqp://guest:evergreen@rabbit:5672/",
        "mysql -u root -p'elephant' appdb",
        "echo \"sunflower\" | docker login -u ci --password-stdin",
        "machine ftp.acme-corp.io login deploy password waterfall",
        "machine ftp.acme-corp.io login deploy password !@#$%^&*",
        r#"db_password: "Strawberries""#,
    ]
    .join("\n");
    write(tmp.path(), "ops/notes.txt", format!("{text}\n"));
    let (code, json) = scan_json(&[], tmp.path());
    assert_eq!(findings(&json).len(), 0, "{json:#}");
    assert_eq!(code, 0);

    // The same places with random values are reported.
    let mut r = Rng::new(5);
    let pw = |r: &mut Rng| format!("{}#{}", r.string(BASE62, 9), r.string(BASE62, 5));
    let text = format!(
        "password = \"{}\"\nDATABASE_URL=postgres://app:{}@db.internal:5432/app\nmachine ftp.acme-corp.io login deploy password {}\n",
        pw(&mut r),
        r.string(BASE62, 16),
        pw(&mut r)
    );
    write(tmp.path(), "ops/notes.txt", text);
    let (code, json) = scan_json(&[], tmp.path());
    assert_eq!(code, 1);
    let lines: Vec<u64> = by_line(&json).iter().map(|(l, _, _)| *l).collect();
    assert_eq!(lines, [1, 2, 3], "{json:#}");
}

/// `Authorization: Basic` holds base64 of `user:password`, never a JWT: a
/// real one is the Authorization-header rule's finding (not the JWT rule's),
/// and one whose password is a placeholder or RFC 7617's example is not a
/// secret at all.
#[test]
fn basic_credentials_are_not_jwts_and_placeholder_ones_are_not_secrets() {
    let tmp = tempfile::tempdir().unwrap();
    let b64 = |s: &str| STANDARD.encode(s);
    let placeholders = [
        "user:password",
        "username:password",
        "myuser:mypassword",
        "client_id:client_secret",
        "admin:admin",
        "test:test123",
        // RFC 7617's example
        "Aladdin:open sesame",
    ];
    let text: String = placeholders
        .iter()
        .map(|p| {
            format!(
                "curl -H \"Authorization: Basic {}\" https://api.acme-corp.io/v1\n",
                b64(p)
            )
        })
        .collect();
    write(tmp.path(), "docs/api.md", &text);
    let (code, json) = scan_json(&[], tmp.path());
    assert_eq!(findings(&json).len(), 0, "{json:#}");
    assert_eq!(code, 0);

    let mut r = Rng::new(21);
    let real = b64(&format!("ci-bot:{}", r.string(BASE62, 20)));
    // A JWT-looking user name does not make the header a JWT.
    let jwtish = b64(&format!("{}:{}", jwt_io_sample(4), r.string(BASE62, 20)));
    write(
        tmp.path(),
        "docs/api.md",
        format!("Authorization: Basic {real}\nAuthorization: Basic {jwtish}\n"),
    );
    let (code, json) = scan_json(&[], tmp.path());
    assert_eq!(code, 1);
    let got = by_line(&json);
    assert!(
        got.iter().all(|(_, rule, _)| !rule.starts_with("jwt")),
        "{json:#}"
    );
    assert!(
        got.iter()
            .any(|(l, rule, _)| *l == 1 && rule == "authorization-header"),
        "{json:#}"
    );
}

/// Google API keys in web front-end config (a `firebaseConfig` object,
/// `NEXT_PUBLIC_`/`VITE_`/`REACT_APP_` variables, a Maps JavaScript script
/// tag) are public by design: `low`, with the reason. The same key kind
/// assigned to a server-side name stays `high`, even in the same file.
#[test]
fn browser_google_api_keys_are_low_server_keys_stay_high() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "web/src/firebase.js",
        format!(
            "const firebaseConfig = {{\n  apiKey: \"{}\",\n  authDomain: \"acme-web.firebaseapp.com\",\n  projectId: \"acme-web\",\n}};\n",
            google_key(1)
        ),
    );
    write(
        tmp.path(),
        "web/.env.production",
        format!(
            "NEXT_PUBLIC_FIREBASE_API_KEY={}\nVITE_MAPS_KEY={}\nREACT_APP_GOOGLE_MAPS_API_KEY=\"{}\"\nGEMINI_API_KEY={}\n",
            google_key(2),
            google_key(3),
            google_key(4),
            google_key(5)
        ),
    );
    write(
        tmp.path(),
        "web/public/index.html",
        format!(
            "<script async src=\"https://maps.googleapis.com/maps/api/js?key={}&callback=initMap\"></script>\n",
            google_key(6)
        ),
    );
    let (code, json) = scan_json(&[], tmp.path());
    assert_eq!(code, 1, "the Gemini key fails the gate");
    let sev = |path: &str, line: u64| {
        findings(&json)
            .iter()
            .find(|f| f["path"] == path && f["line"] == line && f["rule_id"] == "google-api-key")
            .map(|f| {
                (
                    f["severity"].as_str().unwrap().to_string(),
                    f["reason"].clone(),
                )
            })
            .unwrap_or_else(|| panic!("{path}:{line} not found: {json:#}"))
    };
    for (path, line) in [
        ("web/src/firebase.js", 2),
        ("web/.env.production", 1),
        ("web/.env.production", 2),
        ("web/.env.production", 3),
        ("web/public/index.html", 1),
    ] {
        let (s, reason) = sev(path, line);
        assert_eq!(s, "low", "{path}:{line}: {json:#}");
        assert!(
            reason.as_str().is_some_and(|r| r.contains("public")),
            "{path}:{line}: {reason}"
        );
    }
    let (s, reason) = sev("web/.env.production", 4);
    assert_eq!(s, "high");
    assert!(reason.is_null(), "{reason}");
    // `--fail-on medium` passes on the browser keys alone.
    std::fs::remove_file(tmp.path().join("web/.env.production")).unwrap();
    let (code, json) = scan_json(&["--fail-on", "medium"], tmp.path());
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(findings(&json).len(), 2);
}

/// `leakhound explain` says when a rule's findings get a lower severity and
/// why, with the provider's documentation; `explain public-examples` lists
/// the known public example values (their names and sources, not values).
#[test]
fn explain_shows_why_severity_is_lowered() {
    let tmp = tempfile::tempdir().unwrap();
    let out = leakhound_in(tmp.path())
        .args(["explain", "google-api-key"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("firebase.google.com/docs/projects/api-keys"),
        "{text}"
    );
    assert!(text.contains("low"), "{text}");

    let out = leakhound_in(tmp.path())
        .args(["explain", "public-examples"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    for what in ["EXAMPLE", "jwt.io", "Fernet", "Stripe"] {
        assert!(text.contains(what), "{what}: {text}");
    }
    assert!(!text.contains(&fernet_spec_key()), "values are not printed");
}
