//! The full-text index: matching per language (case, accents, CJK
//! substrings of any length), phrases and AND, any query string without an
//! error, and the index kept current by every sync write (and rebuilt by
//! a migration from a store that had none).

use proptest::prelude::*;
use rusqlite::Connection;
use serde_json::json;
use uj::api::InterviewFilters;
use uj::api::model::InterviewDetail;
use uj::store::{ListQuery, Store, schema};

const STUDY: &str = "s1";

fn detail(id: &str, language: &str, messages: &[(&str, Option<&str>)]) -> InterviewDetail {
    let transcript: Vec<_> = messages
        .iter()
        .enumerate()
        .map(|(k, (m, en))| json!({"role": if k % 2 == 0 {"agent"} else {"user"}, "message": m, "translated": en, "time_in_call_secs": k * 10}))
        .collect();
    serde_json::from_value(json!({
        "id": id, "study_id": STUDY, "status": "completed", "language": language,
        "headline": format!("headline of {id}"), "summary": null,
        "transcript": transcript,
        "question_answers": [{"question_index": 0, "question_text": "Q1", "answer_summary": format!("answer of {id}")}]
    }))
    .expect("detail")
}

fn corpus() -> Vec<InterviewDetail> {
    vec![
        detail(
            "en",
            "en",
            &[
                ("Hello", None),
                ("I had a Coupon and the checkout was quick", None),
            ],
        ),
        detail(
            "es",
            "es",
            &[
                ("Hola", Some("Hello")),
                (
                    "El café estaba cerrado; pagué con tarjeta",
                    Some("The cafe was closed; I paid by card"),
                ),
            ],
        ),
        detail(
            "de",
            "de",
            &[
                ("Hallo", Some("Hello")),
                (
                    "Die Liefergebühr war zu hoch",
                    Some("The delivery fee was too high"),
                ),
            ],
        ),
        detail(
            "ja",
            "ja",
            &[
                ("こんにちは", Some("Hello")),
                (
                    "クーポンが適用されたかどうか、送料込みの合計を確認したかった",
                    Some("I wanted to check the coupon and the total with shipping"),
                ),
            ],
        ),
        detail(
            "ar",
            "ar",
            &[
                ("مرحبا", Some("Hello")),
                ("الدفع كان سهلاً جداً", Some("Paying was very easy")),
            ],
        ),
    ]
}

fn store() -> Store {
    let mut store = Store::in_memory().expect("store");
    let all = corpus();
    let walk = store.begin_walk(STUDY).expect("walk");
    let rows: Vec<_> = all.iter().map(|d| d.interview.clone()).collect();
    store.apply_page(STUDY, walk, 0, &rows).expect("page");
    for d in &all {
        store.put_detail(d, None).expect("detail");
    }
    store
}

/// The interviews a search narrows the list to, in order.
fn found(store: &Store, q: &str) -> Vec<String> {
    let query = ListQuery {
        search: Some(q.into()),
        ..ListQuery::from(InterviewFilters::for_study(STUDY))
    };
    store
        .window(&query, 0, 100)
        .expect("never an error")
        .into_iter()
        .map(|i| i.id)
        .collect()
}

#[test]
fn each_language_matches_as_a_reader_expects() {
    let s = store();
    // English: case-insensitive, word starts.
    assert_eq!(
        found(&s, "coupon"),
        ["en", "ja"],
        "the Japanese one via its English"
    );
    assert_eq!(found(&s, "COUP"), ["en", "ja"]);
    assert_eq!(found(&s, "\"the checkout was\""), ["en"]);
    assert_eq!(
        found(&s, "\"checkout the\""),
        Vec::<String>::new(),
        "a phrase keeps its order"
    );
    assert_eq!(found(&s, "coupon quick"), ["en"], "words are ANDed");
    // Spanish: accents do not matter either way.
    assert_eq!(found(&s, "cafe"), ["es"]);
    assert_eq!(found(&s, "CAFÉ"), ["es"]);
    assert_eq!(found(&s, "pague"), ["es"]);
    // German: umlauts fold, compounds by their start.
    assert_eq!(found(&s, "liefergebuhr"), ["de"]);
    assert_eq!(found(&s, "Liefer"), ["de"]);
    // Japanese: substrings of any length, in the middle of a run.
    assert_eq!(found(&s, "クーポン"), ["ja"]);
    assert_eq!(found(&s, "適用された"), ["ja"]);
    assert_eq!(found(&s, "送料"), ["ja"], "a two-character word");
    assert_eq!(found(&s, "込"), ["ja"], "even one character");
    assert_eq!(found(&s, "料込"), ["ja"]);
    assert_eq!(found(&s, "送金"), Vec::<String>::new());
    // Arabic: whole words.
    assert_eq!(found(&s, "الدفع"), ["ar"]);
    // Headline and answer summaries are searched too.
    assert_eq!(found(&s, "\"answer of de\""), ["de"]);
}

#[test]
fn hits_say_where_and_how_often() {
    let s = store();
    let ids = vec!["ja".to_string(), "en".to_string()];
    let hits = s.row_hits(&ids, "coupon").expect("hits");
    let ja = &hits["ja"];
    assert_eq!(ja.count, 1);
    assert_eq!(ja.first_message, Some(1));
    assert!(ja.snippet.contains("coupon"), "{}", ja.snippet);
    let cjk = s.row_hits(&ids, "送料").expect("hits");
    assert!(cjk["ja"].snippet.contains("送料"), "{}", cjk["ja"].snippet);
    assert_eq!(s.hit_messages("ja", "hello").expect("hits"), [0]);
    let all = s.search_hits(STUDY, "hello", 100).expect("hits");
    let kinds: Vec<(&str, &str)> = all
        .iter()
        .map(|h| (h.interview_id.as_str(), h.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("en", "message"),
            ("es", "english"),
            ("de", "english"),
            ("ja", "english"),
            ("ar", "english")
        ]
    );
}

/// An interview whose transcript is not stored yet is found by its header
/// (headline, summary, reference id).
#[test]
fn an_interview_is_found_by_its_header_before_its_transcript_arrives() {
    let mut s = Store::in_memory().expect("store");
    let walk = s.begin_walk(STUDY).expect("walk");
    let rows: Vec<_> = corpus().iter().map(|d| d.interview.clone()).collect();
    s.apply_page(STUDY, walk, 0, &rows).expect("page");
    assert_eq!(found(&s, "\"headline of de\""), ["de"]);
    assert!(found(&s, "liefergebuhr").is_empty(), "no transcript yet");
    let hits = s
        .search_hits(STUDY, "\"headline of de\"", 10)
        .expect("hits");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].kind.as_str(), "meta");
}

#[test]
fn sync_writes_keep_the_index_current() {
    let mut s = store();
    // A new detail replaces what was indexed of the interview.
    let mut es = corpus()[1].clone();
    es.transcript[1].message = Some("Todo bien".into());
    es.transcript[1].translated = Some("All good".into());
    s.put_detail(&es, None).expect("detail");
    assert!(found(&s, "cafe").is_empty());
    assert_eq!(found(&s, "todo"), ["es"]);
    // A finished walk that no longer sees an interview takes it out.
    let walk = s.begin_walk(STUDY).expect("walk");
    let keep: Vec<_> = corpus()
        .iter()
        .filter(|d| d.interview.id != "de")
        .map(|d| d.interview.clone())
        .collect();
    s.apply_page(STUDY, walk, 0, &keep).expect("page");
    s.finish_walk(STUDY, walk).expect("finish");
    assert!(found(&s, "liefergebuhr").is_empty());
    let left: i64 = s
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM search WHERE rowid NOT IN (SELECT rowid FROM interviews)",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(left, 0);
    // Rebuilding from the mirror gives the same answers.
    let before: Vec<_> = ["todo", "coupon", "送料", "hello"]
        .iter()
        .map(|q| found(&s, q))
        .collect();
    s.rebuild_search().expect("rebuild");
    let after: Vec<_> = ["todo", "coupon", "送料", "hello"]
        .iter()
        .map(|q| found(&s, q))
        .collect();
    assert_eq!(before, after);
}

/// A store written before the index existed gets it on opening.
#[test]
fn a_store_from_before_the_index_is_indexed_when_migrated() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("v1.sqlite3");
    {
        let mut conn = Connection::open(&path).expect("open");
        schema::migrate(&mut conn, 0, 1, &mut |_, _| {}).expect("v1");
        let d = &corpus()[3];
        conn.execute(
            "INSERT INTO interviews (id, study_id, position, json, walk) VALUES ('ja', 's1', 0, ?1, 1)",
            [serde_json::to_string(&d.interview).expect("json")],
        )
        .expect("row");
        conn.execute(
            "INSERT INTO details (interview_id, json, list_json, fetched_at) VALUES ('ja', ?1, '', 'now')",
            [serde_json::to_string(d).expect("json")],
        )
        .expect("detail");
    }
    let s = Store::open(&path).expect("migrates");
    assert_eq!(found(&s, "送料"), ["ja"]);
    assert_eq!(found(&s, "shipping"), ["ja"]);
}

const OFFLINE_BASE: &str = "http://127.0.0.1:9/api/v1";

/// A store file as version 9 left it (its index kept its own copy of the
/// text), with the corpus and a mark, where `uj` under `home` finds it.
fn a_version_9_store(home: &std::path::Path) -> std::path::PathBuf {
    let data = home.join(".local").join("share").join("uj");
    std::fs::create_dir_all(&data).expect("dir");
    let path = uj::store::database_path(&data, &OFFLINE_BASE.parse().expect("url"));
    let mut conn = Connection::open(&path).expect("open");
    schema::migrate(&mut conn, 0, 9, &mut |_, _| {}).expect("v9");
    conn.execute(
        "INSERT INTO sync_state (study_id, walk, walk_done, interviews) VALUES ('s1', 1, 1, 5)",
        [],
    )
    .expect("state");
    for (n, d) in corpus().iter().enumerate() {
        conn.execute(
            "INSERT INTO interviews (id, study_id, position, json, walk) VALUES (?1, 's1', ?2, ?3, 1)",
            rusqlite::params![d.interview.id, n as i64, serde_json::to_string(&d.interview).expect("json")],
        )
        .expect("row");
        conn.execute(
            "INSERT INTO details (interview_id, json, list_json, fetched_at) VALUES (?1, ?2, '', 'now')",
            rusqlite::params![d.interview.id, serde_json::to_string(d).expect("json")],
        )
        .expect("detail");
    }
    conn.execute(
        "INSERT INTO marks (interview_id, study_id, starred, note, updated_at) VALUES ('ja', 's1', 1, 'mine', 't')",
        [],
    )
    .expect("mark");
    assert!(
        keeps_a_copy_of_the_text(&conn),
        "version 9's index keeps a copy of the text"
    );
    path
}

fn keeps_a_copy_of_the_text(conn: &Connection) -> bool {
    conn.query_row(
        "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'search_content'",
        [],
        |r| r.get(0),
    )
    .expect("query")
}

/// `uj --offline search 送料` under `home`, with `env` set.
fn search_offline(home: &std::path::Path, env: &[(&str, &str)]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_uj"))
        .env_clear()
        .env("HOME", home)
        .env("USERJOURNEYS_API_KEY", "uj_live_x")
        .env("USERJOURNEYS_BASE_URL", OFFLINE_BASE)
        .envs(env.iter().copied())
        .args(["--offline", "search", "送料", "--study", "s1"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs")
}

fn note_of_ja(conn: &Connection) -> String {
    conn.query_row(
        "SELECT note FROM marks WHERE interview_id = 'ja'",
        [],
        |r| r.get(0),
    )
    .expect("mark")
}

/// A store whose index kept its own copy of the text (version 9) gets
/// the smaller index when `uj` next opens it, says so on stderr, and
/// finds what it found before; marks are untouched.
#[test]
fn the_old_index_is_rebuilt_without_its_copy_of_the_text_and_says_so() {
    let home = tempfile::tempdir().expect("tmp");
    let path = a_version_9_store(home.path());
    let out = search_offline(home.path(), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("rebuilding the search index") && stderr.contains("(5 interviews)"),
        "{stderr}"
    );
    assert!(stdout.contains("ja") && stdout.contains("送料"), "{stdout}");
    let s = Store::open(&path).expect("open again");
    assert!(
        !keeps_a_copy_of_the_text(s.connection()),
        "the new index keeps no copy of the text"
    );
    assert_eq!(found(&s, "liefergebuhr"), ["de"]);
    assert_eq!(found(&s, "\"delivery fee\""), ["de"]);
    assert_eq!(note_of_ja(s.connection()), "mine");
    // Opened again: nothing more to rebuild, nothing said.
    drop(s);
    let again = search_offline(home.path(), &[]);
    assert!(!String::from_utf8_lossy(&again.stderr).contains("rebuilding"));
}

/// Killed while it rebuilds the index (three interviews of five in), the
/// store is version 9 as it was: its index whole, the mark kept; the next
/// start rebuilds it and finds the same.
#[test]
fn a_kill_while_the_index_is_rebuilt_leaves_the_old_store_whole() {
    let home = tempfile::tempdir().expect("tmp");
    let path = a_version_9_store(home.path());
    let indexed = |conn: &Connection| -> i64 {
        conn.query_row("SELECT COUNT(*) FROM search_content", [], |r| r.get(0))
            .expect("index")
    };
    let before = indexed(&Connection::open(&path).expect("open"));
    let killed = search_offline(home.path(), &[(uj::store::CRASH_MIDWAY_ENV, "3")]);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(killed.status.signal(), Some(9), "killed midway");
    assert!(
        String::from_utf8_lossy(&killed.stderr).contains("rebuilding the search index"),
        "it had begun"
    );
    {
        let conn = Connection::open(&path).expect("open");
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(version, 9);
        assert!(keeps_a_copy_of_the_text(&conn), "the old index is there");
        assert_eq!(indexed(&conn), before, "the old index is as it was");
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("check");
        assert_eq!(ok, "ok");
        assert_eq!(note_of_ja(&conn), "mine");
    }
    let out = search_offline(home.path(), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("ja") && stdout.contains("送料"), "{stdout}");
    let s = Store::open(&path).expect("open again");
    assert!(!keeps_a_copy_of_the_text(s.connection()));
    assert_eq!(note_of_ja(s.connection()), "mine");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever is typed, the answer is results or none, never an error.
    #[test]
    fn any_query_is_answered(q in "\\PC{0,40}|[\"*():^\\-\\sA-Za-z]{0,30}|(NEAR|AND|OR|NOT| |\"|\\*){0,12}|(quality|lang|tag|code|is|duration|date|ref|answered|status|OR|-|\\(|\\)|:|\\.\\.|>|5m|ja|x| ){0,14}") {
        let s = store();
        let query = ListQuery { search: Some(q.clone()), ..ListQuery::from(InterviewFilters::for_study(STUDY)) };
        prop_assert!(s.window(&query, 0, 10).is_ok(), "{q:?}");
        prop_assert!(s.count_of(&query).is_ok(), "{q:?}");
        prop_assert!(s.search_hits(STUDY, &q, 10).is_ok(), "{q:?}");
        prop_assert!(s.row_hits(&["ja".into()], &q).is_ok(), "{q:?}");
        // As the query language reads it: never an error either.
        let parsed = uj::store::query::parse(&q);
        let query = ListQuery {
            search: Some(parsed.text.clone()).filter(|t| !t.trim().is_empty()),
            filter: parsed.filter.clone(),
            ..ListQuery::from(InterviewFilters::for_study(STUDY))
        };
        prop_assert!(s.window(&query, 0, 10).is_ok(), "{q:?}");
        prop_assert!(s.count_of(&query).is_ok(), "{q:?}");
    }
}

#[test]
fn hostile_and_huge_queries_are_answered() {
    let s = store();
    let ten_kb = "coupon \"(AND)\" ".repeat(700);
    for q in [
        "\"",
        "*",
        "(",
        ":",
        "-",
        "^",
        "NEAR",
        "AND",
        "OR",
        "NOT",
        "\"unclosed",
        "a\u{0}b\u{1b}[2J",
        "col:text",
        "text:coupon",
        "{text}",
        "coupon*",
        "NEAR(coupon checkout, 3)",
        ten_kb.as_str(),
    ] {
        let query = ListQuery {
            search: Some(q.into()),
            ..ListQuery::from(InterviewFilters::for_study(STUDY))
        };
        assert!(s.window(&query, 0, 10).is_ok(), "{q:?}");
        assert!(s.search_hits(STUDY, q, 10).is_ok(), "{q:?}");
    }
    assert_eq!(
        found(&s, "coupon*"),
        ["en", "ja"],
        "the star is a character, not syntax"
    );
    assert_eq!(
        found(&s, "text:coupon"),
        Vec::<String>::new(),
        "a column name is a word"
    );
}
