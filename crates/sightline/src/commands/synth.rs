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
    print_out(&text)
}
