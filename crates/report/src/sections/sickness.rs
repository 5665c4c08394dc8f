//! Sickness absence by month and by service area.

use super::cells::{hidden_row, visible_groups};
use super::Context;
use crate::document::{Block, Chart, ChartKind, Row, Section, Table, Value};
use sightline_core::absence;
use sightline_core::{indicators_by_team_groups, TeamGroups, Unassigned};

/// Sickness absence by month and by service area.
pub(super) fn sickness(cx: &Context, summary: &mut Vec<String>) -> Section {
    let mut blocks = by_month(cx);
    blocks.push(by_service(cx, summary));
    Section { heading: "Sickness absence".to_string(), blocks }
}

/// Working days lost by month, short- and long-term, as a chart and a table.
fn by_month(cx: &Context) -> Vec<Block> {
    let threshold = cx.request.long_term_days;
    let by_month = absence::sickness_by_month(cx.wf, cx.calendar, cx.period.start, cx.end, threshold);
    let x: Vec<String> = by_month.iter().map(|m| m.month.format("%b %Y").to_string()).collect();
    vec![
        Block::Chart(Chart {
            id: "sickness",
            unit: "Working days lost",
            title: "Working days lost to sickness by month".to_string(),
            description: format!("Short-term and long-term (over {threshold} working days) episodes."),
            kind: ChartKind::Lines {
                x,
                series: vec![
                    ("Short-term".to_string(), by_month.iter().map(|m| Some(m.short_term)).collect()),
                    ("Long-term".to_string(), by_month.iter().map(|m| Some(m.long_term)).collect()),
                ],
            },
        }),
        Block::Table(Table {
            name: "Sickness by month",
            caption: "Working days lost to sickness by month".to_string(),
            columns: ["Month", "Short-term", "Long-term", "Total"].map(String::from).to_vec(),
            rows: by_month
                .iter()
                .map(|m| Row {
                    label: m.month.format("%B %Y").to_string(),
                    cells: vec![
                        Value::Number(m.short_term),
                        Value::Number(m.long_term),
                        Value::Number(m.short_term + m.long_term),
                    ],
                    total: false,
                })
                .collect(),
            definition: format!(
                "Working days lost to sickness in each month by social workers (employed or agency with an absence \
                 record): the episode's working days in the month, or its recorded days lost spread over its working \
                 days. An episode of more than {threshold} working days is long-term."
            ),
            when: cx.over.clone(),
        }),
    ]
}

/// Working days lost and the absence rate by service area.
fn by_service(cx: &Context, summary: &mut Vec<String>) -> Block {
    let threshold = cx.request.long_term_days;
    let groups = TeamGroups::by_service(cx.wf.teams(), cx.request.services, Unassigned::OwnGroup);
    let by_group = indicators_by_team_groups(cx.wf, cx.calendar, cx.period, &groups);
    let split = absence::sickness_by_team(cx.wf, cx.calendar, cx.period, threshold);
    let mut short = vec![0.0; groups.names.len()];
    let mut long = vec![0.0; groups.names.len()];
    for s in &split {
        short[groups.of_team[s.team.0 as usize]] += s.short_term;
        long[groups.of_team[s.team.0 as usize]] += s.long_term;
    }
    let group_people: Vec<u32> = by_group.iter().map(|g| g.indicators.inpost_headcount).collect();
    let group_visible = visible_groups(&group_people, cx.publish);
    let mut rows = Vec::new();
    for (i, g) in by_group.iter().enumerate() {
        if group_people[i] == 0 {
            continue;
        }
        if !group_visible[i] {
            rows.push(hidden_row(&groups.names[i], 4));
            continue;
        }
        rows.push(Row {
            label: groups.names[i].clone(),
            cells: vec![
                Value::Number(short[i]),
                Value::Number(long[i]),
                Value::Number(g.indicators.working_days_lost_fte),
                Value::percent(g.indicators.rounded().absence_rate_fte),
            ],
            total: false,
        });
    }
    rows.push(Row {
        label: "Authority".to_string(),
        cells: vec![
            Value::Number(short.iter().sum()),
            Value::Number(long.iter().sum()),
            Value::Number(cx.all.working_days_lost_fte),
            Value::percent(cx.all.absence_rate_fte),
        ],
        total: true,
    });
    if let Some(r) = cx.all.absence_rate_fte {
        summary.push(format!("{r:.1}% of working days were lost to sickness."));
    }
    Block::Table(Table {
        name: "Sickness by service",
        caption: if cx.request.services.is_empty() {
            "Working days lost to sickness by team (no service areas are set)".to_string()
        } else {
            "Working days lost to sickness by service area".to_string()
        },
        columns: ["Service area", "Short-term days", "Long-term days", "Total days", "Absence rate (FTE)"]
            .map(String::from)
            .to_vec(),
        rows,
        definition: "As DfE counts days lost: employed social workers in post at the period's end, in the service of \
                     their largest post, with the working days of their sickness in the period. The absence rate is \
                     those days over the working days of their FTE in post."
            .to_string(),
        when: cx.over.clone(),
    })
}
