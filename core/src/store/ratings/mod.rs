//! Self-ratings of answers, drafts and saved: the tables `ratings`, `rating_scores`,
//! `rating_checks`, `rating_flags` and `rating_feelings` (created by migration 4, indexed by 5,
//! given progress facts kept by triggers in 6), and `reviews` (created by migration 2, indexed
//! by 7), which takes an answer out of the review queue.

use rusqlite::{params, Connection, OptionalExtension};

use super::{Store, StoreTx};
use crate::bank::CRITERIA;
use crate::error::{CoreError, Result};

/// The answers with a saved guided review or re-grade.
const REVIEWED: &str = "WHERE parent_id IS NULL
    AND EXISTS (SELECT 1 FROM ratings r WHERE r.take_id = takes.id AND r.status = 'saved'
                AND r.kind != 'immediate')";

/// When and how a rating was given; all kinds are kept side by side for calibration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub enum RatingKind {
    /// A quick score right after the take stopped.
    Immediate,
    /// The guided review.
    Reviewed,
    /// A blind re-grade of an answer already reviewed.
    Regrade,
}

impl RatingKind {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            RatingKind::Immediate => "immediate",
            RatingKind::Reviewed => "reviewed",
            RatingKind::Regrade => "regrade",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "immediate" => RatingKind::Immediate,
            "reviewed" => RatingKind::Reviewed,
            "regrade" => RatingKind::Regrade,
            other => {
                return Err(CoreError::Database(format!(
                    "unknown rating kind '{other}'"
                )))
            }
        })
    }
}

/// Whether a rating is still being filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RatingStatus {
    /// Left part-way; resumed from `step`.
    Draft,
    /// Finished.
    Saved,
}

/// The answer to one check of a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub enum CheckAnswer {
    /// The check holds.
    Yes,
    /// It holds in part.
    Partly,
    /// It does not hold.
    No,
}

impl CheckAnswer {
    /// The stored word.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CheckAnswer::Yes => "yes",
            CheckAnswer::Partly => "partly",
            CheckAnswer::No => "no",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "yes" => CheckAnswer::Yes,
            "partly" => CheckAnswer::Partly,
            "no" => CheckAnswer::No,
            other => {
                return Err(CoreError::Database(format!(
                    "unknown check answer '{other}'"
                )))
            }
        })
    }
}

/// The answer given to the check at `index` of a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct CheckMark {
    /// Position of the check in the rubric (0-based).
    pub index: u8,
    /// Yes, partly or no.
    pub answer: CheckAnswer,
}

/// One criterion's part of a rating.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct CriterionRating {
    /// Criterion key.
    pub criterion: String,
    /// Score 1 to 5 (absent in a draft not yet scored).
    pub score: Option<u8>,
    /// The user's notes.
    pub note: String,
    /// Check answers, by check index.
    pub checks: Vec<CheckMark>,
}

/// A feeling had while answering, with its strength.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct FeelingMark {
    /// Feeling key (from the rubric).
    pub key: String,
    /// Strength 1 to 5.
    pub intensity: u8,
}

/// What the user entered for a rating (a draft save or the final save).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct RatingInput {
    /// The answer rated.
    pub take_id: String,
    /// Immediate, reviewed or re-grade.
    pub kind: RatingKind,
    /// The wizard step reached (for resuming).
    pub step: u8,
    /// Per-criterion scores, notes and checks.
    pub scores: Vec<CriterionRating>,
    /// Red-flag keys ticked.
    pub red_flags: Vec<String>,
    /// Feelings while answering.
    pub feelings: Vec<FeelingMark>,
    /// Free text about those feelings.
    pub feelings_note: String,
    /// One thing to do differently next time.
    pub commitment: String,
}

/// A rating as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rating {
    /// Stable id.
    pub id: String,
    /// Draft or saved.
    pub status: RatingStatus,
    /// When it was saved, if it was (UTC, ISO 8601).
    pub saved_at: Option<String>,
    /// When it was last changed.
    pub updated_at: String,
    /// What was entered, in criterion order, flags and feelings sorted by key.
    pub input: RatingInput,
}

fn check_input(r: &RatingInput) -> Result<()> {
    let bad = |m: String| Err(CoreError::InvalidInput(m));
    for c in &r.scores {
        if !CRITERIA.contains(&c.criterion.as_str()) {
            return bad(format!("unknown criterion '{}'", c.criterion));
        }
        if let Some(s) = c.score {
            if !(1..=5).contains(&s) {
                return bad(format!("a score is 1 to 5, not {s}"));
            }
        }
    }
    for f in &r.feelings {
        if !(1..=5).contains(&f.intensity) {
            return bad(format!(
                "a feeling's intensity is 1 to 5, not {}",
                f.intensity
            ));
        }
    }
    Ok(())
}

fn write_children(tx: &Connection, id: &str, r: &RatingInput) -> Result<()> {
    for table in [
        "rating_scores",
        "rating_checks",
        "rating_flags",
        "rating_feelings",
    ] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE rating_id = ?1"),
            params![id],
        )?;
    }
    for c in &r.scores {
        tx.execute(
            "INSERT INTO rating_scores (rating_id, criterion, score, note) VALUES (?1, ?2, ?3, ?4)",
            params![id, c.criterion, c.score, c.note],
        )?;
        for m in &c.checks {
            tx.execute(
                "INSERT OR REPLACE INTO rating_checks (rating_id, criterion, check_index, answer)
                 VALUES (?1, ?2, ?3, ?4)",
                params![id, c.criterion, m.index, m.answer.as_str()],
            )?;
        }
    }
    for f in &r.red_flags {
        tx.execute(
            "INSERT OR IGNORE INTO rating_flags (rating_id, flag) VALUES (?1, ?2)",
            params![id, f],
        )?;
    }
    for f in &r.feelings {
        tx.execute(
            "INSERT OR REPLACE INTO rating_feelings (rating_id, feeling, intensity) VALUES (?1, ?2, ?3)",
            params![id, f.key, f.intensity],
        )?;
    }
    Ok(())
}

/// The id of the one draft of (take, kind), if there is one.
fn draft_id(conn: &Connection, take_id: &str, kind: RatingKind) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT id FROM ratings WHERE take_id = ?1 AND kind = ?2 AND status = 'draft'",
            params![take_id, kind.as_str()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Refuses to finalize a review or re-grade that leaves one of the four scored criteria unscored
/// (the feeling check is asked only by some questions; `review::finalize` decides about it).
fn check_complete(r: &RatingInput) -> Result<()> {
    if r.kind == RatingKind::Immediate {
        return Ok(());
    }
    let missing: Vec<&str> = CRITERIA
        .iter()
        .copied()
        .filter(|k| *k != "feeling")
        .filter(|k| {
            !r.scores
                .iter()
                .any(|c| c.criterion == *k && c.score.is_some())
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(CoreError::InvalidInput(format!(
        "Score every criterion before saving (missing: {}).",
        missing.join(", ")
    )))
}

impl StoreTx<'_> {
    /// Saves the one draft of (take, kind) inside this write, creating it if needed; returns
    /// its id. The input was checked (`check_input`) by the caller.
    fn save_rating_draft(&self, r: &RatingInput) -> Result<String> {
        let tx = &self.tx;
        let id = match draft_id(tx, &r.take_id, r.kind)? {
            Some(id) => {
                tx.execute(
                    "UPDATE ratings SET step = ?2, feelings_note = ?3, commitment = ?4,
                         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                     WHERE id = ?1",
                    params![id, r.step, r.feelings_note, r.commitment],
                )?;
                id
            }
            None => {
                let id = uuid::Uuid::new_v4().simple().to_string();
                tx.execute(
                    "INSERT INTO ratings (id, take_id, kind, status, step, feelings_note, commitment)
                     VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?6)",
                    params![id, r.take_id, r.kind.as_str(), r.step, r.feelings_note, r.commitment],
                )
                .map_err(|e| match e {
                    rusqlite::Error::SqliteFailure(f, _)
                        if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        CoreError::NotFound(format!("take {}", r.take_id))
                    }
                    other => other.into(),
                })?;
                id
            }
        };
        write_children(tx, &id, r)?;
        Ok(id)
    }

    /// Marks the rating `id` saved and, for a review or re-grade, its answer's review done.
    fn save_rating(&self, id: &str, r: &RatingInput) -> Result<()> {
        self.tx.execute(
            "UPDATE ratings SET status = 'saved', saved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1",
            params![id],
        )?;
        if r.kind != RatingKind::Immediate {
            self.tx.execute(
                "INSERT INTO reviews (take_id, status) VALUES (?1, 'done')
                 ON CONFLICT(take_id) DO UPDATE SET status = 'done',
                     updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                params![r.take_id],
            )?;
        }
        Ok(())
    }
}

impl Store {
    /// Saves the one draft of (take, kind), creating it if needed; returns its id.
    pub fn save_rating_draft(&self, r: &RatingInput) -> Result<String> {
        check_input(r)?;
        self.write(|tx| tx.save_rating_draft(r))
    }

    /// Saves a rating for good; a reviewed or re-grade rating needs all five scores and takes
    /// its answer out of the review queue.
    pub fn finalize_rating(&self, r: &RatingInput) -> Result<Rating> {
        self.finalize_rating_then(r, |_| Ok(()))
    }

    /// Saves a rating for good as `finalize_rating` does and, in the same transaction, what
    /// `then` writes after it (its question's FSRS card): both are committed, or neither is.
    pub(crate) fn finalize_rating_then(
        &self,
        r: &RatingInput,
        then: impl FnOnce(&StoreTx<'_>) -> Result<()>,
    ) -> Result<Rating> {
        check_complete(r)?;
        check_input(r)?;
        let id = self.write(|tx| {
            let id = tx.save_rating_draft(r)?;
            tx.save_rating(&id, r)?;
            then(tx)?;
            Ok(id)
        })?;
        self.rating(&id)
    }

    /// One rating by id, with everything entered.
    pub fn rating(&self, id: &str) -> Result<Rating> {
        let head = self
            .conn
            .query_row(
                "SELECT take_id, kind, status, step, feelings_note, commitment, updated_at, saved_at
                 FROM ratings WHERE id = ?1",
                params![id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, u8>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, Option<String>>(7)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| CoreError::NotFound(format!("rating {id}")))?;
        let (take_id, kind, status, step, feelings_note, commitment, updated_at, saved_at) = head;
        let conn = &self.conn;
        let mut scores: Vec<CriterionRating> = {
            let mut stmt = conn
                .prepare("SELECT criterion, score, note FROM rating_scores WHERE rating_id = ?1")?;
            let rows = stmt.query_map(params![id], |r| {
                Ok(CriterionRating {
                    criterion: r.get(0)?,
                    score: r.get(1)?,
                    note: r.get(2)?,
                    checks: Vec::new(),
                })
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        scores.sort_by_key(|c| {
            CRITERIA
                .iter()
                .position(|k| *k == c.criterion)
                .unwrap_or(CRITERIA.len())
        });
        let mut stmt = conn.prepare(
            "SELECT criterion, check_index, answer FROM rating_checks WHERE rating_id = ?1
             ORDER BY check_index",
        )?;
        let checks = stmt.query_map(params![id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u8>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in checks {
            let (criterion, index, answer) = row?;
            if let Some(c) = scores.iter_mut().find(|c| c.criterion == criterion) {
                c.checks.push(CheckMark {
                    index,
                    answer: CheckAnswer::parse(&answer)?,
                });
            }
        }
        let mut stmt =
            conn.prepare("SELECT flag FROM rating_flags WHERE rating_id = ?1 ORDER BY flag")?;
        let red_flags = stmt
            .query_map(params![id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = conn.prepare(
            "SELECT feeling, intensity FROM rating_feelings WHERE rating_id = ?1 ORDER BY feeling",
        )?;
        let feelings = stmt
            .query_map(params![id], |r| {
                Ok(FeelingMark {
                    key: r.get(0)?,
                    intensity: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Rating {
            id: id.to_string(),
            status: if status == "saved" {
                RatingStatus::Saved
            } else {
                RatingStatus::Draft
            },
            saved_at,
            updated_at,
            input: RatingInput {
                take_id,
                kind: RatingKind::parse(&kind)?,
                step,
                scores,
                red_flags,
                feelings,
                feelings_note,
                commitment,
            },
        })
    }

    fn rating_ids(&self, sql: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(sql)?;
        let ids = stmt
            .query_map(args, |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// The saved ratings of a take, oldest first.
    pub fn ratings_of_take(&self, take_id: &str) -> Result<Vec<Rating>> {
        self.rating_ids(
            "SELECT id FROM ratings WHERE take_id = ?1 AND status = 'saved'
             ORDER BY saved_at, rowid",
            &[&take_id],
        )?
        .iter()
        .map(|id| self.rating(id))
        .collect()
    }

    /// The draft of a take and kind, if one was left.
    pub fn rating_draft(&self, take_id: &str, kind: RatingKind) -> Result<Option<Rating>> {
        draft_id(&self.conn, take_id, kind)?
            .map(|id| self.rating(&id))
            .transpose()
    }

    /// The newest saved review (reviewed or re-grade) of an earlier answer to the same question.
    pub fn previous_rating(&self, take_id: &str) -> Result<Option<Rating>> {
        let ids = self.rating_ids(
            "SELECT r.id FROM ratings r JOIN takes t ON t.id = r.take_id
               JOIN takes me ON me.id = ?1
             WHERE r.status = 'saved' AND r.kind != 'immediate' AND t.parent_id IS NULL
               AND t.question_id = me.question_id AND t.id != me.id
               AND (t.started_at < me.started_at OR (t.started_at = me.started_at AND t.rowid < me.rowid))
             ORDER BY t.started_at DESC, t.rowid DESC, r.saved_at DESC, r.rowid DESC LIMIT 1",
            &[&take_id],
        )?;
        ids.first().map(|id| self.rating(id)).transpose()
    }

    /// The newest saved "one thing to do differently" for a question, if any was written.
    pub fn latest_commitment(&self, question_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT r.commitment FROM ratings r JOIN takes t ON t.id = r.take_id
                 WHERE t.question_id = ?1 AND r.status = 'saved' AND trim(r.commitment) != ''
                 ORDER BY r.saved_at DESC, r.rowid DESC LIMIT 1",
                params![question_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Answers with a saved review, newest first (for the "Reviewed" list and re-grades).
    pub fn reviewed_answers(&self) -> Result<Vec<super::TakeRow>> {
        self.query(
            &format!("{REVIEWED} ORDER BY started_at DESC, rowid DESC"),
            &[],
        )
    }

    /// A page of the answers with a saved review (newest first) and how many there are.
    pub fn reviewed_answers_page(&self, offset: u32, limit: u32) -> Result<super::TakePage> {
        self.page(REVIEWED, "started_at DESC, rowid DESC", offset, limit)
    }
}

#[cfg(test)]
mod tests;
