//! One module per command group.

pub mod audit;
pub mod backup;
pub mod benchmark;
pub mod calibrate;
pub mod capacity;
pub mod census;
pub mod coverage;
pub mod data;
pub mod demo;
pub mod development;
pub mod import;
pub mod indicators;
pub mod people;
pub mod plan;
pub mod profile;
pub mod recruitment;
pub mod report;
pub mod serve;
pub mod services;
pub mod synth;
pub mod targets;
pub mod teams;
pub mod tokens;
pub mod users;
pub mod voice;
