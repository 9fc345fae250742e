//! leakhound: a fast, precise secret scanner for git repositories.
//!
//! Data flow: a [`source`] turns what the user named into buffers; the
//! [`engine`] (pure, `Sync`) turns bytes into matches of the [`rules`];
//! [`scan`] and [`suppress`] turn matches into [`finding`]s; a [`report`]
//! writes them. [`app`] wires it together for the command line.

pub mod app;
pub mod baseline_cmd;
pub mod cli;
pub mod config;
pub mod engine;
pub mod finding;
pub mod hook;
pub mod interrupt;
pub mod report;
pub mod rules;
pub mod safe_read;
pub mod scan;
pub mod source;
pub mod suppress;
