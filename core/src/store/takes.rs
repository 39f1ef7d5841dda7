//! Takes (answers and their follow-ups): the `takes` table, created by migration 1, given
//! `round_id` by migration 2, indexed for the progress views and review lists by migrations 5,
//! 6 and 7 (whose trigger `progress_take_moved` carries a moved take's rating facts along).

use rusqlite::params;

use super::Store;
use crate::error::{CoreError, Result};

/// Status of a take's recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub enum TakeStatus {
    /// Capture is running (or the app crashed while it was).
    Recording,
    /// Stopped normally.
    Complete,
    /// Ended early by a device or write error; what was written is kept.
    Interrupted,
    /// Left `recording` by a crash and repaired at a later start.
    Recovered,
}

impl TakeStatus {
    fn as_str(self) -> &'static str {
        match self {
            TakeStatus::Recording => "recording",
            TakeStatus::Complete => "complete",
            TakeStatus::Interrupted => "interrupted",
            TakeStatus::Recovered => "recovered",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "recording" => TakeStatus::Recording,
            "complete" => TakeStatus::Complete,
            "interrupted" => TakeStatus::Interrupted,
            "recovered" => TakeStatus::Recovered,
            other => {
                return Err(CoreError::Database(format!(
                    "unknown take status '{other}'"
                )))
            }
        })
    }
}

/// A page of a long list of takes: the rows asked for, and how many the whole list holds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TakePage {
    /// Takes in the whole list.
    pub total: u32,
    /// This page's takes, in the list's order.
    pub takes: Vec<TakeRow>,
}

/// The answers waiting for review: with audio, and no finished review.
const REVIEW_QUEUE: &str = "WHERE parent_id IS NULL AND status != 'recording' AND frames > 0
    AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.take_id = takes.id AND r.status = 'done')";

/// One take as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TakeRow {
    /// Stable id (32 hex digits); also names the WAV file.
    pub id: String,
    /// Question answered.
    pub question_id: String,
    /// The answer this follow-up replies to, if it is one.
    pub parent_id: Option<String>,
    /// The push-back this follow-up replies to.
    pub pushback: Option<String>,
    /// Why the interviewer asked that push-back: the rule that chose it and the reason in words
    /// (none for a reply recorded before push-backs were chosen from the words).
    pub pushback_choice: Option<PushbackChoice>,
    /// The mock round it belongs to.
    pub round_id: Option<String>,
    /// Recording status.
    pub status: TakeStatus,
    /// When capture started (UTC, ISO 8601).
    pub started_at: String,
    /// Rate of the WAV.
    pub sample_rate: u32,
    /// Frames in the WAV.
    pub frames: u64,
    /// Input device used.
    pub device_name: Option<String>,
    /// Why it ended early, if it did.
    pub error: Option<String>,
    /// Audio lost while recording (the computer could not keep up); none in a healthy take.
    pub lost: crate::audio::LostAudio,
}

/// Why the interviewer asked a push-back.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct PushbackChoice {
    /// The rule that chose it (`question` for the question's own list).
    pub rule: String,
    /// Why, in words: "the answer voiced no uncertainty".
    pub reason: String,
}

/// What is known of a take before capture starts.
#[derive(Debug, Clone, Copy)]
pub struct NewTake<'a> {
    /// Its id (also names its WAV).
    pub id: &'a str,
    /// The question answered.
    pub question_id: &'a str,
    /// The answer this follow-up replies to.
    pub parent_id: Option<&'a str>,
    /// The interviewer's push-back it replies to.
    pub pushback: Option<&'a str>,
    /// The mock round it belongs to.
    pub round_id: Option<&'a str>,
    /// Rate of its WAV.
    pub sample_rate: u32,
}

impl<'a> NewTake<'a> {
    /// An answer to a question, outside any round.
    pub fn answer(id: &'a str, question_id: &'a str, sample_rate: u32) -> Self {
        NewTake {
            id,
            question_id,
            parent_id: None,
            pushback: None,
            round_id: None,
            sample_rate,
        }
    }
}

impl Store {
    /// Inserts a take's row as `recording`, before any audio is captured.
    pub fn insert_recording(&self, take: &NewTake<'_>) -> Result<()> {
        let kind = if take.parent_id.is_some() {
            "followup"
        } else {
            "answer"
        };
        self.conn.execute(
            "INSERT INTO takes (id, question_id, parent_id, kind, pushback, status, sample_rate, round_id)
             VALUES (?1, ?2, ?3, ?4, ?5, 'recording', ?6, ?7)",
            params![
                take.id,
                take.question_id,
                take.parent_id,
                kind,
                take.pushback,
                take.sample_rate,
                take.round_id
            ],
        )?;
        Ok(())
    }

    /// Records how a take ended.
    pub fn finish(
        &self,
        id: &str,
        status: TakeStatus,
        frames: u64,
        device_name: Option<&str>,
        error: Option<&str>,
    ) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE takes SET status = ?2, frames = ?3, device_name = COALESCE(?4, device_name),
                    error = ?5, ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1",
            params![id, status.as_str(), frames as i64, device_name, error],
        )?;
        if n == 0 {
            return Err(CoreError::NotFound(format!("take {id}")));
        }
        Ok(())
    }

    /// Removes a take's row (used when a start fails before any audio).
    pub fn delete_take(&self, id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM takes WHERE id = ?1", params![id])?;
        Ok(())
    }

    fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(TakeRow, String)> {
        let status: String = r.get(3)?;
        let frames: i64 = r.get(6)?;
        Ok((
            TakeRow {
                id: r.get(0)?,
                question_id: r.get(1)?,
                parent_id: r.get(2)?,
                status: TakeStatus::Recording,
                started_at: r.get(4)?,
                sample_rate: r.get(5)?,
                frames: frames.max(0) as u64,
                device_name: r.get(7)?,
                error: r.get(8)?,
                pushback: r.get(9)?,
                round_id: r.get(10)?,
                lost: super::lost::from_columns(r.get(11)?, r.get(12)?, r.get(13)?),
                pushback_choice: match (r.get::<_, Option<String>>(14)?, r.get(15)?) {
                    (Some(rule), Some(reason)) => Some(PushbackChoice { rule, reason }),
                    _ => None,
                },
            },
            status,
        ))
    }

    pub(super) fn query(
        &self,
        where_sql: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<TakeRow>> {
        let sql = format!(
            "SELECT id, question_id, parent_id, status, started_at, sample_rate, frames, device_name, error,
                    pushback, round_id, lost_s, lost_places, lost_spans,
                    (SELECT rule FROM pushback_choices c WHERE c.take_id = takes.id),
                    (SELECT reason FROM pushback_choices c WHERE c.take_id = takes.id)
             FROM takes {where_sql}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(args, Self::row)?;
        rows.map(|r| {
            let (mut take, status) = r?;
            take.status = TakeStatus::parse(&status)?;
            Ok(take)
        })
        .collect()
    }

    /// Every take, newest first.
    pub fn list_takes(&self) -> Result<Vec<TakeRow>> {
        self.query("ORDER BY started_at DESC, rowid DESC", &[])
    }

    /// One take by id.
    pub fn take(&self, id: &str) -> Result<TakeRow> {
        crate::limits::check_id("take", id)?;
        self.query("WHERE id = ?1", &[&id])?
            .into_iter()
            .next()
            .ok_or_else(|| CoreError::NotFound(format!("take {id}")))
    }

    /// Keeps why the interviewer asked the push-back the reply `take_id` answers.
    pub fn set_pushback_choice(&self, take_id: &str, choice: &PushbackChoice) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO pushback_choices (take_id, rule, reason) VALUES (?1, ?2, ?3)",
            params![take_id, choice.rule, choice.reason],
        )?;
        Ok(())
    }

    /// The follow-ups of an answer, oldest first.
    pub fn followups(&self, answer_id: &str) -> Result<Vec<TakeRow>> {
        self.query(
            "WHERE parent_id = ?1 ORDER BY started_at, rowid",
            &[&answer_id],
        )
    }

    /// The answers of a mock round, in the order they were given.
    pub fn round_answers(&self, round_id: &str) -> Result<Vec<TakeRow>> {
        self.query(
            "WHERE round_id = ?1 AND parent_id IS NULL ORDER BY started_at, rowid",
            &[&round_id],
        )
    }

    /// Answers with audio that have no finished review yet (the review queue), oldest first.
    pub fn review_queue(&self) -> Result<Vec<TakeRow>> {
        self.query(&format!("{REVIEW_QUEUE} ORDER BY started_at, rowid"), &[])
    }

    /// A page of the review queue (oldest first) and its length.
    pub fn review_queue_page(&self, offset: u32, limit: u32) -> Result<TakePage> {
        self.page(REVIEW_QUEUE, "started_at, rowid", offset, limit)
    }

    /// `limit` takes (at most [`MAX_PAGE`](crate::limits::MAX_PAGE)) of the list `filter`
    /// (a WHERE clause without arguments) after the first `offset`, and the list's length.
    pub(crate) fn page(
        &self,
        filter: &str,
        order: &str,
        offset: u32,
        limit: u32,
    ) -> Result<TakePage> {
        let limit = limit.min(crate::limits::MAX_PAGE);
        let total = self.count(filter)?;
        let takes = self.query(
            &format!("{filter} ORDER BY {order} LIMIT ?1 OFFSET ?2"),
            &[&limit, &offset],
        )?;
        Ok(TakePage { total, takes })
    }

    /// Every take of one question (answers and follow-ups), newest first.
    pub fn question_takes(&self, question_id: &str) -> Result<Vec<TakeRow>> {
        crate::limits::check_id("question", question_id)?;
        self.query(
            "WHERE question_id = ?1 ORDER BY started_at DESC, rowid DESC",
            &[&question_id],
        )
    }

    /// When each question was last practised (its newest take of any kind): question id ->
    /// `started_at`, for choosing what to practise next without reading every take.
    pub fn last_practiced(&self) -> Result<std::collections::HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT question_id, max(started_at) FROM takes GROUP BY question_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Answers recorded, ever (follow-ups not counted).
    pub fn answer_count(&self) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM takes WHERE parent_id IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// Answers waiting for review.
    pub fn review_queue_count(&self) -> Result<u32> {
        self.count(REVIEW_QUEUE)
    }

    /// Takes in the list `filter` (a WHERE clause without arguments).
    fn count(&self, filter: &str) -> Result<u32> {
        Ok(self
            .conn
            .query_row(&format!("SELECT count(*) FROM takes {filter}"), [], |r| {
                r.get(0)
            })?)
    }

    /// Takes left `recording` (by a crash, when no recording is running).
    pub fn unfinished_takes(&self) -> Result<Vec<TakeRow>> {
        self.query("WHERE status = 'recording' ORDER BY started_at", &[])
    }
}

#[cfg(test)]
impl Store {
    /// Test support: moves a take's recording time, for histories set at fixed dates.
    pub(crate) fn set_take_started_at(&self, id: &str, started_at: &str) {
        self.conn
            .execute(
                "UPDATE takes SET started_at = ?2 WHERE id = ?1",
                params![id, started_at],
            )
            .unwrap_or_else(|e| panic!("moving take {id}: {e}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_lifecycle() {
        let s = Store::open_in_memory().unwrap();
        s.insert_recording(&NewTake::answer("a1", "q1", 16000))
            .unwrap();
        assert_eq!(s.take("a1").unwrap().status, TakeStatus::Recording);
        assert_eq!(s.unfinished_takes().unwrap().len(), 1);
        s.finish("a1", TakeStatus::Complete, 48000, Some("Mic"), None)
            .unwrap();
        let t = s.take("a1").unwrap();
        assert_eq!((t.status, t.frames), (TakeStatus::Complete, 48000));
        assert_eq!(t.device_name.as_deref(), Some("Mic"));
        assert!(s.unfinished_takes().unwrap().is_empty());
        assert_eq!(s.take("zz").unwrap_err().code(), "NotFound");
    }

    #[test]
    fn followups_cascade_with_their_answer() {
        let s = Store::open_in_memory().unwrap();
        s.insert_recording(&NewTake::answer("a", "q", 16000))
            .unwrap();
        let followup = NewTake {
            parent_id: Some("a"),
            pushback: Some("Why?"),
            ..NewTake::answer("b", "q", 16000)
        };
        s.insert_recording(&followup).unwrap();
        assert_eq!(
            s.followups("a").unwrap()[0].pushback.as_deref(),
            Some("Why?")
        );
        let orphan = NewTake {
            parent_id: Some("missing"),
            ..NewTake::answer("c", "q", 16000)
        };
        assert!(s.insert_recording(&orphan).is_err());
        s.delete_take("a").unwrap();
        assert!(s.list_takes().unwrap().is_empty());
    }

    #[test]
    fn review_queue_holds_unreviewed_answers_with_audio() {
        let s = Store::open_in_memory().unwrap();
        s.insert_round("r", 2, 600).unwrap();
        for id in ["a", "b", "c"] {
            let t = NewTake {
                round_id: Some("r"),
                ..NewTake::answer(id, "q", 16000)
            };
            s.insert_recording(&t).unwrap();
        }
        s.finish("a", TakeStatus::Complete, 100, None, None)
            .unwrap();
        s.finish("b", TakeStatus::Complete, 0, None, None).unwrap();
        let queue: Vec<_> = s
            .review_queue()
            .unwrap()
            .into_iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(queue, ["a"]);
        assert_eq!(s.round_answers("r").unwrap().len(), 3);
        s.end_round("r").unwrap();
        assert!(s.round("r").unwrap().unwrap().ended_at.is_some());
    }

    /// Answers a0..a{n-1} to `q` a minute apart from `hour`:00 on 1 January 2026 (a{n-1}
    /// newest), each with audio.
    fn answers(s: &Store, q: &str, hour: u32, n: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                let id = format!("{q}-a{i}");
                s.insert_recording(&NewTake::answer(&id, q, 16000)).unwrap();
                s.finish(&id, TakeStatus::Complete, 100, None, None)
                    .unwrap();
                s.set_take_started_at(&id, &format!("2026-01-01T{hour:02}:{i:02}:00.000Z"));
                id
            })
            .collect()
    }

    fn ids(p: &TakePage) -> Vec<&str> {
        p.takes.iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn long_lists_come_a_page_at_a_time_with_their_length() {
        let s = Store::open_in_memory().unwrap();
        let q = answers(&s, "q", 10, 7);
        answers(&s, "other", 11, 1);
        let page = s.review_queue_page(0, 3).unwrap();
        assert_eq!((page.total, ids(&page)), (8, vec![&*q[0], &*q[1], &*q[2]]));
        let page = s.review_queue_page(6, 3).unwrap();
        assert_eq!((page.total, page.takes.len()), (8, 2));
        assert!(s.review_queue_page(8, 3).unwrap().takes.is_empty());
        assert_eq!(s.review_queue_count().unwrap(), 8);
        // A huge page is cut to the most a page holds.
        assert_eq!(
            s.review_queue_page(0, u32::MAX).unwrap().takes.len(),
            8.min(crate::limits::MAX_PAGE as usize)
        );
        // Reviewed answers: newest first.
        for id in &q[..4] {
            s.conn
                .execute(
                    "INSERT INTO ratings (id, take_id, kind, status) VALUES (?1, ?1, 'reviewed', 'saved')",
                    params![id],
                )
                .unwrap();
        }
        let page = s.reviewed_answers_page(1, 2).unwrap();
        assert_eq!((page.total, ids(&page)), (4, vec![&*q[2], &*q[1]]));
        assert_eq!(s.reviewed_answers().unwrap().len(), 4);
    }

    #[test]
    fn a_questions_takes_and_when_each_question_was_last_practised() {
        let s = Store::open_in_memory().unwrap();
        let q = answers(&s, "q", 10, 3);
        answers(&s, "other", 9, 2);
        let reply = NewTake {
            parent_id: Some(&q[0]),
            ..NewTake::answer("reply", "q", 16000)
        };
        s.insert_recording(&reply).unwrap();
        let mine: Vec<_> = s
            .question_takes("q")
            .unwrap()
            .into_iter()
            .map(|t| t.id)
            .collect();
        // The reply was recorded "now", after the answers of January.
        assert_eq!(mine, ["reply", &q[2], &q[1], &q[0]]);
        assert!(s.question_takes("nobody").unwrap().is_empty());
        assert_eq!(s.answer_count().unwrap(), 5);
        let last = s.last_practiced().unwrap();
        assert_eq!(last.len(), 2);
        assert_eq!(last["other"], "2026-01-01T09:01:00.000Z");
        assert!(last["q"] > last["other"]);
    }
}
