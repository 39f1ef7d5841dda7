//! A second opinion from outside: takes written into one self-contained web page a friend or
//! coach opens in any browser, offline, and the answer file that page saves, checked before it
//! is kept. The page (`page.html`, `page.css`, `page.js`) carries everything inline: the audio as
//! base64, the rubric's steps, its own script, and a Content-Security-Policy that allows only
//! that script and style (by hash) and blob: audio, so nothing in it can reach a network. The
//! user's own scores are never in it.
//!
//! An answer file is `{candor_opinion: 1, share_id, payload, seal}`: `payload` is the JSON text
//! of the rating and `seal` the SHA-256 of the page's secret followed by that text. The seal shows
//! that the file is the one the page saved (a damaged or edited file does not match); it is not a
//! signature, since the secret sits in the page. Each take's `audio_sha256` ties the rating to
//! the recording as it was shared.

mod answer;

use std::io::Read;
use std::path::Path;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::error::{CoreError, Result};

pub use answer::{parse_answer_file, AnswerFile, RatedTake, MAX_ANSWER_FILE_BYTES};

/// The format of the page's data and of answer files.
pub const FORMAT: u32 = 1;

const PAGE: &str = include_str!("page.html");
const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// One recorded part of a shared take: the answer, or a reply to a push-back.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SharedPart {
    /// `answer` or `reply`.
    pub kind: &'static str,
    /// The push-back a reply answers.
    pub pushback: Option<String>,
    /// Its length in seconds.
    pub duration_s: f64,
    /// The audio's media type.
    pub mime: &'static str,
    /// The WAV file, base64.
    pub audio_base64: String,
    /// Its words, when a transcript was made.
    pub transcript: Option<String>,
}

/// One take as the page shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SharedTake {
    /// The answer's id.
    pub id: String,
    /// The question as asked.
    pub question: String,
    /// Its category's name.
    pub category: String,
    /// When it was recorded (UTC, ISO 8601).
    pub recorded_at: String,
    /// The criteria to rate, in rubric order (the feeling check only where the question asks).
    pub criteria: Vec<String>,
    /// The checksum of its audio ([`audio_checksum`]).
    pub audio_sha256: String,
    /// The answer, then its replies in order.
    pub parts: Vec<SharedPart>,
}

/// One criterion as the page rates it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SharedCriterion {
    /// Key.
    pub key: String,
    /// Full name.
    pub name: String,
    /// Short label.
    pub short: String,
    /// What it means.
    pub definition: String,
    /// Guidance for the rating.
    pub guide: String,
    /// What is scored (`answer`, `first_answer`, `followups`).
    pub scored_on: String,
    /// The checks.
    pub checks: Vec<String>,
    /// What a 1 to 5 looks like.
    pub levels: Vec<String>,
}

/// One red flag as the page lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SharedFlag {
    /// Key.
    pub key: String,
    /// Label.
    pub label: String,
    /// What it looks like.
    pub description: String,
    /// What it sounds like.
    pub sounds_like: String,
}

/// The rubric's rating steps, as the page shows them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SharedRubric {
    /// Criteria, in rubric order.
    pub criteria: Vec<SharedCriterion>,
    /// Red flags, in rubric order.
    pub red_flags: Vec<SharedFlag>,
}

impl SharedRubric {
    /// The rating steps of `rubric` (its exemplars and feelings stay home).
    pub fn of(rubric: &crate::rubric::Rubric) -> SharedRubric {
        SharedRubric {
            criteria: rubric
                .criteria
                .iter()
                .map(|c| SharedCriterion {
                    key: c.key.clone(),
                    name: c.name.clone(),
                    short: c.short.clone(),
                    definition: c.definition.clone(),
                    guide: c.guide.clone(),
                    scored_on: c.scored_on.clone(),
                    checks: c.checks.clone(),
                    levels: c.levels.clone(),
                })
                .collect(),
            red_flags: rubric
                .red_flags
                .iter()
                .map(|f| SharedFlag {
                    key: f.key.clone(),
                    label: f.label.clone(),
                    description: f.description.clone(),
                    sounds_like: f.sounds_like.clone(),
                })
                .collect(),
        }
    }
}

/// Everything the page holds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShareData {
    /// [`FORMAT`].
    pub format: u32,
    /// The share's id (answer files name it).
    pub share_id: String,
    /// The secret answer files are sealed with.
    pub secret: String,
    /// When the page was made (UTC, ISO 8601).
    pub made_at: String,
    /// The rating steps.
    pub rubric: SharedRubric,
    /// The takes to rate, in the order given.
    pub takes: Vec<SharedTake>,
}

/// The SHA-256 of the audio of a take's parts, in order (the answer, then each reply): each
/// file's bytes as they are on disk.
pub fn audio_checksum(files: &[std::path::PathBuf]) -> Result<String> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    for f in files {
        let mut file = std::fs::File::open(f)
            .map_err(|e| CoreError::io(format!("reading {}", f.display()), e))?;
        loop {
            let n = file
                .read(&mut buf)
                .map_err(|e| CoreError::io(format!("reading {}", f.display()), e))?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
    }
    Ok(hex(&h.finalize()))
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The file's bytes as base64, for the page.
pub fn base64_of(path: &Path) -> Result<String> {
    let bytes =
        std::fs::read(path).map_err(|e| CoreError::io(format!("reading {}", path.display()), e))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// The CSP source for an inline text: `'sha256-<base64 of its digest>'`.
fn hash_source(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The page's Content-Security-Policy: nothing may load or connect; only its own script and
/// style (by hash) run, and audio plays from blob: URLs the script makes.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; media-src blob:; img-src data:; \
         base-uri 'none'; form-action 'none'",
        hash_source(SCRIPT),
        hash_source(STYLE)
    )
}

/// Escapes text for HTML (an attribute or an element's content).
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The page with `data` in it, ready to save as one `.html` file.
pub fn render(data: &ShareData) -> Result<String> {
    let json = serde_json::to_string(data)
        .map_err(|e| CoreError::Database(format!("writing the page's data: {e}")))?;
    // Inside <script type="application/json">, `<` could end the element early: it is escaped
    // (JSON reads \u003c as the same character).
    let json = json.replace('<', "\\u003c");
    let title = match data.takes.len() {
        1 => "Rate a recorded interview answer".to_owned(),
        n => format!("Rate {n} recorded interview answers"),
    };
    // Each placeholder once, data last, so nothing the data holds is ever read as a placeholder.
    let page = PAGE
        .replacen("{{CSP}}", &content_security_policy(), 1)
        .replacen("{{TITLE}}", &html_escape(&title), 1)
        .replacen("{{STYLE}}", STYLE, 1)
        .replacen("{{SCRIPT}}", SCRIPT, 1);
    Ok(page.replacen("{{DATA}}", &json, 1))
}

/// A new random id (32 hex digits) or secret (64 hex digits).
pub fn random_hex(digits: usize) -> String {
    let mut s = String::with_capacity(digits);
    while s.len() < digits {
        s.push_str(&uuid::Uuid::new_v4().simple().to_string());
    }
    s.truncate(digits);
    s
}

/// The seal of an answer file's payload: SHA-256 of the secret followed by the payload text.
pub fn seal(secret: &str, payload: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret.as_bytes());
    h.update(payload.as_bytes());
    hex(&h.finalize())
}

#[cfg(test)]
mod tests;
