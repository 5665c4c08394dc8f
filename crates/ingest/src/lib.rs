//! Getting workforce data into Sightline: the canonical CSV directory format,
//! read with row-level validation and written back.

pub mod canonical;
pub mod profile;
pub mod sheet;
mod table;

pub use canonical::{
    check_synthetic_dir, read_dir, write_dir, write_synthetic_dir, Loaded, ReadError, RowProblem, Strictness,
};
