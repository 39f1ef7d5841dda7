//! Fuzz target: candor_core::fuzz_checks::wav_repair on arbitrary bytes (seeds in fuzz/seeds/wav_repair/).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| candor_core::fuzz_checks::wav_repair(data));
