//! A cheap necessary condition for a rule's match, derived from its regex.
//!
//! Generic rules open many windows (every `token` or `_key` in code) and their
//! regexes are large: most of their cost is running them where no secret can
//! be. A rule's reported match always contains its `secret` group, matched
//! together with the pattern pieces right around it (the quote before a quoted
//! value, the `=` of a Fernet key). Those pieces, cut out of the rule's own
//! regex, form a small regex that must match inside any window where the rule
//! can report: windows where it does not are skipped. Nothing is written by
//! hand, so the check can never drift from the rule.

use regex_syntax::hir::{Hir, HirKind};

/// How many pattern pieces either side of the `secret` group the check keeps.
const CONTEXT: usize = 2;

/// The check's pattern for `pattern`, if it has a `secret` group. `None` when
/// the rule has no such group or the pattern does not parse (the rule's own
/// compile reports that).
pub fn derive(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    let piece = around_secret(&hir)?;
    Some(piece.to_string())
}

/// The length of `pattern` printed the way [`derive`] prints its checks, to
/// compare the two.
pub fn normalized_len(pattern: &str) -> usize {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .map_or(0, |h| h.to_string().len())
}

/// The `secret` group with up to [`CONTEXT`] neighbours either side in the
/// concatenation that holds it.
fn around_secret(h: &Hir) -> Option<Hir> {
    match h.kind() {
        HirKind::Capture(c) if c.name.as_deref() == Some("secret") => Some(h.clone()),
        HirKind::Capture(c) => around_secret(&c.sub),
        HirKind::Repetition(r) => around_secret(&r.sub),
        HirKind::Alternation(subs) => subs.iter().find_map(around_secret),
        HirKind::Concat(subs) => {
            let i = subs.iter().position(holds_secret)?;
            if !is_secret(&subs[i]) {
                return around_secret(&subs[i]);
            }
            let from = i.saturating_sub(CONTEXT);
            let to = (i + CONTEXT + 1).min(subs.len());
            Some(Hir::concat(subs[from..to].to_vec()))
        }
        _ => None,
    }
}

fn is_secret(h: &Hir) -> bool {
    matches!(h.kind(), HirKind::Capture(c) if c.name.as_deref() == Some("secret"))
}

fn holds_secret(h: &Hir) -> bool {
    match h.kind() {
        HirKind::Capture(c) => c.name.as_deref() == Some("secret") || holds_secret(&c.sub),
        HirKind::Repetition(r) => holds_secret(&r.sub),
        HirKind::Alternation(subs) | HirKind::Concat(subs) => subs.iter().any(holds_secret),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str) -> regex::bytes::Regex {
        crate::rules::build_regex(&derive(pattern).unwrap()).unwrap()
    }

    #[test]
    fn keeps_the_quotes_around_a_quoted_value() {
        let re =
            check(r#"(?i)(?:api_?key|token)[ \t]*=[ \t]*["'](?P<secret>[^"'\s]{16,})["'][ \t]*;"#);
        assert!(re.is_match(br#"x = "abcdefghijklmnopq";"#));
        assert!(!re.is_match(b"abcdefghijklmnopqrstuvwxyz"));
        assert!(!re.is_match(br#""short""#));
    }

    #[test]
    fn looks_inside_groups_and_alternations() {
        let re = check(r"(?:a|b(?:c|d=(?P<secret>[0-9]{4})!))");
        assert!(re.is_match(b"d=1234!"));
        assert!(!re.is_match(b"1234"));
    }

    #[test]
    fn no_secret_group_no_check() {
        assert_eq!(derive("abc"), None);
        assert_eq!(derive("(unclosed"), None);
    }
}
