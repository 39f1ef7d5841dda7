//! The SQLite database: opened with WAL and foreign keys, changed only through numbered
//! migrations, and every SQL statement Candor makes, in one module per table family.
//!
//! - `migrations`: the schema and its version (every table's history is listed there)
//! - `takes`: `takes` (answers and follow-ups)
//! - `cards`: `question_cards` (spaced repetition)
//! - `metrics`: `take_metrics`
//! - `ratings`: `ratings` and their scores, checks, flags and feelings; `reviews`
//! - `markers`: `markers`
//! - `opinions`: `anchored_scores`, `shares`, `share_takes`, `opinions` and their scores,
//!   checks and flags (second opinions)
//! - `questions`: `custom_questions`, `hidden_questions`
//! - `rounds`: `rounds`
//! - `settings`: `settings`
//! - `progress`: the progress views (read only, over takes, metrics and ratings)
//! - `seed`: generated histories written in bulk (takes, ratings, reviews, markers)
//! - `snapshot`: the database file copied for a backup

use std::path::Path;

use rusqlite::Connection;

use crate::error::{CoreError, Result};

mod cards;
pub(crate) mod inspect;
mod lost;
mod markers;
mod metrics;
mod migrations;
mod opinions;
mod positions;
mod progress;
mod questions;
mod ratings;
mod rounds;
mod seed;
mod settings;
pub(crate) mod snapshot;
mod takes;
mod transcripts;

pub use markers::Marker;
pub use migrations::schema_version;
#[cfg(test)]
pub(crate) use migrations::{migrate_to, stale_progress_facts};
pub use opinions::{AnchoredScore, CriterionCalibration, Opinion, OpinionInput};
pub use positions::Position;
pub use questions::CustomQuestion;
pub use ratings::{
    CheckAnswer, CheckMark, CriterionRating, FeelingMark, Rating, RatingInput, RatingKind,
    RatingStatus,
};
pub use rounds::RoundRow;
pub use takes::{NewTake, PushbackChoice, TakePage, TakeRow, TakeStatus};
pub use transcripts::{StoredTranscript, TranscriptFailure, TranscriptHit};

/// Opens an existing database file read-only and refuses it if it is corrupt or newer than
/// this build; nothing is written and, unless a `-wal` file is already there, no file is created.
fn check_before_writing(path: &Path) -> Result<()> {
    use rusqlite::OpenFlags;
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    // `immutable` reads the file as it is, without locks or the -wal/-shm files a WAL-mode
    // database would otherwise get; a -wal left by a crash holds committed data, so then the
    // ordinary read-only mode (which uses it) is needed.
    let immutable = !Path::new(&wal).exists();
    let mut uri = url_path(path);
    uri.push_str(if immutable {
        "?immutable=1"
    } else {
        "?mode=ro"
    });
    let corrupt = |detail: String| CoreError::CorruptDatabase { detail };
    // Empty (cut short to nothing): damaged, not new; the recordings beside it need its rows.
    let wal_len = std::fs::metadata(Path::new(&wal)).map_or(0, |m| m.len());
    if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) && wal_len == 0 {
        return Err(corrupt("the file is empty".into()));
    }
    // An I/O failure is the disk's (often a full one), not damage to the file.
    let unreadable = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(
            rusqlite::ErrorCode::DiskFull
            | rusqlite::ErrorCode::SystemIoFailure
            | rusqlite::ErrorCode::CannotOpen,
        ) if no_room_beside(path) => disk_full_opening(),
        _ => corrupt(e.to_string()),
    };
    let conn = Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(unreadable)?;
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(unreadable)?;
    if found > schema_version() {
        return Err(CoreError::NewerDatabase {
            found,
            known: schema_version(),
        });
    }
    let verdict: Vec<String> = conn
        .prepare("PRAGMA quick_check")
        .and_then(|mut st| {
            st.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .map_err(unreadable)?;
    if verdict != ["ok"] {
        return Err(corrupt(verdict.join("; ")));
    }
    Ok(())
}

/// The database could not be opened because the disk is full: said so, never "damaged".
fn disk_full_opening() -> CoreError {
    CoreError::disk_full(
        "opening your Candor data",
        "Your data is not damaged, and nothing was changed.",
    )
}

/// Whether the disk holding `path` has no room left, found by writing a small file beside it
/// (and removing it): SQLite reports a full disk while opening as a generic I/O failure.
fn no_room_beside(path: &Path) -> bool {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let probe = dir.join(format!(
        ".candor-room-check-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .and_then(|mut f| {
            // As much as SQLite needs to open a WAL database: its 32 KiB shared-memory file.
            f.write_all(&[0u8; 64 * 1024])?;
            f.sync_all()
        });
    let _ = std::fs::remove_file(&probe);
    written.is_err_and(|e| crate::error::is_disk_full(&e))
}

/// A `file:` URI for a path, with every byte URIs could misread percent-escaped.
fn url_path(path: &Path) -> String {
    let mut out = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        // Plain ASCII letters, digits and path punctuation pass; every other byte is escaped.
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(b) {
            out.push(char::from(*b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The database connection, with Candor's queries.
pub struct Store {
    conn: Connection,
}

/// A write open on the store: what is written through it commits together or not at all, so
/// writes to several table families (a rating and its question's card) cannot be half done.
pub(crate) struct StoreTx<'a> {
    tx: rusqlite::Transaction<'a>,
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    ///
    /// A database written by a newer Candor is refused and left untouched.
    /// An existing file is first checked through a read-only connection (that creates no
    /// journal files): a corrupt file, or one written by a newer Candor, is refused with a typed
    /// error before anything is written.
    ///
    /// A full disk is reported as such (`DiskFull`), never as damage: an empty or cut-short
    /// file is `CorruptDatabase`.
    pub fn open(path: &Path) -> Result<Store> {
        if path.exists() {
            check_before_writing(path)?;
        }
        Connection::open(path)
            .map_err(CoreError::from)
            .and_then(Self::prepare)
            .map_err(|e| match e {
                e if e.is_disk_full() => disk_full_opening(),
                CoreError::Database(_) if no_room_beside(path) => disk_full_opening(),
                e => e,
            })
    }

    /// An in-memory database with the real migrations (for tests).
    pub fn open_in_memory() -> Result<Store> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > schema_version() {
            return Err(CoreError::NewerDatabase {
                found,
                known: schema_version(),
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations::migrations()
            .to_latest(&mut conn)
            .map_err(|e| CoreError::Database(format!("updating the schema: {e}")))?;
        Ok(Store { conn })
    }

    /// Runs `f` in one transaction: committed if it returns `Ok`, rolled back if it fails.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&StoreTx<'_>) -> Result<T>) -> Result<T> {
        let tx = StoreTx {
            tx: self.conn.unchecked_transaction()?,
        };
        let out = f(&tx)?;
        tx.tx.commit()?;
        Ok(out)
    }

    /// Test support: the raw connection, for fixtures that must bypass the store (damaged or
    /// old databases, hand edits that the triggers must follow). Other code goes through the
    /// methods of the store's modules, which use the field itself.
    #[cfg(test)]
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

#[cfg(test)]
mod tests;
