//! Speech metrics computed once per take: the `take_metrics` table, created by migration 3; the
//! waveform as drawn is kept beside them since migration 9.

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::error::{CoreError, Result};

impl Store {
    /// Stores a take's speech metrics; the full-rate peaks are left out and the waveform as
    /// drawn ([`display_peaks`](crate::analysis::display_peaks)) is kept instead.
    pub fn save_metrics(&self, take_id: &str, m: &crate::analysis::SpeechMetrics) -> Result<()> {
        let drawn: Vec<u8> =
            crate::analysis::display_peaks(&m.peaks, crate::analysis::DISPLAY_PEAKS)
                .into_iter()
                .flat_map(i16::to_le_bytes)
                .collect();
        let mut stored = m.clone();
        stored.peaks = Vec::new();
        let json = serde_json::to_string(&stored)
            .map_err(|e| CoreError::Database(format!("encoding metrics: {e}")))?;
        self.conn.execute(
            "INSERT INTO take_metrics (take_id, metrics, peaks) VALUES (?1, ?2, ?3)
             ON CONFLICT(take_id) DO UPDATE SET metrics = excluded.metrics,
                 peaks = excluded.peaks,
                 computed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![take_id, json, drawn],
        )?;
        Ok(())
    }

    /// A take's stored speech metrics with its waveform as drawn, if both were stored (takes
    /// measured before migration 9 have no waveform stored: `None`, so they are measured again).
    pub fn metrics_with_peaks(
        &self,
        take_id: &str,
    ) -> Result<Option<(crate::analysis::SpeechMetrics, Vec<i16>)>> {
        let row: Option<(String, Option<Vec<u8>>)> = self
            .conn
            .query_row(
                "SELECT metrics, peaks FROM take_metrics WHERE take_id = ?1",
                params![take_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(json, peaks)| {
            let metrics = serde_json::from_str(&json).ok()?;
            let drawn = peaks?
                .chunks_exact(2)
                .map(|b| i16::from_le_bytes([b[0], b[1]]))
                .collect();
            Some((metrics, drawn))
        }))
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
