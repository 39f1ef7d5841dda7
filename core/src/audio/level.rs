//! A level meter of atomics: the callback stores, a timer reads at most ~30 times a second.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Shared between the audio callback (writer) and the UI timer (reader); lock-free.
#[derive(Debug, Default)]
pub struct LevelMeter {
    peak_bits: AtomicU32,
    rms_bits: AtomicU32,
}

/// One reading of the meter, linear amplitude in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Level {
    /// Highest absolute sample since the previous reading.
    pub peak: f32,
    /// Root mean square over the most recent callback buffer.
    pub rms: f32,
}

impl LevelMeter {
    /// Called from the audio callback with one buffer's peak and RMS; never blocks.
    pub fn publish(&self, peak: f32, rms: f32) {
        // For non-negative floats the bit pattern orders like the value, so fetch_max works.
        self.peak_bits
            .fetch_max(peak.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
        self.rms_bits
            .store(rms.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
    }

    /// Reads the meter and resets the peak, so each reading covers the time since the last.
    pub fn take(&self) -> Level {
        Level {
            peak: f32::from_bits(self.peak_bits.swap(0, Ordering::Relaxed)),
            rms: f32::from_bits(self.rms_bits.load(Ordering::Relaxed)),
        }
    }

    /// Clears the meter (e.g. when a stream stops).
    pub fn reset(&self) {
        self.peak_bits.store(0, Ordering::Relaxed);
        self.rms_bits.store(0, Ordering::Relaxed);
    }
}

/// Fastest rate at which levels are sent to a window (WebKitGTK leaks under many events).
pub const LEVEL_INTERVAL: Duration = Duration::from_millis(34);

/// RMS below which the input counts as silence for the "check the microphone" warning (≈ -50 dBFS).
pub const SILENCE_FLOOR_RMS: f32 = 0.003;

/// How long the input must stay below the floor before the user is warned.
pub const SILENCE_WARNING_AFTER: Duration = Duration::from_secs(3);

/// Tracks how long the input has been silent, from successive level readings.
#[derive(Debug, Default, Clone)]
pub struct SilenceTracker {
    silent_for: Duration,
}

impl SilenceTracker {
    /// Feeds one reading covering `elapsed`; returns true while the warning should show.
    pub fn observe(&mut self, level: Level, elapsed: Duration) -> bool {
        if level.peak < SILENCE_FLOOR_RMS * 2.0 && level.rms < SILENCE_FLOOR_RMS {
            self.silent_for += elapsed;
        } else {
            self.silent_for = Duration::ZERO;
        }
        self.silent_for >= SILENCE_WARNING_AFTER
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_is_max_since_last_take_and_resets() {
        let m = LevelMeter::default();
        m.publish(0.2, 0.1);
        m.publish(0.7, 0.3);
        m.publish(0.4, 0.2);
        let l = m.take();
        assert_eq!(l.peak, 0.7);
        assert_eq!(l.rms, 0.2);
        assert_eq!(m.take().peak, 0.0);
    }

    #[test]
    fn silence_warns_only_after_three_seconds() {
        let mut t = SilenceTracker::default();
        let quiet = Level {
            peak: 0.0,
            rms: 0.0,
        };
        let loud = Level {
            peak: 0.5,
            rms: 0.2,
        };
        let step = Duration::from_millis(500);
        for _ in 0..5 {
            assert!(!t.observe(quiet, step));
        }
        assert!(t.observe(quiet, step));
        assert!(!t.observe(loud, step));
        assert!(!t.observe(quiet, step));
    }
}
