//! Writing a return as XML, items in the order the format sets.

use crate::{CensusReturn, Worker};
use std::fmt::Write;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// A decimal with at most `places` places, without trailing zeros beyond one.
fn decimal(x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    if !s.contains('.') {
        return s;
    }
    let trimmed = s.trim_end_matches('0');
    if trimmed.ends_with('.') {
        format!("{trimmed}0")
    } else {
        trimmed.to_string()
    }
}

fn item(out: &mut String, name: &str, value: impl std::fmt::Display) {
    let _ = write!(out, "<{name}>{}</{name}>", escape(&value.to_string()));
}

fn flag(b: bool) -> u8 {
    u8::from(b)
}

fn worker(out: &mut String, w: &Worker) {
    out.push_str("  <CSWWWorker>");
    item(out, "AgencyWorker", flag(w.agency));
    item(out, "SWENo", &w.swe_no);
    if let Some(f) = w.fte {
        item(out, "FTE", decimal(f, 6));
    }
    if let Some(d) = w.birth_date {
        item(out, "PersonBirthDate", d);
    }
    if let Some(g) = w.gender {
        item(out, "GenderCurrent", g.code());
    }
    if let Some(e) = &w.ethnicity {
        item(out, "Ethnicity", e);
    }
    for q in &w.qual_inst {
        item(out, "QualInst", q);
    }
    if let Some(l) = w.qual_level {
        item(out, "QualLevel", l);
    }
    if let Some(s) = w.step_up {
        item(out, "StepUpGrad", flag(s));
    }
    if let Some(r) = w.org_role {
        item(out, "OrgRole", r.code());
    }
    if let Some(d) = w.role_start {
        item(out, "RoleStartDate", d);
    }
    if let Some(o) = w.start_origin {
        item(out, "StartOrigin", o);
    }
    if let Some(d) = w.role_end {
        item(out, "RoleEndDate", d);
    }
    if let Some(d) = w.leaver_destination {
        item(out, "LeaverDestination", d);
    }
    if let Some(r) = w.reason_leave {
        item(out, "ReasonLeave", r.code());
    }
    if let Some(f) = w.fte30 {
        item(out, "FTE30", decimal(f, 6));
    }
    if let Some(c) = w.cases30 {
        item(out, "Cases30", c);
    }
    if let Some(d) = w.working_days_lost {
        item(out, "WorkingDaysLost", format!("{d:.2}"));
    }
    for c in &w.contract_weeks {
        item(out, "ContractWeeks", format!("{c:.1}"));
    }
    if let Some(f) = w.frontline {
        item(out, "FrontlineGrad", flag(f));
    }
    for a in &w.absent_30_sept {
        item(out, "Absat30Sept", flag(*a));
    }
    for r in &w.reason_absence {
        item(out, "ReasonAbsence", r.code());
    }
    for s in &w.cfkss_status {
        item(out, "CFKSSstatus", s);
    }
    out.push_str("</CSWWWorker>\n");
}

/// The return as an XML document (UTF-8), one worker record a line.
pub fn to_xml(census: &CensusReturn) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n");
    if let Some(h) = &census.header {
        out.push_str("  <Header><CollectionDetails>");
        if let Some(c) = &h.collection {
            item(&mut out, "Collection", c);
        }
        if let Some(y) = h.year {
            item(&mut out, "Year", y);
        }
        if let Some(d) = h.reference_date {
            item(&mut out, "ReferenceDate", d);
        }
        out.push_str("</CollectionDetails><Source>");
        if let Some(l) = &h.source_level {
            item(&mut out, "SourceLevel", l);
        }
        if let Some(l) = &h.lea {
            item(&mut out, "LEA", l);
        }
        if let Some(s) = &h.software_code {
            item(&mut out, "SoftwareCode", s);
        }
        if let Some(d) = &h.date_time {
            item(&mut out, "DateTime", d);
        }
        out.push_str("</Source></Header>\n");
    }
    let v = &census.vacancies;
    out.push_str("  <LALevelVacancies>");
    item(&mut out, "NumberOfVacancies", format!("{:.2}", v.number_of_vacancies));
    item(&mut out, "NoAgencyFTE", format!("{:.2}", v.agency_fte));
    item(&mut out, "NoAgencyHeadcount", v.agency_headcount);
    out.push_str("</LALevelVacancies>\n");
    for w in &census.workers {
        worker(&mut out, w);
    }
    out.push_str("</Message>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_what_they_need() {
        assert_eq!(decimal(0.8, 6), "0.8");
        assert_eq!(decimal(1.0, 6), "1.0");
        assert_eq!(decimal(0.810811, 6), "0.810811");
    }
}
