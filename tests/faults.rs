//! The browser against a misbehaving stand-in server: each fault gives the
//! user one clear line, keeps what was already loaded, and `r` recovers.
//! Runs on tokio's paused clock, so retries and `Retry-After` waits pass at
//! once; server and client share the runtime.

mod support;

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::standin::{Fault, StandIn};
use support::{KEY, http_source};
use uj::api::SnapshotSource;
use uj::app::state::Level;
use uj::app::update::init;
use uj::app::{Msg, State};
use uj::runtime::Runtime;

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

struct Setup {
    server: StandIn,
    rt: Runtime<TestBackend>,
}

/// The browser at 120×30 with the first page (50 rows) loaded.
async fn loaded() -> Setup {
    let server = StandIn::start(SnapshotSource::demo().expect("demo"), KEY).await;
    let source = http_source(&server.base_url(), KEY, false);
    let mut state = State::new(50);
    state.width = 120;
    state.height = 30;
    let terminal = Terminal::new(TestBackend::new(120, 30)).expect("terminal");
    let mut rt = Runtime::new(terminal, Arc::new(source), state);
    let fx = init(&mut rt.state, Some(MAIN.into()));
    rt.start(fx);
    rt.settle().await;
    assert_eq!(rt.state.list.rows.len(), 50);
    Setup { server, rt }
}

fn key(rt: &mut Runtime<TestBackend>, c: char) {
    rt.handle(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )));
}

async fn screen(rt: &mut Runtime<TestBackend>) -> String {
    rt.settle().await;
    rt.terminal.clear().expect("clear");
    rt.draw().expect("draw");
    let buf = rt.terminal.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asks for the next page (walking to the end) and returns the screen.
async fn next_page(s: &mut Setup) -> String {
    key(&mut s.rt, 'G');
    screen(&mut s.rt).await
}

fn notice(rt: &Runtime<TestBackend>) -> (Level, String) {
    let n = rt.state.notice.clone().expect("a line for the user");
    (n.level, n.text)
}

/// After a failed next page: the rows are still there, and `r` brings the
/// list back from the first page once the server behaves.
async fn recovers(s: &mut Setup) {
    assert!(s.rt.state.list.rows.len() >= 50, "nothing loaded is lost");
    s.server.clear_faults();
    key(&mut s.rt, 'r');
    key(&mut s.rt, 'G');
    screen(&mut s.rt).await;
    assert_eq!(s.rt.state.list.rows.len(), 263, "r recovers");
    assert!(s.rt.state.list.error.is_none());
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
    next_page(&mut s).await;
    assert_eq!(s.rt.state.list.rows.len(), 263);
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
    let screen = next_page(&mut s).await;
    let (level, text) = notice(&s.rt);
    assert_eq!(level, Level::Error);
    assert_eq!(
        text,
        "interviews (press r to retry): the API answered HTTP 502: retry later"
    );
    assert!(
        screen.contains("✗ r retries · the API answered HTTP 502"),
        "{screen}"
    );
    assert!(!screen.contains("<html>"));
    recovers(&mut s).await;
}

#[tokio::test(start_paused = true)]
async fn a_storm_of_429_with_retry_after() {
    let mut s = loaded().await;
    s.server.push_faults_on(
        "/interviews?",
        vec![
            Fault::Status {
                status: 429,
                body: r#"{"error":{"message":"Too many requests"}}"#.into(),
                retry_after: Some("20".into())
            };
            3
        ],
    );
    let before = tokio::time::Instant::now();
    next_page(&mut s).await;
    assert!(
        before.elapsed() >= std::time::Duration::from_secs(40),
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
        next_page(&mut s).await;
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
    next_page(&mut s).await;
    let (_, text) = notice(&s.rt);
    assert!(text.contains("an HTML page came instead of JSON"), "{text}");
    recovers(&mut s).await;
}

#[tokio::test(start_paused = true)]
async fn connection_reset_mid_body() {
    let mut s = loaded().await;
    s.server
        .push_faults_on("/interviews?", [Fault::Reset, Fault::Reset, Fault::Reset]);
    next_page(&mut s).await;
    let (level, text) = notice(&s.rt);
    assert_eq!(level, Level::Error);
    assert!(
        text.contains("could not reach the API") || text.contains("could not be read"),
        "{text}"
    );
    recovers(&mut s).await;
}

#[tokio::test(start_paused = true)]
async fn a_broken_cursor_that_repeats_pages_stops_with_a_warning() {
    let mut s = loaded().await;
    s.server.ignore_cursor(true);
    let screen = next_page(&mut s).await;
    let (level, text) = notice(&s.rt);
    assert_eq!(level, Level::Warn);
    assert!(
        text.contains("paging stopped early: the server sent a page with no new interviews"),
        "{text}"
    );
    assert!(screen.contains("⚠ paging stopped early"), "{screen}");
    // Page 2 (100 from the top again) still brought 50 new rows; page 3
    // brought none, and that ended it.
    let requests = s
        .server
        .requests()
        .iter()
        .filter(|r| r.starts_with("/interviews?"))
        .count();
    assert_eq!(requests, 3, "no request loop");
    assert_eq!(s.rt.state.list.rows.len(), 100);
    recovers(&mut s).await;
}

#[tokio::test(start_paused = true)]
async fn duplicates_across_pages_are_shown_once() {
    let mut s = loaded().await;
    s.server.overlap_pages(7);
    next_page(&mut s).await;
    let ids: Vec<&str> = s.rt.state.list.rows.iter().map(|i| i.id.as_str()).collect();
    let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len());
    assert_eq!(ids.len(), 263);
}

#[tokio::test(start_paused = true)]
async fn a_server_that_goes_away_and_comes_back() {
    let mut s = loaded().await;
    s.server.go_away().await;
    let screen = next_page(&mut s).await;
    let (_, text) = notice(&s.rt);
    assert!(text.contains("could not reach the API"), "{text}");
    assert!(
        text.starts_with("interviews (press r to retry): "),
        "says what to do first: {text}"
    );
    assert!(screen.contains("r retries"), "{screen}");
    assert_eq!(s.rt.state.list.rows.len(), 50, "nothing loaded is lost");
    // Reloading while it is still away keeps the rows too.
    key(&mut s.rt, 'r');
    screen_settled(&mut s).await;
    assert_eq!(s.rt.state.list.rows.len(), 50);
    s.server.come_back().await;
    recovers(&mut s).await;
}

async fn screen_settled(s: &mut Setup) {
    screen(&mut s.rt).await;
}

#[tokio::test(start_paused = true)]
async fn a_detail_that_fails_says_so_and_r_fetches_it_again() {
    let mut s = loaded().await;
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
        key(&mut s.rt, 'j');
    }
    let screen = screen(&mut s.rt).await;
    assert!(
        screen.contains("Could not load this interview. Press r to retry."),
        "{screen}"
    );
    assert!(screen.contains("the API answered HTTP 500"), "{screen}");
    key(&mut s.rt, 'r');
    let screen = self::screen(&mut s.rt).await;
    assert!(s.rt.state.shown_detail().is_some(), "{screen}");
}
