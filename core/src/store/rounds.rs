//! Mock rounds, several questions under one clock reviewed afterwards as a batch: the `rounds`
//! table, created by migration 2 (which also gave `takes` the `round_id` that links them).

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::error::{CoreError, Result};

/// A mock round as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoundRow {
    /// Stable id.
    pub id: String,
    /// When it started (UTC, ISO 8601).
    pub started_at: String,
    /// When it ended, if it did.
    pub ended_at: Option<String>,
    /// Questions planned.
    pub planned_questions: u32,
    /// The round clock, in seconds.
    pub length_s: u32,
}

impl Store {
    /// Starts a round.
    pub fn insert_round(&self, id: &str, planned_questions: u32, length_s: u32) -> Result<()> {
        self.conn.execute(
            "INSERT INTO rounds (id, planned_questions, length_s) VALUES (?1, ?2, ?3)",
            params![id, planned_questions, length_s],
        )?;
        Ok(())
    }

    /// Marks a round ended.
    pub fn end_round(&self, id: &str) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE rounds SET ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1 AND ended_at IS NULL",
            params![id],
        )?;
        if n == 0 && self.round(id)?.is_none() {
            return Err(CoreError::NotFound(format!("round {id}")));
        }
        Ok(())
    }

    /// One round by id.
    pub fn round(&self, id: &str) -> Result<Option<RoundRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, started_at, ended_at, planned_questions, length_s FROM rounds WHERE id = ?1",
                params![id],
                |r| {
                    Ok(RoundRow {
                        id: r.get(0)?,
                        started_at: r.get(1)?,
                        ended_at: r.get(2)?,
                        planned_questions: r.get(3)?,
                        length_s: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }
}
