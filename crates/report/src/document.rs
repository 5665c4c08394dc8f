//! The report as a document: sections of tables and charts, with typed
//! cells, ready for any format.

use chrono::NaiveDate;
use sightline_core::absence::LONG_TERM_WORKING_DAYS;
use sightline_core::benchmark::Benchmark;
use sightline_core::words::{long_date, money};
use sightline_core::{Period, Target};

/// What goes into a report.
pub struct ReportRequest<'a> {
    pub title: &'a str,
    pub period: Period,
    /// Apply disclosure control (for a report that will be published).
    pub publish: bool,
    /// The authority's comparison with its neighbours, when known.
    pub benchmark: Option<&'a Benchmark>,
    pub targets: &'a [Target],
    /// (team, service area) pairs; teams without one are shown on their own.
    pub services: &'a [(String, String)],
    /// Working days beyond which a sickness episode is long-term.
    pub long_term_days: f64,
    /// The practice development records (early careers, supervision, CPD,
    /// registration, grades), when there are any: the report then has an
    /// early careers and development section.
    pub development: Option<&'a sightline_core::development::Development>,
    /// Exit interviews, survey answers and (for an internal report only) ER
    /// cases: the report then has a section on why people leave and what staff say.
    pub voice: Option<&'a sightline_core::voice::VoiceRecords>,
    /// The baseline forecast from the latest data (as the Forecast page
    /// makes it), when there is one: the report then says where the rates
    /// are heading and how far to trust that.
    pub forecast: Option<&'a sightline_plan::Forecast>,
}

impl<'a> ReportRequest<'a> {
    /// A request with the usual defaults: for publication, no comparison, targets or services.
    pub fn new(title: &'a str, period: Period) -> Self {
        ReportRequest {
            title,
            period,
            publish: true,
            benchmark: None,
            targets: &[],
            services: &[],
            long_term_days: LONG_TERM_WORKING_DAYS,
            development: None,
            voice: None,
            forecast: None,
        }
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Count(u32),
    /// FTE, days or another quantity to one decimal place.
    Number(f64),
    /// A percentage, to one decimal place.
    Percent(f64),
    /// Pounds, whole.
    Money(f64),
    /// Suppressed for publication: DfE's `c`.
    Suppressed,
    /// Not defined (no denominator) or not recorded.
    Missing,
    Text(String),
}

impl Value {
    /// The cell as text, as the HTML and DOCX formats show it.
    pub fn display(&self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Number(v) => format!("{v:.1}"),
            Value::Percent(v) => format!("{v:.1}%"),
            Value::Money(v) => money(*v),
            Value::Suppressed => "c".to_string(),
            Value::Missing => "-".to_string(),
            Value::Text(t) => t.clone(),
        }
    }

    pub(crate) fn number(v: Option<f64>) -> Value {
        v.map_or(Value::Missing, Value::Number)
    }

    pub(crate) fn percent(v: Option<f64>) -> Value {
        v.map_or(Value::Missing, Value::Percent)
    }

    pub(crate) fn count(v: Option<u32>) -> Value {
        v.map_or(Value::Suppressed, Value::Count)
    }
}

/// A row: its label and cells, in the order of the table's columns after the first.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub cells: Vec<Value>,
    /// A total row, shown in bold.
    pub total: bool,
}

/// A table with its definition and the date or period its figures are for.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// A short name, unique in the report (the spreadsheet's sheet name: at most 31 characters).
    pub name: &'static str,
    pub caption: String,
    /// Column headings, the first over the row labels.
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// What the figures are, in the engine's definitions.
    pub definition: String,
    /// "At 31 March 2025" or "1 April 2024 to 31 March 2025".
    pub when: String,
}

/// What a chart draws; its figures are also in a table beside it.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartKind {
    /// Lines over x labels; gaps where a value is missing.
    Lines { x: Vec<String>, series: Vec<(String, Vec<Option<f64>>)> },
    /// One stacked bar per row, in the named parts.
    StackedBars { parts: Vec<String>, rows: Vec<(String, Vec<f64>)> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    /// What the chart shows, in words (for screen readers and the DOCX).
    pub description: String,
    /// The unit of its scale, written on the chart ("%", "FTE", "Working days lost").
    pub unit: &'static str,
    pub kind: ChartKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Chart(Chart),
    Table(Table),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// The whole report, ready for any format.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    pub period: Period,
    /// The day it was made.
    pub made: NaiveDate,
    /// The last date the data speaks of.
    pub data_to: Option<NaiveDate>,
    pub publish: bool,
    /// Key points, each a sentence from the figures.
    pub summary: Vec<String>,
    pub sections: Vec<Section>,
}

impl Report {
    /// What the report says of disclosure control, in every format.
    pub fn disclosure_statement(&self) -> &'static str {
        if self.publish {
            "Disclosure control applied: counts under 5, figures worked out from them, and any count that could \
             be worked out from a total are shown as c."
        } else {
            "Internal report: small numbers are not suppressed. Do not publish it."
        }
    }

    /// Every table, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.sections.iter().flat_map(|s| &s.blocks).filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }

    /// The reporting period in words.
    pub fn period_text(&self) -> String {
        format!("{} to {}", long_date(self.period.start), long_date(self.period.end))
    }
}
