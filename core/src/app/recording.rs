//! Recording use cases: a take (answer or reply to a push-back) with its level meter, the mic
//! check, devices and settings, discarding a take, and a take's audio for replay.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::Candor;
use crate::audio::level::LEVEL_INTERVAL;
use crate::audio::{Probe, SilenceTracker};
use crate::error::{CoreError, Result};
use crate::folder::TakePlan;
use crate::settings::Settings;
use crate::store::TakeRow;

/// The longest push-back text a take may carry (a push-back is a sentence or two).
pub const MAX_PUSHBACK_BYTES: usize = 4_000;

/// What to record: an answer to a question, or a reply to a push-back on an answer.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct TakeRequest {
    /// The question answered (it must be in the library).
    pub question_id: String,
    /// For a reply: the answer it replies to.
    pub parent_id: Option<String>,
    /// For a reply: the interviewer's push-back.
    pub pushback: Option<String>,
    /// The mock round the take belongs to.
    pub round_id: Option<String>,
}

/// One reading of the level meter while recording or checking the microphone (≤ 30 a second).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct LevelUpdate {
    /// Peak level since the last update, 0–1000.
    pub peak_milli: u16,
    /// RMS level since the last update, 0–1000.
    pub rms_milli: u16,
    /// Milliseconds recorded so far.
    pub elapsed_ms: u32,
    /// True when the input has been silent long enough to warn.
    pub silent: bool,
    /// True on the last update: capture ended (stopped, limit reached, or the device failed).
    pub ended: bool,
    /// True once the speaker has been quiet for the silence set in Settings after speaking
    /// (the take should stop by itself); never when that is off, nor in a mic check.
    pub answer_ended: bool,
}

/// Where level readings go; returns false once nobody listens (the meter then stops).
pub type LevelSink = Box<dyn FnMut(LevelUpdate) -> bool + Send>;

/// What starting a take reports: its id and the device it records from.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct RecordingStarted {
    /// The new take.
    pub take_id: String,
    /// The input device in use.
    pub device_name: String,
    /// True when the chosen device was missing and the default input is used instead.
    pub fell_back: bool,
}

/// What stopping a take reports: the stored take and, if capture ended early, why.
#[derive(Debug)]
pub struct RecordingStopped {
    /// The take as stored (its delivery figures are measured and stored too).
    pub take: TakeRow,
    /// Why capture ended early; the take keeps everything up to then.
    pub problem: Option<CoreError>,
}

/// What a mic check reports: the device it listens to.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct MicCheck {
    /// The input device in use.
    pub device_name: String,
    /// True when the chosen device was missing and the default input is used instead.
    pub fell_back: bool,
}

fn to_milli(v: f32) -> u16 {
    (v.clamp(0.0, 1.0) * 1000.0).round() as u16
}

impl Candor {
    /// Starts a take for a question of the library (a reply names its answer and push-back)
    /// and a timer that sends levels to `levels` until capture ends.
    pub fn start_recording(
        &self,
        req: TakeRequest,
        levels: Option<LevelSink>,
    ) -> Result<RecordingStarted> {
        self.start_recording_with(req, levels, |_| {})
    }

    /// `start_recording`, with the capture options from the settings adjusted by `adjust`
    /// (the terminal's `--device` and `--seconds`; nothing is saved).
    pub fn start_recording_with(
        &self,
        req: TakeRequest,
        levels: Option<LevelSink>,
        adjust: impl FnOnce(&mut crate::audio::CaptureOptions),
    ) -> Result<RecordingStarted> {
        self.stop_meter();
        let mut folder = self.folder()?;
        crate::library::find(self.bank()?, folder.store(), &req.question_id)?;
        if req
            .pushback
            .as_ref()
            .is_some_and(|p| p.len() > MAX_PUSHBACK_BYTES)
        {
            return Err(CoreError::InvalidInput(
                "That push-back is too long.".into(),
            ));
        }
        let settings = folder.settings()?;
        let auto_stop_s = settings.auto_stop_s;
        let mut opts = settings.capture_options();
        adjust(&mut opts);
        let reply_to = req.parent_id.clone().zip(req.pushback.clone());
        let plan = TakePlan {
            question_id: req.question_id,
            parent_id: req.parent_id,
            pushback: req.pushback,
            round_id: req.round_id,
        };
        // The background transcriber gives the processor to the take (before it starts), and
        // hears the take piece by piece as it is recorded when a model is there to do it.
        self.transcriber.recording(true);
        let live = self.live_pieces(&folder, opts.sample_rate);
        let (cutter, pieces) = match live {
            Some((c, p)) => (Some(c), Some(p)),
            None => (None, None),
        };
        let started = match folder.start(&plan, &opts, self.level.clone(), cutter) {
            Ok(s) => s,
            Err(e) => {
                self.transcriber.recording(false);
                return Err(e);
            }
        };
        if let Some(pieces) = pieces {
            self.transcriber
                .begin_live(started.take_id.clone(), pieces, opts.sample_rate);
        }
        let probe = folder.probe();
        drop(folder);
        if let Some((parent, pushback)) = reply_to {
            self.note_pushback_choice(&started.take_id, &parent, &pushback);
        }
        if let (Some(probe), Some(levels)) = (probe, levels) {
            self.spawn_meter(probe, levels, auto_stop_s);
        }
        Ok(RecordingStarted {
            take_id: started.take_id,
            device_name: started.device.name,
            fell_back: started.device.fell_back,
        })
    }

    /// Blocks until the running take ends by itself (a length limit, or the device failing).
    pub fn wait_for_recording(&self) -> Result<()> {
        // The probe is lock-free, so the folder stays usable while this waits.
        let probe = self.folder()?.probe();
        if let Some(p) = probe {
            while !p.capture_ended() {
                std::thread::sleep(LEVEL_INTERVAL);
            }
        }
        Ok(())
    }

    /// Stops the running take, stores how it ended and measures its delivery (pauses, speaking
    /// time) once, so Review reads the figures back without reading the audio again.
    pub fn stop_recording(&self) -> Result<RecordingStopped> {
        self.stop_meter();
        let mut folder = self.folder()?;
        let stopped = match folder.stop() {
            Ok(s) => s,
            Err(e) => {
                drop(folder);
                self.transcriber.recording(false);
                return Err(e);
            }
        };
        if stopped.take.frames > 0 {
            // A damaged file is reported when the take is opened; the take itself is kept.
            let _ = folder.analyze(&stopped.take.id);
        }
        drop(folder);
        self.transcriber.recording(false);
        Ok(RecordingStopped {
            take: stopped.take,
            problem: stopped.fault,
        })
    }

    /// Deletes a take (a re-take), its replies and their audio.
    pub fn discard_take(&self, id: &str) -> Result<()> {
        crate::limits::check_id("take", id)?;
        self.folder()?.discard(id)
    }

    /// A take's WAV bytes, for replay (the window plays them from memory; no path leaves Rust).
    pub fn take_audio(&self, take_id: &str) -> Result<Vec<u8>> {
        crate::limits::check_id("take", take_id)?;
        self.folder()?.audio(take_id)
    }

    /// Starts a mic check on the chosen input: levels and the silence warning, nothing written.
    pub fn start_mic_check(&self, levels: LevelSink) -> Result<MicCheck> {
        self.stop_meter();
        let (device, probe) = self.folder()?.start_mic_check(self.level.clone())?;
        self.spawn_meter(probe, levels, 0);
        Ok(MicCheck {
            device_name: device.name,
            fell_back: device.fell_back,
        })
    }

    /// Stops the mic check; a device fault during it comes back as an error.
    pub fn stop_mic_check(&self) -> Result<()> {
        let mut folder = self.folder()?;
        if !folder.mic_check_running() {
            // Already ended (a take took the microphone over): leave the take's meter alone.
            return Ok(());
        }
        self.stop_meter();
        match folder.stop_mic_check() {
            Some(fault) => Err(fault),
            None => Ok(()),
        }
    }

    /// Input devices, the default marked; called again to refresh.
    pub fn devices(&self) -> Result<Vec<crate::audio::InputDevice>> {
        crate::audio::list_inputs()
    }

    /// The recording and practice settings.
    pub fn settings(&self) -> Result<Settings> {
        self.folder()?.settings()
    }

    /// Changes the settings (validated).
    pub fn set_settings(&self, s: &Settings) -> Result<()> {
        self.folder()?.set_settings(s)
    }

    /// Stops the level timer of a take or mic check, if one runs.
    pub(super) fn stop_meter(&self) {
        if let Some(stop) = self
            .meter_stop
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            stop.store(true, Ordering::Release);
        }
    }

    /// Sends levels (at most ~30 a second) until capture ends or the meter is stopped.
    fn spawn_meter(&self, probe: Probe, mut levels: LevelSink, auto_stop_s: u32) {
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
            let mut answer_end = (auto_stop_s > 0).then(|| {
                crate::analysis::AnswerEnd::new(
                    f64::from(auto_stop_s),
                    LEVEL_INTERVAL.as_secs_f64(),
                )
            });
            let mut last = Instant::now();
            loop {
                std::thread::sleep(LEVEL_INTERVAL);
                let ended = probe.capture_ended() || stop.load(Ordering::Acquire);
                let reading = level.take();
                let now = Instant::now();
                let silent = silence.observe(reading, now - last);
                last = now;
                let answer_ended = answer_end.as_mut().is_some_and(|a| a.observe(reading.rms));
                let update = LevelUpdate {
                    peak_milli: to_milli(reading.peak),
                    rms_milli: to_milli(reading.rms),
                    elapsed_ms: (probe.elapsed_s() * 1000.0) as u32,
                    silent,
                    ended,
                    answer_ended,
                };
                if !levels(update) || ended {
                    break;
                }
            }
        });
    }
}
