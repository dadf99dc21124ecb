use crate::app::state::Network;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::app::State;
use crate::app::keymap::{Action, Context};
use crate::app::state::{Level, Overlay, Pane};
use crate::text::{count, display_line, sanitize_line, truncate_to_width, width};

const SPINNER: [char; 8] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧'];

/// What the list holds, as far as it is known: "263 interviews" once the
/// study is stored whole; while it syncs "120 loaded of 237", and under a
/// filter "12 so far · 120/237 loaded".
pub fn count_text(state: &State) -> String {
    let n = state.list.window.total;
    if !state.list.loaded && n == 0 {
        return "…".into();
    }
    let whole = state.sync.complete
        || (!state.sync.running && state.sync.ephemeral && state.sync.error.is_none());
    if whole {
        return count(n as u64, "interview", "interviews");
    }
    let total = state.study.as_ref().and_then(|s| s.total);
    let loaded = state.list.window.stored;
    match (
        state.list.query.has_filters() || state.list.query.question.is_some(),
        total,
    ) {
        (false, Some(total)) => format!("{n} loaded of {total}"),
        (false, None) => format!("{n} loaded"),
        (true, Some(total)) => format!("{n} so far · {loaded}/{total} loaded"),
        (true, None) => format!("{n} so far · {loaded} loaded"),
    }
}

/// "syncing 120/263", "synced 14:02", "offline · synced 14:02": where the
/// mirroring stands (empty for the demo and snapshots once loaded).
pub fn sync_text(state: &State) -> String {
    let sync = &state.sync;
    let when = sync
        .last_synced
        .as_deref()
        .map(|t| display_line(&crate::text::short_datetime(t, state.this_year)));
    if sync.running {
        let listed = match sync.expected {
            Some(m) => format!("syncing {}/{m}", sync.listed),
            None => format!("syncing {}", sync.listed),
        };
        // Transcripts against what the walk found: a denominator that
        // only grows as the list does.
        return match sync.fetching {
            Some((stored, found)) if found > 0 => {
                format!("{listed} · transcripts {stored}/{found}")
            }
            _ => listed,
        };
    }
    // `synced` only when every transcript of the list is stored.
    let missing = sync
        .transcripts
        .filter(|(t, n)| t < n && !sync.ephemeral)
        .map(|(t, n)| format!("{t}/{n} transcripts stored"));
    if sync.offline() {
        return match (missing, when) {
            (Some(m), _) if sync.network != Network::Off => format!(
                "offline · {m} · {} retries",
                state.keys.pane_key(&Action::SyncAgain)
            ),
            (Some(m), _) => format!("offline · {m}"),
            (None, Some(w)) => format!("offline · synced {w}"),
            (None, None) => "offline · not synced".into(),
        };
    }
    match (missing, when) {
        (Some(m), _) => m,
        (None, Some(w)) if !sync.ephemeral => format!("synced {w}"),
        _ => String::new(),
    }
}

/// The filters in force, as the top bar and the overview name them.
pub fn filters_text(state: &State) -> String {
    let f = &state.list.query.filters;
    let mut filters = vec![
        format!(
            "status: {}",
            f.status.as_ref().map_or("all", |s| s.as_str())
        ),
        format!(
            "quality: {}",
            f.quality.as_ref().map_or("any", |q| q.as_str())
        ),
    ];
    if let Some(r) = &f.reference_id {
        filters.push(format!("ref: {}", sanitize_line(r)));
    }
    let m = &state.list.query.marks;
    match m.reviewed {
        Some(true) => filters.push("reviewed".into()),
        Some(false) => filters.push("not reviewed".into()),
        None => {}
    }
    if m.starred {
        filters.push("starred".into());
    }
    if let Some(t) = &m.tag {
        filters.push(format!("tag: {}", sanitize_line(t)));
    }
    if let Some(l) = &state.list.query.language {
        filters.push(format!("lang: {}", sanitize_line(l)));
    }
    if state.list.query.order != crate::store::Order::Newest {
        filters.push(format!("order: {}", state.list.query.order.name()));
    }
    if let Some(q) = &state.list.query.search {
        // As read: `quality:insightful · lang:ja · "delivery fee"`; a view
        // by its name.
        let mut text = match &state.view {
            Some(name) => format!("view: {}", sanitize_line(name)),
            None => format!("search: {}", crate::store::query::parse(q).shown),
        };
        // Until every transcript is stored, say how many were searched:
        // the transcripts, which hold what a search finds.
        let searched = state
            .sync
            .fetching
            .filter(|_| state.sync.running)
            .or(state.sync.transcripts)
            .map(|(stored, _)| stored);
        if let (Some(done), Some(all)) = (searched, state.study.as_ref().and_then(|s| s.total))
            && done < all
        {
            text.push_str(&format!(" · searched {done} of {all}"));
        }
        filters.push(text);
    }
    if let Some(q) = state.list.query.question {
        filters.push(format!("question {}", q + 1));
    }
    filters.join(" · ")
}

/// The top bar's parts, each with the text it shows when there is room.
#[derive(Debug, Default, Clone, PartialEq)]
struct TopParts {
    study: String,
    filters: String,
    count: String,
    sync: String,
    label: String,
    triage: String,
}

impl TopParts {
    fn in_order(&self) -> [&String; 6] {
        [
            &self.study,
            &self.filters,
            &self.count,
            &self.sync,
            &self.label,
            &self.triage,
        ]
    }

    /// Columns the bar takes: ` uj │ a │ b` with the mark, ` a │ b`
    /// without; empty parts are left out.
    fn width(&self, brand: bool) -> usize {
        let shown: Vec<usize> = self
            .in_order()
            .iter()
            .filter(|t| !t.is_empty())
            .map(|t| width(t))
            .collect();
        let seps = 3 * shown.len().saturating_sub(1);
        let lead = if brand { 6 } else { 1 }; // " uj │ " or " "
        lead + seps + shown.iter().sum::<usize>()
    }
}

/// Fits the parts into `cols` columns; says whether the `uj` mark stays.
/// When they do not fit, the least needed give way first: the study name
/// shrinks (to 12 columns), then the data label, the triage counts and
/// the sync state go, then the study name and the `uj` mark; last the
/// filters are cut with `…`. The count and the filters outlive the rest.
fn fit_top(mut p: TopParts, cols: usize) -> (bool, TopParts) {
    const STUDY_MIN: usize = 12;
    if p.width(true) <= cols {
        return (true, p);
    }
    let full = p.study.clone();
    // The study's name cut to the room the others leave, if that is enough.
    let shrink = |p: &mut TopParts| {
        p.study.clear();
        let room = cols.saturating_sub(p.width(true) + 3);
        if room >= STUDY_MIN.min(width(&full)) {
            p.study = truncate_to_width(&full, room).into_owned();
            true
        } else {
            false
        }
    };
    let drops: [fn(&mut TopParts); 4] = [
        |_| {},
        |p| p.label.clear(),
        |p| p.triage.clear(),
        |p| p.sync.clear(),
    ];
    for drop in drops {
        drop(&mut p);
        if shrink(&mut p) {
            return (true, p);
        }
    }
    if p.width(true) <= cols {
        return (true, p);
    }
    if p.width(false) <= cols {
        return (false, p);
    }
    // The filters get what the count leaves.
    let room = cols.saturating_sub(1 + width(&p.count) + 3);
    p.filters = truncate_to_width(&p.filters, room).into_owned();
    if p.filters.is_empty() {
        p.count = truncate_to_width(&p.count, cols.saturating_sub(1)).into_owned();
    }
    (false, p)
}

pub fn top(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let study = state.study.as_ref().map_or_else(
        || "no study open".to_string(),
        |s| {
            s.name
                .as_deref()
                .map_or_else(|| display_line(&s.id), display_line)
        },
    );
    // Triage progress, once triage has begun.
    let mut triage = String::new();
    if state.list.window.reviewed > 0 || state.list.window.starred > 0 {
        triage = match state.study.as_ref().and_then(|s| s.total) {
            Some(t) => format!("reviewed {} of {t}", state.list.window.reviewed),
            None => format!("reviewed {}", state.list.window.reviewed),
        };
        if state.list.window.starred > 0 {
            triage.push_str(&format!(" · starred {}", state.list.window.starred));
        }
    }
    let parts = TopParts {
        study,
        filters: filters_text(state),
        count: count_text(state),
        sync: sync_text(state),
        // The data's origin: the demo, a snapshot, or the profile in force.
        label: match (&state.offline_label, &state.profile) {
            (Some(l), _) => display_line(l),
            (None, Some(p)) => format!("profile: {}", display_line(p)),
            (None, None) => String::new(),
        },
        triage,
    };
    let (brand, p) = fit_top(parts, usize::from(area.width));
    let mut spans = Vec::new();
    if brand {
        spans.push(Span::styled(" uj ", theme.bold()));
    } else {
        spans.push(Span::raw(" "));
    }
    let mut first = true;
    let mut part = |text: String, style: ratatui::style::Style| {
        if text.is_empty() {
            return;
        }
        match (first, brand) {
            (true, true) => spans.push(Span::raw("│ ")),
            (true, false) => {}
            (false, _) => spans.push(Span::raw(" │ ")),
        }
        first = false;
        spans.push(Span::styled(text, style));
    };
    part(p.study, theme.bold());
    part(p.filters, ratatui::style::Style::new());
    part(p.count, ratatui::style::Style::new());
    part(p.sync, ratatui::style::Style::new());
    part(p.label, ratatui::style::Style::new());
    part(p.triage, ratatui::style::Style::new());
    let mut lines = vec![Line::from(spans).style(theme.bar())];
    if state.demo_banner {
        lines.push(
            Line::from(" Demo data (no API key set). To browse your studies: export USERJOURNEYS_API_KEY=uj_live_… or set api_key_command in ~/.config/uj/config.toml")
                .style(theme.banner()),
        );
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The note prompt's label, counting the characters once the note nears
/// its limit.
fn note_label(field: &crate::app::line_edit::LineEdit) -> String {
    let Some(limit) = field.limit() else {
        return "note:".into();
    };
    let used = field.text().chars().count();
    if used + 1000 < limit {
        return "note:".into();
    }
    format!(
        "note ({}/{}):",
        crate::text::grouped(used),
        crate::text::grouped(limit)
    )
}

/// The hints of where the user is; the study picker offers no close when
/// no study is open behind it.
fn hints_in_force(state: &State) -> String {
    let place = hint_context(state);
    if place == crate::app::keymap::Context::StudyPicker && state.study.is_none() {
        return state
            .keys
            .hint_line_without(place, &[crate::app::keymap::Action::CloseOverlay]);
    }
    state.keys.hint_line(place)
}

pub fn bottom(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let cols = area.width as usize;
    let right = activity(state);
    let room = cols.saturating_sub(width(&right));
    let left: Line = if let Some(p) = &state.prompt {
        prompt_line(state, p, room)
    } else if let Some(search) = state.search.as_ref().filter(|s| s.editing) {
        search_field_line(state, search, room)
    } else if let Some(n) = &state.notice {
        notice_line(n, room, theme)
    } else if let Some(search) = state
        .search
        .as_ref()
        .filter(|s| !s.query.is_empty() && state.overlay == Overlay::None)
    {
        // A search in force, unless an overlay is open: its keys are the
        // ones in force then.
        if search.pane == Pane::List {
            list_search_line(state, search)
        } else {
            find_line(state, search)
        }
    } else {
        Line::from(Span::styled(
            fit_hint(&hints_in_force(state), room),
            theme.dim(),
        ))
    };
    let left = Line::from(
        left.spans
            .into_iter()
            .map(|s| {
                let style = s.style;
                Span::styled(truncate_to_width(&s.content, room).into_owned(), style)
            })
            .collect::<Vec<_>>(),
    );
    frame.render_widget(Paragraph::new(left), area);
    if !right.is_empty() {
        let w = width(&right) as u16;
        let r = Rect::new(
            area.x + area.width.saturating_sub(w),
            area.y,
            w.min(area.width),
            1,
        );
        frame.render_widget(Paragraph::new(right).style(theme.bold()), r);
    }
}

/// The spinner and what it waits for, while something loads.
fn activity(state: &State) -> String {
    if !state.is_loading() {
        return String::new();
    }
    // A sync alone is background work: say so, not "loading".
    let what = if state.list.in_flight.is_none() && !state.details.loading() {
        "syncing…"
    } else {
        "loading…"
    };
    format!(" {} {what} ", SPINNER[state.spinner % SPINNER.len()])
}

/// A prompt being typed: its label, the field, and the keys that end it.
fn prompt_line(state: &State, p: &crate::app::state::Prompt, room: usize) -> Line<'static> {
    let label = match &p.kind {
        crate::app::state::PromptKind::Tags => "tags (+add -remove):".to_string(),
        crate::app::state::PromptKind::Note => note_label(&p.text),
        crate::app::state::PromptKind::Coding(c) => c.label().to_string(),
        crate::app::state::PromptKind::SaveView(_) => "save as the view named:".to_string(),
        crate::app::state::PromptKind::BulkTags(n) => format!(
            "tags for all {} of the list (+add -remove):",
            crate::text::count(*n, "interview", "interviews")
        ),
    };
    let label = label.as_str();
    // A refusal at the field's limit shows where the keys' help was.
    let help = match &state.notice {
        Some(n) if n.level == Level::Warn => format!("  ⚠ {}", sanitize_line(&n.text)),
        _ => format!(
            "  {} saves · {} cancels",
            state.keys.key(Context::TextField, &Action::SubmitText),
            state.keys.key(Context::TextField, &Action::CancelText)
        ),
    };
    let help = help.as_str();
    let room = room.saturating_sub(width(label) + 1 + width(help));
    Line::from(format!(
        "{label} {}{help}",
        super::field_text(&p.text, room)
    ))
}

/// The search being typed, with how much it finds.
fn search_field_line(
    state: &State,
    search: &crate::app::state::Search,
    room: usize,
) -> Line<'static> {
    let found = if search.query.is_empty() {
        String::new()
    } else if search.pane == Pane::List {
        let n = state.list.window.total;
        format!("  ({})", count(n as u64, "interview", "interviews"))
    } else {
        let n = search.matches.len();
        format!("  ({})", count(n as u64, "match", "matches"))
    };
    let room = room.saturating_sub(1 + width(&found));
    Line::from(format!(
        "/{}{found}",
        super::field_text(&search.query, room)
    ))
}

fn notice_line(n: &crate::app::state::Notice, room: usize, theme: &Theme) -> Line<'static> {
    let mark = match n.level {
        Level::Info => "",
        Level::Warn => "⚠ ",
        Level::Error => "✗ ",
    };
    Line::from(Span::styled(
        truncate_to_width(&format!("{mark}{}", sanitize_line(&n.text)), room).into_owned(),
        theme.level(n.level),
    ))
}

/// The list's search in force: what it found and the keys that walk it.
fn list_search_line(state: &State, search: &crate::app::state::Search) -> Line<'static> {
    let n = state.list.window.total;
    let k = &state.keys;
    Line::from(format!(
        "/{}  {} found  {}/{} next/previous  {} shows all",
        sanitize_line(search.query.text()),
        count(n as u64, "interview", "interviews"),
        k.key(Context::List, &Action::NextMatch),
        k.key(Context::List, &Action::PrevMatch),
        k.key(Context::List, &Action::ShowWholeList)
    ))
}

/// A find in the transcript or the answers: where in its matches.
fn find_line(state: &State, search: &crate::app::state::Search) -> Line<'static> {
    let q = sanitize_line(search.query.text());
    let k = &state.keys;
    let place = if search.pane == Pane::Answers {
        Context::Answers
    } else {
        Context::Transcript
    };
    let clear = k.key(place, &Action::ClearFind);
    Line::from(if search.matches.is_empty() {
        format!("/{q}  no match  {clear} clears")
    } else {
        format!(
            "/{q}  match {} of {}  {}/{} next/previous  {clear} clears",
            search.current + 1,
            search.matches.len(),
            k.key(place, &Action::NextMatch),
            k.key(place, &Action::PrevMatch)
        )
    })
}

pub fn tabs(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let third = (area.width / 3) as usize;
    let spans: Vec<Span> = Pane::ALL
        .iter()
        .map(|p| {
            let label = format!(
                "{:^third$}",
                if *p == state.focus {
                    format!("[{}]", p.title())
                } else {
                    p.title().to_string()
                }
            );
            if *p == state.focus {
                Span::styled(label, theme.selected())
            } else {
                Span::styled(label, theme.dim())
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The key hints that fit in `room` columns: the pane's own keys drop from
/// the end first, so `? help` and `q quit` stay at every width.
fn fit_hint(hint: &str, room: usize) -> String {
    const TAIL: [&str; 2] = ["? help", "q quit"];
    if width(hint) <= room {
        return hint.to_string();
    }
    let (tail, own): (Vec<&str>, Vec<&str>) =
        hint.split("  ").partition(|item| TAIL.contains(item));
    for keep in (0..own.len()).rev() {
        let line = own[..keep]
            .iter()
            .chain(tail.iter())
            .copied()
            .collect::<Vec<_>>()
            .join("  ");
        if width(&line) <= room {
            return line;
        }
    }
    truncate_to_width(&tail.join("  "), room).into_owned()
}

#[cfg(test)]
mod tests {
    use super::fit_hint;

    #[test]
    fn help_and_quit_outlive_the_other_hints() {
        let hint = "j/k move  Enter open  F filter  ? help  q quit";
        assert_eq!(fit_hint(hint, 80), hint);
        assert_eq!(fit_hint(hint, 36), "j/k move  Enter open  ? help  q quit");
        assert_eq!(fit_hint(hint, 35), "j/k move  ? help  q quit");
        assert_eq!(fit_hint(hint, 26), "j/k move  ? help  q quit");
        assert_eq!(fit_hint(hint, 14), "? help  q quit");
        assert_eq!(fit_hint(hint, 8), "? help …");
    }
}

#[cfg(test)]
mod count_tests {
    use super::count_text;
    use crate::app::State;
    use crate::app::state::StudyInfo;

    fn syncing(total: usize, stored: u64) -> State {
        let mut s = State::new(50);
        s.study = Some(StudyInfo {
            id: "s".into(),
            name: None,
            total: Some(263),
        });
        s.list.loaded = true;
        s.list.window.total = total;
        s.list.window.stored = stored;
        s.sync.running = true;
        s
    }

    #[test]
    fn a_filtered_list_says_what_is_known_so_far() {
        assert_eq!(count_text(&syncing(120, 120)), "120 loaded of 263");
        let mut s = syncing(12, 120);
        s.list.query.filters.quality = Some(crate::api::model::Quality::Insightful);
        assert_eq!(count_text(&s), "12 so far · 120/263 loaded");
        s.study.as_mut().expect("study").total = None;
        assert_eq!(count_text(&s), "12 so far · 120 loaded");
        // The walk ended: the filtered count is the whole answer.
        s.sync.running = false;
        s.sync.complete = true;
        assert_eq!(count_text(&s), "12 interviews");
        s.list.window.total = 1;
        assert_eq!(count_text(&s), "1 interview");
    }
}

#[cfg(test)]
mod top_tests {
    use super::{TopParts, fit_top};
    use crate::text::width;

    fn parts() -> TopParts {
        TopParts {
            study: "Checkout and payment experience".into(),
            filters: "status: completed · quality: insightful".into(),
            count: "12 so far · 120/263 loaded".into(),
            sync: "syncing 120/263".into(),
            label: "demo".into(),
            triage: "reviewed 3 of 263".into(),
        }
    }

    #[test]
    fn the_count_and_filters_outlive_the_rest() {
        let all = parts();
        let full = all.width(true);
        for cols in (20..=full + 5).rev() {
            let (brand, p) = fit_top(all.clone(), cols);
            assert!(p.width(brand) <= cols, "{cols}: {p:?}");
            if cols > width(&all.count) {
                assert_eq!(p.count, all.count, "{cols}: the count stays whole");
            }
            if cols >= 1 + width(&all.count) + 3 + width(&all.filters) {
                assert_eq!(p.filters, all.filters, "{cols}: the filters stay whole");
            }
            // The study name gives way before anything else goes.
            if !p.label.is_empty() {
                assert!(p.study == all.study || cols < full, "{cols}");
            }
            if p.study != all.study && !p.study.is_empty() {
                assert!(p.study.ends_with('…'), "{cols}: {p:?}");
                assert!(width(&p.study) >= 12);
            }
        }
        // At 90 columns: the study's name is cut, count and filters whole.
        let (_, p) = fit_top(parts(), 90);
        assert!(p.study.is_empty() || p.study.ends_with('…'));
        assert_eq!(
            (p.filters.as_str(), p.count.as_str()),
            (all.filters.as_str(), all.count.as_str())
        );
        // Narrower than the count and filters: the filters are cut with `…`.
        let (brand, p) = fit_top(parts(), 50);
        assert!(
            !brand && p.filters.ends_with('…') && p.count == all.count,
            "{p:?}"
        );
    }
}

/// Whose hints the bottom bar shows: the overlay's, the overview's when
/// it has the keys, else the focused pane's. (A text field shows itself.)
fn hint_context(state: &State) -> Context {
    crate::app::contexts(state)
        .into_iter()
        .find(|c| *c != Context::TextField)
        .unwrap_or(Context::List)
}
