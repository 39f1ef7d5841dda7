//! Audio lost to a ring overflow: how much, and where in the take, merged and bounded.
//!
//! The audio callback only counts what it drops and tells the writer, through a small
//! preallocated ring of events, how many frames it had kept before each drop. The writer
//! thread turns those events into places in the take with [`LossLog`]: losses close together
//! are one place, and only the first [`MAX_SPANS`] places are kept (the total always counts all).

/// Places kept in full; later ones count only in the totals.
pub const MAX_SPANS: usize = 1000;

/// Losses less than this many seconds of kept audio apart are one place.
pub const MERGE_GAP_S: f64 = 0.5;

/// One place in a take where audio is missing.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct LostSpan {
    /// Where in the take (seconds from its start) the first missing piece of this place falls.
    pub at_s: f64,
    /// Where in the take the last missing piece of this place falls (`at_s` for a single gap).
    pub until_s: f64,
    /// Seconds of audio missing at this place, in all.
    pub lost_s: f64,
}

/// The audio a recording lost because the computer could not keep up (never silent).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct LostAudio {
    /// Seconds of audio missing in all (0 when nothing was lost).
    pub seconds: f64,
    /// Places in all where audio is missing, including those past the first [`MAX_SPANS`].
    pub places: u32,
    /// The first [`MAX_SPANS`] places, in the order of the take.
    pub spans: Vec<LostSpan>,
}

impl LostAudio {
    /// True when any audio was lost.
    pub fn any(&self) -> bool {
        self.seconds > 0.0
    }

    /// One line for a person, or `None` when nothing was lost.
    pub fn describe(&self) -> Option<String> {
        /// Places named in the line; the rest are counted.
        const NAMED: usize = 5;
        if !self.any() {
            return None;
        }
        let mut line = format!("Lost {:.2} s of audio", self.seconds);
        if self.places > 0 {
            let s = if self.places == 1 { "" } else { "s" };
            let at: Vec<String> = self
                .spans
                .iter()
                .take(NAMED)
                .map(|p| clock(p.at_s))
                .collect();
            line += &format!(" in {} place{s} (at {}", self.places, at.join(", "));
            let more = (self.places as usize).saturating_sub(at.len());
            if more > 0 {
                line += &format!(" and {more} more");
            }
            line.push(')');
        }
        line += ": the computer could not keep up. The rest of the recording was kept.";
        Some(line)
    }
}

/// `m:ss.s`, as a take's position is shown.
fn clock(s: f64) -> String {
    let tenths = (s.max(0.0) * 10.0).round() as u64;
    format!("{}:{:02}.{}", tenths / 600, tenths / 10 % 60, tenths % 10)
}

/// One place being gathered, in device frames.
#[derive(Debug, Clone, Copy)]
struct Span {
    /// Frames kept before the first loss.
    at: u64,
    /// Frames kept before the last loss.
    until: u64,
    /// Frames lost here.
    frames: u64,
}

/// Gathers losses on the writer thread, in device frames, into the take's [`LostAudio`].
#[derive(Debug)]
pub struct LossLog {
    device_rate: u32,
    take_rate: u32,
    merge_gap: u64,
    open: Option<Span>,
    spans: Vec<Span>,
    places: u64,
    placed_frames: u64,
}

impl LossLog {
    /// An empty log for audio captured at `device_rate` and written at `take_rate`.
    pub fn new(device_rate: u32, take_rate: u32) -> Self {
        let device_rate = device_rate.max(1);
        LossLog {
            device_rate,
            take_rate: take_rate.max(1),
            merge_gap: (MERGE_GAP_S * f64::from(device_rate)).round() as u64,
            open: None,
            spans: Vec::new(),
            places: 0,
            placed_frames: 0,
        }
    }

    /// Notes that `frames` device frames were dropped after the first `at` frames were kept.
    pub fn record(&mut self, at: u64, frames: u64) {
        if frames == 0 {
            return;
        }
        self.placed_frames = self.placed_frames.saturating_add(frames);
        match &mut self.open {
            Some(s) if at.abs_diff(s.until) <= self.merge_gap => {
                s.until = s.until.max(at);
                s.frames = s.frames.saturating_add(frames);
            }
            _ => {
                self.close();
                self.open = Some(Span {
                    at,
                    until: at,
                    frames,
                });
            }
        }
    }

    fn close(&mut self) {
        if let Some(s) = self.open.take() {
            self.places += 1;
            if self.spans.len() < MAX_SPANS {
                self.spans.push(s);
            }
        }
    }

    /// The take's figures; `counted` is every frame the callback dropped, so losses it could
    /// not place (its event ring was full) still count in the seconds.
    pub fn finish(mut self, counted: u64) -> LostAudio {
        self.close();
        let device = f64::from(self.device_rate);
        // A position in device frames, as the take frame it falls on, in seconds: never past
        // the take's end, whose length is rounded the same way.
        let position = |frames: u64| {
            let take = f64::from(self.take_rate);
            (frames as f64 * take / device).round() / take
        };
        LostAudio {
            seconds: counted.max(self.placed_frames) as f64 / device,
            places: u32::try_from(self.places).unwrap_or(u32::MAX),
            spans: self
                .spans
                .iter()
                .map(|s| LostSpan {
                    at_s: position(s.at),
                    until_s: position(s.until),
                    lost_s: s.frames as f64 / device,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_lost_is_empty_and_says_nothing() {
        let lost = LossLog::new(48_000, 16_000).finish(0);
        assert_eq!(lost, LostAudio::default());
        assert!(!lost.any());
        assert_eq!(lost.describe(), None);
    }

    #[test]
    fn a_single_loss_is_placed_in_the_take() {
        let mut log = LossLog::new(48_000, 16_000);
        log.record(96_000, 4_800);
        let lost = log.finish(4_800);
        assert_eq!(lost.places, 1);
        assert_eq!(
            lost.spans,
            [LostSpan {
                at_s: 2.0,
                until_s: 2.0,
                lost_s: 0.1
            }]
        );
        assert!((lost.seconds - 0.1).abs() < 1e-12);
        assert_eq!(
            lost.describe().unwrap(),
            "Lost 0.10 s of audio in 1 place (at 0:02.0): the computer could not keep up. \
             The rest of the recording was kept."
        );
    }

    #[test]
    fn losses_close_together_merge_and_far_ones_do_not() {
        let mut log = LossLog::new(48_000, 16_000);
        // At the same place (nothing kept between), then 0.25 s later: one place.
        log.record(48_000, 100);
        log.record(48_000, 200);
        log.record(60_000, 300);
        // Exactly half a second of kept audio after the last one: still the same place.
        log.record(84_000, 400);
        // More than half a second later: a new place.
        log.record(84_000 + 24_001, 500);
        let lost = log.finish(1_500);
        assert_eq!(lost.places, 2);
        assert_eq!(lost.spans.len(), 2);
        assert_eq!((lost.spans[0].at_s, lost.spans[0].until_s), (1.0, 1.75));
        assert!((lost.spans[0].lost_s - 1_000.0 / 48_000.0).abs() < 1e-12);
        // 108,001 device frames fall on take frame 36,000 (rounded): 2.25 s.
        assert_eq!((lost.spans[1].at_s, lost.spans[1].until_s), (2.25, 2.25));
        assert!((lost.seconds - 1_500.0 / 48_000.0).abs() < 1e-12);
        let sum: f64 = lost.spans.iter().map(|s| s.lost_s).sum();
        assert!((sum - lost.seconds).abs() < 1e-12);
    }

    #[test]
    fn the_list_is_bounded_but_the_totals_count_everything() {
        let mut log = LossLog::new(16_000, 16_000);
        let places = MAX_SPANS as u64 + 234;
        for i in 0..places {
            log.record(i * 16_000, 160);
        }
        let lost = log.finish(0);
        assert_eq!(lost.places, u32::try_from(places).unwrap());
        assert_eq!(lost.spans.len(), MAX_SPANS);
        assert_eq!(lost.spans[MAX_SPANS - 1].at_s, (MAX_SPANS - 1) as f64);
        assert!((lost.seconds - places as f64 * 0.01).abs() < 1e-9);
        let line = lost.describe().unwrap();
        assert!(
            line.starts_with(
                "Lost 12.34 s of audio in 1234 places (at 0:00.0, 0:01.0, 0:02.0, 0:03.0, 0:04.0 \
                 and 1229 more)"
            ),
            "{line}"
        );
    }

    #[test]
    fn losses_the_callback_could_not_place_still_count() {
        let mut log = LossLog::new(48_000, 16_000);
        log.record(0, 4_800);
        let lost = log.finish(48_000);
        assert_eq!((lost.places, lost.spans.len()), (1, 1));
        assert!((lost.seconds - 1.0).abs() < 1e-12);
        // Only unplaced losses: the seconds, without places.
        let lost = LossLog::new(48_000, 16_000).finish(24_000);
        assert_eq!((lost.places, lost.spans.len()), (0, 0));
        assert_eq!(
            lost.describe().unwrap(),
            "Lost 0.50 s of audio: the computer could not keep up. The rest of the recording was kept."
        );
    }

    #[test]
    fn positions_are_shown_as_minutes_seconds_and_tenths() {
        assert_eq!(clock(0.0), "0:00.0");
        assert_eq!(clock(1.24), "0:01.2");
        assert_eq!(clock(59.96), "1:00.0");
        assert_eq!(clock(754.31), "12:34.3");
    }

    #[test]
    fn it_round_trips_as_json() {
        let mut log = LossLog::new(44_100, 16_000);
        log.record(44_100, 441);
        let lost = log.finish(441);
        let json = serde_json::to_string(&lost).unwrap();
        assert_eq!(serde_json::from_str::<LostAudio>(&json).unwrap(), lost);
    }
}
