//! Who is who, as data: what the store knows of people ([`Directory`]) and
//! what an import changes of it ([`IdentityPlan`]). The rule that makes a
//! plan is `sightline_ingest::identity::plan`; the store reads the
//! directory and carries the plan out. Both sides meet here so that neither
//! depends on the other.

use crate::source::PersonDetails;
use crate::Person;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A source's name for a person: (source, the source's identifier).
pub type SourceKey = (String, String);

/// A known person with their names.
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    pub person: Person,
    pub details: PersonDetails,
}

/// What the store knows before a batch: the people (by their number), every
/// source's identifier for them, and the pairs already suggested (open or decided).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub people: BTreeMap<i64, Known>,
    pub identifiers: HashMap<SourceKey, i64>,
    pub suggested: HashSet<(i64, i64)>,
}

/// Why two records are suggested as one person.
pub const SAME_NAME_AND_BIRTH_DATE: &str = "same name and birth date";
pub const SAME_SWE_NUMBER: &str = "same Social Work England number";

/// Two records that may be one person, for a person to decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestedMatch {
    /// The person of this batch.
    pub person: i64,
    /// The known person they may be.
    pub candidate: i64,
    pub reason: &'static str,
}

/// What a batch changes of who is who.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdentityPlan {
    /// The person number of each of the batch's people, in the batch's order.
    pub ids: Vec<i64>,
    /// People not known before, with their numbers.
    pub new_people: Vec<(i64, Known)>,
    /// Known people whose details the batch adds to, as they will be.
    pub changed: Vec<(i64, Known)>,
    /// Identifiers to record.
    pub new_identifiers: Vec<(SourceKey, i64)>,
    pub suggestions: Vec<SuggestedMatch>,
    /// The batch's people joined to a known person by SWE number or cross-reference.
    pub joined: u64,
}

impl Known {
    /// What a source says of this person (`p`, `details`), added to what is
    /// known: details it gives replace the known ones; none are blanked.
    pub fn merged_with(&self, p: &Person, details: &PersonDetails) -> Known {
        let known = self;
        let s = &known.person;
        Known {
            person: Person {
                id: s.id.clone(),
                swe_no: p.swe_no.clone().or_else(|| s.swe_no.clone()),
                birth_date: p.birth_date.or(s.birth_date),
                gender: p.gender.or(s.gender),
                ethnicity: p.ethnicity.clone().or_else(|| s.ethnicity.clone()),
                qualification_date: p.qualification_date.or(s.qualification_date),
                qualification_route: p.qualification_route.or(s.qualification_route),
            },
            details: PersonDetails {
                given_name: details.given_name.clone().or_else(|| known.details.given_name.clone()),
                family_name: details.family_name.clone().or_else(|| known.details.family_name.clone()),
                xref: None,
            },
        }
    }

    /// Two records accepted as one person: the earlier keeps what it has
    /// and its key; the newer fills its gaps.
    pub fn combine(earlier: &Known, newer: &Known) -> Known {
        let mut k = newer.merged_with(&earlier.person, &earlier.details);
        k.person.id = earlier.person.id.clone();
        k
    }
}
