//! Questions to a built graph: who is connected to whom, how, and why.
//!
//! Names are resolved through canonical names and aliases (normalised like the text); an unknown name comes back
//! with close names to suggest. Every answer is sorted, so output is the same on every run. Answers carry the
//! confidence of the edges (and entities) that have one, and a filter can ask for a least confidence.

mod lookup;
pub mod print;
#[cfg(test)]
mod tests;

pub use lookup::{check_relations, edges_among, edges_of, known_relations, known_types, within};

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction::{Incoming, Outgoing};
use serde::Serialize;

use crate::graph::{Edge, Graph, Node};
use crate::model::{Confidence, Evidence, CO_OCCURS};
use crate::read::text::normalize_name;

/// Which way an edge runs, seen from the entity nearer the start of a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the nearer entity to the other.
    Out,
    /// From the other entity to the nearer one.
    In,
    /// Undirected (co-occurrence).
    Both,
}

impl Direction {
    /// `out`, `in` or `both`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Out => "out",
            Direction::In => "in",
            Direction::Both => "both",
        }
    }
}

/// Which edges a traversal follows.
#[derive(Clone, Debug, Default)]
pub struct EdgeFilter {
    /// Only these relations (all if empty).
    pub relations: Vec<String>,
    /// Only edges leaving (`Out`) or entering (`In`) the nearer entity; undirected edges always pass. `Both` or
    /// `None`: every edge.
    pub direction: Option<Direction>,
    /// Only edges of at least this weight.
    pub min_weight: u64,
    /// Only edges with evidence dated in this range (see [`Edge::meets`]); all when it is open.
    pub dates: crate::read::dates::Range,
    /// Only edges of at least this confidence. Edges without a confidence (co-occurrence, rule-only builds) are not
    /// affected: they always pass.
    pub min_confidence: Option<Confidence>,
}

impl EdgeFilter {
    /// Whether an edge passes the filter's relations, weight, dates and confidence.
    pub fn keeps(&self, edge: &Edge) -> bool {
        (self.relations.is_empty() || self.relations.iter().any(|r| **r == *edge.relation))
            && edge.weight >= self.min_weight
            && edge.meets(&self.dates)
            // An edge without a confidence passes whatever the least one.
            && self.min_confidence.is_none_or(|min| edge.confidence.is_none_or(|c| c >= min))
    }

    fn passes(&self, edge: &Edge, direction: Direction) -> bool {
        self.keeps(edge)
            && match self.direction {
                None | Some(Direction::Both) => true,
                Some(d) => direction == Direction::Both || direction == d,
            }
    }
}

/// A graph with its names indexed for lookups.
pub struct Index<'g> {
    graph: &'g Graph,
    /// Normalised names and aliases → nodes, sorted for suggestions; built on first need (an exact canonical name
    /// needs none of it).
    names: std::sync::OnceLock<BTreeMap<String, NodeIndex>>,
}

impl<'g> Index<'g> {
    /// Indexes a graph's names and aliases.
    pub fn new(graph: &'g Graph) -> Self {
        Index { graph, names: std::sync::OnceLock::new() }
    }

    fn names(&self) -> &BTreeMap<String, NodeIndex> {
        self.names.get_or_init(|| {
            let mut names = BTreeMap::new();
            // Canonical names first, so an alias never hides another entity's name.
            for (i, node) in self.graph.sorted_nodes() {
                names.insert(normalize_name(&node.name), i);
            }
            for (i, node) in self.graph.sorted_nodes() {
                for alias in &node.aliases {
                    names.entry(normalize_name(alias)).or_insert(i);
                }
            }
            names
        })
    }

    /// The graph.
    pub fn graph(&self) -> &'g Graph {
        self.graph
    }

    /// The one place whose canonical name is `key` and a level word below (乌海 for 乌海市), as the dictionaries' weak
    /// aliases have it; `None` when no place or several match. Aliases are not extended (综保 is not 综保区).
    fn place_by_short_name(&self, key: &str) -> Option<NodeIndex> {
        const LEVELS: &[&str] = &["市", "县", "区", "省", "镇", "乡", "旗", "新区", "自治县", "自治州", "自治区"];
        if key.chars().count() < 2 {
            return None;
        }
        let place = |i: &NodeIndex| self.graph.petgraph()[*i].kind == "district";
        let mut found = LEVELS.iter().filter_map(|level| self.graph.node_index(&format!("{key}{level}")).filter(place));
        let first = found.next()?;
        found.all(|i| i == first).then_some(first)
    }

    /// The node a name or alias refers to; otherwise up to five close names and aliases ("did you mean").
    pub fn resolve(&self, name: &str) -> Result<NodeIndex, Vec<String>> {
        if let Some(i) = self.graph.node_index(name) {
            return Ok(i);
        }
        let key = normalize_name(name);
        if let Some(&i) = self.names().get(&key) {
            return Ok(i);
        }
        if let Some(i) = self.place_by_short_name(&key) {
            return Ok(i);
        }
        let len = key.chars().count();
        let mut scored: Vec<(usize, &str, NodeIndex)> = self
            .names()
            .iter()
            .filter_map(|(surface, &i)| {
                // A name containing the query (or contained in it) is closest when their lengths are closest.
                let surface_len = surface.chars().count();
                let (close, score) = if surface.contains(&key) || key.contains(surface.as_str()) {
                    (true, surface_len.abs_diff(len))
                } else {
                    let d = strsim::levenshtein(surface, &key);
                    (d <= (len / 2).max(1), d + len)
                };
                close.then_some((score, surface.as_str(), i))
            })
            .collect();
        scored.sort();
        let mut out: Vec<String> = Vec::new();
        for (_, surface, i) in scored {
            let canonical = &self.graph.petgraph()[i].name;
            let text = if normalize_name(canonical) == *surface {
                canonical.clone()
            } else {
                format!("{canonical} ({surface})")
            };
            if !out.iter().any(|o| o.starts_with(canonical.as_str())) {
                out.push(text);
            }
            if out.len() == 5 {
                break;
            }
        }
        Err(out)
    }

    /// Every edge at `n` that passes `filter`: (the other node, the edge, its direction seen from `n`), sorted by
    /// the other node's name, then relation.
    fn edges_at(&self, n: NodeIndex, filter: &EdgeFilter) -> Vec<(NodeIndex, EdgeIndex, Direction)> {
        let g = self.graph.petgraph();
        let mut out = Vec::new();
        for (dir, towards) in [(Outgoing, Direction::Out), (Incoming, Direction::In)] {
            for e in g.edges_directed(n, dir) {
                let edge = e.weight();
                let other = if dir == Outgoing { e.target() } else { e.source() };
                let direction = if edge.directed() { towards } else { Direction::Both };
                if other != n && filter.passes(edge, direction) {
                    out.push((other, e.id(), direction));
                }
            }
        }
        out.sort_by(|a, b| (&g[a.0].name, &g[a.1].relation).cmp(&(&g[b.0].name, &g[b.1].relation)));
        out
    }
}

/// One row of a neighbourhood.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Neighbor {
    /// The neighbour's canonical name.
    pub entity: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The relation of the edge that reaches it.
    pub relation: String,
    /// The edge's direction, seen from `via`.
    pub direction: Direction,
    /// The edge's weight.
    pub weight: u64,
    /// The edge's confidence, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Hops from the start.
    pub depth: usize,
    /// The entity one hop nearer the start.
    pub via: String,
}

/// Entities within `depth` hops of `start` along edges that pass `filter`: one row per edge from an entity at
/// depth d - 1 to an entity first reached at depth d. With `types`, only rows for entities of those types are
/// returned (the traversal still passes through every type). Sorted by depth, entity, relation, via.
pub fn neighbors(
    index: &Index,
    start: NodeIndex,
    depth: usize,
    filter: &EdgeFilter,
    types: &[String],
) -> Vec<Neighbor> {
    let g = index.graph.petgraph();
    let mut level: HashMap<NodeIndex, usize> = HashMap::from([(start, 0)]);
    let mut frontier = vec![start];
    let mut rows = Vec::new();
    for d in 1..=depth {
        let mut next = BTreeSet::new();
        for &n in &frontier {
            for (other, e, direction) in index.edges_at(n, filter) {
                let seen = level.get(&other).copied();
                if seen.is_some_and(|s| s < d) {
                    continue;
                }
                if seen.is_none() {
                    level.insert(other, d);
                    next.insert((g[other].name.clone(), other));
                }
                let node = &g[other];
                if types.is_empty() || types.contains(&node.kind) {
                    rows.push(Neighbor {
                        entity: node.name.clone(),
                        kind: node.kind.clone(),
                        relation: g[e].relation.to_string(),
                        direction,
                        weight: g[e].weight,
                        confidence: g[e].confidence,
                        depth: d,
                        via: g[n].name.clone(),
                    });
                }
            }
        }
        frontier = next.into_iter().map(|(_, n)| n).collect();
        if frontier.is_empty() {
            break;
        }
    }
    rows.sort_by(|a, b| (a.depth, &a.entity, &a.relation, &a.via).cmp(&(b.depth, &b.entity, &b.relation, &b.via)));
    rows
}

/// One hop of a path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hop {
    /// Where the hop starts.
    pub from: String,
    /// Where it ends.
    pub to: String,
    /// The relation of the edge taken (a typed relation rather than co-occurrence where both exist).
    pub relation: String,
    /// The edge's direction, seen from `from`.
    pub direction: Direction,
    /// The edge's weight.
    pub weight: u64,
    /// The edge's confidence, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// One piece of evidence.
    pub evidence: Option<Evidence>,
}

/// The shortest paths from `a` to `b` along edges that pass `filter`, ignoring direction; at most `limit`, in
/// name order. Empty if `b` cannot be reached.
pub fn shortest_paths(index: &Index, a: NodeIndex, b: NodeIndex, filter: &EdgeFilter, limit: usize) -> Vec<Vec<Hop>> {
    let g = index.graph.petgraph();
    let mut dist: HashMap<NodeIndex, usize> = HashMap::from([(a, 0)]);
    let mut queue = VecDeque::from([a]);
    while let Some(n) = queue.pop_front() {
        if n == b {
            break;
        }
        for (other, _, _) in index.edges_at(n, filter) {
            if !dist.contains_key(&other) {
                dist.insert(other, dist[&n] + 1);
                queue.push_back(other);
            }
        }
    }
    if !dist.contains_key(&b) || a == b {
        return Vec::new();
    }
    // Walk back from b through nodes one step nearer a, in name order, until `limit` paths are found.
    let mut paths: Vec<Vec<NodeIndex>> = Vec::new();
    let mut stack = vec![vec![b]];
    while let Some(path) = stack.pop() {
        if paths.len() == limit {
            break;
        }
        let last = *path.last().unwrap_or(&b);
        if last == a {
            paths.push(path.into_iter().rev().collect());
            continue;
        }
        let mut before: Vec<NodeIndex> = index
            .edges_at(last, filter)
            .into_iter()
            .map(|(o, _, _)| o)
            .filter(|o| dist.get(o).is_some_and(|&d| d + 1 == dist[&last]))
            .collect();
        before.dedup();
        // Reverse, so that the stack pops them in name order.
        for o in before.into_iter().rev() {
            let mut p = path.clone();
            p.push(o);
            stack.push(p);
        }
    }
    paths.sort_by_cached_key(|p| p.iter().map(|&n| g[n].name.clone()).collect::<Vec<_>>());
    paths
        .into_iter()
        .map(|p| {
            p.windows(2)
                .map(|w| {
                    // Prefer a typed edge over co-occurrence, then the heaviest. The breadth-first search put w[0]
                    // one step before w[1] only along an edge that passes the filter, so one exists.
                    let (_, e, direction) = index
                        .edges_at(w[0], filter)
                        .into_iter()
                        .filter(|(o, _, _)| *o == w[1])
                        .min_by_key(|(_, e, _)| (&*g[*e].relation == CO_OCCURS, std::cmp::Reverse(g[*e].weight)))
                        .expect("consecutive path nodes are joined by an edge that passes the filter");
                    Hop {
                        from: g[w[0]].name.clone(),
                        to: g[w[1]].name.clone(),
                        relation: g[e].relation.to_string(),
                        direction,
                        weight: g[e].weight,
                        confidence: g[e].confidence,
                        evidence: g[e].evidence.first().cloned(),
                    }
                })
                .collect()
        })
        .collect()
}

/// One edge of an entity card.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CardEdge {
    /// The other entity.
    pub entity: String,
    /// Direction seen from the card's entity.
    pub direction: Direction,
    /// Weight.
    pub weight: u64,
    /// Its confidence, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// The evidence kept (up to three pieces).
    pub evidence: Vec<Evidence>,
    /// For `leads`, the post.
    pub title: Option<String>,
    /// When its evidence is dated: first and last dates, sentences per year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<crate::graph::timing::Timing>,
}

/// Everything the graph knows about one entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Card {
    /// The entity: name, type, aliases, parent, post and counts.
    #[serde(flatten)]
    pub entity: Node,
    /// Documents named in the evidence of its edges.
    pub evidence_documents: Vec<String>,
    /// Edges grouped by relation (sorted), heaviest first within a relation.
    pub edges: BTreeMap<String, Vec<CardEdge>>,
}

/// The card of one entity, with its edges that pass `filter` (for `show`: those with evidence dated in its range
/// and of its least confidence).
pub fn card(index: &Index, n: NodeIndex, filter: &EdgeFilter) -> Card {
    let g = index.graph.petgraph();
    let node: &Node = &g[n];
    let mut edges: BTreeMap<String, Vec<CardEdge>> = BTreeMap::new();
    let mut docs = BTreeSet::new();
    for (other, e, direction) in index.edges_at(n, filter) {
        let edge = &g[e];
        docs.extend(edge.evidence.iter().map(|ev| ev.doc.clone()));
        edges.entry(edge.relation.to_string()).or_default().push(CardEdge {
            entity: g[other].name.clone(),
            direction,
            weight: edge.weight,
            confidence: edge.confidence,
            evidence: edge.evidence.clone(),
            title: edge.title().map(str::to_string),
            time: edge.time.as_deref().cloned(),
        });
    }
    for list in edges.values_mut() {
        list.sort_by(|a, b| b.weight.cmp(&a.weight).then_with(|| a.entity.cmp(&b.entity)));
    }
    Card { entity: node.clone(), evidence_documents: docs.into_iter().map(|d| d.to_string()).collect(), edges }
}

/// Figures about a graph.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stats {
    /// Documents the graph was built from.
    pub documents: usize,
    /// Number of entities.
    pub entities: usize,
    /// Number of edges.
    pub edges: usize,
    /// Entities per type.
    pub types: BTreeMap<String, usize>,
    /// Edges per relation.
    pub relations: BTreeMap<String, usize>,
    /// The most connected entities, most neighbours first.
    pub top: Vec<Connected>,
}

/// One of the most connected entities.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Connected {
    /// Canonical name.
    pub entity: String,
    /// Entity type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Distinct neighbours.
    pub neighbours: usize,
    /// Typed (not co-occurrence) edges.
    pub typed_edges: usize,
    /// Mentions in the corpus.
    pub mentions: u64,
}

/// Checks values a user gave for a filter (`relation`, `type`) against the valid ones: an unknown one is an error
/// that names the closest valid value and lists them all.
pub fn check_values(what: &str, given: &[String], valid: &[String]) -> Result<(), String> {
    for value in given {
        if valid.contains(value) {
            continue;
        }
        let closest = valid
            .iter()
            .map(|v| (strsim::jaro_winkler(value, v), v))
            .filter(|(score, _)| *score >= 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, v)| format!("; did you mean '{v}'?"))
            .unwrap_or_default();
        return Err(format!("unknown {what} '{value}'{closest} (valid: {})", valid.join(", ")));
    }
    Ok(())
}

/// Figures about the graph, with the `top` most connected entities.
pub fn stats(index: &Index, top: usize) -> std::io::Result<Stats> {
    let graph = index.graph;
    let g = graph.petgraph();
    let mut types = BTreeMap::new();
    for node in g.node_weights() {
        *types.entry(node.kind.clone()).or_default() += 1;
    }
    let top = graph
        .ranked_by_connections()?
        .into_iter()
        .take(top)
        .map(|(n, neighbours, typed_edges)| Connected {
            entity: g[n].name.clone(),
            kind: g[n].kind.clone(),
            neighbours,
            typed_edges,
            mentions: g[n].mentions,
        })
        .collect();
    Ok(Stats {
        documents: graph.documents().len(),
        entities: graph.node_count(),
        edges: graph.edge_count(),
        types,
        relations: graph.relation_counts().into_iter().collect(),
        top,
    })
}

/// The ego network of `start`: every entity within `depth` hops along edges that pass `filter`, and every edge
/// among them.
pub fn ego(index: &Index, start: NodeIndex, depth: usize, filter: &EdgeFilter) -> std::io::Result<Graph> {
    let mut keep: BTreeSet<NodeIndex> =
        neighbors(index, start, depth, filter, &[]).iter().filter_map(|r| index.graph.node_index(&r.entity)).collect();
    keep.insert(start);
    index.graph.induced(&keep, &|e: &Edge| filter.keeps(e))
}

/// One piece of an entity's evidence on its timeline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dated {
    /// The document's date (ISO), if it has one.
    pub date: Option<String>,
    /// The document.
    pub doc: String,
    /// The edge's relation.
    pub relation: String,
    /// The edge's direction, seen from the entity.
    pub direction: Direction,
    /// The entity at the edge's other end.
    pub entity: String,
    /// The edge's post (`leads` edges), if any.
    pub title: Option<String>,
    /// The sentence.
    pub sentence: String,
}

/// The dated evidence of `node`'s edges that pass `filter` (typed relations only unless the filter names
/// relations), oldest first; undated evidence last. Edges keep their first pieces of evidence and their first- and
/// last-dated ones (see [`crate::graph::timing`]), so a timeline shows those.
pub fn timeline(index: &Index, node: NodeIndex, filter: &EdgeFilter) -> Vec<Dated> {
    use petgraph::visit::EdgeRef;
    let graph = index.graph;
    let g = graph.petgraph();
    let dates = graph.document_dates();
    let mut out = Vec::new();
    let directed = [(petgraph::Direction::Outgoing, Direction::Out), (petgraph::Direction::Incoming, Direction::In)];
    for (petgraph_direction, seen) in directed {
        for e in g.edges_directed(node, petgraph_direction) {
            let edge = e.weight();
            let direction = if edge.directed() { seen } else { Direction::Both };
            let typed_or_asked = !filter.relations.is_empty() || edge.directed();
            if !typed_or_asked || !filter.passes(edge, direction) {
                continue;
            }
            let other = if e.source() == node { e.target() } else { e.source() };
            for ev in &edge.evidence {
                out.push(Dated {
                    // Graphs written before evidence carried dates: the document's.
                    date: ev.date.map(|d| d.to_string()).or_else(|| dates.get(&*ev.doc).cloned()),
                    doc: ev.doc.to_string(),
                    relation: edge.relation.to_string(),
                    direction,
                    entity: g[other].name.clone(),
                    title: edge.title().map(str::to_string),
                    sentence: ev.sentence.trim().to_string(),
                });
            }
        }
    }
    // Oldest first, undated last.
    fn key(d: &Dated) -> (bool, &Option<String>, &str, &str, &str, &str) {
        (d.date.is_none(), &d.date, &d.doc, &d.relation, &d.entity, &d.sentence)
    }
    out.sort_by(|a, b| key(a).cmp(&key(b)));
    out.dedup();
    out
}
