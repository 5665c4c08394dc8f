//! Why people leave (exit interviews, how long employments last, who comes
//! back) and what staff say (survey themes), with ER casework for HR and
//! admin alone.

use crate::error::Error;
use crate::filter::{scope_form, Filter, Scope};
use crate::layout::{c_note, one, rate, respond};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup};
use sightline_core::disclosure::is_disclosive;
use sightline_core::retention::{employments, retention, returners, RetentionBy};
use sightline_core::voice::{voice_figures, VoiceFigures};
use sightline_core::words::long_date;
use sightline_core::Period;
use sightline_store::Role;

/// Whether the viewer may see ER casework: HR and admin alone.
pub fn sees_er(viewer: &Viewer) -> bool {
    matches!(viewer.user.role, Role::Admin | Role::Hr)
}

/// What the staff-voice pages show: the figures for the 12 months to the
/// filter's date, the records they came from (ER cases only for those who
/// may see them), the date, the team asked for and the workforce.
struct Heard {
    f: VoiceFigures,
    records: std::sync::Arc<sightline_core::voice::VoiceRecords>,
    date: chrono::NaiveDate,
    team: Option<String>,
    wf: std::sync::Arc<sightline_core::Workforce>,
    generation: i64,
}

async fn figures(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Heard, Error> {
    let (generation, wf, date, _) = state.covered_workforce_at(filter.date).await?;
    let team = match filter.scope(wf.teams(), &[])? {
        Scope::Team(t) => Some(t.to_string()),
        _ => None,
    };
    let kept = kept_voice(state, generation, &wf, date, team.clone(), sees_er(viewer)).await?;
    let (records, f) = (kept.0.clone(), kept.1.clone());
    Ok(Heard { f, records, date, team, wf, generation })
}

/// The staff-voice records (with ER cases or without) and their figures for
/// the 12 months to `date`, for the authority or a team: worked out once per
/// change of the data.
pub(crate) async fn kept_voice(
    state: &AppState,
    generation: i64,
    wf: &std::sync::Arc<sightline_core::Workforce>,
    date: chrono::NaiveDate,
    team: Option<String>,
    er: bool,
) -> Result<std::sync::Arc<(std::sync::Arc<sightline_core::voice::VoiceRecords>, VoiceFigures)>, Error> {
    let days = state.settings.long_term_days;
    let key = format!("voice {date} {team:?} ER {er} {days}");
    let (all, calendar) = (wf.clone(), state.calendar.clone());
    let work = async {
        let records = state.voice(generation, wf, er).await?;
        let read = records.clone();
        let f = state
            .heavy
            .run(move || voice_figures(&all, &read, &calendar, Period::twelve_months_to(date), team.as_deref(), days))
            .await?;
        Ok((records, f))
    };
    state.kept_from(generation, key, work).await
}

/// A count as the viewer may see it.
fn count(viewer: &Viewer, n: u32) -> String {
    viewer.count(n).map_or("c".to_string(), |n| n.to_string())
}

/// For a member asking for one team: the figures are the authority's only.
pub fn members_see_the_authority(
    title: &str,
    action: &str,
    date: chrono::NaiveDate,
    wf: &sightline_core::Workforce,
    scope: Scope<'_>,
) -> Markup {
    html! {
        h1 { (title) }
        (scope_form(action, date, wf.teams(), &[], scope))
        p.no-data {
            "These figures are shown for the whole authority only. A team's would rest on so few people that, set beside the other teams', they could give back how many people did or said something. "
            a href=(action) { "See the whole authority" }
        }
    }
}

/// The "Why people leave" page.
pub async fn leaving(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Why people leave", leaving_view(&state, &viewer, &filter).await)
}

async fn leaving_view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    let Heard { f, date, team, wf, generation, .. } = figures(state, viewer, filter).await?;
    let scope = team.as_deref().map_or(Scope::Authority, Scope::Team);
    let member = viewer.is_member();
    if member && team.is_some() {
        return Ok(members_see_the_authority("Why people leave", "/leaving", date, &wf, scope));
    }
    // Retention: not for members (a curve's steps give back counts of leavers).
    let analysis = if member {
        None
    } else {
        let all = wf.clone();
        Some(
            state
                .kept(generation, format!("retention {date}"), move || {
                    let (survival, hazard) = retention(&all, date, RetentionBy::YearsSinceQualifying);
                    let back = returners(&all, &employments(&all, date), 3);
                    (survival, hazard, back)
                })
                .await?,
        )
    };
    let when = long_date(date);
    let rate_shown = !member || f.exit_rates_publishable();
    // Turnover beside the reasons: the authority's for everyone, a team's for those who see its people's figures.
    let turnover = match &team {
        None => sightline_core::indicators(&wf, &state.calendar, Period::twelve_months_to(date)).turnover_rate_fte,
        Some(_) if member => None,
        Some(t) => state
            .by_team(generation, &wf, Period::twelve_months_to(date))
            .await?
            .iter()
            .find(|g| g.group.as_deref() == Some(t.as_str()))
            .and_then(|g| g.indicators.turnover_rate_fte),
    };
    Ok(html! {
        h1 { "Why people leave" }
        (scope_form("/leaving", date, wf.teams(), &[], scope))
        h2 { "Exit interviews, 12 months to " (when) }
        @if f.exit_interviews == 0 {
            p.no-data { "No exit interviews are recorded for these 12 months. They come from the exit interview export (see the user guide, Staff voice)." }
        } @else {
            dl.summary {
                div { dt { "Turnover rate (FTE)" } dd { (rate(turnover)) } }
                div { dt { "Exit interviews" } dd { (count(viewer, f.exit_interviews)) } }
                div { dt { "Of leavers" } dd { @if rate_shown { (rate(f.exit_response_rate_pct)) } @else { "c" } } }
                div { dt { "Would come back" } dd { @if rate_shown { (rate(f.would_return_pct)) } @else { "c" } } }
            }
            table {
                caption { "Reasons for leaving given in exit interviews (an interview may give up to three)" }
                thead { tr { th scope="col" { "Reason" } th scope="col" { "Interviews" } th scope="col" { "Share" } } }
                tbody {
                    @for r in &f.exit_reasons {
                        @let hidden = member && !f.reason_publishable(r);
                        tr {
                            th scope="row" { (r.reason.words()) }
                            td { @if hidden { "c" } @else { (r.count) } }
                            td { @if hidden || !rate_shown { "c" } @else { (one(r.share)) "%" } }
                        }
                    }
                }
            }
            p.note { "Share: of the interviews that gave any reason, the share giving this one. What leavers said in their own words is kept for HR and is not shown here." }
        }
        @if let Some((survival, hazard, back)) = analysis.as_deref() {
            h2 { "How long employments last (the whole authority)" }
            p { "Every unbroken employment since the records begin, followed to " (when) ", by years since qualifying when it began (Kaplan-Meier: those still employed are counted for as long as they have been)." }
            @let groups: Vec<String> = {
                // In order of experience, "not known" last.
                let order = ["under 2 years", "2 to 5 years", "5 years or more", "not known"];
                let mut g: Vec<String> = survival.iter().map(|p| p.group.clone()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
                g.sort_by_key(|x| order.iter().position(|o| o == x).unwrap_or(order.len()));
                g
            };
            @let labels: Vec<String> = (0..=5).map(|y| if y == 1 { "1 year".to_string() } else { format!("{y} years") }).collect();
            @let series: Vec<(String, Vec<Option<f64>>)> = groups.iter().map(|g| {
                let values = (0..=5u32).map(|y| survival.iter().find(|p| &p.group == g && p.months == 12 * y).map(|p| p.surviving_pct)).collect();
                (format!("Qualified {g} before"), values)
            }).collect();
            @let named: Vec<(&str, Vec<Option<f64>>)> = series.iter().map(|(n, v)| (n.as_str(), v.clone())).collect();
            (maud::PreEscaped(sightline_report::chart::line_chart("survival", "Still employed after each year", "The share of employments still going after each year of service, by years since qualifying when they began.", &labels, &named, "%")))
            table.stack {
                caption { "Still employed after each year (%), by years since qualifying at the start" }
                thead { tr { th scope="col" { "Qualified before it began" } @for y in 1..=5 { th scope="col" { (y) " year" @if y > 1 { "s" } } } } }
                tbody {
                    @for group in &groups {
                        tr {
                            th scope="row" data-label="Qualified before it began" { (sightline_core::words::upper_first(group)) }
                            @for y in 1..=5u32 {
                                @let point = survival.iter().find(|p| &p.group == group && p.months == 12 * y);
                                td data-label=(if y == 1 { "1 year".to_string() } else { format!("{y} years") }) { (point.map_or("-".to_string(), |p| format!("{:.1}%", p.surviving_pct))) }
                            }
                        }
                    }
                }
            }
            table.stack {
                caption { "Leaving in each year of service: where the pinch point is" }
                thead { tr { th scope="col" { "Group" } th scope="col" { "Year of service" } th scope="col" { "Reached it" } th scope="col" { "Left in it" } th scope="col" { "Rate" } } }
                tbody {
                    @for h in hazard.iter().filter(|h| h.year_of_service < 10) {
                        tr {
                            td data-label="Group" { (h.group) }
                            td data-label="Year of service" { (h.year_of_service + 1) }
                            td data-label="Reached it" { (h.at_risk) }
                            td data-label="Left in it" { (h.leavers) }
                            td data-label="Rate" { (rate(h.rate_pct)) }
                        }
                    }
                }
            }
            h2 { "Leavers who came back (the whole authority)" }
            @if back.count == 0 {
                p { "No one who left came back within 3 years." }
            } @else {
                p { (back.count) " came back within 3 years of leaving; " (back.via_agency) " of them had worked here through an agency in between." }
            }
        }
        @if member {
            p.note { "How long employments last is not shown to members: each step of it rests on the few people who left in one month." }
        }
        (c_note(viewer))
    })
}

/// A team's survey themes (theme, score, respondents) beside its turnover rate and caseload.
type TeamVoice = (String, Vec<(String, f64, u32)>, Option<f64>, Option<f64>);

/// The "Staff voice" page: survey themes, and ER casework for HR and admin.
pub async fn voice(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Staff voice", voice_view(&state, &viewer, &filter).await)
}

async fn voice_view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    let Heard { f, records, date, team, wf, generation } = figures(state, viewer, filter).await?;
    if viewer.is_member() && team.is_some() {
        let scope = team.as_deref().map_or(Scope::Authority, Scope::Team);
        return Ok(members_see_the_authority("Staff voice", "/voice", date, &wf, scope));
    }
    let (all, read, wanted) = (wf.clone(), records.clone(), team.clone());
    let key = format!("survey waves {date} {team:?} ER {}", sees_er(viewer));
    let waves = state
        .kept(generation, key, move || sightline_core::voice::themes_by_wave(&all, &read, date, wanted.as_deref(), 6))
        .await?;
    let waves: &Vec<_> = &waves;
    let wave_names: Vec<String> = {
        let mut seen: Vec<String> = Vec::new();
        for w in waves {
            if !seen.contains(&w.0) {
                seen.push(w.0.clone());
            }
        }
        seen
    };
    let themes: std::collections::BTreeSet<&str> = waves.iter().map(|w| w.2.as_str()).collect();
    let er_months = sightline_core::voice::er_open_by_month(&records, date);
    let scope = team.as_deref().map_or(Scope::Authority, Scope::Team);
    let member = viewer.is_member();
    // Each team's themes beside its turnover and caseload (not for members:
    // a team's figures beside the others' could give back small counts).
    let by_team: Vec<TeamVoice> = if member || team.is_some() {
        Vec::new()
    } else {
        let (all, calendar, days) = (wf.clone(), state.calendar.clone(), state.settings.long_term_days);
        let key = format!("voice by team {date} ER {} {days}", sees_er(viewer));
        state
            .kept(generation, key, move || {
                let period = Period::twelve_months_to(date);
                let indicators = sightline_core::indicators_by(&all, &calendar, period, sightline_core::Grouping::Team);
                let mut rows: Vec<_> = indicators
                    .iter()
                    .filter(|g| g.indicators.inpost_headcount > 0)
                    .filter_map(|g| {
                        let name = g.group.clone()?;
                        let f = voice_figures(&all, &records, &calendar, period, Some(&name), days);
                        let themes =
                            f.survey_themes.iter().map(|t| (t.theme.clone(), t.score, t.respondents)).collect();
                        Some((name, themes, g.indicators.turnover_rate_fte, g.indicators.caseload_fte))
                    })
                    .collect();
                rows.sort_by(|a, b| a.0.cmp(&b.0));
                rows
            })
            .await?
            .to_vec()
    };
    let er = sees_er(viewer);
    if er {
        let detail = format!("ER casework on {date}{}", team.as_ref().map(|t| format!(", {t}")).unwrap_or_default());
        state.store.audit(&viewer.user.name, "view ER", &detail).await.map_err(Error::audit)?;
    }
    Ok(html! {
        h1 { "Staff voice" }
        (scope_form("/voice", date, wf.teams(), &[], scope))
        h2 { "Survey themes" }
        @if f.survey_themes.is_empty() {
            p.no-data { "No survey wave ended in the 12 months to " (long_date(date)) ". Surveys come from their export, with the survey's themes in its profile (see the user guide, Staff voice)." }
        } @else {
            table.stack {
                caption { "Themes of the latest survey wave (" (f.survey_themes.first().map_or("", |t| t.wave.as_str())) "), scored 0 to 100" }
                thead { tr { th scope="col" { "Theme" } th scope="col" { "Score" } th scope="col" { "Band" } th scope="col" { "Respondents" } th scope="col" { "Change since the wave before" } } }
                tbody {
                    @for t in &f.survey_themes {
                        @let hidden = member && !VoiceFigures::theme_publishable(t);
                        tr {
                            th scope="row" data-label="Theme" { (t.theme) }
                            td data-label="Score" { @if hidden { "c" } @else { (one(t.score)) } }
                            td data-label="Band" { @if hidden { "c" } @else { (t.band) } }
                            td data-label="Respondents" { @if hidden { "c" } @else { (t.respondents) } }
                            td data-label="Change" { @if hidden { "c" } @else { (t.change.map_or("-".to_string(), |c| format!("{c:+.1}"))) } }
                        }
                    }
                }
            }
            p.note { "Bands as the employer standards health check has them: 50 or under low, 51 to 74 moderate, 75 or over high." }
            @if by_team.iter().any(|(_, t, _, _)| !t.is_empty()) {
                table.stack {
                    caption { "Survey themes by team, beside turnover and caseload (12 months to " (long_date(date)) ")" }
                    thead { tr {
                        th scope="col" { "Team" }
                        @for t in &f.survey_themes { th scope="col" { (t.theme) } }
                        th scope="col" { "Turnover rate (FTE)" } th scope="col" { "Caseload (FTE)" }
                    } }
                    tbody {
                        @for (name, scores, turnover, caseload) in &by_team {
                            tr {
                                th scope="row" data-label="Team" { (name) }
                                @for t in &f.survey_themes {
                                    td data-label=(t.theme) { (scores.iter().find(|s| s.0 == t.theme).map_or("-".to_string(), |s| one(s.1))) }
                                }
                                td data-label="Turnover rate (FTE)" { (rate(*turnover)) }
                                td data-label="Caseload (FTE)" { (caseload.map_or("-".to_string(), one)) }
                            }
                        }
                    }
                }
            }
            @if wave_names.len() > 1 {
                table.stack {
                    caption { "Theme scores over the last " (wave_names.len()) " survey waves" }
                    thead { tr { th scope="col" { "Theme" } @for w in &wave_names { th scope="col" { (w) } } } }
                    tbody {
                        @for theme in &themes {
                            tr {
                                th scope="row" data-label="Theme" { (theme) }
                                @for w in &wave_names {
                                    @let cell = waves.iter().find(|x| &x.0 == w && x.2 == *theme);
                                    td data-label=(w) {
                                        @match cell {
                                            None => "-",
                                            Some(x) if member && is_disclosive(x.4) => "c",
                                            Some(x) => (one(x.3)),
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if er {
            h2 { "Employee relations casework on " (long_date(date)) }
            p.note { "Seen by HR and admin only; each view is recorded in the audit log." }
            @if f.er_open_by_type.is_empty() {
                p { "No ER cases are open." }
            } @else {
                table {
                    caption { "Open ER cases by type" }
                    thead { tr { th scope="col" { "Type" } th scope="col" { "Open" } } }
                    tbody { @for (k, n) in &f.er_open_by_type { tr { th scope="row" { (sightline_core::words::upper_first(&k.as_str().replace('_', " "))) } td { (n) } } } }
                }
            }
            @let kinds: std::collections::BTreeSet<_> = er_months.iter().flat_map(|(_, by)| by.keys().copied()).collect();
            @if !kinds.is_empty() {
                table.stack {
                    caption { "Open ER cases at each month end" }
                    thead { tr { th scope="col" { "Month end" } @for k in &kinds { th scope="col" { (sightline_core::words::upper_first(&k.as_str().replace('_', " "))) } } } }
                    tbody {
                        @for (end, by) in &er_months {
                            tr {
                                th scope="row" data-label="Month end" { (long_date(*end)) }
                                @for k in &kinds { td data-label=(k.as_str().replace('_', " ")) { (by.get(k).copied().unwrap_or(0)) } }
                            }
                        }
                    }
                }
            }
            @if let Some(n) = f.longterm_sick_without_case {
                p { (n) " on long-term sickness with no open sickness-absence case." }
            }
            @if let Some(n) = f.sickness_cases_without_absence {
                p { (n) " open sickness-absence cases with no sickness recorded in the last 12 months." }
            }
        }
        (c_note(viewer))
    })
}
