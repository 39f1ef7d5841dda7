//! A recording as the speech model hears it: mono, 16 kHz, samples from -1 to 1.

use std::path::Path;

use audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

use crate::error::{CoreError, Result};

/// The rate whisper.cpp listens at.
pub const MODEL_RATE: u32 = 16_000;

fn bad(path: &Path, reason: impl Into<String>) -> CoreError {
    CoreError::BadAudio {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Reads a WAV file (16-, 24- or 32-bit integer or 32-bit float, any rate, any channels) as mono
/// 16 kHz samples.
pub fn read_16k(path: &Path) -> Result<Vec<f32>> {
    read_16k_from(path, 0)
}

/// `read_16k` from frame `start` of the file on (the rest of a take after the pieces already
/// transcribed while it was recorded).
pub fn read_16k_from(path: &Path, start: u64) -> Result<Vec<f32>> {
    // Only a regular file: a FIFO or a device would block or never end.
    let file = crate::input_file::open_regular_file(path).map_err(|e| bad(path, e.reason()))?;
    let mut reader = hound::WavReader::new(std::io::BufReader::new(file))
        .map_err(|e| bad(path, format!("not a WAV file Candor can read ({e})")))?;
    if start > 0 {
        let frame = u32::try_from(start.min(u64::from(reader.duration())))
            .map_err(|_| bad(path, "it is longer than a WAV file can be"))?;
        reader
            .seek(frame)
            .map_err(|e| bad(path, format!("cut short or damaged ({e})")))?;
    }
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .into_samples::<f32>()
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| bad(path, format!("cut short or damaged ({e})")))?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(8, 32) - 1)) as f32;
            reader
                .into_samples::<i32>()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| bad(path, format!("cut short or damaged ({e})")))?
        }
    };
    let mono: Vec<f32> = samples
        .chunks(channels)
        .map(|frame| frame.iter().sum::<f32>() / frame.len() as f32)
        .collect();
    to_16k(mono, spec.sample_rate).map_err(|e| bad(path, e))
}

/// Mono samples at `rate` resampled to 16 kHz (returned as they are when already at 16 kHz).
pub fn to_16k(mono: Vec<f32>, rate: u32) -> std::result::Result<Vec<f32>, String> {
    if rate == MODEL_RATE || mono.is_empty() {
        return Ok(mono);
    }
    if rate == 0 {
        return Err("its sample rate is 0".into());
    }
    let mut r = Fft::<f32>::new(rate as usize, MODEL_RATE as usize, 1024, 1, FixedSync::Both)
        .map_err(|e| format!("cannot resample it ({e})"))?;
    let input = InterleavedSlice::new(&mono, 1, mono.len())
        .map_err(|e| format!("cannot resample it ({e})"))?;
    let out = r
        .process_all(&input, mono.len(), None)
        .map_err(|e| format!("cannot resample it ({e})"))?;
    Ok(out.take_data())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_48k_stereo_file_is_heard_as_16k_mono() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wav");
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 48_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        for i in 0..48_000 {
            let v = ((i as f32 / 48_000.0 * 440.0 * std::f32::consts::TAU).sin() * 16_000.0) as i16;
            w.write_sample(v).unwrap();
            w.write_sample(v).unwrap();
        }
        w.finalize().unwrap();
        let s = read_16k(&path).unwrap();
        assert!((15_900..=16_100).contains(&s.len()), "{}", s.len());
        let peak = s.iter().fold(0f32, |m, v| m.max(v.abs()));
        assert!((0.45..0.52).contains(&peak), "{peak}");
    }

    #[test]
    fn a_file_that_is_not_audio_is_refused_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wav");
        std::fs::write(&path, b"hello").unwrap();
        let e = read_16k(&path).unwrap_err();
        assert_eq!(e.code(), "BadAudio");
        assert!(
            e.to_string().contains("not a WAV file Candor can read"),
            "{e}"
        );
    }
}
