//! The figures of local-first, in one run (BENCHMARKS.md):
//!
//! ```sh
//! cargo run --release --example local_first_bench -- 10000
//! ```
//!
//! 1. A window read and a transcript read through the browser's connection
//!    while a sync of N interviews writes at full speed, against the same
//!    reads with no sync running (p50, p99, and their ratio).
//! 2. Opening an interview not stored yet during such a sync, with 100 ms
//!    of latency, against one detail request on its own.
//! 3. A second sync of the unchanged study (no live interviews) against a
//!    walk of its list alone, with no store: the requests each made.

#[path = "../tests/support/standin.rs"]
#[allow(dead_code)]
mod standin;
#[path = "../tests/support/synthetic.rs"]
mod synthetic;

use std::sync::Arc;
use std::time::{Duration, Instant};

use uj::api::walk::CursorWalk;
use uj::api::{ApiKey, HttpOptions, HttpSource, InterviewFilters, SharedSource};
use uj::mirror::Mirror;
use uj::store::{ListQuery, Store};
use uj::sync::{SyncOptions, Tally, sync_study};

const KEY: &str = "uj_live_bench";

fn source(base: &str) -> SharedSource {
    Arc::new(
        HttpSource::new(
            base.parse().expect("url"),
            &ApiKey::new(KEY),
            HttpOptions::default(),
        )
        .expect("client"),
    )
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[at]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Reads windows at spread offsets and transcripts of stored interviews
/// until `stop` (given how many were timed) says so; the time each took.
async fn reads(mirror: &Mirror, n: usize, mut stop: impl FnMut(usize) -> bool) -> Vec<Duration> {
    let query = ListQuery::from(InterviewFilters::for_study(synthetic::SYNTHETIC));
    let mut out = Vec::new();
    let mut k = 0usize;
    while !stop(out.len()) {
        k += 1;
        let start = (k * 7919) % n.max(1);
        let t = Instant::now();
        let window = mirror.window(query.clone(), start, 50, None).await;
        out.push(t.elapsed());
        if let Some(first) = window.ok().and_then(|w| w.rows.into_iter().next()) {
            let t = Instant::now();
            let _ = mirror.detail(&first.id, false).await;
            out.push(t.elapsed());
        }
        if out.len() >= 4000 {
            break;
        }
    }
    out.sort();
    out
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let data = synthetic::synthetic(n);
        let server = standin::StandIn::start(data, KEY).await;
        let base = server.base_url();
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("bench.sqlite3");
        let mirror = Mirror::new(
            Store::open(&path).expect("store"),
            Some(source(&base)),
            SyncOptions::default(),
        )
        .expect("mirror");

        // 1. Reads while the first sync writes at full speed.
        let writer = mirror.writer.clone();
        let src = source(&base);
        let sync = tokio::spawn(async move {
            let tally = Tally::new(synthetic::SYNTHETIC, |_| {});
            let t = Instant::now();
            sync_study(
                &src,
                &writer,
                synthetic::SYNTHETIC,
                SyncOptions::default(),
                &tally,
            )
            .await
            .expect("sync");
            t.elapsed()
        });
        // Let the first pages in, so there is something to read.
        while mirror
            .window(
                ListQuery::from(InterviewFilters::for_study(synthetic::SYNTHETIC)),
                0,
                1,
                None,
            )
            .await
            .map(|w| w.total)
            .unwrap_or(0)
            < 200
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let during = reads(&mirror, n / 2, |len| sync.is_finished() && len >= 20).await;
        let first_sync = sync.await.expect("sync task");
        let count = during.len();
        let idle = reads(&mirror, n / 2, |len| len >= count).await;
        println!("reads while a sync of {n} writes (window + transcript, {} reads):", during.len());
        println!(
            "  p50 {:.2} ms  p99 {:.2} ms   (no sync: p50 {:.2} ms  p99 {:.2} ms)   p99 ratio {:.2}×",
            ms(quantile(&during, 0.5)),
            ms(quantile(&during, 0.99)),
            ms(quantile(&idle, 0.5)),
            ms(quantile(&idle, 0.99)),
            ms(quantile(&during, 0.99)) / ms(quantile(&idle, 0.99)).max(0.001)
        );
        println!("  the first sync took {:.1} s", first_sync.as_secs_f64());

        // 2. Opening an interview not stored yet, during a sync, 100 ms away.
        server.set_latency(Duration::from_millis(100));
        let dir2 = tempfile::tempdir().expect("tmp");
        let second = Mirror::new(
            Store::open(&dir2.path().join("open.sqlite3")).expect("store"),
            Some(source(&base)),
            SyncOptions::default(),
        )
        .expect("mirror");
        let writer = second.writer.clone();
        let src = source(&base);
        let sync = tokio::spawn(async move {
            let tally = Tally::new(synthetic::SYNTHETIC, |_| {});
            let _ = sync_study(
                &src,
                &writer,
                synthetic::SYNTHETIC,
                SyncOptions::default(),
                &tally,
            )
            .await;
        });
        tokio::time::sleep(Duration::from_secs(2)).await;
        let plain = source(&base);
        let mut open = Vec::new();
        let mut alone = Vec::new();
        for k in 0..10 {
            // Far down the list: not stored yet.
            let id = format!("00000000-0000-4000-8000-{:012}", n - 1 - k * 13);
            let t = Instant::now();
            second.detail(&id, false).await.expect("opened");
            open.push(t.elapsed());
            let t = Instant::now();
            plain.get_interview(&id).await.expect("fetched");
            alone.push(t.elapsed());
        }
        sync.abort();
        open.sort();
        alone.sort();
        println!(
            "opening an interview not stored, during a sync, 100 ms latency: median {:.0} ms against one detail request {:.0} ms: {:.2}×",
            ms(quantile(&open, 0.5)),
            ms(quantile(&alone, 0.5)),
            ms(quantile(&open, 0.5)) / ms(quantile(&alone, 0.5)).max(0.001)
        );

        // 3. A second sync of the unchanged study against its list walk alone.
        server.set_latency(Duration::from_millis(20));
        let before = server.requests().len();
        let tally = Tally::new(synthetic::SYNTHETIC, |_| {});
        let t = Instant::now();
        sync_study(
            &source(&base),
            &mirror.writer,
            synthetic::SYNTHETIC,
            SyncOptions::default(),
            &tally,
        )
        .await
        .expect("second sync");
        let second_sync = t.elapsed();
        let asked = server.requests()[before..].to_vec();
        let details = asked.iter().filter(|r| r.starts_with("/interviews/")).count();
        let before = server.requests().len();
        let walker = source(&base);
        let t = Instant::now();
        let mut walk = CursorWalk::default();
        let filters = InterviewFilters::for_study(synthetic::SYNTHETIC);
        while walk.has_more() {
            let page = walker
                .list_interviews(&filters, walk.cursor(), Some(100))
                .await
                .expect("page");
            walk.accept(page);
        }
        let list_alone = t.elapsed();
        let walk_requests = server.requests().len() - before;
        println!(
            "second sync of the unchanged study (20 ms latency): {:.2} s, {} requests ({details} transcripts) against the list walk alone {:.2} s, {walk_requests} requests: {:.2}×",
            second_sync.as_secs_f64(),
            asked.len(),
            list_alone.as_secs_f64(),
            second_sync.as_secs_f64() / list_alone.as_secs_f64().max(0.001)
        );
    });
}
