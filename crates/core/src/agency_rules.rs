//! DfE's rules for agency child and family social workers (statutory
//! guidance in force from 31 October 2024), checked assignment by
//! assignment, and the rows of the quarterly agency data return.
//!
//! - An **assignment** here is one agency spell as the export gave it
//!   (one row of an agency export), with its commercial terms beside it.
//! - **Price cap** (`over_cap`): the hourly pay rate (which the caps include
//!   with employer NICs and holiday pay) is above the cap for the region
//!   and the assignment's role type in force on its first day. Caps apply
//!   only to assignments that begin inside a cap's dates; a breach stays a
//!   breach when it is signed off, and the sign-off is shown beside it.
//! - **Experience** (`pqe_under_3y`): the assignment began before the day
//!   3 years after the person qualified (beginning exactly 3 years on is
//!   allowed), or the export records under 36 months of local authority
//!   experience since qualifying.
//! - **Cooling off** (`cooling_off`): the assignment began before the day
//!   3 months after the person's last day in a permanent post with the
//!   authority (a leaving, not a move), or in the region as a regional list
//!   records it. Beginning exactly 3 months on is allowed.
//! - **Notice** (`notice_period`): a notice period over 4 weeks.
//!
//! The rules are checked for assignments beginning on or after
//! [`GUIDANCE_IN_FORCE`]; earlier ones are not judged against them.

use crate::calendar::{Calendar, Date, Period};
use crate::codes::SpellKind;
use crate::model::{PersonIdx, TeamId, Workforce};
use crate::source::AgencyTerms;
use crate::OrgRole;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The day the statutory guidance came into force.
pub const GUIDANCE_IN_FORCE: Date = match NaiveDate::from_ymd_opt(2024, 10, 31) {
    Some(d) => d,
    None => panic!("a valid date"),
};
/// The first day of the price caps: they apply to assignments beginning on
/// or after it (and within a cap's own dates).
pub const CAPS_FROM: Date = match NaiveDate::from_ymd_opt(2025, 10, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};
/// Post-qualifying experience needed before agency work, in months.
pub const PQE_MONTHS: u32 = 36;
/// The months between leaving a permanent post and an agency assignment.
pub const COOLING_OFF_MONTHS: u32 = 3;
/// The longest notice period, in weeks.
pub const MAX_NOTICE_WEEKS: f64 = 4.0;

/// DfE's five role types for price caps and the data return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleType {
    SocialWorker,
    SeniorSocialWorker,
    /// Including assistant team managers and principal social workers.
    AdvancedPractitioner,
    TeamManager,
    /// Independent reviewing officer or child protection conference chair.
    Iro,
}

impl RoleType {
    pub const ALL: [RoleType; 5] = [
        RoleType::SocialWorker,
        RoleType::SeniorSocialWorker,
        RoleType::AdvancedPractitioner,
        RoleType::TeamManager,
        RoleType::Iro,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoleType::SocialWorker => "social_worker",
            RoleType::SeniorSocialWorker => "senior_social_worker",
            RoleType::AdvancedPractitioner => "advanced_practitioner",
            RoleType::TeamManager => "team_manager",
            RoleType::Iro => "iro",
        }
    }

    /// In words, as pages and the return's notes say it.
    pub fn words(self) -> &'static str {
        match self {
            RoleType::SocialWorker => "social worker",
            RoleType::SeniorSocialWorker => "senior social worker",
            RoleType::AdvancedPractitioner => "advanced practitioner",
            RoleType::TeamManager => "team manager",
            RoleType::Iro => "independent reviewing officer or conference chair",
        }
    }

    pub fn parse(text: &str) -> Option<RoleType> {
        let t = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        RoleType::ALL.into_iter().find(|r| r.as_str() == t)
    }

    /// The role type a CSWW organisational role stands for when the export
    /// maps no title: first line managers are team managers, senior
    /// practitioners advanced practitioners, case holders and other
    /// qualified social workers social workers; senior and middle managers
    /// are none of the five.
    pub fn of_org_role(role: OrgRole) -> Option<RoleType> {
        match role {
            OrgRole::FirstLineManager => Some(RoleType::TeamManager),
            OrgRole::SeniorPractitioner => Some(RoleType::AdvancedPractitioner),
            OrgRole::CaseHolder | OrgRole::QualifiedWithoutCases => Some(RoleType::SocialWorker),
            OrgRole::SeniorManager | OrgRole::MiddleManager => None,
        }
    }
}

/// A regional price cap: the most an hour for a role type, from a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceCap {
    pub region: String,
    pub role_type: RoleType,
    /// Pounds an hour.
    pub cap: f64,
    pub from: Date,
    pub to: Option<Date>,
}

/// Someone who left a permanent social work post in the region, as a
/// regional list gives it (matched by SWE number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionalLeaver {
    pub swe_no: String,
    /// The last day in post.
    pub left: Date,
    pub employer: Option<String>,
}

/// One agency assignment with what the rules and the return need.
#[derive(Debug, Clone, PartialEq)]
pub struct AgencyAssignment {
    /// The export's reference, or the person's identifier and first day.
    pub reference: String,
    pub person: PersonIdx,
    pub team: TeamId,
    pub org_role: OrgRole,
    pub start: Date,
    pub end: Option<Date>,
    pub fte: f64,
    pub agency: Option<String>,
    pub charge_rate: Option<f64>,
    pub pay_rate: Option<f64>,
    pub role_type: Option<RoleType>,
    pub project_team: Option<bool>,
    pub notice_weeks: Option<f64>,
    pub signed_off_by: Option<String>,
    pub la_experience_months: Option<f64>,
}

impl AgencyAssignment {
    /// Whether it was in place on some day of `period`.
    pub fn overlaps(&self, period: Period) -> bool {
        self.start <= period.end && self.end.is_none_or(|e| e >= period.start)
    }
}

/// The workforce's agency assignments with their terms: each agency spell,
/// joined to the terms of the same person and first day (where an export
/// gives one person two assignments beginning the same day, their terms
/// are taken in turn; a later batch's terms replace an earlier's).
pub fn assignments(wf: &Workforce, terms: &[AgencyTerms]) -> Vec<AgencyAssignment> {
    let mut by_key: std::collections::HashMap<(PersonIdx, Date), Vec<&AgencyTerms>> = std::collections::HashMap::new();
    for t in terms {
        by_key.entry((t.person, t.start)).or_default().push(t);
    }
    // Where the same assignment's terms came twice (a later batch), the later ones, in their order.
    let mut spells_at: std::collections::HashMap<(PersonIdx, Date), usize> = std::collections::HashMap::new();
    for s in wf.spells().iter().filter(|s| s.kind == SpellKind::Agency) {
        *spells_at.entry((s.person, s.start)).or_default() += 1;
    }
    for (key, list) in by_key.iter_mut() {
        let wanted = spells_at.get(key).copied().unwrap_or(1);
        if list.len() > wanted {
            list.drain(..list.len() - wanted);
        }
    }
    let mut taken: std::collections::HashMap<(PersonIdx, Date), usize> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for s in wf.spells().iter().filter(|s| s.kind == SpellKind::Agency) {
        let key = (s.person, s.start);
        let turn = taken.entry(key).or_default();
        let t = by_key.get(&key).and_then(|list| list.get(*turn).or(list.last())).copied();
        *turn += 1;
        let reference =
            t.and_then(|t| t.reference.clone()).unwrap_or_else(|| format!("{}-{}", wf.person(s.person).id, s.start));
        out.push(AgencyAssignment {
            reference,
            person: s.person,
            team: s.team,
            org_role: s.org_role,
            start: s.start,
            end: s.end,
            fte: s.fte,
            agency: t.and_then(|t| t.agency.clone()),
            charge_rate: s.charge_rate.or(t.and_then(|t| t.charge_rate)),
            pay_rate: t.and_then(|t| t.pay_rate),
            role_type: t.and_then(|t| t.role_type).or(RoleType::of_org_role(s.org_role)),
            project_team: t.and_then(|t| t.project_team),
            notice_weeks: t.and_then(|t| t.notice_weeks),
            signed_off_by: t.and_then(|t| t.signed_off_by.clone()),
            la_experience_months: t.and_then(|t| t.la_experience_months),
        });
    }
    out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.reference.cmp(&b.reference)));
    out
}

/// One of DfE's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    OverCap,
    PqeUnder3y,
    CoolingOff,
    NoticePeriod,
}

impl Rule {
    pub const ALL: [Rule; 4] = [Rule::OverCap, Rule::PqeUnder3y, Rule::CoolingOff, Rule::NoticePeriod];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::OverCap => "over_cap",
            Rule::PqeUnder3y => "pqe_under_3y",
            Rule::CoolingOff => "cooling_off",
            Rule::NoticePeriod => "notice_period",
        }
    }

    /// The rule in words.
    pub fn words(self) -> &'static str {
        match self {
            Rule::OverCap => "Pay above the regional price cap",
            Rule::PqeUnder3y => "Under 3 years' post-qualifying experience",
            Rule::CoolingOff => "Within 3 months of leaving a permanent post",
            Rule::NoticePeriod => "Notice period over 4 weeks",
        }
    }
}

/// One assignment breaking one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach {
    pub reference: String,
    pub person: PersonIdx,
    pub rule: Rule,
    /// What the records show, in words.
    pub detail: String,
    /// Who signed off a price-cap breach, when recorded.
    pub signed_off_by: Option<String>,
}

/// What the rules read beside the workforce.
#[derive(Debug, Clone, Default)]
pub struct RuleBook<'a> {
    pub caps: &'a [PriceCap],
    /// The authority's region, to pick its caps; `None` takes caps of any
    /// region (an export of one region's caps). Caps with no region apply
    /// in every region.
    pub region: Option<&'a str>,
    pub regional_leavers: &'a [RegionalLeaver],
}

/// Which region's caps the rules judge pay by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CapRegion {
    /// The region named, or the one the caps hold (none when they name none).
    Judged(Option<String>),
    /// The caps hold several regions and none was named: pay is not judged.
    Several(Vec<String>),
}

impl CapRegion {
    /// The region judged by, if one is.
    pub fn name(&self) -> Option<&str> {
        match self {
            CapRegion::Judged(r) => r.as_deref(),
            CapRegion::Several(_) => None,
        }
    }
}

/// The regions the caps name, each once, in name order.
pub fn cap_regions(caps: &[PriceCap]) -> Vec<String> {
    let mut regions: Vec<String> = caps.iter().map(|c| c.region.trim().to_string()).filter(|r| !r.is_empty()).collect();
    regions.sort_by_key(|r| r.to_lowercase());
    regions.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    regions
}

/// The region to judge pay by: `given`, else the one region the caps hold.
/// A region given that the caps do not hold is an error, in words.
pub fn cap_region(caps: &[PriceCap], given: Option<&str>) -> Result<CapRegion, String> {
    let regions = cap_regions(caps);
    match given.map(str::trim).filter(|g| !g.is_empty()) {
        Some(g) if regions.is_empty() || regions.iter().any(|r| r.eq_ignore_ascii_case(g)) => {
            Ok(CapRegion::Judged(Some(g.to_string())))
        }
        Some(g) => Err(format!("the price caps hold no region `{g}`; they hold: {}", regions.join(", "))),
        None if regions.len() > 1 => Ok(CapRegion::Several(regions)),
        None => Ok(CapRegion::Judged(regions.into_iter().next())),
    }
}

impl crate::recruitment::RecruitmentRecords {
    /// The rules' book from these records: the caps of `region` (none when
    /// the caps hold several regions and none was chosen) and the regional
    /// list of leavers.
    pub fn rule_book<'a>(&'a self, region: &'a CapRegion) -> RuleBook<'a> {
        let caps: &[PriceCap] = match region {
            CapRegion::Judged(_) => &self.price_caps,
            CapRegion::Several(_) => &[],
        };
        RuleBook { caps, region: region.name(), regional_leavers: &self.regional_leavers }
    }
}

fn months_after(d: Date, months: u32) -> Date {
    d.checked_add_months(Months::new(months)).unwrap_or(Date::MAX)
}

/// The cap in force for `role_type` on `day`, in `region` (any region when
/// `None`; a cap with no region applies in all); none before [`CAPS_FROM`].
pub fn cap_for<'a>(caps: &'a [PriceCap], region: Option<&str>, role_type: RoleType, day: Date) -> Option<&'a PriceCap> {
    if day < CAPS_FROM {
        return None;
    }
    caps.iter()
        .filter(|c| {
            c.role_type == role_type
                && c.from <= day
                && c.to.is_none_or(|t| day <= t)
                && (c.region.trim().is_empty() || region.is_none_or(|r| c.region.trim().eq_ignore_ascii_case(r.trim())))
        })
        // The latest cap to start wins where an export repeats one.
        .max_by_key(|c| c.from)
}

/// An assignment's cap and whether its pay is above it; `None` when it
/// cannot be judged (no role type, pay rate or cap in force on its first day).
pub fn cap_status<'a>(book: &RuleBook<'a>, a: &AgencyAssignment) -> Option<(&'a PriceCap, bool)> {
    let cap = cap_for(book.caps, book.region, a.role_type?, a.start)?;
    Some((cap, a.pay_rate? > cap.cap + 1e-9))
}

/// The breaches of one assignment, in rule order.
pub fn check(wf: &Workforce, book: &RuleBook<'_>, a: &AgencyAssignment) -> Vec<Breach> {
    let mut out = Vec::new();
    if a.start < GUIDANCE_IN_FORCE {
        return out;
    }
    let mut breach = |rule: Rule, detail: String, signed_off_by: Option<String>| {
        out.push(Breach { reference: a.reference.clone(), person: a.person, rule, detail, signed_off_by });
    };
    // Price cap.
    if let (Some((cap, true)), Some(role), Some(pay)) = (cap_status(book, a), a.role_type, a.pay_rate) {
        let signed = match &a.signed_off_by {
            Some(who) => format!("; signed off by {who}"),
            None => "; no sign-off recorded".to_string(),
        };
        let region = if cap.region.trim().is_empty() { "national".to_string() } else { cap.region.clone() };
        breach(
            Rule::OverCap,
            format!(
                "pay rate £{pay:.2} an hour is above the {region} cap of £{:.2} for the role of {} (from {}){signed}",
                cap.cap,
                role.words(),
                crate::words::long_date(cap.from)
            ),
            a.signed_off_by.clone(),
        );
    }
    // Experience.
    let person = wf.person(a.person);
    match person.qualification_date {
        Some(q) if a.start < months_after(q, PQE_MONTHS) => {
            let months = crate::calendar::whole_months(q, a.start);
            let detail = if a.start < q {
                format!("qualified on {}, after the assignment began", crate::words::long_date(q))
            } else {
                format!(
                    "qualified on {}: {} before the assignment began",
                    crate::words::long_date(q),
                    crate::words::years_and_months(months)
                )
            };
            breach(Rule::PqeUnder3y, detail, None);
        }
        _ => {
            if let Some(m) = a.la_experience_months.filter(|m| *m < f64::from(PQE_MONTHS)) {
                breach(Rule::PqeUnder3y, format!("{m} months' local authority experience recorded"), None);
            }
        }
    }
    // Cooling off: the authority's own permanent posts, then the regional list.
    let own = wf
        .spells_of(a.person)
        .iter()
        .filter(|s| s.kind == SpellKind::Permanent)
        .filter_map(|s| s.end)
        .filter(|last| {
            *last < a.start
                && a.start < months_after(*last, COOLING_OFF_MONTHS)
                && last.succ_opt().is_some_and(|after| !wf.is_employed_on(a.person, after))
        })
        .max();
    if let Some(last) = own {
        breach(
            Rule::CoolingOff,
            format!(
                "left a permanent post with the authority on {}; the assignment began on {}",
                crate::words::long_date(last),
                crate::words::long_date(a.start)
            ),
            None,
        );
    } else if let Some(swe) = &person.swe_no {
        let listed = book
            .regional_leavers
            .iter()
            .filter(|l| l.swe_no.eq_ignore_ascii_case(swe))
            .filter(|l| l.left < a.start && a.start < months_after(l.left, COOLING_OFF_MONTHS))
            .max_by_key(|l| l.left);
        if let Some(l) = listed {
            let employer = l.employer.as_deref().map(|e| format!(" ({e})")).unwrap_or_default();
            breach(
                Rule::CoolingOff,
                format!(
                    "left a permanent post in the region{employer} on {}; the assignment began on {}",
                    crate::words::long_date(l.left),
                    crate::words::long_date(a.start)
                ),
                None,
            );
        }
    }
    // Notice.
    if let Some(w) = a.notice_weeks.filter(|w| *w > MAX_NOTICE_WEEKS) {
        breach(Rule::NoticePeriod, format!("notice period of {w} weeks; at most 4"), None);
    }
    out
}

/// The cost of agency work in one calendar month (to `until` in the last).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthCost {
    /// `2025-09`.
    pub month: String,
    /// Pounds, for the FTE-days whose charge is recorded.
    pub cost: f64,
    /// The share of agency FTE-days whose charge is recorded, 0 to 1 (`None` with no agency time).
    pub costed_share: Option<f64>,
}

/// Agency cost for each calendar month from the one holding `from` to the
/// one holding `until` (the first only from `from`, the last only to
/// `until`), for one team or all.
pub fn monthly_cost(
    wf: &Workforce,
    calendar: &Calendar,
    from: Date,
    until: Date,
    team: Option<TeamId>,
) -> Vec<MonthCost> {
    let mut out = Vec::new();
    let mut first = from;
    while first <= until {
        let end = crate::calendar::month_end(first).min(until);
        let mut costs = crate::agency::cost_by_team(wf, calendar, Period { start: first, end });
        costs.retain(|c| team.is_none_or(|t| c.team == t));
        let (cost, days, costed): (f64, f64, f64) =
            costs.iter().fold((0.0, 0.0, 0.0), |(c, d, k), t| (c + t.cost, d + t.fte_days, k + t.costed_fte_days));
        out.push(MonthCost {
            month: format!("{:04}-{:02}", first.year(), first.month()),
            cost,
            costed_share: (days > 0.0).then(|| costed / days),
        });
        first = crate::calendar::next_day(end);
    }
    out
}

/// The cost of an assignment's hour above the same role's permanent cost:
/// the charge less the permanent hourly cost (pay scale with on-costs).
pub fn premium_per_hour(a: &AgencyAssignment, permanent_hourly: Option<f64>) -> Option<f64> {
    Some(a.charge_rate? - permanent_hourly?)
}

/// What the agency-rules command, page and return say at a date.
#[derive(Debug, Clone)]
pub struct Compliance {
    /// Assignments judged: those beginning from [`GUIDANCE_IN_FORCE`] to the date.
    pub judged: usize,
    pub breaches: Vec<Breach>,
    /// Judged assignments the cap could not be checked for (no pay rate, role type or cap in force).
    pub cap_not_checked: usize,
    /// Judged assignments with neither a qualification date nor recorded experience.
    pub pqe_not_known: usize,
}

impl Compliance {
    /// Assignments breaking `rule`.
    pub fn count(&self, rule: Rule) -> usize {
        self.breaches.iter().filter(|b| b.rule == rule).count()
    }
}

/// Every assignment that began from the guidance to `as_of`, checked.
pub fn compliance(wf: &Workforce, book: &RuleBook<'_>, all: &[AgencyAssignment], as_of: Date) -> Compliance {
    let judged: Vec<&AgencyAssignment> =
        all.iter().filter(|a| a.start >= GUIDANCE_IN_FORCE && a.start <= as_of).collect();
    compliance_of(wf, book, &judged)
}

/// The rules checked for the given assignments.
pub fn compliance_of(wf: &Workforce, book: &RuleBook<'_>, judged: &[&AgencyAssignment]) -> Compliance {
    let mut breaches = Vec::new();
    let (mut cap_not_checked, mut pqe_not_known) = (0, 0);
    let judged: Vec<&&AgencyAssignment> = judged.iter().filter(|a| a.start >= GUIDANCE_IN_FORCE).collect();
    for a in &judged {
        breaches.extend(check(wf, book, a));
        if cap_status(book, a).is_none() {
            cap_not_checked += 1;
        }
        if wf.person(a.person).qualification_date.is_none() && a.la_experience_months.is_none() {
            pqe_not_known += 1;
        }
    }
    Compliance { judged: judged.len(), breaches, cap_not_checked, pqe_not_known }
}

/// One breach as the rules' report gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreachRow {
    pub reference: String,
    pub rule: &'static str,
    pub detail: String,
    pub signed_off_by: Option<String>,
}

/// What `sightline agency-rules`, the Agency rules page and its API give at a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulesReport {
    pub as_of: String,
    /// The region whose caps judged pay (`null` when the caps name none, or hold several and none was chosen).
    pub region: Option<String>,
    /// When the caps hold several regions and none was chosen: they, and pay is not judged.
    pub regions_held: Vec<String>,
    pub judged: usize,
    /// Assignments in place on the date.
    pub in_place: usize,
    pub assignments: Vec<BreachRow>,
    pub over_cap: usize,
    pub over_cap_signed_off: usize,
    pub pqe_under_3y: usize,
    pub cooling_off: usize,
    pub notice_period: usize,
    pub cap_not_checked: usize,
    pub pqe_not_known: usize,
    pub monthly_cost: Vec<MonthCost>,
    pub conversions_12m: usize,
}

/// The rules' report at `as_of`: every assignment judged, the breaches, and
/// the cost of agency work in each of the 12 calendar months ending with
/// `as_of`'s (money to the penny, shares to 3 places).
pub fn rules_report(
    wf: &Workforce,
    calendar: &Calendar,
    records: &crate::recruitment::RecruitmentRecords,
    all: &[AgencyAssignment],
    region: &CapRegion,
    as_of: Date,
) -> RulesReport {
    let book = records.rule_book(region);
    let c = compliance(wf, &book, all, as_of);
    let from = as_of.with_day(1).and_then(|d| d.checked_sub_months(Months::new(11))).unwrap_or(as_of);
    let round = crate::indicators::round_dfe;
    let monthly_cost = monthly_cost(wf, calendar, from, as_of, None)
        .into_iter()
        .map(|m| MonthCost { cost: round(m.cost, 2), costed_share: m.costed_share.map(|s| round(s, 3)), ..m })
        .collect();
    RulesReport {
        as_of: as_of.to_string(),
        region: region.name().map(str::to_string),
        regions_held: match region {
            CapRegion::Several(r) => r.clone(),
            CapRegion::Judged(_) => Vec::new(),
        },
        judged: c.judged,
        in_place: all.iter().filter(|a| a.start <= as_of && a.end.is_none_or(|e| e >= as_of)).count(),
        assignments: c
            .breaches
            .iter()
            .map(|b| BreachRow {
                reference: b.reference.clone(),
                rule: b.rule.as_str(),
                detail: b.detail.clone(),
                signed_off_by: b.signed_off_by.clone(),
            })
            .collect(),
        over_cap: c.count(Rule::OverCap),
        over_cap_signed_off: c.breaches.iter().filter(|b| b.rule == Rule::OverCap && b.signed_off_by.is_some()).count(),
        pqe_under_3y: c.count(Rule::PqeUnder3y),
        cooling_off: c.count(Rule::CoolingOff),
        notice_period: c.count(Rule::NoticePeriod),
        cap_not_checked: c.cap_not_checked,
        pqe_not_known: c.pqe_not_known,
        monthly_cost,
        conversions_12m: crate::agency::conversions(wf, Period::twelve_months_to(as_of)).len(),
    }
}

/// A quarter of a calendar year: `2025Q3` is July to September 2025.
pub fn quarter(text: &str) -> Option<Period> {
    let (year, q) = text.trim().to_ascii_uppercase().split_once('Q').map(|(y, q)| (y.to_string(), q.to_string()))?;
    let year: i32 = year.parse().ok().filter(|y| (1900..=9999).contains(y))?;
    let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
    let start = NaiveDate::from_ymd_opt(year, 3 * q - 2, 1)?;
    let end = crate::calendar::month_end(NaiveDate::from_ymd_opt(year, 3 * q, 1)?);
    Some(Period { start, end })
}

/// The columns of the quarterly return's assignment rows: DfE's fields
/// first (reference, SWE number, role type, hourly pay rate, start, end,
/// project team), then what the authority checks them by.
pub const RETURN_COLUMNS: [&str; 12] = [
    "assignment_reference",
    "swe_registration_number",
    "role_type",
    "hourly_pay_rate",
    "start_date",
    "end_date",
    "project_team",
    "agency",
    "team",
    "price_cap",
    "over_cap",
    "cap_signed_off_by",
];

/// One assignment row of the quarterly agency data return.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReturnRow {
    /// The line of a file read back (0 when made from the store).
    pub line: u64,
    pub reference: String,
    pub swe_no: Option<String>,
    pub role_type: Option<String>,
    pub pay_rate: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    /// `yes`, `no` or empty.
    pub project_team: Option<String>,
    pub agency: Option<String>,
    pub team: Option<String>,
    pub cap: Option<String>,
    /// `yes`, `no` or empty (not checked).
    pub over_cap: Option<String>,
    pub signed_off_by: Option<String>,
}

impl ReturnRow {
    fn cells(&self) -> [Option<&str>; 12] {
        [
            Some(self.reference.as_str()),
            self.swe_no.as_deref(),
            self.role_type.as_deref(),
            self.pay_rate.as_deref(),
            self.start.as_deref(),
            self.end.as_deref(),
            self.project_team.as_deref(),
            self.agency.as_deref(),
            self.team.as_deref(),
            self.cap.as_deref(),
            self.over_cap.as_deref(),
            self.signed_off_by.as_deref(),
        ]
    }

    /// A row from its cells in [`RETURN_COLUMNS`]' order.
    pub fn from_cells(line: u64, cells: &[&str]) -> ReturnRow {
        let cell = |i: usize| cells.get(i).map(|c| c.trim()).filter(|c| !c.is_empty()).map(str::to_string);
        ReturnRow {
            line,
            reference: cell(0).unwrap_or_default(),
            swe_no: cell(1),
            role_type: cell(2),
            pay_rate: cell(3),
            start: cell(4),
            end: cell(5),
            project_team: cell(6),
            agency: cell(7),
            team: cell(8),
            cap: cell(9),
            over_cap: cell(10),
            signed_off_by: cell(11),
        }
    }
}

/// The assignment rows of the return for `quarter`: every assignment in
/// place on some day of it, in order of first day and reference.
pub fn return_rows(wf: &Workforce, book: &RuleBook<'_>, all: &[AgencyAssignment], quarter: Period) -> Vec<ReturnRow> {
    all.iter()
        .filter(|a| a.overlaps(quarter))
        .map(|a| {
            let status = cap_status(book, a);
            let cap = status.map(|(c, _)| c);
            let over = status.map(|(_, over)| if over { "yes" } else { "no" }.to_string());
            ReturnRow {
                line: 0,
                reference: a.reference.clone(),
                swe_no: wf.person(a.person).swe_no.clone(),
                role_type: a.role_type.map(|r| r.as_str().to_string()),
                pay_rate: a.pay_rate.map(|p| format!("{p:.2}")),
                start: Some(a.start.to_string()),
                end: a.end.map(|e| e.to_string()),
                project_team: a.project_team.map(|y| if y { "yes" } else { "no" }.to_string()),
                agency: a.agency.clone(),
                team: Some(wf.team_name(a.team).to_string()),
                cap: cap.map(|c| format!("{:.2}", c.cap)),
                over_cap: over,
                signed_off_by: a.signed_off_by.clone(),
            }
        })
        .collect()
}

/// A CSV field, quoted when it must be (and a leading `=`, `+`, `-` or `@`
/// neutralised, so that no spreadsheet reads it as a formula).
pub fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The assignment rows as CSV, with the heading line.
pub fn return_csv(rows: &[ReturnRow]) -> String {
    let mut out = RETURN_COLUMNS.join(",");
    out.push('\n');
    for r in rows {
        let cells: Vec<String> = r.cells().iter().map(|c| csv_field(c.unwrap_or(""))).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The return's general section as CSV (`section,item,value,explanation`):
/// compliance by rule for the quarter's assignments with explanations, each
/// breach with what the records show (and who signed it off), and the cost
/// by month.
pub fn return_general_csv(c: &Compliance, monthly: &[MonthCost]) -> String {
    let f = csv_field;
    let mut out = String::from("section,item,value,explanation\n");
    out.push_str(&format!(
        "compliance,assignments judged,{},{}\n",
        c.judged,
        f("assignments in place in the quarter that began on or after 31 October 2024, when the guidance came into force")
    ));
    for rule in Rule::ALL {
        out.push_str(&format!("compliance,{},{},{}\n", rule.as_str(), c.count(rule), f(rule.words())));
    }
    out.push_str(&format!(
        "compliance,cap not checked,{},{}\n",
        c.cap_not_checked,
        f("no pay rate, role type or price cap in force on the first day")
    ));
    for b in &c.breaches {
        out.push_str(&format!("breach,{},{},{}\n", f(&b.reference), b.rule.as_str(), f(&b.detail)));
    }
    for m in monthly {
        let share =
            m.costed_share.map_or(String::new(), |s| format!("charge recorded for {:.0}% of agency time", s * 100.0));
        out.push_str(&format!("monthly cost,{},{:.2},{}\n", m.month, m.cost, f(&share)));
    }
    out
}

/// How serious a finding of the return's checks is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// DfE cannot take the row as it is.
    Error,
    /// Worth a look before sending.
    Warning,
}

/// One thing the return's checks found.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    /// `AGY01`...
    pub code: &'static str,
    pub line: u64,
    pub reference: String,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let at = if self.line > 0 { format!("line {}, ", self.line) } else { String::new() };
        write!(f, "{} {sev}: {at}assignment `{}`: {}", self.code, self.reference, self.message)
    }
}

/// The return's checks, row by row: every DfE field present and well
/// formed, dates in order and in the quarter, references unique, price-cap
/// breaches signed off.
pub fn check_return(rows: &[ReturnRow], quarter: Option<Period>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    for r in rows {
        let mut find = |severity, code, message: String| {
            out.push(Finding { severity, code, line: r.line, reference: r.reference.clone(), message });
        };
        if r.reference.is_empty() {
            find(Severity::Error, "AGY01", "no assignment reference".into());
        } else if let Some(first) = seen.insert(r.reference.as_str(), r.line) {
            find(Severity::Error, "AGY02", format!("the same reference as line {first}"));
        }
        match r.swe_no.as_deref() {
            None => find(Severity::Error, "AGY03", "no SWE registration number".into()),
            Some(s) if !crate::codes::is_swe_number(s) => {
                find(Severity::Error, "AGY03", format!("`{s}` is not an SWE number (SW, then digits)"))
            }
            _ => {}
        }
        match r.role_type.as_deref() {
            None => find(Severity::Error, "AGY04", "no role type".into()),
            Some(t) if RoleType::parse(t).is_none() => find(
                Severity::Error,
                "AGY04",
                format!("role type `{t}`: use social_worker, senior_social_worker, advanced_practitioner, team_manager or iro"),
            ),
            _ => {}
        }
        match r.pay_rate.as_deref().map(|p| p.trim_start_matches('£').replace(',', "").parse::<f64>()) {
            None => find(Severity::Error, "AGY05", "no hourly pay rate".into()),
            Some(Ok(p)) if p.is_finite() && p > 0.0 && p < 1_000.0 => {}
            Some(_) => find(
                Severity::Error,
                "AGY05",
                format!(
                    "hourly pay rate `{}` is not an amount in pounds above 0",
                    r.pay_rate.as_deref().unwrap_or_default()
                ),
            ),
        }
        let date = |text: Option<&str>| text.map(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d"));
        let start = match date(r.start.as_deref()) {
            None => {
                find(Severity::Error, "AGY06", "no start date".into());
                None
            }
            Some(Err(_)) => {
                find(
                    Severity::Error,
                    "AGY06",
                    format!("start date `{}`: use YYYY-MM-DD", r.start.as_deref().unwrap_or_default()),
                );
                None
            }
            Some(Ok(d)) => Some(d),
        };
        let end = match date(r.end.as_deref()) {
            Some(Err(_)) => {
                find(
                    Severity::Error,
                    "AGY07",
                    format!("end date `{}`: use YYYY-MM-DD", r.end.as_deref().unwrap_or_default()),
                );
                None
            }
            Some(Ok(d)) => Some(d),
            None => None,
        };
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                find(Severity::Error, "AGY07", "ends before it starts".into());
            }
        }
        if let (Some(q), Some(s)) = (quarter, start) {
            if s > q.end || end.is_some_and(|e| e < q.start) {
                find(Severity::Error, "AGY08", format!("not in place in the quarter {} to {}", q.start, q.end));
            }
        }
        match r.project_team.as_deref() {
            Some("yes" | "no") => {}
            None => find(Severity::Warning, "AGY09", "not said whether part of a project team".into()),
            Some(v) => find(Severity::Error, "AGY09", format!("project team `{v}`: use yes or no")),
        }
        if r.over_cap.as_deref() == Some("yes") && r.signed_off_by.is_none() {
            find(Severity::Warning, "AGY10", "pay above the price cap with no sign-off recorded".into());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::{d, spell};
    use crate::model::{Spell, WorkforceBuilder};

    fn terms(person: PersonIdx, start: &str, pay: f64) -> AgencyTerms {
        AgencyTerms {
            person,
            start: d(start),
            agency: Some("Locums Ltd".into()),
            charge_rate: Some(pay + 15.0),
            pay_rate: Some(pay),
            covering: None,
            reference: Some(format!("A-{}", person.0)),
            role_type: None,
            project_team: Some(false),
            notice_weeks: None,
            signed_off_by: None,
            la_experience_months: None,
        }
    }

    fn rules_of(wf: &Workforce, book: &RuleBook<'_>, t: &[AgencyTerms]) -> Vec<(String, Rule)> {
        let all = assignments(wf, t);
        let c = compliance(wf, book, &all, d("2026-03-31"));
        c.breaches.into_iter().map(|b| (b.reference, b.rule)).collect()
    }

    #[test]
    fn experience_of_exactly_three_years_is_enough_and_a_day_less_is_not() {
        let mut b = WorkforceBuilder::new();
        let team = b.team("North");
        let (a, c) = (b.person("a"), b.person("c"));
        b.person_mut(a).qualification_date = Some(d("2022-11-01"));
        b.person_mut(c).qualification_date = Some(d("2022-11-02"));
        b.add_spell(spell(a, team, SpellKind::Agency, "2025-11-01", None, 1.0));
        b.add_spell(spell(c, team, SpellKind::Agency, "2025-11-01", None, 1.0));
        let wf = b.build();
        let t = [terms(a, "2025-11-01", 30.0), terms(c, "2025-11-01", 30.0)];
        assert_eq!(rules_of(&wf, &RuleBook::default(), &t), [("A-1".to_string(), Rule::PqeUnder3y)]);
        // Recorded experience counts when the qualification date is not known.
        let mut b = WorkforceBuilder::new();
        let team = b.team("North");
        let e = b.person("e");
        b.add_spell(spell(e, team, SpellKind::Agency, "2025-11-01", None, 1.0));
        let wf = b.build();
        let short = AgencyTerms { la_experience_months: Some(35.0), ..terms(e, "2025-11-01", 30.0) };
        assert_eq!(rules_of(&wf, &RuleBook::default(), &[short]).len(), 1);
        let enough = AgencyTerms { la_experience_months: Some(36.0), ..terms(e, "2025-11-01", 30.0) };
        assert!(rules_of(&wf, &RuleBook::default(), &[enough]).is_empty());
    }

    #[test]
    fn cooling_off_ends_exactly_three_months_after_the_last_day() {
        let mut b = WorkforceBuilder::new();
        let team = b.team("North");
        let (a, c, e) = (b.person("a"), b.person("c"), b.person("e"));
        for p in [a, c, e] {
            b.add_spell(spell(p, team, SpellKind::Permanent, "2020-01-06", Some("2025-06-30"), 1.0));
        }
        // a: exactly 3 months on (allowed); c: a day sooner (a breach).
        b.add_spell(spell(a, team, SpellKind::Agency, "2025-09-30", None, 1.0));
        b.add_spell(spell(c, team, SpellKind::Agency, "2025-09-29", None, 1.0));
        // e moved to another permanent post the next day (not a leaving: 30 June starts no cooling off).
        b.add_spell(spell(e, team, SpellKind::Permanent, "2025-07-01", Some("2025-07-31"), 1.0));
        b.add_spell(spell(e, team, SpellKind::Agency, "2025-10-30", None, 1.0));
        let wf = b.build();
        let t = [terms(a, "2025-09-30", 30.0), terms(c, "2025-09-29", 30.0), terms(e, "2025-10-30", 30.0)];
        let found = rules_of(&wf, &RuleBook::default(), &t);
        // e left on 31 July (the later post ended then): 30 October is within 3 months.
        assert_eq!(found, [("A-1".to_string(), Rule::CoolingOff), ("A-2".to_string(), Rule::CoolingOff)]);
    }

    #[test]
    fn a_regional_list_catches_leavers_elsewhere_in_the_region() {
        let mut b = WorkforceBuilder::new();
        let team = b.team("North");
        let a = b.person("a");
        b.person_mut(a).swe_no = Some("SW123".into());
        b.add_spell(spell(a, team, SpellKind::Agency, "2025-09-29", None, 1.0));
        let wf = b.build();
        let list =
            [RegionalLeaver { swe_no: "sw123".into(), left: d("2025-06-30"), employer: Some("Next Door".into()) }];
        let book = RuleBook { regional_leavers: &list, ..RuleBook::default() };
        let c = compliance(&wf, &book, &assignments(&wf, &[terms(a, "2025-09-29", 30.0)]), d("2026-03-31"));
        assert_eq!(c.count(Rule::CoolingOff), 1);
        assert!(c.breaches[0].detail.contains("Next Door"), "{}", c.breaches[0].detail);
    }

    #[test]
    fn caps_apply_by_region_role_and_start_date_and_a_sign_off_is_kept() {
        let mut b = WorkforceBuilder::new();
        let team = b.team("North");
        let (a, c, e, f) = (b.person("a"), b.person("c"), b.person("e"), b.person("f"));
        b.add_spell(spell(a, team, SpellKind::Agency, "2025-10-01", None, 1.0));
        // A senior practitioner: an advanced practitioner's cap.
        b.add_spell(Spell {
            org_role: OrgRole::SeniorPractitioner,
            ..spell(c, team, SpellKind::Agency, "2025-10-01", None, 1.0)
        });
        // Began before the caps: not judged against them.
        b.add_spell(spell(e, team, SpellKind::Agency, "2025-09-30", None, 1.0));
        b.add_spell(spell(f, team, SpellKind::Agency, "2025-10-01", None, 1.0));
        let wf = b.build();
        let cap = |region: &str, role_type, cap| PriceCap {
            region: region.into(),
            role_type,
            cap,
            from: d("2025-10-01"),
            to: None,
        };
        let caps = [
            cap("North West", RoleType::SocialWorker, 40.0),
            cap("North West", RoleType::AdvancedPractitioner, 45.0),
            cap("London", RoleType::SocialWorker, 30.0),
        ];
        let book = RuleBook { caps: &caps, region: Some("north west"), regional_leavers: &[] };
        let t = [
            // At the cap exactly: allowed.
            terms(a, "2025-10-01", 40.0),
            terms(c, "2025-10-01", 44.0),
            terms(e, "2025-09-30", 60.0),
            AgencyTerms {
                signed_off_by: Some("Director of Children's Services".into()),
                ..terms(f, "2025-10-01", 40.01)
            },
        ];
        let c = compliance(&wf, &book, &assignments(&wf, &t), d("2026-03-31"));
        assert_eq!(c.count(Rule::OverCap), 1);
        assert_eq!(c.breaches[0].reference, "A-3");
        assert_eq!(c.breaches[0].signed_off_by.as_deref(), Some("Director of Children's Services"));
        // Without a region, London's lower cap is also in force: the latest cap to start wins.
        assert_eq!(cap_for(&caps, Some("London"), RoleType::SocialWorker, d("2025-10-01")).map(|c| c.cap), Some(30.0));
    }

    #[test]
    fn notice_over_four_weeks_and_quarters() {
        let mut b = WorkforceBuilder::new();
        let team = b.team("North");
        let (a, c) = (b.person("a"), b.person("c"));
        b.add_spell(spell(a, team, SpellKind::Agency, "2025-10-01", None, 1.0));
        b.add_spell(spell(c, team, SpellKind::Agency, "2025-10-01", None, 1.0));
        let wf = b.build();
        let t = [
            AgencyTerms { notice_weeks: Some(4.0), ..terms(a, "2025-10-01", 30.0) },
            AgencyTerms { notice_weeks: Some(6.0), ..terms(c, "2025-10-01", 30.0) },
        ];
        assert_eq!(rules_of(&wf, &RuleBook::default(), &t), [("A-1".to_string(), Rule::NoticePeriod)]);
        let q = quarter("2025Q3").unwrap_or_else(|| unreachable!());
        assert_eq!((q.start, q.end), (d("2025-07-01"), d("2025-09-30")));
        assert!(quarter("2025Q5").is_none() && quarter("Q3").is_none());
    }
}
