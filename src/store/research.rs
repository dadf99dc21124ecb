//! Counting across a study: one question's answers, and the overview.

use std::collections::BTreeMap;

use rusqlite::params_from_iter;

use super::read::{ListQuery, filtered};
use super::{Store, StoreError};

/// One question of a study with how many interviews answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionCount {
    /// 0-based, as `question_index`.
    pub index: usize,
    pub text: String,
    pub answered: u64,
}

/// One interview's answer to a question.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnswerRow {
    pub summary: Option<String>,
    pub excerpts: Vec<String>,
}

/// Counts over every stored interview a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Overview {
    pub total: u64,
    pub quality: Vec<(String, u64)>,
    pub status: Vec<(String, u64)>,
    pub language: Vec<(String, u64)>,
    /// Interviews started per day (`YYYY-MM-DD`), oldest first.
    pub per_day: Vec<(String, u64)>,
    /// Per question (in order): its text and how many answered.
    pub answered: Vec<(String, u64)>,
    pub reviewed: u64,
    pub starred: u64,
}

/// A subquery condition: the interview answered question `?` (an answer
/// with a summary that is not blank, as `answered` records it).
const ANSWERED: &str = "id IN (SELECT interview_id FROM answered WHERE question_index = ?)";

impl Store {
    fn count_where(
        &self,
        query: &ListQuery,
        extra: &str,
        extra_values: &[rusqlite::types::Value],
    ) -> Result<u64, StoreError> {
        let (clause, mut values) = filtered(query);
        values.extend(extra_values.iter().cloned());
        let sql = format!("SELECT COUNT(*) FROM interviews WHERE {clause} AND {extra}");
        self.conn
            .query_row(&sql, params_from_iter(values.iter()), |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(|e| self.error(e))
    }

    /// The texts of a study's questions, in order (none until its detail
    /// is stored).
    fn question_texts(&self, study_id: &str) -> Result<Vec<String>, StoreError> {
        Ok(self
            .study_detail(study_id)?
            .map(|d| {
                d.questions
                    .into_iter()
                    .map(|q| q.text.unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The study's questions, each with how many of the listed interviews
    /// answered it.
    pub fn questions(&self, query: &ListQuery) -> Result<Vec<QuestionCount>, StoreError> {
        self.question_texts(&query.filters.study_id)?
            .into_iter()
            .enumerate()
            .map(|(index, text)| {
                Ok(QuestionCount {
                    index,
                    answered: self.count_where(query, ANSWERED, &[(index as i64).into()])?,
                    text,
                })
            })
            .collect()
    }

    /// How many listed interviews answered question `index`.
    pub fn answered(&self, query: &ListQuery, index: usize) -> Result<u64, StoreError> {
        self.count_where(query, ANSWERED, &[(index as i64).into()])
    }

    /// The answers of the given interviews to question `index`.
    pub fn answers_of(
        &self,
        ids: &[String],
        index: usize,
    ) -> Result<BTreeMap<String, AnswerRow>, StoreError> {
        let mut out = BTreeMap::new();
        for id in ids {
            let Some(d) = self.detail(id)? else { continue };
            let d = d.detail;
            let found = d
                .question_answers
                .iter()
                .enumerate()
                .find(|(n, qa)| qa.question_index.map_or(*n, |q| q as usize) == index);
            if let Some((_, qa)) = found {
                out.insert(
                    id.clone(),
                    AnswerRow {
                        summary: qa.summary().map(str::to_string),
                        excerpts: qa
                            .answer_excerpt
                            .iter()
                            .filter_map(|e| e.message.clone())
                            .collect(),
                    },
                );
            }
        }
        Ok(out)
    }

    /// The counts of the overview (`o`), over every stored interview the
    /// list's filters keep: one pass over the rows, one over the answers.
    pub fn overview(&self, query: &ListQuery) -> Result<Overview, StoreError> {
        let (clause, values) = filtered(query);
        let sql = format!(
            "SELECT quality, status, language, substr(started_at, 1, 10)
               FROM interviews WHERE {clause}"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.error(e))?;
        let mut rows = stmt
            .query(params_from_iter(values.iter()))
            .map_err(|e| self.error(e))?;
        let mut o = Overview::default();
        let mut quality: BTreeMap<String, u64> = BTreeMap::new();
        let mut status: BTreeMap<String, u64> = BTreeMap::new();
        let mut language: BTreeMap<String, u64> = BTreeMap::new();
        let mut per_day: BTreeMap<String, u64> = BTreeMap::new();
        let none = || "(none)".to_string();
        while let Some(r) = rows.next().map_err(|e| self.error(e))? {
            let text = |n| r.get::<_, Option<String>>(n).map_err(|e| self.error(e));
            o.total += 1;
            *quality.entry(text(0)?.unwrap_or_else(none)).or_default() += 1;
            *status.entry(text(1)?.unwrap_or_else(none)).or_default() += 1;
            *language.entry(text(2)?.unwrap_or_else(none)).or_default() += 1;
            if let Some(day) = text(3)? {
                *per_day.entry(day).or_default() += 1;
            }
        }
        // Marks are few: count them from their side.
        let sql = format!(
            "SELECT COALESCE(SUM(reviewed), 0), COALESCE(SUM(starred), 0) FROM marks
              WHERE EXISTS (SELECT 1 FROM interviews
                             WHERE interviews.id = marks.interview_id AND {clause})"
        );
        (o.reviewed, o.starred) = self
            .conn
            .query_row(&sql, params_from_iter(values.iter()), |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64))
            })
            .map_err(|e| self.error(e))?;
        let by_count = |m: BTreeMap<String, u64>| {
            let mut v: Vec<(String, u64)> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v
        };
        o.quality = by_count(quality);
        o.status = by_count(status);
        o.language = by_count(language);
        o.per_day = per_day.into_iter().collect();
        // Answers per question in one grouped pass.
        let sql = format!(
            "SELECT a.question_index, COUNT(*) FROM answered a
               JOIN interviews ON interviews.id = a.interview_id
              WHERE {clause} GROUP BY a.question_index"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.error(e))?;
        let counts: BTreeMap<i64, u64> = stmt
            .query_map(params_from_iter(values.iter()), |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as u64))
            })
            .map_err(|e| self.error(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.error(e))?;
        o.answered = self
            .question_texts(&query.filters.study_id)?
            .into_iter()
            .enumerate()
            .map(|(n, t)| (t, counts.get(&(n as i64)).copied().unwrap_or(0)))
            .collect();
        Ok(o)
    }
}
