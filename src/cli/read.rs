//! `uj studies`, `uj interviews` and `uj show`: from the API (or the demo,
//! or a snapshot), or from the local store under `--offline`.

use std::io::{IsTerminal, Write};

use super::{CliError, Format, Global, InterviewsArgs, Opened, emit, json_line, open_store, warn};
use crate::api::InterviewFilters;
use crate::api::model::Interview;
use crate::api::walk::{CursorWalk, WalkState, all_studies};
use crate::config::Settings;
use crate::output::{self, StoredCounts};
use crate::store::{ListQuery, Store};

fn not_stored(study: &str) -> CliError {
    CliError::Runtime(format!(
        "study {study} is not in the local store: run `uj sync --study {study}` while online"
    ))
}

/// The studies the store holds, with what is stored of each.
fn print_stored_studies(
    out: &mut impl Write,
    stored: &[crate::store::StoredStudy],
    tty: bool,
    json: bool,
) -> Result<(), CliError> {
    if tty && !json {
        emit(out, &output::study_header(true))?;
    }
    for s in stored {
        let line = if json {
            json_line(&s.study)?
        } else {
            output::study_row(
                &s.study,
                Some(&StoredCounts {
                    interviews: s.interviews,
                    last_synced: s.sync.as_ref().and_then(|y| y.last_synced.clone()),
                }),
            )
        };
        emit(out, &line)?;
    }
    out.flush().map_err(write_error)
}

pub(super) async fn studies(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    json: bool,
) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let mut out = stdout.lock();
    let fetched = match &opened.source {
        Some(source) => all_studies(source.as_ref()).await,
        None => {
            let stored = open_store(global, settings, opened)?.studies()?;
            if stored.is_empty() {
                warn("the local store holds no study yet: run `uj sync --all` while online");
            }
            return print_stored_studies(&mut out, &stored, tty, json);
        }
    };
    let (studies, stop) = match fetched {
        Ok(found) => found,
        Err(e) => {
            // The API cannot be reached: the studies the store holds.
            let stored = e
                .is_unreachable()
                .then(|| open_store(global, settings, opened).ok())
                .flatten()
                .and_then(|s| s.studies().ok())
                .filter(|s| !s.is_empty());
            let Some(stored) = stored else {
                return Err(e.into());
            };
            let latest = stored
                .iter()
                .filter_map(|s| s.sync.as_ref().and_then(|y| y.last_synced.clone()))
                .max();
            super::sync::say_offline(latest.as_deref());
            return print_stored_studies(&mut out, &stored, tty, json);
        }
    };
    // The store's counts are extra: without a store the list still prints.
    let store = if opened.ephemeral {
        None
    } else {
        match open_store(global, settings, opened) {
            Ok(mut s) => {
                if let Err(e) = s.put_studies(&studies) {
                    warn(&e.to_string());
                }
                Some(s)
            }
            Err(e) => {
                warn(&e.to_string());
                None
            }
        }
    };
    let counts = store
        .as_ref()
        .and_then(|s| s.studies().map_err(|e| warn(&e.to_string())).ok());
    if tty && !json {
        emit(&mut out, &output::study_header(counts.is_some()))?;
    }
    for s in &studies {
        let line = if json {
            json_line(s)?
        } else {
            let stored = counts.as_ref().map(|all| {
                all.iter()
                    .find(|c| c.study.id == s.id)
                    .map(|c| StoredCounts {
                        interviews: c.interviews,
                        last_synced: c.sync.as_ref().and_then(|y| y.last_synced.clone()),
                    })
                    .unwrap_or_default()
            });
            output::study_row(s, stored.as_ref())
        };
        emit(&mut out, &line)?;
    }
    if let Some(stop) = stop {
        warn(&stop.to_string());
    }
    out.flush().map_err(write_error)
}

fn write_error(e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        CliError::ClosedPipe
    } else {
        CliError::Runtime(format!("could not write the output ({e})"))
    }
}

/// The rows to print, from the store or from the API: each call gives the
/// next batch, empty at the end.
enum Rows<'a> {
    Store {
        store: Store,
        query: Box<ListQuery>,
        next: usize,
        done: bool,
    },
    Api {
        source: &'a crate::api::SharedSource,
        walk: CursorWalk,
        page_size: u32,
    },
}

impl Rows<'_> {
    async fn next(&mut self, filters: &InterviewFilters) -> Result<Vec<Interview>, CliError> {
        match self {
            Rows::Store {
                store,
                query,
                next,
                done,
            } => {
                if *done {
                    return Ok(Vec::new());
                }
                let rows = store.window(query, *next, 500)?;
                *done = rows.len() < 500;
                *next += rows.len();
                Ok(rows)
            }
            Rows::Api {
                source,
                walk,
                page_size,
            } => {
                if !walk.has_more() {
                    return Ok(Vec::new());
                }
                let page = source
                    .list_interviews(filters, walk.cursor(), Some(*page_size))
                    .await?;
                Ok(walk.accept(page))
            }
        }
    }

    fn has_more(&self) -> bool {
        match self {
            Rows::Store { done, .. } => !done,
            Rows::Api { walk, .. } => walk.has_more(),
        }
    }
}

/// The store, when it holds `study` (with the network: brought up to date
/// first as `max_age` says); `None` for a study never stored, which the
/// API answers.
async fn stored_study(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    study: &str,
) -> Result<Option<Store>, CliError> {
    if opened.source.is_none() || opened.ephemeral {
        return Ok(None);
    }
    let Ok(store) = open_store(global, settings, opened) else {
        return Ok(None);
    };
    let held = store.holds_study(study).unwrap_or(false)
        && store.sync_state(study).ok().flatten().is_some();
    if !held {
        return Ok(None);
    }
    let shared = store.shared();
    if !super::sync::sync_first(global, settings, opened, &shared, study).await {
        return Err(CliError::Interrupted("interrupted while syncing".into()));
    }
    Ok(std::sync::Arc::try_unwrap(shared)
        .ok()
        .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner())))
}

pub(super) async fn interviews(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    study: &str,
    args: &InterviewsArgs,
) -> Result<(), CliError> {
    let filters = args.filters.interviews(study);
    let want = if args.all {
        None
    } else {
        Some(args.limit.unwrap_or(settings.page_size) as usize)
    };
    let marks = args.filters.marks();
    let language = args.filters.language.clone();
    let chosen = super::chosen_query(settings, args.query.as_deref(), args.view.as_deref())?;
    let parsed = chosen.as_deref().map(crate::store::query::parse);
    // A stored study is read from the store (synced first when older than
    // max_age; the stored rows when the API cannot be reached).
    let stored = match &parsed {
        // A query reads the store: bring the study in first.
        Some(_) => match stored_study(global, settings, opened, study).await? {
            Some(store) => Some(store),
            None => {
                let store = open_store(global, settings, opened)?.shared();
                if !super::sync::sync_first(global, settings, opened, &store, study).await {
                    return Err(CliError::Interrupted("interrupted while syncing".into()));
                }
                drop(store);
                None
            }
        },
        None => stored_study(global, settings, opened, study).await?,
    };
    // Marks, languages and queries are local: filtering by them reads the
    // store.
    let source = opened
        .source
        .as_ref()
        .filter(|_| marks.is_empty() && language.is_none() && stored.is_none() && parsed.is_none());
    let mut rows = match source {
        Some(source) => Rows::Api {
            source,
            walk: CursorWalk::default(),
            page_size: if args.all {
                100
            } else {
                want.unwrap_or(100).min(100) as u32
            },
        },
        None => {
            let store = match stored {
                Some(store) => store,
                None => open_store(global, settings, opened)?,
            };
            if store.sync_state(study)?.is_none() && !store.holds_study(study)? {
                return Err(not_stored(study));
            }
            Rows::Store {
                store,
                query: Box::new(ListQuery {
                    marks,
                    language,
                    search: parsed
                        .as_ref()
                        .map(|p| p.text.clone())
                        .filter(|t| !t.trim().is_empty()),
                    filter: parsed.and_then(|p| p.filter),
                    ..ListQuery::from(filters.clone())
                }),
                next: 0,
                done: false,
            }
        }
    };
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let mut out = stdout.lock();
    if tty && !args.json {
        emit(&mut out, &output::interview_header())?;
    }
    let mut printed = 0usize;
    let mut pending: Vec<Interview> = Vec::new();
    loop {
        if want.is_some_and(|n| printed >= n) {
            break;
        }
        if pending.is_empty() {
            pending = rows.next(&filters).await?;
            pending.reverse();
            if pending.is_empty() {
                break;
            }
        }
        let Some(i) = pending.pop() else { break };
        let line = if args.json {
            json_line(&i)?
        } else {
            output::interview_row(&i)
        };
        emit(&mut out, &line)?;
        printed += 1;
    }
    if tty && !args.json && printed == 0 {
        // A bare header says nothing to a person; a pipe gets no rows.
        emit(&mut out, "0 interviews")?;
    }
    out.flush().map_err(write_error)?;
    if let Rows::Api { walk, .. } = &rows
        && let WalkState::Stopped(stop) = walk.state()
    {
        warn(&stop.to_string());
    } else if !args.all && (!pending.is_empty() || rows.has_more()) {
        eprintln!("{printed} shown; there are more: use --all, or --limit N");
    }
    Ok(())
}

/// An interview's detail with the network at hand: the stored one while
/// its study's last sync is younger than `max_age`, else the API's
/// (written through), else — the API unreachable — the stored one, said.
async fn online_detail(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    source: &crate::api::SharedSource,
    id: &str,
) -> Result<crate::api::model::InterviewDetail, CliError> {
    let mut store = if opened.ephemeral {
        None
    } else {
        open_store(global, settings, opened).ok()
    };
    let stored = store.as_ref().and_then(|s| {
        let detail = s.detail(id).ok().flatten()?;
        let study = s.interview(id).ok().flatten()?.study_id?;
        let state = s.sync_state(&study).ok().flatten();
        Some((detail, state))
    });
    if let Some((detail, Some(state))) = &stored
        && detail.current
        && super::sync::fresh_enough(global, settings, state)
    {
        return Ok(detail.detail.clone());
    }
    match source.get_interview(id).await {
        Ok(fetched) => {
            if let Some(s) = store.as_mut()
                && let Err(e) = s.put_detail(&fetched, None)
            {
                tracing::warn!(error = %e, "a detail was not stored");
            }
            Ok(fetched)
        }
        Err(e) if e.is_unreachable() => match stored {
            Some((detail, state)) => {
                super::sync::say_offline(state.as_ref().and_then(|y| y.last_synced.as_deref()));
                Ok(detail.detail)
            }
            None => Err(e.into()),
        },
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn show(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    id: &str,
    format: Format,
    text: crate::present::TextMode,
) -> Result<(), CliError> {
    let full = full_id(global, settings, opened, id).await?;
    let id = full.as_str();
    let detail = match &opened.source {
        Some(source) => online_detail(global, settings, opened, source, id).await?,
        None => {
            let store = open_store(global, settings, opened)?;
            match store.detail(id)? {
                Some(stored) => stored.detail,
                None => {
                    return Err(CliError::Runtime(match store.interview(id)? {
                        Some(i) => format!(
                            "the transcript of interview {id} is not stored yet: run `uj sync --study {}` while online",
                            i.study_id.as_deref().unwrap_or("ID")
                        ),
                        None => format!(
                            "interview {id} is not in the local store: check the id, or run `uj sync` while online"
                        ),
                    }));
                }
            }
        }
    };
    // The user's marks of it, from the store (none without one).
    let marks = open_store(global, settings, opened)
        .ok()
        .and_then(|s| s.marks_of(&[id.to_string()]).ok())
        .and_then(|mut m| m.remove(id));
    let mode = output::mode_for(&detail, text);
    let text = match format {
        Format::Json => {
            // The API's object with the marks beside it, as `uj export
            // --format jsonl` writes each line.
            let mut value = serde_json::to_value(&detail)
                .map_err(|e| CliError::Runtime(format!("could not encode the interview ({e})")))?;
            if let serde_json::Value::Object(map) = &mut value {
                let m = serde_json::to_value(marks.clone().unwrap_or_default())
                    .unwrap_or(serde_json::Value::Null);
                map.insert("marks".into(), m);
            }
            json_line(&value)?
        }
        Format::Text => output::show_text(&detail, marks.as_ref(), mode),
        // Escaped like the export: a respondent's words make no links.
        Format::Markdown => crate::export::interview_markdown(&detail, marks.as_ref(), text),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    emit(&mut out, text.trim_end_matches('\n'))?;
    out.flush().map_err(write_error)
}

/// The whole id for a short one (`uj show 5df3bf0a`, as the transcript
/// header and export file names give it): looked up among the stored
/// interviews, or the demo's or snapshot's. A full id, or a prefix that
/// matches nothing, goes on as typed so the usual "not found" speaks.
async fn full_id(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    id: &str,
) -> Result<String, CliError> {
    const FULL: usize = 36;
    const SHOWN: usize = 10;
    if id.len() >= FULL || id.is_empty() {
        return Ok(id.to_string());
    }
    let found: Vec<String> = match &opened.source {
        Some(source) if opened.ephemeral => {
            let (studies, _) = all_studies(source.as_ref()).await?;
            let mut ids = Vec::new();
            for s in studies {
                let filters = InterviewFilters::for_study(s.id);
                let mut w = CursorWalk::default();
                crate::api::walk::walk(
                    &mut w,
                    |cursor| {
                        let filters = filters.clone();
                        async move {
                            source
                                .list_interviews(&filters, cursor.as_deref(), Some(100))
                                .await
                        }
                    },
                    |i: Interview| {
                        if i.id.starts_with(id) {
                            ids.push(i.id)
                        }
                    },
                )
                .await?;
            }
            ids.sort();
            ids.truncate(SHOWN + 1);
            ids
        }
        // The API has no prefix search: short ids come from the store.
        _ => match open_store(global, settings, opened) {
            Ok(store) => store.ids_with_prefix(id, SHOWN + 1)?,
            Err(_) => Vec::new(),
        },
    };
    match found.as_slice() {
        [] => Ok(id.to_string()),
        [one] => Ok(one.clone()),
        many => {
            let more = if many.len() > SHOWN { ", …" } else { "" };
            Err(CliError::Usage(format!(
                "{} matches more than one interview ({}{more}): give more of the id",
                crate::text::sanitize_line(id),
                many.iter()
                    .take(SHOWN)
                    .map(|i| crate::text::sanitize_line(i).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    }
}
