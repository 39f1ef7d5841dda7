//! Speech to text on the machine: whisper.cpp (through whisper-rs) hears a take, its tokens are
//! merged into word-timed words, verbatim, and the fillers and the uncertainty said out loud are
//! found in them (`assets/cues.toml`).

mod audio;
pub mod cues;
pub mod delivery;
pub mod download;
mod engine;
pub mod evidence;
pub mod live;
mod words;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use audio::{read_16k, read_16k_from, to_16k, MODEL_RATE};
pub use cues::{Cues, Heard as Cue};
pub use delivery::{Repeat, WordDelivery};
pub use engine::{model_info, Heard, Model, ModelInfo, Segment, Spent, Watch};
pub use evidence::{EvidenceHints, Hint, Said};
pub use live::LiveTranscript;
#[cfg(test)]
pub(crate) use words::timed_words;
pub use words::{merge, normalized, Token, Word};

use crate::error::Result;

/// The words of a take, as a model heard them, with the fillers and the voiced uncertainty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Transcript {
    /// The model that made it.
    pub model: ModelInfo,
    /// The whole text, segment after segment.
    pub text: String,
    /// The segments as the model cut them.
    pub segments: Vec<Segment>,
    /// Every word with its times.
    pub words: Vec<Word>,
    /// Fillers ("um", "uh"), counted in the delivery figures.
    pub fillers: Vec<Cue>,
    /// Uncertainty said out loud ("I don't know"), never counted as a fault.
    pub hedges: Vec<Cue>,
    /// Pace, fillers per minute, the longest stretch without one, repeated phrases.
    pub delivery: WordDelivery,
}

impl Transcript {
    /// A transcript of what `model` heard, with the cues found in its words.
    pub fn of(model: &ModelInfo, heard: Heard, cues: &Cues) -> Transcript {
        let text = heard
            .segments
            .iter()
            .map(|s| s.text.as_str())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Transcript {
            model: model.clone(),
            fillers: cues.fillers_in(&heard.words),
            hedges: cues.hedges_in(&heard.words),
            delivery: WordDelivery::of(&heard.words, cues),
            text,
            segments: heard.segments,
            words: heard.words,
        }
    }
}

/// Threads a transcription may use: all but one of the machine's, at least one.
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .saturating_sub(1)
        .max(1)
}

/// Transcribes a WAV file with `model` (read as 16 kHz mono first).
pub fn transcribe_file(
    model: &Model,
    path: &Path,
    cues: &Cues,
    threads: usize,
) -> Result<Transcript> {
    let samples = read_16k(path)?;
    let heard = model.transcribe(&samples, threads)?;
    Ok(Transcript::of(&model.info, heard, cues))
}
