//! The background transcriber: one worker, one transcription at a time, never on the audio path.
//! Its queue is the database itself (finished takes with audio, no transcript and no recorded
//! failure, newest first), so it survives a restart or a kill without a file of its own. A take
//! being recorded pauses it (the running job gives up and is done again later); a failure is
//! recorded with its reason and waits until the user retries.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;

use super::Candor;
use crate::audio::{piece_channel, PieceCutter, Pieces};
use crate::error::{CoreError, Result};
use crate::store::{TakeRow, TranscriptFailure};
use crate::transcribe::{self, LiveTranscript, Model, ModelInfo, Transcript, Watch};

/// The setting naming the model the user chose (a file name in the models folder).
const MODEL_KEY: &str = "transcription_model";

/// How long the worker sleeps when nothing wakes it (it also looks again after that).
const IDLE_LOOK: Duration = Duration::from_secs(30);

/// What background transcription is doing, as the window shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TranscriptionState {
    /// No speech model has been added: transcripts are off.
    NoModel,
    /// Nothing to do.
    Idle,
    /// Transcribing a take.
    Working,
    /// Waiting for the take being recorded to end.
    Paused,
    /// The chosen model could not be loaded (see `problem`).
    ModelProblem,
}

/// The background transcriber's state, sent to the window whenever it changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct TranscriptionStatus {
    /// What it is doing.
    pub state: TranscriptionState,
    /// The model in use (file name), when there is one.
    pub model: Option<String>,
    /// The take being transcribed.
    pub take_id: Option<String>,
    /// How far that take is, 0–100.
    pub percent: u8,
    /// Takes waiting for a transcript (the one in progress included).
    pub waiting: u32,
    /// Takes whose transcription failed (they wait for a retry).
    pub failed: u32,
    /// Why the model cannot be used, in words.
    pub problem: Option<String>,
    /// The take whose transcript was stored last (the window reloads it when it shows it).
    pub finished: Option<String>,
}

impl Default for TranscriptionStatus {
    fn default() -> Self {
        TranscriptionStatus {
            state: TranscriptionState::Idle,
            model: None,
            take_id: None,
            percent: 0,
            waiting: 0,
            failed: 0,
            problem: None,
            finished: None,
        }
    }
}

/// Where status changes go; returns false once nobody listens.
pub type StatusSink = Box<dyn FnMut(&TranscriptionStatus) -> bool + Send>;

/// The worker's shared state: what wakes it, what it reports, who listens.
#[derive(Default)]
pub(crate) struct Transcriber {
    inner: Mutex<Shared>,
    wake: Condvar,
}

/// A take being transcribed while it is recorded: the pieces its writer cuts at pauses.
struct LiveJob {
    take_id: String,
    pieces: Pieces,
    rate: u32,
}

/// Pieces waiting between the writer and the transcriber; when full the writer stops handing
/// them on (it never waits) and the rest is read from the file after Stop.
const PIECES_QUEUED: usize = 4;

#[derive(Default)]
struct Shared {
    /// The take being recorded, when it is transcribed as it goes.
    live: Option<LiveJob>,
    /// Set when there may be new work (a take stopped, a model added, a retry).
    kicked: bool,
    /// A take is being recorded: the worker waits.
    recording: bool,
    /// Set to stop the job in progress (a recording started).
    stop_job: Option<Arc<AtomicBool>>,
    status: TranscriptionStatus,
    sinks: Vec<StatusSink>,
    /// Set once `serve_transcriptions` runs, so a second call returns at once.
    serving: bool,
}

impl Transcriber {
    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// True once the background transcriber runs (the desktop app), so transcripts will come.
    pub(crate) fn serving(&self) -> bool {
        self.lock().serving
    }

    /// Says there may be new work.
    pub(crate) fn kick(&self) {
        self.lock().kicked = true;
        self.wake.notify_all();
    }

    /// A take started (true) or ended (false) recording; a running job gives way to it.
    pub(crate) fn recording(&self, on: bool) {
        let mut s = self.lock();
        s.recording = on;
        if on {
            if let Some(stop) = &s.stop_job {
                stop.store(true, Ordering::Release);
            }
        } else {
            s.kicked = true;
        }
        drop(s);
        self.wake.notify_all();
    }

    /// The take just started is heard piece by piece from `pieces`.
    pub(crate) fn begin_live(&self, take_id: String, pieces: Pieces, rate: u32) {
        self.lock().live = Some(LiveJob {
            take_id,
            pieces,
            rate,
        });
        self.kick();
    }

    /// Changes the status with `f` and tells every listener.
    fn update(&self, f: impl FnOnce(&mut TranscriptionStatus)) {
        let mut s = self.lock();
        let before = s.status.clone();
        f(&mut s.status);
        if s.status == before {
            return;
        }
        let status = s.status.clone();
        s.sinks.retain_mut(|sink| sink(&status));
    }
}

/// What one step of the queue did.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A take's transcript was stored.
    Stored(String),
    /// Transcribing a take failed; the reason is recorded with it.
    Failed(String, String),
    /// A recording started and the job gave way; the take stays in the queue.
    GaveWay,
    /// Nothing could be done now (no work, no model, a recording): wait to be woken.
    Wait,
}

/// A model's rank as the default: the base models first (they keep every filler; measured in
/// `core/tests/transcribe_accuracy.rs` and `bench/transcribe.sh`), then tiny, then the rest.
fn default_rank(name: &str) -> u8 {
    let n = name.to_ascii_lowercase();
    if n.contains("base.en") {
        0
    } else if n.contains("base") {
        1
    } else if n.contains("tiny.en") {
        2
    } else if n.contains("tiny") {
        3
    } else {
        4
    }
}

impl Candor {
    /// The model transcripts are made with: the one chosen in Settings if it is still there,
    /// else the best default among those added; `None` when no model has been added.
    pub fn current_model(&self) -> Result<Option<ModelInfo>> {
        let chosen = self.folder()?.store().setting(MODEL_KEY)?;
        let models = self.models()?;
        if let Some(name) = chosen.filter(|n| !n.is_empty()) {
            if let Some(m) = models.iter().find(|m| m.name == name) {
                return Ok(Some(m.clone()));
            }
        }
        Ok(models.into_iter().min_by_key(|m| default_rank(&m.name)))
    }

    /// Chooses the model new transcripts are made with (`None`: the default).
    pub fn choose_model(&self, name: Option<&str>) -> Result<()> {
        if let Some(n) = name {
            self.model_path(n)?;
        }
        self.folder()?
            .store()
            .set_setting(MODEL_KEY, name.unwrap_or(""))?;
        self.transcriber.kick();
        Ok(())
    }

    /// Takes whose transcription failed, with the reason.
    pub fn transcript_failures(&self) -> Result<Vec<TranscriptFailure>> {
        self.folder()?.store().transcript_failures()
    }

    /// Puts failed takes back in the queue (one, or all with `None`); returns how many.
    pub fn retry_transcriptions(&self, take_id: Option<&str>) -> Result<usize> {
        if let Some(id) = take_id {
            crate::limits::check_id("take", id)?;
        }
        let n = self.folder()?.store().clear_transcript_failures(take_id)?;
        self.transcriber.kick();
        Ok(n)
    }

    /// What background transcription is doing now.
    pub fn transcription_status(&self) -> TranscriptionStatus {
        self.transcriber.lock().status.clone()
    }

    /// Sends the status to `sink` now and at every change, until it returns false.
    pub fn watch_transcription(&self, mut sink: StatusSink) {
        let mut s = self.transcriber.lock();
        if sink(&s.status) {
            s.sinks.push(sink);
        }
    }

    /// Runs the background transcriber in the calling thread, for as long as the process lives:
    /// the desktop app gives it a thread of its own. A second call returns at once.
    pub fn serve_transcriptions(&self) {
        {
            let mut s = self.transcriber.lock();
            if s.serving {
                return;
            }
            s.serving = true;
            s.kicked = true;
        }
        crate::memory::give_back_freed_memory();
        let mut loaded: Option<Model> = None;
        loop {
            if let Step::Wait = self.transcribe_next(&mut loaded) {
                // Memory goes back when there is nothing to do (a model holds a few hundred MB).
                loaded = None;
                let mut s = self.transcriber.lock();
                while !s.kicked {
                    let (next, timeout) = self
                        .transcriber
                        .wake
                        .wait_timeout(s, IDLE_LOOK)
                        .unwrap_or_else(|p| p.into_inner());
                    s = next;
                    if timeout.timed_out() {
                        break;
                    }
                }
                s.kicked = false;
            }
        }
    }

    /// Transcribes every take waiting, newest first, in the calling thread (the terminal's
    /// `transcribe --pending`); `each` hears what every step did. Returns how many were stored.
    /// A model that does not load is an error; a take that fails is recorded and skipped.
    pub fn transcribe_pending(&self, mut each: impl FnMut(&Step)) -> Result<usize> {
        let mut loaded: Option<Model> = None;
        let mut stored = 0;
        loop {
            let step = self.transcribe_next(&mut loaded);
            match &step {
                Step::Stored(_) => stored += 1,
                Step::Failed(..) | Step::GaveWay => {}
                Step::Wait => {
                    let status = self.transcription_status();
                    return match status.state {
                        TranscriptionState::ModelProblem => Err(CoreError::BadModel {
                            file: status.model.unwrap_or_default(),
                            reason: status.problem.unwrap_or_default(),
                        }),
                        TranscriptionState::NoModel if status.waiting > 0 => {
                            Err(CoreError::NotFound(
                                "a speech model: add one with `candor-cli model import FILE`"
                                    .into(),
                            ))
                        }
                        _ => Ok(stored),
                    };
                }
            }
            each(&step);
        }
    }

    /// The takes waiting for a transcript whose audio is still there, newest first.
    fn waiting_takes(&self) -> Result<Vec<(TakeRow, PathBuf)>> {
        let folder = self.folder()?;
        let takes = folder.store().untranscribed_takes()?;
        Ok(takes
            .into_iter()
            .filter_map(|t| {
                let file = folder.dir().take_file(&t.id).ok()?;
                file.is_file().then_some((t, file))
            })
            .collect())
    }

    /// A cutter for a take about to be recorded and the end its pieces arrive at, when the
    /// background transcriber runs and a model is there (otherwise the take waits in the queue).
    pub(super) fn live_pieces(
        &self,
        folder: &crate::folder::DataFolder,
        rate: u32,
    ) -> Option<(PieceCutter, Pieces)> {
        if !self.transcriber.lock().serving {
            return None;
        }
        let chosen = folder.store().setting(MODEL_KEY).ok().flatten();
        let has_model = chosen.is_some_and(|n| folder.dir().models().join(n).is_file())
            || std::fs::read_dir(folder.dir().models()).is_ok_and(|mut d| {
                d.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "bin")))
            });
        if !has_model {
            return None;
        }
        Some(piece_channel(rate, PIECES_QUEUED))
    }

    /// Hears the take being recorded piece by piece until its writer ends, then the rest from
    /// its file, and stores the whole transcript: ready moments after Stop.
    fn transcribe_live(&self, job: LiveJob, loaded: &mut Option<Model>) -> Step {
        let Some(model) = self.ready_model(loaded) else {
            // Without a model the take waits in the queue like any other.
            return Step::Wait;
        };
        self.transcriber.update(|s| {
            s.state = TranscriptionState::Working;
            s.take_id = Some(job.take_id.clone());
            s.percent = 0;
            s.problem = None;
        });
        let mut live = LiveTranscript::new(job.rate);
        let mut failed = false;
        let all = std::thread::available_parallelism().map_or(2, |n| n.get());
        loop {
            match job.pieces.recv_timeout(Duration::from_millis(250)) {
                Ok(piece) if !failed => {
                    // One thread while recording: the other cores keep the window and the
                    // recording smooth. A piece still waiting once it has stopped gets them all.
                    let threads = if self.transcriber.lock().recording {
                        transcribe::default_threads()
                    } else {
                        all
                    };
                    let heard = live.add(model, &piece, threads, Watch::default());
                    if let Err(e) = heard {
                        log::warn!("a piece of take {} was not heard: {e}", job.take_id);
                        failed = true;
                    }
                }
                Ok(_) => {}
                // Nothing to do: hear the tail, so that less is left at Stop.
                Err(RecvTimeoutError::Timeout) => job.pieces.want_tail(),
                // The writer ended: the take is stopped and its file complete.
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        let file = match self.folder().and_then(|f| f.dir().take_file(&job.take_id)) {
            Ok(f) => f,
            Err(_) => return Step::Wait,
        };
        // After Stop nothing else needs the processor: all of it.
        let stored = live
            .finish(model, &file, all)
            .and_then(|heard| self.store_heard(model, &job.take_id, heard));
        match stored {
            Ok(()) => {
                log::info!("transcribed take {} as it was recorded", job.take_id);
                self.transcriber.update(|s| {
                    s.finished = Some(job.take_id.clone());
                    s.take_id = None;
                    s.percent = 100;
                });
                Step::Stored(job.take_id)
            }
            // A take discarded meanwhile, or a file that cannot be read: the queue deals with
            // what is left (a damaged file is recorded as a failure there).
            Err(e) => {
                log::warn!(
                    "take {} was not transcribed as it was recorded: {e}",
                    job.take_id
                );
                Step::GaveWay
            }
        }
    }

    /// The model to transcribe with, loaded (kept loaded across takes while there is work); the
    /// status says why when there is none.
    fn ready_model<'m>(&self, loaded: &'m mut Option<Model>) -> Option<&'m Model> {
        let info = match self.current_model() {
            Ok(Some(info)) => info,
            Ok(None) => {
                self.transcriber
                    .update(|s| s.state = TranscriptionState::NoModel);
                return None;
            }
            Err(_) => return None,
        };
        if loaded.as_ref().is_none_or(|m| m.info.sha256 != info.sha256) {
            *loaded = None;
            let path = self.model_path(&info.name).ok()?;
            match Model::load(&path) {
                Ok(m) => *loaded = Some(m),
                Err(e) => {
                    log::warn!("the speech model {} did not load: {e}", info.name);
                    self.transcriber.update(|s| {
                        s.state = TranscriptionState::ModelProblem;
                        s.model = Some(info.name.clone());
                        s.problem = Some(e.to_string());
                        s.take_id = None;
                    });
                    return None;
                }
            }
        }
        loaded.as_ref()
    }

    /// Stores what `model` heard of a take as its transcript.
    fn store_heard(&self, model: &Model, take_id: &str, heard: transcribe::Heard) -> Result<()> {
        let cues = self.cues()?;
        let t = Transcript::of(&model.info, heard, cues);
        self.folder()?
            .store()
            .save_transcript(&super::transcripts::stored(take_id, &t, cues))
    }

    /// One step of the queue (`queue_step`), then the model's speed on this machine noted.
    fn transcribe_next(&self, loaded: &mut Option<Model>) -> Step {
        let step = self.queue_step(loaded);
        if let Some(model) = loaded.as_ref() {
            let spent = model.take_spent();
            let noted = self
                .folder()
                .and_then(|f| f.store().add_model_speed(&model.info.sha256, spent));
            if let Err(e) = noted {
                log::warn!("could not note the speech model's speed: {e}");
            }
        }
        step
    }

    /// One step of the queue: the newest waiting take is transcribed and stored, or its failure
    /// recorded; the status says what happened.
    fn queue_step(&self, loaded: &mut Option<Model>) -> Step {
        let live = self.transcriber.lock().live.take();
        if let Some(job) = live {
            return self.transcribe_live(job, loaded);
        }
        if self.transcriber.lock().recording {
            self.transcriber
                .update(|s| s.state = TranscriptionState::Paused);
            return Step::Wait;
        }
        let (model, waiting, failed) = match (
            self.current_model(),
            self.waiting_takes(),
            self.transcript_failures(),
        ) {
            (Ok(m), Ok(w), Ok(f)) => (m, w, f.len() as u32),
            // No usable data folder (it is being restored, or could not open): wait.
            _ => return Step::Wait,
        };
        let waiting_n = waiting.len() as u32;
        let Some(info) = model else {
            self.transcriber.update(|s| {
                *s = TranscriptionStatus {
                    state: TranscriptionState::NoModel,
                    waiting: waiting_n,
                    failed,
                    ..TranscriptionStatus::default()
                }
            });
            return Step::Wait;
        };
        let Some((take, file)) = waiting.into_iter().next() else {
            self.transcriber.update(|s| {
                let finished = s.finished.take();
                *s = TranscriptionStatus {
                    state: TranscriptionState::Idle,
                    model: Some(info.name.clone()),
                    failed,
                    finished,
                    ..TranscriptionStatus::default()
                }
            });
            return Step::Wait;
        };
        let Some(model) = self.ready_model(loaded) else {
            self.transcriber.update(|s| {
                s.waiting = waiting_n;
                s.failed = failed;
            });
            return Step::Wait;
        };
        self.transcriber.update(|s| {
            s.state = TranscriptionState::Working;
            s.model = Some(info.name.clone());
            s.take_id = Some(take.id.clone());
            s.percent = 0;
            s.waiting = waiting_n;
            s.failed = failed;
            s.problem = None;
        });
        match self.transcribe_one(model, &take, &file) {
            Ok(Some(())) => {
                log::info!("transcribed take {} with {}", take.id, info.name);
                self.transcriber.update(|s| {
                    s.finished = Some(take.id.clone());
                    s.take_id = None;
                    s.percent = 100;
                    s.waiting = s.waiting.saturating_sub(1);
                });
                Step::Stored(take.id)
            }
            Ok(None) => Step::GaveWay,
            Err(e) => {
                log::warn!("transcribing take {} failed: {e}", take.id);
                let reason = match &e {
                    // Said without the path: the window shows it.
                    CoreError::BadAudio { reason, .. } => {
                        format!("Its recording could not be read: {reason}.")
                    }
                    other => other.to_string(),
                };
                // A take deleted meanwhile cannot carry a failure; nothing to keep then.
                let _ = self.folder().and_then(|f| {
                    f.store()
                        .record_transcript_failure(&take.id, &info.name, &reason)
                });
                self.transcriber.update(|s| {
                    s.take_id = None;
                    s.failed += 1;
                    s.waiting = s.waiting.saturating_sub(1);
                });
                Step::Failed(take.id, reason)
            }
        }
    }

    /// Transcribes one take's file with `model` and stores it; `None` if a recording stopped it.
    fn transcribe_one(
        &self,
        model: &Model,
        take: &TakeRow,
        file: &std::path::Path,
    ) -> Result<Option<()>> {
        let samples = transcribe::read_16k(file)?;
        let stop = Arc::new(AtomicBool::new(false));
        {
            let mut s = self.transcriber.lock();
            if s.recording {
                return Ok(None);
            }
            s.stop_job = Some(stop.clone());
        }
        let take_id = take.id.clone();
        let progress_to = self.transcriber_handle();
        let watch = Watch {
            progress: Some(Box::new(move |p| {
                if let Some(t) = progress_to.upgrade() {
                    t.update(|s| {
                        if s.take_id.as_deref() == Some(take_id.as_str()) {
                            s.percent = p.min(99);
                        }
                    });
                }
            })),
            stop: Some(stop),
            fit: false,
        };
        let heard = model.transcribe_watched(&samples, transcribe::default_threads(), "", watch);
        self.transcriber.lock().stop_job = None;
        let Some(heard) = heard? else {
            return Ok(None);
        };
        self.store_heard(model, &take.id, heard)?;
        Ok(Some(()))
    }

    /// A weak handle on the transcriber's state, for callbacks that may outlive a job.
    fn transcriber_handle(&self) -> std::sync::Weak<Transcriber> {
        Arc::downgrade(&self.transcriber)
    }
}
