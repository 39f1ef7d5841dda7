//! Fuzz target: candor_core::fuzz_checks::question_bank on arbitrary bytes (seeds in fuzz/seeds/question_bank/).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| candor_core::fuzz_checks::question_bank(data));
