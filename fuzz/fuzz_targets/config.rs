//! The `.leakhound.toml` reader over arbitrary text: no panic; an error
//! names the file; a config that parses applies to the built-in rules
//! without panicking.
#![no_main]

use leakhound::config::Config;
use leakhound::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse("fuzz.toml", text) {
        Err(e) => assert!(e.to_string().starts_with("fuzz.toml: "), "{e}"),
        Ok(config) => {
            let base = RuleSet::builtin().expect("built-in rules");
            if let Ok(rules) = config.apply_to(base) {
                // Rules the config added must compile (lazily, on first use).
                let _ = rules.check_regexes();
            }
        }
    }
});
