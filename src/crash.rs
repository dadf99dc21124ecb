//! A testing hook, after mbsync's: with `UJ_CRASH_AFTER_WRITES=N` the
//! process kills itself (SIGKILL, no clean-up) right after its N-th
//! durable write — a committed store transaction or an exported
//! interview — so tests can prove that a crash at any point loses nothing
//! and leaves nothing half-written.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

pub const CRASH_AFTER_ENV: &str = "UJ_CRASH_AFTER_WRITES";

static LIMIT: OnceLock<Option<u64>> = OnceLock::new();
static WRITES: AtomicU64 = AtomicU64::new(0);

/// Counts one durable write; dies at the limit, if one is set.
pub fn wrote() {
    let limit = *LIMIT.get_or_init(|| {
        std::env::var(CRASH_AFTER_ENV)
            .ok()
            .and_then(|v| v.parse().ok())
    });
    let Some(limit) = limit else {
        return;
    };
    if WRITES.fetch_add(1, Ordering::SeqCst) + 1 >= limit {
        #[cfg(unix)]
        // SAFETY: getpid and kill have no memory-safety preconditions.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
        std::process::abort();
    }
}
