//! Rows written in bulk at the times given rather than "now", for generated practice histories
//! (`crate::sample_history`): `takes` (migration 1), `reviews` (migration 2), `ratings`,
//! `rating_scores`, `rating_checks`, `rating_flags` and `markers` (migration 4); the triggers of
//! migration 6 fill in the progress facts as they do for every other write.

use rusqlite::params;

use super::{CheckAnswer, RatingKind, StoreTx};
use crate::error::Result;

impl StoreTx<'_> {
    /// A finished answer with audio, recorded from `started_at` to `ended_at`.
    pub(crate) fn seed_answer(
        &self,
        id: &str,
        question_id: &str,
        started_at: &str,
        ended_at: &str,
        sample_rate: u32,
        frames: i64,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO takes (id, question_id, kind, status, started_at, ended_at,
                                    sample_rate, frames)
                 VALUES (?1, ?2, 'answer', 'complete', ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                id,
                question_id,
                started_at,
                ended_at,
                sample_rate,
                frames
            ])?;
        Ok(())
    }

    /// A saved rating of a take, created, changed and saved at `at` (its parts come separately).
    pub(crate) fn seed_saved_rating(
        &self,
        id: &str,
        take_id: &str,
        kind: RatingKind,
        commitment: &str,
        at: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO ratings (id, take_id, kind, status, step, feelings_note, commitment,
                                      created_at, updated_at, saved_at)
                 VALUES (?1, ?2, ?3, 'saved', 0, '', ?4, ?5, ?5, ?5)",
            )?
            .execute(params![id, take_id, kind.as_str(), commitment, at])?;
        Ok(())
    }

    /// One criterion's score and note in a rating.
    pub(crate) fn seed_score(
        &self,
        rating_id: &str,
        criterion: &str,
        score: u8,
        note: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO rating_scores (rating_id, criterion, score, note)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![rating_id, criterion, score, note])?;
        Ok(())
    }

    /// The answer to one check of a criterion in a rating.
    pub(crate) fn seed_check(
        &self,
        rating_id: &str,
        criterion: &str,
        index: i64,
        answer: CheckAnswer,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO rating_checks (rating_id, criterion, check_index, answer)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![rating_id, criterion, index, answer.as_str()])?;
        Ok(())
    }

    /// A red flag ticked in a rating (once, however often it is given).
    pub(crate) fn seed_flag(&self, rating_id: &str, flag: &str) -> Result<()> {
        self.tx
            .prepare_cached("INSERT OR IGNORE INTO rating_flags (rating_id, flag) VALUES (?1, ?2)")?
            .execute(params![rating_id, flag])?;
        Ok(())
    }

    /// A take's review, finished at `at` (which takes it out of the review queue).
    pub(crate) fn seed_done_review(&self, take_id: &str, at: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO reviews (take_id, status, updated_at) VALUES (?1, 'done', ?2)",
            )?
            .execute(params![take_id, at])?;
        Ok(())
    }

    /// A marker `at_s` seconds into a take, made at `at`.
    pub(crate) fn seed_marker(
        &self,
        id: &str,
        take_id: &str,
        at_s: f64,
        tag: &str,
        note: &str,
        at: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO markers (id, take_id, at_s, tag, note, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![id, take_id, at_s, tag, note, at])?;
        Ok(())
    }
}
