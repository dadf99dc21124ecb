//! The local store: an SQLite mirror of studies, interviews and their
//! details, the sync state of each study, and the user's triage marks.
//!
//! One connection per process, behind a mutex ([`SharedStore`]); calls are
//! blocking, so async code reaches it through [`with_store`], which runs
//! them on tokio's blocking pool. Several processes (a browser and a
//! `uj sync`) share a file safely: WAL lets readers run beside the one
//! writer, writes take the lock up front (`BEGIN IMMEDIATE`) and wait for
//! it (busy timeout) rather than fail.
//!
//! The schema is in `docs/store.md`; mirrored tables may be rewritten by
//! any sync, `marks` never is.

mod clock;
mod coding;
mod evidence;
mod exchange;
mod marks;
pub mod query;
mod read;
mod research;
pub mod schema;
pub mod search;
mod window;
mod write;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};
use thiserror::Error;

/// How a write maps a database error (see `Store::errors`).
type Errors = dyn Fn(rusqlite::Error) -> StoreError;
use url::Url;

pub use coding::{
    CODE_CHARS, Code, CodeEntry, CodeTree, Highlight, NewHighlight, Quoted, Snapshot, Step,
    clean_code_name, new_uid,
};
pub use evidence::{Evidence, Matrix, MatrixRow, Segment, in_column};
pub use exchange::{
    FORMAT as WORK_FORMAT, Imported, Record as WorkRecord, parse_line as parse_work_line,
};
pub use marks::{
    MAX_TAGS, MarkChange, MarkFilters, MarkRecord, Marks, Merged, NOTE_CHARS, Salvaged, TAG_CHARS,
    salvage_marks,
};
pub use read::{ListQuery, Order, StoredDetail, StoredStudy, SyncState};
pub use research::{AnswerRow, Overview, QuestionCount};
pub use window::{StudyCount, Window, read_window};
pub use write::{BACKOFF_MAX, BACKOFF_MIN, PageOutcome, RECENT, Refetch};

/// How long a write waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(15);

/// A store failure, each with what to do.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum StoreError {
    #[error(
        "the local store {path} was written by a newer uj (schema {found}; this uj knows up to {known}): upgrade uj, or point data_dir elsewhere; the file was left untouched"
    )]
    Newer {
        path: String,
        found: i64,
        known: i64,
    },
    #[error(
        "the local store {path} is damaged or is not a uj database ({detail}): first save your marks with `uj marks export --from {path} > marks.jsonl`, then move it away (mv {path} {path}.bad), run `uj sync` to start a new one, and `uj marks import marks.jsonl`"
    )]
    Corrupt { path: String, detail: String },
    #[error(
        "the local store {path} cannot be written ({detail}): check the directory's permissions and free space, set data_dir in the config, or use --no-store"
    )]
    Unwritable { path: String, detail: String },
    /// A user's change past a limit: nothing was saved.
    #[error("{0}")]
    Refused(String),
    #[error(
        "the local store {path} can be read but not written here: check who owns it, or set data_dir to a store of your own"
    )]
    ReadOnly { path: String },
    #[error(
        "the local store {path} can be read but not written here, and was written by an older uj (schema {found}): open it once where it can be written so uj can upgrade it"
    )]
    ReadOnlyOld { path: String, found: i64 },
    #[error("the local store {path} failed ({detail}): retry, and report it if it persists")]
    Failed { path: String, detail: String },
}

/// The store and where it lives (`None` for an in-memory one).
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// Opened read-only: the file can be read but not written here (owned
    /// by another user, a read-only mount). Reads work; writes are refused
    /// with [`StoreError::ReadOnly`].
    read_only: bool,
    /// SQLite reported the file damaged: nothing more is written to it.
    damaged: Arc<AtomicBool>,
}

pub use crate::crash::{CRASH_AFTER_ENV, CRASH_MIDWAY_ENV};

/// The one connection of this process.
pub type SharedStore = Arc<Mutex<Store>>;

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// The database file for an API base URL inside `data_dir`: a readable
/// name from the host and path, and a hash of the whole URL so two URLs
/// never share a file.
pub fn database_path(data_dir: &Path, base_url: &Url) -> PathBuf {
    let host = base_url.host_str().unwrap_or("local");
    let mut name: String = format!("{host}{}", base_url.path())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    name = name.trim_matches('-').chars().take(60).collect();
    data_dir.join(format!(
        "{name}-{:08x}.sqlite3",
        fnv1a(base_url.as_str()) as u32
    ))
}

/// The database file of a profile: its own, so two profiles with two keys
/// on one base URL never share a study (without one, as before).
pub fn database_path_for(data_dir: &Path, base_url: &Url, profile: Option<&str>) -> PathBuf {
    let plain = database_path(data_dir, base_url);
    let Some(profile) = profile else {
        return plain;
    };
    let safe: String = profile
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    let name = plain
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    data_dir.join(format!(
        "{name}-{safe}-{:08x}.sqlite3",
        fnv1a(profile) as u32
    ))
}

/// A stable hash (std's hashers may change between Rust releases, and the
/// names made from it must not): FNV-1a.
pub fn fnv1a(text: &str) -> u64 {
    fnv1a_from(0xcbf2_9ce4_8422_2325, text)
}

/// FNV-1a from another starting value (two of them make 128 bits).
pub fn fnv1a_from(offset: u64, text: &str) -> u64 {
    text.bytes().fold(offset, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Now, as the user's work is stamped: UTC with milliseconds.
fn now_millis() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Store {
    /// Opens (creating if needed) the store at `path`: the directory is
    /// made private (0700) and the file 0600, then the schema is brought
    /// up to date. A newer or damaged file is refused and left as it is.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        let unwritable = |e: std::io::Error| StoreError::Unwritable {
            path: shown.clone(),
            detail: e.to_string(),
        };
        // Modes are set only on what uj creates: an existing directory or
        // file (another user's, a newer uj's, a symlink's target) keeps its
        // own.
        if path.symlink_metadata().is_err() {
            if let Some(dir) = path.parent() {
                private_dir(dir).map_err(|e| StoreError::Unwritable {
                    path: dir.display().to_string(),
                    detail: e.to_string(),
                })?;
            }
            private_file(path).map_err(unwritable)?;
        }
        // SQLite opens a file it may not write read-only by itself.
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(&shown, e))?;
        let writable = !conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true)
            && path.parent().is_none_or(dir_writable);
        if writable {
            return Store::prepare(conn, Some(path.to_path_buf()));
        }
        drop(conn);
        Store::open_read_only(path)
    }

    /// Opens a store this process may read but not write. A store written
    /// by this uj is read as it is; nothing is migrated or written.
    fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        let fail = |e| classify(&shown, e);
        let open = |immutable: bool| -> rusqlite::Result<Connection> {
            if immutable {
                // A WAL file in a directory we cannot write has no shared
                // memory to read through: read the file as it stands.
                open_immutable(path)
            } else {
                Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
            }
        };
        let mut conn = open(false).map_err(fail)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
        let found = match while_busy(|| schema::version(&conn)) {
            Ok(v) => v,
            Err(_) => {
                conn = open(true).map_err(fail)?;
                while_busy(|| schema::version(&conn)).map_err(fail)?
            }
        };
        if found > schema::CURRENT {
            return Err(StoreError::Newer {
                path: shown,
                found,
                known: schema::CURRENT,
            });
        }
        if found < schema::CURRENT {
            return Err(StoreError::ReadOnlyOld { path: shown, found });
        }
        Ok(Store {
            conn,
            path: Some(path.to_path_buf()),
            read_only: true,
            damaged: Arc::default(),
        })
    }

    /// Another connection to the same file (for a reader beside the
    /// sync's writer); `None` for an in-memory store, which has one.
    pub fn reopen(&self) -> Option<Result<Store, StoreError>> {
        let path = self.path.as_ref()?;
        Some(if self.read_only {
            Store::open_read_only(path)
        } else {
            Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| classify(&path.display().to_string(), e))
            .and_then(|conn| Store::prepare(conn, Some(path.clone())))
        })
    }

    /// SQLite's `data_version`: it changes when another connection
    /// commits to the file (never for this connection's own writes).
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(|e| self.error(e))
    }

    /// Whether this store can be read but not written.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Refuses a write on a read-only store, or on a file SQLite has
    /// found damaged (writing would make the damage worse).
    fn writable(&self) -> Result<(), StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly { path: self.shown() });
        }
        if self.damaged.load(Ordering::SeqCst) {
            return Err(StoreError::Corrupt {
                path: self.shown(),
                detail: "found damaged while in use; nothing more is written to it".into(),
            });
        }
        Ok(())
    }

    /// A store that lives only as long as this process (`--demo`,
    /// `--snapshot`, `--no-store`).
    pub fn in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().map_err(|e| classify("(in memory)", e))?;
        Store::prepare(conn, None)
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>) -> Result<Store, StoreError> {
        let shown = path
            .as_ref()
            .map_or_else(|| "(in memory)".to_string(), |p| p.display().to_string());
        let fail = |e| classify(&shown, e);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
        // Read before anything writes: a newer database must stay untouched.
        let found = while_busy(|| schema::version(&conn)).map_err(fail)?;
        if found > schema::CURRENT {
            return Err(StoreError::Newer {
                path: shown,
                found,
                known: schema::CURRENT,
            });
        }
        if path.is_some() {
            let mode: String =
                while_busy(|| conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)))
                    .map_err(fail)?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!(mode, "the store could not switch to WAL");
            }
        }
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(fail)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(fail)?;
        let mut rebuilding = search::IndexProgress::new(&shown);
        while_busy(|| {
            schema::migrate(&mut conn, found, schema::CURRENT, &mut |done, of| {
                rebuilding.report(done, of)
            })
        })
        .map_err(fail)?;
        let rebuilt = rebuilding.finish();
        if rebuilt {
            give_back_free_space(&conn, &shown);
        }
        let store = Store {
            conn,
            path,
            read_only: false,
            damaged: Arc::default(),
        };
        Ok(store)
    }

    /// Wraps the store for sharing between tasks.
    pub fn shared(self) -> SharedStore {
        Arc::new(Mutex::new(self))
    }

    /// Where the file is (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether the data is kept only for this session.
    pub fn is_memory(&self) -> bool {
        self.path.is_none()
    }

    /// The connection, for tests and diagnostics (integrity checks, marks
    /// fixtures); the application goes through the typed calls.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Counts a committed write (see [`CRASH_AFTER_ENV`]).
    fn committed(&mut self) {
        crate::crash::wrote();
    }

    /// Runs `write` in one transaction and commits it, counting the commit
    /// (see [`CRASH_AFTER_ENV`]); an error from `write` rolls it all back.
    /// The transaction is immediate: it takes the write lock at once, so
    /// a store busy elsewhere fails before anything is done. Nothing is
    /// written to a store that is read-only or was found damaged.
    fn in_write<T>(
        &mut self,
        write: impl FnOnce(&mut rusqlite::Transaction<'_>, &Errors) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.writable()?;
        let err = self.errors();
        let mut tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&err)?;
        let out = write(&mut tx, &err)?;
        tx.commit().map_err(&err)?;
        self.committed();
        Ok(out)
    }

    /// The file's name for messages.
    fn shown(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "(in memory)".to_string(), |p| p.display().to_string())
    }

    fn error(&self, e: rusqlite::Error) -> StoreError {
        (self.errors())(e)
    }

    /// An error mapper that does not borrow the store (for use while a
    /// transaction holds it). A damaged file is remembered, so no later
    /// write touches it.
    fn errors(&self) -> impl Fn(rusqlite::Error) -> StoreError + use<> {
        let shown = self.shown();
        let damaged = self.damaged.clone();
        move |e| {
            let e = classify(&shown, e);
            if matches!(e, StoreError::Corrupt { .. }) {
                damaged.store(true, Ordering::SeqCst);
            }
            e
        }
    }
}

/// Opens `path` read-only as it stands on disk (`immutable=1`): no
/// shared memory, no lock, nothing written.
fn open_immutable(path: &Path) -> rusqlite::Result<Connection> {
    let uri = url::Url::from_file_path(path)
        .map(|u| format!("{u}?immutable=1"))
        .map_err(|()| rusqlite::Error::InvalidPath(path.to_path_buf()))?;
    Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// Retries `f` while SQLite answers "busy" without waiting itself, as it
/// does when another process switches the file to WAL or holds the lock
/// during the switch (the busy timeout covers ordinary waits).
fn while_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match f() {
            Err(e)
                if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

/// Runs a blocking store call off the async threads.
pub async fn with_store<T, F>(store: &SharedStore, f: F) -> Result<T, StoreError>
where
    T: Send + 'static,
    F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
{
    let store = store.clone();
    tokio::task::spawn_blocking(move || {
        let mut guard = store.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    })
    .await
    .unwrap_or_else(|e| {
        Err(StoreError::Failed {
            path: "(store task)".into(),
            detail: e.to_string(),
        })
    })
}

fn classify(path: &str, e: rusqlite::Error) -> StoreError {
    let path = path.to_string();
    let detail = e.to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            StoreError::Corrupt { path, detail }
        }
        Some(
            ErrorCode::DiskFull
            | ErrorCode::ReadOnly
            | ErrorCode::CannotOpen
            | ErrorCode::PermissionDenied
            | ErrorCode::SystemIoFailure,
        ) => StoreError::Unwritable { path, detail },
        _ => StoreError::Failed { path, detail },
    }
}

/// Creates the data directory (0700) if it is missing; an existing one
/// keeps its mode.
#[cfg(unix)]
fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Creates the database file 0600 (whatever the umask).
#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
        .map(|_| ())
}

/// Whether this process may create files in `dir` (SQLite's `-wal` and
/// `-shm` files beside the database).
#[cfg(unix)]
pub fn dir_writable(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: access only reads the NUL-terminated path.
    unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) == 0 }
}

#[cfg(not(unix))]
pub fn dir_writable(_dir: &Path) -> bool {
    true
}

#[cfg(not(unix))]
fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(|_| ())
}

/// After the index was rebuilt smaller, the old one's pages are free but
/// still in the file: `VACUUM` gives them back to the disk (once; it needs
/// as much free disk as the file's new size). Failing is not fatal: SQLite
/// reuses free pages for what the next syncs write.
fn give_back_free_space(conn: &Connection, shown: &str) {
    let free = conn
        .query_row(
            "SELECT f.freelist_count * p.page_size FROM pragma_freelist_count f, pragma_page_size p",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap_or(0);
    if free < 32 << 20 {
        return;
    }
    eprintln!(
        "uj: giving the {} MB the old index no longer needs back to the disk",
        free >> 20
    );
    if let Err(e) = conn.execute_batch("VACUUM") {
        eprintln!(
            "uj: {} keeps its free space ({e}); SQLite reuses it for what is stored next",
            crate::text::sanitize_line(shown)
        );
    }
}
