//! The schema, for every table family: the numbered migrations (1 takes and settings; 2 the
//! user's questions, hidden questions, rounds, `takes.round_id` and reviews; 3 take_metrics;
//! 4 ratings with their scores, checks, flags and feelings, and markers; 5 question_cards and
//! covering indexes; 6 the progress facts kept on ratings, scores and checks by triggers; 7
//! indexes for the review lists; 8 lost audio; 9 stored waveforms; 10 feeling scores of questions
//! that do not ask for them set apart; 11 the user's positions; 12 transcripts and their search;
//! 13 transcription failures; 14 delivery from words; 15 model speed; 16 push-back choices; 17
//! second opinions: anchored re-ratings, shares and outside raters' opinions), the schema
//! version, and test helpers over them.

use rusqlite::Transaction;
use rusqlite_migration::{HookError, HookResult, Migrations, M};

#[cfg(test)]
use crate::error::{CoreError, Result};

/// The numbered migrations, in order; a new schema change is appended, never edited.
pub(super) fn migrations() -> Migrations<'static> {
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
        // 9: the waveform as drawn (the loudest sample of each of up to 1600 slices, 16-bit
        // little-endian), stored with the figures at stop so Review never reads the WAV for it.
        M::up(
            r#"
ALTER TABLE take_metrics ADD COLUMN peaks BLOB;
"#,
        ),
        // 10: the feeling check is scored only on questions that ask how the candidate felt
        // (tagged `feeling`). Feeling scores given before, on a question that does not ask for
        // it, are moved here: kept with their rating (and in backups), and left out of means,
        // spaced-repetition grades and the weakest criterion, as new ones are never given.
        M::up_with_hook(
            r#"
CREATE TABLE rating_scores_not_asked (
    rating_id  TEXT NOT NULL REFERENCES ratings(id) ON DELETE CASCADE,
    criterion  TEXT NOT NULL,
    score      INTEGER CHECK (score IS NULL OR score BETWEEN 1 AND 5),
    note       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (rating_id, criterion)
);
"#,
            set_apart_unasked_feeling,
        ),
        // 11: the user's position on each reading item (a category of the bank): a one-sentence
        // view, how confident (percent), what would change their mind, and their question.
        M::up(
            r#"
CREATE TABLE positions (
    category     TEXT PRIMARY KEY,
    view         TEXT NOT NULL DEFAULT '',
    confidence   INTEGER CHECK (confidence IS NULL OR confidence BETWEEN 0 AND 100),
    would_change TEXT NOT NULL DEFAULT '',
    question     TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
"#,
        ),
        // 12: a take's words as a speech model heard them (JSON lists of words and segments),
        // with the model's name and checksum, and a full-text index over every transcript.
        M::up(
            r#"
CREATE TABLE transcripts (
    take_id      TEXT PRIMARY KEY REFERENCES takes(id) ON DELETE CASCADE,
    model        TEXT NOT NULL,
    model_sha256 TEXT NOT NULL,
    model_bytes  INTEGER NOT NULL,
    text         TEXT NOT NULL,
    words        TEXT NOT NULL,
    segments     TEXT NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE VIRTUAL TABLE transcript_search USING fts5(
    text, content = 'transcripts', content_rowid = 'rowid', tokenize = 'unicode61'
);
CREATE TRIGGER transcript_search_new AFTER INSERT ON transcripts BEGIN
    INSERT INTO transcript_search (rowid, text) VALUES (NEW.rowid, NEW.text);
END;
CREATE TRIGGER transcript_search_gone AFTER DELETE ON transcripts BEGIN
    INSERT INTO transcript_search (transcript_search, rowid, text) VALUES ('delete', OLD.rowid, OLD.text);
END;
CREATE TRIGGER transcript_search_changed AFTER UPDATE ON transcripts BEGIN
    INSERT INTO transcript_search (transcript_search, rowid, text) VALUES ('delete', OLD.rowid, OLD.text);
    INSERT INTO transcript_search (rowid, text) VALUES (NEW.rowid, NEW.text);
END;
"#,
        ),
        // 13: takes whose transcription failed, with why (the background queue skips them until
        // the user asks again); gone with the take.
        M::up(
            r#"
CREATE TABLE transcript_failures (
    take_id   TEXT PRIMARY KEY REFERENCES takes(id) ON DELETE CASCADE,
    model     TEXT NOT NULL,
    reason    TEXT NOT NULL,
    failed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
"#,
        ),
        // 14: the delivery read from a transcript's words (JSON: pace, fillers, longest stretch
        // without one, repeated phrases, uncertainty voiced), kept for the weekly figures, with
        // the checksum of the cue lists it was read with (read again when they change).
        M::up(
            r#"
ALTER TABLE transcripts ADD COLUMN delivery TEXT;
ALTER TABLE transcripts ADD COLUMN cues TEXT NOT NULL DEFAULT '';
"#,
        ),
        // 15: each speech model's speed on this machine: the audio it has transcribed and the
        // time that took, summed (Settings shows it beside the model).
        M::up(
            r#"
CREATE TABLE model_speed (
    model_sha256 TEXT PRIMARY KEY,
    audio_s      REAL NOT NULL CHECK (audio_s >= 0),
    compute_s    REAL NOT NULL CHECK (compute_s >= 0)
);
"#,
        ),
        // 16: why the interviewer asked the push-back a reply answers: the rule that chose it
        // (assets/pushbacks.toml, or 'question' for the question's own list) and the reason in
        // words, shown in Review; gone with the take.
        M::up(
            r#"
CREATE TABLE pushback_choices (
    take_id TEXT PRIMARY KEY REFERENCES takes(id) ON DELETE CASCADE,
    rule    TEXT NOT NULL,
    reason  TEXT NOT NULL
);
"#,
        ),
        // 17: second opinions, kept apart from the user's own ratings so they never grade a
        // question (FSRS) or enter the weekly means. anchored_scores: a criterion rated again
        // with the example answers in view. shares: each page of takes sent out for rating,
        // with the secret its answer files are sealed with and each take's audio checksum.
        // opinions: an outside rater's rating of a take, from an answer file, with its scores,
        // checks and red flags; gone with the take.
        M::up(
            r#"
CREATE TABLE anchored_scores (
    take_id   TEXT NOT NULL REFERENCES takes(id) ON DELETE CASCADE,
    criterion TEXT NOT NULL,
    score     INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    note      TEXT NOT NULL DEFAULT '',
    saved_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (take_id, criterion)
);
CREATE TABLE shares (
    id      TEXT PRIMARY KEY NOT NULL,
    secret  TEXT NOT NULL,
    made_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE share_takes (
    share_id     TEXT NOT NULL REFERENCES shares(id) ON DELETE CASCADE,
    take_id      TEXT NOT NULL REFERENCES takes(id) ON DELETE CASCADE,
    audio_sha256 TEXT NOT NULL,
    PRIMARY KEY (share_id, take_id)
);
CREATE TABLE opinions (
    id           TEXT PRIMARY KEY NOT NULL,
    take_id      TEXT NOT NULL REFERENCES takes(id) ON DELETE CASCADE,
    share_id     TEXT NOT NULL,
    rater        TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    audio_sha256 TEXT NOT NULL,
    saved_at     TEXT NOT NULL,
    imported_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (take_id, share_id, rater)
);
CREATE INDEX opinions_by_take ON opinions(take_id, imported_at);
CREATE TABLE opinion_scores (
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    criterion  TEXT NOT NULL,
    score      INTEGER CHECK (score IS NULL OR score BETWEEN 1 AND 5),
    note       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (opinion_id, criterion)
);
CREATE TABLE opinion_checks (
    opinion_id  TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    criterion   TEXT NOT NULL,
    check_index INTEGER NOT NULL CHECK (check_index >= 0),
    answer      TEXT NOT NULL CHECK (answer IN ('yes', 'partly', 'no')),
    PRIMARY KEY (opinion_id, criterion, check_index)
);
CREATE TABLE opinion_flags (
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    flag       TEXT NOT NULL,
    PRIMARY KEY (opinion_id, flag)
);
"#,
        ),
    ])
}

/// Migration 10's move: feeling scores of answers to questions that do not ask how the candidate
/// felt (neither a shipped question tagged `feeling` nor one of the user's that is) go to
/// `rating_scores_not_asked`; the triggers of migration 6 recompute each rating's mean.
fn set_apart_unasked_feeling(tx: &Transaction) -> HookResult {
    let bank = crate::bank::builtin().map_err(|e| HookError::Hook(e.to_string()))?;
    let mut asking: Vec<String> = bank
        .questions
        .iter()
        .filter(|q| q.asks_feeling())
        .map(|q| q.id.clone())
        .collect();
    let mut own = tx.prepare(
        "SELECT id FROM custom_questions
         WHERE EXISTS (SELECT 1 FROM json_each(criteria) WHERE value = 'feeling')",
    )?;
    for id in own.query_map([], |r| r.get::<_, String>(0))? {
        asking.push(id?);
    }
    let asking = serde_json::to_string(&asking).map_err(|e| HookError::Hook(e.to_string()))?;
    let unasked = "SELECT s.rating_id FROM rating_scores s
         JOIN ratings r ON r.id = s.rating_id JOIN takes t ON t.id = r.take_id
         WHERE s.criterion = 'feeling'
           AND t.question_id NOT IN (SELECT value FROM json_each(?1))";
    tx.execute(
        &format!(
            "INSERT INTO rating_scores_not_asked (rating_id, criterion, score, note)
             SELECT rating_id, criterion, score, note FROM rating_scores
             WHERE criterion = 'feeling' AND rating_id IN ({unasked})"
        ),
        [&asking],
    )?;
    tx.execute(
        &format!(
            "DELETE FROM rating_scores WHERE criterion = 'feeling' AND rating_id IN ({unasked})"
        ),
        [&asking],
    )?;
    Ok(())
}

/// Applies only the first `version` migrations (tests build databases as older Candors left them).
#[cfg(test)]
pub(crate) fn migrate_to(conn: &mut rusqlite::Connection, version: usize) -> Result<()> {
    migrations()
        .to_version(conn, version)
        .map_err(|e| CoreError::Database(format!("updating the schema: {e}")))
}

/// Rows whose progress facts (migration 6) differ from what the joins of takes and ratings say:
/// 0 after any write, whoever made it (tests check it after each kind of write).
#[cfg(test)]
pub(crate) fn stale_progress_facts(conn: &rusqlite::Connection) -> i64 {
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
    17
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[test]
    fn migration_from_version_1_keeps_takes() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
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

    /// A saved review of take `take` (answering `question`) scoring every criterion `score`.
    fn reviewed(conn: &rusqlite::Connection, take: &str, question: &str, score: i64) {
        conn.execute(
            "INSERT INTO takes (id, question_id, status, sample_rate, frames, started_at)
             VALUES (?1, ?2, 'complete', 16000, 5, '2026-11-02T10:00:00Z')",
            rusqlite::params![take, question],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO ratings (id, take_id, kind, status, step) VALUES (?1, ?1, 'reviewed', 'saved', 9)",
            [take],
        )
        .unwrap();
        for c in crate::bank::CRITERIA {
            let s = if c == "feeling" { 1 } else { score };
            conn.execute(
                "INSERT INTO rating_scores (rating_id, criterion, score, note) VALUES (?1, ?2, ?3, 'n')",
                rusqlite::params![take, c, s],
            )
            .unwrap();
        }
    }

    #[test]
    fn migration_10_sets_apart_feeling_scores_of_questions_that_do_not_ask_for_them() {
        let bank = crate::bank::builtin().unwrap();
        let asks = bank.questions.iter().find(|q| q.asks_feeling()).unwrap();
        let does_not = bank.questions.iter().find(|q| !q.asks_feeling()).unwrap();
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 9).unwrap();
        conn.execute(
            "INSERT INTO custom_questions (id, category, reading, prompt, criteria, pushbacks)
             VALUES ('my-felt', 'behavioral', '', 'How did it feel?', '[\"feeling\"]', '[\"Why?\"]')",
            [],
        )
        .unwrap();
        reviewed(&conn, "asked", &asks.id, 4);
        reviewed(&conn, "unasked", &does_not.id, 4);
        reviewed(&conn, "mine", "my-felt", 4);
        migrations().to_latest(&mut conn).unwrap();

        let scores = |rating: &str, table: &str| -> Vec<(String, i64)> {
            let mut st = conn
                .prepare(&format!(
                    "SELECT criterion, score FROM {table} WHERE rating_id = ?1 ORDER BY criterion"
                ))
                .unwrap();
            st.query_map([rating], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let mean = |rating: &str| -> f64 {
            conn.query_row("SELECT mean FROM ratings WHERE id = ?1", [rating], |r| {
                r.get(0)
            })
            .unwrap()
        };
        // Asked (shipped or the user's own): the feeling score stays and counts.
        assert!(scores("asked", "rating_scores").contains(&("feeling".into(), 1)));
        assert!(scores("mine", "rating_scores").contains(&("feeling".into(), 1)));
        assert!((mean("asked") - 17.0 / 5.0).abs() < 1e-9);
        // Not asked: kept apart with its note, out of the rating's mean.
        assert!(!scores("unasked", "rating_scores")
            .iter()
            .any(|(c, _)| c == "feeling"));
        assert_eq!(
            scores("unasked", "rating_scores_not_asked"),
            [("feeling".into(), 1)]
        );
        assert!((mean("unasked") - 4.0).abs() < 1e-9);
        assert_eq!(stale_progress_facts(&conn), 0);
    }
}
