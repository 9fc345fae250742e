//! Escaping of text that comes from a repository or a scanned file (paths,
//! commit summaries and authors, secrets shown with `--no-redact`, names and
//! remediation of rules from a project config, baseline file names) before it
//! reaches a terminal, a CI log or a human-readable report.
//!
//! Such text must not drive the terminal (ESC sequences clear the screen,
//! retitle the window, hide the prompt) nor start a line of its own (a path
//! holding `\n::add-mask::x` would be a GitHub Actions workflow command).
//! Every printer uses these functions; the escape is visible and
//! unambiguous, in the style of Rust string literals:
//!
//! | character | shown as |
//! |---|---|
//! | line feed, carriage return, tab | `\n`, `\r`, `\t` |
//! | other C0 controls and DEL (U+0000-U+001F, U+007F) | `\x1b`, `\x7f` (two lowercase hex digits) |
//! | C1 controls (U+0080-U+009F), Unicode line and paragraph separators, bidirectional controls | `\u{85}`, `\u{2028}`, `\u{202e}` |
//! | a byte that is not part of valid UTF-8 (paths only) | `\xff` (always 80-ff, so never a control) |
//! | backslash (by [`text`] and [`bytes`]) | `\\` |
//!
//! [`text`] and [`bytes`] are injective: two different inputs never print
//! the same. [`controls`] leaves backslashes alone and is idempotent, so it
//! can guard whole lines (stderr messages) that may already hold escaped
//! parts.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not be printed as itself: C0 and C1 controls and DEL
/// (`char::is_control`), the Unicode line and paragraph separators, and the
/// bidirectional formatting characters that reorder what a terminal shows.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

fn push_char(out: &mut String, c: char, backslash: bool) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\\' if backslash => out.push_str("\\\\"),
        c if (c as u32) < 0x80 && is_unsafe(c) => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if is_unsafe(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

fn escape_str(s: &str, backslash: bool) -> Cow<'_, str> {
    let needs = |c: char| is_unsafe(c) || (backslash && c == '\\');
    let Some(first) = s.find(needs) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        push_char(&mut out, c, backslash);
    }
    Cow::Owned(out)
}

/// `s` with unsafe characters ([`is_unsafe`]) and backslashes escaped:
/// for any text from a repository or a scanned file. Borrows when nothing
/// needs escaping.
pub fn text(s: &str) -> Cow<'_, str> {
    escape_str(s, true)
}

/// `s` with unsafe characters escaped and backslashes kept: a guard for
/// whole messages (stderr lines, notes) whose parts may already be escaped.
/// Idempotent, and the identity on the output of [`text`] and [`bytes`].
pub fn controls(s: &str) -> Cow<'_, str> {
    escape_str(s, false)
}

/// Raw bytes (a file name) as text: valid UTF-8 as [`text`] shows it, every
/// byte that is not part of valid UTF-8 as `\xNN`. Injective.
pub fn bytes(b: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) => text(s),
        Err(_) => {
            let mut out = String::with_capacity(b.len() + 8);
            for chunk in b.utf8_chunks() {
                out.push_str(&text(chunk.valid()));
                for byte in chunk.invalid() {
                    let _ = write!(out, "\\x{byte:02x}");
                }
            }
            Cow::Owned(out)
        }
    }
}

/// Reverses [`bytes`] (and [`text`]): the raw bytes an escaped string stands
/// for, or `None` if `s` is not the output of [`bytes`] (an unknown or
/// malformed escape, or an escaped character that would not have been).
pub fn unescape(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut chars = s.char_indices();
    while let Some((_, c)) = chars.next() {
        if c != '\\' {
            if is_unsafe(c) {
                return None;
            }
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next()?.1 {
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            '\\' => out.push(b'\\'),
            'x' => {
                let hi = chars.next()?.1.to_digit(16)?;
                let lo = chars.next()?.1.to_digit(16)?;
                let b = (hi * 16 + lo) as u8;
                // Controls below 0x80 and invalid bytes at or above it.
                if b < 0x80 && !is_unsafe(b as char) {
                    return None;
                }
                out.push(b);
            }
            'u' => {
                if chars.next()?.1 != '{' {
                    return None;
                }
                let mut n = 0u32;
                loop {
                    let d = chars.next()?.1;
                    if d == '}' {
                        break;
                    }
                    n = n.checked_mul(16)?.checked_add(d.to_digit(16)?)?;
                }
                let c = char::from_u32(n).filter(|&c| is_unsafe(c) && n >= 0x80)?;
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Prints `leakhound: MSG` as one line on standard error, with control
/// characters in `msg` escaped ([`controls`]): no line break, no ESC, and the
/// line starts with `leakhound:`, so it cannot start a workflow command.
pub fn stderr_line(msg: &str) {
    use std::io::Write;
    let line = format!("leakhound: {}\n", controls(msg));
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// A line of a report that starts with repository text (a path) must not
/// start a workflow command: GitHub Actions reads a line whose first
/// non-white-space characters are `::` as one. Such text gets `./` in front
/// (the same path, for a relative path).
pub fn line_start(s: &str) -> Cow<'_, str> {
    if s.starts_with(char::is_whitespace) || s.starts_with(':') {
        Cow::Owned(format!("./{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Writes `value` as pretty-printed JSON (as `serde_json::to_writer_pretty`
/// does), with the unsafe characters JSON itself leaves raw (DEL, C1
/// controls, line separators, bidirectional controls; JSON escapes the C0
/// controls already) written as `\uXXXX` escapes: the same JSON value,
/// inert on a terminal.
pub fn write_json_pretty<T: serde::Serialize + ?Sized>(
    out: &mut dyn std::io::Write,
    value: &T,
) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, InertJson::default());
    value.serialize(&mut ser).map_err(std::io::Error::from)
}

/// serde_json's pretty formatter, with [`write_json_pretty`]'s escapes.
#[derive(Default)]
struct InertJson<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for InertJson<'_> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{u:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_visibly() {
        assert_eq!(text("plain/path.txt"), "plain/path.txt");
        assert!(matches!(text("plain"), Cow::Borrowed(_)));
        assert_eq!(
            text("x\n::add-mask::y\r\t.txt"),
            "x\\n::add-mask::y\\r\\t.txt"
        );
        assert_eq!(text("a\x1b[2Jb\x07\x7f\0"), "a\\x1b[2Jb\\x07\\x7f\\x00");
        assert_eq!(text("c1\u{9b}31m"), "c1\\u{9b}31m");
        assert_eq!(text("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(text("line\u{2028}sep"), "line\\u{2028}sep");
        assert_eq!(text("C:\\dir"), "C:\\\\dir");
        assert_eq!(text("ünïcode ✓ 日本"), "ünïcode ✓ 日本");
    }

    #[test]
    fn controls_only_keeps_backslashes_and_is_idempotent() {
        assert_eq!(controls("a\\b\x1b"), "a\\b\\x1b");
        for s in ["a\x1b\\n\n", "x\u{85}y", "\\x1b", "plain"] {
            let once = controls(s).into_owned();
            assert_eq!(controls(&once), once);
            let full = text(s).into_owned();
            assert_eq!(controls(&full), full);
        }
    }

    #[test]
    fn invalid_bytes_are_hex_and_the_escape_is_injective() {
        assert_eq!(bytes(b"bad\xff.txt"), "bad\\xff.txt");
        assert_eq!(bytes(b"bad\\xff.txt"), "bad\\\\xff.txt");
        assert_eq!(bytes(b"caf\xc3\xa9\xc3"), "caf\u{e9}\\xc3");
        assert_eq!(bytes(b"\x1b\xff"), "\\x1b\\xff");
        let names: [&[u8]; 9] = [
            b"bad\xff.txt",
            b"bad\xfe.txt",
            b"bad\\xff.txt",
            b"bad\\\\xff.txt",
            b"a\nb",
            b"a\\nb",
            b"\xc2\x85",
            b"\\u{85}",
            b"\xc2",
        ];
        let shown: std::collections::HashSet<String> =
            names.iter().map(|n| bytes(n).into_owned()).collect();
        assert_eq!(shown.len(), names.len(), "{shown:?}");
        for n in names {
            assert_eq!(unescape(&bytes(n)).as_deref(), Some(n), "{n:?}");
        }
        assert_eq!(unescape("a\\qb"), None);
        assert_eq!(unescape("a\\x41"), None, "an escaped printable");
        assert_eq!(unescape("raw\x1b"), None);
    }

    #[test]
    fn json_keeps_the_value_and_escapes_what_json_leaves_raw() {
        let value = serde_json::json!({"a": "x\u{7f}\u{9b}\u{202e}\u{1F600}\x1b\n", "b": [1, "é"]});
        let mut out = Vec::new();
        write_json_pretty(&mut out, &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text}");
        assert!(
            text.contains("x\\u007f\\u009b\\u202e\u{1F600}\\u001b\\n"),
            "{text}"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
        assert_eq!(
            text,
            serde_json::to_string_pretty(&value)
                .unwrap()
                .replace("\u{7f}\u{9b}\u{202e}", "\\u007f\\u009b\\u202e")
        );
    }

    #[test]
    fn no_line_starts_a_workflow_command() {
        assert_eq!(line_start("::add-mask::x"), "./::add-mask::x");
        assert_eq!(line_start("\u{3000}::warning::x"), "./\u{3000}::warning::x");
        assert_eq!(line_start("src/a.py"), "src/a.py");
    }
}
