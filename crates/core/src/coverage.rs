//! From when, and until when, the records are complete enough to give a
//! figure. An HR export lists the staff of its day and the leavers it still
//! holds; before its first recorded leaving, people who left are missing,
//! and a turnover of 0% there is an artefact, not a fact. So each kind of
//! record has a span it covers: from the date declared for it (`sightline
//! coverage set`), else from the first date its records show they were
//! being kept (below), until the last date the data speaks of. A figure for
//! a 12-month period is given only when every kind it rests on covers the
//! whole period; otherwise the pages say "no data" and why, never 0.
//!
//! The first date each kind of record shows it was kept:
//! - employment: the first recorded end of an employed post (a leaving or
//!   a move); with none, the first start;
//! - agency: the first start of an agency assignment;
//! - establishment: the first start of a funded post;
//! - absence: the first start of an absence;
//! - caseload: the first caseload count.

use crate::calendar::{Date, Period};
use crate::model::Workforce;
use std::collections::BTreeMap;

/// The kinds of record figures rest on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Records {
    Employment,
    Agency,
    Establishment,
    Absence,
    Caseload,
}

impl Records {
    pub const ALL: [Records; 5] =
        [Records::Employment, Records::Agency, Records::Establishment, Records::Absence, Records::Caseload];

    /// The name used on the command line and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Records::Employment => "employment",
            Records::Agency => "agency",
            Records::Establishment => "establishment",
            Records::Absence => "absence",
            Records::Caseload => "caseload",
        }
    }

    pub fn parse(text: &str) -> Option<Records> {
        Records::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The records in words, for pages.
    pub fn words(self) -> &'static str {
        match self {
            Records::Employment => "employment records",
            Records::Agency => "agency records",
            Records::Establishment => "funded posts",
            Records::Absence => "absence records",
            Records::Caseload => "caseload counts",
        }
    }

    /// The records an indicator field rests on, and whether it needs them
    /// over the whole period (a flow: leavers, days lost) or on its last day
    /// only (a stock: in post, agency, cases at the date).
    pub fn of_field(field: &str) -> &'static [(Records, Need)] {
        use Need::{Day, Period};
        use Records::{Absence, Agency, Caseload, Employment, Establishment};
        match field {
            f if f.starts_with("agency_cover") || f.starts_with("vacancy_agency") => {
                &[(Employment, Day), (Agency, Day), (Establishment, Day)]
            }
            f if f.starts_with("agency") => &[(Employment, Day), (Agency, Day)],
            f if f.starts_with("vacancy") => &[(Employment, Day), (Establishment, Day)],
            "cases" | "case_holders_fte" | "caseload_fte" => &[(Employment, Day), (Agency, Day), (Caseload, Day)],
            "working_days_lost_fte" | "absence_rate_fte" => &[(Employment, Day), (Absence, Period)],
            "inpost_fte" | "inpost_headcount" => &[(Employment, Day)],
            _ => &[(Employment, Period)],
        }
    }
}

/// How much of a period a figure needs its records to cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Every day of it: a count over the period.
    Period,
    /// Its last day (caseloads: the 30 days before it).
    Day,
}

/// Why a period has no figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// The period starts before these records were kept (from this date).
    Before { records: Records, from: Date },
    /// The period ends after the last date the data speaks of.
    After { until: Date },
    /// There are no such records at all.
    None { records: Records },
}

impl Gap {
    /// The reason in words: "employment records are complete only from 1 October 2018".
    pub fn words(&self) -> String {
        match self {
            Gap::Before { records, from } => {
                format!(
                    "{} are complete only from {}",
                    crate::words::upper_first(records.words()),
                    crate::words::long_date(*from)
                )
            }
            Gap::After { until } => {
                format!("the data goes up to {}, and no further", crate::words::long_date(*until))
            }
            Gap::None { records } => format!("there are no {}", records.words()),
        }
    }
}

/// The span each kind of record covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Coverage {
    /// From when each kind is complete; a kind with no records is absent.
    pub from: BTreeMap<Records, Date>,
    /// The last date the data speaks of.
    pub until: Option<Date>,
}

impl Coverage {
    /// The coverage of `wf`, with the dates declared for some kinds taking
    /// the place of what the records show.
    pub fn of(wf: &Workforce, declared: &BTreeMap<Records, Date>) -> Coverage {
        let employed = wf.spells().iter().filter(|s| s.kind.is_employed());
        let first_end = employed.clone().filter_map(|s| s.end).min();
        let first_start = employed.map(|s| s.start).min();
        let shown = [
            (Records::Employment, first_end.or(first_start)),
            (Records::Agency, wf.spells().iter().filter(|s| !s.kind.is_employed()).map(|s| s.start).min()),
            (Records::Establishment, wf.establishment().iter().map(|e| e.start).min()),
            (Records::Absence, wf.absences().iter().map(|a| a.start).min()),
            (Records::Caseload, wf.caseloads().iter().map(|c| c.date).min()),
        ];
        let mut from = BTreeMap::new();
        for (records, first) in shown {
            if let Some(d) = declared.get(&records).copied().or(first) {
                from.insert(records, d);
            }
        }
        Coverage { from, until: wf.latest_date() }
    }

    /// Why `period` has no figure resting on `records`, if it has none.
    pub fn gap(&self, period: Period, records: &[(Records, Need)]) -> Option<Gap> {
        if let Some(until) = self.until.filter(|u| period.end > *u) {
            return Some(Gap::After { until });
        }
        for (r, need) in records {
            let needed = match (need, r) {
                (Need::Period, _) => period.start,
                (Need::Day, Records::Caseload) => period.end - chrono::Days::new(30),
                (Need::Day, _) => period.end,
            };
            match self.from.get(r) {
                None => return Some(Gap::None { records: *r }),
                Some(from) if needed < *from => return Some(Gap::Before { records: *r, from: *from }),
                Some(_) => {}
            }
        }
        None
    }

    /// Why the figure `field` has no value for `period`, if it has none.
    pub fn gap_for(&self, period: Period, field: &str) -> Option<Gap> {
        self.gap(period, Records::of_field(field))
    }

    /// Why a 12-month period has none of the turnover, starters and
    /// leavers, the figures every page leads with, if it has none.
    pub fn gap_for_year(&self, period: Period) -> Option<Gap> {
        self.gap(period, &[(Records::Employment, Need::Period)])
    }

    /// The whole months to `to` that `records` cover (a month begun after
    /// its first day is not whole); 0 when there are no such records.
    pub fn whole_months_to(&self, records: Records, to: Date) -> u32 {
        use chrono::Datelike as _;
        self.from.get(&records).map_or(0, |from| {
            let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
            u32::try_from(months - i32::from(from.day() > 1)).unwrap_or(0)
        })
    }

    /// The first census year whose whole 12 months the employment records cover.
    pub fn first_census_year(&self) -> Option<i32> {
        let from = *self.from.get(&Records::Employment)?;
        let y = Period::census_year_of(from);
        Some(if Period::census_year(y).start < from { y + 1 } else { y })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::SpellKind;
    use crate::model::test_support::{d, spell};
    use crate::model::WorkforceBuilder;

    fn example() -> Workforce {
        let mut b = WorkforceBuilder::new();
        let t = b.team("T");
        let (a, l, g) = (b.person("a"), b.person("l"), b.person("g"));
        // A long-serving worker, the first leaver on 14 March 2019, an agency worker from 2020.
        b.add_spell(spell(a, t, SpellKind::Permanent, "2003-05-01", None, 1.0));
        b.add_spell(spell(l, t, SpellKind::Permanent, "2010-01-04", Some("2019-03-14"), 1.0));
        b.add_spell(spell(g, t, SpellKind::Agency, "2020-06-01", Some("2025-09-30"), 1.0));
        b.build()
    }

    #[test]
    fn records_are_complete_from_their_first_sign_of_being_kept() {
        let c = Coverage::of(&example(), &BTreeMap::new());
        assert_eq!(c.from.get(&Records::Employment), Some(&d("2019-03-14")), "the first leaving, not 2003");
        assert_eq!(c.from.get(&Records::Agency), Some(&d("2020-06-01")));
        assert_eq!(c.until, Some(d("2025-09-30")));
        assert_eq!(c.first_census_year(), Some(2020), "census year 2019 began on 1 October 2018");
        assert_eq!(c.whole_months_to(Records::Employment, d("2020-03-31")), 11, "April 2019 to March 2020");
        assert_eq!(c.whole_months_to(Records::Absence, d("2020-03-31")), 0, "no absence records");
        let y2019 = Period::census_year(2019);
        assert_eq!(
            c.gap_for(y2019, "turnover_rate_fte"),
            Some(Gap::Before { records: Records::Employment, from: d("2019-03-14") })
        );
        assert_eq!(c.gap_for(Period::census_year(2021), "turnover_rate_fte"), None);
        assert_eq!(c.gap_for(Period::census_year(2021), "agency_rate_fte"), None);
        assert_eq!(c.gap_for(Period::census_year(2020), "agency_rate_fte"), None, "a stock needs its last day only");
        assert_eq!(
            c.gap_for(Period::twelve_months_to(d("2020-05-31")), "agency_rate_fte").map(|g| g.words()),
            Some("Agency records are complete only from 1 June 2020".to_string())
        );
        assert_eq!(c.gap_for(Period::census_year(2019), "inpost_fte"), None, "in post on 30 September 2019 is known");
        assert_eq!(
            c.gap_for(Period::census_year(2021), "absence_rate_fte"),
            Some(Gap::None { records: Records::Absence })
        );
        assert_eq!(
            c.gap_for(Period::census_year(2026), "turnover_rate_fte"),
            Some(Gap::After { until: d("2025-09-30") })
        );
        // A declared date takes the place of what the records show.
        let declared = BTreeMap::from([(Records::Employment, d("2017-10-01"))]);
        assert_eq!(Coverage::of(&example(), &declared).first_census_year(), Some(2018));
    }
}
