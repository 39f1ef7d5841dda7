//! Fuzz target: candor_core::fuzz_checks::backup_manifest on arbitrary bytes (seeds in fuzz/seeds/backup_manifest/).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| candor_core::fuzz_checks::backup_manifest(data));
