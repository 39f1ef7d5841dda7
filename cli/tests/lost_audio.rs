//! Lost audio is never silent. The ALSA `file`-plugin microphone has no clock: read unpaced it
//! delivers far faster than real time, so a recording longer than the ring (10 s of device
//! audio) overflows it by construction while the writer resamples and writes. The file or take is
//! kept; what was lost and where is printed, stored with the take, and the exit status is 3.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point
#![cfg(target_os = "linux")] // Linux only: the ALSA file-plugin fake microphone

mod common;

use common::{run_ok, wav_frames, FakeMic};

/// Exit status of `record` when audio was lost (the recording is kept).
const LOST_AUDIO_EXIT: i32 = 3;
/// Seconds asked for: far more than the ring holds.
const LONG_S: f64 = 60.0;
/// Rate of the WAV written (the CLI's default).
const RATE: f64 = 16_000.0;
/// Rate of the fake microphone.
const DEVICE_RATE: f64 = 48_000.0;

/// What the "Lost ..." line says: seconds, places, and the positions it names (seconds).
#[derive(Debug)]
struct LostLine {
    seconds: f64,
    places: usize,
    at: Vec<f64>,
}

fn lost_line(stderr: &str) -> Option<LostLine> {
    let line = stderr.lines().find(|l| l.starts_with("Lost "))?;
    assert!(line.contains("the computer could not keep up"), "{line}");
    let mut words = line.split_whitespace();
    let seconds = words.nth(1).unwrap().parse().unwrap();
    let places = words.nth(4).unwrap().parse().unwrap();
    let inside = line
        .split_once("(at ")
        .unwrap()
        .1
        .split_once(')')
        .unwrap()
        .0;
    let named = inside.split(" and ").next().unwrap();
    let at = named
        .split(", ")
        .map(|clock| {
            let (m, s) = clock.split_once(':').unwrap();
            m.parse::<f64>().unwrap() * 60.0 + s.parse::<f64>().unwrap()
        })
        .collect();
    Some(LostLine {
        seconds,
        places,
        at,
    })
}

/// The overruns (device frames dropped) the "Wrote ..." line reports.
fn overruns(stderr: &str) -> u64 {
    let line = stderr.lines().find(|l| l.starts_with("Wrote ")).unwrap();
    let before = line.split(" overruns").next().unwrap();
    before.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn an_overflowing_recording_to_a_file_says_what_was_lost_and_where_and_fails() {
    let mic = FakeMic::new();
    let out = mic.dir.path().join("long.wav");
    let res = mic
        .cli()
        .args(["record", "--seconds", &LONG_S.to_string(), "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&res.stderr);
    eprintln!("{stderr}");
    assert_eq!(res.status.code(), Some(LOST_AUDIO_EXIT), "{stderr}");
    let lost = lost_line(&stderr).unwrap_or_else(|| panic!("no Lost line: {stderr}"));

    // The file is kept, valid, and holds what was not lost: kept + lost = asked for.
    let kept = f64::from(wav_frames(&out)) / RATE;
    assert!(lost.seconds > 0.0, "{lost:?}");
    assert!(
        (kept + lost.seconds - LONG_S).abs() < 0.01,
        "kept {kept} s + lost {} s != {LONG_S} s",
        lost.seconds
    );
    assert!(
        (overruns(&stderr) as f64 / DEVICE_RATE - lost.seconds).abs() < 0.01,
        "{stderr}"
    );
    // Every place named lies inside the recording, in order.
    assert!(lost.places >= 1 && !lost.at.is_empty(), "{lost:?}");
    assert!(lost.at.windows(2).all(|w| w[0] <= w[1]), "{lost:?}");
    for at in &lost.at {
        assert!((0.0..=kept + 0.05).contains(at), "{at} outside 0..{kept}");
    }
}

#[test]
fn an_overflowing_take_is_kept_complete_with_its_loss_on_the_row() {
    let mic = FakeMic::new();
    let res = mic
        .cli()
        .args([
            "record",
            "--seconds",
            &LONG_S.to_string(),
            "--question",
            "cv-which-world",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&res.stderr);
    eprintln!("{stderr}");
    assert_eq!(res.status.code(), Some(LOST_AUDIO_EXIT), "{stderr}");
    let id = String::from_utf8_lossy(&res.stdout).trim().to_string();
    assert_eq!(id.len(), 32, "stdout: {id}");
    let line = lost_line(&stderr).unwrap_or_else(|| panic!("no Lost line: {stderr}"));

    let data = mic.dir.path().join("data");
    let file_frames = wav_frames(&data.join("recordings").join(format!("{id}.wav")));
    let db = rusqlite::Connection::open(data.join("candor.db")).unwrap();
    let (status, frames, lost_s, places, spans): (String, i64, f64, i64, Option<String>) = db
        .query_row(
            "SELECT status, frames, lost_s, lost_places, lost_spans FROM takes WHERE id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    // The audio kept is valid and runs to the end asked for: Complete, with the loss on the row.
    assert_eq!(status, "complete");
    assert_eq!(frames, i64::from(file_frames));
    let kept = frames as f64 / RATE;
    assert!(lost_s > 0.0);
    assert!(
        (kept + lost_s - LONG_S).abs() < 0.01,
        "kept {kept} + lost {lost_s}"
    );
    assert!(
        (line.seconds - lost_s).abs() < 0.006,
        "{line:?} vs {lost_s}"
    );
    assert_eq!(line.places as i64, places);

    let spans: Vec<serde_json::Value> = serde_json::from_str(&spans.unwrap()).unwrap();
    assert!(!spans.is_empty() && spans.len() as i64 <= places);
    let mut previous = 0.0;
    let mut in_spans = 0.0;
    for s in &spans {
        let (at, until, lost) = (
            s["at_s"].as_f64().unwrap(),
            s["until_s"].as_f64().unwrap(),
            s["lost_s"].as_f64().unwrap(),
        );
        assert!(
            previous <= at && at <= until && until <= kept,
            "{s} in 0..{kept}"
        );
        assert!(lost > 0.0, "{s}");
        previous = until;
        in_spans += lost;
    }
    // Every frame dropped was placed (the callback's report ring never filled).
    assert!((in_spans - lost_s).abs() < 1e-6, "{in_spans} vs {lost_s}");
    eprintln!("observed: kept {kept:.3} s, lost {lost_s:.3} s in {places} place(s): {spans:?}");
}

#[test]
fn a_take_that_kept_up_loses_nothing_and_succeeds() {
    // 3 s fit in the ring even read unpaced: nothing is dropped.
    let mic = FakeMic::new();
    let res = run_ok(
        mic.cli()
            .args(["record", "--seconds", "3", "--question", "cv-which-world"]),
    );
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(lost_line(&stderr).is_none(), "{stderr}");
    let id = String::from_utf8_lossy(&res.stdout).trim().to_string();
    let db = rusqlite::Connection::open(mic.dir.path().join("data").join("candor.db")).unwrap();
    let row: (String, i64, f64, i64, Option<String>) = db
        .query_row(
            "SELECT status, frames, lost_s, lost_places, lost_spans FROM takes WHERE id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(row, ("complete".to_string(), 48_000, 0.0, 0, None));
}
