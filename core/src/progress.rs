//! Progress over weeks, from the stored takes and their metrics.

use rusqlite::params;

use crate::error::Result;
use crate::store::Store;

/// Delivery figures of one week's answers (weeks start on Monday, UTC).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WeekDelivery {
    /// The Monday the week starts on, `YYYY-MM-DD`.
    pub week: String,
    /// Answers recorded that week.
    pub answers: u32,
    /// Answers of that week whose audio was measured.
    pub measured: u32,
    /// Mean time to the first word, seconds.
    pub mean_time_to_first_word_s: Option<f64>,
    /// Mean long pauses (>= 2 s) per minute.
    pub long_pauses_per_min: Option<f64>,
    /// Mean share of speaking time from first to last word (0..1).
    pub phonation_ratio: Option<f64>,
}

/// How far back a progress view looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The last 4 weeks.
    FourWeeks,
    /// The last 3 months.
    ThreeMonths,
    /// Everything.
    AllTime,
}

impl Period {
    fn sqlite_modifier(self) -> &'static str {
        match self {
            Period::FourWeeks => "-28 days",
            Period::ThreeMonths => "-3 months",
            Period::AllTime => "-1000 years",
        }
    }
}

/// Answers per week with their delivery metrics, oldest week first.
pub fn delivery_by_week(store: &Store, period: Period) -> Result<Vec<WeekDelivery>> {
    let mut stmt = store.conn().prepare(
        "SELECT date(t.started_at, 'weekday 0', '-6 days') AS week,
                count(*) AS answers,
                count(m.take_id) AS measured,
                avg(json_extract(m.metrics, '$.time_to_first_word_s')),
                avg(json_extract(m.metrics, '$.long_pauses_per_min')),
                avg(json_extract(m.metrics, '$.phonation_ratio'))
         FROM takes t LEFT JOIN take_metrics m ON m.take_id = t.id
         WHERE t.parent_id IS NULL AND t.status != 'recording'
           AND t.started_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)
         GROUP BY week ORDER BY week",
    )?;
    let rows = stmt.query_map(params![period.sqlite_modifier()], |r| {
        Ok(WeekDelivery {
            week: r.get(0)?,
            answers: r.get(1)?,
            measured: r.get(2)?,
            mean_time_to_first_word_s: r.get(3)?,
            long_pauses_per_min: r.get(4)?,
            phonation_ratio: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewTake, TakeStatus};

    fn metrics_json(first: f64, long_per_min: f64) -> String {
        format!(
            r#"{{"time_to_first_word_s":{first},"long_pauses_per_min":{long_per_min},"phonation_ratio":0.8}}"#
        )
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
}
