//! A short plain-text account of a take's speech metrics, for terminals and logs.

use std::fmt::Write;

use super::SpeechMetrics;

/// Minutes, seconds and tenths, e.g. `2:05.3`.
pub fn clock(s: f64) -> String {
    let tenths = (s.max(0.0) * 10.0).round() as u64;
    format!("{}:{:02}.{}", tenths / 600, tenths / 10 % 60, tenths % 10)
}

impl SpeechMetrics {
    /// A few lines a person can read: format, speaking time, pauses, long pauses, levels.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let kind = if self.float { "float" } else { "bit" };
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{} long, {} Hz, {} ch, {}-{kind}",
            clock(self.duration_s),
            self.sample_rate,
            self.channels,
            self.bits_per_sample
        );
        match self.time_to_first_word_s {
            None => out.push_str("No speech found.\n"),
            Some(first) => {
                let _ = writeln!(
                    out,
                    "Speaking {} of {} from first to last word ({:.0} %); first word after {:.2} s",
                    clock(self.speaking_s),
                    clock(self.speech_span_s),
                    self.phonation_ratio * 100.0,
                    first
                );
                let _ = writeln!(
                    out,
                    "Pauses of {:.2} s or more: {} ({:.1} a minute), mean {:.2} s, longest {:.2} s",
                    self.params.min_pause_s,
                    self.pause_count,
                    self.pauses_per_min,
                    self.mean_pause_s,
                    self.longest_pause_s
                );
                let listed: Vec<String> = self
                    .long_pauses
                    .iter()
                    .take(12)
                    .map(|p| format!("{}-{}", clock(p.start_s), clock(p.end_s)))
                    .collect();
                let more = self.long_pauses.len() - listed.len();
                let _ = write!(
                    out,
                    "Long pauses of {:.0} s or more: {} ({:.1} a minute)",
                    self.params.long_pause_s,
                    self.long_pauses.len(),
                    self.long_pauses_per_min
                );
                if !listed.is_empty() {
                    let _ = write!(out, ": {}", listed.join(", "));
                }
                if more > 0 {
                    let _ = write!(out, " and {more} more");
                }
                out.push('\n');
            }
        }
        let _ = writeln!(
            out,
            "Levels: noise floor {:.1} dBFS, speech {:.1} dBFS, threshold {:.1} dBFS; RMS {:.4}, peak {:.4}",
            self.noise_floor_db, self.speech_level_db, self.threshold_db, self.rms, self.peak
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn clock_reads_as_minutes_and_seconds() {
        assert_eq!(clock(0.0), "0:00.0");
        assert_eq!(clock(125.34), "2:05.3");
        assert_eq!(clock(2700.0), "45:00.0");
    }
}
