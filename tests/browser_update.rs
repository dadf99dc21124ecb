//! `update` driven directly: no terminal, no runtime. Effects are checked
//! as data and answered by hand from an in-memory store holding the demo,
//! through the same read functions the runtime uses.

mod support;

use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use support::keys::{alt, code, ctrl, key, typing};
use uj::api::InterviewFilters;
use uj::api::SnapshotSource;
use uj::api::model::{Interview, Study};
use uj::app::msg::SyncEnd;
use uj::app::state::{Level, Loadable, Overlay, Pane, State};
use uj::app::update::{REST, init};
use uj::app::{Effect, Msg, update};
use uj::mirror::MirrorError;
use uj::present::TextMode;
use uj::store::StoreError;
use uj::store::{MarkChange, Marks, Store};
use uj::sync::{Progress, Summary};

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

fn demo() -> SnapshotSource {
    SnapshotSource::demo().expect("demo")
}

/// A store for these tests: a file (so the runtime's reads and the
/// test's own writes share it through two connections), and the mirror
/// the runtime reads it through, with the runtime's effect-to-message
/// mapping (`uj::runtime::answer`). It derefs to the test's connection.
struct TestStore {
    store: Store,
    mirror: uj::mirror::Mirror,
    rt: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

impl std::ops::DerefMut for TestStore {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}

/// An empty store, with the mirror beside it.
fn empty_store() -> TestStore {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("store.sqlite3");
    let store = Store::open(&path).expect("store");
    let mirror = uj::mirror::Mirror::new(
        Store::open(&path).expect("the mirror's connection"),
        None,
        uj::sync::SyncOptions::default(),
    )
    .expect("mirror");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    TestStore {
        store,
        mirror,
        rt,
        _dir: dir,
    }
}

/// The first `n` interviews of the main study, stored with their details
/// (as a sync that got that far would leave them).
fn store_with(n: usize) -> TestStore {
    let demo = demo();
    let mut store = empty_store();
    let all = demo.interviews_of(MAIN);
    let rows: Vec<Interview> = all.iter().take(n).map(|d| d.interview.clone()).collect();
    let walk = store.begin_walk(MAIN).expect("walk");
    store.apply_page(MAIN, walk, 0, &rows).expect("page");
    let details: Vec<_> = all.iter().take(n).map(|d| (d, None)).collect();
    store.put_details(&details).expect("details");
    if n == all.len() {
        store.finish_walk(MAIN, walk).expect("finish");
    }
    store
}

fn demo_store() -> TestStore {
    let mut store = store_with(demo().interviews_of(MAIN).len());
    store.put_study_detail(&demo().studies()[0]).expect("study");
    store
}

/// A state at 100×30 with the main study opened; returns its effects.
fn opened() -> (State, Vec<Effect>) {
    let mut s = State::new(50);
    update(
        &mut s,
        Msg::Resize {
            width: 100,
            height: 30,
        },
    );
    let fx = init(&mut s, Some(MAIN.into()));
    (s, fx)
}

/// Answers one effect as the runtime does (`uj::runtime::answer`, on the
/// store); returns the effects of the answer. Timers and syncs are not
/// answered, and marks fail here (the marks tests use their own).
fn answer(s: &mut State, store: &TestStore, fx: &Effect) -> Vec<Effect> {
    let msg = match fx {
        Effect::Mark { id, .. } => Msg::Marked {
            id: id.clone(),
            result: Err(MirrorError::Store(StoreError::ReadOnly {
                path: "(in memory)".into(),
            })),
        },
        Effect::LoadWindow { .. }
        | Effect::LoadQuestions { .. }
        | Effect::LoadOverview { .. }
        | Effect::LoadHits { .. }
        | Effect::LoadDetail { .. }
        | Effect::LoadStudy { .. } => {
            match store
                .rt
                .block_on(uj::runtime::answer(fx.clone(), &store.mirror))
            {
                Some(msg) => msg,
                None => return Vec::new(),
            }
        }
        _ => return Vec::new(),
    };
    update(s, msg)
}

/// Answers effects (and what their answers ask for) until only timers and
/// syncs are left; a rest timer fires at once.
/// A step that changes nothing (the marks tests look at what is shown).
fn no_step() -> uj::store::Step {
    uj::store::Step {
        what: "a change".into(),
        before: uj::store::Snapshot::default(),
        after: uj::store::Snapshot::default(),
    }
}

fn settle(s: &mut State, store: &TestStore, fx: Vec<Effect>) {
    let mut queue = fx;
    while let Some(e) = queue.pop() {
        match &e {
            Effect::Debounce { token, .. } => {
                queue.extend(update(s, Msg::SelectionRested { token: *token }))
            }
            _ => queue.extend(answer(s, store, &e)),
        }
    }
}

fn windows(fx: &[Effect]) -> Vec<&Effect> {
    fx.iter()
        .filter(|e| matches!(e, Effect::LoadWindow { .. }))
        .collect()
}

fn ids(store: &Store) -> Vec<String> {
    store
        .interviews(&InterviewFilters::for_study(MAIN), None, 100_000)
        .expect("read")
        .into_iter()
        .map(|i| i.id)
        .collect()
}

#[test]
fn start_reads_the_store_then_the_study_then_syncs() {
    let (mut s, fx) = opened();
    assert_eq!(fx.len(), 3, "{fx:?}");
    // And it is remembered, for `uj` without a study.
    assert_eq!(fx[2], Effect::RememberStudy { id: MAIN.into() });
    assert!(matches!(
        &fx[0],
        Effect::LoadWindow { query, start: 0, follow: None, .. } if query.filters.study_id == MAIN
    ));
    assert_eq!(
        fx[1],
        Effect::Sync {
            study_id: MAIN.into()
        }
    );
    // The study's detail and counts once the first rows are in.
    let store = demo_store();
    let after = answer(&mut s, &store, &fx[0]);
    assert!(
        after.contains(&Effect::LoadStudy { id: MAIN.into() }),
        "{after:?}"
    );

    // Offline: the store only, no sync.
    let mut s = State::new(50);
    s.sync.network = uj::app::state::Network::Off;
    let fx = init(&mut s, Some(MAIN.into()));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::Sync { .. })),
        "{fx:?}"
    );
    assert!(s.sync.offline() && !s.sync.running);
}

#[test]
fn the_list_reads_windows_around_what_is_on_screen() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let total = ids(&store).len();
    assert_eq!(s.list.window.total, total);
    let view = s.list_viewport();
    let held = s.list.window.rows.len();
    assert!(
        held < total && held >= view,
        "a window, not the study: {held}"
    );
    // Moving inside the window reads nothing.
    assert!(windows(&update(&mut s, key('j'))).is_empty());
    // G: the last row at once, read around it.
    let fx = update(&mut s, key('G'));
    assert_eq!(s.list.selected, total - 1);
    let reads = windows(&fx);
    assert_eq!(reads.len(), 1, "{fx:?}");
    settle(&mut s, &store, fx);
    assert_eq!(
        s.selected().map(|i| i.id.clone()),
        ids(&store).last().cloned()
    );
    assert!(
        s.list.window.rows.len() <= held,
        "memory does not grow with moves"
    );
    // Paging up through the study reads one window at a time.
    for _ in 0..20 {
        let fx = update(&mut s, key('u'));
        assert!(windows(&fx).len() <= 1);
        settle(&mut s, &store, fx);
        let sel = s.list.selected;
        assert_eq!(
            s.selected().map(|i| i.id.clone()),
            Some(ids(&store)[sel].clone())
        );
    }
}

#[test]
fn a_move_during_a_read_reads_again_when_it_answers() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let first = windows(&update(&mut s, key('G')))[0].clone();
    // Before that read answers, the user goes back to the top.
    assert!(
        windows(&update(&mut s, key('g'))).is_empty(),
        "one read at a time"
    );
    let again = answer(&mut s, &store, &first);
    assert_eq!(windows(&again).len(), 1, "the move is read now: {again:?}");
    settle(&mut s, &store, again);
    assert_eq!(s.list.selected, 0);
    assert_eq!(
        s.selected().map(|i| i.id.clone()),
        Some(ids(&store)[0].clone())
    );
}

#[test]
fn answers_to_an_old_query_are_dropped() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let old = windows(&update(&mut s, key('G')))[0].clone();
    update(&mut s, key('1'));
    let total = s.list.window.total;
    assert!(answer(&mut s, &store, &old).is_empty());
    assert_eq!(s.list.window.total, total, "the old answer changed nothing");
}

#[test]
fn a_sync_adding_rows_above_keeps_the_selection_on_its_interview() {
    let demo = demo();
    let all = demo.interviews_of(MAIN);
    // The store has the list from the fourth interview on.
    let mut store = empty_store();
    let walk = store.begin_walk(MAIN).expect("walk");
    let later: Vec<Interview> = all[3..].iter().map(|d| d.interview.clone()).collect();
    store.apply_page(MAIN, walk, 0, &later).expect("page");
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    for _ in 0..5 {
        update(&mut s, key('j'));
    }
    let chosen = s.selected().expect("selected").id.clone();
    let offset = s.list.offset;
    // A new walk finds three newer interviews at the top.
    let walk = store.begin_walk(MAIN).expect("walk");
    let rows: Vec<Interview> = all.iter().map(|d| d.interview.clone()).collect();
    store.apply_page(MAIN, walk, 0, &rows).expect("page");
    let fx = update(
        &mut s,
        Msg::SyncProgress(Progress::Listed {
            study_id: MAIN.into(),
            listed: rows.len() as u64,
        }),
    );
    let read = windows(&fx);
    assert!(
        matches!(read[0], Effect::LoadWindow { follow: Some(id), .. } if *id == chosen),
        "{fx:?}"
    );
    settle(&mut s, &store, fx);
    assert_eq!(s.list.window.total, all.len());
    assert_eq!(s.list.selected, 8);
    assert_eq!(s.selected().map(|i| i.id.clone()), Some(chosen));
    assert_eq!(s.list.offset, offset, "at the top, new rows show up above");

    // Scrolled down, the rows on screen stay put instead.
    let fx = update(&mut s, key('G'));
    settle(&mut s, &store, fx);
    let fx = update(&mut s, key('u'));
    settle(&mut s, &store, fx);
    let chosen = s.selected().expect("selected").id.clone();
    let (selected, offset) = (s.list.selected, s.list.offset);
    assert!(offset > 0);
    let mut more = all.iter().map(|d| d.interview.clone()).collect::<Vec<_>>();
    let mut extra = more[0].clone();
    extra.id = "00000000-0000-4000-8000-0000000000e1".into();
    more.insert(0, extra);
    let walk = store.begin_walk(MAIN).expect("walk");
    store.apply_page(MAIN, walk, 0, &more).expect("page");
    let fx = update(
        &mut s,
        Msg::SyncProgress(Progress::Listed {
            study_id: MAIN.into(),
            listed: more.len() as u64,
        }),
    );
    settle(&mut s, &store, fx);
    assert_eq!(s.selected().map(|i| i.id.clone()), Some(chosen));
    assert_eq!((s.list.selected, s.list.offset), (selected + 1, offset + 1));
}

#[test]
fn sync_progress_and_its_end_show_in_the_state() {
    let store = store_with(100);
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    assert!(s.sync.running);
    update(
        &mut s,
        Msg::SyncProgress(Progress::Started {
            study_id: MAIN.into(),
            name: Some("Checkout".into()),
            total: Some(263),
        }),
    );
    assert_eq!(s.sync.expected, Some(263));
    assert_eq!(
        s.study.as_ref().and_then(|x| x.name.as_deref()),
        Some("Checkout")
    );
    // Progress of another study (a sync being stopped) is ignored.
    update(
        &mut s,
        Msg::SyncProgress(Progress::Listed {
            study_id: "other".into(),
            listed: 7,
        }),
    );
    assert_eq!(s.sync.listed, 0);
    let fx = update(
        &mut s,
        Msg::SyncEnded {
            study_id: MAIN.into(),
            end: SyncEnd::Unreachable("could not reach the API (refused)".into()),
        },
    );
    assert!(!s.sync.running && s.sync.offline());
    let n = s.notice.clone().expect("notice");
    assert_eq!(n.level, Level::Warn);
    assert!(
        n.text.starts_with("offline, showing what is stored"),
        "{}",
        n.text
    );
    assert!(fx.contains(&Effect::LoadStudy { id: MAIN.into() }));
    assert_eq!(s.list.window.total, 100, "what is stored stays");

    // r syncs again; a clean end clears the offline state.
    let fx = update(&mut s, key('r'));
    assert!(fx.contains(&Effect::Sync {
        study_id: MAIN.into()
    }));
    assert!(s.sync.running && s.sync.error.is_none());
    update(
        &mut s,
        Msg::SyncEnded {
            study_id: MAIN.into(),
            end: SyncEnd::Done(Summary {
                complete: true,
                ..Summary::default()
            }),
        },
    );
    assert!(!s.sync.offline() && s.sync.complete);
}

#[test]
fn g_while_the_walk_goes_on_follows_the_end() {
    let store = store_with(100);
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let fx = update(&mut s, key('G'));
    settle(&mut s, &store, fx);
    assert_eq!(s.list.selected, 99);
    assert!(s.list.to_end);
    let more = store_with(200);
    let fx = update(
        &mut s,
        Msg::SyncProgress(Progress::Listed {
            study_id: MAIN.into(),
            listed: 200,
        }),
    );
    settle(&mut s, &more, fx);
    assert_eq!(s.list.selected, 199, "the cursor followed the end");
    update(&mut s, key('k'));
    assert!(!s.list.to_end, "a move of the user's own stops it");
}

#[test]
fn detail_waits_for_the_selection_to_rest_and_is_cached() {
    let store = demo_store();
    let (mut s, fx) = opened();
    let first_read = fx[0].clone();
    let fx = answer(&mut s, &store, &first_read);
    let first = s.list.window.rows[0].id.clone();
    assert!(
        fx.contains(&Effect::Debounce {
            token: s.debounce,
            delay: REST
        }),
        "{fx:?}"
    );
    // Holding j: each move re-arms; only the last token fetches.
    let mut tokens = Vec::new();
    for _ in 0..5 {
        for e in update(&mut s, key('j')) {
            if let Effect::Debounce { token, .. } = e {
                tokens.push(token);
            }
        }
    }
    assert_eq!(tokens.len(), 5);
    for stale in &tokens[..4] {
        assert!(update(&mut s, Msg::SelectionRested { token: *stale }).is_empty());
    }
    let id = s.list.window.rows[5].id.clone();
    let fetch = update(&mut s, Msg::SelectionRested { token: tokens[4] });
    assert_eq!(
        fetch,
        vec![Effect::LoadDetail {
            id: id.clone(),
            fresh: false
        }]
    );
    // A second rest while in flight asks again for nothing.
    assert!(update(&mut s, Msg::SelectionRested { token: tokens[4] }).is_empty());
    answer(&mut s, &store, &fetch[0]);
    assert!(s.shown_detail().is_some());
    // Away and back: the cache answers, no timer, no request.
    update(&mut s, key('k'));
    let back = update(&mut s, key('j'));
    assert!(back.is_empty(), "{back:?}");
    assert!(s.transcript.wrapped.is_some());
    // Enter on an uncached row fetches at once and focuses the transcript.
    update(&mut s, key('g'));
    assert_eq!(s.list.window.rows[0].id, first);
    assert_eq!(
        update(&mut s, code(KeyCode::Enter)),
        vec![Effect::LoadDetail {
            id: first,
            fresh: false
        }]
    );
    assert_eq!(s.focus, Pane::Transcript);
}

#[test]
fn a_detail_the_sync_updated_is_fetched_again() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let shown = s.shown_detail().expect("detail").interview.id.clone();
    // The stored list object changes (a new walk saw a new headline).
    let mut row = s.selected().expect("row").clone();
    row.headline = Some("Rewritten by the analysis".into());
    let mut store = store;
    let walk = store.begin_walk(MAIN).expect("walk");
    store.apply_page(MAIN, walk, 0, &[row]).expect("page");
    let fx = update(
        &mut s,
        Msg::SyncProgress(Progress::Listed {
            study_id: MAIN.into(),
            listed: 1,
        }),
    );
    let fx = answer(&mut s, &store, windows(&fx)[0]);
    assert!(
        fx.contains(&Effect::LoadDetail {
            id: shown,
            fresh: false
        }),
        "{fx:?}"
    );
}

#[test]
fn detail_cache_is_bounded() {
    let demo = demo();
    let mut s = State::new(50);
    for d in demo.interviews_of(MAIN).iter().take(100) {
        update(
            &mut s,
            Msg::DetailLoaded {
                id: d.interview.id.clone(),
                result: Ok(d.clone()),
            },
        );
    }
    assert_eq!(s.details.len(), uj::app::state::DETAIL_CACHE);
}

#[test]
fn filters_from_keys_and_the_form() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let statuses: Vec<_> = (0..4)
        .map(|_| {
            let fx = update(&mut s, key('s'));
            settle(&mut s, &store, fx);
            s.list.query.filters.status.clone()
        })
        .collect();
    assert_eq!(
        statuses,
        [
            Some("completed".into()),
            Some("started".into()),
            Some("processing".into()),
            None
        ]
    );
    for (k, q) in [
        ('1', Some("insightful")),
        ('2', Some("successful")),
        ('3', Some("unsuccessful")),
        ('0', None),
    ] {
        let fx = update(&mut s, key(k));
        assert_eq!(s.list.query.filters.quality.as_ref().map(|q| q.as_str()), q);
        assert!(
            matches!(windows(&fx)[0], Effect::LoadWindow { query, start: 0, .. } if query.filters.quality.as_ref().map(|q| q.as_str()) == q)
        );
        settle(&mut s, &store, fx);
        let want = store.count(&s.list.query.filters).expect("count");
        assert_eq!(s.list.window.total as u64, want);
        assert!(
            s.list.window.rows.iter().all(|i| q.is_none_or(|q| i
                .quality_score
                .as_ref()
                .map(|x| x.as_str())
                == Some(q)))
        );
    }
    update(&mut s, key('F'));
    update(&mut s, code(KeyCode::Right)); // status → completed
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, code(KeyCode::Left)); // quality → unsuccessful
    update(&mut s, code(KeyCode::Tab));
    for c in "cust_1".chars() {
        update(&mut s, key(c));
    }
    let generation = s.list.generation;
    let fx = update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.overlay, Overlay::None);
    assert_eq!(s.list.generation, generation + 1);
    assert_eq!(
        s.list.query.filters,
        InterviewFilters {
            study_id: MAIN.into(),
            status: Some("completed".into()),
            quality: Some("unsuccessful".into()),
            reference_id: Some("cust_1".into())
        }
    );
    assert_eq!(windows(&fx).len(), 1);
    // Esc leaves the form without changing anything.
    update(&mut s, key('F'));
    update(&mut s, code(KeyCode::Right));
    assert!(update(&mut s, code(KeyCode::Esc)).is_empty());
    assert_eq!(
        s.list.query.filters.status.as_ref().map(|q| q.as_str()),
        Some("completed")
    );
}

#[test]
fn a_filter_keeps_the_selected_interview_when_it_still_matches() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    // Find an insightful interview a few rows down and select it.
    let at = s
        .list
        .window
        .rows
        .iter()
        .enumerate()
        .skip(3)
        .find(|(_, i)| i.quality_score.as_ref().map(|q| q.as_str()) == Some("insightful"))
        .map(|(n, _)| n)
        .expect("an insightful row");
    for _ in 0..at {
        update(&mut s, key('j'));
    }
    let chosen = s.selected().expect("row").id.clone();
    let fx = update(&mut s, key('1'));
    settle(&mut s, &store, fx);
    assert_eq!(s.selected().map(|i| i.id.clone()), Some(chosen.clone()));
    // A filter it does not match: back to the top.
    let fx = update(&mut s, key('3'));
    settle(&mut s, &store, fx);
    assert_eq!(s.list.selected, 0);
    assert_ne!(s.selected().map(|i| i.id.clone()), Some(chosen));
}

#[test]
fn filter_keys_show_the_list_when_one_pane_is_on_screen() {
    let (mut s, _) = opened();
    // Side by side, the list is in view: the focus stays where it is.
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, key('s'));
    assert_eq!(s.focus, Pane::Transcript);
    // One pane (narrow): `s` and `1` from the transcript tab go to the list.
    update(
        &mut s,
        Msg::Resize {
            width: 60,
            height: 24,
        },
    );
    update(&mut s, key('s'));
    assert_eq!(s.focus, Pane::List);
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(s.focus, Pane::Answers);
    update(&mut s, key('1'));
    assert_eq!(s.focus, Pane::List);
    assert_eq!(
        s.list.query.filters.quality.as_ref().map(|q| q.as_str()),
        Some("insightful")
    );
}

#[test]
fn focus_moves_both_ways() {
    let (mut s, _) = opened();
    let mut seen = Vec::new();
    for m in [
        code(KeyCode::Tab),
        key('l'),
        key('l'),
        code(KeyCode::BackTab),
        key('h'),
        key('h'),
    ] {
        update(&mut s, m);
        seen.push(s.focus);
    }
    assert_eq!(
        seen,
        [
            Pane::Transcript,
            Pane::Answers,
            Pane::List,
            Pane::Answers,
            Pane::Transcript,
            Pane::List
        ]
    );
}

#[test]
fn list_search_narrows_the_list_and_opens_at_the_first_hit() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let whole = s.list.window.total;
    update(&mut s, key('/'));
    let mut fx = Vec::new();
    for c in "coupon".chars() {
        fx = update(&mut s, key(c));
    }
    assert_eq!(
        s.search.as_ref().map(|x| x.query.text()),
        Some("coupon"),
        "n was text"
    );
    assert!(
        matches!(windows(&fx)[0], Effect::LoadWindow { query, .. } if query.search.as_deref() == Some("coupon")),
        "{fx:?}"
    );
    settle(&mut s, &store, fx);
    let narrowed = s.list.window.total;
    assert!(narrowed > 0 && narrowed < whole, "{narrowed} of {whole}");
    let expected = store.count_of(&s.list.query.to_store()).expect("count") as usize;
    assert_eq!(narrowed, expected);
    // Each row says how often and where it matched.
    let row = s.list.window.rows[0].id.clone();
    let hits = s.list.window.hits.get(&row).expect("hits of the first row");
    assert!(
        hits.count >= 1 && hits.snippet.to_lowercase().contains("coupon"),
        "{hits:?}"
    );
    update(&mut s, code(KeyCode::Enter));
    assert!(s.search.as_ref().is_some_and(|x| !x.editing));
    // n/N go row by row through the matching interviews.
    let fx = update(&mut s, key('n'));
    settle(&mut s, &store, fx);
    assert_eq!(s.list.selected, 1);
    update(&mut s, key('N'));
    // Enter opens the interview at its first hit.
    let id = s.selected().expect("row").id.clone();
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(fx.contains(&Effect::LoadHits {
        id: id.clone(),
        query: "coupon".into()
    }));
    settle(&mut s, &store, fx);
    let search = s.search.clone().expect("a transcript search");
    assert_eq!(search.pane, Pane::Transcript);
    let first = *search.matches.first().expect("a hit");
    let start = s
        .transcript
        .wrapped
        .as_ref()
        .expect("wrapped")
        .message_starts[first];
    assert!(s.transcript.scroll <= start && start < s.transcript.scroll + s.transcript_viewport());
    // Esc in the list: the whole list again, the selection kept.
    update(&mut s, code(KeyCode::Esc)); // ends the transcript search
    update(&mut s, key('h'));
    assert_eq!(s.focus, Pane::List);
    let fx = update(&mut s, code(KeyCode::Esc));
    settle(&mut s, &store, fx);
    assert!(s.list.query.search.is_none());
    assert_eq!(s.list.window.total, whole);
    assert_eq!(s.selected().map(|i| i.id.clone()), Some(id));
}

#[test]
fn t_on_an_english_interview_says_what_it_does_each_time() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    while s
        .selected()
        .is_some_and(|i| i.language.as_deref() != Some("en"))
    {
        let fx = update(&mut s, key('j'));
        settle(&mut s, &store, fx);
    }
    let said = |s: &State| {
        s.notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default()
    };
    update(&mut s, key('t'));
    assert_eq!(s.transcript.mode, TextMode::English);
    assert!(said(&s).contains("no translation to show"), "{}", said(&s));
    s.notice = None;
    update(&mut s, key('t'));
    assert_eq!(s.transcript.mode, TextMode::Original);
    assert!(said(&s).contains("the original again"), "{}", said(&s));
}

#[test]
fn enter_in_answers_reaches_each_excerpt_in_turn() {
    let (mut s, _) = open_japanese();
    let detail = s.shown_detail().cloned().expect("detail");
    // The first answer quoting two or more distinct messages.
    let (n, quoted) = detail
        .question_answers
        .iter()
        .enumerate()
        .find_map(|(n, qa)| {
            let mut m: Vec<usize> = qa
                .answer_excerpt
                .iter()
                .filter_map(|e| detail.quoted_message(e.message.as_deref()?))
                .collect();
            m.dedup();
            (m.len() > 1).then_some((n, m))
        })
        .expect("an answer with several excerpts");
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(s.focus, Pane::Answers);
    for _ in 0..n {
        update(&mut s, key('j'));
    }
    let mut seen = Vec::new();
    let mut said = Vec::new();
    for _ in 0..=quoted.len() {
        update(&mut s, code(KeyCode::Enter));
        assert_eq!(s.focus, Pane::Transcript);
        seen.push(s.transcript.highlight.expect("highlighted"));
        said.push(
            s.notice
                .as_ref()
                .map(|x| x.text.clone())
                .unwrap_or_default(),
        );
        update(&mut s, code(KeyCode::Tab));
        assert_eq!(s.focus, Pane::Answers);
    }
    let mut expected = quoted.clone();
    expected.push(quoted[0]);
    assert_eq!(seen, expected, "each excerpt, then round to the first");
    let n = quoted.len();
    assert!(
        said[0].starts_with(&format!("excerpt 1 of {n}")),
        "{said:?}"
    );
    assert!(
        said[1].starts_with(&format!("excerpt 2 of {n}")),
        "{said:?}"
    );
    assert!(
        said[n].starts_with(&format!("excerpt 1 of {n}")),
        "{said:?}"
    );
}

/// Opens the first completed Japanese interview with answers.
fn open_japanese() -> (State, String) {
    let store = demo_store();
    let mut state = State::new(50);
    update(
        &mut state,
        Msg::Resize {
            width: 160,
            height: 40,
        },
    );
    let s = &mut state;
    let fx = init(s, Some(MAIN.into()));
    settle(s, &store, fx);
    let at = store
        .interviews(&InterviewFilters::for_study(MAIN), None, 1000)
        .expect("read")
        .iter()
        .position(|i| i.language.as_deref() == Some("ja") && i.quality_score.is_some())
        .expect("a Japanese interview");
    for _ in 0..at {
        let fx = update(s, key('j'));
        settle(s, &store, fx);
    }
    let id = s.selected().expect("selected").id.clone();
    assert!(s.shown_detail().is_some());
    update(s, Msg::Tick);
    (state, id)
}

#[test]
fn transcript_modes_search_and_answer_jumps() {
    let (mut s, _) = open_japanese();
    let w = s.transcript.wrapped.as_ref().expect("wrapped");
    assert_eq!(w.mode, TextMode::Original);
    let start = w.message_starts[0];
    assert!(w.lines[start].text.starts_with("本日は"));

    update(&mut s, key('t'));
    let w = s.transcript.wrapped.as_ref().expect("wrapped");
    assert_eq!(w.mode, TextMode::English);
    assert!(
        w.lines[w.message_starts[0]]
            .text
            .starts_with("Thank you for joining")
    );
    update(&mut s, key('T'));
    assert_eq!(
        s.transcript.wrapped.as_ref().expect("wrapped").mode,
        TextMode::Both
    );
    update(&mut s, key('T'));
    assert_eq!(s.transcript.mode, TextMode::Original);

    // Search in the transcript finds messages in either language.
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, key('/'));
    for c in "recommend".chars() {
        update(&mut s, key(c));
    }
    let search = s.search.clone().expect("search");
    assert_eq!(search.pane, Pane::Transcript);
    // Found through the English of the last question, asked in Japanese.
    let &m = search.matches.first().expect("a match in the translation");
    let detail = s.shown_detail().cloned().expect("detail");
    assert!(
        detail.transcript[m]
            .translated
            .as_deref()
            .unwrap_or("")
            .contains("recommend")
    );
    let start = s.transcript.wrapped.as_ref().expect("w").message_starts[m];
    assert!(s.transcript.scroll <= start && start < s.transcript.scroll + s.transcript_viewport());
    update(&mut s, code(KeyCode::Esc));

    // A search that finds nothing says so, and `n` after it says so again
    // rather than counting "match 0 of 0".
    update(&mut s, key('/'));
    for c in "zzzqx".chars() {
        update(&mut s, key(c));
    }
    update(&mut s, code(KeyCode::Enter));
    assert!(s.search.as_ref().is_some_and(|x| x.matches.is_empty()));
    let said = |s: &State| {
        s.notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default()
    };
    assert_eq!(said(&s), "no match for “zzzqx”");
    s.notice = None;
    update(&mut s, key('n'));
    assert_eq!(said(&s), "no match for “zzzqx”");
    update(&mut s, code(KeyCode::Esc));

    // `/` in Answers searches the transcript; the letters typed are the
    // query, not commands (`o` would open the overview, `x` mark).
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(s.focus, Pane::Answers);
    update(&mut s, key('/'));
    for c in "box".chars() {
        update(&mut s, key(c));
    }
    assert_eq!(s.focus, Pane::Transcript);
    assert_eq!(s.search.as_ref().map(|x| x.query.text()), Some("box"));
    assert!(!s.overview.is_open());
    update(&mut s, code(KeyCode::Esc));
    update(&mut s, code(KeyCode::Esc));
    update(&mut s, code(KeyCode::Tab));

    // Enter on an answer jumps to the message its excerpt quotes.
    assert_eq!(s.focus, Pane::Answers);
    update(&mut s, key('j'));
    let detail = s.shown_detail().cloned().expect("detail");
    let quote = detail.question_answers[1].answer_excerpt[0]
        .message
        .clone()
        .expect("quote");
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.focus, Pane::Transcript);
    let n = s.transcript.highlight.expect("highlighted");
    assert_eq!(
        detail.transcript[n].message.as_deref(),
        Some(quote.as_str())
    );
    let start = s.transcript.wrapped.as_ref().expect("w").message_starts[n];
    assert!(s.transcript.scroll <= start && start < s.transcript.scroll + s.transcript_viewport());
}

#[test]
fn answer_without_a_matching_message_says_so() {
    let (mut s, id) = open_japanese();
    let mut detail = (**s.shown_detail().expect("detail")).clone();
    detail.question_answers[0].answer_excerpt[0].message = Some("words nobody said".into());
    detail.question_answers[0].answer_excerpt.truncate(1);
    update(
        &mut s,
        Msg::DetailLoaded {
            id,
            result: Ok(detail),
        },
    );
    update(&mut s, key('l'));
    update(&mut s, key('l'));
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.focus, Pane::Answers);
    assert!(
        s.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("no transcript message matches")),
        "{:?}",
        s.notice
    );
}

#[test]
fn reload_keeps_what_is_shown_until_the_answers_arrive() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    for _ in 0..3 {
        let fx = update(&mut s, key('j'));
        settle(&mut s, &store, fx);
    }
    let selected = s.selected().expect("row").id.clone();
    assert!(s.shown_detail().is_some());
    let fx = update(&mut s, key('r'));
    assert!(
        s.shown_detail().is_some(),
        "the detail stays while it is fetched again"
    );
    assert!(fx.contains(&Effect::LoadDetail {
        id: selected.clone(),
        fresh: true
    }));
    assert!(fx.contains(&Effect::Sync {
        study_id: MAIN.into()
    }));
    assert!(
        matches!(windows(&fx)[0], Effect::LoadWindow { follow: Some(id), .. } if *id == selected)
    );
    settle(&mut s, &store, fx);
    assert_eq!(
        s.selected().map(|i| i.id.clone()),
        Some(selected),
        "the selection survives a reload"
    );
    assert!(s.list.error.is_none());
}

#[test]
fn mouse_wheel_and_click() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let areas = s.areas();
    let list = areas.list.expect("list");
    let at = |kind, column, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(
        &mut s,
        at(MouseEventKind::ScrollDown, list.x + 2, list.y + 3),
    );
    assert_eq!(s.list.selected, 3);
    update(
        &mut s,
        at(
            MouseEventKind::Down(MouseButton::Left),
            list.x + 2,
            list.y + 1 + 7,
        ),
    );
    assert_eq!(s.list.selected, 7);
    let answers = areas.answers.expect("answers");
    update(
        &mut s,
        at(
            MouseEventKind::Down(MouseButton::Left),
            answers.x + 2,
            answers.y + 1,
        ),
    );
    assert_eq!(s.focus, Pane::Answers);
}

#[test]
fn help_overlay_quit_and_suspend() {
    let (mut s, _) = opened();
    update(&mut s, key('?'));
    assert_eq!(s.overlay, Overlay::Help { scroll: 0 });
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.overlay, Overlay::None);
    assert_eq!(update(&mut s, ctrl('z')), vec![Effect::Suspend]);
    assert_eq!(update(&mut s, ctrl('c')), vec![Effect::Quit]);
    let (mut s, _) = opened();
    assert_eq!(update(&mut s, key('q')), vec![Effect::Quit]);
    let (mut s, _) = opened();
    assert_eq!(update(&mut s, Msg::Terminate), vec![Effect::Quit]);
}

#[test]
fn study_picker_opens_the_chosen_study() {
    let mut s = State::new(50);
    init(&mut s, None);
    let studies = vec![
        Study {
            id: "a".into(),
            name: Some("First".into()),
            ..Study::default()
        },
        Study {
            id: "b".into(),
            name: Some("Second".into()),
            ..Study::default()
        },
    ];
    update(
        &mut s,
        Msg::StudiesLoaded {
            result: Ok(studies.clone()),
            counts: Default::default(),
            offline: false,
        },
    );
    update(&mut s, key('j'));
    let fx = update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.overlay, Overlay::None);
    assert_eq!(s.study.as_ref().map(|x| x.id.as_str()), Some("b"));
    assert_eq!(
        s.study.as_ref().and_then(|x| x.name.as_deref()),
        Some("Second")
    );
    assert!(matches!(&fx[0], Effect::LoadWindow { query, .. } if query.filters.study_id == "b"));
    // The study's detail follows the first rows (see the test above).
    assert_eq!(
        fx[1],
        Effect::Sync {
            study_id: "b".into()
        }
    );
    // S opens it again, on the study in use; g/G go to the ends.
    s.list.query.filters.quality = Some("insightful".into());
    assert_eq!(update(&mut s, key('S')), vec![Effect::LoadStudies]);
    let three = vec![
        studies[0].clone(),
        studies[1].clone(),
        Study {
            id: "c".into(),
            ..Study::default()
        },
    ];
    update(
        &mut s,
        Msg::StudiesLoaded {
            result: Ok(three),
            counts: Default::default(),
            offline: false,
        },
    );
    let selected = |s: &State| match &s.overlay {
        Overlay::Picker(p) => p.list.selected,
        other => panic!("{other:?}"),
    };
    assert_eq!(selected(&s), 1, "opens on the current study");
    update(&mut s, key('G'));
    assert_eq!(selected(&s), 2);
    update(&mut s, key('g'));
    assert_eq!(selected(&s), 0);
    // Picking the study in use again keeps its filters and asks nothing.
    update(&mut s, key('j'));
    assert_eq!(update(&mut s, code(KeyCode::Enter)), vec![]);
    assert_eq!(s.overlay, Overlay::None);
    assert_eq!(
        s.list.query.filters.quality.as_ref().map(|q| q.as_str()),
        Some("insightful")
    );
}

#[test]
fn marks_are_asked_of_the_store_and_shown_once_committed() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let id = s.selected().expect("row").id.clone();
    let mark = |change| Effect::Mark {
        id: id.clone(),
        study_id: MAIN.into(),
        change,
    };
    assert_eq!(
        update(&mut s, key('x')),
        vec![mark(MarkChange::ToggleReviewed)]
    );
    assert!(s.marks_of(&id).is_none(), "nothing shows before the commit");
    assert_eq!(
        update(&mut s, key('*')),
        vec![mark(MarkChange::ToggleStarred)]
    );
    // The store answers: now it shows, and the window is read again for
    // the counts.
    let fx = update(
        &mut s,
        Msg::Marked {
            id: id.clone(),
            result: Ok((
                Marks {
                    reviewed: true,
                    ..Marks::default()
                },
                no_step(),
            )),
        },
    );
    assert!(s.marks_of(&id).is_some_and(|m| m.reviewed));
    assert_eq!(windows(&fx).len(), 1);
    // A failed write says so and shows nothing new.
    update(
        &mut s,
        Msg::Marked {
            id: id.clone(),
            result: Err(MirrorError::Store(StoreError::Refused("disk full".into()))),
        },
    );
    assert!(
        s.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("marks not saved: disk full"))
    );

    // The tags prompt: typed keys edit it, not the list; it asks for the
    // study's tags to complete from.
    assert_eq!(
        update(&mut s, key('+')),
        vec![Effect::LoadTags {
            study_id: MAIN.into()
        }]
    );
    for c in "coupon -old".chars() {
        assert!(update(&mut s, key(c)).is_empty(), "{c} is text here");
    }
    update(&mut s, code(KeyCode::Backspace));
    assert_eq!(
        update(&mut s, code(KeyCode::Enter)),
        vec![mark(MarkChange::parse_tags("coupon -ol"))]
    );
    assert!(s.prompt.is_none());
    // The note prompt opens on the note, Esc leaves it unchanged.
    update(&mut s, key('e'));
    update(&mut s, key('!'));
    assert!(update(&mut s, code(KeyCode::Esc)).is_empty());
    assert!(s.prompt.is_none());
    update(&mut s, key('e'));
    for c in "call back".chars() {
        update(&mut s, key(c));
    }
    assert_eq!(
        update(&mut s, code(KeyCode::Enter)),
        vec![mark(MarkChange::Note("call back".into()))]
    );
    // Ctrl-c quits from the prompt too.
    update(&mut s, key('+'));
    assert_eq!(update(&mut s, ctrl('c')), vec![Effect::Quit]);
}

#[test]
fn the_filter_form_filters_by_marks() {
    let mut store = demo_store();
    let ids = ids(&store);
    store
        .change_marks(&ids[3], MAIN, &MarkChange::ToggleReviewed)
        .expect("mark");
    store
        .change_marks(&ids[7], MAIN, &MarkChange::parse_tags("coupon"))
        .expect("mark");
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    update(&mut s, key('F'));
    for _ in 0..3 {
        update(&mut s, code(KeyCode::Tab));
    }
    update(&mut s, code(KeyCode::Right)); // reviewed: yes
    let fx = update(&mut s, code(KeyCode::Enter));
    settle(&mut s, &store, fx);
    assert_eq!(s.list.query.marks.reviewed, Some(true));
    assert_eq!(s.list.window.total, 1);
    assert_eq!(s.selected().map(|i| i.id.clone()), Some(ids[3].clone()));
    update(&mut s, key('F'));
    for _ in 0..3 {
        update(&mut s, code(KeyCode::Tab));
    }
    update(&mut s, code(KeyCode::Right)); // reviewed: no
    update(&mut s, code(KeyCode::Right)); // reviewed: any
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, code(KeyCode::Tab));
    for c in "COUPON".chars() {
        update(&mut s, key(c));
    }
    let fx = update(&mut s, code(KeyCode::Enter));
    settle(&mut s, &store, fx);
    assert_eq!(s.list.query.marks.tag.as_deref(), Some("COUPON"));
    assert_eq!(s.list.window.total, 1);
    assert_eq!(s.selected().map(|i| i.id.clone()), Some(ids[7].clone()));
    assert!(s.list.query.has_filters());
}

#[test]
fn a_move_while_a_refresh_is_out_is_not_undone_by_it() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    // A sync page arrives: a read following the selected interview goes out.
    let fx = update(
        &mut s,
        Msg::SyncProgress(Progress::Listed {
            study_id: MAIN.into(),
            listed: 100,
        }),
    );
    let refresh = windows(&fx)[0].clone();
    // Before it answers, the user moves down twice.
    update(&mut s, key('j'));
    update(&mut s, key('j'));
    let fx = answer(&mut s, &store, &refresh);
    settle(&mut s, &store, fx);
    assert_eq!(s.list.selected, 2, "the keys the user pressed count");
    assert_eq!(
        s.selected().map(|i| i.id.clone()),
        Some(ids(&store)[2].clone())
    );
}

#[test]
fn quotes_cite_the_message_and_answers_copy_as_markdown() {
    let (mut s, id) = open_japanese();
    let detail = (**s.shown_detail().expect("detail")).clone();
    update(&mut s, key('l')); // transcript
    update(&mut s, key(']')); // the first message in view becomes current
    update(&mut s, key(']'));
    update(&mut s, key(']'));
    assert_eq!(s.transcript.highlight, Some(2));
    let fx = update(&mut s, key('y'));
    let m = &detail.transcript[2];
    let reference = detail.interview.reference_id.clone().expect("reference");
    let want = format!(
        "“{}” — Respondent, {reference}, {}",
        m.message.as_deref().expect("text").trim(),
        uj::text::clock(m.time_in_call_secs.expect("time"))
    );
    assert_eq!(fx, vec![Effect::Copy { text: want }]);
    assert!(
        s.notice
            .as_ref()
            .is_some_and(|n| n.text == "copied the quote to the clipboard")
    );
    // With both texts shown, the English follows.
    update(&mut s, key('T'));
    let Effect::Copy { text } = &update(&mut s, key('y'))[0] else {
        panic!("a copy")
    };
    assert!(
        text.contains(&format!(
            "(English: “{}”)",
            m.translated.as_deref().expect("en").trim()
        )),
        "{text}"
    );
    update(&mut s, key('T'));
    // [ goes back.
    update(&mut s, key('['));
    assert_eq!(s.transcript.highlight, Some(1));
    // Answers: the selected answer as Markdown with cited excerpts.
    update(&mut s, key('l'));
    let Effect::Copy { text } = &update(&mut s, key('y'))[0] else {
        panic!("a copy")
    };
    let qa = &detail.question_answers[0];
    assert!(
        text.starts_with(&format!(
            "**1. {}**",
            qa.question_text.as_deref().expect("q")
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "> “{}” — Respondent, {reference}, ",
            qa.answer_excerpt[0].message.as_deref().expect("e").trim()
        )),
        "{text}"
    );
    // Y: the id, from anywhere.
    assert_eq!(update(&mut s, key('Y')), vec![Effect::Copy { text: id }]);
}

#[test]
fn one_question_across_interviews_opens_at_the_excerpt() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let fx = update(&mut s, key('Q'));
    assert!(matches!(&fx[..], [Effect::LoadQuestions { query }] if query.question.is_none()));
    settle(&mut s, &store, fx);
    update(&mut s, key('j'));
    let fx = update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.list.query.question, Some(1));
    assert!(
        matches!(windows(&fx)[0], Effect::LoadWindow { query, .. } if query.question == Some(1))
    );
    settle(&mut s, &store, fx);
    assert_eq!(
        s.list.window.answered,
        store.answered(&s.list.query.to_store(), 1).expect("count")
    );
    assert!(s.list.window.answered > 0);
    let id = s.selected().expect("row").id.clone();
    assert!(s.list.window.answers.contains_key(&id));
    // Before any Enter, Answers stands on the chosen question, and on the
    // next interview's too.
    let at_question = |s: &State| {
        let d = s.shown_detail().expect("detail shown");
        d.question_answers
            .iter()
            .enumerate()
            .position(|(n, qa)| qa.question_index.map_or(n, |i| i as usize) == 1)
    };
    let mut checked = 0;
    for _ in 0..6 {
        if let Some(pos) = at_question(&s) {
            assert_eq!(s.answers.selected, pos);
            checked += usize::from(pos > 0);
        }
        let fx = update(&mut s, key('j'));
        settle(&mut s, &store, fx);
    }
    assert!(checked > 0, "some rows stood on question 2 unprompted");
    for _ in 0..6 {
        let fx = update(&mut s, key('k'));
        settle(&mut s, &store, fx);
    }
    // Enter: the interview, at the answer's excerpt.
    let fx = update(&mut s, code(KeyCode::Enter));
    settle(&mut s, &store, fx);
    let detail = s.shown_detail().cloned().expect("detail");
    let pos = detail
        .question_answers
        .iter()
        .enumerate()
        .position(|(n, qa)| qa.question_index.map_or(n, |i| i as usize) == 1)
        .expect("the question");
    assert_eq!(s.answers.selected, pos);
    let quoted = detail.question_answers[pos].answer_excerpt[0]
        .message
        .clone()
        .expect("quote");
    let n = s.transcript.highlight.expect("highlighted");
    assert_eq!(
        detail.transcript[n].message.as_deref(),
        Some(quoted.as_str())
    );
    // Esc in the list leaves question mode.
    update(&mut s, key('h'));
    let fx = update(&mut s, code(KeyCode::Esc));
    settle(&mut s, &store, fx);
    assert_eq!(s.list.query.question, None);
}

#[test]
fn the_overview_counts_under_the_filters_and_closes() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let fx = update(&mut s, key('o'));
    assert!(matches!(&fx[..], [Effect::LoadOverview { .. }]));
    settle(&mut s, &store, fx);
    let Some(Loadable::Ready(o)) = &s.overview.counts else {
        panic!("counted: {:?}", s.overview.counts)
    };
    assert_eq!(o.total, 263);
    // A filter counts again.
    let fx = update(&mut s, key('1'));
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadOverview { query, .. } if query.filters.quality.as_ref().map(|q| q.as_str()) == Some("insightful"))));
    settle(&mut s, &store, fx);
    let Some(Loadable::Ready(o)) = &s.overview.counts else {
        panic!("counted")
    };
    assert_eq!(o.total, 100);
    assert!(update(&mut s, key('o')).is_empty());
    assert!(!s.overview.is_open());
}

#[test]
fn every_text_field_edits_like_a_shell_line() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let whole = s.list.window.total;

    // The search prompt: a word taken back with Ctrl-w narrows anew.
    update(&mut s, key('/'));
    let fx = typing(&mut s, "coupon xyzzy");
    settle(&mut s, &store, fx);
    assert_eq!(s.list.window.total, 0, "no interview has both");
    let fx = update(&mut s, ctrl('w'));
    assert_eq!(s.search.as_ref().map(|x| x.query.text()), Some("coupon "));
    settle(&mut s, &store, fx);
    assert!(s.list.window.total > 0 && s.list.window.total < whole);
    // Moving the cursor changes nothing and reads nothing.
    for m in [
        ctrl('a'),
        ctrl('e'),
        alt('b'),
        alt('f'),
        code(KeyCode::Home),
    ] {
        assert!(update(&mut s, m).is_empty());
    }
    // Typed at the start, after Home.
    update(&mut s, key('x'));
    assert_eq!(s.search.as_ref().map(|x| x.query.text()), Some("xcoupon "));
    update(&mut s, code(KeyCode::Delete));
    assert_eq!(s.search.as_ref().map(|x| x.query.text()), Some("xoupon "));
    update(&mut s, code(KeyCode::End));
    update(&mut s, code(KeyCode::Left));
    update(&mut s, code(KeyCode::Backspace));
    assert_eq!(s.search.as_ref().map(|x| x.query.text()), Some("xoupo "));
    // Ctrl-u clears to the start: the whole list again.
    update(&mut s, code(KeyCode::End));
    let fx = update(&mut s, ctrl('u'));
    settle(&mut s, &store, fx);
    assert_eq!(s.list.window.total, whole);
    update(&mut s, code(KeyCode::Esc));

    // The note prompt starts with the cursor after the note.
    update(&mut s, key('e'));
    typing(&mut s, "call back monday");
    update(&mut s, alt('b'));
    update(&mut s, ctrl('w'));
    typing(&mut s, "on ");
    let id = s.selected().expect("row").id.clone();
    assert_eq!(
        update(&mut s, code(KeyCode::Enter)),
        vec![Effect::Mark {
            id,
            study_id: MAIN.into(),
            change: MarkChange::Note("call on monday".into())
        }]
    );

    // The filter form's reference id: ←/→ move in the text, not the value.
    update(&mut s, key('F'));
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, code(KeyCode::Tab));
    typing(&mut s, "cust_1");
    update(&mut s, code(KeyCode::Left));
    typing(&mut s, "0");
    update(&mut s, code(KeyCode::Right));
    typing(&mut s, " x");
    update(&mut s, ctrl('w'));
    let Overlay::Filter(form) = &s.overlay else {
        panic!("the form is open");
    };
    assert_eq!(form.reference.text(), "cust_01 ");
    assert_eq!(form.status, None, "the arrows did not cycle the status");
}

#[test]
fn a_paste_goes_into_the_open_field_as_one_clean_line() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let selected = s.list.selected;

    // Nothing open: a paste runs no key (a `q` in it does not quit).
    let fx = update(&mut s, Msg::Paste("qxG*".into()));
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(s.list.selected, selected);
    assert!(s.marks_of(&s.list.window.rows[0].id).is_none());
    assert!(s.notice.as_ref().is_some_and(|n| n.text.contains("/")));

    // The search prompt takes it whole and narrows once.
    update(&mut s, key('/'));
    let fx = update(&mut s, Msg::Paste("coup\r\non\u{1b}[2J".into()));
    assert_eq!(
        s.search.as_ref().map(|x| x.query.text()),
        Some("coup on[2J")
    );
    assert_eq!(windows(&fx).len(), 1, "{fx:?}");
    update(&mut s, code(KeyCode::Esc));

    // A tags prompt, at the cursor.
    update(&mut s, key('+'));
    typing(&mut s, "+a");
    update(&mut s, code(KeyCode::Home));
    update(&mut s, Msg::Paste("+pasted\t".into()));
    assert_eq!(s.prompt.as_ref().map(|p| p.text.text()), Some("+pasted +a"));
    update(&mut s, code(KeyCode::Esc));

    // The filter form: only into a text field.
    update(&mut s, key('F'));
    update(&mut s, Msg::Paste("completed".into()));
    let Overlay::Filter(form) = &s.overlay else {
        panic!("the form is open");
    };
    assert!(form.reference.is_empty() && form.tag.is_empty());
    // Back from the first field: the last, the language, then the tag.
    update(&mut s, code(KeyCode::BackTab));
    update(&mut s, Msg::Paste("ja".into()));
    update(&mut s, code(KeyCode::BackTab));
    update(&mut s, Msg::Paste("vip\n".into()));
    let Overlay::Filter(form) = &s.overlay else {
        panic!("the form is open");
    };
    assert_eq!(form.language.text(), "ja");
    assert_eq!(form.tag.text(), "vip ");
}

/// The lines of the answers pane on screen now.
fn answers_in_view(s: &State) -> std::ops::Range<usize> {
    let total = s.answers.wrapped.lines.len();
    let start = s.answers.scroll;
    start..(start + s.viewport(Pane::Answers)).min(total)
}

#[test]
fn every_line_of_a_long_answer_is_reachable() {
    let (mut s, _) = open_japanese();
    // A short pane and both texts: answers taller than the pane.
    update(
        &mut s,
        Msg::Resize {
            width: 120,
            height: 16,
        },
    );
    update(&mut s, key('T'));
    update(&mut s, key('l'));
    update(&mut s, key('l'));
    assert_eq!(s.focus, Pane::Answers);
    let view = s.viewport(Pane::Answers);
    let w = s.answers.wrapped.clone();
    let tallest = (0..w.starts.len())
        .map(|n| w.starts.get(n + 1).copied().unwrap_or(w.lines.len()) - w.starts[n])
        .max()
        .expect("answers");
    assert!(tallest > view, "an answer of {tallest} lines in {view}");

    // j reads down line by line through a tall answer, then on.
    let mut seen = vec![false; w.lines.len()];
    for _ in 0..w.lines.len() * 2 {
        for l in answers_in_view(&s) {
            seen[l] = true;
        }
        // Some line of the selected answer is always on screen.
        let sel = s.answers.selected;
        assert!(
            answers_in_view(&s).any(|l| w.lines[l].answer == sel),
            "answer {sel} out of view"
        );
        update(&mut s, key('j'));
    }
    assert!(seen.iter().all(|&x| x), "unreached lines: {seen:?}");
    assert_eq!(s.answers.selected, w.starts.len() - 1);
    assert_eq!(answers_in_view(&s).end, w.lines.len());

    // k reads back up the same way, to the first line.
    for _ in 0..w.lines.len() * 2 {
        update(&mut s, key('k'));
    }
    assert_eq!((s.answers.selected, s.answers.scroll), (0, 0));

    // Ctrl-d and PgDn page through every line, and end on the last answer.
    type Pager = (&'static str, fn() -> Msg);
    let pagers: [Pager; 2] = [
        ("Ctrl-d", || ctrl('d')),
        ("PgDn", || code(KeyCode::PageDown)),
    ];
    for (name, k) in pagers {
        update(&mut s, key('g'));
        let mut seen = vec![false; w.lines.len()];
        for _ in 0..w.lines.len() {
            for l in answers_in_view(&s) {
                seen[l] = true;
            }
            update(&mut s, k());
        }
        assert!(seen.iter().all(|&x| x), "{name} skipped lines: {seen:?}");
        assert_eq!(s.answers.selected, w.starts.len() - 1);
    }
    update(&mut s, key('G'));
    assert_eq!(answers_in_view(&s).end, w.lines.len());
    update(&mut s, ctrl('u'));
    assert!(s.answers.scroll < w.lines.len() - view);
}

#[test]
fn a_filter_during_the_sync_knows_how_much_it_has_seen() {
    let store = store_with(40);
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    assert_eq!((s.list.window.total, s.list.window.stored), (40, 40));
    let fx = update(&mut s, key('1'));
    settle(&mut s, &store, fx);
    assert!(s.list.window.total < 40);
    assert_eq!(
        s.list.window.stored, 40,
        "the top bar can say how much was seen"
    );
    // Once the study is stored whole the count alone says it.
    let whole = demo_store();
    let fx = update(&mut s, key('0'));
    settle(&mut s, &whole, fx);
    assert_eq!(s.list.window.stored, 0);
}

#[test]
fn n_and_shift_n_act_in_the_focused_pane() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    // A search of this transcript, then back to the list: n there does not
    // scroll the transcript out of sight, it says what n needs.
    let (mut s2, _) = open_japanese();
    update(&mut s2, key('l'));
    update(&mut s2, key('/'));
    typing(&mut s2, "クーポン");
    update(&mut s2, code(KeyCode::Enter));
    let scroll = s2.transcript.scroll;
    let row = s2.list.selected;
    update(&mut s2, key('h'));
    assert_eq!(s2.focus, Pane::List);
    assert!(update(&mut s2, key('n')).is_empty());
    assert_eq!((s2.transcript.scroll, s2.list.selected), (scroll, row));
    assert!(
        s2.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("no search in the list"))
    );

    // The list searched, then Tab to the transcript: n finds the same
    // words in this interview.
    update(&mut s, key('/'));
    let fx = typing(&mut s, "coupon");
    settle(&mut s, &store, fx);
    update(&mut s, code(KeyCode::Enter));
    let fx = update(&mut s, key('l'));
    settle(&mut s, &store, fx);
    assert_eq!(s.focus, Pane::Transcript);
    update(&mut s, key('n'));
    let search = s.search.clone().expect("a transcript search");
    assert_eq!(search.pane, Pane::Transcript);
    assert_eq!(search.query.text(), "coupon");
    let first = search.matches[search.current];
    let start = s
        .transcript
        .wrapped
        .as_ref()
        .expect("wrapped")
        .message_starts[first];
    assert!(s.transcript.scroll <= start && start < s.transcript.scroll + s.transcript_viewport());
    // In the list again, n walks the found rows.
    update(&mut s, key('h'));
    let fx = update(&mut s, key('n'));
    settle(&mut s, &store, fx);
    assert_eq!(s.list.selected, 1);
    // From Answers, n goes back to the transcript's matches.
    update(&mut s, key('l'));
    update(&mut s, key('l'));
    assert_eq!(s.focus, Pane::Answers);
    update(&mut s, key('n'));
    assert_eq!(s.focus, Pane::Transcript);
}

#[test]
fn the_picker_says_how_big_each_study_is() {
    use uj::app::msg::StudyCount;
    let count = |stored, total, whole| {
        StudyCount {
            stored,
            total,
            whole,
            ..StudyCount::default()
        }
        .text()
    };
    assert_eq!(count(263, Some(263), true), "263 interviews");
    assert_eq!(count(1, None, true), "1 interview");
    assert_eq!(count(120, Some(263), false), "120 of 263 stored");
    assert_eq!(count(263, Some(263), false), "263 interviews");
    assert_eq!(count(40, None, false), "40 stored");
    assert_eq!(count(0, None, false), "not synced");

    // The counts arrive with the list, from the store.
    let (mut s, _) = opened();
    update(&mut s, key('S'));
    let mut counts = std::collections::HashMap::new();
    counts.insert(
        MAIN.to_string(),
        StudyCount {
            stored: 263,
            total: Some(263),
            whole: true,
            ..StudyCount::default()
        },
    );
    update(
        &mut s,
        Msg::StudiesLoaded {
            result: Ok(vec![Study {
                id: MAIN.into(),
                ..Study::default()
            }]),
            counts,
            offline: false,
        },
    );
    let Overlay::Picker(p) = &s.overlay else {
        panic!("the picker is open");
    };
    assert_eq!(p.counts[MAIN].text(), "263 interviews");
}

#[test]
fn the_note_field_refuses_past_its_limit_and_says_so() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let id = s.selected().expect("row").id.clone();
    update(&mut s, key('e'));
    // A long note (over the 2,000 characters an earlier uj cut to) is
    // taken whole, up to the limit.
    let long = "abcd ".repeat(uj::store::NOTE_CHARS / 5);
    let field = |s: &State| s.prompt.as_ref().map(|p| p.text.text().to_string());
    update(&mut s, Msg::Paste(long.clone()));
    let shown = field(&s).unwrap_or_default();
    assert!(
        shown == long,
        "{} of {} characters",
        shown.len(),
        long.len()
    );
    // One more character, or a paste past the limit: refused whole, said.
    update(&mut s, key('x'));
    update(&mut s, key('y'));
    update(&mut s, Msg::Paste("more words".into()));
    assert!(field(&s).is_some_and(|f| f == long));
    assert!(
        s.notice
            .as_ref()
            .is_some_and(|n| n.level == Level::Warn && n.text.contains("at most 100,000")),
        "{:?}",
        s.notice
    );
    // Enter saves exactly what the field shows.
    let saved = update(&mut s, code(KeyCode::Enter));
    assert!(
        saved
            == vec![Effect::Mark {
                id,
                study_id: MAIN.into(),
                change: MarkChange::Note(long),
            }],
        "the whole note is saved"
    );
}

/// One state of each kind the screen can be in: loading, listed, open,
/// syncing, offline, empty, every overlay loading, ready and failed, the
/// overview counting, drawn and failed, prompts and notices.
fn every_kind_of_screen() -> Vec<(&'static str, State)> {
    let store = demo_store();
    let mut out = Vec::new();
    let (fresh, _) = opened();
    out.push(("loading", fresh));
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let mut syncing = s.clone();
    update(
        &mut syncing,
        Msg::SyncProgress(Progress::Started {
            study_id: MAIN.into(),
            name: Some("Checkout".into()),
            total: Some(263),
        }),
    );
    out.push(("syncing", syncing.clone()));
    update(
        &mut syncing,
        Msg::SyncEnded {
            study_id: MAIN.into(),
            end: SyncEnd::Unreachable("could not reach the API (refused)".into()),
        },
    );
    out.push(("offline", syncing));
    out.push(("list", s.clone()));
    let mut open = s.clone();
    let fx = update(&mut open, code(KeyCode::Enter));
    settle(&mut open, &store, fx);
    out.push(("transcript", open.clone()));
    update(&mut open, key('T'));
    out.push(("both texts", open.clone()));
    for (name, k) in [
        ("help", '?'),
        ("filter form", 'F'),
        ("study picker", 'S'),
        ("question picker", 'Q'),
        ("overview", 'o'),
        ("tags prompt", '+'),
        ("search prompt", '/'),
    ] {
        let mut x = s.clone();
        let fx = update(&mut x, key(k));
        out.push((name, x.clone()));
        settle(&mut x, &store, fx);
        out.push((name, x));
    }
    let mut failed = s.clone();
    let read = match update(&mut failed, key('o')).as_slice() {
        [Effect::LoadOverview { read, .. }] => *read,
        other => panic!("the overview's counts asked for, not {other:?}"),
    };
    update(
        &mut failed,
        Msg::OverviewLoaded {
            read,
            result: Err(MirrorError::Store(StoreError::Refused(
                "disk I/O error".into(),
            ))),
        },
    );
    out.push(("overview failed", failed));
    let mut empty = s.clone();
    update(&mut empty, key('/'));
    let fx = typing(&mut empty, "zzqqxx nothing at all");
    settle(&mut empty, &store, fx);
    out.push(("empty", empty));
    out
}

/// Draws `state` into a terminal of `width`×`height` (which may differ
/// from the size the state last heard of, as between a resize and its
/// message).
fn draw_at(state: &State, width: u16, height: u16) {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))
        .expect("terminal");
    terminal.draw(|f| uj::ui::view(f, state)).expect("draws");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

    /// No size and no resize that has not reached the state yet makes any
    /// view or overlay draw outside the buffer (the overview's charts did,
    /// at 100×3 during a sync).
    #[test]
    fn every_screen_draws_at_every_size(
        width in 1u16..=300,
        height in 1u16..=100,
        frame_width in 1u16..=300,
        frame_height in 1u16..=100,
    ) {
        for (_, base) in SCREENS.iter() {
            let mut s = base.clone();
            update(&mut s, Msg::Resize { width, height });
            draw_at(&s, width, height);
            draw_at(&s, frame_width, frame_height);
        }
    }
}

static SCREENS: std::sync::LazyLock<Vec<(&'static str, State)>> =
    std::sync::LazyLock::new(every_kind_of_screen);

#[test]
fn the_tags_prompt_opens_on_the_tags_and_completes_from_the_study() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let id = s.selected().expect("row").id.clone();
    update(
        &mut s,
        Msg::Marked {
            id: id.clone(),
            result: Ok((
                Marks {
                    tags: vec!["coupon".into(), "pix".into()],
                    ..Marks::default()
                },
                no_step(),
            )),
        },
    );
    // The transcript's header shows them.
    let header: Vec<String> = s
        .transcript
        .wrapped
        .as_ref()
        .expect("wrapped")
        .lines
        .iter()
        .take(12)
        .map(|l| l.text.clone())
        .collect();
    assert!(
        header.iter().any(|l| l == "tags: #coupon #pix"),
        "{header:?}"
    );
    update(&mut s, key('+'));
    let line = |s: &State| s.prompt.as_ref().map(|p| p.text.text().to_string());
    assert_eq!(line(&s).as_deref(), Some("coupon pix "));
    update(
        &mut s,
        Msg::TagsLoaded(Ok(vec!["coupon".into(), "courier".into(), "refund".into()])),
    );
    // Two candidates: completed to what they share, and named.
    typing(&mut s, "co");
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(line(&s).as_deref(), Some("coupon pix cou"));
    assert!(
        s.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("coupon") && n.text.contains("courier")),
        "{:?}",
        s.notice
    );
    // One: completed whole, with a space to go on.
    typing(&mut s, "r");
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(line(&s).as_deref(), Some("coupon pix courier "));
    // Deleting a tag from the line removes it.
    update(&mut s, code(KeyCode::Home));
    for _ in 0.."coupon ".len() {
        update(&mut s, code(KeyCode::Delete));
    }
    assert_eq!(
        update(&mut s, code(KeyCode::Enter)),
        vec![Effect::Mark {
            id,
            study_id: MAIN.into(),
            change: MarkChange::Tags {
                add: vec!["courier".into()],
                remove: vec!["coupon".into()],
            },
        }]
    );
}

#[test]
fn an_unknown_study_points_to_the_study_picker_not_a_retry() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    update(
        &mut s,
        Msg::SyncEnded {
            study_id: MAIN.into(),
            end: SyncEnd::Unknown("the study was not found: check the id".into()),
        },
    );
    let n = s.notice.clone().expect("notice");
    assert!(n.text.contains("press S"), "{}", n.text);
    assert!(!n.text.contains("press r"), "{}", n.text);
}

#[test]
fn language_order_clearing_and_a_wider_list() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let whole = s.list.window.total;
    // L asks the store for the study's languages, then filters by the
    // first (the most common); again, the next.
    let fx = update(&mut s, key('L'));
    assert_eq!(
        fx,
        vec![Effect::LoadLanguages {
            study_id: MAIN.into()
        }]
    );
    let langs = store.languages(MAIN).expect("languages");
    assert!(langs.len() > 2, "{langs:?}");
    let fx = update(
        &mut s,
        Msg::LanguagesLoaded {
            study_id: MAIN.into(),
            result: Ok(langs.clone()),
        },
    );
    settle(&mut s, &store, fx);
    assert_eq!(s.list.query.language.as_deref(), Some(langs[0].as_str()));
    let of = |lang: &str| {
        store
            .interviews(&InterviewFilters::for_study(MAIN), None, 100_000)
            .expect("read")
            .iter()
            .filter(|i| i.language.as_deref() == Some(lang))
            .count()
    };
    assert_eq!(s.list.window.total, of(&langs[0]));
    update(&mut s, key('L'));
    let fx = update(
        &mut s,
        Msg::LanguagesLoaded {
            study_id: MAIN.into(),
            result: Ok(langs.clone()),
        },
    );
    settle(&mut s, &store, fx);
    assert_eq!(s.list.query.language.as_deref(), Some(langs[1].as_str()));
    assert_eq!(s.list.window.total, of(&langs[1]));

    // O: oldest first, then longest first.
    let newest_first = s.list.window.rows.first().map(|i| i.id.clone());
    let fx = update(&mut s, key('O'));
    settle(&mut s, &store, fx);
    assert_eq!(s.list.query.order, uj::store::Order::Oldest);
    assert_ne!(
        s.list.window.rows.first().map(|i| i.id.clone()),
        newest_first
    );
    let fx = update(&mut s, key('O'));
    settle(&mut s, &store, fx);
    let durations: Vec<f64> = s
        .list
        .window
        .rows
        .iter()
        .filter_map(|i| i.duration_secs)
        .collect();
    assert!(
        durations.windows(2).all(|w| w[0] >= w[1]),
        "longest first: {durations:?}"
    );

    // Backspace in the list clears every filter (the order stays).
    let fx = update(&mut s, key('1'));
    settle(&mut s, &store, fx);
    let fx = update(&mut s, code(KeyCode::Backspace));
    settle(&mut s, &store, fx);
    assert!(s.list.query.language.is_none() && s.list.query.filters.quality.is_none());
    assert_eq!(s.list.window.total, whole);

    // z: the list takes the transcript's columns, and gives them back.
    let before = s.areas().list.expect("list").width;
    update(&mut s, key('z'));
    assert!(s.areas().list.expect("list").width > before);
    assert!(s.areas().transcript.is_none());
    update(&mut s, key('z'));
    assert_eq!(s.areas().list.expect("list").width, before);
}

#[test]
fn esc_in_the_one_pane_transcript_goes_back_to_the_list() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    update(
        &mut s,
        Msg::Resize {
            width: 70,
            height: 24,
        },
    );
    let fx = update(&mut s, code(KeyCode::Enter));
    settle(&mut s, &store, fx);
    assert_eq!(s.focus, Pane::Transcript);
    // A current message is cleared first; then Esc goes back.
    update(&mut s, key(']'));
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.focus, Pane::Transcript);
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.focus, Pane::List);
    // Wide, Esc only clears.
    update(
        &mut s,
        Msg::Resize {
            width: 160,
            height: 40,
        },
    );
    update(&mut s, key('l'));
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.focus, Pane::Transcript);
}

/// `G` while the first sync has stored only part of a large study: as the
/// sync stores more pages, the rows on screen are read again, and no
/// placeholder stays blank once its row is stored. With `late` the reads
/// are slower than the sync: pages are stored while a window read is out,
/// and the reads are answered late, in order.
fn g_early_in_a_large_sync(late: bool) {
    let demo = demo();
    let all: Vec<Interview> = demo
        .interviews_of(MAIN)
        .iter()
        .map(|d| d.interview.clone())
        .collect();
    let mut store = empty_store();
    let walk = store.begin_walk(MAIN).expect("walk");
    store.apply_page(MAIN, walk, 0, &all[..50]).expect("page");
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let mut pending = update(&mut s, key('G'));
    if !late {
        settle(&mut s, &store, std::mem::take(&mut pending));
    }
    let mut at = 50;
    while at < all.len() {
        let end = (at + 100).min(all.len());
        store
            .apply_page(MAIN, walk, at as i64, &all[at..end])
            .expect("page");
        at = end;
        pending.extend(update(
            &mut s,
            Msg::SyncProgress(Progress::Listed {
                study_id: MAIN.into(),
                listed: at as u64,
            }),
        ));
        if late {
            // One of the reads out answers now, the rest later.
            if !pending.is_empty() {
                let first = pending.remove(0);
                pending.extend(answer(&mut s, &store, &first));
            }
        } else {
            settle(&mut s, &store, std::mem::take(&mut pending));
        }
    }
    pending.extend(update(
        &mut s,
        Msg::SyncEnded {
            study_id: MAIN.into(),
            end: SyncEnd::Done(Summary {
                complete: true,
                ..Summary::default()
            }),
        },
    ));
    settle(&mut s, &store, pending);
    assert_eq!(s.list.window.total, all.len());
    let view = s.list_viewport();
    let shown = s.list.offset..(s.list.offset + view).min(s.list.window.total);
    let blank: Vec<usize> = shown.clone().filter(|&r| s.list.row(r).is_none()).collect();
    assert!(blank.is_empty(), "blank rows {blank:?} of {shown:?}");
    assert_eq!(s.list.selected, all.len() - 1, "G followed the end");
}

#[test]
fn g_early_in_a_large_sync_shows_no_blank_rows_once_stored() {
    g_early_in_a_large_sync(false);
}

#[test]
fn g_early_with_reads_slower_than_the_sync() {
    g_early_in_a_large_sync(true);
}

/// The screen as text, drawn at the state's size.
fn screen_of(state: &State) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(
        state.width,
        state.height,
    ))
    .expect("terminal");
    terminal.draw(|f| uj::ui::view(f, state)).expect("draws");
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf.cell((x, y)).map_or(" ", |c| c.symbol()));
        }
        out.push('\n');
    }
    out
}

/// While the first sync runs: the walk against the study's count, the
/// transcripts against what the walk found; once the walk is done, no
/// `loading more…` under the last row.
#[test]
fn sync_progress_is_honest() {
    let store = store_with(263);
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    update(
        &mut s,
        Msg::Resize {
            width: 200,
            height: 30,
        },
    );
    for p in [
        Progress::Started {
            study_id: MAIN.into(),
            name: None,
            total: Some(263),
        },
        Progress::Listed {
            study_id: MAIN.into(),
            listed: 200,
        },
        Progress::Transcripts {
            study_id: MAIN.into(),
            stored: 40,
            listed: 200,
            fetched: 40,
        },
    ] {
        let fx = update(&mut s, Msg::SyncProgress(p));
        settle(&mut s, &store, fx);
    }
    let top = screen_of(&s).lines().next().unwrap_or_default().to_string();
    assert!(
        top.contains("syncing 200/263 · transcripts 40/200"),
        "{top}"
    );
    // The list is whole: the end is marked, nothing "loading".
    let fx = update(
        &mut s,
        Msg::SyncProgress(Progress::Walked {
            study_id: MAIN.into(),
        }),
    );
    settle(&mut s, &store, fx);
    let fx = update(&mut s, key('G'));
    settle(&mut s, &store, fx);
    let screen = screen_of(&s);
    assert!(!screen.contains("loading more"), "{screen}");
    assert!(screen.contains("end of list"), "{screen}");
}

/// A search in force while the sync stores transcripts is read again, at
/// most twice a second, keeping the selection; it says how many
/// transcripts it searched.
#[test]
fn a_search_follows_the_transcripts_the_sync_stores() {
    let demo = demo();
    let all = demo.interviews_of(MAIN);
    let mut store = empty_store();
    let rows: Vec<Interview> = all.iter().map(|d| d.interview.clone()).collect();
    let walk = store.begin_walk(MAIN).expect("walk");
    store.apply_page(MAIN, walk, 0, &rows).expect("page");
    for d in all.iter().take(40) {
        store.put_detail(d, None).expect("detail");
    }
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    update(
        &mut s,
        Msg::Resize {
            width: 220,
            height: 30,
        },
    );
    update(
        &mut s,
        Msg::SyncProgress(Progress::Started {
            study_id: MAIN.into(),
            name: None,
            total: Some(rows.len() as u64),
        }),
    );
    update(&mut s, key('/'));
    let fx = typing(&mut s, "送料");
    settle(&mut s, &store, fx);
    update(&mut s, code(KeyCode::Enter));
    let before = s.list.window.total;
    let chosen = s.selected().map(|i| i.id.clone());
    // The rest of the transcripts arrive.
    for d in all.iter().skip(40) {
        store.put_detail(d, None).expect("detail");
    }
    let fx = update(
        &mut s,
        Msg::SyncProgress(Progress::Transcripts {
            study_id: MAIN.into(),
            stored: 100,
            listed: rows.len() as u64,
            fetched: 60,
        }),
    );
    assert_eq!(
        fx,
        vec![Effect::RefreshSoon {
            delay: uj::app::update::SEARCH_REFRESH
        }]
    );
    // More progress before the timer: no second timer.
    let again = update(
        &mut s,
        Msg::SyncProgress(Progress::Transcripts {
            study_id: MAIN.into(),
            stored: 101,
            listed: rows.len() as u64,
            fetched: 61,
        }),
    );
    assert!(again.is_empty(), "{again:?}");
    let top = screen_of(&s).lines().next().unwrap_or_default().to_string();
    assert!(top.contains("searched 101 of 263"), "{top}");
    let fx = update(&mut s, Msg::RefreshDue);
    settle(&mut s, &store, fx);
    assert!(
        s.list.window.total > before,
        "{} then {}",
        before,
        s.list.window.total
    );
    assert_eq!(
        s.selected().map(|i| i.id.clone()),
        chosen,
        "the selection stays"
    );
}

/// Another writer's commit reads the window again; the overview is counted
/// again too, except while our own sync writes (it is counted at its end).
#[test]
fn a_commit_elsewhere_refreshes_without_recounting_during_a_sync() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let fx = update(&mut s, key('o'));
    settle(&mut s, &store, fx);
    assert!(s.sync.running);
    let fx = update(&mut s, Msg::StoreChangedElsewhere);
    assert_eq!(windows(&fx).len(), 1, "{fx:?}");
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::LoadOverview { .. })),
        "{fx:?}"
    );
    settle(&mut s, &store, fx);
    s.sync.running = false;
    let fx = update(&mut s, Msg::StoreChangedElsewhere);
    assert!(
        fx.iter().any(|e| matches!(e, Effect::LoadOverview { .. })),
        "{fx:?}"
    );
}

/// Coding's reads run beside its writes, so a read asked before a change
/// can answer after one asked once the change was made: the older answer
/// must not put back the codebook as it was (the code just made gone).
#[test]
fn a_codebook_read_asked_before_a_change_never_replaces_one_asked_after() {
    use uj::app::msg::CodingRequest;
    use uj::store::{Code, CodeEntry};
    let mut s = State::new(50);
    s.study = Some(uj::app::state::StudyInfo {
        id: "study".into(),
        ..Default::default()
    });
    let entry = |id: i64, name: &str| CodeEntry {
        code: Code {
            id,
            uid: format!("uid-{id}"),
            study_id: "study".into(),
            name: name.into(),
            description: String::new(),
            parent: None,
            created_at: String::new(),
            updated_at: String::new(),
        },
        depth: 0,
        highlights: 1,
        interviews: 1,
    };
    let read_of = |fx: Vec<Effect>| match fx.as_slice() {
        [Effect::Coding(CodingRequest::Load { read, .. })] => *read,
        other => panic!("a coding read, not {other:?}"),
    };
    let before = read_of(uj::app::coding::reload(&mut s));
    let after = read_of(uj::app::coding::reload(&mut s));
    assert!(after > before);
    let answer = |read: u64, book: Vec<CodeEntry>| Msg::CodingLoaded {
        read,
        interview_id: None,
        result: Ok((Vec::new(), book)),
    };
    update(
        &mut s,
        answer(after, vec![entry(1, "Delivery"), entry(2, "Speed")]),
    );
    update(&mut s, answer(before, vec![entry(2, "Speed")]));
    let names: Vec<&str> = s
        .coding
        .codebook
        .iter()
        .map(|e| e.code.name.as_str())
        .collect();
    assert_eq!(names, ["Delivery", "Speed"]);
}

/// The overview is counted again at each filter: counts of the filter
/// before, answered last, must not stand for the filter now in force.
#[test]
fn the_overview_keeps_the_counts_of_the_filter_in_force() {
    let store = demo_store();
    let (mut s, fx) = opened();
    settle(&mut s, &store, fx);
    let read_of = |fx: &[Effect]| {
        fx.iter()
            .find_map(|e| match e {
                Effect::LoadOverview { read, .. } => Some(*read),
                _ => None,
            })
            .expect("the overview counted")
    };
    let whole = read_of(&update(&mut s, key('o')));
    let insightful = read_of(&update(&mut s, key('1')));
    let counted = |read, total| Msg::OverviewLoaded {
        read,
        result: Ok(uj::store::Overview {
            total,
            ..Default::default()
        }),
    };
    update(&mut s, counted(insightful, 100));
    update(&mut s, counted(whole, 263));
    let Some(Loadable::Ready(o)) = &s.overview.counts else {
        panic!("counted: {:?}", s.overview.counts)
    };
    assert_eq!(o.total, 100);
}

/// The harness counts an effect when `Effect::answered` says so and the
/// message that `Msg::is_answer`; the runtime answers through
/// `runtime::answer`. The three must agree for every effect, or a test
/// settles too early (or never): this runs one of each through `answer`.
#[tokio::test(start_paused = true)]
async fn every_effect_is_answered_exactly_when_it_says_it_is() {
    use std::time::Duration;
    use uj::app::msg::CodingRequest;
    use uj::store::ListQuery;
    const STUDY: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";
    /// Each variant's place: a new variant fails to compile here until
    /// it is added to the list below.
    fn variant(e: &Effect) -> usize {
        match e {
            Effect::LoadStudies => 0,
            Effect::LoadStudy { .. } => 1,
            Effect::LoadWindow { .. } => 2,
            Effect::LoadHits { .. } => 3,
            Effect::Mark { .. } => 4,
            Effect::LoadDetail { .. } => 5,
            Effect::Sync { .. } => 6,
            Effect::LoadLanguages { .. } => 7,
            Effect::RememberStudy { .. } => 8,
            Effect::LoadTags { .. } => 9,
            Effect::LoadQuestions { .. } => 10,
            Effect::LoadOverview { .. } => 11,
            Effect::Copy { .. } => 12,
            Effect::Debounce { .. } => 13,
            Effect::RefreshSoon { .. } => 14,
            Effect::Coding(_) => 15,
            Effect::BulkMark { .. } => 16,
            Effect::CountViews { .. } => 17,
            Effect::SaveView { .. } => 18,
            Effect::Suspend => 19,
            Effect::Quit => 20,
        }
    }
    let dir = tempfile::tempdir().expect("tmp");
    let query = ListQuery::from(InterviewFilters::for_study(STUDY.to_string()));
    let id = "b616d896-0000-0000-0000-000000000000".to_string();
    let every = vec![
        Effect::LoadStudies,
        Effect::LoadStudy { id: STUDY.into() },
        Effect::LoadWindow {
            generation: 1,
            query: query.clone(),
            start: 0,
            len: 10,
            follow: None,
        },
        Effect::LoadHits {
            id: id.clone(),
            query: "coupon".into(),
        },
        Effect::Mark {
            id: id.clone(),
            study_id: STUDY.into(),
            change: MarkChange::ToggleStarred,
        },
        Effect::LoadDetail {
            id: id.clone(),
            fresh: false,
        },
        Effect::Sync {
            study_id: STUDY.into(),
        },
        Effect::LoadLanguages {
            study_id: STUDY.into(),
        },
        Effect::RememberStudy { id: STUDY.into() },
        Effect::LoadTags {
            study_id: STUDY.into(),
        },
        Effect::LoadQuestions {
            query: query.clone(),
        },
        Effect::LoadOverview {
            read: 1,
            query: query.clone(),
        },
        Effect::Copy { text: "x".into() },
        Effect::Debounce {
            token: 1,
            delay: Duration::from_millis(150),
        },
        Effect::RefreshSoon {
            delay: Duration::from_secs(1),
        },
        Effect::Coding(CodingRequest::Load {
            read: 1,
            study_id: STUDY.into(),
            interview_id: None,
            counts: true,
        }),
        Effect::BulkMark {
            query: query.clone(),
            change: MarkChange::SetReviewed(true),
        },
        Effect::CountViews {
            queries: vec![query.clone()],
        },
        Effect::SaveView {
            path: dir.path().join("config.toml"),
            name: "all".into(),
            query: String::new(),
        },
        Effect::Suspend,
        Effect::Quit,
    ];
    let mut seen: Vec<usize> = every.iter().map(variant).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen, (0..=20).collect::<Vec<_>>(), "one of each effect");
    let mirror = support::mirror_of(SnapshotSource::demo().expect("demo"), true);
    for effect in every {
        let said = effect.answered();
        let name = format!("{effect:?}");
        let got = uj::runtime::answer(effect, &mirror).await;
        assert_eq!(got.is_some(), said, "{name}: answered() says {said}");
        if let Some(msg) = got {
            assert!(msg.is_answer(), "{name} is answered by {msg:?}");
        }
    }
}
