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

/// The check for a rule's parsed pattern: [`derive`]'s, if it is less than
/// half the pattern's size (a larger one would save little).
pub fn for_rule(pattern: &Hir) -> Option<Hir> {
    let check = derive(pattern)?;
    (size(&check) * 2 < size(pattern)).then_some(check)
}

/// The check for a parsed pattern, if it has a `secret` group.
///
/// The check is a syntax tree, to be compiled as it is: printed and parsed
/// again, a tree can change meaning (an optional `X{1,2}` prints as the lazy
/// `X{1,2}?`).
pub fn derive(pattern: &Hir) -> Option<Hir> {
    around_secret(pattern)
}

/// A measure of a tree's size: its nodes, literal bytes and class ranges.
fn size(h: &Hir) -> usize {
    1 + match h.kind() {
        HirKind::Literal(l) => l.0.len(),
        HirKind::Class(regex_syntax::hir::Class::Bytes(c)) => c.ranges().len(),
        HirKind::Class(regex_syntax::hir::Class::Unicode(c)) => c.ranges().len(),
        HirKind::Capture(c) => size(&c.sub),
        HirKind::Repetition(r) => size(&r.sub),
        HirKind::Alternation(subs) | HirKind::Concat(subs) => subs.iter().map(size).sum(),
        HirKind::Empty | HirKind::Look(_) => 0,
    }
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

    use crate::rules::compiled::{RuleCheck, parse};

    fn check(pattern: &str) -> RuleCheck {
        RuleCheck::part(&derive(&parse(pattern).unwrap()).unwrap()).unwrap()
    }

    #[test]
    fn keeps_the_quotes_around_a_quoted_value() {
        let re =
            check(r#"(?i)(?:api_?key|token)[ \t]*=[ \t]*["'](?P<secret>[^"'\s]{16,})["'][ \t]*;"#);
        assert!(re.is_match_at(br#"x = "abcdefghijklmnopq";"#, 0));
        assert!(!re.is_match_at(b"abcdefghijklmnopqrstuvwxyz", 0));
        assert!(!re.is_match_at(br#""short""#, 0));
    }

    #[test]
    fn looks_inside_groups_and_alternations() {
        let re = check(r"(?:a|b(?:c|d=(?P<secret>[0-9]{4})!))");
        assert!(re.is_match_at(b"d=1234!", 0));
        assert!(!re.is_match_at(b"1234", 0));
    }

    #[test]
    fn optional_counted_pieces_stay_optional() {
        // Printed, `(?:[bu]{1,2})?` would come back as the lazy `[bu]{1,2}?`.
        let re = check(r#"x=(?:[bu]{1,2})?"(?P<secret>[a-z]{4})""#);
        assert!(re.is_match_at(br#"x="abcd""#, 0));
        assert!(re.is_match_at(br#"x=b"abcd""#, 0));
    }

    #[test]
    fn no_secret_group_no_check() {
        assert_eq!(derive(&parse("abc").unwrap()), None);
        assert_eq!(parse("(unclosed"), None);
    }
}
