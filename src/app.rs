//! The command line's behaviour: resolves parsed arguments into a scan
//! (rules, sources, report), runs it and decides the exit code.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::cli::{
    CheckFormat, Cli, ColorChoice, Command, HookAction, HookArgs, RulesArgs, RulesCheckArgs,
    RulesCommand, ScanArgs,
};
use crate::engine::Engine;
use crate::finding::Finding;
use crate::report::escape::stderr_line;
use crate::report::{Format, ReportOptions, ScanResult, write_atomic};
use crate::rules::{RuleSet, Severity};
use crate::scan::{AllowLog, file_findings, scan_buffer};
use crate::source::{self, Stats};
use crate::suppress::{Suppressor, Unused};

/// Default exit code when findings fail the scan (`--exit-code`).
pub const EXIT_FINDINGS: u8 = 1;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Rules(args) => rules(args),
        Command::Explain(args) => explain(&args.rule),
        Command::Baseline(cmd) => crate::baseline_cmd::run(cmd),
        Command::Config(cmd) => crate::baseline_cmd::config(cmd),
        Command::Hook(args) => hook(args),
    }
}

/// The built-in rules.
pub fn load_rules() -> Result<RuleSet> {
    RuleSet::builtin().context("built-in rules")
}

fn scan(args: ScanArgs) -> Result<ExitCode> {
    let started = Instant::now();
    check_report_paths(&args)?;
    let Resolved {
        rules,
        suppressor,
        gate_notes,
        b_side,
    } = resolve_suppression(&args)?;
    let shown = shown_severity(&args);
    let engine = Engine::new(rules).keep_public_examples(shown <= Severity::Info);
    let want_unused = args.suppress.report_unused || args.suppress.fail_on_unused;
    let allow_log = want_unused.then(AllowLog::default);
    // 1. Source: what to read, as findings plus what was read.
    let Collected {
        findings,
        stats,
        mut notes,
        comment_allowed,
    } = collect(&engine, &args, allow_log.as_ref(), &suppressor)?;
    report_errors(&stats);
    notes.extend(stats.incomplete.iter().cloned());
    notes.extend(stats.notes.iter().cloned());
    // Files whose findings the engine's caps cut: a note in every report,
    // and a warning when secrets went unreported.
    for c in &stats.capped {
        if c.dropped > 0 {
            eprintln!("leakhound: warning: {c}");
        }
        notes.push(c.to_string());
    }
    if stats.files == 0 && !stats.errors.is_empty() {
        bail!(
            "nothing could be scanned ({} unreadable)",
            stats.errors.len()
        );
    }
    // 2. Suppression: config allowlists, waivers, baseline (every source).
    let outcome = suppressor.apply(findings);
    let mut findings = outcome.findings;
    // Findings below --min-severity (by default the `info` ones, which are
    // not secrets) are left out of every report and of the gate.
    findings.retain(|f| f.severity >= shown);
    notes.extend(outcome.notes);
    // The range gate's call-outs: edited suppression files, and findings the
    // change's own suppressions would have hidden.
    let mut callouts = gate_notes;
    if let Some((b, changed)) = &b_side {
        callouts.extend(would_be_suppressed(&findings, b, changed));
    }
    sort_findings(&mut findings);
    for f in findings
        .iter()
        .filter(|f| comment_allowed.contains(&f.fingerprint()))
    {
        callouts.push(format!(
            "{}:{}: the inline allow comment for this {} finding is not honoured: the range adds \
             it (--trust-range-allow-comments honours it)",
            f.shown_path(),
            f.line,
            f.rule_id
        ));
    }
    let human_on_stdout = args.format == Format::Human && args.output.is_none();
    if !human_on_stdout {
        for n in &callouts {
            stderr_line(&format!("note: {n}"));
        }
    }
    notes.extend(callouts);
    let mut unused = outcome.unused;
    if let Some(log) = allow_log {
        unused.extend(
            log.into_unused()
                .into_iter()
                .map(|(path, line)| Unused::AllowComment { path, line }),
        );
    }
    unused.sort();
    if want_unused {
        notes.extend(unused.iter().map(ToString::to_string));
    }
    // A pre-commit check says it blocks the commit only when it does: after
    // suppression, and only for findings that fail the gate.
    let code = gate(&findings, args.fail_on, args.exit_code);
    if args.staged && code != 0 {
        notes.push(
            "commit blocked: remove the secrets above from the staged files (edit, then \
             `git add`), or mark a false positive with a `leakhound:allow` comment"
                .to_string(),
        );
    }
    // 3. Report.
    let result = ScanResult {
        findings: &findings,
        stats: &stats,
        elapsed: started.elapsed(),
        rules: engine.rule_set(),
        notes: &notes,
    };
    emit(&result, &args)?;
    if args.strict && !(stats.errors.is_empty() && stats.incomplete.is_empty()) {
        let mut what = Vec::new();
        if !stats.errors.is_empty() {
            what.push(format!("{} path(s) could not be read", stats.errors.len()));
        }
        if !stats.incomplete.is_empty() {
            what.push(format!(
                "{} repository file(s) could not be read (see the notes)",
                stats.incomplete.len()
            ));
        }
        bail!("{} (--strict)", what.join("; "));
    }
    let cut = stats.capped.iter().filter(|c| c.dropped > 0).count();
    if args.strict && cut > 0 {
        bail!("{cut} file(s) held more findings than are reported (--strict)");
    }
    // 4. Gate: findings at or above --fail-on, or unused suppressions with
    // --fail-on-unused, exit with --exit-code.
    let mut code = code;
    if let Some(min) = args.fail_on
        && !findings.is_empty()
        && findings.iter().all(|f| f.severity < min)
    {
        stderr_line(&format!(
            "{} finding(s) below --fail-on {min}: not failing",
            findings.len()
        ));
    } else if args.fail_on.is_none()
        && !findings.is_empty()
        && findings.iter().all(|f| f.severity == Severity::Info)
    {
        stderr_line(&format!(
            "{} info finding(s), not secrets: not failing (--fail-on info fails on them)",
            findings.len()
        ));
    }
    if args.suppress.fail_on_unused && !unused.is_empty() {
        code = args.exit_code;
    }
    Ok(ExitCode::from(code))
}

/// The lowest severity a scan reports: `--min-severity` (default low), or
/// `--fail-on` when that is lower (a scan shows what it fails on).
pub fn shown_severity(args: &ScanArgs) -> Severity {
    args.fail_on
        .map_or(args.min_severity, |f| f.min(args.min_severity))
}

/// The exit code for a scan's findings: `exit_code` if any finding is at or
/// above `fail_on` (`low` when `None`: `info` findings, which are not
/// secrets, pass unless `--fail-on info`), else 0.
pub fn gate(findings: &[Finding], fail_on: Option<Severity>, exit_code: u8) -> u8 {
    let min = fail_on.unwrap_or(Severity::Low);
    if findings.iter().any(|f| f.severity >= min) {
        exit_code
    } else {
        0
    }
}

/// What a source produced.
#[derive(Default)]
struct Collected {
    findings: Vec<Finding>,
    stats: Stats,
    /// Notes for the reader (e.g. a truncated history).
    notes: Vec<String>,
    /// Fingerprints of findings kept although an inline comment allows them
    /// (range scans without --trust-range-allow-comments).
    comment_allowed: HashSet<String>,
}

/// The suppressions of a scan, resolved once.
struct Resolved {
    rules: RuleSet,
    suppressor: Suppressor,
    /// Range scans: which suppression files the range edits, which are used.
    gate_notes: Vec<String>,
    /// Range scans that edit a suppression file: B's own suppressions, and
    /// the files changed, to call out what they would have hidden.
    b_side: Option<(Suppressor, Vec<&'static str>)>,
}

/// Loads the config and baseline the arguments name (or find at the
/// repository root of the first path, or in A's tree for a range) and the
/// effective rules.
fn resolve_suppression(args: &ScanArgs) -> Result<Resolved> {
    let s = &args.suppress;
    let start = args.paths.iter().find(|p| !is_stdin(p));
    let sources = crate::suppress::Sources {
        start: start.map(PathBuf::as_path),
        baseline: s.baseline.as_deref(),
        no_baseline: s.no_baseline,
        config: s.config.as_deref(),
    };
    if let (true, Some(range)) = (args.git, &args.range) {
        let repo = source::git::open(start.map(PathBuf::as_path))?;
        let ends = crate::suppress::range::RangeEnds::resolve(repo, range)?;
        let r = crate::suppress::resolve_range(
            &sources,
            &ends,
            args.trust_range_config,
            load_rules()?,
        )?;
        return Ok(Resolved {
            rules: r.rules,
            suppressor: r.suppressor,
            gate_notes: r.notes,
            b_side: r.b_side.map(|b| (b, r.changed)),
        });
    }
    let (rules, suppressor, notes) = crate::suppress::resolve(&sources, load_rules()?)?;
    Ok(Resolved {
        rules,
        suppressor,
        gate_notes: notes,
        b_side: None,
    })
}

/// Notes for the findings that B's own suppressions (`b`, built from the
/// `changed` files as the range leaves them) would hide.
fn would_be_suppressed(findings: &[Finding], b: &Suppressor, changed: &[&str]) -> Vec<String> {
    let kept: HashSet<String> = b
        .apply(findings.to_vec())
        .findings
        .iter()
        .map(Finding::fingerprint)
        .collect();
    let disabled = |id: &str| b.config.disable.iter().any(|(d, _)| d == id);
    findings
        .iter()
        .filter(|f| !kept.contains(&f.fingerprint()) || disabled(&f.rule_id))
        .map(|f| {
            format!(
                "{}:{}: this {} finding is suppressed by the range's own {}; reported anyway: \
                 a change cannot suppress its own secrets",
                f.shown_path(),
                f.line,
                f.rule_id,
                changed.join(" and ")
            )
        })
        .collect()
}

/// Runs the source the arguments name: standard input or a working tree.
/// With `allow_log`, records inline allow comments that allowed nothing.
fn collect(
    engine: &Engine,
    args: &ScanArgs,
    allow_log: Option<&AllowLog>,
    suppressor: &Suppressor,
) -> Result<Collected> {
    if args.staged || args.git {
        return collect_git(engine, args, suppressor);
    }
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    if paths.iter().any(|p| is_stdin(p)) {
        if paths.len() > 1 {
            bail!("`-` (standard input) cannot be combined with other paths");
        }
        let (findings, stats) = scan_stdin(engine, args.walk.max_file_size, allow_log)?;
        return Ok(Collected {
            findings,
            stats,
            ..Collected::default()
        });
    }
    for p in &paths {
        std::fs::symlink_metadata(p).with_context(|| format!("cannot read {}", p.display()))?;
    }
    let opts = args.walk.options();
    let scan_fn = |path: &crate::finding::ScanPath, raw: &[u8], text: Option<&[u8]>| {
        file_findings(engine, path, raw, text, allow_log)
    };
    let (findings, stats) = source::fs::walk(&paths, &opts, &scan_fn);
    Ok(Collected {
        findings,
        stats,
        ..Collected::default()
    })
}

fn scan_stdin(
    engine: &Engine,
    max: u64,
    allow_log: Option<&AllowLog>,
) -> Result<(Vec<Finding>, Stats)> {
    // At most max+1 bytes: `scan - < /dev/zero` must not fill the memory.
    let buf =
        source::stdin::read_at_most(max.saturating_add(1)).context("cannot read standard input")?;
    let mut stats = Stats::default();
    if buf.len() as u64 > max {
        stats.skipped_large = 1;
        return Ok((Vec::new(), stats));
    }
    let Some(text) = source::text_of(&buf) else {
        stats.skipped_binary = 1;
        return Ok((Vec::new(), stats));
    };
    stats.files = 1;
    stats.bytes = buf.len() as u64;
    let found = scan_buffer(engine, "<stdin>", &text, None, allow_log);
    stats.capped.extend(found.capped);
    Ok((found.findings, stats))
}

/// Orders findings for output: path (by its bytes), line, column, rule.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.raw_path(), a.line, a.column, &a.rule_id).cmp(&(
            b.raw_path(),
            b.line,
            b.column,
            &b.rule_id,
        ))
    });
}

fn report_errors(stats: &Stats) {
    for n in &stats.incomplete {
        stderr_line(&format!("warning: {n}"));
    }
    for n in &stats.notes {
        stderr_line(&format!("note: {n}"));
    }
    const SHOWN: usize = 20;
    for e in stats.errors.iter().take(SHOWN) {
        stderr_line(&format!("warning: {e}"));
    }
    if stats.errors.len() > SHOWN {
        stderr_line(&format!(
            "warning: {} more unreadable paths",
            stats.errors.len() - SHOWN
        ));
    }
}

fn emit(result: &ScanResult, args: &ScanArgs) -> Result<()> {
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let opts = ReportOptions {
        reveal: args.no_redact,
        color: color && args.format == Format::Human,
    };
    // Files first: the CI artifacts exist even if standard output is closed.
    let file_opts = ReportOptions {
        color: false,
        ..opts
    };
    for spec in &args.reports {
        let report = spec.format.report();
        write_atomic(&spec.path, |w| report.write(result, &file_opts, w))
            .with_context(|| format!("cannot write {}", spec.path.display()))?;
    }
    let report = args.format.report();
    match &args.output {
        Some(path) => write_atomic(path, |w| report.write(result, &opts, w))
            .with_context(|| format!("cannot write {}", path.display())),
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            let written = report
                .write(result, &opts, &mut lock)
                .and_then(|_| lock.flush());
            match written {
                // A closed pipe (`leakhound scan | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write the report"),
            }
        }
    }
}

/// Rejects two reports aimed at one file (`-o` and every `--report`),
/// before anything is scanned: the second would silently replace the first.
/// Paths are compared resolved: `./x`, `d/../x` and `x` through a symbolic
/// link to its directory are one file, and so are two hard links to one
/// existing file.
fn check_report_paths(args: &ScanArgs) -> Result<()> {
    let targets: Vec<&Path> = args
        .output
        .iter()
        .chain(args.reports.iter().map(|s| &s.path))
        .map(PathBuf::as_path)
        .collect();
    if targets.len() < 2 {
        return Ok(());
    }
    let ids: Vec<Vec<FileId>> = targets.iter().map(|p| file_ids(p)).collect();
    for (i, a) in ids.iter().enumerate() {
        for (j, b) in ids.iter().enumerate().take(i) {
            if a.iter().any(|id| b.contains(id)) {
                bail!(
                    "two reports would be written to the same file: {} and {}",
                    targets[j].display(),
                    targets[i].display()
                );
            }
        }
    }
    Ok(())
}

/// What identifies the file a report path names.
#[derive(Debug, PartialEq, Eq)]
enum FileId {
    /// The path with its directory resolved (`.`, `..`, symbolic links).
    Name(PathBuf),
    /// Device and inode of an existing file: hard links, and a device or
    /// FIFO reached through a link (written in place, see `write_atomic`).
    #[cfg(unix)]
    Inode(u64, u64),
}

fn file_ids(path: &Path) -> Vec<FileId> {
    let mut ids = Vec::new();
    let absolute = std::env::current_dir()
        .map(|d| d.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    // The file name stays as given (a symbolic link there is replaced, not
    // written through); its directory is resolved.
    let name = match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(file)) => std::fs::canonicalize(dir)
            .map(|d| d.join(file))
            .unwrap_or_else(|_| lexical(&absolute)),
        _ => std::fs::canonicalize(&absolute).unwrap_or_else(|_| lexical(&absolute)),
    };
    ids.push(FileId::Name(name));
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // A regular file is replaced by name; anything else is written
        // through the link.
        let meta = std::fs::symlink_metadata(path).ok().and_then(|m| {
            if m.file_type().is_symlink() {
                std::fs::metadata(path).ok().filter(|t| !t.is_file())
            } else {
                Some(m)
            }
        });
        if let Some(m) = meta {
            ids.push(FileId::Inode(m.dev(), m.ino()));
        }
    }
    ids
}

/// `.` and `..` resolved without the file system.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `leakhound explain RULE_ID`: a rule's description, format, examples and
/// remediation, for someone deciding what to do about a finding.
/// `explain public-examples`: the known public example values, by name
/// and source (never the values).
const PUBLIC_EXAMPLES_TOPIC: &str = "public-examples";

fn explain(id: &str) -> Result<ExitCode> {
    let set = load_rules()?;
    if id == PUBLIC_EXAMPLES_TOPIC && set.get(id).is_none() {
        return write_out(&explain_public_examples(&set));
    }
    let Some(rule) = set.get(id) else {
        let mut close: Vec<&str> = set
            .rules()
            .iter()
            .map(|r| r.id())
            .filter(|r| r.contains(id) || id.contains(r))
            .collect();
        close.truncate(5);
        let hint = if close.is_empty() {
            "see `leakhound rules`".to_string()
        } else {
            format!("did you mean {}?", close.join(", "))
        };
        bail!("no rule {id:?}; {hint}");
    };
    let s = &rule.spec;
    let para = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    out.push_str(&format!("{} ({})\n", s.name, s.id));
    out.push_str(&format!("severity: {}\n", s.severity));
    if !s.description.is_empty() {
        out.push_str(&format!("\n{}\n", para(&s.description)));
    }
    if s.is_path_rule() {
        out.push_str(&format!("\nfiles: {}\n", s.paths.join(", ")));
        if !s.path_exclude.is_empty() {
            out.push_str(&format!("except: {}\n", s.path_exclude.join(", ")));
        }
        if s.regex.is_empty() {
            out.push_str("reported on the path alone\n");
        } else {
            out.push_str(&format!("when the content matches: {}\n", s.regex));
        }
    } else {
        out.push_str(&format!("\nkeywords: {}\n", s.keywords.join(", ")));
        out.push_str(&format!("format (regex): {}\n", s.regex));
    }
    if let Some(v) = &s.validator {
        out.push_str(&format!("structural check: {v}\n"));
    }
    if let Some(e) = s.min_entropy {
        out.push_str(&format!("minimum entropy: {e} bits per character\n"));
    }
    out.push_str("\nfound, for example, in:\n");
    for ex in &s.examples {
        out.push_str(&format!("  {}\n", ex.summary()));
    }
    out.push_str("\nnot reported:\n");
    for ex in &s.negative_examples {
        out.push_str(&format!("  {}\n", ex.summary()));
    }
    if !s.lower_when.is_empty() {
        out.push_str("\nlower severity when:\n");
        for lw in &s.lower_when {
            let mut at = Vec::new();
            if let Some(b) = &lw.before {
                at.push(format!("before the secret: {b}"));
            }
            if let Some(n) = &lw.nearby {
                at.push(format!(
                    "within {} lines: {n}",
                    crate::rules::LowerWhen::NEARBY_LINES
                ));
            }
            out.push_str(&format!("  {}: {}\n", lw.severity, para(&lw.reason)));
            for d in &lw.docs {
                out.push_str(&format!("    see {d}\n"));
            }
            for a in at {
                out.push_str(&format!("    {a}\n"));
            }
        }
    }
    let examples: Vec<_> = set
        .public_examples()
        .entries()
        .iter()
        .filter(|e| e.rules.iter().any(|r| r == &s.id))
        .collect();
    if !examples.is_empty() {
        out.push_str(
            "\nknown public examples (reported at info, shown with --min-severity info):\n",
        );
        for e in examples {
            out.push_str(&format!("  {}\n", e.reason()));
        }
    }
    out.push_str(&format!("\nwhat to do:\n  {}\n", para(&s.remediation)));
    write_out(&out)
}

/// The text of `explain public-examples`.
fn explain_public_examples(set: &RuleSet) -> String {
    let mut out = String::from(
        "Known public example values\n\n\
         Keys that providers and specifications publish in their documentation are not \
         secrets. A finding whose secret is one of them gets severity info and says why \
         (JSON `reason`, SARIF `properties.reason`, a `reason:` line); info findings are \
         left out of reports unless --min-severity info, and never fail the scan unless \
         --fail-on info. Built-in list: rules/public-examples.toml (values are listed by \
         SHA-256, so it holds none of them).\n\n",
    );
    for e in set.public_examples().entries() {
        out.push_str(&format!("{}\n", e.name));
        if !e.suffix.is_empty() {
            out.push_str(&format!("  any key ending in {}\n", e.suffix.join(" or ")));
        }
        if !e.jwt_claims.is_empty() {
            let claims: Vec<String> = e
                .jwt_claims
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            out.push_str(&format!(
                "  a JWT whose claims hold {}\n",
                claims.join(", ")
            ));
        }
        if !e.sha256.is_empty() {
            out.push_str(&format!("  {} value(s) by SHA-256\n", e.sha256.len()));
        }
        for d in &e.docs {
            out.push_str(&format!("  see {d}\n"));
        }
    }
    out
}

/// Writes `text` to standard output (a closed pipe is not an error).
fn write_out(text: &str) -> Result<ExitCode> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn rules(args: RulesArgs) -> Result<ExitCode> {
    if let Some(RulesCommand::Check(check)) = args.command {
        return rules_check(check);
    }
    let set = load_rules()?;
    set.check_regexes().context("built-in rules")?;
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => {
            let list: Vec<_> = set
                .rules()
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.spec.id, "name": r.spec.name, "severity": r.spec.severity,
                        "provider": r.spec.provider, "category": category(&r.origin),
                        "docs": r.spec.docs, "tags": r.spec.tags,
                        "keywords": r.spec.keywords, "paths": r.spec.paths,
                        "validator": r.spec.validator,
                        "origin": r.origin,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list)
                .map_err(std::io::Error::from)
                .and_then(|_| writeln!(out))
        }
        Format::Sarif | Format::Junit | Format::Github | Format::Csv => {
            bail!("`rules --format` takes human or json")
        }
        Format::Human => set
            .rules()
            .iter()
            .try_for_each(|r| {
                writeln!(
                    out,
                    "{:<36} {:<9} {:<24} {:<44} {}",
                    r.spec.id,
                    r.spec.severity.as_str(),
                    r.spec.provider,
                    r.spec.name,
                    if r.spec.is_path_rule() {
                        format!("files: {}", r.spec.paths.join(", "))
                    } else {
                        r.spec.keywords.join(", ")
                    }
                )
            })
            .and_then(|_| {
                let mut providers: Vec<&str> = set
                    .rules()
                    .iter()
                    .map(|r| r.spec.provider.as_str())
                    .collect();
                providers.sort_unstable();
                providers.dedup();
                writeln!(out, "{} rules, {} providers", set.len(), providers.len())
            }),
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// `leakhound rules check [FILE...]`: the built-in rules, the config's
/// (`--config`, or `.leakhound.toml` at the repository root, as `scan` finds
/// it) and the rules of FILEs, checked by [`crate::rules::check`]. Exit 0
/// when every check passes, 1 when one fails; a file that cannot be read or
/// is not a rule file is an error (exit 2).
fn rules_check(args: RulesCheckArgs) -> Result<ExitCode> {
    use crate::rules::check;
    use crate::safe_read::{Links, read_regular_text};
    let root = crate::suppress::repo_root(Path::new("."));
    let config = crate::suppress::load_config(&root, args.config.as_deref())?;
    let mut set = config.apply_to(load_rules()?)?;
    let mut files = Vec::new();
    for f in &args.files {
        let text = read_regular_text(f, 16 << 20, Links::Follow)
            .with_context(|| format!("cannot read {}", f.display()))?;
        files.push((f.display().to_string(), text));
    }
    let mut problems = check::add_rule_files(&mut set, &files)?;
    let engine = Engine::new(set);
    problems.extend(check::check_rules(&engine, &check::is_builtin));
    let checked = engine.rules().len();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match args.format {
        CheckFormat::Json => serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({
                "rules_checked": checked,
                "problems": problems,
            }),
        )
        .map_err(std::io::Error::from)
        .and_then(|_| writeln!(out)),
        CheckFormat::Human => write_check_report(&mut out, checked, &problems),
    }
    .and_then(|_| out.flush());
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::from(u8::from(!problems.is_empty()))),
    }
}

/// The human report of `rules check`: problems grouped by rule (the rule's
/// id and file, then one line per problem and the example's first line),
/// and a summary line.
fn write_check_report(
    out: &mut dyn Write,
    checked: usize,
    problems: &[crate::rules::check::Problem],
) -> std::io::Result<()> {
    use crate::report::escape::text;
    const SHOWN: usize = 160;
    for group in crate::rules::check::by_rule(problems).values() {
        let first = group[0];
        writeln!(out, "{} ({})", text(&first.rule), text(&first.origin))?;
        for p in group {
            writeln!(out, "  {}: {}", p.check.as_str(), text(&p.message))?;
            if let Some(ex) = &p.example {
                let mut shown: String = ex.chars().take(SHOWN).collect();
                if shown.len() < ex.len() {
                    shown.push('…');
                }
                writeln!(out, "    example: {}", text(&shown))?;
            }
        }
    }
    if !problems.is_empty() {
        writeln!(out)?;
    }
    writeln!(
        out,
        "{checked} rules checked, {} problem{}",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    )
}

/// The category of a rule from the file it came from: the folder under
/// `rules/` (`cloud/aws.toml` is in `cloud`); empty for a user's rule file.
fn category(origin: &str) -> &str {
    origin.split_once('/').map_or("", |(c, _)| c)
}

/// Whether `path` names standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The git sources: `--staged` (the index) or `--git` (history) of the
/// repository at the one PATH given, or the current one. `suppressor` tells
/// them where a secret is hidden: a staged rename out of such a path, and
/// in a range a secret that A holds only at such paths, are new.
fn collect_git(engine: &Engine, args: &ScanArgs, suppressor: &Suppressor) -> Result<Collected> {
    use source::git;
    if args.paths.len() > 1 {
        bail!("--staged and --git take at most one PATH (the repository)");
    }
    let at = args.paths.first().map(PathBuf::as_path);
    if at.is_some_and(is_stdin) {
        bail!("--staged and --git cannot read standard input");
    }
    let repo = if args.staged {
        git::open_staged(at)?
    } else {
        git::open(at)?
    };
    if args.staged {
        let opts = git::staged::StagedOptions {
            all_lines: args.all_lines,
            max_file_size: args.walk.max_file_size,
        };
        let (findings, stats) = git::staged::scan(&repo, engine, &opts, Some(suppressor))?;
        return Ok(Collected {
            findings,
            stats,
            ..Collected::default()
        });
    }
    let opts = git::history::HistoryOptions {
        branch: args.branch.clone(),
        range: args.range.clone(),
        since: args.since,
        max_file_size: args.walk.max_file_size,
        threads: crate::cli::effective_threads(args.walk.threads),
        progress: std::io::stderr().is_terminal(),
        keep_comment_allowed: args.range.is_some() && !args.trust_range_allow_comments,
        reveal: args.no_redact,
    };
    let judge = args
        .range
        .is_some()
        .then_some(suppressor as &dyn source::PathSuppression);
    let scan = git::history::scan(repo.path(), engine, &opts, judge)?;
    Ok(Collected {
        findings: scan.findings,
        stats: scan.stats,
        notes: scan.notes,
        comment_allowed: scan.comment_allowed,
    })
}

fn hook(args: HookArgs) -> Result<ExitCode> {
    let repo = source::git::open(None)?;
    let outcome = match args.action {
        HookAction::Install { force } => crate::hook::install(&repo, force)?,
        HookAction::Uninstall => crate::hook::uninstall(&repo)?,
    };
    println!("leakhound: {outcome}");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(severity: Severity) -> Finding {
        Finding {
            rule_id: "r".into(),
            rule_name: "R".into(),
            severity,
            path: "p".into(),
            path_bytes: None,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            secret: "s".into(),
            secret_sha1: "h".into(),
            commit: None,
            blob: None,
            details: Vec::new(),
            reason: None,
            appearances: Vec::new(),
        }
    }

    #[test]
    fn gate_fails_at_or_above_the_threshold() {
        let low = [finding(Severity::Low)];
        let mixed = [finding(Severity::Low), finding(Severity::High)];
        assert_eq!(gate(&[], None, 1), 0);
        assert_eq!(gate(&low, None, 1), 1, "any finding fails by default");
        assert_eq!(gate(&low, Some(Severity::High), 1), 0);
        assert_eq!(gate(&low, Some(Severity::Low), 3), 3);
        assert_eq!(gate(&mixed, Some(Severity::High), 3), 3);
        assert_eq!(gate(&mixed, Some(Severity::Critical), 3), 0);
    }
}
