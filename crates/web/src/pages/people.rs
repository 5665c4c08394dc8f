//! People and their histories. Who may see whom is decided here, by role
//! ([`Viewer::sight_of`]: a manager sees their teams' people at the date
//! and those who left in the 12 months before, and only their time in those
//! teams), and every view of personal data is
//! written to the audit log before it is shown.

use crate::error::Error;
use crate::filter::Query;
use crate::layout::respond;
use crate::viewer::Viewer;
use crate::{latest_date, AppState, Shared};
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{html, Markup};
use serde::Deserialize;
use sightline_store::Role;

const ONLY_AGGREGATES: &str = "Your role sees aggregate figures only, not individual people.";

#[derive(Deserialize)]
pub struct Search {
    q: Option<String>,
}

/// The people the viewer may see, with a search by identifier or SWE number.
pub async fn people(State(state): State<Shared>, viewer: Viewer, Query(search): Query<Search>) -> Response {
    respond(&viewer, "People", people_view(&state, &viewer, search).await)
}

async fn people_view(state: &AppState, viewer: &Viewer, search: Search) -> Result<Markup, Error> {
    if !viewer.sees_people() {
        return Err(Error::forbidden(ONLY_AGGREGATES));
    }
    let wf = state.workforce().await?;
    let date = latest_date(&wf);
    let q = search.q.unwrap_or_default().trim().to_lowercase();
    let mut rows = Vec::new();
    for p in wf.person_indices() {
        let spells = wf.spells_of(p);
        let Some(sight) = viewer.sight_of(&wf, p, date) else { continue };
        let spells: Vec<&sightline_core::Spell> = spells.iter().filter(|s| sight.shows(s.start, s.end)).collect();
        let person = wf.person(p);
        let swe = person.swe_no.clone().unwrap_or_default();
        if !q.is_empty() && !person.id.to_lowercase().contains(&q) && !swe.to_lowercase().contains(&q) {
            continue;
        }
        let latest = spells.last().copied();
        let now = spells.iter().find(|s| s.covers(date));
        rows.push((
            person.id.clone(),
            swe,
            latest.map(|s| wf.team_name(s.team).to_string()).unwrap_or_default(),
            now.map_or("not in post", |s| s.kind.as_str()).to_string(),
        ));
    }
    let detail = format!("people list, search `{q}`: {} people", rows.len());
    state.store.audit(&viewer.user.name, "view people", &detail).await.map_err(Error::audit)?;
    Ok(html! {
        h1 { "People" }
        @if viewer.user.role == Role::Manager {
            p { "The people in your teams (" (viewer.user.teams.join(", ")) ") on " (date) ", and those who left them in the 12 months before; of each, their time in your teams." }
        }
        form.filters method="get" action="/people" role="search" {
            label for="q" { "Identifier or SWE number" }
            input #q type="search" name="q" value=(q);
            button type="submit" { "Search" }
        }
        table {
            caption { (rows.len()) " people; status on " (date) }
            thead { tr { th scope="col" { "Person" } th scope="col" { "SWE number" } th scope="col" { "Latest team" } th scope="col" { "On " (date) } } }
            tbody {
                @for (id, swe, team, status) in &rows {
                    tr { td { a href=(format!("/people/{}", encode_segment(id))) { (id) } } td { (swe) } td { (team) } td { (status) } }
                }
            }
        }
    })
}

fn encode_segment(text: &str) -> String {
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
    let wf = state.workforce().await?;
    let date = latest_date(&wf);
    // Only someone the viewer may see, and of them only what they may see.
    let sight = wf.person_indices().find(|p| wf.person(*p).id == key).and_then(|p| viewer.sight_of(&wf, p, date));
    let nobody = || Error::not_found(format!("There is no one called {key} whom you may see."));
    let Some(sight) = sight else {
        return Err(nobody());
    };
    let mut history = state.store.person_history(key).await?.ok_or_else(nobody)?;
    history.facts.retain(|f| sight.shows(f.start, f.end));
    state.store.audit(&viewer.user.name, "view person", &format!("`{key}`")).await.map_err(Error::audit)?;
    let s = &history.summary;
    let name = [s.details.given_name.as_deref(), s.details.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(html! {
        h1 { "Person " (key) }
        dl {
            @if !name.is_empty() { dt { "Name" } dd { (name) } }
            dt { "SWE number" } dd { (s.person.swe_no.as_deref().unwrap_or("not known")) }
            dt { "Born" } dd { (s.person.birth_date.map_or("not known".to_string(), |d| d.to_string())) }
            dt { "Known to" } dd { (s.identifiers.iter().map(|(src, k)| format!("{src} as {k}")).collect::<Vec<_>>().join("; ")) }
        }
        (history_table(&history.facts))
    })
}

fn history_table(facts: &[sightline_store::HistoryFact]) -> Markup {
    html! {
        table {
            caption { "History: spells, agency terms, absences and caseloads, from every source" }
            thead { tr { th scope="col" { "From" } th scope="col" { "To" } th scope="col" { "What" } th scope="col" { "Source" } th scope="col" { "Detail" } } }
            tbody {
                @for f in facts {
                    tr {
                        td { (f.start) }
                        td { (f.end.map_or(String::new(), |e| e.to_string())) }
                        td { (f.what) }
                        td { (f.source) }
                        td { (f.detail) }
                    }
                }
            }
        }
    }
}
