//! candor-cli recording real speech through cpal from a fake ALSA microphone (the `file` plugin),
//! and refusing cleanly when there is no microphone at all.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point
#![cfg(target_os = "linux")] // Linux only: the ALSA file-plugin fake microphone

mod common;

use std::path::Path;
use std::process::Command;

use common::{run_ok, samples, FakeMic, CLI};

/// Highest normalized cross-correlation of `a` against `b` within ±`max_lag` samples.
fn best_correlation(a: &[f32], b: &[f32], max_lag: usize) -> f32 {
    let n = a.len().min(b.len());
    let mut best = 0f32;
    for lag in 0..=2 * max_lag {
        let (sa, sb) = if lag < max_lag {
            (&a[max_lag - lag..n], &b[..n + lag - max_lag])
        } else {
            (&a[..n + max_lag - lag], &b[lag - max_lag..n])
        };
        let m = sa.len().min(sb.len());
        let (mut ab, mut aa, mut bb) = (0f64, 0f64, 0f64);
        for i in 0..m {
            ab += f64::from(sa[i]) * f64::from(sb[i]);
            aa += f64::from(sa[i]).powi(2);
            bb += f64::from(sb[i]).powi(2);
        }
        if aa > 0.0 && bb > 0.0 {
            best = best.max((ab / (aa.sqrt() * bb.sqrt())) as f32);
        }
    }
    best
}

#[test]
fn records_exactly_the_requested_frames_of_the_source_speech() {
    let mic = FakeMic::new();
    let out = mic.dir.path().join("t.wav");
    let res = run_ok(
        mic.cli()
            .args(["record", "--seconds", "3", "--out"])
            .arg(&out),
    );
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(stderr.contains("0 overruns"), "{stderr}");

    let reader = hound::WavReader::open(&out).unwrap();
    assert_eq!(reader.spec().sample_rate, 16_000);
    assert_eq!(reader.spec().channels, 1);
    assert_eq!(reader.spec().bits_per_sample, 16);
    // 3 s at 48 kHz in, counted in frames -> exactly 48,000 frames at 16 kHz out.
    assert_eq!(reader.duration(), 48_000);

    let got = samples(&out);
    let reference = samples(&mic.dir.path().join("reference_16k.wav"));
    let corr = best_correlation(&got, &reference[..got.len().min(reference.len())], 64);
    assert!(
        corr > 0.9,
        "recording does not match the source speech (correlation {corr})"
    );
}

#[test]
fn analyze_reports_duration_rate_and_loudness_as_json() {
    let mic = FakeMic::new();
    let out = mic.dir.path().join("t.wav");
    run_ok(
        mic.cli()
            .args(["record", "--seconds", "2", "--out"])
            .arg(&out),
    );
    let res = run_ok(Command::new(CLI).args(["analyze", "--json"]).arg(&out));
    let v: serde_json::Value = serde_json::from_slice(&res.stdout).unwrap();
    assert_eq!(v["duration_s"].as_f64(), Some(2.0));
    assert_eq!(v["sample_rate"].as_u64(), Some(16_000));
    assert!(v["rms"].as_f64().unwrap() > 0.01, "{v}");
}

#[test]
fn records_a_take_into_the_data_folder_with_its_row() {
    let mic = FakeMic::new();
    let res = run_ok(mic.cli().args([
        "record",
        "--seconds",
        "1",
        "--question",
        "rsp-hardest-trigger",
    ]));
    let id = String::from_utf8_lossy(&res.stdout).trim().to_string();
    let data = mic.dir.path().join("data");
    assert_eq!(
        samples(&data.join("recordings").join(format!("{id}.wav"))).len(),
        16_000
    );
    let db = rusqlite::Connection::open(data.join("candor.db")).unwrap();
    let (status, frames): (String, i64) = db
        .query_row(
            "SELECT status, frames FROM takes WHERE id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((status.as_str(), frames), ("complete", 16_000));
}

#[test]
fn devices_lists_the_fake_microphone_as_default() {
    let mic = FakeMic::new();
    let res = run_ok(mic.cli().args(["devices", "--json"]));
    let v: serde_json::Value = serde_json::from_slice(&res.stdout).unwrap();
    let default = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["is_default"] == true)
        .unwrap();
    assert_eq!(default["id"], "alsa:default");
    assert_eq!(default["default_config"]["sample_rate"], 48_000);
}

/// No sound server and an ALSA default that cannot capture: a one-line message, non-zero exit.
#[test]
fn no_microphone_exits_nonzero_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let out = dir.path().join("never.wav");
    let res = Command::new(CLI)
        .args(["record", "--seconds", "1", "--out"])
        .arg(&out)
        .env("HOME", &home)
        .env("XDG_RUNTIME_DIR", dir.path())
        .env(
            "PULSE_SERVER",
            format!("unix:{}/no-such-socket", dir.path().display()),
        )
        .output()
        .unwrap();
    assert!(!res.status.success());
    let stderr = String::from_utf8_lossy(&res.stderr);
    let ours: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("candor-cli:"))
        .collect();
    assert_eq!(ours.len(), 1, "{stderr}");
    assert!(ours[0].contains("No microphone is available"), "{stderr}");
    assert!(!out.exists(), "a file was left behind");
}

#[test]
fn analyze_refuses_a_non_wav_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.wav");
    std::fs::write(&p, "not audio").unwrap();
    let res = Command::new(CLI)
        .args(["analyze", "--json"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(!res.status.success());
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("not a PCM WAV"), "{stderr}");
}

#[test]
fn bank_validate_accepts_the_shipped_bank_and_lists_errors_with_positions() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/questions.toml");
    run_ok(Command::new(CLI).args(["bank", "validate"]).arg(&shipped));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "version = 1\ncategories = []\nquestions = [ { id = 'x' } ]\n",
    )
    .unwrap();
    let res = Command::new(CLI)
        .args(["bank", "validate"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!res.status.success());
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(stderr.contains("bad.toml:3:"), "{stderr}");
}

#[test]
fn bank_validate_accepts_the_shipped_rubric_and_lists_errors_with_positions() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/rubric.toml");
    run_ok(Command::new(CLI).args(["bank", "validate"]).arg(&shipped));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let src = std::fs::read_to_string(&shipped).unwrap().replacen(
        "color = \"#3B7DD8\"",
        "color = \"blue\"",
        1,
    );
    std::fs::write(&bad, src).unwrap();
    let res = Command::new(CLI)
        .args(["bank", "validate"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!res.status.success());
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(
        stderr.contains("bad.toml:11:9: criterion 'complexity' has colour 'blue'"),
        "{stderr}"
    );
}
