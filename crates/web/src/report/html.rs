//! The workforce stability report for committees, as one self-contained
//! HTML file (styles and SVG charts inside; print it for a PDF). Every figure
//! comes from the core; tables for publication go through its disclosure
//! control, and the report says whether it was applied.

use crate::chart::{line_chart, stacked_bars};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use sightline_core::disclosure::suppress;
use sightline_core::published::field_label;
use sightline_core::{
    agency, indicators, indicators_by, leavers, staffing_by_team, Calendar, Grouping, Period, Workforce,
};

/// What goes into a report.
pub struct ReportRequest<'a> {
    pub title: &'a str,
    pub period: Period,
    /// Apply disclosure control (for a report that will be published).
    pub publish: bool,
    /// The authority's comparison with its neighbours, when known.
    pub benchmark: Option<&'a sightline_core::benchmark::Benchmark>,
    pub targets: &'a [sightline_store::Target],
}

fn shown(n: Option<u32>) -> String {
    n.map_or("c".to_string(), |n| n.to_string())
}

fn one(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |v| format!("{v:.1}"))
}

/// Counts in one column with a total: suppressed for publication, or as they are.
fn column(counts: &[u32], publish: bool) -> Vec<Option<u32>> {
    if !publish {
        return counts.iter().map(|n| Some(*n)).collect();
    }
    let rows: Vec<Vec<u32>> = counts.iter().map(|n| vec![*n]).collect();
    suppress(&rows).cells.into_iter().map(|r| r[0]).collect()
}

fn counts_table(caption: &str, heading: &str, rows: &[(&str, u32)], publish: bool, note: &str) -> Markup {
    let counts: Vec<u32> = rows.iter().map(|(_, n)| *n).collect();
    let cells = column(&counts, publish);
    let total: u32 = counts.iter().sum();
    html! {
        table {
            caption { (caption) }
            thead { tr { th scope="col" { (heading) } th scope="col" { "Number" } } }
            tbody {
                @for ((label, _), cell) in rows.iter().zip(&cells) { tr { th scope="row" { (label) } td { (shown(*cell)) } } }
                tr.total { th scope="row" { "Total" } td { (shown((!publish || total >= 5).then_some(total))) } }
            }
        }
        p.note { (note) }
    }
}

/// The report as a self-contained HTML document.
pub fn html(wf: &Workforce, calendar: &Calendar, request: &ReportRequest<'_>) -> String {
    let period = request.period;
    let end = period.end;
    let publish = request.publish;
    let all = indicators(wf, calendar, period).rounded();
    let by_team = indicators_by(wf, calendar, period, Grouping::Team);
    let staffing = staffing_by_team(wf, end);
    // Teams of fewer than 5 people are hidden when publishing, and one more
    // if only one would be, so that none can be worked out from the total.
    let people: Vec<u32> =
        by_team.iter().map(|g| g.indicators.inpost_headcount + g.indicators.agency_headcount).collect();
    let visible = column(&people, publish);
    let leavers_list = leavers::leavers_in(wf, period);
    let reasons = leavers::count_by_reason(&leavers_list);
    let destinations = leavers::count_by_destination(&leavers_list);
    let assignments = agency::assignments_at(wf, end);
    let bands = agency::count_by_band(&assignments);
    let months = sightline_core::absence::sickness_by_month(
        wf,
        calendar,
        period.start,
        end,
        sightline_core::absence::LONG_TERM_WORKING_DAYS,
    );
    let asyes = sightline_core::asyes_at(wf, end);
    let dates = format!("{} to {}", period.start, end);
    let bars: Vec<(String, Vec<f64>)> = staffing
        .iter()
        .zip(&visible)
        .filter(|(s, v)| v.is_some() && (s.establishment_fte > 0.0 || s.employed_fte() + s.agency_fte > 0.0))
        .map(|(s, _)| (s.team.clone(), vec![s.permanent_fte, s.fixed_term_fte, s.agency_fte, s.vacant_fte]))
        .collect();
    let body = html! {
        h1 { (request.title) }
        p { "Children's social work workforce, " (dates) ". Made by Sightline on " (chrono::Utc::now().format("%d %B %Y")) " from the data as imported." }
        @if publish {
            p.notice { "Disclosure control applied: counts under 5, and any count that could be worked out from a total, are shown as c." }
        } @else {
            p.notice { strong { "Internal report: small numbers are not suppressed. Do not publish it." } }
        }
        h2 { "Summary" }
        table {
            caption { "Headline figures for " (dates) ", as DfE defines them" }
            tbody {
                @for f in ["inpost_fte", "turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte", "caseload_fte", "absence_rate_fte"] {
                    tr { th scope="row" { (field_label(f)) } td { (one(all.field(f))) } }
                }
            }
        }
        h2 { "Staffing position by team at " (end) }
        (stacked_bars("staffing", &format!("Staffing by team at {end}"), "Permanent, fixed-term, agency and vacant FTE in each team.", &["Permanent", "Fixed-term", "Agency", "Vacant"], &bars))
        table {
            caption { "FTE by team at " (end) }
            thead { tr { th scope="col" { "Team" } th scope="col" { "Establishment" } th scope="col" { "Permanent" } th scope="col" { "Fixed-term" } th scope="col" { "Agency" } th scope="col" { "Vacant" } th scope="col" { "Turnover (FTE) %" } th scope="col" { "Cases per FTE" } } }
            tbody {
                @for ((s, g), v) in staffing.iter().zip(&by_team).zip(&visible) {
                    tr {
                        th scope="row" { (s.team) }
                        @if v.is_some() {
                            td { (format!("{:.1}", s.establishment_fte)) } td { (format!("{:.1}", s.permanent_fte)) } td { (format!("{:.1}", s.fixed_term_fte)) }
                            td { (format!("{:.1}", s.agency_fte)) } td { (format!("{:.1}", s.vacant_fte)) }
                            td { (one(g.indicators.rounded().turnover_rate_fte)) } td { (one(g.indicators.rounded().caseload_fte)) }
                        } @else {
                            td colspan="7" { "c" }
                        }
                    }
                }
            }
        }
        p.note { "A vacancy is funded FTE not filled by an employed social worker; turnover is FTE leavers over FTE in post at the end of the period." }
        @if let Some(b) = request.benchmark {
            h2 { "Turnover against other authorities" }
            @let t = b.entries.iter().find(|e| e.field == "turnover_rate_fte");
            @if let Some(t) = t {
                table {
                    caption { "Turnover (FTE) %, census year " (b.year) ", DfE's published figures" }
                    tbody {
                        tr { th scope="row" { (b.la_name) } td { (t.value.to_string()) } }
                        tr { th scope="row" { "Statistical neighbours (median)" } td { (one(t.sn_median)) } }
                        tr { th scope="row" { (b.region_name) } td { (one(t.region)) } }
                        tr { th scope="row" { "England" } td { (one(t.england)) } }
                        @for n in &b.neighbours { tr { th scope="row" { (n.name) } td { (n.row.as_ref().map_or("-".to_string(), |r| r.cell("turnover_rate_fte").to_string())) } } }
                    }
                }
            }
        }
        h2 { "Leavers" }
        (counts_table("Leavers by reason", "Reason", &reasons, publish, "A leaver left the authority's employment and was not employed the next day (DfE)."))
        (counts_table("Leavers by destination", "Went to", &destinations, publish, "As recorded at leaving."))
        h2 { "Agency use at " (end) }
        @let band_rows: Vec<(&str, u32)> = agency::LENGTH_BANDS.iter().copied().zip(bands).collect();
        (counts_table("Agency assignments by length", "Length", &band_rows, publish, "An assignment is a run of one person's agency spells with no day between them."))
        h2 { "Sickness absence" }
        @let x: Vec<String> = months.iter().map(|m| m.month.format("%b %Y").to_string()).collect();
        (line_chart("sickness", "Working days lost to sickness by month", "Short-term and long-term (over 20 working days) episodes.", &x, &[
            ("Short-term", months.iter().map(|m| Some(m.short_term)).collect()),
            ("Long-term", months.iter().map(|m| Some(m.long_term)).collect()),
        ]))
        table {
            caption { "Working days lost to sickness by month" }
            thead { tr { th scope="col" { "Month" } th scope="col" { "Short-term" } th scope="col" { "Long-term" } } }
            tbody { @for m in &months { tr { th scope="row" { (m.month.format("%B %Y")) } td { (format!("{:.1}", m.short_term)) } td { (format!("{:.1}", m.long_term)) } } } }
        }
        h2 { "Newly qualified social workers" }
        p { "ASYEs (qualified in the 12 months to " (end) ", employed): " (shown(column(&[asyes.len() as u32], publish)[0])) "." }
        @if !request.targets.is_empty() {
            h2 { "Targets" }
            table {
                caption { "The authority's targets against the period's figures" }
                thead { tr { th scope="col" { "Target" } th scope="col" { "By" } th scope="col" { "Now" } th scope="col" { "Status" } } }
                tbody {
                    @for t in request.targets {
                        @let now = all.field(&t.figure);
                        tr {
                            th scope="row" { (field_label(&t.figure)) (if t.at_most { " at most " } else { " at least " }) (t.value) }
                            td { (t.by) }
                            td { (one(now)) }
                            td { (match now { None => "not defined", Some(v) if t.is_met_by(v) => "met", Some(_) if end > t.by => "missed", Some(_) => "not yet met" }) }
                        }
                    }
                }
            }
        }
    };
    let page = html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                title { (request.title) }
                style { (PreEscaped(REPORT_STYLE)) }
            }
            body { main { (body) } }
        }
    };
    page.into_string()
}

const REPORT_STYLE: &str =
    "body{font:11pt/1.5 Arial,sans-serif;color:#1b1b1b;max-width:50rem;margin:2rem auto;padding:0 1rem}\
table{border-collapse:collapse;width:100%;margin:1rem 0}caption{text-align:left;font-weight:700}\
th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .5rem;text-align:right}th:first-child{text-align:left}\
tr.total th,tr.total td{font-weight:700;border-top:2px solid #1b1b1b}.note{color:#4a4a4a;font-size:10pt}\
.notice{border-left:6px solid #1d4f91;padding:.25rem 1rem}.chart svg{width:100%;height:auto}\
.legend{display:flex;gap:1rem;list-style:none;padding:0}\
@media print{body{margin:0;max-width:none}table,figure{page-break-inside:avoid}h2{page-break-after:avoid}}";
