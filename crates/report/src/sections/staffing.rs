//! The staffing position by team at the period's end.

use super::cells::hidden_row;
use super::Context;
use crate::document::{Block, Chart, ChartKind, Row, Section, Table, Value};
use sightline_core::staffing_by_team;
use sightline_core::words::long_date;

/// The staffing position by team at the period's end, as a chart and a table.
pub(super) fn staffing(cx: &Context) -> Section {
    let staffing = staffing_by_team(cx.wf, cx.end);
    // For publication, the FTE of permanent, fixed-term or agency staff rests
    // on how many they are: hidden where they are 1 to 4 (with a second cell
    // where one alone could be worked out), with the cells that would give it
    // back (vacant, over establishment), and such a team is not drawn.
    // (Teams hidden whole already hide their cells: the grid is of the others.)
    let shown: Vec<usize> = cx.teams.iter().copied().filter(|&t| cx.visible[t]).collect();
    let counts: Vec<Vec<u32>> = shown.iter().map(|&t| staffing[t].headcount.to_vec()).collect();
    let hidden = if cx.publish {
        sightline_core::disclosure::hidden_in_columns(&counts)
    } else {
        vec![vec![false; 3]; counts.len()]
    };
    let fte = |hide: bool, v: f64| if hide { Value::Suppressed } else { Value::Number(v) };
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for &t in &cx.teams {
        let s = &staffing[t];
        let Some(r) = shown.iter().position(|x| *x == t) else {
            rows.push(hidden_row(&s.team, 6));
            continue;
        };
        let h = &hidden[r];
        let agency_hidden = h[2] || !cx.agency_visible[t];
        let any = h[0] || h[1] || agency_hidden;
        rows.push(Row {
            label: s.team.clone(),
            cells: vec![
                Value::Number(s.establishment_fte),
                fte(h[0], s.permanent_fte),
                fte(h[1], s.fixed_term_fte),
                fte(agency_hidden, s.agency_fte),
                fte(h[0] || h[1], s.vacant_fte),
                fte(any, s.agency_over_establishment_fte + s.employed_over_establishment_fte),
            ],
            total: false,
        });
        if !any {
            bars.push((s.team.clone(), s.bar().to_vec()));
        }
    }
    let sum = |f: &dyn Fn(&sightline_core::TeamStaffing) -> f64| staffing.iter().map(f).sum::<f64>();
    // The authority's own counts of each kind.
    let at = |k: usize| {
        cx.publish && sightline_core::disclosure::is_disclosive(staffing.iter().map(|s| s.headcount[k]).sum())
    };
    rows.push(Row {
        label: "Authority".to_string(),
        cells: vec![
            Value::Number(sum(&|s| s.establishment_fte)),
            fte(at(0), sum(&|s| s.permanent_fte)),
            fte(at(1), sum(&|s| s.fixed_term_fte)),
            fte(at(2), sum(&|s| s.agency_fte)),
            fte(at(0) || at(1), sum(&|s| s.vacant_fte)),
            fte(at(0) || at(1) || at(2), sum(&|s| s.agency_over_establishment_fte + s.employed_over_establishment_fte)),
        ],
        total: true,
    });
    // A chart of a few teams out of many says little and hints at the
    // rest: drawn only when at least half the teams can be.
    let drawn = bars.len() * 2 >= cx.teams.len() && !bars.is_empty();
    let mut definition = "Social workers in post at the date (a spell ending on the date is a leaver). A vacancy is \
                          funded FTE not filled by an employed social worker; agency FTE beyond the vacancies, and \
                          employed FTE beyond the establishment, are over establishment."
        .to_string();
    if !drawn {
        definition.push_str(
            " There is no chart of this table: drawn, most teams' bars would show numbers of people under 5.",
        );
    }
    let mut blocks = Vec::new();
    if drawn {
        blocks.push(Block::Chart(Chart {
            id: "staffing",
            unit: "FTE",
            title: format!("Staffing by team at {}", long_date(cx.end)),
            description: "Each team's establishment as it is filled: permanent, fixed-term and agency covering \
                          vacancies, what is left vacant, and agency over the establishment (FTE), for each team \
                          whose figures are shown."
                .to_string(),
            kind: ChartKind::StackedBars {
                parts: sightline_core::staffing::BAR_PARTS.map(String::from).to_vec(),
                rows: bars,
            },
        }));
    }
    blocks.push(Block::Table(Table {
        name: "Staffing by team",
        caption: "Staffing position by team (FTE)".to_string(),
        columns: ["Team", "Establishment", "Permanent", "Fixed-term", "Agency", "Vacant", "Over establishment"]
            .map(String::from)
            .to_vec(),
        rows,
        definition,
        when: cx.at_end.clone(),
    }));
    blocks.push(Block::Table(capacity_table(cx)));
    Section { heading: format!("Staffing position by team at {}", long_date(cx.end)), blocks }
}

/// Who was actually available at the date: in post less those away, plus
/// agency. A publication gives the authority's only (a team's would rest on
/// a handful of people away), with the FTE away hidden, and what gives it
/// back, when 1 to 4 people were away.
fn capacity_table(cx: &Context) -> Table {
    use sightline_core::capacity::{capacity, CapacityPolicy};
    let policy = CapacityPolicy { long_term_days: cx.request.long_term_days, ..CapacityPolicy::default() };
    let (all, teams) = capacity(cx.wf, cx.calendar, cx.end, &policy);
    let row = |c: &sightline_core::capacity::Capacity, total: bool| {
        let c = c.rounded();
        let away_people: u32 = c.away_headcount.values().sum();
        let hide = cx.publish && sightline_core::disclosure::is_disclosive(away_people);
        let fte = |v: f64| if hide { Value::Suppressed } else { Value::Number(v) };
        Row {
            label: c.team.clone().unwrap_or_else(|| "Authority".to_string()),
            cells: vec![
                Value::Number(c.inpost_fte),
                fte(c.away_fte_total),
                Value::Number(c.agency_fte),
                fte(c.available_fte),
                fte(c.available_case_holding_fte),
                if hide { Value::Suppressed } else { Value::number(c.cases_per_available_fte) },
                Value::Text(if c.pressure { "yes" } else { "no" }.to_string()),
            ],
            total,
        }
    };
    let mut rows: Vec<Row> = if cx.publish {
        Vec::new()
    } else {
        cx.teams
            .iter()
            .filter_map(|&t| {
                let name = cx.wf.teams().get(t)?;
                teams.iter().find(|c| c.team.as_ref() == Some(name))
            })
            .map(|c| row(c, false))
            .collect()
    };
    rows.push(row(&all, true));
    Table {
        name: "Available capacity",
        caption: "Available capacity (FTE): in post, less those away, plus agency".to_string(),
        columns: [
            "Team",
            "In post",
            "Away",
            "Agency",
            "Available",
            "Available case-holding",
            "Cases per available FTE",
            "Under pressure",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        definition: format!(
            "Away: employed social workers on maternity, paternity, adoption or shared parental leave, on long-term \
             sickness ({} working days or more), seconded out or suspended on the date. Case-holding: case holders' \
             and senior practitioners' posts. Under pressure: available case-holding FTE below {:.0}% of the \
             case-holding establishment, or more than {} cases for each available case-holding FTE.{}",
            cx.request.long_term_days,
            policy.threshold_share * 100.0,
            policy.safe_caseload,
            if cx.publish { " For publication, the authority's figures only." } else { "" }
        ),
        when: cx.at_end.clone(),
    }
}
