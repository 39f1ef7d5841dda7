//! Progress use cases: the practice figures Home and `candor-cli stats` share, progress over
//! weeks, delivery, and the history of every question.
//!
//! One day convention throughout: days are UTC days (the streak, the calendar, the weeks and
//! "due today" alike), so the window and the terminal always agree.

use serde::Serialize;

use super::Candor;
use crate::bank;
use crate::error::Result;
use crate::progress::{
    self, CriterionMean, Period, PracticeDay, QuestionHistory, Weakest, WeekCalibration,
    WeekDelivery, WeekScores,
};
use crate::store::Store;

/// The practice figures, the same wherever they are shown (Home, `candor-cli stats`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overview {
    /// Answers recorded, ever (replies and takes still being recorded are not counted).
    pub takes: u32,
    /// Answers with a saved guided review.
    pub reviewed: u32,
    /// Answers waiting for a guided review.
    pub waiting_for_review: u32,
    /// Mean guided-review score per criterion over the last 4 weeks.
    pub last_four_weeks: Vec<CriterionMean>,
    /// The weakest criterion over the last 4 weeks.
    pub weakest: Option<String>,
    /// Visible questions due for practice by the end of today (UTC).
    pub due_today: u32,
    /// Days in a row with an answer (UTC days), up to today or yesterday.
    pub streak_days: u32,
}

/// Criterion means and practice per week, the weakest criterion, calibration, practice days.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ProgressOverview {
    /// Per week: criterion means and practice counts.
    pub weeks: Vec<WeekScores>,
    /// The weakest criterion over the period.
    pub weakest: Option<Weakest>,
    /// Per week: immediate, reviewed and re-graded means side by side.
    pub calibration: Vec<WeekCalibration>,
    /// Days with practice.
    pub days: Vec<PracticeDay>,
}

/// The end of the current UTC day: questions due by then are due today.
pub fn end_of_today() -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    now.date_naive()
        .and_hms_opt(23, 59, 59)
        .map_or(now, |t| t.and_utc())
}

/// The practice figures of `store`, counting only `visible` questions as due.
pub(crate) fn overview_of(store: &Store, visible: &[bank::Question]) -> Result<Overview> {
    let end = end_of_today();
    let sum = progress::summary(store, end)?;
    let due_today = crate::schedule::due_cards(store, end)?
        .iter()
        .filter(|c| visible.iter().any(|q| q.id == c.question_id))
        .count() as u32;
    Ok(Overview {
        takes: sum.takes,
        reviewed: sum.reviewed,
        waiting_for_review: store.review_queue_count()?,
        last_four_weeks: sum.last_four_weeks,
        weakest: sum.weakest,
        due_today,
        streak_days: sum.streak_days,
    })
}

impl Candor {
    /// The practice figures (what Home shows and `candor-cli stats` prints).
    pub fn overview(&self) -> Result<Overview> {
        let folder = self.folder()?;
        let visible = crate::library::practice_questions(self.bank()?, folder.store())?;
        overview_of(folder.store(), &visible)
    }

    /// Criterion means and practice per week, the weakest criterion, calibration, practice days.
    pub fn progress_overview(&self, period: Period) -> Result<ProgressOverview> {
        let folder = self.folder()?;
        let store = folder.store();
        Ok(ProgressOverview {
            weeks: progress::criteria_by_week(store, period)?,
            weakest: progress::weakest(store, period)?,
            calibration: progress::calibration_by_week(store, period)?,
            days: progress::practice_days(store, period)?,
        })
    }

    /// Practice and delivery per week over a period.
    pub fn delivery_by_week(&self, period: Period) -> Result<Vec<WeekDelivery>> {
        self.refresh_word_delivery()?;
        progress::delivery_by_week(self.folder()?.store(), period)
    }

    /// Every question answered, latest first, with its newest answers and their scores.
    pub fn history(&self, per_question: u32) -> Result<Vec<QuestionHistory>> {
        progress::history(self.folder()?.store(), per_question)
    }

    /// A further page of one question's answers, newest first.
    pub fn question_history(
        &self,
        question_id: &str,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<progress::HistoryTake>> {
        crate::limits::check_id("question", question_id)?;
        progress::question_history(self.folder()?.store(), question_id, offset, limit)
    }
}
