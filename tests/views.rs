//! Saved views: the picker's counts against `uj interviews --view`, saving
//! a view into a config file with its comments kept, applying one.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::KEY;
use support::harness::Harness;
use support::keys::{keys, press, screen_text};
use uj::api::SnapshotSource;
use uj::app::coding::Loadable;
use uj::app::state::Overlay;
use uj::app::update::init;
use uj::app::{Msg, State};
use uj::mirror::Mirror;
use uj::runtime::Runtime;
use uj::store::{MarkChange, Store, database_path};
use uj::sync::SyncOptions;

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";
const NOWHERE: &str = "http://127.0.0.1:9/api/v1";

const CONFIG: &str = r#"# My uj settings.
page_size = 40   # rows a page

# Views I use every morning.
[views]
triage = "is:unreviewed quality:insightful"
japanese = "lang:ja -is:reviewed"
"#;

/// A home with the demo's main study stored, some reviewed, and a config.
fn home() -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("tmp");
    let data = home.path().join(".local").join("share").join("uj");
    let mut store = Store::open(&db(home.path(), &data)).expect("store");
    let demo = SnapshotSource::demo().expect("demo");
    store.put_study_detail(&demo.studies()[0]).expect("study");
    let all = demo.interviews_of(MAIN).to_vec();
    support::store_whole_study(&mut store, MAIN, &all);
    for d in all.iter().step_by(3) {
        store
            .change_marks(&d.interview.id, MAIN, &MarkChange::ToggleReviewed)
            .expect("mark");
    }
    let config = home.path().join(".config").join("uj");
    std::fs::create_dir_all(&config).expect("dir");
    std::fs::write(config.join("config.toml"), CONFIG).expect("config");
    home
}

fn db(_home: &Path, data: &Path) -> std::path::PathBuf {
    database_path(data, &NOWHERE.parse().expect("url"))
}

fn uj(home: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_uj"))
        .env_clear()
        .env("HOME", home)
        .env("USERJOURNEYS_API_KEY", KEY)
        .env("USERJOURNEYS_BASE_URL", NOWHERE)
        .env("TZ", "UTC")
        .args(["--offline", "--study", MAIN])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn browser(home: &Path) -> Harness {
    let data = home.join(".local").join("share").join("uj");
    let store = Store::open(&db(home, &data)).expect("store");
    let mirror = Mirror::new(
        store,
        None,
        SyncOptions {
            concurrency: 1,
            details: false,
            full: false,
        },
    )
    .expect("mirror");
    let mut state = State::new(50);
    state.width = 140;
    state.height = 40;
    state.sync.network = uj::app::state::Network::Off;
    state.views = vec![
        ("triage".into(), "is:unreviewed quality:insightful".into()),
        ("japanese".into(), "lang:ja -is:reviewed".into()),
    ];
    state.config_path = Some(home.join(".config").join("uj").join("config.toml"));
    let terminal = Terminal::new(TestBackend::new(140, 40)).expect("terminal");
    let mut rt = Harness::new(Runtime::new(terminal, mirror, state));
    let fx = init(&mut rt.state, Some(MAIN.to_string()));
    rt.start(fx);
    rt.settle().await;
    rt
}

#[tokio::test(start_paused = true)]
async fn the_pickers_counts_are_what_uj_interviews_view_prints() {
    let home = home();
    let mut rt = browser(home.path()).await;
    keys(&mut rt, "V");
    let text = screen_text(&mut rt).await;
    assert!(
        text.contains("Saved views") && text.contains("triage"),
        "{text}"
    );
    let counts = match &rt.state.overlay {
        Overlay::Views(p) => match &p.counts {
            Loadable::Ready(c) => c.clone(),
            other => panic!("{other:?}"),
        },
        _ => panic!("not the picker"),
    };
    for (n, name) in ["triage", "japanese"].iter().enumerate() {
        let (code, out, err) = uj(home.path(), &["interviews", "--view", name, "--all"]);
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(counts[n].0, out.lines().count() as u64, "{name}");
        assert!(counts[n].0 > 0, "{name} keeps some");
        // Both views keep unreviewed interviews only.
        assert_eq!(counts[n].1, counts[n].0, "{name}");
    }
    // Enter shows the view: the top bar names it, the list is its rows.
    keys(&mut rt, "j");
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    assert!(text.contains("view: japanese"), "{text}");
    assert_eq!(rt.state.list.window.total as u64, counts[1].0);
}

#[tokio::test(start_paused = true)]
async fn s_saves_the_lists_query_into_the_config_keeping_its_comments() {
    let home = home();
    let mut rt = browser(home.path()).await;
    // Search, then save it as a view.
    keys(&mut rt, "/");
    for c in "refund".chars() {
        rt.handle(support::keys::key(c));
    }
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "2V");
    screen_text(&mut rt).await;
    keys(&mut rt, "s");
    for c in "refunds".chars() {
        rt.handle(support::keys::key(c));
    }
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    assert!(text.contains("saved the view refunds"), "{text}");
    let written =
        std::fs::read_to_string(home.path().join(".config").join("uj").join("config.toml"))
            .expect("config");
    assert!(
        written.starts_with("# My uj settings.\npage_size = 40   # rows a page\n"),
        "{written}"
    );
    assert!(
        written.contains("# Views I use every morning."),
        "{written}"
    );
    assert!(
        written.contains("refunds = \"quality:successful refund\""),
        "{written}"
    );
    // The file still reads, and the view works from the command line.
    let (code, out, err) = uj(home.path(), &["interviews", "--view", "refunds", "--all"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out.lines().count() as u64,
        rt.state.list.window.total as u64
    );
    // A name that is not a key is refused, nothing written.
    keys(&mut rt, "V");
    screen_text(&mut rt).await;
    keys(&mut rt, "s");
    for c in "a b".chars() {
        rt.handle(support::keys::key(c));
    }
    press(&mut rt, KeyCode::Enter);
    let text = screen_text(&mut rt).await;
    assert!(text.contains("nothing was saved"), "{text}");
    let _ = Msg::Tick;
}

#[test]
fn an_unknown_view_names_the_known_ones() {
    let home = home();
    let (code, _, err) = uj(home.path(), &["interviews", "--view", "nope"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("triage") && err.contains("japanese"), "{err}");
    let dir = tempfile::tempdir().expect("tmp");
    let (code, _, err) = uj(
        home.path(),
        &[
            "export",
            "--format",
            "jsonl",
            "--out",
            dir.path().join("j.jsonl").to_str().expect("utf-8"),
            "--view",
            "japanese",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let (_, out, _) = uj(home.path(), &["interviews", "--view", "japanese", "--all"]);
    let exported = std::fs::read_to_string(dir.path().join("j.jsonl")).expect("export");
    assert_eq!(exported.lines().count(), out.lines().count());
}

#[test]
fn saving_a_view_writes_through_a_linked_config() {
    let dir = tempfile::tempdir().expect("tmp");
    let dotfiles = dir.path().join("dotfiles");
    std::fs::create_dir_all(&dotfiles).expect("dir");
    let real = dotfiles.join("uj.toml");
    std::fs::write(&real, CONFIG).expect("config");
    let link = dir.path().join("config.toml");
    std::os::unix::fs::symlink(&real, &link).expect("link");
    uj::config::save_view(&link, "later", "is:starred").expect("saved");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    let written = std::fs::read_to_string(&real).expect("real");
    assert!(written.contains("later = \"is:starred\""), "{written}");
    assert!(written.starts_with("# My uj settings."), "{written}");
}

#[test]
fn a_view_is_not_saved_into_a_config_it_cannot_read_and_the_file_is_left_as_it_was() {
    use uj::config::{SaveViewError, save_view};
    let dir = tempfile::tempdir().expect("tmp");
    let broken = dir.path().join("broken.toml");
    let text = "# mine\n[views\nunfinished = \n";
    std::fs::write(&broken, text).expect("config");
    let err = save_view(&broken, "later", "is:starred").expect_err("not TOML");
    assert!(matches!(err, SaveViewError::NotToml { .. }), "{err:?}");
    assert!(err.to_string().contains("fix it first"), "{err}");
    assert_eq!(std::fs::read_to_string(&broken).expect("read"), text);

    let odd = dir.path().join("odd.toml");
    std::fs::write(&odd, "views = \"all\"\n").expect("config");
    let err = save_view(&odd, "later", "is:starred").expect_err("not a table");
    assert!(
        matches!(err, SaveViewError::ViewsNotATable { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("make it [views]"), "{err}");

    let dangling = dir.path().join("dangling.toml");
    std::os::unix::fs::symlink(dir.path().join("gone.toml"), &dangling).expect("link");
    let err = save_view(&dangling, "later", "is:starred").expect_err("dangling");
    assert!(matches!(err, SaveViewError::BrokenLink { .. }), "{err:?}");
    assert!(
        std::fs::symlink_metadata(&dangling)
            .expect("link")
            .file_type()
            .is_symlink(),
        "the link is left alone"
    );
}
