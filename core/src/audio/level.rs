//! A level meter of atomics: the callback stores, a timer reads at most ~30 times a second.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::platform::Platform;

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

/// What Candor says while the input stays silent on `platform`. macOS and Windows give an app
/// that may not use the microphone a stream of silence rather than an error, so there the
/// warning names that likely cause and where the permission is given; on Linux it is as it was.
pub fn silence_warning(platform: Platform) -> &'static str {
    match platform {
        Platform::Linux => "Candor hears only silence — check the microphone.",
        Platform::MacOs => {
            "Candor hears only silence. macOS gives silence to an app it has not allowed to use \
             the microphone: allow Candor in System Settings → Privacy & Security → Microphone, \
             then start again. Otherwise, check the microphone."
        }
        Platform::Windows => {
            "Candor hears only silence. Windows gives silence to apps it keeps from the \
             microphone: in Settings → Privacy & security → Microphone, turn on microphone \
             access and \"Let desktop apps access your microphone\", then start again. \
             Otherwise, check the microphone."
        }
    }
}

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
    fn the_silence_warning_names_where_each_system_allows_the_microphone() {
        // Linux: the window's words as they were.
        assert_eq!(
            silence_warning(Platform::Linux),
            "Candor hears only silence — check the microphone."
        );
        let mac = silence_warning(Platform::MacOs);
        assert!(
            mac.contains("System Settings → Privacy & Security → Microphone"),
            "{mac}"
        );
        let win = silence_warning(Platform::Windows);
        assert!(
            win.contains("Settings → Privacy & security → Microphone"),
            "{win}"
        );
        assert!(
            win.contains("Let desktop apps access your microphone"),
            "{win}"
        );
        for p in [Platform::Linux, Platform::MacOs, Platform::Windows] {
            let w = silence_warning(p);
            assert!(w.starts_with("Candor hears only silence"), "{w}");
            assert!(w.contains("check the microphone"), "{w}");
            // One line a person reads: no doubled spaces from the string's line breaks.
            assert!(!w.contains("  ") && !w.contains('\n'), "{w}");
        }
        // Each system names only its own settings.
        assert!(!mac.contains("Privacy & security"));
        assert!(!win.contains("System Settings"));
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
