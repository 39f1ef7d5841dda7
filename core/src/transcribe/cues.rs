//! The words Candor listens for in a transcript (`assets/cues.toml`): fillers, counted, and
//! uncertainty said out loud, listed with its times and never counted as a fault.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::words::{normalized, Word};
use crate::bank::{LineIndex, Problems};
use crate::error::Result;

/// The cue lists shipped with Candor, validated at start-up.
pub const BUILTIN_CUES: &str = include_str!("../../../assets/cues.toml");

/// Largest cue file read.
pub const MAX_FILE_BYTES: usize = 200_000;

/// The cue lists, each entry normalized and split into words.
#[derive(Debug, Clone, PartialEq)]
pub struct Cues {
    /// Single words that fill a pause ("um").
    pub fillers: Vec<String>,
    /// Phrases that voice uncertainty ("i don't know"), as words.
    pub hedges: Vec<Vec<String>>,
}

/// One place a cue was heard: the words as said, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Heard {
    /// The words as transcribed ("Um,", "I don't know").
    pub text: String,
    /// Where the first word starts, in seconds.
    pub start_s: f64,
    /// Where the last word ends, in seconds.
    pub end_s: f64,
    /// Index of the first word in the transcript's words.
    pub word: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCues {
    version: Spanned<u32>,
    fillers: Spanned<Vec<String>>,
    hedges: Spanned<Vec<String>>,
}

/// Whether a TOML text is a cue file (it lists fillers).
pub fn is_cues(src: &str) -> bool {
    src.lines().any(|l| l.trim_start().starts_with("fillers"))
}

/// Parses and validates cue lists; every problem is given with its line and column.
pub fn parse(src: &str, name: &str) -> Result<Cues> {
    if src.len() > MAX_FILE_BYTES {
        return Err(crate::bank::whole_file(
            name,
            crate::bank::too_big_message(Some(src.len() as u64), "cue", MAX_FILE_BYTES),
        ));
    }
    let index = LineIndex::new(src);
    let raw: RawCues =
        toml::from_str(src).map_err(|e| crate::bank::toml_error(&e, &index, name))?;
    let mut found = Problems::new(name);
    if *raw.version.get_ref() != 1 {
        found.at(
            raw.version.span().start,
            format!(
                "version {} is not supported (expected 1)",
                raw.version.get_ref()
            ),
        );
    }
    let fillers: Vec<String> = raw
        .fillers
        .get_ref()
        .iter()
        .map(|f| normalized(f))
        .collect();
    if fillers.is_empty() || fillers.iter().any(|f| f.is_empty() || f.contains(' ')) {
        found.at(
            raw.fillers.span().start,
            "fillers must be single words, at least one, none empty".into(),
        );
    }
    let hedges: Vec<Vec<String>> = raw
        .hedges
        .get_ref()
        .iter()
        .map(|h| {
            h.split_whitespace()
                .map(normalized)
                .filter(|w| !w.is_empty())
                .collect()
        })
        .collect();
    if hedges.is_empty() || hedges.iter().any(Vec::is_empty) {
        found.at(
            raw.hedges.span().start,
            "hedges must be phrases of at least one word, at least one, none empty".into(),
        );
    }
    found.finish(&index)?;
    Ok(Cues { fillers, hedges })
}

/// The cue lists shipped with Candor.
pub fn builtin() -> Result<Cues> {
    parse(BUILTIN_CUES, "assets/cues.toml")
}

impl Cues {
    /// Every filler said, in order.
    pub fn fillers_in(&self, words: &[Word]) -> Vec<Heard> {
        words
            .iter()
            .enumerate()
            .filter(|(_, w)| self.fillers.contains(&normalized(&w.word)))
            .map(|(i, w)| Heard {
                text: w.word.clone(),
                start_s: w.start_s,
                end_s: w.end_s,
                word: i as u32,
            })
            .collect()
    }

    /// Every place uncertainty was said out loud, in order; where phrases overlap ("i don't
    /// know" inside "i don't know yet"), the longest starting first is kept.
    pub fn hedges_in(&self, words: &[Word]) -> Vec<Heard> {
        let norm: Vec<String> = words.iter().map(|w| normalized(&w.word)).collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < norm.len() {
            let longest = self
                .hedges
                .iter()
                .filter(|h| norm[i..].starts_with(h))
                .map(Vec::len)
                .max();
            match longest {
                Some(n) => {
                    let span = &words[i..i + n];
                    out.push(Heard {
                        text: span
                            .iter()
                            .map(|w| w.word.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                        start_s: span[0].start_s,
                        end_s: span[n - 1].end_s,
                        word: i as u32,
                    });
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Word> {
        text.split_whitespace()
            .enumerate()
            .map(|(i, w)| Word {
                word: w.into(),
                start_s: i as f64,
                end_s: i as f64 + 0.5,
                p: 0.9,
            })
            .collect()
    }

    #[test]
    fn the_shipped_cues_are_valid() {
        let c = builtin().unwrap();
        assert!(c.fillers.contains(&"um".to_string()));
        assert!(c.hedges.iter().any(|h| h.join(" ") == "i don't know"));
    }

    #[test]
    fn fillers_and_voiced_uncertainty_are_found_with_their_times() {
        let c = builtin().unwrap();
        let w = words(
            "So, um, I don\u{2019}t know yet. Uh, I'd want to find out who owns it. Umbrella.",
        );
        let fillers: Vec<(String, f64)> = c
            .fillers_in(&w)
            .into_iter()
            .map(|h| (h.text, h.start_s))
            .collect();
        assert_eq!(
            fillers,
            [("um,".to_string(), 1.0), ("Uh,".to_string(), 6.0)]
        );
        let hedges: Vec<(String, f64, f64)> = c
            .hedges_in(&w)
            .into_iter()
            .map(|h| (h.text, h.start_s, h.end_s))
            .collect();
        assert_eq!(
            hedges,
            [
                ("I don\u{2019}t know".to_string(), 2.0, 4.5),
                ("I'd want to find out".to_string(), 7.0, 11.5)
            ]
        );
    }

    #[test]
    fn a_bad_cue_file_is_refused_with_line_and_column() {
        let e = parse(
            "version = 1\nfillers = [\"um\", \"two words\"]\nhedges = []\n",
            "c.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("c.toml:2:11: fillers must be single words"),
            "{e}"
        );
        assert!(e.contains("c.toml:3:10: hedges must be phrases"), "{e}");
    }
}
