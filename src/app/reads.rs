//! Numbered reads: the answer to an older read never replaces a newer one.

/// The reads of one thing that may be out at once. They run on the
/// blocking pool beside the writes, so they can answer out of order: a
/// read asked before a change may answer after one asked after it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reads {
    asked: u64,
    shown: u64,
}

impl Reads {
    /// Numbers a new read.
    pub fn ask(&mut self) -> u64 {
        self.asked += 1;
        self.asked
    }

    /// Whether the answer to `read` is newer than the one shown; if it
    /// is, it is the one shown from now on.
    pub fn take(&mut self, read: u64) -> bool {
        let newer = read > self.shown;
        if newer {
            self.shown = read;
        }
        newer
    }
}

#[cfg(test)]
mod tests {
    use super::Reads;

    #[test]
    fn an_answer_older_than_the_one_shown_is_not_taken() {
        let mut r = Reads::default();
        let (first, second) = (r.ask(), r.ask());
        assert!(r.take(second));
        assert!(!r.take(first));
        assert!(!r.take(second), "the same answer twice is not new");
        let third = r.ask();
        assert!(r.take(third));
    }
}
