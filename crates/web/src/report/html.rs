//! The report as one self-contained HTML file: styles and SVG charts
//! inside, nothing fetched; print it for a PDF.

use super::{Block, ChartKind, Report, Table};
use crate::chart::{line_chart, stacked_bars};
use maud::{html, Markup, PreEscaped, DOCTYPE};

fn table(t: &Table) -> Markup {
    html! {
        table id=(format!("t-{}", t.name.to_lowercase().replace(' ', "-"))) {
            caption { (t.caption) " (" (t.when) ")" }
            thead { tr { @for (i, c) in t.columns.iter().enumerate() { th scope="col" class=[(i == 0).then_some("label")] { (c) } } } }
            tbody {
                @for r in &t.rows {
                    tr class=[r.total.then_some("total")] {
                        th scope="row" { (r.label) }
                        @for c in &r.cells { td { (c.display()) } }
                    }
                }
            }
        }
        p.note { (t.definition) }
    }
}

/// The report as a self-contained HTML document.
pub fn render(report: &Report) -> String {
    let body = html! {
        h1 { (report.title) }
        p {
            "Children's social work workforce, " (report.period_text()) ". Made by Sightline on "
            (super::long_date(report.made))
            @if let Some(d) = report.data_to { " from the data as imported, which runs to " (super::long_date(d)) }
            "."
        }
        p.notice {
            @if report.publish { (report.disclosure_statement()) } @else { strong { (report.disclosure_statement()) } }
        }
        @if !report.summary.is_empty() {
            h2 { "Summary" }
            ul { @for s in &report.summary { li { (s) } } }
        }
        @for section in &report.sections {
            section {
                h2 { (section.heading) }
                @for block in &section.blocks {
                    @match block {
                        Block::Table(t) => (table(t)),
                        Block::Chart(c) => @match &c.kind {
                            ChartKind::Lines { x, series } => {
                                @let series: Vec<(&str, Vec<Option<f64>>)> = series.iter().map(|(n, v)| (n.as_str(), v.clone())).collect();
                                (line_chart(c.id, &c.title, &c.description, x, &series))
                            }
                            ChartKind::StackedBars { parts, rows } => {
                                @let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
                                (stacked_bars(c.id, &c.title, &c.description, &parts, rows))
                            }
                        },
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
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (report.title) }
                style { (PreEscaped(REPORT_STYLE)) }
            }
            body { main { (body) } }
        }
    };
    page.into_string()
}

const REPORT_STYLE: &str =
    "body{font:11pt/1.5 Arial,sans-serif;color:#1b1b1b;max-width:56rem;margin:2rem auto;padding:0 1rem}\
table{border-collapse:collapse;width:100%;margin:1rem 0 .25rem;font-variant-numeric:tabular-nums}\
caption{text-align:left;font-weight:700;padding-bottom:.25rem}\
th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .5rem;text-align:right}th:first-child,th.label{text-align:left}\
tr.total th,tr.total td{font-weight:700;border-top:2px solid #1b1b1b}.note{color:#4a4a4a;font-size:10pt;margin-top:0}\
.notice{border-left:6px solid #1d4f91;padding:.25rem 1rem}.chart{margin:1rem 0}.chart>svg{width:100%;height:auto}\
.legend{display:flex;gap:1rem;list-style:none;padding:0}section{overflow-x:auto}\
@media print{body{margin:0;max-width:none;font-size:10pt}table,figure{page-break-inside:avoid}h2{page-break-after:avoid}}";
