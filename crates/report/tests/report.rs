//! The committee report: every figure from the engine, the same cells in
//! every format, each format read back by a reader that did not write it
//! (tl for the HTML, calamine for the spreadsheet, docx-rs's reader for the
//! Word document), and disclosure control with its secondary cells.

use calamine::{Data, Reader, Xlsx};
use sightline_core::agency::cost_by_team;
use sightline_core::{
    indicators, staffing_by_team, Calendar, OrgRole, Period, PersonIdx, ReasonLeave, Spell, SpellKind, TeamId,
    Workforce, WorkforceBuilder,
};
use sightline_report::{build, Block, Format, Report, ReportRequest, Table, Value};
use sightline_synth::{synthesize, Basis, Request as SynthRequest};
use std::io::Cursor;

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn spell(person: PersonIdx, team: TeamId, kind: SpellKind, start: &str, end: Option<&str>, fte: f64) -> Spell {
    Spell {
        person,
        kind,
        team,
        org_role: OrgRole::CaseHolder,
        start: d(start),
        end: end.map(d),
        fte,
        reason_leave: None,
        leaver_destination: None,
        charge_rate: None,
    }
}

fn period() -> Period {
    Period { start: d("2024-04-01"), end: d("2025-03-31") }
}

fn synthetic() -> Workforce {
    let request = SynthRequest::new(Basis::Size { people: 300 }, 2022..=2025, 7);
    synthesize(&request, &Calendar::england_and_wales()).unwrap().workforce
}

fn table<'r>(report: &'r Report, name: &str) -> &'r Table {
    report.tables().find(|t| t.name == name).unwrap_or_else(|| panic!("no table {name}"))
}

fn row<'t>(t: &'t Table, label: &str) -> &'t [Value] {
    &t.rows.iter().find(|r| r.label == label).unwrap_or_else(|| panic!("no row {label} in {}", t.name)).cells
}

fn close(v: &Value, expected: f64) -> bool {
    match v {
        Value::Number(x) | Value::Percent(x) => (x - expected).abs() < 1e-9,
        Value::Money(x) => (x - expected).abs() < 1e-6,
        Value::Count(n) => f64::from(*n) == expected,
        _ => false,
    }
}

#[test]
fn figures_come_from_the_engine() {
    let wf = synthetic();
    let cal = Calendar::england_and_wales();
    let report = build(&wf, &cal, &ReportRequest { publish: false, ..ReportRequest::new("Stability", period()) });
    let all = indicators(&wf, &cal, period()).rounded();
    let headline = table(&report, "Headline");
    assert!(close(&row(headline, "Social workers in post (FTE)")[0], all.inpost_fte));
    assert!(close(&row(headline, "Turnover rate (FTE) %")[0], all.turnover_rate_fte.unwrap()));
    assert!(close(&row(headline, "Agency rate (FTE) %")[0], all.agency_rate_fte.unwrap()));
    let staffing = staffing_by_team(&wf, period().end);
    let est: f64 = staffing.iter().map(|s| s.establishment_fte).sum();
    assert!(close(&row(table(&report, "Staffing by team"), "Authority")[0], est));
    let cost: f64 = cost_by_team(&wf, &cal, period()).iter().map(|c| c.cost).sum();
    assert!(cost > 0.0, "the synthetic agency spells carry charge rates");
    assert!(close(&row(table(&report, "Agency by team"), "Authority")[2], cost));
    let leavers: u32 = table(&report, "Leavers by reason")
        .rows
        .iter()
        .filter(|r| !r.total)
        .map(|r| match r.cells[0] {
            Value::Count(n) => n,
            _ => panic!("internal reports show every count"),
        })
        .sum();
    assert_eq!(leavers, all.leavers_headcount);
    assert!(report.disclosure_statement().starts_with("Internal"));
    for t in report.tables() {
        assert!(!t.definition.is_empty() && !t.when.is_empty(), "{} says what and when", t.name);
        for r in &t.rows {
            assert_eq!(r.cells.len() + 1, t.columns.len(), "{}: {}", t.name, r.label);
        }
    }
}

/// Every cell of every table, as the HTML and the Word document show it.
fn shown(report: &Report) -> Vec<Vec<Vec<String>>> {
    report
        .tables()
        .map(|t| {
            let mut rows = vec![t.columns.clone()];
            rows.extend(t.rows.iter().map(|r| {
                let mut cells = vec![r.label.clone()];
                cells.extend(r.cells.iter().map(Value::display));
                cells
            }));
            rows
        })
        .collect()
}

#[test]
fn the_three_formats_read_back_with_the_same_cells() {
    let wf = synthetic();
    let cal = Calendar::england_and_wales();
    let report = build(&wf, &cal, &ReportRequest::new("Stability", period()));
    let expected = shown(&report);
    let charts = report.sections.iter().flat_map(|s| &s.blocks).filter(|b| matches!(b, Block::Chart(_))).count();

    // HTML: parsed, with every table's cells and every chart as an accessible SVG.
    let html = String::from_utf8(Format::Html.render(&report).unwrap()).unwrap();
    let dom = tl::parse(&html, tl::ParserOptions::default()).expect("the HTML parses");
    let parser = dom.parser();
    let text = |h: tl::NodeHandle| h.get(parser).unwrap().inner_text(parser).trim().to_string();
    let tables: Vec<Vec<Vec<String>>> = dom
        .query_selector("table")
        .unwrap()
        .map(|t| {
            let t = t.get(parser).unwrap().as_tag().unwrap();
            t.query_selector(parser, "tr")
                .unwrap()
                .map(|tr| {
                    let tr = tr.get(parser).unwrap().as_tag().unwrap();
                    tr.children()
                        .top()
                        .iter()
                        .filter(|c| matches!(c.get(parser), Some(tl::Node::Tag(_))))
                        .map(|c| text(*c))
                        .collect()
                })
                .collect()
        })
        .collect();
    assert_eq!(tables, expected);
    let svgs = dom.query_selector("svg[role=img]").unwrap().count();
    assert_eq!(svgs, charts);
    assert!(html.contains("Disclosure control applied"));
    assert!(!html.contains("http://") && !html.contains("https://"), "nothing is fetched");

    // XLSX: a contents sheet and a sheet per table, numbers as numbers.
    let bytes = Format::Xlsx.render(&report).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("the spreadsheet opens");
    let mut names = vec!["Contents".to_string()];
    names.extend(report.tables().map(|t| t.name.to_string()));
    assert_eq!(book.sheet_names(), names);
    let mut numbers = 0;
    for t in report.tables() {
        let range = book.worksheet_range(t.name).unwrap();
        let at = |r: usize, c: usize| range.get_value((r as u32, c as u32)).cloned().unwrap_or(Data::Empty);
        assert_eq!(at(0, 0), Data::String(t.caption.clone()));
        for (c, heading) in t.columns.iter().enumerate() {
            assert_eq!(at(3, c), Data::String(heading.clone()));
        }
        for (i, r) in t.rows.iter().enumerate() {
            assert_eq!(at(4 + i, 0), Data::String(r.label.clone()));
            for (k, v) in r.cells.iter().enumerate() {
                let got = at(4 + i, 1 + k);
                let want = match v {
                    Value::Count(n) => Some(f64::from(*n)),
                    Value::Number(x) => Some(*x),
                    Value::Percent(x) => Some(x / 100.0),
                    Value::Money(x) => Some(x.round()),
                    _ => None,
                };
                match want {
                    Some(w) => {
                        numbers += 1;
                        let Data::Float(g) = got else {
                            panic!("{}: {} column {k} is {got:?}, not a number", t.name, r.label)
                        };
                        assert!((g - w).abs() < 1e-9, "{}: {} {g} != {w}", t.name, r.label);
                    }
                    None => assert_eq!(got, Data::String(v.display())),
                }
            }
        }
    }
    assert!(numbers > 100, "{numbers} numbers");

    // DOCX: a council report's sections, then every table with its cells.
    let bytes = Format::Docx.render(&report).unwrap();
    let doc = docx_rs::read_docx(&bytes).expect("the Word document opens");
    let mut paragraphs = Vec::new();
    let mut tables = Vec::new();
    for child in &doc.document.children {
        match child {
            docx_rs::DocumentChild::Paragraph(p) => paragraphs.push(p.raw_text()),
            docx_rs::DocumentChild::Table(t) => tables.push(
                t.rows
                    .iter()
                    .map(|docx_rs::TableChild::TableRow(r)| {
                        r.cells
                            .iter()
                            .map(|docx_rs::TableRowChild::TableCell(c)| {
                                c.children
                                    .iter()
                                    .filter_map(|p| match p {
                                        // A soft hyphen is where a printed word may break, not a letter.
                                        docx_rs::TableCellContent::Paragraph(p) => {
                                            Some(p.raw_text().replace('\u{ad}', ""))
                                        }
                                        _ => None,
                                    })
                                    .collect::<String>()
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>(),
            ),
            _ => {}
        }
    }
    assert_eq!(tables, expected);
    let headings: Vec<&String> = paragraphs
        .iter()
        .filter(|p| {
            p.len() > 3 && p.as_bytes()[1] == b'.' && p.as_bytes()[0].is_ascii_digit() && p.as_bytes()[2] == b' '
        })
        .collect();
    assert_eq!(headings, ["1. Summary", "2. Recommendations", "3. Background", "4. Details", "5. Implications"]);
    assert!(paragraphs.iter().any(|p| p.starts_with("[For the author:")), "the recommendations are left to the author");
    assert!(paragraphs.iter().any(|p| p.starts_with("Disclosure control applied")));
}

/// Three teams: Big (20 employed, 8 agency), Mid (10 employed, 9 agency) and
/// Small (3 employed, 1 agency); 6 resignations from Big and 2 retirements from Mid.
fn small_teams() -> Workforce {
    let mut b = WorkforceBuilder::new();
    let teams = [b.team("Big"), b.team("Mid"), b.team("Small")];
    let mut n = 0;
    let mut person = |b: &mut WorkforceBuilder| {
        n += 1;
        b.person(&format!("p{n}"))
    };
    for (team, employed, agency) in [
        (teams[0], 20, [("2025-01-06", 2), ("2023-01-02", 6)]),
        (teams[1], 10, [("2024-06-03", 3), ("2022-01-04", 6)]),
        (teams[2], 3, [("2025-02-03", 1), ("2025-02-03", 0)]),
    ] {
        for _ in 0..employed {
            let p = person(&mut b);
            b.add_spell(spell(p, team, SpellKind::Permanent, "2020-01-06", None, 1.0));
        }
        for (start, count) in agency {
            for _ in 0..count {
                let p = person(&mut b);
                b.add_spell(spell(p, team, SpellKind::Agency, start, None, 1.0));
            }
        }
    }
    for (team, count, reason) in
        [(teams[0], 6, ReasonLeave::RESIGNATION), (teams[1], 2, ReasonLeave::from_code(3).unwrap())]
    {
        for _ in 0..count {
            let p = person(&mut b);
            let mut s = spell(p, team, SpellKind::Permanent, "2019-01-07", Some("2024-10-31"), 1.0);
            s.reason_leave = Some(reason);
            b.add_spell(s);
        }
    }
    b.build()
}

/// No column of a table of counts with a total row, nor any row when it has
/// a total column, may have exactly one hidden cell.
fn no_lone_hidden_cell(t: &Table) {
    let grid: Vec<&Vec<Value>> = t.rows.iter().map(|r| &r.cells).collect();
    let rows_add_up = t.columns.last().is_some_and(|c| c == "Total");
    for (i, r) in grid.iter().enumerate().filter(|_| rows_add_up) {
        assert_ne!(r.iter().filter(|v| **v == Value::Suppressed).count(), 1, "{} row {i}", t.name);
    }
    for c in 0..grid[0].len() {
        assert_ne!(grid.iter().filter(|r| r[c] == Value::Suppressed).count(), 1, "{} column {c}", t.name);
    }
}

#[test]
fn small_numbers_are_suppressed_with_their_secondary_cells() {
    let wf = small_teams();
    let cal = Calendar::from_holidays(vec![]);
    let published = build(&wf, &cal, &ReportRequest::new("Stability", period()));
    let internal = build(&wf, &cal, &ReportRequest { publish: false, ..ReportRequest::new("Stability", period()) });
    assert!(published.disclosure_statement().starts_with("Disclosure control applied"));

    // Small has 4 people: its staffing row goes, and so does Mid's, or
    // Small's figures would be the authority's less Big's and Mid's.
    let staffing = table(&published, "Staffing by team");
    assert!(row(staffing, "Small").iter().all(|v| *v == Value::Suppressed));
    assert!(row(staffing, "Mid").iter().all(|v| *v == Value::Suppressed), "secondary suppression");
    assert_eq!(row(staffing, "Big")[1], Value::Number(20.0));
    assert_eq!(row(table(&internal, "Staffing by team"), "Small")[1], Value::Number(3.0));

    // Agency assignments by team and length, with totals both ways.
    let grid = table(&published, "Agency assignments");
    let open = table(&internal, "Agency assignments");
    assert_eq!(row(open, "Big"), [Value::Count(2), Value::Count(0), Value::Count(6), Value::Count(8)]);
    assert_eq!(row(open, "Total"), [Value::Count(3), Value::Count(3), Value::Count(12), Value::Count(18)]);
    no_lone_hidden_cell(grid);
    let mut primary = 0;
    let mut secondary = 0;
    for (shown, real) in grid.rows.iter().zip(&open.rows) {
        for (s, r) in shown.cells.iter().zip(&real.cells) {
            match (s, r) {
                (Value::Suppressed, Value::Count(n)) if (1..5).contains(n) => primary += 1,
                (Value::Suppressed, Value::Count(_)) => secondary += 1,
                (Value::Count(n), _) => assert!(*n == 0 || *n >= 5, "{n} shown"),
                other => panic!("{other:?}"),
            }
        }
    }
    assert!(primary >= 5 && secondary >= 2, "{primary} primary, {secondary} secondary");
    assert_eq!(row(grid, "Total")[3], Value::Count(18), "the grand total stands");

    // Leavers by reason: 6 and 2 with a total of 8; the 2 goes, so the 6 goes too.
    let reasons = table(&published, "Leavers by reason");
    assert_eq!(row(reasons, "Resignation"), [Value::Suppressed]);
    assert_eq!(row(reasons, "Total"), [Value::Count(8)]);
    no_lone_hidden_cell(reasons);

    // Small's agency worker's cost and FTE are not shown.
    assert!(row(table(&published, "Agency by team"), "Small").iter().all(|v| *v == Value::Suppressed));
    // Every format says so.
    for format in Format::ALL {
        let bytes = format.render(&published).unwrap();
        let text = match format {
            Format::Xlsx => {
                let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
                let range = book.worksheet_range("Contents").unwrap();
                range.rows().flatten().map(|c| c.to_string()).collect::<Vec<_>>().join(" ")
            }
            Format::Docx => docx_rs::read_docx(&bytes).unwrap().json(),
            Format::Html => String::from_utf8(bytes).unwrap(),
        };
        assert!(text.contains("Disclosure control applied"), "{format:?}");
    }
    assert!(Format::Html.render(&internal).map(|b| String::from_utf8(b).unwrap().contains("Do not publish")).unwrap());
}

/// A publication shows no FTE of fewer than 5 people of a kind in a team,
/// nor a bar of it in the chart.
#[test]
fn a_publication_shows_no_fte_of_fewer_than_5_of_a_kind() {
    let mut b = WorkforceBuilder::new();
    let mut n = 0;
    for (name, permanent, fixed) in [("A", 10, 2), ("B", 12, 6)] {
        let team = b.team(name);
        for (kind, count) in [(SpellKind::Permanent, permanent), (SpellKind::FixedTerm, fixed)] {
            for _ in 0..count {
                n += 1;
                let p = b.person(&format!("p{n}"));
                b.add_spell(spell(p, team, kind, "2020-01-06", None, 1.0));
            }
        }
    }
    let wf = b.build();
    let cal = Calendar::from_holidays(vec![]);
    let published = build(&wf, &cal, &ReportRequest::new("Stability", period()));
    let staffing = table(&published, "Staffing by team");
    assert_eq!(row(staffing, "A")[2], Value::Suppressed, "2 fixed-term");
    assert_eq!(row(staffing, "B")[2], Value::Suppressed, "or A's would be the total less B's");
    let internal = build(&wf, &cal, &ReportRequest { publish: false, ..ReportRequest::new("Stability", period()) });
    assert_eq!(row(table(&internal, "Staffing by team"), "A")[2], Value::Number(2.0));
    let drawn = published.sections.iter().flat_map(|s| &s.blocks).find_map(|b| match b {
        sightline_report::Block::Chart(c) if c.id == "staffing" => Some(c),
        _ => None,
    });
    if let Some(sightline_report::Chart { kind: sightline_report::ChartKind::StackedBars { rows, .. }, .. }) = drawn {
        assert!(rows.iter().all(|(team, _)| team != "A"), "A's bars would show its fixed-term FTE");
    }
}

/// A publication's rates and FTE of leavers or agency workers go with their
/// counts, the authority's too: 2 leavers in the whole authority cannot be
/// read from its turnover beside its FTE in post, month by month or for the
/// year, nor 3 agency workers from its agency FTE.
#[test]
fn a_publication_gives_no_rate_that_rests_on_a_hidden_count() {
    let mut b = WorkforceBuilder::new();
    let mut n = 0;
    for (name, stay, leave, agency) in [("A", 8, 2, 2), ("B", 12, 0, 1)] {
        let team = b.team(name);
        for i in 0..stay + leave + agency {
            n += 1;
            let p = b.person(&format!("p{n}"));
            let (kind, end) = if i < stay {
                (SpellKind::Permanent, None)
            } else if i < stay + leave {
                (SpellKind::Permanent, Some("2024-10-31"))
            } else {
                (SpellKind::Agency, None)
            };
            let mut s = spell(p, team, kind, "2020-01-06", end, 1.0);
            if end.is_some() {
                s.reason_leave = Some(ReasonLeave::RESIGNATION);
            }
            b.add_spell(s);
        }
    }
    let wf = b.build();
    let cal = Calendar::from_holidays(vec![]);
    let published = build(&wf, &cal, &ReportRequest::new("Stability", period()));
    let internal = build(&wf, &cal, &ReportRequest { publish: false, ..ReportRequest::new("Stability", period()) });

    let by_team = table(&published, "Turnover by team");
    assert!(row(by_team, "A").iter().all(|v| *v == Value::Suppressed));
    assert_eq!(row(by_team, "Authority")[0], Value::Suppressed, "2 leavers");
    assert_eq!(row(by_team, "Authority")[1], Value::Suppressed, "their FTE");
    assert_eq!(row(by_team, "Authority")[3], Value::Suppressed, "their rate over the FTE in post beside it");
    assert!(matches!(row(table(&internal, "Turnover by team"), "Authority")[3], Value::Percent(_)));

    // Month by month: before November 2024 no one had left, and 0% stands.
    let rolling = table(&published, "Rolling turnover");
    let at = |month: &str| row(rolling, month)[0].clone();
    assert_eq!(at("Sep 2024"), Value::Percent(0.0));
    for month in ["Nov 2024", "Mar 2025"] {
        assert_eq!(at(month), Value::Suppressed, "{month}");
    }
    let drawn = published.sections.iter().flat_map(|s| &s.blocks).find_map(|b| match b {
        sightline_report::Block::Chart(c) if c.id == "rolling" => Some(c),
        _ => None,
    });
    let Some(sightline_report::Chart { kind: sightline_report::ChartKind::Lines { series, .. }, .. }) = drawn else {
        panic!("no rolling chart")
    };
    assert_eq!(series[0].1.last(), Some(&None), "a hidden month is not drawn");

    // Three agency workers in all: the authority's agency FTE, rate and cost go.
    assert!(row(table(&published, "Agency by team"), "Authority").iter().all(|v| *v == Value::Suppressed));
    assert_eq!(row(table(&internal, "Agency by team"), "Authority")[0], Value::Number(3.0));
}

/// With development records, the report has an early careers and
/// development section with the core's figures; published, no figure rests
/// on a count of 1 to 4, and no team's figure is hidden alone.
#[test]
fn development_is_reported_from_the_core_and_published_with_its_small_counts_hidden() {
    use sightline_core::development::{development_by_team, development_figures, Development, Policy};
    let wf = synthetic();
    let from = wf.spells().iter().map(|s| s.start).min().unwrap();
    let records = sightline_synth::development::development(&wf, from, period().end, 11);
    let dev = Development::new(records, wf.persons().len());
    let internal =
        ReportRequest { publish: false, development: Some(&dev), ..ReportRequest::new("Internal", period()) };
    let report = build(&wf, &Calendar::england_and_wales(), &internal);
    let core = development_figures(&wf, &dev, &Policy::default(), period().end, None).rounded();
    let t = table(&report, "Development");
    assert_eq!(row(t, "Supervision on time"), [Value::Percent(core.supervision_on_time_pct.unwrap())]);
    assert_eq!(row(t, "In an early-career programme (ASYE)"), [Value::Count(core.asye_in_programme.unwrap())]);
    // Internal: by team, from the core.
    let by_team = table(&report, "Development by team");
    let teams = development_by_team(&wf, &dev, &Policy::default(), period().end);
    assert_eq!(by_team.rows.len(), teams.len());
    // Published: the authority's figures with small counts hidden, and no team's
    // (beside the published headcounts, a team's shares could give back counts under 5).
    let published = ReportRequest { development: Some(&dev), ..ReportRequest::new("Published", period()) };
    let report = build(&wf, &Calendar::england_and_wales(), &published);
    assert!(report.tables().all(|t| t.name != "Development by team"));
    let hidden = core.hidden();
    let shown = table(&report, "Development");
    for r in &shown.rows {
        if let Value::Count(n) = r.cells[0] {
            assert!(n == 0 || n >= 5, "{}: {n}", r.label);
        }
    }
    if hidden.contains("asye_in_programme") {
        assert_eq!(row(shown, "In an early-career programme (ASYE)"), [Value::Suppressed]);
    }
    // Without development records there is no such section.
    let plain = build(&wf, &Calendar::england_and_wales(), &ReportRequest::new("Plain", period()));
    assert!(plain.tables().all(|t| t.name != "Development"));
}

/// The staff-voice section: exit reasons and survey themes from the core,
/// small counts hidden in a publication, and ER casework only internally.
#[test]
fn staff_voice_is_reported_with_er_casework_only_internally() {
    let wf = synthetic();
    let calendar = Calendar::england_and_wales();
    let from = wf.spells().iter().map(|s| s.start).min().unwrap();
    let records = sightline_synth::voice::voice(&wf, &calendar, from, period().end, 4);
    let internal = ReportRequest { publish: false, voice: Some(&records), ..ReportRequest::new("Internal", period()) };
    let report = build(&wf, &calendar, &internal);
    let core = sightline_core::voice::voice_figures(&wf, &records, &calendar, period(), None, 20.0);
    let exits = table(&report, "Exit reasons");
    let top = &core.exit_reasons[0];
    assert_eq!(row(exits, top.reason.words())[0], Value::Count(top.count));
    assert!(report.tables().any(|t| t.name == "ER cases"), "internal: ER casework");
    let published = ReportRequest { voice: Some(&records), ..ReportRequest::new("Published", period()) };
    let report = build(&wf, &calendar, &published);
    assert!(report.tables().all(|t| t.name != "ER cases"), "never in a publication");
    for r in &table(&report, "Exit reasons").rows {
        if let Value::Count(n) = r.cells[0] {
            assert!(n == 0 || n >= 5, "{}: {n}", r.label);
        }
    }
}

/// With a forecast, the report says where the rates are heading a year and
/// two years on, from the forecast's own quantiles, and how far to trust it.
#[test]
fn the_forecast_is_laid_out_with_its_calibration() {
    let wf = synthetic();
    let calendar = Calendar::england_and_wales();
    let as_of = wf.latest_date().unwrap();
    let fitted = sightline_plan::fit(&wf, &calendar, as_of, 24);
    let options = sightline_plan::Options { months: 24, runs: 200, seed: 3 };
    let f = sightline_plan::forecast(&fitted, &sightline_plan::Scenario::baseline(), &options);
    let request = ReportRequest { forecast: Some(&f), ..ReportRequest::new("With a forecast", period()) };
    let report = build(&wf, &calendar, &request);
    let t = table(&report, "Forecast");
    assert_eq!(t.rows.len(), 6, "three rates at 12 and 24 months");
    let q = f.months[11].figure("agency_rate_fte").unwrap();
    let label = format!("Agency rate (FTE) %, {}", f.months[11].month);
    let one = |v: f64| sightline_core::indicators::round_dfe(v, 1);
    assert_eq!(row(t, &label), [Value::Percent(one(q.p10)), Value::Percent(one(q.p50)), Value::Percent(one(q.p90))]);
    assert!(t.definition.contains("a year ahead fell inside the range from low to high"), "{}", t.definition);
    let plain = build(&wf, &calendar, &ReportRequest::new("Without", period()));
    assert!(plain.tables().all(|t| t.name != "Forecast"));
}

/// The staffing section's available capacity is the core's; a publication
/// gives the authority's only, and hides what rests on 1 to 4 people away.
#[test]
fn available_capacity_is_the_cores_and_published_for_the_authority_only() {
    use sightline_core::capacity::{capacity, CapacityPolicy};
    let wf = synthetic();
    let cal = Calendar::england_and_wales();
    let internal = build(&wf, &cal, &ReportRequest { publish: false, ..ReportRequest::new("Stability", period()) });
    let (all, teams) = capacity(&wf, &cal, period().end, &CapacityPolicy::default());
    let t = table(&internal, "Available capacity");
    assert!(close(&row(t, "Authority")[0], all.rounded().inpost_fte));
    assert!(close(&row(t, "Authority")[2], all.rounded().agency_fte));
    assert_eq!(t.rows.len(), teams.len() + 1, "every team and the authority");
    let published = build(&wf, &cal, &ReportRequest { publish: true, ..ReportRequest::new("Stability", period()) });
    let t = table(&published, "Available capacity");
    assert_eq!(t.rows.iter().map(|r| r.label.as_str()).collect::<Vec<_>>(), ["Authority"]);
    let away: u32 = all.away_headcount.values().sum();
    let hidden = matches!(row(t, "Authority")[1], Value::Suppressed);
    assert_eq!(hidden, (1..5).contains(&away), "{away} people away");
}
