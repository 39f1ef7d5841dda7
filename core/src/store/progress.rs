//! The progress views, read only: `takes` (migration 1) with `take_metrics` (migration 3), and
//! the progress facts migration 6 keeps on `ratings`, `rating_scores` and `rating_checks` (week,
//! started_at, kind, mean), read through the covering indexes of migrations 5 to 7. What is made
//! of the rows (means, criterion order, streaks, grades) is `crate::progress`'s.

use std::ops::ControlFlow;

use rusqlite::params;

use super::{Store, TakeStatus};
use crate::error::Result;
use crate::progress::{CheckTally, Period, PracticeDay, WeekCalibration, WeekDelivery};

// The score views read the progress facts that migration 6 keeps on each saved rating of an
// answer, its scores and its checks (week, started_at, kind, mean), through covering indexes in
// week order: no join, and no sort for the weekly groups. Besides `started_at >= since`, each
// query also bounds the week (`week >= ` the week of `since`) so a short period reads a short
// range of the index.

/// The Monday (UTC) of a take's week, as SQL over `started_at`; the same expression as the
/// index `takes_answers_by_week`, which the planner uses only for this exact text.
const WEEK_OF: &str = "date(started_at, 'weekday 0', '-6 days')";

/// The first week a period over `?1` (`since`, '' for all time) includes, as SQL.
const FIRST_WEEK: &str = "coalesce(date(?1, 'weekday 0', '-6 days'), '')";

/// How far back a period reaches, as an SQLite date modifier of 'now'.
fn sqlite_modifier(period: Period) -> &'static str {
    match period {
        Period::FourWeeks => "-28 days",
        Period::ThreeMonths => "-3 months",
        Period::AllTime => "-1000 years",
    }
}

/// Rows of (week, criterion, sum of scores, scores counted) of the saved guided reviews of
/// answers recorded since `?1`, in week order.
fn reviewed_scores_by_week() -> String {
    format!(
        "SELECT week, criterion, sum(score) AS total, count(score) AS n
         FROM rating_scores
         WHERE kind = 'reviewed' AND week >= {FIRST_WEEK} AND started_at >= ?1
           AND score IS NOT NULL
         GROUP BY week, criterion"
    )
}

/// The scores one criterion was given in saved guided reviews: their sum and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScoreSum {
    /// Criterion key.
    pub criterion: String,
    /// The scores added up.
    pub sum: i64,
    /// Scores counted.
    pub n: u32,
}

/// A question that has answers: how many, and when the newest was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AnsweredQuestion {
    /// The question.
    pub question_id: String,
    /// Its answers (not still recording).
    pub answers: u32,
    /// When the newest was recorded (UTC, ISO 8601).
    pub last_at: String,
}

/// One answer of a question's history as stored, before `crate::progress` shapes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HistoryRow {
    /// Take id.
    pub id: String,
    /// Question answered.
    pub question_id: String,
    /// When it was recorded (UTC, ISO 8601).
    pub started_at: String,
    /// Frames of its audio.
    pub frames: i64,
    /// Rate of its audio.
    pub sample_rate: u32,
    /// Recording status.
    pub status: TakeStatus,
    /// Follow-ups recorded after it.
    pub followups: u32,
    /// A guided review of it was left as a draft.
    pub draft: bool,
    /// (criterion, score) of its latest saved guided review, as found.
    pub scores: Vec<(String, u8)>,
    /// It has a saved guided review.
    pub reviewed: bool,
}

/// The `criterion=score` pairs `group_concat` made, joined by commas.
fn parse_scores(s: Option<&str>) -> Vec<(String, u8)> {
    s.unwrap_or("")
        .split(',')
        .filter_map(|p| p.split_once('='))
        .filter_map(|(k, v)| v.parse().ok().map(|v| (k.to_string(), v)))
        .collect()
}

/// A row of (week, immediate, reviewed, regrade, both gaps, three counts).
fn calibration_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<WeekCalibration> {
    Ok(WeekCalibration {
        week: r.get(0)?,
        immediate: r.get(1)?,
        reviewed: r.get(2)?,
        regrade: r.get(3)?,
        immediate_gap: r.get(4)?,
        regrade_gap: r.get(5)?,
        counts: [r.get(6)?, r.get(7)?, r.get(8)?],
    })
}

impl Store {
    /// Answers per week over `period` with their mean delivery metrics, oldest week first.
    pub(crate) fn delivery_by_week(&self, period: Period) -> Result<Vec<WeekDelivery>> {
        let mut stmt = self.conn.prepare(
            "SELECT date(t.started_at, 'weekday 0', '-6 days') AS week,
                    count(*) AS answers,
                    count(m.take_id) AS measured,
                    avg(json_extract(m.metrics, '$.time_to_first_word_s')),
                    avg(json_extract(m.metrics, '$.long_pauses_per_min')),
                    avg(json_extract(m.metrics, '$.phonation_ratio')),
                    count(w.delivery),
                    avg(json_extract(w.delivery, '$.words_per_min')),
                    avg(json_extract(w.delivery, '$.fillers_per_min')),
                    avg(json_extract(w.delivery, '$.longest_without_filler_s')),
                    coalesce(sum(json_extract(w.delivery, '$.uncertainty')), 0)
             FROM takes t LEFT JOIN take_metrics m ON m.take_id = t.id
                  LEFT JOIN transcripts w ON w.take_id = t.id
             WHERE t.parent_id IS NULL AND t.status != 'recording'
               AND t.started_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)
             GROUP BY week ORDER BY week",
        )?;
        let rows = stmt.query_map(params![sqlite_modifier(period)], |r| {
            Ok(WeekDelivery {
                week: r.get(0)?,
                answers: r.get(1)?,
                measured: r.get(2)?,
                mean_time_to_first_word_s: r.get(3)?,
                long_pauses_per_min: r.get(4)?,
                phonation_ratio: r.get(5)?,
                transcribed: r.get(6)?,
                words_per_min: r.get(7)?,
                fillers_per_min: r.get(8)?,
                longest_without_filler_s: r.get(9)?,
                uncertainty_voiced: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (week, answers recorded) for the weeks with answers since `since`, oldest first.
    pub(crate) fn answers_by_week(&self, since: &str) -> Result<Vec<(String, u32)>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {WEEK_OF} AS week, count(*) FROM takes
             WHERE parent_id IS NULL AND status != 'recording' AND started_at >= ?1
               AND {WEEK_OF} >= {FIRST_WEEK}
             GROUP BY {WEEK_OF} ORDER BY {WEEK_OF}"
        ))?;
        let rows = stmt.query_map(params![since], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (week, answers with a saved guided review) for answers recorded since `since`.
    pub(crate) fn reviewed_answers_by_week(&self, since: &str) -> Result<Vec<(String, u32)>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT week, count(DISTINCT take_id) FROM ratings
             WHERE week >= {FIRST_WEEK} AND kind = 'reviewed' AND started_at >= ?1
             GROUP BY week"
        ))?;
        let rows = stmt.query_map(params![since], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (week, a criterion's guided-review scores) for answers recorded since `since`, in week
    /// order.
    pub(crate) fn reviewed_score_sums_by_week(
        &self,
        since: &str,
    ) -> Result<Vec<(String, ScoreSum)>> {
        let mut stmt = self.conn.prepare(&reviewed_scores_by_week())?;
        let rows = stmt.query_map(params![since], |r| {
            Ok((
                r.get(0)?,
                ScoreSum {
                    criterion: r.get(1)?,
                    sum: r.get(2)?,
                    n: r.get(3)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Each criterion's guided-review scores for answers recorded since `since`.
    pub(crate) fn reviewed_score_sums(&self, since: &str) -> Result<Vec<ScoreSum>> {
        // The weekly sums add up to the period's: grouping those few rows by criterion is
        // cheaper than sorting every score by criterion.
        let mut stmt = self.conn.prepare(&format!(
            "SELECT criterion, sum(total), sum(n) FROM ({}) GROUP BY criterion",
            reviewed_scores_by_week()
        ))?;
        let rows = stmt.query_map(params![since], |r| {
            Ok(ScoreSum {
                criterion: r.get(0)?,
                sum: r.get(1)?,
                n: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The checks of `criterion` answered "no" at least once in guided reviews of answers
    /// recorded since `since`, most often first.
    pub(crate) fn checks_answered_no(
        &self,
        since: &str,
        criterion: &str,
    ) -> Result<Vec<CheckTally>> {
        let mut stmt = self.conn.prepare(
            "SELECT check_index, sum(answer = 'no') AS no, count(*) FROM rating_checks
             WHERE criterion = ?2 AND kind = 'reviewed' AND started_at >= ?1
             GROUP BY check_index HAVING no > 0
             ORDER BY no DESC, check_index",
        )?;
        let rows = stmt.query_map(params![since, criterion], |r| {
            Ok(CheckTally {
                index: r.get(0)?,
                no: r.get(1)?,
                answered: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Quick, reviewed and blind overall scores per week, and their gaps, for answers recorded
    /// since `since`, oldest week first.
    pub(crate) fn calibration_by_week(&self, since: &str) -> Result<Vec<WeekCalibration>> {
        // A take lies in one week, so grouping by (week, take) follows the index and needs no
        // sort.
        let mut stmt = self.conn.prepare(&format!(
            "WITH per_take AS (
                 SELECT week, take_id,
                        avg(CASE WHEN kind = 'immediate' THEN mean END) AS imm,
                        avg(CASE WHEN kind = 'reviewed' THEN mean END) AS rev,
                        avg(CASE WHEN kind = 'regrade' THEN mean END) AS reg
                 FROM ratings
                 WHERE week >= {FIRST_WEEK} AND started_at >= ?1 AND mean IS NOT NULL
                 GROUP BY week, take_id
             )
             SELECT week, avg(imm), avg(rev), avg(reg),
                    avg(imm - rev), avg(reg - rev), count(imm), count(rev), count(reg)
             FROM per_take GROUP BY week ORDER BY week"
        ))?;
        let rows = stmt.query_map(params![since], calibration_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The days (UTC) with answers recorded since `since`, oldest first.
    pub(crate) fn practice_days(&self, since: &str) -> Result<Vec<PracticeDay>> {
        let mut stmt = self.conn.prepare(
            "SELECT date(t.started_at) AS day, count(*) FROM takes t
             WHERE t.parent_id IS NULL AND t.status != 'recording' AND t.started_at >= ?1
             GROUP BY day ORDER BY day",
        )?;
        let rows = stmt.query_map(params![since], |r| {
            Ok(PracticeDay {
                day: r.get(0)?,
                answers: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Hands `visit` the day (UTC) of each answer recorded before `before`, newest first, along
    /// the answers' index, until `visit` breaks: a streak reads only as far back as it lasts.
    pub(crate) fn answer_days_newest_first(
        &self,
        before: &str,
        mut visit: impl FnMut(chrono::NaiveDate) -> ControlFlow<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT date(started_at) FROM takes
             WHERE parent_id IS NULL AND status != 'recording' AND started_at < ?1
             ORDER BY started_at DESC",
        )?;
        let mut rows = stmt.query(params![before])?;
        while let Some(row) = rows.next()? {
            let Some(day) = row
                .get::<_, Option<String>>(0)?
                .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
            else {
                continue;
            };
            if visit(day).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// Every question with answers, most recently answered first.
    pub(crate) fn answered_questions(&self) -> Result<Vec<AnsweredQuestion>> {
        let mut stmt = self.conn.prepare(
            "SELECT question_id, count(*), max(started_at) FROM takes
             WHERE parent_id IS NULL AND status != 'recording'
             GROUP BY question_id ORDER BY max(started_at) DESC, question_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(AnsweredQuestion {
                question_id: r.get(0)?,
                answers: r.get(1)?,
                last_at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// `limit` answers of a question after the newest `offset`, newest first, each with its
    /// follow-ups counted and its review's state and latest scores.
    pub(crate) fn question_history(
        &self,
        question_id: &str,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<HistoryRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.id, t.question_id, t.started_at, t.frames, t.sample_rate, t.status,
                    (SELECT count(*) FROM takes f WHERE f.parent_id = t.id),
                    EXISTS (SELECT 1 FROM ratings d WHERE d.take_id = t.id AND d.kind = 'reviewed'
                            AND d.status = 'draft'),
                    (SELECT group_concat(s.criterion || '=' || s.score) FROM rating_scores s
                     WHERE s.score IS NOT NULL AND s.rating_id =
                         (SELECT r.id FROM ratings r WHERE r.take_id = t.id AND r.kind = 'reviewed'
                            AND r.status = 'saved' ORDER BY r.saved_at DESC LIMIT 1)),
                    EXISTS (SELECT 1 FROM ratings r WHERE r.take_id = t.id AND r.kind = 'reviewed'
                            AND r.status = 'saved')
             FROM takes t
             WHERE t.question_id = ?1 AND t.parent_id IS NULL AND t.status != 'recording'
             ORDER BY t.started_at DESC, t.rowid DESC
             LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt.query_map(params![question_id, limit, offset], |r| {
            let scores: Option<String> = r.get(8)?;
            Ok((
                HistoryRow {
                    id: r.get(0)?,
                    question_id: r.get(1)?,
                    started_at: r.get(2)?,
                    frames: r.get(3)?,
                    sample_rate: r.get(4)?,
                    status: TakeStatus::Complete,
                    followups: r.get(6)?,
                    draft: r.get(7)?,
                    scores: parse_scores(scores.as_deref()),
                    reviewed: r.get(9)?,
                },
                r.get::<_, String>(5)?,
            ))
        })?;
        rows.map(|r| {
            let (mut row, status) = r?;
            row.status = TakeStatus::parse(&status)?;
            Ok(row)
        })
        .collect()
    }

    /// (answers recorded, answers with a saved guided review), ever.
    pub(crate) fn answer_and_review_totals(&self) -> Result<(u32, u32)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM takes WHERE parent_id IS NULL AND status != 'recording'),
                    (SELECT count(DISTINCT take_id) FROM ratings
                     WHERE week >= '' AND kind = 'reviewed')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}

#[cfg(test)]
mod tests;
