//! `uj sync` and the store as the binary uses them: summaries and exit
//! codes, `--offline` reads, a process killed after every N-th committed
//! write, two processes on one database, damaged and unusable stores.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use support::KEY;
use support::standin::{Fault, StandIn};
use uj::api::{InterviewFilters, SnapshotSource};
use uj::store::{Store, database_path};

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";
const COURIER: &str = "8a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const LARDER: &str = "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f";

struct Env {
    home: tempfile::TempDir,
    base: String,
}

impl Env {
    fn new(server: &StandIn) -> Env {
        Env {
            home: tempfile::tempdir().expect("tmp"),
            base: server.base_url(),
        }
    }

    fn uj(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_uj"));
        cmd.env_clear()
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("XDG_DATA_HOME", self.home.path().join("data"))
            .env("USERJOURNEYS_API_KEY", KEY)
            .env("USERJOURNEYS_BASE_URL", &self.base)
            .env("TZ", "UTC")
            .stdin(Stdio::null());
        cmd
    }

    fn db(&self) -> PathBuf {
        database_path(
            &self.home.path().join("data").join("uj"),
            &self.base.parse().expect("url"),
        )
    }
}

fn run(cmd: &mut Command) -> (Option<i32>, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("runs");
    (
        status.code(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

fn api_ids(study: &str) -> Vec<String> {
    SnapshotSource::demo()
        .expect("demo")
        .interviews_of(study)
        .iter()
        .map(|d| d.interview.id.clone())
        .collect()
}

/// The store holds exactly the API's interviews of `study`, in order, each
/// with a current detail, and the file passes SQLite's integrity check.
fn assert_mirrors(db: &Path, study: &str) {
    let store = Store::open(db).expect("opens");
    let check: String = store
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(check, "ok");
    let ids: Vec<String> = store
        .interviews(&InterviewFilters::for_study(study), None, 100_000)
        .expect("read")
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(ids, api_ids(study));
    for id in &ids {
        let d = store.detail(id).expect("read").expect("detail stored");
        assert!(d.current, "detail of {id} is current");
    }
    // The count the sync keeps is the count, whatever the kills.
    let kept: Option<i64> = store
        .connection()
        .query_row(
            "SELECT interviews FROM sync_state WHERE study_id = ?1",
            [study],
            |r| r.get(0),
        )
        .expect("state");
    assert_eq!(kept, Some(ids.len() as i64), "the kept count of {study}");
}

#[test]
fn sync_prints_a_summary_and_reports_by_exit_code() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    let (code, out, err) = run(env.uj().args(["sync", "--study", COURIER]));
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with(
            "Courier onboarding: 34 new, 0 updated, 0 removed, 0 unchanged, 34 details fetched, 0 failed, "
        ) && lines[0].ends_with(" s"),
        "{out}"
    );
    assert!(
        err.is_empty(),
        "no progress bar when stderr is not a terminal: {err}"
    );

    let (code, out, _) = run(env
        .uj()
        .args(["sync", "--study", COURIER, "--study", LARDER, "--json"]));
    assert_eq!(code, Some(0));
    let objects: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[0]["study_id"], COURIER);
    assert_eq!(objects[0]["unchanged"], 34);
    assert_eq!(
        objects[0]["details_fetched"], 0,
        "live ones just fetched wait for their backoff"
    );
    let (code, out, _) = run(env
        .uj()
        .args(["sync", "--study", COURIER, "--full", "--json"]));
    assert_eq!(code, Some(0));
    let full: Value = serde_json::from_str(out.trim()).expect("json");
    assert_eq!(
        full["details_fetched"], 34,
        "--full fetches every one again"
    );
    assert_eq!(objects[1]["new"], 21);
    for key in [
        "new",
        "updated",
        "removed",
        "unchanged",
        "details_fetched",
        "failed",
        "seconds",
    ] {
        assert!(objects[1].get(key).is_some(), "{key}");
    }

    // A detail that cannot be fetched (on a first sync): exit 1, and the
    // next run retries it.
    let first = Env::new(&server);
    let victim = api_ids(LARDER)[3].clone();
    server.push_faults_on(
        &format!("/interviews/{victim}"),
        [Fault::Status {
            status: 404,
            body: String::new(),
            retry_after: None,
        }],
    );
    let (code, out, err) = run(first.uj().args(["sync", "--study", LARDER]));
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("1 failed"), "{out}");
    assert!(err.contains("1 interview could not be fetched"), "{err}");
    let (code, _, err) = run(first.uj().args(["sync", "--study", LARDER]));
    assert_eq!(code, Some(0), "{err}");
    assert_mirrors(&first.db(), LARDER);

    // `uj studies` says what is stored of each study, and when it synced.
    let (code, out, err) = run(env.uj().args(["studies"]));
    assert_eq!(code, Some(0), "{err}");
    let courier = out.lines().find(|l| l.contains("Courier")).expect("row");
    assert!(courier.contains(" 34 "), "{courier}");
    let main = out.lines().find(|l| l.contains("Checkout")).expect("row");
    assert!(main.contains(" 0 ") && main.contains("never"), "{main}");

    // Usage errors.
    let (code, _, err) = run(env.uj().args(["sync"]));
    assert_eq!(code, Some(2));
    assert!(err.contains("--study ID") && err.contains("--all"), "{err}");
    let (code, _, err) = run(env.uj().args(["--offline", "sync", "--all"]));
    assert_eq!(code, Some(2));
    assert!(err.contains("drop --offline"), "{err}");
}

#[test]
fn offline_reads_what_was_synced_and_says_what_was_not() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    let (code, _, err) = run(env.uj().args(["sync", "--all"]));
    assert_eq!(code, Some(0), "{err}");
    assert_mirrors(&env.db(), MAIN);

    // With the server unreachable, --offline still answers from the store.
    let mut env = env;
    env.base = "http://127.0.0.1:9/api/v1".into();
    let moved = env.db();
    let synced = database_path(
        &env.home.path().join("data").join("uj"),
        &server.base_url().parse().expect("url"),
    );
    std::fs::rename(&synced, &moved).expect("same store for the dead URL");
    for side in ["-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{side}", synced.display()));
        if from.exists() {
            std::fs::rename(&from, format!("{}{side}", moved.display())).expect("move");
        }
    }
    let (code, out, err) = run(env.uj().args(["--offline", "studies"]));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.lines().count(), 4);
    let courier = out.lines().find(|l| l.contains("Courier")).expect("row");
    assert!(courier.contains(" 34 "), "stored count: {courier}");

    let (code, out, err) = run(env.uj().args([
        "--offline",
        "interviews",
        "--study",
        COURIER,
        "--all",
        "--json",
    ]));
    assert_eq!(code, Some(0), "{err}");
    let ids: Vec<String> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("json")["id"]
                .as_str()
                .expect("id")
                .to_string()
        })
        .collect();
    assert_eq!(ids, api_ids(COURIER));
    let (code, out, _) = run(env.uj().args([
        "--offline",
        "interviews",
        "--study",
        MAIN,
        "--status",
        "processing",
    ]));
    assert_eq!(code, Some(0));
    assert_eq!(out.lines().count(), 3);

    let (code, out, err) = run(env.uj().args(["--offline", "show", &api_ids(COURIER)[0]]));
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Interviewer"), "{out}");
    // A short id, as the transcript header shows it, finds the same one.
    let short: String = api_ids(COURIER)[0].chars().take(8).collect();
    let (code, by_short, err) = run(env.uj().args(["--offline", "show", &short]));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(by_short, out);

    let (code, _, err) = run(env
        .uj()
        .args(["--offline", "interviews", "--study", "nope"]));
    assert_eq!(code, Some(1));
    assert!(err.contains("uj sync --study nope"), "{err}");
    let (code, _, err) = run(env.uj().args(["--offline", "show", "nope"]));
    assert_eq!(code, Some(1));
    assert!(err.contains("not in the local store"), "{err}");
}

/// mbsync's test: kill the process after its N-th committed write, for
/// every N, and check that nothing is damaged and the next run completes.
#[test]
fn a_sync_killed_after_any_write_loses_nothing() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    // The courier study: study, walk, one page, its 34 details in groups
    // (as many as arrive while the last group is written: how many groups
    // depends on timing), finish; every write is a kill point, until a
    // run writes fewer than `n` and ends.
    let mut killed = 0;
    for n in 1..=60 {
        let env = Env::new(&server);
        let (code, _, err) = run(env.uj().args(["sync", "--study", LARDER]));
        assert_eq!(code, Some(0), "{err}");
        let mut store = Store::open(&env.db()).expect("open");
        store
            .connection()
            .execute(
                "INSERT INTO marks (interview_id, study_id, starred, note, updated_at)
                 VALUES ('m1', ?1, 1, 'keep me', 'now')",
                [COURIER],
            )
            .expect("mark");
        // A highlight on an interview the sync rewrites, and one on an
        // interview the API no longer has.
        let courier = api_ids(COURIER);
        for interview in [courier[0].as_str(), "gone-from-the-api"] {
            store
                .code_passage(
                    &uj::store::NewHighlight {
                        study_id: COURIER.into(),
                        interview_id: interview.into(),
                        message: Some(1),
                        end: 4,
                        quote: "kept".into(),
                        ..uj::store::NewHighlight::default()
                    },
                    &["Survives".into()],
                )
                .expect("highlight");
        }
        let coded = store.codebook(COURIER).expect("codebook");
        drop(store);
        let (code, _, _) = run(env
            .uj()
            .env(uj::store::CRASH_AFTER_ENV, n.to_string())
            .args(["sync", "--study", COURIER]));
        let ended = code.is_some();
        if !ended {
            killed += 1;
        }
        let (code, _, err) = run(env.uj().args(["sync", "--study", COURIER]));
        assert_eq!(code, Some(0), "after a kill at write {n}: {err}");
        assert_mirrors(&env.db(), COURIER);
        assert_mirrors(&env.db(), LARDER);
        let store = Store::open(&env.db()).expect("open");
        let note: String = store
            .connection()
            .query_row(
                "SELECT note FROM marks WHERE interview_id = 'm1'",
                [],
                |r| r.get(0),
            )
            .expect("the mark survives");
        assert_eq!(note, "keep me");
        assert_eq!(
            store.codebook(COURIER).expect("codebook"),
            coded,
            "highlights and codes survive a kill at write {n}"
        );
        if ended {
            break;
        }
    }
    // Study, walk, page, at least one group of details, finish: each one
    // was a kill point, and the run after the last write ended.
    assert!(killed >= 5, "{killed} kills");
    assert!(
        killed < 60,
        "a run with fewer writes than the kill point ends"
    );
}

/// The large study, killed again and again on the same database (pages
/// and details interleave there), then finished.
#[test]
fn repeated_kills_on_one_database_converge() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    // Each run skips what the runs before it stored, so it writes less.
    let mut killed = 0;
    // Details are committed in groups, so a run writes a few dozen times.
    for n in [1, 2, 3, 4, 5, 6, 7, 9, 12, 17, 25] {
        let (code, _, _) = run(env
            .uj()
            .env(uj::store::CRASH_AFTER_ENV, n.to_string())
            .args(["sync", "--study", MAIN]));
        if code.is_none() {
            killed += 1;
        } else {
            assert_eq!(code, Some(0), "a run that was not killed completes");
        }
        let store = Store::open(&env.db()).expect("open");
        let check: String = store
            .connection()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("check");
        assert_eq!(check, "ok", "after a kill at write {n}");
    }
    assert!(killed >= 6, "{killed} kills");
    let (code, _, err) = run(env.uj().args(["sync", "--study", MAIN]));
    assert_eq!(code, Some(0), "{err}");
    assert_mirrors(&env.db(), MAIN);
}

#[test]
fn two_syncs_and_a_reader_share_one_database() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    let (code, _, err) = run(env.uj().args(["sync", "--study", COURIER]));
    assert_eq!(code, Some(0), "{err}");
    let spawn = |study: &str| {
        env.uj()
            .args(["sync", "--study", study, "--study", COURIER])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let mut a = spawn(MAIN);
    let mut b = spawn(LARDER);
    // Meanwhile this process reads and writes as the browser would.
    let store = Store::open(&env.db()).expect("open");
    let mut rounds = 0;
    loop {
        let done = a.try_wait().expect("wait").is_some() && b.try_wait().expect("wait").is_some();
        store
            .count(&InterviewFilters::for_study(MAIN))
            .expect("reads never see 'database is locked'");
        store
            .connection()
            .execute(
                "INSERT INTO marks (interview_id, study_id, reviewed, updated_at) VALUES ('r', ?1, 1, 'now')
                 ON CONFLICT(interview_id) DO UPDATE SET reviewed = 1 - reviewed",
                [MAIN],
            )
            .expect("writes wait for their turn");
        rounds += 1;
        if done {
            break;
        }
    }
    assert!(rounds > 1);
    for child in [a, b] {
        let out = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(!err.contains("locked"), "{err}");
    }
    drop(store);
    assert_mirrors(&env.db(), MAIN);
    assert_mirrors(&env.db(), LARDER);
}

#[test]
fn a_damaged_or_unusable_store_is_one_clear_error() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    let db = env.db();
    std::fs::create_dir_all(db.parent().expect("dir")).expect("mkdir");
    let garbage = vec![0x5a_u8; 4096];
    std::fs::write(&db, &garbage).expect("write");
    for args in [
        vec!["sync", "--study", COURIER],
        vec!["--offline", "studies"],
    ] {
        let (code, _, err) = run(env.uj().args(&args));
        assert_eq!(code, Some(1), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains(&db.display().to_string()) && err.contains("move it away"),
            "{err}"
        );
    }
    assert_eq!(std::fs::read(&db).expect("read"), garbage, "never wiped");

    // A data directory that cannot be made: sync says so; reading from the
    // network still works.
    let blocked = tempfile::tempdir().expect("tmp");
    let file = blocked.path().join("file");
    std::fs::write(&file, b"x").expect("write");
    let (code, _, err) = run(env
        .uj()
        .env("XDG_DATA_HOME", &file)
        .args(["sync", "--study", COURIER]));
    assert_eq!(code, Some(1));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("cannot be written") && err.contains("--no-store"),
        "{err}"
    );
    let (code, out, _) = run(env.uj().env("XDG_DATA_HOME", &file).args([
        "interviews",
        "--study",
        COURIER,
        "--limit",
        "3",
    ]));
    assert_eq!(code, Some(0));
    assert_eq!(out.lines().count(), 3);
    let (code, out, err) = run(env.uj().env("XDG_DATA_HOME", &file).args(["studies"]));
    assert_eq!(code, Some(0));
    assert_eq!(out.lines().count(), 4);
    assert!(err.contains("cannot be written"), "a warning: {err}");

    // --no-store keeps nothing on disk.
    let fresh = Env::new(&server);
    let (code, _, err) = run(fresh.uj().args(["--no-store", "sync", "--study", COURIER]));
    assert_eq!(code, Some(0), "{err}");
    assert!(!fresh.home.path().join("data").exists());
}

#[test]
fn ctrl_c_stops_the_sync_with_its_summary_and_130() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    server.set_latency(std::time::Duration::from_millis(200));
    let env = Env::new(&server);
    let child = env
        .uj()
        .args(["sync", "--study", MAIN])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait (bounded) until the sync is fetching details.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !server
        .requests()
        .iter()
        .any(|r| r.starts_with("/interviews/"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the sync never started"
        );
        std::thread::yield_now();
    }
    // SAFETY: signalling our own child.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let out = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stdout}{stderr}");
    assert!(
        stdout.contains("Checkout and payment experience:") && stdout.contains("(incomplete)"),
        "{stdout}"
    );
    assert!(stderr.contains("run `uj sync` again"), "{stderr}");
    let store = Store::open(&env.db()).expect("open");
    assert!(
        store
            .count(&InterviewFilters::for_study(MAIN))
            .expect("count")
            >= 100
    );
}

#[test]
fn marks_move_between_machines_and_filter_the_list() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    let (code, _, err) = run(env.uj().args(["sync", "--study", COURIER]));
    assert_eq!(code, Some(0), "{err}");
    let ids = api_ids(COURIER);
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("marks.jsonl");
    std::fs::write(
        &file,
        format!(
            "{}\n{}\n",
            serde_json::json!({"interview_id": ids[1], "study_id": COURIER, "reviewed": true, "tags": ["pix", "coupon"], "note": "call back"}),
            serde_json::json!({"interview_id": ids[4], "study_id": COURIER, "starred": true, "tags": ["pix"]}),
        ),
    )
    .expect("write");
    let (code, _, err) = run(env.uj().args(["marks", "import"]).arg(&file));
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("2 records read: 2 added, 0 changed, 0 unchanged, 0 removed, 0 refused"),
        "{err}"
    );
    // Twice is once.
    let (_, _, err) = run(env.uj().args(["marks", "import"]).arg(&file));
    assert!(err.contains("0 added, 0 changed, 2 unchanged"), "{err}");

    let list = |args: &[&str]| -> Vec<String> {
        let (code, out, err) = run(env
            .uj()
            .args(["interviews", "--study", COURIER, "--all", "--json"])
            .args(args));
        assert_eq!(code, Some(0), "{args:?}: {err}");
        out.lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).expect("json")["id"]
                    .as_str()
                    .expect("id")
                    .to_string()
            })
            .collect()
    };
    assert_eq!(list(&["--reviewed", "yes"]), [ids[1].clone()]);
    assert_eq!(list(&["--starred"]), [ids[4].clone()]);
    assert_eq!(list(&["--tag", "PIX"]), [ids[1].clone(), ids[4].clone()]);
    assert_eq!(list(&["--reviewed", "no"]).len(), ids.len() - 1);

    // A re-sync leaves them; export gives them back.
    let (code, _, _) = run(env.uj().args(["sync", "--study", COURIER]));
    assert_eq!(code, Some(0));
    let (code, out, _) = run(env.uj().args(["marks", "export", "--study", COURIER]));
    assert_eq!(code, Some(0));
    let exported: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json"))
        .filter(|v| v["kind"] == "marks")
        .collect();
    assert_eq!(exported.len(), 2);
    let first = exported
        .iter()
        .find(|v| v["interview_id"] == ids[1].as_str())
        .expect("mark");
    assert_eq!(first["reviewed"], true);
    assert_eq!(first["note"], "call back");
    assert_eq!(first["tags"], serde_json::json!(["pix", "coupon"]));

    // `uj show` shows them, in every format.
    let show = |format: &str| {
        let (code, out, err) =
            run(env
                .uj()
                .args(["--offline", "show", &ids[1], "--format", format]));
        assert_eq!(code, Some(0), "{format}: {err}");
        out
    };
    let text = show("text");
    assert!(
        text.contains("Tags       pix, coupon")
            && text.contains("Note       call back")
            && text.contains("Marks      reviewed"),
        "{text}"
    );
    let md = show("markdown");
    assert!(
        md.contains("**Marks:** reviewed \\#pix \\#coupon") && md.contains("**Note:** call back"),
        "{md}"
    );
    let json: Value = serde_json::from_str(show("json").trim()).expect("json");
    assert_eq!(json["marks"]["tags"], serde_json::json!(["pix", "coupon"]));
    assert_eq!(json["marks"]["note"], "call back");

    // A colleague's file merges in; a bad line imports nothing.
    let theirs = dir.path().join("theirs.jsonl");
    std::fs::write(
        &theirs,
        format!(
            "{}\nnot json\n",
            serde_json::json!({"interview_id": ids[7], "study_id": COURIER, "reviewed": true})
        ),
    )
    .expect("write");
    let (code, _, err) = run(env.uj().args(["marks", "import"]).arg(&theirs));
    assert_eq!(code, Some(2));
    assert!(
        err.contains("line 2 of") && err.contains("nothing was imported"),
        "{err}"
    );
    assert_eq!(list(&["--reviewed", "yes"]), [ids[1].clone()]);

    // Unknown filter values are usage errors that list the accepted ones.
    let (code, _, err) = run(env
        .uj()
        .args(["interviews", "--study", COURIER, "--status", "done"]));
    assert_eq!(code, Some(2));
    assert!(
        err.contains("completed") && err.contains("processing"),
        "{err}"
    );
}

#[test]
fn uj_search_prints_hits_from_the_store() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    // Online, the study is synced first.
    let (code, out, err) = run(env.uj().args([
        "search", "--study", MAIN, "coupon", "--json", "--limit", "5",
    ]));
    assert_eq!(code, Some(0), "{err}");
    let hits: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(hits.len(), 5);
    for h in &hits {
        for key in [
            "interview_id",
            "message_index",
            "time_in_call_secs",
            "role",
            "text",
            "snippet",
        ] {
            assert!(h.get(key).is_some(), "{key}: {h}");
        }
        assert!(
            h["text"]
                .as_str()
                .expect("text")
                .to_lowercase()
                .contains("coupon"),
            "{h}"
        );
    }
    assert!(err.contains("5 hits shown"), "{err}");
    // Offline, from the store; text lines; no match says so.
    let (code, out, _) = run(env.uj().args([
        "--offline",
        "search",
        "--study",
        MAIN,
        "送料",
        "--limit",
        "2",
    ]));
    assert_eq!(code, Some(0));
    assert_eq!(out.lines().count(), 2);
    assert!(
        out.lines()
            .all(|l| l.contains("送料") && l.contains("Respondent")),
        "{out}"
    );
    let (code, out, err) =
        run(env
            .uj()
            .args(["--offline", "search", "--study", MAIN, "\"NEAR(\" *:^-"]));
    assert_eq!(code, Some(0));
    assert!(out.is_empty() && err.contains("no match"), "{err}");
    // Nothing to look for is a usage error.
    for empty in ["", "   "] {
        let (code, _, err) = run(env
            .uj()
            .args(["--offline", "search", "--study", MAIN, empty]));
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains("the search is empty"), "{err}");
    }
}

#[test]
fn uj_answers_prints_one_question_across_interviews() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    let (code, out, err) = run(env.uj().args([
        "answers",
        "--study",
        COURIER,
        "--question",
        "1",
        "--format",
        "json",
    ]));
    assert_eq!(code, Some(0), "{err}");
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(rows.len(), api_ids(COURIER).len());
    let answered = rows
        .iter()
        .filter(|r| !r["answer_summary"].is_null())
        .count();
    assert!(
        err.contains(&format!(
            "{answered} of {} interviews answered question 1",
            rows.len()
        )),
        "{err}"
    );
    let (code, out, _) = run(env.uj().args([
        "--offline",
        "answers",
        "--study",
        COURIER,
        "--question",
        "1",
        "--format",
        "csv",
    ]));
    assert_eq!(code, Some(0));
    let mut r = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(out.as_bytes());
    let records: Vec<csv::StringRecord> = r.records().map(|x| x.expect("record")).collect();
    assert_eq!(records.len(), rows.len(), "one row per interview");
    assert!(records.iter().all(|x| x.len() == 6));
    let (code, _, err) = run(env.uj().args([
        "--offline",
        "answers",
        "--study",
        COURIER,
        "--question",
        "9",
    ]));
    assert_eq!(code, Some(2));
    assert!(err.contains("no question 9"), "{err}");
    let questions = api_questions(COURIER);
    assert!(
        err.contains(&format!("has {} questions", questions)),
        "says how many: {err}"
    );

    // Without --question: the questions, numbered, with their counts.
    let (code, out, err) = run(env.uj().args(["--offline", "answers", "--study", COURIER]));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.lines().count(), questions, "{out}");
    assert!(
        out.lines()
            .next()
            .is_some_and(|l| l.trim_start().starts_with("1. "))
    );

    // The list's filters narrow the interviews answered.
    let (code, out, _) = run(env.uj().args([
        "--offline",
        "answers",
        "--study",
        COURIER,
        "--question",
        "1",
        "--format",
        "json",
        "--status",
        "completed",
    ]));
    assert_eq!(code, Some(0));
    let completed = SnapshotSource::demo()
        .expect("demo")
        .interviews_of(COURIER)
        .iter()
        .filter(|d| d.interview.status == Some(uj::api::model::Status::Completed))
        .count();
    assert_eq!(out.lines().count(), completed);
    assert!(completed < rows.len());
}

/// How many questions the demo's study asks.
fn api_questions(study: &str) -> usize {
    SnapshotSource::demo()
        .expect("demo")
        .interviews_of(study)
        .iter()
        .map(|d| d.question_answers.len())
        .max()
        .unwrap_or(0)
}

/// A store with the courier study synced and a mark with a long note on
/// every interview (so the marks table spans many pages).
fn synced_with_marks(env: &Env) -> Vec<String> {
    let (code, _, err) = run(env.uj().args(["sync", "--study", COURIER]));
    assert_eq!(code, Some(0), "{err}");
    let mut store = Store::open(&env.db()).expect("store");
    let ids: Vec<String> = store
        .interviews(&InterviewFilters::for_study(COURIER), None, 10_000)
        .expect("read")
        .into_iter()
        .map(|i| i.id)
        .collect();
    for (k, id) in ids.iter().enumerate() {
        let note = format!("note {k}: {}", "words to fill pages ".repeat(60));
        store
            .change_marks(id, COURIER, &uj::store::MarkChange::Note(note))
            .expect("mark");
    }
    drop(store);
    ids
}

#[test]
fn a_damaged_store_gives_its_marks_back_read_only() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    let ids = synced_with_marks(&env);
    let db = env.db();
    // Checkpointed, so the file holds everything; then moved away.
    rusqlite::Connection::open(&db)
        .and_then(|c| c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);"))
        .expect("checkpoint");
    let moved = db.with_extension("bad");
    std::fs::rename(&db, &moved).expect("move");
    let before = std::fs::read(&moved).expect("read");
    let (code, out, err) = run(env.uj().args(["marks", "export", "--from"]).arg(&moved));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.lines().count(), ids.len(), "{err}");
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(
        std::fs::read(&moved).expect("read"),
        before,
        "never written"
    );

    // Damage pages in the middle of the file: what can be read is given
    // back, with a word that some may be missing; the file is not changed.
    let mut damaged = before.clone();
    let page = 4096;
    let middle = (damaged.len() / page / 2) * page;
    for b in &mut damaged[middle..middle + 3 * page] {
        *b = 0xA5;
    }
    std::fs::write(&moved, &damaged).expect("write");
    let (code, out, err) = run(env.uj().args(["marks", "export", "--from"]).arg(&moved));
    assert_eq!(code, Some(0), "{err}");
    let got = out.lines().count();
    assert!(got > 0 && got <= ids.len(), "{got} of {}: {err}", ids.len());
    assert_eq!(
        std::fs::read(&moved).expect("read"),
        damaged,
        "never written"
    );
    // What it exports imports into a new store.
    let fresh = Env::new(&server);
    let file = fresh.home.path().join("saved.jsonl");
    std::fs::write(&file, &out).expect("write");
    let (code, _, err) = run(fresh.uj().args(["marks", "import"]).arg(&file));
    assert_eq!(code, Some(0), "{err}");

    // A file that is no database at all: one clear line.
    let junk = env.home.path().join("junk.sqlite3");
    std::fs::write(&junk, vec![0x5a_u8; 8192]).expect("write");
    let (code, _, err) = run(env.uj().args(["marks", "export", "--from"]).arg(&junk));
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    // The damaged-store message says to save the marks first.
    std::fs::write(&db, vec![0x5a_u8; 4096]).expect("write");
    let (code, _, err) = run(env.uj().args(["--offline", "studies"]));
    assert_eq!(code, Some(1));
    assert!(err.contains("uj marks export --from"), "{err}");
}

/// Runs `uj` as another user (nobody) when this test runs as root, so
/// file permissions apply; `None` when that cannot be arranged.
fn as_other_user(env: &Env, args: &[&str]) -> Option<(Option<i32>, String, String)> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 || !support::has("setpriv", "util-linux") {
        return None;
    }
    let mut cmd = env.uj();
    let program = cmd.get_program().to_owned();
    let mut wrapped = Command::new("setpriv");
    wrapped
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(program)
        .args(args)
        .env_clear()
        .envs(cmd.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
        .stdin(Stdio::null());
    cmd = wrapped;
    Some(run(&mut cmd))
}

#[test]
fn a_store_that_can_be_read_but_not_written_is_read() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    let ids = synced_with_marks(&env);
    // Readable by all, writable by its owner only (root), like a
    // colleague's store on a shared machine.
    for dir in [
        env.home.path().to_path_buf(),
        env.home.path().join("data"),
        env.home.path().join("data").join("uj"),
    ] {
        std::os::unix::fs::PermissionsExt::set_mode(
            &mut std::fs::metadata(&dir).expect("dir").permissions(),
            0o755,
        );
        std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .expect("chmod");
    }
    for f in std::fs::read_dir(env.db().parent().expect("dir"))
        .expect("dir")
        .flatten()
    {
        std::fs::set_permissions(
            f.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o644),
        )
        .expect("chmod");
    }
    let before = std::fs::read(env.db()).expect("read");
    let Some((code, out, err)) = as_other_user(
        &env,
        &["--offline", "interviews", "--study", COURIER, "--all"],
    ) else {
        println!("skipped: run as root with setpriv (util-linux) to test another user's store");
        return;
    };
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.lines().count(), ids.len());
    let (code, out, err) = as_other_user(&env, &["marks", "export"]).expect("runs");
    assert_eq!(code, Some(0), "{err}");
    // The format's header, then every mark.
    assert_eq!(out.lines().count(), ids.len() + 1, "every mark is read");
    // Online: read from the store without syncing, and said.
    let (code, out, err) =
        as_other_user(&env, &["search", "--study", COURIER, "note"]).expect("runs");
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("can be read but not written"), "{err}");
    let _ = out;
    // A write says why it cannot be saved.
    let file = env.home.path().join("m.jsonl");
    std::fs::write(
        &file,
        format!(
            "{{\"interview_id\":\"{}\",\"study_id\":\"{COURIER}\",\"starred\":true}}\n",
            ids[0]
        ),
    )
    .expect("write");
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o644))
        .expect("chmod");
    let (code, _, err) =
        as_other_user(&env, &["marks", "import", &file.display().to_string()]).expect("runs");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("can be read but not written"), "{err}");
    assert_eq!(
        std::fs::read(env.db()).expect("read"),
        before,
        "not written"
    );
}

/// The server dies mid-sync: `uj sync` stops within a few failures, prints
/// its summary (incomplete) and one line, and exits 1; what it fetched is
/// stored. A walk the API's cursor breaks exits 1 too.
#[test]
fn a_sync_whose_server_dies_or_whose_walk_stops_exits_1() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    server.die_at(60);
    let (code, out, err) = run(env.uj().args(["sync", "--study", MAIN]));
    assert_eq!(code, Some(1), "{out}{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains("(incomplete)") && out.contains("stopped answering"),
        "{out}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("the sync did not finish"), "{err}");
    let stored = Store::open(&env.db())
        .expect("store")
        .sync_state_counted(MAIN)
        .expect("read")
        .expect("a sync state");
    assert!(
        stored.transcripts > 0 && stored.transcripts < 263,
        "{stored:?}"
    );
    let requests = server.requests().len();
    assert!(requests < 70, "it stopped soon after: {requests} requests");

    // A broken cursor: the walk stops with a warning, and that is exit 1.
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    server.ignore_cursor(true);
    let (code, out, err) = run(env.uj().args(["sync", "--study", MAIN]));
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("(incomplete)"), "{out}");
}

/// A stored study with the server gone: every command reads the store,
/// says so in one line, and exits 0. With the server up, a study synced
/// within max_age is read without a request; --refresh syncs first.
#[test]
fn every_command_reads_a_stored_study_when_the_server_is_gone() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    let (code, _, err) = run(env.uj().args(["sync", "--study", COURIER]));
    assert_eq!(code, Some(0), "{err}");
    let ids = api_ids(COURIER);

    // Fresh (synced just now): read from the store, no request.
    let before = server.requests().len();
    for args in [
        vec!["interviews", "--study", COURIER, "--all"],
        vec!["search", "--study", COURIER, "courier"],
        vec!["answers", "--study", COURIER, "--question", "1"],
        vec!["show", ids[0].as_str()],
    ] {
        let (code, out, err) = run(env.uj().args(&args));
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(!out.is_empty(), "{args:?}");
        assert!(!err.contains("offline"), "{args:?}: {err}");
    }
    assert_eq!(server.requests().len(), before, "nothing asked of the API");
    // --refresh syncs first.
    let (code, _, err) =
        run(env
            .uj()
            .args(["--refresh", "interviews", "--study", COURIER, "--all"]));
    assert_eq!(code, Some(0), "{err}");
    assert!(server.requests().len() > before, "--refresh asked the API");

    // The server gone, and the store stale (max_age 0): each command uses
    // what is stored, with one line saying so.
    server.stop();
    let config = env.home.path().join("config").join("uj");
    std::fs::create_dir_all(&config).expect("mkdir");
    std::fs::write(config.join("config.toml"), "max_age = 0\n").expect("write");
    let out_dir = tempfile::tempdir().expect("tmp");
    let export_to = out_dir.path().join("all.jsonl");
    for args in [
        vec!["studies"],
        vec!["interviews", "--study", COURIER, "--all"],
        vec!["show", ids[0].as_str()],
        vec!["search", "--study", COURIER, "courier"],
        vec!["answers", "--study", COURIER, "--question", "1"],
        vec![
            "export",
            "--study",
            COURIER,
            "--format",
            "jsonl",
            "--out",
            export_to.to_str().expect("utf-8"),
        ],
    ] {
        let (code, out, err) = run(env.uj().args(&args));
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(
            err.lines()
                .any(|l| l.starts_with("offline: showing what was stored at ")),
            "{args:?}: {err}"
        );
        assert!(
            !out.is_empty() || args[0] == "export",
            "{args:?}: nothing printed"
        );
    }
    assert!(export_to.is_file());
    // A study never stored still needs the API: a clear error.
    let (code, _, err) = run(env.uj().args(["interviews", "--study", LARDER]));
    assert_eq!(code, Some(1), "{err}");
}

/// A page leaves an interview's indexing to its detail; when the detail
/// is not fetched, the interview is still found by its header.
#[test]
fn an_interview_whose_detail_failed_is_found_by_its_header() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let env = Env::new(&server);
    let demo = SnapshotSource::demo().expect("demo");
    let failing = demo.interviews_of(COURIER)[2].interview.clone();
    let headline = failing.headline.clone().expect("a headline");
    server.push_faults_on(
        &format!("/interviews/{}", failing.id),
        (0..10).map(|_| Fault::Status {
            status: 404,
            body: r#"{"error":{"code":"not_found","message":"gone"}}"#.into(),
            retry_after: None,
        }),
    );
    let (code, _, err) = run(env.uj().args(["sync", "--study", COURIER]));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("1 interview could not be fetched"), "{err}");
    let store = Store::open(&env.db()).expect("open");
    let stored: bool = store
        .connection()
        .query_row(
            "SELECT COUNT(*) = 0 FROM details WHERE interview_id = ?1",
            [&failing.id],
            |r| r.get(0),
        )
        .expect("query");
    assert!(stored, "the detail was not fetched");
    let query = uj::store::ListQuery {
        search: Some(format!("\"{headline}\"")),
        ..uj::store::ListQuery::from(InterviewFilters::for_study(COURIER))
    };
    let found: Vec<String> = store
        .window(&query, 0, 50)
        .expect("search")
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert!(found.contains(&failing.id), "{headline}: {found:?}");
}
