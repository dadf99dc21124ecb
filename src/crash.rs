//! A testing hook, after mbsync's: with `UJ_CRASH_AFTER_WRITES=N` the
//! process kills itself (SIGKILL, no clean-up) right after its N-th
//! durable write — a committed store transaction or an exported
//! interview — so tests can prove that a crash at any point loses nothing
//! and leaves nothing half-written. With `UJ_CRASH_MIDWAY=N` it dies
//! instead at the N-th step inside one long transaction (the rebuilding
//! of the search index, an interview a step), before that commits.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

pub const CRASH_AFTER_ENV: &str = "UJ_CRASH_AFTER_WRITES";
pub const CRASH_MIDWAY_ENV: &str = "UJ_CRASH_MIDWAY";

static LIMIT: OnceLock<Option<u64>> = OnceLock::new();
static WRITES: AtomicU64 = AtomicU64::new(0);
static MIDWAY_LIMIT: OnceLock<Option<u64>> = OnceLock::new();
static STEPS: AtomicU64 = AtomicU64::new(0);

/// Counts one durable write; dies at the limit, if one is set.
pub fn wrote() {
    count(&LIMIT, CRASH_AFTER_ENV, &WRITES);
}

/// Counts one step inside a long transaction; dies at the limit, if one
/// is set.
pub fn midway() {
    count(&MIDWAY_LIMIT, CRASH_MIDWAY_ENV, &STEPS);
}

fn count(limit: &OnceLock<Option<u64>>, env: &str, counter: &AtomicU64) {
    let limit = *limit.get_or_init(|| std::env::var(env).ok().and_then(|v| v.parse().ok()));
    let Some(limit) = limit else {
        return;
    };
    if counter.fetch_add(1, Ordering::SeqCst) + 1 >= limit {
        #[cfg(unix)]
        // SAFETY: getpid and kill have no memory-safety preconditions.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
        std::process::abort();
    }
}
