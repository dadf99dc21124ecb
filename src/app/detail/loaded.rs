//! The interviews' details as the browser has them: the last few read
//! (kept for an instant return), those asked for, and those that failed
//! with why.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use crate::api::model::InterviewDetail;
use crate::mirror::MirrorError;

/// How many interview details are kept for instant return.
pub const DETAIL_CACHE: usize = 64;

/// The details read (at most [`DETAIL_CACHE`], the oldest dropped first),
/// the reads out, and the last failure of each.
#[derive(Debug, Clone, Default)]
pub struct Details {
    entries: HashMap<String, Arc<InterviewDetail>>,
    order: VecDeque<String>,
    asked: HashSet<String>,
    failed: HashMap<String, MirrorError>,
}

impl Details {
    pub fn get(&self, id: &str) -> Option<&Arc<InterviewDetail>> {
        self.entries.get(id)
    }

    /// How many are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether `id`'s detail is being read.
    pub fn is_asked(&self, id: &str) -> bool {
        self.asked.contains(id)
    }

    /// Whether any detail is being read.
    pub fn loading(&self) -> bool {
        !self.asked.is_empty()
    }

    /// Why `id`'s last read failed, until it is asked again.
    pub fn error(&self, id: &str) -> Option<&MirrorError> {
        self.failed.get(id)
    }

    /// Asks for `id`'s detail unless it is here (and not `fresh`) or on
    /// its way; says whether a read is to go out.
    pub fn ask(&mut self, id: &str, fresh: bool) -> bool {
        if (!fresh && self.entries.contains_key(id)) || self.asked.contains(id) {
            return false;
        }
        self.failed.remove(id);
        self.asked.insert(id.to_string());
        true
    }

    /// A read answered: the detail is kept, or the failure is.
    pub fn arrived(&mut self, id: String, result: Result<InterviewDetail, MirrorError>) {
        self.asked.remove(&id);
        match result {
            Ok(detail) => {
                self.failed.remove(&id);
                self.insert(detail);
            }
            Err(e) => {
                self.failed.insert(id, e);
            }
        }
    }

    /// Keeps a detail, dropping the oldest beyond [`DETAIL_CACHE`].
    pub fn insert(&mut self, detail: InterviewDetail) {
        let id = detail.interview.id.clone();
        if self.entries.insert(id.clone(), Arc::new(detail)).is_none() {
            self.order.push_back(id);
        }
        while self.order.len() > DETAIL_CACHE {
            if let Some(old) = self.order.pop_front() {
                self.entries.remove(&old);
            }
        }
    }

    /// Drops a kept detail (the interview changed: it is read again).
    pub fn forget(&mut self, id: &str) {
        self.entries.remove(id);
        self.order.retain(|k| k != id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreError;

    fn detail(id: &str) -> InterviewDetail {
        let mut d = InterviewDetail::default();
        d.interview.id = id.into();
        d
    }

    #[test]
    fn a_detail_is_asked_once_kept_and_its_failure_cleared_when_asked_again() {
        let mut d = Details::default();
        assert!(d.ask("a", false));
        assert!(!d.ask("a", false), "on its way: not asked twice");
        assert!(d.loading());
        let refused = MirrorError::Store(StoreError::Refused("disk I/O error".into()));
        d.arrived("a".into(), Err(refused.clone()));
        assert!(!d.loading());
        assert_eq!(d.error("a"), Some(&refused));
        assert!(d.ask("a", false), "a failure is asked again");
        assert_eq!(d.error("a"), None);
        d.arrived("a".into(), Ok(detail("a")));
        assert!(d.get("a").is_some());
        assert!(!d.ask("a", false), "kept: not asked");
        assert!(d.ask("a", true), "fresh: asked even when kept");
    }

    #[test]
    fn the_oldest_detail_is_dropped_beyond_the_cache() {
        let mut d = Details::default();
        for n in 0..=DETAIL_CACHE {
            d.insert(detail(&n.to_string()));
        }
        assert_eq!(d.len(), DETAIL_CACHE);
        assert!(d.get("0").is_none());
        assert!(d.get(&DETAIL_CACHE.to_string()).is_some());
        d.forget("1");
        assert!(d.get("1").is_none());
    }
}
