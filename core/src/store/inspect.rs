//! A database file looked at from outside, before Candor uses it (a backup's database in
//! staging): its version, soundness, schema, foreign keys and takes; and whether another
//! program is writing to a database file (the live one, before a restore replaces it). Reads
//! SQLite's own catalogue and `takes` (migration 1); owns no table. SQLite's errors are returned
//! as they are, so the caller words them for the file it checks.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// Every table, index, trigger and view (SQLite's own left out): `(type, name)` to
/// `(table, SQL with its whitespace collapsed)`.
pub(crate) type Schema = BTreeMap<(String, String), (String, String)>;

/// A take as the file records it: enough to check its recording.
#[derive(Debug, Clone)]
pub(crate) struct TakeFacts {
    /// Take id.
    pub id: String,
    /// Recording status, as stored.
    pub status: String,
    /// Frames the row says the recording holds.
    pub frames: i64,
    /// The recording's sample rate.
    pub sample_rate: i64,
}

/// Opens the database file at `path` to look at it.
pub(crate) fn open(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open(path)
}

/// Whether another connection holds a write transaction on the database file at `path`:
/// SQLite's exclusive lock is asked for, waiting up to `wait` for a write to end, and given
/// straight back (nothing is written). The file is never created. An error means the file did
/// not open as SQLite at all (damaged, or not a database).
pub(crate) fn held_for_writing(path: &Path, wait: Duration) -> rusqlite::Result<bool> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(wait)?;
    match conn.execute_batch("BEGIN EXCLUSIVE") {
        Ok(()) => {
            conn.execute_batch("ROLLBACK")?;
            Ok(false)
        }
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ) =>
        {
            Ok(true)
        }
        Err(e) => Err(e),
    }
}

/// The file's schema version (`user_version`).
pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// What `PRAGMA integrity_check` says first: `"ok"` when the file is sound.
pub(crate) fn integrity(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
}

/// The tables holding rows that point at rows that are not there.
pub(crate) fn dangling_references(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut st = conn.prepare("SELECT DISTINCT \"table\" FROM pragma_foreign_key_check")?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// Every take of the file.
pub(crate) fn takes(conn: &Connection) -> rusqlite::Result<Vec<TakeFacts>> {
    let mut st = conn.prepare("SELECT id, status, frames, sample_rate FROM takes")?;
    let rows = st.query_map([], |r| {
        Ok(TakeFacts {
            id: r.get(0)?,
            status: r.get(1)?,
            frames: r.get(2)?,
            sample_rate: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// The file's schema.
pub(crate) fn schema(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut st = conn.prepare(
        "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master
         WHERE substr(name, 1, 7) != 'sqlite_'",
    )?;
    let rows = st.query_map([], |r| {
        let sql: String = r.get(3)?;
        Ok((
            (r.get(0)?, r.get(1)?),
            (
                r.get(2)?,
                sql.split_whitespace().collect::<Vec<_>>().join(" "),
            ),
        ))
    })?;
    rows.collect()
}

/// The columns of `table`.
pub(crate) fn columns(conn: &Connection, table: &str) -> rusqlite::Result<HashSet<String>> {
    let mut st = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
    let rows = st.query_map([table], |r| r.get::<_, String>(0))?;
    rows.collect()
}

impl super::Store {
    /// The connection, for comparing another file's schema with this one's.
    pub(crate) fn connection_to_compare(&self) -> &Connection {
        &self.conn
    }
}
