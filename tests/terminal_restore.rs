//! The terminal is always given back — after q, Ctrl-c, SIGTERM, SIGHUP,
//! SIGINT and a panic — and Ctrl-z / SIGCONT redraws in full. Checked in a
//! real pty (tmux) with `stty` and tmux's own view of the pane.

mod support;

use std::path::Path;

use support::KEY;
use support::standin::StandIn;
use support::tmux::{Pane, sh_quote};
use uj::api::SnapshotSource;

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

fn bin() -> String {
    sh_quote(env!("CARGO_BIN_EXE_uj"))
}

/// Not a test by itself, so ignored: the program the panic test runs in a
/// pty (this test binary, run with `--ignored --exact panic_helper`). It
/// takes the terminal with uj's guard, waits for a key, then panics while
/// holding the API key.
#[test]
#[ignore = "run by a_panic_restores_the_terminal_and_hides_the_key in a pty"]
fn panic_helper() {
    use ratatui::widgets::Paragraph;
    let key = uj::api::ApiKey::new(std::env::var("USERJOURNEYS_API_KEY").unwrap_or_default());
    let (mut terminal, _guard) = uj::terminal::TerminalGuard::enter().expect("terminal");
    terminal
        .draw(|f| f.render_widget(Paragraph::new("about to panic"), f.area()))
        .expect("draw");
    // Raw mode: one byte is one key.
    let mut key_press = [0u8; 1];
    std::io::Read::read(&mut std::io::stdin(), &mut key_press).expect("stdin");
    panic!("deliberate panic while the UI runs, holding {key:?}");
}

fn env_prefix(dir: &Path, server: &StandIn, key: &str) -> String {
    let home = dir.join("home");
    std::fs::create_dir_all(&home).expect("home");
    format!(
        "env -i PATH=/usr/bin:/bin HOME={} TERM=xterm-256color TZ=UTC USERJOURNEYS_API_KEY={key} USERJOURNEYS_BASE_URL={}",
        sh_quote(&home.display().to_string()),
        sh_quote(&server.base_url())
    )
}

/// Runs `command` (which execs the program, so its pid is known), then
/// records `stty -a` and the exit code.
fn start(command: &str) -> Pane {
    let dir = tempfile::tempdir().expect("tmp");
    let pid = sh_quote(&dir.path().join("pid").display().to_string());
    let stty = sh_quote(&dir.path().join("stty").display().to_string());
    let inner = sh_quote(&format!("echo $$ > {pid}; exec {command}"));
    let script = format!(
        "sh -c {inner} 2> {err}; code=$?; stty -a > {stty}; echo \"exited $code\"; sleep 60",
        err = sh_quote(&dir.path().join("stderr").display().to_string())
    );
    Pane::start(dir, &script, 100, 30)
}

fn assert_restored(pane: &Pane, how: &str) {
    pane.wait_text("exited");
    assert_eq!(
        pane.format("#{alternate_on}"),
        "0",
        "main screen after {how}"
    );
    assert_eq!(
        pane.format("#{cursor_flag}"),
        "1",
        "cursor visible after {how}"
    );
    assert_eq!(
        pane.format("#{mouse_any_flag}"),
        "0",
        "mouse capture off after {how}"
    );
    let stty = std::fs::read_to_string(pane.path("stty")).expect("stty output");
    for mode in ["icanon", "echo", "isig"] {
        assert!(
            stty.split_whitespace().any(|w| w == mode),
            "{mode} not restored after {how}: {stty}"
        );
    }
}

fn pid(pane: &Pane) -> String {
    std::fs::read_to_string(pane.path("pid"))
        .expect("pid")
        .trim()
        .to_string()
}

#[test]
fn signals_restore_the_terminal() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    for signal in ["TERM", "HUP", "INT"] {
        let dir = tempfile::tempdir().expect("tmp");
        let command = format!(
            "{} {} --study {MAIN}",
            env_prefix(dir.path(), &server, KEY),
            bin()
        );
        let pane = start(&command);
        pane.wait_text("263 interviews");
        assert_eq!(pane.format("#{alternate_on}"), "1");
        let status = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(pid(&pane))
            .status()
            .expect("kill");
        assert!(status.success());
        assert_restored(&pane, &format!("SIG{signal}"));
    }
}

#[test]
fn a_panic_restores_the_terminal_and_hides_the_key() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let dir = tempfile::tempdir().expect("tmp");
    let me = std::env::current_exe().expect("test binary");
    let command = format!(
        "{} {} panic_helper --exact --ignored --nocapture --test-threads=1",
        env_prefix(dir.path(), &server, KEY),
        sh_quote(&me.display().to_string())
    );
    let pane = start(&command);
    pane.wait_text("about to panic");
    assert_eq!(pane.format("#{alternate_on}"), "1");
    pane.keys(&["Enter"]);
    assert_restored(&pane, "a panic");
    let stderr = std::fs::read_to_string(pane.path("stderr")).expect("stderr");
    assert!(
        stderr.contains("deliberate panic while the UI runs, holding ApiKey([redacted])"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(KEY) && !pane.screen().contains(KEY),
        "{stderr}"
    );
}

#[test]
fn ctrl_z_suspends_and_resuming_redraws_in_full() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let dir = tempfile::tempdir().expect("tmp");
    let command = format!(
        "{} {} --study {MAIN}",
        env_prefix(dir.path(), &server, KEY),
        bin()
    );
    let stty = sh_quote(&dir.path().join("stty").display().to_string());
    // A job-control shell, as a user's: Ctrl-z stops uj, `fg` continues it.
    let script = format!(
        "bash -c {}; sleep 60",
        sh_quote(&format!(
            "set -m; {command}; echo \"uj stopped\"; read _; fg; code=$?; stty -a > {stty}; echo \"exited $code\""
        ))
    );
    let pane = Pane::start(dir, &script, 100, 30);
    pane.wait_text("263 interviews");
    pane.keys(&["j", "j"]);
    pane.keys(&["C-z"]);
    let stopped = pane.wait_text("uj stopped");
    assert_eq!(
        pane.format("#{alternate_on}"),
        "0",
        "suspended: the shell has the main screen\n{stopped}"
    );
    assert!(!stopped.contains("┏"), "the UI is gone while stopped");
    pane.keys(&["Enter"]);
    // SIGCONT: the whole UI comes back, not just what changed.
    let back = pane.wait_for("a full redraw", |s| {
        s.contains("263 interviews")
            && s.contains("Transcript")
            && s.contains("Answers")
            && s.contains("j/k move")
    });
    assert_eq!(pane.format("#{alternate_on}"), "1", "{back}");
    pane.keys(&["q"]);
    assert_restored(&pane, "Ctrl-z, fg, q");
    assert!(pane.screen().contains("exited 0"));
}

#[test]
fn the_key_never_shows_and_logs_go_to_the_file_only() {
    if !support::has("tmux", "tmux") {
        return;
    }
    let server = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY);
    let dir = tempfile::tempdir().expect("tmp");
    let log = dir.path().join("uj.log");
    let wrong = "uj_live_wrong_canary_77";
    let command = format!(
        "{} UJ_LOG=trace {} --study {MAIN} --log-file {}",
        env_prefix(dir.path(), &server, wrong),
        bin(),
        sh_quote(&log.display().to_string())
    );
    let pane = start(&command);
    let screen = pane.wait_text("USERJOURNEYS_API_KEY");
    assert!(
        screen.contains("the API refused the key (HTTP 401: Invalid API key)"),
        "{screen}"
    );
    assert!(
        !screen.contains("canary") && !screen.contains(wrong),
        "{screen}"
    );
    assert!(
        !screen.contains("TRACE") && !screen.contains("DEBUG"),
        "no log lines on the screen:\n{screen}"
    );
    pane.keys(&["q"]);
    assert_restored(&pane, "q after a 401");
    let logged = std::fs::read_to_string(&log).expect("log file");
    assert!(
        logged.contains("status=401"),
        "the log has the story: {logged}"
    );
    assert!(!logged.contains("canary"), "{logged}");
}
