//! `uj codes`, `uj highlights` and `uj matrix`: the coded work of a study,
//! read and changed from scripts. They read the store; `highlights add`
//! and `matrix` sync a study first as `uj answers` does.

use std::io::{IsTerminal, Write};

use serde::Serialize;

use super::sync::sync_first;
use super::{
    CliError, CodesAction, Global, HighlightAddArgs, HighlightsFormat, MatrixFormat, Opened,
    ReportArgs, emit, json_line, open_store,
};
use crate::config::Settings;
use crate::export::{escape_markdown, spreadsheet_safe};
use crate::present::{TextMode, message_texts, role_label};
use crate::store::{
    CodeTree, Evidence, ListQuery, Matrix, NewHighlight, Quoted, Segment, Store, with_store,
};
use crate::text::{clock, sanitize_line};

/// A highlight as scripts read it (`--format json`, one per line).
#[derive(Debug, Serialize)]
pub struct HighlightOut {
    pub id: String,
    pub study_id: String,
    pub interview_id: String,
    pub reference_id: Option<String>,
    /// The transcript message, counted from 1.
    pub message: Option<usize>,
    /// The question whose answer excerpt it came from, counted from 1.
    pub question: Option<usize>,
    pub text: &'static str,
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub english: Option<String>,
    pub speaker: Option<String>,
    pub at: Option<String>,
    pub codes: Vec<String>,
    pub comment: String,
    pub quality: Option<String>,
    pub language: Option<String>,
    pub in_api: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl HighlightOut {
    pub fn new(e: &Evidence, tree: &CodeTree) -> HighlightOut {
        let h = &e.highlight;
        HighlightOut {
            id: h.uid.clone(),
            study_id: h.study_id.clone(),
            interview_id: h.interview_id.clone(),
            reference_id: e.reference_id.clone(),
            message: h.message.map(|m| m + 1),
            question: h.question.map(|q| q + 1),
            text: h.quoted.as_str(),
            start: h.start,
            end: h.end,
            quote: h.quote.clone(),
            english: e.english.clone(),
            speaker: h.speaker.clone(),
            at: h.at_secs.map(clock),
            codes: h.codes.iter().map(|c| tree.name(*c).to_string()).collect(),
            comment: h.comment.clone(),
            quality: e.quality.clone(),
            language: e.language.clone(),
            in_api: e.in_api,
            created_at: h.created_at.clone(),
            updated_at: h.updated_at.clone(),
        }
    }
}

pub use crate::present::evidence_citation as citation;

const CSV_COLUMNS: [&str; 16] = [
    "highlight_id",
    "interview_id",
    "reference_id",
    "message",
    "question",
    "text",
    "start",
    "end",
    "quote",
    "english",
    "speaker",
    "at",
    "codes",
    "comment",
    "quality",
    "in_api",
];

fn csv_error(e: impl std::fmt::Display) -> CliError {
    CliError::Runtime(format!("could not write the CSV ({e})"))
}

/// The highlights of a study (of one code and the codes beneath it).
pub(super) fn list(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    query: &ListQuery,
    code: Option<&str>,
    format: HighlightsFormat,
) -> Result<(), CliError> {
    let store = open_store(global, settings, opened)?;
    let study = query.filters.study_id.as_str();
    let tree = CodeTree::new(store.codes(study)?);
    let codes = match code {
        Some(name) => {
            let c = store
                .code_named(study, name)?
                .ok_or_else(|| no_code(name))?;
            Some(store.code_subtree(c.id)?)
        }
        None => None,
    };
    let evidence = store.evidence(query, codes.as_deref())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        HighlightsFormat::Json => {
            for e in &evidence {
                emit(&mut out, &json_line(&HighlightOut::new(e, &tree))?)?;
            }
        }
        HighlightsFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(CSV_COLUMNS).map_err(csv_error)?;
            for e in &evidence {
                let o = HighlightOut::new(e, &tree);
                let num = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
                let opt =
                    |s: &Option<String>| s.as_deref().map(spreadsheet_safe).unwrap_or_default();
                w.write_record([
                    o.id.clone(),
                    spreadsheet_safe(&o.interview_id),
                    opt(&o.reference_id),
                    num(o.message),
                    num(o.question),
                    o.text.to_string(),
                    o.start.to_string(),
                    o.end.to_string(),
                    spreadsheet_safe(&o.quote),
                    opt(&o.english),
                    opt(&o.speaker),
                    o.at.clone().unwrap_or_default(),
                    spreadsheet_safe(&o.codes.join("; ")),
                    spreadsheet_safe(&o.comment),
                    opt(&o.quality),
                    o.in_api.to_string(),
                ])
                .map_err(csv_error)?;
            }
            w.flush().map_err(|e| match e.kind() {
                std::io::ErrorKind::BrokenPipe => CliError::ClosedPipe,
                _ => csv_error(e),
            })?;
        }
        HighlightsFormat::Markdown => {
            for e in &evidence {
                emit(&mut out, &markdown_quote(e, &tree))?;
            }
        }
        HighlightsFormat::Text => {
            for e in &evidence {
                let h = &e.highlight;
                let codes: Vec<&str> = h.codes.iter().map(|c| tree.name(*c)).collect();
                emit(
                    &mut out,
                    &format!(
                        "“{}” — {}{}",
                        sanitize_line(h.quote.trim()),
                        sanitize_line(&citation(e)),
                        if e.in_api {
                            String::new()
                        } else {
                            " (no longer in the API)".into()
                        }
                    ),
                )?;
                if let Some(en) = &e.english {
                    emit(
                        &mut out,
                        &format!("  English: {}", sanitize_line(en.trim())),
                    )?;
                }
                emit(
                    &mut out,
                    &format!(
                        "  codes: {} · quality: {}",
                        sanitize_line(&codes.join(", ")),
                        e.quality.as_deref().unwrap_or("none")
                    ),
                )?;
                if !h.comment.is_empty() {
                    emit(
                        &mut out,
                        &format!("  comment: {}", sanitize_line(&h.comment)),
                    )?;
                }
            }
        }
    }
    out.flush().ok();
    eprintln!(
        "{}",
        crate::text::count(evidence.len() as u64, "highlight", "highlights")
    );
    Ok(())
}

/// One highlight as a Markdown quote with its citation, codes and comment.
pub fn markdown_quote(e: &Evidence, tree: &CodeTree) -> String {
    let h = &e.highlight;
    let mut s = format!(
        "> “{}” — {}",
        escape_markdown(h.quote.trim()),
        escape_markdown(&citation(e))
    );
    if let Some(en) = &e.english {
        s.push_str(&format!("\\\n> English: “{}”", escape_markdown(en.trim())));
    }
    s.push('\n');
    let codes: Vec<String> = h
        .codes
        .iter()
        .map(|c| escape_markdown(tree.name(*c)))
        .collect();
    s.push_str(&format!("\nCodes: {}", codes.join(", ")));
    if !h.comment.is_empty() {
        s.push_str(&format!(" · Comment: {}", escape_markdown(&h.comment)));
    }
    if !e.in_api {
        s.push_str(" · (no longer in the API)");
    }
    s.push('\n');
    s
}

fn no_code(name: &str) -> CliError {
    CliError::Usage(format!(
        "no code is named “{}” in this study: `uj codes list` shows them",
        sanitize_line(name)
    ))
}

/// `uj highlights add`: codes one message (or a part of it) from a script.
pub(super) async fn add(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    study: &str,
    args: &HighlightAddArgs,
    text: TextMode,
) -> Result<(), CliError> {
    let store = open_store(global, settings, opened)?.shared();
    if !sync_first(global, settings, opened, &store, study).await {
        return Err(CliError::Interrupted("interrupted while syncing".into()));
    }
    let id = args.interview.clone();
    let stored = with_store(&store, move |s| s.detail(&id)).await?;
    let Some(stored) = stored else {
        return Err(CliError::Usage(format!(
            "interview {} is not stored: run `uj sync --study {}` while online, or check the id with `uj interviews`",
            sanitize_line(&args.interview),
            sanitize_line(study)
        )));
    };
    let d = stored.detail;
    if d.interview.study_id.as_deref().is_some_and(|s| s != study) {
        return Err(CliError::Usage(format!(
            "interview {} belongs to study {}, not {}: give that --study",
            sanitize_line(&args.interview),
            sanitize_line(d.interview.study_id.as_deref().unwrap_or("")),
            sanitize_line(study)
        )));
    }
    let n = args.message as usize;
    let Some(m) = d.transcript.get(n - 1) else {
        return Err(CliError::Usage(format!(
            "interview {} has {}, so there is no message {n}: give --message 1 to {}",
            sanitize_line(&args.interview),
            crate::text::count(d.transcript.len() as u64, "message", "messages"),
            d.transcript.len()
        )));
    };
    let english =
        text == TextMode::English && m.translated.as_deref().is_some_and(|t| !t.is_empty());
    let (whole, _) = message_texts(
        m,
        if english {
            TextMode::English
        } else {
            TextMode::Original
        },
    );
    let chars = whole.chars().count();
    let start = args.start.unwrap_or(0);
    let end = args.end.unwrap_or(chars);
    if start >= end || end > chars {
        return Err(CliError::Usage(format!(
            "--start {start} --end {end} is not a part of message {n}, which has {chars} characters: give 0 ≤ start < end ≤ {chars}"
        )));
    }
    let quote: String = whole.chars().skip(start).take(end - start).collect();
    let new = NewHighlight {
        study_id: study.to_string(),
        interview_id: d.interview.id.clone(),
        message: Some(n - 1),
        question: None,
        quoted: if english {
            Quoted::English
        } else {
            Quoted::Original
        },
        start,
        end,
        quote,
        speaker: Some(role_label(m.role.as_ref()).into_owned()),
        at_secs: m.time_in_call_secs,
        comment: args.comment.clone().unwrap_or_default(),
    };
    let codes = args.code.clone();
    let step = with_store(&store, move |s| s.code_passage(&new, &codes)).await?;
    eprintln!("{}", sanitize_line(&step.what));
    Ok(())
}

/// `uj codes …`.
pub(super) fn codes(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    study: &str,
    action: &CodesAction,
    json: bool,
) -> Result<(), CliError> {
    let mut store = open_store(global, settings, opened)?;
    let step = match action {
        CodesAction::List => return list_codes(&store, study, json),
        CodesAction::Rename { old, new } => store.rename_code(study, old, new)?,
        CodesAction::Merge { from, into } => store.merge_codes(study, from, into)?,
        CodesAction::Move { code, parent, top } => {
            if parent.is_none() && !top {
                return Err(CliError::Usage(
                    "say where: --parent THEME, or --top to make it a theme of its own".into(),
                ));
            }
            store.move_code(study, code, parent.as_deref())?
        }
        CodesAction::Describe { code, text } => store.describe_code(study, code, text)?,
        CodesAction::Delete { code, yes } => {
            let c = store
                .code_named(study, code)?
                .ok_or_else(|| no_code(code))?;
            let losing = store
                .evidence(
                    &ListQuery::from(crate::api::InterviewFilters::for_study(study)),
                    Some(&[c.id]),
                )?
                .len();
            if !yes && !confirm(&c.name, losing)? {
                return Err(CliError::Usage("nothing was deleted".into()));
            }
            store.delete_code(study, code)?
        }
    };
    if json {
        let stdout = std::io::stdout();
        emit(
            &mut stdout.lock(),
            &json_line(&serde_json::json!({ "done": step.what }))?,
        )?;
    } else {
        eprintln!("{}", sanitize_line(&step.what));
    }
    Ok(())
}

/// Asks on a terminal; elsewhere says to pass `--yes`.
fn confirm(name: &str, losing: usize) -> Result<bool, CliError> {
    let what = format!(
        "delete the code “{}”? {} lose it",
        sanitize_line(name),
        crate::text::count(losing as u64, "highlight would", "highlights would")
    );
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(format!(
            "{what}: nothing was deleted; run again with --yes to delete it"
        )));
    }
    eprint!("{what} [y/N] ");
    std::io::stderr().flush().ok();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| CliError::Runtime(format!("could not read the answer ({e})")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

#[derive(Serialize)]
struct CodeOut<'a> {
    name: &'a str,
    description: &'a str,
    parent: Option<&'a str>,
    depth: usize,
    highlights: u64,
    interviews: u64,
}

fn list_codes(store: &Store, study: &str, json: bool) -> Result<(), CliError> {
    let book = store.codebook(study)?;
    let names: std::collections::HashMap<i64, &str> = book
        .iter()
        .map(|e| (e.code.id, e.code.name.as_str()))
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for e in &book {
        if json {
            emit(
                &mut out,
                &json_line(&CodeOut {
                    name: &e.code.name,
                    description: &e.code.description,
                    parent: e.code.parent.and_then(|p| names.get(&p).copied()),
                    depth: e.depth,
                    highlights: e.highlights,
                    interviews: e.interviews,
                })?,
            )?;
        } else {
            let description = if e.code.description.is_empty() {
                String::new()
            } else {
                format!(" — {}", sanitize_line(&e.code.description))
            };
            emit(
                &mut out,
                &format!(
                    "{}{}  ({}, {}){description}",
                    "  ".repeat(e.depth),
                    sanitize_line(&e.code.name),
                    crate::text::count(e.highlights, "highlight", "highlights"),
                    crate::text::count(e.interviews, "interview", "interviews"),
                ),
            )?;
        }
    }
    if book.is_empty() && !json {
        eprintln!("no codes yet: code a message with `c` in the browser, or `uj highlights add`");
    }
    Ok(())
}

/// `uj matrix`.
pub(super) async fn matrix(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    query: ListQuery,
    by: Segment,
    format: MatrixFormat,
) -> Result<(), CliError> {
    let store = open_store(global, settings, opened)?.shared();
    if !sync_first(global, settings, opened, &store, &query.filters.study_id).await {
        return Err(CliError::Interrupted("interrupted while syncing".into()));
    }
    let m = with_store(&store, move |s| s.matrix(&query, by)).await?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        MatrixFormat::Json => emit(&mut out, &json_line(&matrix_json(&m))?)?,
        MatrixFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            let mut head = vec!["code".to_string()];
            head.extend(m.columns.iter().map(|(c, _)| spreadsheet_safe(c)));
            w.write_record(&head).map_err(csv_error)?;
            for row in &m.rows {
                let mut rec = vec![spreadsheet_safe(&row.name)];
                rec.extend(row.cells.iter().map(|n| {
                    // The per-interview table is 0/1, as statistics tools read it.
                    if by == Segment::Interview {
                        (*n).min(1)
                    } else {
                        *n
                    }
                    .to_string()
                }));
                w.write_record(&rec).map_err(csv_error)?;
            }
            w.flush().map_err(|e| match e.kind() {
                std::io::ErrorKind::BrokenPipe => CliError::ClosedPipe,
                _ => csv_error(e),
            })?;
        }
        MatrixFormat::Text => {
            for line in crate::present::matrix_text(&m, false) {
                emit(&mut out, &line)?;
            }
        }
    }
    Ok(())
}

fn matrix_json(m: &Matrix) -> serde_json::Value {
    serde_json::json!({
        "by": m.segment.name(),
        "columns": m.columns.iter().map(|(c, n)| serde_json::json!({"name": c, "interviews": n})).collect::<Vec<_>>(),
        "rows": m.rows.iter().map(|r| serde_json::json!({"code": r.name, "depth": r.depth, "cells": r.cells})).collect::<Vec<_>>(),
    })
}

/// `uj report`.
pub(super) async fn report(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    study: &str,
    args: &ReportArgs,
) -> Result<(), CliError> {
    use crate::export::{ReportRequest, check_target};
    check_target(&args.out, crate::export::REPORT_SHAPE, args.force)?;
    let store = open_store(global, settings, opened)?.shared();
    if !sync_first(global, settings, opened, &store, study).await {
        return Err(CliError::Interrupted("interrupted while syncing".into()));
    }
    let request = ReportRequest {
        query: args.filters.query(study),
        codes: args
            .codes
            .iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect(),
        quotes_per_code: args.quotes_per_code,
        text: args.text.mode(),
        out: args.out.clone(),
        force: args.force,
        filters_shown: args.filters.shown(),
    };
    let written = with_store(&store, move |s| Ok(crate::export::report(s, &request))).await??;
    if !crate::export::is_stdout(&args.out) {
        eprintln!(
            "wrote the report of {} to {}",
            crate::text::count(written.interviews as u64, "interview", "interviews"),
            sanitize_line(&args.out.display().to_string())
        );
    }
    Ok(())
}
