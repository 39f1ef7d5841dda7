//! The guided review: ratings checked against the rubric, and saved with their card or not at all.

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
    finalize(&store, &rubric, &r, true).unwrap();
    assert!(schedule::card(&store, "q7").unwrap().is_none());
    r.kind = RatingKind::Reviewed;
    finalize(&store, &rubric, &r, true).unwrap();
    let card = schedule::card(&store, "q7").unwrap().unwrap();
    assert_eq!(
        (card.reps, card.last_grade),
        (1, schedule::ReviewGrade::Again)
    );
}

#[test]
fn a_card_that_cannot_be_written_takes_the_review_with_it() {
    let rubric = crate::rubric::builtin().unwrap();
    let store = Store::open_in_memory().unwrap();
    store
        .insert_recording(&crate::store::NewTake::answer("a", "q7", 16000))
        .unwrap();
    store
        .finish("a", crate::store::TakeStatus::Complete, 16000, None, None)
        .unwrap();
    // A database that refuses the card (as a full disk or a crash would, half-way).
    store
        .conn()
        .execute_batch(
            "CREATE TRIGGER no_cards BEFORE INSERT ON question_cards
             BEGIN SELECT RAISE(ABORT, 'no room for the card'); END;",
        )
        .unwrap();
    let mut r = input();
    r.scores = crate::bank::CRITERIA
        .iter()
        .map(|k| CriterionRating {
            criterion: (*k).into(),
            score: Some(4),
            note: String::new(),
            checks: vec![],
        })
        .collect();
    let e = finalize(&store, &rubric, &r, true).unwrap_err();
    assert!(e.to_string().contains("no room for the card"), "{e}");
    assert!(store.ratings_of_take("a").unwrap().is_empty());
    assert_eq!(store.review_queue().unwrap().len(), 1);
    assert!(schedule::card(&store, "q7").unwrap().is_none());
    // A quick rating moves no card, so it is saved all the same.
    r.kind = RatingKind::Immediate;
    finalize(&store, &rubric, &r, true).unwrap();
    assert_eq!(store.ratings_of_take("a").unwrap().len(), 1);
    // Once the card can be written, the review and its card are saved together.
    store.conn().execute_batch("DROP TRIGGER no_cards").unwrap();
    r.kind = RatingKind::Reviewed;
    finalize(&store, &rubric, &r, true).unwrap();
    assert_eq!(store.ratings_of_take("a").unwrap().len(), 2);
    assert!(store.review_queue().unwrap().is_empty());
    let card = schedule::card(&store, "q7").unwrap().unwrap();
    assert_eq!(
        (card.reps, card.last_grade),
        (1, schedule::ReviewGrade::Easy)
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

/// Every criterion scored `score`, feeling scored `feeling`.
fn all_scored(score: u8, feeling: u8) -> Vec<CriterionRating> {
    crate::bank::CRITERIA
        .iter()
        .map(|k| CriterionRating {
            criterion: (*k).into(),
            score: Some(if *k == "feeling" { feeling } else { score }),
            note: String::new(),
            checks: vec![],
        })
        .collect()
}

#[test]
fn a_feeling_score_on_a_question_that_did_not_ask_stays_out_of_the_rating_and_its_grade() {
    let rubric = crate::rubric::builtin().unwrap();
    let store = Store::open_in_memory().unwrap();
    for (take, q) in [("a", "q-asks"), ("b", "q-does-not")] {
        store
            .insert_recording(&crate::store::NewTake::answer(take, q, 16000))
            .unwrap();
    }
    let mut asked = input();
    asked.scores = all_scored(4, 1);
    let saved = finalize(&store, &rubric, &asked, true).unwrap();
    assert!(saved.input.scores.iter().any(|c| c.criterion == "feeling"));
    // 4,4,4,4,1: a mean of 3.4 grades Good.
    let card = schedule::card(&store, "q-asks").unwrap().unwrap();
    assert_eq!(card.last_grade, schedule::ReviewGrade::Good);

    let mut not_asked = input();
    not_asked.take_id = "b".into();
    not_asked.scores = all_scored(4, 1);
    let saved = finalize(&store, &rubric, &not_asked, false).unwrap();
    assert!(!saved.input.scores.iter().any(|c| c.criterion == "feeling"));
    // Only the four scored criteria: a mean of 4 grades Easy.
    let card = schedule::card(&store, "q-does-not").unwrap().unwrap();
    assert_eq!(card.last_grade, schedule::ReviewGrade::Easy);
    // Not asked and not given: it saves; asked and not given: refused.
    let mut four = input();
    four.take_id = "b".into();
    four.kind = RatingKind::Regrade;
    four.scores = all_scored(3, 3)
        .into_iter()
        .filter(|c| c.criterion != "feeling")
        .collect();
    finalize(&store, &rubric, &four, false).unwrap();
    four.take_id = "a".into();
    let e = finalize(&store, &rubric, &four, true).unwrap_err();
    assert!(e.to_string().contains("feeling"), "{e}");
}
