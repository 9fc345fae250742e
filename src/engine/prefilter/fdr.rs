//! One pass over the bytes for every anchor, whatever their number: a
//! bucketed shift-and filter over hashed 2-grams (the idea of Hyperscan's
//! "FDR"), then an exact check of the few positions it lets through.
//!
//! Each anchor (3 to 5 bytes, lowercase) is put in one of 8 buckets. For the
//! 2-grams at offsets 0, 1 and 2 of an anchor, three tables of 2^13 bucket
//! masks record which buckets hold an anchor with that (hashed) 2-gram
//! there. Scanning, each position's 2-gram is hashed once and looked up in
//! the three tables; a position is a candidate for the buckets whose bit
//! survives the AND of its own offset-0 mask, the next position's offset-1
//! mask and the one after's offset-2 mask. The loads are independent of one
//! another (unlike an automaton's chain of states), so the loop runs at a
//! few cycles per byte whether there are 50 anchors or 500; more anchors
//! only fill the masks a little more. Case is folded in the hash (`b | 0x20`),
//! so no lowercased copy of the buffer is needed; the exact check compares
//! ASCII case-insensitively.

use std::collections::HashMap;

/// Bits of a hashed 2-gram.
const DOMAIN_BITS: u32 = 13;
const DOMAIN: usize = 1 << DOMAIN_BITS;
/// Buckets for anchors of 4 or more bytes; the rest hold 3-byte anchors,
/// which do not constrain the third 2-gram.
const LONG_BUCKETS: u8 = 6;

/// The filter and the exact index behind it. Immutable and `Sync`.
#[derive(Debug)]
pub(super) struct Fdr {
    /// Per hashed 2-gram: the buckets allowing it at offset 0 of an anchor
    /// (bits 0-7), offset 1 (bits 8-15) and offset 2 (bits 16-23), so one
    /// load serves the three offsets.
    table: Box<[u32; DOMAIN]>,
    /// Anchors (indices) by their first three bytes, lowercase.
    by_prefix: HashMap<[u8; 3], Vec<u32>>,
}

/// The 2-gram `(a, b)`, case-folded and hashed to [`DOMAIN_BITS`] bits.
#[inline(always)]
fn hash2(a: u8, b: u8) -> usize {
    let d = u32::from(a | 0x20) | (u32::from(b | 0x20) << 8);
    (d.wrapping_mul(0x9E37_79B1) >> (32 - DOMAIN_BITS)) as usize
}

impl Fdr {
    /// A filter for `anchors` (lowercase, each at least 3 bytes long).
    pub(super) fn new(anchors: &[Vec<u8>]) -> Option<Fdr> {
        if anchors.iter().any(|a| a.len() < 3) {
            return None;
        }
        let mut tables = Box::new([[0u8; DOMAIN]; 3]);
        // Similar anchors share a bucket (sorted, then cut in runs), so
        // that a bucket's masks stay as sparse as they can.
        let mut long: Vec<usize> = (0..anchors.len())
            .filter(|&i| anchors[i].len() >= 4)
            .collect();
        let mut short: Vec<usize> = (0..anchors.len())
            .filter(|&i| anchors[i].len() == 3)
            .collect();
        long.sort_by(|&a, &b| anchors[a].cmp(&anchors[b]));
        short.sort_by(|&a, &b| anchors[a].cmp(&anchors[b]));
        let buckets = |list: &[usize], first: u8, count: u8| -> Vec<(usize, u8)> {
            let per = list.len().div_ceil(usize::from(count)).max(1);
            list.iter()
                .enumerate()
                .map(|(n, &i)| (i, first + (n / per) as u8))
                .collect()
        };
        let mut assigned = buckets(&long, 0, LONG_BUCKETS);
        assigned.extend(buckets(&short, LONG_BUCKETS, 8 - LONG_BUCKETS));
        for &(i, bucket) in &assigned {
            let a = &anchors[i];
            let bit = 1u8 << bucket;
            for (j, table) in tables.iter_mut().enumerate() {
                if j + 1 < a.len().min(4) {
                    table[hash2(a[j], a[j + 1])] |= bit;
                } else {
                    // A 3-byte anchor has no third 2-gram: any will do.
                    table.iter_mut().for_each(|m| *m |= bit);
                }
            }
        }
        let mut by_prefix: HashMap<[u8; 3], Vec<u32>> = HashMap::new();
        for (i, a) in anchors.iter().enumerate() {
            by_prefix
                .entry([a[0], a[1], a[2]])
                .or_default()
                .push(u32::try_from(i).ok()?);
        }
        let mut table = Box::new([0u32; DOMAIN]);
        for (h, v) in table.iter_mut().enumerate() {
            *v = u32::from(tables[0][h])
                | u32::from(tables[1][h]) << 8
                | u32::from(tables[2][h]) << 16;
        }
        Some(Fdr { table, by_prefix })
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
            let key = [
                buf[p].to_ascii_lowercase(),
                buf[p + 1].to_ascii_lowercase(),
                buf[p + 2].to_ascii_lowercase(),
            ];
            if let Some(list) = self.by_prefix.get(&key) {
                for &a in list {
                    let a = a as usize;
                    let anchor = &anchors[a];
                    if buf.len() - p >= anchor.len()
                        && buf[p + 3..p + anchor.len()].eq_ignore_ascii_case(&anchor[3..])
                    {
                        found(p, a);
                    }
                }
            }
        };
        if buf.len() < 3 {
            return;
        }
        let table = &*self.table;
        // Shift-and over the packed masks: after the 2-gram at q, byte 0 of
        // `s` is the offset-0 mask of an anchor starting at q, byte 1 the
        // masks of offsets 0-1 of one starting at q - 1, byte 2 offsets 0-2
        // of one starting at q - 2: its candidates.
        let mut s: u32 = 0;
        for (q, w) in buf.windows(2).enumerate() {
            s = ((s << 8) | 0xFF) & table[hash2(w[0], w[1])];
            if s & 0x00FF_0000 != 0 {
                check(q - 2);
            }
        }
        let r1 = (s >> 8) as u8;
        // At the last three bytes only a 3-byte anchor fits, which needs
        // no third 2-gram.
        if r1 & !((1u8 << LONG_BUCKETS) - 1) != 0 {
            check(buf.len() - 3);
        }
    }
}
