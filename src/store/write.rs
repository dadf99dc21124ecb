//! Writes of mirrored data. Each call is one committed transaction, so a
//! process killed at any point leaves the store as it was after the last
//! call that returned. Nothing here touches `marks`.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use crate::api::model::{Interview, InterviewDetail, Status, Study, StudyDetail};

/// What one committed page changed, and which details it calls for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageOutcome {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// (interview id, its list object as stored) for each interview whose
    /// detail is missing, stale, or may still change (not `completed`).
    pub need_detail: Vec<(String, String)>,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn to_json<T: serde::Serialize>(store: &Store, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Failed {
        path: store.shown(),
        detail: format!("could not encode JSON: {e}"),
    })
}

/// What is stored of an interview's last fetch.
struct Fetched {
    /// The list object the detail was fetched for.
    list_json: String,
    /// When (RFC 3339).
    at: String,
    /// Fetches in a row that found the list object unchanged.
    unchanged: i64,
}

/// When a sync fetches an interview's transcript again
/// (`docs/store.md`): when it is new or its list object changed; for one
/// still live (started or processing), also when it started less than a
/// day ago, or when its last fetch is older than a backoff that doubles
/// from an hour to a week with each fetch that found it unchanged.
/// `full` fetches everything again (`uj sync --full`).
#[derive(Debug, Clone, PartialEq)]
pub struct Refetch {
    pub full: bool,
    pub now: chrono::DateTime<chrono::Utc>,
    /// The details asked for are fetched right after (a sync with
    /// transcripts): their interviews are indexed once, when the detail
    /// is written. Indexing the list object first and the detail after
    /// made the index remove and write each new interview twice, which a
    /// contentless index pays for at every merge (the sync took 1.25×).
    pub details_follow: bool,
}

/// A live interview is fetched again at least this soon after it started.
pub const RECENT: chrono::TimeDelta = chrono::TimeDelta::hours(24);
/// The backoff starts here and doubles up to `BACKOFF_MAX`.
pub const BACKOFF_MIN: chrono::TimeDelta = chrono::TimeDelta::hours(1);
pub const BACKOFF_MAX: chrono::TimeDelta = chrono::TimeDelta::days(7);

impl Refetch {
    pub fn now() -> Refetch {
        Refetch {
            full: false,
            now: chrono::Utc::now(),
            details_follow: false,
        }
    }

    /// How long after a fetch that found it unchanged `n` times in a row
    /// a live interview waits before the next.
    pub fn backoff(n: i64) -> chrono::TimeDelta {
        let doublings = n.clamp(0, 16) as u32;
        BACKOFF_MIN
            .checked_mul(1 << doublings)
            .map_or(BACKOFF_MAX, |b| b.min(BACKOFF_MAX))
    }

    fn needs(&self, i: &Interview, json: &str, fetched: Option<&Fetched>) -> bool {
        let Some(f) = fetched else {
            return true;
        };
        if self.full || f.list_json != json {
            return true;
        }
        if i.status == Some(Status::Completed) {
            return false;
        }
        let parse = |t: &str| {
            chrono::DateTime::parse_from_rfc3339(t)
                .ok()
                .map(|d| d.with_timezone(&chrono::Utc))
        };
        let recent = i
            .started_at
            .as_deref()
            .and_then(parse)
            .is_some_and(|s| self.now - s < RECENT);
        let due = parse(&f.at).is_none_or(|at| self.now - at >= Refetch::backoff(f.unchanged));
        recent || due
    }
}

impl Store {
    /// Stores the project's study list, in the API's order.
    /// Remembers the study opened last (see [`Store::last_study`]).
    pub fn set_last_study(&mut self, id: &str) -> Result<(), StoreError> {
        self.writable()?;
        self.conn
            .execute(
                "INSERT INTO prefs (key, value) VALUES ('last_study', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = ?1",
                params![id],
            )
            .map(|_| ())
            .map_err(|e| self.error(e))
    }

    pub fn put_studies(&mut self, studies: &[Study]) -> Result<(), StoreError> {
        self.writable()?;
        let rows = studies
            .iter()
            .map(|s| Ok((s.id.clone(), to_json(self, s)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.in_write(|tx, err| {
            for (n, (id, json)) in rows.iter().enumerate() {
                tx.execute(
                    "INSERT INTO studies (id, position, list_json) VALUES (?1, ?2, ?3)
                     ON CONFLICT(id) DO UPDATE SET position = ?2, list_json = ?3",
                    params![id, n as i64, json],
                )
                .map_err(&err)?;
            }
            Ok(())
        })
    }

    /// Stores a study's detail (name, questions, interview count).
    pub fn put_study_detail(&mut self, detail: &StudyDetail) -> Result<(), StoreError> {
        self.writable()?;
        let json = to_json(self, detail)?;
        let err = self.errors();
        self.conn
            .execute(
                "INSERT INTO studies (id, position, detail_json)
                 VALUES (?1, (SELECT COALESCE(MAX(position), -1) + 1 FROM studies), ?2)
                 ON CONFLICT(id) DO UPDATE SET detail_json = ?2",
                params![detail.id, json],
            )
            .map_err(&err)?;
        self.committed();
        Ok(())
    }

    /// Starts a new walk of a study's list and returns its number. Rows
    /// the walk does not see again are removed by [`Store::finish_walk`].
    pub fn begin_walk(&mut self, study_id: &str) -> Result<i64, StoreError> {
        self.in_write(|tx, err| {
            tx.execute(
                "INSERT INTO sync_state (study_id, walk, walk_done) VALUES (?1, 1, 0)
                 ON CONFLICT(study_id) DO UPDATE SET walk = walk + 1, walk_done = 0",
                params![study_id],
            )
            .map_err(&err)?;
            let walk = tx
                .query_row(
                    "SELECT walk FROM sync_state WHERE study_id = ?1",
                    params![study_id],
                    |r| r.get(0),
                )
                .map_err(&err)?;
            Ok(walk)
        })
    }

    /// Commits one page of a walk: rows in the page's order from
    /// `first_position`, each tagged as seen by `walk`; the details the
    /// page calls for under the usual re-fetch rule, now.
    pub fn apply_page(
        &mut self,
        study_id: &str,
        walk: i64,
        first_position: i64,
        rows: &[Interview],
    ) -> Result<PageOutcome, StoreError> {
        self.apply_page_with(study_id, walk, first_position, rows, &Refetch::now())
    }

    /// [`Store::apply_page`] under a given re-fetch rule (and its clock).
    pub fn apply_page_with(
        &mut self,
        study_id: &str,
        walk: i64,
        first_position: i64,
        rows: &[Interview],
        refetch: &Refetch,
    ) -> Result<PageOutcome, StoreError> {
        self.writable()?;
        let encoded = rows
            .iter()
            .map(|i| to_json(self, i))
            .collect::<Result<Vec<_>, _>>()?;
        self.in_write(|tx, err| {
            let mut out = PageOutcome::default();
            // Interviews this study gains (new, or moved here from another).
            let mut added = 0i64;
            {
                let mut old_row = tx
                    .prepare_cached("SELECT json, study_id FROM interviews WHERE id = ?1")
                    .map_err(&err)?;
                let mut detail_for = tx
                    .prepare_cached(
                        "SELECT list_json, fetched_at, unchanged FROM details WHERE interview_id = ?1",
                    )
                    .map_err(&err)?;
                let mut upsert = tx
                    .prepare_cached(
                        "INSERT INTO interviews
                           (id, study_id, position, status, quality, reference_id, json, walk,
                            language, started_at, duration)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                         ON CONFLICT(id) DO UPDATE SET
                           study_id = ?2, position = ?3, status = ?4, quality = ?5,
                           reference_id = ?6, json = ?7, walk = MAX(walk, ?8),
                           language = ?9, started_at = ?10, duration = ?11",
                    )
                    .map_err(&err)?;
                for (n, (interview, json)) in rows.iter().zip(&encoded).enumerate() {
                    let found: Option<(String, String)> = old_row
                        .query_row(params![interview.id], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()
                        .map_err(&err)?;
                    // An interview that moves here from another study counts
                    // here now, not there.
                    if let Some((_, was)) = &found
                        && was != study_id
                    {
                        added += 1;
                        tx.execute(
                            "UPDATE sync_state SET interviews = interviews - 1
                              WHERE study_id = ?1 AND interviews IS NOT NULL",
                            params![was],
                        )
                        .map_err(&err)?;
                    }
                    let old = found.map(|(json, _)| json);
                    match &old {
                        None => {
                            out.new += 1;
                            added += 1;
                        }
                        Some(o) if o == json => out.unchanged += 1,
                        Some(_) => out.updated += 1,
                    }
                    upsert
                        .execute(params![
                            interview.id,
                            study_id,
                            first_position + n as i64,
                            interview.status.as_ref().map(|s| s.as_str()),
                            interview.quality_score.as_ref().map(|q| q.as_str()),
                            interview.reference_id,
                            json,
                            walk,
                            interview.language,
                            interview.started_at,
                            interview.duration_secs,
                        ])
                        .map_err(&err)?;
                    let fetched: Option<Fetched> = detail_for
                        .query_row(params![interview.id], |r| {
                            Ok(Fetched {
                                list_json: r.get(0)?,
                                at: r.get(1)?,
                                unchanged: r.get(2)?,
                            })
                        })
                        .optional()
                        .map_err(&err)?;
                    let needs = refetch.needs(interview, json, fetched.as_ref());
                    // Indexed once its row is written (the index takes its
                    // rowid), unless the detail that follows indexes it.
                    if old.as_ref() != Some(json) && !(needs && refetch.details_follow) {
                        let detail = super::search::stored_detail(tx, &interview.id);
                        super::search::index(tx, interview, detail.as_ref()).map_err(&err)?;
                    }
                    if needs {
                        out.need_detail.push((interview.id.clone(), json.clone()));
                    }
                }
            }
            // The study's count, kept current (counted once if never kept).
            tx.execute(
                "UPDATE sync_state SET interviews = CASE WHEN interviews IS NULL
                     THEN (SELECT COUNT(*) FROM interviews WHERE study_id = ?1)
                     ELSE interviews + ?2 END
                  WHERE study_id = ?1",
                params![study_id, added],
            )
            .map_err(&err)?;
            Ok(out)
        })
    }

    /// Commits an interview's detail. `fetched_for` is the list object the
    /// fetch was started for (the detail counts as current while the list
    /// object stays the same); `None` takes the one stored now. A detail
    /// of an interview no longer stored is dropped.
    pub fn put_detail(
        &mut self,
        detail: &InterviewDetail,
        fetched_for: Option<&str>,
    ) -> Result<bool, StoreError> {
        let written = self.put_details(&[(detail, fetched_for)])?;
        Ok(written.first().copied().unwrap_or(false))
    }

    /// Commits several details in one transaction (the sync groups those
    /// that arrive while the one before is written: one commit each made
    /// the index write its pages again and again). Says, for each, whether
    /// it was written (its interview is still stored).
    pub fn put_details(
        &mut self,
        details: &[(&InterviewDetail, Option<&str>)],
    ) -> Result<Vec<bool>, StoreError> {
        self.writable()?;
        let encoded = details
            .iter()
            .map(|(d, _)| to_json(self, d))
            .collect::<Result<Vec<_>, _>>()?;
        self.in_write(|tx, err| {
            let mut out = Vec::with_capacity(details.len());
            for ((detail, fetched_for), json) in details.iter().zip(&encoded) {
                out.push(write_detail(tx, detail, json, *fetched_for).map_err(&err)?);
            }
            Ok(out)
        })
    }

    /// Ends a walk that reached the end of the list: interviews it did not
    /// see are gone from the API and are removed with their details (their
    /// marks stay). Returns how many were removed.
    ///
    /// Two syncs of one study may run at once (a browser and `uj sync`):
    /// rows keep the newest walk that saw them, and only the newest walk
    /// removes anything, so neither takes away what the other just saw.
    pub fn finish_walk(&mut self, study_id: &str, walk: i64) -> Result<u64, StoreError> {
        self.in_write(|tx, err| {
            let current: Option<i64> = tx
                .query_row(
                    "SELECT walk FROM sync_state WHERE study_id = ?1",
                    params![study_id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(&err)?;
            let removed = if current == Some(walk) {
                tx.execute(
                    "DELETE FROM search WHERE rowid IN
                       (SELECT rowid FROM interviews WHERE study_id = ?1 AND walk < ?2)",
                    params![study_id, walk],
                )
                .map_err(&err)?;
                tx.execute(
                    "DELETE FROM interviews WHERE study_id = ?1 AND walk < ?2",
                    params![study_id, walk],
                )
                .map_err(&err)?
            } else {
                0
            };
            tx.execute(
                "UPDATE sync_state SET walk_done = (walk = ?3), last_synced = ?2,
                     interviews = interviews - ?4 WHERE study_id = ?1",
                params![study_id, now(), walk, removed as i64],
            )
            .map_err(&err)?;
            Ok(removed as u64)
        })
    }
}

/// Writes one detail (and what is derived from it: its index document,
/// the questions it answered) inside the caller's transaction.
fn write_detail(
    tx: &rusqlite::Transaction,
    detail: &InterviewDetail,
    json: &str,
    fetched_for: Option<&str>,
) -> rusqlite::Result<bool> {
    let written = tx
        .prepare_cached(
            "INSERT INTO details (interview_id, json, list_json, fetched_at)
             SELECT id, ?2, COALESCE(?3, json), ?4 FROM interviews WHERE id = ?1
             ON CONFLICT(interview_id) DO UPDATE SET
               json = excluded.json, list_json = excluded.list_json,
               fetched_at = excluded.fetched_at,
               unchanged = CASE WHEN details.list_json = excluded.list_json
                                THEN details.unchanged + 1 ELSE 0 END",
        )?
        .execute(params![detail.interview.id, json, fetched_for, now()])?;
    if written == 0 {
        return Ok(false);
    }
    // Indexed with the list object as stored (the detail's own copy of it
    // may be older or newer).
    let list: Interview = tx
        .prepare_cached("SELECT json FROM interviews WHERE id = ?1")?
        .query_row(params![detail.interview.id], |r| r.get::<_, String>(0))
        .ok()
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_else(|| detail.interview.clone());
    super::search::index(tx, &list, Some(detail))?;
    // Which questions it answered, for counting without the JSON.
    tx.prepare_cached("DELETE FROM answered WHERE interview_id = ?1")?
        .execute(params![detail.interview.id])?;
    let mut answered = tx.prepare_cached(
        "INSERT OR IGNORE INTO answered (interview_id, question_index) VALUES (?1, ?2)",
    )?;
    for (n, qa) in detail.question_answers.iter().enumerate() {
        if qa.summary().is_some() {
            let q = qa.question_index.map_or(n as i64, |q| q);
            answered.execute(params![detail.interview.id, q])?;
        }
    }
    Ok(true)
}
