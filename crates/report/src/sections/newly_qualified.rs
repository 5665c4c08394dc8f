//! Social workers in their ASYE, by team.

use super::cells::column_with_total;
use super::Context;
use crate::document::{Block, Row, Section, Table, Value};

/// Social workers in their ASYE by team.
pub(super) fn newly_qualified(cx: &Context) -> Section {
    let asyes = sightline_core::asyes_at(cx.wf, cx.end);
    let mut counts = vec![0u32; cx.wf.teams().len()];
    for a in &asyes {
        counts[a.team.0 as usize] += 1;
    }
    let asye_teams: Vec<usize> = cx.teams.iter().copied().filter(|&t| counts[t] > 0).collect();
    let values: Vec<u32> = asye_teams.iter().map(|&t| counts[t]).collect();
    let cells = column_with_total(&values, cx.publish);
    let mut rows: Vec<Row> = asye_teams
        .iter()
        .zip(&cells)
        .map(|(&t, c)| Row { label: cx.team_name(t).to_string(), cells: vec![c.clone()], total: false })
        .collect();
    rows.push(Row {
        label: "Authority".to_string(),
        cells: vec![cells.last().cloned().unwrap_or(Value::Count(0))],
        total: true,
    });
    Section {
        heading: "Newly qualified social workers".to_string(),
        blocks: vec![Block::Table(Table {
            name: "ASYEs",
            caption: "Social workers in their assessed and supported year in employment (ASYE)".to_string(),
            columns: vec!["Team".to_string(), "ASYEs".to_string()],
            rows,
            definition: "Employed social workers in post at the date who qualified in the 12 months before it, in the \
                         team of their largest post."
                .to_string(),
            when: cx.at_end.clone(),
        })],
    }
}
