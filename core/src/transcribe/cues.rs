//! The words Candor listens for in a transcript (`assets/cues.toml`): fillers, counted;
//! uncertainty said out loud, listed with its times and never counted as a fault; and the cues the
//! rating steps offer as hints (ways to find out, consequence language, phrases that read as
//! performed).

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
    /// Phrases that name a way to find out ("check", "ask the team"), as words.
    pub find_out: Vec<Vec<String>>,
    /// Phrases of consequence reasoning ("which means", "downstream"), as words.
    pub consequences: Vec<Vec<String>>,
    /// Phrases that may read as a red flag, each with the rubric's flag key.
    pub flag_phrases: Vec<(String, Vec<String>)>,
    /// Words too common to make a repeated phrase on their own ("of the").
    pub common_words: Vec<String>,
    /// SHA-256 of the cue file, hex: figures read with other lists are read again.
    pub sum: String,
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
    find_out: Spanned<Vec<String>>,
    consequences: Spanned<Vec<String>>,
    common_words: Spanned<Vec<String>>,
    flag_phrases: Vec<RawFlagPhrases>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlagPhrases {
    flag: Spanned<String>,
    phrases: Spanned<Vec<String>>,
}

/// Phrases split into normalized words; a problem is noted at `list` when the list or a phrase in
/// it is empty.
pub(crate) fn phrases(
    list: &Spanned<Vec<String>>,
    what: &str,
    found: &mut Problems,
) -> Vec<Vec<String>> {
    let out: Vec<Vec<String>> = list
        .get_ref()
        .iter()
        .map(|h| {
            h.split_whitespace()
                .map(normalized)
                .filter(|w| !w.is_empty())
                .collect()
        })
        .collect();
    if out.is_empty() || out.iter().any(Vec::is_empty) {
        found.at(
            list.span().start,
            format!("{what} must be phrases of at least one word, at least one, none empty"),
        );
    }
    out
}

/// Single normalized words; a problem is noted when the list is empty or an entry is not one word.
fn single_words(list: &Spanned<Vec<String>>, what: &str, found: &mut Problems) -> Vec<String> {
    let out: Vec<String> = list.get_ref().iter().map(|f| normalized(f)).collect();
    if out.is_empty() || out.iter().any(|f| f.is_empty() || f.contains(' ')) {
        found.at(
            list.span().start,
            format!("{what} must be single words, at least one, none empty"),
        );
    }
    out
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
    let fillers = single_words(&raw.fillers, "fillers", &mut found);
    let hedges = phrases(&raw.hedges, "hedges", &mut found);
    let find_out = phrases(&raw.find_out, "find_out", &mut found);
    let consequences = phrases(&raw.consequences, "consequences", &mut found);
    let common_words = single_words(&raw.common_words, "common_words", &mut found);
    let flags: Vec<String> = crate::rubric::builtin()?
        .red_flags
        .into_iter()
        .map(|f| f.key)
        .collect();
    let mut flag_phrases = Vec::new();
    for f in &raw.flag_phrases {
        if !flags.contains(f.flag.get_ref()) {
            found.at(
                f.flag.span().start,
                format!(
                    "flag '{}' is not one of the rubric's red flags ({})",
                    f.flag.get_ref(),
                    flags.join(", ")
                ),
            );
        }
        for p in phrases(&f.phrases, "phrases", &mut found) {
            flag_phrases.push((f.flag.get_ref().clone(), p));
        }
    }
    found.finish(&index)?;
    Ok(Cues {
        fillers,
        hedges,
        find_out,
        consequences,
        flag_phrases,
        common_words,
        sum: {
            use sha2::{Digest, Sha256};
            Sha256::digest(src.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        },
    })
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
        find(self.hedges.iter(), words)
            .into_iter()
            .map(|(h, _)| h)
            .collect()
    }
}

/// Every place one of `phrases` is said in `words`, in order, with the index of the phrase found;
/// where phrases overlap, the longest starting first is kept.
pub(crate) fn find<'a>(
    phrases: impl Iterator<Item = &'a Vec<String>> + Clone,
    words: &[Word],
) -> Vec<(Heard, usize)> {
    let norm: Vec<String> = words.iter().map(|w| normalized(&w.word)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < norm.len() {
        let longest = phrases
            .clone()
            .enumerate()
            .filter(|(_, h)| !h.is_empty() && norm[i..].starts_with(h))
            .max_by_key(|(k, h)| (h.len(), std::cmp::Reverse(*k)));
        match longest {
            Some((k, h)) => {
                let n = h.len();
                let span = &words[i..i + n];
                out.push((
                    Heard {
                        text: span
                            .iter()
                            .map(|w| w.word.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                        start_s: span[0].start_s,
                        end_s: span[n - 1].end_s,
                        word: i as u32,
                    },
                    k,
                ));
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words one a second, each half a second long.
    fn words(text: &str) -> Vec<Word> {
        crate::transcribe::timed_words(text, 1.0, 0.5)
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
            "version = 1\nfillers = [\"um\", \"two words\"]\nhedges = []\nfind_out = [\"check\"]\n\
             consequences = [\"which means\"]\ncommon_words = [\"the\"]\n\
             [[flag_phrases]]\nflag = \"no_such_flag\"\nphrases = [\"x\"]\n",
            "c.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("c.toml:2:11: fillers must be single words"),
            "{e}"
        );
        assert!(e.contains("c.toml:3:10: hedges must be phrases"), "{e}");
        assert!(
            e.contains("c.toml:8:8: flag 'no_such_flag' is not one of the rubric's red flags"),
            "{e}"
        );
    }
}
