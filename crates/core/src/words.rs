//! Dates and amounts as Sightline writes them for people, and the one way
//! a date a person typed is read (the CLI's options and the dashboard's
//! filters alike).

use chrono::{Datelike, NaiveDate};

/// A length in whole months as people say it: "1 year 10 months", "2 years", "5 months".
pub fn years_and_months(months: u32) -> String {
    let part = |n: u32, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    match (months / 12, months % 12) {
        (0, m) => part(m, "month", "months"),
        (y, 0) => part(y, "year", "years"),
        (y, m) => format!("{} {}", part(y, "year", "years"), part(m, "month", "months")),
    }
}

/// A date as a committee report writes it: 31 March 2025.
pub fn long_date(d: NaiveDate) -> String {
    format!("{} {}", d.day(), d.format("%B %Y"))
}

/// The text with its first letter a capital.
pub fn upper_first(text: &str) -> String {
    let mut c = text.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// An amount to read at a glance: £2.1m, £350k, £740 (and -£2.1m).
pub fn money_short(v: f64) -> String {
    let a = v.abs();
    let sign = if v < 0.0 { "-" } else { "" };
    if a >= 999_500.0 {
        format!("{sign}£{:.1}m", a / 1_000_000.0)
    } else if a >= 999.5 {
        format!("{sign}£{:.0}k", a / 1000.0)
    } else {
        format!("{sign}£{a:.0}")
    }
}

/// A cost against doing nothing, in words: a negative difference is a saving.
pub fn cost_words(difference: f64) -> String {
    if difference < 0.0 {
        format!("a saving of {}", money_short(-difference))
    } else if difference > 0.0 {
        format!("{} more", money_short(difference))
    } else {
        "no different".to_string()
    }
}

/// Whole pounds with thousands separated: £1,234,567 (and -£1,234).
pub fn money(v: f64) -> String {
    let n = v.round() as i64;
    format!("{}£{}", if n < 0 { "-" } else { "" }, thousands(n.unsigned_abs()))
}

/// A whole number with thousands separated: 12,345.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A date a person typed that is not one, or is outside the years
/// Sightline works with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date (YYYY-MM-DD, in the years {FIRST_YEAR} to {LAST_YEAR})")]
pub struct DateError {
    pub text: String,
}

/// The years a typed date may fall in: every date the engine, the calendar
/// and the published figures deal with, and none that would make a page's
/// work grow without bound.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2199;

/// A date typed as YYYY-MM-DD (spaces around it allowed), in the years
/// [`FIRST_YEAR`] to [`LAST_YEAR`].
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (FIRST_YEAR..=LAST_YEAR).contains(&d.year()))
        .ok_or_else(|| DateError { text: text.to_string() })
}

/// Text with its control characters (escape codes, new lines, NUL) written
/// out as `\u{1b}`, so that it can neither forge a line of a log nor move a
/// terminal's cursor; backslashes are doubled, so nothing else reads the same.
pub fn escape_control(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || c == '\\') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_at_a_glance_and_a_negative_cost_is_a_saving() {
        assert_eq!(money_short(2_128_690.0), "£2.1m");
        assert_eq!(money_short(-349_600.0), "-£350k");
        assert_eq!(money_short(740.4), "£740");
        assert_eq!(cost_words(-2_128_690.0), "a saving of £2.1m");
        assert_eq!(cost_words(45_000.0), "£45k more");
    }

    #[test]
    fn dates_and_money_as_people_read_them() {
        assert_eq!(long_date("2025-09-30".parse().unwrap()), "30 September 2025");
        assert_eq!(long_date("2025-03-01".parse().unwrap()), "1 March 2025");
        assert_eq!(money(1_234_567.4), "£1,234,567");
        assert_eq!(money(-2_128_690.0), "-£2,128,690");
        assert_eq!(money(999.5), "£1,000");
        assert_eq!(money(0.0), "£0");
    }

    #[test]
    fn a_typed_date_is_read_or_named() {
        assert_eq!(parse_date(" 2024-09-30 "), Ok("2024-09-30".parse().unwrap()));
        for bad in ["", "30/09/2024", "2024-02-30", "yesterday", "-262143-01-01", "9999-12-31", "1899-12-31"] {
            assert_eq!(
                parse_date(bad).unwrap_err().to_string(),
                format!("`{bad}` is not a date (YYYY-MM-DD, in the years 1900 to 2199)")
            );
        }
        assert!(parse_date("2199-12-31").is_ok() && parse_date("1900-01-01").is_ok());
    }

    #[test]
    fn control_characters_are_written_out() {
        assert_eq!(escape_control("Jo Bloggs"), "Jo Bloggs");
        assert_eq!(escape_control("ev\u{1b}[2Kil\nlogin ok"), "ev\\u{1b}[2Kil\\u{a}login ok");
        assert_eq!(escape_control("a\\u{a}"), "a\\\\u{a}", "a typed escape does not read as one");
    }
}
