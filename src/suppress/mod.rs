//! Suppression: what keeps a match from being reported. Inline allow
//! comments live here; baselines and config allowlists build on the same
//! content identity (see [`crate::finding`]).

pub mod inline;
