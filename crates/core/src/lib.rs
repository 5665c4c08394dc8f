//! Sightline's core: the workforce model and the indicator engine.
//!
//! No IO happens here: callers hand in a [`Workforce`] built from whatever
//! source, and get figures back. Every figure Sightline reports is defined
//! once, in [`mod@indicators`].

pub mod absence;
pub mod agency;
pub mod agency_rules;
pub mod benchmark;
pub mod calendar;
pub mod capacity;
pub mod codes;
pub mod completeness;
pub mod coverage;
pub mod development;
pub mod disclosure;
pub mod identity;
pub mod incentives;
pub mod indicators;
pub mod leavers;
pub mod model;
pub mod published;
pub mod recruitment;
pub mod resolve;
pub mod retention;
pub mod rows;
pub mod source;
pub mod staffing;
pub mod target;
pub mod teams;
pub mod voice;
pub mod words;

pub use calendar::{Calendar, Date, Period};
pub use codes::{AbsenceReason, Gender, LeaverDestination, OrgRole, QualificationRoute, ReasonLeave, SpellKind};
pub use indicators::{
    indicators, indicators_by, indicators_by_team_groups, indicators_for_periods, monthly_series, sickness_days_lost,
    GroupIndicators, Grouping, Indicators, Moves, TeamGroups, Unassigned,
};
pub use model::{
    Absence, CaseloadSnapshot, Establishment, Person, PersonIdx, Spell, TeamId, Workforce, WorkforceBuilder,
};
pub use rows::{indicator_rows, IndicatorRow, TimePeriod};
pub use source::{RowProblem, SourceData};
pub use staffing::{asyes_at, caseload_ranges_by_team, staffing_by_team, Asye, TeamCaseloads, TeamStaffing};
pub use target::{Target, TargetStatus};
