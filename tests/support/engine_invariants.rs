//! What every engine scan must satisfy, whatever the input: shared by the
//! property tests (`tests/properties.rs`) and the `engine` fuzz target
//! (`fuzz/fuzz_targets/engine.rs`), which include this file by path.

use leakhound::engine::{Engine, Locator, line_col};

/// Line and column of `offset` counted naively: newlines before it, and
/// UTF-8 lead bytes (or bytes, in invalid text) since the last one.
pub fn naive_line_col(buf: &[u8], offset: usize) -> (usize, usize) {
    let before = &buf[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = before[start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    (line, col)
}

/// Scans `buf` and returns the first broken invariant, if any: every span
/// inside the input, a known rule, a non-empty secret, line and column (from
/// `line_col` and `Locator`) equal to a naive count, matches ordered by
/// position, and the same matches on a second scan.
pub fn scan_violation(engine: &Engine, buf: &[u8]) -> Option<String> {
    let matches = engine.scan(buf);
    let mut locator = Locator::new(buf);
    for m in &matches {
        if !(m.start < m.end && m.end <= buf.len()) {
            return Some(format!("secret span outside the input: {m:?}"));
        }
        if !(m.match_start <= m.match_end && m.match_end <= buf.len()) {
            return Some(format!("match span outside the input: {m:?}"));
        }
        if m.rule >= engine.rules().len() {
            return Some(format!("unknown rule: {m:?}"));
        }
        if m.secret(buf).is_empty() {
            return Some(format!("empty secret: {m:?}"));
        }
        let start = naive_line_col(buf, m.start);
        if line_col(buf, m.start) != start || locator.locate(m.start) != start {
            return Some(format!("start line/column differ from {start:?}: {m:?}"));
        }
        let end = naive_line_col(buf, m.end);
        if locator.locate(m.end) != end {
            return Some(format!("end line/column differ from {end:?}: {m:?}"));
        }
    }
    if !matches
        .windows(2)
        .all(|w| (w[0].start, w[0].rule) <= (w[1].start, w[1].rule))
    {
        return Some("matches not ordered by position".into());
    }
    if engine.scan(buf) != matches {
        return Some("a second scan differs".into());
    }
    None
}
