//! Transcripts: a take's words as a speech model on this machine heard them, stored with the
//! model that made them, searched, and the models the user added.

use std::path::Path;

use super::Candor;
use crate::error::{CoreError, Result};
use crate::store::{StoredTranscript, TranscriptHit};
use crate::transcribe::{self, Heard, Model, ModelInfo, Transcript};

/// Most hits one transcript search returns.
pub const MAX_HITS: u32 = 50;

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
        self.folder()?.store().save_transcript(&StoredTranscript {
            take_id: take_id.to_string(),
            model: t.model.clone(),
            text: t.text.clone(),
            words: t.words.clone(),
            segments: t.segments.clone(),
            created_at: String::new(),
        })?;
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

    /// Takes whose transcript holds every word searched for, best match first.
    pub fn search_transcripts(&self, q: &str) -> Result<Vec<TranscriptHit>> {
        crate::limits::check_text("A search", q, 200)?;
        self.folder()?.store().search_transcripts(q, MAX_HITS)
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
        names.iter().map(|p| transcribe::model_info(p)).collect()
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
        Ok(info)
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
