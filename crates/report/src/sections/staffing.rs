//! The staffing position by team at the period's end.

use super::cells::hidden_row;
use super::Context;
use crate::document::{Block, Chart, ChartKind, Row, Section, Table, Value};
use sightline_core::staffing_by_team;
use sightline_core::words::long_date;

/// The staffing position by team at the period's end, as a chart and a table.
pub(super) fn staffing(cx: &Context) -> Section {
    let staffing = staffing_by_team(cx.wf, cx.end);
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for &t in &cx.teams {
        let s = &staffing[t];
        if !cx.visible[t] {
            rows.push(hidden_row(&s.team, 6));
            continue;
        }
        rows.push(Row {
            label: s.team.clone(),
            cells: vec![
                Value::Number(s.establishment_fte),
                Value::Number(s.permanent_fte),
                Value::Number(s.fixed_term_fte),
                if cx.agency_visible[t] { Value::Number(s.agency_fte) } else { Value::Suppressed },
                Value::Number(s.vacant_fte),
                Value::Number(s.agency_over_establishment_fte + s.employed_over_establishment_fte),
            ],
            total: false,
        });
        bars.push((s.team.clone(), vec![s.permanent_fte, s.fixed_term_fte, s.agency_fte, s.vacant_fte]));
    }
    let sum = |f: &dyn Fn(&sightline_core::TeamStaffing) -> f64| staffing.iter().map(f).sum::<f64>();
    rows.push(Row {
        label: "Authority".to_string(),
        cells: vec![
            Value::Number(sum(&|s| s.establishment_fte)),
            Value::Number(sum(&|s| s.permanent_fte)),
            Value::Number(sum(&|s| s.fixed_term_fte)),
            Value::Number(sum(&|s| s.agency_fte)),
            Value::Number(sum(&|s| s.vacant_fte)),
            Value::Number(sum(&|s| s.agency_over_establishment_fte + s.employed_over_establishment_fte)),
        ],
        total: true,
    });
    Section {
        heading: format!("Staffing position by team at {}", long_date(cx.end)),
        blocks: vec![
            Block::Chart(Chart {
                id: "staffing",
                title: format!("Staffing by team at {}", long_date(cx.end)),
                description: "Permanent, fixed-term, agency and vacant FTE in each team shown.".to_string(),
                kind: ChartKind::StackedBars {
                    parts: ["Permanent", "Fixed-term", "Agency", "Vacant"].map(String::from).to_vec(),
                    rows: bars,
                },
            }),
            Block::Table(Table {
                name: "Staffing by team",
                caption: "Staffing position by team (FTE)".to_string(),
                columns: ["Team", "Establishment", "Permanent", "Fixed-term", "Agency", "Vacant", "Over establishment"]
                    .map(String::from)
                    .to_vec(),
                rows,
                definition:
                    "Social workers in post at the date (a spell ending on the date is a leaver). A vacancy is \
                             funded FTE not filled by an employed social worker; agency FTE beyond the vacancies, and \
                             employed FTE beyond the establishment, are over establishment."
                        .to_string(),
                when: cx.at_end.clone(),
            }),
        ],
    }
}
