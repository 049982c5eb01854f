//! The graph: one node per canonical entity, one edge per (head, relation, tail), built with petgraph.
//!
//! Edges keep a count (`weight`, the number of sentences that support them) and the first [`MAX_EVIDENCE`] pieces
//! of evidence ([`MAX_CO_OCCURRENCE_EVIDENCE`] for co-occurrence, by far the most numerous edges), and the highest
//! confidence of all their evidence, kept or not ([`Edge::confidence`]). Nodes keep the highest confidence of their
//! discovered entities ([`Node::confidence`]).
//!
//! A graph holds its edges in one of two ways. [`Graph::new`] keeps them in petgraph, for queries and algorithms.
//! [`Graph::spooled`], which `build` and `merge` use, keeps only the nodes in memory and folds relations into
//! edges through sorted temporary files (see [`crate::graph::spool`]), so that memory stays flat however large the corpus;
//! its edges are read with [`Graph::sorted_edges`], in the order every exporter writes them.
//!
//! What adds to a graph is in `build`; the smaller graphs made from one (`induced`, `filtered`, `top`) in `views`.

mod build;
pub mod hierarchy;
pub mod results;
pub mod spool;
pub mod timing;
mod views;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io;
use std::sync::Arc;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

use crate::graph::spool::{Folded, Spool};
use crate::graph::timing::Timing;
use crate::model::{Confidence, DocInfo, Entity, Evidence, CO_OCCURS};

/// How many pieces of evidence a typed edge keeps.
pub const MAX_EVIDENCE: usize = 3;
/// How many pieces of evidence a co-occurrence edge keeps.
pub const MAX_CO_OCCURRENCE_EVIDENCE: usize = 1;

/// A graph node: an entity with its counts.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Node {
    /// Canonical name; unique in the graph.
    pub name: String,
    /// Entity type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Aliases from the dictionaries.
    pub aliases: Vec<String>,
    /// Parent entity's name, from the dictionaries.
    pub parent: Option<String>,
    /// Post (for officials), from the dictionaries.
    pub title: Option<String>,
    /// Number of mentions in all documents.
    pub mentions: u64,
    /// Number of documents that mention it.
    pub documents: u64,
    /// Found by discovery rather than listed in a dictionary (written as `source` = `discovered`).
    #[serde(skip)]
    pub discovered: bool,
    /// The highest confidence the tagger gave the entity in any document (see [`Entity::confidence`]); `None` when
    /// none did (dictionary entities have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
}

impl Node {
    /// `dictionary` or `discovered`, as every output format writes it.
    pub fn source(&self) -> &'static str {
        if self.discovered {
            crate::model::DISCOVERED
        } else {
            "dictionary"
        }
    }

    /// A node for a dictionary entity, with zero counts.
    pub fn from_entity(e: &Entity) -> Self {
        Node {
            name: e.name.clone(),
            kind: e.kind.clone(),
            aliases: e.aliases.clone(),
            parent: e.parent.clone(),
            title: e.title.clone(),
            mentions: 0,
            documents: 0,
            discovered: e.is_discovered(),
            confidence: e.confidence,
        }
    }
}

/// A document's date, from its metadata.
fn date_of(doc: &DocInfo) -> Option<crate::read::dates::Date> {
    doc.meta.get("date").and_then(|d| crate::read::dates::Date::parse(d))
}

/// A graph edge.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// `leads`, `located-in`, `invests-in`, `co-occurs` or a user's own relation (one shared copy per relation).
    pub relation: Arc<str>,
    /// Number of sentences supporting the edge.
    pub weight: u64,
    /// The first pieces of evidence in input order; then, if not among them, the first-dated and the last-dated
    /// piece (see [`crate::graph::timing`]).
    pub evidence: Vec<Evidence>,
    /// When its evidence is dated: the first and last dates and the sentences per year.
    pub time: Option<Box<Timing>>,
    /// The highest confidence of all its evidence, kept or not (see [`Evidence::confidence`]); `None` when no piece
    /// has one (co-occurrence, rule-only builds).
    pub confidence: Option<Confidence>,
}

impl Edge {
    /// Whether the edge has a direction (co-occurrence has none).
    pub fn directed(&self) -> bool {
        &*self.relation != CO_OCCURS
    }

    /// An edge without evidence.
    pub fn new(relation: Arc<str>, weight: u64) -> Self {
        Edge { relation, weight, evidence: Vec::new(), time: None, confidence: None }
    }

    /// Whether any of its evidence may lie in `range` (every edge lies in an open range; see [`Timing::meets`]).
    pub fn meets(&self, range: &crate::read::dates::Range) -> bool {
        range.is_open() || self.time.as_ref().is_some_and(|t| t.meets(range))
    }

    /// For `leads` edges, the post held, from the first evidence that names one.
    pub fn title(&self) -> Option<&str> {
        (&*self.relation == "leads").then(|| self.evidence.iter().find_map(|e| e.trigger.as_deref())).flatten()
    }
}

/// One edge in export order, with its ends and their positions in [`Graph::sorted_nodes`].
#[derive(Clone, Debug)]
pub struct SortedEdge<'g> {
    /// The head node.
    pub head: &'g Node,
    /// The tail node.
    pub tail: &'g Node,
    /// The head's position among the nodes sorted by name.
    pub head_rank: usize,
    /// The tail's position among the nodes sorted by name.
    pub tail_rank: usize,
    /// The edge.
    pub edge: Cow<'g, Edge>,
}

/// Edges in export order; reading a spooled graph's temporary file can fail.
pub type SortedEdges<'g> = Box<dyn Iterator<Item = io::Result<SortedEdge<'g>>> + 'g>;

/// The knowledge graph.
#[derive(Debug, Default)]
pub struct Graph {
    graph: DiGraph<Node, Edge>,
    nodes: rustc_hash::FxHashMap<String, NodeIndex>,
    /// (head, relation id, tail) → edge; relation ids index `relation_names`.
    edges: rustc_hash::FxHashMap<(NodeIndex, u32, NodeIndex), EdgeIndex>,
    relations: rustc_hash::FxHashMap<Arc<str>, u32>,
    relation_names: Vec<Arc<str>>,
    documents: Vec<DocInfo>,
    /// For a spooled graph: its edges, which are then not in `graph`.
    spool: Option<Spool>,
    /// The first failure to write a temporary file, reported when the edges are read.
    spool_error: Option<String>,
}

impl Clone for Graph {
    /// A copy; a spooled graph is copied into memory.
    fn clone(&self) -> Self {
        if self.spool.is_none() {
            return Graph {
                graph: self.graph.clone(),
                nodes: self.nodes.clone(),
                edges: self.edges.clone(),
                relations: self.relations.clone(),
                relation_names: self.relation_names.clone(),
                documents: self.documents.clone(),
                spool: None,
                spool_error: self.spool_error.clone(),
            };
        }
        let keep: BTreeSet<NodeIndex> = self.graph.node_indices().collect();
        self.induced(&keep, &|_| true).unwrap_or_default()
    }
}

impl Graph {
    /// An empty graph that keeps its edges in memory.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty graph that folds its edges through sorted temporary files, keeping about `budget` bytes of
    /// relations in memory.
    pub fn spooled(budget: usize) -> Self {
        Graph { spool: Some(Spool::new(budget)), ..Self::default() }
    }

    /// This graph as a spooled graph (for adding many documents to a graph read back).
    pub fn into_spooled(self, budget: usize) -> Graph {
        if self.spool.is_some() {
            return self;
        }
        let mut out = Graph::spooled(budget);
        out.documents = self.documents;
        let (nodes, edges) = self.graph.into_nodes_edges();
        for n in nodes {
            out.add_node(n.weight);
        }
        for e in edges {
            let (head, tail) = (e.source(), e.target());
            out.add_edge(head, tail, &e.weight);
        }
        out
    }

    /// Whether the edges are spooled (see [`Graph::spooled`]); such a graph has no edges in [`Graph::petgraph`].
    pub fn is_spooled(&self) -> bool {
        self.spool.is_some()
    }

    /// The documents, in input order.
    pub fn documents(&self) -> &[DocInfo] {
        &self.documents
    }

    /// A document by id.
    pub fn document(&self, id: &str) -> Option<&DocInfo> {
        self.documents.iter().find(|d| d.id == id)
    }

    /// The node with this canonical name.
    pub fn node_index(&self, name: &str) -> Option<NodeIndex> {
        self.nodes.get(name).copied()
    }

    /// Nodes sorted by name: the order every exporter uses.
    pub fn sorted_nodes(&self) -> Vec<(NodeIndex, &Node)> {
        let mut v: Vec<_> = self.graph.node_indices().map(|i| (i, &self.graph[i])).collect();
        v.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        v
    }

    /// Edges sorted by (head name, tail name, relation): the order every exporter uses.
    pub fn sorted_edges(&self) -> io::Result<SortedEdges<'_>> {
        // Compare the nodes' ranks in name order rather than their names: the same order, far fewer string
        // comparisons on millions of edges.
        let mut rank = vec![0u32; self.graph.node_count()];
        for (r, (n, _)) in self.sorted_nodes().into_iter().enumerate() {
            rank[n.index()] = r as u32;
        }
        if let Some(finished) = self.finished()? {
            let g = &self.graph;
            return Ok(Box::new(finished.iter().map(move |item| {
                let Folded { key: (h, t, r), weight, evidence, time, confidence } = item?;
                let bad = || io::Error::new(io::ErrorKind::InvalidData, "temporary edge file is damaged");
                let (head, tail) = (NodeIndex::new(h as usize), NodeIndex::new(t as usize));
                let relation = self.relation_names.get(r as usize).ok_or_else(bad)?.clone();
                Ok(SortedEdge {
                    head: g.node_weight(head).ok_or_else(bad)?,
                    tail: g.node_weight(tail).ok_or_else(bad)?,
                    head_rank: rank[head.index()] as usize,
                    tail_rank: rank[tail.index()] as usize,
                    edge: Cow::Owned(Edge { relation, weight, evidence, time, confidence }),
                })
            })));
        }
        let mut v: Vec<_> = self
            .graph
            .edge_indices()
            .filter_map(|e| {
                let (a, b) = self.graph.edge_endpoints(e)?;
                Some((rank[a.index()], rank[b.index()], a, b, &self.graph[e]))
            })
            .collect();
        v.sort_unstable_by(|x, y| (x.0, x.1, &x.4.relation).cmp(&(y.0, y.1, &y.4.relation)));
        Ok(Box::new(v.into_iter().map(|(hr, tr, a, b, e)| {
            Ok(SortedEdge {
                head: &self.graph[a],
                tail: &self.graph[b],
                head_rank: hr as usize,
                tail_rank: tr as usize,
                edge: Cow::Borrowed(e),
            })
        })))
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges (for a spooled graph whose temporary files cannot be read, 0; see [`Graph::finish`]).
    pub fn edge_count(&self) -> usize {
        match self.finished() {
            Ok(Some(f)) => f.edges,
            Ok(None) => self.graph.edge_count(),
            Err(_) => 0,
        }
    }

    /// Number of edges per relation, sorted by relation.
    pub fn relation_counts(&self) -> Vec<(String, usize)> {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        match self.finished() {
            Ok(Some(f)) => {
                for (&r, &n) in &f.per_relation {
                    *counts.entry(&self.relation_names[r as usize]).or_default() += n;
                }
            }
            _ => {
                for e in self.graph.edge_weights() {
                    *counts.entry(&*e.relation).or_default() += 1;
                }
            }
        }
        counts.into_iter().map(|(r, n)| (r.to_string(), n)).collect()
    }

    /// Whether any document has a date.
    pub fn has_dated_documents(&self) -> bool {
        self.documents.iter().any(|d| date_of(d).is_some())
    }

    /// Each dated document's date (ISO; see [`crate::read::dates`]).
    pub fn document_dates(&self) -> std::collections::HashMap<&str, String> {
        self.documents
            .iter()
            .filter_map(|d| Some((d.id.as_str(), d.meta.get("date").and_then(|v| crate::read::dates::normalize(v))?)))
            .collect()
    }

    /// The underlying petgraph graph, for algorithms (a spooled graph's has its nodes only).
    pub fn petgraph(&self) -> &DiGraph<Node, Edge> {
        &self.graph
    }
}
