//! JSON Lines and snapshots: the API's objects as they are (both texts of
//! every message), one interview per line; JSON Lines add a `marks` object.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::Item;
use crate::api::model::StudyDetail;
use crate::api::snapshot::{INTERVIEWS_FILE, STUDIES_FILE};
use crate::output::json_line;

pub struct Sink {
    lines: BufWriter<Box<dyn Write>>,
    /// The file behind `lines`, flushed to disk at the end (none for
    /// standard output).
    file: Option<File>,
    with_marks: bool,
}

fn encode<T: serde::Serialize>(value: &T) -> std::io::Result<String> {
    json_line(value).map_err(std::io::Error::other)
}

impl Sink {
    /// One file of interviews with their marks.
    pub fn jsonl(path: &Path) -> std::io::Result<Sink> {
        let file = super::files::create(path)?;
        Ok(Sink {
            lines: BufWriter::new(Box::new(file.try_clone()?)),
            file: Some(file),
            with_marks: true,
        })
    }

    /// Interviews with their marks to standard output.
    pub fn jsonl_stdout() -> Sink {
        Sink {
            lines: BufWriter::new(Box::new(std::io::stdout())),
            file: None,
            with_marks: true,
        }
    }

    /// A snapshot directory: `studies.json` now, `interviews.jsonl` line by
    /// line.
    pub fn snapshot(dir: &Path, study: &StudyDetail) -> std::io::Result<Sink> {
        super::files::write(&dir.join(STUDIES_FILE), encode(&[study])? + "\n")?;
        let file = super::files::create(&dir.join(INTERVIEWS_FILE))?;
        Ok(Sink {
            lines: BufWriter::new(Box::new(file.try_clone()?)),
            file: Some(file),
            with_marks: false,
        })
    }
}

impl super::Sink for Sink {
    fn item(&mut self, item: &Item) -> std::io::Result<()> {
        let mut line = encode(&item.detail)?;
        if self.with_marks {
            // The object's closing brace gives way to one more member
            // (cheaper than a round trip through serde_json::Value).
            let marks = encode(&item.marks.clone().unwrap_or_default())?;
            if line.ends_with('}') && line.len() > 2 {
                line.pop();
                line.push_str(",\"marks\":");
                line.push_str(&marks);
                line.push('}');
            }
        }
        self.lines.write_all(line.as_bytes())?;
        self.lines.write_all(b"\n")
    }

    fn finish(mut self: Box<Self>) -> std::io::Result<()> {
        self.lines.flush()?;
        match &self.file {
            Some(file) => file.sync_all(),
            None => Ok(()),
        }
    }
}
