#![allow(dead_code)]

pub mod standin;
pub mod tmux;

use std::time::Duration;

use uj::api::{ApiKey, HttpOptions, HttpSource};

pub const KEY: &str = "uj_live_canary_5f3a9c";

/// An HTTP source for the stand-in at `base`. Under tokio's paused clock
/// the runtime jumps to the next timer whenever it is idle, so a pending
/// connect/read timeout would fire while a real response is on its way:
/// tests that need an answer pass `with_timeouts = false`.
pub fn http_source(base: &str, key: &str, with_timeouts: bool) -> HttpSource {
    let mut options = HttpOptions::default();
    if !with_timeouts {
        options.connect_timeout = None;
        options.read_timeout = None;
        options.pool_idle_timeout = None;
    }
    HttpSource::new(base.parse().expect("url"), &ApiKey::new(key), options).expect("client")
}

pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
