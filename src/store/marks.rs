//! Reading the user's triage marks. Nothing in the mirror writes here.

use std::collections::HashMap;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{Store, StoreError};

/// One interview's marks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marks {
    pub reviewed: bool,
    pub starred: bool,
    pub tags: Vec<String>,
    pub note: String,
}

/// Which interviews to keep by their marks (`--reviewed`, `--starred`, `--tag`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkFilters {
    pub reviewed: Option<bool>,
    pub starred: bool,
    pub tag: Option<String>,
}

impl MarkFilters {
    pub fn is_empty(&self) -> bool {
        self.reviewed.is_none() && !self.starred && self.tag.is_none()
    }

    /// Whether an interview with `marks` (none: unmarked) passes.
    pub fn keeps(&self, marks: Option<&Marks>) -> bool {
        let m = marks.cloned().unwrap_or_default();
        self.reviewed.is_none_or(|r| m.reviewed == r)
            && (!self.starred || m.starred)
            && self
                .tag
                .as_ref()
                .is_none_or(|t| m.tags.iter().any(|x| x.eq_ignore_ascii_case(t)))
    }
}

impl Store {
    /// The marks of every interview of a study that has any.
    pub fn marks_of_study(&self, study_id: &str) -> Result<HashMap<String, Marks>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT interview_id, reviewed, starred, tags, note FROM marks WHERE study_id = ?1",
            )
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(params![study_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, bool>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(|e| self.error(e))?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, reviewed, starred, tags, note) = row.map_err(|e| self.error(e))?;
            // A tag list that does not read is shown as no tags, not fatal.
            let tags = serde_json::from_str(&tags).unwrap_or_default();
            out.insert(
                id,
                Marks {
                    reviewed,
                    starred,
                    tags,
                    note,
                },
            );
        }
        Ok(out)
    }
}
