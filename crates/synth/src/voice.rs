//! Synthetic staff voice for a synthetic workforce, consistent with it:
//! exit interviews for most of its leavers (reasons weighted as councils
//! report them, retirement for those who retired, agency work for those who
//! went to an agency), a pulse survey twice a year of the people in post,
//! and ER cases, most of them sickness-absence management opened after a
//! long-term sickness begins; written as the three staff-voice exports in
//! the shapes of the shipped profiles (`exit-interviews`, `survey-pulse`,
//! `er-cases`).
//!
//! Only made-up people: the records belong to the synthetic workforce given.

use crate::uk;
use chrono::{Datelike as _, Days};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sightline_core::voice::{ErCase, ErKind, ExitInterview, ExitReason, SurveyAnswer, VoiceRecords};
use sightline_core::{AbsenceReason, Calendar, Date, Period, Workforce};

/// The profile each export is read by, and its file name (`NAME.csv`).
pub const EXPORTS: [&str; 3] = ["exit-interviews", "survey-pulse", "er-cases"];

/// The pulse survey's questions, each with the theme the shipped profile gives it.
const QUESTIONS: [(&str, &str); 4] = [
    ("My caseload is manageable", "Safe workloads"),
    ("I receive regular reflective supervision", "Supervision"),
    ("I feel supported by my manager", "Wellbeing"),
    ("I would recommend working here", "Wellbeing"),
];

const WORDS: [&str; 5] = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"];

/// Staff-voice records for `wf`'s people over `[from, to]`.
pub fn voice(wf: &Workforce, calendar: &Calendar, from: Date, to: Date, seed: u64) -> VoiceRecords {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0007_01CE);
    let mut out = VoiceRecords::default();
    // Exit interviews for about two in three leavers.
    for l in sightline_core::leavers::leavers_in(wf, Period { start: from, end: to }) {
        if !rng.gen_bool(0.65) {
            continue;
        }
        let mut reasons = Vec::new();
        if l.reason.is_some_and(|r| r.code() == 5) {
            reasons.push(ExitReason::Retirement);
        } else if l.destination.is_some_and(|d| d.code() == 3) {
            reasons.push(ExitReason::MoveToAgency);
        }
        let weighted = [
            (ExitReason::Workload, 25),
            (ExitReason::Caseload, 15),
            (ExitReason::Pay, 15),
            (ExitReason::Management, 10),
            (ExitReason::Culture, 9),
            (ExitReason::NotValued, 10),
            (ExitReason::Progression, 7),
            (ExitReason::Travel, 3),
            (ExitReason::Personal, 6),
        ];
        let total: u32 = weighted.iter().map(|(_, w)| w).sum();
        for _ in 0..rng.gen_range(1..=3) {
            let mut pick = rng.gen_range(0..total);
            for (reason, w) in weighted {
                if pick < w {
                    if !reasons.contains(&reason) {
                        reasons.push(reason);
                    }
                    break;
                }
                pick -= w;
            }
        }
        reasons.truncate(3);
        out.exits.push(ExitInterview {
            person: Some(l.person),
            team: Some(wf.team_name(l.team).to_string()),
            date: l.date,
            reasons,
            text: None,
            would_return: Some(rng.gen_bool(0.4)),
        });
    }
    // A pulse survey each March and September: about half of those in post answer.
    let mut year = from.year();
    let mut respondent = 0u32;
    while year <= to.year() {
        for (month, name) in [(3, "Spring"), (9, "Autumn")] {
            let Some(day) = Date::from_ymd_opt(year, month, 15) else { continue };
            if day < from || day > to {
                continue;
            }
            let mut seen = std::collections::HashSet::new();
            for s in wf.in_post_at(day) {
                if !seen.insert(s.person) || !rng.gen_bool(0.5) {
                    continue;
                }
                respondent += 1;
                // Each team leans its own way, the same every wave.
                let lean = (s.team.0 % 3) as i32 - 1;
                for (question, theme) in QUESTIONS {
                    let answer = (rng.gen_range(1..=5) + lean).clamp(1, 5);
                    out.answers.push(SurveyAnswer {
                        person: None,
                        respondent: Some(format!("R{respondent}")),
                        team: Some(wf.team_name(s.team).to_string()),
                        date: day,
                        wave: format!("{name} {year}"),
                        question: question.to_string(),
                        theme: Some(theme.to_string()),
                        answer: f64::from(answer),
                        score: 25.0 * f64::from(answer - 1),
                    });
                }
            }
        }
        year += 1;
    }
    // ER: sickness-absence management after most long-term sickness, and a few other cases.
    for a in wf.absences().iter().filter(|a| a.reason == AbsenceReason::Sickness && a.start >= from && a.start <= to) {
        if !sightline_core::absence::is_long_term(a, calendar, 20.0) || !rng.gen_bool(0.7) {
            continue;
        }
        let opened = a.start + Days::new(rng.gen_range(10..30));
        let closed = a.end + Days::new(rng.gen_range(30..90));
        out.er_cases.push(ErCase {
            person: a.person,
            kind: ErKind::SicknessAbsence,
            opened: opened.min(to),
            stage: Some("Attendance review".to_string()),
            closed: (closed <= to).then_some(closed),
            outcome: (closed <= to).then(|| "Returned to work".to_string()),
        });
    }
    for p in wf.person_indices() {
        let Some(s) = wf.spells_of(p).iter().find(|s| s.kind.is_employed()) else { continue };
        if !rng.gen_bool(0.04) {
            continue;
        }
        let opened = s.start + Days::new(rng.gen_range(30..1500));
        if opened < from || opened > to || !wf.is_employed_on(p, opened) {
            continue;
        }
        let kind = [ErKind::Capability, ErKind::Conduct, ErKind::Grievance, ErKind::Probation][rng.gen_range(0..4)];
        let closed = opened + Days::new(rng.gen_range(20..200));
        out.er_cases.push(ErCase {
            person: p,
            kind,
            opened,
            stage: Some("Investigation".to_string()),
            closed: (closed <= to).then_some(closed),
            outcome: (closed <= to).then(|| "Closed".to_string()),
        });
    }
    out
}

/// The records as the three exports (file name, CSV text), in the columns of the shipped profiles.
pub fn exports(wf: &Workforce, records: &VoiceRecords) -> Vec<(String, String)> {
    let id = |p: Option<sightline_core::PersonIdx>| p.map(|p| wf.person(p).id.clone()).unwrap_or_default();
    let words = |r: ExitReason| match r {
        ExitReason::Workload => "Workload",
        ExitReason::Caseload => "Caseload too high",
        ExitReason::Pay => "Pay",
        ExitReason::Management => "Management",
        ExitReason::Culture => "Team culture",
        ExitReason::NotValued => "Not feeling valued",
        ExitReason::Progression => "Career progression",
        ExitReason::Travel => "Travel",
        ExitReason::Personal => "Personal reasons",
        ExitReason::Retirement => "Retirement",
        ExitReason::MoveToAgency => "Agency work",
        ExitReason::Other => "Other",
    };
    let mut exits = String::from(
        "Employee Number,Team,Leaving Date,Main Reason,Second Reason,Third Reason,Comments,Would Return\n",
    );
    for e in &records.exits {
        let r = |i: usize| e.reasons.get(i).map(|r| words(*r)).unwrap_or_default();
        exits.push_str(&format!(
            "{},{},{},{},{},{},,{}\n",
            id(e.person),
            e.team.clone().unwrap_or_default(),
            uk(e.date),
            r(0),
            r(1),
            r(2),
            match e.would_return {
                Some(true) => "Yes",
                Some(false) => "No",
                None => "",
            }
        ));
    }
    let mut survey = String::from("Response ID,Team,Submitted,Survey,Question,Answer\n");
    for a in &records.answers {
        let word = WORDS.get((a.answer as usize).saturating_sub(1)).copied().unwrap_or("Neither agree nor disagree");
        survey.push_str(&format!(
            "{},{},{},{},{},{word}\n",
            a.respondent.clone().unwrap_or_default(),
            a.team.clone().unwrap_or_default(),
            uk(a.date),
            a.wave,
            a.question
        ));
    }
    let mut er = String::from("Employee Number,Case Type,Date Opened,Date Closed,Stage,Outcome\n");
    for c in &records.er_cases {
        let kind = match c.kind {
            ErKind::Capability => "Capability",
            ErKind::Conduct => "Conduct",
            ErKind::Grievance => "Grievance",
            ErKind::SicknessAbsence => "Attendance management",
            ErKind::Probation => "Probation",
            ErKind::Whistleblowing => "Whistleblowing",
        };
        er.push_str(&format!(
            "{},{kind},{},{},{},{}\n",
            wf.person(c.person).id,
            uk(c.opened),
            c.closed.map(uk).unwrap_or_default(),
            c.stage.clone().unwrap_or_default(),
            c.outcome.clone().unwrap_or_default()
        ));
    }
    [exits, survey, er].into_iter().zip(EXPORTS).map(|(text, name)| (format!("{name}.csv"), text)).collect()
}
