//! How rare a short string is in source code and prose, estimated from a
//! table of byte-pair frequencies (`bigrams.bin`, made by `bigrams.py` from
//! locally installed code) and a table of the most common 4-byte strings
//! (`quadgrams.bin`, by `quadgrams.py` from the same code), and the choice of
//! each keyword's rarest window.
//!
//! The sieve's cost is the number of positions where an anchor occurs: a
//! keyword such as `connectionstring` anchored at `ring` (common letters)
//! costs thirty times more than one anchored at `nstr`. A first-order
//! Markov estimate over byte pairs ranks windows far better than the
//! frequency of their single bytes.

use std::sync::OnceLock;

/// `8 * log2(count + 1)` of each lowercased byte pair, row = first byte.
static BIGRAMS: &[u8; 65536] = include_bytes!("bigrams.bin");
/// The 16,384 most common lowercased 4-byte strings, sorted, 5 bytes each:
/// the string, then `8 * log2(count + 1)`.
static QUADGRAMS: &[u8] = include_bytes!("quadgrams.bin");

/// How common the 4-byte string `w` is, if it is one of [`QUADGRAMS`].
fn quadgram(w: &[u8]) -> Option<u8> {
    let n = QUADGRAMS.len() / 5;
    let entry = |i: usize| &QUADGRAMS[i * 5..i * 5 + 5];
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match entry(mid)[..4].cmp(w) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(entry(mid)[4]),
        }
    }
    None
}

/// The least common entry of [`QUADGRAMS`]: a 4-byte string not in the
/// table is rarer than this.
fn quadgram_floor() -> f64 {
    static FLOOR: OnceLock<f64> = OnceLock::new();
    *FLOOR.get_or_init(|| {
        QUADGRAMS
            .chunks_exact(5)
            .map(|e| f64::from(e[4]))
            .fold(f64::MAX, f64::min)
    })
}

/// The table, and per byte the `8 * log2` of how often it starts a pair.
struct Model {
    pair: &'static [u8; 65536],
    first: [f64; 256],
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let mut first = [0.0; 256];
        for (a, slot) in first.iter_mut().enumerate() {
            let total: f64 = BIGRAMS[a << 8..(a + 1) << 8]
                .iter()
                .map(|&v| (f64::from(v) / 8.0).exp2() - 1.0)
                .sum();
            *slot = 8.0 * (total + 1.0).log2();
        }
        Model {
            pair: BIGRAMS,
            first,
        }
    })
}

/// `8 * log2` of the estimated count of `w` (lowercase) in the reference
/// text: higher is more common. A 4-byte string is looked up among the most
/// common ones first: the byte-pair estimate cannot see that `from` or
/// `oken` is a whole common word.
pub(super) fn commonness_of(w: &[u8]) -> f64 {
    if w.len() == 4 {
        return match quadgram(w) {
            Some(c) => f64::from(c),
            None => pair_estimate(w).min(quadgram_floor() - 1.0),
        };
    }
    pair_estimate(w)
}

/// The byte-pair (first-order Markov) estimate of [`commonness_of`].
fn pair_estimate(w: &[u8]) -> f64 {
    let m = model();
    let pair = |a: u8, b: u8| f64::from(m.pair[usize::from(a) << 8 | usize::from(b)]);
    match w {
        [] => 0.0,
        [a] => m.first[usize::from(*a)],
        _ => {
            let mut c = pair(w[0], w[1]);
            for j in 1..w.len() - 1 {
                c += pair(w[j], w[j + 1]) - m.first[usize::from(w[j])];
            }
            c
        }
    }
}

/// The anchor of a keyword (lowercase): the offset and length of its rarest
/// window of `len` bytes (the first of equals), or the whole keyword when it
/// is not longer.
pub(super) fn anchor_of(keyword: &[u8], len: usize) -> (usize, usize) {
    if keyword.len() <= len {
        return (0, keyword.len());
    }
    let best = (0..=keyword.len() - len)
        .map(|i| (i, commonness_of(&keyword[i..i + len])))
        .min_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)))
        .map_or(0, |(i, _)| i);
    (best, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_rank_above_rare_strings() {
        assert!(commonness_of(b"ring") > commonness_of(b"nstr"));
        assert!(commonness_of(b"tion") > commonness_of(b"xoxb"));
        assert!(commonness_of(b"the ") > commonness_of(b"q_zx"));
    }

    #[test]
    fn whole_common_words_rank_above_rare_joints() {
        // Each pair of `from` is uncommon, the word is not.
        assert!(commonness_of(b"from") > commonness_of(b"m_se"));
        assert!(commonness_of(b"oken") > commonness_of(b"t_to"));
        assert!(anchor_of(b"from_secret", 4).0 > 0);
        assert!(QUADGRAMS.len() % 5 == 0 && QUADGRAMS.len() >= 5 * 1000);
        assert!(
            QUADGRAMS
                .chunks_exact(5)
                .zip(QUADGRAMS.chunks_exact(5).skip(1))
                .all(|(a, b)| a[..4] < b[..4]),
            "sorted"
        );
    }

    #[test]
    fn anchors_avoid_common_words() {
        let kw = b"connectionstring";
        let (at, len) = anchor_of(kw, 4);
        assert_eq!(len, 4);
        let w = &kw[at..at + len];
        assert_ne!(w, b"ring");
        assert_ne!(w, b"tion");
        assert_eq!(anchor_of(b"hf_", 4), (0, 3));
        // Token prefixes anchor on their punctuation.
        let (at, _) = anchor_of(b"github_pat_", 4);
        assert!(b"github_pat_"[at..at + 4].contains(&b'_'));
    }
}
