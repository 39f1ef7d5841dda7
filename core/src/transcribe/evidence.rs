//! Hints for the rating steps, read from the words of an answer and its replies: the sentences
//! that voiced uncertainty (and whether a way to find out followed), the sentences with
//! consequence language (in the first answer, unprompted, or only after a push-back), and the
//! phrases that may read as a red flag. Hints point at sentences; they never score.

use std::ops::Range;

use serde::Serialize;

use super::cues::{find, Cues};
use super::words::Word;

/// A silence this long ends a sentence even without a full stop.
const SENTENCE_GAP_S: f64 = 1.5;

/// One sentence a hint points at.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Hint {
    /// The recording it is in (the answer or a reply).
    pub take_id: String,
    /// 0 for the first answer, n for the reply to the n-th push-back.
    pub reply: u32,
    /// The sentence, as transcribed.
    pub sentence: String,
    /// Where the sentence starts, seconds into its recording.
    pub start_s: f64,
    /// The words that made it a hint ("I'm not sure", "which means", "in the end").
    pub cue: String,
    /// For voiced uncertainty: the way to find out said in that sentence or the next, if one was.
    pub followed_by: Option<String>,
    /// For a phrase that may read as a red flag: the rubric's key of that flag.
    pub flag: Option<String>,
}

/// Every hint for one answer, in the order said.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct EvidenceHints {
    /// Sentences voicing uncertainty: for the knowledge-gaps step.
    pub uncertainty: Vec<Hint>,
    /// Sentences with consequence language: for the second-order step.
    pub consequences: Vec<Hint>,
    /// Phrases that may read as a red flag: for the red-flags step.
    pub flags: Vec<Hint>,
    /// Recordings of this answer (answer and replies) with no transcript yet.
    pub untranscribed: u32,
}

/// One recording's words: its take id and its place (0 the answer, n the n-th reply).
pub struct Said<'a> {
    /// The take.
    pub take_id: &'a str,
    /// 0 for the answer, n for the n-th reply.
    pub reply: u32,
    /// Its words.
    pub words: &'a [Word],
}

/// Word ranges of the sentences: a sentence ends at a word ending in '.', '?' or '!', or before
/// a silence of 1.5 s or more.
pub(crate) fn sentences(words: &[Word]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    for (i, w) in words.iter().enumerate() {
        let ends = w.word.ends_with(['.', '?', '!'])
            || words
                .get(i + 1)
                .is_some_and(|n| n.start_s - w.end_s >= SENTENCE_GAP_S);
        if ends || i + 1 == words.len() {
            out.push(from..i + 1);
            from = i + 1;
        }
    }
    out
}

fn text(words: &[Word]) -> String {
    words
        .iter()
        .map(|w| w.word.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

impl EvidenceHints {
    /// Reads the hints from an answer's recordings (`said`, the answer first), with the cues.
    pub fn of(said: &[Said<'_>], cues: &Cues, untranscribed: u32) -> EvidenceHints {
        let mut out = EvidenceHints {
            untranscribed,
            ..EvidenceHints::default()
        };
        for s in said {
            let ranges = sentences(s.words);
            let hint = |r: &Range<usize>, cue: String| Hint {
                take_id: s.take_id.to_string(),
                reply: s.reply,
                sentence: text(&s.words[r.clone()]),
                start_s: s.words[r.start].start_s,
                cue,
                followed_by: None,
                flag: None,
            };
            for (k, r) in ranges.iter().enumerate() {
                let here = &s.words[r.clone()];
                if let Some((h, _)) = find(cues.hedges.iter(), here).into_iter().next() {
                    // A way to find out after the voiced gap: later in the sentence, or the next.
                    let after =
                        (r.start + h.word as usize + 1)..ranges.get(k + 1).map_or(r.end, |n| n.end);
                    let way = find(cues.find_out.iter(), &s.words[after])
                        .into_iter()
                        .next()
                        .map(|(w, _)| w.text);
                    out.uncertainty.push(Hint {
                        followed_by: way,
                        ..hint(r, h.text)
                    });
                }
                if let Some((c, _)) = find(cues.consequences.iter(), here).into_iter().next() {
                    out.consequences.push(hint(r, c.text));
                }
                let flagged = find(cues.flag_phrases.iter().map(|(_, p)| p), here);
                let mut named: Vec<&str> = Vec::new();
                for (f, i) in flagged {
                    let key = cues.flag_phrases[i].0.as_str();
                    if !named.contains(&key) {
                        named.push(key);
                        out.flags.push(Hint {
                            flag: Some(key.to_string()),
                            ..hint(r, f.text)
                        });
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcribe::cues::builtin;

    /// Words one per half second; "//" marks a 2 s silence.
    fn words(text: &str) -> Vec<Word> {
        let mut t = 0.0;
        let mut out = Vec::new();
        for w in text.split_whitespace() {
            if w == "//" {
                t += 2.0;
                continue;
            }
            out.push(Word {
                word: w.into(),
                start_s: t,
                end_s: t + 0.4,
                p: 0.9,
            });
            t += 0.5;
        }
        out
    }

    /// The hints of a first answer alone, with the shipped cues.
    fn first_answer(words: &[Word]) -> EvidenceHints {
        let said = Said {
            take_id: "a",
            reply: 0,
            words,
        };
        EvidenceHints::of(&[said], &builtin().unwrap(), 0)
    }

    #[test]
    fn voiced_gaps_say_whether_a_way_to_find_out_followed() {
        let answer = words(
            "I don't know how often it fails. I'd ask the on-call team for last quarter's pages. \
             I'm not sure the team would agree // and that is all. Honestly, I might be wrong.",
        );
        let h = first_answer(&answer);
        let got: Vec<(&str, &str, Option<&str>)> = h
            .uncertainty
            .iter()
            .map(|h| {
                (
                    h.sentence.as_str(),
                    h.cue.as_str(),
                    h.followed_by.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "I don't know how often it fails.",
                    "I don't know",
                    Some("ask")
                ),
                ("I'm not sure the team would agree", "I'm not sure", None),
                ("Honestly, I might be wrong.", "I might be wrong.", None),
            ]
        );
        assert_eq!(h.uncertainty[1].start_s, 8.0);
    }

    #[test]
    fn consequences_are_told_apart_as_unprompted_or_after_a_push_back() {
        let cues = builtin().unwrap();
        let answer = words("We shipped it. That means the review queue doubles in a month.");
        let reply = words("Fine. Downstream, the auditors lose a week. It leads to shortcuts.");
        let h = EvidenceHints::of(
            &[
                Said {
                    take_id: "a",
                    reply: 0,
                    words: &answer,
                },
                Said {
                    take_id: "r1",
                    reply: 1,
                    words: &reply,
                },
            ],
            &cues,
            1,
        );
        let got: Vec<(u32, &str, &str)> = h
            .consequences
            .iter()
            .map(|h| (h.reply, h.take_id.as_str(), h.cue.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (0, "a", "That means"),
                (1, "r1", "Downstream,"),
                (1, "r1", "leads to")
            ]
        );
        assert_eq!(h.untranscribed, 1);
        assert!(h.uncertainty.is_empty());
    }

    #[test]
    fn phrases_that_may_read_as_red_flags_name_the_flag_once_per_sentence() {
        let answer = words(
            "I'm passionate about your mission. In the end everyone was happy and the result \
             was great. Great question, I completely agree.",
        );
        let h = first_answer(&answer);
        let got: Vec<(&str, &str)> = h
            .flags
            .iter()
            .map(|h| (h.flag.as_deref().unwrap(), h.cue.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("performing_alignment", "I'm passionate about"),
                ("sanitized_star", "In the end"),
                ("agreeing_with_everything", "Great question,"),
            ]
        );
    }
}
