//! Suppression: what keeps a match from being reported, and which
//! suppressions suppressed nothing.
//!
//! Inline allow comments ([`inline`]) act while a buffer is scanned, because
//! they need its text. Everything else acts on findings, after any source
//! (tree, stdin, git) produced them: config allowlists and waivers
//! ([`crate::config`]) and the `.secrets.baseline` ([`baseline`]). All of it
//! keys on content, never on line numbers (see [`crate::finding`]).

pub mod baseline;
pub mod inline;
pub mod range;

use std::collections::HashMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;

use crate::config::Config;
use crate::finding::Finding;
use baseline::Baseline;

/// Finds the repository root for `start`: the nearest ancestor holding
/// `.git` (a directory, or a file in worktrees and submodules); without one,
/// `start` itself (its directory if it is a file). The result is canonical.
pub fn repo_root(start: &Path) -> PathBuf {
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    let dir = if start.is_file() {
        start.parent().map(Path::to_path_buf).unwrap_or(start)
    } else {
        start
    };
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
        .unwrap_or(dir)
}

/// Maps finding paths (as sources report them: relative to the working
/// directory, or absolute) to repository-relative `/`-separated paths, the
/// form baselines and path allowlists use.
#[derive(Debug, Clone)]
pub struct PathMapper {
    pub root: PathBuf,
    cwd: PathBuf,
}

impl PathMapper {
    /// A mapper for the repository at `root` (canonical).
    pub fn new(root: PathBuf) -> PathMapper {
        let cwd = std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .unwrap_or_default();
        PathMapper { root, cwd }
    }

    /// The repository-relative form of `finding_path`; paths outside the repository,
    /// `<stdin>`, and paths of history findings (already repository-relative)
    /// are returned unchanged.
    pub fn relative(&self, finding_path: &str, from_git: bool) -> String {
        if from_git || finding_path.starts_with('<') {
            return finding_path.to_string();
        }
        self.relative_path(Path::new(finding_path))
            .unwrap_or_else(|| finding_path.to_string())
    }

    /// The repository-relative form of a finding's path, as
    /// [`PathMapper::relative`] gives it; a name that is not UTF-8 is
    /// resolved by its bytes and given in its escaped form (`bad\xff.txt`),
    /// the key baselines and path allowlists match.
    pub fn relative_finding(&self, f: &Finding) -> String {
        let from_git = f.commit.is_some() || f.blob.is_some();
        match &f.path_bytes {
            Some(raw) if !from_git => self
                .relative_path(&crate::finding::path_of_bytes(raw))
                .unwrap_or_else(|| f.path.clone()),
            _ => self.relative(&f.path, from_git),
        }
    }

    /// `p` relative to the root, `None` when it is outside.
    fn relative_path(&self, p: &Path) -> Option<String> {
        let abs = if p.is_absolute() {
            p.to_path_buf()
        } else {
            // Relative to the working directory, as the tree walk reports; a
            // path that only exists under the root is already root-relative
            // (git sources run from a subdirectory).
            let here = self.cwd.join(p);
            let at_root = self.root.join(p);
            if !here.exists() && at_root.exists() {
                at_root
            } else {
                here
            }
        };
        let abs = std::fs::canonicalize(&abs).unwrap_or_else(|_| normalize(&abs));
        let rel = abs.strip_prefix(&self.root).ok()?;
        let raw = rel
            .components()
            .map(|c| c.as_os_str().as_encoded_bytes())
            .collect::<Vec<_>>()
            .join(&b'/');
        Some(
            crate::finding::ScanPath::from_bytes(&raw)
                .as_str()
                .to_string(),
        )
    }

    /// The repository-relative path of a file on disk.
    pub fn relative_file(&self, path: &Path) -> String {
        self.relative(&path.to_string_lossy(), false)
    }
}

/// Resolves `.` and `..` without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A suppression that suppressed nothing (`--report-unused`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unused {
    /// A baseline entry whose secret no longer occurs in its file.
    BaselineEntry {
        baseline: String,
        filename: String,
        line: Option<u64>,
        hashed_secret: String,
    },
    /// An inline allow comment on a line (or before a line) with no finding.
    AllowComment { path: String, line: usize },
    /// A config allowlist entry that matched no finding.
    ConfigEntry {
        config: String,
        line: usize,
        what: String,
    },
}

impl fmt::Display for Unused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unused::BaselineEntry {
                baseline,
                filename,
                line,
                hashed_secret,
            } => {
                let line = line.map_or(String::new(), |l| format!(":{l}"));
                write!(
                    f,
                    "unused suppression: {baseline}: entry for {filename}{line} (hashed_secret {}…): the secret is gone",
                    &hashed_secret[..hashed_secret.len().min(12)]
                )
            }
            Unused::AllowComment { path, line } => write!(
                f,
                "unused suppression: {path}:{line}: allow comment with no finding to allow"
            ),
            Unused::ConfigEntry { config, line, what } => write!(
                f,
                "unused suppression: {config}:{line}: {what} matched no finding"
            ),
        }
    }
}

/// What the post-scan suppression step decided.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings to report.
    pub findings: Vec<Finding>,
    /// Notes for the report (expired waivers).
    pub notes: Vec<String>,
    /// Suppressions that suppressed nothing (inline ones come from the scan).
    pub unused: Vec<Unused>,
    /// How many findings were suppressed.
    pub suppressed: usize,
}

/// The suppressions of one scan, resolved once: config allowlists and
/// waivers, the baseline, and where the repository is.
#[derive(Debug)]
pub struct Suppressor {
    pub paths: PathMapper,
    pub config: Config,
    /// The baseline and the path it was read from.
    pub baseline: Option<(PathBuf, Baseline)>,
    /// The day waivers are judged against.
    pub today: NaiveDate,
    /// Baseline entries by file name, then hashed secret: their indices.
    index: HashMap<String, HashMap<String, Vec<usize>>>,
}

impl Suppressor {
    /// The suppressor of `config` and `baseline` for the repository `paths` maps to.
    pub fn new(
        paths: PathMapper,
        config: Config,
        baseline: Option<(PathBuf, Baseline)>,
        today: NaiveDate,
    ) -> Suppressor {
        let mut index: HashMap<String, HashMap<String, Vec<usize>>> = HashMap::new();
        if let Some((_, b)) = &baseline {
            for (i, e) in b.entries.iter().enumerate() {
                index
                    .entry(e.filename.clone())
                    .or_default()
                    .entry(e.hashed_secret.clone())
                    .or_default()
                    .push(i);
            }
        }
        Suppressor {
            paths,
            config,
            baseline,
            today,
            index,
        }
    }

    /// Whether anything suppresses by path: allow paths or baseline entries.
    fn judges_paths(&self) -> bool {
        !self.config.allow_paths.is_empty() || !self.index.is_empty()
    }

    /// Whether the allow paths or baseline entries hide `f` were it at the
    /// repository-relative `rel`; marks what matched in `used` (allow
    /// paths, baseline entries).
    fn hidden_at(&self, f: &Finding, rel: &str, used: Option<(&mut [bool], &mut [bool])>) -> bool {
        let mut hidden = false;
        let (mut used_paths, mut used_entries) = match used {
            Some((p, e)) => (Some(p), Some(e)),
            None => (None, None),
        };
        for (i, g) in self.config.allow_paths.iter().enumerate() {
            if g.value.is_match(rel) {
                hidden = true;
                match used_paths.as_deref_mut() {
                    Some(u) => u[i] = true,
                    None => return true,
                }
            }
        }
        if let Some(by_hash) = self.index.get(rel) {
            for h in baseline::candidate_hashes(&f.secret) {
                if let Some(list) = by_hash.get(&h) {
                    hidden = true;
                    match used_entries.as_deref_mut() {
                        Some(u) => list.iter().for_each(|&i| u[i] = true),
                        None => return true,
                    }
                }
            }
        }
        hidden
    }

    /// Applies config allowlists, waivers and the baseline to `findings`.
    ///
    /// A finding with several appearances (a history finding whose blob
    /// occupies several paths) is suppressed only when it is suppressed at
    /// every one of them; otherwise it is reported once, at the first (in
    /// walk order) where it is not, with that appearance's commit. Such
    /// findings that land on one (rule, secret, path) are reported once,
    /// at the earliest commit.
    pub fn apply(&self, findings: Vec<Finding>) -> Outcome {
        let c = &self.config;
        let mut used_paths = vec![false; c.allow_paths.len()];
        let mut used_regexes = vec![false; c.allow_regexes.len()];
        let mut used_stop = vec![false; c.stopwords.len()];
        let mut used_waivers = vec![false; c.waivers.len()];
        let entries = self
            .baseline
            .as_ref()
            .map_or(&[][..], |(_, b)| &b.entries[..]);
        let mut used_entries = vec![false; entries.len()];

        // Mapping a path costs a `canonicalize`: only when something uses it.
        let need_rel = self.judges_paths();
        // Re-placed history findings: (rule, secret, path) -> (index, order).
        let mut placed: HashMap<(String, String, Vec<u8>), (usize, u32)> = HashMap::new();
        let mut out = Outcome::default();
        for mut f in findings {
            let mut suppressed = false;
            for (i, r) in c.allow_regexes.iter().enumerate() {
                if r.value.is_match(f.secret.as_bytes()) {
                    used_regexes[i] = true;
                    suppressed = true;
                }
            }
            let lower = f.secret.to_ascii_lowercase();
            for (i, s) in c.stopwords.iter().enumerate() {
                if lower.contains(&s.value) {
                    used_stop[i] = true;
                    suppressed = true;
                }
            }
            let mut expired = Vec::new();
            for (i, w) in c.waivers.iter().enumerate() {
                if w.sha1 != f.secret_sha1 {
                    continue;
                }
                used_waivers[i] = true;
                match w.expires {
                    Some(day) if day < self.today => expired.push((w, day)),
                    _ => suppressed = true,
                }
            }
            // By path: its own, then its other appearances, until one is
            // not hidden. The own path is always checked (unused entries).
            let from_git = f.commit.is_some() || f.blob.is_some();
            let mut chosen = None;
            for k in 0..f.appearances.len().max(1) {
                let rel = match k {
                    _ if !need_rel => String::new(),
                    0 => self.paths.relative_finding(&f),
                    _ => self.paths.relative(&f.appearances[k].path, from_git),
                };
                let used = (&mut used_paths[..], &mut used_entries[..]);
                if !self.hidden_at(&f, &rel, Some(used)) {
                    chosen = Some(k);
                    break;
                }
                if suppressed {
                    break;
                }
            }
            let order = chosen.and_then(|k| f.appearances.get(k)).map(|a| a.order);
            if let Some(k) = chosen.filter(|&k| k > 0) {
                let a = f.appearances.swap_remove(k);
                f.set_path(&a.path);
                f.commit = a.commit;
            }
            for (w, day) in expired {
                out.notes.push(format!(
                    "{}:{}: the waiver for this {} secret (sha1 {}…, {}:{}) expired on {day}{}",
                    f.shown_path(),
                    f.line,
                    f.rule_id,
                    &w.sha1[..12],
                    c.display(),
                    w.line,
                    if w.reason.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", w.reason)
                    }
                ));
            }
            if suppressed || chosen.is_none() {
                out.suppressed += 1;
                continue;
            }
            f.appearances = Vec::new();
            let Some(order) = order else {
                out.findings.push(f);
                continue;
            };
            let key = (
                f.rule_id.clone(),
                f.secret_sha1.clone(),
                f.raw_path().to_vec(),
            );
            match placed.get_mut(&key) {
                Some((i, o)) if *o > order => {
                    out.findings[*i] = f;
                    *o = order;
                }
                Some(_) => {}
                None => {
                    placed.insert(key, (out.findings.len(), order));
                    out.findings.push(f);
                }
            }
        }

        let config_name = c.display();
        let mut unused_config = |what: String, line: usize| {
            out.unused.push(Unused::ConfigEntry {
                config: config_name.clone(),
                line,
                what,
            })
        };
        for (g, used) in c.allow_paths.iter().zip(&used_paths) {
            if !used {
                unused_config(format!("allow path {:?}", g.text), g.line);
            }
        }
        for (r, used) in c.allow_regexes.iter().zip(&used_regexes) {
            if !used {
                unused_config(format!("allow regex {:?}", r.text), r.line);
            }
        }
        for (s, used) in c.stopwords.iter().zip(&used_stop) {
            if !used {
                unused_config(format!("stopword {:?}", s.text), s.line);
            }
        }
        for (w, used) in c.waivers.iter().zip(&used_waivers) {
            if !used {
                unused_config(format!("waiver for sha1 {}…", &w.sha1[..12]), w.line);
            }
        }
        if let Some((path, _)) = &self.baseline {
            let mut texts: HashMap<&str, Option<String>> = HashMap::new();
            for (e, used) in entries.iter().zip(&used_entries) {
                if *used {
                    continue;
                }
                let text = texts
                    .entry(&e.filename)
                    .or_insert_with(|| read_entry_file(&self.paths.root, &e.filename));
                let present = text
                    .as_deref()
                    .is_some_and(|t| baseline::text_contains_hash(t, &e.hashed_secret));
                if !present {
                    out.unused.push(Unused::BaselineEntry {
                        baseline: path.display().to_string(),
                        filename: e.filename.clone(),
                        line: e.line_number,
                        hashed_secret: e.hashed_secret.clone(),
                    });
                }
            }
        }
        out
    }
}

impl crate::source::PathSuppression for Suppressor {
    /// Whether config allowlists, an unexpired waiver or the baseline would
    /// suppress `finding` were it at the repository-relative `path`.
    fn hides_at(&self, f: &Finding, path: &str) -> bool {
        let c = &self.config;
        let lower = f.secret.to_ascii_lowercase();
        c.allow_regexes
            .iter()
            .any(|r| r.value.is_match(f.secret.as_bytes()))
            || c.stopwords.iter().any(|s| lower.contains(&s.value))
            || c.waivers
                .iter()
                .any(|w| w.sha1 == f.secret_sha1 && w.expires.is_none_or(|day| day >= self.today))
            || (self.judges_paths() && self.hidden_at(f, path, None))
    }
}

/// Where a scan's suppressions come from, as the command line says.
#[derive(Debug, Clone, Default)]
pub struct Sources<'a> {
    /// A path the scan reads; the repository root is found from it.
    pub start: Option<&'a Path>,
    /// `--baseline`: must exist.
    pub baseline: Option<&'a Path>,
    /// `--no-baseline`.
    pub no_baseline: bool,
    /// `--config`: must exist.
    pub config: Option<&'a Path>,
}

/// Resolves the repository root, the config and the baseline once:
/// `.leakhound.toml` and `.secrets.baseline` at the root are used when they
/// exist; files named explicitly must exist. Returns the effective rules and
/// the suppressor. Errors name the file and position.
///
/// A `.secrets.baseline` at the root that is not a regular file (a symbolic
/// link, a FIFO, a device) is not opened: the scan goes on without it and
/// the returned notes say so. One named with `--baseline` must be a regular
/// file.
pub fn resolve(
    src: &Sources,
    builtin: crate::rules::RuleSet,
) -> anyhow::Result<(crate::rules::RuleSet, Suppressor, Vec<String>)> {
    let start = src.start.unwrap_or(Path::new("."));
    let root = repo_root(start);
    let config = load_config(&root, src.config)?;
    let rules = config.apply_to(builtin)?;
    let baseline_file = match src.baseline {
        Some(p) => Some(p.to_path_buf()),
        None => Some(root.join(baseline::BASELINE_FILE))
            .filter(|p| std::fs::symlink_metadata(p).is_ok()),
    };
    let mut notes = Vec::new();
    let baseline = match &baseline_file {
        Some(p) if !src.no_baseline => {
            let checked = crate::safe_read::check_regular(p, crate::safe_read::Links::Refuse);
            match checked {
                Err(e) if src.baseline.is_none() => {
                    notes.push(format!(
                        "{}: {e}: not read; the scan used no baseline",
                        p.display()
                    ));
                    None
                }
                _ => Some((p.clone(), Baseline::load(p)?)),
            }
        }
        _ => None,
    };
    Ok((
        rules,
        Suppressor::new(
            PathMapper::new(root),
            config,
            baseline,
            chrono::Local::now().date_naive(),
        ),
        notes,
    ))
}

/// The suppressions of a range scan (`--range A..B`), resolved once.
pub struct RangeSuppression {
    /// The effective rules (with the config that was chosen).
    pub rules: crate::rules::RuleSet,
    pub suppressor: Suppressor,
    /// Call-outs: the range edits a suppression file, and which version is used.
    pub notes: Vec<String>,
    /// What B's own config and baseline would do, when the range changes
    /// them and A's are used: findings it suppresses are called out.
    pub b_side: Option<Suppressor>,
    /// The suppression files the range changes (for messages).
    pub changed: Vec<&'static str>,
}

/// Resolves a range scan's suppressions: `--config` / `--baseline` when
/// given, else `.leakhound.toml` and `.secrets.baseline` from A's tree, or
/// from B's with `trust` (`--trust-range-config`). The working tree is never
/// read for them: in a range scan it is the change under test.
pub fn resolve_range(
    src: &Sources,
    ends: &range::RangeEnds,
    trust: bool,
    builtin: crate::rules::RuleSet,
) -> anyhow::Result<RangeSuppression> {
    use range::{RangeEnds, TreeFile};
    let root = repo_root(src.start.unwrap_or(Path::new(".")));
    let (a, b) = (ends.a, ends.b);
    let side = if trust { b } else { a };
    let config_file = crate::config::CONFIG_FILE;
    let baseline_file = baseline::BASELINE_FILE;
    let shown = |at, file: &str| format!("{}:{file}", RangeEnds::short(at));
    let cfg = [ends.file(a, config_file)?, ends.file(b, config_file)?];
    let bl = [ends.file(a, baseline_file)?, ends.file(b, baseline_file)?];
    let picked = |pair: &[TreeFile; 2]| {
        if trust {
            pair[1].clone()
        } else {
            pair[0].clone()
        }
    };
    let mut notes = Vec::new();

    let parse_config = |f: &TreeFile, at| -> Result<Config, crate::config::ConfigError> {
        match f.text() {
            Some(text) => {
                let name = shown(at, config_file);
                let mut c = Config::parse(&name, text)?;
                c.file = Some(PathBuf::from(name));
                Ok(c)
            }
            None => Ok(Config::default()),
        }
    };
    let parse_baseline =
        |f: &TreeFile, at| -> Result<Option<(PathBuf, Baseline)>, baseline::BaselineError> {
            match f.text() {
                Some(text) => {
                    let name = shown(at, baseline_file);
                    Ok(Some((PathBuf::from(&name), Baseline::parse(&name, text)?)))
                }
                None => Ok(None),
            }
        };

    let config = match src.config {
        Some(p) => Config::load(p)?,
        None => parse_config(&picked(&cfg), side)?,
    };
    let rules = config.apply_to(builtin)?;
    let baseline = match src.baseline {
        _ if src.no_baseline => None,
        Some(p) => Some((p.to_path_buf(), Baseline::load(p)?)),
        None => parse_baseline(&picked(&bl), side)?,
    };

    let mut changed = Vec::new();
    for (file, pair, explicit) in [
        (
            config_file,
            &cfg,
            src.config.map(|_| "--config names the config"),
        ),
        (
            baseline_file,
            &bl,
            if src.no_baseline {
                Some("--no-baseline")
            } else {
                src.baseline.map(|_| "--baseline names the baseline")
            },
        ),
    ] {
        if explicit.is_none()
            && let TreeFile::NotAFile { .. } = picked(pair)
        {
            notes.push(format!(
                "{} is not a regular file (a symbolic link?): not read",
                shown(side, file)
            ));
        }
        if pair[0].id() == pair[1].id() {
            continue;
        }
        changed.push(file);
        let how = match (&pair[0], &pair[1]) {
            (TreeFile::Absent, _) => "adds",
            (_, TreeFile::Absent) => "deletes",
            _ => "changes",
        };
        let used = match explicit {
            Some(why) => format!("not used: {why}"),
            None if trust => format!(
                "suppressions are taken from B={} (--trust-range-config)",
                RangeEnds::short(b)
            ),
            None => format!(
                "suppressions are taken from A={}, not from the change",
                RangeEnds::short(a)
            ),
        };
        notes.push(format!("the range {how} {file} ({used})"));
    }

    let today = chrono::Local::now().date_naive();
    // Without trust, what B's own files would suppress is worth saying.
    let b_side = (!trust && !changed.is_empty()).then(|| {
        let config = match src.config {
            Some(_) => Config::default(),
            None => parse_config(&cfg[1], b).unwrap_or_default(),
        };
        let baseline = match src.baseline {
            Some(_) => None,
            None if src.no_baseline => None,
            None => parse_baseline(&bl[1], b).ok().flatten(),
        };
        Suppressor::new(PathMapper::new(root.clone()), config, baseline, today)
    });
    Ok(RangeSuppression {
        rules,
        suppressor: Suppressor::new(PathMapper::new(root), config, baseline, today),
        notes,
        b_side,
        changed,
    })
}

/// The config `explicit` names, or `.leakhound.toml` at `root` if present,
/// or the empty config.
pub fn load_config(
    root: &Path,
    explicit: Option<&Path>,
) -> Result<Config, crate::config::ConfigError> {
    match explicit {
        Some(p) => Config::load(p),
        None => {
            // Present in any form: read (a FIFO or a device is an error, not
            // a silently missing config).
            let p = root.join(crate::config::CONFIG_FILE);
            if std::fs::symlink_metadata(&p).is_ok() {
                Config::load(&p)
            } else {
                Ok(Config::default())
            }
        }
    }
}

/// Largest file read to check whether a baseline entry's secret is still there.
const MAX_ENTRY_FILE: u64 = 64 << 20;

/// The text of the file a baseline entry names (see [`read_entry_bytes`]).
fn read_entry_file(root: &Path, name: &str) -> Option<String> {
    read_entry_bytes(root, name).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// The bytes of the file a baseline entry names, if it is a regular file of
/// at most [`MAX_ENTRY_FILE`] bytes inside `root`. The baseline comes from
/// the repository being scanned: an entry naming `/dev/zero`, a FIFO or a
/// file outside the repository must not make the scan hang or read it.
///
/// A file name that is not UTF-8 is keyed by its escaped form
/// (`bad\xff.txt`, as reports show it): when no file has the name as
/// written, the name is unescaped ([`crate::report::escape::unescape`]).
pub fn read_entry_bytes(root: &Path, name: &str) -> Option<Vec<u8>> {
    let read = |rel: &Path| -> Option<Vec<u8>> {
        if !rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return None;
        }
        let path = std::fs::canonicalize(root.join(rel)).ok()?;
        let root = std::fs::canonicalize(root).ok()?;
        if !path.starts_with(root) {
            return None;
        }
        crate::safe_read::read_regular(&path, MAX_ENTRY_FILE, crate::safe_read::Links::Refuse).ok()
    };
    if let Some(b) = read(Path::new(name)) {
        return Some(b);
    }
    let raw = crate::report::escape::unescape(name).filter(|r| r != name.as_bytes())?;
    read(&crate::finding::path_of_bytes(&raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_repository_relative() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("src/deep")).unwrap();
        std::fs::write(root.join("src/deep/a.py"), "").unwrap();
        assert_eq!(repo_root(&root.join("src/deep/a.py")), root);
        assert_eq!(repo_root(&root.join("src/deep")), root);
        let m = PathMapper {
            root: root.clone(),
            cwd: root.join("src"),
        };
        assert_eq!(m.relative("deep/a.py", false), "src/deep/a.py");
        assert_eq!(m.relative("../src/./deep/a.py", false), "src/deep/a.py");
        assert_eq!(
            m.relative(&root.join("src/deep/a.py").to_string_lossy(), false),
            "src/deep/a.py"
        );
        assert_eq!(
            m.relative("src/deep/a.py", false),
            "src/deep/a.py",
            "root-relative"
        );
        assert_eq!(m.relative("deep/gone.py", false), "src/deep/gone.py");
        assert_eq!(
            m.relative("any/path.py", true),
            "any/path.py",
            "git paths as they are"
        );
        assert_eq!(m.relative("<stdin>", false), "<stdin>");
        assert_eq!(m.relative("/elsewhere/x.py", false), "/elsewhere/x.py");
    }
}
