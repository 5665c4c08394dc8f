//! What staff say and why they leave: exit interviews, staff surveys scored
//! by theme, and employee-relations (ER) casework, as dated facts beside
//! the [`Workforce`], with their figures for a period.
//!
//! ER cases are special: they are for HR and admin alone (the store and the
//! dashboard keep them from every other role). Free text of exit interviews
//! is never part of a figure.

use crate::calendar::{Date, Period};
use crate::model::{PersonIdx, Workforce};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The shipped taxonomy of reasons for leaving; each authority maps its own list to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitReason {
    Workload,
    Caseload,
    Pay,
    Management,
    Culture,
    NotValued,
    Progression,
    Travel,
    Personal,
    Retirement,
    MoveToAgency,
    Other,
}

impl ExitReason {
    pub const ALL: [ExitReason; 12] = [
        ExitReason::Workload,
        ExitReason::Caseload,
        ExitReason::Pay,
        ExitReason::Management,
        ExitReason::Culture,
        ExitReason::NotValued,
        ExitReason::Progression,
        ExitReason::Travel,
        ExitReason::Personal,
        ExitReason::Retirement,
        ExitReason::MoveToAgency,
        ExitReason::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ExitReason::Workload => "workload",
            ExitReason::Caseload => "caseload",
            ExitReason::Pay => "pay",
            ExitReason::Management => "management",
            ExitReason::Culture => "culture",
            ExitReason::NotValued => "not_valued",
            ExitReason::Progression => "progression",
            ExitReason::Travel => "travel",
            ExitReason::Personal => "personal",
            ExitReason::Retirement => "retirement",
            ExitReason::MoveToAgency => "move_to_agency",
            ExitReason::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<ExitReason> {
        let s = s.trim().to_ascii_lowercase();
        ExitReason::ALL.into_iter().find(|r| r.as_str() == s)
    }
    pub fn words(self) -> &'static str {
        match self {
            ExitReason::Workload => "Workload",
            ExitReason::Caseload => "Caseload",
            ExitReason::Pay => "Pay",
            ExitReason::Management => "Management",
            ExitReason::Culture => "Culture",
            ExitReason::NotValued => "Not feeling valued",
            ExitReason::Progression => "Progression",
            ExitReason::Travel => "Travel",
            ExitReason::Personal => "Personal reasons",
            ExitReason::Retirement => "Retirement",
            ExitReason::MoveToAgency => "Moving to agency work",
            ExitReason::Other => "Other",
        }
    }
}

/// An exit interview or leaver survey: of a named person, or anonymous (with the team, where given).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExitInterview {
    pub person: Option<PersonIdx>,
    pub team: Option<String>,
    /// The leaving date (or the interview's, where the export has no other).
    pub date: Date,
    pub reasons: Vec<ExitReason>,
    /// What they said, in their words: never part of a figure, never shown to members.
    pub text: Option<String>,
    pub would_return: Option<bool>,
}

/// One answer to one question of a staff survey, scored 0-100 against the
/// survey's scale when read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyAnswer {
    pub person: Option<PersonIdx>,
    /// The respondent's own (anonymous) reference, where the export gives one.
    pub respondent: Option<String>,
    pub team: Option<String>,
    pub date: Date,
    /// The survey round; by default the month of `date` (`YYYY-MM`).
    pub wave: String,
    pub question: String,
    /// The theme the survey's definition puts the question in.
    pub theme: Option<String>,
    /// The answer on the survey's scale, and as a score from 0 (its lowest) to 100 (its highest).
    pub answer: f64,
    pub score: f64,
}

/// The kind of an employee-relations case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErKind {
    Capability,
    Conduct,
    Grievance,
    SicknessAbsence,
    Probation,
    Whistleblowing,
}

impl ErKind {
    pub const ALL: [ErKind; 6] = [
        ErKind::Capability,
        ErKind::Conduct,
        ErKind::Grievance,
        ErKind::SicknessAbsence,
        ErKind::Probation,
        ErKind::Whistleblowing,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ErKind::Capability => "capability",
            ErKind::Conduct => "conduct",
            ErKind::Grievance => "grievance",
            ErKind::SicknessAbsence => "sickness_absence",
            ErKind::Probation => "probation",
            ErKind::Whistleblowing => "whistleblowing",
        }
    }
    pub fn parse(s: &str) -> Option<ErKind> {
        let s = s.trim().to_ascii_lowercase();
        ErKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An employee-relations case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErCase {
    pub person: PersonIdx,
    pub kind: ErKind,
    pub opened: Date,
    pub stage: Option<String>,
    /// The day it closed; `None` while open.
    pub closed: Option<Date>,
    pub outcome: Option<String>,
}

impl ErCase {
    /// Open on `d`: opened on or before it and not closed before it.
    pub fn open_on(&self, d: Date) -> bool {
        self.opened <= d && self.closed.is_none_or(|c| c >= d)
    }
}

/// Every kind of staff-voice record, for a batch or the authority.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VoiceRecords {
    pub exits: Vec<ExitInterview>,
    pub answers: Vec<SurveyAnswer>,
    pub er_cases: Vec<ErCase>,
}

impl VoiceRecords {
    pub fn len(&self) -> usize {
        self.exits.len() + self.answers.len() + self.er_cases.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A reason's count among the exit interviews of a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReasonCount {
    pub reason: ExitReason,
    /// Interviews giving it.
    pub count: u32,
    /// Of the interviews giving any reason, % giving this one.
    pub share: f64,
}

/// A survey theme's score in a wave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeScore {
    pub theme: String,
    pub wave: String,
    /// The mean of its answers' scores, 0-100.
    pub score: f64,
    /// low (50 or under), moderate (51-74) or high (75 or over), on the score rounded to a whole number.
    pub band: &'static str,
    /// Distinct respondents answering any of its questions (anonymous rows without a reference count one each).
    pub respondents: u32,
    /// Against the theme's score in the wave before, where it had one.
    pub change: Option<f64>,
}

/// The band of a theme score, as the employer standards health check bands it.
pub fn band(score: f64) -> &'static str {
    let s = score.round();
    if s <= 50.0 {
        "low"
    } else if s < 75.0 {
        "moderate"
    } else {
        "high"
    }
}

/// The staff-voice figures for a period, for the authority or a team.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VoiceFigures {
    /// Reasons for leaving among exit interviews dated in the period, the most given first.
    pub exit_reasons: Vec<ReasonCount>,
    /// Exit interviews dated in the period.
    pub exit_interviews: u32,
    /// Exit interviews, % of leavers (headcount, DfE's definition) in the period.
    pub exit_response_rate_pct: Option<f64>,
    /// Of the interviews that say, % who would come back.
    pub would_return_pct: Option<f64>,
    /// Each theme in the latest wave of the period, with its change since the wave before.
    pub survey_themes: Vec<ThemeScore>,
    /// ER cases open on the period's last day, by kind.
    pub er_open_by_type: BTreeMap<ErKind, u32>,
    /// People on long-term sickness on the period's last day with no open sickness-absence case.
    pub longterm_sick_without_case: Option<u32>,
    /// People with an open sickness-absence case on the last day and no sickness absence recorded in the 12 months to it.
    pub sickness_cases_without_absence: Option<u32>,
    /// The counts the rates rest on: leavers, and interviews saying whether they would come back (and yes).
    #[serde(skip)]
    pub leavers: u32,
    /// Interviews giving any reason (the whole a reason's share is of).
    #[serde(skip)]
    pub giving_reasons: u32,
    #[serde(skip)]
    pub would_return_said: u32,
    #[serde(skip)]
    pub would_return_yes: u32,
}

impl VoiceFigures {
    /// Whether the rates about leavers may leave the server for a member or
    /// a publication: no count of 1 to 4 among the interviews, the leavers
    /// not interviewed, or those saying yes or no to coming back.
    pub fn exit_rates_publishable(&self) -> bool {
        use crate::disclosure::share_publishable;
        share_publishable(self.exit_interviews, self.leavers)
            && share_publishable(self.would_return_yes, self.would_return_said)
    }

    /// Whether a reason's count and share may leave the server for a member
    /// or a publication: no count of 1 to 4 among those giving it, those
    /// giving other reasons only, or all giving any.
    pub fn reason_publishable(&self, r: &ReasonCount) -> bool {
        crate::disclosure::share_publishable(r.count, self.giving_reasons)
    }

    /// Whether a theme's score may leave the server for a member or a
    /// publication: 5 or more answered it.
    pub fn theme_publishable(t: &ThemeScore) -> bool {
        !crate::disclosure::is_disclosive(t.respondents)
    }

    /// Shares, rates, scores and changes to one decimal place, half away from zero (as DfE rounds).
    pub fn rounded(&self) -> VoiceFigures {
        let r = |v: f64| crate::indicators::round_dfe(v, 1);
        let mut f = self.clone();
        for reason in &mut f.exit_reasons {
            reason.share = r(reason.share);
        }
        f.exit_response_rate_pct = f.exit_response_rate_pct.map(r);
        f.would_return_pct = f.would_return_pct.map(r);
        for t in &mut f.survey_themes {
            t.score = r(t.score);
            t.change = t.change.map(r);
        }
        f
    }
}

/// Whether a record of `person` (or of `team`, when anonymous) belongs to the team asked about.
fn in_team(wf: &Workforce, person: Option<PersonIdx>, team_name: Option<&str>, date: Date, team: Option<&str>) -> bool {
    let Some(wanted) = team else { return true };
    match person {
        Some(p) => wf
            .spells_of(p)
            .iter()
            .filter(|s| s.start <= date)
            .max_by_key(|s| s.start)
            .is_some_and(|s| wf.team_name(s.team) == wanted),
        None => team_name == Some(wanted),
    }
}

/// The staff-voice figures for `period` (the authority's, or `team`'s by name).
pub fn voice_figures(
    wf: &Workforce,
    records: &VoiceRecords,
    calendar: &crate::Calendar,
    period: Period,
    team: Option<&str>,
    long_term_days: f64,
) -> VoiceFigures {
    let mut f = VoiceFigures::default();
    // Exit interviews.
    let exits: Vec<&ExitInterview> = records
        .exits
        .iter()
        .filter(|e| period.contains(e.date) && in_team(wf, e.person, e.team.as_deref(), e.date, team))
        .collect();
    f.exit_interviews = exits.len() as u32;
    let giving = exits.iter().filter(|e| !e.reasons.is_empty()).count() as u32;
    f.giving_reasons = giving;
    let mut counts: BTreeMap<ExitReason, u32> = BTreeMap::new();
    for e in &exits {
        let reasons: BTreeSet<ExitReason> = e.reasons.iter().copied().collect();
        for r in reasons {
            *counts.entry(r).or_insert(0) += 1;
        }
    }
    f.exit_reasons = counts
        .into_iter()
        .map(|(reason, count)| ReasonCount {
            reason,
            count,
            share: 100.0 * f64::from(count) / f64::from(giving.max(1)),
        })
        .collect();
    f.exit_reasons.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
    let leavers = crate::leavers::leavers_in(wf, period)
        .into_iter()
        .filter(|l| team.is_none_or(|t| wf.team_name(l.team) == t))
        .count() as u32;
    f.leavers = leavers;
    if !records.exits.is_empty() && leavers > 0 {
        f.exit_response_rate_pct = Some(100.0 * f64::from(f.exit_interviews) / f64::from(leavers));
    }
    let said: Vec<bool> = exits.iter().filter_map(|e| e.would_return).collect();
    f.would_return_said = said.len() as u32;
    f.would_return_yes = said.iter().filter(|b| **b).count() as u32;
    if !said.is_empty() {
        f.would_return_pct = Some(100.0 * said.iter().filter(|b| **b).count() as f64 / said.len() as f64);
    }

    // Survey themes: the latest wave in the period, against the wave before.
    let answers: Vec<&SurveyAnswer> = records
        .answers
        .iter()
        .filter(|a| a.theme.is_some() && a.date <= period.end && in_team(wf, a.person, a.team.as_deref(), a.date, team))
        .collect();
    let wave_end = |w: &str| answers.iter().filter(|a| a.wave == w).map(|a| a.date).max();
    let mut waves: Vec<(Date, String)> = answers
        .iter()
        .map(|a| a.wave.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter_map(|w| wave_end(&w).map(|d| (d, w)))
        .collect();
    waves.sort();
    if let Some(pos) = waves.iter().rposition(|(d, _)| period.contains(*d)) {
        let scores = |wave: &str| -> BTreeMap<String, (f64, u32)> {
            let mut by: BTreeMap<String, (f64, u32, BTreeSet<String>)> = BTreeMap::new();
            for (i, a) in answers.iter().enumerate().filter(|(_, a)| a.wave == wave) {
                let entry = by.entry(a.theme.clone().unwrap_or_default()).or_insert((0.0, 0, BTreeSet::new()));
                entry.0 += a.score;
                entry.1 += 1;
                let who = match (&a.respondent, a.person) {
                    (Some(r), _) => format!("r:{r}"),
                    (None, Some(p)) => format!("p:{}", p.0),
                    (None, None) => format!("row:{i}"),
                };
                entry.2.insert(who);
            }
            by.into_iter().map(|(t, (sum, n, who))| (t, (sum / f64::from(n), who.len() as u32))).collect()
        };
        let now = scores(&waves[pos].1);
        let before = pos.checked_sub(1).map(|p| scores(&waves[p].1)).unwrap_or_default();
        f.survey_themes = now
            .into_iter()
            .map(|(theme, (score, respondents))| ThemeScore {
                change: before.get(&theme).map(|(b, _)| score - b),
                band: band(score),
                wave: waves[pos].1.clone(),
                theme,
                score,
                respondents,
            })
            .collect();
    }

    // ER casework on the period's last day.
    let d = period.end;
    for c in records.er_cases.iter().filter(|c| c.open_on(d) && in_team(wf, Some(c.person), None, d, team)) {
        *f.er_open_by_type.entry(c.kind).or_insert(0) += 1;
    }
    let long_term = crate::absence::long_term_on(wf, calendar, d, long_term_days);
    let sick_people: BTreeSet<PersonIdx> =
        long_term.iter().map(|a| a.person).filter(|p| in_team(wf, Some(*p), None, d, team)).collect();
    let with_case: BTreeSet<PersonIdx> = records
        .er_cases
        .iter()
        .filter(|c| c.kind == ErKind::SicknessAbsence && c.open_on(d))
        .map(|c| c.person)
        .collect();
    if !records.er_cases.is_empty() || !wf.absences().is_empty() {
        f.longterm_sick_without_case = Some(sick_people.difference(&with_case).count() as u32);
    }
    if !records.er_cases.is_empty() {
        let year_before = crate::calendar::a_year_before(d);
        f.sickness_cases_without_absence = Some(
            with_case
                .iter()
                .filter(|p| in_team(wf, Some(**p), None, d, team))
                .filter(|p| {
                    !wf.absences_of(**p).iter().any(|a| {
                        a.reason == crate::codes::AbsenceReason::Sickness && a.end > year_before && a.start <= d
                    })
                })
                .count() as u32,
        );
    }
    f
}

/// Each theme's score in each wave ending on or before `to` (the last
/// `waves` of them, oldest first): (wave, its last day, theme, score, respondents).
pub fn themes_by_wave(
    wf: &Workforce,
    records: &VoiceRecords,
    to: Date,
    team: Option<&str>,
    waves: usize,
) -> Vec<(String, Date, String, f64, u32)> {
    let answers: Vec<&SurveyAnswer> = records
        .answers
        .iter()
        .filter(|a| a.theme.is_some() && a.date <= to && in_team(wf, a.person, a.team.as_deref(), a.date, team))
        .collect();
    let mut ends: BTreeMap<&str, Date> = BTreeMap::new();
    for a in &answers {
        let e = ends.entry(a.wave.as_str()).or_insert(a.date);
        *e = (*e).max(a.date);
    }
    let mut order: Vec<(Date, &str)> = ends.iter().map(|(w, d)| (*d, *w)).collect();
    order.sort();
    let keep: Vec<(Date, &str)> = order.iter().rev().take(waves).rev().copied().collect();
    let mut out = Vec::new();
    for (end, wave) in keep {
        let mut by: BTreeMap<&str, (f64, u32, BTreeSet<String>)> = BTreeMap::new();
        for (i, a) in answers.iter().enumerate().filter(|(_, a)| a.wave == wave) {
            let entry = by.entry(a.theme.as_deref().unwrap_or_default()).or_insert((0.0, 0, BTreeSet::new()));
            entry.0 += a.score;
            entry.1 += 1;
            entry.2.insert(match (&a.respondent, a.person) {
                (Some(r), _) => format!("r:{r}"),
                (None, Some(p)) => format!("p:{}", p.0),
                (None, None) => format!("row:{i}"),
            });
        }
        for (theme, (sum, n, who)) in by {
            out.push((wave.to_string(), end, theme.to_string(), sum / f64::from(n), who.len() as u32));
        }
    }
    out
}

/// ER cases open at each of the 12 month ends to `d` (the last being `d`), by kind.
pub fn er_open_by_month(records: &VoiceRecords, d: Date) -> Vec<(Date, BTreeMap<ErKind, u32>)> {
    (0..12u32)
        .rev()
        .filter_map(|back| {
            let month = chrono::Datelike::with_day(&d, 1)?.checked_sub_months(chrono::Months::new(back))?;
            let end = crate::calendar::month_end(month).min(d);
            let mut by = BTreeMap::new();
            for c in records.er_cases.iter().filter(|c| c.open_on(end)) {
                *by.entry(c.kind).or_insert(0) += 1;
            }
            Some((end, by))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{AbsenceReason, SpellKind};
    use crate::model::test_support::{d, spell};
    use crate::model::{Absence, WorkforceBuilder};

    #[test]
    fn exit_reasons_are_ranked_and_the_response_rate_is_of_leavers() {
        let mut b = WorkforceBuilder::new();
        let t = b.team("T");
        let people: Vec<_> = (0..4).map(|i| b.person(&i.to_string())).collect();
        for p in &people {
            b.add_spell(spell(*p, t, SpellKind::Permanent, "2020-01-01", Some("2024-06-30"), 1.0));
        }
        let wf = b.build();
        let exit = |p: Option<PersonIdx>, reasons: Vec<ExitReason>, back| ExitInterview {
            person: p,
            team: None,
            date: d("2024-06-30"),
            reasons,
            text: Some("words".into()),
            would_return: back,
        };
        let records = VoiceRecords {
            exits: vec![
                exit(Some(people[0]), vec![ExitReason::Workload, ExitReason::Pay], Some(true)),
                exit(Some(people[1]), vec![ExitReason::Workload], Some(false)),
                exit(Some(people[2]), vec![], None),
            ],
            ..Default::default()
        };
        let period = Period::census_year(2024);
        let f = voice_figures(&wf, &records, &crate::Calendar::england_and_wales(), period, None, 20.0);
        assert_eq!(f.exit_interviews, 3);
        assert_eq!(
            (f.exit_reasons[0].reason, f.exit_reasons[0].count, f.exit_reasons[0].share),
            (ExitReason::Workload, 2, 100.0)
        );
        assert_eq!((f.exit_reasons[1].reason, f.exit_reasons[1].share), (ExitReason::Pay, 50.0));
        assert_eq!(f.exit_response_rate_pct, Some(75.0), "3 interviews, 4 leavers");
        assert_eq!(f.would_return_pct, Some(50.0));
    }

    #[test]
    fn survey_themes_score_the_latest_wave_against_the_one_before() {
        let wf = WorkforceBuilder::new().build();
        let answer = |wave: &str, date: &str, who: &str, theme: &str, score: f64| SurveyAnswer {
            person: None,
            respondent: Some(who.into()),
            team: None,
            date: d(date),
            wave: wave.into(),
            question: "q".into(),
            theme: Some(theme.into()),
            answer: score,
            score,
        };
        let records = VoiceRecords {
            answers: vec![
                answer("spring", "2024-04-10", "a", "Wellbeing", 50.0),
                answer("autumn", "2024-10-10", "a", "Wellbeing", 75.0),
                answer("autumn", "2024-10-11", "b", "Wellbeing", 100.0),
                answer("autumn", "2024-10-11", "b", "Supervision", 25.0),
            ],
            ..Default::default()
        };
        let period = Period { start: d("2024-01-01"), end: d("2024-12-31") };
        let f = voice_figures(&wf, &records, &crate::Calendar::england_and_wales(), period, None, 20.0);
        let w = f.survey_themes.iter().find(|t| t.theme == "Wellbeing").unwrap();
        assert_eq!((w.score, w.band, w.respondents, w.change), (87.5, "high", 2, Some(37.5)));
        let s = f.survey_themes.iter().find(|t| t.theme == "Supervision").unwrap();
        assert_eq!((s.band, s.change), ("low", None));
        let waves = themes_by_wave(&wf, &records, d("2024-12-31"), None, 4);
        let wellbeing: Vec<(&str, f64)> =
            waves.iter().filter(|w| w.2 == "Wellbeing").map(|w| (w.0.as_str(), w.3)).collect();
        assert_eq!(wellbeing, [("spring", 50.0), ("autumn", 87.5)]);
        assert_eq!((band(50.4), band(50.6), band(74.4), band(74.5)), ("low", "moderate", "moderate", "high"));
    }

    #[test]
    fn long_term_sickness_is_checked_against_open_casework() {
        let mut b = WorkforceBuilder::new();
        let t = b.team("T");
        let (sick, managed, case_only) = (b.person("s"), b.person("m"), b.person("c"));
        for p in [sick, managed, case_only] {
            b.add_spell(spell(p, t, SpellKind::Permanent, "2020-01-01", None, 1.0));
        }
        for p in [sick, managed] {
            b.add_absence(Absence {
                person: p,
                start: d("2024-08-01"),
                end: d("2024-10-31"),
                reason: AbsenceReason::Sickness,
                days_lost: None,
            });
        }
        let wf = b.build();
        let case = |person, closed: Option<&str>| ErCase {
            person,
            kind: ErKind::SicknessAbsence,
            opened: d("2024-08-20"),
            stage: None,
            closed: closed.map(d),
            outcome: None,
        };
        let records = VoiceRecords { er_cases: vec![case(managed, None), case(case_only, None)], ..Default::default() };
        let period = Period::census_year(2024);
        let f = voice_figures(&wf, &records, &crate::Calendar::england_and_wales(), period, None, 20.0);
        assert_eq!(f.longterm_sick_without_case, Some(1));
        assert_eq!(f.sickness_cases_without_absence, Some(1));
        assert_eq!(f.er_open_by_type.get(&ErKind::SicknessAbsence), Some(&2));
        let months = er_open_by_month(&records, d("2024-09-30"));
        assert_eq!(months.len(), 12);
        assert_eq!(months[9].0, d("2024-07-31"));
        assert!(months[9].1.is_empty(), "opened 20 August");
        assert_eq!(months[10].1.get(&ErKind::SicknessAbsence), Some(&2));
    }
}
