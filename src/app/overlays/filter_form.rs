//! The filter form (`F`): its fields, and how it reads and sets the
//! list's query.

use crate::api::model::{Quality, Status};
use crate::app::line_edit::LineEdit;

/// The filter form (`F`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterForm {
    /// Which field has the cursor.
    pub field: Field,
    pub status: Option<Status>,
    pub quality: Option<Quality>,
    pub reference: LineEdit,
    pub reviewed: Option<bool>,
    pub starred: bool,
    pub tag: LineEdit,
    /// A language code (`ja`), local to the store.
    pub language: LineEdit,
}

/// The filter form's fields, in the order they are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Field {
    #[default]
    Status,
    Quality,
    Reference,
    Reviewed,
    Starred,
    Tag,
    Language,
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::Status,
        Field::Quality,
        Field::Reference,
        Field::Reviewed,
        Field::Starred,
        Field::Tag,
        Field::Language,
    ];

    fn at(n: usize) -> Field {
        Field::ALL[n % Field::ALL.len()]
    }

    fn index(self) -> usize {
        Field::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }

    /// The field below (the last wraps to the first).
    pub fn next(self) -> Field {
        Field::at(self.index() + 1)
    }

    /// The field above.
    pub fn prev(self) -> Field {
        Field::at(self.index() + Field::ALL.len() - 1)
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Status => "Status",
            Field::Quality => "Quality",
            Field::Reference => "Reference id",
            Field::Reviewed => "Reviewed",
            Field::Starred => "Starred",
            Field::Tag => "Tag",
            Field::Language => "Language",
        }
    }
}

impl FilterForm {
    /// The form as `query` stands, the cursor on the first field.
    pub fn of(query: &crate::app::list::Query) -> FilterForm {
        let text = |t: &Option<String>| LineEdit::new(t.clone().unwrap_or_default());
        FilterForm {
            field: Field::Status,
            status: query.filters.status.clone(),
            quality: query.filters.quality.clone(),
            reference: text(&query.filters.reference_id),
            reviewed: query.marks.reviewed,
            starred: query.marks.starred,
            tag: text(&query.marks.tag),
            language: text(&query.language),
        }
    }

    /// Sets `query`'s filters to the form's; blank fields filter nothing.
    pub fn apply_to(&self, query: &mut crate::app::list::Query) {
        let given = |t: &LineEdit| Some(t.text().trim().to_string()).filter(|t| !t.is_empty());
        query.language = given(&self.language).map(|l| l.to_lowercase());
        query.filters.status = self.status.clone();
        query.filters.quality = self.quality.clone();
        query.filters.reference_id = given(&self.reference);
        query.marks = crate::store::MarkFilters {
            reviewed: self.reviewed,
            starred: self.starred,
            tag: given(&self.tag),
        };
    }

    /// The text field under the cursor, if it is one.
    pub fn text_field(&mut self) -> Option<&mut LineEdit> {
        match self.field {
            Field::Reference => Some(&mut self.reference),
            Field::Tag => Some(&mut self.tag),
            Field::Language => Some(&mut self.language),
            _ => None,
        }
    }

    pub fn on_text_field(&self) -> bool {
        matches!(self.field, Field::Reference | Field::Tag | Field::Language)
    }
}
