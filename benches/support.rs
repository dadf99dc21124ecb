//! Shared set-up for the benchmarks: states with N messages or N rows.
#![allow(dead_code)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use uj::api::model::{Interview, InterviewDetail, Message, Role};
use uj::app::msg::Window;
use uj::app::{Msg, State, update};
use uj::present::TextMode;

pub fn detail(messages: usize) -> InterviewDetail {
    InterviewDetail {
        interview: Interview {
            id: format!("i{messages}"),
            study_id: Some("s".into()),
            language: Some("es".into()),
            headline: Some("Card declined twice with no explanation".into()),
            summary: Some("The respondent liked the one-page checkout but could not see the total with fees.".into()),
            duration_secs: Some(messages as f64 * 6.0),
            ..Interview::default()
        },
        transcript: (0..messages)
            .map(|k| Message {
                role: Some(if k % 2 == 0 { Role::Agent } else { Role::User }),
                message: Some(format!("Mensaje {k}: la semana pasada me rechazaron la tarjeta dos veces sin ninguna explicación y al final pagué con PayPal.")),
                translated: Some(format!("Message {k}: last week my card was rejected twice without any explanation and in the end I paid with PayPal.")),
                time_in_call_secs: Some(k as f64 * 6.0),
                ..Message::default()
            })
            .collect(),
        question_answers: Vec::new(),
    }
}

pub fn rows(n: usize) -> Vec<Interview> {
    let base = detail(0).interview;
    (0..n)
        .map(|k| Interview {
            id: format!("{k:08}"),
            reference_id: Some(format!("cust_{k}")),
            started_at: Some("2026-11-25T12:01:00.000Z".into()),
            ..base.clone()
        })
        .collect()
}

/// A 200×50 browser with `rows` read from the store (one window holds
/// them all) and `detail` open in `mode`.
pub fn state(rows: Vec<Interview>, detail: Option<InterviewDetail>, mode: TextMode) -> State {
    let mut s = State::new(50);
    update(
        &mut s,
        Msg::Resize {
            width: 200,
            height: 50,
        },
    );
    uj::app::update::init(&mut s, Some("s".into()));
    let generation = s.list.generation;
    let first = rows.first().map(|i| i.id.clone());
    let total = rows.len();
    update(
        &mut s,
        Msg::WindowLoaded {
            generation,
            result: Ok(Window {
                start: 0,
                rows,
                total,
                followed: None,
                ..Window::default()
            }),
        },
    );
    if let (Some(mut d), Some(id)) = (detail, first) {
        d.interview.id = id.clone();
        update(&mut s, Msg::DetailLoaded { id, result: Ok(d) });
    }
    s.transcript.mode = mode;
    update(&mut s, Msg::Tick);
    s
}

pub fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(200, 50)).expect("terminal")
}
