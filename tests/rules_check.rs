//! Binary-level tests of `leakhound rules check [FILE...]`: the built-in
//! rules pass it (CI runs this), and rule files with a failing example, a
//! keyword no example holds, two rules claiming one example, a bad shape or
//! invalid TOML are caught with the right exit code and the rule's id.

mod common;

use std::path::Path;

use common::*;

/// A fake `acme_` token (base62, 24 characters), built at test time.
fn acme(seed: u64) -> String {
    format!("acme_{}", Rng::new(seed).string(BASE62, 24))
}

/// A rule file with one rule; `examples` and `negatives` as TOML literal
/// strings, `extra` appended to the rule's table.
fn rule(id: &str, keywords: &[&str], regex: &str, examples: &[String], extra: &str) -> String {
    let list = |xs: &[String]| xs.iter().map(|x| format!("  '{x}',\n")).collect::<String>();
    let keywords: Vec<String> = keywords.iter().map(|k| format!("{k:?}")).collect();
    let negatives = [
        "ACME_TOKEN=acme_...".to_string(),
        "no token on this line".to_string(),
    ];
    format!(
        "[[rule]]\nid = \"{id}\"\nname = \"Acme token\"\nprovider = \"Acme\"\nseverity = \"high\"\n\
         keywords = [{}]\nregex = '''{regex}'''\n{extra}\nexamples = [\n{}]\nnegative_examples = [\n{}]\n\n",
        keywords.join(", "),
        list(examples),
        list(&negatives),
    )
}

const ACME_REGEX: &str = r"\b(?P<secret>acme_[A-Za-z0-9]{24})\b";

/// A rule that passes every check.
fn good_rule(id: &str) -> String {
    rule(
        id,
        &["acme_"],
        ACME_REGEX,
        &[
            format!("ACME={}", acme(1)),
            format!("client = Acme(\"{}\")", acme(2)),
        ],
        "",
    )
}

/// Runs `leakhound rules check ARGS` in `dir`: (exit code, stdout, stderr).
fn check(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = leakhound_in(dir)
        .args(["rules", "check"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The number of built-in rules, from `leakhound rules --format json`.
fn builtin_count() -> usize {
    let out = leakhound()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array().unwrap().len()
}

#[test]
fn builtin_rules_pass_rules_check() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = check(dir.path(), &[]);
    let n = builtin_count();
    assert_eq!(code, 0, "{out}{err}");
    assert!(n > 400, "{n} built-in rules");
    assert_eq!(out, format!("{n} rules checked, 0 problems\n"));
    // And with this repository's own `.leakhound.toml`.
    let (code, out, err) = check(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_custom_file_that_passes_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "acme.toml", good_rule("acme-token"));
    let (code, out, err) = check(dir.path(), &["acme.toml"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        format!("{} rules checked, 0 problems\n", builtin_count() + 1)
    );
}

#[test]
fn an_example_its_rule_does_not_find_exits_1_with_the_rule_id() {
    let dir = tempfile::tempdir().unwrap();
    // The second example is 20 characters: the regex wants 24.
    let short = format!("acme_{}", Rng::new(3).string(BASE62, 20));
    let text = rule(
        "acme-token",
        &["acme_"],
        ACME_REGEX,
        &[format!("ACME_TOKEN={}", acme(1)), format!("see {short}")],
        "",
    );
    write(dir.path(), "rules/acme.toml", text);
    let (code, out, err) = check(dir.path(), &["rules/acme.toml"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("acme-token (rules/acme.toml)\n"), "{out}");
    assert!(out.contains("  example: example not found\n"), "{out}");
    assert!(
        out.contains(&format!("    example: see {short}\n")),
        "{out}"
    );
    assert!(out.ends_with("rules checked, 1 problem\n"), "{out}");
}

#[test]
fn a_negative_example_its_rule_finds_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let text = good_rule("acme-token").replace("no token on this line", &acme(9));
    write(dir.path(), "acme.toml", text);
    let (code, out, _) = check(dir.path(), &["acme.toml"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("acme-token (acme.toml)\n  negative-example: negative example found\n"),
        "{out}"
    );
}

#[test]
fn a_keyword_missing_from_the_examples_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    // `acmetoken` is in no example.
    let text = rule(
        "acme-token",
        &["acme_", "acmetoken"],
        ACME_REGEX,
        &[
            format!("ACME_TOKEN={}", acme(1)),
            format!("x = \"{}\"", acme(2)),
        ],
        "",
    );
    write(dir.path(), "acme.toml", text);
    let (code, out, _) = check(dir.path(), &["acme.toml"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("  keyword: keyword \"acmetoken\" occurs in no example\n"),
        "{out}"
    );
    // An example that holds none of the keywords.
    let text = rule(
        "acme-token",
        &["acme_token"],
        r"\b(?P<secret>acme_[A-Za-z0-9]{24})\b",
        &[
            format!("ACME_TOKEN={}", acme(1)),
            format!("acme_token: {}", acme(2)),
            format!("key = {}", acme(3)),
        ],
        "",
    );
    write(dir.path(), "acme.toml", text);
    let (code, out, _) = check(dir.path(), &["acme.toml"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("  keyword: example holds none of the rule's keywords\n"),
        "{out}"
    );
}

#[test]
fn two_custom_rules_claiming_one_example_exit_1_unless_one_is_generic_or_supersedes() {
    let dir = tempfile::tempdir().unwrap();
    // `acme-hex` (hex tokens) and `acme-token` (any base62): acme-token
    // also reports acme-hex's examples.
    let hex = |seed: u64| format!("acme_{}", Rng::new(seed).string(b"0123456789abcdef", 24));
    let hex_rule = |extra: &str| {
        rule(
            "acme-hex",
            &["acme_"],
            r"\b(?P<secret>acme_[0-9a-f]{24})\b",
            &[format!("ACME_HEX={}", hex(4)), format!("hex: {}", hex(5))],
            extra,
        )
    };
    write(dir.path(), "a.toml", good_rule("acme-token"));
    write(dir.path(), "b.toml", hex_rule(""));
    let (code, out, _) = check(dir.path(), &["a.toml", "b.toml"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("acme-hex (b.toml)\n  overlap: example also reported by acme-token"),
        "{out}"
    );
    assert!(out.ends_with("rules checked, 2 problems\n"), "{out}");

    // The broad rule tagged `generic`: it yields, no overlap.
    let generic = good_rule("acme-token").replace(
        "severity = \"high\"",
        "severity = \"high\"\ntags = [\"generic\"]",
    );
    write(dir.path(), "a.toml", &generic);
    let (code, out, _) = check(dir.path(), &["a.toml", "b.toml"]);
    assert_eq!(code, 0, "{out}");

    // The specific rule supersedes the broad one: no overlap in the check,
    // and one finding in a real scan.
    write(dir.path(), "a.toml", good_rule("acme-token"));
    write(
        dir.path(),
        "b.toml",
        hex_rule("supersedes = [\"acme-token\"]"),
    );
    let (code, out, _) = check(dir.path(), &["a.toml", "b.toml"]);
    assert_eq!(code, 0, "{out}");

    let config = format!(
        "{}{}",
        good_rule("acme-token"),
        hex_rule("supersedes = [\"acme-token\"]")
    );
    // (The config beside the scanned file: outside a repository, its
    // directory is the root.)
    write(dir.path(), "scan/.leakhound.toml", &config);
    let token = hex(6);
    write(
        dir.path(),
        "scan/app.txt",
        format!("ACME={token}\nOTHER={}\n", acme(7)),
    );
    let (code, json) = scan_json(&["scan/app.txt"], dir.path());
    assert_eq!(code, 1, "{json:#}");
    let mut found: Vec<(String, u64)> = findings(&json)
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [("acme-hex".to_string(), 1), ("acme-token".to_string(), 2)],
        "{json:#}"
    );
    // Without `supersedes`, the hex token is reported twice.
    write(
        dir.path(),
        "scan/.leakhound.toml",
        format!("{}{}", good_rule("acme-token"), hex_rule("")),
    );
    let (_, json) = scan_json(&["scan/app.txt"], dir.path());
    assert_eq!(findings(&json).len(), 3, "{json:#}");
}

#[test]
fn the_config_rules_are_checked_and_config_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let bad = good_rule("acme-token").replace(&acme(2), "acme_short");
    write(dir.path(), ".leakhound.toml", &bad);
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("acme-token ("), "{out}");
    assert!(out.contains("example not found"), "{out}");
    // `--config` names another file: the project's is not read.
    write(dir.path(), "ok.toml", good_rule("acme-token"));
    let (code, out, _) = check(dir.path(), &["--config", "ok.toml"]);
    assert_eq!(code, 0, "{out}");
    // From a subdirectory of a repository, the root's config is found.
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    let (code, out, _) = check(&dir.path().join("sub"), &[]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn shape_problems_are_reported_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    let one_example = rule(
        "acme-one",
        &["acme_"],
        ACME_REGEX,
        &[format!("ACME_TOKEN={}", acme(1))],
        "",
    );
    let no_group = rule(
        "acme-nogroup",
        &["acme_"],
        r"\bacme_[A-Za-z0-9]{24}\b",
        &[
            format!("ACME_TOKEN={}", acme(1)),
            format!("x = {}", acme(2)),
        ],
        "",
    );
    let bad_regex = rule("acme-badre", &["acme_"], r"(?P<secret>acme_[", &[], "");
    let no_keyword = rule("acme-nokw", &[], ACME_REGEX, &[], "");
    let unknown = good_rule("acme-sup").replace(
        "severity = \"high\"",
        "severity = \"high\"\nsupersedes = [\"no-such-rule\"]",
    );
    write(
        dir.path(),
        "shapes.toml",
        format!("{one_example}{no_group}{bad_regex}{no_keyword}{unknown}"),
    );
    let (code, out, _) = check(dir.path(), &["--format", "json", "shapes.toml"]);
    assert_eq!(code, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let problems: Vec<(String, String, String)> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["rule"].as_str().unwrap().to_string(),
                p["check"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let has = |id: &str, msg: &str| {
        problems
            .iter()
            .any(|(r, c, m)| r == id && c == "shape" && m.contains(msg))
    };
    assert!(
        has("acme-one", "needs at least 2 examples (has 1)"),
        "{problems:?}"
    );
    assert!(has("acme-nogroup", "no `secret` group"), "{problems:?}");
    assert!(has("acme-badre", "bad regex"), "{problems:?}");
    assert!(has("acme-nokw", "keyword"), "{problems:?}");
    assert!(has("acme-sup", "supersedes unknown rule"), "{problems:?}");
    assert_eq!(json["rules_checked"], builtin_count() + 4);
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.toml", "[[rule]\nid = 'x'\n");
    let (code, out, err) = check(dir.path(), &["bad.toml"]);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("leakhound: error: bad.toml: line 1"),
        "{err}"
    );
    assert!(out.is_empty(), "{out}");
    // Not a rule file: an unknown key.
    write(dir.path(), "other.toml", "[[rule]]\nid = 'x'\nbogus = 1\n");
    let (code, _, err) = check(dir.path(), &["other.toml"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // No rule at all.
    write(dir.path(), "empty.toml", "# nothing\n");
    let (code, _, err) = check(dir.path(), &["empty.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no [[rule]] table"), "{err}");
    // A file that does not exist.
    let (code, _, err) = check(dir.path(), &["missing.toml"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        "leakhound: error: cannot read missing.toml: no such file\n"
    );
}
