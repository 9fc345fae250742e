//! Placeholders that documentation and templates put where a secret goes:
//! `sk_live_...`, `<your-key>`, `xxxx`, `${VAR}`, `{{ var }}`, `changeme`,
//! runs of one character, sequential characters, values made only of
//! punctuation (`"********"`, `!@#$%^&*`) and plain English words
//! (`mountains`). Documented example keys are data, not placeholders: see
//! [`crate::rules::public`].

/// Fragments (lowercase) whose presence marks a placeholder.
const MARKERS: &[&str] = &[
    "...",
    "\u{2026}",
    "<",
    ">",
    "****",
    "${",
    "{{",
    "your-",
    "your_",
    "yourkey",
    "changeme",
    "change-me",
    "change_me",
    "example",
    "placeholder",
    "dummy",
    "redacted",
    "[filtered]",
    "[masked]",
    "[hidden]",
    "[removed]",
    "insert-",
    "insert_",
    "replace-",
    "replace_",
    "-here",
    "_here",
];

/// Whether `s` looks like a placeholder rather than a secret: by itself, or
/// once decoded when it is base64 of text (`PHNtdHAtcGFzc3dvcmQ+` is
/// `<smtp-password>`, as Kubernetes Secret templates hold them).
pub fn is_placeholder(s: &[u8]) -> bool {
    is_placeholder_text(s)
        || decoded_text(s).is_some_and(|d| is_placeholder_text(&d) || is_stock_credentials(&d))
}

/// `user:password` (what `Authorization: Basic` encodes) whose password is
/// no secret: a placeholder, the user name again (`admin:admin123`), a word
/// with digits (`test:test123`), or a name for a password
/// (`myuser:mypassword`, `client_id:client_secret`).
fn is_stock_credentials(d: &[u8]) -> bool {
    let Some(colon) = memchr::memchr(b':', d) else {
        return false;
    };
    let (user, pass) = (&d[..colon], &d[colon + 1..]);
    let user_name = |b: &u8| b.is_ascii_alphanumeric() || b"._@+-".contains(b);
    if user.is_empty() || pass.is_empty() || !user.iter().all(user_name) {
        return false;
    }
    let lower = pass.to_ascii_lowercase();
    let core_len = lower
        .iter()
        .rposition(|b| b.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    let core = &lower[..core_len];
    let user = user.to_ascii_lowercase();
    is_placeholder_text(pass)
        || core.is_empty()
        || core == user.as_slice()
        || (core.len() >= 4 && is_english_word(core))
        || [&b"passw"[..], b"passwd", b"secret", b"pwd"]
            .iter()
            .any(|w| memchr::memmem::find(core, w).is_some())
}

fn is_placeholder_text(s: &[u8]) -> bool {
    let lower = s.to_ascii_lowercase();
    if MARKERS
        .iter()
        .any(|m| memchr::memmem::find(&lower, m.as_bytes()).is_some())
    {
        return true;
    }
    if is_punctuation_only(s) || is_english_word(s) {
        return true;
    }
    if has_percent_format(s) || is_bracketed_slot(s) {
        return true;
    }
    // `xxxx` / `XXXX` in one case: mixed case (`jJ4xxXxw`) happens in random base64.
    if memchr::memmem::find(s, b"xxxx").is_some() || memchr::memmem::find(s, b"XXXX").is_some() {
        return true;
    }
    longest_repeat(s) >= 6 || longest_sequence(&lower) >= 8 || distinct(s) < 4
}

/// The text `s` encodes, when `s` is standard base64 (padded, 12 to 256
/// characters) of printable ASCII. Random secrets almost never decode to text.
fn decoded_text(s: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    if s.len() < 12 || s.len() > 256 || s.len() % 4 != 0 {
        return None;
    }
    let d = base64::engine::general_purpose::STANDARD.decode(s).ok()?;
    d.iter().all(|b| (0x20..0x7f).contains(b)).then_some(d)
}

/// A template slot in non-ASCII brackets around words (`⟦django_key⟧`,
/// `«api_token»`, `【password】`).
fn is_bracketed_slot(s: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(s) else {
        return false;
    };
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().next_back()) else {
        return false;
    };
    if first.is_ascii() || last.is_ascii() || s.len() <= first.len_utf8() + last.len_utf8() {
        return false;
    }
    s[first.len_utf8()..s.len() - last.len_utf8()]
        .split(['_', '-', '.', ':', '|', ' '])
        .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A Python `%(name)s` interpolation (alembic.ini, logging configs), not a
/// `%(` inside random text such as a Django key.
fn has_percent_format(s: &[u8]) -> bool {
    memchr::memmem::find_iter(s, b"%(").any(|i| {
        let rest = &s[i + 2..];
        let n = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        n > 0 && rest.get(n) == Some(&b')') && rest.get(n + 1).is_some_and(u8::is_ascii_alphabetic)
    })
}

/// Only ASCII punctuation (and spaces): `--------`, `!@#$%^&*()`.
fn is_punctuation_only(s: &[u8]) -> bool {
    s.iter().any(u8::is_ascii_punctuation)
        && s.iter().all(|b| b.is_ascii_punctuation() || *b == b' ')
}

/// Common English words (SCOWL size 35, lowercase, 4 to 24 letters), sorted.
const WORDS: &str = include_str!("english-words.txt");

/// One common English word, in lowercase, Capitalized or UPPERCASE
/// (`mountains`, `Evergreen`, `WATERFALL`), not a mix (`wAterFall`).
fn is_english_word(s: &[u8]) -> bool {
    use std::sync::OnceLock;
    static SORTED: OnceLock<Vec<&'static str>> = OnceLock::new();
    if !(4..=24).contains(&s.len()) || !s.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    let rest = &s[1..];
    let cased = rest.iter().all(u8::is_ascii_lowercase) || s.iter().all(u8::is_ascii_uppercase);
    if !cased {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    let Ok(lower) = std::str::from_utf8(&lower) else {
        return false;
    };
    let words = SORTED.get_or_init(|| {
        WORDS
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });
    words.binary_search(&lower).is_ok()
}

fn longest_repeat(s: &[u8]) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut prev = None;
    for &b in s {
        run = if Some(b) == prev { run + 1 } else { 1 };
        prev = Some(b);
        best = best.max(run);
    }
    best
}

/// Longest run of alphanumerics each one more (or each one less) than the last.
fn longest_sequence(s: &[u8]) -> usize {
    let mut best = 1;
    let (mut up, mut down) = (1, 1);
    for w in s.windows(2) {
        let ok = w[0].is_ascii_alphanumeric() && w[1].is_ascii_alphanumeric();
        up = if ok && w[1] == w[0].wrapping_add(1) {
            up + 1
        } else {
            1
        };
        down = if ok && w[1] == w[0].wrapping_sub(1) {
            down + 1
        } else {
            1
        };
        best = best.max(up).max(down);
    }
    best
}

fn distinct(s: &[u8]) -> usize {
    let mut seen = [false; 256];
    s.iter().for_each(|&b| seen[b as usize] = true);
    seen.iter().filter(|&&x| x).count()
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;

    #[test]
    fn placeholders() {
        for p in [
            "sk_live_...",
            "<secret>",
            "sk_test_xxxxxxxxxxxxxxxx",
            "${STRIPE_KEY}",
            "{{ stripe_key }}",
            "postgresql://app:%(DB_PASSWORD)s@db/app",
            "\u{27e6}django_key\u{27e7}",
            "\u{ab}gen_pw:pgpass_password\u{bb}",
            "your-secret-key-here",
            "changeme",
            "AKIAIOSFODNN7EXAMPLE",
            "aaaaaaaaaaaaaaaa",
            "sk_live_1234567890abcdef",
            "abababababab",
            "!@#$%^&*()",
            "--==++__",
            "mountains",
            "Strawberries",
            "WATERFALL",
            // Basic credentials: base64 of user:password, admin:admin123,
            // test:test123, client_id:client_secret
            "dXNlcjpwYXNzd29yZA==",
            "YWRtaW46YWRtaW4xMjM=",
            "dGVzdDp0ZXN0MTIz",
            "Y2xpZW50X2lkOmNsaWVudF9zZWNyZXQ=",
            "PHNtdHAtcGFzc3dvcmQ+",
            "UkVQTEFDRV9NRQ==",
            "sk_live_XXXXXXXXXXXXXXXX",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        for s in [
            "Zq81bT0pLmW4vXs7Kd2Rn6Yc",
            "9f8e7d6c5b4a3928",
            "jJ4xxXxwzVjIpwjxnMR-iDvfoP1dBTMsMss62n6oF3E",
            // base64 of a real-looking password is not a placeholder
            "eDkqZHdeI2ZFcUh4R1Q=",
            // a Django key may hold `%(`
            "8fi)fry)x!%(%io3ed1g5@%yhp(m=f=x!ld6dgfxica@%yho3a",
            // a word with something else is not a plain word
            "umbrella!",
            "Evergreen1",
            "wAterFall",
            "!@#$%^&*a",
            // ci-bot:GcT9feMsuzeP6yDiZ7EX
            "Y2ktYm90OkdjVDlmZU1zdXplUDZ5RGlaN0VY",
        ] {
            assert!(!is_placeholder(s.as_bytes()), "{s}");
        }
    }
}
