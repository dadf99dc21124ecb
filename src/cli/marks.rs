//! `uj marks export` and `uj marks import`: moving triage marks to another
//! machine or a colleague as JSON Lines.

use std::io::{BufRead, Write};

use super::{CliError, Global, MarksAction, Opened, emit, json_line, open_store};
use crate::config::Settings;
use crate::store::{MarkRecord, salvage_marks};
use crate::text::sanitize_line;

/// `uj marks export --from FILE`: the marks of a store file that is not
/// opened as the store, read-only.
fn salvage(global: &Global, file: &std::path::Path) -> Result<(), CliError> {
    let study = global.one_study()?;
    let salvaged = salvage_marks(file)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut n = 0usize;
    for r in salvaged
        .records
        .iter()
        .filter(|r| study.as_deref().is_none_or(|s| r.study_id == s))
    {
        emit(&mut out, &json_line(r)?)?;
        n += 1;
    }
    out.flush().ok();
    let shown = sanitize_line(&file.display().to_string()).into_owned();
    if let Some(damage) = &salvaged.damage {
        eprintln!(
            "warning: {shown} is damaged ({}); the marks that could be read are exported, some may be missing",
            sanitize_line(damage)
        );
    }
    eprintln!(
        "{} exported from {shown} (read-only; the file was not changed)",
        crate::text::count(n as u64, "mark", "marks")
    );
    Ok(())
}

pub(super) fn run(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
    action: &MarksAction,
) -> Result<(), CliError> {
    if let MarksAction::Export { from: Some(file) } = action {
        return salvage(global, file);
    }
    let mut store = open_store(global, settings, opened)?;
    match action {
        MarksAction::Export { .. } => {
            let study = global.one_study()?;
            let records = store.mark_records(study.as_deref())?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for r in &records {
                emit(&mut out, &json_line(r)?)?;
            }
            out.flush().ok();
            eprintln!(
                "{} mark{} exported",
                records.len(),
                if records.len() == 1 { "" } else { "s" }
            );
            Ok(())
        }
        MarksAction::Import { file } => {
            let shown = file.display().to_string();
            let reader: Box<dyn BufRead> = if shown == "-" {
                Box::new(std::io::stdin().lock())
            } else {
                let f = std::fs::File::open(file).map_err(|e| {
                    CliError::Usage(format!("could not read {shown} ({e}): check the path"))
                })?;
                Box::new(std::io::BufReader::new(f))
            };
            // Every line is checked before anything is written.
            let mut records = Vec::new();
            for (n, line) in reader.lines().enumerate() {
                let line = line.map_err(|e| {
                    CliError::Usage(format!("could not read {shown} ({e}): check the file"))
                })?;
                if line.trim().is_empty() {
                    continue;
                }
                let record: MarkRecord = serde_json::from_str(&line).map_err(|e| {
                    CliError::Usage(format!(
                        "line {} of {shown} is not a mark as `uj marks export` writes them ({e}); nothing was imported",
                        n + 1
                    ))
                })?;
                records.push(record);
            }
            let merged = store.merge_marks(&records)?;
            for line in &merged.warnings {
                eprintln!("warning: {line}");
            }
            for line in &merged.refused {
                eprintln!("refused: {line}");
            }
            eprintln!(
                "{} marks read: {} added, {} changed, {} unchanged, {} refused",
                records.len(),
                merged.added,
                merged.changed,
                merged.unchanged,
                merged.refused.len()
            );
            if merged.refused.is_empty() {
                Ok(())
            } else {
                Err(CliError::Runtime(format!(
                    "{} refused past a limit (see above); the rest were imported: shorten those records and import the file again",
                    crate::text::count(merged.refused.len() as u64, "mark was", "marks were")
                )))
            }
        }
    }
}
