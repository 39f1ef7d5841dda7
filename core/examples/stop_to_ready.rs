//! How long after Stop a take's transcript is ready when it is transcribed while recorded, for
//! `bench/transcribe.sh`. The WAV is fed through the writer's `PieceCutter` in 50 ms blocks, on a
//! clock in the take's time; each piece is heard with one thread (the others keep the recording
//! and the window smooth) no earlier than the moment it exists, and whenever the transcriber has
//! nothing to do it asks for the tail, as the app does; the rest is heard with every thread at
//! Stop (the end of the file). Transcription times are real; only the wait for the speaker is
//! skipped: a piece whose transcription outlasts the next piece's speech delays the next one, as
//! it would live.
//!
//! Usage: cargo run -p candor-core --example stop_to_ready -- TAKE.wav MODEL.bin
//! Prints one JSON object: pieces, seconds left at Stop, Stop-to-ready seconds, the transcript's
//! words, and memory (peak, and what stays once the model is dropped and the allocator has
//! handed freed memory back, ten-odd seconds later, as in the app).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a measuring tool: a failure is the report

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use candor_core::audio::{piece_channel, Piece};
use candor_core::transcribe::{self, LiveTranscript, Model, Watch};

/// A line of /proc/self/status, in MB.
fn status_mb(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (wav, model_path, socket) = match args.as_slice() {
        [_, wav, model] => (wav.clone(), model.clone(), None),
        [_, wav, model, socket] => (wav.clone(), model.clone(), Some(socket.clone())),
        _ => {
            eprintln!("usage: stop_to_ready TAKE.wav MODEL.bin [SPEECHD_SOCKET]");
            std::process::exit(2);
        }
    };
    let reader = hound::WavReader::open(&wav).expect("a WAV file");
    let rate = reader.spec().sample_rate;
    let samples = transcribe::read_16k(std::path::Path::new(&wav)).expect("readable audio");
    assert_eq!(rate, 16_000, "a take as Candor records it: 16 kHz mono");
    candor_core::memory::give_back_freed_memory();
    let before_mb = status_mb("VmRSS:");
    let model = Model::load(std::path::Path::new(&model_path)).expect("a model that loads");

    let one = transcribe::default_threads();
    let all = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut live = LiveTranscript::new(rate);
    let (mut cutter, pieces) = piece_channel(rate, 1024);
    // Pieces sent and when (seconds into the take) they were; the take's time fed so far; the
    // moment the transcriber is free again.
    let mut waiting: VecDeque<(Piece, f64)> = VecDeque::new();
    let mut clock = 0.0f64;
    let mut free_at = 0.0f64;
    let (mut cut, mut tails) = (0usize, 0usize);
    let hear = |live: &mut LiveTranscript, p: &Piece, from: f64, threads: usize| -> f64 {
        let started = Instant::now();
        assert!(live
            .add(&model, p, threads, Watch::default())
            .expect("a piece heard"));
        from + started.elapsed().as_secs_f64()
    };
    for block in samples.chunks(800) {
        cutter.push(block);
        clock += block.len() as f64 / f64::from(rate);
        while let Ok(p) = pieces.recv_timeout(Duration::ZERO) {
            if p.provisional {
                tails += 1;
            } else {
                cut += 1;
            }
            waiting.push_back((p, clock));
        }
        while free_at <= clock {
            match waiting.pop_front() {
                Some((p, sent)) => free_at = hear(&mut live, &p, free_at.max(sent), one),
                None => {
                    pieces.want_tail();
                    break;
                }
            }
        }
    }
    drop(cutter);
    while let Ok(p) = pieces.recv_timeout(Duration::ZERO) {
        waiting.push_back((p, clock));
    }
    // What was sent before Stop is heard before the rest, as the app's loop does, with every
    // thread once the take has stopped.
    for (p, sent) in waiting {
        let from = free_at.max(sent);
        let threads = if from < clock { one } else { all };
        free_at = hear(&mut live, &p, from, threads);
    }
    let stop_at = samples.len() as f64 / f64::from(rate);
    let left_s = stop_at - live.heard_frames() as f64 / f64::from(rate);
    let started = Instant::now();
    let heard = live
        .finish(&model, std::path::Path::new(&wav), all)
        .expect("the rest heard");
    let ready_at = free_at.max(stop_at) + started.elapsed().as_secs_f64();
    let peak_mb = status_mb("VmHWM:");
    let pushback = socket.map(|s| interviewer_next(&heard.words, &s));
    drop(model);
    // jemalloc returns freed pages after about 10 s unused (its default decay).
    std::thread::sleep(Duration::from_secs(12));
    let idle_mb = status_mb("VmRSS:");
    let words: Vec<&str> = heard.words.iter().map(|w| w.word.as_str()).collect();
    println!(
        "{}",
        serde_json::json!({
            "pieces": cut,
            "tails": tails,
            "left_at_stop_s": left_s,
            "behind_at_stop_s": (free_at - stop_at).max(0.0),
            "stop_to_ready_s": ready_at - stop_at,
            "rss_before_mb": before_mb,
            "peak_mb": peak_mb,
            "rss_idle_mb": idle_mb,
            "pushback": pushback,
            "text": words.join(" "),
        })
    );
}

/// What the interviewer does once the words are ready: the push-back chosen from them (as after
/// an answer to `cv-which-world`), then said; the seconds each took, to the first sound.
fn interviewer_next(words: &[transcribe::Word], socket: &str) -> serde_json::Value {
    use candor_core::interviewer;
    let started = Instant::now();
    let bank = candor_core::bank::builtin().expect("the shipped bank");
    let question = bank
        .questions
        .iter()
        .find(|q| q.id == "cv-which-world")
        .expect("the question");
    let own: Vec<&str> =
        candor_core::practice::pushback_chain(question, &bank.general_pushbacks, 0)
            .into_iter()
            .map(|p| p.text.as_str())
            .collect();
    let said = [transcribe::Said {
        take_id: "take",
        reply: 0,
        words,
    }];
    let chosen = interviewer::choose(
        &interviewer::builtin().expect("the shipped rules"),
        &transcribe::cues::builtin().expect("the shipped cues"),
        &said,
        &[],
        &own,
        0,
    )
    .expect("a push-back");
    let choose_s = started.elapsed().as_secs_f64();
    let voice = candor_core::voice::Voice::at(socket.into());
    let asked = Instant::now();
    let mut first_sound: Option<f64> = None;
    let spoken = voice.say_noting(
        &candor_core::voice::Utterance {
            text: &chosen.text,
            voice: None,
            rate: 0,
        },
        &mut || {
            first_sound.get_or_insert(asked.elapsed().as_secs_f64());
        },
    );
    serde_json::json!({
        "rule": chosen.rule,
        "text": chosen.text,
        "choose_s": choose_s,
        "first_sound_s": first_sound,
        "spoken": spoken.map(|s| format!("{s:?}")).unwrap_or_else(|e| e.to_string()),
    })
}
