//! Following `has_more` / `starting_after` without trusting the server to
//! end: every caller that pages (the CLI's `--all`, the browser) uses this.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;

use super::error::ApiError;
use super::model::{HasId, Page};

/// How many pages one walk may take before it stops on its own.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// Why a walk stopped before the server said it was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkStop {
    /// A page came back empty but claimed more.
    EmptyPageClaimsMore,
    /// A page held only ids already seen.
    NoNewIds,
    /// The next cursor had already been asked for.
    RepeatedCursor,
    /// The walk reached its page cap.
    PageCap(usize),
}

impl fmt::Display for WalkStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self {
            WalkStop::EmptyPageClaimsMore => {
                "the server sent an empty page that claimed more".to_string()
            }
            WalkStop::NoNewIds => "the server sent a page with no new interviews".to_string(),
            WalkStop::RepeatedCursor => {
                "the server's cursor went back to a page already read".to_string()
            }
            WalkStop::PageCap(n) => format!("the list reached the cap of {n} pages"),
        };
        write!(f, "paging stopped early: {why}; what was loaded is shown")
    }
}

/// Where a walk is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkState {
    /// Another page can be asked for with [`CursorWalk::cursor`].
    More,
    /// The server said there is no more.
    Done,
    /// Stopped by a rule; the warning says which.
    Stopped(WalkStop),
}

/// The state of one paged listing: the next cursor, the ids already seen,
/// and the rules that end a walk the server would let run forever.
#[derive(Debug, Clone)]
pub struct CursorWalk {
    seen: HashSet<String>,
    cursors: HashSet<String>,
    cursor: Option<String>,
    pages: usize,
    max_pages: usize,
    state: WalkState,
}

impl Default for CursorWalk {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_PAGES)
    }
}

impl CursorWalk {
    pub fn new(max_pages: usize) -> Self {
        Self {
            seen: HashSet::new(),
            cursors: HashSet::new(),
            cursor: None,
            pages: 0,
            max_pages,
            state: WalkState::More,
        }
    }

    pub fn state(&self) -> &WalkState {
        &self.state
    }

    /// Whether another page may be requested.
    pub fn has_more(&self) -> bool {
        self.state == WalkState::More
    }

    /// The `starting_after` for the next page (`None` for the first).
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// Takes one page: returns its items not seen before, in order, and
    /// moves the walk on (or ends it).
    pub fn accept<T: HasId>(&mut self, page: Page<T>) -> Vec<T> {
        if self.state != WalkState::More {
            return Vec::new();
        }
        self.pages += 1;
        let next_cursor = page.data.last().map(|item| item.id().to_string());
        let was_empty = page.data.is_empty();
        let fresh: Vec<T> = page
            .data
            .into_iter()
            .filter(|item| self.seen.insert(item.id().to_string()))
            .collect();
        self.state = if !page.has_more {
            WalkState::Done
        } else if was_empty {
            WalkState::Stopped(WalkStop::EmptyPageClaimsMore)
        } else if fresh.is_empty() {
            WalkState::Stopped(WalkStop::NoNewIds)
        } else if next_cursor
            .as_ref()
            .is_some_and(|c| self.cursors.contains(c))
        {
            WalkState::Stopped(WalkStop::RepeatedCursor)
        } else if self.pages >= self.max_pages {
            WalkState::Stopped(WalkStop::PageCap(self.max_pages))
        } else {
            WalkState::More
        };
        if let Some(c) = next_cursor {
            self.cursors.insert(c.clone());
            self.cursor = Some(c);
        }
        fresh
    }
}

/// Walks every page with `fetch(cursor)`, giving each new item to `sink` as
/// its page arrives. Returns the warning if a rule stopped the walk.
pub async fn walk<T, F, Fut>(
    walk: &mut CursorWalk,
    mut fetch: F,
    mut sink: impl FnMut(T),
) -> Result<Option<WalkStop>, ApiError>
where
    T: HasId,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, ApiError>>,
{
    while walk.has_more() {
        let page = fetch(walk.cursor().map(str::to_string)).await?;
        walk.accept(page).into_iter().for_each(&mut sink);
    }
    Ok(match walk.state() {
        WalkState::Stopped(why) => Some(why.clone()),
        _ => None,
    })
}

/// Every study of the project, walking pages of 100, and the warning if a
/// stop rule ended the walk early.
pub async fn all_studies(
    source: &dyn super::source::Source,
) -> Result<(Vec<super::model::Study>, Option<WalkStop>), ApiError> {
    let mut studies = Vec::new();
    let mut w = CursorWalk::default();
    let stop = walk(
        &mut w,
        |cursor| async move { source.list_studies(cursor.as_deref(), Some(100)).await },
        |s| studies.push(s),
    )
    .await?;
    Ok((studies, stop))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Item(String);
    impl HasId for Item {
        fn id(&self) -> &str {
            &self.0
        }
    }

    fn page(ids: &[&str], has_more: bool) -> Page<Item> {
        Page {
            data: ids.iter().map(|s| Item(s.to_string())).collect(),
            has_more,
        }
    }

    #[test]
    fn follows_the_cursor_to_the_end() {
        let mut w = CursorWalk::default();
        assert_eq!(w.cursor(), None);
        assert_eq!(w.accept(page(&["a", "b"], true)).len(), 2);
        assert_eq!(w.cursor(), Some("b"));
        assert_eq!(w.accept(page(&["c"], false)), vec![Item("c".into())]);
        assert_eq!(w.state(), &WalkState::Done);
        assert!(
            w.accept(page(&["d"], false)).is_empty(),
            "a done walk takes nothing"
        );
    }

    #[test]
    fn duplicates_across_pages_are_dropped() {
        let mut w = CursorWalk::default();
        w.accept(page(&["a", "b"], true));
        assert_eq!(w.accept(page(&["b", "c"], true)), vec![Item("c".into())]);
        assert!(w.has_more());
    }

    #[test]
    fn empty_page_claiming_more_stops() {
        let mut w = CursorWalk::default();
        w.accept(page(&["a"], true));
        w.accept(page(&[], true));
        assert_eq!(
            w.state(),
            &WalkState::Stopped(WalkStop::EmptyPageClaimsMore)
        );
    }

    #[test]
    fn page_without_new_ids_stops() {
        let mut w = CursorWalk::default();
        w.accept(page(&["a", "b"], true));
        w.accept(page(&["a", "b"], true));
        assert_eq!(w.state(), &WalkState::Stopped(WalkStop::NoNewIds));
    }

    #[test]
    fn repeated_cursor_stops() {
        let mut w = CursorWalk::default();
        w.accept(page(&["a", "b"], true));
        // New id "c" but it ends on "b" again: the next request would repeat.
        assert_eq!(w.accept(page(&["c", "b"], true)), vec![Item("c".into())]);
        assert_eq!(w.state(), &WalkState::Stopped(WalkStop::RepeatedCursor));
    }

    #[test]
    fn page_cap_stops() {
        let mut w = CursorWalk::new(2);
        w.accept(page(&["a"], true));
        w.accept(page(&["b"], true));
        assert_eq!(w.state(), &WalkState::Stopped(WalkStop::PageCap(2)));
        assert!(WalkStop::PageCap(2).to_string().contains("cap of 2 pages"));
    }

    #[tokio::test]
    async fn walk_collects_everything_once() {
        let pages = [
            page(&["a", "b"], true),
            page(&["b", "c"], true),
            page(&["d"], false),
        ];
        let mut pages = pages.into_iter();
        let mut asked = Vec::new();
        let mut got = Vec::new();
        let mut w = CursorWalk::default();
        let warning = walk(
            &mut w,
            |cursor| {
                asked.push(cursor);
                let next = pages.next();
                async move {
                    next.ok_or(ApiError::NotFound {
                        what: "page".into(),
                    })
                }
            },
            |item: Item| got.push(item.0),
        )
        .await
        .expect("walks");
        assert_eq!(warning, None);
        assert_eq!(got, ["a", "b", "c", "d"]);
        assert_eq!(asked, [None, Some("b".into()), Some("c".into())]);
    }
}
