//! `sightline profile`: the shipped source profiles, and drafting one from an export.

use super::import::load_profile;
use crate::cli::print_out;
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use sightline_core::words::long_date;
use sightline_ingest::profile::{read_export, shipped, ExportKind, Profile, SHIPPED};
use sightline_ingest::sheet::{is_spreadsheet, read_csv_with, read_sheet};
use sightline_ingest::{list_problems, Strictness};
use std::path::{Path, PathBuf};

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
    /// Show the first rows of an export as Sightline will read them with a profile, before any import.
    #[command(long_about = "Read an export with a profile and show what Sightline makes of it, \
without importing anything: where the headings were found, how many rows read and which did not (each \
named with its line, column, value and rule), and the first rows as they will be read (person, team, \
role, FTE, dates). Team names are shown as the export writes them: a team map applies when importing.\n\n\
Example:\n  sightline profile check staff.xlsx --profile profiles/our-hr.toml")]
    Check {
        /// The export: CSV, or a spreadsheet.
        file: PathBuf,
        /// The profile: a file, or the name of a shipped profile.
        #[arg(long, value_name = "FILE")]
        profile: PathBuf,
        /// How many rows to show.
        #[arg(long, default_value_t = 10)]
        rows: usize,
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
        ProfileCommand::Check { file, profile, rows } => return check(&file, &profile, rows),
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

/// `profile check`: the export as the profile reads it.
fn check(file: &Path, profile: &Path, shown: usize) -> Result<()> {
    let (profile, _) = load_profile(profile)?;
    let sheet = if is_spreadsheet(file) {
        read_sheet(file, profile.sheet.as_deref())?
    } else {
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
        read_csv_with(&name, &bytes, profile.delimiter_byte())?
    };
    let sheet = sheet.headed(&profile.headings(), profile.header_row)?;
    let data = read_export(&sheet, &profile, Strictness::Lenient)?;
    let wf = &data.workforce;
    let when = |d: Option<NaiveDate>| d.map_or("-".to_string(), long_date);
    let mut text = format!(
        "{} read as a `{}` export: {} data rows, {} read, {} with problems.\n",
        sheet.name,
        profile.kind.as_str(),
        data.rows_read,
        data.rows_read - data.skipped.len(),
        data.skipped.len()
    );
    if sheet.header_line > 1 {
        text.push_str(&format!("The headings are on line {}; what is above them is set aside.\n", sheet.header_line));
    }
    if !data.skipped.is_empty() {
        text.push_str(&format!(
            "Problems (an import stops at these unless --lenient), the first {} of {}:\n{}\n",
            data.skipped.len().min(shown),
            data.skipped.len(),
            list_problems(&data.skipped[..data.skipped.len().min(shown)])
        ));
    }
    let mut table = vec![];
    match profile.kind {
        ExportKind::Hr | ExportKind::Agency => {
            table.push(["Person", "Team", "Role", "Contract", "FTE", "From", "To"].map(String::from).to_vec());
            for s in wf.spells().iter().take(shown) {
                table.push(vec![
                    wf.person(s.person).id.clone(),
                    wf.team_name(s.team).to_string(),
                    format!("{} {}", s.org_role.code(), s.org_role.label()),
                    s.kind.as_str().to_string(),
                    format!("{:.2}", s.fte),
                    long_date(s.start),
                    when(s.end),
                ]);
            }
        }
        ExportKind::Establishment => {
            table.push(["Team", "Funded FTE", "From", "To"].map(String::from).to_vec());
            for e in wf.establishment().iter().take(shown) {
                table.push(vec![
                    wf.team_name(e.team).to_string(),
                    format!("{:.2}", e.fte),
                    long_date(e.start),
                    when(e.end),
                ]);
            }
        }
        ExportKind::Absence => {
            table.push(["Person", "Reason", "From", "To", "Days lost"].map(String::from).to_vec());
            for a in wf.absences().iter().take(shown) {
                table.push(vec![
                    wf.person(a.person).id.clone(),
                    a.reason.code().to_string(),
                    long_date(a.start),
                    long_date(a.end),
                    a.days_lost.map_or("-".to_string(), |d| d.to_string()),
                ]);
            }
        }
        ExportKind::Caseload => {
            table.push(["Person", "Date", "Cases"].map(String::from).to_vec());
            for c in wf.caseloads().iter().take(shown) {
                table.push(vec![wf.person(c.person).id.clone(), long_date(c.date), c.cases.to_string()]);
            }
        }
        ExportKind::Asye
        | ExportKind::Supervision
        | ExportKind::Development
        | ExportKind::Registration
        | ExportKind::Grades => {
            table.push(["Person", "What", "From", "To", "Details"].map(String::from).to_vec());
            let mut lines = data.development.timeline();
            lines.sort_by_key(|(p, _, from, _, _)| (wf.person(*p).id.clone(), *from));
            for (p, what, from, to, detail) in lines.into_iter().take(shown) {
                table.push(vec![wf.person(p).id.clone(), what.to_string(), long_date(from), when(to), detail]);
            }
        }
        ExportKind::Exit | ExportKind::Survey | ExportKind::Er => {
            // What the rows say, without the free text of exit interviews.
            table.push(["Person", "What", "Date", "Details"].map(String::from).to_vec());
            let who =
                |p: Option<sightline_core::PersonIdx>| p.map_or("anonymous".to_string(), |p| wf.person(p).id.clone());
            let v = &data.voice;
            for e in v.exits.iter().take(shown) {
                let reasons: Vec<&str> = e.reasons.iter().map(|r| r.as_str()).collect();
                table.push(vec![who(e.person), "exit interview".into(), long_date(e.date), reasons.join(", ")]);
            }
            for a in v.answers.iter().take(shown) {
                let theme = a.theme.clone().unwrap_or_else(|| "no theme".into());
                let detail = format!("{}: {} ({theme}, score {:.0})", a.question, a.answer, a.score);
                table.push(vec![who(a.person), format!("answer, {}", a.wave), long_date(a.date), detail]);
            }
            for c in v.er_cases.iter().take(shown) {
                let detail = format!(
                    "{}{}",
                    c.kind.as_str(),
                    c.closed.map_or(String::new(), |d| format!(", closed {}", long_date(d)))
                );
                table.push(vec![who(Some(c.person)), "ER case".into(), long_date(c.opened), detail]);
            }
        }
        ExportKind::Recruitment | ExportKind::Payments | ExportKind::PriceCaps | ExportKind::RegionalLeavers => {
            table.push(["Reference", "What", "Date", "Details"].map(String::from).to_vec());
            let r = &data.recruitment;
            for v in r.vacancies.iter().take(shown) {
                let route = v.route.map_or("route not recorded", |r| r.as_str());
                let end = match (v.start_date, v.withdrawn, v.closed) {
                    (Some(d), _, _) => format!("started {}", long_date(d)),
                    (_, Some(d), _) => format!("withdrawn {}", long_date(d)),
                    (_, _, Some(d)) => format!("closed {}", long_date(d)),
                    _ => "open".to_string(),
                };
                table.push(vec![v.reference.clone(), format!("vacancy, {route}"), long_date(v.advertised), end]);
            }
            for p in r.payments.iter().take(shown) {
                let terms = p.clawback_months.map_or("no clawback".to_string(), |m| format!("clawback {m} months"));
                let detail = format!("{}, {}, {terms}", p.scheme, sightline_core::words::money(p.amount));
                table.push(vec![wf.person(p.person).id.clone(), "payment".into(), long_date(p.paid), detail]);
            }
            for c in r.price_caps.iter().take(shown) {
                let detail = format!("{}: £{:.2} an hour, to {}", c.role_type.as_str(), c.cap, when(c.to));
                table.push(vec![c.region.clone(), "price cap".into(), long_date(c.from), detail]);
            }
            for l in r.regional_leavers.iter().take(shown) {
                let detail = l.employer.clone().unwrap_or_default();
                table.push(vec![l.swe_no.clone(), "left a permanent post".into(), long_date(l.left), detail]);
            }
        }
    }
    let widths: Vec<usize> =
        (0..table[0].len()).map(|i| table.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    text.push_str(&format!("The first {} as Sightline reads them (by person, then date):\n", table.len() - 1));
    for row in &table {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        text.push_str(&format!("  {}\n", cells.join("  ").trim_end()));
    }
    print_out(text.trim_end())
}
