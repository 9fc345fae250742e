//! Placeholders that documentation and templates put where a secret goes:
//! `sk_live_...`, `<your-key>`, `xxxx`, `${VAR}`, `{{ var }}`, `changeme`,
//! runs of one character, sequential characters, documented example keys.

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

/// Distinctive parts of keys that providers publish in their documentation
/// (Stripe's API reference keys, jwt.io's sample token: its classic signature,
/// and the start of its payload `{"sub":"1234567890","name":"John Doe"`, which
/// every variant of the sample shares whatever its other claims and key).
const DOCUMENTED_EXAMPLES: &[&str] = &[
    "4ec39hqlyjwdarjtt1zdp7dc",
    "bqokikjovbii2hlwgh4olfq2",
    "sflkxwrjsmekkf2qt4fwpmejf36pok6yjv_adqssw5c",
    "eyjzdwiioiixmjm0nty3odkwiiwibmftzsi6ikpvag4grg9l",
];

/// Whether `s` looks like a placeholder rather than a secret: by itself, or
/// once decoded when it is base64 of text (`PHNtdHAtcGFzc3dvcmQ+` is
/// `<smtp-password>`, as Kubernetes Secret templates hold them).
pub fn is_placeholder(s: &[u8]) -> bool {
    is_placeholder_text(s) || decoded_text(s).is_some_and(|d| is_placeholder_text(&d))
}

fn is_placeholder_text(s: &[u8]) -> bool {
    let lower = s.to_ascii_lowercase();
    if MARKERS
        .iter()
        .chain(DOCUMENTED_EXAMPLES)
        .any(|m| memchr::memmem::find(&lower, m.as_bytes()).is_some())
    {
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
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
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
        ] {
            assert!(!is_placeholder(s.as_bytes()), "{s}");
        }
    }
}
