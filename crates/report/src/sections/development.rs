//! Early careers and development at the period's end: supervision, early
//! careers, CPD and registration, progression and the experience mix, for
//! the authority and by team (when development records were imported).

use super::Context;
use crate::document::{Block, Row, Section, Table, Value};
use sightline_core::development::{
    development_by_team, development_figures, hidden_by_group, DevelopmentFigures, Policy,
};
use std::collections::BTreeSet;

fn pct(f: Option<f64>, name: &str, hidden: &BTreeSet<&str>) -> Value {
    match f {
        Some(_) if hidden.contains(name) => Value::Suppressed,
        Some(v) => Value::Percent(v),
        None => Value::Missing,
    }
}

fn count(n: Option<u32>, name: &str, hidden: &BTreeSet<&str>) -> Value {
    match n {
        Some(_) if hidden.contains(name) => Value::Suppressed,
        Some(n) => Value::Count(n),
        None => Value::Missing,
    }
}

fn number(f: Option<f64>, name: &str, hidden: &BTreeSet<&str>) -> Value {
    match f {
        Some(_) if hidden.contains(name) => Value::Suppressed,
        Some(v) => Value::Number(v),
        None => Value::Missing,
    }
}

/// The section, or none when the store holds no development records.
pub(super) fn development(cx: &Context) -> Option<Section> {
    let dev = cx.request.development.filter(|d| !d.is_empty())?;
    let policy = Policy::default();
    let all = development_figures(cx.wf, dev, &policy, cx.end, None).rounded();
    let teams: Vec<(String, DevelopmentFigures)> =
        development_by_team(cx.wf, dev, &policy, cx.end).into_iter().map(|(t, f)| (t, f.rounded())).collect();
    let mut groups: Vec<DevelopmentFigures> = teams.iter().map(|(_, f)| f.clone()).collect();
    groups.push(all.clone());
    let mut hidden = if cx.publish { hidden_by_group(&groups) } else { vec![BTreeSet::new(); groups.len()] };
    let mine = hidden.pop().unwrap_or_default();
    let h = &mine;
    let line = |label: &str, v: Value| Row { label: label.to_string(), cells: vec![v], total: false };
    let rows = vec![
        line("Supervision on time", pct(all.supervision_on_time_pct, "supervision_on_time_pct", h)),
        line(
            "People whose supervision is overdue",
            count(all.supervision_overdue_people, "supervision_overdue_people", h),
        ),
        line("In an early-career programme (ASYE)", count(all.asye_in_programme, "asye_in_programme", h)),
        line("Early-career reviews late", count(all.asye_reviews_late, "asye_reviews_late", h)),
        line(
            "Early-career workers above their protected caseload",
            count(all.asye_above_protected_caseload, "asye_above_protected_caseload", h),
        ),
        line("Still employed 12 months after qualifying", pct(all.asye_retention_12m_pct, "asye_retention_12m_pct", h)),
        line("Still employed 24 months after qualifying", pct(all.asye_retention_24m_pct, "asye_retention_24m_pct", h)),
        line("Still employed 36 months after qualifying", pct(all.asye_retention_36m_pct, "asye_retention_36m_pct", h)),
        line("Other staff still employed a year on", pct(all.others_retention_12m_pct, "others_retention_12m_pct", h)),
        line("On track with Social Work England's CPD", pct(all.cpd_on_track_pct, "cpd_on_track_pct", h)),
        line("CPD days a person in the last 12 months", number(all.cpd_days_mean_12m, "cpd_days_mean_12m", h)),
        line(
            "Registrations ending in the next 90 days",
            count(all.registrations_lapsing_90d, "registrations_lapsing_90d", h),
        ),
        line("Promotions in the last 12 months", count(all.promotions_12m, "promotions_12m", h)),
        line("Qualified under 2 years", pct(all.mix_newly_qualified_pct, "mix_newly_qualified_pct", h)),
        line("Qualified 2 to 5 years", pct(all.mix_2_5_years_pct, "mix_2_5_years_pct", h)),
        line("Qualified 5 years or more", pct(all.mix_5_plus_years_pct, "mix_5_plus_years_pct", h)),
    ];
    let by_team: Vec<Row> = teams
        .iter()
        .zip(&hidden)
        .map(|((team, f), h)| Row {
            label: team.clone(),
            cells: vec![
                pct(f.supervision_on_time_pct, "supervision_on_time_pct", h),
                count(f.asye_in_programme, "asye_in_programme", h),
                pct(f.cpd_on_track_pct, "cpd_on_track_pct", h),
                pct(f.mix_newly_qualified_pct, "mix_newly_qualified_pct", h),
            ],
            total: false,
        })
        .collect();
    let mut blocks = vec![Block::Table(Table {
                name: "Development",
                caption: "Supervision, early careers, CPD, registration and experience".to_string(),
                columns: vec!["Figure".to_string(), "Authority".to_string()],
                rows,
                definition: "Supervision on time against the employer standards (at least monthly, 1.5 hours; the newly \
                             qualified weekly for 6 weeks, then fortnightly to 6 months); CPD against Social Work \
                             England's two pieces a registration year, one reflected on with a peer; experience as years \
                             since qualifying, of employed social workers with a known qualification date. Definitions: \
                             docs/indicators.md, part C."
                    .to_string(),
                when: cx.at_end.clone(),
            })];
    // By team only in an internal report: in a publication, a team's shares
    // beside its published headcount and the other teams' could give back counts under 5.
    if !cx.publish {
        blocks.push(Block::Table(Table {
            name: "Development by team",
            caption: "Development by team".to_string(),
            columns: vec![
                "Team".to_string(),
                "Supervision on time".to_string(),
                "In ASYE".to_string(),
                "CPD on track".to_string(),
                "Qualified under 2 years".to_string(),
            ],
            rows: by_team,
            definition: "As above, for the social workers in post in each team.".to_string(),
            when: cx.at_end.clone(),
        }));
    }
    Some(Section { heading: "Early careers and development".to_string(), blocks })
}
