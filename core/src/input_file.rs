//! Opening a file the user named (a question bank, a rubric, a WAV to analyse, a backup to
//! restore) safely.
//!
//! - Only a regular file is accepted. A named pipe (FIFO), a device such as `/dev/zero`, a socket
//!   or a folder is refused at once with a message saying what the path is: opening a FIFO for
//!   reading would block until some other process writes to it, and a device never ends.
//! - The check is made on the path's metadata (symbolic links followed) *before* the file is
//!   opened, then again on the opened file, so a path swapped in between is caught too; on Unix
//!   the file is opened non-blocking, so even a FIFO swapped in at that instant cannot hang.
//! - Reading whole files is bounded by the bytes actually read (`take(limit + 1)`), never by the
//!   size the system reports: files in `/proc` report 0 and a file can grow while it is read.
//!
//! Names in messages go through [`crate::text::printable`], so a file name holding terminal
//! escapes is shown, not obeyed.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use crate::error::CoreError;
use crate::text::printable;

/// Why a file the user named cannot be read, with the file's name ready to print.
#[derive(Debug, thiserror::Error)]
pub enum InputFileError {
    /// The path names something other than a regular file: a folder, a pipe, a device, a socket.
    #[error("{name}: {}", not_a_file_reason(kind))]
    NotAFile {
        /// The path, escaped for printing.
        name: String,
        /// What the path is instead, in words ("a named pipe (FIFO)").
        kind: &'static str,
    },
    /// The file holds more bytes than the caller reads.
    #[error("{name}: {}", too_large_reason(*limit, *size))]
    TooLarge {
        /// The path, escaped for printing.
        name: String,
        /// Most bytes the caller reads.
        limit: u64,
        /// The size the system reports, when that is already over the limit.
        size: Option<u64>,
    },
    /// The file could not be opened or read (missing, no permission, a read error).
    #[error("{name}: cannot be read: {source}")]
    Io {
        /// The path, escaped for printing.
        name: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl InputFileError {
    /// What went wrong without the file's name (for errors that print the name themselves).
    pub fn reason(&self) -> String {
        match self {
            InputFileError::NotAFile { kind, .. } => not_a_file_reason(kind),
            InputFileError::TooLarge { limit, size, .. } => too_large_reason(*limit, *size),
            InputFileError::Io { source, .. } => format!("cannot be read: {source}"),
        }
    }

    /// The file's name as it appears in the message (escaped).
    pub fn name(&self) -> &str {
        match self {
            InputFileError::NotAFile { name, .. }
            | InputFileError::TooLarge { name, .. }
            | InputFileError::Io { name, .. } => name,
        }
    }
}

fn not_a_file_reason(kind: &str) -> String {
    format!("is {kind}, not a regular file; give the path of a file")
}

/// A size in megabytes, for messages.
pub(crate) fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn too_large_reason(limit: u64, size: Option<u64>) -> String {
    match size {
        Some(n) => format!(
            "the file is {}; Candor reads at most {} of this kind of file",
            megabytes(n),
            megabytes(limit)
        ),
        None => format!(
            "the file is larger than {}, the most Candor reads of this kind of file",
            megabytes(limit)
        ),
    }
}

impl From<InputFileError> for CoreError {
    fn from(e: InputFileError) -> Self {
        match e {
            InputFileError::Io { name, source } => {
                CoreError::io(format!("Could not read {name}"), source)
            }
            other => CoreError::InvalidInput(other.to_string()),
        }
    }
}

/// The path as it appears in messages: escaped, so a hostile name cannot drive the terminal.
pub fn display_name(path: &Path) -> String {
    printable(&path.display().to_string()).into_owned()
}

/// What a file type is when it is not a regular file, in words; `None` for a regular file.
fn not_regular(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> InputFileError + '_ {
    move |source| InputFileError::Io {
        name: display_name(path),
        source,
    }
}

/// Refuses a path that is not a regular file (after following symbolic links), without opening
/// it; for callers that stream the file themselves. Returns the file's metadata.
///
/// Checking and then opening leaves a moment in which the path can be swapped; callers that can
/// should open through [`open_regular_file`], which checks the opened file too.
pub fn ensure_regular_file(path: &Path) -> Result<Metadata, InputFileError> {
    let meta = std::fs::metadata(path).map_err(io_error(path))?;
    match not_regular(&meta) {
        None => Ok(meta),
        Some(kind) => Err(InputFileError::NotAFile {
            name: display_name(path),
            kind,
        }),
    }
}

/// Opens a user's file for reading, accepting only a regular file: checked before opening (so a
/// FIFO is never opened for reading, which would block) and again once open (so a path swapped
/// in between is caught). On Unix the file is opened with `O_NONBLOCK`, which changes nothing for
/// a regular file and keeps the open itself from blocking on a FIFO swapped in at that moment.
pub fn open_regular_file(path: &Path) -> Result<File, InputFileError> {
    ensure_regular_file(path)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io_error(path))?;
    let meta = file.metadata().map_err(io_error(path))?;
    if let Some(kind) = not_regular(&meta) {
        return Err(InputFileError::NotAFile {
            name: display_name(path),
            kind,
        });
    }
    Ok(file)
}

/// Reads a whole regular file of at most `limit` bytes. A file whose reported size is over the
/// limit is refused before it is read; otherwise at most `limit + 1` bytes are read, so a file
/// that reports less than it holds (or grows meanwhile) is refused without being read to its end.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, InputFileError> {
    let file = open_regular_file(path)?;
    let reported = file.metadata().map_err(io_error(path))?.len();
    if reported > limit {
        return Err(InputFileError::TooLarge {
            name: display_name(path),
            limit,
            size: Some(reported),
        });
    }
    // The reported size is a hint for the buffer only; what is read is bounded by `take`.
    let mut bytes = Vec::with_capacity(usize::try_from(reported).unwrap_or(0).saturating_add(1));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error(path))?;
    if bytes.len() as u64 > limit {
        return Err(InputFileError::TooLarge {
            name: display_name(path),
            limit,
            size: None,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

    use super::*;

    #[test]
    fn a_regular_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        std::fs::write(&p, b"version = 1\n").unwrap();
        assert_eq!(read_limited(&p, 100).unwrap(), b"version = 1\n");
        assert_eq!(read_limited(&p, 12).unwrap().len(), 12);
        assert!(ensure_regular_file(&p).unwrap().is_file());
    }

    #[test]
    fn a_file_over_the_limit_is_refused_by_its_reported_size() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.toml");
        std::fs::File::create(&p)
            .unwrap()
            .set_len(50_000_000)
            .unwrap();
        let e = read_limited(&p, 5_000_000).unwrap_err();
        assert!(
            matches!(
                e,
                InputFileError::TooLarge {
                    size: Some(50_000_000),
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("the file is 50.0 MB"), "{e}");
        let e = read_limited(&p, 13).unwrap_err();
        assert!(matches!(e, InputFileError::TooLarge { .. }), "{e}");
    }

    #[test]
    fn a_folder_is_refused_with_what_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_limited(dir.path(), 10).unwrap_err();
        assert!(
            e.to_string().contains("is a folder, not a regular file"),
            "{e}"
        );
        let e = CoreError::from(e);
        assert_eq!(e.code(), "InvalidInput");
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading() {
        let e = read_limited(Path::new("/dev/zero"), 10).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/dev/zero: is a character device, not a regular file; give the path of a file"
        );
        assert!(open_regular_file(Path::new("/dev/null")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pipe.toml");
        let ok = std::process::Command::new("mkfifo")
            .arg(&p)
            .status()
            .unwrap();
        assert!(ok.success());
        // No writer ever opens it: a plain open for reading would block here for ever.
        let e = open_regular_file(&p).unwrap_err();
        assert!(e.reason().starts_with("is a named pipe (FIFO)"), "{e}");
        let e = ensure_regular_file(&p).unwrap_err();
        assert!(matches!(e, InputFileError::NotAFile { .. }));
        // A symbolic link to it is followed and refused too.
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&p, &link).unwrap();
        assert!(matches!(
            read_limited(&link, 10).unwrap_err(),
            InputFileError::NotAFile { .. }
        ));
    }

    #[test]
    fn a_missing_file_is_an_io_error_naming_it_escaped() {
        let e = read_limited(Path::new("no\u{1b}[31mpe.toml"), 10).unwrap_err();
        assert!(matches!(e, InputFileError::Io { .. }));
        assert!(
            e.to_string()
                .starts_with("no\\u{1b}[31mpe.toml: cannot be read"),
            "{e}"
        );
        let e = CoreError::from(e);
        assert_eq!(e.code(), "Io");
        assert!(!e.to_string().contains('\u{1b}'), "{e}");
    }
}
