//! The browser against a misbehaving stand-in server: each fault of the
//! background sync or of a detail gives the user one clear line, keeps
//! what is stored, and `r` recovers. Runs on tokio's paused clock, so
//! retries and `Retry-After` waits pass at once; server and client share
//! the runtime.

mod support;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::harness::Harness;
use support::keys::{keys, screen_text as screen};
use support::standin::{Fault, StandIn};
use support::{KEY, http_source, mirror_of};
use uj::api::SnapshotSource;
use uj::app::State;
use uj::app::state::Level;
use uj::app::update::init;
use uj::runtime::Runtime;

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

struct Setup {
    server: StandIn,
    rt: Harness,
}

/// The browser at 120×30 over an empty store, before anything ran.
async fn fresh(details: bool) -> Setup {
    let server = StandIn::start(SnapshotSource::demo().expect("demo"), KEY).await;
    let source = http_source(&server.base_url(), KEY, false);
    let mut state = State::new(50);
    state.width = 120;
    state.height = 30;
    let terminal = Terminal::new(TestBackend::new(120, 30)).expect("terminal");
    let rt = Harness::new(Runtime::new(terminal, mirror_of(source, details), state));
    Setup { server, rt }
}

/// The browser at 120×30 with the study synced (263 interviews stored).
async fn loaded() -> Setup {
    let mut s = fresh(true).await;
    let fx = init(&mut s.rt.state, Some(MAIN.into()));
    s.rt.start(fx);
    s.rt.settle().await;
    assert_eq!(s.rt.state.list.window.total, 263);
    assert!(s.rt.state.sync.complete);
    s
}

/// Syncs again (`r`) and returns the screen once it ended.
async fn resync(s: &mut Setup) -> String {
    keys(&mut s.rt, "r");
    screen(&mut s.rt).await
}

fn notice(rt: &Harness) -> (Level, String) {
    let n = rt.state.notice.clone().expect("a line for the user");
    (n.level, n.text)
}

/// After a failed sync: everything stored is still shown, and `r` syncs
/// again once the server behaves.
async fn recovers(s: &mut Setup) {
    assert_eq!(s.rt.state.list.window.total, 263, "nothing stored is lost");
    s.server.clear_faults();
    resync(s).await;
    assert_eq!(s.rt.state.list.window.total, 263, "r recovers");
    assert!(s.rt.state.sync.error.is_none());
    assert!(!s.rt.state.sync.offline());
}

#[tokio::test(start_paused = true)]
async fn burst_of_5xx_within_the_retries_is_invisible() {
    let mut s = loaded().await;
    s.server.push_faults_on(
        "/interviews?",
        vec![
            Fault::Status {
                status: 503,
                body: String::new(),
                retry_after: None
            };
            2
        ],
    );
    resync(&mut s).await;
    assert_eq!(s.rt.state.list.window.total, 263);
    assert!(s.rt.state.notice.is_none(), "{:?}", s.rt.state.notice);
}

#[tokio::test(start_paused = true)]
async fn burst_of_5xx_past_the_retries_says_so() {
    let mut s = loaded().await;
    s.server.push_faults_on(
        "/interviews?",
        vec![
            Fault::Status {
                status: 502,
                body: "<html><h1>Bad gateway</h1></html>".into(),
                retry_after: None
            };
            3
        ],
    );
    let screen = resync(&mut s).await;
    let (level, text) = notice(&s.rt);
    assert_eq!(level, Level::Error);
    assert_eq!(
        text,
        "sync (press r to retry): the API answered HTTP 502: retry later"
    );
    assert!(
        screen.contains("sync (press r to retry): the API answered HTTP 502"),
        "{screen}"
    );
    assert!(!screen.contains("<html>"));
    recovers(&mut s).await;
}

#[tokio::test(start_paused = true)]
async fn a_storm_of_429_with_retry_after() {
    let mut s = loaded().await;
    // A 429 is waited out without using up the request's attempts, ten
    // times; a storm past that fails the request and says so.
    s.server.push_faults_on(
        "/interviews?",
        vec![
            Fault::Status {
                status: 429,
                body: r#"{"error":{"message":"Too many requests"}}"#.into(),
                retry_after: Some("20".into())
            };
            13
        ],
    );
    let before = tokio::time::Instant::now();
    resync(&mut s).await;
    assert!(
        before.elapsed() >= std::time::Duration::from_secs(10 * 20 + 2 * 20),
        "Retry-After was honoured: {:?}",
        before.elapsed()
    );
    let (_, text) = notice(&s.rt);
    assert!(
        text.contains("rate limiting requests (HTTP 429: Too many requests): wait a minute"),
        "{text}"
    );
    recovers(&mut s).await;
}

#[tokio::test(start_paused = true)]
async fn truncated_and_malformed_json() {
    for body in [
        r#"{"object":"list","data":[{"id":"#,
        "{oops}",
        r#"{"data": "not a list"}"#,
    ] {
        let mut s = loaded().await;
        s.server
            .push_faults_on("/interviews?", [Fault::Body(body.into())]);
        resync(&mut s).await;
        let (level, text) = notice(&s.rt);
        assert_eq!(level, Level::Error);
        assert!(text.contains("could not be read (invalid JSON"), "{text}");
        recovers(&mut s).await;
    }
}

#[tokio::test(start_paused = true)]
async fn an_html_page_instead_of_json() {
    let mut s = loaded().await;
    s.server.push_faults_on(
        "/interviews?",
        [Fault::Body("<!DOCTYPE html><title>Login</title>".into())],
    );
    resync(&mut s).await;
    let (_, text) = notice(&s.rt);
    assert!(text.contains("an HTML page came instead of JSON"), "{text}");
    recovers(&mut s).await;
}

#[tokio::test(start_paused = true)]
async fn connection_reset_mid_body() {
    let mut s = loaded().await;
    s.server
        .push_faults_on("/interviews?", [Fault::Reset, Fault::Reset, Fault::Reset]);
    resync(&mut s).await;
    // A broken connection counts as being offline: what is stored stays.
    let (level, text) = notice(&s.rt);
    assert_eq!(level, Level::Warn);
    assert!(
        text.contains("could not reach the API") || text.contains("could not be read"),
        "{text}"
    );
    recovers(&mut s).await;
}

#[tokio::test(start_paused = true)]
async fn a_broken_cursor_that_repeats_pages_stops_with_a_warning() {
    let mut s = loaded().await;
    let before = s.server.requests().len();
    s.server.ignore_cursor(true);
    let screen = resync(&mut s).await;
    let (level, text) = notice(&s.rt);
    assert_eq!(level, Level::Warn);
    assert!(
        text.contains("paging stopped early: the server sent a page with no new interviews"),
        "{text}"
    );
    assert!(screen.contains("⚠ paging stopped early"), "{screen}");
    // Page 2 was page 1 again: no new ids, and that ended the walk.
    let requests = s.server.requests()[before..]
        .iter()
        .filter(|r| r.starts_with("/interviews?"))
        .count();
    assert_eq!(requests, 2, "no request loop");
    assert_eq!(
        s.rt.state.list.window.total, 263,
        "an unfinished walk removes nothing"
    );
    recovers(&mut s).await;
}

#[tokio::test(start_paused = true)]
async fn duplicates_across_pages_are_stored_once() {
    let mut s = fresh(false).await;
    s.server.overlap_pages(7);
    let fx = init(&mut s.rt.state, Some(MAIN.into()));
    s.rt.start(fx);
    screen(&mut s.rt).await;
    assert_eq!(s.rt.state.list.window.total, 263);
    keys(&mut s.rt, "G");
    screen(&mut s.rt).await;
    assert_eq!(s.rt.state.list.selected, 262);
    assert!(s.rt.state.selected().is_some());
}

#[tokio::test(start_paused = true)]
async fn a_server_that_goes_away_and_comes_back() {
    let mut s = loaded().await;
    s.server.go_away().await;
    let screen = resync(&mut s).await;
    let (level, text) = notice(&s.rt);
    assert_eq!(level, Level::Warn);
    assert!(text.contains("could not reach the API"), "{text}");
    assert!(
        text.starts_with("offline, showing what is stored (press r to retry): "),
        "says what happened and what to do first: {text}"
    );
    assert!(screen.contains("offline · synced"), "{screen}");
    assert_eq!(s.rt.state.list.window.total, 263, "nothing stored is lost");
    // Everything stored still works: move, open, read.
    keys(&mut s.rt, "j");
    let screen = self::screen(&mut s.rt).await;
    assert!(s.rt.state.shown_detail().is_some(), "{screen}");
    s.server.come_back().await;
    recovers(&mut s).await;
}

#[tokio::test(start_paused = true)]
async fn a_first_sync_that_fails_says_so_where_the_rows_would_be() {
    let mut s = fresh(true).await;
    s.server.push_faults_on(
        "/interviews?",
        vec![
            Fault::Status {
                status: 500,
                body: String::new(),
                retry_after: None
            };
            3
        ],
    );
    let fx = init(&mut s.rt.state, Some(MAIN.into()));
    s.rt.start(fx);
    let screen = screen(&mut s.rt).await;
    assert!(screen.contains("Could not load interviews."), "{screen}");
    assert!(screen.contains("the API answered HTTP 500"), "{screen}");
    assert!(screen.contains("Press r to retry."), "{screen}");
    s.server.clear_faults();
    resync(&mut s).await;
    assert_eq!(s.rt.state.list.window.total, 263);
}

#[tokio::test(start_paused = true)]
async fn a_detail_that_fails_says_so_and_r_fetches_it_again() {
    // Without background transcripts, opening one asks the API.
    let mut s = fresh(false).await;
    let fx = init(&mut s.rt.state, Some(MAIN.into()));
    s.rt.start(fx);
    screen(&mut s.rt).await;
    s.server.push_faults_on(
        "/interviews/",
        vec![
            Fault::Status {
                status: 500,
                body: String::new(),
                retry_after: None
            };
            3
        ],
    );
    for _ in 0..4 {
        keys(&mut s.rt, "j");
    }
    let screen = screen(&mut s.rt).await;
    assert!(
        screen.contains("Could not load this interview. Press r to retry."),
        "{screen}"
    );
    assert!(screen.contains("the API answered HTTP 500"), "{screen}");
    keys(&mut s.rt, "r");
    let screen = self::screen(&mut s.rt).await;
    assert!(s.rt.state.shown_detail().is_some(), "{screen}");
}

/// The server dies while the first sync fetches transcripts: the sync
/// stops (no retry per interview), and the top bar says how much is
/// stored rather than `synced`.
#[tokio::test(start_paused = true)]
async fn a_server_that_dies_mid_sync_leaves_an_honest_top_bar() {
    let mut s = fresh(true).await;
    s.server.set_latency(std::time::Duration::from_millis(100));
    let fx = init(&mut s.rt.state, Some(MAIN.into()));
    s.rt.start(fx);
    // Until some transcripts are in, then the server goes.
    while s
        .rt
        .state
        .sync
        .fetching
        .is_none_or(|(stored, _)| stored < 20)
    {
        if s.rt.next_io().await.is_none() {
            break;
        }
    }
    s.server.go_away().await;
    let screen = screen(&mut s.rt).await;
    assert!(!s.rt.state.sync.running, "the sync ended");
    let top = screen.lines().next().unwrap_or_default().to_string();
    assert!(
        top.contains("offline · ") && top.contains("transcripts stored · r retries"),
        "{top}"
    );
    assert!(!top.contains("synced"), "{top}");
    let (stored, all) = s.rt.state.sync.transcripts.expect("counted");
    assert!(stored >= 20 && stored < all, "{stored}/{all}");
}
