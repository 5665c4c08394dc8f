//! Getting workforce data into Sightline: the canonical CSV directory format,
//! read with row-level validation and written back; HR, agency, caseload and
//! absence exports read through source profiles; and the rule that settles
//! what two sources say of the same person.

pub mod canonical;
pub mod census;
pub mod identity;
pub mod profile;
pub mod resolve;
pub mod sheet;
pub mod suggest;
mod table;

pub use canonical::{
    check_synthetic_dir, read_dir, write_dir, write_synthetic_dir, Loaded, ReadError, RowProblem, Strictness,
};
pub use profile::{Profile, SourceData};
