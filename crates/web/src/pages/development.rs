//! Practice development: supervision, early careers, CPD and registration,
//! progression and the experience mix, on a date, for the authority or a
//! team; with the people whose supervision is overdue for those who may see them.

use crate::error::Error;
use crate::filter::{scope_form, Filter, Scope};
use crate::layout::{c_note, gaps_banner, one, rate, respond};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup};
use sightline_core::development::{
    cohorts, development_by_team, development_figures, hidden_by_group, supervision_status, supervision_trend,
    DevelopmentFigures, Level, Policy,
};
use sightline_core::words::long_date;
use sightline_store::Role;
use std::collections::BTreeSet;

/// The Development page.
pub async fn development(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Development", view(&state, &viewer, &filter).await)
}

/// A figure's value as the viewer may see it: `c` where it rests on a count of 1 to 4.
struct Shown<'a> {
    figures: &'a DevelopmentFigures,
    hidden: &'a BTreeSet<&'static str>,
}

impl Shown<'_> {
    fn pct(&self, name: &str, v: Option<f64>) -> String {
        if self.hidden.contains(name) && v.is_some() {
            "c".into()
        } else {
            rate(v)
        }
    }
    fn count(&self, name: &str, v: Option<u32>) -> String {
        match v {
            _ if self.hidden.contains(name) => "c".into(),
            None => "-".into(),
            Some(n) => n.to_string(),
        }
    }
    fn mean(&self, name: &str, v: Option<f64>) -> String {
        match v {
            _ if self.hidden.contains(name) && v.is_some() => "c".into(),
            None => "-".into(),
            Some(x) => one(x),
        }
    }
}

/// What [`kept_development`] keeps: the figures, every team's, the trend (month
/// end, on time %, on time, all) and the cohorts.
pub(crate) type Developed = (
    DevelopmentFigures,
    Vec<(String, DevelopmentFigures)>,
    Vec<(chrono::NaiveDate, Option<f64>, u32, u32)>,
    Vec<sightline_core::development::Cohort>,
);

/// The development figures at `date` (for the authority or a team), every
/// team's, the supervision trend and the cohorts: worked out once per change
/// of the data.
pub(crate) async fn kept_development(
    state: &AppState,
    generation: i64,
    wf: &std::sync::Arc<sightline_core::Workforce>,
    dev: &std::sync::Arc<sightline_core::development::Development>,
    date: chrono::NaiveDate,
    team: Option<sightline_core::TeamId>,
) -> Result<std::sync::Arc<Developed>, Error> {
    let p = Policy::default();
    let (all, records) = (wf.clone(), dev.clone());
    state
        .kept(generation, format!("development {date} {team:?}"), move || {
            (
                development_figures(&all, &records, &p, date, team),
                development_by_team(&all, &records, &p, date),
                supervision_trend(&all, &records, &p, date, team),
                cohorts(&all, &records, date, team),
            )
        })
        .await
}

async fn view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    let (generation, wf, date, _) = state.covered_workforce_at(filter.date).await?;
    let gaps = state.gaps(generation, &wf, date);
    let dev = state.development(generation, &wf).await?;
    let scope = filter.scope(wf.teams(), &[])?;
    let team = match scope {
        Scope::Team(t) => wf.team_id(t),
        _ => None,
    };
    if viewer.is_member() && team.is_some() {
        return Ok(crate::pages::voice::members_see_the_authority("Development", "/development", date, &wf, scope));
    }
    let policy = Policy::default();
    let kept = kept_development(state, generation, &wf, &dev, date, team).await?;
    let (f, by_team, trend, cohorts) = &*kept;
    let mut by_team = by_team.clone();
    let is_member = viewer.is_member();
    // Small numbers are hidden for a member (who sees the authority's
    // figures only) and for a manager looking at a team not their own.
    let others_team = viewer.user.role == Role::Manager
        && team.is_some_and(|t| !viewer.user.teams.iter().any(|x| x == wf.team_name(t)));
    let member = is_member || others_team;
    let mut groups: Vec<DevelopmentFigures> = by_team.iter().map(|(_, g)| g.clone()).collect();
    groups.push(f.clone());
    let mut hidden = if is_member { hidden_by_group(&groups) } else { vec![BTreeSet::new(); groups.len()] };
    let mine = hidden.pop().unwrap_or_default();
    let own = if is_member {
        mine
    } else if others_team {
        f.hidden()
    } else {
        BTreeSet::new()
    };
    // Members see no figures by team: set beside each other and the
    // authority's, the teams' figures could give back counts under 5.
    if is_member {
        by_team.clear();
        hidden.clear();
    }
    // A manager sees their own teams in the table.
    if viewer.user.role == Role::Manager {
        let (rows, flags): (Vec<_>, Vec<_>) = std::mem::take(&mut by_team)
            .into_iter()
            .zip(std::mem::take(&mut hidden))
            .filter(|((name, _), _)| viewer.user.teams.contains(name))
            .unzip();
        (by_team, hidden) = (rows, flags);
    }
    // Whose supervision is overdue: people, for those who may see them.
    let records_from = dev.supervision().iter().map(|s| s.date).min().filter(|d| *d <= date);
    let mut overdue = Vec::new();
    if let Some(from) = records_from.filter(|_| viewer.sees_people()) {
        for p in wf.person_indices() {
            let in_scope = wf.spells_of(p).iter().any(|s| s.in_post_at(date) && team.is_none_or(|t| s.team == t));
            if !in_scope || !viewer.sight_of(&wf, p, date).is_some_and(|s| s.shows(date, Some(date))) {
                continue;
            }
            let status = supervision_status(&wf, &dev, &policy, p, date, from);
            if status.overdue_days > 0 {
                let team =
                    wf.spells_of(p).iter().find(|s| s.in_post_at(date)).map(|s| wf.team_name(s.team)).unwrap_or("");
                overdue.push((wf.person(p).id.clone(), team.to_string(), status));
            }
        }
        overdue.sort_by(|a, b| b.2.overdue_days.cmp(&a.2.overdue_days).then(a.0.cmp(&b.0)));
        if !overdue.is_empty() {
            let detail = format!("supervision overdue on {date}: {} people", overdue.len());
            state.store.audit(&viewer.user.name, "view development", &detail).await.map_err(Error::audit)?;
        }
    }
    let targets: Vec<sightline_core::Target> = state
        .store
        .targets()
        .await?
        .into_iter()
        .map(|t| t.target)
        .filter(|t| sightline_core::development::is_field(&t.figure))
        .collect();
    let show = Shown { figures: f, hidden: &own };
    // The trend: a member sees a month only where neither those on time nor those overdue are 1 to 4.
    // (month end, on time, hidden from a member)
    let trend: Vec<(chrono::NaiveDate, Option<f64>, bool)> = trend
        .iter()
        .map(|&(day, pct, on, all)| {
            let hidden = member && pct.is_some() && !sightline_core::disclosure::share_publishable(on, all);
            (day, pct.filter(|_| !hidden), hidden)
        })
        .collect();
    // Cohorts, the last 24 months': for a member, small counts hidden as a publication hides them.
    // Members see none: a month's cohort is a handful of people.
    let cohorts: Vec<_> = if is_member { Vec::new() } else { cohorts.iter().take(24).collect() };
    let grid: Vec<Vec<u32>> =
        cohorts.iter().map(|c| vec![c.started, c.in_programme, c.passed, c.failed, c.withdrawn, c.employed]).collect();
    let cells: Vec<Vec<Option<u32>>> = if member {
        sightline_core::disclosure::suppress(&grid).cells
    } else {
        grid.iter().map(|r| r.iter().map(|n| Some(*n)).collect()).collect()
    };
    let when = long_date(date);
    let where_ = match scope {
        Scope::Team(t) => format!("{t}, "),
        _ => String::new(),
    };
    Ok(html! {
        h1 { "Development" }
        (scope_form("/development", date, wf.teams(), &[], scope))
        (gaps_banner(viewer, &gaps, date))
        @if dev.is_empty() {
            p.no-data { "No development records have been imported yet: early careers, supervision, CPD, registration and grades come from their own exports (see the user guide, Development). Only the experience mix below rests on the employment records." }
        }
        @if !targets.is_empty() {
            table {
                caption { "Targets for development, against " (when) }
                thead { tr { th scope="col" { "Target" } th scope="col" { "By" } th scope="col" { "Now" } th scope="col" { "Status" } } }
                tbody {
                    @for t in &targets {
                        @let now = if own.contains(t.figure.as_str()) { None } else { f.rounded().field(&t.figure) };
                        tr {
                            th scope="row" { (sightline_core::development::label(&t.figure)) " " (t.direction()) " " (t.value) }
                            td { (long_date(t.by)) }
                            td { @if own.contains(t.figure.as_str()) { "c" } @else { (now.map_or("-".to_string(), one)) } }
                            td { @match t.status(now, date) {
                                sightline_core::TargetStatus::NotDefined => "not defined at this date",
                                status => (status.words()),
                            } }
                        }
                    }
                }
            }
        }
        h2 { "Supervision on " (when) }
        dl.summary {
            div { dt { "Supervision on time" } dd { (show.pct("supervision_on_time_pct", show.figures.supervision_on_time_pct)) } }
            div { dt { "People whose supervision is overdue" } dd { (show.count("supervision_overdue_people", f.supervision_overdue_people)) } }
        }
        p.note { "On time: a session of at least 1.5 hours (not a group session, not cancelled) within a month, or for the newly qualified weekly for the first 6 weeks and fortnightly to 6 months, as the employer standards ask. " a href="/glossary#development" { "How it is worked out" } }
        @if trend.iter().any(|(_, v, _)| v.is_some()) {
            @let labels: Vec<String> = trend.iter().map(|(d, _, _)| d.format("%b %Y").to_string()).collect();
            @let values: Vec<Option<f64>> = trend.iter().map(|(_, v, _)| *v).collect();
            @let summary = format!("Supervision on time at each month end over the 12 months to {when}.");
            (maud::PreEscaped(sightline_report::chart::line_chart("supervision-trend", "Supervision on time by month", &summary, &labels, &[("On time", values)], "%")))
            table {
                caption { "Supervision on time at each month end" }
                thead { tr { th scope="col" { "Month end" } th scope="col" { "On time" } } }
                tbody { @for (d, v, hidden) in &trend { tr { th scope="row" { (long_date(*d)) } td { @if *hidden { "c" } @else { (rate(*v)) } } } } }
            }
        }
        @if !overdue.is_empty() {
            table.stack {
                caption { (sightline_core::words::upper_first(&format!("{where_}people whose supervision is overdue on {when}, that you may see"))) }
                thead { tr { th scope="col" { "Person" } th scope="col" { "Team" } th scope="col" { "Last supervision" } th scope="col" { "Was due" } th scope="col" { "Days overdue" } } }
                tbody {
                    @for (id, team, s) in overdue.iter().take(50) {
                        tr {
                            td data-label="Person" { a href=(format!("/people/{}", crate::pages::people::encode_segment(id))) { (id) } }
                            td data-label="Team" { (team) }
                            td data-label="Last supervision" { (s.last.map_or("none recorded".to_string(), long_date)) }
                            td data-label="Was due" { (long_date(s.due)) }
                            td data-label="Days overdue" { (s.overdue_days) }
                        }
                    }
                }
            }
            @if overdue.len() > 50 { p { "The 50 longest overdue of " (overdue.len()) " are shown; a person's own page has their whole history." } }
        }
        h2 { "Early careers" }
        dl.summary {
            div { dt { "In an early-career programme (ASYE)" } dd { (show.count("asye_in_programme", f.asye_in_programme)) } }
            div { dt { "Review points due so far" } dd { (show.count("asye_reviews_due", f.asye_reviews_due)) } }
            div { dt { "Held" } dd { (show.count("asye_reviews_done", f.asye_reviews_done)) } }
            div { dt { "Late (due and not held)" } dd { (show.count("asye_reviews_late", f.asye_reviews_late)) } }
            div { dt { "Holding more cases than their protected caseload" } dd { (show.count("asye_above_protected_caseload", f.asye_above_protected_caseload)) } }
            div { dt { "Still employed 12 months after qualifying" } dd { (show.pct("asye_retention_12m_pct", f.asye_retention_12m_pct)) } }
            div { dt { "Still employed 24 months after qualifying" } dd { (show.pct("asye_retention_24m_pct", f.asye_retention_24m_pct)) } }
            div { dt { "Still employed 36 months after qualifying" } dd { (show.pct("asye_retention_36m_pct", f.asye_retention_36m_pct)) } }
            div { dt { "Other staff still employed a year on" } dd { (show.pct("others_retention_12m_pct", f.others_retention_12m_pct)) } }
        }
        p.note { "Retention: of early-career workers whose 12, 24 or 36 months after qualifying ended in the year to " (when) ", the share still employed then." }
        @if !cohorts.is_empty() {
            table.stack {
                caption { "Early-career cohorts by the month they started, where they stand on " (when) }
                thead { tr {
                    th scope="col" { "Started in" } th scope="col" { "Started" } th scope="col" { "In programme" }
                    th scope="col" { "Passed" } th scope="col" { "Failed" } th scope="col" { "Withdrawn" } th scope="col" { "Employed now" }
                } }
                tbody {
                    @for (c, row) in cohorts.iter().zip(&cells) {
                        tr {
                            th scope="row" data-label="Started in" { (c.month.format("%B %Y")) }
                            @for (label, v) in ["Started", "In programme", "Passed", "Failed", "Withdrawn", "Employed now"].iter().zip(row) {
                                td data-label=(label) { (v.map_or("c".to_string(), |n| n.to_string())) }
                            }
                        }
                    }
                }
            }
        }
        h2 { "CPD and registration" }
        dl.summary {
            div { dt { "On track with Social Work England's CPD" } dd { (show.pct("cpd_on_track_pct", f.cpd_on_track_pct)) } }
            div { dt { "At risk" } dd { (show.count("cpd_at_risk_people", f.cpd_at_risk_people)) } }
            div { dt { "Nothing recorded this registration year" } dd { (show.count("cpd_missing_people", f.cpd_missing_people)) } }
            div { dt { "CPD days a person, last 12 months" } dd { (show.mean("cpd_days_mean_12m", f.cpd_days_mean_12m)) } }
            div { dt { "Took up the CPD offer (5 days)" } dd { (show.pct("cpd_offer_met_pct", f.cpd_offer_met_pct)) } }
            div { dt { "Registrations ending in the next 90 days" } dd { (show.count("registrations_lapsing_90d", f.registrations_lapsing_90d)) } }
            div { dt { "Not registered on the date" } dd { (show.count("registrations_not_current", f.registrations_not_current)) } }
            div { dt { "Registered with conditions" } dd { (show.count("registrations_with_conditions", f.registrations_with_conditions)) } }
        }
        p.note { "Social Work England asks for at least two pieces of CPD each registration year (1 December to 30 November), one reflected on with a peer. On track: both done, or before the renewal window opens on 1 September, at least one piece." }
        h2 { "Progression and experience" }
        dl.summary {
            div { dt { "Promotions in the last 12 months" } dd { (show.count("promotions_12m", f.promotions_12m)) } }
            @if !f.promotions_by_level.is_empty() && !own.contains("promotions_by_level") {
                div { dt { "Promoted to" } dd { (f.promotions_by_level.iter().map(|(l, n)| format!("{} {n}", l.words())).collect::<Vec<_>>().join(", ")) } }
            }
            div { dt { "Months in their current level, on average" } dd { (show.mean("time_in_level_months_mean", f.time_in_level_months_mean)) } }
            div { dt { "Qualified under 2 years" } dd { (show.pct("mix_newly_qualified_pct", f.mix_newly_qualified_pct)) } }
            div { dt { "Qualified 2 to 5 years" } dd { (show.pct("mix_2_5_years_pct", f.mix_2_5_years_pct)) } }
            div { dt { "Qualified 5 years or more" } dd { (show.pct("mix_5_plus_years_pct", f.mix_5_plus_years_pct)) } }
            div { dt { "Qualification date not known" } dd { (show.count("mix_unknown_people", Some(f.mix_unknown_people))) } }
        }
        @if !f.levels.is_empty() {
            table {
                caption { "Employed social workers in post by level on " (when) }
                thead { tr { th scope="col" { "Level" } th scope="col" { "People" } } }
                tbody {
                    @for level in Level::ALL {
                        @if let Some(n) = f.levels.get(&level) {
                            tr { th scope="row" { (sightline_core::words::upper_first(level.words())) } td { @if own.contains("levels") && sightline_core::disclosure::is_disclosive(*n) { "c" } @else { (n) } } }
                        }
                    }
                }
            }
        }
        @if !by_team.is_empty() {
            h2 { "By team on " (when) }
            table.stack {
                caption { "Development by team" @if viewer.user.role == Role::Manager { " (your teams)" } }
                thead { tr { th scope="col" { "Team" } th scope="col" { "Supervision on time" } th scope="col" { "In ASYE" } th scope="col" { "CPD on track" } th scope="col" { "Qualified under 2 years" } } }
                tbody {
                    @for ((name, g), h) in by_team.iter().zip(&hidden) {
                        @let s = Shown { figures: g, hidden: h };
                        tr {
                            th scope="row" data-label="Team" { (name) }
                            td data-label="Supervision on time" { (s.pct("supervision_on_time_pct", s.figures.supervision_on_time_pct)) }
                            td data-label="In ASYE" { (s.count("asye_in_programme", g.asye_in_programme)) }
                            td data-label="CPD on track" { (s.pct("cpd_on_track_pct", g.cpd_on_track_pct)) }
                            td data-label="Qualified under 2 years" { (s.pct("mix_newly_qualified_pct", g.mix_newly_qualified_pct)) }
                        }
                    }
                }
            }
        }
        (c_note(viewer))
    })
}
