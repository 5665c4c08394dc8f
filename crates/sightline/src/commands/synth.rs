//! `sightline synth`: a synthetic (practice) authority.

use crate::cli::print_out;
use crate::cli::{authority_hint, parse_years};
use crate::output;
use anyhow::{bail, Context, Result};
use sightline_core::published::Published;
use sightline_core::Calendar;
use sightline_ingest::{check_synthetic_dir, write_synthetic_dir};
use sightline_synth::{synthesize, Basis, Request};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct SynthArgs {
    /// The authority to model, by name (as DfE spells it) or old LA code, e.g. 839.
    #[arg(long, value_name = "NAME_OR_CODE", conflicts_with = "people", required_unless_present = "people")]
    pub(crate) la: Option<String>,
    /// Instead of --la: about how many social workers the made-up authority has.
    #[arg(long, value_name = "N")]
    pub(crate) people: Option<u32>,
    /// Census years to build, e.g. 2021 or 2019-2025.
    #[arg(long, value_name = "YYYY or FROM-TO")]
    pub(crate) years: String,
    /// The same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Where to write the data folder.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// Caseload snapshots a year for each case holder (12 = monthly).
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=12))]
    pub(crate) snapshots_per_year: u32,
    /// Also write the authority as a council's systems would export it, with
    /// the profiles (and any team map) that read the exports, in DIR/exports.
    /// STYLE `two-councils` (the default): a council formed from two legacy
    /// councils (a payroll, an HR spreadsheet, agency, caseload, absence and
    /// finance exports, a team map; the data folder is then the same
    /// workforce with some posts split into two held at once, as the exports
    /// have them). `reorganised`: a council moving from a legacy HR system to
    /// a new one.
    #[arg(long, value_name = "STYLE", num_args = 0..=1, default_missing_value = "two-councils")]
    pub(crate) exports: Option<String>,
    /// Also write practice development for the same people (early careers,
    /// supervision, CPD, registration, grades) as the five development
    /// exports, with profiles that join them to the data folder imported as
    /// source `canonical`, in DIR/development.
    #[arg(long)]
    pub(crate) development: bool,
    /// Also write staff voice for the same people (exit interviews for most
    /// leavers, a pulse survey twice a year, ER casework) as the three
    /// staff-voice exports with their profiles, in DIR/voice.
    #[arg(long)]
    pub(crate) voice: bool,
    /// Also write recruitment for the same people (a vacancy for each
    /// starter, incentive and retention payments, the region's price caps,
    /// a regional list of leavers) as the four exports with their profiles,
    /// in DIR/recruitment.
    #[arg(long)]
    pub(crate) recruitment: bool,
    /// Also write the wider workforce beside the social workers (social work
    /// assistants, family support, early help, personal advisers, business
    /// support, with directorates and sickness) and the social workers'
    /// maternity leave, secondments and suspensions, in DIR/wider.
    #[arg(long)]
    pub(crate) wider: bool,
}

pub fn run_synth(args: SynthArgs) -> Result<()> {
    let years = parse_years(&args.years)?;
    check_synthetic_dir(&args.out)?;
    let basis = match (&args.la, args.people) {
        (Some(la), _) => {
            let published = Published::shipped();
            let rows: Vec<_> = published.authority(la).into_iter().cloned().collect();
            let Some(first) = rows.first() else {
                bail!(
                    "no local authority called `{la}` in DfE's published figures. {}",
                    authority_hint(&published, la)
                );
            };
            let authority = first.la_name.clone();
            if !rows.iter().any(|r| years.contains(&r.time_period)) {
                let available: Vec<String> = rows.iter().map(|r| r.time_period.to_string()).collect();
                bail!(
                    "DfE publishes figures for {authority} only for {}. {}",
                    available.join(", "),
                    authority_hint(&published, &authority)
                );
            }
            Basis::Published { authority, rows }
        }
        (None, Some(people)) => Basis::Size { people },
        (None, None) => bail!("say which authority to model (--la) or how large (--people)"),
    };
    let mut request = Request::new(basis, years, args.seed);
    request.detail.snapshots_per_year = args.snapshots_per_year;
    let calendar = Calendar::england_and_wales();
    let mut synthesis = synthesize(&request, &calendar)?;
    let exports = match &args.exports {
        Some(style) => {
            let Some(made) = sightline_synth::exports::exports(style, &synthesis.workforce) else {
                bail!("no export style called `{style}` (styles: {})", sightline_synth::exports::STYLES.join(", "));
            };
            let exports = made?;
            synthesis.workforce = exports.workforce.clone();
            Some(exports)
        }
        None => None,
    };
    write_synthetic_dir(&synthesis.workforce, &args.out)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let mut text = output::synth_summary(&synthesis, &args.out);
    if let Some(exports) = exports {
        let dir = args.out.join("exports");
        let imports = exports.write(&dir).with_context(|| format!("cannot write {}", dir.display()))?;
        text.push_str(&format!("\nThe exports, with their profiles, are in {}. Import them with:", dir.display()));
        if let Some(map) = exports.team_map() {
            text.push_str(&format!("\n  sightline teams map {} --db sightline.db", dir.join(map).display()));
        }
        for (profile, file) in imports {
            text.push_str(&format!(
                "\n  sightline import --db sightline.db --profile {} {}",
                profile.display(),
                file.display()
            ));
        }
    }
    if args.development {
        let dir = args.out.join("development");
        let files = write_development(&synthesis.workforce, &dir, args.seed, "canonical")?;
        text.push_str(&format!(
            "\nPractice development for the same people is in {}. Import it after the data folder \
(`sightline import --db sightline.db {}`) with:",
            dir.display(),
            args.out.display()
        ));
        for (profile, file) in files {
            text.push_str(&format!(
                "\n  sightline import --db sightline.db --profile {} {}",
                profile.display(),
                file.display()
            ));
        }
    }
    let more = [
        (args.voice, "voice", "Staff voice"),
        (args.recruitment, "recruitment", "Recruitment, payments, price caps and the regional list of leavers"),
        (args.wider, "wider", "The wider workforce and the social workers' leave"),
    ];
    for (wanted, folder, what) in more {
        if !wanted {
            continue;
        }
        let dir = args.out.join(folder);
        let files = match folder {
            "voice" => write_voice(&synthesis.workforce, &dir, args.seed, "canonical")?,
            "wider" => write_wider(&synthesis.workforce, &dir, args.seed, "canonical")?,
            _ => write_recruitment(&synthesis.workforce, &dir, args.seed, "canonical")?,
        };
        text.push_str(&format!("\n{what} for the same people is in {}. Import it with:", dir.display()));
        for (profile, file) in files {
            text.push_str(&format!(
                "\n  sightline import --db sightline.db --profile {} {}",
                profile.display(),
                file.display()
            ));
        }
    }
    print_out(&text)
}

/// The span of `wf`'s records: its first spell's start to the last date it speaks of.
fn span(wf: &sightline_core::Workforce) -> Result<(sightline_core::Date, sightline_core::Date)> {
    let from = wf.spells().iter().map(|s| s.start).min().context("the workforce has no spells")?;
    Ok((from, wf.latest_date().unwrap_or(from)))
}

/// Writes synthetic staff-voice exports for `wf` into `dir`, each with its
/// shipped profile joined to the source `people_from`; the (profile,
/// export) paths, in the order to import them.
pub fn write_voice(
    wf: &sightline_core::Workforce,
    dir: &std::path::Path,
    seed: u64,
    people_from: &str,
) -> Result<Vec<(PathBuf, PathBuf)>> {
    let (from, to) = span(wf)?;
    let records = sightline_synth::voice::voice(wf, &Calendar::england_and_wales(), from, to, seed);
    write_exports(dir, sightline_synth::voice::exports(wf, &records), &sightline_synth::voice::EXPORTS, people_from)
}

/// Writes synthetic recruitment, payments, price caps and a regional list
/// of leavers for `wf` into `dir`, each with its shipped profile joined to
/// the source `people_from`; the (profile, export) paths, in the order to import them.
pub fn write_recruitment(
    wf: &sightline_core::Workforce,
    dir: &std::path::Path,
    seed: u64,
    people_from: &str,
) -> Result<Vec<(PathBuf, PathBuf)>> {
    let (from, to) = span(wf)?;
    let records = sightline_synth::recruitment::recruitment(wf, from, to, seed);
    write_exports(
        dir,
        sightline_synth::recruitment::exports(wf, &records),
        &sightline_synth::recruitment::EXPORTS,
        people_from,
    )
}

/// Writes the wider workforce beside `wf`'s social workers (with its
/// absences) and the social workers' leave (maternity, secondments,
/// suspensions) into `dir`, each with its profile (the social workers'
/// leave joined to `people_from`, the wider workforce's absences to its own
/// source); the (profile, export) paths, in the order to import them.
pub fn write_wider(
    wf: &sightline_core::Workforce,
    dir: &std::path::Path,
    seed: u64,
    people_from: &str,
) -> Result<Vec<(PathBuf, PathBuf)>> {
    let (from, to) = span(wf)?;
    let absence = sightline_ingest::shipped("absence-episodes").context("a shipped profile")?;
    let profiles = [
        (
            "wider-workforce.toml",
            sightline_ingest::shipped("wider-workforce").context("a shipped profile")?.to_string(),
        ),
        (
            "wider-absences.toml",
            absence
                .replace("source = \"absence\"", "source = \"wider-absence\"")
                .replace("xref_source = \"hr\"", "xref_source = \"wider\""),
        ),
        (
            "social-worker-leave.toml",
            absence
                .replace("source = \"absence\"", "source = \"leave\"")
                .replace("xref_source = \"hr\"", &format!("xref_source = \"{people_from}\"")),
        ),
    ];
    let exports = sightline_synth::wider::exports(wf, from, to, seed);
    write_pairs(
        dir,
        exports
            .into_iter()
            .zip(profiles)
            .map(|((file, text), (name, profile))| (file, text, name.to_string(), profile)),
    )
}

/// Writes synthetic development exports for `wf` (over the years its spells
/// cover) into `dir`, each with its shipped profile joined to the source
/// `people_from`; the (profile, export) paths, in the order to import them.
pub fn write_development(
    wf: &sightline_core::Workforce,
    dir: &std::path::Path,
    seed: u64,
    people_from: &str,
) -> Result<Vec<(PathBuf, PathBuf)>> {
    let (from, to) = span(wf)?;
    let records = sightline_synth::development::development(wf, from, to, seed);
    let exports = sightline_synth::development::exports(wf, &records);
    write_exports(dir, exports, &sightline_synth::development::EXPORTS, people_from)
}

/// Writes each export (file name, text) beside the shipped profile of the
/// same place in `profiles`, that profile's people joined to `people_from`
/// (an export keyed by SWE number names no source and is left as it is).
fn write_exports(
    dir: &std::path::Path,
    exports: Vec<(String, String)>,
    profiles: &[&str],
    people_from: &str,
) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut pairs = Vec::new();
    for ((file, text), name) in exports.into_iter().zip(profiles) {
        let profile = sightline_ingest::shipped(name).context("a shipped profile")?;
        let profile = profile.replace("xref_source = \"hr\"", &format!("xref_source = \"{people_from}\""));
        pairs.push((file, text, format!("{name}.toml"), profile));
    }
    write_pairs(dir, pairs)
}

/// Writes each (export file, its text, profile file, its TOML) into `dir`; the (profile, export) paths.
fn write_pairs(
    dir: &std::path::Path,
    pairs: impl IntoIterator<Item = (String, String, String, String)>,
) -> Result<Vec<(PathBuf, PathBuf)>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot write {}", dir.display()))?;
    let mut out = Vec::new();
    for (file, text, name, profile) in pairs {
        let (toml, csv) = (dir.join(name), dir.join(file));
        std::fs::write(&toml, profile).with_context(|| format!("cannot write {}", toml.display()))?;
        std::fs::write(&csv, text).with_context(|| format!("cannot write {}", csv.display()))?;
        out.push((toml, csv));
    }
    Ok(out)
}
