//! Progress over weeks, from the stored takes and their metrics. The rows come from
//! `Store` (the SQL is in `store/progress.rs`); what is made of them is decided here.

use std::ops::ControlFlow;

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
    /// Answers of that week with a transcript (the figures below come from their words).
    pub transcribed: u32,
    /// Mean words per minute (fillers not counted).
    pub words_per_min: Option<f64>,
    /// Mean fillers per minute.
    pub fillers_per_min: Option<f64>,
    /// Mean longest stretch without a filler, seconds.
    pub longest_without_filler_s: Option<f64>,
    /// Times uncertainty was said out loud in that week's answers (never a fault).
    pub uncertainty_voiced: u32,
}

/// How far back a progress view looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case", rename = "ProgressPeriod")]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
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
    pub(crate) fn since(self) -> String {
        let days = match self {
            Period::FourWeeks => 28,
            Period::ThreeMonths => 91,
            Period::AllTime => return String::new(),
        };
        crate::schedule::iso(chrono::Utc::now() - chrono::Duration::days(days))
    }
}

/// Answers per week with their delivery metrics, oldest week first.
pub fn delivery_by_week(store: &Store, period: Period) -> Result<Vec<WeekDelivery>> {
    store.delivery_by_week(period)
}

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

fn criteria_by_week_since(store: &Store, since: &str) -> Result<Vec<WeekScores>> {
    let weeks = store.answers_by_week(since)?;
    let reviewed = store.reviewed_answers_by_week(since)?;
    let scores = store.reviewed_score_sums_by_week(since)?;
    Ok(weeks
        .into_iter()
        .map(|(week, answers)| {
            let found: Vec<(String, Option<f64>, u32)> = scores
                .iter()
                .filter(|s| s.0 == week)
                .map(|(_, s)| (s.criterion.clone(), mean_of(s.sum, s.n), s.n))
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
    let found: Vec<(String, Option<f64>, u32)> = store
        .reviewed_score_sums(since)?
        .into_iter()
        .map(|s| (s.criterion, mean_of(s.sum, s.n), s.n))
        .collect();
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
    let checks_no = store.checks_answered_no(since, &criterion)?;
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

/// Immediate vs reviewed vs re-grade overall scores per week, and the gaps, oldest week first.
pub fn calibration_by_week(store: &Store, period: Period) -> Result<Vec<WeekCalibration>> {
    store.calibration_by_week(&period.since())
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
    store.practice_days(&period.since())
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
    let mut days = 0u32;
    let mut last: Option<chrono::NaiveDate> = None;
    store.answer_days_newest_first(&tomorrow.format("%Y-%m-%d").to_string(), |day| {
        let expected = match last {
            Some(l) if l == day => return ControlFlow::Continue(()),
            Some(l) => l.pred_opt(),
            // The newest answer starts the streak only if it is from today or yesterday.
            None if day == today || Some(day) == today.pred_opt() => Some(day),
            None => return ControlFlow::Break(()),
        };
        if Some(day) != expected {
            return ControlFlow::Break(());
        }
        days += 1;
        last = Some(day);
        ControlFlow::Continue(())
    })?;
    Ok(days)
}

/// Where an answer is in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
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
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct HistoryTake {
    /// Take id.
    pub id: String,
    /// Question answered.
    pub question_id: String,
    /// When it was recorded (UTC, ISO 8601).
    pub started_at: String,
    /// Length in milliseconds (saturating: 49 days is far beyond any take).
    pub duration_ms: u32,
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
#[cfg_attr(feature = "ipc", derive(specta::Type))]
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
    store
        .answered_questions()?
        .into_iter()
        .map(|q| {
            Ok(QuestionHistory {
                takes: question_history(store, &q.question_id, 0, per_question)?,
                question_id: q.question_id,
                answers: q.answers,
                last_at: q.last_at,
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
    Ok(store
        .question_history(question_id, offset, limit)?
        .into_iter()
        .map(|t| HistoryTake {
            duration_ms: if t.sample_rate == 0 {
                0
            } else {
                u32::try_from((t.frames.max(0) as u64) * 1000 / u64::from(t.sample_rate))
                    .unwrap_or(u32::MAX)
            },
            review: match (t.reviewed, t.draft) {
                (true, _) => ReviewState::Reviewed,
                (false, true) => ReviewState::Draft,
                (false, false) => ReviewState::Waiting,
            },
            scores: in_rubric_order(&t.scores),
            id: t.id,
            question_id: t.question_id,
            started_at: t.started_at,
            status: t.status,
            followups: t.followups,
        })
        .collect())
}

/// A rating's (criterion, score) pairs as scores in rubric order, None where not scored.
fn in_rubric_order(pairs: &[(String, u8)]) -> Vec<Option<u8>> {
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
    let (takes, reviewed) = store.answer_and_review_totals()?;
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
pub(crate) mod tests;
