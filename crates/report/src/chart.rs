//! Charts drawn on the server as SVG: each has a title and a text
//! description for screen readers, and the page gives the same figures in
//! a table. Lines differ in dash as well as colour, so no chart depends on
//! colour alone.
//!
//! Each function returns the chart as HTML (a `figure` with the SVG and a
//! caption), every value escaped; the dashboard and the report's HTML both
//! set them in their pages.

use crate::markup::escape;
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 40.0;

/// Colours with at least 3:1 contrast against white, and dash patterns.
const STYLES: [(&str, &str); 4] = [("#1d4f91", ""), ("#b3261e", "6 4"), ("#2e7d32", "2 3"), ("#6a1b9a", "10 3 2 3")];

/// A scale that holds `max`: its top and how many equal steps it has (at
/// most five), each step 1, 2 or 5 times a power of ten, so gridlines read
/// 0, 50, 100, 150, 200, 250 and never 17.5 or 52.5.
fn nice_scale(max: f64) -> (f64, usize) {
    if max.is_nan() || max <= 0.0 || !max.is_finite() {
        return (1.0, 4);
    }
    let power = 10f64.powf((max / 5.0).log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0, 20.0] {
        let step = m * power;
        let steps = (max / step - 1e-9).ceil().max(1.0);
        if steps <= 5.0 {
            return (step * steps, steps as usize);
        }
    }
    (max, 4)
}

/// The frame of a chart over x labels: the scale from 0 to a round top at
/// least `max`, gridlines with their values, and the x labels (at most
/// `labels` of them; the last ends at the plot's edge).
struct Frame {
    top: f64,
    steps: usize,
    points: usize,
}

impl Frame {
    fn new(max: f64, points: usize) -> Frame {
        let (top, steps) = nice_scale(max);
        Frame { top, steps, points }
    }

    fn x(&self, i: usize) -> f64 {
        let plot_w = WIDTH - LEFT - RIGHT;
        LEFT + if self.points > 1 { plot_w * i as f64 / (self.points - 1) as f64 } else { plot_w / 2.0 }
    }

    fn y(&self, v: f64) -> f64 {
        TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - v / self.top)
    }

    fn axes(&self, x: &[String], labels: usize, unit: &str) -> String {
        let mut svg = String::new();
        // The scale's unit, above it.
        if !unit.is_empty() {
            let _ = write!(svg, r##"<text x="4" y="14" font-size="12">{}</text>"##, escape(unit));
        }
        for k in 0..=self.steps {
            let v = self.top * k as f64 / self.steps as f64;
            let y = self.y(v);
            let _ = write!(
                svg,
                r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#d0d0d0"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="12">{}</text>"##,
                WIDTH - RIGHT,
                LEFT - 6.0,
                y + 4.0,
                trim(v)
            );
        }
        let every = x.len().div_ceil(labels).max(1);
        // Every `every`th label, and the last; one too near the last gives way to it.
        let last = x.len().saturating_sub(1);
        let near_last = |i: usize| i != last && (self.x(last) - self.x(i)) < 90.0;
        for (i, label) in x.iter().enumerate().filter(|(i, _)| (i % every == 0 && !near_last(*i)) || *i == last) {
            let anchor = if i + 1 == x.len() && x.len() > 1 { "end" } else { "middle" };
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}" font-size="12">{}</text>"##,
                self.x(i),
                HEIGHT - BOTTOM + 18.0,
                escape(label)
            );
        }
        svg
    }
}

/// A line chart of several series over the same x labels; gaps where a value is missing.
pub fn line_chart(
    id: &str,
    title: &str,
    summary: &str,
    x: &[String],
    series: &[(&str, Vec<Option<f64>>)],
    unit: &str,
) -> String {
    let max = series.iter().flat_map(|(_, v)| v.iter().flatten()).fold(0.0f64, |m, v| m.max(*v));
    let frame = Frame::new(max, x.len());
    let (px, py) = (|i: usize| frame.x(i), |v: f64| frame.y(v));
    let mut svg = frame.axes(x, 10, unit);
    for (k, (_, values)) in series.iter().enumerate() {
        let (colour, dash) = STYLES[k % STYLES.len()];
        let mut path = String::new();
        let mut pen_down = false;
        for (i, v) in values.iter().enumerate() {
            match v {
                Some(v) => {
                    let _ = write!(path, "{}{:.1},{:.1} ", if pen_down { "L" } else { "M" }, px(i), py(*v));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let _ = write!(
            svg,
            r##"<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5" stroke-dasharray="{dash}"/>"##
        );
    }
    let legend: String = series
        .iter()
        .enumerate()
        .map(|(k, (name, _))| {
            let (colour, dash) = STYLES[k % STYLES.len()];
            format!(
                r#"<li><svg width="28" height="10" aria-hidden="true" focusable="false"><line x1="0" y1="5" x2="28" y2="5" stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}"></line></svg> {}</li>"#,
                escape(name)
            )
        })
        .collect();
    figure(&drawing(id, &format!("0 0 {WIDTH} {HEIGHT}"), title, summary, &svg), title, summary, Some(&legend))
}

/// Fills of stacked parts, in order: colours told apart by people with any
/// common colour-vision difference (Okabe and Ito's palette, darkened),
/// each outlined, and a white part for what is empty (vacant posts).
const FILLS: [&str; 5] = ["#0072b2", "#009e73", "#d55e00", "#ffffff", "#cc79a7"];

/// Horizontal stacked bars, one per row, in parts named by `parts`, along
/// a scale in `unit` with gridlines; each bar's total is written at its end.
pub fn stacked_bars(
    id: &str,
    title: &str,
    summary: &str,
    parts: &[&str],
    rows: &[(String, Vec<f64>)],
    unit: &str,
) -> String {
    let bar_h = 22.0;
    let label_w = 170.0;
    let right = 56.0;
    let plot_top = TOP;
    let plot_bottom = plot_top + rows.len() as f64 * (bar_h + 8.0);
    let height = plot_bottom + 44.0;
    let max = rows.iter().map(|(_, v)| v.iter().sum::<f64>()).fold(0.0f64, f64::max);
    let (top, steps) = nice_scale(max);
    let scale = (WIDTH - label_w - right) / top;
    let mut svg = String::new();
    // The scale: gridlines and their values, and the unit.
    for k in 0..=steps {
        let v = top * k as f64 / steps as f64;
        let x = label_w + v * scale;
        let _ = write!(
            svg,
            r##"<line x1="{x:.1}" y1="{plot_top:.1}" x2="{x:.1}" y2="{plot_bottom:.1}" stroke="#d0d0d0"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="12">{}</text>"##,
            plot_bottom + 16.0,
            trim(v)
        );
    }
    if !unit.is_empty() {
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12">{}</text>"##,
            label_w + (WIDTH - label_w - right) / 2.0,
            plot_bottom + 34.0,
            escape(unit)
        );
    }
    for (i, (label, values)) in rows.iter().enumerate() {
        let y = plot_top + 4.0 + i as f64 * (bar_h + 8.0);
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="12">{}</text>"##,
            label_w - 6.0,
            y + bar_h * 0.7,
            escape(label)
        );
        let mut x = label_w;
        for (k, v) in values.iter().enumerate() {
            let w = v * scale;
            let _ = write!(
                svg,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{bar_h}" fill="{}" stroke="#0b0c0c" stroke-width="0.75"/>"##,
                FILLS[k % FILLS.len()]
            );
            x += w;
        }
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-size="12">{}</text>"##,
            x + 4.0,
            y + bar_h * 0.7,
            trim(values.iter().sum())
        );
    }
    let legend: String = parts
        .iter()
        .enumerate()
        .map(|(k, name)| {
            format!(
                r##"<li><svg width="14" height="14" aria-hidden="true" focusable="false"><rect width="14" height="14" fill="{}" stroke="#0b0c0c"></rect></svg> {}</li>"##,
                FILLS[k % FILLS.len()],
                escape(name)
            )
        })
        .collect();
    // Bars read from their labels at the left: marked, so a page does not open them scrolled to the right.
    figure(&drawing(id, &format!("0 0 {WIDTH} {height:.0}"), title, summary, &svg), title, summary, Some(&legend))
        .replacen(r#"<figure class="chart">"#, r#"<figure class="chart bars">"#, 1)
}

/// An SVG drawing with its title and description for screen readers.
fn drawing(id: &str, view_box: &str, title: &str, summary: &str, svg: &str) -> String {
    let id = escape(id);
    format!(
        r#"<svg viewBox="{}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>{svg}</svg>"#,
        escape(view_box),
        escape(title),
        escape(summary)
    )
}

/// The chart's figure: the drawing, then its caption (title, summary and legend).
fn figure(drawing: &str, title: &str, summary: &str, legend: Option<&str>) -> String {
    let legend = legend.map_or(String::new(), |items| format!(r#"<ul class="legend">{items}</ul>"#));
    format!(
        r#"<figure class="chart">{drawing}<figcaption><strong>{}</strong>. {}{legend}</figcaption></figure>"#,
        escape(title),
        escape(summary)
    )
}

fn trim(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// Every value as a tick along one axis, `marked` drawn as a labelled diamond.
pub fn strip(id: &str, title: &str, summary: &str, values: &[f64], marked: f64, label: &str) -> String {
    let height = 90.0;
    let (max, steps) = nice_scale(values.iter().copied().fold(marked, f64::max));
    let x = |v: f64| LEFT + (WIDTH - LEFT - RIGHT) * v / max;
    let mut svg = String::new();
    let _ = write!(svg, r##"<line x1="{LEFT}" y1="50" x2="{:.1}" y2="50" stroke="#505a5f"/>"##, WIDTH - RIGHT);
    for k in 0..=steps {
        let v = max * k as f64 / steps as f64;
        let _ = write!(svg, r##"<text x="{:.1}" y="78" text-anchor="middle" font-size="12">{}</text>"##, x(v), trim(v));
    }
    for v in values {
        let _ = write!(
            svg,
            r##"<line x1="{0:.1}" y1="40" x2="{0:.1}" y2="60" stroke="#5b8fd1" stroke-width="1.5"/>"##,
            x(*v)
        );
    }
    let m = x(marked);
    let _ = write!(
        svg,
        r##"<path d="M{m:.1},30 l8,10 l-8,10 l-8,-10 z" fill="#b3261e" stroke="#1b1b1b"/><text x="{m:.1}" y="22" text-anchor="middle" font-size="12" font-weight="700">{}</text>"##,
        escape(label)
    );
    figure(&drawing(id, &format!("0 0 {WIDTH} {height}"), title, summary, &svg), title, summary, None)
}

/// A fan chart: the band from P10 to P90 shaded, the median as a line, and
/// a target as a dashed level when given. The axis reaches at least
/// `at_least`, so that charts set side by side can share a scale; `unit` is written above it.
pub fn fan_chart(
    id: &str,
    title: &str,
    summary: &str,
    x: &[String],
    bands: &[(f64, f64, f64)],
    target: Option<(f64, &str)>,
    (at_least, unit): (f64, &str),
) -> String {
    let max = bands.iter().map(|b| b.2).fold(target.map_or(at_least, |t| t.0.max(at_least)), f64::max);
    let frame = Frame::new(max, x.len());
    let (px, py) = (|i: usize| frame.x(i), |v: f64| frame.y(v));
    let mut svg = frame.axes(x, 8, unit);
    let mut band = String::new();
    for (i, b) in bands.iter().enumerate() {
        let _ = write!(band, "{}{:.1},{:.1} ", if i == 0 { "M" } else { "L" }, px(i), py(b.2));
    }
    for (i, b) in bands.iter().enumerate().rev() {
        let _ = write!(band, "L{:.1},{:.1} ", px(i), py(b.0));
    }
    let _ = write!(svg, r##"<path d="{band}Z" fill="#5b8fd1" fill-opacity="0.35" stroke="none"/>"##);
    let mut line = String::new();
    for (i, b) in bands.iter().enumerate() {
        let _ = write!(line, "{}{:.1},{:.1} ", if i == 0 { "M" } else { "L" }, px(i), py(b.1));
    }
    let _ = write!(svg, r##"<path d="{line}" fill="none" stroke="#1d4f91" stroke-width="2.5"/>"##);
    if let Some((level, _)) = target {
        let y = py(level);
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#b3261e" stroke-width="2" stroke-dasharray="6 4"/>"##,
            WIDTH - RIGHT
        );
    }
    let mut legend = String::from(
        r##"<li><svg width="14" height="14" aria-hidden="true" focusable="false"><rect width="14" height="14" fill="#5b8fd1" fill-opacity="0.35" stroke="#333"></rect></svg> Where 8 in 10 runs fall</li><li><svg width="28" height="10" aria-hidden="true" focusable="false"><line x1="0" y1="5" x2="28" y2="5" stroke="#1d4f91" stroke-width="3"></line></svg> The middle run</li>"##,
    );
    if let Some((_, name)) = target {
        let _ = write!(
            legend,
            r##"<li><svg width="28" height="10" aria-hidden="true" focusable="false"><line x1="0" y1="5" x2="28" y2="5" stroke="#b3261e" stroke-width="3" stroke-dasharray="6 4"></line></svg> {}</li>"##,
            escape(name)
        );
    }
    figure(&drawing(id, &format!("0 0 {WIDTH} {HEIGHT}"), title, summary, &svg), title, summary, Some(&legend))
}

#[cfg(test)]
mod scale_tests {
    use super::nice_scale;

    #[test]
    fn scales_step_in_round_numbers() {
        assert_eq!(nice_scale(67.4), (80.0, 4));
        assert_eq!(nice_scale(213.0), (250.0, 5));
        assert_eq!(nice_scale(40.0), (40.0, 4));
        assert_eq!(nice_scale(37.4), (40.0, 4));
        assert_eq!(nice_scale(0.0), (1.0, 4));
        assert_eq!(nice_scale(3.2), (4.0, 4));
        assert_eq!(nice_scale(288.9), (300.0, 3));
    }
}
