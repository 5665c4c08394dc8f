//! `sightline profile`: the shipped source profiles, and drafting one from an export.

use crate::cli::print_out;
use anyhow::{bail, Context, Result};
use sightline_ingest::profile::{shipped, Profile, SHIPPED};
use sightline_ingest::sheet::read_sheet;
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum ProfileCommand {
    /// The profiles Sightline ships for common shapes of export.
    List,
    /// Print a shipped profile, to copy and adapt to your own export.
    Show {
        /// The profile's name (see `sightline profile list`).
        name: String,
    },
    /// Draft a profile from an export's headers and first values, for a person to check.
    #[command(long_about = "Draft a source profile from an export's column headers and sample values. \
The draft names the columns it recognised, the date format the values use, and codes it could map \
(job titles to OrgRole, contract types, leaving reasons); anything it could not place is listed for you \
to decide. Read it against the export before importing with it.\n\n\
Example:\n  sightline profile suggest staff.xlsx --out profiles/our-hr.toml")]
    Suggest {
        /// The export: CSV, or a spreadsheet (.xlsx, .xls, .ods).
        file: PathBuf,
        /// The sheet to read in a spreadsheet (the first by default).
        #[arg(long)]
        sheet: Option<String>,
        /// Write the draft here instead of to standard output (an existing file is not overwritten).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

pub fn run_profile(command: ProfileCommand) -> Result<()> {
    let (file, sheet, out) = match command {
        ProfileCommand::List => {
            let mut text =
                String::from("Shipped profiles (use the name with --profile, or `profile show NAME` to adapt one):\n");
            for (name, toml) in SHIPPED {
                let profile = Profile::parse(toml).expect("shipped profiles are tested");
                text.push_str(&format!("  {name:<22} {}\n", profile.description.unwrap_or_default()));
            }
            return print_out(text.trim_end());
        }
        ProfileCommand::Show { name } => {
            let Some(text) = shipped(&name) else {
                bail!("no shipped profile called `{name}`; `sightline profile list` names them");
            };
            return print_out(text.trim_end());
        }
        ProfileCommand::Suggest { file, sheet, out } => (file, sheet, out),
    };
    let sheet = read_sheet(&file, sheet.as_deref())?;
    let draft = sightline_ingest::suggest::suggest(&sheet);
    match out {
        None => print_out(draft.trim_end()),
        Some(path) => {
            use std::io::Write;
            let mut f =
                std::fs::OpenOptions::new().write(true).create_new(true).open(&path).with_context(|| {
                    format!("cannot create {} (an existing file is not overwritten)", path.display())
                })?;
            f.write_all(draft.as_bytes())?;
            eprintln!(
                "Draft profile written to {}: check it against the export before importing with it.",
                path.display()
            );
            Ok(())
        }
    }
}
