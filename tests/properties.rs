//! Property tests (proptest) of the engine with the built-in rules and of
//! the baseline format. The fuzz targets in `fuzz/` check the same
//! properties for longer; these run in every `cargo test`.

use std::sync::OnceLock;

use leakhound::engine::placeholder::is_placeholder;
use leakhound::engine::{Engine, line_col};
use leakhound::rules::RuleSet;
use leakhound::suppress::baseline::{Baseline, Entry};
use proptest::prelude::*;

#[path = "support/engine_invariants.rs"]
mod invariants;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(RuleSet::builtin().expect("built-in rules")))
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

/// Checks what every scan must satisfy (see `support/engine_invariants.rs`).
fn check_scan(buf: &[u8]) -> Result<(), TestCaseError> {
    let violation = invariants::scan_violation(engine(), buf);
    prop_assert!(violation.is_none(), "{}", violation.unwrap_or_default());
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
