//! The list's window as the browser reads it: the rows on screen, their
//! marks and hits, and the counts the bars show, in one read.

use std::collections::HashMap;

use super::search::RowHits;
use super::{AnswerRow, ListQuery, Marks, Store, StoreError};
use crate::api::model::Interview;

/// A window of the list as the store holds it now.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Window {
    /// The index of `rows[0]` in the filtered list.
    pub start: usize,
    pub rows: Vec<Interview>,
    /// How many stored interviews match the filters.
    pub total: usize,
    /// Where the interview the window was asked to follow stands now
    /// (`None`: not asked, or no longer in the list).
    pub followed: Option<usize>,
    /// The marks of the window's rows that have any.
    pub marks: HashMap<String, Marks>,
    /// How many of the study's stored interviews are reviewed / starred.
    pub reviewed: u64,
    pub starred: u64,
    /// Under a search: each row's hit count, first message and snippet.
    pub hits: HashMap<String, RowHits>,
    /// How many of the study's interviews are stored, while its walk has
    /// not ended (0 once it has).
    pub stored: u64,
    /// In question mode: each row's answer, and how many listed answered.
    pub answers: HashMap<String, AnswerRow>,
    pub answered: u64,
}

/// How many interviews a study has, as far as the store knows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StudyCount {
    /// Interviews stored.
    pub stored: u64,
    /// What the study's detail says it has.
    pub total: Option<u64>,
    /// A walk reached the end: `stored` is the whole study.
    pub whole: bool,
    /// When a walk last reached the end (RFC 3339).
    pub last_synced: Option<String>,
}

impl StudyCount {
    /// `263 interviews`, `120 of 263 stored`, `120 stored`, or
    /// `not synced`.
    pub fn text(&self) -> String {
        let all = |n| crate::text::count(n, "interview", "interviews");
        match (self.whole, self.total) {
            (true, _) => all(self.stored),
            (false, Some(t)) if self.stored >= t => all(t),
            (false, Some(t)) => format!("{} of {t} stored", self.stored),
            (false, None) if self.stored > 0 => format!("{} stored", self.stored),
            (false, None) => "not synced".into(),
        }
    }
}

/// Reads a window of the filtered list; with `follow`, placed so that
/// interview stands a third of the way down.
pub fn read_window(
    store: &Store,
    query: &ListQuery,
    start: usize,
    len: usize,
    follow: Option<&str>,
) -> Result<Window, StoreError> {
    // A search is evaluated once for the count, the position and the rows
    // (one query with COUNT(*) OVER () would read every match's JSON).
    let query = &store.materialize_search(query)?;
    let total = store.count_of(query)? as usize;
    let followed = match follow {
        Some(id) => store.index_of(query, id)?,
        None => None,
    };
    let start = followed.map_or(start, |at| at.saturating_sub(len / 3));
    // Past the end (rows went away): the last rows instead.
    let start = start.min(total.saturating_sub(len.min(total)));
    let rows = store.window(query, start, len)?;
    let ids: Vec<String> = rows.iter().map(|i| i.id.clone()).collect();
    let marks = store.marks_of(&ids)?;
    let (reviewed, starred) = store.mark_counts(&query.filters.study_id)?;
    // How much is stored matters only while the study is not fully
    // stored: the top bar says `12 so far · 120/263 loaded` then.
    let study = &query.filters.study_id;
    // Only the flag: the counts of `sync_state` cost a pass over the study.
    let whole = store.walk_done(study)?;
    let stored = if whole {
        0
    } else {
        store.count(&crate::api::InterviewFilters::for_study(study.clone()))?
    };
    let hits = match &query.search {
        Some(q) => store.row_hits(&ids, q)?,
        None => Default::default(),
    };
    let (answers, answered) = match query.question {
        Some(q) => (
            store.answers_of(&ids, q)?.into_iter().collect(),
            store.answered(query, q)?,
        ),
        None => (Default::default(), 0),
    };
    Ok(Window {
        start,
        rows,
        total,
        followed,
        marks,
        reviewed,
        starred,
        hits,
        stored,
        answers,
        answered,
    })
}
