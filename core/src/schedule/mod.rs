//! Spaced repetition of questions with FSRS (the `rs-fsrs` scheduler): one card per question,
//! moved on each time a guided review of an answer to it is saved.
//!
//! The grade a review gives the card comes from its overall score, the mean of the five
//! criterion scores (1 to 5):
//!
//! | mean score      | FSRS grade | meaning                                        |
//! |-----------------|------------|------------------------------------------------|
//! | below 2.0       | Again      | mostly weak: practise it again soon            |
//! | 2.0 up to 3.0   | Hard       | partly there                                   |
//! | 3.0 up to 4.0   | Good       | solid                                          |
//! | 4.0 and above   | Easy       | strong on nearly everything                    |
//!
//! Intervals are whole days (FSRS's long-term scheduler, no same-day learning steps): a
//! question is practised at most about once a day.

use chrono::{DateTime, SecondsFormat, Utc};
use rs_fsrs::{Card, Parameters, Rating as Grade, FSRS};

use crate::error::{CoreError, Result};
use crate::store::{Store, StoreTx};

/// The grade a review gives a question's card (FSRS's four buttons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewGrade {
    /// Mean score below 2.
    Again,
    /// Mean score from 2 up to 3.
    Hard,
    /// Mean score from 3 up to 4.
    Good,
    /// Mean score 4 or more.
    Easy,
}

impl ReviewGrade {
    /// The grade for a review's mean criterion score (see the module's table).
    pub fn from_mean_score(mean: f64) -> ReviewGrade {
        if mean < 2.0 {
            ReviewGrade::Again
        } else if mean < 3.0 {
            ReviewGrade::Hard
        } else if mean < 4.0 {
            ReviewGrade::Good
        } else {
            ReviewGrade::Easy
        }
    }

    fn fsrs(self) -> Grade {
        match self {
            ReviewGrade::Again => Grade::Again,
            ReviewGrade::Hard => Grade::Hard,
            ReviewGrade::Good => Grade::Good,
            ReviewGrade::Easy => Grade::Easy,
        }
    }
}

/// A question's scheduling state, as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QuestionCard {
    /// The question scheduled.
    pub question_id: String,
    /// When it is next due (UTC, ISO 8601).
    pub due: String,
    /// Days between the last review and `due`.
    pub scheduled_days: i64,
    /// Reviews so far.
    pub reps: i32,
    /// Times it was graded Again after it had been learned.
    pub lapses: i32,
    /// The grade of the last review.
    pub last_grade: ReviewGrade,
    /// When it was last reviewed (UTC, ISO 8601).
    pub last_review: String,
}

/// ISO 8601 with milliseconds and `Z`, the format SQLite's `strftime` writes (so text compares).
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn scheduler() -> FSRS {
    FSRS::new(Parameters {
        enable_short_term: false,
        enable_fuzz: false,
        ..Parameters::default()
    })
}

/// Moves a question's card on after a review graded `grade` at `now`; returns the new state.
pub fn record_review(
    store: &Store,
    question_id: &str,
    grade: ReviewGrade,
    now: DateTime<Utc>,
) -> Result<QuestionCard> {
    store.write(|tx| record_review_in(tx, question_id, grade, now))?;
    card(store, question_id)?
        .ok_or_else(|| CoreError::Database(format!("the card of {question_id} was not saved")))
}

/// Moves a question's card on inside a write already open (a rating's, or a generated
/// history's), so that the card and what graded it are committed together.
pub(crate) fn record_review_in(
    tx: &StoreTx<'_>,
    question_id: &str,
    grade: ReviewGrade,
    now: DateTime<Utc>,
) -> Result<()> {
    let current = tx.fsrs_card(question_id)?.unwrap_or_else(|| Card {
        due: now,
        last_review: now,
        ..Card::default()
    });
    let next = scheduler().next(current, now, grade.fsrs()).card;
    tx.save_fsrs_card(question_id, &next, grade, now)
}

/// The grade for a saved review, from the mean of its criterion scores; None without scores.
pub fn grade_of_scores(scores: impl IntoIterator<Item = u8>) -> Option<ReviewGrade> {
    let (sum, n) = scores
        .into_iter()
        .fold((0u32, 0u32), |(s, n), v| (s + u32::from(v), n + 1));
    (n > 0).then(|| ReviewGrade::from_mean_score(f64::from(sum) / f64::from(n)))
}

/// A question's card, if it was ever reviewed.
pub fn card(store: &Store, question_id: &str) -> Result<Option<QuestionCard>> {
    store.question_card(question_id)
}

/// Cards due at or before `until`, earliest due first.
pub fn due_cards(store: &Store, until: DateTime<Utc>) -> Result<Vec<QuestionCard>> {
    store.due_question_cards(until)
}

#[cfg(test)]
mod tests;
