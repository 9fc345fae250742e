//! The pack index reader (`objects/pack/*.idx`) over arbitrary bytes: no
//! panic, and every lookup (of the ids it lists, and of others) is
//! bounds-checked and answers in a binary search.
#![no_main]

use leakhound::source::git::pack_order::PackIndex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(idx) = PackIndex::parse(data.to_vec()) else {
        return;
    };
    // The listed ids: a sorted index finds each; a hostile one may not, but
    // never panics. At most a few thousand, so that huge counts stay fast.
    let n = idx.len().min(4096);
    for i in 0..n {
        let oid = idx.oid_at(i).expect("listed ids are in range").to_vec();
        let _ = idx.offset(&oid);
    }
    assert!(idx.oid_at(idx.len()).is_none());
    for probe in [[0u8; 20], [0xff; 20], [0x80; 20]] {
        let _ = idx.offset(&probe);
    }
    assert_eq!(idx.offset(&[1, 2, 3]), None);
});
