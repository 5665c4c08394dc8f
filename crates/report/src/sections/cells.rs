//! Cells for publication: counts under 5 hidden, with the secondary
//! suppression that keeps a hidden count from being worked out from a total.

use crate::document::{Row, Value};
use sightline_core::disclosure::suppress;

/// Counts to publish: with the total last, suppressed for publication
/// (primary and secondary, total included), or as they are.
pub(super) fn column_with_total(counts: &[u32], publish: bool) -> Vec<Value> {
    let total: u32 = counts.iter().sum();
    let mut all: Vec<u32> = counts.to_vec();
    all.push(total);
    if !publish {
        return all.into_iter().map(Value::Count).collect();
    }
    let rows: Vec<Vec<u32>> = all.iter().map(|n| vec![*n]).collect();
    suppress(&rows).cells.into_iter().map(|r| Value::count(r[0])).collect()
}

/// A grid of counts with row and column totals, suppressed as one table:
/// every row and column, totals included, is a line whose cells add up, so
/// no line is left with exactly one hidden cell.
pub(super) fn grid_with_totals(counts: &[Vec<u32>], publish: bool) -> Vec<Vec<Value>> {
    let width = counts.first().map_or(0, Vec::len);
    let mut full: Vec<Vec<u32>> = counts
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.push(r.iter().sum());
            r
        })
        .collect();
    let totals: Vec<u32> = (0..=width).map(|c| full.iter().map(|r| r[c]).sum()).collect();
    full.push(totals);
    if !publish {
        return full.into_iter().map(|r| r.into_iter().map(Value::Count).collect()).collect();
    }
    suppress(&full).cells.into_iter().map(|r| r.into_iter().map(Value::count).collect()).collect()
}

/// Which of `people` counts (one per group) may be shown: all of them
/// internally; for publication, groups of 5 or more, and not a lone small
/// group whose figures could be worked out from the authority's.
pub(super) fn visible_groups(people: &[u32], publish: bool) -> Vec<bool> {
    if !publish {
        return vec![true; people.len()];
    }
    let rows: Vec<Vec<u32>> = people.iter().map(|n| vec![*n]).collect();
    suppress(&rows).cells.iter().map(|r| r[0].is_some()).collect()
}

pub(super) fn hidden_row(label: &str, width: usize) -> Row {
    Row { label: label.to_string(), cells: vec![Value::Suppressed; width], total: false }
}
