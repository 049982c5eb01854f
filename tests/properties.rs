//! Properties of the exporters on arbitrary graphs: any names, types, relations and evidence export to GraphML
//! that validates against the XSD, to GEXF that validates against the RelaxNG schema, and to JSON that reads back
//! to the same graph.

mod common;

use std::sync::Arc;

use guanxi::export::Format;
use guanxi::graph::{Graph, Node};
use guanxi::model::{DocInfo, Evidence, Span};
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

#[derive(Debug, Clone)]
struct Spec {
    nodes: Vec<(String, String, Vec<String>, Option<String>)>,
    #[allow(clippy::type_complexity)]
    edges: Vec<(usize, usize, String, u64, String, Option<String>, Option<(u32, u32, u32)>)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let node = (
        text(),
        prop_oneof![Just("company".to_string()), Just("park".to_string()), text()],
        prop::collection::vec(text(), 0..3),
        prop::option::of(text()),
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
            ),
            0..12,
        ),
    )
        .prop_map(|(nodes, edges)| Spec { nodes, edges })
}

fn build(spec: &Spec) -> Graph {
    build_into(spec, Graph::new())
}

fn build_into(spec: &Spec, mut g: Graph) -> Graph {
    let meta = [("title".to_string(), "t\"i\u{1}".to_string()), ("date".to_string(), "2024-01-01".to_string())];
    g.add_document_info(DocInfo { id: "doc<&>".into(), meta: meta.into() });
    let mut ids = Vec::new();
    for (i, (name, kind, aliases, parent)) in spec.nodes.iter().enumerate() {
        ids.push(g.add_node(Node {
            name: name.clone(),
            kind: kind.clone(),
            aliases: aliases.clone(),
            parent: parent.clone(),
            title: None,
            mentions: 1,
            documents: 1,
            discovered: i % 2 == 1,
            confidence: None,
        }));
    }
    for (a, b, relation, weight, sentence, trigger, date) in &spec.edges {
        let (head, tail) = (ids[a % ids.len()], ids[b % ids.len()]);
        let ev = Evidence {
            doc: Arc::from("doc<&>"),
            sentence: Arc::from(sentence.as_str()),
            head: Span { start: 0, end: 1 },
            tail: Span { start: 1, end: 2 },
            rule: Arc::from("rule/&"),
            trigger: trigger.clone(),
            context: None,
            date: date.and_then(|(y, m, d)| guanxi::read::dates::Date::parse(&format!("{y}-{m:02}-{d:02}"))),
            confidence: None,
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
        // A budget of 0 writes a sorted run at every relation, so the merge of many runs is what is tested.
        let in_memory = build(&spec);
        for budget in [0, 1 << 20] {
            let spooled = build_into(&spec, Graph::spooled(budget));
            prop_assert_eq!(spooled.edge_count(), in_memory.edge_count());
            prop_assert_eq!(spooled.relation_counts(), in_memory.relation_counts());
            for format in [Format::Json, Format::GraphMl, Format::Gexf, Format::Dot, Format::Neo4j] {
                prop_assert!(export(&spooled, format) == export(&in_memory, format), "{:?} differs (budget {})", format, budget);
            }
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
