//! Who is who: the rule that joins a source's people to the people already
//! known, as a pure plan. The store reads what it knows into a
//! [`Directory`] (the types are the core's, `sightline_core::identity`),
//! [`plan`] is asked about an incoming batch, and the store carries the
//! [`IdentityPlan`] out in its transaction; nothing here touches a database.
//!
//! A source's person is joined, in this order, by:
//! 1. the same source's own identifier for them;
//! 2. their Social Work England number;
//! 3. a cross-reference naming them in another source.
//!
//! Otherwise they are a new person. A new person with the same name and
//! birth date as someone known, or a joined person whose SWE number another
//! person holds, is never merged silently: the pair becomes a suggestion for
//! a person to accept or reject. A cross-reference also teaches the other
//! source's identifier, so import order does not matter.

use chrono::NaiveDate;
use sightline_core::identity::{
    Directory, IdentityPlan, Known, SuggestedMatch, SAME_NAME_AND_BIRTH_DATE, SAME_SWE_NUMBER,
};
use sightline_core::source::PersonDetails;
use sightline_core::Person;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Name and birth date, as compared when suggesting that two records are one person.
type NameKey = (String, String, NaiveDate);

fn name_key(details: &PersonDetails, birth_date: Option<NaiveDate>) -> Option<NameKey> {
    let norm =
        |s: &Option<String>| s.as_deref().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase());
    Some((norm(&details.given_name)?, norm(&details.family_name)?, birth_date?))
}

/// Joins `source`'s people (`persons`, with their `details` beside them) to
/// the people in `directory`, and says what to record. New people are
/// numbered after the highest known number. A new person keeps the
/// source's identifier as their key unless another person has it, when it
/// becomes `source:identifier` (with `#2`, `#3`... if need be).
pub fn plan(directory: Directory, source: &str, persons: &[Person], details: &[PersonDetails]) -> IdentityPlan {
    let Directory { people: mut stored, mut identifiers, mut suggested } = directory;
    let originals = stored.clone();
    let mut by_swe: HashMap<String, i64> = HashMap::new();
    let mut by_name: HashMap<NameKey, Vec<i64>> = HashMap::new();
    let mut keys: HashSet<String> = HashSet::new();
    for (id, k) in &stored {
        if let Some(swe) = &k.person.swe_no {
            // The earliest person holding a number is the one it finds.
            by_swe.entry(swe.clone()).or_insert(*id);
        }
        if let Some(key) = name_key(&k.details, k.person.birth_date) {
            by_name.entry(key).or_default().push(*id);
        }
        keys.insert(k.person.id.clone());
    }
    let mut next_person = stored.keys().next_back().map_or(1, |id| id + 1);
    let mut out = IdentityPlan { ids: Vec::with_capacity(persons.len()), ..IdentityPlan::default() };
    let mut changed: BTreeMap<i64, Known> = BTreeMap::new();
    let no_details = PersonDetails::default();
    for (i, p) in persons.iter().enumerate() {
        let details = details.get(i).unwrap_or(&no_details);
        let own = (source.to_string(), p.id.clone());
        let joined = identifiers
            .get(&own)
            .map(|id| (*id, false))
            .or_else(|| p.swe_no.as_ref().and_then(|s| by_swe.get(s)).map(|id| (*id, true)))
            .or_else(|| details.xref.as_ref().and_then(|x| identifiers.get(x)).map(|id| (*id, true)))
            .filter(|(id, _)| stored.contains_key(id));
        let id = match joined {
            Some((id, newly)) => {
                if newly {
                    out.joined += 1;
                    out.new_identifiers.push((own.clone(), id));
                    identifiers.insert(own, id);
                }
                // A different SWE number that another person holds: suggest, never merge silently.
                if let Some(other) = p.swe_no.as_ref().and_then(|s| by_swe.get(s)).filter(|o| **o != id) {
                    if suggested.insert((id, *other)) {
                        out.suggestions.push(SuggestedMatch { person: id, candidate: *other, reason: SAME_SWE_NUMBER });
                    }
                }
                if let Some(known) = stored.get_mut(&id) {
                    let merged = known.merged_with(p, details);
                    if merged != *known {
                        if let Some(swe) = &merged.person.swe_no {
                            by_swe.entry(swe.clone()).or_insert(id);
                        }
                        *known = merged.clone();
                        changed.insert(id, merged);
                    }
                }
                id
            }
            None => {
                let id = next_person;
                next_person += 1;
                let key = free_key(&keys, source, &p.id);
                keys.insert(key.clone());
                let known = Known {
                    person: Person { id: key, ..p.clone() },
                    details: PersonDetails { xref: None, ..details.clone() },
                };
                if let Some(swe) = &known.person.swe_no {
                    by_swe.insert(swe.clone(), id);
                }
                if let Some(name) = name_key(&known.details, known.person.birth_date) {
                    let others = by_name.entry(name).or_default();
                    for other in others.iter() {
                        if suggested.insert((id, *other)) {
                            out.suggestions.push(SuggestedMatch {
                                person: id,
                                candidate: *other,
                                reason: SAME_NAME_AND_BIRTH_DATE,
                            });
                        }
                    }
                    others.push(id);
                }
                out.new_identifiers.push((own.clone(), id));
                identifiers.insert(own, id);
                stored.insert(id, known.clone());
                out.new_people.push((id, known));
                id
            }
        };
        // The cross-reference names this person in another source: that
        // source's later imports find them by it.
        if let Some(xref) = &details.xref {
            if !identifiers.contains_key(xref) {
                identifiers.insert(xref.clone(), id);
                out.new_identifiers.push((xref.clone(), id));
            }
        }
        out.ids.push(id);
    }
    // A person added by this batch is written whole; a known person only
    // when they end up other than they were.
    for (id, k) in &mut out.new_people {
        if let Some(latest) = changed.remove(id) {
            *k = latest;
        }
    }
    out.changed = changed.into_iter().filter(|(id, k)| originals.get(id) != Some(k)).collect();
    out
}

/// The source's identifier as a person key, or `source:identifier` (then
/// `#2`, `#3`...) when another person has it.
fn free_key(keys: &HashSet<String>, source: &str, id: &str) -> String {
    if !keys.contains(id) {
        return id.to_string();
    }
    let base = format!("{source}:{id}");
    let mut key = base.clone();
    let mut n = 2;
    while keys.contains(&key) {
        key = format!("{base}#{n}");
        n += 1;
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The directory once `plan` is carried out, as the store will hold it.
    fn apply(d: &mut Directory, plan: &IdentityPlan) {
        for (id, k) in plan.new_people.iter().chain(&plan.changed) {
            d.people.insert(*id, k.clone());
        }
        for (key, id) in &plan.new_identifiers {
            d.identifiers.insert(key.clone(), *id);
        }
        for s in &plan.suggestions {
            d.suggested.insert((s.person, s.candidate));
        }
    }

    fn person(id: &str, swe: Option<&str>, birth: Option<&str>) -> Person {
        Person {
            id: id.to_string(),
            swe_no: swe.map(str::to_string),
            birth_date: birth.map(|b| b.parse().unwrap()),
            gender: None,
            ethnicity: None,
            qualification_date: None,
            qualification_route: None,
        }
    }

    fn named(given: &str, family: &str) -> PersonDetails {
        PersonDetails { given_name: Some(given.into()), family_name: Some(family.into()), xref: None }
    }

    /// A directory holding what `payroll` said of A1 (SWE SW1) and A2.
    fn known() -> Directory {
        let mut d = Directory::default();
        let plan = plan(
            d.clone(),
            "payroll",
            &[person("A1", Some("SW1"), Some("1980-01-01")), person("A2", None, Some("1990-05-05"))],
            &[named("Ann", "Ash"), named("Bo", "Birch")],
        );
        assert_eq!(plan.ids, [1, 2]);
        apply(&mut d, &plan);
        d
    }

    #[test]
    fn people_are_joined_by_own_identifier_then_swe_number_then_cross_reference() {
        let d = known();
        let xref = PersonDetails { xref: Some(("payroll".into(), "A2".into())), ..PersonDetails::default() };
        let p = plan(
            d.clone(),
            "hr",
            &[person("H1", Some("SW1"), None), person("H2", None, None), person("H3", None, None)],
            &[PersonDetails::default(), xref, PersonDetails::default()],
        );
        assert_eq!(p.ids, [1, 2, 3], "H1 by SWE number, H2 by cross-reference, H3 new");
        assert_eq!(p.joined, 2);
        assert_eq!(p.new_people.len(), 1);
        assert!(p.new_identifiers.contains(&(("hr".into(), "H1".into()), 1)));
        assert!(p.new_identifiers.contains(&(("hr".into(), "H2".into()), 2)));
        // The same source's identifier comes first, and joins without counting as a join.
        let again = plan(d, "payroll", &[person("A1", Some("SW9"), None)], &[PersonDetails::default()]);
        assert_eq!((again.ids.as_slice(), again.joined), ([1].as_slice(), 0));
        assert_eq!(again.changed[0].1.person.swe_no.as_deref(), Some("SW9"), "a source's details replace the known");
        assert_eq!(again.changed[0].1.details.given_name.as_deref(), Some("Ann"), "and blank none");
    }

    #[test]
    fn likely_matches_are_suggested_never_merged() {
        let d = known();
        let p = plan(d.clone(), "hr", &[person("H1", None, Some("1990-05-05"))], &[named(" bo ", "BIRCH")]);
        assert_eq!(p.ids, [3], "a new person");
        assert_eq!(p.suggestions, [SuggestedMatch { person: 3, candidate: 2, reason: SAME_NAME_AND_BIRTH_DATE }]);
        // Joined by own identifier, but giving a SWE number another person holds.
        let p = plan(d, "payroll", &[person("A2", Some("SW1"), None)], &[PersonDetails::default()]);
        assert_eq!(p.ids, [2], "the source's own identifier comes first");
        assert_eq!(p.suggestions, [SuggestedMatch { person: 2, candidate: 1, reason: SAME_SWE_NUMBER }]);
    }

    #[test]
    fn a_new_persons_key_is_kept_apart_from_anothers() {
        let d = known();
        let p = plan(d, "hr", &[person("A1", None, None), person("A2", None, None)], &[]);
        let keys: Vec<&str> = p.new_people.iter().map(|(_, k)| k.person.id.as_str()).collect();
        assert_eq!(keys, ["hr:A1", "hr:A2"]);
        assert_eq!(free_key(&["x".to_string(), "s:x".to_string()].into(), "s", "x"), "s:x#2");
    }

    #[test]
    fn an_accepted_match_keeps_the_earlier_records_details_and_fills_its_gaps() {
        let earlier = Known { person: person("A1", Some("SW1"), None), details: named("Ann", "Ash") };
        let newer = Known { person: person("H7", Some("SW2"), Some("1980-01-01")), details: named("Anne", "Ash") };
        let k = Known::combine(&earlier, &newer);
        assert_eq!((k.person.id.as_str(), k.person.swe_no.as_deref()), ("A1", Some("SW1")));
        assert_eq!(k.person.birth_date, newer.person.birth_date);
        assert_eq!(k.details.given_name.as_deref(), Some("Ann"));
    }

    fn batch() -> impl Strategy<Value = (Vec<Person>, Vec<PersonDetails>)> {
        let one = (
            0u8..12,
            proptest::option::of(0u8..6),
            proptest::option::of(0u8..3),
            0u8..3,
            proptest::option::of(0u8..12),
        );
        proptest::collection::vec(one, 0..16).prop_map(|rows| {
            let mut seen = HashSet::new();
            let rows: Vec<_> = rows.into_iter().filter(|r| seen.insert(r.0)).collect();
            let persons = rows
                .iter()
                .map(|(id, swe, birth, _, _)| Person {
                    id: format!("P{id}"),
                    swe_no: swe.map(|s| format!("SW{s}")),
                    birth_date: birth.map(|b| NaiveDate::from_ymd_opt(1980 + i32::from(b), 1, 1).unwrap()),
                    gender: None,
                    ethnicity: None,
                    qualification_date: None,
                    qualification_route: None,
                })
                .collect();
            let details = rows
                .iter()
                .map(|(_, _, _, name, xref)| PersonDetails {
                    given_name: Some(format!("G{name}")),
                    family_name: Some("F".into()),
                    xref: xref.map(|x| ("other".to_string(), format!("P{x}"))),
                })
                .collect();
            (persons, details)
        })
    }

    proptest! {
        /// Whatever the batches: every person gets a number, new numbers are
        /// fresh and unique, and a batch planned again once carried out
        /// changes nothing.
        #[test]
        fn planning_is_complete_fresh_and_idempotent(a in batch(), b in batch()) {
            let mut d = Directory::default();
            for (source, (persons, details)) in [("one", &a), ("two", &b)] {
                let before: HashSet<i64> = d.people.keys().copied().collect();
                let p = plan(d.clone(), source, persons, details);
                prop_assert_eq!(p.ids.len(), persons.len());
                let new: Vec<i64> = p.new_people.iter().map(|(id, _)| *id).collect();
                prop_assert_eq!(new.iter().collect::<HashSet<_>>().len(), new.len());
                prop_assert!(new.iter().all(|id| !before.contains(id)));
                prop_assert!(p.ids.iter().all(|id| before.contains(id) || new.contains(id)));
                apply(&mut d, &p);
                let keys: HashSet<&String> = d.people.values().map(|k| &k.person.id).collect();
                prop_assert_eq!(keys.len(), d.people.len(), "person keys are unique");
                let again = plan(d.clone(), source, persons, details);
                prop_assert_eq!(&again.ids, &p.ids);
                prop_assert!(again.new_people.is_empty() && again.changed.is_empty());
                prop_assert!(again.new_identifiers.is_empty() && again.suggestions.is_empty());
            }
        }
    }
}
