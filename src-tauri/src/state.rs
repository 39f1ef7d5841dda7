//! The app's state: the core's takes, the question bank, and the level-meter timer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use candor_core::audio::level::LEVEL_INTERVAL;
use candor_core::audio::{LevelMeter, Probe, SilenceTracker};
use candor_core::bank::Bank;
use candor_core::data_dir::DataDir;
use candor_core::takes::Takes;
use candor_core::CoreError;
use tauri::ipc::Channel;

use crate::ipc::{
    AppError, Device, LevelUpdate, MicCheck, Question, RecordingStarted, RecordingStopped,
    Settings, Startup, Take,
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
        self.stop_meter();
        let mut takes = self.takes()?;
        let opts = takes.settings()?.capture_options();
        let started = takes.start(question_id, None, None, &opts, self.level.clone())?;
        let probe = takes.probe();
        drop(takes);
        if let Some(probe) = probe {
            self.spawn_meter(probe, levels);
        }
        Ok(RecordingStarted {
            take_id: started.take_id,
            device_name: started.device.name,
            fell_back: started.device.fell_back,
        })
    }

    /// Stops the level timer of a take or mic check, if one runs.
    fn stop_meter(&self) {
        if let Some(stop) = self
            .meter_stop
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            stop.store(true, Ordering::Release);
        }
    }

    /// Streams levels (at most ~30 a second) until capture ends or the meter is stopped.
    fn spawn_meter(&self, probe: Probe, levels: Channel<LevelUpdate>) {
        let stop = Arc::new(AtomicBool::new(false));
        if let Some(old) = self
            .meter_stop
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .replace(stop.clone())
        {
            old.store(true, Ordering::Release);
        }
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

    /// Starts a mic check on the chosen input: levels and the silence warning, nothing written.
    pub fn start_mic_check(&self, levels: Channel<LevelUpdate>) -> Result<MicCheck, AppError> {
        self.stop_meter();
        let (device, probe) = self.takes()?.start_mic_check(self.level.clone())?;
        self.spawn_meter(probe, levels);
        Ok(MicCheck {
            device_name: device.name,
            fell_back: device.fell_back,
        })
    }

    /// Stops the mic check; a device fault during it comes back as an error.
    pub fn stop_mic_check(&self) -> Result<(), AppError> {
        self.stop_meter();
        match self.takes()?.stop_mic_check() {
            Some(fault) => Err(fault.into()),
            None => Ok(()),
        }
    }

    /// Input devices, the default marked; called again to refresh.
    pub fn list_devices(&self) -> Result<Vec<Device>, AppError> {
        Ok(candor_core::audio::list_inputs()?
            .into_iter()
            .map(|d| Device {
                id: d.id,
                name: d.name,
                is_default: d.is_default,
            })
            .collect())
    }

    /// The recording settings.
    pub fn settings(&self) -> Result<Settings, AppError> {
        let s = self.takes()?.settings()?;
        Ok(Settings {
            device_id: s.device_id,
            sample_rate: s.sample_rate,
        })
    }

    /// Changes the recording settings.
    pub fn set_settings(&self, s: Settings) -> Result<(), AppError> {
        Ok(self
            .takes()?
            .set_settings(&candor_core::settings::Settings {
                device_id: s.device_id,
                sample_rate: s.sample_rate,
            })?)
    }

    /// Stops the running take; a device or write fault comes back as `problem`.
    pub fn stop_recording(&self) -> Result<RecordingStopped, AppError> {
        self.stop_meter();
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
