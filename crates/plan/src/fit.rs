//! Monthly rates from the authority's own history, each with the events
//! and the exposure (person-months or vacant-FTE-months) behind it.

use chrono::Datelike;
use sightline_core::calendar::{a_year_before, month_end, next_day, previous_day, whole_months};
use sightline_core::{agency, indicators, leavers, Calendar, Date, OrgRole, Period, QualificationRoute, Workforce};

/// A career stage in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// In the assessed and supported year in employment: a case holder (or
    /// qualified without cases) who qualified in the 12 months before.
    NewlyQualified,
    /// Other case holders and qualified social workers without cases.
    Experienced,
    SeniorPractitioner,
    /// First-line, middle and senior managers.
    Manager,
}

pub const STAGES: [Stage; 4] = [Stage::NewlyQualified, Stage::Experienced, Stage::SeniorPractitioner, Stage::Manager];

impl Stage {
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Stage::NewlyQualified => "newly qualified (ASYE)",
            Stage::Experienced => "experienced",
            Stage::SeniorPractitioner => "senior practitioner",
            Stage::Manager => "manager",
        }
    }

    /// The stage of someone at a career `level`.
    pub fn of_level(level: sightline_core::development::Level) -> Stage {
        use sightline_core::development::Level;
        match level {
            Level::NewlyQualified => Stage::NewlyQualified,
            Level::SocialWorker => Stage::Experienced,
            Level::Senior | Level::Advanced => Stage::SeniorPractitioner,
            Level::Manager => Stage::Manager,
        }
    }

    /// The stage of someone in `role` on `at`, qualified on `qualified`.
    pub fn of(role: OrgRole, qualified: Option<Date>, at: Date) -> Stage {
        match role {
            OrgRole::SeniorManager | OrgRole::MiddleManager | OrgRole::FirstLineManager => Stage::Manager,
            OrgRole::SeniorPractitioner => Stage::SeniorPractitioner,
            OrgRole::CaseHolder | OrgRole::QualifiedWithoutCases => {
                if qualified.is_some_and(|q| q > a_year_before(at) && q <= at) {
                    Stage::NewlyQualified
                } else {
                    Stage::Experienced
                }
            }
        }
    }
}

/// Length-of-service bands: (first month, name).
pub const BANDS: [(u32, &str); 5] =
    [(0, "under 1 year"), (12, "1 to 2 years"), (24, "2 to 3 years"), (36, "3 to 5 years"), (60, "5 years or more")];

/// The band of someone `months` into their employment.
pub fn band_of(months: u32) -> usize {
    BANDS.iter().rposition(|(first, _)| months >= *first).unwrap_or(0)
}

/// Bands of years since qualifying, for the leaving rates by experience
/// (where a pinch point two to three years after qualifying shows).
pub const QUALIFIED_BANDS: [(u32, &str); 6] = [
    (0, "under 1 year"),
    (1, "1 to 2 years"),
    (2, "2 to 3 years"),
    (3, "3 to 5 years"),
    (5, "5 to 10 years"),
    (10, "10 years or more"),
];

fn qualified_band(years: u32) -> usize {
    QUALIFIED_BANDS.iter().rposition(|(first, _)| years >= *first).unwrap_or(0)
}

/// Months in each band before the next (the last band has no end).
pub(crate) const BAND_MONTHS: [f64; 4] = [12.0, 12.0, 12.0, 24.0];

/// A monthly rate: events over exposure.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rate {
    pub events: f64,
    pub exposure: f64,
}

impl Rate {
    pub fn mean(&self) -> Option<f64> {
        (self.exposure > 0.0).then(|| self.events / self.exposure)
    }

    /// The chance of the event within a year at this monthly rate.
    pub fn yearly(&self) -> Option<f64> {
        self.mean().map(|m| 1.0 - (1.0 - m.min(1.0)).powi(12))
    }

    /// A 90% interval for the rate (Poisson events; Wilson and Hilferty's
    /// approximation to the chi-square quantiles).
    pub fn interval(&self) -> Option<(f64, f64)> {
        if self.exposure <= 0.0 {
            return None;
        }
        let chi2 = |k: f64, z: f64| {
            if k <= 0.0 {
                return 0.0;
            }
            let a = 2.0 / (9.0 * k);
            (k * (1.0 - a + z * a.sqrt()).powi(3)).max(0.0)
        };
        let lower = chi2(2.0 * self.events, -1.645) / (2.0 * self.exposure);
        let upper = chi2(2.0 * self.events + 2.0, 1.645) / (2.0 * self.exposure);
        Some((lower, upper))
    }

    fn add(&mut self, other: Rate) {
        self.events += other.events;
        self.exposure += other.exposure;
    }
}

/// What the model starts from and the rates it runs on.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// The last day of data used; the forecast starts the month after.
    pub as_of: Date,
    /// The months the rates come from.
    pub window: Period,
    /// Employed social workers in post at `as_of` by stage and length-of-service band.
    pub stock: [[u32; 5]; 4],
    /// Average FTE of an employed social worker of each stage at `as_of`.
    pub fte_per_head: [f64; 4],
    /// Leaving the authority's employment, per person-month, by stage and band.
    pub leaving: [[Rate; 5]; 4],
    /// Experienced to senior practitioner, and senior practitioner to manager, per person-month.
    pub progression: [Rate; 2],
    /// Employed starters per vacant FTE-month.
    pub hiring: Rate,
    /// Employed starters in the window by the stage they started at.
    pub starters_by_stage: [u32; 4],
    /// Of the starters not newly qualified, those who qualified abroad.
    pub international_starters: u32,
    /// Starters by the route they qualified through (those recorded).
    pub starters_by_route: Vec<(QualificationRoute, u32)>,
    /// Leaving by years since qualifying ([`QUALIFIED_BANDS`]), for those
    /// with a qualification date: shown by `plan fit`, not used by the model.
    pub leaving_by_years_qualified: [Rate; 6],
    /// Agency workers who became employed, per agency worker-month.
    pub conversion: Rate,
    /// The engine's figures at `as_of`.
    pub establishment_fte: f64,
    pub inpost_fte: f64,
    pub vacancy_fte: f64,
    pub agency_fte: f64,
    pub agency_headcount: u32,
    /// Vacancy FTE beyond establishment less employed FTE (teams over
    /// establishment do not fill other teams' posts), held as it is.
    pub structural_vacancy_fte: f64,
    /// Agency FTE for each vacant FTE at `as_of`. A scenario's change to
    /// vacancies is covered by agency in this proportion (at most one agency
    /// FTE for each vacant FTE).
    pub agency_cover: f64,
    /// How far the levels wander in a run, each a monthly step (its mean
    /// kept) measured across every authority's published history by
    /// `sightline plan calibrate`: a service's rates change over time, not
    /// only by chance around fixed ones.
    /// Leaving and hiring: the standard deviation of the level's monthly
    /// log-step ([`LEAVING_VOLATILITY`], [`HIRING_VOLATILITY`]).
    pub leaving_volatility: f64,
    pub hiring_volatility: f64,
    /// The establishment: the standard deviation of its monthly log-step
    /// ([`ESTABLISHMENT_VOLATILITY`]).
    pub establishment_volatility: f64,
    /// Agency FTE: the standard deviation of its monthly step, as a share
    /// of the FTE in post at `as_of` ([`AGENCY_VOLATILITY`]).
    pub agency_volatility: f64,
    /// How far the hiring rate leans from the one the history shows towards
    /// the one that would replace today's leavers and keep vacancies where
    /// they are: 0 not at all, 1 wholly, geometrically ([`HIRING_BALANCE`]).
    pub hiring_balance: f64,
    /// FTE leavers in each of the 12 months to `as_of`, oldest first (for rolling turnover).
    pub leavers_fte_last_12: Vec<f64>,
    /// What the level of leaving is drawn towards (see [`TurnoverPull`]).
    pub turnover_pull: TurnoverPull,
    /// The FTE-weighted hourly charge of agency workers in post at `as_of`, when recorded.
    pub charge_per_hour: Option<f64>,
    /// Cases held and the FTE of those holding them at `as_of` (for caseload caps).
    pub cases: u64,
    pub case_holders_fte: f64,
    /// Hires already known at `as_of`: offers accepted with a first day
    /// after it, as (months after the forecast's first month, stage index,
    /// how many). Each month's hires are at least these (see [`Fitted::with_pipeline`]).
    pub known_starts: Vec<(u32, usize, u32)>,
}

impl Fitted {
    /// The fit with the recruitment pipeline as its starting point: each
    /// vacancy with an offer accepted (and made by `as_of`), a first day after
    /// `as_of` and neither withdrawn nor closed by `as_of` is a known hire in
    /// the month of its first day (the forecast's first month for a day later
    /// in `as_of`'s month), at the stage its route joins at (newly qualified for the
    /// newly qualified, Step Up, Frontline and apprenticeship routes;
    /// experienced otherwise).
    pub fn with_pipeline(mut self, vacancies: &[sightline_core::recruitment::Vacancy]) -> Fitted {
        use sightline_core::recruitment::Route;
        let first = crate::scenario::Month::of(self.as_of).plus(1);
        let mut known: std::collections::BTreeMap<(u32, usize), u32> = std::collections::BTreeMap::new();
        for v in vacancies {
            let Some(start) = v.start_date.filter(|s| *s > self.as_of) else { continue };
            // Accepted, and offered by the date (an offer made later was not known then).
            let accepted = v.accepted.is_some_and(|a| a > 0) && v.offer_date.is_none_or(|o| o <= self.as_of);
            let ended = v.withdrawn.is_some_and(|w| w <= self.as_of) || v.closed.is_some_and(|c| c <= self.as_of);
            if !accepted || ended {
                continue;
            }
            let month = crate::scenario::Month::of(start);
            // A start later in the month of the date joins in the forecast's first month.
            let offset = ((month.year - first.year) * 12 + month.month as i32 - first.month as i32).max(0) as u32;
            let stage = match v.route {
                Some(Route::NewlyQualified | Route::StepUp | Route::Frontline | Route::Apprenticeship) => 0,
                _ => 1,
            };
            *known.entry((offset, stage)).or_default() += 1;
        }
        self.known_starts = known.into_iter().map(|((m, s), n)| (m, s, n)).collect();
        self
    }

    /// The leaving rate of a length-of-service band, all stages together.
    pub fn leaving_by_band(&self, band: usize) -> Rate {
        let mut r = Rate::default();
        for s in &self.leaving {
            r.add(s[band]);
        }
        r
    }

    /// The leaving rate of everyone.
    pub fn leaving_overall(&self) -> Rate {
        let mut r = Rate::default();
        for b in 0..BANDS.len() {
            r.add(self.leaving_by_band(b));
        }
        r
    }

    /// Employed headcount at the start.
    pub fn headcount(&self) -> u32 {
        self.stock.iter().flatten().sum()
    }
}

/// Where a forecast's turnover starts from: the authority's own turnover
/// over the years the rates are fitted on, drawn part of the way towards its
/// turnover in the last year and towards England's latest published rate.
/// A year's turnover in one authority is a few dozen leavers, so it moves
/// by chance as much as by anything lasting; five years' mean keeps the
/// past too long when a service changes, and England's rate carries what
/// moves every authority at once (turnover fell from 15.9% in 2023 to 11.8%
/// in 2025). A forecast scales the leaving rates so that its baseline's
/// median turnover a year ahead is `target`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TurnoverPull {
    /// The mean turnover rate (FTE) of the whole years to `as_of` in the window.
    pub own: Option<f64>,
    /// The turnover rate (FTE) of the 12 months to `as_of`.
    pub last_year: Option<f64>,
    /// England's published turnover rate (FTE) and its census year: the
    /// latest year DfE had published by `as_of` ([`england_turnover_at`]).
    pub england: Option<(i32, f64)>,
    /// The turnover rate (FTE) a year ahead the forecast's median is set to:
    /// the figures weighed by [`TURNOVER_WEIGHTS`], none without `own`.
    pub target: Option<f64>,
    /// What the leaving rates are multiplied by: 1 until a forecast sets
    /// it so that its median turnover a year ahead is `target`.
    pub scale: f64,
}

impl TurnoverPull {
    /// No pull: the rates as fitted.
    pub const NONE: TurnoverPull = TurnoverPull { own: None, last_year: None, england: None, target: None, scale: 1.0 };

    /// The weights of the window's years, the last year and England's as
    /// used: a figure not known gives its weight to the window's years.
    pub fn weights(&self) -> [f64; 3] {
        let known = |v: Option<f64>| v.is_some_and(|v| v.is_finite() && v >= 0.0);
        let [mut own, mut last, mut england] = TURNOVER_WEIGHTS;
        if !known(self.last_year) {
            own += last;
            last = 0.0;
        }
        if !known(self.england.map(|(_, e)| e)) {
            own += england;
            england = 0.0;
        }
        [own, last, england]
    }

    /// The pull from the figures, by [`TURNOVER_WEIGHTS`].
    pub fn of(own: Option<f64>, last_year: Option<f64>, england: Option<(i32, f64)>) -> TurnoverPull {
        let mut pull = TurnoverPull { own, last_year, england, target: None, scale: 1.0 };
        if let Some(o) = own.filter(|o| o.is_finite() && *o >= 0.0) {
            let [w_own, w_last, w_england] = pull.weights();
            let value = |v: Option<f64>| v.filter(|v| v.is_finite()).unwrap_or(0.0);
            pull.target = Some(w_own * o + w_last * value(last_year) + w_england * value(england.map(|(_, e)| e)));
        }
        pull
    }
}

/// The weights of a forecast's turnover a year ahead: the authority's own
/// over the window's years, its last year, England's latest. With them the
/// median's error a year ahead was 0.70 to 0.92 of carrying the last year
/// forward at each cut-off from 2018 to 2024, against 0.67 to 1.06 with the
/// window's rates alone (`sightline plan calibrate`; the user guide has the
/// table). Any weights near these did about as well.
pub const TURNOVER_WEIGHTS: [f64; 3] = [0.4, 0.3, 0.3];

/// England's turnover as it was known on `day` (the latest year DfE had
/// published by then), or none when that year is more than two years older
/// than the latest that could have been (the shipped figures have not been
/// updated for long).
pub fn england_turnover_at(day: Date) -> Option<(i32, f64)> {
    use sightline_core::published::{latest_published_year, Published};
    static SHIPPED: std::sync::OnceLock<Published> = std::sync::OnceLock::new();
    let latest = latest_published_year(day);
    SHIPPED
        .get_or_init(Published::shipped)
        .england_known_on("turnover_rate_fte", day)
        .filter(|(year, _)| *year >= latest - 2)
}

/// The monthly wander of the level of leaving that the calibration chose:
/// with it, 80% of published turnover a year ahead fell inside the 80% band
/// at cut-offs 2021-2023, 82% at 2018-2020 and 75% at 2024; 0.12 gave 76%
/// and 74% at 2021-2023 and 2024, 0.14 gave 85% at 2018-2020 (the user
/// guide has the table and the command).
pub const LEAVING_VOLATILITY: f64 = 0.13;
/// The same for hiring (and so vacancies).
pub const HIRING_VOLATILITY: f64 = 0.2;
/// The same for the establishment: posts are added and cut, not only filled.
pub const ESTABLISHMENT_VOLATILITY: f64 = 0.02;
/// Halfway, geometrically: a year ahead the vacancy rate's median was then
/// as near what DfE published as carrying the last year forward (5.24
/// against 5.26 points; 5.48 with none), and nearer on the cut-offs not
/// used to choose it.
pub const HIRING_BALANCE: f64 = 0.5;
/// The monthly wander of agency FTE as a share of the FTE in post. Agency
/// is its own stock: how many agency workers a service uses moved, in
/// every authority's published history, by its own decisions as much as by
/// its vacancies, and tying it to the model's vacancies made its median
/// worse than carrying the last year forward.
pub const AGENCY_VOLATILITY: f64 = 0.026;

/// What the calibration measured with these levels, for every output that
/// shows a band to say: the share of DfE's published outcomes a year ahead
/// that fell inside the 80% band, for turnover, agency and vacancy rates,
/// over 138 authorities and three cut-offs (`sightline plan calibrate
/// --runs 2000`; the user guide has the whole table). Measure again when
/// the model changes.
pub const MEASURED_IN_BAND_A_YEAR_AHEAD: [(&str, f64); 3] = [("turnover", 0.80), ("agency", 0.79), ("vacancy", 0.80)];

/// The calibration in words, `band` naming the band as the output shows it
/// ("the shaded band", "the range from P10 to P90").
pub fn calibration_in_words(band: &str) -> String {
    let shares: Vec<String> = MEASURED_IN_BAND_A_YEAR_AHEAD
        .iter()
        .map(|(figure, share)| format!("{:.0} in 100 of the {figure} rates", share * 100.0))
        .collect();
    let shares = match shares.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    format!(
        "In tests on the published histories of 138 English councils, forecast from 2021, 2022 and 2023, {shares} a \
         year ahead fell inside {band}. The middle line beat assuming next year is the same as this year for \
         turnover (its error was a sixth smaller); for agency and vacancy rates it did about as well as that, and no \
         better."
    )
}

/// The most months the rates are fitted on, when the records cover them:
/// with 60, a forecast's median turnover a year ahead was 20% nearer what
/// DfE published than carrying the last year forward (16% with 36; both
/// before turnover was drawn towards its last year and England's), and its
/// bands held as well (`sightline plan calibrate --window N`).
pub const WINDOW_MONTHS: u32 = 60;
/// The fewest covered months a forecast is fitted on.
pub const MIN_WINDOW_MONTHS: u32 = 12;

/// The months to fit on at `as_of`: those the employment records cover
/// whole, at most [`WINDOW_MONTHS`]; or `asked` when given, if the records
/// cover it. Rates from a time whose leavers are not all recorded would be
/// too low, so a window the records do not cover is refused, in words.
pub fn window_for(
    coverage: &sightline_core::coverage::Coverage,
    as_of: Date,
    asked: Option<u32>,
) -> Result<u32, String> {
    // The fit ends at the last month end on or before `as_of`.
    let last = if month_end(as_of) == as_of { as_of } else { previous_day(as_of.with_day(1).unwrap_or(as_of)) };
    // The months from the first covered to `last`'s, counted to the day after.
    let covered = coverage.whole_months_to(sightline_core::coverage::Records::Employment, next_day(last));
    let words = sightline_core::words::long_date(last);
    match asked {
        Some(0) => Err("a window is at least one month".to_string()),
        Some(n) if n > covered => Err(format!(
            "the employment records cover {covered} whole months to {words}, fewer than the {n} asked for (see `sightline coverage show`)"
        )),
        Some(n) => Ok(n),
        None if covered < MIN_WINDOW_MONTHS => Err(format!(
            "a forecast is fitted on at least {MIN_WINDOW_MONTHS} months of complete employment records; the records cover {covered} months to {words}"
        )),
        None => Ok(covered.min(WINDOW_MONTHS)),
    }
}

/// Fits the rates on the `window_months` whole months up to `as_of`
/// (a month end; otherwise the last month end before it), and takes the
/// starting stock at that month end.
pub fn fit(wf: &Workforce, calendar: &Calendar, as_of: Date, window_months: u32) -> Fitted {
    fit_weighted(wf, calendar, as_of, window_months, None)
}

/// [`fit`] with the months of the window weighted by recency: a month
/// `half_life` months before the last counts half as much in the leaving
/// and progression rates (its person-months and its events alike), so the
/// rates follow a changing service, and their uncertainty grows with the
/// weight given up. `None` weighs every month alike.
pub fn fit_weighted(
    wf: &Workforce,
    calendar: &Calendar,
    as_of: Date,
    window_months: u32,
    half_life: Option<f64>,
) -> Fitted {
    fit_inner(wf, calendar, as_of, window_months, half_life, None)
}

/// [`fit`] with each person's stage taken from their career level where
/// the development records give one (newly qualified; social worker as
/// experienced; senior and advanced as senior practitioner; manager), and
/// from their role and qualification date where they do not: the same
/// levels the Development page's mix and progression count.
pub fn fit_with_levels(
    wf: &Workforce,
    calendar: &Calendar,
    as_of: Date,
    window_months: u32,
    levels: &sightline_core::development::Development,
) -> Fitted {
    fit_inner(wf, calendar, as_of, window_months, None, Some(levels))
}

fn fit_inner(
    wf: &Workforce,
    calendar: &Calendar,
    as_of: Date,
    window_months: u32,
    half_life: Option<f64>,
    levels: Option<&sightline_core::development::Development>,
) -> Fitted {
    let last = if month_end(as_of) == as_of { as_of } else { previous_day(as_of.with_day(1).expect("a first day")) };
    let mut months: Vec<(Date, Date)> = Vec::new();
    let mut end = last;
    for _ in 0..window_months.max(1) {
        let first = end.with_day(1).expect("a first day");
        months.push((first, end));
        end = previous_day(first);
    }
    months.reverse();
    let window = Period { start: months[0].0, end: last };
    let n = months.len();
    let weights: Vec<f64> =
        (0..n).map(|i| half_life.map_or(1.0, |h| 0.5f64.powf((n - 1 - i) as f64 / h.max(1e-9)))).collect();

    let mut leaving = [[Rate::default(); 5]; 4];
    let mut progression = [Rate::default(); 2];
    let mut stock = [[0u32; 5]; 4];
    let mut fte_sum = [0.0f64; 4];
    let mut starters_by_stage = [0u32; 4];
    let mut international_starters = 0;
    let mut routes = [0u32; QualificationRoute::ALL.len()];
    let mut by_qualified = [Rate::default(); 6];
    let mut hires = 0.0;
    for p in wf.person_indices() {
        let person = wf.person(p);
        let employed: Vec<_> = wf.spells_of(p).iter().filter(|s| s.kind.is_employed()).collect();
        // Employment runs: employed spells with no day between them.
        let mut i = 0;
        while i < employed.len() {
            let start = employed[i].start;
            let mut end = employed[i].end;
            let mut j = i + 1;
            while j < employed.len() && end.is_some_and(|e| employed[j].start <= next_day(e)) {
                end = match (end, employed[j].end) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
                j += 1;
            }
            let run = &employed[i..j];
            let stage_on = |d: Date| {
                let mut main: Option<&&sightline_core::Spell> = None;
                for s in run.iter().filter(|s| s.covers(d)) {
                    if main.is_none_or(|m| s.fte > m.fte) {
                        main = Some(s);
                    }
                }
                main.map(|m| match levels.and_then(|dev| dev.level_on(p, d)) {
                    Some(g) => Stage::of_level(g.level),
                    None => Stage::of(m.org_role, person.qualification_date, d),
                })
            };
            for (mi, &(first, last_day)) in months.iter().enumerate() {
                let w = weights[mi];
                let before = previous_day(first);
                if start <= before && end.is_none_or(|e| e >= first) {
                    let Some(stage) = stage_on(before) else { continue };
                    let band = band_of(whole_months(start, first));
                    leaving[stage.index()][band].exposure += w;
                    let qualified = person
                        .qualification_date
                        .filter(|q| *q <= before)
                        .map(|q| &mut by_qualified[qualified_band(whole_months(q, first) / 12)]);
                    let left = end.is_some_and(|e| e <= last_day);
                    if let Some(r) = qualified {
                        r.exposure += w;
                        r.events += w * f64::from(u8::from(left));
                    }
                    if left {
                        leaving[stage.index()][band].events += w;
                    } else if let Some(now) = stage_on(last_day) {
                        match stage {
                            Stage::Experienced => {
                                progression[0].exposure += w;
                                if now >= Stage::SeniorPractitioner {
                                    progression[0].events += w;
                                }
                            }
                            Stage::SeniorPractitioner => {
                                progression[1].exposure += w;
                                if now == Stage::Manager {
                                    progression[1].events += w;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                if start >= first && start <= last_day {
                    if let Some(stage) = stage_on(start) {
                        starters_by_stage[stage.index()] += 1;
                        hires += 1.0;
                        if let Some(route) = person.qualification_route {
                            routes[QualificationRoute::ALL.iter().position(|r| *r == route).unwrap_or(0)] += 1;
                        }
                        if stage != Stage::NewlyQualified
                            && person.qualification_route == Some(QualificationRoute::International)
                        {
                            international_starters += 1;
                        }
                    }
                }
            }
            if start <= last && end.is_none_or(|e| e > last) {
                if let Some(stage) = stage_on(last) {
                    stock[stage.index()][band_of(whole_months(start, next_day(last)))] += 1;
                    fte_sum[stage.index()] += run.iter().filter(|s| s.in_post_at(last)).map(|s| s.fte).sum::<f64>();
                }
            }
            i = j;
        }
    }
    let mut fte_per_head = [1.0; 4];
    for s in 0..4 {
        let heads: u32 = stock[s].iter().sum();
        if heads > 0 {
            fte_per_head[s] = fte_sum[s] / f64::from(heads);
        }
    }

    // Vacancies, agency and conversions from the engine, month by month.
    let series = sightline_core::monthly_series(
        wf,
        calendar,
        previous_day(window.start),
        last,
        sightline_core::Grouping::Authority,
    );
    let at = |k: usize| &series[k].1[0].indicators;
    let mut hiring = Rate { events: hires, exposure: 0.0 };
    let mut conversion = Rate { events: agency::conversions(wf, window).len() as f64, exposure: 0.0 };
    for k in 0..months.len().min(series.len().saturating_sub(1)) {
        hiring.exposure += at(k).vacancy_fte.unwrap_or(0.0);
        conversion.exposure += f64::from(at(k).agency_headcount);
    }
    let now = indicators(wf, calendar, Period::twelve_months_to(last));
    // Turnover over the window's whole years, the last year's, England's.
    let mut yearly = vec![now.turnover_rate_fte];
    let mut year_end = last;
    for _ in 1..(months.len() / 12) {
        year_end = previous_day(a_year_before(next_day(year_end)));
        yearly.push(indicators(wf, calendar, Period::twelve_months_to(year_end)).turnover_rate_fte);
    }
    let own: Vec<f64> = yearly.iter().flatten().copied().collect();
    // A window shorter than a year has no year of its own to pull from.
    let turnover_pull = if months.len() < 12 {
        TurnoverPull::NONE
    } else {
        TurnoverPull::of(
            (!own.is_empty()).then(|| own.iter().sum::<f64>() / own.len() as f64),
            now.turnover_rate_fte,
            england_turnover_at(last),
        )
    };
    let establishment_fte: f64 = wf.establishment().iter().filter(|e| e.applies_at(last)).map(|e| e.fte).sum();
    let vacancy_fte = now.vacancy_fte.unwrap_or(0.0);
    let structural_vacancy_fte = (vacancy_fte - (establishment_fte - now.inpost_fte).max(0.0)).max(0.0);
    let agency_cover = if vacancy_fte > 0.0 { now.agency_fte / vacancy_fte } else { 0.0 };
    let mut leavers_fte_last_12 = Vec::new();
    let mut month_last = last;
    for _ in 0..12 {
        let first = month_last.with_day(1).expect("a first day");
        leavers_fte_last_12
            .push(leavers::leavers_in(wf, Period { start: first, end: month_last }).iter().map(|l| l.fte).sum());
        month_last = previous_day(first);
    }
    leavers_fte_last_12.reverse();
    let (mut charged, mut charged_fte) = (0.0, 0.0);
    for s in wf.in_post_at(last).filter(|s| !s.kind.is_employed()) {
        if let Some(rate) = s.charge_rate {
            charged += rate * s.fte;
            charged_fte += s.fte;
        }
    }
    Fitted {
        as_of: last,
        window,
        stock,
        fte_per_head,
        leaving,
        progression,
        hiring,
        starters_by_stage,
        international_starters,
        starters_by_route: QualificationRoute::ALL.into_iter().zip(routes).filter(|(_, n)| *n > 0).collect(),
        leaving_by_years_qualified: by_qualified,
        conversion,
        establishment_fte,
        inpost_fte: now.inpost_fte,
        vacancy_fte,
        agency_fte: now.agency_fte,
        agency_headcount: now.agency_headcount,
        structural_vacancy_fte,
        agency_cover,
        leaving_volatility: LEAVING_VOLATILITY,
        hiring_volatility: HIRING_VOLATILITY,
        establishment_volatility: ESTABLISHMENT_VOLATILITY,
        agency_volatility: AGENCY_VOLATILITY,
        hiring_balance: HIRING_BALANCE,
        leavers_fte_last_12,
        turnover_pull,
        charge_per_hour: (charged_fte > 0.0).then(|| charged / charged_fte),
        cases: now.cases,
        case_holders_fte: now.case_holders_fte,
        known_starts: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn englands_turnover_is_left_out_when_the_shipped_figures_are_stale() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(england_turnover_at(d("2025-09-30")), Some((2024, 13.9)));
        // The last shipped year while it is at most two years older than
        // the latest that could be known; then none.
        assert_eq!(england_turnover_at(d("2028-12-31")), Some((2025, 11.8)));
        assert_eq!(england_turnover_at(d("2029-03-01")), None);
        assert_eq!(england_turnover_at(d("2018-02-28")), None);
    }

    #[test]
    fn turnovers_target_weighs_the_windows_years_the_last_year_and_england() {
        let pull = TurnoverPull::of(Some(20.0), Some(10.0), Some((2025, 12.0)));
        assert!((pull.target.unwrap() - (0.4 * 20.0 + 0.3 * 10.0 + 0.3 * 12.0)).abs() < 1e-12);
        // A figure not known gives its weight to the window's years.
        let pull = TurnoverPull::of(Some(20.0), None, Some((2025, 12.0)));
        assert!((pull.target.unwrap() - (0.7 * 20.0 + 0.3 * 12.0)).abs() < 1e-12);
        let pull = TurnoverPull::of(Some(20.0), Some(f64::NAN), None);
        assert!((pull.target.unwrap() - 20.0).abs() < 1e-12);
        assert_eq!(pull.weights(), [1.0, 0.0, 0.0]);
        // Without the window's own turnover there is nothing to pull.
        assert_eq!(TurnoverPull::of(None, Some(10.0), Some((2025, 12.0))).target, None);
        assert_eq!(TurnoverPull::of(Some(f64::INFINITY), None, None).target, None);
    }

    #[test]
    fn leavers_exposure_starters_and_promotions_are_counted_from_the_history() {
        use sightline_core::{Spell, SpellKind, WorkforceBuilder};
        let d = |s: &str| s.parse::<Date>().unwrap();
        let spell = |person, team, role, start: &str, end: Option<&str>| Spell {
            person,
            kind: SpellKind::Permanent,
            team,
            org_role: role,
            start: d(start),
            end: end.map(d),
            fte: 1.0,
            reason_leave: None,
            leaver_destination: None,
            charge_rate: None,
        };
        let mut b = WorkforceBuilder::new();
        let t = b.team("T");
        for k in 0..9 {
            let p = b.person(&format!("stay{k}"));
            b.add_spell(spell(p, t, OrgRole::CaseHolder, "2020-01-01", None));
        }
        let gone = b.person("gone");
        b.add_spell(spell(gone, t, OrgRole::CaseHolder, "2020-01-01", Some("2024-06-15")));
        let promoted = b.person("promoted");
        b.add_spell(spell(promoted, t, OrgRole::CaseHolder, "2018-01-01", Some("2024-04-30")));
        b.add_spell(spell(promoted, t, OrgRole::SeniorPractitioner, "2024-05-01", None));
        let new = b.person("new");
        b.person_mut(new).qualification_date = Some(d("2023-10-01"));
        b.person_mut(new).qualification_route = Some(QualificationRoute::Frontline);
        b.add_spell(spell(new, t, OrgRole::CaseHolder, "2024-03-01", None));
        let wf = b.build();
        let f = fit(&wf, &Calendar::from_holidays(vec![]), d("2024-12-31"), 12);
        assert_eq!(f.window, Period { start: d("2024-01-01"), end: d("2024-12-31") });
        // The leaver: exposed January to June, 4 years 5 months into the job.
        assert_eq!(f.leaving[Stage::Experienced.index()][3], Rate { events: 1.0, exposure: 6.0 + 9.0 * 12.0 });
        assert_eq!(f.leaving_overall().events, 1.0);
        // Turnover a year ahead: one leaver of 11 FTE in post at the end
        // (9 staying, the promoted one, the new one), for the window's one
        // year and the last year alike, and England's 15.9% for the year to
        // 30 September 2023 (DfE's figure, the latest published by then).
        let pull = f.turnover_pull;
        let last_year = 100.0 / 11.0;
        assert!((pull.own.unwrap() - last_year).abs() < 1e-9, "{pull:?}");
        assert!((pull.last_year.unwrap() - last_year).abs() < 1e-9, "{pull:?}");
        assert_eq!(pull.england, Some((2023, 15.9)));
        assert!((pull.target.unwrap() - (0.7 * last_year + 0.3 * 15.9)).abs() < 1e-9, "{pull:?}");
        // Over two years the window's own is the mean of the two: none left
        // in 2023 of the 11 FTE then in post (9, the leaver-to-be, the promoted).
        let two = fit(&wf, &Calendar::from_holidays(vec![]), d("2024-12-31"), 24).turnover_pull;
        assert!((two.own.unwrap() - last_year / 2.0).abs() < 1e-9, "{two:?}");
        assert!((two.target.unwrap() - (0.4 * last_year / 2.0 + 0.3 * last_year + 0.3 * 15.9)).abs() < 1e-9);
        // Under a year's window, no pull.
        assert_eq!(fit(&wf, &Calendar::from_holidays(vec![]), d("2024-12-31"), 6).turnover_pull.target, None);
        // The promotion (a senior practitioner from 1 May) is May's. Exposed to
        // promotion: the stayers all year, the leaver January to May (not the
        // month they left), the promoted January to May, and the newcomer in
        // November and December, once past their ASYE year.
        assert_eq!(f.progression[0].events, 1.0);
        assert_eq!(f.progression[0].exposure, 9.0 * 12.0 + 5.0 + 5.0 + 2.0);
        // The starter, newly qualified through Frontline.
        assert_eq!(
            (f.starters_by_stage, f.starters_by_route.clone()),
            ([1, 0, 0, 0], vec![(QualificationRoute::Frontline, 1)])
        );
        // At the end: 9 experienced of 5 years or more, a senior practitioner,
        // and the newcomer, past their ASYE year, in their first year here.
        assert_eq!(f.stock[Stage::Experienced.index()][4], 9);
        assert_eq!(f.stock[Stage::SeniorPractitioner.index()][4], 1);
        assert_eq!(f.stock[Stage::Experienced.index()][0], 1);
        assert_eq!(f.headcount(), 11);
    }

    #[test]
    fn career_levels_give_the_stages_where_recorded() {
        use sightline_core::development::{Development, DevelopmentRecords, Grade, Level};
        use sightline_core::{Spell, SpellKind, WorkforceBuilder};
        let mut b = WorkforceBuilder::new();
        let t = b.team("T");
        let (a, c) = (b.person("a"), b.person("c"));
        for p in [a, c] {
            b.add_spell(Spell {
                person: p,
                kind: SpellKind::Permanent,
                team: t,
                org_role: OrgRole::CaseHolder,
                start: "2015-01-01".parse().unwrap(),
                end: None,
                fte: 1.0,
                reason_leave: None,
                leaver_destination: None,
                charge_rate: None,
            });
        }
        let wf = b.build();
        let cal = Calendar::england_and_wales();
        let at: Date = "2024-12-31".parse().unwrap();
        let by_role = fit(&wf, &cal, at, 12);
        assert_eq!(by_role.stock[Stage::Experienced.index()][4], 2);
        let grade = Grade { person: a, level: Level::Senior, from: "2020-04-01".parse().unwrap() };
        let dev = Development::new(DevelopmentRecords { grades: vec![grade], ..Default::default() }, 2);
        let by_level = fit_with_levels(&wf, &cal, at, 12, &dev);
        assert_eq!(by_level.stock[Stage::Experienced.index()][4], 1);
        assert_eq!(by_level.stock[Stage::SeniorPractitioner.index()][4], 1);
    }

    #[test]
    fn the_window_is_what_the_records_cover_at_most_60_months_and_never_more() {
        use sightline_core::coverage::{Coverage, Records};
        let d = |s: &str| s.parse::<Date>().unwrap();
        let from = |date: &str| Coverage {
            from: [(Records::Employment, d(date))].into_iter().collect(),
            until: Some(d("2025-03-31")),
        };
        // October 2016 to September 2023: 84 whole months, of which 60 are used.
        assert_eq!(window_for(&from("2016-10-01"), d("2023-09-30"), None), Ok(60));
        // A date within a month counts to the month end before it.
        assert_eq!(window_for(&from("2021-10-01"), d("2023-10-15"), None), Ok(24));
        assert_eq!(window_for(&from("2021-10-01"), d("2023-09-30"), Some(12)), Ok(12));
        let refused = window_for(&from("2021-10-01"), d("2023-09-30"), Some(36)).unwrap_err();
        assert!(refused.contains("cover 24 whole months to 30 September 2023"), "{refused}");
        let short = window_for(&from("2023-01-01"), d("2023-09-30"), None).unwrap_err();
        assert!(short.contains("at least 12 months") && short.contains("cover 9 months"), "{short}");
    }

    #[test]
    fn stages_and_bands() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(Stage::of(OrgRole::CaseHolder, Some(d("2024-06-30")), d("2024-09-30")), Stage::NewlyQualified);
        assert_eq!(Stage::of(OrgRole::CaseHolder, Some(d("2023-06-30")), d("2024-09-30")), Stage::Experienced);
        assert_eq!(Stage::of(OrgRole::FirstLineManager, None, d("2024-09-30")), Stage::Manager);
        assert_eq!(
            [band_of(0), band_of(11), band_of(12), band_of(35), band_of(36), band_of(59), band_of(60)],
            [0, 0, 1, 2, 3, 3, 4]
        );
        assert_eq!(whole_months(d("2023-01-15"), d("2024-01-14")), 11);
        assert_eq!(whole_months(d("2023-01-15"), d("2024-01-15")), 12);
        let r = Rate { events: 10.0, exposure: 1000.0 };
        assert!((r.yearly().unwrap() - (1.0 - 0.99f64.powi(12))).abs() < 1e-12);
        let (lo, hi) = r.interval().unwrap();
        assert!(lo < 0.01 && 0.01 < hi && lo > 0.004 && hi < 0.018, "{lo} {hi}");
    }
}
