//! Building a graph: documents, extraction results and whole graphs added, their entities made nodes and their
//! relations folded into edges, in petgraph or through the spool (see [`crate::graph::spool`]).
//!
//! Confidences fold by taking the highest, which no order of adding changes: a node's is the highest of the
//! entities added as it, an edge's the highest of all evidence added to it, and a whole edge brings its own (which
//! counts evidence it no longer keeps).

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::sync::Arc;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::{date_of, Edge, Graph, Node, MAX_CO_OCCURRENCE_EVIDENCE, MAX_EVIDENCE};
use crate::dict::Dictionary;
use crate::extract::Extraction;
use crate::graph::spool::{Finished, Order};
use crate::graph::timing::{keep_evidence, Added, Timing};
use crate::model::{Confidence, DocInfo, Entity, Evidence, CO_OCCURS};

impl Graph {
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
                    confidence: None,
                }),
            };
            let n = &mut self.graph[node];
            n.confidence = n.confidence.max(e.confidence);
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

    /// The node of an entity of a document, with the entity's confidence folded in.
    fn node_for(&mut self, e: &Entity) -> NodeIndex {
        match self.nodes.get(&e.name) {
            Some(&i) => {
                let n = &mut self.graph[i];
                n.confidence = n.confidence.max(e.confidence);
                i
            }
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
        confidence: Option<Confidence>,
    ) -> EdgeIndex {
        let relation = self.intern(relation).1;
        self.graph.add_edge(head, tail, Edge { time: time.map(Box::new), confidence, ..Edge::new(relation, weight) })
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
    /// `ev`: one relation occurrence, dated by its evidence (`weight` sentences of the first piece's date), as
    /// confident as its most confident piece.
    pub fn add_evidence(&mut self, head: NodeIndex, relation: &str, tail: NodeIndex, weight: u64, ev: &[Evidence]) {
        self.add((head, relation, tail), weight, ev, Added::Occurrence, None);
    }

    /// Adds a whole edge (of another graph, or of a file read back) to the edge between `head` and `tail`: its
    /// weight, the evidence it keeps, its timing and its confidence.
    pub fn add_edge(&mut self, head: NodeIndex, tail: NodeIndex, edge: &Edge) {
        let time = Added::Whole(edge.time.as_deref());
        self.add((head, &edge.relation, tail), edge.weight, &edge.evidence, time, edge.confidence);
    }

    /// Adds `weight` sentences with their evidence `ev`, timing and confidence to the edge `(head, relation, tail)`.
    /// The confidence added is the highest of `confidence` and those of `ev`.
    fn add(
        &mut self,
        (head, relation, tail): (NodeIndex, &str, NodeIndex),
        weight: u64,
        ev: &[Evidence],
        time: Added,
        confidence: Option<Confidence>,
    ) {
        // `None` sorts below any confidence: the highest present, if any.
        let confidence = ev.iter().map(|e| e.confidence).fold(confidence, Option::max);
        if self.spool.is_some() {
            let id = self.intern(relation).0;
            let key = (head.index() as u32, tail.index() as u32, id);
            let full = self.spool.as_mut().is_some_and(|s| s.push(key, weight, ev, time, confidence));
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
        edge.confidence = edge.confidence.max(confidence);
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
    pub(super) fn finished(&self) -> io::Result<Option<Arc<Finished>>> {
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
}
