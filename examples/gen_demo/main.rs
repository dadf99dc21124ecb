//! Writes the demo snapshot (`assets/demo/`) from the hand-written material
//! in `content.rs`, deterministically: the same seed gives the same bytes.
//!
//! Run: `cargo run --example gen_demo` (from the repository root).

mod content;

use std::fmt::Write as _;

use content::{Depth, Line, Script};
use serde_json::{Value, json};

const OUT_DIR: &str = "assets/demo";
const SEED: u64 = 0x756a_2026;
/// The newest interview starts here; older ones step back in time.
const NEWEST: i64 = 1_795_680_000; // 2026-11-27T06:40:00Z

struct StudySpec {
    id: &'static str,
    name: &'static str,
    product: &'static str,
    goal: &'static str,
    accepting: bool,
    questions: &'static [&'static str],
    scripts: Vec<Script>,
    /// Language weights, in the order of `scripts`.
    weights: &'static [u32],
    count: usize,
    created: &'static str,
}

fn main() {
    let mut rng = fastrand::Rng::with_seed(SEED);
    let specs = vec![
        StudySpec {
            id: "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70",
            name: "Checkout and payment experience",
            product: "Larder",
            goal: "Understand where the redesigned one-page checkout helps or hurts, and why payments fail.",
            accepting: true,
            questions: &content::CHECKOUT_QUESTIONS,
            scripts: content::checkout_scripts(),
            weights: &[40, 15, 12, 10, 8, 8, 7],
            count: 263,
            created: "2026-09-01T09:00:00.000Z",
        },
        StudySpec {
            id: "8a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
            name: "Courier onboarding",
            product: "Larder Courier",
            goal: "Find what makes the first two weeks hard for new couriers.",
            accepting: true,
            questions: &content::COURIER_QUESTIONS,
            scripts: content::courier_scripts(),
            weights: &[60, 40],
            count: 34,
            created: "2026-10-06T08:30:00.000Z",
        },
        StudySpec {
            id: "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f",
            name: "Larder Plus pricing page",
            product: "Larder Plus",
            goal: "Test whether people understand what the subscription includes and what it costs.",
            accepting: false,
            questions: &content::PRICING_QUESTIONS,
            scripts: content::pricing_scripts(),
            weights: &[1],
            count: 21,
            created: "2026-10-20T14:00:00.000Z",
        },
        StudySpec {
            id: "e9f0a1b2-c3d4-4e5f-a6b7-c8d9e0f1a2b3",
            name: "Holiday promotions (not started)",
            product: "Larder",
            goal: "Learn how households plan their holiday grocery orders.",
            accepting: false,
            questions: &["How do you plan your holiday food shopping?"],
            scripts: Vec::new(),
            weights: &[],
            count: 0,
            created: "2026-11-20T10:00:00.000Z",
        },
    ];

    let mut studies = Vec::new();
    let mut lines = String::new();
    for spec in &specs {
        let mut when = NEWEST - rng.i64(0..20_000);
        for n in 0..spec.count {
            let script = &spec.scripts[pick_weighted(&mut rng, spec.weights)];
            let interview = interview(&mut rng, spec, script, n, when);
            let _ = writeln!(
                lines,
                "{}",
                serde_json::to_string(&interview).expect("json")
            );
            when -= rng.i64(3_600..30_000);
        }
        studies.push(json!({
            "id": spec.id,
            "object": "study",
            "name": spec.name,
            "status": "active",
            "interview_link": format!("https://app.userjourneys.ai/i/{}", &spec.id[..8]),
            "accepting_responses": spec.accepting,
            "supported_languages": spec.scripts.iter().map(|s| s.language).collect::<Vec<_>>(),
            "limits": {"monthly": {"limit": 400, "used": spec.count.min(400)}, "weekly": {"limit": 100, "used": spec.count.min(37)}},
            "created_at": spec.created,
            "research_goal": spec.goal,
            "product_name": spec.product,
            "questions": spec.questions.iter().map(|q| json!({"text": q})).collect::<Vec<_>>(),
            "interview_count": spec.count,
        }));
    }
    std::fs::create_dir_all(OUT_DIR).expect("create assets/demo");
    let studies = serde_json::to_string_pretty(&studies).expect("json") + "\n";
    std::fs::write(format!("{OUT_DIR}/studies.json"), studies).expect("write studies");
    std::fs::write(format!("{OUT_DIR}/interviews.jsonl"), lines).expect("write interviews");
    eprintln!("wrote {OUT_DIR}/studies.json and {OUT_DIR}/interviews.jsonl");
}

fn pick_weighted(rng: &mut fastrand::Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut roll = rng.u32(0..total);
    for (i, w) in weights.iter().enumerate() {
        if roll < *w {
            return i;
        }
        roll -= w;
    }
    0
}

fn uuid(rng: &mut fastrand::Rng) -> String {
    let hex = |rng: &mut fastrand::Rng, n: usize| {
        (0..n)
            .map(|_| char::from_digit(rng.u32(0..16), 16).unwrap_or('0'))
            .collect::<String>()
    };
    format!(
        "{}-{}-4{}-{}{}-{}",
        hex(rng, 8),
        hex(rng, 4),
        hex(rng, 3),
        ['8', '9', 'a', 'b'][rng.usize(0..4)],
        hex(rng, 3),
        hex(rng, 12)
    )
}

fn iso(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .expect("timestamp")
        .format("%Y-%m-%dT%H:%M:%S.000Z")
        .to_string()
}

/// Seconds a line takes to say: scripts without spaces (Japanese) are
/// denser per character.
fn speaking_time(rng: &mut fastrand::Rng, text: &str) -> f64 {
    let chars = text.chars().count() as f64;
    let per_sec = if text.contains(' ') { 14.0 } else { 6.0 };
    (chars / per_sec + rng.f64() * 4.0 + 1.0).round()
}

fn message(role: &str, line: &Line, t: f64) -> Value {
    let mut m = json!({"role": role, "message": line.0, "time_in_call_secs": t});
    if let Some(english) = line.1 {
        m["translated"] = json!(english);
    }
    m
}

const FIRST: [&str; 12] = [
    "maria", "james", "lena", "yuki", "omar", "ana", "lucas", "chloe", "tom", "sofia", "kenji",
    "amira",
];
const LAST: [&str; 10] = [
    "garcia", "smith", "mueller", "tanaka", "haddad", "silva", "martin", "brown", "costa", "ito",
];

fn interview(
    rng: &mut fastrand::Rng,
    spec: &StudySpec,
    script: &Script,
    n: usize,
    started: i64,
) -> Value {
    let id = uuid(rng);
    // A few of the newest are still running or being analysed; the very
    // newest is complete, so the demo opens on a full interview.
    let status = match n {
        3 | 9 | 14 | 20 => "started",
        1 | 6 | 11 => "processing",
        _ => "completed",
    };
    // How talkative this respondent is.
    let engagement = rng.f64();
    let picks: Vec<usize> = script
        .questions
        .iter()
        .map(|q| {
            let want = if rng.f64() < engagement {
                Depth::Rich
            } else if rng.bool() {
                Depth::Plain
            } else {
                Depth::Thin
            };
            let fitting: Vec<usize> = (0..q.answers.len())
                .filter(|&i| q.answers[i].depth == want)
                .collect();
            let pool = if fitting.is_empty() {
                (0..q.answers.len())
                    .filter(|&i| q.answers[i].depth == Depth::Thin)
                    .collect()
            } else {
                fitting
            };
            pool[rng.usize(0..pool.len())]
        })
        .collect();

    // One interview in the main study runs past an hour, to show h:mm:ss.
    let pace = if n == 42 { 30.0 } else { 1.0 };
    let mut transcript = Vec::new();
    let mut answers = Vec::new();
    let mut t = 0.0;
    let mut say =
        |role: &str, line: &Line, transcript: &mut Vec<Value>, rng: &mut fastrand::Rng| {
            transcript.push(message(role, line, t));
            // Respondents pause to think before they answer.
            let pause = if role == "agent" {
                2.0
            } else {
                rng.f64() * 18.0 + 3.0
            };
            t += ((speaking_time(rng, line.0) + pause) * pace).round();
            line.0
        };
    say("agent", &script.greeting, &mut transcript, rng);
    for (qi, (q, &pick)) in script.questions.iter().zip(&picks).enumerate() {
        let a = &q.answers[pick];
        say("agent", &q.asked, &mut transcript, rng);
        let mut excerpt =
            vec![json!({"role": "user", "message": say("user", &a.text, &mut transcript, rng)})];
        if let Some(detail) = &a.detail {
            say("agent", &script.probe, &mut transcript, rng);
            excerpt.push(
                json!({"role": "user", "message": say("user", detail, &mut transcript, rng)}),
            );
        }
        answers.push(json!({
            "question_index": qi,
            "question_text": spec.questions[qi],
            "answer_summary": a.summary,
            "answer_excerpt": if a.summary.is_some() || rng.bool() { Value::Array(excerpt) } else { json!([]) },
        }));
    }
    say("agent", &script.closing, &mut transcript, rng);
    let duration = t + 3.0;

    let chosen: Vec<_> = script
        .questions
        .iter()
        .zip(&picks)
        .map(|(q, &p)| &q.answers[p])
        .collect();
    let rich = chosen.iter().filter(|a| a.depth == Depth::Rich).count();
    let plain = chosen.iter().filter(|a| a.depth == Depth::Plain).count();
    let quality = if rich * 2 > chosen.len() {
        "insightful"
    } else if rich > 0 || plain * 2 >= chosen.len() {
        "successful"
    } else {
        "unsuccessful"
    };
    // The headline leads with the most telling answer: payments first.
    let order = [1usize, 0, 3, 2];
    let headline = order
        .iter()
        .filter_map(|&i| chosen.get(i))
        .find(|a| a.depth == Depth::Rich)
        .or_else(|| chosen.iter().find(|a| a.depth == Depth::Plain))
        .and_then(|a| a.summary)
        .unwrap_or("Short answers with little detail to act on");
    let summary_parts: Vec<&str> = chosen.iter().filter_map(|a| a.summary).collect();
    let summary = if summary_parts.is_empty() {
        "The respondent answered every question briefly and did not expand when asked.".to_string()
    } else {
        summary_parts.join(". ") + "."
    };

    let reference = (rng.f64() < 0.75).then(|| format!("cust_{}", rng.u32(10_000..99_999)));
    let email = (rng.f64() < 0.2).then(|| {
        format!(
            "{}.{}@example.com",
            FIRST[rng.usize(0..FIRST.len())],
            LAST[rng.usize(0..LAST.len())]
        )
    });

    let mut v = json!({
        "id": id,
        "object": "interview",
        "study_id": spec.id,
        "status": status,
        "reference_id": reference,
        "respondent_email": email,
        "language": script.language,
        "quality_score": quality,
        "duration_secs": duration as i64,
        "headline": headline,
        "summary": summary,
        "started_at": iso(started),
        "completed_at": iso(started + duration as i64),
        "created_at": iso(started),
        "transcript": transcript,
        "question_answers": answers,
    });
    match status {
        "started" => {
            let keep = 2 + rng.usize(0..3);
            if let Some(t) = v["transcript"].as_array_mut() {
                t.truncate(keep);
            }
            for field in [
                "quality_score",
                "duration_secs",
                "headline",
                "summary",
                "completed_at",
            ] {
                v[field] = Value::Null;
            }
            v["question_answers"] = json!([]);
        }
        "processing" => {
            for field in ["quality_score", "headline", "summary"] {
                v[field] = Value::Null;
            }
            v["question_answers"] = Value::Null;
        }
        _ => {}
    }
    v
}
