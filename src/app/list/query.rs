//! What the list asks of the store: the filters, the search typed at `/`,
//! the question, the language and the order.

use crate::api::InterviewFilters;
use crate::api::model::Status;
use crate::store::{ListQuery, MarkFilters, Order};

/// The list's query as the user set it. A new value takes effect through
/// `list::new_query`, which reads the list again.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// The API's filters (status, quality, reference id) and the study.
    pub filters: InterviewFilters,
    /// Filters by the user's marks (reviewed, starred, tag).
    pub marks: MarkFilters,
    /// The query language typed at `/` in the list: its plain words
    /// search the text, its field terms filter.
    pub search: Option<String>,
    /// The question whose answers the list shows (`Q`), 0-based.
    pub question: Option<usize>,
    /// The language filter (`L`), local to the store.
    pub language: Option<String>,
    /// The list's order (`O`).
    pub order: Order,
}

impl Query {
    /// Clears the status, quality, reference, marks and language filters;
    /// the study, the search, the question and the order stay.
    pub fn clear_filters(&mut self) {
        self.filters = InterviewFilters::for_study(self.filters.study_id.clone());
        self.marks = MarkFilters::default();
        self.language = None;
    }

    /// The next of `languages` to filter by; after the last, none.
    pub fn next_language(&mut self, languages: &[String]) {
        self.language = match self.language.as_ref() {
            None => languages.first().cloned(),
            Some(now) => languages
                .iter()
                .position(|l| l == now)
                .and_then(|i| languages.get(i + 1))
                .cloned(),
        };
    }

    /// The next known status to filter by; after the last, none.
    pub fn next_status(&mut self) {
        let known = Status::KNOWN;
        let now = self.filters.status.as_ref();
        self.filters.status = match now.and_then(|s| known.iter().position(|k| k == s)) {
            None => known.first().cloned(),
            Some(i) => known.get(i + 1).cloned(),
        };
    }

    /// Whether any filter narrows the study's interviews.
    pub fn has_filters(&self) -> bool {
        self.filters.status.is_some()
            || self.filters.quality.is_some()
            || self.filters.reference_id.is_some()
            || !self.marks.is_empty()
            || self.search.is_some()
            || self.language.is_some()
    }

    /// The plain words and phrases of the search (what a transcript finds
    /// and highlights), without its field terms.
    pub fn search_words(&self) -> Option<String> {
        let parsed = crate::store::query::parse(self.search.as_deref()?);
        (!parsed.text.trim().is_empty()).then_some(parsed.text)
    }

    /// The query as the store reads it.
    pub fn to_store(&self) -> ListQuery {
        let parsed = self
            .search
            .as_deref()
            .map(crate::store::query::parse)
            .unwrap_or_default();
        ListQuery {
            filters: self.filters.clone(),
            marks: self.marks.clone(),
            search: (!parsed.text.trim().is_empty()).then_some(parsed.text),
            question: self.question,
            materialized: false,
            language: self.language.clone(),
            order: self.order,
            filter: parsed.filter,
        }
    }

    /// The filters and the search as one line of the query language (what
    /// a saved view holds).
    pub fn to_text(&self) -> String {
        let mut terms = Vec::new();
        if let Some(s) = &self.filters.status {
            terms.push(format!("status:{}", s.as_str()));
        }
        if let Some(q) = &self.filters.quality {
            terms.push(format!("quality:{}", q.as_str()));
        }
        if let Some(r) = &self.filters.reference_id {
            terms.push(format!("ref:{r}"));
        }
        match self.marks.reviewed {
            Some(true) => terms.push("is:reviewed".into()),
            Some(false) => terms.push("is:unreviewed".into()),
            None => {}
        }
        if self.marks.starred {
            terms.push("is:starred".into());
        }
        if let Some(t) = &self.marks.tag {
            terms.push(if t.contains(' ') {
                format!("tag:\"{t}\"")
            } else {
                format!("tag:{t}")
            });
        }
        if let Some(l) = &self.language {
            terms.push(format!("lang:{l}"));
        }
        if let Some(s) = &self.search {
            terms.push(s.clone());
        }
        terms.join(" ")
    }
}
