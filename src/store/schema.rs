//! The store's schema and its migrations. `PRAGMA user_version` says which
//! migrations a database has had; each runs in its own transaction, so a
//! crash mid-migration leaves the database at the previous version.
//!
//! Rules for a new migration: append it (never edit one that shipped), and
//! never drop, rewrite or move rows of `marks`, `codes`, `highlights` or
//! `highlight_codes`: they are the user's work.

use rusqlite::{Connection, TransactionBehavior};

/// Migration `n` (0-based) takes a database from version `n` to `n + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: the mirror of the API, its sync state, and the user's marks.
    r#"
    CREATE TABLE studies (
        id          TEXT PRIMARY KEY,
        position    INTEGER NOT NULL DEFAULT 0,
        list_json   TEXT,
        detail_json TEXT
    );
    CREATE TABLE interviews (
        id           TEXT PRIMARY KEY,
        study_id     TEXT NOT NULL,
        position     INTEGER NOT NULL,
        status       TEXT,
        quality      TEXT,
        reference_id TEXT,
        language     TEXT,
        started_at   TEXT,
        json         TEXT NOT NULL,
        walk         INTEGER NOT NULL
    );
    CREATE INDEX interviews_in_order ON interviews(study_id, position, id);
    CREATE INDEX interviews_by_status ON interviews(study_id, status, position, id);
    CREATE INDEX interviews_by_quality ON interviews(study_id, quality, position, id);
    CREATE INDEX interviews_by_reference ON interviews(reference_id);
    CREATE INDEX interviews_overview ON interviews(study_id, quality, status, language, started_at);
    CREATE TABLE details (
        interview_id TEXT PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
        json         TEXT NOT NULL,
        list_json    TEXT NOT NULL,
        fetched_at   TEXT NOT NULL
    );
    CREATE TABLE sync_state (
        study_id     TEXT PRIMARY KEY,
        walk         INTEGER NOT NULL DEFAULT 0,
        walk_done    INTEGER NOT NULL DEFAULT 0,
        last_synced  TEXT
    );
    CREATE TABLE marks (
        interview_id TEXT PRIMARY KEY,
        study_id     TEXT NOT NULL,
        reviewed     INTEGER NOT NULL DEFAULT 0,
        starred      INTEGER NOT NULL DEFAULT 0,
        tags         TEXT NOT NULL DEFAULT '[]',
        note         TEXT NOT NULL DEFAULT '',
        updated_at   TEXT NOT NULL
    );
    CREATE INDEX marks_by_study ON marks(study_id);
    CREATE TABLE answered (
        interview_id   TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
        question_index INTEGER NOT NULL,
        PRIMARY KEY (interview_id, question_index)
    ) WITHOUT ROWID;
    "#,
    // 2: the full-text index, derived from interviews and details (see
    // store/search.rs): one row per interview, its rowid the interview's;
    // filled from what is stored right after migrating.
    r#"
    CREATE VIRTUAL TABLE search USING fts5(
        text, grams,
        interview_id UNINDEXED, study_id UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
    );
    "#,
    // 3: the duration as a column, so the list can be ordered by it
    // (`O`: longest first) without reading every row's JSON.
    r#"
    ALTER TABLE interviews ADD COLUMN duration REAL;
    UPDATE interviews SET duration = json_extract(json, '$.duration_secs');
    CREATE INDEX interviews_by_duration ON interviews(study_id, duration);
    "#,
    // 4: small preferences of this store's user (the study last opened).
    r#"
    CREATE TABLE prefs (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    "#,
    // 5: how many fetches in a row found an interview's list object
    // unchanged, for the re-fetch backoff of live interviews.
    r#"
    ALTER TABLE details ADD COLUMN unchanged INTEGER NOT NULL DEFAULT 0;
    "#,
    // 6: coding, the user's work like marks: no foreign key to mirrored
    // rows, so no sync or cascade removes a highlight. A highlight keeps
    // its quote, speaker and time so it reads without its interview.
    r#"
    CREATE TABLE codes (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        study_id    TEXT NOT NULL,
        name        TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        parent_id   INTEGER,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE UNIQUE INDEX codes_by_name ON codes(study_id, name COLLATE NOCASE);
    CREATE TABLE highlights (
        id           INTEGER PRIMARY KEY,
        uid          TEXT NOT NULL UNIQUE,
        study_id     TEXT NOT NULL,
        interview_id TEXT NOT NULL,
        message      INTEGER,
        question     INTEGER,
        text_kind    TEXT NOT NULL,
        start_char   INTEGER NOT NULL,
        end_char     INTEGER NOT NULL,
        quote        TEXT NOT NULL,
        speaker      TEXT,
        at_secs      REAL,
        comment      TEXT NOT NULL DEFAULT '',
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
    );
    CREATE INDEX highlights_by_interview ON highlights(interview_id, message);
    CREATE INDEX highlights_by_study ON highlights(study_id, interview_id);
    CREATE TABLE highlight_codes (
        highlight_id INTEGER NOT NULL,
        code_id      INTEGER NOT NULL,
        PRIMARY KEY (highlight_id, code_id)
    ) WITHOUT ROWID;
    CREATE INDEX highlight_codes_by_code ON highlight_codes(code_id, highlight_id);
    "#,
    // 7: when and where each field of the user's work last changed, and
    // what was removed, so two stores can exchange it (store/clock.rs).
    // Only columns are added: no row of the user's is rewritten.
    r#"
    ALTER TABLE marks ADD COLUMN clock TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE codes ADD COLUMN clock TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE highlights ADD COLUMN clock TEXT NOT NULL DEFAULT '{}';
    CREATE TABLE tombstones (
        kind     TEXT NOT NULL,
        key      TEXT NOT NULL,
        study_id TEXT NOT NULL,
        at       TEXT NOT NULL,
        origin   TEXT NOT NULL,
        PRIMARY KEY (kind, key)
    ) WITHOUT ROWID;
    "#,
    // 8: an interview's segments by its id, so the matrix reads them from
    // the index instead of each interview's row (which holds its JSON).
    r#"
    CREATE INDEX interviews_segments ON interviews(id, quality, language, status);
    "#,
    // 9: how many interviews each study holds, kept current by the sync,
    // so opening a study counts nothing.
    r#"
    ALTER TABLE sync_state ADD COLUMN interviews INTEGER;
    UPDATE sync_state SET interviews =
        (SELECT COUNT(*) FROM interviews i WHERE i.study_id = sync_state.study_id);
    "#,
    // 10: the index without its own copy of the text (contentless; rows
    // removed by rowid): snippets and hit marks are made from the
    // mirror's text (store/search.rs). It was 2.9× the text, now ~1.2×.
    // `migrate` fills it in the same transaction.
    r#"
    DROP TABLE search;
    CREATE VIRTUAL TABLE search USING fts5(
        text, grams,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
    );
    "#,
];

/// The migration (0-based) that makes the index in its current form; it
/// is filled from the mirror as part of it.
const INDEX_FORM: usize = 9;

/// The version this `uj` writes.
pub const CURRENT: i64 = MIGRATIONS.len() as i64;

pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Applies the migrations after `from`, up to `to`, one transaction each.
/// The version is read again under the write lock, so two processes
/// opening a new file at once do not both migrate it. `progress` hears
/// how far the index's filling is (done, of), when a migration fills it.
pub fn migrate(
    conn: &mut Connection,
    from: i64,
    to: i64,
    progress: &mut dyn FnMut(u64, u64),
) -> rusqlite::Result<()> {
    if from >= to {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = version(&tx)?;
        let Some(sql) = usize::try_from(now)
            .ok()
            .filter(|_| now < to)
            .and_then(|i| MIGRATIONS.get(i))
        else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        if now == INDEX_FORM as i64 {
            super::search::fill(&tx, progress)?;
        }
        tx.pragma_update(None, "user_version", now + 1)?;
        tx.commit()?;
    }
}
