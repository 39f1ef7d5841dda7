//! Second opinions (migration 17): `anchored_scores` (criteria rated again with the example
//! answers in view), `shares` and `share_takes` (pages sent out for rating, with the secret their
//! answer files are sealed with and each take's audio checksum), and `opinions` with
//! `opinion_scores`, `opinion_checks` and `opinion_flags` (an outside rater's rating of a take).
//! None of them is a row of `ratings`, so none grades a question or enters the weekly means.

use rusqlite::{params, OptionalExtension};

use super::{CheckAnswer, CheckMark, CriterionRating, Store};
use crate::error::{CoreError, Result};

/// One criterion rated again with the example answers in view.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct AnchoredScore {
    /// Criterion key.
    pub criterion: String,
    /// Score 1 to 5.
    pub score: u8,
    /// Why it moved (or not), in the user's words.
    pub note: String,
}

/// An outside rater's rating of one take, as imported from their answer file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Opinion {
    /// Stable id.
    pub id: String,
    /// The take rated (an answer).
    pub take_id: String,
    /// The rater's name, as they typed it.
    pub rater: String,
    /// Their overall note.
    pub note: String,
    /// When they saved it (their clock, ISO 8601).
    pub saved_at: String,
    /// When it was imported (UTC, ISO 8601).
    pub imported_at: String,
    /// Per-criterion scores, notes and checks, in criterion order.
    pub scores: Vec<CriterionRating>,
    /// Red flags they ticked, sorted.
    pub red_flags: Vec<String>,
}

/// What an answer file says of one take, checked and ready to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionInput {
    /// The take rated.
    pub take_id: String,
    /// The checksum of the audio they heard.
    pub audio_sha256: String,
    /// Per-criterion scores, notes and checks.
    pub scores: Vec<CriterionRating>,
    /// Red flags ticked.
    pub red_flags: Vec<String>,
    /// Overall note.
    pub note: String,
}

/// How one criterion's first reviews compare with the other ways the same answers were rated.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct CriterionCalibration {
    /// Criterion key.
    pub criterion: String,
    /// Mean score of the reviews.
    pub reviewed: Option<f64>,
    /// Mean of (anchored − reviewed) over answers rated again with the examples in view.
    pub anchored_gap: Option<f64>,
    /// Mean of (blind re-grade − reviewed).
    pub regrade_gap: Option<f64>,
    /// Mean of (outside rater − reviewed): above 0, others rate you higher than you do.
    pub outside_gap: Option<f64>,
    /// Answers with a review, then those also anchored, re-graded, rated from outside.
    pub counts: [u32; 4],
}

/// A page sent out for rating: its secret, and its takes with their audio checksums.
pub type SharedTakes = (String, Vec<(String, String)>);

impl Store {
    /// Keeps a page sent out for rating: its secret and the audio checksum of each take.
    pub fn create_share(&self, id: &str, secret: &str, takes: &[(String, String)]) -> Result<()> {
        self.write(|tx| {
            tx.tx.execute(
                "INSERT INTO shares (id, secret) VALUES (?1, ?2)",
                params![id, secret],
            )?;
            for (take, sha) in takes {
                tx.tx.execute(
                    "INSERT INTO share_takes (share_id, take_id, audio_sha256) VALUES (?1, ?2, ?3)",
                    params![id, take, sha],
                )?;
            }
            Ok(())
        })
    }

    /// A page sent out: its secret and its takes with their audio checksums, if it is known.
    pub fn share(&self, id: &str) -> Result<Option<SharedTakes>> {
        let secret: Option<String> = self
            .conn
            .query_row(
                "SELECT secret FROM shares WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(secret) = secret else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare(
            "SELECT take_id, audio_sha256 FROM share_takes WHERE share_id = ?1 ORDER BY rowid",
        )?;
        let takes = stmt
            .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some((secret, takes)))
    }

    /// Replaces a take's anchored re-rating with `scores` (an empty list removes it).
    pub fn save_anchored(&self, take_id: &str, scores: &[AnchoredScore]) -> Result<()> {
        self.write(|tx| {
            tx.tx.execute(
                "DELETE FROM anchored_scores WHERE take_id = ?1",
                params![take_id],
            )?;
            for s in scores {
                tx.tx
                    .execute(
                        "INSERT INTO anchored_scores (take_id, criterion, score, note)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![take_id, s.criterion, s.score, s.note],
                    )
                    .map_err(|e| match e {
                        rusqlite::Error::SqliteFailure(f, _)
                            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                        {
                            CoreError::NotFound(format!("take {take_id}"))
                        }
                        other => other.into(),
                    })?;
            }
            Ok(())
        })
    }

    /// A take's anchored re-rating, in criterion order of the rubric's keys as stored.
    pub fn anchored(&self, take_id: &str) -> Result<Vec<AnchoredScore>> {
        let mut stmt = self.conn.prepare(
            "SELECT criterion, score, note FROM anchored_scores WHERE take_id = ?1
             ORDER BY CASE criterion WHEN 'complexity' THEN 0 WHEN 'gaps' THEN 1
                 WHEN 'second_order' THEN 2 WHEN 'honesty' THEN 3 ELSE 4 END",
        )?;
        let rows = stmt.query_map(params![take_id], |r| {
            Ok(AnchoredScore {
                criterion: r.get(0)?,
                score: r.get(1)?,
                note: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// When a take's anchored re-rating was last saved, if it has one.
    pub fn anchored_saved_at(&self, take_id: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row(
            "SELECT max(saved_at) FROM anchored_scores WHERE take_id = ?1",
            params![take_id],
            |r| r.get(0),
        )?)
    }

    /// Keeps what one answer file says of its takes, in one transaction: a rater's earlier
    /// import of the same page is replaced (they saved again), nothing else is touched.
    pub fn import_opinions(
        &self,
        share_id: &str,
        rater: &str,
        saved_at: &str,
        takes: &[OpinionInput],
    ) -> Result<()> {
        self.write(|tx| {
            let tx = &tx.tx;
            for t in takes {
                tx.execute(
                    "DELETE FROM opinions WHERE take_id = ?1 AND share_id = ?2 AND rater = ?3",
                    params![t.take_id, share_id, rater],
                )?;
                let id = uuid::Uuid::new_v4().simple().to_string();
                tx.execute(
                    "INSERT INTO opinions (id, take_id, share_id, rater, note, audio_sha256, saved_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![id, t.take_id, share_id, rater, t.note, t.audio_sha256, saved_at],
                )?;
                for c in &t.scores {
                    tx.execute(
                        "INSERT INTO opinion_scores (opinion_id, criterion, score, note)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![id, c.criterion, c.score, c.note],
                    )?;
                    for m in &c.checks {
                        tx.execute(
                            "INSERT INTO opinion_checks (opinion_id, criterion, check_index, answer)
                             VALUES (?1, ?2, ?3, ?4)",
                            params![id, c.criterion, m.index, m.answer.as_str()],
                        )?;
                    }
                }
                for f in &t.red_flags {
                    tx.execute(
                        "INSERT INTO opinion_flags (opinion_id, flag) VALUES (?1, ?2)",
                        params![id, f],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// The outside opinions of a take, oldest import first.
    pub fn opinions(&self, take_id: &str) -> Result<Vec<Opinion>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, rater, note, saved_at, imported_at FROM opinions WHERE take_id = ?1
             ORDER BY imported_at, rater",
        )?;
        let heads: Vec<(String, String, String, String, String)> = stmt
            .query_map(params![take_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(heads.len());
        for (id, rater, note, saved_at, imported_at) in heads {
            let mut scores: Vec<CriterionRating> = self
                .conn
                .prepare(
                    "SELECT criterion, score, note FROM opinion_scores WHERE opinion_id = ?1
                     ORDER BY CASE criterion WHEN 'complexity' THEN 0 WHEN 'gaps' THEN 1
                         WHEN 'second_order' THEN 2 WHEN 'honesty' THEN 3 ELSE 4 END",
                )?
                .query_map(params![id], |r| {
                    Ok(CriterionRating {
                        criterion: r.get(0)?,
                        score: r.get(1)?,
                        note: r.get(2)?,
                        checks: Vec::new(),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let checks: Vec<(String, u8, String)> = self
                .conn
                .prepare(
                    "SELECT criterion, check_index, answer FROM opinion_checks
                     WHERE opinion_id = ?1 ORDER BY criterion, check_index",
                )?
                .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (criterion, index, answer) in checks {
                let answer = CheckAnswer::parse(&answer)?;
                if let Some(c) = scores.iter_mut().find(|c| c.criterion == criterion) {
                    c.checks.push(CheckMark { index, answer });
                }
            }
            let red_flags: Vec<String> = self
                .conn
                .prepare("SELECT flag FROM opinion_flags WHERE opinion_id = ?1 ORDER BY flag")?
                .query_map(params![id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            out.push(Opinion {
                id,
                take_id: take_id.to_owned(),
                rater,
                note,
                saved_at,
                imported_at,
                scores,
                red_flags,
            });
        }
        Ok(out)
    }

    /// Per criterion, over answers recorded since `since` that have a saved review: the mean
    /// review score and the mean gap of each other way of rating the same answers.
    pub(crate) fn calibration_by_criterion(
        &self,
        since: &str,
    ) -> Result<Vec<CriterionCalibration>> {
        let mut stmt = self.conn.prepare(
            "WITH rated AS (
                 SELECT r.take_id, r.kind, s.criterion, avg(s.score) AS v
                 FROM ratings r JOIN rating_scores s ON s.rating_id = r.id
                      JOIN takes t ON t.id = r.take_id
                 WHERE r.status = 'saved' AND r.kind IN ('reviewed', 'regrade')
                   AND s.score IS NOT NULL AND t.started_at >= ?1
                 GROUP BY r.take_id, r.kind, s.criterion
             ),
             rev AS (SELECT take_id, criterion, v FROM rated WHERE kind = 'reviewed'),
             reg AS (SELECT take_id, criterion, v FROM rated WHERE kind = 'regrade'),
             anc AS (SELECT take_id, criterion, score AS v FROM anchored_scores),
             outs AS (
                 SELECT o.take_id, s.criterion, avg(s.score) AS v
                 FROM opinions o JOIN opinion_scores s ON s.opinion_id = o.id
                 WHERE s.score IS NOT NULL GROUP BY o.take_id, s.criterion
             )
             SELECT rev.criterion, avg(rev.v),
                    avg(anc.v - rev.v), avg(reg.v - rev.v), avg(outs.v - rev.v),
                    count(*), count(anc.v), count(reg.v), count(outs.v)
             FROM rev LEFT JOIN anc ON anc.take_id = rev.take_id AND anc.criterion = rev.criterion
                      LEFT JOIN reg ON reg.take_id = rev.take_id AND reg.criterion = rev.criterion
                      LEFT JOIN outs ON outs.take_id = rev.take_id AND outs.criterion = rev.criterion
             GROUP BY rev.criterion
             ORDER BY CASE rev.criterion WHEN 'complexity' THEN 0 WHEN 'gaps' THEN 1
                 WHEN 'second_order' THEN 2 WHEN 'honesty' THEN 3 ELSE 4 END",
        )?;
        let rows = stmt.query_map(params![since], |r| {
            Ok(CriterionCalibration {
                criterion: r.get(0)?,
                reviewed: r.get(1)?,
                anchored_gap: r.get(2)?,
                regrade_gap: r.get(3)?,
                outside_gap: r.get(4)?,
                counts: [r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?],
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
