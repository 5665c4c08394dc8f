//! The children's social work workforce census (CSWW) return: the statutory
//! annual return every English local authority makes to DfE for the year
//! 1 October to 30 September (docs/data-formats.md has the format).
//!
//! This crate holds the return as a document ([`CensusReturn`]), makes it
//! from the workforce ([`census_return`]), writes it ([`to_xml`]) and reads
//! it from XML, checking every item against its type and code list. Its XML
//! Schema is `schema/csww.xsd`. Turning a return into workforce history is
//! `sightline-ingest`'s job.

// No panic reachable from a request or a file: every unwrap or expect outside
// tests is refused, or allowed where it is said why it cannot fail.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

mod build;
mod check;
mod extract;
pub mod schema;
mod write;

pub use build::{census_return, census_return_with, Producer};
pub use check::{check, check_document, Finding, Severity};
pub use extract::{pseudonym, pseudonymise, MIN_KEY_BYTES};
pub use write::to_xml;

use chrono::NaiveDate;
use quick_xml::events::Event;
use quick_xml::Reader;
use sightline_core::{AbsenceReason, Gender, OrgRole, ReasonLeave};
use std::fmt;
use thiserror::Error;

/// `Header/CollectionDetails` and `Header/Source`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    pub collection: Option<String>,
    pub year: Option<i32>,
    pub reference_date: Option<NaiveDate>,
    pub source_level: Option<String>,
    /// The three-digit old LA code.
    pub lea: Option<String>,
    pub software_code: Option<String>,
    pub date_time: Option<String>,
}

/// `LALevelVacancies`: the authority's vacancies at 30 September.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LaVacancies {
    /// FTE vacancies.
    pub number_of_vacancies: f64,
    /// FTE of agency workers covering vacancies.
    pub agency_fte: f64,
    /// Headcount of agency workers covering vacancies.
    pub agency_headcount: u32,
}

/// One `CSWWWorker` record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Worker {
    /// Line of the record in the XML, for messages.
    pub line: u64,
    pub agency: bool,
    pub swe_no: String,
    pub fte: Option<f64>,
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub ethnicity: Option<String>,
    pub qual_inst: Vec<String>,
    pub qual_level: Option<u8>,
    pub step_up: Option<bool>,
    pub org_role: Option<OrgRole>,
    pub role_start: Option<NaiveDate>,
    pub start_origin: Option<u8>,
    pub role_end: Option<NaiveDate>,
    pub leaver_destination: Option<u8>,
    pub reason_leave: Option<ReasonLeave>,
    /// FTE at 30 September.
    pub fte30: Option<f64>,
    /// Cases held at 30 September.
    pub cases30: Option<u32>,
    /// Working days lost to sickness in the year.
    pub working_days_lost: Option<f64>,
    pub contract_weeks: Vec<f64>,
    pub frontline: Option<bool>,
    pub absent_30_sept: Vec<bool>,
    pub reason_absence: Vec<AbsenceReason>,
    pub cfkss_status: Vec<u8>,
}

/// A whole return.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CensusReturn {
    pub header: Option<Header>,
    pub vacancies: LaVacancies,
    pub workers: Vec<Worker>,
}

impl CensusReturn {
    /// The census year: the header's `Year`, else the year of its `ReferenceDate`.
    pub fn year(&self) -> Option<i32> {
        let h = self.header.as_ref()?;
        h.year.or(h.reference_date.map(|d| chrono::Datelike::year(&d)))
    }
}

/// An item that breaks its type or code list, or a rule between items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemProblem {
    pub line: u64,
    /// The element, as `CSWWWorker/OrgRole`.
    pub element: String,
    pub value: String,
    pub rule: String,
}

impl fmt::Display for ItemProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, <{}>", self.line, self.element)?;
        if !self.value.is_empty() {
            write!(f, " `{}`", self.value)?;
        }
        write!(f, ": {}", self.rule)
    }
}

/// A document that cannot be read as a return at all.
#[derive(Debug, Error)]
pub enum CswwError {
    #[error("line {line}: not well-formed XML: {message}")]
    Xml { line: u64, message: String },
    #[error("not a CSWW return: {0}")]
    NotAReturn(String),
}

/// A return read, with the worker records left out for breaking a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub census: CensusReturn,
    /// Each problem found; a worker with any problem is not in `census.workers`.
    pub problems: Vec<ItemProblem>,
    /// Values read as other than written (a SWE number in lower case read
    /// in capitals): the worker is kept, and the change said.
    pub corrections: Vec<ItemProblem>,
}

fn line_at(text: &str, offset: usize) -> u64 {
    1 + memchr_count(text.as_bytes().get(..offset.min(text.len())).unwrap_or_default())
}

fn memchr_count(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

/// Reads a return from its XML text. Structure errors (not XML, no
/// `Message`, no `LALevelVacancies`, bad vacancy figures) fail the whole
/// read; an item that breaks its type or code list leaves its worker out
/// and is reported.
pub fn read(text: &str) -> Result<Parsed, CswwError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut path: Vec<String> = Vec::new();
    let mut census = CensusReturn::default();
    let mut problems = Vec::new();
    let mut worker: Option<(Worker, Vec<ItemProblem>)> = None;
    // The items a worker record gives, and its SWE number as written.
    let mut items: Vec<String> = Vec::new();
    let mut swe_written = String::new();
    let mut corrections = Vec::new();
    let mut header: Option<Header> = None;
    let mut vacancies: Option<(Option<f64>, Option<f64>, Option<u32>)> = None;
    let mut saw_message = false;
    let mut text_buf = String::new();
    let mut element_line = 0;
    loop {
        let offset = reader.buffer_position() as usize;
        let event =
            reader.read_event().map_err(|e| CswwError::Xml { line: line_at(text, offset), message: e.to_string() })?;
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                element_line = line_at(text, offset);
                match (path.len(), name.as_str()) {
                    (0, "Message") => saw_message = true,
                    (0, other) => {
                        return Err(CswwError::NotAReturn(format!("the root element is <{other}>, not <Message>")))
                    }
                    (1, "Header") => header = Some(Header::default()),
                    (1, "LALevelVacancies") => vacancies = Some((None, None, None)),
                    (1, "CSWWWorker") => {
                        worker = Some((Worker { line: element_line, ..Worker::default() }, Vec::new()));
                        items.clear();
                        swe_written.clear();
                    }
                    _ => {}
                }
                path.push(name);
                text_buf.clear();
            }
            Event::Empty(e) => {
                // An empty element holds no value: as if it were absent.
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if path.is_empty() {
                    return Err(CswwError::NotAReturn(format!("the root element is <{name}/>, with nothing in it")));
                }
                if path.len() == 1 && name == "CSWWWorker" {
                    problems.push(ItemProblem {
                        line: line_at(text, offset),
                        element: "CSWWWorker".into(),
                        value: String::new(),
                        rule: "an empty worker record: a worker needs at least AgencyWorker, SWENo and QualInst".into(),
                    });
                }
            }
            Event::Text(t) => {
                let value =
                    t.unescape().map_err(|e| CswwError::Xml { line: line_at(text, offset), message: e.to_string() })?;
                text_buf.push_str(&value);
            }
            Event::CData(t) => text_buf.push_str(&String::from_utf8_lossy(&t)),
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let value = std::mem::take(&mut text_buf).trim().to_string();
                let parent = path.last().map(String::as_str).unwrap_or("");
                let top = path.get(1).map(String::as_str);
                match (path.len(), name.as_str()) {
                    (1, "CSWWWorker") => {
                        let Some((w, mut found)) = worker.take() else { continue };
                        // The schema's mandatory items (minOccurs 1).
                        for item in ["AgencyWorker", "SWENo", "QualInst"] {
                            if !items.iter().any(|i| i == item) {
                                found.push(ItemProblem {
                                    line: w.line,
                                    element: format!("CSWWWorker/{item}"),
                                    value: String::new(),
                                    rule: "mandatory, but missing".into(),
                                });
                            }
                        }
                        check_worker(&w, &mut found);
                        if found.is_empty() && swe_written != w.swe_no {
                            corrections.push(ItemProblem {
                                line: w.line,
                                element: "CSWWWorker/SWENo".into(),
                                value: swe_written.clone(),
                                rule: format!("not in capitals, as the schema has it: read as {}", w.swe_no),
                            });
                        }
                        if found.is_empty() {
                            census.workers.push(w);
                        } else {
                            problems.extend(found);
                        }
                    }
                    (1, "Header") => census.header = header.take(),
                    (1, "LALevelVacancies") => {
                        let Some((v, f, h)) = vacancies.take() else { continue };
                        let missing = |what: &str| {
                            CswwError::NotAReturn(format!("<LALevelVacancies> has no <{what}>, which is mandatory"))
                        };
                        census.vacancies = LaVacancies {
                            number_of_vacancies: v.ok_or_else(|| missing("NumberOfVacancies"))?,
                            agency_fte: f.ok_or_else(|| missing("NoAgencyFTE"))?,
                            agency_headcount: h.ok_or_else(|| missing("NoAgencyHeadcount"))?,
                        };
                    }
                    _ if top == Some("CSWWWorker") && path.len() == 2 => {
                        items.push(name.clone());
                        if name == "SWENo" {
                            swe_written = value.clone();
                        }
                        if let Some((w, found)) = worker.as_mut() {
                            if let Err(rule) = set_worker_item(w, &name, &value) {
                                found.push(ItemProblem {
                                    line: element_line,
                                    element: format!("CSWWWorker/{name}"),
                                    value,
                                    rule,
                                });
                            }
                        }
                    }
                    _ if top == Some("LALevelVacancies") && path.len() == 2 => {
                        let Some(v) = vacancies.as_mut() else { continue };
                        let bad = |rule: &str| {
                            CswwError::NotAReturn(format!("line {element_line}: <{name}> `{value}`: {rule}"))
                        };
                        match name.as_str() {
                            "NumberOfVacancies" => v.0 = Some(non_negative(&value).map_err(|r| bad(&r))?),
                            "NoAgencyFTE" => v.1 = Some(non_negative(&value).map_err(|r| bad(&r))?),
                            "NoAgencyHeadcount" => v.2 = Some(value.parse().map_err(|_| bad("not a whole number"))?),
                            _ => {}
                        }
                    }
                    _ if top == Some("Header") => {
                        if let Some(h) = header.as_mut() {
                            match (parent, name.as_str()) {
                                ("CollectionDetails", "Collection") => h.collection = Some(value),
                                ("CollectionDetails", "Year") => {
                                    h.year = value.parse().ok().filter(|y| (1990..=2100).contains(y))
                                }
                                ("CollectionDetails", "ReferenceDate") => h.reference_date = parse_date(&value),
                                ("Source", "SourceLevel") => h.source_level = Some(value),
                                ("Source", "LEA") => h.lea = Some(value),
                                ("Source", "SoftwareCode") => h.software_code = Some(value),
                                ("Source", "DateTime") => h.date_time = Some(value),
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_message {
        return Err(CswwError::NotAReturn("there is no <Message> element".into()));
    }
    if census.vacancies == LaVacancies::default() && !text.contains("LALevelVacancies") {
        return Err(CswwError::NotAReturn("there is no <LALevelVacancies>, which is mandatory".into()));
    }
    Ok(Parsed { census, problems, corrections })
}

fn parse_date(t: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok()
}

fn non_negative(t: &str) -> Result<f64, String> {
    match t.parse::<f64>() {
        Ok(n) if n >= 0.0 && n.is_finite() => Ok(n),
        _ => Err("not a number of 0 or more".into()),
    }
}

fn code(t: &str, allowed: std::ops::RangeInclusive<u8>) -> Result<u8, String> {
    t.parse::<u8>()
        .ok()
        .filter(|c| allowed.contains(c))
        .ok_or_else(|| format!("not a code from {} to {}", allowed.start(), allowed.end()))
}

fn flag(t: &str) -> Result<bool, String> {
    match t {
        "0" => Ok(false),
        "1" => Ok(true),
        _ => Err("not 0 or 1".into()),
    }
}

fn fraction(t: &str) -> Result<f64, String> {
    match t.parse::<f64>() {
        Ok(n) if (0.0..=1.0).contains(&n) => Ok(n),
        _ => Err("not an FTE from 0 to 1".into()),
    }
}

/// Sets one item of a worker record from its text.
fn set_worker_item(w: &mut Worker, name: &str, v: &str) -> Result<(), String> {
    let date = || parse_date(v).ok_or_else(|| "not a date (YYYY-MM-DD)".to_string());
    match name {
        "AgencyWorker" => w.agency = flag(v)?,
        "SWENo" => w.swe_no = v.to_ascii_uppercase(),
        "FTE" => w.fte = Some(fraction(v)?),
        "PersonBirthDate" => w.birth_date = Some(date()?),
        "GenderCurrent" => {
            w.gender = Some(v.parse::<u8>().ok().and_then(Gender::from_code).ok_or("not 0, 1, 2 or 9")?);
        }
        "Ethnicity" => {
            if !sightline_core::codes::ETHNICITY_CODES.contains(&v) {
                return Err("not a CSWW ethnicity code".into());
            }
            w.ethnicity = Some(v.to_string());
        }
        "QualInst" => w.qual_inst.push(v.to_string()),
        "QualLevel" => w.qual_level = Some(code(v, 1..=3)?),
        "StepUpGrad" => w.step_up = Some(flag(v)?),
        "OrgRole" => w.org_role = OrgRole::from_code(code(v, 1..=6)?),
        "RoleStartDate" => w.role_start = Some(date()?),
        "StartOrigin" => w.start_origin = Some(code(v, 1..=10)?),
        "RoleEndDate" => w.role_end = Some(date()?),
        "LeaverDestination" => w.leaver_destination = Some(code(v, 1..=9)?),
        "ReasonLeave" => w.reason_leave = ReasonLeave::from_code(code(v, 1..=10)?),
        "FTE30" => w.fte30 = Some(fraction(v)?),
        "Cases30" => w.cases30 = Some(v.parse().map_err(|_| "not a whole number of 0 or more")?),
        "WorkingDaysLost" => w.working_days_lost = Some(non_negative(v)?),
        "ContractWeeks" => w.contract_weeks.push(non_negative(v)?),
        "FrontlineGrad" => w.frontline = Some(flag(v)?),
        "Absat30Sept" => w.absent_30_sept.push(flag(v)?),
        "ReasonAbsence" => {
            w.reason_absence.push(
                AbsenceReason::from_code(v).filter(|r| r.is_csww()).ok_or("not MAT, OTH, PUB, SIC, TRN, UNA or UNP")?,
            );
        }
        "CFKSSstatus" => w.cfkss_status.push(code(v, 1..=4)?),
        _ => {}
    }
    Ok(())
}

/// The rules between a worker's items that a return must keep.
fn check_worker(w: &Worker, found: &mut Vec<ItemProblem>) {
    let mut problem = |element: &str, value: String, rule: &str| {
        found.push(ItemProblem {
            line: w.line,
            element: format!("CSWWWorker/{element}"),
            value,
            rule: rule.to_string(),
        });
    };
    let swe = w.swe_no.as_bytes();
    let well_formed = swe.len() == 12
        && swe.iter().take(2).all(u8::is_ascii_alphabetic)
        && swe.iter().skip(2).all(u8::is_ascii_digit);
    if !well_formed {
        problem("SWENo", w.swe_no.clone(), "mandatory: 2 letters, then 10 digits (the schema's SweNo)");
    }
    if w.role_end.is_some() != w.reason_leave.is_some() || w.role_end.is_some() != w.leaver_destination.is_some() {
        problem(
            "RoleEndDate",
            w.role_end.map(|d| d.to_string()).unwrap_or_default(),
            "ReasonLeave and LeaverDestination are given exactly when RoleEndDate is",
        );
    }
    if w.role_start.is_some() != w.start_origin.is_some() {
        problem(
            "RoleStartDate",
            w.role_start.map(|d| d.to_string()).unwrap_or_default(),
            "RoleStartDate is given exactly when StartOrigin is",
        );
    }
    if let (Some(s), Some(e)) = (w.role_start, w.role_end) {
        if e < s {
            problem("RoleEndDate", e.to_string(), "before RoleStartDate");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RETURN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CSWW</Collection><Year>2024</Year><ReferenceDate>2024-09-30</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>839</LEA><SoftwareCode>Test</SoftwareCode><DateTime>2024-10-20T10:00:00</DateTime></Source>
  </Header>
  <LALevelVacancies><NumberOfVacancies>12.50</NumberOfVacancies><NoAgencyFTE>8.00</NoAgencyFTE><NoAgencyHeadcount>8</NoAgencyHeadcount></LALevelVacancies>
  <CSWWWorker>
    <AgencyWorker>0</AgencyWorker><SWENo>SW1000000001</SWENo><PersonBirthDate>1985-02-03</PersonBirthDate>
    <GenderCurrent>2</GenderCurrent><Ethnicity>WBRI</Ethnicity><QualInst>Open University</QualInst><QualInst>UEA</QualInst>
    <StepUpGrad>0</StepUpGrad><OrgRole>5</OrgRole><RoleStartDate>2020-04-01</RoleStartDate><StartOrigin>2</StartOrigin>
    <FTE30>0.8</FTE30><Cases30>17</Cases30><WorkingDaysLost>4.50</WorkingDaysLost><FrontlineGrad>0</FrontlineGrad>
  </CSWWWorker>
  <CSWWWorker>
    <AgencyWorker>0</AgencyWorker><SWENo>SW1000000002</SWENo><QualInst>UEA</QualInst><OrgRole>7</OrgRole>
  </CSWWWorker>
  <CSWWWorker>
    <AgencyWorker>1</AgencyWorker><SWENo>sw1000000003</SWENo><FTE>1</FTE><QualInst>UEA</QualInst><OrgRole>5</OrgRole>
  </CSWWWorker>
</Message>"#;

    #[test]
    fn a_return_is_read_item_by_item_and_bad_records_are_named() {
        let parsed = read(RETURN).unwrap();
        let c = &parsed.census;
        assert_eq!(c.year(), Some(2024));
        assert_eq!(c.header.as_ref().unwrap().lea.as_deref(), Some("839"));
        assert_eq!(c.vacancies, LaVacancies { number_of_vacancies: 12.5, agency_fte: 8.0, agency_headcount: 8 });
        assert_eq!(c.workers.len(), 2);
        let w = &c.workers[0];
        assert_eq!((w.fte30, w.cases30, w.working_days_lost), (Some(0.8), Some(17), Some(4.5)));
        assert_eq!(w.qual_inst, ["Open University", "UEA"]);
        assert_eq!(w.gender, Some(Gender::Female));
        assert!(c.workers[1].agency);
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].element, "CSWWWorker/OrgRole");
        assert_eq!(parsed.problems[0].line, 15);
        // A SWE number in lower case is read in capitals, and that is said.
        assert_eq!(c.workers[1].swe_no, "SW1000000003");
        assert_eq!(parsed.corrections.len(), 1);
        assert!(parsed.corrections[0].rule.contains("read as SW1000000003"), "{:?}", parsed.corrections);
    }

    #[test]
    fn empty_records_and_missing_mandatory_items_are_problems_not_passed_over() {
        let text = RETURN.replace(
            "</Message>",
            "<CSWWWorker/><CSWWWorker></CSWWWorker><CSWWWorker><AgencyWorker>1</AgencyWorker><SWENo>SW1000000009</SWENo></CSWWWorker><CSWWWorker><AgencyWorker>1</AgencyWorker><SWENo>SW123</SWENo><QualInst>UEA</QualInst></CSWWWorker></Message>",
        );
        let parsed = read(&text).unwrap();
        assert_eq!(parsed.census.workers.len(), 2);
        let rules: Vec<(&str, &str)> = parsed.problems.iter().map(|p| (p.element.as_str(), p.rule.as_str())).collect();
        assert!(rules.iter().any(|(e, r)| *e == "CSWWWorker" && r.contains("empty worker record")), "{rules:?}");
        assert!(rules.contains(&("CSWWWorker/AgencyWorker", "mandatory, but missing")), "{rules:?}");
        assert!(rules.contains(&("CSWWWorker/QualInst", "mandatory, but missing")), "{rules:?}");
        assert!(rules.iter().any(|(e, r)| *e == "CSWWWorker/SWENo" && r.contains("10 digits")), "{rules:?}");
    }

    #[test]
    fn a_document_that_is_not_a_return_is_refused() {
        assert!(matches!(read("<Message><CSWWWorker>"), Err(CswwError::Xml { .. }) | Err(CswwError::NotAReturn(_))));
        assert!(matches!(read("<Other/>"), Err(CswwError::NotAReturn(_))));
        let no_vacancies = RETURN.replace("<NoAgencyFTE>8.00</NoAgencyFTE>", "");
        assert!(read(&no_vacancies).unwrap_err().to_string().contains("NoAgencyFTE"));
    }
}
