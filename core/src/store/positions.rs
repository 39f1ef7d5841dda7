//! The user's positions on the reading items: the table `positions` (migration 11), one row per
//! category of the bank that takes a position.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::Store;
use crate::error::Result;

/// What the user thinks about one reading item, in their own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Position {
    /// The category (reading item) it is about.
    pub category: String,
    /// The view, in a sentence.
    pub view: String,
    /// How sure, in percent; `None` until said.
    pub confidence: Option<u8>,
    /// What would change the user's mind.
    pub would_change: String,
    /// One sharp question the user would ask about it.
    pub question: String,
    /// When it was last changed (UTC, ISO 8601); empty for one never saved.
    pub updated_at: String,
}

const COLUMNS: &str = "category, view, confidence, would_change, question, updated_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Position> {
    Ok(Position {
        category: r.get(0)?,
        view: r.get(1)?,
        confidence: r.get(2)?,
        would_change: r.get(3)?,
        question: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

impl Store {
    /// Every position written, in category order of the table (callers order by the bank).
    pub fn positions(&self) -> Result<Vec<Position>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM positions ORDER BY category"
        ))?;
        let rows = st.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The position on one category, if the user wrote one.
    pub fn position(&self, category: &str) -> Result<Option<Position>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM positions WHERE category = ?1"),
                [category],
                row,
            )
            .optional()?)
    }

    /// Writes the position on `p.category` (all its fields), replacing what was there; a
    /// position left wholly empty is removed.
    pub fn save_position(&self, p: &Position) -> Result<()> {
        let empty = p.view.trim().is_empty()
            && p.would_change.trim().is_empty()
            && p.question.trim().is_empty()
            && p.confidence.is_none();
        if empty {
            self.conn
                .execute("DELETE FROM positions WHERE category = ?1", [&p.category])?;
            return Ok(());
        }
        self.conn.execute(
            "INSERT INTO positions (category, view, confidence, would_change, question)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(category) DO UPDATE SET view = ?2, confidence = ?3, would_change = ?4,
                 question = ?5, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![p.category, p.view, p.confidence, p.would_change, p.question],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(category: &str, view: &str) -> Position {
        Position {
            category: category.into(),
            view: view.into(),
            confidence: Some(60),
            would_change: "A lab that stayed behind and still found it.".into(),
            question: "Which result would you count against it?".into(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn a_position_is_written_replaced_and_removed_when_emptied() {
        let s = Store::open_in_memory().unwrap();
        assert_eq!(s.position("rsp").unwrap(), None);
        s.save_position(&position("rsp", "The trigger breaks first."))
            .unwrap();
        s.save_position(&position("rsp", "The cadence breaks first."))
            .unwrap();
        let got = s.position("rsp").unwrap().unwrap();
        assert_eq!(got.view, "The cadence breaks first.");
        assert_eq!(got.confidence, Some(60));
        assert!(!got.updated_at.is_empty());
        assert_eq!(s.positions().unwrap().len(), 1);
        s.save_position(&Position {
            view: " ".into(),
            would_change: String::new(),
            question: String::new(),
            confidence: None,
            ..position("rsp", "")
        })
        .unwrap();
        assert!(s.positions().unwrap().is_empty());
    }
}
