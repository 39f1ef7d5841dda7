//! Fuzz target: candor_core::fuzz_checks::rubric on arbitrary bytes (seeds in fuzz/seeds/rubric/).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| candor_core::fuzz_checks::rubric(data));
