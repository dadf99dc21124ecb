//! Writes a large synthetic study into a store file, as `uj sync` would
//! leave it, for the store benchmarks (`scripts/bench_e2e.py`,
//! `benches/store.rs`) without syncing 100,000 interviews over HTTP:
//!
//! ```sh
//! cargo run --release --example fill_store -- DATA_DIR BASE_URL N [DETAILS]
//! ```
//!
//! The study has id `0b5e55ed-0000-4000-8000-000000000000` (the stand-in's
//! synthetic study), `N` interviews copied from the demo's main study with
//! new ids, and the transcripts of the first `DETAILS` (default 1,000).

use uj::api::SnapshotSource;
use uj::api::model::InterviewDetail;
use uj::store::{Store, database_path};

const STUDY: &str = "0b5e55ed-0000-4000-8000-000000000000";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(url), Some(n)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: fill_store DATA_DIR BASE_URL N [DETAILS]");
        std::process::exit(2);
    };
    let n: usize = n.parse().unwrap_or_else(|e| panic!("N: {e}"));
    let details: usize = args.get(4).map_or(1000, |d| {
        d.parse().unwrap_or_else(|e| panic!("DETAILS: {e}"))
    });
    let url = url.parse().unwrap_or_else(|e| panic!("BASE_URL: {e}"));
    let path = database_path(std::path::Path::new(dir), &url);
    let mut store = Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let demo = SnapshotSource::demo().unwrap_or_else(|e| panic!("{e}"));
    let main = &demo.studies()[0];
    let mut study = main.clone();
    study.id = STUDY.into();
    study.name = Some(format!("Synthetic study ({n} interviews)"));
    study.interview_count = Some(n as u64);
    store
        .put_study_detail(&study)
        .unwrap_or_else(|e| panic!("{e}"));
    let pool = demo.interviews_of(&main.id);
    let make = |i: usize| -> InterviewDetail {
        let mut d = pool[i % pool.len()].clone();
        d.interview.id = format!("00000000-0000-4000-8000-{i:012}");
        d.interview.study_id = Some(STUDY.into());
        d
    };
    let walk = store.begin_walk(STUDY).unwrap_or_else(|e| panic!("{e}"));
    for start in (0..n).step_by(1000) {
        let rows: Vec<_> = (start..(start + 1000).min(n))
            .map(|i| make(i).interview)
            .collect();
        store
            .apply_page(STUDY, walk, start as i64, &rows)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for i in 0..details.min(n) {
        store
            .put_detail(&make(i), None)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    store
        .finish_walk(STUDY, walk)
        .unwrap_or_else(|e| panic!("{e}"));
    println!("{}", path.display());
}
