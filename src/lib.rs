//! guanxi (关系): turn Chinese economic news into a typed knowledge graph.
#![deny(missing_docs)]

pub mod dict;
pub mod error;
pub mod input;
pub mod mentions;
pub mod model;
pub mod text;
