//! Inline allow comments, project config (rules, allowlists, waivers) and
//! `--report-unused`, as users run them.

mod common;

use common::{Repo, acme_token, locations, stripe_key};

/// Acceptance 2: every inline comment form, in several comment syntaxes,
/// allows the secret on its line (or the next); an unmarked one is reported.
#[test]
fn every_inline_allow_comment_form() {
    let repo = Repo::new();
    let cfg = repo.config("");
    let forms = [
        ("a.py", "K = '{}'  # leakhound:allow"),
        ("b.js", "// leakhound:allow-next-line\nconst k = '{}';"),
        ("c.go", "k := \"{}\" // gitleaks:allow"),
        ("d.py", "K = '{}'  # pragma: allowlist secret"),
        (
            "e.sql",
            "-- pragma: allowlist nextline secret\nSELECT '{}';",
        ),
        ("f.html", "<p>{}</p> <!-- leakhound:allow -->"),
        ("g.c", "char *k = \"{}\"; /* gitleaks:allow */"),
        ("h.yaml", "k: {}  # pragma:allowlist secret"),
    ];
    for (i, (file, text)) in forms.iter().enumerate() {
        repo.write(
            file,
            &format!("{}\n", text.replace("{}", &stripe_key(100 + i as u64))),
        );
    }
    // Not allowed: a marker two lines up, and a next-line marker on the line itself.
    repo.write(
        "z.py",
        &format!(
            "# leakhound:allow-next-line\n\nK = '{}'\nJ = '{}'  # leakhound:allow-next-line\n",
            stripe_key(1),
            stripe_key(2)
        ),
    );
    let out = repo.leakhound(&["scan", "--config", &cfg.display().to_string(), "-f", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        locations(&out.findings()),
        [("z.py".to_string(), 3), ("z.py".to_string(), 4)]
    );
}

/// Acceptance 2: a custom rule from the config is found; `.leakhound.toml`
/// at the repository root is used without `--config`.
#[test]
fn custom_rule_from_config_is_found() {
    let repo = Repo::new();
    repo.write(".leakhound.toml", common::RULES);
    repo.write("src/app.rb", &format!("TOKEN = \"{}\"\n", acme_token(5)));
    let out = repo.leakhound(&["scan", "-f", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let f = out.findings();
    assert!(
        f.contains(&("src/app.rb".to_string(), "acme-token".to_string(), 1)),
        "{f:?}"
    );
    // From a subdirectory too: the config is found at the repository root.
    let out = common::Output::from(
        std::process::Command::new(env!("CARGO_BIN_EXE_leakhound"))
            .current_dir(repo.path("src"))
            .args(["scan", ".", "-f", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    // Disabled, it is not.
    repo.write(
        ".leakhound.toml",
        &format!("disable = [\"acme-token\"]\n{}", common::RULES),
    );
    let out = repo.leakhound(&["scan", "-f", "json"]);
    assert!(
        out.findings().iter().all(|f| f.1 != "acme-token"),
        "{}",
        out.stdout
    );
}

/// Acceptance 2: path globs and secret regexes allow findings; stopwords too.
#[test]
fn config_path_and_regex_allowlists() {
    let repo = Repo::new();
    let cfg = repo.config(
        "[allow]\npaths = ['tests/fixtures/**', '*.md']\nregexes = ['^acme_0']\nstopwords = ['zzz']\n",
    );
    let cfg = cfg.display().to_string();
    let token_0 = format!("acme_0{}", &acme_token(1)[6..]);
    let token_zzz = format!("acme_{}zzz", &acme_token(2)[5..18]);
    repo.write(
        "tests/fixtures/deep/keys.py",
        &format!("K = '{}'\n", stripe_key(1)),
    );
    repo.write("README.md", &format!("K = '{}'\n", stripe_key(2)));
    repo.write("docs/guide.md", &format!("K = '{}'\n", stripe_key(3)));
    repo.write(
        "app.py",
        &format!(
            "A = '{token_0}'\nB = '{token_zzz}'\nC = '{}'\n",
            stripe_key(4)
        ),
    );
    let out = repo.leakhound(&["scan", "--config", &cfg, "-f", "json"]);
    assert_eq!(out.code, 1);
    // `*.md` does not cross `/` (globs are matched on the repository-relative path).
    assert_eq!(
        locations(&out.findings()),
        [("app.py".to_string(), 3), ("docs/guide.md".to_string(), 1)]
    );
}

/// Acceptance 2: a bad config is exit 2 with one line naming file and line.
#[test]
fn bad_config_is_exit_2_naming_file_and_line() {
    let repo = Repo::new();
    repo.write("a.py", "nothing here\n");
    for (text, line) in [
        ("[allow]\npaths = []\nunknown_key = 1\n", "line 3"),
        ("\n[allow]\nregexes = ['(unclosed']\n", "line 3"),
        (
            "[[rule]]\nid = 'x'\nname = 'x'\nseverity = 'high'\nkeywords = ['k']\nregex = '['\n",
            "line 1",
        ),
        ("[[allow.secret]]\nsha1 = 'abc'\n", "line 2"),
        (
            "[rules.no-such-rule]\nseverity = 'low'\n",
            "line 1: [rules.no-such-rule]",
        ),
        ("\ndisable = ['nope']\n", "line 2"),
        ("disable = 'x'\n", "line 1"),
    ] {
        repo.write(".leakhound.toml", text);
        for args in [&["scan"][..], &["config", "check"], &["baseline", "create"]] {
            let out = repo.leakhound(args);
            assert_eq!(out.code, 2, "{args:?} {text:?}: {}", out.stderr);
            let err = out.stderr.trim();
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(
                err.contains(".leakhound.toml") && err.contains(line),
                "{text:?}: {err}"
            );
        }
    }
}

/// `config check` validates and prints the effective rules.
#[test]
fn config_check_prints_effective_rules() {
    let repo = Repo::new();
    repo.write(
        ".leakhound.toml",
        &format!(
            "{}\n[rules.acme-token]\nseverity = 'low'\nmin_entropy = 2.5\n",
            common::RULES
        ),
    );
    let out = repo.leakhound(&["config", "check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(".leakhound.toml: ok"), "{}", out.stdout);
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("acme-token "))
        .unwrap();
    assert!(line.contains(" low ") && line.contains("2.5"), "{line}");
}

/// Acceptance 3: `--report-unused` lists allow comments with no finding and
/// config allowlist entries that matched nothing; `--fail-on-unused` fails.
#[test]
fn report_unused_comments_and_config_entries() {
    let repo = Repo::new();
    let waived = stripe_key(9);
    let cfg = repo.config(&format!(
        "[allow]\npaths = ['vendor/**', 'used/**']\nregexes = ['^never_']\nstopwords = ['nothing']\n\n[[allow.secret]]\nsha1 = '{}'\nreason = 'not in the tree'\n",
        "0".repeat(40)
    ));
    let text = std::fs::read_to_string(&cfg).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let cfg = cfg.display().to_string();
    repo.write(
        "a.py",
        &format!(
            "X = 1  # leakhound:allow\n# pragma: allowlist nextline secret\nY = 2\nK = '{waived}'  # gitleaks:allow\n"
        ),
    );
    repo.write("used/k.py", &format!("K = '{}'\n", stripe_key(10)));
    let out = repo.leakhound(&["scan", "--config", &cfg, "--report-unused", "-f", "json"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let notes = out.notes().join("\n");
    for expected in [
        "a.py:1: allow comment".to_string(),
        "a.py:2: allow comment".to_string(),
        format!(":{}: allow path \"vendor/**\"", line_of("paths")),
        format!(":{}: allow regex \"^never_\"", line_of("regexes")),
        format!(":{}: stopword \"nothing\"", line_of("stopwords")),
        format!(":{}: waiver for sha1 000000000000", line_of("sha1")),
    ] {
        assert!(
            notes.contains(&expected),
            "missing {expected:?} in\n{notes}"
        );
    }
    assert!(
        !notes.contains("a.py:4"),
        "a used comment is not unused:\n{notes}"
    );
    assert!(!notes.contains("used/**"), "{notes}");
    assert_eq!(out.notes().len(), 6, "{notes}");
    let out = repo.leakhound(&["scan", "--config", &cfg, "--fail-on-unused"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("note: unused suppression:"),
        "{}",
        out.stdout
    );
}

/// Acceptance 3: a waiver holds until its expiry date; after it the finding
/// is reported again, with a note saying the waiver expired.
#[test]
fn waivers_hold_until_they_expire() {
    let repo = Repo::new();
    let key = stripe_key(77);
    let sha = leakhound::finding::sha1_hex(key.as_bytes());
    repo.write("pay.py", &format!("KEY = '{key}'\n"));
    let waiver = |expires: &str| {
        repo.config(&format!(
            "[[allow.secret]]\nsha1 = '{sha}'\nreason = 'sandbox account, rotate by Q1'\nexpires = {expires}\n"
        ))
        .display()
        .to_string()
    };
    let cfg = waiver("2999-12-31");
    let out = repo.leakhound(&["scan", "--config", &cfg, "--fail-on-unused", "-f", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);

    let cfg = waiver("2020-01-31");
    let out = repo.leakhound(&["scan", "--config", &cfg, "-f", "json"]);
    assert_eq!(out.code, 1);
    assert_eq!(locations(&out.findings()), [("pay.py".to_string(), 1)]);
    let notes = out.notes().join("\n");
    assert!(
        notes.contains("expired on 2020-01-31") && notes.contains("sandbox account"),
        "{notes}"
    );
    let human = repo.leakhound(&["scan", "--config", &cfg]);
    assert!(
        human.stdout.contains("expired on 2020-01-31"),
        "{}",
        human.stdout
    );
}

/// Findings read from standard input get the same suppression.
#[test]
fn stdin_gets_config_suppression() {
    let repo = Repo::new();
    let cfg = repo
        .config("[allow]\nstopwords = ['zzz']\n")
        .display()
        .to_string();
    let run = |text: String| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_leakhound"))
            .current_dir(repo.root())
            .args(["scan", "-", "--config", &cfg])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        child.wait().unwrap().code()
    };
    assert_eq!(run(format!("t = {}\n", acme_token(3))), Some(1));
    assert_eq!(
        run(format!("t = acme_{}zzz\n", &acme_token(3)[5..18])),
        Some(0)
    );
}
