//! The engine over arbitrary bytes, with the built-in rules: no panic; every
//! match's spans lie inside the input; the line and column the engine's
//! `Locator` gives agree with an independent count; scans are deterministic.
#![no_main]

use std::sync::OnceLock;

use leakhound::engine::{Engine, Locator, line_col};
use leakhound::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(RuleSet::builtin().expect("built-in rules")))
}

/// Line and column of `offset` counted naively: newlines before it, and
/// UTF-8 lead bytes (or bytes, in invalid text) since the last one.
fn naive_line_col(buf: &[u8], offset: usize) -> (usize, usize) {
    let before = &buf[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    (line, col)
}

fuzz_target!(|data: &[u8]| {
    let engine = engine();
    let matches = engine.scan(data);
    let mut locator = Locator::new(data);
    for m in &matches {
        assert!(m.start < m.end && m.end <= data.len(), "{m:?}");
        assert!(
            m.match_start <= m.match_end && m.match_end <= data.len(),
            "{m:?}"
        );
        assert!(m.rule < engine.rules().len());
        assert!(!m.secret(data).is_empty());
        let expected = naive_line_col(data, m.start);
        assert_eq!(line_col(data, m.start), expected, "{m:?}");
        assert_eq!(locator.locate(m.start), expected, "{m:?}");
        let end = naive_line_col(data, m.end);
        assert_eq!(locator.locate(m.end), end, "{m:?}");
    }
    assert_eq!(engine.scan(data), matches, "deterministic");
});
