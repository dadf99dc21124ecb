//! `uj search`: one line per hit (interview, time, speaker, snippet), or
//! JSON objects with the hit's message.

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;

use super::sync::sync_first;
use super::{CliError, Global, Opened, emit, json_line, open_store};
use crate::api::model::{InterviewDetail, Role};
use crate::config::Settings;
use crate::present::role_label;
use crate::store::search::HitKind;
use crate::store::with_store;
use crate::text::{clock, pad_to_width, sanitize_line};

/// One hit as `--json` prints it.
#[derive(Serialize)]
struct JsonHit<'a> {
    interview_id: &'a str,
    /// `message`, `english` (the translation), `answer` or `meta`
    /// (headline, summary, reference id, email).
    kind: &'a str,
    message_index: Option<usize>,
    time_in_call_secs: Option<f64>,
    role: Option<&'a Role>,
    text: &'a str,
    snippet: &'a str,
}

pub(super) async fn run(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    study: &str,
    query: &str,
    limit: usize,
    json: bool,
) -> Result<(), CliError> {
    let store = open_store(global, settings, opened)?.shared();
    if !sync_first(global, settings, opened, &store, study).await {
        return Err(CliError::Interrupted("interrupted while syncing".into()));
    }
    let (study_q, query_q) = (study.to_string(), query.to_string());
    let (hits, details) = with_store(&store, move |s| {
        let hits = s.search_hits(&study_q, &query_q, limit)?;
        let mut details: HashMap<String, InterviewDetail> = HashMap::new();
        for h in &hits {
            if !details.contains_key(&h.interview_id)
                && let Some(d) = s.detail(&h.interview_id)?
            {
                details.insert(h.interview_id.clone(), d.detail);
            }
        }
        Ok((hits, details))
    })
    .await?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for h in &hits {
        let message = h
            .message_index
            .filter(|_| matches!(h.kind, HitKind::Message | HitKind::English))
            .and_then(|k| details.get(&h.interview_id)?.transcript.get(k));
        let line = if json {
            json_line(&JsonHit {
                interview_id: &h.interview_id,
                kind: h.kind.as_str(),
                message_index: h.message_index,
                time_in_call_secs: message.and_then(|m| m.time_in_call_secs),
                role: message.and_then(|m| m.role.as_ref()),
                text: &h.text,
                snippet: &h.snippet,
            })?
        } else {
            let short: String = sanitize_line(&h.interview_id).chars().take(8).collect();
            let (time, who) = match (h.kind, message) {
                (_, Some(m)) => (
                    m.time_in_call_secs.map_or_else(|| "--:--".into(), clock),
                    role_label(m.role.as_ref()).into_owned(),
                ),
                (HitKind::Answer, _) => (
                    "     ".into(),
                    format!("answer {}", h.message_index.map_or(0, |n| n + 1)),
                ),
                _ => ("     ".into(), "header".into()),
            };
            format!(
                "{short}  {time:>5}  {}  {}",
                pad_to_width(&who, 11),
                h.snippet
            )
        };
        emit(&mut out, &line)?;
    }
    out.flush().ok();
    if hits.is_empty() {
        eprintln!("no match");
    } else if hits.len() == limit {
        eprintln!("{limit} hits shown; there may be more: use --limit N");
    }
    Ok(())
}
