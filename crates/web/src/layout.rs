//! The page around every page: the head, the navigation for the viewer's
//! role, the main content; a failed request shown in it; and the few ways
//! pages write figures.

use crate::error::Error;
use crate::viewer::Viewer;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use sightline_core::words::long_date;
use sightline_store::Role;

/// A page in the navigation.
struct NavPage {
    path: &'static str,
    /// The link's text.
    label: &'static str,
    /// The page's title (and the heading of its errors).
    title: &'static str,
    shown_to: fn(Role) -> bool,
}

const EVERYONE: fn(Role) -> bool = |_| true;

const NAV: [NavPage; 17] = [
    NavPage { path: "/", label: "Overview", title: "Overview", shown_to: EVERYONE },
    NavPage { path: "/teams", label: "Teams", title: "Teams", shown_to: EVERYONE },
    NavPage { path: "/turnover", label: "Turnover", title: "Turnover and leavers", shown_to: EVERYONE },
    NavPage { path: "/absence", label: "Absence", title: "Absence", shown_to: EVERYONE },
    NavPage { path: "/capacity", label: "Capacity", title: "Capacity", shown_to: EVERYONE },
    NavPage { path: "/agency", label: "Agency", title: "Agency", shown_to: EVERYONE },
    NavPage {
        path: "/agency-rules",
        label: "Agency rules",
        title: "Agency rules",
        shown_to: |r| matches!(r, Role::Admin | Role::Hr),
    },
    NavPage { path: "/recruitment", label: "Recruitment", title: "Recruitment", shown_to: EVERYONE },
    NavPage { path: "/development", label: "Development", title: "Development", shown_to: EVERYONE },
    NavPage { path: "/leaving", label: "Why people leave", title: "Why people leave", shown_to: EVERYONE },
    NavPage { path: "/voice", label: "Staff voice", title: "Staff voice", shown_to: EVERYONE },
    NavPage { path: "/benchmark", label: "Compared", title: "Compared", shown_to: EVERYONE },
    NavPage { path: "/forecast", label: "Forecast", title: "Forecast", shown_to: EVERYONE },
    NavPage { path: "/report", label: "Report", title: "Report", shown_to: EVERYONE },
    NavPage {
        path: "/people",
        label: "People",
        title: "People",
        shown_to: |r| matches!(r, Role::Admin | Role::Hr | Role::Manager),
    },
    NavPage {
        path: "/data",
        label: "Data",
        title: "Data",
        shown_to: |r| matches!(r, Role::Admin | Role::Hr | Role::Analyst),
    },
    NavPage { path: "/audit", label: "Audit log", title: "Audit log", shown_to: |r| r == Role::Admin },
];

/// The title of the page at `path`, for an error found before its handler runs.
pub fn title_of(path: &str) -> &'static str {
    NAV.iter().find(|p| p.path == path).map_or("There is a problem", |p| p.title)
}

/// The whole page around `body`.
pub fn page(title: &str, viewer: Option<&Viewer>, body: Markup) -> Markup {
    let nav = |class: &str| {
        html! {
            @if let Some(v) = viewer {
                ul class=(class) {
                    @for p in NAV.iter().filter(|p| (p.shown_to)(v.user.role)) {
                        li { a href=(p.path) aria-current=[(title == p.title).then_some("page")] { (p.label) } }
                    }
                    li { a href="/glossary" aria-current=[(title == "Glossary").then_some("page")] { "Glossary" } }
                }
            }
        }
    };
    let whole = html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - Sightline" }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                a.skip href="#main" { "Skip to main content" }
                header.site-header {
                    div.inner {
                        a.brand href="/" { "Sightline" }
                        span.service { "Children's social care workforce" }
                        @if let Some(v) = viewer {
                            div.who {
                                span { (v.user.name) " (" (v.user.role.describe()) ")" }
                                @if let Some(csrf) = &v.csrf {
                                    form method="post" action="/logout" {
                                        input type="hidden" name="csrf" value=(csrf);
                                        button type="submit" { "Log out" }
                                    }
                                }
                            }
                        }
                    }
                }
                @if viewer.is_some() {
                    nav.site-nav aria-label="Main" {
                        (nav("menu-wide"))
                        details.menu-narrow {
                            summary { "Menu" }
                            (nav(""))
                        }
                    }
                }
                div.phase {
                    strong.tag { "Beta" }
                    "A new service: figures rest on the data the workforce team imports."
                }
                main #main { (body) }
                footer.site-footer {
                    div.inner {
                        @if let Some(d) = viewer.and_then(|v| v.data_until) {
                            p { "The data goes up to " (long_date(d)) "." }
                        }
                        p { "Figures are for social workers in CSWW roles, the census's population, unless a table says otherwise (as the Absence page's table of all staff by directorate does), and follow the Department for Education's definitions. " a href="/glossary" { "What each figure means" } }
                    }
                }
            }
        }
    };
    maud::PreEscaped(scrollable_regions(whole.into_string()))
}

/// The page with each table in a region of its own, named by its caption,
/// that scrolls sideways when the table is wider than the screen (the page
/// itself never does), and each chart's figure focusable, as it scrolls too.
/// Keyboard users reach a scrolling region with Tab.
fn scrollable_regions(html: String) -> String {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html.as_str();
    while let Some(at) = rest.find("<table") {
        let (before, table) = rest.split_at(at);
        out.push_str(before);
        let end = table.find("</table>").map_or(table.len(), |e| e + "</table>".len());
        let (table, after) = table.split_at(end);
        let caption = table
            .split_once("<caption>")
            .and_then(|(_, c)| c.split_once("</caption>"))
            .map(|(c, _)| strip_tags(c))
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| "Table".to_string());
        // The caption's text as maud wrote it: escaped, quotes included.
        out.push_str(&format!(r#"<div class="table-wrap" role="region" aria-label="{caption}" tabindex="0">"#));
        out.push_str(table);
        out.push_str("</div>");
        rest = after;
    }
    out.push_str(rest);
    out.replace(r#"<figure class="chart"#, r#"<figure tabindex="0" class="chart"#)
}

/// The text of some HTML, tags left out (entities kept as written).
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A page handler's answer: the page, or what went wrong shown in the same
/// layout with `title` as its heading.
pub fn respond(viewer: &Viewer, title: &str, body: Result<Markup, Error>) -> Response {
    respond_headed(viewer, title, title, body)
}

/// As [`respond`], with a heading for the error other than the page's title.
pub fn respond_headed(viewer: &Viewer, title: &str, heading: &str, body: Result<Markup, Error>) -> Response {
    match body {
        Ok(body) => page(title, Some(viewer), body).into_response(),
        Err(e) => {
            let body = html! { h1 { (heading) } div.error role="alert" { p { (e.message) } } };
            (e.status, page(title, Some(viewer), body)).into_response()
        }
    }
}

/// A count as a viewer may see it: members see counts under 5 as `c`.
pub fn count(viewer: &Viewer, n: u32) -> String {
    viewer.count(n).map_or("c".to_string(), |n| n.to_string())
}

/// For members, what `c` means, under every page that may show one.
pub fn c_note(viewer: &Viewer) -> Markup {
    html! {
        @if viewer.is_member() {
            p.note {
                "c: a number of people from 1 to 4, or a figure from which one could be worked out (its FTE, a rate, days lost), is not shown, as DfE does, so that no one can be identified. "
                a href="/glossary#suppressed" { "More about c" }
            }
        }
    }
}

/// A number of things in words as a viewer may see it: "1 person",
/// "12 people", or for a member "fewer than 5 people" in place of 1 to 4.
pub fn how_many(viewer: &Viewer, n: u32, one: &str, many: &str) -> String {
    match viewer.count(n) {
        None => format!("fewer than 5 {many}"),
        Some(1) => format!("1 {one}"),
        Some(n) => format!("{n} {many}"),
    }
}

/// The counts of one breakdown, whose total is shown too, as the viewer may
/// see them: for members, counts of 1 to 4 are `c`, and where one alone
/// would be `c` a second goes too, so that the total does not give it back.
pub fn counts_shown(viewer: &Viewer, counts: &[u32]) -> Vec<String> {
    if !viewer.is_member() {
        return counts.iter().map(|n| n.to_string()).collect();
    }
    let mut column: Vec<Vec<u32>> = counts.iter().map(|n| vec![*n]).collect();
    column.push(vec![counts.iter().sum()]);
    let shown = sightline_core::disclosure::suppress(&column);
    shown
        .cells
        .iter()
        .take(counts.len())
        .map(|c| c.first().copied().flatten().map_or("c".to_string(), |n| n.to_string()))
        .collect()
}

/// A moment stored as RFC 3339 (the audit log's), in words to the second:
/// "2 December 2026, 14:03:05 UTC". Anything else is shown as stored.
pub fn time_words(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&chrono::Utc).format("%-d %B %Y, %H:%M:%S UTC").to_string())
        .unwrap_or_else(|_| at.to_string())
}

/// FTE, days or cases to one decimal place, thousands separated: 1,480.0.
pub fn one(v: f64) -> String {
    let text = format!("{v:.1}");
    let (whole_part, fraction) = text.split_once('.').unwrap_or((&text, "0"));
    let (sign, digits) = whole_part.strip_prefix('-').map_or(("", whole_part), |d| ("-", d));
    match digits.parse::<u64>() {
        Ok(n) if n >= 1000 => format!("{sign}{}.{fraction}", sightline_core::words::thousands(n)),
        _ => text,
    }
}

/// A whole number, thousands separated: 14,857.
pub fn whole(n: u64) -> String {
    sightline_core::words::thousands(n)
}

/// A rate as a percentage to one decimal place, or "-" when it is not defined.
pub fn rate(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |v| format!("{v:.1}%"))
}

/// A warning above figures that rest on incomplete data: what is missing
/// for those who may see the Data page, and for others (members among
/// them, whom a count could identify) only that something is.
pub fn gaps_banner(viewer: &Viewer, gaps: &[sightline_core::completeness::Finding], date: chrono::NaiveDate) -> Markup {
    let sees_data = matches!(viewer.user.role, Role::Admin | Role::Hr | Role::Analyst);
    html! {
        @if !gaps.is_empty() {
            div.warning role="status" {
                p { strong { "These figures may rest on incomplete data." } }
                @if sees_data {
                    ul { @for g in gaps { li { (g.words()) } } }
                    p { "At " (long_date(date)) ". " a href="/data" { "The Data page" } " lists what has been imported." }
                } @else {
                    p { "Some of the data they rest on at " (long_date(date)) " looks incomplete; the workforce team can say what is missing." }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sightline_core::completeness::Finding;
    use sightline_store::User;

    fn viewer(role: Role) -> Viewer {
        let user = User { id: 1, name: "x".into(), role, teams: Vec::new(), created_at: String::new() };
        Viewer { user, csrf: None, data_until: None }
    }

    #[test]
    fn figures_are_written_with_thousands_separated() {
        assert_eq!(one(1480.0), "1,480.0");
        assert_eq!(one(-2390.44), "-2,390.4");
        assert_eq!(one(999.96), "1,000.0");
        assert_eq!(one(14.25), "14.2");
        assert_eq!(whole(14857), "14,857");
    }

    #[test]
    fn incomplete_data_is_named_to_those_who_see_the_data_page_and_only_hinted_to_members() {
        let date = "2025-03-31".parse().unwrap();
        let gaps = [
            Finding::TeamWithoutEstablishment { team: "MASH".into(), in_post_fte: 3.0 },
            Finding::OverFullTime { people: vec![(sightline_core::PersonIdx(0), 1.2)] },
        ];
        let hr = gaps_banner(&viewer(Role::Hr), &gaps, date).into_string();
        assert!(hr.contains("MASH has 3.0 FTE in post") && hr.contains("1 person holds"), "{hr}");
        let member = gaps_banner(&viewer(Role::Member), &gaps, date).into_string();
        assert!(
            member.contains("incomplete data") && !member.contains("MASH") && !member.contains("person"),
            "{member}"
        );
        assert!(gaps_banner(&viewer(Role::Member), &[], date).into_string().is_empty());
    }
}
