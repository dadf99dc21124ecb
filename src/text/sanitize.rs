use std::borrow::Cow;

/// Spaces a tab becomes: tab stops depend on the column the text lands in,
/// which we do not know here, so a fixed width keeps wrapping predictable.
const TAB: &str = "    ";

/// Shown instead of a C1 control (there is no control picture for them).
const C1_PLACEHOLDER: char = '\u{FFFD}';

/// Makes untrusted text safe to print on a terminal.
///
/// - newline is kept; `\r\n` becomes `\n` and a lone `\r` becomes `\n`, so a
///   carriage return can never move the cursor back to overwrite a line;
/// - a tab becomes four spaces;
/// - every other C0 control and DEL becomes its visible control picture
///   (`ESC` → `␛`), every C1 control becomes `�`, so an escape sequence is
///   shown, never obeyed;
/// - bidirectional embedding, override and isolate controls are removed, so
///   text cannot reorder what is drawn after it.
///
/// Clean text (the common case) is returned borrowed, without a copy.
/// The function is idempotent.
pub fn sanitize(input: &str) -> Cow<'_, str> {
    if !input.chars().any(needs_work) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len() + 8);
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\t' => out.push_str(TAB),
            '\u{0}'..='\u{1f}' => {
                // The Control Pictures block mirrors C0 at U+2400.
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or(C1_PLACEHOLDER));
            }
            '\u{7f}' => out.push('\u{2421}'),
            '\u{80}'..='\u{9f}' => out.push(C1_PLACEHOLDER),
            c if is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`sanitize`], then newlines folded to spaces: for one-line cells such as
/// a list row or a headline in a table.
pub fn sanitize_line(input: &str) -> Cow<'_, str> {
    match sanitize(input) {
        Cow::Borrowed(s) if !s.contains('\n') => Cow::Borrowed(s),
        other => Cow::Owned(other.replace('\n', " ")),
    }
}

fn needs_work(c: char) -> bool {
    (c.is_control() && c != '\n') || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn is_forbidden(c: char) -> bool {
        (c.is_control() && c != '\n') || is_bidi_control(c)
    }

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(sanitize("a\u{1b}[2Jb"), "a␛[2Jb");
        assert_eq!(sanitize("\u{1b}]52;c;aGk=\u{7}"), "␛]52;c;aGk=␇");
        assert_eq!(sanitize("x\u{9b}31m"), "x\u{FFFD}31m");
        assert_eq!(sanitize("del\u{7f}"), "del␡");
    }

    #[test]
    fn carriage_return_never_overwrites() {
        assert_eq!(sanitize("paid\rFREE"), "paid\nFREE");
        assert_eq!(sanitize("a\r\nb"), "a\nb");
    }

    #[test]
    fn tabs_become_spaces_and_bidi_controls_vanish() {
        assert_eq!(sanitize("a\tb"), "a    b");
        assert_eq!(
            sanitize("abc\u{202E}fdp.exe\u{2066}x\u{2069}"),
            "abcfdp.exex"
        );
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(sanitize("hello\nworld"), Cow::Borrowed(_)));
    }

    #[test]
    fn line_variant_folds_newlines() {
        assert_eq!(sanitize_line("a\nb\rc"), "a b c");
    }

    #[test]
    fn ordinary_text_passes_unchanged() {
        for s in [
            "購入手続きが分かりにくかったです。",
            "👩‍👩‍👧‍👦 family 🏳️‍🌈",
            "e\u{301}te\u{301} n\u{303}",
            "كانت عملية الدفع سهلة جداً",
            "שלום עולם",
            "Größe über Äpfel",
        ] {
            assert_eq!(sanitize(s), s);
        }
    }

    proptest! {
        #[test]
        fn output_holds_no_forbidden_character(s in any::<String>()) {
            let out = sanitize(&s);
            prop_assert!(!out.chars().any(is_forbidden), "{out:?}");
        }

        #[test]
        fn idempotent(s in any::<String>()) {
            let once = sanitize(&s).into_owned();
            let twice = sanitize(&once).into_owned();
            prop_assert_eq!(once, twice);
        }

        #[test]
        fn printable_text_is_untouched(
            s in "[\\p{L}\\p{M}\\p{N}\\p{P}\\p{S} \\n\u{200D}\u{FE0F}]*"
        ) {
            prop_assert_eq!(sanitize(&s), s.as_str());
        }
    }
}
