//! A take transcribed while it is recorded: each piece the writer cut at a pause as soon as it
//! arrives (and, while there is time, the tail of the piece being filled, kept until the real
//! piece replaces it), then, at Stop, the rest of the take read from its file; the words of every
//! piece are placed at their time in the take.

use std::path::Path;

use super::{read_16k_from, to_16k, Heard, Model, Watch, MODEL_RATE};
use crate::analysis::{detect, AnalysisParams, FRAME_MS, SILENCE_POWER};
use crate::audio::Piece;
use crate::error::Result;

/// Words of what came before that a piece is heard after.
const CONTEXT_WORDS: usize = 100;

/// A phrase of this many words or more said three times running is a loop, not speech (the
/// model repeating itself, most often after a context that ends the way the piece does).
const LOOP_MIN_WORDS: usize = 3;
/// The longest phrase looked for in a loop, in words.
const LOOP_MAX_WORDS: usize = 20;

/// What has been heard of a take so far, and how much of it.
#[derive(Debug)]
pub struct LiveTranscript {
    heard: Heard,
    /// Frames (at the take's rate) the pieces heard so far cover, from the start.
    covered: u64,
    rate: u32,
    /// The latest tail heard (provisional: replaced by the piece cut later) and where it ends.
    tail: Option<(u64, Heard)>,
}

/// True when 16 kHz `samples` hold any speech as Candor's analysis finds it: a model given
/// only silence (a take's quiet end, a long think) tends to invent words.
pub fn has_speech(samples: &[f32]) -> bool {
    let frame = (MODEL_RATE * FRAME_MS / 1000) as usize;
    let energy: Vec<f32> = samples
        .chunks(frame)
        .map(|c| (c.iter().map(|s| s * s).sum::<f32>() / c.len() as f32).max(SILENCE_POWER))
        .collect();
    let frame_s = f64::from(FRAME_MS) / 1000.0;
    !detect(&energy, frame_s, &AnalysisParams::default())
        .segments
        .is_empty()
}

/// Where the words first go round in a loop: (index where the second round starts, phrase
/// length), for a phrase of 3 to 20 words said three or more times running.
fn first_loop(words: &[super::Word]) -> Option<(usize, usize)> {
    let norm: Vec<String> = words.iter().map(|w| super::normalized(&w.word)).collect();
    for i in 0..norm.len() {
        for n in LOOP_MIN_WORDS..=LOOP_MAX_WORDS {
            if i + 3 * n > norm.len() {
                break;
            }
            let a = &norm[i..i + n];
            if a == &norm[i + n..i + 2 * n] && a == &norm[i + 2 * n..i + 3 * n] {
                return Some((i + n, n));
            }
        }
    }
    None
}

/// `heard` with every loop cut down to its first round: the repeats are dropped, words and
/// segments alike (a segment starting inside a dropped stretch goes with it).
fn without_loops(mut heard: Heard) -> Heard {
    while let Some((from, n)) = first_loop(&heard.words) {
        let phrase: Vec<String> = heard.words[from - n..from]
            .iter()
            .map(|w| super::normalized(&w.word))
            .collect();
        let mut to = from;
        while to + n <= heard.words.len()
            && heard.words[to..to + n]
                .iter()
                .map(|w| super::normalized(&w.word))
                .eq(phrase.iter().cloned())
        {
            to += n;
        }
        let (cut_from, cut_to) = (heard.words[from].start_s, heard.words[to - 1].end_s);
        heard.words.drain(from..to);
        heard
            .segments
            .retain(|s| !(s.start_s >= cut_from && s.start_s < cut_to));
    }
    heard
}

/// Hears `samples` after `before`; a result that loops is heard again without the context, and
/// whatever loop is left is cut down to one round. `None` when `watch` stopped it.
fn hear(
    model: &Model,
    samples: &[f32],
    threads: usize,
    before: &str,
    watch: Watch,
) -> Result<Option<Heard>> {
    let fit = watch.fit;
    let Some(heard) = model.transcribe_watched(samples, threads, before, watch)? else {
        return Ok(None);
    };
    if first_loop(&heard.words).is_none() {
        return Ok(Some(heard));
    }
    log::info!("a piece looped; heard again without the words before it");
    let again = if before.is_empty() {
        None
    } else {
        let watch = Watch {
            fit,
            ..Watch::default()
        };
        model.transcribe_watched(samples, threads, "", watch)?
    };
    Ok(Some(without_loops(again.unwrap_or(heard))))
}

/// `heard`, its times moved `by` seconds later.
fn shifted(mut heard: Heard, by: f64) -> Heard {
    for s in &mut heard.segments {
        s.start_s += by;
        s.end_s += by;
    }
    for w in &mut heard.words {
        w.start_s += by;
        w.end_s += by;
    }
    heard
}

impl LiveTranscript {
    /// Nothing heard yet of a take recorded at `rate`.
    pub fn new(rate: u32) -> LiveTranscript {
        LiveTranscript {
            heard: Heard {
                segments: Vec::new(),
                words: Vec::new(),
            },
            covered: 0,
            rate: rate.max(1),
            tail: None,
        }
    }

    /// Frames of the take heard so far (at the take's rate), by pieces only.
    pub fn covered_frames(&self) -> u64 {
        self.covered
    }

    /// Frames of the take heard so far, the latest tail included: what Stop leaves is the rest.
    pub fn heard_frames(&self) -> u64 {
        self.tail.as_ref().map_or(self.covered, |(end, _)| *end)
    }

    /// Hears one piece. A piece that does not start where the last one ended (one went missing)
    /// is left for `finish`, which reads the rest from the file. Returns false, hearing nothing,
    /// when `watch` stopped it.
    pub fn add(
        &mut self,
        model: &Model,
        piece: &Piece,
        threads: usize,
        watch: Watch,
    ) -> Result<bool> {
        if piece.start_frame != self.covered || piece.rate != self.rate {
            return Ok(true);
        }
        let samples = to_16k(piece.samples.clone(), piece.rate).map_err(|reason| {
            crate::CoreError::TranscriptionFailed {
                model: model.info.name.clone(),
                reason,
            }
        })?;
        let end = self.covered + piece.samples.len() as u64;
        if piece.provisional {
            // A tail: heard whole (hearing only what is new since the last tail was cheaper but
            // cost 2.5 points of word error on the 3-minute answer), with an encoder sized to it,
            // kept aside until Stop or until the real piece replaces it.
            if self.tail.as_ref().is_some_and(|(e, _)| *e >= end) {
                return Ok(true);
            }
            let heard = if has_speech(&samples) {
                let fit = Watch { fit: true, ..watch };
                match hear(model, &samples, threads, &self.context(), fit)? {
                    Some(h) => h,
                    None => return Ok(false),
                }
            } else {
                Heard {
                    segments: Vec::new(),
                    words: Vec::new(),
                }
            };
            self.tail = Some((end, heard));
            return Ok(true);
        }
        self.tail = None;
        if has_speech(&samples) {
            let before = self.context();
            let Some(heard) = hear(model, &samples, threads, &before, watch)? else {
                return Ok(false);
            };
            self.append(heard);
        }
        self.covered = end;
        Ok(true)
    }

    /// The last words heard, as the context for the next piece (a whole file carries about as
    /// much from one 30 s window to the next).
    fn context(&self) -> String {
        let words = &self.heard.words;
        words[words.len().saturating_sub(CONTEXT_WORDS)..]
            .iter()
            .map(|w| w.word.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn append(&mut self, heard: Heard) {
        let at = self.covered as f64 / f64::from(self.rate);
        let heard = shifted(heard, at);
        self.heard.segments.extend(heard.segments);
        self.heard.words.extend(heard.words);
    }

    /// Hears the rest of the take from its file (everything after the pieces and the latest
    /// tail) and returns the whole take's words.
    pub fn finish(mut self, model: &Model, file: &Path, threads: usize) -> Result<Heard> {
        if let Some((end, heard)) = self.tail.take() {
            self.append(heard);
            self.covered = end;
        }
        let rest = read_16k_from(file, self.covered)?;
        if has_speech(&rest) {
            let before = self.context();
            let fit = Watch {
                fit: true,
                ..Watch::default()
            };
            if let Some(heard) = hear(model, &rest, threads, &before, fit)? {
                self.append(heard);
            }
        }
        Ok(self.heard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heard(text: &str) -> Heard {
        Heard {
            segments: vec![super::super::Segment {
                start_s: 0.0,
                end_s: 1.0,
                text: text.into(),
            }],
            words: super::super::timed_words(text, 1.0, 0.5),
        }
    }

    #[test]
    fn a_loop_is_cut_to_one_round_and_speech_that_repeats_less_is_kept() {
        let looped = heard(
            "So the data. I don't have the data, I don't have the data, I don't have the \
             data, I don't have the data. Then we ship.",
        );
        // "the data I don't have" from the second word, round after round.
        assert_eq!(first_loop(&looped.words), Some((6, 5)));
        let kept: Vec<String> = without_loops(looped)
            .words
            .iter()
            .map(|w| w.word.clone())
            .collect();
        assert_eq!(
            kept.join(" "),
            "So the data. I don't have the data. Then we ship."
        );
        // Said twice, or a short word said thrice ("very, very, very"), is speech.
        for speech in [
            "I don't know, I don't know, and then we ask.",
            "It was very, very, very late.",
        ] {
            assert_eq!(first_loop(&heard(speech).words), None, "{speech}");
        }
    }

    #[test]
    fn silence_holds_no_speech_and_a_voice_does() {
        let quiet: Vec<f32> = (0..32_000).map(|i| 0.0003 * (i as f32).sin()).collect();
        assert!(!has_speech(&quiet));
        assert!(!has_speech(&[]));
        let mut voiced = quiet.clone();
        for (i, s) in voiced[8_000..16_000].iter_mut().enumerate() {
            *s = 0.3 * (i as f32 * 0.05).sin();
        }
        assert!(has_speech(&voiced));
    }
}
