//! `uj marks export` and `uj marks import`: the user's work (marks,
//! codes, highlights and what was removed) as JSON Lines another store
//! merges. Each field takes the latest change (store/clock.rs); removals
//! travel as tombstones; two notes changed on both sides are both kept,
//! marked as a conflict. Importing a file twice changes nothing, and two
//! stores that import each other's files agree.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::clock::{
    self, CodeClock, Flag, HighlightClock, MarkClock, NoteClock, Stamp, bury, tombstone,
};
use super::coding::{Code, Highlight, Quoted};
use super::marks::{MarkRecord, Marks};
use super::{NOTE_CHARS, Store, StoreError};

/// The format this `uj` writes; a file of a later one is refused.
pub const FORMAT: u32 = 2;

/// One line of an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Record {
    /// The first line: the format and the store that wrote it.
    Header {
        format: u32,
        origin: String,
    },
    Marks(MarksRecord),
    Code(CodeRecord),
    Highlight(HighlightRecord),
    Tombstone(TombstoneRecord),
}

/// An interview's marks: the first format's fields, and the clock that
/// says when (and where) each was last changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarksRecord {
    #[serde(flatten)]
    pub marks: MarkRecord,
    #[serde(default)]
    pub clock: MarkClock,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeRecord {
    pub uid: String,
    pub study_id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The parent code's uid.
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub updated_at: String,
    #[serde(default)]
    pub clock: CodeClock,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HighlightRecord {
    pub uid: String,
    pub study_id: String,
    pub interview_id: String,
    pub message: Option<usize>,
    #[serde(default)]
    pub question: Option<usize>,
    #[serde(default)]
    pub text: Quoted,
    pub start: usize,
    pub end: usize,
    pub quote: String,
    #[serde(default)]
    pub speaker: Option<String>,
    #[serde(default)]
    pub at_secs: Option<f64>,
    #[serde(default)]
    pub comment: String,
    /// The uids of its codes.
    #[serde(default)]
    pub codes: Vec<String>,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub updated_at: String,
    #[serde(default)]
    pub clock: HighlightClock,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TombstoneRecord {
    /// `code` or `highlight`.
    pub of: String,
    pub key: String,
    pub study_id: String,
    pub at: String,
    #[serde(default)]
    pub o: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub removed: u64,
    /// Records not applied, each with why.
    pub refused: Vec<String>,
    pub warnings: Vec<String>,
}

/// A line of a file as `uj marks import` reads it: this format, or the
/// marks of the first (a line without `kind`).
pub fn parse_line(line: &str) -> Result<Record, String> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    if value.get("kind").is_none() {
        let old: MarkRecord = serde_json::from_value(value).map_err(|e| e.to_string())?;
        return Ok(Record::Marks(from_first_format(old)));
    }
    if let Some(format) = value
        .get("format")
        .and_then(serde_json::Value::as_u64)
        .filter(|_| value.get("kind").and_then(|k| k.as_str()) == Some("header"))
        && format > u64::from(FORMAT)
    {
        return Err(format!(
            "it was written by a newer uj (format {format}; this uj reads up to {FORMAT}): upgrade uj to import it"
        ));
    }
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// A mark of the first format: every field stamped with its time and no
/// origin; its note meets any other as a conflict (both are kept), since
/// the first format could not say which came from which.
fn from_first_format(old: MarkRecord) -> MarksRecord {
    let stamp = Stamp {
        at: clock::normal_time(&old.updated_at),
        o: String::new(),
    };
    let mut clock = MarkClock {
        reviewed: Some(stamp.clone()),
        starred: Some(stamp.clone()),
        ..MarkClock::default()
    };
    for t in &old.tags {
        clock.tags.insert(
            t.to_lowercase(),
            Flag {
                on: true,
                stamp: stamp.clone(),
                name: t.clone(),
            },
        );
    }
    if !old.note.is_empty() {
        clock.note = Some(NoteClock {
            stamp: stamp.clone(),
            vv: BTreeMap::from([(format!("first-format {}", old.updated_at), 1)]),
        });
    }
    MarksRecord { marks: old, clock }
}

/// A note's clock, or for a note kept before clocks were, one of its own
/// (named by its text, so the same old note agrees with itself and a
/// different one meets it as a conflict, both kept).
pub fn note_clock_or_old(
    note: &str,
    clock: Option<&NoteClock>,
    updated_at: &str,
) -> Option<NoteClock> {
    if clock.is_some() || note.is_empty() {
        return clock.cloned();
    }
    let hash = super::fnv1a(note);
    Some(NoteClock {
        stamp: Stamp {
            at: clock::normal_time(updated_at),
            o: String::new(),
        },
        vv: BTreeMap::from([(format!("unstamped {hash:016x}"), 1)]),
    })
}

fn later(a: &Option<Stamp>, b: &Option<Stamp>) -> bool {
    a > b
}

/// `a` has seen every note edit `b` has.
fn covers(a: &BTreeMap<String, u64>, b: &BTreeMap<String, u64>) -> bool {
    b.iter().all(|(k, n)| a.get(k).copied().unwrap_or(0) >= *n)
}

fn joined(a: &BTreeMap<String, u64>, b: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    let mut out = a.clone();
    for (k, n) in b {
        let e = out.entry(k.clone()).or_default();
        *e = (*e).max(*n);
    }
    out
}

/// What marks two notes make: the one that has seen the other, else
/// both, the later first, marked as a conflict.
fn merge_note(
    ours: (&str, Option<&NoteClock>),
    theirs: (&str, Option<&NoteClock>),
) -> (String, Option<NoteClock>) {
    let empty = NoteClock::default();
    let (a, ac) = (ours.0, ours.1.unwrap_or(&empty));
    let (b, bc) = (theirs.0, theirs.1.unwrap_or(&empty));
    let vv = joined(&ac.vv, &bc.vv);
    let stamp = ac.stamp.clone().max(bc.stamp.clone());
    let clock = |stamp: Stamp| {
        (ours.1.is_some() || theirs.1.is_some()).then(|| NoteClock {
            stamp,
            vv: vv.clone(),
        })
    };
    if a == b {
        return (a.to_string(), clock(stamp));
    }
    let (a_sees, b_sees) = (covers(&ac.vv, &bc.vv), covers(&bc.vv, &ac.vv));
    if a_sees && !b_sees {
        return (a.to_string(), clock(ac.stamp.clone()));
    }
    if b_sees && !a_sees {
        return (b.to_string(), clock(bc.stamp.clone()));
    }
    // Changed on both sides: keep both, the later first.
    let (first, second) = if (&ac.stamp, a) >= (&bc.stamp, b) {
        (a, b)
    } else {
        (b, a)
    };
    let text = if second.is_empty() || first.contains(second) {
        first.to_string()
    } else if first.is_empty() {
        second.to_string()
    } else {
        format!("{first} ⚠ conflict, the other edit: {second}")
    };
    (text, clock(stamp))
}

/// The tags of two marks, each tag taking its latest change.
fn merge_tags(
    ours: &[String],
    oc: &MarkClock,
    theirs: &[String],
    tc: &MarkClock,
) -> (Vec<String>, BTreeMap<String, Flag>) {
    // A tag held without a stamp (before stamps were kept) counts as set
    // at the beginning of time.
    let entries = |tags: &[String], clock: &MarkClock| {
        let mut out = clock.tags.clone();
        for t in tags {
            out.entry(t.to_lowercase()).or_insert_with(|| Flag {
                on: true,
                stamp: Stamp::default(),
                name: t.clone(),
            });
        }
        out
    };
    let mut all = entries(ours, oc);
    for (k, f) in entries(theirs, tc) {
        match all.get(&k) {
            Some(mine) if (&mine.stamp, mine.on, &mine.name) >= (&f.stamp, f.on, &f.name) => {}
            _ => {
                all.insert(k, f);
            }
        }
    }
    // Ours in our order, then theirs in theirs, so a tag list keeps the
    // order its user gave it.
    let mut tags: Vec<String> = Vec::new();
    for t in ours.iter().chain(theirs) {
        let key = t.to_lowercase();
        if let Some(f) = all.get(&key)
            && f.on
            && !tags.iter().any(|x| x.to_lowercase() == key)
        {
            tags.push(f.name.clone());
        }
    }
    for (key, f) in &all {
        if f.on && !tags.iter().any(|x| x.to_lowercase() == *key) {
            tags.push(f.name.clone());
        }
    }
    (tags, all)
}

fn merge_flag(
    ours: bool,
    os: &Option<Stamp>,
    theirs: bool,
    ts: &Option<Stamp>,
) -> (bool, Option<Stamp>) {
    if (os, ours) >= (ts, theirs) {
        (ours, os.clone())
    } else {
        (theirs, ts.clone())
    }
}

impl Store {
    /// Every record of the user's work (of one study, or all), the header
    /// first.
    pub fn export_work(&self, study: Option<&str>) -> Result<Vec<Record>, StoreError> {
        let read = || -> rusqlite::Result<Vec<Record>> {
            let c = &self.conn;
            let mut out = vec![Record::Header {
                format: FORMAT,
                origin: self.origin(),
            }];
            let mut stmt = c.prepare(
                "SELECT interview_id, study_id, reviewed, starred, tags, note, updated_at, clock
                   FROM marks WHERE ?1 IS NULL OR study_id = ?1 ORDER BY study_id, interview_id",
            )?;
            for r in stmt.query_map(params![study], |r| {
                Ok(MarksRecord {
                    marks: super::marks::record_of(r)?,
                    clock: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
                })
            })? {
                let mut r = r?;
                r.clock.note =
                    note_clock_or_old(&r.marks.note, r.clock.note.as_ref(), &r.marks.updated_at);
                out.push(Record::Marks(r));
            }
            let mut uids: HashMap<i64, String> = HashMap::new();
            let mut stmt = c.prepare(
                "SELECT id, uid, study_id, name, description, parent_id, created_at, updated_at, clock
                   FROM codes WHERE ?1 IS NULL OR study_id = ?1 ORDER BY study_id, id",
            )?;
            let codes: Vec<(i64, Option<i64>, CodeRecord)> = stmt
                .query_map(params![study], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(5)?,
                        CodeRecord {
                            uid: r.get(1)?,
                            study_id: r.get(2)?,
                            name: r.get(3)?,
                            description: r.get(4)?,
                            parent: None,
                            created_at: r.get(6)?,
                            updated_at: r.get(7)?,
                            clock: serde_json::from_str(&r.get::<_, String>(8)?)
                                .unwrap_or_default(),
                        },
                    ))
                })?
                .collect::<Result<_, _>>()?;
            for (id, _, rec) in &codes {
                uids.insert(*id, rec.uid.clone());
            }
            for (_, parent, mut rec) in codes {
                rec.parent = parent.and_then(|p| uids.get(&p).cloned());
                out.push(Record::Code(rec));
            }
            let mut stmt = c.prepare(
                "SELECT id, clock FROM highlights WHERE ?1 IS NULL OR study_id = ?1 ORDER BY study_id, id",
            )?;
            let ids: Vec<(i64, String)> = stmt
                .query_map(params![study], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            for (id, clock) in ids {
                let Some(h) = super::coding::highlight_row_pub(c, id)? else {
                    continue;
                };
                out.push(Record::Highlight(HighlightRecord {
                    codes: h
                        .codes
                        .iter()
                        .filter_map(|c| uids.get(c).cloned())
                        .collect(),
                    uid: h.uid,
                    study_id: h.study_id,
                    interview_id: h.interview_id,
                    message: h.message,
                    question: h.question,
                    text: h.quoted,
                    start: h.start,
                    end: h.end,
                    quote: h.quote,
                    speaker: h.speaker,
                    at_secs: h.at_secs,
                    comment: h.comment,
                    created_at: h.created_at,
                    updated_at: h.updated_at,
                    clock: serde_json::from_str(&clock).unwrap_or_default(),
                }));
            }
            let mut stmt = c.prepare(
                "SELECT kind, key, study_id, at, origin FROM tombstones
                  WHERE ?1 IS NULL OR study_id = ?1 ORDER BY kind, key",
            )?;
            for t in stmt.query_map(params![study], |r| {
                Ok(TombstoneRecord {
                    of: r.get(0)?,
                    key: r.get(1)?,
                    study_id: r.get(2)?,
                    at: r.get(3)?,
                    o: r.get(4)?,
                })
            })? {
                out.push(Record::Tombstone(t?));
            }
            Ok(out)
        };
        read().map_err(|e| self.error(e))
    }

    /// Merges a file's records in one transaction.
    pub fn import_work(&mut self, records: &[Record]) -> Result<Imported, StoreError> {
        self.in_write(|tx, err| {
            let mut out = Imported::default();
            // Their code uids → ours, as the codes are matched.
            let mut code_ids: HashMap<String, i64> = HashMap::new();
            let codes: Vec<&CodeRecord> = records
                .iter()
                .filter_map(|r| match r {
                    Record::Code(c) => Some(c),
                    _ => None,
                })
                .collect();
            for rec in &codes {
                import_code(tx, rec, &mut code_ids, &mut out).map_err(&err)?;
            }
            // Parents once every code is here.
            for rec in &codes {
                import_parent(tx, rec, &code_ids).map_err(&err)?;
            }
            for r in records {
                match r {
                    Record::Highlight(h) => {
                        import_highlight(tx, h, &code_ids, &mut out).map_err(&err)?
                    }
                    Record::Marks(m) => import_marks(tx, m, &mut out).map_err(&err)?,
                    _ => {}
                }
            }
            for r in records {
                if let Record::Tombstone(t) = r {
                    import_tombstone(tx, t, &mut out).map_err(&err)?;
                }
            }
            Ok(out)
        })
    }
}

fn code_by(
    c: &Connection,
    sql: &str,
    key: &dyn rusqlite::ToSql,
    study: &str,
) -> rusqlite::Result<Option<(Code, CodeClock)>> {
    let found: Option<i64> = c
        .prepare_cached(sql)?
        .query_row(params![key, study], |r| r.get(0))
        .optional()?;
    match found {
        Some(id) => Ok(super::coding::code_row_pub(c, id)?.map(|code| {
            let clock = clock::code_clock(c, id).unwrap_or_default();
            (code, clock)
        })),
        None => Ok(None),
    }
}

/// Gives a matched code (or highlight) the smaller of the two uids, so
/// after one exchange both stores call it the same.
fn adopt_code_uid(c: &Connection, code: &mut Code, theirs: &str) -> rusqlite::Result<()> {
    if theirs >= code.uid.as_str() {
        return Ok(());
    }
    let old = std::mem::replace(&mut code.uid, theirs.to_string());
    c.execute(
        "UPDATE codes SET uid = ?2 WHERE id = ?1",
        params![code.id, code.uid],
    )?;
    // Highlights name their codes' changes by uid.
    let mut stmt =
        c.prepare("SELECT id, clock FROM highlights WHERE study_id = ?1 AND clock LIKE ?2")?;
    let rows: Vec<(i64, String)> = stmt
        .query_map(params![code.study_id, format!("%{old}%")], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    for (id, json) in rows {
        let mut clock: HighlightClock = serde_json::from_str(&json).unwrap_or_default();
        if let Some(flag) = clock.codes.remove(&old) {
            clock.codes.insert(code.uid.clone(), flag);
            clock::set_highlight_clock(c, id, &clock)?;
        }
    }
    Ok(())
}

fn import_code(
    c: &Connection,
    rec: &CodeRecord,
    ids: &mut HashMap<String, i64>,
    out: &mut Imported,
) -> rusqlite::Result<()> {
    let Ok(name) = super::coding::clean_code_name(&rec.name) else {
        out.refused.push(format!(
            "code {:?}: not a code name",
            crate::text::sanitize_line(&rec.name)
        ));
        return Ok(());
    };
    let local = match code_by(
        c,
        "SELECT id FROM codes WHERE uid = ?1 AND study_id = ?2",
        &rec.uid,
        &rec.study_id,
    )? {
        Some(found) => Some(found),
        None => code_by(
            c,
            "SELECT id FROM codes WHERE name = ?1 COLLATE NOCASE AND study_id = ?2",
            &name,
            &rec.study_id,
        )?,
    };
    let Some((mut code, mut clock)) = local else {
        // A removal wins over changes made beside it; only bringing the
        // code back (an undo) after the removal outlives it.
        if let Some(t) = tombstone(c, "code", &rec.uid)?
            && Some(t) >= rec.clock.alive
        {
            return Ok(());
        }
        let id: i64 = c.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM codes", [], |r| {
            r.get(0)
        })?;
        c.execute(
            "INSERT INTO codes (id, uid, study_id, name, description, parent_id, created_at, updated_at, clock)
             VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, ?8)",
            params![
                id,
                rec.uid,
                rec.study_id,
                name,
                rec.description,
                rec.created_at,
                rec.updated_at,
                serde_json::to_string(&rec.clock).unwrap_or_default()
            ],
        )?;
        ids.insert(rec.uid.clone(), id);
        out.added += 1;
        return Ok(());
    };
    ids.insert(rec.uid.clone(), code.id);
    let before = (code.clone(), clock.clone());
    adopt_code_uid(c, &mut code, &rec.uid)?;
    if later(&rec.clock.name, &clock.name) && code.name != name {
        let taken = c
            .query_row(
                "SELECT 1 FROM codes WHERE study_id = ?1 AND name = ?2 COLLATE NOCASE AND id != ?3",
                params![code.study_id, name, code.id],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if taken {
            out.warnings.push(format!(
                "code {}: renamed there to {}, which another code is called here; kept its name",
                crate::text::sanitize_line(&code.name),
                crate::text::sanitize_line(&name)
            ));
        } else {
            code.name = name.clone();
            clock.name = rec.clock.name.clone();
        }
    }
    if later(&rec.clock.description, &clock.description) {
        code.description = rec.description.clone();
        clock.description = rec.clock.description.clone();
    }
    clock.alive = clock.alive.clone().max(rec.clock.alive.clone());
    code.updated_at = code.updated_at.clone().max(rec.updated_at.clone());
    if (code.clone(), clock.clone()) == before {
        out.unchanged += 1;
        return Ok(());
    }
    c.execute(
        "UPDATE codes SET name = ?2, description = ?3, updated_at = ?4 WHERE id = ?1",
        params![code.id, code.name, code.description, code.updated_at],
    )?;
    clock::set_code_clock(c, code.id, &clock)?;
    out.changed += 1;
    Ok(())
}

fn import_parent(
    c: &Connection,
    rec: &CodeRecord,
    ids: &HashMap<String, i64>,
) -> rusqlite::Result<()> {
    let Some(id) = ids.get(&rec.uid) else {
        return Ok(());
    };
    let mut clock = clock::code_clock(c, *id)?;
    if !later(&rec.clock.parent, &clock.parent) {
        return Ok(());
    }
    let parent = match &rec.parent {
        Some(uid) => match ids.get(uid) {
            Some(p) => Some(*p),
            None => return Ok(()), // Its parent did not come: left as it is.
        },
        None => None,
    };
    // Never beneath itself.
    if let Some(p) = parent {
        let mut stmt = c.prepare_cached(
            "WITH RECURSIVE t(id) AS (SELECT ?1 UNION SELECT c.id FROM codes c JOIN t ON c.parent_id = t.id)
             SELECT 1 FROM t WHERE id = ?2",
        )?;
        if stmt
            .query_row(params![id, p], |_| Ok(()))
            .optional()?
            .is_some()
        {
            return Ok(());
        }
    }
    c.execute(
        "UPDATE codes SET parent_id = ?2 WHERE id = ?1",
        params![id, parent],
    )?;
    clock.parent = rec.clock.parent.clone();
    clock::set_code_clock(c, *id, &clock)
}

fn import_highlight(
    c: &Connection,
    rec: &HighlightRecord,
    code_ids: &HashMap<String, i64>,
    out: &mut Imported,
) -> rusqlite::Result<()> {
    if rec.comment.chars().count() > NOTE_CHARS || rec.start > rec.end {
        out.refused.push(format!(
            "highlight {}: a comment past the limit or a part that is not one",
            crate::text::sanitize_line(&rec.uid)
        ));
        return Ok(());
    }
    let found: Option<i64> = c
        .prepare_cached("SELECT id FROM highlights WHERE uid = ?1")?
        .query_row([&rec.uid], |r| r.get(0))
        .optional()?;
    let found = match found {
        Some(id) => Some(id),
        None => c
            .prepare_cached(
                "SELECT id FROM highlights WHERE interview_id = ?1 AND message IS ?2 AND question IS ?3
                   AND text_kind = ?4 AND start_char = ?5 AND end_char = ?6",
            )?
            .query_row(
                params![
                    rec.interview_id,
                    rec.message.map(|m| m as i64),
                    rec.question.map(|q| q as i64),
                    rec.text.as_str(),
                    rec.start as i64,
                    rec.end as i64
                ],
                |r| r.get(0),
            )
            .optional()?,
    };
    // Their codes, as ours: by the uids matched above, else our own uid.
    let theirs: BTreeMap<i64, Flag> = {
        let mut flags = rec.clock.codes.clone();
        for uid in &rec.codes {
            flags.entry(uid.clone()).or_insert_with(|| Flag {
                on: true,
                stamp: Stamp::default(),
                name: String::new(),
            });
        }
        let mut out = BTreeMap::new();
        for (uid, flag) in flags {
            let id = match code_ids.get(&uid) {
                Some(id) => Some(*id),
                None => c
                    .prepare_cached("SELECT id FROM codes WHERE uid = ?1")?
                    .query_row([&uid], |r| r.get(0))
                    .optional()?,
            };
            if let Some(id) = id {
                out.insert(id, flag);
            }
        }
        out
    };
    let uid_of = |id: i64| -> rusqlite::Result<Option<String>> {
        c.prepare_cached("SELECT uid FROM codes WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()
    };
    let Some(id) = found else {
        // As for codes: the removal wins unless the highlight was brought
        // back after it.
        if let Some(t) = tombstone(c, "highlight", &rec.uid)?
            && Some(t) >= rec.clock.alive
        {
            return Ok(());
        }
        let id: i64 = c.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM highlights", [], |r| {
            r.get(0)
        })?;
        let h = Highlight {
            id,
            uid: rec.uid.clone(),
            study_id: rec.study_id.clone(),
            interview_id: rec.interview_id.clone(),
            message: rec.message,
            question: rec.question,
            quoted: rec.text,
            start: rec.start,
            end: rec.end,
            quote: rec.quote.clone(),
            speaker: rec.speaker.clone(),
            at_secs: rec.at_secs,
            comment: rec.comment.clone(),
            codes: theirs
                .iter()
                .filter(|(_, f)| f.on)
                .map(|(id, _)| *id)
                .collect(),
            created_at: rec.created_at.clone(),
            updated_at: rec.updated_at.clone(),
        };
        super::coding::put_highlight_pub(c, &h)?;
        let mut clock = rec.clock.clone();
        clock.codes = BTreeMap::new();
        for (code, flag) in &theirs {
            if let Some(uid) = uid_of(*code)? {
                clock.codes.insert(uid, flag.clone());
            }
        }
        clock::set_highlight_clock(c, id, &clock)?;
        out.added += 1;
        return Ok(());
    };
    let Some(mut h) = super::coding::highlight_row_pub(c, id)? else {
        return Ok(());
    };
    let mut clock = clock::highlight_clock(c, id)?;
    let before = (h.clone(), clock.clone());
    if rec.uid < h.uid {
        h.uid = rec.uid.clone();
    }
    if (&rec.clock.comment, &rec.comment) > (&clock.comment, &h.comment) {
        h.comment = rec.comment.clone();
        clock.comment = rec.clock.comment.clone();
    }
    clock.alive = clock.alive.clone().max(rec.clock.alive.clone());
    // Each code takes its latest change; ours without a stamp count as
    // set at the beginning of time.
    let mut ours: BTreeMap<i64, Flag> = BTreeMap::new();
    for code in &h.codes {
        let uid = uid_of(*code)?.unwrap_or_default();
        let flag = clock.codes.get(&uid).cloned().unwrap_or(Flag {
            on: true,
            stamp: Stamp::default(),
            name: String::new(),
        });
        ours.insert(*code, flag);
    }
    for (uid, flag) in &clock.codes {
        if let Some(code) = c
            .prepare_cached("SELECT id FROM codes WHERE uid = ?1")?
            .query_row([uid], |r| r.get::<_, i64>(0))
            .optional()?
        {
            ours.entry(code).or_insert_with(|| flag.clone());
        }
    }
    for (code, flag) in theirs {
        match ours.get(&code) {
            Some(mine) if (&mine.stamp, mine.on) >= (&flag.stamp, flag.on) => {}
            _ => {
                ours.insert(code, flag);
            }
        }
    }
    h.codes = ours
        .iter()
        .filter(|(_, f)| f.on)
        .map(|(id, _)| *id)
        .collect();
    clock.codes = BTreeMap::new();
    for (code, flag) in &ours {
        if let Some(uid) = uid_of(*code)? {
            clock.codes.insert(uid, flag.clone());
        }
    }
    h.updated_at = h.updated_at.clone().max(rec.updated_at.clone());
    if (h.clone(), clock.clone()) == before {
        out.unchanged += 1;
        return Ok(());
    }
    super::coding::put_highlight_pub(c, &h)?;
    clock::set_highlight_clock(c, id, &clock)?;
    out.changed += 1;
    Ok(())
}

fn import_marks(c: &Connection, rec: &MarksRecord, out: &mut Imported) -> rusqlite::Result<()> {
    let who = crate::text::sanitize_line(&rec.marks.interview_id).into_owned();
    let local = Store::marks_row(c, &rec.marks.interview_id)?;
    let mut clock = clock::mark_clock(c, &rec.marks.interview_id)?;
    if let Some(m) = &local {
        let updated: String = c.query_row(
            "SELECT updated_at FROM marks WHERE interview_id = ?1",
            [&rec.marks.interview_id],
            |r| r.get(0),
        )?;
        clock.note = note_clock_or_old(&m.note, clock.note.as_ref(), &updated);
    }
    let ours = local.clone().unwrap_or_default();
    let theirs = Marks {
        reviewed: rec.marks.reviewed,
        starred: rec.marks.starred,
        tags: rec.marks.tags.clone(),
        note: rec.marks.note.clone(),
    };
    let (reviewed, reviewed_at) = merge_flag(
        ours.reviewed,
        &clock.reviewed,
        theirs.reviewed,
        &rec.clock.reviewed,
    );
    let (starred, starred_at) = merge_flag(
        ours.starred,
        &clock.starred,
        theirs.starred,
        &rec.clock.starred,
    );
    let (tags, tag_clock) = merge_tags(&ours.tags, &clock, &theirs.tags, &rec.clock);
    let ours_note = ours.note.as_str();
    let (note, note_clock) = merge_note(
        (ours_note, clock.note.as_ref()),
        (&theirs.note, rec.clock.note.as_ref()),
    );
    let merged = Marks {
        reviewed,
        starred,
        tags,
        note,
    };
    if let Err(why) = super::marks::check_limits(&merged) {
        out.refused.push(format!("{who}: {why}"));
        return Ok(());
    }
    let new_clock = MarkClock {
        reviewed: reviewed_at,
        starred: starred_at,
        tags: tag_clock,
        note: note_clock,
    };
    if local.as_ref() == Some(&merged) && new_clock == clock {
        out.unchanged += 1;
        return Ok(());
    }
    let study = match Store::study_of(c, &rec.marks.interview_id)? {
        Some(stored) if stored != rec.marks.study_id => {
            out.warnings.push(format!(
                "{who}: the mark names study {} but the interview is in study {}; it stays there",
                crate::text::sanitize_line(&rec.marks.study_id),
                crate::text::sanitize_line(&stored)
            ));
            stored
        }
        Some(stored) => stored,
        None => rec.marks.study_id.clone(),
    };
    Store::put_marks(c, &rec.marks.interview_id, &study, &merged)?;
    // The time of the latest change, not of the import.
    let latest = [
        new_clock.reviewed.as_ref().map(|s| s.at.clone()),
        new_clock.starred.as_ref().map(|s| s.at.clone()),
        new_clock.note.as_ref().map(|n| n.stamp.at.clone()),
        Some(rec.marks.updated_at.clone()),
    ]
    .into_iter()
    .flatten()
    .chain(new_clock.tags.values().map(|f| f.stamp.at.clone()))
    .map(|t| clock::normal_time(&t))
    .max()
    .unwrap_or_default();
    c.execute(
        "UPDATE marks SET updated_at = ?2 WHERE interview_id = ?1",
        params![rec.marks.interview_id, latest],
    )?;
    clock::set_mark_clock(c, &rec.marks.interview_id, &new_clock)?;
    if local.is_some() {
        out.changed += 1;
    } else {
        out.added += 1;
    }
    Ok(())
}

fn import_tombstone(
    c: &Connection,
    t: &TombstoneRecord,
    out: &mut Imported,
) -> rusqlite::Result<()> {
    let stamp = Stamp {
        at: t.at.clone(),
        o: t.o.clone(),
    };
    let known = tombstone(c, &t.of, &t.key)?;
    if known.as_ref() >= Some(&stamp) {
        return Ok(());
    }
    match t.of.as_str() {
        "highlight" => {
            let found: Option<i64> = c
                .prepare_cached("SELECT id FROM highlights WHERE uid = ?1")?
                .query_row([&t.key], |r| r.get(0))
                .optional()?;
            if let Some(id) = found {
                let alive = clock::highlight_clock(c, id)?.alive;
                if alive.as_ref() > Some(&stamp) {
                    // Brought back here after it was removed there.
                    return Ok(());
                }
                c.execute("DELETE FROM highlights WHERE id = ?1", [id])?;
                c.execute("DELETE FROM highlight_codes WHERE highlight_id = ?1", [id])?;
                out.removed += 1;
            }
        }
        "code" => {
            let found: Option<i64> = c
                .prepare_cached("SELECT id FROM codes WHERE uid = ?1")?
                .query_row([&t.key], |r| r.get(0))
                .optional()?;
            if let Some(id) = found {
                let alive = clock::code_clock(c, id)?.alive;
                if alive.as_ref() > Some(&stamp) {
                    return Ok(());
                }
                let parent: Option<i64> =
                    c.query_row("SELECT parent_id FROM codes WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })?;
                c.execute(
                    "UPDATE codes SET parent_id = ?2 WHERE parent_id = ?1",
                    params![id, parent],
                )?;
                c.execute("DELETE FROM highlight_codes WHERE code_id = ?1", [id])?;
                c.execute("DELETE FROM codes WHERE id = ?1", [id])?;
                out.removed += 1;
            }
        }
        _ => {
            out.warnings.push(format!(
                "a removal of an unknown kind ({}) was skipped",
                crate::text::sanitize_line(&t.of)
            ));
            return Ok(());
        }
    }
    bury(c, &t.of, &t.key, &t.study_id, &stamp)
}
