//! Reads of a stored 100,000-interview study, as the browser makes them:
//! `cargo bench --bench store`. The 263-interview demo study is the
//! baseline in the same run.

use std::sync::LazyLock;

use divan::Bencher;
use uj::api::InterviewFilters;
use uj::api::SnapshotSource;
use uj::api::model::Interview;
use uj::store::read_window;
use uj::store::{ListQuery, Store};

fn main() {
    divan::main();
}

const BIG: &str = "big";
const SMALL: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";
const N: usize = 100_000;
/// What a 160×45 terminal's list reads at a time.
const WINDOW: usize = 120;

/// One file with the demo study and a 100,000-interview study made of
/// copies of it (list objects only: the reads benchmarked here do not
/// touch transcripts).
static STORE: LazyLock<(tempfile::TempDir, std::path::PathBuf)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("bench.sqlite3");
    let mut store = Store::open(&path).expect("store");
    let demo = SnapshotSource::demo().expect("demo");
    let pool: Vec<Interview> = demo
        .interviews_of(SMALL)
        .iter()
        .map(|d| d.interview.clone())
        .collect();
    let walk = store.begin_walk(SMALL).expect("walk");
    store.apply_page(SMALL, walk, 0, &pool).expect("page");
    let walk = store.begin_walk(BIG).expect("walk");
    for start in (0..N).step_by(1000) {
        let rows: Vec<Interview> = (start..start + 1000)
            .map(|i| Interview {
                id: format!("{i:012}"),
                study_id: Some(BIG.into()),
                ..pool[i % pool.len()].clone()
            })
            .collect();
        store
            .apply_page(BIG, walk, start as i64, &rows)
            .expect("page");
    }
    (dir, path)
});

fn open() -> Store {
    Store::open(&STORE.1).expect("open")
}

fn study(id: &str) -> ListQuery {
    InterviewFilters::for_study(id).into()
}

#[divan::bench(args = [SMALL, BIG])]
fn window_first_rows(bencher: Bencher, id: &str) {
    let store = open();
    bencher.bench_local(|| read_window(&store, &study(id), 0, WINDOW, None).expect("read"));
}

/// `G`: the last rows of the list.
#[divan::bench(args = [SMALL, BIG])]
fn window_at_the_end(bencher: Bencher, id: &str) {
    let store = open();
    let total = store.count_of(&study(id)).expect("count") as usize;
    bencher.bench_local(|| {
        read_window(&store, &study(id), total - WINDOW / 3, WINDOW, None).expect("read")
    });
}

/// A refresh after a sync page: the window placed around the selection.
#[divan::bench(args = [SMALL, BIG])]
fn window_following_the_last_row(bencher: Bencher, id: &str) {
    let store = open();
    let last = store
        .window(
            &study(id),
            store.count_of(&study(id)).expect("count") as usize - 1,
            1,
        )
        .expect("read")[0]
        .id
        .clone();
    bencher.bench_local(|| read_window(&store, &study(id), 0, WINDOW, Some(&last)).expect("read"));
}

/// `G` with a quality filter on.
#[divan::bench(args = [SMALL, BIG])]
fn filtered_window_at_the_end(bencher: Bencher, id: &str) {
    let store = open();
    let filters: ListQuery = InterviewFilters {
        quality: Some("insightful".into()),
        ..InterviewFilters::for_study(id)
    }
    .into();
    let total = store.count_of(&filters).expect("count") as usize;
    bencher.bench_local(|| {
        read_window(&store, &filters, total.saturating_sub(40), WINDOW, None).expect("read")
    });
}

/// `/` in the list: the list narrowed by the full-text index.
#[divan::bench(args = [SMALL, BIG], sample_count = 20)]
fn list_search(bencher: Bencher, id: &str) {
    let store = open();
    let query = ListQuery {
        search: Some("card".into()),
        ..study(id)
    };
    bencher.bench_local(|| read_window(&store, &query, 0, WINDOW, None).expect("search"));
}
