//! The one engine that mirrors studies into the store, for `uj sync` and
//! the browser alike.
//!
//! A sync walks the study's list (100 a page) and commits each page in its
//! own transaction; beside the walk, up to `concurrency` workers fetch the
//! details the pages call for (new interviews, changed ones, and those not
//! yet `completed`) and commit each on its own. A walk that reaches the
//! end removes what it no longer found. A killed sync loses nothing that
//! was committed, and the next one picks up what is missing. Rules and
//! their reasons: `docs/store.md`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde::Serialize;
use thiserror::Error;
use tokio::sync::mpsc;

use crate::api::source::MAX_LIMIT;
use crate::api::walk::{CursorWalk, WalkState};
use crate::api::{ApiError, InterviewFilters, SharedSource};
use crate::store::{SharedStore, StoreError, with_store};

/// How a sync runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncOptions {
    /// Detail requests in flight at once (at least 1).
    pub concurrency: usize,
    /// Fetch details at all (the browser without `background_sync` walks
    /// the list only and fetches what the user opens).
    pub details: bool,
    /// Fetch every transcript again (`uj sync --full`), not only what can
    /// have changed ([`crate::store::Refetch`]).
    pub full: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            concurrency: crate::config::DEFAULT_SYNC_CONCURRENCY,
            details: true,
            full: false,
        }
    }
}

/// What one study's sync did (`uj sync --json` prints this).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub study_id: String,
    /// The study's name, once its detail arrived.
    pub name: Option<String>,
    pub new: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub details_fetched: u64,
    pub failed: u64,
    pub seconds: f64,
    /// The walk reached the end of the list.
    pub complete: bool,
    /// Why the walk stopped early, or what failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// Progress, as it happens.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// The study's detail arrived: its name and how many interviews to expect.
    Started {
        study_id: String,
        name: Option<String>,
        total: Option<u64>,
    },
    /// A page was committed; `listed` interviews walked so far.
    Listed { study_id: String, listed: u64 },
    /// Of the `listed` interviews the walk has found, `stored` have their
    /// transcript stored and current; `fetched` of them by this sync. The
    /// honest count: it never claims more than is stored.
    Transcripts {
        study_id: String,
        stored: u64,
        listed: u64,
        fetched: u64,
    },
    /// The walk reached the end of the list: every interview is listed
    /// (transcripts may still be coming).
    Walked { study_id: String },
}

/// Why a sync could not go on.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SyncError {
    #[error("{0}")]
    Api(#[from] ApiError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// A server that stopped answering ends the sync: after this many
/// connection failures in a row (each already retried), or this long with
/// no request that succeeded.
pub const DEAD_AFTER_FAILURES: u32 = 5;
pub const DEAD_AFTER: Duration = Duration::from_secs(60);

/// Watches a sync's requests and says when the server is gone, so the
/// walk and the workers stop instead of retrying every interview.
struct Breaker {
    failures: AtomicU32,
    last_ok: Mutex<tokio::time::Instant>,
    tripped: AtomicBool,
    /// The connection failure that tripped it.
    why: Mutex<Option<ApiError>>,
}

impl Breaker {
    fn new() -> Self {
        Breaker {
            failures: AtomicU32::new(0),
            last_ok: Mutex::new(tokio::time::Instant::now()),
            tripped: AtomicBool::new(false),
            why: Mutex::new(None),
        }
    }

    fn ok(&self) {
        self.failures.store(0, Ordering::SeqCst);
        *self.last_ok.lock().unwrap_or_else(|p| p.into_inner()) = tokio::time::Instant::now();
    }

    /// Counts a failed request; only a connection failure (the server
    /// unreachable or silent) counts towards giving up.
    fn failed(&self, e: &ApiError) {
        if !e.is_unreachable() {
            return;
        }
        let n = self.failures.fetch_add(1, Ordering::SeqCst) + 1;
        let quiet = self
            .last_ok
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .elapsed();
        if n >= DEAD_AFTER_FAILURES || quiet >= DEAD_AFTER {
            self.why
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert_with(|| e.clone());
            self.tripped.store(true, Ordering::SeqCst);
        }
    }

    fn tripped(&self) -> bool {
        self.tripped.load(Ordering::SeqCst)
    }

    fn why(&self) -> Option<ApiError> {
        self.why.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// The running tally of a sync, readable while it runs and after it was
/// stopped (Ctrl-c in `uj sync` still prints what was done).
pub struct Tally {
    summary: Mutex<Summary>,
    started: Instant,
    on_progress: Box<dyn Fn(Progress) + Send + Sync>,
    /// Interviews listed so far, and how many of them have a current
    /// transcript stored.
    listed: std::sync::atomic::AtomicU64,
    stored: std::sync::atomic::AtomicU64,
}

impl Tally {
    pub fn new(study_id: &str, on_progress: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        Tally {
            summary: Mutex::new(Summary {
                study_id: study_id.to_string(),
                ..Summary::default()
            }),
            started: Instant::now(),
            on_progress: Box::new(on_progress),
            listed: Default::default(),
            stored: Default::default(),
        }
    }

    /// Counts a page (its rows, and those already holding a current
    /// transcript) or a fetched transcript, and reports the totals.
    fn transcripts(&self, study_id: &str, listed: u64, stored: u64) {
        let listed = self.listed.fetch_add(listed, Ordering::SeqCst) + listed;
        let stored = self.stored.fetch_add(stored, Ordering::SeqCst) + stored;
        let fetched = self.lock().details_fetched;
        self.report(Progress::Transcripts {
            study_id: study_id.to_string(),
            stored,
            listed,
            fetched,
        });
    }

    /// The summary so far, with the time taken.
    pub fn summary(&self) -> Summary {
        let mut s = self.lock().clone();
        s.seconds = (self.started.elapsed().as_secs_f64() * 100.0).round() / 100.0;
        s
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Summary> {
        self.summary.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn report(&self, p: Progress) {
        (self.on_progress)(p);
    }
}

/// Mirrors one study. Details are fetched beside the walk; an error of
/// the walk ends it (after the details already queued), while a detail
/// that fails is counted and left for the next sync.
pub async fn sync_study(
    source: &SharedSource,
    store: &SharedStore,
    study_id: &str,
    options: SyncOptions,
    tally: &Tally,
) -> Result<(), SyncError> {
    let id = study_id.to_string();
    let walk = with_store(store, move |s| s.begin_walk(&id)).await?;
    // The study's detail (name, total) comes beside the first page, not
    // before it: the first rows must not wait for it.
    let detail = async {
        let study = source.get_study(study_id).await?;
        tally.lock().name = study.name.clone();
        tally.report(Progress::Started {
            study_id: study_id.to_string(),
            name: study.name.clone(),
            total: study.interview_count,
        });
        with_store(store, move |s| s.put_study_detail(&study)).await?;
        Ok::<(), SyncError>(())
    };
    let (queue, queued) = mpsc::unbounded_channel::<(String, String)>();
    let breaker = Breaker::new();
    let run = Run {
        source,
        store,
        study_id,
        tally,
        breaker: &breaker,
    };
    let walker = walk_list(&run, walk, queue, options);
    let fetcher = fetch_details(&run, queued, options.concurrency);
    let (detail, walked, ()) = tokio::join!(detail, walker, fetcher);
    if let Some(e) = breaker.why() {
        // The server is gone: say so, with what was done kept.
        let mut sum = tally.lock();
        sum.warning = Some(format!(
            "the server stopped answering ({e}); the sync stopped, and what was fetched is stored"
        ));
        return Err(SyncError::Api(e));
    }
    let walked = walked?;
    detail?;
    match walked {
        WalkState::Done => {
            let id = study_id.to_string();
            let removed = with_store(store, move |s| s.finish_walk(&id, walk)).await?;
            let mut sum = tally.lock();
            sum.removed = removed;
            sum.complete = true;
        }
        WalkState::Stopped(why) => tally.lock().warning = Some(why.to_string()),
        WalkState::More => {}
    }
    Ok(())
}

/// What the walk and the detail workers of one sync share.
struct Run<'a> {
    source: &'a SharedSource,
    store: &'a SharedStore,
    study_id: &'a str,
    tally: &'a Tally,
    breaker: &'a Breaker,
}

/// Walks the list, committing page by page and queueing the details each
/// page calls for.
async fn walk_list(
    run: &Run<'_>,
    walk: i64,
    queue: mpsc::UnboundedSender<(String, String)>,
    options: SyncOptions,
) -> Result<WalkState, SyncError> {
    let details = options.details;
    let Run {
        source,
        store,
        study_id,
        tally,
        breaker,
    } = *run;
    let filters = InterviewFilters::for_study(study_id);
    let mut cursor = CursorWalk::default();
    let mut position: i64 = 0;
    let fetch = |cursor: Option<String>| {
        let filters = filters.clone();
        async move {
            let page = source
                .list_interviews(&filters, cursor.as_deref(), Some(MAX_LIMIT))
                .await;
            match &page {
                Ok(_) => breaker.ok(),
                Err(e) => breaker.failed(e),
            }
            page
        }
    };
    // The next page is asked for while this one is committed: the walk
    // costs the requests alone, and pages still commit one after another.
    let mut next = match cursor.has_more() {
        true => Some(fetch(None).await),
        false => None,
    };
    while let Some(page) = next.take() {
        let page = page?;
        let rows = cursor.accept(page);
        let first = position;
        position += rows.len() as i64;
        let id = study_id.to_string();
        let refetch = crate::store::Refetch {
            full: options.full,
            now: chrono::Utc::now(),
            details_follow: options.details,
        };
        let write = with_store(store, move |s| {
            s.apply_page_with(&id, walk, first, &rows, &refetch)
        });
        let more = cursor
            .has_more()
            .then(|| cursor.cursor().map(str::to_string));
        let ahead = async {
            match more {
                Some(at) => Some(fetch(at).await),
                None => None,
            }
        };
        let (outcome, page) = tokio::join!(write, ahead);
        next = page;
        let outcome = outcome?;
        {
            let mut sum = tally.lock();
            sum.new += outcome.new;
            sum.updated += outcome.updated;
            sum.unchanged += outcome.unchanged;
        }
        let page_rows = outcome.new + outcome.updated + outcome.unchanged;
        let asked = outcome.need_detail.len() as u64;
        if details {
            for need in outcome.need_detail {
                // The fetcher ends only after the walk: the send cannot fail.
                let _ = queue.send(need);
            }
        }
        tally.report(Progress::Listed {
            study_id: study_id.to_string(),
            listed: position as u64,
        });
        tally.transcripts(study_id, page_rows, page_rows - asked);
    }
    if matches!(cursor.state(), WalkState::Done) {
        tally.report(Progress::Walked {
            study_id: study_id.to_string(),
        });
    }
    Ok(cursor.state().clone())
}

/// Most details one transaction commits.
const GROUP: usize = 64;

/// Fetches details from the queue, `concurrency` at a time, until the walk
/// closes the queue; one writer commits them, those that arrived while
/// the last group was written together (at low latency one commit each
/// made the sync 1.25× a client that stores nothing; BENCHMARKS.md).
async fn fetch_details(
    run: &Run<'_>,
    queued: mpsc::UnboundedReceiver<(String, String)>,
    concurrency: usize,
) {
    let Run {
        source, breaker, ..
    } = *run;
    let (fetched, mut to_write) = mpsc::channel::<Fetched>(GROUP);
    let items = futures::stream::unfold(queued, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let fetchers = async move {
        items
            .for_each_concurrent(concurrency.max(1), |(id, list_json)| {
                let fetched = fetched.clone();
                async move {
                    if breaker.tripped() {
                        // The server is gone: left for the next sync,
                        // found by its header meanwhile.
                        not_fetched(run, id, None).await;
                        return;
                    }
                    match source.get_interview(&id).await {
                        Ok(detail) => {
                            breaker.ok();
                            let _ = fetched.send(Fetched { detail, list_json }).await;
                        }
                        Err(e) => {
                            breaker.failed(&e);
                            not_fetched(run, id, Some(SyncError::from(e))).await;
                        }
                    }
                }
            })
            .await;
    };
    let writer = async {
        while let Some(first) = to_write.recv().await {
            let mut group = vec![first];
            while group.len() < GROUP {
                match to_write.try_recv() {
                    Ok(more) => group.push(more),
                    Err(_) => break,
                }
            }
            write_group(run, group).await;
        }
    };
    tokio::join!(fetchers, writer);
}

/// A detail fetched, with the list object it was fetched for.
struct Fetched {
    detail: crate::api::model::InterviewDetail,
    list_json: String,
}

/// Commits a group of details in one transaction and counts them.
async fn write_group(run: &Run<'_>, group: Vec<Fetched>) {
    let ids: Vec<String> = group
        .iter()
        .map(|f| f.detail.interview.id.clone())
        .collect();
    let written = with_store(run.store, move |s| {
        let items: Vec<_> = group
            .iter()
            .map(|f| (&f.detail, Some(f.list_json.as_str())))
            .collect();
        s.put_details(&items)
    })
    .await;
    match written {
        Ok(_) => {
            run.tally.lock().details_fetched += ids.len() as u64;
            run.tally.transcripts(run.study_id, 0, ids.len() as u64);
        }
        Err(e) => {
            let e = SyncError::from(e);
            for id in ids {
                note_failure(run.tally, &id, &e);
            }
        }
    }
}

/// A detail asked for and not fetched: counted (unless the server was
/// already gone), and its interview indexed as stored, since the page left
/// its indexing to the detail.
async fn not_fetched(run: &Run<'_>, id: String, error: Option<SyncError>) {
    if let Some(e) = &error {
        note_failure(run.tally, &id, e);
    }
    if let Err(e) = with_store(run.store, move |s| s.index_as_stored(&id)).await {
        tracing::warn!(error = %e, "interview not indexed");
    }
}

fn note_failure(tally: &Tally, id: &str, e: &SyncError) {
    let mut sum = tally.lock();
    sum.failed += 1;
    tracing::warn!(interview = %id, error = %e, "detail not fetched");
    if sum.warning.is_none() {
        sum.warning = Some(format!("interview {id}: {e}"));
    }
}

/// How a sync of the open study ended.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncEnd {
    Done(Summary),
    /// The API could not be reached: the store is all there is.
    Unreachable(String),
    /// The API does not know the study (a wrong id, or one removed): only
    /// another study helps, not a retry.
    Unknown(String),
    Failed(String),
}
