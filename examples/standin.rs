//! The stand-in API server as a program, for `scripts/bench-e2e.sh` and for
//! trying `uj` against "a real server" by hand:
//!
//! ```sh
//! cargo run --release --example standin -- --port 8787 --latency-ms 200
//! USERJOURNEYS_API_KEY=uj_live_standin USERJOURNEYS_BASE_URL=http://127.0.0.1:8787/api/v1 uj
//! ```
//!
//! Options: `--port N` (0 picks one; the URL is printed), `--latency-ms N`,
//! `--key K` (default `uj_live_standin`), `--requests FILE` (every request is
//! appended, one line each), `--synthetic N` (adds a study of N interviews
//! made from the demo's), `--long M` (the first interview of that study gets
//! M messages), `--short S` (the second gets S messages: a baseline),
//! `--settled` (every synthetic interview is `completed`, as in a study
//! whose fieldwork ended).

#[path = "../tests/support/standin.rs"]
#[allow(dead_code)]
mod standin;

use std::io::Write;
use std::time::Duration;

use uj::api::SnapshotSource;
use uj::api::model::{InterviewDetail, Message, Role, StudyDetail};

pub const SYNTHETIC_STUDY: &str = "0b5e55ed-0000-4000-8000-000000000000";

fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let port: u16 = arg(&args, "--port").unwrap_or(0);
    let latency: u64 = arg(&args, "--latency-ms").unwrap_or(0);
    let key: String = arg(&args, "--key").unwrap_or_else(|| "uj_live_standin".into());
    let requests: Option<String> = arg(&args, "--requests");
    let synthetic: Option<usize> = arg(&args, "--synthetic");
    let long: Option<usize> = arg(&args, "--long");
    let short: Option<usize> = arg(&args, "--short");

    let demo = SnapshotSource::demo().unwrap_or_else(|e| panic!("{e}"));
    let source = match synthetic {
        None => demo,
        Some(n) => with_synthetic(
            &demo,
            n,
            [long, short],
            args.iter().any(|a| a == "--settled"),
        ),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    rt.block_on(async move {
        let server = standin::StandIn::start_on(source, &key, port).await;
        server.set_latency(Duration::from_millis(latency));
        println!("{}", server.base_url());
        let _ = std::io::stdout().flush();
        let mut written = 0;
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if let Some(path) = &requests {
                let all = server.requests();
                if all.len() > written {
                    if let Ok(mut f) = std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(path)
                    {
                        for r in &all[written..] {
                            let _ = writeln!(f, "{r}");
                        }
                    }
                    written = all.len();
                }
            }
        }
    });
}

/// The demo plus a study of `n` interviews copied from the demo's main
/// study (new ids, same content); the first ones optionally get made-up
/// transcripts of the given lengths.
fn with_synthetic(
    demo: &SnapshotSource,
    n: usize,
    lengths: [Option<usize>; 2],
    settled: bool,
) -> SnapshotSource {
    let main = &demo.studies()[0];
    let mut studies = demo.studies().to_vec();
    let mut study: StudyDetail = main.clone();
    study.id = SYNTHETIC_STUDY.into();
    study.name = Some(format!("Synthetic study ({n} interviews)"));
    study.interview_count = Some(n as u64);
    studies.push(study);
    let pool = demo.interviews_of(&main.id);
    let mut interviews: Vec<InterviewDetail> = studies
        .iter()
        .take(studies.len() - 1)
        .flat_map(|s| demo.interviews_of(&s.id).to_vec())
        .collect();
    for i in 0..n {
        let mut d = pool[i % pool.len()].clone();
        d.interview.id = format!("00000000-0000-4000-8000-{i:012}");
        d.interview.study_id = Some(SYNTHETIC_STUDY.into());
        if settled {
            d.interview.status = Some(uj::api::model::Status::Completed);
        }
        if let Some(Some(m)) = lengths.get(i).copied() {
            d.interview.headline = Some(format!("A long interview of {m} messages"));
            d.transcript = (0..m)
                .map(|k| Message {
                    role: Some(if k % 2 == 0 { Role::Agent } else { Role::User }),
                    message: Some(format!(
                        "Message {k}: {}",
                        "and then the checkout asked me for my card again ".repeat(1 + k % 3)
                    )),
                    time_in_call_secs: Some(k as f64 * 6.0),
                    ..Message::default()
                })
                .collect();
        }
        interviews.push(d);
    }
    SnapshotSource::from_parts(studies, interviews)
}
