//! Typed errors of the core, each with a stable code the UI can switch on.

use std::path::PathBuf;

/// Declares the error codes once, with their names as text.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// Machine codes of errors, one per kind, so the window can switch on them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
        #[cfg_attr(feature = "ipc", derive(specta::Type))]
        pub enum ErrorCode {
            $($(#[$doc])* $name,)*
        }

        impl ErrorCode {
            /// The code as text (as it crosses IPC and appears in tests).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$name => stringify!($name),)*
                }
            }
        }
    };
}

error_codes! {
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
    /// A speech model file is missing, damaged or not a model Candor can use.
    BadModel,
    /// The speech model failed on a recording.
    TranscriptionFailed,
    /// A download the user asked for could not reach its server or was cut off.
    Network,
    /// The computer's speech service cannot speak (missing, or it failed).
    NoVoice,
    /// A second opinion's answer file was refused (damaged, changed, or for other audio).
    BadOpinion,
    /// The user stopped what was running.
    Cancelled,
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
    /// Another process uses the data folder; nothing was changed.
    FolderBusy,
}

/// Every failure the core reports; `code()` gives the machine-readable kind.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// No input device could be opened at all.
    #[error("No microphone is available. Connect or enable a microphone (check the system sound settings), then try again.")]
    NoInputDevice,
    /// The device opened but failed while recording (unplugged, server gone, silent callback).
    #[error("The microphone stopped sending audio ({0}). What was recorded up to then is kept.")]
    DeviceLost(String),
    /// The device refused the stream or its configuration.
    #[error("The microphone could not be started: {0}")]
    DeviceError(String),
    /// A recording is already running; only one take at a time.
    #[error("A recording is already in progress.")]
    AlreadyRecording,
    /// Stop was asked for while nothing was recording.
    #[error("Nothing is being recorded.")]
    NotRecording,
    /// The disk is full: the partial take is kept.
    #[error(
        "The disk is full. What was recorded up to then is kept; free some space to record again."
    )]
    DiskFull,
    /// The disk filled up during something other than a recording (opening the data, a backup,
    /// a restore, an export); same code as `DiskFull`, with what was and was not written.
    #[error("{}", disk_full_message(.doing, .outcome))]
    DiskFullWhile {
        /// What could not be finished, e.g. "the backup".
        doing: String,
        /// What was and was not written, as a sentence (may be empty when unknown).
        outcome: String,
    },
    /// The recording reached the largest file size the system allows.
    #[error("The recording reached the largest file size this system allows. What was recorded up to then is kept.")]
    FileTooLarge,
    /// Writing the recording failed for a reason other than a full disk.
    #[error("Could not write the recording: {0}. What was recorded up to then is kept.")]
    WriteFailed(String),
    /// A WAV file could not be read or is not a format Candor reads.
    #[error("{path}: {reason}")]
    BadAudio {
        /// The file that was read.
        path: PathBuf,
        /// Why it was refused, in words.
        reason: String,
    },
    /// A download the user asked for failed on the network; what came is kept for next time.
    #[error("{0}")]
    Network(String),
    /// The speech service cannot speak; the message says why and what to do.
    #[error("{0}")]
    NoVoice(String),
    /// An answer file from an outside rater was refused; the message says why, and that
    /// nothing was changed.
    #[error("{0}")]
    BadOpinion(String),
    /// The user stopped it; the message says what was kept.
    #[error("{0}")]
    Cancelled(String),
    /// The speech model failed on a recording (whisper.cpp gave up); the recording is untouched.
    #[error("The speech model {model} could not transcribe this recording ({reason}). The recording is untouched; try again, or another model.")]
    TranscriptionFailed {
        /// The model, by file name.
        model: String,
        /// What whisper.cpp said.
        reason: String,
    },
    /// A speech model could not be used: missing, truncated, or not a whisper.cpp model.
    #[error("{file}: {reason}")]
    BadModel {
        /// The model file, by name.
        file: String,
        /// Why it was refused, in words a person can act on.
        reason: String,
    },
    /// The question bank or rubric file has errors, each located in the file; shown one a line.
    #[error("{}", crate::bank::render_problems(file, problems))]
    BadBank {
        /// The file, as the user named it.
        file: String,
        /// What is wrong, each with its line and column (line 0: the whole file).
        problems: Vec<crate::bank::Problem>,
    },
    /// The database file could not be opened or used.
    #[error("The database could not be used: {0}")]
    Database(String),
    /// The database was written by a newer Candor; it is left untouched.
    #[error("This data was written by a newer version of Candor (schema {found}, this version knows {known}). Update Candor to open it, or restore a backup made with this version. Nothing was changed.")]
    NewerDatabase {
        /// Schema version found in the file.
        found: i64,
        /// Newest schema version this build knows.
        known: i64,
    },
    /// The database file is damaged (not SQLite, truncated, or failing its integrity check).
    #[error("Your Candor data file is damaged and can't be opened ({detail}). Nothing was changed. You can restore it from a backup.")]
    CorruptDatabase {
        /// What SQLite reported.
        detail: String,
    },
    /// A backup was asked for while the database fails its check: a backup of it could never be
    /// restored, so none is made (same code as `CorruptDatabase`).
    #[error("Your Candor data file is damaged ({detail}), so no backup was made: a backup of it could not be restored. Close Candor and repair the file with SQLite's recovery (sqlite3 candor.db \".recover\" | sqlite3 repaired.db, then put repaired.db in place of candor.db), or restore an earlier backup. Nothing was changed.")]
    DamagedNotBackedUp {
        /// What SQLite reported.
        detail: String,
    },
    /// A take's recording is damaged: it can be neither measured nor played.
    #[error("The recording of this answer is damaged and can't be played. Your other answers are fine. You can remove this one and answer the question again.")]
    DamagedTake {
        /// Why the file was refused, for logs and tests (not shown: it is technical).
        reason: String,
    },
    /// Something asked for by id does not exist.
    #[error("{0} was not found.")]
    NotFound(String),
    /// An argument was out of range or malformed.
    #[error("{0}")]
    InvalidInput(String),
    /// A question the user wrote was refused: each problem with the field it is about (same code
    /// as `InvalidInput`).
    #[error("{}", problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("; "))]
    InvalidQuestion {
        /// What is wrong, field by field.
        problems: Vec<crate::bank::FieldProblem>,
    },
    /// A backup archive is damaged, truncated or not a Candor backup; nothing was changed.
    #[error(
        "This backup cannot be restored: {0}. Nothing was changed; try another copy of the backup."
    )]
    BadBackup(String),
    /// A backup archive was made by a newer Candor; nothing was changed.
    #[error("This backup was made by a newer version of Candor ({0}). Update Candor to restore it; nothing was changed.")]
    NewerBackup(String),
    /// Another process uses the data folder, so this cannot be done now; nothing was changed.
    #[error("{0}")]
    FolderBusy(String),
    /// The data folder could not be opened earlier (the first failure, repeated for each use).
    #[error("{message}")]
    Unavailable {
        /// The code of the first failure.
        code: ErrorCode,
        /// Its message.
        message: String,
    },
    /// Any other I/O failure, with what was being done.
    #[error("{context}: {source}")]
    Io {
        /// What Candor was doing.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl CoreError {
    /// A full disk while `doing` something other than recording; `outcome` says what was and
    /// was not written.
    pub fn disk_full(doing: impl Into<String>, outcome: impl Into<String>) -> Self {
        CoreError::DiskFullWhile {
            doing: doing.into(),
            outcome: outcome.into(),
        }
    }

    /// True for either kind of full disk.
    pub fn is_disk_full(&self) -> bool {
        matches!(self, CoreError::DiskFull | CoreError::DiskFullWhile { .. })
    }

    /// A full disk met while `doing` something is re-worded with what was and was not written;
    /// any other error passes unchanged.
    pub fn when_disk_full(self, doing: &str, outcome: &str) -> Self {
        if self.is_disk_full() {
            CoreError::disk_full(doing, outcome)
        } else {
            self
        }
    }

    /// The stable machine code of this error, shared with the UI.
    pub fn code(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The kind of this error, which the window switches on.
    pub fn kind(&self) -> ErrorCode {
        match self {
            CoreError::NoInputDevice => ErrorCode::NoInputDevice,
            CoreError::DeviceLost(_) => ErrorCode::DeviceLost,
            CoreError::DeviceError(_) => ErrorCode::DeviceError,
            CoreError::AlreadyRecording => ErrorCode::AlreadyRecording,
            CoreError::NotRecording => ErrorCode::NotRecording,
            CoreError::DiskFull | CoreError::DiskFullWhile { .. } => ErrorCode::DiskFull,
            CoreError::FileTooLarge => ErrorCode::FileTooLarge,
            CoreError::WriteFailed(_) => ErrorCode::WriteFailed,
            CoreError::BadAudio { .. } => ErrorCode::BadAudio,
            CoreError::BadBank { .. } => ErrorCode::BadBank,
            CoreError::BadModel { .. } => ErrorCode::BadModel,
            CoreError::TranscriptionFailed { .. } => ErrorCode::TranscriptionFailed,
            CoreError::Network(_) => ErrorCode::Network,
            CoreError::NoVoice(_) => ErrorCode::NoVoice,
            CoreError::BadOpinion(_) => ErrorCode::BadOpinion,
            CoreError::Cancelled(_) => ErrorCode::Cancelled,
            CoreError::Database(_) => ErrorCode::Database,
            CoreError::NewerDatabase { .. } => ErrorCode::NewerDatabase,
            CoreError::CorruptDatabase { .. } | CoreError::DamagedNotBackedUp { .. } => {
                ErrorCode::CorruptDatabase
            }
            CoreError::DamagedTake { .. } => ErrorCode::DamagedTake,
            CoreError::NotFound(_) => ErrorCode::NotFound,
            CoreError::InvalidInput(_) | CoreError::InvalidQuestion { .. } => {
                ErrorCode::InvalidInput
            }
            CoreError::BadBackup(_) => ErrorCode::BadBackup,
            CoreError::NewerBackup(_) => ErrorCode::NewerBackup,
            CoreError::FolderBusy(_) => ErrorCode::FolderBusy,
            CoreError::Unavailable { code, .. } => *code,
            CoreError::Io { .. } => ErrorCode::Io,
        }
    }

    /// Wraps an I/O error with what was being done, mapping a full disk to `DiskFullWhile`.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        if is_disk_full(&source) {
            return CoreError::disk_full(context, "");
        }
        if is_file_too_large(&source) {
            return CoreError::FileTooLarge;
        }
        CoreError::Io {
            context: context.into(),
            source,
        }
    }
}

/// The words of `DiskFullWhile`: what could not be finished, what was written, what to do.
fn disk_full_message(doing: &str, outcome: &str) -> String {
    let mut m = format!("The disk is full, so {doing} could not be finished.");
    if !outcome.is_empty() {
        m.push(' ');
        m.push_str(outcome);
    }
    m.push_str(" Free some space, then try again.");
    m
}

/// True when an I/O error means the disk (or the user's quota) has no room left.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    )
}

/// True when a write failed because the file reached the largest size allowed.
pub fn is_file_too_large(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::FileTooLarge)
}

/// Makes a write past the file-size limit fail with an error instead of killing the process.
///
/// By default SIGXFSZ terminates the process, losing the take's final header update;
/// with a handler installed the write returns EFBIG and the take is closed cleanly.
/// Windows has no such signal (a write past a limit just fails), so there it does nothing.
pub fn survive_file_size_limit() {
    #[cfg(unix)]
    {
        let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        // Registration only fails for forbidden signals; SIGXFSZ is not one of them.
        let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, flag);
    }
}

/// True when SQLite reports that the disk has no room left (`SQLITE_FULL`).
pub fn is_sqlite_full(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DiskFull)
}

impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> Self {
        if is_sqlite_full(&e) {
            // SQLite rolls back the statement or transaction that ran out of room.
            return CoreError::disk_full(
                "saving to your Candor data",
                "The change that needed the room was not saved; everything saved before is intact.",
            );
        }
        CoreError::Database(e.to_string())
    }
}

/// Result type of the core.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
