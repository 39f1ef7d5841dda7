//! The progress views over small, hand-made histories: weekly means, the weakest criterion,
//! calibration, the calendar, the streak, the history and the summary.

use super::*;
use crate::store::{
    CheckAnswer, CheckMark, CriterionRating, NewTake, RatingInput, RatingKind, TakeStatus,
};

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
    s.set_take_started_at(&"f".repeat(32), "2026-03-08T10:00:00Z");
    assert_eq!(streak(&s, day("2026-03-09")).unwrap(), 0);
}

fn answer_at(s: &Store, id: &str, q: &str, at: &str) {
    s.insert_recording(&NewTake::answer(id, q, 16000)).unwrap();
    s.finish(id, TakeStatus::Complete, 32000, None, None)
        .unwrap();
    s.set_take_started_at(id, at);
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
pub(crate) fn small_history() -> Store {
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
