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

/// A change the user makes to one interview's marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkChange {
    ToggleReviewed,
    ToggleStarred,
    /// Tags to add and to remove (compared without regard to case).
    Tags {
        add: Vec<String>,
        remove: Vec<String>,
    },
    /// The note, replaced (empty clears it).
    Note(String),
    /// Reviewed set or cleared (a change to many interviews at once).
    SetReviewed(bool),
    /// Starred set or cleared.
    SetStarred(bool),
}

/// The limits of what a mark holds (`docs/store.md`). Past one, the
/// input is refused with a message naming it; nothing is ever cut.
pub const NOTE_CHARS: usize = 100_000;
pub const TAG_CHARS: usize = 100;
pub const MAX_TAGS: usize = 100;

/// Why a change or an imported record was refused.
pub fn note_too_long(chars: usize) -> String {
    format!(
        "a note holds at most {} characters and this one has {}",
        crate::text::grouped(NOTE_CHARS),
        crate::text::grouped(chars)
    )
}

/// Checks a mark against the limits (for the exchange of work).
pub(super) fn check_limits(m: &Marks) -> Result<(), String> {
    within_limits(m)
}

/// Checks a mark against the limits.
fn within_limits(m: &Marks) -> Result<(), String> {
    let chars = m.note.chars().count();
    if chars > NOTE_CHARS {
        return Err(note_too_long(chars));
    }
    if m.tags.len() > MAX_TAGS {
        return Err(format!(
            "an interview holds at most {MAX_TAGS} tags and this would make {}",
            m.tags.len()
        ));
    }
    if let Some(long) = m.tags.iter().find(|t| t.chars().count() > TAG_CHARS) {
        return Err(format!(
            "a tag holds at most {TAG_CHARS} characters and {}… has {}",
            long.chars().take(20).collect::<String>(),
            long.chars().count()
        ));
    }
    Ok(())
}

impl MarkChange {
    /// What the change did, for the undo message.
    pub fn describe(&self) -> String {
        match self {
            MarkChange::ToggleReviewed => "a reviewed mark".into(),
            MarkChange::ToggleStarred => "a star".into(),
            MarkChange::Tags { .. } => "a change of tags".into(),
            MarkChange::Note(_) => "a note".into(),
            MarkChange::SetReviewed(true) => "marked reviewed".into(),
            MarkChange::SetReviewed(false) => "marked not reviewed".into(),
            MarkChange::SetStarred(true) => "starred".into(),
            MarkChange::SetStarred(false) => "unstarred".into(),
        }
    }

    /// Reads the tags prompt opened on the interview's `current` tags: the
    /// words left are the tags (a current one deleted from the line is
    /// removed), and `-tag` removes one too.
    pub fn edit_tags(input: &str, current: &[String]) -> MarkChange {
        let (words, mut remove) = match MarkChange::parse_tags(input) {
            MarkChange::Tags { add, remove } => (add, remove),
            other => return other,
        };
        let has = |list: &[String], t: &str| list.iter().any(|x| x.eq_ignore_ascii_case(t));
        for c in current {
            if !has(&words, c) && !has(&remove, c) {
                remove.push(c.clone());
            }
        }
        let add = words.into_iter().filter(|t| !has(current, t)).collect();
        MarkChange::Tags { add, remove }
    }

    /// Reads the tags prompt: `+tag` or `tag` adds, `-tag` removes; words
    /// are separated by spaces or commas.
    pub fn parse_tags(input: &str) -> MarkChange {
        let mut add = Vec::new();
        let mut remove = Vec::new();
        for word in input.split(|c: char| c.is_whitespace() || c == ',') {
            let (list, tag) = match word.strip_prefix('-') {
                Some(t) => (&mut remove, t),
                None => (&mut add, word.strip_prefix('+').unwrap_or(word)),
            };
            let tag = clean_tag(tag);
            if !tag.is_empty() && !list.iter().any(|t: &String| t.eq_ignore_ascii_case(&tag)) {
                list.push(tag);
            }
        }
        MarkChange::Tags { add, remove }
    }

    fn apply(&self, m: &mut Marks) {
        match self {
            MarkChange::ToggleReviewed => m.reviewed = !m.reviewed,
            MarkChange::ToggleStarred => m.starred = !m.starred,
            MarkChange::Tags { add, remove } => {
                m.tags
                    .retain(|t| !remove.iter().any(|r| r.eq_ignore_ascii_case(t)));
                for t in add {
                    if !m.tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                        m.tags.push(t.clone());
                    }
                }
            }
            MarkChange::Note(note) => m.note = clean_note(note),
            MarkChange::SetReviewed(on) => m.reviewed = *on,
            MarkChange::SetStarred(on) => m.starred = *on,
        }
    }
}

/// A tag as stored: one line of visible characters, no spaces or commas.
fn clean_tag(tag: &str) -> String {
    crate::text::sanitize_line(tag)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect()
}

/// A note as stored: one paragraph, sanitised (the limit is checked, not
/// applied).
fn clean_note(note: &str) -> String {
    let one_line = note.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::text::sanitize_line(&one_line).into_owned()
}

/// One interview's marks as `uj marks export` writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkRecord {
    pub interview_id: String,
    pub study_id: String,
    #[serde(default)]
    pub reviewed: bool,
    #[serde(default)]
    pub starred: bool,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub updated_at: String,
}

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
    /// Records not applied, each with why (a limit).
    pub refused: Vec<String>,
    /// Records applied with something other than they said (a study that
    /// differs from the stored interview's), each with what.
    pub warnings: Vec<String>,
}

/// Two people's marks of one interview, merged so that nothing either
/// made is lost and merging again changes nothing: flags are kept if
/// either set them, tags are joined, notes are joined unless one already
/// holds the other.
fn merge(local: &Marks, other: &Marks) -> Marks {
    let mut tags = local.tags.clone();
    for t in &other.tags {
        if !tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            tags.push(t.clone());
        }
    }
    let note = if local.note.contains(&other.note) {
        local.note.clone()
    } else if other.note.contains(&local.note) {
        other.note.clone()
    } else {
        clean_note(&format!("{} · {}", local.note, other.note))
    };
    Marks {
        reviewed: local.reviewed || other.reviewed,
        starred: local.starred || other.starred,
        tags,
        note,
    }
}

fn now() -> String {
    super::now_millis()
}

impl Store {
    /// The study an interview belongs to: the stored interview's, else the
    /// study its marks were first saved under.
    pub(super) fn study_of(
        tx: &rusqlite::Connection,
        interview_id: &str,
    ) -> rusqlite::Result<Option<String>> {
        use rusqlite::OptionalExtension;
        tx.query_row(
            "SELECT study_id FROM interviews WHERE id = ?1
             UNION ALL SELECT study_id FROM marks WHERE interview_id = ?1 LIMIT 1",
            params![interview_id],
            |r| r.get(0),
        )
        .optional()
    }

    pub(super) fn marks_row(
        tx: &rusqlite::Connection,
        interview_id: &str,
    ) -> rusqlite::Result<Option<Marks>> {
        use rusqlite::OptionalExtension;
        tx.query_row(
            "SELECT reviewed, starred, tags, note FROM marks WHERE interview_id = ?1",
            params![interview_id],
            |r| {
                Ok(Marks {
                    reviewed: r.get(0)?,
                    starred: r.get(1)?,
                    tags: serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default(),
                    note: r.get(3)?,
                })
            },
        )
        .optional()
    }

    pub(super) fn put_marks(
        tx: &rusqlite::Connection,
        interview_id: &str,
        study_id: &str,
        m: &Marks,
    ) -> rusqlite::Result<()> {
        let tags = serde_json::to_string(&m.tags).unwrap_or_else(|_| "[]".into());
        tx.execute(
            "INSERT INTO marks (interview_id, study_id, reviewed, starred, tags, note, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(interview_id) DO UPDATE SET study_id = ?2, reviewed = ?3,
               starred = ?4, tags = ?5, note = ?6, updated_at = ?7",
            params![
                interview_id,
                study_id,
                m.reviewed,
                m.starred,
                tags,
                m.note,
                now()
            ],
        )
        .map(|_| ())
    }

    /// Applies a change to an interview's marks in one committed
    /// transaction and returns the marks as stored.
    pub fn change_marks(
        &mut self,
        interview_id: &str,
        study_id: &str,
        change: &MarkChange,
    ) -> Result<Marks, StoreError> {
        self.writable()?;
        let origin = self.origin();
        self.in_write(|tx, err| {
            let before = Self::marks_row(tx, interview_id).map_err(&err)?;
            let mut marks = before.clone().unwrap_or_default();
            change.apply(&mut marks);
            within_limits(&marks).map_err(StoreError::Refused)?;
            let study = Self::study_of(tx, interview_id)
                .map_err(&err)?
                .unwrap_or_else(|| study_id.to_string());
            Self::put_marks(tx, interview_id, &study, &marks).map_err(&err)?;
            super::clock::stamp_marks(
                tx,
                interview_id,
                before.as_ref(),
                Some(&marks),
                &super::clock::now_stamp(&origin),
            )
            .map_err(&err)?;
            Ok(marks)
        })
    }

    /// Applies one change to every interview of a list, in one committed
    /// transaction: one step to undo. A toggle sets the flag on all,
    /// unless all have it already, when it clears it on all.
    pub fn bulk_marks(
        &mut self,
        query: &super::ListQuery,
        change: &MarkChange,
    ) -> Result<super::Step, StoreError> {
        self.writable()?;
        let query = self.materialize_search(query)?;
        let ids: Vec<String> = self
            .window(&query, 0, usize::MAX >> 1)?
            .into_iter()
            .map(|i| i.id)
            .collect();
        let study = query.filters.study_id.clone();
        let origin = self.origin();
        self.in_write(|tx, err| {
            let mut befores = Vec::with_capacity(ids.len());
            for id in &ids {
                befores.push(Self::marks_row(tx, id).map_err(&err)?);
            }
            let all = |f: fn(&Marks) -> bool| befores.iter().all(|m| m.as_ref().is_some_and(f));
            let change = match change {
                MarkChange::ToggleReviewed => MarkChange::SetReviewed(!all(|m| m.reviewed)),
                MarkChange::ToggleStarred => MarkChange::SetStarred(!all(|m| m.starred)),
                other => other.clone(),
            };
            let stamp = super::clock::now_stamp(&origin);
            let mut before = super::Snapshot::default();
            let mut after = super::Snapshot::default();
            let mut changed = 0usize;
            for (id, was) in ids.iter().zip(befores) {
                let mut marks = was.clone().unwrap_or_default();
                change.apply(&mut marks);
                if Some(&marks) == was.as_ref() || (was.is_none() && marks == Marks::default()) {
                    continue;
                }
                if let Err(why) = within_limits(&marks) {
                    return Err(StoreError::Refused(format!(
                        "{}: {why}; nothing was changed",
                        crate::text::sanitize_line(id)
                    )));
                }
                Self::put_marks(tx, id, &study, &marks).map_err(&err)?;
                super::clock::stamp_marks(tx, id, was.as_ref(), Some(&marks), &stamp)
                    .map_err(&err)?;
                before.marks.push((id.clone(), study.clone(), was));
                after.marks.push((id.clone(), study.clone(), Some(marks)));
                changed += 1;
            }
            Ok(super::Step {
                what: format!(
                    "{} for {} of the list's {} {}",
                    change.describe(),
                    crate::text::grouped(changed),
                    crate::text::grouped(ids.len()),
                    if ids.len() == 1 {
                        "interview"
                    } else {
                        "interviews"
                    }
                ),
                before,
                after,
            })
        })
    }

    /// The marks of the given interviews (those that have any).
    pub fn marks_of(&self, ids: &[String]) -> Result<HashMap<String, Marks>, StoreError> {
        let mut out = HashMap::new();
        for id in ids {
            if let Some(m) = Self::marks_row(&self.conn, id).map_err(|e| self.error(e))? {
                out.insert(id.clone(), m);
            }
        }
        Ok(out)
    }

    /// The tags used in a study, most used first (ties by name), each in
    /// the spelling first seen.
    pub fn study_tags(&self, study_id: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT tags FROM marks WHERE study_id = ?1 AND tags != '[]'")
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(params![study_id], |r| r.get::<_, String>(0))
            .map_err(|e| self.error(e))?;
        let mut counts: HashMap<String, (String, usize)> = HashMap::new();
        for row in rows {
            let tags: Vec<String> =
                serde_json::from_str(&row.map_err(|e| self.error(e))?).unwrap_or_default();
            for t in tags {
                counts.entry(t.to_lowercase()).or_insert_with(|| (t, 0)).1 += 1;
            }
        }
        let mut all: Vec<(String, usize)> = counts.into_values().collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(all.into_iter().map(|(t, _)| t).collect())
    }

    /// How many of a study's stored interviews are reviewed and starred.
    pub fn mark_counts(&self, study_id: &str) -> Result<(u64, u64), StoreError> {
        self.conn
            .query_row(
                // From the flagged marks' side (`CROSS JOIN` keeps the
                // order): the planner went through every interview of the
                // study instead, 4.8 ms at 100,000 with no mark at all.
                "SELECT COALESCE(SUM(m.reviewed), 0), COALESCE(SUM(m.starred), 0)
                   FROM marks m CROSS JOIN interviews i ON i.id = m.interview_id
                  WHERE (m.reviewed OR m.starred) AND i.study_id = ?1",
                params![study_id],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
            )
            .map_err(|e| self.error(e))
    }

    /// Every mark (of one study, or all), for `uj marks export`.
    pub fn mark_records(&self, study_id: Option<&str>) -> Result<Vec<MarkRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT interview_id, study_id, reviewed, starred, tags, note, updated_at
                   FROM marks WHERE ?1 IS NULL OR study_id = ?1 ORDER BY study_id, interview_id",
            )
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(params![study_id], record_of)
            .map_err(|e| self.error(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.error(e))
    }

    /// Merges imported marks in one transaction (see [`merge`]); importing
    /// the same records again changes nothing.
    pub fn merge_marks(&mut self, records: &[MarkRecord]) -> Result<Merged, StoreError> {
        self.in_write(|tx, err| {
            let mut out = Merged::default();
            for rec in records {
                let who = crate::text::sanitize_line(&rec.interview_id).into_owned();
                let theirs = Marks {
                    reviewed: rec.reviewed,
                    starred: rec.starred,
                    tags: rec
                        .tags
                        .iter()
                        .map(|t| clean_tag(t))
                        .filter(|t| !t.is_empty())
                        .collect(),
                    note: clean_note(&rec.note),
                };
                if let Err(why) = within_limits(&theirs) {
                    out.refused.push(format!("{who}: {why}"));
                    continue;
                }
                let study = match Self::study_of(tx, &rec.interview_id).map_err(&err)? {
                    Some(stored) if stored != rec.study_id => {
                        out.warnings.push(format!(
                            "{who}: the mark names study {} but the interview is in study {}; it stays there",
                            crate::text::sanitize_line(&rec.study_id),
                            crate::text::sanitize_line(&stored)
                        ));
                        stored
                    }
                    Some(stored) => stored,
                    None => rec.study_id.clone(),
                };
                match Self::marks_row(tx, &rec.interview_id).map_err(&err)? {
                    None => {
                        Self::put_marks(tx, &rec.interview_id, &study, &theirs).map_err(&err)?;
                        out.added += 1;
                    }
                    Some(ours) => {
                        let merged = merge(&ours, &theirs);
                        if let Err(why) = within_limits(&merged) {
                            out.refused
                                .push(format!("{who}: merged with the mark here, {why}"));
                        } else if merged == ours {
                            out.unchanged += 1;
                        } else {
                            Self::put_marks(tx, &rec.interview_id, &study, &merged).map_err(&err)?;
                            out.changed += 1;
                        }
                    }
                }
            }
            Ok(out)
        })
    }
}

/// A mark as `uj marks export` writes it, from a row of `interview_id,
/// study_id, reviewed, starred, tags, note, updated_at`.
pub(super) fn record_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<MarkRecord> {
    Ok(MarkRecord {
        interview_id: r.get(0)?,
        study_id: r.get(1)?,
        reviewed: r.get(2)?,
        starred: r.get(3)?,
        tags: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
        note: r.get(5)?,
        updated_at: r.get(6)?,
    })
}

/// What [`salvage_marks`] could read.
#[derive(Debug, Default)]
pub struct Salvaged {
    pub records: Vec<MarkRecord>,
    /// What stopped a read part way (the file is damaged there), if any.
    pub damage: Option<String>,
}

/// Reads the marks of a store file that cannot (or should not) be opened
/// as the store: damaged, moved away, or another user's. The file is
/// opened read-only and never written. A damaged table is read from both
/// ends, so the marks before and after a bad page are both kept.
pub fn salvage_marks(path: &std::path::Path) -> Result<Salvaged, StoreError> {
    use rusqlite::{Connection, OpenFlags};
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(StoreError::Failed {
            path: shown,
            detail: "no such file".into(),
        });
    }
    let plain = || {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    };
    // Without its -shm file (moved, or a directory we cannot write), a WAL
    // database is read as the file stands.
    let immutable = || super::open_immutable(path);
    let readable = |c: &Connection| {
        c.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .is_ok()
    };
    let conn = match plain() {
        Ok(c) if readable(&c) => c,
        _ => immutable().map_err(|e| super::classify(&shown, e))?,
    };
    let mut found: std::collections::BTreeMap<String, MarkRecord> = Default::default();
    let mut damage = None;
    for order in ["ASC", "DESC"] {
        let sql = format!(
            "SELECT interview_id, study_id, reviewed, starred, tags, note, updated_at
               FROM marks ORDER BY rowid {order}"
        );
        let mut stmt = match conn.prepare(&sql) {
            Ok(stmt) => stmt,
            Err(e) => {
                return Err(StoreError::Corrupt {
                    path: shown,
                    detail: format!("no marks could be read: {e}"),
                });
            }
        };
        let Ok(mut rows) = stmt.query([]) else {
            continue;
        };
        loop {
            match rows.next() {
                Ok(Some(r)) => {
                    if let Ok(record) = record_of(r) {
                        found.entry(record.interview_id.clone()).or_insert(record);
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    damage.get_or_insert_with(|| e.to_string());
                    break;
                }
            }
        }
    }
    Ok(Salvaged {
        records: found.into_values().collect(),
        damage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tags_prompt_adds_and_removes() {
        assert_eq!(
            MarkChange::parse_tags("+coupon  pix,-old, +Coupon -\u{1b}[2J"),
            MarkChange::Tags {
                add: vec!["coupon".into(), "pix".into()],
                remove: vec!["old".into(), "␛[2J".into()],
            }
        );
        let mut m = Marks {
            tags: vec!["Old".into(), "keep".into()],
            ..Marks::default()
        };
        MarkChange::parse_tags("+new -old +KEEP").apply(&mut m);
        assert_eq!(m.tags, ["keep", "new"]);
        MarkChange::Note("two\nlines\u{7}".into()).apply(&mut m);
        assert_eq!(m.note, "two lines␇");
    }

    #[test]
    fn the_tags_prompt_edits_the_list_it_opened_on() {
        let current = vec!["coupon".to_string(), "pix".to_string()];
        // Unchanged: nothing to do.
        assert_eq!(
            MarkChange::edit_tags("coupon pix", &current),
            MarkChange::Tags {
                add: vec![],
                remove: vec![]
            }
        );
        // One deleted, one added, one removed with -.
        assert_eq!(
            MarkChange::edit_tags("Coupon refund -pix", &current),
            MarkChange::Tags {
                add: vec!["refund".into()],
                remove: vec!["pix".into()]
            }
        );
        assert_eq!(
            MarkChange::edit_tags("refund", &current),
            MarkChange::Tags {
                add: vec!["refund".into()],
                remove: vec!["coupon".into(), "pix".into()]
            }
        );
    }

    #[test]
    fn merging_keeps_both_and_twice_is_once() {
        let a = Marks {
            reviewed: true,
            starred: false,
            tags: vec!["coupon".into()],
            note: "call back".into(),
        };
        let b = Marks {
            reviewed: false,
            starred: true,
            tags: vec!["Coupon".into(), "pix".into()],
            note: "asked about refunds".into(),
        };
        let once = merge(&a, &b);
        assert!(once.reviewed && once.starred);
        assert_eq!(once.tags, ["coupon", "pix"]);
        assert_eq!(once.note, "call back · asked about refunds");
        assert_eq!(merge(&once, &b), once);
        assert_eq!(merge(&once, &a), once);
    }
}
