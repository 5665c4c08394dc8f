//! Sickness absence.

use crate::error::Error;
use crate::filter::{date_form, scope_form, Filter, Scope};
use crate::layout::respond;
use crate::layout::{gaps_banner, how_many, one, rate};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use sightline_core::absence as sickness;
use sightline_core::words::long_date;
use sightline_core::Period;
use sightline_report::chart::stacked_bars;
use sightline_store::Role;

/// Sickness absence by month and team, and the long-term cases the viewer may see.
pub async fn absence(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Absence", view(&state, &viewer, &filter).await)
}

async fn view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    let (generation, wf, date, coverage) = state.covered_workforce_at(filter.date).await?;
    let gaps = state.gaps(generation, &wf, date);
    let cal = &state.calendar;
    let threshold = state.settings.long_term_days;
    let period = Period::twelve_months_to(date);
    if let Some(gap) = coverage.gap_for(period, "absence_rate_fte") {
        return Ok(html! {
            h1 { "Absence" }
            (date_form("/absence", date))
            p.no-data { "No data for the 12 months to " (long_date(date)) ": " (gap.words()) ". " a href="/glossary#no-data" { "What no data means" } }
        });
    }
    // Twelve months by team: heavy work, off the server's threads.
    let scope = filter.scope(wf.teams(), &[])?;
    let team = match scope {
        Scope::Team(t) => wf.team_id(t),
        _ => None,
    };
    let (all, calendar) = (wf.clone(), cal.clone());
    let kept = state
        .kept(generation, format!("absence {date} {team:?} {threshold}"), move || {
            (
                match team {
                    Some(t) => sickness::team_sickness_by_month(&all, &calendar, period.start, date, threshold, t),
                    None => sickness::sickness_by_month(&all, &calendar, period.start, date, threshold),
                },
                sickness::long_term_on(&all, &calendar, date, threshold).into_iter().cloned().collect::<Vec<_>>(),
            )
        })
        .await?;
    let (months, long) = &*kept;
    // Every team's figures, shared with the other pages of the date.
    let by_team = state.by_team(generation, &wf, period).await?;
    // All staff by directorate, where the exports name directorates (the wider workforce beside social workers).
    let directorates = state.store.directorates().await?;
    // Not for members: with the social workers' figures elsewhere, a directorate's all-staff figures could
    // give back a handful of other staff and their sickness.
    let by_directorate = if directorates.is_empty() || viewer.is_member() {
        Vec::new()
    } else {
        let key = format!("absence of all staff {date} {directorates:?}");
        let calendar = cal.clone();
        let work = async {
            let everyone = state.store.load_population(&sightline_store::Population::All).await?;
            state
                .heavy
                .run(move || {
                    let groups = sightline_core::TeamGroups::by_service(
                        everyone.teams(),
                        &directorates,
                        sightline_core::Unassigned::Together("No directorate recorded"),
                    );
                    sightline_core::indicators_by_team_groups(&everyone, &calendar, period, &groups)
                })
                .await
        };
        state.kept_from(generation, key, work).await?.to_vec()
    };
    let long: Vec<_> = long
        .iter()
        .filter(|a| team.is_none_or(|t| wf.spells_of(a.person).iter().any(|s| s.team == t && s.covers(a.start))))
        .collect();
    // For a member, one team's months rest on how many are in post there:
    // hidden where the core's rule hides the team's days lost among all teams.
    let months_hidden = viewer.is_member()
        && team.is_some_and(|t| {
            let listed: Vec<_> = by_team.iter().filter(|g| g.indicators.inpost_headcount > 0).collect();
            let hidden = sightline_core::disclosure::hidden_figures(listed.len(), |g, f| {
                listed.get(g).and_then(|x| x.indicators.field(f)).unwrap_or(0.0) as u32
            });
            let name = wf.team_name(t);
            listed
                .iter()
                .zip(&hidden)
                .find(|(g, _)| g.group.as_deref() == Some(name))
                .is_none_or(|(_, h)| h.contains("working_days_lost_fte"))
        });
    // Who is off sick is health data: names only for those who may see the person.
    let named: Vec<_> = long
        .iter()
        .filter(|a| viewer.sight_of(&wf, a.person, date).is_some_and(|sight| sight.shows(a.start, Some(a.end))))
        .collect();
    if !named.is_empty() {
        let detail = format!("long-term sickness on {date}: {} people", named.len());
        state.store.audit(&viewer.user.name, "view absence", &detail).await.map_err(Error::audit)?;
    }
    let bars: Vec<(String, Vec<f64>)> =
        months.iter().map(|m| (m.month.format("%b %Y").to_string(), vec![m.short_term, m.long_term])).collect();
    let (short, long_days): (f64, f64) =
        months.iter().fold((0.0, 0.0), |(s, l), m| (s + m.short_term, l + m.long_term));
    let summary = format!(
        "In the 12 months to {}, {} working days were lost to sickness: {} in short-term episodes and {} in long-term ones ({} working days or more).",
        long_date(date), one(short + long_days), one(short), one(long_days), threshold
    );
    let member = viewer.user.role == Role::Member;
    let body = html! {
        h1 { "Absence" }
        (scope_form("/absence", date, wf.teams(), &[], scope))
        (gaps_banner(viewer, &gaps, date))
        @let title = match scope { Scope::Team(t) => format!("Working days lost to sickness by month: {t}"), _ => "Working days lost to sickness by month".to_string() };
        @if months_hidden {
            p { "The team's days lost by month are not shown: the team has fewer than 5 social workers in post, or its figures could be worked out from the others'. " a href="/glossary#suppressed" { "Why" } }
        } @else {
            (PreEscaped(stacked_bars("months", &title, &summary, &["Short-term", "Long-term"], &bars, "Working days lost")))
            table {
                caption { (title) }
                thead { tr { th scope="col" { "Month" } th scope="col" { "Short-term" } th scope="col" { "Long-term" } } }
                tbody { @for m in months { tr { th scope="row" { (m.month.format("%B %Y")) } td { (one(m.short_term)) } td { (one(m.long_term)) } } } }
            }
        }
        h2 { "By team, 12 months to " (long_date(date)) }
        table {
            caption { "Working days lost and absence rate by team (social workers in post at the date)" }
            thead { tr { th scope="col" { "Team" } th scope="col" { "Days lost" } th scope="col" { "Absence rate (FTE) %" } } }
            // For members, the core's rule over every team: days lost rest on
            // the people in post, and a lone hidden team would be the
            // authority's days less the others'.
            @let listed: Vec<_> = by_team.iter().filter(|g| g.indicators.inpost_headcount > 0).collect();
            @let hidden = sightline_core::disclosure::hidden_figures(listed.len(), |g, f| {
                listed.get(g).and_then(|x| x.indicators.field(f)).unwrap_or(0.0) as u32
            });
            tbody {
                @for (g, h) in listed.iter().zip(&hidden) {
                    tr {
                        th scope="row" { (g.group.clone().unwrap_or_default()) }
                        @if member && g.indicators.inpost_headcount < 5 { td colspan="2" { "c (fewer than 5 people)" } }
                        @else if member && h.contains("working_days_lost_fte") { td { "c" } td { "c" } }
                        @else { td { (one(g.indicators.working_days_lost_fte)) } td { (rate(g.indicators.absence_rate_fte)) } }
                    }
                }
            }
        }
        @if !by_directorate.is_empty() {
            h2 { "All staff by directorate, 12 months to " (long_date(date)) }
            table {
                caption { "Working days lost and absence rate of all staff (social workers and the wider workforce) by directorate" }
                thead { tr { th scope="col" { "Directorate" } th scope="col" { "Staff in post" } th scope="col" { "Days lost" } th scope="col" { "Absence rate (FTE) %" } } }
                // Never a member's (see above): no figure of it is hidden.
                tbody {
                    @for g in by_directorate.iter().filter(|g| g.indicators.inpost_headcount > 0) {
                        tr {
                            th scope="row" { (g.group.clone().unwrap_or_default()) }
                            td { (g.indicators.inpost_headcount) }
                            td { (one(g.indicators.working_days_lost_fte)) }
                            td { (rate(g.indicators.absence_rate_fte)) }
                        }
                    }
                }
            }
        }
        h2 { "Long-term sickness on " (long_date(date)) }
        p { (sightline_core::words::upper_first(&how_many(viewer, long.len() as u32, "person is", "people are"))) " off sick long-term." }
        @if !named.is_empty() {
            table {
                caption { "Long-term sickness episodes covering " (long_date(date)) " that you may see" }
                thead { tr { th scope="col" { "Person" } th scope="col" { "Team" } th scope="col" { "From" } th scope="col" { "To" } th scope="col" { "Working days" } } }
                tbody {
                    @for a in &named {
                        @let team = wf.spells_of(a.person).iter().rev().find(|s| s.covers(date)).or(wf.spells_of(a.person).last()).map(|s| wf.team_name(s.team)).unwrap_or("");
                        tr { td { (wf.person(a.person).id) } td { (team) } td { (long_date(a.start)) } td { (long_date(a.end)) } td { (one(sickness::episode_working_days(a, cal))) } }
                    }
                }
            }
        }
        (crate::layout::c_note(viewer))
        p.note { "Days lost follow DfE's rule: working days (Monday to Friday, not bank holidays) of sickness episodes, or the days the HR system recorded, prorated across months." }
    };
    Ok(body)
}
