//! My positions: the user's own view on each reading item (the three scenarios, the RSP, each
//! contestable position, each research pillar), shown beside the questions about it.

use serde::Serialize;

use super::Candor;
use crate::error::{CoreError, Result};
use crate::store::Position;

/// Longest text of one field of a position, in characters.
pub const MAX_POSITION_CHARS: usize = 2_000;

/// One reading item and the user's position on it (empty fields until written).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct PositionItem {
    /// The category (reading item) id.
    pub category: String,
    /// Its name.
    pub name: String,
    /// The document it comes from.
    pub reading: String,
    /// What questions about it test.
    pub blurb: String,
    /// The user's position; its `updated_at` is empty when none was written.
    pub position: Position,
}

fn empty(category: &str) -> Position {
    Position {
        category: category.to_string(),
        view: String::new(),
        confidence: None,
        would_change: String::new(),
        question: String::new(),
        updated_at: String::new(),
    }
}

impl Candor {
    /// Every reading item that takes a position, in the bank's order, with the user's position.
    pub fn positions(&self) -> Result<Vec<PositionItem>> {
        let folder = self.folder()?;
        let written = folder.store().positions()?;
        Ok(self
            .bank()?
            .categories
            .iter()
            .filter(|c| c.position)
            .map(|c| PositionItem {
                category: c.id.clone(),
                name: c.name.clone(),
                reading: c.reading.clone(),
                blurb: c.blurb.clone(),
                position: written
                    .iter()
                    .find(|p| p.category == c.id)
                    .cloned()
                    .unwrap_or_else(|| empty(&c.id)),
            })
            .collect())
    }

    /// The user's position on the reading item a question is about, if they wrote one.
    pub fn position_for(&self, question_id: &str) -> Result<Option<Position>> {
        crate::limits::check_id("question", question_id)?;
        let folder = self.folder()?;
        let q = crate::library::find(self.bank()?, folder.store(), question_id)?;
        folder.store().position(&q.category)
    }

    /// Writes the user's position on one reading item (an emptied one is removed); returns it
    /// as stored.
    pub fn save_position(&self, p: &Position) -> Result<Position> {
        crate::limits::check_id("category", &p.category)?;
        if !self
            .bank()?
            .categories
            .iter()
            .any(|c| c.position && c.id == p.category)
        {
            return Err(CoreError::NotFound(format!(
                "a reading item '{}'",
                crate::text::printable_clipped(&p.category, 40)
            )));
        }
        for (what, text) in [
            ("The view", &p.view),
            ("What would change your mind", &p.would_change),
            ("Your question", &p.question),
        ] {
            crate::limits::check_text(what, text, MAX_POSITION_CHARS)?;
        }
        if p.confidence.is_some_and(|c| c > 100) {
            return Err(CoreError::InvalidInput(
                "confidence is a percentage, from 0 to 100".into(),
            ));
        }
        let trimmed = Position {
            view: p.view.trim().to_string(),
            would_change: p.would_change.trim().to_string(),
            question: p.question.trim().to_string(),
            ..p.clone()
        };
        let folder = self.folder()?;
        folder.store().save_position(&trimmed)?;
        Ok(folder
            .store()
            .position(&p.category)?
            .unwrap_or_else(|| empty(&p.category)))
    }
}
