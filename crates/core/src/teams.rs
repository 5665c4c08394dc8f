//! Team names through restructures: a map from the names exports use (old
//! team names, finance cost centres) to today's teams, each entry for a
//! span of dates. An export's posts and funded posts are put in the team the
//! map gives for the day they start. Once a map exists, a team name that is
//! neither mapped nor one of today's teams is unknown: it is listed, and
//! the import refused, rather than silently made into a new team.

use crate::model::{TeamId, Workforce, WorkforceBuilder};
use crate::source::SourceData;
use crate::Date;
use std::collections::{BTreeMap, HashSet};
use std::fmt;

/// One line of the map: exports' `name` means `team` from `from` to `to`
/// (inclusive; either open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMapEntry {
    pub name: String,
    pub team: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl TeamMapEntry {
    fn covers(&self, d: Date) -> bool {
        self.from.is_none_or(|f| f <= d) && self.to.is_none_or(|t| d <= t)
    }
}

/// Names compared as people write them: case, spaces at the ends and runs
/// of spaces do not matter.
pub fn team_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// What is wrong with a map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapError(pub String);

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MapError {}

/// A checked team map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamMap {
    entries: Vec<TeamMapEntry>,
}

/// A team name an export uses that the map does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTeam {
    pub name: String,
    /// Posts and funded posts that name it.
    pub rows: usize,
    pub first_start: Date,
    pub last_start: Date,
}

impl TeamMap {
    /// A map of these entries. Refused: an empty name or team, a span that
    /// ends before it starts, and one name meaning two teams on one day.
    pub fn new(entries: Vec<TeamMapEntry>) -> Result<TeamMap, MapError> {
        for (i, e) in entries.iter().enumerate() {
            if e.name.trim().is_empty() || e.team.trim().is_empty() {
                return Err(MapError(format!("entry {}: a name and a team are both needed", i + 1)));
            }
            if let (Some(f), Some(t)) = (e.from, e.to) {
                if t < f {
                    return Err(MapError(format!("entry {} (`{}`): it ends before it starts", i + 1, e.name)));
                }
            }
            for (j, o) in entries[..i].iter().enumerate() {
                let overlap =
                    o.from.max(e.from).unwrap_or(Date::MIN) <= o.to.unwrap_or(Date::MAX).min(e.to.unwrap_or(Date::MAX));
                if team_key(&o.name) == team_key(&e.name) && overlap && team_key(&o.team) != team_key(&e.team) {
                    return Err(MapError(format!(
                        "entries {} and {}: `{}` cannot mean both `{}` and `{}` on the same days",
                        j + 1,
                        i + 1,
                        e.name,
                        o.team,
                        e.team
                    )));
                }
            }
        }
        Ok(TeamMap { entries })
    }

    pub fn entries(&self) -> &[TeamMapEntry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The team `name` means on day `d`, where the map says.
    pub fn team_for(&self, name: &str, d: Date) -> Option<&str> {
        let key = team_key(name);
        self.entries.iter().find(|e| team_key(&e.name) == key && e.covers(d)).map(|e| e.team.as_str())
    }

    /// Today's teams: those the map leads to, and `stored` teams the map
    /// does not rename.
    fn current(&self, stored: &[String]) -> HashSet<String> {
        let renamed: HashSet<String> = self.entries.iter().map(|e| team_key(&e.name)).collect();
        let mut current: HashSet<String> = self.entries.iter().map(|e| team_key(&e.team)).collect();
        current.extend(stored.iter().map(|s| team_key(s)).filter(|k| !renamed.contains(k)));
        current
    }

    /// The workforce with its posts and funded posts in today's teams (the
    /// team the map gives for the day each starts), or, when any names a
    /// team that is neither mapped nor one of today's teams (those the map
    /// leads to, and `stored` teams it does not rename), every such name.
    /// An empty map changes nothing.
    pub fn apply(&self, wf: Workforce, stored: &[String]) -> Result<Workforce, Vec<UnknownTeam>> {
        self.apply_with(wf, stored, &mut [])
    }

    /// [`TeamMap::apply`] to a source's data: its posts' references follow
    /// their posts into today's teams.
    pub fn apply_source(&self, mut data: SourceData, stored: &[String]) -> Result<SourceData, Vec<UnknownTeam>> {
        let mut refs: Vec<(TeamId, Date)> = data.post_refs.iter().map(|r| (r.team, r.start)).collect();
        let (posts, funded) = (data.staff_groups.len(), data.funded_groups.len());
        refs.extend(data.staff_groups.iter().map(|(k, _)| (k.2, k.1)));
        refs.extend(data.funded_groups.iter().map(|(k, _)| (k.0, k.1)));
        data.workforce = self.apply_with(data.workforce, stored, &mut refs)?;
        let mut refs = refs.into_iter();
        for (r, (team, _)) in data.post_refs.iter_mut().zip(refs.by_ref()) {
            r.team = team;
        }
        for ((k, _), (team, _)) in data.staff_groups.iter_mut().zip(refs.by_ref().take(posts)) {
            k.2 = team;
        }
        for ((k, _), (team, _)) in data.funded_groups.iter_mut().zip(refs.by_ref().take(funded)) {
            k.0 = team;
        }
        // A directorate follows its team's name into today's (as the map has it on the data's latest day),
        // spelled as the workforce spells it.
        let latest = data.workforce.latest_date();
        for (name, _) in data.directorates.iter_mut() {
            if let Some(today) = latest.and_then(|d| self.team_for(name, d)) {
                *name = today.to_string();
            }
            if let Some(spelled) = data.workforce.teams().iter().find(|t| team_key(t) == team_key(name)) {
                *name = spelled.clone();
            }
        }
        Ok(data)
    }

    /// `extra` holds (team, day) pairs of `wf` to be put in today's teams too.
    fn apply_with(
        &self,
        wf: Workforce,
        stored: &[String],
        extra: &mut [(TeamId, Date)],
    ) -> Result<Workforce, Vec<UnknownTeam>> {
        if self.is_empty() {
            return Ok(wf);
        }
        let current = self.current(stored);
        // Today's teams by key, written as the map (or the store) writes them.
        let mut spelled: BTreeMap<String, String> = BTreeMap::new();
        for name in stored.iter().chain(self.entries.iter().map(|e| &e.team)) {
            spelled.entry(team_key(name)).or_insert_with(|| name.clone());
        }
        let name_for = |name: &str, d: Date| -> Option<String> {
            if let Some(team) = self.team_for(name, d) {
                return Some(spelled.get(&team_key(team)).cloned().unwrap_or_else(|| team.to_string()));
            }
            let key = team_key(name);
            current.contains(&key).then(|| spelled.get(&key).cloned().unwrap_or_else(|| name.to_string()))
        };
        let mut unknown: BTreeMap<String, UnknownTeam> = BTreeMap::new();
        let mut resolve = |name: &str, d: Date| -> Option<String> {
            let found = name_for(name, d);
            if found.is_none() {
                let u = unknown.entry(team_key(name)).or_insert(UnknownTeam {
                    name: name.to_string(),
                    rows: 0,
                    first_start: d,
                    last_start: d,
                });
                u.rows += 1;
                u.first_start = u.first_start.min(d);
                u.last_start = u.last_start.max(d);
            }
            found
        };
        let mut b = WorkforceBuilder::new();
        for p in wf.persons() {
            let idx = b.person(&p.id);
            *b.person_mut(idx) = p.clone();
        }
        b.reserve(wf.spells().len(), wf.absences().len(), wf.caseloads().len());
        for s in wf.spells() {
            if let Some(team) = resolve(wf.team_name(s.team), s.start) {
                let team = b.team(&team);
                b.add_spell(crate::Spell { team, ..s.clone() });
            }
        }
        for e in wf.establishment() {
            if let Some(team) = resolve(wf.team_name(e.team), e.start) {
                let team = b.team(&team);
                b.add_establishment(crate::Establishment { team, ..e.clone() });
            }
        }
        if !unknown.is_empty() {
            return Err(unknown.into_values().collect());
        }
        for (team, day) in extra.iter_mut() {
            if let Some(name) = name_for(wf.team_name(*team), *day) {
                *team = b.team(&name);
            }
        }
        for a in wf.absences() {
            b.add_absence(a.clone());
        }
        b.add_caseloads(wf.caseloads().to_vec());
        Ok(b.build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::{d, spell};
    use crate::SpellKind;

    fn entry(name: &str, team: &str, from: Option<&str>, to: Option<&str>) -> TeamMapEntry {
        TeamMapEntry { name: name.into(), team: team.into(), from: from.map(d), to: to.map(d) }
    }

    fn workforce(teams: &[(&str, &str)]) -> Workforce {
        let mut b = WorkforceBuilder::new();
        for (i, (team, start)) in teams.iter().enumerate() {
            let p = b.person(&format!("P{i}"));
            let t = b.team(team);
            b.add_spell(spell(p, t, SpellKind::Permanent, start, None, 1.0));
        }
        b.build()
    }

    #[test]
    fn old_names_and_cost_centres_land_in_todays_teams_by_date() {
        let map = TeamMap::new(vec![
            entry("CP North", "Child Protection", None, Some("2023-03-31")),
            entry("CP North", "Assessment", Some("2023-04-01"), None),
            entry("CC4410", "court team", None, None),
        ])
        .unwrap();
        let wf = workforce(&[("cp  north ", "2022-01-10"), ("CP North", "2024-01-10"), ("CC4410", "2020-01-01")]);
        let out = map.apply(wf, &["Court Team".to_string()]).unwrap();
        let teams: Vec<&str> = out.spells().iter().map(|s| out.team_name(s.team)).collect();
        assert_eq!(teams, ["Child Protection", "Assessment", "Court Team"], "spelled as the store spells it");
        assert_eq!(out.persons().len(), 3);
    }

    #[test]
    fn unknown_names_are_listed_not_created_once_a_map_exists() {
        let map = TeamMap::new(vec![entry("CP North", "Child Protection", None, Some("2023-03-31"))]).unwrap();
        let wf = workforce(&[
            ("CP North", "2024-01-10"),
            ("Brand New", "2024-02-01"),
            ("Brand New", "2024-05-01"),
            ("Court", "2024-01-01"),
        ]);
        let unknown = map.apply(wf, &["Court".to_string(), "CP North".to_string()]).unwrap_err();
        let names: Vec<(&str, usize)> = unknown.iter().map(|u| (u.name.as_str(), u.rows)).collect();
        assert_eq!(names, [("Brand New", 2), ("CP North", 1)], "an old name outside its dates is unknown too");
        assert_eq!(unknown[0].last_start, d("2024-05-01"));
        // No map: nothing is checked or changed.
        let wf = workforce(&[("Anything", "2024-01-10")]);
        assert_eq!(TeamMap::default().apply(wf.clone(), &[]).unwrap().teams(), wf.teams());
    }

    #[test]
    fn a_map_that_contradicts_itself_is_refused() {
        let two =
            TeamMap::new(vec![entry("X", "A", None, Some("2023-06-30")), entry("x", "B", Some("2023-01-01"), None)]);
        assert!(two.unwrap_err().0.contains("cannot mean both `A` and `B`"));
        assert!(TeamMap::new(vec![entry("X", "A", Some("2024-01-01"), Some("2023-01-01"))]).is_err());
        assert!(TeamMap::new(vec![entry(" ", "A", None, None)]).is_err());
    }
}
