//! The HTTP client under scripted faults, on tokio's paused clock: backoff
//! and `Retry-After` waits pass in virtual time, so these run instantly and
//! the waits they assert are exact.

mod support;

use std::time::Duration;

use serde_json::json;
use support::standin::{Fault, StandIn};
use support::{KEY, http_source, secs};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;
use uj::api::walk::{CursorWalk, walk};
use uj::api::{
    ApiError, ApiKey, HttpOptions, HttpSource, InterviewFilters, SnapshotSource, Source,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

fn page_body() -> serde_json::Value {
    json!({"object": "list", "data": [{"id": "s1", "name": "Study"}], "has_more": false})
}

async fn studies_server(responses: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    for r in responses {
        Mock::given(method("GET"))
            .and(path("/studies"))
            .respond_with(r)
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test(start_paused = true)]
async fn server_errors_are_retried_with_backoff() {
    let server = studies_server(vec![
        ResponseTemplate::new(500),
        ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"),
        ResponseTemplate::new(200).set_body_json(page_body()),
    ])
    .await;
    let source = http_source(&server.uri(), KEY, false);
    let start = Instant::now();
    let page = source
        .list_studies(None, None)
        .await
        .expect("third attempt succeeds");
    let waited = secs(start.elapsed());
    assert_eq!(page.data[0].id, "s1");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(3));
    // 0.5–0.75 s after the first failure, 1–1.5 s after the second.
    assert!((1.5..=2.25).contains(&waited), "waited {waited}");
}

#[tokio::test(start_paused = true)]
async fn three_failures_give_up_with_the_last_error() {
    let server = studies_server(vec![ResponseTemplate::new(503); 4]).await;
    let source = http_source(&server.uri(), KEY, false);
    let err = source.list_studies(None, None).await.expect_err("gives up");
    assert_eq!(
        err,
        ApiError::Server {
            status: 503,
            message: String::new()
        }
    );
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(3));
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_and_capped() {
    let server = studies_server(vec![
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "7")
            .set_body_json(json!({"error": {"message": "slow down"}})),
        ResponseTemplate::new(429).insert_header("Retry-After", "600"),
        ResponseTemplate::new(200).set_body_json(page_body()),
    ])
    .await;
    let source = http_source(&server.uri(), KEY, false);
    let start = Instant::now();
    source
        .list_studies(None, None)
        .await
        .expect("succeeds after waiting");
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(7 + 60),
        "7 s as asked, then 600 s capped to 60 s"
    );
}

#[tokio::test(start_paused = true)]
async fn client_errors_are_not_retried() {
    for (status, expect) in [
        (401u16, "Unauthorized"),
        (403, "Unauthorized"),
        (404, "NotFound"),
        (400, "BadRequest"),
    ] {
        let server = studies_server(vec![
            ResponseTemplate::new(status)
                .set_body_json(json!({"message": "nope"}));
            3
        ])
        .await;
        let source = http_source(&server.uri(), KEY, false);
        let err = source.list_studies(None, None).await.expect_err("fails");
        assert!(format!("{err:?}").starts_with(expect), "{status}: {err:?}");
        assert_eq!(
            server.received_requests().await.map(|r| r.len()),
            Some(1),
            "{status} retried"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn sends_bearer_key_and_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/studies"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header(
            "user-agent",
            concat!("uj/", env!("CARGO_PKG_VERSION")),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body()))
        .mount(&server)
        .await;
    let source = http_source(&server.uri(), KEY, false);
    source
        .list_studies(None, None)
        .await
        .expect("headers matched");
}

#[tokio::test(start_paused = true)]
async fn bad_bodies_are_clear_errors() {
    let cases = [
        (
            ResponseTemplate::new(200).set_body_string("{\"data\": [ {\"id\": "),
            "invalid JSON",
        ),
        (
            ResponseTemplate::new(200).set_body_string("<!DOCTYPE html><p>Maintenance</p>"),
            "an HTML page came instead of JSON",
        ),
        (ResponseTemplate::new(200), "the body was empty"),
        (
            ResponseTemplate::new(200).set_body_json(json!({"data": [{"name": "no id"}]})),
            "invalid JSON",
        ),
    ];
    for (response, expect) in cases {
        let server = studies_server(vec![response]).await;
        let err = http_source(&server.uri(), KEY, false)
            .list_studies(None, None)
            .await
            .expect_err("fails");
        assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
        assert!(err.to_string().contains(expect), "{err}");
        assert_eq!(
            server.received_requests().await.map(|r| r.len()),
            Some(1),
            "decode errors are not retried"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn big_bodies_decode_and_oversized_ones_are_refused() {
    // ~20 MB of valid interviews.
    let row = json!({"id": "x", "headline": "h".repeat(2_000)});
    let data: Vec<_> = (0..10_000)
        .map(|i| {
            let mut r = row.clone();
            r["id"] = json!(format!("i{i}"));
            r
        })
        .collect();
    let body = json!({"object": "list", "data": data, "has_more": false}).to_string();
    assert!(body.len() > 20_000_000);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/interviews"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body.clone()))
        .mount(&server)
        .await;
    let source = http_source(&server.uri(), KEY, false);
    let page = source
        .list_interviews(&InterviewFilters::for_study("s"), None, None)
        .await
        .expect("20 MB decodes");
    assert_eq!(page.data.len(), 10_000);

    let mut small = HttpOptions {
        connect_timeout: None,
        read_timeout: None,
        pool_idle_timeout: None,
        ..HttpOptions::default()
    };
    small.max_body_bytes = 1024 * 1024;
    let capped = HttpSource::new(server.uri().parse().expect("url"), &ApiKey::new(KEY), small)
        .expect("client");
    let err = capped
        .list_interviews(&InterviewFilters::for_study("s"), None, None)
        .await
        .expect_err("too large");
    assert!(
        matches!(err, ApiError::TooLarge { limit_mib: 1, .. }),
        "{err:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_stalled_body_times_out_and_is_retried() {
    // Headers and half a body, then silence, from a server on this runtime.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((mut sock, _)) = listener.accept().await {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            let _ = sock
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"data\": [")
                .await;
            held.push(sock);
        }
    });
    let source = http_source(&format!("http://{addr}"), KEY, true);
    let start = Instant::now();
    let err = source
        .list_studies(None, None)
        .await
        .expect_err("times out");
    assert!(matches!(err, ApiError::Timeout { .. }), "{err:?}");
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 3);
    // Three 30 s read timeouts plus two backoffs.
    assert!(secs(start.elapsed()) >= 91.5, "{:?}", start.elapsed());
    assert!(err.to_string().contains("retry"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn connection_refused_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let err = http_source(&format!("http://{addr}"), KEY, false)
        .list_studies(None, None)
        .await
        .expect_err("refused");
    assert!(matches!(err, ApiError::Network { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("could not reach the API"),
        "{err}"
    );
}

#[tokio::test(start_paused = true)]
async fn walking_all_pages_through_429_and_503_storms_loses_nothing() {
    let snap = SnapshotSource::demo().expect("demo");
    let expected: Vec<String> = snap
        .interviews_of(MAIN)
        .iter()
        .map(|d| d.interview.id.clone())
        .collect();
    let server = StandIn::start(snap, KEY).await;
    server.fail_every(
        2,
        Fault::Status {
            status: 503,
            body: "<html>unavailable</html>".into(),
            retry_after: None,
        },
    );
    server.push_faults([
        Fault::Status {
            status: 429,
            body: r#"{"error":"rate limited"}"#.into(),
            retry_after: Some("2".into()),
        },
        Fault::Status {
            status: 429,
            body: String::new(),
            retry_after: Some("1".into()),
        },
    ]);
    let source = http_source(&server.base_url(), KEY, false);
    let filters = InterviewFilters::for_study(MAIN);
    let mut got = Vec::new();
    let mut w = CursorWalk::default();
    let stop = walk(
        &mut w,
        |cursor| {
            let (source, filters) = (&source, &filters);
            async move {
                source
                    .list_interviews(filters, cursor.as_deref(), Some(100))
                    .await
            }
        },
        |i| got.push(i.id),
    )
    .await
    .expect("walks through the storm");
    assert_eq!(stop, None);
    assert_eq!(got, expected, "every interview exactly once, in order");
    assert!(server.requests().len() > 4, "faults were injected");
}

#[tokio::test(start_paused = true)]
async fn the_key_never_reaches_errors_debug_or_trace_logs() {
    let buf = support::Capture::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = studies_server(vec![
        ResponseTemplate::new(500),
        ResponseTemplate::new(401).set_body_json(json!({"error": "bad key"})),
    ])
    .await;
    let source = http_source(&server.uri(), KEY, false);
    let err = source.list_studies(None, None).await.expect_err("fails");
    let log = String::from_utf8_lossy(&buf.bytes()).into_owned();
    assert!(log.contains("retrying"), "trace log was captured: {log}");
    for text in [
        err.to_string(),
        format!("{err:?}"),
        format!("{source:?}"),
        log,
    ] {
        assert!(!text.contains(KEY) && !text.contains("canary"), "{text}");
    }
    let received = server.received_requests().await.unwrap_or_default();
    let sent = received[0]
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        sent,
        format!("Bearer {KEY}"),
        "the key does go where it belongs"
    );
}
