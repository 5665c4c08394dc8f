//! Turnover and leavers.

use crate::error::Error;
use crate::filter::{scope_form, Filter, Scope};
use crate::layout::respond;
use crate::layout::{count, counts_shown, gaps_banner, how_many, rate};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use sightline_core::words::long_date;
use sightline_core::{leavers, Grouping, Period};
use sightline_report::chart::line_chart;

/// Bands of whole years, for length of service and time since qualifying.
const YEAR_BANDS: [(&str, i64, i64); 6] = [
    ("under 1 year", 0, 0),
    ("1 to 2 years", 1, 1),
    ("2 to 3 years", 2, 2),
    ("3 to 5 years", 3, 4),
    ("5 to 10 years", 5, 9),
    ("10 years or more", 10, i64::MAX),
];

fn year_band(years: i64) -> usize {
    YEAR_BANDS.iter().position(|(_, lo, hi)| (*lo..=*hi).contains(&years)).unwrap_or(0)
}

/// Rolling turnover, and leavers by reason, destination, service and time since qualifying.
pub async fn turnover(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Turnover and leavers", view(&state, &viewer, &filter).await)
}

async fn view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    let (generation, wf, date, coverage) = state.covered_workforce_at(filter.date).await?;
    let gaps = state.gaps(generation, &wf, date);
    let period = Period::twelve_months_to(date);
    let year_gap = coverage.gap_for_year(period);
    // Rolling turnover at each month end to the date, from the first month
    // whose 12 months the employment records cover whole: none drawn before.
    let covered_from = coverage.from.get(&sightline_core::coverage::Records::Employment).copied().unwrap_or(date);
    let mut from = sightline_core::calendar::month_end(covered_from);
    while Period::twelve_months_to(from).start < covered_from && from < date {
        from = sightline_core::calendar::month_end(sightline_core::calendar::next_day(from));
    }
    // The first month drawn, if any month's 12 months are covered.
    let from = (Period::twelve_months_to(from.min(date)).start >= covered_from).then_some(from.min(date));
    let (all, calendar) = (wf.clone(), state.calendar.clone());
    let series = state
        .turnover_series(generation, date, move || {
            let Some(from) = from else { return (Vec::new(), Vec::new()) };
            let months = sightline_core::monthly_series(&all, &calendar, from, date, Grouping::Authority);
            (
                months.iter().map(|(p, _)| p.end.format("%b %Y").to_string()).collect(),
                months.iter().map(|(_, g)| g.first().and_then(|g| g.indicators.rounded().turnover_rate_fte)).collect(),
            )
        })
        .await?;
    // Incentive and retention payments (the whole authority's).
    let work = async {
        let payments = state.recruitment(generation, &wf).await?.payments.clone();
        if payments.is_empty() {
            return Ok(None);
        }
        let all = wf.clone();
        Ok(Some(state.heavy.run(move || sightline_core::incentives::incentive_figures(&all, &payments, date)).await?))
    };
    let incentives = state.kept_from(generation, format!("incentives {date}"), work).await?;
    let incentives = incentives.as_ref().as_ref();
    let scope = filter.scope(wf.teams(), &[])?;
    let team = match scope {
        Scope::Team(t) => wf.team_id(t),
        _ => None,
    };
    // One team's rolling turnover: every team's months, so that a member's
    // team rate goes where the core's rule hides it among all teams.
    let team_series = match (team, from) {
        (Some(id), Some(from)) => {
            let (all, calendar, member) = (wf.clone(), state.calendar.clone(), viewer.is_member());
            Some(
                state
                    .kept(generation, format!("turnover of team {id:?} {from} {date} member {member}"), move || {
                        let by_team = sightline_core::monthly_series(&all, &calendar, from, date, Grouping::Team);
                        by_team
                            .iter()
                            .map(|(_, groups)| {
                                let hidden = if member {
                                    sightline_core::disclosure::hidden_figures(groups.len(), |g, f| {
                                        groups.get(g).and_then(|x| x.indicators.field(f)).unwrap_or(0.0) as u32
                                    })
                                } else {
                                    Vec::new()
                                };
                                let name = all.team_name(id);
                                let i = groups.iter().position(|g| g.group.as_deref() == Some(name))?;
                                if hidden.get(i).is_some_and(|h| h.contains("turnover_rate_fte")) {
                                    None
                                } else {
                                    groups.get(i).and_then(|g| g.indicators.rounded().turnover_rate_fte)
                                }
                            })
                            .collect::<Vec<Option<f64>>>()
                    })
                    .await?,
            )
        }
        _ => None,
    };
    let (x, values): (&Vec<String>, &Vec<Option<f64>>) = (&series.0, team_series.as_deref().unwrap_or(&series.1));
    // The year's leavers counted (in the scope), once per change of the data.
    let all = wf.clone();
    let counted = state
        .kept(generation, format!("leavers counted {date} {team:?}"), move || {
            let mut leavers = leavers::leavers_in(&all, period);
            if let Some(id) = team {
                leavers.retain(|l| l.team == id);
            }
            let mut service = [0u32; YEAR_BANDS.len()];
            let mut qualified = [0u32; YEAR_BANDS.len()];
            let mut qualified_known = 0;
            for l in &leavers {
                if let Some(n) = service.get_mut(year_band(l.years_of_service())) {
                    *n += 1;
                }
                if let Some(q) = all.person(l.person).qualification_date {
                    if let Some(n) = qualified.get_mut(year_band(leavers::whole_years(q, l.date))) {
                        *n += 1;
                    }
                    qualified_known += 1;
                }
            }
            let reasons = leavers::count_by_reason(&leavers);
            let destinations = leavers::count_by_destination(&leavers);
            (leavers.len(), reasons, destinations, service, qualified, qualified_known)
        })
        .await?;
    let (leaver_count, reasons, destinations, service, qualified, qualified_known) = &*counted;
    let (service, qualified, qualified_known) = (*service, *qualified, *qualified_known);
    let every_team = state.by_team(generation, &wf, period).await?;
    let by_team: Vec<_> = every_team
        .iter()
        .filter(|g| match scope {
            Scope::Team(t) => g.group.as_deref() == Some(t),
            _ => true,
        })
        .collect();
    let moves: u32 = by_team.iter().map(|g| g.moves.moves_out_headcount).sum();
    let summary = match (values.first().copied().flatten(), values.last().copied().flatten()) {
        (Some(a), Some(b)) => {
            let (first, last) = (x.first().cloned().unwrap_or_default(), x.last().cloned().unwrap_or_default());
            format!("Rolling 12-month turnover went from {a:.1}% in {first} to {b:.1}% in {last}.")
        }
        _ => "Not enough data for a trend.".to_string(),
    };
    let body = html! {
        h1 { "Turnover and leavers" }
        (scope_form("/turnover", date, wf.teams(), &[], scope))
        (gaps_banner(viewer, &gaps, date))
        @let title = match scope { Scope::Team(t) => format!("Rolling 12-month turnover (FTE) by month: {t}"), _ => "Rolling 12-month turnover (FTE) by month".to_string() };
        (PreEscaped(line_chart("rolling", &title, &summary, x, &[("Turnover (FTE) %", values.clone())], "%")))
        details {
            summary { "The chart's figures" }
            table {
                caption { "Turnover (FTE) % in the 12 months to each month end" }
                thead { tr { th scope="col" { "Month" } th scope="col" { "Turnover (FTE) %" } } }
                tbody { @for (m, v) in x.iter().zip(values) { tr { th scope="row" { (m) } td { @if v.is_none() && team.is_some() && viewer.is_member() { "c" } @else { (rate(*v)) } } } } }
            }
        }
        h2 { "Leavers in the 12 months to " (long_date(date)) }
        @if let Some(gap) = &year_gap {
            p.no-data { "No data: " (gap.words()) ", so the leavers of the 12 months to " (long_date(date)) " are not all known. Choose a later date." }
        } @else {
        p {
            (sightline_core::words::upper_first(&how_many(viewer, *leaver_count as u32, "person", "people")))
            @if let Scope::Team(t) = scope { " left the authority's employment from " (t) ". " } @else { " left the authority's employment. " }
            (sightline_core::words::upper_first(&how_many(viewer, moves, "move", "moves"))) " between teams, not leavers, are counted apart."
        }
        table {
            caption { "Leavers by reason" }
            thead { tr { th scope="col" { "Reason" } th scope="col" { "Leavers" } } }
            @let shown = counts_shown(viewer, &reasons.iter().map(|(_, n)| *n).collect::<Vec<_>>());
            tbody { @for ((r, _), n) in reasons.iter().zip(&shown) { tr { th scope="row" { (r) } td { (n) } } } }
        }
        table {
            caption { "Leavers by destination" }
            thead { tr { th scope="col" { "Went to" } th scope="col" { "Leavers" } } }
            @let shown = counts_shown(viewer, &destinations.iter().map(|(_, n)| *n).collect::<Vec<_>>());
            tbody { @for ((d, _), n) in destinations.iter().zip(&shown) { tr { th scope="row" { (d) } td { (n) } } } }
        }
        table {
            caption { "Leavers by length of unbroken service" }
            thead { tr { th scope="col" { "Service at leaving" } th scope="col" { "Leavers" } } }
            tbody { @for ((label, _, _), n) in YEAR_BANDS.iter().zip(counts_shown(viewer, &service)) { tr { th scope="row" { (label) } td { (n) } } } }
        }
        @if qualified_known > 0 {
            table {
                caption { "Leavers by time since qualifying (" (count(viewer, qualified_known)) " whose qualification date is known)" }
                thead { tr { th scope="col" { "Qualified" } th scope="col" { "Leavers" } } }
                tbody { @for ((label, _, _), n) in YEAR_BANDS.iter().zip(counts_shown(viewer, &qualified)) { tr { th scope="row" { (label) } td { (n) } } } }
            }
        }
        table {
            caption { "Moves between teams in the 12 months to " (long_date(date)) }
            thead { tr { th scope="col" { "Team" } th scope="col" { "Moved in" } th scope="col" { "Moved out" } } }
            @let moved: Vec<_> = by_team.iter().filter(|g| g.moves.moves_in_headcount + g.moves.moves_out_headcount > 0).collect();
            @let ins = counts_shown(viewer, &moved.iter().map(|g| g.moves.moves_in_headcount).collect::<Vec<_>>());
            @let outs = counts_shown(viewer, &moved.iter().map(|g| g.moves.moves_out_headcount).collect::<Vec<_>>());
            tbody {
                @for ((g, i), o) in moved.iter().zip(&ins).zip(&outs) {
                    tr { th scope="row" { (g.group.clone().unwrap_or_default()) } td { (i) } td { (o) } }
                }
            }
        }
        }
        @if let Some(f) = &incentives {
            (incentives_section(viewer, f, date))
        }
        (crate::layout::c_note(viewer))
        p.note { "A leaver is an employed social worker whose employment ended and who was not employed the next day, as DfE counts them. " a href="/glossary#leavers" { "More about leavers" } }
    };
    Ok(body)
}

/// Incentive and market-supplement payments: paid by scheme, clawback owed
/// by leavers, and whether recipients stay (the whole authority's). For
/// members, a scheme paid to fewer than 5 people shows no amount (a fixed
/// payment times a count gives the count back), nor does clawback owed by
/// fewer than 5, nor a retention rate of fewer than 5 people followed.
fn incentives_section(
    viewer: &Viewer,
    f: &sightline_core::incentives::IncentiveFigures,
    date: chrono::NaiveDate,
) -> Markup {
    use sightline_core::disclosure::{is_disclosive, share_publishable};
    use sightline_core::words::money;
    let member = viewer.is_member();
    let hide = |people: u32| member && is_disclosive(people);
    html! {
        h2 { "Incentive and retention payments (the whole authority)" }
        table {
            caption { "Paid by scheme, to " (long_date(date)) }
            thead { tr { th scope="col" { "Scheme" } th scope="col" { "Paid" } th scope="col" { "People" } } }
            tbody {
                @for s in &f.paid_by_scheme {
                    tr {
                        th scope="row" { (s.scheme) }
                        td { @if hide(s.people) { "c" } @else { (money(s.amount)) } }
                        td { @if hide(s.people) { "c" } @else { (s.people) } }
                    }
                }
            }
        }
        @if f.clawback_owed_people == 0 {
            p { "No one who left owes a payment back." }
        } @else if hide(f.clawback_owed_people) {
            p { "Fewer than 5 people who left inside their payments' terms owe money back." }
        } @else {
            p { (money(f.clawback_owed_total)) " is owed back by " (f.clawback_owed_people) " people who left inside their payments' terms." }
        }
        @if f.recipients_followed > 0 {
            // A share of a shown whole gives back the part: both it and the rest must be 5 or more.
            @let recipients_shown = !member || share_publishable(f.recipients_retained, f.recipients_followed);
            @let comparison_shown = !member || share_publishable(f.comparison_retained, f.comparison_followed);
            p {
                "Of the " (count(viewer, f.recipients_followed)) " people followed for a year from their first payment, "
                @if recipients_shown { (rate(f.recipient_retention_12m_pct)) } @else { "c" }
                " were still employed; of people in the same team and stage with no payment, "
                @if comparison_shown { (rate(f.comparison_retention_12m_pct)) } @else { "c" } "."
            }
            @if let (Some(c), true) = (f.cost_per_retained_year, recipients_shown && comparison_shown) {
                p { "Each extra year of someone staying cost " (money(c)) " in payments." }
            }
        }
        p.note { "Clawback: a payment owed back when its recipient left within its terms, in whole or, where it tapers, for the months not served. Stage: years since qualifying (under 2, 2 to 5, 5 or more)." }
    }
}
