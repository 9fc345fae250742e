//! The scan of one buffer as every source needs it: engine matches, inline
//! allow comments, then findings with line and column.

use std::sync::Arc;

use crate::engine::{Engine, Locator};
use crate::finding::{CommitInfo, Finding, sha1_hex};
use crate::suppress::inline;

/// Turns one buffer into findings: runs the engine, drops matches allowed by
/// an inline comment, and locates the rest.
pub fn buffer_findings(
    engine: &Engine,
    path: &str,
    buf: &[u8],
    commit: Option<&Arc<CommitInfo>>,
) -> Vec<Finding> {
    let matches = engine.scan(buf);
    if matches.is_empty() {
        return Vec::new();
    }
    let mut loc = Locator::new(buf);
    let mut out = Vec::with_capacity(matches.len());
    for m in matches {
        if inline::is_allowed(buf, m.start) {
            continue;
        }
        let rule = &engine.rules()[m.rule];
        let (line, column) = loc.locate(m.start);
        let (end_line, end_column) = loc.locate(m.end);
        let secret = m.secret(buf);
        out.push(Finding {
            rule_id: rule.spec.id.clone(),
            rule_name: rule.spec.name.clone(),
            severity: rule.spec.severity,
            path: path.to_string(),
            line,
            column,
            end_line,
            end_column,
            secret: String::from_utf8_lossy(secret).into_owned(),
            secret_sha1: sha1_hex(secret),
            commit: commit.cloned(),
            blob: None,
        });
    }
    out
}
