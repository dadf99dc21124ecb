#![allow(dead_code)]

pub mod harness;
pub mod keys;
pub mod standin;
pub mod synthetic;
pub mod tmux;

use std::time::Duration;

use std::sync::Arc;

use uj::api::{ApiKey, HttpOptions, HttpSource, Source};
use uj::mirror::Mirror;
use uj::store::Store;
use uj::sync::SyncOptions;

pub const KEY: &str = "uj_live_canary_5f3a9c";

/// An HTTP source for the stand-in at `base`. Under tokio's paused clock
/// the runtime jumps to the next timer whenever it is idle, so a pending
/// connect/read timeout would fire while a real response is on its way:
/// tests that need an answer pass `with_timeouts = false`.
pub fn http_source(base: &str, key: &str, with_timeouts: bool) -> HttpSource {
    let mut options = HttpOptions::default();
    if !with_timeouts {
        options.connect_timeout = None;
        options.read_timeout = None;
        options.pool_idle_timeout = None;
    }
    HttpSource::new(base.parse().expect("url"), &ApiKey::new(key), options).expect("client")
}

/// The browser's reads over an in-memory store, filled from `source` by
/// the background sync (as `--demo` does); `details: false` leaves the
/// transcripts to be fetched when opened.
pub fn mirror_of(source: impl Source + 'static, details: bool) -> Mirror {
    Mirror::new(
        Store::in_memory().expect("store"),
        Some(Arc::new(source)),
        SyncOptions {
            concurrency: 4,
            details,
            full: false,
        },
    )
    .expect("mirror")
}

/// Stores a study's interviews with their transcripts, as a finished sync
/// leaves them: one walk, one page, every detail, the walk's end.
pub fn store_whole_study(store: &mut Store, study: &str, all: &[uj::api::model::InterviewDetail]) {
    let walk = store.begin_walk(study).expect("walk");
    let rows: Vec<_> = all.iter().map(|d| d.interview.clone()).collect();
    store.apply_page(study, walk, 0, &rows).expect("page");
    for d in all {
        store.put_detail(d, None).expect("detail");
    }
    store.finish_walk(study, walk).expect("finish");
}

/// A frame's text, row by row (each cell's symbol).
pub fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// A writer whose bytes a test can read back (logs, terminal output).
#[derive(Clone, Default)]
pub struct Capture(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Capture {
    pub fn bytes(&self) -> Vec<u8> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl std::io::Write for Capture {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether `program` is on the PATH; if not, says which package to
/// install so the test can return early (CI installs them all).
pub fn has(program: &str, package: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()));
    if !found {
        println!("skipped: install {package}");
    }
    found
}
