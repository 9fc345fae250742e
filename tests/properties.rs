//! Property tests (proptest) of the engine with the built-in rules and of
//! the baseline format. The fuzz targets in `fuzz/` check the same
//! properties for longer; these run in every `cargo test`.

use std::sync::OnceLock;

use leakhound::engine::placeholder::is_placeholder;
use leakhound::engine::{Engine, Locator, line_col};
use leakhound::rules::RuleSet;
use leakhound::suppress::baseline::{Baseline, Entry};
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(RuleSet::builtin().expect("built-in rules")))
}

/// Line and column counted naively: newlines before `offset`, and UTF-8
/// lead bytes (bytes, in invalid text) since the last one.
fn naive_line_col(buf: &[u8], offset: usize) -> (usize, usize) {
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

/// Text made of fragments that wake the rules up: keywords, quotes,
/// separators, base64-ish runs, multi-byte and invalid UTF-8.
fn keyword_soup() -> impl Strategy<Value = Vec<u8>> {
    let fragments: Vec<&'static [u8]> = vec![
        b"password=",
        b"secret ",
        b"SECRET_KEY = ",
        b"token: ",
        b"api_key=\"",
        b"sk_live_",
        b"AKIA",
        b"-----BEGIN PRIVATE KEY-----\n",
        b"-----END PRIVATE KEY-----",
        b"eyJ",
        b"eyJhbGciOiJIUzI1NiJ9.",
        b"postgres://u:",
        b"@host/db",
        b"://",
        b"kind: Secret\ndata:\n  k: ",
        b"gAAAAA",
        b"\n",
        b"\r\n",
        b"\"",
        b"'",
        b"\\",
        b"=",
        b" ",
        "é€".as_bytes(),
        b"\xff\xfe",
        b"\0",
        b"QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        b"q8Zr2LxT9vKkW3p4",
        b"0123456789abcdef",
    ];
    prop::collection::vec(prop::sample::select(fragments), 0..200).prop_map(|parts| parts.concat())
}

/// Checks what every scan must satisfy and returns the matches.
fn check_scan(buf: &[u8]) -> Result<(), TestCaseError> {
    let e = engine();
    let matches = e.scan(buf);
    let mut locator = Locator::new(buf);
    for m in &matches {
        prop_assert!(m.start < m.end && m.end <= buf.len(), "{:?}", m);
        prop_assert!(m.match_start <= m.match_end && m.match_end <= buf.len());
        prop_assert!(m.rule < e.rules().len());
        prop_assert!(!m.secret(buf).is_empty());
        let expected = naive_line_col(buf, m.start);
        prop_assert_eq!(line_col(buf, m.start), expected);
        prop_assert_eq!(locator.locate(m.start), expected);
    }
    prop_assert!(
        matches
            .windows(2)
            .all(|w| (w[0].start, w[0].rule) <= (w[1].start, w[1].rule)),
        "ordered by position"
    );
    prop_assert_eq!(e.scan(buf), matches, "deterministic");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn engine_over_arbitrary_bytes(buf in prop::collection::vec(any::<u8>(), 0..4096)) {
        check_scan(&buf)?;
    }

    #[test]
    fn engine_over_keyword_soup(buf in keyword_soup()) {
        check_scan(&buf)?;
    }

    /// A Stripe key built from random parts, planted in random text, is
    /// found with its exact secret, line and column.
    #[test]
    fn a_planted_key_is_found_where_it_is(
        before in prop::collection::vec("[a-z #:=é\"'\t]{0,40}", 0..8),
        after in prop::collection::vec("[a-z #:=é\"'\t]{0,40}", 0..8),
        alphabet in Just(
            b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".to_vec()
        ).prop_shuffle(),
        len in 24usize..60,
        name in "[A-Z_]{1,12}",
        sep in prop::sample::select(vec!["=", " = ", ": ", "=\"", " => '"]),
    ) {
        let body: String = alphabet.iter().cycle().take(len).map(|&b| b as char).collect();
        let key = format!("sk_{}_{body}", "live");
        prop_assume!(!is_placeholder(key.as_bytes()));
        let mut text = String::new();
        for l in &before {
            text.push_str(l);
            text.push('\n');
        }
        let line = before.len() + 1;
        let prefix = format!("{name}{sep}");
        let column = prefix.chars().count() + 1;
        text.push_str(&prefix);
        text.push_str(&key);
        text.push('\n');
        for l in &after {
            text.push_str(l);
            text.push('\n');
        }
        let buf = text.as_bytes();
        let e = engine();
        let found: Vec<_> = e
            .scan(buf)
            .into_iter()
            .filter(|m| e.rules()[m.rule].id() == "stripe-secret-key-live")
            .collect();
        prop_assert_eq!(found.len(), 1, "{}", text);
        prop_assert_eq!(found[0].secret(buf), key.as_bytes());
        prop_assert_eq!(line_col(buf, found[0].start), (line, column));
    }

    /// Writing a baseline and reading it back gives the same entries.
    #[test]
    fn baseline_round_trip(
        entries in prop::collection::vec(
            (
                prop::sample::select(vec!["Secret Keyword", "Stripe Access Key", "AWS Access Key", "Ünïcode \"type\""]),
                "[a-zA-Z0-9_./ \\\\\"é-]{1,30}",
                "[0-9a-f]{40}",
                any::<bool>(),
                prop::option::of(1u64..1_000_000),
                prop::option::of(any::<bool>()),
            ),
            0..20,
        ),
        generated_at in prop::option::of("[0-9T:Z-]{1,25}"),
    ) {
        let mut b = Baseline::new();
        b.generated_at = generated_at;
        b.entries = entries
            .into_iter()
            .map(|(kind, filename, hashed_secret, is_verified, line_number, is_secret)| Entry {
                kind: kind.to_string(),
                filename,
                hashed_secret,
                is_verified,
                line_number,
                is_secret,
            })
            .collect();
        b.ensure_plugins();
        b.normalize();
        let text = String::from_utf8(b.to_bytes()).unwrap();
        let back = Baseline::parse("round-trip", &text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&back, &b, "{}", text);
        prop_assert_eq!(back.to_bytes(), b.to_bytes());
    }
}
