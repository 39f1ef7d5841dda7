//! Fuzz target: candor_core::fuzz_checks::opinion_file on arbitrary bytes (seeds in
//! fuzz/seeds/opinion_file/).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| candor_core::fuzz_checks::opinion_file(data));
