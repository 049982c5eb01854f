//! The graph: one node per canonical entity, one edge per (head, relation, tail), built with petgraph.
//!
//! Edges keep a count (`weight`, the number of sentences that support them) and the first [`MAX_EVIDENCE`] pieces
//! of evidence ([`MAX_CO_OCCURRENCE_EVIDENCE`] for co-occurrence, by far the most numerous edges).
//!
//! A graph holds its edges in one of two ways. [`Graph::new`] keeps them in petgraph, for queries and algorithms.
//! [`Graph::spooled`], which `build` and `merge` use, keeps only the nodes in memory and folds relations into
//! edges through sorted temporary files (see [`crate::graph::spool`]), so that memory stays flat however large the corpus;
//! its edges are read with [`Graph::sorted_edges`], in the order every exporter writes them.

pub mod results;
pub mod spool;
pub mod timing;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io;
use std::sync::Arc;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

use crate::dict::Dictionary;
use crate::extract::relations::Extraction;
use crate::graph::spool::{Finished, Order, Spool};
use crate::graph::timing::{keep_evidence, Added, Timing};
use crate::model::{DocInfo, Entity, Evidence, CO_OCCURS};

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
}

impl Edge {
    /// Whether the edge has a direction (co-occurrence has none).
    pub fn directed(&self) -> bool {
        &*self.relation != CO_OCCURS
    }

    /// An edge without evidence.
    pub fn new(relation: Arc<str>, weight: u64) -> Self {
        Edge { relation, weight, evidence: Vec::new(), time: None }
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

    /// Adds one document's extraction.
    pub fn add_document(&mut self, doc: DocInfo, dict: &Dictionary, extraction: &Extraction) {
        let dict = &dict.with_discovered(&extraction.discovered);
        let date = date_of(&doc);
        self.documents.push(doc);
        let mut seen = BTreeSet::new();
        for m in &extraction.mentions {
            let node = self.node_for(dict.entity(m.entity));
            let n = &mut self.graph[node];
            n.mentions = n.mentions.saturating_add(1);
            if seen.insert(node) {
                n.documents = n.documents.saturating_add(1);
            }
        }
        for r in &extraction.relations {
            let head = self.node_for(dict.entity(r.head));
            let tail = self.node_for(dict.entity(r.tail));
            let evidence = Evidence { date, ..r.evidence.clone() };
            self.add_evidence(head, &r.relation, tail, 1, std::slice::from_ref(&evidence));
        }
    }

    /// Adds one document's result as `guanxi extract` writes it: the same graph as [`Graph::add_document`] with
    /// the extraction it came from.
    /// Returns a warning for each entity whose type differs from the one an earlier result gave it (results from
    /// different dictionaries): the earlier type is kept.
    pub fn add_result(&mut self, result: &crate::graph::results::DocResult) -> Vec<String> {
        self.documents.push(result.document.clone());
        let date = date_of(&result.document);
        let mut warnings = Vec::new();
        let mut index = HashMap::with_capacity(result.entities.len());
        for e in &result.entities {
            let node = match self.nodes.get(&e.id) {
                Some(&i) => {
                    let kind = &self.graph[i].kind;
                    if *kind != e.kind {
                        warnings.push(format!(
                            "document '{}' gives '{}' the type {}, an earlier result {kind}; keeping {kind} (were the \
                             results extracted with different dictionaries?)",
                            result.document.id, e.id, e.kind
                        ));
                    }
                    i
                }
                None => self.add_node(Node {
                    name: e.id.clone(),
                    kind: e.kind.clone(),
                    aliases: e.aliases.clone(),
                    parent: e.parent.clone(),
                    title: e.title.clone(),
                    mentions: 0,
                    documents: 0,
                    discovered: e.source == crate::model::DISCOVERED,
                }),
            };
            let n = &mut self.graph[node];
            n.mentions = n.mentions.saturating_add(e.mentions);
            n.documents = n.documents.saturating_add(u64::from(e.mentions > 0));
            index.insert(e.id.as_str(), node);
        }
        for f in &result.relations {
            // Results are checked on reading: both ends are among the entities.
            if let (Some(&head), Some(&tail)) = (index.get(f.source.as_str()), index.get(f.target.as_str())) {
                let evidence = Evidence { date, ..f.evidence.clone() };
                self.add_evidence(head, &f.relation, tail, 1, std::slice::from_ref(&evidence));
            }
        }
        warnings
    }

    /// Adds a node (or returns the existing node of that name).
    pub fn add_node(&mut self, node: Node) -> NodeIndex {
        if let Some(&i) = self.nodes.get(&node.name) {
            return i;
        }
        let name = node.name.clone();
        let i = self.graph.add_node(node);
        self.nodes.insert(name, i);
        i
    }

    fn node_for(&mut self, e: &Entity) -> NodeIndex {
        match self.nodes.get(&e.name) {
            Some(&i) => i,
            None => self.add_node(Node::from_entity(e)),
        }
    }

    /// Adds an edge known to be new, without evidence (for loading a graph whose edges are unique, such as a query
    /// index). The lookup table [`Graph::add_evidence`] uses is rebuilt when next needed.
    pub fn push_edge(
        &mut self,
        head: NodeIndex,
        relation: &str,
        tail: NodeIndex,
        weight: u64,
        time: Option<Timing>,
    ) -> EdgeIndex {
        let relation = self.intern(relation).1;
        self.graph.add_edge(head, tail, Edge { time: time.map(Box::new), ..Edge::new(relation, weight) })
    }

    /// Makes room for `nodes` more nodes and `edges` more edges (for loading a graph whose size is known).
    pub fn reserve(&mut self, nodes: usize, edges: usize) {
        self.graph.reserve_nodes(nodes);
        self.graph.reserve_exact_edges(edges);
    }

    /// Replaces an edge's evidence.
    pub fn set_evidence(&mut self, edge: EdgeIndex, evidence: Vec<Evidence>) {
        if let Some(e) = self.graph.edge_weight_mut(edge) {
            e.evidence = evidence;
        }
    }

    /// Adds `weight` sentences to the edge (head, relation, tail), creating it if needed, with their evidence
    /// `ev`: one relation occurrence, dated by its evidence (`weight` sentences of the first piece's date).
    pub fn add_evidence(&mut self, head: NodeIndex, relation: &str, tail: NodeIndex, weight: u64, ev: &[Evidence]) {
        self.add(head, relation, tail, weight, ev, Added::Occurrence);
    }

    /// Adds a whole edge (of another graph) to the edge between `head` and `tail`.
    pub fn add_edge(&mut self, head: NodeIndex, tail: NodeIndex, edge: &Edge) {
        self.add_whole(head, &edge.relation, tail, edge.weight, &edge.evidence, edge.time.as_deref());
    }

    /// Adds `weight` sentences with the evidence they keep and their timing to the edge (head, relation, tail).
    pub fn add_whole(
        &mut self,
        head: NodeIndex,
        relation: &str,
        tail: NodeIndex,
        weight: u64,
        ev: &[Evidence],
        time: Option<&Timing>,
    ) {
        self.add(head, relation, tail, weight, ev, Added::Whole(time));
    }

    fn add(&mut self, head: NodeIndex, relation: &str, tail: NodeIndex, weight: u64, ev: &[Evidence], time: Added) {
        if self.spool.is_some() {
            let id = self.intern(relation).0;
            let key = (head.index() as u32, tail.index() as u32, id);
            let full = self.spool.as_mut().is_some_and(|s| s.push(key, weight, ev, time));
            if full && self.spool_error.is_none() {
                let order = self.order();
                if let Some(Err(e)) = self.spool.as_mut().map(|s| s.spill(&order)) {
                    // Keep going in memory; the failure is reported when the edges are read.
                    self.spool_error = Some(format!("cannot write a temporary file: {e}"));
                }
            }
            return;
        }
        if self.edges.len() != self.graph.edge_count() {
            self.reindex_edges();
        }
        let (id, relation) = self.intern(relation);
        let key = (head, id, tail);
        let edge = match self.edges.get(&key) {
            Some(&e) => e,
            None => {
                let e = self.graph.add_edge(head, tail, Edge::new(relation, 0));
                self.edges.insert(key, e);
                e
            }
        };
        let edge = &mut self.graph[edge];
        edge.weight = edge.weight.saturating_add(weight);
        let max = if &*edge.relation == CO_OCCURS { MAX_CO_OCCURRENCE_EVIDENCE } else { MAX_EVIDENCE };
        if edge.evidence.is_empty() && ev.len() == 1 {
            // Exactly the room needed: most edges keep one piece of evidence.
            edge.evidence.reserve_exact(1);
        }
        keep_evidence(&mut edge.evidence, ev, max, |e| e.date);
        time.apply(&mut edge.time, weight, ev.first());
    }

    /// Node and relation ranks in name order, and the evidence each relation keeps: what the spool sorts by.
    fn order(&self) -> Order {
        let mut by_name: Vec<NodeIndex> = self.graph.node_indices().collect();
        by_name.sort_unstable_by(|a, b| self.graph[*a].name.cmp(&self.graph[*b].name));
        let mut node = vec![0; by_name.len()];
        for (r, n) in by_name.into_iter().enumerate() {
            node[n.index()] = r as u32;
        }
        let mut names: Vec<(&str, usize)> = self.relation_names.iter().enumerate().map(|(i, r)| (&**r, i)).collect();
        names.sort_unstable();
        let mut relation = vec![0; names.len()];
        for (r, (_, i)) in names.into_iter().enumerate() {
            relation[i] = r as u32;
        }
        let keep = self
            .relation_names
            .iter()
            .map(|r| if &**r == CO_OCCURS { MAX_CO_OCCURRENCE_EVIDENCE } else { MAX_EVIDENCE })
            .collect();
        Order { node, relation, keep }
    }

    /// A spooled graph's folded edges.
    fn finished(&self) -> io::Result<Option<Arc<Finished>>> {
        let Some(spool) = &self.spool else { return Ok(None) };
        if let Some(e) = &self.spool_error {
            return Err(io::Error::other(e.clone()));
        }
        spool.finished(|| self.order()).map(Some)
    }

    /// Folds a spooled graph's edges now (otherwise done when they are first read), reporting a failure to write
    /// or read its temporary files.
    pub fn finish(&self) -> io::Result<()> {
        self.finished().map(|_| ())
    }

    /// The id and the shared copy of a relation name.
    fn intern(&mut self, relation: &str) -> (u32, Arc<str>) {
        if let Some((name, &id)) = self.relations.get_key_value(relation) {
            return (id, name.clone());
        }
        let (id, name) = (self.relations.len() as u32, Arc::<str>::from(relation));
        self.relations.insert(name.clone(), id);
        self.relation_names.push(name.clone());
        (id, name)
    }

    /// Rebuilds the (head, relation, tail) → edge table after edges were pushed without it.
    fn reindex_edges(&mut self) {
        self.edges.clear();
        for e in self.graph.edge_indices() {
            if let Some((a, b)) = self.graph.edge_endpoints(e) {
                let relation = self.graph[e].relation.clone();
                let id = self.intern(&relation).0;
                self.edges.insert((a, id, b), e);
            }
        }
    }

    /// Records a document without content (used when reading a graph back).
    pub fn add_document_info(&mut self, doc: DocInfo) {
        self.documents.push(doc);
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
                let ((h, t, r), weight, evidence, time) = item?;
                let bad = || io::Error::new(io::ErrorKind::InvalidData, "temporary edge file is damaged");
                let (head, tail) = (NodeIndex::new(h as usize), NodeIndex::new(t as usize));
                let relation = self.relation_names.get(r as usize).ok_or_else(bad)?.clone();
                Ok(SortedEdge {
                    head: g.node_weight(head).ok_or_else(bad)?,
                    tail: g.node_weight(tail).ok_or_else(bad)?,
                    head_rank: rank[head.index()] as usize,
                    tail_rank: rank[tail.index()] as usize,
                    edge: Cow::Owned(Edge { relation, weight, evidence, time }),
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

    /// Every node with its number of distinct neighbours and of typed (not co-occurrence) edges, most connected
    /// first (then more typed edges, more mentions, name).
    pub fn ranked_by_connections(&self) -> io::Result<Vec<(NodeIndex, usize, usize)>> {
        let g = &self.graph;
        // Counted by the nodes' ranks, which every sorted edge carries.
        let (mut neighbours, mut typed) = (vec![0; g.node_count()], vec![0; g.node_count()]);
        let mut pairs = HashSet::new();
        for e in self.sorted_edges()? {
            let e = e?;
            let (h, t) = (e.head_rank, e.tail_rank);
            if h != t && pairs.insert((h.min(t), h.max(t))) {
                neighbours[h] += 1;
                neighbours[t] += 1;
            }
            if &*e.edge.relation != CO_OCCURS {
                typed[h] += 1;
                typed[t] += 1;
            }
        }
        let mut rows: Vec<(NodeIndex, usize, usize)> =
            self.sorted_nodes().into_iter().enumerate().map(|(r, (n, _))| (n, neighbours[r], typed[r])).collect();
        rows.sort_by(|a, b| {
            (b.1, b.2, g[b.0].mentions).cmp(&(a.1, a.2, g[a.0].mentions)).then_with(|| g[a.0].name.cmp(&g[b.0].name))
        });
        Ok(rows)
    }

    /// The subgraph induced by `keep`: those nodes and every edge among them that `edge_filter` accepts, with all
    /// document ids. It keeps its edges in memory.
    pub fn induced(&self, keep: &BTreeSet<NodeIndex>, edge_filter: &dyn Fn(&Edge) -> bool) -> io::Result<Graph> {
        let mut out = Graph::new();
        for d in &self.documents {
            out.add_document_info(d.clone());
        }
        // The kept nodes' new indices, by rank in name order (which every sorted edge carries).
        let mut by_rank = vec![None; self.graph.node_count()];
        for (r, (n, node)) in self.sorted_nodes().into_iter().enumerate() {
            if keep.contains(&n) {
                by_rank[r] = Some(out.add_node(node.clone()));
            }
        }
        for e in self.sorted_edges()? {
            let e = e?;
            if let (Some(x), Some(y)) = (by_rank[e.head_rank], by_rank[e.tail_rank]) {
                if edge_filter(&e.edge) {
                    out.add_edge(x, y, &e.edge);
                }
            }
        }
        Ok(out)
    }

    /// The graph with only the edges `keep_edge` accepts; with `drop_isolated`, without the entities left with no
    /// edge. Returns `None` when nothing is filtered out (the graph can be written as it is).
    pub fn filtered(&self, keep_edge: &dyn Fn(&Edge) -> bool, drop_isolated: bool) -> io::Result<Option<Graph>> {
        let mut touched = BTreeSet::new();
        let mut all_edges = true;
        for e in self.sorted_edges()? {
            let e = e?;
            if keep_edge(&e.edge) {
                touched.insert(e.head_rank);
                touched.insert(e.tail_rank);
            } else {
                all_edges = false;
            }
        }
        let nodes = self.sorted_nodes();
        let keep: BTreeSet<NodeIndex> = nodes
            .iter()
            .enumerate()
            .filter(|(rank, _)| !drop_isolated || touched.contains(rank))
            .map(|(_, (n, _))| *n)
            .collect();
        if all_edges && keep.len() == nodes.len() {
            return Ok(None);
        }
        self.induced(&keep, keep_edge).map(Some)
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

    /// The `n` most connected entities and the edges among them.
    pub fn top(&self, n: usize) -> io::Result<Graph> {
        let keep: BTreeSet<NodeIndex> = self.ranked_by_connections()?.into_iter().take(n).map(|r| r.0).collect();
        self.induced(&keep, &|_| true)
    }

    /// The underlying petgraph graph, for algorithms (a spooled graph's has its nodes only).
    pub fn petgraph(&self) -> &DiGraph<Node, Edge> {
        &self.graph
    }
}
