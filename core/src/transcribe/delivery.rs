//! Delivery measured from the words of a take: pace, fillers, the longest stretch without one,
//! and the phrases said again and again. Plain figures; what they mean is the user's call.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::cues::Cues;
use super::words::{normalized, Word};

/// How many repeated phrases are kept, most repeated first.
pub const MAX_REPEATS: usize = 5;

/// The longest phrase looked for, in words.
const LONGEST_PHRASE: usize = 6;

/// A stretch said again as a whole is shown up to this many words (then "…").
const LONGEST_STRETCH: usize = 12;

/// Below this much speech (first word to last), rates per minute say nothing and are left out.
pub const MIN_SPEAKING_S: f64 = 10.0;

/// A phrase said several times in one take, with where each time starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Repeat {
    /// The phrase, normalized ("you know").
    pub phrase: String,
    /// How many times it was said.
    pub count: u32,
    /// Where each time starts, in seconds.
    pub at_s: Vec<f64>,
}

/// A take's delivery as read from its words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct WordDelivery {
    /// Words said, fillers not counted.
    pub words: u32,
    /// Fillers said ("um", "uh").
    pub fillers: u32,
    /// From the first word's start to the last word's end, seconds.
    pub speaking_s: f64,
    /// Words (fillers not counted) per minute of speaking; none under 10 s of speech.
    pub words_per_min: Option<f64>,
    /// Fillers per minute of speaking; none under 10 s of speech.
    pub fillers_per_min: Option<f64>,
    /// The longest stretch of speech without a filler, seconds (all of it when there is none).
    pub longest_without_filler_s: f64,
    /// Where that stretch starts, seconds.
    pub longest_without_filler_at_s: f64,
    /// Phrases said again and again, most repeated first (at most five).
    pub repeated: Vec<Repeat>,
    /// Times uncertainty was said out loud (listed in the transcript; never a fault).
    pub uncertainty: u32,
}

impl WordDelivery {
    /// Measures the delivery of `words` with the cue lists (fillers, common words).
    pub fn of(words: &[Word], cues: &Cues) -> WordDelivery {
        let is_filler: Vec<bool> = words
            .iter()
            .map(|w| cues.fillers.contains(&normalized(&w.word)))
            .collect();
        let fillers = is_filler.iter().filter(|f| **f).count() as u32;
        let said = words.len() as u32 - fillers;
        let (first, last) = match (words.first(), words.last()) {
            (Some(f), Some(l)) => (f.start_s, l.end_s.max(f.start_s)),
            _ => (0.0, 0.0),
        };
        let speaking_s = last - first;
        let per_min = |n: u32| (speaking_s >= MIN_SPEAKING_S).then(|| n as f64 * 60.0 / speaking_s);
        let (longest, at) = longest_without_filler(words, &is_filler, first, last);
        WordDelivery {
            words: said,
            fillers,
            speaking_s,
            words_per_min: per_min(said),
            fillers_per_min: per_min(fillers),
            longest_without_filler_s: longest,
            longest_without_filler_at_s: at,
            repeated: repeated(words, &is_filler, cues),
            uncertainty: cues.hedges_in(words).len() as u32,
        }
    }
}

/// The longest stretch between fillers (or the take's first and last word): (seconds, start).
fn longest_without_filler(words: &[Word], is_filler: &[bool], first: f64, last: f64) -> (f64, f64) {
    let mut best = (0.0, first);
    let mut from = first;
    for (w, _) in words.iter().zip(is_filler).filter(|(_, f)| **f) {
        if w.start_s - from > best.0 {
            best = (w.start_s - from, from);
        }
        from = w.end_s;
    }
    if last - from > best.0 {
        best = (last - from, from);
    }
    best
}

/// Phrases of two to six words said again and again: a two-word phrase three times or more, a
/// longer one twice or more. Fillers are skipped over; a phrase made only of common words does
/// not count ("of the"); a phrase inside a longer one said as often is dropped for the longer one.
fn repeated(words: &[Word], is_filler: &[bool], cues: &Cues) -> Vec<Repeat> {
    let kept: Vec<(String, f64)> = words
        .iter()
        .zip(is_filler)
        .filter(|(_, f)| !**f)
        .map(|(w, _)| (normalized(&w.word), w.start_s))
        .filter(|(w, _)| !w.is_empty())
        .collect();
    // (where each time starts, in kept words; phrase length)
    let mut found: Vec<(Vec<usize>, usize)> = Vec::new();
    for n in 2..=LONGEST_PHRASE {
        let mut seen: HashMap<Vec<&str>, Vec<usize>> = HashMap::new();
        for (i, win) in kept.windows(n).enumerate() {
            let phrase: Vec<&str> = win.iter().map(|(w, _)| w.as_str()).collect();
            if phrase
                .iter()
                .all(|w| cues.common_words.iter().any(|c| c == w))
            {
                continue;
            }
            let starts = seen.entry(phrase).or_default();
            // Overlapping copies ("very very very") count once.
            if starts.last().is_none_or(|&s| i >= s + n) {
                starts.push(i);
            }
        }
        let least = if n == 2 { 3 } else { 2 };
        found.extend(
            seen.into_values()
                .filter(|at| at.len() >= least)
                .map(|at| (at, n)),
        );
    }
    // A stretch said again as a whole shows once, as far as it goes the same each time, not as
    // every six-word window of it.
    let same = |i: usize, j: usize| kept.get(i).map(|w| &w.0) == kept.get(j).map(|w| &w.0);
    for (starts, n) in &mut found {
        while starts.iter().all(|&s| s + *n < kept.len())
            && starts
                .windows(2)
                .all(|w| w[0] + *n < w[1] && same(w[0] + *n, w[1] + *n))
        {
            *n += 1;
        }
        while starts[0] > 0
            && starts
                .windows(2)
                .all(|w| w[0] + *n < w[1] && same(w[0] - 1, w[1] - 1))
        {
            starts.iter_mut().for_each(|s| *s -= 1);
            *n += 1;
        }
    }
    found.sort();
    found.dedup();
    let within = |(a, n): &(Vec<usize>, usize), (b, m): &(Vec<usize>, usize)| {
        (a, n) != (b, m)
            && a.len() == b.len()
            && a.iter().zip(b).all(|(&x, &y)| y <= x && x + n <= y + m)
    };
    let mut out: Vec<Repeat> = found
        .iter()
        .filter(|c| !found.iter().any(|d| within(c, d)))
        .map(|(starts, n)| Repeat {
            phrase: {
                let shown = &kept[starts[0]..starts[0] + n.min(&LONGEST_STRETCH)];
                let text = shown.iter().map(|w| w.0.as_str()).collect::<Vec<_>>();
                if *n > LONGEST_STRETCH {
                    format!("{} …", text.join(" "))
                } else {
                    text.join(" ")
                }
            },
            count: starts.len() as u32,
            at_s: starts.iter().map(|&s| kept[s].1).collect(),
        })
        .collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(
                b.phrase
                    .split(' ')
                    .count()
                    .cmp(&a.phrase.split(' ').count()),
            )
            .then(a.at_s[0].total_cmp(&b.at_s[0]))
    });
    out.truncate(MAX_REPEATS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcribe::cues::builtin;

    /// Words one per half second: "a b c" -> a at 0.0-0.4, b at 0.5-0.9...
    fn words(text: &str) -> Vec<Word> {
        crate::transcribe::timed_words(text, 0.5, 0.4)
    }

    #[test]
    fn pace_and_fillers_are_counted_per_minute_of_speech() {
        let cues = builtin().unwrap();
        // 32 words, fillers at word 0, 12 and 21: speech from 0.0 to 15.9 s.
        let text = "um I think the cadence breaks first because the team ships weekly uh and \
                    the thresholds move slower than that so um the review queue grows every \
                    sprint until someone notices it";
        let w = words(text);
        assert_eq!(w.len(), 32);
        let d = WordDelivery::of(&w, &cues);
        assert_eq!((d.words, d.fillers), (29, 3));
        assert!((d.speaking_s - 15.9).abs() < 1e-9);
        assert!((d.words_per_min.unwrap() - 29.0 * 60.0 / 15.9).abs() < 1e-9);
        assert!((d.fillers_per_min.unwrap() - 3.0 * 60.0 / 15.9).abs() < 1e-9);
        // Stretches without a filler: 0.4 to 6.0 (5.6 s), 6.4 to 10.5 (4.1 s), 10.9 to 15.9 (5 s).
        assert!((d.longest_without_filler_s - 5.6).abs() < 1e-9, "{d:?}");
        assert!((d.longest_without_filler_at_s - 0.4).abs() < 1e-9);
    }

    #[test]
    fn without_fillers_the_whole_answer_is_one_stretch_and_short_answers_have_no_rates() {
        let cues = builtin().unwrap();
        let d = WordDelivery::of(&words("I would ask the people who run it"), &cues);
        assert_eq!(d.fillers, 0);
        assert!((d.longest_without_filler_s - d.speaking_s).abs() < 1e-9);
        assert_eq!((d.words_per_min, d.fillers_per_min), (None, None));
        let empty = WordDelivery::of(&[], &cues);
        assert_eq!((empty.words, empty.speaking_s), (0, 0.0));
        assert!(empty.repeated.is_empty());
    }

    /// The repeated phrases and how often each was said.
    fn said_again(d: &WordDelivery) -> Vec<(&str, u32)> {
        d.repeated
            .iter()
            .map(|r| (r.phrase.as_str(), r.count))
            .collect()
    }

    #[test]
    fn a_stretch_said_twice_shows_once_not_as_every_window_of_it() {
        let cues = builtin().unwrap();
        let d = WordDelivery::of(
            &words(
                "I asked the team to check the data before we ran a small experiment. \
                 Then I asked the team to check the data before we ran a small experiment.",
            ),
            &cues,
        );
        let got = said_again(&d);
        assert_eq!(
            got,
            [("i asked the team to check the data before we ran a …", 2)],
            "{:?}",
            d.repeated
        );
    }

    #[test]
    fn habits_repeat_and_grammar_does_not() {
        let cues = builtin().unwrap();
        let d = WordDelivery::of(
            &words(
                "you know the cost of the change is real, you know, and the cost of the delay \
                 um you know is real too. At the end of the day we shipped. At the end of the \
                 day it held. very very very",
            ),
            &cues,
        );
        let got = said_again(&d);
        // "you know" three times (a filler before it does not hide it); "at the end of the day"
        // twice, its shorter pieces dropped; "the cost of the" twice; "is real" twice is too few
        // for two words; "of the" is grammar; "very very" overlapping counts once.
        assert_eq!(
            got,
            [
                ("you know", 3),
                ("at the end of the day", 2),
                ("the cost of the", 2),
            ],
            "{:?}",
            d.repeated
        );
        assert_eq!(d.repeated[0].at_s, [0.0, 4.5, 9.0]);
        assert_eq!(d.uncertainty, 0);
    }
}
