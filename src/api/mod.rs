//! Talking to the data: the API's model, the [`Source`] trait and its two
//! implementations, and the paging rules. Nothing here knows about the UI.

pub mod error;
pub mod http;
pub mod key;
pub mod model;
pub mod retry;
pub mod snapshot;
pub mod source;
pub mod walk;

pub use error::ApiError;
pub use http::{HttpOptions, HttpSource};
pub use key::ApiKey;
pub use snapshot::SnapshotSource;
pub use source::{InterviewFilters, SharedSource, Source};
