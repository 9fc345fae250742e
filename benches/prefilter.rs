//! Keyword prefilter throughput (MB/s) as the rule set grows, for 80, 250,
//! 500 and 1,000 rules: the keywords of that many built-in rules, then
//! synthetic ones shaped like provider keywords (token prefixes such as
//! `abcd_`, `xyz-`, `pq.`, and service names, 1.6 per rule) beyond the
//! built-in set. The sieve's cost should stay flat; the automaton is the
//! reference.
//!
//! The corpus is as in `engine.rs`: synthetic source code, or the text files
//! of `LEAKHOUND_BENCH_CORPUS=DIR` (up to 64 MB).

mod common;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use leakhound::engine::prefilter::Prefilter;
use leakhound::rules::RuleSet;

/// Deterministic keywords shaped like the ones provider rules use.
fn synthetic_keywords(n: usize, seed: u64) -> Vec<Vec<u8>> {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    const TAIL: &[u8] = b"_-.";
    let mut x = seed | 1;
    let mut next = |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m as u64) as usize
    };
    (0..n)
        .map(|i| {
            let len = 3 + next(6);
            let mut k: Vec<u8> = (0..len).map(|_| LETTERS[next(LETTERS.len())]).collect();
            // Most provider keywords are prefixes ending in a separator; the
            // rest are service names.
            if i % 4 != 0 {
                k.push(TAIL[next(TAIL.len())]);
            }
            k
        })
        .collect()
}

/// The keywords of `rules` built-in rules (spread over the whole set, so
/// that every category is in), plus synthetic ones for rules beyond it.
fn keywords_for(rules: usize, builtin: &[Vec<Vec<u8>>]) -> Vec<Vec<u8>> {
    let take = rules.min(builtin.len());
    let mut k: Vec<Vec<u8>> = (0..take)
        .flat_map(|i| builtin[i * builtin.len() / take].iter().cloned())
        .collect();
    if rules > builtin.len() {
        k.extend(synthetic_keywords((rules - builtin.len()) * 8 / 5, 0x5eed));
    }
    k.sort();
    k.dedup();
    k
}

fn corpus() -> Vec<Vec<u8>> {
    if let Some(files) = common::corpus_dir() {
        return files;
    }
    let text = "def get_user(session, user_id: int) -> Optional[User]:\n    \
                password = request.form.get(\"password\")\n\
                const token = localStorage.getItem('auth_token');\n\
                \tsecret := os.Getenv(\"JWT_SECRET\")\n  image: postgres:16-alpine\n\
                ## Configure the API key in your environment before running the tests.\n\
                integrity sha512-3Z9Xq8kV6u2Y1mQ0rB5nHcL7wE4tP9sJfGdA2oKxN8yRvT1zMbUiWcQeSlIhFpDg==\n";
    text.repeat((8 << 20) / text.len())
        .into_bytes()
        .chunks(16 << 10)
        .map(<[u8]>::to_vec)
        .collect()
}

fn bench(c: &mut Criterion) {
    let set = RuleSet::builtin().expect("rules");
    let builtin: Vec<Vec<Vec<u8>>> = set
        .rules()
        .iter()
        .map(|r| {
            r.spec
                .keywords
                .iter()
                .map(|k| k.to_ascii_lowercase().into_bytes())
                .collect()
        })
        .collect();
    let files = corpus();
    let bytes: usize = files.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("prefilter");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    for rules in [80, 250, 500, 1000] {
        let keywords = keywords_for(rules, &builtin);
        let variants = [
            ("sieve", Prefilter::new(&keywords)),
            ("automaton", Prefilter::new_automaton(&keywords)),
        ];
        for (name, p) in variants {
            group.bench_with_input(BenchmarkId::new(name, rules), &p, |b, p| {
                b.iter(|| {
                    let mut n = 0usize;
                    for f in &files {
                        p.for_each_hit(black_box(f), |_| n += 1);
                    }
                    black_box(n)
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
