//! Recruitment (from advert to start, with starts against plan) and DfE's
//! agency rules (each non-compliant assignment, for HR and admin).

use crate::error::Error;
use crate::filter::{scope_form, Filter, Scope};
use crate::layout::{c_note, one, respond};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use sightline_core::agency_rules::{self as rules, CapRegion, Rule};
use sightline_core::recruitment::{plan_for, recruitment_figures, Route, Vacancy};
use sightline_core::words::{long_date, money};
use sightline_core::Period;
use sightline_store::Role;

/// Whether the viewer may see each assignment's compliance: HR and admin alone.
pub fn sees_agency_rules(viewer: &Viewer) -> bool {
    matches!(viewer.user.role, Role::Admin | Role::Hr)
}

/// The Recruitment page.
pub async fn recruitment(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Recruitment", recruitment_view(&state, &viewer, &filter).await)
}

fn route_words(name: &str) -> String {
    Route::parse(name).map_or_else(|| sightline_core::words::upper_first(name), |r| r.words().to_string())
}

fn days(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |d| if d == 1.0 { "1 day".to_string() } else { format!("{d:.0} days") })
}

async fn recruitment_view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    let (generation, wf, date, _) = state.covered_workforce_at(filter.date).await?;
    let scope = filter.scope(wf.teams(), &[])?;
    let member = viewer.is_member();
    if member && matches!(scope, Scope::Team(_)) {
        return Ok(crate::pages::voice::members_see_the_authority("Recruitment", "/recruitment", date, &wf, scope));
    }
    let records = state.recruitment(generation, &wf).await?;
    let targets: Vec<sightline_core::Target> = state.store.targets().await?.into_iter().map(|t| t.target).collect();
    let period = Period::twelve_months_to(date);
    let vacancies: Vec<Vacancy> = match scope {
        Scope::Team(t) => records.vacancies.iter().filter(|v| v.team.as_deref() == Some(t)).cloned().collect(),
        _ => records.vacancies.clone(),
    };
    // A plan is the authority's: shown for the whole authority only.
    let plan = if matches!(scope, Scope::Authority) { plan_for(&targets, period) } else { Default::default() };
    let f = recruitment_figures(&vacancies, period, &plan).rounded();
    let (f, hidden) = if member { f.publishable() } else { (f, Default::default()) };
    let shown = |name: &str, n: u32| if hidden.contains(name) { "c".to_string() } else { n.to_string() };
    let when = long_date(date);
    if records.vacancies.is_empty() {
        return Ok(html! {
            h1 { "Recruitment" }
            (scope_form("/recruitment", date, wf.teams(), &[], scope))
            p.no-data { "No recruitment records are held. They come from the applicant tracking export (see the user guide, Recruitment)." }
        });
    }
    let funnel_hidden = f.stage_conversion.iter().any(|s| hidden.contains(&format!("stage:{}", s.stage)));
    let bars: Vec<(String, Vec<f64>)> = if funnel_hidden {
        Vec::new()
    } else {
        f.stage_conversion
            .iter()
            .map(|s| (sightline_core::words::upper_first(s.stage), vec![f64::from(s.count)]))
            .collect()
    };
    let funnel_summary =
        f.stage_conversion.iter().map(|s| format!("{} {}", s.count, s.stage)).collect::<Vec<_>>().join(", ");
    Ok(html! {
        h1 { "Recruitment" }
        (scope_form("/recruitment", date, wf.teams(), &[], scope))
        h2 { "The 12 months to " (when) }
        dl.summary {
            div { dt { "Open vacancies on " (when) } dd { (shown("open_vacancies", f.open_vacancies)) } }
            div { dt { "Starts" } dd { (shown("starts", f.starts)) } }
            div { dt { "Time to hire (advert to start, median)" } dd { (days(f.time_to_hire_days_median)) } }
            div { dt { "Advert to offer (median)" } dd { (days(f.advert_to_offer_days_median)) } }
            div { dt { "Offer to start (median)" } dd { (days(f.offer_to_start_days_median)) } }
        }
        h2 { "From application to start" }
        p { "Vacancies advertised in the 12 months (" (shown("advertised", f.advertised)) "): the candidates at each stage, and each stage as a share of the one before." }
        @if !bars.is_empty() {
            (PreEscaped(sightline_report::chart::stacked_bars("funnel", "Candidates at each stage", &funnel_summary, &["Candidates"], &bars, "Candidates")))
        }
        table {
            caption { "Candidates at each stage, vacancies advertised in the 12 months to " (when) }
            thead { tr { th scope="col" { "Stage" } th scope="col" { "Candidates" } th scope="col" { "Of the stage before" } } }
            tbody {
                @for s in &f.stage_conversion {
                    tr {
                        th scope="row" { (sightline_core::words::upper_first(s.stage)) }
                        td { (shown(&format!("stage:{}", s.stage), s.count)) }
                        td { (s.conversion_pct.map_or("-".to_string(), |p| format!("{}%", one(p)))) }
                    }
                }
            }
        }
        h2 { "Starts by route" }
        @if f.starts_by_route.is_empty() {
            p { "No one started in these 12 months." }
        } @else {
            table {
                caption { "Starts in the 12 months to " (when) ", by route" @if !plan.is_empty() { ", against the plan" } }
                thead { tr { th scope="col" { "Route" } th scope="col" { "Starts" } th scope="col" { "Plan" } th scope="col" { "Cost per hire" } } }
                tbody {
                    @for r in &f.starts_by_route {
                        @let cost = f.cost_per_hire_by_route.iter().find(|c| c.route == r.route);
                        tr {
                            th scope="row" { (route_words(&r.route)) }
                            td { (shown(&format!("route:{}", r.route), r.starts)) }
                            td { (r.plan.map_or("-".to_string(), |p| format!("{p:.0}"))) }
                            td { (cost.and_then(|c| c.cost_per_hire).map_or(if member && cost.is_some() { "c".to_string() } else { "-".to_string() }, money)) }
                        }
                    }
                }
            }
            p.note { "A plan is a target on starts by a route (for example at least 25 international starts by 31 March 2026) dated in these 12 months. Cost per hire: the recorded cost of the vacancies that started, over the starts" @if member { "; shown where at least 5 people started by the route" } "." }
        }
        // The reasons are the tracking system's own words: for members, the number only.
        @if f.withdrawals > 0 && member {
            h2 { "Withdrawals" }
            p { "Vacancies withdrawn in the 12 months to " (when) ": " (shown("withdrawals", f.withdrawals)) "." }
        } @else if f.withdrawals > 0 {
            h2 { "Withdrawals" }
            table {
                caption { "Vacancies withdrawn in the 12 months to " (when) ", by reason" }
                thead { tr { th scope="col" { "Reason" } th scope="col" { "Withdrawn" } } }
                tbody {
                    @for r in &f.withdrawals_by_reason {
                        tr { th scope="row" { (r.reason) } td { (shown(&format!("withdrawn:{}", r.reason), r.count)) } }
                    }
                }
            }
        }
        (c_note(viewer))
        p.note { "A vacancy is open from its advert until it starts, is withdrawn or closes. Time to hire runs from the advert to the first day of the person hired." }
    })
}

/// The Agency rules page: HR and admin alone, each view audited.
/// Every agency assignment, and their compliance with DfE's rules at `date`
/// judged by the region's caps: worked out once per change of the data.
async fn judged(
    state: &AppState,
    generation: i64,
    wf: &std::sync::Arc<sightline_core::Workforce>,
    date: chrono::NaiveDate,
) -> Result<std::sync::Arc<(Vec<rules::AgencyAssignment>, rules::Compliance, CapRegion)>, Error> {
    let records = state.recruitment(generation, wf).await?;
    let terms = state.agency_terms(generation, wf).await?;
    let all = wf.clone();
    let work = move || {
        let region = rules::cap_region(&records.price_caps, None)?;
        let assignments = rules::assignments(&all, &terms);
        let c = rules::compliance(&all, &records.rule_book(&region), &assignments, date);
        Ok::<_, String>((assignments, c, region))
    };
    let work = async { state.heavy.run(work).await?.map_err(Error::internal) };
    state.kept_from(generation, format!("agency rules {date}"), work).await
}

/// What `sightline agency-rules --format json` says at `date`: worked out once per change of the data.
pub(crate) async fn rules_report(
    state: &AppState,
    generation: i64,
    wf: &std::sync::Arc<sightline_core::Workforce>,
    date: chrono::NaiveDate,
) -> Result<std::sync::Arc<rules::RulesReport>, Error> {
    let records = state.recruitment(generation, wf).await?;
    let terms = state.agency_terms(generation, wf).await?;
    let (all, calendar) = (wf.clone(), state.calendar.clone());
    let work = move || {
        let region = rules::cap_region(&records.price_caps, None)?;
        let assignments = rules::assignments(&all, &terms);
        Ok::<_, String>(rules::rules_report(&all, &calendar, &records, &assignments, &region, date))
    };
    let work = async { state.heavy.run(work).await?.map_err(Error::internal) };
    state.kept_from(generation, format!("agency rules report {date}"), work).await
}

pub async fn agency_rules(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Agency rules", agency_rules_view(&state, &viewer, &filter).await)
}

async fn agency_rules_view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    if !sees_agency_rules(viewer) {
        return Err(Error::forbidden(
            "Each assignment's compliance is for HR and admin. The Agency page shows how many assignments break each rule.",
        ));
    }
    let (generation, wf, date, _) = state.covered_workforce_at(filter.date).await?;
    let records = state.recruitment(generation, &wf).await?;
    let judged = judged(state, generation, &wf, date).await?;
    let (all, c, region) = (&judged.0, &judged.1, &judged.2);
    state
        .store
        .audit(&viewer.user.name, "view agency rules", &format!("agency assignments' compliance on {date}"))
        .await
        .map_err(Error::audit)?;
    let by_reference: std::collections::HashMap<&str, &rules::AgencyAssignment> =
        all.iter().map(|a| (a.reference.as_str(), a)).collect();
    Ok(html! {
        h1 { "Agency rules" }
        (crate::filter::date_form("/agency-rules", date))
        p { "DfE's statutory guidance on agency child and family social workers, in force from 31 October 2024, checked for every assignment that began from then to " (long_date(date)) ": " (c.judged) " assignments." }
        @match &region {
            _ if records.price_caps.is_empty() => { p.no-data { "No price caps are held, so pay is not checked against them. They come from the region's price-cap export (see the user guide, Agency rules)." } }
            CapRegion::Judged(Some(r)) => { p { "Price caps: " (r) "." } }
            CapRegion::Judged(None) => { p { "Price caps: those held, for every region." } }
            CapRegion::Several(regions) => { p.no-data { "The price caps held are for several regions (" (regions.join(", ")) "), so pay is not checked against them here. Import your region's caps only, or use `sightline agency-rules --region`." } }
        }
        table {
            caption { "Assignments breaking each rule" }
            thead { tr { th scope="col" { "Rule" } th scope="col" { "Assignments" } } }
            tbody {
                @for rule in Rule::ALL {
                    tr { th scope="row" { (rule.words()) } td { (c.count(rule)) } }
                }
            }
        }
        @if c.cap_not_checked > 0 || c.pqe_not_known > 0 {
            p.note {
                (c.cap_not_checked) " assignments could not be checked against a cap (no pay rate, role type or cap in force when they began); "
                (c.pqe_not_known) " have neither a qualification date nor recorded experience."
            }
        }
        @if c.breaches.is_empty() {
            p { "No assignment breaks a rule." }
        } @else {
            table.stack {
                caption { "Assignments that break a rule" }
                thead { tr {
                    th scope="col" { "Assignment" } th scope="col" { "Team" } th scope="col" { "Began" }
                    th scope="col" { "Rule" } th scope="col" { "What the records show" }
                } }
                tbody {
                    @for b in &c.breaches {
                        @let a = by_reference.get(b.reference.as_str());
                        tr {
                            th scope="row" data-label="Assignment" { (b.reference) }
                            td data-label="Team" { (a.map_or("", |a| wf.team_name(a.team))) }
                            td data-label="Began" { (a.map_or(String::new(), |a| long_date(a.start))) }
                            td data-label="Rule" { (b.rule.words()) }
                            td data-label="What the records show" { (b.detail) }
                        }
                    }
                }
            }
        }
        h2 { "The quarterly data return" }
        form.report method="get" action="/agency-rules/return.csv" {
            div {
                label for="quarter" { "Quarter" }
                p.hint id="quarter-hint" { "As DfE names it: the year, Q and the quarter, for example 2025Q3 for July to September 2025." }
                input #quarter type="text" name="quarter" aria-describedby="quarter-hint" value=(quarter_of(date)) autocomplete="off" spellcheck="false";
            }
            button type="submit" { "Download the assignments (CSV)" }
        }
        p.note { "One row for each assignment in place in the quarter, with DfE's fields. The general section and the return's checks come with " code { "sightline agency-return" } " (see the user guide, Agency rules)." }
        p.note { "Seen by HR and admin only; each view and download is recorded in the audit log." }
    })
}

/// The quarter holding `d`, as DfE names it: `2025Q3`.
fn quarter_of(d: chrono::NaiveDate) -> String {
    use chrono::Datelike as _;
    format!("{}Q{}", d.year(), (d.month() - 1) / 3 + 1)
}

#[derive(serde::Deserialize)]
pub struct ReturnQuery {
    quarter: Option<String>,
}

/// The quarterly agency data return's assignment rows as CSV: HR and admin alone, audited.
pub async fn agency_return(
    State(state): State<Shared>,
    viewer: Viewer,
    axum::extract::Query(query): axum::extract::Query<ReturnQuery>,
) -> Response {
    match return_csv(&state, &viewer, query).await {
        Ok(response) => response,
        Err(e) => respond(&viewer, "Agency rules", Err(e)),
    }
}

async fn return_csv(state: &AppState, viewer: &Viewer, query: ReturnQuery) -> Result<Response, Error> {
    use axum::http::header;
    use axum::response::IntoResponse as _;
    if !sees_agency_rules(viewer) {
        return Err(Error::forbidden("The agency data return is for HR and admin."));
    }
    let text = query.quarter.unwrap_or_default();
    let quarter = rules::quarter(&text).ok_or_else(|| {
        Error::bad_request(format!("`{text}` is not a quarter: write the year, Q and the quarter, as in 2025Q3"))
    })?;
    let (generation, wf) = state.workforce_and_generation().await?;
    let records = state.recruitment(generation, &wf).await?;
    let terms = state.agency_terms(generation, &wf).await?;
    let region = rules::cap_region(&records.price_caps, None).map_err(Error::internal)?;
    let all = rules::assignments(&wf, &terms);
    let rows = rules::return_rows(&wf, &records.rule_book(&region), &all, quarter);
    state
        .store
        .audit(&viewer.user.name, "download agency return", &format!("{text}: {} assignments", rows.len()))
        .await
        .map_err(Error::audit)?;
    let name = format!("agency-return-{}.csv", text.trim().to_ascii_uppercase());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        rules::return_csv(&rows),
    )
        .into_response())
}
