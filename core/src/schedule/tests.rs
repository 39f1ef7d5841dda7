//! FSRS scheduling: grades from mean scores, and how each grade moves a card's due date.

use super::*;
use chrono::{Duration, TimeZone};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()
}

fn parse_time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn due_in_days(c: &QuestionCard, at: DateTime<Utc>) -> i64 {
    (parse_time(&c.due) - at).num_days()
}

#[test]
fn mean_scores_map_to_the_documented_grades() {
    assert_eq!(ReviewGrade::from_mean_score(1.0), ReviewGrade::Again);
    assert_eq!(ReviewGrade::from_mean_score(1.99), ReviewGrade::Again);
    assert_eq!(ReviewGrade::from_mean_score(2.0), ReviewGrade::Hard);
    assert_eq!(ReviewGrade::from_mean_score(2.8), ReviewGrade::Hard);
    assert_eq!(ReviewGrade::from_mean_score(3.0), ReviewGrade::Good);
    assert_eq!(ReviewGrade::from_mean_score(3.8), ReviewGrade::Good);
    assert_eq!(ReviewGrade::from_mean_score(4.0), ReviewGrade::Easy);
    assert_eq!(ReviewGrade::from_mean_score(5.0), ReviewGrade::Easy);
    assert_eq!(grade_of_scores([3, 3, 4, 2, 3]), Some(ReviewGrade::Good));
    assert_eq!(grade_of_scores([1, 2, 2, 2, 3]), Some(ReviewGrade::Hard));
    assert_eq!(grade_of_scores([1, 2, 2, 1, 3]), Some(ReviewGrade::Again));
    assert_eq!(grade_of_scores([]), None);
}

#[test]
fn good_reviews_push_the_due_date_further_each_time() {
    let s = Store::open_in_memory().unwrap();
    let mut at = t0();
    let mut last_interval = 0;
    for _ in 0..4 {
        let c = record_review(&s, "q", ReviewGrade::Good, at).unwrap();
        let interval = due_in_days(&c, at);
        assert!(interval > last_interval, "{interval} after {last_interval}");
        assert_eq!(interval, c.scheduled_days);
        last_interval = interval;
        at = parse_time(&c.due);
    }
    let c = card(&s, "q").unwrap().unwrap();
    assert_eq!((c.reps, c.lapses, c.last_grade), (4, 0, ReviewGrade::Good));
}

#[test]
fn easy_schedules_further_than_good_and_hard_nearer() {
    let intervals: Vec<i64> = [ReviewGrade::Hard, ReviewGrade::Good, ReviewGrade::Easy]
        .into_iter()
        .map(|g| {
            let s = Store::open_in_memory().unwrap();
            record_review(&s, "q", ReviewGrade::Good, t0()).unwrap();
            let at = t0() + Duration::days(3);
            due_in_days(&record_review(&s, "q", g, at).unwrap(), at)
        })
        .collect();
    assert!(intervals[0] < intervals[1], "{intervals:?}");
    assert!(intervals[1] < intervals[2], "{intervals:?}");
}

#[test]
fn again_resets_to_a_short_interval_and_counts_a_lapse() {
    let s = Store::open_in_memory().unwrap();
    let mut at = t0();
    for _ in 0..3 {
        let c = record_review(&s, "q", ReviewGrade::Good, at).unwrap();
        at = parse_time(&c.due);
    }
    let before = card(&s, "q").unwrap().unwrap().scheduled_days;
    assert!(before > 20, "{before}");
    let c = record_review(&s, "q", ReviewGrade::Again, at).unwrap();
    assert_eq!(c.lapses, 1);
    let after = due_in_days(&c, at);
    assert!((1..=before / 4).contains(&after), "{after} after {before}");
    assert_eq!(c.last_grade, ReviewGrade::Again);
    // From there, Good grows the interval again.
    let at = parse_time(&c.due);
    let c = record_review(&s, "q", ReviewGrade::Good, at).unwrap();
    assert!(due_in_days(&c, at) > after);
}

#[test]
fn due_cards_lists_what_is_due_by_a_time() {
    let s = Store::open_in_memory().unwrap();
    record_review(&s, "a", ReviewGrade::Again, t0()).unwrap();
    record_review(&s, "b", ReviewGrade::Easy, t0()).unwrap();
    assert!(due_cards(&s, t0()).unwrap().is_empty());
    let tomorrow = t0() + Duration::days(1);
    let due: Vec<_> = due_cards(&s, tomorrow)
        .unwrap()
        .into_iter()
        .map(|c| c.question_id)
        .collect();
    assert_eq!(due, ["a"]);
    assert_eq!(due_cards(&s, t0() + Duration::days(400)).unwrap().len(), 2);
    assert!(card(&s, "zz").unwrap().is_none());
}
