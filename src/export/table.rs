//! The CSV export: `interviews.csv` and `answers.csv` (RFC 4180 through the
//! `csv` crate, UTF-8 with a byte-order mark so spreadsheets read it).
//! Cells are sanitised like every other output, and a cell that a
//! spreadsheet would run as a formula is made text.

use std::io::Write;
use std::path::Path;

use super::Item;
use crate::api::model::StudyDetail;
use crate::output::mode_for;
use crate::present::{TextMode, excerpt_texts};
use crate::text::{clock, sanitize};

pub const INTERVIEW_COLUMNS: [&str; 15] = [
    "id",
    "reference_id",
    "status",
    "quality",
    "language",
    "duration_secs",
    "started_at",
    "completed_at",
    "headline",
    "summary",
    "respondent_email",
    "reviewed",
    "starred",
    "tags",
    "note",
];

pub const ANSWER_COLUMNS: [&str; 8] = [
    "interview_id",
    "reference_id",
    "quality",
    "question_number",
    "question",
    "answer_summary",
    "excerpts",
    "first_excerpt_at",
];

/// A cell as a spreadsheet should see it: sanitised, and prefixed with `'`
/// when it would start a formula (`=`, `+`, `-`, `@`, tab, carriage return).
pub fn spreadsheet_safe(text: &str) -> String {
    let formula = |s: &str| matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    let clean = sanitize(text);
    if formula(text) || formula(&clean) {
        format!("'{clean}")
    } else {
        clean.into_owned()
    }
}

fn opt(v: Option<&str>) -> String {
    v.map(spreadsheet_safe).unwrap_or_default()
}

type Table = csv::Writer<Box<dyn Write>>;

/// Writes `interviews.csv`, `answers.csv`, or both.
pub struct Sink {
    interviews: Option<Table>,
    answers: Option<Table>,
    text: TextMode,
}

fn writer(mut out: Box<dyn Write>, header: &[&str]) -> std::io::Result<Table> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(header)?;
    Ok(w)
}

fn file(path: &Path) -> std::io::Result<Box<dyn Write>> {
    Ok(Box::new(super::files::create(path)?))
}

impl Sink {
    /// A directory with both tables.
    pub fn new(dir: &Path, _study: &StudyDetail, text: TextMode) -> std::io::Result<Sink> {
        Ok(Sink {
            interviews: Some(writer(
                file(&dir.join("interviews.csv"))?,
                &INTERVIEW_COLUMNS,
            )?),
            answers: Some(writer(file(&dir.join("answers.csv"))?, &ANSWER_COLUMNS)?),
            text,
        })
    }

    /// One table into `out` (a file, or standard output).
    pub fn one(which: super::Table, out: Box<dyn Write>, text: TextMode) -> std::io::Result<Sink> {
        let (interviews, answers) = match which {
            super::Table::Interviews => (Some(writer(out, &INTERVIEW_COLUMNS)?), None),
            super::Table::Answers => (None, Some(writer(out, &ANSWER_COLUMNS)?)),
        };
        Ok(Sink {
            interviews,
            answers,
            text,
        })
    }
}

impl super::Sink for Sink {
    fn item(&mut self, item: &Item) -> std::io::Result<()> {
        let d = &item.detail;
        let i = &d.interview;
        let marks = item.marks.clone().unwrap_or_default();
        let tags = marks.tags.join(", ");
        if let Some(interviews) = &mut self.interviews {
            interviews.write_record([
                spreadsheet_safe(&i.id),
                opt(i.reference_id.as_deref()),
                opt(i.status.as_ref().map(|s| s.as_str())),
                opt(i.quality_score.as_ref().map(|q| q.as_str())),
                opt(i.language.as_deref()),
                i.duration_secs.map(|s| s.to_string()).unwrap_or_default(),
                opt(i.started_at.as_deref()),
                opt(i.completed_at.as_deref()),
                opt(i.headline.as_deref()),
                opt(i.summary.as_deref()),
                opt(i.respondent_email.as_deref()),
                marks.reviewed.to_string(),
                marks.starred.to_string(),
                spreadsheet_safe(&tags),
                spreadsheet_safe(&marks.note),
            ])?;
        }
        let Some(answers) = &mut self.answers else {
            return Ok(());
        };
        let mode = mode_for(d, self.text);
        for (n, qa) in d.question_answers.iter().enumerate() {
            let number = qa.number(n);
            let quotes: Vec<&str> = qa
                .answer_excerpt
                .iter()
                .filter_map(|e| e.message.as_deref())
                .collect();
            let excerpts: Vec<String> = quotes
                .iter()
                .map(|q| match excerpt_texts(d, q, mode) {
                    (shown, Some(english)) => format!("{shown}\n↳ {english}"),
                    (shown, None) => shown.to_string(),
                })
                .collect();
            let first_at = quotes
                .first()
                .and_then(|q| d.quoted_message(q))
                .and_then(|k| d.transcript.get(k))
                .and_then(|m| m.time_in_call_secs)
                .map(clock)
                .unwrap_or_default();
            answers.write_record([
                spreadsheet_safe(&i.id),
                opt(i.reference_id.as_deref()),
                opt(i.quality_score.as_ref().map(|q| q.as_str())),
                number.to_string(),
                opt(qa.question_text.as_deref()),
                opt(qa.answer_summary.as_deref()),
                spreadsheet_safe(&excerpts.join("\n")),
                first_at,
            ])?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> std::io::Result<()> {
        for table in [self.interviews, self.answers].into_iter().flatten() {
            table
                .into_inner()
                .map_err(|e| std::io::Error::other(e.to_string()))?
                .flush()?;
        }
        Ok(())
    }
}
