//! What a query asks of a graph before it runs: which edges belong to an entity or lie among a set of entities
//! (the edges whose evidence a graph read through its query index must read first), and which relation and type
//! names a filter may use.
//!
//! Names of entities are resolved by [`Index::resolve`](super::Index::resolve); its tests are here too.

use std::collections::HashSet;

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::graph::Graph;
use crate::model::CO_OCCURS;

/// Every edge of one entity, either way: its outgoing edges, then its incoming ones.
pub fn edges_of(graph: &Graph, n: NodeIndex) -> Vec<EdgeIndex> {
    let g = graph.petgraph();
    g.edges_directed(n, petgraph::Direction::Outgoing)
        .chain(g.edges_directed(n, petgraph::Direction::Incoming))
        .map(|e| e.id())
        .collect()
}

/// The edges between any two of `nodes` (each once, from the outgoing edges of `nodes` in their order).
pub fn edges_among(graph: &Graph, nodes: &[NodeIndex]) -> Vec<EdgeIndex> {
    let set: HashSet<_> = nodes.iter().copied().collect();
    nodes
        .iter()
        .flat_map(|&n| graph.petgraph().edges(n))
        .filter(|e| set.contains(&e.target()))
        .map(|e| e.id())
        .collect()
}

/// The relations a filter may name: the built-in ones, any other the graph holds, and `more` (say, the relations of
/// the rules in use); sorted, each once.
pub fn known_relations(graph: &Graph, more: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut valid: Vec<String> =
        [CO_OCCURS, "invests-in", "leads", "located-in"].iter().map(|r| r.to_string()).collect();
    valid.extend(graph.relation_counts().into_iter().map(|(r, _)| r));
    valid.extend(more);
    valid.sort();
    valid.dedup();
    valid
}

/// Checks the relations a user named in a filter against [`known_relations`]: an unknown one is an error naming
/// the closest and the valid ones (see [`check_values`](super::check_values)), not an empty answer.
pub fn check_relations(graph: &Graph, given: &[String]) -> Result<(), String> {
    super::check_values("relation", given, &known_relations(graph, []))
}

/// The entity types a filter may name: the built-in ones ([`crate::dict::KNOWN_TYPES`]) and any other the graph
/// holds; sorted, each once.
pub fn known_types(graph: &Graph) -> Vec<String> {
    let mut types: Vec<String> = crate::dict::KNOWN_TYPES.iter().map(|t| t.to_string()).collect();
    types.extend(graph.petgraph().node_weights().map(|n| n.kind.clone()));
    types.sort();
    types.dedup();
    types
}

/// A place and every entity located under it, through chains of `located-in` edges (a company in a park in a county
/// in the city): what `--within PLACE` keeps. Build with `--hierarchy` for the chains of places above the ones the
/// news states.
pub fn within(graph: &Graph, place: NodeIndex) -> std::collections::BTreeSet<NodeIndex> {
    use petgraph::visit::EdgeRef;
    let g = graph.petgraph();
    let mut seen = std::collections::BTreeSet::from([place]);
    let mut todo = vec![place];
    while let Some(n) = todo.pop() {
        for e in g.edges_directed(n, petgraph::Direction::Incoming) {
            if &*e.weight().relation == "located-in" && seen.insert(e.source()) {
                todo.push(e.source());
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Node;
    use crate::query::Index;

    /// Four entities: 甲 leads 乙, 乙 is located in 丙, 甲 and 丙 co-occur, 乙 supplies 甲 (a relation of the user's
    /// own); 丁 has no edge.
    fn graph() -> Graph {
        let mut g = Graph::new();
        let node = |name: &str, kind: &str, aliases: &[&str]| Node {
            name: name.into(),
            kind: kind.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            parent: None,
            title: None,
            mentions: 1,
            documents: 1,
            discovered: false,
            confidence: None,
        };
        let a = g.add_node(node("甲", "official", &[]));
        let b = g.add_node(node("乙股份有限公司", "company", &["乙公司", "ＹＩ"]));
        let c = g.add_node(node("丙市", "district", &[]));
        g.add_node(node("丁科技园", "campus", &[]));
        g.add_evidence(a, "leads", b, 1, &[]);
        g.add_evidence(b, "located-in", c, 1, &[]);
        g.add_evidence(a, CO_OCCURS, c, 2, &[]);
        g.add_evidence(b, "supplies", a, 1, &[]);
        g
    }

    /// Edges written as "head relation tail", sorted.
    fn described(graph: &Graph, edges: &[EdgeIndex]) -> Vec<String> {
        let g = graph.petgraph();
        let mut out: Vec<String> = edges
            .iter()
            .map(|&e| {
                let (h, t) = g.edge_endpoints(e).unwrap();
                format!("{} {} {}", g[h].name, g[e].relation, g[t].name)
            })
            .collect();
        out.sort();
        out
    }

    fn nodes(graph: &Graph, names: &[&str]) -> Vec<NodeIndex> {
        names.iter().map(|n| graph.node_index(n).unwrap()).collect()
    }

    #[test]
    fn edges_of_an_entity() {
        let graph = graph();
        let table: [(&str, &[&str]); 3] = [
            ("甲", &["乙股份有限公司 supplies 甲", "甲 co-occurs 丙市", "甲 leads 乙股份有限公司"]),
            ("丙市", &["乙股份有限公司 located-in 丙市", "甲 co-occurs 丙市"]),
            ("丁科技园", &[]),
        ];
        for (name, want) in table {
            let n = graph.node_index(name).unwrap();
            assert_eq!(described(&graph, &edges_of(&graph, n)), want, "edges of {name}");
        }
    }

    #[test]
    fn edges_among_entities() {
        let graph = graph();
        let table: [(&[&str], &[&str]); 5] = [
            (&[], &[]),
            (&["甲"], &[]),
            (&["甲", "乙股份有限公司"], &["乙股份有限公司 supplies 甲", "甲 leads 乙股份有限公司"]),
            (&["丙市", "甲", "丁科技园"], &["甲 co-occurs 丙市"]),
            (
                &["甲", "乙股份有限公司", "丙市"],
                &[
                    "乙股份有限公司 located-in 丙市",
                    "乙股份有限公司 supplies 甲",
                    "甲 co-occurs 丙市",
                    "甲 leads 乙股份有限公司",
                ],
            ),
        ];
        for (names, want) in table {
            let found = edges_among(&graph, &nodes(&graph, names));
            assert_eq!(found.len(), want.len(), "each edge among {names:?} once");
            assert_eq!(described(&graph, &found), want, "edges among {names:?}");
        }
    }

    #[test]
    fn known_relations_and_types() {
        let graph = graph();
        let builtin_and_graph = ["co-occurs", "invests-in", "leads", "located-in", "supplies"];
        assert_eq!(known_relations(&Graph::new(), []), ["co-occurs", "invests-in", "leads", "located-in"]);
        assert_eq!(known_relations(&graph, []), builtin_and_graph);
        let more = ["owns".to_string(), "leads".to_string()];
        assert_eq!(
            known_relations(&graph, more),
            ["co-occurs", "invests-in", "leads", "located-in", "owns", "supplies"]
        );
        assert_eq!(known_types(&graph), ["campus", "company", "district", "official", "organization", "park"]);
    }

    #[test]
    fn checks_the_relations_a_filter_names() {
        let graph = graph();
        let table: [(&[&str], Option<&str>); 5] = [
            (&[], None),
            (&["leads", "supplies"], None),
            (&["co-occurs"], None),
            (&["lead"], Some("unknown relation 'lead'; did you mean 'leads'?")),
            (
                &["leads", "zzz"],
                Some("unknown relation 'zzz' (valid: co-occurs, invests-in, leads, located-in, supplies)"),
            ),
        ];
        for (given, want) in table {
            let given: Vec<String> = given.iter().map(|r| r.to_string()).collect();
            match (check_relations(&graph, &given), want) {
                (Ok(()), None) => {}
                (Err(e), Some(start)) => assert!(e.starts_with(start), "{given:?}: {e}"),
                (got, want) => panic!("{given:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn resolves_names_or_suggests_close_ones() {
        let graph = graph();
        let index = Index::new(&graph);
        let table: [(&str, Result<&str, &[&str]>); 8] = [
            ("甲", Ok("甲")),
            ("乙公司", Ok("乙股份有限公司")),
            // Aliases are normalised as text is: full-width letters are ASCII.
            ("YI", Ok("乙股份有限公司")),
            ("ＹＩ", Ok("乙股份有限公司")),
            // A name containing the query comes first; a one-character name is one edit from any other.
            ("丙", Err(&["丙市", "甲"])),
            // An alias is suggested with the entity it names.
            ("乙公", Err(&["乙股份有限公司 (乙公司)"])),
            ("丁科技", Err(&["丁科技园"])),
            ("戊己庚辛", Err(&[])),
        ];
        for (name, want) in table {
            let got = index.resolve(name).map(|n| graph.petgraph()[n].name.clone());
            match (got, want) {
                (Ok(found), Ok(want)) => assert_eq!(found, want, "{name}"),
                (Err(close), Err(want)) => assert_eq!(close, want, "{name}"),
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
    }
}
