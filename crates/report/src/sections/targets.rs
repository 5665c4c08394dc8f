//! Progress against the authority's targets.

use super::Context;
use crate::document::{Block, Row, Section, Table, Value};
use sightline_core::published::field_label;
use sightline_core::words::long_date;

/// Progress against the authority's targets, when it has any.
pub(super) fn targets(cx: &Context) -> Option<Section> {
    // Plans of starts by route are recruitment's, not figures of the workforce.
    let set: Vec<&sightline_core::Target> =
        cx.request.targets.iter().filter(|t| !sightline_core::recruitment::is_plan_field(&t.figure)).collect();
    if set.is_empty() {
        return None;
    }
    let rows = set
        .iter()
        .map(|t| {
            let now = if sightline_core::development::is_field(&t.figure) {
                development_now(cx, &t.figure)
            } else {
                cx.all.field(&t.figure)
            };
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

/// A development figure at the period's end, unless a publication may not show it.
fn development_now(cx: &Context, name: &str) -> Option<f64> {
    let dev = cx.request.development?;
    let policy = sightline_core::development::Policy::default();
    let f = sightline_core::development::development_figures(cx.wf, dev, &policy, cx.end, None).rounded();
    if cx.publish && f.hidden().contains(name) {
        return None;
    }
    f.field(name)
}
