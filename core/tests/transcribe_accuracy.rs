//! Transcription with a real speech model on speech espeak-ng makes from text written for the
//! test, fillers included: the words (word error under 10 %), every filler kept, and word times
//! within 150 ms of where each phrase really starts (the silences between phrases give the truth).
//!
//! The model comes from `CANDOR_TEST_MODEL` (scripts/test-model.sh converts one; `make test`
//! sets it). Without it the test says so and passes, unless `CANDOR_REQUIRE_MODEL=1` (as in
//! `make test`), where a missing model fails it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failure is the report
#![cfg(target_os = "linux")] // Linux only: espeak-ng makes the speech

use std::path::Path;
use std::process::Command;

use candor_core::transcribe::{self, normalized, Model};

mod common;
use common::{model, wer, words_of};

const PHRASES: [&str; 6] = [
    "So, um, the first thing I would look at is the evaluation schedule.",
    "Uh, I don't know who decides when a threshold has been crossed.",
    "I'd want to find out how often the tests were run last year.",
    "Um, my guess is that the pressure shows up in the budget first.",
    "If a competitor ships without the same checks, customers may follow.",
    "Uh, that would make the standard harder to keep, and, um, harder to explain.",
];
const GAP_S: f64 = 0.8;

/// One phrase spoken by espeak-ng, as 16 kHz mono samples.
fn speak(dir: &Path, i: usize, text: &str) -> Vec<f32> {
    let wav = dir.join(format!("p{i}.wav"));
    let ok = Command::new("espeak-ng")
        .args(["-s", "150", "-w"])
        .arg(&wav)
        .arg(text)
        .status()
        .expect("espeak-ng runs (apt install espeak-ng)");
    assert!(ok.success());
    transcribe::read_16k(&wav).unwrap()
}

#[test]
fn a_real_model_hears_the_words_the_fillers_and_when_each_phrase_starts() {
    let Some(path) = model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut audio: Vec<f32> = Vec::new();
    let mut onsets = Vec::new();
    for (i, p) in PHRASES.iter().enumerate() {
        let s = speak(dir.path(), i, p);
        let lead = s.iter().position(|v| v.abs() > 0.02).unwrap_or(0);
        onsets.push((audio.len() + lead) as f64 / 16_000.0);
        audio.extend(s);
        audio.extend(std::iter::repeat_n(0.0, (GAP_S * 16_000.0) as usize));
    }

    let model = Model::load(&path).unwrap();
    let cues = transcribe::cues::builtin().unwrap();
    let heard = model
        .transcribe(&audio, transcribe::default_threads())
        .unwrap();
    let t = transcribe::Transcript::of(&model.info, heard, &cues);
    eprintln!("{} heard: {}", model.info.name, t.text);
    for w in &t.words {
        eprintln!("  {:6.2} {:6.2} {}", w.start_s, w.end_s, w.word);
    }

    let reference = words_of(&PHRASES.join(" "));
    let got: Vec<String> = t
        .words
        .iter()
        .map(|w| normalized(&w.word))
        .filter(|w| !w.is_empty())
        .collect();
    let error = wer(&reference, &got);
    eprintln!("word error {:.1} %", error * 100.0);
    assert!(
        error < 0.10,
        "word error {:.1} %: {}",
        error * 100.0,
        t.text
    );

    let fillers: Vec<String> = t.fillers.iter().map(|f| normalized(&f.text)).collect();
    assert_eq!(fillers, ["um", "uh", "um", "uh", "um"], "{}", t.text);
    let hedges: Vec<String> = t.hedges.iter().map(|h| h.text.to_lowercase()).collect();
    assert!(
        hedges.iter().any(|h| h.starts_with("i don't know")),
        "{hedges:?}"
    );
    assert!(
        hedges.iter().any(|h| h.starts_with("i'd want to find out")),
        "{hedges:?}"
    );

    // Each phrase's first word starts within 150 ms of where the phrase's sound starts.
    let mut from = 0;
    for (p, onset) in PHRASES.iter().zip(&onsets) {
        let first = words_of(p)[0].clone();
        let i = from
            + t.words[from..]
                .iter()
                .position(|w| normalized(&w.word) == first && (w.start_s - onset).abs() < 1.0)
                .unwrap_or_else(|| panic!("no '{first}' near {onset:.2} s: {}", t.text));
        let w = &t.words[i];
        eprintln!("'{}' at {:.2} s, sound at {onset:.2} s", w.word, w.start_s);
        assert!(
            (w.start_s - onset).abs() <= 0.15,
            "'{}' at {:.2} s, the phrase starts at {onset:.2} s",
            w.word,
            w.start_s
        );
        from = i + 1;
    }
}
