//! Views of a graph: its entities ranked by connections, and the smaller graphs `induced`, `filtered` and `top`
//! make (kept in memory, for exports and queries).

use std::collections::{BTreeSet, HashSet};
use std::io;

use petgraph::graph::NodeIndex;

use super::{Edge, Graph};
use crate::model::CO_OCCURS;

impl Graph {
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

    /// The `n` most connected entities and the edges among them.
    pub fn top(&self, n: usize) -> io::Result<Graph> {
        let keep: BTreeSet<NodeIndex> = self.ranked_by_connections()?.into_iter().take(n).map(|r| r.0).collect();
        self.induced(&keep, &|_| true)
    }
}
