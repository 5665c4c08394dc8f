//! The wider workforce beside a synthetic authority's social workers, and
//! the leave that takes social workers away from their teams:
//!
//! - social work assistants in each social work team (directorate
//!   "Children's Social Care"), family support workers, early help
//!   practitioners and personal advisers ("Early Help and Prevention") and
//!   business support ("Operations"), with their own starters, leavers and
//!   sickness (business support off sick more, as councils report);
//! - for the social workers: maternity leave, secondments out and the odd
//!   suspension, some running on the last day, so that capacity is less
//!   than the FTE in post.
//!
//! Written as the `wider-workforce` export, an absence export for the wider
//! workforce and one of the social workers' leave (both `absence-episodes`).
//! Only made-up people.

use crate::uk;
use chrono::Days;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sightline_core::{Date, Workforce};

/// The groups beyond social work: (job title, team or `None` for each social work team, directorate, how many, sickness rate).
const GROUPS: [(&str, Option<&str>, &str, u32, f64); 5] = [
    ("Social Work Assistant", None, "Children's Social Care", 1, 0.04),
    ("Family Support Worker", Some("Family Support"), "Early Help and Prevention", 14, 0.05),
    ("Early Help Practitioner", Some("Early Help Hub"), "Early Help and Prevention", 12, 0.045),
    ("Personal Adviser", Some("Leaving Care Personal Advisers"), "Early Help and Prevention", 8, 0.04),
    ("Business Support Officer", Some("Business Support"), "Operations", 18, 0.07),
];

/// The exports: (file name, CSV text) of the wider workforce, its absences
/// and the social workers' leave, for the profiles `wider-workforce`,
/// `absence-episodes` (people of the wider source) and `absence-episodes`.
pub fn exports(wf: &Workforce, from: Date, to: Date, seed: u64) -> Vec<(String, String)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0000_3105);
    let mut staff = String::from("Employee Number,Name,Team,Directorate,Job Title,Contract,Start Date,End Date,FTE\n");
    let mut absences = String::from("Employee Number,First Day,Last Day,Absence Type,Working Days Lost\n");
    let mut n = 0u32;
    let mut sw_teams: Vec<&String> = wf.teams().iter().collect();
    sw_teams.sort();
    for (title, team, directorate, per_team, sickness) in GROUPS {
        let teams: Vec<String> = match team {
            Some(t) => vec![t.to_string()],
            None => sw_teams.iter().map(|t| t.to_string()).collect(),
        };
        for team in teams {
            // Each post is held in turn by one person after another.
            for _ in 0..per_team {
                let mut start = from - Days::new(rng.gen_range(0..2000));
                while start <= to {
                    n += 1;
                    let id = format!("W{n:05}");
                    let stay = rng.gen_range(200..2500);
                    let end = start.checked_add_days(Days::new(stay)).filter(|e| *e < to);
                    let fte = if rng.gen_bool(0.3) { 0.6 } else { 1.0 };
                    staff.push_str(&format!(
                        "{id},Staff {n},{team},{directorate},{title},Permanent,{},{},{fte}\n",
                        uk(start),
                        end.map(uk).unwrap_or_default()
                    ));
                    // Sickness: episodes through the years held, about `sickness` of working days.
                    let mut day = start.max(from);
                    let last = end.unwrap_or(to);
                    while day < last {
                        day = day
                            .checked_add_days(Days::new(rng.gen_range(20..(10.0 / sickness) as u64 * 3)))
                            .unwrap_or(last);
                        if day >= last {
                            break;
                        }
                        let long = rng.gen_bool(0.1);
                        let length = if long { rng.gen_range(25..80) } else { rng.gen_range(1..8) };
                        let off_to = day.checked_add_days(Days::new(length)).unwrap_or(day).min(last);
                        absences.push_str(&format!("{id},{},{},Sickness,\n", uk(day), uk(off_to)));
                        day = off_to;
                    }
                    match end {
                        Some(e) => start = e.checked_add_days(Days::new(rng.gen_range(20..120))).unwrap_or(Date::MAX),
                        None => break,
                    }
                }
            }
        }
    }
    // The social workers' leave: maternity, secondment out and suspension, a few running on the last day.
    let mut leave = String::from("Employee Number,First Day,Last Day,Absence Type,Working Days Lost\n");
    let kinds = [("Maternity leave", 270, 0.06), ("Secondment to the NHS", 180, 0.02), ("Suspension", 60, 0.005)];
    for p in wf.person_indices() {
        let Some(s) = wf.spells_of(p).iter().find(|s| s.kind.is_employed() && s.in_post_at(to)) else { continue };
        for (what, days, chance) in kinds {
            if rng.gen_bool(chance) {
                let back = rng.gen_range(10..days);
                let first = (to - Days::new(back)).max(s.start);
                // Recorded to the data's last day at most: leave still running then ends there in the export.
                let last = first.checked_add_days(Days::new(days)).unwrap_or(to).min(to);
                leave.push_str(&format!("{},{},{},{what},\n", wf.person(p).id, uk(first), uk(last)));
                break;
            }
        }
    }
    vec![
        ("wider-workforce.csv".into(), staff),
        ("wider-absences.csv".into(), absences),
        ("social-worker-leave.csv".into(), leave),
    ]
}
