//! The search benchmark of BENCHMARKS.md: a store of N interviews × M
//! messages (default 100,000 × 40, each message with its English, in the
//! demo's languages incl. Japanese), then timings of what the browser and
//! `uj search` ask of it, the overview, and a mark's commit.
//!
//! ```sh
//! cargo run --release --example search_bench -- /tmp/search-bench.sqlite3 [N] [M]
//! ```
//!
//! The store is built once and reused when the file exists.

use std::time::Instant;

use uj::api::model::{InterviewDetail, Message};
use uj::api::{InterviewFilters, SnapshotSource};
use uj::store::read_window;
use uj::store::{ListQuery, MarkChange, Store};

const STUDY: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

fn build(path: &std::path::Path, n: usize, m: usize) {
    let mut store = Store::open(path).unwrap_or_else(|e| panic!("{e}"));
    let demo = SnapshotSource::demo().unwrap_or_else(|e| panic!("{e}"));
    store
        .put_study_detail(&demo.studies()[0])
        .unwrap_or_else(|e| panic!("{e}"));
    let pool_i = demo.interviews_of(STUDY);
    let pool_m: Vec<Message> = pool_i
        .iter()
        .flat_map(|d| d.transcript.iter().cloned())
        .filter(|m| m.message.is_some())
        .collect();
    let walk = store.begin_walk(STUDY).unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    for chunk in 0..n.div_ceil(1000) {
        let rows: Vec<InterviewDetail> = (chunk * 1000..((chunk + 1) * 1000).min(n))
            .map(|k| {
                let mut d = pool_i[k % pool_i.len()].clone();
                d.interview.id = format!("{k:08}-0000-4000-8000-000000000000");
                // Each interview gets M messages of the pool, in the
                // interview's own language where it has one.
                d.transcript = (0..m)
                    .map(|j| pool_m[(k * 7919 + j * 104_729) % pool_m.len()].clone())
                    .collect();
                d
            })
            .collect();
        let list: Vec<_> = rows.iter().map(|d| d.interview.clone()).collect();
        store
            .apply_page(STUDY, walk, (chunk * 1000) as i64, &list)
            .unwrap_or_else(|e| panic!("{e}"));
        for d in &rows {
            store.put_detail(d, None).unwrap_or_else(|e| panic!("{e}"));
        }
        if chunk % 10 == 9 {
            eprintln!(
                "{} interviews stored ({:.0} s)",
                (chunk + 1) * 1000,
                started.elapsed().as_secs_f64()
            );
        }
    }
    store
        .finish_walk(STUDY, walk)
        .unwrap_or_else(|e| panic!("{e}"));
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn time(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut ms: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    (percentile(&ms, 0.5), percentile(&ms, 0.99))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = std::path::PathBuf::from(args.get(1).map_or("/tmp/search-bench.sqlite3", |s| s));
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let m: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(40);
    if !path.exists() {
        let t = Instant::now();
        build(&path, n, m);
        println!(
            "built {n} interviews × {m} messages in {:.0} s",
            t.elapsed().as_secs_f64()
        );
    }
    let opening = Instant::now();
    let mut store = Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "opened in {:.1} s (a migration included, if one ran)",
        opening.elapsed().as_secs_f64()
    );
    let c = store.connection();
    // The text as indexed (the index keeps no copy of it to count).
    let (raw, rows) = uj::store::search::indexed_text(c).unwrap_or((0, 0));
    let file = std::fs::metadata(&path).map_or(0, |m| m.len());
    // The index's own size: the file, less a copy without it.
    let copy = path.with_extension("noindex");
    let _ = std::fs::remove_file(&copy);
    let without = c
        .execute(&format!("VACUUM INTO '{}'", copy.display()), [])
        .ok()
        .and_then(|_| {
            let other = rusqlite::Connection::open(&copy).ok()?;
            other.execute_batch("DROP TABLE search; VACUUM;").ok()?;
            std::fs::metadata(&copy).ok().map(|m| m.len())
        })
        .unwrap_or(0);
    let _ = std::fs::remove_file(&copy);
    println!(
        "{rows} indexed texts, {:.0} MB of text; file {:.0} MB, of which the index {:.0} MB ({:.2}× the text)",
        raw as f64 / 1e6,
        file as f64 / 1e6,
        file.saturating_sub(without) as f64 / 1e6,
        file.saturating_sub(without) as f64 / raw.max(1) as f64,
    );
    let base = ListQuery::from(InterviewFilters::for_study(STUDY));
    println!(
        "| query | list narrowed (count + 120 rows + hits) median / p99 | `uj search` 100 hits median / p99 | interviews |"
    );
    for q in ["coupon", "\"delivery fee\"", "クーポン", "送料"] {
        let query = ListQuery {
            search: Some(q.into()),
            ..base.clone()
        };
        let total = store.count_of(&query).unwrap_or(0);
        let (list_med, list_p99) = time(50, || {
            read_window(&store, &query, 0, 120, None).unwrap_or_else(|e| panic!("{e}"));
        });
        let (cli_med, cli_p99) = time(50, || {
            store
                .search_hits(STUDY, q, 100)
                .unwrap_or_else(|e| panic!("{e}"));
        });
        println!(
            "| {q} | {list_med:.1} / {list_p99:.1} ms | {cli_med:.1} / {cli_p99:.1} ms | {total} |"
        );
    }
    let (ov_med, ov_p99) = time(10, || {
        store.overview(&base).unwrap_or_else(|e| panic!("{e}"));
    });
    println!("overview of {n} interviews: median {ov_med:.1} ms, p99 {ov_p99:.1} ms");
    let id = format!("{:08}-0000-4000-8000-000000000000", 42);
    let (mk_med, mk_p99) = time(100, || {
        store
            .change_marks(&id, STUDY, &MarkChange::ToggleReviewed)
            .unwrap_or_else(|e| panic!("{e}"));
    });
    println!("a mark's commit: median {mk_med:.2} ms, p99 {mk_p99:.2} ms");
}
