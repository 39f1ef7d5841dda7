//! Fuzz target: candor_core::fuzz_checks::wav_read on arbitrary bytes (seeds in fuzz/seeds/wav_read/).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| candor_core::fuzz_checks::wav_read(data));
