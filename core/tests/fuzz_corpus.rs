//! Replays every committed fuzz input (fuzz/seeds/<target>/) through the same checks the
//! cargo-fuzz targets run, on the stable toolchain: a quick regression test for `make test`.
//! Inputs a local `make fuzz` found (fuzz/corpus/<target>/, git-ignored) are replayed too.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

use std::path::{Path, PathBuf};

use candor_core::fuzz_checks::TARGETS;

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_seed_and_corpus_input_passes_its_target_check() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut total = 0;
    for (name, check) in TARGETS {
        let seeds = inputs(&fuzz.join("seeds").join(name));
        assert!(!seeds.is_empty(), "fuzz/seeds/{name}/ holds no seed");
        let found = inputs(&fuzz.join("corpus").join(name));
        for file in seeds.iter().chain(&found) {
            // A running `make fuzz` may drop corpus files meanwhile (seeds are committed).
            let data = match std::fs::read(file) {
                Ok(d) => d,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && !seeds.contains(file) => {
                    continue
                }
                Err(e) => panic!("{}: {e}", file.display()),
            };
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(
                outcome.is_ok(),
                "{name}: {} fails its check",
                file.display()
            );
            total += 1;
        }
    }
    println!("replayed {total} fuzz inputs");
}
