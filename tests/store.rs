//! The store on its own: files and permissions, schema versions and
//! migrations, refusing newer or damaged files, and the write rules the
//! sync relies on (classification, removal, marks untouched).

use std::os::unix::fs::PermissionsExt;

use rusqlite::{Connection, params};
use uj::api::InterviewFilters;
use uj::api::model::{Interview, InterviewDetail, Quality, Status};
use uj::store::{Store, StoreError, schema};

fn interview(id: &str, status: Status, headline: &str) -> Interview {
    Interview {
        id: id.into(),
        study_id: Some("s1".into()),
        status: Some(status),
        quality_score: Some(Quality::Insightful),
        headline: Some(headline.into()),
        reference_id: Some(format!("ref-{id}")),
        ..Interview::default()
    }
}

fn detail(i: &Interview) -> InterviewDetail {
    InterviewDetail {
        interview: i.clone(),
        ..InterviewDetail::default()
    }
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

fn set_mark(store: &Store, id: &str) {
    store
        .connection()
        .execute(
            "INSERT INTO marks (interview_id, study_id, reviewed, starred, tags, note, updated_at)
             VALUES (?1, 's1', 1, 1, '[\"coupon\"]', 'call back', '2026-11-29T00:00:00Z')",
            params![id],
        )
        .expect("mark");
}

fn marks(conn: &Connection) -> Vec<(String, bool, bool, String, String)> {
    let mut stmt = conn
        .prepare(
            "SELECT interview_id, reviewed, starred, tags, note FROM marks ORDER BY interview_id",
        )
        .expect("prepare");
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

#[test]
fn a_new_store_is_private_and_in_wal_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("data").join("uj").join("x.sqlite3");
    let mut store = Store::open(&path).expect("opens");
    store
        .apply_page("s1", 1, 0, &[interview("a", Status::Completed, "A")])
        .expect("write");
    assert_eq!(mode(path.parent().expect("dir")), 0o700);
    assert_eq!(mode(&path), 0o600);
    // SQLite gives the WAL and shared-memory files the database's mode.
    for side in ["-wal", "-shm"] {
        let p = std::path::PathBuf::from(format!("{}{side}", path.display()));
        assert_eq!(mode(&p), 0o600, "{side}");
    }
    let journal: String = store
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(journal, "wal");
    let version: i64 = store
        .connection()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(version, schema::CURRENT);

    // A directory and file whose modes someone else chose keep them (uj
    // changes modes only on what it creates; `uj doctor` says they are
    // open to others).
    drop(store);
    std::fs::set_permissions(
        path.parent().expect("dir"),
        std::fs::Permissions::from_mode(0o755),
    )
    .expect("chmod");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    Store::open(&path).expect("reopens");
    assert_eq!(mode(path.parent().expect("dir")), 0o755);
    assert_eq!(mode(&path), 0o644);
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("newer.sqlite3");
    {
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .expect("setup");
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let before = std::fs::read(&path).expect("read");
    let err = Store::open(&path).expect_err("refused");
    assert!(
        matches!(err, StoreError::Newer { found: 99, .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("newer.sqlite3") && text.contains("upgrade uj"),
        "{text}"
    );
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert!(!dir.path().join("newer.sqlite3-wal").exists());
    assert_eq!(mode(&path), 0o644, "its mode is its own");
    // Through a symlink too: the target keeps its mode.
    let link = dir.path().join("link.sqlite3");
    std::os::unix::fs::symlink(&path, &link).expect("link");
    Store::open(&link).expect_err("refused");
    assert_eq!(mode(&path), 0o644);
    // An existing directory keeps its mode; a new store file is 0600.
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).expect("mkdir");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o750)).expect("chmod");
    Store::open(&shared.join("new.sqlite3")).expect("opens");
    assert_eq!(mode(&shared), 0o750);
    assert_eq!(mode(&shared.join("new.sqlite3")), 0o600);
}

#[test]
fn a_damaged_file_is_named_and_never_wiped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad.sqlite3");
    let garbage: Vec<u8> = (0..8192u32).map(|n| (n * 7 + 3) as u8).collect();
    std::fs::write(&path, &garbage).expect("write");
    let err = Store::open(&path).expect_err("refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert!(text.contains("move it away"), "{text}");
    assert!(text.contains("uj marks export --from"), "{text}");
    assert_eq!(std::fs::read(&path).expect("read"), garbage);
}

#[test]
fn an_unusable_directory_is_one_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").expect("write");
    let err = Store::open(&file.join("uj").join("x.sqlite3")).expect_err("refused");
    assert!(matches!(err, StoreError::Unwritable { .. }), "{err:?}");
    assert!(err.to_string().contains("--no-store"), "{err}");
}

/// Builds a database at every earlier version, with mirrored rows and
/// marks and highlights where the schema has them, and migrates it: the version is
/// current, and every mark and highlight is as it was.
#[test]
fn migrations_from_every_earlier_version_keep_marks() {
    for from in 0..schema::CURRENT {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(format!("v{from}.sqlite3"));
        let expected = {
            let mut conn = Connection::open(&path).expect("open");
            schema::migrate(&mut conn, 0, from, &mut |_, _| {}).expect("to old version");
            let has_marks: bool = conn
                .query_row(
                    "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'marks'",
                    [],
                    |r| r.get(0),
                )
                .expect("query");
            if has_marks {
                conn.execute(
                    "INSERT INTO marks (interview_id, study_id, reviewed, starred, tags, note, updated_at)
                     VALUES ('gone', 's1', 1, 0, '[\"a\"]', 'n', 't')",
                    [],
                )
                .expect("mark");
            }
            let has_coding: bool = conn
                .query_row(
                    "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'highlights'",
                    [],
                    |r| r.get(0),
                )
                .expect("query");
            if has_coding {
                conn.execute_batch(
                    "INSERT INTO codes (id, uid, study_id, name, created_at, updated_at)
                       VALUES (1, 'u1', 's1', 'kept', 't', 't');
                     INSERT INTO highlights (id, uid, study_id, interview_id, message, text_kind,
                       start_char, end_char, quote, created_at, updated_at)
                       VALUES (1, 'h1', 's1', 'gone', 0, 'original', 0, 4, 'kept', 't', 't');
                     INSERT INTO highlight_codes VALUES (1, 1);",
                )
                .expect("highlight");
            }
            (marks_if_any(&conn), has_coding)
        };
        let (expected, has_coding) = expected;
        let store = Store::open(&path).expect("migrates");
        let version: i64 = store
            .connection()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(version, schema::CURRENT, "from {from}");
        assert_eq!(marks(store.connection()), expected, "from {from}");
        if has_coding {
            let h = store.highlights_of_interview("gone").expect("read");
            assert_eq!((h.len(), h[0].quote.as_str()), (1, "kept"), "from {from}");
        }
    }
}

fn marks_if_any(conn: &Connection) -> Vec<(String, bool, bool, String, String)> {
    let exists: bool = conn
        .query_row(
            "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'marks'",
            [],
            |r| r.get(0),
        )
        .expect("query");
    if exists { marks(conn) } else { Vec::new() }
}

#[test]
fn pages_are_classified_and_call_for_the_right_details() {
    let mut store = Store::in_memory().expect("store");
    let a = interview("a", Status::Completed, "A");
    let b = interview("b", Status::Started, "B");
    let walk = store.begin_walk("s1").expect("walk");
    let first = store
        .apply_page("s1", walk, 0, &[a.clone(), b.clone()])
        .expect("page");
    assert_eq!((first.new, first.updated, first.unchanged), (2, 0, 0));
    let ids: Vec<&str> = first.need_detail.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    for (id, list_json) in &first.need_detail {
        let i = if id == "a" { &a } else { &b };
        assert!(
            store
                .put_detail(&detail(i), Some(list_json))
                .expect("detail")
        );
    }
    store.finish_walk("s1", walk).expect("finish");

    // Unchanged and completed: no detail asked for; still started but
    // just fetched: not yet (its backoff, tested on its own below).
    let walk = store.begin_walk("s1").expect("walk");
    let again = store
        .apply_page("s1", walk, 0, &[a.clone(), b.clone()])
        .expect("page");
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 2));
    assert!(again.need_detail.is_empty(), "{:?}", again.need_detail);
    let later = uj::store::Refetch {
        full: false,
        now: chrono::Utc::now() + chrono::TimeDelta::hours(2),
        details_follow: false,
    };
    let later = store
        .apply_page_with("s1", walk, 0, &[a.clone(), b.clone()], &later)
        .expect("page");
    let ids: Vec<&str> = later.need_detail.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(ids, ["b"]);

    // A changed list object makes its detail stale.
    let mut a2 = a.clone();
    a2.headline = Some("A, rewritten".into());
    let changed = store.apply_page("s1", walk, 0, &[a2]).expect("page");
    assert_eq!(changed.updated, 1);
    assert_eq!(changed.need_detail.len(), 1);
    let stored = store.detail("a").expect("read").expect("kept");
    assert!(!stored.current, "a stale detail is kept but marked");
}

#[test]
fn a_finished_walk_removes_what_it_did_not_see_but_never_marks() {
    let mut store = Store::in_memory().expect("store");
    let rows = [
        interview("a", Status::Completed, "A"),
        interview("b", Status::Completed, "B"),
        interview("c", Status::Completed, "C"),
    ];
    let walk = store.begin_walk("s1").expect("walk");
    store.apply_page("s1", walk, 0, &rows).expect("page");
    for r in &rows {
        store.put_detail(&detail(r), None).expect("detail");
    }
    store.finish_walk("s1", walk).expect("finish");
    set_mark(&store, "b");
    set_mark(&store, "c");
    let before = marks(store.connection());

    let walk = store.begin_walk("s1").expect("walk");
    store
        .apply_page("s1", walk, 0, &[rows[0].clone(), rows[2].clone()])
        .expect("page");
    // An unfinished walk removes nothing.
    assert_eq!(
        store
            .count(&InterviewFilters::for_study("s1"))
            .expect("count"),
        3
    );
    assert_eq!(store.finish_walk("s1", walk).expect("finish"), 1);
    let left: Vec<String> = store
        .interviews(&InterviewFilters::for_study("s1"), None, 10)
        .expect("read")
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(left, ["a", "c"]);
    assert!(
        store.detail("b").expect("read").is_none(),
        "detail removed with it"
    );
    assert_eq!(marks(store.connection()), before, "marks untouched");
    // The kept count follows the removal, so opening counts nothing.
    let kept: i64 = store
        .connection()
        .query_row(
            "SELECT interviews FROM sync_state WHERE study_id = 's1'",
            [],
            |r| r.get(0),
        )
        .expect("kept");
    assert_eq!(kept, 2);
    assert_eq!(
        store
            .count_of(&uj::store::ListQuery::from(InterviewFilters::for_study(
                "s1"
            )))
            .expect("count"),
        2
    );
    // An interview that moves to another study counts there, not here.
    let walk2 = store.begin_walk("s2").expect("walk");
    store
        .apply_page("s2", walk2, 0, &[interview("c", Status::Completed, "C")])
        .expect("page");
    let kept: Vec<(String, i64)> = store
        .connection()
        .prepare("SELECT study_id, interviews FROM sync_state ORDER BY study_id")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(kept, [("s1".to_string(), 1), ("s2".to_string(), 1)]);
    let state = store.sync_state("s1").expect("read").expect("state");
    assert!(state.walk_done && state.last_synced.is_some());
    // A detail for an interview no longer stored is dropped, not orphaned.
    assert!(!store.put_detail(&detail(&rows[1]), None).expect("write"));
}

#[test]
fn windows_follow_the_list_order_and_filters() {
    let mut store = Store::in_memory().expect("store");
    let rows: Vec<Interview> = (0..25)
        .map(|n| {
            let status = if n % 3 == 0 {
                Status::Started
            } else {
                Status::Completed
            };
            interview(&format!("i{n:02}"), status, "x")
        })
        .collect();
    let walk = store.begin_walk("s1").expect("walk");
    store.apply_page("s1", walk, 0, &rows[..10]).expect("page");
    store.apply_page("s1", walk, 10, &rows[10..]).expect("page");
    let all = InterviewFilters::for_study("s1");
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.interviews(&all, after.as_deref(), 7).expect("read");
        if page.is_empty() {
            break;
        }
        after = page.last().map(|i| i.id.clone());
        seen.extend(page.into_iter().map(|i| i.id));
    }
    let want: Vec<String> = rows.iter().map(|i| i.id.clone()).collect();
    assert_eq!(seen, want);
    let started = InterviewFilters {
        status: Some("started".into()),
        ..all.clone()
    };
    assert_eq!(store.count(&started).expect("count"), 9);
    let first = store.interviews(&started, None, 100).expect("read");
    assert!(first.iter().all(|i| i.status == Some(Status::Started)));
    let by_ref = InterviewFilters {
        reference_id: Some("ref-i07".into()),
        ..all
    };
    assert_eq!(store.interviews(&by_ref, None, 5).expect("read").len(), 1);
}

/// A full disk, as SQLite sees it (`max_page_count` reached): the write
/// fails with the store's "cannot be written" error, and what was committed
/// before is intact.
#[test]
fn a_full_disk_fails_the_write_and_keeps_what_was_committed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("full.sqlite3");
    let mut store = Store::open(&path).expect("opens");
    let walk = store.begin_walk("s1").expect("walk");
    store
        .apply_page("s1", walk, 0, &[interview("a", Status::Completed, "A")])
        .expect("page");
    let pages: i64 = store
        .connection()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .expect("pragma");
    store
        .connection()
        .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| {
            r.get::<_, i64>(0)
        })
        .expect("cap");
    let big: Vec<Interview> = (0..200)
        .map(|n| {
            interview(
                &format!("b{n}"),
                Status::Completed,
                &"long headline ".repeat(50),
            )
        })
        .collect();
    let err = store
        .apply_page("s1", walk, 1, &big)
        .expect_err("the disk is full");
    assert!(matches!(err, StoreError::Unwritable { .. }), "{err:?}");
    assert!(err.to_string().contains("free space"), "{err}");
    drop(store);
    let store = Store::open(&path).expect("reopens");
    let ids: Vec<String> = store
        .interviews(&InterviewFilters::for_study("s1"), None, 1000)
        .expect("read")
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(ids, ["a"], "the failed page left nothing half-written");
}

/// Two processes creating the same new store at once (a browser and
/// `uj sync` on first use): both open it; it is migrated once.
#[test]
fn two_openers_of_a_new_file_both_succeed() {
    for round in 0..20 {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(format!("new{round}.sqlite3"));
        let openers: Vec<_> = (0..4)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || Store::open(&path).map(|_| ()))
            })
            .collect();
        for o in openers {
            o.join().expect("thread").expect("opens");
        }
    }
}

#[test]
fn questions_answers_and_the_overview_count_what_is_stored() {
    let demo = uj::api::SnapshotSource::demo().expect("demo");
    let study = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";
    let all = demo.interviews_of(study);
    let mut store = Store::in_memory().expect("store");
    store.put_study_detail(&demo.studies()[0]).expect("study");
    let walk = store.begin_walk(study).expect("walk");
    let rows: Vec<_> = all.iter().map(|d| d.interview.clone()).collect();
    store.apply_page(study, walk, 0, &rows).expect("page");
    for d in all {
        store.put_detail(d, None).expect("detail");
    }
    let query = uj::store::ListQuery::from(InterviewFilters::for_study(study));
    let questions = store.questions(&query).expect("questions");
    assert_eq!(questions.len(), 4);
    for q in &questions {
        let want = all
            .iter()
            .filter(|d| {
                d.question_answers.iter().enumerate().any(|(n, qa)| {
                    qa.question_index.map_or(n, |i| i as usize) == q.index && qa.summary().is_some()
                })
            })
            .count() as u64;
        assert_eq!(q.answered, want, "question {}", q.index + 1);
        assert!(q.answered > 0 && q.answered < all.len() as u64);
    }
    let ids: Vec<String> = all.iter().take(5).map(|d| d.interview.id.clone()).collect();
    let answers = store.answers_of(&ids, 1).expect("answers");
    let first = &all[0].question_answers[1];
    assert_eq!(answers[&ids[0]].summary.as_deref(), first.summary());

    let o = store.overview(&query).expect("overview");
    assert_eq!(o.total, 263);
    let count =
        |v: &[(String, u64)], k: &str| v.iter().find(|(x, _)| x == k).map_or(0, |(_, n)| *n);
    assert_eq!(count(&o.quality, "insightful"), 100);
    assert_eq!(count(&o.status, "completed"), 256);
    assert_eq!(count(&o.language, "ja"), 33);
    assert_eq!(o.per_day.iter().map(|(_, n)| n).sum::<u64>(), 263);
    assert!(
        o.per_day.windows(2).all(|w| w[0].0 < w[1].0),
        "oldest first"
    );
    assert_eq!(o.answered.len(), 4);
}

fn record(id: &str, study: &str, note: &str, tags: Vec<String>) -> uj::store::MarkRecord {
    uj::store::MarkRecord {
        interview_id: id.into(),
        study_id: study.into(),
        reviewed: false,
        starred: false,
        tags,
        note: note.into(),
        updated_at: String::new(),
    }
}

#[test]
fn notes_and_tags_are_refused_past_their_limits_never_cut() {
    use uj::store::{MarkChange, NOTE_CHARS};
    let mut store = Store::in_memory().expect("store");
    // A note of 2,700 characters (an earlier uj kept 2,000) is kept whole.
    let long: String = "word ".repeat(540).trim_end().to_string();
    let kept = store
        .change_marks("i1", "s1", &MarkChange::Note(long.clone()))
        .expect("saved");
    assert_eq!(kept.note, long);
    // Past the limit: refused, and what was stored stays.
    let over = "x".repeat(NOTE_CHARS + 1);
    let err = store
        .change_marks("i1", "s1", &MarkChange::Note(over.clone()))
        .expect_err("refused");
    assert!(matches!(&err, StoreError::Refused(_)), "{err}");
    assert!(err.to_string().contains("100,000"), "{err}");
    assert_eq!(marks(store.connection())[0].4, long);
    // 101 tags, or a tag of 101 characters: refused.
    let many: Vec<String> = (0..101).map(|k| format!("t{k}")).collect();
    let err = store
        .change_marks(
            "i1",
            "s1",
            &MarkChange::Tags {
                add: many.clone(),
                remove: vec![],
            },
        )
        .expect_err("refused");
    assert!(err.to_string().contains("100 tags"), "{err}");

    // An import: the over-long note, the 100,000 tags and the long tag are
    // each refused by name; the rest is merged.
    let records = vec![
        record("big-note", "s1", &"y".repeat(10_000_000), vec![]),
        record(
            "many-tags",
            "s1",
            "",
            (0..100_000).map(|k| format!("t{k}")).collect(),
        ),
        record("long-tag", "s1", "", vec!["z".repeat(101)]),
        record("fine", "s1", "ok", vec!["coupon".into()]),
    ];
    let merged = store.merge_marks(&records).expect("merge");
    assert_eq!(merged.added, 1);
    assert_eq!(merged.refused.len(), 3, "{:?}", merged.refused);
    for (line, id) in merged
        .refused
        .iter()
        .zip(["big-note", "many-tags", "long-tag"])
    {
        assert!(line.starts_with(id), "{line}");
    }
    // A colleague's note that, joined to a long local note, would pass the
    // limit: refused and said, never dropped as "unchanged".
    let local = "l".repeat(NOTE_CHARS - 10);
    store
        .change_marks("i2", "s1", &MarkChange::Note(local.clone()))
        .expect("saved");
    let merged = store
        .merge_marks(&[record("i2", "s1", "a colleague's long remark", vec![])])
        .expect("merge");
    assert_eq!((merged.unchanged, merged.changed), (0, 0));
    assert_eq!(merged.refused.len(), 1, "{:?}", merged.refused);
    let rows = marks(store.connection());
    assert_eq!(
        rows.iter().find(|r| r.0 == "i2").map(|r| &r.4),
        Some(&local)
    );
}

#[test]
fn an_imported_mark_never_moves_its_interview_to_another_study() {
    let mut store = Store::in_memory().expect("store");
    let walk = store.begin_walk("s1").expect("walk");
    let i = interview("i1", Status::Completed, "h");
    store.apply_page("s1", walk, 0, &[i]).expect("page");
    let merged = store
        .merge_marks(&[record("i1", "other-study", "moved?", vec![])])
        .expect("merge");
    assert_eq!(merged.added, 1);
    assert_eq!(merged.warnings.len(), 1, "{:?}", merged.warnings);
    assert!(merged.warnings[0].contains("other-study"));
    // It stays with the stored interview's study, and exports with it.
    let of_s1 = store.mark_records(Some("s1")).expect("records");
    assert_eq!(of_s1.len(), 1);
    assert!(
        store
            .mark_records(Some("other-study"))
            .expect("records")
            .is_empty()
    );
    // A change from the browser naming another study does not move it either.
    store
        .change_marks("i1", "elsewhere", &uj::store::MarkChange::ToggleStarred)
        .expect("saved");
    assert_eq!(store.mark_records(Some("s1")).expect("records").len(), 1);
}

/// The re-fetch rule, on a clock the test sets: a live interview whose
/// list object is unchanged is fetched again only after a backoff that
/// doubles from an hour (or always, the first day after it started);
/// a changed one, a new one, and `--full` always.
#[test]
fn a_live_interview_is_fetched_again_on_a_backoff() {
    use chrono::{TimeDelta, Utc};
    use uj::store::Refetch;
    let mut store = Store::in_memory().expect("store");
    let mut live = interview("live", Status::Processing, "h");
    live.started_at = Some("2026-01-01T00:00:00Z".into());
    let done = interview("done", Status::Completed, "h");
    let walk = store.begin_walk("s1").expect("walk");
    let at = |offset: TimeDelta, full: bool| Refetch {
        full,
        now: Utc::now() + offset,
        details_follow: false,
    };
    let needs = |store: &mut Store, rule: &Refetch, rows: &[Interview]| -> Vec<String> {
        store
            .apply_page_with("s1", walk, 0, rows, rule)
            .expect("page")
            .need_detail
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    };
    let rows = [live.clone(), done.clone()];
    // New: both.
    assert_eq!(
        needs(&mut store, &at(TimeDelta::zero(), false), &rows),
        ["live", "done"]
    );
    store.put_detail(&detail(&live), None).expect("detail");
    store.put_detail(&detail(&done), None).expect("detail");
    // Just fetched, unchanged: neither; an hour on, the live one.
    assert!(needs(&mut store, &at(TimeDelta::minutes(30), false), &rows).is_empty());
    assert_eq!(
        needs(&mut store, &at(TimeDelta::minutes(61), false), &rows),
        ["live"]
    );
    // Fetched again and still unchanged: the wait doubles.
    store.put_detail(&detail(&live), None).expect("detail");
    assert!(needs(&mut store, &at(TimeDelta::minutes(61), false), &rows).is_empty());
    assert_eq!(
        needs(&mut store, &at(TimeDelta::minutes(121), false), &rows),
        ["live"]
    );
    assert_eq!(Refetch::backoff(0), TimeDelta::hours(1));
    assert_eq!(Refetch::backoff(3), TimeDelta::hours(8));
    assert_eq!(Refetch::backoff(40), uj::store::BACKOFF_MAX);
    // --full: everything.
    assert_eq!(
        needs(&mut store, &at(TimeDelta::zero(), true), &rows),
        ["live", "done"]
    );
    // Its list object changed: at once.
    let mut changed = live.clone();
    changed.headline = Some("new".into());
    assert_eq!(
        needs(
            &mut store,
            &at(TimeDelta::zero(), false),
            &[changed.clone(), done.clone()]
        ),
        ["live"]
    );
    // Started less than a day ago: every sync.
    let mut recent = live.clone();
    recent.started_at = Some((Utc::now() - TimeDelta::hours(2)).to_rfc3339());
    let rows = [recent.clone(), done.clone()];
    needs(&mut store, &at(TimeDelta::zero(), false), &rows);
    store.put_detail(&detail(&recent), None).expect("detail");
    assert_eq!(
        needs(&mut store, &at(TimeDelta::minutes(1), false), &rows),
        ["live"]
    );
}
