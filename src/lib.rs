//! guanxi (关系): turn Chinese economic news into a typed knowledge graph.
//!
//! Data flows one way, one module per stage:
//!
//! | stage | module | holds |
//! |---|---|---|
//! | files → documents | [`input`], [`dates`] | encoding detection, directory walking, each document's date |
//! | documents → normalised text | [`text`] | normalisation with an offset map, sentences |
//! | entries | [`dict`] | dictionary CSV files, merged |
//! | text → mentions | [`mentions`] | Aho–Corasick + jieba word boundaries |
//! | text → unlisted names | [`discover`] | names by Chinese patterns (with `--discover`, and for `suggest`) |
//! | mentions → relations | [`relations`], [`rules`], [`context`] | co-occurrence, the rules file, and what the whole document says (its place) |
//! | relations → graph | [`graph`], [`spool`] | nodes, and edges folded in memory or through sorted temporary files |
//! | (relations as JSON lines) | [`results`] | what `extract` writes and `merge` reads, for scale-out |
//! | graph → files | [`export`] | GraphML, GEXF, DOT, JSON, Neo4j CSV, HTML |
//!
//! [`pipeline`] ties the stages together; [`model`] holds the plain data types they share. Beside the pipeline:
//! [`eval`] scores against gold relations, [`explain`] shows how a text was read, [`query`] and [`output`] answer
//! questions about a built graph, and [`suggest`] proposes dictionary entries.
#![deny(missing_docs)]

pub mod context;
pub mod dates;
pub mod dict;
pub mod discover;
pub mod error;
pub mod eval;
pub mod explain;
pub mod export;
pub mod graph;
pub mod input;
pub mod mentions;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod query;
pub mod relations;
pub mod results;
pub mod rules;
pub mod spool;
pub mod suggest;
pub mod text;
pub mod timing;

pub use error::{Error, Result};
pub use graph::Graph;
pub use pipeline::{Options, Pipeline};
