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

/// Saves a rating for good (a review needs all five scores and leaves the queue); a guided
/// review also moves its question's spaced-repetition card on (see `schedule`).
pub fn finalize(store: &Store, rubric: &Rubric, r: &RatingInput) -> Result<Rating> {
    validate(rubric, r)?;
    let saved = store.finalize_rating(r)?;
    if r.kind == RatingKind::Reviewed {
        if let Some(grade) = schedule::grade_of_scores(r.scores.iter().filter_map(|c| c.score)) {
            let question = store.take(&r.take_id)?.question_id;
            schedule::record_review(store, &question, grade, chrono::Utc::now())?;
        }
    }
    Ok(saved)
}

/// Whether a marker tag is a criterion or red-flag key of the rubric.
pub fn known_tag(rubric: &Rubric, tag: &str) -> bool {
    rubric.criteria.iter().any(|c| c.key == tag) || rubric.red_flags.iter().any(|f| f.key == tag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{CheckAnswer, CheckMark, CriterionRating, FeelingMark};

    fn input() -> RatingInput {
        RatingInput {
            take_id: "a".into(),
            kind: RatingKind::Reviewed,
            step: 0,
            scores: vec![CriterionRating {
                criterion: "gaps".into(),
                score: Some(3),
                note: String::new(),
                checks: vec![CheckMark {
                    index: 3,
                    answer: CheckAnswer::No,
                }],
            }],
            red_flags: vec!["cliche_lesson".into()],
            feelings: vec![FeelingMark {
                key: "calm".into(),
                intensity: 1,
            }],
            feelings_note: String::new(),
            commitment: String::new(),
        }
    }

    #[test]
    fn a_saved_review_schedules_its_question() {
        let rubric = crate::rubric::builtin().unwrap();
        let store = Store::open_in_memory().unwrap();
        store
            .insert_recording(&crate::store::NewTake::answer("a", "q7", 16000))
            .unwrap();
        let mut r = input();
        r.scores = crate::bank::CRITERIA
            .iter()
            .map(|k| CriterionRating {
                criterion: (*k).into(),
                score: Some(1),
                note: String::new(),
                checks: vec![],
            })
            .collect();
        r.kind = RatingKind::Immediate;
        finalize(&store, &rubric, &r).unwrap();
        assert!(schedule::card(&store, "q7").unwrap().is_none());
        r.kind = RatingKind::Reviewed;
        finalize(&store, &rubric, &r).unwrap();
        let card = schedule::card(&store, "q7").unwrap().unwrap();
        assert_eq!(
            (card.reps, card.last_grade),
            (1, schedule::ReviewGrade::Again)
        );
    }

    #[test]
    fn rubric_keys_are_enforced() {
        let rubric = crate::rubric::builtin().unwrap();
        validate(&rubric, &input()).unwrap();
        let mut r = input();
        r.scores[0].checks[0].index = 4;
        assert!(validate(&rubric, &r)
            .unwrap_err()
            .to_string()
            .contains("check number 5"));
        let mut r = input();
        r.red_flags.push("charm".into());
        assert!(validate(&rubric, &r).is_err());
        let mut r = input();
        r.feelings[0].key = "smug".into();
        assert!(validate(&rubric, &r).is_err());
        assert!(known_tag(&rubric, "honesty") && known_tag(&rubric, "cliche_lesson"));
        assert!(!known_tag(&rubric, "x"));
    }

    #[test]
    fn lengths_and_ids_are_bounded() {
        let rubric = crate::rubric::builtin().unwrap();
        let mut r = input();
        r.scores[0].note = "x".repeat(crate::limits::MAX_CRITERION_NOTE_CHARS + 1);
        let e = validate(&rubric, &r).unwrap_err();
        assert_eq!(e.code(), "InvalidInput");
        assert!(
            e.to_string().starts_with("A criterion's note is too long"),
            "{e}"
        );
        let mut r = input();
        r.commitment = "x".repeat(2_001);
        assert_eq!(validate(&rubric, &r).unwrap_err().code(), "InvalidInput");
        let mut r = input();
        r.take_id = String::new();
        assert_eq!(validate(&rubric, &r).unwrap_err().code(), "InvalidInput");
        let mut r = input();
        r.take_id = "t".repeat(5_000);
        assert_eq!(validate(&rubric, &r).unwrap_err().code(), "NotFound");
    }
}
