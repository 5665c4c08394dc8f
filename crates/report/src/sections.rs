//! The report's sections, one function each over a shared [`Context`]:
//! every figure from the core, disclosure control applied here so that
//! every format shows the same cells.

use crate::document::{Block, Chart, ChartKind, Report, ReportRequest, Row, Section, Table, Value};
use chrono::NaiveDate;
use sightline_core::absence;
use sightline_core::disclosure::{is_disclosive, suppress};
use sightline_core::published::field_label;
use sightline_core::words::{long_date, money};
use sightline_core::{
    agency, caseload_ranges_by_team, indicators_by, indicators_by_team_groups, leavers, monthly_series,
    staffing_by_team, Calendar, GroupIndicators, Grouping, Indicators, Period, TeamGroups, TeamId, Unassigned,
    Workforce,
};

/// What every section reads: the request, the period's figures for the
/// authority and by team, and which teams the report shows.
struct Context<'a> {
    wf: &'a Workforce,
    calendar: &'a Calendar,
    request: &'a ReportRequest<'a>,
    period: Period,
    end: NaiveDate,
    publish: bool,
    /// "At 31 March 2025".
    at_end: String,
    /// "1 April 2024 to 31 March 2025".
    over: String,
    /// The authority's figures for the period, rounded as DfE rounds them.
    all: Indicators,
    /// Each team's figures for the period (by [`TeamId`]).
    by_team: Vec<GroupIndicators>,
    /// Whether a team's figures may be shown (publication hides small teams).
    visible: Vec<bool>,
    /// Whether a team's agency figures may be shown (1 to 4 agency workers are hidden).
    agency_visible: Vec<bool>,
    /// The teams shown: with people, leavers or an establishment.
    teams: Vec<usize>,
}

impl<'a> Context<'a> {
    fn new(wf: &'a Workforce, calendar: &'a Calendar, request: &'a ReportRequest<'a>) -> Context<'a> {
        let period = request.period;
        let end = period.end;
        let publish = request.publish;
        let by_team = indicators_by(wf, calendar, period, Grouping::Team);
        let people: Vec<u32> =
            by_team.iter().map(|g| g.indicators.inpost_headcount + g.indicators.agency_headcount).collect();
        let visible = visible_groups(&people, publish);
        // Agency figures of a team (FTE, rate, cost) say something of each of
        // its agency workers when there are 1 to 4 of them.
        let agency_people: Vec<u32> = by_team.iter().map(|g| g.indicators.agency_headcount).collect();
        let agency_visible = visible_groups(&agency_people, publish);
        let teams: Vec<usize> = (0..wf.teams().len())
            .filter(|&t| {
                people[t] > 0
                    || by_team[t].indicators.leavers_headcount > 0
                    || wf.establishment_at(TeamId(t as u32), end) > 0.0
            })
            .collect();
        Context {
            wf,
            calendar,
            request,
            period,
            end,
            publish,
            at_end: format!("At {}", long_date(end)),
            over: format!("{} to {}", long_date(period.start), long_date(end)),
            all: sightline_core::indicators(wf, calendar, period).rounded(),
            by_team,
            visible,
            agency_visible,
            teams,
        }
    }

    fn team_name(&self, t: usize) -> &str {
        &self.wf.teams()[t]
    }
}

/// Assembles the report from the workforce: every figure from the core.
pub fn build(wf: &Workforce, calendar: &Calendar, request: &ReportRequest<'_>) -> Report {
    let cx = Context::new(wf, calendar, request);
    let mut summary = Vec::new();
    let mut sections = vec![
        headline(&cx, &mut summary),
        staffing(&cx),
        turnover(&cx, &mut summary),
        leavers(&cx),
        agency_use(&cx, &mut summary),
        caseloads(&cx, &mut summary),
        sickness(&cx, &mut summary),
        newly_qualified(&cx),
    ];
    sections.extend(targets(&cx));
    Report {
        title: request.title.to_string(),
        period: cx.period,
        made: chrono::Utc::now().date_naive(),
        data_to: wf.latest_date(),
        publish: cx.publish,
        summary,
        sections,
    }
}

/// The period's headline figures beside the year before's.
fn headline(cx: &Context, summary: &mut Vec<String>) -> Section {
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

/// The staffing position by team at the period's end, as a chart and a table.
fn staffing(cx: &Context) -> Section {
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

/// Rolling and period turnover by team, and against other authorities when compared.
fn turnover(cx: &Context, summary: &mut Vec<String>) -> Section {
    let monthly = |grouping| {
        monthly_series(cx.wf, cx.calendar, sightline_core::calendar::month_end(cx.period.start), cx.end, grouping)
    };
    let months = monthly(Grouping::Team);
    let months_all = monthly(Grouping::Authority);
    let x: Vec<String> = months_all.iter().map(|(p, _)| p.end.format("%b %Y").to_string()).collect();
    let rolling: Vec<Option<f64>> =
        months_all.iter().map(|(_, g)| g[0].indicators.rounded().turnover_rate_fte).collect();
    let mut blocks = vec![Block::Chart(Chart {
        id: "rolling",
        title: "Rolling 12-month turnover (FTE)".to_string(),
        description: match (rolling.first().copied().flatten(), rolling.last().copied().flatten()) {
            (Some(a), Some(b)) => {
                format!("Turnover in the 12 months to each month's end went from {a:.1}% to {b:.1}%.")
            }
            _ => "Not enough data for a trend.".to_string(),
        },
        kind: ChartKind::Lines { x: x.clone(), series: vec![("Authority".to_string(), rolling.clone())] },
    })];
    let mut columns = vec!["Team".to_string()];
    columns.extend(x.iter().cloned());
    let mut rows: Vec<Row> = cx
        .teams
        .iter()
        .map(|&t| {
            if !cx.visible[t] {
                return hidden_row(cx.team_name(t), x.len());
            }
            Row {
                label: cx.team_name(t).to_string(),
                cells: months
                    .iter()
                    .map(|(_, g)| {
                        let i = &g[t].indicators;
                        if cx.publish && is_disclosive(i.leavers_headcount) {
                            Value::Suppressed
                        } else {
                            Value::percent(i.rounded().turnover_rate_fte)
                        }
                    })
                    .collect(),
                total: false,
            }
        })
        .collect();
    rows.push(Row {
        label: "Authority".to_string(),
        cells: rolling.iter().map(|v| Value::percent(*v)).collect(),
        total: true,
    });
    blocks.push(Block::Table(Table {
        name: "Rolling turnover",
        caption: "Rolling 12-month turnover (FTE) by team".to_string(),
        columns,
        rows,
        definition: "For each month, FTE leavers in the 12 months to its end over FTE in post at its end. A move \
                     between teams is not a leaver. For publication, a team's rate from 1 to 4 leavers is c."
            .to_string(),
        when: cx.over.clone(),
    }));
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
    rows.push(Row {
        label: "Authority".to_string(),
        cells: vec![
            leaver_cells.last().cloned().unwrap_or(Value::Missing),
            Value::number(Some(cx.all.leavers_fte)),
            Value::number(Some(cx.all.inpost_fte)),
            Value::percent(cx.all.turnover_rate_fte),
        ],
        total: true,
    });
    blocks.push(Block::Table(Table {
        name: "Turnover by team",
        caption: "Leavers and turnover by team".to_string(),
        columns: ["Team", "Leavers", "Leavers (FTE)", "In post (FTE)", "Turnover (FTE)"].map(String::from).to_vec(),
        rows,
        definition: "A leaver left the authority's employment in the period (not employed the next day), counted \
                     in the team they left; a move between teams is not a leaver. Turnover is FTE leavers over FTE in \
                     post at the period's end."
            .to_string(),
        when: cx.over.clone(),
    }));
    if let Some(b) = cx.request.benchmark {
        if let Some(t) = b.entries.iter().find(|e| e.field == "turnover_rate_fte") {
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
                    cells: vec![n
                        .row
                        .as_ref()
                        .map_or(Value::Missing, |r| published_value(r.cell("turnover_rate_fte")))],
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
            blocks.push(Block::Table(Table {
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
            }));
        }
    }
    Section { heading: "Turnover".to_string(), blocks }
}

/// Leavers by reason and by destination.
fn leavers(cx: &Context) -> Section {
    let leavers_list = leavers::leavers_in(cx.wf, cx.period);
    let mut blocks = Vec::new();
    for (name, caption, heading, counts, definition) in [
        ("Leavers by reason", "Leavers by reason", "Reason", leavers::count_by_reason(&leavers_list), "Leavers from the authority's employment (not employed the next day), by the reason recorded at leaving (CSWW ReasonLeave)."),
        ("Leavers by destination", "Leavers by destination", "Went to", leavers::count_by_destination(&leavers_list), "Leavers from the authority's employment, by where they went as recorded at leaving (CSWW LeaverDestination)."),
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

/// Agency use and cost by team, assignments by length, and conversions to permanent.
fn agency_use(cx: &Context, summary: &mut Vec<String>) -> Section {
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
    rows.push(Row {
        label: "Authority".to_string(),
        cells: vec![
            Value::Number(cx.all.agency_fte),
            Value::percent(cx.all.agency_rate_fte),
            if costed > 0.0 { Value::Money(total_cost) } else { Value::Missing },
            Value::percent((fte_days > 0.0).then(|| costed / fte_days * 100.0)),
        ],
        total: true,
    });
    if costed > 0.0 {
        summary.push(format!(
            "Agency social workers cost {} over the period, for {:.0}% of agency time with a recorded charge.",
            money(total_cost),
            costed / fte_days * 100.0
        ));
    }
    let mut blocks = vec![Block::Table(Table {
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
    })];
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
    blocks.push(Block::Table(Table {
        name: "Agency assignments",
        caption: "Agency assignments by team and length".to_string(),
        columns,
        rows,
        definition: "An assignment is a run of one person's agency spells with no day between them; its length is \
                     the whole weeks from its first day to the date. Counted in the team of the spell in place."
            .to_string(),
        when: cx.at_end.clone(),
    }));
    let conversions = agency::conversions(cx.wf, cx.period).len() as u32;
    let starters = cx.all.starters_headcount;
    let converted = column_with_total(&[conversions, starters - conversions.min(starters)], cx.publish);
    blocks.push(Block::Table(Table {
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
    }));
    Section { heading: "Agency use".to_string(), blocks }
}

/// Caseload ranges and averages by team.
fn caseloads(cx: &Context, summary: &mut Vec<String>) -> Section {
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

/// Sickness absence by month and by service area.
fn sickness(cx: &Context, summary: &mut Vec<String>) -> Section {
    let threshold = cx.request.long_term_days;
    let by_month = absence::sickness_by_month(cx.wf, cx.calendar, cx.period.start, cx.end, threshold);
    let x: Vec<String> = by_month.iter().map(|m| m.month.format("%b %Y").to_string()).collect();
    let mut blocks = vec![
        Block::Chart(Chart {
            id: "sickness",
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
    ];
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
    blocks.push(Block::Table(Table {
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
    }));
    Section { heading: "Sickness absence".to_string(), blocks }
}

/// Social workers in their ASYE by team.
fn newly_qualified(cx: &Context) -> Section {
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

/// Progress against the authority's targets, when it has any.
fn targets(cx: &Context) -> Option<Section> {
    if cx.request.targets.is_empty() {
        return None;
    }
    let rows = cx
        .request
        .targets
        .iter()
        .map(|t| {
            let now = cx.all.field(&t.figure);
            Row {
                label: format!("{} {} {}", field_label(&t.figure), t.direction(), t.value),
                cells: vec![
                    Value::Text(long_date(t.by)),
                    Value::number(now),
                    Value::Text(t.status(now, cx.end).words().to_string()),
                ],
                total: false,
            }
        })
        .collect();
    Some(Section {
        heading: "Progress against targets".to_string(),
        blocks: vec![Block::Table(Table {
            name: "Targets",
            caption: "The authority's workforce targets".to_string(),
            columns: ["Target", "By", "Now", "Status"].map(String::from).to_vec(),
            rows,
            definition: "Targets as set in Sightline, against the period's figure; missed means the date has passed \
                         without the figure meeting the target."
                .to_string(),
            when: cx.over.clone(),
        })],
    })
}

/// Counts to publish: with the total last, suppressed for publication
/// (primary and secondary, total included), or as they are.
fn column_with_total(counts: &[u32], publish: bool) -> Vec<Value> {
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
fn grid_with_totals(counts: &[Vec<u32>], publish: bool) -> Vec<Vec<Value>> {
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
fn visible_groups(people: &[u32], publish: bool) -> Vec<bool> {
    if !publish {
        return vec![true; people.len()];
    }
    let rows: Vec<Vec<u32>> = people.iter().map(|n| vec![*n]).collect();
    suppress(&rows).cells.iter().map(|r| r[0].is_some()).collect()
}

fn hidden_row(label: &str, width: usize) -> Row {
    Row { label: label.to_string(), cells: vec![Value::Suppressed; width], total: false }
}

/// A published figure as a report cell.
fn published_value(c: sightline_core::published::Cell) -> Value {
    match c {
        sightline_core::published::Cell::Number(v) => Value::Percent(v),
        sightline_core::published::Cell::Suppressed => Value::Suppressed,
        _ => Value::Missing,
    }
}
