//! When and where each field of the user's work last changed, so two
//! stores can exchange marks, highlights and codes and agree (`uj marks
//! export/import`, docs/store.md "Exchanging work").
//!
//! Every field carries a [`Stamp`]: the time of its last change and the
//! origin (one id per store) that made it; the later stamp wins, the
//! origin breaking ties. A tag, and a highlight's membership of a code,
//! is an element with its own stamp and an on/off flag, so removals
//! travel. A note carries a version vector as well: two notes changed on
//! both sides since they last met are both kept, marked as a conflict.
//! A removed highlight or code leaves a tombstone with its stamp.
//!
//! Local changes are stamped by comparing the rows before and after (one
//! place for every kind of change, undo included).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::coding::{Code, Highlight, Snapshot};
use super::marks::Marks;

/// A change's time and origin. Times are UTC with milliseconds, so they
/// order as text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct Stamp {
    pub at: String,
    #[serde(default)]
    pub o: String,
}

/// An element of a set (a tag, a highlight's code) and whether it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    pub on: bool,
    #[serde(flatten)]
    pub stamp: Stamp,
    /// A tag's spelling as last set.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// The note's stamp and version vector: how many note edits of each
/// origin it includes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NoteClock {
    #[serde(flatten)]
    pub stamp: Stamp,
    #[serde(default)]
    pub vv: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MarkClock {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Stamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starred: Option<Stamp>,
    /// By the tag in lower case.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, Flag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<NoteClock>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CodeClock {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Stamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Stamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Stamp>,
    /// When it was made (or last brought back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alive: Option<Stamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HighlightClock {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<Stamp>,
    /// By the code's uid.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub codes: BTreeMap<String, Flag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alive: Option<Stamp>,
}

static LAST_MS: AtomicI64 = AtomicI64::new(0);

/// Now, strictly after any stamp this process made before, so two changes
/// in one millisecond still order.
pub fn now_stamp(origin: &str) -> Stamp {
    let now = chrono::Utc::now().timestamp_millis();
    let mut last = LAST_MS.load(Ordering::SeqCst);
    let ms = loop {
        let next = now.max(last + 1);
        match LAST_MS.compare_exchange(last, next, Ordering::SeqCst, Ordering::SeqCst) {
            Ok(_) => break next,
            Err(seen) => last = seen,
        }
    };
    let at = chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    Stamp {
        at,
        o: origin.to_string(),
    }
}

/// A time as stamps write it (UTC, milliseconds), so times written
/// another way (whole seconds, an offset) still order as text; text that
/// is no time is kept as it is.
pub fn normal_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        })
        .unwrap_or_else(|_| at.to_string())
}

fn read<T: for<'de> Deserialize<'de> + Default>(
    c: &Connection,
    sql: &str,
    key: &dyn rusqlite::ToSql,
) -> rusqlite::Result<T> {
    let json: Option<String> = c
        .prepare_cached(sql)?
        .query_row([key], |r| r.get(0))
        .optional()?;
    // A clock that does not read is an old one: the lowest stamps.
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".into())
}

pub(super) fn mark_clock(c: &Connection, interview_id: &str) -> rusqlite::Result<MarkClock> {
    read(
        c,
        "SELECT clock FROM marks WHERE interview_id = ?1",
        &interview_id,
    )
}

pub(super) fn code_clock(c: &Connection, id: i64) -> rusqlite::Result<CodeClock> {
    read(c, "SELECT clock FROM codes WHERE id = ?1", &id)
}

pub(super) fn highlight_clock(c: &Connection, id: i64) -> rusqlite::Result<HighlightClock> {
    read(c, "SELECT clock FROM highlights WHERE id = ?1", &id)
}

pub(super) fn set_mark_clock(c: &Connection, id: &str, clock: &MarkClock) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE marks SET clock = ?2 WHERE interview_id = ?1",
        params![id, json(clock)],
    )
    .map(|_| ())
}

pub(super) fn set_code_clock(c: &Connection, id: i64, clock: &CodeClock) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE codes SET clock = ?2 WHERE id = ?1",
        params![id, json(clock)],
    )
    .map(|_| ())
}

pub(super) fn set_highlight_clock(
    c: &Connection,
    id: i64,
    clock: &HighlightClock,
) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE highlights SET clock = ?2 WHERE id = ?1",
        params![id, json(clock)],
    )
    .map(|_| ())
}

/// Records a removal, so it travels.
pub(super) fn bury(
    c: &Connection,
    kind: &str,
    key: &str,
    study_id: &str,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO tombstones (kind, key, study_id, at, origin) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(kind, key) DO UPDATE SET at = max(at, ?4),
           origin = CASE WHEN ?4 >= at THEN ?5 ELSE origin END",
        params![kind, key, study_id, stamp.at, stamp.o],
    )
    .map(|_| ())
}

/// The tombstone of a removed highlight or code, if any.
pub(super) fn tombstone(c: &Connection, kind: &str, key: &str) -> rusqlite::Result<Option<Stamp>> {
    c.prepare_cached("SELECT at, origin FROM tombstones WHERE kind = ?1 AND key = ?2")?
        .query_row(params![kind, key], |r| {
            Ok(Stamp {
                at: r.get(0)?,
                o: r.get(1)?,
            })
        })
        .optional()
}

/// Lifts a tombstone (an undo brought the thing back).
fn unbury(c: &Connection, kind: &str, key: &str) -> rusqlite::Result<()> {
    c.execute(
        "DELETE FROM tombstones WHERE kind = ?1 AND key = ?2",
        params![kind, key],
    )
    .map(|_| ())
}

/// Stamps what changed from `before` to `after` (rows already written).
pub(super) fn stamp_marks(
    c: &Connection,
    id: &str,
    before: Option<&Marks>,
    after: Option<&Marks>,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    let Some(after) = after else {
        return Ok(());
    };
    let empty = Marks::default();
    let before = before.unwrap_or(&empty);
    let mut clock = mark_clock(c, id)?;
    if before.reviewed != after.reviewed {
        clock.reviewed = Some(stamp.clone());
    }
    if before.starred != after.starred {
        clock.starred = Some(stamp.clone());
    }
    let lower = |t: &String| t.to_lowercase();
    for t in &after.tags {
        let was = before.tags.iter().any(|b| lower(b) == lower(t));
        if !was {
            clock.tags.insert(
                lower(t),
                Flag {
                    on: true,
                    stamp: stamp.clone(),
                    name: t.clone(),
                },
            );
        }
    }
    for t in &before.tags {
        if !after.tags.iter().any(|a| lower(a) == lower(t)) {
            clock.tags.insert(
                lower(t),
                Flag {
                    on: false,
                    stamp: stamp.clone(),
                    name: t.clone(),
                },
            );
        }
    }
    if before.note != after.note {
        let mut note = clock.note.take().unwrap_or_default();
        *note.vv.entry(stamp.o.clone()).or_default() += 1;
        note.stamp = stamp.clone();
        clock.note = Some(note);
    }
    set_mark_clock(c, id, &clock)
}

fn stamp_code(
    c: &Connection,
    id: i64,
    before: Option<&Code>,
    after: Option<&Code>,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    match (before, after) {
        (Some(b), None) => bury(c, "code", &b.uid, &b.study_id, stamp),
        (before, Some(a)) => {
            let mut clock = code_clock(c, id)?;
            if before.is_none() {
                unbury(c, "code", &a.uid)?;
                clock.alive = Some(stamp.clone());
            }
            if before.is_none_or(|b| b.name != a.name) {
                clock.name = Some(stamp.clone());
            }
            if before.is_none_or(|b| b.description != a.description) {
                clock.description = Some(stamp.clone());
            }
            if before.is_none_or(|b| b.parent != a.parent) {
                clock.parent = Some(stamp.clone());
            }
            set_code_clock(c, id, &clock)
        }
        (None, None) => Ok(()),
    }
}

fn code_uid(c: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    c.prepare_cached("SELECT uid FROM codes WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}

fn stamp_highlight(
    c: &Connection,
    id: i64,
    before: Option<&Highlight>,
    after: Option<&Highlight>,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    match (before, after) {
        (Some(b), None) => bury(c, "highlight", &b.uid, &b.study_id, stamp),
        (before, Some(a)) => {
            let mut clock = highlight_clock(c, id)?;
            if before.is_none() {
                unbury(c, "highlight", &a.uid)?;
                clock.alive = Some(stamp.clone());
            }
            if before.is_none_or(|b| b.comment != a.comment) {
                clock.comment = Some(stamp.clone());
            }
            let was: &[i64] = before.map_or(&[], |b| b.codes.as_slice());
            for code in &a.codes {
                if !was.contains(code)
                    && let Some(uid) = code_uid(c, *code)?
                {
                    clock.codes.insert(
                        uid,
                        Flag {
                            on: true,
                            stamp: stamp.clone(),
                            name: String::new(),
                        },
                    );
                }
            }
            for code in was {
                if !a.codes.contains(code)
                    && let Some(uid) = code_uid(c, *code)?
                {
                    clock.codes.insert(
                        uid,
                        Flag {
                            on: false,
                            stamp: stamp.clone(),
                            name: String::new(),
                        },
                    );
                }
            }
            set_highlight_clock(c, id, &clock)
        }
        (None, None) => Ok(()),
    }
}

/// Stamps every row a step changed (written already), from the two sides
/// of the step.
pub(super) fn stamp_step(
    c: &Connection,
    before: &Snapshot,
    after: &Snapshot,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    // Codes first: a highlight's new code needs its uid.
    for (id, a) in &after.codes {
        let b = before
            .codes
            .iter()
            .find(|(k, _)| k == id)
            .and_then(|(_, b)| b.as_ref());
        if b != a.as_ref() {
            stamp_code(c, *id, b, a.as_ref(), stamp)?;
        }
    }
    for (id, a) in &after.highlights {
        let b = before
            .highlights
            .iter()
            .find(|(k, _)| k == id)
            .and_then(|(_, b)| b.as_ref());
        if b != a.as_ref() {
            stamp_highlight(c, *id, b, a.as_ref(), stamp)?;
        }
    }
    for (id, _, a) in &after.marks {
        let b = before
            .marks
            .iter()
            .find(|(k, _, _)| k == id)
            .and_then(|(_, _, b)| b.as_ref());
        if b != a.as_ref() {
            stamp_marks(c, id, b, a.as_ref(), stamp)?;
        }
    }
    Ok(())
}
