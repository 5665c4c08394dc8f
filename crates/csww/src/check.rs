//! The checks DfE and regional partnerships apply to a return, done before
//! it is sent: each finding has a code, the worker concerned (SWE number and
//! line), what is wrong and how to put it right. Errors would be queried or
//! rejected; warnings are worth a look.

use crate::{CensusReturn, ItemProblem, Worker};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// A stable code, such as `CSWW04`.
    pub code: &'static str,
    pub severity: Severity,
    /// The worker's SWE number, when the finding is about one worker.
    pub worker: Option<String>,
    /// Line of the worker record (or item) in the XML; 0 when not known.
    pub line: u64,
    pub message: String,
    pub fix: &'static str,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{} {level}", self.code)?;
        if let Some(w) = &self.worker {
            write!(f, " worker {w}")?;
        }
        if self.line > 0 {
            write!(f, " (line {})", self.line)?;
        }
        write!(f, ": {}. Fix: {}", self.message, self.fix)
    }
}

fn finding(code: &'static str, severity: Severity, w: &Worker, message: String, fix: &'static str) -> Finding {
    Finding { code, severity, worker: Some(w.swe_no.clone()), line: w.line, message, fix }
}

/// Whole years from `from` to `to`.
fn age(from: NaiveDate, to: NaiveDate) -> i32 {
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

/// A return's text checked whole: against the schema first (every
/// violation a `CSWW01` error with its worker and line), then read and
/// checked by Sightline's own rules ([`check`]), with the values read as
/// other than written (`CSWW00` warnings). A problem the reader finds that
/// the schema reported already is said once.
pub fn check_document(text: &str) -> Result<(crate::Parsed, Vec<Finding>), crate::CswwError> {
    use Severity::{Error, Warning};
    let schema = crate::schema::Schema::csww().map_err(|e| crate::CswwError::NotAReturn(e.to_string()))?;
    let validation = schema.validate(text);
    let parsed = crate::read(text)?;
    let said = |line: u64, element: &str| {
        validation.violations.iter().any(|v| v.line == line && v.element.starts_with(element))
    };
    let own: Vec<ItemProblem> = parsed.problems.iter().filter(|p| !said(p.line, &p.element)).cloned().collect();
    let mut out: Vec<Finding> = validation
        .violations
        .iter()
        .map(|v| Finding {
            code: "CSWW01",
            severity: Error,
            worker: v.worker.clone(),
            line: v.line,
            message: format!("<{}> {} (the schema)", v.element, v.message),
            fix: "correct the item in the source system and make the return again",
        })
        .collect();
    if validation.total > validation.violations.len() {
        out.push(Finding {
            code: "CSWW01",
            severity: Error,
            worker: None,
            line: 0,
            message: format!(
                "and {} more schema violations not listed",
                validation.total - validation.violations.len()
            ),
            fix: "correct the first ones and check the return again",
        });
    }
    out.extend(check(&parsed.census, &own));
    out.extend(parsed.corrections.iter().map(|c| Finding {
        code: "CSWW00",
        severity: Warning,
        worker: None,
        line: c.line,
        message: format!("<{}> `{}`: {}", c.element, c.value, c.rule),
        fix: "write it as the schema has it in the source system",
    }));
    // Every finding on a worker's lines names the worker.
    for f in out.iter_mut().filter(|f| f.worker.is_none() && f.line > 0) {
        f.worker = validation.worker_at(f.line).filter(|w| !w.is_empty()).map(str::to_string);
    }
    Ok((parsed, out))
}

/// The findings for a return read with its item problems (each becomes a
/// `CSWW01` error: a value outside its type or code list, or a broken pair).
pub fn check(census: &CensusReturn, problems: &[ItemProblem]) -> Vec<Finding> {
    use Severity::{Error, Warning};
    let mut out: Vec<Finding> = problems
        .iter()
        .map(|p| Finding {
            code: "CSWW01",
            severity: Error,
            worker: None,
            line: p.line,
            message: format!("<{}> `{}`: {}", p.element, p.value, p.rule),
            fix: "correct the item in the source system and make the return again",
        })
        .collect();
    let year = census.year();
    if let Some(h) = &census.header {
        if let (Some(y), Some(d)) = (h.year, h.reference_date) {
            if NaiveDate::from_ymd_opt(y, 9, 30) != Some(d) {
                out.push(Finding {
                    code: "CSWW02",
                    severity: Error,
                    worker: None,
                    line: 0,
                    message: format!("the reference date {d} is not 30 September {y}"),
                    fix: "make the return for the census year again",
                });
            }
        }
    }
    let reference = year.and_then(|y| NaiveDate::from_ymd_opt(y, 9, 30));
    let start_of_year = year.and_then(|y| NaiveDate::from_ymd_opt(y - 1, 10, 1));
    let mut in_post: HashMap<&str, &Worker> = HashMap::new();
    for w in &census.workers {
        if !w.agency {
            // Items expected of every employed social worker.
            let mut missing = Vec::new();
            let expected: [(&str, bool); 8] = [
                ("PersonBirthDate", w.birth_date.is_some()),
                ("GenderCurrent", w.gender.is_some()),
                ("Ethnicity", w.ethnicity.is_some()),
                ("StepUpGrad", w.step_up.is_some()),
                ("OrgRole", w.org_role.is_some()),
                ("RoleStartDate", w.role_start.is_some()),
                ("StartOrigin", w.start_origin.is_some()),
                ("FrontlineGrad", w.frontline.is_some()),
            ];
            missing.extend(expected.iter().filter(|(_, present)| !present).map(|(name, _)| *name));
            if w.role_end.is_none() {
                if w.fte30.is_none() {
                    missing.push("FTE30");
                }
                if w.working_days_lost.is_none() {
                    missing.push("WorkingDaysLost");
                }
            }
            if !missing.is_empty() {
                out.push(finding(
                    "CSWW03",
                    Error,
                    w,
                    format!("missing {}", missing.join(", ")),
                    "record the items in the HR system for this worker",
                ));
            }
            if w.qual_inst.iter().all(|q| q.trim().is_empty() || q == "Not recorded") {
                out.push(finding(
                    "CSWW04",
                    Warning,
                    w,
                    "the qualifying institution is not recorded".into(),
                    "record where the worker qualified",
                ));
            }
            if let (Some(b), Some(s)) = (w.birth_date, w.role_start) {
                if b >= s || age(b, s) < 18 {
                    out.push(finding(
                        "CSWW05",
                        Error,
                        w,
                        format!("born {b}, yet in the role from {s}"),
                        "check the birth date and the start date",
                    ));
                }
            }
            if let (Some(b), Some(r)) = (w.birth_date, reference) {
                if age(b, r) > 80 {
                    out.push(finding(
                        "CSWW05",
                        Error,
                        w,
                        format!("born {b}: over 80 at the reference date"),
                        "check the birth date",
                    ));
                }
            }
            if let (Some(s), Some(r)) = (w.role_start, reference) {
                if s > r {
                    out.push(finding(
                        "CSWW06",
                        Error,
                        w,
                        format!("starts on {s}, after the reference date {r}"),
                        "leave out workers who start after 30 September",
                    ));
                }
            }
            if let (Some(e), Some(p0), Some(r)) = (w.role_end, start_of_year, reference) {
                if e < p0 || e > r {
                    out.push(finding(
                        "CSWW07",
                        Error,
                        w,
                        format!("left on {e}, outside the census year {p0} to {r}"),
                        "include only leavers of the census year",
                    ));
                }
                if w.fte30.is_some() {
                    out.push(finding(
                        "CSWW08",
                        Error,
                        w,
                        format!("left on {e} but has an FTE at 30 September"),
                        "give a leaver's FTE as FTE, not FTE30",
                    ));
                }
            }
            if w.role_end.is_none() && w.fte30 == Some(0.0) {
                out.push(finding(
                    "CSWW09",
                    Error,
                    w,
                    "in post with an FTE of 0 at 30 September".into(),
                    "record the worker's contracted FTE",
                ));
            }
            if w.role_end.is_none() {
                if let Some(first) = in_post.insert(w.swe_no.as_str(), w) {
                    out.push(finding(
                        "CSWW10",
                        Error,
                        w,
                        format!("a second record in post for the same SWE number (first on line {})", first.line),
                        "a worker holding two posts is one record, in the more senior role, with the FTE of both",
                    ));
                }
            }
            if w.start_origin == Some(9) || w.start_origin == Some(10) {
                out.push(finding(
                    "CSWW11",
                    Warning,
                    w,
                    "where the worker came from is not known".into(),
                    "record StartOrigin in the HR system",
                ));
            }
            if w.reason_leave.is_some_and(|r| r.code() >= 9) || w.leaver_destination.is_some_and(|d| d >= 8) {
                out.push(finding(
                    "CSWW12",
                    Warning,
                    w,
                    "the reason for leaving or the destination is not known".into(),
                    "record them from the exit interview",
                ));
            }
        }
        if w.cases30.is_some_and(|c| c > 0) && matches!(w.org_role.map(|r| r.code()), Some(1 | 6)) {
            let role = w.org_role.map(|r| r.label()).unwrap_or_default();
            out.push(finding(
                "CSWW13",
                Error,
                w,
                format!("holds cases as a {}", role.to_lowercase()),
                "correct the role or the caseload",
            ));
        }
        if w.cases30.is_some_and(|c| c > 60) {
            out.push(finding(
                "CSWW14",
                Warning,
                w,
                format!("{} cases at 30 September", w.cases30.unwrap_or(0)),
                "check the caseload report",
            ));
        }
        if w.working_days_lost.is_some_and(|d| d > 260.0) {
            out.push(finding(
                "CSWW15",
                Error,
                w,
                "more working days lost than a year holds".into(),
                "check the absence records",
            ));
        }
    }
    let v = &census.vacancies;
    let agency_records = census.workers.iter().filter(|w| w.agency).count() as u32;
    if v.agency_fte > v.number_of_vacancies + 0.005 {
        out.push(Finding {
            code: "CSWW16",
            severity: Error,
            worker: None,
            line: 0,
            message: format!("{:.2} agency FTE cover {:.2} FTE of vacancies", v.agency_fte, v.number_of_vacancies),
            fix: "agency workers can cover at most the vacancies; count the rest as over establishment",
        });
    }
    if v.agency_headcount > agency_records {
        out.push(Finding {
            code: "CSWW17",
            severity: Error,
            worker: None,
            line: 0,
            message: format!(
                "{} agency workers cover vacancies, but the return has {agency_records} agency records",
                v.agency_headcount
            ),
            fix: "include every agency worker in post at 30 September",
        });
    }
    out.sort_by(|a, b| (a.severity, a.line, a.code).cmp(&(b.severity, b.line, b.code)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read, to_xml, Header, LaVacancies};
    use sightline_core::{Gender, OrgRole, ReasonLeave};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn employed(swe: &str) -> Worker {
        Worker {
            swe_no: swe.into(),
            birth_date: Some(d("1985-02-03")),
            gender: Some(Gender::Female),
            ethnicity: Some("WBRI".into()),
            qual_inst: vec!["University of Kent".into()],
            step_up: Some(false),
            org_role: Some(OrgRole::CaseHolder),
            role_start: Some(d("2019-04-01")),
            start_origin: Some(2),
            fte30: Some(1.0),
            cases30: Some(15),
            working_days_lost: Some(3.0),
            frontline: Some(false),
            ..Worker::default()
        }
    }

    fn codes(census: &CensusReturn) -> Vec<(&'static str, Option<String>)> {
        let parsed = read(&to_xml(census)).unwrap();
        check(&parsed.census, &parsed.problems).into_iter().map(|f| (f.code, f.worker)).collect()
    }

    #[test]
    fn a_clean_return_passes_and_each_planted_error_is_named_with_its_worker() {
        let header = Header {
            collection: Some("CSWW".into()),
            year: Some(2024),
            reference_date: Some(d("2024-09-30")),
            ..Header::default()
        };
        let mut census = CensusReturn {
            header: Some(header),
            vacancies: LaVacancies { number_of_vacancies: 3.0, agency_fte: 1.0, agency_headcount: 1 },
            workers: vec![
                employed("SW0000000001"),
                employed("SW0000000002"),
                Worker {
                    agency: true,
                    swe_no: "SW0000000003".into(),
                    fte: Some(1.0),
                    qual_inst: vec!["Not recorded".into()],
                    ..Worker::default()
                },
            ],
        };
        assert_eq!(codes(&census), [], "a clean return");
        census.workers[0].birth_date = None;
        census.workers[1].birth_date = Some(d("2010-01-01"));
        let mut leaver = employed("SW0000000004");
        leaver.role_end = Some(d("2023-06-30"));
        leaver.reason_leave = ReasonLeave::from_code(1);
        leaver.leaver_destination = Some(1);
        leaver.fte = Some(1.0);
        census.workers.push(leaver);
        let mut idle = employed("SW0000000005");
        idle.org_role = Some(OrgRole::QualifiedWithoutCases);
        census.workers.push(idle);
        census.workers.push(employed("SW0000000005"));
        census.vacancies.agency_fte = 4.0;
        let found = codes(&census);
        let has = |code: &str, worker: Option<&str>| found.iter().any(|(c, w)| *c == code && w.as_deref() == worker);
        assert!(has("CSWW03", Some("SW0000000001")), "missing birth date: {found:?}");
        assert!(has("CSWW05", Some("SW0000000002")), "born after starting: {found:?}");
        assert!(has("CSWW07", Some("SW0000000004")), "left before the year: {found:?}");
        assert!(has("CSWW08", Some("SW0000000004")), "a leaver with FTE30: {found:?}");
        assert!(has("CSWW13", Some("SW0000000005")), "cases without a case-holding role: {found:?}");
        assert!(has("CSWW10", Some("SW0000000005")), "two records in post: {found:?}");
        assert!(has("CSWW16", None), "cover beyond vacancies: {found:?}");
    }
}
