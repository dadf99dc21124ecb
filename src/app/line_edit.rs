//! A one-line text field with a cursor, edited as in a shell: the search
//! prompt, the tags and note prompts and the filter form's text fields all
//! use it. Positions are grapheme boundaries, so a cursor never stands
//! inside an accented letter, an emoji or a CJK character.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_segmentation::UnicodeSegmentation;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    text: String,
    /// Byte offset into `text`, always on a grapheme boundary.
    cursor: usize,
    /// The most characters the field takes; more is refused whole.
    limit: Option<usize>,
    /// Set when the last insertion was refused at the limit.
    refused: bool,
}

impl LineEdit {
    /// A field holding `text`, the cursor at its end.
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let cursor = text.len();
        LineEdit {
            text,
            cursor,
            limit: None,
            refused: false,
        }
    }

    /// The field takes at most `chars` characters: a key or a paste that
    /// would pass it is refused whole, never cut.
    pub fn with_limit(mut self, chars: usize) -> Self {
        self.limit = Some(chars);
        self
    }

    pub fn limit(&self) -> Option<usize> {
        self.limit
    }

    /// Whether an insertion was refused at the limit since the last call.
    pub fn take_refused(&mut self) -> bool {
        std::mem::take(&mut self.refused)
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The text before the cursor (for drawing the cursor after it).
    pub fn before_cursor(&self) -> &str {
        &self.text[..self.cursor]
    }

    pub fn after_cursor(&self) -> &str {
        &self.text[self.cursor..]
    }

    /// Applies an editing key. Returns whether the key was one (the text
    /// or the cursor may be unchanged, as for `←` at the start); the
    /// caller gives every other key its own meaning.
    pub fn key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Left if ctrl || alt => self.cursor = self.word_left(),
            KeyCode::Right if ctrl || alt => self.cursor = self.word_right(),
            KeyCode::Left => self.cursor = self.grapheme_left(),
            KeyCode::Right => self.cursor = self.grapheme_right(),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.text.len(),
            KeyCode::Backspace if ctrl || alt => self.delete_to(self.word_left()),
            KeyCode::Backspace => self.delete_to(self.grapheme_left()),
            KeyCode::Delete => self.delete_to(self.grapheme_right()),
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.text.len(),
            KeyCode::Char('b') if ctrl => self.cursor = self.grapheme_left(),
            KeyCode::Char('f') if ctrl => self.cursor = self.grapheme_right(),
            KeyCode::Char('u') if ctrl => self.delete_to(0),
            KeyCode::Char('k') if ctrl => self.delete_to(self.text.len()),
            KeyCode::Char('w') if ctrl => self.delete_to(self.word_left()),
            KeyCode::Char('h') if ctrl => self.delete_to(self.grapheme_left()),
            KeyCode::Char('d') if ctrl => self.delete_to(self.grapheme_right()),
            KeyCode::Char('b') if alt => self.cursor = self.word_left(),
            KeyCode::Char('f') if alt => self.cursor = self.word_right(),
            KeyCode::Char('d') if alt => self.delete_to(self.word_right()),
            KeyCode::Char(c) if !ctrl && !alt && !c.is_control() => self.insert(&c.to_string()),
            _ => return false,
        }
        true
    }

    /// Inserts pasted text at the cursor: line breaks and tabs become
    /// spaces, and control characters (escape sequences among them) and
    /// bidi overrides are dropped, so a paste can neither run a command
    /// nor reach the terminal raw.
    pub fn paste(&mut self, pasted: &str) {
        let clean: String = pasted
            .replace("\r\n", "\n")
            .chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' => Some(' '),
                c if c.is_control() || is_bidi_control(c) => None,
                c => Some(c),
            })
            .collect();
        self.insert(&clean);
    }

    /// Replaces the `len` bytes before the cursor with `with` (a completed
    /// word), the cursor after it.
    pub fn replace_before_cursor(&mut self, len: usize, with: &str) {
        let start = self.cursor.saturating_sub(len);
        if !self.text.is_char_boundary(start) {
            return;
        }
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
        self.insert(with);
    }

    fn insert(&mut self, s: &str) {
        if let Some(limit) = self.limit
            && self.text.chars().count() + s.chars().count() > limit
        {
            self.refused = true;
            return;
        }
        self.text.insert_str(self.cursor, s);
        self.cursor += s.len();
        // An inserted combining mark may join the grapheme before it.
        self.cursor = self.snap(self.cursor);
    }

    /// Deletes between the cursor and `to` (either side) and puts the
    /// cursor where the deleted text was.
    fn delete_to(&mut self, to: usize) {
        let (a, b) = if to < self.cursor {
            (to, self.cursor)
        } else {
            (self.cursor, to)
        };
        self.text.replace_range(a..b, "");
        self.cursor = a;
    }

    fn grapheme_left(&self) -> usize {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn grapheme_right(&self) -> usize {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(self.cursor, |g| self.cursor + g.len())
    }

    /// The start of the word before the cursor (skipping spaces first).
    fn word_left(&self) -> usize {
        self.text[..self.cursor]
            .split_word_bound_indices()
            .rev()
            .find(|(_, w)| !w.trim().is_empty())
            .map_or(0, |(i, _)| i)
    }

    /// The end of the word after the cursor (skipping spaces first).
    fn word_right(&self) -> usize {
        self.text[self.cursor..]
            .split_word_bound_indices()
            .find(|(_, w)| !w.trim().is_empty())
            .map_or(self.text.len(), |(i, w)| self.cursor + i + w.len())
    }

    /// The grapheme boundary at or after `at`.
    fn snap(&self, at: usize) -> usize {
        self.text
            .grapheme_indices(true)
            .map(|(i, _)| i)
            .chain(std::iter::once(self.text.len()))
            .find(|&i| i >= at)
            .unwrap_or(self.text.len())
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(field: &mut LineEdit, code: KeyCode, modifiers: KeyModifiers) -> bool {
        field.key(KeyEvent::new(code, modifiers))
    }

    fn plain(field: &mut LineEdit, code: KeyCode) {
        assert!(press(field, code, KeyModifiers::NONE));
    }

    fn ctrl(field: &mut LineEdit, c: char) {
        assert!(press(field, KeyCode::Char(c), KeyModifiers::CONTROL));
    }

    fn alt(field: &mut LineEdit, c: char) {
        assert!(press(field, KeyCode::Char(c), KeyModifiers::ALT));
    }

    fn typed(s: &str) -> LineEdit {
        let mut f = LineEdit::default();
        for c in s.chars() {
            plain(&mut f, KeyCode::Char(c));
        }
        f
    }

    #[test]
    fn typing_inserts_at_the_cursor() {
        let mut f = typed("delivry");
        for _ in 0..2 {
            plain(&mut f, KeyCode::Left);
        }
        plain(&mut f, KeyCode::Char('e'));
        assert_eq!(f.text(), "delivery");
        assert_eq!(f.before_cursor(), "delive");
    }

    #[test]
    fn home_end_and_emacs_keys_move() {
        let mut f = typed("late fee");
        plain(&mut f, KeyCode::Home);
        assert_eq!(f.before_cursor(), "");
        plain(&mut f, KeyCode::End);
        assert_eq!(f.before_cursor(), "late fee");
        ctrl(&mut f, 'a');
        assert_eq!(f.before_cursor(), "");
        ctrl(&mut f, 'e');
        assert_eq!(f.before_cursor(), "late fee");
        plain(&mut f, KeyCode::Right);
        assert_eq!(f.before_cursor(), "late fee", "stops at the end");
    }

    #[test]
    fn words_move_and_delete() {
        let mut f = typed("the delivery  fee");
        alt(&mut f, 'b');
        assert_eq!(f.before_cursor(), "the delivery  ");
        alt(&mut f, 'b');
        assert_eq!(f.before_cursor(), "the ");
        alt(&mut f, 'f');
        assert_eq!(f.before_cursor(), "the delivery");
        ctrl(&mut f, 'w');
        assert_eq!(f.text(), "the   fee");
        assert_eq!(f.before_cursor(), "the ");
        ctrl(&mut f, 'u');
        assert_eq!(f.text(), "  fee");
        assert_eq!(f.before_cursor(), "");
        ctrl(&mut f, 'k');
        assert_eq!(f.text(), "");
    }

    #[test]
    fn graphemes_are_never_split() {
        // e + combining acute, a family emoji, and CJK.
        let mut f = typed("cafe\u{301}👨‍👩‍👧送料");
        plain(&mut f, KeyCode::Backspace);
        assert_eq!(f.text(), "cafe\u{301}👨‍👩‍👧送");
        plain(&mut f, KeyCode::Left);
        assert_eq!(f.before_cursor(), "cafe\u{301}👨‍👩‍👧");
        plain(&mut f, KeyCode::Left);
        assert_eq!(f.before_cursor(), "cafe\u{301}");
        plain(&mut f, KeyCode::Backspace);
        assert_eq!(f.text(), "caf👨‍👩‍👧送");
        plain(&mut f, KeyCode::Delete);
        assert_eq!(f.text(), "caf送");
    }

    #[test]
    fn other_keys_are_left_to_the_caller() {
        let mut f = typed("x");
        assert!(!press(&mut f, KeyCode::Enter, KeyModifiers::NONE));
        assert!(!press(&mut f, KeyCode::Esc, KeyModifiers::NONE));
        assert!(!press(&mut f, KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert!(!press(&mut f, KeyCode::Tab, KeyModifiers::NONE));
        assert_eq!(f.text(), "x");
    }

    #[test]
    fn a_paste_is_one_clean_line() {
        let mut f = typed("[]");
        plain(&mut f, KeyCode::Left);
        f.paste("late\r\nfee\t\u{1b}[2J\u{9b}31m\u{202E}x\u{7}");
        assert_eq!(f.text(), "[late fee [2J31mx]");
        assert_eq!(f.before_cursor(), "[late fee [2J31mx");
    }
}
