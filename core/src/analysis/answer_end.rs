//! The end of a spoken answer, heard live: the analysis's own pause detection (`detect`) run on
//! the level readings of the take as they come, so a take can stop by itself after the speaker
//! has been quiet for a set time (a spoken round flows without touching the keyboard).

use std::collections::VecDeque;

use super::{detect, AnalysisParams, SILENCE_POWER};

/// Seconds of readings looked at: enough to hold speech before any silence asked for.
const WINDOW_S: f64 = 40.0;

/// Speech heard in all before a silence can end the answer (a cough or a breath does not count).
const MIN_SPEECH_S: f64 = 1.0;

/// Hears the end of an answer from level readings (RMS amplitude, one every `reading_s`).
#[derive(Debug)]
pub struct AnswerEnd {
    after_s: f64,
    reading_s: f64,
    /// Recent readings as power (RMS squared, floored at the analysis's silence).
    power: VecDeque<f32>,
    /// Seconds of speech heard so far (from the readings that left the window too).
    spoken_s: f64,
}

impl AnswerEnd {
    /// Ends an answer after `after_s` seconds of silence following speech, from readings taken
    /// every `reading_s` seconds.
    pub fn new(after_s: f64, reading_s: f64) -> AnswerEnd {
        let reading_s = reading_s.max(0.001);
        let keep = ((WINDOW_S.max(after_s * 3.0)) / reading_s).ceil() as usize;
        AnswerEnd {
            after_s,
            reading_s,
            power: VecDeque::with_capacity(keep + 1),
            spoken_s: 0.0,
        }
    }

    /// Takes one reading; true once the speaker has been quiet for the time asked after
    /// speaking (and every reading after that).
    pub fn observe(&mut self, rms: f32) -> bool {
        let keep = ((WINDOW_S.max(self.after_s * 3.0)) / self.reading_s).ceil() as usize;
        self.power.push_back((rms * rms).max(SILENCE_POWER));
        while self.power.len() > keep {
            self.power.pop_front();
        }
        let energy: Vec<f32> = self.power.iter().copied().collect();
        let found = detect(&energy, self.reading_s, &AnalysisParams::default());
        let Some(last) = found.segments.last() else {
            return false;
        };
        let spoken =
            found.segments.iter().map(|s| s.1 - s.0).sum::<usize>() as f64 * self.reading_s;
        self.spoken_s = self.spoken_s.max(spoken);
        let quiet_s = (energy.len() - last.1) as f64 * self.reading_s;
        self.spoken_s >= MIN_SPEECH_S && quiet_s >= self.after_s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEP: f64 = 1.0 / 30.0;

    /// Readings: `(seconds, rms)` stretches one after the other, with a little noise.
    fn readings(parts: &[(f64, f32)]) -> Vec<f32> {
        let mut out = Vec::new();
        let mut k = 0u32;
        for &(secs, rms) in parts {
            for _ in 0..(secs / STEP).round() as usize {
                k = k.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let jitter = 1.0 + ((k >> 16) % 100) as f32 / 400.0;
                out.push(rms * jitter);
            }
        }
        out
    }

    /// The second (from the start) at which the answer is heard to end, if it is.
    fn ends_at(parts: &[(f64, f32)], after_s: f64) -> Option<f64> {
        let mut end = AnswerEnd::new(after_s, STEP);
        readings(parts)
            .into_iter()
            .position(|r| end.observe(r))
            .map(|i| (i + 1) as f64 * STEP)
    }

    #[test]
    fn an_answer_ends_after_the_silence_asked_for_and_not_in_a_shorter_pause() {
        let quiet = 0.002;
        let voice = 0.2;
        // Speech, a 2 s pause (thinking), speech, then silence: ends 4 s into the silence.
        let at = ends_at(
            &[
                (1.0, quiet),
                (5.0, voice),
                (2.0, quiet),
                (4.0, voice),
                (10.0, quiet),
            ],
            4.0,
        )
        .unwrap();
        assert!((at - 16.0).abs() < 0.5, "ended at {at:.2} s");
        // Silence alone, or a cough, never ends it.
        assert_eq!(ends_at(&[(20.0, quiet)], 4.0), None);
        assert_eq!(
            ends_at(&[(3.0, quiet), (0.3, voice), (12.0, quiet)], 4.0),
            None
        );
        // Speech that goes on is not ended.
        assert_eq!(ends_at(&[(1.0, quiet), (30.0, voice)], 4.0), None);
    }

    #[test]
    fn a_long_answer_past_the_window_still_ends() {
        let mut parts = vec![(1.0, 0.002f32)];
        for _ in 0..20 {
            parts.push((4.0, 0.2));
            parts.push((0.8, 0.002));
        }
        parts.push((8.0, 0.002));
        let at = ends_at(&parts, 4.0).unwrap();
        let spoke_until = 1.0 + 20.0 * 4.8 - 0.8;
        assert!((at - spoke_until - 4.0).abs() < 0.5, "ended at {at:.2} s");
    }
}
