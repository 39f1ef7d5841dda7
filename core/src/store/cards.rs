//! Spaced-repetition cards, one per question (FSRS state): the `question_cards` table, created by
//! migration 5. The scheduling itself (grades, intervals) is `crate::schedule`'s; this module
//! only reads and writes the rows.

use chrono::{DateTime, Utc};
use rs_fsrs::{Card, State};
use rusqlite::{params, OptionalExtension};

use super::{Store, StoreTx};
use crate::error::{CoreError, Result};
use crate::schedule::{iso, QuestionCard, ReviewGrade};

/// The stored word for a grade.
fn grade_word(g: ReviewGrade) -> &'static str {
    match g {
        ReviewGrade::Again => "again",
        ReviewGrade::Hard => "hard",
        ReviewGrade::Good => "good",
        ReviewGrade::Easy => "easy",
    }
}

fn parse_grade(s: &str) -> Result<ReviewGrade> {
    Ok(match s {
        "again" => ReviewGrade::Again,
        "hard" => ReviewGrade::Hard,
        "good" => ReviewGrade::Good,
        "easy" => ReviewGrade::Easy,
        other => return Err(CoreError::Database(format!("unknown grade '{other}'"))),
    })
}

fn parse_time(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| CoreError::Database(format!("bad time '{s}' in the schedule: {e}")))
}

fn state_word(s: State) -> &'static str {
    match s {
        State::New => "new",
        State::Learning => "learning",
        State::Review => "review",
        State::Relearning => "relearning",
    }
}

fn parse_state(s: &str) -> Result<State> {
    Ok(match s {
        "new" => State::New,
        "learning" => State::Learning,
        "review" => State::Review,
        "relearning" => State::Relearning,
        other => return Err(CoreError::Database(format!("unknown card state '{other}'"))),
    })
}

fn card_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(QuestionCard, String)> {
    Ok((
        QuestionCard {
            question_id: r.get(0)?,
            due: r.get(1)?,
            scheduled_days: r.get(2)?,
            reps: r.get(3)?,
            lapses: r.get(4)?,
            last_grade: ReviewGrade::Again,
            last_review: r.get(6)?,
        },
        r.get(5)?,
    ))
}

const CARD_COLUMNS: &str =
    "question_id, due, scheduled_days, reps, lapses, last_grade, last_review FROM question_cards";

impl StoreTx<'_> {
    /// A question's FSRS card as this write sees it (None before its first review), so the next
    /// state is computed from what the same transaction will overwrite.
    pub(crate) fn fsrs_card(&self, question_id: &str) -> Result<Option<Card>> {
        let row = self
            .tx
            .query_row(
                "SELECT due, stability, difficulty, elapsed_days, scheduled_days, reps, lapses,
                        state, last_review
                 FROM question_cards WHERE question_id = ?1",
                params![question_id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, f64>(1)?,
                        r.get::<_, f64>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, i32>(5)?,
                        r.get::<_, i32>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                    ))
                },
            )
            .optional()?;
        let Some((due, stability, difficulty, elapsed, scheduled, reps, lapses, state, last)) = row
        else {
            return Ok(None);
        };
        Ok(Some(Card {
            due: parse_time(&due)?,
            stability,
            difficulty,
            elapsed_days: elapsed,
            scheduled_days: scheduled,
            reps,
            lapses,
            state: parse_state(&state)?,
            last_review: parse_time(&last)?,
        }))
    }

    /// Writes a question's card as a review graded `grade` at `now` left it.
    pub(crate) fn save_fsrs_card(
        &self,
        question_id: &str,
        card: &Card,
        grade: ReviewGrade,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO question_cards (question_id, due, stability, difficulty, elapsed_days,
                 scheduled_days, reps, lapses, state, last_review, last_grade)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT(question_id) DO UPDATE SET due = excluded.due,
                 stability = excluded.stability, difficulty = excluded.difficulty,
                 elapsed_days = excluded.elapsed_days, scheduled_days = excluded.scheduled_days,
                 reps = excluded.reps, lapses = excluded.lapses, state = excluded.state,
                 last_review = excluded.last_review, last_grade = excluded.last_grade,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![
                question_id,
                iso(card.due),
                card.stability,
                card.difficulty,
                card.elapsed_days,
                card.scheduled_days,
                card.reps,
                card.lapses,
                state_word(card.state),
                iso(now),
                grade_word(grade),
            ],
        )?;
        Ok(())
    }
}

impl Store {
    /// A question's card, if it was ever reviewed.
    pub(crate) fn question_card(&self, question_id: &str) -> Result<Option<QuestionCard>> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {CARD_COLUMNS} WHERE question_id = ?1"),
                params![question_id],
                card_row,
            )
            .optional()?;
        row.map(|(mut c, g)| {
            c.last_grade = parse_grade(&g)?;
            Ok(c)
        })
        .transpose()
    }

    /// Cards due at or before `until`, earliest due first.
    pub(crate) fn due_question_cards(&self, until: DateTime<Utc>) -> Result<Vec<QuestionCard>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {CARD_COLUMNS} WHERE due <= ?1 ORDER BY due, question_id"
        ))?;
        let rows = stmt.query_map(params![iso(until)], card_row)?;
        rows.map(|r| {
            let (mut c, g) = r?;
            c.last_grade = parse_grade(&g)?;
            Ok(c)
        })
        .collect()
    }
}
