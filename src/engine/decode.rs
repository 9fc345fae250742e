//! Secrets one encoding away: base64 values that the engine decodes and
//! scans again, reporting what it finds at the encoded value.
//!
//! Three places hold such values: Kubernetes `Secret` manifests (every `data:`
//! value is base64), base64 values assigned to secret-looking names
//! (`PRIVATE_KEY_B64=...`), and values that start with one of the
//! [`TRIGGERS`], the base64 of a PEM header (`LS0tLS1CRUdJTi`, `-----BEGIN`)
//! wherever it stands: a Helm value, a JSON field, an env var of any name,
//! wrapped over several lines or not. Work is bounded: only values of at
//! most [`MAX_ENCODED`] bytes, at most [`MAX_DECODED_TOTAL`] decoded bytes per
//! buffer, and a decoded value is itself decoded at most once more
//! ([`MAX_DEPTH`]). Decoded bytes that are not text (images, archives) are
//! dropped without scanning.

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use regex::bytes::Regex;

/// Largest encoded value that is decoded (a base64 PEM key is 2-5 KB).
pub const MAX_ENCODED: usize = 64 * 1024;
/// Decoded bytes per scanned buffer, all values together.
pub const MAX_DECODED_TOTAL: usize = 4 << 20;
/// How many encodings deep a secret is looked for.
pub const MAX_DEPTH: usize = 2;

/// Keywords of the engine's own (not of a rule): where one hits, an encoded
/// value starts that is worth decoding whatever names it. `LS0tLS1CRUdJTi` is
/// the base64 of `-----BEGIN` at the start of a value: a PEM block (private
/// key, certificate) encoded once more.
pub const TRIGGERS: [&[u8]; 1] = [b"LS0tLS1CRUdJTi"];

/// Trigger hits looked at per buffer.
pub const MAX_TRIGGERS: usize = 1024;

/// A wrapped base64 line (as `base64` and PEM tools write them) is at least
/// this long; a shorter line ends the value.
const MIN_WRAPPED_LINE: usize = 60;

/// The span of the base64 value that starts at `at` (where a trigger hit),
/// or `None` when no trigger starts there (case matters, unlike the
/// prefilter) or the value is a piece of a longer base64 run. The value may
/// be wrapped: a line of at least [`MIN_WRAPPED_LINE`] characters that ends
/// the line goes on with the next line's run, after its indentation, when
/// that run is all the line holds. At most [`MAX_ENCODED`] bytes.
pub fn triggered_value(buf: &[u8], at: usize) -> Option<(usize, usize)> {
    let is_b64 = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=');
    let before = at.checked_sub(1).map(|i| buf[i]);
    if !TRIGGERS.iter().any(|t| buf[at..].starts_with(t))
        || before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    {
        return None;
    }
    let limit = buf.len().min(at + MAX_ENCODED);
    let run = |from: usize| buf[from..limit].iter().take_while(|&&b| is_b64(b)).count();
    let mut end = at + run(at);
    let mut line_len = end - at;
    while line_len >= MIN_WRAPPED_LINE && end < limit && !buf[end - 1].eq(&b'=') {
        let next = match buf[end..limit] {
            [b'\n', ..] => end + 1,
            [b'\r', b'\n', ..] => end + 2,
            _ => break,
        };
        let indent = buf[next..limit]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let from = next + indent;
        let n = run(from);
        let after = from + n;
        let whole_line = after == buf.len() || matches!(buf.get(after), Some(b'\n' | b'\r'));
        if n == 0 || !whole_line {
            break;
        }
        end = after;
        line_len = n;
    }
    Some((at, end))
}

/// A base64 value (group `v`, at least [`MIN_RUN`] characters) assigned to a
/// secret-looking name.
const NAMED_VALUE_PATTERN: &str = r#"(?i)(?:secret|token|key|passw(?:or)?d|pwd|credential)[A-Za-z0-9_.\-]*["']?[ \t]*(?::|=|:=|=>)[ \t]*["']?(?P<v>[A-Za-z0-9+/]{24,}={0,2})(?:[^A-Za-z0-9+/=]|$)"#;

/// Byte spans of base64 values worth decoding in `buf`: every value of a
/// Kubernetes `Secret` manifest, and base64 values assigned to secret-looking
/// names within `windows` (sorted by start; the lines where such names occur, as the keyword
/// prefilter found them; this keeps the regex off most of the buffer).
pub fn candidates(buf: &[u8], k8s: bool, windows: &[(usize, usize)]) -> Vec<(usize, usize)> {
    static K8S_VALUE: OnceLock<Regex> = OnceLock::new();
    static NAMED_VALUE: OnceLock<Regex> = OnceLock::new();
    let mut out = Vec::new();
    if k8s {
        let re = K8S_VALUE.get_or_init(|| {
            crate::rules::build_regex(
                r#"(?m)^[ \t]*"?[A-Za-z0-9_.\-]+"?[ \t]*:[ \t]*["']?(?P<v>[A-Za-z0-9+/_\-]{12,}={0,2})["']?[ \t]*,?\r?$"#,
            )
            .expect("k8s value regex")
        });
        push_groups(re, buf, 0, buf.len(), &mut out);
    }
    let re = NAMED_VALUE
        .get_or_init(|| crate::rules::build_regex(NAMED_VALUE_PATTERN).expect("named value regex"));
    // Several rules' windows cover the same lines: each byte once.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for &(ws, we) in windows {
        match merged.last_mut() {
            Some(last) if ws <= last.1 => last.1 = last.1.max(we),
            _ => merged.push((ws, we)),
        }
    }
    // The value is a run of at least MIN_RUN base64 characters on the line
    // of its name: only lines that hold one are searched (most lines with a
    // secret-looking name hold none, and the search is slow on them).
    for (ws, we) in merged {
        for_lines_with_run(buf, ws, we, |ls, le| push_groups(re, buf, ls, le, &mut out));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The shortest named base64 value [`candidates`] looks for.
const MIN_RUN: usize = 24;

/// Calls `f(start, end)` for each line of `buf[ws..we]` (cut to the window,
/// with its newline) where an assignment (`=`, `:`, `=>`), optional blanks
/// and an optional quote are followed by a run of at least [`MIN_RUN`]
/// characters of `[A-Za-z0-9+/]`, as the value of [`NAMED_VALUE_PATTERN`]
/// must be.
fn for_lines_with_run(buf: &[u8], ws: usize, we: usize, mut f: impl FnMut(usize, usize)) {
    let is_base64 = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
    let mut from = ws;
    while let Some(p) = memchr::memchr3(b':', b'=', b'>', &buf[from..we]) {
        let op = from + p;
        let mut j = op + 1;
        while j < we && matches!(buf[j], b' ' | b'\t') {
            j += 1;
        }
        if j < we && matches!(buf[j], b'"' | b'\'') {
            j += 1;
        }
        let run = buf[j..we.min(j + MIN_RUN)]
            .iter()
            .take_while(|&&b| is_base64(b))
            .count();
        if run < MIN_RUN {
            from = op + 1;
            continue;
        }
        let ls = memchr::memrchr(b'\n', &buf[ws..op]).map_or(ws, |p| ws + p + 1);
        let le = memchr::memchr(b'\n', &buf[op..we]).map_or(we, |p| op + p + 1);
        f(ls, le);
        from = le;
    }
}

fn push_groups(re: &Regex, buf: &[u8], start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let mut locs = re.capture_locations();
    let group = re.capture_names().position(|n| n == Some("v")).unwrap_or(1);
    let hay = &buf[..end];
    let mut pos = start;
    while let Some(m) = re.captures_read_at(&mut locs, hay, pos) {
        pos = m.end().max(pos + 1);
        if let Some((vs, ve)) = locs.get(group)
            && ve - vs <= MAX_ENCODED
        {
            out.push((vs, ve));
        }
    }
}

/// The span of `buf` without surrounding whitespace, when all of it is one
/// base64 value (a value that was encoded twice).
pub fn whole_value(buf: &[u8]) -> Option<(usize, usize)> {
    let start = buf.iter().position(|b| !b.is_ascii_whitespace())?;
    let end = buf.iter().rposition(|b| !b.is_ascii_whitespace())? + 1;
    let v = &buf[start..end];
    (v.len() >= 12
        && v.len() <= MAX_ENCODED
        && v.iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'_' | b'-' | b'=')))
    .then_some((start, end))
}

/// Percent-decodes a URL component (`p%40ss` gives `p@ss`), or `None` when
/// it holds no valid `%XX` escape. A `%` not followed by two hex digits is
/// kept as it is; `+` stays `+` (user info is not form-encoded).
pub fn percent_decode(s: &[u8]) -> Option<Vec<u8>> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut escaped = false;
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%'
            && let (Some(h), Some(l)) = (
                s.get(i + 1).copied().and_then(hex),
                s.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(h << 4 | l);
            escaped = true;
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    escaped.then_some(out)
}

/// Whether `buf` is a Kubernetes `Secret` manifest (YAML or JSON).
pub fn is_k8s_secret(buf: &[u8]) -> bool {
    // One pass for the rare word; the `kind` before it is checked in place.
    static SECRET: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let finder = SECRET.get_or_init(|| memchr::memmem::Finder::new(b"Secret"));
    let kind = finder.find_iter(buf).any(|p| {
        let before = &buf[p.saturating_sub(9)..p];
        let whole_word = !buf.get(p + 6).is_some_and(|b| b.is_ascii_alphanumeric());
        whole_word && before.ends_with(b"kind: ")
            || before.ends_with(b"\"kind\": \"")
            || before.ends_with(b"\"kind\":\"")
    });
    kind && (memchr::memmem::find(buf, b"data:").is_some()
        || memchr::memmem::find(buf, b"\"data\"").is_some())
}

/// Decodes a base64 (standard or url-safe) value into text, or `None` when
/// it is not base64 or does not decode to text.
pub fn decode_text(encoded: &[u8]) -> Option<Vec<u8>> {
    // A value wrapped over lines ([`triggered_value`]): its whitespace goes.
    let unwrapped: Vec<u8>;
    let encoded = if encoded.iter().any(|b| b.is_ascii_whitespace()) {
        unwrapped = encoded
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        &unwrapped
    } else {
        encoded
    };
    let decoded = STANDARD
        .decode(encoded)
        .or_else(|_| URL_SAFE.decode(encoded))
        .or_else(|_| {
            let trimmed: Vec<u8> = encoded.iter().copied().filter(|&b| b != b'=').collect();
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed)
        })
        .ok()?;
    is_text(&decoded).then_some(decoded)
}

/// Text: valid UTF-8 without NUL, or at least 95% printable ASCII.
fn is_text(d: &[u8]) -> bool {
    if d.len() < 8 || d.contains(&0) {
        return false;
    }
    if std::str::from_utf8(d).is_ok_and(|s| s.chars().all(|c| !c.is_control() || c.is_whitespace()))
    {
        return true;
    }
    let printable = d
        .iter()
        .filter(|&&b| (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\r' || b == b'\t')
        .count();
    printable * 100 >= d.len() * 95
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    #[test]
    fn finds_values_in_k8s_secrets_and_named_assignments() {
        let v = STANDARD.encode(format!("postgres://app:{}@db/app", "q8Zr2LxT9vKk"));
        let manifest = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  url: {v}\n"
        );
        assert!(is_k8s_secret(manifest.as_bytes()));
        let c = candidates(manifest.as_bytes(), true, &[]);
        assert_eq!(c.len(), 1);
        assert_eq!(&manifest.as_bytes()[c[0].0..c[0].1], v.as_bytes());
        let named = format!("PRIVATE_KEY_B64={v}\n");
        let all = [(0, named.len())];
        assert_eq!(candidates(named.as_bytes(), false, &all).len(), 1);
        // Outside a Secret and without a secret-looking name: nothing.
        let image = format!("image: {v}\n");
        assert!(!is_k8s_secret(image.as_bytes()));
        assert!(candidates(image.as_bytes(), false, &[(0, image.len())]).is_empty());
        for json in [
            r#"{"kind": "Secret", "data": {}}"#,
            r#"{"kind":"Secret","data":{}}"#,
        ] {
            assert!(is_k8s_secret(json.as_bytes()), "{json}");
        }
        assert!(!is_k8s_secret(b"kind: SecretStore\nSecret data: x"));
    }

    #[test]
    fn searching_only_lines_with_a_run_finds_what_searching_everything_finds() {
        let v = STANDARD.encode("a value long enough to be a run of base64");
        let text = format!(
            "token = 'short'\nPRIVATE_KEY_B64={v}\nx secret: \"{v}\", api_key => {v}\n\
             no name here {v}\nkey={v}"
        );
        let buf = text.as_bytes();
        let re = crate::rules::build_regex(NAMED_VALUE_PATTERN).unwrap();
        for (ws, we) in [(0, buf.len()), (16, buf.len() - 3), (40, 90)] {
            let mut expected = Vec::new();
            push_groups(&re, buf, ws, we, &mut expected);
            let mut got = Vec::new();
            for_lines_with_run(buf, ws, we, |ls, le| {
                push_groups(&re, buf, ls, le, &mut got)
            });
            assert_eq!(got, expected, "window {ws}..{we}");
        }
        assert_eq!(candidates(buf, false, &[(0, buf.len())]).len(), 4);
    }

    #[test]
    fn a_triggered_value_runs_to_its_end_across_wrapped_lines() {
        let pem = format!(
            "-----BEGIN EC PRIVATE KEY-----\n{}\n-----END EC PRIVATE KEY-----\n",
            "MHcCAQEEIF4ijWJhKdNkuPlxwLOrV+sSRLS2V8lr6ulqko4FH281oAoGCCqGSM49"
        );
        let v = STANDARD.encode(&pem);
        let at = |text: &str| text.find("LS0tLS1CRUdJTi").unwrap();
        // One line, after `=` or a quote.
        for text in [
            format!("TLS_PEM={v}\nNEXT=1\n"),
            format!("{{\"k\": \"{v}\"}}"),
        ] {
            let (s, e) = triggered_value(text.as_bytes(), at(&text)).unwrap();
            assert_eq!(&text[s..e], v, "{text}");
            assert_eq!(decode_text(&text.as_bytes()[s..e]).unwrap(), pem.as_bytes());
        }
        // Wrapped at 64 columns under a YAML block scalar: the lines join,
        // the next key does not.
        let lines: Vec<&str> = v
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        let text = format!("pem: |\n  {}\nnext: value\n", lines.join("\n  "));
        let (s, e) = triggered_value(text.as_bytes(), at(&text)).unwrap();
        assert!(text[e..].starts_with("\nnext:"));
        assert_eq!(decode_text(&text.as_bytes()[s..e]).unwrap(), pem.as_bytes());
        // Inside a longer run, or in another case: no value starts there.
        let inside = format!("x=QUJD{v}");
        assert!(triggered_value(inside.as_bytes(), at(&inside)).is_none());
        let lower = v.to_ascii_lowercase();
        assert!(triggered_value(lower.as_bytes(), 0).is_none());
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode(b"p%40ss%2Fw0rd").unwrap(), b"p@ss/w0rd");
        assert_eq!(percent_decode(b"%3Cpassword%3E").unwrap(), b"<password>");
        assert_eq!(percent_decode(b"%24%7bDB_PASS%7D").unwrap(), b"${DB_PASS}");
        assert_eq!(percent_decode(b"100%25+x%zz%4").unwrap(), b"100%+x%zz%4");
        assert!(percent_decode(b"plain+text%").is_none());
        assert!(percent_decode(b"%s").is_none());
    }

    #[test]
    fn decodes_only_text() {
        assert_eq!(
            decode_text(STANDARD.encode("hello world, text").as_bytes()).unwrap(),
            b"hello world, text"
        );
        assert!(
            decode_text(
                STANDARD
                    .encode([0u8, 1, 2, 3, 255, 254, 9, 8, 7])
                    .as_bytes()
            )
            .is_none()
        );
        assert!(decode_text(b"not base64 at all!").is_none());
    }
}
