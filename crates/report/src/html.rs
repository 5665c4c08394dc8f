//! The report as one self-contained HTML file: styles and SVG charts
//! inside, nothing fetched; print it for a PDF.
//!
//! Written as text, every value through [`escape`], so the report needs no
//! template engine.

use crate::chart::{line_chart, stacked_bars};
use crate::markup::escape;
use crate::{Block, ChartKind, Report, Table};
use sightline_core::words::long_date;
use std::fmt::Write;

fn table(out: &mut String, t: &Table) {
    let id = format!("t-{}", t.name.to_lowercase().replace(' ', "-"));
    let _ = write!(
        out,
        r#"<table id="{}"><caption>{} ({})</caption><thead><tr>"#,
        escape(&id),
        escape(&t.caption),
        escape(&t.when)
    );
    for (i, c) in t.columns.iter().enumerate() {
        let class = if i == 0 { r#" class="label""# } else { "" };
        let _ = write!(out, r#"<th scope="col"{class}>{}</th>"#, escape(c));
    }
    out.push_str("</tr></thead><tbody>");
    for r in &t.rows {
        let class = if r.total { r#" class="total""# } else { "" };
        let _ = write!(out, r#"<tr{class}><th scope="row">{}</th>"#, escape(&r.label));
        for c in &r.cells {
            let _ = write!(out, "<td>{}</td>", escape(&c.display()));
        }
        out.push_str("</tr>");
    }
    let _ = write!(out, r#"</tbody></table><p class="note">{}</p>"#, escape(&t.definition));
}

/// The report as a self-contained HTML document.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let title = escape(&report.title);
    let _ = write!(
        out,
        r#"<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title><style>{REPORT_STYLE}</style></head><body><main><h1>{title}</h1>"#
    );
    let _ = write!(
        out,
        "<p>Children's social work workforce, {}. Made by Sightline on {}",
        escape(&report.period_text()),
        escape(&long_date(report.made))
    );
    if let Some(d) = report.data_to {
        let _ = write!(out, " from the data as imported, which runs to {}", escape(&long_date(d)));
    }
    out.push_str(".</p>");
    let statement = escape(report.disclosure_statement());
    if report.publish {
        let _ = write!(out, r#"<p class="notice">{statement}</p>"#);
    } else {
        let _ = write!(out, r#"<p class="notice"><strong>{statement}</strong></p>"#);
    }
    if !report.summary.is_empty() {
        out.push_str("<h2>Summary</h2><ul>");
        for s in &report.summary {
            let _ = write!(out, "<li>{}</li>", escape(s));
        }
        out.push_str("</ul>");
    }
    for section in &report.sections {
        let _ = write!(out, "<section><h2>{}</h2>", escape(&section.heading));
        for block in &section.blocks {
            match block {
                Block::Table(t) => table(&mut out, t),
                Block::Chart(c) => out.push_str(&match &c.kind {
                    ChartKind::Lines { x, series } => {
                        let series: Vec<(&str, Vec<Option<f64>>)> =
                            series.iter().map(|(n, v)| (n.as_str(), v.clone())).collect();
                        line_chart(c.id, &c.title, &c.description, x, &series, c.unit)
                    }
                    ChartKind::StackedBars { parts, rows } => {
                        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
                        stacked_bars(c.id, &c.title, &c.description, &parts, rows, c.unit)
                    }
                }),
            }
        }
        out.push_str("</section>");
    }
    out.push_str("</main></body></html>");
    out
}

/// The report's own style sheet, inside its HTML (a page that stands alone).
pub const REPORT_STYLE: &str =
    "body{font:11pt/1.5 Arial,sans-serif;color:#1b1b1b;max-width:56rem;margin:2rem auto;padding:0 1rem}\
table{border-collapse:collapse;width:100%;margin:1rem 0 .25rem;font-variant-numeric:tabular-nums}\
caption{text-align:left;font-weight:700;padding-bottom:.25rem}\
th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .5rem;text-align:right}th:first-child,th.label{text-align:left}\
tr.total th,tr.total td{font-weight:700;border-top:2px solid #1b1b1b}.note{color:#4a4a4a;font-size:10pt;margin-top:0}\
.notice{border-left:6px solid #1d4f91;padding:.25rem 1rem}.chart{margin:1rem 0}.chart>svg{width:100%;height:auto}\
.legend{display:flex;gap:1rem;list-style:none;padding:0}section{overflow-x:auto}\
@media print{body{margin:0;max-width:none;font-size:10pt}table,figure{page-break-inside:avoid}h2{page-break-after:avoid}}";
