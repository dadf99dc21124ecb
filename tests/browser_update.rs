//! `update` driven directly: no terminal, no runtime. Effects are checked
//! as data and answered by hand with pages from the demo snapshot.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use uj::api::model::{Page, Study};
use uj::api::{ApiError, InterviewFilters, SnapshotSource, Source};
use uj::app::state::{Level, Overlay, Pane, State};
use uj::app::update::{REST, init};
use uj::app::{Effect, Msg, update};
use uj::present::TextMode;

const MAIN: &str = "5f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70";

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}
fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}
fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
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

/// Answers a `LoadPage` effect from the demo.
async fn answer(s: &mut State, fx: &Effect) -> Vec<Effect> {
    let Effect::LoadPage {
        generation,
        filters,
        cursor,
        limit,
    } = fx
    else {
        panic!("not a page request: {fx:?}");
    };
    let demo = SnapshotSource::demo().expect("demo");
    let result = demo
        .list_interviews(filters, cursor.as_deref(), Some(*limit))
        .await;
    update(
        s,
        Msg::PageLoaded {
            generation: *generation,
            result,
        },
    )
}

fn pages(fx: &[Effect]) -> Vec<&Effect> {
    fx.iter()
        .filter(|e| matches!(e, Effect::LoadPage { .. }))
        .collect()
}

async fn detail_of(s: &mut State, id: &str) {
    let demo = SnapshotSource::demo().expect("demo");
    let result = demo.get_interview(id).await;
    update(
        s,
        Msg::DetailLoaded {
            id: id.into(),
            result,
        },
    );
}

#[test]
fn start_asks_for_the_first_page_then_the_study() {
    let (_, fx) = opened();
    assert_eq!(
        fx,
        vec![
            Effect::LoadPage {
                generation: 1,
                filters: InterviewFilters::for_study(MAIN),
                cursor: None,
                limit: 50
            },
            Effect::LoadStudy { id: MAIN.into() },
        ]
    );
    let mut s = State::new(50);
    assert_eq!(init(&mut s, None), vec![Effect::LoadStudies]);
    assert!(matches!(s.overlay, Overlay::Picker(_)));
}

#[tokio::test]
async fn next_page_is_requested_one_screen_before_the_end_and_only_once() {
    let (mut s, fx) = opened();
    let fx = answer(&mut s, &fx[0]).await;
    assert_eq!(s.list.rows.len(), 50);
    assert!(
        pages(&fx).is_empty(),
        "50 rows, selection at 0: no need yet"
    );
    let viewport = s.list_viewport();
    let mut requested = Vec::new();
    for _ in 0..49 {
        let fx = update(&mut s, key('j'));
        requested.extend(pages(&fx).into_iter().cloned());
        if !requested.is_empty() {
            break;
        }
    }
    assert_eq!(requested.len(), 1);
    assert_eq!(
        s.list.selected + viewport,
        50,
        "asked exactly when one screen from the end"
    );
    assert!(
        matches!(&requested[0], Effect::LoadPage { cursor: Some(c), limit: 50, .. } if *c == s.list.rows[49].id)
    );
    // More keys while it is in flight ask for nothing more.
    for _ in 0..10 {
        assert!(pages(&update(&mut s, key('j'))).is_empty());
    }
    answer(&mut s, &requested[0]).await;
    assert_eq!(s.list.rows.len(), 100);
}

#[tokio::test]
async fn answers_to_an_old_query_are_dropped() {
    let (mut s, fx) = opened();
    let old = fx[0].clone();
    let fx = update(&mut s, key('s'));
    assert_eq!(s.filters.status.as_deref(), Some("completed"));
    let new = pages(&fx)[0].clone();
    answer(&mut s, &old).await;
    assert!(
        s.list.rows.is_empty(),
        "the all-status page must not show under status: completed"
    );
    answer(&mut s, &new).await;
    assert!(!s.list.rows.is_empty());
    assert!(
        s.list
            .rows
            .iter()
            .all(|i| i.status.as_ref().map(|x| x.as_str()) == Some("completed"))
    );
}

#[tokio::test]
async fn walker_rules_stop_paging_with_a_warning() {
    let (mut s, fx) = opened();
    answer(&mut s, &fx[0]).await;
    let repeat = Page {
        data: s.list.rows.clone(),
        has_more: true,
    };
    // Walk down to trigger the next request, then answer it with the same page.
    let mut next = None;
    for _ in 0..50 {
        if let Some(e) = pages(&update(&mut s, key('j'))).first() {
            next = Some((*e).clone());
            break;
        }
    }
    let Some(Effect::LoadPage { generation, .. }) = next else {
        panic!("no page request")
    };
    update(
        &mut s,
        Msg::PageLoaded {
            generation,
            result: Ok(repeat),
        },
    );
    assert!(
        s.list
            .warning
            .as_deref()
            .is_some_and(|w| w.contains("no new interviews")),
        "{:?}",
        s.list.warning
    );
    assert_eq!(s.notice.as_ref().map(|n| n.level), Some(Level::Warn));
    for _ in 0..60 {
        assert!(
            pages(&update(&mut s, key('j'))).is_empty(),
            "no request loop"
        );
    }
}

#[tokio::test]
async fn detail_waits_for_the_selection_to_rest_and_is_cached() {
    let (mut s, fx) = opened();
    let fx = answer(&mut s, &fx[0]).await;
    let first = s.list.rows[0].id.clone();
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
    let id = s.list.rows[5].id.clone();
    assert_eq!(
        update(&mut s, Msg::SelectionRested { token: tokens[4] }),
        vec![Effect::LoadDetail { id: id.clone() }]
    );
    // A second rest while in flight asks again for nothing.
    assert!(update(&mut s, Msg::SelectionRested { token: tokens[4] }).is_empty());
    detail_of(&mut s, &id).await;
    assert!(s.shown_detail().is_some());
    // Away and back: the cache answers, no timer, no request.
    update(&mut s, key('k'));
    let back = update(&mut s, key('j'));
    assert!(back.is_empty(), "{back:?}");
    assert!(s.transcript.wrapped.is_some());
    // Enter on an uncached row fetches at once and focuses the transcript.
    update(&mut s, key('g'));
    assert_eq!(s.list.rows[0].id, first);
    assert_eq!(
        update(&mut s, code(KeyCode::Enter)),
        vec![Effect::LoadDetail { id: first }]
    );
    assert_eq!(s.focus, Pane::Transcript);
}

#[tokio::test]
async fn detail_cache_is_bounded() {
    let demo = SnapshotSource::demo().expect("demo");
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

#[tokio::test]
async fn end_walks_to_the_real_end_with_pages_of_100() {
    let (mut s, fx) = opened();
    answer(&mut s, &fx[0]).await;
    let mut fx = update(&mut s, key('G'));
    let mut limits = Vec::new();
    while let Some(e) = pages(&fx).first().cloned().cloned() {
        if let Effect::LoadPage { limit, .. } = &e {
            limits.push(*limit);
        }
        fx = answer(&mut s, &e).await;
    }
    assert_eq!(limits, vec![100, 100, 100]);
    let total = SnapshotSource::demo()
        .expect("demo")
        .interviews_of(MAIN)
        .len();
    assert_eq!(s.list.rows.len(), total);
    assert_eq!(s.list.selected, total - 1);
    assert!(!s.list.to_end && !s.list.walk.has_more());
}

#[tokio::test]
async fn filters_from_keys_and_the_form() {
    let (mut s, _) = opened();
    let statuses: Vec<_> = (0..4)
        .map(|_| {
            update(&mut s, key('s'));
            s.filters.status.clone()
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
        assert_eq!(s.filters.quality.as_deref(), q);
        assert!(
            matches!(pages(&fx)[0], Effect::LoadPage { filters, cursor: None, .. } if filters.quality.as_deref() == q)
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
        s.filters,
        InterviewFilters {
            study_id: MAIN.into(),
            status: Some("completed".into()),
            quality: Some("unsuccessful".into()),
            reference_id: Some("cust_1".into())
        }
    );
    assert_eq!(pages(&fx).len(), 1);
    // Esc leaves the form without changing anything.
    update(&mut s, key('F'));
    update(&mut s, code(KeyCode::Right));
    assert!(update(&mut s, code(KeyCode::Esc)).is_empty());
    assert_eq!(s.filters.status.as_deref(), Some("completed"));
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

#[tokio::test]
async fn list_search_with_next_and_previous() {
    let (mut s, fx) = opened();
    answer(&mut s, &fx[0]).await;
    update(&mut s, key('/'));
    for c in "pix".chars() {
        update(&mut s, key(c));
    }
    let matches = s.search.as_ref().expect("search").matches.clone();
    assert!(matches.len() >= 2, "{matches:?}");
    assert!(matches.iter().all(|&m| {
        s.list.rows[m]
            .headline
            .as_deref()
            .unwrap_or("")
            .to_lowercase()
            .contains("pix")
    }));
    assert_eq!(s.list.selected, matches[0]);
    update(&mut s, code(KeyCode::Enter));
    update(&mut s, key('n'));
    assert_eq!(s.list.selected, matches[1]);
    update(&mut s, key('N'));
    update(&mut s, key('N'));
    assert_eq!(
        s.list.selected,
        *matches.last().expect("last"),
        "N wraps around"
    );
    update(&mut s, code(KeyCode::Esc));
    assert!(s.search.is_none());
}

/// Opens the first completed Japanese interview with answers.
async fn open_japanese() -> (State, String) {
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
    let mut fx = answer(s, &fx[0]).await;
    loop {
        if let Some(i) = s
            .list
            .rows
            .iter()
            .position(|i| i.language.as_deref() == Some("ja") && i.quality_score.is_some())
        {
            s.list.selected = i;
            break;
        }
        let e = pages(&fx).first().cloned().cloned();
        match e {
            Some(e) => fx = answer(s, &e).await,
            None => fx = update(s, key('G')),
        }
    }
    let id = s.list.rows[s.list.selected].id.clone();
    detail_of(s, &id).await;
    update(s, Msg::Tick);
    (state, id)
}

#[tokio::test]
async fn transcript_modes_search_and_answer_jumps() {
    let (mut s, _) = open_japanese().await;
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

    // Enter on an answer jumps to the message its excerpt quotes.
    update(&mut s, code(KeyCode::Tab));
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

#[tokio::test]
async fn answer_without_a_matching_message_says_so() {
    let (mut s, id) = open_japanese().await;
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

#[tokio::test]
async fn reload_keeps_what_is_shown_until_the_new_page_arrives() {
    let (mut s, fx) = opened();
    answer(&mut s, &fx[0]).await;
    for _ in 0..3 {
        update(&mut s, key('j'));
    }
    let selected = s.list.rows[3].id.clone();
    let fx = update(&mut s, key('r'));
    assert_eq!(s.list.rows.len(), 50, "old rows stay while reloading");
    assert!(
        s.list.replacing && s.list.in_flight,
        "the bottom bar says reloading…"
    );
    let page = pages(&fx)[0].clone();
    assert!(fx.contains(&Effect::LoadDetail {
        id: selected.clone()
    }));
    let Effect::LoadPage { generation, .. } = page else {
        unreachable!()
    };
    update(
        &mut s,
        Msg::PageLoaded {
            generation,
            result: Err(ApiError::Network {
                detail: "connection refused".into(),
            }),
        },
    );
    assert_eq!(s.list.rows.len(), 50, "a failed reload loses nothing");
    assert!(
        s.notice
            .as_ref()
            .is_some_and(|n| n.level == Level::Error && n.text.contains("could not reach the API"))
    );
    let fx = update(&mut s, key('r'));
    answer(&mut s, pages(&fx)[0]).await;
    assert_eq!(s.list.rows.len(), 50);
    assert_eq!(
        s.list.rows[s.list.selected].id, selected,
        "the selection survives a reload"
    );
    assert!(s.list.error.is_none());
}

#[tokio::test]
async fn mouse_wheel_and_click() {
    let (mut s, fx) = opened();
    answer(&mut s, &fx[0]).await;
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
    assert_eq!(s.overlay, Overlay::Help);
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
    update(&mut s, Msg::StudiesLoaded(Ok(studies)));
    update(&mut s, key('j'));
    let fx = update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.overlay, Overlay::None);
    assert_eq!(s.study.as_ref().map(|x| x.id.as_str()), Some("b"));
    assert_eq!(
        s.study.as_ref().and_then(|x| x.name.as_deref()),
        Some("Second")
    );
    assert!(matches!(&fx[0], Effect::LoadPage { filters, .. } if filters.study_id == "b"));
    assert_eq!(fx[1], Effect::LoadStudy { id: "b".into() });
    // S opens it again.
    assert_eq!(update(&mut s, key('S')), vec![Effect::LoadStudies]);
}
