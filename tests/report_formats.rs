//! The CI report formats and gates, tested on the binary as CI runs it:
//! every format on standard output and through `--report`, secrets never
//! shown without `--no-redact`, JUnit that parses, GitHub annotations that
//! escape, CSV that round-trips, `--fail-on` and `--exit-code`.

mod common;

use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use serde_json::Value;

use common::*;

const FORMATS: [&str; 6] = ["human", "json", "sarif", "junit", "github", "csv"];

/// A temp dir with `proj/config/.env` holding a Stripe live key and an AWS
/// key id, and an empty `out/` for reports. Returns (dir, secrets).
fn project() -> (tempfile::TempDir, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let stripe = stripe_live(101);
    let aws = aws_key_id(102);
    let config = tmp.path().join("proj/config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::create_dir_all(tmp.path().join("out")).unwrap();
    std::fs::write(
        config.join(".env"),
        format!("STRIPE_SECRET_KEY={stripe}\nAWS_ACCESS_KEY_ID={aws}\n"),
    )
    .unwrap();
    (tmp, vec![stripe, aws])
}

/// `--report FORMAT:out/report.FORMAT` for every format.
fn all_reports(dir: &Path) -> (Vec<String>, Vec<PathBuf>) {
    let mut args = Vec::new();
    let mut paths = Vec::new();
    for f in FORMATS {
        let path = dir.join("out").join(format!("report.{f}"));
        args.push("--report".to_string());
        args.push(format!("{f}:{}", path.display()));
        paths.push(path);
    }
    (args, paths)
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// Acceptance 4: no format, on standard output or in a `--report` file,
/// contains a raw secret; with `--no-redact` every one does.
#[test]
fn no_format_shows_the_raw_secret_unless_no_redact() {
    let (tmp, secrets) = project();
    let (report_args, report_paths) = all_reports(tmp.path());
    for reveal in [false, true] {
        for format in FORMATS {
            let mut cmd = leakhound_in(tmp.path());
            cmd.args(["scan", "proj", "--format", format])
                .args(&report_args);
            if reveal {
                cmd.arg("--no-redact");
            }
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{format}: {out:?}");
            let mut outputs = vec![(format!("stdout of {format}"), stdout_of(&out))];
            for p in &report_paths {
                let text = std::fs::read_to_string(p).unwrap();
                outputs.push((p.display().to_string(), text));
            }
            for (name, text) in outputs {
                assert!(text.contains(".env"), "{name} names the file:\n{text}");
                for s in &secrets {
                    assert_eq!(
                        text.contains(s.as_str()),
                        reveal,
                        "{name} (--no-redact: {reveal}) and the raw secret:\n{text}"
                    );
                }
            }
            assert!(
                !String::from_utf8_lossy(&out.stderr).contains(&secrets[0]),
                "stderr"
            );
        }
    }
}

/// `--format human --report sarif:leakhound.sarif --report json:out.json`:
/// one scan, three outputs, no temp files left behind.
#[test]
fn several_outputs_in_one_run() {
    let (tmp, _) = project();
    let proj = tmp.path().join("proj");
    let out = leakhound_in(&proj)
        .args([
            "scan",
            "--format",
            "human",
            "--report",
            "sarif:leakhound.sarif",
            "--report",
            "json:out.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let human = stdout_of(&out);
    assert!(human.contains("config/.env:1:19"), "{human}");
    assert!(human.contains("What to do:"), "{human}");
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(proj.join("leakhound.sarif")).unwrap()).unwrap();
    assert_valid_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let json: Value =
        serde_json::from_slice(&std::fs::read(proj.join("out.json")).unwrap()).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert!(findings.len() >= 2, "{json:#}");
    assert_eq!(results.len(), findings.len());
    for (r, f) in results.iter().zip(findings) {
        assert_eq!(r["ruleId"], f["rule_id"]);
        assert_eq!(r["partialFingerprints"]["leakhound/v1"], f["fingerprint"]);
    }
    let leftovers: Vec<_> = std::fs::read_dir(&proj)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".leakhound-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A second run replaces a report whole.
    std::fs::write(
        proj.join("out.json"),
        "stale and longer than nothing".repeat(1000),
    )
    .unwrap();
    let status = leakhound_in(&proj)
        .args(["scan", "config", "--report", "json:out.json"])
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(1));
    let again: Value =
        serde_json::from_slice(&std::fs::read(proj.join("out.json")).unwrap()).unwrap();
    assert_eq!(again["findings"].as_array().unwrap().len(), findings.len());
}

/// Writes every report of a scan of `proj` into `proj/reports/`, then scans
/// `proj/reports/` with FORMAT's report as the only file: CI often writes
/// reports into the workspace that the next scan reads.
fn rescan_own_report(format: &str) -> std::process::Output {
    let (tmp, _) = project();
    let proj = tmp.path().join("proj");
    let reports = tmp.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    let out = leakhound_in(&proj)
        .args(["scan", "--report"])
        .arg(format!("{format}:{}", reports.join("report").display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    leakhound_in(tmp.path())
        .args(["scan", "reports"])
        .output()
        .unwrap()
}

/// No report leakhound writes is itself a finding when scanned later.
#[test]
fn own_reports_are_not_findings() {
    for format in ["human", "sarif", "junit", "github", "csv"] {
        let out = rescan_own_report(format);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stdout_of(&out));
    }
}

/// Regression: the generic rule once flagged the JSON report's
/// `"secret_sha1": "<40 hex>"` as a hard-coded secret.
#[test]
fn own_json_report_is_not_a_finding() {
    let out = rescan_own_report("json");
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
}

/// The elements and failure counts of a JUnit document, parsed with a real
/// XML parser (which rejects malformed XML).
struct Junit {
    suites: usize,
    cases: Vec<String>,
    failures: Vec<String>,
    declared_failures: usize,
}

fn parse_junit(xml: &str) -> Junit {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut j = Junit {
        suites: 0,
        cases: Vec::new(),
        failures: Vec::new(),
        declared_failures: 0,
    };
    let attr = |e: &quick_xml::events::BytesStart, name: &[u8]| -> String {
        e.attributes()
            .map(|a| a.expect("well-formed attribute"))
            .find(|a| a.key.as_ref() == name)
            .map(|a| a.unescape_value().expect("valid escapes").into_owned())
            .unwrap_or_default()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => {
                    j.suites += 1;
                    j.declared_failures = attr(&e, b"failures").parse().unwrap();
                }
                b"testcase" => j.cases.push(attr(&e, b"name")),
                b"failure" => j.failures.push(attr(&e, b"message")),
                _ => {}
            },
            Event::Text(t) => {
                t.decode().expect("text decodes");
            }
            _ => {}
        }
    }
    j
}

/// Acceptance 2 (JUnit): well-formed XML with one failing testcase per
/// finding, even for file names full of markup; a passing case when clean.
#[test]
fn junit_is_well_formed_with_one_case_per_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let key = stripe_live(201);
    let weird = "we<i>rd & \"odd\" 'name'.env";
    std::fs::write(tmp.path().join(weird), format!("STRIPE_SECRET_KEY={key}\n")).unwrap();
    std::fs::write(tmp.path().join("b.env"), format!("k={}\n", aws_key_id(202))).unwrap();
    let out = leakhound_in(tmp.path())
        .args(["scan", "--format", "junit", "--no-redact"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout_of(&out);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let j = parse_junit(&xml);
    assert_eq!(j.suites, 1, "one testsuite");
    assert_eq!(j.cases.len(), 2, "{xml}");
    assert_eq!(j.failures.len(), 2, "{xml}");
    assert_eq!(j.declared_failures, 2);
    assert!(
        j.cases.iter().any(|c| c.ends_with(&format!("{weird}:1"))),
        "{:?}",
        j.cases
    );
    assert!(
        j.cases.iter().any(|c| c.ends_with("b.env:1")),
        "{:?}",
        j.cases
    );
    assert!(
        j.failures.iter().any(|m| m.contains(&key)),
        "--no-redact shows it"
    );

    let clean = tempfile::tempdir().unwrap();
    std::fs::write(clean.path().join("readme.txt"), "nothing here\n").unwrap();
    let out = leakhound_in(clean.path())
        .args(["scan", "--format", "junit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let j = parse_junit(&stdout_of(&out));
    assert_eq!((j.suites, j.cases.len(), j.failures.len()), (1, 1, 0));
}

/// Acceptance 2 (GitHub): one workflow command per finding, at the
/// finding's line and columns; `%`, CR, LF, `:` and `,` escaped in
/// properties, `%`, CR and LF in the message.
#[test]
fn github_annotations_escape_per_workflow_command_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let key = stripe_live(301);
    let names = ["a,b:c%d.env", "line\nbreak\r.env"];
    for name in names {
        std::fs::write(tmp.path().join(name), format!("STRIPE_SECRET_KEY={key}\n")).unwrap();
    }
    let out = leakhound_in(tmp.path())
        .args(["scan", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout_of(&out);
    let commands: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(commands.len(), 2, "{text}");
    let end = 19 + key.len();
    for (name, escaped) in [
        ("a,b:c%d.env", "a%2Cb%3Ac%25d.env"),
        ("line\nbreak\r.env", "line%0Abreak%0D.env"),
    ] {
        let prefix = format!("::error file={escaped},line=1,col=19,endColumn={end},title=");
        let line = commands
            .iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no annotation for {name:?} in\n{text}"));
        let (props, message) = line[2..].split_once("::").expect("properties::message");
        // Nothing unescaped can end a property value early.
        let title = props.split_once("title=").unwrap().1;
        assert!(!title.contains(':') && !title.contains(','), "{title}");
        assert!(message.contains("Stripe"), "{message}");
        assert!(!message.contains(&key));
    }
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("leakhound: 2 findings"),
        "{text}"
    );
}

/// `--format csv`: the documented header, then one row per finding, quoted
/// so that a comma in a path survives.
#[test]
fn csv_has_a_header_and_one_row_per_finding() {
    let (tmp, secrets) = project();
    std::fs::write(
        tmp.path().join("proj/x,\"y\".env"),
        format!("k={}\n", aws_key_id(401)),
    )
    .unwrap();
    let out = leakhound_in(&tmp.path().join("proj"))
        .args(["scan", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, leakhound::report::csv::HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Two keys in config/.env and one in x,"y".env; the files themselves are
    // not reported again (`dotenv-file` speaks only for files no other rule
    // flagged).
    assert_eq!(rows.len(), 3, "{}", stdout_of(&out));
    assert!(rows.iter().all(|r| r.len() == header.len()));
    assert!(!rows.iter().any(|r| &r[0] == "dotenv-file"));
    let paths: Vec<&str> = rows.iter().map(|r| &r[3]).collect();
    assert!(paths.contains(&"x,\"y\".env"), "{paths:?}");
    assert!(paths.contains(&"config/.env"), "{paths:?}");
    let text = stdout_of(&out);
    assert!(secrets.iter().all(|s| !text.contains(s.as_str())));
}

/// The severity the scan gives a file holding only an AWS key id.
fn severity_of_single_finding(dir: &Path) -> String {
    let out = leakhound_in(dir)
        .args(["scan", "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{json:#}");
    findings[0]["severity"].as_str().unwrap().to_string()
}

/// `--fail-on`: findings below the threshold are reported but pass; at or
/// above it they fail. Written against whatever severity the built-in rules
/// give the fixture, so rule tuning does not break it.
#[test]
fn fail_on_lets_lower_findings_through_but_reports_them() {
    let tmp = tempfile::tempdir().unwrap();
    let key = aws_key_id(501);
    std::fs::write(
        tmp.path().join("app.env"),
        format!("AWS_ACCESS_KEY_ID={key}\n"),
    )
    .unwrap();
    let severity = severity_of_single_finding(tmp.path());
    let order = ["info", "low", "medium", "high", "critical"];
    let rank = order.iter().position(|s| *s == severity).unwrap();
    assert!(rank < 4, "the fixture needs a finding below critical");
    let above = order[rank + 1];

    let out = leakhound_in(tmp.path())
        .args(["scan", "--fail-on", above])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "below --fail-on {above}: {out:?}"
    );
    let human = stdout_of(&out);
    assert!(human.contains("app.env:1:19"), "still reported:\n{human}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not failing"));
    // Reports written alongside still hold it.
    let out = leakhound_in(tmp.path())
        .args(["scan", "--fail-on", above, "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);

    for at_or_below in [severity.as_str(), "info", &severity.to_uppercase()] {
        let out = leakhound_in(tmp.path())
            .args(["scan", "--fail-on", at_or_below])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "--fail-on {at_or_below}");
    }
    let out = leakhound_in(tmp.path())
        .args(["scan", "--fail-on", "severe"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "unknown severity is a usage error"
    );
}

/// `--exit-code N` is the code for failing findings only: clean scans exit
/// 0, findings under `--fail-on` exit 0, errors exit 2.
#[test]
fn exit_code_sets_the_code_for_findings() {
    let (tmp, _) = project();
    let proj = tmp.path().join("proj");
    let code = |args: &[&str]| {
        leakhound_in(&proj)
            .arg("scan")
            .args(args)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code(&["--exit-code", "3"]), Some(3));
    assert_eq!(code(&["--exit-code", "3", "--format", "sarif"]), Some(3));
    assert_eq!(code(&[]), Some(1), "default");
    assert_eq!(code(&["--exit-code", "3", "missing-dir"]), Some(2));
    assert_eq!(code(&["--exit-code", "256"]), Some(2), "out of range");
    let clean = tempfile::tempdir().unwrap();
    std::fs::write(clean.path().join("ok.txt"), "fine\n").unwrap();
    let out = leakhound_in(clean.path())
        .args(["scan", "--exit-code", "3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

/// Bad `--report` values and clashing outputs are usage errors (exit 2,
/// one line on stderr), and nothing is written.
#[test]
fn report_usage_errors() {
    let (tmp, _) = project();
    let proj = tmp.path().join("proj");
    for args in [
        &["--report", "xml:out.xml"][..],
        &["--report", "sarif"],
        &["--report", "json:"],
        &["--report", "json:same.json", "--report", "sarif:same.json"],
        &["-o", "same.json", "--report", "sarif:same.json"],
        &["--report", "sarif:no/such/dir/x.sarif"],
    ] {
        let out = leakhound_in(&proj).arg("scan").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("error"), "{args:?}: {stderr}");
        assert!(!proj.join("same.json").exists(), "{args:?}");
    }
}

/// Standard input has no file; its SARIF is still valid.
#[test]
fn sarif_of_standard_input_is_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let out = leakhound_in(tmp.path())
        .args(["scan", "-", "--format", "sarif"])
        .write_stdin(format!("STRIPE_SECRET_KEY={}\n", stripe_live(601)))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&sarif);
}

/// `rules` lists rules as a table or JSON; the CI formats are for scans.
#[test]
fn rules_refuses_scan_only_formats() {
    let tmp = tempfile::tempdir().unwrap();
    for format in ["sarif", "junit", "github", "csv"] {
        let out = leakhound_in(tmp.path())
            .args(["rules", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
    }
}

/// Issue 19, item 7: the same secret in many files is one item to act on.
/// Like moby's API docs (one example password and one join token in every
/// version of the reference), 37 files hold one password and 33 one token,
/// beside a key found once. The human report shows each value once, with its
/// count and the first few places; JSON keeps every place and numbers the
/// secrets (`secret_group`, `secret_group_size`, `summary.secrets`); SARIF
/// and JUnit stay one result and one testcase per place. (Before: 71 lines.)
#[test]
fn the_same_secret_in_many_files_is_one_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let mut r = Rng::new(1971);
    let password = format!("{}!{}", r.string(BASE62, 12), r.string(b"0123456789", 3));
    let token = format!("{}{}", r.string(BASE62, 30), r.string(b"0123456789", 4));
    for v in 18..55 {
        let mut doc = format!("# Engine API v1.{v}\n\n");
        doc.push_str(&format!("    \"password\": \"{password}\",\n"));
        if v >= 22 {
            doc.push_str(&format!("\n    \"join_token\": \"{token}\",\n"));
        }
        write(tmp.path(), &format!("api/docs/v1.{v}.md"), doc);
    }
    let key = stripe_live(1972);
    write(
        tmp.path(),
        "billing/.env",
        format!("STRIPE_SECRET_KEY={key}\n"),
    );

    let human = leakhound_in(tmp.path()).args(["scan"]).output().unwrap();
    assert_eq!(human.status.code(), Some(1));
    let text = stdout_of(&human);
    let entries: Vec<&str> = text.lines().filter(|l| !l.starts_with(' ')).collect();
    let findings_lines: Vec<&&str> = entries
        .iter()
        .filter(|l| l.contains(" [") && l.contains(':'))
        .filter(|l| !l.starts_with("What to do") && !l.starts_with("Scanned"))
        .collect();
    assert_eq!(findings_lines.len(), 3, "{text}");
    assert!(
        text.contains("the same secret in 37 places; also at:"),
        "{text}"
    );
    assert!(
        text.contains("the same secret in 33 places; also at:"),
        "{text}"
    );
    assert!(text.contains("      api/docs/v1.19.md:3:18\n"), "{text}");
    assert!(
        text.contains("and 32 more (--format json lists every place)"),
        "{text}"
    );
    assert!(
        text.contains("and 28 more (--format json lists every place)"),
        "{text}"
    );
    assert!(text.contains(": 71 findings of 3 secrets ("), "{text}");
    assert!(!text.contains(&password) && !text.contains(&token));

    let (code, json) = scan_json(&["."], tmp.path());
    assert_eq!(code, 1);
    let found = findings(&json);
    assert_eq!(found.len(), 71);
    assert_eq!(json["summary"]["secrets"], 3);
    let mut groups: std::collections::BTreeMap<u64, (u64, usize, Vec<String>)> = Default::default();
    for f in found {
        let g = groups
            .entry(f["secret_group"].as_u64().unwrap())
            .or_insert((f["secret_group_size"].as_u64().unwrap(), 0, Vec::new()));
        g.1 += 1;
        g.2.push(f["secret_sha1"].as_str().unwrap().to_string());
    }
    let sizes: Vec<(u64, u64, usize)> = groups.iter().map(|(g, v)| (*g, v.0, v.1)).collect();
    assert_eq!(
        sizes,
        vec![(1, 37, 37), (2, 33, 33), (3, 1, 1)],
        "{sizes:?}"
    );
    for (_, _, hashes) in groups.values() {
        assert!(hashes.iter().all(|h| h == &hashes[0]));
    }

    let sarif = leakhound_in(tmp.path())
        .args(["scan", "--format", "sarif"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 71);
    let junit = leakhound_in(tmp.path())
        .args(["scan", "--format", "junit"])
        .output()
        .unwrap();
    let j = parse_junit(&stdout_of(&junit));
    assert_eq!((j.cases.len(), j.failures.len()), (71, 71));
}
