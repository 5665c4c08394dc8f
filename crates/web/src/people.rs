//! The restricted pages: people and their histories, and the data's
//! provenance. Who may see what is decided here, by role, and every view of
//! personal data is written to the audit log before it is shown.

use crate::auth::Viewer;
use crate::pages::page;
use crate::{latest_date, Shared};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use maud::{html, Markup};
use serde::Deserialize;
use sightline_store::Role;

fn refuse(viewer: &Viewer, title: &str, message: &str) -> Response {
    let body = html! { h1 { (title) } div.error role="alert" { p { (message) } } };
    (StatusCode::FORBIDDEN, page(title, Some(viewer), body)).into_response()
}

fn failed(viewer: &Viewer, title: &str, message: String) -> Response {
    let body = html! { h1 { (title) } div.error role="alert" { p { (message) } } };
    (StatusCode::INTERNAL_SERVER_ERROR, page(title, Some(viewer), body)).into_response()
}

#[derive(Deserialize)]
pub struct Search {
    q: Option<String>,
}

/// Whether the viewer may see people's identities at all.
fn sees_people(viewer: &Viewer) -> bool {
    matches!(viewer.user.role, Role::Admin | Role::Hr | Role::Manager)
}

pub async fn people(
    State(state): State<Shared>,
    Extension(viewer): Extension<Viewer>,
    Query(search): Query<Search>,
) -> Response {
    if !sees_people(&viewer) {
        return refuse(&viewer, "People", "Your role sees aggregate figures only, not individual people.");
    }
    let wf = match state.workforce().await {
        Ok(wf) => wf,
        Err(e) => return failed(&viewer, "People", format!("the store could not be read: {e}")),
    };
    let date = latest_date(&wf);
    let q = search.q.unwrap_or_default().trim().to_lowercase();
    let mut rows = Vec::new();
    for p in wf.person_indices() {
        let spells = wf.spells_of(p);
        let teams: Vec<&str> = spells.iter().map(|s| wf.team_name(s.team)).collect();
        if !viewer.may_see_person_in(&teams) {
            continue;
        }
        let person = wf.person(p);
        let swe = person.swe_no.clone().unwrap_or_default();
        if !q.is_empty() && !person.id.to_lowercase().contains(&q) && !swe.to_lowercase().contains(&q) {
            continue;
        }
        let latest = spells.last();
        let now = spells.iter().find(|s| s.covers(date));
        rows.push((
            person.id.clone(),
            swe,
            latest.map(|s| wf.team_name(s.team).to_string()).unwrap_or_default(),
            now.map_or("not in post", |s| s.kind.as_str()).to_string(),
        ));
    }
    let detail = format!("people list, search `{q}`: {} people", rows.len());
    if let Err(e) = state.store.audit(&viewer.user.name, "view people", &detail).await {
        return failed(&viewer, "People", format!("the audit log could not be written, so nothing is shown: {e}"));
    }
    let body = html! {
        h1 { "People" }
        @if viewer.user.role == Role::Manager {
            p { "The people who have worked in your teams: " (viewer.user.teams.join(", ")) "." }
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
    };
    page("People", Some(&viewer), body).into_response()
}

fn encode_segment(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn person(
    State(state): State<Shared>,
    Extension(viewer): Extension<Viewer>,
    Path(key): Path<String>,
) -> Response {
    if !sees_people(&viewer) {
        return refuse(&viewer, "Person", "Your role sees aggregate figures only, not individual people.");
    }
    let wf = match state.workforce().await {
        Ok(wf) => wf,
        Err(e) => return failed(&viewer, "Person", format!("the store could not be read: {e}")),
    };
    // Only someone the viewer may see: a manager's teams, checked on the person's own spells.
    let allowed = wf.person_indices().find(|p| wf.person(*p).id == key).is_some_and(|p| {
        let teams: Vec<&str> = wf.spells_of(p).iter().map(|s| wf.team_name(s.team)).collect();
        viewer.may_see_person_in(&teams)
    });
    if !allowed {
        let body = html! { h1 { "Person" } p { "There is no one called " (key) " whom you may see." } };
        return (StatusCode::NOT_FOUND, page("Person", Some(&viewer), body)).into_response();
    }
    let history = match state.store.person_history(&key).await {
        Ok(Some(h)) => h,
        Ok(None) => {
            return (StatusCode::NOT_FOUND, page("Person", Some(&viewer), html! { h1 { "Person" } })).into_response()
        }
        Err(e) => return failed(&viewer, "Person", format!("the store could not be read: {e}")),
    };
    if let Err(e) = state.store.audit(&viewer.user.name, "view person", &format!("`{key}`")).await {
        return failed(&viewer, "Person", format!("the audit log could not be written, so nothing is shown: {e}"));
    }
    let s = &history.summary;
    let name = [s.details.given_name.as_deref(), s.details.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let body = html! {
        h1 { "Person " (key) }
        dl {
            @if !name.is_empty() { dt { "Name" } dd { (name) } }
            dt { "SWE number" } dd { (s.person.swe_no.as_deref().unwrap_or("not known")) }
            dt { "Born" } dd { (s.person.birth_date.map_or("not known".to_string(), |d| d.to_string())) }
            dt { "Known to" } dd { (s.identifiers.iter().map(|(src, k)| format!("{src} as {k}")).collect::<Vec<_>>().join("; ")) }
        }
        (history_table(&history.facts))
    };
    page("Person", Some(&viewer), body).into_response()
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

/// Import batches, their provenance and the rows they left out. Values of
/// rejected rows may be personal data: only admin and HR see them.
pub async fn data(State(state): State<Shared>, Extension(viewer): Extension<Viewer>) -> Response {
    if !matches!(viewer.user.role, Role::Admin | Role::Hr | Role::Analyst) {
        return refuse(&viewer, "Data", "Your role does not see the data's provenance.");
    }
    let batches = match state.store.batches().await {
        Ok(b) => b,
        Err(e) => return failed(&viewer, "Data", format!("the store could not be read: {e}")),
    };
    let values = matches!(viewer.user.role, Role::Admin | Role::Hr);
    let mut rejected = Vec::new();
    for b in batches.iter().filter(|b| b.rows_rejected > 0) {
        match state.store.rejected_rows(b.id).await {
            Ok(rows) => rejected.push((b.id, rows)),
            Err(e) => return failed(&viewer, "Data", format!("the store could not be read: {e}")),
        }
    }
    let body = html! {
        h1 { "Data" }
        table {
            caption { "Import batches, newest first" }
            thead { tr { th scope="col" { "Batch" } th scope="col" { "Source" } th scope="col" { "Kind" } th scope="col" { "Imported" } th scope="col" { "By" } th scope="col" { "Rows read" } th scope="col" { "Rejected" } } }
            tbody {
                @for b in batches.iter().rev() {
                    tr { td { (b.id) } td { (b.source) } td { (b.kind) } td { (b.imported_at) } td { (b.imported_by) } td { (b.rows_read) } td { (b.rows_rejected) } }
                }
            }
        }
        @for (id, rows) in &rejected {
            table {
                caption { "Rows batch " (id) " left out" }
                thead { tr { th scope="col" { "File" } th scope="col" { "Line" } th scope="col" { "Column" } th scope="col" { "Value" } th scope="col" { "Rule" } } }
                tbody {
                    @for r in rows {
                        tr { td { (r.file) } td { (r.line) } td { (r.column) } td { @if values { (r.value) } @else { "(hidden)" } } td { (r.rule) } }
                    }
                }
            }
        }
    };
    page("Data", Some(&viewer), body).into_response()
}

/// The audit log, for admins only; read-only, as everywhere in the product.
pub async fn audit(State(state): State<Shared>, Extension(viewer): Extension<Viewer>) -> Response {
    if viewer.user.role != Role::Admin {
        return refuse(&viewer, "Audit log", "Only administrators read the audit log.");
    }
    let entries = match state.store.audit_log(500).await {
        Ok(e) => e,
        Err(e) => return failed(&viewer, "Audit log", format!("the store could not be read: {e}")),
    };
    let body = html! {
        h1 { "Audit log" }
        table {
            caption { "The latest " (entries.len()) " entries, newest first" }
            thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "Detail" } } }
            tbody { @for e in &entries { tr { td { (e.at) } td { (e.user) } td { (e.action) } td { (e.detail) } } } }
        }
    };
    page("Audit log", Some(&viewer), body).into_response()
}
