//! `uj marks export` and `uj marks import`: moving triage marks to another
//! machine or a colleague as JSON Lines.

use std::io::{BufRead, Write};

use super::{CliError, Global, MarksAction, Opened, emit, json_line, open_store};
use crate::config::Settings;
use crate::store::{WorkRecord, parse_work_line, salvage_marks};
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
            let records = store.export_work(study.as_deref())?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let mut counts = [0u64; 4];
            for r in &records {
                match r {
                    WorkRecord::Marks(_) => counts[0] += 1,
                    WorkRecord::Code(_) => counts[1] += 1,
                    WorkRecord::Highlight(_) => counts[2] += 1,
                    WorkRecord::Tombstone(_) => counts[3] += 1,
                    WorkRecord::Header { .. } => {}
                }
                emit(&mut out, &json_line(r)?)?;
            }
            out.flush().ok();
            eprintln!(
                "exported {}, {}, {} and {}",
                crate::text::count(counts[0], "mark", "marks"),
                crate::text::count(counts[1], "code", "codes"),
                crate::text::count(counts[2], "highlight", "highlights"),
                crate::text::count(counts[3], "removal", "removals")
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
                let record = parse_work_line(&line).map_err(|e| {
                    CliError::Usage(format!(
                        "line {} of {} is not what `uj marks export` writes ({}); nothing was imported",
                        n + 1,
                        sanitize_line(&shown),
                        sanitize_line(&e)
                    ))
                })?;
                records.push(record);
            }
            let done = store.import_work(&records)?;
            for line in &done.warnings {
                eprintln!("warning: {}", sanitize_line(line));
            }
            for line in &done.refused {
                eprintln!("refused: {}", sanitize_line(line));
            }
            eprintln!(
                "{} records read: {} added, {} changed, {} unchanged, {} removed, {} refused",
                records.len(),
                done.added,
                done.changed,
                done.unchanged,
                done.removed,
                done.refused.len()
            );
            if done.refused.is_empty() {
                Ok(())
            } else {
                Err(CliError::Runtime(format!(
                    "{} refused (see above); the rest were imported: mend those records and import the file again",
                    crate::text::count(done.refused.len() as u64, "record was", "records were")
                )))
            }
        }
    }
}
