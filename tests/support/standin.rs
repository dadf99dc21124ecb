//! A stand-in for the userjourneys.ai API on loopback: serves a snapshot
//! with the API's routes, auth, paging and error shapes, plus scripted
//! faults so tests can see what the client does when the network misbehaves.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use uj::api::{ApiError, InterviewFilters, SnapshotSource, Source};

/// The path the API lives under, as on the real service.
pub const PREFIX: &str = "/api/v1";

/// One scripted misbehaviour, used for the next matching request.
#[derive(Debug, Clone)]
#[allow(dead_code)]
pub enum Fault {
    /// Answer with this status and body (and `Retry-After`, if given).
    Status {
        status: u16,
        body: String,
        retry_after: Option<String>,
    },
    /// Never answer.
    Stall,
    /// Answer 200 with this raw body.
    Body(String),
    /// Start a 200 with part of a body, then break the connection.
    Reset,
}

#[derive(Default)]
struct Shared {
    /// Faults for the next requests, each for any path or for paths
    /// starting with a prefix.
    faults: VecDeque<(Option<String>, Fault)>,
    /// Every n-th request fails with the fault (for storms).
    every: Option<(usize, Fault)>,
    requests: Vec<String>,
    latency: Duration,
    /// A broken cursor: every list page is the first one again.
    ignore_cursor: bool,
    /// Each next page starts this many items before the cursor, so pages
    /// overlap (duplicate items across pages).
    overlap: usize,
    /// When each request arrived (tokio's clock, so paused tests read
    /// virtual time).
    times: Vec<tokio::time::Instant>,
    /// Serve this data from the n-th request on (1-based).
    swap_at: Option<(usize, Arc<SnapshotSource>)>,
    /// Die at the n-th request (1-based): it answers 503, and the server
    /// stops listening (a stand-in started in a thread).
    die_at: Option<usize>,
    died: Arc<tokio::sync::Notify>,
}

#[derive(Clone)]
struct AppState {
    /// What is served; tests replace it to change the API under a client.
    source: Arc<Mutex<Arc<SnapshotSource>>>,
    key: Arc<String>,
    shared: Arc<Mutex<Shared>>,
}

/// How a test stops a stand-in on its own thread: the request, and the
/// word that it stopped.
type Halt = (
    Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    Mutex<std::sync::mpsc::Receiver<()>>,
);

/// A running stand-in.
pub struct StandIn {
    pub addr: SocketAddr,
    /// For a stand-in on its own thread: asks that thread to stop serving,
    /// and hears when it has.
    halt: Option<Halt>,
    shared: Arc<Mutex<Shared>>,
    state: Option<AppState>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<()>>,
}

#[allow(dead_code)]
impl StandIn {
    /// Starts serving `source` on a free loopback port, on the current
    /// tokio runtime; `key` is the only key it accepts.
    pub async fn start(source: SnapshotSource, key: &str) -> StandIn {
        StandIn::start_on(source, key, 0).await
    }

    /// Like [`StandIn::start`], on a chosen loopback port (0 picks one).
    pub async fn start_on(source: SnapshotSource, key: &str, port: u16) -> StandIn {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let state = AppState {
            source: Arc::new(Mutex::new(Arc::new(source))),
            key: Arc::new(key.to_string()),
            shared: shared.clone(),
        };
        let mut s = StandIn {
            addr: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
            halt: None,
            shared,
            state: Some(state),
            stop: None,
            served: None,
        };
        s.serve().await;
        s
    }

    /// Binds (the same port again after [`StandIn::go_away`]) and serves.
    async fn serve(&mut self) {
        let listener = tokio::net::TcpListener::bind(self.addr)
            .await
            .expect("bind loopback");
        self.addr = listener.local_addr().expect("local addr");
        let Some(state) = self.state.clone() else {
            return;
        };
        let app = Router::new()
            .route(&format!("{PREFIX}/studies"), get(list_studies))
            .route(&format!("{PREFIX}/studies/{{id}}"), get(get_study))
            .route(&format!("{PREFIX}/interviews"), get(list_interviews))
            .route(&format!("{PREFIX}/interviews/{{id}}"), get(get_interview))
            .fallback(|| async { error(StatusCode::NOT_FOUND, "no such route") })
            .with_state(state);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        self.stop = Some(stop);
        self.served = Some(tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        }));
    }

    /// The server goes away: it stops listening and closes its idle
    /// connections, so clients get "connection refused".
    pub async fn go_away(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(served) = self.served.take() {
            let _ = served.await;
        }
    }

    /// The server comes back on the same port.
    pub async fn come_back(&mut self) {
        self.serve().await;
    }

    /// Starts on its own thread and runtime: for tests that drive the
    /// real binary, whose requests must be answered in real time.
    pub fn start_in_thread(source: SnapshotSource, key: &str) -> StandIn {
        let (tx, rx) = std::sync::mpsc::channel();
        let (halt, halted) = tokio::sync::oneshot::channel::<()>();
        let (stopped, heard) = std::sync::mpsc::channel::<()>();
        let key = key.to_string();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let s = StandIn::start(source, &key).await;
                tx.send(StandIn {
                    addr: s.addr,
                    halt: None,
                    shared: s.shared.clone(),
                    state: None,
                    stop: None,
                    served: None,
                })
                .expect("send");
                // Keep the server (and its stop handle) alive on this thread
                // until a test stops it, or it dies as told.
                let mut s = s;
                let died = s.lock().died.clone();
                tokio::select! {
                    _ = halted => {},
                    () = died.notified() => {},
                };
                s.go_away().await;
                let _ = stopped.send(());
                std::future::pending::<()>().await;
            });
        });
        let mut s: StandIn = rx.recv().expect("stand-in started");
        s.halt = Some((
            std::sync::Mutex::new(Some(halt)),
            std::sync::Mutex::new(heard),
        ));
        s
    }

    /// Dies at the `n`-th request from now on: it answers 503 and the port
    /// refuses connections after (a stand-in started in a thread).
    pub fn die_at(&self, n: usize) {
        let mut s = self.lock();
        s.die_at = Some(s.requests.len() + n);
    }

    /// Stops a stand-in started with [`StandIn::start_in_thread`]: from
    /// now on its port refuses connections.
    pub fn stop(&self) {
        if let Some((halt, heard)) = &self.halt {
            if let Some(h) = halt.lock().unwrap_or_else(|p| p.into_inner()).take() {
                let _ = h.send(());
            }
            let _ = heard.lock().unwrap_or_else(|p| p.into_inner()).recv();
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}{PREFIX}", self.addr)
    }

    /// Queues faults for the next requests, in order.
    pub fn push_faults(&self, faults: impl IntoIterator<Item = Fault>) {
        self.lock()
            .faults
            .extend(faults.into_iter().map(|f| (None, f)));
    }

    /// Queues faults for the next requests whose path starts with `prefix`
    /// (e.g. `/interviews?`), leaving other requests alone.
    pub fn push_faults_on(&self, prefix: &str, faults: impl IntoIterator<Item = Fault>) {
        self.lock()
            .faults
            .extend(faults.into_iter().map(|f| (Some(prefix.to_string()), f)));
    }

    /// Fails every `n`-th request with `fault` from now on.
    pub fn fail_every(&self, n: usize, fault: Fault) {
        self.lock().every = Some((n, fault));
    }

    /// Breaks the cursor: every page is the first one again.
    pub fn ignore_cursor(&self, on: bool) {
        self.lock().ignore_cursor = on;
    }

    /// Makes each next page repeat the last `n` items of the previous one.
    pub fn overlap_pages(&self, n: usize) {
        self.lock().overlap = n;
    }

    /// Forgets queued and periodic faults.
    pub fn clear_faults(&self) {
        let mut s = self.lock();
        s.faults.clear();
        s.every = None;
        s.ignore_cursor = false;
        s.overlap = 0;
    }

    /// Delays every answer.
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }

    /// Serves `source` from now on (the API changed).
    pub fn set_source(&self, source: SnapshotSource) {
        if let Some(state) = &self.state {
            *state.source.lock().unwrap_or_else(|p| p.into_inner()) = Arc::new(source);
        } else {
            self.lock().swap_at = Some((0, Arc::new(source)));
        }
    }

    /// Serves `source` from the `n`-th request on, counting from the
    /// first request this stand-in answered (the API changes mid-walk).
    pub fn set_source_at(&self, n: usize, source: SnapshotSource) {
        self.lock().swap_at = Some((n, Arc::new(source)));
    }

    /// When each request arrived, on tokio's clock.
    pub fn request_times(&self) -> Vec<tokio::time::Instant> {
        self.lock().times.clone()
    }

    /// The path and query of every request so far.
    pub fn requests(&self) -> Vec<String> {
        self.lock().requests.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl AppState {
    fn data(&self) -> Arc<SnapshotSource> {
        self.source
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}

fn api_error(e: ApiError) -> Response {
    match e {
        ApiError::NotFound { .. } => error(StatusCode::NOT_FOUND, "Not found"),
        ApiError::BadRequest { message } => error(StatusCode::BAD_REQUEST, &message),
        other => error(StatusCode::INTERNAL_SERVER_ERROR, &other.to_string()),
    }
}

/// Auth, logging, latency and faults, before the real answer.
async fn gate(state: &AppState, headers: &HeaderMap, what: String) -> Option<Response> {
    let (fault, latency) = {
        let mut s = state.shared.lock().unwrap_or_else(|p| p.into_inner());
        let n = s.requests.len() + 1;
        let queued = s
            .faults
            .iter()
            .position(|(prefix, _)| prefix.as_ref().is_none_or(|p| what.starts_with(p.as_str())));
        s.requests.push(what);
        s.times.push(tokio::time::Instant::now());
        if s.die_at.is_some_and(|at| n >= at) {
            s.die_at = None;
            s.died.notify_one();
            return Some(error(StatusCode::SERVICE_UNAVAILABLE, "going away"));
        }
        if s.swap_at.as_ref().is_some_and(|(at, _)| n >= *at)
            && let Some((_, data)) = s.swap_at.take()
        {
            *state.source.lock().unwrap_or_else(|p| p.into_inner()) = data;
        }
        let fault = queued
            .and_then(|i| s.faults.remove(i))
            .map(|(_, f)| f)
            .or_else(|| match &s.every {
                Some((every, f)) if n.is_multiple_of(*every) => Some(f.clone()),
                _ => None,
            });
        (fault, s.latency)
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match fault {
        Some(Fault::Stall) => std::future::pending().await,
        Some(Fault::Body(body)) => {
            return Some(([(header::CONTENT_TYPE, "application/json")], body).into_response());
        }
        Some(Fault::Reset) => {
            let parts: Vec<Result<&'static str, std::io::Error>> = vec![
                Ok(r#"{"object":"list","data":[{"id":"#),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "reset",
                )),
            ];
            let body = axum::body::Body::from_stream(futures::stream::iter(parts));
            return Some(([(header::CONTENT_TYPE, "application/json")], body).into_response());
        }
        Some(Fault::Status {
            status,
            body,
            retry_after,
        }) => {
            let mut r = (
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                body,
            )
                .into_response();
            if let Some(v) = retry_after.and_then(|v| v.parse().ok()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return Some(r);
        }
        None => {}
    }
    let expected = format!("Bearer {}", state.key);
    let ok = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == expected);
    (!ok).then(|| error(StatusCode::UNAUTHORIZED, "Invalid API key"))
}

/// The API's `limit`: absent, or a number (a non-number is a 400).
fn limit(q: &HashMap<String, String>) -> Result<Option<u32>, Box<Response>> {
    match q.get("limit") {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| Box::new(error(StatusCode::BAD_REQUEST, "limit must be an integer"))),
    }
}

fn describe(path: &str, q: &HashMap<String, String>) -> String {
    let mut pairs: Vec<_> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.sort();
    format!("{path}?{}", pairs.join("&"))
}

fn json_response<T: serde::Serialize>(result: Result<T, ApiError>) -> Response {
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => api_error(e),
    }
}

async fn list_studies(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(r) = gate(&st, &headers, describe("/studies", &q)).await {
        return r;
    }
    let limit = match limit(&q) {
        Ok(l) => l,
        Err(r) => return *r,
    };
    json_response(
        st.data()
            .list_studies(q.get("starting_after").map(String::as_str), limit)
            .await
            .map(list),
    )
}

async fn get_study(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = gate(&st, &headers, format!("/studies/{id}")).await {
        return r;
    }
    json_response(st.data().get_study(&id).await)
}

async fn list_interviews(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(r) = gate(&st, &headers, describe("/interviews", &q)).await {
        return r;
    }
    let limit = match limit(&q) {
        Ok(l) => l,
        Err(r) => return *r,
    };
    let filters = InterviewFilters {
        study_id: q.get("study_id").cloned().unwrap_or_default(),
        status: q.get("status").cloned().map(Into::into),
        quality: q.get("quality_score").cloned().map(Into::into),
        reference_id: q.get("reference_id").cloned(),
    };
    let (ignore_cursor, overlap) = {
        let s = st.shared.lock().unwrap_or_else(|p| p.into_inner());
        (s.ignore_cursor, s.overlap)
    };
    let mut cursor = q.get("starting_after").cloned();
    if ignore_cursor {
        cursor = None;
    } else if overlap > 0
        && let Some(c) = &cursor
    {
        // Step the cursor back so the page repeats the previous one's tail.
        let data = st.data();
        let all = data.interviews_of(&filters.study_id);
        if let Some(at) = all.iter().position(|d| &d.interview.id == c) {
            cursor = at.checked_sub(overlap).map(|i| all[i].interview.id.clone());
        }
    }
    json_response(
        st.data()
            .list_interviews(&filters, cursor.as_deref(), limit)
            .await
            .map(list),
    )
}

async fn get_interview(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = gate(&st, &headers, format!("/interviews/{id}")).await {
        return r;
    }
    json_response(st.data().get_interview(&id).await)
}

/// Wraps a page in the API's list envelope.
fn list<T: serde::Serialize>(page: uj::api::model::Page<T>) -> serde_json::Value {
    json!({ "object": "list", "data": page.data, "has_more": page.has_more })
}
