//! A take transcribed while it is recorded (cut at its pauses as the writer writes it, each
//! piece heard as it comes, the tail asked for near the end as an idle transcriber does, the rest
//! read from the file at Stop) says what the whole file transcribed at once says: its word error
//! is at most one point worse, on an espeak-ng answer of about 80 seconds with fillers (the first
//! sentences of tests/data/long_answer.txt).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failure is the report
#![cfg(target_os = "linux")] // Linux only: espeak-ng makes the speech

use std::process::Command;
use std::time::Duration;

use candor_core::audio::{piece_channel, Piece};
use candor_core::transcribe::{self, LiveTranscript, Model, Watch};

mod common;
use common::{model, wer, words_of};

const SENTENCES: usize = 14;

#[test]
fn the_transcript_made_while_recording_matches_the_whole_file_within_a_point() {
    let Some(model_path) = model() else { return };
    let text: String = include_str!("data/long_answer.txt")
        .lines()
        .take(SENTENCES)
        .collect::<Vec<_>>()
        .join(" ");
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("raw.wav");
    assert!(Command::new("espeak-ng")
        .args(["-s", "150", "-w"])
        .arg(&raw)
        .arg(&text)
        .status()
        .expect("espeak-ng runs (apt install espeak-ng)")
        .success());
    let samples = transcribe::read_16k(&raw).unwrap();
    // The take as the writer leaves it: 16-bit mono at 16 kHz.
    let take = dir.path().join("take.wav");
    let mut w =
        hound::WavWriter::create(&take, candor_core::audio::wav::take_spec(16_000)).unwrap();
    for s in &samples {
        w.write_sample((s.clamp(-1.0, 1.0) * 32767.0).round() as i16)
            .unwrap();
    }
    w.finalize().unwrap();
    let model = Model::load(&model_path).unwrap();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());

    // As recorded: the writer's 50 ms blocks through the cutter; pieces heard as they come; in
    // the last 20 seconds the transcriber, idle, asks for the tail each time it has heard one.
    let (mut cutter, channel) = piece_channel(16_000, 64);
    let mut live = LiveTranscript::new(16_000);
    let mut pieces: Vec<Piece> = Vec::new();
    let mut fed = 0usize;
    for block in samples.chunks(800) {
        cutter.push(block);
        fed += block.len();
        while let Ok(p) = channel.recv_timeout(Duration::ZERO) {
            assert!(live.add(&model, &p, threads, Watch::default()).unwrap());
            pieces.push(p);
        }
        if samples.len() - fed < 20 * 16_000 {
            channel.want_tail();
        }
    }
    drop(cutter);
    let tails = pieces.iter().filter(|p| p.provisional).count();
    let cut = pieces.len() - tails;
    assert!(
        cut >= 3,
        "only {cut} pieces in {} s",
        samples.len() / 16_000
    );
    assert!(tails >= 2, "{tails} tails");
    let by_pieces = (samples.len() as u64 - live.covered_frames()) as f64 / 16_000.0;
    let left_s = (samples.len() as u64 - live.heard_frames()) as f64 / 16_000.0;
    assert!(
        left_s < 8.0 && left_s < by_pieces,
        "{left_s} s left for Stop"
    );
    let incremental = live.finish(&model, &take, threads).unwrap();

    let whole = model.transcribe(&samples, threads).unwrap();
    let reference = words_of(&text);
    let said = |h: &transcribe::Heard| -> Vec<String> {
        h.words.iter().flat_map(|w| words_of(&w.word)).collect()
    };
    let (w_whole, w_live) = (
        wer(&reference, &said(&whole)),
        wer(&reference, &said(&incremental)),
    );
    eprintln!(
        "{cut} pieces and {tails} tails, {left_s:.1} s left at Stop ({by_pieces:.1} s without the tail); \
         word error whole {:.1}%, while recording {:.1}%",
        w_whole * 100.0,
        w_live * 100.0
    );
    if std::env::var_os("SHOW").is_some() {
        eprintln!("WHOLE: {}", said(&whole).join(" "));
        eprintln!("LIVE:  {}", said(&incremental).join(" "));
        for p in &pieces {
            eprintln!(
                "{} at {:.2} s, {:.2} s long",
                if p.provisional { "tail" } else { "piece" },
                p.start_frame as f64 / 16000.0,
                p.samples.len() as f64 / 16000.0
            );
        }
    }
    assert!(
        w_live <= w_whole + 0.01,
        "whole {w_whole:.3}, while recording {w_live:.3}"
    );
    // The words are in the take's time, in order.
    assert!(incremental
        .words
        .windows(2)
        .all(|w| w[0].start_s <= w[1].start_s + 0.05));
    let last = incremental.words.last().unwrap();
    assert!(
        (last.end_s - samples.len() as f64 / 16_000.0).abs() < 3.0,
        "{last:?}"
    );
}
