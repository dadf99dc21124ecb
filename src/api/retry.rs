//! When and how long to wait before trying a GET again.

use std::time::Duration;

/// docs/CONTRACT.md "Network behaviour": at most 3 attempts, exponential backoff
/// with jitter from 0.5 s up to 5 s, `Retry-After` honoured up to 60 s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    pub attempts: u32,
    /// How many 429 answers one request waits out before it fails. A 429
    /// is the server pacing the client, not a failure of the request, so
    /// these waits do not use up `attempts`.
    pub rate_limit_waits: u32,
    pub base: Duration,
    pub max_backoff: Duration,
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 3,
            rate_limit_waits: 10,
            base: Duration::from_millis(500),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt `attempt` (1-based): `base` doubled
    /// per attempt, plus up to half again by `jitter` in `[0, 1)` so clients
    /// that failed together do not return together, capped at `max_backoff`.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = self
            .base
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        exp.mul_f64(1.0 + 0.5 * jitter.clamp(0.0, 1.0))
            .min(self.max_backoff)
    }

    /// The wait the server asked for, capped.
    pub fn retry_after(&self, asked: Duration) -> Duration {
        asked.min(self.max_retry_after)
    }
}

/// A pause shared by every request of one client: a 429 makes all of them
/// wait (a sync's detail workers would otherwise each hit the limit in
/// turn). Clones share the pause.
#[derive(Debug, Clone, Default)]
pub struct RateGate {
    until: std::sync::Arc<std::sync::Mutex<Option<tokio::time::Instant>>>,
}

impl RateGate {
    /// Waits until any pause in force is over.
    pub async fn pass(&self) {
        loop {
            let until = *self.until.lock().unwrap_or_else(|p| p.into_inner());
            match until {
                Some(t) if t > tokio::time::Instant::now() => tokio::time::sleep_until(t).await,
                _ => return,
            }
        }
    }

    /// Holds every request back for `wait` from now (a longer pause in
    /// force is kept).
    pub fn pause(&self, wait: Duration) {
        let t = tokio::time::Instant::now() + wait;
        let mut until = self.until.lock().unwrap_or_else(|p| p.into_inner());
        if until.is_none_or(|u| u < t) {
            *until = Some(t);
        }
    }
}

/// Reads a `Retry-After` value: delay-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&chrono::Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1, 0.0), Duration::from_millis(500));
        assert_eq!(p.backoff(1, 0.999_999).as_millis(), 749);
        assert_eq!(p.backoff(2, 0.0), Duration::from_secs(1));
        assert_eq!(p.backoff(4, 1.0), Duration::from_secs(5));
        assert_eq!(p.backoff(10, 1.0), Duration::from_secs(5));
        assert_eq!(p.backoff(u32::MAX, 1.0), Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_every_clone() {
        let gate = RateGate::default();
        let other = gate.clone();
        let start = tokio::time::Instant::now();
        gate.pass().await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        gate.pause(Duration::from_secs(7));
        other.pause(Duration::from_secs(2));
        other.pass().await;
        assert_eq!(start.elapsed(), Duration::from_secs(7));
    }

    #[test]
    fn retry_after_forms() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .expect("date")
            .with_timezone(&chrono::Utc);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 2026 00:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(parse_retry_after("soon", now), None);
        let p = RetryPolicy::default();
        assert_eq!(
            p.retry_after(Duration::from_secs(600)),
            Duration::from_secs(60)
        );
    }
}
