//! The coding figures of BENCHMARKS.md over a store `fill_store` wrote:
//!
//! ```sh
//! cargo run --release --example fill_store -- /tmp/ujb http://127.0.0.1:9/api/v1 10000 10000
//! cargo run --release --example coding_bench -- /tmp/ujb http://127.0.0.1:9/api/v1
//! ```
//!
//! It codes one message of every stored interview with one of 50 codes (10
//! themes of 5), then times, in one run: the board of a theme, the matrix
//! by quality, the report, and the QDPX export against the JSON Lines
//! export of the same study (the ratio is the figure).

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use uj::api::InterviewFilters;
use uj::export::{Format, ReportRequest, Request, export, report};
use uj::present::TextMode;
use uj::store::{ListQuery, NewHighlight, Quoted, Segment, Store, database_path};

const STUDY: &str = "0b5e55ed-0000-4000-8000-000000000000";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(base)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: coding_bench DATA_DIR BASE_URL");
        std::process::exit(2);
    };
    let path = database_path(std::path::Path::new(dir), &base.parse().expect("url"));
    let mut store = Store::open(&path).expect("store");
    let filters = InterviewFilters::for_study(STUDY);
    let query = ListQuery::from(filters.clone());
    let ids: Vec<String> = store
        .window(&query, 0, usize::MAX >> 1)
        .expect("rows")
        .into_iter()
        .map(|i| i.id)
        .collect();
    let n = ids.len();
    if store.coded_interviews(STUDY).expect("count") == 0 {
        let started = Instant::now();
        for (k, id) in ids.iter().enumerate() {
            let code = format!("code {:02}", k % 50);
            let new = NewHighlight {
                study_id: STUDY.into(),
                interview_id: id.clone(),
                message: Some(1),
                quoted: Quoted::Original,
                start: 0,
                end: 20,
                quote: "a quote of twenty ch".into(),
                speaker: Some("Respondent".into()),
                at_secs: Some(12.0),
                ..NewHighlight::default()
            };
            store.code_passage(&new, &[code]).expect("code");
        }
        for t in 0..10 {
            let theme = format!("theme {t}");
            for c in 0..5 {
                let code = format!("code {:02}", t * 5 + c);
                if c == 0 {
                    store.rename_code(STUDY, &code, &theme).expect("theme");
                    continue;
                }
                store.move_code(STUDY, &code, Some(&theme)).expect("move");
            }
        }
        println!(
            "coded {n} interviews one transaction each: {:.0} µs a highlight",
            started.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    }
    let theme = store
        .code_named(STUDY, "theme 0")
        .expect("read")
        .expect("theme");
    // The median of three runs: the machine is shared and noisy.
    let time = |what: &str, f: &mut dyn FnMut()| {
        let mut runs: Vec<f64> = (0..3)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        runs.sort_by(f64::total_cmp);
        println!("{what}: {:.1} ms (median of 3)", runs[1]);
        runs[1]
    };
    time("board of a theme (5 codes)", &mut || {
        let codes = store.code_subtree(theme.id).expect("subtree");
        let e = store.evidence(&query, Some(&codes)).expect("evidence");
        assert!(!e.is_empty());
    });
    time(
        "board of every highlight, first screens (as the browser reads it)",
        &mut || {
            let mut e = store.evidence_bare(&query, None).expect("evidence");
            assert_eq!(e.len(), n);
            let first = e.len().min(uj::app::coding::ENGLISH_BATCH);
            store.fill_english(&mut e[..first]).expect("english");
        },
    );
    time(
        "board of every highlight, every English read (as `uj highlights`)",
        &mut || {
            let e = store.evidence(&query, None).expect("evidence");
            assert_eq!(e.len(), n);
        },
    );
    time("matrix by quality, 50 codes", &mut || {
        store.matrix(&query, Segment::Quality).expect("matrix");
    });
    // What `c` then Enter costs the store before the highlight is drawn:
    // the committed change, then the interview's highlights and the
    // codebook read again (the frame itself: examples/frame_cost).
    let mut worst = 0f64;
    let mut total = 0f64;
    for (k, id) in ids.iter().take(50).enumerate() {
        let t = Instant::now();
        let new = NewHighlight {
            study_id: STUDY.into(),
            interview_id: id.clone(),
            message: Some(3),
            quoted: Quoted::Original,
            start: 0,
            end: 4,
            quote: "next".into(),
            ..NewHighlight::default()
        };
        let step = store
            .code_passage(&new, &[format!("code {:02}", k % 50)])
            .expect("code");
        // What the browser reads after a change (counts only while the
        // codebook is open).
        store.highlights_of_interview(id).expect("highlights");
        store.codebook_names(STUDY).expect("codebook");
        let ms = t.elapsed().as_secs_f64() * 1e3;
        worst = worst.max(ms);
        total += ms;
        store.restore(&step.before).expect("undo");
    }
    println!(
        "code a message and read back: mean {:.2} ms, worst {worst:.2} ms (50 runs)",
        total / 50.0
    );
    time("codebook with counts (opening it)", &mut || {
        store.codebook(STUDY).expect("codebook");
    });
    // `;x` over the whole study, then its undo (each one transaction).
    time(
        "bulk: mark every interview reviewed, then undo it",
        &mut || {
            let step = store
                .bulk_marks(&query, &uj::store::MarkChange::SetReviewed(true))
                .expect("bulk");
            store.restore(&step.before).expect("undo");
        },
    );
    let t = Instant::now();
    let step = store
        .bulk_marks(&query, &uj::store::MarkChange::SetReviewed(true))
        .expect("bulk");
    println!(
        "bulk alone: {:.1} ms for {} interviews",
        t.elapsed().as_secs_f64() * 1e3,
        step.after.marks.len()
    );
    store.restore(&step.before).expect("undo");
    let out = tempfile::tempdir().expect("tmp");
    time("report", &mut || {
        report(
            &store,
            &ReportRequest {
                query: query.clone(),
                codes: Vec::new(),
                quotes_per_code: 5,
                text: TextMode::Original,
                out: out.path().join("report.md"),
                force: true,
                filters_shown: Vec::new(),
            },
        )
        .expect("report");
    });
    let run = |format: Format, name: &str| {
        let req = Request {
            filters: filters.clone(),
            marks: Default::default(),
            language: None,
            text: TextMode::Original,
            format,
            table: None,
            out: out.path().join(name),
            force: true,
            query: None,
        };
        let t = Instant::now();
        export(&store, &req, &AtomicBool::new(false), &|_, _| {}).expect("export");
        t.elapsed().as_secs_f64() * 1e3
    };
    let jsonl = run(Format::Jsonl, "all.jsonl");
    let qdpx = run(Format::Qdpx, "all.qdpx");
    println!(
        "export of {n}: jsonl {jsonl:.0} ms, qdpx {qdpx:.0} ms, ratio {:.2}",
        qdpx / jsonl
    );
}
