//! The engine over arbitrary bytes, with the built-in rules: no panic; every
//! match's spans lie inside the input; the line and column the engine's
//! `Locator` gives agree with an independent count; scans are deterministic.
#![no_main]

use std::sync::OnceLock;

use leakhound::engine::Engine;
use leakhound::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/engine_invariants.rs"]
mod invariants;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(RuleSet::builtin().expect("built-in rules")))
}

fuzz_target!(|data: &[u8]| {
    if let Some(violation) = invariants::scan_violation(engine(), data) {
        panic!("{violation}");
    }
});
