//! The binding table is the one source of the keys: every action is bound
//! and reachable where it belongs, the help shows every binding, the hints
//! name bound keys, the line editor takes every editing key, and the
//! README's key tables are made from it (`UJ_WRITE_README=1 cargo test
//! --test keys` rewrites them).

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use uj::api::model::Quality;
use uj::app::keymap::{Action, BINDINGS, Context, help_lines, hint_line, lookup, readme_tables};
use uj::app::line_edit::LineEdit;
use uj::app::state::{FilterForm, Overlay, Pane, Prompt, PromptKind, Search, State};
use uj::app::{Msg, contexts, update};

/// Every action there is. The match below fails to compile when one is
/// added, so this list cannot fall behind.
fn all_actions() -> Vec<Action> {
    use Action::*;
    let all = vec![
        Quit,
        Suspend,
        ShowHelp,
        Down,
        Up,
        HalfPageDown,
        HalfPageUp,
        PageDown,
        PageUp,
        Top,
        Bottom,
        FocusNext,
        FocusPrev,
        OpenInterview,
        ShowWholeList,
        JumpToExcerpt,
        ClearFind,
        ToggleTranslation,
        ToggleBoth,
        PrevMessage,
        NextMessage,
        CycleStatus,
        FilterQuality(Some(Quality::Insightful)),
        FilterQuality(Some(Quality::Successful)),
        FilterQuality(Some(Quality::Unsuccessful)),
        FilterQuality(None),
        OpenFilterForm,
        StartSearch,
        NextMatch,
        PrevMatch,
        SyncAgain,
        SwitchStudy,
        ToggleReviewed,
        ToggleStarred,
        EditTags,
        EditNote,
        CopyQuote,
        CopyId,
        PickQuestion,
        ToggleOverview,
        CloseOverview,
        CloseHelp,
        CloseOverlay,
        OpenStudy,
        ReloadStudies,
        ChooseQuestion,
        NextField,
        PrevField,
        NextValue,
        PrevValue,
        ApplyFilters,
        SubmitText,
        CancelText,
        TypeText,
        EditText,
        CompleteText,
        WidenList,
        CycleLanguage,
        CycleOrder,
        ClearFilters,
        CodeCurrent,
        RemoveCode,
        OpenCodebook,
        OpenBoard,
        OpenMatrix,
        Undo,
        Redo,
        PickRecent(1),
        Choose,
        NextSegment,
        ToggleShares,
        TrimMessage,
        CommentHighlight,
        RenameCode,
        MergeCode,
        SetParent,
        DescribeCode,
        DeleteCode,
        CopyEvidence,
        RecodeEvidence,
        Left,
        Right,
        OpenViews,
        SaveView,
        BulkPrefix,
    ];
    for a in &all {
        match a {
            Quit | Suspend | ShowHelp | Down | Up | HalfPageDown | HalfPageUp | PageDown
            | PageUp | Top | Bottom | FocusNext | FocusPrev | OpenInterview | ShowWholeList
            | JumpToExcerpt | ClearFind | ToggleTranslation | ToggleBoth | PrevMessage
            | NextMessage | CycleStatus | FilterQuality(_) | OpenFilterForm | StartSearch
            | NextMatch | PrevMatch | SyncAgain | SwitchStudy | ToggleReviewed | ToggleStarred
            | EditTags | EditNote | CopyQuote | CopyId | PickQuestion | ToggleOverview
            | CloseOverview | CloseHelp | CloseOverlay | OpenStudy | ReloadStudies
            | ChooseQuestion | NextField | PrevField | NextValue | PrevValue | ApplyFilters
            | SubmitText | CancelText | TypeText | EditText | CompleteText | WidenList
            | CycleLanguage | CycleOrder | ClearFilters | CodeCurrent | RemoveCode
            | OpenCodebook | OpenBoard | OpenMatrix | Undo | Redo | PickRecent(_) | Choose
            | NextSegment | ToggleShares | TrimMessage | CommentHighlight | RenameCode
            | MergeCode | SetParent | DescribeCode | DeleteCode | CopyEvidence | RecodeEvidence
            | Left | Right | OpenViews | SaveView | BulkPrefix => {}
        }
    }
    all
}

/// The contexts in force when the user is in `c` (as `input::contexts`
/// gives them; checked against it below).
fn in_force(c: Context) -> Vec<Vec<Context>> {
    match c {
        Context::Panes => vec![
            vec![Context::List, Context::Panes],
            vec![Context::Transcript, Context::Panes],
            vec![Context::Answers, Context::Panes],
        ],
        Context::List | Context::Transcript | Context::Answers => vec![vec![c, Context::Panes]],
        Context::Overview => vec![vec![Context::Overview, Context::List, Context::Panes]],
        // Prompts, and the form's text fields.
        Context::TextField => vec![
            vec![Context::TextField],
            vec![Context::TagsPrompt, Context::TextField],
            vec![Context::TextField, Context::FilterForm],
            vec![Context::CodePicker, Context::TextField],
        ],
        Context::TagsPrompt => vec![vec![Context::TagsPrompt, Context::TextField]],
        Context::CodePicker => vec![vec![Context::CodePicker, Context::TextField]],
        other => vec![vec![other]],
    }
}

#[test]
fn every_action_is_bound_and_every_binding_reachable() {
    for a in all_actions() {
        assert!(BINDINGS.iter().any(|b| b.action == a), "{a:?} has no key");
    }
    for b in BINDINGS {
        assert!(!b.keys.is_empty() && !b.help.is_empty(), "{b:?}");
        for k in b.keys {
            let reached = in_force(b.context)
                .iter()
                .filter(|places| lookup(places, &k.event()) == Some(&b.action))
                .count();
            assert!(
                reached > 0,
                "{k} in {:?} is taken by another binding: {b:?}",
                b.context
            );
        }
    }
}

fn state_at(width: u16, height: u16) -> State {
    let mut s = State::new(50);
    update(&mut s, Msg::Resize { width, height });
    s
}

#[test]
fn the_contexts_follow_where_the_user_is() {
    let mut s = state_at(100, 30);
    assert_eq!(contexts(&s), [Context::List, Context::Panes]);
    s.focus = Pane::Answers;
    assert_eq!(contexts(&s), [Context::Answers, Context::Panes]);
    s.overview.open();
    assert_eq!(
        contexts(&s),
        [Context::Overview, Context::Answers, Context::Panes]
    );
    s.overview.close();
    s.search = Some(Search {
        editing: true,
        ..Search::default()
    });
    assert_eq!(contexts(&s), [Context::TextField]);
    s.search = None;
    s.prompt = Some(Prompt {
        kind: PromptKind::Note,
        id: "i".into(),
        text: LineEdit::default(),
        before: vec![],
        choices: vec![],
    });
    assert_eq!(contexts(&s), [Context::TextField]);
    s.prompt = Some(Prompt {
        kind: PromptKind::Tags,
        id: "i".into(),
        text: LineEdit::default(),
        before: vec![],
        choices: vec![],
    });
    assert_eq!(contexts(&s), [Context::TagsPrompt, Context::TextField]);
    s.prompt = None;
    s.overlay = Overlay::Filter(FilterForm::default());
    assert_eq!(contexts(&s), [Context::FilterForm]);
    s.overlay = Overlay::Filter(FilterForm {
        field: uj::app::state::Field::Tag,
        ..FilterForm::default()
    });
    assert_eq!(contexts(&s), [Context::TextField, Context::FilterForm]);
    s.overlay = Overlay::Help { scroll: 0 };
    assert_eq!(contexts(&s), [Context::Help]);
    s.overlay = Overlay::Picker(Default::default());
    assert_eq!(contexts(&s), [Context::StudyPicker]);
    s.overlay = Overlay::Questions(Default::default());
    assert_eq!(contexts(&s), [Context::QuestionPicker]);
}

#[test]
fn the_help_shows_every_binding() {
    for inner in [38, 68, 82] {
        let lines = help_lines(inner);
        let text: String = lines
            .iter()
            .map(|l| format!("{}{}\n", l.keys, l.text))
            .collect();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for c in Context::ALL {
            assert!(flat.contains(c.title()), "{inner}: {}", c.title());
        }
        for b in BINDINGS {
            let help = b.help.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains(&help), "{inner}: no “{}”", b.help);
            let keys = uj::app::keymap::keys_text(b);
            assert!(text.contains(&keys), "{inner}: no {keys}");
        }
        for l in &lines {
            assert!(
                uj::text::width(&l.keys) + uj::text::width(&l.text) <= inner,
                "{inner}: {l:?}"
            );
        }
    }
}

#[test]
fn the_hints_name_keys_bound_where_they_show() {
    // Every key by the name the hints give it.
    let named: std::collections::HashMap<String, KeyEvent> = BINDINGS
        .iter()
        .flat_map(|b| b.keys.iter().map(|k| (k.to_string(), k.event())))
        .collect();
    for ctx in [
        Context::List,
        Context::Transcript,
        Context::Answers,
        Context::Overview,
        Context::Help,
        Context::StudyPicker,
        Context::QuestionPicker,
        Context::FilterForm,
    ] {
        let hint = hint_line(ctx);
        let pane = matches!(
            ctx,
            Context::List | Context::Transcript | Context::Answers | Context::Overview
        );
        let places = if pane {
            vec![ctx, Context::Panes]
        } else {
            vec![ctx]
        };
        if pane {
            assert!(hint.ends_with("? help  q quit"), "{ctx:?}: {hint}");
        }
        assert!(hint.contains(" quit"), "{ctx:?}: {hint}");
        // Each hint's keys do something there.
        for part in hint.split("  ") {
            let keys = part.split(' ').next().unwrap_or_default();
            let keys: Vec<&str> = if keys == "/" {
                vec!["/"]
            } else {
                keys.split('/').collect()
            };
            for k in keys {
                let key = named
                    .get(k)
                    .unwrap_or_else(|| panic!("{ctx:?}: {k} in {part:?} is no key"));
                assert!(
                    lookup(&places, key).is_some(),
                    "{ctx:?}: {k} in {part:?} is bound to nothing there"
                );
            }
        }
    }
    assert_eq!(
        hint_line(Context::List),
        // Search and filter first: at 80 columns they stay, the quality keys go.
        "j/k move  Enter open  / search  F filter  x/*/+/e mark  s status  1/2/3/0 quality  ? help  q quit"
    );
    assert_eq!(
        hint_line(Context::StudyPicker),
        "j/k move  Enter open  r reload  Esc close  q quit"
    );
}

#[test]
fn the_line_editor_takes_every_editing_key() {
    for b in BINDINGS.iter().filter(|b| b.action == Action::EditText) {
        for k in b.keys {
            let mut field = LineEdit::new("some text");
            assert!(
                field.key(k.event()),
                "{k} is bound to EditText but not edited"
            );
        }
    }
}

#[test]
fn the_readme_key_tables_are_the_binding_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README");
    let (start, end) = ("<!-- keys:start -->\n", "<!-- keys:end -->");
    let a = readme.find(start).expect("the keys:start marker") + start.len();
    let b = readme.find(end).expect("the keys:end marker");
    let tables = readme_tables();
    if std::env::var_os("UJ_WRITE_README").is_some() {
        let new = format!("{}{}{}", &readme[..a], tables.trim_start(), &readme[b..]);
        std::fs::write(path, new).expect("README written");
        return;
    }
    assert_eq!(
        readme[a..b].trim(),
        tables.trim(),
        "the README's key tables are out of date: run UJ_WRITE_README=1 cargo test --test keys"
    );
}

#[test]
fn ctrl_c_quits_from_everywhere() {
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    for c in Context::ALL {
        for places in in_force(c) {
            assert_eq!(lookup(&places, &ctrl_c), Some(&Action::Quit), "{places:?}");
        }
    }
    // `q` closes the help and the question picker first; it is a letter
    // in a text field.
    assert_eq!(lookup(&[Context::Help], &q), Some(&Action::CloseHelp));
    assert_eq!(
        lookup(&[Context::QuestionPicker], &q),
        Some(&Action::CloseOverlay)
    );
    assert_eq!(lookup(&[Context::TextField], &q), Some(&Action::TypeText));
    // And through `update`: from the filter form's text field.
    let mut s = state_at(100, 30);
    s.overlay = Overlay::Filter(FilterForm {
        field: uj::app::state::Field::Reference,
        ..FilterForm::default()
    });
    assert_eq!(
        update(&mut s, Msg::Key(ctrl_c)),
        vec![uj::app::Effect::Quit]
    );
}

/// The README's configuration, environment, files and exit status tables
/// are `uj::reference`'s, which `uj man` renders too.
#[test]
fn the_readme_reference_tables_are_the_shared_ones() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README");
    let (start, end) = ("<!-- reference:start -->", "<!-- reference:end -->");
    let a = readme.find(start).expect("the reference:start marker") + start.len();
    let b = readme.find(end).expect("the reference:end marker");
    let block = uj::reference::readme_block();
    if std::env::var_os("UJ_WRITE_README").is_some() {
        let new = format!("{}\n{}\n{}", &readme[..a], block.trim(), &readme[b..]);
        std::fs::write(path, new).expect("write README");
        return;
    }
    assert_eq!(
        readme[a..b].trim(),
        block.trim(),
        "the README's reference tables are out of date: run UJ_WRITE_README=1 cargo test --test keys"
    );
}

/// `uj keys` with a config whose `[keys]` holds `body`.
fn keys_with(body: &str) -> std::process::Output {
    let dir = tempfile::tempdir().expect("tmp");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, body).expect("config");
    std::process::Command::new(env!("CARGO_BIN_EXE_uj"))
        .env_clear()
        .env("HOME", dir.path())
        .arg("--config")
        .arg(&config)
        .arg("keys")
        .output()
        .expect("runs")
}

#[test]
fn every_bad_key_entry_is_refused_by_name() {
    for (body, names) in [
        (
            "[keys.lisst]\nopen = [\"o\"]\n",
            vec!["[keys.lisst]", "no such context"],
        ),
        (
            "[keys.list]\nopn = [\"o\"]\n",
            vec!["[keys.list] opn", "no such action"],
        ),
        (
            "[keys.list]\nopen = [\"Hyper-o\"]\n",
            vec!["[keys.list] open", "\"Hyper-o\" is not a key"],
        ),
        (
            "[keys.list]\nopen = []\n",
            vec!["[keys.list] open = []", "at least one key"],
        ),
        (
            "[keys.every_pane]\ndown = [\"k\"]\n",
            vec!["[keys.every_pane]", "k is bound to both", "down", "up"],
        ),
    ] {
        let out = keys_with(body);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{body}: {err}");
        for n in names {
            assert!(err.contains(n), "{body}: {err} should name {n}");
        }
    }
    // A good one: the table in force shows it.
    let out =
        keys_with("[keys.list]\nopen = [\"Enter\", \"o\"]\n[keys.every_pane]\nquit = [\"q\"]\n");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Enter o") && text.contains("open"), "{text}");
}

#[test]
fn a_swap_of_j_and_k_moves_the_other_way_and_shows_in_help_and_hints() {
    use uj::app::keymap::{Context, KeyTable, KeysConfig};
    let mut config = KeysConfig::new();
    config.insert(
        "every_pane".into(),
        [
            (
                "down".to_string(),
                vec!["k".to_string(), "Down".to_string()],
            ),
            ("up".to_string(), vec!["j".to_string(), "Up".to_string()]),
        ]
        .into_iter()
        .collect(),
    );
    let table = KeyTable::with_config(&config).expect("valid");
    let k = KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE);
    assert_eq!(
        table
            .lookup_in(&[Context::List, Context::Panes], &k)
            .map(|(_, a)| a),
        Some(Action::Down)
    );
    assert!(
        table.hint_line(Context::List).starts_with("k/j move"),
        "{}",
        table.hint_line(Context::List)
    );
    let help: Vec<String> = table
        .help_lines(80)
        .into_iter()
        .map(|l| format!("{}{}", l.keys, l.text))
        .collect();
    assert!(
        help.iter()
            .any(|l| l.starts_with("k/↓") && l.contains("move down")),
        "{help:?}"
    );
}

/// What the views say of keys comes from the table in force: rebind quit
/// and the help's close, and the screens say the new keys.
#[test]
fn view_texts_name_the_keys_in_force() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use uj::app::keymap::{KeyTable, KeysConfig};
    let mut config = KeysConfig::new();
    config.insert(
        "every_pane".into(),
        [("quit".to_string(), vec!["Ctrl-q".to_string()])]
            .into_iter()
            .collect(),
    );
    config.insert(
        "help".into(),
        [("close_help".to_string(), vec!["x".to_string()])]
            .into_iter()
            .collect(),
    );
    let table = std::sync::Arc::new(KeyTable::with_config(&config).expect("valid"));
    let draw = |s: &State, w: u16, h: u16| {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        t.draw(|f| uj::ui::view(f, s)).expect("draw");
        support::buffer_text(t.backend().buffer())
    };
    let mut small = state_at(30, 6);
    small.keys = table.clone();
    let text = draw(&small, 30, 6);
    assert!(text.contains("Ctrl-q") && !text.contains(" q to"), "{text}");
    let mut help = state_at(100, 30);
    help.keys = table;
    help.overlay = Overlay::Help { scroll: 0 };
    let text = draw(&help, 100, 30);
    assert!(text.contains("Keys · x closes"), "{text}");
    assert!(text.contains("x close"), "the hints: {text}");
}

/// The notices that tell the user how to start a search name the search
/// key in force, not `/`.
#[test]
fn notices_name_the_search_key_in_force() {
    use uj::app::keymap::{KeyTable, KeysConfig};
    let mut config = KeysConfig::new();
    config.insert(
        "every_pane".into(),
        [("search".to_string(), vec!["f".to_string()])]
            .into_iter()
            .collect(),
    );
    let mut s = state_at(100, 30);
    s.keys = std::sync::Arc::new(KeyTable::with_config(&config).expect("valid"));
    let notice = |s: &State| {
        s.notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default()
    };
    // n with no search anywhere, and a paste with nothing to paste into.
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE)),
    );
    assert!(notice(&s).contains("press f to search"), "{}", notice(&s));
    update(&mut s, Msg::Paste("x".into()));
    assert!(notice(&s).contains("press f to search"), "{}", notice(&s));
    s.focus = Pane::Transcript;
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE)),
    );
    assert!(notice(&s).contains("press f to search"), "{}", notice(&s));
}
