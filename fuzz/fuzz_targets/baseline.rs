//! The `.secrets.baseline` reader over arbitrary text: no panic; an error
//! names the file; what parses writes back to text that parses to the same
//! entries.
#![no_main]

use leakhound::suppress::baseline::Baseline;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Baseline::parse("fuzz.baseline", text) {
        Err(e) => assert!(e.to_string().starts_with("fuzz.baseline: "), "{e}"),
        Ok(b) => {
            let written = String::from_utf8(b.to_bytes()).expect("baseline is UTF-8");
            let again = Baseline::parse("again", &written)
                .unwrap_or_else(|e| panic!("our own output does not parse: {e}\n{written}"));
            assert_eq!(again.entries, b.entries, "{written}");
            assert_eq!(again.to_bytes(), b.to_bytes(), "stable output");
        }
    }
});
