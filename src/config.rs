//! Project configuration: `.leakhound.toml` at the repository root, or the
//! file `--config` names.
//!
//! ```toml
//! disable = ["generic-secret-assignment"]   # rule ids to turn off
//!
//! [[rule]]                                  # extra rules, as in rules/*.toml
//! id = "acme-token"                         # (a rule with a built-in id replaces it)
//! ...
//!
//! [rules.stripe-secret-key-test]            # per-rule overrides
//! severity = "low"
//! min_entropy = 3.5
//!
//! [allow]
//! paths = ["tests/fixtures/**"]             # globs on the repository-relative path
//! regexes = ['^sk_test_']                   # matched against the secret
//! stopwords = ["example"]                   # a secret containing one is dropped
//!
//! [[allow.secret]]                          # a waiver for one secret
//! sha1 = "0230bb0cbad3dfd401baccc84599d4701eb85afe"
//! reason = "test key of the sandbox account"
//! expires = 2026-12-31                      # after it, the finding is reported again
//! ```
//!
//! Parsing is strict: an unknown key, a bad regex or glob, an unknown rule id
//! or a malformed date is an error naming the file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::rules::{Rule, RuleSet, RuleSpec, Severity, build_regex, describe_toml_error};

/// The file name looked up at the repository root.
pub const CONFIG_FILE: &str = ".leakhound.toml";

/// An error in a config file: the file, and the line where one is known.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    pub file: String,
    /// `line L, column C: what` or just `what`.
    pub message: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    rule: Vec<Spanned<RuleSpec>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, RuleOverride>,
    #[serde(default)]
    allow: RawAllow,
}

/// `[rules.ID]`: overrides of one rule's settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    pub severity: Option<Severity>,
    pub min_entropy: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAllow {
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    regexes: Vec<Spanned<String>>,
    #[serde(default)]
    stopwords: Vec<Spanned<String>>,
    #[serde(default)]
    secret: Vec<Spanned<RawWaiver>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    sha1: Spanned<String>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    expires: Option<Spanned<toml::Value>>,
}

/// A waiver for one secret (`[[allow.secret]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// SHA-1 hex of the secret, lowercase.
    pub sha1: String,
    pub reason: String,
    /// Last day the waiver holds; from the next day on, the finding is reported.
    pub expires: Option<NaiveDate>,
    /// 1-based line of the waiver in the config file.
    pub line: usize,
}

/// One allowlist pattern with the line it was written on.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub text: String,
    pub line: usize,
}

/// A validated configuration.
#[derive(Debug, Default)]
pub struct Config {
    /// Where it was read from (for messages); `None` for the empty default.
    pub file: Option<PathBuf>,
    pub rules: Vec<(RuleSpec, usize)>,
    /// Rule ids to disable, with their lines.
    pub disable: Vec<(String, usize)>,
    /// `[rules.ID]` overrides, with their lines.
    pub overrides: BTreeMap<String, (RuleOverride, usize)>,
    pub allow_paths: Vec<Located<globset::GlobMatcher>>,
    pub allow_regexes: Vec<Located<regex::bytes::Regex>>,
    /// Lowercased stopwords.
    pub stopwords: Vec<Located<String>>,
    pub waivers: Vec<Waiver>,
}

impl Config {
    /// Reads and validates a config file: a regular file (a symbolic link
    /// to one is followed) of at most 16 MiB; a FIFO or a device is an error,
    /// never opened (see [`crate::safe_read`]).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        use crate::safe_read::{Links, read_regular_text};
        let file = path.display().to_string();
        let text = read_regular_text(path, 16 << 20, Links::Follow).map_err(|e| ConfigError {
            file: file.clone(),
            message: format!("cannot read: {e}"),
        })?;
        let mut config = Config::parse(&file, &text)?;
        config.file = Some(path.to_path_buf());
        Ok(config)
    }

    /// Parses and validates config text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Config, ConfigError> {
        let err = |message: String| ConfigError {
            file: file.to_string(),
            message,
        };
        let at = |span: std::ops::Range<usize>, what: String| {
            let (line, col) = crate::engine::line_col(text.as_bytes(), span.start);
            err(format!("line {line}, column {col}: {what}"))
        };
        let line_of =
            |span: std::ops::Range<usize>| crate::engine::line_col(text.as_bytes(), span.start).0;
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| err(describe_toml_error(text, &e)))?;

        let mut config = Config::default();
        for spec in raw.rule {
            let span = spec.span();
            let spec = spec.into_inner();
            let rule =
                Rule::new(spec.clone(), file).map_err(|e| at(span.clone(), rule_message(&e)))?;
            rule.compile()
                .map_err(|e| at(span.clone(), rule_message(&e)))?;
            config.rules.push((spec, line_of(span)));
        }
        config.disable = raw
            .disable
            .into_iter()
            .map(|d| (d.get_ref().clone(), line_of(d.span())))
            .collect();
        for (id, o) in raw.rules {
            if let Some(e) = o.min_entropy
                && !(0.0..=8.0).contains(&e)
            {
                return Err(at(id.span(), format!("min_entropy {e} is outside 0..8")));
            }
            let line = line_of(id.span());
            config.overrides.insert(id.into_inner(), (o, line));
        }
        for p in raw.allow.paths {
            let glob = globset::GlobBuilder::new(p.get_ref())
                .literal_separator(true)
                .build()
                .map_err(|e| at(p.span(), format!("bad glob: {}", e.kind())))?;
            config.allow_paths.push(Located {
                value: glob.compile_matcher(),
                text: p.get_ref().clone(),
                line: line_of(p.span()),
            });
        }
        for r in raw.allow.regexes {
            // The regex crate's message quotes the pattern: keep its last part.
            let re = build_regex(r.get_ref()).map_err(|e| {
                let msg = e.to_string();
                let what = msg.rsplit("error: ").next().unwrap_or_default();
                at(r.span(), format!("bad regex: {}", one_line(what)))
            })?;
            config.allow_regexes.push(Located {
                value: re,
                text: r.get_ref().clone(),
                line: line_of(r.span()),
            });
        }
        for s in raw.allow.stopwords {
            if s.get_ref().is_empty() {
                return Err(at(s.span(), "empty stopword".into()));
            }
            config.stopwords.push(Located {
                value: s.get_ref().to_ascii_lowercase(),
                text: s.get_ref().clone(),
                line: line_of(s.span()),
            });
        }
        for w in raw.allow.secret {
            let w = w.into_inner();
            let line = line_of(w.sha1.span());
            let sha1 = w.sha1.get_ref().to_ascii_lowercase();
            if sha1.len() != 40 || !sha1.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(at(w.sha1.span(), "sha1 must be 40 hex digits".into()));
            }
            let expires =
                match &w.expires {
                    None => None,
                    Some(v) => Some(parse_date(v.get_ref()).ok_or_else(|| {
                        at(v.span(), "expires must be a date (YYYY-MM-DD)".into())
                    })?),
                };
            config.waivers.push(Waiver {
                sha1,
                reason: w.reason,
                expires,
                line,
            });
        }
        Ok(config)
    }

    /// The effective rule set: `base`, plus the config's rules (replacing
    /// rules of the same id), minus disabled rules, with overrides applied.
    /// Unknown ids in `disable` or `[rules.ID]` are errors.
    pub fn apply_to(&self, mut base: RuleSet) -> Result<RuleSet, ConfigError> {
        let file = self.display();
        let err = |message: String| ConfigError {
            file: file.clone(),
            message,
        };
        for (spec, line) in &self.rules {
            let rule = Rule::new(spec.clone(), &file)
                .map_err(|e| err(format!("line {line}: {}", rule_message(&e))))?;
            base.add(rule)
                .map_err(|e| err(format!("line {line}: {}", rule_message(&e))))?;
        }
        let ids: Vec<String> = self.disable.iter().map(|(id, _)| id.clone()).collect();
        if let Some(id) = base.disable(&ids).first() {
            let line = self
                .disable
                .iter()
                .find(|(d, _)| d == id)
                .map_or(0, |d| d.1);
            return Err(err(format!(
                "line {line}: disable: unknown rule id {}",
                crate::rules::quoted_if_name(id)
            )));
        }
        for (id, (o, line)) in &self.overrides {
            let Some(rule) = base.rules_mut().iter_mut().find(|r| r.id() == id) else {
                let shown = if crate::rules::looks_like_name(id) {
                    id.as_str()
                } else {
                    "…"
                };
                return Err(err(format!(
                    "line {line}: [rules.{shown}]: unknown rule id"
                )));
            };
            if let Some(s) = o.severity {
                rule.spec.severity = s;
            }
            if let Some(e) = o.min_entropy {
                rule.spec.min_entropy = Some(e);
            }
        }
        Ok(base)
    }

    /// The config's file name for messages.
    pub fn display(&self) -> String {
        self.file.as_ref().map_or_else(
            || "<default config>".to_string(),
            |p| p.display().to_string(),
        )
    }
}

fn rule_message(e: &crate::rules::RuleError) -> String {
    match e {
        crate::rules::RuleError::Invalid { id, message, .. } => format!("rule {id}: {message}"),
        crate::rules::RuleError::Parse { message, .. } => message.clone(),
    }
}

fn parse_date(v: &toml::Value) -> Option<NaiveDate> {
    match v {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            let d = dt.date?;
            NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
        }
        toml::Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
        _ => None,
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = r#"
[[rule]]
id = "acme-token"
name = "ACME token"
severity = "high"
keywords = ["acme_"]
regex = '\b(?P<secret>acme_[a-z0-9]{16})\b'
"#;

    #[test]
    fn parses_every_section() {
        let text = format!(
            "disable = []\n{RULE}\n[rules.acme-token]\nseverity = 'low'\n\n[allow]\npaths = ['tests/**']\nregexes = ['^acme_test']\nstopwords = ['Sample']\n\n[[allow.secret]]\nsha1 = '{}'\nreason = 'sandbox'\nexpires = 2026-01-31\n",
            "a".repeat(40)
        );
        let c = Config::parse("c.toml", &text).unwrap();
        assert_eq!(c.rules.len(), 1);
        assert_eq!(c.stopwords[0].value, "sample");
        assert_eq!(c.waivers[0].expires, NaiveDate::from_ymd_opt(2026, 1, 31));
        assert_eq!(c.waivers[0].line, 19);
        assert_eq!(c.rules[0].1, 3, "a rule's line is its header's");
        let set = c.apply_to(RuleSet::default()).unwrap();
        assert_eq!(set.get("acme-token").unwrap().spec.severity, Severity::Low);
    }

    #[test]
    fn errors_name_the_line() {
        for (text, line) in [
            ("[allow]\npaths = []\nbogus = 1\n", "line 3"),
            ("[allow]\nregexes = ['ok', '(']\n", "line 2"),
            ("[allow]\npaths = ['a/{b']\n", "line 2"),
            ("\n[[allow.secret]]\nsha1 = 'xyz'\n", "line 3"),
            (
                &format!(
                    "[[allow.secret]]\nsha1 = '{}'\nexpires = 'soon'\n",
                    "a".repeat(40)
                ),
                "line 3",
            ),
            (&format!("\n\n{}", RULE.replace("{16}", "{16")), "line "),
        ] {
            let e = Config::parse("c.toml", text).unwrap_err().to_string();
            assert!(
                e.starts_with("c.toml: ") && e.contains(line),
                "{text:?}: {e}"
            );
        }
        let c = Config::parse("c.toml", "disable = ['nope']").unwrap();
        assert!(c.apply_to(RuleSet::default()).is_err());
    }
}
