//! The query language: what each query means (a table), and `uj
//! interviews --query` against a truth computed from the data.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

use support::KEY;
use uj::api::SnapshotSource;
use uj::api::model::InterviewDetail;
use uj::store::query::{Cmp, Expr, Field, Flag, parse};
use uj::store::{MarkChange, NewHighlight, Store, database_path};

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";
const NOWHERE: &str = "http://127.0.0.1:9/api/v1";

fn field(f: Field) -> Expr {
    Expr::Field(f)
}

fn and(v: Vec<Expr>) -> Option<Expr> {
    Some(Expr::And(v))
}

#[test]
fn queries_and_their_meaning() {
    let word = |w: &str| Expr::Text {
        text: w.into(),
        phrase: false,
    };
    let table: Vec<(&str, &str, Option<Expr>, &str)> = vec![
        // (typed, the words searched, the filter, as the top bar shows it)
        ("delivery fee", "delivery fee", None, "delivery · fee"),
        (
            "\"delivery fee\"",
            "\"delivery fee\"",
            None,
            "\"delivery fee\"",
        ),
        (
            "quality:insightful lang:ja \"delivery fee\"",
            "\"delivery fee\"",
            and(vec![
                field(Field::Quality(Some("insightful".into()))),
                field(Field::Lang("ja".into())),
            ]),
            "quality:insightful · lang:ja · \"delivery fee\"",
        ),
        (
            "quality:none",
            "",
            and(vec![field(Field::Quality(None))]),
            "quality:none",
        ),
        (
            "status:Started",
            "",
            and(vec![field(Field::Status("started".into()))]),
            "status:started",
        ),
        (
            "tag:\"call back\"",
            "",
            and(vec![field(Field::Tag("call back".into()))]),
            "tag:call back",
        ),
        (
            "code:Pricing",
            "",
            and(vec![field(Field::Code("Pricing".into()))]),
            "code:Pricing",
        ),
        (
            "is:reviewed is:unreviewed is:starred is:coded is:noted",
            "",
            and(vec![
                field(Field::Is(Flag::Reviewed)),
                field(Field::Is(Flag::Unreviewed)),
                field(Field::Is(Flag::Starred)),
                field(Field::Is(Flag::Coded)),
                field(Field::Is(Flag::Noted)),
            ]),
            "is:reviewed · is:unreviewed · is:starred · is:coded · is:noted",
        ),
        (
            "answered:2",
            "",
            and(vec![field(Field::Answered(2))]),
            "answered:2",
        ),
        (
            "duration:>5m duration:<=90s",
            "",
            and(vec![
                field(Field::Duration(Cmp::More, 300)),
                field(Field::Duration(Cmp::AtMost, 90)),
            ]),
            "duration:>5:00 · duration:<=1:30",
        ),
        (
            "date:2026-11-01..2026-11-15",
            "",
            and(vec![field(Field::Date(
                "2026-11-01".into(),
                "2026-11-15".into(),
            ))]),
            "date:2026-11-01..2026-11-15",
        ),
        (
            "ref:cust_1",
            "",
            and(vec![field(Field::Ref("cust_1".into()))]),
            "ref:cust_1",
        ),
        (
            "-is:reviewed coupon",
            "coupon",
            and(vec![Expr::Not(Box::new(field(Field::Is(Flag::Reviewed))))]),
            "-is:reviewed · coupon",
        ),
        (
            "lang:ja OR lang:fr",
            "",
            and(vec![Expr::Or(vec![
                field(Field::Lang("ja".into())),
                field(Field::Lang("fr".into())),
            ])]),
            "(lang:ja OR lang:fr)",
        ),
        (
            "(refund OR chargeback) -quality:unsuccessful",
            "",
            and(vec![
                Expr::And(vec![Expr::Or(vec![word("refund"), word("chargeback")])]),
                Expr::Not(Box::new(field(Field::Quality(Some("unsuccessful".into()))))),
            ]),
            "((refund OR chargeback)) · -quality:unsuccessful",
        ),
        // Not a field: literal text.
        ("pricing:page", "\"pricing page\"", None, "\"pricing page\""),
        (
            "quality:great",
            "\"quality great\"",
            None,
            "\"quality great\"",
        ),
        ("e-mail", "e-mail", None, "e-mail"),
        // Does not parse: the words as typed.
        ("(lang:ja", " lang:ja", None, "lang:ja"),
        ("a OR", "a OR", None, "a · OR"),
    ];
    for (typed, words, filter, shown) in table {
        let q = parse(typed);
        assert_eq!(q.text, words, "{typed:?}: words");
        assert_eq!(q.filter, filter, "{typed:?}: filter");
        assert_eq!(q.shown, shown, "{typed:?}: shown");
    }
}

/// A home whose store holds the demo's main study, with marks and codes.
fn home() -> (tempfile::TempDir, Vec<InterviewDetail>) {
    let home = tempfile::tempdir().expect("tmp");
    let data = home.path().join(".local").join("share").join("uj");
    let mut store =
        Store::open(&database_path(&data, &NOWHERE.parse().expect("url"))).expect("store");
    let demo = SnapshotSource::demo().expect("demo");
    store.put_study_detail(&demo.studies()[0]).expect("study");
    let all = demo.interviews_of(MAIN).to_vec();
    support::store_whole_study(&mut store, MAIN, &all);
    for (k, d) in all.iter().enumerate().take(40) {
        let id = &d.interview.id;
        if k % 2 == 0 {
            store
                .change_marks(id, MAIN, &MarkChange::ToggleReviewed)
                .expect("mark");
        }
        if k % 3 == 0 {
            store
                .change_marks(id, MAIN, &MarkChange::ToggleStarred)
                .expect("mark");
            store
                .change_marks(id, MAIN, &MarkChange::parse_tags("Call-back"))
                .expect("tag");
        }
        if k % 5 == 0 {
            let code = if k % 10 == 0 { "fees" } else { "Pricing" };
            store
                .code_passage(
                    &NewHighlight {
                        study_id: MAIN.into(),
                        interview_id: id.clone(),
                        message: Some(1),
                        end: 3,
                        quote: "abc".into(),
                        ..NewHighlight::default()
                    },
                    &[code.into()],
                )
                .expect("code");
        }
    }
    store
        .move_code(MAIN, "fees", Some("Pricing"))
        .expect("theme");
    (home, all)
}

fn ids(home: &Path, query: &str) -> BTreeSet<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_uj"))
        .env_clear()
        .env("HOME", home)
        .env("USERJOURNEYS_API_KEY", KEY)
        .env("USERJOURNEYS_BASE_URL", NOWHERE)
        .env("TZ", "UTC")
        .args([
            "--offline",
            "interviews",
            "--study",
            MAIN,
            "--all",
            "--json",
        ])
        // `=`: a query may start with `-`.
        .arg(format!("--query={query}"))
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{query}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("json")["id"]
                .as_str()
                .expect("id")
                .to_string()
        })
        .collect()
}

#[test]
fn uj_interviews_query_keeps_what_the_data_says() {
    let (home, all) = home();
    let truth = |pred: &dyn Fn(usize, &InterviewDetail) -> bool| -> BTreeSet<String> {
        all.iter()
            .enumerate()
            .filter(|(k, d)| pred(*k, d))
            .map(|(_, d)| d.interview.id.clone())
            .collect()
    };
    let quality = |d: &InterviewDetail| {
        d.interview
            .quality_score
            .as_ref()
            .map(|q| q.as_str().to_string())
    };
    let lang = |d: &InterviewDetail| d.interview.language.clone().unwrap_or_default();
    let dur = |d: &InterviewDetail| d.interview.duration_secs.unwrap_or(-1.0);
    let day = |d: &InterviewDetail| d.interview.started_at.clone().unwrap_or_default();
    let cases: Vec<(&str, BTreeSet<String>)> = vec![
        (
            "quality:insightful lang:ja",
            truth(&|_, d| quality(d).as_deref() == Some("insightful") && lang(d) == "ja"),
        ),
        (
            "lang:ja -quality:insightful",
            truth(&|_, d| quality(d).as_deref() != Some("insightful") && lang(d) == "ja"),
        ),
        ("quality:none", truth(&|_, d| quality(d).is_none())),
        (
            "(lang:fr OR lang:de) duration:>4m",
            truth(&|_, d| (lang(d) == "fr" || lang(d) == "de") && dur(d) > 240.0),
        ),
        (
            "status:started OR status:processing",
            truth(&|_, d| {
                matches!(
                    d.interview.status.as_ref().map(|s| s.as_str()),
                    Some("started") | Some("processing")
                )
            }),
        ),
        (
            "date:2026-11-01..2026-11-15",
            truth(&|_, d| {
                let day = day(d);
                day.get(..10)
                    .is_some_and(|x| ("2026-11-01"..="2026-11-15").contains(&x))
            }),
        ),
        (
            "ref:cust_1",
            truth(&|_, d| {
                d.interview
                    .reference_id
                    .as_deref()
                    .is_some_and(|r| r.starts_with("cust_1"))
            }),
        ),
        ("is:reviewed", truth(&|k, _| k < 40 && k % 2 == 0)),
        ("-is:reviewed", truth(&|k, _| k >= 40 || k % 2 == 1)),
        (
            "is:starred tag:call-back",
            truth(&|k, _| k < 40 && k % 3 == 0),
        ),
        ("code:Pricing", truth(&|k, _| k < 40 && k % 5 == 0)),
        ("code:fees", truth(&|k, _| k < 40 && k % 10 == 0)),
        (
            "is:coded -code:fees",
            truth(&|k, _| k < 40 && k % 5 == 0 && k % 10 != 0),
        ),
        (
            "answered:2",
            truth(&|_, d| {
                d.question_answers
                    .get(1)
                    .and_then(|a| a.summary())
                    .is_some_and(|s| !s.trim().is_empty())
            }),
        ),
    ];
    for (query, expected) in cases {
        assert!(
            !expected.is_empty() || query == "quality:none",
            "{query}: a truth that tests nothing"
        );
        assert_eq!(ids(home.path(), query), expected, "{query}");
    }
}
