//! Transcripts of takes and their full-text search: the table `transcripts` and the FTS5 index
//! `transcript_search` (migration 12).

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::error::{CoreError, Result};
use crate::transcribe::{ModelInfo, Segment, Word, WordDelivery};

/// A transcript as stored: which model made it, its text, words and segments, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTranscript {
    /// The take it transcribes.
    pub take_id: String,
    /// The model that made it.
    pub model: ModelInfo,
    /// The whole text.
    pub text: String,
    /// Every word with its times.
    pub words: Vec<Word>,
    /// The segments as the model cut them.
    pub segments: Vec<Segment>,
    /// The delivery read from its words, kept for the weekly figures (None: not read yet).
    pub delivery: Option<WordDelivery>,
    /// Checksum of the cue lists the delivery was read with.
    pub cues: String,
    /// When it was made (UTC, ISO 8601).
    pub created_at: String,
}

/// A take whose transcription failed, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct TranscriptFailure {
    /// The take.
    pub take_id: String,
    /// The model that was used.
    pub model: String,
    /// What went wrong, in words.
    pub reason: String,
    /// When (UTC, ISO 8601).
    pub failed_at: String,
}

/// One take whose transcript matches a search, with the matching words marked.
#[derive(Debug, Clone, PartialEq)]
pub struct TranscriptHit {
    /// The take.
    pub take_id: String,
    /// A short piece of the transcript around the match, the matched words in [brackets].
    pub snippet: String,
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| CoreError::Database(format!("writing a transcript: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A search as FTS5 reads it: each word the user typed, quoted (so no word is taken as an
/// operator), all of them required, the last one also as a prefix.
fn fts_query(q: &str) -> Option<String> {
    let words: Vec<String> = q
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect();
    let (last, rest) = words.split_last()?;
    let mut parts: Vec<String> = rest.to_vec();
    parts.push(format!("{last}*"));
    Some(parts.join(" "))
}

impl Store {
    /// Stores (or replaces) the transcript of a take.
    pub fn save_transcript(&self, t: &StoredTranscript) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO transcripts (take_id, model, model_sha256, model_bytes, text, words,
                 segments, delivery, cues)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(take_id) DO UPDATE SET model = ?2, model_sha256 = ?3, model_bytes = ?4,
                 text = ?5, words = ?6, segments = ?7, delivery = ?8, cues = ?9,
                 created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                params![
                    t.take_id,
                    t.model.name,
                    t.model.sha256,
                    t.model.bytes as i64,
                    t.text,
                    to_json(&t.words)?,
                    to_json(&t.segments)?,
                    t.delivery.as_ref().map(to_json).transpose()?,
                    t.cues
                ],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    CoreError::NotFound(format!("take {}", t.take_id))
                }
                other => other.into(),
            })?;
        Ok(())
    }

    /// The transcript of a take, if it has one.
    pub fn transcript(&self, take_id: &str) -> Result<Option<StoredTranscript>> {
        Ok(self
            .conn
            .query_row(
                "SELECT take_id, model, model_sha256, model_bytes, text, words, segments,
                        created_at, delivery, cues
                 FROM transcripts WHERE take_id = ?1",
                [take_id],
                |r| {
                    Ok(StoredTranscript {
                        take_id: r.get(0)?,
                        model: ModelInfo {
                            name: r.get(1)?,
                            sha256: r.get(2)?,
                            bytes: r.get::<_, i64>(3)?.max(0) as u64,
                        },
                        text: r.get(4)?,
                        words: from_json(&r.get::<_, String>(5)?)?,
                        segments: from_json(&r.get::<_, String>(6)?)?,
                        created_at: r.get(7)?,
                        // Figures written by another version may not decode: read again then.
                        delivery: r
                            .get::<_, Option<String>>(8)?
                            .and_then(|j| serde_json::from_str(&j).ok()),
                        cues: r.get(9)?,
                    })
                },
            )
            .optional()?)
    }

    /// Finished takes with audio frames, no transcript and no recorded failure, newest first: the
    /// background queue (kept in the database itself, so it survives a restart or a kill).
    pub fn untranscribed_takes(&self) -> Result<Vec<super::TakeRow>> {
        self.query(
            "WHERE status <> 'recording' AND frames > 0
               AND id NOT IN (SELECT take_id FROM transcripts)
               AND id NOT IN (SELECT take_id FROM transcript_failures)
             ORDER BY started_at DESC, rowid DESC",
            &[],
        )
    }

    /// Transcripts whose delivery was not read with the cue lists `cues` (a checksum): their
    /// take and words, to be read again.
    pub fn transcripts_read_with_other_cues(&self, cues: &str) -> Result<Vec<(String, Vec<Word>)>> {
        let mut st = self.conn.prepare(
            "SELECT take_id, words FROM transcripts WHERE cues IS NOT ?1 OR delivery IS NULL",
        )?;
        let rows = st.query_map([cues], |r| {
            Ok((r.get(0)?, from_json(&r.get::<_, String>(1)?)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Replaces the delivery read from a transcript's words, and the checksum of the cue lists.
    pub fn set_word_delivery(&self, take_id: &str, d: &WordDelivery, cues: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE transcripts SET delivery = ?2, cues = ?3 WHERE take_id = ?1",
            params![take_id, to_json(d)?, cues],
        )?;
        Ok(())
    }

    /// Adds audio a model transcribed and the time it took to its speed on this machine.
    pub fn add_model_speed(
        &self,
        model_sha256: &str,
        spent: crate::transcribe::Spent,
    ) -> Result<()> {
        if spent.audio_s <= 0.0 || !spent.compute_s.is_finite() {
            return Ok(());
        }
        self.conn.execute(
            "INSERT INTO model_speed (model_sha256, audio_s, compute_s) VALUES (?1, ?2, ?3)
             ON CONFLICT(model_sha256) DO UPDATE SET audio_s = audio_s + ?2,
                 compute_s = compute_s + ?3",
            params![model_sha256, spent.audio_s, spent.compute_s.max(0.0)],
        )?;
        Ok(())
    }

    /// A model's speed on this machine so far: the audio it transcribed and the time it took.
    pub fn model_speed(&self, model_sha256: &str) -> Result<Option<crate::transcribe::Spent>> {
        Ok(self
            .conn
            .query_row(
                "SELECT audio_s, compute_s FROM model_speed WHERE model_sha256 = ?1",
                [model_sha256],
                |r| {
                    Ok(crate::transcribe::Spent {
                        audio_s: r.get(0)?,
                        compute_s: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records that transcribing a take failed (the queue skips it until it is retried).
    pub fn record_transcript_failure(
        &self,
        take_id: &str,
        model: &str,
        reason: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO transcript_failures (take_id, model, reason) VALUES (?1, ?2, ?3)
             ON CONFLICT(take_id) DO UPDATE SET model = ?2, reason = ?3,
                 failed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![take_id, model, reason],
        )?;
        Ok(())
    }

    /// Takes whose transcription failed, newest failure first.
    pub fn transcript_failures(&self) -> Result<Vec<TranscriptFailure>> {
        let mut st = self.conn.prepare(
            "SELECT take_id, model, reason, failed_at FROM transcript_failures
             ORDER BY failed_at DESC, rowid DESC",
        )?;
        let rows = st.query_map([], |r| {
            Ok(TranscriptFailure {
                take_id: r.get(0)?,
                model: r.get(1)?,
                reason: r.get(2)?,
                failed_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Puts failed takes back in the queue: one, or all of them (`None`). Returns how many.
    pub fn clear_transcript_failures(&self, take_id: Option<&str>) -> Result<usize> {
        Ok(match take_id {
            Some(id) => self
                .conn
                .execute("DELETE FROM transcript_failures WHERE take_id = ?1", [id])?,
            None => self.conn.execute("DELETE FROM transcript_failures", [])?,
        })
    }

    /// Takes whose transcript holds every word searched for (the last also as the start of a
    /// word), best match first, at most `limit`.
    pub fn search_transcripts(&self, q: &str, limit: u32) -> Result<Vec<TranscriptHit>> {
        let Some(query) = fts_query(q) else {
            return Ok(Vec::new());
        };
        let mut st = self.conn.prepare(
            "SELECT t.take_id, snippet(transcript_search, 0, '[', ']', '…', 12)
             FROM transcript_search JOIN transcripts t ON t.rowid = transcript_search.rowid
             WHERE transcript_search MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let rows = st.query_map(params![query, limit], |r| {
            Ok(TranscriptHit {
                take_id: r.get(0)?,
                snippet: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewTake;

    fn transcript(take: &str, text: &str) -> StoredTranscript {
        StoredTranscript {
            take_id: take.into(),
            model: ModelInfo {
                name: "ggml-base.bin".into(),
                sha256: "ab".repeat(32),
                bytes: 147_951_465,
            },
            text: text.into(),
            words: text
                .split_whitespace()
                .enumerate()
                .map(|(i, w)| Word {
                    word: w.into(),
                    start_s: i as f64,
                    end_s: i as f64 + 0.4,
                    p: 0.9,
                })
                .collect(),
            segments: vec![Segment {
                start_s: 0.0,
                end_s: 3.0,
                text: text.into(),
            }],
            delivery: None,
            cues: String::new(),
            created_at: String::new(),
        }
    }

    #[test]
    fn the_queue_is_every_finished_take_without_transcript_or_failure_newest_first() {
        let s = Store::open_in_memory().unwrap();
        for id in ["old", "mid", "new", "live"] {
            s.insert_recording(&NewTake::answer(id, "q", 16_000))
                .unwrap();
            if id != "live" {
                s.finish(id, crate::store::TakeStatus::Complete, 16_000, None, None)
                    .unwrap();
            }
            std::thread::sleep(std::time::Duration::from_millis(3));
        }
        let queue = |s: &Store| -> Vec<String> {
            s.untranscribed_takes()
                .unwrap()
                .into_iter()
                .map(|t| t.id)
                .collect()
        };
        assert_eq!(
            queue(&s),
            ["new", "mid", "old"],
            "newest first, never one recording"
        );
        s.save_transcript(&transcript("new", "Done already."))
            .unwrap();
        s.record_transcript_failure("mid", "ggml-base.bin", "It failed.")
            .unwrap();
        assert_eq!(queue(&s), ["old"]);
        let failures = s.transcript_failures().unwrap();
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].reason, "It failed.");
        assert_eq!(s.clear_transcript_failures(Some("mid")).unwrap(), 1);
        assert_eq!(
            queue(&s),
            ["mid", "old"],
            "a retry puts it back in its place"
        );
    }

    #[test]
    fn a_transcript_is_kept_with_its_model_replaced_and_found_by_its_words() {
        let s = Store::open_in_memory().unwrap();
        for id in ["a", "b"] {
            s.insert_recording(&NewTake::answer(id, "q", 16_000))
                .unwrap();
        }
        s.save_transcript(&transcript("a", "Um, I don't know who owns the threshold."))
            .unwrap();
        s.save_transcript(&transcript("b", "The cadence breaks first, I think."))
            .unwrap();
        let a = s.transcript("a").unwrap().unwrap();
        assert_eq!(a.model.name, "ggml-base.bin");
        assert_eq!(a.words.len(), 8);
        assert!(!a.created_at.is_empty());
        let hits = |q: &str| -> Vec<String> {
            s.search_transcripts(q, 10)
                .unwrap()
                .into_iter()
                .map(|h| h.take_id)
                .collect()
        };
        assert_eq!(hits("threshold"), ["a"]);
        assert_eq!(hits("cad"), ["b"], "the last word is a prefix");
        assert_eq!(hits("don't know"), ["a"]);
        assert!(
            hits("\" OR NEAR( *").is_empty(),
            "operators are words, not syntax"
        );
        assert!(hits("   ").is_empty());
        assert!(s.search_transcripts("threshold", 10).unwrap()[0]
            .snippet
            .contains("[threshold]"));
        // Replaced: the old words are no longer found.
        s.save_transcript(&transcript("a", "A new take on it."))
            .unwrap();
        assert!(hits("threshold").is_empty());
        assert_eq!(hits("new"), ["a"]);
        // A take deleted takes its transcript and its index entry with it.
        s.delete_take("b").unwrap();
        assert!(s.transcript("b").unwrap().is_none());
        assert!(hits("cadence").is_empty());
        // A transcript of no take is refused.
        assert_eq!(
            s.save_transcript(&transcript("zz", "x"))
                .unwrap_err()
                .code(),
            "NotFound"
        );
    }
}
