//! One pass over the bytes for every anchor, whatever their number: a
//! hashed table of 4-byte windows, then an exact check of the few positions
//! it lets through.
//!
//! Every anchor is 3 or 4 bytes (lowercase). The four bytes at each position
//! are read as a `u32`, case-folded by setting bit 5 of every byte (so `A`
//! and `a` agree; a few punctuation pairs such as `_`/DEL agree too and are
//! told apart by the exact check), hashed by one multiplication, and looked
//! up in a table of 2^22 bits where every anchor set its bit; a 3-byte
//! anchor sets the bits of all its 4-byte continuations. With AVX2, eight
//! positions take one shuffle, one multiply and one gather; without, about
//! seven instructions each. No position depends on another and there is one
//! branch per eight positions, so the cost is the same for 50 anchors or
//! 5,000: more anchors only raise the few percent of positions that pass. A position that passes is looked up in an exact
//! table of folded windows.

/// Sets bit 5 of each byte: the case fold of four bytes at once.
const FOLD: u32 = 0x2020_2020;
/// The same for eight bytes.
const FOLD64: u64 = 0x2020_2020_2020_2020;
/// Odd multiplier of the hash (Knuth's golden ratio).
const MUL: u32 = 0x9E37_79B1;
/// Bits in the filter: 2^22, 512 KiB. With the built-in rules about 0.15%
/// of them are set (a 3-byte anchor sets 128), so few positions pass
/// falsely. Measured on moby's text with 891 keywords (AVX2): 2^20 bits ran
/// at 825 MiB/s, 2^22 at 990, 2^23 at 980, 2^24 at 925 (cache misses); a
/// byte per flag, 2^20 of them, at 770.
const LOG: u32 = 22;
/// Words of the bit table.
const WORDS: usize = 1 << (LOG - 5);
/// The filter's index of a folded window.
#[inline(always)]
fn index(x: u32) -> usize {
    (x.wrapping_mul(MUL) >> (32 - LOG)) as usize
}

/// The folded `u32` of 4 bytes.
#[inline(always)]
fn folded(b: [u8; 4]) -> u32 {
    u32::from_le_bytes(b) | FOLD
}

/// The filter and the exact table behind it. Immutable and `Sync`.
#[derive(Debug)]
pub(super) struct Sieve {
    /// Per hash value: bit 0 if a 4-byte anchor hashes there, bit 1 if a
    /// 3-byte anchor with some fourth byte does.
    /// A bit per hash value, set where an anchor's window hashes (a 3-byte
    /// anchor's with every fourth byte).
    bits: Box<[u32; WORDS]>,
    /// Whether there are 3-byte anchors (their keys are probed too).
    has3: bool,
    /// Whether this CPU runs the AVX2 loop.
    avx2: bool,
    /// Open-addressed exact table (linear probing, at most half full): the
    /// folded key of an anchor (its 4 bytes, or its 3 with a zero top byte)
    /// and the anchor's index; `u32::MAX` marks an empty slot.
    slots: Box<[(u32, u32)]>,
    /// `32 - log2(slots)`.
    slot_shift: u32,
    /// Per anchor, how a raw window is compared with it: `(raw | letters) &
    /// width == value`, where `letters` has bit 5 set in the anchor's letter
    /// bytes (so they match in both cases, everything else exactly) and
    /// `width` keeps its 3 or 4 bytes.
    exact: Box<[Exact]>,
}

/// An anchor as a `u32` comparison (see [`Sieve::exact`]).
#[derive(Debug, Clone, Copy)]
struct Exact {
    letters: u32,
    width: u32,
    value: u32,
}

impl Sieve {
    /// A filter for `anchors` (lowercase, each 3 or 4 bytes long), or `None`
    /// if one is not.
    pub(super) fn new(anchors: &[Vec<u8>]) -> Option<Sieve> {
        if anchors.iter().any(|a| !(3..=4).contains(&a.len())) {
            return None;
        }
        let mut bits: Box<[u32; WORDS]> = vec![0u32; WORDS].into_boxed_slice().try_into().ok()?;
        let mut set = |x: u32| {
            let h = index(x);
            bits[h >> 5] |= 1 << (h & 31);
        };
        let mut exact = Vec::with_capacity(anchors.len());
        for a in anchors {
            let mut bytes = [0u8; 4];
            bytes[..a.len()].copy_from_slice(a);
            let mut letters = [0u8; 4];
            for (l, b) in letters.iter_mut().zip(a) {
                if b.is_ascii_alphabetic() {
                    *l = 0x20;
                }
            }
            let width = if a.len() == 4 { u32::MAX } else { 0x00FF_FFFF };
            let letters = u32::from_le_bytes(letters);
            exact.push(Exact {
                letters,
                width,
                value: (u32::from_le_bytes(bytes) | letters) & width,
            });
            if a.len() == 4 {
                set(folded(bytes));
            } else {
                for next in 0..=255u8 {
                    bytes[3] = next;
                    set(folded(bytes));
                }
            }
        }
        let log_slots = (anchors.len() * 2)
            .next_power_of_two()
            .max(16)
            .trailing_zeros();
        let slot_shift = 32 - log_slots;
        let mut slots = vec![(0u32, u32::MAX); 1 << log_slots].into_boxed_slice();
        for (i, a) in anchors.iter().enumerate() {
            let k = key(a);
            let mut s = (k.wrapping_mul(MUL) >> slot_shift) as usize;
            while slots[s].1 != u32::MAX {
                s = (s + 1) & (slots.len() - 1);
            }
            slots[s] = (k, u32::try_from(i).ok()?);
        }
        #[cfg(target_arch = "x86_64")]
        let avx2 = std::is_x86_feature_detected!("avx2");
        #[cfg(not(target_arch = "x86_64"))]
        let avx2 = false;
        Some(Sieve {
            bits,
            has3: anchors.iter().any(|a| a.len() == 3),
            avx2,
            slots,
            slot_shift,
            exact: exact.into_boxed_slice(),
        })
    }

    /// Calls `found(position, anchor)` for every occurrence of an anchor in
    /// `buf` (ASCII case-insensitive), in increasing order of position.
    pub(super) fn for_each(&self, buf: &[u8], mut found: impl FnMut(usize, usize)) {
        // The anchors at `p`, whose raw bytes are `raw` (a zero beyond the
        // buffer, where `four` is false): 4-byte ones, then 3-byte ones.
        let mut check = |p: usize, raw: u32, four: bool| {
            let mask = self.slots.len() - 1;
            let folded = raw | FOLD;
            let keys = [folded, folded & 0x00FF_FFFF];
            let kinds = &keys[usize::from(!four)..1 + usize::from(self.has3)];
            for &k in kinds {
                let mut s = (k.wrapping_mul(MUL) >> self.slot_shift) as usize;
                loop {
                    let (key, a) = self.slots[s];
                    if a == u32::MAX {
                        break;
                    }
                    if key == k {
                        let e = self.exact[a as usize];
                        if (raw | e.letters) & e.width == e.value {
                            found(p, a as usize);
                        }
                    }
                    s = (s + 1) & mask;
                }
            }
        };
        let bits = &*self.bits;
        let flag = |x: u32| {
            let h = index(x);
            (bits[h >> 5] >> (h & 31)) & 1
        };
        // Eight positions at a time from two 8-byte loads (folded once),
        // their bits gathered in a mask, so most steps take no branch.
        let mut p = 0;
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: AVX2 is available (checked when the sieve was built).
            p = unsafe { avx2::run(&self.bits, buf, &mut check) };
        }
        while p + 12 <= buf.len() {
            let lo = u64::from_le_bytes(buf[p..p + 8].try_into().unwrap_or_default());
            let hi = u64::from_le_bytes(buf[p + 4..p + 12].try_into().unwrap_or_default());
            let (flo, fhi) = (lo | FOLD64, hi | FOLD64);
            let mut hit = 0u32;
            for i in 0..4 {
                hit |= flag((flo >> (8 * i)) as u32) << i;
                hit |= flag((fhi >> (8 * i)) as u32) << (i + 4);
            }
            while hit != 0 {
                let i = hit.trailing_zeros() as usize;
                hit &= hit - 1;
                let w = if i < 4 {
                    lo >> (8 * i)
                } else {
                    hi >> (8 * (i - 4))
                };
                check(p + i, w as u32, true);
            }
            p += 8;
        }
        // The last positions, and a 3-byte anchor in the last three bytes.
        while p + 3 <= buf.len() {
            let four = p + 4 <= buf.len();
            let raw = u32::from_le_bytes([
                buf[p],
                buf[p + 1],
                buf[p + 2],
                if four { buf[p + 3] } else { 0 },
            ]);
            if !four || flag(raw | FOLD) == 1 {
                check(p, raw, four);
            }
            p += 1;
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    //! The filter loop with AVX2: eight windows built by one byte shuffle,
    //! folded and hashed in one vector multiply, their table words fetched by
    //! one gather and their bits picked by one variable shift.

    use std::arch::x86_64::*;

    use super::{FOLD, LOG, MUL, WORDS};

    /// Runs the filter over `buf` from position 0 while 16 bytes are left,
    /// calling `check(position, raw window, true)` where a bit is set;
    /// returns the first position not examined.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn run(
        bits: &[u32; WORDS],
        buf: &[u8],
        check: &mut impl FnMut(usize, u32, bool),
    ) -> usize {
        // Lane 0 takes the windows at bytes 0..4, 1..5, 2..6, 3..7; lane 1
        // those at 4..8 to 7..11 (each lane shuffles its own copy of the
        // same 16 bytes).
        let shuffle = _mm256_setr_epi8(
            0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6, 4, 5, 6, 7, 5, 6, 7, 8, 6, 7, 8, 9, 7,
            8, 9, 10,
        );
        let fold = _mm256_set1_epi32(FOLD as i32);
        let mul = _mm256_set1_epi32(MUL as i32);
        let base = bits.as_ptr().cast::<i32>();
        let low5 = _mm256_set1_epi32(31);
        let mut p = 0;
        while p + 16 <= buf.len() {
            // SAFETY: `p + 16 <= buf.len()`, so the 16-byte load is in
            // bounds; every gathered word index is below 2^(LOG - 5).
            let mut hit = unsafe {
                let v = _mm_loadu_si128(buf.as_ptr().add(p).cast());
                let w = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(v), shuffle);
                let h = _mm256_srli_epi32::<{ 32 - LOG as i32 }>(_mm256_mullo_epi32(
                    _mm256_or_si256(w, fold),
                    mul,
                ));
                let words = _mm256_i32gather_epi32::<4>(base, _mm256_srli_epi32::<5>(h));
                let bit = _mm256_srlv_epi32(words, _mm256_and_si256(h, low5));
                // Each lane's bit moved to the top of its low byte:
                // `movemask` then gives it at bit 4 * lane.
                _mm256_movemask_epi8(_mm256_slli_epi32::<7>(bit)) as u32 & 0x1111_1111
            };
            while hit != 0 {
                let at = p + (hit.trailing_zeros() / 4) as usize;
                hit &= hit - 1;
                let raw = u32::from_le_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]]);
                check(at, raw, true);
            }
            p += 8;
        }
        p
    }
}

/// The exact table's key of an anchor: its folded bytes, the top one zero
/// for a 3-byte anchor.
fn key(a: &[u8]) -> u32 {
    let mut bytes = [0u8; 4];
    bytes[..a.len()].copy_from_slice(a);
    let k = folded(bytes);
    if a.len() == 4 { k } else { k & 0x00FF_FFFF }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &Sieve, anchors: &[Vec<u8>], buf: &[u8]) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        let _ = anchors;
        s.for_each(buf, |p, a| v.push((p, a)));
        v
    }

    #[test]
    fn finds_3_and_4_byte_anchors_everywhere_in_both_cases() {
        let anchors: Vec<Vec<u8>> = [&b"hf_"[..], b"akia", b"ghp_", b"key"]
            .iter()
            .map(|a| a.to_vec())
            .collect();
        let s = Sieve::new(&anchors).unwrap();
        let text = b"xx HF_abc AKIA ghp_ hf_ monKEY key";
        let got = all(&s, &anchors, text);
        assert_eq!(
            got,
            [(3, 0), (10, 1), (15, 2), (20, 0), (27, 3), (31, 3)],
            "{got:?}"
        );
        // At the very start and end, and in buffers of every short length.
        assert_eq!(all(&s, &anchors, b"key"), [(0, 3)]);
        assert_eq!(all(&s, &anchors, b"akia"), [(0, 1)]);
        assert!(all(&s, &anchors, b"ke").is_empty());
        assert!(all(&s, &anchors, b"").is_empty());
    }

    #[test]
    fn punctuation_the_fold_confuses_is_told_apart() {
        // `_` (0x5F) and DEL (0x7F) fold alike; so do `@` and `` ` ``.
        let anchors = vec![b"ab_c".to_vec(), b"x@y".to_vec()];
        let s = Sieve::new(&anchors).unwrap();
        assert!(all(&s, &anchors, b"..ab\x7fc..x`y....").is_empty());
        assert_eq!(all(&s, &anchors, b"..AB_C..X@Y....."), [(2, 0), (8, 1)]);
    }

    #[test]
    fn anchors_sharing_a_window_are_all_reported() {
        let anchors = vec![b"toke".to_vec(), b"tok".to_vec(), b"toke".to_vec()];
        let s = Sieve::new(&anchors).unwrap();
        let mut got = all(&s, &anchors, b"a token here");
        got.sort();
        assert_eq!(got, [(2, 0), (2, 1), (2, 2)]);
    }
}
