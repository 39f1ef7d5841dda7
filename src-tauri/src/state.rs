//! The app's state: the core's takes, the question bank, and the level-meter timer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use candor_core::audio::level::LEVEL_INTERVAL;
use candor_core::audio::{CaptureOptions, LevelMeter, SilenceTracker};
use candor_core::bank::Bank;
use candor_core::data_dir::DataDir;
use candor_core::takes::Takes;
use candor_core::CoreError;
use tauri::ipc::Channel;

use crate::ipc::{
    AppError, LevelUpdate, Question, RecordingStarted, RecordingStopped, Startup, Take,
};

/// Everything the commands work on.
pub struct AppState {
    takes: Result<Mutex<Takes>, AppError>,
    recovered: Vec<Take>,
    bank: Result<Bank, AppError>,
    level: Arc<LevelMeter>,
    meter_stop: Mutex<Option<Arc<AtomicBool>>>,
}

fn to_milli(v: f32) -> u16 {
    (v.clamp(0.0, 1.0) * 1000.0).round() as u16
}

impl AppState {
    /// Opens the data folder and the bank; failures are kept and reported to the window.
    pub fn new() -> AppState {
        let opened = DataDir::resolve().and_then(Takes::open);
        let (takes, recovered) = match opened {
            Ok((t, rec)) => (Ok(Mutex::new(t)), rec.into_iter().map(Take::from).collect()),
            Err(e) => (Err(AppError::from(e)), Vec::new()),
        };
        AppState {
            takes,
            recovered,
            bank: candor_core::bank::builtin().map_err(AppError::from),
            level: Arc::new(LevelMeter::default()),
            meter_stop: Mutex::new(None),
        }
    }

    fn takes(&self) -> Result<MutexGuard<'_, Takes>, AppError> {
        let m = self.takes.as_ref().map_err(Clone::clone)?;
        // A panic while holding the lock leaves consistent data (every write is one statement).
        Ok(m.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn bank(&self) -> Result<&Bank, AppError> {
        self.bank.as_ref().map_err(Clone::clone)
    }

    /// Start-up facts.
    pub fn startup(&self) -> Startup {
        Startup {
            recovered: self.recovered.clone(),
            data_error: self
                .takes
                .as_ref()
                .err()
                .cloned()
                .or(self.bank.as_ref().err().cloned()),
        }
    }

    /// The least recently practiced question (never-practiced first, in bank order).
    pub fn next_question(&self) -> Result<Question, AppError> {
        let bank = self.bank()?;
        let takes = self.takes()?.list()?;
        let last_practiced = |id: &str| {
            takes
                .iter()
                .filter(|t| t.question_id == id)
                .map(|t| t.started_at.clone())
                .max()
        };
        bank.questions
            .iter()
            .min_by_key(|q| last_practiced(&q.id))
            .map(|q| Question::from_bank(q, bank))
            .ok_or_else(|| CoreError::NotFound("a question in the bank".into()).into())
    }

    /// Every take, newest first.
    pub fn list_takes(&self) -> Result<Vec<Take>, AppError> {
        Ok(self.takes()?.list()?.into_iter().map(Take::from).collect())
    }

    /// Starts a take and a timer that streams levels to the window until capture ends.
    pub fn start_recording(
        &self,
        question_id: &str,
        levels: Channel<LevelUpdate>,
    ) -> Result<RecordingStarted, AppError> {
        if !self.bank()?.questions.iter().any(|q| q.id == question_id) {
            return Err(CoreError::NotFound(format!("question '{question_id}'")).into());
        }
        let mut takes = self.takes()?;
        let started = takes.start(
            question_id,
            None,
            None,
            &CaptureOptions::default(),
            self.level.clone(),
        )?;
        let probe = takes.probe();
        drop(takes);
        let stop = Arc::new(AtomicBool::new(false));
        if let Some(old) = self
            .meter_stop
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .replace(stop.clone())
        {
            old.store(true, Ordering::Release);
        }
        if let Some(probe) = probe {
            let level = self.level.clone();
            std::thread::spawn(move || {
                let mut silence = SilenceTracker::default();
                let mut last = Instant::now();
                loop {
                    std::thread::sleep(LEVEL_INTERVAL);
                    let ended = probe.capture_ended() || stop.load(Ordering::Acquire);
                    let reading = level.take();
                    let now = Instant::now();
                    let silent = silence.observe(reading, now - last);
                    last = now;
                    let update = LevelUpdate {
                        peak_milli: to_milli(reading.peak),
                        rms_milli: to_milli(reading.rms),
                        elapsed_ms: (probe.elapsed_s() * 1000.0) as u32,
                        silent,
                        ended,
                    };
                    if levels.send(update).is_err() || ended {
                        break;
                    }
                }
            });
        }
        Ok(RecordingStarted {
            take_id: started.take_id,
            device_name: started.device.name,
            fell_back: started.device.fell_back,
        })
    }

    /// Stops the running take; a device or write fault comes back as `problem`.
    pub fn stop_recording(&self) -> Result<RecordingStopped, AppError> {
        if let Some(stop) = self
            .meter_stop
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            stop.store(true, Ordering::Release);
        }
        let stopped = self.takes()?.stop()?;
        Ok(RecordingStopped {
            take: stopped.take.into(),
            problem: stopped.fault.map(AppError::from),
        })
    }

    /// A take's WAV bytes.
    pub fn take_audio(&self, take_id: &str) -> Result<Vec<u8>, AppError> {
        Ok(self.takes()?.audio(take_id)?)
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
