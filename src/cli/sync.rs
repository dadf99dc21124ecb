//! `uj sync`: mirrors studies into the local store, with a progress bar on
//! a terminal and one summary per study.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use super::{CliError, Global, Opened, SyncArgs, emit, json_line, open_store, warn};
use crate::api::SharedSource;
use crate::api::walk::all_studies;
use crate::config::Settings;
use crate::store::with_store;
use crate::sync::{Progress, Summary, SyncOptions, Tally, sync_study};
use crate::text::sanitize_line;

pub(super) async fn run(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    source: SharedSource,
    args: &SyncArgs,
) -> Result<(), CliError> {
    let store = open_store(global, settings, opened)?.shared();
    let targets: Vec<(String, Option<String>)> = if args.all {
        let (studies, stop) = all_studies(source.as_ref()).await?;
        if let Some(stop) = stop {
            warn(&stop.to_string());
        }
        let listed = studies.clone();
        with_store(&store, move |s| s.put_studies(&listed)).await?;
        studies.into_iter().map(|s| (s.id, s.name)).collect()
    } else if !global.study.is_empty() {
        global.study.iter().map(|s| (s.clone(), None)).collect()
    } else if let Some(id) = &settings.default_study {
        vec![(id.clone(), None)]
    } else {
        return Err(CliError::Usage(
            "no study to sync: pass --study ID (several times for several), or --all".into(),
        ));
    };
    let options = SyncOptions {
        concurrency: args
            .concurrency
            .map_or(settings.sync_concurrency, usize::from),
        details: true,
        full: args.full,
    };
    let tty = std::io::stderr().is_terminal();
    let stdout = std::io::stdout();
    let mut failed = 0u64;
    let mut first_error: Option<String> = None;
    for (study, name) in targets {
        let bar = tty.then(|| progress_bar(name.as_deref().unwrap_or(&study)));
        let tally = Tally::new(&study, {
            let bar = bar.clone();
            move |p| {
                if let Some(bar) = &bar {
                    show_progress(bar, &p);
                }
            }
        });
        let result = tokio::select! {
            r = sync_study(&source, &store, &study, options, &tally) => Some(r),
            _ = tokio::signal::ctrl_c() => None,
        };
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        let summary = tally.summary();
        let line = if args.json {
            json_line(&summary)?
        } else {
            summary_line(&summary)
        };
        emit(&mut stdout.lock(), &line)?;
        match result {
            None => {
                return Err(CliError::Interrupted(
                    "interrupted: everything fetched so far is stored; run `uj sync` again to go on"
                        .into(),
                ));
            }
            Some(Err(e)) => {
                first_error.get_or_insert_with(|| e.to_string());
            }
            // A walk that stopped early (the API's cursor misbehaved) did
            // not store the study: not a success.
            Some(Ok(())) if !summary.complete => {
                first_error.get_or_insert_with(|| {
                    summary
                        .warning
                        .clone()
                        .unwrap_or_else(|| "the list walk stopped early".into())
                });
            }
            Some(Ok(())) => failed += summary.failed,
        }
    }
    if let Some(e) = first_error {
        return Err(CliError::Runtime(format!(
            "the sync did not finish ({e}); what was fetched is stored"
        )));
    }
    if failed > 0 {
        return Err(CliError::Runtime(format!(
            "{failed} interview{} could not be fetched: run `uj sync` again to retry {}",
            if failed == 1 { "" } else { "s" },
            if failed == 1 { "it" } else { "them" },
        )));
    }
    Ok(())
}

/// Whether a stored study's last complete sync is recent enough to read
/// without syncing (`max_age`; `--refresh` and a zero `max_age` always
/// sync).
pub(super) fn fresh_enough(
    global: &Global,
    settings: &Settings,
    state: &crate::store::SyncState,
) -> bool {
    if global.refresh || settings.max_age.is_zero() || !state.walk_done {
        return false;
    }
    let Some(when) = state
        .last_synced
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
    else {
        return false;
    };
    let age = chrono::Utc::now().signed_duration_since(when);
    age.to_std().is_ok_and(|a| a < settings.max_age)
}

/// The one stderr line of a command that reads the store because the API
/// could not be reached.
pub(super) fn say_offline(last_synced: Option<&str>) {
    match last_synced {
        Some(t) => eprintln!(
            "offline: showing what was stored at {}",
            sanitize_line(&crate::text::local_datetime(t))
        ),
        None => eprintln!("offline: showing what is stored"),
    }
}

/// Whether an error says the API could not be reached at all.
pub(super) fn unreachable(e: &crate::sync::SyncError) -> bool {
    matches!(e, crate::sync::SyncError::Api(a) if a.is_unreachable())
}

/// Brings a study up to date before a command reads it: a stored study
/// whose last complete sync is younger than `max_age` is read as it is;
/// otherwise it is synced first (with the progress bar on a terminal).
/// Under `--offline` nothing is asked. When the API cannot be reached, a
/// stored study is read with one line saying so. `false` when Ctrl-c
/// stopped it.
pub(super) async fn sync_first(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    store: &crate::store::SharedStore,
    study: &str,
) -> bool {
    let Some(source) = &opened.source else {
        return true;
    };
    let key = study.to_string();
    let (read_only, path, state) = with_store(store, move |s| {
        // A study is stored when it has rows and a sync state.
        let state = if s.holds_study(&key)? {
            s.sync_state(&key)?
        } else {
            None
        };
        Ok((
            s.is_read_only(),
            s.path()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            state,
        ))
    })
    .await
    .unwrap_or((false, String::new(), None));
    if read_only {
        warn(&format!(
            "the local store {} can be read but not written here: showing what is stored, without syncing",
            sanitize_line(&path)
        ));
        return true;
    }
    let stored = state.as_ref();
    if stored.is_some_and(|y| fresh_enough(global, settings, y)) {
        return true;
    }
    let bar = std::io::stderr().is_terminal().then(|| progress_bar(study));
    let tally = Tally::new(study, {
        let bar = bar.clone();
        move |p| {
            if let Some(bar) = &bar {
                show_progress(bar, &p);
            }
        }
    });
    let options = SyncOptions {
        concurrency: settings.sync_concurrency,
        details: true,
        full: false,
    };
    let synced = tokio::select! {
        r = sync_study(source, store, study, options, &tally) => Some(r),
        _ = tokio::signal::ctrl_c() => None,
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    match synced {
        None => return false,
        Some(Err(e)) if unreachable(&e) && stored.is_some() => {
            say_offline(stored.and_then(|y| y.last_synced.as_deref()));
        }
        Some(Err(e)) => warn(&format!(
            "the study could not be synced ({e}); using what is stored"
        )),
        Some(Ok(())) => {
            let failed = tally.summary().failed;
            if failed > 0 {
                warn(&format!(
                    "{failed} interview(s) could not be fetched; what is stored of them is used"
                ));
            }
        }
    }
    true
}

fn progress_bar(name: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template(
        "{prefix:.bold} [{bar:30}] {pos}/{len} listed · {msg} · {elapsed}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(crate::text::truncate_to_width(&sanitize_line(name), 30).into_owned());
    bar.set_message("transcripts 0/0");
    bar
}

fn show_progress(bar: &ProgressBar, p: &Progress) {
    match p {
        Progress::Started { total, .. } => {
            if let Some(t) = total {
                bar.set_length(*t);
            }
        }
        Progress::Listed { listed, .. } => {
            if bar.length().is_none_or(|l| l < *listed) {
                bar.set_length(*listed);
            }
            bar.set_position(*listed);
        }
        // The honest count below says it all.
        Progress::Walked { .. } => {}
        Progress::Transcripts {
            stored,
            listed,
            fetched,
            ..
        } => bar.set_message(transcripts_message(
            *stored,
            *listed,
            bar.length(),
            *fetched,
            bar.elapsed(),
        )),
    }
}

/// `transcripts 40/1100 · 12.5/s · 1m 28s left`: the transcripts stored of
/// the interviews listed, the rate this sync fetches them at, and the time
/// left at that rate for the whole study (`expected`, else what is listed).
pub fn transcripts_message(
    stored: u64,
    listed: u64,
    expected: Option<u64>,
    fetched: u64,
    elapsed: std::time::Duration,
) -> String {
    let mut text = format!("transcripts {stored}/{listed}");
    let secs = elapsed.as_secs_f64();
    if fetched > 0 && secs >= 1.0 {
        let rate = fetched as f64 / secs;
        let left = expected
            .unwrap_or(listed)
            .max(listed)
            .saturating_sub(stored);
        let eta = (left as f64 / rate).round() as u64;
        text.push_str(&format!(" · {rate:.1}/s"));
        if left > 0 {
            let (m, s) = (eta / 60, eta % 60);
            if m > 0 {
                text.push_str(&format!(" · {m}m {s:02}s left"));
            } else {
                text.push_str(&format!(" · {s}s left"));
            }
        }
    }
    text
}

/// `NAME: 12 new, 3 updated, 1 removed, 240 unchanged, 15 details fetched, 0 failed, 2.4 s`
pub fn summary_line(s: &Summary) -> String {
    let who = sanitize_line(s.name.as_deref().unwrap_or(&s.study_id)).into_owned();
    let mut line = format!(
        "{who}: {} new, {} updated, {} removed, {} unchanged, {} details fetched, {} failed, {:.1} s",
        s.new, s.updated, s.removed, s.unchanged, s.details_fetched, s.failed, s.seconds
    );
    if !s.complete {
        line.push_str(" (incomplete)");
    }
    if let Some(w) = &s.warning {
        line.push_str(&format!(" — {}", sanitize_line(w)));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::transcripts_message;
    use std::time::Duration;

    #[test]
    fn the_bar_says_what_is_stored_its_rate_and_the_time_left() {
        assert_eq!(
            transcripts_message(0, 0, Some(10_000), 0, Duration::ZERO),
            "transcripts 0/0"
        );
        // 100 fetched in 10 s: 10/s; 9,900 of the study's 10,000 left.
        assert_eq!(
            transcripts_message(100, 1_100, Some(10_000), 100, Duration::from_secs(10)),
            "transcripts 100/1100 · 10.0/s · 16m 30s left"
        );
        // Nothing left: no estimate.
        assert_eq!(
            transcripts_message(237, 237, Some(237), 237, Duration::from_secs(5)),
            "transcripts 237/237 · 47.4/s"
        );
    }
}
