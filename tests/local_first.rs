//! Local-first in fact: the browser's reads never wait behind the sync's
//! writes, a dead server ends a sync, and commands read a stored study
//! when the network is gone.

mod support;

use std::sync::Arc;

use uj::api::{InterviewFilters, SnapshotSource};
use uj::mirror::Mirror;
use uj::store::{ListQuery, Store};
use uj::sync::SyncOptions;

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

/// A file store holding the demo's main study, with its transcripts.
fn stored(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("store.sqlite3");
    let demo = SnapshotSource::demo().expect("demo");
    let mut store = Store::open(&path).expect("store");
    let all = demo.interviews_of(MAIN);
    let rows: Vec<_> = all.iter().map(|d| d.interview.clone()).collect();
    let walk = store.begin_walk(MAIN).expect("walk");
    store.apply_page(MAIN, walk, 0, &rows).expect("page");
    for d in all {
        store.put_detail(d, None).expect("detail");
    }
    store.finish_walk(MAIN, walk).expect("finish");
    path
}

/// Holds the sync's connection inside an open write transaction (as while
/// it commits a page) until the sender is used; returns once it holds.
fn hold_the_writer(mirror: &Mirror) -> (std::sync::mpsc::Sender<()>, std::thread::JoinHandle<()>) {
    let writer = mirror.writer.clone();
    let (held, hold) = std::sync::mpsc::channel::<()>();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let sync = std::thread::spawn(move || {
        let guard = writer.lock().expect("lock");
        guard
            .connection()
            .execute_batch("BEGIN IMMEDIATE; UPDATE sync_state SET walk = walk;")
            .expect("write transaction");
        held.send(()).expect("say held");
        released.recv().expect("wait");
        guard.connection().execute_batch("COMMIT").expect("commit");
    });
    hold.recv().expect("held");
    (release, sync)
}

/// The sync holds its connection inside a write transaction (as while it
/// commits a page); the browser's window and transcript reads go through
/// their own connection and answer. With one shared connection they
/// waited for the sync's lock: this test would hang.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_never_wait_for_the_sync_s_write_transaction() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = stored(dir.path());
    let mirror = Mirror::new(
        Store::open(&path).expect("store"),
        None,
        SyncOptions::default(),
    )
    .expect("mirror");
    assert!(
        !Arc::ptr_eq(&mirror.store, &mirror.writer),
        "two connections"
    );
    let (release, sync) = hold_the_writer(&mirror);
    let query = ListQuery::from(InterviewFilters::for_study(MAIN));
    let read = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        let window = mirror.window(query, 0, 50, None).await;
        let first = window.as_ref().ok().and_then(|w| w.rows.first().cloned());
        let detail = match &first {
            Some(i) => Some(mirror.detail(&i.id, false).await),
            None => None,
        };
        (window, detail)
    })
    .await;
    release.send(()).expect("release");
    sync.join().expect("sync thread");
    let (window, detail) = read.expect("the reads answered while the write transaction was open");
    let window = window.expect("window");
    assert_eq!(window.total, 263);
    assert!(detail.expect("a first row").is_ok());
}

/// The interview the user opens, not stored yet, is fetched and shown
/// without waiting for the sync's connection (its write goes beside).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_open_interview_is_shown_before_it_is_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("store.sqlite3");
    let demo = SnapshotSource::demo().expect("demo");
    let rows: Vec<_> = demo
        .interviews_of(MAIN)
        .iter()
        .map(|d| d.interview.clone())
        .collect();
    {
        let mut store = Store::open(&path).expect("store");
        let walk = store.begin_walk(MAIN).expect("walk");
        store.apply_page(MAIN, walk, 0, &rows).expect("page");
    }
    let mirror = Mirror::new(
        Store::open(&path).expect("store"),
        Some(Arc::new(demo)),
        SyncOptions::default(),
    )
    .expect("mirror");
    let (release, sync) = hold_the_writer(&mirror);
    let id = rows[0].id.clone();
    let shown = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        mirror.detail(&id, false),
    )
    .await;
    release.send(()).expect("release");
    sync.join().expect("sync thread");
    let shown = shown.expect("shown while the sync held its connection");
    assert_eq!(shown.expect("fetched").interview.id, id);
}
