//! `sightline census`: the CSWW return for a census year, from the store.

use crate::{print_out, runtime};
use anyhow::{bail, Context, Result};
use sightline_core::Calendar;
use sightline_csww::{census_return, to_xml, Producer};
use sightline_store::Store;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct CensusArgs {
    /// The store (see `sightline import`).
    #[arg(long, value_name = "URL")]
    db: String,
    /// The census year: 1 October of the year before to 30 September.
    #[arg(long)]
    year: i32,
    /// The authority's three-digit old LA code.
    #[arg(long, value_name = "NNN")]
    lea: String,
    /// Where to write the return (an existing file is not overwritten).
    #[arg(long, value_name = "FILE.xml")]
    out: PathBuf,
}

pub fn run_census(args: CensusArgs) -> Result<()> {
    if args.lea.len() != 3 || !args.lea.bytes().all(|b| b.is_ascii_digit()) {
        bail!("--lea `{}` is not a three-digit old LA code (e.g. 839)", args.lea);
    }
    if !(2017..=2100).contains(&args.year) {
        bail!("--year {}: the individual-level return exists from 2017", args.year);
    }
    if args.out.exists() {
        bail!("{} already exists; choose another name (nothing was written)", args.out.display());
    }
    let producer = Producer {
        lea: args.lea.clone(),
        software: format!("Sightline {}", env!("CARGO_PKG_VERSION")),
        produced_at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
    };
    let (made, xml) = runtime()?.block_on(async {
        let store = Store::open(&args.db).await?;
        let wf = store.load_workforce().await?;
        let made = census_return(&wf, &Calendar::england_and_wales(), args.year, &producer);
        let xml = to_xml(&made);
        let who = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|v| std::env::var(v).ok())
            .unwrap_or_else(|| "unknown".into());
        let detail =
            format!("CSWW {} for LA {}: {} records to {}", args.year, args.lea, made.workers.len(), args.out.display());
        store.audit(&format!("cli:{who}"), "census return", &detail).await?;
        anyhow::Ok((made, xml))
    })?;
    // Written whole or not at all: a temporary file beside it, then renamed.
    let temp = args.out.with_extension("xml.partial");
    let mut file = std::fs::File::create_new(&temp).with_context(|| format!("cannot create {}", temp.display()))?;
    file.write_all(xml.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&temp, &args.out).with_context(|| format!("cannot write {}", args.out.display()))?;
    let agency = made.workers.iter().filter(|w| w.agency).count();
    let leavers = made.workers.iter().filter(|w| w.role_end.is_some()).count();
    let v = &made.vacancies;
    print_out(&format!(
        "Wrote {}: the {} return for LA {}, {} worker records ({} employed in post or starting, {leavers} leaving, {agency} agency); \
vacancies {:.2} FTE, agency covering vacancies {:.2} FTE ({} workers). Schema: crates/csww/schema/csww.xsd.",
        args.out.display(),
        args.year,
        args.lea,
        made.workers.len(),
        made.workers.len() - agency - leavers,
        v.number_of_vacancies,
        v.agency_fte,
        v.agency_headcount
    ))
}
