//! People and their histories. Who may see whom is decided here, by role
//! ([`Viewer::sight_of`]: a manager sees their teams' people at the date
//! and those who left in the 12 months before, and only their time in those
//! teams), and every view of personal data is
//! written to the audit log before it is shown.

use crate::error::Error;
use crate::filter::Query;
use crate::layout::respond;
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Datelike as _;
use maud::{html, Markup};
use serde::Deserialize;
use sightline_core::words::long_date;
use sightline_store::Role;

const ONLY_AGGREGATES: &str = "Your role sees aggregate figures only, not individual people.";

#[derive(Deserialize)]
pub struct Search {
    q: Option<String>,
    team: Option<String>,
    /// `in-post`, `left`, or all.
    status: Option<String>,
    /// `permanent`, `fixed_term` or `agency`, or all.
    contract: Option<String>,
    page: Option<usize>,
}

/// People a page of the list holds.
const PAGE_SIZE: usize = 50;

/// The people the viewer may see, paged, with a search by identifier or SWE
/// number and filters by team, status and contract.
pub async fn people(State(state): State<Shared>, viewer: Viewer, Query(search): Query<Search>) -> Response {
    respond(&viewer, "People", people_view(&state, &viewer, search).await)
}

/// One person on the People page, as the viewer may see them.
struct Listed {
    id: String,
    swe: String,
    latest_team: String,
    in_post: bool,
    /// The kind of the post now, else of the latest.
    kind: Option<&'static str>,
    status: String,
}

/// Everyone `viewer` may see at `date`, in the order of the workforce.
fn listed_people(viewer: &Viewer, wf: &sightline_core::Workforce, date: chrono::NaiveDate) -> Vec<Listed> {
    let mut out = Vec::new();
    for p in wf.person_indices() {
        let Some(sight) = viewer.sight_of(wf, p, date) else { continue };
        let spells: Vec<&sightline_core::Spell> =
            wf.spells_of(p).iter().filter(|s| sight.shows(s.start, s.end)).collect();
        let person = wf.person(p);
        let latest = spells.last().copied();
        let now = spells.iter().find(|s| s.covers(date)).copied();
        out.push(Listed {
            id: person.id.clone(),
            swe: person.swe_no.clone().unwrap_or_default(),
            latest_team: latest.map(|s| wf.team_name(s.team).to_string()).unwrap_or_default(),
            in_post: now.is_some(),
            kind: now.or(latest).map(|s| s.kind.as_str()),
            status: now.map_or("Not in post".to_string(), |s| format!("In post, {}", s.kind.label().to_lowercase())),
        });
    }
    out
}

async fn people_view(state: &AppState, viewer: &Viewer, search: Search) -> Result<Markup, Error> {
    if !viewer.sees_people() {
        return Err(Error::forbidden(ONLY_AGGREGATES));
    }
    let (generation, wf) = state.workforce_and_generation().await?;
    let date = state.latest_date(generation, &wf);
    let q = search.q.unwrap_or_default().trim().to_lowercase();
    let team = search.team.filter(|t| !t.is_empty());
    let status = search.status.filter(|s| s == "in-post" || s == "left");
    let contract = search.contract.filter(|c| sightline_core::SpellKind::parse(c).is_some());
    // Everyone the viewer may see, with what the filters ask of them: the
    // same for everyone who may see the same people, made once per change of the data.
    let key = format!("people list {date} {} {:?}", viewer.user.role, viewer.user.teams);
    let (who, all) = (viewer.clone(), wf.clone());
    let kept = state
        .kept(generation, key, move || {
            let listed = listed_people(&who, &all, date);
            let teams: std::collections::BTreeSet<String> = listed.iter().map(|r| r.latest_team.clone()).collect();
            (listed, teams)
        })
        .await?;
    let (listed, teams_seen) = (&kept.0, &kept.1);
    // With no filter the page is a slice of the list; with one, the list is
    // read through once per change of the data and filter, and kept.
    let unfiltered = q.is_empty() && team.is_none() && status.is_none() && contract.is_none();
    let matching: std::sync::Arc<Vec<usize>> = if unfiltered {
        std::sync::Arc::new(Vec::new())
    } else {
        let key = format!(
            "people matching {date} {} {:?} {q:?} {team:?} {status:?} {contract:?}",
            viewer.user.role, viewer.user.teams
        );
        let (kept, q, team, status, contract) =
            (kept.clone(), q.clone(), team.clone(), status.clone(), contract.clone());
        state
            .kept(generation, key, move || {
                kept.0
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| {
                        q.is_empty() || r.id.to_lowercase().contains(&q) || r.swe.to_lowercase().contains(&q)
                    })
                    .filter(|(_, r)| {
                        !(team.as_ref().is_some_and(|t| *t != r.latest_team)
                            || status.as_deref() == Some("in-post") && !r.in_post
                            || status.as_deref() == Some("left") && r.in_post
                            || contract.as_ref().is_some_and(|c| r.kind != Some(c.as_str())))
                    })
                    .map(|(i, _)| i)
                    .collect()
            })
            .await?
    };
    let found = if unfiltered { listed.len() } else { matching.len() };
    let pages = found.div_ceil(PAGE_SIZE).max(1);
    let page = search.page.unwrap_or(1).clamp(1, pages);
    let range = (page - 1) * PAGE_SIZE..found.min(page * PAGE_SIZE);
    let shown: Vec<_> = if unfiltered {
        listed.get(range).unwrap_or_default().iter().collect()
    } else {
        matching.get(range).unwrap_or_default().iter().filter_map(|i| listed.get(*i)).collect()
    };
    let shown: Vec<_> = shown.into_iter().map(|r| (&r.id, &r.swe, &r.latest_team, &r.status)).collect();
    // What was asked, as far as anything was: no empty filters in the log.
    let mut asked: Vec<String> = Vec::new();
    for (what, value) in [
        ("search", q.as_str()),
        ("team", team.as_deref().unwrap_or("")),
        ("status", status.as_deref().unwrap_or("")),
        ("contract", contract.as_deref().unwrap_or("")),
    ] {
        if !value.is_empty() {
            asked.push(format!("{what} `{value}`"));
        }
    }
    let detail = format!(
        "people list{}{}, page {page}: {} of {} people",
        if asked.is_empty() { "" } else { ", " },
        asked.join(", "),
        shown.len(),
        found
    );
    state.store.audit(&viewer.user.name, "view people", &detail).await.map_err(Error::audit)?;
    let link = |n: usize| {
        let mut query = vec![format!("page={n}")];
        for (k, v) in [
            ("q", Some(q.as_str())),
            ("team", team.as_deref()),
            ("status", status.as_deref()),
            ("contract", contract.as_deref()),
        ] {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                query.push(format!("{k}={}", crate::auth::encode(v)));
            }
        }
        format!("/people?{}", query.join("&"))
    };
    Ok(html! {
        h1 { "People" }
        @if viewer.user.role == Role::Manager {
            p { "The people in your teams (" (viewer.user.teams.join(", ")) ") on " (long_date(date)) ", and those who left them in the 12 months before; of each, their time in your teams." }
        }
        form.filters method="get" action="/people" role="search" {
            div { label for="q" { "Identifier or SWE number" } input #q type="search" name="q" value=(q); }
            div {
                label for="team" { "Team" }
                select #team name="team" {
                    option value="" { "All teams" }
                    @for t in teams_seen.iter().filter(|t| !t.is_empty()) { option value=(t) selected[team.as_deref() == Some(t.as_str())] { (t) } }
                }
            }
            div {
                label for="status" { "Status" }
                select #status name="status" {
                    option value="" { "Everyone" }
                    option value="in-post" selected[status.as_deref() == Some("in-post")] { "In post" }
                    option value="left" selected[status.as_deref() == Some("left")] { "Not in post" }
                }
            }
            div {
                label for="contract" { "Contract" }
                select #contract name="contract" {
                    option value="" { "Any" }
                    @for k in sightline_core::SpellKind::ALL { option value=(k.as_str()) selected[contract.as_deref() == Some(k.as_str())] { (k.label()) } }
                }
            }
            button type="submit" { "Search" }
        }
        table.stack {
            caption { (found) " people; status on " (long_date(date)) @if pages > 1 { "; page " (page) " of " (pages) } }
            thead { tr { th scope="col" { "Person" } th scope="col" { "SWE number" } th scope="col" { "Latest team" } th scope="col" { "On " (long_date(date)) } } }
            tbody {
                @for (id, swe, team, status) in shown {
                    tr { td { a href=(format!("/people/{}", encode_segment(id))) { (id) } } td data-label="SWE number" { (swe) } td data-label="Latest team" { (team) } td data-label="Status" { (status) } }
                }
            }
        }
        @if pages > 1 {
            nav aria-label="Pages of people" {
                ul.pager {
                    @if page > 1 { li { a href=(link(page - 1)) { "Previous page" } } }
                    li { "Page " (page) " of " (pages) }
                    @if page < pages { li { a href=(link(page + 1)) { "Next page" } } }
                }
            }
        }
    })
}

pub(crate) fn encode_segment(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One person's details and whole history, for those who may see them.
pub async fn person(State(state): State<Shared>, viewer: Viewer, Path(key): Path<String>) -> Response {
    respond(&viewer, "Person", person_view(&state, &viewer, &key).await)
}

async fn person_view(state: &AppState, viewer: &Viewer, key: &str) -> Result<Markup, Error> {
    if !viewer.sees_people() {
        return Err(Error::forbidden(ONLY_AGGREGATES));
    }
    let (generation, wf) = state.workforce_and_generation().await?;
    let date = state.latest_date(generation, &wf);
    // Only someone the viewer may see, and of them only what they may see.
    let found = state.find_person(generation, &wf, key).await?;
    let sight = found.and_then(|p| viewer.sight_of(&wf, p, date).map(|sight| (p, sight)));
    let nobody = || Error::not_found(format!("There is no one called {key} whom you may see."));
    let Some((person, sight)) = sight else {
        return Err(nobody());
    };
    // Read once per change of the data.
    let kept = state
        .kept_from(generation, format!("person {key}"), async { Ok(state.store.person_history(key).await?) })
        .await?;
    let mut history = kept.as_ref().clone().ok_or_else(nobody)?;
    history.facts.retain(|f| sight.shows(f.start, f.end));
    state.store.audit(&viewer.user.name, "view person", &format!("`{key}`")).await.map_err(Error::audit)?;
    let s = &history.summary;
    let name = [s.details.given_name.as_deref(), s.details.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let summary = summary_of(state, &wf, person, &sight, date);
    Ok(html! {
        h1 { @if name.is_empty() { "Person " (key) } @else { (name) } }
        h2 { "Summary on " (long_date(date)) }
        dl.summary {
            div { dt { "Person" } dd { (key) } }
            @for (what, words) in &summary { div { dt { (what) } dd { (words) } } }
            div { dt { "SWE number" } dd { (s.person.swe_no.as_deref().unwrap_or("not known")) } }
            div { dt { "Born" } dd { (s.person.birth_date.map_or("not known".to_string(), long_date)) } }
            div { dt { "Known to" } dd { (s.identifiers.iter().map(|(src, k)| format!("{src} as {k}")).collect::<Vec<_>>().join("; ")) } }
        }
        h2 { "History" }
        (history_table(&history.facts))
    })
}

/// What a reader wants first of a person on `date`, within what the viewer
/// may see: the current post, length of service, sickness this year and
/// cases held now.
fn summary_of(
    state: &AppState,
    wf: &sightline_core::Workforce,
    p: sightline_core::PersonIdx,
    sight: &crate::viewer::Sight,
    date: chrono::NaiveDate,
) -> Vec<(&'static str, String)> {
    let posts: Vec<_> = wf.spells_of(p).iter().filter(|s| s.covers(date) && sight.shows(s.start, s.end)).collect();
    let mut out = Vec::new();
    let current = if posts.is_empty() {
        match wf
            .spells_of(p)
            .iter()
            .filter(|s| sight.shows(s.start, s.end))
            .filter_map(|s| s.end)
            .filter(|e| *e < date)
            .max()
        {
            Some(left) => format!("none: the last post seen ended on {}", long_date(left)),
            None => "none".to_string(),
        }
    } else {
        posts
            .iter()
            .map(|s| format!("{}, {}, {} (FTE {:.2})", s.kind.label(), wf.team_name(s.team), s.org_role.label(), s.fte))
            .collect::<Vec<_>>()
            .join("; ")
    };
    out.push(("Current post", current));
    if let Some(since) = wf.employed_since(p, date) {
        let months = (date.year() - since.year()) * 12 + date.month() as i32 - since.month() as i32;
        let length = match (months / 12, months % 12) {
            (0, m) => format!("{m} month{}", if m == 1 { "" } else { "s" }),
            (y, 0) => format!("{y} year{}", if y == 1 { "" } else { "s" }),
            (y, m) => {
                format!("{y} year{} and {m} month{}", if y == 1 { "" } else { "s" }, if m == 1 { "" } else { "s" })
            }
        };
        out.push(("Length of service", format!("{length}, since {}", long_date(since))));
    }
    // Sickness is health data: a manager sees only what fell in their time in their teams.
    let year = sightline_core::Period::twelve_months_to(date);
    let spans: Vec<sightline_core::Period> = match sight {
        crate::viewer::Sight::All => vec![year],
        crate::viewer::Sight::During(spans) => spans
            .iter()
            .map(|(from, to)| sightline_core::Period { start: (*from).max(year.start), end: (*to).min(year.end) })
            .filter(|p| p.start <= p.end)
            .collect(),
    };
    if !spans.is_empty() {
        let (episodes, days) = spans.iter().fold((0, 0.0), |(n, d), span| {
            let (m, e) = sightline_core::absence::sickness_of(wf, &state.calendar, p, *span);
            (n + m, d + e)
        });
        out.push((
            "Sickness, last 12 months",
            match episodes {
                0 => "none recorded".to_string(),
                1 => format!("1 episode, {days:.1} working days"),
                n => format!("{n} episodes, {days:.1} working days"),
            },
        ));
    }
    if !posts.is_empty() {
        let cases = wf.cases_held_at(p, date);
        out.push(("Cases held now", if cases == 1 { "1 child".to_string() } else { format!("{cases} children") }));
    }
    out
}

fn history_table(facts: &[sightline_store::HistoryFact]) -> Markup {
    html! {
        table.stack {
            caption { "History: spells, agency terms, absences, caseloads and development records, from every source" }
            thead { tr { th scope="col" { "From" } th scope="col" { "To" } th scope="col" { "What" } th scope="col" { "Source" } th scope="col" { "Detail" } } }
            tbody {
                @for f in facts {
                    tr {
                        td data-label="From" { (long_date(f.start)) }
                        td data-label="To" { (f.end.map_or(String::new(), long_date)) }
                        td data-label="What" { (f.what) }
                        td data-label="Source" { (f.source) }
                        td data-label="Detail" { (f.detail) }
                    }
                }
            }
        }
    }
}
