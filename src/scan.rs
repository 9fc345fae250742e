//! The scan of one buffer as every source needs it: engine matches, inline
//! allow comments, then findings with line and column; and the check of one
//! file's path against the path rules ([`path_findings`]), which sources run
//! before they skip binary content.

use std::sync::{Arc, Mutex};

use crate::engine::{Engine, Locator};
use crate::finding::{AsScanPath, CommitInfo, Finding, sha1_hex};
use crate::rules::{Severity, details};
use crate::suppress::{baseline, inline};

/// Collects the inline allow comments that allowed nothing, across the
/// buffers of one scan (`--report-unused`). Shared by every worker.
#[derive(Debug, Default)]
pub struct AllowLog {
    unused: Mutex<Vec<(String, usize)>>,
}

impl AllowLog {
    /// The unused comments as (path, line), sorted.
    pub fn into_unused(self) -> Vec<(String, usize)> {
        let mut v = self.unused.into_inner().unwrap_or_else(|e| e.into_inner());
        v.sort();
        v.dedup();
        v
    }
}

/// What the engine's per-buffer caps ([`crate::engine::MAX_MATCHES`],
/// [`crate::engine::REPEATS_KEPT`]) dropped in one file or blob: said in the
/// report, never silent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Capped {
    /// The file or blob's path.
    pub path: String,
    /// Further places of secrets that are reported (nothing lost).
    pub repeats: usize,
    /// Places of secrets that are not reported (past the cap).
    pub dropped: usize,
}

impl Capped {
    /// The cap report of a scan, if its caps dropped anything.
    pub fn of(path: &str, scanned: &crate::engine::Scanned) -> Option<Capped> {
        (scanned.repeats_dropped > 0 || scanned.dropped > 0).then(|| Capped {
            path: path.to_string(),
            repeats: scanned.repeats_dropped,
            dropped: scanned.dropped,
        })
    }
}

impl std::fmt::Display for Capped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: ", self.path)?;
        if self.repeats > 0 {
            write!(
                f,
                "{} more places of secrets reported above are not listed (after the first {} findings of this file)",
                self.repeats,
                crate::engine::REPEATS_KEPT
            )?;
        }
        if self.dropped > 0 {
            if self.repeats > 0 {
                write!(f, "; ")?;
            }
            write!(
                f,
                "{} matches past the cap of {} findings per file are not reported",
                self.dropped,
                crate::engine::MAX_MATCHES
            )?;
        }
        Ok(())
    }
}

/// One buffer's findings (of type `T`), and what the caps dropped.
#[derive(Debug)]
pub struct Found<T = Finding> {
    pub findings: Vec<T>,
    pub capped: Option<Capped>,
}

impl<T> Default for Found<T> {
    fn default() -> Self {
        Found {
            findings: Vec::new(),
            capped: None,
        }
    }
}

/// Turns one buffer into findings: runs the engine, drops matches allowed by
/// an inline comment, and locates the rest. A buffer that is a detect-secrets
/// baseline has none ([`Baselines::Exempt`]).
pub fn buffer_findings(
    engine: &Engine,
    path: &(impl AsScanPath + ?Sized),
    buf: &[u8],
    commit: Option<&Arc<CommitInfo>>,
) -> Found {
    scan_buffer(engine, path, buf, commit, None)
}

/// [`buffer_findings`], also recording in `log` the allow comments of the
/// buffer that sit on (or before) no match of any rule.
pub fn scan_buffer(
    engine: &Engine,
    path: &(impl AsScanPath + ?Sized),
    buf: &[u8],
    commit: Option<&Arc<CommitInfo>>,
    log: Option<&AllowLog>,
) -> Found {
    let scanned = engine.scan_counted(buf);
    if let Some(log) = log {
        record_unused(log, path, buf, &scanned.matches);
    }
    if exempt_baseline(Baselines::Exempt, buf, &scanned.matches) {
        return Found::default();
    }
    let capped = Capped::of(path.text(), &scanned);
    Found {
        findings: locate(engine, path, buf, commit, scanned.matches, false)
            .into_iter()
            .map(|(f, _)| f)
            .collect(),
        capped,
    }
}

/// How a buffer that is a detect-secrets baseline is read (see
/// [`baseline::is_baseline`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baselines {
    /// Read as the baseline it is, not scanned for secrets: a tree, the
    /// staged index, standard input, a whole history, and the base of a
    /// range (an unchanged baseline).
    Exempt,
    /// Scanned, except the entries' own `hashed_secret` values: the blobs a
    /// range adds or changes, so that a branch cannot hide keys in a file
    /// that parses as a baseline.
    HashesOnly,
}

/// Whether the buffer's matches are all dropped because the buffer is a
/// detect-secrets baseline read under `mode`. Parsed only for a buffer with
/// matches that starts like one.
fn exempt_baseline(mode: Baselines, buf: &[u8], matches: &[crate::engine::Match]) -> bool {
    mode == Baselines::Exempt && !matches.is_empty() && baseline::is_baseline(buf)
}

/// Like [`buffer_findings`], but keeps the matches an inline allow comment
/// allows, flagged `true`: a range scan decides about them later (comments a
/// change adds must not open the gate on their own); and reads a buffer that
/// is a detect-secrets baseline as `baselines` says.
pub fn buffer_findings_flagged(
    engine: &Engine,
    path: &(impl AsScanPath + ?Sized),
    buf: &[u8],
    commit: Option<&Arc<CommitInfo>>,
    baselines: Baselines,
) -> Found<(Finding, bool)> {
    let scanned = engine.scan_counted(buf);
    if exempt_baseline(baselines, buf, &scanned.matches) {
        return Found::default();
    }
    let capped = Capped::of(path.text(), &scanned);
    Found {
        findings: locate(engine, path, buf, commit, scanned.matches, true),
        capped,
    }
}

/// Findings for `matches`, each with whether an inline comment allows it;
/// allowed ones are dropped unless `keep_allowed`. In a buffer that is a
/// detect-secrets baseline, matches that are its entries' hashes are dropped
/// (see [`baseline::hash_matches`]).
fn locate(
    engine: &Engine,
    path: &(impl AsScanPath + ?Sized),
    buf: &[u8],
    commit: Option<&Arc<CommitInfo>>,
    matches: Vec<crate::engine::Match>,
    keep_allowed: bool,
) -> Vec<(Finding, bool)> {
    if matches.is_empty() {
        return Vec::new();
    }
    let hashes = baseline::hash_matches(buf, &matches);
    let mut loc = Locator::new(buf);
    let mut allow = inline::AllowChecker::new(buf);
    let mut out = Vec::with_capacity(matches.len());
    let now = chrono::Utc::now().timestamp();
    for (i, m) in matches.into_iter().enumerate() {
        // A baseline's own hashes are not secrets (whatever the file's name).
        if hashes.as_ref().is_some_and(|h| h[i]) {
            continue;
        }
        let allowed = allow.is_allowed(m.start);
        if allowed && !keep_allowed {
            continue;
        }
        let finding = to_finding(engine, path, buf, &m, &mut loc, commit, now);
        out.push((finding, allowed));
    }
    out
}

/// The path-rule finding of one file, if any (see [`Engine::scan_path`]):
/// `raw` is the file's bytes, `text` their text when the file is not binary
/// (UTF-16 decoded), else `None` and the rule's regex searches `raw`.
///
/// A path rule without a regex reports at line 1, column 1, with the SHA-1
/// hex of the file's bytes as its secret: a baseline entry then holds while
/// the file is unchanged, and a replaced key file is a new finding. A path
/// rule with a regex reports where its regex matched, with that secret.
///
/// `content_worst` is the most severe finding the content rules made in the
/// same file: the path finding is kept only when it outranks it, so a `.env`
/// whose secrets rules already named is not flagged twice, while a key file
/// whose block does not parse (a low content finding) stays a high finding.
pub fn path_findings(
    engine: &Engine,
    path: &(impl AsScanPath + ?Sized),
    raw: &[u8],
    text: Option<&[u8]>,
    commit: Option<&Arc<CommitInfo>>,
    content_worst: Option<Severity>,
) -> Vec<Finding> {
    let buf = text.unwrap_or(raw);
    let Some(m) = engine.scan_path(path.text(), raw, buf) else {
        return Vec::new();
    };
    if inline::is_allowed(buf, m.start) {
        return Vec::new();
    }
    let finding = to_finding(
        engine,
        path,
        buf,
        &m,
        &mut Locator::new(buf),
        commit,
        chrono::Utc::now().timestamp(),
    );
    if content_worst.is_some_and(|w| finding.severity <= w) {
        return Vec::new();
    }
    vec![finding]
}

/// The finding for match `m` in `buf`: where it is, what it is, and its
/// structural details (which may lower its rule's severity).
fn to_finding(
    engine: &Engine,
    path: &(impl AsScanPath + ?Sized),
    buf: &[u8],
    m: &crate::engine::Match,
    loc: &mut Locator,
    commit: Option<&Arc<CommitInfo>>,
    now: i64,
) -> Finding {
    let rule = &engine.rules()[m.rule];
    let (line, column) = loc.locate(m.start);
    let (end_line, end_column) = loc.locate_from(m.start, (line, column), m.end);
    let secret = m.secret(buf);
    // The whole match, for checks that read around the secret (a PEM
    // block's label); a decoded secret has only itself.
    let whole = match m.decoded {
        Some(_) => secret,
        None => &buf[m.match_start..m.match_end],
    };
    let details = details::inspect(rule.validator(), secret, whole, now);
    let mut severity = details.severity(rule.spec.severity);
    // A known public example (kept only when the engine is asked to keep
    // them) is `info`; a context the rule names lowers it with its reason.
    let mut reason = None;
    if let Some(ex) = engine.rule_set().public_examples().find(secret) {
        severity = Severity::Info;
        reason = Some(ex.reason());
    } else if m.decoded.is_none()
        && let Some(lw) = rule.lowered(buf, m.start, m.end)
        && lw.severity < severity
    {
        severity = lw.severity;
        reason = Some(lw.shown_reason());
    }
    Finding {
        rule_id: rule.spec.id.clone(),
        rule_name: rule.spec.name.clone(),
        severity,
        path: path.text().to_string(),
        path_bytes: path.non_utf8().cloned(),
        line,
        column,
        end_line,
        end_column,
        secret: String::from_utf8_lossy(secret).into_owned(),
        secret_sha1: sha1_hex(secret),
        commit: commit.cloned(),
        blob: None,
        details: details.facts,
        reason,
        appearances: Vec::new(),
    }
}

/// Every finding of one file: the content scan ([`scan_buffer`]) when it is
/// text, and its path-rule finding ([`path_findings`]) when it outranks them.
pub fn file_findings(
    engine: &Engine,
    path: &(impl AsScanPath + ?Sized),
    raw: &[u8],
    text: Option<&[u8]>,
    log: Option<&AllowLog>,
) -> Found {
    let mut out = match text {
        Some(text) => scan_buffer(engine, path, text, None, log),
        None => Found::default(),
    };
    let worst = out.findings.iter().map(|f| f.severity).max();
    out.findings
        .extend(path_findings(engine, path, raw, text, None, worst));
    out
}

/// The text of every match the engine finds in `buf` (the secret, and the
/// encoded text of a decoded one): what [`redact_text`] must hide elsewhere.
pub fn match_texts(engine: &Engine, buf: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for m in engine.scan(buf) {
        out.push(String::from_utf8_lossy(m.secret(buf)).into_owned());
        if m.decoded.is_some() {
            out.push(String::from_utf8_lossy(&buf[m.start..m.end]).into_owned());
        }
    }
    out.retain(|t| !t.is_empty());
    out
}

/// `text` with its secrets redacted as reports redact a finding's secret
/// ([`crate::finding::redact`]): every match the engine finds in `text`
/// itself, and every occurrence of the `known` secrets (found in a larger
/// text that `text` comes from, such as a commit message's summary).
pub fn redact_text(engine: &Engine, text: &str, known: &[String]) -> String {
    let mut spans: Vec<(usize, usize)> = engine
        .scan(text.as_bytes())
        .iter()
        .map(|m| (m.start, m.end))
        .collect();
    for k in known {
        spans.extend(
            text.match_indices(k.as_str())
                .map(|(i, s)| (i, i + s.len())),
        );
    }
    if spans.is_empty() {
        return text.to_string();
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut i = 0;
    while i < spans.len() {
        let (mut start, mut end) = spans[i];
        i += 1;
        while i < spans.len() && spans[i].0 <= end {
            end = end.max(spans[i].1);
            i += 1;
        }
        start = start.max(at);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while end < text.len() && !text.is_char_boundary(end) {
            end += 1;
        }
        let end = end.min(text.len());
        if start >= end {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&crate::finding::redact(&text[start..end]));
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

fn record_unused(
    log: &AllowLog,
    path: &(impl AsScanPath + ?Sized),
    buf: &[u8],
    matches: &[crate::engine::Match],
) {
    let markers = inline::markers(buf);
    if markers.is_empty() {
        return;
    }
    let mut loc = Locator::new(buf);
    let lines: Vec<usize> = matches.iter().map(|m| loc.locate(m.start).0).collect();
    let mut unused: Vec<(String, usize)> = markers
        .iter()
        .filter(|m| !lines.contains(&m.target))
        .map(|m| (shown(path), m.line))
        .collect();
    if !unused.is_empty() {
        let mut all = log.unused.lock().unwrap_or_else(|e| e.into_inner());
        all.append(&mut unused);
    }
}

/// A path as messages show it: escaped ([`crate::report::escape`]).
fn shown(path: &(impl AsScanPath + ?Sized)) -> String {
    match path.non_utf8() {
        Some(raw) => crate::report::escape::bytes(raw).into_owned(),
        None => crate::report::escape::text(path.text()).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_text_hides_found_and_known_secrets() {
        let engine = Engine::new(crate::rules::RuleSet::builtin().unwrap());
        let key = format!("sk_{}_Zq81bT0pLmW4vXs7Kd2Rn6Yc", "live");
        let text = format!("rotate: new key is {key} (\u{e9}t\u{e9} ok) and {key}");
        let out = redact_text(&engine, &text, &[]);
        assert_eq!(
            out,
            "rotate: new key is sk_live_***** (\u{e9}t\u{e9} ok) and sk_live_*****"
        );
        // Known from elsewhere (a message the summary comes from), overlapping
        // what is found, not on a character boundary.
        let known = ["\u{e9}t\u{e9}".to_string(), key[3..12].to_string()];
        let out = redact_text(&engine, &text, &known);
        assert_eq!(
            out,
            "rotate: new key is sk_live_***** (***** ok) and sk_live_*****"
        );
        assert_eq!(redact_text(&engine, "plain", &known), "plain");
    }
}
