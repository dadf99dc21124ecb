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
    support::store_whole_study(&mut store, MAIN, &all);
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
    if support::has("zsh", "zsh") {
        check_syntax("zsh", &zsh);
    }
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
    if !support::has("man", "man-db") {
        return;
    }
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
    // One page: it names no uj-COMMAND(1) page, and carries the reference.
    assert!(
        !man.contains("uj\\-studies(1)") && !shown.contains("uj-studies(1)"),
        "{shown}"
    );
    for section in [
        "COMMANDS",
        "KEYS",
        "CONFIGURATION",
        "ENVIRONMENT",
        "FILES",
        "EXIT STATUS",
    ] {
        assert!(
            shown.lines().any(|l| l.trim_end() == section),
            "{section}:\n{shown}"
        );
    }
    assert!(shown.contains("USERJOURNEYS_API_KEY"), "{shown}");
    assert!(shown.contains("uj marks export"), "{shown}");
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
    assert!(out.contains("uj marks export --from"), "{out}");

    // A data directory that cannot be created is a ✗, not "does not exist
    // yet" (under a file here; under another user's directory likewise).
    let blocker = home.path().join("a-file");
    std::fs::write(&blocker, b"x").expect("write");
    let r = uj(home.path())
        .env("USERJOURNEYS_BASE_URL", server.base_url())
        .env("XDG_DATA_HOME", blocker.join("data"))
        .arg("doctor")
        .output()
        .expect("runs");
    let out = text(&r.stdout);
    assert_eq!(r.status.code(), Some(1), "{out}");
    assert!(
        out.contains("✗ store:") && out.contains("cannot be created"),
        "{out}"
    );

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

/// Every entry below `dir`, as relative paths, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            out.push(p.strip_prefix(dir).expect("below").display().to_string());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn force_replaces_only_what_an_export_wrote() {
    let home = home_with(4);
    let dir = tempfile::tempdir().expect("tmp");
    let refused = |format: &str, out: &Path, needle: &str| {
        let r = export(home.path(), format, out, &["--force"]);
        let err = text(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{format} {out:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{format} {out:?}: {err}");
    };

    // A directory of the user's own: refused and untouched, in every format.
    let mine = dir.path().join("mine");
    std::fs::create_dir_all(mine.join("sub")).expect("mkdir");
    std::fs::write(mine.join("important.md"), "mine").expect("write");
    std::fs::write(mine.join("sub").join("keep.txt"), "mine").expect("write");
    let before = tree(&mine);
    for format in ["markdown", "csv", "snapshot"] {
        refused(format, &mine, "did not write");
    }
    refused("jsonl", &mine, "is a directory");
    assert_eq!(tree(&mine), before);
    assert_eq!(
        std::fs::read_to_string(mine.join("sub").join("keep.txt")).expect("kept"),
        "mine"
    );

    // An export's own directory is replaced; add a file of yours and it no
    // longer is; another format's export is not this one's.
    let md = dir.path().join("md");
    let r = export(home.path(), "markdown", &md, &[]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert!(md.join(uj::export::MARKER).is_file());
    let r = export(home.path(), "markdown", &md, &["--force"]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    refused("csv", &md, "another kind of export");
    std::fs::write(md.join("my-notes.md"), "mine").expect("write");
    refused("markdown", &md, "my-notes.md");
    assert!(md.join("my-notes.md").is_file());

    // A file is replaced by a file format only.
    let file = dir.path().join("old.jsonl");
    std::fs::write(&file, "old").expect("write");
    refused("markdown", &file, "is a file");
    let r = export(home.path(), "jsonl", &file, &["--force"]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert_eq!(
        std::fs::read_to_string(&file)
            .expect("read")
            .lines()
            .count(),
        4
    );

    // Devices, FIFOs and the special directories.
    refused("jsonl", Path::new("/dev/null"), "a device");
    refused("markdown", Path::new("/dev/null"), "a device");
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    refused("jsonl", &fifo, "a FIFO");
    for special in [".", "..", "/"] {
        refused("markdown", Path::new(special), "--force replaces only");
    }
    refused("markdown", home.path(), "your home directory");

    // A symlink: followed to a file for a file format, refused otherwise.
    #[cfg(unix)]
    {
        let link = dir.path().join("link.jsonl");
        std::os::unix::fs::symlink(&file, &link).expect("link");
        let r = export(home.path(), "jsonl", &link, &["--force"]);
        assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
        assert!(link.symlink_metadata().expect("link").is_symlink());
        let to_dir = dir.path().join("link-dir");
        std::os::unix::fs::symlink(&mine, &to_dir).expect("link");
        refused("markdown", &to_dir, "symlink");
        refused("jsonl", &to_dir, "symlink");
        assert_eq!(tree(&mine), before);
    }
}

#[test]
fn out_dash_streams_and_a_csv_file_name_says_what_to_do() {
    let home = home_with(5);
    let dir = tempfile::tempdir().expect("tmp");
    let r = export(home.path(), "jsonl", Path::new("-"), &[]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert_eq!(text(&r.stdout).lines().count(), 5);
    assert!(!Path::new("-").exists());
    let r = export(
        home.path(),
        "csv",
        Path::new("-"),
        &["--table", "interviews"],
    );
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    // The byte-order mark, a header and a row per interview.
    assert_eq!(text(&r.stdout).lines().count(), 6);
    let r = export(home.path(), "csv", Path::new("-"), &[]);
    assert_eq!(r.status.code(), Some(2));
    assert!(text(&r.stderr).contains("--table"), "{}", text(&r.stderr));
    let r = export(home.path(), "markdown", Path::new("-"), &[]);
    assert_eq!(r.status.code(), Some(2));

    let sheets = dir.path().join("sheets.csv");
    let r = export(home.path(), "csv", &sheets, &[]);
    assert_eq!(r.status.code(), Some(2));
    let err = text(&r.stderr);
    assert!(
        err.contains("--table") && err.contains("directory"),
        "{err}"
    );
    assert!(!sheets.exists());
    let r = export(home.path(), "csv", &sheets, &["--table", "answers"]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert!(sheets.is_file());
    assert!(
        std::fs::read_to_string(&sheets)
            .expect("read")
            .contains("question_number")
    );

    // Nothing matched: said on stderr.
    let r = export(
        home.path(),
        "jsonl",
        &dir.path().join("none.jsonl"),
        &["--tag", "no-such-tag"],
    );
    assert_eq!(r.status.code(), Some(0));
    assert!(
        text(&r.stderr).contains("no interview matched"),
        "{}",
        text(&r.stderr)
    );
}

#[cfg(unix)]
#[test]
fn exports_and_logs_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let home = home_with(2);
    let dir = tempfile::tempdir().expect("tmp");
    let mode = |p: &Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    for (format, name) in [("markdown", "md"), ("csv", "csv"), ("jsonl", "x.jsonl")] {
        let out = dir.path().join(name);
        let log = dir.path().join(format!("{name}.log"));
        let r = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask 000; exec \"$0\" --log-file {} --offline export --study {MAIN} --format {format} --out {}",
                log.display(),
                out.display()
            ))
            .arg(env!("CARGO_BIN_EXE_uj"))
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("USERJOURNEYS_API_KEY", KEY)
            .env("USERJOURNEYS_BASE_URL", NOWHERE)
            .output()
            .expect("runs");
        assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
        assert_eq!(mode(&log), 0o600, "{format} log");
        if out.is_dir() {
            assert_eq!(mode(&out), 0o700, "{format}");
            for entry in std::fs::read_dir(&out).expect("dir").flatten() {
                assert_eq!(mode(&entry.path()), 0o600, "{:?}", entry.path());
            }
        } else {
            assert_eq!(mode(&out), 0o600, "{format}");
        }
    }
}
