//! The least a client can do to fetch a study: what `uj sync` is measured
//! against (BENCHMARKS.md, "The sync against a minimal client"). The same
//! requests as `uj sync` through the same HTTP client: the study's detail
//! beside the first page, the list a page of 100 at a time, each detail
//! as soon as its page is in, `CONCURRENCY` at once. Nothing is decoded
//! beyond what the client does, nothing is stored.
//!
//! ```sh
//! cargo run --release --example minimal_sync -- BASE_URL KEY STUDY [CONCURRENCY]
//! ```

use std::sync::Arc;
use std::time::Instant;

use uj::api::source::MAX_LIMIT;
use uj::api::{ApiKey, HttpOptions, HttpSource, InterviewFilters, Source};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(base), Some(key), Some(study)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: minimal_sync BASE_URL KEY STUDY [CONCURRENCY]");
        std::process::exit(2);
    };
    let concurrency: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(4);
    let base = base.parse().unwrap_or_else(|e| panic!("{e}"));
    let source = Arc::new(
        HttpSource::new(base, &ApiKey::new(key.clone()), HttpOptions::default())
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let started = Instant::now();
    let (tx, rx) = async_channel();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let source = source.clone();
            let rx = rx.clone();
            tokio::spawn(async move {
                let mut n = 0usize;
                while let Some(id) = next(&rx).await {
                    source
                        .get_interview(&id)
                        .await
                        .unwrap_or_else(|e| panic!("{e}"));
                    n += 1;
                }
                n
            })
        })
        .collect();
    let study_detail = {
        let source = source.clone();
        let id = study.clone();
        tokio::spawn(async move { source.get_study(&id).await })
    };
    let filters = InterviewFilters::for_study(study.clone());
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = source
            .list_interviews(&filters, cursor.as_deref(), Some(MAX_LIMIT))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        pages += 1;
        for i in &page.data {
            let _ = tx.send(i.id.clone());
        }
        match (page.has_more, page.data.last()) {
            (true, Some(last)) => cursor = Some(last.id.clone()),
            _ => break,
        }
    }
    drop(tx);
    study_detail
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut details = 0;
    for w in workers {
        details += w.await.unwrap_or_else(|e| panic!("{e}"));
    }
    println!(
        "{:.3} s: 1 study, {pages} pages, {details} details, concurrency {concurrency}",
        started.elapsed().as_secs_f64()
    );
}

type Queue = Arc<tokio::sync::Mutex<tokio::sync::mpsc::UnboundedReceiver<String>>>;

fn async_channel() -> (tokio::sync::mpsc::UnboundedSender<String>, Queue) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    (tx, Arc::new(tokio::sync::Mutex::new(rx)))
}

async fn next(rx: &Queue) -> Option<String> {
    rx.lock().await.recv().await
}
