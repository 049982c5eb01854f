//! Properties of the exporters on arbitrary graphs: any names, types, relations, evidence and confidences export to
//! GraphML that validates against the XSD, to GEXF that validates against the RelaxNG schema, and to JSON that reads
//! back to the same graph; a graph folded through the spool exports as one folded in memory, and every edge is as
//! confident as its most confident evidence.

mod common;

use std::sync::Arc;

use guanxi::export::Format;
use guanxi::graph::{Graph, Node};
use guanxi::model::{Confidence, DocInfo, Evidence, Span};
use proptest::prelude::*;

/// Any text: XML specials, quotes, backslashes, control characters, line breaks, non-characters, CJK, emoji.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('&'),
            Just('<'),
            Just('>'),
            Just('"'),
            Just('\''),
            Just('\\'),
            Just('\n'),
            Just('\r'),
            Just('\t'),
            Just('\u{0}'),
            Just('\u{1}'),
            Just('\u{1b}'),
            Just('\u{7f}'),
            Just('\u{fffe}'),
            Just('\u{ffff}'),
            Just(';'),
            Just('|'),
            Just(','),
            Just('潍'),
            Just('坊'),
            Just('·'),
            Just('🏭'),
            any::<char>(),
        ],
        0..12,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

/// An edge: ends, relation, weight, sentence, trigger, date and confidence (in thousandths).
type EdgeSpec = (usize, usize, String, u64, String, Option<String>, Option<(u32, u32, u32)>, Option<u16>);

/// A node: name, type, aliases, parent and confidence (in thousandths).
type NodeSpec = (String, String, Vec<String>, Option<String>, Option<u16>);

#[derive(Debug, Clone)]
struct Spec {
    nodes: Vec<NodeSpec>,
    edges: Vec<EdgeSpec>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let node = (
        text(),
        prop_oneof![Just("company".to_string()), Just("park".to_string()), text()],
        prop::collection::vec(text(), 0..3),
        prop::option::of(text()),
        prop::option::of(0..=1000u16),
    );
    (
        prop::collection::vec(node, 1..8),
        prop::collection::vec(
            (
                any::<usize>(),
                any::<usize>(),
                prop_oneof![Just("co-occurs".to_string()), Just("leads".to_string()), text()],
                1..1000u64,
                text(),
                prop::option::of(text()),
                prop::option::of((1990u32..2030, 1u32..13, 1u32..29)),
                prop::option::of(0..=1000u16),
            ),
            0..12,
        ),
    )
        .prop_map(|(nodes, edges)| Spec { nodes, edges })
}

fn build(spec: &Spec) -> Graph {
    build_into(spec, Graph::new(), 1)
}

/// The graph of `spec` in `g`, with its edges' evidence added `rounds` times, each round's confidences other than the
/// last's (the spec's, multiplied by the round's number, modulo 1001). Each piece has spans of its own (from its
/// round and its place in the spec), as real evidence does: the spool tells pieces apart by their content.
fn build_into(spec: &Spec, mut g: Graph, rounds: usize) -> Graph {
    let meta = [("title".to_string(), "t\"i\u{1}".to_string()), ("date".to_string(), "2024-01-01".to_string())];
    g.add_document_info(DocInfo { id: "doc<&>".into(), meta: meta.into() });
    let mut ids = Vec::new();
    for (i, (name, kind, aliases, parent, confidence)) in spec.nodes.iter().enumerate() {
        ids.push(g.add_node(Node {
            name: name.clone(),
            kind: kind.clone(),
            aliases: aliases.clone(),
            parent: parent.clone(),
            title: None,
            mentions: 1,
            documents: 1,
            discovered: i % 2 == 1,
            confidence: confidence.and_then(Confidence::from_thousandths),
        }));
    }
    let edges = (1..=rounds).flat_map(|round| spec.edges.iter().enumerate().map(move |(i, e)| (round, i, e)));
    for (round, i, (a, b, relation, weight, sentence, trigger, date, confidence)) in edges {
        let at = round * 16 + i;
        let (head, tail) = (ids[a % ids.len()], ids[b % ids.len()]);
        let confidence = confidence.map(|c| (usize::from(c) * round % 1001) as u16);
        let ev = Evidence {
            doc: Arc::from("doc<&>"),
            sentence: Arc::from(sentence.as_str()),
            head: Span { start: at, end: at + 1 },
            tail: Span { start: at + 1, end: at + 2 },
            rule: Arc::from("rule/&"),
            trigger: trigger.clone(),
            context: None,
            date: date.and_then(|(y, m, d)| guanxi::read::dates::Date::parse(&format!("{y}-{m:02}-{d:02}"))),
            confidence: confidence.and_then(Confidence::from_thousandths),
        };
        g.add_evidence(head, relation, tail, *weight, &[ev]);
    }
    g
}

fn export(g: &Graph, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    for (_, exporter) in format.exporters() {
        exporter.export(g, &mut out).unwrap();
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn json_reads_back_to_the_same_graph(spec in spec()) {
        let g = build(&spec);
        let first = export(&g, Format::Json);
        let back = guanxi::export::json::read(first.as_slice(), "g.json").unwrap();
        prop_assert_eq!(back.node_count(), g.node_count());
        prop_assert_eq!(back.edge_count(), g.edge_count());
        prop_assert_eq!(back.documents(), g.documents());
        prop_assert!(export(&back, Format::Json) == first, "JSON differs after a round trip");
    }

    #[test]
    fn spooled_graphs_export_as_graphs_in_memory(spec in spec()) {
        // A run holds at least 1,024 relations, and a budget of 0 writes one whenever it has them: enough rounds of
        // the spec's edges for a few runs, whose merge (and records combined) is what is tested.
        let rounds = 3000 / spec.edges.len().max(1);
        let in_memory = build_into(&spec, Graph::new(), rounds);
        for budget in [0, 1 << 20] {
            let spooled = build_into(&spec, Graph::spooled(budget), rounds);
            prop_assert_eq!(spooled.edge_count(), in_memory.edge_count());
            prop_assert_eq!(spooled.relation_counts(), in_memory.relation_counts());
            for format in [Format::Json, Format::GraphMl, Format::Gexf, Format::Dot, Format::Neo4j, Format::Html] {
                prop_assert!(export(&spooled, format) == export(&in_memory, format), "{:?} differs (budget {})", format, budget);
            }
        }
    }

    #[test]
    fn an_edge_is_as_confident_as_its_most_confident_evidence(spec in spec()) {
        let g = build(&spec);
        // Worked out from the spec: the highest confidence given to each (head name, relation, tail name).
        let mut highest: std::collections::BTreeMap<(String, String, String), Option<u16>> = Default::default();
        let first_named = |i: usize| spec.nodes.iter().find(|n| n.0 == spec.nodes[i % spec.nodes.len()].0).unwrap();
        for (a, b, relation, _, _, _, _, confidence) in &spec.edges {
            let key = (first_named(*a).0.clone(), relation.clone(), first_named(*b).0.clone());
            let best = highest.entry(key).or_default();
            *best = (*best).max(*confidence);
        }
        let json: serde_json::Value = serde_json::from_slice(&export(&g, Format::Json)).unwrap();
        let edges = json["edges"].as_array().unwrap();
        prop_assert_eq!(edges.len(), highest.len());
        for e in edges {
            let key = (e["source"].as_str().unwrap().into(), e["relation"].as_str().unwrap().into(), e["target"].as_str().unwrap().into());
            let want = highest[&key].map(|n| f64::from(n) / 1000.0);
            prop_assert_eq!(e["confidence"].as_f64(), want, "{}", e);
        }
        for n in json["nodes"].as_array().unwrap() {
            let spec_node = spec.nodes.iter().find(|s| s.0 == n["id"].as_str().unwrap()).unwrap();
            prop_assert_eq!(n["confidence"].as_f64(), spec_node.4.map(|n| f64::from(n) / 1000.0));
        }
    }

    #[test]
    fn graphml_and_gexf_validate(spec in spec()) {
        let Some(shared) = common::shared() else { return Ok(()) };
        if !common::have("xmllint", &["--version"]) {
            return Ok(());
        }
        let g = build(&spec);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("g.graphml"), export(&g, Format::GraphMl)).unwrap();
        std::fs::write(dir.path().join("g.gexf"), export(&g, Format::Gexf)).unwrap();
        let xsd = shared.join("schemas/graphml/graphml.xsd");
        let rng = shared.join("schemas/gexf-1.3/gexf.rng");
        let v = common::run("xmllint", &["--nonet", "--noout", "--schema", xsd.to_str().unwrap(), "g.graphml"], dir.path());
        prop_assert!(v.status.success(), "GraphML: {}", String::from_utf8_lossy(&v.stderr));
        let v = common::run("xmllint", &["--nonet", "--noout", "--relaxng", rng.to_str().unwrap(), "g.gexf"], dir.path());
        prop_assert!(v.status.success(), "GEXF: {}", String::from_utf8_lossy(&v.stderr));
    }
}
