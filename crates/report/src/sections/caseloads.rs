//! Caseload ranges and averages by team.

use super::cells::{hidden_row, visible_groups};
use super::Context;
use crate::document::{Block, Row, Section, Table, Value};
use sightline_core::caseload_ranges_by_team;

/// Caseload ranges and averages by team.
pub(super) fn caseloads(cx: &Context, summary: &mut Vec<String>) -> Section {
    let ranges = caseload_ranges_by_team(cx.wf, cx.end);
    let holders: Vec<u32> = ranges.iter().map(|r| r.holders).collect();
    let shown_holders = visible_groups(&holders, cx.publish);
    let mut rows = Vec::new();
    for &t in &cx.teams {
        let r = &ranges[t];
        if r.holders == 0 {
            continue;
        }
        if !shown_holders[t] {
            rows.push(hidden_row(cx.team_name(t), 4));
            continue;
        }
        rows.push(Row {
            label: cx.team_name(t).to_string(),
            cells: vec![
                Value::Count(r.holders),
                r.fewest.map_or(Value::Missing, Value::Count),
                r.most.map_or(Value::Missing, Value::Count),
                Value::number(cx.by_team[t].indicators.rounded().caseload_fte),
            ],
            total: false,
        });
    }
    let fewest = ranges.iter().filter_map(|r| r.fewest).min();
    let most = ranges.iter().filter_map(|r| r.most).max();
    rows.push(Row {
        label: "Authority".to_string(),
        cells: vec![
            Value::Count(holders.iter().sum()),
            fewest.map_or(Value::Missing, Value::Count),
            most.map_or(Value::Missing, Value::Count),
            Value::number(cx.all.caseload_fte),
        ],
        total: true,
    });
    if let (Some(f), Some(m), Some(avg)) = (fewest, most, cx.all.caseload_fte) {
        summary
            .push(format!("Caseloads ranged from {f} to {m} cases a worker; the average was {avg:.1} cases per FTE."));
    }
    Section {
        heading: "Caseloads".to_string(),
        blocks: vec![Block::Table(Table {
            name: "Caseloads by team",
            caption: "Caseloads by team".to_string(),
            columns: ["Team", "Case holders", "Fewest cases", "Most cases", "Average (cases per FTE)"].map(String::from).to_vec(),
            rows,
            definition: "Social workers in post (employed or agency) holding one or more cases at the date, in the team \
                         of their largest post. The average is DfE's caseload: cases held over the FTE of those holding them."
                .to_string(),
            when: cx.at_end.clone(),
        })],
    }
}
