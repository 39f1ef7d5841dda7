//! Speech metrics computed once per take: the `take_metrics` table, created by migration 3.

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::error::{CoreError, Result};

impl Store {
    /// Stores a take's speech metrics (the waveform peaks are left out; they are cheap to redo).
    pub fn save_metrics(&self, take_id: &str, m: &crate::analysis::SpeechMetrics) -> Result<()> {
        let mut stored = m.clone();
        stored.peaks = Vec::new();
        let json = serde_json::to_string(&stored)
            .map_err(|e| CoreError::Database(format!("encoding metrics: {e}")))?;
        self.conn.execute(
            "INSERT INTO take_metrics (take_id, metrics) VALUES (?1, ?2)
             ON CONFLICT(take_id) DO UPDATE SET metrics = excluded.metrics,
                 computed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![take_id, json],
        )?;
        Ok(())
    }

    /// A take's stored speech metrics, if they were computed.
    pub fn metrics(&self, take_id: &str) -> Result<Option<crate::analysis::SpeechMetrics>> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT metrics FROM take_metrics WHERE take_id = ?1",
                params![take_id],
                |r| r.get(0),
            )
            .optional()?;
        // Metrics written by another version may not decode: they are simply computed again.
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }
}
