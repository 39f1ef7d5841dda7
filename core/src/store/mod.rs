//! The SQLite database: opened with WAL and foreign keys, changed only through numbered migrations.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use rusqlite_migration::{Migrations, M};

use crate::error::{CoreError, Result};

/// The numbered migrations, in order; a new schema change is appended, never edited.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            r#"
CREATE TABLE takes (
    id            TEXT PRIMARY KEY NOT NULL,
    question_id   TEXT NOT NULL,
    parent_id     TEXT REFERENCES takes(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL DEFAULT 'answer' CHECK (kind IN ('answer', 'followup')),
    pushback      TEXT,
    status        TEXT NOT NULL CHECK (status IN ('recording', 'complete', 'interrupted', 'recovered')),
    started_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ended_at      TEXT,
    sample_rate   INTEGER NOT NULL,
    frames        INTEGER NOT NULL DEFAULT 0,
    device_name   TEXT,
    error         TEXT
);
CREATE INDEX takes_by_question ON takes(question_id, started_at);
CREATE INDEX takes_by_status ON takes(status);
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
"#,
        ),
        // 2: the user's own questions, hidden shipped ones, mock rounds, the review queue.
        M::up(
            r#"
CREATE TABLE custom_questions (
    id          TEXT PRIMARY KEY NOT NULL,
    category    TEXT NOT NULL,
    reading     TEXT NOT NULL,
    prompt      TEXT NOT NULL,
    criteria    TEXT NOT NULL,
    pushbacks   TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE hidden_questions (
    question_id TEXT PRIMARY KEY NOT NULL
);
CREATE TABLE rounds (
    id                TEXT PRIMARY KEY NOT NULL,
    started_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ended_at          TEXT,
    planned_questions INTEGER NOT NULL,
    length_s          INTEGER NOT NULL
);
ALTER TABLE takes ADD COLUMN round_id TEXT REFERENCES rounds(id) ON DELETE SET NULL;
CREATE INDEX takes_by_round ON takes(round_id);
CREATE TABLE reviews (
    take_id     TEXT PRIMARY KEY NOT NULL REFERENCES takes(id) ON DELETE CASCADE,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'done')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
"#,
        ),
        // 3: speech metrics computed once per take (JSON, without the waveform peaks).
        M::up(
            r#"
CREATE TABLE take_metrics (
    take_id     TEXT PRIMARY KEY NOT NULL REFERENCES takes(id) ON DELETE CASCADE,
    metrics     TEXT NOT NULL,
    computed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
"#,
        ),
        // 4: self-ratings (immediate, reviewed, blind re-grade), kept as drafts until saved; markers.
        M::up(
            r#"
CREATE TABLE ratings (
    id            TEXT PRIMARY KEY NOT NULL,
    take_id       TEXT NOT NULL REFERENCES takes(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('immediate', 'reviewed', 'regrade')),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'saved')),
    step          INTEGER NOT NULL DEFAULT 0,
    feelings_note TEXT NOT NULL DEFAULT '',
    commitment    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    saved_at      TEXT
);
CREATE INDEX ratings_by_take ON ratings(take_id, status);
CREATE UNIQUE INDEX ratings_one_draft ON ratings(take_id, kind) WHERE status = 'draft';
CREATE TABLE rating_scores (
    rating_id  TEXT NOT NULL REFERENCES ratings(id) ON DELETE CASCADE,
    criterion  TEXT NOT NULL,
    score      INTEGER CHECK (score IS NULL OR score BETWEEN 1 AND 5),
    note       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (rating_id, criterion)
);
CREATE TABLE rating_checks (
    rating_id    TEXT NOT NULL REFERENCES ratings(id) ON DELETE CASCADE,
    criterion    TEXT NOT NULL,
    check_index  INTEGER NOT NULL CHECK (check_index >= 0),
    answer       TEXT NOT NULL CHECK (answer IN ('yes', 'partly', 'no')),
    PRIMARY KEY (rating_id, criterion, check_index)
);
CREATE TABLE rating_flags (
    rating_id  TEXT NOT NULL REFERENCES ratings(id) ON DELETE CASCADE,
    flag       TEXT NOT NULL,
    PRIMARY KEY (rating_id, flag)
);
CREATE TABLE rating_feelings (
    rating_id  TEXT NOT NULL REFERENCES ratings(id) ON DELETE CASCADE,
    feeling    TEXT NOT NULL,
    intensity  INTEGER NOT NULL CHECK (intensity BETWEEN 1 AND 5),
    PRIMARY KEY (rating_id, feeling)
);
CREATE TABLE markers (
    id          TEXT PRIMARY KEY NOT NULL,
    take_id     TEXT NOT NULL REFERENCES takes(id) ON DELETE CASCADE,
    at_s        REAL NOT NULL CHECK (at_s >= 0),
    tag         TEXT,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX markers_by_take ON markers(take_id, at_s);
"#,
        ),
        // 5: spaced repetition (one FSRS card per question) and indexes for the progress queries.
        M::up(
            r#"
CREATE TABLE question_cards (
    question_id     TEXT PRIMARY KEY NOT NULL,
    due             TEXT NOT NULL,
    stability       REAL NOT NULL,
    difficulty      REAL NOT NULL,
    elapsed_days    INTEGER NOT NULL,
    scheduled_days  INTEGER NOT NULL,
    reps            INTEGER NOT NULL,
    lapses          INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('new', 'learning', 'review', 'relearning')),
    last_review     TEXT NOT NULL,
    last_grade      TEXT NOT NULL CHECK (last_grade IN ('again', 'hard', 'good', 'easy')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX question_cards_by_due ON question_cards(due);
-- Covering indexes: the weekly aggregates read only these columns, never the rows.
CREATE INDEX takes_by_started ON takes(started_at, parent_id, status, id);
CREATE INDEX takes_by_parent ON takes(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX ratings_by_take_kind ON ratings(take_id, kind, status, id, saved_at);
CREATE INDEX rating_scores_cover ON rating_scores(rating_id, criterion, score);
CREATE INDEX ratings_by_id_kind ON ratings(id, kind, status, take_id);
CREATE INDEX takes_by_id_started ON takes(id, parent_id, started_at, status);
CREATE INDEX rating_checks_by_criterion ON rating_checks(criterion, rating_id, check_index, answer);
"#,
        ),
        // 6: progress facts kept on each rating, score and check, so that an all-time view reads
        // one index instead of joining every take, rating and score. They are set only for a
        // saved rating of an answer (NULL otherwise), and triggers keep them in step with every
        // write, whoever makes it: week = the Monday (UTC) of the answer, started_at = when the
        // answer was recorded, mean = the rating's mean score. Also indexes for the history.
        M::up(
            r#"
ALTER TABLE ratings ADD COLUMN week TEXT;
ALTER TABLE ratings ADD COLUMN started_at TEXT;
ALTER TABLE ratings ADD COLUMN mean REAL;
ALTER TABLE rating_scores ADD COLUMN kind TEXT;
ALTER TABLE rating_scores ADD COLUMN week TEXT;
ALTER TABLE rating_scores ADD COLUMN started_at TEXT;
ALTER TABLE rating_checks ADD COLUMN kind TEXT;
ALTER TABLE rating_checks ADD COLUMN started_at TEXT;

-- A rating's facts, and those of its scores and checks, follow its status and its take.
CREATE TRIGGER progress_rating_status AFTER UPDATE OF status, take_id ON ratings
BEGIN
    UPDATE ratings SET
        (week, started_at) = (SELECT date(t.started_at, 'weekday 0', '-6 days'), t.started_at
                              FROM takes t
                              WHERE t.id = NEW.take_id AND t.parent_id IS NULL
                                AND NEW.status = 'saved'),
        mean = (SELECT avg(s.score) FROM rating_scores s WHERE s.rating_id = NEW.id)
    WHERE id = NEW.id;
    UPDATE rating_scores SET (kind, week, started_at) =
        (SELECT r.kind, r.week, r.started_at FROM ratings r WHERE r.id = NEW.id)
    WHERE rating_id = NEW.id;
    UPDATE rating_checks SET (kind, started_at) =
        (SELECT r.kind, r.started_at FROM ratings r WHERE r.id = NEW.id)
    WHERE rating_id = NEW.id;
END;
CREATE TRIGGER progress_rating_new AFTER INSERT ON ratings
BEGIN
    UPDATE ratings SET status = status WHERE id = NEW.id;
END;
CREATE TRIGGER progress_take_moved AFTER UPDATE OF started_at, parent_id ON takes
BEGIN
    UPDATE ratings SET status = status WHERE take_id = NEW.id;
END;
-- A score or check added to a rating takes its facts; the rating's mean follows its scores.
CREATE TRIGGER progress_score_new AFTER INSERT ON rating_scores
BEGIN
    UPDATE rating_scores SET (kind, week, started_at) =
        (SELECT r.kind, r.week, r.started_at FROM ratings r WHERE r.id = NEW.rating_id)
    WHERE rowid = NEW.rowid;
    UPDATE ratings SET mean =
        (SELECT avg(s.score) FROM rating_scores s WHERE s.rating_id = NEW.rating_id)
    WHERE id = NEW.rating_id;
END;
CREATE TRIGGER progress_score_changed AFTER UPDATE OF score ON rating_scores
BEGIN
    UPDATE ratings SET mean =
        (SELECT avg(s.score) FROM rating_scores s WHERE s.rating_id = NEW.rating_id)
    WHERE id = NEW.rating_id;
END;
CREATE TRIGGER progress_score_gone AFTER DELETE ON rating_scores
BEGIN
    UPDATE ratings SET mean =
        (SELECT avg(s.score) FROM rating_scores s WHERE s.rating_id = OLD.rating_id)
    WHERE id = OLD.rating_id;
END;
CREATE TRIGGER progress_check_new AFTER INSERT ON rating_checks
BEGIN
    UPDATE rating_checks SET (kind, started_at) =
        (SELECT r.kind, r.started_at FROM ratings r WHERE r.id = NEW.rating_id)
    WHERE rowid = NEW.rowid;
END;

-- The facts of the ratings already there.
UPDATE ratings SET status = status;

-- Covering indexes over the facts: weeks in order, so grouping by week needs no sort.
CREATE INDEX rating_scores_by_week ON rating_scores(kind, week, criterion, score, started_at)
    WHERE week IS NOT NULL;
CREATE INDEX rating_checks_by_kind ON rating_checks(criterion, kind, check_index, answer, started_at)
    WHERE started_at IS NOT NULL;
CREATE INDEX ratings_by_week ON ratings(week, take_id, kind, mean, started_at)
    WHERE week IS NOT NULL;
CREATE INDEX takes_answers_by_week
    ON takes(date(started_at, 'weekday 0', '-6 days'), started_at, status) WHERE parent_id IS NULL;
-- The history: a question's answers, newest first.
CREATE INDEX takes_answers_by_question ON takes(question_id, started_at, status)
    WHERE parent_id IS NULL;
"#,
        ),
        // 7: the review lists a page at a time: answers in recording order with the columns their
        // filters read, so a page stops after its rows instead of sorting every answer.
        M::up(
            r#"
CREATE INDEX takes_answers_by_started ON takes(started_at, status, frames)
    WHERE parent_id IS NULL;
CREATE INDEX reviews_by_status ON reviews(take_id, status);
"#,
        ),
        // 8: audio a take lost to a ring overflow, never silent: seconds missing, places in all,
        // and the first places (JSON list of {at_s, until_s, lost_s}; NULL when nothing was lost).
        M::up(
            r#"
ALTER TABLE takes ADD COLUMN lost_s REAL NOT NULL DEFAULT 0 CHECK (lost_s >= 0);
ALTER TABLE takes ADD COLUMN lost_places INTEGER NOT NULL DEFAULT 0 CHECK (lost_places >= 0);
ALTER TABLE takes ADD COLUMN lost_spans TEXT;
"#,
        ),
    ])
}

/// Applies only the first `version` migrations (tests build databases as older Candors left them).
#[cfg(test)]
pub(crate) fn migrate_to(conn: &mut Connection, version: usize) -> Result<()> {
    migrations()
        .to_version(conn, version)
        .map_err(|e| CoreError::Database(format!("updating the schema: {e}")))
}

/// Rows whose progress facts (migration 6) differ from what the joins of takes and ratings say:
/// 0 after any write, whoever made it (tests check it after each kind of write).
#[cfg(test)]
pub(crate) fn stale_progress_facts(conn: &Connection) -> i64 {
    let sql = "WITH want AS (
            SELECT r.id, r.kind,
                   CASE WHEN r.status = 'saved' AND t.parent_id IS NULL THEN t.started_at END AS at,
                   (SELECT avg(x.score) FROM rating_scores x WHERE x.rating_id = r.id) AS mean
            FROM ratings r JOIN takes t ON t.id = r.take_id)
         SELECT (SELECT count(*) FROM ratings r JOIN want w ON w.id = r.id
                 WHERE r.started_at IS NOT w.at OR r.mean IS NOT w.mean
                    OR r.week IS NOT date(w.at, 'weekday 0', '-6 days'))
              + (SELECT count(*) FROM rating_scores s JOIN want w ON w.id = s.rating_id
                 WHERE s.kind IS NOT w.kind OR s.started_at IS NOT w.at
                    OR s.week IS NOT date(w.at, 'weekday 0', '-6 days'))
              + (SELECT count(*) FROM rating_checks c JOIN want w ON w.id = c.rating_id
                 WHERE c.kind IS NOT w.kind OR c.started_at IS NOT w.at)";
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("checking the progress facts: {e}"))
}

/// The newest schema version this build knows.
pub fn schema_version() -> i64 {
    8
}

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
    let conn = Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| corrupt(e.to_string()))?;
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| corrupt(e.to_string()))?;
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
        .map_err(|e| corrupt(e.to_string()))?;
    if verdict != ["ok"] {
        return Err(corrupt(verdict.join("; ")));
    }
    Ok(())
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

/// Status of a take's recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TakeStatus {
    /// Capture is running (or the app crashed while it was).
    Recording,
    /// Stopped normally.
    Complete,
    /// Ended early by a device or write error; what was written is kept.
    Interrupted,
    /// Left `recording` by a crash and repaired at a later start.
    Recovered,
}

impl TakeStatus {
    fn as_str(self) -> &'static str {
        match self {
            TakeStatus::Recording => "recording",
            TakeStatus::Complete => "complete",
            TakeStatus::Interrupted => "interrupted",
            TakeStatus::Recovered => "recovered",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "recording" => TakeStatus::Recording,
            "complete" => TakeStatus::Complete,
            "interrupted" => TakeStatus::Interrupted,
            "recovered" => TakeStatus::Recovered,
            other => {
                return Err(CoreError::Database(format!(
                    "unknown take status '{other}'"
                )))
            }
        })
    }
}

/// A page of a long list of takes: the rows asked for, and how many the whole list holds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TakePage {
    /// Takes in the whole list.
    pub total: u32,
    /// This page's takes, in the list's order.
    pub takes: Vec<TakeRow>,
}

/// The answers waiting for review: with audio, and no finished review.
const REVIEW_QUEUE: &str = "WHERE parent_id IS NULL AND status != 'recording' AND frames > 0
    AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.take_id = takes.id AND r.status = 'done')";

/// One take as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TakeRow {
    /// Stable id (32 hex digits); also names the WAV file.
    pub id: String,
    /// Question answered.
    pub question_id: String,
    /// The answer this follow-up replies to, if it is one.
    pub parent_id: Option<String>,
    /// The push-back this follow-up replies to.
    pub pushback: Option<String>,
    /// The mock round it belongs to.
    pub round_id: Option<String>,
    /// Recording status.
    pub status: TakeStatus,
    /// When capture started (UTC, ISO 8601).
    pub started_at: String,
    /// Rate of the WAV.
    pub sample_rate: u32,
    /// Frames in the WAV.
    pub frames: u64,
    /// Input device used.
    pub device_name: Option<String>,
    /// Why it ended early, if it did.
    pub error: Option<String>,
    /// Audio lost while recording (the computer could not keep up); none in a healthy take.
    pub lost: crate::audio::LostAudio,
}

/// What is known of a take before capture starts.
#[derive(Debug, Clone, Copy)]
pub struct NewTake<'a> {
    /// Its id (also names its WAV).
    pub id: &'a str,
    /// The question answered.
    pub question_id: &'a str,
    /// The answer this follow-up replies to.
    pub parent_id: Option<&'a str>,
    /// The interviewer's push-back it replies to.
    pub pushback: Option<&'a str>,
    /// The mock round it belongs to.
    pub round_id: Option<&'a str>,
    /// Rate of its WAV.
    pub sample_rate: u32,
}

impl<'a> NewTake<'a> {
    /// An answer to a question, outside any round.
    pub fn answer(id: &'a str, question_id: &'a str, sample_rate: u32) -> Self {
        NewTake {
            id,
            question_id,
            parent_id: None,
            pushback: None,
            round_id: None,
            sample_rate,
        }
    }
}

mod lost;
mod questions;
mod ratings;
mod rounds;

pub use questions::CustomQuestion;
pub use ratings::{
    CheckAnswer, CheckMark, CriterionRating, FeelingMark, Marker, Rating, RatingInput, RatingKind,
    RatingStatus,
};
pub use rounds::RoundRow;

/// The database connection, with Candor's queries.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    ///
    /// A database written by a newer Candor is refused and left untouched.
    /// An existing file is first checked through a read-only connection (that creates no
    /// journal files): a corrupt file, or one written by a newer Candor, is refused with a typed
    /// error before anything is written.
    pub fn open(path: &Path) -> Result<Store> {
        if path.exists() {
            check_before_writing(path)?;
        }
        let conn = Connection::open(path)?;
        Self::prepare(conn)
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
        migrations()
            .to_latest(&mut conn)
            .map_err(|e| CoreError::Database(format!("updating the schema: {e}")))?;
        Ok(Store { conn })
    }

    /// Inserts a take's row as `recording`, before any audio is captured.
    pub fn insert_recording(&self, take: &NewTake<'_>) -> Result<()> {
        let kind = if take.parent_id.is_some() {
            "followup"
        } else {
            "answer"
        };
        self.conn.execute(
            "INSERT INTO takes (id, question_id, parent_id, kind, pushback, status, sample_rate, round_id)
             VALUES (?1, ?2, ?3, ?4, ?5, 'recording', ?6, ?7)",
            params![
                take.id,
                take.question_id,
                take.parent_id,
                kind,
                take.pushback,
                take.sample_rate,
                take.round_id
            ],
        )?;
        Ok(())
    }

    /// The connection, for the query modules of this store.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Records how a take ended.
    pub fn finish(
        &self,
        id: &str,
        status: TakeStatus,
        frames: u64,
        device_name: Option<&str>,
        error: Option<&str>,
    ) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE takes SET status = ?2, frames = ?3, device_name = COALESCE(?4, device_name),
                    error = ?5, ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1",
            params![id, status.as_str(), frames as i64, device_name, error],
        )?;
        if n == 0 {
            return Err(CoreError::NotFound(format!("take {id}")));
        }
        Ok(())
    }

    /// Removes a take's row (used when a start fails before any audio).
    pub fn delete_take(&self, id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM takes WHERE id = ?1", params![id])?;
        Ok(())
    }

    fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(TakeRow, String)> {
        let status: String = r.get(3)?;
        let frames: i64 = r.get(6)?;
        Ok((
            TakeRow {
                id: r.get(0)?,
                question_id: r.get(1)?,
                parent_id: r.get(2)?,
                status: TakeStatus::Recording,
                started_at: r.get(4)?,
                sample_rate: r.get(5)?,
                frames: frames.max(0) as u64,
                device_name: r.get(7)?,
                error: r.get(8)?,
                pushback: r.get(9)?,
                round_id: r.get(10)?,
                lost: lost::from_columns(r.get(11)?, r.get(12)?, r.get(13)?),
            },
            status,
        ))
    }

    fn query(&self, where_sql: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<TakeRow>> {
        let sql = format!(
            "SELECT id, question_id, parent_id, status, started_at, sample_rate, frames, device_name, error,
                    pushback, round_id, lost_s, lost_places, lost_spans
             FROM takes {where_sql}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(args, Self::row)?;
        rows.map(|r| {
            let (mut take, status) = r?;
            take.status = TakeStatus::parse(&status)?;
            Ok(take)
        })
        .collect()
    }

    /// Every take, newest first.
    pub fn list_takes(&self) -> Result<Vec<TakeRow>> {
        self.query("ORDER BY started_at DESC, rowid DESC", &[])
    }

    /// One take by id.
    pub fn take(&self, id: &str) -> Result<TakeRow> {
        crate::limits::check_id("take", id)?;
        self.query("WHERE id = ?1", &[&id])?
            .into_iter()
            .next()
            .ok_or_else(|| CoreError::NotFound(format!("take {id}")))
    }

    /// The follow-ups of an answer, oldest first.
    pub fn followups(&self, answer_id: &str) -> Result<Vec<TakeRow>> {
        self.query(
            "WHERE parent_id = ?1 ORDER BY started_at, rowid",
            &[&answer_id],
        )
    }

    /// The answers of a mock round, in the order they were given.
    pub fn round_answers(&self, round_id: &str) -> Result<Vec<TakeRow>> {
        self.query(
            "WHERE round_id = ?1 AND parent_id IS NULL ORDER BY started_at, rowid",
            &[&round_id],
        )
    }

    /// Answers with audio that have no finished review yet (the review queue), oldest first.
    pub fn review_queue(&self) -> Result<Vec<TakeRow>> {
        self.query(&format!("{REVIEW_QUEUE} ORDER BY started_at, rowid"), &[])
    }

    /// A page of the review queue (oldest first) and its length.
    pub fn review_queue_page(&self, offset: u32, limit: u32) -> Result<TakePage> {
        self.page(REVIEW_QUEUE, "started_at, rowid", offset, limit)
    }

    /// `limit` takes (at most [`MAX_PAGE`](crate::limits::MAX_PAGE)) of the list `filter`
    /// (a WHERE clause without arguments) after the first `offset`, and the list's length.
    pub(crate) fn page(
        &self,
        filter: &str,
        order: &str,
        offset: u32,
        limit: u32,
    ) -> Result<TakePage> {
        let limit = limit.min(crate::limits::MAX_PAGE);
        let total = self.count(filter)?;
        let takes = self.query(
            &format!("{filter} ORDER BY {order} LIMIT ?1 OFFSET ?2"),
            &[&limit, &offset],
        )?;
        Ok(TakePage { total, takes })
    }

    /// Every take of one question (answers and follow-ups), newest first.
    pub fn question_takes(&self, question_id: &str) -> Result<Vec<TakeRow>> {
        crate::limits::check_id("question", question_id)?;
        self.query(
            "WHERE question_id = ?1 ORDER BY started_at DESC, rowid DESC",
            &[&question_id],
        )
    }

    /// When each question was last practised (its newest take of any kind): question id ->
    /// `started_at`, for choosing what to practise next without reading every take.
    pub fn last_practiced(&self) -> Result<std::collections::HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT question_id, max(started_at) FROM takes GROUP BY question_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Answers recorded, ever (follow-ups not counted).
    pub fn answer_count(&self) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM takes WHERE parent_id IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// Answers waiting for review.
    pub fn review_queue_count(&self) -> Result<u32> {
        self.count(REVIEW_QUEUE)
    }

    /// Takes in the list `filter` (a WHERE clause without arguments).
    fn count(&self, filter: &str) -> Result<u32> {
        Ok(self
            .conn
            .query_row(&format!("SELECT count(*) FROM takes {filter}"), [], |r| {
                r.get(0)
            })?)
    }

    /// Stores a take's speech metrics (the waveform peaks are left out; they are cheap to redo).
    pub fn save_metrics(&self, take_id: &str, m: &crate::analysis::SpeechMetrics) -> Result<()> {
        let mut stored = m.clone();
        stored.peaks = Vec::new();
        let json = serde_json::to_string(&stored)
            .map_err(|e| CoreError::Database(format!("encoding metrics: {e}")))?;
        self.conn.execute(
            "INSERT INTO take_metrics (take_id, metrics) VALUES (?1, ?2)
             ON CONFLICT(take_id) DO UPDATE SET metrics = excluded.metrics,
                 computed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![take_id, json],
        )?;
        Ok(())
    }

    /// A take's stored speech metrics, if they were computed.
    pub fn metrics(&self, take_id: &str) -> Result<Option<crate::analysis::SpeechMetrics>> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT metrics FROM take_metrics WHERE take_id = ?1",
                params![take_id],
                |r| r.get(0),
            )
            .optional()?;
        // Metrics written by another version may not decode: they are simply computed again.
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    /// Takes left `recording` (by a crash, when no recording is running).
    pub fn unfinished_takes(&self) -> Result<Vec<TakeRow>> {
        self.query("WHERE status = 'recording' ORDER BY started_at", &[])
    }

    /// A setting's value.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Sets a setting's value.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[test]
    fn take_lifecycle() {
        let s = Store::open_in_memory().unwrap();
        s.insert_recording(&NewTake::answer("a1", "q1", 16000))
            .unwrap();
        assert_eq!(s.take("a1").unwrap().status, TakeStatus::Recording);
        assert_eq!(s.unfinished_takes().unwrap().len(), 1);
        s.finish("a1", TakeStatus::Complete, 48000, Some("Mic"), None)
            .unwrap();
        let t = s.take("a1").unwrap();
        assert_eq!((t.status, t.frames), (TakeStatus::Complete, 48000));
        assert_eq!(t.device_name.as_deref(), Some("Mic"));
        assert!(s.unfinished_takes().unwrap().is_empty());
        assert_eq!(s.take("zz").unwrap_err().code(), "NotFound");
    }

    #[test]
    fn followups_cascade_with_their_answer() {
        let s = Store::open_in_memory().unwrap();
        s.insert_recording(&NewTake::answer("a", "q", 16000))
            .unwrap();
        let followup = NewTake {
            parent_id: Some("a"),
            pushback: Some("Why?"),
            ..NewTake::answer("b", "q", 16000)
        };
        s.insert_recording(&followup).unwrap();
        assert_eq!(
            s.followups("a").unwrap()[0].pushback.as_deref(),
            Some("Why?")
        );
        let orphan = NewTake {
            parent_id: Some("missing"),
            ..NewTake::answer("c", "q", 16000)
        };
        assert!(s.insert_recording(&orphan).is_err());
        s.delete_take("a").unwrap();
        assert!(s.list_takes().unwrap().is_empty());
    }

    #[test]
    fn review_queue_holds_unreviewed_answers_with_audio() {
        let s = Store::open_in_memory().unwrap();
        s.insert_round("r", 2, 600).unwrap();
        for id in ["a", "b", "c"] {
            let t = NewTake {
                round_id: Some("r"),
                ..NewTake::answer(id, "q", 16000)
            };
            s.insert_recording(&t).unwrap();
        }
        s.finish("a", TakeStatus::Complete, 100, None, None)
            .unwrap();
        s.finish("b", TakeStatus::Complete, 0, None, None).unwrap();
        let queue: Vec<_> = s
            .review_queue()
            .unwrap()
            .into_iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(queue, ["a"]);
        assert_eq!(s.round_answers("r").unwrap().len(), 3);
        s.end_round("r").unwrap();
        assert!(s.round("r").unwrap().unwrap().ended_at.is_some());
    }

    /// Answers a0..a{n-1} to `q` a minute apart from `hour`:00 on 1 January 2026 (a{n-1}
    /// newest), each with audio.
    fn answers(s: &Store, q: &str, hour: u32, n: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                let id = format!("{q}-a{i}");
                s.insert_recording(&NewTake::answer(&id, q, 16000)).unwrap();
                s.finish(&id, TakeStatus::Complete, 100, None, None)
                    .unwrap();
                s.conn
                    .execute(
                        "UPDATE takes SET started_at = ?2 WHERE id = ?1",
                        params![id, format!("2026-01-01T{hour:02}:{i:02}:00.000Z")],
                    )
                    .unwrap();
                id
            })
            .collect()
    }

    fn ids(p: &TakePage) -> Vec<&str> {
        p.takes.iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn long_lists_come_a_page_at_a_time_with_their_length() {
        let s = Store::open_in_memory().unwrap();
        let q = answers(&s, "q", 10, 7);
        answers(&s, "other", 11, 1);
        let page = s.review_queue_page(0, 3).unwrap();
        assert_eq!((page.total, ids(&page)), (8, vec![&*q[0], &*q[1], &*q[2]]));
        let page = s.review_queue_page(6, 3).unwrap();
        assert_eq!((page.total, page.takes.len()), (8, 2));
        assert!(s.review_queue_page(8, 3).unwrap().takes.is_empty());
        assert_eq!(s.review_queue_count().unwrap(), 8);
        // A huge page is cut to the most a page holds.
        assert_eq!(
            s.review_queue_page(0, u32::MAX).unwrap().takes.len(),
            8.min(crate::limits::MAX_PAGE as usize)
        );
        // Reviewed answers: newest first.
        for id in &q[..4] {
            s.conn
                .execute(
                    "INSERT INTO ratings (id, take_id, kind, status) VALUES (?1, ?1, 'reviewed', 'saved')",
                    params![id],
                )
                .unwrap();
        }
        let page = s.reviewed_answers_page(1, 2).unwrap();
        assert_eq!((page.total, ids(&page)), (4, vec![&*q[2], &*q[1]]));
        assert_eq!(s.reviewed_answers().unwrap().len(), 4);
    }

    #[test]
    fn a_questions_takes_and_when_each_question_was_last_practised() {
        let s = Store::open_in_memory().unwrap();
        let q = answers(&s, "q", 10, 3);
        answers(&s, "other", 9, 2);
        let reply = NewTake {
            parent_id: Some(&q[0]),
            ..NewTake::answer("reply", "q", 16000)
        };
        s.insert_recording(&reply).unwrap();
        let mine: Vec<_> = s
            .question_takes("q")
            .unwrap()
            .into_iter()
            .map(|t| t.id)
            .collect();
        // The reply was recorded "now", after the answers of January.
        assert_eq!(mine, ["reply", &q[2], &q[1], &q[0]]);
        assert!(s.question_takes("nobody").unwrap().is_empty());
        assert_eq!(s.answer_count().unwrap(), 5);
        let last = s.last_practiced().unwrap();
        assert_eq!(last.len(), 2);
        assert_eq!(last["other"], "2026-01-01T09:01:00.000Z");
        assert!(last["q"] > last["other"]);
    }

    #[test]
    fn migration_from_version_1_keeps_takes() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO takes (id, question_id, status, sample_rate, frames) VALUES ('t', 'q', 'complete', 16000, 5)",
            [],
        )
        .unwrap();
        let s = Store::prepare(conn).unwrap();
        let t = s.take("t").unwrap();
        assert_eq!((t.frames, t.round_id), (5, None));
    }

    #[test]
    fn file_database_uses_wal_and_refuses_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("candor.db");
        {
            let s = Store::open(&p).unwrap();
            let mode: String = s
                .conn
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap();
            assert_eq!(mode, "wal");
            let fk: i64 = s
                .conn
                .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
                .unwrap();
            assert_eq!(fk, 1);
            s.conn.pragma_update(None, "user_version", 99).unwrap();
        }
        let before = std::fs::read(&p).unwrap();
        let e = Store::open(&p).err().unwrap();
        assert_eq!(e.code(), "NewerDatabase");
        assert_eq!(std::fs::read(&p).unwrap(), before);
    }

    /// The files of a folder with their bytes, to show a refused open changed nothing.
    fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    /// A real database with a take in it, closed (so its WAL is checkpointed away).
    fn written_database(p: &Path) {
        let s = Store::open(p).unwrap();
        s.insert_recording(&NewTake::answer("t", "q", 16000))
            .unwrap();
    }

    #[test]
    fn newer_database_is_refused_without_any_write() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("candor.db");
        written_database(&p);
        {
            let c = Connection::open(&p).unwrap();
            c.pragma_update(None, "user_version", schema_version() + 1)
                .unwrap();
        }
        let before = snapshot(dir.path());
        assert_eq!(before.len(), 1, "only the database file: {before:?}");
        let e = Store::open(&p).err().unwrap();
        assert_eq!(e.code(), "NewerDatabase");
        assert!(e.to_string().contains("Nothing was changed"), "{e}");
        // Same bytes, and no -wal or -shm file was created beside it.
        assert_eq!(snapshot(dir.path()), before);
    }

    #[test]
    fn corrupt_database_is_refused_without_any_write() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("candor.db");
        written_database(&p);
        let good = std::fs::read(&p).unwrap();
        let mut garbage = good.clone();
        garbage[..100].fill(0x5A);
        let cases: Vec<(&str, Vec<u8>)> = vec![
            (
                "garbage bytes",
                (0..9000u32).map(|i| (i * 31 % 251) as u8).collect(),
            ),
            ("a garbage header", garbage),
            ("truncated to a few bytes", good[..7].to_vec()),
            ("truncated mid-header", good[..60].to_vec()),
            ("truncated to one page", good[..4096].to_vec()),
            (
                "truncated to half its length",
                good[..good.len() / 2].to_vec(),
            ),
        ];
        for (what, bytes) in cases {
            std::fs::write(&p, &bytes).unwrap();
            let before = snapshot(dir.path());
            let e = Store::open(&p)
                .err()
                .unwrap_or_else(|| panic!("{what}: opened"));
            assert_eq!(e.code(), "CorruptDatabase", "{what}: {e}");
            assert!(e.to_string().contains("backup"), "{what}: {e}");
            assert_eq!(snapshot(dir.path()), before, "{what}: files changed");
        }
    }

    #[test]
    fn an_empty_or_missing_file_is_a_new_database() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("candor.db");
        std::fs::write(&p, b"").unwrap();
        assert!(Store::open(&p).is_ok());
        let q = dir.path().join("new.db");
        assert!(Store::open(&q).is_ok());
    }

    #[test]
    fn the_read_only_look_works_in_a_folder_with_uri_characters() {
        let dir = tempfile::tempdir().unwrap();
        let odd = dir.path().join("my data #1 ?100% é");
        std::fs::create_dir(&odd).unwrap();
        let p = odd.join("candor.db");
        written_database(&p);
        assert_eq!(Store::open(&p).unwrap().take("t").unwrap().question_id, "q");
        Connection::open(&p)
            .unwrap()
            .pragma_update(None, "user_version", schema_version() + 1)
            .unwrap();
        assert_eq!(Store::open(&p).err().unwrap().code(), "NewerDatabase");
    }

    #[test]
    fn a_database_with_a_crash_left_wal_still_opens() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("candor.db");
        let s = Store::open(&p).unwrap();
        s.insert_recording(&NewTake::answer("t", "q", 16000))
            .unwrap();
        // While `s` is open its -wal file exists: a second open is what a restart after a
        // crash sees (committed data only in the WAL).
        assert!(dir.path().join("candor.db-wal").exists());
        let again = Store::open(&p).unwrap();
        assert_eq!(again.take("t").unwrap().question_id, "q");
    }

    #[test]
    fn settings_round_trip() {
        let s = Store::open_in_memory().unwrap();
        assert_eq!(s.setting("device").unwrap(), None);
        s.set_setting("device", "alsa:default").unwrap();
        s.set_setting("device", "alsa:pulse").unwrap();
        assert_eq!(s.setting("device").unwrap().as_deref(), Some("alsa:pulse"));
    }
}
