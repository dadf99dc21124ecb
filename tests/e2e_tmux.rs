//! The real binary in a real terminal (tmux), against the stand-in server
//! on loopback, with its store in the pane's own home directory.

mod support;

use support::KEY;
use support::standin::StandIn;
use support::tmux::{Pane, sh_quote};
use uj::api::SnapshotSource;

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

/// A shell line that runs `uj` against `server` with a clean environment,
/// then records the terminal's modes and the exit code.
fn uj_script(server: &StandIn, pane_dir: &std::path::Path, args: &str) -> String {
    uj_script_at(server, pane_dir, &pane_dir.join("home"), args)
}

/// The same with the home directory given (to run `uj` twice on one store).
fn uj_script_at(
    server: &StandIn,
    pane_dir: &std::path::Path,
    home: &std::path::Path,
    args: &str,
) -> String {
    std::fs::create_dir_all(home).expect("home");
    let stty = pane_dir.join("stty");
    format!(
        "env -i PATH=/usr/bin:/bin HOME={home} TERM=xterm-256color TZ=UTC USERJOURNEYS_API_KEY={KEY} USERJOURNEYS_BASE_URL={url} {bin} {args}; \
         code=$?; stty -a > {stty}; echo \"uj exited $code\"; sleep 60",
        home = sh_quote(&home.display().to_string()),
        url = sh_quote(&server.base_url()),
        bin = sh_quote(env!("CARGO_BIN_EXE_uj")),
        stty = sh_quote(&stty.display().to_string()),
    )
}

fn start(server: &StandIn, args: &str, width: u16, height: u16) -> Pane {
    start_in(
        tempfile::tempdir().expect("tmp"),
        server,
        args,
        width,
        height,
    )
}

fn start_in(dir: tempfile::TempDir, server: &StandIn, args: &str, width: u16, height: u16) -> Pane {
    let script = uj_script(server, dir.path(), args);
    Pane::start(dir, &script, width, height)
}

fn server() -> StandIn {
    StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY)
}

#[test]
fn open_page_to_the_end_and_filter() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let pane = start(&server, &format!("--study {MAIN}"), 160, 45);
    pane.wait_text("Checkout and payment experience");
    pane.wait_text("263 interviews");
    pane.keys(&["G"]);
    pane.wait_text("— end of list · 263 interviews —");
    // The background sync walks the list in the API's largest pages.
    let list_requests: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("/interviews?"))
        .collect();
    assert_eq!(list_requests.len(), 3, "{list_requests:?}");
    assert!(
        list_requests.iter().all(|r| r.contains("limit=100")),
        "{list_requests:?}"
    );
    pane.keys(&["g", "s"]);
    pane.wait_text("status: completed");
    pane.keys(&["1"]);
    pane.wait_text("quality: insightful");
    pane.wait_for("only insightful, completed rows", |s| {
        let rows: Vec<&str> = s
            .lines()
            .filter(|l| l.starts_with("┃") && l.contains(" ["))
            .collect();
        !rows.is_empty() && rows.iter().all(|l| l.contains("✓ [I]"))
    });
    // Filters are answered by the store: no filtered request went out.
    assert!(
        !server
            .requests()
            .iter()
            .any(|r| r.contains("quality_score=")),
        "{:?}",
        server.requests()
    );
}

/// `uj sync --study MAIN` with `home` as its home, as another process.
fn uj_sync(server: &StandIn, home: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_uj"))
        .env_clear()
        .env("HOME", home)
        .env("USERJOURNEYS_API_KEY", KEY)
        .env("USERJOURNEYS_BASE_URL", server.base_url())
        .args(["sync", "--study", MAIN])
        .output()
        .expect("uj sync runs")
}

/// A pane directory whose home holds a store with the main study synced.
fn synced_home(server: &StandIn) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let synced = uj_sync(server, &home);
    assert!(synced.status.success(), "{synced:?}");
    dir
}

/// Synced once, then opened with `--offline` (no request at all), and with
/// the server gone: the study opens from the store, transcripts included,
/// and the screen says it is offline.
#[test]
fn a_stored_study_opens_offline_and_with_the_server_stopped() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let offline_dir = synced_home(&server);
    let stopped_dir = synced_home(&server);

    let before = server.requests().len();
    let pane = start_in(
        offline_dir,
        &server,
        &format!("--offline --study {MAIN}"),
        160,
        45,
    );
    pane.wait_text("263 interviews");
    let screen = pane.wait_text("offline · synced");
    let top = screen.lines().next().unwrap_or_default();
    assert_eq!(top.matches("offline").count(), 1, "said once: {top}");
    pane.keys(&["j", "j", "j", "j", "Enter"]);
    pane.wait_text("本日はご参加いただきありがとう");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
    assert_eq!(server.requests().len(), before, "--offline asks nothing");

    server.stop();
    let pane = start_in(stopped_dir, &server, &format!("--study {MAIN}"), 160, 45);
    pane.wait_text("263 interviews");
    pane.wait_text("offline · synced");
    pane.wait_text("could not reach the API");
    pane.keys(&["j", "j", "j", "j", "Enter"]);
    pane.wait_text("本日はご参加いただきありがとう");
    pane.keys(&["h", "G"]);
    pane.wait_text("— end of list · 263 interviews —");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
}

/// A browser and a `uj sync` on one database at once: neither sees
/// "database is locked"; the browser shows what the other process wrote
/// once it reads again (`r`), even with the server gone by then.
#[test]
fn a_browser_and_uj_sync_share_the_store() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let sync = || uj_sync(&server, &home);
    // Both write at once: the browser's background sync and uj sync.
    let pane = start_in(dir, &server, &format!("--study {MAIN}"), 160, 45);
    let out = sync();
    assert!(out.status.success(), "{out:?}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("locked"));
    pane.wait_text("263 interviews");
    pane.wait_for("the background sync to end", |s| {
        s.contains("synced") && !s.contains("syncing")
    });

    // The API gains an interview; only uj sync fetches it.
    let demo = SnapshotSource::demo().expect("demo");
    let studies = demo.studies().to_vec();
    let mut all: Vec<_> = studies
        .iter()
        .flat_map(|s| demo.interviews_of(&s.id).to_vec())
        .collect();
    let mut added = all[0].clone();
    added.interview.id = "00000000-0000-4000-8000-0000000add01".into();
    added.interview.headline = Some("Added while the browser was open".into());
    all.insert(0, added);
    server.set_source(SnapshotSource::from_parts(studies, all));
    let out = sync();
    assert!(out.status.success(), "{out:?}");
    server.stop();
    pane.keys(&["r"]);
    pane.wait_text("264 interviews");
    let screen = pane.wait_text("Added while the brow");
    assert!(!screen.contains("locked"), "{screen}");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
}

/// `uj sync` on a terminal draws its progress bar on stderr, then prints
/// its summary.
#[test]
fn uj_sync_shows_progress_on_a_terminal() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    server.set_latency(std::time::Duration::from_millis(100));
    let larder = "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f";
    let pane = start(&server, &format!("sync --study {larder}"), 120, 20);
    pane.wait_text("listed · transcripts");
    let done = pane.wait_text("uj exited 0");
    assert!(
        done.contains("Larder Plus pricing page: 21 new, 0 updated, 0 removed"),
        "{done}"
    );
    assert!(
        !done.contains("listed · transcripts"),
        "the bar is cleared: {done}"
    );
}

/// On a terminal an empty list says so; `uj show` of an interview with no
/// headline starts with what it is.
#[test]
fn an_empty_list_and_a_missing_headline_say_something() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let pane = start(
        &server,
        &format!("interviews --study {MAIN} --reference-id no-such-ref"),
        100,
        10,
    );
    let done = pane.wait_text("uj exited 0");
    assert!(done.contains("0 interviews"), "{done}");
    let demo = SnapshotSource::demo().expect("demo");
    let headless = &demo
        .interviews_of(MAIN)
        .iter()
        .find(|d| d.interview.headline.is_none())
        .expect("the demo has an interview with no headline yet")
        .interview
        .id;
    let pane = start(&server, &format!("show {headless}"), 200, 40);
    let done = pane.wait_text("uj exited 0");
    assert!(
        done.contains(&format!("Interview {headless} (no headline yet; ")),
        "{done}"
    );
}

/// `uj doctor` in a real terminal inside tmux: the size, the colours and
/// whether tmux passes OSC 52 on; then with set-clipboard off, what to do.
#[test]
fn doctor_checks_the_terminal_and_tmux() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    // TMUX is kept: the doctor asks the tmux it runs in.
    let script = format!(
        "env -i PATH=/usr/bin:/bin HOME={home} TERM=xterm-256color TMUX=\"$TMUX\" USERJOURNEYS_API_KEY={KEY} USERJOURNEYS_BASE_URL={url} {bin} doctor; \
         echo \"doctor exited $?\"; tmux set -g set-clipboard off; \
         env -i PATH=/usr/bin:/bin HOME={home} TERM=xterm-256color TMUX=\"$TMUX\" USERJOURNEYS_API_KEY={KEY} USERJOURNEYS_BASE_URL={url} {bin} doctor; \
         echo \"doctor exited $?\"; sleep 60",
        home = sh_quote(&home.display().to_string()),
        url = sh_quote(&server.base_url()),
        bin = sh_quote(env!("CARGO_BIN_EXE_uj")),
    );
    let pane = Pane::start(dir, &script, 150, 40);
    let screen = pane.wait_for("both runs", |s| s.matches("doctor exited").count() == 2);
    assert!(screen.contains("✓ terminal: 150×40"), "{screen}");
    assert!(
        screen.contains("✓ colours: TERM=xterm-256color"),
        "{screen}"
    );
    assert!(
        screen.contains("✓ clipboard: tmux passes OSC 52 on"),
        "{screen}"
    );
    assert!(screen.contains("doctor exited 0"), "{screen}");
    assert!(
        screen.contains("✗ clipboard: tmux has set-clipboard off, so copies stop at tmux: run `tmux set -g set-clipboard on`"),
        "{screen}"
    );
    assert!(screen.contains("doctor exited 1"), "{screen}");
    assert!(!screen.contains(KEY));
}

/// Triage marks made in the browser are there after a restart.
#[test]
fn marks_survive_a_restart() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let home = tempfile::tempdir().expect("home");
    let run = || {
        let dir = tempfile::tempdir().expect("tmp");
        let script = uj_script_at(&server, dir.path(), home.path(), &format!("--study {MAIN}"));
        Pane::start(dir, &script, 160, 30)
    };
    let pane = run();
    pane.wait_text("263 interviews");
    pane.keys(&["x", "j", "*", "j", "+"]);
    pane.wait_text("tags (+add -remove):");
    pane.keys(&["c", "o", "u", "p", "o", "n", "Enter"]);
    pane.wait_text("reviewed 1 of 263 · starred 1");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");

    let pane = run();
    let screen = pane.wait_text("reviewed 1 of 263 · starred 1");
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains(" ["))
        .take(3)
        .collect();
    assert!(rows[0].contains("] R  "), "{screen}");
    assert!(rows[1].contains("]  * "), "{screen}");
    assert!(rows[2].contains("]   #"), "{screen}");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
}

/// `y` reaches the clipboard through OSC 52: with tmux's set-clipboard on,
/// tmux's own buffer shows what was copied, sanitised and cited.
#[test]
fn y_copies_a_quote_through_osc52() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let pane = start(&server, &format!("--study {MAIN}"), 160, 45);
    pane.command(&["set", "-g", "set-clipboard", "on"]);
    pane.wait_text("263 interviews");
    pane.keys(&["j", "j", "j", "j", "Enter"]);
    pane.wait_text("本日はご参加いただきありがとう");
    pane.keys(&["]", "]", "]", "y"]);
    pane.wait_text("copied the quote to the clipboard");
    let buffer = pane.command(&["show-buffer"]);
    assert!(
        buffer.starts_with("“一ページにまとまっていて速くなったと思います。")
            && buffer.ends_with("” — Respondent, cust_13508, 00:29"),
        "{buffer:?}"
    );
    pane.keys(&["Y"]);
    pane.wait_text("copied the interview's id");
    assert_eq!(
        pane.command(&["show-buffer"]),
        "5df3bf0a-15ba-4410-b2aa-156c0dbc4e6c"
    );
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
}

/// Search the study, mark what was found, restart: the search finds the
/// same interviews and the mark is on them.
#[test]
fn search_mark_restart() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let home = tempfile::tempdir().expect("home");
    let run = || {
        let dir = tempfile::tempdir().expect("tmp");
        let script = uj_script_at(&server, dir.path(), home.path(), &format!("--study {MAIN}"));
        Pane::start(dir, &script, 160, 30)
    };
    let search = |pane: &Pane| {
        pane.keys(&["/"]);
        for c in ["c", "o", "u", "p", "o", "n"] {
            pane.keys(&[c]);
        }
        pane.keys(&["Enter"]);
        pane.wait_for("the list narrowed", |s| {
            s.contains("search: coupon")
                && s.contains("Interviews · ")
                && !s.contains("263 interviews")
        })
    };
    let pane = run();
    // The whole study stored first: a search while transcripts are still
    // arriving finds fewer, and its first row would be another one than
    // after the restart.
    pane.wait_for("the sync's end", |s| {
        s.contains("263 interviews") && s.contains("│ synced ")
    });
    let first = search(&pane);
    pane.keys(&["x"]);
    pane.wait_text("reviewed 1 of 263");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");

    let pane = run();
    pane.wait_text("reviewed 1 of 263");
    search(&pane);
    let row = |s: &str| s.lines().find(|l| l.contains("›")).map(str::to_string);
    // The row as its window is read (under load, a read the restarted
    // sync asks for may land a moment after the list narrows).
    let again = pane.wait_for("the mark on the found row", |s| {
        row(s).is_some_and(|r| r.contains("] R  "))
    });
    let (before, after) = (row(&first).expect("row"), row(&again).expect("row"));
    assert!(after.contains("] R  "), "{after}");
    assert_eq!(
        before.replace("] R  ", "]    "),
        after.replace("] R  ", "]    ")
    );
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
}

/// A store that cannot be used (a file where its directory should be, or a
/// damaged database): the browser says so once and works from the network.
#[test]
fn an_unusable_store_leaves_the_browser_working_from_the_network() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join(".local")).expect("home");
    std::fs::write(home.join(".local").join("share"), b"not a directory").expect("block");
    let pane = start_in(dir, &server, &format!("--study {MAIN}"), 160, 45);
    pane.wait_text("nothing will be kept: the local store");
    pane.wait_text("cannot be written");
    pane.wait_text("263 interviews");
    pane.keys(&["j", "j", "j", "j", "Enter"]);
    pane.wait_text("本日はご参加いただきありがとう");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");

    let dir = tempfile::tempdir().expect("tmp");
    let data = dir
        .path()
        .join("home")
        .join(".local")
        .join("share")
        .join("uj");
    std::fs::create_dir_all(&data).expect("data dir");
    let db = uj::store::database_path(&data, &server.base_url().parse().expect("url"));
    let garbage = vec![0x42u8; 8192];
    std::fs::write(&db, &garbage).expect("garbage");
    let pane = start_in(dir, &server, &format!("--study {MAIN}"), 200, 45);
    pane.wait_text("is damaged or is not a uj database");
    pane.wait_text("263 interviews");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
    assert_eq!(std::fs::read(&db).expect("read"), garbage, "never wiped");
}

#[test]
fn open_an_interview_and_toggle_the_translation() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let pane = start(&server, &format!("--study {MAIN}"), 160, 45);
    pane.wait_text("263 interviews");
    // The fifth row of the demo is a Japanese interview.
    pane.keys(&["j", "j", "j", "j", "Enter"]);
    pane.wait_text("Transcript · original (ja)");
    pane.wait_text("本日はご参加いただきありがとう");
    pane.keys(&["t"]);
    pane.wait_text("Transcript · English");
    pane.wait_text("Thank you for joining today.");
    pane.keys(&["T"]);
    pane.wait_text("↳ Thank you for joining today.");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
}

#[test]
fn quitting_gives_the_terminal_back() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    for quit in [&["q"][..], &["C-c"][..]] {
        let pane = start(&server, &format!("--study {MAIN}"), 100, 30);
        pane.wait_text("263 interviews");
        assert_eq!(
            pane.format("#{alternate_on}"),
            "1",
            "the UI runs on the alternate screen"
        );
        pane.keys(quit);
        pane.wait_text("uj exited 0");
        assert_eq!(
            pane.format("#{alternate_on}"),
            "0",
            "back on the main screen after {quit:?}"
        );
        assert_eq!(
            pane.format("#{cursor_flag}"),
            "1",
            "cursor visible after {quit:?}"
        );
        assert_eq!(
            pane.format("#{mouse_any_flag}"),
            "0",
            "mouse capture off after {quit:?}"
        );
        let stty = std::fs::read_to_string(pane.path("stty")).expect("stty output");
        for mode in ["icanon", "echo", "isig"] {
            assert!(
                stty.split_whitespace().any(|w| w == mode),
                "{mode} not restored after {quit:?}: {stty}"
            );
        }
    }
}

#[test]
fn a_stalled_request_blocks_nothing() {
    if !support::has("tmux", "tmux") {
        return;
    }
    use support::standin::Fault;
    let server = server();
    server.push_faults_on("/interviews?", [Fault::Stall]);
    let pane = start(&server, &format!("--study {MAIN}"), 100, 45);
    pane.wait_text("Loading interviews…");
    pane.keys(&["?"]);
    pane.wait_text("Keys · Esc closes");
    pane.keys(&["Escape"]);
    // A lone ESC is told from an escape sequence by the pause after it.
    pane.wait_for("the help to close", |s| !s.contains("Keys · Esc closes"));
    pane.keys(&["Tab"]);
    pane.wait_text("▶ Transcript");
    pane.resize(60, 20);
    pane.wait_text("[Transcript]");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
}

/// A paste in a real terminal arrives bracketed: into the search prompt as
/// one line, and with no field open it runs nothing (its `q` does not quit).
#[test]
fn a_paste_is_text_never_keys() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let pane = start(&server, &format!("--study {MAIN}"), 160, 30);
    pane.wait_text("263 interviews");
    let paste = |text: &str| {
        pane.command(&["set-buffer", "--", text]);
        pane.command(&["paste-buffer", "-p", "-t", "0"]);
    };
    paste("qG");
    pane.wait_text("nothing to paste into");
    pane.keys(&["/"]);
    paste("coupon\nq");
    let screen = pane.wait_text("/coupon q");
    assert!(!screen.contains("uj exited"), "{screen}");
    pane.keys(&["C-w", "C-w"]);
    pane.wait_for("the field emptied", |s| {
        s.lines().last().is_some_and(|l| l.starts_with("/▏"))
    });
    // Apart, or the terminal reads them as Alt-q.
    pane.keys(&["Escape"]);
    pane.wait_for("the prompt closed", |s| !s.contains("/▏"));
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
}

/// `y` copies the current message: after a search and `n`, the match
/// walked to, never the message at the top of the pane.
#[test]
fn y_after_n_copies_the_match_walked_to() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    for (width, height) in [(160, 45), (200, 50)] {
        let pane = start(&server, &format!("--study {MAIN}"), width, height);
        pane.command(&["set", "-g", "set-clipboard", "on"]);
        pane.wait_text("263 interviews");
        pane.keys(&["/"]);
        pane.type_text("送料");
        pane.wait_text("(27 interviews)");
        pane.keys(&["Enter"]);
        pane.wait_text("search: 送料");
        pane.keys(&["Enter"]);
        pane.wait_text("match 1 of 3");
        for k in 1..=3 {
            if k > 1 {
                pane.keys(&["n"]);
                pane.wait_text(&format!("match {k} of 3"));
            }
            pane.keys(&["y"]);
            pane.wait_text("copied the quote to the clipboard");
            let buffer = pane.command(&["show-buffer"]);
            assert!(
                buffer.contains("送料"),
                "{width}×{height}, match {k}: {buffer:?}"
            );
        }
        pane.keys(&["q"]);
        pane.wait_text("uj exited 0");
    }
}

/// Marks written by another process (`uj marks import`) appear in an open
/// browser without `r`.
#[test]
fn marks_written_elsewhere_appear_without_r() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let dir = synced_home(&server);
    let home = dir.path().join("home");
    let pane = start_in(dir, &server, &format!("--offline --study {MAIN}"), 160, 45);
    pane.wait_text("263 interviews");
    // The first row is selected and shown; mark it from outside.
    let first = SnapshotSource::demo().expect("demo").interviews_of(MAIN)[0]
        .interview
        .id
        .clone();
    let file = home.join("marks.jsonl");
    std::fs::write(
        &file,
        format!(
            "{{\"interview_id\":\"{first}\",\"study_id\":\"{MAIN}\",\"tags\":[\"fromelsewhere\"]}}\n"
        ),
    )
    .expect("write");
    let imported = std::process::Command::new(env!("CARGO_BIN_EXE_uj"))
        .env_clear()
        .env("HOME", &home)
        .env("USERJOURNEYS_API_KEY", KEY)
        .env("USERJOURNEYS_BASE_URL", server.base_url())
        .args(["marks", "import"])
        .arg(&file)
        .output()
        .expect("uj marks import runs");
    assert!(imported.status.success(), "{imported:?}");
    pane.wait_text("tags: #fromelsewhere");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
}

/// `uj` with no study reopens the study last opened with this base URL.
#[test]
fn uj_without_a_study_reopens_the_last_one() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let dir = synced_home(&server);
    let home = dir.path().join("home");
    let pane = start_in(dir, &server, &format!("--offline --study {MAIN}"), 160, 45);
    pane.wait_text("263 interviews");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
    let again = tempfile::tempdir().expect("tmp");
    let script = uj_script_at(&server, again.path(), &home, "--offline");
    let pane = Pane::start(again, &script, 160, 45);
    pane.wait_text("263 interviews");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
}

use support::synthetic::{SYNTHETIC, synthetic};

/// A row not read from the store yet (`…` alone).
fn placeholder_rows(screen: &str) -> usize {
    screen
        .lines()
        .filter(|l| {
            let inner = l.trim_start_matches(['┃', '│']);
            let inner = inner.trim_start_matches(['›', ' ']);
            inner.starts_with('…')
                && inner
                    .trim_start_matches('…')
                    .trim_start()
                    .starts_with(['┃', '│'])
        })
        .count()
}

/// The first run on a large study, as a new user meets it: open, `G` at
/// once, Enter on the last row, `/` a word, Enter on the first hit. No
/// blank row stays, the transcripts show, and the search's count reaches
/// the true one when the sync ends.
#[test]
fn the_first_run_on_a_large_study_never_stays_blank() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let n = 2_000;
    let data = synthetic(n);
    let word = "coupon";
    let truth = data
        .interviews_of(SYNTHETIC)
        .iter()
        .filter(|d| {
            d.transcript.iter().any(|m| {
                [m.message.as_deref(), m.translated.as_deref()]
                    .into_iter()
                    .flatten()
                    .any(|t| t.to_lowercase().contains(word))
            }) || d
                .interview
                .summary
                .as_deref()
                .is_some_and(|t| t.to_lowercase().contains(word))
                || d.interview
                    .headline
                    .as_deref()
                    .is_some_and(|t| t.to_lowercase().contains(word))
                || d.question_answers.iter().any(|q| {
                    q.answer_summary
                        .as_deref()
                        .is_some_and(|t| t.to_lowercase().contains(word))
                })
        })
        .count();
    assert!(truth > 0);
    let server = StandIn::start_in_thread(data, KEY);
    server.set_latency(std::time::Duration::from_millis(20));
    let pane = start(&server, &format!("--study {SYNTHETIC}"), 160, 45);
    pane.wait_text("›");
    pane.keys(&["G"]);
    // The list follows the end as the walk stores it; once every row is
    // listed, none on screen is a placeholder.
    let at_end = pane.wait_for("the end of the list, every row read", |s| {
        s.contains(&format!("{n} loaded of {n}")) || s.contains(&format!("│ {n} interviews"))
    });
    let settled = pane.wait_for("no placeholder row", |s| placeholder_rows(s) == 0);
    let _ = at_end;
    assert!(!settled.contains("Loading interviews"), "{settled}");
    pane.keys(&["Enter"]);
    pane.wait_for("the last row's transcript", |s| {
        s.contains("00:00  Interviewer") && !s.contains("Loading transcript")
    });
    pane.keys(&["h", "/"]);
    pane.type_text(word);
    pane.keys(&["Enter"]);
    pane.wait_text(&format!("search: {word}"));
    pane.keys(&["Enter"]);
    pane.wait_for("the first hit's transcript", |s| {
        s.contains("▶ Transcript") && !s.contains("Loading transcript")
    });
    // When the sync has stored every transcript, the search finds them all.
    pane.wait_for("the true count", |s| {
        s.lines().next().is_some_and(|top| {
            top.contains(&format!("{truth} interviews")) && !top.contains("searched")
        })
    });
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
}

/// Coding in a real terminal: three messages coded with two codes (one
/// made in the picker, one by its recent number), one trimmed; the board
/// and the matrix; undo and redo; then `uj report` and `uj export
/// --format qdpx` read back what the browser wrote.
#[test]
fn code_in_the_browser_then_report_and_export() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let dir = synced_home(&server);
    let home = dir.path().join("home");
    let pane = start_in(dir, &server, &format!("--offline --study {MAIN}"), 160, 45);
    pane.wait_text("263 interviews");
    // The first interview's transcript, its third message.
    pane.keys(&["Enter"]);
    pane.wait_text("Transcript");
    pane.keys(&["]", "]", "]", "c"]);
    pane.wait_text("Code this message");
    pane.type_text("Checkout speed");
    pane.keys(&["Enter"]);
    pane.wait_text("▍ Checkout speed");
    // The next message, by its recent number.
    pane.keys(&["]", "c"]);
    pane.wait_text("recent: 1 Checkout speed");
    pane.keys(&["1"]);
    pane.wait_for("two coded messages", |s| {
        s.matches("▍ Checkout speed").count() == 2
    });
    // The next, trimmed to drop its first word, with a second code.
    pane.keys(&["]", "v"]);
    pane.wait_text("keep the part to code:");
    pane.keys(&[
        "Home", "Delete", "Delete", "Delete", "Delete", "Delete", "Enter",
    ]);
    pane.wait_text("Code this message");
    pane.type_text("Trust");
    pane.keys(&["Enter"]);
    pane.wait_text("▍ Trust");
    // The board of the current code and the matrix.
    pane.keys(&["b"]);
    pane.wait_text("Evidence: Trust");
    // Esc alone (a key right after it would read as Alt-key).
    pane.keys(&["Escape"]);
    pane.wait_for("the board closed", |s| !s.contains("Evidence: Trust"));
    pane.keys(&["M"]);
    pane.wait_text("Matrix: codes × quality");
    pane.keys(&["Tab"]);
    pane.wait_text("Matrix: codes × language");
    pane.keys(&["Escape"]);
    pane.wait_for("the matrix closed", |s| !s.contains("Matrix: codes"));
    // Undo the last coding, then redo it.
    pane.keys(&["u"]);
    pane.wait_for("the trimmed highlight undone", |s| !s.contains("▍ Trust"));
    pane.keys(&["C-r"]);
    pane.wait_text("▍ Trust");
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");

    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_uj"))
            .env_clear()
            .env("HOME", &home)
            .env("USERJOURNEYS_API_KEY", KEY)
            .env("USERJOURNEYS_BASE_URL", server.base_url())
            .args(["--offline", "--study", MAIN])
            .args(args)
            .output()
            .expect("uj runs")
    };
    // The trimmed highlight starts past its message's first word.
    let trimmed = run(&["highlights", "--code", "Trust", "--format", "json"]);
    let trimmed: serde_json::Value =
        serde_json::from_slice(&trimmed.stdout).expect("one highlight");
    assert!(trimmed["start"].as_u64() >= Some(5), "{trimmed}");
    let report = run(&["report", "--out", "-"]);
    assert!(report.status.success(), "{report:?}");
    let report = String::from_utf8_lossy(&report.stdout);
    assert!(
        report.contains("### Checkout speed") && report.contains("### Trust"),
        "{report}"
    );
    assert!(
        report.contains("In 1 interview (100% of those coded)"),
        "{report}"
    );
    let out = home.join("study.qdpx");
    let export = run(&[
        "export",
        "--format",
        "qdpx",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(export.status.success(), "{export:?}");
    let file = std::fs::File::open(&out).expect("qdpx");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut project = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("project.qde").expect("project"),
        &mut project,
    )
    .expect("read");
    assert_eq!(
        project.matches("<PlainTextSelection ").count(),
        3,
        "{project}"
    );
    assert_eq!(project.matches("<Code ").count(), 2, "{project}");
}

/// A config that swaps j and k: k moves down in the real browser, and the
/// hints and the help say so.
#[test]
fn swapped_keys_work_and_show_in_hints_and_help() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = server();
    let dir = synced_home(&server);
    let config = dir.path().join("home").join(".config").join("uj");
    std::fs::create_dir_all(&config).expect("dir");
    std::fs::write(
        config.join("config.toml"),
        "[keys.every_pane]\ndown = [\"k\", \"Down\"]\nup = [\"j\", \"Up\"]\n",
    )
    .expect("config");
    let pane = start_in(dir, &server, &format!("--offline --study {MAIN}"), 160, 45);
    let first = pane.wait_text("263 interviews");
    assert!(first.contains("k/j move"), "the hints: {first}");
    let selected = |s: &str| s.lines().position(|l| l.contains('›'));
    let before = selected(&first);
    pane.keys(&["k", "k"]);
    pane.wait_for("k moves down", |s| {
        selected(s)
            .zip(before)
            .is_some_and(|(now, was)| now == was + 2)
    });
    pane.keys(&["?"]);
    pane.wait_text("k/↓");
    pane.keys(&["Escape"]);
    pane.wait_for("the help closed", |s| !s.contains("k/↓"));
    pane.keys(&["q"]);
    pane.wait_text("uj exited 0");
}
