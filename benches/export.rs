//! Exporting a stored 10,000-interview study to each format, against
//! reading the same rows and transcripts from the store alone:
//! `cargo bench --bench export`.

use std::sync::LazyLock;
use std::sync::atomic::AtomicBool;

use divan::Bencher;
use divan::counter::ItemsCount;
use uj::api::{InterviewFilters, SnapshotSource};
use uj::export::{Format, Request, export};
use uj::store::{MarkFilters, Store};

fn main() {
    divan::main();
}

const STUDY: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";
const N: usize = 10_000;

/// A store file with 10,000 copies of the demo's interviews, transcripts
/// included.
static STORE: LazyLock<(tempfile::TempDir, std::path::PathBuf)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("bench.sqlite3");
    let mut store = Store::open(&path).expect("store");
    let demo = SnapshotSource::demo().expect("demo");
    store.put_study_detail(&demo.studies()[0]).expect("study");
    let pool = demo.interviews_of(STUDY);
    let all: Vec<_> = (0..N)
        .map(|k| {
            let mut d = pool[k % pool.len()].clone();
            d.interview.id = format!("{k:08}-{}", &d.interview.id[9..]);
            d
        })
        .collect();
    let walk = store.begin_walk(STUDY).expect("walk");
    for (n, chunk) in all.chunks(1000).enumerate() {
        let rows: Vec<_> = chunk.iter().map(|d| d.interview.clone()).collect();
        store
            .apply_page(STUDY, walk, (n * 1000) as i64, &rows)
            .expect("page");
    }
    for d in &all {
        store.put_detail(d, None).expect("detail");
    }
    store.finish_walk(STUDY, walk).expect("finish");
    (dir, path)
});

fn open() -> Store {
    Store::open(&STORE.1).expect("open")
}

/// The baseline: every row and transcript read, nothing written.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn read_only(bencher: Bencher) {
    let store = open();
    bencher.counter(ItemsCount::new(N)).bench_local(|| {
        let filters = InterviewFilters::for_study(STUDY);
        let mut after: Option<String> = None;
        let mut bytes = 0;
        loop {
            let rows = store
                .interviews(&filters, after.as_deref(), 200)
                .expect("read");
            let Some(last) = rows.last() else { break };
            after = Some(last.id.clone());
            for r in rows {
                bytes += store
                    .detail(&r.id)
                    .expect("read")
                    .map_or(0, |d| d.detail.transcript.len());
            }
        }
        bytes
    });
}

#[divan::bench(args = ["markdown", "csv", "jsonl", "snapshot"], sample_count = 5, sample_size = 1)]
fn to_format(bencher: Bencher, format: &str) {
    let store = open();
    let format = match format {
        "markdown" => Format::Markdown,
        "csv" => Format::Csv,
        "jsonl" => Format::Jsonl,
        _ => Format::Snapshot,
    };
    bencher
        .counter(ItemsCount::new(N))
        .with_inputs(|| tempfile::tempdir().expect("tmp"))
        .bench_local_values(|dir| {
            let req = Request {
                filters: InterviewFilters::for_study(STUDY),
                marks: MarkFilters::default(),
                language: None,
                text: uj::present::TextMode::Original,
                format,
                table: None,
                out: dir.path().join("out"),
                force: false,
                query: None,
            };
            let written =
                export(&store, &req, &AtomicBool::new(false), &|_, _| {}).expect("export");
            (dir, written.bytes)
        });
}
