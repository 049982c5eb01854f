//! guanxi (关系): turn Chinese economic news into a typed knowledge graph.
//!
//! Data flows one way, and the folders follow it (see `docs/architecture.md`):
//!
//! | stage | module | holds |
//! |---|---|---|
//! | files → documents | [`read`] | encoding detection, directory walking, JSON Lines and HTML, dates, normalised text |
//! | entries | [`dict`] | dictionary CSV files, merged, with their lookups |
//! | document → mentions, names, context, relations | [`extract`] | the stages of one document, in order |
//! | relations → graph | [`graph`] | nodes, and edges folded in memory or through sorted temporary files; results |
//! | graph → files | [`export`] | GraphML, GEXF, DOT, JSON, Neo4j CSV, HTML |
//! | graph → answers | [`query`] | neighbours, paths, cards, statistics, and their printing |
//!
//! [`pipeline`] runs the stages over many inputs, in parallel; [`model`] holds the plain data types they share.
//! Beside the pipeline: [`eval`] scores against gold relations, [`explain`] shows how a text was read, and
//! [`suggest`] proposes dictionary entries. The `guanxi` binary (`src/main.rs`, `src/cli/`) parses commands and
//! calls them.
#![deny(missing_docs)]

pub mod dict;
pub mod error;
pub mod eval;
pub mod explain;
pub mod export;
pub mod extract;
pub mod graph;
pub mod model;
pub mod pipeline;
pub mod query;
pub mod read;
pub mod suggest;
pub mod train;

pub use error::{Error, Result};
pub use graph::Graph;
pub use pipeline::{Options, Pipeline};
