//! Rules are data: the model of one rule, loading rule files (built-in and
//! user-supplied), and the structural validators rules can name.
//!
//! A rule's regex is compiled lazily, the first time one of its keywords hits,
//! so that a scan of a small change pays only for the rules it needs.

pub mod check;
pub mod compiled;
pub mod details;
pub mod precheck;
pub mod public;
pub mod validators;

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

pub use compiled::{RuleCheck, RuleRegex};
use serde::{Deserialize, Serialize};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
}
pub use builtin::BUILTIN_RULE_FILES;

/// How bad a leaked secret of a rule is. Ordered: `Info < Low < ... < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// All severities, most severe first.
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// The lowercase name used in reports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown severity {s:?} (critical, high, medium, low, info)"))
    }
}

/// One rule as written in a rule file (`[[rule]]`). See `rules/README.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub name: String,
    /// The service whose credential this is (`GitLab`, `Stripe`), or the
    /// kind of secret for rules that are not about one service (`Generic`,
    /// `Private keys`). `leakhound rules` groups by it.
    #[serde(default)]
    pub provider: String,
    /// The documentation the rule was written from (the provider's page on
    /// its token format), as `https://` links.
    #[serde(default)]
    pub docs: Vec<String>,
    #[serde(default)]
    pub description: String,
    pub severity: Severity,
    /// Literals for the keyword prefilter. Path rules do not use them.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The content regex. Optional for path rules: without it, a path rule
    /// reports the file on its path alone.
    #[serde(default)]
    pub regex: String,
    /// Globs that make this a *path rule*: it runs only on files whose path
    /// matches one of them (see [`PathMatcher`]).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Globs of paths a path rule skips (`.env.example`).
    #[serde(default)]
    pub path_exclude: Vec<String>,
    /// Percent-decode the secret before filtering it (URL passwords): the
    /// finding's secret is the decoded value.
    #[serde(default)]
    pub url_decode: bool,
    /// Search the alternatives of a regex that starts with an alternation
    /// apart (the same matches, found faster when the alternatives' automata
    /// would multiply each other's states: large generated patterns).
    #[serde(default)]
    pub split_alternatives: bool,
    #[serde(default)]
    pub min_entropy: Option<f64>,
    #[serde(default)]
    pub validator: Option<String>,
    #[serde(default)]
    pub allow: Vec<String>,
    /// Regexes matched against the `name` capture group (the variable a
    /// secret is assigned to); a candidate whose name matches is dropped.
    #[serde(default)]
    pub allow_name: Vec<String>,
    /// Regexes that every `name` group taking part in a match must match
    /// (one of them), or the match is skipped and the search goes on one
    /// byte after its start. This lets a rule's regex use a loose name
    /// pattern (a smaller automaton) with the exact pattern here, and find
    /// what the exact pattern in the regex would find.
    #[serde(default)]
    pub require_name: Vec<String>,
    /// Bytes past the keyword's line that the rule's window extends.
    #[serde(default)]
    pub multiline: usize,
    /// Literals (ASCII case-insensitive): when given, a window extends past
    /// its line (`multiline`) only from a keyword hit that one of them
    /// precedes on its line, within 256 bytes, on a line that ends within
    /// 2 KiB of the hit, as in every multi-line match of the rule (`name:`
    /// before a Kubernetes `value:` line). Other windows are the keyword's
    /// line.
    #[serde(default)]
    pub multiline_if: Vec<String>,
    #[serde(default = "default_true")]
    pub placeholder_filter: bool,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Ids of broader rules this one takes precedence over: where this
    /// rule's secret and one of theirs overlap, only this rule's finding is
    /// kept (`paystack-secret-key` over `stripe-secret-key-live`). Ids of
    /// rules that are not loaded (disabled) are ignored.
    #[serde(default)]
    pub supersedes: Vec<String>,
    #[serde(default)]
    pub remediation: String,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub negative_examples: Vec<Example>,
    /// Contexts in which a finding of the rule is less severe than the
    /// rule says (`[[rule.lower_when]]`): a browser API key in web front-end
    /// config. Checked for findings only.
    #[serde(default)]
    pub lower_when: Vec<LowerWhen>,
}

/// A context that lowers a finding's severity, with the reason reports show.
/// It applies when `before` matches the text of the secret's line that
/// precedes the secret, ending where the secret starts, and `nearby` matches
/// within [`LowerWhen::NEARBY_LINES`] lines either side (each optional, at
/// least one given).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LowerWhen {
    /// The severity such a finding gets (never raises the rule's).
    pub severity: Severity,
    /// Why, for reports and `explain` (name the provider's documentation).
    pub reason: String,
    /// The provider's pages that say so (https links).
    #[serde(default)]
    pub docs: Vec<String>,
    /// Regex on the secret's line before the secret, anchored at its end.
    #[serde(default)]
    pub before: Option<String>,
    /// Regex on the lines around the secret.
    #[serde(default)]
    pub nearby: Option<String>,
}

impl LowerWhen {
    /// How many lines before and after the secret's line `nearby` sees.
    pub const NEARBY_LINES: usize = 12;

    /// The reason as reports show it: the text and the first docs link.
    pub fn shown_reason(&self) -> String {
        match self.docs.first() {
            Some(d) => format!("{} ({d})", self.reason.trim()),
            None => self.reason.trim().to_string(),
        }
    }
}

impl RuleSpec {
    /// Whether this is a path rule (it has `paths` globs).
    pub fn is_path_rule(&self) -> bool {
        !self.paths.is_empty()
    }
}

/// A rule example: a text to scan, or a file (path and content) for path rules.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Example {
    /// Text scanned as a buffer without a path.
    Text(String),
    /// A file: its path (relative, `/`-separated) and its content.
    File {
        path: String,
        #[serde(default)]
        text: String,
    },
}

impl Example {
    /// The example's content (a file example's text).
    pub fn text(&self) -> &str {
        match self {
            Example::Text(t) | Example::File { text: t, .. } => t,
        }
    }

    /// The example as one line for `explain`: the text, or `path: text`.
    pub fn summary(&self) -> String {
        match self {
            Example::Text(t) => t.lines().next().unwrap_or_default().to_string(),
            Example::File { path, text } => {
                let first = text.lines().next().unwrap_or_default();
                if first.is_empty() {
                    format!("file {path}")
                } else {
                    format!("file {path}: {first}")
                }
            }
        }
    }
}

fn default_true() -> bool {
    true
}

/// A rule file: a list of `[[rule]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<RuleSpec>,
    /// Known public example values (`rules/public-examples.toml`).
    #[serde(default)]
    public_example: Vec<public::PublicExampleSpec>,
}

/// An error in a rule file or rule definition, naming where it is.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: rule {id}: {message}")]
    Invalid {
        file: String,
        id: String,
        message: String,
    },
}

/// A rule ready for the engine: its spec plus lazily compiled regexes.
#[derive(Debug)]
pub struct Rule {
    pub spec: RuleSpec,
    /// The file the rule came from (for messages).
    pub origin: String,
    validator: Option<validators::Validator>,
    /// The pattern's syntax tree, parsed once for the regex and its check.
    hir: OnceLock<Option<regex_syntax::hir::Hir>>,
    regex: OnceLock<RuleRegex>,
    check: OnceLock<Option<RuleCheck>>,
    allow: OnceLock<Vec<Regex>>,
    allow_name: OnceLock<Vec<Regex>>,
    require_name: OnceLock<Vec<Regex>>,
    /// Per `lower_when` entry, its (`before`, `nearby`) regexes.
    lower_when: OnceLock<Vec<(Option<Regex>, Option<Regex>)>>,
}

impl Rule {
    /// Checks a spec (everything but compiling its regexes, which is deferred)
    /// and wraps it.
    pub fn new(spec: RuleSpec, origin: &str) -> Result<Rule, RuleError> {
        let invalid = |message: String| RuleError::Invalid {
            file: origin.to_string(),
            id: spec.id.clone(),
            message,
        };
        if spec.id.is_empty()
            || !spec
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(invalid("id must be kebab-case (a-z, 0-9, -)".into()));
        }
        if let Some(bad) = spec.docs.iter().find(|d| !d.starts_with("https://")) {
            return Err(invalid(format!("docs link {bad:?} is not an https:// URL")));
        }
        if spec.is_path_rule() {
            PathMatcher::new([(0, &spec)]).map_err(invalid)?;
        } else {
            if spec.keywords.is_empty() || spec.keywords.iter().any(|k| k.is_empty()) {
                return Err(invalid("needs at least one non-empty keyword".into()));
            }
            if spec.regex.is_empty() {
                return Err(invalid("needs a regex (or `paths` globs)".into()));
            }
            if !spec.path_exclude.is_empty() {
                return Err(invalid("path_exclude needs `paths` globs".into()));
            }
        }
        if !spec.multiline_if.is_empty()
            && (spec.multiline == 0 || spec.multiline_if.iter().any(|l| l.is_empty()))
        {
            return Err(invalid(
                "multiline_if needs `multiline` and non-empty literals".into(),
            ));
        }
        if let Some(e) = spec.min_entropy
            && !(0.0..=8.0).contains(&e)
        {
            return Err(invalid(format!("min_entropy {e} is outside 0..8")));
        }
        for lw in &spec.lower_when {
            if lw.before.is_none() && lw.nearby.is_none() {
                return Err(invalid("lower_when needs `before` or `nearby`".into()));
            }
            if lw.reason.trim().is_empty() {
                return Err(invalid("lower_when needs a reason".into()));
            }
            if lw.severity > spec.severity {
                return Err(invalid(format!(
                    "lower_when severity {} is above the rule's {}",
                    lw.severity, spec.severity
                )));
            }
            if let Some(bad) = lw.docs.iter().find(|d| !d.starts_with("https://")) {
                return Err(invalid(format!("docs link {bad:?} is not an https:// URL")));
            }
        }
        let validator = match &spec.validator {
            None => None,
            Some(name) => Some(validators::Validator::from_name(name).ok_or_else(|| {
                invalid(format!(
                    "unknown validator {name:?} (known: {})",
                    validators::Validator::NAMES.join(", ")
                ))
            })?),
        };
        Ok(Rule {
            spec,
            origin: origin.to_string(),
            validator,
            hir: OnceLock::new(),
            regex: OnceLock::new(),
            check: OnceLock::new(),
            allow: OnceLock::new(),
            allow_name: OnceLock::new(),
            require_name: OnceLock::new(),
            lower_when: OnceLock::new(),
        })
    }

    /// The rule's id.
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// The structural validator, if the rule names one.
    pub fn validator(&self) -> Option<validators::Validator> {
        self.validator
    }

    /// The compiled regex. Rules are checked at load time ([`RuleSet::check_regexes`]
    /// or [`Rule::compile`]), so a failure here cannot happen for a loaded rule
    /// set; an uncompilable pattern matches nothing rather than panicking.
    pub fn regex(&self) -> &RuleRegex {
        self.regex.get_or_init(|| {
            self.hir()
                .and_then(|h| RuleRegex::from_hir(h, self.spec.split_alternatives))
                .unwrap_or_else(|| RuleRegex::new("[^\\x00-\\xff]").expect("empty regex"))
        })
    }

    /// The check every window meets before the regex runs there: the
    /// pattern's pieces around its `secret` group when they are much smaller
    /// than the whole ([`precheck`]), else the whole pattern without its
    /// groups. `None` if it cannot be built (the regex decides alone).
    pub fn check(&self) -> Option<&RuleCheck> {
        self.check
            .get_or_init(|| {
                let hir = self.hir()?;
                match precheck::for_rule(hir) {
                    Some(part) => RuleCheck::part(&part),
                    None => RuleCheck::whole(hir),
                }
            })
            .as_ref()
    }

    /// Heap bytes held by the search caches of the regexes built so far.
    pub fn cache_bytes(&self) -> (usize, usize) {
        (
            self.check
                .get()
                .and_then(|c| c.as_ref())
                .map_or(0, RuleCheck::cache_bytes),
            self.regex.get().map_or(0, RuleRegex::cache_bytes),
        )
    }

    fn hir(&self) -> Option<&regex_syntax::hir::Hir> {
        self.hir
            .get_or_init(|| compiled::parse(&self.spec.regex))
            .as_ref()
    }

    /// The compiled `allow` regexes.
    pub fn allow_regexes(&self) -> &[Regex] {
        compiled_once(&self.allow, &self.spec.allow)
    }

    /// The compiled `allow_name` regexes.
    pub fn allow_name_regexes(&self) -> &[Regex] {
        compiled_once(&self.allow_name, &self.spec.allow_name)
    }

    /// The compiled `require_name` regexes.
    pub fn require_name_regexes(&self) -> &[Regex] {
        compiled_once(&self.require_name, &self.spec.require_name)
    }

    /// The first `lower_when` context that holds for a secret at
    /// `start..end` of `buf` (never for a secret found in decoded text).
    pub fn lowered(&self, buf: &[u8], start: usize, end: usize) -> Option<&LowerWhen> {
        if self.spec.lower_when.is_empty() {
            return None;
        }
        let compiled = self.lower_when.get_or_init(|| {
            let build = |p: &Option<String>, anchored: bool| {
                p.as_ref().and_then(|p| {
                    let p = if anchored {
                        format!("(?:{p})\\z")
                    } else {
                        p.clone()
                    };
                    build_regex(&p).ok()
                })
            };
            self.spec
                .lower_when
                .iter()
                .map(|lw| (build(&lw.before, true), build(&lw.nearby, false)))
                .collect()
        });
        let line = crate::engine::line_span(buf, start).0;
        let mut near_start = line;
        for _ in 0..LowerWhen::NEARBY_LINES {
            if near_start == 0 {
                break;
            }
            near_start = crate::engine::line_span(buf, near_start - 1).0;
        }
        let mut near_end = end.min(buf.len());
        for _ in 0..=LowerWhen::NEARBY_LINES {
            match memchr::memchr(b'\n', &buf[near_end..]) {
                Some(i) => near_end += i + 1,
                None => {
                    near_end = buf.len();
                    break;
                }
            }
        }
        self.spec
            .lower_when
            .iter()
            .zip(compiled)
            .find(|(lw, (before, nearby))| {
                let ok_before = match (&lw.before, before) {
                    (None, _) => true,
                    (Some(_), Some(re)) => re.is_match(&buf[line..start]),
                    (Some(_), None) => false,
                };
                let ok_nearby = match (&lw.nearby, nearby) {
                    (None, _) => true,
                    (Some(_), Some(re)) => re.is_match(&buf[near_start..near_end]),
                    (Some(_), None) => false,
                };
                ok_before && ok_nearby
            })
            .map(|(lw, _)| lw)
    }

    /// Compiles every regex of the rule now, reporting the first error.
    pub fn compile(&self) -> Result<(), RuleError> {
        let invalid = |what: &str, e: regex::Error| RuleError::Invalid {
            file: self.origin.clone(),
            id: self.spec.id.clone(),
            message: format!("bad {what}: {}", one_line(&e.to_string())),
        };
        if !self.spec.regex.is_empty() {
            let re = RuleRegex::new(&self.spec.regex).map_err(|e| invalid("regex", e))?;
            let _ = self.regex.set(re);
        }
        let mut allow = Vec::new();
        for p in &self.spec.allow {
            allow.push(build_regex(p).map_err(|e| invalid("allow regex", e))?);
        }
        let _ = self.allow.set(allow);
        let mut allow_name = Vec::new();
        for p in &self.spec.allow_name {
            allow_name.push(build_regex(p).map_err(|e| invalid("allow_name regex", e))?);
        }
        let _ = self.allow_name.set(allow_name);
        let mut require_name = Vec::new();
        for p in &self.spec.require_name {
            require_name.push(build_regex(p).map_err(|e| invalid("require_name regex", e))?);
        }
        let _ = self.require_name.set(require_name);
        for lw in &self.spec.lower_when {
            for p in lw.before.iter().chain(&lw.nearby) {
                build_regex(p).map_err(|e| invalid("lower_when regex", e))?;
            }
        }
        Ok(())
    }
}

/// The `paths` and `path_exclude` globs of path rules, compiled into two
/// glob sets, so that the check of one file costs one match per set whatever
/// the number of rules.
///
/// A glob matches a path's tail made of whole components, case-insensitively:
/// `.env` matches `.env` and `app/.env`, `.aws/credentials` matches
/// `home/.aws/credentials`; `*` does not cross a `/`. Paths are
/// `/`-separated, as sources report them.
#[derive(Debug, Clone, Default)]
pub struct PathMatcher {
    include: globset::GlobSet,
    /// For each include glob, the rule it belongs to.
    include_rule: Vec<usize>,
    exclude: globset::GlobSet,
    exclude_rule: Vec<usize>,
}

impl PathMatcher {
    /// Compiles the globs of `rules`, given as (rule index, spec); the
    /// indices are what [`PathMatcher::rules_for`] returns.
    pub fn new<'a>(
        rules: impl IntoIterator<Item = (usize, &'a RuleSpec)>,
    ) -> Result<PathMatcher, String> {
        let mut include = globset::GlobSetBuilder::new();
        let mut exclude = globset::GlobSetBuilder::new();
        let mut m = PathMatcher::default();
        for (i, spec) in rules {
            for g in &spec.paths {
                include.add(path_glob(g)?);
                m.include_rule.push(i);
            }
            for g in &spec.path_exclude {
                exclude.add(path_glob(g)?);
                m.exclude_rule.push(i);
            }
        }
        let build = |b: globset::GlobSetBuilder| b.build().map_err(|e| e.kind().to_string());
        m.include = build(include)?;
        m.exclude = build(exclude)?;
        Ok(m)
    }

    /// Whether no rule has path globs.
    pub fn is_empty(&self) -> bool {
        self.include_rule.is_empty()
    }

    /// The rules whose `paths` match `path` and whose `path_exclude` do not,
    /// ascending.
    pub fn rules_for(&self, path: &str) -> Vec<usize> {
        if self.is_empty() {
            return Vec::new();
        }
        let cand = globset::Candidate::new(path);
        let mut hits: Vec<usize> = self
            .include
            .matches_candidate(&cand)
            .into_iter()
            .map(|g| self.include_rule[g])
            .collect();
        if hits.is_empty() {
            return hits;
        }
        hits.sort_unstable();
        hits.dedup();
        let excluded: Vec<usize> = self
            .exclude
            .matches_candidate(&cand)
            .into_iter()
            .map(|g| self.exclude_rule[g])
            .collect();
        hits.retain(|r| !excluded.contains(r));
        hits
    }
}

/// One `paths` glob, made to match a tail of whole path components.
fn path_glob(pattern: &str) -> Result<globset::Glob, String> {
    let p = pattern.trim_start_matches("./").trim_start_matches('/');
    if p.is_empty() {
        return Err(format!("empty path glob {pattern:?}"));
    }
    let full = if p.starts_with("**/") {
        p.to_string()
    } else {
        format!("**/{p}")
    };
    globset::GlobBuilder::new(&full)
        .literal_separator(true)
        .case_insensitive(true)
        .build()
        .map_err(|e| format!("bad path glob {pattern:?}: {}", e.kind()))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Compiles a rule regex in the dialect rules are written in: bytes, Unicode off.
pub fn build_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(1 << 24)
        .dfa_size_limit(1 << 26)
        .build()
}

/// `patterns` compiled (through [`build_regex_shared`]) the first time they
/// are asked for; patterns that do not compile are left out (rules are
/// checked at load time).
fn compiled_once<'a>(cell: &'a OnceLock<Vec<Regex>>, patterns: &[String]) -> &'a [Regex] {
    cell.get_or_init(|| {
        patterns
            .iter()
            .filter_map(|p| build_regex_shared(p).ok())
            .collect()
    })
}

/// [`build_regex`] through a process-wide cache: rules of one family share
/// their long `allow_name` lists (the quoted and unquoted generic rules), and
/// each compiles once. A `Regex` clone shares the compiled program.
fn build_regex_shared(pattern: &str) -> Result<Regex, regex::Error> {
    static CACHE: OnceLock<std::sync::Mutex<HashMap<String, Regex>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(re) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(pattern) {
        return Ok(re.clone());
    }
    // Compiled outside the lock; two threads may both compile a pattern
    // the first time, and one result is kept.
    let re = build_regex(pattern)?;
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(pattern.to_string())
        .or_insert_with(|| re.clone());
    Ok(re)
}

/// Parses one rule file's TOML text into rule specs.
pub fn parse_rule_file(file: &str, text: &str) -> Result<Vec<RuleSpec>, RuleError> {
    Ok(parse_file(file, text)?.rule)
}

fn parse_file(file: &str, text: &str) -> Result<RuleFile, RuleError> {
    toml::from_str(text).map_err(|e| RuleError::Parse {
        file: file.to_string(),
        message: describe_toml_error(text, &e),
    })
}

/// Formats a TOML error as `line L, column C: message` on one line,
/// without quoting the input (see [`scrub_message`]).
pub fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let msg = scrub_message(&one_line(e.message()));
    match e.span() {
        Some(span) => {
            let (line, col) = crate::engine::line_col(text.as_bytes(), span.start);
            format!("line {line}, column {col}: {msg}")
        }
        None => msg,
    }
}

/// Removes values quoted from the input out of a parser's error message
/// (serde's `invalid type: string "…"`, `` unknown field `…` ``), so that an
/// error about a malformed config or baseline never prints a secret that
/// sits on the bad line. Double-quoted values are dropped; backticked ones
/// are kept only when they look like names ([`looks_like_name`]).
pub fn scrub_message(msg: &str) -> String {
    use std::sync::LazyLock;
    static QUOTED: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r#"\s*"(?:[^"\\]|\\.)*""#).expect("valid regex"));
    static TICKED: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"`([^`]*)`").expect("valid regex"));
    let msg = QUOTED.replace_all(msg, "");
    TICKED
        .replace_all(&msg, |c: &regex::Captures| {
            let inner = &c[1];
            if looks_like_name(inner) || inner.chars().all(|ch| ch.is_ascii_punctuation()) {
                format!("`{inner}`")
            } else {
                "`…`".to_string()
            }
        })
        .into_owned()
}

/// Whether `s` reads like a key, rule id or small number a person typed
/// (lowercase, `-_.`, few digits, short) rather than a token: only such
/// text from an input is ever echoed in a message.
pub fn looks_like_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
        && s.bytes().filter(u8::is_ascii_digit).count() <= 4
}

/// `s` quoted for a message if it [looks like a name](looks_like_name), else
/// a placeholder: inputs may hold secrets.
pub fn quoted_if_name(s: &str) -> String {
    if looks_like_name(s) {
        format!("{s:?}")
    } else {
        "(not shown)".to_string()
    }
}

/// An ordered set of rules with unique ids.
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    public_examples: public::PublicExamples,
}

impl RuleSet {
    /// The rules embedded in the binary, with the known public examples.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        for (file, json) in BUILTIN_RULE_FILES {
            // Parsed from TOML by the build script (build.rs).
            let parsed: RuleFile = serde_json::from_str(json).map_err(|e| RuleError::Parse {
                file: file.to_string(),
                message: scrub_message(&one_line(&e.to_string())),
            })?;
            for spec in parsed.rule {
                set.add(Rule::new(spec, file)?)?;
            }
            for ex in parsed.public_example {
                ex.check().map_err(|message| RuleError::Parse {
                    file: file.to_string(),
                    message,
                })?;
                set.public_examples.add(ex);
            }
        }
        Ok(set)
    }

    /// The known public example values (documentation keys).
    pub fn public_examples(&self) -> &public::PublicExamples {
        &self.public_examples
    }

    /// Adds a rule; a rule whose id is already present replaces it (so a
    /// config can override a built-in rule).
    pub fn add(&mut self, rule: Rule) -> Result<(), RuleError> {
        match self.rules.iter().position(|r| r.id() == rule.id()) {
            Some(i) => self.rules[i] = rule,
            None => self.rules.push(rule),
        }
        Ok(())
    }

    /// Removes the rules with these ids; returns the ids that were unknown.
    pub fn disable(&mut self, ids: &[String]) -> Vec<String> {
        let unknown = ids
            .iter()
            .filter(|id| !self.rules.iter().any(|r| r.id() == id.as_str()))
            .cloned()
            .collect();
        self.rules.retain(|r| !ids.iter().any(|id| id == r.id()));
        unknown
    }

    /// Compiles every regex now (for `rules` checks and config validation).
    pub fn check_regexes(&self) -> Result<(), RuleError> {
        self.rules.iter().try_for_each(Rule::compile)
    }

    /// The rules, in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Mutable access, for overrides of severity or entropy.
    pub fn rules_mut(&mut self) -> &mut [Rule] {
        &mut self.rules
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id() == id)
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;

    #[test]
    fn builtin_rules_load_and_compile() {
        let set = RuleSet::builtin().expect("built-in rules load");
        set.check_regexes().expect("built-in regexes compile");
        let mut ids: Vec<_> = set.rules().iter().map(|r| r.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), set.len(), "rule ids are unique");
    }

    /// A `lower_when` context applies only where its regexes match around
    /// the secret: a Firebase config key is low, the same key under a server
    /// name in the same file is not.
    #[test]
    fn lower_when_applies_only_in_its_context() {
        let set = RuleSet::builtin().unwrap();
        let rule = set.get("google-api-key").unwrap();
        let key = format!("{}{}", "AIza", "Q7rT2mXv9LpK4sW8nB3cY6hJ1dF5gZ0aE2u");
        let text = format!(
            "const firebaseConfig = {{\n  apiKey: \"{key}\",\n  authDomain: \"x.firebaseapp.com\",\n}};\nGEMINI_API_KEY=\"{key}\"\nNEXT_PUBLIC_MAPS_KEY={key}\n"
        );
        let buf = text.as_bytes();
        let at: Vec<usize> = text.match_indices(&key).map(|(i, _)| i).collect();
        let lowered = |i: usize| rule.lowered(buf, at[i], at[i] + key.len());
        let first = lowered(0).expect("firebase config");
        assert_eq!(first.severity, Severity::Low);
        assert!(first.shown_reason().contains("firebase.google.com"));
        assert!(lowered(1).is_none(), "a server-side name stays high");
        assert!(lowered(2).is_some(), "NEXT_PUBLIC_");
        // Without the sibling keys, `apiKey:` alone is not a Firebase config.
        let plain = format!("client = Client(apiKey: \"{key}\")\n");
        let i = plain.find(&key).unwrap();
        assert!(rule.lowered(plain.as_bytes(), i, i + key.len()).is_none());
    }

    /// The built-in public examples load, and the engine drops them unless
    /// asked to keep them.
    #[test]
    fn public_examples_are_dropped_unless_kept() {
        let set = RuleSet::builtin().unwrap();
        let fernet = format!("{}{}", "cw_0x689RpI-jtRR7oE8h_", "eQsKImvJapLeSbXpwF4e4=");
        let aws = format!("{}{}{}", "AKIA", "IOSFODNN7", "EXAMPLE");
        assert!(set.public_examples().contains(fernet.as_bytes()));
        assert!(set.public_examples().contains(aws.as_bytes()));
        let text = format!("FERNET_KEY={fernet}\naws_access_key_id = {aws}\n");
        assert!(Engine::new(set).scan(text.as_bytes()).is_empty());
        let engine = Engine::new(RuleSet::builtin().unwrap()).keep_public_examples(true);
        let ids: Vec<&str> = engine
            .scan(text.as_bytes())
            .iter()
            .map(|m| engine.rules()[m.rule].id())
            .collect();
        assert!(ids.contains(&"fernet-key"), "{ids:?}");
        assert!(ids.contains(&"aws-access-key-id"), "{ids:?}");
    }

    /// Every built-in rule passes `leakhound rules check`
    /// ([`check::check_rules`]): its examples are found and its negative
    /// examples are not, by that rule; every example holds one of its
    /// keywords and every keyword is in an example; no two specific rules
    /// report one example's secret; it names its provider, links its docs
    /// and has two examples of each kind. A rule without them does not ship.
    #[test]
    fn rules_examples() {
        let engine = Engine::new(RuleSet::builtin().unwrap());
        let problems = check::check_rules(&engine, &check::is_builtin);
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(problems.is_empty(), "{}", lines.join("\n"));
    }

    /// Every rule's remediation names concrete steps: an action that takes
    /// the secret out of service, where to take it (a console path such as
    /// `Settings > API keys`, a command, an API or a named console page), and
    /// what to check or clean up afterwards.
    #[test]
    fn remediation_is_concrete() {
        let set = RuleSet::builtin().unwrap();
        let verbs = [
            "rotate",
            "revoke",
            "regenerate",
            "roll",
            "delete",
            "deactivate",
            "change",
            "replace",
            "remove",
        ];
        let places = ["`", " > ", "console", "dashboard", "settings", " api"];
        let after = [
            "history",
            "log",
            "audit",
            "activity",
            "usage",
            "cloudtrail",
            "events",
        ];
        let mut failures = Vec::new();
        for rule in set.rules() {
            let text = rule.spec.remediation.to_ascii_lowercase();
            let mut missing = Vec::new();
            if text.len() < 200 {
                missing.push("length >= 200");
            }
            if !verbs.iter().any(|v| text.contains(v)) {
                missing.push("a rotate/revoke verb");
            }
            if !places.iter().any(|p| text.contains(p)) {
                missing.push("where (console path, command or API)");
            }
            if !after.iter().any(|a| text.contains(a)) {
                missing.push("a follow-up (logs, audit, history)");
            }
            if !missing.is_empty() {
                failures.push(format!("{}: needs {}", rule.id(), missing.join(", ")));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn path_globs_match_whole_trailing_components() {
        let text = "[[rule]]\nid='a'\nname='x'\nseverity='low'\npaths=['.env', '.env.*', '.aws/credentials', '*.p12']\npath_exclude=['.env.example']\n";
        let spec = parse_rule_file("t.toml", text).unwrap().remove(0);
        let m = PathMatcher::new([(7, &spec)]).unwrap();
        for p in [
            ".env",
            "app/.env",
            "/tmp/x/.ENV",
            ".env.production",
            "home/.aws/credentials",
            "certs/Store.P12",
        ] {
            assert_eq!(m.rules_for(p), [7], "{p}");
        }
        for p in [
            "a.env",
            ".env.example",
            "app/.env.example",
            ".envrc",
            "aws/credentials",
            "x.p12/readme",
        ] {
            assert!(m.rules_for(p).is_empty(), "{p}");
        }
    }

    #[test]
    fn rejects_bad_specs() {
        let text = "[[rule]]\nid='Bad Id'\nname='x'\nseverity='low'\nkeywords=['x']\nregex='x'\n";
        let spec = parse_rule_file("t.toml", text).unwrap().remove(0);
        assert!(Rule::new(spec, "t.toml").is_err());
        let err = parse_rule_file("t.toml", "[[rule]]\nid='a'\nbogus=1\n").unwrap_err();
        assert!(err.to_string().contains("line 3"), "{err}");
        let text = "[[rule]]\nid='a'\nname='x'\nseverity='low'\nkeywords=['x']\nregex='('\n";
        let spec = parse_rule_file("t.toml", text).unwrap().remove(0);
        assert!(Rule::new(spec, "t.toml").unwrap().compile().is_err());
    }
}
