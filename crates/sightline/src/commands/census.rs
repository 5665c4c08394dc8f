//! `sightline census`: the CSWW return for a census year, from the store.

use crate::cli::{print_out, runtime};
use anyhow::{bail, Context, Result};
use sightline_core::Calendar;
use sightline_csww::{census_return_with, to_xml, Producer};
use sightline_store::Store;
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CensusArgs {
    #[command(subcommand)]
    action: Option<CensusAction>,
    #[command(flatten)]
    make: MakeArgs,
}

#[derive(clap::Subcommand)]
enum CensusAction {
    /// Check a return (made by Sightline or elsewhere) as DfE and regional partnerships would.
    #[command(long_about = "Check a CSWW return before it is sent: every item against its type and \
code list, and the rules DfE and regional partnerships apply (expected items for employed workers, start \
and leaving dates with their origin, reason and destination, impossible dates, FTE, duplicate records, \
cases held outside case-holding roles, agency cover beyond vacancies, and more). Each finding has a \
code, the worker's SWE number and line, and how to fix it. Exits with 1 when there is an error.")]
    Check {
        /// The return (XML).
        file: PathBuf,
    },
    /// A pseudonymised copy for regional partnerships: SWE numbers as keyed hashes, birth dates cut to the month.
    #[command(long_about = "Make a pseudonymised copy of a return for a regional partnership. Each SWE \
number becomes a keyed hash (HMAC-SHA256 with the key in --key-file, which the authority keeps and never \
sends; the same key gives the same pseudonym every year), and each birth date is cut to the first of its \
month. Make a key once with `sightline census new-key FILE`.")]
    Extract {
        /// The return (XML).
        file: PathBuf,
        /// The authority's key (made by `sightline census new-key`).
        #[arg(long, value_name = "FILE")]
        key_file: PathBuf,
        /// Where to write the copy (an existing file is not overwritten).
        #[arg(long, value_name = "FILE.xml")]
        out: PathBuf,
    },
    /// Set a return beside last year's and flag the swings DfE queries, as an HTML report.
    #[command(long_about = "Set this year's return beside last year's (a file with --previous, or the \
return for the year before imported into the store with --db) and flag every figure DfE compares that \
moved by more than --threshold per cent: headcount, FTE, starters, leavers, turnover, agency, vacancies, \
caseload and absence. Writes an HTML report.")]
    Review {
        /// This year's return (XML).
        file: PathBuf,
        /// Last year's return (XML).
        #[arg(long, value_name = "FILE.xml", conflicts_with = "db", required_unless_present = "db")]
        previous: Option<PathBuf>,
        /// Take last year's return from the store (the `csww` source).
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// Flag a change of more than this many per cent.
        #[arg(long, default_value_t = 10.0)]
        threshold: f64,
        /// Where to write the report (an existing file is not overwritten).
        #[arg(long, value_name = "FILE.html")]
        out: PathBuf,
    },
    /// Make a new random key for pseudonymised extracts (readable only by you).
    NewKey {
        /// Where to keep it; never send it with an extract.
        file: PathBuf,
    },
}

#[derive(clap::Args)]
struct MakeArgs {
    /// The store (see `sightline import`).
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// The census year: 1 October of the year before to 30 September.
    #[arg(long)]
    year: Option<i32>,
    /// The authority's three-digit old LA code.
    #[arg(long, value_name = "NNN")]
    lea: Option<String>,
    /// Where to write the return (an existing file is not overwritten).
    #[arg(long, value_name = "FILE.xml")]
    out: Option<PathBuf>,
}

pub fn run_census(args: CensusArgs) -> Result<()> {
    match args.action {
        Some(CensusAction::Check { file }) => run_check(&file),
        Some(CensusAction::Extract { file, key_file, out }) => run_extract(&file, &key_file, &out),
        Some(CensusAction::NewKey { file }) => new_key(&file),
        Some(CensusAction::Review { file, previous, db, threshold, out }) => {
            run_review(&file, previous.as_deref(), db.as_deref(), threshold, &out)
        }
        None => {
            let m = args.make;
            match (m.db, m.year, m.lea, m.out) {
                (Some(db), Some(year), Some(lea), Some(out)) => make(&db, year, &lea, &out),
                _ => bail!(
                    "to make a return give --db, --year, --lea and --out \
(e.g. sightline census --db sightline.db --year 2025 --lea 839 --out csww-2025.xml); to check one: sightline census check FILE.xml"
                ),
            }
        }
    }
}

fn write_new(path: &std::path::Path, text: &str) -> Result<()> {
    crate::output::write_new_file(path, text.as_bytes())
}

fn new_key(path: &std::path::Path) -> Result<()> {
    write_new(path, &format!("{}\n", sightline_store::credentials::new_token()))?;
    print_out(&format!(
        "A new key is in {} (readable only by you). Keep it; never send it with an extract.",
        path.display()
    ))
}

fn run_extract(file: &std::path::Path, key_file: &std::path::Path, out: &std::path::Path) -> Result<()> {
    let key =
        std::fs::read_to_string(key_file).with_context(|| format!("cannot read the key {}", key_file.display()))?;
    let key = key.trim().as_bytes();
    if key.len() < sightline_csww::MIN_KEY_BYTES {
        bail!("the key in {} is too short; make one with `sightline census new-key FILE`", key_file.display());
    }
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let parsed = sightline_csww::read(&text).with_context(|| format!("{}", file.display()))?;
    if !parsed.problems.is_empty() {
        bail!(
            "{} has {} invalid items; run `sightline census check` and fix them first",
            file.display(),
            parsed.problems.len()
        );
    }
    let copy = sightline_csww::pseudonymise(&parsed.census, key);
    write_new(out, &sightline_csww::to_xml(&copy))?;
    print_out(&format!(
        "Wrote {}: {} worker records, SWE numbers pseudonymised with the key in {}, birth dates cut to the month.",
        out.display(),
        copy.workers.len(),
        key_file.display()
    ))
}

fn read_return(file: &std::path::Path) -> Result<sightline_csww::CensusReturn> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let parsed = sightline_csww::read(&text).with_context(|| format!("{}", file.display()))?;
    if !parsed.problems.is_empty() {
        bail!(
            "{} has {} invalid items; run `sightline census check` and fix them first",
            file.display(),
            parsed.problems.len()
        );
    }
    Ok(parsed.census)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn run_review(
    file: &std::path::Path,
    previous: Option<&std::path::Path>,
    db: Option<&str>,
    threshold: f64,
    out: &std::path::Path,
) -> Result<()> {
    let this = read_return(file)?;
    let year = this.year().context("this return has no census year in its header")?;
    let last = match (previous, db) {
        (Some(p), _) => read_return(p)?,
        (None, Some(db)) => {
            let stored = runtime()?.block_on(async { Store::open(db).await?.stored_returns("csww").await })?;
            let found = stored.into_iter().find(|r| r.year == year - 1).with_context(|| {
                format!("the store holds no {} return (import it with `sightline import --db {db} FILE.xml`)", year - 1)
            })?;
            sightline_csww::read(&found.xml)?.census
        }
        (None, None) => bail!("give --previous FILE.xml or --db URL"),
    };
    let last_year = last.year().unwrap_or(year - 1);
    let rows = sightline_ingest::census::review(&last, &this, &Calendar::england_and_wales(), threshold / 100.0);
    let flagged = rows.iter().filter(|r| r.flagged).count();
    let show = |v: Option<f64>| {
        v.map_or("-".to_string(), |v| if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") })
    };
    let mut table = String::new();
    for r in &rows {
        let change = r.change.map_or("-".to_string(), |c| format!("{:+.1}%", c * 100.0));
        let status = if r.flagged { "<strong>Likely to be queried</strong>" } else { "" };
        table.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{change}</td><td>{status}</td></tr>\n",
            escape(sightline_core::published::field_label(r.figure)),
            show(r.last_year),
            show(r.this_year)
        ));
    }
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>CSWW {year}: year-on-year review</title>\n\
<style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}}\
table{{border-collapse:collapse;width:100%}}th,td{{border-bottom:1px solid #b1b4b6;padding:.4rem;text-align:right}}\
th:first-child{{text-align:left}}caption{{text-align:left;font-weight:700}}</style></head>\n<body><main>\n\
<h1>CSWW {year}: year-on-year review</h1>\n<p>This year's return ({}) beside last year's ({last_year}). \
{flagged} of {} figures changed by more than {threshold}%: DfE is likely to ask about them, so have the reason ready.</p>\n\
<table><caption>Figures worked out from each return, as DfE defines them</caption>\n\
<thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">{last_year}</th><th scope=\"col\">{year}</th>\
<th scope=\"col\">Change</th><th scope=\"col\">Flag</th></tr></thead>\n<tbody>\n{table}</tbody></table>\n</main></body></html>\n",
        escape(&file.display().to_string()),
        rows.len()
    );
    write_new(out, &html)?;
    print_out(&format!(
        "Wrote {}: {flagged} of {} figures flagged (more than {threshold}% change).",
        out.display(),
        rows.len()
    ))
}

fn run_check(file: &std::path::Path) -> Result<()> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (parsed, findings) = sightline_csww::check_document(&text).with_context(|| format!("{}", file.display()))?;
    let errors = findings.iter().filter(|f| f.severity == sightline_csww::Severity::Error).count();
    let mut lines: Vec<String> = findings.iter().map(|f| f.to_string()).collect();
    lines.push(format!(
        "{}: {} worker records; {errors} errors, {} warnings.",
        file.display(),
        parsed.census.workers.len() + parsed.problems.len(),
        findings.len() - errors
    ));
    print_out(&lines.join("\n"))?;
    if errors > 0 {
        bail!("the return has {errors} errors: fix them before sending it");
    }
    Ok(())
}

fn make(db: &str, year: i32, lea: &str, out: &std::path::Path) -> Result<()> {
    if lea.len() != 3 || !lea.bytes().all(|b| b.is_ascii_digit()) {
        bail!("--lea `{}` is not a three-digit old LA code (e.g. 839)", lea);
    }
    if !(2017..=2100).contains(&year) {
        bail!("--year {}: the individual-level return exists from 2017", year);
    }
    if out.exists() {
        bail!("{} already exists; choose another name (nothing was written)", out.display());
    }
    let producer = Producer {
        lea: lea.to_string(),
        software: format!("Sightline {}", env!("CARGO_PKG_VERSION")),
        produced_at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
    };
    let (made, xml) = runtime()?.block_on(async {
        let store = Store::open(db).await?;
        let wf = store.load_workforce().await?;
        let development = store.load_development(&wf).await?;
        let made = census_return_with(&wf, &Calendar::england_and_wales(), year, &producer, Some(&development));
        let xml = to_xml(&made);
        let who = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|v| std::env::var(v).ok())
            .unwrap_or_else(|| "unknown".into());
        let detail = format!("CSWW {} for LA {}: {} records to {}", year, lea, made.workers.len(), out.display());
        store.audit(&format!("cli:{who}"), "census return", &detail).await?;
        anyhow::Ok((made, xml))
    })?;
    // Written whole or not at all: a temporary file beside it, then renamed.
    write_new(out, &xml)?;
    let agency = made.workers.iter().filter(|w| w.agency).count();
    let leavers = made.workers.iter().filter(|w| w.role_end.is_some()).count();
    let v = &made.vacancies;
    print_out(&format!(
        "Wrote {}: the {} return for LA {}, {} worker records ({} employed in post or starting, {leavers} leaving, {agency} agency); \
vacancies {:.2} FTE, agency covering vacancies {:.2} FTE ({} workers). Schema: crates/csww/schema/csww.xsd.",
        out.display(),
        year,
        lea,
        made.workers.len(),
        made.workers.len() - agency - leavers,
        v.number_of_vacancies,
        v.agency_fte,
        v.agency_headcount
    ))
}
