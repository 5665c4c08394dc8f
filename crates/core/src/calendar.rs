//! Dates, reporting periods and the working-day calendar.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use thiserror::Error;

/// A calendar day. Spells, absences and snapshots are all whole days.
pub type Date = NaiveDate;

/// England and Wales bank holidays 2010-2035 as shipped with Sightline
/// (see `data/calendar/SOURCES.md`).
const ENGLAND_AND_WALES: &str = include_str!("../../../data/calendar/england_and_wales_bank_holidays.csv");

/// The day after `d`.
pub fn next_day(d: Date) -> Date {
    d.succ_opt().expect("date within chrono's range")
}

/// The day before `d`.
pub fn previous_day(d: Date) -> Date {
    d.pred_opt().expect("date within chrono's range")
}

/// Whole calendar months from `a` to `b` (0 when `b` is not a whole month after `a`):
/// 1 January to 1 February is 1; 31 January to 28 February is 0.
pub fn whole_months(a: Date, b: Date) -> u32 {
    let m = (b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32;
    let m = if b.day() < a.day() { m - 1 } else { m };
    m.max(0) as u32
}

/// The last day of the month that contains `d`.
/// The same date a year earlier, 28 February standing in for 29 February.
pub fn a_year_before(d: Date) -> Date {
    d.with_year(d.year() - 1).unwrap_or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, 2, 28).expect("28 Feb"))
}

pub fn month_end(d: Date) -> Date {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    previous_day(NaiveDate::from_ymd_opt(y, m, 1).expect("first of a month"))
}

/// A twelve-month reporting period `[start, end]`, both days included.
/// DfE's census year Y is 1 October Y-1 to 30 September Y; stocks are
/// measured on the last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    /// P0: the first day of the period.
    pub start: Date,
    /// R: the reference date, the last day of the period.
    pub end: Date,
}

impl Period {
    /// The census year `year`: 1 October `year - 1` to 30 September `year`.
    pub fn census_year(year: i32) -> Period {
        Period {
            start: NaiveDate::from_ymd_opt(year - 1, 10, 1).expect("valid census year"),
            end: NaiveDate::from_ymd_opt(year, 9, 30).expect("valid census year"),
        }
    }

    /// The 12 months to `end`: from the day after the same date a year
    /// earlier (28 February standing in for 29 February) to `end`.
    pub fn twelve_months_to(end: Date) -> Period {
        Period { start: next_day(a_year_before(end)), end }
    }

    /// The census year a date falls in (1 October to 30 September).
    pub fn census_year_of(d: Date) -> i32 {
        if d.month() >= 10 {
            d.year() + 1
        } else {
            d.year()
        }
    }

    /// The census year whose reference date is `self.end`, when this period is one.
    pub fn census_year_label(&self) -> Option<i32> {
        (*self == Period::census_year(self.end.year())).then_some(self.end.year())
    }

    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }

    /// Whether the period contains a 29 February.
    pub fn contains_leap_day(&self) -> bool {
        (self.start.year()..=self.end.year())
            .any(|y| NaiveDate::from_ymd_opt(y, 2, 29).is_some_and(|d| self.contains(d)))
    }
}

#[derive(Debug, Error, PartialEq)]
pub enum CalendarError {
    #[error("line {line}: column `date` is missing from the header")]
    MissingDateColumn { line: usize },
    #[error("line {line}: `{value}` is not a date in the form YYYY-MM-DD")]
    BadDate { line: usize, value: String },
}

/// Non-working days other than weekends (bank holidays), with fast counting
/// of working days over any span.
#[derive(Debug, Clone)]
pub struct Calendar {
    holidays: Vec<Date>,
    /// First day covered by `prefix`.
    base: Date,
    /// `prefix[i]` = working days in `[base, base + i)`.
    prefix: Vec<u32>,
}

const PREFIX_FIRST_YEAR: i32 = 1980;
const PREFIX_LAST_YEAR: i32 = 2080;

impl Calendar {
    /// The England and Wales bank holidays shipped with Sightline.
    pub fn england_and_wales() -> Calendar {
        Calendar::from_csv(ENGLAND_AND_WALES).expect("the shipped calendar is valid")
    }

    /// A calendar from a CSV text with a `date` column (other columns ignored),
    /// for an authority that supplies its own non-working days.
    pub fn from_csv(text: &str) -> Result<Calendar, CalendarError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text.lines().enumerate();
        let header = lines.next().map(|(_, l)| l).unwrap_or("");
        let col = header
            .split(',')
            .position(|c| c.trim().trim_matches('"') == "date")
            .ok_or(CalendarError::MissingDateColumn { line: 1 })?;
        let mut holidays = Vec::new();
        for (i, line) in lines {
            if line.trim().is_empty() {
                continue;
            }
            let value = line.split(',').nth(col).unwrap_or("").trim().trim_matches('"');
            let date = NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .map_err(|_| CalendarError::BadDate { line: i + 1, value: value.to_string() })?;
            holidays.push(date);
        }
        Ok(Calendar::from_holidays(holidays))
    }

    /// A calendar from a list of non-working weekdays.
    pub fn from_holidays(mut holidays: Vec<Date>) -> Calendar {
        holidays.sort_unstable();
        holidays.dedup();
        let base = NaiveDate::from_ymd_opt(PREFIX_FIRST_YEAR, 1, 1).expect("valid");
        let last = NaiveDate::from_ymd_opt(PREFIX_LAST_YEAR, 12, 31).expect("valid");
        let days = (last - base).num_days() as usize + 1;
        let mut prefix = Vec::with_capacity(days + 1);
        prefix.push(0u32);
        let mut count = 0u32;
        let mut d = base;
        let mut h = holidays.iter().peekable();
        while d <= last {
            while h.next_if(|x| **x < d).is_some() {}
            let holiday = h.peek().is_some_and(|x| **x == d);
            if !holiday && !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                count += 1;
            }
            prefix.push(count);
            d = next_day(d);
        }
        Calendar { holidays, base, prefix }
    }

    pub fn holidays(&self) -> &[Date] {
        &self.holidays
    }

    /// Whether `d` is a working day: Monday to Friday and not a holiday.
    pub fn is_working_day(&self, d: Date) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && self.holidays.binary_search(&d).is_err()
    }

    /// Working days in `[from, to]`, both included; 0 when `to < from`.
    pub fn working_days(&self, from: Date, to: Date) -> u32 {
        if to < from {
            return 0;
        }
        // Days counted from the common era's start: cheaper than a date
        // subtraction, and this runs for every person in every figure.
        let base = i64::from(self.base.num_days_from_ce());
        let i = i64::from(from.num_days_from_ce()) - base;
        let j = i64::from(to.num_days_from_ce()) - base + 1;
        if i >= 0 && (j as usize) < self.prefix.len() {
            return self.prefix[j as usize] - self.prefix[i as usize];
        }
        let mut n = 0;
        let mut d = from;
        while d <= to {
            n += u32::from(self.is_working_day(d));
            d += Duration::days(1);
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn census_year_runs_october_to_september() {
        let p = Period::census_year(2024);
        assert_eq!((p.start, p.end), (d("2023-10-01"), d("2024-09-30")));
        assert_eq!(p.census_year_label(), Some(2024));
        assert!(p.contains_leap_day());
        assert!(!Period::census_year(2023).contains_leap_day());
    }

    #[test]
    fn twelve_months_to_any_date() {
        let p = Period::twelve_months_to(d("2025-03-31"));
        assert_eq!(p.start, d("2024-04-01"));
        assert_eq!(p.census_year_label(), None);
        let leap = Period::twelve_months_to(d("2024-02-29"));
        assert_eq!(leap.start, d("2023-03-01"));
    }

    #[test]
    fn working_days_skip_weekends_and_bank_holidays() {
        let cal = Calendar::england_and_wales();
        // Christmas week 2023: 25 and 26 December are bank holidays.
        assert_eq!(cal.working_days(d("2023-12-25"), d("2023-12-31")), 3);
        assert!(!cal.is_working_day(d("2022-09-19")), "the state funeral");
        assert_eq!(cal.working_days(d("2024-01-02"), d("2024-01-01")), 0);
        // The prefix table and the day-by-day count agree outside its range too.
        assert_eq!(cal.working_days(d("2100-01-04"), d("2100-01-10")), 5);
    }

    #[test]
    fn own_calendar_replaces_bank_holidays() {
        let cal = Calendar::from_csv("\u{feff}name,date\r\nClosure,2024-12-27\r\n").unwrap();
        assert!(!cal.is_working_day(d("2024-12-27")));
        assert!(cal.is_working_day(d("2024-12-25")));
        assert_eq!(
            Calendar::from_csv("date\nsoon\n").unwrap_err(),
            CalendarError::BadDate { line: 2, value: "soon".into() }
        );
    }
}
