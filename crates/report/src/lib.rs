//! The workforce stability report for committees and scrutiny.
//!
//! Shaped like the census return: [`build`] is a function from the
//! workforce and a [`ReportRequest`] to a [`Report`], a document of
//! sections, tables and charts whose every figure comes from the core, one
//! function per section (`sections.rs`). Disclosure control is applied
//! there, so every format shows the same cells. The formats only lay the
//! document out: [`html`] (one self-contained file with SVG charts and a
//! print style), [`xlsx`] (one sheet per table, numbers as numbers) and
//! [`docx`] (a council report an officer can edit). The SVG charts
//! ([`chart`]) are the dashboard's too.
//!
//! Depends on the core (and, for the forecast it lays out, the plan's
//! types) only: no web server, database or template engine.

pub mod chart;
mod document;
pub mod docx;
pub mod html;
pub mod markup;
mod sections;
pub mod xlsx;

pub use document::{Block, Chart, ChartKind, Report, ReportRequest, Row, Section, Table, Value};
pub use sections::build;
pub use sightline_core::words::{long_date, money};

/// The report's file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Html,
    Xlsx,
    Docx,
}

/// A report that could not be written in its format.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot write the spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot write the Word document: {0}")]
    Docx(#[from] docx_rs::DocxError),
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Html, Format::Xlsx, Format::Docx];

    /// The format a file name's extension asks for.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext {
            "html" | "htm" => Some(Format::Html),
            "xlsx" => Some(Format::Xlsx),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
        }
    }

    /// The media type to serve it as.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }

    /// The report in this format.
    pub fn render(self, report: &Report) -> Result<Vec<u8>, RenderError> {
        Ok(match self {
            Format::Html => html::render(report).into_bytes(),
            Format::Xlsx => xlsx::render(report)?,
            Format::Docx => docx::render(report)?,
        })
    }
}
