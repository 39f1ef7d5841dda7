//! Typed errors of the core, each with a stable code the UI can switch on.

use std::path::PathBuf;

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
    /// A backup archive is damaged, truncated or not a Candor backup; nothing was changed.
    #[error(
        "This backup cannot be restored: {0}. Nothing was changed; try another copy of the backup."
    )]
    BadBackup(String),
    /// A backup archive was made by a newer Candor; nothing was changed.
    #[error("This backup was made by a newer version of Candor ({0}). Update Candor to restore it; nothing was changed.")]
    NewerBackup(String),
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
    /// The stable machine code of this error, shared with the UI.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::NoInputDevice => "NoInputDevice",
            CoreError::DeviceLost(_) => "DeviceLost",
            CoreError::DeviceError(_) => "DeviceError",
            CoreError::AlreadyRecording => "AlreadyRecording",
            CoreError::NotRecording => "NotRecording",
            CoreError::DiskFull => "DiskFull",
            CoreError::FileTooLarge => "FileTooLarge",
            CoreError::WriteFailed(_) => "WriteFailed",
            CoreError::BadAudio { .. } => "BadAudio",
            CoreError::BadBank { .. } => "BadBank",
            CoreError::Database(_) => "Database",
            CoreError::NewerDatabase { .. } => "NewerDatabase",
            CoreError::CorruptDatabase { .. } => "CorruptDatabase",
            CoreError::DamagedTake { .. } => "DamagedTake",
            CoreError::NotFound(_) => "NotFound",
            CoreError::InvalidInput(_) => "InvalidInput",
            CoreError::BadBackup(_) => "BadBackup",
            CoreError::NewerBackup(_) => "NewerBackup",
            CoreError::Io { .. } => "Io",
        }
    }

    /// Wraps an I/O error with what was being done, mapping a full disk to `DiskFull`.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        if is_disk_full(&source) {
            return CoreError::DiskFull;
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
pub fn survive_file_size_limit() {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Registration only fails for forbidden signals; SIGXFSZ is not one of them.
    let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, flag);
}

impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> Self {
        CoreError::Database(e.to_string())
    }
}

/// Result type of the core.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
