//! Ratings and markers written out as CSV or JSON for use outside Candor (schema in
//! `docs/export-schema.md`).

use serde::Serialize;

use crate::bank::CRITERIA;
use crate::error::{CoreError, Result};
use crate::store::{CheckMark, FeelingMark, RatingStatus, Store};

/// The `format` value of a JSON export, so a reader can tell what it holds.
pub const JSON_FORMAT: &str = "candor-ratings";

/// The version of the export schema; bumped when a column or field changes meaning.
pub const EXPORT_VERSION: u32 = 2;

/// Everything exported: takes that have a saved rating, a marker or a transcript.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Export {
    /// Always `candor-ratings`.
    pub format: &'static str,
    /// The export schema version.
    pub version: u32,
    /// When the export was made (UTC, RFC 3339).
    pub exported_at: String,
    /// The takes, oldest first.
    pub takes: Vec<ExportTake>,
    /// The user's positions on the reading items (JSON only), by category id.
    pub positions: Vec<crate::store::Position>,
}

/// One take with its saved ratings and its markers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportTake {
    /// The take's id.
    pub take_id: String,
    /// The question answered.
    pub question_id: String,
    /// For a follow-up, the answer it replies to.
    pub parent_id: Option<String>,
    /// For a follow-up, the interviewer's push-back it replies to.
    pub pushback: Option<String>,
    /// For a follow-up, why the interviewer asked it (rule and reason), when that was kept.
    pub pushback_choice: Option<crate::store::PushbackChoice>,
    /// When it was recorded (UTC, ISO 8601).
    pub recorded_at: String,
    /// Its length in seconds.
    pub duration_s: f64,
    /// Saved ratings, oldest first.
    pub ratings: Vec<ExportRating>,
    /// Markers, in time order.
    pub markers: Vec<ExportMarker>,
    /// Its transcript, when one was made.
    pub transcript: Option<ExportTranscript>,
}

/// A take's transcript: the model that made it, the text and every word with its times.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportTranscript {
    /// The model file's name.
    pub model: String,
    /// The model file's SHA-256.
    pub model_sha256: String,
    /// The whole text, verbatim.
    pub text: String,
    /// Every word with its start and end (seconds) and the model's confidence.
    pub words: Vec<crate::transcribe::Word>,
}

/// One saved rating: the user's own, a re-rating with the examples in view, or an outside
/// rater's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportRating {
    /// The rating's id.
    pub rating_id: String,
    /// `immediate`, `reviewed`, `regrade`, `anchored` or `outside`.
    pub kind: String,
    /// For `outside`, the rater's name; `null` for the user's own.
    pub rater: Option<String>,
    /// For `outside`, the rater's overall note; empty otherwise.
    pub rating_note: String,
    /// When it was saved (UTC, ISO 8601).
    pub rated_at: Option<String>,
    /// Per criterion, in rubric order.
    pub scores: Vec<ExportScore>,
    /// Red-flag keys ticked, sorted.
    pub red_flags: Vec<String>,
    /// Feelings while answering, sorted by key.
    pub feelings: Vec<FeelingMark>,
    /// Free text about those feelings.
    pub feelings_note: String,
    /// One thing to do differently next time.
    pub commitment: String,
}

/// One criterion's score, note and check answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportScore {
    /// Criterion key.
    pub criterion: String,
    /// 1 to 5, or null when left blank (possible in a quick score).
    pub score: Option<u8>,
    /// The user's note.
    pub note: String,
    /// Check answers by check index.
    pub checks: Vec<CheckMark>,
}

/// A moment marked in a take.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportMarker {
    /// Seconds from the start of the take.
    pub at_s: f64,
    /// A criterion or red-flag key, if tagged.
    pub tag: Option<String>,
    /// The user's note.
    pub note: String,
}

/// Gathers every saved rating and marker from the database.
pub fn collect(store: &Store) -> Result<Export> {
    let mut takes = Vec::new();
    let mut all = store.list_takes()?;
    all.reverse();
    for t in all {
        let ratings: Vec<ExportRating> = store
            .ratings_of_take(&t.id)?
            .into_iter()
            .filter(|r| r.status == RatingStatus::Saved)
            .map(|r| ExportRating {
                rating_id: r.id,
                kind: r.input.kind.as_str().to_string(),
                rater: None,
                rating_note: String::new(),
                rated_at: r.saved_at,
                scores: r
                    .input
                    .scores
                    .into_iter()
                    .map(|c| ExportScore {
                        criterion: c.criterion,
                        score: c.score,
                        note: c.note,
                        checks: c.checks,
                    })
                    .collect(),
                red_flags: r.input.red_flags,
                feelings: r.input.feelings,
                feelings_note: r.input.feelings_note,
                commitment: r.input.commitment,
            })
            .collect();
        let mut ratings = ratings;
        ratings.extend(second_opinions(store, &t.id)?);
        let markers: Vec<ExportMarker> = store
            .markers(&t.id)?
            .into_iter()
            .map(|m| ExportMarker {
                at_s: m.at_s,
                tag: m.tag,
                note: m.note,
            })
            .collect();
        let transcript = store.transcript(&t.id)?.map(|tr| ExportTranscript {
            model: tr.model.name,
            model_sha256: tr.model.sha256,
            text: tr.text,
            words: tr.words,
        });
        if ratings.is_empty() && markers.is_empty() && transcript.is_none() {
            continue;
        }
        takes.push(ExportTake {
            duration_s: t.frames as f64 / f64::from(t.sample_rate.max(1)),
            take_id: t.id,
            question_id: t.question_id,
            parent_id: t.parent_id,
            pushback: t.pushback,
            pushback_choice: t.pushback_choice,
            recorded_at: t.started_at,
            ratings,
            markers,
            transcript,
        });
    }
    Ok(Export {
        format: JSON_FORMAT,
        version: EXPORT_VERSION,
        exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        takes,
        positions: store.positions()?,
    })
}

/// A take's anchored re-rating and its outside raters' opinions, as ratings of their own kinds.
fn second_opinions(store: &Store, take_id: &str) -> Result<Vec<ExportRating>> {
    let mut out = Vec::new();
    let anchored = store.anchored(take_id)?;
    if !anchored.is_empty() {
        out.push(ExportRating {
            rating_id: format!("anchored-{take_id}"),
            kind: "anchored".into(),
            rater: None,
            rating_note: String::new(),
            rated_at: store.anchored_saved_at(take_id)?,
            scores: anchored
                .into_iter()
                .map(|a| ExportScore {
                    criterion: a.criterion,
                    score: Some(a.score),
                    note: a.note,
                    checks: Vec::new(),
                })
                .collect(),
            red_flags: Vec::new(),
            feelings: Vec::new(),
            feelings_note: String::new(),
            commitment: String::new(),
        });
    }
    for o in store.opinions(take_id)? {
        out.push(ExportRating {
            rating_id: o.id,
            kind: "outside".into(),
            rater: Some(o.rater),
            rating_note: o.note,
            rated_at: Some(o.saved_at),
            scores: o
                .scores
                .into_iter()
                .map(|c| ExportScore {
                    criterion: c.criterion,
                    score: c.score,
                    note: c.note,
                    checks: c.checks,
                })
                .collect(),
            red_flags: o.red_flags,
            feelings: Vec::new(),
            feelings_note: String::new(),
            commitment: String::new(),
        });
    }
    Ok(out)
}

/// The export as pretty JSON.
pub fn to_json(e: &Export) -> Result<String> {
    serde_json::to_string_pretty(e)
        .map_err(|err| CoreError::Database(format!("encoding the export: {err}")))
}

/// The CSV header, in order: take columns, rating columns, three per criterion, then the rest.
pub fn csv_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "take_id",
        "question_id",
        "parent_id",
        "recorded_at",
        "duration_s",
        "rating_id",
        "kind",
        "rated_at",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for c in CRITERIA {
        h.push(format!("{c}_score"));
        h.push(format!("{c}_note"));
        h.push(format!("{c}_checks"));
    }
    for s in [
        "red_flags",
        "feelings",
        "feelings_note",
        "commitment",
        "markers",
        "transcript",
        "rater",
        "rating_note",
    ] {
        h.push(s.to_string());
    }
    h
}

/// Check answers as `index=answer` joined by `;` (e.g. `0=yes;2=partly`).
pub fn checks_cell(checks: &[CheckMark]) -> String {
    checks
        .iter()
        .map(|c| {
            let a = match c.answer {
                crate::store::CheckAnswer::Yes => "yes",
                crate::store::CheckAnswer::Partly => "partly",
                crate::store::CheckAnswer::No => "no",
            };
            format!("{}={a}", c.index)
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Feelings as `key=intensity` joined by `;`.
pub fn feelings_cell(feelings: &[FeelingMark]) -> String {
    feelings
        .iter()
        .map(|f| format!("{}={}", f.key, f.intensity))
        .collect::<Vec<_>>()
        .join(";")
}

/// Markers as a JSON array of `{at_s, tag, note}` (notes are free text, so JSON keeps them whole).
pub fn markers_cell(markers: &[ExportMarker]) -> Result<String> {
    serde_json::to_string(markers)
        .map_err(|err| CoreError::Database(format!("encoding markers: {err}")))
}

/// The first characters that make a spreadsheet read a cell as a formula (OWASP's list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as a spreadsheet will show it, never run it: one starting with a formula
/// character (`=`, `+`, `-`, `@`, tab, carriage return) gets a leading `'`, which spreadsheets
/// read as "this is text" (OWASP's rule against CSV injection).
pub fn spreadsheet_safe(cell: String) -> String {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The export as CSV: one row per saved rating; a take with markers but no saved rating has one
/// row with the rating columns empty. The take's markers are repeated on each of its rows.
/// Text cells are made spreadsheet-safe (`spreadsheet_safe`); numbers are written as numbers.
pub fn to_csv(e: &Export) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |err: csv::Error| CoreError::Database(format!("writing CSV: {err}"));
    w.write_record(csv_header()).map_err(fail)?;
    for t in &e.takes {
        let markers = markers_cell(&t.markers)?;
        let rows: Vec<Option<&ExportRating>> = if t.ratings.is_empty() {
            vec![None]
        } else {
            t.ratings.iter().map(Some).collect()
        };
        for r in rows {
            let text = spreadsheet_safe;
            let mut rec = vec![
                text(t.take_id.clone()),
                text(t.question_id.clone()),
                text(t.parent_id.clone().unwrap_or_default()),
                text(t.recorded_at.clone()),
                // A number: written as one, even when negative.
                format!("{:.3}", t.duration_s),
                text(r.map(|r| r.rating_id.clone()).unwrap_or_default()),
                text(r.map(|r| r.kind.clone()).unwrap_or_default()),
                text(r.and_then(|r| r.rated_at.clone()).unwrap_or_default()),
            ];
            for c in CRITERIA {
                let s = r.and_then(|r| r.scores.iter().find(|s| s.criterion == c));
                rec.push(
                    s.and_then(|s| s.score)
                        .map(|v| v.to_string())
                        .unwrap_or_default(),
                );
                rec.push(text(s.map(|s| s.note.clone()).unwrap_or_default()));
                rec.push(text(s.map(|s| checks_cell(&s.checks)).unwrap_or_default()));
            }
            rec.push(text(r.map(|r| r.red_flags.join(";")).unwrap_or_default()));
            rec.push(text(
                r.map(|r| feelings_cell(&r.feelings)).unwrap_or_default(),
            ));
            rec.push(text(r.map(|r| r.feelings_note.clone()).unwrap_or_default()));
            rec.push(text(r.map(|r| r.commitment.clone()).unwrap_or_default()));
            rec.push(text(markers.clone()));
            rec.push(text(
                t.transcript
                    .as_ref()
                    .map(|tr| tr.text.clone())
                    .unwrap_or_default(),
            ));
            rec.push(text(r.and_then(|r| r.rater.clone()).unwrap_or_default()));
            rec.push(text(r.map(|r| r.rating_note.clone()).unwrap_or_default()));
            w.write_record(&rec).map_err(fail)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|err| CoreError::Database(format!("writing CSV: {err}")))?;
    String::from_utf8(bytes).map_err(|err| CoreError::Database(format!("writing CSV: {err}")))
}
