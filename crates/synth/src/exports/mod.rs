//! A synthetic workforce written out as councils' systems would export it,
//! beside the profiles (and team map) that read it back: for trying imports,
//! for the docs' worked example, and for tests that check that the figures
//! of the exports equal those of the workforce in canonical form. Each
//! council style is a module:
//! - [`two_councils`]: a council formed from two legacy councils (a
//!   Windows-1252 payroll with a row per post and cost centres, an HR
//!   spreadsheet with a title above its headings, agency, caseload, absence
//!   and finance exports, a team map);
//! - [`reorganised`]: a council part way through moving from a legacy HR
//!   system (CSV, UK dates, contracted hours) to a new one (a spreadsheet
//!   of Excel serial dates naming the legacy employee numbers), with the
//!   same four other exports in other shapes.

mod reorganised;
mod two_councils;

pub use reorganised::{cutover, reorganised};
pub use two_councils::{restructure, two_councils, PAYROLL_PROFILE};

use sightline_core::Date;
use std::path::{Path, PathBuf};

/// The exports of one council, ready to write.
pub struct Exports {
    /// The workforce the exports stand for, in canonical form.
    pub workforce: sightline_core::Workforce,
    /// (file name, bytes), profiles and any team map among them.
    pub files: Vec<(String, Vec<u8>)>,
    /// (profile file, export file), in the order to import them.
    pub imports: Vec<(String, String)>,
}

impl Exports {
    /// Writes every file into `dir`; the paths of the imports, in order.
    pub fn write(&self, dir: &Path) -> std::io::Result<Vec<(PathBuf, PathBuf)>> {
        std::fs::create_dir_all(dir)?;
        for (name, bytes) in &self.files {
            std::fs::write(dir.join(name), bytes)?;
        }
        Ok(self.imports.iter().map(|(p, f)| (dir.join(p), dir.join(f))).collect())
    }

    /// Whether the exports come with a team map (`team-map.csv`), to set before importing.
    pub fn team_map(&self) -> Option<&str> {
        self.files.iter().any(|(n, _)| n == "team-map.csv").then_some("team-map.csv")
    }
}

/// The council styles, by the name `sightline synth --exports STYLE` takes.
pub const STYLES: [&str; 2] = ["two-councils", "reorganised"];

/// The exports of `wf` in the named style.
pub fn exports(style: &str, wf: &sightline_core::Workforce) -> Option<Result<Exports, rust_xlsxwriter::XlsxError>> {
    match style {
        "two-councils" => Some(two_councils(wf)),
        "reorganised" => Some(reorganised(wf)),
        _ => None,
    }
}

fn uk(d: Date) -> String {
    d.format("%d/%m/%Y").to_string()
}
