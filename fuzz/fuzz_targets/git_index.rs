//! The git index reader over arbitrary bytes: no panic, no allocation or
//! work beyond what the input's length allows (libFuzzer's memory and time
//! limits enforce it), and what parses is consistent: every entry's path
//! and id can be read, the cache-tree's nodes can be walked, a merged split
//! index is sorted by path and stage with no duplicate.
//!
//! The first byte picks the mode: 0 and 1 parse the rest as one index (with
//! SHA-1 or SHA-256 ids, with the cache-tree); 2 splits the rest in two at
//! the offset given by the next two bytes and merges the first part, as a
//! split index, with the second, as its shared index.
#![no_main]

use leakhound::source::git::index::{self, CacheNode, CacheTree, Index, ParseOptions};
use libfuzzer_sys::fuzz_target;

fn check(i: &Index) {
    let mut total = 0usize;
    for e in i.entries() {
        total += i.path(e).len() + i.oid(e).len();
        let _ = (e.stage(), e.intent_to_add(), e.skip_worktree(), e.is_sparse_dir(), e.is_gitlink());
    }
    std::hint::black_box(total);
    if let Some(t) = &i.cache_tree {
        walk(t, t.root());
    }
}

/// Visits every node reachable from `node` (iteratively: the tree may be
/// 4096 levels deep).
fn walk(t: &CacheTree, node: Option<&CacheNode>) {
    let mut stack: Vec<&CacheNode> = node.into_iter().collect();
    let mut seen = 0;
    while let Some(n) = stack.pop() {
        seen += 1;
        assert!(seen <= t.len(), "a node visited twice");
        let _ = t.oid(n);
        let _ = t.child(n, b"a");
        stack.extend(t.children(n));
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 | 1 => {
            let opts = ParseOptions {
                hash_len: if mode % 3 == 0 { 20 } else { 32 },
                cache_tree: true,
            };
            if let Ok(i) = index::parse(rest, opts) {
                check(&i);
            }
        }
        _ => {
            if rest.len() < 2 {
                return;
            }
            let at = usize::from(u16::from_le_bytes([rest[0], rest[1]])).min(rest.len() - 2);
            let (front, shared) = rest[2..].split_at(at);
            let opts = ParseOptions {
                hash_len: 20,
                cache_tree: false,
            };
            let (Ok(front), Ok(shared)) = (index::parse(front, opts), index::parse(shared, opts))
            else {
                return;
            };
            let split = front.link.is_some();
            if let Ok(merged) = index::merge_split(front, shared) {
                check(&merged);
                if split {
                    let keys: Vec<_> = merged
                        .entries()
                        .iter()
                        .map(|e| (merged.path(e), e.stage()))
                        .collect();
                    assert!(keys.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicate");
                }
            }
        }
    }
});
