//! Reads: windows of a study's list, details, studies with what is stored
//! of each, and sync state.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};
use serde::de::DeserializeOwned;

use super::{Store, StoreError};
use crate::api::InterviewFilters;
use crate::api::model::{Interview, InterviewDetail, Study, StudyDetail};
use crate::store::MarkFilters;

/// A study as the store knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredStudy {
    pub study: Study,
    pub detail: Option<StudyDetail>,
    /// Interviews stored (list objects).
    pub interviews: u64,
    /// Of those, how many have their transcript stored.
    pub details: u64,
    pub sync: Option<SyncState>,
}

/// Where a study's mirroring stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncState {
    /// The latest walk reached the end of the list.
    pub walk_done: bool,
    /// When a walk last reached the end (RFC 3339, UTC).
    pub last_synced: Option<String>,
    /// The study's stored interviews, and how many of them have their
    /// transcript stored (what `synced` must not overstate). Counted only
    /// where asked for ([`Store::stored_counts`]): zero otherwise.
    pub interviews: u64,
    pub transcripts: u64,
}

impl SyncState {
    /// Everything the list holds has its transcript.
    pub fn stored_all(&self) -> bool {
        self.walk_done && self.transcripts >= self.interviews
    }
}

/// A stored detail and whether it was fetched for the list object stored
/// now (a stale one is still worth showing when offline).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDetail {
    pub detail: InterviewDetail,
    pub current: bool,
}

/// What a list shows: the API's filters and the user's marks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub filters: InterviewFilters,
    pub marks: MarkFilters,
    /// Only interviews that match this full-text search.
    pub search: Option<String>,
    /// The question whose answers the list shows (it filters nothing).
    pub question: Option<usize>,
    /// The search's matches were put in `temp.search_hits` by
    /// [`Store::materialize_search`]: read them from there.
    pub materialized: bool,
    /// Only interviews in this language (a local filter: the API has none).
    pub language: Option<String>,
    /// The list's order.
    pub order: Order,
    /// The query language's field terms, negations and ORs (the plain
    /// words are `search`).
    pub filter: Option<super::query::Expr>,
}

/// How the list is ordered (`O` cycles them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// As the API lists them: the newest first.
    #[default]
    Newest,
    Oldest,
    /// The longest interviews first (those without a duration last).
    Longest,
    /// Insightful first, then successful, unsuccessful, and unscored.
    Quality,
}

impl Order {
    pub const ALL: [Order; 4] = [Order::Newest, Order::Oldest, Order::Longest, Order::Quality];

    pub fn name(self) -> &'static str {
        match self {
            Order::Newest => "newest",
            Order::Oldest => "oldest",
            Order::Longest => "longest",
            Order::Quality => "quality",
        }
    }

    /// The next in the cycle.
    pub fn next(self) -> Order {
        let at = Order::ALL.iter().position(|o| *o == self).unwrap_or(0);
        Order::ALL[(at + 1) % Order::ALL.len()]
    }

    /// The ORDER BY terms; every order ends on the study's own, so it is
    /// total and stable.
    fn sql(self) -> &'static str {
        match self {
            Order::Newest => "position, id",
            Order::Oldest => "position DESC, id DESC",
            Order::Longest => "duration IS NULL, duration DESC, position, id",
            Order::Quality => {
                "CASE quality WHEN 'insightful' THEN 0 WHEN 'successful' THEN 1 \
                 WHEN 'unsuccessful' THEN 2 ELSE 3 END, position, id"
            }
        }
    }
}

impl ListQuery {
    /// Whether the query keeps less than its whole study.
    pub fn narrows(&self) -> bool {
        let f = &self.filters;
        f.status.is_some()
            || f.quality.is_some()
            || f.reference_id.is_some()
            || !self.marks.is_empty()
            || self.search.is_some()
            || self.materialized
            || self.language.is_some()
            || self.filter.is_some()
    }
}

impl From<InterviewFilters> for ListQuery {
    fn from(filters: InterviewFilters) -> Self {
        ListQuery {
            filters,
            marks: MarkFilters::default(),
            search: None,
            question: None,
            materialized: false,
            language: None,
            order: Order::Newest,
            filter: None,
        }
    }
}

/// The WHERE clause naming only the filters in force, so SQLite can use
/// the index made for them, and its parameters.
pub(super) fn filtered(query: &ListQuery) -> (String, Vec<Value>) {
    let filters = &query.filters;
    let mut sql = String::from("study_id = ?");
    let mut values: Vec<Value> = vec![filters.study_id.clone().into()];
    for (column, value) in [
        ("status", filters.status.as_ref().map(|s| s.as_str())),
        ("quality", filters.quality.as_ref().map(|q| q.as_str())),
        ("reference_id", filters.reference_id.as_deref()),
        ("language", query.language.as_deref()),
    ] {
        if let Some(v) = value {
            sql.push_str(&format!(" AND {column} = ?"));
            values.push(v.to_string().into());
        }
    }
    let marks = &query.marks;
    match marks.reviewed {
        Some(true) => {
            sql.push_str(" AND id IN (SELECT interview_id FROM marks WHERE reviewed = 1)")
        }
        Some(false) => {
            sql.push_str(" AND id NOT IN (SELECT interview_id FROM marks WHERE reviewed = 1)")
        }
        None => {}
    }
    if marks.starred {
        sql.push_str(" AND id IN (SELECT interview_id FROM marks WHERE starred = 1)");
    }
    if let Some(tag) = &marks.tag {
        sql.push_str(
            " AND id IN (SELECT m.interview_id FROM marks m, json_each(m.tags) t
                          WHERE lower(t.value) = lower(?))",
        );
        values.push(tag.clone().into());
    }
    if let Some(filter) = &query.filter {
        sql.push_str(" AND ");
        sql.push_str(&super::query::sql(filter, &mut values));
    }
    if query.materialized {
        sql.push_str(" AND rowid IN (SELECT rowid FROM temp.search_hits)");
    } else if let Some(text) = &query.search {
        match super::search::fts_query(text) {
            Some(q) => {
                // The index's rowids are the interviews': no content read.
                sql.push_str(" AND rowid IN (SELECT rowid FROM search WHERE search MATCH ?)");
                values.push(q.expr.into());
            }
            // Nothing searchable (only punctuation): nothing matches.
            None => sql.push_str(" AND 0"),
        }
    }
    (sql, values)
}

impl Store {
    fn decode<T: DeserializeOwned>(&self, json: &str) -> Result<T, StoreError> {
        serde_json::from_str(json).map_err(|e| StoreError::Corrupt {
            path: self.shown(),
            detail: format!("a stored object could not be read: {e}"),
        })
    }

    /// Up to `limit` interviews matching `filters`, in the study's order,
    /// after the interview `after` (from the start when `None`, or when
    /// `after` is no longer stored).
    pub fn interviews(
        &self,
        filters: &InterviewFilters,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Interview>, StoreError> {
        // A range on the study's order from where the last batch ended, so
        // each batch is read from its index position: an export of N
        // interviews costs N, not N² (a condition SQLite could not use the
        // index for made every batch scan the study from its start).
        let (clause, mut values) = filtered(&ListQuery::from(filters.clone()));
        let from: Option<(i64, String)> = match after {
            Some(id) => {
                use rusqlite::OptionalExtension;
                self.conn
                    .prepare_cached("SELECT position, id FROM interviews WHERE id = ?1")
                    .and_then(|mut st| {
                        st.query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
                            .optional()
                    })
                    .map_err(|e| self.error(e))?
            }
            None => None,
        };
        let range = match &from {
            Some((position, id)) => {
                values.push((*position).into());
                values.push(id.clone().into());
                " AND (position, id) > (?, ?)"
            }
            None => "",
        };
        values.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
        let sql = format!(
            "SELECT json FROM interviews WHERE {clause}{range}
             ORDER BY position, id LIMIT ?"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values.iter()), |r| {
                r.get::<_, String>(0)
            })
            .map_err(|e| self.error(e))?;
        let mut out = Vec::new();
        for json in rows {
            let json = json.map_err(|e| self.error(e))?;
            out.push(self.decode(&json)?);
        }
        Ok(out)
    }

    /// Rows `start..start + len` of the filtered list, in the study's order.
    pub fn window(
        &self,
        query: &ListQuery,
        start: usize,
        len: usize,
    ) -> Result<Vec<Interview>, StoreError> {
        let (clause, mut values) = filtered(query);
        let sql = format!(
            "SELECT json FROM interviews WHERE {clause} ORDER BY {} LIMIT ? OFFSET ?",
            query.order.sql()
        );
        values.push(i64::try_from(len).unwrap_or(i64::MAX).into());
        values.push(i64::try_from(start).unwrap_or(i64::MAX).into());
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values.iter()), |r| {
                r.get::<_, String>(0)
            })
            .map_err(|e| self.error(e))?;
        let mut out = Vec::with_capacity(len.min(1000));
        for json in rows {
            let json = json.map_err(|e| self.error(e))?;
            out.push(self.decode(&json)?);
        }
        Ok(out)
    }

    /// Evaluates a search once for the several reads of one window (count,
    /// position, rows): its matching rowids go to a temporary table that
    /// the returned query reads. Without a search, the query as it is.
    pub fn materialize_search(&self, query: &ListQuery) -> Result<ListQuery, StoreError> {
        let Some(text) = &query.search else {
            return Ok(query.clone());
        };
        let Some(q) = super::search::fts_query(text) else {
            return Ok(query.clone());
        };
        self.conn
            .execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS search_hits (rowid INTEGER PRIMARY KEY);
                 DELETE FROM temp.search_hits;",
            )
            .map_err(|e| self.error(e))?;
        self.conn
            .execute(
                "INSERT INTO temp.search_hits SELECT rowid FROM search WHERE search MATCH ?1",
                rusqlite::params![q.expr],
            )
            .map_err(|e| self.error(e))?;
        Ok(ListQuery {
            materialized: true,
            ..query.clone()
        })
    }

    /// Where interview `id` stands in the filtered list (`None`: not in it).
    pub fn index_of(&self, query: &ListQuery, id: &str) -> Result<Option<usize>, StoreError> {
        if query.order != Order::Newest {
            return self.rank_of(query, id);
        }
        let (clause, mut values) = filtered(query);
        let sql = format!(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM interviews WHERE id = ? AND {clause})
                    THEN (SELECT COUNT(*) FROM interviews WHERE {clause}
                          AND (position, id) < (SELECT position, id FROM interviews WHERE id = ?))
                    END"
        );
        let mut all: Vec<Value> = vec![id.to_string().into()];
        all.extend(values.iter().cloned());
        all.append(&mut values);
        all.push(id.to_string().into());
        self.conn
            .query_row(&sql, rusqlite::params_from_iter(all.iter()), |r| {
                r.get::<_, Option<i64>>(0)
            })
            .map(|n| n.map(|n| n as usize))
            .map_err(|e| self.error(e))
    }

    /// Where `id` stands in a list in another order than the study's: its
    /// row number in that order.
    fn rank_of(&self, query: &ListQuery, id: &str) -> Result<Option<usize>, StoreError> {
        let (clause, mut values) = filtered(query);
        let sql = format!(
            "SELECT n FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY {}) - 1 AS n
                              FROM interviews WHERE {clause})
              WHERE id = ?",
            query.order.sql()
        );
        values.push(id.to_string().into());
        use rusqlite::OptionalExtension;
        self.conn
            .query_row(&sql, rusqlite::params_from_iter(values.iter()), |r| {
                r.get::<_, i64>(0)
            })
            .optional()
            .map(|n| n.map(|n| n as usize))
            .map_err(|e| self.error(e))
    }

    /// The study last opened in the browser with this store (this base
    /// URL), if any.
    pub fn last_study(&self) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row(
                "SELECT value FROM prefs WHERE key = 'last_study'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    /// The languages of a study's stored interviews, the most common first.
    pub fn languages(&self, study_id: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT language FROM interviews WHERE study_id = ?1 AND language IS NOT NULL
                  GROUP BY language ORDER BY COUNT(*) DESC, language",
            )
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(rusqlite::params![study_id], |r| r.get::<_, String>(0))
            .map_err(|e| self.error(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.error(e))
    }

    /// How many stored interviews match `filters`.
    pub fn count(&self, filters: &InterviewFilters) -> Result<u64, StoreError> {
        self.count_of(&ListQuery::from(filters.clone()))
    }

    /// How many stored interviews a list shows.
    pub fn count_of(&self, query: &ListQuery) -> Result<u64, StoreError> {
        // The whole study: the count the sync keeps, nothing counted.
        if !query.narrows()
            && let Some(n) = self
                .conn
                .prepare_cached("SELECT interviews FROM sync_state WHERE study_id = ?1")
                .and_then(|mut s| {
                    s.query_row([&query.filters.study_id], |r| r.get::<_, Option<i64>>(0))
                        .optional()
                })
                .map_err(|e| self.error(e))?
                .flatten()
        {
            return Ok(n.max(0) as u64);
        }
        let (clause, values) = filtered(query);
        let sql = format!("SELECT COUNT(*) FROM interviews WHERE {clause}");
        self.conn
            .query_row(&sql, rusqlite::params_from_iter(values.iter()), |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(|e| self.error(e))
    }

    /// The stored list object of an interview.
    pub fn interview(&self, id: &str) -> Result<Option<Interview>, StoreError> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT json FROM interviews WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.error(e))?;
        json.map(|j| self.decode(&j)).transpose()
    }

    /// The stored detail of an interview.
    pub fn detail(&self, id: &str) -> Result<Option<StoredDetail>, StoreError> {
        // Cached: an export reads one per interview, and parsing the
        // statement each time was 8 % of a Markdown export.
        let row: Option<(String, bool)> = self
            .conn
            .prepare_cached(
                "SELECT d.json, d.list_json = i.json
                   FROM details d JOIN interviews i ON i.id = d.interview_id
                  WHERE d.interview_id = ?1",
            )
            .and_then(|mut st| {
                st.query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(|e| self.error(e))?;
        row.map(|(json, current)| {
            Ok(StoredDetail {
                detail: self.decode(&json)?,
                current,
            })
        })
        .transpose()
    }

    /// Interview ids whose id starts with `prefix` (for short ids).
    pub fn ids_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM interviews WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT ?2")
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(params![prefix, limit as i64], |r| r.get(0))
            .map_err(|e| self.error(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.error(e))
    }

    /// A study's stored detail.
    pub fn study_detail(&self, id: &str) -> Result<Option<StudyDetail>, StoreError> {
        let json: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT detail_json FROM studies WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.error(e))?;
        json.flatten().map(|j| self.decode(&j)).transpose()
    }

    /// Where a study's mirroring stands (`None`: never synced).
    pub fn sync_state(&self, study_id: &str) -> Result<Option<SyncState>, StoreError> {
        self.conn
            .query_row(
                "SELECT walk_done, last_synced FROM sync_state WHERE study_id = ?1",
                params![study_id],
                |r| {
                    Ok(SyncState {
                        walk_done: r.get(0)?,
                        last_synced: r.get(1)?,
                        interviews: 0,
                        transcripts: 0,
                    })
                },
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    /// The study's sync state with its counts: the interviews stored and
    /// how many have their transcript (a pass over the study: for the top
    /// bar after a sync, not for every read).
    pub fn sync_state_counted(&self, study_id: &str) -> Result<Option<SyncState>, StoreError> {
        let Some(mut state) = self.sync_state(study_id)? else {
            return Ok(None);
        };
        let (interviews, transcripts) = self
            .conn
            .query_row(
                "SELECT (SELECT COUNT(*) FROM interviews WHERE study_id = ?1),
                        (SELECT COUNT(*) FROM interviews i JOIN details d ON d.interview_id = i.id
                          WHERE i.study_id = ?1)",
                params![study_id],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
            )
            .map_err(|e| self.error(e))?;
        state.interviews = interviews;
        state.transcripts = transcripts;
        Ok(Some(state))
    }

    /// Whether any interview of the study is stored (no counting).
    pub fn holds_study(&self, study_id: &str) -> Result<bool, StoreError> {
        self.conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM interviews WHERE study_id = ?1)")
            .and_then(|mut st| st.query_row(params![study_id], |r| r.get::<_, bool>(0)))
            .map_err(|e| self.error(e))
    }

    /// Whether a walk of the study reached the end (one row, no counting).
    pub fn walk_done(&self, study_id: &str) -> Result<bool, StoreError> {
        use rusqlite::OptionalExtension;
        self.conn
            .prepare_cached("SELECT walk_done FROM sync_state WHERE study_id = ?1")
            .and_then(|mut st| {
                st.query_row(params![study_id], |r| r.get::<_, bool>(0))
                    .optional()
            })
            .map(|w| w.unwrap_or(false))
            .map_err(|e| self.error(e))
    }

    /// Every stored study with what is stored of it, in the API's order.
    pub fn studies(&self) -> Result<Vec<StoredStudy>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT s.id, s.list_json, s.detail_json,
                        (SELECT COUNT(*) FROM interviews i WHERE i.study_id = s.id),
                        (SELECT COUNT(*) FROM details d JOIN interviews i
                            ON i.id = d.interview_id WHERE i.study_id = s.id),
                        y.walk_done, y.last_synced
                   FROM studies s LEFT JOIN sync_state y ON y.study_id = s.id
                  ORDER BY s.position, s.id",
            )
            .map_err(|e| self.error(e))?;
        type Row = (
            String,
            Option<String>,
            Option<String>,
            i64,
            i64,
            Option<bool>,
            Option<String>,
        );
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .map_err(|e| self.error(e))?
            .collect::<Result<Vec<Row>, _>>()
            .map_err(|e| self.error(e))?;
        let mut out = Vec::new();
        for (id, list, detail, interviews, details, walk_done, last_synced) in rows {
            let (study, detail) = self.stored_study(id, list, detail)?;
            out.push(StoredStudy {
                study,
                detail,
                interviews: interviews as u64,
                details: details as u64,
                sync: walk_done.map(|walk_done| SyncState {
                    walk_done,
                    last_synced,
                    interviews: interviews as u64,
                    transcripts: details as u64,
                }),
            });
        }
        Ok(out)
    }

    /// A stored study from its list object and detail (either may be
    /// missing).
    fn stored_study(
        &self,
        id: String,
        list: Option<String>,
        detail: Option<String>,
    ) -> Result<(Study, Option<StudyDetail>), StoreError> {
        let detail: Option<StudyDetail> = detail.map(|j| self.decode(&j)).transpose()?;
        let study = match (list, &detail) {
            (Some(j), _) => self.decode(&j)?,
            (None, Some(d)) => d.summary(),
            (None, None) => Study {
                id,
                ..Study::default()
            },
        };
        Ok((study, detail))
    }

    /// The stored studies in the API's order, without counting anything
    /// (the browser's first read: counting transcripts took 24 ms at
    /// 100,000 interviews).
    pub fn study_list(&self) -> Result<Vec<Study>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, list_json, detail_json FROM studies ORDER BY position, id")
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| self.error(e))?
            .collect::<Result<Vec<(String, Option<String>, Option<String>)>, _>>()
            .map_err(|e| self.error(e))?;
        rows.into_iter()
            .map(|(id, list, detail)| Ok(self.stored_study(id, list, detail)?.0))
            .collect()
    }

    /// Each study's size for the picker, from the count the sync keeps
    /// (counted only for a store that has not kept one yet).
    pub fn study_counts(
        &self,
    ) -> Result<std::collections::HashMap<String, super::StudyCount>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT s.id, s.detail_json,
                        COALESCE(y.interviews,
                                 (SELECT COUNT(*) FROM interviews i WHERE i.study_id = s.id)),
                        y.walk_done, y.last_synced
                   FROM studies s LEFT JOIN sync_state y ON y.study_id = s.id",
            )
            .map_err(|e| self.error(e))?;
        type Row = (String, Option<String>, i64, Option<bool>, Option<String>);
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .map_err(|e| self.error(e))?
            .collect::<Result<Vec<Row>, _>>()
            .map_err(|e| self.error(e))?;
        let mut out = std::collections::HashMap::new();
        for (id, detail, stored, walk_done, last_synced) in rows {
            let detail: Option<StudyDetail> = detail.map(|j| self.decode(&j)).transpose()?;
            let whole = walk_done.unwrap_or(false);
            out.insert(
                id,
                super::StudyCount {
                    stored: u64::try_from(stored).unwrap_or(0),
                    total: detail.and_then(|d| d.interview_count),
                    whole,
                    last_synced: walk_done.and(last_synced),
                },
            );
        }
        Ok(out)
    }
}
