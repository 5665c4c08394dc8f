//! Agency use and cost by team, assignments by length, conversions.

use super::cells::{column_with_total, grid_with_totals, hidden_row};
use super::Context;
use crate::document::{Block, Row, Section, Table, Value};
use sightline_core::agency;
use sightline_core::words::{long_date, money};

/// Agency use and cost by team, assignments by length, and conversions to permanent.
pub(super) fn agency_use(cx: &Context, summary: &mut Vec<String>) -> Section {
    let blocks = vec![by_team(cx, summary), assignments(cx), conversions(cx)];
    Section { heading: "Agency use".to_string(), blocks }
}

/// Agency FTE, rate and cost by team.
fn by_team(cx: &Context, summary: &mut Vec<String>) -> Block {
    let costs = agency::cost_by_team(cx.wf, cx.calendar, cx.period);
    let mut rows = Vec::new();
    for &t in &cx.teams {
        let g = cx.by_team[t].indicators.rounded();
        if !cx.visible[t] || !cx.agency_visible[t] {
            rows.push(hidden_row(cx.team_name(t), 4));
            continue;
        }
        let c = &costs[t];
        rows.push(Row {
            label: cx.team_name(t).to_string(),
            cells: vec![
                Value::Number(g.agency_fte),
                Value::percent(g.agency_rate_fte),
                if c.costed_fte_days > 0.0 { Value::Money(c.cost) } else { Value::Missing },
                Value::percent(c.coverage().map(|v| v * 100.0)),
            ],
            total: false,
        });
    }
    let total_cost: f64 = costs.iter().map(|c| c.cost).sum();
    let fte_days: f64 = costs.iter().map(|c| c.fte_days).sum();
    let costed: f64 = costs.iter().map(|c| c.costed_fte_days).sum();
    // With 1 to 4 agency workers in the whole authority, its agency figures go too.
    let all_hidden = cx.publish && sightline_core::disclosure::is_disclosive(cx.all.agency_headcount);
    rows.push(if all_hidden {
        Row { total: true, ..hidden_row("Authority", 4) }
    } else {
        Row {
            label: "Authority".to_string(),
            cells: vec![
                Value::Number(cx.all.agency_fte),
                Value::percent(cx.all.agency_rate_fte),
                if costed > 0.0 { Value::Money(total_cost) } else { Value::Missing },
                Value::percent((fte_days > 0.0).then(|| costed / fte_days * 100.0)),
            ],
            total: true,
        }
    });
    if costed > 0.0 && !all_hidden {
        summary.push(format!(
            "Agency social workers cost {} over the period, for {:.0}% of agency time with a recorded charge.",
            money(total_cost),
            costed / fte_days * 100.0
        ));
    }
    Block::Table(Table {
        name: "Agency by team",
        caption: "Agency use and cost by team".to_string(),
        columns: ["Team", "Agency (FTE)", "Agency rate (FTE)", "Cost", "Cost known for"].map(String::from).to_vec(),
        rows,
        definition: format!(
            "Agency FTE at the period's end, and the agency rate: agency FTE over agency and employed FTE. Cost is \
             each agency spell's hourly charge times {} hours a full-time day for each working day worked in the \
             period; 'cost known for' is the share of agency FTE-days with a recorded charge. For publication, a \
             team with 1 to 4 agency workers is c.",
            agency::HOURS_PER_FTE_DAY
        ),
        when: format!("Rates at {}; cost {}", long_date(cx.end), cx.over),
    })
}

/// Agency assignments by team and length.
fn assignments(cx: &Context) -> Block {
    let assignments = agency::assignments_at(cx.wf, cx.end);
    let mut grid = vec![vec![0u32; agency::LENGTH_BANDS.len()]; cx.wf.teams().len()];
    for a in &assignments {
        grid[a.team.0 as usize][a.band()] += 1;
    }
    let grid: Vec<Vec<u32>> = cx.teams.iter().map(|&t| grid[t].clone()).collect();
    let cells = grid_with_totals(&grid, cx.publish);
    let mut rows: Vec<Row> = cx
        .teams
        .iter()
        .zip(&cells)
        .map(|(&t, c)| Row { label: cx.team_name(t).to_string(), cells: c.clone(), total: false })
        .collect();
    rows.push(Row { label: "Total".to_string(), cells: cells.last().cloned().unwrap_or_default(), total: true });
    let mut columns = vec!["Team".to_string()];
    columns.extend(agency::LENGTH_BANDS.iter().map(|b| b.to_string()));
    columns.push("Total".to_string());
    Block::Table(Table {
        name: "Agency assignments",
        caption: "Agency assignments by team and length".to_string(),
        columns,
        rows,
        definition: "An assignment is a run of one person's agency spells with no day between them; its length is \
                     the whole weeks from its first day to the date. Counted in the team of the spell in place."
            .to_string(),
        when: cx.at_end.clone(),
    })
}

/// Starters who had worked for the authority through an agency.
fn conversions(cx: &Context) -> Block {
    let conversions = agency::conversions(cx.wf, cx.period).len() as u32;
    let starters = cx.all.starters_headcount;
    let converted = column_with_total(&[conversions, starters - conversions.min(starters)], cx.publish);
    Block::Table(Table {
        name: "Conversions",
        caption: "Starters who had worked for the authority through an agency".to_string(),
        columns: vec!["Starters".to_string(), "Number".to_string()],
        rows: vec![
            Row { label: "Converted from agency".to_string(), cells: vec![converted[0].clone()], total: false },
            Row { label: "Other starters".to_string(), cells: vec![converted[1].clone()], total: false },
            Row { label: "All starters".to_string(), cells: vec![converted[2].clone()], total: true },
        ],
        definition:
            "A conversion is a starter (as DfE counts starters) who worked for the authority through an agency \
                     at some time in the 12 months before their first day."
                .to_string(),
        when: cx.over.clone(),
    })
}
