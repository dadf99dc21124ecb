//! `uj export`: a study from the store to files for reports, spreadsheets
//! and colleagues. Output is written beside the target under a hidden name
//! and renamed into place at the end, so an interrupted or killed export
//! never leaves a half-written `PATH`. Formats and columns: `docs/export.md`.

mod lines;
mod markdown;
mod table;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use thiserror::Error;

use crate::api::InterviewFilters;
use crate::api::model::{InterviewDetail, StudyDetail};
use crate::store::{MarkFilters, Marks, Store, StoreError};

pub use markdown::{escape as escape_markdown, file_name, interview_markdown};
pub use table::spreadsheet_safe;

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
}

/// One export.
#[derive(Debug, Clone)]
pub struct Request {
    pub filters: InterviewFilters,
    pub marks: MarkFilters,
    /// English where a translation exists (Markdown and CSV; JSON Lines and
    /// snapshots always carry both texts).
    pub translated: bool,
    pub format: Format,
    pub out: PathBuf,
    /// Replace an existing `out`.
    pub force: bool,
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

/// Checks the target before any work: its directory must exist and it
/// must not, unless `force`.
pub fn check_target(out: &Path, force: bool) -> Result<(), ExportError> {
    let parent = parent_of(out);
    if parent.exists() && !parent.is_dir() {
        return Err(ExportError::Target(format!(
            "{} is not a directory: choose another --out",
            parent.display()
        )));
    }
    if !parent.is_dir() {
        return Err(ExportError::Target(format!(
            "the directory {} does not exist: create it first, or choose another --out",
            parent.display()
        )));
    }
    if out.symlink_metadata().is_ok() && !force {
        return Err(ExportError::Target(format!(
            "{} already exists: choose another --out, or add --force to replace it",
            out.display()
        )));
    }
    Ok(())
}

fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
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
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "export".into());
        let prefix = format!(".{name}.uj-partial-");
        remove_stale(&parent_of(target), &prefix);
        let tmp = parent_of(target).join(format!("{prefix}{}", std::process::id()));
        if dir {
            std::fs::create_dir(&tmp).map_err(io_error(target))?;
        }
        Ok(Staging {
            tmp,
            target: target.to_path_buf(),
            done: false,
        })
    }

    /// Moves the staged output into place (replacing the target when
    /// `force` allowed it).
    fn commit(mut self, force: bool) -> Result<(), ExportError> {
        let target = self.target.clone();
        if target.symlink_metadata().is_ok() {
            if !force {
                return Err(ExportError::Target(format!(
                    "{} appeared while exporting: choose another --out, or add --force",
                    target.display()
                )));
            }
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
    check_target(&req.out, req.force)?;
    let study_id = &req.filters.study_id;
    let study = store
        .study_detail(study_id)?
        .unwrap_or_else(|| StudyDetail {
            id: study_id.clone(),
            ..StudyDetail::default()
        });
    let marks = store.marks_of_study(study_id)?;
    let total = store.count(&req.filters)? as usize;
    let staging = Staging::new(&req.out, req.format != Format::Jsonl)?;
    let tmp = staging.tmp.clone();
    let mut sink: Box<dyn Sink> = match req.format {
        Format::Markdown => Box::new(markdown::Sink::new(&tmp, &study, req.translated)),
        Format::Csv => {
            Box::new(table::Sink::new(&tmp, &study, req.translated).map_err(io_error(&req.out))?)
        }
        Format::Jsonl => Box::new(lines::Sink::jsonl(&tmp).map_err(io_error(&req.out))?),
        Format::Snapshot => {
            Box::new(lines::Sink::snapshot(&tmp, &study).map_err(io_error(&req.out))?)
        }
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
            if !req.marks.keeps(m) {
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
    let bytes = size_of(&tmp);
    staging.commit(req.force)?;
    Ok(Written {
        interviews: written,
        bytes,
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
