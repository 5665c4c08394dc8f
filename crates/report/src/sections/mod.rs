//! The report's sections, one file each, every one a function over the
//! shared [`Context`]: every figure from the core, disclosure control
//! applied here (`cells.rs`) so that every format shows the same cells.
//! A new section is a new file here and one line in [`build`].

mod agency;
mod caseloads;
mod cells;
mod development;
mod forecast;
mod headline;
mod leavers;
mod newly_qualified;
mod sickness;
mod staffing;
mod targets;
mod turnover;
mod voice;

use crate::document::{Report, ReportRequest};
use cells::visible_groups;
use chrono::NaiveDate;
use sightline_core::words::long_date;
use sightline_core::{indicators_by, Calendar, GroupIndicators, Grouping, Indicators, Period, TeamId, Workforce};

/// What every section reads: the request, the period's figures for the
/// authority and by team, and which teams the report shows.
struct Context<'a> {
    wf: &'a Workforce,
    calendar: &'a Calendar,
    request: &'a ReportRequest<'a>,
    period: Period,
    end: NaiveDate,
    publish: bool,
    /// "At 31 March 2025".
    at_end: String,
    /// "1 April 2024 to 31 March 2025".
    over: String,
    /// The authority's figures for the period, rounded as DfE rounds them.
    all: Indicators,
    /// Each team's figures for the period (by [`TeamId`]).
    by_team: Vec<GroupIndicators>,
    /// Whether a team's figures may be shown (publication hides small teams).
    visible: Vec<bool>,
    /// Whether a team's agency figures may be shown (1 to 4 agency workers are hidden).
    agency_visible: Vec<bool>,
    /// The teams shown: with people, leavers or an establishment.
    teams: Vec<usize>,
}

impl<'a> Context<'a> {
    fn new(wf: &'a Workforce, calendar: &'a Calendar, request: &'a ReportRequest<'a>) -> Context<'a> {
        let period = request.period;
        let end = period.end;
        let publish = request.publish;
        let by_team = indicators_by(wf, calendar, period, Grouping::Team);
        let people: Vec<u32> =
            by_team.iter().map(|g| g.indicators.inpost_headcount + g.indicators.agency_headcount).collect();
        let visible = visible_groups(&people, publish);
        // Agency figures of a team (FTE, rate, cost) say something of each of
        // its agency workers when there are 1 to 4 of them.
        let agency_people: Vec<u32> = by_team.iter().map(|g| g.indicators.agency_headcount).collect();
        let agency_visible = visible_groups(&agency_people, publish);
        let teams: Vec<usize> = (0..wf.teams().len())
            .filter(|&t| {
                people[t] > 0
                    || by_team[t].indicators.leavers_headcount > 0
                    || wf.establishment_at(TeamId(t as u32), end) > 0.0
            })
            .collect();
        Context {
            wf,
            calendar,
            request,
            period,
            end,
            publish,
            at_end: format!("At {}", long_date(end)),
            over: format!("{} to {}", long_date(period.start), long_date(end)),
            all: sightline_core::indicators(wf, calendar, period).rounded(),
            by_team,
            visible,
            agency_visible,
            teams,
        }
    }

    fn team_name(&self, t: usize) -> &str {
        &self.wf.teams()[t]
    }
}

/// Assembles the report from the workforce: every figure from the core.
pub fn build(wf: &Workforce, calendar: &Calendar, request: &ReportRequest<'_>) -> Report {
    let cx = Context::new(wf, calendar, request);
    let mut summary = Vec::new();
    let mut sections = vec![
        headline::headline(&cx, &mut summary),
        staffing::staffing(&cx),
        turnover::turnover(&cx, &mut summary),
        leavers::leavers(&cx),
        agency::agency_use(&cx, &mut summary),
        caseloads::caseloads(&cx, &mut summary),
        sickness::sickness(&cx, &mut summary),
        newly_qualified::newly_qualified(&cx),
    ];
    sections.extend(development::development(&cx));
    sections.extend(voice::voice(&cx));
    sections.extend(targets::targets(&cx));
    sections.extend(forecast::forecast(&cx));
    Report {
        title: request.title.to_string(),
        period: cx.period,
        made: chrono::Utc::now().date_naive(),
        data_to: wf.latest_date(),
        publish: cx.publish,
        summary,
        sections,
    }
}
