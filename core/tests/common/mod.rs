//! What the transcription tests share: the real model they use, and word error.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test uses some of it

use std::path::PathBuf;

use candor_core::transcribe::normalized;

/// The model from `CANDOR_TEST_MODEL` (scripts/test-model.sh converts one; `make test` sets it).
/// Without it a test says so and passes, unless `CANDOR_REQUIRE_MODEL=1`, where it fails.
pub fn model() -> Option<PathBuf> {
    match std::env::var_os("CANDOR_TEST_MODEL") {
        Some(p) => Some(PathBuf::from(p)),
        None if std::env::var_os("CANDOR_REQUIRE_MODEL").is_some() => {
            panic!("CANDOR_TEST_MODEL is not set: run scripts/test-model.sh and point it at ggml-base.bin")
        }
        None => {
            eprintln!("SKIPPED: no CANDOR_TEST_MODEL (scripts/test-model.sh makes one)");
            None
        }
    }
}

/// Words as compared: lower case, no punctuation.
pub fn words_of(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(normalized)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Word error rate: edits (substitutions, insertions, deletions) over the reference's length.
pub fn wer(reference: &[String], heard: &[String]) -> f64 {
    let mut prev: Vec<usize> = (0..=heard.len()).collect();
    for (i, r) in reference.iter().enumerate() {
        let mut cur = vec![i + 1; heard.len() + 1];
        for (j, h) in heard.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(r != h))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[heard.len()] as f64 / reference.len() as f64
}
