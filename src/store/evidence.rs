//! Reading coded work back: the evidence of a code (every highlight with
//! the interview it came from) and the matrix of codes against a
//! segmentation of the interviews.

use std::collections::{BTreeMap, HashMap};

use rusqlite::params_from_iter;

use super::coding::{CodeTree, Highlight};
use super::read::filtered;
use super::{ListQuery, Store, StoreError};

/// A highlight with what the board and the report say about its
/// interview. The interview's fields are `None` once it left the API.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub highlight: Highlight,
    /// The interview is still stored (it has not left the API).
    pub in_api: bool,
    pub reference_id: Option<String>,
    pub quality: Option<String>,
    pub language: Option<String>,
    pub status: Option<String>,
    pub started_at: Option<String>,
    /// The English of the message, where it has one that differs from
    /// the quote.
    pub english: Option<String>,
    /// Whether the interview is marked reviewed.
    pub reviewed: bool,
    /// The interview's tags.
    pub tags: Vec<String>,
}

/// How the matrix's columns divide the interviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Segment {
    Quality,
    Language,
    Status,
    Tag,
    Reviewed,
    Question,
    /// One column per interview (the 0/1 table statistics tools read).
    Interview,
}

impl Segment {
    /// The browser's cycle (`interview` is for files only: too wide).
    pub const CYCLE: [Segment; 6] = [
        Segment::Quality,
        Segment::Language,
        Segment::Status,
        Segment::Tag,
        Segment::Reviewed,
        Segment::Question,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Segment::Quality => "quality",
            Segment::Language => "language",
            Segment::Status => "status",
            Segment::Tag => "tag",
            Segment::Reviewed => "reviewed",
            Segment::Question => "question",
            Segment::Interview => "interview",
        }
    }

    pub fn next(self) -> Segment {
        let at = Segment::CYCLE.iter().position(|s| *s == self).unwrap_or(0);
        Segment::CYCLE[(at + 1) % Segment::CYCLE.len()]
    }
}

/// Which column an interview (or one of its highlights) falls in.
fn columns_of(segment: Segment, e: &Evidence) -> Vec<String> {
    let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
    match segment {
        Segment::Quality => vec![or_none(&e.quality)],
        Segment::Language => vec![or_none(&e.language)],
        Segment::Status => vec![or_none(&e.status)],
        Segment::Tag => e.tags.clone(),
        Segment::Reviewed => vec![reviewed_label(e.reviewed).into()],
        Segment::Question => e
            .highlight
            .question
            .map(|q| vec![format!("Q{}", q + 1)])
            .unwrap_or_default(),
        Segment::Interview => vec![e.highlight.interview_id.clone()],
    }
}

fn reviewed_label(reviewed: bool) -> &'static str {
    if reviewed { "reviewed" } else { "unreviewed" }
}

/// Codes against a segmentation: each cell counts the interviews with at
/// least one highlight of the row's code (or a code beneath it).
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub segment: Segment,
    /// Each column's name and how many interviews it holds.
    pub columns: Vec<(String, u64)>,
    pub rows: Vec<MatrixRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRow {
    pub code_id: i64,
    pub name: String,
    pub depth: usize,
    pub cells: Vec<u64>,
}

fn quality_rank(q: Option<&str>) -> u8 {
    match q {
        Some("insightful") => 0,
        Some("successful") => 1,
        Some("unsuccessful") => 2,
        _ => 3,
    }
}

impl Store {
    /// [`Store::evidence_bare`] with the English of every quote read too.
    pub fn evidence(
        &self,
        query: &ListQuery,
        codes: Option<&[i64]>,
    ) -> Result<Vec<Evidence>, StoreError> {
        let mut all = self.evidence_bare(query, codes)?;
        self.fill_english(&mut all)?;
        Ok(all)
    }

    /// Reads the English of each quote (of an original text whose message
    /// has a translation that differs): the costly part of the evidence,
    /// a transcript read per quote, so the board asks it for what it shows.
    pub fn fill_english(&self, items: &mut [Evidence]) -> Result<(), StoreError> {
        let read = |e: &Evidence| -> rusqlite::Result<Option<String>> {
            let h = &e.highlight;
            let Some(m) = h.message else { return Ok(None) };
            let english_already = e
                .language
                .as_deref()
                .is_none_or(|l| l.to_ascii_lowercase().starts_with("en"));
            if h.quoted != super::Quoted::Original || english_already || !e.in_api {
                return Ok(None);
            }
            use rusqlite::OptionalExtension;
            self.conn
                .prepare_cached(
                    "SELECT json_extract(json, '$.transcript[' || ?2 || '].translated')
                       FROM details WHERE interview_id = ?1",
                )?
                .query_row(rusqlite::params![h.interview_id, m as i64], |r| {
                    r.get::<_, Option<String>>(0)
                })
                .optional()
                .map(Option::flatten)
        };
        for e in items.iter_mut() {
            let english = read(e).map_err(|err| self.error(err))?;
            e.english = english.filter(|t| !t.is_empty() && t.trim() != e.highlight.quote.trim());
        }
        Ok(())
    }

    /// Every highlight of a study (of `codes` only, when given) that passes
    /// the list's filters, best first: insightful interviews before
    /// successful, then the latest, then transcript order. Without the
    /// English of the quotes (see [`Store::fill_english`]).
    pub fn evidence_bare(
        &self,
        query: &ListQuery,
        codes: Option<&[i64]>,
    ) -> Result<Vec<Evidence>, StoreError> {
        let study = &query.filters.study_id;
        let mut sql = String::from(
            "SELECT h.id, h.uid, h.study_id, h.interview_id, h.message, h.question, h.text_kind,
                    h.start_char, h.end_char, h.quote, h.speaker, h.at_secs, h.comment,
                    h.created_at, h.updated_at,
                    i.id IS NOT NULL, i.reference_id, i.quality, i.language, i.status, i.started_at,
                    NULL,
                    COALESCE(m.reviewed, 0), COALESCE(m.tags, '[]'),
                    (SELECT group_concat(code_id) FROM highlight_codes WHERE highlight_id = h.id)
               FROM highlights h
               LEFT JOIN interviews i ON i.id = h.interview_id
               LEFT JOIN marks m ON m.interview_id = h.interview_id
              WHERE h.study_id = ?",
        );
        let mut values: Vec<rusqlite::types::Value> = vec![study.clone().into()];
        if query.narrows() {
            let (cond, vals) = filtered(query);
            sql.push_str(&format!(
                " AND h.interview_id IN (SELECT id FROM interviews WHERE {cond})"
            ));
            values.extend(vals);
        }
        if let Some(codes) = codes {
            let ids: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
            // Ids are integers we made: safe to write into the statement.
            sql.push_str(&format!(
                " AND h.id IN (SELECT highlight_id FROM highlight_codes WHERE code_id IN ({}))",
                ids.join(",")
            ));
        }
        let read = || -> rusqlite::Result<Vec<Evidence>> {
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(values.iter()), |r| {
                let mut h = super::coding::highlight_of(r)?;
                let english: Option<String> = r.get(21)?;
                let tags: String = r.get(23)?;
                let codes: Option<String> = r.get(24)?;
                let mut codes: Vec<i64> = codes
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|c| c.parse().ok())
                    .collect();
                codes.sort_unstable();
                h.codes = codes;
                Ok(Evidence {
                    english: english.filter(|e| !e.is_empty() && e.trim() != h.quote.trim()),
                    in_api: r.get(15)?,
                    reference_id: r.get(16)?,
                    quality: r.get(17)?,
                    language: r.get(18)?,
                    status: r.get(19)?,
                    started_at: r.get(20)?,
                    reviewed: r.get(22)?,
                    tags: serde_json::from_str(&tags).unwrap_or_default(),
                    highlight: h,
                })
            })?;
            rows.collect()
        };
        let mut out = read().map_err(|e| self.error(e))?;
        out.sort_by(|a, b| {
            quality_rank(a.quality.as_deref())
                .cmp(&quality_rank(b.quality.as_deref()))
                .then_with(|| b.started_at.cmp(&a.started_at))
                .then_with(|| a.highlight.interview_id.cmp(&b.highlight.interview_id))
                .then_with(|| a.highlight.message.cmp(&b.highlight.message))
                .then_with(|| a.highlight.start.cmp(&b.highlight.start))
        });
        Ok(out)
    }

    /// How many interviews each column holds (of those the list keeps).
    fn column_totals(
        &self,
        query: &ListQuery,
        segment: Segment,
    ) -> Result<BTreeMap<String, u64>, StoreError> {
        let (cond, values) = filtered(query);
        let sql = match segment {
            Segment::Quality => format!(
                "SELECT COALESCE(quality, 'none'), COUNT(*) FROM interviews WHERE {cond} GROUP BY 1"
            ),
            Segment::Language => format!(
                "SELECT COALESCE(language, 'none'), COUNT(*) FROM interviews WHERE {cond} GROUP BY 1"
            ),
            Segment::Status => format!(
                "SELECT COALESCE(status, 'none'), COUNT(*) FROM interviews WHERE {cond} GROUP BY 1"
            ),
            Segment::Tag => format!(
                "SELECT t.value, COUNT(DISTINCT m.interview_id) FROM marks m, json_each(m.tags) t
                  WHERE m.interview_id IN (SELECT id FROM interviews WHERE {cond}) GROUP BY 1"
            ),
            Segment::Reviewed => format!(
                "SELECT CASE WHEN id IN (SELECT interview_id FROM marks WHERE reviewed = 1)
                        THEN 'reviewed' ELSE 'unreviewed' END, COUNT(*)
                   FROM interviews WHERE {cond} GROUP BY 1"
            ),
            Segment::Question => format!(
                "SELECT 'Q' || (question_index + 1), COUNT(*) FROM answered
                  WHERE interview_id IN (SELECT id FROM interviews WHERE {cond})
                  GROUP BY question_index"
            ),
            Segment::Interview => {
                format!("SELECT id, 1 FROM interviews WHERE {cond}")
            }
        };
        let read = || -> rusqlite::Result<BTreeMap<String, u64>> {
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(values.iter()), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })?;
            rows.collect()
        };
        read().map_err(|e| self.error(e))
    }

    /// Each (code, interview, column) of the study's highlights, in one
    /// pass: no JSON read, no row per highlight fetched apart.
    fn coded_cells(
        &self,
        query: &ListQuery,
        segment: Segment,
        each: &mut dyn FnMut(i64, &str, &str),
    ) -> Result<(), StoreError> {
        let (column, join, only) = match segment {
            Segment::Quality => ("COALESCE(i.quality, 'none')", "", ""),
            Segment::Language => ("COALESCE(i.language, 'none')", "", ""),
            Segment::Status => ("COALESCE(i.status, 'none')", "", ""),
            Segment::Reviewed => (
                "CASE WHEN m.reviewed = 1 THEN 'reviewed' ELSE 'unreviewed' END",
                "",
                "",
            ),
            Segment::Question => ("'Q' || (h.question + 1)", "", " AND h.question IS NOT NULL"),
            Segment::Tag => ("t.value", " JOIN json_each(m.tags) t", ""),
            Segment::Interview => ("h.interview_id", "", ""),
        };
        // Only what the column needs is joined.
        let interviews = match segment {
            // The planner would take the id's own index and read each
            // interview's row; this one holds the segments.
            Segment::Quality | Segment::Language | Segment::Status => {
                " LEFT JOIN interviews i INDEXED BY interviews_segments ON i.id = h.interview_id"
            }
            _ => "",
        };
        let marks = match segment {
            Segment::Reviewed | Segment::Tag => {
                " LEFT JOIN marks m ON m.interview_id = h.interview_id"
            }
            _ => "",
        };
        let mut sql = format!(
            "SELECT hc.code_id, h.interview_id, {column}
               FROM highlights h
               JOIN highlight_codes hc ON hc.highlight_id = h.id{interviews}{marks}{join}
              WHERE h.study_id = ?{only}"
        );
        let mut values: Vec<rusqlite::types::Value> = vec![query.filters.study_id.clone().into()];
        if query.narrows() {
            let (cond, vals) = filtered(query);
            sql.push_str(&format!(
                " AND h.interview_id IN (SELECT id FROM interviews WHERE {cond})"
            ));
            values.extend(vals);
        }
        let mut read = || -> rusqlite::Result<()> {
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query(params_from_iter(values.iter()))?;
            // Borrowed, not copied: a study can have 100,000 of them.
            while let Some(r) = rows.next()? {
                let code: i64 = r.get(0)?;
                let interview = r.get_ref(1)?.as_str().unwrap_or("");
                let column = r.get_ref(2)?.as_str().unwrap_or("none");
                each(code, interview, column);
            }
            Ok(())
        };
        read().map_err(|e| self.error(e))
    }

    /// The matrix of the study's codes (every code, in codebook order, its
    /// cells taking in the codes beneath it) against `segment`.
    pub fn matrix(&self, query: &ListQuery, segment: Segment) -> Result<Matrix, StoreError> {
        let tree = CodeTree::new(self.codes(&query.filters.study_id)?);
        let mut columns: Vec<(String, u64)> =
            self.column_totals(query, segment)?.into_iter().collect();
        // Each code's ancestors (itself included), so a highlight counts
        // for its theme too.
        let lineage: HashMap<i64, Vec<i64>> = tree
            .codes
            .keys()
            .map(|id| (*id, tree.lineage(*id)))
            .collect();
        let mut column_at: HashMap<String, usize> = columns
            .iter()
            .enumerate()
            .map(|(n, (c, _))| (c.clone(), n))
            .collect();
        let base = columns.len();
        // (code, column, interview) once per highlight and ancestor, then
        // sorted: a cell is the count of its distinct interviews. An
        // interview is a small number (its id copied once, not per row).
        let mut seen: Vec<(i64, usize, u32)> = Vec::new();
        let mut interviews: HashMap<String, u32> = HashMap::new();
        self.coded_cells(query, segment, &mut |code, interview, column| {
            let who = match interviews.get(interview) {
                Some(n) => *n,
                None => {
                    let n = interviews.len() as u32;
                    interviews.insert(interview.to_string(), n);
                    n
                }
            };
            let at = match column_at.get(column) {
                Some(at) => *at,
                None => {
                    // An interview no longer in the API still counts, in
                    // a column of its own value.
                    let at = columns.len();
                    columns.push((column.to_string(), 0));
                    column_at.insert(column.to_string(), at);
                    at
                }
            };
            if at >= base {
                seen.push((-1, at, who));
            }
            for id in lineage.get(&code).into_iter().flatten() {
                seen.push((*id, at, who));
            }
        })?;
        seen.sort_unstable();
        seen.dedup();
        let mut cells: HashMap<(i64, usize), u64> = HashMap::new();
        for (code, at, _) in &seen {
            *cells.entry((*code, *at)).or_default() += 1;
        }
        for (at, column) in columns.iter_mut().enumerate().skip(base) {
            column.1 = cells.get(&(-1, at)).copied().unwrap_or(0);
        }
        // Quality reads best first; the cells follow their columns.
        let mut order: Vec<usize> = (0..columns.len()).collect();
        if segment == Segment::Quality {
            order.sort_by_key(|n| quality_rank(Some(&columns[*n].0)));
        }
        let rows = tree
            .ordered()
            .into_iter()
            .map(|(code, depth)| MatrixRow {
                code_id: code.id,
                name: code.name.clone(),
                depth,
                cells: order
                    .iter()
                    .map(|at| cells.get(&(code.id, *at)).copied().unwrap_or(0))
                    .collect(),
            })
            .collect();
        Ok(Matrix {
            segment,
            columns: order.iter().map(|n| columns[*n].clone()).collect(),
            rows,
        })
    }
}

/// Whether a highlight's interview falls in a matrix column (the board
/// narrowed to a cell).
pub fn in_column(segment: Segment, e: &Evidence, column: &str) -> bool {
    columns_of(segment, e).iter().any(|c| c == column)
}
