//! The types that cross IPC; TypeScript twins are generated from these (see `bindings.ts`).
//! Core's own types cross as they are where the window needs nothing else (ratings, markers,
//! rubric, settings, progress figures: `specta::Type` is derived in core under its `ipc`
//! feature); the types defined here translate (durations from frames, peaks for drawing, error
//! codes, no paths).

use candor_core::{bank, store, CoreError};
use serde::Serialize;
use specta::Type;

/// Machine codes of errors, so the UI can switch on them.
#[derive(Debug, Clone, Copy, Serialize, Type, PartialEq, Eq)]
pub enum ErrorCode {
    /// No microphone could be opened.
    NoInputDevice,
    /// The microphone vanished mid-take.
    DeviceLost,
    /// The microphone refused to start.
    DeviceError,
    /// A take is already recording.
    AlreadyRecording,
    /// Nothing is recording.
    NotRecording,
    /// The disk is full.
    DiskFull,
    /// A recording reached the file-size limit.
    FileTooLarge,
    /// Writing a recording failed.
    WriteFailed,
    /// An audio file is unreadable.
    BadAudio,
    /// The question bank has errors.
    BadBank,
    /// The database failed.
    Database,
    /// The database is from a newer Candor.
    NewerDatabase,
    /// Something asked for does not exist.
    NotFound,
    /// An argument was invalid.
    InvalidInput,
    /// A backup is damaged or not a Candor backup.
    BadBackup,
    /// A backup is from a newer Candor.
    NewerBackup,
    /// Another I/O failure.
    Io,
    /// A failure inside Candor itself (a bug), not caused by the user's input or machine.
    Internal,
    /// The database file is damaged; nothing was changed.
    CorruptDatabase,
    /// A take's recording is damaged (the other takes are fine).
    DamagedTake,
}

/// An error as the UI receives it: a code to switch on and a message a person can act on.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AppError {
    /// What kind of failure.
    pub code: ErrorCode,
    /// What happened and what to do, in words.
    pub message: String,
}

impl AppError {
    /// A failure inside Candor itself.
    pub fn internal(message: String) -> Self {
        AppError {
            code: ErrorCode::Internal,
            message,
        }
    }
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        let code = match &e {
            CoreError::NoInputDevice => ErrorCode::NoInputDevice,
            CoreError::DeviceLost(_) => ErrorCode::DeviceLost,
            CoreError::DeviceError(_) => ErrorCode::DeviceError,
            CoreError::AlreadyRecording => ErrorCode::AlreadyRecording,
            CoreError::NotRecording => ErrorCode::NotRecording,
            CoreError::DiskFull => ErrorCode::DiskFull,
            CoreError::FileTooLarge => ErrorCode::FileTooLarge,
            CoreError::WriteFailed(_) => ErrorCode::WriteFailed,
            CoreError::BadAudio { .. } => ErrorCode::BadAudio,
            CoreError::BadBank { .. } => ErrorCode::BadBank,
            CoreError::Database(_) => ErrorCode::Database,
            CoreError::NewerDatabase { .. } => ErrorCode::NewerDatabase,
            CoreError::NotFound(_) => ErrorCode::NotFound,
            CoreError::InvalidInput(_) => ErrorCode::InvalidInput,
            CoreError::BadBackup(_) => ErrorCode::BadBackup,
            CoreError::NewerBackup(_) => ErrorCode::NewerBackup,
            CoreError::Io { .. } => ErrorCode::Io,
            CoreError::CorruptDatabase { .. } => ErrorCode::CorruptDatabase,
            CoreError::DamagedTake { .. } => ErrorCode::DamagedTake,
        };
        AppError {
            code,
            message: e.to_string(),
        }
    }
}

/// A question as shown on the practice card.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Question {
    /// Stable id.
    pub id: String,
    /// The question as asked.
    pub prompt: String,
    /// Category key.
    pub category: String,
    /// Category display name.
    pub category_name: String,
    /// The reading it comes from.
    pub reading: String,
    /// Criteria it mostly probes.
    pub criteria: Vec<String>,
    /// Interviewer follow-ups.
    pub pushbacks: Vec<String>,
}

impl Question {
    /// Translates a bank question, naming its category.
    pub fn from_bank(q: &bank::Question, bank: &bank::Bank) -> Self {
        let category_name = bank
            .categories
            .iter()
            .find(|c| c.id == q.category)
            .map_or_else(|| q.category.clone(), |c| c.name.clone());
        Question {
            id: q.id.clone(),
            prompt: q.prompt.clone(),
            category: q.category.clone(),
            category_name,
            reading: q.reading.clone(),
            criteria: q.criteria.clone(),
            pushbacks: q.pushbacks.clone(),
        }
    }
}

/// Recording status of a take.
#[derive(Debug, Clone, Copy, Serialize, Type, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TakeStatus {
    /// Recording now.
    Recording,
    /// Stopped normally.
    Complete,
    /// Ended early; what was written is kept.
    Interrupted,
    /// Recovered after a crash.
    Recovered,
}

/// A take as listed in the window.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Take {
    /// Stable id, used to fetch its audio.
    pub id: String,
    /// The question answered.
    pub question_id: String,
    /// The answer this follow-up replies to.
    pub parent_id: Option<String>,
    /// The push-back this follow-up replies to.
    pub pushback: Option<String>,
    /// The mock round it belongs to.
    pub round_id: Option<String>,
    /// Recording status.
    pub status: TakeStatus,
    /// When it started (UTC, ISO 8601).
    pub started_at: String,
    /// Length in milliseconds.
    pub duration_ms: u32,
    /// Input device used.
    pub device_name: Option<String>,
    /// Why it ended early.
    pub error: Option<String>,
}

/// A page of a long list of takes, and how many the whole list holds.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TakePage {
    /// Takes in the whole list.
    pub total: u32,
    /// This page's takes.
    pub takes: Vec<Take>,
}

impl From<store::TakePage> for TakePage {
    fn from(p: store::TakePage) -> Self {
        TakePage {
            total: p.total,
            takes: p.takes.into_iter().map(Take::from).collect(),
        }
    }
}

impl From<store::TakeRow> for Take {
    fn from(t: store::TakeRow) -> Self {
        let ms = t.frames.saturating_mul(1000) / u64::from(t.sample_rate.max(1));
        Take {
            id: t.id,
            question_id: t.question_id,
            parent_id: t.parent_id,
            pushback: t.pushback,
            round_id: t.round_id,
            status: match t.status {
                store::TakeStatus::Recording => TakeStatus::Recording,
                store::TakeStatus::Complete => TakeStatus::Complete,
                store::TakeStatus::Interrupted => TakeStatus::Interrupted,
                store::TakeStatus::Recovered => TakeStatus::Recovered,
            },
            started_at: t.started_at,
            duration_ms: u32::try_from(ms).unwrap_or(u32::MAX),
            device_name: t.device_name,
            error: t.error,
        }
    }
}

/// What the window learns at start-up.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Startup {
    /// Takes a crash left unfinished that were repaired and kept.
    pub recovered: Vec<Take>,
    /// Why the data folder cannot be used, if it cannot (the app still opens).
    pub data_error: Option<AppError>,
}

/// The device a take records from, shown beside the recording indicator.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RecordingStarted {
    /// The new take's id.
    pub take_id: String,
    /// Device name.
    pub device_name: String,
    /// True when the chosen device was missing and the default is used.
    pub fell_back: bool,
}

/// How a take ended: the stored take and, if it ended early, why.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RecordingStopped {
    /// The stored take.
    pub take: Take,
    /// Why it ended early; everything up to then is kept.
    pub problem: Option<AppError>,
}

/// One level-meter update, sent at most ~30 times a second over a channel.
#[derive(Debug, Clone, Serialize, Type)]
pub struct LevelUpdate {
    /// Peak since the previous update, in thousandths of full scale (0..=1000).
    pub peak_milli: u16,
    /// RMS of the latest buffer, in thousandths of full scale.
    pub rms_milli: u16,
    /// Milliseconds of audio recorded so far.
    pub elapsed_ms: u32,
    /// True while the input has stayed below the silence floor for 3 s.
    pub silent: bool,
    /// True on the last update: capture ended (stop, or by itself after a device fault).
    pub ended: bool,
}

/// An input device in the picker.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Device {
    /// Stable id, kept in settings.
    pub id: String,
    /// Name shown.
    pub name: String,
    /// Whether it is the system default.
    pub is_default: bool,
}

/// The settings cross IPC as core defines them (validated in core when they are set).
pub use candor_core::settings::Settings;

/// A category of the bank.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Category {
    /// Stable key.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The reading it follows.
    pub reading: String,
    /// What it practices.
    pub blurb: String,
}

/// The bank's fixed vocabulary: categories, criteria keys, general push-backs.
#[derive(Debug, Clone, Serialize, Type)]
pub struct BankInfo {
    /// Categories in order.
    pub categories: Vec<Category>,
    /// Criterion keys.
    pub criteria: Vec<String>,
    /// Push-backs that fit any question.
    pub general_pushbacks: Vec<String>,
}

/// A question in the library.
#[derive(Debug, Clone, Serialize, Type)]
pub struct LibraryEntry {
    /// The question.
    pub question: Question,
    /// The user's own (editable) question.
    pub custom: bool,
    /// A shipped question hidden from practice.
    pub hidden: bool,
}

/// A question as the user writes it (Candor makes the id).
#[derive(Debug, Clone, serde::Deserialize, Type)]
pub struct QuestionDraft {
    /// Category key.
    pub category: String,
    /// The reading it comes from.
    pub reading: String,
    /// The question.
    pub prompt: String,
    /// Criteria it probes.
    pub criteria: Vec<String>,
    /// Push-backs (at least one).
    pub pushbacks: Vec<String>,
}

impl From<QuestionDraft> for candor_core::library::Draft {
    fn from(d: QuestionDraft) -> Self {
        candor_core::library::Draft {
            category: d.category,
            reading: d.reading,
            prompt: d.prompt,
            criteria: d.criteria,
            pushbacks: d.pushbacks,
        }
    }
}

/// What a new take answers.
#[derive(Debug, Clone, serde::Deserialize, Type)]
pub struct TakeRequest {
    /// The question.
    pub question_id: String,
    /// For a follow-up: the answer it replies to.
    pub parent_id: Option<String>,
    /// For a follow-up: the push-back shown.
    pub pushback: Option<String>,
    /// The mock round, if any.
    pub round_id: Option<String>,
}

/// What Home shows.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Home {
    /// The question to practice next.
    pub suggested: Option<Question>,
    /// Answers waiting for review.
    pub waiting_for_review: u32,
    /// Answers recorded so far.
    pub answers: u32,
    /// Why `suggested` was chosen.
    pub suggested_reason: Option<SuggestionReason>,
    /// Questions due for practice by the end of today.
    pub due_today: u32,
    /// Days in a row with practice, up to today (or yesterday, before today's first answer).
    pub streak_days: u32,
}

/// A mock round about to be played.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Round {
    /// Its id (takes are tagged with it).
    pub id: String,
    /// The questions, in order.
    pub questions: Vec<Question>,
    /// The round clock in seconds.
    pub length_s: u32,
}

/// A running mic check: the device it listens to.
#[derive(Debug, Clone, Serialize, Type)]
pub struct MicCheck {
    /// Device name.
    pub device_name: String,
    /// True when the chosen device was missing and the default is used.
    pub fell_back: bool,
}

/// A stretch of silence in a take, in seconds from its start.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Pause {
    /// Where the silence starts.
    pub start_s: f64,
    /// Where speech resumes.
    pub end_s: f64,
}

/// How delivery was measured, shown in the "how is this measured" panel.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Measurement {
    /// Frame length in seconds (energy is measured per frame).
    pub frame_s: f64,
    /// Noise floor of this take, dBFS.
    pub noise_floor_db: f64,
    /// Speech level of this take, dBFS.
    pub speech_level_db: f64,
    /// Threshold between silence and speech used for this take, dBFS.
    pub threshold_db: f64,
    /// Percentile of frame energy taken as the noise floor.
    pub noise_percentile: f64,
    /// Percentile taken as the speech level.
    pub speech_percentile: f64,
    /// Where the threshold sits between the two, as a fraction of the dB distance.
    pub threshold_fraction: f64,
    /// Shortest silence counted as a pause, seconds.
    pub min_pause_s: f64,
    /// Shortest pause counted as long, seconds.
    pub long_pause_s: f64,
}

/// Delivery metrics of a take, measured from its WAV.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Metrics {
    /// Length in seconds.
    pub duration_s: f64,
    /// Seconds of speech.
    pub speaking_s: f64,
    /// Speaking time over the span from first to last word.
    pub phonation_ratio: f64,
    /// Seconds before the first word, if there was speech.
    pub time_to_first_word_s: Option<f64>,
    /// Pauses of 0.25 s or more.
    pub pauses: Vec<Pause>,
    /// Pauses of 2 s or more.
    pub long_pauses: Vec<Pause>,
    /// Mean pause, seconds.
    pub mean_pause_s: f64,
    /// Longest pause, seconds.
    pub longest_pause_s: f64,
    /// Pauses per minute of speech span.
    pub pauses_per_min: f64,
    /// Long pauses per minute of speech span.
    pub long_pauses_per_min: f64,
    /// Waveform for drawing: absolute peaks (0..=32767), evenly spread over the take.
    pub peaks: Vec<i16>,
    /// How it was measured.
    pub measurement: Measurement,
}

impl From<candor_core::analysis::SpeechMetrics> for Metrics {
    fn from(m: candor_core::analysis::SpeechMetrics) -> Self {
        let pause = |p: &candor_core::analysis::Pause| Pause {
            start_s: p.start_s,
            end_s: p.end_s,
        };
        Metrics {
            duration_s: m.duration_s,
            speaking_s: m.speaking_s,
            phonation_ratio: m.phonation_ratio,
            time_to_first_word_s: m.time_to_first_word_s,
            pauses: m.pauses.iter().map(pause).collect(),
            long_pauses: m.long_pauses.iter().map(pause).collect(),
            mean_pause_s: m.mean_pause_s,
            longest_pause_s: m.longest_pause_s,
            pauses_per_min: m.pauses_per_min,
            long_pauses_per_min: m.long_pauses_per_min,
            peaks: candor_core::analysis::display_peaks(&m.peaks, 1600),
            measurement: Measurement {
                frame_s: m.frame_s,
                noise_floor_db: m.noise_floor_db,
                speech_level_db: m.speech_level_db,
                threshold_db: m.threshold_db,
                noise_percentile: m.params.noise_percentile,
                speech_percentile: m.params.speech_percentile,
                threshold_fraction: m.params.threshold_fraction,
                min_pause_s: m.params.min_pause_s,
                long_pause_s: m.params.long_pause_s,
            },
        }
    }
}

/// Everything the review of one answer needs: the take, its follow-ups and their metrics.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TakeReview {
    /// The question answered.
    pub question: Question,
    /// The answer.
    pub answer: Take,
    /// Its metrics.
    pub metrics: Metrics,
    /// The replies to push-backs, in order.
    pub followups: Vec<Take>,
}

/// How far back the progress screen looks.
#[derive(Debug, Clone, Copy, serde::Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ProgressPeriod {
    /// The last 4 weeks.
    FourWeeks,
    /// The last 3 months.
    ThreeMonths,
    /// Everything.
    AllTime,
}

impl From<ProgressPeriod> for candor_core::progress::Period {
    fn from(p: ProgressPeriod) -> Self {
        match p {
            ProgressPeriod::FourWeeks => candor_core::progress::Period::FourWeeks,
            ProgressPeriod::ThreeMonths => candor_core::progress::Period::ThreeMonths,
            ProgressPeriod::AllTime => candor_core::progress::Period::AllTime,
        }
    }
}

/// The rubric crosses IPC as core defines it (its parts named Rubric* in TypeScript).
pub use candor_core::rubric::Rubric;

/// The rating types cross IPC as core defines them (core derives `specta::Type` under its `ipc` feature).
pub use candor_core::store::{
    CheckAnswer, CheckMark, CriterionRating, FeelingMark, Marker, RatingInput, RatingKind,
};

/// A stored rating.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Rating {
    /// Stable id.
    pub id: String,
    /// Whether it is still a draft.
    pub draft: bool,
    /// When it was saved.
    pub saved_at: Option<String>,
    /// What was entered.
    pub input: RatingInput,
}

impl From<store::Rating> for Rating {
    fn from(r: store::Rating) -> Self {
        Rating {
            id: r.id,
            draft: r.status == store::RatingStatus::Draft,
            saved_at: r.saved_at,
            input: r.input,
        }
    }
}

// ---------------------------------------------------------------- your data: export, backup, restore, recordings

/// Which file an export writes.
#[derive(Debug, Clone, Copy, serde::Deserialize, Type)]
pub enum ExportFormat {
    /// `candor-ratings.csv`, one row per saved rating.
    Csv,
    /// `candor-ratings.json`, one object per take.
    Json,
}

/// One take's recording on disk, for the list of recordings.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RecordingUsage {
    /// The take.
    pub take: Take,
    /// The prompt of the question it answers (its id if the question is gone).
    pub question: String,
    /// Room its audio uses, in KiB (rounded up; 0 without audio).
    pub kib: u32,
    /// The take had audio that is gone (deleted by the user); its ratings are kept.
    pub audio_deleted: bool,
}

/// The recordings on disk: the room they use in all, and a page of takes.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RecordingsPage {
    /// Room all recordings use, in KiB.
    pub total_kib: u32,
    /// Takes in all.
    pub total: u32,
    /// This page's takes, newest first.
    pub recordings: Vec<RecordingUsage>,
}

/// What the "Your data" screen shows.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DataOverview {
    /// The recordings, with the first page of takes.
    pub recordings: RecordingsPage,
    /// Backups found in the Downloads folder, by file name, newest name first.
    pub backups: Vec<String>,
}

impl From<candor_core::recordings::Usage> for RecordingsPage {
    fn from(u: candor_core::recordings::Usage) -> Self {
        RecordingsPage {
            total_kib: kib(u.total_bytes),
            total: u.count,
            recordings: u
                .takes
                .into_iter()
                .map(|t| RecordingUsage {
                    question: t.take.question_id.clone(),
                    kib: kib(t.bytes),
                    audio_deleted: t.audio_deleted,
                    take: t.take.into(),
                })
                .collect(),
        }
    }
}

/// Bytes as KiB, rounded up, saturating (4 TiB is far beyond any recording folder).
pub fn kib(bytes: u64) -> u32 {
    u32::try_from(bytes.div_ceil(1024)).unwrap_or(u32::MAX)
}

/// How far a backup or restore has got (sent at most ~30 times a second).
#[derive(Debug, Clone, Serialize, Type)]
pub struct BackupProgress {
    /// KiB done.
    pub done_kib: u32,
    /// KiB in all.
    pub total_kib: u32,
}

impl From<candor_core::backup::Progress> for BackupProgress {
    fn from(p: candor_core::backup::Progress) -> Self {
        BackupProgress {
            done_kib: kib(p.done),
            total_kib: kib(p.total),
        }
    }
}

/// A finished backup.
#[derive(Debug, Clone, Serialize, Type)]
pub struct BackupMade {
    /// The archive's file name in the Downloads folder.
    pub file_name: String,
    /// Recordings it holds.
    pub recordings: u32,
    /// Its size in KiB.
    pub kib: u32,
}

/// A finished restore.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Restored {
    /// Recordings brought back.
    pub recordings: u32,
    /// When the backup was made (UTC, RFC 3339).
    pub created_at: String,
}

// ---- Progress over weeks, history and spaced repetition ----------------------------------

/// Why Home suggests its question.
#[derive(Debug, Clone, Copy, Serialize, Type, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionReason {
    /// Its spaced-repetition card is due.
    Due,
    /// Never practised.
    New,
    /// Nothing due, everything practised: the least recently practised.
    LeastRecent,
}

impl From<candor_core::practice::Suggestion> for SuggestionReason {
    fn from(s: candor_core::practice::Suggestion) -> Self {
        match s {
            candor_core::practice::Suggestion::Due => SuggestionReason::Due,
            candor_core::practice::Suggestion::New => SuggestionReason::New,
            candor_core::practice::Suggestion::LeastRecent => SuggestionReason::LeastRecent,
        }
    }
}

/// The progress figures cross IPC as core defines them (core derives `specta::Type` under its `ipc` feature).
pub use candor_core::progress::{
    CheckTally, CriterionMean, PracticeDay, Weakest, WeekCalibration, WeekDelivery, WeekScores,
};

/// Everything the progress screen shows for a period.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ProgressOverview {
    /// Practice and criterion means per week, oldest first.
    pub weeks: Vec<WeekScores>,
    /// The weakest criterion, if anything was reviewed.
    pub weakest: Option<Weakest>,
    /// Calibration per week, oldest first.
    pub calibration: Vec<WeekCalibration>,
    /// Days with practice, oldest first.
    pub days: Vec<PracticeDay>,
}

/// Where an answer is in its review.
#[derive(Debug, Clone, Copy, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Not reviewed yet.
    Waiting,
    /// Review left as a draft.
    Draft,
    /// Reviewed.
    Reviewed,
}

/// One answer in the history.
#[derive(Debug, Clone, Serialize, Type)]
pub struct HistoryTake {
    /// Take id.
    pub id: String,
    /// Question answered.
    pub question_id: String,
    /// When it was recorded (UTC, ISO 8601).
    pub started_at: String,
    /// Length in milliseconds.
    pub duration_ms: u32,
    /// Recording status.
    pub status: TakeStatus,
    /// Review state.
    pub review: ReviewState,
    /// Follow-up replies.
    pub followups: u32,
    /// Latest review's scores, rubric order (null where not scored).
    pub scores: Vec<Option<u8>>,
}

/// One question in the history: how many answers, when last, and its newest answers.
#[derive(Debug, Clone, Serialize, Type)]
pub struct QuestionHistory {
    /// Question answered.
    pub question_id: String,
    /// Answers to it, in all.
    pub answers: u32,
    /// When it was last answered (UTC, ISO 8601).
    pub last_at: String,
    /// Its newest answers, newest first; more come from `question_history`.
    pub takes: Vec<HistoryTake>,
}

impl From<candor_core::progress::QuestionHistory> for QuestionHistory {
    fn from(q: candor_core::progress::QuestionHistory) -> Self {
        QuestionHistory {
            question_id: q.question_id,
            answers: q.answers,
            last_at: q.last_at,
            takes: q.takes.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<candor_core::progress::HistoryTake> for HistoryTake {
    fn from(t: candor_core::progress::HistoryTake) -> Self {
        use candor_core::progress::ReviewState as R;
        HistoryTake {
            id: t.id,
            question_id: t.question_id,
            started_at: t.started_at,
            duration_ms: u32::try_from(t.duration_ms).unwrap_or(u32::MAX),
            status: match t.status {
                store::TakeStatus::Recording => TakeStatus::Recording,
                store::TakeStatus::Complete => TakeStatus::Complete,
                store::TakeStatus::Interrupted => TakeStatus::Interrupted,
                store::TakeStatus::Recovered => TakeStatus::Recovered,
            },
            review: match t.review {
                R::Waiting => ReviewState::Waiting,
                R::Draft => ReviewState::Draft,
                R::Reviewed => ReviewState::Reviewed,
            },
            followups: t.followups,
            scores: t.scores,
        }
    }
}
