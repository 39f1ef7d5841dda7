//! The user's own questions and the shipped ones they chose to hide: the tables
//! `custom_questions` and `hidden_questions`, created by migration 2.

use rusqlite::params;

use super::Store;
use crate::error::{CoreError, Result};

/// A question the user wrote or imported, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomQuestion {
    /// Stable id.
    pub id: String,
    /// Category key (one of the bank's).
    pub category: String,
    /// The reading it comes from.
    pub reading: String,
    /// The question as asked.
    pub prompt: String,
    /// Criteria it mostly probes.
    pub criteria: Vec<String>,
    /// Interviewer follow-ups (stored as JSON: plain text, or a table with its marks).
    pub pushbacks: Vec<crate::bank::Pushback>,
}

fn json<T: serde::Serialize>(v: &[T]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<Vec<T>> {
    serde_json::from_str(s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

impl Store {
    /// Every question the user added, oldest first.
    pub fn custom_questions(&self) -> Result<Vec<CustomQuestion>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, category, reading, prompt, criteria, pushbacks FROM custom_questions
             ORDER BY created_at, rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(CustomQuestion {
                id: r.get(0)?,
                category: r.get(1)?,
                reading: r.get(2)?,
                prompt: r.get(3)?,
                criteria: from_json(&r.get::<_, String>(4)?)?,
                pushbacks: from_json(&r.get::<_, String>(5)?)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds questions all together or none at all.
    pub fn insert_custom_questions(&self, qs: &[CustomQuestion]) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        for q in qs {
            tx.execute(
                "INSERT INTO custom_questions (id, category, reading, prompt, criteria, pushbacks)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    q.id,
                    q.category,
                    q.reading,
                    q.prompt,
                    json(&q.criteria),
                    json(&q.pushbacks)
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Replaces the text of one of the user's questions.
    pub fn update_custom_question(&self, q: &CustomQuestion) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE custom_questions SET category = ?2, reading = ?3, prompt = ?4, criteria = ?5,
                    pushbacks = ?6, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1",
            params![
                q.id,
                q.category,
                q.reading,
                q.prompt,
                json(&q.criteria),
                json(&q.pushbacks)
            ],
        )?;
        if n == 0 {
            return Err(CoreError::NotFound(format!("your question '{}'", q.id)));
        }
        Ok(())
    }

    /// Deletes one of the user's questions (its takes are kept).
    pub fn delete_custom_question(&self, id: &str) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM custom_questions WHERE id = ?1", params![id])?;
        if n == 0 {
            return Err(CoreError::NotFound(format!("your question '{id}'")));
        }
        Ok(())
    }

    /// Ids of shipped questions the user hid.
    pub fn hidden_questions(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT question_id FROM hidden_questions ORDER BY question_id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Hides or shows a shipped question.
    pub fn set_hidden(&self, id: &str, hidden: bool) -> Result<()> {
        if hidden {
            self.conn.execute(
                "INSERT OR IGNORE INTO hidden_questions (question_id) VALUES (?1)",
                params![id],
            )?;
        } else {
            self.conn.execute(
                "DELETE FROM hidden_questions WHERE question_id = ?1",
                params![id],
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str) -> CustomQuestion {
        CustomQuestion {
            id: id.into(),
            category: "rsp".into(),
            reading: "RSP".into(),
            prompt: "What breaks first?".into(),
            criteria: vec!["complexity".into()],
            pushbacks: vec![
                crate::bank::Pushback::plain("Why?"),
                crate::bank::Pushback::plain("And then?"),
            ],
        }
    }

    #[test]
    fn custom_questions_round_trip_and_all_or_nothing() {
        let s = Store::open_in_memory().unwrap();
        s.insert_custom_questions(&[q("a"), q("b")]).unwrap();
        assert!(s.insert_custom_questions(&[q("c"), q("a")]).is_err());
        let ids: Vec<_> = s
            .custom_questions()
            .unwrap()
            .into_iter()
            .map(|q| q.id)
            .collect();
        assert_eq!(ids, ["a", "b"]);
        let mut edited = q("a");
        edited.prompt = "Edited".into();
        s.update_custom_question(&edited).unwrap();
        assert_eq!(s.custom_questions().unwrap()[0], edited);
        s.delete_custom_question("a").unwrap();
        assert_eq!(
            s.delete_custom_question("a").unwrap_err().code(),
            "NotFound"
        );
    }

    #[test]
    fn hiding_is_idempotent() {
        let s = Store::open_in_memory().unwrap();
        s.set_hidden("x", true).unwrap();
        s.set_hidden("x", true).unwrap();
        assert_eq!(s.hidden_questions().unwrap(), ["x"]);
        s.set_hidden("x", false).unwrap();
        assert!(s.hidden_questions().unwrap().is_empty());
    }
}
