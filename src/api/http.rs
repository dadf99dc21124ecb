//! The userjourneys.ai API over HTTPS: auth, timeouts, retries, size limits
//! and error mapping.

use std::time::Duration;

use async_trait::async_trait;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Client, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use super::error::ApiError;
use super::key::ApiKey;
use super::model::{Interview, InterviewDetail, Page, Study, StudyDetail};
use super::retry::{RateGate, RetryPolicy, parse_retry_after};
use super::source::{InterviewFilters, Source};

/// The largest response body `uj` will hold.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// Of an error response we only need the start.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// How the client talks to the API. `Default` is docs/CONTRACT.md's;
/// tests shorten or drop pieces.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    /// How long an idle pooled connection is kept.
    pub pool_idle_timeout: Option<Duration>,
    pub retry: RetryPolicy,
    pub max_body_bytes: usize,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            read_timeout: Some(Duration::from_secs(30)),
            pool_idle_timeout: Some(Duration::from_secs(90)),
            retry: RetryPolicy::default(),
            max_body_bytes: MAX_BODY_BYTES,
        }
    }
}

/// The HTTP implementation of [`Source`].
#[derive(Debug, Clone)]
pub struct HttpSource {
    client: Client,
    base: Url,
    options: HttpOptions,
    /// Shared by clones, so concurrent workers pause together on a 429.
    gate: RateGate,
}

/// How one attempt ended, before retry rules are applied.
struct Failure {
    error: ApiError,
    retry_after: Option<Duration>,
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        Failure {
            error,
            retry_after: None,
        }
    }
}

impl HttpSource {
    pub fn new(base: Url, key: &ApiKey, options: HttpOptions) -> Result<Self, ApiError> {
        let mut auth =
            HeaderValue::from_str(&format!("Bearer {}", key.expose())).map_err(|_| {
                ApiError::Unauthorized {
                    status: 0,
                    message: "the key holds characters a header cannot carry".into(),
                }
            })?;
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, auth);
        let mut builder = Client::builder()
            .default_headers(headers)
            .pool_idle_timeout(options.pool_idle_timeout)
            .user_agent(concat!("uj/", env!("CARGO_PKG_VERSION")));
        if let Some(t) = options.connect_timeout {
            builder = builder.connect_timeout(t);
        }
        if let Some(t) = options.read_timeout {
            builder = builder.read_timeout(t);
        }
        let client = builder.build().map_err(|e| ApiError::Network {
            detail: format!("the HTTP client could not start: {}", error_chain(&e)),
        })?;
        Ok(Self {
            client,
            base,
            options,
            gate: RateGate::default(),
        })
    }

    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// A GET with the retry rules; `what` names the thing for messages.
    async fn get<T: DeserializeOwned>(
        &self,
        url: Url,
        query: &[(&str, String)],
        what: &str,
    ) -> Result<T, ApiError> {
        let policy = self.options.retry;
        let mut attempt = 1;
        let mut rate_waits = 0;
        loop {
            self.gate.pass().await;
            let failure = match self.attempt(url.clone(), query, what).await {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            let paced = matches!(failure.error, ApiError::RateLimited { .. })
                && rate_waits < policy.rate_limit_waits;
            if !paced && (attempt >= policy.attempts || !failure.error.is_retryable()) {
                return Err(failure.error);
            }
            let wait = match failure.retry_after {
                Some(asked) => policy.retry_after(asked),
                None => policy.backoff(attempt.max(rate_waits + 1), fastrand::f64()),
            };
            if paced {
                // The limit is the client's, not this request's: every
                // request waits, and this one keeps its attempts.
                self.gate.pause(wait);
                rate_waits += 1;
            } else {
                attempt += 1;
            }
            tracing::debug!(path = url.path(), attempt, rate_waits, ?wait, error = %failure.error, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt<T: DeserializeOwned>(
        &self,
        url: Url,
        query: &[(&str, String)],
        what: &str,
    ) -> Result<T, Failure> {
        let response = self
            .client
            .get(url)
            .query(query)
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status();
        tracing::debug!(
            path = response.url().path(),
            status = status.as_u16(),
            "response"
        );
        if status.is_success() {
            let body = read_capped(response, self.options.max_body_bytes, what).await?;
            return serde_json::from_slice(&body).map_err(|e| {
                ApiError::Decode {
                    what: what.to_string(),
                    detail: decode_detail(&e, &body),
                }
                .into()
            });
        }
        let retry_after = (status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error())
            .then(|| response.headers().get(RETRY_AFTER))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, chrono::Utc::now()));
        // An unreadable error body still leaves the status to report.
        let body = read_capped(response, MAX_ERROR_BODY_BYTES, what)
            .await
            .unwrap_or_default();
        Err(Failure {
            error: ApiError::from_status(status.as_u16(), &body, what),
            retry_after,
        })
    }
}

/// Reads a body, refusing more than `limit` bytes (by `Content-Length`
/// up front, and while streaming for bodies that do not say).
async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
    what: &str,
) -> Result<Vec<u8>, ApiError> {
    let too_large = || ApiError::TooLarge {
        what: what.to_string(),
        limit_mib: (limit / (1024 * 1024)).max(1) as u64,
    };
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn transport_error(e: reqwest::Error) -> ApiError {
    // For a failed connect the innermost cause says it best
    // ("Connection refused (os error 111)").
    let detail = if e.is_connect() {
        innermost(&e)
    } else {
        error_chain(&e)
    };
    if e.is_timeout() {
        ApiError::Timeout { detail }
    } else if e.is_decode() {
        ApiError::Decode {
            what: "the response".into(),
            detail,
        }
    } else {
        ApiError::Network { detail }
    }
}

fn innermost(e: &reqwest::Error) -> String {
    let mut last: &dyn std::error::Error = e;
    while let Some(s) = last.source() {
        last = s;
    }
    crate::text::sanitize_line(&last.to_string()).into_owned()
}

/// The error and its causes, without the URL (which the caller knows).
fn error_chain(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    crate::text::sanitize_line(&parts.join(": ")).into_owned()
}

fn decode_detail(e: &serde_json::Error, body: &[u8]) -> String {
    let looks_html = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<');
    if body.is_empty() {
        "the body was empty".into()
    } else if looks_html {
        "an HTML page came instead of JSON".into()
    } else {
        format!("invalid JSON: {e}")
    }
}

fn limit_param(limit: Option<u32>, query: &mut Vec<(&str, String)>) {
    if let Some(n) = limit {
        query.push(("limit", n.to_string()));
    }
}

#[async_trait]
impl Source for HttpSource {
    async fn list_studies(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Study>, ApiError> {
        let mut query = Vec::new();
        limit_param(limit, &mut query);
        if let Some(c) = cursor {
            query.push(("starting_after", c.to_string()));
        }
        self.get(self.url(&["studies"]), &query, "the study list")
            .await
    }

    async fn get_study(&self, id: &str) -> Result<StudyDetail, ApiError> {
        self.get(self.url(&["studies", id]), &[], &format!("study {id}"))
            .await
    }

    async fn list_interviews(
        &self,
        filters: &InterviewFilters,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Interview>, ApiError> {
        let mut query = vec![("study_id", filters.study_id.clone())];
        if let Some(s) = &filters.status {
            query.push(("status", s.as_str().to_string()));
        }
        if let Some(q) = &filters.quality {
            query.push(("quality_score", q.as_str().to_string()));
        }
        if let Some(r) = &filters.reference_id {
            query.push(("reference_id", r.clone()));
        }
        limit_param(limit, &mut query);
        if let Some(c) = cursor {
            query.push(("starting_after", c.to_string()));
        }
        let what = format!("study {}", filters.study_id);
        self.get(self.url(&["interviews"]), &query, &what).await
    }

    async fn get_interview(&self, id: &str) -> Result<InterviewDetail, ApiError> {
        self.get(
            self.url(&["interviews", id]),
            &[],
            &format!("interview {id}"),
        )
        .await
    }
}
