//! `leakhound baseline {create,update,audit}` and `leakhound config check`.
//!
//! A baseline entry's identity is (filename, hashed secret, type), and a
//! finding matches an entry by (repository-relative filename, hashed
//! secret): line numbers are data. So `update` rewrites the file only when
//! the set of entries changes (or with `--refresh-lines`), and moving code
//! produces no churn.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::cli::{
    BaselineAuditArgs, BaselineCommand, BaselineCreateArgs, BaselineScanArgs, BaselineUpdateArgs,
    ConfigCheckArgs, ConfigCommand,
};
use crate::engine::Engine;
use crate::finding::{Finding, redact};
use crate::report::escape::{controls, stderr_line};
use crate::scan::file_findings;
use crate::source;
use crate::suppress::baseline::{self, BASELINE_FILE, Baseline, Entry};
use crate::suppress::{self, PathMapper, Sources, repo_root};

/// Runs a `baseline` subcommand.
pub fn run(cmd: BaselineCommand) -> Result<ExitCode> {
    match cmd {
        BaselineCommand::Create(a) => create(a),
        BaselineCommand::Update(a) => update(a),
        BaselineCommand::Audit(a) => audit(a),
    }
}

/// A finding with its repository-relative path.
struct Located {
    finding: Finding,
    filename: String,
}

fn now_utc() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn entries_for(found: &[Located], rules: &Engine) -> Vec<Entry> {
    found
        .iter()
        .map(|l| {
            baseline::entry_for(
                &l.finding,
                &l.filename,
                rules.rule_set().get(&l.finding.rule_id),
            )
        })
        .collect()
}

fn create(args: BaselineCreateArgs) -> Result<ExitCode> {
    let root = repo_root(&args.scan.path);
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| root.join(BASELINE_FILE));
    writable(&out)?;
    let (found, engine) = scan_with_engine(&args.scan, &out)?;
    if out.exists() {
        stderr_line(&format!(
            "note: replacing {} (audit marks are kept only by `baseline update`)",
            out.display()
        ));
    }
    let mut b = Baseline::new();
    b.entries = entries_for(&found, &engine);
    b.normalize();
    b.ensure_plugins();
    b.generated_at = Some(now_utc());
    b.save(&out)
        .with_context(|| format!("cannot write {}", out.display()))?;
    stderr_line(&format!(
        "wrote {} with {} entr{}",
        out.display(),
        b.entries.len(),
        if b.entries.len() == 1 { "y" } else { "ies" }
    ));
    Ok(ExitCode::SUCCESS)
}

/// Fails, before anything is scanned, if `path` is not a place a baseline
/// may be written: it must be absent or a regular file, never a symbolic
/// link, a device or a FIFO (a committed `.secrets.baseline` may be one).
fn writable(path: &Path) -> Result<()> {
    baseline::check_writable(path)
        .with_context(|| format!("cannot write the baseline {}", path.display()))
}

/// Scans a tree for a baseline: every finding that inline comments and the
/// config's allowlists leave, except in the baseline file itself; with the
/// engine, for rule metadata.
fn scan_with_engine(
    args: &BaselineScanArgs,
    baseline_file: &Path,
) -> Result<(Vec<Located>, Engine)> {
    std::fs::symlink_metadata(&args.path)
        .with_context(|| format!("cannot read {}", args.path.display()))?;
    let sources = Sources {
        start: Some(&args.path),
        baseline: None,
        no_baseline: true,
        config: args.config.as_deref(),
    };
    let (rules, suppressor, _) = suppress::resolve(&sources, crate::app::load_rules()?)?;
    let engine = Engine::new(rules);
    let opts = args.walk.options();
    let scan_fn = |path: &crate::finding::ScanPath, raw: &[u8], text: Option<&[u8]>| {
        file_findings(&engine, path, raw, text, None)
    };
    let (findings, stats) = source::fs::walk(std::slice::from_ref(&args.path), &opts, &scan_fn);
    for e in stats.incomplete.iter().chain(&stats.errors) {
        stderr_line(&format!("warning: {e}"));
    }
    let outcome = suppressor.apply(findings);
    for n in &outcome.notes {
        stderr_line(&format!("note: {n}"));
    }
    let skip = suppressor.paths.relative_file(baseline_file);
    let located = outcome
        .findings
        .into_iter()
        .map(|f| Located {
            filename: suppressor.paths.relative_finding(&f),
            finding: f,
        })
        .filter(|l| l.filename != skip)
        .collect();
    Ok((located, engine))
}

/// The baseline `explicit` names, or `.secrets.baseline` at `root`.
fn baseline_path(root: &Path, explicit: Option<&Path>) -> PathBuf {
    explicit.map_or_else(|| root.join(BASELINE_FILE), Path::to_path_buf)
}

fn update(args: BaselineUpdateArgs) -> Result<ExitCode> {
    let root = repo_root(&args.scan.path);
    let path = baseline_path(&root, args.baseline.as_deref());
    if std::fs::symlink_metadata(&path).is_err() {
        bail!(
            "{}: no baseline to update (create one with `leakhound baseline create`)",
            path.display()
        );
    }
    let old = Baseline::load(&path)?;
    writable(&path)?;
    let (found, engine) = scan_with_engine(&args.scan, &path)?;
    let mut new = merge(&old, &found, &engine, &PathMapper::new(root));
    // A `--slim` detect-secrets baseline (no timestamp, no line numbers) stays slim.
    if old.generated_at.is_none() {
        new.entries.iter_mut().for_each(|e| e.line_number = None);
    }
    let set_changed = old.keys() != new.keys();
    let lines_changed = old.entries != new.entries;
    let rewrite = set_changed || (args.refresh_lines && lines_changed);
    if !rewrite {
        stderr_line(&format!(
            "{} is up to date ({} entries{})",
            path.display(),
            old.entries.len(),
            if lines_changed {
                "; some line numbers moved, --refresh-lines rewrites them"
            } else {
                ""
            }
        ));
        return Ok(ExitCode::SUCCESS);
    }
    new.ensure_plugins();
    if old.generated_at.is_some() {
        new.generated_at = Some(now_utc());
    }
    new.save(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let added = new.keys().difference(&old.keys()).count();
    let dropped = old.keys().difference(&new.keys()).count();
    stderr_line(&format!(
        "updated {}: {added} added, {dropped} dropped, {} entries",
        path.display(),
        new.entries.len()
    ));
    Ok(ExitCode::SUCCESS)
}

/// The updated baseline: old entries matched by a finding (with the line
/// refreshed) or whose secret still occurs in its file (kept as they are,
/// e.g. entries of detect-secrets plugins we have no rule for), audit marks
/// kept; plus an entry for each finding no old entry matched.
fn merge(old: &Baseline, found: &[Located], engine: &Engine, paths: &PathMapper) -> Baseline {
    let hashes: Vec<Vec<String>> = found
        .iter()
        .map(|l| baseline::candidate_hashes(&l.finding.secret))
        .collect();
    let mut matched = vec![false; found.len()];
    let mut new = old.clone();
    new.version = baseline::VERSION.to_string();
    new.entries.clear();
    let mut texts: std::collections::HashMap<&str, Option<String>> = Default::default();
    for e in &old.entries {
        let mut line: Option<u64> = None;
        for (i, l) in found.iter().enumerate() {
            if l.filename == e.filename && hashes[i].contains(&e.hashed_secret) {
                matched[i] = true;
                let n = l.finding.line as u64;
                line = Some(line.map_or(n, |m| m.min(n)));
            }
        }
        let keep = line.is_some() || {
            let text = texts.entry(&e.filename).or_insert_with(|| {
                suppress::read_entry_bytes(&paths.root, &e.filename)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
            });
            text.as_deref()
                .is_some_and(|t| baseline::text_contains_hash(t, &e.hashed_secret))
        };
        if keep {
            let mut e = e.clone();
            if line.is_some() {
                e.line_number = line;
            }
            new.entries.push(e);
        }
    }
    for (i, l) in found.iter().enumerate() {
        if !matched[i] {
            new.entries.push(baseline::entry_for(
                &l.finding,
                &l.filename,
                engine.rule_set().get(&l.finding.rule_id),
            ));
        }
    }
    new.normalize();
    new
}

fn audit(args: BaselineAuditArgs) -> Result<ExitCode> {
    let root = repo_root(Path::new("."));
    let path = baseline_path(&root, args.baseline.as_deref());
    let mut b = Baseline::load(&path)?;
    let mut out = std::io::stdout().lock();
    if args.report {
        report(&b, &mut out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "baseline audit asks questions, but standard input is not a terminal; use `leakhound baseline audit --report` for a summary"
        );
    }
    let stdin = std::io::stdin();
    interactive(&mut b, &path, &root, &mut stdin.lock(), &mut out)?;
    Ok(ExitCode::SUCCESS)
}

/// `--report`: one line per entry and the counts.
pub fn report(b: &Baseline, out: &mut dyn Write) -> Result<()> {
    let (mut real, mut fp, mut open) = (0, 0, 0);
    for e in &b.entries {
        let status = match e.is_secret {
            Some(true) => {
                real += 1;
                "real"
            }
            Some(false) => {
                fp += 1;
                "false positive"
            }
            None => {
                open += 1;
                "unaudited"
            }
        };
        let line = e.line_number.map_or(String::new(), |l| format!(":{l}"));
        writeln!(
            out,
            "{}{line}  {}  {status}",
            controls(&e.filename),
            controls(&e.kind)
        )?;
    }
    writeln!(
        out,
        "{} entries: {real} real, {fp} false positive, {open} unaudited",
        b.entries.len()
    )?;
    Ok(())
}

/// The interactive audit: for each unaudited entry, shows the file, line and
/// redacted context and asks; each answer is saved at once (atomically), so
/// quitting or an interrupt loses nothing answered.
pub fn interactive(
    b: &mut Baseline,
    path: &Path,
    root: &Path,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<()> {
    let todo: Vec<usize> = (0..b.entries.len())
        .filter(|&i| b.entries[i].is_secret.is_none())
        .collect();
    if todo.is_empty() {
        writeln!(
            out,
            "Every entry of {} is audited.",
            controls(&path.display().to_string())
        )?;
        return Ok(());
    }
    for (n, &i) in todo.iter().enumerate() {
        let e = b.entries[i].clone();
        writeln!(
            out,
            "\n[{}/{}] {}:{}  {}",
            n + 1,
            todo.len(),
            controls(&e.filename),
            e.line_number.map_or("?".to_string(), |l| l.to_string()),
            controls(&e.kind)
        )?;
        let hashes: Vec<&str> = b
            .entries
            .iter()
            .filter(|x| x.filename == e.filename)
            .map(|x| x.hashed_secret.as_str())
            .collect();
        for line in context(root, &e.filename, e.line_number, &hashes) {
            writeln!(out, "    {line}")?;
        }
        let answer = loop {
            write!(
                out,
                "Is this a real secret? [r]eal, [f]alse positive, [s]kip, [q]uit: "
            )?;
            out.flush()?;
            let mut s = String::new();
            if input.read_line(&mut s)? == 0 {
                break 'q';
            }
            match s.trim().to_ascii_lowercase().as_str() {
                "r" | "real" | "y" => break 'r',
                "f" | "false" | "n" => break 'f',
                "s" | "skip" | "" => break 's',
                "q" | "quit" => break 'q',
                _ => writeln!(out, "Please answer r, f, s or q.")?,
            }
        };
        match answer {
            'q' => break,
            's' => continue,
            a => {
                b.entries[i].is_secret = Some(a == 'r');
                b.save(path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
        }
    }
    writeln!(out)?;
    report(b, out)
}

/// Up to two lines either side of `line` (1-based) of the file `filename`
/// names under `root`, with every string hashing to one of `hashes`
/// redacted, and any other long token that mixes letters and digits too (it
/// may be a secret not in the baseline).
///
/// The file comes from the repository under audit: it is read only if it is
/// a regular file inside `root` ([`suppress::read_entry_bytes`]); binary
/// content (a keystore) is not shown, only its size; control characters are
/// escaped (tabs become spaces), so nothing in it reaches the terminal as a
/// control sequence.
fn context(root: &Path, filename: &str, line: Option<u64>, hashes: &[&str]) -> Vec<String> {
    let Some(bytes) = suppress::read_entry_bytes(root, filename) else {
        return vec!["(file not found, or not a regular file in the repository)".into()];
    };
    let text = match source::text_of(&bytes) {
        Some(t) => std::str::from_utf8(&t).ok().map(str::to_string),
        None => None,
    };
    let Some(mut text) = text else {
        return vec![format!("(binary file, {} bytes)", bytes.len())];
    };
    for h in hashes {
        // Redact every occurrence.
        while let Some(r) = baseline::find_by_hash(&text, h) {
            let red = redact(&text[r.clone()]).replace('*', "\u{2022}");
            text.replace_range(r, &red);
        }
    }
    let Some(line) = line else {
        return vec!["(no line number)".into()];
    };
    let line = line as usize;
    text.lines()
        .enumerate()
        .skip(line.saturating_sub(3))
        .take(5)
        .map(|(i, l)| {
            let mark = if i + 1 == line { '>' } else { ' ' };
            let l: String = mask_tokens(l).chars().take(200).collect();
            format!(
                "{mark} {:>5} | {}",
                i + 1,
                controls(&l.replace('\t', "    "))
            )
        })
        .collect()
}

/// Redacts runs of token characters of 20 or more that hold both letters and
/// digits.
fn mask_tokens(line: &str) -> String {
    let is_token = |c: char| c.is_ascii_alphanumeric() || "+/=_-.".contains(c);
    let mut out = String::with_capacity(line.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let mixed =
            run.chars().any(|c| c.is_ascii_digit()) && run.chars().any(|c| c.is_ascii_alphabetic());
        if run.len() >= 20 && mixed {
            out.push_str(&redact(run).replace('*', "\u{2022}"));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in line.chars() {
        if is_token(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Runs a `config` subcommand.
pub fn config(cmd: ConfigCommand) -> Result<ExitCode> {
    let ConfigCommand::Check(ConfigCheckArgs { config }) = cmd;
    let root = repo_root(Path::new("."));
    let cfg = suppress::load_config(&root, config.as_deref())?;
    let rules = cfg.apply_to(crate::app::load_rules()?)?;
    rules.check_regexes()?;
    let mut out = std::io::stdout().lock();
    match &cfg.file {
        Some(f) => writeln!(out, "{}: ok", f.display())?,
        None => writeln!(
            out,
            "no {} at {}: built-in rules only",
            crate::config::CONFIG_FILE,
            root.display()
        )?,
    }
    writeln!(
        out,
        "{} rules ({} from config, {} disabled, {} overridden); allow: {} paths, {} regexes, {} stopwords, {} waivers\n",
        rules.len(),
        cfg.rules.len(),
        cfg.disable.len(),
        cfg.overrides.len(),
        cfg.allow_paths.len(),
        cfg.allow_regexes.len(),
        cfg.stopwords.len(),
        cfg.waivers.len()
    )?;
    for r in rules.rules() {
        // Names from a project config are repository text.
        writeln!(
            out,
            "{:<36} {:<9} {:<8} {:<40} {}",
            r.spec.id,
            r.spec.severity.as_str(),
            r.spec
                .min_entropy
                .map_or("-".to_string(), |e| format!("{e:.1}")),
            crate::report::escape::text(&r.spec.name),
            controls(&r.origin.to_string())
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::sha1_hex;

    fn entry(file: &str, secret: &str, line: u64) -> Entry {
        Entry {
            kind: "Secret Keyword".into(),
            filename: file.into(),
            hashed_secret: sha1_hex(secret.as_bytes()),
            is_verified: false,
            line_number: Some(line),
            is_secret: None,
        }
    }

    #[test]
    fn interactive_audit_saves_each_answer_and_redacts() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = ["Q8zr2LxT9vKkW3pM", "m4Nb7Vc1Xz9Lk2Jh", "p0Oi9Uy8Tr7Ew6Qa"];
        let text: String = secrets
            .iter()
            .map(|s| format!("password = \"{s}\"\n"))
            .collect();
        std::fs::write(dir.path().join("app.cfg"), text).unwrap();
        let path = dir.path().join(".secrets.baseline");
        let mut b = Baseline::new();
        b.entries = (0..3)
            .map(|i| entry("app.cfg", secrets[i], i as u64 + 1))
            .collect();
        b.save(&path).unwrap();

        // Real, then an unknown answer and false positive, then quit.
        let mut input = std::io::Cursor::new("r\nwhat\nf\nq\n");
        let mut out = Vec::new();
        interactive(&mut b, &path, dir.path(), &mut input, &mut out).unwrap();
        let shown = String::from_utf8(out).unwrap();
        for s in secrets {
            assert!(!shown.contains(s), "secret shown:\n{shown}");
        }
        assert!(shown.contains("app.cfg:1") && shown.contains("Please answer"));
        assert!(shown.contains("> "), "{shown}");
        let saved = Baseline::load(&path).unwrap();
        let marks: Vec<_> = saved.entries.iter().map(|e| e.is_secret).collect();
        assert_eq!(marks, [Some(true), Some(false), None]);

        // A second run asks only about the rest; end of input is quit.
        let mut b = saved;
        let mut out = Vec::new();
        interactive(
            &mut b,
            &path,
            dir.path(),
            &mut std::io::Cursor::new(""),
            &mut out,
        )
        .unwrap();
        let shown = String::from_utf8(out).unwrap();
        assert!(shown.contains("[1/1] app.cfg:3"), "{shown}");
    }

    #[test]
    fn context_masks_other_tokens() {
        let other = "Zx81bT0pLmW4vXs7Kd2Rn6Yc";
        let masked = mask_tokens(&format!("a = '{other}' # see docs/setup.md"));
        assert!(!masked.contains(other), "{masked}");
        assert!(masked.ends_with("' # see docs/setup.md"), "{masked}");
    }

    #[test]
    fn report_counts() {
        let mut b = Baseline::new();
        b.entries = vec![entry("a", "x1", 1), entry("b", "x2", 2)];
        b.entries[0].is_secret = Some(false);
        let mut out = Vec::new();
        report(&b, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("a:1  Secret Keyword  false positive"));
        assert!(text.ends_with("2 entries: 0 real, 1 false positive, 1 unaudited\n"));
    }
}
