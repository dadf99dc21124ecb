//! Copying through the terminal (OSC 52), which reaches the clipboard of
//! the machine the user sits at, over SSH too. Inside tmux the sequence is
//! sent twice: plainly (tmux takes it with `set-clipboard on`) and wrapped
//! for passthrough (`allow-passthrough on`).

use base64::Engine;

/// Terminals drop longer OSC 52 payloads; this much text encodes to just
/// under 100,000 bytes.
pub const MAX_COPY_BYTES: usize = 74_994;

/// The text a copy puts on the clipboard, sanitised (a quote never carries
/// an escape sequence out) and cut at a character to [`MAX_COPY_BYTES`],
/// and whether it was cut: decided here only, so what the browser says
/// and what the terminal gets agree.
pub fn prepare(text: &str) -> (String, bool) {
    let clean = crate::text::sanitize(text);
    let mut end = clean.len().min(MAX_COPY_BYTES);
    while !clean.is_char_boundary(end) {
        end -= 1;
    }
    (clean[..end].to_string(), end < clean.len())
}

/// What to write to the terminal to copy `text` (prepared again, which
/// changes nothing in a prepared text).
pub fn osc52(text: &str, in_tmux: bool) -> Vec<u8> {
    let (clean, _) = prepare(text);
    let payload = base64::engine::general_purpose::STANDARD.encode(clean.as_bytes());
    let plain = format!("\u{1b}]52;c;{payload}\u{7}");
    let mut out = plain.clone().into_bytes();
    if in_tmux {
        // DCS passthrough: every ESC inside is doubled.
        out.extend_from_slice(b"\x1bPtmux;");
        out.extend_from_slice(plain.replace('\u{1b}', "\u{1b}\u{1b}").as_bytes());
        out.extend_from_slice(b"\x1b\\");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_exact_and_carries_no_escape() {
        let bytes = osc52("“hi\u{1b}[2J”", false);
        assert!(!prepare("“hi\u{1b}[2J”").1);
        let text = String::from_utf8(bytes).expect("utf-8");
        let b64 = text
            .strip_prefix("\u{1b}]52;c;")
            .and_then(|t| t.strip_suffix('\u{7}'))
            .expect("one OSC 52");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("base64");
        assert_eq!(String::from_utf8(decoded).expect("utf-8"), "“hi␛[2J”");
        let tmux = osc52("x", true);
        let tmux = String::from_utf8(tmux).expect("utf-8");
        assert!(
            tmux.ends_with("\u{1b}Ptmux;\u{1b}\u{1b}]52;c;eA==\u{7}\u{1b}\\"),
            "{tmux:?}"
        );
    }

    #[test]
    fn long_text_is_cut_at_a_character() {
        let long = "é".repeat(50_000);
        let (text, cut) = prepare(&long);
        assert!(cut);
        assert_eq!(text.len(), MAX_COPY_BYTES);
        let (clef, _) = prepare(&"𝄞".repeat(20_000));
        assert_eq!(clef.len(), MAX_COPY_BYTES - 2, "cut at a character");
        let bytes = osc52(&long, false);
        assert!(bytes.len() <= 100_000, "{}", bytes.len());
        // Prepared text goes through as it is.
        assert_eq!(prepare(&text), (text.clone(), false));
        // A control character counts as what it becomes.
        let controls = "\u{1b}".repeat(MAX_COPY_BYTES / 2);
        assert!(
            prepare(&controls).1,
            "its sanitised form is longer than the limit"
        );
    }
}
