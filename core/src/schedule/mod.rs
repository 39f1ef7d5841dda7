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
use rs_fsrs::{Card, Parameters, Rating as Grade, State, FSRS};
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{CoreError, Result};
use crate::store::Store;

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

    fn as_str(self) -> &'static str {
        match self {
            ReviewGrade::Again => "again",
            ReviewGrade::Hard => "hard",
            ReviewGrade::Good => "good",
            ReviewGrade::Easy => "easy",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "again" => ReviewGrade::Again,
            "hard" => ReviewGrade::Hard,
            "good" => ReviewGrade::Good,
            "easy" => ReviewGrade::Easy,
            other => return Err(CoreError::Database(format!("unknown grade '{other}'"))),
        })
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

fn parse_time(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| CoreError::Database(format!("bad time '{s}' in the schedule: {e}")))
}

fn state_str(s: State) -> &'static str {
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

fn scheduler() -> FSRS {
    FSRS::new(Parameters {
        enable_short_term: false,
        enable_fuzz: false,
        ..Parameters::default()
    })
}

fn load_card(conn: &Connection, question_id: &str) -> Result<Option<Card>> {
    let row = conn
        .query_row(
            "SELECT due, stability, difficulty, elapsed_days, scheduled_days, reps, lapses, state,
                    last_review
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

/// Moves a question's card on after a review graded `grade` at `now`; returns the new state.
pub fn record_review(
    store: &Store,
    question_id: &str,
    grade: ReviewGrade,
    now: DateTime<Utc>,
) -> Result<QuestionCard> {
    record_review_on(store.conn(), question_id, grade, now)?;
    card(store, question_id)?
        .ok_or_else(|| CoreError::Database(format!("the card of {question_id} was not saved")))
}

/// The statements of `record_review` on a connection (or a transaction open on it).
pub(crate) fn record_review_on(
    conn: &Connection,
    question_id: &str,
    grade: ReviewGrade,
    now: DateTime<Utc>,
) -> Result<()> {
    let current = load_card(conn, question_id)?.unwrap_or_else(|| Card {
        due: now,
        last_review: now,
        ..Card::default()
    });
    let next = scheduler().next(current, now, grade.fsrs()).card;
    conn.execute(
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
            iso(next.due),
            next.stability,
            next.difficulty,
            next.elapsed_days,
            next.scheduled_days,
            next.reps,
            next.lapses,
            state_str(next.state),
            iso(now),
            grade.as_str(),
        ],
    )?;
    Ok(())
}

/// The end of the local day (as UTC): questions due by then count as due today.
pub fn end_of_today() -> DateTime<Utc> {
    let now = chrono::Local::now();
    now.date_naive()
        .and_hms_opt(23, 59, 59)
        .and_then(|t| t.and_local_timezone(chrono::Local).latest())
        .map_or_else(
            || Utc::now() + chrono::Duration::hours(24),
            |t| t.with_timezone(&Utc),
        )
}

/// The grade for a saved review, from the mean of its criterion scores; None without scores.
pub fn grade_of_scores(scores: impl IntoIterator<Item = u8>) -> Option<ReviewGrade> {
    let (sum, n) = scores
        .into_iter()
        .fold((0u32, 0u32), |(s, n), v| (s + u32::from(v), n + 1));
    (n > 0).then(|| ReviewGrade::from_mean_score(f64::from(sum) / f64::from(n)))
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

/// A question's card, if it was ever reviewed.
pub fn card(store: &Store, question_id: &str) -> Result<Option<QuestionCard>> {
    let row = store
        .conn()
        .query_row(
            &format!("SELECT {CARD_COLUMNS} WHERE question_id = ?1"),
            params![question_id],
            card_row,
        )
        .optional()?;
    row.map(|(mut c, g)| {
        c.last_grade = ReviewGrade::parse(&g)?;
        Ok(c)
    })
    .transpose()
}

/// Cards due at or before `until`, earliest due first.
pub fn due_cards(store: &Store, until: DateTime<Utc>) -> Result<Vec<QuestionCard>> {
    let mut stmt = store.conn().prepare(&format!(
        "SELECT {CARD_COLUMNS} WHERE due <= ?1 ORDER BY due, question_id"
    ))?;
    let rows = stmt.query_map(params![iso(until)], card_row)?;
    rows.map(|r| {
        let (mut c, g) = r?;
        c.last_grade = ReviewGrade::parse(&g)?;
        Ok(c)
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()
    }

    fn due_in_days(c: &QuestionCard, at: DateTime<Utc>) -> i64 {
        (parse_time(&c.due).unwrap() - at).num_days()
    }

    #[test]
    fn mean_scores_map_to_the_documented_grades() {
        assert_eq!(ReviewGrade::from_mean_score(1.0), ReviewGrade::Again);
        assert_eq!(ReviewGrade::from_mean_score(1.99), ReviewGrade::Again);
        assert_eq!(ReviewGrade::from_mean_score(2.0), ReviewGrade::Hard);
        assert_eq!(ReviewGrade::from_mean_score(2.8), ReviewGrade::Hard);
        assert_eq!(ReviewGrade::from_mean_score(3.0), ReviewGrade::Good);
        assert_eq!(ReviewGrade::from_mean_score(3.8), ReviewGrade::Good);
        assert_eq!(ReviewGrade::from_mean_score(4.0), ReviewGrade::Easy);
        assert_eq!(ReviewGrade::from_mean_score(5.0), ReviewGrade::Easy);
        assert_eq!(grade_of_scores([3, 3, 4, 2, 3]), Some(ReviewGrade::Good));
        assert_eq!(grade_of_scores([1, 2, 2, 2, 3]), Some(ReviewGrade::Hard));
        assert_eq!(grade_of_scores([1, 2, 2, 1, 3]), Some(ReviewGrade::Again));
        assert_eq!(grade_of_scores([]), None);
    }

    #[test]
    fn good_reviews_push_the_due_date_further_each_time() {
        let s = Store::open_in_memory().unwrap();
        let mut at = t0();
        let mut last_interval = 0;
        for _ in 0..4 {
            let c = record_review(&s, "q", ReviewGrade::Good, at).unwrap();
            let interval = due_in_days(&c, at);
            assert!(interval > last_interval, "{interval} after {last_interval}");
            assert_eq!(interval, c.scheduled_days);
            last_interval = interval;
            at = parse_time(&c.due).unwrap();
        }
        let c = card(&s, "q").unwrap().unwrap();
        assert_eq!((c.reps, c.lapses, c.last_grade), (4, 0, ReviewGrade::Good));
    }

    #[test]
    fn easy_schedules_further_than_good_and_hard_nearer() {
        let intervals: Vec<i64> = [ReviewGrade::Hard, ReviewGrade::Good, ReviewGrade::Easy]
            .into_iter()
            .map(|g| {
                let s = Store::open_in_memory().unwrap();
                record_review(&s, "q", ReviewGrade::Good, t0()).unwrap();
                let at = t0() + Duration::days(3);
                due_in_days(&record_review(&s, "q", g, at).unwrap(), at)
            })
            .collect();
        assert!(intervals[0] < intervals[1], "{intervals:?}");
        assert!(intervals[1] < intervals[2], "{intervals:?}");
    }

    #[test]
    fn again_resets_to_a_short_interval_and_counts_a_lapse() {
        let s = Store::open_in_memory().unwrap();
        let mut at = t0();
        for _ in 0..3 {
            let c = record_review(&s, "q", ReviewGrade::Good, at).unwrap();
            at = parse_time(&c.due).unwrap();
        }
        let before = card(&s, "q").unwrap().unwrap().scheduled_days;
        assert!(before > 20, "{before}");
        let c = record_review(&s, "q", ReviewGrade::Again, at).unwrap();
        assert_eq!(c.lapses, 1);
        let after = due_in_days(&c, at);
        assert!((1..=before / 4).contains(&after), "{after} after {before}");
        assert_eq!(c.last_grade, ReviewGrade::Again);
        // From there, Good grows the interval again.
        let at = parse_time(&c.due).unwrap();
        let c = record_review(&s, "q", ReviewGrade::Good, at).unwrap();
        assert!(due_in_days(&c, at) > after);
    }

    #[test]
    fn due_cards_lists_what_is_due_by_a_time() {
        let s = Store::open_in_memory().unwrap();
        record_review(&s, "a", ReviewGrade::Again, t0()).unwrap();
        record_review(&s, "b", ReviewGrade::Easy, t0()).unwrap();
        assert!(due_cards(&s, t0()).unwrap().is_empty());
        let tomorrow = t0() + Duration::days(1);
        let due: Vec<_> = due_cards(&s, tomorrow)
            .unwrap()
            .into_iter()
            .map(|c| c.question_id)
            .collect();
        assert_eq!(due, ["a"]);
        assert_eq!(due_cards(&s, t0() + Duration::days(400)).unwrap().len(), 2);
        assert!(card(&s, "zz").unwrap().is_none());
    }
}
