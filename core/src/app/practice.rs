//! Practice use cases: what Home shows and suggests, a question and its push-backs, mock rounds,
//! and the takes of a question.

use serde::Serialize;

use super::Candor;
use crate::bank::{self, Bank};
use crate::error::{CoreError, Result};
use crate::practice::Suggestion;
use crate::store::TakeRow;

/// A question as the window shows it: the bank's fields and its category's name.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Question {
    /// Stable id.
    pub id: String,
    /// The question as asked.
    pub prompt: String,
    /// Category key.
    pub category: String,
    /// Category name for display.
    pub category_name: String,
    /// What this kind of question tests (the category's text), shown with the question.
    pub category_blurb: String,
    /// The reading it comes from.
    pub reading: String,
    /// Criteria it mostly probes.
    pub criteria: Vec<String>,
    /// Interviewer follow-ups.
    pub pushbacks: Vec<String>,
}

impl Question {
    /// The bank's question with its category's name from `bank`.
    pub fn of(q: &bank::Question, bank: &Bank) -> Question {
        let category = bank.categories.iter().find(|c| c.id == q.category);
        let category_name = category.map_or_else(|| q.category.clone(), |c| c.name.clone());
        Question {
            id: q.id.clone(),
            prompt: q.prompt.clone(),
            category: q.category.clone(),
            category_name,
            category_blurb: category.map(|c| c.blurb.clone()).unwrap_or_default(),
            reading: q.reading.clone(),
            criteria: q.criteria.clone(),
            pushbacks: q.pushback_texts(),
        }
    }
}

/// What Home shows: the suggested question and the practice figures (the same figures
/// `candor-cli stats` prints; see [`Candor::overview`]).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Home {
    /// The question to practise next, if any question is visible.
    pub suggested: Option<Question>,
    /// Why it is suggested.
    pub suggested_reason: Option<Suggestion>,
    /// Answers waiting for a guided review.
    pub waiting_for_review: u32,
    /// Answers recorded, ever (takes still being recorded are not counted).
    pub answers: u32,
    /// Visible questions due for practice by the end of today (UTC day).
    pub due_today: u32,
    /// Days in a row with an answer (UTC days), up to today or yesterday.
    pub streak_days: u32,
}

/// A mock round: its id, its questions, and its clock.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Round {
    /// The round's id (its takes carry it).
    pub id: String,
    /// Its questions, in order.
    pub questions: Vec<Question>,
    /// The round's length in seconds.
    pub length_s: u32,
}

impl Candor {
    /// The questions practice draws from: shipped ones not hidden, and the user's own; of a
    /// question worded for several roles, the wording for the user's role (Settings).
    fn practice_questions(
        &self,
        folder: &crate::folder::DataFolder,
    ) -> Result<Vec<bank::Question>> {
        let all = crate::library::practice_questions(self.bank()?, folder.store())?;
        let role = folder.settings()?.role;
        Ok(crate::practice::for_role(all, role.as_deref()))
    }

    /// What Home shows: the suggested question, and the practice figures.
    pub fn home(&self) -> Result<Home> {
        let folder = self.folder()?;
        let questions = self.practice_questions(&folder)?;
        let store = folder.store();
        let pick = crate::practice::suggest(store, &questions)?;
        let overview = super::progress::overview_of(store, &questions)?;
        let bank = self.bank()?;
        Ok(Home {
            suggested: pick.map(|(q, _)| Question::of(q, bank)),
            suggested_reason: pick.map(|(_, why)| why),
            waiting_for_review: overview.waiting_for_review,
            answers: overview.takes,
            due_today: overview.due_today,
            streak_days: overview.streak_days,
        })
    }

    /// One question of the library by id.
    pub fn question(&self, id: &str) -> Result<Question> {
        crate::limits::check_id("question", id)?;
        let folder = self.folder()?;
        let q = crate::library::find(self.bank()?, folder.store(), id)?;
        Ok(Question::of(&q, self.bank()?))
    }

    /// Starts a mock round with the questions and clock from the settings.
    pub fn start_round(&self) -> Result<Round> {
        let folder = self.folder()?;
        let settings = folder.settings()?;
        let questions = self.practice_questions(&folder)?;
        let last = folder.store().last_practiced()?;
        let picked =
            crate::practice::round_questions(&questions, &last, settings.round_questions as usize);
        if picked.is_empty() {
            return Err(CoreError::NotFound(
                "a question to practise (all are hidden)".into(),
            ));
        }
        let length_s = settings.round_minutes * 60;
        // Planned: the questions asked, the closing one (the candidate's own) left out.
        let planned = picked
            .iter()
            .filter(|q| q.id != crate::practice::CLOSING_QUESTION)
            .count();
        let id = folder.start_round(planned as u32, length_s)?;
        let bank = self.bank()?;
        Ok(Round {
            id,
            questions: picked.into_iter().map(|q| Question::of(q, bank)).collect(),
            length_s,
        })
    }

    /// Ends a mock round; its answers wait for review.
    pub fn end_round(&self, id: &str) -> Result<()> {
        crate::limits::check_id("round", id)?;
        self.folder()?.end_round(id)
    }

    /// Every take of one question (answers and replies), newest first.
    pub fn question_takes(&self, question_id: &str) -> Result<Vec<TakeRow>> {
        crate::limits::check_id("question", question_id)?;
        self.folder()?.store().question_takes(question_id)
    }
}
