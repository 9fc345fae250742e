//! The keyword prefilter: finds every occurrence of every rule keyword
//! (ASCII case-insensitive, overlapping) in a buffer, at close to memory speed.
//!
//! A plain Aho-Corasick DFA is latency-bound (one dependent table load per
//! byte, a few hundred MB/s). Instead, the keywords are covered by a small set
//! of short *anchors* (substrings chosen so that one anchor serves several
//! keywords: `ecre` for `secret`, `client_secret`, `aws_secret`...), and the
//! anchors are searched with the SIMD "Teddy" algorithm over a lowercased copy
//! of the buffer. Each anchor hit is then verified against the keywords it
//! stands for. Where Teddy is unavailable (no SSSE3/NEON, too many anchors) an
//! Aho-Corasick automaton does the same job.

mod fdr;

use std::cell::RefCell;
use std::collections::HashMap;

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// At most this many anchors go to Teddy; more would slow it below the DFA.
const MAX_ANCHORS: usize = 64;

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
    Teddy(Teddy),
    Fdr(Anchored),
    Automaton(AhoCorasick),
}

/// The anchors of [`fdr::Fdr`] and the keywords each stands for.
#[derive(Debug)]
struct Anchored {
    fdr: fdr::Fdr,
    anchors: Vec<Vec<u8>>,
    members: Vec<Members>,
}

/// Anchors are searched in groups: one SIMD pass per group, each small
/// enough that Teddy's fingerprint stays selective (a few anchors per
/// bucket), and grouped by length so that 4-byte anchors get a 4-byte
/// fingerprint. Several fast passes beat one slow one by far: a single
/// searcher over ~50 anchors spends most of its time verifying false
/// candidates.
#[derive(Debug)]
struct Teddy {
    groups: Vec<Group>,
}

/// One SIMD searcher over a group of anchors.
#[derive(Debug)]
struct Group {
    searcher: packed::Searcher,
    anchors: Vec<Vec<u8>>,
    /// Per anchor: the keywords it stands for.
    members: Vec<Members>,
    /// Per anchor: the anchors that can occur at the same position (itself,
    /// and any that is a prefix of it or has it as a prefix); the searcher
    /// reports only one of them.
    related: Vec<Vec<usize>>,
}

/// The keywords one anchor stands for, indexed by the byte next to the
/// anchor: most anchor occurrences belong to none of its keywords (`key` in
/// `monkey`), and one byte, found with one `memchr` over a few bytes, tells
/// which keywords are left to compare in full.
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

/// At most this many anchors share one SIMD pass.
const GROUP_SIZE: usize = 16;

/// Bytes of a buffer lowercased and searched at a time.
const CHUNK: usize = 4 << 20;

thread_local! {
    /// Per-thread scratch: the lowercased copy of the buffer being scanned.
    static LOWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// Per-thread scratch: hits of every group, before sorting.
    static HITS: RefCell<Vec<Hit>> = const { RefCell::new(Vec::new()) };
}

impl Prefilter {
    /// Builds a prefilter for `keywords` (matched ASCII case-insensitively).
    pub fn new(keywords: &[Vec<u8>]) -> Prefilter {
        let keywords: Vec<Vec<u8>> = keywords.iter().map(|k| k.to_ascii_lowercase()).collect();
        let imp = Teddy::new(&keywords)
            .map(Imp::Teddy)
            .unwrap_or_else(|| Imp::Automaton(automaton(&keywords)));
        Prefilter { keywords, imp }
    }

    /// Builds the Aho-Corasick variant regardless of Teddy's availability
    /// (for tests and comparisons).
    pub fn new_automaton(keywords: &[Vec<u8>]) -> Prefilter {
        let keywords: Vec<Vec<u8>> = keywords.iter().map(|k| k.to_ascii_lowercase()).collect();
        let imp = Imp::Automaton(automaton(&keywords));
        Prefilter { keywords, imp }
    }

    /// Builds the grouped Teddy passes with no cap on their number (for
    /// comparisons), if the keywords allow them at all.
    pub fn new_teddy(keywords: &[Vec<u8>]) -> Option<Prefilter> {
        let keywords: Vec<Vec<u8>> = keywords.iter().map(|k| k.to_ascii_lowercase()).collect();
        let imp = Imp::Teddy(Teddy::build(&keywords, usize::MAX)?);
        Some(Prefilter { keywords, imp })
    }

    /// Builds the one-pass filter (for tests and comparisons).
    pub fn new_fdr(keywords: &[Vec<u8>]) -> Option<Prefilter> {
        let keywords: Vec<Vec<u8>> = keywords.iter().map(|k| k.to_ascii_lowercase()).collect();
        if keywords.iter().any(|k| k.len() < 3) {
            return None;
        }
        // One anchor per distinct rarest window: the filter does not care
        // how many there are.
        let mut by_anchor: HashMap<&[u8], usize> = HashMap::new();
        let mut anchors: Vec<Vec<u8>> = Vec::new();
        let mut members: Vec<Vec<(usize, usize)>> = Vec::new();
        for (k, kw) in keywords.iter().enumerate() {
            let (at, len) = fdr::anchor_of(kw);
            let a = *by_anchor.entry(&kw[at..at + len]).or_insert_with(|| {
                anchors.push(kw[at..at + len].to_vec());
                members.push(Vec::new());
                anchors.len() - 1
            });
            members[a].push((k, at));
        }
        let fdr = fdr::Fdr::new(&anchors)?;
        let members = anchors
            .iter()
            .zip(&members)
            .map(|(a, m)| Members::new(&keywords, m, a.len()))
            .collect();
        let imp = Imp::Fdr(Anchored {
            fdr,
            anchors,
            members,
        });
        Some(Prefilter { keywords, imp })
    }

    /// Whether the SIMD path is in use.
    pub fn is_teddy(&self) -> bool {
        matches!(self.imp, Imp::Teddy(_))
    }

    /// Calls `f` for every keyword occurrence in `buf`, in increasing order
    /// of the anchor's position (so line by line).
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
            Imp::Fdr(a) => HITS.with(|hits| {
                let mut hits = hits.borrow_mut();
                let overlap = self.keywords.iter().map(Vec::len).max().unwrap_or(0);
                let mut from = 0;
                loop {
                    let to = (from + CHUNK).min(buf.len());
                    let lo = from.saturating_sub(overlap);
                    let hi = (to + overlap).min(buf.len());
                    let part = &buf[lo..hi];
                    hits.clear();
                    a.fdr.for_each(&a.anchors, part, |p, anchor| {
                        a.members[anchor].check(
                            &self.keywords,
                            part,
                            p,
                            a.anchors[anchor].len(),
                            &mut hits,
                        );
                    });
                    hits.retain_mut(|h| {
                        h.start += lo;
                        h.end += lo;
                        (from..to).contains(&h.start)
                    });
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
                    *hits = Vec::new();
                }
            }),
            Imp::Teddy(t) => LOWER.with(|cell| {
                let mut lower = cell.borrow_mut();
                HITS.with(|hits| {
                    let mut hits = hits.borrow_mut();
                    // A large buffer goes in chunks, each lowercased and
                    // searched with its neighbours' edges (a keyword may
                    // straddle a border); a hit belongs to the chunk where
                    // it starts. Scratch memory stays bounded by the chunk.
                    let overlap = self.keywords.iter().map(Vec::len).max().unwrap_or(0);
                    let mut from = 0;
                    loop {
                        let to = (from + CHUNK).min(buf.len());
                        let lo = from.saturating_sub(overlap);
                        let hi = (to + overlap).min(buf.len());
                        lower.clear();
                        lower.extend(buf[lo..hi].iter().map(u8::to_ascii_lowercase));
                        hits.clear();
                        for g in &t.groups {
                            g.collect(&self.keywords, &lower, &mut hits);
                        }
                        if lo > 0 || hi < buf.len() {
                            hits.retain_mut(|h| {
                                h.start += lo;
                                h.end += lo;
                                (from..to).contains(&h.start)
                            });
                        }
                        if t.groups.len() > 1 {
                            hits.sort_unstable_by_key(|h| (h.start, h.keyword));
                        }
                        for &h in hits.iter() {
                            f(h);
                        }
                        if to == buf.len() {
                            break;
                        }
                        from = to;
                    }
                    if hits.capacity() > 1 << 20 {
                        *hits = Vec::new();
                    }
                });
                if lower.capacity() > 2 * CHUNK {
                    // Do not keep a huge buffer alive after a huge file.
                    *lower = Vec::new();
                }
            }),
        }
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

impl Teddy {
    fn new(keywords: &[Vec<u8>]) -> Option<Teddy> {
        Teddy::build(keywords, MAX_ANCHORS)
    }

    fn build(keywords: &[Vec<u8>], max_anchors: usize) -> Option<Teddy> {
        let (anchors, members) = choose_anchors(keywords)?;
        if anchors.len() > max_anchors {
            return None;
        }
        // Short anchors (whole keywords of under 4 bytes) would cut every
        // fingerprint of their group to their length: they get groups of
        // their own.
        let mut order: Vec<usize> = (0..anchors.len()).collect();
        order.sort_by_key(|&i| (anchors[i].len() >= 4, i));
        let split = order.partition_point(|&i| anchors[i].len() < 4);
        let mut groups = Vec::new();
        for part in [&order[..split], &order[split..]] {
            for chunk in part.chunks(GROUP_SIZE) {
                let a: Vec<Vec<u8>> = chunk.iter().map(|&i| anchors[i].clone()).collect();
                let m: Vec<Members> = chunk
                    .iter()
                    .map(|&i| Members::new(keywords, &members[i], anchors[i].len()))
                    .collect();
                groups.push(Group::new(a, m)?);
            }
        }
        Some(Teddy { groups })
    }
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
        if p > 0 {
            for i in memchr::memchr_iter(buf[p - 1].to_ascii_lowercase(), &self.before_bytes) {
                check(&self.before[i]);
            }
        }
        let after = p + anchor_len;
        if after < buf.len() {
            for i in memchr::memchr_iter(buf[after].to_ascii_lowercase(), &self.after_bytes) {
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

impl Group {
    fn new(anchors: Vec<Vec<u8>>, members: Vec<Members>) -> Option<Group> {
        let mut builder = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .heuristic_pattern_limits(false)
            .builder();
        builder.extend(&anchors);
        let searcher = builder.build()?;
        // Teddy proper, not its Rabin-Karp fallback: otherwise the DFA wins.
        if searcher.minimum_len() == 0 {
            return None;
        }
        let related = anchors
            .iter()
            .map(|a| {
                (0..anchors.len())
                    .filter(|&j| anchors[j].starts_with(a) || a.starts_with(&anchors[j]))
                    .collect()
            })
            .collect();
        Some(Group {
            searcher,
            anchors,
            members,
            related,
        })
    }

    /// Appends the keyword hits of this group's anchors in `lower`.
    fn collect(&self, keywords: &[Vec<u8>], lower: &[u8], out: &mut Vec<Hit>) {
        let mut pos = 0;
        while pos < lower.len() {
            let Some(m) = self
                .searcher
                .find_in(lower, aho_corasick::Span::from(pos..lower.len()))
            else {
                break;
            };
            let p = m.start();
            let found = m.pattern().as_usize();
            // Every anchor that occurs at `p`.
            for &a in &self.related[found] {
                if a != found && !lower[p..].starts_with(&self.anchors[a]) {
                    continue;
                }
                let members = &self.members[a];
                let mut check = |member: &Member| {
                    let kw = &keywords[member.keyword];
                    let Some(start) = p.checked_sub(member.offset) else {
                        return;
                    };
                    let end = start + kw.len();
                    if end <= lower.len() && lower[start..end] == kw[..] {
                        out.push(Hit {
                            keyword: member.keyword,
                            start,
                            end,
                        });
                    }
                };
                if p > 0 {
                    for i in memchr::memchr_iter(lower[p - 1], &members.before_bytes) {
                        check(&members.before[i]);
                    }
                }
                let after = p + self.anchors[a].len();
                if after < lower.len() {
                    for i in memchr::memchr_iter(lower[after], &members.after_bytes) {
                        check(&members.after[i]);
                    }
                }
                for &keyword in &members.exact {
                    out.push(Hit {
                        keyword,
                        start: p,
                        end: after,
                    });
                }
            }
            pos = p + 1;
        }
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

/// Greedy set cover: picks short substrings of the keywords (3 to 5 bytes, or
/// a whole shorter keyword) until every keyword is covered, preferring
/// anchors that cover many keywords, then rare and longer ones. Returns the
/// anchors and, per anchor, the keywords it stands for with the anchor's
/// offset in each.
#[allow(clippy::type_complexity)]
fn choose_anchors(keywords: &[Vec<u8>]) -> Option<(Vec<Vec<u8>>, Vec<Vec<(usize, usize)>>)> {
    if keywords.is_empty() || keywords.iter().any(|k| k.is_empty()) {
        return None;
    }
    let mut lens: Vec<usize> = vec![3, 4, 5];
    lens.extend(keywords.iter().map(|k| k.len()).filter(|&l| l < 3));
    lens.sort_unstable();
    lens.dedup();
    // Candidate anchor -> keywords that contain it.
    let mut containing: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (k, kw) in keywords.iter().enumerate() {
        for &len in lens.iter().filter(|&&l| l <= kw.len()) {
            for w in kw.windows(len) {
                let list = containing.entry(w).or_default();
                if list.last() != Some(&k) {
                    list.push(k);
                }
            }
        }
    }
    // Only substrings of 3..=5 bytes, or whole short keywords, are anchors.
    let mut candidates: Vec<(&[u8], Vec<usize>, u32)> = containing
        .into_iter()
        .filter(|(a, _)| a.len() >= 3 || keywords.iter().any(|k| k.as_slice() == *a))
        .map(|(a, list)| {
            let rarity = a.iter().map(|&b| 100 - commonness(b).min(100)).sum();
            (a, list, rarity)
        })
        .collect();
    candidates.sort_by(|x, y| x.0.cmp(y.0));
    let mut covered = vec![false; keywords.len()];
    let mut anchors = Vec::new();
    let mut members = Vec::new();
    while covered.iter().any(|c| !c) {
        let (anchor, list, _) = candidates
            .iter()
            .map(|(a, list, rarity)| {
                let cover = list.iter().filter(|&&k| !covered[k]).count();
                (a, list, (cover, *rarity))
            })
            .filter(|(_, _, (cover, _))| *cover > 0)
            .max_by(|x, y| x.2.cmp(&y.2).then_with(|| y.0.cmp(x.0)))?;
        let mut assigned = Vec::new();
        for &k in list {
            if !covered[k] {
                covered[k] = true;
                assigned.push((k, memchr::memmem::find(&keywords[k], anchor)?));
            }
        }
        anchors.push(anchor.to_vec());
        members.push(assigned);
    }
    Some((anchors, members))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(p: &Prefilter, buf: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut v = Vec::new();
        p.for_each_hit(buf, |h| v.push((h.keyword, h.start, h.end)));
        v.sort();
        v
    }

    fn kws(list: &[&str]) -> Vec<Vec<u8>> {
        list.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn teddy_and_automaton_agree_on_overlapping_case_insensitive_hits() {
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
        let teddy = Prefilter::new(&k);
        let ac = Prefilter::new_automaton(&k);
        let text = b"CLIENT_SECRET=x api_key=1 sk_live_y Ghp_z eyJ pwd=PASSWORD\n\
                     aws_secret_access_key AKIA -----BEGIN secretsecret";
        let expected = hits(&ac, text);
        assert!(expected.len() >= 14, "{expected:?}");
        assert_eq!(hits(&teddy, text), expected);
        assert_eq!(hits(&Prefilter::new_fdr(&k).unwrap(), text), expected);
    }

    #[test]
    fn chunks_of_a_large_buffer_find_every_hit_once_in_order() {
        // Keywords straddling each chunk border, at every offset, and one
        // right at each edge.
        let k = kws(&["secret", "client_secret", "_key", "password", "akia"]);
        let teddy = Prefilter::new(&k);
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
        let expected = hits(&ac, &text);
        assert_eq!(expected.len(), 2 * 5 + 2, "{expected:?}");
        assert_eq!(hits(&teddy, &text), expected);
        assert_eq!(hits(&Prefilter::new_fdr(&k).unwrap(), &text), expected);
    }

    #[test]
    fn teddy_and_automaton_agree_on_text_made_of_keyword_pieces() {
        // The built-in keywords, and text glued from their pieces (so that
        // anchors occur with every kind of neighbour, at buffer edges too).
        let set = crate::rules::RuleSet::builtin().unwrap();
        let mut k: Vec<Vec<u8>> = set
            .rules()
            .iter()
            .flat_map(|r| r.spec.keywords.iter().map(|k| k.as_bytes().to_vec()))
            .collect();
        k.sort();
        k.dedup();
        let teddy = Prefilter::new(&k);
        assert!(teddy.is_teddy() || !cfg!(target_arch = "x86_64"));
        let ac = Prefilter::new_automaton(&k);
        let fdr = Prefilter::new_fdr(&k).unwrap();
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..300 {
            let mut text = Vec::new();
            for _ in 0..next(12) {
                let kw = &k[next(k.len())];
                let (a, b) = (next(kw.len() + 1), next(kw.len() + 1));
                text.extend_from_slice(&kw[a.min(b)..a.max(b)]);
                if next(3) == 0 {
                    text.extend_from_slice(&kw[..]);
                }
                if next(4) == 0 {
                    text.push(b"_ -.=:\"'x"[next(9)]);
                }
            }
            if next(2) == 0 {
                text.make_ascii_uppercase();
            }
            assert_eq!(
                hits(&teddy, &text),
                hits(&ac, &text),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
            assert_eq!(
                hits(&fdr, &text),
                hits(&ac, &text),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
    }

    #[test]
    fn anchors_cover_every_keyword() {
        let k = kws(&["secret", "client_secret", "aws_secret", "ab", "x"]);
        let (anchors, members) = choose_anchors(&k).unwrap();
        let mut seen: Vec<usize> = members.iter().flatten().map(|m| m.0).collect();
        seen.sort();
        assert_eq!(seen, [0, 1, 2, 3, 4]);
        assert!(anchors.len() <= 3, "{anchors:?}");
    }

    #[test]
    fn hits_at_buffer_edges() {
        let k = kws(&["secret", "key"]);
        let p = Prefilter::new(&k);
        assert_eq!(hits(&p, b"secret"), [(0, 0, 6)]);
        assert_eq!(hits(&p, b"xkey"), [(1, 1, 4)]);
        assert!(hits(&p, b"").is_empty());
    }
}
#[cfg(test)]
mod builtin_anchors {
    /// The built-in keywords stay within what the SIMD path handles; a rule
    /// change that pushes them past it would silently fall back to the DFA.
    #[test]
    fn builtin_keywords_use_the_simd_prefilter() {
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
        let (anchors, _) = super::choose_anchors(&k).unwrap();
        assert!(
            anchors.len() <= super::MAX_ANCHORS,
            "{} anchors",
            anchors.len()
        );
        if cfg!(target_arch = "x86_64") && std::is_x86_feature_detected!("ssse3") {
            assert!(super::Prefilter::new(&k).is_teddy());
        }
    }
}
