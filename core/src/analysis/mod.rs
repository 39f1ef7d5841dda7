//! Measurements computed from a WAV file itself, streaming (memory independent of length).

use std::path::Path;

use crate::error::{CoreError, Result};

/// Basic facts about a recording: how long, at what rate, how loud.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BasicStats {
    /// Length in seconds.
    pub duration_s: f64,
    /// Frames per second.
    pub sample_rate: u32,
    /// Channels in the file.
    pub channels: u16,
    /// Frames in the file.
    pub frames: u64,
    /// Root mean square of all samples, linear 0..1.
    pub rms: f64,
    /// Highest absolute sample, linear 0..1.
    pub peak: f64,
}

fn bad(path: &Path, reason: impl Into<String>) -> CoreError {
    CoreError::BadAudio {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Reads any PCM WAV (8/16/24/32-bit integer, 32-bit float, any channels and rate) and measures it.
pub fn basic_stats(path: &Path) -> Result<BasicStats> {
    let mut reader = hound::WavReader::open(path).map_err(|e| match e {
        hound::Error::IoError(io) => bad(path, format!("cannot be read: {io}")),
        other => bad(
            path,
            format!("is not a PCM WAV file Candor can read ({other})"),
        ),
    })?;
    let spec = reader.spec();
    let (mut sum_sq, mut peak, mut n) = (0f64, 0f64, 0u64);
    let mut add = |v: f64| {
        sum_sq += v * v;
        peak = peak.max(v.abs());
        n += 1;
    };
    let damaged = |e: hound::Error| bad(path, format!("is damaged: {e}"));
    match (spec.sample_format, spec.bits_per_sample) {
        (hound::SampleFormat::Float, 32) => {
            for s in reader.samples::<f32>() {
                add(f64::from(s.map_err(damaged)?));
            }
        }
        (hound::SampleFormat::Int, bits @ 8..=32) => {
            let scale = 2f64.powi(i32::from(bits) - 1);
            for s in reader.samples::<i32>() {
                add(f64::from(s.map_err(damaged)?) / scale);
            }
        }
        (format, bits) => {
            return Err(bad(
                path,
                format!("uses {bits}-bit {format:?} samples, which Candor does not read"),
            ))
        }
    }
    let channels = spec.channels.max(1);
    let frames = n / u64::from(channels);
    Ok(BasicStats {
        duration_s: frames as f64 / f64::from(spec.sample_rate.max(1)),
        sample_rate: spec.sample_rate,
        channels,
        frames,
        rms: if n == 0 {
            0.0
        } else {
            (sum_sq / n as f64).sqrt()
        },
        peak,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_a_sine() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sine.wav");
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 8000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&p, spec).unwrap();
        for i in 0..8000 {
            let v = (i as f64 / 8000.0 * 440.0 * std::f64::consts::TAU).sin() * 0.5;
            w.write_sample((v * 32767.0) as i16).unwrap();
        }
        w.finalize().unwrap();
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
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 48000,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let mut w = hound::WavWriter::create(&p, spec).unwrap();
        for _ in 0..4800 {
            w.write_sample(0.25f32).unwrap();
            w.write_sample(-0.25f32).unwrap();
        }
        w.finalize().unwrap();
        let s = basic_stats(&p).unwrap();
        assert_eq!(s.frames, 4800);
        assert!((s.rms - 0.25).abs() < 1e-6);
    }

    #[test]
    fn refuses_a_non_wav_with_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("notes.wav");
        std::fs::write(&p, b"these are my notes, not audio").unwrap();
        let e = basic_stats(&p).unwrap_err();
        assert_eq!(e.code(), "BadAudio");
        assert!(e.to_string().contains("not a PCM WAV"), "{e}");
    }
}
