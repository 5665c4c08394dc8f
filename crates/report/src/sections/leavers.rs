//! Leavers by reason and by destination.

use super::cells::column_with_total;
use super::Context;
use crate::document::{Block, Row, Section, Table, Value};
use sightline_core::leavers;

/// Leavers by reason and by destination.
pub(super) fn leavers(cx: &Context) -> Section {
    let leavers_list = leavers::leavers_in(cx.wf, cx.period);
    let mut blocks = Vec::new();
    for (name, caption, heading, counts, definition) in [
        ("Leavers by reason", "Leavers by reason", "Reason", leavers::count_by_reason(&leavers_list), "Leavers from the authority's employment (not employed the next day), by the reason recorded at leaving, in the census return's categories."),
        ("Leavers by destination", "Leavers by destination", "Went to", leavers::count_by_destination(&leavers_list), "Leavers from the authority's employment, by where they went as recorded at leaving, in the census return's categories."),
    ] {
        let values: Vec<u32> = counts.iter().map(|(_, n)| *n).collect();
        let cells = column_with_total(&values, cx.publish);
        let mut rows: Vec<Row> = counts
            .iter()
            .zip(&cells)
            .map(|((label, _), c)| Row { label: label.to_string(), cells: vec![c.clone()], total: false })
            .collect();
        rows.push(Row { label: "Total".to_string(), cells: vec![cells.last().cloned().unwrap_or(Value::Missing)], total: true });
        blocks.push(Block::Table(Table {
            name,
            caption: caption.to_string(),
            columns: vec![heading.to_string(), "Leavers".to_string()],
            rows,
            definition: definition.to_string(),
            when: cx.over.clone(),
        }));
    }
    Section { heading: "Leavers".to_string(), blocks }
}
