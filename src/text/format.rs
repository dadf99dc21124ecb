use std::borrow::Cow;

use chrono::{DateTime, Local};
use unicode_width::UnicodeWidthChar;

use super::width;

/// A time in the call: `mm:ss`, or `h:mm:ss` from an hour on.
/// Fractions are dropped; negative or non-finite values read as zero.
pub fn clock(secs: f64) -> String {
    let total = whole_seconds(secs);
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// An interview's length: `m:ss`, or `h:mm:ss` from an hour on.
pub fn duration(secs: f64) -> String {
    let total = whole_seconds(secs);
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

fn whole_seconds(secs: f64) -> u64 {
    if secs.is_finite() && secs > 0.0 {
        // Saturating float-to-int cast: absurd values clamp, never panic.
        secs.floor() as u64
    } else {
        0
    }
}

/// An ISO 8601 timestamp in the user's local time (`2026-03-11 15:20`).
/// A value that does not parse is returned as it came (the caller
/// sanitises it like any other API text).
pub fn local_datetime(iso: &str) -> Cow<'_, str> {
    match DateTime::parse_from_rfc3339(iso) {
        Ok(t) => Cow::Owned(t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()),
        Err(_) => Cow::Borrowed(iso),
    }
}

/// A date and time for a narrow column, in local time: `11-29 14:02` in
/// `this_year`, `2025-11-29` otherwise (the year matters more than the
/// minute then). What does not parse is shown as it came.
pub fn short_datetime(iso: &str, this_year: i32) -> String {
    use chrono::Datelike;
    match DateTime::parse_from_rfc3339(iso) {
        Ok(t) => {
            let local = t.with_timezone(&Local);
            if local.year() == this_year {
                local.format("%m-%d %H:%M").to_string()
            } else {
                local.format("%Y-%m-%d").to_string()
            }
        }
        Err(_) => iso.to_string(),
    }
}

/// Cuts `s` to at most `max` terminal columns, ending in `…` when cut.
pub fn truncate_to_width(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// `s` cut to `cols` columns and padded with spaces to exactly `cols`.
pub fn pad_to_width(s: &str, cols: usize) -> String {
    let cut = truncate_to_width(s, cols);
    let pad = cols.saturating_sub(width(&cut));
    let mut out = String::with_capacity(cut.len() + pad);
    out.push_str(&cut);
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

/// `1 interview`, `2 interviews`: a count with its noun agreeing.
/// A number with thousands separated by commas (`100,000`).
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_show_the_year_only_when_it_is_not_this_one() {
        let t = "2026-11-29T14:02:00Z";
        let this = short_datetime(t, 2026);
        assert_eq!(this.len(), "11-29 14:02".len(), "{this}");
        assert!(this.starts_with("11-"), "{this}");
        assert_eq!(short_datetime("2025-03-11T10:00:00Z", 2026), "2025-03-11");
        assert_eq!(short_datetime("not a date", 2026), "not a date");
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(100_000), "100,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(0, "match", "matches"), "0 matches");
        assert_eq!(count(1, "interview", "interviews"), "1 interview");
        assert_eq!(count(2, "interview", "interviews"), "2 interviews");
    }

    #[test]
    fn clocks() {
        assert_eq!(clock(0.0), "00:00");
        assert_eq!(clock(65.9), "01:05");
        assert_eq!(clock(3599.0), "59:59");
        assert_eq!(clock(3600.0), "1:00:00");
        assert_eq!(clock(-4.0), "00:00");
        assert_eq!(clock(f64::NAN), "00:00");
        assert_eq!(clock(1e300), clock(1e300));
    }

    #[test]
    fn durations() {
        assert_eq!(duration(580.0), "9:40");
        assert_eq!(duration(3725.0), "1:02:05");
    }

    #[test]
    fn widths_count_columns() {
        assert_eq!(pad_to_width("日本", 6), "日本  ");
        assert_eq!(pad_to_width("日本語です", 5), "日本…");
        assert_eq!(truncate_to_width("abcdef", 4), "abc…");
        assert_eq!(truncate_to_width("abc", 0), "");
    }

    #[test]
    fn unparsable_dates_come_back_as_they_were() {
        assert_eq!(local_datetime("yesterday"), "yesterday");
    }
}
