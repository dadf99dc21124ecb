//! Coding: highlights of a message (or a part of one) with codes, and the
//! study's codebook. The user's work, like marks: nothing in the mirror
//! writes here, and no sync removes a highlight whose interview left.
//!
//! Every change runs in one committed transaction and returns a [`Step`]:
//! the rows it touched before and after, so the browser can undo and redo
//! it by writing either side back ([`Store::restore`]).

use std::collections::{BTreeSet, HashMap};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{Marks, NOTE_CHARS, Store, StoreError};

/// The longest code name.
pub const CODE_CHARS: usize = 100;

/// Which text of a message a highlight quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Quoted {
    #[default]
    Original,
    English,
}

impl Quoted {
    pub fn as_str(self) -> &'static str {
        match self {
            Quoted::Original => "original",
            Quoted::English => "english",
        }
    }

    fn parse(s: &str) -> Quoted {
        if s == "english" {
            Quoted::English
        } else {
            Quoted::Original
        }
    }
}

/// A code of the study's codebook. A code with children is a theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    pub id: i64,
    pub uid: String,
    pub study_id: String,
    pub name: String,
    pub description: String,
    pub parent: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

/// A code in codebook order, with its depth and counts. The counts take
/// in its descendants: a theme's evidence is its codes'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeEntry {
    pub code: Code,
    pub depth: usize,
    pub highlights: u64,
    pub interviews: u64,
}

/// A highlight as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Highlight {
    pub id: i64,
    pub uid: String,
    pub study_id: String,
    pub interview_id: String,
    /// The transcript message (0-based); `None` for an answer excerpt that
    /// quotes no message found in the transcript.
    pub message: Option<usize>,
    /// The question (0-based) whose answer excerpt this came from.
    pub question: Option<usize>,
    pub quoted: Quoted,
    /// Character offsets into the quoted text of the message.
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub speaker: Option<String>,
    pub at_secs: Option<f64>,
    pub comment: String,
    pub codes: Vec<i64>,
    pub created_at: String,
    pub updated_at: String,
}

/// A highlight to make: where it is and what it quotes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewHighlight {
    pub study_id: String,
    pub interview_id: String,
    pub message: Option<usize>,
    pub question: Option<usize>,
    pub quoted: Quoted,
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub speaker: Option<String>,
    pub at_secs: Option<f64>,
    pub comment: String,
}

/// A highlight's passage, to code again.
impl From<Highlight> for NewHighlight {
    fn from(h: Highlight) -> Self {
        NewHighlight {
            study_id: h.study_id,
            interview_id: h.interview_id,
            message: h.message,
            question: h.question,
            quoted: h.quoted,
            start: h.start,
            end: h.end,
            quote: h.quote,
            speaker: h.speaker,
            at_secs: h.at_secs,
            comment: h.comment,
        }
    }
}

impl Highlight {
    /// A new highlight of a passage, with no code yet.
    fn made(id: i64, new: &NewHighlight, stamp: &str) -> Highlight {
        Highlight {
            id,
            uid: new_uid(),
            study_id: new.study_id.clone(),
            interview_id: new.interview_id.clone(),
            message: new.message,
            question: new.question,
            quoted: new.quoted,
            start: new.start,
            end: new.end,
            quote: new.quote.clone(),
            speaker: new.speaker.clone(),
            at_secs: new.at_secs,
            comment: new.comment.clone(),
            codes: Vec::new(),
            created_at: stamp.to_string(),
            updated_at: stamp.to_string(),
        }
    }
}

impl NewHighlight {
    /// Whether `h` is this same passage (then coding it adds codes).
    fn same_place(&self, h: &Highlight) -> bool {
        h.interview_id == self.interview_id
            && h.message == self.message
            && h.question == self.question
            && h.quoted == self.quoted
            && h.start == self.start
            && h.end == self.end
    }
}

/// The rows one change touched, as they were (or will be): `None` is a
/// row that did not exist.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub marks: Vec<(String, String, Option<Marks>)>,
    pub codes: Vec<(i64, Option<Code>)>,
    pub highlights: Vec<(i64, Option<Highlight>)>,
}

/// A committed change: what it did, and the rows before and after, so it
/// can be undone and redone.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub what: String,
    pub before: Snapshot,
    pub after: Snapshot,
}

/// What the touched rows are, before a change reads them.
#[derive(Default)]
struct Touched {
    marks: Vec<(String, String)>,
    codes: BTreeSet<i64>,
    highlights: BTreeSet<i64>,
}

fn now() -> String {
    super::now_millis()
}

/// A random id in the form REFI-QDA's GUIDs take.
pub fn new_uid() -> String {
    let hex: String = (0..32)
        .map(|_| char::from_digit(fastrand::u32(0..16), 16).unwrap_or('0'))
        .collect();
    format!(
        "{}-{}-4{}-{}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        ['8', '9', 'a', 'b'][fastrand::usize(0..4)],
        &hex[17..20],
        &hex[20..32]
    )
}

/// A code's name as stored: trimmed, inner runs of space made one.
/// Refused when empty, too long or holding control characters.
pub fn clean_code_name(name: &str) -> Result<String, String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err("a code needs a name".into());
    }
    if name.chars().any(char::is_control) {
        return Err("a code's name cannot hold control characters".into());
    }
    let n = name.chars().count();
    if n > CODE_CHARS {
        return Err(format!(
            "a code's name holds at most {CODE_CHARS} characters and this one has {n}"
        ));
    }
    Ok(name)
}

fn within_text_limit(what: &str, text: &str) -> Result<(), StoreError> {
    let n = text.chars().count();
    if n > NOTE_CHARS {
        return Err(StoreError::Refused(format!(
            "{what} holds at most {} characters and this one has {}",
            crate::text::grouped(NOTE_CHARS),
            crate::text::grouped(n)
        )));
    }
    Ok(())
}

const CODE_COLUMNS: &str =
    "id, uid, study_id, name, description, parent_id, created_at, updated_at";
const HIGHLIGHT_COLUMNS: &str = "id, uid, study_id, interview_id, message, question, text_kind, \
     start_char, end_char, quote, speaker, at_secs, comment, created_at, updated_at";

fn code_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Code> {
    Ok(Code {
        id: r.get(0)?,
        uid: r.get(1)?,
        study_id: r.get(2)?,
        name: r.get(3)?,
        description: r.get(4)?,
        parent: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

pub(super) fn highlight_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Highlight> {
    let index = |i: usize| -> rusqlite::Result<Option<usize>> {
        Ok(r.get::<_, Option<i64>>(i)?
            .and_then(|n| usize::try_from(n).ok()))
    };
    let offset = |i: usize| -> rusqlite::Result<usize> {
        Ok(usize::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
    };
    Ok(Highlight {
        id: r.get(0)?,
        uid: r.get(1)?,
        study_id: r.get(2)?,
        interview_id: r.get(3)?,
        message: index(4)?,
        question: index(5)?,
        quoted: Quoted::parse(&r.get::<_, String>(6)?),
        start: offset(7)?,
        end: offset(8)?,
        quote: r.get(9)?,
        speaker: r.get(10)?,
        at_secs: r.get(11)?,
        comment: r.get(12)?,
        codes: Vec::new(),
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
    })
}

fn code_row(c: &Connection, id: i64) -> rusqlite::Result<Option<Code>> {
    c.prepare_cached(&format!("SELECT {CODE_COLUMNS} FROM codes WHERE id = ?1"))?
        .query_row(params![id], code_of)
        .optional()
}

fn codes_of_highlight(c: &Connection, id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = c.prepare_cached(
        "SELECT code_id FROM highlight_codes WHERE highlight_id = ?1 ORDER BY code_id",
    )?;
    stmt.query_map(params![id], |r| r.get(0))?.collect()
}

fn highlight_row(c: &Connection, id: i64) -> rusqlite::Result<Option<Highlight>> {
    let h = c
        .prepare_cached(&format!(
            "SELECT {HIGHLIGHT_COLUMNS} FROM highlights WHERE id = ?1"
        ))?
        .query_row(params![id], highlight_of)
        .optional()?;
    match h {
        Some(mut h) => {
            h.codes = codes_of_highlight(c, id)?;
            Ok(Some(h))
        }
        None => Ok(None),
    }
}

fn code_named(c: &Connection, study_id: &str, name: &str) -> rusqlite::Result<Option<Code>> {
    c.prepare_cached(&format!(
        "SELECT {CODE_COLUMNS} FROM codes WHERE study_id = ?1 AND name = ?2 COLLATE NOCASE"
    ))?
    .query_row(params![study_id, name], code_of)
    .optional()
}

/// The study's code of that name, made when there is none.
fn code_or_new(c: &Connection, study_id: &str, name: &str, stamp: &str) -> rusqlite::Result<i64> {
    if let Some(code) = code_named(c, study_id, name)? {
        return Ok(code.id);
    }
    let id = next_id(c, "codes")?;
    put_code(
        c,
        &Code {
            id,
            uid: new_uid(),
            study_id: study_id.to_string(),
            name: name.to_string(),
            description: String::new(),
            parent: None,
            created_at: stamp.to_string(),
            updated_at: stamp.to_string(),
        },
    )?;
    Ok(id)
}

fn put_code(c: &Connection, code: &Code) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO codes (id, uid, study_id, name, description, parent_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(id) DO UPDATE SET uid = ?2, study_id = ?3, name = ?4, description = ?5,
           parent_id = ?6, created_at = ?7, updated_at = ?8",
    )?
    .execute(params![
        code.id,
        code.uid,
        code.study_id,
        code.name,
        code.description,
        code.parent,
        code.created_at,
        code.updated_at
    ])
    .map(|_| ())
}

fn put_highlight(c: &Connection, h: &Highlight) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO highlights (id, uid, study_id, interview_id, message, question, text_kind,
           start_char, end_char, quote, speaker, at_secs, comment, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT(id) DO UPDATE SET uid = ?2, study_id = ?3, interview_id = ?4, message = ?5,
           question = ?6, text_kind = ?7, start_char = ?8, end_char = ?9, quote = ?10,
           speaker = ?11, at_secs = ?12, comment = ?13, created_at = ?14, updated_at = ?15",
    )?
    .execute(params![
        h.id,
        h.uid,
        h.study_id,
        h.interview_id,
        h.message.map(|m| m as i64),
        h.question.map(|q| q as i64),
        h.quoted.as_str(),
        h.start as i64,
        h.end as i64,
        h.quote,
        h.speaker,
        h.at_secs,
        h.comment,
        h.created_at,
        h.updated_at
    ])?;
    c.prepare_cached("DELETE FROM highlight_codes WHERE highlight_id = ?1")?
        .execute(params![h.id])?;
    let mut add = c.prepare_cached(
        "INSERT OR IGNORE INTO highlight_codes (highlight_id, code_id) VALUES (?1, ?2)",
    )?;
    for code in &h.codes {
        add.execute(params![h.id, code])?;
    }
    Ok(())
}

fn next_id(c: &Connection, table: &str) -> rusqlite::Result<i64> {
    c.query_row(
        &format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}"),
        [],
        |r| r.get(0),
    )
}

/// The code and every code beneath it.
fn subtree(c: &Connection, id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = c.prepare_cached(
        "WITH RECURSIVE t(id) AS (SELECT ?1 UNION SELECT c.id FROM codes c JOIN t ON c.parent_id = t.id)
         SELECT id FROM t",
    )?;
    stmt.query_map(params![id], |r| r.get(0))?.collect()
}

fn highlights_with(c: &Connection, code: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt =
        c.prepare_cached("SELECT highlight_id FROM highlight_codes WHERE code_id = ?1")?;
    stmt.query_map(params![code], |r| r.get(0))?.collect()
}

fn snapshot(c: &Connection, t: &Touched) -> rusqlite::Result<Snapshot> {
    let mut s = Snapshot::default();
    for (id, study) in &t.marks {
        s.marks
            .push((id.clone(), study.clone(), Store::marks_row(c, id)?));
    }
    for id in &t.codes {
        s.codes.push((*id, code_row(c, *id)?));
    }
    for id in &t.highlights {
        s.highlights.push((*id, highlight_row(c, *id)?));
    }
    Ok(s)
}

fn write_snapshot(c: &Connection, s: &Snapshot) -> rusqlite::Result<()> {
    // Codes first: a restored highlight may name a restored code.
    for (id, code) in &s.codes {
        match code {
            Some(code) => put_code(c, code)?,
            None => {
                c.execute("DELETE FROM codes WHERE id = ?1", params![id])?;
                c.execute(
                    "DELETE FROM highlight_codes WHERE code_id = ?1",
                    params![id],
                )?;
            }
        }
    }
    for (id, h) in &s.highlights {
        match h {
            Some(h) => put_highlight(c, h)?,
            None => {
                c.execute("DELETE FROM highlights WHERE id = ?1", params![id])?;
                c.execute(
                    "DELETE FROM highlight_codes WHERE highlight_id = ?1",
                    params![id],
                )?;
            }
        }
    }
    for (id, study, marks) in &s.marks {
        match marks {
            Some(m) => Store::put_marks(c, id, study, m)?,
            None => {
                c.execute("DELETE FROM marks WHERE interview_id = ?1", params![id])?;
            }
        }
    }
    Ok(())
}

/// A change's own failure (a name that does not exist, a limit) or the
/// database's.
enum Failure {
    Refused(String),
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Failure::Db(e)
    }
}

impl Store {
    /// Runs a change in one transaction: `plan` names the rows it touches
    /// (filling `Touched`) and makes the change; the rows are read before
    /// and after. `plan` runs twice: once to learn the rows (rolled back),
    /// once for real, so it must not depend on anything but the store.
    fn change(
        &mut self,
        plan: &mut dyn FnMut(&Connection, &mut Touched) -> Result<String, Failure>,
    ) -> Result<Step, StoreError> {
        let origin = self.origin();
        self.in_write(|tx, err| {
            let refused = |f: Failure| match f {
                Failure::Refused(why) => StoreError::Refused(why),
                Failure::Db(e) => err(e),
            };
            // Learn the rows the change touches, then undo it to read them
            // as they were: the savepoint keeps both passes in one
            // transaction.
            let mut touched = Touched::default();
            {
                let mut sp = tx.savepoint().map_err(err)?;
                sp.set_drop_behavior(rusqlite::DropBehavior::Rollback);
                plan(&sp, &mut touched).map_err(refused)?;
            }
            let before = snapshot(tx, &touched).map_err(err)?;
            let mut again = Touched::default();
            let what = plan(tx, &mut again).map_err(refused)?;
            let after = snapshot(tx, &touched).map_err(err)?;
            super::clock::stamp_step(tx, &before, &after, &super::clock::now_stamp(&origin))
                .map_err(err)?;
            Ok(Step {
                what,
                before,
                after,
            })
        })
    }

    /// Writes one side of a step back (undo writes `before`, redo `after`),
    /// in one committed transaction.
    pub fn restore(&mut self, side: &Snapshot) -> Result<(), StoreError> {
        self.writable()?;
        let origin = self.origin();
        self.in_write(|tx, err| {
            let touched = Touched {
                marks: side
                    .marks
                    .iter()
                    .map(|(id, study, _)| (id.clone(), study.clone()))
                    .collect(),
                codes: side.codes.iter().map(|(id, _)| *id).collect(),
                highlights: side.highlights.iter().map(|(id, _)| *id).collect(),
            };
            let now = snapshot(tx, &touched).map_err(&err)?;
            write_snapshot(tx, side).map_err(&err)?;
            // An undo is a change like any other: it travels.
            super::clock::stamp_step(tx, &now, side, &super::clock::now_stamp(&origin))
                .map_err(&err)?;
            Ok(())
        })
    }

    /// A change to an interview's marks as an undoable step.
    pub fn mark_step(
        &mut self,
        interview_id: &str,
        study_id: &str,
        change: &super::MarkChange,
    ) -> Result<(Marks, Step), StoreError> {
        let before = Self::marks_row(&self.conn, interview_id).map_err(|e| self.error(e))?;
        let marks = self.change_marks(interview_id, study_id, change)?;
        let study = Self::study_of(&self.conn, interview_id)
            .map_err(|e| self.error(e))?
            .unwrap_or_else(|| study_id.to_string());
        let step = Step {
            what: change.describe(),
            before: Snapshot {
                marks: vec![(interview_id.to_string(), study.clone(), before)],
                ..Snapshot::default()
            },
            after: Snapshot {
                marks: vec![(interview_id.to_string(), study, Some(marks.clone()))],
                ..Snapshot::default()
            },
        };
        Ok((marks, step))
    }

    /// Codes a passage: the highlight at that place gains the codes (made
    /// when no code of that name exists), or is made with them.
    pub fn code_passage(
        &mut self,
        new: &NewHighlight,
        code_names: &[String],
    ) -> Result<Step, StoreError> {
        if code_names.is_empty() {
            return Err(StoreError::Refused("name at least one code".into()));
        }
        let names = code_names
            .iter()
            .map(|n| clean_code_name(n))
            .collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::Refused)?;
        within_text_limit("a comment", &new.comment)?;
        if new.start > new.end || new.end > new.quote.chars().count() + new.start {
            return Err(StoreError::Refused(format!(
                "the part {}..{} is not within the quote",
                new.start, new.end
            )));
        }
        let stamp = now();
        self.change(&mut |tx, touched| {
            let mut ids = Vec::new();
            for name in &names {
                let id = code_or_new(tx, &new.study_id, name, &stamp)?;
                touched.codes.insert(id);
                ids.push(id);
            }
            let existing = Self::highlights_at(tx, &new.interview_id, new.message)?
                .into_iter()
                .find(|h| new.same_place(h));
            let mut h = match existing {
                Some(h) => h,
                None => Highlight::made(next_id(tx, "highlights")?, new, &stamp),
            };
            for id in &ids {
                if !h.codes.contains(id) {
                    h.codes.push(*id);
                }
            }
            h.codes.sort_unstable();
            h.updated_at = stamp.clone();
            touched.highlights.insert(h.id);
            put_highlight(tx, &h)?;
            Ok(format!("coded a passage {}", names.join(", ")))
        })
    }

    /// Codes every interview of a list as a whole (`;` then the code key):
    /// each gets a highlight of no message, quoting its headline, with the
    /// code (made when no code has that name). One transaction, one step.
    pub fn bulk_code(
        &mut self,
        query: &super::ListQuery,
        code_name: &str,
    ) -> Result<Step, StoreError> {
        let name = clean_code_name(code_name).map_err(StoreError::Refused)?;
        let query = self.materialize_search(query)?;
        let rows = self.window(&query, 0, usize::MAX >> 1)?;
        let study = query.filters.study_id.clone();
        let stamp = now();
        self.change(&mut |tx, touched| {
            let code = code_or_new(tx, &study, &name, &stamp)?;
            touched.codes.insert(code);
            let mut next = next_id(tx, "highlights")?;
            for i in &rows {
                let quote = i
                    .headline
                    .clone()
                    .filter(|h| !h.trim().is_empty())
                    .unwrap_or_else(|| "(the whole interview)".into());
                let existing = Self::highlights_at(tx, &i.id, None)?
                    .into_iter()
                    .find(|h| h.question.is_none());
                let mut h = match existing {
                    Some(h) => h,
                    None => {
                        next += 1;
                        let whole = NewHighlight {
                            study_id: study.clone(),
                            interview_id: i.id.clone(),
                            end: quote.chars().count(),
                            quote,
                            ..NewHighlight::default()
                        };
                        Highlight::made(next - 1, &whole, &stamp)
                    }
                };
                if h.codes.contains(&code) {
                    continue;
                }
                h.codes.push(code);
                h.codes.sort_unstable();
                h.updated_at = stamp.clone();
                touched.highlights.insert(h.id);
                put_highlight(tx, &h)?;
            }
            Ok(format!(
                "coded {} of the list as {name}",
                crate::text::count(touched.highlights.len() as u64, "interview", "interviews")
            ))
        })
    }

    /// Removes one code from a highlight; the last code's removal removes
    /// the highlight.
    pub fn uncode(&mut self, highlight: i64, code: i64) -> Result<Step, StoreError> {
        let stamp = now();
        self.change(&mut |tx, touched| {
            let mut h = highlight_row(tx, highlight)?
                .ok_or_else(|| Failure::Refused("that highlight is gone".into()))?;
            let name = code_row(tx, code)?.map(|c| c.name).unwrap_or_default();
            touched.highlights.insert(highlight);
            h.codes.retain(|c| *c != code);
            if h.codes.is_empty() {
                tx.execute("DELETE FROM highlights WHERE id = ?1", params![highlight])?;
                tx.execute(
                    "DELETE FROM highlight_codes WHERE highlight_id = ?1",
                    params![highlight],
                )?;
                Ok(format!("removed the highlight coded {name}"))
            } else {
                h.updated_at = stamp.clone();
                put_highlight(tx, &h)?;
                Ok(format!("removed {name} from a highlight"))
            }
        })
    }

    /// Removes a highlight with all its codes.
    pub fn delete_highlight(&mut self, highlight: i64) -> Result<Step, StoreError> {
        self.change(&mut |tx, touched| {
            touched.highlights.insert(highlight);
            tx.execute("DELETE FROM highlights WHERE id = ?1", params![highlight])?;
            tx.execute(
                "DELETE FROM highlight_codes WHERE highlight_id = ?1",
                params![highlight],
            )?;
            Ok("removed a highlight".into())
        })
    }

    /// Sets a highlight's comment (empty clears it).
    pub fn comment_highlight(&mut self, highlight: i64, comment: &str) -> Result<Step, StoreError> {
        within_text_limit("a comment", comment)?;
        let stamp = now();
        self.change(&mut |tx, touched| {
            let mut h = highlight_row(tx, highlight)?
                .ok_or_else(|| Failure::Refused("that highlight is gone".into()))?;
            touched.highlights.insert(highlight);
            h.comment = comment.trim().to_string();
            h.updated_at = stamp.clone();
            put_highlight(tx, &h)?;
            Ok(if comment.trim().is_empty() {
                "cleared a highlight's comment".into()
            } else {
                "commented a highlight".into()
            })
        })
    }

    fn named(tx: &Connection, study_id: &str, name: &str) -> Result<Code, Failure> {
        code_named(tx, study_id, name.trim())?.ok_or_else(|| {
            Failure::Refused(format!(
                "no code is named {:?} in this study: `uj codes list` shows them",
                name.trim()
            ))
        })
    }

    /// Renames a code.
    pub fn rename_code(
        &mut self,
        study_id: &str,
        old: &str,
        new: &str,
    ) -> Result<Step, StoreError> {
        let new = clean_code_name(new).map_err(StoreError::Refused)?;
        let stamp = now();
        self.change(&mut |tx, touched| {
            let mut code = Self::named(tx, study_id, old)?;
            if let Some(other) = code_named(tx, study_id, &new)?
                && other.id != code.id
            {
                return Err(Failure::Refused(format!(
                    "a code is already named {:?}: merge into it instead",
                    other.name
                )));
            }
            touched.codes.insert(code.id);
            let was = std::mem::replace(&mut code.name, new.clone());
            code.updated_at = stamp.clone();
            put_code(tx, &code)?;
            Ok(format!("renamed {was} to {new}"))
        })
    }

    /// Merges `from` into `into`: its highlights take `into`, its children
    /// move under `into`, the descriptions are joined, and `from` goes.
    pub fn merge_codes(
        &mut self,
        study_id: &str,
        from: &str,
        into: &str,
    ) -> Result<Step, StoreError> {
        let stamp = now();
        self.change(&mut |tx, touched| {
            let from = Self::named(tx, study_id, from)?;
            let mut into = Self::named(tx, study_id, into)?;
            if from.id == into.id {
                return Err(Failure::Refused(
                    "a code cannot be merged into itself".into(),
                ));
            }
            if subtree(tx, from.id)?.contains(&into.id) {
                return Err(Failure::Refused(format!(
                    "{} is beneath {}: move it out first",
                    into.name, from.name
                )));
            }
            touched.codes.insert(from.id);
            touched.codes.insert(into.id);
            for h in highlights_with(tx, from.id)? {
                touched.highlights.insert(h);
                tx.execute(
                    "INSERT OR IGNORE INTO highlight_codes (highlight_id, code_id) VALUES (?1, ?2)",
                    params![h, into.id],
                )?;
            }
            let children: Vec<i64> = tx
                .prepare_cached("SELECT id FROM codes WHERE parent_id = ?1")?
                .query_map(params![from.id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for child in children {
                touched.codes.insert(child);
                tx.execute(
                    "UPDATE codes SET parent_id = ?1, updated_at = ?2 WHERE id = ?3",
                    params![into.id, stamp, child],
                )?;
            }
            let joined = [into.description.trim(), from.description.trim()]
                .into_iter()
                .filter(|d| !d.is_empty())
                .collect::<Vec<_>>()
                .join("\n\n");
            into.description = joined;
            into.updated_at = stamp.clone();
            put_code(tx, &into)?;
            tx.execute(
                "DELETE FROM highlight_codes WHERE code_id = ?1",
                params![from.id],
            )?;
            tx.execute("DELETE FROM codes WHERE id = ?1", params![from.id])?;
            Ok(format!("merged {} into {}", from.name, into.name))
        })
    }

    /// Puts a code under a parent (a theme), or at the top with `None`.
    pub fn move_code(
        &mut self,
        study_id: &str,
        code: &str,
        parent: Option<&str>,
    ) -> Result<Step, StoreError> {
        let stamp = now();
        self.change(&mut |tx, touched| {
            let mut c = Self::named(tx, study_id, code)?;
            let parent = match parent {
                Some(p) => {
                    let p = Self::named(tx, study_id, p)?;
                    if subtree(tx, c.id)?.contains(&p.id) {
                        return Err(Failure::Refused(format!(
                            "{} cannot go under {}: it is {} itself or beneath it",
                            c.name, p.name, c.name
                        )));
                    }
                    Some(p)
                }
                None => None,
            };
            touched.codes.insert(c.id);
            c.parent = parent.as_ref().map(|p| p.id);
            c.updated_at = stamp.clone();
            put_code(tx, &c)?;
            Ok(match parent {
                Some(p) => format!("put {} under {}", c.name, p.name),
                None => format!("put {} at the top", c.name),
            })
        })
    }

    /// Sets a code's description.
    pub fn describe_code(
        &mut self,
        study_id: &str,
        code: &str,
        description: &str,
    ) -> Result<Step, StoreError> {
        within_text_limit("a description", description)?;
        let stamp = now();
        self.change(&mut |tx, touched| {
            let mut c = Self::named(tx, study_id, code)?;
            touched.codes.insert(c.id);
            c.description = description.trim().to_string();
            c.updated_at = stamp.clone();
            put_code(tx, &c)?;
            Ok(format!("described {}", c.name))
        })
    }

    /// Deletes a code: highlights lose it (one left with no code goes),
    /// and its children move up to its parent.
    pub fn delete_code(&mut self, study_id: &str, code: &str) -> Result<Step, StoreError> {
        let stamp = now();
        self.change(&mut |tx, touched| {
            let c = Self::named(tx, study_id, code)?;
            touched.codes.insert(c.id);
            let children: Vec<i64> = tx
                .prepare_cached("SELECT id FROM codes WHERE parent_id = ?1")?
                .query_map(params![c.id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for child in children {
                touched.codes.insert(child);
                tx.execute(
                    "UPDATE codes SET parent_id = ?1, updated_at = ?2 WHERE id = ?3",
                    params![c.parent, stamp, child],
                )?;
            }
            let hs = highlights_with(tx, c.id)?;
            for h in &hs {
                touched.highlights.insert(*h);
            }
            tx.execute(
                "DELETE FROM highlight_codes WHERE code_id = ?1",
                params![c.id],
            )?;
            tx.execute(
                "DELETE FROM highlights WHERE id IN (SELECT h.id FROM highlights h
                   WHERE h.study_id = ?1 AND NOT EXISTS
                     (SELECT 1 FROM highlight_codes hc WHERE hc.highlight_id = h.id))",
                params![study_id],
            )?;
            tx.execute("DELETE FROM codes WHERE id = ?1", params![c.id])?;
            Ok(format!(
                "deleted {} ({} lost it)",
                c.name,
                crate::text::count(hs.len() as u64, "highlight", "highlights")
            ))
        })
    }

    fn highlights_at(
        c: &Connection,
        interview_id: &str,
        message: Option<usize>,
    ) -> rusqlite::Result<Vec<Highlight>> {
        let mut stmt = c.prepare_cached(&format!(
            "SELECT {HIGHLIGHT_COLUMNS} FROM highlights WHERE interview_id = ?1 AND message IS ?2"
        ))?;
        let mut out: Vec<Highlight> = stmt
            .query_map(
                params![interview_id, message.map(|m| m as i64)],
                highlight_of,
            )?
            .collect::<Result<_, _>>()?;
        for h in &mut out {
            h.codes = codes_of_highlight(c, h.id)?;
        }
        Ok(out)
    }

    /// Every highlight of an interview, in transcript order.
    pub fn highlights_of_interview(
        &self,
        interview_id: &str,
    ) -> Result<Vec<Highlight>, StoreError> {
        let read = || -> rusqlite::Result<Vec<Highlight>> {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {HIGHLIGHT_COLUMNS} FROM highlights WHERE interview_id = ?1
                  ORDER BY message IS NULL, message, start_char, id"
            ))?;
            let mut out: Vec<Highlight> = stmt
                .query_map(params![interview_id], highlight_of)?
                .collect::<Result<_, _>>()?;
            for h in &mut out {
                h.codes = codes_of_highlight(&self.conn, h.id)?;
            }
            Ok(out)
        };
        read().map_err(|e| self.error(e))
    }

    /// One highlight.
    pub fn highlight(&self, id: i64) -> Result<Option<Highlight>, StoreError> {
        highlight_row(&self.conn, id).map_err(|e| self.error(e))
    }

    /// The study's codes, by id.
    pub fn codes(&self, study_id: &str) -> Result<HashMap<i64, Code>, StoreError> {
        let read = || -> rusqlite::Result<HashMap<i64, Code>> {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {CODE_COLUMNS} FROM codes WHERE study_id = ?1"
            ))?;
            stmt.query_map(params![study_id], code_of)?
                .map(|c| c.map(|c| (c.id, c)))
                .collect()
        };
        read().map_err(|e| self.error(e))
    }

    /// The code named `name` in a study (names are compared without case).
    pub fn code_named(&self, study_id: &str, name: &str) -> Result<Option<Code>, StoreError> {
        code_named(&self.conn, study_id, name.trim()).map_err(|e| self.error(e))
    }

    /// The code and its descendants' ids.
    pub fn code_subtree(&self, id: i64) -> Result<Vec<i64>, StoreError> {
        subtree(&self.conn, id).map_err(|e| self.error(e))
    }

    /// The codebook in its order: each theme followed by its codes, by
    /// name at every level, with counts that take in the descendants.
    pub fn codebook(&self, study_id: &str) -> Result<Vec<CodeEntry>, StoreError> {
        let codes = self.codes(study_id)?;
        let read = || -> rusqlite::Result<HashMap<i64, Vec<(i64, String)>>> {
            // Each code's highlights with their interviews, once.
            let mut stmt = self.conn.prepare_cached(
                "SELECT hc.code_id, h.id, h.interview_id FROM highlight_codes hc
                   JOIN highlights h ON h.id = hc.highlight_id WHERE h.study_id = ?1",
            )?;
            let mut by_code: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
            for row in stmt.query_map(params![study_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })? {
                let (code, h, interview) = row?;
                by_code.entry(code).or_default().push((h, interview));
            }
            Ok(by_code)
        };
        let by_code = read().map_err(|e| self.error(e))?;
        let tree = CodeTree::new(codes);
        Ok(tree
            .ordered()
            .into_iter()
            .map(|(code, depth)| {
                let mut hs = BTreeSet::new();
                let mut is = BTreeSet::new();
                for id in tree.descendants(code.id) {
                    for (h, i) in by_code.get(&id).into_iter().flatten() {
                        hs.insert(*h);
                        is.insert(i.as_str());
                    }
                }
                CodeEntry {
                    highlights: hs.len() as u64,
                    interviews: is.len() as u64,
                    code: code.clone(),
                    depth,
                }
            })
            .collect())
    }

    /// This store's origin id: a GUID made once, naming its user in a
    /// REFI-QDA project (and, later, the origin of its changes).
    pub fn origin(&self) -> String {
        let stored: Option<String> = self
            .conn
            .query_row("SELECT value FROM prefs WHERE key = 'origin'", [], |r| {
                r.get(0)
            })
            .optional()
            .ok()
            .flatten();
        if let Some(id) = stored {
            return id;
        }
        let id = new_uid();
        if self.writable().is_ok() {
            // A store that cannot be written gets a new id each time.
            let _ = self.conn.execute(
                "INSERT OR IGNORE INTO prefs (key, value) VALUES ('origin', ?1)",
                params![id],
            );
        }
        id
    }

    /// The codebook in its order without its counts (no highlight read):
    /// what the browser needs to draw code names after each change.
    pub fn codebook_names(&self, study_id: &str) -> Result<Vec<CodeEntry>, StoreError> {
        let tree = CodeTree::new(self.codes(study_id)?);
        Ok(tree
            .ordered()
            .into_iter()
            .map(|(code, depth)| CodeEntry {
                code: code.clone(),
                depth,
                highlights: 0,
                interviews: 0,
            })
            .collect())
    }

    /// How many interviews of the study have at least one highlight.
    pub fn coded_interviews(&self, study_id: &str) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(DISTINCT interview_id) FROM highlights WHERE study_id = ?1",
                params![study_id],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(|e| self.error(e))
    }
}

/// The codebook as a tree, for its order and for folding children into
/// their themes.
pub struct CodeTree {
    pub codes: HashMap<i64, Code>,
    children: HashMap<Option<i64>, Vec<i64>>,
}

impl CodeTree {
    pub fn new(codes: HashMap<i64, Code>) -> CodeTree {
        let mut children: HashMap<Option<i64>, Vec<i64>> = HashMap::new();
        for c in codes.values() {
            // A parent that is gone (or a cycle written by hand) puts the
            // code at the top rather than hide it.
            let parent = c.parent.filter(|p| codes.contains_key(p) && *p != c.id);
            children.entry(parent).or_default().push(c.id);
        }
        for list in children.values_mut() {
            list.sort_by(|a, b| {
                let (a, b) = (&codes[a], &codes[b]);
                a.name
                    .to_lowercase()
                    .cmp(&b.name.to_lowercase())
                    .then(a.id.cmp(&b.id))
            });
        }
        CodeTree { codes, children }
    }

    /// Every code in codebook order with its depth; each code once, even
    /// in a cycle.
    pub fn ordered(&self) -> Vec<(&Code, usize)> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(i64, usize)> = self
            .children
            .get(&None)
            .into_iter()
            .flatten()
            .rev()
            .map(|id| (*id, 0))
            .collect();
        while let Some((id, depth)) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            out.push((&self.codes[&id], depth));
            for child in self.children.get(&Some(id)).into_iter().flatten().rev() {
                stack.push((*child, depth + 1));
            }
        }
        // Codes in a cycle are reached from no top: add them at the top.
        let mut rest: Vec<&Code> = self
            .codes
            .values()
            .filter(|c| !seen.contains(&c.id))
            .collect();
        rest.sort_by_key(|c| c.id);
        out.extend(rest.into_iter().map(|c| (c, 0)));
        out
    }

    /// A code and every code beneath it.
    pub fn descendants(&self, id: i64) -> Vec<i64> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            out.push(id);
            stack.extend(self.children.get(&Some(id)).into_iter().flatten());
        }
        out
    }

    /// A code and the codes above it, nearest first (each once, even in
    /// a cycle written by hand).
    pub fn lineage(&self, id: i64) -> Vec<i64> {
        let mut out = Vec::new();
        let mut at = Some(id);
        while let Some(c) = at {
            if out.contains(&c) || !self.codes.contains_key(&c) {
                break;
            }
            out.push(c);
            at = self.codes.get(&c).and_then(|code| code.parent);
        }
        out
    }

    /// The codes directly beneath a code (or the top's, for `None`), by
    /// name.
    pub fn children_of(&self, id: Option<i64>) -> impl Iterator<Item = &Code> {
        self.children
            .get(&id)
            .into_iter()
            .flatten()
            .filter_map(|c| self.codes.get(c))
    }

    /// The code's name, or a placeholder for one that is gone.
    pub fn name(&self, id: i64) -> &str {
        self.codes
            .get(&id)
            .map_or("(deleted code)", |c| c.name.as_str())
    }
}

/// A highlight by id, for the exchange of work.
pub(super) fn highlight_row_pub(c: &Connection, id: i64) -> rusqlite::Result<Option<Highlight>> {
    highlight_row(c, id)
}

/// A code by id, for the exchange of work.
pub(super) fn code_row_pub(c: &Connection, id: i64) -> rusqlite::Result<Option<Code>> {
    code_row(c, id)
}

/// Writes a highlight and its codes, for the exchange of work.
pub(super) fn put_highlight_pub(c: &Connection, h: &Highlight) -> rusqlite::Result<()> {
    put_highlight(c, h)
}
