//! The guided review: ratings checked against the rubric before they reach the store.

use crate::error::{CoreError, Result};
use crate::rubric::Rubric;
use crate::schedule;
use crate::store::{Rating, RatingInput, RatingKind, Store};

/// Refuses a rating that names a criterion check, red flag or feeling the rubric lacks.
pub fn validate(rubric: &Rubric, r: &RatingInput) -> Result<()> {
    let bad = |m: String| Err(CoreError::InvalidInput(m));
    crate::limits::check_id("take", &r.take_id)?;
    for c in &r.scores {
        crate::limits::check_text(
            "A criterion's note",
            &c.note,
            crate::limits::MAX_CRITERION_NOTE_CHARS,
        )?;
        let Some(crit) = rubric.criteria.iter().find(|k| k.key == c.criterion) else {
            return bad(format!("unknown criterion '{}'", c.criterion));
        };
        if let Some(m) = c
            .checks
            .iter()
            .find(|m| usize::from(m.index) >= crit.checks.len())
        {
            return bad(format!(
                "criterion '{}' has no check number {}",
                c.criterion,
                m.index + 1
            ));
        }
    }
    if let Some(f) = r
        .red_flags
        .iter()
        .find(|f| !rubric.red_flags.iter().any(|k| &k.key == *f))
    {
        return bad(format!("unknown red flag '{f}'"));
    }
    if let Some(f) = r
        .feelings
        .iter()
        .find(|f| !rubric.feelings.iter().any(|k| k.key == f.key))
    {
        return bad(format!("unknown feeling '{}'", f.key));
    }
    if r.commitment.len() > 2_000 || r.feelings_note.len() > 10_000 {
        return bad("a note is too long".into());
    }
    Ok(())
}

/// Saves the draft of a rating (at every wizard step); returns its id.
pub fn save_draft(store: &Store, rubric: &Rubric, r: &RatingInput) -> Result<String> {
    validate(rubric, r)?;
    store.save_rating_draft(r)
}

/// The rating as kept: without a feeling score or checks when the question did not ask how the
/// candidate felt (`feeling_asked`), so they never reach means, grades or the weakest criterion.
pub fn as_asked(r: &RatingInput, feeling_asked: bool) -> RatingInput {
    let mut r = r.clone();
    if !feeling_asked {
        r.scores.retain(|c| c.criterion != "feeling");
    }
    r
}

/// Saves a rating for good (a review needs every criterion scored, feeling only when the
/// question asked for it, and leaves the queue); a guided review also moves its question's
/// spaced-repetition card on (see `schedule`), in the same transaction as the rating, so neither
/// is ever kept without the other.
pub fn finalize(
    store: &Store,
    rubric: &Rubric,
    r: &RatingInput,
    feeling_asked: bool,
) -> Result<Rating> {
    validate(rubric, r)?;
    let r = &as_asked(r, feeling_asked);
    let feeling_scored = r
        .scores
        .iter()
        .any(|c| c.criterion == "feeling" && c.score.is_some());
    if feeling_asked && r.kind != RatingKind::Immediate && !feeling_scored {
        return Err(CoreError::InvalidInput(
            "Score every criterion before saving (missing: feeling).".into(),
        ));
    }
    let grade = match r.kind {
        RatingKind::Reviewed => schedule::grade_of_scores(r.scores.iter().filter_map(|c| c.score)),
        RatingKind::Immediate | RatingKind::Regrade => None,
    };
    store.finalize_rating_then(r, |tx| {
        let Some(grade) = grade else {
            return Ok(());
        };
        // Read on the store's one connection, so inside the open transaction.
        let question = store.take(&r.take_id)?.question_id;
        schedule::record_review_in(tx, &question, grade, chrono::Utc::now())
    })
}

/// Whether a marker tag is a criterion or red-flag key of the rubric.
pub fn known_tag(rubric: &Rubric, tag: &str) -> bool {
    rubric.criteria.iter().any(|c| c.key == tag) || rubric.red_flags.iter().any(|f| f.key == tag)
}

#[cfg(test)]
mod tests;
