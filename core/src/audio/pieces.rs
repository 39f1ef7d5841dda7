//! Cutting a take into pieces at its pauses while it is recorded, so the transcriber can hear
//! each piece as soon as it is finished and only the last one is left when the user stops.
//!
//! The writer thread feeds every sample it writes to a [`PieceCutter`]; once the piece it holds
//! is long enough, the cutter looks for a pause with the analysis Candor uses for a take's
//! figures ([`crate::analysis::detect`], thresholds from the piece itself) and cuts in the middle
//! of the latest one, never in a word. Finished pieces go through a bounded queue with
//! `try_send`: the writer never waits. If the queue is full (the transcriber fell behind) or
//! gone, the cutter stops sending, and the rest of the take is transcribed from the file after
//! Stop; the recording itself is untouched either way.
//!
//! So that little is left at Stop, a transcriber with nothing to do may ask for the **tail**: the
//! piece being filled, up to its latest pause, sent as a provisional copy (the cutter keeps it and
//! cuts the real piece later). The transcriber hears it, and at Stop only what came after it is
//! left; the real piece, once cut, replaces it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::Duration;

use crate::analysis::{detect, AnalysisParams, FRAME_MS, SILENCE_POWER};

/// A piece is cut at a pause once it is at least this long (seconds). Long pieces hear whole
/// sentences in context; shorter ones (10–15 s, measured) left the last piece at Stop shorter
/// but cost 1–2 points of word error.
pub const MIN_PIECE_S: f64 = 20.0;
/// A piece with no pause at all is cut at its quietest moment at this length (seconds); the
/// model hears 30 s at a time.
pub const MAX_PIECE_S: f64 = 28.0;
/// How often (seconds of audio) the cutter looks for a pause once a piece is long enough.
const LOOK_EVERY_S: f64 = 0.5;
/// A pause still going on at the end of the piece is cut in only once it is this long (s).
const OPEN_PAUSE_S: f64 = 0.4;
/// When forced, the cut is at the quietest 10 ms within this many seconds of the end.
const QUIET_SEARCH_S: f64 = 5.0;
/// No cut leaves a piece shorter than this (seconds): earlier pauses are passed over.
const SHORTEST_PIECE_S: f64 = 15.0;
/// A tail is sent once the piece being filled holds this much new audio (seconds) since the last
/// tail. Each tail is heard whole, so this trades a core's time while recording for less left at
/// Stop: every 5 s left the 3-minute answer's Stop-to-ready at 3.9 s, every 3 s at 1.6 s.
const TAIL_GROWTH_S: f64 = 3.0;

/// A finished stretch of a take, for the transcriber.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// Where it starts in the take, in frames (samples of the take's rate).
    pub start_frame: u64,
    /// Its samples, mono, at `rate`.
    pub samples: Vec<f32>,
    /// The take's rate.
    pub rate: u32,
    /// True for a tail: a copy of the piece being filled, up to a pause, heard early; the piece
    /// cut later from the same start replaces it.
    pub provisional: bool,
}

/// The transcriber's end of a cutter: the pieces, and a way to ask for the tail.
pub struct Pieces {
    rx: Receiver<Piece>,
    want_tail: Arc<AtomicBool>,
}

impl Pieces {
    /// The next piece, waiting at most `timeout`; `Disconnected` once the take has stopped.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<Piece, RecvTimeoutError> {
        self.rx.recv_timeout(timeout)
    }

    /// Asks the cutter for the tail of the piece it is filling (sent once it has grown enough).
    pub fn want_tail(&self) {
        self.want_tail.store(true, Ordering::Release);
    }
}

/// A cutter for a take recorded at `rate` and the transcriber's end of it, with room for
/// `queued` pieces between them.
pub fn piece_channel(rate: u32, queued: usize) -> (PieceCutter, Pieces) {
    let (tx, rx) = sync_channel(queued);
    let want_tail = Arc::new(AtomicBool::new(false));
    let mut cutter = PieceCutter::new(tx, rate);
    cutter.want_tail = Some(want_tail.clone());
    (cutter, Pieces { rx, want_tail })
}

/// Cuts the samples a writer writes into pieces at pauses and hands them on without waiting.
pub struct PieceCutter {
    tx: SyncSender<Piece>,
    rate: u32,
    /// Samples in one 10 ms frame.
    frame_len: usize,
    /// The piece being filled.
    buf: Vec<f32>,
    /// Where `buf` starts in the take, in frames.
    start_frame: u64,
    /// The energy of each whole 10 ms frame of `buf`.
    energy: Vec<f32>,
    /// The sum of squares of the frame being filled, and how many samples it has.
    acc: f64,
    acc_n: usize,
    /// Samples since the cutter last looked for a pause.
    since_look: usize,
    /// True once a piece could not be handed on: nothing more is sent.
    gave_up: bool,
    /// Set by a transcriber with nothing to do: it would hear the tail now.
    want_tail: Option<Arc<AtomicBool>>,
    /// Samples of `buf` the last tail sent held.
    tail_sent: usize,
}

impl PieceCutter {
    /// A cutter for a take recorded at `rate`, sending pieces on `tx`.
    pub fn new(tx: SyncSender<Piece>, rate: u32) -> PieceCutter {
        let frame_len = (rate as usize * FRAME_MS as usize / 1000).max(1);
        PieceCutter {
            tx,
            rate,
            frame_len,
            buf: Vec::with_capacity((f64::from(rate) * MAX_PIECE_S) as usize + frame_len),
            start_frame: 0,
            energy: Vec::new(),
            acc: 0.0,
            acc_n: 0,
            since_look: 0,
            gave_up: false,
            want_tail: None,
            tail_sent: 0,
        }
    }

    /// True once the transcriber could not keep up (or went away) and the cutter stopped.
    pub fn gave_up(&self) -> bool {
        self.gave_up
    }

    /// Takes the next samples of the take (mono, at the take's rate), as they are written.
    pub fn push(&mut self, samples: &[f32]) {
        if self.gave_up {
            return;
        }
        self.buf.extend_from_slice(samples);
        for &s in samples {
            self.acc += f64::from(s) * f64::from(s);
            self.acc_n += 1;
            if self.acc_n == self.frame_len {
                let power = (self.acc / self.frame_len as f64) as f32;
                self.energy.push(power.max(SILENCE_POWER));
                self.acc = 0.0;
                self.acc_n = 0;
            }
        }
        self.since_look += samples.len();
        let seconds = |n: usize| n as f64 / f64::from(self.rate);
        if seconds(self.since_look) < LOOK_EVERY_S {
            return;
        }
        self.since_look = 0;
        if seconds(self.buf.len()) < MIN_PIECE_S {
            self.offer_tail();
            return;
        }
        let cut = match self.pause_cut(SHORTEST_PIECE_S) {
            Some(frame) => Some(frame),
            None if seconds(self.buf.len()) >= MAX_PIECE_S => Some(self.quietest_frame()),
            None => None,
        };
        match cut {
            Some(frame) => self.send(frame * self.frame_len),
            None => self.offer_tail(),
        }
    }

    /// Sends the tail (the piece being filled, up to its latest pause) when the transcriber asked
    /// for it and it has grown enough since the last one. A full queue only skips it.
    fn offer_tail(&mut self) {
        let Some(want) = &self.want_tail else {
            return;
        };
        let grown = self.buf.len().saturating_sub(self.tail_sent) as f64 / f64::from(self.rate);
        if grown < TAIL_GROWTH_S || !want.load(Ordering::Acquire) {
            return;
        }
        let Some(frame) = self.pause_cut(0.0) else {
            return;
        };
        let cut = (frame * self.frame_len).min(self.buf.len());
        if cut <= self.tail_sent {
            return;
        }
        let piece = Piece {
            start_frame: self.start_frame,
            samples: self.buf[..cut].to_vec(),
            rate: self.rate,
            provisional: true,
        };
        if self.tx.try_send(piece).is_ok() {
            want.store(false, Ordering::Release);
            self.tail_sent = cut;
        }
    }

    /// The 10 ms frame in the middle of the latest pause at least `shortest_s` seconds in, if
    /// there is one: a pause between two stretches of speech, or one still going on at the end.
    fn pause_cut(&self, shortest_s: f64) -> Option<usize> {
        let params = AnalysisParams::default();
        let frame_s = f64::from(FRAME_MS) / 1000.0;
        let det = detect(&self.energy, frame_s, &params);
        let shortest = (shortest_s / frame_s) as usize;
        let frames = self.energy.len();
        // A pause going on now: speech ended a while ago.
        if let Some(&(_, last_end)) = det.segments.last() {
            let open = frames.saturating_sub(last_end);
            if open as f64 * frame_s >= OPEN_PAUSE_S && last_end + open / 2 >= shortest {
                return Some(last_end + open / 2);
            }
        }
        det.segments
            .windows(2)
            .rev()
            .map(|w| (w[0].1 + w[1].0) / 2)
            .find(|&mid| mid >= shortest)
    }

    /// The quietest 10 ms frame near the end of the piece (a forced cut, for speech that never
    /// pauses).
    fn quietest_frame(&self) -> usize {
        let frames = self.energy.len();
        let back = (QUIET_SEARCH_S * 1000.0 / f64::from(FRAME_MS)) as usize;
        let from = frames.saturating_sub(back);
        (from..frames)
            .min_by(|&a, &b| self.energy[a].total_cmp(&self.energy[b]))
            .unwrap_or(frames)
    }

    /// Hands on the first `cut` samples as a piece and keeps the rest as the start of the next.
    fn send(&mut self, cut: usize) {
        let cut = cut.min(self.buf.len());
        let rest = self.buf.split_off(cut);
        let samples = std::mem::replace(&mut self.buf, rest);
        self.energy
            .drain(..(cut / self.frame_len).min(self.energy.len()));
        let piece = Piece {
            start_frame: self.start_frame,
            samples,
            rate: self.rate,
            provisional: false,
        };
        self.start_frame += cut as u64;
        self.tail_sent = 0;
        match self.tx.try_send(piece) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                // From here on the transcriber reads the take's file after Stop.
                self.gave_up = true;
                self.buf = Vec::new();
                self.energy = Vec::new();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::sync_channel;

    const RATE: u32 = 16_000;

    /// A tone burst ("speech") of `s` seconds, then `pause` seconds of near silence.
    fn word_then_pause(out: &mut Vec<f32>, s: f64, pause: f64) {
        let n = (s * f64::from(RATE)) as usize;
        out.extend((0..n).map(|i| 0.3 * (i as f32 * 0.07).sin()));
        let m = (pause * f64::from(RATE)) as usize;
        out.extend((0..m).map(|i| 0.0005 * (i as f32 * 1.3).sin()));
    }

    fn feed(cutter: &mut PieceCutter, audio: &[f32]) {
        for chunk in audio.chunks(800) {
            cutter.push(chunk);
        }
    }

    #[test]
    fn pieces_are_cut_in_pauses_and_follow_each_other_without_gap() {
        let mut audio = Vec::new();
        for _ in 0..40 {
            word_then_pause(&mut audio, 2.2, 0.6);
        }
        let (tx, rx) = sync_channel(16);
        let mut cutter = PieceCutter::new(tx, RATE);
        feed(&mut cutter, &audio);
        drop(cutter);
        let pieces: Vec<Piece> = rx.iter().collect();
        assert!(pieces.len() >= 3, "{} pieces", pieces.len());
        let mut next = 0u64;
        for p in &pieces {
            assert_eq!(p.start_frame, next, "pieces follow each other");
            let secs = p.samples.len() as f64 / f64::from(RATE);
            assert!((SHORTEST_PIECE_S..=MAX_PIECE_S).contains(&secs), "{secs} s");
            // The cut is in a pause: the last 100 ms of the piece are quiet.
            let tail = &p.samples[p.samples.len() - 1600..];
            assert!(tail.iter().all(|s| s.abs() < 0.01), "cut in a word");
            assert_eq!(
                &audio[next as usize..next as usize + p.samples.len()],
                &p.samples[..]
            );
            next += p.samples.len() as u64;
        }
    }

    #[test]
    fn speech_without_pause_is_cut_at_its_quietest_before_the_model_window_is_full() {
        // Loud throughout, with one softer dip 25 s in.
        let n = 40 * RATE as usize;
        let audio: Vec<f32> = (0..n)
            .map(|i| {
                let dip = (25 * RATE as usize..25 * RATE as usize + 160).contains(&i);
                (if dip { 0.05 } else { 0.3 }) * (i as f32 * 0.07).sin()
            })
            .collect();
        let (tx, rx) = sync_channel(16);
        let mut cutter = PieceCutter::new(tx, RATE);
        feed(&mut cutter, &audio);
        let first = rx.try_recv().unwrap();
        let secs = first.samples.len() as f64 / f64::from(RATE);
        assert!(secs <= MAX_PIECE_S + LOOK_EVERY_S, "{secs} s");
        assert!(
            (secs - 25.0).abs() < 0.02,
            "cut at the dip, not at {secs} s"
        );
    }

    #[test]
    fn an_idle_transcriber_gets_the_tail_up_to_a_pause_and_the_real_piece_replaces_it() {
        let mut audio = Vec::new();
        for _ in 0..12 {
            word_then_pause(&mut audio, 2.2, 0.6);
        }
        let (mut cutter, pieces) = piece_channel(RATE, 16);
        // Not asked: no tail.
        feed(&mut cutter, &audio[..6 * RATE as usize]);
        assert!(pieces.recv_timeout(Duration::ZERO).is_err());
        // Asked: the piece so far, up to its latest pause, as a copy.
        pieces.want_tail();
        feed(&mut cutter, &audio[6 * RATE as usize..8 * RATE as usize]);
        let tail = pieces.recv_timeout(Duration::ZERO).unwrap();
        assert!(tail.provisional);
        assert_eq!(tail.start_frame, 0);
        let secs = tail.samples.len() as f64 / f64::from(RATE);
        assert!((4.0..=8.0).contains(&secs), "{secs} s");
        assert!(tail.samples[tail.samples.len() - 1600..]
            .iter()
            .all(|s| s.abs() < 0.01));
        assert_eq!(&audio[..tail.samples.len()], &tail.samples[..]);
        // Asked again: the next tail only once the piece has grown by a few seconds; then the
        // real piece comes from the same start and holds the tails.
        pieces.want_tail();
        feed(&mut cutter, &audio[8 * RATE as usize..]);
        let got: Vec<Piece> =
            std::iter::from_fn(|| pieces.recv_timeout(Duration::ZERO).ok()).collect();
        let tails: Vec<&Piece> = got.iter().filter(|p| p.provisional).collect();
        assert_eq!(tails.len(), 1, "asked once, sent once");
        assert!(tails[0].samples.len() > tail.samples.len());
        let real = got.iter().find(|p| !p.provisional).unwrap();
        assert_eq!(real.start_frame, 0);
        assert!(real.samples.len() > tail.samples.len());
    }

    #[test]
    fn a_full_queue_makes_the_cutter_stop_sending_without_ever_waiting() {
        let mut audio = Vec::new();
        for _ in 0..40 {
            word_then_pause(&mut audio, 2.2, 0.6);
        }
        let (tx, rx) = sync_channel(1);
        let mut cutter = PieceCutter::new(tx, RATE);
        feed(&mut cutter, &audio);
        assert!(cutter.gave_up());
        // The one piece that fit is the first; nothing after it was sent.
        assert_eq!(rx.try_recv().unwrap().start_frame, 0);
        assert!(rx.try_recv().is_err());
    }
}
