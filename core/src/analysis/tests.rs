//! Unit tests of the analysis on synthetic signals with exactly known speech and silences.

use std::path::{Path, PathBuf};

use super::*;

const TAU: f64 = std::f64::consts::TAU;

/// A "voice": a 220 Hz tone with a 3 Hz tremolo that never reaches zero.
fn voice(t: f64) -> f64 {
    0.4 * (0.6 + 0.4 * (t * 3.0 * TAU).sin()) * (t * 220.0 * TAU).sin()
}

/// Samples of alternating silence and voice: `(seconds, speaking)` parts at `rate`.
fn script(rate: u32, parts: &[(f64, bool)]) -> Vec<f64> {
    let mut out = Vec::new();
    for &(secs, speaking) in parts {
        let n = (secs * f64::from(rate)).round() as usize;
        for i in 0..n {
            out.push(if speaking {
                voice(i as f64 / f64::from(rate))
            } else {
                0.0
            });
        }
    }
    out
}

fn write_wav(path: &Path, spec: hound::WavSpec, samples: &[f64]) {
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for &v in samples {
        for _ in 0..spec.channels {
            match (spec.sample_format, spec.bits_per_sample) {
                (hound::SampleFormat::Float, _) => w.write_sample(v as f32).unwrap(),
                (_, 8) => w.write_sample((v * 127.0) as i8).unwrap(),
                (_, 16) => w.write_sample((v * 32767.0) as i16).unwrap(),
                (_, 24) => w.write_sample((v * 8_388_607.0) as i32).unwrap(),
                _ => w.write_sample((v * 2_147_483_647.0) as i32).unwrap(),
            }
        }
    }
    w.finalize().unwrap();
}

/// A WAV file with any `fmt ` chunk, written byte by byte (for formats hound does not write).
fn raw_wav(path: &Path, fmt: &[u8], data: &[u8]) {
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&((4 + 8 + fmt.len() + 8 + data.len()) as u32).to_le_bytes());
    b.extend_from_slice(b"WAVE");
    b.extend_from_slice(b"fmt ");
    b.extend_from_slice(&(fmt.len() as u32).to_le_bytes());
    b.extend_from_slice(fmt);
    b.extend_from_slice(b"data");
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(data);
    std::fs::write(path, b).unwrap();
}

/// A WAVEFORMATEX (`tag`) or WAVE_FORMAT_EXTENSIBLE (`ext` = sub-format tag) fmt chunk body.
fn fmt_body(
    tag: u16,
    ext: Option<u16>,
    channels: u16,
    rate: u32,
    bits: u16,
    valid: u16,
) -> Vec<u8> {
    let block = channels * (bits / 8);
    let mut f = Vec::new();
    f.extend_from_slice(&tag.to_le_bytes());
    f.extend_from_slice(&channels.to_le_bytes());
    f.extend_from_slice(&rate.to_le_bytes());
    f.extend_from_slice(&(rate * u32::from(block)).to_le_bytes());
    f.extend_from_slice(&block.to_le_bytes());
    f.extend_from_slice(&bits.to_le_bytes());
    if let Some(sub) = ext {
        f.extend_from_slice(&22u16.to_le_bytes());
        f.extend_from_slice(&valid.to_le_bytes());
        f.extend_from_slice(&0u32.to_le_bytes());
        f.extend_from_slice(&sub.to_le_bytes());
        f.extend_from_slice(&[
            0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
        ]);
    } else {
        f.extend_from_slice(&0u16.to_le_bytes());
    }
    f
}

fn spec(channels: u16, rate: u32, bits: u16, float: bool) -> hound::WavSpec {
    hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: if float {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    }
}

fn analyze(p: &Path) -> SpeechMetrics {
    analyze_file(p, &AnalysisParams::default(), &mut |_| {}).unwrap()
}

fn tmp(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

/// 0.8 s silence, 1.5 s voice, 0.4 s, 1.2 s voice, 2.5 s, 1.0 s voice, 0.5 s silence.
const PARTS: &[(f64, bool)] = &[
    (0.8, false),
    (1.5, true),
    (0.4, false),
    (1.2, true),
    (2.5, false),
    (1.0, true),
    (0.5, false),
];

fn assert_script_measured(m: &SpeechMetrics) {
    let near = |a: f64, b: f64| (a - b).abs() <= 0.011;
    assert!(near(m.duration_s, 7.9), "{}", m.duration_s);
    assert!(near(m.time_to_first_word_s.unwrap(), 0.8), "{m:?}");
    let want = [(2.3, 2.7), (3.9, 6.4)];
    assert_eq!(m.pauses.len(), 2, "{:?}", m.pauses);
    for (p, w) in m.pauses.iter().zip(want) {
        assert!(near(p.start_s, w.0) && near(p.end_s, w.1), "{p:?} vs {w:?}");
    }
    assert_eq!(m.long_pauses.len(), 1);
    assert!(near(m.long_pauses[0].start_s, 3.9));
    assert_eq!(m.pause_count, 2);
    // Each of the three stretches may gain up to a frame at each edge.
    assert!((m.speaking_s - 3.7).abs() <= 0.061, "{}", m.speaking_s);
    assert!(near(m.speech_span_s, 6.6), "{}", m.speech_span_s);
    assert!((m.phonation_ratio - 3.7 / 6.6).abs() < 0.011);
    assert!(near(m.mean_pause_s, 1.45) && near(m.longest_pause_s, 2.5));
    assert!((m.pauses_per_min - 2.0 * 60.0 / 6.6).abs() < 0.05);
    assert!((m.long_pauses_per_min - 60.0 / 6.6).abs() < 0.05);
    // 100 a second, or nearly when the rate is not a multiple of 100 (22,050 Hz: 220 samples).
    assert!((m.peaks_per_s - 100.0).abs() < 0.3, "{}", m.peaks_per_s);
    assert_eq!(
        m.peaks.len(),
        (m.duration_s * m.peaks_per_s - 1e-6).ceil() as usize
    );
}

#[test]
fn finds_the_pauses_and_first_word_of_a_scripted_take() {
    let dir = tempfile::tempdir().unwrap();
    let p = tmp(&dir, "t.wav");
    write_wav(&p, spec(1, 16_000, 16, false), &script(16_000, PARTS));
    let m = analyze(&p);
    assert_script_measured(&m);
    // Peaks: silence is flat, the voice swings by its envelope (0.146 of full scale at 1.0 s).
    assert_eq!(m.peaks[10], [0, 0]);
    let [lo, hi] = m.peaks[100];
    assert!(
        (-4800..-4400).contains(&lo) && (4400..4800).contains(&hi),
        "{lo} {hi}"
    );
}

#[test]
fn reads_every_pcm_layout_the_same() {
    let dir = tempfile::tempdir().unwrap();
    for (ch, rate, bits, float) in [
        (1, 8_000, 8, false),
        (1, 16_000, 16, false),
        (2, 44_100, 16, false),
        (1, 22_050, 24, false),
        (2, 48_000, 24, false),
        (1, 48_000, 32, false),
        (2, 48_000, 32, true),
        (1, 96_000, 32, true),
    ] {
        let p = tmp(&dir, &format!("{ch}-{rate}-{bits}-{float}.wav"));
        write_wav(&p, spec(ch, rate, bits, float), &script(rate, PARTS));
        let m = analyze(&p);
        assert_eq!((m.channels, m.sample_rate, m.float), (ch, rate, float));
        assert_script_measured(&m);
        // Full-scale 0.4 peaks land at about 0.4 whatever the depth.
        assert!((m.peak - 0.4).abs() < 0.01, "{bits}-bit: {}", m.peak);
    }
}

#[test]
fn reads_extensible_24_bit_in_4_byte_containers() {
    let dir = tempfile::tempdir().unwrap();
    let p = tmp(&dir, "ext.wav");
    let mut data = Vec::new();
    for v in script(16_000, PARTS) {
        // Valid bits are left-justified in the container.
        data.extend_from_slice(&(((v * 8_388_607.0) as i32) << 8).to_le_bytes());
    }
    raw_wav(&p, &fmt_body(0xFFFE, Some(1), 1, 16_000, 32, 24), &data);
    let m = analyze(&p);
    assert_eq!(m.bits_per_sample, 24);
    assert_script_measured(&m);
    assert!((m.peak - 0.4).abs() < 0.01, "{}", m.peak);
}

#[test]
fn stereo_channels_pool_their_power_instead_of_cancelling() {
    let dir = tempfile::tempdir().unwrap();
    let p = tmp(&dir, "anti.wav");
    let mut w = hound::WavWriter::create(&p, spec(2, 16_000, 16, false)).unwrap();
    for v in script(16_000, PARTS) {
        w.write_sample((v * 32767.0) as i16).unwrap();
        w.write_sample((-v * 32767.0) as i16).unwrap();
    }
    w.finalize().unwrap();
    assert_script_measured(&analyze(&p));
}

#[test]
fn quiet_takes_over_noise_are_measured_against_their_own_floor() {
    let dir = tempfile::tempdir().unwrap();
    let p = tmp(&dir, "noisy.wav");
    // A quiet voice (1/50 of the others) over a hiss whose level is 8 to 22 dB below it.
    let mut seed = 7u64;
    let mut noise = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        ((seed >> 33) as f64 / f64::from(1u32 << 31) - 0.5) * 0.0016
    };
    let s: Vec<f64> = script(16_000, PARTS)
        .into_iter()
        .map(|v| v / 50.0 + noise())
        .collect();
    write_wav(&p, spec(1, 16_000, 16, false), &s);
    let m = analyze(&p);
    assert_script_measured(&m);
    assert!(
        m.noise_floor_db > -75.0 && m.noise_floor_db < -60.0,
        "{}",
        m.noise_floor_db
    );
}

#[test]
fn silence_and_empty_files_have_no_speech() {
    let dir = tempfile::tempdir().unwrap();
    let p = tmp(&dir, "silence.wav");
    write_wav(&p, spec(1, 16_000, 16, false), &[0.0; 32_000]);
    let m = analyze(&p);
    assert_eq!(m.time_to_first_word_s, None);
    assert!(m.pauses.is_empty() && m.speaking_s == 0.0 && m.phonation_ratio == 0.0);
    assert!((m.duration_s - 2.0).abs() < 1e-9);

    let p = tmp(&dir, "empty.wav");
    write_wav(&p, spec(1, 16_000, 16, false), &[]);
    let m = analyze(&p);
    assert_eq!((m.duration_s, m.peaks.len()), (0.0, 0));
    assert!(
        (m.noise_floor_db + 120.0).abs() < 0.1,
        "{}",
        m.noise_floor_db
    );
}

#[test]
fn progress_rises_to_one() {
    let dir = tempfile::tempdir().unwrap();
    let p = tmp(&dir, "long.wav");
    write_wav(
        &p,
        spec(1, 48_000, 16, false),
        &script(48_000, &[(20.0, true)]),
    );
    let mut seen = Vec::new();
    analyze_file(&p, &AnalysisParams::default(), &mut |f| seen.push(f)).unwrap();
    assert!(seen.len() > 5 && seen.len() <= 101, "{}", seen.len());
    assert!(seen.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(seen.last(), Some(&1.0));
}

#[test]
fn a_file_cut_short_keeps_what_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let p = tmp(&dir, "cut.wav");
    write_wav(&p, spec(1, 16_000, 16, false), &script(16_000, PARTS));
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() - 16_001]).unwrap();
    let m = analyze(&p);
    assert!(
        (m.duration_s - (7.9 - 0.5)).abs() < 0.001,
        "{}",
        m.duration_s
    );
}

#[test]
fn params_serialize_and_fill_in_defaults() {
    let json = serde_json::to_value(AnalysisParams::default()).unwrap();
    assert_eq!(json["min_pause_s"], 0.25);
    assert_eq!(json["long_pause_s"], 2.0);
    let p: AnalysisParams = serde_json::from_str(r#"{"min_pause_s": 0.5}"#).unwrap();
    assert_eq!(p.min_pause_s, 0.5);
    assert_eq!(p.long_pause_s, 2.0);
}

fn refusal(p: &Path) -> String {
    let e = analyze_file(p, &AnalysisParams::default(), &mut |_| {}).unwrap_err();
    assert_eq!(e.code(), "BadAudio");
    e.to_string()
}

#[test]
fn refuses_what_it_cannot_read_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let p = tmp(&dir, "notes.wav");
    std::fs::write(&p, b"these are my notes, not audio").unwrap();
    assert!(refusal(&p).contains("not a PCM WAV"));

    let p = tmp(&dir, "alaw.wav");
    raw_wav(&p, &fmt_body(6, None, 1, 8_000, 8, 0), &[0xD5; 800]);
    let msg = refusal(&p);
    assert!(msg.contains("A-law") && msg.contains("PCM WAV"), "{msg}");

    let p = tmp(&dir, "f64.wav");
    raw_wav(&p, &fmt_body(3, None, 1, 8_000, 64, 0), &[0; 800]);
    assert!(refusal(&p).contains("64-bit float"));

    let p = tmp(&dir, "ext-alaw.wav");
    raw_wav(&p, &fmt_body(0xFFFE, Some(6), 1, 8_000, 8, 8), &[0xD5; 800]);
    assert!(refusal(&p).contains("A-law"));

    let p = tmp(&dir, "missing.wav");
    assert!(refusal(&p).contains("cannot be read"));
}

#[test]
fn measures_a_sine() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sine.wav");
    let sine: Vec<f64> = (0..8000)
        .map(|i| (i as f64 / 8000.0 * 440.0 * TAU).sin() * 0.5)
        .collect();
    write_wav(&p, spec(1, 8000, 16, false), &sine);
    let s = basic_stats(&p).unwrap();
    assert_eq!(s.frames, 8000);
    assert!((s.duration_s - 1.0).abs() < 1e-9);
    assert!((s.rms - 0.5 / 2f64.sqrt()).abs() < 0.01, "{}", s.rms);
    assert!((s.peak - 0.5).abs() < 0.01);
}

#[test]
fn float_stereo_counts_frames() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.wav");
    let mut w = hound::WavWriter::create(&p, spec(2, 48_000, 32, true)).unwrap();
    for _ in 0..4800 {
        w.write_sample(0.25f32).unwrap();
        w.write_sample(-0.25f32).unwrap();
    }
    w.finalize().unwrap();
    let s = basic_stats(&p).unwrap();
    assert_eq!(s.frames, 4800);
    assert!((s.rms - 0.25).abs() < 1e-6);
}
