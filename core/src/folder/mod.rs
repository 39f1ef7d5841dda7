//! The open data folder: its database, the one running capture (a take or a mic check), its
//! settings and rounds, the lock that keeps other processes from rewriting it meanwhile, and
//! the life of a take: its row before its file, capture, stop, and recovery after a crash.

use std::sync::Arc;

use crate::audio::{ActiveDevice, CaptureOptions, LevelMeter, Probe, Recording};
use crate::data_dir::lock::{Access, FolderLock};
use crate::data_dir::{new_take_id, DataDir};
use crate::error::{CoreError, Result};
use crate::settings::Settings;
use crate::store::{NewTake, Store, TakeRow, TakeStatus};

/// A take being recorded.
struct Active {
    id: String,
    recording: Recording,
}

/// What a take answers: the question, and for a follow-up the answer and push-back it replies to.
#[derive(Debug, Clone, Default)]
pub struct TakePlan {
    /// The question.
    pub question_id: String,
    /// For a follow-up: the answer it replies to.
    pub parent_id: Option<String>,
    /// For a follow-up: the interviewer's push-back.
    pub pushback: Option<String>,
    /// The mock round it belongs to.
    pub round_id: Option<String>,
}

impl TakePlan {
    /// An answer to a question.
    pub fn answer(question_id: impl Into<String>) -> Self {
        TakePlan {
            question_id: question_id.into(),
            ..TakePlan::default()
        }
    }
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

/// One open data folder: database, recordings, settings, rounds and the one running capture
/// (take or mic check), held under the folder's lock for as long as it is open.
pub struct DataFolder {
    dir: DataDir,
    store: Store,
    lock: FolderLock,
    active: Option<Active>,
    mic_check: Option<Recording>,
}

/// A test's look at the data folder (see `AT_SWAP`).
#[cfg(test)]
pub(crate) type Look = Box<dyn Fn(&DataDir)>;

#[cfg(test)]
thread_local! {
    /// Called with the folder when `with_database_closed` is about to run its work (a
    /// restore's swap), so a test can look at what the process holds open at that moment.
    pub(crate) static AT_SWAP: std::cell::RefCell<Option<Look>> =
        const { std::cell::RefCell::new(None) };
}

impl DataFolder {
    /// Opens the data folder. When no other process uses it, an interrupted restore is finished
    /// or undone and takes a crash left `recording` are recovered (returned) first; when another
    /// one does, the folder is used as it is (its takes may be being recorded there).
    pub fn open(dir: DataDir) -> Result<(DataFolder, Vec<TakeRow>)> {
        dir.ensure()?;
        match FolderLock::try_exclusive(&dir)? {
            Some(lock) => DataFolder::open_alone(dir, lock),
            None => {
                let lock = FolderLock::shared(&dir)?;
                if crate::data_dir::swap::restore_pending(&dir) {
                    // Half-swapped data must be finished or undone first, which needs the
                    // folder alone: nothing is read until then.
                    return Err(CoreError::FolderBusy(
                        "A restore of this data folder was interrupted and must be finished first, which needs Candor to be the only program using it. Close the other Candor programs, then try again.".into(),
                    ));
                }
                let store = Store::open(&dir.database())?;
                Ok((DataFolder::with(dir, store, lock), Vec::new()))
            }
        }
    }

    /// Opens the data folder only if no other process uses it (for recovery), with the same
    /// start-up work as `open`; refuses with a message naming the other process otherwise.
    pub fn open_alone_or_refuse(dir: DataDir, doing: &str) -> Result<(DataFolder, Vec<TakeRow>)> {
        dir.ensure()?;
        let lock = FolderLock::exclusive(&dir, doing)?;
        DataFolder::open_alone(dir, lock)
    }

    fn open_alone(dir: DataDir, lock: FolderLock) -> Result<(DataFolder, Vec<TakeRow>)> {
        crate::data_dir::swap::finish_interrupted_restore(&dir)?;
        // Alone in the folder, anything a killed backup or restore left behind is stale.
        crate::backup::sweep_leftovers(&dir)?;
        let store = Store::open(&dir.database())?;
        let mut folder = DataFolder::with(dir, store, lock);
        let recovered = folder.recover()?;
        folder.lock.downgrade()?;
        Ok((folder, recovered))
    }

    fn with(dir: DataDir, store: Store, lock: FolderLock) -> DataFolder {
        DataFolder {
            dir,
            store,
            lock,
            active: None,
            mic_check: None,
        }
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The data folder.
    pub fn dir(&self) -> &DataDir {
        &self.dir
    }

    /// Repairs and marks `recovered` every take left `recording`, only while this process has
    /// the folder to itself and records nothing (another process's take is never touched).
    fn recover(&mut self) -> Result<Vec<TakeRow>> {
        if self.active.is_some() || self.lock.access() != Access::Exclusive {
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

    /// True while a mic check runs.
    pub fn mic_check_running(&self) -> bool {
        self.mic_check.is_some()
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
        plan: &TakePlan,
        opts: &CaptureOptions,
        level: Arc<LevelMeter>,
        pieces: Option<crate::audio::PieceCutter>,
    ) -> Result<Started> {
        if self.active.is_some() {
            return Err(CoreError::AlreadyRecording);
        }
        self.stop_mic_check();
        let id = new_take_id();
        let path = self.dir.take_file(&id)?;
        self.dir.ensure()?;
        if let Some(parent) = &plan.parent_id {
            let answer = self.store.take(parent)?;
            if answer.parent_id.is_some() || answer.question_id != plan.question_id {
                return Err(CoreError::InvalidInput(
                    "a follow-up must reply to an answer to the same question".into(),
                ));
            }
        }
        self.store.insert_recording(&NewTake {
            id: &id,
            question_id: &plan.question_id,
            parent_id: plan.parent_id.as_deref(),
            pushback: plan.pushback.as_deref(),
            round_id: plan.round_id.as_deref(),
            sample_rate: opts.sample_rate,
        })?;
        match Recording::start_cut(opts, &path, level, pieces) {
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
        // Audio lost to an overflow leaves the take Complete (what it holds is valid and as long
        // as asked, less the gaps); the row says how much is missing and where. Stored first:
        // a crash in between leaves it `recording`, recovered later with the loss known.
        self.store.set_lost_audio(&active.id, &summary.lost)?;
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

    /// Deletes a take, its follow-ups and their audio (a re-take discards the previous one).
    pub fn discard(&mut self, take_id: &str) -> Result<()> {
        if self.active.as_ref().is_some_and(|a| a.id == take_id) {
            return Err(CoreError::InvalidInput(
                "stop the recording before discarding it".into(),
            ));
        }
        let take = self.store.take(take_id)?;
        let mut files = vec![self.dir.take_file(&take.id)?];
        for f in self.store.followups(&take.id)? {
            files.push(self.dir.take_file(&f.id)?);
        }
        // The rows go first (followups cascade); a file left by a failed removal is harmless.
        self.store.delete_take(&take.id)?;
        for f in files {
            match std::fs::remove_file(&f) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(CoreError::io(format!("deleting {}", f.display()), e)),
            }
        }
        Ok(())
    }

    /// Starts a mock round of `planned` questions under a clock of `length_s` seconds.
    pub fn start_round(&self, planned: u32, length_s: u32) -> Result<String> {
        let id = new_take_id();
        self.store.insert_round(&id, planned, length_s)?;
        Ok(id)
    }

    /// Ends a mock round; its answers wait in the review queue.
    pub fn end_round(&self, round_id: &str) -> Result<()> {
        self.store.end_round(round_id)
    }

    /// Measures a take's speech from its WAV and stores the metrics (done once when it stops;
    /// again on request). Returns them with the waveform peaks.
    pub fn analyze(&self, take_id: &str) -> Result<crate::analysis::SpeechMetrics> {
        let take = self.store.take(take_id)?;
        if take.status == TakeStatus::Recording {
            return Err(CoreError::InvalidInput(
                "this take is still being recorded".into(),
            ));
        }
        let path = self.dir.take_file(&take.id)?;
        let metrics = crate::analysis::analyze_file(
            &path,
            &crate::analysis::AnalysisParams::default(),
            &mut |_| {},
        )
        .map_err(damaged)?;
        self.store.save_metrics(&take.id, &metrics)?;
        Ok(metrics)
    }

    /// The figures and the waveform (as drawn) to show in review: read back as stored when the
    /// take stopped, so opening a take never reads its WAV; measured (and stored) only for a
    /// take that has none stored yet (recorded before they were kept, or imported).
    pub fn review_metrics(
        &self,
        take_id: &str,
    ) -> Result<(crate::analysis::SpeechMetrics, Vec<i16>)> {
        if let Some(stored) = self.store.metrics_with_peaks(take_id)? {
            return Ok(stored);
        }
        if !self.dir.take_file(take_id)?.exists() {
            if let Some(stored) = self.store.metrics(take_id)? {
                // The audio was deleted: the figures stay, with no waveform to draw.
                return Ok((stored, Vec::new()));
            }
        }
        let m = self.analyze(take_id)?;
        let drawn = crate::analysis::display_peaks(&m.peaks, crate::analysis::DISPLAY_PEAKS);
        Ok((m, drawn))
    }

    /// Every take, newest first.
    pub fn list(&self) -> Result<Vec<TakeRow>> {
        self.store.list_takes()
    }

    /// Runs `f` with the database closed and the folder to this process alone (to swap its
    /// files, as a restore does), then reopens it, brought up to the current schema, and
    /// recovers takes left `recording`. Refused while another process uses the folder.
    pub fn with_database_closed<T>(
        &mut self,
        doing: &str,
        f: impl FnOnce(&DataDir) -> Result<T>,
    ) -> Result<T> {
        if self.active.is_some() || self.mic_check.is_some() {
            return Err(CoreError::InvalidInput(format!(
                "Stop the recording or mic check before you {doing}."
            )));
        }
        self.lock.upgrade(doing)?;
        // Replacing the store drops the live connection, which checkpoints and closes the file.
        // Nothing under the folder may stay open past here but the lock file: Windows refuses
        // to rename a file or folder while a handle inside is open.
        self.store = Store::open_in_memory()?;
        #[cfg(test)]
        AT_SWAP.with(|hook| {
            if let Some(look) = &*hook.borrow() {
                look(&self.dir);
            }
        });
        let out = f(&self.dir);
        let reopened = self
            .dir
            .ensure()
            .and_then(|()| Store::open(&self.dir.database()));
        let reopened = reopened.map(|store| {
            self.store = store;
        });
        let recovered = reopened.and_then(|()| self.recover().map(drop));
        self.lock.downgrade()?;
        recovered?;
        out
    }

    /// Restores a backup over this open folder: verified in staging first, then, with the
    /// folder to this process alone, the database is closed, swapped and reopened (migrated).
    /// Refused while anything records, here or in another process.
    pub fn restore(
        &mut self,
        archive: &std::path::Path,
        progress: &mut dyn FnMut(crate::backup::Progress),
    ) -> Result<crate::backup::RestoreSummary> {
        if self.is_recording() || self.mic_check_running() {
            return Err(CoreError::InvalidInput(
                "Stop the recording or mic check before restoring a backup.".into(),
            ));
        }
        // Refused before anything is staged: an archive inside the folder, or another process
        // using the folder.
        crate::backup::restore::refuse_inside_data_folder(&self.dir, archive)?;
        self.lock.upgrade("restore a backup")?;
        let dir = self.dir.clone();
        let out = crate::backup::stage_then(&dir, archive, progress, |staged| {
            self.with_database_closed("restore a backup", |_| staged.swap_in())
        });
        self.lock.downgrade()?;
        out
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
        let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                CoreError::NotFound("the audio of this take (its file is missing)".into())
            }
            _ => CoreError::io("reading the take's audio", e),
        })?;
        // A damaged file is refused here too, so the window never gets bytes it cannot play.
        crate::analysis::read_frames_from(std::io::Cursor::new(&bytes), &path, &mut |_| {})
            .map_err(damaged)?;
        Ok(bytes)
    }
}

/// A take's unreadable audio, said without its path (the window never sees paths).
fn damaged(e: CoreError) -> CoreError {
    match e {
        CoreError::BadAudio { reason, .. } => CoreError::DamagedTake { reason },
        other => other,
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
            store
                .insert_recording(&NewTake::answer(&id, "q", 16000))
                .unwrap();
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

        let (takes, recovered) = DataFolder::open(dir.clone()).unwrap();
        assert_eq!(recovered.len(), 1);
        assert_eq!(recovered[0].status, TakeStatus::Recovered);
        assert_eq!(recovered[0].frames, 1600);
        assert!(takes.audio(&id).unwrap().len() > 3200);
        let m = takes.analyze(&id).unwrap();
        assert!((m.duration_s - 0.1).abs() < 1e-9);
        assert!(!m.peaks.is_empty());
        let stored = takes.store().metrics(&id).unwrap().unwrap();
        assert!(stored.peaks.is_empty());
        assert_eq!(stored.duration_s, m.duration_s);
    }

    #[test]
    fn crash_before_any_file_marks_interrupted() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(tmp.path());
        dir.ensure().unwrap();
        let id = new_take_id();
        Store::open(&dir.database())
            .unwrap()
            .insert_recording(&NewTake::answer(&id, "q", 16000))
            .unwrap();
        let (takes, recovered) = DataFolder::open(dir).unwrap();
        assert_eq!(recovered[0].status, TakeStatus::Interrupted);
        assert_eq!(takes.audio(&id).unwrap_err().code(), "NotFound");
    }

    /// A way to damage a file's bytes, named.
    type Damage = (&'static str, fn(&mut Vec<u8>));

    /// A finished take with `frames` frames of a tone, as Candor writes it.
    fn finished_take(dir: &DataDir, store: &Store, frames: u32) -> String {
        let id = new_take_id();
        store
            .insert_recording(&NewTake::answer(&id, "q", 16000))
            .unwrap();
        let path = dir.take_file(&id).unwrap();
        let mut w = hound::WavWriter::create(&path, crate::audio::wav::take_spec(16000)).unwrap();
        for i in 0..frames {
            w.write_sample(((i % 80) as i16 - 40) * 300).unwrap();
        }
        w.finalize().unwrap();
        store
            .finish(&id, TakeStatus::Complete, u64::from(frames), None, None)
            .unwrap();
        id
    }

    #[test]
    fn a_damaged_recording_is_refused_plainly_and_the_others_still_play() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(tmp.path());
        dir.ensure().unwrap();
        let damages: [Damage; 4] = [
            ("truncated to a few bytes", |b| b.truncate(5)),
            ("a garbage header", |b| b[..44].fill(0xAA)),
            ("an empty file", |b| b.clear()),
            ("a zero sample rate", |b| b[24..28].fill(0)),
        ];
        let (good, bad): (String, Vec<String>) = {
            let store = Store::open(&dir.database()).unwrap();
            let good = finished_take(&dir, &store, 8000);
            let bad = damages
                .iter()
                .map(|_| finished_take(&dir, &store, 8000))
                .collect();
            (good, bad)
        };
        for ((_, damage), id) in damages.iter().zip(&bad) {
            let path = dir.take_file(id).unwrap();
            let mut bytes = std::fs::read(&path).unwrap();
            damage(&mut bytes);
            std::fs::write(&path, &bytes).unwrap();
        }
        let (takes, recovered) = DataFolder::open(dir.clone()).unwrap();
        assert!(recovered.is_empty());
        for ((what, _), id) in damages.iter().zip(&bad) {
            let path = dir.take_file(id).unwrap();
            let before = std::fs::read(&path).unwrap();
            for e in [takes.analyze(id).unwrap_err(), takes.audio(id).unwrap_err()] {
                assert_eq!(e.code(), "DamagedTake", "{what}: {e}");
                let message = e.to_string();
                assert!(message.contains("remove this one"), "{what}: {message}");
                assert!(!message.contains('/'), "{what}: a path in {message}");
            }
            // Nothing is lost: the file and its row are left as they were.
            assert_eq!(std::fs::read(&path).unwrap(), before, "{what}");
            assert_eq!(takes.store().take(id).unwrap().status, TakeStatus::Complete);
        }
        assert!((takes.analyze(&good).unwrap().duration_s - 0.5).abs() < 1e-9);
        assert_eq!(takes.audio(&good).unwrap().len(), 44 + 16000);
        assert_eq!(takes.store().review_queue().unwrap().len(), 5);
    }

    #[test]
    fn stop_without_recording_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut takes, _) = DataFolder::open(DataDir::at(tmp.path())).unwrap();
        assert_eq!(takes.stop().unwrap_err().code(), "NotRecording");
    }
}
