//! The audio a take lost while recording (migration 8): stored with the take, read with its row.

use rusqlite::params;

use super::Store;
use crate::audio::{LostAudio, LostSpan};
use crate::error::{CoreError, Result};

impl Store {
    /// Stores the audio a take lost while recording: seconds, places in all, and where.
    pub fn set_lost_audio(&self, id: &str, lost: &LostAudio) -> Result<()> {
        let spans = if lost.spans.is_empty() {
            None
        } else {
            Some(
                serde_json::to_string(&lost.spans)
                    .map_err(|e| CoreError::Database(format!("encoding lost audio: {e}")))?,
            )
        };
        let n = self.conn.execute(
            "UPDATE takes SET lost_s = ?2, lost_places = ?3, lost_spans = ?4 WHERE id = ?1",
            params![id, lost.seconds.max(0.0), lost.places, spans],
        )?;
        if n == 0 {
            return Err(CoreError::NotFound(format!("take {id}")));
        }
        Ok(())
    }
}

/// A take's lost audio from its columns; places that do not decode are left out, the seconds stay.
pub(super) fn from_columns(seconds: f64, places: i64, spans: Option<String>) -> LostAudio {
    LostAudio {
        seconds,
        places: u32::try_from(places.max(0)).unwrap_or(u32::MAX),
        spans: spans
            .and_then(|j| serde_json::from_str::<Vec<LostSpan>>(&j).ok())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;
    use crate::store::{migrate_to, NewTake, TakeStatus};

    fn some_loss() -> LostAudio {
        LostAudio {
            seconds: 0.75,
            places: 3,
            spans: vec![
                LostSpan {
                    at_s: 1.25,
                    until_s: 1.5,
                    lost_s: 0.5,
                },
                LostSpan {
                    at_s: 4.0,
                    until_s: 4.0,
                    lost_s: 0.15,
                },
                LostSpan {
                    at_s: 9.5,
                    until_s: 9.5,
                    lost_s: 0.1,
                },
            ],
        }
    }

    #[test]
    fn a_take_keeps_what_it_lost() {
        let s = Store::open_in_memory().unwrap();
        s.insert_recording(&NewTake::answer("a", "q", 16000))
            .unwrap();
        assert_eq!(s.take("a").unwrap().lost, LostAudio::default());
        s.set_lost_audio("a", &some_loss()).unwrap();
        s.finish("a", TakeStatus::Complete, 160_000, None, None)
            .unwrap();
        let t = s.take("a").unwrap();
        assert_eq!((t.status, t.lost), (TakeStatus::Complete, some_loss()));
        assert_eq!(
            s.set_lost_audio("missing", &some_loss())
                .unwrap_err()
                .code(),
            "NotFound"
        );
        // Nothing lost: no places stored.
        s.set_lost_audio("a", &LostAudio::default()).unwrap();
        let spans: Option<String> = s
            .conn()
            .query_row("SELECT lost_spans FROM takes WHERE id = 'a'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(spans, None);
        assert_eq!(s.take("a").unwrap().lost, LostAudio::default());
    }

    #[test]
    fn places_that_do_not_decode_leave_the_seconds() {
        let s = Store::open_in_memory().unwrap();
        s.insert_recording(&NewTake::answer("a", "q", 16000))
            .unwrap();
        s.conn()
            .execute(
                "UPDATE takes SET lost_s = 0.5, lost_places = 2, lost_spans = 'not json' WHERE id = 'a'",
                [],
            )
            .unwrap();
        let lost = s.take("a").unwrap().lost;
        assert_eq!((lost.seconds, lost.places, lost.spans.len()), (0.5, 2, 0));
    }

    #[test]
    fn migration_8_on_a_populated_database_of_version_7() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("candor.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            migrate_to(&mut conn, 7).unwrap();
            conn.execute_batch(
                "INSERT INTO rounds (id, planned_questions, length_s) VALUES ('r', 2, 600);
                 INSERT INTO takes (id, question_id, status, sample_rate, frames, device_name, round_id)
                     VALUES ('a', 'q1', 'complete', 16000, 32000, 'Mic', 'r');
                 INSERT INTO takes (id, question_id, parent_id, kind, pushback, status, sample_rate, frames, error)
                     VALUES ('b', 'q1', 'a', 'followup', 'Why?', 'interrupted', 48000, 10, 'unplugged');
                 INSERT INTO takes (id, question_id, status, sample_rate) VALUES ('c', 'q2', 'recording', 16000);
                 INSERT INTO take_metrics (take_id, metrics) VALUES ('a', '{\"duration_s\": 2}');
                 INSERT INTO reviews (take_id, status) VALUES ('a', 'draft');
                 INSERT INTO ratings (id, take_id, kind, status) VALUES ('rt', 'a', 'reviewed', 'saved');
                 INSERT INTO rating_scores (rating_id, criterion, score) VALUES ('rt', 'gaps', 4);",
            )
            .unwrap();
        }
        let s = Store::open(&path).unwrap();
        let version: i64 = s
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, crate::store::schema_version());
        let takes = s.list_takes().unwrap();
        assert_eq!(takes.len(), 3);
        for t in &takes {
            assert_eq!(t.lost, LostAudio::default(), "{}", t.id);
        }
        let (a, b) = (s.take("a").unwrap(), s.take("b").unwrap());
        assert_eq!(
            (a.frames, a.device_name.as_deref(), a.round_id.as_deref()),
            (32000, Some("Mic"), Some("r"))
        );
        assert_eq!(
            (b.status, b.pushback.as_deref(), b.error.as_deref()),
            (TakeStatus::Interrupted, Some("Why?"), Some("unplugged"))
        );
        assert_eq!(s.unfinished_takes().unwrap()[0].id, "c");
        assert_eq!(s.review_queue().unwrap().len(), 1);
        assert_eq!(crate::store::stale_progress_facts(s.conn()), 0);
        // The new columns take what a take lost, and refuse what cannot be.
        s.set_lost_audio("c", &some_loss()).unwrap();
        assert_eq!(s.take("c").unwrap().lost, some_loss());
        assert!(s
            .conn()
            .execute("UPDATE takes SET lost_s = -1 WHERE id = 'a'", [])
            .is_err());
    }
}
