//! The data's provenance (import batches and the rows they left out) and
//! the audit log.

use crate::error::Error;
use crate::filter::Query;
use crate::layout::respond;
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup};
use sightline_core::completeness::{stale_sources, STALE_AFTER_DAYS};
use sightline_core::source::RowProblem;
use sightline_core::words::escape_control;
use sightline_core::words::long_date;
use sightline_store::Role;

/// Import batches, their provenance and the rows they left out. Values of
/// rejected rows may be personal data: only admin and HR see them.
pub async fn data(State(state): State<Shared>, viewer: Viewer) -> Response {
    respond(&viewer, "Data", data_view(&state, &viewer).await)
}

async fn data_view(state: &AppState, viewer: &Viewer) -> Result<Markup, Error> {
    let values = rejected_values(viewer)?;
    // The rejected rows' values may be personal data: every view is recorded.
    let detail = if values { "provenance, with rejected rows' values" } else { "provenance" };
    state.store.audit(&viewer.user.name, "view data", detail).await.map_err(Error::audit)?;
    let (generation, wf, date) = state.generation_workforce_at(None).await?;
    // Batches are written only with a new generation of the data: listed
    // once per generation. (An import that commits while the list is read is
    // in it a moment early, as it was when the list was read on each view.)
    // The rows they left out may be personal data: read on each view, not kept.
    let batches =
        state.kept_from(generation, "import batches".into(), async { Ok(state.store.batches().await?) }).await?;
    // A page's worth of each of the newest batches' left-out rows; every
    // batch's are a download away (`rejected_csv`).
    let mut rejected = Vec::new();
    for b in batches.iter().rev().filter(|b| b.rows_rejected > 0).take(BATCHES_SHOWN) {
        rejected.push((b.id, b.rows_rejected, state.store.first_rejected_rows(b.id, ROWS_SHOWN).await?));
    }
    let mut gaps = state.gaps(generation, &wf, date).to_vec();
    let imports = batches.iter().filter_map(|b| Some((b.source.as_str(), b.imported_on()?)));
    gaps.extend(stale_sources(imports, chrono::Utc::now().date_naive(), STALE_AFTER_DAYS));
    Ok(html! {
        h1 { "Data" }
        h2 { "Is the picture whole?" }
        @if gaps.is_empty() {
            p { "No gaps found at " (long_date(date)) ": every team with people has an establishment, every funded team has people, and no one is over full time." }
        } @else {
            div.warning role="status" {
                p { "At " (long_date(date)) ", the figures rest on data that may be incomplete:" }
                ul { @for g in &gaps { li { (g.words()) } } }
            }
        }
        table {
            caption { "Import batches, newest first" }
            thead { tr { th scope="col" { "Batch" } th scope="col" { "Source" } th scope="col" { "Kind" } th scope="col" { "Imported" } th scope="col" { "By" } th scope="col" { "Rows read" } th scope="col" { "Rejected" } } }
            tbody {
                @for b in batches.iter().rev() {
                    tr {
                        td { (b.id) } td { (b.source) } td { (b.kind) } td { (crate::layout::time_words(&b.imported_at)) } td { (b.imported_by) } td { (crate::layout::whole(b.rows_read as u64)) }
                        td {
                            @if b.rows_rejected > 0 {
                                @let n = crate::layout::whole(b.rows_rejected as u64);
                                a href=(format!("/data/rejected/{}", b.id)) aria-label=(format!("{n} {} left out of batch {} (CSV)", rows_word(b.rows_rejected), b.id)) { (n) }
                            } @else { "0" }
                        }
                    }
                }
            }
        }
        @for (id, total, rows) in &rejected {
            table.stack {
                caption {
                    "Rows batch " (id) " left out"
                    @if *total > rows.len() as i64 { ": the first " (rows.len()) " of " (crate::layout::whole(*total as u64)) }
                }
                thead { tr { th scope="col" { "File" } th scope="col" { "Line" } th scope="col" { "Column" } th scope="col" { "Value" } th scope="col" { "Rule" } } }
                tbody {
                    @for r in rows {
                        tr { td data-label="File" { (r.file) } td data-label="Line" { (r.line) } td data-label="Column" { (r.column) } td data-label="Value" { @if values { (r.value) } @else { (HIDDEN) } } td data-label="Rule" { @if values { (r.rule) } @else { (HIDDEN) } } }
                    }
                }
            }
            p { a href=(format!("/data/rejected/{id}")) { "Download the " (crate::layout::whole(*total as u64)) " " (rows_word(*total)) " left out of batch " (id) " (CSV)" } }
        }
    })
}

/// Whether the viewer sees the values of rows imports left out (admin and
/// HR; they may be personal data), or only where they were (analysts); other
/// roles do not see the data's provenance at all.
fn rejected_values(viewer: &Viewer) -> Result<bool, Error> {
    match viewer.user.role {
        Role::Admin | Role::Hr => Ok(true),
        Role::Analyst => Ok(false),
        Role::Manager | Role::Member => Err(Error::forbidden("Your role does not see the data's provenance.")),
    }
}

/// How long a download of left-out rows may take, start to end, and how
/// long it waits for a reader who takes no rows.
const DOWNLOAD_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);
const DOWNLOAD_STALL: std::time::Duration = std::time::Duration::from_secs(10);

/// What those who do not see values see in their place, and in place of
/// the rules, which can quote values (a date of birth, an identifier, a SWE
/// number).
const HIDDEN: &str = "(hidden)";

/// Left-out rows shown on the Data page for each batch, and the batches
/// (the newest with any) whose rows are shown; the rest are downloads.
const ROWS_SHOWN: u32 = 100;
const BATCHES_SHOWN: usize = 10;

fn rows_word(n: i64) -> &'static str {
    if n == 1 {
        "row"
    } else {
        "rows"
    }
}

/// `/data/rejected/{batch}`: every row an import batch left out, as CSV:
/// the values for admin and HR, `(hidden)` for analysts; each download audited.
pub async fn rejected_csv(
    State(state): State<Shared>,
    viewer: Viewer,
    axum::extract::Path(batch): axum::extract::Path<String>,
) -> Response {
    match rejected_csv_of(&state, &viewer, &batch).await {
        Ok(response) => response,
        Err(e) => respond(&viewer, "Data", Err(e)),
    }
}

async fn rejected_csv_of(state: &AppState, viewer: &Viewer, batch: &str) -> Result<Response, Error> {
    use axum::http::header;
    use axum::response::IntoResponse as _;
    let values = rejected_values(viewer)?;
    let not_found = || Error::not_found(format!("There is no import batch {batch} with rows left out."));
    let id: i64 = batch.parse().map_err(|_| not_found())?;
    if state.store.rows_rejected(id).await?.is_none_or(|n| n <= 0) {
        return Err(not_found());
    }
    // One download at a time, for at most DOWNLOAD_LIMIT: each is work on
    // the store (its rows are read a page at a time, so a connection is
    // held only while a page is read, not while the rows go out).
    let permit = state.downloads.clone().try_acquire_owned().map_err(|_| Error::download_busy())?;
    let detail = format!("batch {id}{}", if values { ", with values" } else { "" });
    state.store.audit(&viewer.user.name, "download rejected rows", &detail).await.map_err(Error::audit)?;
    // The rows go out as they are read from the store, in parts of about
    // 64 KB: a batch of a million bad rows is never held whole. Should the
    // store fail part way, the body ends in an error, so that the download
    // fails rather than ending short as if complete.
    let (to, rows) = tokio::sync::mpsc::channel::<RowProblem>(1024);
    // How the sending ended, told before the rows' channel closes: the body
    // ends cleanly only when every row was sent (not when the sender stopped,
    // failed or vanished).
    let (ended_to, ended) = tokio::sync::oneshot::channel::<Result<(), String>>();
    let store = state.store.clone();
    tokio::spawn(async move {
        let _permit = permit;
        let sending = store.send_rejected_rows(id, &to, DOWNLOAD_STALL);
        let end = match tokio::time::timeout(DOWNLOAD_LIMIT, sending).await {
            Ok(Ok(true)) => Ok(()),
            Ok(Ok(false)) => Err("the download was not read for ten seconds and was stopped".to_string()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("the download took longer than two minutes and was stopped".to_string()),
        };
        let _ = ended_to.send(end);
    });
    let line = move |r: &RowProblem| {
        let field = sightline_core::agency_rules::csv_field;
        let (value, rule) = if values { (field(&r.value), field(&r.rule)) } else { (HIDDEN.into(), HIDDEN.into()) };
        format!("{},{},{},{value},{rule}\n", field(&r.file), r.line, field(&r.column))
    };
    let header = futures_util::stream::iter([Ok::<_, std::io::Error>(String::from("file,line,column,value,rule\n"))]);
    let parts = futures_util::stream::unfold((rows, Some(ended)), move |(mut rows, mut ended)| async move {
        let mut part = match rows.recv().await {
            Some(r) => line(&r),
            // No more rows: the end, if the sender says every row was sent.
            None => {
                let error = match ended.take()?.await {
                    Ok(Ok(())) => return None,
                    Ok(Err(e)) => e,
                    Err(_) => "the download stopped unexpectedly".to_string(),
                };
                return Some((Err(std::io::Error::other(error)), (rows, None)));
            }
        };
        while part.len() < 64 * 1024 {
            match rows.try_recv() {
                Ok(r) => part.push_str(&line(&r)),
                Err(_) => break,
            }
        }
        Some((Ok(part), (rows, ended)))
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"batch-{id}-rows-left-out.csv\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        axum::body::Body::from_stream(futures_util::StreamExt::chain(header, parts)),
    )
        .into_response())
}

/// Which entries of the audit log to show.
#[derive(serde::Deserialize)]
pub struct AuditQuery {
    user: Option<String>,
    action: Option<String>,
    /// Entries before this one (the next page).
    before: Option<i64>,
}

const AUDIT_PAGE: i64 = 100;

/// The audit log, for admins only; read-only, as everywhere in the product;
/// a page at a time, by user or action.
pub async fn audit(State(state): State<Shared>, viewer: Viewer, Query(query): Query<AuditQuery>) -> Response {
    respond(&viewer, "Audit log", audit_view(&state, &viewer, query).await)
}

async fn audit_view(state: &AppState, viewer: &Viewer, query: AuditQuery) -> Result<Markup, Error> {
    if viewer.user.role != Role::Admin {
        return Err(Error::forbidden("Only administrators read the audit log."));
    }
    let chosen = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let (user, action) = (chosen(&query.user), chosen(&query.action));
    let entries = state.store.audit_page(user.as_deref(), action.as_deref(), query.before, AUDIT_PAGE).await?;
    let next = (entries.len() as i64 == AUDIT_PAGE).then(|| entries.last().map(|e| e.id)).flatten();
    let link = |before: i64| {
        let mut q = vec![format!("before={before}")];
        if let Some(u) = &user {
            q.push(format!("user={}", crate::auth::encode(u)));
        }
        if let Some(a) = &action {
            q.push(format!("action={}", crate::auth::encode(a)));
        }
        format!("/audit?{}", q.join("&"))
    };
    Ok(html! {
        h1 { "Audit log" }
        form.filters method="get" action="/audit" {
            label for="user" { "User" }
            input #user type="text" name="user" value=(user.clone().unwrap_or_default());
            label for="action" { "What" }
            input #action type="text" name="action" value=(action.clone().unwrap_or_default());
            button type="submit" { "Show" }
        }
        table.words {
            caption { (entries.len()) " entries, newest first" @if query.before.is_some() { ", before entry " (query.before.unwrap_or_default()) } }
            thead { tr { th scope="col" { "Entry" } th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "Detail" } } }
            tbody { @for e in &entries { tr { td { (e.id) } td { (crate::layout::time_words(&e.at)) } td { (escape_control(&e.user)) } td { (escape_control(&e.action)) } td { (escape_control(&e.detail)) } } } }
        }
        @if let Some(before) = next {
            p { a href=(link(before)) { "Older entries" } }
        }
        p.note { "Each entry holds a SHA-256 over the one before: " code { "sightline audit verify" } " names the first entry changed or removed." }
    })
}
