//! Speech metrics computed from a take's WAV file, streaming (memory independent of length).
//!
//! # How it is measured
//!
//! 1. **Frames.** The file is read once, in large chunks, and cut into 10 ms frames. Each frame
//!    gives its energy (mean square of its samples, pooled over all channels, in dB relative to
//!    full scale) and its lowest and highest sample, which are the waveform peaks (100 a second).
//! 2. **Levels from the take itself.** The *noise floor* is the energy that
//!    [`AnalysisParams::noise_percentile`] percent of the frames lie below (default: the quietest
//!    10 %, i.e. the room between words). The *speech level* is the
//!    [`AnalysisParams::speech_percentile`] percentile (default 95 %, loud syllables).
//! 3. **Threshold.** A frame is speech when its energy is at least
//!    `floor + max(threshold_fraction × (speech − floor), min_margin_db)` (defaults: 30 % of the
//!    way from floor to speech, in dB, and never less than 10 dB above the floor), so a quiet
//!    voice in a quiet room and a loud voice over a fan are both measured against their own
//!    background. Each stretch of speech frames then extends outward over neighbouring frames
//!    still [`AnalysisParams::edge_margin_db`] above the floor (default 6 dB), so soft onsets
//!    and trailing sounds count as speech.
//! 4. **Pauses.** Silences shorter than [`AnalysisParams::min_pause_s`] (250 ms) are part of
//!    speech: gaps between words and before stop consonants. Bursts shorter than
//!    [`AnalysisParams::min_speech_s`] (80 ms) standing alone between pauses are noise (a click, a
//!    knock) and are ignored. Every silence between two stretches of speech is a pause; the
//!    silence before the first word is the *time to first word* and the silence after the last
//!    word is not counted. Pauses of [`AnalysisParams::long_pause_s`] (2 s) or more are *long*.
//! 5. **Figures.** Speaking time is the total length of the stretches of speech (short gaps
//!    included). The *speech span* runs from the first word to the end of the last;
//!    phonation-time ratio is speaking time over the speech span, and the per-minute rates are
//!    counted per minute of the speech span, so a slow start does not dilute them.
//!
//! Times are on the 10 ms frame grid.

mod answer_end;
mod pauses;
mod summary;
pub(crate) mod wav_frames;

use std::path::Path;

use crate::error::Result;
pub use answer_end::AnswerEnd;
pub use pauses::{detect, Detection};
pub use summary::clock;
pub use wav_frames::{read_frames, read_frames_from, FrameTrack, FRAME_MS, SILENCE_POWER};

/// How speech and pauses are told apart; the defaults are what Candor uses.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AnalysisParams {
    /// Percentile of frame energies taken as the noise floor (0–100).
    pub noise_percentile: f64,
    /// Percentile of frame energies taken as the speech level (0–100).
    pub speech_percentile: f64,
    /// Where the speech threshold sits from the noise floor (0) to the speech level (1), in dB.
    pub threshold_fraction: f64,
    /// The speech threshold is at least this far above the noise floor, in dB.
    pub min_margin_db: f64,
    /// Speech extends over neighbouring frames at least this far above the noise floor, in dB.
    pub edge_margin_db: f64,
    /// Shortest silence between words counted as a pause, in seconds.
    pub min_pause_s: f64,
    /// Shortest pause counted as a long pause, in seconds.
    pub long_pause_s: f64,
    /// Shortest burst of sound, alone between pauses, counted as speech, in seconds.
    pub min_speech_s: f64,
}

impl Default for AnalysisParams {
    fn default() -> Self {
        AnalysisParams {
            noise_percentile: 10.0,
            speech_percentile: 95.0,
            threshold_fraction: 0.3,
            min_margin_db: 10.0,
            edge_margin_db: 6.0,
            min_pause_s: 0.25,
            long_pause_s: 2.0,
            min_speech_s: 0.08,
        }
    }
}

/// A silence between two stretches of speech.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Pause {
    /// When the silence starts (end of the speech before), in seconds from the start.
    pub start_s: f64,
    /// When the speech resumes, in seconds from the start.
    pub end_s: f64,
}

impl Pause {
    /// Length of the pause in seconds.
    pub fn len_s(&self) -> f64 {
        self.end_s - self.start_s
    }
}

/// Everything measured in one take; see the module docs for how.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SpeechMetrics {
    /// Total length in seconds.
    pub duration_s: f64,
    /// Frames per second of the file.
    pub sample_rate: u32,
    /// Channels in the file.
    pub channels: u16,
    /// Bits per sample in the file.
    pub bits_per_sample: u16,
    /// True when the samples are IEEE float.
    pub float: bool,
    /// Root mean square of all samples, linear 0..1.
    pub rms: f64,
    /// Highest absolute sample, linear 0..1.
    pub peak: f64,
    /// Total time spent speaking, in seconds (gaps shorter than a pause included).
    pub speaking_s: f64,
    /// From the first word to the end of the last, in seconds (0 without speech).
    pub speech_span_s: f64,
    /// Speaking time over the speech span, 0..1 (0 without speech).
    pub phonation_ratio: f64,
    /// Silence before the first word, in seconds; `None` when there is no speech.
    pub time_to_first_word_s: Option<f64>,
    /// Every pause between words, in order.
    pub pauses: Vec<Pause>,
    /// The pauses of `params.long_pause_s` or more.
    pub long_pauses: Vec<Pause>,
    /// How many pauses.
    pub pause_count: u32,
    /// Mean pause length in seconds (0 without pauses).
    pub mean_pause_s: f64,
    /// Longest pause in seconds (0 without pauses).
    pub longest_pause_s: f64,
    /// Pauses per minute of the speech span.
    pub pauses_per_min: f64,
    /// Long pauses per minute of the speech span.
    pub long_pauses_per_min: f64,
    /// Energy of the background, dBFS.
    pub noise_floor_db: f64,
    /// Energy of loud speech, dBFS.
    pub speech_level_db: f64,
    /// Energy from which a frame counts as speech, dBFS.
    pub threshold_db: f64,
    /// Length of one analysis frame in seconds (10 ms).
    pub frame_s: f64,
    /// Waveform peaks per second (one per frame: 100).
    pub peaks_per_s: f64,
    /// Lowest and highest sample of each frame, on the 16-bit scale (−32768..32767).
    pub peaks: Vec<[i16; 2]>,
    /// The parameters the take was measured with.
    pub params: AnalysisParams,
}

/// Reads a PCM WAV file once and measures its speech, reporting progress from 0 to 1.
pub fn analyze_file(
    path: &Path,
    params: &AnalysisParams,
    progress: &mut dyn FnMut(f32),
) -> Result<SpeechMetrics> {
    let track = read_frames(path, progress)?;
    Ok(measure(track, params))
}

/// Turns a take's frames into its speech metrics.
pub fn measure(track: FrameTrack, params: &AnalysisParams) -> SpeechMetrics {
    let frame_s = track.frame_s();
    let duration_s = track.duration_s();
    let rate = f64::from(track.sample_rate.max(1));
    let at = |frame: usize| ((frame * track.frame_len) as f64 / rate).min(duration_s);
    let d = detect(&track.energy, frame_s, params);

    let speech: Vec<(f64, f64)> = d.segments.iter().map(|&(s, e)| (at(s), at(e))).collect();
    let speaking_s: f64 = speech.iter().map(|(s, e)| e - s).sum();
    let pauses: Vec<Pause> = speech
        .windows(2)
        .map(|w| Pause {
            start_s: w[0].1,
            end_s: w[1].0,
        })
        .collect();
    let long_pauses: Vec<Pause> = pauses
        .iter()
        .filter(|p| p.len_s() >= params.long_pause_s - 1e-6)
        .copied()
        .collect();
    let span = match (speech.first(), speech.last()) {
        (Some(first), Some(last)) => last.1 - first.0,
        _ => 0.0,
    };
    let per_min = |n: usize| {
        if span > 0.0 {
            n as f64 * 60.0 / span
        } else {
            0.0
        }
    };
    let total_pause: f64 = pauses.iter().map(Pause::len_s).sum();
    SpeechMetrics {
        duration_s,
        sample_rate: track.sample_rate,
        channels: track.channels,
        bits_per_sample: track.bits_per_sample,
        float: track.float,
        rms: track.rms,
        peak: track.peak,
        speaking_s,
        speech_span_s: span,
        phonation_ratio: if span > 0.0 { speaking_s / span } else { 0.0 },
        time_to_first_word_s: speech.first().map(|s| s.0),
        pause_count: u32::try_from(pauses.len()).unwrap_or(u32::MAX),
        mean_pause_s: if pauses.is_empty() {
            0.0
        } else {
            total_pause / pauses.len() as f64
        },
        longest_pause_s: pauses.iter().map(Pause::len_s).fold(0.0, f64::max),
        pauses_per_min: per_min(pauses.len()),
        long_pauses_per_min: per_min(long_pauses.len()),
        pauses,
        long_pauses,
        noise_floor_db: d.noise_floor_db,
        speech_level_db: d.speech_level_db,
        threshold_db: d.threshold_db,
        frame_s,
        peaks_per_s: 1.0 / frame_s,
        peaks: track.peaks,
        params: params.clone(),
    }
}

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

/// Reads any PCM WAV (8/16/24/32-bit integer, 32-bit float, any channels and rate) and measures it.
pub fn basic_stats(path: &Path) -> Result<BasicStats> {
    let t = read_frames(path, &mut |_| {})?;
    Ok(BasicStats {
        duration_s: t.duration_s(),
        sample_rate: t.sample_rate,
        channels: t.channels,
        frames: t.frames,
        rms: t.rms,
        peak: t.peak,
    })
}

#[cfg(test)]
mod tests;

/// How many slices a waveform is drawn with (and stored with, beside a take's figures).
pub const DISPLAY_PEAKS: usize = 1600;

/// Reduces per-frame peaks to at most `buckets` absolute peaks (0..=32767), for drawing.
pub fn display_peaks(peaks: &[[i16; 2]], buckets: usize) -> Vec<i16> {
    if peaks.is_empty() || buckets == 0 {
        return Vec::new();
    }
    let per = peaks.len().div_ceil(buckets).max(1);
    peaks
        .chunks(per)
        .map(|c| {
            c.iter()
                .map(|[lo, hi]| lo.unsigned_abs().max(hi.unsigned_abs()))
                .max()
                .unwrap_or(0)
                .min(i16::MAX as u16) as i16
        })
        .collect()
}

#[cfg(test)]
mod display_tests {
    use super::display_peaks;

    #[test]
    fn display_peaks_keep_the_loudest_of_each_bucket() {
        let peaks = [[-5, 3], [0, 10], [-20, 2], [1, 1], [-32768, 0]];
        assert_eq!(display_peaks(&peaks, 3), vec![10, 20, 32767]);
        assert_eq!(display_peaks(&peaks, 10), vec![5, 10, 20, 1, 32767]);
        assert!(display_peaks(&[], 4).is_empty());
    }
}
