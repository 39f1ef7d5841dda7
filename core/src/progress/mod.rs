//! Progress over weeks, from the stored takes and their metrics.

use rusqlite::params;

use crate::bank::CRITERIA;

use crate::error::Result;
use crate::store::Store;

/// Delivery figures of one week's answers (weeks start on Monday, UTC).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct WeekDelivery {
    /// The Monday the week starts on, `YYYY-MM-DD`.
    pub week: String,
    /// Answers recorded that week.
    pub answers: u32,
    /// Answers of that week whose audio was measured.
    pub measured: u32,
    /// Mean time to the first word, seconds.
    pub mean_time_to_first_word_s: Option<f64>,
    /// Mean long pauses (>= 2 s) per minute.
    pub long_pauses_per_min: Option<f64>,
    /// Mean share of speaking time from first to last word (0..1).
    pub phonation_ratio: Option<f64>,
}

/// How far back a progress view looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The last 4 weeks.
    FourWeeks,
    /// The last 3 months.
    ThreeMonths,
    /// Everything.
    AllTime,
}

impl Period {
    /// The earliest `started_at` (ISO text, as stored) a view over this period includes.
    fn since(self) -> String {
        let days = match self {
            Period::FourWeeks => 28,
            Period::ThreeMonths => 91,
            Period::AllTime => return String::new(),
        };
        crate::schedule::iso(chrono::Utc::now() - chrono::Duration::days(days))
    }

    fn sqlite_modifier(self) -> &'static str {
        match self {
            Period::FourWeeks => "-28 days",
            Period::ThreeMonths => "-3 months",
            Period::AllTime => "-1000 years",
        }
    }
}

/// Answers per week with their delivery metrics, oldest week first.
pub fn delivery_by_week(store: &Store, period: Period) -> Result<Vec<WeekDelivery>> {
    let mut stmt = store.conn().prepare(
        "SELECT date(t.started_at, 'weekday 0', '-6 days') AS week,
                count(*) AS answers,
                count(m.take_id) AS measured,
                avg(json_extract(m.metrics, '$.time_to_first_word_s')),
                avg(json_extract(m.metrics, '$.long_pauses_per_min')),
                avg(json_extract(m.metrics, '$.phonation_ratio'))
         FROM takes t LEFT JOIN take_metrics m ON m.take_id = t.id
         WHERE t.parent_id IS NULL AND t.status != 'recording'
           AND t.started_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)
         GROUP BY week ORDER BY week",
    )?;
    let rows = stmt.query_map(params![period.sqlite_modifier()], |r| {
        Ok(WeekDelivery {
            week: r.get(0)?,
            answers: r.get(1)?,
            measured: r.get(2)?,
            mean_time_to_first_word_s: r.get(3)?,
            long_pauses_per_min: r.get(4)?,
            phonation_ratio: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

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

/// One criterion's mean score over some ratings.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct CriterionMean {
    /// Criterion key.
    pub criterion: String,
    /// Mean score 1 to 5 (None when nothing was scored).
    pub mean: Option<f64>,
    /// Scores counted.
    pub scored: u32,
}

/// One week of practice and guided-review scores (weeks start on Monday, UTC).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct WeekScores {
    /// The Monday the week starts on, `YYYY-MM-DD`.
    pub week: String,
    /// Answers recorded that week.
    pub answers: u32,
    /// Of those, answers with a saved guided review.
    pub reviewed: u32,
    /// Mean reviewed score per criterion, in rubric order (all five, feeling included).
    pub criteria: Vec<CriterionMean>,
}

fn in_criterion_order(found: &[(String, Option<f64>, u32)]) -> Vec<CriterionMean> {
    CRITERIA
        .iter()
        .map(|k| {
            let hit = found.iter().find(|(c, _, _)| c == k);
            CriterionMean {
                criterion: (*k).to_string(),
                mean: hit.and_then(|h| h.1),
                scored: hit.map_or(0, |h| h.2),
            }
        })
        .collect()
}

/// Practice count and mean guided-review score per criterion, per week, oldest week first.
pub fn criteria_by_week(store: &Store, period: Period) -> Result<Vec<WeekScores>> {
    criteria_by_week_since(store, &period.since())
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

fn criteria_by_week_since(store: &Store, since: &str) -> Result<Vec<WeekScores>> {
    let conn = store.conn();
    let mut weeks = conn.prepare(&format!(
        "SELECT {WEEK_OF} AS week, count(*) FROM takes
         WHERE parent_id IS NULL AND status != 'recording' AND started_at >= ?1
           AND {WEEK_OF} >= {FIRST_WEEK}
         GROUP BY {WEEK_OF} ORDER BY {WEEK_OF}"
    ))?;
    let weeks: Vec<(String, u32)> = weeks
        .query_map(params![since], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut reviewed = conn.prepare(&format!(
        "SELECT week, count(DISTINCT take_id) FROM ratings
         WHERE week >= {FIRST_WEEK} AND kind = 'reviewed' AND started_at >= ?1
         GROUP BY week"
    ))?;
    let reviewed: Vec<(String, u32)> = reviewed
        .query_map(params![since], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut scores = conn.prepare(&reviewed_scores_by_week())?;
    let scores: Vec<(String, String, Option<f64>, u32)> = scores
        .query_map(params![since], |r| {
            let sum: i64 = r.get(2)?;
            let n: u32 = r.get(3)?;
            Ok((r.get(0)?, r.get(1)?, mean_of(sum, n), n))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(weeks
        .into_iter()
        .map(|(week, answers)| {
            let found: Vec<(String, Option<f64>, u32)> = scores
                .iter()
                .filter(|s| s.0 == week)
                .map(|s| (s.1.clone(), s.2, s.3))
                .collect();
            WeekScores {
                criteria: in_criterion_order(&found),
                reviewed: reviewed.iter().find(|r| r.0 == week).map_or(0, |r| r.1),
                week,
                answers,
            }
        })
        .collect())
}

fn mean_of(sum: i64, n: u32) -> Option<f64> {
    (n > 0).then(|| sum as f64 / f64::from(n))
}

/// How often one check of a criterion was answered "no".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct CheckTally {
    /// Position of the check in the rubric (0-based).
    pub index: u8,
    /// Times answered "no".
    pub no: u32,
    /// Times answered at all.
    pub answered: u32,
}

/// The criterion with the lowest mean guided-review score, and its checks most often missed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Weakest {
    /// Criterion key.
    pub criterion: String,
    /// Its mean score.
    pub mean: f64,
    /// Every criterion's mean over the period, in rubric order (for context).
    pub all: Vec<CriterionMean>,
    /// Its checks answered "no" at least once, most often first.
    pub checks_no: Vec<CheckTally>,
}

/// The weakest criterion over a period (ties go to the earlier one in the rubric), or None
/// when nothing was reviewed.
pub fn weakest(store: &Store, period: Period) -> Result<Option<Weakest>> {
    weakest_since(store, &period.since())
}

fn weakest_since(store: &Store, since: &str) -> Result<Option<Weakest>> {
    let conn = store.conn();
    // The weekly sums add up to the period's: grouping those few rows by criterion is cheaper
    // than sorting every score by criterion.
    let mut stmt = conn.prepare(&format!(
        "SELECT criterion, sum(total), sum(n) FROM ({}) GROUP BY criterion",
        reviewed_scores_by_week()
    ))?;
    let found: Vec<(String, Option<f64>, u32)> = stmt
        .query_map(params![since], |r| {
            let sum: i64 = r.get(1)?;
            let n: u32 = r.get(2)?;
            Ok((r.get(0)?, mean_of(sum, n), n))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let all = in_criterion_order(&found);
    let Some((criterion, mean)) = all
        .iter()
        .filter_map(|c| c.mean.map(|m| (c.criterion.clone(), m)))
        .fold(None, |best: Option<(String, f64)>, (k, m)| match best {
            Some((_, b)) if b <= m => best,
            _ => Some((k, m)),
        })
    else {
        return Ok(None);
    };
    let mut stmt = conn.prepare(
        "SELECT check_index, sum(answer = 'no') AS no, count(*) FROM rating_checks
         WHERE criterion = ?2 AND kind = 'reviewed' AND started_at >= ?1
         GROUP BY check_index HAVING no > 0
         ORDER BY no DESC, check_index",
    )?;
    let checks_no = stmt
        .query_map(params![since, criterion], |r| {
            Ok(CheckTally {
                index: r.get(0)?,
                no: r.get(1)?,
                answered: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(Weakest {
        criterion,
        mean,
        all,
        checks_no,
    }))
}

/// One week of calibration: how the same answers were scored right after, in review, and blind.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct WeekCalibration {
    /// The Monday the week starts on, `YYYY-MM-DD`.
    pub week: String,
    /// Mean overall score of the quick ratings right after the take.
    pub immediate: Option<f64>,
    /// Mean overall score of the guided reviews.
    pub reviewed: Option<f64>,
    /// Mean overall score of the blind re-grades.
    pub regrade: Option<f64>,
    /// Mean of (immediate − reviewed) over answers that have both: above 0, you rate yourself
    /// higher in the moment than on replay.
    pub immediate_gap: Option<f64>,
    /// Mean of (re-grade − reviewed) over answers that have both.
    pub regrade_gap: Option<f64>,
    /// Answers with a quick rating, a review, a re-grade.
    pub counts: [u32; 3],
}

impl WeekCalibration {
    /// A row of (week, immediate, reviewed, regrade, both gaps, three counts).
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
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
}

/// Immediate vs reviewed vs re-grade overall scores per week, and the gaps, oldest week first.
pub fn calibration_by_week(store: &Store, period: Period) -> Result<Vec<WeekCalibration>> {
    calibration_by_week_since(store, &period.since())
}

fn calibration_by_week_since(store: &Store, since: &str) -> Result<Vec<WeekCalibration>> {
    // A take lies in one week, so grouping by (week, take) follows the index and needs no sort.
    let mut stmt = store.conn().prepare(&format!(
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
    let rows = stmt.query_map(params![since], WeekCalibration::from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Answers recorded on one day (UTC).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct PracticeDay {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Answers recorded that day.
    pub answers: u32,
}

/// The days with practice in a period (for the calendar), oldest first.
pub fn practice_days(store: &Store, period: Period) -> Result<Vec<PracticeDay>> {
    practice_days_since(store, &period.since())
}

fn practice_days_since(store: &Store, since: &str) -> Result<Vec<PracticeDay>> {
    let mut stmt = store.conn().prepare(
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

/// The streak as of now (Home shows it).
pub fn current_streak(store: &Store) -> Result<u32> {
    streak(store, chrono::Utc::now().date_naive())
}

/// Days in a row with at least one answer (UTC days, as the calendar counts them), ending today,
/// or yesterday while nothing is recorded yet today: a streak lasts until a whole day is missed.
pub fn streak(store: &Store, today: chrono::NaiveDate) -> Result<u32> {
    let Some(tomorrow) = today.succ_opt() else {
        return Ok(0);
    };
    // Newest first along the answers' index; reading stops at the first missed day.
    let mut stmt = store.conn().prepare(
        "SELECT date(started_at) FROM takes
         WHERE parent_id IS NULL AND status != 'recording' AND started_at < ?1
         ORDER BY started_at DESC",
    )?;
    let mut rows = stmt.query(params![tomorrow.format("%Y-%m-%d").to_string()])?;
    let mut days = 0u32;
    let mut last: Option<chrono::NaiveDate> = None;
    while let Some(row) = rows.next()? {
        let Some(day) = row
            .get::<_, Option<String>>(0)?
            .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        else {
            continue;
        };
        let expected = match last {
            Some(l) if l == day => continue,
            Some(l) => l.pred_opt(),
            // The newest answer starts the streak only if it is from today or yesterday.
            None if day == today || Some(day) == today.pred_opt() => Some(day),
            None => return Ok(0),
        };
        if Some(day) != expected {
            break;
        }
        days += 1;
        last = Some(day);
    }
    Ok(days)
}

/// Where an answer is in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Not reviewed yet.
    Waiting,
    /// A review was started and left as a draft.
    Draft,
    /// Reviewed.
    Reviewed,
}

/// One answer in the history, with the scores of its latest guided review.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HistoryTake {
    /// Take id.
    pub id: String,
    /// Question answered.
    pub question_id: String,
    /// When it was recorded (UTC, ISO 8601).
    pub started_at: String,
    /// Length in milliseconds.
    pub duration_ms: u64,
    /// Recording status (complete, interrupted, recovered).
    pub status: crate::store::TakeStatus,
    /// Review state.
    pub review: ReviewState,
    /// Follow-up replies recorded after it.
    pub followups: u32,
    /// Scores of the latest saved guided review, in rubric order (None where not scored).
    pub scores: Vec<Option<u8>>,
}

/// One question's place in the history: how many answers it has, and the newest of them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QuestionHistory {
    /// Question answered.
    pub question_id: String,
    /// Answers to it, in all.
    pub answers: u32,
    /// When it was last answered (UTC, ISO 8601).
    pub last_at: String,
    /// Its newest answers, newest first (the rest come a page at a time from
    /// [`question_history`]).
    pub takes: Vec<HistoryTake>,
}

/// Every question answered, most recently practised first, each with its newest
/// `per_question` answers: a long history is read a page at a time, never all at once.
pub fn history(store: &Store, per_question: u32) -> Result<Vec<QuestionHistory>> {
    let per_question = per_question.min(crate::limits::MAX_PAGE);
    let mut stmt = store.conn().prepare(
        "SELECT question_id, count(*), max(started_at) FROM takes
         WHERE parent_id IS NULL AND status != 'recording'
         GROUP BY question_id ORDER BY max(started_at) DESC, question_id",
    )?;
    let questions: Vec<(String, u32, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    questions
        .into_iter()
        .map(|(question_id, answers, last_at)| {
            Ok(QuestionHistory {
                takes: question_history(store, &question_id, 0, per_question)?,
                question_id,
                answers,
                last_at,
            })
        })
        .collect()
}

/// One question's answers, newest first: `limit` of them (at most
/// [`MAX_PAGE`](crate::limits::MAX_PAGE)) after the newest `offset`.
pub fn question_history(
    store: &Store,
    question_id: &str,
    offset: u32,
    limit: u32,
) -> Result<Vec<HistoryTake>> {
    crate::limits::check_id("question", question_id)?;
    let limit = limit.min(crate::limits::MAX_PAGE);
    let mut stmt = store.conn().prepare_cached(
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
        let frames: i64 = r.get(3)?;
        let rate: u32 = r.get(4)?;
        let status: String = r.get(5)?;
        let draft: bool = r.get(7)?;
        let scores: Option<String> = r.get(8)?;
        let reviewed: bool = r.get(9)?;
        Ok((
            HistoryTake {
                id: r.get(0)?,
                question_id: r.get(1)?,
                started_at: r.get(2)?,
                duration_ms: if rate == 0 {
                    0
                } else {
                    (frames.max(0) as u64) * 1000 / u64::from(rate)
                },
                status: crate::store::TakeStatus::Complete,
                review: match (reviewed, draft) {
                    (true, _) => ReviewState::Reviewed,
                    (false, true) => ReviewState::Draft,
                    (false, false) => ReviewState::Waiting,
                },
                followups: r.get(6)?,
                scores: parse_scores(scores.as_deref()),
            },
            status,
        ))
    })?;
    rows.map(|r| {
        let (mut t, status) = r?;
        t.status = crate::store::TakeStatus::parse(&status)?;
        Ok(t)
    })
    .collect()
}

fn parse_scores(s: Option<&str>) -> Vec<Option<u8>> {
    let pairs: Vec<(&str, u8)> = s
        .unwrap_or("")
        .split(',')
        .filter_map(|p| p.split_once('='))
        .filter_map(|(k, v)| v.parse().ok().map(|v| (k, v)))
        .collect();
    CRITERIA
        .iter()
        .map(|k| pairs.iter().find(|(c, _)| c == k).map(|p| p.1))
        .collect()
}

/// A short account of practice for `candor-cli stats`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Answers recorded, ever.
    pub takes: u32,
    /// Answers with a saved guided review, ever.
    pub reviewed: u32,
    /// Mean guided-review score per criterion over the last 4 weeks.
    pub last_four_weeks: Vec<CriterionMean>,
    /// The weakest criterion over the last 4 weeks.
    pub weakest: Option<String>,
    /// Questions due for practice by the end of today.
    pub due_today: u32,
    /// Days in a row with practice, as of now (see `streak`).
    pub streak_days: u32,
}

/// The numbers `candor-cli stats` prints; `end_of_today` bounds what counts as due today.
pub fn summary(store: &Store, end_of_today: chrono::DateTime<chrono::Utc>) -> Result<Summary> {
    let (takes, reviewed): (u32, u32) = store.conn().query_row(
        "SELECT (SELECT count(*) FROM takes WHERE parent_id IS NULL AND status != 'recording'),
                (SELECT count(DISTINCT take_id) FROM ratings
                 WHERE week >= '' AND kind = 'reviewed')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let weak = weakest(store, Period::FourWeeks)?;
    let last_four_weeks = match &weak {
        Some(w) => w.all.clone(),
        None => in_criterion_order(&[]),
    };
    Ok(Summary {
        takes,
        reviewed,
        last_four_weeks,
        weakest: weak.map(|w| w.criterion),
        due_today: crate::schedule::due_cards(store, end_of_today)?.len() as u32,
        streak_days: current_streak(store)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewTake, TakeStatus};

    fn metrics_json(first: f64, long_per_min: f64) -> String {
        format!(
            r#"{{"time_to_first_word_s":{first},"long_pauses_per_min":{long_per_min},"phonation_ratio":0.8}}"#
        )
    }

    use crate::store::{CheckAnswer, CheckMark, CriterionRating, RatingInput, RatingKind};

    #[test]
    fn streak_counts_days_in_a_row_up_to_today_or_yesterday() {
        let s = Store::open_in_memory().unwrap();
        let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        assert_eq!(streak(&s, day("2026-03-10")).unwrap(), 0);
        // Three days in a row (two answers on the middle one), a gap, then older practice.
        for (i, at) in [
            "2026-03-01T09:00:00Z",
            "2026-03-02T09:00:00Z",
            "2026-03-05T09:00:00Z",
            "2026-03-06T08:00:00Z",
            "2026-03-06T21:00:00Z",
            "2026-03-07T23:59:00Z",
        ]
        .iter()
        .enumerate()
        {
            answer_at(&s, &format!("{i:032}"), "q1", at);
        }
        assert_eq!(streak(&s, day("2026-03-07")).unwrap(), 3, "ending today");
        assert_eq!(
            streak(&s, day("2026-03-08")).unwrap(),
            3,
            "nothing yet today"
        );
        assert_eq!(
            streak(&s, day("2026-03-09")).unwrap(),
            0,
            "a whole day missed"
        );
        assert_eq!(
            streak(&s, day("2026-03-06")).unwrap(),
            2,
            "later answers do not count"
        );
        assert_eq!(streak(&s, day("2026-03-03")).unwrap(), 2);
        // A take still recording is not practice yet.
        s.insert_recording(&NewTake::answer("f".repeat(32).as_str(), "q1", 16000))
            .unwrap();
        s.conn()
            .execute(
                "UPDATE takes SET started_at = '2026-03-08T10:00:00Z' WHERE id = ?1",
                params!["f".repeat(32)],
            )
            .unwrap();
        assert_eq!(streak(&s, day("2026-03-09")).unwrap(), 0);
    }

    fn answer_at(s: &Store, id: &str, q: &str, at: &str) {
        s.insert_recording(&NewTake::answer(id, q, 16000)).unwrap();
        s.finish(id, TakeStatus::Complete, 32000, None, None)
            .unwrap();
        s.conn()
            .execute(
                "UPDATE takes SET started_at = ?2 WHERE id = ?1",
                params![id, at],
            )
            .unwrap();
    }

    /// A rating of `kind` with these scores (rubric order; 0 = not scored) and checks
    /// (criterion, check index, answer).
    fn rate(
        s: &Store,
        take: &str,
        kind: RatingKind,
        scores: [u8; 5],
        checks: &[(&str, u8, CheckAnswer)],
    ) {
        let input = RatingInput {
            take_id: take.into(),
            kind,
            step: 0,
            scores: CRITERIA
                .iter()
                .zip(scores)
                .map(|(k, v)| CriterionRating {
                    criterion: (*k).into(),
                    score: (v > 0).then_some(v),
                    note: String::new(),
                    checks: checks
                        .iter()
                        .filter(|c| c.0 == *k)
                        .map(|c| CheckMark {
                            index: c.1,
                            answer: c.2,
                        })
                        .collect(),
                })
                .collect(),
            red_flags: vec![],
            feelings: vec![],
            feelings_note: String::new(),
            commitment: String::new(),
        };
        s.finalize_rating(&input).unwrap();
    }

    /// Two weeks: a1, a2 in the week of Monday 5 January 2026; b1, b2 in the week of the 12th
    /// (b2 on the Sunday, late, unreviewed); a follow-up and an unfinished take are not answers.
    fn small_history() -> Store {
        use CheckAnswer::{No, Partly, Yes};
        let s = Store::open_in_memory().unwrap();
        answer_at(&s, "a1", "q1", "2026-01-05T10:00:00.000Z");
        answer_at(&s, "a2", "q2", "2026-01-07T10:00:00.000Z");
        answer_at(&s, "b1", "q1", "2026-01-12T10:00:00.000Z");
        answer_at(&s, "b2", "q3", "2026-01-18T23:00:00.000Z");
        let f = NewTake {
            parent_id: Some("a1"),
            ..NewTake::answer("f1", "q1", 16000)
        };
        s.insert_recording(&f).unwrap();
        s.insert_recording(&NewTake::answer("rec", "q1", 16000))
            .unwrap();
        rate(
            &s,
            "a1",
            RatingKind::Reviewed,
            [2, 4, 3, 4, 1],
            &[("feeling", 0, No), ("feeling", 1, No), ("feeling", 2, Yes)],
        );
        rate(
            &s,
            "a2",
            RatingKind::Reviewed,
            [4, 4, 3, 2, 3],
            &[("feeling", 1, No), ("honesty", 0, No)],
        );
        rate(
            &s,
            "b1",
            RatingKind::Reviewed,
            [3, 5, 4, 4, 2],
            &[("feeling", 1, Partly), ("feeling", 2, No)],
        );
        rate(&s, "a1", RatingKind::Immediate, [4, 4, 0, 0, 0], &[]);
        rate(&s, "a2", RatingKind::Immediate, [3, 3, 3, 3, 3], &[]);
        rate(&s, "b1", RatingKind::Regrade, [3, 4, 4, 4, 2], &[]);
        s
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn weekly_criterion_means_and_practice_counts() {
        let s = small_history();
        let weeks = criteria_by_week(&s, Period::AllTime).unwrap();
        assert_eq!(weeks.len(), 2);
        assert_eq!(
            (weeks[0].week.as_str(), weeks[0].answers, weeks[0].reviewed),
            ("2026-01-05", 2, 2)
        );
        assert_eq!(
            (weeks[1].week.as_str(), weeks[1].answers, weeks[1].reviewed),
            ("2026-01-12", 2, 1)
        );
        let means = |w: &WeekScores| w.criteria.iter().map(|c| c.mean).collect::<Vec<_>>();
        assert_eq!(
            means(&weeks[0]),
            [Some(3.0), Some(4.0), Some(3.0), Some(3.0), Some(2.0)]
        );
        assert_eq!(
            means(&weeks[1]),
            [Some(3.0), Some(5.0), Some(4.0), Some(4.0), Some(2.0)]
        );
        let keys: Vec<_> = weeks[0]
            .criteria
            .iter()
            .map(|c| c.criterion.as_str())
            .collect();
        assert_eq!(keys, CRITERIA);
        assert_eq!(weeks[0].criteria[4].scored, 2);
        // Nothing from 2026 is within the last four weeks of "now" (2026-11 or later).
        assert!(criteria_by_week(&s, Period::FourWeeks).unwrap().is_empty());
    }

    #[test]
    fn weakest_criterion_with_its_most_missed_checks() {
        let s = small_history();
        let w = weakest(&s, Period::AllTime).unwrap().unwrap();
        assert_eq!(w.criterion, "feeling");
        assert!(close(Some(w.mean), 2.0));
        assert!(close(w.all[1].mean, 13.0 / 3.0));
        assert_eq!(
            w.checks_no,
            [
                CheckTally {
                    index: 1,
                    no: 2,
                    answered: 3
                },
                CheckTally {
                    index: 0,
                    no: 1,
                    answered: 1
                },
                CheckTally {
                    index: 2,
                    no: 1,
                    answered: 2
                },
            ]
        );
        assert!(weakest(&Store::open_in_memory().unwrap(), Period::AllTime)
            .unwrap()
            .is_none());
    }

    #[test]
    fn calibration_compares_quick_reviewed_and_blind_scores() {
        let s = small_history();
        let c = calibration_by_week(&s, Period::AllTime).unwrap();
        assert_eq!(c.len(), 2);
        // a1: quick 4.0 vs reviewed 2.8; a2: quick 3.0 vs reviewed 3.2.
        assert!(close(c[0].immediate, 3.5));
        assert!(close(c[0].reviewed, 3.0));
        assert!(close(c[0].immediate_gap, 0.5));
        assert_eq!((c[0].regrade, c[0].counts), (None, [2, 2, 0]));
        // b1: reviewed 3.6, blind re-grade 3.4.
        assert!(close(c[1].reviewed, 3.6));
        assert!(close(c[1].regrade_gap, -0.2));
        assert_eq!((c[1].immediate, c[1].counts), (None, [0, 1, 1]));
    }

    #[test]
    fn practice_calendar_counts_answers_per_day() {
        let s = small_history();
        let days: Vec<_> = practice_days(&s, Period::AllTime)
            .unwrap()
            .into_iter()
            .map(|d| (d.day, d.answers))
            .collect();
        let want = [
            ("2026-01-05", 1),
            ("2026-01-07", 1),
            ("2026-01-12", 1),
            ("2026-01-18", 1),
        ];
        assert_eq!(days, want.map(|(d, n)| (d.to_string(), n)));
    }

    #[test]
    fn history_lists_questions_latest_first_with_a_page_of_answers_each() {
        let s = small_history();
        let h = history(&s, 1).unwrap();
        let qs: Vec<_> = h
            .iter()
            .map(|q| (q.question_id.as_str(), q.answers, q.takes.len()))
            .collect();
        // q3 last answered on the 18th, q1 on the 12th, q2 on the 7th.
        assert_eq!(qs, [("q3", 1, 1), ("q1", 2, 1), ("q2", 1, 1)]);
        assert_eq!(h[1].last_at, "2026-01-12T10:00:00.000Z");
        let b1 = &h[1].takes[0];
        assert_eq!(b1.id, "b1");
        assert_eq!(b1.scores, [Some(3), Some(5), Some(4), Some(4), Some(2)]);
        assert_eq!(
            (h[0].takes[0].review, h[0].takes[0].scores.clone()),
            (ReviewState::Waiting, vec![None; 5])
        );
        // The next page of q1 holds its older answer, with its follow-up counted.
        let more = question_history(&s, "q1", 1, 10).unwrap();
        assert_eq!(more.len(), 1);
        assert_eq!(
            (more[0].id.as_str(), more[0].followups, more[0].duration_ms),
            ("a1", 1, 2000)
        );
        assert_eq!(more[0].review, ReviewState::Reviewed);
        assert!(question_history(&s, "q1", 2, 10).unwrap().is_empty());
        let all: Vec<_> = history(&s, 10).unwrap()[1]
            .takes
            .iter()
            .map(|t| t.id.clone())
            .collect();
        assert_eq!(all, ["b1", "a1"]);
    }

    #[test]
    fn a_review_left_as_a_draft_shows_as_started() {
        let s = small_history();
        let mut input = RatingInput {
            take_id: "b2".into(),
            kind: RatingKind::Reviewed,
            step: 1,
            scores: vec![],
            red_flags: vec![],
            feelings: vec![],
            feelings_note: String::new(),
            commitment: String::new(),
        };
        s.save_rating_draft(&input).unwrap();
        let b2 = &question_history(&s, "q3", 0, 5).unwrap()[0];
        assert_eq!(b2.review, ReviewState::Draft);
        input.step = 2;
        s.save_rating_draft(&input).unwrap();
        // A draft counts nowhere in the progress views.
        assert_eq!(
            weakest(&s, Period::AllTime).unwrap().unwrap().all[0].scored,
            3
        );
    }

    fn facts_are_fresh(s: &Store, after: &str) {
        assert_eq!(
            crate::store::stale_progress_facts(s.conn()),
            0,
            "stale progress facts after {after}"
        );
    }

    #[test]
    fn progress_facts_follow_every_kind_of_write() {
        let s = small_history();
        facts_are_fresh(&s, "finalized ratings");
        let c = s.conn();
        let counted = |take: &str| -> i64 {
            c.query_row(
                "SELECT count(*) FROM rating_scores s JOIN ratings r ON r.id = s.rating_id
                 WHERE r.take_id = ?1 AND s.week IS NOT NULL",
                params![take],
                |r| r.get(0),
            )
            .unwrap()
        };
        // A draft with scores counts nowhere; saving it counts it.
        let mut input = RatingInput {
            take_id: "b2".into(),
            kind: RatingKind::Reviewed,
            step: 3,
            scores: CRITERIA
                .iter()
                .map(|k| CriterionRating {
                    criterion: (*k).into(),
                    score: Some(1),
                    note: String::new(),
                    checks: vec![CheckMark {
                        index: 0,
                        answer: CheckAnswer::No,
                    }],
                })
                .collect(),
            red_flags: vec![],
            feelings: vec![],
            feelings_note: String::new(),
            commitment: String::new(),
        };
        s.save_rating_draft(&input).unwrap();
        facts_are_fresh(&s, "a draft");
        assert_eq!(counted("b2"), 0);
        input.scores[0].score = Some(2);
        s.finalize_rating(&input).unwrap();
        facts_are_fresh(&s, "saving the draft");
        assert_eq!(counted("b2"), 5);
        // A take moved to another week takes its ratings along.
        c.execute(
            "UPDATE takes SET started_at = '2026-02-02T09:00:00.000Z' WHERE id = 'a1'",
            [],
        )
        .unwrap();
        facts_are_fresh(&s, "moving a take");
        let weeks: Vec<_> = criteria_by_week(&s, Period::AllTime)
            .unwrap()
            .into_iter()
            .map(|w| (w.week, w.answers, w.reviewed))
            .collect();
        assert_eq!(
            weeks,
            [
                ("2026-01-05".into(), 1, 1),
                ("2026-01-12".into(), 2, 2),
                ("2026-02-02".into(), 1, 1)
            ]
        );
        // Scores changed or removed by hand move the rating's mean.
        c.execute("UPDATE rating_scores SET score = 5 WHERE score = 1", [])
            .unwrap();
        facts_are_fresh(&s, "changing scores");
        c.execute("DELETE FROM rating_scores WHERE criterion = 'feeling'", [])
            .unwrap();
        facts_are_fresh(&s, "deleting scores");
        // Deleting a take deletes its facts with its ratings.
        s.delete_take("b1").unwrap();
        facts_are_fresh(&s, "deleting a take");
        let cal = calibration_by_week(&s, Period::AllTime).unwrap();
        assert_eq!(cal.iter().map(|w| w.counts[2]).sum::<u32>(), 0);
    }

    /// (week, criterion, mean, scores counted).
    type WeeklyMean = (String, String, f64, u32);

    /// The weekly means and calibration as the joins of takes, ratings and scores give them
    /// (how the views were computed before migration 6).
    fn by_joins(s: &Store, since: &str) -> (Vec<WeeklyMean>, Vec<WeekCalibration>) {
        let c = s.conn();
        let mut means = c
            .prepare(
                "SELECT date(t.started_at, 'weekday 0', '-6 days') AS wk, s.criterion,
                        avg(s.score), count(s.score)
                 FROM takes t JOIN ratings r ON r.take_id = t.id
                      JOIN rating_scores s ON s.rating_id = r.id
                 WHERE t.parent_id IS NULL AND t.started_at >= ?1 AND r.kind = 'reviewed'
                   AND r.status = 'saved' AND s.score IS NOT NULL
                 GROUP BY wk, s.criterion ORDER BY wk, s.criterion",
            )
            .unwrap();
        let means = means
            .query_map(params![since], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut cal = c
            .prepare(
                "WITH per_rating AS (
                     SELECT r.take_id, r.kind, avg(s.score) AS mean
                     FROM takes t JOIN ratings r ON r.take_id = t.id AND r.status = 'saved'
                          JOIN rating_scores s ON s.rating_id = r.id AND s.score IS NOT NULL
                     WHERE t.parent_id IS NULL AND t.started_at >= ?1
                     GROUP BY r.id
                 ), per_take AS (
                     SELECT take_id,
                            avg(CASE WHEN kind = 'immediate' THEN mean END) AS imm,
                            avg(CASE WHEN kind = 'reviewed' THEN mean END) AS rev,
                            avg(CASE WHEN kind = 'regrade' THEN mean END) AS reg
                     FROM per_rating GROUP BY take_id
                 )
                 SELECT date(t.started_at, 'weekday 0', '-6 days') AS wk, avg(p.imm),
                        avg(p.rev), avg(p.reg), avg(p.imm - p.rev), avg(p.reg - p.rev),
                        count(p.imm), count(p.rev), count(p.reg)
                 FROM per_take p JOIN takes t ON t.id = p.take_id
                 GROUP BY wk ORDER BY wk",
            )
            .unwrap();
        let cal = cal
            .query_map(params![since], WeekCalibration::from_row)
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        (means, cal)
    }

    #[test]
    fn the_views_over_the_facts_agree_with_the_joins() {
        let dir = tempfile::tempdir().unwrap();
        let data = crate::data_dir::DataDir::at(dir.path());
        data.ensure().unwrap();
        let s = Store::open(&data.database()).unwrap();
        let spec = crate::sample_history::HistorySpec {
            days: 200,
            takes: 400,
            seed: 11,
            end: chrono::Utc::now(),
            with_audio: false,
        };
        crate::sample_history::generate(
            &data,
            &s,
            &crate::bank::builtin().unwrap().questions,
            &crate::rubric::builtin().unwrap(),
            &spec,
        )
        .unwrap();
        facts_are_fresh(&s, "a generated history");
        for period in [Period::FourWeeks, Period::ThreeMonths, Period::AllTime] {
            let since = period.since();
            let (means, cal) = by_joins(&s, &since);
            assert!(means.len() > 20 && !cal.is_empty(), "{period:?}");
            let mut got: Vec<WeeklyMean> = criteria_by_week(&s, period)
                .unwrap()
                .into_iter()
                .flat_map(|w| {
                    w.criteria.into_iter().filter_map(move |c| {
                        c.mean.map(|m| (w.week.clone(), c.criterion, m, c.scored))
                    })
                })
                .collect();
            got.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
            assert_eq!(got.len(), means.len(), "{period:?}");
            for (g, w) in got.iter().zip(&means) {
                assert!(
                    g.0 == w.0 && g.1 == w.1 && g.3 == w.3 && (g.2 - w.2).abs() < 1e-9,
                    "{period:?}: {g:?} vs {w:?}"
                );
            }
            let got_cal = calibration_by_week(&s, period).unwrap();
            assert_eq!(got_cal.len(), cal.len(), "{period:?}");
            let same = |a: Option<f64>, b: Option<f64>| match (a, b) {
                (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                (a, b) => a.is_none() && b.is_none(),
            };
            for (g, w) in got_cal.iter().zip(&cal) {
                assert!(
                    g.week == w.week
                        && g.counts == w.counts
                        && same(g.immediate, w.immediate)
                        && same(g.reviewed, w.reviewed)
                        && same(g.regrade, w.regrade)
                        && same(g.immediate_gap, w.immediate_gap)
                        && same(g.regrade_gap, w.regrade_gap),
                    "{period:?}: {g:?} vs {w:?}"
                );
            }
        }
    }

    #[test]
    fn summary_counts_takes_reviews_and_due_questions() {
        let s = small_history();
        let far = chrono::Utc::now() + chrono::Duration::days(3650);
        crate::schedule::record_review(
            &s,
            "q1",
            crate::schedule::ReviewGrade::Good,
            chrono::Utc::now(),
        )
        .unwrap();
        let sum = summary(&s, far).unwrap();
        assert_eq!((sum.takes, sum.reviewed, sum.due_today), (4, 3, 1));
        assert_eq!(sum.weakest, None);
        assert_eq!(sum.last_four_weeks.len(), 5);
        assert_eq!(summary(&s, chrono::Utc::now()).unwrap().due_today, 0);
    }

    #[test]
    fn groups_answers_by_monday_week_with_their_metrics() {
        let s = Store::open_in_memory().unwrap();
        let c = s.conn();
        for (id, at) in [
            ("a", "-1 days"),
            ("b", "-1 days"),
            ("c", "-8 days"),
            ("old", "-200 days"),
        ] {
            s.insert_recording(&NewTake::answer(id, "q", 16000))
                .unwrap();
            s.finish(id, TakeStatus::Complete, 16000, None, None)
                .unwrap();
            c.execute(
                "UPDATE takes SET started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?2) WHERE id = ?1",
                params![id, at],
            )
            .unwrap();
        }
        for (id, first, long) in [("a", 1.0, 0.0), ("b", 3.0, 2.0), ("c", 5.0, 1.0)] {
            c.execute(
                "INSERT INTO take_metrics (take_id, metrics) VALUES (?1, ?2)",
                params![id, metrics_json(first, long)],
            )
            .unwrap();
        }
        let weeks = delivery_by_week(&s, Period::FourWeeks).unwrap();
        let total: u32 = weeks.iter().map(|w| w.answers).sum();
        assert_eq!(total, 3, "{weeks:?}");
        assert!(weeks.iter().all(|w| w.week.len() == 10));
        let all = delivery_by_week(&s, Period::AllTime).unwrap();
        assert_eq!(all.iter().map(|w| w.answers).sum::<u32>(), 4);
        // a and b (same day) share a week, averaged; c is 7 days earlier, always another week.
        let ab = weeks.iter().find(|w| w.answers == 2).unwrap();
        assert_eq!(ab.mean_time_to_first_word_s, Some(2.0));
        assert_eq!(ab.long_pauses_per_min, Some(1.0));
        assert_eq!(weeks.len(), 2);
        let unmeasured = all.iter().find(|w| w.measured == 0).unwrap();
        assert_eq!(unmeasured.mean_time_to_first_word_s, None);
    }
}
