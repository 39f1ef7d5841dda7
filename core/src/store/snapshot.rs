//! The database as a file, for backups: a consistent copy made with SQLite's online backup, and
//! what such a copy holds. Reads `takes` (migration 1) and the schema version; owns no table.

use std::path::Path;

use rusqlite::{Connection, MAIN_DB};

use crate::error::Result;

/// Copies the database file `src` into `dest` with SQLite's online backup: consistent even while
/// the app writes to it. SQLite's own error is returned, so the caller can name damage as such.
pub(crate) fn copy_database(src: &Path, dest: &Path) -> rusqlite::Result<()> {
    let src = Connection::open(src)?;
    src.busy_timeout(std::time::Duration::from_secs(5))?;
    src.backup(MAIN_DB, dest, None)
}

/// What `PRAGMA quick_check` says of the database file `path`: `["ok"]` when it is sound.
pub(crate) fn quick_check(path: &Path) -> rusqlite::Result<Vec<String>> {
    let conn = Connection::open(path)?;
    let mut st = conn.prepare("PRAGMA quick_check")?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// The schema version of the database file `path`.
pub(crate) fn schema_version(path: &Path) -> Result<i64> {
    let conn = Connection::open(path)?;
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// The ids of the takes in the database file `path` whose recording finished, in the order
/// they were added.
pub(crate) fn finished_take_ids(path: &Path) -> Result<Vec<String>> {
    let conn = Connection::open(path)?;
    let mut stmt =
        conn.prepare("SELECT id FROM takes WHERE status != 'recording' ORDER BY rowid")?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}
