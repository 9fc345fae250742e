//! The keyword prefilter: finds every occurrence of every rule keyword
//! (ASCII case-insensitive, overlapping) in a buffer, in one pass whose cost
//! does not grow with the number of keywords.
//!
//! A plain Aho-Corasick DFA is latency-bound (one dependent table load per
//! byte, a few hundred MB/s), and SIMD searchers such as Teddy take a pass
//! per few dozen literals. Instead, each keyword is represented by an
//! *anchor*: its rarest window of 4 bytes (the whole keyword when it has 3),
//! ranked by a byte-pair frequency model of source code ([`rarity`]). The
//! anchors are searched together by a hashed bitmap of 4-byte windows
//! ([`sieve`]), and each anchor occurrence is verified against the keywords
//! it stands for (one keyword per anchor, usually; keywords that share their
//! rarest window share the anchor and are searched once). Keywords shorter
//! than 3 bytes (possible in custom rules) fall back to an Aho-Corasick
//! automaton for the whole set.

mod rarity;
mod sieve;

use std::cell::RefCell;
use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// One keyword occurrence: keyword index and byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub keyword: usize,
    pub start: usize,
    pub end: usize,
}

/// Finds keyword occurrences. Immutable and `Sync`.
#[derive(Debug)]
pub struct Prefilter {
    keywords: Vec<Vec<u8>>,
    imp: Imp,
}

#[derive(Debug)]
enum Imp {
    Sieve(Anchored),
    Automaton(AhoCorasick),
}

/// The anchors of the [`sieve::Sieve`] and the keywords each stands for.
#[derive(Debug)]
struct Anchored {
    sieve: sieve::Sieve,
    anchors: Vec<Vec<u8>>,
    members: Vec<Members>,
}

/// The keywords one anchor stands for, indexed by the byte next to the
/// anchor: some anchor occurrences belong to none of its keywords (`cret`
/// in `secretary` for `secret_`), and one byte, found with one `memchr`
/// over a few bytes, tells which keywords are left to compare in full.
#[derive(Debug, Default)]
struct Members {
    /// Keywords with bytes before the anchor: the byte right before it.
    before_bytes: Vec<u8>,
    before: Vec<Member>,
    /// Keywords that start with the anchor and go on: the byte right after.
    after_bytes: Vec<u8>,
    after: Vec<Member>,
    /// Keywords that are the anchor itself.
    exact: Vec<usize>,
}

/// A keyword an anchor stands for.
#[derive(Debug, Clone)]
struct Member {
    keyword: usize,
    /// Offset of the anchor in the keyword.
    offset: usize,
}

/// Bytes of a buffer searched at a time: hits are gathered and sorted per
/// chunk, so scratch memory stays bounded whatever the buffer's size.
const CHUNK: usize = 4 << 20;

thread_local! {
    /// Per-thread scratch: the hits of a chunk, before sorting.
    static HITS: RefCell<Vec<Hit>> = const { RefCell::new(Vec::new()) };
}

impl Prefilter {
    /// Builds a prefilter for `keywords` (matched ASCII case-insensitively).
    pub fn new(keywords: &[Vec<u8>]) -> Prefilter {
        let keywords: Vec<Vec<u8>> = keywords.iter().map(|k| k.to_ascii_lowercase()).collect();
        let imp = Anchored::new(&keywords)
            .map(Imp::Sieve)
            .unwrap_or_else(|| Imp::Automaton(automaton(&keywords)));
        Prefilter { keywords, imp }
    }

    /// Builds the Aho-Corasick variant whatever the keywords (for tests and
    /// comparisons).
    pub fn new_automaton(keywords: &[Vec<u8>]) -> Prefilter {
        let keywords: Vec<Vec<u8>> = keywords.iter().map(|k| k.to_ascii_lowercase()).collect();
        let imp = Imp::Automaton(automaton(&keywords));
        Prefilter { keywords, imp }
    }

    /// Whether the one-pass sieve is in use (not the automaton).
    pub fn is_sieve(&self) -> bool {
        matches!(self.imp, Imp::Sieve(_))
    }

    /// How many distinct anchors the sieve searches (0 for the automaton).
    pub fn anchors(&self) -> usize {
        match &self.imp {
            Imp::Sieve(a) => a.anchors.len(),
            Imp::Automaton(_) => 0,
        }
    }

    /// Calls `f` for every keyword occurrence in `buf`, in increasing order
    /// of position (so line by line).
    pub fn for_each_hit(&self, buf: &[u8], mut f: impl FnMut(Hit)) {
        match &self.imp {
            Imp::Automaton(ac) => {
                for m in ac.find_overlapping_iter(buf) {
                    f(Hit {
                        keyword: m.pattern().as_usize(),
                        start: m.start(),
                        end: m.end(),
                    });
                }
            }
            Imp::Sieve(a) => HITS.with(|hits| {
                let mut hits = hits.borrow_mut();
                // A large buffer goes in chunks, each searched with its
                // neighbours' edges (a keyword may straddle a border); a hit
                // belongs to the chunk where it starts.
                let overlap = self.keywords.iter().map(Vec::len).max().unwrap_or(0);
                let mut from = 0;
                loop {
                    let to = (from + CHUNK).min(buf.len());
                    let lo = from.saturating_sub(overlap);
                    let hi = (to + overlap).min(buf.len());
                    let part = &buf[lo..hi];
                    hits.clear();
                    a.sieve.for_each(part, |p, anchor| {
                        a.members[anchor].check(
                            &self.keywords,
                            part,
                            p,
                            a.anchors[anchor].len(),
                            &mut hits,
                        );
                    });
                    if lo > 0 || hi < buf.len() {
                        hits.retain_mut(|h| {
                            h.start += lo;
                            h.end += lo;
                            (from..to).contains(&h.start)
                        });
                    }
                    hits.sort_unstable_by_key(|h| (h.start, h.keyword));
                    for &h in hits.iter() {
                        f(h);
                    }
                    if to == buf.len() {
                        break;
                    }
                    from = to;
                }
                if hits.capacity() > 1 << 20 {
                    // Do not keep a huge buffer alive after a huge file.
                    *hits = Vec::new();
                }
            }),
        }
    }
}

impl Anchored {
    /// The sieve over the keywords' anchors, or `None` if a keyword is
    /// shorter than 3 bytes.
    fn new(keywords: &[Vec<u8>]) -> Option<Anchored> {
        if keywords.is_empty() || keywords.iter().any(|k| k.len() < 3) {
            return None;
        }
        // One anchor per distinct rarest window: the sieve does not care
        // how many there are.
        let mut by_anchor: HashMap<&[u8], usize> = HashMap::new();
        let mut anchors: Vec<Vec<u8>> = Vec::new();
        let mut lists: Vec<Vec<(usize, usize)>> = Vec::new();
        for (k, kw) in keywords.iter().enumerate() {
            let (at, len) = rarity::anchor_of(kw, 4);
            let a = *by_anchor.entry(&kw[at..at + len]).or_insert_with(|| {
                anchors.push(kw[at..at + len].to_vec());
                lists.push(Vec::new());
                anchors.len() - 1
            });
            lists[a].push((k, at));
        }
        let sieve = sieve::Sieve::new(&anchors)?;
        let members = anchors
            .iter()
            .zip(&lists)
            .map(|(a, list)| Members::new(keywords, list, a.len()))
            .collect();
        Some(Anchored {
            sieve,
            anchors,
            members,
        })
    }
}

fn automaton(keywords: &[Vec<u8>]) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(keywords)
        .or_else(|_| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(keywords)
        })
        .expect("keyword automaton")
}

impl Members {
    /// Pushes to `out` the keywords of this anchor that occur around its
    /// occurrence at `p` in `buf` (ASCII case-insensitively).
    fn check(
        &self,
        keywords: &[Vec<u8>],
        buf: &[u8],
        p: usize,
        anchor_len: usize,
        out: &mut Vec<Hit>,
    ) {
        let mut check = |member: &Member| {
            let kw = &keywords[member.keyword];
            let Some(start) = p.checked_sub(member.offset) else {
                return;
            };
            let end = start + kw.len();
            if end <= buf.len() && buf[start..end].eq_ignore_ascii_case(kw) {
                out.push(Hit {
                    keyword: member.keyword,
                    start,
                    end,
                });
            }
        };
        // The lists are short (a keyword or two each): a plain loop beats
        // `memchr`'s setup.
        if p > 0 {
            let b = buf[p - 1].to_ascii_lowercase();
            for (i, _) in self
                .before_bytes
                .iter()
                .enumerate()
                .filter(|(_, x)| **x == b)
            {
                check(&self.before[i]);
            }
        }
        let after = p + anchor_len;
        if after < buf.len() {
            let b = buf[after].to_ascii_lowercase();
            for (i, _) in self
                .after_bytes
                .iter()
                .enumerate()
                .filter(|(_, x)| **x == b)
            {
                check(&self.after[i]);
            }
        }
        for &keyword in &self.exact {
            out.push(Hit {
                keyword,
                start: p,
                end: after,
            });
        }
    }

    /// `list`: (keyword, offset of the anchor in it) pairs.
    fn new(keywords: &[Vec<u8>], list: &[(usize, usize)], anchor_len: usize) -> Members {
        let mut m = Members::default();
        for &(keyword, offset) in list {
            let kw = &keywords[keyword];
            let member = Member { keyword, offset };
            if offset > 0 {
                m.before_bytes.push(kw[offset - 1]);
                m.before.push(member);
            } else if kw.len() > anchor_len {
                m.after_bytes.push(kw[anchor_len]);
                m.after.push(member);
            } else {
                m.exact.push(keyword);
            }
        }
        m
    }
}

/// Rough frequency rank of bytes in source code and prose: a higher rank is
/// more common. Anchors made of rare bytes produce fewer false candidates.
pub(crate) fn commonness(b: u8) -> u32 {
    const RANKED: &[u8] =
        b" etaoinsrlcdhupmf\n_.gy,b(\"=)w;:/kv-x'\t0j1q2z#[]{}<>3456789*+&|!?@$%^~`\\";
    match RANKED.iter().position(|&c| c == b) {
        Some(i) => (RANKED.len() - i) as u32,
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(p: &Prefilter, buf: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut v = Vec::new();
        p.for_each_hit(buf, |h| v.push((h.keyword, h.start, h.end)));
        v
    }

    fn kws(list: &[&str]) -> Vec<Vec<u8>> {
        list.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    /// The built-in keywords, lowercase and distinct.
    fn builtin_keywords() -> Vec<Vec<u8>> {
        let set = crate::rules::RuleSet::builtin().unwrap();
        let mut k: Vec<Vec<u8>> = set
            .rules()
            .iter()
            .flat_map(|r| {
                r.spec
                    .keywords
                    .iter()
                    .map(|k| k.to_ascii_lowercase().into_bytes())
            })
            .collect();
        k.sort();
        k.dedup();
        k
    }

    #[test]
    fn sieve_and_automaton_agree_on_overlapping_case_insensitive_hits() {
        let k = kws(&[
            "secret",
            "client_secret",
            "_key",
            "key=",
            "sk_live_",
            "ghp_",
            "eyj",
            "password",
            "pwd=",
            "akia",
            "secret_access_key",
            "-----begin",
        ]);
        let sieve = Prefilter::new(&k);
        assert!(sieve.is_sieve());
        let ac = Prefilter::new_automaton(&k);
        let text = b"CLIENT_SECRET=x api_key=1 sk_live_y Ghp_z eyJ pwd=PASSWORD\n\
                     aws_secret_access_key AKIA -----BEGIN secretsecret";
        let mut expected = hits(&ac, text);
        expected.sort_by_key(|h| (h.1, h.0));
        assert!(expected.len() >= 14, "{expected:?}");
        assert_eq!(hits(&sieve, text), expected);
    }

    #[test]
    fn chunks_of_a_large_buffer_find_every_hit_once_in_order() {
        // Keywords straddling each chunk border, at every offset, and one
        // right at each edge.
        let k = kws(&["secret", "client_secret", "_key", "password", "akia"]);
        let sieve = Prefilter::new(&k);
        let ac = Prefilter::new_automaton(&k);
        let mut text = vec![b'.'; 2 * CHUNK + 1000];
        for border in [CHUNK, 2 * CHUNK] {
            for (at, kw) in [
                (border - 4, "Password"),
                (border - 200, "CLIENT_SECRET"),
                (border - 300, "api_key"),
                (border - 400, "AKIA"),
            ] {
                text[at..at + kw.len()].copy_from_slice(kw.as_bytes());
            }
        }
        text[..6].copy_from_slice(b"secret");
        let end = text.len();
        text[end - 4..].copy_from_slice(b"akia");
        let mut expected = hits(&ac, &text);
        expected.sort_by_key(|h| (h.1, h.0));
        assert_eq!(expected.len(), 2 * 5 + 2, "{expected:?}");
        assert_eq!(hits(&sieve, &text), expected);
    }

    #[test]
    fn sieve_and_automaton_agree_on_text_made_of_keyword_pieces() {
        // The built-in keywords, and text glued from their pieces (so that
        // anchors occur with every kind of neighbour, at buffer edges too).
        let k = builtin_keywords();
        let sieve = Prefilter::new(&k);
        assert!(sieve.is_sieve());
        let ac = Prefilter::new_automaton(&k);
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..500 {
            let mut text = Vec::new();
            for _ in 0..next(12) {
                let kw = &k[next(k.len())];
                let (a, b) = (next(kw.len() + 1), next(kw.len() + 1));
                text.extend_from_slice(&kw[a.min(b)..a.max(b)]);
                if next(3) == 0 {
                    text.extend_from_slice(&kw[..]);
                }
                if next(4) == 0 {
                    text.push(b"_ -.=:\"'x\x7f@`"[next(12)]);
                }
            }
            if next(2) == 0 {
                text.make_ascii_uppercase();
            }
            let mut expected = hits(&ac, &text);
            expected.sort_by_key(|h| (h.1, h.0));
            assert_eq!(
                hits(&sieve, &text),
                expected,
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
    }

    #[test]
    fn short_keywords_fall_back_to_the_automaton() {
        let k = kws(&["secret", "ab"]);
        let p = Prefilter::new(&k);
        assert!(!p.is_sieve());
        assert_eq!(hits(&p, b"xAB secret"), [(1, 1, 3), (0, 4, 10)]);
    }

    #[test]
    fn hits_at_buffer_edges() {
        let k = kws(&["secret", "key"]);
        let p = Prefilter::new(&k);
        assert_eq!(hits(&p, b"secret"), [(0, 0, 6)]);
        assert_eq!(hits(&p, b"xkey"), [(1, 1, 4)]);
        assert!(hits(&p, b"").is_empty());
    }

    /// The built-in keywords all go to the sieve, anchored on windows rarer
    /// than common words: a keyword anchored on `ring` or `tion` would make
    /// every scan slower (the sieve's cost is its anchors' occurrences).
    #[test]
    fn builtin_keywords_use_the_sieve_with_rare_anchors() {
        let k = builtin_keywords();
        let p = Prefilter::new(&k);
        assert!(p.is_sieve());
        let Imp::Sieve(a) = &p.imp else {
            unreachable!()
        };
        for common in [&b"ring"[..], b"tion", b"form", b"work", b"nfig", b"that"] {
            assert!(
                !a.anchors.iter().any(|x| x == common),
                "a keyword is anchored on {:?}",
                String::from_utf8_lossy(common)
            );
        }
    }
}
