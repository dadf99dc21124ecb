use thiserror::Error;

use crate::text::{sanitize_line, truncate_to_width};

/// Most of a server's own message we repeat to the user: enough to read,
/// never a screenful.
const SERVER_MESSAGE_COLUMNS: usize = 160;

/// Everything that can go wrong fetching data, each with one line that says
/// what failed and what to do. No variant ever holds the API key.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ApiError {
    /// 401 (or 403): the key is missing, wrong, revoked or for another project.
    #[error(
        "the API refused the key (HTTP {status}{}): check USERJOURNEYS_API_KEY or api_key_command in the config",
        suffix(.message)
    )]
    Unauthorized { status: u16, message: String },

    /// 404: the id does not exist in this project.
    #[error(
        "{what} was not found: check the id, and that the key belongs to the project that holds it"
    )]
    NotFound { what: String },

    /// 400: the request was malformed (a bad filter or cursor).
    #[error("the API rejected the request (HTTP 400{}): check the filters and ids given", suffix(.message))]
    BadRequest { message: String },

    /// 429 after every retry.
    #[error("the API is rate limiting requests (HTTP 429{}): wait a minute, then retry", suffix(.message))]
    RateLimited { message: String },

    /// 5xx after every retry, or any other unexpected status.
    #[error("the API answered HTTP {status}{}: retry later", suffix(.message))]
    Server { status: u16, message: String },

    /// No answer in time (connect 10 s, read 30 s), after every retry.
    #[error("the API did not answer in time ({detail}): check the network, then retry")]
    Timeout { detail: String },

    /// Could not connect, or the connection broke.
    #[error("could not reach the API ({detail}): check the network and the base URL, then retry")]
    Network { detail: String },

    /// The body was not the JSON we expect.
    #[error(
        "the API's answer for {what} could not be read ({detail}): retry, and report it if it persists"
    )]
    Decode { what: String, detail: String },

    /// The body exceeded the size we are willing to hold.
    #[error(
        "the API's answer for {what} was larger than {limit_mib} MiB and was dropped: narrow the request (filters, --limit)"
    )]
    TooLarge { what: String, limit_mib: u64 },

    /// A local snapshot directory could not be read.
    #[error(
        "the snapshot at {path} could not be read ({detail}): check the directory (see docs/snapshot-format.md)"
    )]
    Snapshot { path: String, detail: String },
}

fn suffix(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

impl ApiError {
    /// Whether a GET that failed this way may succeed if tried again.
    /// The API could not be reached at all (no connection, or no answer
    /// in time), as opposed to an answer that said no.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, ApiError::Network { .. } | ApiError::Timeout { .. })
    }

    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ApiError::RateLimited { .. } | ApiError::Timeout { .. } | ApiError::Network { .. }
        ) || matches!(self, ApiError::Server { status, .. } if matches!(status, 500 | 502 | 503 | 504))
    }

    /// Maps an HTTP status and its (untrusted, any-shape) body to an error.
    pub fn from_status(status: u16, body: &[u8], what: &str) -> ApiError {
        let message = error_message(body);
        match status {
            401 | 403 => ApiError::Unauthorized { status, message },
            404 => ApiError::NotFound {
                what: what.to_string(),
            },
            400 => ApiError::BadRequest { message },
            429 => ApiError::RateLimited { message },
            _ => ApiError::Server { status, message },
        }
    }
}

/// The best message an error body offers, sanitised and kept short.
/// Understands `{"error": "…"}`, `{"error": {"message": "…"}}`,
/// `{"message": "…"}`, plain text; an HTML page or nothing gives "".
pub fn error_message(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() || text.starts_with('<') {
        return String::new();
    }
    let found = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => json_message(&v).unwrap_or_default(),
        Err(_) => text.to_string(),
    };
    let line = sanitize_line(found.trim());
    truncate_to_width(&line, SERVER_MESSAGE_COLUMNS).into_owned()
}

fn json_message(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => ["error", "message", "detail", "error_description"]
            .iter()
            .filter_map(|k| map.get(*k))
            .find_map(json_message),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_of_every_shape() {
        assert_eq!(error_message(br#"{"error":"bad key"}"#), "bad key");
        assert_eq!(error_message(br#"{"error":{"message":"nope"}}"#), "nope");
        assert_eq!(error_message(br#"{"message":"slow down"}"#), "slow down");
        assert_eq!(error_message(b"upstream timeout"), "upstream timeout");
        assert_eq!(error_message(b"<!DOCTYPE html><h1>502</h1>"), "");
        assert_eq!(error_message(b""), "");
        assert_eq!(error_message(b"{\"error\":\"\\u001b[31mred\"}"), "␛[31mred");
        assert!(error_message(&[b'x'; 10_000]).chars().count() <= SERVER_MESSAGE_COLUMNS);
    }

    #[test]
    fn each_message_says_what_to_do() {
        let e = ApiError::from_status(401, br#"{"error":"invalid key"}"#, "the study list");
        assert_eq!(
            e.to_string(),
            "the API refused the key (HTTP 401: invalid key): check USERJOURNEYS_API_KEY or api_key_command in the config"
        );
        let e = ApiError::from_status(503, b"", "x");
        assert_eq!(e.to_string(), "the API answered HTTP 503: retry later");
        assert!(e.is_retryable());
        assert!(!ApiError::from_status(404, b"", "interview 7").is_retryable());
        assert!(!ApiError::from_status(501, b"", "x").is_retryable());
    }
}
