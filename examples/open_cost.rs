//! Where opening a stored study spends its time (issue 20, item 2): each
//! read the browser makes before its first rows, timed on a store.
//!
//! ```sh
//! cargo run --release --example open_cost -- STORE.sqlite3 STUDY [RUNS]
//! ```

use std::time::Instant;

use uj::api::InterviewFilters;
use uj::store::{ListQuery, Store, read_window};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(study)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: open_cost STORE.sqlite3 STUDY [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(5);
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    for _ in 0..runs {
        let t = Instant::now();
        let store = Store::open(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
        let open = ms(t);
        let t = Instant::now();
        let _ = store.study_list();
        let list = ms(t);
        let t = Instant::now();
        let _ = store.study_counts();
        let counts = ms(t);
        let t = Instant::now();
        let _ = (store.study_detail(study), store.sync_state_counted(study));
        let detail = ms(t);
        let query = ListQuery::from(InterviewFilters::for_study(study.clone()));
        let t = Instant::now();
        let w = read_window(&store, &query, 0, 60, None).unwrap_or_else(|e| panic!("{e}"));
        let window = ms(t);
        let t = Instant::now();
        let _ = store.count_of(&query);
        let count = ms(t);
        let t = Instant::now();
        let rows = store.window(&query, 0, 60).unwrap_or_default();
        let read = ms(t);
        let ids: Vec<String> = rows.iter().map(|i| i.id.clone()).collect();
        let t = Instant::now();
        let _ = store.marks_of(&ids);
        let marks = ms(t);
        let t = Instant::now();
        let _ = store.mark_counts(study);
        let mark_counts = ms(t);
        println!(
            "  in the window: count {count:.2} · rows {read:.2} · marks {marks:.2} · mark counts {mark_counts:.2} ms"
        );
        println!(
            "open {open:.2} · study list {list:.2} · counts {counts:.2} · study {detail:.2} · window of {} {window:.2} ms",
            w.rows.len()
        );
    }
}
