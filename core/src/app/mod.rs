//! Candor's use cases: everything the window offers, written once and reached from the window
//! (through `src-tauri`, which only translates) and from `candor-cli`. One module per domain;
//! this is the one place where Candor's decisions live.
//!
//! `Candor` is one open application: the data folder (or why it could not be opened), the
//! question bank, the rubric and the level meter. Its methods take `&self` and are safe to call
//! from several threads at once (the window's commands run on a pool).

pub mod data;
pub mod interviewer;
pub mod library;
pub mod opinions;
pub mod positions;
pub mod practice;
pub mod progress;
pub mod recording;
pub mod review;
pub mod transcriber;
pub mod transcripts;

use std::ops::{Deref, DerefMut};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::audio::LevelMeter;
use crate::bank::Bank;
use crate::data_dir::DataDir;
use crate::error::{CoreError, Result};
use crate::folder::DataFolder;
use crate::rubric::Rubric;
use crate::store::TakeRow;

pub use practice::Question;

/// A failure seen when Candor opened, kept to be given again to every use that needs the part
/// that failed (the window shows the first one and offers a restore).
#[derive(Debug, Clone)]
struct Failure {
    code: crate::error::ErrorCode,
    message: String,
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        Failure {
            code: e.kind(),
            message: e.to_string(),
        }
    }
}

impl From<&Failure> for CoreError {
    fn from(f: &Failure) -> Self {
        CoreError::Unavailable {
            code: f.code,
            message: f.message.clone(),
        }
    }
}

/// One open Candor: the data folder, bank, rubric and level meter, and every use case.
pub struct Candor {
    /// Where the data folder is, or why it could not be found.
    dir: std::result::Result<DataDir, Failure>,
    /// The open data folder, or why it could not be opened (until a restore replaces it).
    folder: Mutex<std::result::Result<DataFolder, Failure>>,
    /// Takes a crash left unfinished, repaired when the folder opened.
    recovered: Vec<TakeRow>,
    bank: std::result::Result<Bank, Failure>,
    rubric: std::result::Result<Rubric, Failure>,
    /// The words transcripts are read for (fillers, voiced uncertainty), parsed once.
    cues: std::result::Result<crate::transcribe::Cues, Failure>,
    level: Arc<LevelMeter>,
    /// Stops the running level timer (of a take or a mic check).
    meter_stop: Mutex<Option<Arc<AtomicBool>>>,
    /// The background transcriber's queue state and listeners.
    transcriber: Arc<transcriber::Transcriber>,
    /// What each model file is (name, size, checksum), by path, with the size and time of the
    /// file it was read from.
    model_infos: Mutex<ModelInfoCache>,
    /// Stops the model download in progress, when there is one.
    download_cancel: Mutex<Option<Arc<AtomicBool>>>,
    /// The interviewer's rules for choosing a push-back, parsed once.
    pushback_rules: std::result::Result<crate::interviewer::PushbackRules, Failure>,
    /// The push-backs offered after each recent answer, in order.
    offered_pushbacks: Mutex<interviewer::Offered>,
    /// The interviewer's voice (the computer's speech service).
    voice: crate::voice::Voice,
}

/// Model facts by file, with the (size, modified time) they were read at.
type ModelInfoCache = std::collections::HashMap<
    std::path::PathBuf,
    (
        (u64, Option<std::time::SystemTime>),
        crate::transcribe::ModelInfo,
    ),
>;

/// What the window learns at start: recovered takes, and the first problem, if any.
#[derive(Debug)]
pub struct Startup {
    /// Takes a crash left unfinished that were repaired and kept.
    pub recovered: Vec<TakeRow>,
    /// Why the data folder, bank or rubric cannot be used (the window explains and offers a
    /// restore).
    pub problem: Option<CoreError>,
    /// What the window says while the microphone gives only silence, in this system's terms
    /// (macOS and Windows give silence to an app they keep from the microphone).
    pub silence_warning: &'static str,
}

/// The open data folder, held locked; only ever made over a folder that opened.
pub(crate) struct FolderGuard<'a>(MutexGuard<'a, std::result::Result<DataFolder, Failure>>);

impl Deref for FolderGuard<'_> {
    type Target = DataFolder;
    fn deref(&self) -> &DataFolder {
        match &*self.0 {
            Ok(t) => t,
            Err(_) => unreachable!("a FolderGuard is only made over an open folder"),
        }
    }
}

impl DerefMut for FolderGuard<'_> {
    fn deref_mut(&mut self) -> &mut DataFolder {
        match &mut *self.0 {
            Ok(t) => t,
            Err(_) => unreachable!("a FolderGuard is only made over an open folder"),
        }
    }
}

impl Candor {
    /// Opens the data folder at `dir` (or the failure to find one), the shipped bank and rubric.
    /// Never fails: what could not be opened is kept and reported by `startup` and by each use.
    pub fn open(dir: Result<DataDir>) -> Candor {
        let dir = dir.map_err(Failure::from);
        let opened = match &dir {
            Ok(d) => DataFolder::open(d.clone()).map_err(Failure::from),
            Err(f) => Err(f.clone()),
        };
        let (folder, recovered) = match opened {
            Ok((f, rec)) => (Ok(f), rec),
            Err(e) => (Err(e), Vec::new()),
        };
        Candor::with(dir, folder, recovered)
    }

    /// Opens the data folder only if no other process uses it (crash recovery needs it alone).
    pub fn open_alone(dir: DataDir, doing: &str) -> Result<Candor> {
        let (folder, recovered) = DataFolder::open_alone_or_refuse(dir.clone(), doing)?;
        Ok(Candor::with(Ok(dir), Ok(folder), recovered))
    }

    fn with(
        dir: std::result::Result<DataDir, Failure>,
        folder: std::result::Result<DataFolder, Failure>,
        recovered: Vec<TakeRow>,
    ) -> Candor {
        Candor {
            dir,
            folder: Mutex::new(folder),
            recovered,
            bank: crate::bank::builtin().map_err(Failure::from),
            rubric: crate::rubric::builtin().map_err(Failure::from),
            cues: crate::transcribe::cues::builtin().map_err(Failure::from),
            level: Arc::new(LevelMeter::default()),
            meter_stop: Mutex::new(None),
            transcriber: Arc::default(),
            model_infos: Mutex::default(),
            download_cancel: Mutex::new(None),
            pushback_rules: crate::interviewer::builtin().map_err(Failure::from),
            offered_pushbacks: Mutex::default(),
            voice: crate::voice::Voice::new(),
        }
    }

    /// Start-up facts: recovered takes, and why the data cannot be used, if it cannot.
    pub fn startup(&self) -> Startup {
        let problem = self
            .slot()
            .as_ref()
            .err()
            .cloned()
            .or_else(|| self.bank.as_ref().err().cloned())
            .or_else(|| self.rubric.as_ref().err().cloned());
        Startup {
            recovered: self.recovered.clone(),
            problem: problem.as_ref().map(CoreError::from),
            silence_warning: crate::audio::silence_warning(crate::platform::Platform::this()),
        }
    }

    /// Takes a crash left unfinished that were repaired when the folder opened.
    pub fn recovered(&self) -> &[TakeRow] {
        &self.recovered
    }

    /// The data folder, or, while it could not be opened, why not.
    fn slot(&self) -> MutexGuard<'_, std::result::Result<DataFolder, Failure>> {
        // A panic while holding the lock leaves consistent data (every write is one statement
        // or one transaction).
        self.folder.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The open data folder, locked for this use.
    pub(crate) fn folder(&self) -> Result<FolderGuard<'_>> {
        let slot = self.slot();
        if let Err(f) = &*slot {
            return Err(f.into());
        }
        Ok(FolderGuard(slot))
    }

    /// Where the data folder is.
    pub(crate) fn dir(&self) -> Result<&DataDir> {
        self.dir.as_ref().map_err(CoreError::from)
    }

    /// The shipped question bank.
    pub(crate) fn bank(&self) -> Result<&Bank> {
        self.bank.as_ref().map_err(CoreError::from)
    }

    /// The shipped rubric.
    pub(crate) fn rubric_ref(&self) -> Result<&Rubric> {
        self.rubric.as_ref().map_err(CoreError::from)
    }

    /// The shipped cue lists transcripts are read with.
    pub(crate) fn cues(&self) -> Result<&crate::transcribe::Cues> {
        self.cues.as_ref().map_err(CoreError::from)
    }
}

#[cfg(test)]
mod tests;
