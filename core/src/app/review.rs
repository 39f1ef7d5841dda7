//! Review use cases: the lists of answers to review, opening one answer with its replies and
//! delivery figures, the rubric, ratings (drafts, saved, previous) and markers.

use serde::Serialize;

use super::{Candor, Question};
use crate::analysis::SpeechMetrics;
use crate::error::{CoreError, Result};
use crate::rubric::Rubric;
use crate::store::{self, Marker, RatingInput, RatingKind, TakePage, TakeRow};

/// A rating as the window shows it: draft or saved, and what was entered.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Rating {
    /// Stable id.
    pub id: String,
    /// True while it is a draft.
    pub draft: bool,
    /// When it was saved (UTC, ISO 8601), if it was.
    pub saved_at: Option<String>,
    /// What was entered.
    pub input: RatingInput,
}

impl From<store::Rating> for Rating {
    fn from(r: store::Rating) -> Self {
        Rating {
            id: r.id,
            draft: r.status == store::RatingStatus::Draft,
            saved_at: r.saved_at,
            input: r.input,
        }
    }
}

/// One answer opened for review: its question, the answer, its replies in order, and its
/// delivery figures.
#[derive(Debug, Clone)]
pub struct TakeReview {
    /// The question answered.
    pub question: Question,
    /// The answer.
    pub answer: TakeRow,
    /// Its delivery figures (read back as stored when it stopped; no full-rate peaks).
    pub metrics: SpeechMetrics,
    /// Its waveform as drawn: the loudest sample of each slice (0..=32767); empty when its
    /// audio was deleted before the waveform was stored.
    pub peaks: Vec<i16>,
    /// Replies to push-backs, oldest first.
    pub followups: Vec<TakeRow>,
}

impl Candor {
    /// The rubric the review walks through.
    pub fn rubric(&self) -> Result<Rubric> {
        Ok(self.rubric_ref()?.clone())
    }

    /// A page of the answers waiting for review, oldest first, and how many there are.
    pub fn review_queue(&self, offset: u32, limit: u32) -> Result<TakePage> {
        self.folder()?.store().review_queue_page(offset, limit)
    }

    /// A page of the answers already reviewed, newest first, and how many there are.
    pub fn reviewed_answers(&self, offset: u32, limit: u32) -> Result<TakePage> {
        self.folder()?.store().reviewed_answers_page(offset, limit)
    }

    /// Opens one answer for review: its question, replies and delivery figures.
    pub fn take_review(&self, answer_id: &str) -> Result<TakeReview> {
        crate::limits::check_id("take", answer_id)?;
        let folder = self.folder()?;
        let answer = folder.store().take(answer_id)?;
        if answer.parent_id.is_some() {
            return Err(CoreError::InvalidInput(
                "Open the answer, not one of its replies.".into(),
            ));
        }
        let (metrics, peaks) = folder.review_metrics(answer_id)?;
        let bank = self.bank()?;
        let question = Question::of(
            &crate::library::find(bank, folder.store(), &answer.question_id)?,
            bank,
        );
        Ok(TakeReview {
            question,
            followups: folder.store().followups(answer_id)?,
            answer,
            metrics,
            peaks,
        })
    }

    /// The draft of a take's rating of one kind, if one was left.
    pub fn rating_draft(&self, take_id: &str, kind: RatingKind) -> Result<Option<Rating>> {
        crate::limits::check_id("take", take_id)?;
        Ok(self
            .folder()?
            .store()
            .rating_draft(take_id, kind)?
            .map(Rating::from))
    }

    /// Saves a rating's draft (at every step of the review).
    pub fn save_rating_draft(&self, input: &RatingInput) -> Result<String> {
        crate::review::save_draft(self.folder()?.store(), self.rubric_ref()?, input)
    }

    /// Saves a rating for good (the question's schedule follows in the same transaction); the
    /// feeling check counts only when the question asks how the candidate felt.
    pub fn finalize_rating(&self, input: &RatingInput) -> Result<Rating> {
        crate::limits::check_id("take", &input.take_id)?;
        let folder = self.folder()?;
        let store = folder.store();
        let question = store.take(&input.take_id)?.question_id;
        // A question since deleted from the library cannot say; its feeling score is kept out.
        let asked = crate::library::find(self.bank()?, store, &question)
            .map(|q| q.asks_feeling())
            .unwrap_or(false);
        Ok(crate::review::finalize(store, self.rubric_ref()?, input, asked)?.into())
    }

    /// The saved ratings of a take, oldest first.
    pub fn take_ratings(&self, take_id: &str) -> Result<Vec<Rating>> {
        crate::limits::check_id("take", take_id)?;
        Ok(self
            .folder()?
            .store()
            .ratings_of_take(take_id)?
            .into_iter()
            .map(Rating::from)
            .collect())
    }

    /// The newest saved review of an earlier answer to the same question.
    pub fn previous_rating(&self, take_id: &str) -> Result<Option<Rating>> {
        crate::limits::check_id("take", take_id)?;
        Ok(self
            .folder()?
            .store()
            .previous_rating(take_id)?
            .map(Rating::from))
    }

    /// The last "one thing to do differently" written for a question.
    pub fn question_commitment(&self, question_id: &str) -> Result<Option<String>> {
        crate::limits::check_id("question", question_id)?;
        self.folder()?.store().latest_commitment(question_id)
    }

    /// Refuses a marker tag that is neither a criterion nor a red flag of the rubric.
    fn check_tag(&self, tag: Option<&str>) -> Result<()> {
        match tag {
            Some(t) if !crate::review::known_tag(self.rubric_ref()?, t) => {
                Err(CoreError::InvalidInput(format!(
                    "'{}' is not a criterion or red flag of the rubric.",
                    t.chars()
                        .filter(|c| !c.is_control())
                        .take(40)
                        .collect::<String>()
                )))
            }
            _ => Ok(()),
        }
    }

    /// Adds a marker at a moment of a take.
    pub fn add_marker(
        &self,
        take_id: &str,
        at_s: f64,
        tag: Option<&str>,
        note: &str,
    ) -> Result<Marker> {
        self.check_tag(tag)?;
        self.folder()?.store().add_marker(take_id, at_s, tag, note)
    }

    /// Changes a marker's tag and note.
    pub fn update_marker(&self, id: &str, tag: Option<&str>, note: &str) -> Result<()> {
        self.check_tag(tag)?;
        self.folder()?.store().update_marker(id, tag, note)
    }

    /// Deletes a marker.
    pub fn delete_marker(&self, id: &str) -> Result<()> {
        self.folder()?.store().delete_marker(id)
    }

    /// The markers of a take, in time order.
    pub fn markers(&self, take_id: &str) -> Result<Vec<Marker>> {
        self.folder()?.store().markers(take_id)
    }
}
