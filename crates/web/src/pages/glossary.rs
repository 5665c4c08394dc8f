//! What each figure means: the definition Sightline computes, DfE's own
//! words where it has them, and where the data comes from. Every page links
//! a figure's name here (`/glossary#id`).

use crate::layout::respond;
use crate::viewer::Viewer;
use axum::response::Response;
use maud::html;

/// A figure's entry.
pub struct Entry {
    /// The anchor pages link to.
    pub id: &'static str,
    pub name: &'static str,
    /// What Sightline computes, in plain words.
    pub meaning: &'static str,
    /// DfE's wording, where DfE defines the figure.
    pub dfe: Option<&'static str>,
    /// What it is computed from.
    pub source: &'static str,
}

/// Every figure the pages show, in the order a reader meets them.
pub const ENTRIES: &[Entry] = &[
    Entry {
        id: "period",
        name: "The 12 months to a date",
        meaning:
            "Figures are for the 12 months up to and including the date chosen (by default the last date the data \
                  speaks of). A census year is the 12 months to 30 September: 1 October to 30 September.",
        dfe: Some("1 October to 30 September; stocks are measured at 30 September."),
        source: "The date chosen with \"Figures as at\" on each page.",
    },
    Entry {
        id: "in-post",
        name: "Social workers in post",
        meaning: "Permanent and fixed-term social workers employed on the date, counted once each (headcount) or by \
                  their contracted hours as a share of full time (FTE). Someone whose last day is the date has left.",
        dfe: Some("Children and family social workers in post at 30 September, as FTE and headcount."),
        source: "HR records of employment (posts, start and end dates, FTE).",
    },
    Entry {
        id: "starters",
        name: "Starters",
        meaning: "People who started employment in the 12 months and were not employed the day before. A move between \
                  teams is not a start.",
        dfe: Some("Children and family social workers starting in the year to 30 September."),
        source: "HR records of employment.",
    },
    Entry {
        id: "leavers",
        name: "Leavers",
        meaning: "People whose employment ended in the 12 months and who were not employed the next day. A move \
                  between teams is not a leaver; leaving to work through an agency is.",
        dfe: Some("Children and family social workers leaving in the year to 30 September."),
        source: "HR records of employment, with the reason for leaving and where they went when recorded.",
    },
    Entry {
        id: "turnover",
        name: "Turnover rate",
        meaning: "Leavers in the 12 months as a share of those in post at the end, by FTE (the figure DfE publishes) \
                  or by headcount. Rolling turnover is this figure at the end of each month.",
        dfe: Some("FTE leavers in the year to 30 September divided by FTE in post at 30 September."),
        source: "HR records of employment.",
    },
    Entry {
        id: "agency",
        name: "Agency social workers and agency rate",
        meaning: "Agency workers in post on the date (each assignment counts; DfE does not remove duplicates), and \
                  their FTE as a share of all social workers' FTE, agency and employed.",
        dfe: Some("FTE agency social workers divided by the sum of FTE agency social workers and FTE social workers."),
        source: "Agency assignments (from the agency's or the council's records), with hourly charge rates when known.",
    },
    Entry {
        id: "establishment",
        name: "Establishment, vacancies and over establishment",
        meaning: "The establishment is the FTE of funded social work posts. A vacancy is funded FTE not filled by an \
                  employed social worker, whether or not an agency worker covers it. Agency FTE beyond the vacancies \
                  it covers is over establishment. The vacancy rate is vacant FTE over vacant and employed FTE.",
        dfe: Some("FTE vacancies divided by the sum of FTE vacancies and FTE social workers."),
        source: "The funded establishment by team, with HR and agency records.",
    },
    Entry {
        id: "caseload",
        name: "Caseload",
        meaning: "Children's cases held by social workers in post (agency workers included) on the date, divided by \
                  the FTE of those holding at least one case. A worker's cases are their latest count in the 30 days \
                  to the date.",
        dfe: Some(
            "Total cases held by FTE social workers, including agency workers, in post divided by the FTE of \
             those in post that held one or more cases.",
        ),
        source: "Caseload counts from the case management system.",
    },
    Entry {
        id: "absence",
        name: "Working days lost and absence rate",
        meaning: "Working days (Monday to Friday, not bank holidays) lost to sickness in the 12 months by employed \
                  social workers in post on the date, and those days as a share of the working days of their FTE \
                  (253 working days a year, 254 in a year with 29 February). An episode of 20 working \
                  days or more (or the number set for the service) is long-term.",
        dfe: Some("Working days lost to sickness absence, and as a percentage of FTE working days available."),
        source: "HR sickness absence records.",
    },
    Entry {
        id: "asye",
        name: "ASYE (newly qualified social workers)",
        meaning: "Employed social workers in post who qualified in the 12 months before the date: those in their \
                  assessed and supported year in employment.",
        dfe: None,
        source: "HR records with the date of qualification.",
    },
    Entry {
        id: "agency-cost",
        name: "Agency cost",
        meaning: "Each agency assignment's hourly charge times 7.4 hours a full-time day for each working day worked, \
                  in proportion to its FTE. Cost is shown only where charge rates are recorded, with the share of \
                  agency time they cover.",
        dfe: None,
        source: "Agency assignments with their charge rates.",
    },
    Entry {
        id: "development",
        name: "Supervision, early careers, CPD and experience",
        meaning: "Supervision is on time when the last session that counts (at least 1.5 hours, not a group \
                  session, not cancelled) was within a calendar month, or for the newly qualified within a week for \
                  the first 6 weeks of their programme and a fortnight to 6 months. Early-career review points fall \
                  due 3, 6 and 12 months after the programme's start and are late when not held by then. CPD is on \
                  track with two pieces in the registration year (1 December to 30 November), one reflected on \
                  with a peer, or one piece before 1 September. Experience is years since qualifying: under 2, 2 \
                  to 5, 5 or more, of employed social workers with a known qualification date.",
        dfe: None,
        source: "The early-career tracker, supervision log, learning record, Social Work England register \
                 extract and grade history, imported through their profiles; the employer standards (LGA, 2020) \
                 and Social Work England for the defaults.",
    },
    Entry {
        id: "suppressed",
        name: "c (a figure not shown)",
        meaning: "A count of 1 to 4 people could identify someone, so for elected members and in reports for \
                  publication it is shown as c, as DfE does. Any figure worked out from such a count (its FTE, a \
                  rate, days lost) is c too, and where one hidden count could be worked out from a total, a \
                  second is hidden with it.",
        dfe: Some("c: suppressed to protect confidentiality."),
        source: "Sightline's disclosure control, applied before any figure is shown to a councillor or published.",
    },
    Entry {
        id: "no-data",
        name: "No data",
        meaning: "A figure for a time the records do not cover: before the first complete records, or after the \
                  last date the data speaks of. Sightline shows no figure then, never a 0.",
        dfe: None,
        source:
            "The data the workforce team imports, and the dates from which they say each kind of record is complete.",
    },
    Entry {
        id: "forecast",
        name: "Forecast range",
        meaning: "A forecast runs the service's future many times, each with chance in who leaves and starts. The \
                  range shown is where 8 in 10 runs end (the middle line is the middle run). A target is likely to \
                  be met when most runs meet it.",
        dfe: None,
        source: "The last years of the authority's own records, with the scenario's changes.",
    },
];

/// The glossary page: every figure's meaning, DfE's wording and source.
pub async fn glossary(viewer: Viewer) -> Response {
    let body = html! {
        h1 { "Glossary: what each figure means" }
        p.lead { "Sightline's figures follow the Department for Education's definitions for the children's social work workforce census, so they can be set beside every other council's." }
        @for e in ENTRIES {
            section {
                h2 id=(e.id) { (e.name) }
                p { (e.meaning) }
                @if let Some(words) = e.dfe {
                    p { "DfE's wording: " q { (words) } }
                }
                p.hint { "From: " (e.source) }
            }
        }
    };
    respond(&viewer, "Glossary", Ok(body))
}

#[cfg(test)]
mod tests {
    use super::ENTRIES;

    #[test]
    fn every_entry_has_its_own_anchor() {
        let mut ids: Vec<&str> = ENTRIES.iter().map(|e| e.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ENTRIES.len());
    }
}
