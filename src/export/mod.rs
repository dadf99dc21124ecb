//! `uj export`: a study from the store to files for reports, spreadsheets
//! and colleagues. Output is written beside the target under a hidden name
//! and renamed into place at the end, so an interrupted or killed export
//! never leaves a half-written `PATH`. Formats and columns: `docs/export.md`.

mod files;
mod lines;
mod markdown;
mod qdpx;
mod report;
mod table;
mod target;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use thiserror::Error;

use crate::api::InterviewFilters;
use crate::api::model::{InterviewDetail, StudyDetail};
use crate::present::TextMode;
use crate::store::{MarkFilters, Marks, Store, StoreError};

pub use files::write as write_private;
pub use markdown::{escape as escape_markdown, file_name, interview_markdown};
pub use report::{ReportRequest, SHAPE as REPORT_SHAPE, report};
pub use table::spreadsheet_safe;
pub use target::MARKER;

/// What `--format` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A directory: index.md and one Markdown file per interview.
    Markdown,
    /// A directory: interviews.csv and answers.csv.
    Csv,
    /// One file: an interview (API object plus marks) per line.
    Jsonl,
    /// A directory `uj --snapshot DIR` opens.
    Snapshot,
    /// One file: a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder)
    /// with the transcripts, the codebook and every highlight.
    Qdpx,
    /// `uj report`'s one Markdown file (not an `uj export` format).
    #[value(skip)]
    Report,
}

/// One CSV table alone (`--table`), to a file or standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Table {
    /// interviews.csv: one row per interview.
    Interviews,
    /// answers.csv: one row per interview and question.
    Answers,
}

/// What an export writes: a format, and for CSV perhaps one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub format: Format,
    pub table: Option<Table>,
}

impl Shape {
    /// One file (else a directory).
    pub fn is_file(self) -> bool {
        matches!(self.format, Format::Jsonl | Format::Qdpx | Format::Report)
            || (self.format == Format::Csv && self.table.is_some())
    }

    pub fn name(self) -> &'static str {
        match self.format {
            Format::Markdown => "markdown",
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Snapshot => "snapshot",
            Format::Qdpx => "qdpx",
            Format::Report => "report",
        }
    }

    /// What `--force` replaces for this shape, for messages.
    fn replaces(self) -> &'static str {
        if self.is_file() {
            "a regular file"
        } else {
            "a directory an earlier export of that format wrote"
        }
    }
}

/// `--out -`: standard output.
pub fn is_stdout(out: &Path) -> bool {
    out.as_os_str() == "-"
}

/// Checks `--out` before any work (see [`target`]); returns where the
/// export will go.
pub fn check_target(out: &Path, shape: Shape, force: bool) -> Result<PathBuf, ExportError> {
    if is_stdout(out) {
        // One file may go to standard output; a directory may not, nor a
        // ZIP (its index is written last, at places before it).
        if shape.is_file() && shape.format != Format::Qdpx {
            return Ok(out.to_path_buf());
        }
        return Err(ExportError::Target(format!(
            "--out - (standard output) takes one file: use --format jsonl, or --format csv with --table interviews|answers; a {} export needs a directory name",
            shape.name()
        )));
    }
    if shape.format == Format::Csv
        && shape.table.is_none()
        && out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        return Err(ExportError::Target(format!(
            "a csv export writes a directory (interviews.csv and answers.csv), and {} names a file: add --table interviews or --table answers for one file, or choose a directory name",
            crate::text::sanitize_line(&out.display().to_string())
        )));
    }
    target::check(out, shape, force)
}

/// One export.
#[derive(Debug, Clone)]
pub struct Request {
    pub filters: InterviewFilters,
    pub marks: MarkFilters,
    /// Only interviews in this language (a local filter).
    pub language: Option<String>,
    /// Which text Markdown and CSV carry: the original, the English where
    /// a translation exists, or both (JSON Lines and snapshots always
    /// carry both texts).
    pub text: TextMode,
    pub format: Format,
    /// With CSV: only this table, as one file.
    pub table: Option<Table>,
    /// A path, or `-` for standard output.
    pub out: PathBuf,
    /// Replace an existing `out`.
    pub force: bool,
    /// Only interviews matching this query (`--query`, `--view`).
    pub query: Option<String>,
}

impl Request {
    pub fn shape(&self) -> Shape {
        Shape {
            format: self.format,
            table: self.table,
        }
    }
}

/// One interview as the writers get it.
pub struct Item {
    pub detail: InterviewDetail,
    /// The transcript and answers were stored (else only the list object).
    pub has_detail: bool,
    pub marks: Option<Marks>,
}

/// What was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub interviews: usize,
    pub bytes: u64,
}

#[derive(Debug, Error)]
pub enum ExportError {
    /// The target is wrong as given (exists, no such directory): exit 2.
    #[error("{0}")]
    Target(String),
    #[error("could not write {path} ({detail}): check the free space and permissions there")]
    Io { path: String, detail: String },
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("the export was interrupted; nothing was written to {0}")]
    Interrupted(String),
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> ExportError + '_ {
    move |e| ExportError::Io {
        path: path.display().to_string(),
        detail: e.to_string(),
    }
}

/// A hidden path beside the target that becomes the target at the end; it
/// is removed if the export does not get there.
struct Staging {
    tmp: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Staging {
    fn new(target: &Path, dir: bool) -> Result<Staging, ExportError> {
        let parent_of = target::parent_of;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "export".into());
        let prefix = format!(".{name}.uj-partial-");
        remove_stale(&parent_of(target), &prefix);
        let tmp = parent_of(target).join(format!("{prefix}{}", std::process::id()));
        if dir {
            files::create_dir(&tmp).map_err(io_error(target))?;
        }
        Ok(Staging {
            tmp,
            target: target.to_path_buf(),
            done: false,
        })
    }

    /// Moves the staged output into place (replacing the target when
    /// `force` allowed it and it is still what an export wrote).
    fn commit(mut self, shape: Shape, force: bool) -> Result<(), ExportError> {
        let target = self.target.clone();
        if target.symlink_metadata().is_ok() {
            if !force {
                return Err(ExportError::Target(format!(
                    "{} appeared while exporting: choose another --out, or add --force",
                    target.display()
                )));
            }
            target::still_replaceable(&target, shape)?;
            let old = self.tmp.with_extension("old");
            std::fs::rename(&target, &old).map_err(io_error(&target))?;
            std::fs::rename(&self.tmp, &target).map_err(io_error(&target))?;
            let _ = remove(&old);
        } else {
            std::fs::rename(&self.tmp, &target).map_err(io_error(&target))?;
        }
        self.done = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = remove(&self.tmp);
        }
    }
}

/// Removes what killed exports to the same target left behind: partial
/// outputs whose process is gone.
fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(prefix)
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() as i32 || !alive(pid) {
            let _ = remove(&entry.path());
        }
    }
}

#[cfg(unix)]
fn alive(pid: i32) -> bool {
    // SAFETY: signal 0 only asks whether the process exists.
    unsafe { libc::kill(pid, 0) == 0 }
}

#[cfg(not(unix))]
fn alive(_pid: i32) -> bool {
    true
}

fn remove(path: &Path) -> std::io::Result<()> {
    match path.symlink_metadata() {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) => Err(e),
    }
}

/// What each format does with the interviews, one at a time.
trait Sink {
    fn item(&mut self, item: &Item) -> std::io::Result<()>;
    /// Writes what needs every item (an index) and flushes.
    fn finish(self: Box<Self>) -> std::io::Result<()>;
}

/// Writes the export of the study in `req.filters` from `store`.
/// `progress(done, total)` is called after each interview; setting
/// `cancel` stops at the next interview and leaves nothing behind.
pub fn export(
    store: &Store,
    req: &Request,
    cancel: &AtomicBool,
    progress: &dyn Fn(usize, usize),
) -> Result<Written, ExportError> {
    let shape = req.shape();
    let out = check_target(&req.out, shape, req.force)?;
    let study_id = &req.filters.study_id;
    let study = store
        .study_detail(study_id)?
        .unwrap_or_else(|| StudyDetail {
            id: study_id.clone(),
            ..StudyDetail::default()
        });
    let marks = store.marks_of_study(study_id)?;
    let total = store.count(&req.filters)? as usize;
    let to_stdout = is_stdout(&out);
    let staging = if to_stdout {
        None
    } else {
        Some(Staging::new(&out, !shape.is_file())?)
    };
    let tmp = staging
        .as_ref()
        .map_or_else(|| out.clone(), |s| s.tmp.clone());
    let fail = io_error(&req.out);
    let mut sink: Box<dyn Sink> = match (req.format, req.table) {
        (Format::Markdown, _) => Box::new(markdown::Sink::new(&tmp, &study, req.text)),
        (Format::Csv, None) => Box::new(table::Sink::new(&tmp, &study, req.text).map_err(&fail)?),
        (Format::Csv, Some(which)) => {
            let out: Box<dyn std::io::Write> = if to_stdout {
                Box::new(std::io::BufWriter::new(std::io::stdout()))
            } else {
                Box::new(files::create(&tmp).map_err(&fail)?)
            };
            Box::new(table::Sink::one(which, out, req.text).map_err(&fail)?)
        }
        (Format::Jsonl, _) if to_stdout => Box::new(lines::Sink::jsonl_stdout()),
        (Format::Jsonl, _) => Box::new(lines::Sink::jsonl(&tmp).map_err(&fail)?),
        (Format::Snapshot, _) => Box::new(lines::Sink::snapshot(&tmp, &study).map_err(&fail)?),
        (Format::Report, _) => {
            return Err(ExportError::Target(
                "a report is written by `uj report`, not `uj export`".into(),
            ));
        }
        (Format::Qdpx, _) => {
            let coding = coding_of(store, req)?;
            Box::new(
                qdpx::Sink::new(
                    &tmp,
                    &study,
                    req.text,
                    coding,
                    Box::new(|m| eprintln!("warning: {}", crate::text::sanitize_line(m))),
                )
                .map_err(&fail)?,
            )
        }
    };
    // A query (words, field terms) is answered by the store once: the ids
    // it keeps.
    let only: Option<std::collections::HashSet<String>> = match &req.query {
        Some(_) => {
            let query = store.materialize_search(&list_query(req))?;
            Some(
                store
                    .window(&query, 0, usize::MAX >> 1)?
                    .into_iter()
                    .map(|i| i.id)
                    .collect(),
            )
        }
        None => None,
    };
    let mut after: Option<String> = None;
    let mut done = 0usize;
    let mut written = 0usize;
    loop {
        let rows = store.interviews(&req.filters, after.as_deref(), 200)?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id.clone());
        for row in rows {
            if cancel.load(Ordering::SeqCst) {
                return Err(ExportError::Interrupted(req.out.display().to_string()));
            }
            done += 1;
            let m = marks.get(&row.id);
            let language_kept = req
                .language
                .as_deref()
                .is_none_or(|l| row.language.as_deref() == Some(l));
            let queried = only.as_ref().is_none_or(|ids| ids.contains(&row.id));
            if !req.marks.keeps(m) || !language_kept || !queried {
                progress(done, total);
                continue;
            }
            let stored = store.detail(&row.id)?;
            let item = Item {
                has_detail: stored.is_some(),
                detail: stored.map_or_else(
                    || InterviewDetail {
                        interview: row.clone(),
                        ..InterviewDetail::default()
                    },
                    |s| s.detail,
                ),
                marks: m.cloned(),
            };
            sink.item(&item).map_err(io_error(&req.out))?;
            written += 1;
            crate::crash::wrote();
            progress(done, total);
        }
    }
    sink.finish().map_err(io_error(&req.out))?;
    let Some(staging) = staging else {
        return Ok(Written {
            interviews: written,
            bytes: 0,
        });
    };
    if !shape.is_file() {
        target::write_marker(&tmp, shape).map_err(io_error(&req.out))?;
    }
    let bytes = size_of(&tmp);
    staging.commit(shape, req.force)?;
    Ok(Written {
        interviews: written,
        bytes,
    })
}

/// The list query an export's filters and query make.
fn list_query(req: &Request) -> crate::store::ListQuery {
    let parsed = req.query.as_deref().map(crate::store::query::parse);
    crate::store::ListQuery {
        marks: req.marks.clone(),
        language: req.language.clone(),
        search: parsed
            .as_ref()
            .map(|p| p.text.clone())
            .filter(|t| !t.trim().is_empty()),
        filter: parsed.and_then(|p| p.filter),
        ..crate::store::ListQuery::from(req.filters.clone())
    }
}

/// The codebook and the highlights of the interviews an export carries.
fn coding_of(store: &Store, req: &Request) -> Result<qdpx::Coding, ExportError> {
    let study = &req.filters.study_id;
    let query = list_query(req);
    let mut highlights: std::collections::HashMap<String, Vec<crate::store::Highlight>> =
        std::collections::HashMap::new();
    let mut gone = 0;
    for e in store.evidence(&query, None)? {
        if !e.in_api {
            gone += 1;
        }
        highlights
            .entry(e.highlight.interview_id.clone())
            .or_default()
            .push(e.highlight);
    }
    for list in highlights.values_mut() {
        list.sort_by_key(|h| (h.message, h.start, h.id));
    }
    Ok(qdpx::Coding {
        codes: crate::store::CodeTree::new(store.codes(study)?),
        highlights,
        user_guid: store.origin(),
        user_name: std::env::var("USER")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "uj user".into()),
        gone,
    })
}

fn size_of(path: &Path) -> u64 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => std::fs::read_dir(path)
            .map(|entries| entries.flatten().map(|e| size_of(&e.path())).sum())
            .unwrap_or(0),
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}
