//! What leakhound prints and writes, against a repository built to abuse it
//! (issue 17, items 6, 14, 15, 18 and 19): text from the repository never
//! drives the terminal or the CI log, reports honour the umask, two reports
//! never share a file, usage errors are one line, and file names that are
//! not UTF-8 keep their bytes.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use serde_json::Value;

use super::common::{findings, git_init, run_git, stripe_live, write};
use super::{STRIPE, run_within, stderr};

const BOUND: Duration = Duration::from_secs(300);

/// Writes `bytes` to the file named by the raw bytes `name` in `dir`.
fn write_raw(dir: &Path, name: &[u8], bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(OsStr::from_bytes(name)), bytes).unwrap();
}

/// Both streams of a run.
fn both(out: &Output) -> Vec<u8> {
    let mut v = out.stdout.clone();
    v.extend_from_slice(&out.stderr);
    v
}

/// Asserts that `bytes` (everything a run printed) holds no control
/// character but line feeds, and that no line starts a GitHub Actions
/// workflow command (the runner trims leading white space, Unicode's
/// included, before it looks for `::`), except the annotations of
/// `--format github` itself when `github` is set.
fn assert_inert(label: &str, bytes: &[u8], github: bool) {
    let text = String::from_utf8_lossy(bytes);
    if let Some(c) = text.chars().find(|&c| c.is_control() && c != '\n') {
        panic!("{label}: control character {c:?} printed raw:\n{text}");
    }
    for line in text.lines() {
        let body = line.trim_start();
        if !body.starts_with("::") {
            continue;
        }
        let ours = github
            && [
                "::error file=",
                "::warning file=",
                "::notice file=",
                "::notice title=leakhound::",
                "::warning title=leakhound::",
            ]
            .iter()
            .any(|p| line.starts_with(p));
        assert!(ours, "{label}: a line starts a workflow command: {line:?}");
        // In our own commands, the properties hold no raw `:` (escaped as
        // `%3A`), so the message starts where we put it.
        let props = &line[2..].split_once("::").unwrap().0;
        assert!(
            !props.contains(':'),
            "{label}: injected property in {line:?}"
        );
    }
}

/// Runs git with an identity and a message that carry escape sequences.
fn hostile_commit(dir: &Path, message: &str) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(["commit", "-q", "-m", message])
        .env("GIT_AUTHOR_NAME", "Eve \x1b]0;pwned\x07\x1b[2J")
        .env("GIT_AUTHOR_EMAIL", "eve\x1b[8m@example.com")
        .env("GIT_COMMITTER_NAME", "Eve")
        .env("GIT_COMMITTER_EMAIL", "eve@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Item 6: file names with line breaks and `::add-mask::`, names, authors and
/// commit summaries with ESC sequences, and an unreadable blob at such a
/// path (a stderr warning): in every format, on stdout and stderr, nothing
/// reaches the terminal or the Actions log as a control sequence or a
/// workflow command; the paths are shown escaped, visibly.
#[test]
fn repository_text_cannot_drive_the_terminal_or_the_ci_log() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git_init(d);
    let mask = b"x\n::add-mask::hunter2\n.env";
    let esc = b"\xe2\x80\xae::warning::esc\x1b]0;t\x07\x1b[2J.env";
    let warn = b"warn\n::error::boom\x1b[5m.txt";
    write_raw(d, mask, format!("K={}\n", stripe_live(900)));
    write_raw(d, esc, format!("K={}\n", stripe_live(901)));
    write_raw(d, warn, "junk that will be corrupted\n");
    // A path starting with `::` and one with white space before it: no line
    // of the human report may start with them.
    write_raw(
        d,
        b"::notice::lead.env",
        format!("K={}\n", stripe_live(902)),
    );
    write_raw(
        d,
        b" \xe3\x80\x80::notice::ws.env",
        format!("K={}\n", stripe_live(903)),
    );
    run_git(d, &["add", "-A"]);
    hostile_commit(
        d,
        "fix \x1b[31mred\x1b]0;title\x07 \u{9b}2J\n\n::add-mask::body",
    );
    // The blob at `warn` becomes unreadable: a warning on stderr naming it.
    let junk = run_git(d, &["ls-files", "-s", "-z"]);
    let oid = junk
        .split('\0')
        .find(|e| e.contains("warn"))
        .and_then(|e| e.split_whitespace().nth(1))
        .expect("the index lists the blob")
        .to_string();
    let loose = d.join(".git/objects").join(&oid[..2]).join(&oid[2..]);
    std::fs::remove_file(&loose).unwrap();
    std::fs::write(&loose, b"not zlib").unwrap();

    let shown_mask = "x\\n::add-mask::hunter2\\n.env";
    let shown_esc = "\\u{202e}::warning::esc\\x1b]0;t\\x07\\x1b[2J.env";
    let shown_warn = "warn\\n::error::boom\\x1b[5m.txt";
    for format in ["human", "github", "junit", "csv", "sarif", "json"] {
        for source in ["--git", "."] {
            let args = ["scan", source, "-f", format, "--color", "never"];
            let (out, code, _) = run_within(d, &args, BOUND);
            let label = format!("{args:?}");
            assert_eq!(code, 1, "{label}: {}", stderr(&out));
            assert_inert(&label, &both(&out), format == "github");
            let text = String::from_utf8_lossy(&out.stdout);
            if matches!(format, "human" | "junit" | "csv") {
                for shown in [shown_mask, shown_esc] {
                    assert!(text.contains(shown), "{label}: {shown} not in\n{text}");
                }
            }
            if format == "human" && source == "--git" {
                assert!(
                    text.contains("by Eve \\x1b]0;pwned\\x07\\x1b[2J <eve\\x1b[8m@example.com>")
                        && text.contains(": fix \\x1b[31mred\\x1b]0;title\\x07 \\u{9b}2J"),
                    "{text}"
                );
                let lines = format!("\n{text}");
                assert!(lines.contains("\n./::notice::lead.env:1:3 "), "{text}");
                assert!(
                    lines.contains("\n./ \u{3000}::notice::ws.env:1:3 "),
                    "{text}"
                );
            }
            if source == "--git" {
                let err = stderr(&out);
                assert!(
                    err.contains(&format!(
                        "leakhound: warning: {shown_warn}: cannot read blob"
                    )),
                    "{label}: {err}"
                );
                assert!(err.lines().all(|l| l.starts_with("leakhound: ")), "{err}");
            }
        }
    }
}

/// Item 6: an error that quotes the config it could not parse is still one
/// line, with the config's control characters escaped.
#[test]
fn an_error_quoting_repository_text_is_one_inert_line() {
    let dir = tempfile::tempdir().unwrap();
    git_init(dir.path());
    write(dir.path(), "a.env", "nothing\n");
    // The regex error quotes the pattern, which holds ESC sequences and a
    // line break (TOML escapes in a basic string).
    write(
        dir.path(),
        ".leakhound.toml",
        "[[rule]]\nid = \"x\"\nname = \"n\"\nseverity = \"high\"\nkeywords = [\"a\"]\n\
         regex = \"\\u001b]0;pwned\\u0007\\u001b[2J\\n::add-mask::x(\"\n",
    );
    let (out, code, _) = run_within(dir.path(), &["scan", "-f", "github"], BOUND);
    let err = stderr(&out);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("leakhound: error: "), "{err}");
    assert!(err.contains("\\x1b]0;pwned\\x07\\x1b[2J"), "{err}");
    assert_inert("config error", &both(&out), true);
}

/// Item 6: `baseline audit` shows a keystore as its size, never its bytes,
/// and escapes the control characters of a text file's lines and of the
/// file names and types the baseline holds.
#[test]
fn baseline_audit_shows_no_raw_bytes() {
    use leakhound::suppress::baseline::{Baseline, Entry};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    git_init(&root);
    let mut keystore: Vec<u8> = b"\x30\x82\x0a\x1b[2J\x1b]0;pwned\x07\0\xff".to_vec();
    keystore.extend((0..200u32).map(|i| (i * 37 % 256) as u8));
    std::fs::write(root.join("release.p12"), &keystore).unwrap();
    write(
        &root,
        "notes.txt",
        "line one\n\x1b[2J\x1b]0;owned\x07 password = \"hunter2hunter2\"\n\tlast\n",
    );
    write(&root, "e\x1b[5m.txt", "password = \"zz\"\n");
    let entry = |file: &str, kind: &str, line: u64| Entry {
        kind: kind.into(),
        filename: file.into(),
        hashed_secret: leakhound::finding::sha1_hex(file.as_bytes()),
        is_verified: false,
        line_number: Some(line),
        is_secret: None,
    };
    let mut b = Baseline::new();
    b.entries = vec![
        entry("release.p12", "Keystore", 1),
        entry("notes.txt", "Secret Keyword", 2),
        entry("e\x1b[5m.txt", "Type \x1b[31m", 1),
    ];
    let path = root.join(".secrets.baseline");
    b.save(&path).unwrap();

    let mut out = Vec::new();
    let mut input = std::io::Cursor::new("s\ns\ns\n");
    leakhound::baseline_cmd::interactive(&mut b, &path, &root, &mut input, &mut out).unwrap();
    let shown = String::from_utf8_lossy(&out).into_owned();
    assert_inert("audit", &out, false);
    assert!(
        shown.contains(&format!("(binary file, {} bytes)", keystore.len())),
        "{shown}"
    );
    assert!(
        shown.contains("\\x1b[2J\\x1b]0;owned\\x07 password"),
        "{shown}"
    );
    assert!(shown.contains("|     last"), "tabs become spaces: {shown}");
    assert!(shown.contains("e\\x1b[5m.txt:1  Type \\x1b[31m"), "{shown}");

    let (out, code, _) = run_within(&root, &["baseline", "audit", "--report"], BOUND);
    assert_eq!(code, 0, "{}", stderr(&out));
    assert_inert("audit --report", &both(&out), false);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("e\\x1b[5m.txt:1  Type \\x1b[31m"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Runs the binary under `umask MASK` (through `sh`), in `dir`.
fn under_umask(dir: &Path, mask: &str, args: &[&str]) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("leakhound");
    let out = std::process::Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg(format!("umask {mask} && exec \"$0\" \"$@\""))
        .arg(bin)
        .args(args)
        .env("LEAKHOUND_TEST", "1")
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

/// Item 14: new reports and baselines get 0666 less the umask (an
/// unredacted report under `umask 077` is private); a replaced file keeps
/// its mode, as a plain write would.
#[test]
fn reports_and_baselines_honour_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git_init(d);
    write(d, "a.env", format!("K={}\n", stripe_live(910)));
    let scan = [
        "scan",
        "a.env",
        "--no-redact",
        "-f",
        "json",
        "-o",
        "r.json",
        "--report",
        "sarif:r.sarif",
    ];
    under_umask(d, "077", &scan);
    assert_eq!(mode(&d.join("r.json")), 0o600);
    assert_eq!(mode(&d.join("r.sarif")), 0o600);
    under_umask(d, "077", &["baseline", "create"]);
    assert_eq!(mode(&d.join(".secrets.baseline")), 0o600);

    for f in ["r.json", "r.sarif", ".secrets.baseline"] {
        std::fs::remove_file(d.join(f)).unwrap();
    }
    under_umask(d, "027", &scan);
    assert_eq!(mode(&d.join("r.json")), 0o640);
    under_umask(d, "022", &["baseline", "create"]);
    assert_eq!(mode(&d.join(".secrets.baseline")), 0o644);

    // Replaced files keep their mode.
    std::fs::set_permissions(d.join("r.json"), std::fs::Permissions::from_mode(0o604)).unwrap();
    under_umask(d, "077", &scan);
    assert_eq!(mode(&d.join("r.json")), 0o604);
    assert_eq!(mode(&d.join("r.sarif")), 0o640);
}

/// Item 15: two reports aimed at one file, however the paths spell it, are
/// a one-line error (exit 2) before anything is scanned or written.
#[test]
fn two_reports_to_one_file_are_rejected_before_scanning() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::os::unix::fs::symlink(".", d.join("here")).unwrap();
    std::fs::write(d.join("old.out"), "previous\n").unwrap();
    std::fs::hard_link(d.join("old.out"), d.join("hard.out")).unwrap();
    for (out, report) in [
        ("dup.out", "sarif:./dup.out"),
        ("dup.out", "json:sub/../dup.out"),
        ("dup.out", "json:here/dup.out"),
        ("./sub/x.out", "csv:here/sub/../sub/x.out"),
        ("old.out", "junit:hard.out"),
    ] {
        // `missing` does not exist: a scan would fail on it first.
        let args = ["scan", "missing", "-o", out, "--report", report];
        let (o, code, _) = run_within(d, &args, BOUND);
        let err = stderr(&o);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("leakhound: error: two reports would be written to the same file: "),
            "{args:?}: {err}"
        );
        assert!(!d.join("dup.out").exists() && !d.join("sub/x.out").exists());
        assert_eq!(
            std::fs::read_to_string(d.join("old.out")).unwrap(),
            "previous\n"
        );
    }
    // Distinct files are fine, also a link that an atomic write replaces
    // rather than writes through.
    write(d, "a.env", "nothing here\n");
    std::os::unix::fs::symlink("one.out", d.join("link.out")).unwrap();
    std::fs::write(d.join("one.out"), "").unwrap();
    let (o, code, _) = run_within(
        d,
        &[
            "scan",
            "a.env",
            "-o",
            "one.out",
            "--report",
            "json:link.out",
            "--report",
            "csv:sub/two.out",
        ],
        BOUND,
    );
    assert_eq!(code, 0, "{}", stderr(&o));
}

/// Item 18: every usage error is one line on stderr with exit 2; `--help`
/// and `--version` print as usual with exit 0; `--exit-code` refuses codes
/// that read as success, as an error or as a signal.
#[test]
fn usage_errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (
            &["scan", "--foo"][..],
            "leakhound: error: unexpected argument '--foo' found (see leakhound scan --help)\n",
        ),
        (
            &[][..],
            "leakhound: error: a subcommand is required (see leakhound --help)\n",
        ),
        (
            &["baseline"][..],
            "leakhound: error: a subcommand is required (see leakhound baseline --help)\n",
        ),
        (
            &["scan", "--all-lines"][..],
            "leakhound: error: the following required arguments were not provided: --staged \
             (see leakhound scan --help)\n",
        ),
        (
            &["scan", "--format", "xml"][..],
            "leakhound: error: invalid value 'xml' for '--format <FORMAT>' [possible values: \
             human, json, sarif, junit, github, csv] (see leakhound scan --help)\n",
        ),
        (
            &["nosuch"][..],
            "leakhound: error: unrecognized subcommand 'nosuch' (see leakhound --help)\n",
        ),
    ] {
        let (out, code, _) = run_within(dir.path(), args, BOUND);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(stderr(&out), expected, "{args:?}");
        assert!(out.stdout.is_empty());
    }
    for n in ["0", "2", "130", "143", "126", "255"] {
        let args = ["scan", ".", "--exit-code", n];
        let (out, code, _) = run_within(dir.path(), &args, BOUND);
        let err = stderr(&out);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(&format!(
                "leakhound: error: invalid value '{n}' for '--exit-code <N>': "
            )) && err.contains("use 1 or 3-125"),
            "{err}"
        );
    }
    write(dir.path(), "a.env", format!("K={}\n", stripe_live(920)));
    let (_, code, _) = run_within(dir.path(), &["scan", ".", "--exit-code", "3"], BOUND);
    assert_eq!(code, 3);
    for args in [
        &["--help"][..],
        &["scan", "--help"][..],
        &["help", "scan"][..],
    ] {
        let (out, code, _) = run_within(dir.path(), args, BOUND);
        assert_eq!(code, 0, "{args:?}");
        assert!(stderr(&out).is_empty());
        assert!(String::from_utf8_lossy(&out.stdout).lines().count() > 5);
    }
    let (out, code, _) = run_within(dir.path(), &["--version"], BOUND);
    assert_eq!(code, 0);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("leakhound "));
}

/// The raw names of `json`'s findings: `path_bytes` when present, else `path`.
fn raw_paths(json: &Value) -> Vec<Vec<u8>> {
    use base64::Engine;
    let mut v: Vec<Vec<u8>> = findings(json)
        .iter()
        .map(|f| match f.get("path_bytes") {
            Some(b) => base64::engine::general_purpose::STANDARD
                .decode(b.as_str().unwrap())
                .unwrap(),
            None => f["path"].as_str().unwrap().as_bytes().to_vec(),
        })
        .collect();
    v.sort();
    v
}

const NAMES: [&[u8]; 3] = [b"k\xff.env", b"k\xfe.env", b"k\\xff.env"];

/// Item 19: names that are not UTF-8 keep their bytes: two such names that
/// a lossy conversion would merge stay two findings with two fingerprints;
/// the human report escapes the bytes (`k\xff.env`, a literal backslash as
/// `\\`), JSON keeps the escaped `path` and adds the exact `path_bytes`,
/// SARIF percent-encodes the bytes; baselines and allowlisted paths match
/// such files (keyed by the escaped form).
#[test]
fn file_names_that_are_not_utf8_keep_their_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git_init(d);
    let key = stripe_live(930);
    for n in NAMES {
        write_raw(d, n, format!("K={key}\n"));
    }
    let (out, code, json) = run_within(d, &["scan", ".", "-f", "json"], BOUND);
    assert_eq!(code, 1, "{}", stderr(&out));
    let mut expected: Vec<Vec<u8>> = NAMES.iter().map(|n| n.to_vec()).collect();
    expected.sort();
    assert_eq!(raw_paths(&json), expected, "{json}");
    let mut paths: Vec<&str> = findings(&json)
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, ["k\\xfe.env", "k\\xff.env", "k\\xff.env"]);
    assert_eq!(
        findings(&json)
            .iter()
            .filter(|f| f.get("path_bytes").is_some())
            .count(),
        2,
        "path_bytes only where needed"
    );
    let prints: std::collections::HashSet<&str> = findings(&json)
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), 3);
    assert!(findings(&json).iter().all(|f| f["rule_id"] == STRIPE));

    let (out, _, _) = run_within(d, &["scan", ".", "--color", "never"], BOUND);
    let human = String::from_utf8(out.stdout).unwrap();
    // Each place starts a line: a finding's own, or one of the places of a
    // secret found in several (indented under it).
    for shown in ["k\\xff.env:1:3", "k\\xfe.env:1:3", "k\\\\xff.env:1:3"] {
        assert!(
            human.lines().any(|l| l.trim_start().starts_with(shown)),
            "{shown} in\n{human}"
        );
    }
    let (out, _, sarif) = run_within(d, &["scan", ".", "-f", "sarif"], BOUND);
    assert!(out.status.code() == Some(1));
    let mut uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    uris.sort();
    assert_eq!(uris, ["k%5Cxff.env", "k%FE.env", "k%FF.env"]);

    // A baseline of the tree suppresses all three, and stays up to date.
    // (The literal name `k\xff.env` and the name with byte 0xff share the
    // key `k\xff.env`; with the same secret, they share one entry.)
    let (out, code, _) = run_within(d, &["baseline", "create"], BOUND);
    assert_eq!(code, 0, "{}", stderr(&out));
    let baseline = std::fs::read_to_string(d.join(".secrets.baseline")).unwrap();
    assert!(
        baseline.contains("\"k\\\\xff.env\"") && baseline.contains("\"k\\\\xfe.env\""),
        "{baseline}"
    );
    let (out, code, json) = run_within(d, &["scan", ".", "-f", "json", "--report-unused"], BOUND);
    assert_eq!(code, 0, "{}", stderr(&out));
    assert_eq!(json["summary"]["notes"], serde_json::json!([]), "{json}");
    let (out, code, _) = run_within(d, &["baseline", "update"], BOUND);
    assert_eq!(code, 0);
    assert!(
        stderr(&out).contains("is up to date (2 entries)"),
        "{}",
        stderr(&out)
    );

    // An allowlisted path matches the escaped form.
    std::fs::remove_file(d.join(".secrets.baseline")).unwrap();
    write(d, ".leakhound.toml", "[allow]\npaths = [\"k*xfe.env\"]\n");
    let (_, code, json) = run_within(d, &["scan", ".", "-f", "json"], BOUND);
    assert_eq!(code, 1);
    let mut expected: Vec<Vec<u8>> = vec![NAMES[0].to_vec(), NAMES[2].to_vec()];
    expected.sort();
    assert_eq!(raw_paths(&json), expected, "{json}");
}

/// Item 19, git sources: the staged index and history keep such names too
/// (before, history merged the two lossy names into one finding).
#[test]
fn staged_and_history_paths_keep_their_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git_init(d);
    write(d, "README", "x\n");
    run_git(d, &["add", "-A"]);
    run_git(d, &["commit", "-q", "-m", "init"]);
    std::fs::create_dir(d.join(OsStr::from_bytes(b"d\xfe"))).unwrap();
    let mut names: Vec<Vec<u8>> = NAMES.iter().map(|n| n.to_vec()).collect();
    names.push(b"d\xfe/inner.env".to_vec());
    // One key each: history scans each unique blob once, at its first path.
    for (i, n) in names.iter().enumerate() {
        write_raw(d, n, format!("K={}\n", stripe_live(940 + i as u64)));
    }
    names.sort();
    run_git(d, &["add", "-A"]);
    let (out, code, json) = run_within(d, &["scan", "--staged", "-f", "json"], BOUND);
    assert_eq!(code, 1, "{}", stderr(&out));
    assert_eq!(raw_paths(&json), names, "staged: {json}");
    run_git(d, &["commit", "-q", "-m", "keys"]);
    let (out, code, json) = run_within(d, &["scan", "--git", "-f", "json"], BOUND);
    assert_eq!(code, 1, "{}", stderr(&out));
    assert_eq!(raw_paths(&json), names, "history: {json}");
    let (_, _, sarif) = run_within(d, &["scan", "--git", "-f", "sarif"], BOUND);
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
    assert!(uris.contains(&"d%FE/inner.env"), "{uris:?}");
    // A baseline made from the tree suppresses the history findings.
    let (_, code, _) = run_within(d, &["baseline", "create"], BOUND);
    assert_eq!(code, 0);
    let (out, code, json) = run_within(d, &["scan", "--git", "-f", "json"], BOUND);
    assert_eq!(code, 0, "{} {json}", stderr(&out));
}
