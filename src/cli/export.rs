//! `uj export`: sync the study (unless `--offline`), then write it from the
//! store, with a progress bar on a terminal and Ctrl-c leaving nothing
//! behind.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

use super::sync::sync_first;
use super::{CliError, ExportArgs, Global, Opened, open_store};
use crate::api::InterviewFilters;
use crate::config::Settings;
use crate::export::{ExportError, Format, Request, Shape, check_target, export, is_stdout};
use crate::store::with_store;

impl From<ExportError> for CliError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Target(_) => CliError::Usage(e.to_string()),
            ExportError::Interrupted(_) => CliError::Interrupted(e.to_string()),
            ExportError::Store(s) => s.into(),
            ExportError::Io { .. } => CliError::Runtime(e.to_string()),
        }
    }
}

pub(super) async fn run(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    study: &str,
    args: &ExportArgs,
) -> Result<(), CliError> {
    if args.table.is_some() && args.format != Format::Csv {
        return Err(CliError::Usage(
            "--table goes with --format csv: drop it, or export csv".into(),
        ));
    }
    // A wrong --out is said before any network or disk work.
    let shape = Shape {
        format: args.format,
        table: args.table,
    };
    check_target(&args.out, shape, args.force)?;
    let query = super::chosen_query(settings, args.query.as_deref(), args.view.as_deref())?;
    let store = open_store(global, settings, opened)?.shared();
    if !sync_first(global, settings, opened, &store, study).await {
        return Err(CliError::Interrupted(format!(
            "interrupted while syncing; nothing was written to {}",
            args.out.display()
        )));
    }
    let tty = std::io::stderr().is_terminal();
    let key = study.to_string();
    let (stored, state) = with_store(&store, move |s| {
        Ok((
            s.count(&InterviewFilters::for_study(key.clone()))?,
            s.sync_state(&key)?,
        ))
    })
    .await?;
    if stored == 0 && state.is_none() {
        return Err(CliError::Runtime(format!(
            "study {study} is not in the local store: run `uj sync --study {study}` while online"
        )));
    }

    let request = Request {
        filters: args.filters.interviews(study),
        marks: args.filters.marks(),
        language: args.filters.language.clone(),
        text: args.text.mode(),
        format: args.format,
        table: args.table,
        out: args.out.clone(),
        force: args.force,
        query,
    };
    let bar = tty.then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("exporting [{bar:30}] {pos}/{len} · {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar
    });
    let cancel = Arc::new(AtomicBool::new(false));
    let task = {
        let cancel = cancel.clone();
        let bar = bar.clone();
        let store = store.clone();
        tokio::task::spawn_blocking(move || {
            let guard = store.lock().unwrap_or_else(|p| p.into_inner());
            export(&guard, &request, &cancel, &|done, total| {
                if let Some(bar) = &bar {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                }
            })
        })
    };
    tokio::pin!(task);
    let result = tokio::select! {
        r = &mut task => r,
        _ = tokio::signal::ctrl_c() => {
            cancel.store(true, Ordering::SeqCst);
            task.await
        }
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let written =
        match result.map_err(|e| CliError::Runtime(format!("the export stopped ({e})")))? {
            // A reader that closed the pipe (`| head`) took what it wanted.
            Err(ExportError::Io { detail, .. })
                if is_stdout(&args.out) && detail.contains("Broken pipe") =>
            {
                return Ok(());
            }
            other => other?,
        };
    if written.interviews == 0 {
        eprintln!("no interview matched the filters: the export holds none");
    }
    if is_stdout(&args.out) {
        return Ok(());
    }
    eprintln!(
        "exported {} interview{} to {} ({:.1} MB)",
        written.interviews,
        if written.interviews == 1 { "" } else { "s" },
        crate::text::sanitize_line(&args.out.display().to_string()),
        written.bytes as f64 / 1e6
    );
    Ok(())
}
