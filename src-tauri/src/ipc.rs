//! The types that cross IPC; TypeScript twins are generated from these (see `bindings.ts`).
//! Core's own types cross as they are where the window needs nothing else (ratings, markers,
//! rubric, settings, progress figures: `specta::Type` is derived in core under its `ipc`
//! feature); the types defined here translate (durations from frames, peaks for drawing, error
//! codes, no paths).

use candor_core::{store, CoreError};

pub use candor_core::analysis::Pause;
pub use candor_core::app::data::ExportFormat;
pub use candor_core::app::library::{BankInfo, Category, LibraryEntry, QuestionDraft};
pub use candor_core::app::positions::PositionItem;
pub use candor_core::app::practice::{Home, Question, Round};
pub use candor_core::app::progress::ProgressOverview;
pub use candor_core::app::recording::{LevelUpdate, MicCheck, RecordingStarted, TakeRequest};
pub use candor_core::app::review::Rating;
pub use candor_core::app::transcriber::TranscriptionStatus;
pub use candor_core::app::transcripts::{ModelEntry, OfferedModel, TranscriptMatch};
pub use candor_core::interviewer::ChosenPushback;
pub use candor_core::practice::Suggestion as SuggestionReason;
pub use candor_core::progress::{
    HistoryTake, Period as ProgressPeriod, QuestionHistory, ReviewState,
};
pub use candor_core::store::Position;
pub use candor_core::store::TakeStatus;
pub use candor_core::store::TranscriptFailure;
pub use candor_core::transcribe::download::DownloadProgress;
pub use candor_core::transcribe::{EvidenceHints, Transcript};
pub use candor_core::voice::Spoken;
use serde::Serialize;
use specta::Type;

pub use candor_core::error::ErrorCode;

/// An error as the UI receives it: a code to switch on and a message a person can act on.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AppError {
    /// What kind of failure.
    pub code: ErrorCode,
    /// What happened and what to do, in words.
    pub message: String,
    /// For a refused question file, each problem with its line and column (empty otherwise).
    pub problems: Vec<candor_core::bank::Problem>,
    /// For a refused question of the user's, each problem with its field (empty otherwise).
    pub fields: Vec<candor_core::bank::FieldProblem>,
}

impl AppError {
    /// A failure inside Candor itself.
    pub fn internal(message: String) -> Self {
        AppError {
            code: ErrorCode::Internal,
            message,
            problems: Vec::new(),
            fields: Vec::new(),
        }
    }
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        let problems = match &e {
            CoreError::BadBank { problems, .. } => problems.clone(),
            _ => Vec::new(),
        };
        let fields = match &e {
            CoreError::InvalidQuestion { problems } => problems.clone(),
            _ => Vec::new(),
        };
        AppError {
            code: e.kind(),
            message: e.to_string(),
            problems,
            fields,
        }
    }
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
    /// Why the interviewer asked it (the rule and the reason), when that was kept.
    pub pushback_choice: Option<store::PushbackChoice>,
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
    /// Audio lost while recording: seconds and where (nothing in a healthy take); shown, never silent.
    pub lost: LostAudio,
}

/// Audio a take lost crosses IPC as core defines it (core derives `specta::Type` under its `ipc` feature).
pub use candor_core::audio::{LostAudio, LostSpan};

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
            pushback_choice: t.pushback_choice,
            round_id: t.round_id,
            status: t.status,
            started_at: t.started_at,
            duration_ms: u32::try_from(ms).unwrap_or(u32::MAX),
            device_name: t.device_name,
            error: t.error,
            lost: t.lost,
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
    /// What to say while the microphone gives only silence, in this system's terms.
    pub silence_warning: String,
}

impl From<candor_core::app::Startup> for Startup {
    fn from(s: candor_core::app::Startup) -> Self {
        Startup {
            recovered: s.recovered.into_iter().map(Take::from).collect(),
            data_error: s.problem.map(AppError::from),
            silence_warning: s.silence_warning.to_string(),
        }
    }
}

/// How a take ended: the stored take and, if it ended early, why.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RecordingStopped {
    /// The stored take.
    pub take: Take,
    /// Why it ended early; everything up to then is kept.
    pub problem: Option<AppError>,
}

impl From<candor_core::app::recording::RecordingStopped> for RecordingStopped {
    fn from(s: candor_core::app::recording::RecordingStopped) -> Self {
        RecordingStopped {
            take: s.take.into(),
            problem: s.problem.map(AppError::from),
        }
    }
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

impl From<candor_core::audio::InputDevice> for Device {
    fn from(d: candor_core::audio::InputDevice) -> Self {
        Device {
            id: d.id,
            name: d.name,
            is_default: d.is_default,
        }
    }
}

/// The settings cross IPC as core defines them (validated in core when they are set).
pub use candor_core::settings::Settings;

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

impl Metrics {
    /// The figures with the waveform as drawn (stored beside them when the take stopped).
    fn of(m: candor_core::analysis::SpeechMetrics, peaks: Vec<i16>) -> Self {
        Metrics {
            duration_s: m.duration_s,
            speaking_s: m.speaking_s,
            phonation_ratio: m.phonation_ratio,
            time_to_first_word_s: m.time_to_first_word_s,
            pauses: m.pauses,
            long_pauses: m.long_pauses,
            mean_pause_s: m.mean_pause_s,
            longest_pause_s: m.longest_pause_s,
            pauses_per_min: m.pauses_per_min,
            long_pauses_per_min: m.long_pauses_per_min,
            peaks,
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

impl From<candor_core::app::review::TakeReview> for TakeReview {
    fn from(r: candor_core::app::review::TakeReview) -> Self {
        TakeReview {
            question: r.question,
            answer: r.answer.into(),
            metrics: Metrics::of(r.metrics, r.peaks),
            followups: r.followups.into_iter().map(Take::from).collect(),
        }
    }
}

/// The rubric crosses IPC as core defines it (its parts named Rubric* in TypeScript).
pub use candor_core::rubric::Rubric;

/// The rating types cross IPC as core defines them (core derives `specta::Type` under its `ipc` feature).
pub use candor_core::store::{
    CheckAnswer, CheckMark, CriterionRating, FeelingMark, Marker, RatingInput, RatingKind,
};

// ---------------------------------------------------------------- your data: export, backup, restore, recordings

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

impl RecordingsPage {
    fn of(u: candor_core::recordings::Usage, prompts: Vec<String>) -> Self {
        RecordingsPage {
            total_kib: kib(u.total_bytes),
            total: u.count,
            recordings: u
                .takes
                .into_iter()
                .zip(prompts)
                .map(|(t, question)| RecordingUsage {
                    question,
                    kib: kib(t.bytes),
                    audio_deleted: t.audio_deleted,
                    take: t.take.into(),
                })
                .collect(),
        }
    }
}

impl From<candor_core::app::data::RecordingsPage> for RecordingsPage {
    fn from(p: candor_core::app::data::RecordingsPage) -> Self {
        RecordingsPage::of(p.usage, p.prompts)
    }
}

impl From<candor_core::app::data::DataOverview> for DataOverview {
    fn from(o: candor_core::app::data::DataOverview) -> Self {
        DataOverview {
            recordings: RecordingsPage::of(o.recordings, o.prompts),
            backups: o.backups,
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

impl From<candor_core::app::data::BackupMade> for BackupMade {
    fn from(b: candor_core::app::data::BackupMade) -> Self {
        BackupMade {
            file_name: b.file_name,
            recordings: b.summary.recordings,
            kib: kib(b.summary.bytes),
        }
    }
}

/// A finished restore.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Restored {
    /// Recordings brought back.
    pub recordings: u32,
    /// When the backup was made (UTC, RFC 3339).
    pub created_at: String,
}

impl From<candor_core::backup::RestoreSummary> for Restored {
    fn from(r: candor_core::backup::RestoreSummary) -> Self {
        Restored {
            recordings: r.recordings,
            created_at: r.created_at,
        }
    }
}

// ---- Progress over weeks, history and spaced repetition ----------------------------------

/// The progress figures cross IPC as core defines them (core derives `specta::Type` under its `ipc` feature).
pub use candor_core::progress::{
    CheckTally, CriterionMean, PracticeDay, Weakest, WeekCalibration, WeekDelivery, WeekScores,
};

// ---- Second opinions -----------------------------------------------------------------------

/// Second opinions cross IPC as core defines them (core derives `specta::Type` under its `ipc` feature).
pub use candor_core::app::opinions::{ImportedOpinion, SharedPage};
pub use candor_core::store::{AnchoredScore, CriterionCalibration, Opinion};

/// What came of an answer file dropped on the window: what it added, or why it was refused.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DroppedOpinion {
    /// The bare name of the file dropped (never its folder), to say which one.
    pub file_name: String,
    /// What it added, when it was imported.
    pub imported: Option<ImportedOpinion>,
    /// Why it was refused (nothing was imported).
    pub error: Option<AppError>,
}
