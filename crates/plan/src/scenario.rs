//! Scenarios: the levers an authority can pull, their timing and costs,
//! and its targets, read from a TOML file a person writes (see
//! docs/data-formats.md and the examples in `crates/plan/scenarios/`).

use crate::fit::Stage;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use sightline_core::Target;

/// A scenario file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{0}")]
    Toml(#[from] toml::de::Error),
    #[error("{what}: {why}")]
    Invalid { what: String, why: String },
}

fn invalid(what: impl Into<String>, why: impl Into<String>) -> ScenarioError {
    ScenarioError::Invalid { what: what.into(), why: why.into() }
}

/// A calendar month, "YYYY-MM".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn parse(text: &str, what: &str) -> Result<Month, ScenarioError> {
        let bad = || invalid(what, format!("`{text}` is not a month: write YYYY-MM, e.g. 2025-04"));
        let (y, m) = text.split_once('-').ok_or_else(bad)?;
        let (year, month) = (y.parse::<i32>().map_err(|_| bad())?, m.parse::<u32>().map_err(|_| bad())?);
        if !(1..=12).contains(&month) || !(1900..=2200).contains(&year) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    pub fn of(d: NaiveDate) -> Month {
        Month { year: d.year(), month: d.month() }
    }

    /// The month's last day; `None` outside the calendar's range.
    pub fn last_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).map(sightline_core::calendar::month_end)
    }

    /// Months from `self` to `other` (negative when `other` is earlier).
    pub fn until(self, other: Month) -> i32 {
        (other.year - self.year) * 12 + other.month as i32 - self.month as i32
    }

    pub fn plus(self, months: i32) -> Month {
        let k = self.year * 12 + self.month as i32 - 1 + months;
        Month { year: k.div_euclid(12), month: (k.rem_euclid(12) + 1) as u32 }
    }
}

impl Month {
    /// The month in words: "March 2027".
    pub fn words(&self) -> String {
        self.named("%B %Y")
    }

    /// The month short, for a chart's axis: "Mar 2027".
    pub fn short(&self) -> String {
        self.named("%b %Y")
    }

    fn named(&self, format: &str) -> String {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .map_or_else(|| self.to_string(), |d| d.format(format).to_string())
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Pay and prices, a year unless said.
#[derive(Debug, Clone, PartialEq)]
pub struct Costs {
    /// Salary by stage (the order of [`crate::STAGES`]), before on-costs.
    pub salary: [f64; 4],
    /// Employer's on-costs (pension, national insurance) as a share of salary.
    pub on_costs: f64,
    /// What an agency charges an hour; `None`: the data's, else £48.
    pub agency_charge_per_hour: Option<f64>,
}

impl Default for Costs {
    /// Round figures for a social worker in an English authority in 2025;
    /// set your own in the scenario's `[costs]`.
    fn default() -> Self {
        Costs { salary: [34_000.0, 41_000.0, 47_000.0, 55_000.0], on_costs: 0.30, agency_charge_per_hour: None }
    }
}

/// A lever changing leaving rates for a group (a retention payment, say).
#[derive(Debug, Clone, PartialEq)]
pub struct Retention {
    pub name: String,
    pub stages: Vec<Stage>,
    /// Whole years of service, from and to (inclusive), of the group.
    pub service_years: Option<(u32, u32)>,
    /// Proportional change to their leaving rate: -0.25 is a quarter fewer leavers.
    pub leaving_change: f64,
    pub from: Month,
    pub months: Option<u32>,
    /// Paid once to each person in the group when it starts.
    pub payment: f64,
    /// A recipient who leaves within this many months repays the payment.
    pub clawback_months: u32,
}

/// A recruitment campaign: `count` hires spread evenly over the months.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    pub name: String,
    pub count: f64,
    /// The months people are recruited in (the cost falls then).
    pub from: Month,
    pub to: Month,
    pub route: Route,
    /// The stage they join at.
    pub stage: Stage,
    /// Months from being recruited to joining (a training programme).
    pub joins_after_months: u32,
    pub cost_each: f64,
}

/// How a campaign's recruits come to the authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Qualified social workers from elsewhere in England.
    Experienced,
    /// Qualified abroad.
    International,
    /// Newly qualified from university.
    NewlyQualified,
    /// Step Up to Social Work: about 14 months' training, then an ASYE.
    StepUp,
    /// Frontline: a year's training, then an ASYE.
    Frontline,
    /// A social work degree apprenticeship: about three years, then an ASYE.
    Apprenticeship,
}

impl Route {
    /// The stage its recruits join at.
    pub fn stage(self) -> Stage {
        match self {
            Route::Experienced | Route::International => Stage::Experienced,
            _ => Stage::NewlyQualified,
        }
    }

    /// Months from recruitment to joining as a social worker, unless the scenario says.
    pub fn training_months(self) -> u32 {
        match self {
            Route::StepUp => 14,
            Route::Frontline => 12,
            Route::Apprenticeship => 36,
            _ => 0,
        }
    }
}

/// Newly qualified intake each year, in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct Intake {
    pub per_year: u32,
    pub month: u32,
    pub from: Month,
    pub cost_each: f64,
}

/// A drive to convert agency workers to employment.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversionDrive {
    /// Proportional change to the conversion rate: 1.0 doubles it.
    pub change: f64,
    pub from: Month,
    pub months: Option<u32>,
    pub cost_each: f64,
}

/// A change to the funded establishment from a month.
#[derive(Debug, Clone, PartialEq)]
pub struct EstablishmentChange {
    pub from: Month,
    pub change_fte: f64,
}

/// A cap on cases per case-holding FTE: from the month, the establishment
/// grows as far as holding the authority's cases at the cap needs.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseloadCap {
    pub from: Month,
    pub cases_per_fte: f64,
}

/// A target whose chance a forecast gives: the core's [`Target`], judged
/// at the end of the month of its date, with the name it is shown by.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastTarget {
    pub name: String,
    /// Its figure is one of [`crate::FIGURES`].
    pub target: Target,
}

impl ForecastTarget {
    /// A target the authority set (as `sightline target set` keeps them),
    /// named by its figure, value and date; `None` for a figure the
    /// forecast does not make.
    pub fn set(target: &Target) -> Option<ForecastTarget> {
        crate::FIGURES.contains(&target.figure.as_str()).then(|| ForecastTarget {
            name: format!(
                "{} {} {} by {}",
                sightline_core::published::field_label(&target.figure),
                target.direction(),
                target.value,
                sightline_core::words::long_date(target.by)
            ),
            target: target.clone(),
        })
    }

    /// The month at whose end it is judged.
    pub fn month(&self) -> Month {
        Month::of(self.target.by)
    }
}

/// A scenario: levers, costs and targets. [`Scenario::baseline`] has none of the levers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub costs: Costs,
    pub retention: Vec<Retention>,
    pub campaigns: Vec<Campaign>,
    pub intake: Vec<Intake>,
    pub conversion: Vec<ConversionDrive>,
    pub establishment: Vec<EstablishmentChange>,
    pub caseload_caps: Vec<CaseloadCap>,
    pub targets: Vec<ForecastTarget>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: String,
    #[serde(default)]
    description: String,
    costs: Option<RawCosts>,
    #[serde(default)]
    retention: Vec<RawRetention>,
    #[serde(default)]
    recruitment: Vec<RawCampaign>,
    #[serde(default)]
    intake: Vec<RawIntake>,
    #[serde(default)]
    conversion: Vec<RawConversion>,
    #[serde(default)]
    establishment: Vec<RawEstablishment>,
    #[serde(default)]
    caseload_cap: Vec<RawCap>,
    #[serde(default)]
    target: Vec<RawTarget>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCosts {
    salary: Option<RawSalary>,
    on_costs: Option<f64>,
    agency_charge_per_hour: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSalary {
    newly_qualified: Option<f64>,
    experienced: Option<f64>,
    senior_practitioner: Option<f64>,
    manager: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetention {
    name: Option<String>,
    stages: Option<Vec<Stage>>,
    service_years: Option<[u32; 2]>,
    leaving_change: f64,
    from: String,
    months: Option<u32>,
    #[serde(default)]
    payment: f64,
    #[serde(default)]
    clawback_months: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCampaign {
    name: Option<String>,
    count: f64,
    from: String,
    to: String,
    route: Option<Route>,
    stage: Option<Stage>,
    joins_after_months: Option<u32>,
    #[serde(default)]
    cost_each: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntake {
    per_year: u32,
    month: Option<u32>,
    from: String,
    #[serde(default)]
    cost_each: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConversion {
    change: f64,
    from: String,
    months: Option<u32>,
    #[serde(default)]
    cost_each: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEstablishment {
    from: String,
    change_fte: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCap {
    from: String,
    cases_per_fte: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    name: Option<String>,
    figure: String,
    at_most: Option<f64>,
    at_least: Option<f64>,
    by: String,
}

fn money(v: f64, what: &str) -> Result<f64, ScenarioError> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(invalid(what, format!("{v} is not an amount of money (0 or more)")))
    }
}

/// The scenarios shipped with Sightline, as (file name, text): examples to
/// copy, and the choices on the dashboard's forecast page.
pub const SHIPPED: [(&str, &str); 3] = [
    ("international-recruitment.toml", include_str!("../scenarios/international-recruitment.toml")),
    ("retention-and-grow-our-own.toml", include_str!("../scenarios/retention-and-grow-our-own.toml")),
    ("caseload-cap.toml", include_str!("../scenarios/caseload-cap.toml")),
];

impl Scenario {
    /// No levers, default costs: the authority as it is going.
    pub fn baseline() -> Scenario {
        Scenario { name: "Baseline".to_string(), ..Scenario::default() }
    }

    /// Reads a scenario; every problem names the part of the file it is in.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let raw: RawScenario = toml::from_str(text)?;
        let mut costs = Costs::default();
        if let Some(c) = raw.costs {
            if let Some(s) = c.salary {
                for (i, v) in
                    [s.newly_qualified, s.experienced, s.senior_practitioner, s.manager].into_iter().enumerate()
                {
                    if let Some(v) = v {
                        costs.salary[i] = money(v, "[costs.salary]")?;
                    }
                }
            }
            if let Some(o) = c.on_costs {
                if !(0.0..=1.0).contains(&o) {
                    return Err(invalid(
                        "[costs] on_costs",
                        format!("{o} is not a share between 0 and 1 (0.3 is 30%)"),
                    ));
                }
                costs.on_costs = o;
            }
            costs.agency_charge_per_hour =
                c.agency_charge_per_hour.map(|v| money(v, "[costs] agency_charge_per_hour")).transpose()?;
        }
        let change = |v: f64, what: &str| {
            if v.is_finite() && v >= -1.0 {
                Ok(v)
            } else {
                Err(invalid(what, format!("{v} is not a proportional change (-1 or more; -0.25 is a quarter less)")))
            }
        };
        let mut scenario = Scenario { name: raw.name, description: raw.description, costs, ..Scenario::default() };
        for (i, r) in raw.retention.into_iter().enumerate() {
            let what = format!("[[retention]] {}", i + 1);
            if let Some([a, b]) = r.service_years {
                if a > b {
                    return Err(invalid(&what, "service_years is [from, to] with from no later than to"));
                }
            }
            scenario.retention.push(Retention {
                name: r.name.unwrap_or_else(|| "Retention".to_string()),
                stages: r.stages.unwrap_or_else(|| crate::STAGES.to_vec()),
                service_years: r.service_years.map(|[a, b]| (a, b)),
                leaving_change: change(r.leaving_change, &what)?,
                from: Month::parse(&r.from, &what)?,
                months: r.months,
                payment: money(r.payment, &what)?,
                clawback_months: r.clawback_months,
            });
        }
        for (i, c) in raw.recruitment.into_iter().enumerate() {
            let what = format!("[[recruitment]] {}", i + 1);
            let (from, to) = (Month::parse(&c.from, &what)?, Month::parse(&c.to, &what)?);
            if to < from {
                return Err(invalid(&what, "it ends (`to`) before it starts (`from`)"));
            }
            if !(c.count.is_finite() && c.count >= 0.0) {
                return Err(invalid(&what, "count is the number of hires, 0 or more"));
            }
            scenario.campaigns.push(Campaign {
                name: c.name.unwrap_or_else(|| "Recruitment".to_string()),
                count: c.count,
                from,
                to,
                route: c.route.unwrap_or(Route::Experienced),
                stage: c.stage.unwrap_or_else(|| c.route.unwrap_or(Route::Experienced).stage()),
                joins_after_months: c
                    .joins_after_months
                    .unwrap_or_else(|| c.route.unwrap_or(Route::Experienced).training_months()),
                cost_each: money(c.cost_each, &what)?,
            });
        }
        for (i, n) in raw.intake.into_iter().enumerate() {
            let what = format!("[[intake]] {}", i + 1);
            let month = n.month.unwrap_or(9);
            if !(1..=12).contains(&month) {
                return Err(invalid(&what, format!("month {month} is not 1 to 12")));
            }
            scenario.intake.push(Intake {
                per_year: n.per_year,
                month,
                from: Month::parse(&n.from, &what)?,
                cost_each: money(n.cost_each, &what)?,
            });
        }
        for (i, c) in raw.conversion.into_iter().enumerate() {
            let what = format!("[[conversion]] {}", i + 1);
            scenario.conversion.push(ConversionDrive {
                change: change(c.change, &what)?,
                from: Month::parse(&c.from, &what)?,
                months: c.months,
                cost_each: money(c.cost_each, &what)?,
            });
        }
        for (i, e) in raw.establishment.into_iter().enumerate() {
            let what = format!("[[establishment]] {}", i + 1);
            if !e.change_fte.is_finite() {
                return Err(invalid(&what, "change_fte is a number of FTE, + or -"));
            }
            scenario
                .establishment
                .push(EstablishmentChange { from: Month::parse(&e.from, &what)?, change_fte: e.change_fte });
        }
        for (i, c) in raw.caseload_cap.into_iter().enumerate() {
            let what = format!("[[caseload_cap]] {}", i + 1);
            if !(c.cases_per_fte.is_finite() && c.cases_per_fte > 0.0) {
                return Err(invalid(&what, "cases_per_fte must be above 0"));
            }
            scenario
                .caseload_caps
                .push(CaseloadCap { from: Month::parse(&c.from, &what)?, cases_per_fte: c.cases_per_fte });
        }
        for (i, t) in raw.target.into_iter().enumerate() {
            let what = format!("[[target]] {}", i + 1);
            if !crate::FIGURES.contains(&t.figure.as_str()) {
                return Err(invalid(
                    &what,
                    format!("`{}` is not a forecast figure: use one of {}", t.figure, crate::FIGURES.join(", ")),
                ));
            }
            let (at_most, value) = match (t.at_most, t.at_least) {
                (Some(v), None) => (true, v),
                (None, Some(v)) => (false, v),
                _ => return Err(invalid(&what, "give one of at_most or at_least")),
            };
            let month = Month::parse(&t.by, &what)?;
            let by = month.last_day().ok_or_else(|| invalid(&what, format!("`{}` is not a month", t.by)))?;
            scenario.targets.push(ForecastTarget {
                name: t.name.unwrap_or_else(|| {
                    format!("{} {} {value} by {}", t.figure, if at_most { "at most" } else { "at least" }, t.by)
                }),
                target: Target { figure: t.figure, at_most, value, by },
            });
        }
        Ok(scenario)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_reads_and_its_mistakes_are_named() {
        let s = Scenario::parse(
            r#"
name = "Grow our own"
[costs]
salary = { experienced = 42000 }
[[retention]]
stages = ["experienced"]
service_years = [2, 3]
leaving_change = -0.3
from = "2025-04"
payment = 3000
clawback_months = 24
[[recruitment]]
count = 25
from = "2025-04"
to = "2027-03"
cost_each = 5000
[[target]]
figure = "agency_rate_fte"
at_most = 20
by = "2027-03"
"#,
        )
        .unwrap();
        assert_eq!(s.costs.salary[1], 42000.0);
        assert_eq!(s.retention[0].service_years, Some((2, 3)));
        assert_eq!(s.campaigns[0].from.until(s.campaigns[0].to), 23);
        assert_eq!(
            (s.campaigns[0].route, s.campaigns[0].stage, s.campaigns[0].joins_after_months),
            (Route::Experienced, Stage::Experienced, 0)
        );
        let frontline = Scenario::parse(
            "name = \"x\"\n[[recruitment]]\nroute = \"frontline\"\ncount = 4\nfrom = \"2026-09\"\nto = \"2026-09\"\n",
        )
        .unwrap();
        assert_eq!(
            (frontline.campaigns[0].stage, frontline.campaigns[0].joins_after_months),
            (Stage::NewlyQualified, 12)
        );
        assert!(s.targets[0].target.at_most && s.targets[0].target.is_met_by(19.9));
        for (text, says) in [
            (
                "name = \"x\"\n[[recruitment]]\ncount = 5\nfrom = \"2025-13\"\nto = \"2026-01\"",
                "[[recruitment]] 1: `2025-13` is not a month",
            ),
            (
                "name = \"x\"\n[[target]]\nfigure = \"happiness\"\nat_most = 1\nby = \"2026-01\"",
                "not a forecast figure",
            ),
            (
                "name = \"x\"\n[[target]]\nfigure = \"agency_rate_fte\"\nby = \"2026-01\"",
                "give one of at_most or at_least",
            ),
            ("name = \"x\"\nlevers = 3", "unknown field `levers`"),
            ("name = \"x\"\n[[retention]]\nleaving_change = -2\nfrom = \"2025-01\"", "not a proportional change"),
        ] {
            let e = Scenario::parse(text).unwrap_err().to_string();
            assert!(e.contains(says), "{e}");
        }
        assert_eq!(Month::parse("2025-11", "").unwrap().plus(3), Month { year: 2026, month: 2 });
    }

    #[test]
    fn the_shipped_scenarios_read() {
        for (file, text) in SHIPPED {
            let s = Scenario::parse(text).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!s.targets.is_empty(), "{file} has targets");
        }
    }
}
