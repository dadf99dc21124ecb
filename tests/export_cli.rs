//! `uj export` as a user runs it (targets that exist, are missing or cannot
//! be written; Ctrl-c and kill -9 mid-export), and the shell around `uj`:
//! completions, the man page, `uj doctor`.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use support::KEY;
use support::standin::StandIn;
use uj::api::SnapshotSource;
use uj::store::{Store, database_path};

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";
const NOWHERE: &str = "http://127.0.0.1:9/api/v1";

/// A home whose store holds `n` interviews of the main study (copies of
/// the demo's, with their transcripts), for `--offline` exports.
fn home_with(n: usize) -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("tmp");
    let data = home.path().join(".local").join("share").join("uj");
    let mut store =
        Store::open(&database_path(&data, &NOWHERE.parse().expect("url"))).expect("store");
    let demo = SnapshotSource::demo().expect("demo");
    store.put_study_detail(&demo.studies()[0]).expect("study");
    let pool = demo.interviews_of(MAIN);
    let all: Vec<_> = (0..n)
        .map(|k| {
            let mut d = pool[k % pool.len()].clone();
            d.interview.id = format!("{:08}-{}", k, &d.interview.id[9..]);
            d
        })
        .collect();
    let walk = store.begin_walk(MAIN).expect("walk");
    let rows: Vec<_> = all.iter().map(|d| d.interview.clone()).collect();
    store.apply_page(MAIN, walk, 0, &rows).expect("page");
    for d in &all {
        store.put_detail(d, None).expect("detail");
    }
    store.finish_walk(MAIN, walk).expect("finish");
    home
}

fn uj(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_uj"));
    cmd.env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("USERJOURNEYS_API_KEY", KEY)
        .env("USERJOURNEYS_BASE_URL", NOWHERE)
        .env("TZ", "UTC")
        .stdin(Stdio::null());
    cmd
}

fn export(home: &Path, format: &str, out: &Path, extra: &[&str]) -> Output {
    uj(home)
        .args([
            "--offline",
            "export",
            "--study",
            MAIN,
            "--format",
            format,
            "--out",
        ])
        .arg(out)
        .args(extra)
        .output()
        .expect("runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Entries of `dir` other than `keep`.
fn leftovers(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

#[test]
fn every_format_from_the_store_and_existing_targets() {
    let home = home_with(30);
    let out = tempfile::tempdir().expect("tmp");
    for (format, name) in [
        ("markdown", "md"),
        ("csv", "csv"),
        ("jsonl", "all.jsonl"),
        ("snapshot", "snap"),
    ] {
        let target = out.path().join(name);
        let r = export(home.path(), format, &target, &[]);
        assert_eq!(r.status.code(), Some(0), "{format}: {}", text(&r.stderr));
        assert!(
            text(&r.stderr).contains("exported 30 interviews"),
            "{}",
            text(&r.stderr)
        );
        // Again: refused, and the first output is untouched.
        let before = std::fs::metadata(&target).expect("exists").modified().ok();
        let r = export(home.path(), format, &target, &[]);
        assert_eq!(r.status.code(), Some(2), "{format}");
        let err = text(&r.stderr);
        assert!(
            err.contains("already exists") && err.contains("--force"),
            "{err}"
        );
        assert_eq!(
            std::fs::metadata(&target).expect("exists").modified().ok(),
            before
        );
        // With --force: replaced.
        let r = export(
            home.path(),
            format,
            &target,
            &["--force", "--status", "completed"],
        );
        assert_eq!(r.status.code(), Some(0), "{format}: {}", text(&r.stderr));
    }
    assert!(leftovers(out.path(), &["md", "csv", "all.jsonl", "snap"]).is_empty());
    // The snapshot opens as one.
    let r = uj(home.path())
        .args(["--snapshot"])
        .arg(out.path().join("snap"))
        .args(["interviews", "--study", MAIN, "--all"])
        .output()
        .expect("runs");
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert!(!text(&r.stdout).is_empty());
}

#[test]
fn targets_that_cannot_be_written_are_one_clear_error() {
    let home = home_with(3);
    let dir = tempfile::tempdir().expect("tmp");
    let missing = dir.path().join("no").join("such").join("out");
    let r = export(home.path(), "csv", &missing, &[]);
    assert_eq!(r.status.code(), Some(2));
    assert!(
        text(&r.stderr).contains("does not exist: create it first"),
        "{}",
        text(&r.stderr)
    );
    let file = dir.path().join("file");
    std::fs::write(&file, b"x").expect("write");
    let r = export(home.path(), "csv", &file.join("out"), &[]);
    assert_eq!(r.status.code(), Some(2));
    assert!(
        text(&r.stderr).contains("is not a directory"),
        "{}",
        text(&r.stderr)
    );
    // A directory no one may write to (even root cannot write to /sys).
    let r = export(
        home.path(),
        "markdown",
        Path::new("/sys/uj-export-test"),
        &[],
    );
    assert_eq!(r.status.code(), Some(1));
    let err = text(&r.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("could not write /sys/uj-export-test"), "{err}");
    // Not stored: says how to get it.
    let empty = tempfile::tempdir().expect("tmp");
    let r = export(empty.path(), "csv", &dir.path().join("x"), &[]);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        text(&r.stderr).contains("uj sync --study"),
        "{}",
        text(&r.stderr)
    );
}

#[test]
fn ctrl_c_mid_export_leaves_nothing_and_exits_130() {
    let home = home_with(3000);
    let dir = tempfile::tempdir().expect("tmp");
    let target = dir.path().join("md");
    let child = uj(home.path())
        .args([
            "--offline",
            "export",
            "--study",
            MAIN,
            "--format",
            "markdown",
            "--out",
        ])
        .arg(&target)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let partial = dir.path().join(format!(".md.uj-partial-{}", child.id()));
    // Wait (bounded) until it is writing files.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::fs::read_dir(&partial).map_or(0, |d| d.count()) < 10 {
        assert!(
            std::time::Instant::now() < deadline,
            "the export never started"
        );
        std::thread::yield_now();
    }
    // SAFETY: signalling our own child.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(130), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("interrupted"),
        "{}",
        text(&out.stderr)
    );
    assert!(!target.exists(), "nothing at the target");
    assert!(
        leftovers(dir.path(), &[]).is_empty(),
        "the partial output is removed"
    );
}

#[test]
fn kill_9_mid_export_leaves_no_half_written_output() {
    let home = home_with(40);
    let dir = tempfile::tempdir().expect("tmp");
    for (format, name) in [("markdown", "md"), ("jsonl", "x.jsonl"), ("csv", "c")] {
        let target = dir.path().join(name);
        let r = uj(home.path())
            .env(uj::store::CRASH_AFTER_ENV, "15")
            .args([
                "--offline",
                "export",
                "--study",
                MAIN,
                "--format",
                format,
                "--out",
            ])
            .arg(&target)
            .output()
            .expect("runs");
        assert_eq!(r.status.code(), None, "{format}: killed");
        assert!(!target.exists(), "{format}: nothing at the target");
        // The next export completes and clears what the killed one left.
        let r = export(home.path(), format, &target, &[]);
        assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
        let left: Vec<String> = leftovers(dir.path(), &["md", "x.jsonl", "c"]);
        assert!(left.is_empty(), "{left:?}");
    }
    let lines = std::fs::read_to_string(dir.path().join("x.jsonl")).expect("read");
    assert_eq!(lines.lines().count(), 40);
}

fn stdout_of(args: &[&str]) -> String {
    let home = tempfile::tempdir().expect("tmp");
    let r = uj(home.path()).args(args).output().expect("runs");
    assert_eq!(r.status.code(), Some(0), "{args:?}: {}", text(&r.stderr));
    text(&r.stdout)
}

fn check_syntax(shell: &str, script: &str) {
    let dir = tempfile::tempdir().expect("tmp");
    let path: PathBuf = dir.path().join("uj.completion");
    std::fs::write(&path, script).expect("write");
    let r = Command::new(shell)
        .arg("-n")
        .arg(&path)
        .output()
        .expect("shell runs");
    assert!(r.status.success(), "{shell} -n: {}", text(&r.stderr));
}

#[test]
fn completions_parse_and_the_man_page_renders() {
    let bash = stdout_of(&["completions", "bash"]);
    assert!(bash.contains("export") && bash.contains("--offline"));
    check_syntax("bash", &bash);
    let zsh = stdout_of(&["completions", "zsh"]);
    assert!(zsh.contains("#compdef uj"));
    check_syntax("zsh", &zsh);
    for shell in ["fish", "elvish", "powershell"] {
        assert!(
            stdout_of(&["completions", shell]).contains("sync"),
            "{shell}"
        );
    }
    let man = stdout_of(&["man"]);
    assert!(
        man.starts_with(".ie") || man.contains(".TH uj"),
        "{}",
        &man[..200.min(man.len())]
    );
    let dir = tempfile::tempdir().expect("tmp");
    let page = dir.path().join("uj.1");
    std::fs::write(&page, &man).expect("write");
    let r = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
        .expect("man runs");
    assert!(r.status.success(), "man -l: {}", text(&r.stderr));
    let shown = text(&r.stdout);
    assert!(shown.contains("keyboard-first terminal browser"), "{shown}");
    assert!(shown.contains("sync"), "{shown}");
}

#[test]
fn doctor_reports_each_check_and_never_the_key() {
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let home = tempfile::tempdir().expect("tmp");
    let r = uj(home.path())
        .env("USERJOURNEYS_BASE_URL", server.base_url())
        .arg("doctor")
        .output()
        .expect("runs");
    let out = text(&r.stdout);
    assert_eq!(r.status.code(), Some(0), "{out}{}", text(&r.stderr));
    for line in [
        "✓ config: no config file",
        "✓ base URL: http://127.0.0.1",
        "✓ key: from the environment (USERJOURNEYS_API_KEY)",
        "✓ API: GET /studies answered with this key (4 studies)",
        "✓ store:",
        "✓ terminal: the output is not a terminal",
    ] {
        assert!(out.contains(line), "{line}:\n{out}");
    }
    assert!(!out.contains(KEY) && !text(&r.stderr).contains(KEY));
    assert!(
        !home.path().join(".local").exists(),
        "the doctor creates nothing"
    );

    // A wrong key and a damaged store: ✗ lines, exit 1.
    let data = home.path().join(".local").join("share").join("uj");
    std::fs::create_dir_all(&data).expect("mkdir");
    let db = database_path(&data, &server.base_url().parse().expect("url"));
    std::fs::write(&db, vec![7u8; 4096]).expect("garbage");
    let r = uj(home.path())
        .env("USERJOURNEYS_BASE_URL", server.base_url())
        .env("USERJOURNEYS_API_KEY", "uj_live_wrong_key_1234")
        .arg("doctor")
        .output()
        .expect("runs");
    let out = text(&r.stdout);
    assert_eq!(r.status.code(), Some(1), "{out}");
    assert!(
        out.contains("✗ API: the API refused the key (HTTP 401"),
        "{out}"
    );
    assert!(
        out.contains("✗ store:") && out.contains("move it away"),
        "{out}"
    );
    assert!(!out.contains("uj_live_wrong_key_1234"));

    // No key at all.
    let r = uj(home.path())
        .env_remove("USERJOURNEYS_API_KEY")
        .arg("doctor")
        .output()
        .expect("runs");
    assert_eq!(r.status.code(), Some(1));
    assert!(
        text(&r.stdout).contains("✗ key: none is configured"),
        "{}",
        text(&r.stdout)
    );
}
