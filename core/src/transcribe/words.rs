//! Whisper's tokens merged into words: a token that starts with a space begins a word; the
//! others (" cad" + "ence", a comma, a full stop) continue the word before them.

use serde::{Deserialize, Serialize};

/// One text token as whisper.cpp gives it, with its times and probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Its text, with the leading space that marks the start of a word.
    pub text: String,
    /// Where it starts, in seconds from the start of the audio.
    pub start_s: f64,
    /// Where it ends, in seconds.
    pub end_s: f64,
    /// How sure the model was of it (0 to 1).
    pub p: f32,
}

/// One word of a transcript, as said (fillers and all), with its times and how sure the model was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Word {
    /// The word with the punctuation written after it ("sure," "know.").
    pub word: String,
    /// Where it starts, in seconds from the start of the take.
    pub start_s: f64,
    /// Where it ends, in seconds.
    pub end_s: f64,
    /// How sure the model was of its least certain piece (0 to 1).
    pub p: f32,
}

/// Merges tokens into words, in order. Tokens with no text are skipped; a word's times run from
/// its first piece's start to its last piece's end (never backwards), its probability is its
/// least certain piece's.
pub fn merge(tokens: &[Token]) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    for t in tokens {
        if t.text.trim().is_empty() {
            continue;
        }
        let starts_word = t.text.starts_with(' ') || words.is_empty();
        match words.last_mut() {
            Some(w) if !starts_word => {
                w.word.push_str(&t.text);
                w.end_s = w.end_s.max(t.end_s);
                w.p = w.p.min(t.p);
            }
            _ => words.push(Word {
                word: t.text.trim_start().to_string(),
                start_s: t.start_s,
                end_s: t.end_s.max(t.start_s),
                p: t.p,
            }),
        }
    }
    for w in &mut words {
        w.word = w.word.trim_end().to_string();
    }
    words
}

/// Frames of this many samples (10 ms at 16 kHz) when words are fitted to the sound.
const FRAME: usize = 160;

/// Fits word times to the sound. whisper.cpp places a word roughly: its aligned time (DTW) falls
/// inside the word, often late, and a plain token time can sit in the silence before it. So a
/// word whose time is in silence moves forward to the next sound (before the next word), and a
/// word that follows a silence starts where its sound does; within running speech a word keeps
/// its time. A word ends where its sound does, or where the next word starts. A frame (10 ms) is
/// voiced when its level is 30 % of the way from the audio's floor (10th percentile) to its speech
/// (95th), as the pause analysis judges it. `samples` are the 16 kHz samples the times count from.
pub fn snap_to_sound(words: &mut [Word], samples: &[f32]) {
    let levels: Vec<f32> = samples
        .chunks(FRAME)
        .map(|f| {
            let rms = (f.iter().map(|v| v * v).sum::<f32>() / f.len() as f32).sqrt();
            20.0 * rms.max(1e-6).log10()
        })
        .collect();
    if levels.len() < 10 {
        return;
    }
    let mut sorted = levels.clone();
    sorted.sort_by(f32::total_cmp);
    let at = |q: f32| sorted[((sorted.len() - 1) as f32 * q) as usize];
    let (floor, speech) = (at(0.10), at(0.95));
    if speech - floor < 10.0 {
        return; // no speech to tell from the floor
    }
    let threshold = floor + 0.3 * (speech - floor);
    let voiced = |i: usize| levels.get(i).is_some_and(|l| *l >= threshold);
    let frame_s = FRAME as f64 / 16_000.0;
    let frame_of = |t: f64| ((t / frame_s).floor().max(0.0) as usize).min(levels.len() - 1);
    // A silence of this many frames (100 ms) separates words; shorter gaps are within speech.
    const GAP: usize = 10;

    let original: Vec<f64> = words.iter().map(|w| w.start_s).collect();
    let mut earliest = 0usize;
    for (i, w) in words.iter_mut().enumerate() {
        let next = original
            .get(i + 1)
            .map_or(levels.len(), |t| frame_of(*t).max(earliest + 1));
        let mut k = frame_of(w.start_s).max(earliest);
        if !voiced(k) {
            match (k..next.min(levels.len())).find(|j| voiced(*j)) {
                Some(j) => k = j,
                None => {
                    earliest = k;
                    continue;
                }
            }
        }
        // Back over the word's own sound: to its onset when a silence comes before it.
        let mut on = k;
        let mut quiet = 0;
        let mut j = k;
        while j > earliest {
            j -= 1;
            if voiced(j) {
                on = j;
                quiet = 0;
            } else {
                quiet += 1;
                if quiet >= GAP {
                    break;
                }
            }
        }
        // A silence before it, or the start of the audio: the word starts with its sound.
        let after_silence = quiet >= GAP || (j == 0 && earliest == 0);
        let start = if after_silence {
            on
        } else {
            k.min(frame_of(w.start_s))
        };
        // Forward to where its sound stops, or the next word starts.
        let mut off = k;
        let mut quiet = 0;
        for j in k..next.min(levels.len()) {
            if voiced(j) {
                off = j;
                quiet = 0;
            } else {
                quiet += 1;
                if quiet >= GAP * 2 {
                    break;
                }
            }
        }
        w.start_s = start as f64 * frame_s;
        w.end_s = ((off + 1) as f64 * frame_s).max(w.start_s);
        earliest = start + 1;
    }
}

/// A word as compared with cue lists: lower case, curly apostrophes made straight, and the
/// punctuation around it taken off ("Um," → "um", "Don’t" → "don't").
pub fn normalized(word: &str) -> String {
    word.to_lowercase()
        .replace(['\u{2019}', '\u{2018}'], "'")
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        .trim_matches('\'')
        .to_string()
}

/// Words of `text` as a transcript holds them, one every `step_s` seconds, each `len_s` long
/// (for tests on fixed transcripts).
#[cfg(test)]
pub(crate) fn timed_words(text: &str, step_s: f64, len_s: f64) -> Vec<Word> {
    text.split_whitespace()
        .enumerate()
        .map(|(i, w)| Word {
            word: w.into(),
            start_s: i as f64 * step_s,
            end_s: i as f64 * step_s + len_s,
            p: 0.9,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(text: &str, start_s: f64, end_s: f64, p: f32) -> Token {
        Token {
            text: text.into(),
            start_s,
            end_s,
            p,
        }
    }

    #[test]
    fn sub_word_tokens_and_punctuation_join_the_word_before_them() {
        let words = merge(&[
            tok(" The", 0.0, 0.2, 0.9),
            tok(" cad", 0.3, 0.5, 0.8),
            tok("ence", 0.5, 0.7, 0.6),
            tok(",", 0.7, 0.7, 0.99),
            tok(" um", 0.9, 1.1, 0.7),
            tok("", 1.1, 1.1, 0.1),
            tok(" breaks", 1.2, 1.6, 0.95),
            tok(".", 1.6, 1.6, 0.9),
        ]);
        let texts: Vec<&str> = words.iter().map(|w| w.word.as_str()).collect();
        assert_eq!(texts, ["The", "cadence,", "um", "breaks."]);
        assert_eq!((words[1].start_s, words[1].end_s), (0.3, 0.7));
        assert!((words[1].p - 0.6).abs() < 1e-6);
    }

    #[test]
    fn the_first_token_starts_a_word_even_without_a_space_and_times_never_run_backwards() {
        let words = merge(&[tok("I", 0.5, 0.4, 0.9), tok("'m", 0.6, 0.7, 0.9)]);
        assert_eq!(words.len(), 1);
        assert_eq!(words[0].word, "I'm");
        assert_eq!((words[0].start_s, words[0].end_s), (0.5, 0.7));
    }

    #[test]
    fn a_word_after_a_silence_starts_where_its_sound_does() {
        // 1 s of silence, 0.5 s of tone, 0.5 s of silence, 0.5 s of tone, at 16 kHz.
        let tone = |n: usize| {
            (0..n)
                .map(|i| (i as f32 * 0.1).sin() * 0.5)
                .collect::<Vec<_>>()
        };
        let mut samples = vec![0.0f32; 16_000];
        samples.extend(tone(8_000));
        samples.extend(vec![0.0f32; 8_000]);
        samples.extend(tone(8_000));
        let w = |word: &str, start_s: f64, end_s: f64| Word {
            word: word.into(),
            start_s,
            end_s,
            p: 0.9,
        };
        // Placed in the silence before its sound; placed late inside its sound.
        let mut words = vec![w("early", 0.4, 0.7), w("late", 2.2, 2.4)];
        snap_to_sound(&mut words, &samples);
        assert!((words[0].start_s - 1.0).abs() < 0.015, "{:?}", words[0]);
        assert!((words[0].end_s - 1.5).abs() < 0.015, "{:?}", words[0]);
        assert!((words[1].start_s - 2.0).abs() < 0.015, "{:?}", words[1]);
        assert!((words[1].end_s - 2.5).abs() < 0.015, "{:?}", words[1]);
        // No sound at all: times kept.
        let mut quiet = vec![w("none", 0.1, 0.3)];
        snap_to_sound(&mut quiet, &vec![0.0f32; 16_000]);
        assert_eq!((quiet[0].start_s, quiet[0].end_s), (0.1, 0.3));
    }

    #[test]
    fn words_are_compared_without_case_or_punctuation() {
        assert_eq!(normalized("Um,"), "um");
        assert_eq!(normalized("Don\u{2019}t"), "don't");
        assert_eq!(normalized("\"know.\""), "know");
        assert_eq!(normalized("..."), "");
    }
}
