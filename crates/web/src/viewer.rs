//! Who is asking: the user behind a request and what their role lets them
//! see. The login layer ([`crate::auth::require_viewer`]) puts the
//! [`Viewer`] on every request it admits; handlers take it as an extractor.

use crate::error::Error;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sightline_store::{Role, User};

/// Who is asking, and how.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    /// The session's CSRF token (none for API tokens, which send no cookies).
    pub csrf: Option<String>,
}

impl Viewer {
    /// A count as this viewer may see it: members see none of 1 to 4 (DfE's `c`).
    pub fn count(&self, n: u32) -> Option<u32> {
        (self.user.role != Role::Member || !sightline_core::disclosure::is_disclosive(n)).then_some(n)
    }

    /// Whether the viewer may see personal data of people in `teams`.
    pub fn may_see_person_in(&self, teams: &[&str]) -> bool {
        match self.user.role {
            Role::Admin | Role::Hr => true,
            Role::Manager => teams.iter().any(|t| self.user.teams.iter().any(|m| m == t)),
            Role::Analyst | Role::Member => false,
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

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Viewer>().cloned().ok_or_else(|| Error::unauthorized("log in, or send a bearer token"))
    }
}
