//! Shannon entropy of a candidate secret, and the threshold it must reach,
//! adjusted for the alphabet and the length of the candidate.

/// Shannon entropy of `s` in bits per byte.
pub fn shannon(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Size of the smallest usual alphabet `s` is written in: 16 (hex), 36
/// (one-case alphanumerics), 62 (alphanumerics) or 64 (anything else).
pub fn alphabet_size(s: &[u8]) -> u32 {
    if s.iter().all(u8::is_ascii_hexdigit)
        && !(s.iter().any(u8::is_ascii_lowercase) && s.iter().any(u8::is_ascii_uppercase))
    {
        16
    } else if s
        .iter()
        .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
        || s.iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        36
    } else if s.iter().all(u8::is_ascii_alphanumeric) {
        62
    } else {
        64
    }
}

/// The threshold a secret must reach for a rule's `min_entropy`: lowered for
/// small alphabets and short secrets, which cannot reach a high value even
/// when random.
pub fn effective_threshold(min_entropy: f64, s: &[u8]) -> f64 {
    let alphabet = (alphabet_size(s) as f64).log2();
    let length = (s.len().max(2) as f64).log2();
    min_entropy.min(0.82 * alphabet).min(0.85 * length)
}

/// Whether `s` is random enough for a rule with `min_entropy`.
pub fn passes(min_entropy: f64, s: &[u8]) -> bool {
    shannon(s) >= effective_threshold(min_entropy, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_values() {
        assert_eq!(shannon(b""), 0.0);
        assert_eq!(shannon(b"aaaa"), 0.0);
        assert!((shannon(b"abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn thresholds_follow_alphabet_and_length() {
        assert_eq!(alphabet_size(b"deadbeef01"), 16);
        assert_eq!(alphabet_size(b"abcxyz09"), 36);
        assert_eq!(alphabet_size(b"abcXYZ09"), 62);
        assert_eq!(alphabet_size(b"ab/+cd"), 64);
        // Random hex of 32 chars passes a 4.0 threshold once lowered to 3.28.
        assert!(passes(4.0, b"9f8e7d6c5b4a39281706f5e4d3c2b1a0"));
        assert!(!passes(4.0, b"aaaaaaaabbbbbbbbaaaaaaaabbbbbbbb"));
        assert!(!passes(3.5, b"changemechangeme"));
    }
}
