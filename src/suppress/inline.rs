//! Inline allow comments, in any comment syntax (`#`, `//`, `/* */`, `--`,
//! `<!-- -->`): the marker text is what counts, not the comment characters.
//!
//! On the finding's line: `leakhound:allow`, gitleaks' `gitleaks:allow`,
//! detect-secrets' `pragma: allowlist secret`. On the line before:
//! `leakhound:allow-next-line`, detect-secrets' `pragma: allowlist nextline secret`.

use memchr::memmem;

const NEXT_LINE: &[u8] = b"leakhound:allow-next-line";

/// Whether `line` carries a marker that allows a secret on the line itself.
pub fn allows_same_line(line: &[u8]) -> bool {
    let own =
        memmem::find_iter(line, b"leakhound:allow").any(|i| !line[i..].starts_with(NEXT_LINE));
    own || memmem::find(line, b"gitleaks:allow").is_some() || has_pragma(line, false)
}

/// Whether `line` carries a marker that allows a secret on the next line.
pub fn allows_next_line(line: &[u8]) -> bool {
    memmem::find(line, NEXT_LINE).is_some() || has_pragma(line, true)
}

/// detect-secrets' `pragma: allowlist secret` / `pragma: allowlist nextline secret`,
/// with any spacing after the colon.
fn has_pragma(line: &[u8], next: bool) -> bool {
    memmem::find_iter(line, b"pragma:").any(|i| {
        let rest = &line[i + 7..];
        let words: Vec<&[u8]> = rest
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .take(3)
            .collect();
        match (words.first(), words.get(1), words.get(2)) {
            (Some(&b"allowlist"), Some(&b"nextline"), Some(w)) => next && w.starts_with(b"secret"),
            (Some(&b"allowlist"), Some(w), _) => !next && w.starts_with(b"secret"),
            _ => false,
        }
    })
}

/// Whether the finding at `offset` in `buf` is allowed by a comment on its
/// line or the line before.
pub fn is_allowed(buf: &[u8], offset: usize) -> bool {
    let (start, end) = crate::engine::line_span(buf, offset);
    if allows_same_line(&buf[start..end]) {
        return true;
    }
    if start == 0 {
        return false;
    }
    let (ps, pe) = crate::engine::line_span(buf, start - 1);
    allows_next_line(&buf[ps..pe])
}

/// Answers [`is_allowed`] for many offsets of one buffer in linear time:
/// a buffer without any marker is searched once (three substring searches),
/// and each line's answer is kept while offsets stay on it, so a million
/// matches on one long line do not each search the line again.
pub struct AllowChecker<'a> {
    buf: &'a [u8],
    /// Whether the buffer holds any marker at all.
    any: bool,
    /// The last line asked about: its span, and whether it allows.
    line: Option<(usize, usize, bool)>,
}

impl<'a> AllowChecker<'a> {
    /// A checker for `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        let any = [&b"leakhound:allow"[..], b"gitleaks:allow", b"pragma:"]
            .iter()
            .any(|n| memmem::find(buf, n).is_some());
        AllowChecker {
            buf,
            any,
            line: None,
        }
    }

    /// Whether the secret at `offset` is allowed (see [`is_allowed`]).
    pub fn is_allowed(&mut self, offset: usize) -> bool {
        if !self.any {
            return false;
        }
        if let Some((s, e, allowed)) = self.line
            && offset >= s
            && offset <= e
        {
            return allowed;
        }
        let (s, e) = crate::engine::line_span(self.buf, offset);
        let allowed = is_allowed(self.buf, offset);
        self.line = Some((s, e, allowed));
        allowed
    }
}

/// An allow comment found in a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    /// 1-based line of the comment.
    pub line: usize,
    /// 1-based line it allows: its own, or the next.
    pub target: usize,
}

/// Every allow comment in `buf`, in line order (one per line; a line with
/// both kinds yields two). Costs three substring searches over the buffer,
/// so callers run it only when unused comments are asked for.
pub fn markers(buf: &[u8]) -> Vec<Marker> {
    let mut starts: Vec<usize> = Vec::new();
    for needle in [&b"leakhound:allow"[..], b"gitleaks:allow", b"pragma:"] {
        // One line span per line, not per hit: a long line full of markers
        // stays linear.
        let mut line = None;
        for i in memmem::find_iter(buf, needle) {
            if let Some((s, e)) = line
                && i >= s
                && i <= e
            {
                continue;
            }
            let span = crate::engine::line_span(buf, i);
            starts.push(span.0);
            line = Some(span);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let mut loc = crate::engine::Locator::new(buf);
    let mut out = Vec::new();
    for s in starts {
        let (ls, le) = crate::engine::line_span(buf, s);
        let line = &buf[ls..le];
        let (n, _) = loc.locate(s);
        if allows_same_line(line) {
            out.push(Marker { line: n, target: n });
        }
        if allows_next_line(line) {
            out.push(Marker {
                line: n,
                target: n + 1,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_line_markers_in_any_comment_syntax() {
        for line in [
            "key = 'x' # leakhound:allow",
            "key = 'x' // gitleaks:allow",
            "key = 'x' /* pragma: allowlist secret */",
            "key = 'x' -- leakhound:allow",
            "key = 'x' <!-- pragma:  allowlist secret -->",
        ] {
            assert!(allows_same_line(line.as_bytes()), "{line}");
        }
        assert!(!allows_same_line(b"# leakhound:allow-next-line"));
        assert!(!allows_same_line(b"# pragma: allowlist nextline secret"));
    }

    #[test]
    fn next_line_markers() {
        let buf = b"# leakhound:allow-next-line\nkey = 'x'\nkey = 'y'\n";
        assert!(is_allowed(buf, 30));
        assert!(AllowChecker::new(buf).is_allowed(30));
        assert!(!AllowChecker::new(b"x = 1\ny = 2").is_allowed(3));
        assert!(!is_allowed(buf, 40));
        let buf = b"// pragma: allowlist nextline secret\nkey = 'x'\n";
        assert!(is_allowed(buf, 40));
    }

    #[test]
    fn markers_are_found_with_their_targets() {
        let buf = b"a # leakhound:allow\nb\n// pragma: allowlist nextline secret\nc\nnot a pragma: here\n";
        assert_eq!(
            markers(buf),
            [Marker { line: 1, target: 1 }, Marker { line: 3, target: 4 }]
        );
    }
}
