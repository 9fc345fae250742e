//! Placeholders that documentation and templates put where a secret goes:
//! `sk_live_...`, `<your-key>`, `xxxx`, `${VAR}`, `{{ var }}`, `changeme`,
//! runs of one character, sequential characters, documented example keys.

/// Fragments (lowercase) whose presence marks a placeholder.
const MARKERS: &[&str] = &[
    "...",
    "\u{2026}",
    "<",
    ">",
    "xxxx",
    "****",
    "${",
    "{{",
    "%(",
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
    "insert-",
    "insert_",
    "replace-",
    "replace_",
    "-here",
    "_here",
];

/// Distinctive parts of keys that providers publish in their documentation
/// (Stripe's API reference keys, jwt.io's sample token signature).
const DOCUMENTED_EXAMPLES: &[&str] = &[
    "4ec39hqlyjwdarjtt1zdp7dc",
    "bqokikjovbii2hlwgh4olfq2",
    "sflkxwrjsmekkf2qt4fwpmejf36pok6yjv_adqssw5c",
];

/// Whether `s` looks like a placeholder rather than a secret.
pub fn is_placeholder(s: &[u8]) -> bool {
    let lower = s.to_ascii_lowercase();
    if MARKERS
        .iter()
        .chain(DOCUMENTED_EXAMPLES)
        .any(|m| memchr::memmem::find(&lower, m.as_bytes()).is_some())
    {
        return true;
    }
    longest_repeat(s) >= 6 || longest_sequence(&lower) >= 8 || distinct(s) < 4
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
            "your-secret-key-here",
            "changeme",
            "AKIAIOSFODNN7EXAMPLE",
            "aaaaaaaaaaaaaaaa",
            "sk_live_1234567890abcdef",
            "abababababab",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        for s in ["Zq81bT0pLmW4vXs7Kd2Rn6Yc", "9f8e7d6c5b4a3928"] {
            assert!(!is_placeholder(s.as_bytes()), "{s}");
        }
    }
}
