//! The full-text index: an FTS5 table derived from the mirrored data (it
//! can be rebuilt from it at any time) and kept current by every sync
//! write, one document per interview. Latin scripts match whole words and word prefixes, without
//! regard to case or accents (`unicode61 remove_diacritics 2`); CJK text,
//! which has no spaces between words, is indexed a second time as
//! overlapping two-character pieces, so any substring of two or more
//! characters is found, and one character by prefix.
//!
//! Whatever the user types is data: it is cut into tokens of letters and
//! digits, each quoted, so no FTS syntax (`"`, `*`, `(`, `:`, `-`, `^`,
//! `AND`, `OR`, `NEAR`) can reach the query.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::{Store, StoreError};
use crate::api::model::{Interview, InterviewDetail};

/// How much of a user's query is used.
const MAX_QUERY_CHARS: usize = 1000;
const MAX_TERMS: usize = 32;

/// Where a hit is: the kinds of indexed text, in the order hits are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HitKind {
    /// The header: headline, summary, reference id, email.
    Meta,
    /// A message as spoken.
    Message,
    /// A message's English.
    English,
    /// An answer's summary.
    Answer,
}

impl HitKind {
    /// The name `--json` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Meta => "meta",
            HitKind::Message => "message",
            HitKind::English => "english",
            HitKind::Answer => "answer",
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4dbf}' // CJK Extension A
        | '\u{4e00}'..='\u{9fff}' // CJK Unified Ideographs
        | '\u{ac00}'..='\u{d7af}' // Hangul syllables
        | '\u{f900}'..='\u{faff}' // CJK Compatibility Ideographs
        | '\u{ff66}'..='\u{ff9f}' // half-width Katakana
    )
}

/// The two-character pieces of every CJK run in `text`, space-separated
/// (a lone CJK character is its own piece).
pub fn grams(text: &str) -> String {
    let mut out = String::new();
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut String| {
        if run.len() == 1 {
            out.push(run[0]);
            out.push(' ');
        }
        for pair in run.windows(2) {
            out.push(pair[0]);
            out.push(pair[1]);
            out.push(' ');
        }
        run.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A user's query made safe for FTS5, and what marks its hits in a text
/// (the index keeps no copy of the text, so hits are found again here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtsQuery {
    pub expr: String,
    /// The CJK runs, found in a text as substrings.
    pub cjk: Vec<String>,
    /// The Latin words and phrases, folded as the index folds them.
    pub phrases: Vec<Phrase>,
}

/// Words that match in a row; the last one as a word start when `prefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub words: Vec<String>,
    pub prefix: bool,
}

/// Splits a term into runs of letters and digits, CJK runs apart.
fn tokens(term: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    for c in term.chars() {
        if !c.is_alphanumeric() {
            out.push((false, String::new()));
            continue;
        }
        let cjk = is_cjk(c);
        match out.last_mut() {
            Some((k, s)) if *k == cjk && !s.is_empty() => s.push(c),
            _ => out.push((cjk, c.to_string())),
        }
    }
    out.retain(|(_, s)| !s.is_empty());
    out
}

/// The FTS5 expression for one term (a word, or a quoted phrase).
fn term_expr(
    term: &str,
    phrase: bool,
    cjk_needles: &mut Vec<String>,
    phrases: &mut Vec<Phrase>,
) -> Option<String> {
    let toks = tokens(term);
    let mut parts = Vec::new();
    let latin: Vec<&str> = toks
        .iter()
        .filter(|(cjk, _)| !cjk)
        .map(|(_, s)| s.as_str())
        .collect();
    if !latin.is_empty() {
        // Quoted tokens of letters and digits: nothing in them is syntax.
        let quoted = format!("\"{}\"", latin.join(" "));
        phrases.push(Phrase {
            words: latin.iter().map(|w| fold(w)).collect(),
            prefix: !(phrase || latin.len() > 1),
        });
        parts.push(if phrase || latin.len() > 1 {
            format!("text : {quoted}")
        } else {
            format!("text : {quoted}*")
        });
    }
    for (_, run) in toks.iter().filter(|(cjk, _)| *cjk) {
        cjk_needles.push(run.clone());
        let chars: Vec<char> = run.chars().collect();
        parts.push(if chars.len() == 1 {
            format!("grams : \"{run}\"*")
        } else {
            let pieces: Vec<String> = chars.windows(2).map(|p| p.iter().collect()).collect();
            format!("grams : \"{}\"", pieces.join(" "))
        });
    }
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// Reads what the user typed: words are ANDed, `"a phrase"` matches as a
/// phrase; anything else is taken literally. `None` when nothing
/// searchable is left.
pub fn fts_query(user: &str) -> Option<FtsQuery> {
    let clean: String = user
        .chars()
        .take(MAX_QUERY_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut terms: Vec<(String, bool)> = Vec::new();
    for (n, part) in clean.split('"').enumerate() {
        // Odd parts were between quotes (a lone quote starts a phrase that
        // runs to the end).
        if n % 2 == 1 {
            terms.push((part.to_string(), true));
        } else {
            terms.extend(part.split_whitespace().map(|w| (w.to_string(), false)));
        }
    }
    let mut cjk = Vec::new();
    let mut phrases = Vec::new();
    let exprs: Vec<String> = terms
        .iter()
        .filter_map(|(t, phrase)| term_expr(t, *phrase, &mut cjk, &mut phrases))
        .take(MAX_TERMS)
        .collect();
    (!exprs.is_empty()).then(|| FtsQuery {
        expr: exprs.join(" AND "),
        cjk,
        phrases,
    })
}

/// A word as the index keeps it: lower case, accents removed
/// (`unicode61 remove_diacritics 2`).
pub fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    use unicode_normalization::UnicodeNormalization;
    word.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a text, as the index cuts them (runs of letters and
/// digits), each with its byte range.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        let letter = c.is_alphanumeric() && c != MARK_OPEN && c != MARK_CLOSE;
        match (letter, start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                out.push((from, at));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        out.push((from, text.len()));
    }
    out
}

/// `doc` with each of the query's Latin words and phrases between
/// `MARK_OPEN` and `MARK_CLOSE`, as FTS5's `highlight()` marks them (CJK
/// runs are found by their text where they are used).
fn mark(doc: &str, q: &FtsQuery) -> String {
    if q.phrases.is_empty() {
        return doc.to_string();
    }
    let spans = words(doc);
    // ASCII words are compared without case as they are; others folded.
    let folded: Vec<std::borrow::Cow<str>> = spans
        .iter()
        .map(|(a, b)| {
            let w = &doc[*a..*b];
            if w.is_ascii() {
                w.into()
            } else {
                fold(w).into()
            }
        })
        .collect();
    let same = |word: &str, w: &str, prefix: bool| {
        if prefix {
            word.len() >= w.len() && word.as_bytes()[..w.len()].eq_ignore_ascii_case(w.as_bytes())
        } else {
            word.eq_ignore_ascii_case(w)
        }
    };
    // A phrase stays within one part of the document.
    let joined = |i: usize| !doc[spans[i - 1].1..spans[i].0].contains([PART, BLOCK]);
    // Where each hit starts and ends, by word.
    let mut hit_end: Vec<Option<usize>> = vec![None; spans.len()];
    for p in &q.phrases {
        let n = p.words.len();
        if n == 0 || n > folded.len() {
            continue;
        }
        for i in 0..=folded.len() - n {
            let matches = p.words.iter().enumerate().all(|(j, w)| {
                same(&folded[i + j], w, p.prefix && j == n - 1) && (j == 0 || joined(i + j))
            });
            if matches {
                let end = i + n - 1;
                hit_end[i] = Some(hit_end[i].map_or(end, |e| e.max(end)));
            }
        }
    }
    let mut out = String::with_capacity(doc.len() + 16);
    let mut copied = 0;
    let mut i = 0;
    while i < spans.len() {
        let Some(mut end) = hit_end[i] else {
            i += 1;
            continue;
        };
        // Overlapping hits are one marked run.
        let mut k = i;
        while k <= end {
            if let Some(e) = hit_end[k] {
                end = end.max(e);
            }
            k += 1;
        }
        out.push_str(&doc[copied..spans[i].0]);
        out.push(MARK_OPEN);
        out.push_str(&doc[spans[i].0..spans[end].1]);
        out.push(MARK_CLOSE);
        copied = spans[end].1;
        i = end + 1;
    }
    out.push_str(&doc[copied..]);
    out
}

/// What one interview's hits look like in a list row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowHits {
    /// Matching texts (messages in either language, answers, the header).
    pub count: usize,
    /// The first matching transcript message, if any.
    pub first_message: Option<usize>,
    /// A line from the first hit on.
    pub snippet: String,
    /// Where the hits stand in `snippet` (char ranges, end excluded).
    pub hit_ranges: Vec<(usize, usize)>,
}

/// One hit, for `uj search`.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub interview_id: String,
    pub kind: HitKind,
    pub message_index: Option<usize>,
    pub text: String,
    pub snippet: String,
}

const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

/// A line of `text` around its first hit: FTS5 marked the Latin hits;
/// CJK hits are found by their text.
fn snippet(marked: &str, cjk: &[String]) -> String {
    snippet_with_hits(marked, cjk).0
}

/// The snippet a list row shows: it starts at the first hit (or the start
/// of its word), and says where each hit stands in it, as char ranges, so
/// the row can mark the words that matched rather than the whole row.
/// Sanitised and folded to one line, char by char, so the ranges hold.
fn snippet_with_hits(marked: &str, cjk: &[String]) -> (String, Vec<(usize, usize)>) {
    let mut chars: Vec<(char, bool)> = Vec::with_capacity(marked.len());
    let mut inside = false;
    for c in marked.chars() {
        match c {
            MARK_OPEN => inside = true,
            MARK_CLOSE => inside = false,
            c if c.is_whitespace() => {
                if chars.last().is_some_and(|(p, _)| *p != ' ') {
                    chars.push((' ', false));
                }
            }
            c => {
                let mut one = [0u8; 4];
                for s in crate::text::sanitize_line(c.encode_utf8(&mut one)).chars() {
                    chars.push((s, inside));
                }
            }
        }
    }
    let plain: Vec<char> = chars.iter().map(|(c, _)| *c).collect();
    for needle in cjk {
        let n: Vec<char> = needle.chars().collect();
        if n.is_empty() || n.len() > plain.len() {
            continue;
        }
        for i in 0..=plain.len() - n.len() {
            if plain[i..i + n.len()] == n[..] {
                for c in &mut chars[i..i + n.len()] {
                    c.1 = true;
                }
            }
        }
    }
    let at = chars.iter().position(|(_, h)| *h).unwrap_or(0);
    let mut start = at;
    while start > 0 && at - start < 12 && chars[start - 1].0 != ' ' {
        start -= 1;
    }
    let end = (start + 96).min(chars.len());
    let mut text = String::new();
    let mut hits = Vec::new();
    let lead = usize::from(start > 0);
    if start > 0 {
        text.push('…');
    }
    let mut run: Option<usize> = None;
    for (k, (c, hit)) in chars[start..end].iter().enumerate() {
        text.push(*c);
        match (*hit, run) {
            (true, None) => run = Some(k + lead),
            (false, Some(from)) => {
                hits.push((from, k + lead));
                run = None;
            }
            _ => {}
        }
    }
    if let Some(from) = run {
        hits.push((from, end - start + lead));
    }
    if end < chars.len() {
        text.push('…');
    }
    (text, hits)
}

/// Between the parts of a document (the header, each message in each
/// language, each answer): a paragraph separator, which the tokenizer
/// treats as a space, so a phrase never spans two parts.
const PART: char = '\u{2029}';
/// Between the header, the transcript and the answers.
const BLOCK: char = '\u{2028}';

/// One interview as one indexed document: the header (headline, summary,
/// reference id, email), then each message's original and English, then
/// each answer's summary. Each interview is one row (its rowid is the
/// interview's), so a search returns interviews, and where in an
/// interview the hits are is read back from the parts.
pub fn document(i: &Interview, d: Option<&InterviewDetail>) -> String {
    let clean = |t: &str| t.replace([PART, BLOCK], " ");
    let header = [
        i.headline.as_deref(),
        i.summary.as_deref(),
        i.reference_id.as_deref(),
        i.respondent_email.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(clean)
    .collect::<Vec<_>>()
    .join("\n");
    let mut doc = header;
    doc.push(BLOCK);
    if let Some(d) = d {
        let messages: Vec<String> = d
            .transcript
            .iter()
            .flat_map(|m| {
                [
                    clean(m.message.as_deref().unwrap_or("")),
                    clean(m.translated.as_deref().unwrap_or("")),
                ]
            })
            .collect();
        doc.push_str(&messages.join(&PART.to_string()));
        doc.push(BLOCK);
        let answers: Vec<String> = d
            .question_answers
            .iter()
            .map(|qa| clean(qa.summary().unwrap_or("")))
            .collect();
        doc.push_str(&answers.join(&PART.to_string()));
    } else {
        doc.push(BLOCK);
    }
    doc
}

/// Where a part of a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Header,
    /// Message `k`'s original (`english: false`) or English text.
    Message {
        k: usize,
        english: bool,
    },
    Answer(usize),
}

/// The parts of a document (as `mark` returns it: the same text
/// with hit markers), each with where it came from.
fn parts(doc: &str) -> Vec<(Part, &str)> {
    let mut blocks = doc.split(BLOCK);
    let mut out = vec![(Part::Header, blocks.next().unwrap_or(""))];
    if let Some(messages) = blocks.next().filter(|b| !b.is_empty()) {
        for (n, text) in messages.split(PART).enumerate() {
            out.push((
                Part::Message {
                    k: n / 2,
                    english: n % 2 == 1,
                },
                text,
            ));
        }
    }
    if let Some(answers) = blocks.next().filter(|b| !b.is_empty()) {
        for (n, text) in answers.split(PART).enumerate() {
            out.push((Part::Answer(n), text));
        }
    }
    out
}

/// Whether a part of a highlighted document holds a hit: a marker from
/// FTS5 (words), or one of the CJK pieces of the query.
fn is_hit(part: &str, cjk: &[String]) -> bool {
    part.contains(MARK_OPEN) || cjk.iter().any(|c| part.contains(c.as_str()))
}

/// Writes an interview's document (its list object, and its detail when
/// stored), replacing the one before.
pub(super) fn index(
    conn: &Connection,
    i: &Interview,
    d: Option<&InterviewDetail>,
) -> rusqlite::Result<()> {
    let rowid: Option<i64> = conn
        .prepare_cached("SELECT rowid FROM interviews WHERE id = ?1")?
        .query_row(params![i.id], |r| r.get(0))
        .ok();
    let Some(rowid) = rowid else {
        return Ok(());
    };
    conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?
        .execute(params![rowid])?;
    let doc = document(i, d);
    conn.prepare_cached("INSERT INTO search (rowid, text, grams) VALUES (?1, ?2, ?3)")?
        .execute(params![rowid, doc, grams(&doc)])
        .map(|_| ())
}

/// The stored detail of an interview, if any (to index it with a new list
/// object).
pub(super) fn stored_detail(conn: &Connection, id: &str) -> Option<InterviewDetail> {
    conn.prepare_cached("SELECT json FROM details WHERE interview_id = ?1")
        .ok()?
        .query_row(params![id], |r| r.get::<_, String>(0))
        .ok()
        .and_then(|j| serde_json::from_str(&j).ok())
}

/// An interview's document from its stored JSON (`None` when the list
/// object does not read: the next sync stores it again).
fn stored_document(list: &str, detail: Option<&str>) -> Option<String> {
    let i = serde_json::from_str::<Interview>(list).ok()?;
    let d = detail.and_then(|d| serde_json::from_str::<InterviewDetail>(d).ok());
    Some(document(&i, d.as_ref()))
}

/// Fills the (empty) index from the mirrored data, telling `progress`
/// how many of how many interviews are done. Runs inside the caller's
/// transaction: the migration that makes the index fills it, so a kill
/// leaves the old version and the old index.
pub(super) fn fill(conn: &Connection, progress: &mut dyn FnMut(u64, u64)) -> rusqlite::Result<()> {
    let total: i64 = conn.query_row("SELECT COUNT(*) FROM interviews", [], |r| r.get(0))?;
    let total = u64::try_from(total).unwrap_or(0);
    let mut rows = conn.prepare(
        "SELECT i.rowid, i.json, d.json FROM interviews i
           LEFT JOIN details d ON d.interview_id = i.id",
    )?;
    let mut insert = conn.prepare("INSERT INTO search (rowid, text, grams) VALUES (?1, ?2, ?3)")?;
    let mut it = rows.query([])?;
    let mut done = 0;
    if total > 0 {
        progress(0, total);
    }
    while let Some(r) = it.next()? {
        let rowid: i64 = r.get(0)?;
        let list: String = r.get(1)?;
        let detail: Option<String> = r.get(2)?;
        if let Some(doc) = stored_document(&list, detail.as_deref()) {
            insert.execute(params![rowid, doc, grams(&doc)])?;
        }
        crate::crash::midway();
        done += 1;
        if done % 500 == 0 || done == total {
            progress(done, total);
        }
    }
    Ok(())
}

/// What a migration that rebuilds the index says on stderr: a line
/// first (a large study takes a while, once), then a bar on a terminal.
pub(super) struct IndexProgress {
    file: String,
    bar: Option<indicatif::ProgressBar>,
    told: bool,
}

impl IndexProgress {
    pub(super) fn new(file: &str) -> Self {
        IndexProgress {
            file: file.to_string(),
            bar: None,
            told: false,
        }
    }

    pub(super) fn report(&mut self, done: u64, of: u64) {
        if !self.told {
            self.told = true;
            eprintln!(
                "uj: rebuilding the search index of {} in its new, smaller form ({of} interviews); this happens once",
                crate::text::sanitize_line(&self.file)
            );
            use std::io::IsTerminal;
            if std::io::stderr().is_terminal() {
                let bar = indicatif::ProgressBar::new(of);
                if let Ok(style) =
                    indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} interviews")
                {
                    bar.set_style(style);
                }
                self.bar = Some(bar);
            }
        }
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        }
    }

    /// Whether the index was rebuilt.
    pub(super) fn finish(self) -> bool {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
        self.told
    }
}

/// The bytes of text the index holds, and how many documents: what
/// BENCHMARKS.md compares the index's size with.
pub fn indexed_text(conn: &Connection) -> rusqlite::Result<(u64, u64)> {
    let mut rows = conn.prepare(
        "SELECT i.json, d.json FROM interviews i LEFT JOIN details d ON d.interview_id = i.id",
    )?;
    let mut it = rows.query([])?;
    let (mut bytes, mut docs) = (0, 0);
    while let Some(r) = it.next()? {
        let list: String = r.get(0)?;
        let detail: Option<String> = r.get(1)?;
        if let Some(doc) = stored_document(&list, detail.as_deref()) {
            bytes += doc.len() as u64;
            docs += 1;
        }
    }
    Ok((bytes, docs))
}

impl Store {
    /// Indexes an interview as it is stored now: for one whose detail the
    /// sync asked for but did not get (the page left its indexing to the
    /// detail), so it is found by its header until the detail comes.
    pub fn index_as_stored(&mut self, id: &str) -> Result<(), StoreError> {
        self.in_write(|tx, err| {
            let list: Option<Interview> = tx
                .prepare_cached("SELECT json FROM interviews WHERE id = ?1")
                .and_then(|mut s| s.query_row(params![id], |r| r.get::<_, String>(0)))
                .ok()
                .and_then(|j| serde_json::from_str(&j).ok());
            if let Some(list) = list {
                let detail = stored_detail(tx, id);
                index(tx, &list, detail.as_ref()).map_err(&err)?;
            }
            Ok(())
        })
    }

    /// Builds the index again from the mirrored data (to repair it).
    pub fn rebuild_search(&mut self) -> Result<(), StoreError> {
        self.in_write(|tx, err| {
            tx.execute("DELETE FROM search", []).map_err(err)?;
            fill(tx, &mut |_, _| {}).map_err(err)?;
            Ok(())
        })
    }

    /// The documents of the given interviews, their hits marked; only
    /// those with a hit. The ids come from the search's own matches (the
    /// list's window, `uj search`'s pages, the interview opened from a
    /// searched list), so the index is not asked again: the text is read
    /// from the mirror, which the index does not copy.
    fn highlighted(
        &self,
        q: &FtsQuery,
        ids: &[String],
    ) -> Result<Vec<(String, String)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; ids.len()].join(", ");
        let sql = format!(
            "SELECT i.id, i.json, d.json FROM interviews i
               LEFT JOIN details d ON d.interview_id = i.id
              WHERE i.id IN ({marks})"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(ids), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .map_err(|e| self.error(e))?;
        let mut out = Vec::with_capacity(ids.len());
        for row in rows {
            let (id, list, detail) = row.map_err(|e| self.error(e))?;
            let Some(doc) = stored_document(&list, detail.as_deref()) else {
                continue;
            };
            let marked = mark(&doc, q);
            if is_hit(&marked, &q.cjk) {
                out.push((id, marked));
            }
        }
        Ok(out)
    }

    /// The hit counts, first message and snippet of the given interviews.
    pub fn row_hits(
        &self,
        ids: &[String],
        query: &str,
    ) -> Result<HashMap<String, RowHits>, StoreError> {
        let Some(q) = fts_query(query) else {
            return Ok(HashMap::new());
        };
        let mut out = HashMap::new();
        for (id, doc) in self.highlighted(&q, ids)? {
            let hit_parts: Vec<(Part, &str)> = parts(&doc)
                .into_iter()
                .filter(|(_, t)| is_hit(t, &q.cjk))
                .collect();
            // The transcript's first hit first, for the snippet.
            let first_message = hit_parts.iter().find_map(|(p, _)| match p {
                Part::Message { k, .. } => Some(*k),
                _ => None,
            });
            let shown = hit_parts
                .iter()
                .find(|(p, _)| matches!(p, Part::Message { .. }))
                .or(hit_parts.first());
            let (snippet, hit_ranges) =
                shown.map_or_else(Default::default, |(_, t)| snippet_with_hits(t, &q.cjk));
            out.insert(
                id,
                RowHits {
                    count: hit_parts.len().max(1),
                    first_message,
                    snippet,
                    hit_ranges,
                },
            );
        }
        Ok(out)
    }

    /// The transcript messages of an interview that match, in order.
    pub fn hit_messages(&self, id: &str, query: &str) -> Result<Vec<usize>, StoreError> {
        let Some(q) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let mut out: Vec<usize> = Vec::new();
        for (_, doc) in self.highlighted(&q, &[id.to_string()])? {
            for (p, t) in parts(&doc) {
                if let Part::Message { k, .. } = p
                    && is_hit(t, &q.cjk)
                    && out.last() != Some(&k)
                {
                    out.push(k);
                }
            }
        }
        Ok(out)
    }

    /// Every hit in a study, in the list's order, then the transcript's.
    pub fn search_hits(
        &self,
        study_id: &str,
        query: &str,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        // The query language: its plain words find the hits, its field
        // terms narrow the interviews.
        let parsed = super::query::parse(query);
        let mut values: Vec<rusqlite::types::Value> = vec![study_id.to_string().into()];
        let q = fts_query(&parsed.text);
        // The headline only when it is what is shown (field terms alone):
        // reading it takes each interview's JSON.
        let mut sql = String::from(if q.is_some() {
            "SELECT i.id, NULL FROM interviews i WHERE i.study_id = ?"
        } else {
            "SELECT i.id, json_extract(i.json, '$.headline') FROM interviews i WHERE i.study_id = ?"
        });
        if let Some(filter) = &parsed.filter {
            sql.push_str(" AND ");
            sql.push_str(&super::query::sql(filter, &mut values));
        }
        match &q {
            Some(q) => {
                sql.push_str(" AND i.rowid IN (SELECT rowid FROM search WHERE search MATCH ?)");
                values.push(q.expr.clone().into());
            }
            None if parsed.filter.is_none() => return Ok(Vec::new()),
            None => {}
        }
        sql.push_str(" ORDER BY i.position, i.id LIMIT ? OFFSET ?");
        // The matching interviews in the list's order (no text read), a
        // page at a time, then the text of only as many as the limit needs:
        // a word in 10,000 interviews reads the first page only.
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.error(e))?;
        let mut page =
            |offset: usize, len: usize| -> Result<Vec<(String, Option<String>)>, StoreError> {
                let mut vals = values.clone();
                vals.push(i64::try_from(len).unwrap_or(i64::MAX).into());
                vals.push(i64::try_from(offset).unwrap_or(i64::MAX).into());
                stmt.query_map(rusqlite::params_from_iter(vals.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(|e| self.error(e))?
                .collect::<Result<_, _>>()
                .map_err(|e| self.error(e))
            };
        let Some(q) = q else {
            // Field terms alone: each interview once, by its headline.
            return Ok(page(0, limit)?
                .into_iter()
                .map(|(id, headline)| {
                    let text = headline.unwrap_or_else(|| "(no headline yet)".into());
                    Hit {
                        interview_id: id,
                        kind: HitKind::Meta,
                        message_index: None,
                        snippet: crate::text::sanitize_line(&text).into_owned(),
                        text,
                    }
                })
                .collect());
        };
        let mut out = Vec::new();
        let mut offset = 0;
        while out.len() < limit {
            let chunk: Vec<String> = page(offset, 50)?.into_iter().map(|(id, _)| id).collect();
            if chunk.is_empty() {
                break;
            }
            offset += chunk.len();
            let docs: HashMap<String, String> = self.highlighted(&q, &chunk)?.into_iter().collect();
            for id in &chunk {
                let Some(doc) = docs.get(id) else { continue };
                for (p, t) in parts(doc) {
                    if out.len() >= limit || !is_hit(t, &q.cjk) {
                        continue;
                    }
                    let (kind, index) = match p {
                        Part::Header => (HitKind::Meta, None),
                        Part::Message { k, english: false } => (HitKind::Message, Some(k)),
                        Part::Message { k, english: true } => (HitKind::English, Some(k)),
                        Part::Answer(n) => (HitKind::Answer, Some(n)),
                    };
                    out.push(Hit {
                        interview_id: id.clone(),
                        kind,
                        message_index: index,
                        text: t
                            .chars()
                            .filter(|c| *c != MARK_OPEN && *c != MARK_CLOSE)
                            .collect(),
                        snippet: snippet(t, &q.cjk),
                    });
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_data_never_syntax() {
        let q = |s: &str| fts_query(s).map(|q| q.expr);
        assert_eq!(q("coupon"), Some("text : \"coupon\"*".into()));
        assert_eq!(
            q("coupon checkout"),
            Some("text : \"coupon\"* AND text : \"checkout\"*".into())
        );
        assert_eq!(q("\"one page\""), Some("text : \"one page\"".into()));
        assert_eq!(
            q("NEAR(a OR -x ^y col:z"),
            Some(
                "text : \"NEAR a\" AND text : \"OR\"* AND text : \"x\"* AND text : \"y\"* AND text : \"col z\""
                    .into()
            )
        );
        assert_eq!(
            q("\"unclosed phrase"),
            Some("text : \"unclosed phrase\"".into())
        );
        assert_eq!(q("* ( ) : - ^ \""), None);
        assert_eq!(q("送料"), Some("grams : \"送料\"".into()));
        assert_eq!(q("クーポン"), Some("grams : \"クー ーポ ポン\"".into()));
        assert_eq!(q("送"), Some("grams : \"送\"*".into()));
        assert_eq!(
            q("Larderでの"),
            Some("text : \"Larder\"* AND grams : \"での\"".into())
        );
    }

    fn marked(doc: &str, query: &str) -> String {
        let q = fts_query(query).expect("query");
        mark(doc, &q)
            .replace(MARK_OPEN, "[")
            .replace(MARK_CLOSE, "]")
    }

    #[test]
    fn hits_are_marked_as_the_index_matches_them() {
        // Word starts, without regard to case or accents.
        assert_eq!(
            marked("Coupons? The COUPON code, a recoupon", "coupon"),
            "[Coupons]? The [COUPON] code, a recoupon"
        );
        assert_eq!(marked("Café crème", "cafe creme"), "[Café] [crème]");
        assert_eq!(marked("Liefergebühr", "liefergebuhr"), "[Liefergebühr]");
        // A phrase is its words in a row, the last one whole.
        assert_eq!(
            marked(
                "the delivery fee, delivery fees, fee delivery",
                "\"delivery fee\""
            ),
            "the [delivery fee], delivery fees, fee delivery"
        );
        // A phrase does not run from one part of a document to the next.
        let doc = format!("a delivery{PART}fee here{BLOCK}delivery fee");
        assert_eq!(
            marked(&doc, "\"delivery fee\""),
            format!("a delivery{PART}fee here{BLOCK}[delivery fee]")
        );
        // A Latin word inside a mixed-script word, as the index cuts it.
        assert_eq!(marked("Larderでの注文", "larder"), "[Larderでの注文]");
        // Overlapping hits make one marked run.
        assert_eq!(
            marked("new coupon code", "\"new coupon\" \"coupon code\""),
            "[new coupon code]"
        );
        assert_eq!(
            marked("new coupon code", "\"new coupon\" code"),
            "[new coupon] [code]"
        );
    }

    #[test]
    fn grams_cover_every_cjk_pair() {
        assert_eq!(
            grams("送料込みの合計 ok 日"),
            "送料 料込 込み みの の合 合計 日 "
        );
    }
}
