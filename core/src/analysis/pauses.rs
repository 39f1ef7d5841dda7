//! Finds speech and pauses in 10 ms frame energies, with thresholds taken from the take itself.

use super::wav_frames::SILENCE_POWER;
use super::AnalysisParams;

/// Highest frame power the histogram tells apart (+20 dBFS; float files can exceed full scale).
const TOP_POWER: f32 = 100.0;

/// Histogram bucket of a positive power: the top 16 bits of its `f32` pattern (exponent and
/// 7 mantissa bits), which order like the values themselves, in steps under 0.04 dB.
fn bucket(power: f32) -> usize {
    (power.to_bits() >> 16) as usize
}

/// Power in dB relative to full scale.
fn db(power: f64) -> f64 {
    10.0 * power.log10()
}

/// Where the speech is in a take, and the levels that decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// Energy of the quiet background, dBFS.
    pub noise_floor_db: f64,
    /// Energy of loud speech, dBFS.
    pub speech_level_db: f64,
    /// Frames at or above this energy start speech, dBFS.
    pub threshold_db: f64,
    /// Speech extends outward over neighbouring frames at or above this energy, dBFS.
    pub edge_db: f64,
    /// Stretches of speech as `[start, end)` frame indices, in order, separated by pauses.
    pub segments: Vec<(usize, usize)>,
}

/// The energy below which `pct` percent of the frames lie, in dBFS.
fn percentile(energy: &[f32], pct: f64) -> f64 {
    if energy.is_empty() {
        return db(f64::from(SILENCE_POWER));
    }
    let (lo, hi) = (bucket(SILENCE_POWER), bucket(TOP_POWER));
    let mut hist = vec![0u32; hi - lo + 1];
    for &e in energy {
        hist[bucket(e.clamp(SILENCE_POWER, TOP_POWER)) - lo] += 1;
    }
    let rank = ((pct / 100.0).clamp(0.0, 1.0) * energy.len() as f64)
        .ceil()
        .max(1.0) as u64;
    let mut seen = 0u64;
    for (i, &n) in hist.iter().enumerate() {
        seen += u64::from(n);
        if seen >= rank {
            // `i + lo` came from `bucket` of an f32, so it fits in the top 16 bits.
            return db(f64::from(f32::from_bits(((i + lo) as u32) << 16)));
        }
    }
    db(f64::from(TOP_POWER))
}

/// Finds the speech in a take from its frame energies (`frame_s` seconds each).
pub fn detect(energy: &[f32], frame_s: f64, params: &AnalysisParams) -> Detection {
    let floor = percentile(energy, params.noise_percentile);
    let loud = percentile(energy, params.speech_percentile).max(floor);
    let threshold = floor + (params.threshold_fraction * (loud - floor)).max(params.min_margin_db);
    let edge = (floor + params.edge_margin_db).min(threshold);
    let power = |db: f64| 10f64.powf(db / 10.0) as f32;
    let (threshold_f, edge_f) = (power(threshold), power(edge));

    // Stretches at or above the threshold, each widened over neighbours above the edge level.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < energy.len() {
        if energy[i] < threshold_f {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < energy.len() && energy[end] >= threshold_f {
            end += 1;
        }
        let mut start = i;
        let lower = runs.last().map_or(0, |r| r.1);
        while start > lower && energy[start - 1] >= edge_f {
            start -= 1;
        }
        while end < energy.len() && energy[end] >= edge_f {
            end += 1;
        }
        runs.push((start, end));
        i = end;
    }

    // Gaps shorter than a pause are part of speech (between words, stop consonants).
    let min_pause = frames_at_least(params.min_pause_s, frame_s);
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(runs.len());
    for r in runs {
        match merged.last_mut() {
            Some(last) if r.0 - last.1 < min_pause => last.1 = r.1,
            _ => merged.push(r),
        }
    }
    // Bursts too short to be a word, alone between pauses, are noise (a click, a bump).
    let min_speech = frames_at_least(params.min_speech_s, frame_s);
    merged.retain(|&(s, e)| e - s >= min_speech);

    Detection {
        noise_floor_db: floor,
        speech_level_db: loud,
        threshold_db: threshold,
        edge_db: edge,
        segments: merged,
    }
}

/// The fewest whole frames lasting at least `s` seconds (within a microsecond).
fn frames_at_least(s: f64, frame_s: f64) -> usize {
    (((s - 1e-6) / frame_s).ceil().max(1.0)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frame powers from runs of `(frames, dBFS)`.
    fn frames(spec: &[(usize, f32)]) -> Vec<f32> {
        spec.iter()
            .flat_map(|&(n, db)| std::iter::repeat_n(10f32.powf(db / 10.0), n))
            .collect()
    }

    #[test]
    fn gaps_shorter_than_a_pause_stay_inside_speech() {
        let e = frames(&[
            (50, -70.0),
            (30, -20.0),
            (24, -70.0),
            (30, -20.0),
            (25, -70.0),
            (30, -20.0),
            (50, -70.0),
        ]);
        let d = detect(&e, 0.01, &AnalysisParams::default());
        assert_eq!(d.segments, vec![(50, 134), (159, 189)]);
    }

    #[test]
    fn a_lone_click_is_not_speech() {
        let e = frames(&[
            (100, -70.0),
            (3, -10.0),
            (100, -70.0),
            (40, -20.0),
            (100, -70.0),
        ]);
        let d = detect(&e, 0.01, &AnalysisParams::default());
        assert_eq!(d.segments, vec![(203, 243)]);
    }

    #[test]
    fn quiet_edges_are_kept_with_the_speech() {
        let e = frames(&[
            (100, -70.0),
            (3, -60.0),
            (40, -20.0),
            (2, -58.0),
            (100, -70.0),
        ]);
        let d = detect(&e, 0.01, &AnalysisParams::default());
        assert_eq!(d.segments, vec![(100, 145)]);
        assert!((d.noise_floor_db + 70.0).abs() < 0.2, "{d:?}");
    }

    #[test]
    fn silence_alone_has_no_speech() {
        let d = detect(&frames(&[(500, -120.0)]), 0.01, &AnalysisParams::default());
        assert!(d.segments.is_empty());
        let d = detect(&[], 0.01, &AnalysisParams::default());
        assert!(d.segments.is_empty());
    }
}
