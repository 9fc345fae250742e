//! The rule checks behind `leakhound rules check` and the `rules_examples`
//! test: every rule's examples and negative examples run through the real
//! engine, its keywords against its examples, and its file's shape.
//!
//! The checks, per rule (see `rules/README.md`, "Checking rules"):
//! - **shape**: at least [`MIN_EXAMPLES`] examples and negative examples,
//!   regexes that compile, a `secret` group in the content regex, known
//!   `supersedes` ids; built-in rules also need a provider, remediation, and
//!   (unless tagged `generic`) a documentation link;
//! - **example** / **negative-example**: each example yields a finding of its
//!   rule, each negative example none;
//! - **keyword**: a rule's keywords are alternatives (one hit opens a window),
//!   so every example must hold at least one of them and every keyword must
//!   occur in at least one example (ASCII case-insensitively); path rules do
//!   not use keywords and are not checked;
//! - **overlap**: no other rule reports a secret overlapping the one an
//!   example was written for, unless either rule is tagged `generic` (generic
//!   rules yield to specific ones in every scan) or one `supersedes` the
//!   other (then only one is reported, in every scan).

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::{BUILTIN_RULE_FILES, Example, Rule, RuleError, RuleSet, parse_rule_file};
use crate::engine::{Engine, Match};

/// The fewest examples, and the fewest negative examples, a rule must have.
pub const MIN_EXAMPLES: usize = 2;

/// Which check a problem failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    /// The rule's definition: examples, regexes, `secret` group, provider, docs.
    Shape,
    /// An example that its rule does not find.
    Example,
    /// A negative example that its rule finds.
    NegativeExample,
    /// An example without any of the rule's keywords, or a keyword no example holds.
    Keyword,
    /// An example whose secret another rule also reports.
    Overlap,
}

impl CheckKind {
    /// The name shown in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Shape => "shape",
            CheckKind::Example => "example",
            CheckKind::NegativeExample => "negative-example",
            CheckKind::Keyword => "keyword",
            CheckKind::Overlap => "overlap",
        }
    }
}

/// One failed check of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The rule's id.
    pub rule: String,
    /// The file the rule came from.
    pub origin: String,
    pub check: CheckKind,
    /// What is wrong, in one line.
    pub message: String,
    /// The example concerned ([`Example::summary`]), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.rule,
            self.check.as_str(),
            self.message
        )?;
        if let Some(ex) = &self.example {
            write!(f, ": {ex}")?;
        }
        Ok(())
    }
}

/// Whether a rule came from the files embedded in the binary (its origin is
/// one of [`BUILTIN_RULE_FILES`]); a config's or a user file's rule replacing
/// a built-in one is not.
pub fn is_builtin(rule: &Rule) -> bool {
    BUILTIN_RULE_FILES.iter().any(|(f, _)| *f == rule.origin)
}

/// Adds the rules of user rule files (`(name, TOML text)`, the format of
/// `rules/*.toml`) to `set`, replacing rules of the same id. A file that is
/// not valid TOML or not a rule file is an error; a rule the loader refuses
/// (a bad id, no keywords, ...) or an id given twice is a [`Problem`], and
/// such a rule is left out.
pub fn add_rule_files(
    set: &mut RuleSet,
    files: &[(String, String)],
) -> Result<Vec<Problem>, RuleError> {
    let mut problems = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (file, text) in files {
        let specs = parse_rule_file(file, text)?;
        if specs.is_empty() {
            return Err(RuleError::Parse {
                file: file.clone(),
                message: "no [[rule]] table".into(),
            });
        }
        for spec in specs {
            let id = spec.id.clone();
            match Rule::new(spec, file) {
                Ok(rule) => {
                    if !seen.insert(id.clone()) {
                        problems.push(shape(&rule, "id defined twice in the files checked"));
                    }
                    set.add(rule)?;
                }
                Err(RuleError::Invalid { message, .. }) => problems.push(Problem {
                    rule: id,
                    origin: file.clone(),
                    check: CheckKind::Shape,
                    message,
                    example: None,
                }),
                Err(e) => return Err(e),
            }
        }
    }
    Ok(problems)
}

fn shape(rule: &Rule, message: impl Into<String>) -> Problem {
    problem(rule, CheckKind::Shape, message, None)
}

fn problem(
    rule: &Rule,
    check: CheckKind,
    message: impl Into<String>,
    example: Option<&Example>,
) -> Problem {
    Problem {
        rule: rule.id().to_string(),
        origin: rule.origin.clone(),
        check,
        message: message.into(),
        example: example.map(Example::summary),
    }
}

/// Runs every check on every rule of `engine`; `builtin` says which rules
/// are held to the built-in set's extra requirements (provider, docs,
/// remediation). Problems come in rule order, then by check.
pub fn check_rules(engine: &Engine, builtin: &dyn Fn(&Rule) -> bool) -> Vec<Problem> {
    let rules = engine.rules();
    let mut problems = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let compiled = check_shape(rule, rules, builtin(rule), &mut problems);
        if compiled {
            check_examples(engine, i, &mut problems);
            check_keywords(rule, &mut problems);
        }
    }
    problems
}

/// The shape checks of one rule; false when its regexes do not compile
/// (its examples are then not run).
fn check_shape(rule: &Rule, all: &[Rule], builtin: bool, out: &mut Vec<Problem>) -> bool {
    let s = &rule.spec;
    for (what, list) in [
        ("examples", &s.examples),
        ("negative_examples", &s.negative_examples),
    ] {
        if list.len() < MIN_EXAMPLES {
            out.push(shape(
                rule,
                format!("needs at least {MIN_EXAMPLES} {what} (has {})", list.len()),
            ));
        }
    }
    if s.is_path_rule()
        && s.examples
            .iter()
            .chain(&s.negative_examples)
            .any(|e| matches!(e, Example::Text(_)))
    {
        out.push(shape(
            rule,
            "a path rule's examples are files ({ path, text })",
        ));
    }
    if builtin {
        if s.provider.trim().is_empty() {
            out.push(shape(rule, "needs a provider"));
        }
        if s.docs.is_empty() && !s.tags.iter().any(|t| t == "generic") {
            out.push(shape(rule, "needs a docs link (or the `generic` tag)"));
        }
        if s.remediation.trim().is_empty() {
            out.push(shape(rule, "needs remediation text"));
        }
    }
    for id in &s.supersedes {
        if id == rule.id() {
            out.push(shape(rule, "supersedes itself"));
        } else if !all.iter().any(|r| r.id() == id) {
            out.push(shape(
                rule,
                format!("supersedes unknown rule {}", super::quoted_if_name(id)),
            ));
        }
    }
    if let Err(e) = rule.compile() {
        let message = match e {
            RuleError::Invalid { message, .. } | RuleError::Parse { message, .. } => message,
        };
        out.push(shape(rule, message));
        return false;
    }
    if !s.regex.is_empty() && !rule.regex().has_secret_group() {
        out.push(shape(rule, "regex has no `secret` group"));
    }
    true
}

/// Runs the rule's examples (found, and by no other specific rule) and
/// negative examples (not found).
fn check_examples(engine: &Engine, i: usize, out: &mut Vec<Problem>) {
    let rules = engine.rules();
    let rule = &rules[i];
    for ex in &rule.spec.examples {
        let (path_hit, matches) = run(engine, ex);
        let own: Vec<&Match> = matches.iter().filter(|m| m.rule == i).collect();
        if own.is_empty() && path_hit != Some(i) {
            let others = rule_ids(rules, matches.iter().map(|m| m.rule));
            let message = if others.is_empty() {
                "example not found".to_string()
            } else {
                format!("example not found (reported by {others} instead)")
            };
            out.push(problem(rule, CheckKind::Example, message, Some(ex)));
            continue;
        }
        // Other rules reporting the secret this example was written for.
        if is_generic(rule) {
            continue;
        }
        let claimed = matches.iter().filter(|m| {
            m.rule != i
                && !is_generic(&rules[m.rule])
                && own.iter().any(|o| o.start < m.end && m.start < o.end)
        });
        let others = rule_ids(rules, claimed.map(|m| m.rule));
        if !others.is_empty() {
            out.push(problem(
                rule,
                CheckKind::Overlap,
                format!(
                    "example also reported by {others} (narrow one rule, or tag the \
                     broader one `generic`, or let the specific one `supersedes` it)"
                ),
                Some(ex),
            ));
        }
    }
    for ex in &rule.spec.negative_examples {
        let (path_hit, matches) = run(engine, ex);
        if path_hit == Some(i) || matches.iter().any(|m| m.rule == i) {
            out.push(problem(
                rule,
                CheckKind::NegativeExample,
                "negative example found",
                Some(ex),
            ));
        }
    }
}

/// Scans an example as a scan would: a text as a buffer without a path; a
/// file through the path rules (the rule that matches it, if any) and its
/// text through every rule.
fn run(engine: &Engine, ex: &Example) -> (Option<usize>, Vec<Match>) {
    match ex {
        Example::Text(t) => (None, engine.scan(t.as_bytes())),
        Example::File { path, text } => {
            let t = text.as_bytes();
            (engine.scan_path(path, t, t).map(|m| m.rule), engine.scan(t))
        }
    }
}

/// The ids of `indices`, sorted and deduplicated, comma-separated.
fn rule_ids(rules: &[Rule], indices: impl Iterator<Item = usize>) -> String {
    let mut ids: Vec<&str> = indices.map(|r| rules[r].id()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.join(", ")
}

fn is_generic(rule: &Rule) -> bool {
    rule.spec.tags.iter().any(|t| t == "generic")
}

/// Keywords are alternatives: each example holds at least one, each keyword
/// is in at least one example (ASCII case-insensitively). An example that
/// holds a decoding trigger of the engine (the base64 of `-----BEGIN`) holds
/// its keywords in encoded form, and counts as holding one.
fn check_keywords(rule: &Rule, out: &mut Vec<Problem>) {
    let s = &rule.spec;
    if s.is_path_rule() || s.keywords.is_empty() {
        return;
    }
    let keywords: Vec<String> = s.keywords.iter().map(|k| k.to_ascii_lowercase()).collect();
    let mut used = vec![false; keywords.len()];
    for ex in &s.examples {
        let raw = ex.text();
        let text = raw.to_ascii_lowercase();
        let mut any = crate::engine::decode::TRIGGERS
            .iter()
            .any(|t| memchr::memmem::find(raw.as_bytes(), t).is_some());
        for (k, u) in keywords.iter().zip(used.iter_mut()) {
            if text.contains(k.as_str()) {
                *u = true;
                any = true;
            }
        }
        if !any {
            out.push(problem(
                rule,
                CheckKind::Keyword,
                "example holds none of the rule's keywords",
                Some(ex),
            ));
        }
    }
    if s.examples.is_empty() {
        return;
    }
    for (k, u) in s.keywords.iter().zip(used) {
        if !u {
            out.push(problem(
                rule,
                CheckKind::Keyword,
                format!("keyword {k:?} occurs in no example"),
                None,
            ));
        }
    }
}

/// Problems grouped by rule id, in the order rules were checked.
pub fn by_rule(problems: &[Problem]) -> BTreeMap<(usize, &str), Vec<&Problem>> {
    let mut order: Vec<&str> = Vec::new();
    let mut out: BTreeMap<(usize, &str), Vec<&Problem>> = BTreeMap::new();
    for p in problems {
        let pos = order.iter().position(|r| *r == p.rule).unwrap_or_else(|| {
            order.push(&p.rule);
            order.len() - 1
        });
        out.entry((pos, p.rule.as_str())).or_default().push(p);
    }
    out
}
