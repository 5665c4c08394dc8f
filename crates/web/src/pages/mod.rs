//! The dashboard's pages, one file each. A handler reads as: take the
//! viewer and the filter, ask the state for the workforce and the core for
//! the figures, lay them out; what fails is an [`crate::error::Error`]
//! shown in the layout by [`crate::layout::respond`].

pub mod absence;
pub mod agency;
pub mod capacity;
pub mod compared;
pub mod data;
pub mod development;
pub mod forecast;
pub mod glossary;
pub mod overview;
pub mod people;
pub mod recruitment;
pub mod report;
pub mod teams;
pub mod turnover;
pub mod voice;
