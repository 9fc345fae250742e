//! One pass over the bytes for every keyword, whatever their number: a
//! bucketed filter over exact 2-grams (the idea of Hyperscan's "FDR"), then
//! an exact check of the few positions it lets through.
//!
//! Each keyword is represented by an *anchor*: its rarest 4-byte window
//! (the keyword itself when it has 3 bytes). Anchors go into 16 buckets.
//! Two tables of 65,536 bucket masks, indexed by a 2-gram read as a `u16`,
//! record which buckets hold an anchor that starts with that 2-gram (`t0`)
//! and which hold one whose bytes 2-3 are that 2-gram (`t2`; the buckets of
//! 3-byte anchors check only their third byte). Both cases of every letter
//! are entered, so the buffer is searched as it is, without a lowercased
//! copy. Position `p` is a candidate when `t0[2-gram at p] & t2[2-gram at
//! p + 2]` is not zero: two loads and an AND, with no dependency from one
//! position to the next, so the loop runs at a couple of cycles per byte
//! whether there are 50 keywords or 500; more keywords only fill the masks
//! a little more. A candidate's anchors are found by its first 2-gram in a
//! direct index and compared ASCII case-insensitively.

/// Entries of a table: every `u16`.
const DOMAIN: usize = 1 << 16;
/// Buckets for 4-byte anchors; the other 4 of 16 hold 3-byte anchors.
const LONG_BUCKETS: usize = 12;

/// The filter and the exact index behind it. Immutable and `Sync`.
#[derive(Debug)]
pub(super) struct Fdr {
    /// Buckets of the anchors starting with each 2-gram.
    t0: Box<[u16]>,
    /// Buckets of the anchors whose bytes 2-3 are each 2-gram.
    t2: Box<[u16]>,
    /// `by_gram[g]..by_gram[g + 1]`: the range of `order` holding the
    /// anchors whose first two bytes (lowercase) are the 2-gram `g`.
    by_gram: Box<[u32]>,
    order: Box<[u32]>,
}

/// The table index of the 2-gram `(a, b)` as the buffer holds it.
#[inline(always)]
fn gram(a: u8, b: u8) -> usize {
    usize::from(u16::from_le_bytes([a, b]))
}

/// Both cases of an ASCII letter (the byte once otherwise).
fn cases(b: u8) -> impl Iterator<Item = u8> {
    let other = if b.is_ascii_alphabetic() { b ^ 0x20 } else { b };
    std::iter::once(b).chain((other != b).then_some(other))
}

/// Sets `bit` for the 2-gram `(a, b)` in every case.
fn enter(table: &mut [u16], a: u8, b: u8, bit: u16) {
    for x in cases(a) {
        for y in cases(b) {
            table[gram(x, y)] |= bit;
        }
    }
}

/// How common a byte is in source code and prose, 0 (rare) and up.
fn commonness(b: u8) -> u32 {
    super::commonness(b.to_ascii_lowercase())
}

/// The anchor of a keyword (lowercase): its 4-byte window made of the
/// rarest bytes (the first such), or the whole keyword when shorter. Returns
/// the window's offset and length.
pub(super) fn anchor_of(keyword: &[u8]) -> (usize, usize) {
    if keyword.len() <= 4 {
        return (0, keyword.len());
    }
    let best = (0..=keyword.len() - 4)
        .min_by_key(|&i| {
            keyword[i..i + 4]
                .iter()
                .map(|&b| commonness(b))
                .sum::<u32>()
        })
        .unwrap_or(0);
    (best, 4)
}

impl Fdr {
    /// A filter for `anchors` (lowercase, each 3 or 4 bytes long).
    pub(super) fn new(anchors: &[Vec<u8>]) -> Option<Fdr> {
        if anchors.iter().any(|a| !(3..=4).contains(&a.len())) {
            return None;
        }
        let mut t0 = vec![0u16; DOMAIN].into_boxed_slice();
        let mut t2 = vec![0u16; DOMAIN].into_boxed_slice();
        // Anchors that share their first 2-gram share a bucket where they
        // can, and buckets are filled evenly: a bucket's bit then passes
        // only where one of its own anchors' 2-gram pairs occurs.
        let mut long: Vec<usize> = (0..anchors.len())
            .filter(|&i| anchors[i].len() == 4)
            .collect();
        let mut short: Vec<usize> = (0..anchors.len())
            .filter(|&i| anchors[i].len() == 3)
            .collect();
        long.sort_by(|&a, &b| anchors[a].cmp(&anchors[b]));
        short.sort_by(|&a, &b| anchors[a].cmp(&anchors[b]));
        for (list, first, count) in [
            (&long, 0, LONG_BUCKETS),
            (&short, LONG_BUCKETS, 16 - LONG_BUCKETS),
        ] {
            let per = list.len().div_ceil(count).max(1);
            for (n, &i) in list.iter().enumerate() {
                let a = &anchors[i];
                let bit = 1u16 << (first + n / per);
                enter(&mut t0, a[0], a[1], bit);
                if a.len() == 4 {
                    enter(&mut t2, a[2], a[3], bit);
                } else {
                    // A 3-byte anchor: any byte may follow its third (a
                    // zero stands for the end of the buffer).
                    for x in cases(a[2]) {
                        for y in 0..=255 {
                            t2[gram(x, y)] |= bit;
                        }
                    }
                }
            }
        }
        // The exact index: anchors sorted by their first 2-gram.
        let mut order: Vec<u32> = (0..u32::try_from(anchors.len()).ok()?).collect();
        order.sort_by_key(|&i| gram(anchors[i as usize][0], anchors[i as usize][1]));
        let mut by_gram = vec![0u32; DOMAIN + 1];
        for &i in &order {
            by_gram[gram(anchors[i as usize][0], anchors[i as usize][1]) + 1] += 1;
        }
        for g in 0..DOMAIN {
            by_gram[g + 1] += by_gram[g];
        }
        Some(Fdr {
            t0,
            t2,
            by_gram: by_gram.into_boxed_slice(),
            order: order.into_boxed_slice(),
        })
    }

    /// Calls `found(position, anchor)` for every occurrence of an anchor in
    /// `buf` (ASCII case-insensitive), in increasing order of position.
    pub(super) fn for_each(
        &self,
        anchors: &[Vec<u8>],
        buf: &[u8],
        mut found: impl FnMut(usize, usize),
    ) {
        let mut check = |p: usize| {
            let g = gram(buf[p].to_ascii_lowercase(), buf[p + 1].to_ascii_lowercase());
            let (from, to) = (self.by_gram[g] as usize, self.by_gram[g + 1] as usize);
            for &a in &self.order[from..to] {
                let a = a as usize;
                let anchor = &anchors[a];
                if buf.len() - p >= anchor.len()
                    && buf[p + 2..p + anchor.len()].eq_ignore_ascii_case(&anchor[2..])
                {
                    found(p, a);
                }
            }
        };
        if buf.len() < 3 {
            return;
        }
        let (t0, t2) = (&self.t0[..DOMAIN], &self.t2[..DOMAIN]);
        // Positions with four bytes from them, eight at a time; their
        // candidates gathered in `hit` (a bit each), so that most steps take
        // no branch.
        let mut p = 0;
        while p + 11 <= buf.len() {
            let w = &buf[p..p + 11];
            let mut hit = 0u32;
            for i in 0..8 {
                // The four bytes from position p + i, one load.
                let x = u32::from_le_bytes([w[i], w[i + 1], w[i + 2], w[i + 3]]);
                let c = t0[(x & 0xFFFF) as usize] & t2[(x >> 16) as usize];
                hit |= u32::from(c != 0) << i;
            }
            while hit != 0 {
                let i = hit.trailing_zeros() as usize;
                hit &= hit - 1;
                check(p + i);
            }
            p += 8;
        }
        while p + 3 <= buf.len() {
            let next = buf.get(p + 3).copied().unwrap_or(0);
            if t0[gram(buf[p], buf[p + 1])] & t2[gram(buf[p + 2], next)] != 0 {
                check(p);
            }
            p += 1;
        }
    }
}
