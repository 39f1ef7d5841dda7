//! Transcripts: a take's words as a speech model on this machine heard them, stored with the
//! model that made them, searched, and the models the user added.

use std::path::Path;

use super::Candor;
use crate::error::{CoreError, Result};
use crate::store::{StoredTranscript, TranscriptHit};
use crate::transcribe::{self, Heard, Model, ModelInfo, Transcript};

/// Most hits one transcript search returns.
pub const MAX_HITS: u32 = 50;

/// A model's speed on this machine is shown once it has heard this much audio (seconds).
pub const MEASURED_AFTER_S: f64 = 60.0;

/// A speech model the user added, as Settings lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ModelEntry {
    /// Its file name ("ggml-base.bin").
    pub name: String,
    /// Its size in megabytes.
    pub megabytes: f64,
    /// Its SHA-256, in hex.
    pub sha256: String,
    /// True for the model new transcripts are made with.
    pub in_use: bool,
    /// How many times faster than real time it transcribed on this machine (None until it has
    /// heard a minute of audio here).
    pub times_real_time: Option<f64>,
    /// Minutes of audio it has transcribed on this machine.
    pub minutes_heard: f64,
    /// How it did in Candor's own test, when it is one Candor offers and was measured.
    pub tested: Option<transcribe::download::Tested>,
}

/// A model Candor offers to download, and whether it is here already.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct OfferedModel {
    /// What is offered (file name, title, size, what sets it apart).
    pub offered: transcribe::download::Offered,
    /// True once it is in the models folder.
    pub added: bool,
    /// Megabytes of an interrupted download kept to go on from, if any.
    pub partial_mb: Option<f64>,
}

/// A take whose transcript holds the words searched for, and where they are said.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct TranscriptMatch {
    /// The take (an answer or a reply to a push-back).
    pub take_id: String,
    /// The answer it belongs to (the take itself for an answer): Review opens this.
    pub answer_id: String,
    /// The question answered.
    pub question_id: String,
    /// When the take was recorded (UTC, ISO 8601).
    pub started_at: String,
    /// The words around the match, the matched words in [brackets].
    pub snippet: String,
    /// Seconds into the take where the first matched word is said.
    pub at_s: f64,
}

/// A transcript as stored, with the delivery read from its words and the cue lists' checksum.
pub(crate) fn stored(take_id: &str, t: &Transcript, cues: &transcribe::Cues) -> StoredTranscript {
    StoredTranscript {
        take_id: take_id.to_string(),
        model: t.model.clone(),
        text: t.text.clone(),
        words: t.words.clone(),
        segments: t.segments.clone(),
        delivery: Some(t.delivery.clone()),
        cues: cues.sum.clone(),
        created_at: String::new(),
    }
}

fn shown(s: StoredTranscript, cues: &transcribe::Cues) -> Transcript {
    Transcript::of(
        &s.model,
        Heard {
            segments: s.segments,
            words: s.words,
        },
        cues,
    )
}

impl Candor {
    /// Transcribes one take's recording with the model file `model` and stores the transcript
    /// (replacing an earlier one). The take must be finished; its recording is only read.
    pub fn transcribe_take(&self, take_id: &str, model: &Path) -> Result<Transcript> {
        crate::limits::check_id("take", take_id)?;
        let model = Model::load(model)?;
        let cues = self.cues()?;
        let (file, store_take) = {
            let folder = self.folder()?;
            let take = folder.store().take(take_id)?;
            (folder.dir().take_file(take_id)?, take)
        };
        if store_take.status == crate::store::TakeStatus::Recording {
            return Err(CoreError::InvalidInput(
                "That take is still being recorded; transcribe it once it stops.".into(),
            ));
        }
        // The folder is not held while the model works: other use cases go on meanwhile.
        let t = transcribe::transcribe_file(&model, &file, cues, transcribe::default_threads())?;
        self.folder()?
            .store()
            .save_transcript(&stored(take_id, &t, cues))?;
        Ok(t)
    }

    /// The stored transcript of a take, with its fillers and the uncertainty said out loud.
    pub fn transcript(&self, take_id: &str) -> Result<Option<Transcript>> {
        crate::limits::check_id("take", take_id)?;
        let cues = self.cues()?;
        Ok(self
            .folder()?
            .store()
            .transcript(take_id)?
            .map(|s| shown(s, cues)))
    }

    /// Reads again the delivery of transcripts read with other cue lists (or none): the weekly
    /// figures come from what is stored. Returns how many were read again.
    pub(crate) fn refresh_word_delivery(&self) -> Result<usize> {
        let cues = self.cues()?;
        let folder = self.folder()?;
        let stale = folder.store().transcripts_read_with_other_cues(&cues.sum)?;
        for (take_id, words) in &stale {
            let d = transcribe::WordDelivery::of(words, cues);
            folder.store().set_word_delivery(take_id, &d, &cues.sum)?;
        }
        Ok(stale.len())
    }

    /// Hints for the rating steps of one answer, read from its transcript and its replies'.
    pub fn evidence_hints(&self, answer_id: &str) -> Result<transcribe::EvidenceHints> {
        crate::limits::check_id("take", answer_id)?;
        let cues = self.cues()?;
        let folder = self.folder()?;
        let store = folder.store();
        let answer = store.take(answer_id)?;
        if answer.parent_id.is_some() {
            return Err(CoreError::InvalidInput(
                "Open the answer, not one of its replies.".into(),
            ));
        }
        let mut takes = vec![answer];
        takes.extend(store.followups(answer_id)?);
        let mut heard = Vec::new();
        let mut missing = 0;
        for (n, t) in takes.iter().enumerate() {
            match store.transcript(&t.id)? {
                Some(tr) => heard.push((t.id.as_str(), n as u32, tr.words)),
                None => missing += 1,
            }
        }
        let said: Vec<transcribe::Said<'_>> = heard
            .iter()
            .map(|(id, reply, words)| transcribe::Said {
                take_id: id,
                reply: *reply,
                words,
            })
            .collect();
        Ok(transcribe::EvidenceHints::of(&said, cues, missing))
    }

    /// Takes whose transcript holds every word searched for, best match first.
    pub fn search_transcripts(&self, q: &str) -> Result<Vec<TranscriptHit>> {
        crate::limits::check_text("A search", q, 200)?;
        self.folder()?.store().search_transcripts(q, MAX_HITS)
    }

    /// `search_transcripts`, each hit with its answer, question and the moment the words are
    /// said, so the window opens the take there.
    pub fn find_in_transcripts(&self, q: &str) -> Result<Vec<TranscriptMatch>> {
        let hits = self.search_transcripts(q)?;
        let first = q
            .split_whitespace()
            .map(transcribe::normalized)
            .find(|w| !w.is_empty())
            .unwrap_or_default();
        let folder = self.folder()?;
        let store = folder.store();
        let mut out = Vec::with_capacity(hits.len());
        for h in hits {
            let take = store.take(&h.take_id)?;
            let words = store
                .transcript(&h.take_id)?
                .map(|t| t.words)
                .unwrap_or_default();
            // The first word that is (or, for the last word typed, starts like) the first
            // word searched for.
            let at_s = words
                .iter()
                .find(|w| transcribe::normalized(&w.word).starts_with(&first))
                .map_or(0.0, |w| w.start_s);
            out.push(TranscriptMatch {
                answer_id: take.parent_id.clone().unwrap_or_else(|| take.id.clone()),
                take_id: h.take_id,
                question_id: take.question_id,
                started_at: take.started_at,
                snippet: h.snippet,
                at_s,
            });
        }
        Ok(out)
    }

    /// The models added, the one in use marked.
    pub fn model_list(&self) -> Result<Vec<ModelEntry>> {
        let current = self.current_model()?.map(|m| m.name);
        let offered = transcribe::download::catalog()?;
        let models = self.models()?;
        // Held only once `models` has let go of it.
        let folder = self.folder()?;
        let mut out = Vec::new();
        for m in models {
            let spent = folder.store().model_speed(&m.sha256)?.unwrap_or_default();
            out.push(ModelEntry {
                in_use: current.as_deref() == Some(m.name.as_str()),
                megabytes: (m.bytes as f64 / 1e5).round() / 10.0,
                times_real_time: (spent.audio_s >= MEASURED_AFTER_S && spent.compute_s > 0.0)
                    .then(|| spent.audio_s / spent.compute_s),
                minutes_heard: spent.audio_s / 60.0,
                tested: offered
                    .iter()
                    .find(|o| o.name == m.name)
                    .and_then(|o| o.tested.clone()),
                name: m.name,
                sha256: m.sha256,
            });
        }
        Ok(out)
    }

    /// The speech models in the data folder, by name (each file read for its checksum, not
    /// loaded: whether it loads was checked when it was added).
    pub fn models(&self) -> Result<Vec<ModelInfo>> {
        let dir = self.folder()?.dir().models();
        let mut names: Vec<std::path::PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "bin"))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(CoreError::io(format!("reading {}", dir.display()), e)),
        };
        names.sort();
        names.iter().map(|p| self.model_info_cached(p)).collect()
    }

    /// A model file's name, size and checksum; read once per file as it is on disk (the
    /// checksum of a base model takes about half a second to compute).
    fn model_info_cached(&self, path: &Path) -> Result<ModelInfo> {
        let meta = std::fs::metadata(path)
            .map_err(|e| CoreError::io(format!("reading {}", path.display()), e))?;
        let stamp = (meta.len(), meta.modified().ok());
        let mut cache = self.model_infos.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((seen, info)) = cache.get(path) {
            if *seen == stamp {
                return Ok(info.clone());
            }
        }
        let info = transcribe::model_info(path)?;
        cache.insert(path.to_path_buf(), (stamp, info.clone()));
        Ok(info)
    }

    /// Copies a whisper.cpp model file into the data folder once it has loaded (a file that does
    /// not load is refused and nothing is kept); returns what was added.
    pub fn import_model(&self, file: &Path) -> Result<ModelInfo> {
        let info = Model::load(file)?.info;
        let dir = self.folder()?.dir().models();
        std::fs::create_dir_all(&dir)
            .map_err(|e| CoreError::io(format!("creating {}", dir.display()), e))?;
        let target = dir.join(&info.name);
        let part = dir.join(format!(".{}.part-{}", info.name, std::process::id()));
        let copied = std::fs::copy(file, &part)
            .map_err(|e| CoreError::io(format!("copying the model into {}", dir.display()), e))
            .and_then(|_| {
                std::fs::rename(&part, &target)
                    .map_err(|e| CoreError::io(format!("writing {}", target.display()), e))
            });
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&part);
            return Err(e);
        }
        self.transcriber.kick();
        Ok(info)
    }

    /// The models Candor offers to download, each marked when it is already here.
    pub fn offered_models(&self) -> Result<Vec<OfferedModel>> {
        let dir = self.folder()?.dir().models();
        Ok(transcribe::download::catalog()?
            .into_iter()
            .map(|o| OfferedModel {
                added: dir.join(&o.name).is_file(),
                partial_mb: std::fs::metadata(transcribe::download::part_path(&dir, &o.name))
                    .ok()
                    .map(|m| (m.len() as f64 / 1e5).round() / 10.0),
                offered: o,
            })
            .collect())
    }

    /// Downloads an offered model (by file name) from its pinned address, the one network
    /// connection Candor makes and only when asked: checked against the pinned SHA-1, checked to
    /// load, then added. An interrupted download goes on from where it stopped.
    /// `cancel_download` stops it between two chunks (what came is kept for next time).
    pub fn download_model(
        &self,
        file: &str,
        progress: &mut dyn FnMut(transcribe::download::DownloadProgress),
    ) -> Result<ModelInfo> {
        let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        {
            let mut slot = self
                .download_cancel
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if slot.is_some() {
                return Err(CoreError::InvalidInput(
                    "A model is already being downloaded; wait for it, or stop it first.".into(),
                ));
            }
            *slot = Some(cancel.clone());
        }
        let done = self.download_offered(file, progress, &cancel);
        *self
            .download_cancel
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = None;
        done
    }

    /// Stops the download in progress, if there is one (what came is kept for next time).
    pub fn cancel_download(&self) {
        if let Some(c) = self
            .download_cancel
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            c.store(true, std::sync::atomic::Ordering::Release);
        }
    }

    fn download_offered(
        &self,
        file: &str,
        progress: &mut dyn FnMut(transcribe::download::DownloadProgress),
        cancel: &std::sync::atomic::AtomicBool,
    ) -> Result<ModelInfo> {
        let offered = transcribe::download::catalog()?
            .into_iter()
            .find(|o| o.name == file)
            .ok_or_else(|| {
                CoreError::NotFound(format!(
                    "a model named '{}' among those Candor offers",
                    crate::text::printable_clipped(file, 80)
                ))
            })?;
        self.download_model_from(&offered.url, &offered, progress, cancel)
    }

    /// `download_model` from `url` (the tests' local server; the window always uses the pinned
    /// address).
    pub(crate) fn download_model_from(
        &self,
        url: &str,
        offered: &transcribe::download::Offered,
        progress: &mut dyn FnMut(transcribe::download::DownloadProgress),
        cancel: &std::sync::atomic::AtomicBool,
    ) -> Result<ModelInfo> {
        let dir = self.folder()?.dir().models();
        log::info!("downloading {} from {url}", offered.name);
        let part = transcribe::download::fetch(
            url,
            &offered.pin(),
            &dir,
            &offered.name,
            progress,
            cancel,
        )?;
        // It must load, as any model added; one that does not is not kept.
        let info = match Model::load(&part) {
            Ok(m) => m.info,
            Err(e) => {
                let _ = std::fs::remove_file(&part);
                return Err(e);
            }
        };
        let target = dir.join(&offered.name);
        std::fs::rename(&part, &target)
            .map_err(|e| CoreError::io(format!("writing {}", target.display()), e))?;
        log::info!("added {} ({})", offered.name, info.sha256);
        self.transcriber.kick();
        Ok(ModelInfo {
            name: offered.name.clone(),
            ..info
        })
    }

    /// The path of a model the user added, by its file name.
    pub fn model_path(&self, name: &str) -> Result<std::path::PathBuf> {
        let dir = self.folder()?.dir().models();
        let plain = !name.is_empty() && !name.contains(['/', '\\']) && !name.starts_with('.');
        let path = dir.join(name);
        if !plain || !path.is_file() {
            return Err(CoreError::NotFound(format!(
                "a model named '{}' in {}",
                crate::text::printable_clipped(name, 80),
                dir.display()
            )));
        }
        Ok(path)
    }
}
