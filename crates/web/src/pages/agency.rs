//! Agency use.

use crate::error::Error;
use crate::filter::Filter;
use crate::filter::{date_form, scope_form, Scope};
use crate::layout::respond;
use crate::layout::{count, gaps_banner, how_many, one, rate};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use sightline_core::agency_rules::Rule;
use sightline_core::words::{long_date, money, money_short};
use sightline_core::{agency, Period};
use sightline_report::chart::stacked_bars;
use sightline_store::Role;

/// `2025-09` as "September 2025".
fn month_words(month: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map_or(month.to_string(), |d| d.format("%B %Y").to_string())
}

/// Agency use: the rate by team, assignments by length, and conversions to permanent.
pub async fn agency(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Agency", view(&state, &viewer, &filter).await)
}

async fn view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    let (generation, wf, date, coverage) = state.covered_workforce_at(filter.date).await?;
    let gaps = state.gaps(generation, &wf, date);
    let period = Period::twelve_months_to(date);
    if let Some(gap) = coverage.gap_for(period, "agency_rate_fte") {
        return Ok(html! {
            h1 { "Agency" }
            (date_form("/agency", date))
            p.no-data { "No data for " (long_date(date)) ": " (gap.words()) ". " a href="/glossary#no-data" { "What no data means" } }
        });
    }
    let conversions_gap = coverage.gap_for_year(period);
    let scope = filter.scope(wf.teams(), &[])?;
    let team = match scope {
        Scope::Team(t) => wf.team_id(t),
        _ => None,
    };
    // Cost by team for the 12 months and by month for the authority, where
    // charge rates are known; DfE's rules: how many assignments break each
    // (each one is on the Agency rules page, for HR and admin). Worked out
    // once per change of the data.
    let (all, calendar) = (wf.clone(), state.calendar.clone());
    let work = async {
        let records = state.recruitment(generation, &wf).await?;
        let terms = state.agency_terms(generation, &wf).await?;
        state
            .heavy
            .run(move || {
                let costs = agency::cost_by_team(&all, &calendar, period);
                let monthly =
                    sightline_core::agency_rules::monthly_cost(&all, &calendar, period.start, period.end, team);
                let region = sightline_core::agency_rules::cap_region(&records.price_caps, None)?;
                let book = records.rule_book(&region);
                let mut judged = sightline_core::agency_rules::assignments(&all, &terms);
                if let Some(t) = team {
                    judged.retain(|a| a.team == t);
                }
                let compliance = sightline_core::agency_rules::compliance(&all, &book, &judged, date);
                let mut assignments = agency::assignments_at(&all, date);
                if let Some(t) = team {
                    assignments.retain(|a| a.team == t);
                }
                let bands = agency::count_by_band(&assignments);
                let conversions = agency::conversions(&all, period).len() as u32;
                Ok::<_, String>((costs, monthly, compliance, assignments, bands, conversions))
            })
            .await?
            .map_err(Error::internal)
    };
    let kept = state.kept_from(generation, format!("agency {date} {team:?}"), work).await?;
    let (costs, monthly, compliance, assignments, bands, conversions) = &*kept;
    // Every team's figures, shared with the other pages of the date.
    let by_team = state.by_team(generation, &wf, period).await?;
    let (bands, conversions) = (*bands, *conversions);
    let any_cost = costs.iter().any(|c| c.costed_fte_days > 0.0);
    let member = viewer.user.role == Role::Member;
    let listed: Vec<_> =
        by_team.iter().filter(|g| g.indicators.agency_headcount + g.indicators.inpost_headcount > 0).collect();
    // For members, the core's rule over every team: agency FTE and rates
    // rest on how many agency workers (and employees) there are.
    let hidden = sightline_core::disclosure::hidden_figures(listed.len(), |g, f| {
        listed.get(g).and_then(|x| x.indicators.field(f)).unwrap_or(0.0) as u32
    });
    let teams: Vec<_> = listed
        .iter()
        .zip(&hidden)
        .map(|(g, h)| {
            (
                g.group.clone().unwrap_or_default(),
                g.indicators.agency_rate_fte,
                g.indicators.agency_fte,
                member && g.indicators.agency_headcount + g.indicators.inpost_headcount < 5,
                member && (h.contains("agency_rate_fte") || h.contains("agency_fte")),
            )
        })
        .collect();
    // Bands of a total that is shown: a lone hidden band takes another with it.
    let banded = sightline_core::disclosure::suppress(&[bands.to_vec()]);
    let band_text = |k: usize| match banded.cells.first().and_then(|r| r.get(k)).copied().flatten() {
        Some(n) => n.to_string(),
        None if member => "c".to_string(),
        None => bands.get(k).copied().unwrap_or(0).to_string(),
    };
    let x: Vec<String> = agency::LENGTH_BANDS.iter().map(|b| b.to_string()).collect();
    let summary = format!(
        "At {}, {} agency assignments: {} up to 26 weeks, {} of 27 to 52 weeks, {} over 52 weeks.",
        long_date(date),
        count(viewer, assignments.len() as u32),
        band_text(0),
        band_text(1),
        band_text(2)
    );
    let bars: Vec<(String, Vec<f64>)> = if member && bands.iter().any(|b| *b < 5) {
        Vec::new()
    } else {
        x.iter().zip(bands).map(|(label, n)| (label.clone(), vec![f64::from(n)])).collect()
    };
    let body = html! {
        h1 { "Agency" }
        (scope_form("/agency", date, wf.teams(), &[], scope))
        (gaps_banner(viewer, &gaps, date))
        h2 { "Agency rate by team" }
        table {
            caption { "Agency FTE as a share of agency and employed FTE, at " (long_date(date)) }
            thead { tr { th scope="col" { "Team" } th scope="col" { "Agency rate (FTE) %" } th scope="col" { "Agency FTE" } } }
            tbody {
                @for (team, rate_fte, fte, hidden, agency_hidden) in &teams {
                    tr {
                        th scope="row" { (team) }
                        @if *hidden { td colspan="2" { "c (fewer than 5 people)" } }
                        @else if *agency_hidden { td { "c" } td { "c" } }
                        @else { td { (rate(*rate_fte)) } td { (one(*fte)) } }
                    }
                }
            }
        }
        h2 { "Assignments by length" @if let Scope::Team(t) = scope { ": " (t) } }
        @if !bars.is_empty() {
            (PreEscaped(stacked_bars("lengths", &format!("Agency assignments by length at {}", long_date(date)), &summary, &["Assignments"], &bars, "Assignments")))
        }
        table {
            caption { "Agency assignments by length at " (long_date(date)) }
            thead { tr { th scope="col" { "Length" } th scope="col" { "Assignments" } } }
            tbody { @for (k, label) in x.iter().enumerate() { tr { th scope="row" { (label) } td { (band_text(k)) } } } }
        }
        // Single assignments are records about people: not for members.
        @if !member {
            h2 { "Longest-running assignments" }
            table {
                caption { "The ten longest assignments in place at " (long_date(date)) }
                thead { tr { th scope="col" { "Team" } th scope="col" { "Started" } th scope="col" { "Weeks" } th scope="col" { "Ends" } } }
                tbody {
                    @for a in assignments.iter().take(10) {
                        tr { th scope="row" { (wf.team_name(a.team)) } td { (long_date(a.start)) } td { (a.weeks) } td { (a.end.map_or("not set".to_string(), long_date)) } }
                    }
                }
            }
        }
        h2 { "Agency cost" }
        @if !any_cost {
            p.no-data { "No agency charge rates are recorded for the 12 months to " (long_date(date)) ", so the cost is not known." }
        } @else if member {
            // A team's or a month's cost could be one worker's charge: members see the year's total.
            @let total: f64 = costs.iter().map(|c| c.cost).sum();
            @if sightline_core::disclosure::is_disclosive(by_team.iter().map(|g| g.indicators.agency_headcount).sum()) {
                p { "The agency cost is not shown: fewer than 5 agency workers are in post." }
            } @else {
                p { "Agency social workers cost " (money_short(total)) " in the 12 months to " (long_date(date)) ", where charge rates are recorded." }
            }
        } @else {
            @let total: f64 = costs.iter().map(|c| c.cost).sum();
            p { "Agency social workers cost " (money(total)) " in the 12 months to " (long_date(date)) ", where charge rates are recorded. " a href="/glossary#agency-cost" { "How cost is worked out" } }
            table {
                caption { "Agency cost by team, 12 months to " (long_date(date)) }
                thead { tr { th scope="col" { "Team" } th scope="col" { "Cost" } th scope="col" { "Agency time with a known charge" } } }
                tbody {
                    @for c in costs.iter().filter(|c| c.fte_days > 0.0) {
                        tr { th scope="row" { (wf.team_name(c.team)) } td { (money(c.cost)) } td { (rate(c.coverage().map(|v| v * 100.0))) } }
                    }
                }
            }
            table {
                caption { "Agency cost by month, " @if let Scope::Team(t) = scope { (t) } @else { "all teams" } }
                thead { tr { th scope="col" { "Month" } th scope="col" { "Cost" } th scope="col" { "Agency time with a known charge" } } }
                tbody {
                    @for m in monthly {
                        tr { th scope="row" { (month_words(&m.month)) } td { (money(m.cost)) } td { (rate(m.costed_share.map(|v| v * 100.0))) } }
                    }
                }
            }
        }
        h2 { "DfE's agency rules" }
        @if compliance.judged == 0 {
            p { "No agency assignment began between 31 October 2024, when DfE's statutory guidance came into force, and " (long_date(date)) "." }
        } @else {
            p { "Of the " (count(viewer, compliance.judged as u32)) " assignments that began from 31 October 2024 to " (long_date(date)) ", how many break each of DfE's rules." }
            table {
                caption { "Agency assignments breaking each rule" }
                thead { tr { th scope="col" { "Rule" } th scope="col" { "Assignments" } } }
                tbody {
                    @for rule in Rule::ALL {
                        tr { th scope="row" { (rule.words()) } td { (count(viewer, compliance.count(rule) as u32)) } }
                    }
                }
            }
            @if matches!(viewer.user.role, Role::Admin | Role::Hr) {
                p { a href="/agency-rules" { "See each assignment that breaks a rule" } }
            }
        }
        h2 { "Agency to permanent" }
        @if let Some(gap) = &conversions_gap {
            p.no-data { "No data: " (gap.words()) ", so the starters of the 12 months to " (long_date(date)) " are not all known." }
        } @else {
            p { "In the 12 months to " (long_date(date)) ", " (how_many(viewer, conversions, "person", "people")) " who had worked here through an agency in the year before joined as employees." }
        }
        (crate::layout::c_note(viewer))
        p.note { "An assignment is a run of one person's agency spells with no day between them. A conversion is a starter who worked here through an agency in the 12 months before starting." }
    };
    Ok(body)
}
