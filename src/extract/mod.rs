//! Extraction: the stages one document passes, in order.

pub mod context;
pub mod discover;
pub mod mentions;
pub mod relations;
pub mod rules;
