//! Speech metrics measured by `candor-cli analyze` against takes whose silences are known exactly:
//! espeak-ng phrases, trimmed of their own silence, joined by sox with silences of set lengths.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point
#![cfg(target_os = "linux")] // Linux only: espeak-ng and sox make the speech

use std::path::{Path, PathBuf};
use std::process::Command;

const CLI: &str = env!("CARGO_BIN_EXE_candor-cli");

/// Edges must land within this of where sox put them, in seconds.
const TOLERANCE_S: f64 = 0.030;

/// Phrases spoken in turn; some have commas, all have short gaps between words.
const PHRASES: [&str; 4] = [
    "The answer depends on what you are willing to give up.",
    "I was not sure, and I said so at the time.",
    "Then we looked at what it would break elsewhere.",
    "Honestly, I would do it differently now.",
];
/// Silence before the first phrase, in seconds.
const LEAD_S: f64 = 0.8;
/// Silences after each phrase, in seconds: three pauses, then the silence trailing the take.
const GAPS_S: [f64; 4] = [0.4, 1.0, 2.5, 0.5];
/// The rate espeak-ng speaks at; takes are built here, then converted.
const VOICE_RATE: u32 = 22_050;

fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn seconds(p: &Path) -> f64 {
    let out = run(Command::new("soxi").arg("-D").arg(p));
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// A take and where its speech truly is.
struct Take {
    dir: tempfile::TempDir,
    /// The clean take at the voice's rate, mono 16-bit.
    path: PathBuf,
    /// Each phrase as (start, end) in seconds.
    phrases: Vec<(f64, f64)>,
    duration_s: f64,
}

impl Take {
    /// Speaks, trims and joins the phrases: lead silence, phrase, gap, phrase, gap, phrase, gap.
    fn build() -> Take {
        let dir = tempfile::tempdir().unwrap();
        let silence = |name: &str, s: f64| {
            let p = dir.path().join(name);
            run(Command::new("sox")
                .args(["-n", "-r", &VOICE_RATE.to_string(), "-c", "1", "-b", "16"])
                .arg(&p)
                .args(["trim", "0", &s.to_string()]));
            p
        };
        let mut parts = vec![silence("lead.wav", LEAD_S)];
        let mut phrases = Vec::new();
        let mut at = LEAD_S;
        for (i, (text, gap)) in PHRASES.iter().zip(GAPS_S).enumerate() {
            let raw = dir.path().join(format!("raw{i}.wav"));
            run(Command::new("espeak-ng").arg("-w").arg(&raw).arg(text));
            let trimmed = dir.path().join(format!("phrase{i}.wav"));
            run(Command::new("sox").arg(&raw).arg(&trimmed).args([
                "silence", "1", "0.01", "0.1%", "reverse", "silence", "1", "0.01", "0.1%",
                "reverse",
            ]));
            let len = seconds(&trimmed);
            phrases.push((at, at + len));
            at += len + gap;
            parts.push(trimmed);
            parts.push(silence(&format!("gap{i}.wav"), gap));
        }
        let path = dir.path().join("take.wav");
        run(Command::new("sox").args(&parts).arg(&path));
        let duration_s = seconds(&path);
        assert!((duration_s - at).abs() < 0.001, "{duration_s} vs {at}");
        Take {
            dir,
            path,
            phrases,
            duration_s,
        }
    }

    /// The take converted with sox: `rate`, `channels`, and float or 16-bit samples,
    /// optionally over a low white-noise bed.
    fn variant(&self, rate: u32, channels: u32, float: bool, noise: bool) -> PathBuf {
        let mut source = self.path.clone();
        if noise {
            let bed = self.dir.path().join("bed.wav");
            run(Command::new("sox")
                .args(["-n", "-r", &VOICE_RATE.to_string(), "-c", "1", "-b", "16"])
                .arg(&bed)
                .args([
                    "synth",
                    &self.duration_s.to_string(),
                    "whitenoise",
                    "vol",
                    "0.003",
                ]));
            source = self.dir.path().join("noisy.wav");
            run(Command::new("sox")
                .args(["-m", "-v", "1"])
                .arg(&self.path)
                .args(["-v", "1"])
                .arg(&bed)
                .arg(&source));
        }
        let out = self
            .dir
            .path()
            .join(format!("take-{rate}-{channels}-{float}-{noise}.wav"));
        let encoding: &[&str] = if float {
            &["-e", "floating-point", "-b", "32"]
        } else {
            &["-e", "signed-integer", "-b", "16"]
        };
        run(Command::new("sox")
            .arg(&source)
            .args(encoding)
            .args(["-r", &rate.to_string(), "-c", &channels.to_string()])
            .arg(&out));
        out
    }

    /// The pauses sox put between the phrases, as (start, end).
    fn pauses(&self) -> Vec<(f64, f64)> {
        self.phrases.windows(2).map(|w| (w[0].1, w[1].0)).collect()
    }
}

fn analyze_json(file: &Path, extra: &[&str]) -> serde_json::Value {
    let out = run(Command::new(CLI)
        .args(["analyze", "--json"])
        .args(extra)
        .arg(file));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn span(v: &serde_json::Value) -> (f64, f64) {
    (v["start_s"].as_f64().unwrap(), v["end_s"].as_f64().unwrap())
}

/// Every pause found where sox put one (both edges within tolerance), none inside speech.
fn assert_measured_truly(take: &Take, file: &Path) {
    let m = analyze_json(file, &[]);
    let ctx = format!("{}: {m}", file.display());
    let near = |a: f64, b: f64| (a - b).abs() <= TOLERANCE_S;

    assert!(
        (m["duration_s"].as_f64().unwrap() - take.duration_s).abs() < 0.001,
        "{ctx}"
    );
    let first = m["time_to_first_word_s"].as_f64().unwrap();
    assert!(near(first, LEAD_S), "time to first word {first}: {ctx}");

    let found: Vec<(f64, f64)> = m["pauses"].as_array().unwrap().iter().map(span).collect();
    let truth = take.pauses();
    assert_eq!(
        found.len(),
        truth.len(),
        "pauses {found:?} vs {truth:?}: {ctx}"
    );
    for (f, t) in found.iter().zip(&truth) {
        assert!(
            near(f.0, t.0) && near(f.1, t.1),
            "pause {f:?} vs {t:?}: {ctx}"
        );
    }
    assert_eq!(m["pause_count"].as_u64(), Some(3));

    let long: Vec<(f64, f64)> = m["long_pauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(span)
        .collect();
    assert_eq!(long.len(), 1, "{ctx}");
    assert!(
        near(long[0].0, truth[2].0) && near(long[0].1, truth[2].1),
        "{ctx}"
    );

    let speaking: f64 = take.phrases.iter().map(|p| p.1 - p.0).sum();
    let got = m["speaking_s"].as_f64().unwrap();
    assert!(
        (got - speaking).abs() <= 2.0 * TOLERANCE_S,
        "speaking {got} vs {speaking}: {ctx}"
    );
    let (start, end) = (take.phrases[0].0, take.phrases[3].1);
    let ratio = m["phonation_ratio"].as_f64().unwrap();
    assert!((ratio - speaking / (end - start)).abs() < 0.01, "{ctx}");
    let per_min = m["pauses_per_min"].as_f64().unwrap();
    assert!((per_min - 3.0 * 60.0 / (end - start)).abs() < 0.2, "{ctx}");
}

#[test]
fn clean_16k_mono_pauses_match_where_sox_put_the_silences() {
    let take = Take::build();
    assert_measured_truly(&take, &take.variant(16_000, 1, false, false));
}

#[test]
fn clean_48k_mono_and_the_voice_rate_match_too() {
    let take = Take::build();
    assert_measured_truly(&take, &take.path);
    assert_measured_truly(&take, &take.variant(48_000, 1, false, false));
}

#[test]
fn stereo_float_at_16k_and_48k_match_too() {
    let take = Take::build();
    assert_measured_truly(&take, &take.variant(16_000, 2, true, false));
    assert_measured_truly(&take, &take.variant(48_000, 2, true, false));
}

#[test]
fn a_low_noise_bed_under_the_silences_changes_nothing() {
    let take = Take::build();
    assert_measured_truly(&take, &take.variant(16_000, 1, false, true));
    assert_measured_truly(&take, &take.variant(48_000, 2, true, true));
}

#[test]
fn json_has_every_metric_and_peaks_on_request() {
    let take = Take::build();
    let file = take.variant(16_000, 1, false, false);
    let m = analyze_json(&file, &[]);
    for key in [
        "duration_s",
        "sample_rate",
        "channels",
        "rms",
        "speaking_s",
        "phonation_ratio",
        "time_to_first_word_s",
        "pauses",
        "long_pauses",
        "pause_count",
        "mean_pause_s",
        "longest_pause_s",
        "pauses_per_min",
        "long_pauses_per_min",
        "peaks_per_s",
        "noise_floor_db",
        "threshold_db",
        "params",
    ] {
        assert!(m.get(key).is_some(), "{key} missing: {m}");
    }
    assert!(m.get("peaks").is_none(), "peaks only with --peaks");
    assert_eq!(m["sample_rate"], 16_000);
    assert_eq!(m["peaks_per_s"], 100.0);
    assert_eq!(m["params"]["min_pause_s"], 0.25);

    let with = analyze_json(&file, &["--peaks"]);
    let peaks = with["peaks"].as_array().unwrap();
    assert_eq!(peaks.len(), (take.duration_s * 100.0).ceil() as usize);
    // The lead silence is flat but for sox's dither; the first phrase swings.
    let quiet = peaks[20].as_array().unwrap();
    assert!(
        quiet.iter().all(|v| v.as_i64().unwrap().abs() < 8),
        "{quiet:?}"
    );
    let loudest = peaks.iter().map(|p| p[1].as_i64().unwrap()).max().unwrap();
    assert!(loudest > 5_000, "{loudest}");
}

#[test]
fn the_summary_reads_as_sentences() {
    let take = Take::build();
    let out = run(Command::new(CLI).arg("analyze").arg(&take.path));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("first word after 0.8"), "{text}");
    assert!(text.contains("Pauses of 0.25 s or more: 3"), "{text}");
    assert!(text.contains("Long pauses of 2 s or more: 1"), "{text}");
}

fn refused(file: &Path) -> String {
    let out = Command::new(CLI)
        .args(["analyze", "--json"])
        .arg(file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr
}

#[test]
fn other_encodings_are_refused_in_one_line() {
    let take = Take::build();
    let alaw = take.dir.path().join("alaw.wav");
    run(Command::new("sox")
        .arg(&take.path)
        .args(["-e", "a-law"])
        .arg(&alaw));
    let msg = refused(&alaw);
    assert!(msg.contains("A-law") && msg.contains("PCM WAV"), "{msg}");

    let double = take.dir.path().join("f64.wav");
    run(Command::new("sox")
        .arg(&take.path)
        .args(["-e", "floating-point", "-b", "64"])
        .arg(&double));
    assert!(refused(&double).contains("64-bit float"));

    let flac = take.dir.path().join("take.flac");
    run(Command::new("sox").arg(&take.path).arg(&flac));
    assert!(refused(&flac).contains("not a PCM WAV"));
}
