//! Ratings: drafts and saved ratings round-trip every field, and the review queue follows them.

use super::*;
use crate::store::{NewTake, TakeStatus};

fn store_with_answer(s: &Store, id: &str, q: &str) {
    s.insert_recording(&NewTake::answer(id, q, 16000)).unwrap();
    s.finish(id, TakeStatus::Complete, 16000, None, None)
        .unwrap();
}

fn full(take: &str, kind: RatingKind) -> RatingInput {
    RatingInput {
        take_id: take.into(),
        kind,
        step: 8,
        scores: CRITERIA
            .iter()
            .enumerate()
            .map(|(i, k)| CriterionRating {
                criterion: k.to_string(),
                score: Some(i as u8 + 1),
                note: format!("note on {k} — with ünïcode"),
                checks: vec![
                    CheckMark {
                        index: 0,
                        answer: CheckAnswer::Yes,
                    },
                    CheckMark {
                        index: 2,
                        answer: CheckAnswer::Partly,
                    },
                    CheckMark {
                        index: 3,
                        answer: CheckAnswer::No,
                    },
                ],
            })
            .collect(),
        red_flags: vec!["cliche_lesson".into(), "reaching_for_framework".into()],
        feelings: vec![
            FeelingMark {
                key: "anxious".into(),
                intensity: 4,
            },
            FeelingMark {
                key: "curious".into(),
                intensity: 2,
            },
        ],
        feelings_note: "Tight chest at the push-back.".into(),
        commitment: "Name the tension first.".into(),
    }
}

#[test]
fn a_saved_rating_round_trips_every_field_and_leaves_the_queue() {
    let s = Store::open_in_memory().unwrap();
    store_with_answer(&s, "a", "q");
    assert_eq!(s.review_queue().unwrap().len(), 1);
    let input = full("a", RatingKind::Reviewed);
    let saved = s.finalize_rating(&input).unwrap();
    assert_eq!(saved.input, input);
    assert_eq!(saved.status, RatingStatus::Saved);
    assert!(saved.saved_at.is_some());
    assert_eq!(s.ratings_of_take("a").unwrap(), vec![saved]);
    assert!(s.review_queue().unwrap().is_empty());
    assert!(s.rating_draft("a", RatingKind::Reviewed).unwrap().is_none());
    assert_eq!(s.reviewed_answers().unwrap().len(), 1);
}

#[test]
fn a_draft_is_upserted_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("candor.db");
    let mut input = full("a", RatingKind::Reviewed);
    input.step = 2;
    input.scores[3].score = None;
    input.scores.truncate(4);
    {
        let s = Store::open(&p).unwrap();
        store_with_answer(&s, "a", "q");
        let mut first = input.clone();
        first.step = 1;
        first.red_flags.clear();
        let id1 = s.save_rating_draft(&first).unwrap();
        let id2 = s.save_rating_draft(&input).unwrap();
        assert_eq!(id1, id2);
    }
    let s = Store::open(&p).unwrap();
    let draft = s.rating_draft("a", RatingKind::Reviewed).unwrap().unwrap();
    assert_eq!(draft.status, RatingStatus::Draft);
    assert_eq!(draft.input, input);
    assert!(s.ratings_of_take("a").unwrap().is_empty());
    assert_eq!(s.review_queue().unwrap().len(), 1);
}

#[test]
fn finalizing_a_review_needs_the_four_scored_criteria_but_immediate_does_not() {
    let s = Store::open_in_memory().unwrap();
    store_with_answer(&s, "a", "q");
    let mut input = full("a", RatingKind::Reviewed);
    input.scores[3].score = None;
    let e = s.finalize_rating(&input).unwrap_err().to_string();
    assert!(e.contains("missing: honesty"), "{e}");
    input.kind = RatingKind::Immediate;
    s.finalize_rating(&input).unwrap();
    assert_eq!(
        s.review_queue().unwrap().len(),
        1,
        "immediate keeps it queued"
    );
    input.scores[0].score = Some(6);
    assert_eq!(
        s.save_rating_draft(&input).unwrap_err().code(),
        "InvalidInput"
    );
}

#[test]
fn regrade_keeps_both_ratings_and_previous_and_commitment_are_found() {
    let s = Store::open_in_memory().unwrap();
    store_with_answer(&s, "a", "q");
    store_with_answer(&s, "b", "q");
    store_with_answer(&s, "c", "other");
    s.conn()
        .execute(
            "UPDATE takes SET started_at = '2026-01-01T00:00:00Z' WHERE id = 'a'",
            [],
        )
        .unwrap();
    s.finalize_rating(&full("a", RatingKind::Reviewed)).unwrap();
    let mut re = full("a", RatingKind::Regrade);
    re.scores[0].score = Some(5);
    re.commitment = "Stop earlier.".into();
    s.finalize_rating(&re).unwrap();
    let kinds: Vec<_> = s
        .ratings_of_take("a")
        .unwrap()
        .iter()
        .map(|r| r.input.kind)
        .collect();
    assert_eq!(kinds, [RatingKind::Reviewed, RatingKind::Regrade]);
    let prev = s.previous_rating("b").unwrap().unwrap();
    assert_eq!(prev.input.take_id, "a");
    assert!(s.previous_rating("a").unwrap().is_none());
    assert!(s.previous_rating("c").unwrap().is_none());
    assert_eq!(
        s.latest_commitment("q").unwrap().as_deref(),
        Some("Stop earlier.")
    );
    assert_eq!(s.latest_commitment("other").unwrap(), None);
}

#[test]
fn what_is_written_after_a_rating_commits_with_it_or_not_at_all() {
    let s = Store::open_in_memory().unwrap();
    store_with_answer(&s, "a", "q");
    let now = chrono::Utc::now();
    let input = full("a", RatingKind::Reviewed);
    // The card is written, then the write fails: neither the rating nor the card is kept.
    let e = s
        .finalize_rating_then(&input, |tx| {
            crate::schedule::record_review_in(tx, "q", crate::schedule::ReviewGrade::Good, now)?;
            Err(CoreError::Database("the disk is full".into()))
        })
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        CoreError::Database("the disk is full".into()).to_string()
    );
    assert!(s.ratings_of_take("a").unwrap().is_empty());
    assert!(s.rating_draft("a", RatingKind::Reviewed).unwrap().is_none());
    assert_eq!(
        s.review_queue().unwrap().len(),
        1,
        "still waiting for review"
    );
    assert!(crate::schedule::card(&s, "q").unwrap().is_none());
    assert_eq!(crate::store::stale_progress_facts(s.conn()), 0);
    // When it succeeds, both are there.
    let saved = s
        .finalize_rating_then(&input, |tx| {
            crate::schedule::record_review_in(tx, "q", crate::schedule::ReviewGrade::Good, now)
        })
        .unwrap();
    assert_eq!(s.ratings_of_take("a").unwrap(), vec![saved]);
    assert!(s.review_queue().unwrap().is_empty());
    assert_eq!(crate::schedule::card(&s, "q").unwrap().unwrap().reps, 1);
}
