//! The life of a take: its row before its file, capture, stop, and recovery after a crash.

use std::sync::Arc;

use crate::audio::{ActiveDevice, CaptureOptions, LevelMeter, Probe, Recording};
use crate::data_dir::{new_take_id, DataDir};
use crate::error::{CoreError, Result};
use crate::settings::Settings;
use crate::store::{Store, TakeRow, TakeStatus};

/// A take being recorded.
struct Active {
    id: String,
    recording: Recording,
}

/// What `start` reports: the new take and the device it records from.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Started {
    /// The new take's id.
    pub take_id: String,
    /// The device in use.
    pub device: ActiveDevice,
}

/// What `stop` reports: the stored take and, if it ended early, why.
#[derive(Debug)]
pub struct Stopped {
    /// The take as stored.
    pub take: TakeRow,
    /// Why capture ended early; the take keeps everything up to then.
    pub fault: Option<CoreError>,
}

/// Takes of one data folder: database, recordings and the one running capture (take or mic check).
pub struct Takes {
    dir: DataDir,
    store: Store,
    active: Option<Active>,
    mic_check: Option<Recording>,
}

impl Takes {
    /// Opens the data folder and recovers takes a crash left `recording`.
    pub fn open(dir: DataDir) -> Result<(Takes, Vec<TakeRow>)> {
        dir.ensure()?;
        let store = Store::open(&dir.database())?;
        let mut takes = Takes {
            dir,
            store,
            active: None,
            mic_check: None,
        };
        let recovered = takes.recover()?;
        Ok((takes, recovered))
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The data folder.
    pub fn dir(&self) -> &DataDir {
        &self.dir
    }

    /// Repairs and marks `recovered` every take left `recording` while nothing records.
    pub fn recover(&mut self) -> Result<Vec<TakeRow>> {
        if self.active.is_some() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for take in self.store.unfinished_takes()? {
            let path = self.dir.take_file(&take.id)?;
            if path.exists() {
                match crate::audio::wav::repair(&path, take.sample_rate) {
                    Ok(frames) => {
                        self.store
                            .finish(&take.id, TakeStatus::Recovered, frames, None, None)?
                    }
                    Err(e) => self.store.finish(
                        &take.id,
                        TakeStatus::Interrupted,
                        0,
                        None,
                        Some(&format!("could not be recovered: {e}")),
                    )?,
                }
            } else {
                self.store.finish(
                    &take.id,
                    TakeStatus::Interrupted,
                    0,
                    None,
                    Some("no audio reached the disk before Candor stopped"),
                )?;
            }
            out.push(self.store.take(&take.id)?);
        }
        Ok(out)
    }

    /// The recording settings.
    pub fn settings(&self) -> Result<Settings> {
        Settings::load(&self.store)
    }

    /// Changes the recording settings (validated).
    pub fn set_settings(&self, settings: &Settings) -> Result<()> {
        settings.save(&self.store)
    }

    /// Starts a mic check on the chosen device: levels only, nothing written.
    pub fn start_mic_check(&mut self, level: Arc<LevelMeter>) -> Result<(ActiveDevice, Probe)> {
        if self.active.is_some() {
            return Err(CoreError::AlreadyRecording);
        }
        self.stop_mic_check();
        let rec = Recording::monitor(&self.settings()?.capture_options(), level)?;
        let out = (rec.device().clone(), rec.probe());
        self.mic_check = Some(rec);
        Ok(out)
    }

    /// Stops the mic check, if one runs; returns why it ended early, if it did.
    pub fn stop_mic_check(&mut self) -> Option<CoreError> {
        self.mic_check.take().and_then(|m| m.stop().fault)
    }

    /// True while a take is being recorded.
    pub fn is_recording(&self) -> bool {
        self.active.is_some()
    }

    /// Inserts the take's row, then starts capture into its file; undone if the device fails.
    pub fn start(
        &mut self,
        question_id: &str,
        parent_id: Option<&str>,
        pushback: Option<&str>,
        opts: &CaptureOptions,
        level: Arc<LevelMeter>,
    ) -> Result<Started> {
        if self.active.is_some() {
            return Err(CoreError::AlreadyRecording);
        }
        self.stop_mic_check();
        let id = new_take_id();
        let path = self.dir.take_file(&id)?;
        self.dir.ensure()?;
        self.store
            .insert_recording(&id, question_id, parent_id, pushback, opts.sample_rate)?;
        match Recording::start(opts, &path, level) {
            Ok(recording) => {
                let device = recording.device().clone();
                self.active = Some(Active {
                    id: id.clone(),
                    recording,
                });
                Ok(Started {
                    take_id: id,
                    device,
                })
            }
            Err(e) => {
                // Nothing was captured: leave no row and no file behind.
                let _ = std::fs::remove_file(&path);
                self.store.delete_take(&id)?;
                Err(e)
            }
        }
    }

    /// A lock-free handle on the running take, for a level/progress timer.
    pub fn probe(&self) -> Option<Probe> {
        self.active.as_ref().map(|a| a.recording.probe())
    }

    /// Seconds recorded so far in the running take.
    pub fn elapsed_s(&self) -> Option<f64> {
        self.active.as_ref().map(|a| a.recording.elapsed_s())
    }

    /// True when the running take ended by itself (limit, device lost, write error).
    pub fn finished_by_itself(&self) -> bool {
        self.active
            .as_ref()
            .is_some_and(|a| a.recording.is_finished())
    }

    /// Blocks until the running take ends by itself.
    pub fn wait(&self) {
        if let Some(a) = &self.active {
            a.recording.wait();
        }
    }

    /// Stops the running take, finalizes its file and stores how it ended.
    pub fn stop(&mut self) -> Result<Stopped> {
        let active = self.active.take().ok_or(CoreError::NotRecording)?;
        let summary = active.recording.stop();
        let status = if summary.fault.is_some() {
            TakeStatus::Interrupted
        } else {
            TakeStatus::Complete
        };
        let error = summary.fault.as_ref().map(|e| e.to_string());
        self.store.finish(
            &active.id,
            status,
            summary.frames,
            Some(&summary.device.name),
            error.as_deref(),
        )?;
        Ok(Stopped {
            take: self.store.take(&active.id)?,
            fault: summary.fault,
        })
    }

    /// Every take, newest first.
    pub fn list(&self) -> Result<Vec<TakeRow>> {
        self.store.list_takes()
    }

    /// The bytes of a take's WAV, for replay in the window.
    pub fn audio(&self, take_id: &str) -> Result<Vec<u8>> {
        let take = self.store.take(take_id)?;
        if take.status == TakeStatus::Recording {
            return Err(CoreError::InvalidInput(
                "this take is still being recorded".into(),
            ));
        }
        let path = self.dir.take_file(&take.id)?;
        std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                CoreError::NotFound("the audio of this take (its file is missing)".into())
            }
            _ => CoreError::io("reading the take's audio", e),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crash_left_take_is_recovered_with_its_audio() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(tmp.path());
        dir.ensure().unwrap();
        let id = new_take_id();
        {
            let store = Store::open(&dir.database()).unwrap();
            store.insert_recording(&id, "q", None, None, 16000).unwrap();
        }
        // A file as a crash leaves it: header sizes never updated, 1600 frames on disk.
        let path = dir.take_file(&id).unwrap();
        let mut w = hound::WavWriter::create(&path, crate::audio::wav::take_spec(16000)).unwrap();
        for i in 0..1600 {
            w.write_sample((i % 100) as i16).unwrap();
        }
        w.finalize().unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[40..44].copy_from_slice(&[0, 0, 0, 0]);
        std::fs::write(&path, bytes).unwrap();

        let (takes, recovered) = Takes::open(dir.clone()).unwrap();
        assert_eq!(recovered.len(), 1);
        assert_eq!(recovered[0].status, TakeStatus::Recovered);
        assert_eq!(recovered[0].frames, 1600);
        assert!(takes.audio(&id).unwrap().len() > 3200);
    }

    #[test]
    fn crash_before_any_file_marks_interrupted() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(tmp.path());
        dir.ensure().unwrap();
        let id = new_take_id();
        Store::open(&dir.database())
            .unwrap()
            .insert_recording(&id, "q", None, None, 16000)
            .unwrap();
        let (takes, recovered) = Takes::open(dir).unwrap();
        assert_eq!(recovered[0].status, TakeStatus::Interrupted);
        assert_eq!(takes.audio(&id).unwrap_err().code(), "NotFound");
    }

    #[test]
    fn stop_without_recording_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut takes, _) = Takes::open(DataDir::at(tmp.path())).unwrap();
        assert_eq!(takes.stop().unwrap_err().code(), "NotRecording");
    }
}
