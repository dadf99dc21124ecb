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

/// A JSON path condition: the detail answered question `?` (an answer
/// with a summary that is not blank).
const ANSWERED: &str =
    "id IN (SELECT interview_id FROM answered WHERE question_index = CAST(? AS INTEGER))";

impl Store {
    fn count_where(
        &self,
        query: &ListQuery,
        extra: &str,
        extra_values: &[String],
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

    /// The study's questions, each with how many of the listed interviews
    /// answered it.
    pub fn questions(&self, query: &ListQuery) -> Result<Vec<QuestionCount>, StoreError> {
        let detail = self.study_detail(&query.filters.study_id)?;
        let texts: Vec<String> = detail
            .map(|d| {
                d.questions
                    .into_iter()
                    .map(|q| q.text.unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default();
        texts
            .into_iter()
            .enumerate()
            .map(|(index, text)| {
                Ok(QuestionCount {
                    index,
                    answered: self.count_where(query, ANSWERED, &[index.to_string()])?,
                    text,
                })
            })
            .collect()
    }

    /// How many listed interviews answered question `index`.
    pub fn answered(&self, query: &ListQuery, index: usize) -> Result<u64, StoreError> {
        self.count_where(query, ANSWERED, &[index.to_string()])
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

    fn grouped(&self, query: &ListQuery, expr: &str) -> Result<Vec<(String, u64)>, StoreError> {
        let (clause, values) = filtered(query);
        let sql = format!(
            "SELECT COALESCE({expr}, '(none)') AS k, COUNT(*) FROM interviews WHERE {clause}
              GROUP BY k ORDER BY COUNT(*) DESC, k"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(params_from_iter(values.iter()), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })
            .map_err(|e| self.error(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.error(e))
    }

    /// The counts of the overview (`o`), over every stored interview the
    /// list's filters keep.
    pub fn overview(&self, query: &ListQuery) -> Result<Overview, StoreError> {
        let total = self.count_of(query)?;
        let mut per_day =
            self.grouped(query, "substr(json_extract(json, '$.started_at'), 1, 10)")?;
        per_day.retain(|(d, _)| d != "(none)");
        per_day.sort();
        let answered = self
            .questions(query)?
            .into_iter()
            .map(|q| (q.text, q.answered))
            .collect();
        let reviewed = self.count_where(
            query,
            "id IN (SELECT interview_id FROM marks WHERE reviewed = 1)",
            &[],
        )?;
        let starred = self.count_where(
            query,
            "id IN (SELECT interview_id FROM marks WHERE starred = 1)",
            &[],
        )?;
        Ok(Overview {
            total,
            quality: self.grouped(query, "quality")?,
            status: self.grouped(query, "status")?,
            language: self.grouped(query, "language")?,
            per_day,
            answered,
            reviewed,
            starred,
        })
    }
}
