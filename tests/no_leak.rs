//! The scanner itself never prints a secret unless asked (`--no-redact`):
//! not in errors about malformed config or baseline files, not in any
//! report format.

mod common;

use common::{leakhound, stripe_live, write};

/// Runs `leakhound ARGS` in `dir`; returns (exit code, stdout + stderr).
fn run(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let out = leakhound().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn malformed_config_errors_name_the_position_not_the_secret() {
    let key = stripe_live(41);
    let cases = [
        format!("[allow]\npaths = \"{key}\"\n"),
        format!("[allow]\nstopwords = [{key}]\n"),
        format!("{key} = 1\n"),
        format!("disable = [\"{key}\"]\n"),
        format!("[allow]\nregexes = ['{key}(']\n"),
        format!("[allow]\npaths = ['{key}{{']\n"),
        format!("[rules.{key}]\nseverity = 'low'\n"),
        format!("[rules.stripe-secret-key-live]\nseverity = \"{key}\"\n"),
        format!("[[allow.secret]]\nsha1 = \"{key}\"\n"),
    ];
    for text in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".leakhound.toml", &text);
        write(dir.path(), "a.txt", "nothing\n");
        let (code, out) = run(dir.path(), &["scan", "."]);
        assert_eq!(code, 2, "{text}: {out}");
        assert!(out.contains(".leakhound.toml: line "), "{text}: {out}");
        assert!(!out.contains(&key[8..]), "{text}: leaked: {out}");
        assert_eq!(out.trim().lines().count(), 1, "{out}");
        assert!(!dir.path().join("out.json").exists());
    }
}

#[test]
fn malformed_baseline_errors_name_the_position_not_the_secret() {
    let key = stripe_live(42);
    let entry = |field: &str| {
        format!(
            "{{\n  \"version\": \"1.5.0\",\n  \"results\": {{\n    \"a.py\": [\n      {{\"type\": \"Secret Keyword\", \"hashed_secret\": \"{}\", {field}}}\n    ]\n  }}\n}}\n",
            "a".repeat(40)
        )
    };
    let cases = [
        format!("{{\"version\": \"{key}\", \"results\": {{}}}}"),
        entry(&format!("\"is_verified\": \"{key}\"")),
        entry(&format!("\"is_verified\": {key}")),
        entry(&format!("\"line_number\": \"{key}\"")),
        format!("{{\"version\": \"1.5.0\", \"results\": \"{key}\"}}"),
        format!(
            "{{\"version\": \"1.5.0\", \"results\": {{\"a\": [{{\"type\": \"x\", \"hashed_secret\": \"{key}\"}}]}}}}"
        ),
        format!("{key}\n"),
    ];
    for text in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".secrets.baseline", &text);
        write(dir.path(), "a.txt", "nothing\n");
        for args in [
            &["scan", "."][..],
            &["baseline", "update"],
            &["baseline", "audit", "--report"],
        ] {
            let (code, out) = run(dir.path(), args);
            assert_eq!(code, 2, "{args:?} {text}: {out}");
            assert!(out.contains(".secrets.baseline"), "{text}: {out}");
            assert!(!out.contains(&key[8..]), "{args:?} {text}: leaked: {out}");
            assert_eq!(out.trim().lines().count(), 1, "{out}");
        }
        // Nothing was rewritten.
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".secrets.baseline")).unwrap(),
            text
        );
    }
}

#[test]
fn every_report_format_redacts_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let key = stripe_live(43);
    write(dir.path(), "app/.env", format!("STRIPE_KEY={key}\n"));
    for format in ["human", "json", "sarif", "csv", "junit", "github"] {
        let (code, out) = run(dir.path(), &["scan", ".", "--format", format]);
        assert_eq!(code, 1, "{format}: {out}");
        assert!(out.contains("app/.env"), "{format}: {out}");
        assert!(
            !out.contains(&key),
            "{format} shows the whole secret: {out}"
        );
        assert!(
            !out.contains(&key[12..]),
            "{format} shows the secret's tail: {out}"
        );
        // ... and through -o / --report as well.
        let (code, _) = run(
            dir.path(),
            &[
                "scan",
                "app",
                "--format",
                format,
                "-o",
                "out.txt",
                "--report",
                &format!("{format}:extra.txt"),
            ],
        );
        assert_eq!(code, 1);
        for file in ["out.txt", "extra.txt"] {
            let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
            assert!(!text.contains(&key[12..]), "{format} {file}: {text}");
        }
        // --no-redact is the only way to see it.
        let (_, out) = run(
            dir.path(),
            &["scan", "app", "--format", format, "--no-redact"],
        );
        assert!(out.contains(&key), "{format} --no-redact: {out}");
    }
}
