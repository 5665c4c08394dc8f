//! Available capacity: who is actually there on a date, by team, and the
//! teams under pressure; who is away, by reason, for those who may see them.

use crate::error::Error;
use crate::filter::{date_form, Filter};
use crate::layout::{c_note, count, one, respond};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use chrono::Datelike as _;
use maud::{html, Markup, PreEscaped};
use sightline_core::capacity::{away_on, capacity, AwayReason, CapacityPolicy};
use sightline_core::words::long_date;

/// The Capacity page.
pub async fn capacity_page(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Capacity", view(&state, &viewer, &filter).await)
}

async fn view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    let (generation, wf, date, _) = state.covered_workforce_at(filter.date).await?;
    // The service's own safe caseload: the level the dashboard flags caseloads as high from.
    let policy = CapacityPolicy {
        long_term_days: state.settings.long_term_days,
        safe_caseload: state.settings.caseload_high,
        ..CapacityPolicy::default()
    };
    let member = viewer.is_member();
    let (all, calendar) = (wf.clone(), state.calendar.clone());
    // The date's capacity, and (not for members: the FTE away rests on a few people) the authority's at
    // each of the 12 month ends to it, beside the establishment.
    let key = format!("capacity {date} member {member} {policy:?}");
    let kept = state
        .kept(generation, key, move || {
            let now = capacity(&all, &calendar, date, &policy);
            let mut months = Vec::new();
            if !member {
                let mut end = sightline_core::calendar::month_end(date);
                for _ in 0..12 {
                    let at = end.min(date);
                    months.push((at, capacity(&all, &calendar, at, &policy).0));
                    let first = end.with_day(1).unwrap_or(end);
                    end = sightline_core::calendar::previous_day(first);
                }
                months.reverse();
            }
            (now, months)
        })
        .await?;
    let ((authority, teams), over_time) = &*kept;
    // Who is away, for those who may see each person: health data among it, so each view is audited.
    let mut away: Vec<(String, String, &'static str, f64)> = Vec::new();
    if viewer.sees_people() {
        for s in wf.spells().iter().filter(|s| s.kind.is_employed() && s.in_post_at(date)) {
            let Some(reason) = away_on(&wf, &state.calendar, s, date, policy.long_term_days) else { continue };
            // Only someone the viewer may see on the date itself (a manager: in one of their teams then).
            if viewer.sight_of(&wf, s.person, date).is_some_and(|sight| sight.shows(date, Some(date))) {
                away.push((wf.person(s.person).id.clone(), wf.team_name(s.team).to_string(), reason.words(), s.fte));
            }
        }
        away.sort_by(|a, b| (&a.1, &a.0, a.2).cmp(&(&b.1, &b.0, b.2)));
        if !away.is_empty() {
            let detail = format!("people away on {date}: {}", away.len());
            state.store.audit(&viewer.user.name, "view capacity", &detail).await.map_err(Error::audit)?;
        }
    }
    let under: Vec<&str> = teams.iter().filter(|t| t.pressure).filter_map(|t| t.team.as_deref()).collect();
    let a = authority.rounded();
    Ok(html! {
        h1 { "Capacity" }
        (date_form("/capacity", date))
        p { "Social workers in post on " (long_date(date)) ", less those away, plus agency workers: who is actually there to do the work." }
        h2 { "People away" }
        table {
            caption { "Employed social workers away on " (long_date(date)) ", by reason" }
            thead { tr { th scope="col" { "Reason" } th scope="col" { "People" } @if !member { th scope="col" { "FTE" } } } }
            tbody {
                @for r in AwayReason::ALL {
                    @let n = a.away_headcount.get(r.as_str()).copied().unwrap_or(0);
                    tr {
                        th scope="row" { (r.words()) }
                        td { (count(viewer, n)) }
                        @if !member { td { (one(a.away_fte.get(r.as_str()).copied().unwrap_or(0.0))) } }
                    }
                }
            }
        }
        p.note { "Long-term sickness: an episode of " (policy.long_term_days) " working days or more. Secondments out and suspensions come from the absence export (reasons SEC and SUS)." }
        h2 { "Teams under pressure" }
        @if under.is_empty() {
            p { "No team is under pressure on " (long_date(date)) "." }
        } @else if member {
            // A small team named as under pressure could show that someone in it is away: members get the number.
            p { (under.len()) " of " (teams.len()) " teams are under pressure on " (long_date(date)) "." }
        } @else {
            ul { @for t in &under { li { (t) } } }
        }
        p.note { "Under pressure: available case-holding FTE below " (format!("{:.0}%", policy.threshold_share * 100.0)) " of the team's case-holding establishment, or more than " (policy.safe_caseload) " cases for each available case-holding FTE. Case-holding posts are case holders' and senior practitioners'." }
        @if !over_time.is_empty() {
            @let labels: Vec<String> = over_time.iter().map(|(d, _)| d.format("%b %Y").to_string()).collect();
            @let establishment: Vec<Option<f64>> = over_time.iter().map(|(_, c)| Some(c.establishment_fte)).collect();
            @let available: Vec<Option<f64>> = over_time.iter().map(|(_, c)| Some(c.available_fte)).collect();
            @let in_post: Vec<Option<f64>> = over_time.iter().map(|(_, c)| Some(c.inpost_fte)).collect();
            h2 { "Over the year" }
            (PreEscaped(sightline_report::chart::line_chart(
                "capacity",
                "Available FTE against establishment, month by month",
                "The authority's establishment, its social workers in post, and those available (in post less those away, plus agency), at the end of each of the 12 months.",
                &labels,
                &[("Establishment", establishment), ("In post", in_post), ("Available", available)],
                "FTE",
            )))
            table.stack {
                caption { "The authority's capacity at each month end (FTE)" }
                thead { tr { th scope="col" { "Month end" } th scope="col" { "Establishment" } th scope="col" { "In post" } th scope="col" { "Away" } th scope="col" { "Agency" } th scope="col" { "Available" } } }
                tbody {
                    @for (d, c) in over_time {
                        tr {
                            th scope="row" data-label="Month end" { (long_date(*d)) }
                            td data-label="Establishment" { (one(c.establishment_fte)) }
                            td data-label="In post" { (one(c.inpost_fte)) }
                            td data-label="Away" { (one(c.away_fte_total)) }
                            td data-label="Agency" { (one(c.agency_fte)) }
                            td data-label="Available" { (one(c.available_fte)) }
                        }
                    }
                }
            }
        }
        // FTE by team rests on few people: not for members.
        @if !member {
            h2 { "By team" }
            table.stack {
                caption { "Available capacity by team on " (long_date(date)) " (FTE)" }
                thead { tr {
                    th scope="col" { "Team" } th scope="col" { "Establishment" } th scope="col" { "In post" } th scope="col" { "Away" }
                    th scope="col" { "Agency" } th scope="col" { "Available" } th scope="col" { "Available case-holding" }
                    th scope="col" { "Cases per available FTE" } th scope="col" { "Pressure" }
                } }
                tbody {
                    @for t in teams.iter().map(|t| t.rounded()).chain(std::iter::once(a.clone())) {
                        tr {
                            th scope="row" data-label="Team" { (t.team.clone().unwrap_or_else(|| "Authority".to_string())) }
                            td data-label="Establishment" { (one(t.establishment_fte)) }
                            td data-label="In post" { (one(t.inpost_fte)) }
                            td data-label="Away" { (one(t.away_fte_total)) }
                            td data-label="Agency" { (one(t.agency_fte)) }
                            td data-label="Available" { (one(t.available_fte)) }
                            td data-label="Available case-holding" { (one(t.available_case_holding_fte)) }
                            td data-label="Cases per available FTE" { (t.cases_per_available_fte.map_or("-".to_string(), one)) }
                            td data-label="Pressure" { @if t.pressure { strong { "Yes" } } @else { "No" } }
                        }
                    }
                }
            }
        }
        @if !away.is_empty() {
            h2 { "Who is away" }
            table.stack {
                caption { "People away on " (long_date(date)) }
                thead { tr { th scope="col" { "Person" } th scope="col" { "Team" } th scope="col" { "Reason" } th scope="col" { "FTE" } } }
                tbody {
                    @for (id, team, reason, fte) in &away {
                        tr {
                            th scope="row" data-label="Person" { a href=(format!("/people/{id}")) { (id) } }
                            td data-label="Team" { (team) } td data-label="Reason" { (reason) } td data-label="FTE" { (one(*fte)) }
                        }
                    }
                }
            }
            p.note { "Shown to those who may see each person; each view is recorded in the audit log." }
        }
        (c_note(viewer))
    })
}
