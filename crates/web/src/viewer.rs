//! Who is asking: the user behind a request and what their role lets them
//! see. The login layer ([`crate::auth::require_viewer`]) puts the
//! [`Viewer`] on every request it admits; handlers take it as an extractor.

use crate::error::Error;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::NaiveDate;
use sightline_core::{PersonIdx, Workforce};
use sightline_store::{Role, User};

/// Who is asking, and how.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    /// The session's CSRF token (none for API tokens, which send no cookies).
    pub csrf: Option<String>,
    /// The last date the data speaks of, for the footer of pages.
    pub data_until: Option<NaiveDate>,
}

impl Viewer {
    /// A count as this viewer may see it: members see none of 1 to 4 (DfE's `c`).
    pub fn count(&self, n: u32) -> Option<u32> {
        (self.user.role != Role::Member || !sightline_core::disclosure::is_disclosive(n)).then_some(n)
    }

    /// What of person `p` the viewer may see at `date`, if anything. Admin
    /// and HR: everything. A manager: someone in one of their teams at the
    /// date, or who left it (for another team or for good) in the 12 months
    /// before; and of them only their time in those teams. Others: nobody.
    pub fn sight_of(&self, wf: &Workforce, p: PersonIdx, date: NaiveDate) -> Option<Sight> {
        match self.user.role {
            Role::Admin | Role::Hr => Some(Sight::All),
            Role::Manager => {
                let year_before = date.checked_sub_months(chrono::Months::new(12)).unwrap_or(NaiveDate::MIN);
                let mine: Vec<(NaiveDate, NaiveDate)> = wf
                    .spells_of(p)
                    .iter()
                    .filter(|s| self.user.teams.iter().any(|t| t == wf.team_name(s.team)))
                    .map(|s| (s.start, s.end.unwrap_or(NaiveDate::MAX)))
                    .collect();
                let now_or_lately = mine.iter().any(|(start, end)| *start <= date && *end >= year_before);
                now_or_lately.then_some(Sight::During(mine))
            }
            Role::Analyst | Role::Member => None,
        }
    }

    /// Whether the viewer may see people's identities at all.
    pub fn sees_people(&self) -> bool {
        matches!(self.user.role, Role::Admin | Role::Hr | Role::Manager)
    }

    pub fn is_member(&self) -> bool {
        self.user.role == Role::Member
    }
}

/// What of a person a viewer may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sight {
    /// Their whole record.
    All,
    /// Only what falls in these spans (first and last day): their time in
    /// the viewer's teams.
    During(Vec<(NaiveDate, NaiveDate)>),
}

impl Sight {
    /// Whether a record from `start` to `end` (open: `None`) may be shown.
    pub fn shows(&self, start: NaiveDate, end: Option<NaiveDate>) -> bool {
        match self {
            Sight::All => true,
            Sight::During(spans) => spans.iter().any(|(from, to)| start <= *to && end.is_none_or(|e| e >= *from)),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Viewer>().cloned().ok_or_else(|| Error::unauthorized("log in, or send a bearer token"))
    }
}
