//! `candor-cli transcribe`, `model` and `search` with a real speech model (CANDOR_TEST_MODEL, as
//! scripts/test-model.sh makes it; without it the tests say so and pass, unless
//! CANDOR_REQUIRE_MODEL=1 as in `make test`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point
#![cfg(target_os = "linux")] // Linux only: espeak-ng makes the speech

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::cli_in as cli;
const SPOKEN: &str = "So, um, I don't know who owns the threshold. Uh, I'd want to find out.";

fn model() -> Option<PathBuf> {
    match std::env::var_os("CANDOR_TEST_MODEL") {
        Some(p) => Some(PathBuf::from(p)),
        None if std::env::var_os("CANDOR_REQUIRE_MODEL").is_some() => {
            panic!("CANDOR_TEST_MODEL is not set: run scripts/test-model.sh")
        }
        None => {
            eprintln!("SKIPPED: no CANDOR_TEST_MODEL (scripts/test-model.sh makes one)");
            None
        }
    }
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Speech espeak-ng makes, as a 16 kHz mono WAV at `path`.
fn speech(path: &Path) {
    speech_of(path, SPOKEN);
}

/// `text` spoken by espeak-ng, as a 16 kHz mono WAV at `path`.
fn speech_of(path: &Path, text: &str) {
    let raw = path.with_extension("raw.wav");
    assert!(Command::new("espeak-ng")
        .args(["-s", "150", "-w"])
        .arg(&raw)
        .arg(text)
        .status()
        .unwrap()
        .success());
    let mut r = hound::WavReader::open(&raw).unwrap();
    let rate = r.spec().sample_rate;
    let s: Vec<f32> = r
        .samples::<i16>()
        .map(|v| f32::from(v.unwrap()) / 32768.0)
        .collect();
    let s16 = candor_core::transcribe::to_16k(s, rate).unwrap();
    let mut w = hound::WavWriter::create(path, candor_core::audio::wav::take_spec(16_000)).unwrap();
    for v in s16 {
        w.write_sample((v * 32767.0) as i16).unwrap();
    }
    w.finalize().unwrap();
}

#[test]
fn a_wav_file_is_transcribed_verbatim_as_text_and_json() {
    let Some(model) = model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("answer.wav");
    speech(&wav);
    let data = dir.path().join("data");
    let m = model.to_str().unwrap();
    let text = ok(&cli(
        &data,
        &["transcribe", wav.to_str().unwrap(), "--model", m],
    ));
    assert!(
        text.to_lowercase().contains("um, i don't know who owns"),
        "{text}"
    );
    assert!(text.contains("2 fillers"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&ok(&cli(
        &data,
        &["transcribe", wav.to_str().unwrap(), "--model", m, "--json"],
    )))
    .unwrap();
    let words = json["words"].as_array().unwrap();
    assert!(words.len() >= 14, "{json}");
    for w in words {
        for key in ["word", "start_s", "end_s", "p"] {
            assert!(!w[key].is_null(), "{w}");
        }
    }
    assert_eq!(json["fillers"].as_array().unwrap().len(), 2, "{json}");
    assert_eq!(json["hedges"][0]["text"], "I don't know");
    assert_eq!(
        json["model"]["name"],
        model.file_name().unwrap().to_str().unwrap()
    );
}

#[test]
fn a_model_is_checked_added_listed_and_a_take_transcribed_stored_and_found() {
    let Some(model) = model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // A model cut short is refused in words, and nothing is added.
    let cut = dir.path().join("ggml-cut.bin");
    std::fs::write(&cut, &std::fs::read(&model).unwrap()[..3_000_000]).unwrap();
    let out = cli(&data, &["model", "import", cut.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("could not load it"),
        "{out:?}"
    );
    assert!(ok(&cli(&data, &["model", "list"])).contains("No speech model added yet"));
    // A good one is added and listed with its checksum.
    ok(&cli(&data, &["model", "import", model.to_str().unwrap()]));
    let list = ok(&cli(&data, &["model", "list"]));
    assert!(
        list.starts_with(model.file_name().unwrap().to_str().unwrap()),
        "{list}"
    );
    assert!(ok(&cli(&data, &["model", "verify", model.to_str().unwrap()])).contains("loads"));

    // A take of the data folder (a generated one, its recording replaced by speech) is
    // transcribed with the model added, stored, and found by a search.
    ok(&cli(
        &data,
        &["gen-history", "--days", "1", "--takes", "1", "--audio"],
    ));
    let recordings = data.join("recordings");
    let wav = std::fs::read_dir(&recordings)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let take = wav.file_stem().unwrap().to_str().unwrap().to_string();
    std::fs::remove_file(&wav).unwrap();
    speech(&wav);
    let text = ok(&cli(&data, &["transcribe", "--take", &take]));
    assert!(text.to_lowercase().contains("threshold"), "{text}");
    let found = ok(&cli(&data, &["search", "thresh"]));
    assert!(
        found.starts_with(&take) && found.contains("[threshold"),
        "{found}"
    );
    assert!(ok(&cli(&data, &["search", "cadence"])).contains("No transcript holds"));
    // In the JSON export, with the model that made it and its words.
    let json: serde_json::Value =
        serde_json::from_str(&ok(&cli(&data, &["export", "--json"]))).unwrap();
    let t = json["takes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["take_id"] == take.as_str())
        .unwrap();
    assert!(
        t["transcript"]["text"]
            .as_str()
            .unwrap()
            .contains("threshold"),
        "{t}"
    );
    assert_eq!(
        t["transcript"]["model"],
        model.file_name().unwrap().to_str().unwrap()
    );
    assert!(t["transcript"]["words"].as_array().unwrap().len() >= 14);
}

/// The takes of a generated data folder, their recordings replaced by speech, newest first.
fn spoken_takes(data: &Path, n: usize) -> Vec<String> {
    ok(&cli(
        data,
        &[
            "gen-history",
            "--days",
            "3",
            "--takes",
            &n.to_string(),
            "--audio",
        ],
    ));
    let db = rusqlite::Connection::open(data.join("candor.db")).unwrap();
    let mut st = db
        .prepare("SELECT id FROM takes WHERE frames > 0 ORDER BY started_at DESC, rowid DESC")
        .unwrap();
    let takes: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(takes.len(), n);
    for id in &takes {
        let wav = data.join("recordings").join(format!("{id}.wav"));
        std::fs::remove_file(&wav).unwrap();
        speech(&wav);
    }
    takes
}

#[test]
fn the_background_queue_goes_newest_first_survives_a_kill_and_keeps_failures_for_a_retry() {
    let Some(model) = model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let takes = spoken_takes(&data, 3);
    // Without a model nothing is transcribed, and the terminal says how to add one.
    let out = cli(&data, &["transcribe", "--pending"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("model import"),
        "{out:?}"
    );
    ok(&cli(&data, &["model", "import", model.to_str().unwrap()]));

    // Killed as soon as the first take is stored: that one is kept, the rest still wait.
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor-cli"))
        .arg("--data-dir")
        .arg(&data)
        .args(["transcribe", "--pending"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        first.trim(),
        format!("{}  transcribed", takes[0]),
        "newest first"
    );

    // A take whose recording is damaged fails with its reason, and the rest go on.
    let broken = data.join("recordings").join(format!("{}.wav", takes[2]));
    std::fs::write(&broken, b"RIFF\x10\x00\x00\x00WAVEjunk").unwrap();
    let out = ok(&cli(&data, &["transcribe", "--pending"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("{}  transcribed", takes[1]), "{out}");
    assert!(
        lines[1].starts_with(&format!("{}  failed: ", takes[2])),
        "{out}"
    );
    assert!(
        out.ends_with("1 transcribed; 1 failed (retry with --pending --retry).\n"),
        "{out}"
    );
    // A failure waits for a retry: it is not tried again by itself.
    assert!(ok(&cli(&data, &["transcribe", "--pending"])).starts_with("0 transcribed; 1 failed"));
    speech(&broken);
    let out = ok(&cli(&data, &["transcribe", "--pending", "--retry"]));
    assert_eq!(
        out,
        format!(
            "{}  transcribed\n1 transcribed; 0 failed (retry with --pending --retry).\n",
            takes[2]
        )
    );
    for t in &takes {
        assert!(ok(&cli(&data, &["search", "threshold"])).contains(t.as_str()));
    }
    // whisper.cpp's messages went to Candor's log, not to the terminal.
    let log = std::fs::read_to_string(data.join("logs").join("candor.log")).unwrap();
    assert!(log.contains("whisper"), "{log}");
    // The model's speed on this machine was noted as it worked (the audio it heard, summed).
    let db = rusqlite::Connection::open(data.join("candor.db")).unwrap();
    let (audio_s, compute_s): (f64, f64) = db
        .query_row("SELECT audio_s, compute_s FROM model_speed", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(audio_s > 3.0 && compute_s > 0.0, "{audio_s} {compute_s}");
    let list = ok(&cli(&data, &["model", "list"]));
    assert!(
        list.contains(&format!("({:.1} min heard)  in use", audio_s / 60.0)),
        "{list}"
    );
}

#[test]
fn the_pushback_is_chosen_from_the_words_of_a_transcript_file_or_a_stored_take() {
    let Some(model) = model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let m = model.to_str().unwrap();
    // An answer that voices no doubt at all: pressed on what it does not know.
    let wav = dir.path().join("sure.wav");
    speech_of(
        &wav,
        "We moved the evaluations to every month. The evaluation cadence clearly breaks first, \
         long before the thresholds do.",
    );
    let json = dir.path().join("sure.json");
    let printed = ok(&cli(
        &data,
        &["transcribe", wav.to_str().unwrap(), "--model", m, "--json"],
    ));
    std::fs::write(&json, printed).unwrap();
    let asked = |args: &[&str]| -> serde_json::Value {
        serde_json::from_str(&ok(&cli(&data, args))).unwrap()
    };
    let chosen = asked(&[
        "pushback",
        "--question",
        "cv-which-world",
        "--transcript",
        json.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(chosen["rule"], "no_uncertainty", "{chosen}");
    assert_eq!(chosen["reason"], "the answer voiced no uncertainty");
    let text = ok(&cli(
        &data,
        &[
            "pushback",
            "--question",
            "cv-which-world",
            "--transcript",
            json.to_str().unwrap(),
        ],
    ));
    assert!(text.contains("rule: no_uncertainty"), "{text}");

    // A stored take that voiced its doubt but followed no consequence: pressed on that.
    ok(&cli(&data, &["model", "import", m]));
    let take = spoken_takes(&data, 1).remove(0);
    ok(&cli(&data, &["transcribe", "--take", &take]));
    let next = asked(&["pushback", "--take", &take, "--json"]);
    assert_eq!(next["rule"], "no_consequences", "{next}");

    // A file that is not a transcript is refused in words.
    let bad = cli(
        &data,
        &[
            "pushback",
            "--question",
            "cv-which-world",
            "--transcript",
            wav.to_str().unwrap(),
        ],
    );
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("is not a transcript as"),
        "{bad:?}"
    );
}
