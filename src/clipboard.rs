//! Copying through the terminal (OSC 52), which reaches the clipboard of
//! the machine the user sits at, over SSH too. Inside tmux the sequence is
//! sent twice: plainly (tmux takes it with `set-clipboard on`) and wrapped
//! for passthrough (`allow-passthrough on`).

use base64::Engine;

/// Terminals drop longer OSC 52 payloads; this much text encodes to just
/// under 100,000 bytes.
pub const MAX_COPY_BYTES: usize = 74_994;

/// What to write to the terminal to copy `text`, and whether the text was
/// cut to [`MAX_COPY_BYTES`]. The text is sanitised first: a quote never
/// carries an escape sequence out.
pub fn osc52(text: &str, in_tmux: bool) -> (Vec<u8>, bool) {
    let clean = crate::text::sanitize(text);
    let mut end = clean.len().min(MAX_COPY_BYTES);
    while !clean.is_char_boundary(end) {
        end -= 1;
    }
    let cut = end < clean.len();
    let payload = base64::engine::general_purpose::STANDARD.encode(&clean.as_bytes()[..end]);
    let plain = format!("\u{1b}]52;c;{payload}\u{7}");
    let mut out = plain.clone().into_bytes();
    if in_tmux {
        // DCS passthrough: every ESC inside is doubled.
        out.extend_from_slice(b"\x1bPtmux;");
        out.extend_from_slice(plain.replace('\u{1b}', "\u{1b}\u{1b}").as_bytes());
        out.extend_from_slice(b"\x1b\\");
    }
    (out, cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_exact_and_carries_no_escape() {
        let (bytes, cut) = osc52("“hi\u{1b}[2J”", false);
        assert!(!cut);
        let text = String::from_utf8(bytes).expect("utf-8");
        let b64 = text
            .strip_prefix("\u{1b}]52;c;")
            .and_then(|t| t.strip_suffix('\u{7}'))
            .expect("one OSC 52");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("base64");
        assert_eq!(String::from_utf8(decoded).expect("utf-8"), "“hi␛[2J”");
        let (tmux, _) = osc52("x", true);
        let tmux = String::from_utf8(tmux).expect("utf-8");
        assert!(
            tmux.ends_with("\u{1b}Ptmux;\u{1b}\u{1b}]52;c;eA==\u{7}\u{1b}\\"),
            "{tmux:?}"
        );
    }

    #[test]
    fn long_text_is_cut_at_a_character() {
        let (bytes, cut) = osc52(&"é".repeat(50_000), false);
        assert!(cut);
        assert!(bytes.len() <= 100_000, "{}", bytes.len());
    }
}
