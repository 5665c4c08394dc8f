//! Why people leave and what staff say over the period: exit reasons and
//! survey themes (with small numbers hidden in a publication), and, in an
//! internal report only, the ER casework open at its end.

use super::Context;
use crate::document::{Block, Row, Section, Table, Value};
use sightline_core::voice::{voice_figures, VoiceFigures};

/// The section, or none without exit interviews, survey answers or ER cases.
pub(super) fn voice(cx: &Context) -> Option<Section> {
    let records = cx.request.voice.filter(|v| !v.is_empty())?;
    let raw = voice_figures(cx.wf, records, cx.calendar, cx.period, None, cx.request.long_term_days);
    let f = raw.rounded();
    let mut blocks = Vec::new();
    if f.exit_interviews > 0 {
        let mut rows: Vec<Row> = f
            .exit_reasons
            .iter()
            .map(|r| Row {
                label: r.reason.words().to_string(),
                cells: if cx.publish && !raw.reason_publishable(r) {
                    vec![Value::Suppressed, Value::Suppressed]
                } else {
                    vec![Value::Count(r.count), Value::Percent(r.share)]
                },
                total: false,
            })
            .collect();
        rows.push(Row {
            label: "Exit interviews".to_string(),
            cells: if cx.publish && !raw.exit_rates_publishable() {
                vec![Value::Suppressed, Value::Suppressed]
            } else {
                vec![Value::Count(f.exit_interviews), f.exit_response_rate_pct.map_or(Value::Missing, Value::Percent)]
            },
            total: true,
        });
        blocks.push(Block::Table(Table {
            name: "Exit reasons",
            caption: "Reasons for leaving given in exit interviews".to_string(),
            columns: ["Reason", "Interviews", "Share"].map(String::from).to_vec(),
            rows,
            definition:
                "Exit interviews dated in the period; an interview may give up to three reasons. Share: of the \
                         interviews giving any reason. The total's share is the interviews as a % of the period's \
                         leavers."
                    .to_string(),
            when: cx.over.clone(),
        }));
    }
    if !f.survey_themes.is_empty() {
        let rows = f
            .survey_themes
            .iter()
            .map(|t| Row {
                label: t.theme.clone(),
                cells: if cx.publish && !VoiceFigures::theme_publishable(t) {
                    vec![Value::Suppressed, Value::Suppressed, Value::Suppressed]
                } else {
                    vec![Value::Number(t.score), Value::Text(t.band.to_string()), Value::Count(t.respondents)]
                },
                total: false,
            })
            .collect();
        blocks.push(Block::Table(Table {
            name: "Survey themes",
            caption: format!("Staff survey themes, {}", f.survey_themes.first().map_or("", |t| t.wave.as_str())),
            columns: ["Theme", "Score (0-100)", "Band", "Respondents"].map(String::from).to_vec(),
            rows,
            definition: "The latest survey wave in the period: each theme's answers scored 0 (the lowest) to 100 (the \
                         highest), averaged; bands as the employer standards health check: 50 or under low, 51-74 \
                         moderate, 75 or over high."
                .to_string(),
            when: cx.over.clone(),
        }));
    }
    // ER casework: for an internal report alone.
    if !cx.publish && !f.er_open_by_type.is_empty() {
        blocks.push(Block::Table(Table {
            name: "ER cases",
            caption: "Employee relations cases open".to_string(),
            columns: ["Type", "Open"].map(String::from).to_vec(),
            rows: f
                .er_open_by_type
                .iter()
                .map(|(k, n)| Row { label: k.as_str().replace('_', " "), cells: vec![Value::Count(*n)], total: false })
                .collect(),
            definition:
                "Cases opened on or before the period's last day and not closed before it. Internal: never in a \
                         report for publication."
                    .to_string(),
            when: cx.at_end.clone(),
        }));
    }
    (!blocks.is_empty()).then(|| Section { heading: "Why people leave and what staff say".to_string(), blocks })
}
