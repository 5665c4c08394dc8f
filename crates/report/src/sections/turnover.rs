//! Turnover: rolling and for the period, by team, and against other authorities.

use super::cells::column_with_total;
use super::Context;
use crate::document::{Block, Chart, ChartKind, Row, Section, Table, Value};
use sightline_core::disclosure::is_disclosive;
use sightline_core::{indicators_by_team_groups, monthly_series, Grouping, Indicators, TeamGroups, Unassigned};

/// Rolling and period turnover by team, and against other authorities when compared.
pub(super) fn turnover(cx: &Context, summary: &mut Vec<String>) -> Section {
    let mut blocks = rolling(cx);
    blocks.push(by_team(cx));
    blocks.extend(compared(cx, summary));
    Section { heading: "Turnover".to_string(), blocks }
}

/// The rolling 12-month turnover: the authority's as a chart, and a table
/// of months (rows) by the authority and its service areas (columns). A
/// table of months by team said little once a publication hid every rate
/// of 1 to 4 leavers, and ran off a portrait page; service areas are larger,
/// so more of them can be shown, and the months run down the page. Each
/// month's leavers by service are suppressed as a column with the
/// authority's, so no rate of 1 to 4 leavers is given, nor one that the
/// others would give back.
fn rolling(cx: &Context) -> Vec<Block> {
    let first = sightline_core::calendar::month_end(cx.period.start);
    let months_all = monthly_series(cx.wf, cx.calendar, first, cx.end, Grouping::Authority);
    let groups = TeamGroups::by_service(cx.wf.teams(), cx.request.services, Unassigned::OwnGroup);
    let by_service: Vec<Vec<Indicators>> = if cx.request.services.is_empty() {
        Vec::new()
    } else {
        months_all
            .iter()
            .map(|(p, _)| {
                indicators_by_team_groups(cx.wf, cx.calendar, *p, &groups).into_iter().map(|g| g.indicators).collect()
            })
            .collect()
    };
    let x: Vec<String> = months_all.iter().map(|(p, _)| p.end.format("%b %Y").to_string()).collect();
    // Each month's leavers by service, with the authority's total last.
    let leaver_columns: Vec<Vec<Value>> = months_all
        .iter()
        .enumerate()
        .map(|(m, (_, all))| {
            let mut counts: Vec<u32> =
                by_service.get(m).map(|g| g.iter().map(|i| i.leavers_headcount).collect()).unwrap_or_default();
            if counts.is_empty() {
                counts.push(all.first().map_or(0, |g| g.indicators.leavers_headcount));
                let column = column_with_total(&counts, cx.publish);
                return vec![column.last().cloned().unwrap_or(Value::Missing)];
            }
            column_with_total(&counts, cx.publish)
        })
        .collect();
    let hidden_at =
        |m: usize, k: usize| leaver_columns.get(m).and_then(|c| c.get(k)).is_none_or(|v| *v == Value::Suppressed);
    let all_column = groups.names.len();
    let authority_hidden = |m: usize| {
        let k = if by_service.is_empty() { 0 } else { all_column };
        hidden_at(m, k)
    };
    let rolling: Vec<Option<f64>> =
        months_all
            .iter()
            .enumerate()
            .map(|(m, (_, g))| {
                if authority_hidden(m) {
                    None
                } else {
                    g.first().and_then(|g| g.indicators.rounded().turnover_rate_fte)
                }
            })
            .collect();
    let mut blocks = vec![Block::Chart(Chart {
        id: "rolling",
        unit: "%",
        title: "Rolling 12-month turnover (FTE)".to_string(),
        description: match (rolling.first().copied().flatten(), rolling.last().copied().flatten()) {
            (Some(a), Some(b)) => {
                format!("Turnover in the 12 months to each month's end went from {a:.1}% to {b:.1}%.")
            }
            _ => "Not enough data for a trend.".to_string(),
        },
        kind: ChartKind::Lines { x: x.clone(), series: vec![("Authority".to_string(), rolling.clone())] },
    })];
    let mut columns = vec!["12 months to the end of".to_string(), "Authority".to_string()];
    if !by_service.is_empty() {
        columns.extend(groups.names.iter().cloned());
    }
    let rows: Vec<Row> = months_all
        .iter()
        .enumerate()
        .map(|(m, _)| {
            let mut cells = vec![if authority_hidden(m) {
                Value::Suppressed
            } else {
                Value::percent(rolling.get(m).copied().flatten())
            }];
            if let Some(services) = by_service.get(m) {
                cells.extend(services.iter().enumerate().map(|(k, i)| {
                    if hidden_at(m, k) || (cx.publish && sightline_core::disclosure::is_disclosive(i.inpost_headcount))
                    {
                        Value::Suppressed
                    } else {
                        Value::percent(i.rounded().turnover_rate_fte)
                    }
                }));
            }
            Row { label: x.get(m).cloned().unwrap_or_default(), cells, total: false }
        })
        .collect();
    blocks.push(Block::Table(Table {
        name: "Rolling turnover",
        caption: if by_service.is_empty() {
            "Rolling 12-month turnover (FTE) by month".to_string()
        } else {
            "Rolling 12-month turnover (FTE) by month and service area".to_string()
        },
        columns,
        rows,
        definition: "For each month, FTE leavers in the 12 months to its end over FTE in post at its end. A move \
                     between teams is not a leaver. For publication, a rate from 1 to 4 leavers is c, and so is a \
                     second where the authority's would give it back."
            .to_string(),
        when: cx.over.clone(),
    }));
    blocks
}

/// Leavers and turnover for the period by team.
fn by_team(cx: &Context) -> Block {
    let leavers_by_team: Vec<u32> = cx.teams.iter().map(|&t| cx.by_team[t].indicators.leavers_headcount).collect();
    let leaver_cells = column_with_total(&leavers_by_team, cx.publish);
    let mut rows: Vec<Row> = cx
        .teams
        .iter()
        .zip(&leaver_cells)
        .map(|(&t, n)| {
            let g = cx.by_team[t].indicators.rounded();
            let shown = cx.visible[t] && *n != Value::Suppressed;
            Row {
                label: cx.team_name(t).to_string(),
                cells: if shown {
                    vec![
                        n.clone(),
                        Value::number(Some(g.leavers_fte)),
                        Value::number(Some(g.inpost_fte)),
                        Value::percent(g.turnover_rate_fte),
                    ]
                } else {
                    vec![n.clone(), Value::Suppressed, Value::Suppressed, Value::Suppressed]
                },
                total: false,
            }
        })
        .collect();
    // The authority's leavers FTE and turnover rest on its leavers too.
    let all_leavers = leaver_cells.last().cloned().unwrap_or(Value::Missing);
    let all_hidden = all_leavers == Value::Suppressed;
    rows.push(Row {
        label: "Authority".to_string(),
        cells: vec![
            all_leavers,
            if all_hidden { Value::Suppressed } else { Value::number(Some(cx.all.leavers_fte)) },
            if cx.publish && is_disclosive(cx.all.inpost_headcount) {
                Value::Suppressed
            } else {
                Value::number(Some(cx.all.inpost_fte))
            },
            if all_hidden { Value::Suppressed } else { Value::percent(cx.all.turnover_rate_fte) },
        ],
        total: true,
    });
    Block::Table(Table {
        name: "Turnover by team",
        caption: "Leavers and turnover by team".to_string(),
        columns: ["Team", "Leavers", "Leavers (FTE)", "In post (FTE)", "Turnover (FTE)"].map(String::from).to_vec(),
        rows,
        definition: "A leaver left the authority's employment in the period (not employed the next day), counted \
                     in the team they left; a move between teams is not a leaver. Turnover is FTE leavers over FTE in \
                     post at the period's end."
            .to_string(),
        when: cx.over.clone(),
    })
}

/// The authority's published turnover beside its neighbours', region's and England's.
fn compared(cx: &Context, summary: &mut Vec<String>) -> Option<Block> {
    let b = cx.request.benchmark?;
    let t = b.entries.iter().find(|e| e.field == "turnover_rate_fte")?;
    let mut rows = vec![
        Row { label: b.la_name.clone(), cells: vec![published_value(t.value)], total: false },
        Row {
            label: format!("Statistical neighbours (median of {})", t.sn_count),
            cells: vec![Value::percent(t.sn_median)],
            total: false,
        },
        Row { label: b.region_name.clone(), cells: vec![Value::percent(t.region)], total: false },
        Row { label: "England".to_string(), cells: vec![Value::percent(t.england)], total: false },
    ];
    for n in &b.neighbours {
        rows.push(Row {
            label: n.name.clone(),
            cells: vec![n.row.as_ref().map_or(Value::Missing, |r| published_value(r.cell("turnover_rate_fte")))],
            total: false,
        });
    }
    if let (Some(own), Some(sn)) = (t.value.number(), t.sn_median) {
        summary.push(format!(
            "In DfE's {} figures, turnover was {own:.1}% against {sn:.1}% for statistical neighbours and {} for England.",
            b.year,
            t.england.map_or("-".to_string(), |e| format!("{e:.1}%"))
        ));
    }
    Some(Block::Table(Table {
        name: "Turnover compared",
        caption: format!("Turnover (FTE) against other authorities, census year {}", b.year),
        columns: vec!["Authority or area".to_string(), "Turnover (FTE)".to_string()],
        rows,
        definition: format!(
            "DfE's published figures for the 12 months to 30 September {} (children's social work workforce \
             statistics). Statistical neighbours: {}.",
            b.year, b.model
        ),
        when: format!("Census year {}", b.year),
    }))
}

/// A published figure as a report cell.
pub(super) fn published_value(c: sightline_core::published::Cell) -> Value {
    match c {
        sightline_core::published::Cell::Number(v) => Value::Percent(v),
        sightline_core::published::Cell::Suppressed => Value::Suppressed,
        _ => Value::Missing,
    }
}
