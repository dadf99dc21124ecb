//! The sync engine against the stand-in server: a study mirrored as the
//! API has it, re-syncs that ask only for what changed, an API that
//! changes under a walk, a shared 429 pause, failures left for next time.

mod support;

use std::sync::Arc;
use std::time::Duration;

use support::standin::{Fault, StandIn};
use support::{KEY, http_source};
use uj::api::model::{InterviewDetail, Status, StudyDetail};
use uj::api::{InterviewFilters, SharedSource, SnapshotSource};
use uj::store::{SharedStore, Store};
use uj::sync::{Summary, SyncOptions, Tally, sync_study};

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";
const COURIER: &str = "8a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

fn demo() -> SnapshotSource {
    SnapshotSource::demo().expect("demo")
}

fn parts(s: &SnapshotSource) -> (Vec<StudyDetail>, Vec<InterviewDetail>) {
    let studies = s.studies().to_vec();
    let all = studies
        .iter()
        .flat_map(|st| s.interviews_of(&st.id).to_vec())
        .collect();
    (studies, all)
}

/// The demo with only the completed interviews of the courier study.
fn settled() -> SnapshotSource {
    let (studies, all) = parts(&demo());
    let kept = all
        .into_iter()
        .filter(|d| d.interview.status == Some(Status::Completed))
        .collect();
    SnapshotSource::from_parts(studies, kept)
}

async fn run(source: &SharedSource, store: &SharedStore, study: &str) -> Summary {
    let tally = Tally::new(study, |_| {});
    sync_study(source, store, study, SyncOptions::default(), &tally)
        .await
        .expect("sync");
    tally.summary()
}

/// The store's ids of a study in order, and how many details it holds.
fn stored(store: &SharedStore, study: &str) -> (Vec<String>, usize) {
    let s = store.lock().expect("lock");
    let ids: Vec<String> = s
        .interviews(&InterviewFilters::for_study(study), None, 100_000)
        .expect("read")
        .into_iter()
        .map(|i| i.id)
        .collect();
    let details = ids
        .iter()
        .filter(|id| s.detail(id).expect("read").is_some_and(|d| d.current))
        .count();
    (ids, details)
}

fn api_ids(source: &SnapshotSource, study: &str) -> Vec<String> {
    source
        .interviews_of(study)
        .iter()
        .map(|d| d.interview.id.clone())
        .collect()
}

fn detail_requests(server: &StandIn) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.starts_with("/interviews/"))
        .count()
}

#[tokio::test]
async fn a_sync_mirrors_the_study_and_a_second_asks_only_the_list() {
    let data = settled();
    let server = StandIn::start(data.clone(), KEY).await;
    let source: SharedSource = Arc::new(http_source(&server.base_url(), KEY, true));
    let store = Store::in_memory().expect("store").shared();

    let first = run(&source, &store, COURIER).await;
    let want = api_ids(&data, COURIER);
    assert_eq!(
        (first.new, first.details_fetched, first.failed),
        (27, 27, 0)
    );
    assert!(first.complete);
    assert_eq!(stored(&store, COURIER), (want.clone(), want.len()));
    assert_eq!(detail_requests(&server), 27);

    let before = server.requests().len();
    let second = run(&source, &store, COURIER).await;
    assert_eq!((second.new, second.updated, second.unchanged), (0, 0, 27));
    assert_eq!(second.details_fetched, 0);
    let asked: Vec<String> = server.requests()[before..].to_vec();
    assert!(
        asked.iter().all(|r| !r.starts_with("/interviews/")),
        "a re-sync of an unchanged study asks only for lists: {asked:?}"
    );
}

#[tokio::test]
async fn live_interviews_wait_for_their_backoff_and_full_fetches_all() {
    let data = demo();
    let server = StandIn::start(data.clone(), KEY).await;
    let source: SharedSource = Arc::new(http_source(&server.base_url(), KEY, true));
    let store = Store::in_memory().expect("store").shared();
    run(&source, &store, COURIER).await;
    // The demo's live interviews started weeks ago and were just fetched:
    // a second sync asks for the lists only.
    let before = detail_requests(&server);
    let again = run(&source, &store, COURIER).await;
    assert_eq!(again.details_fetched, 0);
    assert_eq!(detail_requests(&server), before);
    // --full: every transcript again.
    let tally = Tally::new(COURIER, |_| {});
    let full = SyncOptions {
        full: true,
        ..SyncOptions::default()
    };
    sync_study(&source, &store, COURIER, full, &tally)
        .await
        .expect("sync");
    let all = data.interviews_of(COURIER).len();
    assert_eq!(tally.summary().details_fetched as usize, all);
    assert_eq!(detail_requests(&server) - before, all);
}

#[tokio::test]
async fn the_api_changing_under_a_sync_converges() {
    let data = demo();
    let server = StandIn::start(data.clone(), KEY).await;
    let source: SharedSource = Arc::new(http_source(&server.base_url(), KEY, true));
    let store = Store::in_memory().expect("store").shared();
    run(&source, &store, MAIN).await;

    // The API moves on: one interview added at the top, one removed from
    // the second page, one started interview completes.
    let (studies, mut all) = parts(&data);
    let main: Vec<usize> = (0..all.len())
        .filter(|&n| all[n].interview.study_id.as_deref() == Some(MAIN))
        .collect();
    let removed = all[main[150]].interview.id.clone();
    let flip = main
        .iter()
        .copied()
        .find(|&n| all[n].interview.status == Some(Status::Started))
        .expect("a started interview");
    let flipped = all[flip].interview.id.clone();
    all[flip].interview.status = Some(Status::Completed);
    all[flip].interview.headline = Some("Finished after all".into());
    let mut added = all[main[0]].clone();
    added.interview.id = "00000000-0000-4000-8000-00000000add1".into();
    all.retain(|d| d.interview.id != removed);
    all.insert(main[0], added.clone());
    let changed = SnapshotSource::from_parts(studies, all);
    {
        let s = store.lock().expect("lock");
        s.connection()
            .execute(
                "INSERT INTO marks (interview_id, study_id, reviewed, updated_at) VALUES (?1, ?2, 1, 'now')",
                rusqlite::params![removed, MAIN],
            )
            .expect("mark");
    }

    // The change lands after the second sync's first list page.
    let n = server.requests().len();
    server.set_source_at(n + 3, changed.clone());
    let during = run(&source, &store, MAIN).await;
    assert!(during.complete);
    let after = run(&source, &store, MAIN).await;
    assert!(after.complete);
    let want = api_ids(&changed, MAIN);
    let (ids, details) = stored(&store, MAIN);
    assert_eq!(ids, want, "the store converges to the API, in its order");
    assert_eq!(details, want.len(), "every detail is current");
    let s = store.lock().expect("lock");
    let flipped = s.detail(&flipped).expect("read").expect("stored");
    assert_eq!(flipped.detail.interview.status, Some(Status::Completed));
    assert!(flipped.current);
    let marks: i64 = s
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM marks WHERE interview_id = ?1",
            [&removed],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(marks, 1, "the removed interview's mark stays");
}

#[tokio::test(start_paused = true)]
async fn a_429_pauses_every_worker_for_its_retry_after() {
    let data = settled();
    let server = StandIn::start(data.clone(), KEY).await;
    let source: SharedSource = Arc::new(http_source(&server.base_url(), KEY, false));
    let store = Store::in_memory().expect("store").shared();
    // With latency, workers that ignored the pause would ask again inside it.
    server.set_latency(Duration::from_millis(100));
    server.push_faults_on(
        "/interviews/",
        [Fault::Status {
            status: 429,
            body: r#"{"error":"slow down"}"#.into(),
            retry_after: Some("5".into()),
        }],
    );
    let summary = run(&source, &store, COURIER).await;
    assert_eq!((summary.details_fetched, summary.failed), (27, 0));
    let requests = server.requests();
    let times = server.request_times();
    let limited = requests
        .iter()
        .position(|r| r.starts_with("/interviews/"))
        .expect("a detail request");
    let t0 = times[limited];
    let pause = Duration::from_secs(5);
    for (r, t) in requests.iter().zip(&times).skip(limited + 1) {
        assert!(
            *t == t0 || *t >= t0 + pause,
            "{r} went out {:?} after the 429, inside its Retry-After",
            *t - t0
        );
    }
    assert!(
        times.iter().any(|t| *t >= t0 + pause),
        "the work went on after the pause"
    );
}

/// A server that rate-limits every 4th request: every worker waits out
/// its Retry-After, nothing counts as failed, and the sync stores all.
#[tokio::test(start_paused = true)]
async fn a_server_that_rate_limits_often_still_gets_everything_stored() {
    let data = demo();
    let server = StandIn::start(data.clone(), KEY).await;
    let source: SharedSource = Arc::new(http_source(&server.base_url(), KEY, false));
    let store = Store::in_memory().expect("store").shared();
    server.fail_every(
        4,
        Fault::Status {
            status: 429,
            body: r#"{"error":{"message":"Too many requests"}}"#.into(),
            retry_after: Some("2".into()),
        },
    );
    let summary = run(&source, &store, MAIN).await;
    assert_eq!(summary.failed, 0, "{:?}", summary.warning);
    assert!(summary.complete);
    let want = api_ids(&data, MAIN);
    assert_eq!(stored(&store, MAIN), (want.clone(), want.len()));
}

#[tokio::test(start_paused = true)]
async fn a_failed_detail_is_counted_and_fetched_next_time() {
    let data = settled();
    let server = StandIn::start(data.clone(), KEY).await;
    let source: SharedSource = Arc::new(http_source(&server.base_url(), KEY, false));
    let store = Store::in_memory().expect("store").shared();
    let victim = api_ids(&data, COURIER)[5].clone();
    let fault = Fault::Status {
        status: 503,
        body: String::new(),
        retry_after: None,
    };
    server.push_faults_on(&format!("/interviews/{victim}"), vec![fault; 3]);
    let first = run(&source, &store, COURIER).await;
    assert_eq!((first.details_fetched, first.failed), (26, 1));
    assert!(
        first
            .warning
            .as_deref()
            .is_some_and(|w| w.contains(&victim))
    );
    let second = run(&source, &store, COURIER).await;
    assert_eq!((second.details_fetched, second.failed), (1, 0));
    assert_eq!(stored(&store, COURIER).1, 27);
}

#[tokio::test]
async fn a_walk_the_server_breaks_removes_nothing() {
    let data = demo();
    let server = StandIn::start(data.clone(), KEY).await;
    let source: SharedSource = Arc::new(http_source(&server.base_url(), KEY, true));
    let store = Store::in_memory().expect("store").shared();
    run(&source, &store, MAIN).await;
    server.ignore_cursor(true);
    let broken = run(&source, &store, MAIN).await;
    assert!(!broken.complete);
    assert!(
        broken
            .warning
            .as_deref()
            .is_some_and(|w| w.contains("paging stopped"))
    );
    assert_eq!(broken.removed, 0);
    assert_eq!(stored(&store, MAIN).0, api_ids(&data, MAIN));
}

#[tokio::test]
async fn a_list_error_ends_the_sync_and_keeps_what_was_stored() {
    let data = demo();
    let server = StandIn::start(data.clone(), KEY).await;
    let source: SharedSource = Arc::new(http_source(&server.base_url(), KEY, true));
    let store = Store::in_memory().expect("store").shared();
    // The first page is fine; the second is an HTML page (not retried).
    let tally = Tally::new(MAIN, |_| {});
    server.push_faults_on(
        "/interviews?limit=100&starting_after=",
        [Fault::Body("<html>".into())],
    );
    let err = sync_study(&source, &store, MAIN, SyncOptions::default(), &tally)
        .await
        .expect_err("the walk fails");
    assert!(err.to_string().contains("HTML"), "{err}");
    let summary = tally.summary();
    assert!(!summary.complete);
    assert_eq!(summary.new, 100, "the first page is kept");
    assert_eq!(stored(&store, MAIN).0.len(), 100);
}

/// A browser's background sync and a `uj sync` of one study at once
/// (interleaved page by page): no row either one saw is lost, and a later
/// sync removes what the API no longer has.
#[tokio::test]
async fn two_syncs_of_one_study_at_once_lose_nothing() {
    let data = demo();
    let server = StandIn::start(data.clone(), KEY).await;
    let source: SharedSource = Arc::new(http_source(&server.base_url(), KEY, true));
    let store = Store::in_memory().expect("store").shared();
    let (a, b) = (Tally::new(MAIN, |_| {}), Tally::new(MAIN, |_| {}));
    let options = SyncOptions {
        concurrency: 2,
        details: true,
        full: false,
    };
    let (ra, rb) = tokio::join!(
        sync_study(&source, &store, MAIN, options, &a),
        sync_study(&source, &store, MAIN, options, &b),
    );
    ra.expect("first");
    rb.expect("second");
    let want = api_ids(&data, MAIN);
    assert_eq!(stored(&store, MAIN), (want.clone(), want.len()));

    // And the next one still removes what is gone.
    let (studies, mut all) = parts(&data);
    let gone = want[10].clone();
    all.retain(|d| d.interview.id != gone);
    server.set_source(SnapshotSource::from_parts(studies, all));
    let after = run(&source, &store, MAIN).await;
    assert_eq!(after.removed, 1);
    assert!(!stored(&store, MAIN).0.contains(&gone));
}

/// The server dies mid-sync: after a few connection failures in a row the
/// sync stops, says why, and keeps what it stored, instead of retrying
/// every remaining interview.
#[tokio::test(start_paused = true)]
async fn a_server_that_dies_mid_sync_ends_it() {
    let data = demo();
    let mut server = StandIn::start(data.clone(), KEY).await;
    server.set_latency(Duration::from_millis(100));
    let source: SharedSource = Arc::new(http_source(&server.base_url(), KEY, false));
    let store = Store::in_memory().expect("store").shared();
    let tally = Arc::new(Tally::new(MAIN, |_| {}));
    let sync = {
        let (source, store, tally) = (source.clone(), store.clone(), tally.clone());
        tokio::spawn(async move {
            sync_study(&source, &store, MAIN, SyncOptions::default(), &tally).await
        })
    };
    while detail_requests(&server) < 20 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.go_away().await;
    let started = tokio::time::Instant::now();
    let result = sync.await.expect("the sync task");
    assert!(
        matches!(
            result,
            Err(uj::sync::SyncError::Api(uj::api::ApiError::Network { .. }))
        ),
        "{result:?}"
    );
    let summary = tally.summary();
    assert!(!summary.complete);
    assert!(
        summary
            .warning
            .as_deref()
            .is_some_and(|w| w.contains("stopped answering")),
        "{summary:?}"
    );
    let total = data.interviews_of(MAIN).len() as u64;
    assert!(summary.details_fetched >= 15 && summary.details_fetched < total);
    // A few failures in a row, not one per remaining interview.
    assert!(summary.failed <= 8, "{summary:?}");
    // What was stored stays.
    assert!(stored(&store, MAIN).1 as u64 >= summary.details_fetched);
    // And it stopped within the retries of those few requests.
    assert!(
        started.elapsed() < uj::sync::DEAD_AFTER,
        "{:?}",
        started.elapsed()
    );
}

/// The transcripts count never claims more than is stored: stored of the
/// listed, a denominator that only grows with the walk; the walk's end is
/// reported before the last transcripts come.
#[tokio::test]
async fn progress_counts_stored_transcripts_of_the_listed() {
    let data = settled();
    let server = StandIn::start(data.clone(), KEY).await;
    let source: SharedSource = Arc::new(http_source(&server.base_url(), KEY, true));
    let store = Store::in_memory().expect("store").shared();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let tally = {
        let seen = seen.clone();
        Tally::new(COURIER, move |p| seen.lock().expect("lock").push(p))
    };
    sync_study(&source, &store, COURIER, SyncOptions::default(), &tally)
        .await
        .expect("sync");
    let seen = seen.lock().expect("lock").clone();
    let counts: Vec<(u64, u64)> = seen
        .iter()
        .filter_map(|p| match p {
            uj::sync::Progress::Transcripts { stored, listed, .. } => Some((*stored, *listed)),
            _ => None,
        })
        .collect();
    assert!(counts.iter().all(|(s, l)| s <= l), "{counts:?}");
    assert!(counts.windows(2).all(|w| w[0].1 <= w[1].1), "{counts:?}");
    let all = data.interviews_of(COURIER).len() as u64;
    assert_eq!(counts.last(), Some(&(all, all)));
    assert!(
        seen.iter()
            .any(|p| matches!(p, uj::sync::Progress::Walked { .. })),
        "the walk's end is said"
    );
}
