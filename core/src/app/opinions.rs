//! Second-opinion use cases: rating a criterion again with the example answers in view, sending
//! takes out as one page for a friend or coach to rate, bringing their answer file back (checked
//! against what was sent and the audio as it is now), and how all of these compare with the
//! user's own reviews, criterion by criterion.

use std::path::Path;

use serde::Serialize;

use super::data::{downloads, file_name_of};
use super::Candor;
use crate::error::{CoreError, Result};
use crate::progress::Period;
use crate::share::{self, ShareData, SharedPart, SharedRubric, SharedTake};
use crate::store::{AnchoredScore, CriterionCalibration, Opinion, OpinionInput, TakeRow};

/// Answers one page may carry (a mock round is a handful; the file grows with each).
const MAX_SHARED_TAKES: usize = 20;

/// A page written for outside raters.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct SharedPage {
    /// Its file name (in Downloads, from the window).
    pub file_name: String,
    /// Answers on it.
    pub takes: u32,
    /// Its size in bytes.
    #[cfg_attr(feature = "ipc", specta(type = f64))]
    pub bytes: u64,
    /// The size of the WAV files it carries, in bytes (the page's overhead is the rest).
    #[cfg_attr(feature = "ipc", specta(type = f64))]
    pub audio_bytes: u64,
}

/// What an imported answer file held.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ImportedOpinion {
    /// Who rated.
    pub rater: String,
    /// The answers rated (ids).
    pub take_ids: Vec<String>,
}

impl Candor {
    /// Rates criteria of a reviewed answer again with the example answers in view (its own kind
    /// of rating, kept apart: it never grades the question); an empty list removes it.
    pub fn save_anchored(&self, take_id: &str, scores: &[AnchoredScore]) -> Result<()> {
        crate::limits::check_id("take", take_id)?;
        let rubric = self.rubric_ref()?;
        for (i, s) in scores.iter().enumerate() {
            if !rubric.criteria.iter().any(|c| c.key == s.criterion)
                || scores[..i].iter().any(|o| o.criterion == s.criterion)
            {
                return Err(CoreError::InvalidInput(format!(
                    "'{}' is not a criterion of the rubric, or is rated twice",
                    s.criterion.chars().take(40).collect::<String>()
                )));
            }
            if !(1..=5).contains(&s.score) || s.note.chars().count() > 10_000 {
                return Err(CoreError::InvalidInput(
                    "A score is 1 to 5 and a note at most 10,000 characters.".into(),
                ));
            }
        }
        let folder = self.folder()?;
        let store = folder.store();
        if store.take(take_id)?.parent_id.is_some() {
            return Err(CoreError::InvalidInput(
                "Rate the answer, not one of its replies.".into(),
            ));
        }
        store.save_anchored(take_id, scores)
    }

    /// A take's anchored re-rating (empty when there is none).
    pub fn anchored_scores(&self, take_id: &str) -> Result<Vec<AnchoredScore>> {
        crate::limits::check_id("take", take_id)?;
        self.folder()?.store().anchored(take_id)
    }

    /// The outside raters' opinions of a take, oldest import first.
    pub fn take_opinions(&self, take_id: &str) -> Result<Vec<Opinion>> {
        crate::limits::check_id("take", take_id)?;
        self.folder()?.store().opinions(take_id)
    }

    /// Per criterion: the mean of the user's reviews, and the mean gap to the anchored
    /// re-ratings, the blind re-grades and the outside raters of the same answers.
    pub fn criterion_calibration(&self, period: Period) -> Result<Vec<CriterionCalibration>> {
        self.folder()?
            .store()
            .calibration_by_criterion(&period.since())
    }

    /// The page for `answer_ids` (answers, each with its replies), kept as a share so that its
    /// answer file can be checked when it comes back.
    fn share_page(&self, answer_ids: &[String]) -> Result<(String, u64, usize)> {
        if answer_ids.is_empty() || answer_ids.len() > MAX_SHARED_TAKES {
            return Err(CoreError::InvalidInput(format!(
                "Choose 1 to {MAX_SHARED_TAKES} answers to send for a second opinion."
            )));
        }
        for id in answer_ids {
            crate::limits::check_id("take", id)?;
        }
        let folder = self.folder()?;
        let store = folder.store();
        let bank = self.bank()?;
        let rubric = self.rubric_ref()?;
        let mut takes = Vec::with_capacity(answer_ids.len());
        let mut audio_bytes = 0u64;
        for id in answer_ids {
            if takes.iter().any(|t: &SharedTake| &t.id == id) {
                continue;
            }
            let answer = store.take(id)?;
            if answer.parent_id.is_some() {
                return Err(CoreError::InvalidInput(
                    "Send the answer; its replies to push-backs go with it.".into(),
                ));
            }
            let question = crate::library::find(bank, store, &answer.question_id)?;
            let asked = super::Question::of(&question, bank);
            let parts_rows: Vec<TakeRow> = std::iter::once(answer.clone())
                .chain(store.followups(id)?)
                .collect();
            let mut files = Vec::with_capacity(parts_rows.len());
            let mut parts = Vec::with_capacity(parts_rows.len());
            for row in &parts_rows {
                let file = folder.dir().take_file(&row.id)?;
                let meta = std::fs::metadata(&file).map_err(|_| {
                    CoreError::InvalidInput(format!(
                        "The recording of this {} was deleted, so it cannot be rated by \
                         someone else.",
                        if row.parent_id.is_none() {
                            "answer"
                        } else {
                            "reply"
                        }
                    ))
                })?;
                audio_bytes += meta.len();
                parts.push(SharedPart {
                    kind: if row.parent_id.is_none() {
                        "answer"
                    } else {
                        "reply"
                    },
                    pushback: row.pushback.clone(),
                    duration_s: row.frames as f64 / f64::from(row.sample_rate.max(1)),
                    mime: "audio/wav",
                    audio_base64: share::base64_of(&file)?,
                    transcript: store.transcript(&row.id)?.map(|t| t.text),
                });
                files.push(file);
            }
            let criteria = rubric
                .criteria
                .iter()
                .map(|c| c.key.clone())
                .filter(|k| k != "feeling" || question.asks_feeling())
                .collect();
            takes.push(SharedTake {
                id: answer.id.clone(),
                question: asked.prompt,
                category: asked.category_name,
                recorded_at: answer.started_at.clone(),
                criteria,
                audio_sha256: share::audio_checksum(&files)?,
                parts,
            });
        }
        let data = ShareData {
            format: share::FORMAT,
            share_id: share::random_hex(32),
            secret: share::random_hex(64),
            made_at: crate::schedule::iso(chrono::Utc::now()),
            rubric: SharedRubric::of(rubric),
            takes,
        };
        let html = share::render(&data)?;
        let sums: Vec<(String, String)> = data
            .takes
            .iter()
            .map(|t| (t.id.clone(), t.audio_sha256.clone()))
            .collect();
        store.create_share(&data.share_id, &data.secret, &sums)?;
        Ok((html, audio_bytes, data.takes.len()))
    }

    /// Writes the page for `answer_ids` to Downloads (under a new name); returns what was made.
    pub fn share_to_downloads(&self, answer_ids: &[String]) -> Result<SharedPage> {
        let (html, audio_bytes, takes) = self.share_page(answer_ids)?;
        let name = format!(
            "candor-second-opinion-{}.html",
            chrono::Utc::now().format("%Y-%m-%d")
        );
        let path = crate::downloads::save_new(&downloads()?, &name, html.as_bytes())?;
        Ok(SharedPage {
            file_name: file_name_of(&path),
            takes: takes as u32,
            bytes: html.len() as u64,
            audio_bytes,
        })
    }

    /// Writes the page for `answer_ids` to `out` (never over a file).
    pub fn share_to(&self, answer_ids: &[String], out: &Path) -> Result<SharedPage> {
        let (html, audio_bytes, takes) = self.share_page(answer_ids)?;
        crate::downloads::write_new_file(out, html.as_bytes())?;
        Ok(SharedPage {
            file_name: file_name_of(out),
            takes: takes as u32,
            bytes: html.len() as u64,
            audio_bytes,
        })
    }

    /// The answer files in Downloads (saved there by a rater's page opened on this computer, or
    /// put there by the user), newest first, by file name.
    pub fn opinion_files(&self) -> Result<Vec<String>> {
        let dir = downloads()?;
        let mut files: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let when = e.metadata().and_then(|m| m.modified()).ok()?;
                (name.starts_with("candor-opinion") && name.ends_with(".json"))
                    .then_some((when, name))
            })
            .collect();
        files.sort();
        files.reverse();
        Ok(files.into_iter().map(|(_, n)| n).collect())
    }

    /// Imports an answer file found in Downloads, named by file name only.
    pub fn import_opinion_from_downloads(&self, file_name: &str) -> Result<ImportedOpinion> {
        if !self.opinion_files()?.iter().any(|n| n == file_name) {
            return Err(CoreError::NotFound(format!(
                "The answer file '{}' in your Downloads folder",
                crate::text::printable_clipped(file_name, 80)
            )));
        }
        self.import_opinion(&downloads()?.join(file_name))
    }

    /// Brings an outside rater's answer file back: refused with why, and nothing kept, unless
    /// it is the file a page of this Candor saved (its seal holds), for answers that page
    /// carried, whose audio is still what was sent, rated on the rubric's own criteria, checks
    /// and red flags. Importing the same rater's file again replaces what it said before.
    pub fn import_opinion(&self, file: &Path) -> Result<ImportedOpinion> {
        let bytes = crate::input_file::read_limited(file, share::MAX_ANSWER_FILE_BYTES)?;
        let parsed = share::parse_answer_file(&bytes)?;
        let folder = self.folder()?;
        let store = folder.store();
        let refused = |why: &str| CoreError::BadOpinion(format!("{why} Nothing was imported."));
        let Some((secret, shared)) = store.share(&parsed.share_id)? else {
            return Err(refused(
                "This answer file is for a page this Candor did not make (or whose answers were \
                 since deleted), so it cannot be matched to your answers.",
            ));
        };
        if share::seal(&secret, &parsed.payload) != parsed.seal {
            return Err(refused(
                "This answer file was changed after the page saved it (its seal does not match), \
                 so its ratings cannot be trusted. Ask for the file again, as the page saved it.",
            ));
        }
        let rubric = self.rubric_ref()?;
        let bank = self.bank()?;
        let mut inputs = Vec::with_capacity(parsed.takes.len());
        for t in &parsed.takes {
            let Some((_, sent)) = shared.iter().find(|(id, _)| id == &t.take_id) else {
                return Err(refused(
                    "This answer file rates an answer its page did not carry.",
                ));
            };
            // The audio as it is now: what was sent, and what was heard.
            let answer = store.take(&t.take_id)?;
            let ids: Vec<String> = std::iter::once(answer.id.clone())
                .chain(store.followups(&answer.id)?.into_iter().map(|r| r.id))
                .collect();
            let files = ids
                .iter()
                .map(|id| folder.dir().take_file(id))
                .collect::<Result<Vec<_>>>()?;
            let now = share::audio_checksum(&files)
                .map_err(|_| refused("The recording of an answer it rates is no longer here."))?;
            if &t.audio_sha256 != sent || now != *sent {
                return Err(refused(
                    "The recording this rating is about is not the one Candor has now (it was \
                     changed or re-recorded since it was sent), so the rating would be about \
                     other audio.",
                ));
            }
            let asks_feeling = crate::library::find(bank, store, &answer.question_id)
                .map(|q| q.asks_feeling())
                .unwrap_or(false);
            for s in &t.scores {
                let Some(c) = rubric.criteria.iter().find(|c| c.key == s.criterion) else {
                    return Err(refused(
                        "This answer file scores a criterion Candor does not have.",
                    ));
                };
                if c.key == "feeling" && !asks_feeling {
                    return Err(refused(
                        "This answer file scores how the candidate felt on a question that does \
                         not ask it.",
                    ));
                }
                if s.checks
                    .iter()
                    .any(|m| usize::from(m.index) >= c.checks.len())
                {
                    return Err(refused(
                        "This answer file answers a check the rubric does not have.",
                    ));
                }
            }
            if t.red_flags
                .iter()
                .any(|f| !rubric.red_flags.iter().any(|r| &r.key == f))
            {
                return Err(refused(
                    "This answer file ticks a red flag Candor does not have.",
                ));
            }
            inputs.push(OpinionInput {
                take_id: t.take_id.clone(),
                audio_sha256: t.audio_sha256.clone(),
                scores: t.scores.clone(),
                red_flags: t.red_flags.clone(),
                note: t.note.clone(),
            });
        }
        store.import_opinions(&parsed.share_id, &parsed.rater, &parsed.saved_at, &inputs)?;
        Ok(ImportedOpinion {
            rater: parsed.rater,
            take_ids: inputs.into_iter().map(|i| i.take_id).collect(),
        })
    }
}

#[cfg(test)]
mod tests;
