//! An answer file as a rater's page saved it, read without trusting anything in it: its shape,
//! sizes, ids and scores are checked here; the seal, the takes and their audio are checked
//! against what was shared by the use case that keeps it.

use serde::Deserialize;

use crate::error::{CoreError, Result};
use crate::store::{CheckAnswer, CheckMark, CriterionRating};

/// The largest answer file read (a rating of a few dozen takes is a few kilobytes).
pub const MAX_ANSWER_FILE_BYTES: u64 = 1_000_000;

/// Takes one answer file may rate.
const MAX_TAKES: usize = 100;

/// The longest note kept (as the review's notes).
const MAX_NOTE_CHARS: usize = 10_000;

/// The longest rater's name.
const MAX_RATER_CHARS: usize = 100;

/// What an answer file says of one take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatedTake {
    /// The take rated.
    pub take_id: String,
    /// The checksum of the audio the rater heard.
    pub audio_sha256: String,
    /// Per-criterion scores (1 to 5 or none), notes and checks, in the file's order.
    pub scores: Vec<CriterionRating>,
    /// Red-flag keys.
    pub red_flags: Vec<String>,
    /// The overall note.
    pub note: String,
}

/// An answer file whose shape was checked; its seal is not checked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerFile {
    /// The page it answers.
    pub share_id: String,
    /// The payload's text, exactly as sealed.
    pub payload: String,
    /// The seal (64 hex digits).
    pub seal: String,
    /// The rater's name.
    pub rater: String,
    /// When they saved it (as their browser said).
    pub saved_at: String,
    /// The takes rated.
    pub takes: Vec<RatedTake>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Outer {
    candor_opinion: u32,
    share_id: String,
    payload: String,
    seal: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Payload {
    rater: String,
    saved_at: String,
    takes: Vec<Take>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Take {
    take_id: String,
    audio_sha256: String,
    scores: Vec<Score>,
    checks: Vec<Check>,
    red_flags: Vec<String>,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Score {
    criterion: String,
    score: Option<u8>,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Check {
    criterion: String,
    index: u8,
    answer: String,
}

fn bad(why: impl std::fmt::Display) -> CoreError {
    CoreError::BadOpinion(format!(
        "This is not an answer file Candor can read ({why}). Ask the person who rated to save \
         it again from the page and send the file as it is. Nothing was imported."
    ))
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A key from the file (criterion, flag): short, plain lowercase words.
fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Text from the file: bounded, no control characters but line breaks and tabs.
fn text(what: &str, s: String, max: usize) -> Result<String> {
    if s.chars().count() > max {
        return Err(bad(format!("its {what} is longer than {max} characters")));
    }
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(bad(format!("its {what} holds control characters")));
    }
    Ok(s)
}

/// Reads an answer file's bytes: the outer shape, then the payload it seals. Nothing is trusted
/// yet: the caller checks the seal and the takes against what was shared.
pub fn parse_answer_file(bytes: &[u8]) -> Result<AnswerFile> {
    if bytes.len() as u64 > MAX_ANSWER_FILE_BYTES {
        return Err(bad(format!(
            "it is {} bytes; an answer file is at most {MAX_ANSWER_FILE_BYTES}",
            bytes.len()
        )));
    }
    let outer: Outer = serde_json::from_slice(bytes).map_err(|e| bad(short(&e)))?;
    if outer.candor_opinion != super::FORMAT {
        return Err(bad(format!(
            "it is of format {}, and this Candor reads format {}",
            outer.candor_opinion,
            super::FORMAT
        )));
    }
    if !is_hex(&outer.share_id, 32) {
        return Err(bad("its share id is not one Candor makes"));
    }
    if !is_hex(&outer.seal, 64) {
        return Err(bad("its seal is not a SHA-256"));
    }
    let p: Payload = serde_json::from_str(&outer.payload).map_err(|e| bad(short(&e)))?;
    let rater = text("rater's name", p.rater.trim().to_owned(), MAX_RATER_CHARS)?;
    if rater.is_empty() {
        return Err(bad("it names no rater"));
    }
    if p.saved_at.len() > 40 || chrono::DateTime::parse_from_rfc3339(&p.saved_at).is_err() {
        return Err(bad("its date is not a date"));
    }
    if p.takes.is_empty() || p.takes.len() > MAX_TAKES {
        return Err(bad(format!("it rates {} answers", p.takes.len())));
    }
    let mut takes: Vec<RatedTake> = Vec::with_capacity(p.takes.len());
    for t in p.takes {
        if !is_hex(&t.take_id, 32) {
            return Err(bad("a take id is not one Candor makes"));
        }
        if takes.iter().any(|k| k.take_id == t.take_id) {
            return Err(bad("it rates one answer twice"));
        }
        if !is_hex(&t.audio_sha256, 64) {
            return Err(bad("an audio checksum is not a SHA-256"));
        }
        let mut scores: Vec<CriterionRating> = Vec::with_capacity(t.scores.len());
        for s in t.scores {
            if !is_key(&s.criterion) || scores.iter().any(|c| c.criterion == s.criterion) {
                return Err(bad("a criterion is unknown or scored twice"));
            }
            if s.score.is_some_and(|v| !(1..=5).contains(&v)) {
                return Err(bad("a score is not 1 to 5"));
            }
            scores.push(CriterionRating {
                criterion: s.criterion,
                score: s.score,
                note: text("note", s.note, MAX_NOTE_CHARS)?,
                checks: Vec::new(),
            });
        }
        for c in t.checks {
            let answer = CheckAnswer::parse(&c.answer)
                .map_err(|_| bad("a check's answer is not yes, partly or no"))?;
            let Some(crit) = scores.iter_mut().find(|s| s.criterion == c.criterion) else {
                return Err(bad("a check belongs to no criterion rated"));
            };
            if crit.checks.iter().any(|m| m.index == c.index) {
                return Err(bad("a check is answered twice"));
            }
            crit.checks.push(CheckMark {
                index: c.index,
                answer,
            });
        }
        for s in &mut scores {
            s.checks.sort_by_key(|m| m.index);
        }
        let mut red_flags = t.red_flags;
        if red_flags.len() > 64 || !red_flags.iter().all(|f| is_key(f)) {
            return Err(bad("a red flag is not one Candor knows"));
        }
        red_flags.sort();
        if red_flags.windows(2).any(|w| w[0] == w[1]) {
            return Err(bad("a red flag is ticked twice"));
        }
        takes.push(RatedTake {
            take_id: t.take_id,
            audio_sha256: t.audio_sha256,
            scores,
            red_flags,
            note: text("note", t.note, MAX_NOTE_CHARS)?,
        });
    }
    Ok(AnswerFile {
        share_id: outer.share_id,
        payload: outer.payload,
        seal: outer.seal,
        rater,
        saved_at: p.saved_at,
        takes,
    })
}

/// A JSON error in a few words, without echoing the file's text.
fn short(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Io => "it could not be read".into(),
        Category::Syntax => format!("it is not JSON at line {}, column {}", e.line(), e.column()),
        Category::Data => format!(
            "a field is missing, unknown or of the wrong kind at line {}, column {}",
            e.line(),
            e.column()
        ),
        Category::Eof => "it is cut short".into(),
    }
}
