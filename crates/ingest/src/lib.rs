//! Getting workforce data into Sightline: the canonical CSV directory format,
//! read with row-level validation and written back.

pub mod canonical;
mod table;

pub use canonical::{read_dir, write_dir, Loaded, ReadError, RowProblem, Strictness};
