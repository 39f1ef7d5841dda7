//! The progress facts of migration 6 against the joins they replace, after every kind of write,
//! and the delivery view over stored metrics.

use rusqlite::params;

use super::*;
use crate::bank::CRITERIA;
use crate::progress::tests::small_history;
use crate::progress::{calibration_by_week, criteria_by_week, delivery_by_week};
use crate::store::{CheckAnswer, CheckMark, CriterionRating, NewTake, RatingInput, RatingKind};

fn metrics_json(first: f64, long_per_min: f64) -> String {
    format!(
        r#"{{"time_to_first_word_s":{first},"long_pauses_per_min":{long_per_min},"phonation_ratio":0.8}}"#
    )
}

fn facts_are_fresh(s: &Store, after: &str) {
    assert_eq!(
        crate::store::stale_progress_facts(s.conn()),
        0,
        "stale progress facts after {after}"
    );
}

#[test]
fn progress_facts_follow_every_kind_of_write() {
    let s = small_history();
    facts_are_fresh(&s, "finalized ratings");
    let c = s.conn();
    let counted = |take: &str| -> i64 {
        c.query_row(
            "SELECT count(*) FROM rating_scores s JOIN ratings r ON r.id = s.rating_id
             WHERE r.take_id = ?1 AND s.week IS NOT NULL",
            params![take],
            |r| r.get(0),
        )
        .unwrap()
    };
    // A draft with scores counts nowhere; saving it counts it.
    let mut input = RatingInput {
        take_id: "b2".into(),
        kind: RatingKind::Reviewed,
        step: 3,
        scores: CRITERIA
            .iter()
            .map(|k| CriterionRating {
                criterion: (*k).into(),
                score: Some(1),
                note: String::new(),
                checks: vec![CheckMark {
                    index: 0,
                    answer: CheckAnswer::No,
                }],
            })
            .collect(),
        red_flags: vec![],
        feelings: vec![],
        feelings_note: String::new(),
        commitment: String::new(),
    };
    s.save_rating_draft(&input).unwrap();
    facts_are_fresh(&s, "a draft");
    assert_eq!(counted("b2"), 0);
    input.scores[0].score = Some(2);
    s.finalize_rating(&input).unwrap();
    facts_are_fresh(&s, "saving the draft");
    assert_eq!(counted("b2"), 5);
    // A take moved to another week takes its ratings along.
    c.execute(
        "UPDATE takes SET started_at = '2026-02-02T09:00:00.000Z' WHERE id = 'a1'",
        [],
    )
    .unwrap();
    facts_are_fresh(&s, "moving a take");
    let weeks: Vec<_> = criteria_by_week(&s, Period::AllTime)
        .unwrap()
        .into_iter()
        .map(|w| (w.week, w.answers, w.reviewed))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2026-01-05".into(), 1, 1),
            ("2026-01-12".into(), 2, 2),
            ("2026-02-02".into(), 1, 1)
        ]
    );
    // Scores changed or removed by hand move the rating's mean.
    c.execute("UPDATE rating_scores SET score = 5 WHERE score = 1", [])
        .unwrap();
    facts_are_fresh(&s, "changing scores");
    c.execute("DELETE FROM rating_scores WHERE criterion = 'feeling'", [])
        .unwrap();
    facts_are_fresh(&s, "deleting scores");
    // Deleting a take deletes its facts with its ratings.
    s.delete_take("b1").unwrap();
    facts_are_fresh(&s, "deleting a take");
    let cal = calibration_by_week(&s, Period::AllTime).unwrap();
    assert_eq!(cal.iter().map(|w| w.counts[2]).sum::<u32>(), 0);
}

/// (week, criterion, mean, scores counted).
type WeeklyMean = (String, String, f64, u32);

/// The weekly means and calibration as the joins of takes, ratings and scores give them
/// (how the views were computed before migration 6).
fn by_joins(s: &Store, since: &str) -> (Vec<WeeklyMean>, Vec<WeekCalibration>) {
    let c = s.conn();
    let mut means = c
        .prepare(
            "SELECT date(t.started_at, 'weekday 0', '-6 days') AS wk, s.criterion,
                    avg(s.score), count(s.score)
             FROM takes t JOIN ratings r ON r.take_id = t.id
                  JOIN rating_scores s ON s.rating_id = r.id
             WHERE t.parent_id IS NULL AND t.started_at >= ?1 AND r.kind = 'reviewed'
               AND r.status = 'saved' AND s.score IS NOT NULL
             GROUP BY wk, s.criterion ORDER BY wk, s.criterion",
        )
        .unwrap();
    let means = means
        .query_map(params![since], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut cal = c
        .prepare(
            "WITH per_rating AS (
                 SELECT r.take_id, r.kind, avg(s.score) AS mean
                 FROM takes t JOIN ratings r ON r.take_id = t.id AND r.status = 'saved'
                      JOIN rating_scores s ON s.rating_id = r.id AND s.score IS NOT NULL
                 WHERE t.parent_id IS NULL AND t.started_at >= ?1
                 GROUP BY r.id
             ), per_take AS (
                 SELECT take_id,
                        avg(CASE WHEN kind = 'immediate' THEN mean END) AS imm,
                        avg(CASE WHEN kind = 'reviewed' THEN mean END) AS rev,
                        avg(CASE WHEN kind = 'regrade' THEN mean END) AS reg
                 FROM per_rating GROUP BY take_id
             )
             SELECT date(t.started_at, 'weekday 0', '-6 days') AS wk, avg(p.imm),
                    avg(p.rev), avg(p.reg), avg(p.imm - p.rev), avg(p.reg - p.rev),
                    count(p.imm), count(p.rev), count(p.reg)
             FROM per_take p JOIN takes t ON t.id = p.take_id
             GROUP BY wk ORDER BY wk",
        )
        .unwrap();
    let cal = cal
        .query_map(params![since], calibration_row)
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    (means, cal)
}

#[test]
fn the_views_over_the_facts_agree_with_the_joins() {
    let dir = tempfile::tempdir().unwrap();
    let data = crate::data_dir::DataDir::at(dir.path());
    data.ensure().unwrap();
    let s = Store::open(&data.database()).unwrap();
    let spec = crate::sample_history::HistorySpec {
        days: 200,
        takes: 400,
        seed: 11,
        end: chrono::Utc::now(),
        with_audio: false,
    };
    crate::sample_history::generate(
        &data,
        &s,
        &crate::bank::builtin().unwrap().questions,
        &crate::rubric::builtin().unwrap(),
        &spec,
    )
    .unwrap();
    facts_are_fresh(&s, "a generated history");
    for period in [Period::FourWeeks, Period::ThreeMonths, Period::AllTime] {
        let since = period.since();
        let (means, cal) = by_joins(&s, &since);
        assert!(means.len() > 15 && !cal.is_empty(), "{period:?}");
        let mut got: Vec<WeeklyMean> = criteria_by_week(&s, period)
            .unwrap()
            .into_iter()
            .flat_map(|w| {
                w.criteria
                    .into_iter()
                    .filter_map(move |c| c.mean.map(|m| (w.week.clone(), c.criterion, m, c.scored)))
            })
            .collect();
        got.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        assert_eq!(got.len(), means.len(), "{period:?}");
        for (g, w) in got.iter().zip(&means) {
            assert!(
                g.0 == w.0 && g.1 == w.1 && g.3 == w.3 && (g.2 - w.2).abs() < 1e-9,
                "{period:?}: {g:?} vs {w:?}"
            );
        }
        let got_cal = calibration_by_week(&s, period).unwrap();
        assert_eq!(got_cal.len(), cal.len(), "{period:?}");
        let same = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            (a, b) => a.is_none() && b.is_none(),
        };
        for (g, w) in got_cal.iter().zip(&cal) {
            assert!(
                g.week == w.week
                    && g.counts == w.counts
                    && same(g.immediate, w.immediate)
                    && same(g.reviewed, w.reviewed)
                    && same(g.regrade, w.regrade)
                    && same(g.immediate_gap, w.immediate_gap)
                    && same(g.regrade_gap, w.regrade_gap),
                "{period:?}: {g:?} vs {w:?}"
            );
        }
    }
}

#[test]
fn groups_answers_by_monday_week_with_their_metrics() {
    let s = Store::open_in_memory().unwrap();
    let c = s.conn();
    for (id, at) in [
        ("a", "-1 days"),
        ("b", "-1 days"),
        ("c", "-8 days"),
        ("old", "-200 days"),
    ] {
        s.insert_recording(&NewTake::answer(id, "q", 16000))
            .unwrap();
        s.finish(id, TakeStatus::Complete, 16000, None, None)
            .unwrap();
        c.execute(
            "UPDATE takes SET started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?2) WHERE id = ?1",
            params![id, at],
        )
        .unwrap();
    }
    for (id, first, long) in [("a", 1.0, 0.0), ("b", 3.0, 2.0), ("c", 5.0, 1.0)] {
        c.execute(
            "INSERT INTO take_metrics (take_id, metrics) VALUES (?1, ?2)",
            params![id, metrics_json(first, long)],
        )
        .unwrap();
    }
    let weeks = delivery_by_week(&s, Period::FourWeeks).unwrap();
    let total: u32 = weeks.iter().map(|w| w.answers).sum();
    assert_eq!(total, 3, "{weeks:?}");
    assert!(weeks.iter().all(|w| w.week.len() == 10));
    let all = delivery_by_week(&s, Period::AllTime).unwrap();
    assert_eq!(all.iter().map(|w| w.answers).sum::<u32>(), 4);
    // a and b (same day) share a week, averaged; c is 7 days earlier, always another week.
    let ab = weeks.iter().find(|w| w.answers == 2).unwrap();
    assert_eq!(ab.mean_time_to_first_word_s, Some(2.0));
    assert_eq!(ab.long_pauses_per_min, Some(1.0));
    assert_eq!(weeks.len(), 2);
    let unmeasured = all.iter().find(|w| w.measured == 0).unwrap();
    assert_eq!(unmeasured.mean_time_to_first_word_s, None);
}
