//! The period's headline figures beside the year before's.

use super::Context;
use crate::document::{Block, Row, Section, Table, Value};
use sightline_core::published::field_label;
use sightline_core::words::long_date;
use sightline_core::Period;

/// The period's headline figures beside the year before's.
pub(super) fn headline(cx: &Context, summary: &mut Vec<String>) -> Section {
    let before = Period {
        start: sightline_core::calendar::a_year_before(cx.period.start),
        end: sightline_core::calendar::a_year_before(cx.end),
    };
    let all_before = sightline_core::indicators(cx.wf, cx.calendar, before).rounded();
    let headline = [
        "inpost_fte",
        "agency_fte",
        "vacancy_fte",
        "turnover_rate_fte",
        "agency_rate_fte",
        "vacancy_rate_fte",
        "caseload_fte",
        "absence_rate_fte",
    ];
    let rate = |f: &str| f.contains("rate");
    let cell = |f: &str, v: Option<f64>| if rate(f) { Value::percent(v) } else { Value::number(v) };
    let section = Section {
        heading: "Headline figures".to_string(),
        blocks: vec![Block::Table(Table {
            name: "Headline",
            caption: "Headline figures, as DfE defines them".to_string(),
            columns: vec![
                "Figure".into(),
                cx.over.clone(),
                format!("{} to {}", long_date(before.start), long_date(before.end)),
            ],
            rows: headline
                .iter()
                .map(|f| Row {
                    label: field_label(f).to_string(),
                    cells: vec![cell(f, cx.all.field(f)), cell(f, all_before.field(f))],
                    total: false,
                })
                .collect(),
            definition:
                "DfE's children's social work workforce definitions: FTE in post and agency FTE at the period's \
                         end; turnover is FTE leavers in the period over FTE in post at its end; the agency rate is \
                         agency FTE over agency and employed FTE; the vacancy rate is vacant FTE over establishment; \
                         caseload is cases over the FTE of case holders; the absence rate is working days lost to \
                         sickness over working days available."
                    .to_string(),
            when: cx.over.clone(),
        })],
    };
    for (f, what) in [
        ("turnover_rate_fte", "Turnover"),
        ("agency_rate_fte", "The agency rate"),
        ("vacancy_rate_fte", "The vacancy rate"),
    ] {
        if let (Some(now), Some(then)) = (cx.all.field(f), all_before.field(f)) {
            let way = if now > then {
                "up from"
            } else if now < then {
                "down from"
            } else {
                "unchanged at"
            };
            summary.push(format!("{what} was {now:.1}%, {way} {then:.1}% a year earlier."));
        }
    }

    section
}
