//! The full-text index: an FTS5 table derived from the mirrored data (it
//! can be rebuilt from it at any time) and kept current by every sync
//! write. Latin scripts match whole words and word prefixes, without
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

/// Kinds of indexed text, in the order hits are shown.
pub const META: &str = "meta";
pub const MESSAGE: &str = "message";
pub const ENGLISH: &str = "english";
pub const ANSWER: &str = "answer";

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

/// A user's query made safe for FTS5, and the CJK pieces of it (to find
/// the hit in a text for its snippet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtsQuery {
    pub expr: String,
    pub cjk: Vec<String>,
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
fn term_expr(term: &str, phrase: bool, cjk_needles: &mut Vec<String>) -> Option<String> {
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
    let exprs: Vec<String> = terms
        .iter()
        .filter_map(|(t, phrase)| term_expr(t, *phrase, &mut cjk))
        .take(MAX_TERMS)
        .collect();
    (!exprs.is_empty()).then(|| FtsQuery {
        expr: exprs.join(" AND "),
        cjk,
    })
}

/// What one interview's hits look like in a list row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowHits {
    /// Matching texts (messages in either language, answers, the header).
    pub count: usize,
    /// The first matching transcript message, if any.
    pub first_message: Option<usize>,
    /// A line around the first hit.
    pub snippet: String,
}

/// One hit, for `uj search`.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub interview_id: String,
    pub kind: String,
    pub message_index: Option<usize>,
    pub text: String,
    pub snippet: String,
}

const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

/// A line of `text` around its first hit: FTS5 marked the Latin hits;
/// CJK hits are found by their text.
fn snippet(marked: &str, cjk: &[String]) -> String {
    let plain: String = marked
        .chars()
        .filter(|c| *c != MARK_OPEN && *c != MARK_CLOSE)
        .collect();
    let at = marked
        .chars()
        .position(|c| c == MARK_OPEN)
        .or_else(|| {
            cjk.iter()
                .filter_map(|n| plain.find(n.as_str()))
                .min()
                .map(|b| plain[..b].chars().count())
        })
        .unwrap_or(0);
    let chars: Vec<char> = plain.chars().collect();
    let start = at.saturating_sub(24);
    let end = (at + 56).min(chars.len());
    let mut s: String = chars[start..end].iter().collect();
    s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if start > 0 {
        s.insert(0, '…');
    }
    if end < chars.len() {
        s.push('…');
    }
    crate::text::sanitize_line(&s).into_owned()
}

fn insert(
    conn: &Connection,
    interview_id: &str,
    study_id: &str,
    kind: &str,
    index: Option<usize>,
    text: &str,
) -> rusqlite::Result<()> {
    if text.trim().is_empty() {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO search (text, grams, interview_id, study_id, kind, message_index)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        text,
        grams(text),
        interview_id,
        study_id,
        kind,
        index.map(|i| i as i64)
    ])
    .map(|_| ())
}

/// Indexes an interview's list object (headline, summary, reference id,
/// email), replacing what was indexed of it before.
pub(super) fn index_row(conn: &Connection, i: &Interview, study_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM search WHERE interview_id = ?1 AND kind = 'meta'")?
        .execute(params![i.id])?;
    let text = [
        i.headline.as_deref(),
        i.summary.as_deref(),
        i.reference_id.as_deref(),
        i.respondent_email.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n");
    insert(conn, &i.id, study_id, META, None, &text)
}

/// Indexes an interview's messages (original and English) and answer
/// summaries, replacing what was indexed of them before.
pub(super) fn index_detail(
    conn: &Connection,
    d: &InterviewDetail,
    study_id: &str,
) -> rusqlite::Result<()> {
    let id = &d.interview.id;
    conn.prepare_cached("DELETE FROM search WHERE interview_id = ?1 AND kind <> 'meta'")?
        .execute(params![id])?;
    for (k, m) in d.transcript.iter().enumerate() {
        if let Some(t) = m.message.as_deref() {
            insert(conn, id, study_id, MESSAGE, Some(k), t)?;
        }
        if let Some(t) = m.translated.as_deref() {
            insert(conn, id, study_id, ENGLISH, Some(k), t)?;
        }
    }
    for (n, qa) in d.question_answers.iter().enumerate() {
        if let Some(s) = qa.summary() {
            insert(conn, id, study_id, ANSWER, Some(n), s)?;
        }
    }
    Ok(())
}

impl Store {
    /// Builds the index again from the mirrored data (after a migration
    /// that adds it, or to repair it).
    pub fn rebuild_search(&mut self) -> Result<(), StoreError> {
        let err = self.errors();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&err)?;
        tx.execute("DELETE FROM search", []).map_err(&err)?;
        {
            let mut rows = tx
                .prepare("SELECT i.json, i.study_id, d.json FROM interviews i LEFT JOIN details d ON d.interview_id = i.id")
                .map_err(&err)?;
            let mut it = rows.query([]).map_err(&err)?;
            while let Some(r) = it.next().map_err(&err)? {
                let list: String = r.get(0).map_err(&err)?;
                let study: String = r.get(1).map_err(&err)?;
                let detail: Option<String> = r.get(2).map_err(&err)?;
                // A stored object that does not read is left out of the
                // index, not fatal: the next sync stores it again.
                if let Ok(i) = serde_json::from_str::<Interview>(&list) {
                    index_row(&tx, &i, &study).map_err(&err)?;
                }
                if let Some(d) = detail.and_then(|d| serde_json::from_str(&d).ok()) {
                    index_detail(&tx, &d, &study).map_err(&err)?;
                }
            }
        }
        tx.commit().map_err(&err)
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
        let mut out: HashMap<String, RowHits> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT kind, message_index, highlight(search, 0, '{MARK_OPEN}', '{MARK_CLOSE}')
                   FROM search WHERE search MATCH ?1 AND interview_id = ?2
                  ORDER BY CASE kind WHEN 'message' THEN 0 WHEN 'english' THEN 1
                                     WHEN 'answer' THEN 2 ELSE 3 END, message_index"
            ))
            .map_err(|e| self.error(e))?;
        for id in ids {
            let rows = stmt
                .query_map(params![q.expr, id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })
                .map_err(|e| self.error(e))?;
            let mut hits = RowHits::default();
            for row in rows {
                let (kind, index, marked) = row.map_err(|e| self.error(e))?;
                if hits.count == 0 {
                    hits.snippet = snippet(&marked, &q.cjk);
                }
                if hits.first_message.is_none() && (kind == MESSAGE || kind == ENGLISH) {
                    hits.first_message = index.map(|i| i as usize);
                }
                hits.count += 1;
            }
            if hits.count > 0 {
                out.insert(id.clone(), hits);
            }
        }
        Ok(out)
    }

    /// The transcript messages of an interview that match, in order.
    pub fn hit_messages(&self, id: &str, query: &str) -> Result<Vec<usize>, StoreError> {
        let Some(q) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT message_index FROM search
                  WHERE search MATCH ?1 AND interview_id = ?2 AND kind IN ('message', 'english')
                  ORDER BY message_index",
            )
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(params![q.expr, id], |r| r.get::<_, i64>(0))
            .map_err(|e| self.error(e))?;
        rows.map(|r| r.map(|i| i as usize))
            .collect::<Result<_, _>>()
            .map_err(|e| self.error(e))
    }

    /// Every hit in a study, in the list's order, then the transcript's.
    pub fn search_hits(
        &self,
        study_id: &str,
        query: &str,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        let Some(q) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT s.interview_id, s.kind, s.message_index, s.text,
                        highlight(search, 0, '{MARK_OPEN}', '{MARK_CLOSE}')
                   FROM search s JOIN interviews i ON i.id = s.interview_id
                  WHERE search MATCH ?1 AND s.study_id = ?2
                  ORDER BY i.position, i.id, s.message_index IS NOT NULL, s.message_index
                  LIMIT ?3"
            ))
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(params![q.expr, study_id, limit as i64], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(|e| self.error(e))?;
        rows.map(|r| {
            r.map(|(interview_id, kind, index, text, marked)| Hit {
                interview_id,
                kind,
                message_index: index.map(|i| i as usize),
                text,
                snippet: snippet(&marked, &q.cjk),
            })
        })
        .collect::<Result<_, _>>()
        .map_err(|e| self.error(e))
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

    #[test]
    fn grams_cover_every_cjk_pair() {
        assert_eq!(
            grams("送料込みの合計 ok 日"),
            "送料 料込 込み みの の合 合計 日 "
        );
    }
}
