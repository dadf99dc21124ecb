//! What may stand at `--out`, and what `--force` may replace: only what
//! `uj export` itself would write. A file format replaces a regular file
//! (or the file a symlink points to); a directory format replaces a
//! directory whose `.uj-export` marker says an export of that format wrote
//! it and lists every entry in it. Anything else is refused, named, before
//! any work starts, and checked again just before the rename.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{ExportError, Shape};

/// The marker an exported directory carries: its first line names the
/// format, the others the entries the export wrote.
pub const MARKER: &str = ".uj-export";

/// The largest marker read (an export of 100,000 interviews lists about
/// 3 MB of names).
const MARKER_LIMIT: u64 = 64 * 1024 * 1024;

fn target_error(message: String) -> ExportError {
    ExportError::Target(message)
}

fn shown(path: &Path) -> String {
    crate::text::sanitize_line(&path.display().to_string()).into_owned()
}

/// Checks `out` before any work and returns where the export goes: `out`
/// itself, or the file a symlink at `out` points to.
pub fn check(out: &Path, format: Shape, force: bool) -> Result<PathBuf, ExportError> {
    check_parent(out)?;
    let Ok(meta) = out.symlink_metadata() else {
        return Ok(out.to_path_buf());
    };
    if !force {
        return Err(target_error(format!(
            "{} already exists: choose another --out, or add --force to replace it",
            shown(out)
        )));
    }
    refuse_special(out)?;
    if meta.file_type().is_symlink() {
        let real = std::fs::canonicalize(out).map_err(|e| {
            target_error(format!(
                "{} is a symlink that leads nowhere ({e}): remove it, or choose another --out",
                shown(out)
            ))
        })?;
        let points_to_file = real.metadata().is_ok_and(|m| m.is_file());
        if !(format.is_file() && points_to_file) {
            return Err(target_error(format!(
                "{} is a symlink to {}, which --force does not replace: a {} export replaces only {}; choose another --out",
                shown(out),
                shown(&real),
                format.name(),
                format.replaces()
            )));
        }
        return Ok(real);
    }
    replaceable(out, &meta, format)?;
    Ok(out.to_path_buf())
}

/// Checks again, just before the rename, that what stands at `target` is
/// still what `--force` may replace.
pub fn still_replaceable(target: &Path, format: Shape) -> Result<(), ExportError> {
    match target.symlink_metadata() {
        Ok(meta) => replaceable(target, &meta, format),
        Err(_) => Ok(()),
    }
}

fn check_parent(out: &Path) -> Result<(), ExportError> {
    let parent = parent_of(out);
    if parent.exists() && !parent.is_dir() {
        return Err(target_error(format!(
            "{} is not a directory: choose another --out",
            shown(&parent)
        )));
    }
    if !parent.is_dir() {
        return Err(target_error(format!(
            "the directory {} does not exist: create it first, or choose another --out",
            shown(&parent)
        )));
    }
    Ok(())
}

pub(super) fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `.`, `..`, `/`, the home directory and the working directory are never
/// an export's to replace, whatever they hold.
fn refuse_special(out: &Path) -> Result<(), ExportError> {
    let real = std::fs::canonicalize(out).ok();
    let same = |other: Option<PathBuf>| matches!((&real, other.and_then(|o| std::fs::canonicalize(o).ok())), (Some(a), Some(b)) if *a == b);
    let what = if out.file_name().is_none() || real.as_deref() == Some(Path::new("/")) {
        Some("a directory that is not an export's")
    } else if same(std::env::var_os("HOME").map(PathBuf::from)) {
        Some("your home directory")
    } else if same(std::env::current_dir().ok()) {
        Some("the current directory")
    } else {
        None
    };
    match what {
        Some(what) => Err(target_error(format!(
            "{} is {what}: --force replaces only what uj export wrote; choose another --out",
            shown(out)
        ))),
        None => Ok(()),
    }
}

fn replaceable(out: &Path, meta: &std::fs::Metadata, format: Shape) -> Result<(), ExportError> {
    let kind = meta.file_type();
    if kind.is_file() {
        if format.is_file() {
            return Ok(());
        }
        return Err(target_error(format!(
            "{} is a file, and a {} export writes a directory: --force replaces only {}; choose another --out",
            shown(out),
            format.name(),
            format.replaces()
        )));
    }
    if kind.is_dir() {
        if format.is_file() {
            return Err(target_error(format!(
                "{} is a directory, and a {} export writes one file: --force replaces only {}; choose a file name inside it",
                shown(out),
                format.name(),
                format.replaces()
            )));
        }
        return exported_directory(out, format);
    }
    Err(target_error(format!(
        "{} is {}, which --force never replaces: choose another --out",
        shown(out),
        special_kind(meta)
    )))
}

#[cfg(unix)]
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_meta: &std::fs::Metadata) -> &'static str {
    "not a regular file"
}

/// A directory `--force` may replace: its marker names `format` and lists
/// every entry in it.
fn exported_directory(dir: &Path, format: Shape) -> Result<(), ExportError> {
    let refuse = |why: String| {
        target_error(format!(
            "{} {why}: --force replaces only a directory an earlier `uj export --format {}` wrote; choose another --out",
            shown(dir),
            format.name()
        ))
    };
    let marker = dir.join(MARKER);
    let listed = match marker.symlink_metadata() {
        Ok(m) if m.is_file() && m.len() <= MARKER_LIMIT => std::fs::read_to_string(&marker)
            .map_err(|e| refuse(format!("has a {MARKER} marker that cannot be read ({e})")))?,
        _ => {
            return Err(refuse(format!(
                "is a directory that uj export did not write (no {MARKER} marker)"
            )));
        }
    };
    let mut lines = listed.lines();
    let header = lines.next().unwrap_or_default();
    if header != marker_header(format) {
        return Err(refuse(format!(
            "was written by another kind of export ({})",
            crate::text::sanitize_line(header)
        )));
    }
    let known: std::collections::HashSet<&str> = lines.collect();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| refuse(format!("cannot be read ({e})")))?
        .flatten();
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == MARKER {
            continue;
        }
        let plain = entry.file_type().is_ok_and(|t| t.is_file());
        if !plain || !known.contains(name.as_str()) {
            return Err(refuse(format!(
                "holds {}, which uj export did not write there",
                crate::text::sanitize_line(&name)
            )));
        }
    }
    Ok(())
}

fn marker_header(format: Shape) -> String {
    format!("uj export {}", format.name())
}

/// Writes the marker into a finished export directory, listing what is in
/// it.
pub fn write_marker(dir: &Path, format: Shape) -> std::io::Result<()> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != MARKER)
        .collect();
    names.sort();
    let mut text = marker_header(format);
    text.push('\n');
    for name in names {
        text.push_str(&name);
        text.push('\n');
    }
    let mut file = super::files::create(&dir.join(MARKER))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}
