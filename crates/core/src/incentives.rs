//! Incentive and market-supplement payments: what was paid, what leavers
//! owe back, and whether recipients stay longer than people like them.
//!
//! - **Paid by scheme**: payments made on or before the date, by scheme.
//! - **Clawback owed**: a payment with clawback terms of `m` months is owed
//!   back when the person's employment (the one in place when it was paid,
//!   or the next to begin) ended by the date and within `m` whole months of
//!   the payment. Without tapering the whole payment is owed; tapering by
//!   month leaves owing the share of the `m` months not served:
//!   `amount x (m - whole months served) / m`.
//! - **Retention at 12 months**: a recipient is followed from their first
//!   payment when it was made at least 12 months before the date and they
//!   were employed on it; they are retained when still employed 12 months
//!   on. Their comparison is everyone else employed on that day in the same
//!   team (of their largest post) and stage (years since qualifying: under
//!   2, 2 to 5, 5 or more, not known) who had had no payment by 12 months
//!   on, followed the same way; each recipient brings their own comparison
//!   group, so the comparison rate is pooled over recipients' groups.
//! - **Cost per retained year**: the money paid to the recipients followed,
//!   over the extra people retained a year by the difference in rates
//!   (recipients' less comparison's, times recipients); `None` when the
//!   recipients did no better.

use crate::calendar::{whole_months, Date};
use crate::model::{PersonIdx, TeamId, Workforce};
use chrono::Months;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How clawback tapers with time served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Taper {
    /// The whole payment is owed back inside the terms.
    #[default]
    None,
    /// Owed back in proportion to the whole months not served.
    Monthly,
}

/// One payment to one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    #[serde(skip, default = "no_person")]
    pub person: PersonIdx,
    pub scheme: String,
    /// Pounds.
    pub amount: f64,
    pub paid: Date,
    /// Months after payment within which leaving means paying back (none: no clawback).
    pub clawback_months: Option<u32>,
    pub taper: Taper,
}

fn no_person() -> PersonIdx {
    PersonIdx(u32::MAX)
}

/// What one scheme paid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemePaid {
    pub scheme: String,
    pub amount: f64,
    pub payments: u32,
    pub people: u32,
}

/// One payment owed back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clawback {
    #[serde(skip)]
    pub person: PersonIdx,
    pub scheme: String,
    pub paid: Date,
    pub amount: f64,
    /// The last day of the employment.
    pub left: Date,
    pub months_served: u32,
    pub owed: f64,
}

/// The incentive figures at a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncentiveFigures {
    pub paid_by_scheme: Vec<SchemePaid>,
    pub clawbacks: Vec<Clawback>,
    pub clawback_owed_total: f64,
    pub clawback_owed_people: u32,
    /// Recipients followed for 12 months, and of them retained.
    pub recipients_followed: u32,
    pub recipients_retained: u32,
    /// Comparison people followed (pooled over recipients' groups), and of them retained.
    pub comparison_followed: u32,
    pub comparison_retained: u32,
    pub recipient_retention_12m_pct: Option<f64>,
    pub comparison_retention_12m_pct: Option<f64>,
    /// Paid to the recipients followed.
    pub paid_to_followed: f64,
    pub cost_per_retained_year: Option<f64>,
}

impl IncentiveFigures {
    /// As output: money to the penny, shares to 1 decimal place.
    pub fn rounded(&self) -> IncentiveFigures {
        let one = |v: f64| crate::indicators::round_dfe(v, 1);
        let pence = |v: f64| crate::indicators::round_dfe(v, 2);
        let mut f = self.clone();
        for s in &mut f.paid_by_scheme {
            s.amount = pence(s.amount);
        }
        for c in &mut f.clawbacks {
            c.amount = pence(c.amount);
            c.owed = pence(c.owed);
        }
        f.clawback_owed_total = pence(f.clawback_owed_total);
        f.recipient_retention_12m_pct = f.recipient_retention_12m_pct.map(one);
        f.comparison_retention_12m_pct = f.comparison_retention_12m_pct.map(one);
        f.paid_to_followed = pence(f.paid_to_followed);
        f.cost_per_retained_year = f.cost_per_retained_year.map(pence);
        f
    }

    /// The whole paid, all schemes.
    pub fn paid_total(&self) -> f64 {
        self.paid_by_scheme.iter().map(|s| s.amount).sum()
    }
}

/// People followed for a year from one day, by (team, stage): (followed, retained).
type ComparisonGroups = HashMap<(Option<TeamId>, &'static str), (u32, u32)>;

/// The stage of a person on `day`, by years since qualifying.
pub fn stage_on(wf: &Workforce, p: PersonIdx, day: Date) -> &'static str {
    match wf.person(p).qualification_date.filter(|q| *q <= day) {
        None => "not known",
        Some(q) => {
            let years = |n: u32| q.checked_add_months(Months::new(12 * n)).unwrap_or(Date::MAX);
            if day < years(2) {
                "under 2 years"
            } else if day < years(5) {
                "2 to 5 years"
            } else {
                "5 years or more"
            }
        }
    }
}

/// The team of a person's largest employed post on `day`.
fn team_on(wf: &Workforce, p: PersonIdx, day: Date) -> Option<TeamId> {
    wf.spells_of(p)
        .iter()
        .filter(|s| s.kind.is_employed() && s.covers(day))
        .max_by(|a, b| a.fte.total_cmp(&b.fte))
        .map(|s| s.team)
}

/// The figures at `as_of`.
pub fn incentive_figures(wf: &Workforce, payments: &[Payment], as_of: Date) -> IncentiveFigures {
    let paid: Vec<&Payment> =
        payments.iter().filter(|p| p.paid <= as_of && (p.person.0 as usize) < wf.persons().len()).collect();
    let mut schemes: BTreeMap<&str, (f64, u32, HashSet<PersonIdx>)> = BTreeMap::new();
    for p in &paid {
        let e = schemes.entry(p.scheme.as_str()).or_default();
        e.0 += p.amount;
        e.1 += 1;
        e.2.insert(p.person);
    }
    let paid_by_scheme = schemes
        .into_iter()
        .map(|(scheme, (amount, payments, people))| SchemePaid {
            scheme: scheme.to_string(),
            amount,
            payments,
            people: people.len() as u32,
        })
        .collect();
    // Clawback.
    let employments = crate::retention::employments(wf, as_of);
    let mut by_person: HashMap<PersonIdx, Vec<&crate::retention::Employment>> = HashMap::new();
    for e in &employments {
        by_person.entry(e.person).or_default().push(e);
    }
    let mut clawbacks = Vec::new();
    for p in &paid {
        let Some(m) = p.clawback_months.filter(|m| *m > 0) else { continue };
        let Some(list) = by_person.get(&p.person) else { continue };
        let employment = list
            .iter()
            .find(|e| e.start <= p.paid && e.left.is_none_or(|l| p.paid <= l))
            .or_else(|| list.iter().filter(|e| e.start > p.paid).min_by_key(|e| e.start));
        let Some(left) = employment.and_then(|e| e.left) else { continue };
        if left < p.paid {
            continue;
        }
        let served = whole_months(p.paid, left.succ_opt().unwrap_or(left));
        if served >= m {
            continue;
        }
        let owed = match p.taper {
            Taper::None => p.amount,
            Taper::Monthly => p.amount * f64::from(m - served) / f64::from(m),
        };
        clawbacks.push(Clawback {
            person: p.person,
            scheme: p.scheme.clone(),
            paid: p.paid,
            amount: p.amount,
            left,
            months_served: served,
            owed,
        });
    }
    let clawback_owed_total = clawbacks.iter().map(|c| c.owed).sum();
    let clawback_owed_people = clawbacks.iter().map(|c| c.person).collect::<HashSet<_>>().len() as u32;
    // Retention of recipients against people like them.
    let mut first_paid: HashMap<PersonIdx, Date> = HashMap::new();
    let mut total_paid: HashMap<PersonIdx, f64> = HashMap::new();
    for p in &paid {
        *total_paid.entry(p.person).or_default() += p.amount;
        let e = first_paid.entry(p.person).or_insert(p.paid);
        *e = (*e).min(p.paid);
    }
    let year_on = |d: Date| d.checked_add_months(Months::new(12)).unwrap_or(Date::MAX);
    let (mut rf, mut rr, mut cf, mut cr, mut paid_to_followed) = (0u32, 0u32, 0u32, 0u32, 0.0);
    let mut recipients: Vec<(PersonIdx, Date)> = first_paid.iter().map(|(p, d)| (*p, *d)).collect();
    recipients.sort();
    // The comparison groups of each payment day: (team, stage) -> (followed, retained).
    let mut groups: HashMap<Date, ComparisonGroups> = HashMap::new();
    for (person, day) in &recipients {
        let later = year_on(*day);
        if later > as_of || !wf.is_employed_on(*person, *day) {
            continue;
        }
        let by_group = groups.entry(*day).or_insert_with(|| {
            let mut g = ComparisonGroups::new();
            for other in wf.person_indices() {
                if first_paid.get(&other).is_some_and(|d| *d <= later) || !wf.is_employed_on(other, *day) {
                    continue;
                }
                let e = g.entry((team_on(wf, other, *day), stage_on(wf, other, *day))).or_default();
                e.0 += 1;
                e.1 += u32::from(wf.is_employed_on(other, later));
            }
            g
        });
        rf += 1;
        rr += u32::from(wf.is_employed_on(*person, later));
        paid_to_followed += total_paid.get(person).copied().unwrap_or(0.0);
        if let Some((f, r)) = by_group.get(&(team_on(wf, *person, *day), stage_on(wf, *person, *day))) {
            cf += f;
            cr += r;
        }
    }
    let pct = |n: u32, d: u32| (d > 0).then(|| 100.0 * f64::from(n) / f64::from(d));
    let (r, c) = (pct(rr, rf), pct(cr, cf));
    let cost_per_retained_year = match (r, c) {
        (Some(r), Some(c)) if r > c => Some(paid_to_followed / ((r - c) / 100.0 * f64::from(rf))),
        _ => None,
    };
    IncentiveFigures {
        paid_by_scheme,
        clawbacks,
        clawback_owed_total,
        clawback_owed_people,
        recipients_followed: rf,
        recipients_retained: rr,
        comparison_followed: cf,
        comparison_retained: cr,
        recipient_retention_12m_pct: r,
        comparison_retention_12m_pct: c,
        paid_to_followed,
        cost_per_retained_year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::SpellKind;
    use crate::model::test_support::{d, spell};
    use crate::model::WorkforceBuilder;

    fn payment(person: PersonIdx, paid: &str, amount: f64, months: Option<u32>, taper: Taper) -> Payment {
        Payment { person, scheme: "retention".into(), amount, paid: d(paid), clawback_months: months, taper }
    }

    #[test]
    fn clawback_is_owed_inside_the_terms_and_tapers_by_whole_months() {
        let mut b = WorkforceBuilder::new();
        let north = b.team("North");
        let (a, c, e, f) = (b.person("a"), b.person("c"), b.person("e"), b.person("f"));
        // a leaves 9 whole months after payment; c exactly 12; e stays; f moves team and stays.
        b.add_spell(spell(a, north, SpellKind::Permanent, "2023-01-01", Some("2025-10-31"), 1.0));
        b.add_spell(spell(c, north, SpellKind::Permanent, "2023-01-01", Some("2026-01-31"), 1.0));
        b.add_spell(spell(e, north, SpellKind::Permanent, "2023-01-01", None, 1.0));
        b.add_spell(spell(f, north, SpellKind::Permanent, "2023-01-01", Some("2025-06-30"), 1.0));
        let south = b.team("South");
        b.add_spell(spell(f, south, SpellKind::Permanent, "2025-07-01", None, 1.0));
        let wf = b.build();
        let pays = [
            payment(a, "2025-02-01", 3_000.0, Some(12), Taper::None),
            payment(a, "2025-02-01", 1_200.0, Some(12), Taper::Monthly),
            payment(c, "2025-02-01", 3_000.0, Some(12), Taper::None),
            payment(e, "2025-02-01", 3_000.0, Some(12), Taper::None),
            payment(f, "2025-02-01", 3_000.0, Some(12), Taper::None),
        ];
        let fig = incentive_figures(&wf, &pays, d("2026-03-31"));
        // a: 3,000 whole, and 1,200 x 3/12 = 300 tapered.
        assert_eq!(fig.clawbacks.len(), 2, "{:?}", fig.clawbacks);
        assert_eq!(fig.clawbacks[0].months_served, 9);
        assert!((fig.clawback_owed_total - 3_300.0).abs() < 1e-9);
        assert_eq!(fig.clawback_owed_people, 1);
        assert_eq!(fig.paid_by_scheme[0].amount, 13_200.0);
        assert_eq!(fig.paid_by_scheme[0].people, 4);
        // Before a has left, nothing is owed.
        assert_eq!(incentive_figures(&wf, &pays, d("2025-10-30")).clawback_owed_total, 0.0);
    }

    #[test]
    fn recipients_are_compared_with_people_of_their_team_and_stage() {
        let mut b = WorkforceBuilder::new();
        let (north, south) = (b.team("North"), b.team("South"));
        let people: Vec<PersonIdx> = (0..6).map(|i| b.person(&format!("p{i}"))).collect();
        // p0 paid, stays. p1, p2 unpaid in North: p1 stays, p2 leaves. p3 in South (not comparable).
        // p4 paid, leaves. p5 in North but paid within the year: not a comparison.
        b.add_spell(spell(people[0], north, SpellKind::Permanent, "2023-01-01", None, 1.0));
        b.add_spell(spell(people[1], north, SpellKind::Permanent, "2023-01-01", None, 1.0));
        b.add_spell(spell(people[2], north, SpellKind::Permanent, "2023-01-01", Some("2024-09-30"), 1.0));
        b.add_spell(spell(people[3], south, SpellKind::Permanent, "2023-01-01", Some("2024-03-31"), 1.0));
        b.add_spell(spell(people[4], north, SpellKind::Permanent, "2023-01-01", Some("2024-06-30"), 1.0));
        b.add_spell(spell(people[5], north, SpellKind::Permanent, "2023-01-01", None, 1.0));
        let wf = b.build();
        let pays = [
            payment(people[0], "2024-01-01", 5_000.0, None, Taper::None),
            payment(people[4], "2024-01-01", 5_000.0, None, Taper::None),
            payment(people[5], "2024-06-01", 5_000.0, None, Taper::None),
        ];
        let fig = incentive_figures(&wf, &pays, d("2025-06-30"));
        // Followed: p0 (retained), p4 (left), p5 (retained).
        assert_eq!((fig.recipients_followed, fig.recipients_retained), (3, 2));
        // Each recipient's group is p1 (stays) and p2 (leaves): the other recipients were paid within the year.
        assert_eq!((fig.comparison_followed, fig.comparison_retained), (6, 3));
        assert_eq!(fig.comparison_retention_12m_pct, Some(50.0));
        assert_eq!(fig.paid_to_followed, 15_000.0);
        // 66.7% against 50%: 0.5 extra people retained for 15,000.
        assert!((fig.cost_per_retained_year.unwrap_or(0.0) - 30_000.0).abs() < 1e-6);
    }
}
