//! Moments marked in a take: the `markers` table, created by migration 4.

use rusqlite::params;

use super::Store;
use crate::error::{CoreError, Result};

/// A moment marked in a take.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Marker {
    /// Stable id.
    pub id: String,
    /// The take it is in.
    pub take_id: String,
    /// Seconds from the start of the take.
    pub at_s: f64,
    /// A criterion or red-flag key, if tagged.
    pub tag: Option<String>,
    /// The user's note.
    pub note: String,
}

impl Store {
    /// Adds a marker to a take.
    pub fn add_marker(
        &self,
        take_id: &str,
        at_s: f64,
        tag: Option<&str>,
        note: &str,
    ) -> Result<Marker> {
        if !at_s.is_finite() || at_s < 0.0 {
            return Err(CoreError::InvalidInput(format!(
                "a marker's time must be zero or more seconds, not {at_s}"
            )));
        }
        crate::limits::check_text(
            "The marker's note",
            note,
            crate::limits::MAX_MARKER_NOTE_CHARS,
        )?;
        // Refused with a clear message rather than a foreign-key error from SQLite.
        self.take(take_id)?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        self.conn.execute(
            "INSERT INTO markers (id, take_id, at_s, tag, note) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, take_id, at_s, tag, note],
        )?;
        Ok(Marker {
            id,
            take_id: take_id.to_string(),
            at_s,
            tag: tag.map(str::to_string),
            note: note.to_string(),
        })
    }

    /// Changes a marker's tag and note.
    pub fn update_marker(&self, id: &str, tag: Option<&str>, note: &str) -> Result<()> {
        crate::limits::check_id("marker", id)?;
        crate::limits::check_text(
            "The marker's note",
            note,
            crate::limits::MAX_MARKER_NOTE_CHARS,
        )?;
        let n = self.conn.execute(
            "UPDATE markers SET tag = ?2, note = ?3 WHERE id = ?1",
            params![id, tag, note],
        )?;
        if n == 0 {
            return Err(CoreError::NotFound(format!("marker {id}")));
        }
        Ok(())
    }

    /// Deletes a marker.
    pub fn delete_marker(&self, id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM markers WHERE id = ?1", params![id])?;
        Ok(())
    }

    /// The markers of a take, in time order.
    pub fn markers(&self, take_id: &str) -> Result<Vec<Marker>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, take_id, at_s, tag, note FROM markers WHERE take_id = ?1
             ORDER BY at_s, rowid",
        )?;
        let rows = stmt.query_map(params![take_id], |r| {
            Ok(Marker {
                id: r.get(0)?,
                take_id: r.get(1)?,
                at_s: r.get(2)?,
                tag: r.get(3)?,
                note: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewTake, TakeStatus};

    fn store_with_answer(s: &Store, id: &str, q: &str) {
        s.insert_recording(&NewTake::answer(id, q, 16000)).unwrap();
        s.finish(id, TakeStatus::Complete, 16000, None, None)
            .unwrap();
    }

    #[test]
    fn markers_are_added_updated_listed_and_deleted() {
        let s = Store::open_in_memory().unwrap();
        store_with_answer(&s, "a", "q");
        let m2 = s.add_marker("a", 2.5, None, "").unwrap();
        let m1 = s.add_marker("a", 1.25, Some("gaps"), "guessed").unwrap();
        s.update_marker(&m2.id, Some("complexity"), "framework here")
            .unwrap();
        let list = s.markers("a").unwrap();
        assert_eq!(list[0], m1);
        assert_eq!(list[1].tag.as_deref(), Some("complexity"));
        assert_eq!(list[1].note, "framework here");
        assert_eq!(list[1].at_s, 2.5);
        s.delete_marker(&m1.id).unwrap();
        assert_eq!(s.markers("a").unwrap().len(), 1);
        assert!(s.add_marker("a", -1.0, None, "").is_err());
        assert!(s.add_marker("missing", 1.0, None, "").is_err());
        assert_eq!(
            s.update_marker("nope", None, "").unwrap_err().code(),
            "NotFound"
        );
    }

    #[test]
    fn marker_input_is_checked_with_clear_errors() {
        let s = Store::open_in_memory().unwrap();
        store_with_answer(&s, "a", "q");
        // An unknown take is "not found", not a database error.
        let e = s.add_marker("missing", 1.0, None, "").unwrap_err();
        assert_eq!(e.code(), "NotFound");
        assert_eq!(e.to_string(), "take missing was not found.");
        assert_eq!(
            s.add_marker("a", f64::NAN, None, "").unwrap_err().code(),
            "InvalidInput"
        );
        assert_eq!(
            s.add_marker("a", f64::INFINITY, None, "")
                .unwrap_err()
                .code(),
            "InvalidInput"
        );
        let long = "x".repeat(crate::limits::MAX_MARKER_NOTE_CHARS + 1);
        assert_eq!(
            s.add_marker("a", 1.0, None, &long).unwrap_err().code(),
            "InvalidInput"
        );
        let m = s.add_marker("a", 1.0, None, "ok").unwrap();
        assert_eq!(
            s.update_marker(&m.id, None, &long).unwrap_err().code(),
            "InvalidInput"
        );
        assert_eq!(
            s.markers("a").unwrap()[0].note,
            "ok",
            "a refused edit changes nothing"
        );
        // A huge id is refused without being echoed back.
        let huge = "z".repeat(10_000);
        let e = s.add_marker(&huge, 1.0, None, "").unwrap_err();
        assert_eq!(e.to_string(), "that take was not found.");
        assert_eq!(s.take("").unwrap_err().code(), "InvalidInput");
    }
}
