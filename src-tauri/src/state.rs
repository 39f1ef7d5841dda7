//! The app's state: the core's takes, the question bank, and the level-meter timer.

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use candor_core::audio::level::LEVEL_INTERVAL;
use candor_core::audio::{LevelMeter, Probe, SilenceTracker};
use candor_core::bank::{self, Bank};
use candor_core::data_dir::DataDir;
use candor_core::takes::{TakePlan, Takes};
use candor_core::CoreError;
use candor_core::{library, practice, progress, review};
use tauri::ipc::Channel;

use crate::ipc::{
    AppError, BankInfo, Category, Device, Home, LevelUpdate, LibraryEntry, Marker, MicCheck,
    ProgressPeriod, Question, QuestionDraft, Rating, RatingInput, RatingKind, RecordingStarted,
    RecordingStopped, Round, Rubric, Settings, Startup, Take, TakeRequest, TakeReview,
    WeekDelivery,
};
use crate::ipc::{HistoryTake, ProgressOverview, QuestionHistory, TakePage};

/// Everything the commands work on.
pub struct AppState {
    /// The data folder, or why it could not be opened (until a restore replaces it).
    takes: Mutex<Result<Takes, AppError>>,
    recovered: Vec<Take>,
    bank: Result<Bank, AppError>,
    rubric: Result<candor_core::rubric::Rubric, AppError>,
    level: Arc<LevelMeter>,
    meter_stop: Mutex<Option<Arc<AtomicBool>>>,
}

/// The open data folder, held locked; only ever made over a folder that opened.
struct TakesGuard<'a>(MutexGuard<'a, Result<Takes, AppError>>);

impl Deref for TakesGuard<'_> {
    type Target = Takes;
    fn deref(&self) -> &Takes {
        match &*self.0 {
            Ok(t) => t,
            Err(_) => unreachable!("a TakesGuard is only made over an open folder"),
        }
    }
}

impl DerefMut for TakesGuard<'_> {
    fn deref_mut(&mut self) -> &mut Takes {
        match &mut *self.0 {
            Ok(t) => t,
            Err(_) => unreachable!("a TakesGuard is only made over an open folder"),
        }
    }
}

fn to_milli(v: f32) -> u16 {
    (v.clamp(0.0, 1.0) * 1000.0).round() as u16
}

impl AppState {
    /// Opens the data folder and the bank; failures are kept and reported to the window.
    pub fn new() -> AppState {
        let opened = DataDir::resolve().and_then(Takes::open);
        let (takes, recovered) = match opened {
            Ok((t, rec)) => (Ok(t), rec.into_iter().map(Take::from).collect()),
            Err(e) => (Err(AppError::from(e)), Vec::new()),
        };
        AppState {
            takes: Mutex::new(takes),
            recovered,
            bank: candor_core::bank::builtin().map_err(AppError::from),
            rubric: candor_core::rubric::builtin().map_err(AppError::from),
            level: Arc::new(LevelMeter::default()),
            meter_stop: Mutex::new(None),
        }
    }

    /// The data folder, or, while it could not be opened, why not.
    fn slot(&self) -> MutexGuard<'_, Result<Takes, AppError>> {
        // A panic while holding the lock leaves consistent data (every write is one statement).
        self.takes.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn takes(&self) -> Result<TakesGuard<'_>, AppError> {
        let slot = self.slot();
        if let Err(e) = &*slot {
            return Err(e.clone());
        }
        Ok(TakesGuard(slot))
    }

    fn bank(&self) -> Result<&Bank, AppError> {
        self.bank.as_ref().map_err(Clone::clone)
    }

    fn rubric_ref(&self) -> Result<&candor_core::rubric::Rubric, AppError> {
        self.rubric.as_ref().map_err(Clone::clone)
    }

    /// The rubric the review walks through.
    pub fn rubric(&self) -> Result<Rubric, AppError> {
        Ok(self.rubric_ref()?.clone())
    }

    /// The draft of a take's rating of one kind, if one was left.
    pub fn rating_draft(
        &self,
        take_id: &str,
        kind: RatingKind,
    ) -> Result<Option<Rating>, AppError> {
        Ok(self
            .takes()?
            .store()
            .rating_draft(take_id, kind)?
            .map(Rating::from))
    }

    /// Saves a rating's draft (at every wizard step).
    pub fn save_rating_draft(&self, input: RatingInput) -> Result<String, AppError> {
        let takes = self.takes()?;
        Ok(review::save_draft(
            takes.store(),
            self.rubric_ref()?,
            &input,
        )?)
    }

    /// Saves a rating for good.
    pub fn finalize_rating(&self, input: RatingInput) -> Result<Rating, AppError> {
        let takes = self.takes()?;
        Ok(review::finalize(takes.store(), self.rubric_ref()?, &input)?.into())
    }

    /// The saved ratings of a take, oldest first.
    pub fn take_ratings(&self, take_id: &str) -> Result<Vec<Rating>, AppError> {
        Ok(self
            .takes()?
            .store()
            .ratings_of_take(take_id)?
            .into_iter()
            .map(Rating::from)
            .collect())
    }

    /// The newest saved review of an earlier answer to the same question.
    pub fn previous_rating(&self, take_id: &str) -> Result<Option<Rating>, AppError> {
        Ok(self
            .takes()?
            .store()
            .previous_rating(take_id)?
            .map(Rating::from))
    }

    /// The last "one thing to do differently" written for a question.
    pub fn question_commitment(&self, question_id: &str) -> Result<Option<String>, AppError> {
        Ok(self.takes()?.store().latest_commitment(question_id)?)
    }

    /// A page of the answers already reviewed, newest first, and how many there are.
    pub fn reviewed_answers(&self, offset: u32, limit: u32) -> Result<TakePage, AppError> {
        Ok(self
            .takes()?
            .store()
            .reviewed_answers_page(offset, limit)?
            .into())
    }

    fn check_tag(&self, tag: Option<&str>) -> Result<(), AppError> {
        match tag {
            Some(t) if !review::known_tag(self.rubric_ref()?, t) => {
                Err(CoreError::InvalidInput(format!("unknown marker tag '{t}'")).into())
            }
            _ => Ok(()),
        }
    }

    /// Adds a marker at a moment of a take.
    pub fn add_marker(
        &self,
        take_id: &str,
        at_s: f64,
        tag: Option<&str>,
        note: &str,
    ) -> Result<Marker, AppError> {
        self.check_tag(tag)?;
        Ok(self.takes()?.store().add_marker(take_id, at_s, tag, note)?)
    }

    /// Changes a marker's tag and note.
    pub fn update_marker(&self, id: &str, tag: Option<&str>, note: &str) -> Result<(), AppError> {
        self.check_tag(tag)?;
        Ok(self.takes()?.store().update_marker(id, tag, note)?)
    }

    /// Deletes a marker.
    pub fn delete_marker(&self, id: &str) -> Result<(), AppError> {
        Ok(self.takes()?.store().delete_marker(id)?)
    }

    /// The markers of a take, in time order.
    pub fn markers(&self, take_id: &str) -> Result<Vec<Marker>, AppError> {
        Ok(self.takes()?.store().markers(take_id)?)
    }

    /// Start-up facts.
    pub fn startup(&self) -> Startup {
        Startup {
            recovered: self.recovered.clone(),
            data_error: self
                .slot()
                .as_ref()
                .err()
                .cloned()
                .or(self.bank.as_ref().err().cloned())
                .or(self.rubric.as_ref().err().cloned()),
        }
    }

    fn practice_questions(&self, takes: &Takes) -> Result<Vec<bank::Question>, AppError> {
        Ok(library::practice_questions(self.bank()?, takes.store())?)
    }

    fn question_of(&self, q: &bank::Question) -> Result<Question, AppError> {
        Ok(Question::from_bank(q, self.bank()?))
    }

    /// What Home shows: the suggested question and the review queue.
    pub fn home(&self) -> Result<Home, AppError> {
        let takes = self.takes()?;
        let questions = self.practice_questions(&takes)?;
        let store = takes.store();
        let next = practice::suggest(store, &questions)?;
        let picked = next.pick;
        Ok(Home {
            suggested: picked.map(|(q, _)| self.question_of(q)).transpose()?,
            suggested_reason: picked.map(|(_, why)| why.into()),
            waiting_for_review: store.review_queue_count()?,
            answers: store.answer_count()?,
            due_today: next.due_today,
            streak_days: progress::current_streak(store)?,
        })
    }

    /// The least recently practiced question.
    pub fn next_question(&self) -> Result<Question, AppError> {
        self.home()?.suggested.ok_or_else(|| {
            CoreError::NotFound("a question to practice (all are hidden)".into()).into()
        })
    }

    /// One question by id.
    pub fn question(&self, id: &str) -> Result<Question, AppError> {
        let takes = self.takes()?;
        let q = library::find(self.bank()?, takes.store(), id)?;
        self.question_of(&q)
    }

    /// The push-back for follow-up round `index`: the question's own first, then general ones.
    pub fn pushback(&self, question_id: &str, index: u32) -> Result<Option<String>, AppError> {
        let takes = self.takes()?;
        let bank = self.bank()?;
        let q = library::find(bank, takes.store(), question_id)?;
        Ok(practice::pushback(&q, &bank.general_pushbacks, index as usize).map(str::to_string))
    }

    /// The bank's categories, criteria and general push-backs.
    pub fn bank_info(&self) -> Result<BankInfo, AppError> {
        let bank = self.bank()?;
        Ok(BankInfo {
            categories: bank
                .categories
                .iter()
                .map(|c| Category {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    reading: c.reading.clone(),
                    blurb: c.blurb.clone(),
                })
                .collect(),
            criteria: bank::CRITERIA.iter().map(|c| c.to_string()).collect(),
            general_pushbacks: bank.general_pushbacks.clone(),
        })
    }

    /// Every question, shipped and the user's.
    pub fn library(&self) -> Result<Vec<LibraryEntry>, AppError> {
        let takes = self.takes()?;
        let bank = self.bank()?;
        Ok(library::entries(bank, takes.store())?
            .into_iter()
            .map(|e| LibraryEntry {
                question: Question::from_bank(&e.question, bank),
                custom: e.custom,
                hidden: e.hidden,
            })
            .collect())
    }

    /// Adds one of the user's questions.
    pub fn add_question(&self, draft: QuestionDraft) -> Result<Question, AppError> {
        let takes = self.takes()?;
        let q = library::add(self.bank()?, takes.store(), draft.into())?;
        self.question_of(&q)
    }

    /// Edits one of the user's questions.
    pub fn update_question(&self, id: &str, draft: QuestionDraft) -> Result<Question, AppError> {
        let takes = self.takes()?;
        let q = library::update(self.bank()?, takes.store(), id, draft.into())?;
        self.question_of(&q)
    }

    /// Deletes one of the user's questions.
    pub fn delete_question(&self, id: &str) -> Result<(), AppError> {
        let takes = self.takes()?;
        Ok(library::delete(self.bank()?, takes.store(), id)?)
    }

    /// Hides a shipped question, or shows it again.
    pub fn set_question_hidden(&self, id: &str, hidden: bool) -> Result<(), AppError> {
        let takes = self.takes()?;
        Ok(library::set_hidden(
            self.bank()?,
            takes.store(),
            id,
            hidden,
        )?)
    }

    /// Imports TOML text the window read from a file the user picked (the name is for messages).
    pub fn import_questions(&self, file_name: &str, text: &str) -> Result<Vec<Question>, AppError> {
        // Only a display name crosses IPC, never a path: keep its last component.
        let name: String = file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("import.toml")
            .chars()
            .take(100)
            .collect();
        let takes = self.takes()?;
        let imported = library::import_toml(self.bank()?, takes.store(), text, &name)?;
        imported.iter().map(|q| self.question_of(q)).collect()
    }

    /// The user's questions as TOML text (the window offers it as a file).
    pub fn export_questions(&self) -> Result<String, AppError> {
        let takes = self.takes()?;
        Ok(library::export_toml(self.bank()?, takes.store())?)
    }

    /// Starts a mock round with the questions and clock from settings.
    pub fn start_round(&self) -> Result<Round, AppError> {
        let takes = self.takes()?;
        let settings = takes.settings()?;
        let questions = self.practice_questions(&takes)?;
        let last = takes.store().last_practiced()?;
        let picked =
            practice::round_questions(&questions, &last, settings.round_questions as usize);
        if picked.is_empty() {
            return Err(
                CoreError::NotFound("a question to practice (all are hidden)".into()).into(),
            );
        }
        let length_s = settings.round_minutes * 60;
        let id = takes.start_round(picked.len() as u32, length_s)?;
        Ok(Round {
            id,
            questions: picked
                .into_iter()
                .map(|q| self.question_of(q))
                .collect::<Result<_, _>>()?,
            length_s,
        })
    }

    /// Ends a mock round; its answers wait for review.
    pub fn end_round(&self, id: &str) -> Result<(), AppError> {
        Ok(self.takes()?.end_round(id)?)
    }

    /// A page of the answers waiting for review, oldest first, and how many there are.
    pub fn review_queue(&self, offset: u32, limit: u32) -> Result<TakePage, AppError> {
        Ok(self
            .takes()?
            .store()
            .review_queue_page(offset, limit)?
            .into())
    }

    /// The review of one answer: the take, its follow-ups, and delivery metrics from the audio.
    pub fn take_review(&self, answer_id: &str) -> Result<TakeReview, AppError> {
        let takes = self.takes()?;
        let answer = takes.store().take(answer_id)?;
        if answer.parent_id.is_some() {
            return Err(
                CoreError::InvalidInput("open the answer, not one of its replies".into()).into(),
            );
        }
        let metrics = takes.review_metrics(answer_id)?;
        let question = self.question_of(&library::find(
            self.bank()?,
            takes.store(),
            &answer.question_id,
        )?)?;
        Ok(TakeReview {
            question,
            followups: takes
                .store()
                .followups(answer_id)?
                .into_iter()
                .map(Take::from)
                .collect(),
            answer: answer.into(),
            metrics: metrics.into(),
        })
    }

    /// Practice and delivery per week over a period.
    pub fn delivery_by_week(&self, period: ProgressPeriod) -> Result<Vec<WeekDelivery>, AppError> {
        let takes = self.takes()?;
        Ok(candor_core::progress::delivery_by_week(
            takes.store(),
            period.into(),
        )?)
    }

    /// Criterion means and practice per week, the weakest criterion, calibration, practice days.
    pub fn progress_overview(&self, period: ProgressPeriod) -> Result<ProgressOverview, AppError> {
        let takes = self.takes()?;
        let (store, p) = (takes.store(), period.into());
        Ok(ProgressOverview {
            weeks: progress::criteria_by_week(store, p)?,
            weakest: progress::weakest(store, p)?,
            calibration: progress::calibration_by_week(store, p)?,
            days: progress::practice_days(store, p)?,
        })
    }

    /// Every question answered, latest first, with its newest answers and their scores.
    pub fn history(&self, per_question: u32) -> Result<Vec<QuestionHistory>, AppError> {
        Ok(progress::history(self.takes()?.store(), per_question)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// A further page of one question's answers, newest first.
    pub fn question_history(
        &self,
        question_id: &str,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<HistoryTake>, AppError> {
        Ok(
            progress::question_history(self.takes()?.store(), question_id, offset, limit)?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    }

    /// Deletes a take (a re-take), its follow-ups and their audio.
    pub fn discard_take(&self, id: &str) -> Result<(), AppError> {
        Ok(self.takes()?.discard(id)?)
    }

    /// Every take of one question, newest first.
    pub fn question_takes(&self, question_id: &str) -> Result<Vec<Take>, AppError> {
        Ok(self
            .takes()?
            .store()
            .question_takes(question_id)?
            .into_iter()
            .map(Take::from)
            .collect())
    }

    /// Starts a take and a timer that streams levels to the window until capture ends.
    pub fn start_recording(
        &self,
        req: TakeRequest,
        levels: Channel<LevelUpdate>,
    ) -> Result<RecordingStarted, AppError> {
        self.stop_meter();
        let mut takes = self.takes()?;
        library::find(self.bank()?, takes.store(), &req.question_id)?;
        if req.pushback.as_ref().is_some_and(|p| p.len() > 4_000) {
            return Err(CoreError::InvalidInput("that push-back is too long".into()).into());
        }
        let opts = takes.settings()?.capture_options();
        let plan = TakePlan {
            question_id: req.question_id,
            parent_id: req.parent_id,
            pushback: req.pushback,
            round_id: req.round_id,
        };
        let started = takes.start(&plan, &opts, self.level.clone())?;
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
        let mut takes = self.takes()?;
        if !takes.mic_check_running() {
            // Already ended (a take took the microphone over): leave the take's meter alone.
            return Ok(());
        }
        self.stop_meter();
        match takes.stop_mic_check() {
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

    /// The recording and practice settings.
    pub fn settings(&self) -> Result<Settings, AppError> {
        Ok(self.takes()?.settings()?)
    }

    /// Changes the settings (validated in core).
    pub fn set_settings(&self, s: Settings) -> Result<(), AppError> {
        Ok(self.takes()?.set_settings(&s)?)
    }

    /// Stops the running take; a device or write fault comes back as `problem`.
    pub fn stop_recording(&self) -> Result<RecordingStopped, AppError> {
        self.stop_meter();
        let takes = &mut *self.takes()?;
        let stopped = takes.stop()?;
        if stopped.take.frames > 0 {
            // Measured once, as the take stops: milliseconds even for a 45-minute take.
            let _ = takes.analyze(&stopped.take.id);
        }
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

// ---------------------------------------------------------------- your data: export, backup, restore, recordings

/// Passes progress on to the window at most ~30 times a second, and always the last update.
fn throttled(
    channel: Channel<crate::ipc::BackupProgress>,
) -> impl FnMut(candor_core::backup::Progress) {
    let mut last: Option<Instant> = None;
    move |p| {
        let now = Instant::now();
        if p.done >= p.total || last.is_none_or(|t| now - t >= LEVEL_INTERVAL) {
            last = Some(now);
            let _ = channel.send(p.into());
        }
    }
}

/// The Downloads folder, created if missing.
fn downloads() -> Result<std::path::PathBuf, AppError> {
    let dir = candor_core::downloads::downloads_dir()?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| CoreError::io(format!("creating {}", dir.display()), e))?;
    Ok(dir)
}

fn file_name_of(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Takes listed when "Your data" opens (more come a page at a time).
const FIRST_RECORDINGS: u32 = 50;

impl AppState {
    /// Disk use of the recordings, and the backups found in Downloads.
    pub fn data_overview(&self) -> Result<crate::ipc::DataOverview, AppError> {
        let backups = candor_core::downloads::downloads_dir()
            .map(|d| candor_core::backup::find_backups(&d))
            .unwrap_or_default();
        if self.takes().is_err() {
            // The folder could not be opened: a restore is what is left to offer.
            return Ok(crate::ipc::DataOverview {
                recordings: crate::ipc::RecordingsPage {
                    total_kib: 0,
                    total: 0,
                    recordings: Vec::new(),
                },
                backups,
            });
        }
        Ok(crate::ipc::DataOverview {
            recordings: self.recordings(0, FIRST_RECORDINGS)?,
            backups,
        })
    }

    /// The room recordings use, and `limit` takes after the newest `offset` with theirs.
    pub fn recordings(
        &self,
        offset: u32,
        limit: u32,
    ) -> Result<crate::ipc::RecordingsPage, AppError> {
        let takes = self.takes()?;
        let mut page: crate::ipc::RecordingsPage =
            candor_core::recordings::usage(&takes, offset, limit)?.into();
        if let Ok(bank) = self.bank() {
            for r in &mut page.recordings {
                if let Ok(q) = library::find(bank, takes.store(), &r.take.question_id) {
                    r.question = q.prompt;
                }
            }
        }
        Ok(page)
    }

    /// Writes the ratings export to Downloads (never over a file); returns its file name.
    pub fn export_ratings(&self, format: crate::ipc::ExportFormat) -> Result<String, AppError> {
        use crate::ipc::ExportFormat;
        use candor_core::backup::export;
        let e = export::collect(self.takes()?.store())?;
        let (name, text) = match format {
            ExportFormat::Csv => ("candor-ratings.csv", export::to_csv(&e)?),
            ExportFormat::Json => ("candor-ratings.json", export::to_json(&e)? + "\n"),
        };
        let path = candor_core::downloads::save_new(
            &candor_core::downloads::downloads_dir()?,
            name,
            text.as_bytes(),
        )?;
        Ok(file_name_of(&path))
    }

    /// Backs everything up into a new archive in Downloads, with progress; the database stays
    /// usable meanwhile (the snapshot is SQLite's online backup).
    pub fn create_backup(
        &self,
        progress: Channel<crate::ipc::BackupProgress>,
    ) -> Result<crate::ipc::BackupMade, AppError> {
        let dir = self.takes()?.dir().clone();
        let out = candor_core::downloads::unique_path(
            &downloads()?,
            &candor_core::backup::default_file_name(),
        );
        let summary = candor_core::backup::create(&dir, &out, &mut throttled(progress))?;
        Ok(crate::ipc::BackupMade {
            file_name: file_name_of(&out),
            recordings: summary.recordings,
            kib: crate::ipc::kib(summary.bytes),
        })
    }

    /// Restores a backup found in Downloads, named by file name only; checked in full first.
    pub fn restore_backup(
        &self,
        file_name: &str,
        progress: Channel<crate::ipc::BackupProgress>,
    ) -> Result<crate::ipc::Restored, AppError> {
        let dir = downloads()?;
        if !candor_core::backup::find_backups(&dir)
            .iter()
            .any(|n| n == file_name)
        {
            return Err(CoreError::NotFound(format!(
                "The backup '{}' in your Downloads folder",
                file_name.chars().take(80).collect::<String>()
            ))
            .into());
        }
        self.restore_file(&dir.join(file_name), progress)
    }

    /// Restores an archive over the data folder; when the folder could not be opened (a
    /// damaged database, or one from a newer Candor) it is replaced unread and then opened.
    fn restore_file(
        &self,
        archive: &Path,
        progress: Channel<crate::ipc::BackupProgress>,
    ) -> Result<crate::ipc::Restored, AppError> {
        self.stop_meter();
        let mut slot = self.slot();
        let progress = &mut throttled(progress);
        let summary = match &mut *slot {
            Ok(takes) => candor_core::backup::restore_into(takes, archive, progress)?,
            Err(_) => {
                let dir = DataDir::resolve()?;
                let summary = candor_core::backup::restore_unopened(&dir, archive, progress)?;
                *slot = Takes::open(dir)
                    .map(|(takes, _)| takes)
                    .map_err(AppError::from);
                if let Err(e) = &*slot {
                    return Err(e.clone());
                }
                summary
            }
        };
        Ok(crate::ipc::Restored {
            recordings: summary.recordings,
            created_at: summary.created_at,
        })
    }

    /// Asks for a backup with the system's file chooser (the path stays in Rust) and restores
    /// it; `None` when the chooser was cancelled.
    pub fn restore_chosen_backup(
        &self,
        app: &tauri::AppHandle,
        progress: Channel<crate::ipc::BackupProgress>,
    ) -> Result<Option<crate::ipc::Restored>, AppError> {
        use tauri_plugin_dialog::DialogExt;
        let mut picker = app
            .dialog()
            .file()
            .set_title("Choose a Candor backup")
            .add_filter("Candor backup", &[candor_core::backup::BACKUP_EXTENSION]);
        if let Ok(dir) = candor_core::downloads::downloads_dir() {
            picker = picker.set_directory(dir);
        }
        let Some(chosen) = picker.blocking_pick_file() else {
            return Ok(None);
        };
        let path = chosen.into_path().map_err(|e| {
            CoreError::InvalidInput(format!("That file cannot be opened ({e}). Choose another."))
        })?;
        self.restore_file(&path, progress).map(Some)
    }

    /// Deletes a take's audio only; ratings, markers and metrics stay.
    pub fn delete_take_audio(&self, take_id: &str) -> Result<(), AppError> {
        candor_core::recordings::delete_audio(&*self.takes()?, take_id)?;
        Ok(())
    }
}
