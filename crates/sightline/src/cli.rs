//! What every command shares: printing to standard output, the async
//! runtime the store needs, who is at the keyboard, and reading the years,
//! dates and months a person types.

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use sightline_core::published::Published;

/// Prints to standard output; a reader that stops reading (`| head`) ends
/// the program quietly rather than with an error.
pub fn print_out(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => Ok(other?),
    }
}

/// The async runtime the store needs, for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

/// A runtime for serving: requests on both cores.
pub fn runtime_multi() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// Who runs a command, for the audit log.
pub fn operator() -> String {
    let login =
        ["USER", "LOGNAME", "USERNAME"].iter().find_map(|v| std::env::var(v).ok()).unwrap_or_else(|| "unknown".into());
    format!("cli:{login}")
}

/// Who imports, for the batch: the name given, else the login.
pub fn login_name(given: Option<String>) -> String {
    given.unwrap_or_else(|| {
        ["USER", "LOGNAME", "USERNAME"].iter().find_map(|v| std::env::var(v).ok()).unwrap_or_else(|| "unknown".into())
    })
}

/// Other authorities whose names contain the one asked for (or the reverse):
/// a reorganised authority's successor, or the full form of a short name.
pub fn authority_hint(published: &Published, la: &str) -> String {
    let near = published.authorities_named_like(la);
    if near.is_empty() {
        "Use the name as DfE spells it, or the three-digit old LA code.".to_string()
    } else {
        format!("Did you mean: {}?", near.join("; "))
    }
}

/// A census year or a range of them: 2024, 2019-2025.
pub fn parse_years(text: &str) -> Result<std::ops::RangeInclusive<i32>> {
    let bad = || format!("`{text}` is not a year or a range of years such as 2019-2025");
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let a: i32 = a.trim().parse().with_context(bad)?;
    let b: i32 = b.trim().parse().with_context(bad)?;
    if a > b || !(1990..=2100).contains(&a) || !(1990..=2100).contains(&b) {
        bail!(bad());
    }
    Ok(a..=b)
}

/// A date option (`--by`, `--as-of`), read as [`parse_date`] reads it.
pub fn date_arg(text: &str) -> std::result::Result<NaiveDate, String> {
    sightline_core::words::parse_date(text).map_err(|e| e.to_string())
}

/// A date typed as YYYY-MM-DD, by the core's one reading of dates.
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    Ok(sightline_core::words::parse_date(text)?)
}

/// A month typed as YYYY-MM: its first day.
pub fn parse_month(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .with_context(|| format!("`{text}` is not a month in the form YYYY-MM"))
}
