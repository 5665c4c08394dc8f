//! How reading a source goes wrong, and how strictly rows are taken: one
//! error for every reader (the canonical folder, profiled exports, census
//! returns), each invalid row named by file, line, column, value and rule.

use sightline_core::source::RowProblem;
use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{dir}: no spells.csv there; a data directory needs at least spells.csv (see docs/data-formats.md)")]
    NoSpells { dir: PathBuf },
    #[error("{file}: the header has no column `{column}`, which is required (columns found: {found})")]
    MissingColumn { file: &'static str, column: &'static str, found: String },
    #[error("{file} line {line}: {message}")]
    Malformed { file: &'static str, line: u64, message: String },
    #[error("{file} {message}")]
    Export { file: String, message: String },
    #[error("{file}: no column `{column}`, which the profile gives for `{field}` (columns found: {found})")]
    ExportColumn { file: String, column: String, field: String, found: String },
    #[error("{} invalid row(s); nothing was computed. Fix them, or run with --lenient to skip them.\n{}", .0.len(), list_problems(.0))]
    InvalidRows(Vec<RowProblem>),
}

/// The problems, one a line (the first 50, then how many more).
pub fn list_problems(problems: &[RowProblem]) -> String {
    const SHOWN: usize = 50;
    let mut out: Vec<String> = problems.iter().take(SHOWN).map(|p| format!("  {p}")).collect();
    if problems.len() > SHOWN {
        out.push(format!("  ... and {} more", problems.len() - SHOWN));
    }
    out.join("\n")
}

/// What to do with invalid rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Strictness {
    /// Any invalid row stops the read: nothing is computed from bad data.
    #[default]
    Strict,
    /// Invalid rows are skipped and reported; the rest is read.
    Lenient,
}

/// The longest text a field may hold, in bytes: names, teams and codes are
/// far shorter; a longer one is a broken or hostile file.
pub const MAX_FIELD_BYTES: usize = 1000;

/// Whether a byte is printable ASCII (a space to a tilde): text made only
/// of these is fit to keep, if not too long.
pub(crate) fn printable_ascii(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

/// Why a field's text cannot be taken, if it cannot: a control character
/// (NUL, escape codes, line breaks; they would show as something they are
/// not), or more than [`MAX_FIELD_BYTES`].
pub(crate) fn unfit_text(text: &str) -> Option<&'static str> {
    if text.len() > MAX_FIELD_BYTES {
        Some("longer than 1,000 characters")
    } else if text.bytes().all(printable_ascii) {
        // Printable ASCII, as nearly every field is: checked in one pass.
        None
    } else if text.bytes().any(|b| b < 0x20 || b == 0x7f) || text.chars().any(char::is_control) {
        Some("holds a control character (such as NUL, an escape code or a line break)")
    } else {
        None
    }
}

/// A value as a problem quotes it: control characters written out, and
/// no more than 60 characters of a long one.
pub(crate) fn shown(text: &str) -> String {
    let escaped = sightline_core::words::escape_control(text);
    match escaped.char_indices().nth(60) {
        Some((at, _)) => format!("{}... ({} characters)", &escaped[..at], text.chars().count()),
        None => escaped.into_owned(),
    }
}
