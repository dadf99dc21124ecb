//! `uj answers --question N`: every stored interview's answer to one
//! question, as text, CSV (one row per interview), Markdown or JSON Lines.

use std::io::Write;

use serde::Serialize;

use super::sync::sync_first;
use super::{AnswersFormat, CliError, Global, Opened, emit, json_line, open_store};
use crate::config::Settings;
use crate::export::{escape_markdown, spreadsheet_safe};
use crate::store::{ListQuery, QuestionCount, with_store};
use crate::text::{sanitize, sanitize_line};

#[derive(Serialize)]
struct Row {
    interview_id: String,
    reference_id: Option<String>,
    quality: Option<String>,
    answer_summary: Option<String>,
    excerpts: Vec<String>,
}

/// `uj answers` for the interviews `query` keeps (the list's filters):
/// one question's answers, or without `question` the questions.
pub(super) async fn run(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    query: ListQuery,
    question: Option<usize>,
    format: AnswersFormat,
) -> Result<(), CliError> {
    let study = query.filters.study_id.clone();
    let study = study.as_str();
    let store = open_store(global, settings, opened)?.shared();
    if !sync_first(global, settings, opened, &store, study).await {
        return Err(CliError::Interrupted("interrupted while syncing".into()));
    }
    let Some(question) = question else {
        let listed = query.clone();
        let questions = with_store(&store, move |s| s.questions(&listed)).await?;
        return list_questions(study, &questions, format);
    };
    let index = question - 1;
    let (text, count, rows) = with_store(&store, move |s| {
        let questions = s.questions(&query)?;
        let text = questions.get(index).map(|q| q.text.clone());
        let interviews = s.window(&query, 0, usize::MAX >> 1)?;
        let ids: Vec<String> = interviews.iter().map(|i| i.id.clone()).collect();
        let answers = s.answers_of(&ids, index)?;
        let rows = interviews
            .into_iter()
            .map(|i| {
                let a = answers.get(&i.id).cloned().unwrap_or_default();
                Row {
                    reference_id: i.reference_id,
                    quality: i.quality_score.map(|q| q.as_str().to_string()),
                    answer_summary: a.summary,
                    excerpts: a.excerpts,
                    interview_id: i.id,
                }
            })
            .collect::<Vec<_>>();
        Ok((text, questions.len(), rows))
    })
    .await?;
    let Some(text) = text else {
        return Err(CliError::Usage(match count {
            0 => format!(
                "study {study} has no questions stored: run `uj sync --study {study}` while online"
            ),
            n => format!(
                "study {study} has {}, so there is no question {question}: give --question 1 to {n}, or leave it out to list them",
                crate::text::count(n as u64, "question", "questions")
            ),
        }));
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        AnswersFormat::Json => {
            for r in &rows {
                emit(&mut out, &json_line(r)?)?;
            }
        }
        AnswersFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let mut write = |cells: [String; 6]| {
                w.write_record(cells)
                    .map_err(|e| CliError::Runtime(format!("could not write CSV ({e})")))
            };
            write(
                [
                    "interview_id",
                    "reference_id",
                    "quality",
                    "question",
                    "answer_summary",
                    "excerpts",
                ]
                .map(str::to_string),
            )?;
            for r in &rows {
                write([
                    spreadsheet_safe(&r.interview_id),
                    spreadsheet_safe(r.reference_id.as_deref().unwrap_or("")),
                    spreadsheet_safe(r.quality.as_deref().unwrap_or("")),
                    spreadsheet_safe(&text),
                    spreadsheet_safe(r.answer_summary.as_deref().unwrap_or("")),
                    spreadsheet_safe(&r.excerpts.join("\n")),
                ])?;
            }
            let bytes = w
                .into_inner()
                .map_err(|e| CliError::Runtime(format!("could not write CSV ({e})")))?;
            emit(&mut out, String::from_utf8_lossy(&bytes).trim_end())?;
        }
        AnswersFormat::Markdown => {
            emit(
                &mut out,
                &format!("# {question}. {}\n", escape_markdown(&text)),
            )?;
            for r in &rows {
                let who = r.reference_id.as_deref().unwrap_or(&r.interview_id);
                let summary = r.answer_summary.as_deref().unwrap_or("_No answer._");
                emit(
                    &mut out,
                    &format!(
                        "## {}\n\n{}\n",
                        escape_markdown(who),
                        escape_markdown(summary)
                    ),
                )?;
                for e in &r.excerpts {
                    emit(&mut out, &format!("> {}\n", escape_markdown(e)))?;
                }
            }
        }
        AnswersFormat::Text => {
            emit(&mut out, &format!("{question}. {}", sanitize_line(&text)))?;
            for r in &rows {
                let short: String = r.interview_id.chars().take(8).collect();
                let answer = r
                    .answer_summary
                    .as_deref()
                    .map_or_else(|| "(no answer)".to_string(), |s| sanitize(s).into_owned());
                emit(&mut out, &format!("{}  {answer}", sanitize_line(&short)))?;
            }
        }
    }
    out.flush().ok();
    let answered = rows.iter().filter(|r| r.answer_summary.is_some()).count();
    eprintln!(
        "{answered} of {} answered question {question}",
        crate::text::count(rows.len() as u64, "interview", "interviews")
    );
    Ok(())
}

/// The study's questions, numbered as `--question` takes them, with how
/// many of the interviews kept answered each.
fn list_questions(
    study: &str,
    questions: &[QuestionCount],
    format: AnswersFormat,
) -> Result<(), CliError> {
    #[derive(Serialize)]
    struct Question<'a> {
        number: usize,
        text: &'a str,
        answered: u64,
    }
    if questions.is_empty() {
        return Err(CliError::Runtime(format!(
            "study {study} has no questions stored: run `uj sync --study {study}` while online"
        )));
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if format == AnswersFormat::Csv {
        let mut w = csv::Writer::from_writer(Vec::new());
        let fail = |e: csv::Error| CliError::Runtime(format!("could not write CSV ({e})"));
        w.write_record(["number", "question", "answered"])
            .map_err(fail)?;
        for (n, q) in questions.iter().enumerate() {
            w.write_record([
                (n + 1).to_string(),
                spreadsheet_safe(&q.text),
                q.answered.to_string(),
            ])
            .map_err(fail)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| CliError::Runtime(format!("could not write CSV ({e})")))?;
        emit(&mut out, String::from_utf8_lossy(&bytes).trim_end())?;
    }
    for (n, q) in questions.iter().enumerate() {
        let line = match format {
            AnswersFormat::Csv => continue,
            AnswersFormat::Json => json_line(&Question {
                number: n + 1,
                text: &q.text,
                answered: q.answered,
            })?,
            AnswersFormat::Markdown => format!(
                "{}. {} ({} answered)",
                n + 1,
                escape_markdown(&q.text),
                q.answered
            ),
            AnswersFormat::Text => format!(
                "{:>2}. {}  ({} answered)",
                n + 1,
                sanitize_line(&q.text),
                q.answered
            ),
        };
        emit(&mut out, &line)?;
    }
    out.flush().ok();
    eprintln!(
        "{}: give --question N for every interview's answer to one",
        crate::text::count(questions.len() as u64, "question", "questions")
    );
    Ok(())
}
