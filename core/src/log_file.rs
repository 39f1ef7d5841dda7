//! Candor's log: one text file in the data folder (`logs/candor.log`) that whisper.cpp's messages
//! and Candor's own warnings go to, instead of a terminal nobody reads. Kept small: when it passes
//! `MAX_BYTES` it becomes `candor.log.1` (the one before is dropped). A restore leaves it alone.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Size at which the log is set aside and a new one begun.
pub const MAX_BYTES: u64 = 2_000_000;

/// The logger: the file it appends to (opened for each message, so a data folder swapped by a
/// restore or deleted by the user never leaves a stale handle).
struct FileLog {
    path: PathBuf,
    /// One writer at a time, so lines never interleave and the roll happens once.
    write: Mutex<()>,
}

static LOGGER: OnceLock<FileLog> = OnceLock::new();

/// The level a message must reach to be written: `RUST_LOG=debug` (or `trace`) for more.
fn max_level() -> log::LevelFilter {
    match std::env::var("RUST_LOG").unwrap_or_default().as_str() {
        "trace" => log::LevelFilter::Trace,
        "debug" => log::LevelFilter::Debug,
        "warn" => log::LevelFilter::Warn,
        "error" => log::LevelFilter::Error,
        _ => log::LevelFilter::Info,
    }
}

impl log::Log for FileLog {
    fn enabled(&self, m: &log::Metadata) -> bool {
        m.level() <= log::max_level()
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let text = record.args().to_string();
        let text = text.trim_end();
        if text.is_empty() {
            return; // whisper.cpp sends line ends and progress dots as messages of their own
        }
        let line = format!(
            "{} {:<5} {}: {}\n",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ"),
            record.level(),
            record.target(),
            text
        );
        let _one = self.write.lock().unwrap_or_else(|p| p.into_inner());
        // Logging never fails a use case: a log that cannot be written is skipped.
        let _ = append(&self.path, line.as_bytes());
    }

    fn flush(&self) {}
}

/// Appends `bytes` to the log at `path`, setting the log aside first when it has grown too big.
fn append(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| m.len() >= MAX_BYTES) {
        let mut old = path.as_os_str().to_owned();
        old.push(".1");
        std::fs::rename(path, PathBuf::from(old))?;
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(bytes)
}

/// Sends every `log` message of this process (whisper.cpp's included) to `path` from now on.
/// Only the first call in a process takes effect; returns the file in use.
pub fn install(path: PathBuf) -> &'static Path {
    let logger = LOGGER.get_or_init(|| FileLog {
        path,
        write: Mutex::new(()),
    });
    if log::set_logger(logger).is_ok() {
        log::set_max_level(max_level());
    }
    &logger.path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_is_set_aside_once_it_is_full_and_a_new_one_begun() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logs").join("candor.log");
        append(&path, &vec![b'x'; MAX_BYTES as usize]).unwrap();
        append(&path, b"next\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"next\n");
        let old = dir.path().join("logs").join("candor.log.1");
        assert_eq!(std::fs::metadata(old).unwrap().len(), MAX_BYTES);
    }
}
