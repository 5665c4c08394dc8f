//! Getting workforce data into Sightline: the canonical CSV directory format,
//! read with row-level validation and written back; HR, agency, caseload and
//! absence exports read through source profiles; census returns as
//! history; and the rule that says who is who ([`identity`]). Every reader
//! gives the core's [`SourceData`].

// No panic reachable from a file: every unwrap or expect outside tests is
// refused, or allowed where it is said why it cannot fail. (Indexing is on
// positions the readers compute themselves, in their hot loops; the property
// tests of tests/hostile.rs feed them arbitrary bytes.)
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod agency_return;
pub mod canonical;
pub mod census;
pub mod identity;
pub mod profile;
mod read;
pub mod sheet;
pub mod suggest;
mod table;
pub mod teams;

pub use canonical::{check_synthetic_dir, read_dir, write_dir, write_synthetic_dir, Loaded};
pub use profile::{shipped, Profile};
pub use read::{list_problems, ReadError, Strictness};
pub use sightline_core::source::{RowProblem, SourceData};
